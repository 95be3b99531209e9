//! Every setting Hearth reads, in one place: one typed value built once at start from the
//! command line, the environment and `.env` (loaded by `load_dotenv`), validated with a clear
//! message for a bad value, and passed as state. `hearth serve --help` lists each with its
//! variable; the README's "Configuration" has the same table. The council's configuration file
//! ([`ConfigFile`]) gives the council's words and may give any setting. Nothing else reads the environment
//! (Leptos's own `LEPTOS_*` site settings and `RUST_LOG` are read by those crates).

use std::path::PathBuf;
use std::sync::Arc;

use std::collections::BTreeMap;
use std::ffi::{OsStr, OsString};

use app::api::kit::settings::Council;
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

/// Where the configuration file is when neither `--config` nor `HEARTH_CONFIG` says: the demo
/// council's (York's), beside the working folder's `config/languages`.
pub const DEFAULT_CONFIG: &str = "config/council.toml";

/// The council's configuration file (TOML): its words in `[council]`, and any setting under any
/// other table by the name of its variable without `HEARTH_` (`[timescales] hand_back_days = 5`
/// is `HEARTH_HAND_BACK_DAYS=5`). The command line and the environment still win over the file,
/// and the file over Hearth's defaults. Read once at start; every problem names its key.
#[derive(Clone, Debug)]
pub struct ConfigFile {
    pub path: PathBuf,
    pub council: Arc<Council>,
    /// Each setting the file gives: its key as written (`timescales.hand_back_days`), the bare
    /// name and the value as text.
    values: Vec<(String, String, String)>,
}

#[derive(serde::Deserialize)]
struct FileShape {
    council: Council,
    #[serde(flatten)]
    rest: BTreeMap<String, toml::Value>,
}

impl ConfigFile {
    /// Finds and reads the file: `--config PATH` on the command line, else `HEARTH_CONFIG`, else
    /// [`DEFAULT_CONFIG`] if there is one. A file named but unreadable stops the start; with none
    /// at all, `hearth serve` stops (the public pages need the council's words: [`ConfigFile::council`])
    /// while the other commands, which need none, go on.
    pub fn find(args: &[OsString]) -> anyhow::Result<Option<ConfigFile>> {
        let given = args
            .windows(2)
            .find(|w| w[0] == "--config")
            .map(|w| PathBuf::from(&w[1]))
            .or_else(|| args.iter().find_map(|a| a.to_str().and_then(|a| a.strip_prefix("--config=")).map(PathBuf::from)));
        let given = given.or_else(|| std::env::var_os("HEARTH_CONFIG").filter(|v| !v.is_empty()).map(PathBuf::from));
        let path = given.clone().unwrap_or_else(|| DEFAULT_CONFIG.into());
        let text = match std::fs::read_to_string(&path) {
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound && given.is_none() => return Ok(None),
            Err(e) => anyhow::bail!("the council's configuration file {} could not be read: {e}", path.display()),
        };
        ConfigFile::parse(&path, &text).map(Some).map_err(anyhow::Error::msg)
    }

    /// The council of the file found, or why Hearth cannot serve without one.
    pub fn council(file: Option<&ConfigFile>) -> anyhow::Result<Arc<Council>> {
        file.map(|f| f.council.clone()).ok_or_else(|| {
            anyhow::anyhow!(
                "Hearth needs the council's configuration file to serve (its name, phone number, privacy and complaints wording): \
                 set HEARTH_CONFIG or --config to its path. {DEFAULT_CONFIG} in Hearth's repository is the demo council's, to copy."
            )
        })
    }

    /// Reads the file's text, checking the council's words; each problem names its key.
    pub fn parse(path: &std::path::Path, text: &str) -> Result<ConfigFile, String> {
        let at = path.display();
        let shape: FileShape = toml::from_str(text).map_err(|e| format!("{at}: {}", e.to_string().trim_end()))?;
        let problems = shape.council.problems();
        if !problems.is_empty() {
            return Err(format!("{at}: {}", problems.join("; ")));
        }
        let mut values = Vec::new();
        for (table, v) in shape.rest {
            match v {
                toml::Value::Table(t) => {
                    for (name, v) in t {
                        values.push((format!("{table}.{name}"), name, scalar(&table, v, &at)?));
                    }
                }
                v => values.push((table.clone(), table.clone(), scalar("", v, &at)?)),
            }
        }
        Ok(ConfigFile { path: path.to_path_buf(), council: Arc::new(shape.council), values })
    }

    /// Makes the file's settings the defaults of `cmd`'s options (of the command and its `serve`),
    /// each checked by its option's own rules first, so a bad value stops the start naming the key.
    pub fn apply(&self, mut cmd: clap::Command) -> Result<clap::Command, String> {
        let at = self.path.display();
        for (key, name, value) in &self.values {
            let env = if name == "database_url" { "DATABASE_URL".to_string() } else { format!("HEARTH_{}", name.to_ascii_uppercase()) };
            let named = |a: &&clap::Arg| a.get_env() == Some(OsStr::new(&env));
            let (in_serve, arg) = match cmd.get_arguments().find(named) {
                Some(a) => (false, a.clone()),
                None => match cmd.find_subcommand("serve").and_then(|s| s.get_arguments().find(named)) {
                    Some(a) => (true, a.clone()),
                    None => {
                        return Err(format!(
                            "{at}: {key} is not a setting Hearth knows (each is a HEARTH_ variable's name in lower case, as listed by `hearth serve --help`)"
                        ));
                    }
                },
            };
            // The option alone, without its variable, given the file's value on a command line.
            let long = arg.get_long().unwrap_or_default();
            let alone = clap::Command::new("hearth").arg(arg.clone().env(None::<&'static str>).global(false));
            if let Err(e) = alone.try_get_matches_from(["hearth".to_string(), format!("--{long}={value}")]) {
                let why = e.to_string();
                let why = why.lines().next().unwrap_or_default().trim_start_matches("error: ");
                return Err(format!("{at}: {key} = {value:?}: {why}"));
            }
            let id = arg.get_id().clone();
            let value = value.clone();
            cmd =
                if in_serve { cmd.mut_subcommand("serve", |s| s.mut_arg(id, |a| a.default_value(value))) } else { cmd.mut_arg(id, |a| a.default_value(value)) };
        }
        Ok(cmd)
    }
}

/// A setting's value as the option would take it on the command line.
fn scalar(table: &str, v: toml::Value, at: &std::path::Display<'_>) -> Result<String, String> {
    match v {
        toml::Value::String(s) => Ok(s),
        toml::Value::Integer(i) => Ok(i.to_string()),
        toml::Value::Boolean(b) => Ok(b.to_string()),
        toml::Value::Float(f) => Ok(f.to_string()),
        _ => Err(format!("{at}: [{table}] holds a list or a table: each setting is one value")),
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
    /// The bearer token that may read `/metrics` from another machine (default: none; only the machine
    /// itself may, over loopback and not through a proxy). At least 16 characters.
    #[arg(long, env = "HEARTH_METRICS_TOKEN", value_parser = parse_metrics_token, value_name = "TOKEN", hide_env_values = true)]
    pub metrics_token: Option<String>,
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
    /// The council's own words, from the configuration file's `[council]` table ([`ConfigFile`]).
    #[arg(skip)]
    pub council: Arc<Council>,
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
            metrics_token: None,
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
            council: Arc::default(),
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

fn parse_metrics_token(v: &str) -> Result<String, String> {
    let v = v.trim();
    if v.len() < 16 || !v.chars().all(|c| c.is_ascii_graphic()) {
        return Err("a metrics token is at least 16 visible characters, with no spaces".into());
    }
    Ok(v.to_string())
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
    use clap::{CommandFactory, Parser};

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

    /// A command like `hearth`'s: a global option and a `serve` holding the settings.
    fn command() -> clap::Command {
        clap::Command::new("hearth")
            .arg(clap::Arg::new("database_url").long("database-url").env("DATABASE_URL").global(true).default_value("sqlite://data/hearth.db"))
            .subcommand(Cli::command().name("serve"))
    }

    fn file(extra: &str) -> Result<ConfigFile, String> {
        let york = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../config/council.toml")).unwrap();
        let council = york.split("\n[service]").next().unwrap();
        ConfigFile::parse(std::path::Path::new("council.toml"), &format!("{council}\n{extra}"))
    }

    fn serve(f: &ConfigFile, args: &[&str]) -> Result<Settings, String> {
        use clap::FromArgMatches;
        let m = f.apply(command())?.try_get_matches_from(["hearth", "serve"].iter().chain(args)).map_err(|e| e.to_string())?;
        let (_, sub) = m.subcommand().unwrap();
        Ok(Cli::from_arg_matches(sub).map_err(|e| e.to_string())?.settings)
    }

    #[test]
    fn the_file_gives_the_council_and_settings_that_the_command_line_overrides() {
        let f = file("[timescales]\nhand_back_days = 7\nvisit_cycles = \"home_check=24,occupancy_check=24,vulnerability=12\"\n[service]\nworklist_cache = false\ndatabase_url = \"sqlite:///tmp/x.db\"").unwrap();
        assert_eq!(f.council.name, "City of York Council");
        assert_eq!(f.council.words("cy").name, "Cyngor Dinas Efrog");
        let s = serve(&f, &[]).unwrap();
        assert_eq!((s.hand_back_days, s.worklist_cache, s.plan_agreement_days), (7, false, 10));
        assert_eq!(s.timescales().cycles.home_check, 24);
        let m = f.apply(command()).unwrap().try_get_matches_from(["hearth", "serve"]).unwrap();
        assert_eq!(m.get_one::<String>("database_url").map(String::as_str), Some("sqlite:///tmp/x.db"));
        assert_eq!(serve(&f, &["--hand-back-days", "3"]).unwrap().hand_back_days, 3, "the command line wins");
    }

    #[test]
    fn a_bad_file_names_the_key_and_the_problem() {
        let e = file("[timescales]\nhand_back_days = 0").unwrap().apply(command()).unwrap_err();
        assert!(e.starts_with("council.toml: timescales.hand_back_days = \"0\":") && e.contains("outside 1 to 65"), "{e}");
        let e = file("[timescales]\nhand_back_dayz = 3").unwrap().apply(command()).unwrap_err();
        assert!(e.contains("timescales.hand_back_dayz is not a setting Hearth knows"), "{e}");
        let e = file("[service]\nlandlord_code = \"City of York\"").unwrap().apply(command()).unwrap_err();
        assert!(e.contains("service.landlord_code") && e.contains("not a landlord code"), "{e}");
        let e = file("[timescales]\ncycles = [1, 2]").unwrap_err();
        assert!(e.contains("[timescales] holds a list"), "{e}");
        let e = ConfigFile::parse(std::path::Path::new("c.toml"), "[council]\nname = \"Fenwick\"").unwrap_err();
        assert!(e.starts_with("c.toml: ") && e.contains("missing field `service`"), "{e}");
        let york = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../config/council.toml")).unwrap();
        let e = ConfigFile::parse(std::path::Path::new("c.toml"), &york.replace("01904 551550", "ring the office")).unwrap_err();
        assert!(e.contains("council.phone \"ring the office\" is not a telephone number"), "{e}");
        let e = ConfigFile::parse(std::path::Path::new("c.toml"), &york.replace("\n[council]\n", "\n[council]\nmotto = \"x\"\n")).unwrap_err();
        assert!(e.contains("unknown field `motto`"), "{e}");
    }

    #[test]
    fn the_second_councils_example_file_is_valid() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../config/examples/fenwick.toml");
        let f = ConfigFile::parse(std::path::Path::new(path), &std::fs::read_to_string(path).unwrap()).unwrap();
        assert_eq!(f.council.name, "Fenwick Borough Council");
        assert!(serve(&f, &[]).is_ok());
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
