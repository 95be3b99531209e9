//! The audit log: every change carries its row (written in the change's own transaction), and
//! views of records outside the viewer's own work are recorded.

use super::store::{AuditEntry, KitStore};
use crate::domain::access::{Denial, Principal, RecordScope};
use crate::error::AppError;

#[allow(clippy::too_many_arguments, reason = "one call per audited view: who, where from, what, which record, the outcome and a note read best in one line")]
pub(crate) async fn audit(
    store: &dyn KitStore,
    who: &Principal,
    ip: &str,
    action: &str,
    subject_type: &str,
    subject_id: Option<i64>,
    outcome: Result<(), Denial>,
    detail: String,
) -> Result<(), AppError> {
    let mut entry = change(who, ip, action, subject_type, subject_id, detail);
    if let Err(d) = outcome {
        entry.outcome = format!("denied:{}", d.code());
    }
    store.audit(entry).await
}

/// The audit row for a change `who` makes. The store writes it in the change's own transaction,
/// so the change and its account are kept together or not at all; a change that makes a record
/// may leave `subject_id` to the store, which fills in the new record's id.
pub(crate) fn change(who: &Principal, ip: &str, action: &str, subject_type: &str, subject_id: Option<i64>, detail: String) -> AuditEntry {
    AuditEntry {
        user_id: Some(who.user_id),
        username: who.username.clone(),
        action: action.into(),
        subject_type: subject_type.into(),
        subject_id,
        outcome: "allowed".into(),
        reason: String::new(),
        detail,
        ip: ip.into(),
    }
}

/// Views of records outside the user's own caseload are audited; refusals always are.
pub(crate) fn worth_auditing(who: &Principal, scope: &RecordScope, outcome: Result<(), Denial>) -> bool {
    outcome.is_err() || scope.restricted || who.area_team_id != Some(scope.area_team_id)
}

/// What someone asks to do to a home's record, for [`authorise_recording`]: the audit's action and
/// subject, its detail, and what only officers may do (for the refusal).
pub struct Act<'a> {
    pub action: &'a str,
    pub subject: (&'a str, i64),
    pub detail: String,
    pub refusal: &'a str,
}

/// Whoever may record visits to a home acts on its record (`domain::visits::may_record`). Someone who may
/// not see the tenancy at all is refused and the refusal audited; someone who may see it but does
/// not work tenancies is refused.
pub async fn authorise_recording(store: &dyn KitStore, who: &Principal, scope: &RecordScope, act: Act<'_>, ip: &str) -> Result<(), AppError> {
    if let Err(denial) = crate::domain::access::can_view_record(who, scope) {
        audit(store, who, ip, act.action, act.subject.0, Some(act.subject.1), Err(denial), act.detail).await?;
        return Err(denial.into());
    }
    if !crate::domain::visits::may_record(who, scope) {
        return Err(AppError::Forbidden(format!("Only housing officers and Team Leaders {}.", act.refusal)));
    }
    Ok(())
}
