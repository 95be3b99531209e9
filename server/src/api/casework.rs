//! Cases between roles, their plans, and the Team Leader's team and cover, as JSON routes.

use app::api::casework::service as svc;
use app::model::*;
use axum::response::Response;

use super::{Caller, ErrorBody, JsonIn, PathIn, reply};

/// A case: its clock, plan, moves between roles (with the caller's permitted moves) and history.
#[utoipa::path(get, path = "/api/v1/cases/{reference}", tag = "transfers", params(("reference" = String, Path)), security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn case(c: Caller, PathIn(reference): PathIn<String>) -> Response {
    reply(svc::case_detail(c.store(), &c.who, &reference, &c.meta.ip).await)
}

/// The Community HMO refers a case to the Sustainable Tenancy HMO (the Team Leader decides through /workflow/{id}/decision with `assign_to`).
#[utoipa::path(post, path = "/api/v1/cases/{reference}/referral", tag = "transfers", params(("reference" = String, Path)), request_body = svc::CaseReferral, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn refer_case(c: Caller, PathIn(reference): PathIn<String>, JsonIn(r): JsonIn<svc::CaseReferral>) -> Response {
    reply(svc::refer_case(c.store(), &c.who, &reference, r, &c.meta.ip).await)
}

/// Escalate a case to Legal (notice, possession) or the Community Safety Hub (evidence review, injunction).
#[utoipa::path(post, path = "/api/v1/cases/{reference}/escalations", tag = "transfers", params(("reference" = String, Path)), request_body = app::api::kit::workflow::EscalationRequest, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn escalate_case(c: Caller, PathIn(reference): PathIn<String>, JsonIn(e): JsonIn<app::api::kit::workflow::EscalationRequest>) -> Response {
    reply(svc::escalate_case(c.store(), &c.who, &reference, e, &c.meta.ip).await)
}

/// The Sustainable Tenancy HMO proposes handing the case back (the Community HMO acknowledges).
#[utoipa::path(post, path = "/api/v1/cases/{reference}/hand-back", tag = "transfers", params(("reference" = String, Path)), request_body = svc::HandBackRequest, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn hand_back(c: Caller, PathIn(reference): PathIn<String>, JsonIn(h): JsonIn<svc::HandBackRequest>) -> Response {
    reply(svc::hand_back(c.store(), &c.who, &reference, h, &c.meta.ip).await)
}

/// Record a step in a complaint's handling (Complaint Handling Code 2024): acknowledged, extended (with the reason told), answered, or the resident's request for stage 2. Out of order, too long an extension, or stage 2 by the stage 1 handler: 400.
#[utoipa::path(post, path = "/api/v1/cases/{reference}/complaint-steps", tag = "complaints", params(("reference" = String, Path)), request_body = svc::ComplaintStepRequest, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn complaint_step(c: Caller, PathIn(reference): PathIn<String>, JsonIn(r): JsonIn<svc::ComplaintStepRequest>) -> Response {
    reply(svc::record_complaint_step(c.store(), &c.who, &reference, r, &c.meta.ip).await)
}

/// The Regulator's complaint measures for this reporting year from Hearth's complaint cases: CH01 (complaints per 1,000 homes) and CH02 (share answered within the Code's timescales), per stage; the caller's area, or the council for administrators.
#[utoipa::path(get, path = "/api/v1/complaints/measures", tag = "complaints", security(("bearer" = [])), responses((status = 200, body = ComplaintFigures), (status = 403, body = ErrorBody)))]
pub async fn complaint_measures(c: Caller) -> Response {
    reply(app::api::feedback::service::complaint_measures(c.store(), &c.who).await)
}

/// Record the plan's agreement with the tenant and its next review date (the case's clock).
#[utoipa::path(put, path = "/api/v1/cases/{reference}/plan", tag = "plans", params(("reference" = String, Path)), request_body = svc::PlanDates, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn set_plan(c: Caller, PathIn(reference): PathIn<String>, JsonIn(p): JsonIn<svc::PlanDates>) -> Response {
    reply(svc::set_plan(c.store(), &c.who, &reference, p, &c.meta.ip).await)
}

/// Add an action to the case's plan (owner: officer, tenant or agency; due date).
#[utoipa::path(post, path = "/api/v1/cases/{reference}/actions", tag = "plans", params(("reference" = String, Path)), request_body = svc::PlanActionRequest, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn add_action(c: Caller, PathIn(reference): PathIn<String>, JsonIn(a): JsonIn<svc::PlanActionRequest>) -> Response {
    reply(svc::add_action(c.store(), &c.who, &reference, a, &c.meta.ip).await)
}

/// Mark a plan action done, no longer needed, or open again (versioned).
#[utoipa::path(post, path = "/api/v1/plan-actions/{id}", tag = "plans", params(("id" = i64, Path)), request_body = svc::PlanActionUpdate, security(("bearer" = [])),
    responses((status = 200, body = CaseDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn update_action(c: Caller, PathIn(id): PathIn<i64>, JsonIn(u): JsonIn<svc::PlanActionUpdate>) -> Response {
    reply(svc::update_action(c.store(), &c.who, id, u, &c.meta.ip).await)
}

/// The Team Leader's area: officers and their load, cover periods, and plans by clock.
#[utoipa::path(get, path = "/api/v1/team", tag = "cover", security(("bearer" = [])), responses((status = 200, body = TeamView), (status = 403, body = ErrorBody)))]
pub async fn team(c: Caller) -> Response {
    reply(svc::team(c.store(), &c.who).await)
}

/// Set cover for an absent officer for a dated period; work routes to the cover officer and returns after the last day.
#[utoipa::path(post, path = "/api/v1/covers", tag = "cover", request_body = svc::CoverRequest, security(("bearer" = [])),
    responses((status = 200, body = TeamView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_cover(c: Caller, JsonIn(cover): JsonIn<svc::CoverRequest>) -> Response {
    reply(svc::create_cover(c.store(), &c.who, cover, &c.meta.ip).await)
}

/// End cover now (the work returns to the officer at once), or cancel a period that has not started.
#[utoipa::path(post, path = "/api/v1/covers/{id}/end", tag = "cover", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = TeamView), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn end_cover(c: Caller, PathIn(id): PathIn<i64>) -> Response {
    reply(svc::end_cover(c.store(), &c.who, id, &c.meta.ip).await)
}
