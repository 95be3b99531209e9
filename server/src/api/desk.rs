//! The desk's JSON routes: my work, search, tenancy and property records, patches.

use app::api::RequestMeta;
use app::api::desk::service as svc;
use app::model::*;
use axum::Extension;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{ErrorBody, PathIn, QueryIn, SignedIn, error_response, reply};
use crate::state::AppState;

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
    reply(svc::my_work(&*state.store, &who, q.all).await)
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
    reply(svc::search(&*state.store, &who, &q.q).await)
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
    reply(svc::tenancy(&*state.store, &who, &reference, &meta.ip).await)
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
    reply(svc::property(&*state.store, &who, &reference, &meta.ip).await)
}

/// Patches the caller may see, with homes and workload counts.
#[utoipa::path(get, path = "/api/v1/patches", tag = "records", security(("bearer" = [])), responses((status = 200, body = Vec<PatchSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn patches(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(svc::patches(&*state.store, &who).await)
}
