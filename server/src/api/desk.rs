//! The desk's JSON routes: my work, search, tenancy and property records, patches.

use app::api::desk::service as svc;
use app::model::*;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Deserialize;

use super::{Caller, ErrorBody, JsonIn, PathIn, QueryIn, error_response, reply};

#[derive(Deserialize, utoipa::IntoParams)]
pub struct MyWorkQuery {
    /// `true` lists every tenancy the caller manages; by default the 50 most urgent.
    #[serde(default)]
    pub all: bool,
}

/// The caller's worklist: alarms, counts, items waiting for them, open cases and tenancies, most urgent first.
#[utoipa::path(get, path = "/api/v1/my-work", tag = "desk", params(MyWorkQuery), security(("bearer" = [])), responses((status = 200, body = MyWork), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn my_work(c: Caller, q: Result<QueryIn<MyWorkQuery>, Response>) -> Response {
    let Ok(QueryIn(q)) = q else {
        return error_response(StatusCode::BAD_REQUEST, "invalid", "Give ?all=true for every tenancy, or nothing for the most urgent.");
    };
    reply(svc::my_work(c.store(), &c.who, q.all).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SearchQuery {
    /// Address, postcode, tenant name, or property or tenancy reference.
    pub q: String,
}

/// Search tenancies and properties the caller may see.
#[utoipa::path(get, path = "/api/v1/search", tag = "desk", params(SearchQuery), security(("bearer" = [])), responses((status = 200, body = SearchResults), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody)))]
pub async fn search(c: Caller, q: Result<QueryIn<SearchQuery>, Response>) -> Response {
    let Ok(QueryIn(q)) = q else { return error_response(StatusCode::BAD_REQUEST, "invalid", "Give the search text as ?q=...") };
    reply(svc::search(c.store(), &c.who, &q.q).await)
}

/// One tenancy: household, tenure and key dates, rent, alerts, owner and history.
#[utoipa::path(get, path = "/api/v1/tenancies/{reference}", tag = "records", params(("reference" = String, Path, description = "Tenancy reference, e.g. TEN0001234")), security(("bearer" = [])),
    responses((status = 200, body = TenancyDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn tenancy(c: Caller, PathIn(reference): PathIn<String>) -> Response {
    reply(svc::tenancy(c.store(), &c.who, &reference, &c.meta.ip).await)
}

/// One property: details, block, patch and officer, tenancy history.
#[utoipa::path(get, path = "/api/v1/properties/{reference}", tag = "records", params(("reference" = String, Path, description = "Property reference, e.g. PR000123")), security(("bearer" = [])),
    responses((status = 200, body = PropertyDetail), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn property(c: Caller, PathIn(reference): PathIn<String>) -> Response {
    reply(svc::property(c.store(), &c.who, &reference, &c.meta.ip).await)
}

/// Patches the caller may see, with homes and workload counts.
#[utoipa::path(get, path = "/api/v1/patches", tag = "records", security(("bearer" = [])), responses((status = 200, body = Vec<PatchSummary>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn patches(c: Caller) -> Response {
    reply(svc::patches(c.store(), &c.who).await)
}

/// The social-sector size criteria (HB Regulations 2006 reg. B13; UC Regulations 2013 Sch. 4): the
/// bedrooms a household is entitled to, those spare or short, and the under-occupation reduction
/// (14% for one spare bedroom, 25% for two or more, working age only), with each room's rule.
#[utoipa::path(post, path = "/api/v1/occupancy/assess", tag = "records", request_body = OccupancyQuestion, security(("bearer" = [])),
    responses((status = 200, body = app::domain::occupancy::Assessment), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn assess_occupancy(c: Caller, JsonIn(q): JsonIn<OccupancyQuestion>) -> Response {
    reply(svc::assess_occupancy(c.store(), &c.who, &q).await)
}

/// Under-occupied homes by the size criteria (the tenancy page's rule): a Team Leader's area, or the
/// tenancies an officer holds; most spare bedrooms first, with the reduction each household faces.
#[utoipa::path(get, path = "/api/v1/occupancy/under-occupiers", tag = "records", security(("bearer" = [])),
    responses((status = 200, body = UnderOccupiers), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn under_occupiers(c: Caller) -> Response {
    reply(svc::under_occupiers(c.store(), &c.who).await)
}
