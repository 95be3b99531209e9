//! The operations behind both the server functions and the `/api/v1` routes:
//! authorise with the domain rules, load from the store, derive, and audit.

use chrono::{NaiveDate, Utc};

use super::store::{AuditEntry, Store};
use crate::domain::access::{Denial, Principal, RecordScope, can_view_record, searchable_area};
use crate::domain::clock::{self, ClockStatus, WorkingCalendar};
use crate::domain::occupancy;
use crate::domain::search::{MAX_RESULTS, normalise_query, terms};
use crate::domain::Tenure;
use crate::error::AppError;
use crate::model::*;

/// Items due within this many working days show as "due soon".
pub const DUE_SOON_WORKING_DAYS: u32 = 10;
/// Rows of the caseload listed on *My work*.
pub const CASELOAD_PAGE: i64 = 200;

pub fn today() -> NaiveDate {
    clock::to_london(Utc::now()).date_naive()
}

fn session_user(who: &Principal) -> SessionUser {
    SessionUser {
        username: who.username.clone(),
        display_name: who.display_name.clone(),
        role: who.role,
        area_team: who.area_team.clone(),
        agency: who.agency.clone(),
    }
}

/// Status of a due date (a day, due at its end) against today.
pub fn date_clock(due: &str, today: NaiveDate) -> Option<ClockStatus> {
    let due: NaiveDate = due.parse().ok()?;
    let cal = WorkingCalendar::england_and_wales();
    let due_at = clock::london_at(due, clock::END_OF_CALENDAR_DAY);
    let now = clock::london_at(today, chrono::NaiveTime::MIN);
    Some(clock::status(due_at, now, DUE_SOON_WORKING_DAYS, cal))
}

fn instant_clock(due: &str, today: NaiveDate) -> Option<ClockStatus> {
    date_clock(due.get(..10)?, today)
}

pub async fn my_work(store: &dyn Store, who: &Principal) -> Result<MyWork, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let today = today();
    let load = store.caseload(who.user_id, CASELOAD_PAGE).await?;
    let mut tenancies = load.tenancies;
    for t in &mut tenancies {
        t.clock = t.trial_ends_on.as_deref().and_then(|d| date_clock(d, today));
    }
    // Most urgent first: overdue, due soon, then by date.
    tenancies.sort_by(|a, b| (urgency(a.clock), &a.trial_ends_on).cmp(&(urgency(b.clock), &b.trial_ends_on)));
    let mut cases: Vec<CaseRow> = load
        .cases
        .into_iter()
        .filter(|(_, scope)| can_view_record(who, scope).is_ok())
        .map(|(mut c, _)| {
            c.clock = c.due_at.as_deref().and_then(|d| instant_clock(d, today));
            c
        })
        .collect();
    cases.sort_by(|a, b| (urgency(a.clock), &a.due_at).cmp(&(urgency(b.clock), &b.due_at)));
    let mut counts = vec![
        Count { label: "Tenancies".into(), count: load.tenancies_total },
        Count { label: "Introductory tenancies".into(), count: load.introductory_total },
        Count { label: "Arrears over £150".into(), count: load.arrears_total },
        Count { label: "Open cases".into(), count: cases.len() as i64 },
    ];
    let overdue = tenancies.iter().filter(|t| t.clock == Some(ClockStatus::Overdue)).count()
        + cases.iter().filter(|c| c.clock == Some(ClockStatus::Overdue)).count();
    counts.push(Count { label: "Overdue".into(), count: overdue as i64 });
    Ok(MyWork { user: session_user(who), counts, tenancies, tenancies_total: load.tenancies_total, cases })
}

fn urgency(c: Option<ClockStatus>) -> u8 {
    match c {
        Some(ClockStatus::Overdue) => 0,
        Some(ClockStatus::DueSoon) => 1,
        Some(ClockStatus::OnTime) => 2,
        None => 3,
    }
}

pub async fn search(store: &dyn Store, who: &Principal, query: &str) -> Result<SearchResults, AppError> {
    let area = searchable_area(who)?;
    let Some(q) = normalise_query(query) else {
        return Ok(SearchResults { query: query.trim().to_string(), hits: vec![], truncated: false });
    };
    let terms = terms(&q);
    let mut hits = store.search(area, &terms, MAX_RESULTS as i64 + 1).await?;
    let truncated = hits.len() > MAX_RESULTS;
    hits.truncate(MAX_RESULTS);
    Ok(SearchResults { query: q, hits, truncated })
}

async fn audit(store: &dyn Store, who: &Principal, ip: &str, action: &str, subject_type: &str, subject_id: Option<i64>, outcome: Result<(), Denial>, detail: String) -> Result<(), AppError> {
    store
        .audit(AuditEntry {
            user_id: Some(who.user_id),
            username: who.username.clone(),
            action: action.into(),
            subject_type: subject_type.into(),
            subject_id,
            outcome: match outcome {
                Ok(()) => "allowed".into(),
                Err(d) => format!("denied:{}", d.code()),
            },
            reason: String::new(),
            detail,
            ip: ip.into(),
        })
        .await
}

/// Views of records outside the user's own caseload are audited; refusals always are.
fn worth_auditing(who: &Principal, scope: &RecordScope, outcome: Result<(), Denial>) -> bool {
    outcome.is_err() || scope.restricted || who.area_team_id != Some(scope.area_team_id)
}

pub async fn tenancy(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<TenancyDetail, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let reference = reference.trim().to_uppercase();
    let Some(rec) = store.tenancy(&reference, who.user_id).await? else {
        return Err(AppError::NotFound(format!("Tenancy {reference}")));
    };
    let outcome = can_view_record(who, &rec.scope);
    if worth_auditing(who, &rec.scope, outcome) {
        audit(store, who, ip, "view_tenancy", "tenancy", Some(rec.id), outcome, reference.clone()).await?;
    }
    outcome?;
    let today = today();
    let mut detail = rec.detail;
    let on = today;
    detail.occupation = occupancy::occupation(detail.bedrooms.max(0) as u32, &rec.occupants, on).label();
    detail.key_dates = key_dates(&detail, &rec.start_date, rec.trial_ends_on.as_deref(), rec.extension_notice_served_on.as_deref(), today);
    let mut hidden = 0;
    detail.cases = rec
        .cases
        .into_iter()
        .filter_map(|(mut c, scope)| {
            if can_view_record(who, &scope).is_ok() {
                c.clock = if c.status == "open" { c.due_at.as_deref().and_then(|d| instant_clock(d, today)) } else { None };
                Some(c)
            } else {
                hidden += 1;
                None
            }
        })
        .collect();
    if hidden > 0 {
        detail.cases.push(CaseRow {
            reference: "—".into(),
            kind: crate::domain::CaseKind::Safeguarding,
            title: format!("{hidden} restricted case{} not shown (need to know)", if hidden == 1 { "" } else { "s" }),
            status: "restricted".into(),
            tenancy_reference: None,
            address: String::new(),
            opened_at: String::new(),
            due_at: None,
            clock: None,
            restricted: true,
        });
    }
    Ok(detail)
}

fn key_dates(detail: &TenancyDetail, start: &str, trial_ends_on: Option<&str>, notice_served: Option<&str>, today: NaiveDate) -> Vec<KeyDate> {
    let mut dates = vec![KeyDate { label: "Tenancy start".into(), date: start.into(), clock: None }];
    let introductory = matches!(detail.tenure, Tenure::Introductory | Tenure::ExtendedIntroductory);
    if let (true, Some(end)) = (introductory, trial_ends_on) {
        if detail.tenure == Tenure::Introductory {
            if let Ok(end_date) = end.parse::<NaiveDate>() {
                let last_notice = clock::extension_notice_last_day(end_date).to_string();
                dates.push(KeyDate { label: "Last day to serve a notice of extension".into(), clock: date_clock(&last_notice, today), date: last_notice });
            }
        }
        dates.push(KeyDate { label: "Introductory review decision due (trial ends)".into(), date: end.into(), clock: date_clock(end, today) });
    }
    if let Some(served) = notice_served {
        dates.push(KeyDate { label: "Notice of extension served".into(), date: served.into(), clock: None });
    }
    dates
}

pub async fn property(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<PropertyDetail, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let reference = reference.trim().to_uppercase();
    let Some(rec) = store.property(&reference).await? else {
        return Err(AppError::NotFound(format!("Property {reference}")));
    };
    let outcome = can_view_record(who, &rec.scope);
    if worth_auditing(who, &rec.scope, outcome) {
        audit(store, who, ip, "view_property", "property", Some(rec.id), outcome, reference.clone()).await?;
    }
    outcome?;
    Ok(rec.detail)
}

pub async fn patches(store: &dyn Store, who: &Principal) -> Result<Vec<PatchSummary>, AppError> {
    let area = searchable_area(who)?;
    store.patches(area).await
}
