//! Workflow items in lists and decisions, for every area that lists or moves them: who an item
//! waits on, what a person may do with it, the refusal when they may not, and the escalation
//! request both tenancies and cases make.

use super::store::ListedItem;
use crate::domain::access::{Principal, RESTRICTED_ABOUT, RecordScope, list_as};
use crate::domain::workflow::{self, Actor, Flow, FlowState, Move};
use crate::error::AppError;
use crate::model::*;

/// A case as a list shows it to `who` (`access::listing`): left out if they may not open it;
/// need-to-know, by reference and kind only.
pub(crate) fn list_case(who: &Principal, c: CaseRow, scope: &RecordScope) -> Option<CaseRow> {
    list_as(who, scope, c, |c| {
        c.title = RESTRICTED_ABOUT.into();
        c.address.clear();
        c.tenancy_reference = None;
    })
}

/// Does an open item on this record wait for `who` (`workflow::waits_on`)?
pub(crate) fn waits_on(who: &Principal, scope: &RecordScope, patch_officer_id: Option<i64>, w: &WorkflowView) -> bool {
    workflow::waits_on(w.flow, Some(w.state), &w.outcome, actor_for(who, scope, patch_officer_id, Some(w.proposer_id)))
}

/// A workflow item as a list shows it to `who`: left out if they may not open its tenancy or
/// case, by reference, step and clock only if that is need-to-know (`access::listing`, with the
/// item's own duty: an escalation to their team, a hand-back to their patch).
pub(crate) fn list_item(who: &Principal, item: ListedItem) -> Option<WorkflowView> {
    let ListedItem { view, mut scope, patch_officer_id } = item;
    scope.duty = waits_on(who, &scope, patch_officer_id, &view);
    list_as(who, &scope, view, |view| {
        view.restricted = true;
        view.address = RESTRICTED_ABOUT.into();
        view.reason.clear();
        view.detail.clear();
        view.decision_note.clear();
    })
}

/// Who `who` is relative to a record (and to one item on it, when `proposer` is given).
pub(crate) fn actor_for(who: &Principal, scope: &RecordScope, patch_officer_id: Option<i64>, proposer: Option<i64>) -> Actor {
    Actor {
        role: who.role,
        owns: who.acts_for(scope.owner_id),
        proposed: proposer.is_some_and(|p| p == who.user_id),
        same_area: who.area_team_id == Some(scope.area_team_id),
        patch_officer: who.acts_for(patch_officer_id),
    }
}

/// The moves `who` may make on one item: the state machine's table, with escalations
/// concluded only by the team they were sent to.
pub(crate) fn item_moves(a: Actor, w: &WorkflowView) -> Vec<Move> {
    let state = w.state;
    workflow::item_moves(w.flow, Some(state), &w.outcome, a)
}

/// Refuses a move the table does not allow: 409 when the item's state has moved on, 403 when
/// the move exists but not for this person.
pub(crate) fn refuse(flow: Flow, state: Option<FlowState>, mv: Move, a: Actor) -> AppError {
    match workflow::next(flow, state, mv, a) {
        Err(workflow::Refusal::NotInThisState) => AppError::Conflict(workflow::Refusal::NotInThisState.message(flow, state, mv)),
        _ => AppError::Forbidden(workflow::Refusal::NotYours.message(flow, state, mv)),
    }
}

/// What an officer submits to escalate a tenancy.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct EscalationRequest {
    pub version: i64,
    /// notice, possession (Legal), evidence_review or injunction (Community Safety Hub).
    pub purpose: String,
    pub reason: String,
}

pub(crate) const ESCALATION_PURPOSE_HELP: &str =
    "Choose what the escalation is for: a notice or possession (Legal), an evidence review or an injunction (Community Safety Hub).";

pub(crate) fn check_escalation_reason(reason: &str) -> Result<(), AppError> {
    let n = reason.trim().chars().count();
    if !(10..=4000).contains(&n) {
        return Err(AppError::Invalid("Give the reason for escalating in a sentence or more (10 to 4,000 characters).".into()));
    }
    Ok(())
}
