//! API tokens for integrations: random 256-bit secrets shown once, stored as SHA-256 hashes.

use app::domain::access::Principal;
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row};

use crate::db::Db;
use crate::store::now_rfc3339;

pub const TOKEN_HOURS: i64 = 12;

pub fn hash_token(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Creates a token for `user_id` (sign-in tokens: 12 hours); returns the secret (never stored) and its expiry.
pub async fn issue(db: &Db, user_id: i64, name: &str) -> Result<(String, String), sqlx::Error> {
    let (_, token, expires) = issue_until(db, user_id, name, chrono::Utc::now() + chrono::Duration::hours(TOKEN_HOURS)).await?;
    Ok((token, expires))
}

/// An integration token issued by an administrator, lasting `days`; returns its id, the secret and its expiry.
pub async fn issue_for_days(db: &Db, user_id: i64, name: &str, days: i64) -> Result<(i64, String, String), sqlx::Error> {
    issue_until(db, user_id, name, chrono::Utc::now() + chrono::Duration::days(days)).await
}

async fn issue_until(db: &Db, user_id: i64, name: &str, until: chrono::DateTime<chrono::Utc>) -> Result<(i64, String, String), sqlx::Error> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = format!("hth_{}", base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    let expires = until.format("%Y-%m-%dT%H:%M:%SZ").to_string();
    let row = sqlx::query::<Any>("INSERT INTO api_tokens (token_hash, user_id, name, created_at, expires_at) VALUES ($1, $2, $3, $4, $5) RETURNING id")
        .bind(hash_token(&token))
        .bind(user_id)
        .bind(name.to_string())
        .bind(now_rfc3339())
        .bind(expires.clone())
        .fetch_one(&db.pool)
        .await?;
    Ok((row.try_get("id")?, token, expires))
}

pub async fn principal_for_token(db: &Db, token: &str) -> Option<Principal> {
    let row = sqlx::query::<Any>("SELECT user_id FROM api_tokens WHERE token_hash = $1 AND revoked_at IS NULL AND expires_at > $2")
        .bind(hash_token(token))
        .bind(now_rfc3339())
        .fetch_optional(&db.pool)
        .await
        .ok()??;
    let user_id: i64 = row.try_get("user_id").ok()?;
    super::load_principal(db, user_id).await
}

#[cfg(test)]
mod tests {
    #[test]
    fn hashes_are_hex_sha256() {
        let h = super::hash_token("abc");
        assert_eq!(h, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }
}
