//! Every setting Hearth reads, in one place: one typed value built once at start from the
//! command line, the environment and `.env` (loaded by `load_dotenv`), validated with a clear
//! message for a bad value, and passed as state. `hearth serve --help` lists each with its
//! variable; docs/CONFIGURATION.md has the same table. Nothing else reads the environment
//! (Leptos's own `LEPTOS_*` site settings and `RUST_LOG` are read by those crates).

use std::path::PathBuf;
use std::sync::Arc;

use clap::builder::BoolishValueParser;
use clap::{ArgAction, Args};

/// Where the demo and a first start put the database: `data/hearth.db`, created and migrated.
pub const DEFAULT_DATABASE_URL: &str = crate::db::DEFAULT_URL;

/// Loads `.env` from the working folder, if there is one, without overriding variables already
/// set. A malformed file stops the start with its line, rather than run half-configured.
pub fn load_dotenv() -> anyhow::Result<Option<PathBuf>> {
    match dotenvy::dotenv() {
        Ok(path) => Ok(Some(path)),
        Err(e) if e.not_found() => Ok(None),
        Err(e) => Err(anyhow::anyhow!(".env could not be read: {e}")),
    }
}

/// The server's settings (`hearth serve`). Each can be given as an option or as its variable.
#[derive(Args, Clone, Debug)]
pub struct Settings {
    /// How many reverse proxies stand in front of Hearth: 0 (none), 1 (`true` means 1) or more for a
    /// chain. Each appends the address it was reached from to X-Forwarded-For, so the client is that
    /// many entries from the right; anything further left was written by the client and never believed.
    #[arg(long = "trust-proxy", env = "HEARTH_TRUST_PROXY", default_value = "0", value_parser = parse_proxies, value_name = "N")]
    pub trusted_proxies: usize,
    /// Set the Secure flag on cookies (serve over HTTPS).
    #[arg(long, env = "HEARTH_SECURE_COOKIES", default_value = "false", value_parser = BoolishValueParser::new(), action = ArgAction::Set, value_name = "BOOL")]
    pub secure_cookies: bool,
    /// Serve /bench/plain/my-work, the plain-Axum baseline bench/worklist.mjs compares with.
    #[arg(long, env = "HEARTH_BENCH_ROUTES", default_value = "false", value_parser = BoolishValueParser::new(), action = ArgAction::Set, value_name = "BOOL", hide_short_help = true)]
    pub bench_routes: bool,
    /// The folder of the feedback forms' extra languages (`<code>.json` files).
    #[arg(long, env = "HEARTH_LANGUAGES", default_value = "config/languages", value_name = "DIR")]
    pub languages_dir: PathBuf,
    /// Keep My work's lists between changes; `off` runs the queries on every request (to measure them).
    #[arg(long, env = "HEARTH_WORKLIST_CACHE", default_value = "on", value_parser = BoolishValueParser::new(), action = ArgAction::Set, value_name = "BOOL")]
    pub worklist_cache: bool,
    /// Database connections in the pool (default 8 for SQLite, 16 for PostgreSQL).
    #[arg(long, env = "HEARTH_DB_CONNECTIONS", value_parser = clap::value_parser!(u32).range(1..=1000), value_name = "N")]
    pub db_connections: Option<u32>,
    /// This council's landlord code in the Regulator's Tenant Satisfaction Measures data (City of York: 00FF).
    #[arg(long, env = "HEARTH_LANDLORD_CODE", default_value = app::api::kit::settings::DEFAULT_LANDLORD_CODE, value_parser = app::api::kit::settings::check_landlord_code, value_name = "CODE")]
    pub landlord_code: String,
    /// The address printed feedback links and QR codes start with, e.g. https://housing.example.gov.uk
    /// (default: the address each request came to).
    #[arg(long, env = "HEARTH_PUBLIC_URL", value_parser = app::api::kit::settings::check_public_url, value_name = "URL")]
    pub public_url: Option<String>,
    /// The council's own map tile server, e.g. https://tiles.example.gov.uk/{z}/{x}/{y}.png (default: none;
    /// the map draws homes, patches and wards on a plain ground).
    #[arg(long, env = "HEARTH_TILE_URL", value_parser = app::api::kit::settings::check_tile_url, value_name = "URL")]
    pub tile_url: Option<String>,
    /// Weeks before the anniversary that an introductory review with no decision shows as due:
    /// 10 to 26, so a notice of extension can still be decided, approved and served 8 weeks before it.
    #[arg(long, env = "HEARTH_REVIEW_LEAD_WEEKS", default_value = "12", value_parser = app::domain::introductory::check_review_lead_weeks, value_name = "WEEKS")]
    pub review_lead_weeks: u32,
    /// Working days the Team Leader has to accept or decline a referral to the Sustainable Tenancy HMO.
    #[arg(long, env = "HEARTH_REFERRAL_DECISION_DAYS", default_value = "5", value_parser = app::domain::timescales::check_step_days, value_name = "DAYS")]
    pub referral_decision_days: u32,
    /// Working days the Sustainable Tenancy HMO has to agree an action plan once a case is accepted.
    #[arg(long, env = "HEARTH_PLAN_AGREEMENT_DAYS", default_value = "10", value_parser = app::domain::timescales::check_step_days, value_name = "DAYS")]
    pub plan_agreement_days: u32,
    /// Working days the Community HMO has to acknowledge a hand-back.
    #[arg(long, env = "HEARTH_HAND_BACK_DAYS", default_value = "5", value_parser = app::domain::timescales::check_step_days, value_name = "DAYS")]
    pub hand_back_days: u32,
    /// Working days Legal or the Community Safety Hub have to conclude an escalation.
    #[arg(long, env = "HEARTH_ESCALATION_RESPONSE_DAYS", default_value = "10", value_parser = app::domain::timescales::check_step_days, value_name = "DAYS")]
    pub escalation_response_days: u32,
    /// Unanswered visits, at different times of day, before a home gets the no-access letter (2 to 6).
    #[arg(long, env = "HEARTH_NO_ACCESS_ATTEMPTS", default_value = "3", value_parser = app::domain::timescales::check_no_access_attempts, value_name = "VISITS")]
    pub no_access_attempts: u32,
    /// Working days the tenant has to answer the no-access letter before the home is referred for investigation.
    #[arg(long, env = "HEARTH_NO_ACCESS_LETTER_DAYS", default_value = "10", value_parser = app::domain::timescales::check_step_days, value_name = "DAYS")]
    pub no_access_letter_days: u32,
    /// How often each programmed visit comes round, in months (6 to 120), such as
    /// `home_check=36,occupancy_check=24,vulnerability=12` (Dudley's three-year home check).
    #[arg(long, env = "HEARTH_VISIT_CYCLES", default_value = "home_check=36,occupancy_check=24,vulnerability=12", value_parser = app::domain::programme::parse_cycles, value_name = "KIND=MONTHS,...")]
    pub visit_cycles: app::domain::programme::Cycles,
    /// The visiting programme's yearly targets and the saving counted for each home recovered, in
    /// pounds, such as `recovered=50,moved=50,saving=18000` (Haringey's).
    #[arg(long, env = "HEARTH_PIPELINE_TARGETS", default_value = "recovered=50,moved=50,saving=18000", value_parser = app::domain::pipeline::parse_targets, value_name = "NAME=NUMBER,...")]
    pub pipeline_targets: app::domain::pipeline::Targets,
}

impl Default for Settings {
    /// Every setting at its default, as `hearth serve` with no options and no variables.
    fn default() -> Self {
        Settings {
            trusted_proxies: 0,
            secure_cookies: false,
            bench_routes: false,
            languages_dir: "config/languages".into(),
            worklist_cache: true,
            db_connections: None,
            landlord_code: app::api::kit::settings::DEFAULT_LANDLORD_CODE.into(),
            public_url: None,
            tile_url: None,
            review_lead_weeks: app::domain::introductory::REVIEW_LEAD_WEEKS_DEFAULT,
            referral_decision_days: app::domain::sustain::REFERRAL_DECISION_WORKING_DAYS,
            plan_agreement_days: app::domain::sustain::PLAN_AGREEMENT_WORKING_DAYS,
            hand_back_days: app::domain::sustain::HAND_BACK_WORKING_DAYS,
            escalation_response_days: app::domain::sustain::ESCALATION_RESPONSE_WORKING_DAYS,
            no_access_attempts: app::domain::visits::NO_ACCESS_ATTEMPTS,
            no_access_letter_days: app::domain::visits::NO_ACCESS_LETTER_DAYS,
            visit_cycles: app::domain::programme::Cycles::default(),
            pipeline_targets: app::domain::pipeline::Targets::default(),
        }
    }
}

impl Settings {
    /// Behind at least one trusted proxy.
    pub fn trust_proxy(&self) -> bool {
        self.trusted_proxies > 0
    }

    /// The council's timescales, which the store hands to every clock.
    pub fn timescales(&self) -> app::domain::timescales::Timescales {
        app::domain::timescales::Timescales {
            review_lead_weeks: self.review_lead_weeks,
            referral_decision_days: self.referral_decision_days,
            plan_agreement_days: self.plan_agreement_days,
            hand_back_days: self.hand_back_days,
            escalation_response_days: self.escalation_response_days,
            no_access_attempts: self.no_access_attempts,
            no_access_letter_days: self.no_access_letter_days,
            cycles: self.visit_cycles,
            targets: self.pipeline_targets,
        }
    }

    /// What the shared services need (`app::api::kit::settings::Settings`).
    pub fn for_services(&self) -> Arc<app::api::kit::settings::Settings> {
        Arc::new(app::api::kit::settings::Settings {
            landlord_code: self.landlord_code.clone(),
            public_url: self.public_url.clone(),
            tile_url: self.tile_url.clone(),
        })
    }
}

fn parse_proxies(v: &str) -> Result<usize, String> {
    match v.trim() {
        "true" | "TRUE" | "True" | "yes" => Ok(1),
        "false" | "FALSE" | "False" | "no" | "" => Ok(0),
        n => n.parse::<usize>().ok().filter(|n| *n <= 10).ok_or_else(|| format!("{n:?} is not a number of proxies from 0 to 10 (or true for 1)")),
    }
}

#[cfg(test)]
mod tests {
    use clap::Parser;

    use super::*;

    #[derive(Parser)]
    struct Cli {
        #[command(flatten)]
        settings: Settings,
    }

    fn parse(args: &[&str]) -> Result<Settings, String> {
        Cli::try_parse_from(std::iter::once("hearth").chain(args.iter().copied())).map(|c| c.settings).map_err(|e| e.to_string())
    }

    #[test]
    fn defaults_match_the_default_value() {
        let s = parse(&[]).unwrap();
        let d = Settings::default();
        assert_eq!((s.trusted_proxies, s.secure_cookies, s.bench_routes, s.worklist_cache, &s.landlord_code), (0, false, false, true, &d.landlord_code));
        assert_eq!(s.timescales(), d.timescales());
        assert_eq!(s.timescales(), app::domain::timescales::Timescales::default());
        assert_eq!((s.languages_dir, s.db_connections, s.public_url, s.tile_url), (d.languages_dir, None, None, None));
    }

    #[test]
    fn bad_values_are_refused_with_what_is_wrong() {
        assert!(parse(&["--trust-proxy", "lots"]).unwrap_err().contains("not a number of proxies"));
        assert!(parse(&["--secure-cookies", "perhaps"]).unwrap_err().contains("perhaps"));
        assert!(parse(&["--tile-url", "https://tiles/{z}/{x}.png"]).unwrap_err().contains("{y}"));
        assert!(parse(&["--db-connections", "0"]).is_err());
        assert!(parse(&["--landlord-code", "City of York"]).unwrap_err().contains("not a landlord code"));
        assert!(parse(&["--review-lead-weeks", "6"]).unwrap_err().contains("s.125A(2)"));
        assert!(parse(&["--hand-back-days", "0"]).unwrap_err().contains("outside 1 to 65"));
    }

    #[test]
    fn timescales_are_the_councils() {
        let s = parse(&[
            "--review-lead-weeks",
            "14",
            "--referral-decision-days",
            "3",
            "--plan-agreement-days",
            "15",
            "--hand-back-days",
            "7",
            "--escalation-response-days",
            "20",
        ])
        .unwrap();
        let t = s.timescales();
        assert_eq!((t.review_lead_weeks, t.referral_decision_days, t.plan_agreement_days, t.hand_back_days, t.escalation_response_days), (14, 3, 15, 7, 20));
    }

    #[test]
    fn values_are_typed() {
        let s =
            parse(&["--trust-proxy", "true", "--worklist-cache", "off", "--public-url", "https://housing.example.gov.uk/", "--db-connections", "4"]).unwrap();
        assert_eq!(
            (s.trusted_proxies, s.worklist_cache, s.public_url.as_deref(), s.db_connections),
            (1, false, Some("https://housing.example.gov.uk"), Some(4))
        );
    }
}

/// How the log is written (`HEARTH_LOG_FORMAT`): lines for people, or one JSON object a line for a
/// log collector.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum LogFormat {
    #[default]
    Text,
    Json,
}

/// Starts the log: `RUST_LOG` chooses what is written (by default Hearth's information, each
/// request's line, and the database's warnings, slow statements among them).
pub fn init_log(format: LogFormat) {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info,sqlx=warn".into());
    let log = tracing_subscriber::fmt().with_env_filter(filter);
    match format {
        LogFormat::Text => log.init(),
        LogFormat::Json => log.json().init(),
    }
}
