//! Complaint cases' steps as stored (`complaint_steps`), and what CH01 and CH02 count.

use app::api::kit::store::AuditEntry;
use app::domain::clock::{ComplaintStage, london_date};
use app::domain::complaint::{ComplaintEvent, ComplaintStep};
use app::error::AppError;
use chrono::NaiveDate;
use sqlx::Any;
use sqlx::any::AnyRow;

use super::{RENT_PAYING, code, day, i, instant, internal, now_rfc3339, s};
use crate::db::Db;

/// How a stage is stored.
pub fn stage_code(stage: ComplaintStage) -> &'static str {
    match stage {
        ComplaintStage::Stage1 => "stage1",
        ComplaintStage::Stage2 => "stage2",
    }
}

fn parse_stage(code: &str) -> Option<ComplaintStage> {
    [ComplaintStage::Stage1, ComplaintStage::Stage2].into_iter().find(|st| stage_code(*st) == code)
}

const STEP_SELECT: &str = "SELECT k.case_id, k.kind, k.stage, k.on_date, k.extension_days, k.detail, k.recorded_by, u.display_name \
     FROM complaint_steps k JOIN users u ON u.id = k.recorded_by";

fn step(r: &AnyRow) -> Result<ComplaintStep, AppError> {
    use sqlx::Row;
    Ok(ComplaintStep {
        kind: code(r, "kind", ComplaintEvent::parse)?,
        stage: code(r, "stage", parse_stage)?,
        on: day(r, "on_date")?,
        extension_days: r.try_get::<Option<i64>, _>("extension_days").ok().flatten().map(|d| d as u32),
        detail: s(r, "detail"),
        by_id: i(r, "recorded_by"),
        by: s(r, "display_name"),
    })
}

/// The day the resident complained: when the comment a complaint case came from was written,
/// else when the case was opened (both London days).
const RECEIVED: &str = "COALESCE((SELECT MIN(f.submitted_at) FROM feedback_responses f WHERE f.case_id = c.id), c.opened_at)";

/// A complaint case's received day and steps, in order.
pub async fn complaint_of(db: &Db, case_id: i64) -> Result<(NaiveDate, Vec<ComplaintStep>), AppError> {
    let row =
        sqlx::query::<Any>(&format!("SELECT {RECEIVED} AS received FROM cases c WHERE c.id = $1")).bind(case_id).fetch_one(&db.pool).await.map_err(internal)?;
    let received = london_date(instant(&row, "received")?);
    let steps = sqlx::query::<Any>(&format!("{STEP_SELECT} WHERE k.case_id = $1 ORDER BY k.id"))
        .bind(case_id)
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?
        .iter()
        .map(step)
        .collect::<Result<_, _>>()?;
    Ok((received, steps))
}

/// Every complaint case (of one area, or all) with its received day and steps.
pub async fn complaints(db: &Db, area_team_id: Option<i64>) -> Result<Vec<(NaiveDate, Vec<ComplaintStep>)>, AppError> {
    let area = area_team_id.unwrap_or(0);
    let cases = sqlx::query::<Any>(&format!(
        "SELECT c.id, {RECEIVED} AS received FROM cases c WHERE c.kind = 'complaint' AND ($1 = 0 OR c.area_team_id = $1) ORDER BY c.id"
    ))
    .bind(area)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let rows = sqlx::query::<Any>(&format!(
        "{STEP_SELECT} JOIN cases c ON c.id = k.case_id WHERE c.kind = 'complaint' AND ($1 = 0 OR c.area_team_id = $1) ORDER BY k.case_id, k.id"
    ))
    .bind(area)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let mut by_case: std::collections::HashMap<i64, Vec<ComplaintStep>> = std::collections::HashMap::new();
    for r in &rows {
        by_case.entry(i(r, "case_id")).or_default().push(step(r)?);
    }
    cases.iter().map(|c| Ok((london_date(instant(c, "received")?), by_case.remove(&i(c, "id")).unwrap_or_default()))).collect()
}

/// Properties whose active tenancy pays rent, in an area or all.
pub async fn rented_homes(db: &Db, area_team_id: Option<i64>) -> Result<u64, AppError> {
    let n = sqlx::query_scalar::<Any, i64>(&format!(
        "SELECT COUNT(DISTINCT t.property_id) FROM tenancies t JOIN properties p ON p.id = t.property_id \
         WHERE t.status = 'active' AND t.tenure IN ({paying}) AND ($1 = 0 OR p.area_team_id = $1)",
        paying = RENT_PAYING.as_str()
    ))
    .bind(area_team_id.unwrap_or(0))
    .fetch_one(&db.pool)
    .await
    .map_err(internal)?;
    Ok(n.max(0) as u64)
}

/// Records a step with its audit row, bumping the case's version and setting its clock.
pub async fn record_step(db: &Db, case_id: i64, version: i64, st: &ComplaintStep, due_on: Option<NaiveDate>, audit: AuditEntry) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let due_at = due_on.map(|d| app::domain::clock::london_at(d, app::domain::clock::END_OF_CALENDAR_DAY).to_rfc3339());
    let bumped = sqlx::query::<Any>("UPDATE cases SET version = version + 1, due_at = $1 WHERE id = $2 AND version = $3 AND kind = 'complaint'")
        .bind(due_at)
        .bind(case_id)
        .bind(version)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    if bumped.rows_affected() != 1 {
        return Err(super::casework::conflict("This complaint"));
    }
    sqlx::query::<Any>(
        "INSERT INTO complaint_steps (case_id, kind, stage, on_date, extension_days, detail, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(case_id)
    .bind(st.kind.as_str())
    .bind(stage_code(st.stage))
    .bind(st.on.to_string())
    .bind(st.extension_days.map(i64::from))
    .bind(st.detail.trim().to_string())
    .bind(st.by_id)
    .bind(now_rfc3339())
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    super::commit_audited(tx, audit, None).await
}
