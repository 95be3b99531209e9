//! Security headers on every response, with a fresh CSP nonce per request for the
//! hydration script (the only inline script Hearth has).

use app::app::CspNonce;
use axum::extract::{Request, State};
use axum::http::HeaderValue;
use axum::middleware::Next;
use axum::response::Response;
use base64::Engine;
use rand::RngCore;

/// The policy for one response; `tiles` is the council's tile server origin (`Settings::tile_origin`),
/// allowed as an image source when configured.
pub fn content_security_policy(nonce: &str, tiles: Option<&str>) -> String {
    let tiles = tiles.map(|t| format!(" {t}")).unwrap_or_default();
    format!(
        "default-src 'self'; script-src 'self' 'nonce-{nonce}' 'wasm-unsafe-eval'; style-src 'self'; \
         img-src 'self' data:{tiles}; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; \
         form-action 'self'; frame-ancestors 'none'"
    )
}

pub async fn security_headers(State(state): State<crate::state::AppState>, mut req: Request, next: Next) -> Response {
    let mut bytes = [0u8; 18];
    rand::rng().fill_bytes(&mut bytes);
    let nonce = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    req.extensions_mut().insert(CspNonce(nonce.clone()));
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let set = |h: &mut axum::http::HeaderMap, k: &'static str, v: &str| {
        if let Ok(v) = HeaderValue::from_str(v) {
            h.insert(k, v);
        }
    };
    set(h, "content-security-policy", &content_security_policy(&nonce, state.service_settings.tile_origin().as_deref()));
    set(h, "x-content-type-options", "nosniff");
    set(h, "x-frame-options", "DENY");
    set(h, "referrer-policy", "same-origin");
    set(h, "permissions-policy", "camera=(), microphone=(), geolocation=(self)");
    set(h, "cross-origin-opener-policy", "same-origin");
    res
}
