//! Damp and mould hazards as stored.

use async_trait::async_trait;

use crate::api::kit::store::{AuditEntry, StepBy};
use crate::domain::access::{Reach, RecordScope};
use crate::domain::hazard::{HazardFinding, HazardStep, Ladder};
use crate::error::AppError;
use crate::model::HazardView;

/// A hazard with what the rules need to take a step.
#[derive(Clone, Debug)]
pub struct HazardSubject {
    pub id: i64,
    pub tenancy_id: i64,
    pub ladder: Ladder,
    pub version: i64,
    pub scope: RecordScope,
}

/// A tenancy a hazard is reported on: who may act on it, and when it began.
#[derive(Clone, Debug)]
pub struct HazardTenancy {
    pub tenancy_id: i64,
    pub scope: RecordScope,
    pub start_date: chrono::NaiveDate,
}

/// A hazard as stored: its view without clocks (the service adds them) and its ladder.
#[derive(Clone, Debug)]
pub struct StoredHazard {
    pub view: HazardView,
    pub ladder: Ladder,
}

/// Whose open hazards a list reaches: a reach (an area, an officer), or the homes of several
/// officers (an officer and those they cover).
#[derive(Clone, Debug)]
pub enum HazardsOf<'a> {
    Reach(Reach),
    Owners(&'a [i64]),
}

#[async_trait]
pub trait HazardStore: Send + Sync + 'static {
    async fn hazard_tenancy(&self, reference: &str) -> Result<Option<HazardTenancy>, AppError>;
    async fn hazard_subject(&self, id: i64) -> Result<Option<HazardSubject>, AppError>;
    /// Opens a hazard on a tenancy with the audit row, in one transaction; one open already is a
    /// conflict.
    async fn report_hazard(&self, tenancy_id: i64, detail: &str, reported: StepBy<'_>, audit: AuditEntry) -> Result<i64, AppError>;
    /// Records a step taken (with what an investigation found) on a hazard seen at `version`, leaving it as `next` (closed if every
    /// rung is done), with the audit row, in one transaction; a step recorded meanwhile is a conflict.
    async fn take_hazard_step(
        &self,
        id: i64,
        version: i64,
        what: (HazardStep, Option<HazardFinding>),
        next: &Ladder,
        by: StepBy<'_>,
        audit: AuditEntry,
    ) -> Result<(), AppError>;
    async fn hazard(&self, id: i64) -> Result<Option<StoredHazard>, AppError>;
    /// A tenancy's hazards with their steps, open first, then latest first.
    async fn tenancy_hazards(&self, tenancy_id: i64) -> Result<Vec<StoredHazard>, AppError>;
    /// The open hazards of a reach or of some officers' homes, oldest report first (at most 500).
    async fn open_hazards(&self, of: HazardsOf<'_>) -> Result<Vec<StoredHazard>, AppError>;
    /// The ladders of a reach's hazards closed on or after `since`.
    async fn closed_hazards(&self, reach: Reach, since: chrono::NaiveDate) -> Result<Vec<Ladder>, AppError>;
}
