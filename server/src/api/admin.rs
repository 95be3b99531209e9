//! `/api/v1/admin`: administrators register partner agencies and their users, and issue and
//! revoke the API tokens agencies' systems use. Every change is audited.

use app::api::RequestMeta;
use app::api::store::AuditEntry;
use app::domain::access::Principal;
use app::domain::{AgencyKind, Role};
use app::error::AppError;
use axum::Extension;
use axum::extract::{Path, State};
use axum::response::Response;
use serde::{Deserialize, Serialize};
use sqlx::{Any, Row};

use super::{ErrorBody, JsonIn, SignedIn, reply};
use crate::state::AppState;
use crate::store::{internal, now_rfc3339};

fn admin_only(who: &Principal) -> Result<(), AppError> {
    if who.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden("Only administrators manage agencies, their users and API tokens.".into())) }
}

async fn audit(state: &AppState, who: &Principal, ip: &str, action: &str, subject_type: &str, id: i64, detail: String) -> Result<(), AppError> {
    state
        .store
        .audit(AuditEntry { user_id: Some(who.user_id), username: who.username.clone(), action: action.into(), subject_type: subject_type.into(), subject_id: Some(id), outcome: "allowed".into(), reason: String::new(), detail, ip: ip.into() })
        .await
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AgencyUser {
    pub username: String,
    pub display_name: String,
    pub active: bool,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AgencyAdmin {
    pub id: i64,
    pub name: String,
    /// adult_social_care, police, mental_health, mediation, childrens_services, fire, drug_intervention, financial_inclusion, marac.
    pub kind: String,
    pub team: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub active: bool,
    pub users: Vec<AgencyUser>,
}

/// Every agency with its users.
#[utoipa::path(get, path = "/api/v1/admin/agencies", tag = "admin", security(("bearer" = [])), responses((status = 200, body = Vec<AgencyAdmin>), (status = 403, body = ErrorBody)))]
pub async fn agencies(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(list_agencies(&state, &who).await)
}

async fn list_agencies(state: &AppState, who: &Principal) -> Result<Vec<AgencyAdmin>, AppError> {
    admin_only(who)?;
    let pool = &state.db.pool;
    let users = sqlx::query::<Any>("SELECT agency_id, username, display_name, active FROM users WHERE agency_id IS NOT NULL ORDER BY username").fetch_all(pool).await.map_err(internal)?;
    let rows = sqlx::query::<Any>("SELECT id, name, kind, team, contact_email, contact_phone, active FROM agencies ORDER BY name").fetch_all(pool).await.map_err(internal)?;
    Ok(rows
        .iter()
        .map(|r| {
            let id: i64 = r.get("id");
            AgencyAdmin {
                id,
                name: r.get("name"),
                kind: r.get("kind"),
                team: r.get("team"),
                contact_email: r.get("contact_email"),
                contact_phone: r.get("contact_phone"),
                active: r.get::<i64, _>("active") != 0,
                users: users
                    .iter()
                    .filter(|u| u.get::<Option<i64>, _>("agency_id") == Some(id))
                    .map(|u| AgencyUser { username: u.get("username"), display_name: u.get("display_name"), active: u.get::<i64, _>("active") != 0 })
                    .collect(),
            }
        })
        .collect())
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewAgency {
    pub name: String,
    /// One of the agency kinds (see AgencyAdmin.kind).
    pub kind: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
}

/// Register a partner agency.
#[utoipa::path(post, path = "/api/v1/admin/agencies", tag = "admin", request_body = NewAgency, security(("bearer" = [])),
    responses((status = 200, body = Vec<AgencyAdmin>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_agency(State(state): State<AppState>, SignedIn(who): SignedIn, Extension(meta): Extension<RequestMeta>, JsonIn(a): JsonIn<NewAgency>) -> Response {
    reply(
        async {
            admin_only(&who)?;
            let name = a.name.trim();
            if name.is_empty() || name.chars().count() > 200 {
                return Err(AppError::Invalid("Give the agency's name (up to 200 characters).".into()));
            }
            let kind = AgencyKind::parse(a.kind.trim()).ok_or_else(|| AppError::Invalid(format!("\"{}\" is not an agency kind: use one of {}.", a.kind, AgencyKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", "))))?;
            let exists = sqlx::query::<Any>("SELECT id FROM agencies WHERE name = $1").bind(name.to_string()).fetch_optional(&state.db.pool).await.map_err(internal)?;
            if exists.is_some() {
                return Err(AppError::Conflict(format!("An agency called \"{name}\" is already registered.")));
            }
            let row = sqlx::query::<Any>("INSERT INTO agencies (name, kind, team, contact_email, contact_phone, active) VALUES ($1, $2, $3, $4, $5, 1) RETURNING id")
                .bind(name.to_string())
                .bind(kind.as_str())
                .bind(a.team.trim().to_string())
                .bind(a.contact_email.trim().to_string())
                .bind(a.contact_phone.trim().to_string())
                .fetch_one(&state.db.pool)
                .await
                .map_err(internal)?;
            audit(&state, &who, &meta.ip, "create_agency", "agency", row.get("id"), name.to_string()).await?;
            list_agencies(&state, &who).await
        }
        .await,
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewAgencyUser {
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    /// At least 12 characters.
    pub password: String,
}

/// Add a user to an agency: they sign in to the partner view and see only the agency's referrals.
#[utoipa::path(post, path = "/api/v1/admin/agencies/{id}/users", tag = "admin", params(("id" = i64, Path)), request_body = NewAgencyUser, security(("bearer" = [])),
    responses((status = 200, body = Vec<AgencyAdmin>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_agency_user(State(state): State<AppState>, SignedIn(who): SignedIn, Extension(meta): Extension<RequestMeta>, Path(id): Path<i64>, JsonIn(u): JsonIn<NewAgencyUser>) -> Response {
    reply(
        async {
            admin_only(&who)?;
            let pool = &state.db.pool;
            sqlx::query::<Any>("SELECT id FROM agencies WHERE id = $1").bind(id).fetch_optional(pool).await.map_err(internal)?.ok_or_else(|| AppError::NotFound(format!("Agency {id}")))?;
            let username = u.username.trim().to_lowercase();
            let mut problems = Vec::new();
            if username.len() < 3 || username.len() > 64 || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
                problems.push("The username must be 3 to 64 letters, digits, dots, dashes or underscores.");
            }
            if u.display_name.trim().is_empty() {
                problems.push("Give the person's name.");
            }
            if u.password.chars().count() < 12 {
                problems.push("The password must be at least 12 characters.");
            }
            if !problems.is_empty() {
                return Err(AppError::Invalid(problems.join(" ")));
            }
            if sqlx::query::<Any>("SELECT id FROM users WHERE username = $1").bind(username.clone()).fetch_optional(pool).await.map_err(internal)?.is_some() {
                return Err(AppError::Conflict(format!("The username \"{username}\" is taken.")));
            }
            let hash = crate::auth::password::hash_password(&u.password);
            let row = sqlx::query::<Any>("INSERT INTO users (username, display_name, email, password_hash, role, agency_id, active, created_at) VALUES ($1, $2, $3, $4, 'partner', $5, 1, $6) RETURNING id")
                .bind(username.clone())
                .bind(u.display_name.trim().to_string())
                .bind(u.email.trim().to_string())
                .bind(hash)
                .bind(id)
                .bind(now_rfc3339())
                .fetch_one(pool)
                .await
                .map_err(internal)?;
            audit(&state, &who, &meta.ip, "create_agency_user", "user", row.get("id"), format!("{username} in agency {id}")).await?;
            list_agencies(&state, &who).await
        }
        .await,
    )
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewToken {
    /// The agency user the token acts as.
    pub username: String,
    /// What it is for, e.g. "Case management system".
    pub name: String,
    /// Days until it expires (1 to 365).
    pub days: i64,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct IssuedToken {
    pub id: i64,
    /// Shown once: only its hash is kept.
    pub token: String,
    pub expires_at: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct TokenView {
    pub id: i64,
    pub username: String,
    pub agency: Option<String>,
    pub name: String,
    pub created_at: String,
    pub expires_at: String,
    pub revoked_at: Option<String>,
}

/// API tokens issued to agency users, newest first.
#[utoipa::path(get, path = "/api/v1/admin/tokens", tag = "admin", security(("bearer" = [])), responses((status = 200, body = Vec<TokenView>), (status = 403, body = ErrorBody)))]
pub async fn tokens(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(
        async {
            admin_only(&who)?;
            let rows = sqlx::query::<Any>(
                "SELECT t.id, u.username, a.name AS agency, t.name, t.created_at, t.expires_at, t.revoked_at FROM api_tokens t JOIN users u ON u.id = t.user_id \
                 LEFT JOIN agencies a ON a.id = u.agency_id WHERE u.role = 'partner' ORDER BY t.id DESC",
            )
            .fetch_all(&state.db.pool)
            .await
            .map_err(internal)?;
            Ok(rows
                .iter()
                .map(|r| TokenView { id: r.get("id"), username: r.get("username"), agency: r.get("agency"), name: r.get("name"), created_at: r.get("created_at"), expires_at: r.get("expires_at"), revoked_at: r.get("revoked_at") })
                .collect::<Vec<_>>())
        }
        .await,
    )
}

/// Issue an API token for an agency user: it reaches only that agency's referrals.
#[utoipa::path(post, path = "/api/v1/admin/tokens", tag = "admin", request_body = NewToken, security(("bearer" = [])),
    responses((status = 200, body = IssuedToken), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn issue_token(State(state): State<AppState>, SignedIn(who): SignedIn, Extension(meta): Extension<RequestMeta>, JsonIn(t): JsonIn<NewToken>) -> Response {
    reply(
        async {
            admin_only(&who)?;
            if !(1..=365).contains(&t.days) {
                return Err(AppError::Invalid("A token lasts from 1 to 365 days.".into()));
            }
            if t.name.trim().is_empty() || t.name.chars().count() > 200 {
                return Err(AppError::Invalid("Say what the token is for (up to 200 characters).".into()));
            }
            let user = sqlx::query::<Any>("SELECT id, role FROM users WHERE username = $1 AND active = 1")
                .bind(t.username.trim().to_lowercase())
                .fetch_optional(&state.db.pool)
                .await
                .map_err(internal)?
                .ok_or_else(|| AppError::Invalid(format!("There is no active user \"{}\".", t.username.trim())))?;
            if user.get::<String, _>("role") != Role::Partner.as_str() {
                return Err(AppError::Invalid("Tokens issued here are for agency users; officers sign in for their own tokens.".into()));
            }
            let (id, token, expires_at) = crate::auth::tokens::issue_for_days(&state.db, user.get("id"), t.name.trim(), t.days).await.map_err(internal)?;
            audit(&state, &who, &meta.ip, "issue_api_token", "api_token", id, format!("{} for {}", t.name.trim(), t.username.trim())).await?;
            Ok(IssuedToken { id, token, expires_at })
        }
        .await,
    )
}

/// Revoke an API token: it stops working at once.
#[utoipa::path(delete, path = "/api/v1/admin/tokens/{id}", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(State(state): State<AppState>, SignedIn(who): SignedIn, Extension(meta): Extension<RequestMeta>, Path(id): Path<i64>) -> Response {
    let done = async {
        admin_only(&who)?;
        let r = sqlx::query::<Any>("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL").bind(now_rfc3339()).bind(id).execute(&state.db.pool).await.map_err(internal)?;
        if r.rows_affected() == 0 {
            return Err(AppError::NotFound(format!("Unrevoked token {id}")));
        }
        audit(&state, &who, &meta.ip, "revoke_api_token", "api_token", id, String::new()).await
    }
    .await;
    match done {
        Ok(()) => tokens(State(state), SignedIn(who)).await,
        Err(e) => super::app_error(e),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// referral, tenancy or case.
    pub subject_type: String,
    /// The record's reference, e.g. REF300123.
    pub reference: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct AuditRow {
    pub at: String,
    pub username: String,
    pub action: String,
    /// allowed, or denied:<why>.
    pub outcome: String,
    /// The reason the viewer gave (restricted records).
    pub reason: String,
    pub detail: String,
}

/// Who viewed or changed one record, and why: the access report a council gives its Data
/// Protection Officer or a tenant's subject access request.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditRow>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn audit_trail(State(state): State<AppState>, SignedIn(who): SignedIn, Extension(meta): Extension<RequestMeta>, axum::extract::Query(q): axum::extract::Query<AuditQuery>) -> Response {
    reply(
        async {
            admin_only(&who)?;
            let table = match q.subject_type.as_str() {
                "referral" => "referrals",
                "tenancy" => "tenancies",
                "case" => "cases",
                other => return Err(AppError::Invalid(format!("\"{other}\" is not a subject type: use referral, tenancy or case."))),
            };
            let reference = q.reference.trim().to_uppercase();
            let id: i64 = sqlx::query::<Any>(&format!("SELECT id FROM {table} WHERE reference = $1"))
                .bind(reference.clone())
                .fetch_optional(&state.db.pool)
                .await
                .map_err(internal)?
                .ok_or_else(|| AppError::NotFound(reference.clone()))?
                .get("id");
            audit(&state, &who, &meta.ip, "read_audit_trail", &q.subject_type, id, reference).await?;
            let rows = sqlx::query::<Any>("SELECT at, username, action, outcome, reason, detail FROM audit_log WHERE subject_type = $1 AND subject_id = $2 ORDER BY id")
                .bind(q.subject_type.clone())
                .bind(id)
                .fetch_all(&state.db.pool)
                .await
                .map_err(internal)?;
            Ok(rows
                .iter()
                .map(|r| AuditRow { at: r.get("at"), username: r.get("username"), action: r.get("action"), outcome: r.get("outcome"), reason: r.get("reason"), detail: r.get("detail") })
                .collect::<Vec<_>>())
        }
        .await,
    )
}
