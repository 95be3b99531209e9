//! The demo council's invariants: counts, determinism, contiguous patches of the right size in
//! their own area, the tenure and arrears mix, owners and rent accounts, demo accounts; on
//! SQLite always and on PostgreSQL when `HEARTH_TEST_POSTGRES` names a server.

use std::collections::{BTreeMap, HashSet};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, Ordering};

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use sqlx::Row;

use super::*;

static COUNTER: AtomicU32 = AtomicU32::new(0);

fn unique_tag() -> String {
    let n = COUNTER.fetch_add(1, Ordering::SeqCst);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    format!("{}_{n}_{nanos}", std::process::id())
}

struct TempSqlite {
    db: Db,
    path: PathBuf,
}

impl TempSqlite {
    async fn new() -> TempSqlite {
        let dir = std::env::temp_dir().join("hearth-seed-tests");
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join(format!("seed{}.db", unique_tag()));
        let db = Db::open(&format!("sqlite://{}", path.display())).await.expect("open sqlite");
        TempSqlite { db, path }
    }

    async fn remove(self) {
        self.db.pool.close().await;
        for ext in ["", "-wal", "-shm"] {
            std::fs::remove_file(format!("{}{ext}", self.path.display())).ok();
        }
    }
}

fn small(homes: usize) -> SeedOptions {
    SeedOptions { homes, ..Default::default() }
}

async fn scalar(db: &Db, sql: &str) -> i64 {
    sqlx::query::<sqlx::Any>(sql).fetch_one(&db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")).get::<i64, _>(0)
}

async fn strings(db: &Db, sql: &str) -> Vec<String> {
    sqlx::query::<sqlx::Any>(sql).fetch_all(&db.pool).await.unwrap_or_else(|e| panic!("{sql}: {e}")).iter().map(|r| r.get::<String, _>(0)).collect()
}

/// A fingerprint of the council: references, addresses, coordinates, people, balances, cases.
async fn checksum(db: &Db) -> String {
    let mut out = String::new();
    for r in sqlx::query::<sqlx::Any>("SELECT reference, address_line1, postcode, latitude, longitude, property_type, bedrooms, patch_id FROM properties ORDER BY id").fetch_all(&db.pool).await.unwrap() {
        out += &format!("{}|{}|{}|{:.6}|{:.6}|{}|{}|{}\n", r.get::<String, _>(0), r.get::<String, _>(1), r.get::<String, _>(2), r.get::<f64, _>(3), r.get::<f64, _>(4), r.get::<String, _>(5), r.get::<i64, _>(6), r.get::<i64, _>(7));
    }
    for r in sqlx::query::<sqlx::Any>(
        "SELECT t.reference, t.tenure, t.start_date, COALESCE(r.balance_pence, 0), t.owner_role FROM tenancies t LEFT JOIN rent_accounts r ON r.tenancy_id = t.id ORDER BY t.id",
    )
    .fetch_all(&db.pool)
    .await
    .unwrap()
    {
        out += &format!("{}|{}|{}|{}|{}\n", r.get::<String, _>(0), r.get::<String, _>(1), r.get::<String, _>(2), r.get::<i64, _>(3), r.get::<String, _>(4));
    }
    for sql in [
        "SELECT first_name || ' ' || last_name || ' ' || date_of_birth FROM household_members ORDER BY id",
        "SELECT reference || ' ' || kind || ' ' || status || ' ' || opened_at FROM cases ORDER BY id",
        "SELECT reference || ' ' || status || ' ' || shared_fields FROM referrals ORDER BY id",
        "SELECT username || ' ' || display_name FROM users ORDER BY id",
        "SELECT token FROM feedback_links ORDER BY id",
        "SELECT visit_type || ' ' || scheduled_for || ' ' || outcome FROM visits ORDER BY id",
    ] {
        out += &strings(db, sql).await.join("\n");
    }
    out
}

/// Everything a seeded council of `homes` homes must satisfy, on either engine.
async fn check_council(db: &Db, homes: usize, report: &SeedReport, today: NaiveDate) {
    let n = homes as i64;
    assert_eq!(report.homes, homes);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM properties").await, n);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM area_teams").await, 3);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM wards WHERE geojson LIKE '{%Polygon%'").await, 22);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM agencies").await, 9);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM patches").await, report.patches as i64);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active'").await, report.tenancies as i64);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM cases").await, report.cases as i64);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM referrals").await, report.referrals as i64);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM visits").await, report.visits as i64);
    assert!(scalar(db, "SELECT COUNT(*) FROM bank_holidays").await > 100);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM settings WHERE key IN ('workload.weights', 'income.arrears_threshold_pence', 'visit.cycle_years')").await, 3);

    // Stock: every property in a patch of its own area, with a patch officer; real York postcodes.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM properties p JOIN patches pa ON pa.id = p.patch_id WHERE pa.area_team_id <> p.area_team_id").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM patches pa JOIN users u ON u.id = pa.officer_id WHERE u.role = 'community_hmo' AND u.area_team_id = pa.area_team_id").await, report.patches as i64);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM properties WHERE postcode NOT LIKE 'YO%'").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM (SELECT address_line1, postcode FROM properties GROUP BY address_line1, postcode HAVING COUNT(*) > 1) x").await, 0, "addresses are unique");
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM properties WHERE search_text NOT LIKE '%' || LOWER(REPLACE(postcode, ' ', '')) || '%' OR search_text NOT LIKE '%' || LOWER(reference) || '%'").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM properties p JOIN blocks b ON b.id = p.block_id WHERE p.floor >= b.storeys OR b.postcode <> p.postcode").await, 0);
    assert!(scalar(db, "SELECT COUNT(*) FROM blocks WHERE storeys >= 8").await > 0, "tower blocks");
    assert!(scalar(db, "SELECT COUNT(*) FROM properties WHERE independent_living = 1").await > 0);
    let sizes: Vec<i64> = sqlx::query::<sqlx::Any>("SELECT COUNT(*) FROM properties GROUP BY patch_id").fetch_all(&db.pool).await.unwrap().iter().map(|r| r.get::<i64, _>(0)).collect();
    assert!(sizes.iter().all(|s| (150..=450).contains(s)), "patch sizes {sizes:?}");

    // Tenancies: ~96% let; every active tenancy owned, with a tenant and a rent account.
    let active = scalar(db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active'").await;
    assert!(active as f64 > 0.93 * n as f64 && active < n, "{active} active tenancies");
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM (SELECT property_id FROM tenancies WHERE status = 'active' GROUP BY property_id HAVING COUNT(*) > 1) x").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND owner_id IS NULL").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM tenancies t LEFT JOIN rent_accounts r ON r.tenancy_id = t.id WHERE t.status = 'active' AND r.id IS NULL").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM tenancies t WHERE NOT EXISTS (SELECT 1 FROM household_members m WHERE m.tenancy_id = t.id AND m.is_tenant = 1)").await, 0);
    assert!(scalar(db, "SELECT COUNT(*) FROM tenancies WHERE status = 'ended'").await > n / 5, "tenancy history");
    // Owners: introductory tenancies by an Introductory HMO of the area; the rest by the patch's Community HMO.
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM tenancies t JOIN users u ON u.id = t.owner_id JOIN properties p ON p.id = t.property_id \
                    WHERE t.status = 'active' AND t.tenure IN ('introductory','extended_introductory') AND (u.role <> 'introductory_hmo' OR t.owner_role <> 'introductory_hmo' OR u.area_team_id <> p.area_team_id)").await,
        0
    );
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM tenancies t JOIN properties p ON p.id = t.property_id JOIN patches pa ON pa.id = p.patch_id \
                    WHERE t.status = 'active' AND t.tenure IN ('secure','leasehold') AND (t.owner_id <> pa.officer_id OR t.owner_role <> 'community_hmo')").await,
        0
    );
    let intro = scalar(db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND tenure IN ('introductory','extended_introductory')").await;
    let share = intro as f64 / active as f64;
    assert!((0.07..0.14).contains(&share), "introductory share {share}");
    assert!(scalar(db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND tenure = 'extended_introductory' AND extension_reason IS NOT NULL AND extension_notice_served_on < trial_ends_on").await > 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND tenure IN ('introductory','extended_introductory') AND trial_ends_on IS NULL").await, 0);
    let (soon_from, soon_to) = (today + Days::days(14), today + Days::days(42));
    assert!(scalar(db, &format!("SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND tenure = 'introductory' AND trial_ends_on BETWEEN '{soon_from}' AND '{soon_to}'")).await >= 3, "reviews due soon");
    assert!(scalar(db, &format!("SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND tenure = 'introductory' AND trial_ends_on < '{today}'")).await >= 1, "an overdue review");
    assert!(scalar(db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND tenure = 'leasehold'").await > 0);
    // Transfers: every tenancy's allocation, and secure handovers from Introductory to Community HMOs.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM tenancies t WHERE t.status = 'active' AND NOT EXISTS (SELECT 1 FROM transfers x WHERE x.subject_type = 'tenancy' AND x.subject_id = t.id AND x.kind = 'allocation')").await, 0);
    for kind in ["secure_handover", "referral_to_sustainable", "hand_back", "escalation_hub", "escalation_legal"] {
        assert!(scalar(db, &format!("SELECT COUNT(*) FROM transfers WHERE kind = '{kind}' AND status = 'completed'")).await > 0, "{kind}");
    }

    // Rent: the transactions explain every balance; most clear, a tail over £150, a few over £1,000.
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM rent_accounts r WHERE r.balance_pence <> (SELECT COALESCE(SUM(x.amount_pence), 0) FROM rent_transactions x WHERE x.account_id = r.id)").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM rent_accounts r JOIN tenancies t ON t.id = r.tenancy_id WHERE t.tenure <> 'leasehold' AND (r.weekly_rent_pence < 8500 OR r.weekly_rent_pence > 14000)").await, 0);
    let over_150 = scalar(db, "SELECT COUNT(*) FROM rent_accounts WHERE balance_pence > 15000").await as f64 / active as f64;
    let over_1000 = scalar(db, "SELECT COUNT(*) FROM rent_accounts WHERE balance_pence > 100000").await as f64 / active as f64;
    let clear = scalar(db, "SELECT COUNT(*) FROM rent_accounts WHERE balance_pence <= 0").await as f64 / active as f64;
    assert!((0.10..0.22).contains(&over_150), "arrears over £150: {over_150}");
    assert!((0.01..0.06).contains(&over_1000), "arrears over £1,000: {over_1000}");
    assert!(clear > 0.5, "clear or in credit: {clear}");
    assert!(scalar(db, "SELECT COUNT(*) FROM rent_accounts WHERE universal_credit = 1").await > 0);

    // Casework in every role; restricted cases need-to-know, granted to the area's Team Leader.
    for role in ["community_hmo", "sustainable_hmo", "asb_officer", "legal"] {
        assert!(scalar(db, &format!("SELECT COUNT(*) FROM cases WHERE owner_role = '{role}' AND status = 'open'")).await > 0, "{role} cases");
    }
    assert!(scalar(db, "SELECT COUNT(*) FROM cases WHERE status = 'closed'").await > 0);
    assert!(scalar(db, &format!("SELECT COUNT(*) FROM cases WHERE status = 'open' AND due_at < '{today}'")).await > 0, "overdue cases");
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM cases WHERE status = 'open' AND due_at IS NULL").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM cases WHERE restricted = 1 AND kind NOT IN ('domestic_abuse','safeguarding')").await, 0);
    assert!(scalar(db, "SELECT COUNT(*) FROM cases WHERE restricted = 1").await >= 3);
    assert_eq!(
        scalar(db, "SELECT COUNT(*) FROM cases c WHERE c.restricted = 1 AND NOT EXISTS (SELECT 1 FROM access_grants g JOIN users u ON u.id = g.user_id \
                    WHERE g.subject_type = 'case' AND g.subject_id = c.id AND u.role = 'team_leader' AND u.area_team_id = c.area_team_id)").await,
        0
    );
    assert_eq!(scalar(db, &format!("SELECT COUNT(*) FROM cases WHERE closed_at < opened_at OR closed_at > '{today}T23:59:59Z'")).await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM cases WHERE opened_at NOT LIKE '____-__-__T__:__:__Z'").await, 0);

    // Visits and findings: a home-check programme with coverage gaps, no-access, clocks on findings.
    let checked = scalar(
        db,
        &format!(
            "SELECT COUNT(DISTINCT v.tenancy_id) FROM visits v JOIN tenancies t ON t.id = v.tenancy_id WHERE t.tenure = 'secure' AND v.visit_type IN ('home_check','occupancy_check') \
             AND v.outcome = 'completed' AND v.scheduled_for > '{}'",
            today - Days::days(730)
        ),
    )
    .await as f64
        / scalar(db, "SELECT COUNT(*) FROM tenancies WHERE status = 'active' AND tenure = 'secure'").await as f64;
    assert!((0.6..0.9).contains(&checked), "visited within the two-year cycle: {checked}");
    for outcome in ["completed", "no_access", "scheduled"] {
        assert!(scalar(db, &format!("SELECT COUNT(*) FROM visits WHERE outcome = '{outcome}'")).await > 0, "{outcome} visits");
    }
    assert!(scalar(db, "SELECT COUNT(*) FROM visits WHERE visit_type = 'settling_in'").await > 0);
    assert!(scalar(db, "SELECT COUNT(*) FROM visit_findings WHERE actioned_at IS NULL").await > 0);
    assert!(scalar(db, "SELECT COUNT(*) FROM visit_findings WHERE actioned_at IS NOT NULL").await > 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM visit_findings WHERE due_at IS NULL").await, 0);
    assert!(scalar(db, "SELECT COUNT(*) FROM alerts").await as f64 > 0.05 * active as f64);

    // Referrals in every state, with what was shared and why.
    for status in ReferralStatus::ALL {
        assert!(scalar(db, &format!("SELECT COUNT(*) FROM referrals WHERE status = '{}'", status.as_str())).await > 0, "{status:?} referrals");
    }
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM referrals WHERE status = 'declined' AND decline_reason IS NULL").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM referrals WHERE status = 'closed' AND outcome IS NULL").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM referrals WHERE lawful_basis = 'consent' AND (consent_given_on IS NULL OR consent_how IS NULL)").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM referrals WHERE shared_fields NOT LIKE '[\"name\",%'").await, 0);
    assert!(scalar(db, "SELECT COUNT(*) FROM referrals WHERE restricted = 1 AND category = 'marac'").await > 0);
    assert!(scalar(db, "SELECT COUNT(*) FROM referral_messages").await > 0);
    assert!(scalar(db, "SELECT COUNT(*) FROM access_grants WHERE subject_type = 'referral'").await > 0);

    // Feedback.
    assert!(scalar(db, "SELECT COUNT(*) FROM feedback_responses").await >= 100);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM feedback_links WHERE LENGTH(token) <> 22").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM feedback_responses WHERE answers NOT LIKE '{\"TP01\":%'").await, 0);

    // Every stored code comes from the domain vocabulary.
    let codes: &[(&str, fn(&str) -> bool)] = &[
        ("SELECT DISTINCT role FROM users", |c| Role::parse(c).is_some()),
        ("SELECT DISTINCT tenure FROM tenancies", |c| Tenure::parse(c).is_some()),
        ("SELECT DISTINCT status FROM tenancies", |c| TenancyStatus::parse(c).is_some()),
        ("SELECT DISTINCT owner_role FROM tenancies", |c| Role::parse(c).is_some()),
        ("SELECT DISTINCT property_type FROM properties", |c| PropertyType::parse(c).is_some()),
        ("SELECT DISTINCT relationship FROM household_members", |c| Relationship::parse(c).is_some()),
        ("SELECT DISTINCT kind FROM alerts", |c| AlertKind::parse(c).is_some()),
        ("SELECT DISTINCT kind FROM cases", |c| CaseKind::parse(c).is_some()),
        ("SELECT DISTINCT status FROM cases", |c| CaseStatus::parse(c).is_some()),
        ("SELECT DISTINCT owner_role FROM cases", |c| Role::parse(c).is_some()),
        ("SELECT DISTINCT kind FROM transfers", |c| TransferKind::parse(c).is_some()),
        ("SELECT DISTINCT status FROM transfers", |c| TransferStatus::parse(c).is_some()),
        ("SELECT DISTINCT visit_type FROM visits", |c| VisitType::parse(c).is_some()),
        ("SELECT DISTINCT outcome FROM visits", |c| VisitOutcome::parse(c).is_some()),
        ("SELECT DISTINCT kind FROM visit_findings", |c| FindingKind::parse(c).is_some()),
        ("SELECT DISTINCT kind FROM agencies", |c| AgencyKind::parse(c).is_some()),
        ("SELECT DISTINCT category FROM referrals", |c| ReferralCategory::parse(c).is_some()),
        ("SELECT DISTINCT status FROM referrals", |c| ReferralStatus::parse(c).is_some()),
        ("SELECT DISTINCT urgency FROM referrals", |c| Urgency::parse(c).is_some()),
        ("SELECT DISTINCT lawful_basis FROM referrals", |c| LawfulBasis::parse(c).is_some()),
        ("SELECT DISTINCT kind FROM rent_transactions", |c| RentTransactionKind::parse(c).is_some()),
        ("SELECT DISTINCT sex FROM household_members", |c| c == "F" || c == "M"),
    ];
    for (sql, valid) in codes {
        for code in strings(db, sql).await {
            assert!(valid(&code), "{sql}: {code:?}");
        }
    }

    // Demo accounts: memorable usernames, all with the demo password.
    let usernames: HashSet<String> = strings(db, "SELECT username FROM users").await.into_iter().collect();
    for u in ["tl.east", "tl.west", "tl.central", "chmo.east1", "chmo.west1", "chmo.central1", "ihmo.east1", "ihmo.east2", "ihmo.east3", "sthmo.east1", "asb.hub", "legal", "admin", "admin2", "partner.asc", "partner.police", "partner.mh", "partner.marac"] {
        assert!(usernames.contains(u), "user {u}");
    }
    let listed: HashSet<&str> = report.accounts.iter().map(|a| a.username.as_str()).collect();
    for u in ["tl.east", "chmo.east1", "ihmo.east1", "sthmo.east1", "asb.hub", "legal", "admin", "partner.asc", "partner.police", "partner.mh"] {
        assert!(listed.contains(u), "account {u} in the report");
    }
    assert!(report.accounts.iter().all(|a| a.password == DEMO_PASSWORD && !a.note.is_empty() && !a.display_name.is_empty()));
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM users WHERE role = 'partner' AND agency_id IS NULL").await, 0);
    assert_eq!(scalar(db, "SELECT COUNT(DISTINCT agency_id) FROM users WHERE role = 'partner'").await, 9);
    let hash = strings(db, "SELECT password_hash FROM users WHERE username = 'chmo.east1'").await.remove(0);
    assert!(crate::auth::password::verify_password(DEMO_PASSWORD, &hash));
    assert_eq!(scalar(db, "SELECT COUNT(*) FROM users WHERE role = 'community_hmo'").await, report.patches as i64);
    assert!(report.officers > report.patches);
}

#[tokio::test]
async fn seeds_a_consistent_realistic_council() {
    let t = TempSqlite::new().await;
    assert!(is_empty(&t.db).await.unwrap());
    let opts = small(1_500);
    let report = seed(&t.db, &opts).await.unwrap();
    check_council(&t.db, 1_500, &report, opts.today).await;
    assert!(!is_empty(&t.db).await.unwrap());
    let again = seed(&t.db, &opts).await.unwrap_err();
    assert!(again.to_string().contains("already"), "{again}");
    t.remove().await;
}

#[tokio::test]
async fn the_same_seed_gives_the_same_council() {
    let (a, b, c) = (TempSqlite::new().await, TempSqlite::new().await, TempSqlite::new().await);
    seed(&a.db, &small(1_500)).await.unwrap();
    seed(&b.db, &small(1_500)).await.unwrap();
    seed(&c.db, &SeedOptions { seed: 7, ..small(1_500) }).await.unwrap();
    let (fa, fb, fc) = (checksum(&a.db).await, checksum(&b.db).await, checksum(&c.db).await);
    assert!(fa.len() > 100_000);
    assert!(fa == fb, "same seed, same council");
    assert!(fa != fc, "another seed, another council");
    for t in [a, b, c] {
        t.remove().await;
    }
}

/// On PostgreSQL (when `HEARTH_TEST_POSTGRES` is set): the same council as on SQLite, and the
/// identity sequences continue after the seeded ids.
#[tokio::test]
async fn seeds_postgres_when_configured() {
    let Ok(base) = std::env::var("HEARTH_TEST_POSTGRES") else {
        eprintln!("HEARTH_TEST_POSTGRES not set: PostgreSQL seed test skipped");
        return;
    };
    let schema = format!("hearth_seed_{}", unique_tag());
    let admin = Db::connect(&base).await.expect("connect postgres");
    sqlx::query::<sqlx::Any>(&format!("CREATE SCHEMA {schema}")).execute(&admin.pool).await.unwrap();
    let sep = if base.contains('?') { '&' } else { '?' };
    let db = Db::open(&format!("{base}{sep}options=-c%20search_path%3D{schema}")).await.expect("open postgres schema");
    let pg = db.clone();
    let checks = async move {
        let db = pg;
        let opts = small(1_500);
        let report = seed(&db, &opts).await.expect("seed postgres");
        check_council(&db, 1_500, &report, opts.today).await;
        let sqlite = TempSqlite::new().await;
        seed(&sqlite.db, &opts).await.unwrap();
        assert!(checksum(&db).await == checksum(&sqlite.db).await, "PostgreSQL and SQLite hold the same council");
        sqlite.remove().await;
        // New rows get fresh ids after the seeded ones.
        let before = scalar(&db, "SELECT MAX(id) FROM agencies").await;
        sqlx::query::<sqlx::Any>("INSERT INTO agencies (name, kind) VALUES ('Test agency', 'police')").execute(&db.pool).await.unwrap();
        assert_eq!(scalar(&db, "SELECT MAX(id) FROM agencies").await, before + 1);
        sqlx::query::<sqlx::Any>("INSERT INTO audit_log (at, username, action, subject_type, outcome) VALUES ('2026-01-01T00:00:00Z', 'x', 'test', 'none', 'allowed')").execute(&db.pool).await.unwrap();
        sqlx::query::<sqlx::Any>("INSERT INTO cases (reference, kind, title, status, owner_role, area_team_id, opened_at) VALUES ('CAS-TEST', 'asb', 't', 'open', 'community_hmo', 1, '2026-01-01T00:00:00Z')")
            .execute(&db.pool)
            .await
            .unwrap();
    };
    let outcome = tokio::spawn(checks).await;
    db.pool.close().await;
    sqlx::query::<sqlx::Any>(&format!("DROP SCHEMA {schema} CASCADE")).execute(&admin.pool).await.unwrap();
    admin.pool.close().await;
    if let Err(e) = outcome {
        std::panic::resume_unwind(e.into_panic());
    }
}

// --- The stock alone (no database) ------------------------------------------------------------

fn york() -> (Vec<geo::Point>, Vec<geo::Ward>) {
    let points = geo::load_points().unwrap();
    let wards = geo::load_wards(&points).unwrap();
    (points, wards)
}

#[test]
fn postcode_points_and_wards_load() {
    let (points, wards) = york();
    assert_eq!(points.len(), 5_071);
    assert!(points.iter().all(|p| p.postcode.starts_with("YO")));
    assert_eq!(wards.len(), 22);
    assert!(points.iter().all(|p| wards.iter().any(|w| w.code == p.ward_code)));
}

#[test]
fn wards_map_to_area_teams_geographically() {
    let (_, wards) = york();
    let area = |name: &str| AREAS[wards.iter().find(|w| w.name == name).unwrap_or_else(|| panic!("{name}")).area];
    for w in ["Guildhall", "Micklegate", "Fishergate", "Clifton", "Holgate"] {
        assert_eq!(area(w), "Central", "{w}");
    }
    for w in ["Heworth", "Hull Road", "Osbaldwick", "Strensall", "Huntington and New Earswick", "Derwent", "Wheldrake"] {
        assert_eq!(area(w), "East", "{w}");
    }
    for w in ["Westfield", "Acomb", "Dringhouses and Woodthorpe", "Rural West York", "Bishopthorpe"] {
        assert_eq!(area(w), "West", "{w}");
    }
}

#[test]
fn hilbert_keeps_neighbours_close() {
    let a = geo::hilbert(53.96, -1.08);
    let b = geo::hilbert(53.9601, -1.0801);
    let c = geo::hilbert(53.90, -1.20);
    assert!(a.abs_diff(b) < a.abs_diff(c));
}

fn shares(stock: &stock::Stock) -> BTreeMap<&'static str, f64> {
    let mut m = BTreeMap::new();
    for h in &stock.homes {
        *m.entry(h.ptype.as_str()).or_insert(0.0) += 1.0 / stock.homes.len() as f64;
    }
    m
}

#[test]
fn a_york_sized_stock() {
    let (points, wards) = york();
    let stock = stock::build(&mut ChaCha8Rng::seed_from_u64(2023), &points, &wards, 7_400);
    assert_eq!(stock.homes.len(), 7_400);
    let s = shares(&stock);
    assert!((0.38..0.52).contains(&s["house"]), "{s:?}");
    assert!((0.27..0.42).contains(&s["flat"]), "{s:?}");
    assert!(s["bungalow"] > 0.05 && s["maisonette"] > 0.03 && s["bedsit"] > 0.005 && s["bedsit"] < 0.06, "{s:?}");
    // About 25 patches of 250–320 homes, smaller where the work is heavier.
    assert!((22..=30).contains(&stock.patches.len()), "{} patches", stock.patches.len());
    let sizes: Vec<usize> = stock.patches.iter().map(|p| p.homes).collect();
    assert!(sizes.iter().all(|s| (250..=320).contains(s)), "{sizes:?}");
    let avg = |c: bool| {
        let v: Vec<usize> = stock.patches.iter().filter(|p| p.challenging == c).map(|p| p.homes).collect();
        v.iter().sum::<usize>() as f64 / v.len().max(1) as f64
    };
    assert!(stock.patches.iter().any(|p| p.challenging) && avg(true) < avg(false), "challenging {} vs {}", avg(true), avg(false));
    for a in 0..3 {
        assert!(stock.area_homes(a) > 1_500, "{} homes in {}", stock.area_homes(a), AREAS[a]);
    }
    // Homes of a patch lie close together: half within 2 km of its centre, 80% within 5 km
    // (the patch that takes in the outlying villages is the widest).
    for p in 0..stock.patches.len() {
        let hs: Vec<_> = stock.homes.iter().filter(|h| h.patch == p).collect();
        let (lat, lon) = (hs.iter().map(|h| h.lat).sum::<f64>() / hs.len() as f64, hs.iter().map(|h| h.lon).sum::<f64>() / hs.len() as f64);
        let mut d: Vec<f64> = hs.iter().map(|h| ((h.lat - lat) * 111.2).hypot((h.lon - lon) * 65.5)).collect();
        d.sort_by(f64::total_cmp);
        let (median, p80) = (d[d.len() / 2], d[d.len() * 8 / 10]);
        assert!(median < 2.0 && p80 < 5.0, "patch {} is spread out: median {median:.2} km, 80% within {p80:.2} km", stock.patches[p].name);
    }
    // Names: estates and blocks unique, flats numbered within their block, one street per postcode.
    let estates: HashSet<&str> = stock.estates.iter().map(|e| e.name.as_str()).collect();
    assert_eq!(estates.len(), stock.estates.len());
    assert!(stock.estates.iter().any(|e| e.name == "Tang Hall Estate"));
    let blocks: HashSet<&str> = stock.blocks.iter().map(|b| b.name.as_str()).collect();
    assert_eq!(blocks.len(), stock.blocks.len());
    assert!(stock.homes.iter().any(|h| h.address.starts_with("Flat 12, ")));
    let mut streets: BTreeMap<&str, HashSet<String>> = BTreeMap::new();
    for h in stock.homes.iter().filter(|h| h.block.is_none()) {
        let street: String = h.address.rsplit(", ").next().unwrap_or_default().split_once(' ').map(|x| x.1.to_string()).unwrap_or_default();
        streets.entry(h.postcode.as_str()).or_default().insert(street);
    }
    assert!(streets.values().all(|s| s.len() == 1), "one street per postcode");
    assert!(stock.patches.iter().all(|p| p.name.starts_with(AREAS[p.area]) && p.name.contains(" – ")));
}

#[test]
fn a_birmingham_sized_stock() {
    let (points, wards) = york();
    let stock = stock::build(&mut ChaCha8Rng::seed_from_u64(2023), &points, &wards, 60_000);
    assert_eq!(stock.homes.len(), 60_000);
    assert!((180..=230).contains(&stock.patches.len()), "{} patches", stock.patches.len());
    assert!(stock.patches.iter().all(|p| (250..=320).contains(&p.homes)), "{:?}", stock.patches.iter().map(|p| p.homes).collect::<Vec<_>>());
    let addresses: HashSet<(&str, &str)> = stock.homes.iter().map(|h| (h.address.as_str(), h.postcode.as_str())).collect();
    assert_eq!(addresses.len(), 60_000, "addresses are unique");
}

/// Times the York-sized and Birmingham-sized seeds on SQLite:
/// `cargo test -p hearth --release --lib seed::tests::timing -- --ignored --nocapture`.
#[tokio::test]
#[ignore]
async fn timing() {
    for homes in [7_400, 60_000] {
        let t = TempSqlite::new().await;
        let report = seed(&t.db, &SeedOptions { homes, progress: true, ..Default::default() }).await.unwrap();
        let rows = scalar(&t.db, "SELECT (SELECT COUNT(*) FROM rent_transactions) + (SELECT COUNT(*) FROM household_members) + (SELECT COUNT(*) FROM visits) + (SELECT COUNT(*) FROM transfers)").await;
        eprintln!(
            "{homes} homes: {:.1} s; {} tenancies, {} patches, {} officers, {} cases, {} referrals, {} visits; {rows} rows in the four largest tables",
            report.elapsed.as_secs_f64(),
            report.tenancies,
            report.patches,
            report.officers,
            report.cases,
            report.referrals,
            report.visits
        );
        t.remove().await;
    }
}
