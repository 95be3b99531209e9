//! Users as sign-in and every signed-in request need them: the principal with today's covers,
//! and the credentials a sign-in checks. Rows map through `sqlx::FromRow`.

use app::domain::Role;
use app::domain::access::Principal;
use app::error::AppError;
use sqlx::Any;

use super::internal;
use crate::db::Db;

/// One row per cover the user holds today (or one row with none).
#[derive(sqlx::FromRow)]
struct PrincipalRow {
    id: i64,
    username: String,
    display_name: String,
    role: String,
    area_team_id: Option<i64>,
    area_team: Option<String>,
    agency_id: Option<i64>,
    agency: Option<String>,
    absent_user_id: Option<i64>,
}

/// An active user as a `Principal`, with the absent officers they cover on `today`, in one query
/// (it runs on every signed-in request). None if there is no such active user.
pub async fn principal(db: &Db, user_id: i64, today: chrono::NaiveDate) -> Result<Option<Principal>, AppError> {
    let rows: Vec<PrincipalRow> = sqlx::query_as::<Any, PrincipalRow>(
        "SELECT u.id, u.username, u.display_name, u.role, u.area_team_id, a.name AS area_team, u.agency_id, g.name AS agency, \
           c.absent_user_id \
         FROM users u LEFT JOIN area_teams a ON a.id = u.area_team_id LEFT JOIN agencies g ON g.id = u.agency_id \
           LEFT JOIN covers c ON c.cover_user_id = u.id AND c.starts_on <= $2 AND c.ends_on >= $2 AND c.ended_at IS NULL \
         WHERE u.id = $1 AND u.active = 1 ORDER BY c.absent_user_id",
    )
    .bind(user_id)
    .bind(today.to_string())
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let Some(first) = rows.first() else { return Ok(None) };
    let Some(role) = Role::parse(&first.role) else {
        tracing::error!(user_id, role = %first.role, "a user with a role Hearth does not know");
        return Ok(None);
    };
    Ok(Some(Principal {
        user_id: first.id,
        username: first.username.clone(),
        display_name: first.display_name.clone(),
        role,
        area_team_id: first.area_team_id,
        area_team: first.area_team.clone(),
        agency_id: first.agency_id,
        agency: first.agency.clone(),
        covering: rows.iter().filter_map(|r| r.absent_user_id).collect(),
    }))
}

/// What a sign-in checks a password against.
#[derive(sqlx::FromRow)]
pub struct Credentials {
    pub id: i64,
    pub password_hash: String,
    active: i64,
}

impl Credentials {
    pub fn active(&self) -> bool {
        self.active == 1
    }
}

/// How many wrong passwords an account was given since `since`, through every Hearth process: the
/// audit log is the one record they share. (Signing in is no guess, so it does not count.)
pub async fn sign_in_attempts(db: &Db, username: &str, since: chrono::DateTime<chrono::Utc>) -> Result<i64, AppError> {
    sqlx::query_scalar::<Any, i64>(
        "SELECT COUNT(*) FROM audit_log WHERE action = 'sign_in' AND username = $1 AND at >= $2 AND outcome = 'denied:bad_credentials'",
    )
    .bind(username.trim().to_lowercase())
    .bind(since.format("%Y-%m-%dT%H:%M:%SZ").to_string())
    .fetch_one(&db.pool)
    .await
    .map_err(internal)
}

/// The credentials of a username (case-insensitive), active or not.
pub async fn credentials(db: &Db, username: &str) -> Result<Option<Credentials>, AppError> {
    sqlx::query_as::<Any, Credentials>("SELECT id, password_hash, active FROM users WHERE username = $1")
        .bind(username.to_lowercase())
        .fetch_optional(&db.pool)
        .await
        .map_err(internal)
}

/// Whether the database answers (the health check).
pub async fn answers(db: &Db) -> bool {
    sqlx::query::<Any>("SELECT 1").execute(&db.pool).await.is_ok()
}
