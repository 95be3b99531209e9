//! `/metrics`: the process's figures in the OpenMetrics text format that Prometheus scrapes. Requests
//! by route pattern and status, their latency as a histogram, the database pool, My work's list
//! cache (hits and misses) and the rate limits' refusals. Figures only: no names, references or
//! addresses, and routes as patterns (`crate::requestlog::route_pattern`), so nothing personal
//! leaves. Reachable with the metrics token (`HEARTH_METRICS_TOKEN`, as a bearer token) or from the
//! machine itself (a loopback connection that no proxy forwarded); otherwise 404, as if absent.

use std::net::SocketAddr;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::extract::{ConnectInfo, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

use crate::state::AppState;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct LimitLabels {
    limit: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CacheLabels {
    result: &'static str,
}

type Latency = Family<RouteLabels, Histogram, fn() -> Histogram>;

/// Every figure Hearth keeps, for the whole process (as Prometheus expects of a process's metrics).
struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: Latency,
    pool_connections: Gauge,
    pool_idle: Gauge,
    worklist_cache: Family<CacheLabels, Counter>,
    refusals: Family<LimitLabels, Counter>,
    /// Method and route pairs labelled so far.
    routes: AtomicUsize,
}

/// Route patterns kept as labels at most; past them (a scan of made-up addresses), `other`.
const MAX_ROUTES: usize = 400;

static METRICS: LazyLock<Metrics> = LazyLock::new(|| {
    let mut registry = Registry::with_prefix("hearth");
    let requests = Family::<RequestLabels, Counter>::default();
    registry.register("http_requests", "Requests answered, by method, route pattern and status", requests.clone());
    // 1 ms to about 16 s, doubling.
    let latency: Latency = Family::new_with_constructor(|| Histogram::new(exponential_buckets(0.001, 2.0, 15)));
    registry.register("http_request_duration_seconds", "Time to answer a request, by method and route pattern", latency.clone());
    let pool_connections = Gauge::default();
    registry.register("db_pool_connections", "Database connections open", pool_connections.clone());
    let pool_idle = Gauge::default();
    registry.register("db_pool_idle_connections", "Database connections open and idle", pool_idle.clone());
    let worklist_cache = Family::<CacheLabels, Counter>::default();
    registry.register("worklist_cache_lookups", "My work's kept lists looked up: hit (answered from memory) or miss (queried)", worklist_cache.clone());
    let refusals = Family::<LimitLabels, Counter>::default();
    registry.register("rate_limit_refusals", "Requests refused by a rate limit: sign_in, feedback_view or feedback_submit", refusals.clone());
    Metrics { registry, requests, latency, pool_connections, pool_idle, worklist_cache, refusals, routes: AtomicUsize::new(0) }
});

/// Counts one answered request (from the request log's layer).
pub fn request(method: &str, route: &str, status: u16, took: Duration) {
    let m = &*METRICS;
    // Unknown addresses are one label, whatever was asked, so a scan cannot grow the figures.
    let route = if status == 404 { "unmatched".to_string() } else { route.to_string() };
    let mut labels = RouteLabels { method: method.into(), route };
    if m.latency.get(&labels).is_none() && m.routes.fetch_add(1, Ordering::Relaxed) >= MAX_ROUTES {
        labels.route = "other".into();
    }
    m.requests.get_or_create(&RequestLabels { method: labels.method.clone(), route: labels.route.clone(), status }).inc();
    m.latency.get_or_create(&labels).observe(took.as_secs_f64());
}

/// Counts a lookup of My work's kept lists.
pub fn worklist_cache(hit: bool) {
    METRICS.worklist_cache.get_or_create(&CacheLabels { result: if hit { "hit" } else { "miss" } }).inc();
}

/// Counts a request a rate limit refused: `sign_in`, `feedback_view` or `feedback_submit`.
pub fn refused(limit: &'static str) {
    METRICS.refusals.get_or_create(&LimitLabels { limit }).inc();
}

/// The figures as OpenMetrics text, the pool's read now.
pub fn render(state: &AppState) -> String {
    let m = &*METRICS;
    m.pool_connections.set(i64::from(state.db.pool.size()));
    m.pool_idle.set(state.db.pool.num_idle() as i64);
    let mut out = String::new();
    prometheus_client::encoding::text::encode(&mut out, &m.registry).expect("writing to a String cannot fail");
    out
}

/// Whether this request may read the figures: the metrics token, or the machine itself.
pub fn allowed(token: Option<&str>, headers: &HeaderMap, socket: Option<SocketAddr>) -> bool {
    if let (Some(want), Some(given)) = (token, crate::auth::bearer(headers)) {
        // Compared as digests, so the time taken says nothing about how much of the token matched.
        use sha2::{Digest, Sha256};
        return Sha256::digest(want.as_bytes()) == Sha256::digest(given.trim().as_bytes());
    }
    let forwarded = headers.contains_key("x-forwarded-for") || headers.contains_key(header::FORWARDED);
    socket.is_some_and(|s| s.ip().is_loopback()) && !forwarded
}

/// `GET /metrics`.
pub async fn show(State(state): State<AppState>, headers: HeaderMap, req: Request) -> Response {
    let socket = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0);
    if !allowed(state.config.metrics_token.as_deref(), &headers, socket) {
        return StatusCode::NOT_FOUND.into_response();
    }
    ([(header::CONTENT_TYPE, "application/openmetrics-text; version=1.0.0; charset=utf-8"), (header::CACHE_CONTROL, "no-store")], render(&state))
        .into_response()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn the_figures_are_for_the_token_or_the_machine_itself() {
        let local: SocketAddr = "127.0.0.1:50000".parse().unwrap();
        let remote: SocketAddr = "203.0.113.9:50000".parse().unwrap();
        let none = HeaderMap::new();
        assert!(allowed(None, &none, Some(local)));
        assert!(!allowed(None, &none, Some(remote)));
        assert!(!allowed(None, &none, None));
        let mut proxied = HeaderMap::new();
        proxied.insert("x-forwarded-for", HeaderValue::from_static("203.0.113.9"));
        assert!(!allowed(None, &proxied, Some(local)), "through a proxy on the same machine is not the machine itself");
        let mut bearer = HeaderMap::new();
        bearer.insert(header::AUTHORIZATION, HeaderValue::from_static("Bearer s3cret-metrics"));
        assert!(allowed(Some("s3cret-metrics"), &bearer, Some(remote)));
        assert!(!allowed(Some("other"), &bearer, Some(local)), "a wrong token is refused, even locally");
        assert!(!allowed(None, &bearer, Some(remote)), "no token configured: only the machine itself");
    }

    #[test]
    fn unknown_addresses_are_one_label() {
        request("GET", "/no-such-page", 404, Duration::from_millis(2));
        request("GET", "/another-made-up-one", 404, Duration::from_millis(2));
        let m = &*METRICS;
        assert!(m.latency.get(&RouteLabels { method: "GET".into(), route: "unmatched".into() }).is_some());
        assert!(m.latency.get(&RouteLabels { method: "GET".into(), route: "/no-such-page".into() }).is_none());
    }
}
