//! tower-sessions store on Hearth's own database (SQLite or PostgreSQL through `Any`).
//!
//! Sessions expire after a period of inactivity (`Expiry::OnInactivity`, saved on every
//! signed-in request). Rewriting the row on every request would make each page view a database
//! write, so the store remembers what it last wrote for each session and skips a save whose data
//! is unchanged and whose expiry moved less than [`TOUCH_INTERVAL_SECS`]: the idle timeout is
//! then exact to within that interval, and reads stay reads. A save never re-creates a row that
//! is gone, so a sign-out on one request cannot be undone by a concurrent request's save.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use async_trait::async_trait;
use sqlx::{Any, Row};
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{Error, Result, SessionStore};

use crate::db::Db;

/// A session's expiry is rewritten when it has moved at least this far since the last write.
pub const TOUCH_INTERVAL_SECS: i64 = 60;

/// What this process last read or wrote for a session: its data and its stored expiry.
#[derive(Clone, Debug)]
struct Written {
    data: Data,
    expires: OffsetDateTime,
}

#[derive(Clone, Debug)]
pub struct SqlSessionStore {
    db: Db,
    written: Arc<Mutex<HashMap<Id, Written>>>,
}

/// A session's values, as tower-sessions keeps them.
type Data = HashMap<String, serde_json::Value>;

/// Whether a save of `data` expiring at `expires` can be skipped, given what is stored.
fn unchanged(stored: Option<&Written>, data: &Data, expires: OffsetDateTime) -> bool {
    stored.is_some_and(|w| w.data == *data && (expires - w.expires).whole_seconds() < TOUCH_INTERVAL_SECS)
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
        SqlSessionStore { db, written: Arc::default() }
    }

    fn remember(&self, id: Id, data: Data, expires: OffsetDateTime) {
        let mut map = self.written.lock().unwrap_or_else(|e| e.into_inner());
        map.insert(id, Written { data, expires });
    }

    fn forget(&self, id: &Id) {
        self.written.lock().unwrap_or_else(|e| e.into_inner()).remove(id);
    }

    /// Removes expired sessions; the server calls it periodically.
    pub async fn delete_expired(&self) -> Result<u64> {
        let now_at = OffsetDateTime::now_utc();
        let now = instant(now_at)?;
        let done = sqlx::query::<Any>("DELETE FROM sessions WHERE expires_at < $1").bind(now).execute(&self.db.pool).await.map_err(backend)?;
        self.written.lock().unwrap_or_else(|e| e.into_inner()).retain(|_, w| w.expires >= now_at);
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
                self.remember(record.id, record.data.clone(), record.expiry_date);
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> Result<()> {
        let skip = unchanged(self.written.lock().unwrap_or_else(|e| e.into_inner()).get(&record.id), &record.data, record.expiry_date);
        if skip {
            return Ok(());
        }
        let data = serde_json::to_string(&record.data).map_err(|e| Error::Encode(e.to_string()))?;
        let expires = instant(record.expiry_date)?;
        // An update, never an insert: a session deleted meanwhile (signed out) stays deleted.
        let done = sqlx::query::<Any>("UPDATE sessions SET data = $2, expires_at = $3 WHERE id = $1")
            .bind(record.id.to_string())
            .bind(&data)
            .bind(expires)
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        if done.rows_affected() == 1 {
            self.remember(record.id, record.data.clone(), record.expiry_date);
        } else {
            self.forget(&record.id);
        }
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
        let record = Record {
            id: *id,
            data: serde_json::from_str(&data).map_err(|e| Error::Decode(e.to_string()))?,
            expiry_date: OffsetDateTime::parse(&expires, &Rfc3339).map_err(|e| Error::Decode(e.to_string()))?,
        };
        self.remember(*id, record.data.clone(), record.expiry_date);
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> Result<()> {
        self.forget(id);
        sqlx::query::<Any>("DELETE FROM sessions WHERE id = $1").bind(id.to_string()).execute(&self.db.pool).await.map_err(backend)?;
        Ok(())
    }
}
