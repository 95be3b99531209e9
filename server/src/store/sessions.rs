//! tower-sessions store on Hearth's own database (SQLite or PostgreSQL through `Any`).

use async_trait::async_trait;
use sqlx::{Any, Row};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use crate::db::Db;

#[derive(Clone, Debug)]
pub struct SqlSessionStore {
    db: Db,
}

fn backend(e: impl std::fmt::Display) -> Error {
    Error::Backend(e.to_string())
}

/// Whole-second RFC 3339 in UTC, so stored instants compare correctly as text.
fn instant(t: OffsetDateTime) -> Result<String> {
    t.to_offset(time::UtcOffset::UTC).replace_nanosecond(0).map_err(backend)?.format(&Rfc3339).map_err(backend)
}

impl SqlSessionStore {
    pub fn new(db: Db) -> Self {
        SqlSessionStore { db }
    }

    /// Removes expired sessions; the server calls it periodically.
    pub async fn delete_expired(&self) -> Result<u64> {
        let now = instant(OffsetDateTime::now_utc())?;
        let done = sqlx::query::<Any>("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(&self.db.pool).await.map_err(backend)?;
        Ok(done.rows_affected())
    }
}

#[async_trait]
impl SessionStore for SqlSessionStore {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // A fresh random 128-bit id; retry on the (astronomically unlikely) collision.
        loop {
            let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
            let expires = instant(record.expiry_date)?;
            let inserted = sqlx::query::<Any>("INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) ON CONFLICT (id) DO NOTHING")
                .bind(record.id.to_string())
                .bind(data)
                .bind(expires)
                .execute(&self.db.pool)
                .await
                .map_err(backend)?;
            if inserted.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let expires = instant(record.expiry_date)?;
        sqlx::query::<Any>(
            "INSERT INTO sessions (id, data, expires_at) VALUES ($1, $2, $3) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(expires)
        .execute(&self.db.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        let now = instant(OffsetDateTime::now_utc())?;
        let row = sqlx::query::<Any>("SELECT data, expires_at FROM sessions WHERE id = $1 AND expires_at > $2")
            .bind(id.to_string())
            .bind(now)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(backend)?;
        let Some(row) = row else { return Ok(None) };
        let data: String = row.try_get("data").map_err(backend)?;
        let expires: String = row.try_get("expires_at").map_err(backend)?;
        Ok(Some(Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?,
            expiry_date: OffsetDateTime::parse(&expires, &Rfc3339).map_err(|e| Error::Decode(e.to_string()))?,
        }))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        sqlx::query::<Any>("DELETE FROM sessions WHERE id = $1").bind(id.to_string()).execute(&self.db.pool).await.map_err(backend)?;
        Ok(())
    }
}
