//! Introductory reviews, escalations of tenancies and decisions on workflow items as JSON routes.

use app::api::RequestMeta;
use app::api::reviews::service as svc;
use app::model::*;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::{ErrorBody, JsonIn, PathIn, SignedIn, reply};
use crate::state::AppState;

/// The introductory review of a tenancy: dates, clock, proposals and the moves the caller may make.
#[utoipa::path(get, path = "/api/v1/tenancies/{reference}/review", tag = "transfers", params(("reference" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn review(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
) -> Response {
    reply(svc::review_panel(&*state.store, &who, &reference, &meta.ip).await)
}

/// The Introductory HMO proposes the review's outcome (make secure, extend, seek possession).
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/review", tag = "transfers", params(("reference" = String, Path)), request_body = svc::ReviewProposal, security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn propose_review(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(p): JsonIn<svc::ReviewProposal>,
) -> Response {
    reply(svc::propose_review(&*state.store, &who, &reference, p, &meta.ip).await)
}

/// Decide an open proposal: approve, send_back, decline, withdraw or acknowledge. Illegal moves get 403 or 409.
#[utoipa::path(post, path = "/api/v1/workflow/{id}/decision", tag = "transfers", params(("id" = i64, Path)), request_body = svc::ItemDecision, security(("bearer" = [])),
    responses((status = 200, body = WorkflowView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(id): PathIn<i64>,
    JsonIn(d): JsonIn<svc::ItemDecision>,
) -> Response {
    reply(svc::decide_item(&*state.store, &who, id, d, &meta.ip).await)
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
    reply(svc::record_notice(&*state.store, &who, &reference, n.version, &n.served_on, &meta.ip).await)
}

/// Open proposals in the caller's area, most urgent first (the Team Leader's approvals queue).
#[utoipa::path(get, path = "/api/v1/approvals", tag = "transfers", security(("bearer" = [])), responses((status = 200, body = Vec<WorkflowView>), (status = 403, body = ErrorBody)))]
pub async fn approvals(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(svc::approvals(&*state.store, &who).await)
}

/// Escalate a tenancy to Legal (notice, possession) or the Community Safety Hub (evidence review, injunction).
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/escalations", tag = "transfers", params(("reference" = String, Path)), request_body = app::api::kit::workflow::EscalationRequest, security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn escalate(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(reference): PathIn<String>,
    JsonIn(e): JsonIn<app::api::kit::workflow::EscalationRequest>,
) -> Response {
    reply(svc::escalate(&*state.store, &who, &reference, e, &meta.ip).await)
}

/// Introductory tenancies in the caller's area reaching their anniversary within six weeks (or past it) with no decision.
#[utoipa::path(get, path = "/api/v1/reviews-due", tag = "transfers", security(("bearer" = [])), responses((status = 200, body = Vec<TenancyRow>), (status = 403, body = ErrorBody)))]
pub async fn reviews_due(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(svc::reviews_due(&*state.store, &who).await)
}
