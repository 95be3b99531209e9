//! The desk's reads: My work's lists in one call (cached by the change counter), search, and
//! property records.

use std::collections::HashMap;

use app::api::desk::store::{Caseload, DeskStore, PropertyRecord, ReviewCount, WorkLists, WorkQuery};
use app::domain::access::RecordScope;
use app::error::AppError;
use app::model::*;
use async_trait::async_trait;
use sqlx::AnyConnection;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::*;

/// *My work*'s lists, kept per query (officer, covers, role, dates) with the `change_counter` they
/// were read at. Every committed change to a counted table moves the counter in its own transaction
/// (migration 0010), so an entry read at the counter's current value is exactly what the queries
/// would return now, on either engine, whichever server process made the change. An officer's
/// landing page then costs one small read until something changes. `Config::worklist_cache`
/// (`HEARTH_WORKLIST_CACHE=off`) turns it off, to measure the queries themselves.
#[derive(Debug)]
pub(super) struct WorkListCache {
    on: bool,
    entries: std::sync::Mutex<HashMap<WorkQuery, (i64, WorkLists)>>,
}

impl WorkListCache {
    /// More officers than a council has, each with a page and a whole caseload; past it the cache
    /// starts again rather than grow. Only lists read since the latest change are ever held.
    const MAX_ENTRIES: usize = 1_000;

    pub(super) fn new(on: bool) -> Self {
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

impl SqlStore {
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
           CAST(COALESCE(SUM(CASE WHEN t.tenure IN ({paying}) AND r.balance_pence > $3 THEN 1 ELSE 0 END), 0) AS BIGINT) AS arrears \
         FROM tenancies t LEFT JOIN rent_accounts r ON r.tenancy_id = t.id \
         WHERE t.owner_id IN ({owners}) AND t.status = $1",
        intro = INTRODUCTORY.as_str(),
        paying = RENT_PAYING.as_str()
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
    let row = sqlx::query::<Any>(&sql).bind(r.today.to_string()).bind(r.until.to_string()).bind(id).fetch_one(ex).await.map_err(internal)?;
    Ok((i(&row, "overdue"), i(&row, "due")))
}

#[async_trait]
impl DeskStore for SqlStore {
    async fn work_lists(&self, q: &WorkQuery) -> Result<WorkLists, AppError> {
        // One connection for the whole read (not one per statement): see `WorkQuery`.
        let mut conn = self.db.pool.acquire().await.map_err(internal)?;
        // Read before the lists, so an entry is never older than the counter it is filed under.
        let counter = if self.worklists.on {
            let n = sqlx::query_scalar::<Any, i64>("SELECT n FROM change_counter WHERE id = 1").fetch_one(&mut *conn).await.map_err(internal)?;
            let kept = self.worklists.get(q, n);
            crate::metrics::worklist_cache(kept.is_some());
            if let Some(hit) = kept {
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
        let covers = casework::covers(&mut *conn, None, Some(q.viewer_id), q.covers_since, self.today()).await?;
        let referrals = referrals::referral_list(&mut *conn, &q.referrals, q.viewer_id).await?;
        let follow_ups = if q.follow_ups { open_follow_ups(&mut conn, &q.owners).await? } else { vec![] };
        let lists = WorkLists { caseload, reviews_due, proposals_waiting, waiting, covers, referrals, follow_ups };
        if let Some(n) = counter {
            self.worklists.put(q, n, &lists);
        }
        Ok(lists)
    }

    async fn households(&self, area_team_id: Option<i64>, owner_id: Option<i64>) -> Result<Vec<app::api::desk::store::HouseholdRecord>, AppError> {
        let rows = sqlx::query::<Any>(
            "SELECT t.id, t.reference, p.address_line1, p.postcode, p.bedrooms, u.display_name, h.relationship, h.is_tenant, h.date_of_birth, h.sex \
             FROM tenancies t JOIN properties p ON p.id = t.property_id LEFT JOIN users u ON u.id = t.owner_id \
             JOIN household_members h ON h.tenancy_id = t.id AND h.left_on IS NULL \
             WHERE t.status = 'active' AND p.bedrooms >= 2 AND (CAST($1 AS BIGINT) IS NULL OR p.area_team_id = $1) AND (CAST($2 AS BIGINT) IS NULL OR t.owner_id = $2) \
             ORDER BY t.id, h.is_tenant DESC, h.date_of_birth",
        )
        .bind(area_team_id)
        .bind(owner_id)
        .fetch_all(&self.db.pool)
        .await
        .map_err(internal)?;
        let mut out: Vec<(i64, app::api::desk::store::HouseholdRecord)> = Vec::new();
        for r in &rows {
            let id = i(r, "id");
            if out.last().map(|(last, _)| *last) != Some(id) {
                out.push((
                    id,
                    app::api::desk::store::HouseholdRecord {
                        reference: s(r, "reference"),
                        address: format!("{}, {}", s(r, "address_line1"), s(r, "postcode")),
                        bedrooms: u32::try_from(i(r, "bedrooms")).unwrap_or(0),
                        officer: os(r, "display_name"),
                        members: Vec::new(),
                    },
                ));
            }
            let member = app::domain::occupancy::Recorded {
                relationship: code(r, "relationship", app::domain::Relationship::parse)?,
                is_tenant: i(r, "is_tenant") != 0,
                date_of_birth: day(r, "date_of_birth")?,
                sex: code(r, "sex", super::records::sex_code)?,
            };
            out.last_mut().expect("pushed above").1.members.push(member);
        }
        Ok(out.into_iter().map(|(_, h)| h).collect())
    }

    async fn search(&self, area_team_id: Option<i64>, terms: &[String], limit: i64) -> Result<Vec<SearchHit>, AppError> {
        let mut hits = self.search_tenancies(area_team_id, terms, limit).await?;
        if (hits.len() as i64) < limit {
            let more = self.search_properties(area_team_id, terms, limit - hits.len() as i64).await?;
            hits.extend(more);
        }
        Ok(hits)
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
                .map(|r| {
                    Ok(PastTenancy {
                        reference: s(r, "reference"),
                        tenure: Tenure::parse(&s(r, "tenure")).map(|t| t.label().to_string()).unwrap_or_default(),
                        tenants: names.get(&i(r, "id")).cloned().unwrap_or_default(),
                        start_date: day(r, "start_date")?,
                        end_date: oday(r, "end_date")?,
                        status: code(r, "status", app::domain::TenancyStatus::parse)?,
                    })
                })
                .collect::<Result<_, AppError>>()?,
        };
        Ok(Some(PropertyRecord {
            id,
            scope: RecordScope { area_team_id: i(&p, "area_team_id"), owner_id: oi(&p, "officer_id"), restricted: false, granted: false, duty: false },
            detail,
        }))
    }
}

/// The open follow-ups from visits to the owners' tenancies, soonest due first (at most 100).
pub(super) async fn open_follow_ups(conn: &mut sqlx::pool::PoolConnection<Any>, owners: &[i64]) -> Result<Vec<FollowUpRow>, AppError> {
    if owners.is_empty() {
        return Ok(vec![]);
    }
    let sql = format!(
        "SELECT f.id, f.kind, f.detail, f.due_at, v.scheduled_for, t.reference, p.address_line1, p.postcode \
         FROM tenancies t JOIN visits v ON v.tenancy_id = t.id JOIN visit_findings f ON f.visit_id = v.id \
         JOIN properties p ON p.id = t.property_id \
         WHERE t.owner_id IN ({}) AND f.actioned_at IS NULL AND f.due_at IS NOT NULL ORDER BY f.due_at, f.id LIMIT 100",
        placeholders(1, owners.len())
    );
    let rows = bind_ids(sqlx::query::<Any>(&sql), owners).fetch_all(&mut **conn).await.map_err(internal)?;
    rows.iter()
        .map(|r| {
            Ok(FollowUpRow {
                id: i(r, "id"),
                kind: code(r, "kind", app::domain::FindingKind::parse)?,
                detail: s(r, "detail"),
                due_at: instant(r, "due_at")?,
                clock: app::domain::clock::ClockStatus::OnTime,
                visited_on: day(r, "scheduled_for")?,
                tenancy_reference: s(r, "reference"),
                address: format!("{}, {}", s(r, "address_line1"), s(r, "postcode")),
            })
        })
        .collect()
}
