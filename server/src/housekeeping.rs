//! The server's housekeeping, run at start and every ten minutes (`hearth serve`): approved
//! changes whose effective date has come, and feedback past its retention period
//! (`domain::feedback::RETENTION_YEARS`, the period the public form's privacy notice states).

use app::api::store::Store;
use app::error::AppError;

/// What one round did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Done {
    /// Approved changes applied (tenancies made secure on their anniversary...).
    pub changes_applied: u64,
    /// Feedback responses deleted, with their comments and contact details.
    pub feedback_deleted: u64,
}

/// One round of the jobs that depend on the date, judged against `today`.
pub async fn run(store: &dyn Store, today: chrono::NaiveDate) -> Result<Done, AppError> {
    // Each job runs even if the other fails; the first failure is reported.
    let changes_applied = store.apply_due_changes(today).await;
    let feedback_deleted = store.purge_feedback(app::domain::feedback::retention_cutoff(today)).await;
    Ok(Done { changes_applied: changes_applied?, feedback_deleted: feedback_deleted? })
}
