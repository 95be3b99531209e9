//! Alerts on tenancies, and visits with their findings: sign-up and settling-in visits for new
//! tenancies, home checks every two years or so for the rest, and arrears visits.

use app::domain::programme::{Ask, Cycles, ProgrammeHome, plan};
use app::domain::route::Point;
use app::domain::{AlertKind, FindingKind, VisitOutcome, VisitType};
use chrono::{Duration as Days, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::people::Active;
use super::places::Places;
use super::writer::V;
use super::{Ctx, date, instant};

const VISIT_COLUMNS: [&str; 9] = ["id", "property_id", "tenancy_id", "visit_type", "officer_id", "scheduled_for", "completed_at", "outcome", "notes"];

const ALERTS: [(AlertKind, &str); 5] = [
    (AlertKind::Vulnerability, "Tenant has a learning disability: explain letters in person"),
    (AlertKind::RiskToStaff, "Visit in pairs: aggressive dog and a history of threats to staff"),
    (AlertKind::Disability, "Wheelchair user: level access and ground-floor meetings"),
    (AlertKind::Interpreter, "Polish interpreter needed for visits"),
    (AlertKind::Vulnerability, "Hoarding: fire service referral made"),
];

#[derive(Default)]
struct Ids {
    alert: i64,
    visit: i64,
    finding: i64,
    pipeline: i64,
    step: i64,
    hazard: i64,
    hazard_step: i64,
    /// The tenancy being written's last visit with someone at the door, and last home check.
    last_contact: Option<NaiveDate>,
    last_check: Option<NaiveDate>,
}

/// Writes every tenancy's alerts and visits, and the programme's coming week of home checks
/// (planned by `domain::programme::plan`: the coming week, four a day for each officer); returns the number of visits.
pub fn write(ctx: &mut Ctx, places: &Places, active: &[Active]) -> usize {
    let mut ids = Ids::default();
    let mut programme = Vec::new();
    // The pipeline draws from its own stream, so adding it left the rest of the council as it was.
    let mut pipeline_rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(ctx.seed ^ 0x5049_5045);
    // Damp and mould hazards draw from theirs, for the same reason.
    let mut hazard_rng = <rand_chacha::ChaCha8Rng as rand::SeedableRng>::seed_from_u64(ctx.seed ^ 0x4841_5A44);
    for t in active {
        ids.last_contact = None;
        ids.last_check = None;
        if ctx.rng.random_bool(0.08) {
            alert(ctx, &mut ids, t);
        }
        let home = places.homes[t.home].id;
        if t.tenure.is_introductory() {
            visit(ctx, &mut ids, t, home, VisitType::SignUp, t.start);
            if (ctx.today - t.start).num_days() > 42 {
                let on = t.start + Days::days(ctx.rng.random_range(28..42));
                visit(ctx, &mut ids, t, home, VisitType::SettlingIn, on);
            }
        } else if ctx.rng.random_bool(0.88) {
            let mut on = ctx.today - Days::days(ctx.rng.random_range(1..730));
            while on > t.start && on > ctx.today - Days::days(6 * 365) {
                visit(ctx, &mut ids, t, home, VisitType::HomeCheck, on);
                on -= Days::days(ctx.rng.random_range(600..800));
            }
        }
        if t.arrears > 50_000 && ctx.rng.random_bool(0.4) {
            let on = ctx.today - Days::days(ctx.rng.random_range(3..90));
            visit(ctx, &mut ids, t, home, VisitType::Arrears, on);
        }
        if app::domain::programme::programmed(t.tenure) {
            if ids.last_contact.is_some_and(|d| (ctx.today - d).num_days() < 330) {
                pipeline(ctx, &mut pipeline_rng, &mut ids, t);
            }
            hazard(ctx, &mut hazard_rng, &mut ids, t);
            let h = &places.homes[t.home];
            programme.push(ProgrammeHome {
                tenancy_id: t.id,
                patch_id: 0,
                officer_id: Some(t.owner),
                start_date: t.start,
                last_check: ids.last_check,
                last_contact: ids.last_contact,
                planned: None,
                at: Point { lat: h.lat, lon: h.lon },
            });
        }
    }
    let homes: std::collections::HashMap<i64, i64> = active.iter().map(|t| (t.id, places.homes[t.home].id)).collect();
    let cal = app::domain::clock::WorkingCalendar::england_and_wales();
    for v in plan(&programme, &Cycles::default(), Ask { start: ctx.today, weeks: 1, per_day: 4 }, &[], cal, ctx.today) {
        ids.visit += 1;
        ctx.w.row(
            "visits",
            &VISIT_COLUMNS,
            vec![
                V::I(ids.visit),
                V::I(homes[&v.tenancy_id]),
                V::I(v.tenancy_id),
                V::s(VisitType::HomeCheck.as_str()),
                V::I(v.officer_id),
                date(v.on),
                V::N,
                V::s(VisitOutcome::Scheduled.as_str()),
                V::S(String::new()),
            ],
        );
    }
    ids.visit as usize
}

/// Now and then what a visit led to: downsizing (2 in 100 visited homes) or an investigation (1 in
/// 100), at every stage, walked there step by step from the visit that opened it.
/// About one home in sixty has damp and mould reported in the last eight months, each as far up
/// Awaab's Law's ladder as its days allow: most investigated within their 10 working days, some
/// late; most summaries and safety work on time, a few late or still to do.
fn hazard(ctx: &mut Ctx, rng: &mut rand_chacha::ChaCha8Rng, ids: &mut Ids, t: &Active) {
    use app::domain::hazard::{HazardFinding, HazardStep, Ladder};
    if !rng.random_bool(0.017) {
        return;
    }
    let cal = app::domain::clock::WorkingCalendar::england_and_wales();
    let aware_on = (ctx.today - Days::days(rng.random_range(1..240))).max(t.start);
    let mut ladder =
        Ladder { aware_at: app::domain::clock::london_at(aware_on, chrono::NaiveTime::from_hms_opt(9, 30, 0).expect("09:30")), ..Ladder::default() };
    let finding = [HazardFinding::Significant, HazardFinding::Significant, HazardFinding::NoHazard, HazardFinding::Emergency][rng.random_range(0..4)];
    let detail = [
        "Tenant rang: black mould on the bedroom ceiling, child with asthma",
        "Condensation and mould around every window; tenant drying washing indoors",
        "Mould behind the wardrobe and a damp smell in the back bedroom",
        "Leak from the flat above: wet plaster and mould in the bathroom",
    ][rng.random_range(0..4)];
    ids.hazard += 1;
    let hazard = ids.hazard;
    let stamp = |at: Option<chrono::DateTime<chrono::Utc>>| at.map_or(V::N, |a| V::S(a.format("%Y-%m-%dT%H:%M:%SZ").to_string()));
    let mut investigated_on = aware_on;
    let mut steps = 0;
    for step in [HazardStep::Investigated, HazardStep::SummarySent, HazardStep::MadeSafe] {
        if !ladder.next_steps().contains(&step) {
            continue;
        }
        // Most within their clock; about one in six a few days late.
        let on = if step == HazardStep::MadeSafe && finding == HazardFinding::Emergency {
            investigated_on
        } else {
            let days =
                if rng.random_bool(0.17) { rng.random_range(11..16) } else { rng.random_range(1..if step == HazardStep::Investigated { 10 } else { 3 }) };
            cal.add_working_days(investigated_on, days)
        };
        if step == HazardStep::Investigated {
            investigated_on = on;
        }
        if on >= ctx.today {
            break;
        }
        let at = app::domain::clock::london_at(on, chrono::NaiveTime::from_hms_opt(14, 0, 0).expect("14:00"));
        let found = (step == HazardStep::Investigated).then_some(finding);
        ladder = ladder.take(step, at, found, app::domain::clock::london_at(ctx.today, chrono::NaiveTime::MIN)).expect("a seeded step in order");
        let note = match step {
            HazardStep::Investigated => match finding {
                HazardFinding::NoHazard => "Surveyor: surface condensation only, no significant hazard; ventilation advice given.",
                HazardFinding::Significant => "Surveyor: mould on two walls from a failed extractor fan; treatment and new fan ordered.",
                HazardFinding::Emergency => "Surveyor: water through the ceiling light; made the electrics safe and moved the family to a relative's.",
            },
            HazardStep::SummarySent => "Written summary of the findings and what happens next posted and emailed to the tenant.",
            HazardStep::MadeSafe => "Mould treated, extractor fan replaced; tenant happy with the work.",
        };
        ids.hazard_step += 1;
        steps += 1;
        ctx.w.row(
            "hazard_steps",
            &["id", "hazard_id", "step", "finding", "at", "by_user", "note"],
            vec![
                V::I(ids.hazard_step),
                V::I(hazard),
                V::s(step.as_str()),
                found.map_or(V::N, |f| V::s(f.as_str())),
                stamp(Some(at)),
                V::I(t.owner),
                V::s(note),
            ],
        );
    }
    let closed = if ladder.is_closed() { [ladder.summary_at, ladder.safe_at].into_iter().flatten().max() } else { None };
    ctx.w.row(
        "hazards",
        &["id", "tenancy_id", "detail", "visit_id", "aware_at", "reported_by", "investigated_at", "finding", "summary_at", "safe_at", "closed_at", "version"],
        vec![
            V::I(hazard),
            V::I(t.id),
            V::s(detail),
            V::N,
            stamp(Some(ladder.aware_at)),
            V::I(t.owner),
            stamp(ladder.investigated_at),
            ladder.finding.map_or(V::N, |f| V::s(f.as_str())),
            stamp(ladder.summary_at),
            stamp(ladder.safe_at),
            stamp(closed),
            V::I(1 + steps),
        ],
    );
}

fn pipeline(ctx: &mut Ctx, rng: &mut rand_chacha::ChaCha8Rng, ids: &mut Ids, t: &Active) {
    use app::domain::pipeline::{PipelineKind, PipelineStage as S};
    let roll: f64 = rng.random();
    let (kind, path): (PipelineKind, &[S]) = if roll < 0.02 {
        let paths: [&[S]; 6] = [
            &[S::Interest],
            &[S::Interest, S::Options],
            &[S::Interest, S::Options, S::Referred],
            &[S::Interest, S::Options, S::Referred, S::Moved],
            &[S::Interest, S::Options, S::Referred, S::Moved],
            &[S::Interest, S::Withdrawn],
        ];
        (PipelineKind::Downsizing, paths[rng.random_range(0..paths.len())])
    } else if roll < 0.03 {
        let kind = [PipelineKind::Fraud, PipelineKind::Subletting, PipelineKind::Abandonment][rng.random_range(0..3)];
        let paths: [&[S]; 5] = [
            &[S::Investigating],
            &[S::Investigating, S::Recovered],
            &[S::Investigating, S::Recovered],
            &[S::Investigating, S::Regularised],
            &[S::Investigating, S::NoFraud],
        ];
        (kind, paths[rng.random_range(0..paths.len())])
    } else {
        return;
    };
    ids.pipeline += 1;
    let mut on = ctx.today - Days::days(rng.random_range(20..250));
    let opened = on;
    for (n, stage) in path.iter().enumerate() {
        if n > 0 {
            on = (on + Days::days(rng.random_range(5..45))).min(ctx.today - Days::days(1));
        }
        ids.step += 1;
        let note = match stage {
            S::Interest => "Said at the home check that they would like a smaller home now the children have left.",
            S::Options => "Options talked through: a one-bedroom flat nearby, help with removals and the downsizing payment.",
            S::Referred => "Referred to the lettings team for a transfer with priority for downsizing.",
            S::Moved => "Moved to a smaller home; keys to the family home returned.",
            S::Withdrawn => "Decided to stay for now: wants to be near family.",
            S::Investigating => "Person at the door could not name the tenant; neighbours unsure who lives there.",
            S::Recovered => "Keys returned after the interview under caution; home recovered for letting.",
            S::Regularised => "A family member's succession confirmed; tenancy put in the right name.",
            S::NoFraud => "Tenant seen with ID and proof of residence: no fraud.",
        };
        ctx.w.row(
            "pipeline_steps",
            &["id", "pipeline_id", "stage", "at", "by_user", "note"],
            vec![V::I(ids.step), V::I(ids.pipeline), V::s(stage.as_str()), instant(on, 12), V::I(t.owner), V::s(note)],
        );
    }
    let stage = *path.last().expect("a path has a stage");
    ctx.w.row(
        "pipeline",
        &["id", "tenancy_id", "kind", "stage", "visit_id", "opened_at", "opened_by", "stage_at", "closed_at", "version"],
        vec![
            V::I(ids.pipeline),
            V::I(t.id),
            V::s(kind.as_str()),
            V::s(stage.as_str()),
            V::N,
            instant(opened, 12),
            V::I(t.owner),
            instant(on, 12),
            if stage.is_final() { instant(on, 12) } else { V::N },
            V::I(path.len() as i64),
        ],
    );
}

fn alert(ctx: &mut Ctx, ids: &mut Ids, t: &Active) {
    ids.alert += 1;
    let (kind, text) = *ALERTS.choose(&mut ctx.rng).expect("alert");
    let created = t.start + Days::days(ctx.rng.random_range(10..200));
    ctx.w.row(
        "alerts",
        &["id", "tenancy_id", "property_id", "kind", "description", "created_by", "created_at", "ends_on"],
        vec![V::I(ids.alert), V::I(t.id), V::N, V::s(kind.as_str()), V::s(text), V::I(t.owner), instant(created, 12), V::N],
    );
}

/// One visit by the tenancy's owner on `on` (scheduled if in the future; now and then no access).
fn visit(ctx: &mut Ctx, ids: &mut Ids, t: &Active, home: i64, vt: VisitType, on: NaiveDate) {
    ids.visit += 1;
    let no_access = ctx.rng.random_bool(0.08);
    let outcome = if on > ctx.today {
        VisitOutcome::Scheduled
    } else if no_access {
        VisitOutcome::NoAccess
    } else {
        VisitOutcome::Completed
    };
    ctx.w.row(
        "visits",
        &VISIT_COLUMNS,
        vec![
            V::I(ids.visit),
            V::I(home),
            V::I(t.id),
            V::s(vt.as_str()),
            V::I(t.owner),
            date(on),
            // When the officer was at the door: completed visits late morning; unanswered ones at
            // varied times of day, as the no-access ladder asks.
            match outcome {
                VisitOutcome::Completed => instant(on, 11),
                VisitOutcome::NoAccess => instant(on, [10, 14, 18][(ids.visit % 3) as usize]),
                _ => V::N,
            },
            V::s(outcome.as_str()),
            V::S(String::new()),
        ],
    );
    if outcome == VisitOutcome::Completed {
        ids.last_contact = ids.last_contact.max(Some(on));
        if app::domain::programme::CHECKS.contains(&vt) {
            ids.last_check = ids.last_check.max(Some(on));
        }
    }
    if outcome == VisitOutcome::Completed && ctx.rng.random_bool(0.1) {
        finding(ctx, ids, on);
    }
}

fn finding(ctx: &mut Ctx, ids: &mut Ids, on: NaiveDate) {
    ids.finding += 1;
    let kinds = [
        FindingKind::Disrepair,
        FindingKind::UnderOccupation,
        FindingKind::Vulnerability,
        FindingKind::FireRisk,
        FindingKind::UnauthorisedAlteration,
        FindingKind::Safeguarding,
    ];
    let kind = *kinds.choose(&mut ctx.rng).expect("finding");
    let actioned = (ctx.today - on).num_days() > 10 || ctx.rng.random_bool(0.5);
    // Each finding's own clock from the visit at 11:00 (`FindingKind::follow_up`), not a flat two days.
    let seen = app::domain::clock::london_at(on, chrono::NaiveTime::from_hms_opt(11, 0, 0).expect("11:00"));
    let due = kind.follow_up().due(seen, app::domain::clock::WorkingCalendar::england_and_wales());
    ctx.w.row(
        "visit_findings",
        &["id", "visit_id", "kind", "detail", "due_at", "actioned_at"],
        vec![
            V::I(ids.finding),
            V::I(ids.visit),
            V::s(kind.as_str()),
            V::s(finding_detail(kind, ids.finding)),
            V::S(due.format("%Y-%m-%dT%H:%M:%SZ").to_string()),
            if actioned { instant(on, 15) } else { V::N },
        ],
    );
}

/// What an officer might have written about a finding (chosen by the finding's number, so the demo
/// stays the same run to run).
fn finding_detail(kind: FindingKind, n: i64) -> &'static str {
    let options: &[&str] = match kind {
        FindingKind::DampMould => &["Black mould around the bathroom window and ceiling; extractor fan not working"],
        FindingKind::Disrepair => &[
            "Black mould on the back bedroom wall and ceiling; window seals failed",
            "Kitchen tap leaking into the unit below the sink",
            "Front door does not lock properly; frame split",
        ],
        FindingKind::UnderOccupation => &[
            "Tenant alone in a three-bedroom house since her son moved out; interested in a smaller home",
            "Two spare bedrooms; tenant wants to stay near family",
        ],
        FindingKind::Vulnerability => &["Tenant struggling after a hospital stay; no support at home", "Signs of hoarding in the front room and hallway"],
        FindingKind::FireRisk => &["Smoke alarm missing from the hallway", "Escape route blocked by stored furniture"],
        FindingKind::UnauthorisedAlteration => &["Wall removed between kitchen and living room without permission", "Decking built over the drain cover"],
        FindingKind::Safeguarding => &["Child left alone at home during the visit", "Tenant disclosed fear of an ex-partner who still has a key"],
        FindingKind::Overcrowding => &["Family of six in a two-bedroom flat"],
        FindingKind::Subletting => &["Person at the door did not know the tenant's name"],
        FindingKind::Abandonment => &["Post piled up; neighbours have not seen the tenant for weeks"],
    };
    options[(n as usize) % options.len()]
}
