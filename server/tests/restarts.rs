//! The release's own binary, as a council runs it: stopped with SIGTERM under load (every request
//! in flight answered, every acknowledged write kept), and backed up while it serves, then restored
//! and checked. SQLite (the embedded default); PostgreSQL has its own tools for both.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

const BIN: &str = env!("CARGO_BIN_EXE_hearth");
/// The demo council's configuration file, which a council's own replaces.
const YORK: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../config/council.toml");

/// A folder of its own for one test, with a small demo council seeded in it.
struct Council {
    dir: PathBuf,
    url: String,
}

impl Council {
    fn seeded(name: &str) -> Council {
        let dir = std::env::temp_dir().join(format!("hearth-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        let url = format!("sqlite://{}/hearth.db", dir.display());
        let out = Command::new(BIN).args(["seed", "--homes", "1500"]).env("DATABASE_URL", &url).current_dir(&dir).output().unwrap();
        assert!(out.status.success(), "seed: {}", String::from_utf8_lossy(&out.stderr));
        Council { dir, url }
    }

    fn hearth(&self, args: &[&str], url: &str) -> std::process::Output {
        Command::new(BIN).args(args).env("DATABASE_URL", url).env("RUST_LOG", "info").current_dir(&self.dir).output().unwrap()
    }

    /// `hearth serve` on a free port, answering once healthy.
    async fn serve(&self) -> (Child, u16) {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = Command::new(BIN)
            .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
            .env("DATABASE_URL", &self.url)
            .env("HEARTH_CONFIG", YORK)
            .env("RUST_LOG", "info")
            .current_dir(&self.dir)
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let start = Instant::now();
        while request(port, "GET", "/api/v1/health", None, None).await.map(|r| r.0) != Ok(200) {
            assert!(start.elapsed() < Duration::from_secs(60), "hearth serve did not answer");
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        (child, port)
    }

    /// A Community HMO and one of their tenancies, from the database.
    async fn officer_and_home(&self) -> (String, String) {
        let db = hearth::db::Db::connect(&self.url).await.unwrap();
        let row: (String, String) = sqlx::query_as(
            "SELECT u.username, t.reference FROM tenancies t JOIN users u ON u.id = t.owner_id \
             WHERE u.role = 'community_hmo' AND u.active = 1 AND t.status = 'active' ORDER BY t.id LIMIT 1",
        )
        .fetch_one(&db.pool)
        .await
        .unwrap();
        db.pool.close().await;
        row
    }
}

impl Drop for Council {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// One HTTP/1.1 request on its own connection: the status and the body, or why there was none
/// (refused, or closed before a byte of answer: a client may send it again).
async fn request(port: u16, method: &str, path: &str, token: Option<&str>, body: Option<&Value>) -> Result<(u16, String), String> {
    let mut s = tokio::net::TcpStream::connect(("127.0.0.1", port)).await.map_err(|e| format!("connect: {e}"))?;
    let body = body.map(Value::to_string).unwrap_or_default();
    let auth = token.map(|t| format!("Authorization: Bearer {t}\r\n")).unwrap_or_default();
    let head = format!(
        "{method} {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n{auth}Content-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    s.write_all(format!("{head}{body}").as_bytes()).await.map_err(|e| format!("send: {e}"))?;
    let mut answer = Vec::new();
    s.read_to_end(&mut answer).await.map_err(|e| format!("read: {e}"))?;
    let text = String::from_utf8_lossy(&answer).to_string();
    if text.is_empty() {
        return Err("closed with no answer".into());
    }
    let status = text.get(9..12).and_then(|c| c.parse().ok()).ok_or_else(|| format!("not HTTP: {text:.60}"))?;
    let body = text.split_once("\r\n\r\n").map(|(_, b)| b.to_string()).unwrap_or_default();
    Ok((status, body))
}

async fn token(port: u16, username: &str) -> String {
    let (s, body) = request(port, "POST", "/api/v1/auth/token", None, Some(&json!({"username": username, "password": "hearth-demo-2026"}))).await.unwrap();
    assert_eq!(s, 200, "{body}");
    serde_json::from_str::<Value>(&body).unwrap()["token"].as_str().unwrap().to_string()
}

fn visit(key: &str) -> Value {
    let yesterday = app::api::kit::clock::today() - chrono::Days::new(1);
    json!({"kind": "home_check", "on": yesterday.to_string(), "at": "11:15", "outcome": "no_access", "card_left": true, "client_key": key})
}

fn terminate(child: &Child) {
    let ok = Command::new("kill").args(["-TERM", &child.id().to_string()]).status().unwrap().success();
    assert!(ok, "kill -TERM");
}

/// Waits for the process to end (at most `limit`) and answers what it wrote to stdout.
fn ended(mut child: Child, limit: Duration) -> String {
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            let mut out = String::new();
            std::io::Read::read_to_string(child.stdout.as_mut().unwrap(), &mut out).unwrap();
            assert!(status.success(), "hearth serve ended with {status}: {out}");
            return out;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            panic!("hearth serve was still running {} s after SIGTERM", limit.as_secs());
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

async fn keys_kept(url: &str, keys: &[String]) -> i64 {
    let db = hearth::db::Db::connect(url).await.unwrap();
    let list = keys.iter().map(|k| format!("'{k}'")).collect::<Vec<_>>().join(", ");
    let n: i64 = sqlx::query_scalar(&format!("SELECT COUNT(*) FROM visits WHERE client_key IN ({list})")).fetch_one(&db.pool).await.unwrap();
    db.pool.close().await;
    n
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn sigterm_answers_every_request_in_flight_and_keeps_every_acknowledged_write() {
    let council = Council::seeded("sigterm");
    let (officer, home) = council.officer_and_home().await;
    let (child, port) = council.serve().await;
    let bearer = token(port, &officer).await;
    let path = format!("/api/v1/tenancies/{home}/visits");

    // Forty officers' phones sending at once; SIGTERM as the first answers come back.
    let (first, mut answered) = tokio::sync::mpsc::channel::<()>(64);
    let sends: Vec<_> = (0..40)
        .map(|i| {
            let (path, bearer, first) = (path.clone(), bearer.clone(), first.clone());
            tokio::spawn(async move {
                let key = format!("stop-{i:04}-{}", std::process::id());
                let answer = request(port, "POST", &path, Some(&bearer), Some(&visit(&key))).await;
                let _ = first.send(()).await;
                (key, answer)
            })
        })
        .collect();
    answered.recv().await;
    terminate(&child);
    let mut acknowledged = Vec::new();
    for send in sends {
        let (key, answer) = send.await.unwrap();
        match answer {
            Ok((200, _)) => acknowledged.push(key),
            Ok((status, body)) => panic!("a request in flight was answered {status}: {body}"),
            // Sent after the listener closed: never accepted, safe to send again (the key makes it once).
            Err(why) => assert!(why.starts_with("connect") || why == "closed with no answer", "{why}"),
        }
    }
    let out = ended(child, Duration::from_secs(30));
    assert!(out.contains("Hearth stopped cleanly"), "{out}");
    assert!(!acknowledged.is_empty(), "some visits were answered before the stop");
    assert_eq!(keys_kept(&council.url, &acknowledged).await, acknowledged.len() as i64, "every visit answered 200 is in the database");

    // And it starts again on the same database.
    let (child, port) = council.serve().await;
    let (s, _) = request(port, "GET", "/api/v1/health", None, None).await.unwrap();
    assert_eq!(s, 200);
    terminate(&child);
    ended(child, Duration::from_secs(30));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn a_backup_taken_while_hearth_serves_restores_and_passes_its_checks() {
    let council = Council::seeded("backup");
    let (officer, home) = council.officer_and_home().await;
    let (child, port) = council.serve().await;
    let bearer = token(port, &officer).await;
    let path = format!("/api/v1/tenancies/{home}/visits");
    // The machine itself reads the figures (a loopback connection no proxy forwarded).
    let (status, metrics) = request(port, "GET", "/metrics", None, None).await.unwrap();
    assert_eq!(status, 200);
    assert!(metrics.contains(r#"hearth_http_requests_total{method="POST",route="/api/v1/auth/token",status="200"} 1"#), "{metrics}");

    // Visits recorded before the backup, and more while it is taken.
    let mut before = Vec::new();
    for i in 0..5 {
        let key = format!("before-{i:04}-{}", std::process::id());
        assert_eq!(request(port, "POST", &path, Some(&bearer), Some(&visit(&key))).await.unwrap().0, 200);
        before.push(key);
    }
    let writer = {
        let (path, bearer) = (path.clone(), bearer.clone());
        tokio::spawn(async move {
            for i in 0..20 {
                let key = format!("during-{i:04}-{}", std::process::id());
                let _ = request(port, "POST", &path, Some(&bearer), Some(&visit(&key))).await;
            }
        })
    };
    let backup = council.dir.join("backup.db");
    let out = council.hearth(&["backup", backup.to_str().unwrap()], &council.url);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stdout).starts_with("Backed up"), "{}", String::from_utf8_lossy(&out.stdout));
    writer.await.unwrap();
    let again = council.hearth(&["backup", backup.to_str().unwrap()], &council.url);
    assert!(!again.status.success(), "a backup never overwrites a file");
    terminate(&child);
    ended(child, Duration::from_secs(30));

    // Restored into an empty place: checked, with everything acknowledged before the backup.
    let restored = format!("sqlite://{}/restored.db", council.dir.display());
    let out = council.hearth(&["restore", backup.to_str().unwrap()], &restored);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(keys_kept(&restored, &before).await, before.len() as i64);
    let out = council.hearth(&["check"], &restored);
    assert!(out.status.success() && String::from_utf8_lossy(&out.stdout).contains("passes its checks"), "{}", String::from_utf8_lossy(&out.stderr));

    // Over a database only when asked, which is set aside, not lost.
    let out = council.hearth(&["restore", backup.to_str().unwrap()], &restored);
    assert!(!out.status.success() && String::from_utf8_lossy(&out.stderr).contains("--replace"), "{}", String::from_utf8_lossy(&out.stderr));
    let out = council.hearth(&["restore", "--replace", backup.to_str().unwrap()], &restored);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let aside =
        std::fs::read_dir(&council.dir).unwrap().filter_map(Result::ok).any(|e| e.file_name().to_string_lossy().starts_with("restored.db.before-restore-"));
    assert!(aside, "the replaced database is kept beside it");

    // A damaged backup is refused and changes nothing.
    let damaged = council.dir.join("damaged.db");
    let bytes = std::fs::read(&backup).unwrap();
    std::fs::write(&damaged, &bytes[..bytes.len() / 3]).unwrap();
    let out = council.hearth(&["restore", "--replace", damaged.to_str().unwrap()], &restored);
    assert!(!out.status.success(), "a damaged backup is refused");
    assert_eq!(keys_kept(&restored, &before).await, before.len() as i64, "the database is as it was");
    assert!(Path::new(&council.dir.join("restored.db")).exists());
}

/// Hearth serves a council only with its configuration file, and a file with a mistake stops the
/// start with the key and the problem, before the database is touched.
#[test]
fn serving_needs_the_councils_file_and_a_bad_one_is_named() {
    let dir = std::env::temp_dir().join(format!("hearth-config-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let url = format!("sqlite://{}/hearth.db", dir.display());
    let run = |config: Option<&Path>| {
        let mut c = Command::new(BIN);
        c.args(["serve", "--addr", "127.0.0.1:9"]).env("DATABASE_URL", &url).env_remove("HEARTH_CONFIG").current_dir(&dir);
        if let Some(p) = config {
            c.env("HEARTH_CONFIG", p);
        }
        let out = c.output().unwrap();
        assert!(!out.status.success());
        String::from_utf8_lossy(&out.stderr).to_string()
    };
    assert!(run(None).contains("Hearth needs the council's configuration file to serve"), "no file in the folder");
    assert!(run(Some(&dir.join("missing.toml"))).contains("missing.toml could not be read"));
    let bad = dir.join("bad.toml");
    let york = std::fs::read_to_string(YORK).unwrap();
    std::fs::write(&bad, york.replace("hand_back_days = 5", "hand_back_days = 90")).unwrap();
    let e = run(Some(&bad));
    assert!(e.contains("timescales.hand_back_days = \"90\"") && e.contains("outside 1 to 65"), "{e}");
    std::fs::write(&bad, york.replace("01904 551550\"\naddress", "ring us\"\naddress")).unwrap();
    assert!(run(Some(&bad)).contains("council.phone \"ring us\" is not a telephone number"));
    assert!(!dir.join("hearth.db").exists(), "nothing was created");
    let _ = std::fs::remove_dir_all(&dir);
}
