//! The database handle: one code path for SQLite (embedded default) and PostgreSQL,
//! through sqlx's `Any` driver with portable SQL (see docs/ARCHITECTURE.md).

use std::str::FromStr;
use std::time::Duration;

use sqlx::any::{AnyPoolOptions, install_default_drivers};
use sqlx::migrate::Migrator;
use sqlx::{AnyPool, Executor};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

impl Backend {
    pub fn name(self) -> &'static str {
        match self {
            Backend::Sqlite => "sqlite",
            Backend::Postgres => "postgres",
        }
    }
}

#[derive(Clone, Debug)]
pub struct Db {
    pub pool: AnyPool,
    pub backend: Backend,
}

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error("DATABASE_URL must start with sqlite: or postgres:, got {0:?}")]
    UnsupportedUrl(String),
    #[error("could not create the database folder {0}: {1}")]
    Folder(String, std::io::Error),
    #[error(transparent)]
    Sqlx(#[from] sqlx::Error),
    #[error(transparent)]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// The default embedded database: a SQLite file under `data/`.
pub const DEFAULT_URL: &str = "sqlite://data/hearth.db";

impl Db {
    /// Opens (creating if needed) the database at `url` and applies migrations.
    pub async fn open(url: &str) -> Result<Db, DbError> {
        Db::open_with(url, None).await
    }

    /// `open` with a pool of `connections` (`Settings::db_connections`; by default 8 for SQLite, 16 for PostgreSQL).
    pub async fn open_with(url: &str, connections: Option<u32>) -> Result<Db, DbError> {
        let db = Db::connect_with(url, connections).await?;
        db.migrate().await?;
        Ok(db)
    }

    pub async fn connect(url: &str) -> Result<Db, DbError> {
        Db::connect_with(url, None).await
    }

    /// `connect` with a pool of `connections` (None: the engine's default).
    pub async fn connect_with(url: &str, connections: Option<u32>) -> Result<Db, DbError> {
        install_default_drivers();
        let backend = if url.starts_with("sqlite:") {
            Backend::Sqlite
        } else if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Backend::Postgres
        } else {
            return Err(DbError::UnsupportedUrl(url.to_string()));
        };
        let url = match backend {
            Backend::Sqlite => sqlite_url_creating_folder(url)?,
            Backend::Postgres => url.to_string(),
        };
        // SQLite runs each connection on its own thread: more than a few only adds switching
        // on a small machine. `HEARTH_DB_CONNECTIONS` overrides the default for a bigger one.
        let options = AnyPoolOptions::new().acquire_timeout(Duration::from_secs(10)).max_connections(connections.unwrap_or(match backend {
            Backend::Sqlite => 8,
            Backend::Postgres => 16,
        }));
        let options = if backend == Backend::Sqlite {
            // An embedded connection cannot be dropped by a network or a restarted server, so
            // sqlx's ping before every acquire (a round trip to the connection's thread, as
            // costly as a small query) buys nothing here. PostgreSQL keeps it.
            options.test_before_acquire(false).after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute(
                        "PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 10000; \
                         PRAGMA synchronous = NORMAL; PRAGMA cache_size = -32000;",
                    )
                    .await?;
                    Ok(())
                })
            })
        } else {
            // A transaction left open by a stuck request would hold its row locks, and with them
            // every writer behind it, indefinitely: PostgreSQL ends such a session after a minute
            // (none of Hearth's transactions waits on anything but the database).
            options.after_connect(|conn, _meta| {
                Box::pin(async move {
                    conn.execute("SET idle_in_transaction_session_timeout = '60s'").await?;
                    Ok(())
                })
            })
        };
        let pool = options.connect(&url).await?;
        if backend == Backend::Sqlite && !url.contains(":memory:") && !url.contains("mode=ro") {
            // WAL persists in the file: readers never block the writer.
            pool.execute("PRAGMA journal_mode = WAL;").await?;
        }
        Ok(Db { pool, backend })
    }

    pub async fn migrate(&self) -> Result<(), DbError> {
        match self.backend {
            Backend::Sqlite => SQLITE_MIGRATIONS.run(&self.pool).await?,
            Backend::Postgres => POSTGRES_MIGRATIONS.run(&self.pool).await?,
        }
        Ok(())
    }
}

/// `sqlite://data/hearth.db` → creates `data/` and adds `mode=rwc` so the file is created.
fn sqlite_url_creating_folder(url: &str) -> Result<String, DbError> {
    let rest = url.trim_start_matches("sqlite://").trim_start_matches("sqlite:");
    let path = rest.split('?').next().unwrap_or_default();
    if !path.is_empty()
        && path != ":memory:"
        && let Some(parent) = std::path::Path::new(path).parent()
        && !parent.as_os_str().is_empty()
    {
        std::fs::create_dir_all(parent).map_err(|e| DbError::Folder(parent.display().to_string(), e))?;
    }
    // Validate through sqlx's own parser so a malformed URL fails here, clearly.
    let _ = sqlx::sqlite::SqliteConnectOptions::from_str(url)?;
    Ok(if url.contains('?') { if url.contains("mode=") { url.to_string() } else { format!("{url}&mode=rwc") } } else { format!("{url}?mode=rwc") })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sqlite_urls_get_create_mode() {
        let dir = std::env::temp_dir().join(format!("hearth-db-test-{}", std::process::id()));
        let url = format!("sqlite://{}/x.db", dir.display());
        assert_eq!(sqlite_url_creating_folder(&url).unwrap(), format!("{url}?mode=rwc"));
        assert!(dir.exists());
        std::fs::remove_dir_all(dir).ok();
    }

    #[tokio::test]
    async fn rejects_unknown_schemes() {
        let err = Db::connect("mysql://localhost/x").await.unwrap_err();
        assert!(err.to_string().contains("sqlite: or postgres:"));
    }
}

/// What a check of a database found: SQLite's own integrity and foreign-key checks, the latest
/// migration applied, and how many tenancies it holds.
#[derive(Debug)]
pub struct Checked {
    pub migration: i64,
    pub tenancies: i64,
}

impl Db {
    /// The path of a SQLite database's file (None for PostgreSQL or an in-memory database).
    pub fn sqlite_path(url: &str) -> Option<std::path::PathBuf> {
        let rest = url.strip_prefix("sqlite://").or_else(|| url.strip_prefix("sqlite:"))?;
        let path = rest.split('?').next().unwrap_or_default();
        (!path.is_empty() && path != ":memory:").then(|| std::path::PathBuf::from(path))
    }

    /// The latest migration this build knows.
    pub fn latest_migration(&self) -> i64 {
        let m = match self.backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        m.iter().map(|m| m.version).max().unwrap_or(0)
    }

    /// A consistent copy of a SQLite database into a new file at `to`, taken while Hearth serves:
    /// `VACUUM INTO` reads one snapshot (writers carry on; the copy holds every transaction
    /// committed before it began and none after).
    pub async fn backup_to(&self, to: &std::path::Path) -> anyhow::Result<()> {
        anyhow::ensure!(self.backend == Backend::Sqlite, "hearth backup copies the embedded SQLite database; back PostgreSQL up with pg_dump (see the README)");
        anyhow::ensure!(!to.exists(), "{} already exists: give a new file for the backup", to.display());
        let target = to.to_str().ok_or_else(|| anyhow::anyhow!("the backup's path is not valid UTF-8"))?;
        sqlx::query(&format!("VACUUM INTO '{}'", target.replace('\'', "''"))).execute(&self.pool).await?;
        Ok(())
    }

    /// Closes the pool; on SQLite first folds the write-ahead log into the database file, so the
    /// file alone holds everything (for copying, or setting aside).
    pub async fn close(self) {
        if self.backend == Backend::Sqlite {
            let _ = sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&self.pool).await;
        }
        self.pool.close().await;
    }

    /// Checks a database: SQLite's integrity and foreign keys (PostgreSQL enforces both itself),
    /// that its migrations are ones this build knows, and that it holds a council.
    pub async fn check(&self) -> anyhow::Result<Checked> {
        if self.backend == Backend::Sqlite {
            let integrity: String = sqlx::query_scalar("PRAGMA integrity_check").fetch_one(&self.pool).await?;
            anyhow::ensure!(integrity == "ok", "the database fails SQLite's integrity check: {integrity}");
            let broken = sqlx::query("PRAGMA foreign_key_check").fetch_all(&self.pool).await?;
            anyhow::ensure!(broken.is_empty(), "{} rows point at rows that are not there (PRAGMA foreign_key_check)", broken.len());
        }
        let migration: i64 = sqlx::query_scalar("SELECT CAST(MAX(version) AS BIGINT) FROM _sqlx_migrations WHERE success = TRUE").fetch_one(&self.pool).await?;
        anyhow::ensure!(
            migration <= self.latest_migration(),
            "the database was made by a newer Hearth (migration {migration}; this one knows up to {})",
            self.latest_migration()
        );
        let tenancies: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM tenancies").fetch_one(&self.pool).await?;
        Ok(Checked { migration, tenancies })
    }
}
