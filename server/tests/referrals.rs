//! Referrals to partner agencies through the real router and a seeded database (SQLite, and
//! PostgreSQL when HEARTH_TEST_POSTGRES is set): the lifecycle, need-to-know referrals with audited
//! views, agency tokens, and a randomised probe that no request returns what it should not.

mod common;

use std::collections::{HashMap, HashSet};

use axum::http::StatusCode;
use common::*;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};

async fn agency_id(db: &hearth::db::Db, kind: &str) -> i64 {
    scalar(db, &format!("SELECT id FROM agencies WHERE kind = '{kind}' ORDER BY id LIMIT 1")).await
}

async fn tenancy_of(db: &hearth::db::Db, username: &str) -> String {
    text(db, &format!("SELECT t.reference FROM tenancies t JOIN users u ON u.id = t.owner_id WHERE u.username = '{username}' AND t.status = 'active' ORDER BY t.id LIMIT 1")).await
}

fn yesterday() -> String {
    (chrono::Utc::now().date_naive() - chrono::Days::new(1)).to_string()
}

fn referral(tenancy: &str, agency: i64, category: &str, fields: &[&str], send: bool) -> Value {
    let restricted = matches!(category, "marac" | "mappa" | "safeguarding");
    json!({
        "tenancy": tenancy, "agency_id": agency, "category": category, "urgency": "standard",
        "reason": "Needs an assessment to keep the tenancy going", "fields": fields,
        "lawful_basis": if restricted { "public_task" } else { "consent" },
        "consent_given_on": if restricted { String::new() } else { yesterday() },
        "basis_detail": if restricted { "MARAC: Crime and Disorder Act 1998 s.115" } else { "Verbally, at a home visit" },
        "contact_name": "Sam Officer", "contact_detail": "01904 551550", "send": send
    })
}

async fn tok(app: &TestApp, user: &str) -> String {
    app.token(user, PASSWORD).await.unwrap_or_else(|| panic!("token for {user}"))
}

#[tokio::test]
async fn an_officer_refers_and_the_agency_sees_only_what_was_shared() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let officer = tok(&app, "chmo.east1").await;
        let asc = tok(&app, "partner.asc").await;
        let police = tok(&app, "partner.police").await;
        let tenancy = tenancy_of(&app.db, "chmo.east1").await;
        let asc_id = agency_id(&app.db, "adult_social_care").await;

        // Bad input is explained and nothing is saved.
        let before = scalar(&app.db, "SELECT COUNT(*) FROM referrals").await;
        let mut bad = referral(&tenancy, asc_id, "support", &["name"], true);
        bad["consent_given_on"] = json!("");
        let (s, v) = app.json("POST", "/api/v1/referrals", &officer, bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains("date consent was given"), "{v}");
        let (s, v) = app.json("POST", "/api/v1/referrals", &officer, referral(&tenancy, asc_id, "support", &["name", "national_insurance"], true)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(v["message"].as_str().unwrap().contains("national_insurance"));
        assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM referrals").await, before);

        // Sent, sharing the name and address only.
        let (s, v) = app.json("POST", "/api/v1/referrals", &officer, referral(&tenancy, asc_id, "support", &["name", "address"], true)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let d = &v["detail"];
        let reference = d["reference"].as_str().unwrap().to_string();
        assert_eq!(d["status"], "sent");
        assert!(d["due_at"].as_str().is_some(), "the agency's response clock runs");
        assert_eq!(d["tenancy_reference"], tenancy.as_str());

        // The agency: the referral in its list, the shared fields only, nothing of the tenancy.
        let (s, list) = app.get_json("/api/v1/referrals", &asc).await;
        assert_eq!(s, StatusCode::OK);
        let row = list["rows"].as_array().unwrap().iter().find(|r| r["reference"] == reference.as_str()).expect("listed for the agency").clone();
        assert!(row["tenancy_reference"].is_null());
        let (s, p) = app.get_json(&format!("/api/v1/referrals/{reference}"), &asc).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        let shared = p["detail"]["shared"].as_object().unwrap();
        let keys: HashSet<&str> = shared.keys().map(String::as_str).collect();
        assert_eq!(keys, HashSet::from(["name", "address"]), "only the ticked fields");
        let raw = p.to_string();
        assert!(!raw.contains(&tenancy), "no tenancy reference reaches the agency");
        let dob = text(
            &app.db,
            &format!(
                "SELECT m.date_of_birth FROM household_members m JOIN tenancies t ON t.id = m.tenancy_id WHERE t.reference = '{tenancy}' ORDER BY m.id LIMIT 1"
            ),
        )
        .await;
        assert!(!raw.contains(&dob), "the date of birth was not shared");
        assert!(p["detail"]["area_team"].is_null() && p["detail"]["named"].as_array().unwrap().is_empty());
        // Every view by an agency user is audited.
        assert!(scalar(&app.db, &format!("SELECT COUNT(*) FROM audit_log a JOIN users u ON u.id = a.user_id WHERE u.username = 'partner.asc' AND a.action = 'view_referral' AND a.outcome = 'allowed' AND a.detail = '{reference}'")).await >= 1);

        // The police see nothing of it: not in their list, 404 on the guessed reference, and
        // officer-only routes refuse their token.
        let (_, plist) = app.get_json("/api/v1/referrals", &police).await;
        assert!(!plist.to_string().contains(&reference));
        let (s, v) = app.get_json(&format!("/api/v1/referrals/{reference}"), &police).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "{v}");
        for path in [
            format!("/api/v1/tenancies/{tenancy}"),
            "/api/v1/my-work".into(),
            "/api/v1/search?q=york".into(),
            "/api/v1/patches".into(),
            "/api/v1/approvals".into(),
        ] {
            let (s, _) = app.get_json(&path, &police).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{path}");
        }
        let (s, _) = app.json("POST", &format!("/api/v1/referrals/{reference}/moves"), &police, json!({"version": 1, "move": "accept"})).await;
        assert_eq!(s, StatusCode::NOT_FOUND, "nor can they move it");

        // Each side makes only its own moves; stale versions and wrong states are 409.
        let version = p["detail"]["version"].as_i64().unwrap();
        let (s, _) = app.json("POST", &format!("/api/v1/referrals/{reference}/moves"), &officer, json!({"version": version, "move": "accept"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "the council does not accept its own referral");
        let (s, _) =
            app.json("POST", &format!("/api/v1/referrals/{reference}/moves"), &asc, json!({"version": version, "move": "withdraw", "text": "x"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app.json("POST", &format!("/api/v1/referrals/{reference}/moves"), &asc, json!({"version": version - 1, "move": "accept"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "stale version");
        let (s, v) = app.json("POST", &format!("/api/v1/referrals/{reference}/moves"), &asc, json!({"version": version, "move": "accept"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["status"], "accepted");
        let (s, _) =
            app.json("POST", &format!("/api/v1/referrals/{reference}/moves"), &asc, json!({"version": version + 1, "move": "decline", "text": "no"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "accepted referrals cannot be declined");
        let (s, v) = app.json("POST", &format!("/api/v1/referrals/{reference}/messages"), &asc, json!({"body": "Assessment booked for Tuesday."})).await;
        assert_eq!(s, StatusCode::OK, "{v}");

        // The officer sees the update, and My work shows a reply waiting.
        let (_, mine) = app.get_json(&format!("/api/v1/referrals/{reference}"), &officer).await;
        assert!(mine["detail"]["messages"].as_array().unwrap().iter().any(|m| m["side"] == "agency" && m["body"] == "Assessment booked for Tuesday."));
        let (_, work) = app.get_json("/api/v1/my-work", &officer).await;
        assert!(
            work["referrals"].as_array().unwrap().iter().any(|r| r["reference"] == reference.as_str() && r["reply_waiting"] == true),
            "{}",
            work["referrals"]
        );
        let (s, _) = app.json("POST", &format!("/api/v1/referrals/{reference}/messages"), &officer, json!({"body": "Thank you, Tuesday suits."})).await;
        assert_eq!(s, StatusCode::OK);
        let (_, work) = app.get_json("/api/v1/my-work", &officer).await;
        assert!(!work["referrals"].as_array().unwrap().iter().any(|r| r["reference"] == reference.as_str()), "answered: no longer waiting");

        // Drafts never reach the agency.
        let (s, v) = app.json("POST", "/api/v1/referrals", &officer, referral(&tenancy, asc_id, "support", &["name"], false)).await;
        assert_eq!(s, StatusCode::OK);
        let draft = v["detail"]["reference"].as_str().unwrap().to_string();
        assert_eq!(v["detail"]["status"], "draft");
        let (s, _) = app.get_json(&format!("/api/v1/referrals/{draft}"), &asc).await;
        assert_eq!(s, StatusCode::NOT_FOUND);
        let v = app.get_json(&format!("/api/v1/referrals/{draft}"), &officer).await.1;
        let (s, v) = app.json("POST", &format!("/api/v1/referrals/{draft}/moves"), &officer, json!({"version": v["detail"]["version"], "move": "send"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, _) = app.get_json(&format!("/api/v1/referrals/{draft}"), &asc).await;
        assert_eq!(s, StatusCode::OK, "sent: now the agency sees it");
    }
}

/// The referral's state and version, as the officer sees it.
async fn state_of(app: &TestApp, token: &str, reference: &str) -> (String, i64) {
    let (s, v) = app.get_json(&format!("/api/v1/referrals/{reference}"), token).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    (v["detail"]["status"].as_str().unwrap().to_string(), v["detail"]["version"].as_i64().unwrap())
}

async fn my_work_referrals(app: &TestApp, token: &str) -> Vec<Value> {
    app.get_json("/api/v1/my-work", token).await.1["referrals"].as_array().unwrap().clone()
}

async fn move_ok(app: &TestApp, token: &str, reference: &str, mv: &str, text: &str) -> Value {
    let (_, version) = state_of(app, token, reference).await;
    let (s, v) = app.json("POST", &format!("/api/v1/referrals/{reference}/moves"), token, json!({"version": version, "move": mv, "text": text})).await;
    assert_eq!(s, StatusCode::OK, "{mv}: {v}");
    v
}

#[tokio::test]
async fn the_agency_answers_declines_and_closes_and_the_officer_hears_of_each() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let officer = tok(&app, "chmo.east1").await;
        let asc = tok(&app, "partner.asc").await;
        let tenancy = tenancy_of(&app.db, "chmo.east1").await;
        let asc_id = agency_id(&app.db, "adult_social_care").await;
        let mut refs = Vec::new();
        for _ in 0..4 {
            let (s, v) = app.json("POST", "/api/v1/referrals", &officer, referral(&tenancy, asc_id, "support", &["name", "address"], true)).await;
            assert_eq!(s, StatusCode::OK, "{v}");
            refs.push(v["detail"]["reference"].as_str().unwrap().to_string());
        }
        let on_my_work = |rows: &Vec<Value>, r: &str| rows.iter().find(|x| x["reference"] == r).cloned();

        // A decline needs its reason; given one, it is recorded and the officer hears of it.
        let (_, version) = state_of(&app, &asc, &refs[0]).await;
        let (s, v) = app.json("POST", &format!("/api/v1/referrals/{}/moves", refs[0]), &asc, json!({"version": version, "move": "decline"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().starts_with("Give the"), "{v}");
        let v = move_ok(&app, &asc, &refs[0], "decline", "Not eligible: signposted to the community support team").await;
        assert_eq!(v["status"], "declined");
        assert_eq!(v["decline_reason"], "Not eligible: signposted to the community support team");
        assert!(v["moves"].as_array().unwrap().is_empty() && v["can_post"] == false, "a declined referral is finished: {v}");

        // Accepted, started, closed with an outcome.
        move_ok(&app, &asc, &refs[1], "accept", "").await;
        move_ok(&app, &asc, &refs[1], "start", "").await;
        let (_, version) = state_of(&app, &asc, &refs[1]).await;
        let (s, _) = app.json("POST", &format!("/api/v1/referrals/{}/moves", refs[1]), &asc, json!({"version": version, "move": "close", "text": " "})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "closing needs an outcome");
        let v = move_ok(&app, &asc, &refs[1], "close", "Care package in place from Monday").await;
        assert_eq!((v["status"].as_str(), v["outcome"].as_str()), (Some("closed"), Some("Care package in place from Monday")));
        assert!(v["closed_at"].is_string());

        // The officer withdraws one: it closes with the reason, and is not news to them.
        let v = move_ok(&app, &officer, &refs[2], "withdraw", "Tenant moved in with family").await;
        assert_eq!(v["status"], "closed");

        // One answer is overdue: both sides see it.
        sqlx::query::<sqlx::Any>(&format!("UPDATE referrals SET due_at = '2020-01-06T17:00:00Z' WHERE reference = '{}'", refs[3]))
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (_, agency_list) = app.get_json("/api/v1/referrals", &asc).await;
        let row = agency_list["rows"].as_array().unwrap().iter().find(|r| r["reference"] == refs[3].as_str()).unwrap().clone();
        assert_eq!(row["clock"], "overdue", "{row}");
        assert!(agency_list["overdue"].as_i64().unwrap() >= 1);
        // ...and the agency's list puts it first, though newer referrals were sent after it.
        assert_eq!(agency_list["rows"][0]["clock"], "overdue", "overdue answers head the list: {}", agency_list["rows"][0]);
        let rank = |r: &serde_json::Value| match r["clock"].as_str() {
            Some("overdue") => 0,
            Some("due_soon") => 1,
            Some("on_time") => 2,
            _ => 3,
        };
        let ranks: Vec<i32> = agency_list["rows"].as_array().unwrap().iter().map(rank).collect();
        assert!(ranks.windows(2).all(|w| w[0] <= w[1]), "most urgent first: {ranks:?}");

        let rows = my_work_referrals(&app, &officer).await;
        assert_eq!(on_my_work(&rows, &refs[0]).map(|r| r["status"].clone()), Some(json!("declined")), "the decline is on My work");
        assert_eq!(on_my_work(&rows, &refs[1]).map(|r| r["status"].clone()), Some(json!("closed")), "the agency's closure is on My work");
        assert!(on_my_work(&rows, &refs[2]).is_none(), "their own withdrawal is not");
        assert_eq!(on_my_work(&rows, &refs[3]).map(|r| r["clock"].clone()), Some(json!("overdue")), "the overdue answer is");

        // A decline stays on My work for its window, then leaves it.
        let old = (chrono::Utc::now() - chrono::Duration::days(app::domain::referral::ENDED_SHOWN_DAYS + 1)).format("%Y-%m-%dT%H:%M:%SZ");
        sqlx::query::<sqlx::Any>(&format!("UPDATE referrals SET closed_at = '{old}' WHERE reference = '{}'", refs[0])).execute(&app.db.pool).await.unwrap();
        assert!(on_my_work(&my_work_referrals(&app, &officer).await, &refs[0]).is_none(), "an old decline has left My work");

        // The Team Leader sees the area's referrals by agency and by state; the tenancy lists its own.
        let tl = tok(&app, "tl.east").await;
        let (s, by_agency) = app.get_json(&format!("/api/v1/referrals?agency={asc_id}"), &tl).await;
        assert_eq!(s, StatusCode::OK);
        let listed: Vec<&Value> = by_agency["rows"].as_array().unwrap().iter().collect();
        assert!(refs.iter().all(|r| listed.iter().any(|x| x["reference"] == r.as_str())), "all four listed for the agency");
        assert!(listed.iter().all(|x| x["agency"] == by_agency["rows"][0]["agency"]), "one agency only");
        let (_, declined) = app.get_json("/api/v1/referrals?status=declined", &tl).await;
        assert!(declined["rows"].as_array().unwrap().iter().all(|x| x["status"] == "declined"));
        assert!(declined["rows"].as_array().unwrap().iter().any(|x| x["reference"] == refs[0].as_str()));
        let (_, of_tenancy) = app.get_json(&format!("/api/v1/referrals?tenancy={tenancy}"), &officer).await;
        assert!(of_tenancy["rows"].as_array().unwrap().iter().all(|x| x["tenancy_reference"] == tenancy.as_str()));
        assert!(refs.iter().all(|r| of_tenancy["rows"].as_array().unwrap().iter().any(|x| x["reference"] == r.as_str())));
    }
}

#[tokio::test]
async fn restricted_referrals_are_need_to_know_and_every_view_is_audited() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let referrer = tok(&app, "chmo.east1").await;
        let tenancy = tenancy_of(&app.db, "chmo.east1").await;
        let marac = agency_id(&app.db, "marac").await;
        let (s, v) = app.json("POST", "/api/v1/referrals", &referrer, referral(&tenancy, marac, "marac", &["name", "address", "household"], true)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let reference = v["detail"]["reference"].as_str().unwrap().to_string();
        assert_eq!(v["detail"]["restricted"], true);
        let id = scalar(&app.db, &format!("SELECT id FROM referrals WHERE reference = '{reference}'")).await;

        // A colleague in the same team, another area's Team Leader and the ASB team: refused, and audited.
        for user in ["ihmo.east1", "tl.west", "asb.hub"] {
            let t = tok(&app, user).await;
            let (s, v) = app.get_json(&format!("/api/v1/referrals/{reference}?reason=curious"), &t).await;
            assert_eq!(s, StatusCode::FORBIDDEN, "{user}: {v}");
            let (_, list) = app.get_json("/api/v1/referrals", &t).await;
            assert!(!list.to_string().contains(&reference), "{user} does not see it listed");
        }
        let denied =
            scalar(&app.db, &format!("SELECT COUNT(*) FROM audit_log WHERE subject_type = 'referral' AND subject_id = {id} AND outcome LIKE 'denied:%'")).await;
        assert_eq!(denied, 3);

        // The referrer's Team Leader must say why; the view is audited with the reason.
        let tl = tok(&app, "tl.east").await;
        let (s, p) = app.get_json(&format!("/api/v1/referrals/{reference}"), &tl).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(p["needs_reason"], true);
        assert!(p["detail"].is_null(), "nothing before a reason");
        let (s, p) = app.get_json(&format!("/api/v1/referrals/{reference}?reason=Supervision%20of%20the%20MARAC%20case"), &tl).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(p["detail"]["reason"], "Needs an assessment to keep the tenancy going");
        let audited = text(&app.db, &format!("SELECT reason FROM audit_log WHERE subject_type = 'referral' AND subject_id = {id} AND action = 'view_referral' AND outcome = 'allowed' AND username = 'tl.east'")).await;
        assert_eq!(audited, "Supervision of the MARAC case");
        // The administrator's access report shows it; officers cannot read the report.
        let admin = tok(&app, "admin").await;
        let (s, trail) = app.get_json(&format!("/api/v1/admin/audit?subject_type=referral&reference={reference}"), &admin).await;
        assert_eq!(s, StatusCode::OK, "{trail}");
        assert!(trail.as_array().unwrap().iter().any(|r| r["username"] == "tl.east" && r["reason"] == "Supervision of the MARAC case"));
        assert!(trail.as_array().unwrap().iter().filter(|r| r["outcome"].as_str().unwrap().starts_with("denied")).count() == 3);
        let (s, _) = app.get_json(&format!("/api/v1/admin/audit?subject_type=referral&reference={reference}"), &tl).await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        // Lists never say who a restricted referral concerns; the referral itself does, once asked why.
        let (_, list) = app.get_json("/api/v1/referrals", &referrer).await;
        let row = list["rows"].as_array().unwrap().iter().find(|r| r["reference"] == reference.as_str()).expect("the referrer lists it").clone();
        assert_eq!(row["about"], app::domain::referral::RESTRICTED_ABOUT, "{row}");

        // Every change asks why, like a view: without a reason nothing changes.
        let grants = format!("SELECT COUNT(*) FROM access_grants WHERE subject_type = 'referral' AND subject_id = {id}");
        let (s, v) = app.json("POST", &format!("/api/v1/referrals/{reference}/access"), &referrer, json!({"username": "ihmo.east1"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains("say why you are changing it"), "{v}");
        assert_eq!(scalar(&app.db, &grants).await, 0, "no one named without a reason");
        // Naming a colleague lets them see it (with a reason), but not act on it.
        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/referrals/{reference}/access"),
                &referrer,
                json!({"username": "ihmo.east1", "access_reason": "Ian covers the visit on Friday"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(scalar(&app.db, &grants).await, 1);
        let why =
            text(&app.db, &format!("SELECT reason FROM audit_log WHERE subject_type = 'referral' AND subject_id = {id} AND action = 'referral_name_person'"))
                .await;
        assert_eq!(why, "Ian covers the visit on Friday");
        let named = tok(&app, "ihmo.east1").await;
        let (s, p) = app.get_json(&format!("/api/v1/referrals/{reference}?reason=Covering%20the%20visit"), &named).await;
        assert_eq!(s, StatusCode::OK);
        assert!(p["detail"]["moves"].as_array().unwrap().is_empty());
        let (s, _) =
            app.json("POST", &format!("/api/v1/referrals/{reference}/messages"), &named, json!({"body": "hello", "access_reason": "Just saying hello"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Agency users cannot be named; the MARAC coordinator also gives a reason.
        let (s, _) = app.json("POST", &format!("/api/v1/referrals/{reference}/access"), &referrer, json!({"username": "partner.police"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let coordinator = tok(&app, "partner.marac").await;
        let (_, p) = app.get_json(&format!("/api/v1/referrals/{reference}"), &coordinator).await;
        assert_eq!(p["needs_reason"], true);
        let (_, list) = app.get_json("/api/v1/referrals", &coordinator).await;
        let row = list["rows"].as_array().unwrap().iter().find(|r| r["reference"] == reference.as_str()).expect("the agency lists it").clone();
        assert_eq!(row["about"], app::domain::referral::RESTRICTED_ABOUT, "the agency's list hides the shared name too: {row}");
        // Accepting and writing need a reason too: refused without one, nothing changes.
        let messages = format!("SELECT COUNT(*) FROM referral_messages WHERE referral_id = {id}");
        let before = scalar(&app.db, &messages).await;
        let (s, v) = app.json("POST", &format!("/api/v1/referrals/{reference}/moves"), &coordinator, json!({"version": 1, "move": "accept"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let (s, v) = app.json("POST", &format!("/api/v1/referrals/{reference}/messages"), &coordinator, json!({"body": "On the agenda for Thursday."})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert_eq!(scalar(&app.db, &messages).await, before, "nothing written without a reason");
        assert_eq!(text(&app.db, &format!("SELECT status FROM referrals WHERE id = {id}")).await, "sent");
        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/referrals/{reference}/moves"),
                &coordinator,
                json!({"version": 1, "move": "accept", "access_reason": "Listing for Thursday's MARAC"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/referrals/{reference}/messages"),
                &coordinator,
                json!({"body": "On the agenda for Thursday.", "access_reason": "Listing for Thursday's MARAC"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let reasons = format!(
            "SELECT COUNT(*) FROM audit_log WHERE subject_type = 'referral' AND subject_id = {id} AND username = 'partner.marac' AND action IN ('referral_accept', 'referral_message') AND reason = 'Listing for Thursday''s MARAC'"
        );
        assert_eq!(scalar(&app.db, &reasons).await, 2, "each change audited with its why");
        let changes = scalar(
            &app.db,
            &format!(
                "SELECT COUNT(*) FROM audit_log WHERE subject_type = 'referral' AND subject_id = {id} AND action IN ('send_referral', 'referral_name_person')"
            ),
        )
        .await;
        assert_eq!(changes, 2, "making it and naming someone are audited");
    }
}

#[tokio::test]
async fn administrators_register_agencies_and_issue_tokens_that_reach_only_their_agency() {
    let app = TestApp::new(Engine::Sqlite).await;
    let admin = tok(&app, "admin").await;
    let officer = tok(&app, "chmo.east1").await;
    let (s, _) = app.json("POST", "/api/v1/admin/agencies", &officer, json!({"name": "X", "kind": "police"})).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "officers do not manage agencies");
    let (s, v) = app.json("POST", "/api/v1/admin/agencies", &admin, json!({"name": "Age UK York", "kind": "charity"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["message"].as_str().unwrap().contains("adult_social_care"), "lists the kinds");
    let (s, v) =
        app.json("POST", "/api/v1/admin/agencies", &admin, json!({"name": "Age UK York", "kind": "adult_social_care", "team": "Hospital discharge"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let id = v["agencies"].as_array().unwrap().iter().find(|a| a["name"] == "Age UK York").unwrap()["id"].as_i64().unwrap();
    let (s, v) = app
        .json("POST", &format!("/api/v1/admin/agencies/{id}/users"), &admin, json!({"username": "ageuk.1", "display_name": "Pat", "password": "short"}))
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["message"].as_str().unwrap().contains("12 characters"));
    let (s, _) = app
        .json(
            "POST",
            &format!("/api/v1/admin/agencies/{id}/users"),
            &admin,
            json!({"username": "ageuk.1", "display_name": "Pat Jones", "password": "a long passphrase"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK);
    assert!(app.sign_in("ageuk.1", "a long passphrase").await.is_some(), "the new agency user signs in");
    // A referral to the new agency, and a token for its system.
    let tenancy = tenancy_of(&app.db, "chmo.east1").await;
    let (_, v) = app.json("POST", "/api/v1/referrals", &officer, referral(&tenancy, id, "support", &["name"], true)).await;
    let reference = v["detail"]["reference"].as_str().unwrap().to_string();
    let (s, _) = app.json("POST", "/api/v1/admin/tokens", &admin, json!({"username": "chmo.east1", "name": "x", "days": 30})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "integration tokens are for agency users");
    let (s, v) = app.json("POST", "/api/v1/admin/tokens", &admin, json!({"username": "ageuk.1", "name": "Case system", "days": 400})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
    let (s, v) = app.json("POST", "/api/v1/admin/tokens", &admin, json!({"username": "ageuk.1", "name": "Case system", "days": 90})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let token = v["token"].as_str().unwrap().to_string();
    let token_id = v["id"].as_i64().unwrap();
    let (s, list) = app.get_json("/api/v1/referrals", &token).await;
    assert_eq!(s, StatusCode::OK);
    let refs: Vec<&str> = list["rows"].as_array().unwrap().iter().map(|r| r["reference"].as_str().unwrap()).collect();
    assert_eq!(refs, vec![reference.as_str()], "exactly the agency's one referral");
    let (s, _) = app.get_json("/api/v1/my-work", &token).await;
    assert_eq!(s, StatusCode::FORBIDDEN, "a partner token on an officer route");
    let (s, _) = app.json("POST", &format!("/api/v1/referrals/{reference}/moves"), &token, json!({"version": 1, "move": "accept"})).await;
    assert_eq!(s, StatusCode::OK, "the agency's system accepts through the API");
    let (s, _) = app.json("DELETE", &format!("/api/v1/admin/tokens/{token_id}"), &admin, json!({})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, _) = app.get_json("/api/v1/referrals", &token).await;
    assert_eq!(s, StatusCode::UNAUTHORIZED, "revoked: refused at once");
    // The OpenAPI document describes the referral and admin routes.
    let (_, doc) = app.get_json("/api/v1/openapi.json", &admin).await;
    for path in ["/api/v1/referrals", "/api/v1/referrals/{reference}/moves", "/api/v1/admin/tokens"] {
        assert!(doc["paths"].get(path).is_some(), "{path} documented");
    }
}

/// Who may see a referral, restated independently of `domain::referral` (the oracle the probe
/// checks the server against).
struct Facts {
    agency: i64,
    draft: bool,
    area: i64,
    referrer: i64,
    restricted: bool,
    named: HashSet<i64>,
    fields: Vec<&'static str>,
    reason: String,
}

#[derive(Clone)]
struct User {
    id: i64,
    name: String,
    role: String,
    area: Option<i64>,
    agency: Option<i64>,
    token: String,
}

fn oracle(u: &User, r: &Facts) -> bool {
    match u.role.as_str() {
        "partner" => u.agency == Some(r.agency) && !r.draft,
        "admin" => false,
        role => {
            let owns = u.id == r.referrer;
            let named = r.named.contains(&u.id);
            if r.restricted {
                owns || named || (role == "team_leader" && u.area == Some(r.area))
            } else {
                owns || named || u.area == Some(r.area) || matches!(role, "asb_officer" | "legal")
            }
        }
    }
}

/// The unique reason the probe writes on its `n`th referral, so a page showing the wrong
/// referral (even one the viewer may see) is caught.
fn probe_reason(n: usize) -> String {
    format!("Needs an assessment, probe case {n:03}, to keep the tenancy going")
}

// The engines are probed side by side: each probe is one request at a time, so two threads
// halve the wall time (PostgreSQL's share of the work is in its own server process).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_request_returns_a_referral_it_should_not() {
    let mut probes = tokio::task::JoinSet::new();
    for engine in engines() {
        probes.spawn(probe(engine));
    }
    let mut total = 0;
    while let Some(done) = probes.join_next().await {
        total += done.unwrap_or_else(|e| std::panic::resume_unwind(e.into_panic()));
    }
    println!("referral authorisation probes on every engine: {total}");
}

async fn probe(engine: Engine) -> usize {
    let app = TestApp::new(engine).await;
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(2026);
    let admin = tok(&app, "admin").await;
    const FIELDS: [&str; 8] = ["name", "address", "contact", "date_of_birth", "household", "alerts", "rent", "tenure"];
    const CATEGORIES: [&str; 6] = ["support", "crime", "financial", "marac", "safeguarding", "mappa"];
    const WHY: &str = "Probe: checking the referral";

    // Random agencies, each with random users, beside the demo's nine.
    for a in 0..6 {
        let kind = ["police", "adult_social_care", "mental_health", "fire", "marac", "mediation"][a];
        let (s, v) = app.json("POST", "/api/v1/admin/agencies", &admin, json!({"name": format!("Probe agency {a}"), "kind": kind})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let id = v["agencies"].as_array().unwrap().iter().find(|x| x["name"] == format!("Probe agency {a}").as_str()).unwrap()["id"].as_i64().unwrap();
        for n in 0..rng.random_range(1..=3) {
            let (s, _) = app
                .json(
                    "POST",
                    &format!("/api/v1/admin/agencies/{id}/users"),
                    &admin,
                    json!({"username": format!("probe{a}.{n}"), "display_name": format!("Probe {a}.{n}"), "password": "probe passphrase 1"}),
                )
                .await;
            assert_eq!(s, StatusCode::OK);
        }
    }
    // Everyone who can sign in: officers of every role, every agency's users, the administrator.
    let rows = sqlx::query::<sqlx::Any>("SELECT id, username, role, area_team_id, agency_id FROM users WHERE active = 1 ORDER BY id")
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
    let mut users = Vec::new();
    for r in &rows {
        use sqlx::Row;
        let name: String = r.get("username");
        let password = if name.starts_with("probe") { "probe passphrase 1" } else { PASSWORD };
        let Some(token) = app.token(&name, password).await else { continue };
        users.push(User { id: r.get("id"), name, role: r.get("role"), area: r.get("area_team_id"), agency: r.get("agency_id"), token });
    }
    let officers: Vec<User> =
        users.iter().filter(|u| matches!(u.role.as_str(), "community_hmo" | "introductory_hmo" | "sustainable_hmo" | "team_leader")).cloned().collect();
    let agencies: Vec<i64> = sqlx::query_scalar::<sqlx::Any, i64>("SELECT id FROM agencies").fetch_all(&app.db.pool).await.unwrap();

    // Random referrals by random officers about tenancies they hold, to random agencies, then
    // moved by the agency into every state: sent, accepted, in progress, declined, closed.
    let mut facts: HashMap<String, Facts> = HashMap::new();
    let mut states: HashMap<String, usize> = HashMap::new();
    for n in 0..72 {
        let by = officers.choose(&mut rng).unwrap();
        let tenancy = sqlx::query_scalar::<sqlx::Any, String>(&format!("SELECT t.reference FROM tenancies t JOIN properties p ON p.id = t.property_id WHERE t.status = 'active' AND p.area_team_id = {} ORDER BY t.id LIMIT 1 OFFSET {}", by.area.unwrap(), rng.random_range(0..50)))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let agency = *agencies.choose(&mut rng).unwrap();
        let category = *CATEGORIES.choose(&mut rng).unwrap();
        let fields: Vec<&'static str> = FIELDS.iter().copied().filter(|_| rng.random_bool(0.5)).collect();
        let fields = if fields.is_empty() { vec!["address"] } else { fields };
        let send = rng.random_bool(0.85);
        let mut body = referral(&tenancy, agency, category, &fields, send);
        body["reason"] = json!(probe_reason(n));
        let (s, v) = app.json("POST", "/api/v1/referrals", &by.token, body).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let reference = v["detail"]["reference"].as_str().unwrap().to_string();
        let restricted = v["detail"]["restricted"] == true;
        let area = sqlx::query_scalar::<sqlx::Any, i64>(&format!("SELECT area_team_id FROM referrals WHERE reference = '{reference}'"))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let mut named = HashSet::new();
        if restricted && rng.random_bool(0.3) {
            let who = officers.choose(&mut rng).unwrap();
            let (s, _) = app
                .json(
                    "POST",
                    &format!("/api/v1/referrals/{reference}/access"),
                    &by.token,
                    json!({"username": who.name, "access_reason": "Probe: needs to know"}),
                )
                .await;
            assert_eq!(s, StatusCode::OK);
            named.insert(who.id);
        }
        if send {
            let agent = users.iter().find(|u| u.agency == Some(agency)).expect("every agency has a user");
            let path: &[(&str, &str)] = match rng.random_range(0..5) {
                0 => &[],
                1 => &[("accept", "")],
                2 => &[("accept", ""), ("start", "")],
                3 => &[("decline", "Outside our criteria")],
                _ => &[("accept", ""), ("close", "Support in place")],
            };
            for (version, (mv, text)) in path.iter().enumerate() {
                let (s, v) = app
                    .json(
                        "POST",
                        &format!("/api/v1/referrals/{reference}/moves"),
                        &agent.token,
                        json!({"version": version as i64 + 1, "move": mv, "text": text, "access_reason": WHY}),
                    )
                    .await;
                assert_eq!(s, StatusCode::OK, "{mv}: {v}");
            }
        }
        let state = text(&app.db, &format!("SELECT status FROM referrals WHERE reference = '{reference}'")).await;
        *states.entry(state).or_default() += 1;
        facts.insert(reference, Facts { agency, draft: !send, area, referrer: by.id, restricted, named, fields, reason: probe_reason(n) });
    }
    assert_eq!(states.len(), 6, "every state is probed: {states:?}");

    let mut probes = 0usize;
    let mut leaks = Vec::new();
    for u in &users {
        // Lists: only referrals the oracle allows, and for agencies only their own, sent.
        let (s, list) = app.get_json("/api/v1/referrals", &u.token).await;
        probes += 1;
        if s == StatusCode::OK {
            for row in list["rows"].as_array().unwrap() {
                let r = row["reference"].as_str().unwrap();
                if let Some(f) = facts.get(r) {
                    if !oracle(u, f) {
                        leaks.push(format!("{} listed {r}", u.name));
                    }
                    if f.restricted && row["about"] != app::domain::referral::RESTRICTED_ABOUT {
                        leaks.push(format!("{} saw who restricted {r} concerns in a list", u.name));
                    }
                }
                if u.role == "partner" && !row["tenancy_reference"].is_null() {
                    leaks.push(format!("{} got a tenancy reference in the list", u.name));
                }
            }
        } else if u.role != "admin" {
            leaks.push(format!("{}: list answered {s}", u.name));
        }
        // Every referral by its reference, with a reason, through the API and through its page
        // (the bearer token works for pages too); and each action route.
        for (reference, f) in &facts {
            let allowed = oracle(u, f);
            let (s, v) = app.get_json(&format!("/api/v1/referrals/{reference}?reason=probe%20check"), &u.token).await;
            probes += 1;
            match (allowed, s) {
                (true, StatusCode::OK) => {
                    if v["detail"]["reason"] != f.reason.as_str() {
                        leaks.push(format!("{} asked for {reference} and got another referral", u.name));
                    }
                    if u.role == "partner" {
                        let shared: HashSet<String> = v["detail"]["shared"].as_object().unwrap().keys().cloned().collect();
                        let allowed_keys: HashSet<String> = f
                            .fields
                            .iter()
                            .flat_map(|k| match *k {
                                "contact" => vec!["phone".to_string(), "email".to_string()],
                                "rent" => vec!["rent_balance".to_string()],
                                other => vec![other.to_string()],
                            })
                            .collect();
                        if !shared.is_subset(&allowed_keys)
                            || !v["detail"]["tenancy_reference"].is_null()
                            || !v["detail"]["named"].as_array().unwrap().is_empty()
                        {
                            leaks.push(format!("{} saw unshared fields of {reference}: {shared:?}", u.name));
                        }
                    }
                }
                (false, StatusCode::FORBIDDEN | StatusCode::NOT_FOUND) => {
                    if v.to_string().contains("Needs an assessment") {
                        leaks.push(format!("{} refused {reference} but got its text", u.name));
                    }
                    if u.role == "partner" && s != StatusCode::NOT_FOUND {
                        leaks.push(format!("{} learned that {reference} exists ({s})", u.name));
                    }
                }
                (a, s) => leaks.push(format!("{} {reference}: allowed={a} but {s}", u.name)),
            }
            let page = body_text(app.get_bearer(&format!("/referrals/{reference}?reason=probe%20check"), &u.token).await).await;
            probes += 1;
            let shown = page.contains(&f.reason);
            if shown != allowed || (!allowed && page.contains("Needs an assessment")) {
                leaks.push(format!("{} page for {reference}: allowed={allowed}, shown={shown}", u.name));
            }
            if !allowed {
                for (path, body) in [
                    ("messages", json!({"body": "probe", "access_reason": WHY})),
                    ("moves", json!({"version": 1, "move": "accept", "access_reason": WHY})),
                    ("access", json!({"username": u.name, "access_reason": WHY})),
                ] {
                    let (s, _) = app.json("POST", &format!("/api/v1/referrals/{reference}/{path}"), &u.token, body).await;
                    probes += 1;
                    if s.is_success() {
                        leaks.push(format!("{} changed {reference} via {path}", u.name));
                    }
                }
            }
        }
    }

    // Every route a partner could try, found from the running app rather than listed by hand:
    // every server function registered, and every path and method in the OpenAPI document, with
    // real references and ids typed in. Only the referral routes answer; everything else is 403.
    let secret_tenancy = text(&app.db, "SELECT t.reference FROM tenancies t WHERE t.status = 'active' ORDER BY t.id LIMIT 1").await;
    let secret_case = text(&app.db, "SELECT reference FROM cases ORDER BY id LIMIT 1").await;
    let secret_property = text(&app.db, "SELECT reference FROM properties ORDER BY id LIMIT 1").await;
    let some_referral = facts.keys().next().unwrap().clone();
    let (_, doc) = app.get_json("/api/v1/openapi.json", &admin).await;
    let mut routes: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("OpenAPI paths") {
        for method in item.as_object().unwrap().keys().filter(|m| matches!(m.as_str(), "get" | "post" | "put" | "delete")) {
            let concrete = path
                .replace(
                    "{reference}",
                    if path.starts_with("/api/v1/referrals") {
                        &some_referral
                    } else if path.starts_with("/api/v1/cases") {
                        &secret_case
                    } else if path.starts_with("/api/v1/properties") {
                        &secret_property
                    } else {
                        &secret_tenancy
                    },
                )
                .replace("{id}", "1")
                .replace("{token}", "x");
            routes.push((method.to_uppercase(), concrete));
        }
    }
    assert!(routes.len() > 40, "the OpenAPI document lists the routes: {}", routes.len());
    let server_fns: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect();
    assert!(server_fns.len() > 30 && server_fns.iter().any(|p| p == "/fn/tenancy"), "server functions are registered: {server_fns:?}");
    let partners: Vec<&User> = users.iter().filter(|u| u.role == "partner").collect();
    for u in &partners {
        for (method, path) in &routes {
            if app::domain::access::partner_may_reach(path) {
                continue;
            }
            let body = if method == "GET" || method == "DELETE" { serde_json::Value::Null } else { json!({}) };
            let (s, v) = app.json(method, path, &u.token, body).await;
            probes += 1;
            if s != StatusCode::FORBIDDEN || v.to_string().contains(&secret_tenancy) {
                leaks.push(format!("{} {method} {path} answered {s}", u.name));
            }
        }
        // The referral functions themselves are probed above, referral by referral.
        for path in server_fns.iter().filter(|p| !app::domain::access::PARTNER_SERVER_FNS.contains(&p.as_str())) {
            let res = app
                .send(
                    axum::http::Request::post(path)
                        .header(axum::http::header::HOST, HOST)
                        .header(axum::http::header::AUTHORIZATION, format!("Bearer {}", u.token))
                        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(axum::body::Body::from(format!("reference={secret_tenancy}&tenancy={secret_tenancy}&q={secret_tenancy}&id=1")))
                        .unwrap(),
                )
                .await;
            probes += 1;
            let status = res.status();
            let body = body_text(res).await;
            if status != StatusCode::FORBIDDEN || body.contains(&secret_tenancy) {
                leaks.push(format!("{} called {path}: {status}", u.name));
            }
        }
    }

    // Pages and server functions with a browser session, as a signed-in agency user typing
    // references into the address bar: the page shows only their own agency's referrals, and any
    // other page sends them back to their referrals.
    for u in partners.iter().take(6) {
        let password = if u.name.starts_with("probe") { "probe passphrase 1" } else { PASSWORD };
        let cookie = app.sign_in(&u.name, password).await.expect("partner signs in");
        for (reference, f) in &facts {
            let res = app.get(&format!("/referrals/{reference}?reason=probe%20check"), Some(&cookie)).await;
            probes += 1;
            if body_text(res).await.contains(&f.reason) != oracle(u, f) {
                leaks.push(format!("{} page for {reference} wrong", u.name));
            }
            let res = app
                .send(
                    axum::http::Request::post("/fn/referral")
                        .header(axum::http::header::HOST, HOST)
                        .header(axum::http::header::ORIGIN, format!("http://{HOST}"))
                        .header(axum::http::header::COOKIE, &cookie)
                        .header(axum::http::header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                        .body(axum::body::Body::from(format!("reference={reference}&reason=probe+check")))
                        .unwrap(),
                )
                .await;
            probes += 1;
            if body_text(res).await.contains(&f.reason) != oracle(u, f) {
                leaks.push(format!("{} server function for {reference} wrong", u.name));
            }
        }
        for path in
            ["/", "/search?q=road", "/team", "/satisfaction", "/admin", &format!("/tenancies/{secret_tenancy}"), &format!("/cases/{secret_case}"), "/map"]
        {
            let res = app.get(path, Some(&cookie)).await;
            probes += 1;
            if res.headers().get("location").and_then(|l| l.to_str().ok()) != Some("/referrals") {
                leaks.push(format!("{} was not sent back from {path}", u.name));
            }
        }
    }
    println!(
        "referral authorisation probes ({}): {probes} over {} users, {} agencies, {} referrals in states {states:?}, {} API routes and {} server functions; leaks: {}",
        app.db.backend.name(),
        users.len(),
        agencies.len(),
        facts.len(),
        routes.len(),
        server_fns.len(),
        leaks.len()
    );
    assert!(leaks.is_empty(), "{} leaks, first: {:?}", leaks.len(), &leaks[..leaks.len().min(10)]);
    assert!(probes > 10_000, "{probes}");
    probes
}

#[tokio::test]
async fn a_referral_made_from_a_case_keeps_the_case() {
    let app = TestApp::new(Engine::Sqlite).await;
    let officer = tok(&app, "chmo.east1").await;
    let pick = "FROM cases c JOIN tenancies t ON t.id = c.tenancy_id JOIN users u ON u.id = c.owner_id WHERE u.username = 'chmo.east1' AND c.restricted = 0 AND c.status = 'open' ORDER BY c.id LIMIT 1";
    let case = text(&app.db, &format!("SELECT c.reference {pick}")).await;
    let tenancy = text(&app.db, &format!("SELECT t.reference {pick}")).await;
    let other = text(&app.db, &format!("SELECT t.reference FROM tenancies t JOIN users u ON u.id = t.owner_id WHERE u.username = 'chmo.east1' AND t.reference <> '{tenancy}' ORDER BY t.id LIMIT 1")).await;
    let asc = agency_id(&app.db, "adult_social_care").await;
    let mut body = referral(&other, asc, "support", &["name"], true);
    body["case"] = json!(case);
    let (s, v) = app.json("POST", "/api/v1/referrals", &officer, body).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "a case of another tenancy: {v}");
    assert!(v["message"].as_str().unwrap().contains("is not about tenancy"));
    let mut body = referral(&tenancy, asc, "support", &["name"], true);
    body["case"] = json!(case);
    let (s, v) = app.json("POST", "/api/v1/referrals", &officer, body).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["detail"]["case_reference"], case.as_str());
    // The agency never learns the council's case reference.
    let reference = v["detail"]["reference"].as_str().unwrap().to_string();
    let (_, p) = app.get_json(&format!("/api/v1/referrals/{reference}"), &tok(&app, "partner.asc").await).await;
    assert!(!p.to_string().contains(&case));
}
