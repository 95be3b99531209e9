//! The pipeline as stored.

use async_trait::async_trait;

use crate::api::kit::store::{AuditEntry, StepBy};
use crate::domain::access::{Reach, RecordScope};
use crate::domain::pipeline::{Entry, PipelineKind, PipelineStage};
use crate::error::AppError;
use crate::model::PipelineEntryView;

/// An entry with what the rules need to move it.
#[derive(Clone, Debug)]
pub struct EntrySubject {
    pub id: i64,
    pub tenancy_id: i64,
    pub kind: PipelineKind,
    pub stage: PipelineStage,
    pub version: i64,
    pub scope: RecordScope,
}

#[async_trait]
pub trait PipelineStore: Send + Sync + 'static {
    async fn entry_subject(&self, id: i64) -> Result<Option<EntrySubject>, AppError>;
    /// Opens an entry of `kind` at its first stage with its first step and the audit row, in one
    /// transaction; one of the kind already open on the tenancy is a conflict.
    async fn start_entry(&self, tenancy_id: i64, kind: PipelineKind, step: StepBy<'_>, audit: AuditEntry) -> Result<i64, AppError>;
    /// Moves an entry seen at `version` to `stage` with its step and the audit row, in one
    /// transaction (closing it if the stage is final); a move made meanwhile is a conflict.
    async fn move_entry(&self, id: i64, version: i64, stage: PipelineStage, step: StepBy<'_>, audit: AuditEntry) -> Result<(), AppError>;
    /// One entry as a list shows it (no steps).
    async fn entry(&self, id: i64) -> Result<Option<PipelineEntryView>, AppError>;
    /// A tenancy's entries with their steps, open first, then latest first.
    async fn tenancy_entries(&self, tenancy_id: i64) -> Result<Vec<PipelineEntryView>, AppError>;
    /// The reach's open entries (the first `limit`, longest at their stage first) and how many in all.
    async fn open_entries(&self, reach: Reach, limit: u32) -> Result<(Vec<PipelineEntryView>, u32), AppError>;
    /// The reach's entries open, or closed on or after `since`, for the figures.
    async fn pipeline_entries(&self, reach: Reach, since: chrono::NaiveDate) -> Result<Vec<Entry>, AppError>;
}
