//! What visits lead to: downsizing and investigations opened by visits or by hand, moved one
//! permitted step at a time, counted against the year's targets, and worked only by those who may
//! record visits to the home. On SQLite, and on PostgreSQL when configured.

mod common;

use axum::http::StatusCode;
use chrono::Days;
use common::*;
use serde_json::{Value, json};

/// A programmed home with nothing in the pipeline, and the people around it.
async fn subject(db: &hearth::db::Db) -> (String, String, String, String) {
    let w = worked_tenancy(db, "pipeline", app::api::kit::clock::today() - Days::new(10)).await;
    (w.reference, w.holder, w.leader, w.other)
}

fn entry<'a>(page: &'a Value, kind: &str) -> &'a Value {
    page["pipeline"].as_array().unwrap().iter().find(|e| e["kind"] == kind).unwrap_or_else(|| panic!("no {kind} in {}", page["pipeline"]))
}

#[tokio::test]
async fn a_visit_opens_downsizing_and_investigations_once_and_the_team_leader_counts_them() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, leader, _) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let tl = app.token(&leader, PASSWORD).await.unwrap();
        let (_, before) = app.get_json("/api/v1/pipeline", &tl).await;
        let open_before = before["open_total"].as_u64().unwrap();

        let yesterday = (app::api::kit::clock::today() - Days::new(1)).to_string();
        let visit = |key: &str| {
            json!({"kind": "occupancy_check", "on": yesterday, "at": "10:30", "outcome": "completed", "client_key": key, "downsizing_interest": true,
                "findings": [{"kind": "subletting", "detail": "A man at the door did not know the tenant's name"}, {"kind": "under_occupation", "detail": "Two spare bedrooms"}]})
        };
        let path = format!("/api/v1/tenancies/{reference}/visits");
        let (s, v) = app.json("POST", &path, &token, visit("pipe-key-0001")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // Sent again from the phone: nothing opened twice.
        let (s, again) = app.json("POST", &path, &token, visit("pipe-key-0001")).await;
        assert_eq!((s, again["replayed"].as_bool()), (StatusCode::OK, Some(true)));
        // A later visit finding subletting again adds to the open investigation, not a second one.
        let (s, _) = app.json("POST", &path, &token, visit("pipe-key-0002")).await;
        assert_eq!(s, StatusCode::OK);

        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        assert_eq!(page["pipeline"].as_array().unwrap().len(), 2, "{}", page["pipeline"]);
        let sublet = entry(&page, "subletting");
        assert_eq!(sublet["stage"], "investigating");
        assert_eq!(sublet["next"], json!(["recovered", "regularised", "no_fraud"]));
        assert!(sublet["steps"][0]["note"].as_str().unwrap().ends_with("A man at the door did not know the tenant's name"), "{sublet}");
        let down = entry(&page, "downsizing");
        assert_eq!((down["stage"].as_str(), down["steps"][0]["by"].is_string()), (Some("interest"), true));
        assert_eq!(page["pipeline_startable"], json!(["fraud", "abandonment"]), "one open entry of a kind");
        assert_eq!(
            scalar(db, &format!("SELECT COUNT(*) FROM pipeline e JOIN visits v ON v.id = e.visit_id JOIN tenancies t ON t.id = e.tenancy_id WHERE t.reference = '{reference}'")).await,
            2,
            "each entry names the visit that opened it"
        );

        // The Team Leader's figures count them open, and list them.
        let (s, after) = app.get_json("/api/v1/pipeline", &tl).await;
        assert_eq!(s, StatusCode::OK, "{after}");
        assert_eq!(after["open_total"].as_u64().unwrap(), open_before + 2);
        assert_eq!(after["figures"]["targets"], json!({"recovered": 50, "moved": 50, "saving_pounds": 18000}));

        // A visit with no access cannot hear that the household would like to move.
        let mut none = visit("pipe-key-0003");
        none["outcome"] = json!("no_access");
        none["findings"] = json!([]);
        let (s, v) = app.json("POST", &path, &token, none).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        assert!(v["message"].as_str().unwrap().contains("no access"), "{v}");
    }
}

#[tokio::test]
async fn an_entry_moves_one_permitted_step_at_a_time_against_the_version_seen() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, leader, _) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let tl = app.token(&leader, PASSWORD).await.unwrap();
        let (_, before) = app.get_json("/api/v1/pipeline", &tl).await;
        let start = format!("/api/v1/tenancies/{reference}/pipeline");

        let (s, fraud) = app.json("POST", &start, &token, json!({"kind": "fraud", "note": "Anonymous tip-off: tenant living abroad"})).await;
        assert_eq!(s, StatusCode::CREATED, "{fraud}");
        assert_eq!((fraud["stage"].as_str(), fraud["version"].as_i64()), (Some("investigating"), Some(1)));
        let (s, twice) = app.json("POST", &start, &token, json!({"kind": "fraud", "note": "The same tip-off again"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{twice}");
        let (s, short) = app.json("POST", &start, &token, json!({"kind": "downsizing", "note": "ok"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{short}");
        assert!(short["message"].as_str().unwrap().starts_with("Say what happened"));

        let id = fraud["id"].as_i64().unwrap();
        let step = format!("/api/v1/pipeline/{id}/stage");
        let (s, wrong) = app.json("POST", &step, &token, json!({"stage": "moved", "note": "Moved to a smaller flat", "version": 1})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{wrong}");
        assert!(wrong["message"].as_str().unwrap().contains("the next step is home recovered or tenancy regularised or no fraud found"), "{wrong}");
        // Someone else recorded the ending first: the second officer's move is refused, not overwritten.
        let (s, done) = app.json("POST", &step, &tl, json!({"stage": "recovered", "note": "Keys returned after interview under caution", "version": 1})).await;
        assert_eq!(s, StatusCode::OK, "{done}");
        assert_eq!((done["stage"].as_str(), done["version"].as_i64(), done["next"].as_array().map(Vec::len)), (Some("recovered"), Some(2), Some(0)));
        let (s, stale) = app.json("POST", &step, &token, json!({"stage": "no_fraud", "note": "Tenant seen with ID", "version": 1})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{stale}");
        let (s, ended) = app.json("POST", &step, &token, json!({"stage": "no_fraud", "note": "Tenant seen with ID", "version": 2})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{ended}");
        assert!(ended["message"].as_str().unwrap().contains("has ended"));

        // The year counts the home recovered at the saving, and the month's CSV says so.
        let (_, after) = app.get_json("/api/v1/pipeline", &tl).await;
        let (r0, r1) = (before["figures"]["recovered"].as_i64().unwrap(), after["figures"]["recovered"].as_i64().unwrap());
        assert_eq!(r1, r0 + 1);
        assert_eq!(after["figures"]["saving"].as_i64().unwrap(), r1 * 1_800_000, "£18,000 a home, in pence");
        let csv = body_text(app.get_bearer("/api/v1/pipeline.csv", &tl).await).await;
        assert!(
            csv.starts_with("\u{feff}month,opened,homes_recovered,saving_pounds,downsizing_moves\n"),
            "UTF-8 with its byte-order mark, as Excel needs: {csv}"
        );
        let this_month = app::api::kit::clock::today().format("%Y-%m").to_string();
        assert!(csv.lines().any(|l| l.starts_with(&this_month)), "{csv}");
        assert!(csv.contains(&format!("\nyear from {},,{r1},{},", app::domain::pipeline::year_start(app::api::kit::clock::today()), r1 * 18_000)), "{csv}");

        // Each step is on the entry, and each change audited in its own transaction.
        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        let steps: Vec<&str> = entry(&page, "fraud")["steps"].as_array().unwrap().iter().map(|s| s["stage"].as_str().unwrap()).collect();
        assert_eq!(steps, ["investigating", "recovered"]);
        assert_eq!(
            scalar(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'start_pipeline' AND outcome = 'allowed' AND detail = 'fraud {reference}'"))
                .await,
            1
        );
        assert_eq!(scalar(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'move_pipeline' AND detail = 'fraud investigating to recovered'").await, 1);
        assert_eq!(
            page["pipeline_startable"].as_array().unwrap().iter().filter(|k| *k == "fraud").count(),
            1,
            "an ended investigation leaves room for a new one"
        );
    }
}

#[tokio::test]
async fn only_those_who_may_record_visits_to_the_home_work_its_pipeline() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, _, other) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let (_, e) = app
            .json("POST", &format!("/api/v1/tenancies/{reference}/pipeline"), &token, json!({"kind": "abandonment", "note": "Post piled up behind the door"}))
            .await;
        let id = e["id"].as_i64().unwrap();
        let move_body = json!({"stage": "recovered", "note": "Notice to quit expired; home recovered", "version": 1});

        let outsider = app.token(&other, PASSWORD).await.unwrap();
        let (s, _) = app.json("POST", &format!("/api/v1/pipeline/{id}/stage"), &outsider, move_body.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app.json("POST", &format!("/api/v1/tenancies/{reference}/pipeline"), &outsider, json!({"kind": "fraud", "note": "Heard something"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(
            scalar(
                db,
                &format!(
                    "SELECT COUNT(*) FROM audit_log WHERE action IN ('move_pipeline', 'start_pipeline') AND outcome LIKE 'denied%' AND username = '{other}'"
                )
            )
            .await,
            2
        );
        refused_to_non_officers(&app, &format!("/api/v1/pipeline/{id}/stage"), &move_body, "/api/v1/pipeline").await;
        assert_eq!(scalar(db, &format!("SELECT version FROM pipeline WHERE id = {id}")).await, 1, "nothing moved");

        // The form posts the same without JavaScript.
        let cookie = app.sign_in(&holder, PASSWORD).await.unwrap();
        let form = format!("id={id}&step%5Bstage%5D=recovered&step%5Bnote%5D=Notice+to+quit+expired%3B+home+recovered&step%5Bversion%5D=1");
        let res = app.post_form("/fn/move_pipeline", &form, Some(&cookie)).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", body_text(res).await);
        assert_eq!(text(db, &format!("SELECT stage FROM pipeline WHERE id = {id}")).await, "recovered");
    }
}
