//! The outside attack's findings (issue 24), one test each, through the real middleware stack on
//! every engine: need-to-know cases through the approvals queue, dates at chrono's edge, control
//! characters, server functions' statuses, caching and transport headers, forged client addresses,
//! audit gaps, redirects after sign-in, and paths that dodge the page gate.

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::json;

async fn tok(app: &TestApp, user: &str) -> String {
    app.token(user, PASSWORD).await.unwrap_or_else(|| panic!("{user} signs in"))
}

async fn username(app: &TestApp, sql: &str) -> String {
    text(&app.db, sql).await
}

/// A server function called as the browser calls it (form-encoded), with a session cookie.
async fn call_fn(app: &TestApp, cookie: &str, path: &str, form: &str) -> (StatusCode, String) {
    let res = app.post_form(path, form, Some(cookie)).await;
    let status = res.status();
    (status, body_text(res).await)
}

/// Finding 1 (high): a need-to-know case's referral text and escalation reasons reached every
/// officer of the area through the approvals queue while the case itself answered 403, and Legal
/// could never conclude an escalation of one.
#[tokio::test]
async fn need_to_know_cases_never_leak_through_the_approvals_queue_and_their_escalations_can_be_concluded() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        // A restricted case held by a Community HMO, with nothing open on it yet.
        let case = text(
            &app.db,
            "SELECT c.reference FROM cases c WHERE c.restricted = 1 AND c.status = 'open' AND c.owner_role = 'community_hmo' \
             AND NOT EXISTS (SELECT 1 FROM workflow_items w WHERE w.subject_type = 'case' AND w.subject_id = c.id AND w.state IN ('proposed', 'sent_back')) ORDER BY c.id LIMIT 1",
        )
        .await;
        let owner = username(&app, &format!("SELECT u.username FROM cases c JOIN users u ON u.id = c.owner_id WHERE c.reference = '{case}'")).await;
        let area = scalar(&app.db, &format!("SELECT area_team_id FROM cases WHERE reference = '{case}'")).await;
        let sthmo =
            username(&app, &format!("SELECT username FROM users WHERE role = 'sustainable_hmo' AND area_team_id = {area} AND active = 1 ORDER BY id LIMIT 1"))
                .await;
        let tl = username(&app, &format!("SELECT username FROM users WHERE role = 'team_leader' AND area_team_id = {area} AND active = 1 ORDER BY id LIMIT 1"))
            .await;
        let legal = username(&app, "SELECT username FROM users WHERE role = 'legal' AND active = 1 ORDER BY id LIMIT 1").await;
        let (owner_t, sthmo_t, tl_t, legal_t) = (tok(&app, &owner).await, tok(&app, &sthmo).await, tok(&app, &tl).await, tok(&app, &legal).await);

        let (s, v) = app.get_json(&format!("/api/v1/cases/{case}"), &owner_t).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let body = json!({"version": v["version"], "concerns": "Xq9concerns: threats made by a former partner", "risks": "Xq9risks: serious harm", "tried": "Xq9tried: MARAC referral"});
        let (s, v) = app.json("POST", &format!("/api/v1/cases/{case}/referral"), &owner_t, body).await;
        assert_eq!(s, StatusCode::OK, "{v}");

        // The outside test's reproduction: the case is closed to the Sustainable Tenancy HMO, and so
        // is everything about it in the queue, the server function and the page.
        let (s, _) = app.get_json(&format!("/api/v1/cases/{case}"), &sthmo_t).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let queue = body_text(app.get_bearer("/api/v1/approvals", &sthmo_t).await).await;
        assert!(!queue.contains("Xq9") && !queue.contains(&case), "the queue shows nothing of a case its reader may not open: {queue}");
        let page = body_text(app.get_bearer("/approvals", &sthmo_t).await).await;
        assert!(!page.contains("Xq9") && !page.contains(&case), "nor does the page");
        let cookie = app.sign_in(&sthmo, PASSWORD).await.unwrap();
        let (_, answer) = call_fn(&app, &cookie, "/fn/approvals", "").await;
        assert!(!answer.contains("Xq9") && !answer.contains(&case), "nor the server function: {answer}");

        // The Team Leader must decide it: the queue lists it by reference only; the case shows the rest.
        let (s, items) = app.get_json("/api/v1/approvals", &tl_t).await;
        assert_eq!(s, StatusCode::OK);
        let item =
            items.as_array().unwrap().iter().find(|w| w["subject_reference"] == case.as_str()).expect("the Team Leader sees the referral waiting").clone();
        assert_eq!(item["restricted"], true);
        assert_eq!(item["address"], app::domain::access::RESTRICTED_ABOUT);
        assert!(!items.to_string().contains("Xq9"), "not even the Team Leader's list says what it concerns");
        let (s, v) = app.get_json(&format!("/api/v1/cases/{case}"), &tl_t).await;
        assert_eq!(s, StatusCode::OK);
        assert!(v.to_string().contains("Xq9concerns"), "the case itself shows it");
        let id = item["id"].as_i64().unwrap();
        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/workflow/{id}/decision"),
                &tl_t,
                json!({"version": item["version"], "action": "decline", "note": "Xq9note: stays with the Community HMO for now"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");

        // Escalated to Legal: Legal may open it while the escalation is open, and conclude it.
        let (_, v) = app.get_json(&format!("/api/v1/cases/{case}"), &owner_t).await;
        let body = json!({"version": v["version"], "purpose": "notice", "reason": "Xq9legal: breach of tenancy, notice needed"});
        let (s, v) = app.json("POST", &format!("/api/v1/cases/{case}/escalations"), &owner_t, body).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, items) = app.get_json("/api/v1/approvals", &legal_t).await;
        let item = items.as_array().unwrap().iter().find(|w| w["subject_reference"] == case.as_str()).expect("Legal sees the escalation sent to it").clone();
        assert_eq!(item["restricted"], true);
        assert!(!items.to_string().contains("Xq9"), "Legal's list says nothing of what it concerns");
        let (s, v) = app.get_json(&format!("/api/v1/cases/{case}"), &legal_t).await;
        assert_eq!(s, StatusCode::OK, "Legal opens the case its escalation is about: {v}");
        assert!(v.to_string().contains("Xq9legal"));
        let (s, _) = app.get_json(&format!("/api/v1/cases/{case}"), &sthmo_t).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "the escalation opens the case to Legal, nobody else");
        let id = item["id"].as_i64().unwrap();
        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/workflow/{id}/decision"),
                &legal_t,
                json!({"version": item["version"], "action": "acknowledge", "note": "Notice served"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "Legal concludes it: {v}");
        let (s, _) = app.get_json(&format!("/api/v1/cases/{case}"), &legal_t).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "once concluded, the case is need-to-know again");
        let case_id = scalar(&app.db, &format!("SELECT id FROM cases WHERE reference = '{case}'")).await;
        assert!(
            scalar(
                &app.db,
                &format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action = 'view_case' AND subject_id = {case_id} AND outcome = 'allowed' AND username = '{legal}'"
                )
            )
            .await
                >= 1,
            "Legal's view of the restricted case is audited"
        );
    }
}

/// Finding 3: a date near chrono's maximum made a public handler panic; dates are bounded (1900–2200).
#[tokio::test]
async fn dates_out_of_range_are_refused_clearly() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        for q in
            ["from=%2B262142-12-31&add=1", "from=262142-12-31&add=1", "from=2026-01-01&to=%2B262142-12-31", "from=1066-10-14&add=3", "from=2201-01-01&add=1"]
        {
            let res = app.get(&format!("/api/v1/calendar/working-days?{q}"), None).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{q}");
            assert_eq!(body_json(res).await["error"], "invalid", "{q}");
        }
        let res = app.get("/api/v1/calendar/working-days?from=2200-12-31&add=3650", None).await;
        assert_eq!(res.status(), StatusCode::OK, "the far edge still counts");
        // Covers dated far in the future were accepted.
        let tl = tok(&app, "tl.east").await;
        // The Team Leader covers for a Community HMO of the area.
        let ids = [
            scalar(&app.db, "SELECT id FROM users WHERE username = 'chmo.east1'").await,
            scalar(&app.db, "SELECT id FROM users WHERE username = 'tl.east'").await,
        ];
        let (s, v) = app
            .json(
                "POST",
                "/api/v1/covers",
                &tl,
                json!({"absent_id": ids[0], "cover_id": ids[1], "starts_on": "+262142-12-01", "ends_on": "+262142-12-05", "reason": "Annual leave"}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let (s, v) = app
            .json(
                "POST",
                "/api/v1/covers",
                &tl,
                json!({"absent_id": ids[0], "cover_id": ids[1], "starts_on": "2026-12-01", "ends_on": "9999-12-05", "reason": "Annual leave"}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains("outside the dates Hearth accepts"), "{v}");
    }
}

/// Finding 4: a NUL byte gave 500 on PostgreSQL. Control characters are refused at the edge with a
/// 400 naming the field, the same on both engines, and nothing is stored.
#[tokio::test]
async fn control_characters_are_refused_at_the_edge_naming_the_field() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let res = app
            .send(
                Request::post("/api/v1/auth/token")
                    .header(header::HOST, HOST)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(r#"{"username":"admin\u0000","password":"x"}"#))
                    .unwrap(),
            )
            .await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        let v = body_json(res).await;
        assert_eq!(v["error"], "invalid");
        assert!(v["message"].as_str().unwrap().starts_with("Username contains a control character"), "{v}");
        for path in ["/feedback/abc%00", "/api/v1/tenancies/%00", "/api/v1/search?q=a%00"] {
            let res = app.get(path, None).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST, "{path}");
        }
        let token = tok(&app, "chmo.east1").await;
        let res = app.get_bearer("/api/v1/tenancies/%00", &token).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert!(body_json(res).await["message"].as_str().unwrap().contains("The address contains a control character"));
        let before = scalar(&app.db, "SELECT COUNT(*) FROM audit_log").await;
        let (s, v) = app.json("POST", "/api/v1/referrals/REF300001/messages", &token, json!({"body": "hello\u{0}", "access_reason": "checking"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().starts_with("Body contains a control character"), "{v}");
        assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log").await, before, "refused before anything ran");
        // A field name that is itself the problem, starting with a two-byte letter (Schemathesis's find).
        let (s, v) = app.json("PUT", "/api/v1/admin/workload-weights", &token, serde_json::from_str(r#"{"\u0080\u001f": null}"#).unwrap()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().starts_with("A field name contains a control character"), "{v}");
        // Multi-line text keeps its line breaks and tabs.
        let res = app.get_bearer("/api/v1/search?q=high%0Astreet%09", &token).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
}

/// Finding 5: server functions answered every refusal, absence and bad argument with 500.
#[tokio::test]
async fn server_functions_answer_with_the_errors_own_status() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let cookie = app.sign_in("chmo.east1", PASSWORD).await.unwrap();
        let west = text(&app.db, "SELECT t.reference FROM tenancies t JOIN properties p ON p.id = t.property_id JOIN area_teams a ON a.id = p.area_team_id WHERE a.name = 'West' ORDER BY t.id LIMIT 1").await;
        let (s, body) = call_fn(&app, &cookie, "/fn/tenancy", &format!("reference={west}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{body}");
        let (s, _) = call_fn(&app, &cookie, "/fn/tenancy", "reference=TEN9999999").await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let (s, _) = call_fn(&app, &cookie, "/fn/tenancy", "nothing=1").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "missing arguments");
        let (s, _) = call_fn(&app, &cookie, "/fn/record_notice", "reference=TEN9999999&version=x&served_on=2026-01-01").await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "an argument of the wrong type");
        let (s, _) = call_fn(&app, &cookie, "/fn/team", "").await;
        assert_eq!(s, StatusCode::FORBIDDEN, "the team view is for Team Leaders");
        let res = app.post_form("/fn/my_work", "all=false", None).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "not signed in");
    }
}

/// Finding 6: nothing said how answers may be cached, and HTTPS was never made sticky.
#[tokio::test]
async fn private_answers_are_never_stored_and_https_is_sticky() {
    let app = TestApp::new(Engine::Sqlite).await;
    let cookie = app.sign_in("tl.east", PASSWORD).await.unwrap();
    let token = tok(&app, "tl.east").await;
    let link = text(&app.db, "SELECT token FROM feedback_links ORDER BY id LIMIT 1").await;
    for res in [
        app.get("/", Some(&cookie)).await,
        app.get("/approvals", Some(&cookie)).await,
        app.get_bearer("/api/v1/my-work", &token).await,
        app.get_bearer("/api/v1/feedback/results.csv", &token).await,
        app.get(&format!("/feedback/{link}"), None).await,
        app.get("/sign-in", None).await,
    ] {
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()[header::CACHE_CONTROL], "no-store");
        assert!(res.headers().get(header::STRICT_TRANSPORT_SECURITY).is_none(), "plain HTTP: no HSTS");
    }
    let res = app.get("/favicon.svg", None).await;
    assert!(res.headers()[header::CACHE_CONTROL].to_str().unwrap().starts_with("public"), "public files are cacheable");
    // Behind the trusted proxy, over HTTPS.
    let res = app.send(Request::get("/sign-in").header(header::HOST, HOST).header("x-forwarded-proto", "https").body(Body::empty()).unwrap()).await;
    assert!(res.headers()[header::STRICT_TRANSPORT_SECURITY].to_str().unwrap().starts_with("max-age="));
}

/// Finding 7: with a trusted proxy the leftmost X-Forwarded-For entry, which the client writes, was
/// believed, so rotating it beat the per-address sign-in limit and forged the audit log's addresses.
#[tokio::test]
async fn a_forged_forwarded_address_beats_no_limit_and_reaches_no_log() {
    let db = seeded_db(Engine::Sqlite).await;
    let limits = hearth::auth::limits::LimitConfig {
        ip_burst: 5,
        ip_period: std::time::Duration::from_secs(3600),
        account_burst: 10_000,
        account_period: std::time::Duration::from_millis(1),
    };
    let app = TestApp { router: hearth::routes::router(state(db.clone(), limits)), db };
    let mut limited = 0;
    for n in 0..12 {
        let res = app
            .send(
                Request::post("/api/v1/auth/token")
                    .header(header::HOST, HOST)
                    .header(header::CONTENT_TYPE, "application/json")
                    // The client writes a new address each time; the proxy appends the one it saw.
                    .header("x-forwarded-for", format!("198.51.100.{n}, 203.0.113.77"))
                    .body(Body::from(json!({"username": format!("nobody{n}"), "password": "wrong password"}).to_string()))
                    .unwrap(),
            )
            .await;
        if res.status() == StatusCode::TOO_MANY_REQUESTS {
            limited += 1;
        }
    }
    assert_eq!(limited, 7, "the limit of 5 held for the one real address");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE ip LIKE '198.51.100.%'").await, 0, "no forged address in the log");
    assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE ip = '203.0.113.77'").await, 12);
}

/// Finding 8: refusals of the review panel and map cards, and Legal's and the Hub's reads of other
/// areas' review panels and cards, went unaudited; the access report left out proposals,
/// escalations and decisions.
#[tokio::test]
async fn every_refusal_and_every_read_across_areas_is_audited_and_reported() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let west = text(&app.db, "SELECT t.reference FROM tenancies t JOIN properties p ON p.id = t.property_id JOIN area_teams a ON a.id = p.area_team_id WHERE a.name = 'West' AND t.status = 'active' ORDER BY t.id LIMIT 1").await;
        let west_id = scalar(&app.db, &format!("SELECT id FROM tenancies WHERE reference = '{west}'")).await;
        let west_home = scalar(&app.db, &format!("SELECT property_id FROM tenancies WHERE reference = '{west}'")).await;
        let count = |action: &'static str, outcome: &'static str, id: i64| {
            let db = app.db.clone();
            async move {
                scalar(&db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND outcome LIKE '{outcome}%' AND subject_id = {id}")).await
            }
        };
        let east = tok(&app, "chmo.east1").await;
        let (s, _) = app.get_json(&format!("/api/v1/tenancies/{west}/review"), &east).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(count("open_review", "denied", west_id).await, 1, "the API's refusal is audited");
        let cookie = app.sign_in("chmo.east1", PASSWORD).await.unwrap();
        let (s, _) = call_fn(&app, &cookie, "/fn/review_panel", &format!("reference={west}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(count("open_review", "denied", west_id).await, 2, "and the server function's");
        let (s, _) = call_fn(&app, &cookie, "/fn/map_home", &format!("property_id={west_home}")).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(count("view_home_card", "denied", west_home).await, 1, "and the map card's");
        // Legal reads another area's panel and card: allowed, and audited.
        let legal = username(&app, "SELECT username FROM users WHERE role = 'legal' AND active = 1 ORDER BY id LIMIT 1").await;
        let legal_t = tok(&app, &legal).await;
        let (s, _) = app.get_json(&format!("/api/v1/tenancies/{west}/review"), &legal_t).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(count("view_review", "allowed", west_id).await, 1);
        let legal_cookie = app.sign_in(&legal, PASSWORD).await.unwrap();
        let (s, _) = call_fn(&app, &legal_cookie, "/fn/map_home", &format!("property_id={west_home}")).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(count("view_home_card", "allowed", west_home).await, 1);
        // The access report of a tenancy lists the escalation made on it and its conclusion.
        let holder = username(&app, &format!("SELECT u.username FROM tenancies t JOIN users u ON u.id = t.owner_id WHERE t.reference = '{west}'")).await;
        let holder_t = tok(&app, &holder).await;
        let (_, panel) = app.get_json(&format!("/api/v1/tenancies/{west}/review"), &holder_t).await;
        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/tenancies/{west}/escalations"),
                &holder_t,
                json!({"version": panel["tenancy_version"], "purpose": "notice", "reason": "Persistent breach: notice needed"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let item = v["escalations"][0].clone();
        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/workflow/{}/decision", item["id"]),
                &legal_t,
                json!({"version": item["version"], "action": "acknowledge", "note": "Notice served by hand"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let admin = tok(&app, "admin").await;
        let (s, report) = app.get_json(&format!("/api/v1/admin/audit?subject_type=tenancy&reference={west}"), &admin).await;
        assert_eq!(s, StatusCode::OK, "{report}");
        let actions: Vec<&str> = report.as_array().unwrap().iter().map(|r| r["action"].as_str().unwrap()).collect();
        for a in ["escalate", "decide_escalation", "view_review", "open_review"] {
            assert!(actions.contains(&a), "{a} in the access report: {actions:?}");
        }
    }
}

/// Finding 9: `next=/%09/evil.example` sent the browser to another site, a newline gave 500, and
/// `?error=` printed any words in the official error box.
#[tokio::test]
async fn sign_in_sends_people_only_to_our_pages_and_says_only_our_words() {
    let app = TestApp::new(Engine::Sqlite).await;
    for (next, expected) in [
        ("/%09/evil.example", "/"),
        ("/%0A", "/"),
        ("//evil.example", "/"),
        ("https://evil.example", "/"),
        ("/tenancies/TEN0000001", "/tenancies/TEN0000001"),
        ("/./admin", "/"),
    ] {
        let res = app.post_form("/auth/sign-in", &format!("username=chmo.east1&password={PASSWORD}&next={next}"), None).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(res.headers()[header::LOCATION], expected, "{next}");
    }
    let page = body_text(app.get("/sign-in?error=Your%20account%20is%20locked.%20Call%200900%20123456", None).await).await;
    assert!(!page.contains("0900") && !page.contains("sign-in-error"), "no attacker words in the error box");
    let page = body_text(app.get("/sign-in?error=bad_credentials", None).await).await;
    assert!(page.contains("The username or password is not right"));
    let page = body_text(app.get("/sign-in?next=%2F%2Fevil.example", None).await).await;
    assert!(!page.contains("evil.example"), "the form does not carry a foreign next");
}

/// Finding 10: any path with a dot counted as public, so `/./admin` signed out and `/./map` as a
/// partner rendered the page shell instead of being sent away.
#[tokio::test]
async fn dotted_paths_do_not_dodge_the_page_gate() {
    let app = TestApp::new(Engine::Sqlite).await;
    for (path, canonical) in
        [("/./admin", "/admin"), ("/%2e/map", "/map"), ("//team", "/team"), ("/pkg/../admin", "/admin"), ("/x.y/../satisfaction", "/satisfaction")]
    {
        let res = app.get(path, None).await;
        assert_eq!(res.status(), StatusCode::PERMANENT_REDIRECT, "{path}");
        assert_eq!(res.headers()[header::LOCATION], canonical, "{path}");
        let res = app.get(canonical, None).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{canonical} then asks for sign-in");
    }
    let partner = username(&app, "SELECT username FROM users WHERE role = 'partner' AND active = 1 ORDER BY id LIMIT 1").await;
    let cookie = app.sign_in(&partner, PASSWORD).await.unwrap();
    let res = app.get("/./map", Some(&cookie)).await;
    assert_eq!(res.headers()[header::LOCATION], "/map");
    let res = app.get("/map", Some(&cookie)).await;
    assert_eq!(res.headers()[header::LOCATION], "/referrals", "a partner is sent back to their referrals");
    // The API answers its own odd spellings, in JSON; one that climbs out of it is put right.
    let res = app.get("/api/v1/tenancies/.", None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app.get("/api/../admin", None).await;
    assert_eq!(res.headers()[header::LOCATION], "/admin");
    let res = app.get("/admin.css", None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "a dot no longer makes a path public");
    let res = app.get("/favicon.svg", None).await;
    assert_ne!(res.status(), StatusCode::SEE_OTHER, "a public file is served without sign-in");
}
