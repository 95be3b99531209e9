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
        let form = [("TP01", "fairly_satisfied"), ("TP08", "agree"), ("HMO1", "very_satisfied"), ("comment", "Thank you for fixing the door"), ("reply", "no"), ("idempotency_key", key.as_str())];
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
    let res = post_form(&app, &token, "203.0.113.6", &[("TP01", "very_satisfied"), ("TP08", "very_satisfied"), ("comment", typed), ("reply", "yes"), ("contact_name", "Ann O'Neill"), ("contact_detail", "not-a-contact"), ("idempotency_key", "abcdefghijklmnop1234")]).await;
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
    let res = post_form(&app, &token, "203.0.113.6", &[("TP01", "very_satisfied"), ("website", "http://spam.example"), ("idempotency_key", "abcdefghijklmnop1236")]).await;
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
                    assert!(page.contains("your answers are still here") && page.contains(r#"value="very_dissatisfied" checked"#), "a limited form keeps its answers");
                }
            }
            s => panic!("unexpected {s}"),
        }
    }
    assert!(stored <= 10 && limited >= 190, "stored {stored}, limited {limited}");
    // Tenants elsewhere are unaffected.
    for n in 0..20 {
        let res = post_form(&app, &other, &format!("192.0.2.{}", n + 1), &[("TP01", "fairly_satisfied"), ("idempotency_key", &format!("legit-key-{n:06}-xxxxxxx"))]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    assert_eq!(responses(&app.db).await, before + stored + 20);
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
        let mut checked = 0;
        let mut rdr = csv::Reader::from_reader(csv.as_bytes());
        let h = rdr.headers().unwrap().clone();
        let tp01 = h.iter().position(|c| c == "Proportion of respondents who report that they are satisfied with the overall service provided by their landlord (TP01)").unwrap();
        for r in rdr.records() {
            let r = r.unwrap();
            if &r[2] != "LA" {
                continue;
            }
            let published: f64 = r[tp01].parse().unwrap();
            let l = all.iter().find(|l| l["code"] == r[1]).unwrap();
            let got = l["measures"].as_array().unwrap().iter().find(|m| m["measure"] == "TP01").unwrap()["percent"].as_f64().unwrap();
            assert!((got - published).abs() < 0.05 + 1e-9, "{} TP01: {got} vs {published}", &r[0]);
            checked += 1;
        }
        assert_eq!(checked, 158);
        // The other year (seeded) is there too; a year not imported is a clear 404.
        assert_eq!(app.get_json("/api/v1/benchmarks/tsm?year=2023-24", &admin).await.0, StatusCode::OK);
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
        assert!(!v["benchmark"].as_array().unwrap().is_empty(), "ranked among councils (2023/24 seeded)");
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
        assert!(body.starts_with("group_by,group,responses,measure,satisfied_percent"));
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
        // The East Team Leader opens a complaint: owned by the officer it is about, with its clock.
        let (status, v) = app.json("POST", &path, &tl, kind("complaint")).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        let reference = v["reference"].as_str().unwrap().to_string();
        let row = text(&app.db, &format!("SELECT c.kind || '|' || u.username || '|' || c.restricted || '|' || c.status FROM cases c JOIN users u ON u.id = c.owner_id WHERE c.reference = '{reference}'")).await;
        assert_eq!(row, format!("complaint|{officer}|0|open"));
        let due = text(&app.db, &format!("SELECT due_at FROM cases WHERE reference = '{reference}'")).await;
        let expected = app::domain::clock::WorkingCalendar::england_and_wales().add_working_days(app::api::service::today(), 10);
        assert!(due.starts_with(&expected.to_string()), "10 working days to respond: {due}");
        // Once only: again, or by the officer, is a clear conflict.
        let (status, v) = app.json("POST", &path, &tl, kind("safeguarding")).await;
        assert_eq!(status, StatusCode::CONFLICT);
        assert!(v["message"].as_str().unwrap().contains(&reference));
        // The comment shows its case; the officer sees the case on My work.
        let (_, res) = app.get_json("/api/v1/feedback/results?by=area", &tl).await;
        assert!(res["comments"].as_array().unwrap().iter().any(|c| c["id"] == id && c["case_reference"] == reference.as_str()));
        let owner = app.token(&officer, PASSWORD).await.unwrap();
        let (_, work) = app.get_json("/api/v1/my-work", &owner).await;
        assert!(work["cases"].as_array().unwrap().iter().any(|c| c["reference"] == reference.as_str()), "on the officer's list");
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
    let res = app.send(Request::get(format!("/feedback/{token}")).header(header::HOST, HOST).header(header::ACCEPT_LANGUAGE, "cy-GB, en;q=0.5").body(Body::empty()).unwrap()).await;
    assert!(body_text(res).await.contains("Anfon adborth"));
    let english = body_text(app.get(&format!("/feedback/{token}"), None).await).await;
    assert!(english.contains(r#"<html lang="en">"#) && english.contains("Send feedback"));
    // A mistake is explained in Welsh and keeps what was typed, in Welsh.
    let key = page.split("name=\"idempotency_key\" value=\"").nth(1).unwrap().split('"').next().unwrap().to_string();
    let res = post_form(&app, &token, "203.0.113.77", &[("lang", "cy"), ("TP01", "very_satisfied"), ("reply", "yes"), ("comment", "Diolch yn fawr"), ("idempotency_key", &key)]).await;
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
