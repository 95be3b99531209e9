//! Cases in every role: arrears (Community HMO), ASB and neighbour disputes, sustainment cases with
//! their agreed plans (Sustainable HMO), restricted domestic-abuse and safeguarding cases, and
//! escalations to the Community Safety Hub; with the workflow items waiting on Team Leaders, and
//! the escalations waiting on Legal (arrears: a notice, possession) and the Hub (ASB: evidence, an
//! injunction), so each team's desk has a queue.

use app::domain::clock::WorkingCalendar;
use app::domain::sustain::{self, ReferralText};
use app::domain::workflow::EscalationPurpose;
use app::domain::{CaseKind, Pence, Role};
use chrono::{Duration as Days, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::patches::Patches;
use super::people::{Active, Move, transfer};
use super::places::Places;
use super::staff::Staff;
use super::writer::V;
use super::{Ctx, date, instant};

pub(super) const CASE_COLUMNS: [&str; 19] = [
    "id",
    "reference",
    "kind",
    "tenancy_id",
    "property_id",
    "title",
    "summary",
    "status",
    "stage",
    "restricted",
    "owner_id",
    "owner_role",
    "area_team_id",
    "opened_at",
    "due_at",
    "closed_at",
    "version",
    "plan_agreed_on",
    "next_review_on",
];
const PLAN_COLUMNS: [&str; 10] = ["case_id", "description", "owner_kind", "owner_name", "due_on", "status", "note", "created_by", "created_at", "version"];
const WORKFLOW_COLUMNS: [&str; 12] =
    ["flow", "subject_type", "subject_id", "state", "outcome", "reason", "detail", "area_team_id", "proposed_by", "proposed_at", "due_at", "version"];
const PLAN_ACTIONS: [(&str, &str, &str); 6] = [
    ("Set up a repayment plan and a Universal Credit managed payment", "officer", ""),
    ("Attend the money advice appointment", "tenant", ""),
    ("Needs assessment and care package review", "agency", "Adult Social Care"),
    ("Declutter the hallway and kitchen with support", "tenant", ""),
    ("Mediation session with the neighbours at number 12", "agency", "Mediation service"),
    ("Fire safety home visit", "agency", "Fire and rescue"),
];

/// A case about to be opened: kind, owner, owner's role, stage, title.
struct Planned {
    kind: CaseKind,
    owner: i64,
    role: Role,
    stage: &'static str,
    title: String,
}

/// Per area: plans and referrals seeded so far (the first ones are made late or nearly due,
/// so every area's Team Leader sees both kinds of clock whatever the size of the council).
struct State {
    case_id: i64,
    plans: [usize; 3],
    referrals: [usize; 3],
    /// Escalations seeded so far: to Legal, to the Hub.
    escalations: [usize; 2],
    calendar: &'static WorkingCalendar,
}

/// Writes the cases; returns how many.
pub fn write(ctx: &mut Ctx, places: &Places, patches: &Patches, staff: &Staff, active: &[Active]) -> usize {
    let mut s = State { case_id: 0, plans: [0; 3], referrals: [0; 3], escalations: [0; 2], calendar: WorkingCalendar::england_and_wales() };
    for t in active {
        let home = &places.homes[t.home];
        let chmo = patches.chmo_of[&home.patch];
        for case in cases_for(ctx, &s, t, home.area, chmo, staff) {
            open(ctx, &mut s, t, home.id, home.area, chmo, staff, case);
        }
    }
    s.case_id as usize
}

/// The cases a tenancy has: arrears beyond £500 and, for a few, one other kind.
/// (Introductory reviews are not cases: the tenancy's trial clock and its workflow items carry them.)
fn cases_for(ctx: &mut Ctx, s: &State, t: &Active, area: usize, chmo: i64, staff: &Staff) -> Vec<Planned> {
    let mut cases = Vec::new();
    let community = |kind, stage, title: &str| Planned { kind, owner: chmo, role: Role::CommunityHmo, stage, title: title.to_string() };
    // Arrears cases are about real arrears, not the month Universal Credit pays in arrears.
    if t.arrears > 50_000 {
        cases.push(community(CaseKind::Arrears, "Contact ladder", &format!("Arrears of {}", Pence(t.balance).pounds())));
    }
    let r: f64 = ctx.rng.random();
    if r < 0.02 {
        cases.push(community(CaseKind::Asb, "Investigation", "Noise and verbal abuse reported by neighbours"));
    } else if r < 0.03 {
        cases.push(community(CaseKind::NeighbourDispute, "Mediation offered", "Boundary and parking dispute with neighbour"));
    } else if r < 0.038 || (r > 0.9 && s.plans[area] < 3) {
        let owner = *staff.sthmos[area].choose(&mut ctx.rng).expect("sthmo");
        let title = "Tenancy at risk: hoarding, arrears and isolation".to_string();
        cases.push(Planned { kind: CaseKind::Sustainment, owner, role: Role::SustainableHmo, stage: "Action plan", title });
    } else if r < 0.041 {
        let (kind, title) = if ctx.rng.random_bool(0.6) {
            (CaseKind::DomesticAbuse, "Domestic abuse disclosed; MARAC referral")
        } else {
            (CaseKind::Safeguarding, "Safeguarding concern about a child in the household")
        };
        cases.push(community(kind, "Safety planning", title));
    } else if r < 0.043 {
        let title = "Escalated to the Community Safety Hub: drug dealing reported".to_string();
        cases.push(Planned { kind: CaseKind::Asb, owner: staff.asb_id, role: Role::AsbOfficer, stage: "Evidence review", title });
    }
    cases
}

/// Opens one case with its plan, waiting workflow, ownership history and access grants.
#[allow(clippy::too_many_arguments)]
fn open(ctx: &mut Ctx, s: &mut State, t: &Active, property: i64, area: usize, chmo: i64, staff: &Staff, c: Planned) {
    s.case_id += 1;
    let id = s.case_id;
    let opened = ctx.today - Days::days(ctx.rng.random_range(3..200));
    let closed = ctx.rng.random_bool(0.3) && !(c.role == Role::SustainableHmo && s.plans[area] < 3);
    let mut due = ctx.today + Days::days(ctx.rng.random_range(-20..40));
    // Sustainment cases carry a plan agreed with the tenant; its review date is the case's clock.
    let (mut agreed, mut review) = (V::N, V::N);
    if c.role == Role::SustainableHmo && !closed {
        let (agreed_on, review_on) = plan(ctx, s, id, area, opened, c.owner);
        due = review_on;
        (agreed, review) = (date(agreed_on), date(review_on));
    }
    // Some ASB and neighbour cases are waiting for the Team Leader's decision on a referral.
    if c.role == Role::CommunityHmo
        && !closed
        && matches!(c.kind, CaseKind::Asb | CaseKind::NeighbourDispute)
        && (s.referrals[area] == 0 || ctx.rng.random_bool(0.2))
    {
        propose_referral(ctx, s, id, area, c.owner, &c.title);
    } else if c.role == Role::CommunityHmo && !closed {
        // Some arrears cases wait on Legal, some ASB cases on the Community Safety Hub.
        let purpose = match c.kind {
            CaseKind::Arrears if t.arrears > 150_000 => Some(if ctx.rng.random_bool(0.3) { EscalationPurpose::Possession } else { EscalationPurpose::Notice }),
            CaseKind::Asb => Some(if ctx.rng.random_bool(0.7) { EscalationPurpose::EvidenceReview } else { EscalationPurpose::Injunction }),
            _ => None,
        };
        if let Some(p) = purpose {
            let team = usize::from(p.target() == "hub");
            if s.escalations[team] < 3 || ctx.rng.random_bool(0.15) {
                escalate(ctx, s, id, area, c.owner, p, &c.title);
            }
        }
    }
    let restricted = c.kind.is_restricted();
    ctx.w.row(
        "cases",
        &CASE_COLUMNS,
        vec![
            V::I(id),
            V::S(format!("CAS{:06}", id + 200_000)),
            V::s(c.kind.as_str()),
            V::I(t.id),
            V::I(property),
            V::S(c.title.clone()),
            V::S(String::new()),
            V::s(if closed { "closed" } else { "open" }),
            V::s(c.stage),
            V::I(restricted as i64),
            V::I(c.owner),
            V::s(c.role.as_str()),
            V::I(area as i64 + 1),
            instant(opened, 10),
            if closed { V::N } else { instant(due, 17) },
            if closed { instant(opened + Days::days(ctx.rng.random_range(5..60)), 16) } else { V::N },
            V::I(1),
            agreed,
            review,
        ],
    );
    case_history(ctx, id, opened, chmo, staff.team_leaders[area], &c);
    if restricted {
        ctx.w.row(
            "access_grants",
            &["subject_type", "subject_id", "user_id", "granted_by", "granted_at"],
            vec![V::s("case"), V::I(id), V::I(staff.team_leaders[area]), V::I(c.owner), instant(opened, 10)],
        );
    }
}

/// The plan's actions (some done, some late) and, for about one plan in eight, a proposal to hand
/// the case back; returns the day the plan was agreed and its next review.
fn plan(ctx: &mut Ctx, s: &mut State, case_id: i64, area: usize, opened: NaiveDate, owner: i64) -> (NaiveDate, NaiveDate) {
    let today = ctx.today;
    let agreed_on = (opened + Days::days(7)).min(today);
    let offset = match s.plans[area] {
        0 => -3,
        1 => 2,
        _ => ctx.rng.random_range(-10..28),
    };
    s.plans[area] += 1;
    for k in 0..ctx.rng.random_range(2..5usize) {
        let (text, kind, name) = PLAN_ACTIONS[(case_id as usize + k) % PLAN_ACTIONS.len()];
        let due_on = agreed_on + Days::days(ctx.rng.random_range(7..70));
        let status = if due_on < today && ctx.rng.random_bool(0.6) { "done" } else { "open" };
        ctx.w.row(
            "plan_actions",
            &PLAN_COLUMNS,
            vec![
                V::I(case_id),
                V::s(text),
                V::s(kind),
                V::s(name),
                date(due_on),
                V::s(status),
                V::S(String::new()),
                V::I(owner),
                instant(agreed_on, 11),
                V::I(1),
            ],
        );
    }
    if ctx.rng.random_bool(0.12) {
        let proposed = today - Days::days(ctx.rng.random_range(0..9));
        let due = sustain::due_after(proposed, sustain::HAND_BACK_WORKING_DAYS, s.calendar);
        ctx.w.row(
            "workflow_items",
            &WORKFLOW_COLUMNS,
            vec![
                V::s("hand_back"),
                V::s("case"),
                V::I(case_id),
                V::s("proposed"),
                V::s("community_hmo"),
                V::s("Plan met: rent account up to date, support in place, no reports for eight weeks"),
                V::S(String::new()),
                V::I(area as i64 + 1),
                V::I(owner),
                instant(proposed, 10),
                instant(due, 23),
                V::I(1),
            ],
        );
    }
    (agreed_on, today + Days::days(offset))
}

/// A Community HMO's proposal to refer the case to a Sustainable HMO, waiting for the Team Leader.
fn propose_referral(ctx: &mut Ctx, s: &mut State, case_id: i64, area: usize, owner: i64, title: &str) {
    let proposed = ctx.today - Days::days(if s.referrals[area] == 0 { 10 } else { ctx.rng.random_range(0..10) });
    s.referrals[area] += 1;
    let text = ReferralText {
        concerns: format!("{title}; the household is struggling to sustain the tenancy"),
        risks: "Loss of the tenancy; escalating conflict with neighbours".into(),
        tried: "Warning letters, two home visits, mediation offered".into(),
    };
    let due = sustain::due_after(proposed, sustain::REFERRAL_DECISION_WORKING_DAYS, s.calendar);
    ctx.w.row(
        "workflow_items",
        &WORKFLOW_COLUMNS,
        vec![
            V::s("referral_to_sustainable"),
            V::s("case"),
            V::I(case_id),
            V::s("proposed"),
            V::s("sustainable_hmo"),
            V::S(text.concerns.clone()),
            V::S(text.to_detail()),
            V::I(area as i64 + 1),
            V::I(owner),
            instant(proposed, 10),
            instant(due, 23),
            V::I(1),
        ],
    );
}

/// The case's owner escalates it to Legal or the Community Safety Hub, who have not concluded it
/// yet: each team's first is late and its second nearly due, so both clocks show on their desks.
fn escalate(ctx: &mut Ctx, s: &mut State, case_id: i64, area: usize, owner: i64, purpose: EscalationPurpose, title: &str) {
    let team = usize::from(purpose.target() == "hub");
    let ago = match s.escalations[team] {
        0 => 16,
        1 => 11,
        _ => ctx.rng.random_range(0..12),
    };
    s.escalations[team] += 1;
    let proposed = ctx.today - Days::days(ago);
    let due = sustain::due_after(proposed, sustain::ESCALATION_RESPONSE_WORKING_DAYS, s.calendar);
    let reason = match purpose {
        EscalationPurpose::Notice => format!("{title}: no payment or contact after the final letter; serve notice of seeking possession"),
        EscalationPurpose::Possession => format!("{title}: notice expired with no agreement kept; apply for possession"),
        EscalationPurpose::EvidenceReview => format!("{title}: diary sheets and reports from four neighbours to review with the police"),
        EscalationPurpose::Injunction => format!("{title}: threats continue despite warnings; an injunction to protect neighbours"),
    };
    ctx.w.row(
        "workflow_items",
        &WORKFLOW_COLUMNS,
        vec![
            V::s("escalation"),
            V::s("case"),
            V::I(case_id),
            V::s("proposed"),
            V::s(purpose.target()),
            V::S(reason),
            V::s(purpose.as_str()),
            V::I(area as i64 + 1),
            V::I(owner),
            instant(proposed, 10),
            instant(due, 23),
            V::I(1),
        ],
    );
}

/// The case's allocation and, for sustainment cases, the completed referral from the patch.
fn case_history(ctx: &mut Ctx, case_id: i64, opened: NaiveDate, chmo: i64, lead: i64, c: &Planned) {
    let id = ctx.next_transfer();
    let at = (instant(opened, 10), instant(opened, 10), instant(opened, 10));
    transfer(
        &mut ctx.w,
        id,
        "case",
        case_id,
        Move { kind: "allocation", from: None, to: (c.owner, c.role), reason: "Case opened", requested_by: c.owner, approved_by: None, at },
    );
    if c.role == Role::SustainableHmo {
        let id = ctx.next_transfer();
        let at = (instant(opened, 11), instant(opened + Days::days(2), 14), instant(opened + Days::days(2), 14));
        let m = Move {
            kind: "referral_to_sustainable",
            from: Some((chmo, Role::CommunityHmo)),
            to: (c.owner, Role::SustainableHmo),
            reason: "Complex needs beyond the patch: referred for a sustainment plan",
            requested_by: chmo,
            approved_by: Some(lead),
            at,
        };
        transfer(&mut ctx.w, id, "case", case_id, m);
    }
}
