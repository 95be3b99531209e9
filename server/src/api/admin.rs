//! `/api/v1/admin`: administrators register partner agencies and their users, issue and revoke the
//! API tokens agencies' systems use, and read a record's access report. Thin: the rules and the
//! audit are `app::api::admin::service`, shared with the *Administration* page.

use app::api::RequestMeta;
use app::api::admin::service::{self as svc, NewBankHoliday, NewToken};
use app::api::admin::store::{NewAgency, NewAgencyUser};
use app::model::*;
use axum::Extension;
use axum::extract::State;
use axum::response::Response;
use serde::Deserialize;

use super::{ErrorBody, JsonIn, PathIn, QueryIn, SignedIn, reply};
use crate::state::AppState;

/// Every agency with its users, and the agencies' integration tokens.
#[utoipa::path(get, path = "/api/v1/admin/agencies", tag = "admin", security(("bearer" = [])), responses((status = 200, body = AdminView), (status = 403, body = ErrorBody)))]
pub async fn agencies(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(svc::view(&*state.store, &who).await)
}

/// Register a partner agency.
#[utoipa::path(post, path = "/api/v1/admin/agencies", tag = "admin", request_body = NewAgency, security(("bearer" = [])),
    responses((status = 200, body = AdminView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_agency(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    JsonIn(a): JsonIn<NewAgency>,
) -> Response {
    reply(svc::create_agency(&*state.store, &who, a, &meta.ip).await)
}

/// Add a user to an agency: they sign in to the partner view and see only the agency's referrals.
#[utoipa::path(post, path = "/api/v1/admin/agencies/{id}/users", tag = "admin", params(("id" = i64, Path)), request_body = NewAgencyUser, security(("bearer" = [])),
    responses((status = 200, body = AdminView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn create_agency_user(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(id): PathIn<i64>,
    JsonIn(u): JsonIn<NewAgencyUser>,
) -> Response {
    reply(svc::create_agency_user(&*state.store, &who, NewAgencyUser { agency_id: id, ..u }, &meta.ip).await)
}

/// API tokens issued to agency users, newest first.
#[utoipa::path(get, path = "/api/v1/admin/tokens", tag = "admin", security(("bearer" = [])), responses((status = 200, body = Vec<TokenView>), (status = 403, body = ErrorBody)))]
pub async fn tokens(State(state): State<AppState>, SignedIn(who): SignedIn) -> Response {
    reply(svc::view(&*state.store, &who).await.map(|v| v.tokens))
}

/// Issue an API token for an agency user: it reaches only that agency's referrals.
#[utoipa::path(post, path = "/api/v1/admin/tokens", tag = "admin", request_body = NewToken, security(("bearer" = [])),
    responses((status = 200, body = IssuedToken), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn issue_token(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    JsonIn(t): JsonIn<NewToken>,
) -> Response {
    reply(svc::issue_token(&*state.store, &who, t, &meta.ip).await)
}

/// Revoke an API token: it stops working at once.
#[utoipa::path(delete, path = "/api/v1/admin/tokens/{id}", tag = "admin", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Vec<TokenView>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke_token(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    PathIn(id): PathIn<i64>,
) -> Response {
    reply(svc::revoke_token(&*state.store, &who, id, &meta.ip).await.map(|v| v.tokens))
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
pub async fn audit_trail(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    QueryIn(q): QueryIn<AuditQuery>,
) -> Response {
    reply(svc::audit_trail(&*state.store, &who, &q.subject_type, &q.reference, &meta.ip).await)
}

/// Add a bank holiday to the council's working-day calendar (a later year's, or a one-off):
/// every due date set from now on, every clock and `GET /api/v1/calendar/working-days` count it.
#[utoipa::path(post, path = "/api/v1/admin/bank-holidays", tag = "admin", request_body = NewBankHoliday, security(("bearer" = [])),
    responses((status = 200, body = AdminView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn add_bank_holiday(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    JsonIn(h): JsonIn<NewBankHoliday>,
) -> Response {
    reply(svc::add_bank_holiday(&*state.store, &who, h, &meta.ip).await)
}
