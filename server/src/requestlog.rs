//! The request log: one line a request with its method, route pattern, status, latency, the
//! signed-in user's id and a request id (sent back as `X-Request-Id`, or taken from the proxy's).
//! Never the query string, names, tokens or bodies: the path's variable parts (references, ids,
//! feedback tokens) are written as `{}`. The same layer counts each request for `/metrics`.

use std::time::Instant;

use axum::extract::Request;
use axum::http::{HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::Response;

/// Put on a response by the sign-in layer: who made the request, for its log line.
#[derive(Clone, Copy, Debug)]
pub struct LoggedUser(pub i64);

pub const REQUEST_ID: &str = "x-request-id";

/// Logs each request as it is answered.
pub async fn log_request(mut req: Request, next: Next) -> Response {
    let id = request_id(req.headers());
    let value = HeaderValue::from_str(&id).expect("a request id is visible ASCII");
    req.headers_mut().insert(REQUEST_ID, value.clone());
    let method = req.method().clone();
    let path = req.uri().path();
    let asset = path.starts_with("/pkg/") || path.starts_with("/fonts/") || path.starts_with("/tiles/");
    let route = route_pattern(path);
    let start = Instant::now();
    let mut res = next.run(req).await;
    let took = start.elapsed();
    let ms = took.as_secs_f64() * 1000.0;
    let user = res.extensions().get::<LoggedUser>().map(|u| u.0);
    res.headers_mut().insert(REQUEST_ID, value);
    let status = res.status().as_u16();
    crate::metrics::request(method.as_str(), &route, status, took);
    if asset {
        tracing::debug!(target: "hearth::request", method = %method, route, status, ms = format!("{ms:.1}"), request_id = %id, "request");
    } else {
        tracing::info!(target: "hearth::request", method = %method, route, status, ms = format!("{ms:.1}"), user, request_id = %id, "request");
    }
    res
}

/// The path with its variable parts written `{}`: a segment stays only if it reads as a route's
/// own word (lower-case letters, `-`, `_`, `.`, up to 24 characters) or an API version (`v1`);
/// references, ids, hashed file names and feedback tokens all have capitals or digits.
pub fn route_pattern(path: &str) -> String {
    let word = |s: &str| s.len() <= 24 && s.chars().all(|c| c.is_ascii_lowercase() || matches!(c, '-' | '_' | '.'));
    let version = |s: &str| s.len() <= 3 && s.starts_with('v') && s.len() > 1 && s[1..].chars().all(|c| c.is_ascii_digit());
    let mut out = String::new();
    for segment in path.split('/').skip(1) {
        out.push('/');
        if word(segment) || version(segment) {
            out.push_str(segment);
        } else {
            out.push_str("{}");
        }
        if out.len() > 200 {
            break;
        }
    }
    if out.is_empty() { "/".into() } else { out }
}

/// The proxy's request id where it is a plain token (up to 64 letters, digits, `-`, `_`, `.`), so
/// one request can be followed from proxy to Hearth; otherwise a new one.
pub fn request_id(headers: &HeaderMap) -> String {
    let given = headers.get(REQUEST_ID).and_then(|v| v.to_str().ok()).map(str::trim).unwrap_or_default();
    if (1..=64).contains(&given.len()) && given.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')) {
        return given.to_string();
    }
    format!("{:016x}", rand::random::<u64>())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn routes_are_logged_without_their_references_ids_or_tokens() {
        assert_eq!(route_pattern("/"), "/");
        assert_eq!(route_pattern("/api/v1/tenancies/TEN-004211/visits"), "/api/v1/tenancies/{}/visits");
        assert_eq!(route_pattern("/api/v1/pipeline/17/stage"), "/api/v1/pipeline/{}/stage");
        assert_eq!(route_pattern("/feedback/kQ7vX2pLmN8rTz4sWy9aBc"), "/feedback/{}");
        assert_eq!(route_pattern("/feedback/abcdefghijklmnopqrstuvwxyzABCD"), "/feedback/{}", "a token without a digit has capitals");
        assert_eq!(route_pattern("/api/v1/visits/months.csv"), "/api/v1/visits/months.csv");
        assert_eq!(route_pattern("/api/v1/my-work"), "/api/v1/my-work");
        assert_eq!(route_pattern("/team"), "/team");
        assert_eq!(route_pattern("/pkg/hearth.4f2a9c.wasm"), "/pkg/{}");
    }

    #[test]
    fn a_proxys_request_id_is_kept_when_plain_and_replaced_when_not() {
        let mut h = HeaderMap::new();
        h.insert(REQUEST_ID, HeaderValue::from_static("lb-7f3a.19"));
        assert_eq!(request_id(&h), "lb-7f3a.19");
        h.insert(REQUEST_ID, HeaderValue::from_static("has space; and=more"));
        let made = request_id(&h);
        assert_eq!(made.len(), 16);
        assert!(made.chars().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(request_id(&HeaderMap::new()), request_id(&HeaderMap::new()));
    }
}
