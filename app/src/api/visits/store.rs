//! Visits as stored.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::api::kit::store::AuditEntry;
use crate::domain::FindingKind;
use crate::domain::access::RecordScope;
use crate::domain::visits::VisitReport;
use crate::error::AppError;

/// The tenancy a visit is recorded against, with what the rules need.
#[derive(Clone, Debug)]
pub struct VisitSubject {
    pub tenancy_id: i64,
    pub property_id: i64,
    pub scope: RecordScope,
    pub start_date: NaiveDate,
}

/// A visit's finding with its follow-up, as stored.
#[derive(Clone, Debug)]
pub struct StoredFollowUp {
    pub kind: FindingKind,
    pub detail: String,
    pub due_at: DateTime<Utc>,
    pub actioned: bool,
}

/// A visit already recorded under a device's key: its tenancy and follow-ups.
#[derive(Clone, Debug)]
pub struct KeyedVisit {
    pub id: i64,
    pub tenancy_id: Option<i64>,
    pub follow_ups: Vec<StoredFollowUp>,
}

/// An open or closed follow-up with its tenancy's scope, for the rule on who closes it.
#[derive(Clone, Debug)]
pub struct FollowUpSubject {
    pub id: i64,
    pub tenancy_id: i64,
    pub scope: RecordScope,
    pub actioned: bool,
}

#[async_trait]
pub trait VisitStore: Send + Sync + 'static {
    async fn visit_subject(&self, tenancy_reference: &str) -> Result<Option<VisitSubject>, AppError>;
    /// The visit recorded under `client_key`, if any.
    async fn visit_by_key(&self, client_key: &str) -> Result<Option<KeyedVisit>, AppError>;
    /// Records a visit by `officer_id` with its findings, each with its follow-up's due instant
    /// (same order as the report's findings), and the audit row, in one transaction. A key already
    /// used (a report sent twice at once) records nothing and answers `Ok(None)`.
    async fn record_visit(
        &self,
        subject: &VisitSubject,
        report: &VisitReport,
        due: &[DateTime<Utc>],
        officer_id: i64,
        audit: AuditEntry,
    ) -> Result<Option<i64>, AppError>;
    /// Visits at the door in an area's homes since `since`, with the visiting officer's name.
    async fn area_doors(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<crate::domain::visits::DoorEvent>, AppError>;
    /// Follow-ups in an area's homes still open, or closed since `since`, with the tenancy's officer.
    async fn area_follow_ups(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<crate::domain::visits::FollowUpEvent>, AppError>;
    async fn follow_up_subject(&self, id: i64) -> Result<Option<FollowUpSubject>, AppError>;
    /// Closes an open follow-up with what was done; one already closed is a conflict.
    async fn close_follow_up(&self, id: i64, by: i64, note: &str, audit: AuditEntry) -> Result<(), AppError>;
}
