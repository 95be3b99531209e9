//! What every request and answer passes at the edge, whatever route it is for:
//!
//! - control characters in the address, the query or the body are refused with a 400 that names
//!   the field, before any handler or database sees them (PostgreSQL cannot store NUL; nobody types
//!   one);
//! - a server function's error answers with its own status (403, 404, 400, 409...), as the JSON
//!   API does, not with the 500 Leptos gives every error;
//! - every answer says how it may be cached: private pages and data never (`no-store`), the site's
//!   content-hashed assets for a year, and `Strict-Transport-Security` when served over HTTPS.

use app::error::AppError;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::state::AppState;

/// A character nobody types and no field holds: the C0 controls but tab, line feed and carriage
/// return (which multi-line text sends), and DEL.
pub fn is_refused_control(c: char) -> bool {
    (c.is_control() && (c as u32) < 0x80 && !matches!(c, '\t' | '\n' | '\r')) || c == '\u{7f}'
}

fn has_refused(s: &str) -> bool {
    s.chars().any(is_refused_control)
}

/// The first string in a JSON value holding a refused character, by its path (`reason`,
/// `fields[2]`, `detail.name`); keys count too.
fn json_field_with_control(v: &serde_json::Value, at: &str) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) if has_refused(s) => Some(if at.is_empty() { "the body".into() } else { at.to_string() }),
        Value::Array(items) => items.iter().enumerate().find_map(|(i, x)| json_field_with_control(x, &format!("{at}[{i}]"))),
        Value::Object(map) => map.iter().find_map(|(k, x)| {
            if has_refused(k) {
                return Some("a field name".into());
            }
            json_field_with_control(x, &if at.is_empty() { k.clone() } else { format!("{at}.{k}") })
        }),
        _ => None,
    }
}

/// The first form field (or the query's) holding a refused character, by name.
fn form_field_with_control(body: &[u8]) -> Option<String> {
    form_urlencoded::parse(body)
        .find(|(k, v)| has_refused(k) || has_refused(v))
        .map(|(k, _)| if has_refused(&k) { "a field name".to_string() } else { k.into_owned() })
}

/// Which field of the request holds a refused character, if any.
fn field_with_control(path: &str, query: Option<&str>, content_type: &str, body: &[u8]) -> Option<String> {
    let decoded = percent_encoding::percent_decode_str(path).decode_utf8_lossy();
    if has_refused(&decoded) {
        return Some("the address".into());
    }
    if let Some(field) = query.and_then(|q| form_field_with_control(q.as_bytes())) {
        return Some(field);
    }
    if body.is_empty() {
        return None;
    }
    if content_type.starts_with("application/x-www-form-urlencoded") {
        form_field_with_control(body)
    } else if content_type.starts_with("multipart/form-data") {
        // An upload (a photo) is binary; its text fields are codes its handler reads strictly.
        None
    } else if content_type.contains("json") {
        // A body that is not JSON is left to its handler, which explains that.
        serde_json::from_slice::<serde_json::Value>(body).ok().and_then(|v| json_field_with_control(&v, ""))
    } else {
        std::str::from_utf8(body).ok().filter(|s| has_refused(s)).map(|_| "the body".into())
    }
}

/// An error in the form the caller reads: JSON `ErrorBody` for the API, the server functions'
/// own `AppError` encoding for `/fn/`, a plain page otherwise.
pub fn refusal(path: &str, e: AppError) -> Response {
    let status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST);
    if path.starts_with("/fn/") {
        let body = serde_json::to_string(&e).unwrap_or_default();
        return (status, [(header::CONTENT_TYPE, "application/json")], body).into_response();
    }
    if path.starts_with("/api/") {
        return crate::api::app_error(e);
    }
    let page = format!(
        "<!DOCTYPE html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>There is a problem – Hearth</title></head>\
         <body><main><h1>There is a problem</h1><p>{}</p><p><a href=\"/\">Go back to Hearth</a></p></main></body></html>",
        html_escape::encode_text(&e.to_string())
    );
    (status, [(header::CONTENT_TYPE, "text/html; charset=utf-8")], page).into_response()
}

/// Refuses a request with a control character in its address, query or body (form, JSON or text).
/// Bodies are already capped by `routes::body_limit`.
pub async fn refuse_control_characters(req: Request, next: Next) -> Response {
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(b) => b,
        Err(_) => return crate::api::error_response(StatusCode::PAYLOAD_TOO_LARGE, "too_large", "The request is too large."),
    };
    let content_type = parts.headers.get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    if let Some(field) = field_with_control(parts.uri.path(), parts.uri.query(), content_type, &bytes) {
        let mut chars = field.chars();
        let field: String = chars.next().map(|c| c.to_uppercase().chain(chars).collect()).unwrap_or_default();
        let message = format!("{field} contains a control character (such as NUL): remove it and try again.");
        return refusal(parts.uri.path(), AppError::Invalid(message));
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Gives a server function's error its own status. Leptos answers every error from `/fn/` with
/// 500; the body is the `AppError`, whose status is the one the JSON API gives the same error.
pub async fn server_fn_status(req: Request, next: Next) -> Response {
    let is_fn = req.uri().path().starts_with("/fn/");
    let res = next.run(req).await;
    if !is_fn || res.status() != StatusCode::INTERNAL_SERVER_ERROR {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes: Bytes = axum::body::to_bytes(body, 1024 * 1024).await.unwrap_or_default();
    if let Ok(e) = serde_json::from_slice::<AppError>(&bytes) {
        parts.status = StatusCode::from_u16(e.status()).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    }
    Response::from_parts(parts, Body::from(bytes))
}

/// How an answer for `path` may be cached when its handler has not said: the site's assets for a
/// year when their names carry their content's hash (else revalidated each time), public files for
/// a day, everything else (pages, data, the feedback form with its one-time key) never.
pub fn cache_control(path: &str, hashed_assets: bool) -> &'static str {
    if path.starts_with("/pkg/") {
        if hashed_assets { "public, max-age=31536000, immutable" } else { "no-cache" }
    } else if app::domain::signin::PUBLIC_FILES.contains(&path) {
        "public, max-age=86400"
    } else {
        "no-store"
    }
}

/// Served over HTTPS: Hearth's own cookies say so (`HEARTH_SECURE_COOKIES`), or a trusted proxy
/// says the client came by HTTPS (the first proxy's word, as for absolute links:
/// `domain::feedback::request_origin`).
pub fn over_https(secure_cookies: bool, trust_proxy: bool, forwarded_proto: Option<&str>) -> bool {
    secure_cookies || app::domain::feedback::proxy_says_https(forwarded_proto, trust_proxy)
}

/// Sets `Cache-Control` (unless the handler did) and, over HTTPS, `Strict-Transport-Security`.
pub async fn caching_and_transport(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let https = over_https(state.config.secure_cookies, state.config.trust_proxy(), req.headers().get("x-forwarded-proto").and_then(|v| v.to_str().ok()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    if !h.contains_key(header::CACHE_CONTROL) {
        h.insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control(&path, state.leptos_options.hash_files)));
    }
    if https {
        h.insert(header::STRICT_TRANSPORT_SECURITY, HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    }
    res
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_found_and_named_wherever_they_come() {
        assert_eq!(field_with_control("/api/v1/tenancies/%00", None, "", b"").as_deref(), Some("the address"));
        assert_eq!(field_with_control("/feedback/abc%00", None, "", b"").as_deref(), Some("the address"));
        assert_eq!(field_with_control("/x", Some("q=a%00b"), "", b"").as_deref(), Some("q"));
        assert_eq!(field_with_control("/x", None, "application/json", br#"{"username":"admin\u0000","password":"x"}"#).as_deref(), Some("username"));
        assert_eq!(field_with_control("/x", None, "application/json", br#"{"a":{"b":["ok","n\u0007"]}}"#).as_deref(), Some("a.b[1]"));
        assert_eq!(field_with_control("/x", None, "application/x-www-form-urlencoded; charset=utf-8", b"body=hi%00").as_deref(), Some("body"));
        assert_eq!(field_with_control("/x", None, "text/csv", b"a,b\n1,\x00").as_deref(), Some("the body"));
        // Multi-line text keeps its tabs and line breaks; other languages' letters are text.
        assert_eq!(field_with_control("/x", Some("q=Caf%C3%A9"), "application/x-www-form-urlencoded", b"note=line+one%0D%0Aline%09two"), None);
        assert_eq!(field_with_control("/x", None, "application/json", r#"{"note":"line\r\nnext\tcol","name":"Siân"}"#.as_bytes()), None);
        assert_eq!(field_with_control("/x", None, "application/json", b"not json\x00"), None, "left to the handler, which refuses it as JSON");
        // A field's name is not echoed when it is itself the problem (Schemathesis sent this one).
        assert_eq!(field_with_control("/x", None, "application/json", br#"{"\u0080\u001f": null}"#).as_deref(), Some("a field name"));
        assert_eq!(field_with_control("/x", None, "application/json", br#"{"\u00e9t\u00e9": "\u001f"}"#).as_deref(), Some("\u{e9}t\u{e9}"));
    }

    #[test]
    fn private_answers_are_never_cached_and_hashed_assets_are_kept() {
        assert_eq!(cache_control("/", true), "no-store");
        assert_eq!(cache_control("/api/v1/feedback/results.csv", true), "no-store");
        assert_eq!(cache_control("/feedback/abc", true), "no-store");
        assert_eq!(cache_control("/pkg/hearth.abc123.wasm", true), "public, max-age=31536000, immutable");
        assert_eq!(cache_control("/pkg/hearth.wasm", false), "no-cache");
        assert_eq!(cache_control("/favicon.svg", false), "public, max-age=86400");
    }

    #[test]
    fn https_is_known_from_our_own_setting_or_the_trusted_proxy() {
        assert!(over_https(true, false, None));
        assert!(over_https(false, true, Some("https")));
        assert!(over_https(false, true, Some("https, http")), "the first proxy's word");
        assert!(!over_https(false, false, Some("https")), "an untrusted header says nothing");
        assert!(!over_https(false, true, None));
    }
}
