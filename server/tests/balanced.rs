//! More than one machine: two `hearth serve` processes on one PostgreSQL database behind HAProxy
//! (Debian's, started here with its own configuration). A session made on one is good on the other,
//! a change made through one shows on the other at its next request (My work's kept lists follow
//! the database's change counter), a patch save raced through both has one winner, and the
//! balancer spreads requests over both. Needs PostgreSQL (`HEARTH_TEST_POSTGRES`) and `haproxy`
//! (`scripts/setup.sh --browser` installs it); without PostgreSQL it says so and passes, as the
//! SQLite-only tier does.

use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_hearth");
const YORK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../config/council.toml");
const PASSWORD: &str = "hearth-demo-2026";

/// A child process stopped when the test ends, however it ends.
struct Running(Child);

impl Drop for Running {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port()
}

/// An answer: status, head (for Set-Cookie) and body.
struct Answer {
    status: u16,
    head: String,
    body: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }
}

/// One HTTP/1.1 request on its own connection, with a cookie if given; state-changing requests say
/// they come from the host they are sent to, as a browser's form or fetch would.
async fn send(port: u16, method: &str, path: &str, cookie: Option<&str>, body: Option<(&str, String)>) -> Answer {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.unwrap();
    let (kind, body) = body.unwrap_or(("application/json", String::new()));
    let cookie = cookie.map(|c| format!("Cookie: {c}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nOrigin: http://127.0.0.1:{port}\r\n{cookie}Content-Type: {kind}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(format!("{head}{body}").as_bytes()).await.unwrap();
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.unwrap();
    let text = String::from_utf8_lossy(&answer).to_string();
    let (head, body) = text.split_once("\r\n\r\n").map(|(h, b)| (h.to_string(), b.to_string())).unwrap_or((text.clone(), String::new()));
    let status = head.get(9..12).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("not HTTP: {text:.80}"));
    Answer { status, head, body }
}

/// Signs in with the form on one server; the session cookie it sets.
async fn sign_in(port: u16, username: &str) -> String {
    let a =
        send(port, "POST", "/auth/sign-in", None, Some(("application/x-www-form-urlencoded", format!("username={username}&password={PASSWORD}&next=/")))).await;
    assert_eq!(a.status, 303, "{}", a.head);
    let line = a.head.lines().find(|l| l.to_ascii_lowercase().starts_with("set-cookie:")).expect("a session cookie");
    line.split_once(':').unwrap().1.trim().split(';').next().unwrap().to_string()
}

async fn healthy(port: u16) {
    let start = Instant::now();
    loop {
        if let Ok(mut s) = tokio::net::TcpStream::connect(("127.0.0.1", port)).await {
            let _ = s.write_all(format!("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nConnection: close\r\n\r\n").as_bytes()).await;
            let mut b = Vec::new();
            let _ = s.read_to_end(&mut b).await;
            if b.starts_with(b"HTTP/1.1 200") {
                return;
            }
        }
        assert!(start.elapsed() < Duration::from_secs(90), "port {port} did not answer");
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_servers_behind_haproxy_share_sessions_changes_and_one_winner() {
    let Ok(base) = std::env::var("HEARTH_TEST_POSTGRES") else {
        eprintln!("skipped: two servers share one PostgreSQL database; set HEARTH_TEST_POSTGRES");
        return;
    };
    assert!(
        Command::new("haproxy").arg("-v").output().is_ok_and(|o| o.status.success()),
        "haproxy is needed for this test: scripts/setup.sh --browser installs it (apt install haproxy)"
    );

    // A council of its own in a schema of its own, seeded by the binary as a council would.
    let schema = format!("hearth_lb_{}_{}", std::process::id(), chrono::Utc::now().timestamp_micros());
    let admin = hearth::db::Db::connect(&base).await.unwrap();
    sqlx::query::<sqlx::Any>(&format!("CREATE SCHEMA {schema}")).execute(&admin.pool).await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let url = format!("{base}{sep}options=-c%20search_path%3D{schema}");
    let seeded = Command::new(BIN).args(["seed", "--homes", "2000"]).env("DATABASE_URL", &url).output().unwrap();
    assert!(seeded.status.success(), "seed: {}", String::from_utf8_lossy(&seeded.stderr));

    let serve = |port: u16| {
        Running(
            Command::new(BIN)
                .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
                .env("DATABASE_URL", &url)
                .env("HEARTH_CONFIG", YORK)
                .env("HEARTH_TRUST_PROXY", "1")
                .env("RUST_LOG", "warn")
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .spawn()
                .unwrap(),
        )
    };
    let (one, two, lb) = (free_port(), free_port(), free_port());
    let _servers = (serve(one), serve(two));
    let config = std::env::temp_dir().join(format!("hearth-haproxy-{}.cfg", std::process::id()));
    std::fs::write(
        &config,
        format!(
            "global\n  maxconn 256\ndefaults\n  mode http\n  timeout connect 5s\n  timeout client 30s\n  timeout server 30s\n\
             frontend hearth\n  bind 127.0.0.1:{lb}\n  option forwardfor\n  default_backend servers\n\
             backend servers\n  balance roundrobin\n  server one 127.0.0.1:{one}\n  server two 127.0.0.1:{two}\n"
        ),
    )
    .unwrap();
    let _haproxy = Running(Command::new("haproxy").arg("-db").arg("-f").arg(&config).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap());
    for port in [one, two, lb] {
        healthy(port).await;
    }

    // A session made on one server is good on the other, and through the balancer on both.
    let officer = sign_in(one, "chmo.east1").await;
    let me = send(two, "GET", "/api/v1/me", Some(&officer), None).await;
    assert_eq!((me.status, me.json()["username"].as_str()), (200, Some("chmo.east1")), "{}", me.body);
    for _ in 0..6 {
        assert_eq!(send(lb, "GET", "/api/v1/me", Some(&officer), None).await.status, 200);
    }
    for port in [one, two] {
        let m = send(port, "GET", "/metrics", None, None).await;
        assert!(
            m.body.contains(r#"hearth_http_requests_total{method="GET",route="/api/v1/me",status="200"}"#),
            "the balancer sent requests to {port}: {}",
            m.body
        );
    }

    // A change made through one shows on the other at its next request, though the other keeps
    // the officer's lists in memory.
    let db = hearth::db::Db::connect(&url).await.unwrap();
    let reference: String = sqlx::query_scalar(
        "SELECT t.reference FROM tenancies t JOIN users u ON u.id = t.owner_id WHERE u.username = 'chmo.east1' AND t.status = 'active' \
         AND NOT EXISTS (SELECT 1 FROM hazards h WHERE h.tenancy_id = t.id AND h.closed_at IS NULL) ORDER BY t.id LIMIT 1",
    )
    .fetch_one(&db.pool)
    .await
    .unwrap();
    let listed = |work: &Value| work["hazards"].as_array().unwrap().iter().any(|h| h["tenancy_reference"] == reference.as_str());
    let before = send(two, "GET", "/api/v1/my-work", Some(&officer), None).await;
    assert!(!listed(&before.json()));
    let today = app::api::kit::clock::today();
    let report = json!({"detail": "Black mould behind the wardrobe, reported by phone", "on": today.to_string(), "at": "00:01"});
    let made = send(one, "POST", &format!("/api/v1/tenancies/{reference}/hazards"), Some(&officer), Some(("application/json", report.to_string()))).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let after = send(two, "GET", "/api/v1/my-work", Some(&officer), None).await;
    assert!(listed(&after.json()), "the other server shows the hazard at once");

    // A patch save raced through both servers: one wins, the other is told to reload.
    let leader = sign_in(lb, "tl.east").await;
    let map = send(lb, "GET", "/api/v1/map", Some(&leader), None).await.json();
    let versions: Vec<Value> = map["patches"].as_array().unwrap().iter().map(|p| json!({"patch_id": p["id"], "version": p["version"]})).collect();
    let homes: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT p.id, (SELECT MAX(q.id) FROM patches q WHERE q.area_team_id = 1 AND q.id <> p.patch_id) FROM properties p \
         JOIN patches pa ON pa.id = p.patch_id JOIN tenancies t ON t.property_id = p.id AND t.status = 'active' \
         WHERE p.area_team_id = 1 AND t.owner_role = 'community_hmo' AND t.owner_id = pa.officer_id ORDER BY p.id LIMIT 2",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap();
    let save = |(home, to): (i64, i64)| {
        json!({"area_team_id": 1, "reason": "Balancing two patches", "moves": [{"property_id": home, "to_patch": to}], "versions": versions}).to_string()
    };
    let (a, b) = tokio::join!(
        send(one, "POST", "/api/v1/map/changes", Some(&leader), Some(("application/json", save(homes[0])))),
        send(two, "POST", "/api/v1/map/changes", Some(&leader), Some(("application/json", save(homes[1])))),
    );
    let mut statuses = [a.status, b.status];
    statuses.sort();
    assert_eq!(statuses, [200, 409], "one winner: {} / {}", a.body, b.body);
    let saved: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM patch_changes").fetch_one(&db.pool).await.unwrap();
    assert_eq!(saved, 1);

    db.pool.close().await;
    drop((_haproxy, _servers));
    let _ = std::fs::remove_file(&config);
    let _ = sqlx::query::<sqlx::Any>(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin.pool).await;
}
