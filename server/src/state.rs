//! What every handler can reach.

use std::sync::Arc;

use app::api::store::Store;
use axum::extract::FromRef;
use leptos::prelude::LeptosOptions;

use crate::auth::limits::SignInLimiter;
use crate::db::Db;

#[derive(Clone, Debug)]
pub struct Config {
    /// How many reverse proxies stand in front of Hearth (`HEARTH_TRUST_PROXY`: `1` or `true`
    /// for one, a number for a chain, unset or `0` for none). Each appends the address it was
    /// reached from to X-Forwarded-For, so the client is that many entries from the right;
    /// anything further left was written by the client and is never believed (`auth::client_ip`).
    pub trusted_proxies: usize,
    /// Set the Secure flag on cookies (when served over HTTPS).
    pub secure_cookies: bool,
    /// Serve `/bench/plain/my-work`, the plain-Axum baseline the worklist benchmark compares with.
    pub bench_routes: bool,
    /// The folder of the feedback forms' extra languages (`<code>.json` files).
    pub languages_dir: std::path::PathBuf,
    /// Keep *My work*'s lists between changes (`HEARTH_WORKLIST_CACHE=off` runs the queries on
    /// every request, to measure them).
    pub worklist_cache: bool,
}

impl Config {
    /// Behind at least one trusted proxy.
    pub fn trust_proxy(&self) -> bool {
        self.trusted_proxies > 0
    }

    pub fn from_env() -> Config {
        let flag = |k: &str| std::env::var(k).map(|v| v == "1" || v.eq_ignore_ascii_case("true")).unwrap_or(false);
        Config {
            trusted_proxies: match std::env::var("HEARTH_TRUST_PROXY").as_deref().map(str::trim) {
                Ok("1" | "true" | "TRUE" | "True" | "yes") => 1,
                Ok(n) => n.parse().unwrap_or(0),
                Err(_) => 0,
            },
            secure_cookies: flag("HEARTH_SECURE_COOKIES"),
            bench_routes: flag("HEARTH_BENCH_ROUTES"),
            languages_dir: std::env::var("HEARTH_LANGUAGES").unwrap_or_else(|_| "config/languages".into()).into(),
            worklist_cache: !matches!(std::env::var("HEARTH_WORKLIST_CACHE").as_deref(), Ok("off" | "0" | "false")),
        }
    }
}

#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub db: Db,
    pub store: Arc<dyn Store>,
    pub limiter: Arc<SignInLimiter>,
    pub feedback_limiter: Arc<crate::feedback::FeedbackLimiter>,
    /// The feedback forms' languages: English, and those configured in `config.languages_dir`.
    pub languages: Arc<crate::languages::Languages>,
    pub config: Config,
}
