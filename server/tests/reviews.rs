//! Introductory tenancy reviews through the API: the state machine enforced, stale versions
//! refused, decisions applied with history, and concurrent decisions resolved to exactly one.

mod common;

use app::api::desk::store::DeskStore;

use app::api::kit::store::WorkflowStore;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use serde_json::json;
use sqlx::Row;

/// An introductory (not extended) tenancy owned by `ihmo` with its trial end.
async fn introductory_of(app: &TestApp, ihmo: &str, future: bool) -> (String, String) {
    // "future": far enough ahead that an extension's notice can still be served (8 weeks and more).
    let cutoff = app::api::kit::clock::today() + chrono::Duration::days(if future { 70 } else { 0 });
    let cmp = if future { ">" } else { "<=" };
    let row = sqlx::query::<sqlx::Any>(&format!(
        "SELECT t.reference, t.trial_ends_on FROM tenancies t JOIN users u ON u.id = t.owner_id \
         WHERE u.username = $1 AND t.tenure = 'introductory' AND t.status = 'active' AND t.trial_ends_on {cmp} $2 ORDER BY t.trial_ends_on LIMIT 1"
    ))
    .bind(ihmo)
    .bind(cutoff.to_string())
    .fetch_one(&app.db.pool)
    .await
    .expect("an introductory tenancy");
    (row.get(0), row.get(1))
}

#[tokio::test]
async fn make_secure_moves_the_tenancy_to_the_patch_officer_with_history() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let ihmo = app.token("ihmo.east1", PASSWORD).await.unwrap();
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let (reference, _) = introductory_of(&app, "ihmo.east1", true).await;
        let panel = body_json(app.get_bearer(&format!("/api/v1/tenancies/{reference}/review"), &ihmo).await).await;
        assert_eq!(panel["moves"], json!(["propose"]));
        let version = panel["tenancy_version"].as_i64().unwrap();

        // Bad input explains itself.
        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/tenancies/{reference}/review"),
                &ihmo,
                json!({"version": version, "outcome": "promote", "reason": "All good over the year"}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{v}");
        let (s, _) = app
            .json("POST", &format!("/api/v1/tenancies/{reference}/review"), &ihmo, json!({"version": version, "outcome": "make_secure", "reason": "ok"}))
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        // Only the owning Introductory HMO proposes.
        let (s, _) = app
            .json(
                "POST",
                &format!("/api/v1/tenancies/{reference}/review"),
                &tl,
                json!({"version": version, "outcome": "make_secure", "reason": "Rent paid, no complaints, settled in well"}),
            )
            .await;
        assert_eq!(s, StatusCode::FORBIDDEN);

        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/tenancies/{reference}/review"),
                &ihmo,
                json!({"version": version, "outcome": "make_secure", "reason": "Rent paid, no complaints, settled in well"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["open"]["state"], "proposed");
        let item = v["open"]["id"].as_i64().unwrap();
        let item_version = v["open"]["version"].as_i64().unwrap();
        // The same proposal on the stale version is refused, and nothing changes.
        let (s, v2) = app
            .json(
                "POST",
                &format!("/api/v1/tenancies/{reference}/review"),
                &ihmo,
                json!({"version": version, "outcome": "extend", "extension_reason": "arrears", "reason": "Second thoughts about the arrears"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT, "{v2}");
        assert!(v2["message"].as_str().unwrap().contains("changed since you opened it"));

        // The Team Leader's queue shows it; another area's Team Leader cannot decide it.
        let queue = body_json(app.get_bearer("/api/v1/approvals", &tl).await).await;
        assert!(queue.as_array().unwrap().iter().any(|w| w["id"] == item));
        let west = app.token("tl.west", PASSWORD).await.unwrap();
        let (s, _) = app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &west, json!({"version": item_version, "action": "approve"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // The proposer cannot approve their own proposal.
        let (s, _) = app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &ihmo, json!({"version": item_version, "action": "approve"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &tl, json!({"version": item_version + 5, "action": "approve"})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        let (s, v) =
            app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &tl, json!({"version": item_version, "action": "approve", "note": "Agreed"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "completed");
        // Deciding again is a clear 409.
        let (s, v) = app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &tl, json!({"version": item_version + 1, "action": "approve"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");

        // The trial ends in the future: still introductory until the anniversary.
        let tenure = text(&app.db, &format!("SELECT tenure FROM tenancies WHERE reference = '{reference}'")).await;
        assert_eq!(tenure, "introductory");
        let applied = app_store(&app).apply_due_changes(chrono::NaiveDate::from_ymd_opt(2099, 1, 1).unwrap()).await.unwrap();
        assert!(applied >= 1);
        let row = sqlx::query::<sqlx::Any>(
            "SELECT t.tenure, t.owner_role, u.username, pu.username FROM tenancies t JOIN users u ON u.id = t.owner_id \
             JOIN properties p ON p.id = t.property_id JOIN patches pa ON pa.id = p.patch_id JOIN users pu ON pu.id = pa.officer_id WHERE t.reference = $1",
        )
        .bind(&reference)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(row.get::<String, _>(0), "secure");
        assert_eq!(row.get::<String, _>(1), "community_hmo");
        assert_eq!(row.get::<String, _>(2), row.get::<String, _>(3), "owned by the patch's Community HMO");
        let t = body_json(app.get_bearer(&format!("/api/v1/tenancies/{reference}"), &tl).await).await;
        let latest = &t["history"][0];
        assert_eq!(latest["kind"], "Made secure: to Community HMO");
        assert!(latest["approved_by"].is_string() && latest["by"].is_string());
        // Applying again changes nothing.
        assert_eq!(app_store(&app).apply_due_changes(chrono::NaiveDate::from_ymd_opt(2099, 1, 1).unwrap()).await.unwrap(), 0);
    }
}

fn app_store(app: &TestApp) -> hearth::store::SqlStore {
    hearth::store::SqlStore::new(app.db.clone())
}

#[tokio::test]
async fn extension_once_with_reason_then_notice_and_send_back_loop() {
    let app = TestApp::new(Engine::Sqlite).await;
    let ihmo = app.token("ihmo.east1", PASSWORD).await.unwrap();
    let tl = app.token("tl.east", PASSWORD).await.unwrap();
    let (reference, _) = introductory_of(&app, "ihmo.east1", true).await;
    let path = format!("/api/v1/tenancies/{reference}/review");
    let v = body_json(app.get_bearer(&path, &ihmo).await).await;
    let version = v["tenancy_version"].as_i64().unwrap();
    assert!(v["notice_last_day"].is_string(), "the last day to serve a notice is computed");

    let (s, v) = app.json("POST", &path, &ihmo, json!({"version": version, "outcome": "extend", "reason": "Arrears have grown since sign-up"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST, "an extension needs its reason: {v}");
    let (s, v) = app
        .json(
            "POST",
            &path,
            &ihmo,
            json!({"version": version, "outcome": "extend", "extension_reason": "arrears", "reason": "Arrears have grown since sign-up"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let (item, iv) = (v["open"]["id"].as_i64().unwrap(), v["open"]["version"].as_i64().unwrap());
    // Sending back needs a reason; then the officer proposes again on the same item.
    let (s, _) = app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &tl, json!({"version": iv, "action": "send_back"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let (s, v) = app
        .json(
            "POST",
            &format!("/api/v1/workflow/{item}/decision"),
            &tl,
            json!({"version": iv, "action": "send_back", "note": "Attach the arrears history first"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["state"], "sent_back");
    let v = body_json(app.get_bearer(&path, &ihmo).await).await;
    assert_eq!(v["moves"], json!(["propose", "withdraw"]));
    let (s, v) = app
        .json(
            "POST",
            &path,
            &ihmo,
            json!({"version": v["tenancy_version"], "outcome": "extend", "extension_reason": "arrears", "reason": "Arrears history attached: 9 weeks missed"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["open"]["id"].as_i64().unwrap(), item, "the same item, proposed again");
    let (s, v) = app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &tl, json!({"version": v["open"]["version"], "action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");

    let row = sqlx::query::<sqlx::Any>("SELECT tenure, trial_ends_on, start_date, extension_reason FROM tenancies WHERE reference = $1")
        .bind(&reference)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(row.get::<String, _>(0), "extended_introductory");
    let start: chrono::NaiveDate = row.get::<String, _>(2).parse().unwrap();
    assert_eq!(row.get::<String, _>(1), app::domain::clock::trial_end(start, true).to_string(), "18 months from the start");
    assert_eq!(row.get::<String, _>(3), "arrears");

    // Once only.
    let v = body_json(app.get_bearer(&path, &ihmo).await).await;
    let (s, v) = app
        .json(
            "POST",
            &path,
            &ihmo,
            json!({"version": v["tenancy_version"], "outcome": "extend", "extension_reason": "nuisance", "reason": "Further complaints from neighbours"}),
        )
        .await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    assert!(v["message"].as_str().unwrap().contains("already been extended"));

    // The notice of extension: not in the future, and recorded.
    let v = body_json(app.get_bearer(&path, &ihmo).await).await;
    let notice = format!("/api/v1/tenancies/{reference}/extension-notice");
    let (s, _) = app.json("POST", &notice, &ihmo, json!({"version": v["tenancy_version"], "served_on": "2099-01-01"})).await;
    assert_eq!(s, StatusCode::BAD_REQUEST);
    let today = app::api::kit::clock::today().to_string();
    let (s, v) = app.json("POST", &notice, &ihmo, json!({"version": v["tenancy_version"], "served_on": today})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["notice_served_on"], today.as_str());
    assert!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE action IN ('propose_review', 'decide_review', 'record_extension_notice')").await >= 5);
}

/// Many Team Leader decisions at once on one proposal: exactly one lands.
#[tokio::test]
async fn concurrent_decisions_resolve_to_exactly_one() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        // An introductory tenancy past its anniversary with no decision, its officer and their Team Leader.
        let row = sqlx::query::<sqlx::Any>(
            "SELECT t.reference, u.username, tl.username FROM tenancies t JOIN users u ON u.id = t.owner_id \
             JOIN users tl ON tl.area_team_id = u.area_team_id AND tl.role = 'team_leader' \
             WHERE t.tenure = 'introductory' AND t.status = 'active' AND t.trial_ends_on <= $1 ORDER BY t.id LIMIT 1",
        )
        .bind(app::api::kit::clock::today().to_string())
        .fetch_one(&app.db.pool)
        .await
        .expect("the demo council has overdue introductory reviews");
        let (reference, officer, leader): (String, String, String) = (row.get(0), row.get(1), row.get(2));
        let ihmo = app.token(&officer, PASSWORD).await.unwrap();
        let tl = app.token(&leader, PASSWORD).await.unwrap();
        let path = format!("/api/v1/tenancies/{reference}/review");
        let v = body_json(app.get_bearer(&path, &ihmo).await).await;
        let (s, v) = app
            .json("POST", &path, &ihmo, json!({"version": v["tenancy_version"], "outcome": "make_secure", "reason": "Review overdue: rent clear, no issues"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (item, iv) = (v["open"]["id"].as_i64().unwrap(), v["open"]["version"].as_i64().unwrap());
        let mut tasks = Vec::new();
        for k in 0..40 {
            let (router, tl) = (app.router.clone(), tl.clone());
            let action = if k % 2 == 0 { "approve" } else { "send_back" };
            tasks.push(tokio::spawn(async move {
                use tower::ServiceExt;
                let req = Request::post(format!("/api/v1/workflow/{item}/decision"))
                    .header(header::HOST, HOST)
                    .header(header::AUTHORIZATION, format!("Bearer {tl}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(json!({"version": iv, "action": action, "note": "Decided in a hurry"}).to_string()))
                    .unwrap();
                router.oneshot(req).await.unwrap().status()
            }));
        }
        let mut ok = 0;
        let mut conflicts = 0;
        for t in tasks {
            match t.await.unwrap() {
                StatusCode::OK => ok += 1,
                StatusCode::CONFLICT => conflicts += 1,
                other => panic!("unexpected {other}"),
            }
        }
        assert_eq!((ok, conflicts), (1, 39), "{engine:?}");
        // The trial had ended: if approved, it applied at once, exactly once.
        let handovers = scalar(&app.db, &format!("SELECT COUNT(*) FROM transfers tr JOIN tenancies t ON t.id = tr.subject_id AND tr.subject_type = 'tenancy' WHERE t.reference = '{reference}' AND tr.kind = 'secure_handover'")).await;
        let state = text(&app.db, &format!("SELECT state FROM workflow_items WHERE id = {item}")).await;
        assert_eq!(handovers, if state == "completed" { 1 } else { 0 }, "{state}");
    }
}

/// A tenancy past its anniversary without a decision is the loudest item on My work,
/// for its Introductory HMO and for the Team Leader, and goes quiet once a review is proposed.
#[tokio::test]
async fn missed_anniversaries_are_the_loudest_item() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let row = sqlx::query::<sqlx::Any>(
            "SELECT t.reference, u.username, tl.username, u.id FROM tenancies t JOIN users u ON u.id = t.owner_id \
             JOIN users tl ON tl.area_team_id = u.area_team_id AND tl.role = 'team_leader' \
             WHERE t.tenure = 'introductory' AND t.status = 'active' AND t.trial_ends_on < $1 ORDER BY t.id LIMIT 1",
        )
        .bind(app::api::kit::clock::today().to_string())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let (reference, officer, leader, officer_id): (String, String, String, i64) = (row.get(0), row.get(1), row.get(2), row.get(3));
        let ihmo = app.token(&officer, PASSWORD).await.unwrap();
        let work = body_json(app.get_bearer("/api/v1/my-work", &ihmo).await).await;
        assert_eq!(work["alarms"][0]["level"], "overdue", "{}", work["alarms"]);
        assert!(work["alarms"][0]["text"].as_str().unwrap().contains("anniversary"));
        let tl = app.token(&leader, PASSWORD).await.unwrap();
        let work = body_json(app.get_bearer("/api/v1/my-work", &tl).await).await;
        assert_eq!(work["alarms"][0]["level"], "overdue");
        assert_eq!(work["alarms"][0]["href"], "/approvals#due");
        let due = body_json(app.get_bearer("/api/v1/reviews-due", &tl).await).await;
        let due = due.as_array().unwrap();
        assert!(due.iter().any(|t| t["reference"] == reference.as_str()));
        assert_eq!(due[0]["clock"], "overdue", "soonest (most overdue) first");

        let today = app::api::kit::clock::today();
        let query = app::api::desk::store::WorkQuery {
            owners: vec![officer_id],
            viewer_id: officer_id,
            limit: 1,
            reviews: Some(app::api::desk::store::ReviewCount {
                owner_id: Some(officer_id),
                area_team_id: None,
                today,
                until: chrono::NaiveDate::from_ymd_opt(2999, 1, 1).unwrap(),
            }),
            ..Default::default()
        };
        let (before, _) = app_store(&app).work_lists(&query).await.unwrap().reviews_due;
        let v = body_json(app.get_bearer(&format!("/api/v1/tenancies/{reference}/review"), &ihmo).await).await;
        let (s, _) = app
            .json(
                "POST",
                &format!("/api/v1/tenancies/{reference}/review"),
                &ihmo,
                json!({"version": v["tenancy_version"], "outcome": "make_secure", "reason": "Recording the secure tenancy now"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (after, _) = app_store(&app).work_lists(&query).await.unwrap().reviews_due;
        assert_eq!(after, before - 1);
        // The Team Leader now has a decision waiting.
        let work = body_json(app.get_bearer("/api/v1/my-work", &tl).await).await;
        assert!(work["alarms"].as_array().unwrap().iter().any(|a| a["href"] == "/approvals"));
    }
}

/// Escalation to Legal: the owner escalates with a reason, the right team concludes it with an
/// outcome, and the owner keeps sight of it; others are refused.
#[tokio::test]
async fn escalation_to_legal_is_concluded_by_legal_and_stays_in_sight() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let chmo = app.token("chmo.east1", PASSWORD).await.unwrap();
        let work = body_json(app.get_bearer("/api/v1/my-work", &chmo).await).await;
        let reference = work["tenancies"][0]["reference"].as_str().unwrap().to_string();
        let review_path = format!("/api/v1/tenancies/{reference}/review");
        let esc_path = format!("/api/v1/tenancies/{reference}/escalations");
        let panel = body_json(app.get_bearer(&review_path, &chmo).await).await;
        assert_eq!(panel["can_escalate"], true);
        let version = panel["tenancy_version"].clone();

        let (s, _) = app.json("POST", &esc_path, &chmo, json!({"version": version, "purpose": "eviction", "reason": "Serious arrears, no contact"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        let west = app.token("chmo.west1", PASSWORD).await.unwrap();
        let (s, _) = app.json("POST", &esc_path, &west, json!({"version": version, "purpose": "notice", "reason": "Serious arrears, no contact"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "another area's officer");
        let (s, v) =
            app.json("POST", &esc_path, &chmo, json!({"version": version, "purpose": "notice", "reason": "Serious arrears, no contact for 8 weeks"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["can_escalate"], false, "one open escalation at a time");
        let item = v["escalations"][0].clone();
        assert_eq!(item["outcome_label"], "Legal: serve a notice");
        let (s, _) = app
            .json(
                "POST",
                &esc_path,
                &chmo,
                json!({"version": v["tenancy_version"], "purpose": "possession", "reason": "Serious arrears, no contact for 8 weeks"}),
            )
            .await;
        assert_eq!(s, StatusCode::CONFLICT);

        // Legal sees it in their queue; the Hub cannot conclude a Legal escalation; the owner cannot either.
        let legal = app.token("legal", PASSWORD).await.unwrap();
        let queue = body_json(app.get_bearer("/api/v1/approvals", &legal).await).await;
        assert!(queue.as_array().unwrap().iter().any(|w| w["id"] == item["id"]));
        assert!(queue.as_array().unwrap().iter().all(|w| w["flow"] == "escalation"));
        let hub = app.token("asb.hub", PASSWORD).await.unwrap();
        let decision = format!("/api/v1/workflow/{}/decision", item["id"]);
        let (s, _) = app.json("POST", &decision, &hub, json!({"version": item["version"], "action": "acknowledge", "note": "Done"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app.json("POST", &decision, &chmo, json!({"version": item["version"], "action": "acknowledge", "note": "Done"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, _) = app.json("POST", &decision, &legal, json!({"version": item["version"], "action": "acknowledge"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "an outcome is recorded");
        let (s, v) = app
            .json("POST", &decision, &legal, json!({"version": item["version"], "action": "acknowledge", "note": "Notice of seeking possession served"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["state"], "completed");

        // The owner still sees it, concluded, and may escalate again.
        let panel = body_json(app.get_bearer(&review_path, &chmo).await).await;
        assert_eq!(panel["escalations"][0]["state"], "completed");
        assert_eq!(panel["escalations"][0]["decision_note"], "Notice of seeking possession served");
        assert_eq!(panel["can_escalate"], true);
        // A partner user sees nothing of it.
        let partner = app.token("partner.police", PASSWORD).await.unwrap();
        assert_eq!(app.get_bearer(&review_path, &partner).await.status(), StatusCode::FORBIDDEN);
    }
}

/// Housing Act 1996 s.125A(2): "the landlord has served a notice of extension on the tenant at
/// least eight weeks before the original expiry date". An extension approved once that deadline
/// has passed is refused with the reason, unless the notice was served in time; a notice dated
/// after the deadline, or in the future, is refused.
#[tokio::test]
async fn an_extension_after_the_notice_deadline_needs_a_notice_served_in_time() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let ihmo = app.token("ihmo.east1", PASSWORD).await.unwrap();
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let (reference, _) = introductory_of(&app, "ihmo.east1", true).await;
        let path = format!("/api/v1/tenancies/{reference}/review");
        let v = body_json(app.get_bearer(&path, &ihmo).await).await;
        let notice = format!("/api/v1/tenancies/{reference}/extension-notice");
        // No notice before an extension is proposed.
        let (s, e) = app.json("POST", &notice, &ihmo, json!({"version": v["tenancy_version"], "served_on": app::api::kit::clock::today().to_string()})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        let (s, v) = app
            .json(
                "POST",
                &path,
                &ihmo,
                json!({"version": v["tenancy_version"], "outcome": "extend", "extension_reason": "nuisance", "reason": "Complaints from neighbours since the spring"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["can_record_notice"], true, "the notice may be recorded once an extension is proposed");
        let item = v["open"]["id"].as_i64().unwrap();

        // Time passes while the proposal waits: the anniversary is now 50 days away, so the
        // deadline (56 days before it) was six days ago.
        let today = app::api::kit::clock::today();
        let end = today + chrono::Duration::days(50);
        let start = end.checked_sub_months(chrono::Months::new(12)).unwrap();
        let deadline = end - chrono::Duration::days(56);
        sqlx::query::<sqlx::Any>("UPDATE tenancies SET trial_ends_on = $1, start_date = $2 WHERE reference = $3")
            .bind(end.to_string())
            .bind(start.to_string())
            .bind(&reference)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let v = body_json(app.get_bearer(&path, &ihmo).await).await;
        assert_eq!(v["notice_last_day"], deadline.to_string());
        let (s, e) = app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &tl, json!({"version": v["open"]["version"], "action": "approve"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        let message = e["message"].as_str().unwrap();
        assert!(message.contains("Too late to extend") && message.contains(&deadline.to_string()), "{message}");

        // A notice dated after the deadline is refused; one served in time is recorded, and then
        // the extension stands.
        let late = deadline + chrono::Duration::days(1);
        let (s, e) = app.json("POST", &notice, &ihmo, json!({"version": v["tenancy_version"], "served_on": late.to_string()})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert!(e["message"].as_str().unwrap().contains("too late"), "{e}");
        let (s, v) = app.json("POST", &notice, &ihmo, json!({"version": v["tenancy_version"], "served_on": deadline.to_string()})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["notice_served_on"], deadline.to_string());
        let (s, e) = app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &tl, json!({"version": v["open"]["version"], "action": "approve"})).await;
        assert_eq!(s, StatusCode::OK, "{e}");
        assert_eq!(text(&app.db, &format!("SELECT tenure FROM tenancies WHERE reference = '{reference}'")).await, "extended_introductory");
    }
}

/// Housing Act 1996 ss.124–125: the tenancy is introductory for the trial period only. A
/// "make secure" recorded after the anniversary is dated on the anniversary.
#[tokio::test]
async fn a_late_make_secure_is_dated_on_the_anniversary() {
    let app = TestApp::new(Engine::Sqlite).await;
    // Any introductory tenancy past its anniversary with nothing proposed, its officer and Team Leader.
    let row = text(
        &app.db,
        &format!(
            "SELECT t.reference || ' ' || t.trial_ends_on || ' ' || u.username || ' ' || tl.username FROM tenancies t \
             JOIN users u ON u.id = t.owner_id JOIN users tl ON tl.area_team_id = u.area_team_id AND tl.role = 'team_leader' \
             WHERE t.tenure = 'introductory' AND t.status = 'active' AND u.role = 'introductory_hmo' AND t.trial_ends_on < '{}' \
               AND NOT EXISTS (SELECT 1 FROM workflow_items w WHERE w.subject_type = 'tenancy' AND w.subject_id = t.id) \
             ORDER BY t.trial_ends_on DESC LIMIT 1",
            app::api::kit::clock::today()
        ),
    )
    .await;
    let [reference, end, officer, leader]: [&str; 4] = row.splitn(4, ' ').collect::<Vec<_>>().try_into().unwrap();
    let (reference, end) = (reference.to_string(), end.to_string());
    let ihmo = app.token(officer, PASSWORD).await.unwrap();
    let tl = app.token(leader, PASSWORD).await.unwrap();
    let path = format!("/api/v1/tenancies/{reference}/review");
    let v = body_json(app.get_bearer(&path, &ihmo).await).await;
    assert_eq!(v["outcomes"], json!(["make_secure"]), "after the anniversary only the record of the law's effect remains");
    let (s, v) = app
        .json("POST", &path, &ihmo, json!({"version": v["tenancy_version"], "outcome": "make_secure", "reason": "Settled well; review recorded late"}))
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let item = v["open"]["id"].as_i64().unwrap();
    let (s, v) = app.json("POST", &format!("/api/v1/workflow/{item}/decision"), &tl, json!({"version": v["open"]["version"], "action": "approve"})).await;
    assert_eq!(s, StatusCode::OK, "{v}");
    assert_eq!(v["effective_on"], end, "secure from the anniversary, not from today");
}

/// On the demo council (s.125A(2)): every introductory tenancy with no decision whose review has
/// sounded is listed with a due clock, and shows its notice deadline while an extension is still
/// lawful; none whose notice deadline has passed is offered an extension.
#[tokio::test]
async fn on_the_demo_council_every_lawful_extension_is_warned_and_no_late_one_offered() {
    let app = TestApp::new(Engine::Sqlite).await;
    let today = app::api::kit::clock::today();
    let timescales = app::domain::introductory::Timescales::default();
    let rows = texts(
        &app.db,
        "SELECT t.reference || ' ' || t.trial_ends_on || ' ' || u.username || ' ' || a.name FROM tenancies t \
         JOIN users u ON u.id = t.owner_id JOIN properties p ON p.id = t.property_id JOIN area_teams a ON a.id = p.area_team_id \
         WHERE t.tenure = 'introductory' AND t.status = 'active' AND NOT EXISTS (SELECT 1 FROM workflow_items w \
           WHERE w.subject_type = 'tenancy' AND w.subject_id = t.id AND w.flow = 'introductory_review' AND w.state IN ('proposed', 'sent_back', 'completed')) \
         ORDER BY t.trial_ends_on",
    )
    .await;
    assert!(rows.len() > 20, "the demo has introductory tenancies: {}", rows.len());
    let mut tokens = std::collections::HashMap::new();
    let mut due_lists = std::collections::HashMap::new();
    let (mut warned, mut lawful, mut late) = (0, 0, 0);
    for row in rows {
        let [reference, end, owner, area]: [&str; 4] = row.splitn(4, ' ').collect::<Vec<_>>().try_into().unwrap();
        let end: chrono::NaiveDate = end.parse().unwrap();
        if !tokens.contains_key(owner) {
            tokens.insert(owner.to_string(), app.token(owner, PASSWORD).await.unwrap());
        }
        let token = &tokens[owner];
        let deadline = app::domain::clock::extension_notice_last_day(end);
        let (s, panel) = app.get_json(&format!("/api/v1/tenancies/{reference}/review"), token).await;
        assert_eq!(s, StatusCode::OK, "{panel}");
        let offered = panel["outcomes"].as_array().unwrap().iter().any(|o| o == "extend");
        if today > deadline {
            late += 1;
            assert!(!offered, "{reference}: its notice deadline {deadline} has passed, yet an extension is offered");
            continue;
        }
        lawful += 1;
        assert!(offered, "{reference}: an extension is still lawful until {deadline}");
        assert!(panel["notice_clock"].is_string(), "{reference}: the notice deadline has its clock");
        if today >= timescales.review_warning_from(end) {
            warned += 1;
            assert_eq!(panel["trial_clock"], "due_soon", "{reference}");
            if !due_lists.contains_key(area) {
                let tl = text(
                    &app.db,
                    &format!(
                        "SELECT u.username FROM users u JOIN area_teams a ON a.id = u.area_team_id WHERE u.role = 'team_leader' AND a.name = '{area}' LIMIT 1"
                    ),
                )
                .await;
                let tl = app.token(&tl, PASSWORD).await.unwrap();
                let (_, due) = app.get_json("/api/v1/reviews-due", &tl).await;
                due_lists.insert(area.to_string(), due);
            }
            let listed = due_lists[area].as_array().unwrap().iter().find(|t| t["reference"] == reference);
            let listed = listed.unwrap_or_else(|| panic!("{reference} (anniversary {end}) is not on {area}'s reviews due"));
            assert_eq!(listed["notice_by"], deadline.to_string(), "{reference}");
        }
    }
    assert!(warned > 0 && lawful > warned && late > 0, "the demo exercises every case: warned {warned}, lawful {lawful}, late {late}");
}

/// A council's own timescale reaches the due date it sets: escalations given 20 working days
/// (`HEARTH_ESCALATION_RESPONSE_DAYS`) fall due 20 working days out by the council's calendar.
#[tokio::test]
async fn a_councils_own_timescale_dates_its_steps() {
    let app = TestApp::configured(Engine::Sqlite, |s| s.escalation_response_days = 20).await;
    let chmo = app.token("chmo.east1", PASSWORD).await.unwrap();
    let work = body_json(app.get_bearer("/api/v1/my-work", &chmo).await).await;
    let reference = work["tenancies"][0]["reference"].as_str().unwrap().to_string();
    let panel = body_json(app.get_bearer(&format!("/api/v1/tenancies/{reference}/review"), &chmo).await).await;
    let (s, v) = app
        .json(
            "POST",
            &format!("/api/v1/tenancies/{reference}/escalations"),
            &chmo,
            json!({"version": panel["tenancy_version"], "purpose": "notice", "reason": "Serious arrears, no contact for 8 weeks"}),
        )
        .await;
    assert_eq!(s, StatusCode::OK, "{v}");
    let today = app::api::kit::clock::today();
    let res = app.get(&format!("/api/v1/calendar/working-days?from={today}&add=20"), None).await;
    let expected = body_json(res).await["date"].as_str().unwrap().to_string();
    assert_eq!(v["escalations"][0]["due_on"].as_str().map(|d| &d[..10]), Some(expected.as_str()), "{v}");
}

/// Housing Act 1996 s.125(3): time as an introductory tenant of another council, or an assured
/// shorthold tenant of a registered provider, that ended immediately before the tenancy began
/// counts towards the trial period. Recorded once, it moves the trial's end; a gap is refused.
#[tokio::test]
async fn an_earlier_tenancy_moves_the_trial_end() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let ihmo = app.token("ihmo.east1", PASSWORD).await.unwrap();
        let (reference, end) = introductory_of(&app, "ihmo.east1", true).await;
        let path = format!("/api/v1/tenancies/{reference}/review");
        let prior_path = format!("/api/v1/tenancies/{reference}/prior-tenancy");
        let v = body_json(app.get_bearer(&path, &ihmo).await).await;
        assert_eq!(v["can_record_prior"], true, "{v}");
        let start: chrono::NaiveDate = text(&app.db, &format!("SELECT start_date FROM tenancies WHERE reference = '{reference}'")).await.parse().unwrap();
        let before = start - chrono::Duration::days(1);
        let from = start - chrono::Duration::days(61);
        // A gap between the two tenancies: refused, saying why.
        let (s, e) = app
            .json(
                "POST",
                &prior_path,
                &ihmo,
                json!({"version": v["tenancy_version"], "kind": "assured_shorthold", "landlord": "Yorkshire Housing", "from": from.to_string(), "to": (before - chrono::Duration::days(9)).to_string()}),
            )
            .await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert!(e["message"].as_str().unwrap().contains("s.125(3)"), "{e}");
        // Another area's officer may not.
        let west = app.token("ihmo.west1", PASSWORD).await.unwrap();
        let body = json!({"version": v["tenancy_version"], "kind": "assured_shorthold", "landlord": "Yorkshire Housing", "from": from.to_string(), "to": before.to_string()});
        let (s, _) = app.json("POST", &prior_path, &west, body.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        // Sixty-one days immediately before: the trial ends sixty-one days earlier.
        let (s, v) = app.json("POST", &prior_path, &ihmo, body.clone()).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let end: chrono::NaiveDate = end.parse().unwrap();
        assert_eq!(v["trial_ends_on"], (end - chrono::Duration::days(61)).to_string());
        assert_eq!(v["prior_counted_days"], 61);
        assert_eq!(v["notice_last_day"], app::domain::clock::extension_notice_last_day(end - chrono::Duration::days(61)).to_string());
        assert_eq!(v["can_record_prior"], false);
        // Once only; the stale version is refused too.
        let (s, _) = app.json("POST", &prior_path, &ihmo, json!({"version": v["tenancy_version"], "kind": "introductory", "landlord": "Leeds City Council", "from": from.to_string(), "to": before.to_string()})).await;
        assert_eq!(s, StatusCode::CONFLICT);
        assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'record_prior_tenancy'").await, 1);
    }
}

/// Housing Act 1996 ss.128–129: after the Team Leader approves seeking possession, a notice of
/// proceedings "shall set out the reasons", "specify a date after which proceedings ... may be
/// begun" no earlier than a notice to quit (four weeks), and tell the tenant of the right to a
/// review, asked for within 14 days and decided before that date. Each step is refused out of
/// order or out of time, by the API, with the section.
#[tokio::test]
async fn possession_follows_the_statute_step_by_step() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let ihmo = app.token("ihmo.east1", PASSWORD).await.unwrap();
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let (reference, _) = introductory_of(&app, "ihmo.east1", true).await;
        let review = format!("/api/v1/tenancies/{reference}/review");
        let steps = format!("/api/v1/tenancies/{reference}/introductory-steps");
        let today = app::api::kit::clock::today();
        let day = |n: i64| (today + chrono::Duration::days(n)).to_string();
        let v = body_json(app.get_bearer(&review, &ihmo).await).await;
        assert_eq!(v["next_steps"], json!([]), "nothing before the decision: {v}");
        // A notice before the decision to seek possession is out of order.
        let notice = json!({"version": v["tenancy_version"], "kind": "notice_of_proceedings", "on": day(0), "proceedings_from": day(28),
            "detail": "Arrears of £1,240 and no agreement kept", "rights_told": true});
        let (s, e) = app.json("POST", &steps, &ihmo, notice.clone()).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert!(e["message"].as_str().unwrap().contains("approved"), "{e}");
        // Propose and approve seeking possession.
        let (s, v) = app
            .json(
                "POST",
                &review,
                &ihmo,
                json!({"version": v["tenancy_version"], "outcome": "seek_possession", "reason": "Arrears rising for six months, no contact"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let item = &v["open"];
        let (s, d) =
            app.json("POST", &format!("/api/v1/workflow/{}/decision", item["id"]), &tl, json!({"version": item["version"], "action": "approve"})).await;
        assert_eq!(s, StatusCode::OK, "{d}");
        let v = body_json(app.get_bearer(&review, &ihmo).await).await;
        assert_eq!(v["next_steps"], json!(["notice_of_proceedings"]), "{v}");
        assert!(v["step_deadlines"][0]["label"].as_str().unwrap().contains("notice of proceedings"), "{v}");
        let version = v["tenancy_version"].clone();
        let with = |patch: serde_json::Value| {
            let mut body = notice.clone();
            body["version"] = version.clone();
            body.as_object_mut().unwrap().extend(patch.as_object().unwrap().clone());
            body
        };
        // s.128(4): four weeks at least; s.128(6)-(7): the review right told; s.128(3): reasons.
        for (patch, cites) in [
            (json!({"proceedings_from": day(27)}), "s.128(4)"),
            (json!({"rights_told": false}), "s.128(6)"),
            (json!({"detail": "arrears"}), "s.128(3)"),
            (json!({"on": day(1)}), "future"),
        ] {
            let (s, e) = app.json("POST", &steps, &ihmo, with(patch.clone())).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{patch}: {e}");
            assert!(e["message"].as_str().unwrap().contains(cites), "{patch}: {e}");
        }
        // Another area's officer may not record it.
        let west = app.token("ihmo.west1", PASSWORD).await.unwrap();
        let (s, _) = app.json("POST", &steps, &west, with(json!({}))).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = app.json("POST", &steps, &ihmo, with(json!({}))).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["steps"][0]["kind"], "notice_of_proceedings");
        assert_eq!(v["steps"][0]["proceedings_from"], day(28));
        assert_eq!(v["next_steps"], json!(["possession_review_requested", "notice_withdrawn"]), "{v}");
        let asks = v["step_deadlines"].as_array().unwrap().iter().find(|d| d["label"].as_str().unwrap().contains("s.129")).cloned().unwrap();
        assert_eq!(asks["due"], day(13), "14 days beginning with the day served (s.129(1))");
        // The same notice again, on the old version: a conflict, nothing recorded twice.
        let (s, _) = app.json("POST", &steps, &ihmo, with(json!({}))).await;
        assert_eq!(s, StatusCode::CONFLICT);
        // The tenant asks for a review (s.129); proceedings cannot begin until it is decided.
        let (s, v) = app.json("POST", &steps, &ihmo, json!({"version": v["tenancy_version"], "kind": "possession_review_requested", "on": day(0)})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let due = v["step_deadlines"].as_array().unwrap().iter().find(|d| d["label"].as_str().unwrap().contains("s.129(6)")).cloned().unwrap();
        assert_eq!(due["due"], day(27), "decided before the date in the notice (s.129(6))");
        let (s, e) = app.json("POST", &steps, &tl, json!({"version": v["tenancy_version"], "kind": "proceedings_begun", "on": day(0)})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        let (s, e) =
            app.json("POST", &steps, &tl, json!({"version": v["tenancy_version"], "kind": "possession_review_decided", "on": day(0), "detail": "x"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "an outcome is needed: {e}");
        // Legal records the review's outcome.
        let legal = app.token("legal", PASSWORD).await.unwrap();
        let (s, v) = app
            .json(
                "POST",
                &steps,
                &legal,
                json!({"version": v["tenancy_version"], "kind": "possession_review_decided", "on": day(0), "outcome": "confirmed", "detail": "Panel confirmed: no payments since the notice"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["steps"].as_array().unwrap().len(), 3);
        assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'record_introductory_step'").await, 3);
    }
}

/// Housing Act 1996 s.130: where proceedings for possession have begun, the tenancy "remains an
/// introductory tenancy until" they are determined, so no "secure by law" alarm sounds while the
/// court decides; once the claim is dismissed after the anniversary, the tenancy is secure and
/// the review is due again.
#[tokio::test]
async fn proceedings_keep_the_tenancy_introductory_until_they_end() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let tl = app.token("tl.east", PASSWORD).await.unwrap();
        let ihmo = app.token("ihmo.east1", PASSWORD).await.unwrap();
        // An introductory tenancy whose anniversary passed ten days ago with no decision.
        let (reference, _) = introductory_of(&app, "ihmo.east1", true).await;
        let end = app::api::kit::clock::today() - chrono::Duration::days(10);
        sqlx::query::<sqlx::Any>("UPDATE tenancies SET trial_ends_on = $1 WHERE reference = $2")
            .bind(end.to_string())
            .bind(&reference)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let listed = |due: &serde_json::Value| due.as_array().unwrap().iter().any(|t| t["reference"] == reference.as_str());
        assert!(listed(&app.get_json("/api/v1/reviews-due", &tl).await.1), "past its anniversary, the review is overdue");
        // Proceedings begun before the anniversary, as recorded at the time.
        let id = scalar(&app.db, &format!("SELECT id FROM tenancies WHERE reference = '{reference}'")).await;
        let owner = scalar(&app.db, &format!("SELECT owner_id FROM tenancies WHERE reference = '{reference}'")).await;
        for (kind, on, from) in [
            ("notice_of_proceedings", end - chrono::Duration::days(70), Some(end - chrono::Duration::days(40))),
            ("proceedings_begun", end - chrono::Duration::days(30), None),
        ] {
            sqlx::query::<sqlx::Any>(
                "INSERT INTO introductory_steps (tenancy_id, kind, on_date, proceedings_from, detail, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, 'Arrears', $5, '2026-01-01T00:00:00Z')",
            )
            .bind(id)
            .bind(kind)
            .bind(on.to_string())
            .bind(from.map(|d| d.to_string()))
            .bind(owner)
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        assert!(!listed(&app.get_json("/api/v1/reviews-due", &tl).await.1), "s.130: not secure by law while proceedings run");
        let v = body_json(app.get_bearer(&format!("/api/v1/tenancies/{reference}/review"), &ihmo).await).await;
        assert_eq!(v["proceedings_running"], true, "{v}");
        assert_eq!(v["trial_clock"], serde_json::Value::Null);
        assert_eq!(v["outcomes"], json!([]));
        assert_eq!(v["next_steps"], json!(["proceedings_ended"]));
        let today = app::api::kit::clock::today().to_string();
        let (s, v) = app
            .json(
                "POST",
                &format!("/api/v1/tenancies/{reference}/introductory-steps"),
                &ihmo,
                json!({"version": v["tenancy_version"], "kind": "proceedings_ended", "on": today, "outcome": "dismissed", "detail": "Claim dismissed: arrears cleared"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["proceedings_running"], false);
        assert_eq!(v["trial_clock"], "overdue");
        assert_eq!(v["outcomes"], json!(["make_secure"]), "secure by law once the trial has ended: {v}");
        assert!(listed(&app.get_json("/api/v1/reviews-due", &tl).await.1));
    }
}
