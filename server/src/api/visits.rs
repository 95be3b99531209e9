//! Visits' JSON routes: an officer's report of a visit to a tenancy's home.

use app::api::visits::service as svc;
use app::model::*;
use axum::response::{IntoResponse, Response};

use super::{Caller, ErrorBody, JsonIn, PathIn, reply};

/// Records a visit: what it was for, when, what happened at the door and what was found. Each
/// finding starts its follow-up's clock (safeguarding the same working day; enforcement and fire
/// risk 24 hours; disrepair and downsizing referrals 2 working days; a follow-up visit booked within
/// 3). The same `client_key` sent again records nothing new and answers with the first visit
/// (`replayed: true`), so a phone may resend safely.
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/visits", tag = "visits", request_body = VisitRequest,
    params(("reference" = String, Path, description = "Tenancy reference")), security(("bearer" = [])),
    responses((status = 200, body = RecordedVisit), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn record_visit(c: Caller, PathIn(reference): PathIn<String>, JsonIn(r): JsonIn<VisitRequest>) -> Response {
    reply(svc::record_visit(c.store(), &c.who, &reference, r, &c.meta.ip).await)
}

/// Closes a visit finding's follow-up with what was done about it (a referral made, a repair
/// raised, a follow-up visit booked). One already closed is 409.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/done", tag = "visits", request_body = FollowUpDone,
    params(("id" = i64, Path, description = "The follow-up (a visit finding)")), security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn follow_up_done(c: Caller, PathIn(id): PathIn<i64>, JsonIn(d): JsonIn<FollowUpDone>) -> Response {
    match svc::follow_up_done(c.store(), &c.who, id, d, &c.meta.ip).await {
        Ok(()) => axum::http::StatusCode::NO_CONTENT.into_response(),
        Err(e) => super::errors::app_error(e),
    }
}

/// The Team Leader's visiting figures for their area: per officer (and the team), visits completed
/// this week (from Monday) and this month, unanswered visits this month, follow-ups open and overdue,
/// and follow-ups closed this month and how many within their clock.
#[utoipa::path(get, path = "/api/v1/visits/measures", tag = "visits", security(("bearer" = [])),
    responses((status = 200, body = Vec<app::domain::visits::OfficerVisiting>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn visit_measures(c: Caller) -> Response {
    reply(svc::team_visiting(c.store(), &c.who).await)
}
