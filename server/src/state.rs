//! What every handler can reach.

use std::sync::Arc;

use app::api::store::Store;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::auth::limits::SignInLimiter;
use crate::db::Db;
use crate::settings::Settings;

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub store: Arc<dyn Store>,
    pub limiter: Arc<SignInLimiter>,
    pub feedback_limiter: Arc<crate::auth::limits::FeedbackLimiter>,
    /// The feedback forms' languages: English, and those configured in `config.languages_dir`.
    pub languages: Arc<crate::languages::Languages>,
    /// The server's settings, read once at start (`crate::settings`).
    pub config: Settings,
    /// What the shared services need of them (landlord code, public address, tile server).
    pub service_settings: Arc<app::api::kit::settings::Settings>,
}
