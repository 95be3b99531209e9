//! The storage the services need, as a trait: implemented with sqlx in `server/src/store`,
//! injected as context, so services are tested against real databases through one interface.

use async_trait::async_trait;

use crate::domain::access::RecordScope;
use crate::domain::occupancy::Occupant;
use crate::error::AppError;
use crate::model::*;

/// A tenancy as stored, with what the rules need to decide who sees it.
#[derive(Clone, Debug)]
pub struct TenancyRecord {
    pub id: i64,
    pub scope: RecordScope,
    pub detail: TenancyDetail,
    pub occupants: Vec<Occupant>,
    pub start_date: String,
    pub trial_ends_on: Option<String>,
    pub extension_notice_served_on: Option<String>,
    /// The tenancy's cases with each case's own scope (restricted cases are filtered by the service).
    pub cases: Vec<(CaseRow, RecordScope)>,
}

#[derive(Clone, Debug)]
pub struct PropertyRecord {
    pub id: i64,
    pub scope: RecordScope,
    pub detail: PropertyDetail,
}

#[derive(Clone, Debug, Default)]
pub struct Caseload {
    pub tenancies: Vec<TenancyRow>,
    pub tenancies_total: i64,
    pub introductory_total: i64,
    pub arrears_total: i64,
    pub cases: Vec<(CaseRow, RecordScope)>,
}

/// One line of the append-only audit log.
#[derive(Clone, Debug, Default)]
pub struct AuditEntry {
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    /// "allowed" or "denied:<code>".
    pub outcome: String,
    pub reason: String,
    pub detail: String,
    pub ip: String,
}

#[async_trait]
pub trait Store: Send + Sync + 'static {
    /// Which database is behind the store ("sqlite" or "postgres").
    fn backend(&self) -> &'static str;
    async fn caseload(&self, user_id: i64, limit: i64) -> Result<Caseload, AppError>;
    /// Tenancies and properties whose search text holds every term, within an area (None: all).
    async fn search(&self, area_team_id: Option<i64>, terms: &[String], limit: i64) -> Result<Vec<SearchHit>, AppError>;
    async fn tenancy(&self, reference: &str, viewer_id: i64) -> Result<Option<TenancyRecord>, AppError>;
    async fn property(&self, reference: &str) -> Result<Option<PropertyRecord>, AppError>;
    async fn patches(&self, area_team_id: Option<i64>) -> Result<Vec<PatchSummary>, AppError>;
    async fn audit(&self, entry: AuditEntry) -> Result<(), AppError>;
}
