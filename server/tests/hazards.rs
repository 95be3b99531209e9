//! Damp and mould under Awaab's Law (the Hazards in Social Housing (Prescribed Requirements)
//! (England) Regulations 2025, implied into tenancies by the Landlord and Tenant Act 1985 s.10A):
//! hazards found at visits or reported by hand, the ladder climbed in order against the version
//! seen, the clocks shown where officers and Team Leaders look, and worked only by those who may
//! record visits to the home. On SQLite, and on PostgreSQL when configured.

mod common;

use axum::http::StatusCode;
use chrono::{Days, NaiveTime};
use common::*;
use serde_json::{Value, json};

use app::api::kit::clock::today;
use app::domain::clock::{WorkingCalendar, london_at};

/// A home to record on (begun over a year ago, no hazard yet) and the people around it.
async fn subject(db: &hearth::db::Db) -> (String, String, String, String) {
    let w = worked_tenancy(db, "hazards", today() - Days::new(365)).await;
    (w.reference, w.holder, w.leader, w.other)
}

fn hazards(page: &Value) -> &Vec<Value> {
    page["hazards"].as_array().unwrap_or_else(|| panic!("no hazards in {page}"))
}

fn listed<'a>(list: &'a Value, reference: &str) -> Option<&'a Value> {
    list.as_array().unwrap().iter().find(|h| h["tenancy_reference"] == reference)
}

/// The Regulations: a damp and mould hazard is investigated within 10 working days of the
/// landlord becoming aware. Found at a visit, the council is aware at the door.
#[tokio::test]
async fn damp_and_mould_found_at_a_visit_starts_awaabs_clock_once_and_shows_where_officers_look() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, leader, _) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let tl = app.token(&leader, PASSWORD).await.unwrap();

        let yesterday = today() - Days::new(1);
        let visit = |key: &str, detail: &str| {
            json!({"kind": "home_check", "on": yesterday.to_string(), "at": "10:30", "outcome": "completed", "client_key": key,
                "findings": [{"kind": "damp_mould", "detail": detail}]})
        };
        let path = format!("/api/v1/tenancies/{reference}/visits");
        let (s, v) = app.json("POST", &path, &token, visit("damp-key-0001", "Black mould across the bedroom ceiling")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["follow_ups"][0]["within"], "2 working days", "referred like disrepair, Haringey's standard");
        let (s, again) = app.json("POST", &path, &token, visit("damp-key-0001", "Black mould across the bedroom ceiling")).await;
        assert_eq!((s, again["replayed"].as_bool()), (StatusCode::OK, Some(true)));
        let (s, _) = app.json("POST", &path, &token, visit("damp-key-0002", "Mould spreading to the hallway")).await;
        assert_eq!(s, StatusCode::OK);

        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        let hs = hazards(&page);
        assert_eq!(hs.len(), 1, "one hazard open at a time: {hs:?}");
        let h = &hs[0];
        assert!(h["detail"].as_str().unwrap().ends_with("Black mould across the bedroom ceiling"), "{h}");
        assert!(h["visit_id"].is_i64());
        assert_eq!(page["may_report_hazard"], false, "one is open");
        let aware = london_at(yesterday, NaiveTime::from_hms_opt(10, 30, 0).unwrap());
        let due = app::domain::hazard::INVESTIGATE.due(aware, WorkingCalendar::england_and_wales());
        assert_eq!(h["rungs"].as_array().unwrap().len(), 1);
        assert_eq!(h["rungs"][0]["step"], "investigated");
        assert_eq!(h["rungs"][0]["due_at"].as_str().unwrap(), due.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        assert!(["on_time", "due_soon"].contains(&h["rungs"][0]["clock"].as_str().unwrap()), "running, not overdue: {h}");
        assert_eq!(h["next"], json!(["investigated"]));

        // Where officers look: My work, the day; and the Team Leader's list with the officer's name.
        let (_, work) = app.get_json("/api/v1/my-work", &token).await;
        let mine = listed(&work["hazards"], &reference).unwrap_or_else(|| panic!("not on My work: {}", work["hazards"]));
        assert_eq!(mine["rungs"][0]["step"], "investigated");
        let (_, day) = app.get_json("/api/v1/my-day", &token).await;
        assert!(listed(&day["hazards"], &reference).is_some(), "{}", day["hazards"]);
        let (s, team) = app.get_json("/api/v1/hazards", &tl).await;
        assert_eq!(s, StatusCode::OK, "{team}");
        assert!(listed(&team["open"], &reference).unwrap()["officer"].is_string());
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM hazards h JOIN tenancies t ON t.id = h.tenancy_id WHERE t.reference = '{reference}'")).await, 1);
    }
}

/// The Regulations: a written summary within 3 working days of the investigation concluding (owed
/// whatever it found), and relevant safety work within 5 working days for a significant hazard.
#[tokio::test]
async fn the_ladder_is_climbed_in_order_against_the_version_seen_and_the_year_counts_late_steps() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, leader, _) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let tl = app.token(&leader, PASSWORD).await.unwrap();
        let (_, before) = app.get_json("/api/v1/hazards", &tl).await;

        // Reported by phone long enough ago that the investigation today is late.
        let cal = WorkingCalendar::england_and_wales();
        let mut aware_on = today();
        while cal.working_days_between(aware_on, today()).unwrap() < 14 {
            aware_on = aware_on - Days::new(1);
        }
        let report = format!("/api/v1/tenancies/{reference}/hazards");
        let (s, bad) = app.json("POST", &report, &token, json!({"detail": "Tenant rang: mould in the baby's room", "on": "2099-01-01", "at": "09:00"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{bad}");
        assert!(bad["message"].as_str().unwrap().contains("future"), "{bad}");
        let (s, h) =
            app.json("POST", &report, &token, json!({"detail": "Tenant rang: mould in the baby's room", "on": aware_on.to_string(), "at": "09:00"})).await;
        assert_eq!(s, StatusCode::CREATED, "{h}");
        assert_eq!(h["rungs"][0]["clock"], "overdue", "14 working days without an investigation");
        let (s, twice) = app.json("POST", &report, &token, json!({"detail": "Rang again", "on": today().to_string(), "at": "00:00"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{twice}");

        let id = h["id"].as_i64().unwrap();
        let steps = format!("/api/v1/hazards/{id}/steps");
        let on = today().to_string();
        let step = |step: &str, finding: Option<&str>, version: i64| json!({"step": step, "finding": finding, "on": on, "at": "00:01", "note": "Surveyor's visit", "version": version});
        let (s, early) = app.json("POST", &steps, &token, step("summary_sent", None, 1)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{early}");
        assert!(early["message"].as_str().unwrap().contains("investigation first"), "{early}");
        let (s, vague) = app.json("POST", &steps, &token, step("investigated", None, 1)).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{vague}");
        let (s, done) = app.json("POST", &steps, &tl, step("investigated", Some("significant"), 1)).await;
        assert_eq!(s, StatusCode::OK, "{done}");
        assert_eq!(done["finding"], "significant");
        assert_eq!(done["rungs"][0]["late"], true);
        let rungs: Vec<&str> = done["rungs"].as_array().unwrap().iter().map(|r| r["step"].as_str().unwrap()).collect();
        assert_eq!(rungs, ["investigated", "summary_sent", "made_safe"]);
        assert_eq!(done["next"], json!(["summary_sent", "made_safe"]));
        // The officer's form was opened before the Team Leader recorded the investigation.
        let (s, stale) = app.json("POST", &steps, &token, step("investigated", Some("no_hazard"), 1)).await;
        assert_eq!(s, StatusCode::CONFLICT, "{stale}");
        let (s, _) = app.json("POST", &steps, &token, step("made_safe", None, 2)).await;
        assert_eq!(s, StatusCode::OK);
        let (s, closed) = app.json("POST", &steps, &token, step("summary_sent", None, 3)).await;
        assert_eq!(s, StatusCode::OK, "{closed}");
        assert!(closed["closed_at"].is_string(), "{closed}");
        assert_eq!(closed["next"], json!([]));

        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        let recorded: Vec<&str> = hazards(&page)[0]["steps"].as_array().unwrap().iter().map(|s| s["step"].as_str().unwrap()).collect();
        assert_eq!(recorded, ["investigated", "made_safe", "summary_sent"]);
        assert_eq!(page["may_report_hazard"], true, "a closed hazard leaves room for a new report");
        let (_, after) = app.get_json("/api/v1/hazards", &tl).await;
        assert_eq!(after["closed"].as_u64().unwrap(), before["closed"].as_u64().unwrap() + 1);
        assert_eq!(after["closed_late"].as_u64().unwrap(), before["closed_late"].as_u64().unwrap() + 1);
        assert!(listed(&after["open"], &reference).is_none());
        assert_eq!(
            scalar(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'report_hazard' AND outcome = 'allowed' AND detail = 'damp_mould {reference}'"))
                .await,
            1
        );
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'hazard_step' AND detail LIKE 'hazard {id} %'")).await, 3);
    }
}

#[tokio::test]
async fn only_those_who_may_record_visits_to_the_home_work_its_hazards() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, _, other) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let (_, h) = app
            .json(
                "POST",
                &format!("/api/v1/tenancies/{reference}/hazards"),
                &token,
                json!({"detail": "Condensation and mould on every window", "on": today().to_string(), "at": "00:00"}),
            )
            .await;
        let id = h["id"].as_i64().unwrap();
        let body =
            json!({"step": "investigated", "finding": "no_hazard", "on": today().to_string(), "at": "00:01", "note": "Ventilation advice given", "version": 1});

        let outsider = app.token(&other, PASSWORD).await.unwrap();
        let (s, _) = app.json("POST", &format!("/api/v1/hazards/{id}/steps"), &outsider, body.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app
            .json(
                "POST",
                &format!("/api/v1/tenancies/{reference}/hazards"),
                &outsider,
                json!({"detail": "Heard about it", "on": today().to_string(), "at": "00:00"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(
            scalar(
                db,
                &format!("SELECT COUNT(*) FROM audit_log WHERE action IN ('hazard_step', 'report_hazard') AND outcome LIKE 'denied%' AND username = '{other}'")
            )
            .await,
            2
        );
        refused_to_non_officers(&app, &format!("/api/v1/hazards/{id}/steps"), &body, "/api/v1/hazards").await;
        assert_eq!(scalar(db, &format!("SELECT version FROM hazards WHERE id = {id}")).await, 1, "nothing recorded");

        // The form posts the same without JavaScript.
        let cookie = app.sign_in(&holder, PASSWORD).await.unwrap();
        let form = format!(
            "id={id}&step%5Bstep%5D=investigated&step%5Bfinding%5D=no_hazard&step%5Bon%5D={}&step%5Bat%5D=00%3A01&step%5Bnote%5D=Ventilation+advice+given&step%5Bversion%5D=1",
            today()
        );
        let res = app.post_form("/fn/record_hazard_step", &form, Some(&cookie)).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", body_text(res).await);
        assert_eq!(text(db, &format!("SELECT finding FROM hazards WHERE id = {id}")).await, "no_hazard");
    }
}
