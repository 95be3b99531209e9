//! `/api/v1/admin`: administrators register partner agencies and their users, issue and revoke the
//! API tokens agencies' systems use, and read a record's access report. Thin: the rules and the
//! audit are `app::api::admin::service`, shared with the *Administration* page.

use app::api::admin::service::{self as svc, NewBankHoliday, NewToken};
use app::api::admin::store::{NewAgency, NewAgencyUser};
use app::model::*;
use axum::response::Response;
use serde::Deserialize;

use super::{Caller, ErrorBody, JsonIn, PathIn, QueryIn, reply};

/// Every agency with its users, and the agencies' integration tokens.
#[utoipa::path(get, path = "/api/v1/admin/agencies", tag = "admin", security(("bearer" = [])), responses((status = 200, body = AdminView), (status = 403, body = ErrorBody)))]
pub async fn agencies(c: Caller) -> Response {
    reply(svc::view(c.store(), &c.who).await)
}

/// Register a partner agency.
#[utoipa::path(post, path = "/api/v1/admin/agencies", tag = "admin", request_body = NewAgency, security(("bearer" = [])),
    responses((status = 200, body = AdminView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_agency(c: Caller, JsonIn(a): JsonIn<NewAgency>) -> Response {
    reply(svc::create_agency(c.store(), &c.who, a, &c.meta.ip).await)
}

/// Add a user to an agency: they sign in to the partner view and see only the agency's referrals.
#[utoipa::path(post, path = "/api/v1/admin/agencies/{id}/users", tag = "admin", params(("id" = i64, Path)), request_body = NewAgencyUser, security(("bearer" = [])),
    responses((status = 200, body = AdminView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_agency_user(c: Caller, PathIn(id): PathIn<i64>, JsonIn(u): JsonIn<NewAgencyUser>) -> Response {
    reply(svc::create_agency_user(c.store(), &c.who, NewAgencyUser { agency_id: id, ..u }, &c.meta.ip).await)
}

/// API tokens issued to agency users, newest first.
#[utoipa::path(get, path = "/api/v1/admin/tokens", tag = "admin", security(("bearer" = [])), responses((status = 200, body = Vec<TokenView>), (status = 403, body = ErrorBody)))]
pub async fn tokens(c: Caller) -> Response {
    reply(svc::view(c.store(), &c.who).await.map(|v| v.tokens))
}

/// Issue an API token for an agency user: it reaches only that agency's referrals.
#[utoipa::path(post, path = "/api/v1/admin/tokens", tag = "admin", request_body = NewToken, security(("bearer" = [])),
    responses((status = 200, body = IssuedToken), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn issue_token(c: Caller, JsonIn(t): JsonIn<NewToken>) -> Response {
    reply(svc::issue_token(c.store(), &c.who, t, &c.meta.ip).await)
}

/// Revoke an API token: it stops working at once.
#[utoipa::path(delete, path = "/api/v1/admin/tokens/{id}", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(c: Caller, PathIn(id): PathIn<i64>) -> Response {
    reply(svc::revoke_token(c.store(), &c.who, id, &c.meta.ip).await.map(|v| v.tokens))
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AuditQuery {
    /// referral, tenancy or case.
    pub subject_type: String,
    /// The record's reference, e.g. REF300123.
    pub reference: String,
}

/// Who viewed or changed one record, and why: the access report a council gives its Data
/// Protection Officer or a tenant's subject access request.
#[utoipa::path(get, path = "/api/v1/admin/audit", tag = "admin", params(AuditQuery), security(("bearer" = [])),
    responses((status = 200, body = Vec<AuditRow>), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn audit_trail(c: Caller, QueryIn(q): QueryIn<AuditQuery>) -> Response {
    reply(svc::audit_trail(c.store(), &c.who, &q.subject_type, &q.reference, &c.meta.ip).await)
}

/// Add a bank holiday to the council's working-day calendar (a later year's, or a one-off):
/// every due date set from now on, every clock and `GET /api/v1/calendar/working-days` count it.
#[utoipa::path(post, path = "/api/v1/admin/bank-holidays", tag = "admin", request_body = NewBankHoliday, security(("bearer" = [])),
    responses((status = 200, body = AdminView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn add_bank_holiday(c: Caller, JsonIn(h): JsonIn<NewBankHoliday>) -> Response {
    reply(svc::add_bank_holiday(c.store(), &c.who, h, &c.meta.ip).await)
}
