//! Builds the whole Router: pages and server functions (Leptos), the JSON API, sign-in,
//! static files, and the middleware every request passes through. Testable with `oneshot`.

use std::sync::{Arc, LazyLock};

use app::api::store::Store;
use app::app::{App, shell};
use axum::Router;
use axum::routing::{get, post};
use leptos::prelude::*;
use leptos_axum::{AxumRouteListing, LeptosRoutes, generate_route_list};
use tower_http::compression::CompressionLayer;
use tower_http::timeout::TimeoutLayer;
use tower_sessions::cookie::SameSite;
use tower_sessions::{Expiry, SessionManagerLayer};

use crate::auth::limits::{LimitConfig, SignInLimiter};
use crate::auth::{self, SESSION_IDLE_MINUTES};
use crate::db::Db;
use crate::settings::Settings;
use crate::state::AppState;
use crate::store::{SqlSessionStore, SqlStore};

/// No request takes anywhere near this long: past it the server answers 503 Service Unavailable
/// and frees the connection, rather than keep a phone on an estate waiting on a stuck page.
pub const REQUEST_DEADLINE: std::time::Duration = std::time::Duration::from_secs(60);

/// Request bodies larger than this are refused with 413.
pub const MAX_BODY_BYTES: usize = 64 * 1024;
/// Except the Regulator's TSM dataset an administrator imports (about 330 KB a year).
pub const MAX_IMPORT_BYTES: usize = 8 * 1024 * 1024;
/// The largest photo upload: the photo and the form around it.
pub const MAX_PHOTO_UPLOAD_BYTES: usize = app::domain::photo::MAX_BYTES + 64 * 1024;

/// Caps every request body: 64 KiB, or 8 MiB for the dataset import. A declared length over
/// the cap is refused at once; a body that grows past it fails in its extractor with 413.
async fn body_limit(req: axum::extract::Request, next: axum::middleware::Next) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = req.uri().path();
    let limit = if path == "/api/v1/benchmarks/tsm" {
        MAX_IMPORT_BYTES
    } else if path.starts_with("/api/v1/visits/") && path.ends_with("/photos") {
        MAX_PHOTO_UPLOAD_BYTES
    } else {
        MAX_BODY_BYTES
    };
    let declared = req.headers().get(axum::http::header::CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return crate::api::error_response(
            axum::http::StatusCode::PAYLOAD_TOO_LARGE,
            "too_large",
            &format!("The request is larger than {} KiB.", limit / 1024),
        )
        .into_response();
    }
    next.run(req.map(|b| axum::body::Body::new(http_body_util::Limited::new(b, limit)))).await
}

pub fn app_state(db: Db, leptos_options: LeptosOptions, config: Settings, limits: LimitConfig) -> AppState {
    crate::site::init(&leptos_options);
    let store: Arc<dyn Store> = Arc::new(SqlStore::with_worklist_cache(db.clone(), config.worklist_cache).with_timescales(config.timescales()));
    let (languages, problems) = crate::languages::Languages::load(&config.languages_dir);
    let languages = languages.with_council(&config.council);
    for p in problems {
        tracing::warn!("feedback language not loaded: {p}");
    }
    tracing::info!(languages = ?languages.all().iter().map(|l| l.code.as_str()).collect::<Vec<_>>(), "feedback form languages");
    AppState {
        leptos_options,
        db,
        store,
        limiter: Arc::new(SignInLimiter::new(limits)),
        feedback_limiter: Arc::new(crate::auth::limits::FeedbackLimiter::new(crate::auth::limits::FeedbackLimits::default())),
        languages: Arc::new(languages),
        service_settings: config.for_services(),
        config,
    }
}

/// The app's routes, listed once per process. Leptos lists them by rendering the app with
/// resource loading switched off by a *process-wide* flag (`leptos_server`'s
/// `SuppressResourceLoad`): a page whose data started loading while a second router was being
/// built would wait forever. Listing them once, before the first router exists, means no page
/// can ever be in flight while the flag is up (test `building_a_router_never_stalls_pages_being_served`).
fn route_list() -> Vec<AxumRouteListing> {
    static ROUTES: LazyLock<Vec<AxumRouteListing>> = LazyLock::new(|| generate_route_list(App));
    ROUTES.clone()
}

pub fn router(state: AppState) -> Router {
    let routes = route_list();
    let sessions = SessionManagerLayer::new(SqlSessionStore::new(state.db.clone()))
        .with_name("hearth_session")
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_secure(state.config.secure_cookies)
        .with_expiry(Expiry::OnInactivity(time::Duration::minutes(SESSION_IDLE_MINUTES)))
        // Every signed-in request slides the expiry on; the store writes it at most once a minute.
        .with_always_save(true);
    let (store, settings) = (state.store.clone(), state.service_settings.clone());
    let context = move || {
        provide_context(store.clone());
        provide_context(settings.clone());
    };
    let mut router = Router::new();
    if state.config.bench_routes {
        router = router.route("/bench/plain/my-work", get(crate::bench_plain::my_work));
    }
    router
        .route("/auth/sign-in", post(auth::signin::sign_in))
        .route("/auth/sign-out", post(auth::signin::sign_out))
        .route("/feedback/{token}", get(crate::feedback::show).post(crate::feedback::submit))
        .route("/feedback/{token}/thanks", get(crate::feedback::thanks))
        .route("/accessibility", get(crate::statement::show))
        .route("/metrics", get(crate::metrics::show))
        .route("/subject-access", get(crate::subject_access::search))
        .route("/subject-access/{member}", get(crate::subject_access::export))
        .nest("/api/v1", crate::api::router())
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        .layer(axum::middleware::from_fn(crate::edge::server_fn_status))
        .layer(axum::middleware::from_fn(auth::require_sign_in_for_pages))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::resolve_principal))
        .layer(sessions)
        .layer(axum::middleware::from_fn(auth::csrf_guard))
        .layer(axum::middleware::from_fn(crate::edge::refuse_control_characters))
        .layer(axum::middleware::from_fn_with_state(state.clone(), auth::headers::security_headers))
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::edge::caching_and_transport))
        .layer(axum::middleware::from_fn(body_limit))
        .layer(TimeoutLayer::with_status_code(axum::http::StatusCode::SERVICE_UNAVAILABLE, REQUEST_DEADLINE))
        .layer(CompressionLayer::new())
        .layer(axum::middleware::from_fn(crate::requestlog::log_request))
        .with_state(state)
}
