//! The JSON API for integrations at `/api/v1`, documented by the OpenAPI document at
//! `/api/v1/openapi.json` (generated from these handlers by utoipa). Handlers are thin:
//! they call the same services as the pages, so authorisation and audit are identical.

use app::domain::access::Principal;
use app::error::AppError;
use app::model::*;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::{Deserialize, Serialize};
use utoipa::OpenApi;

use crate::state::AppState;

pub mod admin;
pub mod casework;
pub mod desk;
pub mod errors;
pub mod feedback;
pub mod hazards;
pub mod map;
pub mod pipeline;
pub mod referrals;
pub mod reviews;
pub mod visits;

pub use errors::{ErrorBody, app_error, error_response, rejection, reply};

/// The signed-in caller; a request without one is answered 401 in JSON before the handler runs.
pub struct SignedIn(pub Principal);

impl<S: Send + Sync> axum::extract::FromRequestParts<S> for SignedIn {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, _state: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Principal>().cloned().map(SignedIn).ok_or_else(|| app_error(AppError::NotSignedIn))
    }
}

/// A CSV download for the council's own reports.
pub fn csv_attachment(filename: &str, body: Vec<u8>) -> Response {
    // UTF-8's byte-order mark first: without it Excel reads the file as the PC's old code page,
    // and every "£", "é" or "ł" in a name comes out garbled.
    let mut bytes = Vec::with_capacity(body.len() + 3);
    bytes.extend_from_slice(b"\xEF\xBB\xBF");
    bytes.extend(body);
    (
        [
            (axum::http::header::CONTENT_TYPE, "text/csv; charset=utf-8".to_string()),
            (axum::http::header::CONTENT_DISPOSITION, format!("attachment; filename=\"{filename}\"")),
        ],
        bytes,
    )
        .into_response()
}

/// What every signed-in handler needs: the store, the caller and the request's facts (address,
/// origin). A request without a signed-in caller is answered 401 in JSON before the handler runs.
pub struct Caller {
    pub store: std::sync::Arc<dyn app::api::store::Store>,
    pub who: Principal,
    pub meta: app::api::RequestMeta,
}

impl Caller {
    pub fn store(&self) -> &dyn app::api::store::Store {
        &*self.store
    }
}

impl axum::extract::FromRequestParts<AppState> for Caller {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut axum::http::request::Parts, state: &AppState) -> Result<Self, Self::Rejection> {
        let SignedIn(who) = SignedIn::from_request_parts(parts, state).await?;
        let meta = parts.extensions.get::<app::api::RequestMeta>().cloned().unwrap_or_default();
        Ok(Caller { store: state.store.clone(), who, meta })
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
    paths(health, crate::auth::signin::api_token, me, desk::my_work, desk::search, desk::tenancy, desk::property, desk::patches, desk::assess_occupancy, desk::under_occupiers, working_days, reviews::review, reviews::propose_review, reviews::decide, reviews::extension_notice, reviews::prior_tenancy, reviews::introductory_step, visits::record_visit, visits::follow_up_done, visits::visit_measures, visits::visit_measures_csv, visits::visit_months, visits::visit_months_csv, visits::my_day, visits::programme, visits::plan, visits::add_photo, visits::photo, pipeline::pipeline, pipeline::pipeline_csv, pipeline::start, pipeline::move_on, hazards::hazards, hazards::report, hazards::step, reviews::approvals, reviews::reviews_due, reviews::escalate, casework::case, casework::refer_case, casework::escalate_case, casework::hand_back, casework::set_plan, casework::complaint_step, casework::complaint_measures, casework::add_action, casework::update_action, casework::team, casework::create_cover, casework::end_cover, feedback::import_tsm, feedback::get_tsm, feedback::feedback_results, feedback::feedback_results_csv, feedback::create_feedback_link, feedback::case_from_comment,
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
        .route("/my-work", get(desk::my_work))
        .route("/search", get(desk::search))
        .route("/tenancies/{reference}", get(desk::tenancy))
        .route("/properties/{reference}", get(desk::property))
        .route("/patches", get(desk::patches))
        .route("/occupancy/assess", post(desk::assess_occupancy))
        .route("/occupancy/under-occupiers", get(desk::under_occupiers))
        .route("/calendar/working-days", get(working_days))
        .route("/tenancies/{reference}/review", get(reviews::review).post(reviews::propose_review))
        .route("/tenancies/{reference}/extension-notice", post(reviews::extension_notice))
        .route("/tenancies/{reference}/prior-tenancy", post(reviews::prior_tenancy))
        .route("/tenancies/{reference}/introductory-steps", post(reviews::introductory_step))
        .route("/tenancies/{reference}/visits", post(visits::record_visit))
        .route("/follow-ups/{id}/done", post(visits::follow_up_done))
        .route("/visits/measures", get(visits::visit_measures))
        .route("/visits/measures.csv", get(visits::visit_measures_csv))
        .route("/visits/months", get(visits::visit_months))
        .route("/visits/months.csv", get(visits::visit_months_csv))
        .route("/my-day", get(visits::my_day))
        .route("/programme", get(visits::programme))
        .route("/programme/plan", post(visits::plan))
        .route("/visits/{id}/photos", post(visits::add_photo).layer(axum::extract::DefaultBodyLimit::max(crate::routes::MAX_PHOTO_UPLOAD_BYTES)))
        .route("/photos/{id}", get(visits::photo))
        .route("/pipeline", get(pipeline::pipeline))
        .route("/pipeline.csv", get(pipeline::pipeline_csv))
        .route("/tenancies/{reference}/pipeline", post(pipeline::start))
        .route("/pipeline/{id}/stage", post(pipeline::move_on))
        .route("/hazards", get(hazards::hazards))
        .route("/tenancies/{reference}/hazards", post(hazards::report))
        .route("/hazards/{id}/steps", post(hazards::step))
        .route("/workflow/{id}/decision", post(reviews::decide))
        .route("/approvals", get(reviews::approvals))
        .route("/reviews-due", get(reviews::reviews_due))
        .route("/tenancies/{reference}/escalations", post(reviews::escalate))
        .route("/cases/{reference}", get(casework::case))
        .route("/cases/{reference}/referral", post(casework::refer_case))
        .route("/cases/{reference}/hand-back", post(casework::hand_back))
        .route("/cases/{reference}/escalations", post(casework::escalate_case))
        .route("/cases/{reference}/plan", axum::routing::put(casework::set_plan))
        .route("/cases/{reference}/complaint-steps", post(casework::complaint_step))
        .route("/complaints/measures", get(casework::complaint_measures))
        .route("/cases/{reference}/actions", post(casework::add_action))
        .route("/plan-actions/{id}", post(casework::update_action))
        .route("/team", get(casework::team))
        .route("/covers", post(casework::create_cover))
        .route("/covers/{id}/end", post(casework::end_cover))
        .route("/benchmarks/tsm", get(feedback::get_tsm).post(feedback::import_tsm))
        .route("/feedback/results", get(feedback::feedback_results))
        .route("/feedback/results.csv", get(feedback::feedback_results_csv))
        .route("/feedback/links", post(feedback::create_feedback_link))
        .route("/feedback/responses/{id}/case", post(feedback::case_from_comment))
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
