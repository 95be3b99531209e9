//! The pipeline: downsizing and investigations, with their steps.

use app::api::kit::store::{AuditEntry, StepBy};
use app::api::pipeline::store::{EntrySubject, PipelineStore};
use app::domain::access::{Reach, RecordScope};
use app::domain::pipeline::{Entry, PipelineKind, PipelineStage};
use app::error::AppError;
use app::model::{PipelineEntryView, PipelineStepView};
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::Any;
use sqlx::any::AnyRow;

use super::visits::{reach_filter, stamp};
use super::*;

const ENTRY_COLUMNS: &str = "SELECT e.id, e.kind, e.stage, e.opened_at, e.stage_at, e.version, t.reference, p.address_line1, p.postcode, u.display_name AS officer \
     FROM pipeline e JOIN tenancies t ON t.id = e.tenancy_id JOIN properties p ON p.id = t.property_id LEFT JOIN users u ON u.id = t.owner_id";

fn entry_view(r: &AnyRow) -> Result<PipelineEntryView, AppError> {
    let stage = code(r, "stage", PipelineStage::parse)?;
    Ok(PipelineEntryView {
        id: i(r, "id"),
        kind: code(r, "kind", PipelineKind::parse)?,
        stage,
        tenancy_reference: s(r, "reference"),
        address: format!("{}, {}", s(r, "address_line1"), s(r, "postcode")),
        officer: os(r, "officer"),
        opened_at: instant(r, "opened_at")?,
        stage_at: instant(r, "stage_at")?,
        version: i(r, "version"),
        next: stage.next().to_vec(),
        steps: vec![],
    })
}

/// Opens an entry inside a transaction unless one of its kind is open on the tenancy; answers its
/// id, or `None` when one was already open.
pub(super) async fn open_entry(
    tx: &mut sqlx::Transaction<'_, Any>,
    tenancy_id: i64,
    kind: PipelineKind,
    visit_id: Option<i64>,
    first: StepBy<'_>,
) -> Result<Option<i64>, AppError> {
    let row = sqlx::query::<Any>(
        "INSERT INTO pipeline (tenancy_id, kind, stage, visit_id, opened_at, opened_by, stage_at) VALUES ($1, $2, $3, $4, $5, $6, $5) \
         ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(tenancy_id)
    .bind(kind.as_str())
    .bind(kind.first_stage().as_str())
    .bind(visit_id)
    .bind(stamp(first.at))
    .bind(first.by)
    .fetch_optional(&mut **tx)
    .await
    .map_err(internal)?;
    let Some(row) = row else { return Ok(None) };
    let id = i(&row, "id");
    step(tx, id, kind.first_stage(), first).await?;
    Ok(Some(id))
}

async fn step(tx: &mut sqlx::Transaction<'_, Any>, id: i64, stage: PipelineStage, by: StepBy<'_>) -> Result<(), AppError> {
    sqlx::query::<Any>("INSERT INTO pipeline_steps (pipeline_id, stage, at, by_user, note) VALUES ($1, $2, $3, $4, $5)")
        .bind(id)
        .bind(stage.as_str())
        .bind(stamp(by.at))
        .bind(by.by)
        .bind(by.note.to_string())
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    Ok(())
}

#[async_trait]
impl PipelineStore for SqlStore {
    async fn entry_subject(&self, id: i64) -> Result<Option<EntrySubject>, AppError> {
        let row = sqlx::query::<Any>(
            "SELECT e.id, e.tenancy_id, e.kind, e.stage, e.version, t.owner_id, p.area_team_id FROM pipeline e \
             JOIN tenancies t ON t.id = e.tenancy_id JOIN properties p ON p.id = t.property_id WHERE e.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(internal)?;
        row.map(|r| {
            Ok(EntrySubject {
                id: i(&r, "id"),
                tenancy_id: i(&r, "tenancy_id"),
                kind: code(&r, "kind", PipelineKind::parse)?,
                stage: code(&r, "stage", PipelineStage::parse)?,
                version: i(&r, "version"),
                scope: RecordScope { area_team_id: i(&r, "area_team_id"), owner_id: oi(&r, "owner_id"), restricted: false, granted: false, duty: false },
            })
        })
        .transpose()
    }

    async fn start_entry(&self, tenancy_id: i64, kind: PipelineKind, first: StepBy<'_>, audit: AuditEntry) -> Result<i64, AppError> {
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        let Some(id) = open_entry(&mut tx, tenancy_id, kind, None, first).await? else {
            return Err(AppError::Conflict(format!("This tenancy already has {} open: move that one on.", kind.label().to_lowercase())));
        };
        commit_audited(tx, audit, None).await?;
        Ok(id)
    }

    async fn move_entry(&self, id: i64, version: i64, stage: PipelineStage, by: StepBy<'_>, audit: AuditEntry) -> Result<(), AppError> {
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        let moved = sqlx::query::<Any>(
            "UPDATE pipeline SET stage = $1, stage_at = $2, closed_at = CASE WHEN $3 = 1 THEN $2 ELSE NULL END, version = version + 1 WHERE id = $4 AND version = $5",
        )
        .bind(stage.as_str())
        .bind(stamp(by.at))
        .bind(i32::from(stage.is_final()))
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if moved.rows_affected() != 1 {
            return Err(AppError::Conflict("Someone moved this on since you opened it: reload to see where it stands.".into()));
        }
        step(&mut tx, id, stage, by).await?;
        commit_audited(tx, audit, None).await
    }

    async fn entry(&self, id: i64) -> Result<Option<PipelineEntryView>, AppError> {
        let sql = format!("{ENTRY_COLUMNS} WHERE e.id = $1");
        sqlx::query::<Any>(&sql).bind(id).fetch_optional(&self.db.pool).await.map_err(internal)?.as_ref().map(entry_view).transpose()
    }

    async fn tenancy_entries(&self, tenancy_id: i64) -> Result<Vec<PipelineEntryView>, AppError> {
        let records = format!("{ENTRY_COLUMNS} WHERE e.tenancy_id = $1 ORDER BY CASE WHEN e.closed_at IS NULL THEN 0 ELSE 1 END, e.stage_at DESC, e.id DESC");
        let steps = "SELECT st.pipeline_id, st.stage, st.at, st.note, u.display_name FROM pipeline_steps st JOIN pipeline e ON e.id = st.pipeline_id \
             LEFT JOIN users u ON u.id = st.by_user WHERE e.tenancy_id = $1 ORDER BY st.at, st.id";
        tenancy_records_with_steps(&self.db, tenancy_id, (&records, entry_view), (steps, "pipeline_id", step_view)).await
    }

    async fn open_entries(&self, reach: Reach, limit: u32) -> Result<(Vec<PipelineEntryView>, u32), AppError> {
        let (filter, id) = reach_filter(reach);
        let sql = format!("{ENTRY_COLUMNS} WHERE {filter} AND e.closed_at IS NULL ORDER BY e.stage_at, e.id LIMIT {limit}");
        let entries = sqlx::query::<Any>(&sql).bind(id).fetch_all(&self.db.pool).await.map_err(internal)?.iter().map(entry_view).collect::<Result<_, _>>()?;
        let count = format!(
            "SELECT COUNT(*) AS n FROM pipeline e JOIN tenancies t ON t.id = e.tenancy_id JOIN properties p ON p.id = t.property_id WHERE {filter} AND e.closed_at IS NULL"
        );
        let n = sqlx::query::<Any>(&count).bind(id).fetch_one(&self.db.pool).await.map_err(internal)?;
        Ok((entries, i(&n, "n") as u32))
    }

    async fn pipeline_entries(&self, reach: Reach, since: NaiveDate) -> Result<Vec<Entry>, AppError> {
        let (filter, id) = reach_filter(reach);
        let sql = format!(
            "SELECT e.kind, e.stage, e.opened_at, e.closed_at FROM pipeline e JOIN tenancies t ON t.id = e.tenancy_id JOIN properties p ON p.id = t.property_id \
             WHERE {filter} AND (e.closed_at IS NULL OR e.closed_at >= $2)"
        );
        let rows = sqlx::query::<Any>(&sql).bind(id).bind(since.to_string()).fetch_all(&self.db.pool).await.map_err(internal)?;
        rows.iter()
            .map(|r| {
                Ok(Entry {
                    kind: code(r, "kind", PipelineKind::parse)?,
                    stage: code(r, "stage", PipelineStage::parse)?,
                    opened_on: instant(r, "opened_at")?.date_naive(),
                    closed_on: oinstant(r, "closed_at")?.map(|t| t.date_naive()),
                })
            })
            .collect()
    }
}

impl WithSteps for PipelineEntryView {
    type Step = PipelineStepView;
    fn id(&self) -> i64 {
        self.id
    }
    fn steps(&mut self) -> &mut Vec<PipelineStepView> {
        &mut self.steps
    }
}

fn step_view(st: &AnyRow) -> Result<PipelineStepView, AppError> {
    Ok(PipelineStepView {
        stage: code(st, "stage", PipelineStage::parse)?,
        at: instant(st, "at")?,
        by: os(st, "display_name").unwrap_or_default(),
        note: s(st, "note"),
    })
}
