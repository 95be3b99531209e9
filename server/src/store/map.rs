//! Storage for the patch map: an area's homes with the facts behind the map's flags, patch
//! changes (versioned, with history), and the workload-weights setting.

use std::collections::{HashMap, HashSet};

use app::api::kit::store::AuditEntry;

use app::api::map::store::{MapHomeRow, MapSource};
use app::domain::mapdata::{
    ASB_CASE, HomeCard, HomeFacts, HomeMove, HomeRow, MapPatch, PatchChangeRequest, PatchChangesSince, SUSTAIN_CASE, SavedPatchChange, WorkloadWeights,
    case_flag, follows_home, touched_patches,
};
use app::domain::{CaseKind, Pence, Role, Tenure};
use app::error::AppError;
use sqlx::Any;

use super::SqlStore;
use super::{i, internal, now_rfc3339, oi, os, placeholders, s};
use crate::db::Db;
use app::api::map::store::MapStore;
use async_trait::async_trait;

/// The settings key of the workload weights (`SETTING_KEYS` lists every key Hearth reads).
pub const WEIGHTS_KEY: &str = "workload_weights";

/// Property ids of the area with something open, from a query taking ($1 area, $2 today).
async fn id_set(db: &Db, sql: &str, area: i64, today: &str) -> Result<HashSet<i64>, AppError> {
    Ok(sqlx::query::<Any>(sql).bind(area).bind(today).fetch_all(&db.pool).await.map_err(internal)?.iter().map(|r| i(r, "pid")).collect())
}

pub async fn patches(db: &Db, area: i64, today: &str) -> Result<Vec<MapPatch>, AppError> {
    let covers: HashMap<i64, String> = sqlx::query::<Any>(
        "SELECT c.absent_user_id, u.display_name FROM covers c JOIN users u ON u.id = c.cover_user_id \
         WHERE c.starts_on <= $1 AND c.ends_on >= $1 AND c.ended_at IS NULL ORDER BY c.id",
    )
    .bind(today)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?
    .iter()
    .map(|r| (i(r, "absent_user_id"), s(r, "display_name")))
    .collect();
    Ok(sqlx::query::<Any>(
        "SELECT pa.id, pa.name, pa.officer_id, u.display_name, pa.version, pa.challenging FROM patches pa \
         LEFT JOIN users u ON u.id = pa.officer_id WHERE ($1 = 0 OR pa.area_team_id = $1) ORDER BY pa.area_team_id, pa.name",
    )
    .bind(area)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?
    .iter()
    .map(|r| {
        let officer_id = oi(r, "officer_id");
        MapPatch {
            id: i(r, "id"),
            name: s(r, "name"),
            officer_id,
            officer: os(r, "display_name"),
            cover: officer_id.and_then(|o| covers.get(&o).cloned()),
            version: i(r, "version"),
            challenging: i(r, "challenging") != 0,
        }
    })
    .collect())
}

async fn latest_change(db: &Db, area: i64) -> Result<i64, AppError> {
    let r = sqlx::query::<Any>("SELECT COALESCE(MAX(id), 0) AS c FROM patch_changes WHERE ($1 = 0 OR area_team_id = $1)")
        .bind(area)
        .fetch_one(&db.pool)
        .await
        .map_err(internal)?;
    Ok(i(&r, "c"))
}

pub async fn map_source(db: &Db, area: i64, today: &str) -> Result<MapSource, AppError> {
    let name = area_name(db, area).await?;
    let flags = Flags::read(db, area, today).await?;
    let homes = sqlx::query_as::<Any, MapHomeFromDb>(
        "SELECT p.id, p.latitude, p.longitude, p.patch_id, p.address_line1, p.estate_id, t.tenure, r.balance_pence \
         FROM properties p LEFT JOIN tenancies t ON t.property_id = p.id AND t.status = 'active' \
         LEFT JOIN rent_accounts r ON r.tenancy_id = t.id WHERE ($1 = 0 OR p.area_team_id = $1) ORDER BY p.id",
    )
    .bind(area)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let mut rows: Vec<MapHomeRow> = Vec::with_capacity(homes.len());
    for h in homes {
        if rows.last().is_some_and(|r| r.id == h.id) {
            continue; // two active tenancies would be a data error; the map shows the home once
        }
        rows.push(h.into_map_row(&flags));
    }
    let wards = sqlx::query_as::<Any, (String, String)>(
        "SELECT name, geojson FROM wards WHERE id IN (SELECT DISTINCT ward_id FROM properties WHERE ($1 = 0 OR area_team_id = $1)) ORDER BY name",
    )
    .bind(area)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let estates = sqlx::query_as::<Any, (i64, String)>("SELECT id, name FROM estates WHERE ($1 = 0 OR area_team_id = $1) ORDER BY id")
        .bind(area)
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?;
    Ok(MapSource { area: name, change: latest_change(db, area).await?, homes: rows, patches: patches(db, area, today).await?, wards, estates })
}

/// The area team's name; area 0 is the whole council (council-wide teams' view).
async fn area_name(db: &Db, area: i64) -> Result<String, AppError> {
    if area == 0 {
        return Ok("All areas".to_string());
    }
    let name = sqlx::query_scalar::<Any, String>("SELECT name FROM area_teams WHERE id = $1").bind(area).fetch_optional(&db.pool).await.map_err(internal)?;
    name.ok_or_else(|| AppError::NotFound("That area team".into()))
}

/// The homes of an area with something open: a visit overdue, a vulnerable tenant, an ASB or a
/// sustainment case (open and not need-to-know: restricted cases never show on the map).
struct Flags {
    overdue: HashSet<i64>,
    vulnerable: HashSet<i64>,
    asb: HashSet<i64>,
    sustain: HashSet<i64>,
}

impl Flags {
    async fn read(db: &Db, area: i64, today: &str) -> Result<Flags, AppError> {
        let overdue = id_set(
            db,
            "SELECT DISTINCT v.property_id AS pid FROM visits v JOIN properties p ON p.id = v.property_id \
             WHERE ($1 = 0 OR p.area_team_id = $1) AND v.completed_at IS NULL AND v.scheduled_for < $2",
            area,
            today,
        )
        .await?;
        let vulnerable = id_set(
            db,
            "SELECT DISTINCT t.property_id AS pid FROM alerts a JOIN tenancies t ON t.id = a.tenancy_id JOIN properties p ON p.id = t.property_id \
             WHERE ($1 = 0 OR p.area_team_id = $1) AND t.status = 'active' AND a.kind = 'vulnerability' AND (a.ends_on IS NULL OR a.ends_on >= $2)",
            area,
            today,
        )
        .await?;
        let (mut asb, mut sustain) = (HashSet::new(), HashSet::new());
        let cases = sqlx::query_as::<Any, (Option<i64>, String)>(
            "SELECT COALESCE(c.property_id, t.property_id) AS pid, c.kind FROM cases c LEFT JOIN tenancies t ON t.id = c.tenancy_id \
             WHERE ($1 = 0 OR c.area_team_id = $1) AND c.status = 'open' AND c.restricted = 0",
        )
        .bind(area)
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?;
        for (pid, kind) in cases {
            let Some(pid) = pid else { continue };
            match CaseKind::parse(&kind).map(case_flag) {
                Some(ASB_CASE) => asb.insert(pid),
                Some(SUSTAIN_CASE) => sustain.insert(pid),
                _ => false,
            };
        }
        Ok(Flags { overdue, vulnerable, asb, sustain })
    }
}

/// A home as the map's query reads it.
#[derive(sqlx::FromRow)]
struct MapHomeFromDb {
    id: i64,
    latitude: f64,
    longitude: f64,
    patch_id: i64,
    address_line1: String,
    estate_id: Option<i64>,
    tenure: Option<String>,
    balance_pence: Option<i64>,
}

impl MapHomeFromDb {
    fn into_map_row(self, flags: &Flags) -> MapHomeRow {
        let id = self.id;
        MapHomeRow {
            id,
            lat: self.latitude,
            lon: self.longitude,
            patch_id: self.patch_id,
            line1: self.address_line1,
            estate_id: self.estate_id,
            facts: HomeFacts {
                tenure: self.tenure.and_then(|t| t.parse::<Tenure>().ok()),
                balance_pence: self.balance_pence.unwrap_or(0),
                visit_overdue: flags.overdue.contains(&id),
                asb_case: flags.asb.contains(&id),
                sustain_case: flags.sustain.contains(&id),
                vulnerable: flags.vulnerable.contains(&id),
            },
        }
    }
}

pub async fn workload_weights(db: &Db) -> Result<WorkloadWeights, AppError> {
    let r = sqlx::query::<Any>("SELECT value FROM settings WHERE key = $1").bind(WEIGHTS_KEY).fetch_optional(&db.pool).await.map_err(internal)?;
    let Some(r) = r else { return Ok(WorkloadWeights::default()) };
    // A stored value that does not read is reported, not silently replaced by the defaults.
    serde_json::from_str(&s(&r, "value")).or_else(|e| {
        tracing::warn!(error = %e, "the stored workload weights do not read; using the defaults until an administrator saves them again");
        Ok(WorkloadWeights::default())
    })
}

pub async fn set_workload_weights(db: &Db, w: &WorkloadWeights, audit: AuditEntry) -> Result<(), AppError> {
    let json = serde_json::to_string(w).map_err(|e| {
        tracing::error!("workload weights: {e}");
        AppError::Internal
    })?;
    let mut tx = db.pool.begin().await.map_err(internal)?;
    sqlx::query::<Any>("DELETE FROM settings WHERE key = $1").bind(WEIGHTS_KEY).execute(&mut *tx).await.map_err(internal)?;
    sqlx::query::<Any>("INSERT INTO settings (key, value) VALUES ($1, $2)").bind(WEIGHTS_KEY).bind(json).execute(&mut *tx).await.map_err(internal)?;
    super::write_audit(&mut *tx, audit, None).await?;
    tx.commit().await.map_err(internal)
}

/// The card of one home; `names` gives tenant names by tenancy id.
pub async fn home_card(db: &Db, property_id: i64) -> Result<Option<(HomeCard, i64, Option<i64>)>, AppError> {
    let r = sqlx::query::<Any>(
        "SELECT p.id, p.reference, p.address_line1, p.postcode, p.area_team_id, pa.name AS patch, u.display_name AS officer, \
           t.id AS tid, t.reference AS tref, t.tenure, ow.display_name AS owner, r.balance_pence \
         FROM properties p JOIN patches pa ON pa.id = p.patch_id LEFT JOIN users u ON u.id = pa.officer_id \
         LEFT JOIN tenancies t ON t.property_id = p.id AND t.status = 'active' LEFT JOIN users ow ON ow.id = t.owner_id \
         LEFT JOIN rent_accounts r ON r.tenancy_id = t.id WHERE p.id = $1",
    )
    .bind(property_id)
    .fetch_optional(&db.pool)
    .await
    .map_err(internal)?;
    Ok(r.map(|r| {
        let card = HomeCard {
            property_id: i(&r, "id"),
            property_reference: s(&r, "reference"),
            address: s(&r, "address_line1"),
            postcode: s(&r, "postcode"),
            patch: s(&r, "patch"),
            officer: os(&r, "officer"),
            tenancy_reference: os(&r, "tref"),
            tenure: os(&r, "tenure").and_then(|t| t.parse::<Tenure>().ok()).map(|t| t.label().to_string()),
            tenant: None,
            tenancy_owner: os(&r, "owner"),
            balance: oi(&r, "balance_pence").map(|b| Pence(b).pounds()),
        };
        (card, i(&r, "area_team_id"), oi(&r, "tid"))
    }))
}

pub async fn home_rows(db: &Db, area: i64, ids: &[i64]) -> Result<Vec<HomeRow>, AppError> {
    let mut out = Vec::new();
    for chunk in ids.chunks(500) {
        let sql = format!(
            "SELECT id, address_line1, postcode FROM properties WHERE ($1 = 0 OR area_team_id = $1) AND id IN ({}) ORDER BY id",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query::<Any>(&sql).bind(area);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&db.pool).await.map_err(internal)? {
            out.push(HomeRow { property_id: i(&r, "id"), address: s(&r, "address_line1"), postcode: s(&r, "postcode") });
        }
    }
    Ok(out)
}

fn stale(name: &str, last: Option<(String, String, String)>) -> AppError {
    let by = match last {
        Some((who, at, reason)) => format!(" {who} saved a change to it at {} UTC (\"{reason}\")", at.get(..16).unwrap_or(&at).replace('T', " ")),
        None => String::new(),
    };
    AppError::Conflict(format!(
        "Patch \"{name}\" has changed since you loaded the map:{by}. Nothing was saved and your draft is kept: reload the map's data to see their change, then move the homes again and save."
    ))
}

/// Saves a patch change in one transaction. Every patch a home leaves or joins must still be at
/// the version the Team Leader saw; each such patch's version is bumped with a guarded UPDATE, so
/// of two concurrent saves on the same patches exactly one wins.
/// Saves a patch change; its audit entry gets the change's id.
pub async fn apply_patch_change(db: &Db, c: &PatchChangeRequest, by: i64, audit: AuditEntry) -> Result<SavedPatchChange, AppError> {
    let now = now_rfc3339();
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let patches = lock_area_patches(&mut tx, c.area_team_id).await?;
    if let Some(m) = c.moves.iter().find(|m| !patches.contains_key(&m.to_patch)) {
        return Err(AppError::Invalid(format!("Patch {} is not one of this area's patches.", m.to_patch)));
    }
    let from = patches_now(&mut tx, c).await?;
    if let Some(m) = c.moves.iter().find(|m| !from.contains_key(&m.property_id)) {
        return Err(AppError::Invalid(format!("Home {} is not in this area.", m.property_id)));
    }
    if let Some(stale_patch) = bump_versions(&mut tx, c, &patches, &from).await? {
        drop(tx);
        return Err(stale(&patches[&stale_patch].0, last_change(db, stale_patch).await?));
    }
    let moves: Vec<&HomeMove> = c.moves.iter().filter(|m| from[&m.property_id] != m.to_patch).collect();
    let change = sqlx::query::<Any>(
        "INSERT INTO patch_changes (area_team_id, reason, homes_moved, tenancies_moved, made_by, made_at) VALUES ($1, $2, $3, 0, $4, $5) RETURNING id",
    )
    .bind(c.area_team_id)
    .bind(c.reason.trim())
    .bind(moves.len() as i64)
    .bind(by)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    let change_id = i(&change, "id");
    move_homes(&mut tx, change_id, &moves, &from).await?;
    let followed = Followed { patches: &patches, from: &from, reason: format!("Patch change: {}", c.reason.trim()), by, now: &now };
    let (tenancies_moved, cases_moved) = follow_homes(&mut tx, &moves, &followed).await?;
    sqlx::query::<Any>("UPDATE patch_changes SET tenancies_moved = $1 WHERE id = $2")
        .bind(tenancies_moved)
        .bind(change_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    let homes_moved = moves.len() as i64;
    let audit = AuditEntry { detail: format!("change {change_id}: {homes_moved} homes, {tenancies_moved} tenancies, {cases_moved} cases moved"), ..audit };
    super::commit_audited(tx, audit, None).await?;
    Ok(SavedPatchChange { change_id, homes_moved, tenancies_moved, cases_moved })
}

type Tx<'a> = sqlx::Transaction<'a, Any>;

/// The area's patches (name, version, officer) by id, read after a write to the area's row:
/// SQLite takes its write lock now rather than failing to upgrade a read lock later, and
/// PostgreSQL queues concurrent changes to one area behind this row lock.
async fn lock_area_patches(tx: &mut Tx<'_>, area_team_id: i64) -> Result<HashMap<i64, (String, i64, Option<i64>)>, AppError> {
    sqlx::query::<Any>("UPDATE area_teams SET name = name WHERE id = $1").bind(area_team_id).execute(&mut **tx).await.map_err(internal)?;
    Ok(sqlx::query::<Any>("SELECT id, name, version, officer_id FROM patches WHERE area_team_id = $1")
        .bind(area_team_id)
        .fetch_all(&mut **tx)
        .await
        .map_err(internal)?
        .iter()
        .map(|r| (i(r, "id"), (s(r, "name"), i(r, "version"), oi(r, "officer_id"))))
        .collect())
}

/// The patch each home the change moves is in today (homes outside the area are left out).
async fn patches_now(tx: &mut Tx<'_>, c: &PatchChangeRequest) -> Result<HashMap<i64, i64>, AppError> {
    let mut from = HashMap::with_capacity(c.moves.len());
    let ids: Vec<i64> = c.moves.iter().map(|m| m.property_id).collect();
    for chunk in ids.chunks(500) {
        let sql = format!("SELECT id, patch_id FROM properties WHERE area_team_id = $1 AND id IN ({})", placeholders(2, chunk.len()));
        let mut q = sqlx::query::<Any>(&sql).bind(c.area_team_id);
        for id in chunk {
            q = q.bind(*id);
        }
        for r in q.fetch_all(&mut **tx).await.map_err(internal)? {
            from.insert(i(&r, "id"), i(&r, "patch_id"));
        }
    }
    Ok(from)
}

/// Moves on the version of every patch the change touches, if it is the version the change was
/// made on; returns the first patch someone else changed meanwhile (nothing is kept then).
async fn bump_versions(
    tx: &mut Tx<'_>,
    c: &PatchChangeRequest,
    patches: &HashMap<i64, (String, i64, Option<i64>)>,
    from: &HashMap<i64, i64>,
) -> Result<Option<i64>, AppError> {
    let seen: HashMap<i64, i64> = c.versions.iter().map(|v| (v.patch_id, v.version)).collect();
    for p in touched_patches(&c.moves, |pid| from.get(&pid).copied()) {
        let Some(expected) = seen.get(&p) else {
            return Err(AppError::Invalid(format!("The change does not say which version of patch \"{}\" it was made on.", patches[&p].0)));
        };
        let bumped = sqlx::query::<Any>("UPDATE patches SET version = version + 1 WHERE id = $1 AND version = $2")
            .bind(p)
            .bind(*expected)
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
        if bumped.rows_affected() != 1 {
            return Ok(Some(p));
        }
    }
    Ok(None)
}

/// Who last changed a patch, when and why (for the stale-change message).
async fn last_change(db: &Db, patch_id: i64) -> Result<Option<(String, String, String)>, AppError> {
    Ok(sqlx::query::<Any>(
        "SELECT u.display_name, pc.made_at, pc.reason FROM patch_changes pc JOIN users u ON u.id = pc.made_by \
         WHERE pc.id = (SELECT MAX(change_id) FROM patch_change_homes WHERE from_patch_id = $1 OR to_patch_id = $1)",
    )
    .bind(patch_id)
    .fetch_optional(&db.pool)
    .await
    .map_err(internal)?
    .map(|r| (s(&r, "display_name"), s(&r, "made_at"), s(&r, "reason"))))
}

/// Puts each home in its new patch and records the move under the change.
async fn move_homes(tx: &mut Tx<'_>, change_id: i64, moves: &[&HomeMove], from: &HashMap<i64, i64>) -> Result<(), AppError> {
    for m in moves {
        sqlx::query::<Any>("UPDATE properties SET patch_id = $1, version = version + 1 WHERE id = $2")
            .bind(m.to_patch)
            .bind(m.property_id)
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
        sqlx::query::<Any>("INSERT INTO patch_change_homes (change_id, property_id, from_patch_id, to_patch_id) VALUES ($1, $2, $3, $4)")
            .bind(change_id)
            .bind(m.property_id)
            .bind(from[&m.property_id])
            .bind(m.to_patch)
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
    }
    Ok(())
}

/// What following a home to its new patch needs: the patches' officers, where each home was,
/// and the transfer's reason, author and time.
struct Followed<'a> {
    patches: &'a HashMap<i64, (String, i64, Option<i64>)>,
    from: &'a HashMap<i64, i64>,
    reason: String,
    by: i64,
    now: &'a str,
}

/// Tenancies held by the Community HMO of the patch their home leaves, and their open cases held
/// by that officer, follow the home to the new patch's officer (`mapdata::follows_home`), each
/// with a transfer on its history. Returns (tenancies, cases) moved.
async fn follow_homes(tx: &mut Tx<'_>, moves: &[&HomeMove], f: &Followed<'_>) -> Result<(i64, i64), AppError> {
    let to_of: HashMap<i64, i64> = moves.iter().map(|m| (m.property_id, m.to_patch)).collect();
    let moved_ids: Vec<i64> = moves.iter().map(|m| m.property_id).collect();
    let (mut tenancies_moved, mut cases_moved) = (0i64, 0i64);
    for chunk in moved_ids.chunks(500) {
        let sql = format!(
            "SELECT t.id, t.property_id, t.owner_id FROM tenancies t WHERE t.status = 'active' AND t.owner_role = $1 AND t.property_id IN ({})",
            placeholders(2, chunk.len())
        );
        let mut q = sqlx::query::<Any>(&sql).bind(Role::CommunityHmo.as_str());
        for id in chunk {
            q = q.bind(*id);
        }
        for t in q.fetch_all(&mut **tx).await.map_err(internal)? {
            let pid = i(&t, "property_id");
            let old_owner = oi(&t, "owner_id");
            let Some(new_owner) = follows_home(old_owner, f.patches[&f.from[&pid]].2, f.patches[&to_of[&pid]].2) else { continue };
            let tid = i(&t, "id");
            sqlx::query::<Any>("UPDATE tenancies SET owner_id = $1, version = version + 1 WHERE id = $2")
                .bind(new_owner)
                .bind(tid)
                .execute(&mut **tx)
                .await
                .map_err(internal)?;
            transfer(tx, "tenancy", tid, old_owner, new_owner, &f.reason, f.by, f.now).await?;
            tenancies_moved += 1;
            let cases = sqlx::query::<Any>("SELECT id FROM cases WHERE tenancy_id = $1 AND status = 'open' AND owner_id = $2 AND owner_role = $3")
                .bind(tid)
                .bind(old_owner)
                .bind(Role::CommunityHmo.as_str())
                .fetch_all(&mut **tx)
                .await
                .map_err(internal)?;
            for cr in cases {
                let cid = i(&cr, "id");
                sqlx::query::<Any>("UPDATE cases SET owner_id = $1, version = version + 1 WHERE id = $2")
                    .bind(new_owner)
                    .bind(cid)
                    .execute(&mut **tx)
                    .await
                    .map_err(internal)?;
                transfer(tx, "case", cid, old_owner, new_owner, &f.reason, f.by, f.now).await?;
                cases_moved += 1;
            }
        }
    }
    Ok((tenancies_moved, cases_moved))
}

#[allow(clippy::too_many_arguments)]
async fn transfer(
    tx: &mut sqlx::Transaction<'_, Any>,
    subject: &str,
    id: i64,
    from: Option<i64>,
    to: i64,
    reason: &str,
    by: i64,
    now: &str,
) -> Result<(), AppError> {
    sqlx::query::<Any>(
        "INSERT INTO transfers (subject_type, subject_id, kind, status, from_user_id, from_role, to_user_id, to_role, reason, requested_by, approved_by, requested_at, decided_at, effective_at) \
         VALUES ($1, $2, 'patch_change', 'completed', $3, $4, $5, $4, $6, $7, $7, $8, $8, $8)",
    )
    .bind(subject)
    .bind(id)
    .bind(from)
    .bind(Role::CommunityHmo.as_str())
    .bind(to)
    .bind(reason)
    .bind(by)
    .bind(now)
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    Ok(())
}

pub async fn changes_since(db: &Db, area: i64, since: i64, today: &str) -> Result<PatchChangesSince, AppError> {
    // The latest move of each home after `since` wins.
    let rows = sqlx::query::<Any>(
        "SELECT h.property_id, h.to_patch_id FROM patch_change_homes h JOIN patch_changes pc ON pc.id = h.change_id \
         WHERE ($1 = 0 OR pc.area_team_id = $1) AND pc.id > $2 ORDER BY pc.id",
    )
    .bind(area)
    .bind(since)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let mut last: HashMap<i64, i64> = HashMap::new();
    for r in &rows {
        last.insert(i(r, "property_id"), i(r, "to_patch_id"));
    }
    let mut moves: Vec<HomeMove> = last.into_iter().map(|(property_id, to_patch)| HomeMove { property_id, to_patch }).collect();
    moves.sort_by_key(|m| m.property_id);
    Ok(PatchChangesSince { change: latest_change(db, area).await?, moves, patches: patches(db, area, today).await? })
}

#[async_trait]
impl MapStore for SqlStore {
    async fn map_source(&self, area_team_id: i64, today: &str) -> Result<app::api::map::store::MapSource, AppError> {
        map_source(&self.db, area_team_id, today).await
    }
    async fn workload_weights(&self) -> Result<app::domain::mapdata::WorkloadWeights, AppError> {
        workload_weights(&self.db).await
    }
    async fn set_workload_weights(&self, w: &app::domain::mapdata::WorkloadWeights, audit: AuditEntry) -> Result<(), AppError> {
        set_workload_weights(&self.db, w, audit).await
    }
    async fn home_card(&self, property_id: i64) -> Result<Option<(app::domain::mapdata::HomeCard, i64)>, AppError> {
        let Some((mut card, area, tenancy)) = home_card(&self.db, property_id).await? else { return Ok(None) };
        if let Some(t) = tenancy {
            card.tenant = self.tenant_names(&[t]).await?.remove(&t);
        }
        Ok(Some((card, area)))
    }
    async fn home_rows(&self, area_team_id: i64, ids: &[i64]) -> Result<Vec<app::domain::mapdata::HomeRow>, AppError> {
        home_rows(&self.db, area_team_id, ids).await
    }
    async fn apply_patch_change(
        &self,
        c: &app::domain::mapdata::PatchChangeRequest,
        by: i64,
        audit: AuditEntry,
    ) -> Result<app::domain::mapdata::SavedPatchChange, AppError> {
        apply_patch_change(&self.db, c, by, audit).await
    }
    async fn patch_changes_since(&self, area_team_id: i64, since: i64, today: &str) -> Result<app::domain::mapdata::PatchChangesSince, AppError> {
        changes_since(&self.db, area_team_id, since, today).await
    }
}
