//! Introductory reviews, escalations of tenancies and decisions on workflow items as JSON routes.

use app::api::reviews::service as svc;
use app::model::*;
use axum::response::Response;
use serde::Deserialize;

use super::{Caller, ErrorBody, JsonIn, PathIn, reply};

/// The introductory review of a tenancy: dates, clock, proposals and the moves the caller may make.
#[utoipa::path(get, path = "/api/v1/tenancies/{reference}/review", tag = "transfers", params(("reference" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn review(c: Caller, PathIn(reference): PathIn<String>) -> Response {
    reply(svc::review_panel(c.store(), &c.who, &reference, &c.meta.ip).await)
}

/// The Introductory HMO proposes the review's outcome (make secure, extend, seek possession).
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/review", tag = "transfers", params(("reference" = String, Path)), request_body = svc::ReviewProposal, security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn propose_review(c: Caller, PathIn(reference): PathIn<String>, JsonIn(p): JsonIn<svc::ReviewProposal>) -> Response {
    reply(svc::propose_review(c.store(), &c.who, &reference, p, &c.meta.ip).await)
}

/// Decide an open proposal: approve, send_back, decline, withdraw or acknowledge. Illegal moves get 403 or 409.
#[utoipa::path(post, path = "/api/v1/workflow/{id}/decision", tag = "transfers", params(("id" = i64, Path)), request_body = svc::ItemDecision, security(("bearer" = [])),
    responses((status = 200, body = WorkflowView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn decide(c: Caller, PathIn(id): PathIn<i64>, JsonIn(d): JsonIn<svc::ItemDecision>) -> Response {
    reply(svc::decide_item(c.store(), &c.who, id, d, &c.meta.ip).await)
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
pub async fn extension_notice(c: Caller, PathIn(reference): PathIn<String>, JsonIn(n): JsonIn<NoticeServed>) -> Response {
    reply(svc::record_notice(c.store(), &c.who, &reference, n.version, &n.served_on, &c.meta.ip).await)
}

/// Record an earlier tenancy that counts towards the trial period (Housing Act 1996 s.125(3)): the trial's end moves earlier.
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/prior-tenancy", tag = "transfers", params(("reference" = String, Path)), request_body = svc::PriorTenancyRequest, security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn prior_tenancy(c: Caller, PathIn(reference): PathIn<String>, JsonIn(p): JsonIn<svc::PriorTenancyRequest>) -> Response {
    reply(svc::record_prior(c.store(), &c.who, &reference, p, &c.meta.ip).await)
}

/// Record a legal step on an introductory tenancy (Housing Act 1996 ss.125B, 128–130): a tenant's request for review and its outcome, a notice of proceedings, proceedings begun or ended. Steps out of order or out of time get 400 with the reason.
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/introductory-steps", tag = "transfers", params(("reference" = String, Path)), request_body = svc::StepRequest, security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn introductory_step(c: Caller, PathIn(reference): PathIn<String>, JsonIn(r): JsonIn<svc::StepRequest>) -> Response {
    reply(svc::record_step(c.store(), &c.who, &reference, r, &c.meta.ip).await)
}

/// Open proposals in the caller's area, most urgent first (the Team Leader's approvals queue).
#[utoipa::path(get, path = "/api/v1/approvals", tag = "transfers", security(("bearer" = [])), responses((status = 200, body = Vec<WorkflowView>), (status = 403, body = ErrorBody)))]
pub async fn approvals(c: Caller) -> Response {
    reply(svc::approvals(c.store(), &c.who).await)
}

/// Escalate a tenancy to Legal (notice, possession) or the Community Safety Hub (evidence review, injunction).
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/escalations", tag = "transfers", params(("reference" = String, Path)), request_body = app::api::kit::workflow::EscalationRequest, security(("bearer" = [])),
    responses((status = 200, body = ReviewPanel), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn escalate(c: Caller, PathIn(reference): PathIn<String>, JsonIn(e): JsonIn<app::api::kit::workflow::EscalationRequest>) -> Response {
    reply(svc::escalate(c.store(), &c.who, &reference, e, &c.meta.ip).await)
}

/// Introductory tenancies in the caller's area whose review has sounded (`HEARTH_REVIEW_LEAD_WEEKS` before the anniversary), or past it, with no decision.
#[utoipa::path(get, path = "/api/v1/reviews-due", tag = "transfers", security(("bearer" = [])), responses((status = 200, body = Vec<TenancyRow>), (status = 403, body = ErrorBody)))]
pub async fn reviews_due(c: Caller) -> Response {
    reply(svc::reviews_due(c.store(), &c.who).await)
}
