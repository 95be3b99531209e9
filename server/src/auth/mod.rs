//! Sign-in, sessions, roles and the checks every request passes through.
//!
//! - Passwords: argon2id (`password`).
//! - Browser sessions: tower-sessions on Hearth's own database, id rotated at sign-in,
//!   expiring after `SESSION_IDLE_MINUTES` of inactivity.
//! - API clients: bearer tokens (`tokens`), stored as SHA-256 hashes.
//! - Every request gets `Extension<Principal>` when signed in, and `Extension<RequestMeta>`.
//! - CSRF: state-changing requests must come from our own origin (Origin/Referer check),
//!   cookies are SameSite=Lax; bearer-token requests carry no ambient credentials.
//! - Sign-in attempts are rate-limited per client IP and per account (`limits`).

pub mod headers;
pub mod limits;
pub mod password;
pub mod signin;
pub mod tokens;

use std::net::SocketAddr;

use app::api::RequestMeta;
use app::domain::access::Principal;
use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use tower_sessions::Session;

use crate::db::Db;
use crate::state::AppState;

pub const SESSION_USER_KEY: &str = "user_id";
pub const SESSION_IDLE_MINUTES: i64 = 30;

/// Loads an active user as a `Principal`, with the absent officers they cover `today` (the
/// store's today, `KitStore::today`, so a test that fixes the day fixes cover with it).
pub async fn load_principal(db: &Db, user_id: i64, today: chrono::NaiveDate) -> Option<Principal> {
    crate::store::accounts::principal(db, user_id, today).await.ok()?
}

/// Who a bearer token stands for: its user, as a session would load them; None if the token is
/// unknown, expired or revoked.
pub async fn principal_for_token(db: &Db, token: &str, today: chrono::NaiveDate) -> Option<Principal> {
    let user_id = crate::store::admin::token_user(db, token).await.ok()??;
    load_principal(db, user_id, today).await
}

/// The client's address. With no trusted proxy (`Config::trusted_proxies` 0), the socket's peer.
/// Behind `n` trusted proxies, the `n`th X-Forwarded-For entry from the right: each proxy appends
/// the address it was reached from, so that entry was written by the outermost trusted proxy and
/// everything left of it by the client, who can write anything there. A missing or unreadable
/// entry falls back to the socket's peer.
pub fn client_ip(req: &Request, trusted_proxies: usize) -> String {
    let socket = || req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip().to_string()).unwrap_or_else(|| "unknown".into());
    if trusted_proxies == 0 {
        return socket();
    }
    let values: Vec<&str> = req.headers().get_all("x-forwarded-for").iter().filter_map(|v| v.to_str().ok()).collect();
    forwarded_client(&values, trusted_proxies).unwrap_or_else(socket)
}

/// The client's address from X-Forwarded-For header lines (in order) behind `hops` trusted
/// proxies: the `hops`th entry from the right, if it is an IP address.
pub fn forwarded_client(values: &[&str], hops: usize) -> Option<String> {
    let entries: Vec<&str> = values.iter().flat_map(|v| v.split(',')).map(str::trim).filter(|e| !e.is_empty()).collect();
    let entry = *entries.get(entries.len().checked_sub(hops)?)?;
    entry.parse::<std::net::IpAddr>().ok().map(|ip| ip.to_string())
}

/// The origin the request came to, for absolute links (`domain::feedback::request_origin`):
/// the Host header (or the URI's authority), https only when a trusted proxy says so.
pub fn request_origin(req: &Request, trust_proxy: bool) -> String {
    let header = |name: &str| req.headers().get(name).and_then(|v| v.to_str().ok());
    let host = header("host").or_else(|| req.uri().authority().map(|a| a.as_str()));
    app::domain::feedback::request_origin(host, header("x-forwarded-proto"), trust_proxy).unwrap_or_default()
}

/// The token of an `Authorization: Bearer <token>` header. The scheme name is case-insensitive
/// (RFC 7235 section 2.1, RFC 6750 section 2.1), so `bearer` and `BEARER` are Bearer too.
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?.trim_start();
    let (scheme, token) = value.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

/// Resolves who is calling (session cookie or bearer token) into request extensions.
pub async fn resolve_principal(State(state): State<AppState>, session: Session, mut req: Request, next: Next) -> Response {
    let ip = client_ip(&req, state.config.trusted_proxies);
    let origin = request_origin(&req, state.config.trust_proxy());
    req.extensions_mut().insert(RequestMeta { ip, origin });
    if req.uri().path() == "/metrics" {
        // Its bearer token is the metrics token, which is no one's: `crate::metrics::allowed`.
        return next.run(req).await;
    }
    let principal = if let Some(token) = bearer(req.headers()) {
        match principal_for_token(&state.db, token, state.store.today()).await {
            Some(p) => Some(p),
            None => {
                return crate::api::errors::error_response(StatusCode::UNAUTHORIZED, "not_signed_in", "The API token is missing, expired or revoked.");
            }
        }
    } else {
        match session.get::<i64>(SESSION_USER_KEY).await {
            Ok(Some(id)) => load_principal(&state.db, id, state.store.today()).await,
            _ => None,
        }
    };
    let user = principal.as_ref().map(|p| p.user_id);
    if let Some(p) = principal {
        req.extensions_mut().insert(p);
    }
    let mut res = next.run(req).await;
    if let Some(id) = user {
        res.extensions_mut().insert(crate::requestlog::LoggedUser(id));
    }
    res
}

/// Page requests from someone not signed in go to the sign-in page, remembering where they were going.
/// Paths are decided in their canonical form only (`domain::signin`): any other spelling is first
/// sent to it, so `/./admin` cannot pass as a file.
pub async fn require_sign_in_for_pages(req: Request, next: Next) -> Response {
    use app::domain::signin::{canonical_path, is_public_path};
    let path = req.uri().path();
    // The JSON API and server functions route their own paths and answer 404 in JSON for any other
    // spelling; only a spelling that would leave them (`/api/../admin`) is put right here.
    let api = |p: &str| p.starts_with("/api/") || p.starts_with("/fn/");
    if let Some(canonical) = canonical_path(path).filter(|c| !(api(path) && api(c))) {
        if matches!(*req.method(), Method::GET | Method::HEAD) {
            let to = match req.uri().query() {
                Some(q) => format!("{canonical}?{q}"),
                None => canonical,
            };
            return match axum::http::HeaderValue::from_str(&to) {
                Ok(v) => (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, v)]).into_response(),
                Err(_) => crate::api::errors::error_response(StatusCode::BAD_REQUEST, "invalid", "The address is not valid."),
            };
        }
        return crate::api::errors::error_response(StatusCode::NOT_FOUND, "not_found", "No such address: use its plain form, without `.` or `..` segments.");
    }
    let public = is_public_path(path);
    if req.method() == Method::GET && !public && req.extensions().get::<Principal>().is_none() {
        let next_path = req.uri().path_and_query().map(|p| p.as_str()).unwrap_or("/");
        return Redirect::to(&format!("/sign-in?next={}", signin::form_encode(next_path))).into_response();
    }
    // Partner-agency users have one place in Hearth: their agency's referrals.
    let partner = req.extensions().get::<Principal>().is_some_and(|p| p.role == app::domain::Role::Partner);
    if req.method() == Method::GET && !public && partner && !app::domain::access::partner_page_allowed(path) {
        return Redirect::to("/referrals").into_response();
    }
    // `/` is *My work*; a role that works from elsewhere (administrators, partners) lands there instead.
    if req.method() == Method::GET
        && let Some(to) = req.extensions().get::<Principal>().and_then(|p| app::domain::desk::redirect(p.role, path))
    {
        return Redirect::to(to).into_response();
    }
    // ...and of the server functions and API routes, only those behind their referrals.
    if partner && !app::domain::access::partner_may_reach(path) {
        return crate::api::errors::error_response(StatusCode::FORBIDDEN, "forbidden", "Partner-agency users reach only their agency's referrals.");
    }
    next.run(req).await
}

/// Refuses state-changing requests that do not come from Hearth's own pages.
pub async fn csrf_guard(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let headers = req.headers();
    // Token clients send no cookies, so a forged cross-site request carries no credentials.
    if bearer(headers).is_some() && headers.get(header::COOKIE).is_none() {
        return next.run(req).await;
    }
    if same_origin(headers) {
        return next.run(req).await;
    }
    // Public, credential-free JSON endpoints (API sign-in) are not CSRF targets either.
    if req.uri().path() == "/api/v1/auth/token" && headers.get(header::COOKIE).is_none() {
        return next.run(req).await;
    }
    tracing::warn!(path = %req.uri().path(), "refused a cross-site state-changing request");
    crate::edge::refusal(req.uri().path(), app::error::AppError::Forbidden("Cross-site request refused: submit the form from Hearth itself.".into()))
}

/// Origin (or, failing that, Referer) names this host.
pub fn same_origin(headers: &HeaderMap) -> bool {
    let Some(host) = headers.get(header::HOST).and_then(|h| h.to_str().ok()) else { return false };
    let source = headers.get(header::ORIGIN).or_else(|| headers.get(header::REFERER)).and_then(|v| v.to_str().ok());
    match source {
        Some(src) => {
            let rest = src.strip_prefix("https://").or_else(|| src.strip_prefix("http://")).unwrap_or("");
            let src_host = rest.split('/').next().unwrap_or("");
            src_host.eq_ignore_ascii_case(host)
        }
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    /// A client behind a proxy that appends to X-Forwarded-For (nginx's `$proxy_add_x_forwarded_for`,
    /// the default of common proxies) can write any entries it likes to the left of the proxy's:
    /// only the entry the trusted proxy added is believed.
    #[test]
    fn forwarded_addresses_are_read_from_the_trusted_proxys_end() {
        assert_eq!(forwarded_client(&["203.0.113.9"], 1).as_deref(), Some("203.0.113.9"));
        assert_eq!(forwarded_client(&["6.6.6.6, 203.0.113.9"], 1).as_deref(), Some("203.0.113.9"), "a forged leftmost entry is ignored");
        assert_eq!(forwarded_client(&["6.6.6.6", "203.0.113.9"], 1).as_deref(), Some("203.0.113.9"), "several header lines, in order");
        assert_eq!(forwarded_client(&["6.6.6.6, 203.0.113.9, 10.0.0.2"], 2).as_deref(), Some("203.0.113.9"), "two trusted hops");
        assert_eq!(forwarded_client(&["203.0.113.9"], 2), None, "fewer entries than trusted hops: not believed");
        assert_eq!(forwarded_client(&["6.6.6.6, not-an-address"], 1), None, "garbage is not an address");
        assert_eq!(forwarded_client(&[], 1), None);
        assert_eq!(forwarded_client(&["2001:db8::1"], 1).as_deref(), Some("2001:db8::1"));
    }

    #[test]
    fn same_origin_checks_origin_then_referer() {
        assert!(same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000")])));
        assert!(same_origin(&headers(&[("host", "127.0.0.1:3000"), ("referer", "http://127.0.0.1:3000/search?q=x")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://evil.example")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:3000"), ("origin", "http://127.0.0.1:3000.evil.example")])));
        assert!(!same_origin(&headers(&[("host", "127.0.0.1:3000")])));
        assert!(!same_origin(&headers(&[("origin", "http://127.0.0.1:3000")])));
    }

    #[test]
    fn bearer_scheme_is_case_insensitive() {
        for scheme in ["Bearer", "bearer", "BEARER", "bEaReR"] {
            assert_eq!(bearer(&headers(&[("authorization", &format!("{scheme} abc123"))])), Some("abc123"), "{scheme}");
        }
        assert_eq!(bearer(&headers(&[("authorization", "Bearer   abc123  ")])), Some("abc123"));
        assert_eq!(bearer(&headers(&[("authorization", "Basic dXNlcjpwYXNz")])), None);
        assert_eq!(bearer(&headers(&[("authorization", "Bearerabc123")])), None);
        assert_eq!(bearer(&headers(&[("authorization", "Bearer")])), None);
        assert_eq!(bearer(&headers(&[])), None);
    }
}
