//! Awaab's Law's JSON routes: damp and mould hazards, their ladder and clocks.

use app::api::hazards::service as svc;
use app::model::*;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{Caller, ErrorBody, JsonIn, PathIn, reply};

/// Open damp and mould hazards with the clock on each rung (investigation within 10 working days
/// of the report, written summary within 3 working days of the investigation, safety work within
/// 5 working days, or 24 hours for an emergency), the most urgent first, and the year's closed
/// hazards with how many missed a clock. A Team Leader's area; an officer's own tenancies.
#[utoipa::path(get, path = "/api/v1/hazards", tag = "hazards", security(("bearer" = [])),
    responses((status = 200, body = HazardsView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn hazards(c: Caller) -> Response {
    reply(svc::hazards(c.store(), &c.who).await)
}

/// Reports damp and mould at a tenancy's home: the clocks run from when the council became aware
/// (`on`, `at`), which may be before it was recorded. One already open on the tenancy is 409.
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/hazards", tag = "hazards", request_body = HazardReport,
    params(("reference" = String, Path, description = "Tenancy reference")), security(("bearer" = [])),
    responses((status = 201, body = HazardView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn report(c: Caller, PathIn(reference): PathIn<String>, JsonIn(r): JsonIn<HazardReport>) -> Response {
    match svc::report(c.store(), &c.who, &reference, r, &c.meta.ip).await {
        Ok(h) => (StatusCode::CREATED, axum::Json(h)).into_response(),
        Err(e) => super::errors::app_error(e),
    }
}

/// Records a step of the ladder: `investigated` (with what it found), then `summary_sent` and,
/// for a significant or emergency hazard, `made_safe`. A step out of order is 400; a step recorded
/// since the caller's `version` is 409.
#[utoipa::path(post, path = "/api/v1/hazards/{id}/steps", tag = "hazards", request_body = HazardStepIn,
    params(("id" = i64, Path, description = "The hazard")), security(("bearer" = [])),
    responses((status = 200, body = HazardView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn step(c: Caller, PathIn(id): PathIn<i64>, JsonIn(s): JsonIn<HazardStepIn>) -> Response {
    reply(svc::step(c.store(), &c.who, id, s, &c.meta.ip).await)
}
