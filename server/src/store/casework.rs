//! Storage for cases worked between roles: the case page's record, action plans, the officers a
//! Team Leader chooses from, and cover periods. Versioned writes fail with a Conflict when stale.

use app::api::casework::store::{CaseRecord, NewCover, NewPlanAction};

use app::api::kit::store::AuditEntry;
use app::domain::access::RecordScope;
use app::domain::cover::CoverParty;
use app::domain::sustain::{ActionOwner, ActionStatus};
use app::domain::{CaseKind, Role};
use app::error::AppError;
use app::model::*;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::SqlStore;
use super::{code, day, i, instant, internal, now_rfc3339, oday, oi, oinstant, os, role_label, s};
use crate::db::Db;
use app::api::casework::store::CaseStore;
use app::api::kit::store::KitStore;
use async_trait::async_trait;
use chrono::NaiveDate;

pub(super) fn conflict(what: &str) -> AppError {
    AppError::Conflict(format!("{what} has changed since you opened it. Reload the page to see the latest, then try again; nothing you entered was saved."))
}

/// Every change of owner of a tenancy or case, newest first.
pub async fn transfer_history(db: &Db, subject_type: &str, id: i64) -> Result<Vec<TransferView>, AppError> {
    sqlx::query::<Any>(
        "SELECT tr.kind, tr.status, tr.reason, tr.requested_at, tr.decided_at, tr.effective_at, tr.from_role, tr.to_role, \
           f.display_name AS from_name, t2.display_name AS to_name, rb.display_name AS by_name, ab.display_name AS approved_name \
         FROM transfers tr LEFT JOIN users f ON f.id = tr.from_user_id LEFT JOIN users t2 ON t2.id = tr.to_user_id \
         LEFT JOIN users rb ON rb.id = tr.requested_by LEFT JOIN users ab ON ab.id = tr.approved_by \
         WHERE tr.subject_type = $1 AND tr.subject_id = $2 ORDER BY COALESCE(tr.effective_at, tr.requested_at) DESC, tr.id DESC",
    )
    .bind(subject_type)
    .bind(id)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?
    .iter()
    .map(|h| {
        Ok(TransferView {
            at: match oinstant(h, "effective_at")? {
                Some(at) => at,
                None => instant(h, "requested_at")?,
            },
            kind: app::domain::TransferKind::parse(&s(h, "kind")).map(|k| k.label().to_string()).unwrap_or_else(|| s(h, "kind")),
            from: os(h, "from_name").map(|n| format!("{n} ({})", role_label(&os(h, "from_role").unwrap_or_default()))),
            to: format!("{} ({})", os(h, "to_name").unwrap_or_else(|| "Unassigned".into()), role_label(&s(h, "to_role"))),
            reason: s(h, "reason"),
            by: os(h, "by_name"),
            approved_by: os(h, "approved_name"),
        })
    })
    .collect()
}

fn action_view(r: &AnyRow) -> Result<PlanActionView, AppError> {
    let kind = s(r, "owner_kind");
    let name = s(r, "owner_name");
    Ok(PlanActionView {
        id: i(r, "id"),
        description: s(r, "description"),
        owner_label: match (ActionOwner::parse(&kind), name.is_empty()) {
            (Some(ActionOwner::Tenant), _) | (Some(_), true) => ActionOwner::parse(&kind).map(|k| k.label().to_string()).unwrap_or_default(),
            (Some(k), false) => format!("{name} ({})", k.label().to_lowercase()),
            (None, _) => name,
        },
        owner_kind: ActionOwner::parse(&kind).unwrap_or(ActionOwner::Officer),
        due_on: day(r, "due_on")?,
        // The schema allows only these codes (CHECK constraint); an unknown one reads as open, to be seen.
        status: ActionStatus::parse(&s(r, "status")).unwrap_or(ActionStatus::Open),
        note: s(r, "note"),
        clock: None,
        version: i(r, "version"),
    })
}

pub async fn case_record(db: &Db, reference: &str, viewer_id: i64) -> Result<Option<CaseRecord>, AppError> {
    let Some(c) = sqlx::query::<Any>(
        "SELECT c.id, c.reference, c.kind, c.title, c.summary, c.status, c.restricted, c.owner_id, c.owner_role, c.area_team_id, \
           c.opened_at, c.due_at, c.version, c.plan_agreed_on, c.next_review_on, \
           t.reference AS tenancy_reference, p.address_line1, p.postcode, a.name AS area_team, pa.name AS patch, pa.officer_id AS patch_officer_id, \
           u.display_name AS owner_name, \
           CASE WHEN EXISTS (SELECT 1 FROM access_grants g WHERE g.subject_type = 'case' AND g.subject_id = c.id AND g.user_id = $2) THEN 1 ELSE 0 END AS granted \
         FROM cases c LEFT JOIN tenancies t ON t.id = c.tenancy_id LEFT JOIN properties p ON p.id = COALESCE(c.property_id, t.property_id) \
         LEFT JOIN patches pa ON pa.id = p.patch_id JOIN area_teams a ON a.id = c.area_team_id LEFT JOIN users u ON u.id = c.owner_id \
         WHERE c.reference = $1",
    )
    .bind(reference)
    .bind(viewer_id)
    .fetch_optional(&db.pool)
    .await
    .map_err(internal)?
    else {
        return Ok(None);
    };
    let id = i(&c, "id");
    let actions = sqlx::query::<Any>("SELECT * FROM plan_actions WHERE case_id = $1 ORDER BY CASE WHEN status = 'open' THEN 0 ELSE 1 END, due_on, id")
        .bind(id)
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?
        .iter()
        .map(action_view)
        .collect::<Result<_, _>>()?;
    let restricted = i(&c, "restricted") != 0;
    let detail = CaseDetail {
        reference: s(&c, "reference"),
        kind: CaseKind::parse(&s(&c, "kind")).unwrap_or(CaseKind::Vulnerability),
        title: s(&c, "title"),
        summary: s(&c, "summary"),
        status: code(&c, "status", app::domain::CaseStatus::parse)?,
        restricted,
        tenancy_reference: os(&c, "tenancy_reference"),
        address: match (os(&c, "address_line1"), os(&c, "postcode")) {
            (Some(a), Some(p)) => format!("{a}, {p}"),
            _ => String::new(),
        },
        area_team: s(&c, "area_team"),
        patch: os(&c, "patch"),
        owner: os(&c, "owner_name").zip(Role::parse(&s(&c, "owner_role"))).map(|(name, role)| OwnerView { name, role }),
        opened_at: instant(&c, "opened_at")?,
        due_at: oinstant(&c, "due_at")?,
        clock: None,
        version: i(&c, "version"),
        plan_agreed_on: oday(&c, "plan_agreed_on")?,
        next_review_on: oday(&c, "next_review_on")?,
        actions,
        workflow: super::workflow::case_items(db, id).await?,
        history: transfer_history(db, "case", id).await?,
        can_refer: false,
        can_hand_back: false,
        can_edit_plan: false,
        can_escalate: false,
        sustainable_officers: vec![],
        complaint: None,
    };
    Ok(Some(CaseRecord {
        id,
        scope: RecordScope { area_team_id: i(&c, "area_team_id"), owner_id: oi(&c, "owner_id"), restricted, granted: i(&c, "granted") != 0, duty: false },
        version: i(&c, "version"),
        patch_officer_id: oi(&c, "patch_officer_id"),
        complaint: if s(&c, "kind") == CaseKind::Complaint.as_str() { Some(super::complaints::complaint_of(db, id).await?) } else { None },
        detail,
    }))
}

pub async fn officers(db: &Db, area_team_id: i64, role: Option<Role>) -> Result<Vec<OfficerOption>, AppError> {
    let filter = match role {
        Some(_) => "u.role = $2",
        None => "u.role IN ('introductory_hmo', 'community_hmo', 'sustainable_hmo', 'team_leader') AND $2 = $2",
    };
    let rows = sqlx::query::<Any>(&format!(
        "SELECT u.id, u.display_name, u.role, \
           (SELECT COUNT(*) FROM cases c WHERE c.owner_id = u.id AND c.status = 'open') AS open_cases, \
           (SELECT COUNT(*) FROM tenancies t WHERE t.owner_id = u.id AND t.status = 'active') AS tenancies \
         FROM users u WHERE u.area_team_id = $1 AND u.active = 1 AND {filter} ORDER BY u.role, u.display_name"
    ))
    .bind(area_team_id)
    .bind(role.map(|r| r.as_str()).unwrap_or(""))
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|r| {
            Ok(OfficerOption {
                id: i(r, "id"),
                name: s(r, "display_name"),
                role: code(r, "role", Role::parse)?,
                open_cases: i(r, "open_cases"),
                tenancies: i(r, "tenancies"),
            })
        })
        .collect()
}

/// Adds an action to a plan; its audit entry's detail starts with the new action's id.
pub async fn add_plan_action(db: &Db, a: NewPlanAction, mut audit: AuditEntry) -> Result<i64, AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let row = sqlx::query::<Any>(
        "INSERT INTO plan_actions (case_id, description, owner_kind, owner_name, due_on, status, created_by, created_at, version) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, 1) RETURNING id",
    )
    .bind(a.case_id)
    .bind(a.description)
    .bind(a.owner_kind)
    .bind(a.owner_name)
    .bind(a.due_on.to_string())
    .bind(a.created_by)
    .bind(now_rfc3339())
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    audit.detail = format!("action {}, {}", i(&row, "id"), audit.detail);
    super::commit_audited(tx, audit, None).await?;
    Ok(i(&row, "id"))
}

pub async fn update_plan_action(db: &Db, action_id: i64, version: i64, status: ActionStatus, note: &str, by: i64, audit: AuditEntry) -> Result<i64, AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let done = sqlx::query::<Any>(
        "UPDATE plan_actions SET status = $1, note = $2, updated_by = $3, updated_at = $4, version = version + 1 WHERE id = $5 AND version = $6",
    )
    .bind(status.as_str())
    .bind(note)
    .bind(by)
    .bind(now_rfc3339())
    .bind(action_id)
    .bind(version)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if done.rows_affected() != 1 {
        return Err(conflict("This action"));
    }
    let row = sqlx::query::<Any>("SELECT case_id FROM plan_actions WHERE id = $1").bind(action_id).fetch_one(&mut *tx).await.map_err(internal)?;
    super::commit_audited(tx, audit, None).await?;
    Ok(i(&row, "case_id"))
}

pub async fn plan_action_case(db: &Db, action_id: i64) -> Result<Option<String>, AppError> {
    let row = sqlx::query::<Any>("SELECT c.reference FROM plan_actions a JOIN cases c ON c.id = a.case_id WHERE a.id = $1")
        .bind(action_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(internal)?;
    Ok(row.map(|r| s(&r, "reference")))
}

pub async fn set_plan(db: &Db, case_id: i64, version: i64, agreed_on: NaiveDate, next_review_on: NaiveDate, audit: AuditEntry) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let done =
        sqlx::query::<Any>("UPDATE cases SET plan_agreed_on = $1, next_review_on = $2, due_at = $3, version = version + 1 WHERE id = $4 AND version = $5")
            .bind(agreed_on.to_string())
            .bind(next_review_on.to_string())
            .bind(format!("{next_review_on}T23:59:59Z"))
            .bind(case_id)
            .bind(version)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
    if done.rows_affected() != 1 {
        return Err(conflict("This case"));
    }
    super::write_audit(&mut *tx, audit, None).await?;
    tx.commit().await.map_err(internal)
}

pub async fn plans(db: &Db, area_team_id: i64, today: NaiveDate) -> Result<Vec<(PlanRow, RecordScope)>, AppError> {
    let rows = sqlx::query::<Any>(
        "SELECT c.reference, c.title, c.restricted, c.area_team_id, c.owner_id, c.plan_agreed_on, c.next_review_on, c.due_at, u.display_name AS owner, \
           (SELECT COUNT(*) FROM plan_actions a WHERE a.case_id = c.id AND a.status = 'open') AS open_actions, \
           (SELECT COUNT(*) FROM plan_actions a WHERE a.case_id = c.id AND a.status = 'open' AND a.due_on < $2) AS overdue_actions \
         FROM cases c JOIN users u ON u.id = c.owner_id \
         WHERE c.area_team_id = $1 AND c.status = 'open' AND c.owner_role = 'sustainable_hmo' \
         ORDER BY c.due_at, c.reference LIMIT 500",
    )
    .bind(area_team_id)
    .bind(today.to_string())
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|r| {
            let restricted = i(r, "restricted") != 0;
            let row = PlanRow {
                case_reference: s(r, "reference"),
                title: s(r, "title"),
                owner: s(r, "owner"),
                plan_agreed_on: oday(r, "plan_agreed_on")?,
                next_review_on: oday(r, "next_review_on")?,
                due_at: oinstant(r, "due_at")?,
                clock: None,
                open_actions: i(r, "open_actions"),
                overdue_actions: i(r, "overdue_actions"),
                restricted,
            };
            Ok((row, RecordScope { area_team_id: i(r, "area_team_id"), owner_id: oi(r, "owner_id"), restricted, granted: false, duty: false }))
        })
        .collect()
}

pub async fn create_cover(db: &Db, c: NewCover, audit: AuditEntry) -> Result<i64, AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    // Serialise cover changes for this officer: bump their row first (a lock on PostgreSQL,
    // the single writer on SQLite), then look for overlaps.
    sqlx::query::<Any>("UPDATE users SET active = active WHERE id = $1").bind(c.absent_user_id).execute(&mut *tx).await.map_err(internal)?;
    let overlapping: i64 = sqlx::query::<Any>(
        "SELECT COUNT(*) FROM covers WHERE (absent_user_id = $1 OR cover_user_id = $1 OR absent_user_id = $2) AND starts_on <= $4 AND ends_on >= $3 AND ended_at IS NULL",
    )
    .bind(c.absent_user_id)
    .bind(c.cover_user_id)
    .bind(c.starts_on.to_string())
    .bind(c.ends_on.to_string())
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?
    .try_get(0)
    .map_err(internal)?;
    if overlapping > 0 {
        return Err(AppError::Conflict(
            "That period overlaps another cover for these officers (the absent officer already has cover, is covering someone, or the cover officer is away). Change the dates or end the other cover first.".into(),
        ));
    }
    let row = sqlx::query::<Any>(
        "INSERT INTO covers (absent_user_id, cover_user_id, starts_on, ends_on, reason, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
    )
    .bind(c.absent_user_id)
    .bind(c.cover_user_id)
    .bind(c.starts_on.to_string())
    .bind(c.ends_on.to_string())
    .bind(c.reason)
    .bind(c.created_by)
    .bind(now_rfc3339())
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    let id = i(&row, "id");
    super::commit_audited(tx, audit, Some(id)).await?;
    Ok(id)
}

pub async fn end_cover(db: &Db, cover_id: i64, audit: AuditEntry) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    sqlx::query::<Any>("UPDATE covers SET ended_at = $1 WHERE id = $2 AND ended_at IS NULL")
        .bind(now_rfc3339())
        .bind(cover_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    super::write_audit(&mut *tx, audit, None).await?;
    tx.commit().await.map_err(internal)
}

const COVER_SELECT: &str = "SELECT cv.id, cv.absent_user_id, cv.cover_user_id, cv.starts_on, cv.ends_on, cv.ended_at, cv.reason, \
       au.display_name AS absent, cu.display_name AS cover, sb.display_name AS set_by, au.area_team_id, \
       (SELECT COUNT(*) FROM workflow_items w WHERE \
          ((w.proposed_by = cv.cover_user_id AND w.proposed_at >= cv.starts_on AND w.proposed_at < cv.ends_on || 'T24') \
            OR (w.decided_by = cv.cover_user_id AND w.decided_at >= cv.starts_on AND w.decided_at < cv.ends_on || 'T24')) \
          AND ((w.subject_type = 'tenancy' AND w.subject_id IN (SELECT id FROM tenancies WHERE owner_id = cv.absent_user_id)) \
            OR (w.subject_type = 'case' AND w.subject_id IN (SELECT id FROM cases WHERE owner_id = cv.absent_user_id)))) AS actions_taken \
     FROM covers cv JOIN users au ON au.id = cv.absent_user_id JOIN users cu ON cu.id = cv.cover_user_id LEFT JOIN users sb ON sb.id = cv.created_by";

fn cover_view(r: &AnyRow, today: NaiveDate) -> Result<CoverView, AppError> {
    let (start, end) = (day(r, "starts_on")?, day(r, "ends_on")?);
    // Stored as an instant; the London day it fell on is what counts.
    let ended_on = os(r, "ended_at").and_then(|t| t.parse::<chrono::DateTime<chrono::Utc>>().ok()).map(|t| app::domain::clock::to_london(t).date_naive());
    let state = app::domain::cover::state(start, end, ended_on, today);
    Ok(CoverView {
        id: i(r, "id"),
        absent: s(r, "absent"),
        absent_id: i(r, "absent_user_id"),
        cover: s(r, "cover"),
        cover_id: i(r, "cover_user_id"),
        starts_on: start,
        ends_on: end,
        ended_on,
        reason: s(r, "reason"),
        set_by: os(r, "set_by"),
        state,
        actions_taken: i(r, "actions_taken"),
    })
}

pub async fn covers<'c>(
    ex: impl Executor<'c, Database = Any>,
    area_team_id: Option<i64>,
    user_id: Option<i64>,
    since: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<CoverView>, AppError> {
    let sql = format!(
        "{COVER_SELECT} WHERE (cv.ends_on >= $1 OR cv.ended_at >= $1) AND ($2 = 0 OR au.area_team_id = $2) AND ($3 = 0 OR cv.absent_user_id = $3 OR cv.cover_user_id = $3) \
         ORDER BY cv.starts_on, cv.id"
    );
    let rows =
        sqlx::query::<Any>(&sql).bind(since.to_string()).bind(area_team_id.unwrap_or(0)).bind(user_id.unwrap_or(0)).fetch_all(ex).await.map_err(internal)?;
    rows.iter().map(|r| cover_view(r, today)).collect()
}

pub async fn cover(db: &Db, cover_id: i64, today: chrono::NaiveDate) -> Result<Option<(CoverView, i64)>, AppError> {
    let row = sqlx::query::<Any>(&format!("{COVER_SELECT} WHERE cv.id = $1")).bind(cover_id).fetch_optional(&db.pool).await.map_err(internal)?;
    row.map(|r| Ok((cover_view(&r, today)?, i(&r, "area_team_id")))).transpose()
}

pub async fn user_facts(db: &Db, user_id: i64) -> Result<Option<CoverParty>, AppError> {
    let row = sqlx::query::<Any>("SELECT id, role, area_team_id FROM users WHERE id = $1 AND active = 1")
        .bind(user_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(internal)?;
    Ok(row.and_then(|r| Some(CoverParty { user_id: i(&r, "id"), role: Role::parse(&s(&r, "role"))?, area_team_id: oi(&r, "area_team_id") })))
}

#[async_trait]
impl CaseStore for SqlStore {
    async fn case_record(&self, reference: &str, viewer_id: i64) -> Result<Option<CaseRecord>, AppError> {
        case_record(&self.db, reference, viewer_id).await
    }
    async fn officers(&self, area_team_id: i64, role: Option<Role>) -> Result<Vec<OfficerOption>, AppError> {
        officers(&self.db, area_team_id, role).await
    }
    async fn add_plan_action(&self, action: NewPlanAction, audit: AuditEntry) -> Result<i64, AppError> {
        add_plan_action(&self.db, action, audit).await
    }
    async fn update_plan_action(&self, action_id: i64, version: i64, status: ActionStatus, note: &str, by: i64, audit: AuditEntry) -> Result<i64, AppError> {
        update_plan_action(&self.db, action_id, version, status, note, by, audit).await
    }
    async fn plan_action_case(&self, action_id: i64) -> Result<Option<String>, AppError> {
        plan_action_case(&self.db, action_id).await
    }
    async fn record_complaint_step(
        &self,
        case_id: i64,
        version: i64,
        step: &app::domain::complaint::ComplaintStep,
        due_on: Option<NaiveDate>,
        audit: AuditEntry,
    ) -> Result<(), AppError> {
        super::complaints::record_step(&self.db, case_id, version, step, due_on, audit).await
    }
    async fn complaints(&self, area_team_id: Option<i64>) -> Result<Vec<(NaiveDate, Vec<app::domain::complaint::ComplaintStep>)>, AppError> {
        super::complaints::complaints(&self.db, area_team_id).await
    }
    async fn rented_homes(&self, area_team_id: Option<i64>) -> Result<u64, AppError> {
        super::complaints::rented_homes(&self.db, area_team_id).await
    }
    async fn set_plan(&self, case_id: i64, version: i64, agreed_on: NaiveDate, next_review_on: NaiveDate, audit: AuditEntry) -> Result<(), AppError> {
        set_plan(&self.db, case_id, version, agreed_on, next_review_on, audit).await
    }
    async fn plans(&self, area_team_id: i64, today: NaiveDate) -> Result<Vec<(PlanRow, RecordScope)>, AppError> {
        plans(&self.db, area_team_id, today).await
    }
    async fn create_cover(&self, cover: NewCover, audit: AuditEntry) -> Result<i64, AppError> {
        create_cover(&self.db, cover, audit).await
    }
    async fn end_cover(&self, cover_id: i64, audit: AuditEntry) -> Result<(), AppError> {
        end_cover(&self.db, cover_id, audit).await
    }
    async fn covers(&self, area_team_id: Option<i64>, user_id: Option<i64>, since: NaiveDate) -> Result<Vec<CoverView>, AppError> {
        covers(&self.db.pool, area_team_id, user_id, since, self.today()).await
    }
    async fn cover(&self, cover_id: i64) -> Result<Option<(CoverView, i64)>, AppError> {
        cover(&self.db, cover_id, self.today()).await
    }
}
