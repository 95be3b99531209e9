//! `hearth`: the server binary. `hearth serve [--demo]` serves the app; `hearth seed` builds
//! a demo council. Configuration comes from the environment (see README and .env.sample).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};
use hearth::auth::limits::LimitConfig;
use hearth::db::{DEFAULT_URL, Db};
use hearth::seed::{SeedOptions, seed};
use hearth::settings::{ConfigFile, Settings, load_dotenv};
use hearth::{routes, seed as seeding};
use leptos::prelude::*;

// A request builds and drops many small strings and a few large buffers from several threads;
// mimalloc's per-thread heaps serve that with less locking and consolidation than glibc's malloc
// (measured by bench/worklist.mjs: see docs/ARCHITECTURE.md, "What a page costs").
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(name = "hearth", about = "Hearth housing management", version)]
struct Cli {
    /// Database URL: sqlite://path/to/file.db (default) or postgres://user@host/db.
    #[arg(long, env = "DATABASE_URL", default_value = DEFAULT_URL, global = true)]
    database_url: String,
    /// The log's format: text (lines for people) or json (one object a line, for a log collector).
    #[arg(long, env = "HEARTH_LOG_FORMAT", value_enum, default_value = "text", global = true)]
    log_format: hearth::settings::LogFormat,
    /// The council's configuration file: its words and settings (default config/council.toml, the demo council's).
    /// (Read before the rest by `ConfigFile::find`; declared here so `--help` lists it.)
    #[arg(long, env = "HEARTH_CONFIG", global = true, value_name = "PATH")]
    #[allow(dead_code)]
    config: Option<PathBuf>,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Serve the web app and the API.
    Serve {
        /// Seed the demo council first if the database is empty.
        #[arg(long)]
        demo: bool,
        /// Address to listen on (default: LEPTOS_SITE_ADDR or 127.0.0.1:3000).
        #[arg(long, env = "HEARTH_ADDR")]
        addr: Option<SocketAddr>,
        #[command(flatten)]
        settings: Box<Settings>,
    },
    /// Build a deterministic demo council in an empty database and print the demo accounts.
    Seed {
        /// Number of homes (7,400 is York-sized; 60,000 the largest councils).
        #[arg(long, default_value_t = 7400)]
        homes: usize,
        /// Random seed: the same seed gives the same council.
        #[arg(long, default_value_t = 2023)]
        seed: u64,
    },
    /// Copy the SQLite database to a new file while Hearth serves (a consistent snapshot), and check the copy.
    Backup {
        /// The new file to write.
        path: PathBuf,
    },
    /// Restore a backup as the SQLite database (checked first; migrated to this version after).
    /// Stop Hearth first.
    Restore {
        /// The backup to restore.
        path: PathBuf,
        /// Set an existing database aside (`<name>.before-restore-<time>`) and restore over it.
        #[arg(long)]
        replace: bool,
    },
    /// Check the database: integrity, foreign keys, migrations (after a restore, or pg_restore).
    Check,
    /// Time ordering a day's doors into a walk (`domain::route::walking_order`): `runs` days of
    /// `doors` doors scattered over an estate, printing the median and slowest (for scripts/bench.sh).
    #[command(hide = true)]
    BenchRoute {
        #[arg(long, default_value_t = 20)]
        doors: usize,
        #[arg(long, default_value_t = 500)]
        runs: usize,
    },
}

/// `hearth bench-route`: the officer's day ordered `runs` times, each a fresh scatter of doors.
fn bench_route(doors: usize, runs: usize) {
    use app::domain::route::{Point, length, walking_order};
    let mut seed = 2023u64;
    let mut next = move || {
        seed = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (seed >> 33) as f64 / (1u64 << 31) as f64
    };
    let mut times = Vec::with_capacity(runs);
    let mut saved = 0.0;
    for _ in 0..runs.max(1) {
        // About 1.5 km by 1 km of York.
        let points: Vec<Point> = (0..doors).map(|_| Point { lat: 53.95 + next() * 0.009, lon: -1.10 + next() * 0.023 }).collect();
        let t = std::time::Instant::now();
        let order = walking_order(&points);
        times.push(t.elapsed().as_secs_f64() * 1000.0);
        let given: Vec<usize> = (0..doors).collect();
        saved += 1.0 - length(&points, &order) / length(&points, &given).max(1.0);
    }
    times.sort_by(f64::total_cmp);
    println!(
        "ordering a day of {doors} doors ({} days): median {:.3} ms, slowest {:.3} ms; the walk is {:.0}% shorter than the doors in the order given",
        times.len(),
        times[times.len() / 2],
        times[times.len() - 1],
        100.0 * saved / times.len() as f64
    );
}

fn print_accounts(report: &seeding::SeedReport) {
    println!(
        "Seeded {} homes, {} tenancies, {} patches, {} officers, {} cases, {} referrals, {} visits in {:.1}s.",
        report.homes,
        report.tenancies,
        report.patches,
        report.officers,
        report.cases,
        report.referrals,
        report.visits,
        report.elapsed.as_secs_f64()
    );
    println!("\nDemo accounts (password for all: {}):", seeding::DEMO_PASSWORD);
    for a in &report.accounts {
        println!("  {:<18} {:<28} {}", a.username, a.role.label(), a.note);
    }
}

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let dotenv = load_dotenv()?;
    let args: Vec<std::ffi::OsString> = std::env::args_os().collect();
    let file = ConfigFile::find(&args)?;
    let command = match &file {
        Some(f) => f.apply(Cli::command()).map_err(anyhow::Error::msg)?,
        None => Cli::command(),
    };
    let mut cli = Cli::from_arg_matches(&command.clone().get_matches_from(&args)).unwrap_or_else(|e| e.exit());
    if cli.command.is_none() {
        // `hearth` alone serves, with the same settings as `hearth serve`.
        let serve = args.iter().cloned().chain([std::ffi::OsString::from("serve")]);
        cli = Cli::from_arg_matches(&command.get_matches_from(serve)).unwrap_or_else(|e| e.exit());
    }
    hearth::settings::init_log(cli.log_format);
    match &cli.command {
        Some(Command::BenchRoute { doors, runs }) => {
            bench_route(*doors, *runs);
            return Ok(());
        }
        Some(Command::Backup { path }) => {
            let c = hearth::backup::backup(&cli.database_url, path).await?;
            println!("Backed up to {}: checked, migration {}, {} tenancies.", path.display(), c.migration, c.tenancies);
            return Ok(());
        }
        Some(Command::Restore { path, replace }) => {
            let c = hearth::backup::restore(path, &cli.database_url, *replace).await?;
            println!("Restored {}: checked, migration {}, {} tenancies.", path.display(), c.migration, c.tenancies);
            return Ok(());
        }
        _ => {}
    }
    if let Some(path) = dotenv {
        tracing::info!("settings: read {}", path.display());
    }
    if let Some(f) = &file {
        tracing::info!(council = %f.council.name, "settings: read {}", f.path.display());
    }
    // Serving needs the council's words; find that out before the database is opened.
    let council = match &cli.command {
        Some(Command::Serve { .. }) => Some(ConfigFile::council(file.as_ref())?),
        _ => None,
    };
    let connections = match &cli.command {
        Some(Command::Serve { settings, .. }) => settings.db_connections,
        _ => None,
    };
    let db = Db::open_with(&cli.database_url, connections).await?;
    match cli.command.expect("a command, `serve` when none is given") {
        Command::Seed { homes, seed: s } => {
            if !seeding::is_empty(&db).await? {
                anyhow::bail!("the database already holds a council; use an empty database (delete data/hearth.db or point DATABASE_URL elsewhere)");
            }
            let opts = SeedOptions { homes, seed: s, progress: true, today: app::api::kit::clock::today() };
            let report = seed(&db, &opts).await?;
            print_accounts(&report);
        }
        Command::Serve { demo, addr, settings } => serve(db, demo, addr, Settings { council: council.unwrap_or_default(), ..*settings }).await?,
        Command::Check => {
            let c = db.check().await?;
            println!("The database passes its checks: migration {}, {} tenancies.", c.migration, c.tenancies);
        }
        Command::BenchRoute { .. } | Command::Backup { .. } | Command::Restore { .. } => unreachable!("answered before the database opens"),
    }
    Ok(())
}

/// Serves the app (seeding the demo council first into an empty database with `--demo`) until Ctrl-C.
async fn serve(db: Db, demo: bool, addr: Option<SocketAddr>, settings: Settings) -> anyhow::Result<()> {
    if demo && seeding::is_empty(&db).await? {
        tracing::info!("empty database: seeding the demo council");
        let opts = SeedOptions { progress: true, today: app::api::kit::clock::today(), ..Default::default() };
        let report = seed(&db, &opts).await?;
        print_accounts(&report);
    }
    let mut leptos_options = match get_configuration(None) {
        Ok(conf) => conf.leptos_options,
        Err(_) => LeptosOptions::builder().output_name("hearth").site_root("target/site").site_pkg_dir("pkg").build(),
    };
    if let Some(addr) = addr {
        leptos_options.site_addr = addr;
    }
    // Run as `target/release/hearth serve`, with no LEPTOS_* settings: the site cargo-leptos built.
    if leptos_options.output_name.is_empty() {
        leptos_options.output_name = "hearth".into();
    }
    hearth::site::detect_hashes(&mut leptos_options);
    let addr = leptos_options.site_addr;
    let state = routes::app_state(db.clone(), leptos_options, settings, LimitConfig::default());
    spawn_housekeeping(&db, &state);
    let store = state.store.clone();
    let app = routes::router(state);
    let listener = tokio::net::TcpListener::bind(addr).await?;
    tracing::info!("Hearth is listening on http://{addr} ({} database)", db.backend.name());
    let (stopping, stop) = tokio::sync::oneshot::channel::<()>();
    let server = axum::serve(listener, app.into_make_service_with_connect_info::<SocketAddr>()).with_graceful_shutdown(async move {
        shutdown_signal().await;
        tracing::info!("stopping: no new connections; finishing the requests in flight (up to {} s)", GRACE.as_secs());
        let _ = stopping.send(());
    });
    // Requests in flight get GRACE to finish; one still running after that is cut off.
    tokio::select! {
        served = server => served?,
        () = async {
            let _ = stop.await;
            tokio::time::sleep(GRACE).await;
        } => tracing::warn!("requests still running after {} s: stopping anyway", GRACE.as_secs()),
    }
    // Housekeeping's last round (changes due today applied), then the database closed cleanly.
    if let Err(e) = hearth::housekeeping::run(&*store, store.today()).await {
        tracing::error!(error = %e, "housekeeping at stop");
    }
    db.close().await;
    tracing::info!("Hearth stopped cleanly");
    Ok(())
}

/// How long requests in flight at a stop may take to finish.
const GRACE: Duration = Duration::from_secs(20);

/// SIGTERM (systemd, a container's stop) or Ctrl-C.
async fn shutdown_signal() {
    let interrupt = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = interrupt => {}
        () = terminate => {}
    }
}

/// Housekeeping, at start and every ten minutes: approved changes whose effective date has come
/// (tenancies made secure on their anniversary), feedback past its retention period, expired
/// sessions, idle rate-limit keys.
fn spawn_housekeeping(db: &Db, state: &hearth::state::AppState) {
    let sessions = hearth::store::SqlSessionStore::new(db.clone());
    let limiter = state.limiter.clone();
    let feedback_limiter = state.feedback_limiter.clone();
    let store = state.store.clone();
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(Duration::from_secs(600));
        loop {
            tick.tick().await;
            match hearth::housekeeping::run(&*store, store.today()).await {
                Ok(done) => {
                    if done.changes_applied > 0 {
                        tracing::info!("applied {} approved change(s) that fell due", done.changes_applied);
                    }
                    if done.feedback_deleted > 0 {
                        tracing::info!("deleted {} feedback response(s) past their retention period", done.feedback_deleted);
                    }
                }
                Err(e) => tracing::error!(error = %e, "housekeeping"),
            }
            let _ = sessions.delete_expired().await;
            limiter.tidy();
            feedback_limiter.tidy();
        }
    });
}
