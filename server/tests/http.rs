//! Router tests: every request goes through the real middleware stack and a real,
//! seeded database (SQLite, and PostgreSQL when HEARTH_TEST_POSTGRES is set).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;

/// A tenancy of the given area team (by name) with a tenant, as (reference, postcode, tenant surname).
async fn tenancy_in(db: &hearth::db::Db, area: &str) -> (String, String, String) {
    use sqlx::Row;
    let row = sqlx::query::<sqlx::Any>(
        "SELECT t.reference, p.postcode, m.last_name FROM tenancies t JOIN properties p ON p.id = t.property_id \
         JOIN area_teams a ON a.id = p.area_team_id JOIN household_members m ON m.tenancy_id = t.id AND m.is_tenant = 1 \
         WHERE a.name = $1 AND t.status = 'active' ORDER BY t.reference LIMIT 1",
    )
    .bind(area)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    (row.get(0), row.get(1), row.get(2))
}

#[tokio::test]
async fn health_reports_the_database_and_openapi_lists_routes() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let res = app.get("/api/v1/health", None).await;
        assert_eq!(res.status(), StatusCode::OK);
        let v = body_json(res).await;
        assert_eq!(v["status"], "ok");
        assert_eq!(v["database"], if engine == Engine::Sqlite { "sqlite" } else { "postgres" });
        let doc = body_json(app.get("/api/v1/openapi.json", None).await).await;
        for path in
            ["/api/v1/health", "/api/v1/auth/token", "/api/v1/tenancies/{reference}", "/api/v1/properties/{reference}", "/api/v1/patches", "/api/v1/search"]
        {
            assert!(doc["paths"][path].is_object(), "{path} missing from OpenAPI");
        }
    }
}

/// Every answer carries its request id (the proxy's, where it gave a plain one), which the request
/// log writes beside it.
#[tokio::test]
async fn every_answer_carries_its_request_id() {
    let app = TestApp::new(Engine::Sqlite).await;
    let made = app.get("/api/v1/health", None).await;
    let id = made.headers()["x-request-id"].to_str().unwrap().to_string();
    assert_eq!(id.len(), 16, "{id}");
    let other = app.get("/sign-in", None).await;
    assert_ne!(other.headers()["x-request-id"].to_str().unwrap(), id, "each request its own");
    let kept = app.send(Request::get("/api/v1/health").header(header::HOST, HOST).header("x-request-id", "lb-0042.7").body(Body::empty()).unwrap()).await;
    assert_eq!(kept.headers()["x-request-id"], "lb-0042.7");
    let refused = app.send(Request::get("/api/v1/nowhere").header(header::HOST, HOST).body(Body::empty()).unwrap()).await;
    assert_eq!(refused.status(), StatusCode::NOT_FOUND);
    assert!(refused.headers().contains_key("x-request-id"), "errors too");
}

#[tokio::test]
async fn pages_need_sign_in_and_sign_in_keeps_what_was_typed() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let res = app.get("/tenancies/TEN0000001", None).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()[header::LOCATION], "/sign-in?next=/tenancies/TEN0000001");

        assert!(app.sign_in("chmo.east1", "wrong-password").await.is_none());
        let res = app.post_form("/auth/sign-in", "username=chmo.east1&password=nope&next=/search", None).await;
        let loc = res.headers()[header::LOCATION].to_str().unwrap().to_string();
        assert!(loc.starts_with("/sign-in?error=") && loc.contains("username=chmo.east1") && loc.contains("next=/search"), "{loc}");
        // The sign-in page shows the error and the username typed.
        let page = body_text(app.get(&loc, None).await).await;
        assert!(page.contains("The username or password is not right"), "{page}");
        assert!(page.contains("value=\"chmo.east1\""));
        assert!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in' AND outcome = 'denied:bad_credentials'").await >= 2);

        let cookie = app.sign_in("chmo.east1", PASSWORD).await.expect("signs in");
        let page = body_text(app.get("/", Some(&cookie)).await).await;
        assert!(page.contains("My work") && page.contains("Community HMO"), "{page}");
    }
}

#[tokio::test]
async fn security_headers_and_csrf() {
    let app = TestApp::new(Engine::Sqlite).await;
    let res = app.get("/sign-in", None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let csp = res.headers()["content-security-policy"].to_str().unwrap().to_string();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("'nonce-") && !csp.contains("unsafe-inline"), "{csp}");
    assert_eq!(res.headers()["x-content-type-options"], "nosniff");
    let nonce = csp.split("'nonce-").nth(1).unwrap().split('\'').next().unwrap().to_string();
    let page = body_text(res).await;
    assert!(page.contains(&format!("nonce=\"{nonce}\"")), "the hydration script carries the nonce");

    // A form posted from another site is refused.
    let res = app
        .send(
            Request::post("/auth/sign-in")
                .header(header::HOST, HOST)
                .header(header::ORIGIN, "http://evil.example")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("username=chmo.east1&password={PASSWORD}")))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // And so is one with no origin at all, carrying a session cookie.
    let cookie = app.sign_in("chmo.east1", PASSWORD).await.unwrap();
    let res = app.send(Request::post("/auth/sign-out").header(header::HOST, HOST).header(header::COOKIE, &cookie).body(Body::empty()).unwrap()).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn sessions_rotate_and_end_at_sign_out() {
    let app = TestApp::new(Engine::Sqlite).await;
    let a = app.sign_in("chmo.east1", PASSWORD).await.unwrap();
    let b = app.sign_in("chmo.east1", PASSWORD).await.unwrap();
    assert_ne!(a, b, "each sign-in gets a new session id");
    assert_eq!(app.get("/", Some(&b)).await.status(), StatusCode::OK);
    let res = app
        .send(
            Request::post("/auth/sign-out")
                .header(header::HOST, HOST)
                .header(header::ORIGIN, format!("http://{HOST}"))
                .header(header::COOKIE, &b)
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.get("/", Some(&b)).await.status(), StatusCode::SEE_OTHER, "signed out: back to sign-in");
}

/// Per account, across processes: two Hearth processes on one database (behind a load balancer)
/// count the same attempts, so spreading guesses over servers gains nothing.
#[tokio::test]
async fn sign_in_is_rate_limited_per_account_across_processes() {
    for engine in engines() {
        let db = seeded_db(engine).await;
        let limits = hearth::auth::limits::LimitConfig {
            ip_burst: 100,
            ip_period: std::time::Duration::from_secs(60),
            account_burst: 3,
            account_period: std::time::Duration::from_secs(60),
        };
        let one = TestApp { router: hearth::routes::router(state(db.clone(), limits)), db: db.clone() };
        let two = TestApp { router: hearth::routes::router(state(db.clone(), limits)), db };
        assert!(one.sign_in("tl.east", "guess").await.is_none());
        assert!(two.sign_in("tl.east", "guess").await.is_none());
        assert!(one.sign_in("TL.East", "guess").await.is_none());
        // Even the right password is refused once the account's attempts are spent, on either process.
        assert!(two.sign_in("tl.east", PASSWORD).await.is_none(), "{engine:?}");
        assert!(one.sign_in("tl.east", PASSWORD).await.is_none());
        assert_eq!(scalar(&one.db, "SELECT COUNT(*) FROM audit_log WHERE outcome = 'denied:rate_limited'").await, 2);
        // Another account is unaffected.
        assert!(two.sign_in("tl.west", PASSWORD).await.is_some());
    }
}

#[tokio::test]
async fn officers_find_and_open_tenancies_of_their_own_area_only() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let (reference, postcode, surname) = tenancy_in(&app.db, "East").await;
        let east = app.token("chmo.east1", PASSWORD).await.unwrap();
        let west = app.token("chmo.west1", PASSWORD).await.unwrap();

        let q = postcode.replace(' ', "+");
        let hits = body_json(app.get_bearer(&format!("/api/v1/search?q={q}"), &east).await).await;
        assert!(hits["hits"].as_array().unwrap().iter().any(|h| h["reference"] == reference.as_str()), "{hits}");
        let hits = body_json(app.get_bearer(&format!("/api/v1/search?q={q}"), &west).await).await;
        assert!(hits["hits"].as_array().unwrap().is_empty(), "West sees nothing of East: {hits}");

        let res = app.get_bearer(&format!("/api/v1/tenancies/{reference}"), &east).await;
        assert_eq!(res.status(), StatusCode::OK);
        let t = body_json(res).await;
        assert!(t["members"].as_array().unwrap().iter().any(|m| m["name"].as_str().unwrap().contains(&surname)));
        assert!(!t["history"].as_array().unwrap().is_empty(), "ownership history is shown");

        let res = app.get_bearer(&format!("/api/v1/tenancies/{reference}"), &west).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        assert_eq!(body_json(res).await["error"], "forbidden");
        let audited =
            scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'view_tenancy' AND outcome = 'denied:other_area' AND username = 'chmo.west1'").await;
        assert_eq!(audited, 1, "the refused attempt is audited");

        // The same refusal on the page.
        let cookie = app.sign_in("chmo.west1", PASSWORD).await.unwrap();
        let res = app.get(&format!("/tenancies/{reference}"), Some(&cookie)).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN);
        let page = body_text(res).await;
        assert!(page.contains("another area team") && !page.contains(&surname), "no data leaks into the refusal page");
    }
}

#[tokio::test]
async fn partners_and_administrators_see_no_housing_records() {
    let app = TestApp::new(Engine::Sqlite).await;
    let (reference, postcode, _) = tenancy_in(&app.db, "East").await;
    for user in ["partner.asc", "partner.police", "admin"] {
        let token = app.token(user, PASSWORD).await.unwrap_or_else(|| panic!("{user} signs in"));
        for path in [
            format!("/api/v1/tenancies/{reference}"),
            format!("/api/v1/search?q={}", postcode.replace(' ', "+")),
            "/api/v1/my-work".into(),
            "/api/v1/patches".into(),
        ] {
            let res = app.get_bearer(&path, &token).await;
            if user == "admin" && path == "/api/v1/my-work" {
                // The administrator's desk is Administration: it says so, with no records.
                let work = body_json(res).await;
                assert_eq!(work["desk"]["landing"], "administration", "{work}");
                assert!(["tenancies", "cases", "waiting", "referrals", "counts"].iter().all(|l| work[l] == serde_json::json!([])), "{work}");
                continue;
            }
            assert_eq!(res.status(), StatusCode::FORBIDDEN, "{user} {path}");
        }
    }
}

#[tokio::test]
async fn specialists_work_across_areas_and_team_leaders_within_theirs() {
    let app = TestApp::new(Engine::Sqlite).await;
    let (east_ref, _, _) = tenancy_in(&app.db, "East").await;
    let (west_ref, _, _) = tenancy_in(&app.db, "West").await;
    let legal = app.token("legal", PASSWORD).await.unwrap();
    assert_eq!(app.get_bearer(&format!("/api/v1/tenancies/{east_ref}"), &legal).await.status(), StatusCode::OK);
    assert_eq!(app.get_bearer(&format!("/api/v1/tenancies/{west_ref}"), &legal).await.status(), StatusCode::OK);
    let tl = app.token("tl.east", PASSWORD).await.unwrap();
    assert_eq!(app.get_bearer(&format!("/api/v1/tenancies/{east_ref}"), &tl).await.status(), StatusCode::OK);
    assert_eq!(app.get_bearer(&format!("/api/v1/tenancies/{west_ref}"), &tl).await.status(), StatusCode::FORBIDDEN);
    // Legal's cross-area view is audited (it is outside their own caseload).
    assert!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE username = 'legal' AND action = 'view_tenancy' AND outcome = 'allowed'").await >= 2);
}

#[tokio::test]
async fn restricted_cases_are_hidden_from_officers_not_named_on_them() {
    use sqlx::Row;
    for engine in engines() {
        let app = TestApp::new(engine).await;
        // A restricted case, and an HMO of the same area who neither owns it nor is named on it.
        let row = sqlx::query::<sqlx::Any>(
            "SELECT c.title, t.reference, c.area_team_id, c.owner_id, c.reference FROM cases c JOIN tenancies t ON t.id = c.tenancy_id \
             WHERE c.restricted = 1 AND c.status = 'open' ORDER BY c.id LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .expect("the demo council has restricted cases");
        let (title, reference, area, owner, case): (String, String, i64, Option<i64>, String) = (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4));
        let other = sqlx::query::<sqlx::Any>(
            "SELECT username FROM users WHERE area_team_id = $1 AND role IN ('community_hmo', 'introductory_hmo', 'sustainable_hmo') AND id <> $2 \
             AND id NOT IN (SELECT user_id FROM access_grants) ORDER BY id LIMIT 1",
        )
        .bind(area)
        .bind(owner.unwrap_or(0))
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get::<String, _>(0);
        let token = app.token(&other, PASSWORD).await.unwrap();
        let t = body_json(app.get_bearer(&format!("/api/v1/tenancies/{reference}"), &token).await).await;
        let cases = t["cases"].as_array().unwrap();
        assert!(cases.iter().all(|c| c["title"] != title.as_str()), "restricted case hidden");
        assert!(cases.iter().any(|c| c["title"].as_str().unwrap().contains("restricted case")), "its existence is flagged");
        // The area's Team Leader sees it.
        let tl_name = sqlx::query::<sqlx::Any>("SELECT username FROM users WHERE area_team_id = $1 AND role = 'team_leader' ORDER BY id LIMIT 1")
            .bind(area)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .get::<String, _>(0);
        let tl = app.token(&tl_name, PASSWORD).await.unwrap();
        // The area's Team Leader may open it: the tenancy lists it by reference only, the case shows the rest.
        let t = body_json(app.get_bearer(&format!("/api/v1/tenancies/{reference}"), &tl).await).await;
        let listed = t["cases"].as_array().unwrap().iter().find(|c| c["reference"] == case.as_str()).expect("listed for the Team Leader");
        assert_eq!(listed["title"], app::domain::access::RESTRICTED_ABOUT, "a list never says what a restricted case concerns");
        let c = body_json(app.get_bearer(&format!("/api/v1/cases/{case}"), &tl).await).await;
        assert_eq!(c["title"], title.as_str());
        // Every view of a tenancy with a restricted case is not silently dropped: refusals are audited elsewhere;
        // the page itself records the view when outside the user's own caseload.
    }
}

#[tokio::test]
async fn bad_input_gets_clear_4xx_never_500() {
    let app = TestApp::new(Engine::Sqlite).await;
    let token = app.token("chmo.east1", PASSWORD).await.unwrap();
    let res = app.get_bearer("/api/v1/search", &token).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(body_json(res).await["message"].as_str().unwrap().contains("?q="));
    let res = app.get_bearer("/api/v1/tenancies/NOPE123", &token).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(body_json(res).await["message"], "Tenancy NOPE123 was not found.");
    let res = app.get_bearer("/api/v1/no-such-route", &token).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(body_json(res).await["error"], "not_found");
    let res = app.get("/api/v1/tenancies/X", None).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    let res = app.get_bearer("/api/v1/me", "hth_forged").await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    // Malformed and oversized bodies.
    let res = app
        .send(
            Request::post("/api/v1/auth/token")
                .header(header::HOST, HOST)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{not json"))
                .unwrap(),
        )
        .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let big = format!("{{\"username\":\"{}\",\"password\":\"x\"}}", "a".repeat(100_000));
    let res = app
        .send(Request::post("/api/v1/auth/token").header(header::HOST, HOST).header(header::CONTENT_TYPE, "application/json").body(Body::from(big)).unwrap())
        .await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
    // A search too short to run is an empty answer, not an error.
    let v = body_json(app.get_bearer("/api/v1/search?q=a", &token).await).await;
    assert_eq!(v["hits"].as_array().unwrap().len(), 0);
}

/// A desk's tile by its key (`domain::desk::Tile`).
fn tile(work: &serde_json::Value, key: &str) -> i64 {
    work["counts"].as_array().unwrap().iter().find(|c| c["tile"] == key).unwrap_or_else(|| panic!("no {key} tile: {}", work["counts"]))["count"]
        .as_i64()
        .unwrap()
}

#[tokio::test]
async fn my_work_lists_the_officers_own_caseload() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let token = app.token("chmo.east1", PASSWORD).await.unwrap();
        let v = body_json(app.get_bearer("/api/v1/my-work", &token).await).await;
        let owned =
            scalar(&app.db, "SELECT COUNT(*) FROM tenancies t JOIN users u ON u.id = t.owner_id WHERE u.username = 'chmo.east1' AND t.status = 'active'").await;
        assert!(owned > 100, "a Community HMO manages a patch");
        assert_eq!(v["tenancies_total"], owned);
        assert_eq!(tile(&v, "tenancies"), owned);
        // The most urgent page by default; the whole caseload on request; nonsense is refused.
        assert_eq!(v["tenancies"].as_array().unwrap().len() as i64, owned.min(app::model::CASELOAD_PAGE));
        let whole = body_json(app.get_bearer("/api/v1/my-work?all=true", &token).await).await;
        assert_eq!(whole["tenancies"].as_array().unwrap().len() as i64, owned);
        let page = v["tenancies"].as_array().unwrap();
        assert_eq!(&whole["tenancies"].as_array().unwrap()[..page.len()], &page[..], "the same order, longer");
        // The totals count the whole caseload, not the page.
        let arrears = scalar(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM tenancies t JOIN users u ON u.id = t.owner_id JOIN rent_accounts r ON r.tenancy_id = t.id \
                 WHERE u.username = 'chmo.east1' AND t.status = 'active' AND r.balance_pence > {}",
                app::domain::money::ARREARS_THRESHOLD.0
            ),
        )
        .await;
        assert!(arrears > 0, "the demo patch has arrears");
        assert_eq!(tile(&v, "arrears"), arrears);
        // Every open case the officer owns is listed, with its home, and counted.
        let open_cases =
            scalar(&app.db, "SELECT COUNT(*) FROM cases c JOIN users u ON u.id = c.owner_id WHERE u.username = 'chmo.east1' AND c.status = 'open'").await;
        let cases = v["cases"].as_array().unwrap();
        assert!(open_cases > 0, "the demo patch has open cases");
        assert_eq!(cases.len() as i64, open_cases);
        assert_eq!(tile(&v, "open_cases"), open_cases);
        // Restricted cases are listed without their home (lists never say who one concerns).
        let named = |c: &serde_json::Value| c["restricted"] == true || c["address"].as_str().is_some_and(|a| a.contains(", "));
        assert!(cases.iter().all(|c| named(c) && c["kind"].is_string()), "{cases:?}");
        assert_eq!(app.get_bearer("/api/v1/my-work?all=maybe", &token).await.status(), StatusCode::BAD_REQUEST);
        let intro = body_json(app.get_bearer("/api/v1/my-work", &app.token("ihmo.east1", PASSWORD).await.unwrap()).await).await;
        let rows = intro["tenancies"].as_array().unwrap();
        assert!(!rows.is_empty() && rows.iter().all(|t| t["tenure"] == "introductory" || t["tenure"] == "extended_introductory"));
        assert!(rows.iter().all(|t| t["clock"].is_string()), "every introductory tenancy carries its review clock");
        // Every row names its tenants, as the household records them.
        let officer_rows = v["tenancies"].as_array().unwrap();
        assert!(officer_rows.iter().all(|t| !t["tenants"].as_str().unwrap().is_empty()), "each tenancy names its tenants");
        let first = &officer_rows[0];
        let named = scalar(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM household_members h JOIN tenancies t ON t.id = h.tenancy_id WHERE t.reference = '{}' AND h.is_tenant = 1",
                first["reference"].as_str().unwrap()
            ),
        )
        .await;
        assert_eq!(first["tenants"].as_str().unwrap().split(" and ").count() as i64, named);
        let arrears = scalar(&app.db, "SELECT COUNT(*) FROM tenancies t JOIN users u ON u.id = t.owner_id JOIN rent_accounts r ON r.tenancy_id = t.id WHERE u.username = 'chmo.east1' AND t.status = 'active' AND r.balance_pence > 15000").await;
        assert_eq!(tile(&v, "arrears"), arrears);
        // The Team Leader's alarm counts exactly the proposals their approvals queue shows waiting.
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let queue = body_json(app.get_bearer("/api/v1/approvals", &tl).await).await;
        let waiting = queue.as_array().unwrap().iter().filter(|w| w["state"] == "proposed").count();
        let work = body_json(app.get_bearer("/api/v1/my-work", &tl).await).await;
        let alarm =
            work["alarms"].as_array().unwrap().iter().find_map(|a| a["text"].as_str().filter(|t| t.contains("waiting for your decision")).map(str::to_string));
        match waiting {
            0 => assert!(alarm.is_none()),
            n => assert!(alarm.unwrap().starts_with(&format!("{n} proposal")), "{n} waiting"),
        }
    }
}

#[tokio::test]
async fn audit_log_is_append_only() {
    for engine in engines() {
        let db = fresh_db(engine).await;
        sqlx::query::<sqlx::Any>(
            "INSERT INTO audit_log (at, username, action, subject_type, outcome) VALUES ('2026-01-01T00:00:00Z', 'x', 'test', 'none', 'allowed')",
        )
        .execute(&db.pool)
        .await
        .unwrap();
        assert!(sqlx::query::<sqlx::Any>("UPDATE audit_log SET outcome = 'changed'").execute(&db.pool).await.is_err());
        assert!(sqlx::query::<sqlx::Any>("DELETE FROM audit_log").execute(&db.pool).await.is_err());
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM audit_log").await, 1);
    }
}

#[tokio::test]
async fn the_working_day_calendar_is_public_and_strict() {
    let app = TestApp::new(Engine::Sqlite).await;
    let get = |q: &'static str| {
        let app = &app;
        async move {
            let res = app.get(&format!("/api/v1/calendar/working-days?{q}"), None).await;
            (res.status(), body_json(res).await)
        }
    };
    // Christmas 2026: Friday 25th, Monday 28th (Boxing Day substitute) are holidays.
    assert_eq!(get("from=2026-12-24&add=1").await.1["date"], "2026-12-29");
    assert_eq!(get("from=2026-12-24&add=0").await.1["date"], "2026-12-24");
    assert_eq!(get("from=2022-09-16&add=1").await.1["date"], "2022-09-20", "the State Funeral");
    assert_eq!(get("from=2026-12-24&to=2027-01-04").await.1["working_days"], 4);
    assert_eq!(get("from=2026-11-20&to=2026-11-23").await.1["working_days"], 1, "Friday to Monday");
    for bad in [
        "from=2026-13-01&add=1",
        "from=2026-12-01&add=-1",
        "from=2026-12-01&add=x",
        "from=2026-12-01",
        "add=3",
        "from=2026-12-01&add=1&to=2026-12-09",
        "from=2026-12-09&to=2026-12-01",
    ] {
        let (status, body) = get(bad).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{bad}");
        assert!(!body["message"].as_str().unwrap().is_empty(), "{bad}");
    }
}

/// The worklist benchmark's baseline must write what the page writes: the same links to the
/// same tenancies and cases in the same order, the same clocks and the same counts.
#[tokio::test]
async fn the_plain_worklist_baseline_writes_the_same_rows_as_the_page() {
    fn rows(html: &str) -> Vec<String> {
        let mut out = Vec::new();
        for part in html.split("href=\"").skip(1) {
            let link = &part[..part.find('"').unwrap_or(0)];
            if link.starts_with("/tenancies/") || link.starts_with("/cases/") || (link.starts_with('#') && link != "#main") {
                out.push(link.to_string());
            }
        }
        out.push(format!("badges:{}", html.matches("<span class=\"badge ").count()));
        out.push(format!("counts:{}", html.matches("<span class=\"count\">").count()));
        out
    }
    for engine in engines() {
        let app = TestApp::new(engine).await;
        for user in ["chmo.east1", "tl.east", "ihmo.west1", "sthmo.central1"] {
            let cookie = app.sign_in(user, PASSWORD).await.unwrap();
            let page = body_text(app.get("/", Some(&cookie)).await).await;
            let plain = app.get("/bench/plain/my-work", Some(&cookie)).await;
            assert_eq!(plain.status(), StatusCode::OK);
            let plain = body_text(plain).await;
            let (a, b) = (rows(&page), rows(&plain));
            assert!(a.iter().any(|r| r.starts_with("counts:") && r != "counts:0"), "{user}: the page rendered its counts");
            assert_eq!(a, b, "{user}: the baseline writes the page's rows");
        }
        let res = app.get("/bench/plain/my-work", None).await;
        assert_ne!(res.status(), StatusCode::OK, "the baseline needs a signed-in officer too");
    }
}

/// Building a router (as every test, and a server at start, does) must never stall pages being
/// served in the same process. Leptos lists an app's routes by rendering it once with resource
/// loading switched off by a process-wide flag, and a resource first polled while that flag is
/// up waits forever. This is what hung the referral probe now and then on CI. Here one thread
/// builds routers in a loop while pages, each of which loads data, are requested alongside.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn building_a_router_never_stalls_pages_being_served() {
    use std::sync::Arc;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
    let app = TestApp::new(Engine::Sqlite).await;
    let token = app.token("chmo.east1", PASSWORD).await.unwrap();
    let (tenancy, _, _) = tenancy_in(&app.db, "East").await;
    let stop = Arc::new(AtomicBool::new(false));
    let built = Arc::new(AtomicUsize::new(0));
    let builder = {
        let (stop, built, db, handle) = (stop.clone(), built.clone(), app.db.clone(), tokio::runtime::Handle::current());
        std::thread::spawn(move || {
            let _rt = handle.enter();
            while !stop.load(Ordering::Relaxed) {
                drop(hearth::routes::router(state(db.clone(), generous_limits())));
                built.fetch_add(1, Ordering::Relaxed);
            }
        })
    };
    let mut stalled = Vec::new();
    for n in 0..40 {
        let path = if n % 2 == 0 { "/".to_string() } else { format!("/tenancies/{tenancy}") };
        let req = Request::get(&path).header(header::HOST, HOST).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap();
        let page = async {
            use http_body_util::BodyExt;
            use tower::ServiceExt;
            let res = app.router.clone().oneshot(req).await.unwrap();
            (res.status(), res.into_body().collect().await.unwrap().to_bytes())
        };
        match tokio::time::timeout(std::time::Duration::from_secs(20), page).await {
            Ok((status, body)) => assert_eq!(status, StatusCode::OK, "{path}: {}", String::from_utf8_lossy(&body)),
            Err(_) => stalled.push(path),
        }
        if !stalled.is_empty() {
            break;
        }
    }
    stop.store(true, Ordering::Relaxed);
    builder.join().unwrap();
    assert!(built.load(Ordering::Relaxed) > 0, "routers were built while pages were served");
    assert!(stalled.is_empty(), "pages stalled while a router was being built: {stalled:?} ({} routers built)", built.load(Ordering::Relaxed));
}

/// The page's hydration data written with `app::api::Compact` (postcard in base64) that decodes
/// as a server function's answer, `Result<T, AppError>`.
fn compact_resources<T: serde::de::DeserializeOwned>(html: &str) -> Vec<Result<T, app::error::AppError>> {
    use base64::Engine as _;
    use codee::Decoder as _;
    html.split("__RESOLVED_RESOURCES[")
        .skip(1)
        .filter_map(|s| {
            let data = s.split_once("] = \"")?.1.split_once('"')?.0;
            let bytes = base64::engine::general_purpose::STANDARD_NO_PAD.decode(data).ok()?;
            app::api::Compact::decode(&bytes).ok()
        })
        .collect()
}

/// The pages with the most rows carry their hydration data as postcard in base64
/// (`app::api::Compact`), not JSON, and the browser decodes it with the same codec. Each must carry
/// exactly what the API serves: data the browser could not decode would leave the page unhydrated.
#[tokio::test]
async fn pages_carry_their_lists_compactly_for_the_browser() {
    use app::model::*;
    async fn api<T: serde::de::DeserializeOwned>(app: &TestApp, path: &str, token: &str) -> T {
        serde_json::from_value(body_json(app.get_bearer(path, token).await).await).unwrap()
    }
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let cookie = app.sign_in("chmo.east1", PASSWORD).await.unwrap();
        let token = app.token("chmo.east1", PASSWORD).await.unwrap();
        let html = body_text(app.get("/", Some(&cookie)).await).await;
        let work: MyWork = api(&app, "/api/v1/my-work", &token).await;
        assert!(work.tenancies.len() > 10 && !work.cases.is_empty(), "a real caseload");
        assert_eq!(compact_resources::<MyWork>(&html), vec![Ok(work)], "{engine:?}: My work");

        let cookie = app.sign_in("tl.east", PASSWORD).await.unwrap();
        let token = app.token("tl.east", PASSWORD).await.unwrap();
        let html = body_text(app.get("/approvals", Some(&cookie)).await).await;
        let waiting: Vec<WorkflowView> = api(&app, "/api/v1/approvals", &token).await;
        let due: Vec<TenancyRow> = api(&app, "/api/v1/reviews-due", &token).await;
        assert!(!waiting.is_empty() && !due.is_empty(), "the demo area has approvals and reviews due");
        assert_eq!(compact_resources::<Vec<WorkflowView>>(&html), vec![Ok(waiting)], "{engine:?}: approvals");
        assert_eq!(compact_resources::<Vec<TenancyRow>>(&html), vec![Ok(due)], "{engine:?}: reviews due");
        let html = body_text(app.get("/referrals", Some(&cookie)).await).await;
        let referrals: ReferralList = api(&app, "/api/v1/referrals", &token).await;
        assert!(!referrals.rows.is_empty());
        assert_eq!(compact_resources::<ReferralList>(&html), vec![Ok(referrals)], "{engine:?}: referrals");
        let html = body_text(app.get("/team", Some(&cookie)).await).await;
        let team: TeamView = api(&app, "/api/v1/team", &token).await;
        assert_eq!(compact_resources::<TeamView>(&html), vec![Ok(team)], "{engine:?}: team");
        let html = body_text(app.get("/satisfaction", Some(&cookie)).await).await;
        let results: FeedbackResults = api(&app, "/api/v1/feedback/results", &token).await;
        assert_eq!(compact_resources::<FeedbackResults>(&html), vec![Ok(results)], "{engine:?}: satisfaction");
    }
    // An error travels the same way, so the browser shows the same message.
    let err: Result<MyWork, app::error::AppError> = Err(app::error::AppError::Forbidden("Not yours.".into()));
    let bytes = <app::api::Compact as codee::Encoder<_>>::encode(&err).unwrap();
    let back: Result<MyWork, app::error::AppError> = <app::api::Compact as codee::Decoder<_>>::decode(&bytes).unwrap();
    assert_eq!(back, err);
}

/// *My work* is kept per officer until something changes (`store::WorkListCache`, keyed on the
/// `change_counter`): a change made anywhere, here straight in the database as another server or
/// a script would, shows at the next request.
#[tokio::test]
async fn my_work_shows_a_change_made_anywhere_at_the_next_request() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let token = app.token("chmo.east1", PASSWORD).await.unwrap();
        let first = body_json(app.get_bearer("/api/v1/my-work", &token).await).await;
        assert_eq!(body_json(app.get_bearer("/api/v1/my-work", &token).await).await, first, "unchanged, the same lists");
        let row = &first["tenancies"][0];
        let reference = row["reference"].as_str().unwrap().to_string();
        // A balance, in a transaction of its own.
        let mut tx = app.db.pool.begin().await.unwrap();
        sqlx::query::<sqlx::Any>("UPDATE rent_accounts SET balance_pence = 9876543 WHERE tenancy_id = (SELECT id FROM tenancies WHERE reference = $1)")
            .bind(&reference)
            .execute(&mut *tx)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        let after = body_json(app.get_bearer("/api/v1/my-work", &token).await).await;
        let shown = after["tenancies"].as_array().unwrap().iter().find(|t| t["reference"] == reference.as_str()).expect("still on the page");
        assert_eq!(shown["balance"], 9876543, "{engine:?}: the new balance, not the kept one");
        // A new case, by a plain statement.
        let cases = after["cases"].as_array().unwrap().len();
        sqlx::query::<sqlx::Any>(
            "INSERT INTO cases (reference, kind, title, status, tenancy_id, owner_id, owner_role, area_team_id, opened_at, due_at, restricted, version) \
             SELECT 'CAS999999', 'asb', 'Raised elsewhere', 'open', t.id, t.owner_id, 'community_hmo', p.area_team_id, '2026-01-01T10:00:00Z', '2026-01-05T17:00:00Z', 0, 1 \
             FROM tenancies t JOIN properties p ON p.id = t.property_id WHERE t.reference = $1",
        )
        .bind(&reference)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let last = body_json(app.get_bearer("/api/v1/my-work", &token).await).await;
        assert_eq!(last["cases"].as_array().unwrap().len(), cases + 1, "{engine:?}: the new case is listed");
    }
}

/// `/metrics` answers only with its token (or from the machine itself, tested in `metrics.rs`'s
/// unit tests and by the real binary in `restarts.rs`): requests by route pattern and status, never
/// a reference; My work's cache; the rate limits' refusals; the database pool.
#[tokio::test]
async fn metrics_count_requests_by_route_for_the_token_only() {
    const TOKEN: &str = "metrics-token-0123456789";
    let app = TestApp::configured(Engine::Sqlite, |s| s.metrics_token = Some(TOKEN.into())).await;
    assert_eq!(app.get("/metrics", None).await.status(), StatusCode::NOT_FOUND, "no token, no connection from the machine itself");
    assert_eq!(app.get_bearer("/metrics", "metrics-token-wrong-56789").await.status(), StatusCode::NOT_FOUND);
    let officer = app.token("chmo.east1", PASSWORD).await.unwrap();
    let reference = text(&app.db, "SELECT t.reference FROM tenancies t JOIN users u ON u.id = t.owner_id WHERE u.username = 'chmo.east1' LIMIT 1").await;
    assert_eq!(app.get_bearer(&format!("/api/v1/tenancies/{reference}"), &officer).await.status(), StatusCode::OK);
    for _ in 0..2 {
        assert_eq!(app.get_bearer("/api/v1/my-work", &officer).await.status(), StatusCode::OK);
    }
    let res = app.get_bearer("/metrics", TOKEN).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("application/openmetrics-text"));
    let m = body_text(res).await;
    assert!(m.contains(r#"hearth_http_requests_total{method="GET",route="/api/v1/tenancies/{}",status="200"}"#), "{m}");
    assert!(m.contains(r#"hearth_http_request_duration_seconds_bucket{le="#) || m.contains("hearth_http_request_duration_seconds_bucket{"), "{m}");
    assert!(m.contains(r#"hearth_worklist_cache_lookups_total{result="hit"}"#), "the second My work was kept: {m}");
    assert!(m.contains("hearth_db_pool_connections "), "{m}");
    assert!(!m.contains(&reference), "no reference leaves in the figures");
    assert!(m.trim_end().ends_with("# EOF"));
}
