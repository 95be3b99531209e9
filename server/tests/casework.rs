//! Cases between roles through the API, on every engine: referral to the Sustainable Tenancy
//! HMO (accepted with an officer, or declined with reasons), the action plan, hand-back and
//! acknowledgement with history; concurrent decisions; and cover starting and ending.

mod common;

use axum::http::StatusCode;
use common::*;
use serde_json::{Value, json};
use sqlx::Row;

/// An open, unrestricted case held by `username` with nothing open between roles, on a patch they look after.
async fn case_of(app: &TestApp, username: &str) -> String {
    let row = sqlx::query::<sqlx::Any>(
        "SELECT c.reference FROM cases c JOIN users u ON u.id = c.owner_id JOIN properties p ON p.id = c.property_id JOIN patches pa ON pa.id = p.patch_id \
         WHERE u.username = $1 AND c.status = 'open' AND c.restricted = 0 AND pa.officer_id = u.id \
           AND NOT EXISTS (SELECT 1 FROM workflow_items w WHERE w.subject_type = 'case' AND w.subject_id = c.id) ORDER BY c.reference LIMIT 1",
    )
    .bind(username)
    .fetch_one(&app.db.pool)
    .await
    .expect("an open case");
    row.get(0)
}

async fn user_id(app: &TestApp, username: &str) -> i64 {
    sqlx::query::<sqlx::Any>("SELECT id FROM users WHERE username = $1").bind(username).fetch_one(&app.db.pool).await.unwrap().get(0)
}

/// A second Community HMO in the East team (the small test council has one per area).
async fn cover_officer(app: &TestApp) -> i64 {
    sqlx::query::<sqlx::Any>(
        "INSERT INTO users (username, display_name, email, password_hash, role, area_team_id, active, created_at) \
         SELECT 'chmo.east9', 'Casey Cover', 'casey.cover@example.com', password_hash, role, area_team_id, 1, created_at FROM users WHERE username = 'chmo.east1'",
    )
    .execute(&app.db.pool)
    .await
    .unwrap();
    user_id(app, "chmo.east9").await
}

fn referral() -> Value {
    json!({"concerns": "Repeated noise reports, threats to neighbours, rent arrears rising", "risks": "Tenancy at risk; neighbour retaliation", "tried": "Two warnings, mediation refused"})
}

fn with_version(mut v: Value, version: &Value) -> Value {
    v["version"] = version.clone();
    v
}

fn open_item<'a>(case: &'a Value, flow: &str) -> &'a Value {
    case["workflow"].as_array().unwrap().iter().find(|w| w["flow"] == flow && (w["state"] == "proposed" || w["state"] == "sent_back")).expect(flow)
}

#[tokio::test]
async fn referral_accept_plan_hand_back_acknowledge() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let chmo = app.token("chmo.east1", PASSWORD).await.unwrap();
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let sthmo = app.token("sthmo.east1", PASSWORD).await.unwrap();
        let reference = case_of(&app, "chmo.east1").await;
        let path = format!("/api/v1/cases/{reference}");
        let (s, case) = app.get_json(&path, &chmo).await;
        assert_eq!(s, StatusCode::OK, "{case}");
        assert_eq!(case["can_refer"], true);
        let version = case["version"].clone();

        // Bad input explains itself; only the holding Community HMO refers.
        let (s, v) = app.json("POST", &format!("{path}/referral"), &chmo, json!({"version": version, "concerns": "bad", "risks": "x", "tried": "y"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(v["message"].as_str().unwrap().contains("concerns"), "{v}");
        let (s, _) = app.json("POST", &format!("{path}/referral"), &sthmo, with_version(referral(), &version)).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, case) = app.json("POST", &format!("{path}/referral"), &chmo, with_version(referral(), &version)).await;
        assert_eq!(s, StatusCode::OK, "{case}");
        let item = open_item(&case, "referral_to_sustainable").clone();
        assert!(item["due_on"].as_str().is_some(), "every open step has a due time");
        // A second referral on the stale version is refused.
        let (s, _) = app.json("POST", &format!("{path}/referral"), &chmo, with_version(referral(), &version)).await;
        assert_eq!(s, StatusCode::CONFLICT);

        // The Team Leader sees it waiting, with the moves they may make and the officers to choose from.
        let (_, queue) = app.get_json("/api/v1/approvals", &tl).await;
        assert!(queue.as_array().unwrap().iter().any(|w| w["id"] == item["id"] && w["subject_type"] == "case"));
        let (_, as_tl) = app.get_json(&path, &tl).await;
        let tl_item = open_item(&as_tl, "referral_to_sustainable");
        assert_eq!(tl_item["actions"], json!(["approve", "send_back", "decline"]));
        assert!(!as_tl["sustainable_officers"].as_array().unwrap().is_empty());
        let decision = format!("/api/v1/workflow/{}/decision", item["id"]);
        // Accepting needs an officer, and one from the area's Sustainable Tenancy HMOs.
        let (s, _) = app.json("POST", &decision, &tl, json!({"version": item["version"], "action": "approve"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let chmo_id = user_id(&app, "chmo.east1").await;
        let (s, _) = app.json("POST", &decision, &tl, json!({"version": item["version"], "action": "approve", "assign_to": chmo_id})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let west = app.token("tl.west", PASSWORD).await.unwrap();
        let sthmo_id = user_id(&app, "sthmo.east1").await;
        let (s, _) = app.json("POST", &decision, &west, json!({"version": item["version"], "action": "approve", "assign_to": sthmo_id})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "another area's Team Leader cannot decide");
        let (s, v) = app
            .json("POST", &decision, &tl, json!({"version": item["version"], "action": "approve", "assign_to": sthmo_id, "note": "Accepted: complex needs"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "completed");
        // Deciding again is a conflict, not a second transfer.
        let (s, _) = app.json("POST", &decision, &tl, json!({"version": item["version"], "action": "approve", "assign_to": sthmo_id})).await;
        assert_eq!(s, StatusCode::CONFLICT);

        // The case is now the Sustainable Tenancy HMO's, with a plan due and the move in its history.
        let (_, case) = app.get_json(&path, &sthmo).await;
        assert_eq!(case["owner"]["role"], "sustainable_hmo", "{case}");
        assert_eq!(case["history"][0]["kind"], "Referred to Sustainable Tenancy HMO");
        assert!(case["history"][0]["approved_by"].as_str().is_some());
        assert!(case["due_at"].as_str().is_some(), "a plan is due");
        assert_eq!(case["can_edit_plan"], true);
        assert_eq!(case["can_refer"], false);
        // The Community HMO keeps sight of the case but no longer changes its plan.
        let (s, as_chmo) = app.get_json(&path, &chmo).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(as_chmo["can_edit_plan"], false);

        // The plan: actions with owner and due date; agreement and review dates.
        let today = app::api::kit::clock::today();
        let (s, v) = app
            .json(
                "POST",
                &format!("{path}/actions"),
                &sthmo,
                json!({"description": "Money advice appointment", "owner": "agency", "owner_name": "Money advice", "due_on": "31/12/2030"}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let (s, v) = app
            .json(
                "POST",
                &format!("{path}/actions"),
                &chmo,
                json!({"description": "Money advice appointment", "owner": "tenant", "due_on": (today + chrono::Duration::days(14)).to_string()}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN, "{v}");
        let (s, case) = app
            .json(
                "POST",
                &format!("{path}/actions"),
                &sthmo,
                json!({"description": "Money advice appointment", "owner": "tenant", "due_on": (today + chrono::Duration::days(14)).to_string()}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{case}");
        let action = case["actions"][0].clone();
        assert_eq!(action["status"], "open");
        let review = (today + chrono::Duration::days(28)).to_string();
        let (s, case) = app
            .json("PUT", &format!("{path}/plan"), &sthmo, json!({"version": case["version"], "agreed_on": today.to_string(), "next_review_on": review}))
            .await;
        assert_eq!(s, StatusCode::OK, "{case}");
        assert_eq!(case["next_review_on"], review.as_str());
        assert!(case["due_at"].as_str().unwrap().starts_with(&review), "the review is the case's clock");

        // Hand-back waits for the plan's actions to be closed.
        let summary = json!({"version": case["version"], "summary": "Plan met: arrears cleared, no reports for eight weeks"});
        let (s, v) = app.json("POST", &format!("{path}/hand-back"), &sthmo, summary.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(v["message"].as_str().unwrap().contains("still open"), "{v}");
        let (s, case) = app
            .json(
                "POST",
                &format!("/api/v1/plan-actions/{}", action["id"]),
                &sthmo,
                json!({"version": action["version"], "status": "done", "note": "Attended"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{case}");
        let (s, _) = app.json("POST", &format!("/api/v1/plan-actions/{}", action["id"]), &sthmo, json!({"version": action["version"], "status": "open"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "a stale action update is refused");
        let done = case["actions"].as_array().unwrap().iter().find(|a| a["id"] == action["id"]).unwrap().clone();
        assert_eq!(done["status"], "done");
        let (s, v) =
            app.json("POST", &format!("/api/v1/plan-actions/{}", action["id"]), &sthmo, json!({"version": done["version"], "status": "dropped"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "a done action is reopened, not dropped (sustain::ActionStatus::moves): {v}");
        let (s, case) = app
            .json(
                "POST",
                &format!("{path}/hand-back"),
                &sthmo,
                json!({"version": case["version"], "summary": "Plan met: arrears cleared, no reports for eight weeks"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{case}");
        let hb = open_item(&case, "hand_back").clone();

        // The Community HMO sees it waiting on My work, and acknowledges it.
        let (_, work) = app.get_json("/api/v1/my-work", &chmo).await;
        assert!(work["waiting"].as_array().unwrap().iter().any(|w| w["id"] == hb["id"]), "{}", work["waiting"]);
        assert!(work["alarms"].as_array().unwrap().iter().any(|a| a["text"].as_str().unwrap().contains("handed back")));
        let (s, _) =
            app.json("POST", &format!("/api/v1/workflow/{}/decision", hb["id"]), &sthmo, json!({"version": hb["version"], "action": "acknowledge"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "the proposer cannot acknowledge their own hand-back");
        let (s, v) =
            app.json("POST", &format!("/api/v1/workflow/{}/decision", hb["id"]), &chmo, json!({"version": hb["version"], "action": "acknowledge"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, case) = app.get_json(&path, &chmo).await;
        assert_eq!(case["owner"]["role"], "community_hmo");
        let kinds: Vec<&str> = case["history"].as_array().unwrap().iter().map(|h| h["kind"].as_str().unwrap()).collect();
        assert_eq!(kinds[..2], ["Handed back to Community HMO", "Referred to Sustainable Tenancy HMO"], "{kinds:?}");
        assert_eq!(case["actions"].as_array().unwrap().len(), 1, "the plan stays with the case");

        // Every step is in the audit log.
        let audited: i64 = sqlx::query::<sqlx::Any>(
            "SELECT COUNT(*) FROM audit_log WHERE action IN ('refer_to_sustainable', 'decide_referral', 'add_plan_action', 'set_plan', 'update_plan_action', 'propose_hand_back', 'decide_hand_back')",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .get(0);
        assert_eq!(audited, 7);
    }
}

/// A case of chmo.east1's referred to the Sustainable Tenancy HMO, with the tokens of its officer and Team Leader.
struct Referred {
    chmo: String,
    tl: String,
    reference: String,
    path: String,
    item: Value,
}

async fn referred(app: &TestApp) -> Referred {
    let chmo = app.token("chmo.east1", PASSWORD).await.unwrap();
    let tl = app.token("tl.east", PASSWORD).await.unwrap();
    let reference = case_of(app, "chmo.east1").await;
    let path = format!("/api/v1/cases/{reference}");
    let (_, case) = app.get_json(&path, &chmo).await;
    let (s, case) = app.json("POST", &format!("{path}/referral"), &chmo, with_version(referral(), &case["version"])).await;
    assert_eq!(s, StatusCode::OK, "{case}");
    let item = open_item(&case, "referral_to_sustainable").clone();
    Referred { chmo, tl, reference, path, item }
}

#[tokio::test]
async fn referral_declined_with_reasons_stays_with_the_community_hmo() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let Referred { chmo, tl, path, item, .. } = referred(&app).await;
        let decision = format!("/api/v1/workflow/{}/decision", item["id"]);
        let (s, v) = app.json("POST", &decision, &tl, json!({"version": item["version"], "action": "decline"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "a decline needs reasons");
        assert!(v["message"].as_str().unwrap().contains("reasons"));
        let (s, v) = app.json("POST", &decision, &tl, json!({"version": item["version"], "action": "decline", "note": "Not yet: try mediation first"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "declined");
        let (_, case) = app.get_json(&path, &chmo).await;
        assert_eq!(case["owner"]["role"], "community_hmo");
        assert_eq!(case["can_refer"], true, "a declined case can be referred again later");
        assert!(case["history"].as_array().unwrap().iter().all(|h| h["kind"] != "Referred to Sustainable Tenancy HMO"));
    }
}

/// Twenty Team Leader decisions on one referral at once (accepting for different officers, and
/// declining): exactly one lands, the rest are refused as conflicts, and the history has one move.
#[tokio::test]
async fn simultaneous_decisions_on_one_referral_one_wins() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let Referred { tl, reference, path, item, .. } = referred(&app).await;
        let officers = [user_id(&app, "sthmo.east1").await, user_id(&app, "sthmo.east2").await];
        let decision = format!("/api/v1/workflow/{}/decision", item["id"]);
        let calls = (0..20).map(|n| {
            let body = if n % 5 == 4 {
                json!({"version": item["version"], "action": "decline", "note": "Declined in a race"})
            } else {
                json!({"version": item["version"], "action": "approve", "assign_to": officers[n % 2]})
            };
            let (app, tl, decision) = (&app, &tl, &decision);
            async move { app.json("POST", decision, tl, body).await.0 }
        });
        let statuses = futures::future::join_all(calls).await;
        assert_eq!(statuses.iter().filter(|s| **s == StatusCode::OK).count(), 1, "{statuses:?}");
        assert!(statuses.iter().all(|s| *s == StatusCode::OK || *s == StatusCode::CONFLICT), "{statuses:?}");
        let moves: i64 = sqlx::query::<sqlx::Any>("SELECT COUNT(*) FROM transfers t JOIN cases c ON c.id = t.subject_id WHERE t.subject_type = 'case' AND c.reference = $1 AND t.kind = 'referral_to_sustainable'")
            .bind(&reference)
            .fetch_one(&app.db.pool)
            .await
            .unwrap()
            .get(0);
        let (_, case) = app.get_json(&path, &tl).await;
        let state = case["workflow"][0]["state"].as_str().unwrap();
        assert_eq!(moves, if state == "completed" { 1 } else { 0 }, "one decision, one history line at most");
    }
}

#[tokio::test]
async fn cover_routes_work_to_the_cover_officer_and_returns_after_the_last_day() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let absent = app.token("chmo.east1", PASSWORD).await.unwrap();
        let today = app::api::kit::clock::today();
        let (absent_id, cover_id) = (user_id(&app, "chmo.east1").await, cover_officer(&app).await);
        // A restricted case of the absent officer's: closed to the cover officer before cover starts.
        let restricted: String = sqlx::query::<sqlx::Any>("SELECT reference FROM cases WHERE owner_id = $1 AND restricted = 1 AND status = 'open' LIMIT 1")
            .bind(absent_id)
            .fetch_one(&app.db.pool)
            .await
            .map(|r| r.get(0))
            .unwrap_or_default();
        let cover_token = app.token("chmo.east9", PASSWORD).await.unwrap();
        let (_, before) = app.get_json("/api/v1/my-work", &cover_token).await;
        let (_, absent_work) = app.get_json("/api/v1/my-work", &absent).await;
        if !restricted.is_empty() {
            assert_eq!(app.get_json(&format!("/api/v1/cases/{restricted}"), &cover_token).await.0, StatusCode::FORBIDDEN);
        }

        let body = json!({"absent_id": absent_id, "cover_id": cover_id, "starts_on": today.to_string(), "ends_on": (today + chrono::Duration::days(4)).to_string(), "reason": "Annual leave"});
        // Only a Team Leader sets cover; bad dates explain themselves.
        assert_eq!(app.json("POST", "/api/v1/covers", &absent, body.clone()).await.0, StatusCode::FORBIDDEN);
        let mut bad = body.clone();
        bad["ends_on"] = json!((today - chrono::Duration::days(1)).to_string());
        let (s, v) = app.json("POST", "/api/v1/covers", &tl, bad).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let (s, team) = app.json("POST", "/api/v1/covers", &tl, body.clone()).await;
        assert_eq!(s, StatusCode::OK, "{team}");
        assert_eq!(team["covers"][0]["state"], "active");
        let (s, _) = app.json("POST", "/api/v1/covers", &tl, body.clone()).await;
        assert_eq!(s, StatusCode::CONFLICT, "overlapping cover is refused");

        // While cover lasts the absent officer's tenancies and cases are on the cover officer's My work.
        let (_, during) = app.get_json("/api/v1/my-work", &cover_token).await;
        assert_eq!(during["tenancies_total"].as_i64().unwrap(), before["tenancies_total"].as_i64().unwrap() + absent_work["tenancies_total"].as_i64().unwrap());
        assert!(during["covers"].as_array().unwrap().iter().any(|c| c["state"] == "active"));
        let (_, absent_view) = app.get_json("/api/v1/my-work", &absent).await;
        assert!(absent_view["covers"].as_array().unwrap().iter().any(|c| c["cover_id"] == cover_id), "both see the cover");
        if !restricted.is_empty() {
            assert_eq!(app.get_json(&format!("/api/v1/cases/{restricted}"), &cover_token).await.0, StatusCode::OK, "cover gives the owner's access");
        }
        // The cover officer acts as the holder: they can refer the absent officer's case.
        let reference = case_of(&app, "chmo.east1").await;
        let (_, case) = app.get_json(&format!("/api/v1/cases/{reference}"), &cover_token).await;
        assert_eq!(case["can_refer"], true, "{case}");

        // Time passes: the period ends (moved into the past here), and the work is back with its owner.
        sqlx::query::<sqlx::Any>("UPDATE covers SET starts_on = $1, ends_on = $2")
            .bind((today - chrono::Duration::days(10)).to_string())
            .bind((today - chrono::Duration::days(1)).to_string())
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (_, after) = app.get_json("/api/v1/my-work", &cover_token).await;
        assert_eq!(after["tenancies_total"], before["tenancies_total"]);
        assert!(after["covers"].as_array().unwrap().iter().any(|c| c["state"] == "ended"), "the cover officer sees what happened");
        if !restricted.is_empty() {
            assert_eq!(app.get_json(&format!("/api/v1/cases/{restricted}"), &cover_token).await.0, StatusCode::FORBIDDEN, "access ends with the cover");
        }
        let (_, case) = app.get_json(&format!("/api/v1/cases/{reference}"), &cover_token).await;
        assert_eq!(case["can_refer"], false);

        // A new cover that has not started can be cancelled; it never applies.
        let later = json!({"absent_id": absent_id, "cover_id": cover_id, "starts_on": (today + chrono::Duration::days(20)).to_string(), "ends_on": (today + chrono::Duration::days(25)).to_string(), "reason": "Training"});
        let (s, team) = app.json("POST", "/api/v1/covers", &tl, later).await;
        assert_eq!(s, StatusCode::OK, "{team}");
        let upcoming = team["covers"].as_array().unwrap().iter().find(|c| c["state"] == "upcoming").unwrap().clone();
        let west = app.token("tl.west", PASSWORD).await.unwrap();
        assert_eq!(app.json("POST", &format!("/api/v1/covers/{}/end", upcoming["id"]), &west, json!({})).await.0, StatusCode::FORBIDDEN);
        let (s, team) = app.json("POST", &format!("/api/v1/covers/{}/end", upcoming["id"]), &tl, json!({})).await;
        assert_eq!(s, StatusCode::OK);
        assert!(team["covers"].as_array().unwrap().iter().any(|c| c["id"] == upcoming["id"] && c["state"] == "cancelled"), "{team}");

        // Cover ended early by the Team Leader: the work returns at once.
        let now = json!({"absent_id": absent_id, "cover_id": cover_id, "starts_on": today.to_string(), "ends_on": (today + chrono::Duration::days(2)).to_string(), "reason": "Sick leave"});
        let (s, team) = app.json("POST", "/api/v1/covers", &tl, now).await;
        assert_eq!(s, StatusCode::OK, "{team}");
        let active = team["covers"].as_array().unwrap().iter().find(|c| c["state"] == "active").unwrap().clone();
        let (_, during) = app.get_json("/api/v1/my-work", &cover_token).await;
        assert!(during["tenancies_total"].as_i64() > before["tenancies_total"].as_i64());
        let (s, team) = app.json("POST", &format!("/api/v1/covers/{}/end", active["id"]), &tl, json!({})).await;
        assert_eq!(s, StatusCode::OK);
        assert!(
            team["covers"].as_array().unwrap().iter().any(|c| c["id"] == active["id"] && c["state"] == "ended" && c["ended_on"] == today.to_string().as_str()),
            "{team}"
        );
        let (_, after) = app.get_json("/api/v1/my-work", &cover_token).await;
        assert_eq!(after["tenancies_total"], before["tenancies_total"]);
        assert_eq!(app.json("POST", &format!("/api/v1/covers/{}/end", active["id"]), &tl, json!({})).await.0, StatusCode::CONFLICT, "already ended");
    }
}

#[tokio::test]
async fn the_seeded_council_has_real_work_between_roles() {
    let app = TestApp::new(Engine::Sqlite).await;
    let tl = app.token("tl.east", PASSWORD).await.unwrap();
    let (_, team) = app.get_json("/api/v1/team", &tl).await;
    assert!(team["officers"].as_array().unwrap().len() >= 4, "{team}");
    let plans = team["plans"].as_array().unwrap();
    assert!(!plans.is_empty(), "{team}");
    assert!(plans.iter().any(|p| p["clock"] == "overdue") && plans.iter().any(|p| p["clock"] == "due_soon"), "{plans:?}");
    let (_, queue) = app.get_json("/api/v1/approvals", &tl).await;
    assert!(
        queue.as_array().unwrap().iter().any(|w| w["flow"] == "referral_to_sustainable" && !w["clock"].is_null()),
        "every open step shows its clock: {queue}"
    );
    let chmo = app.token("chmo.east1", PASSWORD).await.unwrap();
    assert_eq!(app.get_json("/api/v1/team", &chmo).await.0, StatusCode::FORBIDDEN);
}

#[tokio::test]
async fn a_case_is_escalated_to_the_hub_and_concluded_by_it_in_the_holders_sight() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let chmo = app.token("chmo.east1", PASSWORD).await.unwrap();
        let reference = case_of(&app, "chmo.east1").await;
        let path = format!("/api/v1/cases/{reference}");
        let (_, case) = app.get_json(&path, &chmo).await;
        assert_eq!(case["can_escalate"], true);
        let body = json!({"version": case["version"], "purpose": "injunction", "reason": "Threats and criminal damage continue despite warnings"});
        let (s, v) = app
            .json("POST", &format!("{path}/escalations"), &chmo, json!({"version": case["version"], "purpose": "eviction", "reason": "Threats continue"}))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let (s, case) = app.json("POST", &format!("{path}/escalations"), &chmo, body.clone()).await;
        assert_eq!(s, StatusCode::OK, "{case}");
        let item = open_item(&case, "escalation").clone();
        assert_eq!(case["can_escalate"], false, "one open escalation at a time");
        let (s, _) = app.json("POST", &format!("{path}/escalations"), &chmo, with_version(body, &case["version"])).await;
        assert_eq!(s, StatusCode::CONFLICT);
        // Legal cannot conclude the Hub's escalation; the Hub can, with its outcome.
        let legal = app.token("legal", PASSWORD).await.unwrap();
        let decision = format!("/api/v1/workflow/{}/decision", item["id"]);
        assert_eq!(
            app.json("POST", &decision, &legal, json!({"version": item["version"], "action": "acknowledge", "note": "Done"})).await.0,
            StatusCode::FORBIDDEN
        );
        let hub = app.token("asb.hub", PASSWORD).await.unwrap();
        let (s, v) =
            app.json("POST", &decision, &hub, json!({"version": item["version"], "action": "acknowledge", "note": "Injunction granted on 3 December"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, case) = app.get_json(&path, &chmo).await;
        assert_eq!(case["owner"]["role"], "community_hmo", "the holder keeps the case");
        assert_eq!(case["workflow"][0]["decision_note"], "Injunction granted on 3 December");
    }
}
