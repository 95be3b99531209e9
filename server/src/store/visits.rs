//! Visits officers record, with their findings and follow-ups.

use app::api::kit::store::AuditEntry;
use app::api::visits::store::{FollowUpSubject, KeyedVisit, StoredFollowUp, VisitStore, VisitSubject};
use app::domain::FindingKind;
use app::domain::access::RecordScope;
use app::domain::visits::VisitReport;
use app::error::AppError;
use async_trait::async_trait;
use chrono::{DateTime, Utc};
use sqlx::Any;

use super::*;

fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

#[async_trait]
impl VisitStore for SqlStore {
    async fn visit_subject(&self, tenancy_reference: &str) -> Result<Option<VisitSubject>, AppError> {
        let row = sqlx::query::<Any>(
            "SELECT t.id, t.property_id, t.owner_id, t.start_date, p.area_team_id FROM tenancies t JOIN properties p ON p.id = t.property_id WHERE t.reference = $1",
        )
        .bind(tenancy_reference)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(internal)?;
        row.map(|t| {
            Ok(VisitSubject {
                tenancy_id: i(&t, "id"),
                property_id: i(&t, "property_id"),
                scope: RecordScope { area_team_id: i(&t, "area_team_id"), owner_id: oi(&t, "owner_id"), restricted: false, granted: false, duty: false },
                start_date: day(&t, "start_date")?,
            })
        })
        .transpose()
    }

    async fn visit_by_key(&self, client_key: &str) -> Result<Option<KeyedVisit>, AppError> {
        let Some(v) = sqlx::query::<Any>("SELECT id, tenancy_id FROM visits WHERE client_key = $1")
            .bind(client_key)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(internal)?
        else {
            return Ok(None);
        };
        let id = i(&v, "id");
        let rows = sqlx::query::<Any>("SELECT kind, detail, due_at, actioned_at FROM visit_findings WHERE visit_id = $1 ORDER BY id")
            .bind(id)
            .fetch_all(&self.db.pool)
            .await
            .map_err(internal)?;
        let follow_ups = rows
            .iter()
            .map(|f| {
                Ok(StoredFollowUp {
                    kind: code(f, "kind", FindingKind::parse)?,
                    detail: s(f, "detail"),
                    due_at: instant(f, "due_at")?,
                    actioned: os(f, "actioned_at").is_some(),
                })
            })
            .collect::<Result<_, AppError>>()?;
        Ok(Some(KeyedVisit { id, tenancy_id: oi(&v, "tenancy_id"), follow_ups }))
    }

    async fn record_visit(
        &self,
        subject: &VisitSubject,
        report: &VisitReport,
        due: &[DateTime<Utc>],
        officer_id: i64,
        audit: AuditEntry,
    ) -> Result<Option<i64>, AppError> {
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        let at = stamp(report.at);
        let inserted = sqlx::query::<Any>(
            "INSERT INTO visits (property_id, tenancy_id, visit_type, officer_id, scheduled_for, completed_at, outcome, notes, client_key, card_left, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (client_key) DO NOTHING RETURNING id",
        )
        .bind(subject.property_id)
        .bind(subject.tenancy_id)
        .bind(report.kind.as_str())
        .bind(officer_id)
        .bind(report.on.to_string())
        .bind(at.clone())
        .bind(report.outcome.as_str())
        .bind(report.notes.clone())
        .bind(report.client_key.clone())
        .bind(i32::from(report.card_left))
        .bind(officer_id)
        .bind(now_rfc3339())
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
        let Some(row) = inserted else {
            return Ok(None);
        };
        let id = i(&row, "id");
        for (f, due) in report.findings.iter().zip(due) {
            sqlx::query::<Any>("INSERT INTO visit_findings (visit_id, kind, detail, due_at) VALUES ($1, $2, $3, $4)")
                .bind(id)
                .bind(f.kind.as_str())
                .bind(f.detail.clone())
                .bind(stamp(*due))
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
        }
        commit_audited(tx, audit, Some(id)).await?;
        Ok(Some(id))
    }

    async fn area_doors(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<app::domain::visits::DoorEvent>, AppError> {
        let rows = sqlx::query::<Any>(
            "SELECT u.display_name, v.outcome, v.completed_at FROM visits v JOIN properties p ON p.id = v.property_id JOIN users u ON u.id = v.officer_id \
             WHERE p.area_team_id = $1 AND v.outcome IN ('completed', 'no_access') AND v.completed_at IS NOT NULL AND v.scheduled_for >= $2",
        )
        .bind(area_team_id)
        .bind(since.to_string())
        .fetch_all(&self.db.pool)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| {
                Ok(app::domain::visits::DoorEvent {
                    officer: s(r, "display_name"),
                    outcome: code(r, "outcome", app::domain::VisitOutcome::parse)?,
                    at: instant(r, "completed_at")?,
                })
            })
            .collect()
    }

    async fn area_follow_ups(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<app::domain::visits::FollowUpEvent>, AppError> {
        let rows = sqlx::query::<Any>(
            "SELECT COALESCE(u.display_name, 'No officer') AS officer, f.due_at, f.actioned_at FROM visit_findings f JOIN visits v ON v.id = f.visit_id \
             JOIN tenancies t ON t.id = v.tenancy_id JOIN properties p ON p.id = t.property_id LEFT JOIN users u ON u.id = t.owner_id \
             WHERE p.area_team_id = $1 AND f.due_at IS NOT NULL AND (f.actioned_at IS NULL OR f.actioned_at >= $2)",
        )
        .bind(area_team_id)
        .bind(since.to_string())
        .fetch_all(&self.db.pool)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| Ok(app::domain::visits::FollowUpEvent { officer: s(r, "officer"), due_at: instant(r, "due_at")?, closed_at: oinstant(r, "actioned_at")? }))
            .collect()
    }

    async fn follow_up_subject(&self, id: i64) -> Result<Option<FollowUpSubject>, AppError> {
        let row = sqlx::query::<Any>(
            "SELECT f.id, f.actioned_at, t.id AS tenancy_id, t.owner_id, p.area_team_id FROM visit_findings f JOIN visits v ON v.id = f.visit_id \
             JOIN tenancies t ON t.id = v.tenancy_id JOIN properties p ON p.id = t.property_id WHERE f.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(internal)?;
        Ok(row.map(|r| FollowUpSubject {
            id: i(&r, "id"),
            tenancy_id: i(&r, "tenancy_id"),
            scope: RecordScope { area_team_id: i(&r, "area_team_id"), owner_id: oi(&r, "owner_id"), restricted: false, granted: false, duty: false },
            actioned: os(&r, "actioned_at").is_some(),
        }))
    }

    async fn close_follow_up(&self, id: i64, by: i64, note: &str, audit: AuditEntry) -> Result<(), AppError> {
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        let done = sqlx::query::<Any>("UPDATE visit_findings SET actioned_at = $1, actioned_by = $2, action_note = $3 WHERE id = $4 AND actioned_at IS NULL")
            .bind(now_rfc3339())
            .bind(by)
            .bind(note.to_string())
            .bind(id)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        if done.rows_affected() != 1 {
            return Err(AppError::Conflict("This follow-up was already closed: reload to see what was done.".into()));
        }
        commit_audited(tx, audit, None).await
    }
}
