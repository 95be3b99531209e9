//! Storage tests: migrations, the seeded council's invariants, the store's queries and the
//! session store, run against real SQLite and (when configured) PostgreSQL.

mod common;
use app::api::desk::store::DeskStore;
use app::api::kit::store::{AuditEntry, KitStore};
use common::*;
use hearth::store::{SqlSessionStore, SqlStore};
use tower_sessions::SessionStore;
use tower_sessions::session::{Id, Record};

#[tokio::test]
async fn migrations_are_idempotent_and_create_the_whole_model() {
    for engine in engines() {
        let db = fresh_db(engine).await;
        db.migrate().await.expect("running migrations twice is a no-op");
        // Every table the demo council fills (bank holidays and settings ship with rows), and those
        // the four that only use fills.
        let seeded = hearth::store::bulk::TABLE_ORDER.iter().filter(|t| !["bank_holidays", "settings"].contains(t));
        for table in seeded.chain(&["covers", "audit_log", "sessions", "api_tokens"]) {
            assert_eq!(scalar(&db, &format!("SELECT COUNT(*) FROM {table}")).await, 0, "{table} exists and is empty");
        }
    }
}

/// PostgreSQL ends a session left idle inside a transaction (its row locks with it) after a
/// minute; every connection of the pool carries the setting.
#[tokio::test]
async fn postgres_ends_abandoned_transactions() {
    if !engines().contains(&Engine::Postgres) {
        return;
    }
    let db = fresh_db(Engine::Postgres).await;
    let mut held = Vec::new();
    for _ in 0..3 {
        let mut conn = db.pool.acquire().await.unwrap();
        let v: String = sqlx::query_scalar::<sqlx::Any, String>("SHOW idle_in_transaction_session_timeout").fetch_one(&mut *conn).await.unwrap();
        assert_eq!(v, "1min");
        held.push(conn);
    }
}

/// Every table moves `change_counter` on insert, update and delete (migration 0010), but the few
/// written per request or in bulk that no kept view reads, so the worklist cache can never serve
/// lists older than the database. A new table fails here until it is counted or listed below.
#[tokio::test]
async fn every_change_to_the_records_moves_the_change_counter() {
    use sqlx::Row;
    const UNCOUNTED: [&str; 6] = ["_sqlx_migrations", "change_counter", "audit_log", "sessions", "api_tokens", "rent_transactions"];
    for engine in engines() {
        let db = fresh_db(engine).await;
        let (tables, triggers) = match engine {
            Engine::Sqlite => (
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
                "SELECT COUNT(*) FROM sqlite_master WHERE type = 'trigger' AND tbl_name = $1 AND sql LIKE '%UPDATE change_counter SET n = n + 1%'",
            ),
            Engine::Postgres => (
                "SELECT table_name::text FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'",
                "SELECT CAST(COUNT(DISTINCT event_manipulation) AS BIGINT) FROM information_schema.triggers WHERE event_object_schema = current_schema() \
                 AND event_object_table = $1 AND action_statement LIKE '%hearth_count_change%'",
            ),
        };
        let names: Vec<String> = sqlx::query::<sqlx::Any>(tables).fetch_all(&db.pool).await.unwrap().iter().map(|r| r.get::<String, _>(0)).collect();
        assert!(names.len() > 30, "{engine:?}: {names:?}");
        for t in names.iter().filter(|t| !UNCOUNTED.contains(&t.as_str())) {
            let n: i64 = sqlx::query_scalar::<sqlx::Any, i64>(triggers).bind(t).fetch_one(&db.pool).await.unwrap();
            assert_eq!(n, 3, "{engine:?}: {t} moves the change counter on insert, update and delete");
        }
        // And it moves with every committed transaction: once per row on SQLite, once per
        // transaction on PostgreSQL (however many rows), and not for one rolled back.
        let mut last = scalar(&db, "SELECT n FROM change_counter").await;
        for (round, rows) in [(1, 1), (2, 40), (3, 2)] {
            let mut tx = db.pool.begin().await.unwrap();
            for k in 0..rows {
                sqlx::query::<sqlx::Any>("INSERT INTO area_teams (name) VALUES ($1)").bind(format!("Area {round}.{k}")).execute(&mut *tx).await.unwrap();
            }
            tx.commit().await.unwrap();
            let n = scalar(&db, "SELECT n FROM change_counter").await;
            assert_eq!(n - last, if engine == Engine::Sqlite { rows } else { 1 }, "{engine:?}: round {round}");
            last = n;
        }
        let mut tx = db.pool.begin().await.unwrap();
        sqlx::query::<sqlx::Any>("INSERT INTO area_teams (name) VALUES ('Rolled back')").execute(&mut *tx).await.unwrap();
        tx.rollback().await.unwrap();
        assert_eq!(scalar(&db, "SELECT n FROM change_counter").await, last, "{engine:?}: nothing committed, nothing counted");
    }
}

#[tokio::test]
async fn the_seeded_council_is_consistent() {
    for engine in engines() {
        let db = seeded_db(engine).await;
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM properties").await, HOMES as i64);
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM area_teams").await, 3);
        // Every property sits in a patch of its own area team.
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM properties p JOIN patches pa ON pa.id = p.patch_id WHERE pa.area_team_id <> p.area_team_id").await, 0);
        // At most one active tenancy per home; every active tenancy has an owner, and every one
        // but a leaseholder's (service charges, not rent: `Tenure::pays_rent`) a rent account.
        assert_eq!(
            scalar(&db, "SELECT COUNT(*) FROM (SELECT property_id FROM tenancies WHERE status = 'active' GROUP BY property_id HAVING COUNT(*) > 1) x").await,
            0
        );
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND owner_id IS NULL").await, 0);
        assert_eq!(
            scalar(&db, "SELECT COUNT(*) FROM tenancies t LEFT JOIN rent_accounts r ON r.tenancy_id = t.id WHERE t.status = 'active' AND t.tenure <> 'leasehold' AND r.id IS NULL").await,
            0
        );
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM tenancies t JOIN rent_accounts r ON r.tenancy_id = t.id WHERE t.tenure = 'leasehold'").await, 0);
        // Introductory tenancies are owned by Introductory HMOs; secure ones by Community HMOs.
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND tenure IN ('introductory','extended_introductory') AND owner_role <> 'introductory_hmo'").await, 0);
        // Real York postcodes.
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM properties WHERE postcode NOT LIKE 'YO%'").await, 0);
        // Dates of birth, not ages; every household has a tenant.
        assert_eq!(
            scalar(&db, "SELECT COUNT(*) FROM tenancies t WHERE NOT EXISTS (SELECT 1 FROM household_members m WHERE m.tenancy_id = t.id AND m.is_tenant = 1)")
                .await,
            0
        );
        assert!(scalar(&db, "SELECT COUNT(*) FROM rent_accounts WHERE balance_pence > 15000").await > 0, "an arrears tail");
        assert!(scalar(&db, "SELECT COUNT(*) FROM cases WHERE restricted = 1").await > 0);
        assert!(scalar(&db, "SELECT COUNT(*) FROM referrals").await > 0);
        assert!(scalar(&db, "SELECT COUNT(*) FROM bank_holidays WHERE holiday_on = '2026-12-28'").await == 1);
    }
}

#[tokio::test]
async fn store_queries_answer_on_both_engines() {
    for engine in engines() {
        let db = seeded_db(engine).await;
        let store = SqlStore::new(db.clone());
        assert_eq!(store.backend(), if engine == Engine::Sqlite { "sqlite" } else { "postgres" });
        let officer = scalar(&db, "SELECT id FROM users WHERE username = 'chmo.east1'").await;
        let query = app::api::desk::store::WorkQuery { owners: vec![officer], viewer_id: officer, limit: 50, ..Default::default() };
        let lists = store.work_lists(&query).await.unwrap();
        assert_eq!((lists.reviews_due, lists.proposals_waiting), ((0, 0), 0), "counts not asked for are not counted");
        let load = lists.caseload;
        assert!(load.tenancies_total > 0 && load.tenancies.len() <= 50);
        assert!(load.tenancies.iter().all(|t| !t.tenants.is_empty()));

        let reference = text(&db, "SELECT reference FROM tenancies WHERE status = 'active' ORDER BY id LIMIT 1").await;
        let rec = store.tenancy(&reference, officer).await.unwrap().expect("found");
        assert_eq!(rec.detail.reference, reference);
        assert!(!rec.detail.members.is_empty() && !rec.detail.history.is_empty());
        assert!(store.tenancy("TEN-NOPE", officer).await.unwrap().is_none());

        let property = text(&db, "SELECT reference FROM properties ORDER BY id LIMIT 1").await;
        let p = store.property(&property).await.unwrap().expect("found");
        assert!(!p.detail.tenancies.is_empty());

        // Search: a postcode with or without its space, and a tenant's surname.
        let postcode =
            text(&db, "SELECT p.postcode FROM properties p JOIN tenancies t ON t.property_id = p.id WHERE t.status = 'active' ORDER BY p.id LIMIT 1").await;
        for q in [postcode.to_lowercase(), postcode.to_lowercase().replace(' ', "")] {
            let terms = app::domain::search::terms(&q);
            let hits = store.search(None, &terms, 25).await.unwrap();
            assert!(hits.iter().any(|h| h.title.contains(&postcode)), "{q}");
        }
        let hits = store.search(None, &["zzzzqqq".to_string()], 25).await.unwrap();
        assert!(hits.is_empty());
        // LIKE wildcards typed by a user match literally.
        assert!(store.search(None, &["%".to_string()], 25).await.unwrap().is_empty());

        let patches = store.patches(None).await.unwrap();
        assert_eq!(patches.iter().map(|p| p.homes).sum::<i64>(), HOMES as i64);

        store
            .audit(AuditEntry {
                username: "tester".into(),
                action: "test".into(),
                subject_type: "none".into(),
                outcome: "allowed".into(),
                ..Default::default()
            })
            .await
            .unwrap();
        assert_eq!(scalar(&db, "SELECT COUNT(*) FROM audit_log WHERE username = 'tester'").await, 1);
    }
}

#[tokio::test]
async fn session_store_round_trips_and_expires() {
    for engine in engines() {
        let db = fresh_db(engine).await;
        let store = SqlSessionStore::new(db.clone());
        let mut record = Record { id: Id::default(), data: Default::default(), expiry_date: time::OffsetDateTime::now_utc() + time::Duration::minutes(5) };
        record.data.insert("user_id".into(), serde_json::json!(42));
        store.create(&mut record).await.unwrap();
        let loaded = store.load(&record.id).await.unwrap().expect("loaded");
        assert_eq!(loaded.data["user_id"], 42);
        record.data.insert("user_id".into(), serde_json::json!(43));
        store.save(&record).await.unwrap();
        assert_eq!(store.load(&record.id).await.unwrap().unwrap().data["user_id"], 43);
        store.delete(&record.id).await.unwrap();
        assert!(store.load(&record.id).await.unwrap().is_none());
        // Expired sessions are not loaded and are swept.
        let mut old = Record { id: Id::default(), data: Default::default(), expiry_date: time::OffsetDateTime::now_utc() - time::Duration::minutes(1) };
        store.create(&mut old).await.unwrap();
        assert!(store.load(&old.id).await.unwrap().is_none());
        assert_eq!(store.delete_expired().await.unwrap(), 1);
    }
}

/// The idle expiry slides on as the officer works, written at most once a minute; a save never
/// brings back a session that was deleted (signed out) meanwhile.
#[tokio::test]
async fn session_expiry_slides_without_a_write_per_request() {
    for engine in engines() {
        let db = fresh_db(engine).await;
        let store = SqlSessionStore::new(db.clone());
        let now = time::OffsetDateTime::now_utc();
        let mut record = Record { id: Id::default(), data: Default::default(), expiry_date: now + time::Duration::minutes(30) };
        record.data.insert("user_id".into(), serde_json::json!(7));
        store.create(&mut record).await.unwrap();
        let stored = |db: hearth::db::Db, id: Id| async move {
            sqlx::query_scalar::<sqlx::Any, String>("SELECT expires_at FROM sessions WHERE id = $1").bind(id.to_string()).fetch_one(&db.pool).await.unwrap()
        };
        let first = stored(db.clone(), record.id).await;
        // A request 20 seconds later: unchanged data, expiry moved less than the interval, no write.
        let mut later = store.load(&record.id).await.unwrap().unwrap();
        later.expiry_date = now + time::Duration::minutes(30) + time::Duration::seconds(20);
        store.save(&later).await.unwrap();
        assert_eq!(stored(db.clone(), record.id).await, first, "no write for a 20-second slide");
        // Two minutes later: the expiry is written.
        later.expiry_date = now + time::Duration::minutes(32);
        store.save(&later).await.unwrap();
        assert!(stored(db.clone(), record.id).await > first, "the expiry slid on");
        // Changed data is always written.
        later.data.insert("user_id".into(), serde_json::json!(8));
        store.save(&later).await.unwrap();
        assert_eq!(store.load(&record.id).await.unwrap().unwrap().data["user_id"], 8);
        // Signed out elsewhere, then a concurrent request saves: the session stays gone.
        store.delete(&record.id).await.unwrap();
        later.expiry_date = now + time::Duration::minutes(40);
        store.save(&later).await.unwrap();
        assert!(store.load(&record.id).await.unwrap().is_none(), "a save does not resurrect a deleted session");
        // A second process's store (no memory of this session) deleting it is respected too.
        let mut other = Record { id: Id::default(), data: later.data.clone(), expiry_date: now + time::Duration::minutes(30) };
        store.create(&mut other).await.unwrap();
        SqlSessionStore::new(db.clone()).delete(&other.id).await.unwrap();
        other.expiry_date = now + time::Duration::minutes(35);
        store.save(&other).await.unwrap();
        assert!(store.load(&other.id).await.unwrap().is_none());
    }
}

/// The same seed gives the same council: a checksum over references, names and balances.
#[tokio::test]
async fn the_demo_council_is_deterministic() {
    use sqlx::Row;
    async fn fingerprint(db: &hearth::db::Db) -> String {
        let rows = sqlx::query::<sqlx::Any>(
            "SELECT p.reference, p.postcode, t.reference, t.tenure, r.balance_pence, m.first_name, m.date_of_birth \
             FROM properties p JOIN tenancies t ON t.property_id = p.id JOIN rent_accounts r ON r.tenancy_id = t.id \
             JOIN household_members m ON m.tenancy_id = t.id AND m.is_tenant = 1 ORDER BY t.id, m.id",
        )
        .fetch_all(&db.pool)
        .await
        .unwrap();
        rows.iter()
            .map(|r| {
                format!(
                    "{}|{}|{}|{}|{}|{}|{}",
                    r.get::<String, _>(0),
                    r.get::<String, _>(1),
                    r.get::<String, _>(2),
                    r.get::<String, _>(3),
                    r.get::<i64, _>(4),
                    r.get::<String, _>(5),
                    r.get::<String, _>(6)
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }
    let a = seeded_db(Engine::Sqlite).await;
    let b = seeded_db(Engine::Sqlite).await;
    let (fa, fb) = (fingerprint(&a).await, fingerprint(&b).await);
    assert!(fa.len() > 10_000);
    assert_eq!(fa, fb);
    // A different seed gives a different council.
    let c = fresh_db(Engine::Sqlite).await;
    hearth::seed::seed(&c, &hearth::seed::SeedOptions { homes: HOMES, seed: 7, today: app::api::kit::clock::today(), ..Default::default() }).await.unwrap();
    assert_ne!(fingerprint(&c).await, fa);
}
