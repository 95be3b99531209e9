//! Tenant feedback and the TSM figures, through the real router and a seeded database
//! (SQLite, and PostgreSQL when HEARTH_TEST_POSTGRES is set).

mod common;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;

async fn token_of(db: &hearth::db::Db, link_id: i64) -> String {
    text(db, &format!("SELECT token FROM feedback_links WHERE id = {link_id}")).await
}

/// Posts the public form as a browser would, from an address (X-Forwarded-For; the test
/// server trusts its proxy).
async fn post_form(app: &TestApp, token: &str, ip: &str, pairs: &[(&str, &str)]) -> axum::http::Response<Body> {
    let body = pairs.iter().map(|(k, v)| format!("{}={}", k, urlencode(v))).collect::<Vec<_>>().join("&");
    app.send(
        Request::post(format!("/feedback/{token}"))
            .header(header::HOST, HOST)
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header("x-forwarded-for", ip)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .unwrap(),
    )
    .await
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

async fn responses(db: &hearth::db::Db) -> i64 {
    scalar(db, "SELECT COUNT(*) FROM feedback_responses").await
}

#[tokio::test]
async fn a_tenant_answers_once_even_if_they_press_twice() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let token = token_of(&app.db, 1).await;
        // No sign-in: the form is public.
        let res = app.get(&format!("/feedback/{token}"), None).await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = body_text(res).await;
        assert!(page.contains("Taking everything into account"), "TP01 in the Regulator's words");
        assert!(page.contains("treats me fairly and with respect"));
        assert!(!page.contains("<script"), "the public form ships no script");
        let key = page.split("name=\"idempotency_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
        assert!(key.len() >= 16);
        let before = responses(&app.db).await;
        let form = [
            ("TP01", "fairly_satisfied"),
            ("TP08", "agree"),
            ("HMO1", "very_satisfied"),
            ("comment", "Thank you for fixing the door"),
            ("reply", "no"),
            ("idempotency_key", key.as_str()),
        ];
        for _ in 0..3 {
            let res = post_form(&app, &token, "203.0.113.5", &form).await;
            assert_eq!(res.status(), StatusCode::SEE_OTHER);
            assert_eq!(res.headers()[header::LOCATION], format!("/feedback/{token}/thanks"));
        }
        assert_eq!(responses(&app.db).await, before + 1, "three presses, one response");
        let stored = text(&app.db, "SELECT answers FROM feedback_responses ORDER BY id DESC LIMIT 1").await;
        assert!(stored.contains("\"TP08\":\"agree\""), "{stored}");
        // The response keeps the patch's officer, role and area as they were.
        let officer = scalar(&app.db, "SELECT COUNT(*) FROM feedback_responses r JOIN feedback_links l ON l.id = r.link_id JOIN patches p ON p.id = l.scope_id WHERE r.id = (SELECT MAX(id) FROM feedback_responses) AND r.officer_id = p.officer_id AND r.area_team_id = p.area_team_id AND r.officer_role = 'community_hmo'").await;
        assert_eq!(officer, 1);
        let thanks = body_text(app.get(&format!("/feedback/{token}/thanks"), None).await).await;
        assert!(thanks.contains("Thank you for your feedback"));
    }
}

#[tokio::test]
async fn bad_answers_explain_themselves_and_keep_what_was_typed() {
    let app = TestApp::new(Engine::Sqlite).await;
    let token = token_of(&app.db, 2).await;
    let before = responses(&app.db).await;
    let typed = "<script>alert('x')</script> The lift is broken & nobody came";
    let res = post_form(
        &app,
        &token,
        "203.0.113.6",
        &[
            ("TP01", "very_satisfied"),
            ("TP08", "very_satisfied"),
            ("comment", typed),
            ("reply", "yes"),
            ("contact_name", "Ann O'Neill"),
            ("contact_detail", "not-a-contact"),
            ("idempotency_key", "abcdefghijklmnop1234"),
        ],
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let page = body_text(res).await;
    assert!(page.contains("There is a problem"), "an error summary first");
    assert!(page.contains("Choose one of the answers given"), "TP08 takes agree/disagree answers");
    assert!(page.contains("Enter an email address like name@example.com"));
    assert!(page.contains("&lt;script&gt;alert('x')&lt;/script&gt; The lift is broken &amp; nobody came"), "the comment comes back, escaped");
    assert!(!page.contains("<script>alert"), "nothing typed is rendered unescaped");
    assert!(page.contains(r#"value="very_satisfied" checked"#), "the TP01 choice is kept");
    assert!(page.contains("Ann O&#x27;Neill") || page.contains("Ann O'Neill"), "the name is kept");
    assert_eq!(responses(&app.db).await, before, "nothing stored");
    // Too long a comment is refused, not cut.
    let long = "a".repeat(2001);
    let res = post_form(&app, &token, "203.0.113.6", &[("comment", &long), ("idempotency_key", "abcdefghijklmnop1235")]).await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert!(body_text(res).await.contains("2000 characters or fewer"));
    // A bot filling the honeypot is thanked and ignored.
    let res =
        post_form(&app, &token, "203.0.113.6", &[("TP01", "very_satisfied"), ("website", "http://spam.example"), ("idempotency_key", "abcdefghijklmnop1236")])
            .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(responses(&app.db).await, before);
    // Links cannot be guessed: unknown tokens are not found, and say so plainly.
    let res = app.get("/feedback/AAAAAAAAAAAAAAAAAAAAAA", None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(body_text(res).await.contains("This feedback link does not work"));
}

#[tokio::test]
async fn a_flood_from_one_address_is_limited_and_others_still_land() {
    let app = TestApp::new(Engine::Sqlite).await;
    let links = scalar(&app.db, "SELECT COUNT(*) FROM feedback_links").await;
    assert!(links >= 2, "the demo council has a link per patch");
    let (flooded, other) = (token_of(&app.db, 1).await, token_of(&app.db, 2).await);
    let before = responses(&app.db).await;
    let (mut stored, mut limited) = (0, 0);
    for n in 0..200 {
        let key = format!("flood-key-{n:06}-xxxxxxxx");
        let res = post_form(&app, &flooded, "198.51.100.66", &[("TP01", "very_dissatisfied"), ("idempotency_key", &key)]).await;
        match res.status() {
            StatusCode::SEE_OTHER => stored += 1,
            StatusCode::TOO_MANY_REQUESTS => {
                limited += 1;
                if limited == 1 {
                    let page = body_text(res).await;
                    assert!(
                        page.contains("your answers are still here") && page.contains(r#"value="very_dissatisfied" checked"#),
                        "a limited form keeps its answers"
                    );
                }
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert!(stored <= 10 && limited >= 190, "stored {stored}, limited {limited}");
    // Tenants elsewhere are unaffected.
    for n in 0..20 {
        let res =
            post_form(&app, &other, &format!("192.0.2.{}", n + 1), &[("TP01", "fairly_satisfied"), ("idempotency_key", &format!("legit-key-{n:06}-xxxxxxx"))])
                .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(responses(&app.db).await, before + stored + 20);
}

/// Compares every council's published percentage in a Regulator's perception sheet with what
/// the API's GET returns for it, exactly (tenths of a percent). The published columns are read
/// as the domain's own test reads them: "Proportion of respondents ... (TPxx)", the first per
/// measure that is not the unweighted or by-method variant, rounded half-up to tenths
/// (`tsm::parse_published`); blank and bracketed cells are not published figures. Councils are
/// landlord type LA (LARP counts as LA). Returns how many figures matched.
fn published_matches(csv_text: &str, api: &[serde_json::Value]) -> usize {
    let mut rdr = csv::Reader::from_reader(csv_text.as_bytes());
    let header = rdr.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h.trim().eq_ignore_ascii_case(name)).unwrap();
    let (code_col, type_col) = (col("Landlord code"), col("Landlord type"));
    let mut published_cols: Vec<(String, usize)> = Vec::new();
    for (i, h) in header.iter().enumerate() {
        let lower = h.trim().to_lowercase();
        let Some(at) = h.find("(TP") else { continue };
        let tp = h[at + 1..at + 5].to_string();
        if lower.starts_with("proportion of respondents")
            && !lower.contains("unweighted")
            && !lower.contains("survey method")
            && !published_cols.iter().any(|(m, _)| *m == tp)
        {
            published_cols.push((tp, i));
        }
    }
    assert_eq!(published_cols.len(), 12, "TP01..TP12: {published_cols:?}");
    let mut matched = 0;
    for r in rdr.records() {
        let r = r.unwrap();
        if !matches!(r[type_col].trim(), "LA" | "LARP") {
            continue;
        }
        let landlord = api.iter().find(|l| l["code"] == r[code_col].trim()).unwrap_or_else(|| panic!("{} is not in the API's answer", &r[code_col]));
        for (tp, i) in &published_cols {
            let cell = r[*i].trim();
            if cell.is_empty() || cell.starts_with('[') {
                continue;
            }
            let published = app::domain::tsm::parse_published(cell).unwrap_or_else(|| panic!("{} {tp}: {cell:?}", &r[code_col]));
            let got = landlord["measures"].as_array().unwrap().iter().find(|m| m["measure"] == tp.as_str()).and_then(|m| m["percent"].as_f64());
            assert_eq!(
                got.map(|p| (p * 10.0).round() as i64),
                Some(published.0),
                "{} ({}) {tp}: API {got:?}, published {cell}",
                landlord["name"],
                &r[code_col]
            );
            matched += 1;
        }
    }
    matched
}

#[tokio::test]
async fn tsm_import_reproduces_the_regulators_figures() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let admin = app.token("admin", PASSWORD).await.unwrap();
        let csv = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/tsm/rsh_tsm_2025_lcra_perception.csv")).unwrap();
        assert!(csv.len() > hearth::routes::MAX_BODY_BYTES, "larger than ordinary requests may be");
        let post = |token: String, year: &'static str, body: String| {
            let app = &app;
            async move {
                let res = app
                    .send(
                        Request::post(format!("/api/v1/benchmarks/tsm?year={year}"))
                            .header(header::HOST, HOST)
                            .header(header::AUTHORIZATION, format!("Bearer {token}"))
                            .header(header::CONTENT_TYPE, "text/csv")
                            .body(Body::from(body))
                            .unwrap(),
                    )
                    .await;
                (res.status(), body_json(res).await)
            }
        };
        let (status, v) = post(admin.clone(), "2024-25", csv.clone()).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["landlords"], 353);
        assert_eq!(v["problems"].as_array().unwrap().len(), 0);
        // Every council's published percentage, back from the API.
        let (status, all) = app.get_json("/api/v1/benchmarks/tsm?year=2024-25", &admin).await;
        assert_eq!(status, StatusCode::OK);
        let all = all.as_array().unwrap();
        let york = all.iter().find(|l| l["code"] == "00FF").unwrap();
        assert_eq!(york["name"], "City of York Council");
        assert_eq!(york["measures"].as_array().unwrap().len(), 12);
        assert_eq!(published_matches(&csv, all), 158 * 12, "2024/25: every council, every measure");
        // The other year (seeded from the 2023/24 sheet), exactly, every council and measure.
        let (status, seeded) = app.get_json("/api/v1/benchmarks/tsm?year=2023-24", &admin).await;
        assert_eq!(status, StatusCode::OK);
        let csv_2023_24 = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/data/tsm/rsh_tsm_2024_lcra_perception.csv")).unwrap();
        assert_eq!(published_matches(&csv_2023_24, seeded.as_array().unwrap()), 158 * 12, "2023/24: every council, every measure");
        // A year not imported is a clear 404.
        assert_eq!(app.get_json("/api/v1/benchmarks/tsm?year=2019-20", &admin).await.0, StatusCode::NOT_FOUND);
        // Bad input: a wrong year, a file that is not the sheet, a non-administrator.
        let (status, v) = post(admin.clone(), "2024-26", csv.clone()).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains("2023-24"));
        assert_eq!(post(admin.clone(), "2024-25", "name,code\nx,y".into()).await.0, StatusCode::BAD_REQUEST);
        let officer = app.token("tl.east", PASSWORD).await.unwrap();
        assert_eq!(post(officer, "2024-25", csv.clone()).await.0, StatusCode::FORBIDDEN);
        // Elsewhere the ordinary cap stands.
        let big = serde_json::json!({"reason": "x".repeat(100_000)});
        assert_eq!(app.json("POST", "/api/v1/covers", &admin, big).await.0, StatusCode::PAYLOAD_TOO_LARGE);
    }
}

#[tokio::test]
async fn satisfaction_figures_respect_who_may_read_them() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let (status, v) = app.get_json("/api/v1/feedback/results?by=area", &tl).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let groups = v["groups"].as_array().unwrap();
        assert_eq!(groups.len(), 1, "a Team Leader sees their own area");
        assert_eq!(groups[0]["group"], "East");
        let n: i64 = scalar(&app.db, "SELECT COUNT(*) FROM feedback_responses r JOIN area_teams a ON a.id = r.area_team_id WHERE a.name = 'East' AND r.submitted_at >= (SELECT MIN(submitted_at) FROM feedback_responses)").await;
        assert!(groups[0]["responses"].as_i64().unwrap() > 0 && groups[0]["responses"].as_i64().unwrap() <= n);
        // The Regulator's arithmetic, checked against the stored answers: TP01 for the area.
        let tp01 = &groups[0]["figures"][0];
        assert_eq!(tp01["measure"], "TP01");
        let (sat, base) = (tp01["satisfied"].as_i64().unwrap(), tp01["base"].as_i64().unwrap());
        let expected = (2000 * sat + base) / (2 * base);
        assert_eq!(tp01["percent"], expected, "tenths, half-up");
        let benchmark = v["benchmark"].as_array().unwrap();
        assert!(!benchmark.is_empty(), "ranked among councils (2023/24 seeded)");
        // Like with like: the council is ranked by its own perception survey; Hearth's
        // transactional figure stands beside it and is never ranked among the surveys.
        for row in benchmark {
            assert!(row.get("in_app_rank").is_none(), "{row}");
            assert!(row["survey_rank"].is_i64() == row["survey_tenths"].is_i64(), "{row}");
        }
        // An officer sees only responses about themselves; a partner sees none.
        let chmo = app.token("chmo.east1", PASSWORD).await.unwrap();
        let (_, mine) = app.get_json("/api/v1/feedback/results?by=officer", &chmo).await;
        let groups = mine["groups"].as_array().unwrap();
        assert!(groups.len() <= 1 && groups.iter().all(|g| g["group"] != "Not recorded"), "{mine}");
        let partner = app.token("partner.asc", PASSWORD).await.unwrap();
        assert_eq!(app.get_json("/api/v1/feedback/results", &partner).await.0, StatusCode::FORBIDDEN);
        // Export.
        let res = app.get_bearer("/api/v1/feedback/results.csv?by=month", &tl).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert!(res.headers()[header::CONTENT_TYPE].to_str().unwrap().starts_with("text/csv"));
        let body = body_text(res).await;
        assert!(body.starts_with("\u{feff}group_by,group,responses,measure,satisfied_percent"));
        assert!(body.lines().count() > 12);
        // Reading comments is audited.
        assert!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.comments.view' AND username = 'tl.east'").await >= 1);
    }
}

#[tokio::test]
async fn a_comment_becomes_a_case_once_by_the_right_people() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        // A commented response about an East patch, and who it is about.
        let id = scalar(&app.db, "SELECT MIN(r.id) FROM feedback_responses r JOIN area_teams a ON a.id = r.area_team_id WHERE a.name = 'East' AND r.comment <> '' AND r.respondent_kind = 'tenant'").await;
        let officer = text(&app.db, &format!("SELECT u.username FROM feedback_responses r JOIN users u ON u.id = r.officer_id WHERE r.id = {id}")).await;
        let path = format!("/api/v1/feedback/responses/{id}/case");
        let kind = |k: &str| serde_json::json!({ "kind": k });
        // Another area's Team Leader cannot see it; an administrator does no casework; a wrong kind is explained.
        let west = app.token("tl.west", PASSWORD).await.unwrap();
        assert_eq!(app.json("POST", &path, &west, kind("complaint")).await.0, StatusCode::NOT_FOUND);
        let admin = app.token("admin", PASSWORD).await.unwrap();
        assert_eq!(app.json("POST", &path, &admin, kind("complaint")).await.0, StatusCode::FORBIDDEN);
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let (status, v) = app.json("POST", &path, &tl, kind("arrears")).await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert!(v["message"].as_str().unwrap().contains("complaint"));
        // Complaint Handling Code: a complaint is never handled by the officer it is about, who
        // may not open it; the East Team Leader does, and holds it.
        let owner = app.token(&officer, PASSWORD).await.unwrap();
        let (status, v) = app.json("POST", &path, &owner, kind("complaint")).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{v}");
        assert!(v["message"].as_str().unwrap().contains("someone else"), "{v}");
        let (status, v) = app.json("POST", &path, &tl, kind("complaint")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let reference = v["reference"].as_str().unwrap().to_string();
        let row = text(&app.db, &format!("SELECT c.kind || '|' || u.username || '|' || c.restricted || '|' || c.status FROM cases c JOIN users u ON u.id = c.owner_id WHERE c.reference = '{reference}'")).await;
        assert_eq!(row, "complaint|tl.east|0|open");
        // Its clock runs from when the tenant wrote (Code 5.4 and 5.6: 5 working days to
        // acknowledge, then 10 to answer), not from when the case was opened.
        let due = text(&app.db, &format!("SELECT due_at FROM cases WHERE reference = '{reference}'")).await;
        let written: chrono::DateTime<chrono::Utc> =
            text(&app.db, &format!("SELECT submitted_at FROM feedback_responses WHERE id = {id}")).await.parse().unwrap();
        let expected = app::domain::clock::ComplaintStage::Stage1
            .latest_respond_by(app::domain::clock::london_date(written), app::domain::clock::WorkingCalendar::england_and_wales());
        assert!(due.starts_with(&expected.to_string()), "stage 1 from the day it was written: {due}");
        // Once only: again, or by the officer, is a clear conflict.
        let (status, v) = app.json("POST", &path, &tl, kind("safeguarding")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(v["message"].as_str().unwrap().contains(&reference));
        // The comment shows its case; the Team Leader sees the case on My work.
        let (_, res) = app.get_json("/api/v1/feedback/results?by=area", &tl).await;
        assert!(res["comments"].as_array().unwrap().iter().any(|c| c["id"] == id && c["case_reference"] == reference.as_str()));
        let (_, work) = app.get_json("/api/v1/my-work", &tl).await;
        assert!(work["cases"].as_array().unwrap().iter().any(|c| c["reference"] == reference.as_str()), "on the Team Leader's list: {work}");
        assert!(scalar(&app.db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'feedback.case.open' AND subject_id = {id}")).await == 1);
        // A safeguarding concern is need-to-know.
        let other = scalar(&app.db, &format!("SELECT MIN(r.id) FROM feedback_responses r JOIN area_teams a ON a.id = r.area_team_id WHERE a.name = 'East' AND r.comment <> '' AND r.id > {id} AND r.respondent_kind = 'tenant'")).await;
        let (status, v) = app.json("POST", &format!("/api/v1/feedback/responses/{other}/case"), &tl, kind("safeguarding")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(scalar(&app.db, &format!("SELECT restricted FROM cases WHERE reference = '{}'", v["reference"].as_str().unwrap())).await, 1);
    }
}

#[tokio::test]
async fn the_form_speaks_welsh_by_configuration_and_keeps_the_language() {
    let app = TestApp::new(Engine::Sqlite).await;
    let token = token_of(&app.db, 3).await;
    // By the link's language, or by the browser's.
    let page = body_text(app.get(&format!("/feedback/{token}?lang=cy"), None).await).await;
    assert!(page.contains(r#"<html lang="cy">"#));
    assert!(page.contains("A chymryd popeth i ystyriaeth"), "TP01 in Welsh");
    assert!(page.contains(r#"hreflang="en""#) || page.contains(r#"lang="en" hreflang"#), "a link back to English");
    let res = app
        .send(
            Request::get(format!("/feedback/{token}"))
                .header(header::HOST, HOST)
                .header(header::ACCEPT_LANGUAGE, "cy-GB, en;q=0.5")
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert!(body_text(res).await.contains("Anfon adborth"));
    let english = body_text(app.get(&format!("/feedback/{token}"), None).await).await;
    assert!(english.contains(r#"<html lang="en">"#) && english.contains("Send feedback"));
    // A mistake is explained in Welsh and keeps what was typed, in Welsh.
    let key = page.split("name=\"idempotency_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let res = post_form(
        &app,
        &token,
        "203.0.113.77",
        &[("lang", "cy"), ("TP01", "very_satisfied"), ("reply", "yes"), ("comment", "Diolch yn fawr"), ("idempotency_key", &key)],
    )
    .await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let again = body_text(res).await;
    assert!(again.contains("Rhowch eich enw"), "the error in Welsh");
    assert!(again.contains("Diolch yn fawr"));
    assert!(again.contains(r#"<html lang="cy">"#));
    // Sent: stored once, with its language; thanks in Welsh.
    let res = post_form(&app, &token, "203.0.113.77", &[("lang", "cy"), ("TP01", "very_satisfied"), ("reply", "no"), ("idempotency_key", &key)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()[header::LOCATION], format!("/feedback/{token}/thanks?lang=cy"));
    assert_eq!(text(&app.db, "SELECT language FROM feedback_responses ORDER BY id DESC LIMIT 1").await, "cy");
    let thanks = body_text(app.get(&format!("/feedback/{token}/thanks?lang=cy"), None).await).await;
    assert!(thanks.contains("Diolch am eich adborth"));
}

/// The QR code Hearth should draw for an address: the same crate, the same rendering.
fn expected_qr(url: &str) -> String {
    qrcode::QrCode::new(url.as_bytes()).unwrap().render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build()
}

/// POST /api/v1/feedback/links, optionally as if behind an https proxy.
async fn make_link(app: &TestApp, token: &str, body: serde_json::Value, https: bool) -> (StatusCode, serde_json::Value) {
    let mut req = Request::post("/api/v1/feedback/links")
        .header(header::HOST, HOST)
        .header(header::AUTHORIZATION, format!("Bearer {token}"))
        .header(header::CONTENT_TYPE, "application/json");
    if https {
        req = req.header("x-forwarded-proto", "https");
    }
    let res = app.send(req.body(Body::from(body.to_string())).unwrap()).await;
    let status = res.status();
    (status, body_json(res).await)
}

#[tokio::test]
async fn links_and_their_qr_codes_are_absolute() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        // Every link (an administrator sees them all): the address the request came to, and a QR code of exactly that.
        let admin = app.token("admin", PASSWORD).await.unwrap();
        let (status, v) = app.get_json("/api/v1/feedback/results", &admin).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let links = v["links"].as_array().unwrap();
        assert!(!links.is_empty(), "the demo council has links");
        for l in links {
            let url = l["url"].as_str().unwrap();
            assert_eq!(url, format!("http://{HOST}{}", l["path"].as_str().unwrap()));
            assert_eq!(l["qr_svg"].as_str().unwrap(), expected_qr(url), "the QR code holds the absolute address");
        }
        // Made behind a trusted https proxy: https.
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let (status, link) = make_link(&app, &tl, serde_json::json!({"scope_type": "patch", "scope_id": scalar(&app.db, "SELECT MIN(p.id) FROM patches p JOIN area_teams a ON a.id = p.area_team_id WHERE a.name = 'East'").await}), true).await;
        assert_eq!(status, StatusCode::OK, "{link}");
        let url = link["url"].as_str().unwrap();
        assert!(url.starts_with(&format!("https://{HOST}/feedback/")) && url.ends_with(link["token"].as_str().unwrap()), "{url}");
        assert_eq!(link["qr_svg"].as_str().unwrap(), expected_qr(url));
        assert_ne!(expected_qr(url), expected_qr(link["path"].as_str().unwrap()), "a relative path would be a different code");
    }
}

#[tokio::test]
async fn administrators_make_partner_links_and_partners_answer_them() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let admin = app.token("admin", PASSWORD).await.unwrap();
        let agency = scalar(&app.db, "SELECT MIN(id) FROM agencies WHERE active = 1").await;
        let name = text(&app.db, &format!("SELECT name FROM agencies WHERE id = {agency}")).await;
        // Offered on the results: the agencies to choose from.
        let (_, results) = app.get_json("/api/v1/feedback/results", &admin).await;
        assert_eq!(results["can_make_partner_links"], true);
        assert!(results["agencies"].as_array().unwrap().iter().any(|a| a[0] == agency && a[1] == name.as_str()));
        let (status, link) = make_link(&app, &admin, serde_json::json!({"scope_type": "partner", "scope_id": agency}), false).await;
        assert_eq!(status, StatusCode::OK, "{link}");
        assert_eq!(link["scope_type"], "partner");
        assert_eq!(link["label"], format!("Partner feedback: {name}"));
        assert_eq!(link["qr_svg"].as_str().unwrap(), expected_qr(link["url"].as_str().unwrap()));
        let id = link["id"].as_i64().unwrap();
        assert_eq!(text(&app.db, &format!("SELECT scope_type || ':' || scope_id FROM feedback_links WHERE id = {id}")).await, format!("partner:{agency}"));
        // The link opens the partner form, and an answer is stored as the agency's.
        let token = link["token"].as_str().unwrap();
        let page = body_text(app.get(&format!("/feedback/{token}"), None).await).await;
        assert!(page.contains("Working with the council"), "the partner questions");
        let res = post_form(
            &app,
            token,
            "203.0.113.90",
            &[("PA1", "fairly_satisfied"), ("comment", "Clear contacts now"), ("idempotency_key", "partner-link-key-000001")],
        )
        .await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(
            text(&app.db, &format!("SELECT respondent_kind || ':' || agency_id FROM feedback_responses WHERE link_id = {id}")).await,
            format!("partner:{agency}")
        );
        // Nobody else makes one; an unknown agency is not found; a label of one's own is kept.
        for user in ["tl.east", "chmo.east1"] {
            let t = app.token(user, PASSWORD).await.unwrap();
            let (status, v) = make_link(&app, &t, serde_json::json!({"scope_type": "partner", "scope_id": agency}), false).await;
            assert_eq!(status, StatusCode::FORBIDDEN, "{user}: {v}");
        }
        assert_eq!(make_link(&app, &admin, serde_json::json!({"scope_type": "partner", "scope_id": 999_999}), false).await.0, StatusCode::NOT_FOUND);
        let (status, v) =
            make_link(&app, &admin, serde_json::json!({"scope_type": "partner", "scope_id": agency, "label": "Quarterly partners' survey"}), false).await;
        assert_eq!((status, v["label"].as_str()), (StatusCode::OK, Some("Quarterly partners' survey")));
        assert_eq!(
            make_link(&app, &admin, serde_json::json!({"scope_type": "officer", "scope_id": 0}), false).await.0,
            StatusCode::FORBIDDEN,
            "administrators have no officer link"
        );
    }
}

#[tokio::test]
async fn responses_older_than_the_retention_period_are_deleted_by_housekeeping() {
    use app::domain::feedback::{RETENTION_YEARS, retention_cutoff};
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let today = app::api::kit::clock::today();
        let cutoff = retention_cutoff(today);
        let link = scalar(&app.db, "SELECT MIN(id) FROM feedback_links WHERE scope_type = 'patch'").await;
        let day_before = cutoff.pred_opt().unwrap();
        // Past the period (with a comment and contact details), on its last kept day, and recent.
        for (key, at) in [
            ("retention-old-000001", format!("{day_before}T23:59:59Z")),
            ("retention-old-000002", format!("{}T08:00:00Z", cutoff - chrono::Days::new(400))),
            ("retention-edge-00001", format!("{cutoff}T00:00:00Z")),
            ("retention-new-000001", format!("{today}T09:00:00Z")),
        ] {
            sqlx::query::<sqlx::Any>(
                "INSERT INTO feedback_responses (link_id, respondent_kind, submitted_at, answers, comment, contact_name, contact_detail, idempotency_key, wants_reply) \
                 VALUES ($1, 'tenant', $2, '{\"TP01\":\"very_satisfied\"}', 'Please ring me about the damp', 'Ann Example', '01904 551550', $3, 1)",
            )
            .bind(link)
            .bind(at)
            .bind(key)
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        let old = |db: &hearth::db::Db| {
            let db = db.clone();
            let cutoff = cutoff.to_string();
            async move { scalar(&db, &format!("SELECT COUNT(*) FROM feedback_responses WHERE submitted_at < '{cutoff}'")).await }
        };
        let expired = old(&app.db).await;
        assert!(expired >= 2);
        let before = responses(&app.db).await;
        let store = hearth::store::SqlStore::new(app.db.clone());
        let done = hearth::housekeeping::run(&store, today).await.unwrap();
        assert_eq!(done.feedback_deleted, expired as u64);
        assert_eq!(old(&app.db).await, 0, "nothing older than {RETENTION_YEARS} years is left");
        assert_eq!(responses(&app.db).await, before - expired);
        assert_eq!(
            scalar(&app.db, "SELECT COUNT(*) FROM feedback_responses WHERE idempotency_key LIKE 'retention-old-%'").await,
            0,
            "the old rows, comment and contact details with them, are gone"
        );
        assert_eq!(
            scalar(&app.db, "SELECT COUNT(*) FROM feedback_responses WHERE idempotency_key IN ('retention-edge-00001', 'retention-new-000001')").await,
            2,
            "the period's last day and today are kept"
        );
        assert_eq!(hearth::housekeeping::run(&store, today).await.unwrap().feedback_deleted, 0, "a second round finds nothing");
        // The notice states the same period the job applies.
        let token = token_of(&app.db, link).await;
        let page = body_text(app.get(&format!("/feedback/{token}"), None).await).await;
        assert!(page.contains(&format!("deleted after {RETENTION_YEARS} years")), "the notice says {RETENTION_YEARS} years");
        let welsh = body_text(app.get(&format!("/feedback/{token}?lang=cy"), None).await).await;
        assert!(welsh.contains(&format!("ar ôl {RETENTION_YEARS} o flynyddoedd")), "and in Welsh");
    }
}

#[tokio::test]
async fn a_visit_link_says_answers_can_be_linked_to_the_home() {
    let app = TestApp::new(Engine::Sqlite).await;
    let visit = scalar(&app.db, "SELECT MIN(id) FROM visits").await;
    sqlx::query::<sqlx::Any>("INSERT INTO feedback_links (token, scope_type, scope_id, created_at, active, label) VALUES ('VisitLinkToken00000001', 'visit', $1, '2026-01-01T00:00:00Z', 1, 'A visit')")
        .bind(visit)
        .execute(&app.db.pool)
        .await
        .unwrap();
    let page = body_text(app.get("/feedback/VisitLinkToken00000001", None).await).await;
    assert!(page.contains("your answers can be linked to that visit and to your home even if you do not give your name"), "honest about a visit");
    assert!(!page.contains("it does not identify you"));
    let welsh = body_text(app.get("/feedback/VisitLinkToken00000001?lang=cy", None).await).await;
    assert!(welsh.contains("gellir cysylltu eich atebion"), "in Welsh too");
    let patch = body_text(app.get(&format!("/feedback/{}", token_of(&app.db, 1).await), None).await).await;
    assert!(patch.contains("it does not identify you"), "a patch's link does not identify anyone");
}

#[tokio::test]
async fn one_links_flood_is_limited_while_other_links_land() {
    // Many addresses (a botnet, or a QR code passed round a crowd) send to one link: the
    // per-address limits never trip, the per-link limit does; other links, even from the same
    // addresses, are unaffected.
    let app = TestApp::new(Engine::Sqlite).await;
    let limits = hearth::auth::limits::FeedbackLimits::default();
    let (flooded, other) = (token_of(&app.db, 1).await, token_of(&app.db, 2).await);
    let before = responses(&app.db).await;
    let started = std::time::Instant::now();
    let (mut stored, mut limited) = (0i64, 0i64);
    let sent = limits.link_burst as i64 + 130;
    for n in 0..sent {
        let ip = format!("10.1.{}.{}", n / 200, n % 200 + 1);
        let res = post_form(&app, &flooded, &ip, &[("TP01", "very_dissatisfied"), ("idempotency_key", &format!("link-flood-{n:06}-xxxxxxxx"))]).await;
        match res.status() {
            StatusCode::SEE_OTHER => stored += 1,
            StatusCode::TOO_MANY_REQUESTS => limited += 1,
            s => panic!("unexpected {s}"),
        }
    }
    // The burst lands, then about one per period: what time passed may have added a few.
    let refills = (started.elapsed().as_secs_f64() / limits.link_period.as_secs_f64()).ceil() as i64 + 1;
    assert!(
        stored >= limits.link_burst as i64 && stored <= limits.link_burst as i64 + refills,
        "stored {stored} of {sent} (burst {}, refills {refills})",
        limits.link_burst
    );
    assert_eq!(limited, sent - stored);
    assert!(limited >= 100, "limited {limited}");
    // Fresh addresses on the flooded link are refused too: it is the link that is limited.
    let mut fresh_limited = 0;
    for n in 0..5 {
        let res = post_form(
            &app,
            &flooded,
            &format!("10.2.0.{}", n + 1),
            &[("TP01", "fairly_satisfied"), ("idempotency_key", &format!("link-fresh-{n:06}-xxxxxxxx"))],
        )
        .await;
        fresh_limited += i64::from(res.status() == StatusCode::TOO_MANY_REQUESTS);
    }
    assert!(fresh_limited >= 4, "only {fresh_limited} of 5 fresh addresses were limited on the flooded link");
    // Another link lands, from addresses that took part in the flood and from others.
    for (n, ip) in ["10.1.0.1", "10.1.0.2", "192.0.2.50", "192.0.2.51"].into_iter().enumerate() {
        let res = post_form(&app, &other, ip, &[("TP01", "fairly_satisfied"), ("idempotency_key", &format!("link-other-{n:06}-xxxxxxxx"))]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{ip} on another link");
    }
    assert_eq!(responses(&app.db).await, before + stored + (5 - fresh_limited) + 4);
}

#[tokio::test]
async fn comments_filter_by_area_team_patch_and_officer() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let admin = app.token("admin", PASSWORD).await.unwrap();
        let (status, all) = app.get_json("/api/v1/feedback/results?months=36", &admin).await;
        assert_eq!(status, StatusCode::OK, "{all}");
        let since = all["since"].as_str().unwrap().to_string();
        let filters = &all["filters"];
        // SQL's own count of the comments a filter should list (the list stops at 200).
        let count = |column: &'static str, id: i64| {
            let (db, since) = (app.db.clone(), since.clone());
            async move {
                scalar(&db, &format!("SELECT COUNT(*) FROM feedback_responses WHERE {column} = {id} AND comment <> '' AND submitted_at >= '{since}'"))
                    .await
                    .min(200)
            }
        };
        for (param, column, field, key) in
            [("area", "area_team_id", "area", "areas"), ("patch", "patch_id", "patch", "patches"), ("officer", "officer_id", "officer", "officers")]
        {
            let options = filters[key].as_array().unwrap();
            assert!(!options.is_empty(), "{key} to choose from");
            let mut seen = 0;
            for o in options.iter().take(3) {
                let (id, name) = (o[0].as_i64().unwrap(), o[1].as_str().unwrap());
                let (status, v) = app.get_json(&format!("/api/v1/feedback/results?months=36&{param}={id}"), &admin).await;
                assert_eq!(status, StatusCode::OK);
                let comments = v["comments"].as_array().unwrap();
                assert!(comments.iter().all(|c| c[field] == name), "{param}={id}: every comment is about {name}");
                assert_eq!(comments.len() as i64, count(column, id).await, "{param}={id}");
                seen += comments.len();
            }
            assert!(seen > 0, "some {key} have comments");
        }
        // Filters combine with each other and with words; an empty choice (0) filters nothing.
        let area = filters["areas"][0][0].as_i64().unwrap();
        let (_, v) = app.get_json(&format!("/api/v1/feedback/results?months=36&area={area}&patch=0&officer=0"), &admin).await;
        assert_eq!(v["comments"].as_array().unwrap().len() as i64, count("area_team_id", area).await);
        let word = "the";
        let (_, v) = app.get_json(&format!("/api/v1/feedback/results?months=36&area={area}&q={word}"), &admin).await;
        let expected = scalar(&app.db, &format!("SELECT COUNT(*) FROM feedback_responses WHERE area_team_id = {area} AND comment <> '' AND LOWER(comment) LIKE '%{word}%' AND submitted_at >= '{since}'")).await.min(200);
        assert_eq!(v["comments"].as_array().unwrap().len() as i64, expected);
        // A filter never widens what someone may read: East's Team Leader asking for West sees nothing.
        let west = scalar(&app.db, "SELECT id FROM area_teams WHERE name = 'West'").await;
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let (_, v) = app.get_json(&format!("/api/v1/feedback/results?months=36&area={west}"), &tl).await;
        assert_eq!(v["comments"].as_array().unwrap().len(), 0);
        assert!(v["filters"]["areas"].as_array().unwrap().iter().all(|a| a[1] == "East"), "only their own area is offered");
        // The page: a GET form (works without JavaScript) with the choice kept.
        let cookie = app.sign_in("tl.east", PASSWORD).await.unwrap();
        let patch = v["filters"]["patches"][0][0].as_i64().unwrap();
        let page = body_text(app.get(&format!("/satisfaction?patch={patch}"), Some(&cookie)).await).await;
        assert!(page.contains(r#"data-testid="comment-filters""#) && page.contains(r#"name="officer""#), "the comment filters are on the page");
        assert!(page.contains(&format!(r#"<option value="{patch}" selected"#)), "the chosen patch stays chosen");
    }
}

/// The Complaint Handling Code 2024 end to end: a complaint opened from a tenant's comment is
/// acknowledged (5.4), answered (5.6) with one extension told to the resident (5.8), escalated,
/// and considered at stage 2 by someone other than the stage 1 handler (6.7); each step out of
/// order is refused; CH01 and CH02 count it per stage.
#[tokio::test]
async fn a_complaint_moves_through_both_stages_by_the_code() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let id = scalar(&app.db, "SELECT MIN(r.id) FROM feedback_responses r JOIN area_teams a ON a.id = r.area_team_id WHERE a.name = 'East' AND r.comment <> '' AND r.respondent_kind = 'tenant'").await;
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let (status, v) = app.json("POST", &format!("/api/v1/feedback/responses/{id}/case"), &tl, serde_json::json!({"kind": "complaint"})).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let reference = v["reference"].as_str().unwrap().to_string();
        let case = format!("/api/v1/cases/{reference}");
        let steps = format!("{case}/complaint-steps");
        let before = app.get_json("/api/v1/complaints/measures", &app.token("admin", PASSWORD).await.unwrap()).await.1;
        let today = app::api::kit::clock::today().to_string();
        let (_, c) = app.get_json(&case, &tl).await;
        let written: chrono::DateTime<chrono::Utc> =
            text(&app.db, &format!("SELECT submitted_at FROM feedback_responses WHERE id = {id}")).await.parse().unwrap();
        assert_eq!(c["complaint"]["received_on"], app::domain::clock::london_date(written).to_string(), "the clock runs from when the tenant wrote");
        assert_eq!(c["complaint"]["next"], serde_json::json!(["acknowledged"]), "{c}");
        assert!(c["complaint"]["due"]["label"].as_str().unwrap().contains("5.4"), "{c}");
        let post = |body: serde_json::Value| {
            let (app, tl, steps) = (&app, tl.clone(), steps.clone());
            async move { app.json("POST", &steps, &tl, body).await }
        };
        // Answering before acknowledging is out of order.
        let (s, e) = post(serde_json::json!({"version": c["version"], "kind": "answered", "on": today, "detail": "Repairs booked for Monday"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert!(e["message"].as_str().unwrap().contains("Acknowledge"), "{e}");
        let (s, c) = post(serde_json::json!({"version": c["version"], "kind": "acknowledged", "on": today})).await;
        assert_eq!(s, StatusCode::OK, "{c}");
        assert!(c["complaint"]["due"]["label"].as_str().unwrap().contains("5.6"), "{c}");
        // An extension longer than the Code allows, or without its reason, is refused; one is allowed.
        let (s, e) = post(serde_json::json!({"version": c["version"], "kind": "extended", "on": today, "extension_days": 11, "detail": "Waiting for the contractor's report"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert!(e["message"].as_str().unwrap().contains("1 to 10"), "{e}");
        let (s, c) = post(serde_json::json!({"version": c["version"], "kind": "extended", "on": today, "extension_days": 10, "detail": "Waiting for the contractor's report"})).await;
        assert_eq!(s, StatusCode::OK, "{c}");
        let due = c["complaint"]["due"]["due"].as_str().unwrap().to_string();
        assert!(
            text(&app.db, &format!("SELECT due_at FROM cases WHERE reference = '{reference}'")).await.starts_with(&due),
            "the case's clock follows the complaint's"
        );
        let (s, c) = post(
            serde_json::json!({"version": c["version"], "kind": "answered", "on": today, "detail": "Upheld: the repair was late; £50 for the inconvenience"}),
        )
        .await;
        assert_eq!(s, StatusCode::OK, "{c}");
        // In time only if acknowledged within 5 working days of when the tenant wrote (the demo's comments are older).
        let cal = app::domain::clock::WorkingCalendar::england_and_wales();
        let ack_by = app::domain::clock::ComplaintStage::Stage1.acknowledge_by(app::domain::clock::london_date(written), cal);
        assert_eq!(c["complaint"]["stage1_in_time"], ack_by >= app::api::kit::clock::today(), "{c}");
        let (s, c) = post(serde_json::json!({"version": c["version"], "kind": "escalation_requested", "on": today, "detail": "Tenant wants the full cost of the damaged carpet"})).await;
        assert_eq!(s, StatusCode::OK, "{c}");
        assert_eq!(c["complaint"]["stage"], "stage2");
        // Code 6.7: the stage 1 handler may not consider stage 2 ...
        assert_eq!(c["complaint"]["next"], serde_json::json!([]), "{c}");
        let (s, e) = post(serde_json::json!({"version": c["version"], "kind": "acknowledged", "on": today})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert!(e["message"].as_str().unwrap().contains("6.7"), "{e}");
        // ... a peer Team Leader does; an officer of another area may not.
        let chmo_west = app.token("chmo.west1", PASSWORD).await.unwrap();
        assert!(
            app.json("POST", &steps, &chmo_west, serde_json::json!({"version": c["version"], "kind": "acknowledged", "on": today})).await.0.is_client_error()
        );
        let west = app.token("tl.west", PASSWORD).await.unwrap();
        let (s, c) = app.json("POST", &steps, &west, serde_json::json!({"version": c["version"], "kind": "acknowledged", "on": today})).await;
        assert_eq!(s, StatusCode::OK, "{c}");
        assert!(c["complaint"]["due"]["label"].as_str().unwrap().contains("6.13"), "{c}");
        let (s, c) = app
            .json(
                "POST",
                &steps,
                &west,
                serde_json::json!({"version": c["version"], "kind": "answered", "on": today, "detail": "Stage 2: carpet replaced at the council's cost"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{c}");
        assert_eq!(c["complaint"]["stage2_in_time"], true);
        assert_eq!(c["complaint"]["due"], serde_json::Value::Null);
        // A stale version is a conflict, and every step is audited.
        let (s, _) = app.json("POST", &steps, &west, serde_json::json!({"version": 1, "kind": "acknowledged", "on": today})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'record_complaint_step'").await, 6);
        // CH01 and CH02 count it, for the council: stage 2 received, answered and in time, once more.
        let admin = app.token("admin", PASSWORD).await.unwrap();
        let (s, m) = app.get_json("/api/v1/complaints/measures", &admin).await;
        assert_eq!(s, StatusCode::OK, "{m}");
        let counts = |m: &serde_json::Value| {
            (m["stage2"]["received"].as_u64().unwrap(), m["stage2"]["responded"].as_u64().unwrap(), m["stage2"]["within_timescales"].as_u64().unwrap())
        };
        assert_eq!(counts(&m), (counts(&before).0 + 1, counts(&before).1 + 1, counts(&before).2 + 1), "{before} -> {m}");
        assert!(m["stage1"]["responded"].as_u64().unwrap() > before["stage1"]["responded"].as_u64().unwrap(), "{m}");
        assert!(m["homes"].as_u64().unwrap() > 0);
    }
}

/// Every council-specific word on the public pages (the form, its privacy notice and how to
/// complain, the thanks and not-found pages, the accessibility statement) is the configuration
/// file's: York's words with York's file, a second council's with its file, and no code between.
#[tokio::test]
async fn a_second_councils_file_changes_every_council_word_on_the_public_pages() {
    const YORK: [&str; 5] = ["York", "01904", "Efrog", "Housing Services", "Gwasanaethau Tai"];
    async fn public_pages(app: &TestApp) -> Vec<(String, String)> {
        let token = token_of(&app.db, 3).await;
        let mut pages = Vec::new();
        for path in [
            format!("/feedback/{token}"),
            format!("/feedback/{token}?lang=cy"),
            format!("/feedback/{token}/thanks"),
            format!("/feedback/{token}/thanks?lang=cy"),
            "/feedback/NoSuchLinkToken000000".to_string(),
            "/feedback/NoSuchLinkToken000000?lang=cy".to_string(),
            "/accessibility".to_string(),
        ] {
            pages.push((path.clone(), body_text(app.get(&path, None).await).await));
        }
        pages
    }
    // York's file: York's words, so the test below can tell them apart.
    let york = TestApp::new(Engine::Sqlite).await;
    let pages = public_pages(&york).await;
    assert!(pages.iter().all(|(_, p)| p.contains("City of York Council") || p.contains("Cyngor Dinas Efrog")));
    let (_, form) = &pages[0];
    assert!(
        form.contains("West Offices, Station Rise")
            && form.contains("public task (UK GDPR Article 6(1)(e))")
            && form.contains("call Housing Services on 01904 551550")
    );
    assert!(pages[3].1.contains("ffoniwch y Gwasanaethau Tai ar 01904 551550"), "Welsh words from the file's [council.languages.cy]");
    assert!(pages[6].1.contains("last reviewed on 7 December 2026"));

    // Fenwick's file (invented): none of York's words anywhere, Fenwick's everywhere.
    let fenwick = common::council_file("config/examples/fenwick.toml");
    let app = TestApp::configured(Engine::Sqlite, |s| s.council = fenwick.council.clone()).await;
    let pages = public_pages(&app).await;
    for (path, page) in &pages {
        for word in YORK {
            assert!(!page.contains(word), "{path} still says {word:?}");
        }
        assert!(page.contains("Fenwick Borough Council"), "{path} names the council");
    }
    let (_, form) = &pages[0];
    assert!(form.contains("Fenwick Borough Council uses what you tell us here"), "the privacy notice is the file's");
    assert!(form.contains("speak to anyone in the Homes and Neighbourhoods Team, phone 01632 960123"), "how to complain is the file's");
    assert!(form.contains("contacting our Data Protection Officer at dpo@fenwick.example"), "the data protection officer is the file's");
    assert!(pages[2].1.contains("call the Homes and Neighbourhoods Team on 01632 960123"), "thanks");
    assert!(pages[4].1.contains("call the Homes and Neighbourhoods Team on 01632 960123"), "not found");
    assert!(
        pages[5].1.contains("ffoniwch the Homes and Neighbourhoods Team ar 01632 960123"),
        "a language the council gives no words in has its English words"
    );
    let statement = &pages[6].1;
    assert!(
        statement.contains("Hearth, Fenwick Borough Council&#x27;s housing management service")
            || statement.contains("Hearth, Fenwick Borough Council's housing"),
        "{statement}"
    );
    assert!(statement.contains("email homes@fenwick.example") && statement.contains("write to Fenwick Civic Centre, Market Street"));
}
