//! sqlx storage behind the `Store` trait the services use. Portable SQL through sqlx `Any`:
//! `$n` placeholders, ISO text dates, BIGINT/INTEGER numbers, `CAST(SUM(..) AS BIGINT)`.

pub mod accounts;
pub mod admin;
pub mod bulk;
mod cases;
pub mod feedback;
mod patchmap;
pub mod referrals;
mod sessions;
mod workflow;

use std::collections::HashMap;
use std::sync::Arc;

use app::api::store::{AuditEntry, Caseload, DeskStore, KitStore, PropertyRecord, ReviewCount, TenancyRecord, WorkLists, WorkQuery};
use app::domain::access::RecordScope;
use app::domain::clock::WorkingCalendar;
use app::domain::occupancy::{Occupant, age_on};
use app::domain::{CaseKind, Pence, Relationship, Role, Tenure};
use app::error::AppError;
use app::model::*;
use async_trait::async_trait;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

pub use sessions::SqlSessionStore;

use crate::db::Db;

/// Writes an audit row. A change passes its own transaction, so the change and the row that
/// accounts for it commit or roll back together (a failed audit write undoes the change); a
/// change that made a record passes its id as `new_id`, which fills an entry with no subject id.
pub(crate) async fn write_audit<'c>(ex: impl Executor<'c, Database = Any>, e: AuditEntry, new_id: Option<i64>) -> Result<(), AppError> {
    sqlx::query::<Any>(
        "INSERT INTO audit_log (at, user_id, username, action, subject_type, subject_id, outcome, reason, detail, ip) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
    )
    .bind(now_rfc3339())
    .bind(e.user_id)
    .bind(e.username)
    .bind(e.action)
    .bind(e.subject_type)
    .bind(e.subject_id.or(new_id))
    .bind(e.outcome)
    .bind(e.reason)
    .bind(e.detail)
    .bind(e.ip)
    .execute(ex)
    .await
    .map_err(|e| {
        tracing::error!(error = %e, "audit row not written: the change it accounts for is rolled back");
        AppError::NotRecorded
    })?;
    Ok(())
}

/// Arrears worth an officer's attention (the domain rule, in pence for binding).
pub const ARREARS_THRESHOLD_PENCE: i64 = app::domain::money::ARREARS_THRESHOLD.0;

/// The working-day calendar: the England and Wales bank holidays Hearth ships, plus any
/// dates an administrator has added to `bank_holidays` (later years, one-off holidays).
async fn load_calendar(db: &Db) -> Result<WorkingCalendar, AppError> {
    let rows = sqlx::query::<Any>("SELECT holiday_on, name FROM bank_holidays").fetch_all(&db.pool).await.map_err(internal)?;
    let extra = rows.iter().filter_map(|r| Some((s(r, "holiday_on").parse::<chrono::NaiveDate>().ok()?, s(r, "name"))));
    Ok(WorkingCalendar::england_and_wales().with_extra_holidays(extra))
}

/// The calendar as last loaded. This process reloads it when it adds a holiday; another server
/// process on the same PostgreSQL database picks one up within `CALENDAR_FRESH`.
#[derive(Debug, Default)]
struct CalendarCache(std::sync::Mutex<Option<(std::time::Instant, Arc<WorkingCalendar>)>>);

/// How long a loaded calendar is used before it is read again (holidays are added rarely, and
/// months ahead).
const CALENDAR_FRESH: std::time::Duration = std::time::Duration::from_secs(300);

impl CalendarCache {
    fn get(&self) -> Option<Arc<WorkingCalendar>> {
        let held = self.0.lock().unwrap_or_else(|e| e.into_inner());
        held.as_ref().filter(|(at, _)| at.elapsed() < CALENDAR_FRESH).map(|(_, c)| c.clone())
    }

    fn put(&self, c: Arc<WorkingCalendar>) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = Some((std::time::Instant::now(), c));
    }

    fn forget(&self) {
        *self.0.lock().unwrap_or_else(|e| e.into_inner()) = None;
    }
}

#[derive(Clone, Debug)]
pub struct SqlStore {
    pub db: Db,
    worklists: Arc<WorkListCache>,
    calendar: Arc<CalendarCache>,
    /// The day a test (or a demonstration) fixes as today; None: the wall clock in London.
    fixed_today: Option<chrono::NaiveDate>,
}

/// *My work*'s lists, kept per query (officer, covers, role, dates) with the `change_counter` they
/// were read at. Every committed change to a counted table moves the counter in its own transaction
/// (migration 0010), so an entry read at the counter's current value is exactly what the queries
/// would return now, on either engine, whichever server process made the change. An officer's
/// landing page then costs one small read until something changes. `Config::worklist_cache`
/// (`HEARTH_WORKLIST_CACHE=off`) turns it off, to measure the queries themselves.
#[derive(Debug)]
struct WorkListCache {
    on: bool,
    entries: std::sync::Mutex<HashMap<WorkQuery, (i64, WorkLists)>>,
}

impl WorkListCache {
    /// More officers than a council has, each with a page and a whole caseload; past it the cache
    /// starts again rather than grow. Only lists read since the latest change are ever held.
    const MAX_ENTRIES: usize = 1_000;

    fn new(on: bool) -> Self {
        WorkListCache { on, entries: Default::default() }
    }

    fn get(&self, q: &WorkQuery, counter: i64) -> Option<WorkLists> {
        let entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        entries.get(q).filter(|(at, _)| *at == counter).map(|(_, lists)| lists.clone())
    }

    fn put(&self, q: &WorkQuery, counter: i64, lists: &WorkLists) {
        let mut entries = self.entries.lock().unwrap_or_else(|e| e.into_inner());
        // The counter only moves on: lists read before the latest change can never be served again.
        entries.retain(|_, (at, _)| *at >= counter);
        if entries.len() >= Self::MAX_ENTRIES && !entries.contains_key(q) {
            entries.clear();
        }
        // Never replace a newer reading with an older one (two requests racing past a change).
        if entries.get(q).is_none_or(|(at, _)| *at <= counter) {
            entries.insert(q.clone(), (counter, lists.clone()));
        }
    }
}

/// Logs a database error and returns the generic error the user sees.
pub fn internal(e: sqlx::Error) -> AppError {
    tracing::error!(error = %e, "database error");
    AppError::Internal
}

pub fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Binds each id in turn (after `placeholders`).
pub fn bind_ids<'q>(mut q: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>, ids: &[i64]) -> sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>> {
    for id in ids {
        q = q.bind(*id);
    }
    q
}

/// An aggregate that folds the rows of a query into one JSON array of objects (`fields` are
/// key and SQL expression), ordered by `order`, spelled for the engine. A page of many rows then
/// crosses from the database to Hearth as one value instead of one message per row, which on
/// SQLite is most of a list's cost. Empty gives `[]`.
pub fn json_rows(backend: crate::db::Backend, fields: &[(&str, &str)], order: &str) -> String {
    let (agg, obj) = match backend {
        crate::db::Backend::Sqlite => ("json_group_array", "json_object"),
        crate::db::Backend::Postgres => ("json_agg", "json_build_object"),
    };
    let pairs = fields.iter().map(|(k, v)| format!("'{k}', {v}")).collect::<Vec<_>>().join(", ");
    format!("COALESCE(CAST({agg}({obj}({pairs}) ORDER BY {order}) AS TEXT), '[]')")
}

/// The introductory tenures (`Tenure::is_introductory`) as an SQL list, for `t.tenure IN (...)`.
static INTRODUCTORY: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| Tenure::ALL.iter().filter(|t| t.is_introductory()).map(|t| format!("'{}'", t.as_str())).collect::<Vec<_>>().join(", "));

/// A tenancy's tenants as "First Last", joined with " and " in the order they joined the record:
/// an aggregate over `household_members h` rows (callers filter to `h.is_tenant = 1`).
const TENANT_NAMES: &str = "string_agg(h.first_name || ' ' || h.last_name, ' and ' ORDER BY h.id)";

/// `$start, $start+1, …` placeholders for an IN list.
pub fn placeholders(start: usize, n: usize) -> String {
    (start..start + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

fn s(row: &AnyRow, col: &str) -> String {
    row.try_get::<String, _>(col).unwrap_or_default()
}
fn os(row: &AnyRow, col: &str) -> Option<String> {
    row.try_get::<Option<String>, _>(col).ok().flatten()
}
fn i(row: &AnyRow, col: &str) -> i64 {
    row.try_get::<i64, _>(col).unwrap_or_default()
}
fn oi(row: &AnyRow, col: &str) -> Option<i64> {
    row.try_get::<Option<i64>, _>(col).ok().flatten()
}

fn role_label(code: &str) -> String {
    Role::parse(code).map(|r| r.label().to_string()).unwrap_or_else(|| code.to_string())
}

/// A case as listed, with what the rules need to decide who sees it: the columns of
/// `CASE_COLUMNS` plus `granted`, read from a row or from a JSON-folded list (`json_rows`).
#[derive(serde::Deserialize)]
struct CaseFields {
    reference: String,
    kind: String,
    title: String,
    status: String,
    opened_at: String,
    due_at: Option<String>,
    restricted: i64,
    area_team_id: i64,
    owner_id: Option<i64>,
    tenancy_reference: Option<String>,
    address_line1: Option<String>,
    postcode: Option<String>,
    granted: i64,
}

impl CaseFields {
    fn from_row(r: &AnyRow) -> CaseFields {
        CaseFields {
            reference: s(r, "reference"),
            kind: s(r, "kind"),
            title: s(r, "title"),
            status: s(r, "status"),
            opened_at: s(r, "opened_at"),
            due_at: os(r, "due_at"),
            restricted: i(r, "restricted"),
            area_team_id: i(r, "area_team_id"),
            owner_id: oi(r, "owner_id"),
            tenancy_reference: os(r, "tenancy_reference"),
            address_line1: os(r, "address_line1"),
            postcode: os(r, "postcode"),
            granted: i(r, "granted"),
        }
    }

    fn listed(self) -> (CaseRow, RecordScope) {
        let row = CaseRow {
            reference: self.reference,
            kind: CaseKind::parse(&self.kind).unwrap_or(CaseKind::Vulnerability),
            title: self.title,
            status: self.status,
            tenancy_reference: self.tenancy_reference,
            address: match (self.address_line1, self.postcode) {
                (Some(a), Some(p)) => format!("{a}, {p}"),
                _ => String::new(),
            },
            opened_at: self.opened_at,
            due_at: self.due_at,
            clock: None,
            restricted: self.restricted != 0,
        };
        let scope =
            RecordScope { area_team_id: self.area_team_id, owner_id: self.owner_id, restricted: row.restricted, granted: self.granted != 0, duty: false };
        (row, scope)
    }
}

fn case_row(r: &AnyRow) -> (CaseRow, RecordScope) {
    CaseFields::from_row(r).listed()
}

/// No introductory review is open or approved-but-pending for tenancy `t`.
const NO_DECISION: &str = "NOT EXISTS (SELECT 1 FROM workflow_items w WHERE w.subject_type = 'tenancy' AND w.subject_id = t.id \
     AND w.flow = 'introductory_review' AND (w.state IN ('proposed', 'sent_back') OR (w.state = 'completed' AND w.applied_at IS NULL)))";

fn tenancy_row(r: &AnyRow, names: &HashMap<i64, String>) -> TenancyRow {
    TenancyRow {
        reference: s(r, "reference"),
        property_reference: s(r, "property_reference"),
        address: s(r, "address_line1"),
        postcode: s(r, "postcode"),
        tenure: Tenure::parse(&s(r, "tenure")).unwrap_or(Tenure::Secure),
        tenants: names.get(&i(r, "id")).cloned().unwrap_or_default(),
        balance: Pence(i(r, "balance")),
        start_date: s(r, "start_date"),
        trial_ends_on: os(r, "trial_ends_on"),
        clock: None,
    }
}

/// At most this many open cases are listed on an officer's *My work*.
const CASES_LISTED: i64 = 500;

const CASE_COLUMNS: &str = "c.id, c.reference, c.kind, c.title, c.status, c.opened_at, c.due_at, c.restricted, \
     c.area_team_id, c.owner_id, t.reference AS tenancy_reference, p.address_line1, p.postcode";

impl SqlStore {
    /// A store that keeps *My work*'s lists between changes.
    pub fn new(db: Db) -> Self {
        Self::with_worklist_cache(db, true)
    }

    /// This store with today fixed at `day`: every clock, due date and check of "not in the future"
    /// is judged as on that day.
    pub fn on_day(self, day: chrono::NaiveDate) -> Self {
        SqlStore { fixed_today: Some(day), ..self }
    }

    /// A store that keeps *My work*'s lists between changes only if `on`.
    pub fn with_worklist_cache(db: Db, on: bool) -> Self {
        SqlStore { db, worklists: Arc::new(WorkListCache::new(on)), calendar: Default::default(), fixed_today: None }
    }

    /// Each tenancy's tenants (`TENANT_NAMES`), by tenancy id.
    async fn tenant_names(&self, tenancy_ids: &[i64]) -> Result<HashMap<i64, String>, AppError> {
        let mut names = HashMap::new();
        for chunk in tenancy_ids.chunks(500) {
            let sql = format!(
                "SELECT h.tenancy_id, {TENANT_NAMES} AS names FROM household_members h \
                 WHERE h.is_tenant = 1 AND h.tenancy_id IN ({}) GROUP BY h.tenancy_id",
                placeholders(1, chunk.len())
            );
            for r in bind_ids(sqlx::query::<Any>(&sql), chunk).fetch_all(&self.db.pool).await.map_err(internal)? {
                names.insert(i(&r, "tenancy_id"), s(&r, "names"));
            }
        }
        Ok(names)
    }

    /// `base` plus the area filter, one LIKE per term on `text_column`, an order and a limit.
    fn filtered(base: &str, text_column: &str, area: Option<i64>, terms: &[String]) -> String {
        let mut sql = base.to_string();
        let mut n = 0;
        if area.is_some() {
            n += 1;
            sql.push_str(&format!(" AND p.area_team_id = ${n}"));
        }
        for _ in terms {
            n += 1;
            sql.push_str(&format!(" AND {text_column} LIKE ${n} ESCAPE '\\'"));
        }
        sql.push_str(&format!(" ORDER BY p.postcode, p.address_line1 LIMIT ${}", n + 1));
        sql
    }

    async fn fetch_filtered(&self, sql: &str, area: Option<i64>, terms: &[String], limit: i64) -> Result<Vec<AnyRow>, AppError> {
        let mut q = sqlx::query::<Any>(sql);
        if let Some(a) = area {
            q = q.bind(a);
        }
        for t in terms {
            q = q.bind(app::domain::search::like_pattern(t));
        }
        q.bind(limit).fetch_all(&self.db.pool).await.map_err(internal)
    }

    async fn search_tenancies(&self, area: Option<i64>, terms: &[String], limit: i64) -> Result<Vec<SearchHit>, AppError> {
        let sql = Self::filtered(
            "SELECT t.id, t.reference, t.tenure, p.address_line1, p.postcode FROM tenancies t \
             JOIN properties p ON p.id = t.property_id WHERE t.status = 'active'",
            "t.search_text",
            area,
            terms,
        );
        let rows = self.fetch_filtered(&sql, area, terms, limit).await?;
        let ids: Vec<i64> = rows.iter().map(|r| i(r, "id")).collect();
        let names = self.tenant_names(&ids).await?;
        Ok(rows
            .iter()
            .map(|r| SearchHit {
                kind: HitKind::Tenancy,
                reference: s(r, "reference"),
                title: format!("{}, {}", s(r, "address_line1"), s(r, "postcode")),
                detail: format!(
                    "{} · {}",
                    names.get(&i(r, "id")).cloned().unwrap_or_default(),
                    Tenure::parse(&s(r, "tenure")).map(|t| t.label()).unwrap_or_default()
                ),
            })
            .collect())
    }

    async fn search_properties(&self, area: Option<i64>, terms: &[String], limit: i64) -> Result<Vec<SearchHit>, AppError> {
        let sql = Self::filtered(
            "SELECT p.reference, p.address_line1, p.postcode, p.property_type, p.bedrooms FROM properties p WHERE 1 = 1",
            "p.search_text",
            area,
            terms,
        );
        let rows = self.fetch_filtered(&sql, area, terms, limit).await?;
        Ok(rows
            .iter()
            .map(|r| SearchHit {
                kind: HitKind::Property,
                reference: s(r, "reference"),
                title: format!("{}, {}", s(r, "address_line1"), s(r, "postcode")),
                detail: format!("{} · {} bedroom(s)", s(r, "property_type"), i(r, "bedrooms")),
            })
            .collect())
    }
}

/// Tenancies and cases owned by any of `owner_ids` (the officer, and whoever they cover for today).
async fn caseload(conn: &mut AnyConnection, backend: crate::db::Backend, owner_ids: &[i64], limit: i64) -> Result<Caseload, AppError> {
    if owner_ids.is_empty() {
        return Ok(Caseload::default());
    }
    // $1 to $3 are fixed; the owners follow.
    let owners = placeholders(4, owner_ids.len());
    // The page of rows, each with its tenants' names, the caseload's totals and its open cases,
    // in one statement returning one row: the totals aggregate every matching tenancy, the page
    // (a sorted LIMIT in a scalar subquery) arrives as one JSON array in `TenancyRow`'s shape,
    // and the cases as another, in `CaseFields`' shape.
    // Not window functions: on SQLite, ROW_NUMBER and COUNT OVER the caseload cost three
    // times the sort and the aggregate together. Both passes read indexes alone (migration
    // 0009); homes are read for the page's rows only, after the LIMIT.
    let rows = json_rows(
        backend,
        &[
            ("reference", "x.reference"),
            ("property_reference", "p.reference"),
            ("address", "p.address_line1"),
            ("postcode", "p.postcode"),
            ("tenure", "x.tenure"),
            // Named, like the homes, only for the rows on the page.
            ("tenants", &format!("COALESCE((SELECT {TENANT_NAMES} FROM household_members h WHERE h.tenancy_id = x.id AND h.is_tenant = 1), '')")),
            ("balance", "x.balance"),
            ("start_date", "x.start_date"),
            ("trial_ends_on", "x.trial_ends_on"),
            ("clock", "NULL"),
        ],
        "x.undated, x.trial_ends_on, x.balance DESC, x.reference",
    );
    let cases = json_rows(
        backend,
        &[
            ("reference", "k.reference"),
            ("kind", "k.kind"),
            ("title", "k.title"),
            ("status", "k.status"),
            ("opened_at", "k.opened_at"),
            ("due_at", "k.due_at"),
            ("restricted", "k.restricted"),
            ("area_team_id", "k.area_team_id"),
            ("owner_id", "k.owner_id"),
            ("tenancy_reference", "k.tenancy_reference"),
            ("address_line1", "k.address_line1"),
            ("postcode", "k.postcode"),
            ("granted", "k.granted"),
        ],
        "k.due_at, k.reference",
    );
    let sql = format!(
        "SELECT (SELECT {rows} FROM (SELECT t.id, t.reference, t.tenure, t.start_date, t.trial_ends_on, t.property_id, \
               COALESCE(r.balance_pence, 0) AS balance, CASE WHEN t.trial_ends_on IS NULL THEN 1 ELSE 0 END AS undated \
             FROM tenancies t LEFT JOIN rent_accounts r ON r.tenancy_id = t.id \
             WHERE t.owner_id IN ({owners}) AND t.status = $1 \
             ORDER BY undated, t.trial_ends_on, balance DESC, t.reference LIMIT $2) x JOIN properties p ON p.id = x.property_id) AS rows, \
       (SELECT {cases} FROM (SELECT {CASE_COLUMNS}, 1 AS granted FROM cases c LEFT JOIN tenancies t ON t.id = c.tenancy_id \
             LEFT JOIN properties p ON p.id = COALESCE(c.property_id, t.property_id) \
             WHERE c.owner_id IN ({owners}) AND c.status = 'open' ORDER BY c.due_at, c.reference LIMIT {CASES_LISTED}) k) AS cases, \
           CAST(COUNT(*) AS BIGINT) AS total, \
           CAST(COALESCE(SUM(CASE WHEN t.tenure IN ({intro}) THEN 1 ELSE 0 END), 0) AS BIGINT) AS intro, \
           CAST(COALESCE(SUM(CASE WHEN r.balance_pence > $3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS arrears \
         FROM tenancies t LEFT JOIN rent_accounts r ON r.tenancy_id = t.id \
         WHERE t.owner_id IN ({owners}) AND t.status = $1",
        intro = INTRODUCTORY.as_str()
    );
    let page =
        bind_ids(sqlx::query::<Any>(&sql).bind("active").bind(limit).bind(ARREARS_THRESHOLD_PENCE), owner_ids).fetch_one(&mut *conn).await.map_err(internal)?;
    let tenancies: Vec<TenancyRow> = serde_json::from_str(&s(&page, "rows")).map_err(|e| {
        tracing::error!(error = %e, "decoding the caseload page");
        AppError::Internal
    })?;
    let cases: Vec<CaseFields> = serde_json::from_str(&s(&page, "cases")).map_err(|e| {
        tracing::error!(error = %e, "decoding the caseload's cases");
        AppError::Internal
    })?;
    let cases = cases.into_iter().map(CaseFields::listed).collect();
    Ok(Caseload { tenancies, tenancies_total: i(&page, "total"), introductory_total: i(&page, "intro"), arrears_total: i(&page, "arrears"), cases })
}

/// Introductory tenancies whose trial ends on or before `until`, with no open or approved decision,
/// for one owner or one area: (ended before `today`, ending by `until`).
async fn reviews_due<'c>(ex: impl Executor<'c, Database = Any>, r: &ReviewCount) -> Result<(i64, i64), AppError> {
    let (filter, id) = match (r.owner_id, r.area_team_id) {
        (Some(o), _) => ("t.owner_id = $3", o),
        (None, Some(a)) => ("p.area_team_id = $3", a),
        (None, None) => ("$3 = $3", 0),
    };
    let sql = format!(
        "SELECT CAST(COALESCE(SUM(CASE WHEN t.trial_ends_on < $1 THEN 1 ELSE 0 END), 0) AS BIGINT) AS overdue, COUNT(*) AS due \
         FROM tenancies t JOIN properties p ON p.id = t.property_id \
         WHERE t.status = 'active' AND t.tenure IN ({intro}) AND t.trial_ends_on <= $2 AND {filter} \
         AND {NO_DECISION}",
        intro = INTRODUCTORY.as_str()
    );
    let row = sqlx::query::<Any>(&sql).bind(&r.today).bind(&r.until).bind(id).fetch_one(ex).await.map_err(internal)?;
    Ok((i(&row, "overdue"), i(&row, "due")))
}

#[async_trait]
impl KitStore for SqlStore {
    fn backend(&self) -> &'static str {
        self.db.backend.name()
    }
    fn today(&self) -> chrono::NaiveDate {
        self.fixed_today.unwrap_or_else(app::api::service::today)
    }

    async fn calendar(&self) -> Result<Arc<WorkingCalendar>, AppError> {
        if let Some(c) = self.calendar.get() {
            return Ok(c);
        }
        let c = Arc::new(load_calendar(&self.db).await?);
        self.calendar.put(c.clone());
        Ok(c)
    }

    async fn audit(&self, e: AuditEntry) -> Result<(), AppError> {
        // A view or refusal on its own: nothing to roll back, so an ordinary failure.
        write_audit(&self.db.pool, e, None).await.map_err(|_| AppError::Internal)
    }
    async fn user_facts(&self, user_id: i64) -> Result<Option<app::domain::cover::CoverParty>, AppError> {
        cases::user_facts(&self.db, user_id).await
    }
    async fn user_id_by_username(&self, username: &str) -> Result<Option<i64>, AppError> {
        referrals::user_id_by_username(&self.db, username).await
    }
    async fn agencies(&self) -> Result<Vec<AgencyOption>, AppError> {
        referrals::agencies(&self.db).await
    }

    async fn patches(&self, area_team_id: Option<i64>) -> Result<Vec<PatchSummary>, AppError> {
        let filter = if area_team_id.is_some() { "WHERE pa.area_team_id = $2" } else { "" };
        let sql = format!(
            "SELECT pa.id, pa.name, pa.challenging, a.name AS area_team, u.display_name AS officer, \
               (SELECT COUNT(*) FROM properties p WHERE p.patch_id = pa.id) AS homes, \
               (SELECT COUNT(*) FROM tenancies t JOIN properties p ON p.id = t.property_id WHERE p.patch_id = pa.id \
                  AND t.status = 'active' AND t.tenure IN ({intro})) AS introductory, \
               (SELECT COUNT(*) FROM rent_accounts r JOIN tenancies t ON t.id = r.tenancy_id JOIN properties p ON p.id = t.property_id \
                  WHERE p.patch_id = pa.id AND t.status = 'active' AND r.balance_pence > $1) AS arrears \
             FROM patches pa JOIN area_teams a ON a.id = pa.area_team_id LEFT JOIN users u ON u.id = pa.officer_id \
             {filter} ORDER BY pa.name",
            intro = INTRODUCTORY.as_str()
        );
        let mut q = sqlx::query::<Any>(&sql).bind(ARREARS_THRESHOLD_PENCE);
        if let Some(a) = area_team_id {
            q = q.bind(a);
        }
        Ok(q.fetch_all(&self.db.pool)
            .await
            .map_err(internal)?
            .iter()
            .map(|r| PatchSummary {
                id: i(r, "id"),
                name: s(r, "name"),
                area_team: s(r, "area_team"),
                officer: os(r, "officer"),
                homes: i(r, "homes"),
                introductory: i(r, "introductory"),
                arrears_over_threshold: i(r, "arrears"),
                challenging: i(r, "challenging") != 0,
            })
            .collect())
    }
}

#[async_trait]
impl DeskStore for SqlStore {
    async fn work_lists(&self, q: &WorkQuery) -> Result<WorkLists, AppError> {
        // One connection for the whole read (not one per statement): see `WorkQuery`.
        let mut conn = self.db.pool.acquire().await.map_err(internal)?;
        // Read before the lists, so an entry is never older than the counter it is filed under.
        let counter = if self.worklists.on {
            let n = sqlx::query_scalar::<Any, i64>("SELECT n FROM change_counter WHERE id = 1").fetch_one(&mut *conn).await.map_err(internal)?;
            if let Some(hit) = self.worklists.get(q, n) {
                return Ok(hit);
            }
            Some(n)
        } else {
            None
        };
        let caseload = caseload(&mut conn, self.db.backend, &q.owners, q.limit).await?;
        let reviews_due = match &q.reviews {
            Some(r) => reviews_due(&mut *conn, r).await?,
            None => (0, 0),
        };
        let proposals_waiting = match q.proposals_area {
            Some(area) => workflow::proposals_waiting(&mut *conn, area).await?,
            None => 0,
        };
        let waiting = workflow::waiting_for(&mut *conn, &q.owners, q.viewer_id).await?;
        let covers = cases::covers(&mut *conn, None, Some(q.viewer_id), &q.covers_since, self.today()).await?;
        let referrals = referrals::referral_list(&mut *conn, &q.referrals, q.viewer_id).await?;
        let lists = WorkLists { caseload, reviews_due, proposals_waiting, waiting, covers, referrals };
        if let Some(n) = counter {
            self.worklists.put(q, n, &lists);
        }
        Ok(lists)
    }

    async fn reviews_due_list(&self, area_team_id: i64, until: &str, limit: i64) -> Result<Vec<TenancyRow>, AppError> {
        let rows = sqlx::query::<Any>(&format!(
            "SELECT t.id, t.reference, t.tenure, t.start_date, t.trial_ends_on, p.reference AS property_reference, \
               p.address_line1, p.postcode, COALESCE(r.balance_pence, 0) AS balance \
             FROM tenancies t JOIN properties p ON p.id = t.property_id LEFT JOIN rent_accounts r ON r.tenancy_id = t.id \
             WHERE t.status = 'active' AND t.tenure IN ({intro}) AND t.trial_ends_on <= $1 \
               AND p.area_team_id = $2 AND {NO_DECISION} ORDER BY t.trial_ends_on, t.reference LIMIT $3",
            intro = INTRODUCTORY.as_str()
        ))
        .bind(until)
        .bind(area_team_id)
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await
        .map_err(internal)?;
        let ids: Vec<i64> = rows.iter().map(|r| i(r, "id")).collect();
        let names = self.tenant_names(&ids).await?;
        Ok(rows.iter().map(|r| tenancy_row(r, &names)).collect())
    }

    async fn search(&self, area_team_id: Option<i64>, terms: &[String], limit: i64) -> Result<Vec<SearchHit>, AppError> {
        let mut hits = self.search_tenancies(area_team_id, terms, limit).await?;
        if (hits.len() as i64) < limit {
            let more = self.search_properties(area_team_id, terms, limit - hits.len() as i64).await?;
            hits.extend(more);
        }
        Ok(hits)
    }

    async fn tenancy(&self, reference: &str, viewer_id: i64) -> Result<Option<TenancyRecord>, AppError> {
        let pool = &self.db.pool;
        let Some(t) = sqlx::query::<Any>(
            "SELECT t.id, t.reference, t.tenure, t.status, t.start_date, t.end_date, t.trial_ends_on, \
               t.extension_notice_served_on, t.owner_id, t.owner_role, t.version, \
               p.reference AS property_reference, p.address_line1, p.address_line2, p.town, p.postcode, p.bedrooms, \
               p.area_team_id, pa.name AS patch, a.name AS area_team, u.display_name AS owner_name \
             FROM tenancies t JOIN properties p ON p.id = t.property_id JOIN patches pa ON pa.id = p.patch_id \
             JOIN area_teams a ON a.id = p.area_team_id LEFT JOIN users u ON u.id = t.owner_id \
             WHERE t.reference = $1",
        )
        .bind(reference)
        .fetch_optional(pool)
        .await
        .map_err(internal)?
        else {
            return Ok(None);
        };
        let id = i(&t, "id");
        let today = self.today();

        let member_rows = sqlx::query::<Any>(
            "SELECT first_name, last_name, date_of_birth, sex, relationship, is_tenant, phone, email \
             FROM household_members WHERE tenancy_id = $1 AND left_on IS NULL ORDER BY is_tenant DESC, date_of_birth",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .map_err(internal)?;
        let mut members = Vec::new();
        let mut occupants = Vec::new();
        for m in &member_rows {
            let dob: chrono::NaiveDate = s(m, "date_of_birth").parse().unwrap_or(today);
            let rel = Relationship::parse(&s(m, "relationship"));
            members.push(Member {
                name: format!("{} {}", s(m, "first_name"), s(m, "last_name")),
                relationship: rel.map(|r| r.label().to_string()).unwrap_or_else(|| s(m, "relationship")),
                date_of_birth: dob.format("%-d %b %Y").to_string(),
                age: age_on(dob, today),
                is_tenant: i(m, "is_tenant") != 0,
                phone: s(m, "phone"),
                email: s(m, "email"),
            });
            occupants.push(Occupant {
                date_of_birth: dob,
                sex: s(m, "sex").chars().next().unwrap_or('F'),
                in_couple: matches!(rel, Some(Relationship::Tenant | Relationship::JointTenant | Relationship::Partner)),
                overnight_carer: rel == Some(Relationship::Carer),
            });
        }
        // Only a tenant with a partner or joint tenant forms a couple.
        if occupants.iter().filter(|o| o.in_couple).count() < 2 {
            for o in &mut occupants {
                o.in_couple = false;
            }
        }

        let rent = match sqlx::query::<Any>("SELECT id, weekly_rent_pence, balance_pence, universal_credit FROM rent_accounts WHERE tenancy_id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(internal)?
        {
            None => None,
            Some(r) => {
                let lines = sqlx::query::<Any>(
                    "SELECT posted_on, kind, amount_pence, description FROM rent_transactions WHERE account_id = $1 \
                     ORDER BY posted_on DESC, id DESC LIMIT 12",
                )
                .bind(i(&r, "id"))
                .fetch_all(pool)
                .await
                .map_err(internal)?;
                Some(RentView {
                    balance: Pence(i(&r, "balance_pence")),
                    weekly_rent: Pence(i(&r, "weekly_rent_pence")),
                    universal_credit: i(&r, "universal_credit") != 0,
                    recent: lines
                        .iter()
                        .map(|l| RentLine {
                            posted_on: s(l, "posted_on"),
                            kind: app::domain::RentTransactionKind::parse(&s(l, "kind")).map(|k| k.label().to_string()).unwrap_or_else(|| s(l, "kind")),
                            amount: Pence(i(l, "amount_pence")),
                            description: s(l, "description"),
                        })
                        .collect(),
                })
            }
        };

        let alerts = sqlx::query::<Any>(
            "SELECT kind, description, created_at FROM alerts WHERE (tenancy_id = $1 OR property_id = (SELECT property_id FROM tenancies WHERE id = $1)) \
             AND (ends_on IS NULL OR ends_on >= $2) ORDER BY created_at",
        )
        .bind(id)
        .bind(today.to_string())
        .fetch_all(pool)
        .await
        .map_err(internal)?
        .iter()
        .map(|a| AlertView {
            kind: app::domain::AlertKind::parse(&s(a, "kind")).map(|k| k.label().to_string()).unwrap_or_else(|| s(a, "kind")),
            description: s(a, "description"),
            since: s(a, "created_at").chars().take(10).collect(),
        })
        .collect();

        let history = cases::transfer_history(&self.db, "tenancy", id).await?;

        let case_sql = format!(
            "SELECT {CASE_COLUMNS}, \
               CASE WHEN EXISTS (SELECT 1 FROM access_grants g WHERE g.subject_type = 'case' AND g.subject_id = c.id AND g.user_id = $2) THEN 1 ELSE 0 END AS granted \
             FROM cases c LEFT JOIN tenancies t ON t.id = c.tenancy_id LEFT JOIN properties p ON p.id = COALESCE(c.property_id, t.property_id) \
             WHERE c.tenancy_id = $1 ORDER BY c.status DESC, c.opened_at DESC"
        );
        let cases = sqlx::query::<Any>(&case_sql).bind(id).bind(viewer_id).fetch_all(pool).await.map_err(internal)?.iter().map(case_row).collect();

        let visit_rows = sqlx::query::<Any>(
            "SELECT v.id, v.officer_id, v.visit_type, v.scheduled_for, v.completed_at, v.outcome, u.display_name AS officer \
             FROM visits v LEFT JOIN users u ON u.id = v.officer_id WHERE v.tenancy_id = $1 ORDER BY v.scheduled_for DESC LIMIT 20",
        )
        .bind(id)
        .fetch_all(pool)
        .await
        .map_err(internal)?;
        let visit_ids: Vec<i64> = visit_rows.iter().map(|v| i(v, "id")).collect();
        let mut findings: HashMap<i64, Vec<String>> = HashMap::new();
        if !visit_ids.is_empty() {
            let sql = format!("SELECT visit_id, kind FROM visit_findings WHERE visit_id IN ({}) ORDER BY id", placeholders(1, visit_ids.len()));
            let mut q = sqlx::query::<Any>(&sql);
            for v in &visit_ids {
                q = q.bind(*v);
            }
            for f in q.fetch_all(pool).await.map_err(internal)? {
                let kind = s(&f, "kind");
                findings.entry(i(&f, "visit_id")).or_default().push(app::domain::FindingKind::parse(&kind).map(|k| k.label().to_string()).unwrap_or(kind));
            }
        }
        let visits = visit_rows
            .iter()
            .map(|v| VisitView {
                id: i(v, "id"),
                officer_id: oi(v, "officer_id"),
                can_link: false,
                date: os(v, "completed_at").unwrap_or_else(|| s(v, "scheduled_for")).chars().take(10).collect(),
                visit_type: app::domain::VisitType::parse(&s(v, "visit_type")).map(|k| k.label().to_string()).unwrap_or_else(|| s(v, "visit_type")),
                outcome: app::domain::VisitOutcome::parse(&s(v, "outcome")).map(|k| k.label().to_string()).unwrap_or_else(|| s(v, "outcome")),
                officer: os(v, "officer"),
                findings: findings.remove(&i(v, "id")).unwrap_or_default(),
            })
            .collect();

        let address = [s(&t, "address_line1"), s(&t, "address_line2"), s(&t, "town")].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(", ");
        let detail = TenancyDetail {
            reference: s(&t, "reference"),
            tenure: Tenure::parse(&s(&t, "tenure")).unwrap_or(Tenure::Secure),
            status: s(&t, "status"),
            version: i(&t, "version"),
            property_reference: s(&t, "property_reference"),
            address,
            postcode: s(&t, "postcode"),
            patch: s(&t, "patch"),
            area_team: s(&t, "area_team"),
            bedrooms: i(&t, "bedrooms"),
            occupation: String::new(),
            key_dates: vec![],
            members,
            rent,
            alerts,
            owner: os(&t, "owner_name").zip(Role::parse(&s(&t, "owner_role"))).map(|(name, role)| OwnerView { name, role }),
            history,
            cases: vec![],
            visits,
        };
        Ok(Some(TenancyRecord {
            id,
            scope: RecordScope { area_team_id: i(&t, "area_team_id"), owner_id: oi(&t, "owner_id"), restricted: false, granted: false, duty: false },
            detail,
            occupants,
            start_date: s(&t, "start_date"),
            trial_ends_on: os(&t, "trial_ends_on"),
            extension_notice_served_on: os(&t, "extension_notice_served_on"),
            cases,
        }))
    }

    async fn property(&self, reference: &str) -> Result<Option<PropertyRecord>, AppError> {
        let pool = &self.db.pool;
        let Some(p) = sqlx::query::<Any>(
            "SELECT p.id, p.reference, p.address_line1, p.address_line2, p.town, p.postcode, p.property_type, p.bedrooms, \
               p.floor, p.independent_living, p.latitude, p.longitude, p.area_team_id, \
               b.name AS block, b.storeys, e.name AS estate, w.name AS ward, a.name AS area_team, pa.name AS patch, \
               pa.officer_id, u.display_name AS patch_officer \
             FROM properties p JOIN wards w ON w.id = p.ward_id JOIN area_teams a ON a.id = p.area_team_id \
             JOIN patches pa ON pa.id = p.patch_id LEFT JOIN users u ON u.id = pa.officer_id \
             LEFT JOIN blocks b ON b.id = p.block_id LEFT JOIN estates e ON e.id = p.estate_id \
             WHERE p.reference = $1",
        )
        .bind(reference)
        .fetch_optional(pool)
        .await
        .map_err(internal)?
        else {
            return Ok(None);
        };
        let id = i(&p, "id");
        let rows =
            sqlx::query::<Any>("SELECT id, reference, tenure, start_date, end_date, status FROM tenancies WHERE property_id = $1 ORDER BY start_date DESC")
                .bind(id)
                .fetch_all(pool)
                .await
                .map_err(internal)?;
        let ids: Vec<i64> = rows.iter().map(|r| i(r, "id")).collect();
        let names = self.tenant_names(&ids).await?;
        let address = [s(&p, "address_line1"), s(&p, "address_line2"), s(&p, "town")].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(", ");
        let detail = PropertyDetail {
            reference: s(&p, "reference"),
            address,
            postcode: s(&p, "postcode"),
            property_type: app::domain::PropertyType::parse(&s(&p, "property_type")).map(|t| t.label().to_string()).unwrap_or_else(|| s(&p, "property_type")),
            bedrooms: i(&p, "bedrooms"),
            block: os(&p, "block"),
            storeys: oi(&p, "storeys"),
            floor: oi(&p, "floor"),
            estate: os(&p, "estate"),
            ward: s(&p, "ward"),
            area_team: s(&p, "area_team"),
            patch: s(&p, "patch"),
            patch_officer: os(&p, "patch_officer"),
            independent_living: i(&p, "independent_living") != 0,
            latitude: p.try_get::<f64, _>("latitude").unwrap_or_default(),
            longitude: p.try_get::<f64, _>("longitude").unwrap_or_default(),
            tenancies: rows
                .iter()
                .map(|r| PastTenancy {
                    reference: s(r, "reference"),
                    tenure: Tenure::parse(&s(r, "tenure")).map(|t| t.label().to_string()).unwrap_or_default(),
                    tenants: names.get(&i(r, "id")).cloned().unwrap_or_default(),
                    start_date: s(r, "start_date"),
                    end_date: os(r, "end_date"),
                    status: s(r, "status"),
                })
                .collect(),
        };
        Ok(Some(PropertyRecord {
            id,
            scope: RecordScope { area_team_id: i(&p, "area_team_id"), owner_id: oi(&p, "officer_id"), restricted: false, granted: false, duty: false },
            detail,
        }))
    }
}
