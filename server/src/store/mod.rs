//! sqlx storage behind the `Store` trait the services use. Portable SQL through sqlx `Any`:
//! `$n` placeholders, ISO text dates, BIGINT/INTEGER numbers, `CAST(SUM(..) AS BIGINT)`.

pub mod accounts;
pub mod admin;
pub mod bulk;
mod casework;
mod complaints;
mod desk;
pub mod feedback;
mod hazards;
mod map;
mod pipeline;
mod records;
pub mod referrals;
mod reviews;
mod sessions;
pub mod subject_access;
mod visits;
mod workflow;

use app::domain::timescales::Timescales;
use std::collections::HashMap;
use std::sync::Arc;

use desk::WorkListCache;

use app::api::kit::store::{AuditEntry, KitStore, TenancyRecord};
use app::domain::access::RecordScope;
use app::domain::clock::WorkingCalendar;
use app::domain::{CaseKind, Pence, Role, Tenure};
use app::error::AppError;
use app::model::*;
use async_trait::async_trait;
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

/// Ends a change: its audit row (naming `new_id`, the record the change made, if the entry names
/// none) and the commit, together: both are kept, or neither.
pub(crate) async fn commit_audited(mut tx: sqlx::Transaction<'_, Any>, audit: AuditEntry, new_id: Option<i64>) -> Result<(), AppError> {
    write_audit(&mut *tx, audit, new_id).await?;
    tx.commit().await.map_err(internal)
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
    timescales: Timescales,
}

/// Logs a database error and returns the generic error the user sees.
pub fn internal(e: sqlx::Error) -> AppError {
    tracing::error!(error = %e, "database error");
    AppError::Internal
}

pub fn now_rfc3339() -> String {
    chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// A record that carries its steps (a hazard, a pipeline entry).
pub(crate) trait WithSteps {
    type Step;
    fn id(&self) -> i64;
    fn steps(&mut self) -> &mut Vec<Self::Step>;
}

/// Reads one row into a value.
pub(crate) type FromRow<T> = fn(&AnyRow) -> Result<T, AppError>;

/// A tenancy's records with their steps in order: `records` and `steps` are each bound to the
/// tenancy, and `parent` is the step rows' column naming the record a step belongs to.
pub(crate) async fn tenancy_records_with_steps<R: WithSteps>(
    db: &Db,
    tenancy_id: i64,
    (records, record): (&str, FromRow<R>),
    (steps, parent, step): (&str, &str, FromRow<R::Step>),
) -> Result<Vec<R>, AppError> {
    let mut out =
        sqlx::query::<Any>(records).bind(tenancy_id).fetch_all(&db.pool).await.map_err(internal)?.iter().map(record).collect::<Result<Vec<_>, _>>()?;
    for row in &sqlx::query::<Any>(steps).bind(tenancy_id).fetch_all(&db.pool).await.map_err(internal)? {
        let id: i64 = row.try_get(parent).map_err(internal)?;
        if let Some(r) = out.iter_mut().find(|r| r.id() == id) {
            r.steps().push(step(row)?);
        }
    }
    Ok(out)
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

pub use complaints::stage_code as complaint_stage_code;
pub use map::WEIGHTS_KEY;

/// Every key of the `settings` table Hearth reads; a key not listed here would do nothing.
pub const SETTING_KEYS: &[&str] = &[map::WEIGHTS_KEY];

/// The tenures that pay rent (`Tenure::pays_rent`), as an SQL list: only they count in arrears.
static RENT_PAYING: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| Tenure::ALL.iter().filter(|t| t.pays_rent()).map(|t| format!("'{}'", t.as_str())).collect::<Vec<_>>().join(", "));

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
/// A stored day: ISO text (`YYYY-MM-DD`), or the UTC day of a stored RFC 3339 instant.
pub fn parse_day(text: &str) -> Option<chrono::NaiveDate> {
    text.get(..10)?.parse().ok()
}
fn bad_day(col: &str) -> AppError {
    tracing::error!(column = col, "a stored date is not YYYY-MM-DD");
    AppError::Internal
}
/// A day column; a missing or malformed value is an internal error (logged with its column).
fn day(row: &AnyRow, col: &str) -> Result<chrono::NaiveDate, AppError> {
    oday(row, col)?.ok_or_else(|| bad_day(col))
}
/// A nullable day column: NULL is None, a malformed value an internal error.
fn oday(row: &AnyRow, col: &str) -> Result<Option<chrono::NaiveDate>, AppError> {
    os(row, col).map(|t| parse_day(&t).ok_or_else(|| bad_day(col))).transpose()
}
/// A stored instant: whole-second RFC 3339 UTC text.
pub fn parse_instant(text: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    chrono::DateTime::parse_from_rfc3339(text).ok().map(|t| t.with_timezone(&chrono::Utc))
}
fn bad_instant(col: &str) -> AppError {
    tracing::error!(column = col, "a stored instant is not RFC 3339");
    AppError::Internal
}
/// An instant column; a missing or malformed value is an internal error (logged with its column).
fn instant(row: &AnyRow, col: &str) -> Result<chrono::DateTime<chrono::Utc>, AppError> {
    oinstant(row, col)?.ok_or_else(|| bad_instant(col))
}
/// A nullable instant column: NULL is None, a malformed value an internal error.
fn oinstant(row: &AnyRow, col: &str) -> Result<Option<chrono::DateTime<chrono::Utc>>, AppError> {
    os(row, col).map(|t| parse_instant(&t).ok_or_else(|| bad_instant(col))).transpose()
}
/// A code column read as its domain type; an unknown code is an internal error (logged with
/// its column and the code).
fn code<T>(row: &AnyRow, col: &str, parse: impl FnOnce(&str) -> Option<T>) -> Result<T, AppError> {
    let text = s(row, col);
    parse(&text).ok_or_else(|| {
        tracing::error!(column = col, code = %text, "a stored code is not one the domain knows");
        AppError::Internal
    })
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
    due_at: Option<chrono::DateTime<chrono::Utc>>,
    restricted: i64,
    area_team_id: i64,
    owner_id: Option<i64>,
    tenancy_reference: Option<String>,
    address_line1: Option<String>,
    postcode: Option<String>,
    granted: i64,
}

impl CaseFields {
    fn from_row(r: &AnyRow) -> Result<CaseFields, AppError> {
        Ok(CaseFields {
            reference: s(r, "reference"),
            kind: s(r, "kind"),
            title: s(r, "title"),
            status: s(r, "status"),
            opened_at: s(r, "opened_at"),
            due_at: oinstant(r, "due_at")?,
            restricted: i(r, "restricted"),
            area_team_id: i(r, "area_team_id"),
            owner_id: oi(r, "owner_id"),
            tenancy_reference: os(r, "tenancy_reference"),
            address_line1: os(r, "address_line1"),
            postcode: os(r, "postcode"),
            granted: i(r, "granted"),
        })
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

fn case_row(r: &AnyRow) -> Result<(CaseRow, RecordScope), AppError> {
    Ok(CaseFields::from_row(r)?.listed())
}

/// No introductory review is open or approved-but-pending for tenancy `t`, and no possession
/// proceedings are running (they keep it introductory past its trial: Housing Act 1996 s.130).
const NO_DECISION: &str = "NOT EXISTS (SELECT 1 FROM workflow_items w WHERE w.subject_type = 'tenancy' AND w.subject_id = t.id \
     AND w.flow = 'introductory_review' AND (w.state IN ('proposed', 'sent_back') OR (w.state = 'completed' AND w.applied_at IS NULL))) \
     AND NOT EXISTS (SELECT 1 FROM introductory_steps b WHERE b.tenancy_id = t.id AND b.kind = 'proceedings_begun' \
       AND NOT EXISTS (SELECT 1 FROM introductory_steps e WHERE e.tenancy_id = t.id AND e.kind = 'proceedings_ended' AND e.id > b.id))";

fn tenancy_row(r: &AnyRow, names: &HashMap<i64, String>) -> Result<TenancyRow, AppError> {
    Ok(TenancyRow {
        reference: s(r, "reference"),
        property_reference: s(r, "property_reference"),
        address: s(r, "address_line1"),
        postcode: s(r, "postcode"),
        tenure: Tenure::parse(&s(r, "tenure")).unwrap_or(Tenure::Secure),
        tenants: names.get(&i(r, "id")).cloned().unwrap_or_default(),
        balance: Pence(i(r, "balance")),
        start_date: day(r, "start_date")?,
        trial_ends_on: oday(r, "trial_ends_on")?,
        clock: None,
        notice_by: None,
        notice_clock: None,
    })
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

    /// This store with the council's timescales (`Settings::timescales`).
    pub fn with_timescales(self, timescales: Timescales) -> Self {
        SqlStore { timescales, ..self }
    }

    /// A store that keeps *My work*'s lists between changes only if `on`.
    pub fn with_worklist_cache(db: Db, on: bool) -> Self {
        SqlStore { db, worklists: Arc::new(WorkListCache::new(on)), calendar: Default::default(), fixed_today: None, timescales: Timescales::default() }
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
}

#[async_trait]
impl KitStore for SqlStore {
    fn backend(&self) -> &'static str {
        self.db.backend.name()
    }
    fn today(&self) -> chrono::NaiveDate {
        self.fixed_today.unwrap_or_else(app::api::kit::clock::today)
    }

    fn timescales(&self) -> Timescales {
        self.timescales
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
        casework::user_facts(&self.db, user_id).await
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
                  WHERE p.patch_id = pa.id AND t.status = 'active' AND t.tenure IN ({paying}) AND r.balance_pence > $1) AS arrears \
             FROM patches pa JOIN area_teams a ON a.id = pa.area_team_id LEFT JOIN users u ON u.id = pa.officer_id \
             {filter} ORDER BY pa.name",
            intro = INTRODUCTORY.as_str(),
            paying = RENT_PAYING.as_str()
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

    async fn tenancy(&self, reference: &str, viewer_id: i64) -> Result<Option<TenancyRecord>, AppError> {
        records::tenancy(self, reference, viewer_id).await
    }
}
