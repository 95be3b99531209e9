//! Visits officers record: the report, its findings' clocks, a resend recorded once, and who may.
//! On SQLite, and on PostgreSQL when configured.

mod common;

use app::domain::FindingKind;
use app::domain::clock::WorkingCalendar;
use app::domain::visits::follow_up_due;
use axum::http::StatusCode;
use chrono::{DateTime, Days, Utc};
use common::*;
use serde_json::{Value, json};

/// A tenancy that began before last week, its holder and another area's Community HMO.
async fn subject(db: &hearth::db::Db) -> (String, String, String) {
    let row = text(
        db,
        &format!(
            "SELECT t.reference || ' ' || u.username || ' ' || CAST(p.area_team_id AS TEXT) FROM tenancies t JOIN users u ON u.id = t.owner_id \
             JOIN properties p ON p.id = t.property_id WHERE t.status = 'active' AND u.role = 'community_hmo' AND u.active = 1 \
             AND t.start_date < '{}' ORDER BY t.id LIMIT 1",
            app::api::kit::clock::today() - Days::new(10)
        ),
    )
    .await;
    let f: Vec<&str> = row.split(' ').collect();
    let other =
        text(db, &format!("SELECT username FROM users WHERE role = 'community_hmo' AND active = 1 AND area_team_id <> {} ORDER BY id LIMIT 1", f[2])).await;
    (f[0].to_string(), f[1].to_string(), other)
}

/// A minute ago in London: the day and the time at the door, for a visit that has just happened.
fn just_now() -> (String, String) {
    let t = app::domain::clock::to_london(Utc::now() - chrono::Duration::minutes(1));
    (t.date_naive().to_string(), t.format("%H:%M").to_string())
}

fn report(key: &str, on: &str, findings: Value) -> Value {
    json!({"kind": "home_check", "on": on, "at": "10:30", "outcome": "completed", "findings": findings, "notes": "Spoke to the tenant at the door.", "client_key": key})
}

#[tokio::test]
async fn an_officer_records_a_visit_and_its_findings_start_their_clocks() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, other) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let path = format!("/api/v1/tenancies/{reference}/visits");
        let yesterday = (app::api::kit::clock::today() - Days::new(1)).to_string();
        let findings = json!([{"kind": "disrepair", "detail": "Damp in the back bedroom, black mould on the wall"}, {"kind": "safeguarding", "detail": "Tenant seemed frightened of a visitor"}]);

        let (s, v) = app.json("POST", &path, &token, report("visit-key-0001", &yesterday, findings.clone())).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["replayed"], false);
        let id = v["id"].as_i64().unwrap();
        // Each finding's follow-up falls due by Haringey's standards, counted from the visit.
        let at: DateTime<Utc> = app::domain::clock::london_at(yesterday.parse().unwrap(), "10:30:00".parse().unwrap());
        let cal = WorkingCalendar::england_and_wales();
        let due = |k: &str| {
            v["follow_ups"].as_array().unwrap().iter().find(|f| f["kind"] == k).unwrap()["due_at"].as_str().unwrap().parse::<DateTime<Utc>>().unwrap()
        };
        assert_eq!(due("disrepair"), follow_up_due(FindingKind::Disrepair, at, cal));
        assert_eq!(due("safeguarding"), follow_up_due(FindingKind::Safeguarding, at, cal));
        assert_eq!(v["follow_ups"][0]["within"], "2 working days", "{v}");
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM visit_findings WHERE visit_id = {id} AND due_at IS NOT NULL AND actioned_at IS NULL")).await, 2);
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'record_visit' AND outcome = 'allowed' AND detail LIKE 'home_check completed %' AND username = '{holder}'")).await, 1);

        // The follow-ups wait on the officer's My work, most urgent first, until closed with what was done.
        let (_, work) = app.get_json("/api/v1/my-work", &token).await;
        let mine: Vec<&Value> = work["follow_ups"].as_array().unwrap().iter().filter(|f| f["tenancy_reference"] == reference.as_str()).collect();
        assert!(mine.iter().any(|f| f["detail"] == "Damp in the back bedroom, black mould on the wall"), "{}", work["follow_ups"]);
        let clocks: Vec<u8> = work["follow_ups"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| match f["clock"].as_str().unwrap() {
                "overdue" => 0,
                "due_soon" => 1,
                _ => 2,
            })
            .collect();
        assert!(clocks.windows(2).all(|w| w[0] <= w[1]), "most urgent first: {clocks:?}");
        let disrepair = mine.iter().find(|f| f["kind"] == "disrepair").unwrap()["id"].as_i64().unwrap();
        let done = format!("/api/v1/follow-ups/{disrepair}/done");
        let (s, r) = app.json("POST", &done, &token, json!({"note": "ok"})).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{r}");
        let (s, _) = app.json("POST", &done, &token, json!({"note": "Referred to repairs, job R-20411"})).await;
        assert_eq!(s, StatusCode::NO_CONTENT);
        let (s, r) = app.json("POST", &done, &token, json!({"note": "Referred to repairs again"})).await;
        assert_eq!(s, StatusCode::CONFLICT, "{r}");
        assert_eq!(text(db, &format!("SELECT action_note FROM visit_findings WHERE id = {disrepair}")).await, "Referred to repairs, job R-20411");
        let (_, work) = app.get_json("/api/v1/my-work", &token).await;
        assert!(!work["follow_ups"].as_array().unwrap().iter().any(|f| f["id"].as_i64() == Some(disrepair)), "closed follow-ups leave My work");

        // Sent again (a phone that lost the answer): recorded once, the same answer.
        let (s, again) = app.json("POST", &path, &token, report("visit-key-0001", &yesterday, findings.clone())).await;
        assert_eq!(s, StatusCode::OK, "{again}");
        assert_eq!((again["id"].as_i64(), again["replayed"].as_bool()), (Some(id), Some(true)));
        let due_ats = |x: &Value| x["follow_ups"].as_array().unwrap().iter().map(|f| f["due_at"].clone()).collect::<Vec<_>>();
        assert_eq!(due_ats(&again), due_ats(&v));
        assert_eq!(again["follow_ups"][0]["actioned"], true, "the replay shows the visit as it now stands");
        assert_eq!(scalar(db, "SELECT COUNT(*) FROM visits WHERE client_key = 'visit-key-0001'").await, 1);

        // The tenancy shows it, with what it found.
        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        let shown = page["visits"].as_array().unwrap().iter().find(|x| x["id"].as_i64() == Some(id)).unwrap_or_else(|| panic!("{}", page["visits"]));
        assert_eq!(shown["outcome"], "completed");
        assert_eq!(shown["findings"].as_array().unwrap().len(), 2);

        // Safeguarding findings are need-to-know: a colleague in the same team may open the tenancy
        // but reads "Restricted finding", and nothing of what was seen.
        let colleague = text(
            db,
            &format!("SELECT c.username FROM users c JOIN users h ON h.area_team_id = c.area_team_id WHERE h.username = '{holder}' AND c.username <> '{holder}' AND c.role IN ('community_hmo', 'introductory_hmo', 'sustainable_hmo') AND c.active = 1 ORDER BY c.id LIMIT 1"),
        )
        .await;
        let res = app.get_bearer(&format!("/api/v1/tenancies/{reference}"), &app.token(&colleague, PASSWORD).await.unwrap()).await;
        assert_eq!(res.status(), StatusCode::OK);
        let body = body_text(res).await;
        assert!(body.contains("Restricted finding"), "{body}");
        assert!(!body.contains("frightened of a visitor") && !body.contains("Safeguarding concern"), "a colleague reads no safeguarding finding");
        assert!(body.contains("\"Disrepair\""), "other findings are the team's to see");

        // No access, with a calling card: no findings, no clocks.
        let (s, v) = app
            .json(
                "POST",
                &path,
                &token,
                json!({"kind": "home_check", "on": yesterday, "at": "16:05", "outcome": "no_access", "card_left": true, "client_key": "visit-key-0002"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["follow_ups"], json!([]));
        assert_eq!(scalar(db, "SELECT card_left FROM visits WHERE client_key = 'visit-key-0002'").await, 1);

        // Bad reports: a clear 400 each, nothing recorded.
        let tomorrow = (app::api::kit::clock::today() + Days::new(1)).to_string();
        for (body, says) in [
            (report("visit-key-0003", &tomorrow, json!([])), "future"),
            (report("visit-key-0004", "1990-01-01", json!([])), "before the tenancy began"),
            (
                report("visit-key-0005", &yesterday, json!([{"kind": "disrepair", "detail": "Window broken"}, {"kind": "disrepair", "detail": "Door broken"}])),
                "twice",
            ),
            (report("visit-key-0006", &yesterday, json!([{"kind": "subletting", "detail": ""}])), "say what was found"),
            (
                json!({"kind": "home_check", "on": yesterday, "at": "10:00", "outcome": "no_access", "findings": [{"kind": "abandonment", "detail": "Post piled up"}], "client_key": "visit-key-0007"}),
                "No access",
            ),
            (report("short", &yesterday, json!([])), "key"),
            (
                json!({"kind": "home_check", "on": yesterday, "at": "10:00", "outcome": "scheduled", "client_key": "visit-key-0008"}),
                "what happened at the door",
            ),
        ] {
            let (s, v) = app.json("POST", &path, &token, body.clone()).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{body} -> {v}");
            assert!(v["message"].as_str().unwrap_or_default().contains(says), "{body} -> {v}");
        }
        assert_eq!(scalar(db, "SELECT COUNT(*) FROM visits WHERE client_key LIKE 'visit-key-%'").await, 2);

        // A key already used for another home is refused, not silently attached.
        let other_home = text(db, &format!("SELECT t.reference FROM tenancies t WHERE t.owner_id = (SELECT id FROM users WHERE username = '{holder}') AND t.reference <> '{reference}' AND t.status = 'active' ORDER BY t.id LIMIT 1")).await;
        let (s, v) = app.json("POST", &format!("/api/v1/tenancies/{other_home}/visits"), &token, report("visit-key-0001", &yesterday, json!([]))).await;
        assert_eq!(s, StatusCode::CONFLICT, "{v}");

        // Another area's officer, and Legal, record nothing here; the refusal is audited.
        let outsider = app.token(&other, PASSWORD).await.unwrap();
        let (s, _) = app.json("POST", &path, &outsider, report("visit-key-0009", &yesterday, json!([]))).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert!(
            scalar(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'record_visit' AND outcome LIKE 'denied%' AND username = '{other}'")).await >= 1
        );
        let legal = app.token(&text(db, "SELECT username FROM users WHERE role = 'legal' AND active = 1 ORDER BY id LIMIT 1").await, PASSWORD).await.unwrap();
        let (s, _) = app.json("POST", &path, &legal, report("visit-key-0010", &yesterday, json!([]))).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(scalar(db, "SELECT COUNT(*) FROM visits WHERE client_key IN ('visit-key-0009', 'visit-key-0010')").await, 0);
        let safeguarding = scalar(db, &format!("SELECT id FROM visit_findings WHERE visit_id = {id} AND kind = 'safeguarding'")).await;
        let (s, _) = app.json("POST", &format!("/api/v1/follow-ups/{safeguarding}/done"), &outsider, json!({"note": "Not mine to close"})).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM visit_findings WHERE id = {safeguarding} AND actioned_at IS NULL")).await, 1);
    }
}

/// The no-access ladder moves by itself: three unanswered visits at different times of day put the
/// letter on the tenancy with its clock; someone seen again clears it. The council sets the count.
#[tokio::test]
async fn unanswered_visits_climb_the_no_access_ladder() {
    for engine in engines() {
        let app = TestApp::configured(engine, |s| s.no_access_attempts = 3).await;
        let db = &app.db;
        let (reference, holder, _) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let path = format!("/api/v1/tenancies/{reference}/visits");
        let today = app::api::kit::clock::today();
        let knock = |n: u64, at: &str| json!({"kind": "home_check", "on": (today - Days::new(n)).to_string(), "at": at, "outcome": "no_access", "card_left": true, "client_key": format!("ladder-{n}-{}", at.replace(':', ""))});
        for (n, at) in [(3, "09:30"), (2, "13:15")] {
            let (s, v) = app.json("POST", &path, &token, knock(n, at)).await;
            assert_eq!(s, StatusCode::OK, "{v}");
        }
        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        assert_eq!(page["no_access"]["ladder"]["step"], "try_again", "{}", page["no_access"]);
        assert_eq!(page["no_access"]["ladder"]["attempts"], 2);
        let (s, v) = app.json("POST", &path, &token, knock(1, "18:40")).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        assert_eq!(page["no_access"]["ladder"]["step"], "send_letter", "{}", page["no_access"]);
        assert_eq!(page["no_access"]["ladder"]["parts"], json!(["morning", "afternoon", "evening"]));
        assert!(page["no_access"]["summary"].as_str().unwrap().contains("send the no-access letter by"));
        // The tenant answers at last: the ladder is gone.
        let (s, _) = app
            .json(
                "POST",
                &path,
                &token,
                json!({"kind": "home_check", "on": today.to_string(), "at": "00:01", "outcome": "completed", "client_key": "ladder-seen-0001"}),
            )
            .await;
        assert_eq!(s, StatusCode::OK);
        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        assert_eq!(page["no_access"], Value::Null);
    }
}

/// The Team Leader's visiting figures count what officers record, this week and month, and the
/// follow-ups by their clocks; nobody else reads them.
#[tokio::test]
async fn the_team_leader_sees_the_areas_visiting() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, _) = subject(db).await;
        let holder_name = text(db, &format!("SELECT display_name FROM users WHERE username = '{holder}'")).await;
        let leader = text(db, &format!("SELECT l.username FROM users l JOIN users u ON u.area_team_id = l.area_team_id WHERE u.username = '{holder}' AND l.role = 'team_leader' AND l.active = 1 ORDER BY l.id LIMIT 1")).await;
        let tl = app.token(&leader, PASSWORD).await.unwrap();
        let row = |v: &Value, name: &str| {
            v.as_array().unwrap().iter().find(|r| r["officer"] == name).cloned().unwrap_or(json!({"completed_week": 0, "follow_ups_open": 0}))
        };
        let (s, before) = app.get_json("/api/v1/visits/measures", &tl).await;
        assert_eq!(s, StatusCode::OK, "{before}");
        assert_eq!(before.as_array().unwrap().last().unwrap()["total"], true);

        let token = app.token(&holder, PASSWORD).await.unwrap();
        let (on, at) = just_now();
        let (s, v) = app
            .json("POST", &format!("/api/v1/tenancies/{reference}/visits"), &token, json!({"kind": "home_check", "on": on, "at": at, "outcome": "completed", "findings": [{"kind": "vulnerability", "detail": "Tenant needs support with bills"}], "client_key": "measures-0001"}))
            .await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, after) = app.get_json("/api/v1/visits/measures", &tl).await;
        let (b, a) = (row(&before, &holder_name), row(&after, &holder_name));
        assert_eq!(a["completed_week"].as_i64().unwrap(), b["completed_week"].as_i64().unwrap() + 1, "{a}");
        assert_eq!(a["follow_ups_open"].as_i64().unwrap(), b["follow_ups_open"].as_i64().unwrap() + 1, "{a}");

        let (s, _) = app.get_json("/api/v1/visits/measures", &token).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "officers read their own work on My work");

        // The same figures as CSV, the team's row carrying Haringey's targets.
        let res = app.get_bearer("/api/v1/visits/measures.csv", &tl).await;
        assert_eq!(res.status(), StatusCode::OK);
        let csv = body_text(res).await;
        let lines: Vec<&str> = csv.lines().collect();
        assert!(lines[0].starts_with("\u{feff}officer,completed_this_week,weekly_target,"), "{csv}");
        let team: Vec<&str> = lines.last().unwrap().split(',').collect();
        assert_eq!(
            (team[0], team[1], team[2], team[4]),
            ("Team", after.as_array().unwrap().last().unwrap()["completed_week"].to_string().as_str(), "80", "350")
        );
        assert_eq!(lines.len(), after.as_array().unwrap().len() + 1);
        assert_eq!(app.get_bearer("/api/v1/visits/measures.csv", &token).await.status(), StatusCode::FORBIDDEN);
    }
}

/// An officer's day: the visits planned for them in walking order, with what to check at each door;
/// a visit recorded for a planned one fulfils it (the stop shows as made, no second visit row).
#[tokio::test]
async fn an_officers_day_is_walked_in_order_and_a_recorded_visit_fulfils_its_stop() {
    use app::domain::route::{Point, length};
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, other) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let yesterday = app::api::kit::clock::today() - Days::new(1);
        // Yesterday's plan for the officer: six of their tenancies' home checks, one the subject's.
        let officer = scalar(db, &format!("SELECT id FROM users WHERE username = '{holder}'")).await;
        let mut booked = texts(
            db,
            &format!(
                "SELECT t.reference FROM tenancies t WHERE t.owner_id = {officer} AND t.status = 'active' AND t.reference <> '{reference}' \
                 AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.tenancy_id = t.id AND v.outcome = 'scheduled') ORDER BY t.id LIMIT 5"
            ),
        )
        .await;
        booked.push(reference.clone());
        for r in &booked {
            sqlx::query::<sqlx::Any>(&format!(
                "INSERT INTO visits (property_id, tenancy_id, visit_type, officer_id, scheduled_for, outcome, notes) \
                 SELECT property_id, id, 'home_check', {officer}, '{yesterday}', 'scheduled', '' FROM tenancies WHERE reference = '{r}'"
            ))
            .execute(&db.pool)
            .await
            .unwrap();
        }
        let path = format!("/api/v1/my-day?on={yesterday}");
        let (s, day) = app.get_json(&path, &token).await;
        assert_eq!(s, StatusCode::OK, "{day}");
        let stops = day["stops"].as_array().unwrap();
        let listed: Vec<&str> = stops.iter().map(|st| st["tenancy_reference"].as_str().unwrap()).collect();
        for r in &booked {
            assert!(listed.contains(&r.as_str()), "{r} is on the day: {listed:?}");
        }
        // The walk is no longer than taking the doors in the order they were booked, and its
        // length is the sum of its legs.
        let point = |st: &Value| Point { lat: st["latitude"].as_f64().unwrap(), lon: st["longitude"].as_f64().unwrap() };
        let walked: Vec<Point> = stops.iter().map(point).collect();
        let mut by_booking: Vec<&Value> = stops.iter().collect();
        by_booking.sort_by_key(|st| st["visit_id"].as_i64());
        let booked_order: Vec<Point> = by_booking.into_iter().map(point).collect();
        let all: Vec<usize> = (0..walked.len()).collect();
        assert!(length(&walked, &all) <= length(&booked_order, &all) + 1.0);
        let legs: i64 = stops.iter().map(|st| st["metres_from_previous"].as_i64().unwrap()).sum();
        assert!((legs - day["walk_metres"].as_i64().unwrap()).abs() <= stops.len() as i64, "{legs} vs {}", day["walk_metres"]);
        assert_eq!(stops[0]["metres_from_previous"], 0);
        // What to check at the door: the household as recorded, with ages.
        let subject_stop = stops.iter().find(|st| st["tenancy_reference"] == reference.as_str()).unwrap();
        let members = scalar(
            db,
            &format!(
                "SELECT COUNT(*) FROM household_members h JOIN tenancies t ON t.id = h.tenancy_id WHERE t.reference = '{reference}' AND h.left_on IS NULL"
            ),
        )
        .await;
        assert_eq!(subject_stop["household"].as_array().unwrap().len() as i64, members, "{subject_stop}");
        assert_eq!(subject_stop["outcome"], "scheduled");

        // The visit recorded for the planned one fills it in.
        let visits_before =
            scalar(db, &format!("SELECT COUNT(*) FROM visits v JOIN tenancies t ON t.id = v.tenancy_id WHERE t.reference = '{reference}'")).await;
        let (s, v) =
            app.json("POST", &format!("/api/v1/tenancies/{reference}/visits"), &token, report("day-key-0001", &yesterday.to_string(), json!([]))).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        assert_eq!(v["id"].as_i64(), subject_stop["visit_id"].as_i64(), "the planned visit is the one recorded");
        assert_eq!(
            scalar(db, &format!("SELECT COUNT(*) FROM visits v JOIN tenancies t ON t.id = v.tenancy_id WHERE t.reference = '{reference}'")).await,
            visits_before
        );
        let (_, day) = app.get_json(&path, &token).await;
        let made = day["stops"].as_array().unwrap().iter().find(|st| st["tenancy_reference"] == reference.as_str()).unwrap().clone();
        assert_eq!(made["outcome"], "completed");

        // Another officer's day does not hold these visits; partners have no day.
        let (s, theirs) = app.get_json(&path, &app.token(&other, PASSWORD).await.unwrap()).await;
        assert_eq!(s, StatusCode::OK);
        assert!(!theirs["stops"].as_array().unwrap().iter().any(|st| st["tenancy_reference"] == reference.as_str()));
        let partner = text(db, "SELECT username FROM users WHERE role = 'partner' AND active = 1 ORDER BY id LIMIT 1").await;
        let (s, _) = app.get_json("/api/v1/my-day", &app.token(&partner, PASSWORD).await.unwrap()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
        let (s, e) = app.get_json("/api/v1/my-day?on=yesterday", &token).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
    }
}

/// The programme: coverage per patch adds up to the area; a Team Leader previews a week's plan
/// (an absent officer's homes go to their cover), assigns it (booked once, audited), and the
/// coverage counts it as planned. Nobody else plans; a bad plan is a clear 400.
#[tokio::test]
async fn a_team_leader_plans_and_assigns_a_week_with_cover_honoured() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (_, holder, _) = subject(db).await;
        let area = scalar(db, &format!("SELECT area_team_id FROM users WHERE username = '{holder}'")).await;
        let leader =
            text(db, &format!("SELECT username FROM users WHERE area_team_id = {area} AND role = 'team_leader' AND active = 1 ORDER BY id LIMIT 1")).await;
        let tl = app.token(&leader, PASSWORD).await.unwrap();

        let (s, p) = app.get_json("/api/v1/programme", &tl).await;
        assert_eq!(s, StatusCode::OK, "{p}");
        let homes = scalar(
            db,
            &format!("SELECT COUNT(*) FROM tenancies t JOIN properties p ON p.id = t.property_id WHERE p.area_team_id = {area} AND t.status = 'active' AND t.tenure IN ('secure', 'non_secure')"),
        )
        .await;
        assert_eq!(p["total"]["homes"].as_i64(), Some(homes));
        let sum = |k: &str| p["patches"].as_array().unwrap().iter().map(|r| r[k].as_i64().unwrap()).sum::<i64>();
        assert_eq!(sum("homes"), homes);
        assert_eq!(sum("in_cycle") + sum("due") + sum("never_visited"), homes);
        assert!(p["total"]["never_visited"].as_i64().unwrap() > 0 && p["total"]["in_cycle"].as_i64().unwrap() > 0, "{}", p["total"]);

        // The holder is away on the plan's first two days (a Monday next week and the Tuesday),
        // covered by a colleague.
        let cal = WorkingCalendar::england_and_wales();
        let mut monday = app::api::kit::clock::today() + Days::new(7);
        while chrono::Datelike::weekday(&monday) != chrono::Weekday::Mon {
            monday = monday - Days::new(1);
        }
        let start = cal.working_day_on_or_after(monday);
        let holder_id = scalar(db, &format!("SELECT id FROM users WHERE username = '{holder}'")).await;
        let cover = scalar(db, &format!("SELECT id FROM users WHERE area_team_id = {area} AND role IN ('community_hmo', 'introductory_hmo') AND active = 1 AND id <> {holder_id} ORDER BY role, id LIMIT 1")).await;
        let (holder_name, cover_name) = (
            text(db, &format!("SELECT display_name FROM users WHERE id = {holder_id}")).await,
            text(db, &format!("SELECT display_name FROM users WHERE id = {cover}")).await,
        );
        let away_to = start + Days::new(1);
        sqlx::query::<sqlx::Any>(&format!(
            "INSERT INTO covers (absent_user_id, cover_user_id, starts_on, ends_on, reason, created_at) VALUES ({holder_id}, {cover}, '{start}', '{away_to}', 'Annual leave', '2026-01-01T00:00:00Z')"
        ))
        .execute(&db.pool)
        .await
        .unwrap();

        let ask = json!({"start": start, "weeks": 1, "per_day": 4});
        let (s, plan) = app.json("POST", "/api/v1/programme/plan", &tl, ask.clone()).await;
        assert_eq!(s, StatusCode::OK, "{plan}");
        assert_eq!(plan["assigned"], false);
        let visits = plan["visits"].as_array().unwrap().clone();
        assert!(!visits.is_empty());
        let away = |v: &Value| v["on"].as_str().unwrap() <= away_to.to_string().as_str();
        assert!(!visits.iter().any(|v| away(v) && v["officer"] == holder_name.as_str()), "nobody visits as the absent officer");
        assert!(
            visits.iter().any(|v| away(v) && v["officer"] == cover_name.as_str() && v["covering_for"] == holder_name.as_str()),
            "the cover makes the absent officer's visits"
        );
        assert!(visits.iter().any(|v| !away(v) && v["officer"] == holder_name.as_str()), "back from leave, the officer visits their own homes");
        assert!(visits.iter().all(|v| cal.is_working_day(v["on"].as_str().unwrap().parse().unwrap())));
        let per_day = |who: &str, on: &str| visits.iter().filter(|v| v["officer"] == who && v["on"] == on).count();
        assert!(per_day(&cover_name, &start.to_string()) <= 4, "a cover shares their day, not doubles it");
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM visits WHERE scheduled_for >= '{start}' AND outcome = 'scheduled' AND visit_type = 'home_check' AND scheduled_for <= '{}'", start + Days::new(6))).await, 0, "a preview books nothing");

        let mut assign = ask.clone();
        assign["assign"] = json!(true);
        let (s, done) = app.json("POST", "/api/v1/programme/plan", &tl, assign.clone()).await;
        assert_eq!(s, StatusCode::OK, "{done}");
        assert_eq!(done["assigned"], true);
        assert_eq!(done["visits"].as_array().unwrap().len(), visits.len(), "the plan assigned is the plan previewed");
        let booked = scalar(
            db,
            &format!("SELECT COUNT(*) FROM visits WHERE scheduled_for >= '{start}' AND scheduled_for <= '{}' AND outcome = 'scheduled'", start + Days::new(6)),
        )
        .await;
        assert_eq!(booked as usize, visits.len());
        assert_eq!(scalar(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'plan_visits' AND outcome = 'allowed'").await, 1);
        let (_, after) = app.get_json("/api/v1/programme", &tl).await;
        assert_eq!(after["total"]["planned"].as_i64().unwrap(), p["total"]["planned"].as_i64().unwrap() + visits.len() as i64);
        // Planned homes are not planned again.
        let (_, again) = app.json("POST", "/api/v1/programme/plan", &tl, ask.clone()).await;
        let first: std::collections::HashSet<&str> = visits.iter().map(|v| v["tenancy_reference"].as_str().unwrap()).collect();
        assert!(again["visits"].as_array().unwrap().iter().all(|v| !first.contains(v["tenancy_reference"].as_str().unwrap())));

        // The cover's day on the first day holds the absent officer's homes.
        let cover_user = text(db, &format!("SELECT username FROM users WHERE id = {cover}")).await;
        let (_, day) = app.get_json(&format!("/api/v1/my-day?on={start}"), &app.token(&cover_user, PASSWORD).await.unwrap()).await;
        assert!(
            day["stops"].as_array().unwrap().len()
                >= visits.iter().filter(|v| v["on"] == start.to_string().as_str() && v["officer"] == cover_name.as_str()).count()
        );

        // Refusals.
        let officer = app.token(&holder, PASSWORD).await.unwrap();
        let (s, _) = app.json("POST", "/api/v1/programme/plan", &officer, ask.clone()).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "officers do not plan the area");
        let (s, mine) = app.get_json("/api/v1/programme", &officer).await;
        assert_eq!(s, StatusCode::OK);
        assert_eq!(
            mine["total"]["homes"].as_i64(),
            Some(
                scalar(
                    db,
                    &format!("SELECT COUNT(*) FROM tenancies WHERE owner_id = {holder_id} AND status = 'active' AND tenure IN ('secure', 'non_secure')")
                )
                .await
            ),
            "an officer's coverage is their own tenancies"
        );
        let yesterday = app::api::kit::clock::today() - Days::new(1);
        for (body, says) in [
            (json!({"start": yesterday, "weeks": 1, "per_day": 4}), "has passed"),
            (json!({"start": start, "weeks": 14, "per_day": 4}), "1 to 13 weeks"),
            (json!({"start": start, "weeks": 1, "per_day": 0}), "1 to 20 visits"),
        ] {
            let (s, e) = app.json("POST", "/api/v1/programme/plan", &tl, body).await;
            assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
            assert!(e.to_string().contains(says), "{e}");
        }
        let partner = text(db, "SELECT username FROM users WHERE role = 'partner' AND active = 1 ORDER BY id LIMIT 1").await;
        let (s, _) = app.get_json("/api/v1/programme", &app.token(&partner, PASSWORD).await.unwrap()).await;
        assert_eq!(s, StatusCode::FORBIDDEN);
    }
}

/// Safeguarding findings are need-to-know: the text an officer wrote at the door reaches the
/// tenancy's officer and the area's Team Leader, on every route that shows findings (the tenancy,
/// its page, My work, the officer's day, search), and nobody else: not a colleague in the same team,
/// not another area, not an administrator or a partner.
#[tokio::test]
async fn a_safeguarding_finding_reaches_only_those_who_need_to_know() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, _) = subject(db).await;
        let area = scalar(db, &format!("SELECT area_team_id FROM users WHERE username = '{holder}'")).await;
        let planted = format!("Xk9Safe{}", if engine == Engine::Sqlite { "S" } else { "P" });
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let yesterday = app::api::kit::clock::today() - Days::new(1);
        let findings = json!([{"kind": "safeguarding", "detail": format!("Child alone at home {planted}")}]);
        let (s, v) =
            app.json("POST", &format!("/api/v1/tenancies/{reference}/visits"), &token, report("safe-key-0001", &yesterday.to_string(), findings)).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        // A visit planned for today, so the finding is on the holder's day as the last visit's.
        let officer = scalar(db, &format!("SELECT id FROM users WHERE username = '{holder}'")).await;
        let today = app::api::kit::clock::today();
        sqlx::query::<sqlx::Any>(&format!(
            "INSERT INTO visits (property_id, tenancy_id, visit_type, officer_id, scheduled_for, outcome, notes) \
             SELECT property_id, id, 'vulnerability', {officer}, '{today}', 'scheduled', '' FROM tenancies WHERE reference = '{reference}'"
        ))
        .execute(&db.pool)
        .await
        .unwrap();

        let users = texts(
            db,
            &format!(
                "SELECT username FROM (SELECT username, 0 AS k FROM users WHERE username = '{holder}' \
                 UNION SELECT MIN(username), 1 FROM users WHERE role = 'team_leader' AND area_team_id = {area} AND active = 1 \
                 UNION SELECT MIN(username), 2 FROM users WHERE role IN ('community_hmo', 'introductory_hmo', 'sustainable_hmo') AND area_team_id = {area} AND username <> '{holder}' AND active = 1 \
                 UNION SELECT MIN(username), 3 FROM users WHERE role = 'team_leader' AND area_team_id <> {area} AND active = 1 \
                 UNION SELECT MIN(username), 4 FROM users WHERE role = 'community_hmo' AND area_team_id <> {area} AND active = 1 \
                 UNION SELECT MIN(username), 5 FROM users WHERE role = 'admin' AND active = 1 \
                 UNION SELECT MIN(username), 6 FROM users WHERE role = 'partner' AND active = 1) x ORDER BY k"
            ),
        )
        .await;
        assert_eq!(users.len(), 7, "{users:?}");
        let routes = [
            format!("/api/v1/tenancies/{reference}"),
            "/api/v1/my-work".to_string(),
            format!("/api/v1/my-day?on={today}"),
            format!("/api/v1/search?q={reference}"),
            "/api/v1/visits/measures".to_string(),
            "/api/v1/programme".to_string(),
        ];
        let pages = [format!("/tenancies/{reference}"), "/".to_string(), format!("/day?on={today}"), "/team".to_string()];
        for (k, user) in users.iter().enumerate() {
            let need_to_know = k < 2;
            let bearer = app.token(user, PASSWORD).await.unwrap();
            let cookie = app.sign_in(user, PASSWORD).await.unwrap();
            let mut seen = Vec::new();
            for path in &routes {
                let body = body_text(app.get_bearer(path, &bearer).await).await;
                if body.contains(&planted) {
                    seen.push(path.clone());
                }
            }
            for path in &pages {
                let body = body_text(app.get(path, Some(&cookie)).await).await;
                if body.contains(&planted) {
                    seen.push(format!("page {path}"));
                }
            }
            if need_to_know {
                assert!(seen.iter().any(|p| p == &format!("/api/v1/tenancies/{reference}")), "{user} reads the finding on the tenancy: {seen:?}");
            } else {
                assert!(seen.is_empty(), "{user} must not read the safeguarding finding, but did on {seen:?}");
            }
        }
        // The holder reads it where they work: their day's stop and My work's follow-up.
        let (_, day) = app.get_json(&format!("/api/v1/my-day?on={today}"), &token).await;
        assert!(day.to_string().contains(&planted), "{day}");
        let (_, work) = app.get_json("/api/v1/my-work", &token).await;
        assert!(work["follow_ups"].to_string().contains(&planted));
    }
}

/// A household change seen at the door updates the tenancy in the visit's own transaction: a son
/// who has left and a baby born are recorded, against the version of the household the officer
/// saw; a change made meanwhile is a conflict and nothing is saved; a tenant cannot be "left".
#[tokio::test]
async fn a_household_change_at_the_door_updates_the_tenancy_or_explains_the_conflict() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        // A tenancy with someone besides its tenants, held by an active Community HMO.
        let row = text(
            db,
            "SELECT t.reference || ' ' || u.username || ' ' || CAST(h.id AS TEXT) FROM tenancies t JOIN users u ON u.id = t.owner_id \
             JOIN household_members h ON h.tenancy_id = t.id WHERE t.status = 'active' AND u.role = 'community_hmo' AND u.active = 1 \
             AND h.is_tenant = 0 AND h.left_on IS NULL ORDER BY t.id, h.id LIMIT 1",
        )
        .await;
        let f: Vec<&str> = row.split(' ').collect();
        let (reference, holder, member) = (f[0].to_string(), f[1].to_string(), f[2].parse::<i64>().unwrap());
        let tenant = scalar(db, &format!("SELECT h.id FROM household_members h JOIN tenancies t ON t.id = h.tenancy_id WHERE t.reference = '{reference}' AND h.is_tenant = 1 ORDER BY h.id LIMIT 1")).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let path = format!("/api/v1/tenancies/{reference}/visits");
        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        let version = page["version"].as_i64().unwrap();
        assert_eq!(page["visit_form"]["version"].as_i64(), Some(version));
        let members_before = page["members"].as_array().unwrap().len();
        let yesterday = (app::api::kit::clock::today() - Days::new(1)).to_string();
        let baby = json!({"first_name": "Ada", "last_name": "Okafor", "date_of_birth": yesterday, "sex": "F", "relationship": "child"});
        let with = |key: &str, seen: i64, left: Vec<i64>| {
            let mut r = report(key, &yesterday, json!([]));
            r["household"] = json!({"seen_version": seen, "left": left, "joined": [baby.clone()]});
            r
        };

        // A tenant cannot leave at a visit; a stale version is a conflict. Nothing is saved by either.
        let (s, e) = app.json("POST", &path, &token, with("house-key-0001", version, vec![tenant])).await;
        assert_eq!(s, StatusCode::BAD_REQUEST, "{e}");
        assert!(e.to_string().contains("A tenant cannot be marked"), "{e}");
        let (s, e) = app.json("POST", &path, &token, with("house-key-0002", version - 1, vec![member])).await;
        assert_eq!(s, StatusCode::CONFLICT, "{e}");
        assert!(e.to_string().contains("changed since this form was opened"), "{e}");
        assert_eq!(scalar(db, "SELECT COUNT(*) FROM visits WHERE client_key IN ('house-key-0001', 'house-key-0002')").await, 0);
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM household_members WHERE id = {member} AND left_on IS NULL")).await, 1);

        // As seen: the member has left on the day of the visit, the baby has joined.
        let (s, v) = app.json("POST", &path, &token, with("house-key-0003", version, vec![member])).await;
        assert_eq!(s, StatusCode::OK, "{v}");
        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        let names: Vec<&str> = page["members"].as_array().unwrap().iter().map(|m| m["name"].as_str().unwrap()).collect();
        assert!(names.contains(&"Ada Okafor"), "{names:?}");
        assert_eq!(names.len(), members_before);
        assert!(!page["members"].as_array().unwrap().iter().any(|m| m["id"].as_i64() == Some(member)));
        assert_eq!(text(db, &format!("SELECT left_on FROM household_members WHERE id = {member}")).await, yesterday);
        assert_eq!(page["version"].as_i64(), Some(version + 1));
        let gone = text(db, &format!("SELECT first_name || ' ' || last_name FROM household_members WHERE id = {member}")).await;
        assert!(page["former_members"].as_array().unwrap().iter().any(|f| f.as_str().unwrap().starts_with(&gone)), "{}", page["former_members"]);
        assert_eq!(scalar(db, "SELECT COUNT(*) FROM audit_log WHERE action = 'record_visit' AND detail LIKE '%household: 1 joined, 1 left'").await, 1);
        // Sent again from the phone: recorded once, the household changed once.
        let (s, again) = app.json("POST", &path, &token, with("house-key-0003", version, vec![member])).await;
        assert_eq!((s, again["replayed"].as_bool()), (StatusCode::OK, Some(true)));
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM household_members h JOIN tenancies t ON t.id = h.tenancy_id WHERE t.reference = '{reference}' AND h.first_name = 'Ada'")).await, 1);

        // The doorstep form (no JavaScript) marks who has left by a box per member.
        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &token).await;
        let version = page["version"].as_i64().unwrap();
        let cookie = app.sign_in(&holder, PASSWORD).await.unwrap();
        let ada = scalar(
            db,
            &format!("SELECT h.id FROM household_members h JOIN tenancies t ON t.id = h.tenancy_id WHERE t.reference = '{reference}' AND h.first_name = 'Ada'"),
        )
        .await;
        let form = format!(
            "reference={reference}&visit[client_key]=house-key-0004&visit[kind]=home_check&visit[on]={yesterday}&visit[at]=11:00&visit[outcome]=completed\
             &visit[seen_version]={version}&visit[left][{ada}]=1"
        )
        .replace('[', "%5B")
        .replace(']', "%5D");
        let res = app.post_form("/fn/record_visit", &form, Some(&cookie)).await;
        assert!(res.status().is_success() || res.status().is_redirection(), "{}", body_text(res).await);
        assert_eq!(text(db, &format!("SELECT COALESCE(left_on, '') FROM household_members WHERE id = {ada}")).await, yesterday);
    }
}

/// A JPEG as a phone writes it: an EXIF block naming where it was taken (GPS) and the camera.
fn phone_jpeg() -> Vec<u8> {
    let mut t = b"II\x2a\0\x08\0\0\0".to_vec();
    t.extend_from_slice(&2u16.to_le_bytes());
    t.extend_from_slice(&[0x12, 0x01, 3, 0, 1, 0, 0, 0, 6, 0, 0, 0]);
    t.extend_from_slice(&[0x25, 0x88, 4, 0, 1, 0, 0, 0, 38, 0, 0, 0]);
    t.extend_from_slice(&[0, 0, 0, 0]);
    t.extend_from_slice(&1u16.to_le_bytes());
    t.extend_from_slice(&[0x01, 0x00, 2, 0, 2, 0, 0, 0, b'N', 0, 0, 0]);
    t.extend_from_slice(b"GPS 53.9591N 1.0815W");
    let segment = |marker: u8, data: &[u8]| [&[0xFF, marker][..], &((data.len() + 2) as u16).to_be_bytes(), data].concat();
    [
        &[0xFF, 0xD8][..],
        &segment(0xE1, &[&b"Exif\0\0"[..], &t].concat()),
        &segment(0xDB, &[0; 65]),
        &segment(0xDA, &[1, 1, 0, 0, 63, 0]),
        &[0x12, 0x34, 0xFF, 0xD9],
    ]
    .concat()
}

/// A multipart body with the photo and the form's other fields.
fn upload(photo: &[u8], fields: &[(&str, &str)]) -> (String, Vec<u8>) {
    let boundary = "hearth-photo-boundary-7f3a";
    let mut body = Vec::new();
    for (name, value) in fields {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    }
    body.extend_from_slice(
        format!("--{boundary}\r\nContent-Disposition: form-data; name=\"photo\"; filename=\"door.jpg\"\r\nContent-Type: image/jpeg\r\n\r\n").as_bytes(),
    );
    body.extend_from_slice(photo);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

async fn post_photo(
    app: &TestApp,
    visit: i64,
    auth: (&str, &str),
    photo: &[u8],
    fields: &[(&str, &str)],
    html: bool,
) -> axum::http::Response<axum::body::Body> {
    let (content_type, body) = upload(photo, fields);
    let mut req = axum::http::Request::post(format!("/api/v1/visits/{visit}/photos"))
        .header(axum::http::header::HOST, "localhost")
        .header(axum::http::header::CONTENT_TYPE, content_type)
        .header(axum::http::header::CONTENT_LENGTH, body.len())
        .header(auth.0, auth.1);
    if html {
        req = req
            .header(axum::http::header::ACCEPT, "text/html,application/xhtml+xml")
            .header(axum::http::header::ORIGIN, "http://localhost")
            .header(axum::http::header::REFERER, "http://localhost/tenancies/T-1?photo_error=old");
    }
    app.send(req.body(axum::body::Body::from(body)).unwrap()).await
}

fn has(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

/// Photos at the door (issue 20): a JPEG or PNG up to 10 MB, six a visit, with where it was taken
/// removed unless kept on purpose; a safeguarding finding's photo is need-to-know, every look at
/// one audited.
#[tokio::test]
async fn a_photo_at_the_door_loses_where_it_was_taken_and_reaches_only_those_who_may_see_it() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, other) = subject(db).await;
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let bearer = format!("Bearer {token}");
        let auth = ("authorization", bearer.as_str());
        let yesterday = (app::api::kit::clock::today() - Days::new(1)).to_string();
        let findings = json!([{"kind": "disrepair", "detail": "Black mould behind the wardrobe"}, {"kind": "safeguarding", "detail": "Child alone at home"}]);
        let (_, v) = app.json("POST", &format!("/api/v1/tenancies/{reference}/visits"), &token, report("photo-key-0001", &yesterday, findings)).await;
        let visit = v["id"].as_i64().unwrap();

        let res = post_photo(&app, visit, auth, &phone_jpeg(), &[("finding", "disrepair")], false).await;
        assert_eq!(res.status(), StatusCode::CREATED);
        let p = body_json(res).await;
        assert_eq!((p["content_type"].as_str(), p["location_kept"].as_bool(), p["finding"].as_str()), (Some("image/jpeg"), Some(false), Some("disrepair")));
        let shown = app.get_bearer(&format!("/api/v1/photos/{}", p["id"]), &token).await;
        assert_eq!(shown.status(), StatusCode::OK);
        assert_eq!(shown.headers()[axum::http::header::CACHE_CONTROL], "private, no-store");
        let bytes = axum::body::to_bytes(shown.into_body(), usize::MAX).await.unwrap();
        assert!(!has(&bytes, b"53.9591N"), "where it was taken is gone");
        assert!(bytes.ends_with(&[0x12, 0x34, 0xFF, 0xD9]), "the picture itself is untouched");
        // Kept on purpose: as taken.
        let res = post_photo(&app, visit, auth, &phone_jpeg(), &[("keep_location", "on")], false).await;
        let kept = body_json(res).await;
        let bytes = axum::body::to_bytes(app.get_bearer(&format!("/api/v1/photos/{}", kept["id"]), &token).await.into_body(), usize::MAX).await.unwrap();
        assert!(has(&bytes, b"53.9591N"));
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'add_photo' AND detail = 'visit {visit}; location kept'")).await, 1);

        // Refusals say why.
        for (photo, fields, says) in [
            (&b"%PDF-1.7 a letter"[..], vec![], "not a photo"),
            (&b"\0\0\0\x18ftypheic\0\0\0\0"[..], vec![], "Most Compatible"),
            (&phone_jpeg()[..], vec![("finding", "fire_risk")], "found no fire risk"),
            (&phone_jpeg()[..40], vec![], "could not be read"),
        ] {
            let res = post_photo(&app, visit, auth, photo, &fields, false).await;
            assert_eq!(res.status(), StatusCode::BAD_REQUEST);
            let msg = body_json(res).await["message"].as_str().unwrap().to_string();
            assert!(msg.contains(says), "{msg}");
        }
        let too_big = [&[0xFF, 0xD8, 0xFF][..], &vec![0; app::domain::photo::MAX_BYTES + 70 * 1024]].concat();
        assert_eq!(post_photo(&app, visit, auth, &too_big, &[], false).await.status(), StatusCode::PAYLOAD_TOO_LARGE);

        // A safeguarding finding's photo: the holder sees it; a colleague in the team neither sees
        // it on the page nor can open it, and the attempt is audited.
        let res = post_photo(&app, visit, auth, &phone_jpeg(), &[("finding", "safeguarding")], false).await;
        let sg = body_json(res).await["id"].as_i64().unwrap();
        assert_eq!(app.get_bearer(&format!("/api/v1/photos/{sg}"), &token).await.status(), StatusCode::OK);
        let colleague = text(
            db,
            &format!("SELECT c.username FROM users c JOIN users h ON h.area_team_id = c.area_team_id WHERE h.username = '{holder}' AND c.username <> '{holder}' AND c.role IN ('community_hmo', 'introductory_hmo', 'sustainable_hmo') AND c.active = 1 ORDER BY c.id LIMIT 1"),
        )
        .await;
        let ct = app.token(&colleague, PASSWORD).await.unwrap();
        assert_eq!(app.get_bearer(&format!("/api/v1/photos/{sg}"), &ct).await.status(), StatusCode::FORBIDDEN);
        assert_eq!(app.get_bearer(&format!("/api/v1/photos/{}", p["id"]), &ct).await.status(), StatusCode::OK, "a disrepair photo is not need-to-know");
        let (_, page) = app.get_json(&format!("/api/v1/tenancies/{reference}"), &ct).await;
        let row = page["visits"].as_array().unwrap().iter().find(|r| r["id"] == visit).unwrap();
        assert_eq!(row["photos"].as_array().unwrap().len(), 2, "the safeguarding photo is left off: {row}");
        assert_eq!(
            scalar(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'view_photo' AND username = '{colleague}' AND outcome LIKE 'denied%'")).await,
            1
        );
        assert_eq!(
            scalar(db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'view_photo' AND username = '{holder}' AND outcome = 'allowed'")).await,
            1
        );
        let ot = app.token(&other, PASSWORD).await.unwrap();
        assert_eq!(app.get_bearer(&format!("/api/v1/photos/{}", p["id"]), &ot).await.status(), StatusCode::FORBIDDEN, "another area");
        assert_eq!(post_photo(&app, visit, ("authorization", &format!("Bearer {ot}")), &phone_jpeg(), &[], false).await.status(), StatusCode::FORBIDDEN);

        // The page's form (a browser's post) goes back to the page saying what happened.
        let cookie = app.sign_in(&holder, PASSWORD).await.unwrap();
        let res = post_photo(&app, visit, ("cookie", &cookie), &phone_jpeg(), &[], true).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
        assert_eq!(res.headers()[axum::http::header::LOCATION], format!("/tenancies/T-1?photo=added#visit-{visit}").as_str());
        // Six a visit: the seventh is refused, and the page is told why.
        for _ in 0..2 {
            assert_eq!(post_photo(&app, visit, auth, &phone_jpeg(), &[], false).await.status(), StatusCode::CREATED);
        }
        let res = post_photo(&app, visit, ("cookie", &cookie), &phone_jpeg(), &[], true).await;
        let to = res.headers()[axum::http::header::LOCATION].to_str().unwrap().to_string();
        assert!(to.starts_with("/tenancies/T-1?photo_error=This%20visit%20has%206%20photos"), "{to}");
        assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM visit_photos WHERE visit_id = {visit}")).await, 6);
    }
}

/// The Team Leader's twelve months: a visit recorded counts in its month, with what it found.
#[tokio::test]
async fn the_team_leader_reads_twelve_months_of_visiting() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let db = &app.db;
        let (reference, holder, _) = subject(db).await;
        let leader = text(
            db,
            &format!("SELECT l.username FROM users l JOIN users h ON h.area_team_id = l.area_team_id WHERE h.username = '{holder}' AND l.role = 'team_leader' AND l.active = 1 ORDER BY l.id LIMIT 1"),
        )
        .await;
        let tl = app.token(&leader, PASSWORD).await.unwrap();
        let (s, before) = app.get_json("/api/v1/visits/months", &tl).await;
        assert_eq!(s, StatusCode::OK, "{before}");
        assert_eq!(before.as_array().unwrap().len(), 12);
        let yesterday = app::api::kit::clock::today() - Days::new(1);
        let i = before
            .as_array()
            .unwrap()
            .iter()
            .position(|m| m["month"].as_str().unwrap() <= yesterday.to_string().as_str() && m["month"].as_str().unwrap()[..7] == yesterday.to_string()[..7])
            .unwrap();
        let token = app.token(&holder, PASSWORD).await.unwrap();
        let findings = json!([{"kind": "unauthorised_alteration", "detail": "Partition wall taken out"}, {"kind": "disrepair", "detail": "Leaking gutter"}]);
        let (s, _) =
            app.json("POST", &format!("/api/v1/tenancies/{reference}/visits"), &token, report("months-key-0001", &yesterday.to_string(), findings)).await;
        assert_eq!(s, StatusCode::OK);
        let (_, after) = app.get_json("/api/v1/visits/months", &tl).await;
        let n = |v: &Value, k: &str| v[i][k].as_u64().unwrap();
        assert_eq!(n(&after, "completed"), n(&before, "completed") + 1);
        assert_eq!(n(&after, "alterations"), n(&before, "alterations") + 1);
        assert_eq!(n(&after, "disrepair"), n(&before, "disrepair") + 1);
        let csv = body_text(app.get_bearer("/api/v1/visits/months.csv", &tl).await).await;
        assert!(csv.starts_with("\u{feff}month,completed,monthly_target,no_access,"), "{csv}");
        assert_eq!(csv.lines().count(), 13);
        let (s, _) = app.get_json("/api/v1/visits/months", &token).await;
        assert_eq!(s, StatusCode::FORBIDDEN, "for Team Leaders");
    }
}
