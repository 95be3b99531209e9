//! Introductory tenancy reviews (Housing Act 1996 ss.124-130), escalations to Legal and the
//! Community Safety Hub, and decisions on every workflow item: the Team Leader's approvals.

use crate::api::kit::audit::{audit, change, worth_auditing};
use crate::api::kit::clock::{Clock, step_due};
use crate::api::kit::store::{Decision, Proposal, ReviewEffect};
use crate::api::kit::workflow::{ESCALATION_PURPOSE_HELP, EscalationRequest, actor_for, check_escalation_reason, item_moves, list_item, refuse};
use crate::api::reviews::store::ReviewRecord;
use crate::api::store::Store;
use crate::domain::access::{Principal, RecordScope, can_view_record, searchable_area};
use crate::domain::clock::{self, urgency};
use crate::domain::introductory::steps::{self, Ladder, StepKind, StepOutcome};
use crate::domain::workflow::{self, Actor, Flow, FlowState, Move, ReviewOutcome};
use crate::domain::{Tenure, introductory};
use crate::error::AppError;
use crate::model::*;

// ---------------------------------------------------------------------------------------
// Introductory tenancy reviews (issue: case transfers between roles)
// ---------------------------------------------------------------------------------------

/// What an officer submits to propose the outcome of an introductory review.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewProposal {
    /// The tenancy's version as the officer saw it (stale versions are refused).
    pub version: i64,
    /// make_secure, extend or seek_possession.
    pub outcome: String,
    /// For an extension: arrears, nuisance, property_condition or other.
    #[serde(default)]
    pub extension_reason: Option<String>,
    /// The officer's summary of the review.
    pub reason: String,
}

/// A decision on an open proposal.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct ItemDecision {
    pub version: i64,
    /// approve, send_back, decline, withdraw or acknowledge.
    #[schema(value_type = String)]
    pub action: Move,
    #[serde(default)]
    pub note: String,
    /// Accepting a referral: the Sustainable Tenancy HMO (user id) who takes the case.
    #[serde(default)]
    pub assign_to: Option<i64>,
}

/// A stale tenancy version, in words.
const STALE: &str = "This tenancy has changed since you opened it. Reload the page to see the latest, then try again; nothing you entered was saved.";

fn actor(who: &Principal, rec: &ReviewRecord) -> Actor {
    actor_for(who, &rec.scope, rec.patch_officer_id, rec.open_proposer_id)
}

fn may_record_notice(who: &Principal, rec: &ReviewRecord) -> bool {
    introductory::may_record_steps(who, &rec.scope)
}

/// An extension is proposed and not yet decided.
fn extension_proposed(rec: &ReviewRecord) -> bool {
    open_state(rec).is_some_and(|(_, w)| w.outcome == ReviewOutcome::Extend.as_str())
}

fn open_state(rec: &ReviewRecord) -> Option<(FlowState, &WorkflowView)> {
    rec.items.iter().find_map(|w| Some(w.state).filter(|s| s.is_open()).map(|s| (s, w)))
}

/// What the legal ladder's rules need to know about the tenancy.
fn ladder_facts(rec: &ReviewRecord) -> steps::Tenancy {
    let original_end = match rec.tenure {
        Tenure::ExtendedIntroductory => Some(introductory::trial_end_counting(rec.start_date, false, rec.prior.as_ref())),
        _ => rec.trial_ends_on,
    };
    steps::Tenancy {
        tenure: rec.tenure,
        trial_ends_on: rec.trial_ends_on,
        original_end,
        extension_notice_served_on: rec.notice_served_on,
        possession_approved: rec.items.iter().any(|w| w.state == FlowState::Completed && w.outcome == ReviewOutcome::SeekPossession.as_str()),
    }
}

/// Loads a tenancy's review record the user may see; a refusal is audited.
async fn load_review(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<ReviewRecord, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let reference = reference.trim().to_uppercase();
    let rec = store.review_record(&reference).await?.ok_or_else(|| AppError::NotFound(format!("Tenancy {reference}")))?;
    if let Err(denial) = can_view_record(who, &rec.scope) {
        audit(store, who, ip, "open_review", "tenancy", Some(rec.tenancy_id), Err(denial), reference).await?;
        return Err(denial.into());
    }
    Ok(rec)
}

fn panel(who: &Principal, rec: ReviewRecord, clock: &Clock) -> ReviewPanel {
    let today = clock.today;
    let a = actor(who, &rec);
    let open = open_state(&rec);
    let is_intro = rec.tenure.is_introductory();
    let facts = ladder_facts(&rec);
    let ladder = Ladder::of(&rec.steps);
    // While the court decides (s.130), or once it has ordered possession, there is nothing to propose.
    let court_decides = ladder.proceedings_running() || ladder.possession_ordered();
    let mut moves = if is_intro { workflow::available(Flow::IntroductoryReview, open.map(|o| o.0), a) } else { vec![] };
    if court_decides {
        moves.retain(|m| *m != Move::Propose);
    }
    let notice_last_day = introductory::notice_deadline(rec.tenure, rec.start_date, rec.trial_ends_on, rec.prior.as_ref());
    let can_record_notice = rec.notice_served_on.is_none()
        && may_record_notice(who, &rec)
        && (rec.tenure == Tenure::ExtendedIntroductory || (rec.tenure == Tenure::Introductory && extension_proposed(&rec)));
    let can_record_prior = rec.prior.is_none() && rec.tenure == Tenure::Introductory && open_state(&rec).is_none() && may_record_notice(who, &rec);
    let prior_counted_days = rec.prior.as_ref().map(|p| p.counted_days(rec.start_date));
    let notice_clock = introductory::open_notice_deadline(rec.tenure, rec.start_date, rec.trial_ends_on, rec.prior.as_ref(), rec.notice_served_on, today)
        .map(|d| clock.date(d));
    let mut items = rec.items.clone();
    for w in &mut items {
        if w.state.is_open() {
            w.due_on = rec.trial_ends_on.map(|d| d.to_string());
            w.clock = rec.trial_ends_on.map(|d| clock.date(d));
        }
    }
    let open = items.iter().find(|w| w.state.is_open()).cloned();
    let outcomes = if moves.contains(&Move::Propose) { workflow::allowed_outcomes(rec.tenure, rec.trial_ends_on, today) } else { vec![] };
    let has_open_escalation = rec.escalations.iter().any(|w| w.state == FlowState::Proposed);
    let can_escalate = !has_open_escalation && workflow::next(Flow::Escalation, None, Move::Propose, Actor { proposed: false, ..a }).is_ok();
    let escalations = rec
        .escalations
        .iter()
        .cloned()
        .map(|mut w| {
            w.actions = item_moves(actor_for(who, &rec.scope, rec.patch_officer_id, Some(w.proposer_id)), &w);
            w
        })
        .collect();
    let trial_clock = if is_intro && !court_decides { rec.trial_ends_on.map(|d| clock.timescales.review_clock(d, today)) } else { None };
    let next_steps = if steps::may_record(who, &rec.scope) { ladder.next(&facts, today) } else { vec![] };
    let mut step_deadlines: Vec<StepDeadline> =
        ladder.deadlines(&facts).into_iter().map(|(label, due)| StepDeadline { label, due, clock: clock.date(due) }).collect();
    step_deadlines.sort_by_key(|d| d.due);
    ReviewPanel {
        tenancy_reference: rec.reference,
        tenancy_version: rec.version,
        tenure: rec.tenure,
        trial_clock,
        trial_ends_on: rec.trial_ends_on,
        notice_last_day,
        notice_clock,
        can_record_notice,
        prior: rec.prior.clone(),
        prior_counted_days,
        can_record_prior,
        notice_served_on: rec.notice_served_on,
        history: items,
        open,
        moves,
        escalations,
        can_escalate,
        outcomes,
        steps: rec.steps,
        next_steps,
        step_deadlines,
        proceedings_running: ladder.proceedings_running(),
    }
}

/// Escalates a tenancy to Legal or the Community Safety Hub; the owner keeps it and sees the escalation.
pub async fn escalate(store: &dyn Store, who: &Principal, reference: &str, e: EscalationRequest, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    let purpose = workflow::EscalationPurpose::parse(e.purpose.trim()).ok_or_else(|| AppError::Invalid(ESCALATION_PURPOSE_HELP.into()))?;
    check_escalation_reason(&e.reason)?;
    let reason = e.reason.trim();
    if e.version != rec.version {
        return Err(AppError::Conflict(STALE.into()));
    }
    workflow::next(Flow::Escalation, None, Move::Propose, actor(who, &rec))
        .map_err(|r| AppError::Forbidden(r.message(Flow::Escalation, None, Move::Propose)))?;
    store
        .propose(
            Proposal {
                flow: Flow::Escalation,
                subject_type: "tenancy",
                subject_id: rec.tenancy_id,
                subject_version: e.version,
                area_team_id: rec.scope.area_team_id,
                outcome: purpose.target().into(),
                reason: reason.into(),
                detail: purpose.as_str().into(),
                proposed_by: who.user_id,
                due_on: Some(step_due(store, |t| t.escalation_response_days).await?),
                reopen: None,
            },
            change(who, ip, "escalate", "workflow_item", None, format!("{} {}", rec.reference, purpose.as_str())),
        )
        .await?;
    review_panel(store, who, &rec.reference, ip).await
}

/// The review panel; views from outside the user's area (Legal, the Hub) are audited.
pub async fn review_panel(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    if worth_auditing(who, &rec.scope, Ok(())) {
        audit(store, who, ip, "view_review", "tenancy", Some(rec.tenancy_id), Ok(()), rec.reference.clone()).await?;
    }
    Ok(panel(who, rec, &Clock::now(store).await?))
}

/// The Introductory HMO proposes the outcome of the 12-month review.
pub async fn propose_review(store: &dyn Store, who: &Principal, reference: &str, p: ReviewProposal, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    let outcome = ReviewOutcome::parse(p.outcome.trim())
        .ok_or_else(|| AppError::Invalid("Choose an outcome: make secure, extend by 6 months, or seek possession.".into()))?;
    let reason = p.reason.trim();
    if reason.len() < 10 {
        return Err(AppError::Invalid("Summarise the review in a sentence or two (at least 10 characters).".into()));
    }
    if reason.len() > 4000 {
        return Err(AppError::Invalid("The summary is too long (4,000 characters at most).".into()));
    }
    let trial_end = rec.trial_ends_on;
    workflow::check_outcome(outcome, rec.tenure, trial_end, store.today()).map_err(AppError::Invalid)?;
    if outcome == ReviewOutcome::Extend {
        workflow::may_extend(rec.tenure, p.extension_reason.as_deref()).map_err(|e| AppError::Invalid(e.into()))?;
    }
    if p.version != rec.version {
        return Err(AppError::Conflict(STALE.into()));
    }
    let open = open_state(&rec);
    workflow::next(Flow::IntroductoryReview, open.map(|o| o.0), Move::Propose, actor(who, &rec)).map_err(|r| match r {
        workflow::Refusal::NotInThisState => AppError::Conflict(r.message(Flow::IntroductoryReview, open.map(|o| o.0), Move::Propose)),
        workflow::Refusal::NotYours => AppError::Forbidden(r.message(Flow::IntroductoryReview, open.map(|o| o.0), Move::Propose)),
    })?;
    store
        .propose(
            Proposal {
                flow: Flow::IntroductoryReview,
                subject_type: "tenancy",
                subject_id: rec.tenancy_id,
                subject_version: p.version,
                area_team_id: rec.scope.area_team_id,
                outcome: outcome.as_str().into(),
                reason: reason.into(),
                detail: p.extension_reason.clone().unwrap_or_default(),
                proposed_by: who.user_id,
                due_on: rec.trial_ends_on,
                reopen: open.map(|(_, w)| (w.id, w.version)),
            },
            change(who, ip, "propose_review", "workflow_item", None, format!("{} {}", rec.reference, outcome.as_str())),
        )
        .await?;
    review_panel(store, who, &rec.reference, ip).await
}

/// The tenancy or case a workflow item moves, as the rules need it (one per request: size is no concern).
#[allow(clippy::large_enum_variant)]
pub(crate) enum Subject {
    Tenancy(ReviewRecord),
    Case(crate::api::casework::store::CaseRecord),
}

impl Subject {
    pub(crate) async fn load(store: &dyn Store, who: &Principal, item: &WorkflowView, ip: &str) -> Result<Subject, AppError> {
        if item.subject_type == "case" {
            Ok(Subject::Case(crate::api::casework::service::load_case(store, who, &item.subject_reference, ip).await?))
        } else {
            Ok(Subject::Tenancy(load_review(store, who, &item.subject_reference, ip).await?))
        }
    }
    fn scope(&self) -> &RecordScope {
        match self {
            Subject::Tenancy(r) => &r.scope,
            Subject::Case(c) => &c.scope,
        }
    }
    fn patch_officer_id(&self) -> Option<i64> {
        match self {
            Subject::Tenancy(r) => r.patch_officer_id,
            Subject::Case(c) => c.patch_officer_id,
        }
    }
}

/// A decision on an open proposal, for every flow: approve, send back, decline, withdraw or acknowledge.
pub async fn decide_item(store: &dyn Store, who: &Principal, item_id: i64, d: ItemDecision, ip: &str) -> Result<WorkflowView, AppError> {
    let (item, ..) = store.workflow_item(item_id).await?.ok_or_else(|| AppError::NotFound(format!("Proposal {item_id}")))?;
    let subject = Subject::load(store, who, &item, ip).await?;
    let state = Some(item.state);
    let a = actor_for(who, subject.scope(), subject.patch_officer_id(), Some(item.proposer_id));
    if !item_moves(a, &item).contains(&d.action) {
        return Err(refuse(item.flow, state, d.action, a));
    }
    let to = workflow::next(item.flow, state, d.action, a).map_err(|r| AppError::Forbidden(r.message(item.flow, state, d.action)))?;
    let note = d.note.trim();
    if note.chars().count() > 4000 {
        return Err(AppError::Invalid("The note is too long (4,000 characters at most).".into()));
    }
    match (item.flow, d.action) {
        (_, Move::SendBack) if note.chars().count() < 5 => {
            return Err(AppError::Invalid("Say why you are sending it back, so the officer knows what to change.".into()));
        }
        (_, Move::Decline) if note.chars().count() < 5 => {
            return Err(AppError::Invalid("Give the reasons for declining, so the Community HMO knows what to do next.".into()));
        }
        (Flow::Escalation, Move::Acknowledge) if note.chars().count() < 5 => {
            return Err(AppError::Invalid("Record the outcome of the escalation (what was done) before concluding it.".into()));
        }
        _ => {}
    }
    let clock = Clock::now(store).await?;
    let today = clock.today;
    let effect = if to == FlowState::Completed { completion_effect(store, &subject, &item, &d, &clock).await? } else { None };
    let action = match item.flow {
        Flow::IntroductoryReview => "decide_review",
        Flow::ReferralToSustainable => "decide_referral",
        Flow::HandBack => "decide_hand_back",
        Flow::Escalation => "decide_escalation",
    };
    let entry = change(who, ip, action, "workflow_item", Some(item_id), format!("{} {:?} -> {}", item.subject_reference, d.action, to.as_str()));
    store.decide(Decision { item_id, item_version: d.version, new_state: to, decided_by: who.user_id, note: note.into(), effect }, today, entry).await?;
    let (view, ..) = store.workflow_item(item_id).await?.ok_or(AppError::Internal)?;
    Ok(view)
}

/// What completing an item does to its tenancy or case.
async fn completion_effect(
    store: &dyn Store,
    subject: &Subject,
    item: &WorkflowView,
    d: &ItemDecision,
    clock: &Clock,
) -> Result<Option<ReviewEffect>, AppError> {
    let today = clock.today;
    Ok(match (item.flow, subject) {
        (Flow::IntroductoryReview, Subject::Tenancy(rec)) => {
            let start = rec.start_date;
            Some(match ReviewOutcome::parse(&item.outcome) {
                Some(ReviewOutcome::MakeSecure) => {
                    let new_owner = rec.patch_officer_id.ok_or_else(|| {
                        AppError::Conflict("The property's patch has no Community HMO to take the tenancy over. Assign one (or cover) first.".into())
                    })?;
                    ReviewEffect::MakeSecure { new_owner, effective_on: introductory::secure_from(rec.trial_ends_on, today) }
                }
                Some(ReviewOutcome::Extend) => {
                    workflow::may_extend(rec.tenure, Some(item.detail.as_str())).map_err(|e| AppError::Conflict(e.into()))?;
                    if Ladder::of(&rec.steps).extension_overturned() {
                        return Err(AppError::Conflict(
                            "The tenant's review overturned the decision to extend (Housing Act 1996 s.125B): decline this proposal.".into(),
                        ));
                    }
                    if let Some(deadline) = introductory::notice_deadline(rec.tenure, start, rec.trial_ends_on, rec.prior.as_ref()) {
                        introductory::check_extension_approval(deadline, rec.notice_served_on, today).map_err(AppError::Conflict)?;
                    }
                    ReviewEffect::Extend { trial_ends_on: introductory::trial_end_counting(start, true, rec.prior.as_ref()), reason: item.detail.clone() }
                }
                Some(ReviewOutcome::SeekPossession) | None => ReviewEffect::SeekPossession,
            })
        }
        (Flow::ReferralToSustainable, Subject::Case(case)) => {
            let chosen = d.assign_to.ok_or_else(|| AppError::Invalid("Choose the Sustainable Tenancy HMO who will work the case.".into()))?;
            let officers = store.officers(case.scope.area_team_id, Some(crate::domain::Role::SustainableHmo)).await?;
            if !officers.iter().any(|o| o.id == chosen) {
                return Err(AppError::Invalid("Choose a Sustainable Tenancy HMO from the case's area team.".into()));
            }
            let plan_due_on = clock.due_after(clock.timescales.plan_agreement_days);
            Some(ReviewEffect::AcceptReferral { new_owner: chosen, plan_due_on })
        }
        (Flow::HandBack, Subject::Case(case)) => {
            let new_owner = case
                .patch_officer_id
                .ok_or_else(|| AppError::Conflict("The case's patch has no Community HMO to hand it back to. Assign one first.".into()))?;
            Some(ReviewEffect::HandBack { new_owner })
        }
        _ => None,
    })
}

/// The Team Leader's approvals queue: open proposals in their area, most urgent first.
pub async fn approvals(store: &dyn Store, who: &Principal) -> Result<Vec<WorkflowView>, AppError> {
    let area = searchable_area(who)?;
    let clock = Clock::now(store).await?;
    let mut items: Vec<WorkflowView> = store.open_items(area, who.user_id).await?.into_iter().filter_map(|item| list_item(who, item)).collect();
    if matches!(who.role, crate::domain::Role::Legal | crate::domain::Role::AsbOfficer) {
        items.retain(|w| w.flow == Flow::Escalation && workflow::EscalationPurpose::target_role(&w.outcome) == Some(who.role));
    }
    for w in &mut items {
        w.clock = w.due_on.as_deref().and_then(|d| clock.due_text(d));
    }
    items.sort_by(|a, b| (urgency(a.clock), &a.due_on).cmp(&(urgency(b.clock), &b.due_on)));
    Ok(items)
}

/// Introductory tenancies in the user's area that reach (or passed) their anniversary within the
/// warning window with no decision, soonest first: the Team Leader's view of what is coming.
pub async fn reviews_due(store: &dyn Store, who: &Principal) -> Result<Vec<TenancyRow>, AppError> {
    let area = searchable_area(who)?.or(who.area_team_id).ok_or_else(|| AppError::Forbidden("Reviews are listed per area team.".into()))?;
    let clock = Clock::now(store).await?;
    let today = clock.today;
    let until = clock.timescales.reviews_due_until(today);
    let mut rows = store.reviews_due_list(area, until, 500).await?;
    for t in &mut rows {
        clock.date_tenancy(t);
    }
    Ok(rows)
}

/// Records the day the notice of extension was served.
pub async fn record_notice(store: &dyn Store, who: &Principal, reference: &str, version: i64, served_on: &str, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    if !may_record_notice(who, &rec) {
        return Err(AppError::Forbidden("Only the tenancy's officer or their Team Leader can record the notice.".into()));
    }
    let served = clock::input_date(served_on, &format!("{:?} is not a date (YYYY-MM-DD).", served_on.trim())).map_err(AppError::Invalid)?;
    let deadline = introductory::notice_deadline(rec.tenure, rec.start_date, rec.trial_ends_on, rec.prior.as_ref());
    introductory::check_notice_served(rec.tenure, extension_proposed(&rec), served, deadline, store.today()).map_err(AppError::Invalid)?;
    let entry = change(who, ip, "record_extension_notice", "tenancy", Some(rec.tenancy_id), served.to_string());
    store.record_notice_served(rec.tenancy_id, version, served, who.user_id, entry).await?;
    review_panel(store, who, &rec.reference, ip).await
}

/// An earlier tenancy the officer records as counting towards the trial period.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct PriorTenancyRequest {
    pub version: i64,
    /// introductory (of another council) or assured_shorthold (of a registered provider).
    pub kind: String,
    pub landlord: String,
    /// YYYY-MM-DD
    pub from: String,
    /// YYYY-MM-DD: the day before this tenancy began, or that day.
    pub to: String,
}

/// Records an earlier tenancy that counts towards the trial period (Housing Act 1996
/// s.125(3)–(5)) and moves the trial's end, and every clock after it, earlier.
pub async fn record_prior(store: &dyn Store, who: &Principal, reference: &str, p: PriorTenancyRequest, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    if !may_record_notice(who, &rec) {
        return Err(AppError::Forbidden("Only the tenancy's officer or their Team Leader can record an earlier tenancy.".into()));
    }
    if rec.tenure != Tenure::Introductory || rec.prior.is_some() {
        return Err(AppError::Conflict("An earlier tenancy is recorded once, on an introductory tenancy that has not been extended.".into()));
    }
    if open_state(&rec).is_some() {
        return Err(AppError::Conflict("A review is proposed: record the earlier tenancy once it is withdrawn or decided.".into()));
    }
    let kind = introductory::PriorTenancyKind::parse(p.kind.trim());
    let prior = introductory::check_prior(kind, &p.landlord, &p.from, &p.to, rec.start_date).map_err(AppError::Invalid)?;
    let trial_ends_on = introductory::trial_end_counting(rec.start_date, false, Some(&prior));
    let detail = format!("{} {} days", prior.kind.as_str(), prior.counted_days(rec.start_date));
    let entry = change(who, ip, "record_prior_tenancy", "tenancy", Some(rec.tenancy_id), detail);
    store.record_prior(rec.tenancy_id, p.version, &prior, trial_ends_on, entry).await?;
    review_panel(store, who, &rec.reference, ip).await
}

/// A legal step after the review's decision, as an officer or Legal records it.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct StepRequest {
    /// The tenancy's version as the officer saw it (stale versions are refused).
    pub version: i64,
    #[schema(value_type = String)]
    pub kind: StepKind,
    /// YYYY-MM-DD: the day it happened.
    pub on: String,
    /// A notice of proceedings: YYYY-MM-DD, the date after which proceedings may begin (s.128(4)).
    #[serde(default)]
    pub proceedings_from: Option<String>,
    /// A review's outcome (confirmed, overturned) or the proceedings' (possession_order, dismissed, withdrawn).
    #[serde(default)]
    #[schema(value_type = Option<String>)]
    pub outcome: Option<StepOutcome>,
    /// The notice's reasons (s.128(3)), the review's reasons, or a note.
    #[serde(default)]
    pub detail: String,
    /// A notice of proceedings tells the tenant of the right to a review and to take advice (s.128(6)–(7)).
    #[serde(default)]
    pub rights_told: bool,
}

/// Records a legal step (Housing Act 1996 ss.125B, 128–130), refusing one out of order or out
/// of time; a review that overturns an approved extension undoes it in the same change.
pub async fn record_step(store: &dyn Store, who: &Principal, reference: &str, r: StepRequest, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    if !steps::may_record(who, &rec.scope) {
        return Err(AppError::Forbidden("Only the tenancy's officer, their Team Leader or Legal can record its legal steps.".into()));
    }
    if r.version != rec.version {
        return Err(AppError::Conflict(STALE.into()));
    }
    let step = steps::read_step(r.kind, &r.on, r.proceedings_from.as_deref(), r.outcome, &r.detail, r.rights_told).map_err(AppError::Invalid)?;
    let facts = ladder_facts(&rec);
    Ladder::of(&rec.steps).check(&step, &facts, store.today()).map_err(AppError::Invalid)?;
    let revert_extension =
        (step.kind == StepKind::ExtensionReviewDecided && step.outcome == Some(StepOutcome::Overturned) && rec.tenure == Tenure::ExtendedIntroductory)
            .then_some(facts.original_end)
            .flatten();
    let detail = format!("{} {}", step.kind.as_str(), step.on);
    let entry = change(who, ip, "record_introductory_step", "tenancy", Some(rec.tenancy_id), detail);
    store.record_step(rec.tenancy_id, r.version, &step, who.user_id, revert_extension, entry).await?;
    review_panel(store, who, &rec.reference, ip).await
}
