//! `/api/v1/referrals`: the same services as the referral pages, for officers' scripts and for
//! partner agencies' systems (with an agency user's API token, scoped to that agency).

use app::api::referrals::service::{self as svc, ListParams, NewReferralRequest, ReferralMoveRequest};
use app::model::*;
use axum::response::Response;
use serde::Deserialize;

use super::{Caller, ErrorBody, JsonIn, PathIn, QueryIn, reply};

/// Referrals the caller may see: an agency's own (once sent), or an officer's area's.
#[utoipa::path(get, path = "/api/v1/referrals", tag = "referrals", params(ListParams), security(("bearer" = [])),
    responses((status = 200, body = ReferralList), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn list(c: Caller, q: Result<QueryIn<ListParams>, Response>) -> Response {
    let Ok(QueryIn(p)) = q else {
        return super::error_response(
            axum::http::StatusCode::BAD_REQUEST,
            "invalid",
            "Filters: agency (an id), status, mine (true/false), tenancy (a reference).",
        );
    };
    reply(svc::list(c.store(), &c.who, &p, &c.meta.ip).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ViewQuery {
    /// Why you are opening it: required for restricted (MARAC, MAPPA, safeguarding) referrals, and audited.
    pub reason: Option<String>,
}

/// One referral. Agency users get the shared fields, the thread and the contact; a referral not
/// shared with their agency is 404, as if it did not exist. A restricted referral needs `?reason=`.
#[utoipa::path(get, path = "/api/v1/referrals/{reference}", tag = "referrals", params(("reference" = String, Path), ViewQuery), security(("bearer" = [])),
    responses((status = 200, body = ReferralPage), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn one(c: Caller, PathIn(reference): PathIn<String>, QueryIn(q): QueryIn<ViewQuery>) -> Response {
    reply(svc::page(c.store(), &c.who, &reference, q.reason.as_deref(), &c.meta.ip).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewReferralBody {
    /// The tenancy the referral is about.
    pub tenancy: String,
    #[serde(flatten)]
    pub referral: NewReferralRequest,
}

/// Make a referral from a tenancy: a draft, or sent at once (`send: true`) with the snapshot of the chosen fields.
#[utoipa::path(post, path = "/api/v1/referrals", tag = "referrals", request_body = NewReferralBody, security(("bearer" = [])),
    responses((status = 200, body = ReferralPage), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create(c: Caller, JsonIn(b): JsonIn<NewReferralBody>) -> Response {
    let store = c.store();
    let made = svc::create(store, &c.who, &b.tenancy, b.referral, &c.meta.ip).await;
    reply(match made {
        Ok(reference) => svc::page(store, &c.who, &reference, Some("Made it"), &c.meta.ip).await,
        Err(e) => Err(e),
    })
}

/// Move a referral: send or withdraw (council); accept, decline, start or close (agency). Wrong side: 403; wrong state or stale version: 409.
#[utoipa::path(post, path = "/api/v1/referrals/{reference}/moves", tag = "referrals", params(("reference" = String, Path)), request_body = ReferralMoveRequest, security(("bearer" = [])),
    responses((status = 200, body = ReferralDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn act(c: Caller, PathIn(reference): PathIn<String>, JsonIn(m): JsonIn<ReferralMoveRequest>) -> Response {
    reply(svc::act(c.store(), &c.who, &reference, m, &c.meta.ip).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct MessageBody {
    pub body: String,
    /// Why you are writing on it: required for restricted (MARAC, MAPPA, safeguarding) referrals, and audited.
    #[serde(default)]
    pub access_reason: String,
}

/// Post an update, question or reply on the referral's thread (both sides see it).
#[utoipa::path(post, path = "/api/v1/referrals/{reference}/messages", tag = "referrals", params(("reference" = String, Path)), request_body = MessageBody, security(("bearer" = [])),
    responses((status = 200, body = ReferralDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn message(c: Caller, PathIn(reference): PathIn<String>, JsonIn(m): JsonIn<MessageBody>) -> Response {
    reply(svc::post(c.store(), &c.who, &reference, &m.body, &m.access_reason, &c.meta.ip).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NameBody {
    pub username: String,
    /// Why they need to know: required (every referral that takes named people is restricted), and audited.
    #[serde(default)]
    pub access_reason: String,
}

/// Name a council officer on a restricted referral (need-to-know access).
#[utoipa::path(post, path = "/api/v1/referrals/{reference}/access", tag = "referrals", params(("reference" = String, Path)), request_body = NameBody, security(("bearer" = [])),
    responses((status = 200, body = ReferralDetail), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn name(c: Caller, PathIn(reference): PathIn<String>, JsonIn(n): JsonIn<NameBody>) -> Response {
    reply(svc::name_person(c.store(), &c.who, &reference, &n.username, &n.access_reason, &c.meta.ip).await)
}
