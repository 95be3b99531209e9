//! The JSON API for integrations at `/api/v1`, documented by the OpenAPI document at
//! `/api/v1/openapi.json` (generated from these handlers by utoipa). Handlers are thin:
//! they call the same services as the pages, so authorisation and audit are identical.

use app::api::RequestMeta;
use app::api::{casework, service};
use app::domain::access::Principal;
use app::error::AppError;
use app::model::*;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Extension, Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use crate::state::AppState;

pub mod admin;
pub mod map;
pub mod referrals;

#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    pub error: String,
    pub message: String,
}

pub fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    (status, Json(ErrorBody { error: code.into(), message: message.into() })).into_response()
}

pub fn app_error(e: AppError) -> Response {
    error_response(StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR), e.code(), &e.to_string())
}

pub(crate) fn reply<T: Serialize>(r: Result<T, AppError>) -> Response {
    match r {
        Ok(v) => Json(v).into_response(),
        Err(e) => app_error(e),
    }
}

/// The signed-in caller; a request without one is answered 401 in JSON before the handler runs.
pub struct SignedIn(pub Principal);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Principal>().cloned().map(SignedIn).ok_or_else(|| app_error(AppError::NotSignedIn))
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Health {
    pub status: &'static str,
    pub database: &'static str,
    pub version: &'static str,
}

/// Liveness and which database is in use.
#[utoipa::path(get, path = "/api/v1/health", tag = "meta", responses((status = 200, body = Health), (status = 503, body = Health)))]
pub async fn health(State(state): State<AppState>) -> Response {
    let ok = crate::store::accounts::answers(&state.db).await;
    let body = Health { status: if ok { "ok" } else { "unavailable" }, database: state.db.backend.name(), version: env!("CARGO_PKG_VERSION") };
    (if ok { StatusCode::OK } else { StatusCode::SERVICE_UNAVAILABLE }, Json(body)).into_response()
}

/// The signed-in user.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])), responses((status = 200, body = SessionUser), (status = 401, body = ErrorBody)))]
pub async fn me(SignedIn(who): SignedIn) -> Response {
    Json(SessionUser { username: who.username, display_name: who.display_name, role: who.role, area_team: who.area_team, agency: who.agency }).into_response()
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MyWorkQuery {
    /// `true` lists every tenancy the caller manages; by default the 50 most urgent.
    #[serde(default)]
    pub all: bool,
}

/// The caller's worklist: alarms, counts, items waiting for them, open cases and tenancies, most urgent first.
#[utoipa::path(get, path = "/api/v1/my-work", tag = "desk", params(MyWorkQuery), security(("bearer" = [])), responses((status = 200, body = MyWork), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn my_work(State(state): State<AppState>, SignedIn(who): SignedIn, q: Result<QueryIn<MyWorkQuery>, Response>) -> Response {
    let Ok(QueryIn(q)) = q else {
        return error_response(StatusCode::BAD_REQUEST, "invalid", "Give ?all=true for every tenancy, or nothing for the most urgent.");
    };
    reply(service::my_work(&*state.store, &who, q.all).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// Address, postcode, tenant name, or property or tenancy reference.
    pub q: String,
}

/// Search tenancies and properties the caller may see.
#[utoipa::path(get, path = "/api/v1/search", tag = "desk", params(SearchQuery), security(("bearer" = [])), responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn search(State(state): State<AppState>, SignedIn(who): SignedIn, q: Result<QueryIn<SearchQuery>, Response>) -> Response {
    let Ok(QueryIn(q)) = q else { return error_response(StatusCode::BAD_REQUEST, "invalid", "Give the search text as ?q=...") };
    reply(service::search(&*state.store, &who, &q.q).await)
}

/// One tenancy: household, tenure and key dates, rent, alerts, owner and history.
#[utoipa::path(get, path = "/api/v1/tenancies/{reference}", tag = "records", params(("reference" = String, Path, description = "Tenancy reference, e.g. TEN0001234")), security(("bearer" = [])),
    responses((status = 200, body = TenancyDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn tenancy(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
) -> Response {
    reply(service::tenancy(&*state.store, &who, &reference, &meta.ip).await)
}

/// One property: details, block, patch and officer, tenancy history.
#[utoipa::path(get, path = "/api/v1/properties/{reference}", tag = "records", params(("reference" = String, Path, description = "Property reference, e.g. PR000123")), security(("bearer" = [])),
    responses((status = 200, body = PropertyDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn property(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
) -> Response {
    reply(service::property(&*state.store, &who, &reference, &meta.ip).await)
}

/// Patches the caller may see, with homes and workload counts.
#[utoipa::path(get, path = "/api/v1/patches", tag = "records", security(("bearer" = [])), responses((status = 200, body = Vec<PatchSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn patches(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(service::patches(&*state.store, &who).await)
}

/// Our JSON answer to a request whose body, query string or path did not parse: 413 for a body
/// over the limit, otherwise 400 (never axum's plain-text 400, 415 or 422), with the parser's words.
pub(crate) fn rejection(status: StatusCode, words: &str) -> Response {
    if status == StatusCode::PAYLOAD_TOO_LARGE {
        error_response(status, "too_large", &format!("The request body is too large: {words}"))
    } else {
        error_response(StatusCode::BAD_REQUEST, "invalid", words)
    }
}

/// A JSON body; one that fails to parse gets our JSON 400 (or 413) with the parser's words.
pub struct JsonIn<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequest<S> for JsonIn<T> {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(v)) => Ok(JsonIn(v)),
            Err(e) => Err(rejection(e.status(), &e.body_text())),
        }
    }
}

/// Query-string parameters; ones that fail to parse get our JSON 400 with the parser's words.
pub struct QueryIn<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned> axum::extract::FromRequestParts<S> for QueryIn<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(v)) => Ok(QueryIn(v)),
            Err(e) => Err(rejection(e.status(), &e.body_text())),
        }
    }
}

/// Path parameters (an id in the route); one that fails to parse gets our JSON 400 with the parser's words.
pub struct PathIn<T>(pub T);

impl<S: Send + Sync, T: serde::de::DeserializeOwned + Send> axum::extract::FromRequestParts<S> for PathIn<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Path::<T>::from_request_parts(parts, state).await {
            Ok(Path(v)) => Ok(PathIn(v)),
            Err(e) => Err(rejection(e.status(), &e.body_text())),
        }
    }
}

/// A plain-text body (the TSM CSV); one that is not UTF-8 gets our JSON 400, one over the limit our JSON 413.
pub struct TextIn(pub String);

impl<S: Send + Sync> axum::extract::FromRequest<S> for TextIn {
    type Rejection = Response;

    async fn from_request(req: axum::extract::Request, state: &S) -> Result<Self, Self::Rejection> {
        match String::from_request(req, state).await {
            Ok(s) => Ok(TextIn(s)),
            Err(e) => Err(rejection(e.status(), &e.body_text())),
        }
    }
}

/// The introductory review of a tenancy: dates, clock, proposals and the moves the caller may make.
#[utoipa::path(get, path = "/api/v1/tenancies/{reference}/review", tag = "transfers", params(("reference" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
) -> Response {
    reply(service::review_panel(&*state.store, &who, &reference, &meta.ip).await)
}

/// The Introductory HMO proposes the review's outcome (make secure, extend, seek possession).
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/review", tag = "transfers", params(("reference" = String, Path)), request_body = service::ReviewProposal, security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn propose_review(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(p): JsonIn<service::ReviewProposal>,
) -> Response {
    reply(service::propose_review(&*state.store, &who, &reference, p, &meta.ip).await)
}

/// Decide an open proposal: approve, send_back, decline, withdraw or acknowledge. Illegal moves get 403 or 409.
#[utoipa::path(post, path = "/api/v1/workflow/{id}/decision", tag = "transfers", params(("id" = i64, Path)), request_body = service::ItemDecision, security(("bearer" = [])),
    responses((status = 200, body = WorkflowView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(id): PathIn<i64>,
    JsonIn(d): JsonIn<service::ItemDecision>,
) -> Response {
    reply(service::decide_item(&*state.store, &who, id, d, &meta.ip).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NoticeServed {
    pub version: i64,
    /// YYYY-MM-DD
    pub served_on: String,
}

/// Record the day a notice of extension was served.
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/extension-notice", tag = "transfers", params(("reference" = String, Path)), request_body = NoticeServed, security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn extension_notice(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(n): JsonIn<NoticeServed>,
) -> Response {
    reply(service::record_notice(&*state.store, &who, &reference, n.version, &n.served_on, &meta.ip).await)
}

/// Open proposals in the caller's area, most urgent first (the Team Leader's approvals queue).
#[utoipa::path(get, path = "/api/v1/approvals", tag = "transfers", security(("bearer" = [])), responses((status = 200, body = Vec<WorkflowView>), (status = 403, body = ErrorBody)))]
pub async fn approvals(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(service::approvals(&*state.store, &who).await)
}

/// Escalate a tenancy to Legal (notice, possession) or the Community Safety Hub (evidence review, injunction).
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/escalations", tag = "transfers", params(("reference" = String, Path)), request_body = service::EscalationRequest, security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn escalate(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(e): JsonIn<service::EscalationRequest>,
) -> Response {
    reply(service::escalate(&*state.store, &who, &reference, e, &meta.ip).await)
}

/// Introductory tenancies in the caller's area reaching their anniversary within six weeks (or past it) with no decision.
#[utoipa::path(get, path = "/api/v1/reviews-due", tag = "transfers", security(("bearer" = [])), responses((status = 200, body = Vec<TenancyRow>), (status = 403, body = ErrorBody)))]
pub async fn reviews_due(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(service::reviews_due(&*state.store, &who).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct WorkingDaysQuery {
    /// Start date, YYYY-MM-DD.
    pub from: Option<String>,
    /// Count this many working days strictly after `from` (0 to 3,650).
    pub add: Option<String>,
    /// Or count the working days after `from` up to and including `to` (YYYY-MM-DD).
    pub to: Option<String>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WorkingDate {
    pub date: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct WorkingDayCount {
    pub working_days: u32,
}

/// `{"date"}` for `?add=`, `{"working_days"}` for `?to=`.
#[derive(Serialize, utoipa::ToSchema)]
#[serde(untagged)]
pub enum WorkingDaysAnswer {
    Date(WorkingDate),
    Count(WorkingDayCount),
}

fn parse_date(field: &str, value: Option<&str>) -> Result<chrono::NaiveDate, AppError> {
    let value = value.ok_or_else(|| AppError::Invalid(format!("Give {field} as a date, YYYY-MM-DD.")))?;
    app::domain::clock::input_date(value, &format!("{field}={value:?} is not a date in the form YYYY-MM-DD.")).map_err(AppError::Invalid)
}

/// The council's working-day calendar (England and Wales bank holidays plus any the council
/// has added), so partner systems compute the same due dates as Hearth. Public.
#[utoipa::path(get, path = "/api/v1/calendar/working-days", tag = "calendar", params(WorkingDaysQuery),
    responses((status = 200, description = "`{\"date\"}` for ?add=, `{\"working_days\"}` for ?to=", body = WorkingDaysAnswer), (status = 400, body = ErrorBody)))]
pub async fn working_days(State(state): State<AppState>, q: Result<QueryIn<WorkingDaysQuery>, Response>) -> Response {
    let Ok(QueryIn(q)) = q else { return error_response(StatusCode::BAD_REQUEST, "invalid", "Give ?from=YYYY-MM-DD and either &add=N or &to=YYYY-MM-DD.") };
    let result = async {
        let from = parse_date("from", q.from.as_deref())?;
        let calendar = state.store.calendar().await?;
        match (q.add.as_deref(), q.to.as_deref()) {
            (Some(add), None) => {
                let n: u32 = add
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| *n <= 3650)
                    .ok_or_else(|| AppError::Invalid(format!("add={add:?} must be a whole number of working days from 0 to 3650.")))?;
                Ok(WorkingDaysAnswer::Date(WorkingDate { date: calendar.add_working_days(from, n).to_string() }))
            }
            (None, Some(_)) => {
                let to = parse_date("to", q.to.as_deref())?;
                let n = calendar.working_days_between(from, to).map_err(|e| AppError::Invalid(e.to_string()))?;
                Ok(WorkingDaysAnswer::Count(WorkingDayCount { working_days: n }))
            }
            _ => Err(AppError::Invalid("Give exactly one of add=N or to=YYYY-MM-DD.".into())),
        }
    }
    .await;
    reply(result)
}

/// A case: its clock, plan, moves between roles (with the caller's permitted moves) and history.
#[utoipa::path(get, path = "/api/v1/cases/{reference}", tag = "transfers", params(("reference" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn case(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
) -> Response {
    reply(casework::case_detail(&*state.store, &who, &reference, &meta.ip).await)
}

/// The Community HMO refers a case to the Sustainable Tenancy HMO (the Team Leader decides through /workflow/{id}/decision with `assign_to`).
#[utoipa::path(post, path = "/api/v1/cases/{reference}/referral", tag = "transfers", params(("reference" = String, Path)), request_body = casework::CaseReferral, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn refer_case(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(r): JsonIn<casework::CaseReferral>,
) -> Response {
    reply(casework::refer_case(&*state.store, &who, &reference, r, &meta.ip).await)
}

/// Escalate a case to Legal (notice, possession) or the Community Safety Hub (evidence review, injunction).
#[utoipa::path(post, path = "/api/v1/cases/{reference}/escalations", tag = "transfers", params(("reference" = String, Path)), request_body = service::EscalationRequest, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn escalate_case(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(e): JsonIn<service::EscalationRequest>,
) -> Response {
    reply(casework::escalate_case(&*state.store, &who, &reference, e, &meta.ip).await)
}

/// The Sustainable Tenancy HMO proposes handing the case back (the Community HMO acknowledges).
#[utoipa::path(post, path = "/api/v1/cases/{reference}/hand-back", tag = "transfers", params(("reference" = String, Path)), request_body = casework::HandBackRequest, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn hand_back(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(h): JsonIn<casework::HandBackRequest>,
) -> Response {
    reply(casework::hand_back(&*state.store, &who, &reference, h, &meta.ip).await)
}

/// Record the plan's agreement with the tenant and its next review date (the case's clock).
#[utoipa::path(put, path = "/api/v1/cases/{reference}/plan", tag = "plans", params(("reference" = String, Path)), request_body = casework::PlanDates, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_plan(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(p): JsonIn<casework::PlanDates>,
) -> Response {
    reply(casework::set_plan(&*state.store, &who, &reference, p, &meta.ip).await)
}

/// Add an action to the case's plan (owner: officer, tenant or agency; due date).
#[utoipa::path(post, path = "/api/v1/cases/{reference}/actions", tag = "plans", params(("reference" = String, Path)), request_body = casework::PlanActionRequest, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_action(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(a): JsonIn<casework::PlanActionRequest>,
) -> Response {
    reply(casework::add_action(&*state.store, &who, &reference, a, &meta.ip).await)
}

/// Mark a plan action done, no longer needed, or open again (versioned).
#[utoipa::path(post, path = "/api/v1/plan-actions/{id}", tag = "plans", params(("id" = i64, Path)), request_body = casework::PlanActionUpdate, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_action(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(id): PathIn<i64>,
    JsonIn(u): JsonIn<casework::PlanActionUpdate>,
) -> Response {
    reply(casework::update_action(&*state.store, &who, id, u, &meta.ip).await)
}

/// The Regulator's reporting year, as `2023-24`.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    /// Reporting year, `YYYY-YY` (for example `2023-24` for April 2023 to March 2024).
    pub year: String,
}

fn check_year(y: &str) -> Result<(), AppError> {
    let ok = y.len() == 7
        && y.as_bytes()[4] == b'-'
        && matches!((y[..4].parse::<u32>(), y[5..].parse::<u32>()), (Ok(a), Ok(b)) if (a + 1) % 100 == b && (2000..2100).contains(&a));
    if ok { Ok(()) } else { Err(AppError::Invalid(format!("The year must look like 2023-24 (April 2023 to March 2024), not {y:?}."))) }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub year: String,
    pub landlords: usize,
    pub figures: usize,
    /// Rows that could not be read, by their line in the file; the rest were imported.
    pub problems: Vec<ImportProblem>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportProblem {
    pub line: u64,
    pub message: String,
}

/// Import the Regulator's TSM perception dataset for a year (administrators). The body is the
/// perception sheet as CSV; columns are matched by their (TPxx) code, so any year's layout reads.
/// Replaces that year's data. Rows that cannot be read are reported by line; the rest land.
#[utoipa::path(post, path = "/api/v1/benchmarks/tsm", tag = "feedback", params(YearQuery), request_body(content = String, content_type = "text/csv"), security(("bearer" = [])),
    responses((status = 200, body = ImportReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn import_tsm(State(state): State<AppState>, SignedIn(who): SignedIn, QueryIn(q): QueryIn<YearQuery>, TextIn(body): TextIn) -> Response {
    if who.role != app::domain::Role::Admin {
        return app_error(AppError::Forbidden("Only administrators import the Regulator's data.".into()));
    }
    if let Err(e) = check_year(&q.year) {
        return app_error(e);
    }
    let import = match app::domain::tsm::import_csv(&body) {
        Ok(i) => i,
        Err(e) => return app_error(AppError::Invalid(format!("This is not a TSM perception sheet: {e}."))),
    };
    match crate::store::feedback::import_tsm(&state.db, &q.year, &import, who.user_id, &crate::store::now_rfc3339()).await {
        Ok(figures) => Json(ImportReport {
            year: q.year,
            landlords: import.landlords.len(),
            figures,
            problems: import.problems.into_iter().map(|p| ImportProblem { line: p.line, message: p.message }).collect(),
        })
        .into_response(),
        Err(e) => app_error(e),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BenchmarkLandlord {
    /// The Regulator's registration code.
    pub code: String,
    pub name: String,
    /// `LA` (council) or `PRP` (housing association).
    pub landlord_type: String,
    pub measures: Vec<BenchmarkMeasure>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BenchmarkMeasure {
    /// TP01 … TP12.
    pub measure: String,
    /// Recomputed from the response counts: satisfied × 100 / base, half-up to one decimal place.
    pub percent: Option<f64>,
    /// Substantive answers (weighted counts keep their decimals).
    pub base: f64,
}

/// A year's TSM perception results per landlord and measure, recomputed from the counts.
#[utoipa::path(get, path = "/api/v1/benchmarks/tsm", tag = "feedback", params(YearQuery), security(("bearer" = [])),
    responses((status = 200, body = [BenchmarkLandlord]), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_tsm(State(state): State<AppState>, SignedIn(_who): SignedIn, QueryIn(q): QueryIn<YearQuery>) -> Response {
    if let Err(e) = check_year(&q.year) {
        return app_error(e);
    }
    match crate::store::feedback::benchmark(&state.db, &q.year).await {
        Ok(v) if v.is_empty() => app_error(AppError::NotFound(format!("No TSM data has been imported for {}.", q.year))),
        Ok(v) => Json(
            v.into_iter()
                .map(|l| BenchmarkLandlord {
                    code: l.code,
                    name: l.name,
                    landlord_type: l.landlord_type,
                    measures: l
                        .measures
                        .into_iter()
                        .map(|m| BenchmarkMeasure { measure: m.measure, percent: m.percent.map(|p| p.as_f64()), base: m.answers.base().0 as f64 / 1_000_000.0 })
                        .collect(),
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => app_error(e),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ResultsQuery {
    /// all, role, area, patch, officer or month.
    pub by: Option<String>,
    /// How many months back (1–36, default 12).
    pub months: Option<i64>,
    /// Comments containing these words.
    pub q: Option<String>,
    /// Comments about this area team, patch or officer (ids; 0 or absent: any).
    pub area: Option<i64>,
    pub patch: Option<i64>,
    pub officer: Option<i64>,
}

impl ResultsQuery {
    fn comment_filter(&self) -> app::domain::feedback::CommentFilter {
        app::domain::feedback::CommentFilter::new(self.q.as_deref().unwrap_or(""), self.area, self.patch, self.officer)
    }
}

/// Satisfaction figures from Hearth's own feedback, grouped, with comments and the peer benchmark.
#[utoipa::path(get, path = "/api/v1/feedback/results", tag = "feedback", params(ResultsQuery), security(("bearer" = [])),
    responses((status = 200, body = FeedbackResults), (status = 403, body = ErrorBody)))]
pub async fn feedback_results(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    QueryIn(q): QueryIn<ResultsQuery>,
) -> Response {
    reply(
        app::api::feedback::svc::results(
            &*state.store,
            &state.service_settings,
            &who,
            q.by.as_deref().unwrap_or("area"),
            q.months.unwrap_or(12),
            &q.comment_filter(),
            &meta,
        )
        .await,
    )
}

/// The same figures as CSV: one row per group and measure.
#[utoipa::path(get, path = "/api/v1/feedback/results.csv", tag = "feedback", params(ResultsQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
pub async fn feedback_results_csv(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    QueryIn(q): QueryIn<ResultsQuery>,
) -> Response {
    let r = match app::api::feedback::svc::results(
        &*state.store,
        &state.service_settings,
        &who,
        q.by.as_deref().unwrap_or("area"),
        q.months.unwrap_or(12),
        &q.comment_filter(),
        &meta,
    )
    .await
    {
        Ok(r) => r,
        Err(e) => return app_error(e),
    };
    let mut w = csv::Writer::from_writer(vec![]);
    let _ = w.write_record(["group_by", "group", "responses", "measure", "satisfied_percent", "satisfied", "base", "dont_know"]);
    for g in &r.groups {
        for f in &g.figures {
            let _ = w.write_record([
                r.by.as_str().to_string(),
                g.group.clone(),
                g.responses.to_string(),
                f.measure.clone(),
                f.percent.map(|p| p.display()).unwrap_or_default(),
                f.satisfied.to_string(),
                f.base.to_string(),
                f.dont_know.to_string(),
            ]);
        }
    }
    let body = w.into_inner().unwrap_or_default();
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (axum::http::header::CONTENT_DISPOSITION, "attachment; filename=\"hearth-satisfaction.csv\""),
        ],
        body,
    )
        .into_response()
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewFeedbackLink {
    /// officer (0: yourself), patch, visit or partner (an agency's id; administrators).
    pub scope_type: String,
    pub scope_id: i64,
    /// Optional; a label is made from what the link is for.
    #[serde(default)]
    pub label: String,
}

/// Make a feedback link with its absolute address and QR code: officers for themselves, Team
/// Leaders for their area's patches, officers and visits, administrators for partner agencies.
#[utoipa::path(post, path = "/api/v1/feedback/links", tag = "feedback", request_body = NewFeedbackLink, security(("bearer" = [])),
    responses((status = 200, body = FeedbackLinkView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_feedback_link(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    JsonIn(l): JsonIn<NewFeedbackLink>,
) -> Response {
    reply(app::api::feedback::svc::create_link(&*state.store, &state.service_settings, &who, &l.scope_type, l.scope_id, &l.label, &meta).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CommentCaseRequest {
    /// complaint, safeguarding, asb, disrepair or vulnerability.
    pub kind: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseOpened {
    pub reference: String,
}

/// Turn a tenant's comment into a case in one step (the officer it is about, or their Team Leader).
#[utoipa::path(post, path = "/api/v1/feedback/responses/{id}/case", tag = "feedback", params(("id" = i64, Path)), request_body = CommentCaseRequest, security(("bearer" = [])),
    responses((status = 200, body = CaseOpened), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn case_from_comment(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(id): PathIn<i64>,
    JsonIn(r): JsonIn<CommentCaseRequest>,
) -> Response {
    reply(app::api::feedback::svc::case_from_comment(&*state.store, &who, id, &r.kind, &meta.ip).await.map(|reference| CaseOpened { reference }))
}

/// The Team Leader's area: officers and their load, cover periods, and plans by clock.
#[utoipa::path(get, path = "/api/v1/team", tag = "cover", security(("bearer" = [])), responses((status = 200, body = TeamView), (status = 403, body = ErrorBody)))]
pub async fn team(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(casework::team(&*state.store, &who).await)
}

/// Set cover for an absent officer for a dated period; work routes to the cover officer and returns after the last day.
#[utoipa::path(post, path = "/api/v1/covers", tag = "cover", request_body = casework::CoverRequest, security(("bearer" = [])),
    responses((status = 200, body = TeamView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_cover(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    JsonIn(c): JsonIn<casework::CoverRequest>,
) -> Response {
    reply(casework::create_cover(&*state.store, &who, c, &meta.ip).await)
}

/// End cover now (the work returns to the officer at once), or cancel a period that has not started.
#[utoipa::path(post, path = "/api/v1/covers/{id}/end", tag = "cover", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = TeamView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn end_cover(State(state): State<AppState>, SignedIn(who): SignedIn, Extension(meta): Extension<RequestMeta>, PathIn(id): PathIn<i64>) -> Response {
    reply(casework::end_cover(&*state.store, &who, id, &meta.ip).await)
}

struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme("bearer", SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()));
    }
}

/// Declares the answers that middleware and extractors give on every route, so each operation
/// lists every status it can return: 401 (an unknown, expired or revoked bearer token, or none
/// where one is needed), 403 for partner-agency users outside their referrals, 400 for
/// parameters or a body that do not parse, and 413 for a body over the limit.
struct CommonResponses;

impl utoipa::Modify for CommonResponses {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use utoipa::openapi::{ContentBuilder, Ref, ResponseBuilder};
        let error = |description: &str| {
            ResponseBuilder::new()
                .description(description)
                .content("application/json", ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build())
                .build()
        };
        for (path, item) in openapi.paths.paths.iter_mut() {
            let partner_refused = !app::domain::access::partner_may_reach(path);
            for op in [&mut item.get, &mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten() {
                let secured = op.security.as_ref().is_some_and(|s| !s.is_empty());
                let responses = &mut op.responses.responses;
                let mut add = |status: &str, description: &str| {
                    responses.entry(status.to_string()).or_insert_with(|| error(description).into());
                };
                if op.request_body.is_some() || op.parameters.as_ref().is_some_and(|p| !p.is_empty()) {
                    add("400", "A parameter or the body is not what this operation takes");
                }
                add(
                    "401",
                    if secured {
                        "Not signed in: no bearer token, or one that is unknown, expired or revoked"
                    } else {
                        "A bearer token was sent that is unknown, expired or revoked"
                    },
                );
                if partner_refused {
                    add("403", "Partner-agency users reach only their agency's referrals");
                }
                if op.request_body.is_some() {
                    add("413", "The request body is larger than the limit");
                }
            }
            // A state-changing request with neither a bearer token nor our own Origin is refused by
            // the CSRF guard before routing (`auth::csrf_guard`), in JSON like every other refusal.
            for op in [&mut item.put, &mut item.post, &mut item.delete, &mut item.patch].into_iter().flatten() {
                let forbidden = op.responses.responses.entry("403".into()).or_insert_with(|| error("Refused").into());
                if let utoipa::openapi::RefOr::T(r) = forbidden {
                    r.description.push_str("; or, without a bearer token, a request not from Hearth's own pages");
                }
            }
        }
    }
}

#[derive(OpenApi)]
#[openapi(
    info(title = "Hearth API", description = "Housing management for council landlords: integrations, partner systems and scripts."),
    paths(health, crate::auth::signin::api_token, me, my_work, search, tenancy, property, patches, working_days, review, propose_review, decide, extension_notice, approvals, reviews_due, escalate, case, refer_case, escalate_case, hand_back, set_plan, add_action, update_action, team, create_cover, end_cover, import_tsm, get_tsm, feedback_results, feedback_results_csv, create_feedback_link, case_from_comment,
        referrals::list, referrals::one, referrals::create, referrals::act, referrals::message, referrals::name,
        admin::agencies, admin::create_agency, admin::create_agency_user, admin::tokens, admin::issue_token, admin::revoke_token, admin::audit_trail, admin::add_bank_holiday,
        map::data, map::changes, map::save, map::balance, map::weights, map::set_weights),
    components(schemas(ErrorBody, Health)),
    modifiers(&BearerAuth, &CommonResponses)
)]
pub struct ApiDoc;

pub async fn openapi() -> Response {
    Json(ApiDoc::openapi()).into_response()
}

pub async fn not_found() -> Response {
    error_response(StatusCode::NOT_FOUND, "not_found", "No such API route. See /api/v1/openapi.json.")
}

pub async fn method_not_allowed() -> Response {
    error_response(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "This route does not take that method: the Allow header lists those it takes. See /api/v1/openapi.json.",
    )
}

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/health", get(health))
        .route("/openapi.json", get(openapi))
        .route("/auth/token", post(crate::auth::signin::api_token))
        .route("/me", get(me))
        .route("/my-work", get(my_work))
        .route("/search", get(search))
        .route("/tenancies/{reference}", get(tenancy))
        .route("/properties/{reference}", get(property))
        .route("/patches", get(patches))
        .route("/calendar/working-days", get(working_days))
        .route("/tenancies/{reference}/review", get(review).post(propose_review))
        .route("/tenancies/{reference}/extension-notice", post(extension_notice))
        .route("/workflow/{id}/decision", post(decide))
        .route("/approvals", get(approvals))
        .route("/reviews-due", get(reviews_due))
        .route("/tenancies/{reference}/escalations", post(escalate))
        .route("/cases/{reference}", get(case))
        .route("/cases/{reference}/referral", post(refer_case))
        .route("/cases/{reference}/hand-back", post(hand_back))
        .route("/cases/{reference}/escalations", post(escalate_case))
        .route("/cases/{reference}/plan", axum::routing::put(set_plan))
        .route("/cases/{reference}/actions", post(add_action))
        .route("/plan-actions/{id}", post(update_action))
        .route("/team", get(team))
        .route("/covers", post(create_cover))
        .route("/covers/{id}/end", post(end_cover))
        .route("/benchmarks/tsm", get(get_tsm).post(import_tsm))
        .route("/feedback/results", get(feedback_results))
        .route("/feedback/results.csv", get(feedback_results_csv))
        .route("/feedback/links", post(create_feedback_link))
        .route("/feedback/responses/{id}/case", post(case_from_comment))
        .route("/referrals", get(referrals::list).post(referrals::create))
        .route("/referrals/{reference}", get(referrals::one))
        .route("/referrals/{reference}/moves", post(referrals::act))
        .route("/referrals/{reference}/messages", post(referrals::message))
        .route("/referrals/{reference}/access", post(referrals::name))
        .route("/admin/agencies", get(admin::agencies).post(admin::create_agency))
        .route("/admin/agencies/{id}/users", post(admin::create_agency_user))
        .route("/admin/tokens", get(admin::tokens).post(admin::issue_token))
        .route("/admin/tokens/{id}", axum::routing::delete(admin::revoke_token))
        .route("/admin/audit", get(admin::audit_trail))
        .route("/admin/bank-holidays", post(admin::add_bank_holiday))
        .route("/admin/workload-weights", get(map::weights).put(map::set_weights))
        .route("/map", get(map::data))
        .route("/map/changes", get(map::changes).post(map::save))
        .route("/map/balance", post(map::balance))
        // After every route: it applies to the routes registered before it.
        .method_not_allowed_fallback(method_not_allowed)
        .fallback(not_found)
}
