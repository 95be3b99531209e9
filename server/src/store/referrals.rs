//! Storage for referrals to partner agencies: the record, lists, making, moving (versioned: a
//! stale change is a Conflict), the thread and the people named on restricted referrals.

use app::api::kit::store::AuditEntry;

use app::api::referrals::store::{NewReferral, ReferralChange, ReferralFilter, ReferralListed, ReferralRecord};
use app::domain::access::RecordScope;
use app::domain::referral::{self, ReferralScope, SharedFacts, Side};
use app::domain::{AgencyKind, LawfulBasis, ReferralCategory, ReferralStatus, Urgency};
use app::error::AppError;
use app::model::*;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor};

use super::SqlStore;
use super::{code, i, instant, internal, now_rfc3339, oday, oi, oinstant, os, s};
use crate::db::Db;
use app::api::referrals::store::ReferralStore;
use async_trait::async_trait;

/// The columns a listed referral needs (`$1` is the viewer, for grants).
const COLUMNS: &str = "r.id, r.reference, r.tenancy_id, r.agency_id, r.category, r.urgency, r.status, r.restricted, r.created_by, r.area_team_id, \
    r.created_at, r.sent_at, r.due_at, r.shared_data, r.shared_fields, a.name AS agency_name, u.display_name AS referrer, \
    t.reference AS tenancy_reference, p.address_line1, p.postcode, \
    (SELECT m.side FROM referral_messages m WHERE m.referral_id = r.id ORDER BY m.id DESC LIMIT 1) AS last_side, \
    (SELECT MAX(m.created_at) FROM referral_messages m WHERE m.referral_id = r.id) AS last_message_at, \
    CASE WHEN EXISTS (SELECT 1 FROM access_grants g WHERE g.subject_type = 'referral' AND g.subject_id = r.id AND g.user_id = $1) THEN 1 ELSE 0 END AS granted";

const FROM: &str = "FROM referrals r JOIN agencies a ON a.id = r.agency_id JOIN users u ON u.id = r.created_by \
    LEFT JOIN tenancies t ON t.id = r.tenancy_id LEFT JOIN properties p ON p.id = t.property_id";

fn status_of(r: &AnyRow) -> ReferralStatus {
    ReferralStatus::parse(&s(r, "status")).unwrap_or(ReferralStatus::Closed)
}

fn scope(r: &AnyRow) -> ReferralScope {
    ReferralScope {
        agency_id: i(r, "agency_id"),
        status: status_of(r),
        record: RecordScope {
            area_team_id: i(r, "area_team_id"),
            owner_id: oi(r, "created_by"),
            restricted: i(r, "restricted") != 0,
            granted: i(r, "granted") != 0,
            duty: false,
        },
    }
}

fn shared(r: &AnyRow) -> SharedFacts {
    serde_json::from_str(&s(r, "shared_data")).unwrap_or_default()
}

fn fields(r: &AnyRow) -> Vec<referral::SharedField> {
    let codes: Vec<String> = serde_json::from_str(&s(r, "shared_fields")).unwrap_or_default();
    codes.iter().filter_map(|c| referral::SharedField::parse(c)).collect()
}

fn listed(r: &AnyRow) -> Result<ReferralListed, AppError> {
    let address = os(r, "address_line1").map(|a| format!("{a}, {}", s(r, "postcode"))).unwrap_or_default();
    Ok(ReferralListed {
        row: ReferralRow {
            reference: s(r, "reference"),
            agency: s(r, "agency_name"),
            category: ReferralCategory::parse(&s(r, "category")).unwrap_or(ReferralCategory::Support),
            status: status_of(r),
            urgency: Urgency::parse(&s(r, "urgency")).unwrap_or(Urgency::Standard),
            restricted: i(r, "restricted") != 0,
            tenancy_reference: os(r, "tenancy_reference"),
            about: address,
            referrer: s(r, "referrer"),
            created_at: instant(r, "created_at")?,
            sent_at: oinstant(r, "sent_at")?,
            due_at: oinstant(r, "due_at")?,
            clock: None,
            reply_waiting: false,
            last_message_at: oinstant(r, "last_message_at")?,
        },
        shared: shared(r),
        last_side: os(r, "last_side").and_then(|x| Side::parse(&x)),
        scope: scope(r),
    })
}

pub async fn referral_list<'c>(ex: impl Executor<'c, Database = Any>, f: &ReferralFilter, viewer_id: i64) -> Result<Vec<ReferralListed>, AppError> {
    let mut conds: Vec<String> = Vec::new();
    let mut n = 1;
    let mut next = || {
        n += 1;
        n
    };
    let mut binds: Vec<BindVal> = Vec::new();
    if let Some(a) = f.agency_id {
        conds.push(format!("r.agency_id = ${}", next()));
        binds.push(BindVal::I(a));
    }
    if let Some(a) = f.area_team_id {
        conds.push(format!("r.area_team_id = ${}", next()));
        binds.push(BindVal::I(a));
    }
    if let Some(t) = f.tenancy_id {
        conds.push(format!("r.tenancy_id = ${}", next()));
        binds.push(BindVal::I(t));
    }
    if let Some(st) = f.status {
        conds.push(format!("r.status = ${}", next()));
        binds.push(BindVal::S(st.as_str().into()));
    }
    if let Some(ids) = &f.created_by {
        let ph: Vec<String> = ids.iter().map(|_| format!("${}", next())).collect();
        conds.push(format!("r.created_by IN ({})", if ph.is_empty() { "NULL".into() } else { ph.join(", ") }));
        binds.extend(ids.iter().map(|x| BindVal::I(*x)));
    }
    if f.open_only {
        // The live states, as the domain defines them; with `ended_since`, also those declined
        // or closed since then (`closed_at` is the instant they ended, an ISO string).
        let live = format!("r.status IN ({})", referral::OPEN.iter().map(|st| format!("'{}'", st.as_str())).collect::<Vec<_>>().join(", "));
        match &f.ended_since {
            Some(since) => {
                conds.push(format!("({live} OR (r.status IN ('declined', 'closed') AND r.closed_at >= ${}))", next()));
                binds.push(BindVal::S(since.to_string()));
            }
            None => conds.push(live),
        }
    }
    if f.exclude_drafts {
        conds.push("r.status <> 'draft'".into());
    }
    let filter = if conds.is_empty() { String::new() } else { format!("WHERE {}", conds.join(" AND ")) };
    let limit = next();
    let sql = format!("SELECT {COLUMNS} {FROM} {filter} ORDER BY COALESCE(r.sent_at, r.created_at) DESC, r.id DESC LIMIT ${limit}");
    let mut q = sqlx::query::<Any>(&sql).bind(viewer_id);
    for b in binds {
        q = match b {
            BindVal::I(x) => q.bind(x),
            BindVal::S(x) => q.bind(x),
        };
    }
    let rows = q.bind(f.limit.max(1)).fetch_all(ex).await.map_err(internal)?;
    rows.iter().map(listed).collect()
}

enum BindVal {
    I(i64),
    S(String),
}

pub async fn referral_record(db: &Db, reference: &str, viewer_id: i64) -> Result<Option<ReferralRecord>, AppError> {
    let sql = format!(
        "SELECT {COLUMNS}, r.reason, r.lawful_basis, r.consent_given_on, r.consent_how, r.basis_detail, r.contact_name, r.contact_detail, \
           r.responded_at, r.closed_at, r.decline_reason, r.outcome, r.version, c.reference AS case_reference, at.name AS area_team \
         {FROM} LEFT JOIN cases c ON c.id = r.case_id JOIN area_teams at ON at.id = r.area_team_id WHERE r.reference = $2"
    );
    let Some(r) = sqlx::query::<Any>(&sql).bind(viewer_id).bind(reference).fetch_optional(&db.pool).await.map_err(internal)? else {
        return Ok(None);
    };
    let id = i(&r, "id");
    let messages = sqlx::query::<Any>(
        "SELECT m.body, m.side, m.created_at, u.display_name, ag.name AS agency_name \
         FROM referral_messages m JOIN users u ON u.id = m.author_id LEFT JOIN agencies ag ON ag.id = u.agency_id \
         WHERE m.referral_id = $1 ORDER BY m.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?
    .iter()
    .map(|m| {
        Ok(ReferralMessageView {
            author: match os(m, "agency_name") {
                Some(a) => format!("{} ({a})", s(m, "display_name")),
                None => s(m, "display_name"),
            },
            side: code(m, "side", Side::parse)?,
            body: s(m, "body"),
            at: instant(m, "created_at")?,
        })
    })
    .collect::<Result<_, AppError>>()?;
    let named = sqlx::query::<Any>(
        "SELECT u.display_name FROM access_grants g JOIN users u ON u.id = g.user_id WHERE g.subject_type = 'referral' AND g.subject_id = $1 ORDER BY g.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?
    .iter()
    .map(|g| s(g, "display_name"))
    .collect();
    let l = listed(&r)?;
    let basis = LawfulBasis::parse(&s(&r, "lawful_basis")).unwrap_or(LawfulBasis::Consent);
    let row = l.row;
    let detail = ReferralDetail {
        reference: row.reference,
        status: row.status,
        agency: row.agency,
        category: row.category,
        urgency: row.urgency,
        reason: s(&r, "reason"),
        restricted: row.restricted,
        shared: l.shared,
        shared_fields: fields(&r),
        lawful_basis: basis,
        consent_given_on: oday(&r, "consent_given_on")?,
        basis_detail: if basis == LawfulBasis::Consent { os(&r, "consent_how").unwrap_or_default() } else { s(&r, "basis_detail") },
        contact_name: s(&r, "contact_name"),
        contact_detail: s(&r, "contact_detail"),
        referrer: row.referrer,
        created_at: row.created_at,
        sent_at: row.sent_at,
        responded_at: oinstant(&r, "responded_at")?,
        due_at: row.due_at,
        clock: None,
        closed_at: oinstant(&r, "closed_at")?,
        decline_reason: os(&r, "decline_reason"),
        outcome: os(&r, "outcome"),
        messages,
        version: i(&r, "version"),
        viewer_is_agency: false,
        moves: vec![],
        can_post: false,
        tenancy_reference: row.tenancy_reference,
        case_reference: os(&r, "case_reference"),
        area_team: Some(s(&r, "area_team")),
        named,
        can_name: false,
    };
    Ok(Some(ReferralRecord { id, scope: l.scope, detail }))
}

/// Saves a new referral; its audit entry gets the referral's id and, before its detail, its reference.
pub async fn create_referral(db: &Db, r: NewReferral, mut audit: AuditEntry) -> Result<String, AppError> {
    let now = now_rfc3339();
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let codes: Vec<&str> = r.fields.iter().map(|f| f.as_str()).collect();
    let (status, sent_at, due_at, data) = match &r.sent {
        Some((at, due, json)) => (ReferralStatus::Sent, Some(at.clone()), Some(due.clone()), json.clone()),
        None => (ReferralStatus::Draft, None, None, "{}".to_string()),
    };
    let row = sqlx::query::<Any>(
        "INSERT INTO referrals (reference, tenancy_id, case_id, agency_id, category, reason, urgency, shared_fields, lawful_basis, consent_given_on, consent_how, \
           contact_name, contact_detail, status, restricted, created_by, area_team_id, created_at, sent_at, due_at, shared_data, basis_detail, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $18) RETURNING id",
    )
    .bind(format!("NEW-{}", super::feedback::new_token()))
    .bind(r.tenancy_id)
    .bind(r.case_id)
    .bind(r.agency_id)
    .bind(r.category.as_str())
    .bind(r.reason)
    .bind(r.urgency.as_str())
    .bind(serde_json::to_string(&codes).map_err(|_| AppError::Internal)?)
    .bind(r.lawful_basis.as_str())
    .bind(r.consent_given_on.map(|d| d.to_string()))
    .bind(r.consent_how)
    .bind(r.contact_name)
    .bind(r.contact_detail)
    .bind(status.as_str())
    .bind(i64::from(r.restricted))
    .bind(r.created_by)
    .bind(r.area_team_id)
    .bind(now)
    .bind(sent_at)
    .bind(due_at)
    .bind(data)
    .bind(r.basis_detail)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    let id = i(&row, "id");
    let reference = format!("REF{:06}", id + 300_000);
    sqlx::query::<Any>("UPDATE referrals SET reference = $1 WHERE id = $2").bind(reference.clone()).bind(id).execute(&mut *tx).await.map_err(internal)?;
    audit.detail = format!("{reference} {}", audit.detail);
    super::commit_audited(tx, audit, Some(id)).await?;
    Ok(reference)
}

pub async fn change_referral(db: &Db, c: ReferralChange, audit: AuditEntry) -> Result<(), AppError> {
    let now = now_rfc3339();
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let responded = matches!(c.to, ReferralStatus::Accepted | ReferralStatus::Declined) && c.side == Side::Agency;
    let closes = matches!(c.to, ReferralStatus::Closed | ReferralStatus::Declined);
    let (sent_at, due_at, data) = match &c.sent {
        Some((a, d, j)) => (Some(a.clone()), Some(d.clone()), Some(j.clone())),
        None => (None, None, None),
    };
    let done = sqlx::query::<Any>(
        "UPDATE referrals SET status = $1, version = version + 1, updated_at = $2, \
           responded_at = CASE WHEN $3 = 1 THEN $2 ELSE responded_at END, \
           closed_at = CASE WHEN $4 = 1 THEN $2 ELSE closed_at END, \
           decline_reason = CASE WHEN $1 = 'declined' THEN $5 ELSE decline_reason END, \
           outcome = CASE WHEN $1 = 'closed' THEN $5 ELSE outcome END, \
           sent_at = COALESCE($6, sent_at), due_at = COALESCE($7, due_at), shared_data = COALESCE($8, shared_data) \
         WHERE id = $9 AND version = $10 AND status = $11",
    )
    .bind(c.to.as_str())
    .bind(now.clone())
    .bind(i64::from(responded))
    .bind(i64::from(closes))
    .bind(c.text)
    .bind(sent_at)
    .bind(due_at)
    .bind(data)
    .bind(c.id)
    .bind(c.version)
    .bind(c.from.as_str())
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if done.rows_affected() != 1 {
        return Err(AppError::Conflict(
            "This referral has changed since you opened it. Reload the page to see the latest, then try again; nothing you entered was saved.".into(),
        ));
    }
    sqlx::query::<Any>("INSERT INTO referral_messages (referral_id, author_id, body, created_at, side) VALUES ($1, $2, $3, $4, $5)")
        .bind(c.id)
        .bind(c.by)
        .bind(c.note)
        .bind(now)
        .bind(c.side.as_str())
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    super::commit_audited(tx, audit, None).await?;
    Ok(())
}

pub async fn post_message(db: &Db, referral_id: i64, author_id: i64, side: Side, body: &str, audit: AuditEntry) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    sqlx::query::<Any>("INSERT INTO referral_messages (referral_id, author_id, body, created_at, side) VALUES ($1, $2, $3, $4, $5)")
        .bind(referral_id)
        .bind(author_id)
        .bind(body.to_string())
        .bind(now_rfc3339())
        .bind(side.as_str())
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    super::write_audit(&mut *tx, audit, None).await?;
    tx.commit().await.map_err(internal)
}

pub async fn grant(db: &Db, referral_id: i64, user_id: i64, by: i64, audit: AuditEntry) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let exists = sqlx::query::<Any>("SELECT 1 AS x FROM access_grants WHERE subject_type = 'referral' AND subject_id = $1 AND user_id = $2")
        .bind(referral_id)
        .bind(user_id)
        .fetch_optional(&mut *tx)
        .await
        .map_err(internal)?;
    if exists.is_none() {
        sqlx::query::<Any>("INSERT INTO access_grants (subject_type, subject_id, user_id, granted_by, granted_at) VALUES ('referral', $1, $2, $3, $4)")
            .bind(referral_id)
            .bind(user_id)
            .bind(by)
            .bind(now_rfc3339())
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
    }
    // Naming someone already named changes nothing but is still a disclosure decision: audited.
    super::write_audit(&mut *tx, audit, None).await?;
    tx.commit().await.map_err(internal)
}

pub async fn agencies(db: &Db) -> Result<Vec<AgencyOption>, AppError> {
    Ok(sqlx::query::<Any>("SELECT id, name, kind FROM agencies WHERE active = 1 ORDER BY name")
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?
        .iter()
        .filter_map(|r| Some(AgencyOption { id: i(r, "id"), name: s(r, "name"), kind: AgencyKind::parse(&s(r, "kind"))? }))
        .collect())
}

pub async fn user_id_by_username(db: &Db, username: &str) -> Result<Option<i64>, AppError> {
    Ok(sqlx::query::<Any>("SELECT id FROM users WHERE username = $1 AND active = 1")
        .bind(username.to_string())
        .fetch_optional(&db.pool)
        .await
        .map_err(internal)?
        .map(|r| i(&r, "id")))
}

#[async_trait]
impl ReferralStore for SqlStore {
    async fn referral_record(&self, reference: &str, viewer_id: i64) -> Result<Option<app::api::referrals::store::ReferralRecord>, AppError> {
        referral_record(&self.db, reference, viewer_id).await
    }
    async fn referral_list(
        &self,
        filter: &app::api::referrals::store::ReferralFilter,
        viewer_id: i64,
    ) -> Result<Vec<app::api::referrals::store::ReferralListed>, AppError> {
        referral_list(&self.db.pool, filter, viewer_id).await
    }
    async fn create_referral(&self, r: app::api::referrals::store::NewReferral, audit: AuditEntry) -> Result<String, AppError> {
        create_referral(&self.db, r, audit).await
    }
    async fn change_referral(&self, c: app::api::referrals::store::ReferralChange, audit: AuditEntry) -> Result<(), AppError> {
        change_referral(&self.db, c, audit).await
    }
    async fn post_referral_message(
        &self,
        referral_id: i64,
        author_id: i64,
        side: app::domain::referral::Side,
        body: &str,
        audit: AuditEntry,
    ) -> Result<(), AppError> {
        post_message(&self.db, referral_id, author_id, side, body, audit).await
    }
    async fn grant_referral(&self, referral_id: i64, user_id: i64, by: i64, audit: AuditEntry) -> Result<(), AppError> {
        grant(&self.db, referral_id, user_id, by, audit).await
    }
}
