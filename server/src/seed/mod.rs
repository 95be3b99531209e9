//! Demo council generator: a deterministic, realistic council built from a seed, placed on the
//! real York postcode points and wards. `hearth seed` runs it; `hearth serve --demo` runs it on an
//! empty database. Same seed and size ⇒ the same council (no wall clock, no OS randomness in the data).

mod names;
mod writer;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use app::domain::*;
use chrono::{Datelike, Duration as Days, NaiveDate};
use rand::seq::{IndexedRandom, SliceRandom};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::Row;

use crate::db::{Backend, Db};
use names::*;
use writer::{V, Writer};

pub const DEMO_PASSWORD: &str = "hearth-demo-2026";

const POSTCODES_CSV: &str = include_str!("../../data/york_postcodes_codepoint_open_2014.csv");
const WARDS_GEOJSON: &str = include_str!("../../data/york_wards_2013.geojson");
const BANK_HOLIDAYS_CSV: &str = app::domain::clock::BANK_HOLIDAYS_ENGLAND_WALES_CSV;

pub struct SeedOptions {
    pub homes: usize,
    pub seed: u64,
    pub progress: bool,
    /// The day the council's histories lead up to.
    pub today: NaiveDate,
}

impl Default for SeedOptions {
    fn default() -> Self {
        SeedOptions { homes: 7400, seed: 2023, progress: false, today: NaiveDate::from_ymd_opt(2026, 11, 22).expect("valid date") }
    }
}

#[derive(Clone, Debug)]
pub struct DemoAccount {
    pub username: String,
    pub password: String,
    pub role: Role,
    pub display_name: String,
    pub area: Option<String>,
    pub note: String,
}

#[derive(Debug, Default)]
pub struct SeedReport {
    pub homes: usize,
    pub tenancies: usize,
    pub patches: usize,
    pub officers: usize,
    pub cases: usize,
    pub referrals: usize,
    pub visits: usize,
    pub accounts: Vec<DemoAccount>,
    pub elapsed: Duration,
}

pub async fn is_empty(db: &Db) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query::<sqlx::Any>("SELECT COUNT(*) FROM properties").fetch_one(&db.pool).await?.try_get(0)?;
    Ok(n == 0)
}

struct Point {
    postcode: String,
    lat: f64,
    lon: f64,
    ward_code: String,
}

const AREAS: [&str; 3] = ["East", "West", "Central"];
/// Introductory tenancies per area seeded past their anniversary with no decision recorded.
const MISSED_REVIEWS_PER_AREA: usize = 12;
const CENTRE: (f64, f64) = (53.9600, -1.0873);

fn load_points() -> anyhow::Result<Vec<Point>> {
    let mut rdr = csv::Reader::from_reader(POSTCODES_CSV.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let r = rec?;
        if r.get(10) != Some("1") {
            continue;
        }
        out.push(Point { postcode: r[0].to_string(), lat: r[1].parse()?, lon: r[2].parse()?, ward_code: r[9].to_string() });
    }
    Ok(out)
}

/// Interleaves the bits of two 16-bit grid coordinates: nearby points get nearby codes.
fn morton(lat: f64, lon: f64) -> u64 {
    let y = (((lat - 53.85) / 0.25).clamp(0.0, 1.0) * 65535.0) as u64;
    let x = (((lon + 1.25) / 0.40).clamp(0.0, 1.0) * 65535.0) as u64;
    let mut code = 0u64;
    for bit in 0..16 {
        code |= ((x >> bit) & 1) << (2 * bit);
        code |= ((y >> bit) & 1) << (2 * bit + 1);
    }
    code
}

fn date(d: NaiveDate) -> V {
    V::S(d.to_string())
}
fn instant(d: NaiveDate, hour: u32) -> V {
    V::S(format!("{d}T{hour:02}:00:00Z"))
}

fn person_name(rng: &mut ChaCha8Rng, sex: char) -> String {
    let first = if sex == 'F' { FEMALE.choose(rng) } else { MALE.choose(rng) };
    first.copied().unwrap_or("Alex").to_string()
}

struct Home {
    id: i64,
    point: usize,
    area: usize,
    bedrooms: i64,
    ptype: PropertyType,
    patch: i64,
    address: String,
    postcode: String,
}

pub async fn seed(db: &Db, opts: &SeedOptions) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    if !is_empty(db).await? {
        bail!("the database already holds a council");
    }
    if opts.homes < 300 {
        bail!("a demo council needs at least 300 homes");
    }
    let mut rng = ChaCha8Rng::seed_from_u64(opts.seed);
    let today = opts.today;
    let bar = if opts.progress {
        let b = indicatif::ProgressBar::new(10);
        b.set_style(indicatif::ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})").expect("template").progress_chars("=> "));
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut w = Writer::new(db);
    let mut report = SeedReport::default();
    let hash = crate::auth::password::hash_password(DEMO_PASSWORD);

    // --- Reference data: bank holidays, settings, area teams, wards --------------------------
    bar.set_message("reference data");
    for (day, name) in app::domain::clock::parse_bank_holidays_csv(BANK_HOLIDAYS_CSV).context("bank holidays")? {
        w.row("bank_holidays", &["holiday_on", "name"], vec![date(day), V::S(name)]);
    }
    for (k, v) in [
        ("workload.weights", r#"{"home":1.0,"introductory":3.0,"arrears_case":2.0,"asb_case":4.0,"vulnerability":2.0}"#),
        ("income.arrears_threshold_pence", "15000"),
        ("visit.cycle_years", "2"),
        ("patch.target_homes", "[280,300]"),
    ] {
        w.row("settings", &["key", "value"], vec![V::s(k), V::s(v)]);
    }
    for (i, a) in AREAS.iter().enumerate() {
        w.row("area_teams", &["id", "name"], vec![V::I(i as i64 + 1), V::s(a)]);
    }
    let wards: serde_json::Value = serde_json::from_str(WARDS_GEOJSON)?;
    let mut ward_ids: BTreeMap<String, (i64, String)> = BTreeMap::new();
    for (i, f) in wards["features"].as_array().context("wards")?.iter().enumerate() {
        let code = f["properties"]["ward_code"].as_str().unwrap_or_default().to_string();
        let name = f["properties"]["ward_name"].as_str().unwrap_or_default().to_string();
        w.row("wards", &["id", "code", "name", "geojson"], vec![V::I(i as i64 + 1), V::S(code.clone()), V::S(name.clone()), V::S(f["geometry"].to_string())]);
        ward_ids.insert(code, (i as i64 + 1, name));
    }

    // --- Where homes stand: postcode points, grouped into areas ------------------------------
    let mut points = load_points()?;
    points.retain(|p| ward_ids.contains_key(&p.ward_code));
    let mut ward_centres: BTreeMap<String, (f64, f64, f64)> = BTreeMap::new();
    for p in &points {
        let e = ward_centres.entry(p.ward_code.clone()).or_default();
        *e = (e.0 + p.lat, e.1 + p.lon, e.2 + 1.0);
    }
    let ward_area: BTreeMap<String, usize> = ward_centres
        .iter()
        .map(|(code, (la, lo, n))| {
            let (lat, lon) = (la / n, lo / n);
            let km = (((lat - CENTRE.0) * 111.0).powi(2) + ((lon - CENTRE.1) * 65.0).powi(2)).sqrt();
            (
                code.clone(),
                if km < 2.3 {
                    2
                } else if lon > CENTRE.1 {
                    0
                } else {
                    1
                },
            )
        })
        .collect();
    points.shuffle(&mut rng);
    let per_point = if opts.homes <= 20_000 { 8 } else { opts.homes.div_ceil(points.len()).max(8) };
    let used = opts.homes.div_ceil(per_point).min(points.len());
    points.truncate(used);
    points.sort_by_key(|p| morton(p.lat, p.lon));

    // --- Officers ------------------------------------------------------------------------------
    bar.inc(1);
    bar.set_message("officers and agencies");
    let mut next_user = 1i64;
    let mut accounts = Vec::new();
    let mut users: Vec<(i64, Role, Option<usize>, String)> = Vec::new();
    let mut add_user =
        |w: &mut Writer, rng: &mut ChaCha8Rng, username: String, role: Role, area: Option<usize>, agency: Option<i64>, note: &str, listed: bool| -> i64 {
            let sex = if rng.random_bool(0.6) { 'F' } else { 'M' };
            let display = format!("{} {}", person_name(rng, sex), SURNAMES.choose(rng).copied().unwrap_or("Smith"));
            let id = next_user;
            next_user += 1;
            w.row(
                "users",
                &["id", "username", "display_name", "email", "password_hash", "role", "area_team_id", "agency_id", "active", "created_at"],
                vec![
                    V::I(id),
                    V::S(username.clone()),
                    V::S(display.clone()),
                    V::S(format!("{}@hearth.example", username)),
                    V::S(hash.clone()),
                    V::s(role.as_str()),
                    area.map(|a| V::I(a as i64 + 1)).unwrap_or(V::N),
                    agency.map(V::I).unwrap_or(V::N),
                    V::I(1),
                    V::s("2022-04-01T09:00:00Z"),
                ],
            );
            if listed {
                accounts.push(DemoAccount {
                    username: username.clone(),
                    password: DEMO_PASSWORD.into(),
                    role,
                    display_name: display.clone(),
                    area: area.map(|a| AREAS[a].to_string()),
                    note: note.into(),
                });
            }
            users.push((id, role, area, display));
            id
        };
    let agency_defs = [
        (AgencyKind::AdultSocialCare, "City of York Adult Social Care", "partner.asc"),
        (AgencyKind::Police, "North Yorkshire Police", "partner.police"),
        (AgencyKind::MentalHealth, "Tees, Esk and Wear Valleys Mental Health", "partner.mh"),
        (AgencyKind::Mediation, "York Mediation Service", "partner.mediation"),
        (AgencyKind::ChildrensServices, "York Children's Services", "partner.children"),
        (AgencyKind::Fire, "North Yorkshire Fire and Rescue", "partner.fire"),
        (AgencyKind::DrugIntervention, "Changing Lives Tenancy Sustainment", "partner.dit"),
        (AgencyKind::FinancialInclusion, "York Financial Inclusion Team", "partner.money"),
        (AgencyKind::Marac, "York MARAC", "partner.marac"),
    ];
    for (i, (kind, name, user)) in agency_defs.iter().enumerate() {
        let id = i as i64 + 1;
        w.row(
            "agencies",
            &["id", "name", "kind", "team", "contact_email", "contact_phone", "active"],
            vec![
                V::I(id),
                V::s(name),
                V::s(kind.as_str()),
                V::s("Referrals team"),
                V::S(format!("referrals@{}.example", user.trim_start_matches("partner."))),
                V::s("01904 000000"),
                V::I(1),
            ],
        );
        add_user(&mut w, &mut rng, user.to_string(), Role::Partner, None, Some(id), &format!("{}: only referrals shared with them", kind.label()), true);
    }
    let admin_id = add_user(&mut w, &mut rng, "admin".into(), Role::Admin, None, None, "users, agencies, configuration; no casework", true);
    add_user(&mut w, &mut rng, "asb.hub".into(), Role::AsbOfficer, None, None, "Community Safety Hub: escalated ASB cases, council-wide", true);
    let legal_id = add_user(&mut w, &mut rng, "legal".into(), Role::Legal, None, None, "Legal: notices and possession, council-wide", true);
    let _ = legal_id;
    let mut team_leaders = [0i64; 3];
    let mut ihmos: [Vec<i64>; 3] = Default::default();
    let mut sthmos: [Vec<i64>; 3] = Default::default();
    for (a, name) in AREAS.iter().enumerate() {
        let lower = name.to_lowercase();
        team_leaders[a] =
            add_user(&mut w, &mut rng, format!("tl.{lower}"), Role::TeamLeader, Some(a), None, &format!("everything in the {name} area team"), true);
        for n in 1..=3 {
            ihmos[a].push(add_user(
                &mut w,
                &mut rng,
                format!("ihmo.{lower}{n}"),
                Role::IntroductoryHmo,
                Some(a),
                None,
                &format!("new tenancies in {name}"),
                n == 1,
            ));
        }
        for n in 1..=2 {
            sthmos[a].push(add_user(
                &mut w,
                &mut rng,
                format!("sthmo.{lower}{n}"),
                Role::SustainableHmo,
                Some(a),
                None,
                &format!("sustainment cases in {name}"),
                n == 1,
            ));
        }
    }

    // --- Homes, blocks, estates, patches --------------------------------------------------------
    bar.inc(1);
    bar.set_message("homes and patches");
    let mut homes: Vec<Home> = Vec::with_capacity(opts.homes);
    let mut block_id = 0i64;
    let mut estates: BTreeMap<(usize, String), i64> = BTreeMap::new();
    let mut prop_rows: Vec<Vec<V>> = Vec::new();
    let mut extra: Vec<(Option<i64>, Option<i64>, Option<i64>, i64, String)> = Vec::new(); // block, floor, estate, independent, type
    for (pi, p) in points.iter().enumerate() {
        // Streets often take their name from the neighbourhood they are in.
        let ward_word = match ward_ids[&p.ward_code].1.split([' ', '&', ',']).next().unwrap_or("York") {
            "Rural" => "Poppleton".to_string(),
            w => w.to_string(),
        };
        let first = if rng.random_bool(0.35) { ward_word } else { STREET_FIRST.choose(&mut rng).copied().unwrap_or("Tang Hall").to_string() };
        let street = format!("{first} {}", STREET_LAST.choose(&mut rng).copied().unwrap_or("Lane"));
        let area = ward_area.get(&p.ward_code).copied().unwrap_or(0);
        let (ward_id, ward_name) = ward_ids[&p.ward_code].clone();
        let sector = p.postcode[..p.postcode.len() - 2].to_string();
        let next_estate = estates.len() as i64 + 1;
        let estate = *estates.entry((area, sector.clone())).or_insert_with(|| {
            w.row(
                "estates",
                &["id", "name", "ward_id", "area_team_id"],
                vec![V::I(next_estate), V::S(format!("{} Estate ({sector})", ward_name)), V::I(ward_id), V::I(area as i64 + 1)],
            );
            next_estate
        });
        let remaining = opts.homes - homes.len();
        let n = if pi + 1 == points.len() { remaining } else { per_point.min(remaining) };
        let is_block = rng.random_bool(0.22) && n >= 6;
        let tall = rng.random_bool(0.2);
        let storeys = if is_block { rng.random_range(3..=if tall { 16 } else { 6 }) } else { 0 };
        let this_block = if is_block {
            block_id += 1;
            let name = if (block_id as usize) <= BLOCK_NAMES.len() {
                BLOCK_NAMES[block_id as usize - 1].to_string()
            } else {
                let kind = if storeys >= 10 { "Tower" } else { *["House", "Court", "Lodge"].choose(&mut rng).unwrap_or(&"House") };
                format!("{} {kind}", STREET_FIRST.choose(&mut rng).copied().unwrap_or("Foss"))
            };
            w.row(
                "blocks",
                &["id", "name", "estate_id", "storeys", "postcode"],
                vec![V::I(block_id), V::S(name.clone()), V::I(estate), V::I(storeys), V::S(p.postcode.clone())],
            );
            Some((block_id, name))
        } else {
            None
        };
        let base_number = rng.random_range(1..40) * 2 - 1;
        for k in 0..n {
            let id = homes.len() as i64 + 1;
            let (ptype, bedrooms, line1, floor) = if let Some((_, ref bname)) = this_block {
                let floor = (k as i64) % storeys;
                let beds = *[0i64, 1, 1, 1, 2, 2, 2, 3].choose(&mut rng).unwrap_or(&1);
                let t = if beds == 0 {
                    PropertyType::Bedsit
                } else if beds == 3 && rng.random_bool(0.5) {
                    PropertyType::Maisonette
                } else {
                    PropertyType::Flat
                };
                (t, beds, format!("Flat {}, {bname}", k + 1), Some(floor))
            } else {
                let roll: f64 = rng.random();
                let (t, beds) = if roll < 0.62 {
                    (PropertyType::House, *[2i64, 2, 3, 3, 3, 3, 4, 4, 5].choose(&mut rng).unwrap_or(&3))
                } else if roll < 0.78 {
                    (PropertyType::Bungalow, *[1i64, 1, 2].choose(&mut rng).unwrap_or(&1))
                } else if roll < 0.9 {
                    (PropertyType::Flat, *[1i64, 1, 2].choose(&mut rng).unwrap_or(&1))
                } else {
                    (PropertyType::Maisonette, *[2i64, 3].choose(&mut rng).unwrap_or(&2))
                };
                (t, beds, format!("{} {street}", base_number + 2 * k as i64), None)
            };
            let independent = ptype == PropertyType::Bungalow && rng.random_bool(0.35);
            let jitter = if per_point > 8 { 0.0012 } else { 0.0004 };
            let lat = p.lat + rng.random_range(-jitter..jitter);
            let lon = p.lon + rng.random_range(-jitter * 1.6..jitter * 1.6);
            let reference = format!("PR{:06}", id + 100_000);
            prop_rows.push(vec![
                V::I(id),
                V::S(reference.clone()),
                V::S(line1.clone()),
                V::S(String::new()),
                V::s("York"),
                V::S(p.postcode.clone()),
                V::F(lat),
                V::F(lon),
                V::s(ptype.as_str()),
                V::I(bedrooms),
                V::I(ward_id),
                V::I(area as i64 + 1),
            ]);
            extra.push((this_block.as_ref().map(|b| b.0), floor, Some(estate), independent as i64, reference));
            homes.push(Home { id, point: pi, area, bedrooms, ptype, patch: 0, address: line1, postcode: p.postcode.clone() });
        }
    }
    // Patches: each area's homes in space-filling order, cut into runs of about 290 homes.
    let mut patches: Vec<(i64, usize, String, bool)> = Vec::new();
    for a in 0..3 {
        let idx: Vec<usize> = (0..homes.len()).filter(|&i| homes[i].area == a).collect();
        if idx.is_empty() {
            continue;
        }
        let n_patches = ((idx.len() as f64) / 290.0).round().max(1.0) as usize;
        let size = idx.len().div_ceil(n_patches);
        for (k, chunk) in idx.chunks(size).enumerate() {
            let pid = patches.len() as i64 + 1;
            let ward = &points[homes[chunk[chunk.len() / 2]].point].ward_code;
            let name = format!("{} {:02} – {}", AREAS[a], k + 1, ward_ids[ward].1);
            let challenging = chunk.len() < 270;
            patches.push((pid, a, name, challenging));
            for &h in chunk {
                homes[h].patch = pid;
            }
        }
    }
    let mut chmo_of_patch: BTreeMap<i64, i64> = BTreeMap::new();
    let mut per_area_count = [0usize; 3];
    for (pid, a, _, _) in &patches {
        per_area_count[*a] += 1;
        let n = per_area_count[*a];
        let lower = AREAS[*a].to_lowercase();
        let uid = add_user(
            &mut w,
            &mut rng,
            format!("chmo.{lower}{n}"),
            Role::CommunityHmo,
            Some(*a),
            None,
            &format!("Community HMO for patch {} {:02}", AREAS[*a], n),
            n == 1,
        );
        chmo_of_patch.insert(*pid, uid);
    }
    for (pid, a, name, challenging) in &patches {
        w.row(
            "patches",
            &["id", "name", "area_team_id", "officer_id", "challenging", "version"],
            vec![V::I(*pid), V::S(name.clone()), V::I(*a as i64 + 1), V::I(chmo_of_patch[pid]), V::I(*challenging as i64), V::I(1)],
        );
    }
    for (i, row) in prop_rows.into_iter().enumerate() {
        let (block, floor, estate, independent, _) = &extra[i];
        let h = &homes[i];
        let search = app::domain::search::index_text(&[&extra[i].4, &h.address, "York"], &h.postcode);
        let mut r = row;
        r.extend([
            block.map(V::I).unwrap_or(V::N),
            floor.map(V::I).unwrap_or(V::N),
            estate.map(V::I).unwrap_or(V::N),
            V::I(h.patch),
            V::I(*independent),
            V::S(search),
            V::I(1),
        ]);
        w.row(
            "properties",
            &[
                "id",
                "reference",
                "address_line1",
                "address_line2",
                "town",
                "postcode",
                "latitude",
                "longitude",
                "property_type",
                "bedrooms",
                "ward_id",
                "area_team_id",
                "block_id",
                "floor",
                "estate_id",
                "patch_id",
                "independent_living",
                "search_text",
                "version",
            ],
            r,
        );
    }
    w.flush().await?;
    report.homes = homes.len();
    report.patches = patches.len();
    report.officers = users.iter().filter(|u| u.1 != Role::Partner).count();

    // --- Tenancies, households, rent -------------------------------------------------------------
    bar.inc(1);
    bar.set_message("tenancies and households");
    let mut tenancy_id = 0i64;
    let mut member_id = 0i64;
    let mut txn_id = 0i64;
    let mut transfer_id = 0i64;
    struct Active {
        id: i64,
        home: usize,
        tenure: Tenure,
        start: NaiveDate,
        owner: i64,
        balance: i64,
        /// What a referral about this tenancy could share (alerts are added with the referral).
        facts: app::domain::referral::TenantFacts,
    }
    let mut active: Vec<Active> = Vec::new();
    // A few missed reviews per area show the alarm; a council of any size has a handful, not hundreds.
    let mut missed_reviews_left = [MISSED_REVIEWS_PER_AREA; AREAS.len()];
    let weeks_of_rent = if opts.homes > 20_000 { 4 } else { 12 };
    let cols_t = [
        "id",
        "reference",
        "property_id",
        "tenure",
        "status",
        "start_date",
        "end_date",
        "trial_ends_on",
        "extension_reason",
        "extension_notice_served_on",
        "owner_id",
        "owner_role",
        "search_text",
        "version",
        "created_at",
    ];
    let cols_m = ["id", "tenancy_id", "first_name", "last_name", "date_of_birth", "sex", "relationship", "is_tenant", "phone", "email", "joined_on"];
    let cols_tr = [
        "id",
        "subject_type",
        "subject_id",
        "kind",
        "status",
        "from_user_id",
        "from_role",
        "to_user_id",
        "to_role",
        "reason",
        "requested_by",
        "approved_by",
        "requested_at",
        "decided_at",
        "effective_at",
    ];
    for hi in 0..homes.len() {
        let (home_id, area, patch, bedrooms) = (homes[hi].id, homes[hi].area, homes[hi].patch, homes[hi].bedrooms);
        let chmo = chmo_of_patch[&patch];
        let void = rng.random_bool(0.035);
        // An earlier, ended tenancy for some homes.
        let current_start_floor = if rng.random_bool(0.35) {
            let start = today - Days::days(rng.random_range(4000..9000));
            let end = start + Days::days(rng.random_range(700..3600));
            tenancy_id += 1;
            let surname = SURNAMES.choose(&mut rng).copied().unwrap_or("Smith");
            let sex = if rng.random_bool(0.55) { 'F' } else { 'M' };
            let first = person_name(&mut rng, sex);
            let reference = format!("TEN{:07}", tenancy_id + 1_000_000);
            w.row(
                "tenancies",
                &cols_t,
                vec![
                    V::I(tenancy_id),
                    V::S(reference.clone()),
                    V::I(home_id),
                    V::s("secure"),
                    V::s("ended"),
                    date(start),
                    date(end),
                    V::N,
                    V::N,
                    V::N,
                    V::N,
                    V::s("community_hmo"),
                    V::S(format!("{} {} {}", reference.to_lowercase(), first.to_lowercase(), surname.to_lowercase())),
                    V::I(1),
                    instant(start, 9),
                ],
            );
            member_id += 1;
            let dob = start - Days::days(rng.random_range(20 * 365..60 * 365));
            w.row(
                "household_members",
                &cols_m,
                vec![
                    V::I(member_id),
                    V::I(tenancy_id),
                    V::S(first),
                    V::s(surname),
                    date(dob),
                    V::S(sex.to_string()),
                    V::s("tenant"),
                    V::I(1),
                    V::S(String::new()),
                    V::S(String::new()),
                    date(start),
                ],
            );
            end + Days::days(rng.random_range(14..120))
        } else {
            today - Days::days(30 * 365)
        };
        if void {
            continue;
        }
        let roll: f64 = rng.random();
        let (tenure, start) = if roll < 0.01 && missed_reviews_left[area] > 0 {
            // Past the anniversary with no decision recorded: the review clock is overdue.
            missed_reviews_left[area] -= 1;
            (Tenure::Introductory, today - Days::days(rng.random_range(367..385)))
        } else if roll < 0.095 {
            (Tenure::Introductory, today - Days::days(rng.random_range(5..360)))
        } else if roll < 0.11 {
            (Tenure::ExtendedIntroductory, today - Days::days(rng.random_range(370..540)))
        } else if roll < 0.125 && homes[hi].ptype == PropertyType::Flat {
            (Tenure::Leasehold, today - Days::days(rng.random_range(800..9000)))
        } else {
            (Tenure::Secure, today - Days::days(rng.random_range(400..(today - current_start_floor).num_days().max(401))))
        };
        let start = start.max(current_start_floor);
        tenancy_id += 1;
        let tid = tenancy_id;
        let reference = format!("TEN{:07}", tid + 1_000_000);
        let introductory = tenure.is_introductory();
        let owner = if introductory { *ihmos[area].choose(&mut rng).expect("ihmo") } else { chmo };
        let owner_role = if introductory { Role::IntroductoryHmo } else { Role::CommunityHmo };
        let trial_end = introductory.then(|| app::domain::clock::trial_end(start, tenure == Tenure::ExtendedIntroductory));
        let (ext_reason, notice) = if tenure == Tenure::ExtendedIntroductory {
            let reason = *["arrears", "nuisance", "property_condition", "other"].choose(&mut rng).unwrap_or(&"arrears");
            let first_end = app::domain::clock::trial_end(start, false);
            (V::s(reason), date(app::domain::clock::extension_notice_last_day(first_end) - Days::days(rng.random_range(1..20))))
        } else {
            (V::N, V::N)
        };

        // The household: shaped so that under-occupation and overcrowding both occur.
        let surname = SURNAMES.choose(&mut rng).copied().unwrap_or("Smith").to_string();
        let kind: f64 = rng.random();
        let mut people: Vec<(String, NaiveDate, char, Relationship, bool)> = Vec::new();
        let adult_dob = |rng: &mut ChaCha8Rng, lo: i64, hi: i64| today - Days::days(rng.random_range(lo * 365..hi * 365));
        let sex1 = if rng.random_bool(0.6) { 'F' } else { 'M' };
        let older = kind < 0.18 || (bedrooms >= 3 && kind < 0.26);
        let lead_dob = if older { adult_dob(&mut rng, 66, 92) } else { adult_dob(&mut rng, 19, 64) };
        people.push((person_name(&mut rng, sex1), lead_dob, sex1, Relationship::Tenant, true));
        let couple = rng.random_bool(if older { 0.35 } else { 0.45 });
        if couple {
            let sex2 = if sex1 == 'F' { 'M' } else { 'F' };
            let joint = rng.random_bool(0.5);
            let dob2 = lead_dob + Days::days(rng.random_range(-1500..1500));
            people.push((person_name(&mut rng, sex2), dob2, sex2, if joint { Relationship::JointTenant } else { Relationship::Partner }, joint));
        }
        if !older {
            let kids = match bedrooms {
                0 | 1 => {
                    if rng.random_bool(0.12) {
                        rng.random_range(1..=3)
                    } else {
                        0
                    }
                }
                2 => rng.random_range(0..=3),
                3 => rng.random_range(0..=4),
                _ => rng.random_range(1..=6),
            };
            for _ in 0..kids {
                let sex = if rng.random_bool(0.5) { 'F' } else { 'M' };
                let age_days = rng.random_range(100..(20 * 365).min((today - lead_dob).num_days() - 16 * 365).max(101));
                let dob = today - Days::days(age_days);
                people.push((person_name(&mut rng, sex), dob, sex, Relationship::Child, false));
            }
        }
        if older && rng.random_bool(0.04) {
            people.push((person_name(&mut rng, 'F'), adult_dob(&mut rng, 25, 55), 'F', Relationship::Carer, false));
        }
        let mut tenant_names = Vec::new();
        let mut facts = app::domain::referral::TenantFacts {
            address: format!("{}, {}", homes[hi].address, homes[hi].postcode),
            tenure: tenure.label().to_string(),
            ..Default::default()
        };
        for (pi, (first, dob, sex, rel, is_tenant)) in people.iter().enumerate() {
            member_id += 1;
            let last = if *rel == Relationship::Carer { SURNAMES.choose(&mut rng).copied().unwrap_or("Smith").to_string() } else { surname.clone() };
            if *is_tenant {
                tenant_names.push(format!("{first} {last}"));
            }
            let phone = if *is_tenant { format!("07{:03} {:06}", rng.random_range(700..999), rng.random_range(0..999_999)) } else { String::new() };
            let email = if *is_tenant && rng.random_bool(0.6) {
                format!("{}.{}@example.com", first.to_lowercase(), last.to_lowercase().replace('\'', ""))
            } else {
                String::new()
            };
            if pi == 0 {
                facts.name = format!("{first} {last}");
                facts.phone = phone.clone();
                facts.email = email.clone();
                facts.date_of_birth = dob.to_string();
            } else {
                let age = app::domain::occupancy::age_on(*dob, today);
                facts.household.push(app::domain::referral::SharedPerson { name: format!("{first} {last}"), relationship: rel.label().to_string(), age });
            }
            w.row(
                "household_members",
                &cols_m,
                vec![
                    V::I(member_id),
                    V::I(tid),
                    V::S(first.clone()),
                    V::S(last),
                    date(*dob),
                    V::S(sex.to_string()),
                    V::s(rel.as_str()),
                    V::I(*is_tenant as i64),
                    V::S(phone),
                    V::S(email),
                    date(start.max(*dob)),
                ],
            );
        }
        let search = app::domain::search::index_text(&[&reference, &tenant_names.join(" "), &homes[hi].address, "York"], &homes[hi].postcode);
        w.row(
            "tenancies",
            &cols_t,
            vec![
                V::I(tid),
                V::S(reference.clone()),
                V::I(home_id),
                V::s(tenure.as_str()),
                V::s("active"),
                date(start),
                V::N,
                trial_end.map(date).unwrap_or(V::N),
                ext_reason,
                notice,
                V::I(owner),
                V::s(owner_role.as_str()),
                V::S(search),
                V::I(1),
                instant(start, 9),
            ],
        );

        // Ownership history: allocation, and the secure handover for tenancies that passed their trial.
        transfer_id += 1;
        let secure_after_trial = tenure == Tenure::Secure && (today - start).num_days() < 6 * 365;
        let first_owner = if secure_after_trial { *ihmos[area].choose(&mut rng).expect("ihmo") } else { owner };
        let first_role = if secure_after_trial || introductory { Role::IntroductoryHmo } else { Role::CommunityHmo };
        w.row(
            "transfers",
            &cols_tr,
            vec![
                V::I(transfer_id),
                V::s("tenancy"),
                V::I(tid),
                V::s("allocation"),
                V::s("completed"),
                V::N,
                V::N,
                V::I(first_owner),
                V::s(first_role.as_str()),
                V::s("New tenancy signed up"),
                V::I(team_leaders[area]),
                V::N,
                instant(start, 10),
                instant(start, 10),
                instant(start, 10),
            ],
        );
        if secure_after_trial {
            let at = app::domain::clock::trial_end(start, false);
            transfer_id += 1;
            w.row(
                "transfers",
                &cols_tr,
                vec![
                    V::I(transfer_id),
                    V::s("tenancy"),
                    V::I(tid),
                    V::s("secure_handover"),
                    V::s("completed"),
                    V::I(first_owner),
                    V::s("introductory_hmo"),
                    V::I(chmo),
                    V::s("community_hmo"),
                    V::s("Introductory review: made secure"),
                    V::I(first_owner),
                    V::I(team_leaders[area]),
                    instant(at - Days::days(20), 11),
                    instant(at - Days::days(14), 15),
                    instant(at, 9),
                ],
            );
        }

        // Rent: most accounts clear, a tail over £150 and over £1,000.
        let weekly = 8_500 + bedrooms * 1_100 + rng.random_range(0..900);
        let r: f64 = rng.random();
        let balance = if r < 0.62 {
            -rng.random_range(0..weekly * 2) * (rng.random_bool(0.5) as i64)
        } else if r < 0.83 {
            rng.random_range(1..15_000)
        } else if r < 0.97 {
            rng.random_range(15_001..100_000)
        } else {
            rng.random_range(100_001..450_000)
        };
        let uc = rng.random_bool(0.38);
        w.row(
            "rent_accounts",
            &["id", "tenancy_id", "weekly_rent_pence", "balance_pence", "universal_credit", "updated_at"],
            vec![V::I(tid), V::I(tid), V::I(weekly), V::I(balance), V::I(uc as i64), instant(today, 6)],
        );
        let monday = today - Days::days(today.weekday().num_days_from_monday() as i64);
        for week in 0..weeks_of_rent {
            let day = monday - Days::days(7 * week);
            if day < start {
                break;
            }
            txn_id += 1;
            w.row(
                "rent_transactions",
                &["id", "account_id", "posted_on", "kind", "amount_pence", "description"],
                vec![V::I(txn_id), V::I(tid), date(day), V::s("charge"), V::I(weekly), V::s("Weekly rent")],
            );
            let paid = if balance > 15_000 && rng.random_bool(0.45) {
                0
            } else if balance > 0 {
                weekly - rng.random_range(0..weekly / 3)
            } else {
                weekly
            };
            if paid > 0 {
                txn_id += 1;
                let kind = if uc { RentTransactionKind::UniversalCredit } else { RentTransactionKind::Payment };
                w.row(
                    "rent_transactions",
                    &["id", "account_id", "posted_on", "kind", "amount_pence", "description"],
                    vec![
                        V::I(txn_id),
                        V::I(tid),
                        date(day + Days::days(rng.random_range(0..5))),
                        V::s(kind.as_str()),
                        V::I(-paid),
                        V::s(if uc { "UC housing costs" } else { "Payment, thank you" }),
                    ],
                );
            }
        }
        active.push(Active {
            id: tid,
            home: hi,
            tenure,
            start,
            owner,
            balance,
            facts: app::domain::referral::TenantFacts { rent_balance: Some(Pence(balance)), ..facts },
        });
    }
    w.flush().await?;
    report.tenancies = active.len();

    // --- Alerts, visits and findings ----------------------------------------------------------------
    bar.inc(1);
    bar.set_message("alerts and visits");
    let mut alert_id = 0i64;
    let mut visit_id = 0i64;
    let mut finding_id = 0i64;
    let cols_v = ["id", "property_id", "tenancy_id", "visit_type", "officer_id", "scheduled_for", "completed_at", "outcome", "notes"];
    for t in &active {
        if rng.random_bool(0.08) {
            alert_id += 1;
            let (kind, text) = *[
                (AlertKind::Vulnerability, "Tenant has a learning disability: explain letters in person"),
                (AlertKind::RiskToStaff, "Visit in pairs: aggressive dog and a history of threats to staff"),
                (AlertKind::Disability, "Wheelchair user: level access and ground-floor meetings"),
                (AlertKind::Interpreter, "Polish interpreter needed for visits"),
                (AlertKind::Vulnerability, "Hoarding: fire service referral made"),
            ]
            .choose(&mut rng)
            .expect("alert");
            w.row(
                "alerts",
                &["id", "tenancy_id", "property_id", "kind", "description", "created_by", "created_at", "ends_on"],
                vec![
                    V::I(alert_id),
                    V::I(t.id),
                    V::N,
                    V::s(kind.as_str()),
                    V::s(text),
                    V::I(t.owner),
                    instant(t.start + Days::days(rng.random_range(10..200)), 12),
                    V::N,
                ],
            );
        }
        let home = &homes[t.home];
        let mut visit = |w: &mut Writer, rng: &mut ChaCha8Rng, vt: VisitType, on: NaiveDate, officer: i64| {
            visit_id += 1;
            let no_access = rng.random_bool(0.08);
            let outcome = if on > today {
                VisitOutcome::Scheduled
            } else if no_access {
                VisitOutcome::NoAccess
            } else {
                VisitOutcome::Completed
            };
            w.row(
                "visits",
                &cols_v,
                vec![
                    V::I(visit_id),
                    V::I(home.id),
                    V::I(t.id),
                    V::s(vt.as_str()),
                    V::I(officer),
                    date(on),
                    if outcome == VisitOutcome::Completed { instant(on, 11) } else { V::N },
                    V::s(outcome.as_str()),
                    V::S(String::new()),
                ],
            );
            if outcome == VisitOutcome::Completed && rng.random_bool(0.1) {
                finding_id += 1;
                let kind = *[
                    FindingKind::Disrepair,
                    FindingKind::UnderOccupation,
                    FindingKind::Vulnerability,
                    FindingKind::FireRisk,
                    FindingKind::UnauthorisedAlteration,
                    FindingKind::Safeguarding,
                ]
                .choose(rng)
                .expect("finding");
                let actioned = (today - on).num_days() > 10 || rng.random_bool(0.5);
                w.row(
                    "visit_findings",
                    &["id", "visit_id", "kind", "detail", "due_at", "actioned_at"],
                    vec![
                        V::I(finding_id),
                        V::I(visit_id),
                        V::s(kind.as_str()),
                        V::s("Recorded at visit"),
                        instant(on + Days::days(2), 17),
                        if actioned { instant(on + Days::days(1), 15) } else { V::N },
                    ],
                );
            }
        };
        if t.tenure.is_introductory() {
            visit(&mut w, &mut rng, VisitType::SignUp, t.start, t.owner);
            if (today - t.start).num_days() > 42 {
                let on = t.start + Days::days(rng.random_range(28..42));
                visit(&mut w, &mut rng, VisitType::SettlingIn, on, t.owner);
            }
        } else if rng.random_bool(0.88) {
            let mut on = today - Days::days(rng.random_range(1..730));
            while on > t.start && on > today - Days::days(6 * 365) {
                visit(&mut w, &mut rng, VisitType::HomeCheck, on, t.owner);
                on -= Days::days(rng.random_range(600..800));
            }
        }
        if t.balance > 50_000 && rng.random_bool(0.4) {
            let on = today - Days::days(rng.random_range(3..90));
            visit(&mut w, &mut rng, VisitType::Arrears, on, t.owner);
        }
    }
    w.flush().await?;
    report.visits = visit_id as usize;

    // --- Cases in every role ----------------------------------------------------------------------
    bar.inc(1);
    bar.set_message("cases");
    let mut case_id = 0i64;
    let cols_c = [
        "id",
        "reference",
        "kind",
        "tenancy_id",
        "property_id",
        "title",
        "summary",
        "status",
        "stage",
        "restricted",
        "owner_id",
        "owner_role",
        "area_team_id",
        "opened_at",
        "due_at",
        "closed_at",
        "version",
        "plan_agreed_on",
        "next_review_on",
    ];
    let cols_pa = ["case_id", "description", "owner_kind", "owner_name", "due_on", "status", "note", "created_by", "created_at", "version"];
    let cols_w =
        ["flow", "subject_type", "subject_id", "state", "outcome", "reason", "detail", "area_team_id", "proposed_by", "proposed_at", "due_at", "version"];
    let calendar = app::domain::clock::WorkingCalendar::england_and_wales();
    // Per area: plans and referrals seeded so far (the first ones are made late or nearly due,
    // so every area's Team Leader sees both kinds of clock whatever the size of the council).
    let mut plans_in_area = [0usize; 3];
    let mut referrals_in_area = [0usize; 3];
    const PLAN_ACTIONS: [(&str, &str, &str); 6] = [
        ("Set up a repayment plan and a Universal Credit managed payment", "officer", ""),
        ("Attend the money advice appointment", "tenant", ""),
        ("Needs assessment and care package review", "agency", "Adult Social Care"),
        ("Declutter the hallway and kitchen with support", "tenant", ""),
        ("Mediation session with the neighbours at number 12", "agency", "Mediation service"),
        ("Fire safety home visit", "agency", "Fire and rescue"),
    ];
    for t in &active {
        let area = homes[t.home].area;
        let chmo = chmo_of_patch[&homes[t.home].patch];
        let mut cases: Vec<(CaseKind, i64, Role, &str, String)> = Vec::new();
        if t.balance > 50_000 {
            cases.push((CaseKind::Arrears, chmo, Role::CommunityHmo, "Contact ladder", format!("Arrears of {}", Pence(t.balance).pounds())));
        }
        let r: f64 = rng.random();
        if r < 0.02 {
            cases.push((CaseKind::Asb, chmo, Role::CommunityHmo, "Investigation", "Noise and verbal abuse reported by neighbours".into()));
        } else if r < 0.03 {
            cases.push((CaseKind::NeighbourDispute, chmo, Role::CommunityHmo, "Mediation offered", "Boundary and parking dispute with neighbour".into()));
        } else if r < 0.038 || (r > 0.9 && plans_in_area[area] < 3) {
            let st = *sthmos[area].choose(&mut rng).expect("sthmo");
            cases.push((CaseKind::Sustainment, st, Role::SustainableHmo, "Action plan", "Tenancy at risk: hoarding, arrears and isolation".into()));
        } else if r < 0.041 {
            let kind = if rng.random_bool(0.6) { CaseKind::DomesticAbuse } else { CaseKind::Safeguarding };
            cases.push((
                kind,
                chmo,
                Role::CommunityHmo,
                "Safety planning",
                if kind == CaseKind::DomesticAbuse {
                    "Domestic abuse disclosed; MARAC referral".into()
                } else {
                    "Safeguarding concern about a child in the household".into()
                },
            ));
        } else if r < 0.043 {
            cases.push((CaseKind::Asb, chmo, Role::AsbOfficer, "Evidence review", "Escalated to the Community Safety Hub: drug dealing reported".into()));
        }
        // Introductory reviews are not cases: the tenancy's trial clock and its workflow items carry them.
        for (kind, owner, role, stage, title) in cases {
            case_id += 1;
            let opened = today - Days::days(rng.random_range(3..200));
            let closed = kind != CaseKind::IntroductoryReview && rng.random_bool(0.3) && !(role == Role::SustainableHmo && plans_in_area[area] < 3);
            let due = if kind == CaseKind::IntroductoryReview {
                app::domain::clock::trial_end(t.start, false)
            } else {
                today + Days::days(rng.random_range(-20..40))
            };
            let owner = if role == Role::AsbOfficer { users.iter().find(|u| u.1 == Role::AsbOfficer).map(|u| u.0).unwrap_or(owner) } else { owner };
            let restricted = kind.is_restricted();
            // Sustainment cases carry a plan agreed with the tenant: actions, some done, some late,
            // and a review date that is the case's clock (some reviews overdue, some due soon).
            let mut due = due;
            let (mut agreed, mut review) = (V::N, V::N);
            if role == Role::SustainableHmo && !closed {
                let agreed_on = (opened + Days::days(7)).min(today);
                let offset = match plans_in_area[area] {
                    0 => -3,
                    1 => 2,
                    _ => rng.random_range(-10..28),
                };
                plans_in_area[area] += 1;
                let review_on = today + Days::days(offset);
                due = review_on;
                (agreed, review) = (date(agreed_on), date(review_on));
                for k in 0..rng.random_range(2..5usize) {
                    let (text, kind, name) = PLAN_ACTIONS[(case_id as usize + k) % PLAN_ACTIONS.len()];
                    let due_on = agreed_on + Days::days(rng.random_range(7..70));
                    let status = if due_on < today && rng.random_bool(0.6) { "done" } else { "open" };
                    w.row(
                        "plan_actions",
                        &cols_pa,
                        vec![
                            V::I(case_id),
                            V::s(text),
                            V::s(kind),
                            V::s(name),
                            date(due_on),
                            V::s(status),
                            V::S(String::new()),
                            V::I(owner),
                            instant(agreed_on, 11),
                            V::I(1),
                        ],
                    );
                }
                // About one in eight plans is met and proposed for hand-back, waiting for the Community HMO.
                if rng.random_bool(0.12) {
                    let proposed = today - Days::days(rng.random_range(0..9));
                    w.row(
                        "workflow_items",
                        &cols_w,
                        vec![
                            V::s("hand_back"),
                            V::s("case"),
                            V::I(case_id),
                            V::s("proposed"),
                            V::s("community_hmo"),
                            V::s("Plan met: rent account up to date, support in place, no reports for eight weeks"),
                            V::S(String::new()),
                            V::I(area as i64 + 1),
                            V::I(owner),
                            instant(proposed, 10),
                            instant(app::domain::sustain::due_after(proposed, app::domain::sustain::HAND_BACK_WORKING_DAYS, calendar), 23),
                            V::I(1),
                        ],
                    );
                }
            }
            // Some ASB and neighbour cases are waiting for the Team Leader's decision on a referral.
            if role == Role::CommunityHmo
                && !closed
                && matches!(kind, CaseKind::Asb | CaseKind::NeighbourDispute)
                && (referrals_in_area[area] == 0 || rng.random_bool(0.2))
            {
                let proposed = today - Days::days(if referrals_in_area[area] == 0 { 10 } else { rng.random_range(0..10) });
                referrals_in_area[area] += 1;
                let text = app::domain::sustain::ReferralText {
                    concerns: format!("{title}; the household is struggling to sustain the tenancy"),
                    risks: "Loss of the tenancy; escalating conflict with neighbours".into(),
                    tried: "Warning letters, two home visits, mediation offered".into(),
                };
                w.row(
                    "workflow_items",
                    &cols_w,
                    vec![
                        V::s("referral_to_sustainable"),
                        V::s("case"),
                        V::I(case_id),
                        V::s("proposed"),
                        V::s("sustainable_hmo"),
                        V::S(text.concerns.clone()),
                        V::S(text.to_detail()),
                        V::I(area as i64 + 1),
                        V::I(owner),
                        instant(proposed, 10),
                        instant(app::domain::sustain::due_after(proposed, app::domain::sustain::REFERRAL_DECISION_WORKING_DAYS, calendar), 23),
                        V::I(1),
                    ],
                );
            }
            w.row(
                "cases",
                &cols_c,
                vec![
                    V::I(case_id),
                    V::S(format!("CAS{:06}", case_id + 200_000)),
                    V::s(kind.as_str()),
                    V::I(t.id),
                    V::I(homes[t.home].id),
                    V::S(title),
                    V::S(String::new()),
                    V::s(if closed { "closed" } else { "open" }),
                    V::s(stage),
                    V::I(restricted as i64),
                    V::I(owner),
                    V::s(role.as_str()),
                    V::I(area as i64 + 1),
                    instant(opened, 10),
                    if closed { V::N } else { instant(due, 17) },
                    if closed { instant(opened + Days::days(rng.random_range(5..60)), 16) } else { V::N },
                    V::I(1),
                    agreed,
                    review,
                ],
            );
            transfer_id += 1;
            w.row(
                "transfers",
                &cols_tr,
                vec![
                    V::I(transfer_id),
                    V::s("case"),
                    V::I(case_id),
                    V::s("allocation"),
                    V::s("completed"),
                    V::N,
                    V::N,
                    V::I(owner),
                    V::s(role.as_str()),
                    V::s("Case opened"),
                    V::I(owner),
                    V::N,
                    instant(opened, 10),
                    instant(opened, 10),
                    instant(opened, 10),
                ],
            );
            if role == Role::SustainableHmo {
                transfer_id += 1;
                w.row(
                    "transfers",
                    &cols_tr,
                    vec![
                        V::I(transfer_id),
                        V::s("case"),
                        V::I(case_id),
                        V::s("referral_to_sustainable"),
                        V::s("completed"),
                        V::I(chmo),
                        V::s("community_hmo"),
                        V::I(owner),
                        V::s("sustainable_hmo"),
                        V::s("Complex needs beyond the patch: referred for a sustainment plan"),
                        V::I(chmo),
                        V::I(team_leaders[area]),
                        instant(opened, 11),
                        instant(opened + Days::days(2), 14),
                        instant(opened + Days::days(2), 14),
                    ],
                );
            }
            if restricted {
                w.row(
                    "access_grants",
                    &["subject_type", "subject_id", "user_id", "granted_by", "granted_at"],
                    vec![V::s("case"), V::I(case_id), V::I(team_leaders[area]), V::I(owner), instant(opened, 10)],
                );
            }
        }
    }
    w.flush().await?;
    report.cases = case_id as usize;

    // --- Referrals to partner agencies, in every state --------------------------------------------
    bar.inc(1);
    bar.set_message("referrals and feedback");
    let mut referral_id = 0i64;
    let mut message_id = 0i64;
    let statuses = ReferralStatus::ALL;
    let n_ref = (active.len() / 40).max(30);
    for k in 0..n_ref {
        let t = &active[rng.random_range(0..active.len())];
        let area = homes[t.home].area;
        let agency = (k % agency_defs.len()) as i64 + 1;
        let (kind, _, _) = agency_defs[(agency - 1) as usize];
        let category = match kind {
            AgencyKind::AdultSocialCare => ReferralCategory::Support,
            // Every other round of the police's referrals is MAPPA (restricted).
            AgencyKind::Police => {
                if (k / (agency_defs.len() * statuses.len())) % 2 == 1 {
                    ReferralCategory::Mappa
                } else {
                    ReferralCategory::Crime
                }
            }
            AgencyKind::MentalHealth => ReferralCategory::MentalHealth,
            AgencyKind::Mediation => ReferralCategory::Mediation,
            AgencyKind::ChildrensServices => ReferralCategory::Safeguarding,
            AgencyKind::Fire => ReferralCategory::FireSafety,
            AgencyKind::DrugIntervention => ReferralCategory::Substance,
            AgencyKind::FinancialInclusion => ReferralCategory::Financial,
            AgencyKind::Marac => ReferralCategory::Marac,
        };
        // The agency turns fastest, so every agency has referrals in every state.
        let status = statuses[(k / agency_defs.len()) % statuses.len()];
        let urgency = *Urgency::ALL.choose(&mut rng).expect("urgency");
        // Referrals awaiting an answer are recent, so some are on time and some overdue.
        let created = today - Days::days(if status == ReferralStatus::Sent { rng.random_range(1..16) } else { rng.random_range(1..120) });
        let sent = (status != ReferralStatus::Draft).then(|| created + Days::days(1));
        let due_days = match urgency {
            Urgency::Emergency => 0,
            Urgency::Urgent => 2,
            Urgency::Standard => 10,
        };
        let cal = app::domain::clock::WorkingCalendar::england_and_wales();
        let due = sent.map(|s| cal.add_working_days(s, due_days));
        referral_id += 1;
        let responded = matches!(status, ReferralStatus::Accepted | ReferralStatus::Declined | ReferralStatus::InProgress | ReferralStatus::Closed)
            .then(|| sent.unwrap_or(created) + Days::days(rng.random_range(0..4)));
        let fields = app::domain::referral::default_fields(kind, category);
        let codes: Vec<&str> = fields.iter().map(|f| f.as_str()).collect();
        let snapshot = if sent.is_some() { serde_json::to_string(&app::domain::referral::share(&t.facts, &fields))? } else { "{}".to_string() };
        w.row(
            "referrals",
            &[
                "id",
                "reference",
                "tenancy_id",
                "case_id",
                "agency_id",
                "category",
                "reason",
                "urgency",
                "shared_fields",
                "lawful_basis",
                "consent_given_on",
                "consent_how",
                "contact_name",
                "contact_detail",
                "status",
                "decline_reason",
                "outcome",
                "restricted",
                "created_by",
                "area_team_id",
                "created_at",
                "sent_at",
                "responded_at",
                "due_at",
                "closed_at",
                "version",
                "shared_data",
                "basis_detail",
            ],
            vec![
                V::I(referral_id),
                V::S(format!("REF{:06}", referral_id + 300_000)),
                V::I(t.id),
                V::N,
                V::I(agency),
                V::s(category.as_str()),
                V::S(referral_reason(category)),
                V::s(urgency.as_str()),
                V::S(serde_json::to_string(&codes)?),
                V::s(if category.is_restricted() { LawfulBasis::VitalInterests.as_str() } else { LawfulBasis::Consent.as_str() }),
                if category.is_restricted() { V::N } else { date(created) },
                if category.is_restricted() { V::N } else { V::s("Verbally, at a home visit") },
                V::S(users.iter().find(|u| u.0 == t.owner).map(|u| u.3.clone()).unwrap_or_default()),
                V::s("01904 551550"),
                V::s(status.as_str()),
                if status == ReferralStatus::Declined { V::s("Does not meet eligibility criteria; signposted to community support") } else { V::N },
                if status == ReferralStatus::Closed { V::s("Support package in place; tenancy stable") } else { V::N },
                V::I(category.is_restricted() as i64),
                V::I(t.owner),
                V::I(area as i64 + 1),
                instant(created, 10),
                sent.map(|s| instant(s, 10)).unwrap_or(V::N),
                responded.map(|d| instant(d, 14)).unwrap_or(V::N),
                due.map(|d| instant(d, 17)).unwrap_or(V::N),
                // Ended: closed yesterday, or declined when the agency answered (as the app records it).
                match (status, responded) {
                    (ReferralStatus::Closed, _) => instant(today - Days::days(1), 12),
                    (ReferralStatus::Declined, Some(d)) => instant(d, 14),
                    _ => V::N,
                },
                V::I(1),
                V::S(snapshot),
                if category.is_restricted() { V::s("Serious risk of harm: MARAC / safeguarding threshold met (risk assessment on file)") } else { V::s("") },
            ],
        );
        let agency_user = users.iter().filter(|u| u.1 == Role::Partner).nth((agency - 1) as usize).map(|u| u.0).unwrap_or(t.owner);
        let cols_msg = ["id", "referral_id", "author_id", "body", "created_at", "side"];
        if let Some(answered) = responded {
            message_id += 1;
            let body = if status == ReferralStatus::Declined {
                "Declined: does not meet eligibility criteria; signposted to community support."
            } else {
                "Accepted. We have allocated a worker who will make contact this week."
            };
            w.row(
                "referral_messages",
                &cols_msg,
                vec![V::I(message_id), V::I(referral_id), V::I(agency_user), V::s(body), instant(answered, 15), V::s("agency")],
            );
            // Some accepted referrals have a question from the agency that the officer has not yet answered.
            if matches!(status, ReferralStatus::Accepted | ReferralStatus::InProgress) && k % 3 == 0 {
                message_id += 1;
                w.row(
                    "referral_messages",
                    &cols_msg,
                    vec![
                        V::I(message_id),
                        V::I(referral_id),
                        V::I(agency_user),
                        V::s("Could you confirm the best time to visit, and whether anyone else should be present?"),
                        instant(answered + Days::days(1), 11),
                        V::s("agency"),
                    ],
                );
            }
        }
        // Restricted referrals name the area's ASB / Community Safety Hub lead, who needs to know.
        if category.is_restricted()
            && k % 2 == 0
            && let Some(asb) = users.iter().find(|u| u.1 == Role::AsbOfficer)
        {
            w.row(
                "access_grants",
                &["subject_type", "subject_id", "user_id", "granted_by", "granted_at"],
                vec![V::s("referral"), V::I(referral_id), V::I(asb.0), V::I(t.owner), instant(created, 11)],
            );
        }
    }
    report.referrals = referral_id as usize;

    // --- Feedback links and responses over the last 12 months -------------------------------------
    let scale = ["very_satisfied", "fairly_satisfied", "neither", "fairly_dissatisfied", "very_dissatisfied", "dont_know"];
    let weights = [32u32, 34, 12, 9, 8, 5];
    let alphabet: Vec<char> = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".chars().collect();
    let mut link_ids = Vec::new();
    // A dozen patch links spread over every area team (patches are listed area by area).
    for (pid, _, _, _) in patches.iter().step_by((patches.len() / 12).max(1)).take(12) {
        let token: String = (0..22).map(|_| *alphabet.choose(&mut rng).expect("char")).collect();
        let id = link_ids.len() as i64 + 1;
        w.row(
            "feedback_links",
            &["id", "token", "scope_type", "scope_id", "created_by", "created_at", "active", "label"],
            vec![
                V::I(id),
                V::S(token),
                V::s("patch"),
                V::I(*pid),
                V::I(chmo_of_patch[pid]),
                instant(today - Days::days(365), 9),
                V::I(1),
                V::S(format!("Patch {}", patches[(*pid - 1) as usize].2)),
            ],
        );
        link_ids.push((id, *pid));
    }
    // One link per partner agency, for the partner form (sent to the agency's referrals team).
    let mut partner_links = Vec::new();
    for (i, (_, name, _)) in agency_defs.iter().enumerate() {
        let token: String = (0..22).map(|_| *alphabet.choose(&mut rng).expect("char")).collect();
        let id = (link_ids.len() + partner_links.len()) as i64 + 1;
        w.row(
            "feedback_links",
            &["id", "token", "scope_type", "scope_id", "created_by", "created_at", "active", "label"],
            vec![
                V::I(id),
                V::S(token),
                V::s("partner"),
                V::I(i as i64 + 1),
                V::I(admin_id),
                instant(today - Days::days(200), 9),
                V::I(1),
                V::S(format!("Partner feedback: {name}")),
            ],
        );
        partner_links.push((id, i as i64 + 1));
    }
    let pick = |rng: &mut ChaCha8Rng| {
        let total: u32 = weights.iter().sum();
        let mut x = rng.random_range(0..total);
        for (i, wgt) in weights.iter().enumerate() {
            if x < *wgt {
                return scale[i];
            }
            x -= wgt;
        }
        scale[0]
    };
    let comments = [
        "My officer was brilliant and sorted the repair quickly.",
        "Nobody got back to me about the noise next door.",
        "Kept me informed all the way through.",
        "",
        "",
        "Would like more visits on the estate.",
        "The new officer listens, which makes a change.",
    ];
    for k in 0..(opts.homes / 25).clamp(100, 2000) {
        let (link, pid) = link_ids[k % link_ids.len()];
        let area = patches[(pid - 1) as usize].1;
        // TP08 is an agreement scale: the same spread, in its own words.
        let agree = |a: &'static str| -> &'static str {
            match a {
                "very_satisfied" => "strongly_agree",
                "fairly_satisfied" => "agree",
                "fairly_dissatisfied" => "disagree",
                "very_dissatisfied" => "strongly_disagree",
                other => other,
            }
        };
        let tp08 = agree(pick(&mut rng));
        let mut answers = serde_json::json!({"TP01": pick(&mut rng), "TP06": pick(&mut rng), "TP07": pick(&mut rng), "TP08": tp08, "HMO1": pick(&mut rng)});
        // About one tenant in five has had anti-social behaviour handled (TP12); the rest skip it or say not applicable.
        if rng.random_range(0..5) == 0 {
            answers["TP12"] = serde_json::Value::from(pick(&mut rng));
        }
        let day = today - Days::days(rng.random_range(0..365));
        w.row(
            "feedback_responses",
            &[
                "id",
                "link_id",
                "respondent_kind",
                "officer_id",
                "officer_role",
                "patch_id",
                "area_team_id",
                "agency_id",
                "submitted_at",
                "answers",
                "comment",
                "contact_name",
                "contact_detail",
                "idempotency_key",
            ],
            vec![
                V::I(k as i64 + 1),
                V::I(link),
                V::s("tenant"),
                V::I(chmo_of_patch[&pid]),
                V::s("community_hmo"),
                V::I(pid),
                V::I(area as i64 + 1),
                V::N,
                instant(day, rng.random_range(8..21)),
                V::S(answers.to_string()),
                V::s(comments.choose(&mut rng).copied().unwrap_or("")),
                V::N,
                V::N,
                V::S(format!("seed-{}-{k}", opts.seed)),
            ],
        );
    }
    let tenant_responses = (opts.homes / 25).clamp(100, 2000);
    let partner_comments =
        ["Much clearer who to call since the Sustainable Tenancy role started.", "", "Referrals often arrive without the risk information we need."];
    for k in 0..30 {
        let (link, agency) = partner_links[k % partner_links.len()];
        let agree_pick = |rng: &mut ChaCha8Rng| ["strongly_agree", "agree", "agree", "neither", "disagree", "dont_know"][rng.random_range(0..6)];
        let answers = serde_json::json!({"PA1": pick(&mut rng), "PA2": agree_pick(&mut rng), "PA3": agree_pick(&mut rng)});
        let day = today - Days::days(rng.random_range(0..200));
        w.row(
            "feedback_responses",
            &[
                "id",
                "link_id",
                "respondent_kind",
                "officer_id",
                "officer_role",
                "patch_id",
                "area_team_id",
                "agency_id",
                "submitted_at",
                "answers",
                "comment",
                "contact_name",
                "contact_detail",
                "idempotency_key",
            ],
            vec![
                V::I((tenant_responses + k) as i64 + 1),
                V::I(link),
                V::s("partner"),
                V::N,
                V::N,
                V::N,
                V::N,
                V::I(agency),
                instant(day, rng.random_range(8..18)),
                V::S(answers.to_string()),
                V::s(partner_comments.choose(&mut rng).copied().unwrap_or("")),
                V::N,
                V::N,
                V::S(format!("seed-{}-p{k}", opts.seed)),
            ],
        );
    }
    // A second Team Leader for East (a deputy who shares the patch work), with her own random
    // stream so adding her changes nothing else in the demo council.
    let deputy_id = users.iter().map(|u| u.0).max().unwrap_or(0) + 1;
    let mut deputy_rng = ChaCha8Rng::seed_from_u64(opts.seed ^ 0x7e57);
    let deputy = format!("{} {}", person_name(&mut deputy_rng, 'F'), SURNAMES.choose(&mut deputy_rng).copied().unwrap_or("Smith"));
    w.row(
        "users",
        &["id", "username", "display_name", "email", "password_hash", "role", "area_team_id", "agency_id", "active", "created_at"],
        vec![
            V::I(deputy_id),
            V::s("tl.east2"),
            V::S(deputy.clone()),
            V::s("tl.east2@hearth.example"),
            V::S(hash.clone()),
            V::s(Role::TeamLeader.as_str()),
            V::I(1),
            V::N,
            V::I(1),
            V::s("2022-04-01T09:00:00Z"),
        ],
    );
    accounts.push(DemoAccount {
        username: "tl.east2".into(),
        password: DEMO_PASSWORD.into(),
        role: Role::TeamLeader,
        display_name: deputy,
        area: Some(AREAS[0].to_string()),
        note: "deputy Team Leader, East: reshapes patches too".into(),
    });
    w.flush().await?;

    // The Regulator's 2023/24 perception results, so the demo shows the council among its peers.
    let tsm = app::domain::tsm::import_csv(include_str!("../../data/tsm/rsh_tsm_2024_lcra_perception.csv")).map_err(anyhow::Error::msg)?;
    crate::store::feedback::import_tsm(db, "2023-24", &tsm, admin_id, &crate::store::now_rfc3339())
        .await
        .map_err(|e| anyhow::anyhow!("importing TSM data: {e}"))?;

    // PostgreSQL identity columns continue after the ids the seed chose.
    if db.backend == Backend::Postgres {
        for table in [
            "area_teams",
            "wards",
            "agencies",
            "users",
            "estates",
            "blocks",
            "patches",
            "properties",
            "tenancies",
            "household_members",
            "rent_accounts",
            "rent_transactions",
            "alerts",
            "cases",
            "access_grants",
            "transfers",
            "visits",
            "visit_findings",
            "referrals",
            "referral_messages",
            "feedback_links",
            "feedback_responses",
            "plan_actions",
            "workflow_items",
        ] {
            sqlx::query::<sqlx::Any>(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"))
                .execute(&db.pool)
                .await?;
        }
    }
    bar.finish_and_clear();
    accounts.sort_by_key(|a: &DemoAccount| (a.role as u8, a.username.clone()));
    report.accounts = accounts;
    report.elapsed = started.elapsed();
    Ok(report)
}

/// Why a demo referral was made, by category.
fn referral_reason(category: ReferralCategory) -> String {
    match category {
        ReferralCategory::Support => "Tenant struggling with daily living since a fall; needs a care assessment to sustain the tenancy.",
        ReferralCategory::MentalHealth => "Deteriorating mental health reported by neighbours and seen at the home visit; not engaging with the GP.",
        ReferralCategory::Asb => "Repeated noise and harassment reports; diary sheets and witness statements gathered.",
        ReferralCategory::Crime => "Suspected drug dealing from the property reported by several neighbours; evidence log attached to the case.",
        ReferralCategory::Mediation => "Long-running dispute with the neighbours over noise and parking; both households willing to try mediation.",
        ReferralCategory::Financial => "Rent arrears growing since moving to Universal Credit; tenant asked for help with budgeting and benefits.",
        ReferralCategory::FireSafety => "Hoarding seen at the home visit: blocked escape routes and no working smoke alarm.",
        ReferralCategory::Substance => "Alcohol use putting the tenancy at risk; tenant agrees to support.",
        ReferralCategory::Marac => "High-risk domestic abuse disclosed (DASH score 16); safety planning needed.",
        ReferralCategory::Mappa => "Tenant subject to MAPPA management; housing information for the risk panel.",
        ReferralCategory::Safeguarding => "Safeguarding concern about a child in the household seen at the home visit.",
    }
    .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morton_keeps_neighbours_close() {
        let a = morton(53.96, -1.08);
        let b = morton(53.9601, -1.0801);
        let c = morton(53.90, -1.20);
        assert!(a.abs_diff(b) < a.abs_diff(c));
    }

    #[test]
    fn postcode_points_load() {
        let p = load_points().unwrap();
        assert_eq!(p.len(), 5071);
        assert!(p.iter().all(|x| x.postcode.starts_with("YO")));
    }
}
