//! Damp and mould hazards under Awaab's Law, with their steps.

use app::api::hazards::store::{HazardStore, HazardSubject, HazardTenancy, HazardsOf, StoredHazard};
use app::api::kit::store::{AuditEntry, StepBy};
use app::domain::access::{Reach, RecordScope};
use app::domain::hazard::{HazardFinding, HazardStep, Ladder};
use app::error::AppError;
use app::model::{HazardStepView, HazardView};
use async_trait::async_trait;
use chrono::NaiveDate;
use sqlx::Any;
use sqlx::any::AnyRow;

use super::visits::{reach_filter, stamp};
use super::*;

const HAZARD_COLUMNS: &str = "SELECT h.id, h.detail, h.visit_id, h.aware_at, h.investigated_at, h.finding, h.summary_at, h.safe_at, h.closed_at, h.version, \
     t.reference, p.address_line1, p.postcode, u.display_name AS officer \
     FROM hazards h JOIN tenancies t ON t.id = h.tenancy_id JOIN properties p ON p.id = t.property_id LEFT JOIN users u ON u.id = t.owner_id";

fn ladder(r: &AnyRow) -> Result<Ladder, AppError> {
    Ok(Ladder {
        aware_at: instant(r, "aware_at")?,
        investigated_at: oinstant(r, "investigated_at")?,
        finding: os(r, "finding").map(|f| HazardFinding::parse(&f).ok_or(AppError::Internal)).transpose()?,
        summary_at: oinstant(r, "summary_at")?,
        safe_at: oinstant(r, "safe_at")?,
    })
}

fn stored(r: &AnyRow) -> Result<StoredHazard, AppError> {
    let ladder = ladder(r)?;
    let view = HazardView {
        id: i(r, "id"),
        tenancy_reference: s(r, "reference"),
        address: format!("{}, {}", s(r, "address_line1"), s(r, "postcode")),
        officer: os(r, "officer"),
        detail: s(r, "detail"),
        aware_at: ladder.aware_at,
        visit_id: oi(r, "visit_id"),
        finding: ladder.finding,
        closed_at: oinstant(r, "closed_at")?,
        version: i(r, "version"),
        rungs: vec![],
        next: vec![],
        steps: vec![],
    };
    Ok(StoredHazard { view, ladder })
}

/// Opens a hazard inside a transaction unless one is open on the tenancy; answers its id, or
/// `None` when one was already open.
pub(super) async fn open_hazard(
    tx: &mut sqlx::Transaction<'_, Any>,
    tenancy_id: i64,
    detail: &str,
    visit_id: Option<i64>,
    reported: StepBy<'_>,
) -> Result<Option<i64>, AppError> {
    let row = sqlx::query::<Any>(
        "INSERT INTO hazards (tenancy_id, detail, visit_id, aware_at, reported_by) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING RETURNING id",
    )
    .bind(tenancy_id)
    .bind(detail.to_string())
    .bind(visit_id)
    .bind(stamp(reported.at))
    .bind(reported.by)
    .fetch_optional(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(row.map(|r| i(&r, "id")))
}

/// The filter and its one bind for a list's owners or reach (`$1`), or a list of owners.
fn of_filter(of: &HazardsOf<'_>) -> (String, Vec<i64>) {
    match of {
        HazardsOf::Reach(reach) => {
            let (f, id) = reach_filter(*reach);
            (f.to_string(), vec![id])
        }
        HazardsOf::Owners(owners) => (format!("t.owner_id IN ({})", placeholders(1, owners.len())), owners.to_vec()),
    }
}

#[async_trait]
impl HazardStore for SqlStore {
    async fn hazard_tenancy(&self, reference: &str) -> Result<Option<HazardTenancy>, AppError> {
        let row = sqlx::query::<Any>(
            "SELECT t.id, t.owner_id, t.start_date, p.area_team_id FROM tenancies t JOIN properties p ON p.id = t.property_id WHERE t.reference = $1",
        )
        .bind(reference)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(internal)?;
        row.map(|t| {
            Ok(HazardTenancy {
                tenancy_id: i(&t, "id"),
                scope: RecordScope { area_team_id: i(&t, "area_team_id"), owner_id: oi(&t, "owner_id"), restricted: false, granted: false, duty: false },
                start_date: day(&t, "start_date")?,
            })
        })
        .transpose()
    }

    async fn hazard_subject(&self, id: i64) -> Result<Option<HazardSubject>, AppError> {
        let row = sqlx::query::<Any>(
            "SELECT h.id, h.tenancy_id, h.aware_at, h.investigated_at, h.finding, h.summary_at, h.safe_at, h.version, t.owner_id, p.area_team_id \
             FROM hazards h JOIN tenancies t ON t.id = h.tenancy_id JOIN properties p ON p.id = t.property_id WHERE h.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(internal)?;
        row.map(|r| {
            Ok(HazardSubject {
                id: i(&r, "id"),
                tenancy_id: i(&r, "tenancy_id"),
                ladder: ladder(&r)?,
                version: i(&r, "version"),
                scope: RecordScope { area_team_id: i(&r, "area_team_id"), owner_id: oi(&r, "owner_id"), restricted: false, granted: false, duty: false },
            })
        })
        .transpose()
    }

    async fn report_hazard(&self, tenancy_id: i64, detail: &str, reported: StepBy<'_>, audit: AuditEntry) -> Result<i64, AppError> {
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        let Some(id) = open_hazard(&mut tx, tenancy_id, detail, None, reported).await? else {
            return Err(AppError::Conflict("This tenancy already has a damp and mould hazard open: record its steps there.".into()));
        };
        commit_audited(tx, audit, None).await?;
        Ok(id)
    }

    async fn take_hazard_step(
        &self,
        id: i64,
        version: i64,
        (step, finding): (HazardStep, Option<HazardFinding>),
        next: &Ladder,
        by: StepBy<'_>,
        audit: AuditEntry,
    ) -> Result<(), AppError> {
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        let closed = next.is_closed().then(|| stamp(by.at));
        let moved = sqlx::query::<Any>(
            "UPDATE hazards SET investigated_at = $1, finding = $2, summary_at = $3, safe_at = $4, closed_at = $5, version = version + 1 \
             WHERE id = $6 AND version = $7",
        )
        .bind(next.investigated_at.map(stamp))
        .bind(next.finding.map(|f| f.as_str()))
        .bind(next.summary_at.map(stamp))
        .bind(next.safe_at.map(stamp))
        .bind(closed)
        .bind(id)
        .bind(version)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if moved.rows_affected() != 1 {
            return Err(AppError::Conflict("Someone recorded a step on this hazard since you opened it: reload to see where it stands.".into()));
        }
        sqlx::query::<Any>("INSERT INTO hazard_steps (hazard_id, step, finding, at, by_user, note) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id)
            .bind(step.as_str())
            .bind(finding.map(|f| f.as_str()))
            .bind(stamp(by.at))
            .bind(by.by)
            .bind(by.note.to_string())
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        commit_audited(tx, audit, None).await
    }

    async fn hazard(&self, id: i64) -> Result<Option<StoredHazard>, AppError> {
        let sql = format!("{HAZARD_COLUMNS} WHERE h.id = $1");
        sqlx::query::<Any>(&sql).bind(id).fetch_optional(&self.db.pool).await.map_err(internal)?.as_ref().map(stored).transpose()
    }

    async fn tenancy_hazards(&self, tenancy_id: i64) -> Result<Vec<StoredHazard>, AppError> {
        let records = format!("{HAZARD_COLUMNS} WHERE h.tenancy_id = $1 ORDER BY CASE WHEN h.closed_at IS NULL THEN 0 ELSE 1 END, h.aware_at DESC, h.id DESC");
        let steps = "SELECT st.hazard_id, st.step, st.finding, st.at, st.note, u.display_name FROM hazard_steps st JOIN hazards h ON h.id = st.hazard_id \
             LEFT JOIN users u ON u.id = st.by_user WHERE h.tenancy_id = $1 ORDER BY st.at, st.id";
        tenancy_records_with_steps(&self.db, tenancy_id, (&records, stored), (steps, "hazard_id", step_view)).await
    }

    async fn open_hazards(&self, of: HazardsOf<'_>) -> Result<Vec<StoredHazard>, AppError> {
        let (filter, ids) = of_filter(&of);
        if ids.is_empty() {
            return Ok(vec![]);
        }
        let sql = format!("{HAZARD_COLUMNS} WHERE {filter} AND h.closed_at IS NULL ORDER BY h.aware_at, h.id LIMIT 500");
        bind_ids(sqlx::query::<Any>(&sql), &ids).fetch_all(&self.db.pool).await.map_err(internal)?.iter().map(stored).collect()
    }

    async fn closed_hazards(&self, reach: Reach, since: NaiveDate) -> Result<Vec<Ladder>, AppError> {
        let (filter, id) = reach_filter(reach);
        let sql = format!(
            "SELECT h.aware_at, h.investigated_at, h.finding, h.summary_at, h.safe_at FROM hazards h JOIN tenancies t ON t.id = h.tenancy_id \
             JOIN properties p ON p.id = t.property_id WHERE {filter} AND h.closed_at >= $2"
        );
        sqlx::query::<Any>(&sql).bind(id).bind(since.to_string()).fetch_all(&self.db.pool).await.map_err(internal)?.iter().map(ladder).collect()
    }
}

impl WithSteps for StoredHazard {
    type Step = HazardStepView;
    fn id(&self) -> i64 {
        self.view.id
    }
    fn steps(&mut self) -> &mut Vec<HazardStepView> {
        &mut self.view.steps
    }
}

fn step_view(st: &AnyRow) -> Result<HazardStepView, AppError> {
    Ok(HazardStepView {
        step: code(st, "step", HazardStep::parse)?,
        at: instant(st, "at")?,
        finding: os(st, "finding").and_then(|f| HazardFinding::parse(&f)),
        by: os(st, "display_name").unwrap_or_default(),
        note: s(st, "note"),
    })
}
