//! Storage for administration: agencies and their users, integration tokens, a record's audit trail.

use app::api::store::{NewAgency, NewAgencyUser};
use app::error::AppError;
use app::model::*;
use sqlx::Any;

use super::{i, internal, now_rfc3339, oi, os, s};
use crate::db::Db;

pub async fn agencies(db: &Db) -> Result<Vec<AgencyAdmin>, AppError> {
    let users = sqlx::query::<Any>("SELECT agency_id, username, display_name, active FROM users WHERE agency_id IS NOT NULL ORDER BY username")
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?;
    let rows = sqlx::query::<Any>("SELECT id, name, kind, team, contact_email, contact_phone, active FROM agencies ORDER BY name")
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?;
    Ok(rows
        .iter()
        .map(|r| {
            let id = i(r, "id");
            AgencyAdmin {
                id,
                name: s(r, "name"),
                kind: s(r, "kind"),
                team: s(r, "team"),
                contact_email: s(r, "contact_email"),
                contact_phone: s(r, "contact_phone"),
                active: i(r, "active") != 0,
                users: users
                    .iter()
                    .filter(|u| oi(u, "agency_id") == Some(id))
                    .map(|u| AgencyUser { username: s(u, "username"), display_name: s(u, "display_name"), active: i(u, "active") != 0 })
                    .collect(),
            }
        })
        .collect())
}

pub async fn create_agency(db: &Db, a: NewAgency) -> Result<i64, AppError> {
    if sqlx::query::<Any>("SELECT id FROM agencies WHERE name = $1").bind(a.name.clone()).fetch_optional(&db.pool).await.map_err(internal)?.is_some() {
        return Err(AppError::Conflict(format!("An agency called \"{}\" is already registered.", a.name)));
    }
    let row = sqlx::query::<Any>("INSERT INTO agencies (name, kind, team, contact_email, contact_phone, active) VALUES ($1, $2, $3, $4, $5, 1) RETURNING id")
        .bind(a.name)
        .bind(a.kind)
        .bind(a.team)
        .bind(a.contact_email)
        .bind(a.contact_phone)
        .fetch_one(&db.pool)
        .await
        .map_err(internal)?;
    Ok(i(&row, "id"))
}

pub async fn create_agency_user(db: &Db, u: NewAgencyUser) -> Result<i64, AppError> {
    let pool = &db.pool;
    if sqlx::query::<Any>("SELECT id FROM agencies WHERE id = $1").bind(u.agency_id).fetch_optional(pool).await.map_err(internal)?.is_none() {
        return Err(AppError::NotFound(format!("Agency {}", u.agency_id)));
    }
    if sqlx::query::<Any>("SELECT id FROM users WHERE username = $1").bind(u.username.clone()).fetch_optional(pool).await.map_err(internal)?.is_some() {
        return Err(AppError::Conflict(format!("The username \"{}\" is taken.", u.username)));
    }
    let hash = crate::auth::password::hash_password(&u.password);
    let row = sqlx::query::<Any>("INSERT INTO users (username, display_name, email, password_hash, role, agency_id, active, created_at) VALUES ($1, $2, $3, $4, 'partner', $5, 1, $6) RETURNING id")
        .bind(u.username)
        .bind(u.display_name)
        .bind(u.email)
        .bind(hash)
        .bind(u.agency_id)
        .bind(now_rfc3339())
        .fetch_one(pool)
        .await
        .map_err(internal)?;
    Ok(i(&row, "id"))
}

pub async fn tokens(db: &Db) -> Result<Vec<TokenView>, AppError> {
    let rows = sqlx::query::<Any>(
        "SELECT t.id, u.username, a.name AS agency, t.name, t.created_at, t.expires_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
         LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.role = 'partner' ORDER BY t.id DESC",
    )
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    Ok(rows
        .iter()
        .map(|r| TokenView {
            id: i(r, "id"),
            username: s(r, "username"),
            agency: os(r, "agency"),
            name: s(r, "name"),
            created_at: s(r, "created_at"),
            expires_at: s(r, "expires_at"),
            revoked_at: os(r, "revoked_at"),
        })
        .collect())
}

pub async fn issue_token(db: &Db, user_id: i64, name: &str, days: i64) -> Result<IssuedToken, AppError> {
    let (id, token, expires_at) = crate::auth::tokens::issue_for_days(db, user_id, name, days).await.map_err(internal)?;
    Ok(IssuedToken { id, token, expires_at })
}

pub async fn revoke_token(db: &Db, id: i64) -> Result<bool, AppError> {
    let r = sqlx::query::<Any>("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
        .bind(now_rfc3339())
        .bind(id)
        .execute(&db.pool)
        .await
        .map_err(internal)?;
    Ok(r.rows_affected() == 1)
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
            .map(|r| AuditRow {
                at: s(r, "at"),
                username: s(r, "username"),
                action: s(r, "action"),
                outcome: s(r, "outcome"),
                reason: s(r, "reason"),
                detail: s(r, "detail"),
            })
            .collect(),
    )))
}
