//! Visits officers record, with their findings and follow-ups.

use app::api::kit::store::AuditEntry;
use app::api::visits::store::{Booking, Effects, FollowUpSubject, KeyedVisit, ProgrammeRow, StoredFollowUp, StoredStop, VisitStore, VisitSubject};
use app::domain::FindingKind;
use app::domain::access::Reach;
use app::domain::access::RecordScope;
use app::domain::programme::{Absence, ProgrammeHome};
use app::domain::route::Point;
use app::domain::visits::VisitReport;
use app::domain::{Tenure, VisitOutcome, VisitType};
use app::error::AppError;
use async_trait::async_trait;
use chrono::NaiveDate;
use chrono::{DateTime, Utc};
use sqlx::Any;
use std::collections::HashMap;

use super::*;

pub(super) fn stamp(t: DateTime<Utc>) -> String {
    t.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Binds a report's nine columns in order: officer_id, scheduled_for, completed_at, outcome,
/// notes, client_key, card_left, recorded_by, recorded_at.
fn bind_report<'q>(
    q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>,
    report: &VisitReport,
    officer_id: i64,
) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    q.bind(officer_id)
        .bind(report.on.to_string())
        .bind(stamp(report.at))
        .bind(report.outcome.as_str())
        .bind(report.notes.clone())
        .bind(report.client_key.clone())
        .bind(i32::from(report.card_left))
        .bind(officer_id)
        .bind(now_rfc3339())
}

/// The tenures the visiting programme visits: rented homes past their introductory year.
static PROGRAMMED: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    Tenure::ALL.iter().filter(|t| app::domain::programme::programmed(**t)).map(|t| format!("'{}'", t.as_str())).collect::<Vec<_>>().join(", ")
});

/// The kinds of visit that count as a check in the cycle (`programme::CHECKS`), as an SQL list.
static CHECK_KINDS: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| app::domain::programme::CHECKS.iter().map(|k| format!("'{}'", k.as_str())).collect::<Vec<_>>().join(", "));

/// `column = $1` for a reach: an area's homes or an officer's tenancies.
pub(super) fn reach_filter(reach: Reach) -> (&'static str, i64) {
    match reach {
        Reach::Area(a) => ("p.area_team_id = $1", a),
        Reach::Own(o) => ("t.owner_id = $1", o),
    }
}

#[async_trait]
impl VisitStore for SqlStore {
    async fn visit_subject(&self, tenancy_reference: &str) -> Result<Option<VisitSubject>, AppError> {
        let row = sqlx::query::<Any>(
            "SELECT t.id, t.property_id, t.owner_id, t.start_date, t.version, p.area_team_id FROM tenancies t JOIN properties p ON p.id = t.property_id WHERE t.reference = $1",
        )
        .bind(tenancy_reference)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(internal)?;
        let Some(t) = row else { return Ok(None) };
        let members = sqlx::query::<Any>("SELECT id, is_tenant FROM household_members WHERE tenancy_id = $1 AND left_on IS NULL ORDER BY id")
            .bind(i(&t, "id"))
            .fetch_all(&self.db.pool)
            .await
            .map_err(internal)?
            .iter()
            .map(|m| (i(m, "id"), i(m, "is_tenant") != 0))
            .collect();
        Ok(Some(VisitSubject {
            tenancy_id: i(&t, "id"),
            property_id: i(&t, "property_id"),
            scope: RecordScope { area_team_id: i(&t, "area_team_id"), owner_id: oi(&t, "owner_id"), restricted: false, granted: false, duty: false },
            start_date: day(&t, "start_date")?,
            version: i(&t, "version"),
            members,
        }))
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
        effects: Effects<'_>,
        officer_id: i64,
        audit: AuditEntry,
    ) -> Result<Option<i64>, AppError> {
        let Effects { due, household, opens, hazard } = effects;
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        if let Some((seen, change)) = household {
            // The household as the officer saw it, or nothing: a change made meanwhile is theirs to see first.
            let bumped = sqlx::query::<Any>("UPDATE tenancies SET version = version + 1 WHERE id = $1 AND version = $2")
                .bind(subject.tenancy_id)
                .bind(seen)
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
            if bumped.rows_affected() != 1 {
                return Err(AppError::Conflict(
                    "The household on this tenancy was changed since this form was opened: nothing was saved. Open the tenancy again, check the household, and record the visit with what you found.".into(),
                ));
            }
            for id in &change.left {
                sqlx::query::<Any>("UPDATE household_members SET left_on = $1 WHERE id = $2 AND tenancy_id = $3 AND left_on IS NULL")
                    .bind(report.on.to_string())
                    .bind(*id)
                    .bind(subject.tenancy_id)
                    .execute(&mut *tx)
                    .await
                    .map_err(internal)?;
            }
            for j in &change.joined {
                sqlx::query::<Any>(
                    "INSERT INTO household_members (tenancy_id, first_name, last_name, date_of_birth, sex, relationship, is_tenant, joined_on) VALUES ($1, $2, $3, $4, $5, $6, 0, $7)",
                )
                .bind(subject.tenancy_id)
                .bind(j.first_name.clone())
                .bind(j.last_name.clone())
                .bind(j.date_of_birth.to_string())
                .bind(match j.sex {
                    app::domain::occupancy::Sex::F => "F",
                    app::domain::occupancy::Sex::M => "M",
                })
                .bind(j.relationship.as_str())
                .bind(report.on.to_string())
                .execute(&mut *tx)
                .await
                .map_err(internal)?;
            }
        }
        // The visit made for a planned one of the same kind fulfils it (the day's stop shows as
        // made, the programme no longer counts it as planned); any other is a new visit.
        let filled = bind_report(
            sqlx::query::<Any>(
                "UPDATE visits SET officer_id = $1, scheduled_for = $2, completed_at = $3, outcome = $4, notes = $5, client_key = $6, card_left = $7, \
             recorded_by = $8, recorded_at = $9 WHERE outcome = 'scheduled' AND id = (SELECT MIN(w.id) FROM visits w WHERE w.tenancy_id = $10 \
             AND w.visit_type = $11 AND w.outcome = 'scheduled' AND w.scheduled_for = (SELECT MIN(x.scheduled_for) FROM visits x \
             WHERE x.tenancy_id = $10 AND x.visit_type = $11 AND x.outcome = 'scheduled')) RETURNING id",
            ),
            report,
            officer_id,
        )
        .bind(subject.tenancy_id)
        .bind(report.kind.as_str())
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
        let inserted = if filled.is_some() {
            filled
        } else {
            let insert = sqlx::query::<Any>(
            "INSERT INTO visits (property_id, tenancy_id, visit_type, officer_id, scheduled_for, completed_at, outcome, notes, client_key, card_left, recorded_by, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (client_key) DO NOTHING RETURNING id",
        )
        .bind(subject.property_id)
        .bind(subject.tenancy_id)
        .bind(report.kind.as_str());
            bind_report(insert, report, officer_id).fetch_optional(&mut *tx).await.map_err(internal)?
        };
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
        for (kind, note) in opens {
            super::pipeline::open_entry(&mut tx, subject.tenancy_id, *kind, Some(id), app::api::kit::store::StepBy { by: officer_id, note, at: report.at })
                .await?;
        }
        if let Some(detail) = hazard {
            let reported = app::api::kit::store::StepBy { by: officer_id, note: detail, at: report.at };
            super::hazards::open_hazard(&mut tx, subject.tenancy_id, detail, Some(id), reported).await?;
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
            "SELECT u.display_name AS officer, f.due_at, f.actioned_at FROM visit_findings f JOIN visits v ON v.id = f.visit_id \
             JOIN tenancies t ON t.id = v.tenancy_id JOIN properties p ON p.id = t.property_id LEFT JOIN users u ON u.id = t.owner_id \
             WHERE p.area_team_id = $1 AND f.due_at IS NOT NULL AND (f.actioned_at IS NULL OR f.actioned_at >= $2)",
        )
        .bind(area_team_id)
        .bind(since.to_string())
        .fetch_all(&self.db.pool)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| {
                Ok(app::domain::visits::FollowUpEvent { officer: os(r, "officer"), due_at: instant(r, "due_at")?, closed_at: oinstant(r, "actioned_at")? })
            })
            .collect()
    }

    async fn area_findings(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<app::domain::visits::FindingEvent>, AppError> {
        let rows = sqlx::query::<Any>(
            "SELECT f.kind, v.completed_at, f.due_at, f.actioned_at FROM visit_findings f JOIN visits v ON v.id = f.visit_id \
             JOIN properties p ON p.id = v.property_id WHERE p.area_team_id = $1 AND v.completed_at IS NOT NULL AND f.due_at IS NOT NULL \
             AND (v.scheduled_for >= $2 OR f.actioned_at >= $2)",
        )
        .bind(area_team_id)
        .bind(since.to_string())
        .fetch_all(&self.db.pool)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| {
                Ok(app::domain::visits::FindingEvent {
                    kind: code(r, "kind", FindingKind::parse)?,
                    visited_at: instant(r, "completed_at")?,
                    due_at: instant(r, "due_at")?,
                    closed_at: oinstant(r, "actioned_at")?,
                })
            })
            .collect()
    }

    async fn area_financial_referrals(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<DateTime<Utc>>, AppError> {
        let rows = sqlx::query::<Any>(
            "SELECT r.sent_at FROM referrals r JOIN agencies a ON a.id = r.agency_id JOIN tenancies t ON t.id = r.tenancy_id \
             JOIN properties p ON p.id = t.property_id WHERE p.area_team_id = $1 AND a.kind = $2 AND r.sent_at >= $3",
        )
        .bind(area_team_id)
        .bind(app::domain::AgencyKind::FinancialInclusion.as_str())
        .bind(since.to_string())
        .fetch_all(&self.db.pool)
        .await
        .map_err(internal)?;
        rows.iter().map(|r| instant(r, "sent_at")).collect()
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
    async fn photo_target(&self, visit_id: i64) -> Result<Option<app::api::visits::store::PhotoTarget>, AppError> {
        let Some(r) = sqlx::query::<Any>(
            "SELECT v.id, v.outcome, t.id AS tenancy_id, t.reference, t.owner_id, p.area_team_id, \
             (SELECT COUNT(*) FROM visit_photos ph WHERE ph.visit_id = v.id) AS photos \
             FROM visits v JOIN tenancies t ON t.id = v.tenancy_id JOIN properties p ON p.id = t.property_id WHERE v.id = $1",
        )
        .bind(visit_id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(internal)?
        else {
            return Ok(None);
        };
        let findings = sqlx::query::<Any>("SELECT kind FROM visit_findings WHERE visit_id = $1 ORDER BY id")
            .bind(visit_id)
            .fetch_all(&self.db.pool)
            .await
            .map_err(internal)?
            .iter()
            .map(|f| code(f, "kind", FindingKind::parse))
            .collect::<Result<_, _>>()?;
        Ok(Some(app::api::visits::store::PhotoTarget {
            visit_id,
            tenancy_id: i(&r, "tenancy_id"),
            reference: s(&r, "reference"),
            scope: RecordScope { area_team_id: i(&r, "area_team_id"), owner_id: oi(&r, "owner_id"), restricted: false, granted: false, duty: false },
            outcome: code(&r, "outcome", VisitOutcome::parse)?,
            findings,
            photos: i(&r, "photos") as u32,
        }))
    }

    async fn add_photo(&self, photo: app::api::visits::store::NewPhoto<'_>, audit: AuditEntry) -> Result<i64, AppError> {
        let app::api::visits::store::NewPhoto { visit_id, finding, kind, data, location_kept, by } = photo;
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        let row = sqlx::query::<Any>(
            "INSERT INTO visit_photos (visit_id, finding, content_type, data, size_bytes, location_kept, added_by, added_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(visit_id)
        .bind(finding.map(|f| f.as_str()))
        .bind(kind.content_type())
        .bind(data.to_vec())
        .bind(data.len() as i64)
        .bind(i32::from(location_kept))
        .bind(by)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
        let id = i(&row, "id");
        commit_audited(tx, audit, None).await?;
        Ok(id)
    }

    async fn photo(&self, id: i64) -> Result<Option<app::api::visits::store::StoredPhoto>, AppError> {
        let Some(r) = sqlx::query::<Any>(
            "SELECT ph.id, ph.visit_id, ph.finding, ph.content_type, ph.data, ph.location_kept, t.id AS tenancy_id, t.reference, t.owner_id, p.area_team_id \
             FROM visit_photos ph JOIN visits v ON v.id = ph.visit_id JOIN tenancies t ON t.id = v.tenancy_id JOIN properties p ON p.id = t.property_id WHERE ph.id = $1",
        )
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(internal)?
        else {
            return Ok(None);
        };
        Ok(Some(app::api::visits::store::StoredPhoto {
            id,
            visit_id: i(&r, "visit_id"),
            tenancy_id: i(&r, "tenancy_id"),
            reference: s(&r, "reference"),
            scope: RecordScope { area_team_id: i(&r, "area_team_id"), owner_id: oi(&r, "owner_id"), restricted: false, granted: false, duty: false },
            finding: os(&r, "finding").and_then(|f| FindingKind::parse(&f)),
            content_type: s(&r, "content_type"),
            data: sqlx::Row::try_get::<Vec<u8>, _>(&r, "data").map_err(internal)?,
            location_kept: i(&r, "location_kept") != 0,
        }))
    }

    async fn day_stops(&self, officers: &[i64], on: NaiveDate) -> Result<Vec<StoredStop>, AppError> {
        if officers.is_empty() {
            return Ok(vec![]);
        }
        let n = officers.len();
        let sql = format!(
            "SELECT v.id AS visit_id, v.visit_type, v.outcome, t.id AS tenancy_id, t.reference, t.owner_id, p.area_team_id, p.address_line1, p.postcode, \
             p.latitude, p.longitude, u.display_name AS owner_name, COALESCE(r.balance_pence, 0) AS balance, \
             (SELECT COUNT(*) FROM cases c WHERE c.tenancy_id = t.id AND c.status = 'open') AS open_cases \
             FROM visits v JOIN tenancies t ON t.id = v.tenancy_id JOIN properties p ON p.id = t.property_id \
             LEFT JOIN users u ON u.id = t.owner_id LEFT JOIN rent_accounts r ON r.tenancy_id = t.id \
             WHERE v.officer_id IN ({}) AND v.scheduled_for = ${} AND v.outcome <> 'cancelled' ORDER BY v.id",
            placeholders(1, n),
            n + 1
        );
        let rows = bind_ids(sqlx::query::<Any>(&sql), officers).bind(on.to_string()).fetch_all(&self.db.pool).await.map_err(internal)?;
        let mut stops = rows
            .iter()
            .map(|r| {
                Ok(StoredStop {
                    visit_id: i(r, "visit_id"),
                    visit_type: code(r, "visit_type", VisitType::parse)?,
                    outcome: code(r, "outcome", VisitOutcome::parse)?,
                    tenancy_id: i(r, "tenancy_id"),
                    reference: s(r, "reference"),
                    address: s(r, "address_line1"),
                    postcode: s(r, "postcode"),
                    at: Point { lat: r.try_get::<f64, _>("latitude").map_err(internal)?, lon: r.try_get::<f64, _>("longitude").map_err(internal)? },
                    scope: RecordScope { area_team_id: i(r, "area_team_id"), owner_id: oi(r, "owner_id"), restricted: false, granted: false, duty: false },
                    owner_name: os(r, "owner_name"),
                    balance: app::domain::Pence(i(r, "balance")),
                    household: vec![],
                    alerts: vec![],
                    open_cases: i(r, "open_cases"),
                    last_visit: None,
                    last_findings: vec![],
                })
            })
            .collect::<Result<Vec<_>, AppError>>()?;
        if stops.is_empty() {
            return Ok(stops);
        }
        let ids: Vec<i64> = stops.iter().map(|st| st.tenancy_id).collect();
        let m = ids.len();
        let list = placeholders(1, m);
        let mut household: HashMap<i64, Vec<(String, NaiveDate)>> = HashMap::new();
        let sql = format!(
            "SELECT tenancy_id, first_name, last_name, date_of_birth FROM household_members WHERE tenancy_id IN ({list}) AND left_on IS NULL ORDER BY tenancy_id, is_tenant DESC, id"
        );
        for r in bind_ids(sqlx::query::<Any>(&sql), &ids).fetch_all(&self.db.pool).await.map_err(internal)? {
            household.entry(i(&r, "tenancy_id")).or_default().push((format!("{} {}", s(&r, "first_name"), s(&r, "last_name")), day(&r, "date_of_birth")?));
        }
        let mut alerts: HashMap<i64, Vec<String>> = HashMap::new();
        let sql = format!("SELECT tenancy_id, description FROM alerts WHERE tenancy_id IN ({list}) AND (ends_on IS NULL OR ends_on >= ${}) ORDER BY id", m + 1);
        for r in bind_ids(sqlx::query::<Any>(&sql), &ids).bind(on.to_string()).fetch_all(&self.db.pool).await.map_err(internal)? {
            alerts.entry(i(&r, "tenancy_id")).or_default().push(s(&r, "description"));
        }
        // The last visit before the day at which someone came to the door, and its findings.
        let sql = format!(
            "SELECT v.tenancy_id, v.scheduled_for, f.kind, f.detail FROM visits v LEFT JOIN visit_findings f ON f.visit_id = v.id \
             WHERE v.id IN (SELECT MAX(w.id) FROM visits w WHERE w.tenancy_id IN ({list}) AND w.outcome = 'completed' AND w.scheduled_for < ${} \
             AND w.scheduled_for = (SELECT MAX(x.scheduled_for) FROM visits x WHERE x.tenancy_id = w.tenancy_id AND x.outcome = 'completed' AND x.scheduled_for < ${}) \
             GROUP BY w.tenancy_id) ORDER BY f.id",
            m + 1,
            m + 1
        );
        let mut last: HashMap<i64, (NaiveDate, Vec<(app::domain::FindingKind, String)>)> = HashMap::new();
        for r in bind_ids(sqlx::query::<Any>(&sql), &ids).bind(on.to_string()).fetch_all(&self.db.pool).await.map_err(internal)? {
            let entry = last.entry(i(&r, "tenancy_id")).or_insert((day(&r, "scheduled_for")?, vec![]));
            if let Some(kind) = os(&r, "kind") {
                entry.1.push((FindingKind::parse(&kind).ok_or(AppError::Internal)?, s(&r, "detail")));
            }
        }
        for st in &mut stops {
            st.household = household.get(&st.tenancy_id).cloned().unwrap_or_default();
            st.alerts = alerts.get(&st.tenancy_id).cloned().unwrap_or_default();
            if let Some((on, findings)) = last.get(&st.tenancy_id) {
                st.last_visit = Some(*on);
                st.last_findings = findings.clone();
            }
        }
        Ok(stops)
    }

    async fn open_follow_ups(&self, owners: &[i64]) -> Result<Vec<FollowUpRow>, AppError> {
        let mut conn = self.db.pool.acquire().await.map_err(internal)?;
        super::desk::open_follow_ups(&mut conn, owners).await
    }

    async fn programme_homes(&self, reach: Reach, today: NaiveDate) -> Result<Vec<ProgrammeRow>, AppError> {
        let (filter, id) = reach_filter(reach);
        let sql = format!(
            "SELECT t.id, t.reference, t.start_date, t.owner_id, p.patch_id, p.latitude, p.longitude, p.address_line1, p.postcode, \
             (SELECT MAX(v.scheduled_for) FROM visits v WHERE v.tenancy_id = t.id AND v.outcome = 'completed' AND v.visit_type IN ({checks})) AS last_check, \
             (SELECT MAX(v.scheduled_for) FROM visits v WHERE v.tenancy_id = t.id AND v.outcome = 'completed') AS last_contact, \
             (SELECT MIN(v.scheduled_for) FROM visits v WHERE v.tenancy_id = t.id AND v.outcome = 'scheduled' AND v.scheduled_for >= $2) AS planned \
             FROM tenancies t JOIN properties p ON p.id = t.property_id \
             WHERE {filter} AND t.status = 'active' AND t.tenure IN ({}) ORDER BY t.id",
            PROGRAMMED.as_str(),
            checks = CHECK_KINDS.as_str()
        );
        let rows = sqlx::query::<Any>(&sql).bind(id).bind(today.to_string()).fetch_all(&self.db.pool).await.map_err(internal)?;
        rows.iter()
            .map(|r| {
                Ok(ProgrammeRow {
                    home: ProgrammeHome {
                        tenancy_id: i(r, "id"),
                        patch_id: i(r, "patch_id"),
                        officer_id: oi(r, "owner_id"),
                        start_date: day(r, "start_date")?,
                        last_check: oday(r, "last_check")?,
                        last_contact: oday(r, "last_contact")?,
                        planned: oday(r, "planned")?,
                        at: Point { lat: r.try_get::<f64, _>("latitude").map_err(internal)?, lon: r.try_get::<f64, _>("longitude").map_err(internal)? },
                    },
                    reference: s(r, "reference"),
                    address: format!("{}, {}", s(r, "address_line1"), s(r, "postcode")),
                })
            })
            .collect()
    }

    async fn programme_patches(&self, reach: Reach) -> Result<Vec<(i64, String, String)>, AppError> {
        let sql = match reach {
            Reach::Area(_) => {
                "SELECT pa.id, pa.name, COALESCE(u.display_name, '') AS officer FROM patches pa LEFT JOIN users u ON u.id = pa.officer_id WHERE pa.area_team_id = $1 ORDER BY pa.name"
            }
            Reach::Own(_) => {
                "SELECT pa.id, pa.name, COALESCE(u.display_name, '') AS officer FROM patches pa LEFT JOIN users u ON u.id = pa.officer_id \
                 WHERE pa.id IN (SELECT p.patch_id FROM tenancies t JOIN properties p ON p.id = t.property_id WHERE t.owner_id = $1 AND t.status = 'active') ORDER BY pa.name"
            }
        };
        let id = match reach {
            Reach::Area(a) => a,
            Reach::Own(o) => o,
        };
        let rows = sqlx::query::<Any>(sql).bind(id).fetch_all(&self.db.pool).await.map_err(internal)?;
        Ok(rows.iter().map(|r| (i(r, "id"), s(r, "name"), s(r, "officer"))).collect())
    }

    async fn absences(&self, area_team_id: i64, from: NaiveDate, to: NaiveDate) -> Result<Vec<Absence>, AppError> {
        let rows = sqlx::query::<Any>(
            "SELECT c.absent_user_id, c.cover_user_id, c.starts_on, c.ends_on FROM covers c JOIN users u ON u.id = c.absent_user_id \
             WHERE u.area_team_id = $1 AND c.starts_on <= $3 AND c.ends_on >= $2 ORDER BY c.starts_on, c.id",
        )
        .bind(area_team_id)
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.db.pool)
        .await
        .map_err(internal)?;
        rows.iter()
            .map(|r| Ok(Absence { officer_id: i(r, "absent_user_id"), cover_id: i(r, "cover_user_id"), from: day(r, "starts_on")?, to: day(r, "ends_on")? }))
            .collect()
    }

    async fn user_names(&self, ids: &[i64]) -> Result<HashMap<i64, String>, AppError> {
        if ids.is_empty() {
            return Ok(HashMap::new());
        }
        let sql = format!("SELECT id, display_name FROM users WHERE id IN ({})", placeholders(1, ids.len()));
        let rows = bind_ids(sqlx::query::<Any>(&sql), ids).fetch_all(&self.db.pool).await.map_err(internal)?;
        Ok(rows.iter().map(|r| (i(r, "id"), s(r, "display_name"))).collect())
    }

    async fn book_visits(&self, area_team_id: i64, today: NaiveDate, visits: &[Booking], audit: AuditEntry) -> Result<bool, AppError> {
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        // One booking at a time per area: this takes the area's row lock (PostgreSQL; SQLite has one
        // writer anyway), so two Team Leaders booking at once never plan a home twice.
        sqlx::query::<Any>("UPDATE area_teams SET id = id WHERE id = $1").bind(area_team_id).execute(&mut *tx).await.map_err(internal)?;
        for b in visits {
            let done = sqlx::query::<Any>(
                "INSERT INTO visits (property_id, tenancy_id, visit_type, officer_id, scheduled_for, outcome, notes) \
                 SELECT t.property_id, t.id, $1, $2, $3, 'scheduled', '' FROM tenancies t WHERE t.id = $4 \
                 AND NOT EXISTS (SELECT 1 FROM visits v WHERE v.tenancy_id = t.id AND v.outcome = 'scheduled' AND v.scheduled_for >= $5)",
            )
            .bind(VisitType::HomeCheck.as_str())
            .bind(b.officer_id)
            .bind(b.on.to_string())
            .bind(b.tenancy_id)
            .bind(today.to_string())
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
            if done.rows_affected() != 1 {
                tx.rollback().await.map_err(internal)?;
                return Ok(false);
            }
        }
        commit_audited(tx, audit, None).await?;
        Ok(true)
    }
}
