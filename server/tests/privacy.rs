//! A content-based authorisation probe for need-to-know (restricted) cases, on every engine.
//!
//! Distinctive text is planted in restricted cases of several area teams, through the real API
//! wherever it can be (referrals to the Sustainable Tenancy HMO, Team Leader decisions, plan
//! actions, hand-backs, escalations to Legal and the Community Safety Hub) and with SQL for case
//! titles. Then every user who can sign in asks every route that returns data (every GET in the
//! OpenAPI document, every page, every read-only server function) with the planted cases'
//! references filled in, and the answers are searched for the planted text. An oracle restated
//! here (not the app's `domain::access`) says who may open each case. Four kinds of finding:
//!
//! - `leak`: planted text of a case the user may not open, in any answer;
//! - `list`: planted text of a restricted case in a list (anything but the case's own record
//!   routes and the review answers), even for a user who may open the case: lists never carry
//!   need-to-know content;
//! - `refused`: a user the oracle allows is refused the case itself (`GET /api/v1/cases/{ref}`);
//! - `opened`: a user the oracle does not allow gets 200 for the case itself.
//!
//! `PRIVACY_PROBE_SEED=n` changes the seed; `PRIVACY_PROBE_VERBOSE=1` prints every route's
//! answers by status and the time spent on each.

mod common;

use std::collections::{BTreeMap, HashMap, HashSet};

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use common::*;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use sqlx::Row;

/// Every planted token starts with this; the next five characters (engine letter and a serial)
/// make its key, then six random characters follow.
const MARK: &str = "Zq7Pl";
const KEY_LEN: usize = MARK.len() + 5;

/// Server functions that change something: covered by their own tests, not probed here. Every
/// registered server function must be in this list or in the read table below.
const WRITES: &[&str] = &[
    "/fn/admin_holiday",
    "/fn/admin_agency",
    "/fn/admin_user",
    "/fn/admin_token",
    "/fn/admin_revoke",
    "/fn/refer_case",
    "/fn/hand_back",
    "/fn/add_action",
    "/fn/update_action",
    "/fn/set_plan",
    "/fn/set_cover",
    "/fn/end_cover",
    "/fn/escalate_case",
    "/fn/create_feedback_link",
    "/fn/case_from_comment",
    "/fn/map_save",
    "/fn/make_referral",
    "/fn/move_referral",
    "/fn/referral_message",
    "/fn/referral_name",
    "/fn/propose_review",
    "/fn/decide_item",
    "/fn/record_notice",
    "/fn/record_prior",
    "/fn/record_step",
    "/fn/complaint_step",
    "/fn/record_visit",
    "/fn/close_follow_up",
    "/fn/plan_visits",
    "/fn/start_pipeline",
    "/fn/move_pipeline",
    "/fn/report_hazard",
    "/fn/record_hazard_step",
    "/fn/escalate",
];

#[derive(Clone, Debug)]
struct User {
    id: i64,
    name: String,
    role: String,
    area: Option<i64>,
    token: String,
}

/// One planted case, with the facts the oracle needs, read back from the database.
#[derive(Clone, Debug, Default)]
struct Case {
    reference: String,
    id: i64,
    tenancy: String,
    property: String,
    property_id: i64,
    street: String,
    area: i64,
    status: String,
    owner: Option<i64>,
    patch_officer: Option<i64>,
    grants: HashSet<i64>,
    /// Open escalation items in state `proposed`, by their target ("legal" / "hub").
    open_escalations: HashSet<String>,
    open_hand_back: bool,
    title_token: String,
    story: String,
}

/// Where an answer came from: the case's own record, the tenancy's review answer, or a list.
#[derive(Clone, Debug)]
enum Kind {
    Record(String),
    Review(String),
    List,
}

#[derive(Clone, Debug)]
enum Via {
    Get,
    Page,
    Form(String),
    JsonFn(String),
}

#[derive(Clone, Debug)]
struct Probe {
    /// The route as grouped in the report, e.g. `GET /api/v1/cases/{reference}`.
    label: String,
    path: String,
    via: Via,
    kind: Kind,
}

#[derive(Clone, Debug)]
struct Finding {
    category: &'static str,
    route: String,
    path: String,
    user: String,
    case: String,
    field: String,
    status: u16,
}

struct Planter {
    engine: char,
    serial: usize,
    rng: rand_chacha::ChaCha8Rng,
    /// Token key -> (case reference, field).
    keys: HashMap<String, (String, String)>,
}

impl Planter {
    fn token(&mut self, case: &str, field: &str) -> String {
        self.serial += 1;
        const ALNUM: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
        let tail: String = (0..6).map(|_| *ALNUM.choose(&mut self.rng).unwrap() as char).collect();
        let key = format!("{MARK}{}{:04}", self.engine, self.serial);
        assert_eq!(key.len(), KEY_LEN);
        self.keys.insert(key.clone(), (case.to_string(), field.to_string()));
        format!("{key}{tail}")
    }
}

/// The probe's seed: fixed, so a failure repeats; `PRIVACY_PROBE_SEED=n` tries another.
fn seed() -> u64 {
    std::env::var("PRIVACY_PROBE_SEED").ok().and_then(|s| s.parse().ok()).unwrap_or(0x5EED_2026)
}

async fn tok(app: &TestApp, user: &str) -> String {
    app.token(user, PASSWORD).await.unwrap_or_else(|| panic!("token for {user}"))
}

async fn ids(db: &hearth::db::Db, sql: &str) -> Vec<i64> {
    sqlx::query::<sqlx::Any>(sql).fetch_all(&db.pool).await.unwrap().iter().map(|r| r.get::<i64, _>(0)).collect()
}

async fn exec(db: &hearth::db::Db, sql: &str) {
    sqlx::query::<sqlx::Any>(sql).execute(&db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}"));
}

async fn username(db: &hearth::db::Db, id: i64) -> String {
    text(db, &format!("SELECT username FROM users WHERE id = {id}")).await
}

/// The case as `token` sees it; panics unless it is answered.
async fn case_view(app: &TestApp, token: &str, reference: &str) -> Value {
    let (s, v) = app.get_json(&format!("/api/v1/cases/{reference}"), token).await;
    assert_eq!(s, StatusCode::OK, "opening {reference} to plant: {v}");
    v
}

fn item_of(case: &Value, flow: &str) -> Value {
    case["workflow"]
        .as_array()
        .unwrap()
        .iter()
        .find(|w| w["flow"] == flow && (w["state"] == "proposed" || w["state"] == "sent_back"))
        .unwrap_or_else(|| panic!("an open {flow} in {case}"))
        .clone()
}

async fn decide(app: &TestApp, token: &str, item: &Value, action: &str, note: &str, assign_to: Option<i64>) -> (StatusCode, Value) {
    app.json(
        "POST",
        &format!("/api/v1/workflow/{}/decision", item["id"]),
        token,
        json!({"version": item["version"], "action": action, "note": note, "assign_to": assign_to}),
    )
    .await
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
enum Scenario {
    ReferralProposed,
    ReferralSentBack,
    ReferralDeclined,
    PlanInProgress,
    HandBackProposed,
    HandBackSentBack,
    EscalatedToLegal,
    EscalatedToHub,
    EscalationConcluded,
}

const SCENARIOS: [Scenario; 9] = [
    Scenario::ReferralProposed,
    Scenario::ReferralSentBack,
    Scenario::ReferralDeclined,
    Scenario::PlanInProgress,
    Scenario::HandBackProposed,
    Scenario::HandBackSentBack,
    Scenario::EscalatedToLegal,
    Scenario::EscalatedToHub,
    Scenario::EscalationConcluded,
];

const CASES_PER_AREA: usize = 6;

struct Planted {
    cases: Vec<Case>,
    keys: HashMap<String, (String, String)>,
    item_ids: Vec<i64>,
    action_ids: Vec<i64>,
    /// How items were moved where the API refused the mover (done with SQL instead).
    by_sql: Vec<String>,
    states: BTreeMap<String, usize>,
}

/// Escalates `reference` as `token` (its holder) to `target` with a planted reason; the item.
async fn escalate(app: &TestApp, p: &mut Planter, token: &str, reference: &str, target: &str, story: &mut Vec<String>) -> Value {
    let purpose =
        if target == "legal" { *["notice", "possession"].choose(&mut p.rng).unwrap() } else { *["evidence_review", "injunction"].choose(&mut p.rng).unwrap() };
    let case = case_view(app, token, reference).await;
    let reason = format!("{} escalation reason: threats to a neighbour", p.token(reference, "escalation reason"));
    let (s, v) = app
        .json("POST", &format!("/api/v1/cases/{reference}/escalations"), token, json!({"version": case["version"], "purpose": purpose, "reason": reason}))
        .await;
    assert_eq!(s, StatusCode::OK, "escalating {reference} to {target}: {v}");
    story.push(format!("escalated to {target} ({purpose})"));
    item_of(&v, "escalation")
}

async fn plant(app: &TestApp, engine: Engine) -> Planted {
    let db = &app.db;
    let mut p = Planter {
        engine: if engine == Engine::Sqlite { 's' } else { 'p' },
        serial: 0,
        rng: rand_chacha::ChaCha8Rng::seed_from_u64(seed()),
        keys: HashMap::new(),
    };
    let today = app::api::kit::clock::today();
    let mut by_sql = Vec::new();
    // (case, what happens to it, its place among its area's planted cases)
    let mut chosen: Vec<(String, Scenario, usize)> = Vec::new();
    let areas = ids(db, "SELECT id FROM area_teams ORDER BY id").await;
    assert!(areas.len() >= 2, "the probe needs at least two area teams");
    for (ai, &area) in areas.iter().enumerate() {
        let chmo = ids(db, &format!("SELECT id FROM users WHERE role = 'community_hmo' AND area_team_id = {area} AND active = 1 ORDER BY id LIMIT 1")).await[0];
        let picks = texts(
            db,
            &format!(
                "SELECT c.reference FROM cases c JOIN properties p ON p.id = c.property_id JOIN patches pa ON pa.id = p.patch_id \
                 WHERE c.owner_id = {chmo} AND c.status = 'open' AND pa.officer_id = {chmo} AND c.tenancy_id IS NOT NULL \
                   AND NOT EXISTS (SELECT 1 FROM workflow_items w WHERE w.subject_type = 'case' AND w.subject_id = c.id) \
                 ORDER BY c.restricted DESC, c.id LIMIT {CASES_PER_AREA}"
            ),
        )
        .await;
        assert_eq!(picks.len(), CASES_PER_AREA, "area {area} has open cases of its Community HMO to plant in");
        for (ci, reference) in picks.into_iter().enumerate() {
            chosen.push((reference, SCENARIOS[(ai * 3 + ci) % SCENARIOS.len()], ci));
        }
    }
    // Closed restricted cases carry planted titles too.
    let closed: Vec<String> = sqlx::query::<sqlx::Any>("SELECT reference FROM cases WHERE restricted = 1 AND status = 'closed' ORDER BY id LIMIT 2")
        .fetch_all(&db.pool)
        .await
        .unwrap()
        .iter()
        .map(|r| r.get::<String, _>(0))
        .collect();

    // Every planted case is need-to-know, with a planted title (titles are only set by the seed).
    let mut titles = HashMap::new();
    for reference in chosen.iter().map(|(r, ..)| r).chain(closed.iter()) {
        let title = p.token(reference, "title");
        exec(db, &format!("UPDATE cases SET restricted = 1, title = 'Safeguarding concern {title} (need to know)' WHERE reference = '{reference}'")).await;
        titles.insert(reference.clone(), title);
    }
    let mut stories: HashMap<String, Vec<String>> = HashMap::new();
    for (reference, scenario, ci) in &chosen {
        let story = stories.entry(reference.clone()).or_default();
        story.push(format!("{scenario:?}"));
        let area = ids(db, &format!("SELECT area_team_id FROM cases WHERE reference = '{reference}'")).await[0];
        let chmo_name = text(db, &format!("SELECT u.username FROM cases c JOIN users u ON u.id = c.owner_id WHERE c.reference = '{reference}'")).await;
        let chmo = tok(app, &chmo_name).await;
        let tl_name =
            text(db, &format!("SELECT username FROM users WHERE role = 'team_leader' AND area_team_id = {area} AND active = 1 ORDER BY id LIMIT 1")).await;
        let tl = tok(app, &tl_name).await;
        let sthmos = ids(db, &format!("SELECT id FROM users WHERE role = 'sustainable_hmo' AND area_team_id = {area} AND active = 1 ORDER BY id")).await;
        let mut holder = chmo.clone();
        let needs_referral = !matches!(scenario, Scenario::EscalatedToLegal | Scenario::EscalatedToHub | Scenario::EscalationConcluded);
        if needs_referral {
            let case = case_view(app, &chmo, reference).await;
            let body = json!({
                "version": case["version"],
                "concerns": format!("{} concerns: repeated threats reported by neighbours", p.token(reference, "referral concerns")),
                "risks": format!("{} risks: harm to a child in the household", p.token(reference, "referral risks")),
                "tried": format!("{} tried: warnings and two home visits", p.token(reference, "referral tried")),
            });
            let (s, v) = app.json("POST", &format!("/api/v1/cases/{reference}/referral"), &chmo, body).await;
            assert_eq!(s, StatusCode::OK, "referring {reference}: {v}");
            let item = item_of(&v, "referral_to_sustainable");
            match scenario {
                Scenario::ReferralProposed => {}
                Scenario::ReferralSentBack => {
                    let (s, v) =
                        decide(app, &tl, &item, "send_back", &format!("{} send back: say more about the risks", p.token(reference, "send-back note")), None)
                            .await;
                    assert_eq!(s, StatusCode::OK, "{v}");
                }
                Scenario::ReferralDeclined => {
                    let (s, v) =
                        decide(app, &tl, &item, "decline", &format!("{} declined: try mediation first", p.token(reference, "decline note")), None).await;
                    assert_eq!(s, StatusCode::OK, "{v}");
                }
                _ => {
                    // Each of the area's Sustainable Tenancy HMOs takes some (one of them is away, covered).
                    assert!(!sthmos.is_empty(), "the area has Sustainable Tenancy HMOs");
                    let officer = sthmos[ci % sthmos.len()];
                    let (s, v) =
                        decide(app, &tl, &item, "approve", &format!("{} accepted: complex needs", p.token(reference, "approval note")), Some(officer)).await;
                    assert_eq!(s, StatusCode::OK, "{v}");
                    holder = tok(app, &username(db, officer).await).await;
                    story.push(format!("accepted for {}", username(db, officer).await));
                    let mut actions = Vec::new();
                    for k in 0..2 {
                        let due = (today + chrono::Duration::days(14 + k)).to_string();
                        let desc = format!("{} action: support to keep the tenancy", p.token(reference, "plan action"));
                        let (s, v) = app
                            .json(
                                "POST",
                                &format!("/api/v1/cases/{reference}/actions"),
                                &holder,
                                json!({"description": desc, "owner": "tenant", "due_on": due}),
                            )
                            .await;
                        assert_eq!(s, StatusCode::OK, "adding an action to {reference}: {v}");
                        actions = v["actions"].as_array().unwrap().clone();
                    }
                    if matches!(scenario, Scenario::HandBackProposed | Scenario::HandBackSentBack) {
                        for a in &actions {
                            let note = format!("{} done: attended", p.token(reference, "action note"));
                            let (s, v) = app
                                .json(
                                    "POST",
                                    &format!("/api/v1/plan-actions/{}", a["id"]),
                                    &holder,
                                    json!({"version": a["version"], "status": "done", "note": note}),
                                )
                                .await;
                            assert_eq!(s, StatusCode::OK, "closing an action of {reference}: {v}");
                        }
                        let case = case_view(app, &holder, reference).await;
                        let summary = format!("{} hand-back summary: plan met, watch for new reports", p.token(reference, "hand-back summary"));
                        let (s, v) = app
                            .json("POST", &format!("/api/v1/cases/{reference}/hand-back"), &holder, json!({"version": case["version"], "summary": summary}))
                            .await;
                        assert_eq!(s, StatusCode::OK, "handing back {reference}: {v}");
                        let hb = item_of(&v, "hand_back");
                        if *scenario == Scenario::HandBackSentBack {
                            let note = format!("{} hand-back sent back: reports continue", p.token(reference, "hand-back send-back note"));
                            let (s, _) = decide(app, &chmo, &hb, "send_back", &note, None).await;
                            if s != StatusCode::OK {
                                // The Community HMO may not be able to reach the restricted case yet.
                                exec(db, &format!("UPDATE workflow_items SET state = 'sent_back', decision_note = '{note}', decided_at = proposed_at, version = version + 1 WHERE id = {}", hb["id"])).await;
                                by_sql.push(format!("{reference}: hand-back sent back by SQL ({chmo_name} got {s})"));
                            }
                        }
                    }
                }
            }
        }
        let target = match scenario {
            Scenario::EscalatedToLegal => Some("legal"),
            Scenario::EscalatedToHub => Some("hub"),
            Scenario::EscalationConcluded => Some(*["legal", "hub"].choose(&mut p.rng).unwrap()),
            // Now and then a case with other work open is escalated too.
            _ if p.rng.random_bool(0.35) => Some(*["legal", "hub"].choose(&mut p.rng).unwrap()),
            _ => None,
        };
        if let Some(target) = target {
            let item = escalate(app, &mut p, &holder, reference, target, story).await;
            if *scenario == Scenario::EscalationConcluded {
                let (who, role) = if target == "legal" { ("legal", "legal") } else { ("asb.hub", "asb_officer") };
                let who =
                    text(db, &format!("SELECT username FROM users WHERE role = '{role}' AND active = 1 ORDER BY username = '{who}' DESC, id LIMIT 1")).await;
                let note = format!("{} outcome: notice served", p.token(reference, "escalation outcome"));
                let (s, _) = decide(app, &tok(app, &who).await, &item, "acknowledge", &note, None).await;
                if s != StatusCode::OK {
                    let by = ids(db, &format!("SELECT id FROM users WHERE username = '{who}'")).await[0];
                    exec(db, &format!("UPDATE workflow_items SET state = 'completed', decision_note = '{note}', decided_by = {by}, decided_at = proposed_at, version = version + 1 WHERE id = {}", item["id"])).await;
                    by_sql.push(format!("{reference}: escalation concluded by SQL ({who} got {s})"));
                }
            }
        }
    }
    // A named officer on one case of each area: an Introductory HMO of the area.
    for &area in &areas {
        let reference = sqlx::query::<sqlx::Any>(&format!(
            "SELECT reference FROM cases WHERE area_team_id = {area} AND status = 'open' AND reference IN ({}) ORDER BY id LIMIT 1",
            chosen.iter().map(|(r, ..)| format!("'{r}'")).collect::<Vec<_>>().join(", ")
        ))
        .fetch_optional(&db.pool)
        .await
        .unwrap()
        .map(|r| r.get::<String, _>(0));
        let (Some(reference), Some(&named)) = (
            reference.as_ref(),
            ids(db, &format!("SELECT id FROM users WHERE role = 'introductory_hmo' AND area_team_id = {area} AND active = 1 ORDER BY id")).await.last(),
        ) else {
            continue;
        };
        let case_id = ids(db, &format!("SELECT id FROM cases WHERE reference = '{reference}'")).await[0];
        exec(db, &format!("INSERT INTO access_grants (subject_type, subject_id, user_id, granted_by, granted_at) VALUES ('case', {case_id}, {named}, NULL, '{today}T09:00:00Z')")).await;
        stories.entry(reference.clone()).or_default().push(format!("named: {}", username(db, named).await));
    }
    // Cover: in the first area a Sustainable Tenancy HMO is away today (covered); in the second a
    // cover was set and ended early; in the third one starts tomorrow (not yet active).
    for (ai, &area) in areas.iter().enumerate().take(3) {
        let sthmos = ids(db, &format!("SELECT id FROM users WHERE role = 'sustainable_hmo' AND area_team_id = {area} AND active = 1 ORDER BY id")).await;
        if sthmos.len() < 2 {
            continue;
        }
        let tl = tok(
            app,
            &text(db, &format!("SELECT username FROM users WHERE role = 'team_leader' AND area_team_id = {area} AND active = 1 ORDER BY id LIMIT 1")).await,
        )
        .await;
        let start = if ai == 2 { today + chrono::Duration::days(1) } else { today };
        let body = json!({"absent_id": sthmos[0], "cover_id": sthmos[1], "starts_on": start.to_string(), "ends_on": (today + chrono::Duration::days(7)).to_string(), "reason": "Annual leave"});
        let (s, v) = app.json("POST", "/api/v1/covers", &tl, body).await;
        assert_eq!(s, StatusCode::OK, "setting cover: {v}");
        if ai == 1 {
            let cover = ids(db, &format!("SELECT id FROM covers WHERE absent_user_id = {} ORDER BY id DESC LIMIT 1", sthmos[0])).await[0];
            let (s, v) = app.json("POST", &format!("/api/v1/covers/{cover}/end"), &tl, json!({})).await;
            assert_eq!(s, StatusCode::OK, "ending cover: {v}");
        }
    }

    // The facts, read back from the database.
    let mut cases = Vec::new();
    let mut states = BTreeMap::new();
    for reference in chosen.iter().map(|(r, ..)| r).chain(closed.iter()) {
        let row = sqlx::query::<sqlx::Any>(&format!(
            "SELECT c.id, t.reference, p.reference, p.id, p.address_line1, c.area_team_id, c.status, c.owner_id, pa.officer_id \
             FROM cases c JOIN tenancies t ON t.id = c.tenancy_id JOIN properties p ON p.id = c.property_id JOIN patches pa ON pa.id = p.patch_id \
             WHERE c.reference = '{reference}' AND c.restricted = 1"
        ))
        .fetch_one(&db.pool)
        .await
        .unwrap();
        let id: i64 = row.get(0);
        let items = sqlx::query::<sqlx::Any>(&format!("SELECT flow, state, outcome FROM workflow_items WHERE subject_type = 'case' AND subject_id = {id}"))
            .fetch_all(&db.pool)
            .await
            .unwrap();
        let mut c = Case {
            reference: reference.clone(),
            id,
            tenancy: row.get(1),
            property: row.get(2),
            property_id: row.get(3),
            street: row.get(4),
            area: row.get(5),
            status: row.get(6),
            owner: row.get(7),
            patch_officer: row.get(8),
            grants: ids(db, &format!("SELECT user_id FROM access_grants WHERE subject_type = 'case' AND subject_id = {id}")).await.into_iter().collect(),
            title_token: titles[reference].clone(),
            story: stories.get(reference).map(|s| s.join(", ")).unwrap_or_else(|| "closed, title only".into()),
            ..Default::default()
        };
        for it in &items {
            let (flow, state, outcome): (String, String, String) = (it.get(0), it.get(1), it.get(2));
            *states.entry(format!("{flow}/{state}")).or_default() += 1;
            if flow == "escalation" && state == "proposed" {
                c.open_escalations.insert(outcome);
            } else if flow == "hand_back" && state == "proposed" {
                c.open_hand_back = true;
            }
        }
        cases.push(c);
    }
    let case_ids = cases.iter().map(|c| c.id.to_string()).collect::<Vec<_>>().join(", ");
    let item_ids = ids(db, &format!("SELECT id FROM workflow_items WHERE subject_type = 'case' AND subject_id IN ({case_ids}) ORDER BY id")).await;
    let action_ids = ids(db, &format!("SELECT id FROM plan_actions WHERE case_id IN ({case_ids}) ORDER BY id")).await;
    for state in [
        "referral_to_sustainable/proposed",
        "referral_to_sustainable/sent_back",
        "referral_to_sustainable/declined",
        "referral_to_sustainable/completed",
        "hand_back/proposed",
        "hand_back/sent_back",
        "escalation/proposed",
        "escalation/completed",
    ] {
        assert!(states.contains_key(state), "{state} is planted: {states:?}");
    }
    assert!(areas.len() < 2 || cases.iter().map(|c| c.area).collect::<HashSet<_>>().len() >= 2, "planted across area teams");
    Planted { cases, keys: p.keys, item_ids, action_ids, by_sql, states }
}

/// Who may open a restricted case, restated from the rules (not from `app::domain::access`):
/// never partners or administrators; otherwise its owner or whoever covers for the owner today,
/// a Team Leader of its area, anyone named on it, and whoever must act on an open step of it
/// (Legal / the Hub for a proposed escalation to them; the patch's Community HMO, or their cover,
/// for a proposed hand-back).
fn may_open(u: &User, c: &Case, covers: &[(i64, i64)]) -> bool {
    if matches!(u.role.as_str(), "partner" | "admin") {
        return false;
    }
    let acts_for = |officer: Option<i64>| officer.is_some_and(|o| o == u.id || covers.iter().any(|&(absent, cover)| absent == o && cover == u.id));
    acts_for(c.owner)
        || (u.role == "team_leader" && u.area == Some(c.area))
        || c.grants.contains(&u.id)
        || (u.role == "legal" && c.open_escalations.contains("legal"))
        || (u.role == "asb_officer" && c.open_escalations.contains("hub"))
        || (c.open_hand_back && acts_for(c.patch_officer))
}

/// The answer's text, with any hydration data the page carries as postcard in base64 decoded.
fn haystack(body: String) -> String {
    use base64::Engine as _;
    if !body.contains("__RESOLVED_RESOURCES[") {
        return body;
    }
    let mut out = body.clone();
    for s in body.split("__RESOLVED_RESOURCES[").skip(1) {
        let Some(data) = s.split_once("] = \"").and_then(|(_, rest)| rest.split_once('"')).map(|(d, _)| d) else { continue };
        if let Ok(bytes) = base64::engine::general_purpose::STANDARD_NO_PAD.decode(data).or_else(|_| base64::engine::general_purpose::STANDARD.decode(data)) {
            out.push('\n');
            out.push_str(&String::from_utf8_lossy(&bytes));
        }
    }
    out
}

/// The planted keys found in an answer.
fn found(text: &str) -> HashSet<String> {
    let bytes = text.as_bytes();
    text.match_indices(MARK).filter_map(|(i, _)| bytes.get(i..i + KEY_LEN)).map(|k| String::from_utf8_lossy(k).into_owned()).collect()
}

async fn ask(app: &TestApp, token: &str, probe: &Probe) -> (StatusCode, String) {
    let res = match &probe.via {
        Via::Get | Via::Page => app.get_bearer(&probe.path, token).await,
        Via::Form(body) | Via::JsonFn(body) => {
            let ct = if matches!(probe.via, Via::JsonFn(_)) { "application/json" } else { "application/x-www-form-urlencoded" };
            app.send(
                Request::post(&probe.path)
                    .header(header::HOST, HOST)
                    .header(header::ORIGIN, format!("http://{HOST}"))
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header(header::CONTENT_TYPE, ct)
                    .header(header::ACCEPT, "application/json")
                    .body(Body::from(body.clone()))
                    .unwrap(),
            )
            .await
        }
    };
    let status = res.status();
    (status, haystack(body_text(res).await))
}

fn enc(s: &str) -> String {
    s.bytes().map(|b| if b.is_ascii_alphanumeric() || b"-_.~".contains(&b) { (b as char).to_string() } else { format!("%{b:02X}") }).collect()
}

/// Every route that returns data, with the planted cases' references typed in.
async fn routes(app: &TestApp, planted: &Planted, admin: &str) -> (Vec<Probe>, usize) {
    let db = &app.db;
    let cases = &planted.cases;
    let areas: Vec<i64> = cases.iter().map(|c| c.area).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let tenancy_ids = cases.iter().map(|c| format!("'{}'", c.tenancy)).collect::<Vec<_>>().join(", ");
    let mut referrals = texts(
        db,
        &format!("SELECT r.reference FROM referrals r JOIN tenancies t ON t.id = r.tenancy_id WHERE t.reference IN ({tenancy_ids}) ORDER BY r.id LIMIT 4"),
    )
    .await;
    referrals.push(text(db, "SELECT reference FROM referrals ORDER BY id LIMIT 1").await);
    let mut probes = Vec::new();
    let mut add = |label: String, path: String, via: Via, kind: Kind| probes.push(Probe { label, path, via, kind });

    // Every GET in the OpenAPI document.
    let (s, doc) = app.get_json("/api/v1/openapi.json", admin).await;
    assert_eq!(s, StatusCode::OK);
    let mut gets = 0;
    for (path, item) in doc["paths"].as_object().expect("OpenAPI paths") {
        if item.get("get").is_none() {
            continue;
        }
        gets += 1;
        let label = format!("GET {path}");
        let mut concrete: Vec<(String, Kind)> = Vec::new();
        if path.contains("{reference}") {
            let (values, kind): (Vec<String>, fn(&Case) -> Kind) = if path.starts_with("/api/v1/cases/") {
                (cases.iter().map(|c| c.reference.clone()).collect(), |c| Kind::Record(c.reference.clone()))
            } else if path.starts_with("/api/v1/tenancies/") && path.ends_with("/review") {
                (cases.iter().map(|c| c.tenancy.clone()).collect(), |c| Kind::Review(c.tenancy.clone()))
            } else if path.starts_with("/api/v1/tenancies/") {
                (cases.iter().map(|c| c.tenancy.clone()).collect(), |_| Kind::List)
            } else if path.starts_with("/api/v1/properties/") {
                (cases.iter().map(|c| c.property.clone()).collect(), |_| Kind::List)
            } else if path.starts_with("/api/v1/referrals/") {
                (referrals.clone(), |_| Kind::List)
            } else {
                panic!("classify the path parameter of {path} in the privacy probe");
            };
            if path.starts_with("/api/v1/referrals/") {
                for v in &values {
                    concrete.push((path.replace("{reference}", v) + "?reason=privacy%20probe", Kind::List));
                }
            } else {
                for c in cases {
                    let v = match kind(c) {
                        Kind::Record(r) | Kind::Review(r) => r,
                        Kind::List => values[cases.iter().position(|x| x.reference == c.reference).unwrap()].clone(),
                    };
                    concrete.push((path.replace("{reference}", &v), kind(c)));
                }
            }
        } else if path.contains("{id}") {
            for id in planted.item_ids.iter().chain(&planted.action_ids) {
                concrete.push((path.replace("{id}", &id.to_string()), Kind::List));
            }
        } else {
            assert!(!path.contains('{'), "classify the path parameter of {path} in the privacy probe");
            let mut variants = vec![String::new()];
            match path.as_str() {
                "/api/v1/my-work" => variants.push("?all=true".into()),
                "/api/v1/search" => {
                    variants.clear();
                    for c in cases {
                        variants.push(format!("?q={}", c.tenancy));
                        variants.push(format!("?q={}", enc(&c.street)));
                    }
                    variants.push(format!("?q={}", cases[0].title_token));
                }
                "/api/v1/feedback/results" | "/api/v1/feedback/results.csv" => {
                    variants.push("?by=officer&months=36".into());
                }
                "/api/v1/admin/audit" => {
                    variants.clear();
                    for c in cases {
                        variants.push(format!("?subject_type=case&reference={}", c.reference));
                        variants.push(format!("?subject_type=tenancy&reference={}", c.tenancy));
                    }
                }
                "/api/v1/map" => variants.extend(areas.iter().map(|a| format!("?area={a}"))),
                "/api/v1/map/changes" => {
                    variants.clear();
                    variants.push("?since=0".into());
                    variants.extend(areas.iter().map(|a| format!("?area={a}&since=0")));
                }
                "/api/v1/calendar/working-days" => variants.push(format!("?from={}&add=10", app::api::kit::clock::today())),
                "/api/v1/benchmarks/tsm" => variants.push("?year=2024-25".into()),
                "/api/v1/referrals" => variants.extend(cases.iter().take(3).map(|c| format!("?tenancy={}", c.tenancy))),
                _ => {}
            }
            for v in variants {
                concrete.push((format!("{path}{v}"), Kind::List));
            }
        }
        for (p, kind) in concrete {
            add(label.clone(), p, Via::Get, kind);
        }
    }
    assert!(gets >= 20, "the OpenAPI document lists the GET routes: {gets}");

    // Every page.
    for p in ["/", "/day", "/approvals", "/team", "/referrals", "/map", "/satisfaction", "/satisfaction?by=officer", "/admin"] {
        add(format!("PAGE {}", p.split('?').next().unwrap()), p.into(), Via::Page, Kind::List);
    }
    for c in cases {
        add("PAGE /cases/{reference}".into(), format!("/cases/{}", c.reference), Via::Page, Kind::Record(c.reference.clone()));
        add("PAGE /tenancies/{reference}".into(), format!("/tenancies/{}", c.tenancy), Via::Page, Kind::List);
        add("PAGE /tenancies/{reference}/refer".into(), format!("/tenancies/{}/refer?case={}", c.tenancy, c.reference), Via::Page, Kind::List);
        add("PAGE /properties/{reference}".into(), format!("/properties/{}", c.property), Via::Page, Kind::List);
        add("PAGE /search".into(), format!("/search?q={}", c.tenancy), Via::Page, Kind::List);
    }
    for r in &referrals {
        add("PAGE /referrals/{reference}".into(), format!("/referrals/{r}?reason=privacy%20probe"), Via::Page, Kind::List);
    }

    // Every read-only server function, with plausible arguments (names as in app/src/api/*.rs).
    let mut reads: BTreeMap<&str, Vec<(Via, Kind)>> = BTreeMap::new();
    let form = |s: String| Via::Form(s);
    reads.insert("/fn/whoami", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/admin", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/team", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/team_visiting", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/programme", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/team_pipeline", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/team_hazards", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/team_months", vec![(form(String::new()), Kind::List)]);
    reads.insert(
        "/fn/officers_day",
        vec![(form(String::new()), Kind::List), (form(format!("on={}", app::api::kit::clock::today() - chrono::Days::new(1))), Kind::List)],
    );
    reads.insert("/fn/under_occupiers", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/approvals", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/reviews_due", vec![(form(String::new()), Kind::List)]);
    reads.insert("/fn/my_work", vec![(form("all=false".into()), Kind::List), (form("all=true".into()), Kind::List)]);
    reads.insert("/fn/case", cases.iter().map(|c| (form(format!("reference={}", c.reference)), Kind::Record(c.reference.clone()))).collect());
    reads.insert("/fn/review_panel", cases.iter().map(|c| (form(format!("reference={}", c.tenancy)), Kind::Review(c.tenancy.clone()))).collect());
    reads.insert("/fn/tenancy", cases.iter().map(|c| (form(format!("reference={}", c.tenancy)), Kind::List)).collect());
    reads.insert("/fn/property", cases.iter().map(|c| (form(format!("reference={}", c.property)), Kind::List)).collect());
    reads.insert(
        "/fn/search",
        cases.iter().flat_map(|c| [(form(format!("query={}", c.tenancy)), Kind::List), (form(format!("query={}", enc(&c.street))), Kind::List)]).collect(),
    );
    reads.insert("/fn/map_home", cases.iter().map(|c| (form(format!("property_id={}", c.property_id)), Kind::List)).collect());
    reads.insert(
        "/fn/map_rows",
        areas
            .iter()
            .map(|a| {
                (
                    Via::JsonFn(json!({"area": a, "ids": cases.iter().filter(|c| c.area == *a).map(|c| c.property_id).collect::<Vec<_>>()}).to_string()),
                    Kind::List,
                )
            })
            .collect(),
    );
    reads.insert("/fn/map_shapes", areas.iter().map(|a| (Via::JsonFn(json!({"area": a, "moves": []}).to_string()), Kind::List)).collect());
    reads.insert("/fn/map_balance", areas.iter().map(|a| (form(format!("area={a}&officers=1&tolerance_pct=10")), Kind::List)).collect());
    reads.insert("/fn/map_changes", areas.iter().map(|a| (form(format!("area={a}&since=0")), Kind::List)).collect());
    reads.insert(
        "/fn/feedback_results",
        ["officer"].iter().map(|by| (form(format!("by={by}&months=36&contains=&area=0&patch=0&officer=0")), Kind::List)).collect(),
    );
    reads.insert(
        "/fn/referrals",
        std::iter::once((form(String::new()), Kind::List)).chain(cases.iter().map(|c| (form(format!("tenancy={}", c.tenancy)), Kind::List))).collect(),
    );
    reads.insert("/fn/referral", referrals.iter().map(|r| (form(format!("reference={r}&reason=privacy+probe")), Kind::List)).collect());
    reads.insert("/fn/referral_start", cases.iter().map(|c| (form(format!("tenancy={}&case={}", c.tenancy, c.reference)), Kind::List)).collect());

    let registered: Vec<String> = leptos::server_fn::axum::server_fn_paths().map(|(p, _)| p.to_string()).collect::<HashSet<_>>().into_iter().collect();
    let unclassified: Vec<&String> = registered.iter().filter(|p| !reads.contains_key(p.as_str()) && !WRITES.contains(&p.as_str())).collect();
    assert!(unclassified.is_empty(), "classify these server functions in the privacy probe (read table with arguments, or WRITES): {unclassified:?}");
    let stale: Vec<&&str> = reads.keys().chain(WRITES.iter()).filter(|p| !registered.iter().any(|r| r == **p)).collect();
    assert!(stale.is_empty(), "the privacy probe lists server functions that are not registered: {stale:?}");
    let fns = reads.len();
    for (path, calls) in reads {
        for (via, kind) in calls {
            add(format!("POST {path}"), path.to_string(), via, kind);
        }
    }
    (probes, fns)
}

struct Outcome {
    engine: String,
    probes: usize,
    findings: Vec<Finding>,
    summary: String,
}

async fn probe(engine: Engine) -> Outcome {
    let started = std::time::Instant::now();
    let app = TestApp::new(engine).await;
    let planted = plant(&app, engine).await;
    let db = &app.db;
    let today = app::api::kit::clock::today();

    // Users: everyone active who can sign in (sampled on a large council, keeping every user
    // the planted cases involve).
    let rows = sqlx::query::<sqlx::Any>("SELECT id, username, role, area_team_id FROM users WHERE active = 1 ORDER BY id").fetch_all(&db.pool).await.unwrap();
    let involved: HashSet<i64> = planted.cases.iter().flat_map(|c| c.owner.into_iter().chain(c.patch_officer).chain(c.grants.iter().copied())).collect();
    let covers: Vec<(i64, i64)> = sqlx::query::<sqlx::Any>(&format!(
        "SELECT absent_user_id, cover_user_id FROM covers WHERE starts_on <= '{today}' AND ends_on >= '{today}' AND ended_at IS NULL"
    ))
    .fetch_all(&db.pool)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get::<i64, _>(0), r.get::<i64, _>(1)))
    .collect();
    let all_covers: HashSet<i64> = ids(db, "SELECT absent_user_id FROM covers UNION SELECT cover_user_id FROM covers").await.into_iter().collect();
    let mut rng = rand_chacha::ChaCha8Rng::seed_from_u64(seed() ^ 77);
    let mut per_role: HashMap<String, usize> = HashMap::new();
    let mut users = Vec::new();
    let large = rows.len() > 60;
    for r in &rows {
        let (id, name, role, area): (i64, String, String, Option<i64>) = (r.get(0), r.get(1), r.get(2), r.get(3));
        let n = per_role.entry(role.clone()).or_default();
        let keep = !large
            || matches!(role.as_str(), "team_leader" | "legal" | "asb_officer" | "admin")
            || involved.contains(&id)
            || all_covers.contains(&id)
            || (role == "partner" && *n < 2)
            || (role != "partner" && *n < 12 && rng.random_bool(0.5));
        if keep {
            *n += 1;
            let token = tok(&app, &name).await;
            users.push(User { id, name, role, area, token });
        }
    }
    let admin = users.iter().find(|u| u.role == "admin").expect("an administrator").token.clone();
    let (routes, fns) = routes(&app, &planted, &admin).await;
    let by_ref: HashMap<&str, &Case> = planted.cases.iter().map(|c| (c.reference.as_str(), c)).collect();

    let mut findings = Vec::new();
    let mut probes = 0usize;
    let mut statuses: BTreeMap<(String, u16), usize> = BTreeMap::new();
    let mut took: BTreeMap<String, std::time::Duration> = BTreeMap::new();
    // Planted text found where it belongs: proof the probe can see what it looks for.
    let mut seen_on_record = 0usize;
    for u in &users {
        for probe in &routes {
            let asked = std::time::Instant::now();
            let (status, body) = ask(&app, &u.token, probe).await;
            *took.entry(probe.label.clone()).or_default() += asked.elapsed();
            probes += 1;
            *statuses.entry((probe.label.clone(), status.as_u16())).or_default() += 1;
            // One finding per case an answer shows, naming every planted field of it that it shows.
            let mut shown: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for key in found(&body) {
                match planted.keys.get(&key) {
                    Some((case_ref, field)) => shown.entry(case_ref.clone()).or_default().push(field.clone()),
                    None => findings.push(Finding {
                        category: "leak",
                        route: probe.label.clone(),
                        path: probe.path.clone(),
                        user: u.name.clone(),
                        case: "?".into(),
                        field: format!("unknown planted key {key}"),
                        status: status.as_u16(),
                    }),
                }
            }
            for (case_ref, mut fields) in shown {
                fields.sort();
                fields.dedup();
                let field = fields.join(" + ");
                let case = by_ref[case_ref.as_str()];
                let own_record = match &probe.kind {
                    Kind::Record(r) => *r == case.reference,
                    Kind::Review(t) => *t == case.tenancy,
                    Kind::List => false,
                };
                let category = if !may_open(u, case, &covers) {
                    "leak"
                } else if !own_record {
                    "list"
                } else {
                    continue;
                };
                findings.push(Finding {
                    category,
                    route: probe.label.clone(),
                    path: probe.path.clone(),
                    user: u.name.clone(),
                    case: case_ref.clone(),
                    field,
                    status: status.as_u16(),
                });
            }
            // The case itself: open to exactly those the oracle allows.
            if probe.label == "GET /api/v1/cases/{reference}" {
                let Kind::Record(r) = &probe.kind else { unreachable!() };
                let case = by_ref[r.as_str()];
                let allowed = may_open(u, case, &covers);
                if allowed && status == StatusCode::OK && body.contains(&case.title_token) {
                    seen_on_record += 1;
                }
                if allowed && status != StatusCode::OK {
                    findings.push(Finding {
                        category: "refused",
                        route: probe.label.clone(),
                        path: probe.path.clone(),
                        user: u.name.clone(),
                        case: r.clone(),
                        field: "-".into(),
                        status: status.as_u16(),
                    });
                } else if !allowed && status.is_success() {
                    findings.push(Finding {
                        category: "opened",
                        route: probe.label.clone(),
                        path: probe.path.clone(),
                        user: u.name.clone(),
                        case: r.clone(),
                        field: "-".into(),
                        status: status.as_u16(),
                    });
                }
            }
        }
    }
    // Each route answered someone: a probe that only ever meets errors proves nothing.
    let answered: HashSet<&String> = statuses.iter().filter(|((_, s), _)| *s == 200).map(|((l, _), _)| l).collect();
    let labels: std::collections::BTreeSet<&String> = routes.iter().map(|r| &r.label).collect();
    let silent: Vec<&&String> = labels.iter().filter(|l| !answered.contains(**l)).collect();
    if std::env::var("PRIVACY_PROBE_VERBOSE").is_ok() {
        for ((label, s), n) in &statuses {
            println!("  {:?} {label}: {s} x{n}", engine);
        }
        for (label, t) in &took {
            println!("  {:?} {label}: {t:.1?} in all", engine);
        }
    }
    let summary = format!(
        "privacy probe ({}): {probes} probes over {} users, {} planted cases, {} routes, {fns} server functions in {:.0?}; leaks: {} (leak {}, list {}, refused {}, opened {}); seed {}; planted states {:?}; moved by SQL: {:?}; routes never answered 200: {:?}",
        db.backend.name(),
        users.len(),
        planted.cases.len(),
        labels.len(),
        started.elapsed(),
        findings.len(),
        findings.iter().filter(|f| f.category == "leak").count(),
        findings.iter().filter(|f| f.category == "list").count(),
        findings.iter().filter(|f| f.category == "refused").count(),
        findings.iter().filter(|f| f.category == "opened").count(),
        seed(),
        planted.states,
        planted.by_sql,
        silent,
    );
    println!("{summary}");
    assert!(seen_on_record > 0, "{}: no planted title was found even on its own case's record route: the probe cannot see what it plants", db.backend.name());
    for c in &planted.cases {
        let allowed: Vec<&str> = users.iter().filter(|u| may_open(u, c, &covers)).map(|u| u.name.as_str()).collect();
        println!("  {} ({}, area {}): {}; may open: {}", c.reference, c.status, c.area, c.story, allowed.join(" "));
    }
    Outcome { engine: db.backend.name().to_string(), probes, findings, summary }
}

/// The order findings are reported in: the worst first.
fn rank(category: &str) -> usize {
    ["leak", "opened", "refused", "list"].iter().position(|c| *c == category).unwrap_or(9)
}

/// Findings grouped by category and route, most first, with the first example of each.
fn report(o: &Outcome) -> String {
    let mut groups: BTreeMap<(&str, &str), Vec<&Finding>> = BTreeMap::new();
    for f in &o.findings {
        groups.entry((f.category, f.route.as_str())).or_default().push(f);
    }
    let mut lines: Vec<(&str, usize, String)> = groups
        .iter()
        .map(|((cat, route), fs)| {
            let users: std::collections::BTreeSet<&str> = fs.iter().map(|f| f.user.as_str()).collect();
            let e = fs[0];
            (
                *cat,
                fs.len(),
                format!(
                    "  [{cat}] {route}: {} finding(s), users {users:?}; e.g. {} got {} of {} via {} ({})",
                    fs.len(),
                    e.user,
                    e.field,
                    e.case,
                    e.path,
                    e.status
                ),
            )
        })
        .collect();
    lines.sort_by(|a, b| rank(a.0).cmp(&rank(b.0)).then(b.1.cmp(&a.1)));
    let mut out = format!("{}: {} findings over {} probes\n", o.engine, o.findings.len(), o.probes);
    for (_, _, l) in lines.iter().take(40) {
        out.push_str(l);
        out.push('\n');
    }
    if lines.len() > 40 {
        out.push_str(&format!("  ... and {} more routes\n", lines.len() - 40));
    }
    out.push_str("  first findings:\n");
    let mut first: Vec<&Finding> = o.findings.iter().collect();
    first.sort_by_key(|f| rank(f.category));
    for f in first.into_iter().take(20) {
        out.push_str(&format!("    [{}] {} {} -> {} of {} ({})\n", f.category, f.user, f.path, f.field, f.case, f.status));
    }
    out
}

/// No answer carries planted need-to-know text to a user who may not open its case, and no list
/// carries it at all; the case itself opens for exactly those who need it.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_route_shows_a_restricted_case_to_anyone_who_may_not_open_it() {
    let mut runs = tokio::task::JoinSet::new();
    for engine in engines() {
        runs.spawn(probe(engine));
    }
    let mut outcomes = Vec::new();
    while let Some(done) = runs.join_next().await {
        outcomes.push(done.expect("a probe run panicked"));
    }
    let mut failures = String::new();
    for o in &outcomes {
        if !o.findings.is_empty() {
            failures.push_str(&report(o));
        }
    }
    for o in &outcomes {
        println!("{}", o.summary);
    }
    assert!(failures.is_empty(), "restricted case content reached people or lists it should not:\n{failures}");
    for o in &outcomes {
        assert!(o.probes > 5_000, "{}: only {} probes", o.engine, o.probes);
    }
}

/// Subject access (UK GDPR Article 15): an administrator finds a tenant by surname and date of
/// birth and exports what Hearth holds about them (their details, tenancy, rent, cases, visits...),
/// without the other household members' details; each search and export is audited with its
/// reason; a reason is required; officers and Team Leaders are refused, and that is audited too.
#[tokio::test]
async fn subject_access_is_for_administrators_audited_and_leaves_out_other_people() {
    for engine in engines() {
        let app = TestApp::new(engine).await;
        let row = sqlx::query::<sqlx::Any>(
            "SELECT hm.id, hm.first_name, hm.last_name, hm.date_of_birth, t.reference, t.id FROM household_members hm JOIN tenancies t ON t.id = hm.tenancy_id \
             WHERE hm.is_tenant = 1 AND EXISTS (SELECT 1 FROM cases c WHERE c.tenancy_id = t.id) \
             AND EXISTS (SELECT 1 FROM household_members o WHERE o.tenancy_id = t.id AND o.id <> hm.id AND o.first_name <> hm.first_name) ORDER BY hm.id LIMIT 1",
        )
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        use sqlx::Row;
        let (member, first, last, dob, reference, tenancy): (i64, String, String, String, String, i64) =
            (row.get(0), row.get(1), row.get(2), row.get(3), row.get(4), row.get(5));
        let other = text(&app.db, &format!("SELECT first_name || ' ' || last_name FROM household_members WHERE tenancy_id = {tenancy} AND id <> {member} AND first_name <> '{first}' LIMIT 1")).await;
        let case_title = text(&app.db, &format!("SELECT title FROM cases WHERE tenancy_id = {tenancy} LIMIT 1")).await;
        let admin = app.token("admin", PASSWORD).await.unwrap();
        let reason = "SAR-2026-0042%20from%20the%20tenant";

        // Found by surname (any case) and date of birth, with the day the answer is due.
        let search = format!("/subject-access?last_name={}&date_of_birth={dob}&received=2026-11-25&reason={reason}", last.to_uppercase());
        let res = app.get_bearer(&search, &admin).await;
        assert_eq!(res.status(), StatusCode::OK);
        let page = body_text(res).await;
        assert!(page.contains(&format!("{first} {last}")) && page.contains(&reference), "{page}");
        assert!(page.contains(r#"data-testid="sar-due">2026-12-29<"#), "one month, past Christmas: {page}");
        assert!(page.contains(&format!("/subject-access/{member}?reason=")));

        // The readable export: theirs, and nobody else's.
        let res = app.get_bearer(&format!("/subject-access/{member}?reason={reason}"), &admin).await;
        assert_eq!(res.status(), StatusCode::OK);
        let export = body_text(res).await;
        let escaped = |s: &str| html_escape::encode_text(s).to_string();
        for wanted in
            [format!("{first} {last}"), reference.clone(), escaped(&case_title), "Rent accounts".into(), "Who looked at or changed these records".into()]
        {
            assert!(export.contains(&wanted), "the export has {wanted:?}");
        }
        assert!(!export.contains(&escaped(&other)), "another household member ({other}) is a third party");
        // And as JSON, section by section.
        let res = app.get_bearer(&format!("/subject-access/{member}?reason={reason}&format=json"), &admin).await;
        assert_eq!(res.status(), StatusCode::OK);
        let json = body_json(res).await;
        let titles: Vec<&str> = json["sections"].as_array().unwrap().iter().map(|s| s["title"].as_str().unwrap()).collect();
        assert!(titles.contains(&"Visits") && titles.contains(&"Cases") && titles.contains(&"Referrals to partner agencies"), "{titles:?}");
        let rent = json["sections"].as_array().unwrap().iter().find(|s| s["title"] == "Rent accounts").unwrap();
        assert!(!rent["rows"].as_array().unwrap().is_empty(), "a tenant's rent account");
        assert!(rent["rows"][0][3].as_str().unwrap().contains('£'));

        // A reason is required; the export says so and makes nothing.
        let res = app.get_bearer(&format!("/subject-access/{member}"), &admin).await;
        assert_eq!(res.status(), StatusCode::BAD_REQUEST);
        assert!(body_text(res).await.contains("at least 10 characters"));
        let res = app.get_bearer("/subject-access?last_name=X&date_of_birth=1980-01-01&reason=SAR-2026-0042", &admin).await;
        let page = body_text(res).await;
        assert!(page.contains("Give the person's surname") && page.contains(r#"value="1980-01-01""#), "explained, and what was typed kept: {page}");

        // Anyone else is refused, and the attempt recorded.
        for who in ["chmo.east1", "tl.east", "legal"] {
            let token = app.token(who, PASSWORD).await.unwrap();
            assert_eq!(app.get_bearer(&format!("/subject-access/{member}?reason={reason}"), &token).await.status(), StatusCode::FORBIDDEN, "{who}");
            assert_eq!(app.get_bearer(&search, &token).await.status(), StatusCode::FORBIDDEN, "{who}");
        }
        let audited = |outcome: &str, action: &str| {
            format!("SELECT COUNT(*) FROM audit_log WHERE action = '{action}' AND outcome = '{outcome}' AND subject_type = 'household_member'")
        };
        assert_eq!(scalar(&app.db, &audited("allowed", "subject_access_export")).await, 2);
        assert_eq!(scalar(&app.db, &format!("SELECT COUNT(*) FROM audit_log WHERE action = 'subject_access_export' AND outcome = 'allowed' AND subject_id = {member} AND reason = 'SAR-2026-0042 from the tenant'")).await, 2);
        assert_eq!(scalar(&app.db, &audited("allowed", "subject_access_search")).await, 1);
        assert_eq!(scalar(&app.db, &audited("denied:forbidden", "subject_access_export")).await, 3);
        assert_eq!(scalar(&app.db, &audited("denied:forbidden", "subject_access_search")).await, 3);
    }
}
