//! Cases worked between roles: the case page, referral to the Sustainable Tenancy HMO, the
//! action plan, hand-back; and the Team Leader's team view with cover. Shared by the server
//! functions and `/api/v1`; every rule comes from `domain` (workflow, sustain, cover, access).

use super::store::{CaseRecord, NewCover, NewPlanAction};
use crate::api::kit::audit::{audit, change, worth_auditing};
use crate::api::kit::clock::{Clock, step_due};
use crate::api::kit::store::Proposal;
use crate::api::kit::workflow::{actor_for, item_moves, refuse, waits_on};
use crate::api::store::Store;
use crate::domain::access::{Principal, can_view_record};
use crate::domain::clock::{ComplaintStage, urgency};
use crate::domain::complaint::{ComplaintEvent, ComplaintStep, Progress};
use crate::domain::cover;
use crate::domain::sustain::{self, ActionStatus, NewAction, ReferralText};
use crate::domain::workflow::{self, Flow, FlowState, Move};
use crate::domain::{CaseStatus, Role};
use crate::error::AppError;
use crate::model::*;
use chrono::NaiveDate;

const STALE: &str = "This case has changed since you opened it. Reload the page to see the latest, then try again; nothing you entered was saved.";

/// Loads a case the user may see; a refusal is audited.
pub(crate) async fn load_case(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<CaseRecord, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let reference = reference.trim().to_uppercase();
    let rec = store.case_record(&reference, who.user_id).await?.ok_or_else(|| AppError::NotFound(format!("Case {reference}")))?;
    let rec = with_duty(who, rec);
    if let Err(denial) = can_view_record(who, &rec.scope) {
        audit(store, who, ip, "open_case", "case", Some(rec.id), Err(denial), reference).await?;
        return Err(denial.into());
    }
    Ok(rec)
}

/// The case's scope for `who`, with their duty: an open item on it waits for them (an escalation
/// sent to their team, a hand-back to their patch), so they may open it while it is open.
fn with_duty(who: &Principal, mut rec: CaseRecord) -> CaseRecord {
    rec.scope.duty = rec.detail.workflow.iter().any(|w| waits_on(who, &rec.scope, rec.patch_officer_id, w))
        || rec.complaint.as_ref().is_some_and(|(received, steps)| crate::domain::complaint::stage2_duty(who, &Progress::of(*received, steps)));
    rec
}

/// The open item of one flow on a case, if any.
fn open_item(rec: &CaseRecord, flow: Flow) -> Option<&WorkflowView> {
    rec.detail.workflow.iter().find(|w| w.flow == flow && w.state.is_open())
}

fn state_of(w: Option<&WorkflowView>) -> Option<FlowState> {
    w.map(|w| w.state)
}

/// `sustain::may_edit_plan` for this case.
fn may_edit_plan(who: &Principal, rec: &CaseRecord) -> bool {
    sustain::may_edit_plan(who, rec.detail.status == CaseStatus::Open, rec.scope.owner_id, rec.detail.owner.as_ref().map(|o| o.role), rec.scope.area_team_id)
}

/// The case page: the case, its clock, its plan with each action's clock, its moves between
/// roles with the viewer's permitted moves, and its history. Views of restricted cases, of other
/// areas' cases, and refusals are audited.
pub async fn case_detail(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<CaseDetail, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let reference = reference.trim().to_uppercase();
    let Some(rec) = store.case_record(&reference, who.user_id).await? else {
        return Err(AppError::NotFound(format!("Case {reference}")));
    };
    let rec = with_duty(who, rec);
    let outcome = can_view_record(who, &rec.scope);
    if worth_auditing(who, &rec.scope, outcome) {
        audit(store, who, ip, "view_case", "case", Some(rec.id), outcome, reference.clone()).await?;
    }
    outcome?;
    present(store, who, rec).await
}

async fn present(store: &dyn Store, who: &Principal, rec: CaseRecord) -> Result<CaseDetail, AppError> {
    let clock = Clock::now(store).await?;
    let base = actor_for(who, &rec.scope, rec.patch_officer_id, None);
    let open = rec.detail.status == CaseStatus::Open;
    let can_refer = open && workflow::next(Flow::ReferralToSustainable, state_of(open_item(&rec, Flow::ReferralToSustainable)), Move::Propose, base).is_ok();
    let open_actions = rec.detail.actions.iter().filter(|a| a.status == ActionStatus::Open).count();
    let can_hand_back = open && workflow::next(Flow::HandBack, state_of(open_item(&rec, Flow::HandBack)), Move::Propose, base).is_ok();
    let can_edit_plan = may_edit_plan(who, &rec);
    let can_escalate = open && workflow::next(Flow::Escalation, state_of(open_item(&rec, Flow::Escalation)), Move::Propose, base).is_ok();
    let mut d = rec.detail.clone();
    d.can_refer = can_refer;
    d.can_hand_back = can_hand_back && open_actions == 0;
    d.can_edit_plan = can_edit_plan;
    d.can_escalate = can_escalate;
    d.clock = if open { d.due_at.map(|x| clock.instant(x)) } else { None };
    for a in &mut d.actions {
        a.clock = if a.status == ActionStatus::Open { Some(clock.date(a.due_on)) } else { None };
    }
    for w in &mut d.workflow {
        w.actions = item_moves(actor_for(who, &rec.scope, rec.patch_officer_id, Some(w.proposer_id)), w);
        w.clock = if w.state.is_open() { w.due_on.as_deref().and_then(|x| clock.due_text(x)) } else { None };
    }
    d.complaint = rec.complaint.as_ref().map(|(received, steps)| complaint_view(who, *received, steps, &clock, open));
    let deciding_referral = d.workflow.iter().any(|w| w.flow == Flow::ReferralToSustainable && w.actions.contains(&Move::Approve));
    if deciding_referral {
        d.sustainable_officers = store.officers(rec.scope.area_team_id, Some(Role::SustainableHmo)).await?;
    }
    Ok(d)
}

/// What the Community HMO sends to refer a case to the Sustainable Tenancy HMO.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct CaseReferral {
    /// The case's version as the officer saw it.
    pub version: i64,
    pub concerns: String,
    pub risks: String,
    /// What has been tried so far.
    pub tried: String,
}

pub async fn refer_case(store: &dyn Store, who: &Principal, reference: &str, r: CaseReferral, ip: &str) -> Result<CaseDetail, AppError> {
    let rec = load_case(store, who, reference, ip).await?;
    let text = ReferralText { concerns: r.concerns.trim().into(), risks: r.risks.trim().into(), tried: r.tried.trim().into() };
    text.validate().map_err(AppError::Invalid)?;
    if rec.detail.status != CaseStatus::Open {
        return Err(AppError::Conflict("This case is closed; only open cases are referred.".into()));
    }
    let due = step_due(store, |t| t.referral_decision_days).await?;
    let step = CaseStep {
        flow: Flow::ReferralToSustainable,
        version: r.version,
        outcome: "sustainable_hmo",
        reason: text.concerns.clone(),
        detail: text.to_detail(),
        due_on: due,
    };
    propose_on_case(store, who, rec, step, "refer_to_sustainable", ip).await
}

/// A proposal about a case: a referral or a hand-back.
struct CaseStep {
    flow: Flow,
    version: i64,
    outcome: &'static str,
    reason: String,
    detail: String,
    due_on: NaiveDate,
}

/// Proposes `step` on the case if the state machine lets `who` (a stale version is a conflict),
/// audits it, and returns the case as it now is.
async fn propose_on_case(store: &dyn Store, who: &Principal, rec: CaseRecord, step: CaseStep, action: &str, ip: &str) -> Result<CaseDetail, AppError> {
    if step.version != rec.version {
        return Err(AppError::Conflict(STALE.into()));
    }
    let open = open_item(&rec, step.flow);
    let state = state_of(open);
    let a = actor_for(who, &rec.scope, rec.patch_officer_id, open.map(|w| w.proposer_id));
    workflow::next(step.flow, state, Move::Propose, a).map_err(|_| refuse(step.flow, state, Move::Propose, a))?;
    store
        .propose(
            Proposal {
                flow: step.flow,
                subject_type: "case",
                subject_id: rec.id,
                subject_version: step.version,
                area_team_id: rec.scope.area_team_id,
                outcome: step.outcome.into(),
                reason: step.reason,
                detail: step.detail,
                proposed_by: who.user_id,
                due_on: Some(step.due_on),
                reopen: open.map(|w| (w.id, w.version)),
            },
            change(who, ip, action, "workflow_item", None, rec.detail.reference.clone()),
        )
        .await?;
    let rec = load_case(store, who, &rec.detail.reference, ip).await?;
    present(store, who, rec).await
}

/// Escalates a case to Legal or the Community Safety Hub; the holder keeps it and sees the escalation.
pub async fn escalate_case(
    store: &dyn Store,
    who: &Principal,
    reference: &str,
    e: crate::api::kit::workflow::EscalationRequest,
    ip: &str,
) -> Result<CaseDetail, AppError> {
    let rec = load_case(store, who, reference, ip).await?;
    let purpose =
        workflow::EscalationPurpose::parse(e.purpose.trim()).ok_or_else(|| AppError::Invalid(crate::api::kit::workflow::ESCALATION_PURPOSE_HELP.into()))?;
    crate::api::kit::workflow::check_escalation_reason(&e.reason)?;
    let step = CaseStep {
        flow: Flow::Escalation,
        version: e.version,
        outcome: purpose.target(),
        reason: e.reason.trim().into(),
        detail: purpose.as_str().into(),
        due_on: step_due(store, |t| t.escalation_response_days).await?,
    };
    propose_on_case(store, who, rec, step, "escalate", ip).await
}

/// What the Sustainable Tenancy HMO sends to hand a case back.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct HandBackRequest {
    pub version: i64,
    /// What the plan achieved and what the Community HMO should watch for.
    pub summary: String,
}

pub async fn hand_back(store: &dyn Store, who: &Principal, reference: &str, h: HandBackRequest, ip: &str) -> Result<CaseDetail, AppError> {
    let rec = load_case(store, who, reference, ip).await?;
    let open_actions = rec.detail.actions.iter().filter(|a| a.status == ActionStatus::Open).count();
    sustain::check_hand_back(&h.summary, open_actions).map_err(AppError::Invalid)?;
    let step = CaseStep {
        flow: Flow::HandBack,
        version: h.version,
        outcome: "community_hmo",
        reason: h.summary.trim().into(),
        detail: String::new(),
        due_on: step_due(store, |t| t.hand_back_days).await?,
    };
    propose_on_case(store, who, rec, step, "propose_hand_back", ip).await
}

/// A new action for the case's plan.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct PlanActionRequest {
    pub description: String,
    /// officer, tenant or agency.
    pub owner: String,
    /// The officer's or agency's name (not needed for the tenant).
    #[serde(default)]
    pub owner_name: String,
    /// YYYY-MM-DD.
    pub due_on: String,
}

fn plan_guard(who: &Principal, rec: &CaseRecord) -> Result<(), AppError> {
    if may_edit_plan(who, rec) {
        Ok(())
    } else {
        Err(AppError::Forbidden("Only the Sustainable Tenancy HMO working this case, or their Team Leader, can change its plan.".into()))
    }
}

pub async fn add_action(store: &dyn Store, who: &Principal, reference: &str, a: PlanActionRequest, ip: &str) -> Result<CaseDetail, AppError> {
    let rec = load_case(store, who, reference, ip).await?;
    let (owner, due) =
        sustain::check_action(&NewAction { description: &a.description, owner: &a.owner, owner_name: &a.owner_name, due_on: &a.due_on }, store.today())
            .map_err(AppError::Invalid)?;
    plan_guard(who, &rec)?;
    // Never the action's words: the audit trail is read by administrators, who may not open a
    // need-to-know case (the privacy probe plants text in plans to prove it). The store adds the id.
    let detail = format!("due {due}");
    store
        .add_plan_action(
            NewPlanAction {
                case_id: rec.id,
                description: a.description.trim().into(),
                owner_kind: owner.as_str().into(),
                owner_name: a.owner_name.trim().into(),
                due_on: due,
                created_by: who.user_id,
            },
            change(who, ip, "add_plan_action", "case", Some(rec.id), detail),
        )
        .await?;
    let rec = load_case(store, who, &rec.detail.reference, ip).await?;
    present(store, who, rec).await
}

/// Marks an action done or no longer needed (or open again).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct PlanActionUpdate {
    pub version: i64,
    /// open, done or dropped.
    pub status: String,
    #[serde(default)]
    pub note: String,
}

pub async fn update_action(store: &dyn Store, who: &Principal, action_id: i64, u: PlanActionUpdate, ip: &str) -> Result<CaseDetail, AppError> {
    let reference = store.plan_action_case(action_id).await?.ok_or_else(|| AppError::NotFound(format!("Action {action_id}")))?;
    let rec = load_case(store, who, &reference, ip).await?;
    let status = ActionStatus::parse(u.status.trim()).ok_or_else(|| AppError::Invalid("Choose open, done or no longer needed.".into()))?;
    if u.note.chars().count() > 1000 {
        return Err(AppError::Invalid("The note is too long (1,000 characters at most).".into()));
    }
    plan_guard(who, &rec)?;
    let from = rec.detail.actions.iter().find(|a| a.id == action_id).map(|a| a.status).ok_or(AppError::Internal)?;
    if !from.may_move_to(status) {
        return Err(AppError::Conflict(format!("This action is already {}: reload the page to see it as it is now.", from.label().to_lowercase())));
    }
    let entry = change(who, ip, "update_plan_action", "case", Some(rec.id), format!("action {action_id} -> {}", status.as_str()));
    store.update_plan_action(action_id, u.version, status, u.note.trim(), who.user_id, entry).await?;
    let rec = load_case(store, who, &reference, ip).await?;
    present(store, who, rec).await
}

/// The plan's agreement with the tenant and its next review.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct PlanDates {
    pub version: i64,
    pub agreed_on: String,
    pub next_review_on: String,
}

pub async fn set_plan(store: &dyn Store, who: &Principal, reference: &str, p: PlanDates, ip: &str) -> Result<CaseDetail, AppError> {
    let rec = load_case(store, who, reference, ip).await?;
    let (agreed, review) = sustain::check_plan_dates(&p.agreed_on, &p.next_review_on, store.today()).map_err(AppError::Invalid)?;
    plan_guard(who, &rec)?;
    if p.version != rec.version {
        return Err(AppError::Conflict(STALE.into()));
    }
    let entry = change(who, ip, "set_plan", "case", Some(rec.id), format!("agreed {agreed}, review {review}"));
    store.set_plan(rec.id, p.version, agreed, review, entry).await?;
    let rec = load_case(store, who, &rec.detail.reference, ip).await?;
    present(store, who, rec).await
}

// ---------------------------------------------------------------------------------------
// The Team Leader's team view and cover
// ---------------------------------------------------------------------------------------

fn team_leader_area(who: &Principal) -> Result<i64, AppError> {
    crate::domain::access::led_area(who).ok_or_else(|| AppError::Forbidden("The team view and cover are for Team Leaders.".into()))
}

pub async fn team(store: &dyn Store, who: &Principal) -> Result<TeamView, AppError> {
    let area = team_leader_area(who)?;
    let clock = Clock::now(store).await?;
    let today = clock.today;
    let since = today - chrono::Duration::days(14);
    let mut plans: Vec<PlanRow> = store
        .plans(area, today)
        .await?
        .into_iter()
        .filter_map(|(p, scope)| crate::domain::access::list_as(who, &scope, p, |p| p.title = crate::domain::access::RESTRICTED_ABOUT.into()))
        .collect();
    for p in &mut plans {
        p.clock = p.due_at.map(|d| clock.instant(d));
    }
    plans.sort_by(|a, b| (urgency(a.clock), &a.due_at).cmp(&(urgency(b.clock), &b.due_at)));
    Ok(TeamView {
        area_team: who.area_team.clone().unwrap_or_default(),
        officers: store.officers(area, None).await?,
        covers: store.covers(Some(area), None, since).await?,
        plans,
    })
}

/// A Team Leader sets cover for an absent officer.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct CoverRequest {
    pub absent_id: i64,
    pub cover_id: i64,
    /// First day of cover, YYYY-MM-DD.
    pub starts_on: String,
    /// Last day of cover, YYYY-MM-DD; work returns the day after.
    pub ends_on: String,
    pub reason: String,
}

pub async fn create_cover(store: &dyn Store, who: &Principal, c: CoverRequest, ip: &str) -> Result<TeamView, AppError> {
    let area = team_leader_area(who)?;
    let absent = store.user_facts(c.absent_id).await?.ok_or_else(|| AppError::Invalid("Choose the absent officer.".into()))?;
    let cover_party = store.user_facts(c.cover_id).await?.ok_or_else(|| AppError::Invalid("Choose the cover officer.".into()))?;
    let (start, end) = cover::check(absent, cover_party, area, &c.starts_on, &c.ends_on, &c.reason, store.today()).map_err(AppError::Invalid)?;
    store
        .create_cover(
            NewCover {
                absent_user_id: c.absent_id,
                cover_user_id: c.cover_id,
                starts_on: start,
                ends_on: end,
                reason: c.reason.trim().into(),
                created_by: who.user_id,
            },
            change(who, ip, "set_cover", "cover", None, format!("{} covered by {} {start}..{end}", c.absent_id, c.cover_id)),
        )
        .await?;
    team(store, who).await
}

/// Ends cover now: the work returns to the officer at once; a period that has not begun is called off.
pub async fn end_cover(store: &dyn Store, who: &Principal, cover_id: i64, ip: &str) -> Result<TeamView, AppError> {
    let area = team_leader_area(who)?;
    let (c, cover_area) = store.cover(cover_id).await?.ok_or_else(|| AppError::NotFound(format!("Cover {cover_id}")))?;
    if cover_area != area {
        return Err(AppError::Forbidden("That cover belongs to another area team.".into()));
    }
    if matches!(c.state, cover::CoverState::Ended | cover::CoverState::Cancelled) {
        return Err(AppError::Conflict("That cover has already ended.".into()));
    }
    store.end_cover(cover_id, change(who, ip, "end_cover", "cover", Some(cover_id), format!("{} covering {}", c.cover, c.absent))).await?;
    team(store, who).await
}

/// A complaint's handling as its page shows it: the stage, the steps, what the viewer may record
/// next (only on an open case, by someone who may work it), and the next deadline's clock.
fn complaint_view(who: &Principal, received: chrono::NaiveDate, steps: &[ComplaintStep], clock: &Clock, open: bool) -> ComplaintView {
    let p = Progress::of(received, steps);
    let stage = p.current();
    let due =
        p.due(&clock.calendar).map(|(st, event, day)| StepDeadline { label: crate::domain::complaint::due_label(st, event), due: day, clock: clock.date(day) });
    ComplaintView {
        received_on: received,
        stage,
        steps: steps.to_vec(),
        next: if open { p.next(who.user_id) } else { vec![] },
        due: due.filter(|_| open),
        max_extension: stage.max_extension(),
        stage1_handler: p.stage1_handler().and_then(|id| steps.iter().find(|s| s.by_id == id).map(|s| s.by.clone())),
        stage1_in_time: p.stage1.in_time(ComplaintStage::Stage1, &clock.calendar),
        stage2_in_time: p.stage2.in_time(ComplaintStage::Stage2, &clock.calendar),
    }
}

/// A step in a complaint's handling, as an officer records it.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct ComplaintStepRequest {
    /// The case's version as the officer saw it.
    pub version: i64,
    /// acknowledged, extended, answered or escalation_requested.
    #[schema(value_type = String)]
    pub kind: ComplaintEvent,
    /// YYYY-MM-DD: the day it happened.
    pub on: String,
    /// An extension: its length in working days.
    #[serde(default)]
    pub extension_days: Option<u32>,
    /// The reason for an extension as told to the resident, or the response's summary.
    #[serde(default)]
    pub detail: String,
}

/// Records a complaint's step (Complaint Handling Code 2024): in order, in its stage, never the
/// stage 1 handler at stage 2; the case's clock moves to the next deadline.
pub async fn record_complaint_step(store: &dyn Store, who: &Principal, reference: &str, r: ComplaintStepRequest, ip: &str) -> Result<CaseDetail, AppError> {
    let rec = load_case(store, who, reference, ip).await?;
    let Some((received, steps)) = rec.complaint.clone() else {
        return Err(AppError::Invalid("Only a complaint has complaint-handling steps.".into()));
    };
    if rec.detail.status != CaseStatus::Open {
        return Err(AppError::Conflict("The case is closed: reopen it to record more of the complaint's handling.".into()));
    }
    let progress = Progress::of(received, &steps);
    if !crate::domain::complaint::may_record(who, &rec.scope, &progress) {
        return Err(AppError::Forbidden("Only the complaint's handler, whoever covers them, or their Team Leader records its handling.".into()));
    }
    if r.version != rec.version {
        return Err(AppError::Conflict(STALE.into()));
    }
    let on = crate::domain::clock::input_date(&r.on, "Give the day it happened (YYYY-MM-DD).").map_err(AppError::Invalid)?;
    let stage = progress.stage_for(r.kind);
    let step = ComplaintStep {
        kind: r.kind,
        stage,
        on,
        extension_days: r.extension_days,
        detail: r.detail.trim().to_string(),
        by_id: who.user_id,
        by: who.username.clone(),
    };
    progress.check(&step, who.user_id, store.today()).map_err(AppError::Invalid)?;
    let mut after = steps;
    after.push(step.clone());
    let clock = Clock::now(store).await?;
    let due_on = Progress::of(received, &after).due(&clock.calendar).map(|(_, _, d)| d);
    let entry = change(who, ip, "record_complaint_step", "case", Some(rec.id), format!("{} {}", step.kind.as_str(), step.on));
    store.record_complaint_step(rec.id, r.version, &step, due_on, entry).await?;
    case_detail(store, who, &rec.detail.reference, ip).await
}
