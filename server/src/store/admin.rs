//! Storage for administration: agencies and their users, integration tokens, a record's audit trail.

use app::api::admin::store::{NewAgency, NewAgencyUser};

use app::api::kit::store::AuditEntry;
use app::error::AppError;
use app::model::*;
use sqlx::Any;

use super::SqlStore;
use super::{code, i, instant, internal, now_rfc3339, oi, oinstant, os, s};
use crate::db::Db;
use app::api::admin::store::AdminStore;
use async_trait::async_trait;

pub async fn agencies(db: &Db) -> Result<Vec<AgencyAdmin>, AppError> {
    let users = sqlx::query::<Any>("SELECT agency_id, username, display_name, active FROM users WHERE agency_id IS NOT NULL ORDER BY username")
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?;
    let rows = sqlx::query::<Any>("SELECT id, name, kind, team, contact_email, contact_phone, active FROM agencies ORDER BY name")
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?;
    rows.iter()
        .map(|r| {
            let id = i(r, "id");
            Ok(AgencyAdmin {
                id,
                name: s(r, "name"),
                kind: code(r, "kind", app::domain::AgencyKind::parse)?,
                team: s(r, "team"),
                contact_email: s(r, "contact_email"),
                contact_phone: s(r, "contact_phone"),
                active: i(r, "active") != 0,
                users: users
                    .iter()
                    .filter(|u| oi(u, "agency_id") == Some(id))
                    .map(|u| AgencyUser { username: s(u, "username"), display_name: s(u, "display_name"), active: i(u, "active") != 0 })
                    .collect(),
            })
        })
        .collect()
}

pub async fn create_agency(db: &Db, a: NewAgency, audit: AuditEntry) -> Result<i64, AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    if sqlx::query::<Any>("SELECT id FROM agencies WHERE name = $1").bind(a.name.clone()).fetch_optional(&mut *tx).await.map_err(internal)?.is_some() {
        return Err(AppError::Conflict(format!("An agency called \"{}\" is already registered.", a.name)));
    }
    let row = sqlx::query::<Any>("INSERT INTO agencies (name, kind, team, contact_email, contact_phone, active) VALUES ($1, $2, $3, $4, $5, 1) RETURNING id")
        .bind(a.name)
        .bind(a.kind)
        .bind(a.team)
        .bind(a.contact_email)
        .bind(a.contact_phone)
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
    let id = i(&row, "id");
    super::commit_audited(tx, audit, Some(id)).await?;
    Ok(id)
}

pub async fn create_agency_user(db: &Db, u: NewAgencyUser, audit: AuditEntry) -> Result<i64, AppError> {
    let hash = crate::auth::password::hash_password(&u.password);
    let mut tx = db.pool.begin().await.map_err(internal)?;
    if sqlx::query::<Any>("SELECT id FROM agencies WHERE id = $1").bind(u.agency_id).fetch_optional(&mut *tx).await.map_err(internal)?.is_none() {
        return Err(AppError::NotFound(format!("Agency {}", u.agency_id)));
    }
    if sqlx::query::<Any>("SELECT id FROM users WHERE username = $1").bind(u.username.clone()).fetch_optional(&mut *tx).await.map_err(internal)?.is_some() {
        return Err(AppError::Conflict(format!("The username \"{}\" is taken.", u.username)));
    }
    let row = sqlx::query::<Any>("INSERT INTO users (username, display_name, email, password_hash, role, agency_id, active, created_at) VALUES ($1, $2, $3, $4, 'partner', $5, 1, $6) RETURNING id")
        .bind(u.username)
        .bind(u.display_name)
        .bind(u.email)
        .bind(hash)
        .bind(u.agency_id)
        .bind(now_rfc3339())
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
    let id = i(&row, "id");
    super::commit_audited(tx, audit, Some(id)).await?;
    Ok(id)
}

pub async fn tokens(db: &Db) -> Result<Vec<TokenView>, AppError> {
    let rows = sqlx::query::<Any>(
        "SELECT t.id, u.username, a.name AS agency, t.name, t.created_at, t.expires_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.role = 'partner' ORDER BY t.id DESC",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|r| {
            Ok(TokenView {
                id: i(r, "id"),
                username: s(r, "username"),
                agency: os(r, "agency"),
                name: s(r, "name"),
                created_at: instant(r, "created_at")?,
                expires_at: instant(r, "expires_at")?,
                revoked_at: oinstant(r, "revoked_at")?,
            })
        })
        .collect()
}

/// An integration token lasting `days`, issued by an administrator (audited with it).
pub async fn issue_token(db: &Db, user_id: i64, name: &str, days: i64, audit: AuditEntry) -> Result<IssuedToken, AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    // Whole seconds, as stored (and as every instant Hearth sends).
    let until = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now() + chrono::Duration::days(days), 0);
    let (id, token, _) = insert_token(&mut tx, user_id, name, until).await?;
    super::commit_audited(tx, audit, Some(id)).await?;
    Ok(IssuedToken { id, token, expires_at: until })
}

/// A sign-in token (`POST /api/v1/auth/token`) for `user_id`, lasting `auth::tokens::TOKEN_HOURS`:
/// the secret (never stored) and its expiry.
pub async fn issue_sign_in_token(db: &Db, user_id: i64, name: &str) -> Result<(String, String), AppError> {
    let mut conn = db.pool.acquire().await.map_err(internal)?;
    let (_, token, expires) = insert_token(&mut conn, user_id, name, chrono::Utc::now() + chrono::Duration::hours(crate::auth::tokens::TOKEN_HOURS)).await?;
    Ok((token, expires))
}

/// Stores a fresh token's hash; returns its id, the secret and its expiry.
async fn insert_token(
    conn: &mut sqlx::AnyConnection,
    user_id: i64,
    name: &str,
    until: chrono::DateTime<chrono::Utc>,
) -> Result<(i64, String, String), AppError> {
    let token = crate::auth::tokens::new_token();
    let expires = until.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let row = sqlx::query::<Any>("INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(crate::auth::tokens::hash_token(&token))
        .bind(user_id)
        .bind(name.to_string())
        .bind(now_rfc3339())
        .bind(expires.clone())
        .fetch_one(&mut *conn)
        .await
        .map_err(internal)?;
    Ok((i(&row, "id"), token, expires))
}

/// The user an unexpired, unrevoked token belongs to.
pub async fn token_user(db: &Db, token: &str) -> Result<Option<i64>, AppError> {
    let row = sqlx::query::<Any>("SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2")
        .bind(crate::auth::tokens::hash_token(token))
        .bind(now_rfc3339())
        .fetch_optional(&db.pool)
        .await
        .map_err(internal)?;
    Ok(row.map(|r| i(&r, "user_id")))
}

pub async fn revoke_token(db: &Db, id: i64, audit: AuditEntry) -> Result<bool, AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let r = sqlx::query::<Any>("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now_rfc3339())
        .bind(id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    let revoked = r.rows_affected() == 1;
    // Nothing changed, nothing to account for: the service answers NotFound.
    if revoked {
        super::write_audit(&mut *tx, audit, None).await?;
    }
    tx.commit().await.map_err(internal)?;
    Ok(revoked)
}

pub async fn audit_trail(db: &Db, subject_type: &str, reference: &str) -> Result<Option<(i64, Vec<AuditRow>)>, AppError> {
    let table = match subject_type {
        "referral" => "referrals",
        "tenancy" => "tenancies",
        "case" => "cases",
        _ => return Ok(None),
    };
    let Some(row) = sqlx::query::<Any>(&format!("SELECT id FROM {table} WHERE reference = $1"))
        .bind(reference.to_string())
        .fetch_optional(&db.pool)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let id = i(&row, "id");
    // The record's own rows, and those of the proposals, escalations and decisions about it
    // (audited against their workflow item).
    let rows = sqlx::query::<Any>(
        "SELECT at, username, action, outcome, reason, detail FROM audit_log WHERE (subject_type = $1 AND subject_id = $2) \
           OR (subject_type = 'workflow_item' AND subject_id IN (SELECT w.id FROM workflow_items w WHERE w.subject_type = $1 AND w.subject_id = $2)) ORDER BY id",
    )
        .bind(subject_type.to_string())
        .bind(id)
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?;
    Ok(Some((
        id,
        rows.iter()
            .map(|r| {
                Ok(AuditRow {
                    at: instant(r, "at")?,
                    username: s(r, "username"),
                    action: s(r, "action"),
                    outcome: s(r, "outcome"),
                    reason: s(r, "reason"),
                    detail: s(r, "detail"),
                })
            })
            .collect::<Result<_, AppError>>()?,
    )))
}

#[async_trait]
impl AdminStore for SqlStore {
    async fn add_bank_holiday(&self, on: chrono::NaiveDate, name: &str, audit: AuditEntry) -> Result<(), AppError> {
        let mut tx = self.db.pool.begin().await.map_err(internal)?;
        sqlx::query::<Any>("DELETE FROM bank_holidays WHERE holiday_on = $1").bind(on.to_string()).execute(&mut *tx).await.map_err(internal)?;
        sqlx::query::<Any>("INSERT INTO bank_holidays (holiday_on, name) VALUES ($1, $2)")
            .bind(on.to_string())
            .bind(name.to_string())
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        super::commit_audited(tx, audit, None).await?;
        self.calendar.forget();
        Ok(())
    }
    async fn agencies_admin(&self) -> Result<Vec<AgencyAdmin>, AppError> {
        agencies(&self.db).await
    }
    async fn create_agency(&self, a: app::api::admin::store::NewAgency, audit: AuditEntry) -> Result<i64, AppError> {
        create_agency(&self.db, a, audit).await
    }
    async fn create_agency_user(&self, u: app::api::admin::store::NewAgencyUser, audit: AuditEntry) -> Result<i64, AppError> {
        create_agency_user(&self.db, u, audit).await
    }
    async fn api_tokens(&self) -> Result<Vec<TokenView>, AppError> {
        tokens(&self.db).await
    }
    async fn issue_token(&self, user_id: i64, name: &str, days: i64, audit: AuditEntry) -> Result<IssuedToken, AppError> {
        issue_token(&self.db, user_id, name, days, audit).await
    }
    async fn revoke_token(&self, id: i64, audit: AuditEntry) -> Result<bool, AppError> {
        revoke_token(&self.db, id, audit).await
    }
    async fn audit_trail(&self, subject_type: &str, reference: &str) -> Result<Option<(i64, Vec<AuditRow>)>, AppError> {
        audit_trail(&self.db, subject_type, reference).await
    }
}
