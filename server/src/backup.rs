//! `hearth backup` and `hearth restore`: a consistent copy of the embedded SQLite database taken
//! while Hearth serves, and its return, checked before and after. PostgreSQL is backed up with its
//! own tools (`pg_dump`, `pg_restore`; see the README), and `hearth check` runs the same checks
//! after.

use std::path::Path;

use anyhow::Context;

use crate::db::{Checked, Db};

/// Copies the database at `url` to a new file `to`, then checks the copy.
pub async fn backup(url: &str, to: &Path) -> anyhow::Result<Checked> {
    let db = Db::connect(url).await?;
    db.backup_to(to).await?;
    db.close().await;
    let copy = Db::connect(&format!("sqlite://{}?mode=ro", to.display())).await?;
    let checked = copy.check().await.context("the backup just taken")?;
    copy.close().await;
    Ok(checked)
}

/// Restores the backup `from` as the database at `url`: the backup is checked first (a damaged or
/// newer one is refused, and nothing changes); a database already there is set aside beside it
/// (`<name>.before-restore-<time>`) only with `replace`; the restored database is migrated to this
/// build and checked. Stop Hearth before restoring over its database.
pub async fn restore(from: &Path, url: &str, replace: bool) -> anyhow::Result<Checked> {
    let target = Db::sqlite_path(url).context("hearth restore restores the embedded SQLite database; restore PostgreSQL with pg_restore (see the README)")?;
    anyhow::ensure!(from.is_file(), "{} is not a file", from.display());
    let source = Db::connect(&format!("sqlite://{}?mode=ro", from.display())).await?;
    source.check().await.with_context(|| format!("the backup {}", from.display()))?;
    if target.exists() {
        anyhow::ensure!(replace, "{} holds a database already: stop Hearth, then run hearth restore --replace to set it aside and restore", target.display());
        Db::connect(url).await?.close().await;
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let aside = target.with_file_name(format!("{}.before-restore-{stamp}", target.file_name().and_then(|n| n.to_str()).unwrap_or("hearth.db")));
        std::fs::rename(&target, &aside).with_context(|| format!("setting {} aside", target.display()))?;
        for suffix in ["-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", target.display()));
        }
        tracing::info!("set the database aside as {}", aside.display());
    }
    source.backup_to(&target).await?;
    source.close().await;
    let db = Db::open(url).await?;
    let checked = db.check().await.context("the restored database")?;
    db.close().await;
    Ok(checked)
}
