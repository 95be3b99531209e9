//! Shared test harness: a fresh, seeded database per test on SQLite (always) or
//! PostgreSQL (when HEARTH_TEST_POSTGRES names a server), and a router over it.
#![allow(dead_code)]

use std::sync::atomic::{AtomicU32, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, Response, header};
use hearth::auth::limits::LimitConfig;
use hearth::db::Db;
use hearth::seed::{SeedOptions, seed};
use hearth::settings::Settings;
use hearth::state::AppState;
use http_body_util::BodyExt;
use leptos::prelude::LeptosOptions;
use tower::ServiceExt;

pub const PASSWORD: &str = hearth::seed::DEMO_PASSWORD;
pub const HOMES: usize = 900;

/// No single request, body or migration in these tests takes anywhere near this long, even in a
/// debug build on a busy machine: past it, the test fails naming what hung instead of holding
/// the whole run until CI's own limit.
pub const HANG: std::time::Duration = std::time::Duration::from_secs(180);

/// Awaits `fut`, failing the test with `what` if it takes longer than [`HANG`].
pub async fn within<T>(what: impl FnOnce() -> String, fut: impl std::future::Future<Output = T>) -> T {
    match tokio::time::timeout(HANG, fut).await {
        Ok(v) => v,
        Err(_) => panic!("{} did not finish within {HANG:?}: a hang, not a slow test", what()),
    }
}

static COUNTER: AtomicU32 = AtomicU32::new(0);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// The engines this run tests: SQLite always, PostgreSQL when configured.
pub fn engines() -> Vec<Engine> {
    let mut v = vec![Engine::Sqlite];
    if std::env::var("HEARTH_TEST_POSTGRES").is_ok() {
        v.push(Engine::Postgres);
    }
    v
}

/// A fresh empty (migrated) database of the given engine.
pub async fn fresh_db(engine: Engine) -> Db {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let tag = format!("{}_{}_{}", std::process::id(), n, chrono::Utc::now().timestamp_micros());
    match engine {
        Engine::Sqlite => {
            // Under this checkout's target/tmp, so two checkouts testing at once never share files.
            let dir = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("hearth-tests");
            std::fs::create_dir_all(&dir).unwrap();
            let path = dir.join(format!("t{tag}.db"));
            within(|| "opening and migrating a SQLite test database".into(), Db::open(&format!("sqlite://{}", path.display()))).await.expect("open sqlite")
        }
        Engine::Postgres => {
            let base = std::env::var("HEARTH_TEST_POSTGRES").unwrap();
            let schema = format!("hearth_t{tag}");
            let admin = Db::connect(&base).await.expect("connect postgres");
            sqlx::query::<sqlx::Any>(&format!("CREATE SCHEMA {schema}")).execute(&admin.pool).await.unwrap();
            admin.pool.close().await;
            let sep = if base.contains('?') { '&' } else { '?' };
            // sqlx's migrator holds PostgreSQL's advisory lock for the database while it runs.
            within(
                || format!("migrating PostgreSQL schema {schema} (is another process holding the migration lock?)"),
                Db::open(&format!("{base}{sep}options=-c%20search_path%3D{schema}")),
            )
            .await
            .expect("open postgres schema")
        }
    }
}

/// A fresh database holding a small seeded council.
pub async fn seeded_db(engine: Engine) -> Db {
    let db = fresh_db(engine).await;
    // Histories lead up to the real today, as the services judge clocks against it.
    let opts = SeedOptions { homes: HOMES, today: app::api::kit::clock::today(), ..Default::default() };
    seed(&db, &opts).await.expect("seed");
    db
}

pub fn state(db: Db, limits: LimitConfig) -> AppState {
    configured_state(db, limits, |_| {})
}

/// A council's configuration file in the repository (`config/council.toml` is York's).
pub fn council_file(path: &str) -> hearth::settings::ConfigFile {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("..").join(path);
    hearth::settings::ConfigFile::parse(&path, &std::fs::read_to_string(&path).unwrap()).unwrap()
}

/// The test settings, changed by `configure` (a council's own timescales, say).
pub fn configured_state(db: Db, limits: LimitConfig, configure: impl FnOnce(&mut Settings)) -> AppState {
    let options = LeptosOptions::builder().output_name("hearth").site_root("target/site").site_pkg_dir("pkg").build();
    let mut settings = Settings {
        trusted_proxies: 1,
        bench_routes: true,
        languages_dir: concat!(env!("CARGO_MANIFEST_DIR"), "/../config/languages").into(),
        council: council_file("config/council.toml").council,
        ..Settings::default()
    };
    configure(&mut settings);
    hearth::routes::app_state(db, options, settings, limits)
}

pub fn generous_limits() -> LimitConfig {
    LimitConfig { ip_burst: 10_000, ip_period: std::time::Duration::from_millis(1), account_burst: 10_000, account_period: std::time::Duration::from_millis(1) }
}

pub struct TestApp {
    pub router: Router,
    pub db: Db,
}

pub const HOST: &str = "hearth.test";

impl TestApp {
    pub async fn new(engine: Engine) -> TestApp {
        let db = seeded_db(engine).await;
        TestApp { router: hearth::routes::router(state(db.clone(), generous_limits())), db }
    }

    /// A seeded council served with `configure`'s settings.
    pub async fn configured(engine: Engine, configure: impl FnOnce(&mut Settings)) -> TestApp {
        let db = seeded_db(engine).await;
        TestApp { router: hearth::routes::router(configured_state(db.clone(), generous_limits(), configure)), db }
    }

    pub async fn send(&self, req: Request<Body>) -> Response<Body> {
        let what = format!("{} {}", req.method(), req.uri());
        within(|| what, self.router.clone().oneshot(req)).await.unwrap()
    }

    pub async fn get(&self, path: &str, cookie: Option<&str>) -> Response<Body> {
        let mut b = Request::get(path).header(header::HOST, HOST);
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::empty()).unwrap()).await
    }

    /// A form posted from Hearth's own pages (so the CSRF guard lets it by), with a session cookie if given.
    pub async fn post_form(&self, path: &str, form: &str, cookie: Option<&str>) -> Response<Body> {
        let mut b = Request::post(path)
            .header(header::HOST, HOST)
            .header(header::ORIGIN, format!("http://{HOST}"))
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
        if let Some(c) = cookie {
            b = b.header(header::COOKIE, c);
        }
        self.send(b.body(Body::from(form.to_string())).unwrap()).await
    }

    /// A JSON request with a bearer token; the status and the JSON answer.
    pub async fn json(&self, method: &str, path: &str, token: &str, body: serde_json::Value) -> (axum::http::StatusCode, serde_json::Value) {
        let res = self
            .send(
                Request::builder()
                    .method(method)
                    .uri(path)
                    .header(header::HOST, HOST)
                    .header(header::AUTHORIZATION, format!("Bearer {token}"))
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(body.to_string()))
                    .unwrap(),
            )
            .await;
        let status = res.status();
        (status, body_json(res).await)
    }

    pub async fn get_json(&self, path: &str, token: &str) -> (axum::http::StatusCode, serde_json::Value) {
        let res = self.get_bearer(path, token).await;
        let status = res.status();
        (status, body_json(res).await)
    }

    pub async fn get_bearer(&self, path: &str, token: &str) -> Response<Body> {
        self.send(Request::get(path).header(header::HOST, HOST).header(header::AUTHORIZATION, format!("Bearer {token}")).body(Body::empty()).unwrap()).await
    }

    /// Escalates a case to Legal for a notice (`purpose` notice), as its officer sees it now; the
    /// status and the case as it then is.
    pub async fn escalate_case(&self, case: &str, token: &str, reason: &str) -> (axum::http::StatusCode, serde_json::Value) {
        let (_, v) = self.get_json(&format!("/api/v1/cases/{case}"), token).await;
        self.json(
            "POST",
            &format!("/api/v1/cases/{case}/escalations"),
            token,
            serde_json::json!({"version": v["version"], "purpose": "notice", "reason": reason}),
        )
        .await
    }

    /// Signs in through the HTML form; returns the session cookie.
    pub async fn sign_in(&self, username: &str, password: &str) -> Option<String> {
        let body = format!("username={username}&password={password}&next=/");
        let res = self
            .send(
                Request::post("/auth/sign-in")
                    .header(header::HOST, HOST)
                    .header(header::ORIGIN, format!("http://{HOST}"))
                    .header("x-forwarded-for", "192.0.2.10")
                    .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                    .body(Body::from(body))
                    .unwrap(),
            )
            .await;
        let location = res.headers().get(header::LOCATION)?.to_str().ok()?.to_string();
        if location.starts_with("/sign-in") {
            return None;
        }
        let cookie = res.headers().get(header::SET_COOKIE)?.to_str().ok()?;
        Some(cookie.split(';').next()?.to_string())
    }

    /// Signs in through the API; returns a bearer token.
    pub async fn token(&self, username: &str, password: &str) -> Option<String> {
        let res = self
            .send(
                Request::post("/api/v1/auth/token")
                    .header(header::HOST, HOST)
                    .header(header::CONTENT_TYPE, "application/json")
                    .body(Body::from(serde_json::json!({"username": username, "password": password}).to_string()))
                    .unwrap(),
            )
            .await;
        if !res.status().is_success() {
            return None;
        }
        let v = body_json(res).await;
        v["token"].as_str().map(str::to_string)
    }
}

pub async fn body_text(res: Response<Body>) -> String {
    // Pages stream: a render that never finishes shows up here, not in `send`.
    let bytes = within(|| "reading a response body".into(), res.into_body().collect()).await.unwrap().to_bytes();
    String::from_utf8(bytes.to_vec()).unwrap()
}

pub async fn body_json(res: Response<Body>) -> serde_json::Value {
    serde_json::from_str(&body_text(res).await).unwrap_or(serde_json::Value::Null)
}

/// One value from the database (first column of the first row) as i64.
pub async fn scalar(db: &Db, sql: &str) -> i64 {
    use sqlx::Row;
    sqlx::query::<sqlx::Any>(sql).fetch_one(&db.pool).await.unwrap().try_get::<i64, _>(0).unwrap()
}

pub async fn text(db: &Db, sql: &str) -> String {
    use sqlx::Row;
    sqlx::query::<sqlx::Any>(sql).fetch_one(&db.pool).await.unwrap().try_get::<String, _>(0).unwrap()
}

/// The first column of every row, as text.
pub async fn texts(db: &Db, sql: &str) -> Vec<String> {
    sqlx::query_scalar::<sqlx::Any, String>(sql).fetch_all(&db.pool).await.unwrap()
}

/// A tenancy officers record work on, and the people around it.
pub struct Worked {
    pub reference: String,
    /// The Community HMO who holds it.
    pub holder: String,
    /// Its area's Team Leader.
    pub leader: String,
    /// A Community HMO of another area.
    pub other: String,
}

/// The first active secure tenancy of a Community HMO that began before `began_before` and has no
/// row in `free_of` (a table with a `tenancy_id`), with its holder, its Team Leader and an outsider.
pub async fn worked_tenancy(db: &Db, free_of: &str, began_before: chrono::NaiveDate) -> Worked {
    let row = text(
        db,
        &format!(
            "SELECT t.reference || ' ' || u.username || ' ' || CAST(p.area_team_id AS TEXT) FROM tenancies t JOIN users u ON u.id = t.owner_id \
             JOIN properties p ON p.id = t.property_id WHERE t.status = 'active' AND t.tenure = 'secure' AND u.role = 'community_hmo' AND u.active = 1 \
             AND t.start_date < '{began_before}' AND NOT EXISTS (SELECT 1 FROM {free_of} x WHERE x.tenancy_id = t.id) ORDER BY t.id LIMIT 1"
        ),
    )
    .await;
    let f: Vec<&str> = row.split(' ').collect();
    let leader =
        text(db, &format!("SELECT username FROM users WHERE role = 'team_leader' AND active = 1 AND area_team_id = {} ORDER BY id LIMIT 1", f[2])).await;
    let other =
        text(db, &format!("SELECT username FROM users WHERE role = 'community_hmo' AND active = 1 AND area_team_id <> {} ORDER BY id LIMIT 1", f[2])).await;
    Worked { reference: f[0].to_string(), holder: f[1].to_string(), leader, other }
}

/// Legal, the Community Safety Hub and a partner agency record no work on homes (`POST path`
/// is 403) and have no list of it (`GET list` is 403).
pub async fn refused_to_non_officers(app: &TestApp, path: &str, body: &serde_json::Value, list: &str) {
    for user in ["legal", "asb.hub", "partner.police"] {
        let t = app.token(user, PASSWORD).await.unwrap();
        let (s, _) = app.json("POST", path, &t, body.clone()).await;
        assert_eq!(s, axum::http::StatusCode::FORBIDDEN, "{user} records nothing at {path}");
        let (s, _) = app.get_json(list, &t).await;
        assert_eq!(s, axum::http::StatusCode::FORBIDDEN, "{user} has no {list}");
    }
}
