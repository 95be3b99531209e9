//! `/api/v1/map`: the patch map's data for the map page and for integrations. The points come as
//! packed columns with an ETag, so a browser that has them revalidates with a 304; after a change
//! `/api/v1/map/changes?since=` returns only the homes that moved.

use app::api::map::service as svc;
use app::domain::mapdata::{BalanceView, MapData, PatchChangeRequest, PatchChangesSince, SavedPatchChange, WorkloadWeights};
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::{Caller, ErrorBody, JsonIn, QueryIn, SignedIn, app_error, reply};
use crate::state::AppState;

#[derive(Deserialize, utoipa::IntoParams)]
pub struct AreaQuery {
    /// The area team (default: your own).
    pub area: Option<i64>,
}

/// Every home of an area (packed, delta-encoded columns), its patches with versions, ward and
/// estate outlines and patch territories. Answers 304 to a matching `If-None-Match`.
#[utoipa::path(get, path = "/api/v1/map", tag = "patch map", params(AreaQuery), security(("bearer" = [])),
    responses((status = 200, body = MapData), (status = 304), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn data(State(state): State<AppState>, SignedIn(who): SignedIn, headers: HeaderMap, QueryIn(q): QueryIn<AreaQuery>) -> Response {
    let map = match svc::map_data(&*state.store, &state.service_settings, &who, q.area).await {
        Ok(m) => m,
        Err(e) => return app_error(e),
    };
    let Ok(body) = serde_json::to_vec(&map) else { return app_error(app::error::AppError::Internal) };
    let digest = Sha256::digest(&body);
    let etag = format!("\"{}\"", digest[..12].iter().map(|b| format!("{b:02x}")).collect::<String>());
    let cache = [(header::CACHE_CONTROL, HeaderValue::from_static("private, no-cache")), (header::VARY, HeaderValue::from_static("Cookie, Authorization"))];
    if headers.get(header::IF_NONE_MATCH).and_then(|v| v.to_str().ok()).is_some_and(|v| v.split(',').any(|t| t.trim() == etag)) {
        return (StatusCode::NOT_MODIFIED, cache, [(header::ETAG, etag)]).into_response();
    }
    (cache, [(header::ETAG, etag), (header::CONTENT_TYPE, "application/json".into())], body).into_response()
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct SinceQuery {
    pub area: Option<i64>,
    /// The `change` of the data you hold.
    pub since: i64,
}

/// Homes whose patch changed after change `since`, and the patches (with versions) now.
#[utoipa::path(get, path = "/api/v1/map/changes", tag = "patch map", params(SinceQuery), security(("bearer" = [])),
    responses((status = 200, body = PatchChangesSince), (status = 403, body = ErrorBody)))]
pub async fn changes(c: Caller, QueryIn(q): QueryIn<SinceQuery>) -> Response {
    reply(svc::changes_since(c.store(), &c.who, q.area, q.since).await)
}

/// Moves homes between an area's patches (Team Leaders of the area). Every patch a home leaves
/// or joins must be at the version given, or the whole change is refused with 409.
#[utoipa::path(post, path = "/api/v1/map/changes", tag = "patch map", request_body = PatchChangeRequest, security(("bearer" = [])),
    responses((status = 200, body = SavedPatchChange), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn save(c: Caller, JsonIn(change): JsonIn<PatchChangeRequest>) -> Response {
    reply(svc::save_change(c.store(), &c.who, &change, &c.meta.ip).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct BalanceRequest {
    pub area: i64,
    /// How many officers share the area (at most today's number of patches).
    pub officers: usize,
    /// Allowed deviation from the target workload, in percent (1–50).
    pub tolerance_pct: u32,
}

/// A balance suggestion: contiguous patches within the tolerance of the weighted-workload target,
/// moving as few homes as possible. Nothing is saved.
#[utoipa::path(post, path = "/api/v1/map/balance", tag = "patch map", request_body = BalanceRequest, security(("bearer" = [])),
    responses((status = 200, body = BalanceView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn balance(c: Caller, JsonIn(b): JsonIn<BalanceRequest>) -> Response {
    reply(svc::balance(c.store(), &c.who, b.area, b.officers, b.tolerance_pct).await)
}

/// The workload weights (tenths of a home per factor).
#[utoipa::path(get, path = "/api/v1/admin/workload-weights", tag = "admin", security(("bearer" = [])), responses((status = 200, body = WorkloadWeights)))]
pub async fn weights(State(state): State<AppState>, SignedIn(_who): SignedIn) -> Response {
    reply(state.store.workload_weights().await)
}

/// Sets the workload weights (administrators).
#[utoipa::path(put, path = "/api/v1/admin/workload-weights", tag = "admin", request_body = WorkloadWeights, security(("bearer" = [])),
    responses((status = 200, body = WorkloadWeights), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn set_weights(c: Caller, JsonIn(w): JsonIn<WorkloadWeights>) -> Response {
    reply(svc::set_weights(c.store(), &c.who, &w, &c.meta.ip).await)
}
