//! The two defects issue 18 names, on every engine: one working-day calendar for the pages, the
//! API and the public calendar endpoint; and the audit row written in its change's own
//! transaction, so a change nobody can account for is never kept.

mod common;

use axum::http::StatusCode;
use chrono::NaiveDate;
use common::*;
use serde_json::json;

async fn tok(app: &TestApp, user: &str) -> String {
    app.token(user, PASSWORD).await.unwrap_or_else(|| panic!("{user} signs in"))
}

/// An open case of a Community HMO with nothing open on it: (reference, owner's username).
async fn quiet_case(app: &TestApp) -> (String, String) {
    let case = text(
        &app.db,
        "SELECT c.reference FROM cases c WHERE c.restricted = 0 AND c.status = 'open' AND c.owner_role = 'community_hmo' \
         AND NOT EXISTS (SELECT 1 FROM workflow_items w WHERE w.subject_type = 'case' AND w.subject_id = c.id AND w.state IN ('proposed', 'sent_back')) ORDER BY c.id LIMIT 1",
    )
    .await;
    let owner = text(&app.db, &format!("SELECT u.username FROM cases c JOIN users u ON u.id = c.owner_id WHERE c.reference = '{case}'")).await;
    (case, owner)
}

async fn working_days_after(app: &TestApp, from: NaiveDate, n: u32) -> NaiveDate {
    let res = app.get(&format!("/api/v1/calendar/working-days?from={from}&add={n}"), None).await;
    assert_eq!(res.status(), StatusCode::OK);
    body_json(res).await["date"].as_str().expect("a date").parse().expect("YYYY-MM-DD")
}

/// An administrator adds a bank holiday: the due date of an escalation made afterwards moves by a
/// working day, and the case page, the case's JSON and the public calendar endpoint all say the
/// same day (defect 1: services dated steps by the built-in calendar only).
#[tokio::test]
async fn an_added_bank_holiday_moves_due_dates_alike_on_the_page_in_the_api_and_in_the_calendar() {
    let days = app::domain::sustain::ESCALATION_RESPONSE_WORKING_DAYS;
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let today = app::api::kit::clock::today();
        let before = working_days_after(&app, today, days).await;
        let admin = tok(&app, "admin").await;

        // Only an administrator adds one; a weekend date or no name is refused, saying why.
        let (case, owner) = quiet_case(&app).await;
        let owner_t = tok(&app, &owner).await;
        let (s, _) = app.json("POST", "/api/v1/admin/bank-holidays", &owner_t, json!({"date": "2030-06-03", "name": "Not theirs to add"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, v) = app.json("POST", "/api/v1/admin/bank-holidays", &admin, json!({"date": "2030-06-01", "name": ""})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST);
        assert!(v["message"].as_str().unwrap().contains("Saturday") && v["message"].as_str().unwrap().contains("name"), "{v}");

        // A one-off holiday on the next working day.
        let calendar = app::domain::clock::WorkingCalendar::england_and_wales();
        let mut holiday = calendar.next_working_day(today);
        while working_days_after(&app, holiday, 0).await != holiday {
            holiday = calendar.next_working_day(holiday);
        }
        let (s, v) = app.json("POST", "/api/v1/admin/bank-holidays", &admin, json!({"date": holiday.to_string(), "name": "Hearth test holiday"})).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert!(v["holidays"].as_array().unwrap().iter().any(|h| h["date"] == holiday.to_string().as_str()), "the administration page lists it: {v}");
        let after = working_days_after(&app, today, days).await;
        assert!(after > before, "the endpoint counts the added holiday: {before} then {after}");

        // An escalation made now is due on that same day in the API and on the page.
        let (s, v) = app.escalate_case(&case, &owner_t, "Breach of tenancy: a notice is needed").await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let item = v["workflow"].as_array().unwrap().iter().find(|w| w["flow"] == "escalation" && w["state"] == "proposed").expect("the escalation").clone();
        assert_eq!(item["due_on"].as_str().unwrap().get(..10), Some(after.to_string().as_str()), "the API's due date: {item}");
        let cookie = app.sign_in(&owner, PASSWORD).await.unwrap();
        let page = body_text(app.get(&format!("/cases/{case}"), Some(&cookie)).await).await;
        assert!(page.contains(&format!("due {after}")), "the page shows the same due date, {after}");
        assert!(!page.contains(&format!("due {before}")), "and not the one without the holiday, {before}");
    }
}

/// Makes every audit row for `actions` fail to insert, as a full disk or a broken audit table would.
async fn break_audit_for(app: &TestApp, engine: Engine, actions: &str) {
    let statements: Vec<String> = match engine {
        Engine::Sqlite => vec![format!(
            "CREATE TRIGGER audit_breaks BEFORE INSERT ON audit_log WHEN NEW.action IN ({actions}) BEGIN SELECT RAISE(ABORT, 'audit log unavailable'); END"
        )],
        Engine::Postgres => vec![
            format!(
                "CREATE FUNCTION audit_breaks() RETURNS trigger LANGUAGE plpgsql AS $f$ BEGIN \
                 IF NEW.action IN ({actions}) THEN RAISE EXCEPTION 'audit log unavailable'; END IF; RETURN NEW; END $f$"
            ),
            "CREATE TRIGGER audit_breaks BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION audit_breaks()".into(),
        ],
    };
    for sql in statements {
        sqlx::query::<sqlx::Any>(&sql).execute(&app.db.pool).await.expect("install the failing trigger");
    }
}

async fn mend_audit(app: &TestApp, engine: Engine) {
    let sql = match engine {
        Engine::Sqlite => "DROP TRIGGER audit_breaks",
        Engine::Postgres => "DROP TRIGGER audit_breaks ON audit_log",
    };
    sqlx::query::<sqlx::Any>(sql).execute(&app.db.pool).await.expect("drop the failing trigger");
}

/// Defect 2: a change and the audit row that accounts for it are one transaction. When the audit
/// row cannot be written, the change is rolled back and the caller is told plainly that nothing
/// was saved; once the log works again, the same request succeeds and is audited.
#[tokio::test]
async fn a_change_whose_audit_row_fails_is_rolled_back_with_a_clear_error() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let (case, owner) = quiet_case(&app).await;
        let owner_t = tok(&app, &owner).await;
        let admin = tok(&app, "admin").await;
        break_audit_for(&app, engine, "'escalate', 'create_agency'").await;

        // An update of existing records: the escalation.
        let (_, before) = app.get_json(&format!("/api/v1/cases/{case}"), &owner_t).await;
        let items = scalar(&app.db, "SELECT COUNT(*) FROM workflow_items").await;
        let body = json!({"version": before["version"], "purpose": "notice", "reason": "Breach of tenancy: a notice is needed"});
        let (s, v) = app.json("POST", &format!("/api/v1/cases/{case}/escalations"), &owner_t, body.clone()).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR, "{v}");
        assert_eq!(v["error"], "not_recorded", "{v}");
        assert!(v["message"].as_str().unwrap().starts_with("Nothing was saved"), "{v}");
        assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM workflow_items").await, items, "no escalation was kept");
        let (_, after) = app.get_json(&format!("/api/v1/cases/{case}"), &owner_t).await;
        assert_eq!(after["version"], before["version"], "the case was not touched");

        // A new record: the agency.
        let agency = json!({"name": "Rolled Back Mediation", "kind": "mediation"});
        let (s, v) = app.json("POST", "/api/v1/admin/agencies", &admin, agency.clone()).await;
        assert_eq!(s, StatusCode::INTERNAL_SERVER_ERROR, "{v}");
        assert_eq!(scalar(&app.db, "SELECT COUNT(*) FROM agencies WHERE name = 'Rolled Back Mediation'").await, 0, "no agency was kept");

        mend_audit(&app, engine).await;
        let (s, v) = app.json("POST", &format!("/api/v1/cases/{case}/escalations"), &owner_t, body).await;
        assert_eq!(s, StatusCode::OK, "the same request succeeds once the log works: {v}");
        let (s, _) = app.json("POST", "/api/v1/admin/agencies", &admin, agency).await;
        assert_eq!(s, StatusCode::OK);
        let case_id = scalar(&app.db, &format!("SELECT id FROM cases WHERE reference = '{case}'")).await;
        assert_eq!(
            scalar(
                &app.db,
                &format!(
                    "SELECT COUNT(*) FROM audit_log a JOIN workflow_items w ON w.id = a.subject_id WHERE a.action = 'escalate' \
                     AND a.subject_type = 'workflow_item' AND w.subject_type = 'case' AND w.subject_id = {case_id}"
                )
            )
            .await,
            1,
            "the kept escalation is audited once, against its own item"
        );
        assert_eq!(
            scalar(
                &app.db,
                "SELECT COUNT(*) FROM audit_log a JOIN agencies g ON g.id = a.subject_id WHERE a.action = 'create_agency' AND g.name = 'Rolled Back Mediation'"
            )
            .await,
            1,
            "the new agency's audit row carries its id"
        );
    }
}
