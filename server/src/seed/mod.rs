//! Demo council generator: a deterministic, realistic council built from a seed, placed on the
//! real York postcode points and wards. `hearth seed` runs it; `hearth serve --demo` runs it on an
//! empty database. Same seed, size and `today` ⇒ the same council (no wall clock, no OS
//! randomness in the data: one `ChaCha8Rng` stream drives everything).
//!
//! Stages: reference data → stock (homes, blocks, estates, patches; built in memory by
//! [`stock`]) → staff and partner agencies → tenancies, households, rent → cases and transfers →
//! alerts, visits and findings → referrals → feedback. Each stage is written with batched
//! multi-row INSERTs in one transaction ([`writer`]), with ids assigned here so rows can refer
//! to each other without `RETURNING`; on PostgreSQL the identity sequences are moved past them.
//!
//! Demo accounts share one argon2id hash of [`DEMO_PASSWORD`] (hashed once per seed, so they
//! share a salt): acceptable for published demo credentials only, and it keeps seeding fast.

mod geo;
mod names;
mod people;
mod stock;
mod writer;

#[cfg(test)]
mod tests;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use app::domain::clock::{Deadline, WorkingCalendar};
use app::domain::*;
use chrono::{DateTime, Datelike, Duration as Days, Months, NaiveDate, Utc};
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use sqlx::Row;

use crate::db::{Backend, Db};
use geo::AREAS;
use names::GROUPS;
use people::Household;
use stock::Stock;
use writer::{V, Writer};

pub const DEMO_PASSWORD: &str = "hearth-demo-2026";

pub struct SeedOptions {
    /// Number of homes (7,400 is York-sized; 60,000 the largest councils).
    pub homes: usize,
    /// Random seed: the same seed (and homes and today) gives the same council.
    pub seed: u64,
    /// Show a progress bar on stderr.
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

/// True when no properties exist yet (the seed only runs on an empty council).
pub async fn is_empty(db: &Db) -> anyhow::Result<bool> {
    let n: i64 = sqlx::query::<sqlx::Any>("SELECT COUNT(*) FROM properties").fetch_one(&db.pool).await?.try_get(0)?;
    Ok(n == 0)
}

// ---------------------------------------------------------------------------------------------
// Small helpers

fn date(d: NaiveDate) -> V {
    V::S(d.to_string())
}

/// An RFC 3339 UTC instant on `d` at `hour:minute`.
fn at(d: NaiveDate, hour: u32, minute: u32) -> V {
    V::S(format!("{d}T{hour:02}:{minute:02}:00Z"))
}

fn instant(t: DateTime<Utc>) -> V {
    V::S(t.format("%Y-%m-%dT%H:%M:%SZ").to_string())
}

fn utc(d: NaiveDate, hour: u32, minute: u32) -> DateTime<Utc> {
    d.and_hms_opt(hour, minute, 0).expect("valid time").and_utc()
}

fn opt<T>(v: Option<T>, f: impl FnOnce(T) -> V) -> V {
    v.map(f).unwrap_or(V::N)
}

fn pick<'a>(rng: &mut ChaCha8Rng, items: &[&'a str]) -> &'a str {
    items.choose(rng).copied().unwrap_or("")
}

fn weighted<T: Copy>(rng: &mut ChaCha8Rng, items: &[(T, u32)]) -> T {
    let total: u32 = items.iter().map(|i| i.1).sum();
    let mut x = rng.random_range(0..total);
    for (item, w) in items {
        if x < *w {
            return *item;
        }
        x -= w;
    }
    items[0].0
}

fn phone(rng: &mut ChaCha8Rng) -> String {
    format!("07{:03} {:06}", rng.random_range(700..990), rng.random_range(0..1_000_000))
}

// ---------------------------------------------------------------------------------------------
// Staff and partner agencies

struct User {
    role: Role,
    display: String,
}

struct Staff<'h> {
    hash: &'h str,
    created: NaiveDate,
    users: Vec<User>,
    accounts: Vec<DemoAccount>,
}

impl Staff<'_> {
    #[allow(clippy::too_many_arguments)]
    fn add(&mut self, w: &mut Writer, rng: &mut ChaCha8Rng, username: &str, role: Role, area: Option<usize>, agency: Option<(i64, &str)>, note: Option<&str>) -> i64 {
        let group = people::pick_group(rng);
        let sex = if rng.random_bool(0.62) { 'F' } else { 'M' };
        let display = format!("{} {}", people::first_name(rng, group, sex), people::surname(rng, group));
        let id = self.users.len() as i64 + 1;
        let domain = match agency {
            Some((_, d)) => format!("{d}.example"),
            None => "york-council.example".to_string(),
        };
        let email = format!("{}@{domain}", display.to_lowercase().replace(' ', ".").replace('\'', ""));
        w.row(
            "users",
            &["id", "username", "display_name", "email", "phone", "password_hash", "role", "area_team_id", "agency_id", "active", "created_at"],
            vec![
                V::I(id),
                V::s(username),
                V::S(display.clone()),
                V::S(email),
                V::S(format!("01904 55{:04}", rng.random_range(0..10_000))),
                V::s(self.hash),
                V::s(role.as_str()),
                opt(area, |a| V::I(a as i64 + 1)),
                opt(agency, |(a, _)| V::I(a)),
                V::I(1),
                at(self.created, 9, 0),
            ],
        );
        if let Some(note) = note {
            self.accounts.push(DemoAccount {
                username: username.to_string(),
                password: DEMO_PASSWORD.to_string(),
                role,
                display_name: display.clone(),
                area: area.map(|a| AREAS[a].to_string()),
                note: note.to_string(),
            });
        }
        self.users.push(User { role, display });
        id
    }

    fn name(&self, id: i64) -> &str {
        &self.users[(id - 1) as usize].display
    }

}

struct AgencyDef {
    kind: AgencyKind,
    name: &'static str,
    team: &'static str,
    domain: &'static str,
    users: &'static [&'static str],
}

const AGENCIES: &[AgencyDef] = &[
    AgencyDef { kind: AgencyKind::AdultSocialCare, name: "City of York Adult Social Care", team: "Customer Access and Assessment Team", domain: "york-asc", users: &["partner.asc", "partner.asc2"] },
    AgencyDef { kind: AgencyKind::Police, name: "North Yorkshire Police", team: "York Neighbourhood Policing Team", domain: "northyorkshire-police", users: &["partner.police", "partner.police2"] },
    AgencyDef { kind: AgencyKind::MentalHealth, name: "Tees, Esk and Wear Valleys NHS Foundation Trust", team: "York Community Mental Health Team", domain: "tewv-nhs", users: &["partner.mh", "partner.mh2"] },
    AgencyDef { kind: AgencyKind::Mediation, name: "York Mediation Service", team: "Neighbour Mediation", domain: "york-mediation", users: &["partner.mediation"] },
    AgencyDef { kind: AgencyKind::ChildrensServices, name: "City of York Children's Services", team: "Multi-Agency Safeguarding Hub", domain: "york-childrens", users: &["partner.children", "partner.children2"] },
    AgencyDef { kind: AgencyKind::Fire, name: "North Yorkshire Fire and Rescue Service", team: "Safe and Well Visits", domain: "nyfrs", users: &["partner.fire"] },
    AgencyDef { kind: AgencyKind::DrugIntervention, name: "Changing Lives York", team: "Drug Intervention Tenancy Sustainment", domain: "changing-lives", users: &["partner.dit"] },
    AgencyDef { kind: AgencyKind::FinancialInclusion, name: "York Financial Inclusion Team", team: "Welfare Benefits and Debt Advice", domain: "york-money", users: &["partner.money"] },
    AgencyDef { kind: AgencyKind::Marac, name: "York MARAC", team: "MARAC Coordinator", domain: "york-marac", users: &["partner.marac"] },
];

fn category_for(kind: AgencyKind) -> ReferralCategory {
    match kind {
        AgencyKind::AdultSocialCare => ReferralCategory::Support,
        AgencyKind::Police => ReferralCategory::Crime,
        AgencyKind::MentalHealth => ReferralCategory::MentalHealth,
        AgencyKind::Mediation => ReferralCategory::Mediation,
        AgencyKind::ChildrensServices => ReferralCategory::Safeguarding,
        AgencyKind::Fire => ReferralCategory::FireSafety,
        AgencyKind::DrugIntervention => ReferralCategory::Substance,
        AgencyKind::FinancialInclusion => ReferralCategory::Financial,
        AgencyKind::Marac => ReferralCategory::Marac,
    }
}

// ---------------------------------------------------------------------------------------------
// Tenancies as the later stages need them

struct Tenancy {
    id: i64,
    home: usize,
    tenure: Tenure,
    start: NaiveDate,
    owner: i64,
    balance: i64,
    universal_credit: bool,
    group: usize,
    lead: String,
    lead_phone: String,
    under_occupied: bool,
    overcrowded: bool,
}

/// Bedrooms the household needs under the social-sector size criteria (approximate: for
/// shaping findings only; the app's own rule lives in `app::domain::occupancy`).
fn bedrooms_needed(h: &Household, today: NaiveDate) -> i64 {
    let age = |d: NaiveDate| (today - d).num_days() / 365;
    let mut rooms = 0;
    let couple = h.members.iter().any(|m| matches!(m.rel, Relationship::JointTenant | Relationship::Partner));
    let mut adults = h.members.iter().filter(|m| age(m.dob) >= 16).count() as i64;
    if couple {
        rooms += 1;
        adults -= 2;
    }
    rooms += adults.max(0);
    let kids: Vec<_> = h.members.iter().filter(|m| age(m.dob) < 16).collect();
    rooms += (kids.len() as i64 + 1) / 2;
    rooms.max(1)
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum CaseVariant {
    Arrears,
    ArrearsLegal,
    ArrearsCleared,
    Asb,
    AsbHub,
    Neighbour,
    Sustainment,
    DomesticAbuse,
    Safeguarding,
    Fraud,
    Vulnerability,
}

struct CaseRef {
    id: i64,
    tenancy: usize,
    kind: CaseKind,
    open: bool,
    owner: i64,
    opened: NaiveDate,
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
    let rng = &mut rng;
    let today = opts.today;
    let cal = WorkingCalendar::england_and_wales();
    let bar = if opts.progress {
        let b = indicatif::ProgressBar::new(8);
        b.set_style(indicatif::ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})").expect("template").progress_chars("=> "));
        b.enable_steady_tick(Duration::from_millis(120));
        b
    } else {
        indicatif::ProgressBar::hidden()
    };
    let mut w = Writer::new(db);
    let mut report = SeedReport::default();

    // --- Reference data: bank holidays, settings, area teams, wards --------------------------
    bar.set_message("reference data");
    for (day, name) in app::domain::clock::parse_bank_holidays_csv(app::domain::clock::BANK_HOLIDAYS_ENGLAND_WALES_CSV).context("bank holidays")? {
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
    let points = geo::load_points()?;
    let wards = geo::load_wards(&points)?;
    for ward in &wards {
        w.row("wards", &["id", "code", "name", "geojson"], vec![V::I(ward.id), V::S(ward.code.clone()), V::S(ward.name.clone()), V::S(ward.geometry.clone())]);
    }

    // --- The stock, in memory -------------------------------------------------------------------
    bar.inc(1);
    bar.set_message("homes and patches");
    let stock: Stock = stock::build(rng, &points, &wards, opts.homes);
    let homes = &stock.homes;

    // --- Staff and partner agencies -------------------------------------------------------------
    let hash = crate::auth::password::hash_password(DEMO_PASSWORD);
    let mut staff = Staff { hash: &hash, created: today - Days::days(3 * 365 + 40), users: Vec::new(), accounts: Vec::new() };
    let mut partners: Vec<Vec<i64>> = Vec::new();
    for (i, a) in AGENCIES.iter().enumerate() {
        let id = i as i64 + 1;
        w.row(
            "agencies",
            &["id", "name", "kind", "team", "contact_email", "contact_phone", "active"],
            vec![V::I(id), V::s(a.name), V::s(a.kind.as_str()), V::s(a.team), V::S(format!("referrals@{}.example", a.domain)), V::S(format!("01904 {:06}", 600_000 + 1_111 * i)), V::I(1)],
        );
        let mut ids = Vec::new();
        for (n, username) in a.users.iter().enumerate() {
            let note = format!("{} ({}): only referrals shared with this agency, only the fields shared", a.kind.label(), a.name);
            ids.push(staff.add(&mut w, rng, username, Role::Partner, None, Some((id, a.domain)), (n == 0).then_some(note.as_str())));
        }
        partners.push(ids);
    }
    staff.add(&mut w, rng, "admin", Role::Admin, None, None, Some("users, agencies and configuration; no casework"));
    staff.add(&mut w, rng, "admin2", Role::Admin, None, None, None);
    let hub = staff.add(&mut w, rng, "asb.hub", Role::AsbOfficer, None, None, Some("ASB / Community Safety Hub: escalated ASB cases, council-wide"));
    let legal = staff.add(&mut w, rng, "legal", Role::Legal, None, None, Some("Legal: notices and possession cases, council-wide"));
    let mut team_leaders = [0i64; 3];
    let mut ihmos: [Vec<i64>; 3] = Default::default();
    let mut sthmos: [Vec<i64>; 3] = Default::default();
    for (a, name) in AREAS.iter().enumerate() {
        let lower = name.to_lowercase();
        let n_homes = stock.area_homes(a);
        team_leaders[a] = staff.add(&mut w, rng, &format!("tl.{lower}"), Role::TeamLeader, Some(a), None, Some(&format!("Team Leader: everything in the {name} area team; approvals")));
        for n in 1..=((n_homes as f64 / 850.0).round() as usize).max(3) {
            let note = format!("Introductory Tenancy HMO ({name}): new tenancies, settling-in visits, 12-month reviews");
            ihmos[a].push(staff.add(&mut w, rng, &format!("ihmo.{lower}{n}"), Role::IntroductoryHmo, Some(a), None, (n == 1).then_some(note.as_str())));
        }
        for n in 1..=((n_homes as f64 / 1_400.0).round() as usize).max(2) {
            let note = format!("Sustainable Tenancy HMO ({name}): sustainment cases and action plans");
            sthmos[a].push(staff.add(&mut w, rng, &format!("sthmo.{lower}{n}"), Role::SustainableHmo, Some(a), None, (n == 1).then_some(note.as_str())));
        }
    }
    let mut chmo_of_patch: Vec<i64> = Vec::new();
    for p in &stock.patches {
        let area = AREAS[p.area];
        let note = format!("Community HMO for patch {}: its tenancies, arrears worklist, home checks, cases", p.name);
        chmo_of_patch.push(staff.add(&mut w, rng, &format!("chmo.{}{}", area.to_lowercase(), p.number), Role::CommunityHmo, Some(p.area), None, (p.number == 1).then_some(note.as_str())));
    }
    report.officers = staff.users.iter().filter(|u| !matches!(u.role, Role::Partner | Role::Admin)).count();

    // --- Stock rows --------------------------------------------------------------------------------
    for e in &stock.estates {
        w.row("estates", &["id", "name", "ward_id", "area_team_id"], vec![V::I(e.id), V::S(e.name.clone()), V::I(wards[e.ward].id), V::I(e.area as i64 + 1)]);
    }
    for b in &stock.blocks {
        w.row("blocks", &["id", "name", "estate_id", "storeys", "postcode"], vec![V::I(b.id), V::S(b.name.clone()), V::I(stock.estates[b.estate].id), V::I(b.storeys), V::S(b.postcode.clone())]);
    }
    for (i, p) in stock.patches.iter().enumerate() {
        w.row("patches", &["id", "name", "area_team_id", "officer_id", "challenging", "version"], vec![V::I(p.id), V::S(p.name.clone()), V::I(p.area as i64 + 1), V::I(chmo_of_patch[i]), V::I(p.challenging as i64), V::I(1)]);
    }
    for h in homes {
        let line2 = if h.address2.is_empty() { String::new() } else { h.address2.clone() };
        let search = app::domain::search::index_text(&[&h.reference, &h.address, &line2, "York"], &h.postcode);
        w.row(
            "properties",
            &["id", "reference", "address_line1", "address_line2", "town", "postcode", "latitude", "longitude", "property_type", "bedrooms", "block_id", "floor", "estate_id", "ward_id", "area_team_id", "patch_id", "independent_living", "search_text", "version"],
            vec![
                V::I(h.id), V::S(h.reference.clone()), V::S(h.address.clone()), V::S(line2), V::s("York"), V::S(h.postcode.clone()),
                V::F((h.lat * 1e6).round() / 1e6), V::F((h.lon * 1e6).round() / 1e6), V::s(h.ptype.as_str()), V::I(h.bedrooms),
                opt(h.block, |b| V::I(stock.blocks[b].id)), opt(h.floor, V::I), V::I(stock.estates[h.estate].id), V::I(wards[h.ward].id),
                V::I(h.area as i64 + 1), V::I(stock.patches[h.patch].id), V::I(h.independent as i64), V::S(search), V::I(1),
            ],
        );
    }
    w.flush().await?;
    report.homes = homes.len();
    report.patches = stock.patches.len();

    // --- Tenancies, households, rent -------------------------------------------------------------
    bar.inc(1);
    bar.set_message("tenancies, households and rent");
    let mut ids = Ids::default();
    let mut active: Vec<Tenancy> = Vec::new();
    let weeks_of_rent: i64 = if opts.homes > 20_000 { 4 } else { 12 };
    let this_monday = today - Days::days(today.weekday().num_days_from_monday() as i64);
    let window_start = this_monday - Days::days(7 * (weeks_of_rent - 1));
    const COLS_T: &[&str] = &["id", "reference", "property_id", "tenure", "status", "start_date", "end_date", "trial_ends_on", "extension_reason", "extension_notice_served_on", "owner_id", "owner_role", "search_text", "version", "created_at"];
    const COLS_M: &[&str] = &["id", "tenancy_id", "first_name", "last_name", "date_of_birth", "sex", "relationship", "is_tenant", "phone", "email", "joined_on", "left_on"];
    const COLS_RT: &[&str] = &["id", "account_id", "posted_on", "kind", "amount_pence", "description"];
    for (hi, h) in homes.iter().enumerate() {
        let area = h.area;
        let chmo = chmo_of_patch[h.patch];
        // An earlier, ended tenancy for some homes.
        let floor_date = if rng.random_bool(0.35) {
            let start = today - Days::days(rng.random_range(3_000..10_000));
            let end = (start + Days::days(rng.random_range(500..4_000))).min(today - Days::days(400));
            let tid = ids.next_tenancy();
            let reference = format!("TEN{:07}", 1_000_000 + tid);
            let m = people::former_tenant(rng, start);
            let search = app::domain::search::index_text(&[&reference, &format!("{} {}", m.first, m.last), &h.address, "York"], &h.postcode);
            w.row("tenancies", COLS_T, vec![V::I(tid), V::S(reference), V::I(h.id), V::s(Tenure::Secure.as_str()), V::s(TenancyStatus::Ended.as_str()), date(start), date(end), V::N, V::N, V::N, V::N, V::s(Role::CommunityHmo.as_str()), V::S(search), V::I(1), at(start, 9, 30)]);
            let mid = ids.next_member();
            w.row("household_members", COLS_M, vec![V::I(mid), V::I(tid), V::S(m.first), V::S(m.last), date(m.dob), V::S(m.sex.to_string()), V::s(m.rel.as_str()), V::I(1), V::S(String::new()), V::S(String::new()), date(start), date(end)]);
            end + Days::days(rng.random_range(10..90))
        } else {
            today - Days::days(35 * 365)
        };
        // Empty homes between lets.
        if rng.random_bool(0.035) {
            continue;
        }
        let roll: f64 = rng.random();
        let year_ago = today.checked_sub_months(Months::new(12)).expect("date");
        let (tenure, start) = if roll < 0.006 {
            // Past the anniversary with no decision recorded: the review clock is overdue.
            (Tenure::Introductory, year_ago - Days::days(rng.random_range(1..25)))
        } else if roll < 0.014 {
            // Anniversary in the next 2–6 weeks: due soon.
            (Tenure::Introductory, year_ago + Days::days(rng.random_range(14..43)))
        } else if roll < 0.094 {
            (Tenure::Introductory, today - Days::days(rng.random_range(3..365)))
        } else if roll < 0.108 {
            (Tenure::ExtendedIntroductory, today - Days::days(rng.random_range(370..540)))
        } else if roll < 0.13 && matches!(h.ptype, PropertyType::Flat | PropertyType::Maisonette) && !h.independent {
            (Tenure::Leasehold, today - Days::days(rng.random_range(800..9_000)))
        } else {
            let earliest = (today - floor_date).num_days().max(401);
            // Long tenancies are common: skew towards older starts.
            let u: f64 = rng.random();
            (Tenure::Secure, today - Days::days(400 + ((earliest - 400) as f64 * u.sqrt()) as i64))
        };
        let start = start.max(floor_date);
        let tid = ids.next_tenancy();
        let reference = format!("TEN{:07}", 1_000_000 + tid);
        let introductory = matches!(tenure, Tenure::Introductory | Tenure::ExtendedIntroductory);
        let owner = if introductory { *ihmos[area].choose(rng).expect("ihmo") } else { chmo };
        let owner_role = if introductory { Role::IntroductoryHmo } else { Role::CommunityHmo };
        let trial_end = introductory.then(|| app::domain::clock::trial_end(start, tenure == Tenure::ExtendedIntroductory));
        let (ext_reason, notice) = if tenure == Tenure::ExtendedIntroductory {
            let reason = pick(rng, &["Rent arrears during the trial period", "Nuisance reported by neighbours", "Condition of the property and garden", "Rent arrears and missed appointments"]);
            let first_end = app::domain::clock::trial_end(start, false);
            (V::s(reason), date(app::domain::clock::extension_notice_last_day(first_end) - Days::days(rng.random_range(1..25))))
        } else {
            (V::N, V::N)
        };

        let household = people::household(rng, today, start, h.bedrooms, h.independent);
        let needed = bedrooms_needed(&household, today);
        let mut lead_phone = String::new();
        for m in &household.members {
            let mid = ids.next_member();
            let (tel, email) = if m.tenant {
                let tel = phone(rng);
                if lead_phone.is_empty() {
                    lead_phone = tel.clone();
                }
                let email = if rng.random_bool(0.6) {
                    format!("{}.{}{}@example.com", m.first.to_lowercase(), m.last.to_lowercase().replace(['\'', ' '], ""), rng.random_range(1..99))
                } else {
                    String::new()
                };
                (tel, email)
            } else {
                (String::new(), String::new())
            };
            w.row("household_members", COLS_M, vec![V::I(mid), V::I(tid), V::S(m.first.clone()), V::S(m.last.clone()), date(m.dob), V::S(m.sex.to_string()), V::s(m.rel.as_str()), V::I(m.tenant as i64), V::S(tel), V::S(email), date(start.max(m.dob)), V::N]);
        }
        let tenant_names = household.tenant_names();
        let search = app::domain::search::index_text(&[&reference, &tenant_names.join(" "), &h.address, "York"], &h.postcode);
        w.row(
            "tenancies",
            COLS_T,
            vec![V::I(tid), V::S(reference), V::I(h.id), V::s(tenure.as_str()), V::s(TenancyStatus::Active.as_str()), date(start), V::N, opt(trial_end, date), ext_reason, notice, V::I(owner), V::s(owner_role.as_str()), V::S(search), V::I(1), at(start, 9, 30)],
        );

        // Ownership history: the allocation, and the secure handover for tenancies that passed their trial.
        let secure_after_trial = tenure == Tenure::Secure && (today - start).num_days() < 6 * 365;
        let first_owner = if secure_after_trial { *ihmos[area].choose(rng).expect("ihmo") } else { owner };
        let first_role = if secure_after_trial || introductory { Role::IntroductoryHmo } else { Role::CommunityHmo };
        ids.transfer(&mut w, "tenancy", tid, TransferKind::Allocation, None, (first_owner, first_role), "New tenancy signed up", team_leaders[area], None, utc(start, 10, 0), utc(start, 10, 0));
        if secure_after_trial {
            let end = app::domain::clock::trial_end(start, false);
            ids.transfer(&mut w, "tenancy", tid, TransferKind::SecureHandover, Some((first_owner, Role::IntroductoryHmo)), (chmo, Role::CommunityHmo), "Introductory review: rent clear, no breaches; made secure", first_owner, Some(team_leaders[area]), utc(end - Days::days(21), 11, 0), utc(end, 9, 0));
        }

        // Rent: most accounts clear or in credit, a tail over £150 and a few over £1,000.
        let (weekly, balance) = if tenure == Tenure::Leasehold {
            let charge = rng.random_range(1_200..3_000);
            (charge, if rng.random_bool(0.85) { 0 } else { rng.random_range(1..charge * 20) })
        } else {
            let weekly = (8_500 + h.bedrooms * 1_000 + rng.random_range(0..=500)).min(14_000);
            let r: f64 = rng.random();
            let balance = if r < 0.60 {
                if rng.random_bool(0.45) { 0 } else { -rng.random_range(1..weekly * 2) }
            } else if r < 0.84 {
                rng.random_range(1..=15_000)
            } else if r < 0.97 {
                rng.random_range(15_001..100_000)
            } else {
                rng.random_range(100_001..450_000)
            };
            (weekly, balance)
        };
        let uc = tenure != Tenure::Leasehold && rng.random_bool(if balance > 15_000 { 0.55 } else { 0.35 });
        w.row("rent_accounts", &["id", "tenancy_id", "weekly_rent_pence", "balance_pence", "universal_credit", "updated_at"], vec![V::I(tid), V::I(tid), V::I(weekly), V::I(balance), V::I(uc as i64), at(this_monday, 6, 0)]);
        let mut lines: Vec<(NaiveDate, RentTransactionKind, i64, &str)> = Vec::new();
        let in_arrears = balance > 15_000;
        let uc_phase = rng.random_range(0..4);
        let payer = rng.random_range(0..4); // 0: direct debit, 1: Allpay card, 2: standing order, 3: online
        for week in 0..weeks_of_rent {
            let monday = window_start + Days::days(7 * week);
            if monday < start {
                continue;
            }
            lines.push((monday, RentTransactionKind::Charge, weekly, if tenure == Tenure::Leasehold { "Weekly service charge" } else { "Weekly rent" }));
            if uc {
                if week % 4 == uc_phase && !(in_arrears && rng.random_bool(0.3)) {
                    let amount = if in_arrears { weekly * 4 - rng.random_range(0..weekly) } else { weekly * 4 };
                    lines.push((monday + Days::days(3), RentTransactionKind::UniversalCredit, -amount, "Universal Credit housing costs (APA)"));
                }
            } else if !(in_arrears && rng.random_bool(0.45)) {
                let amount = if in_arrears { weekly - rng.random_range(0..weekly / 2) } else if balance > 0 { weekly - rng.random_range(0..weekly / 6) } else { weekly };
                let (day, text) = match payer {
                    0 => (0, "Direct debit"),
                    1 => (4, "Payment at Post Office (Allpay)"),
                    2 => (1, "Standing order"),
                    _ => (rng.random_range(0..6), "Online payment, thank you"),
                };
                lines.push((monday + Days::days(day), RentTransactionKind::Payment, -amount, text));
            }
        }
        lines.retain(|l| l.0 <= today);
        // The window explains the balance: what came before is one brought-forward line.
        let carried = balance - lines.iter().map(|l| l.2).sum::<i64>();
        if carried != 0 {
            let (day, text) = if start < window_start { (window_start - Days::days(1), "Balance brought forward") } else { (start, "Opening balance (former tenancy arrears or rent in advance)") };
            lines.insert(0, (day, RentTransactionKind::Adjustment, carried, text));
        }
        lines.sort_by_key(|l| l.0);
        for (day, kind, amount, text) in lines {
            let id = ids.next_txn();
            w.row("rent_transactions", COLS_RT, vec![V::I(id), V::I(tid), date(day), V::s(kind.as_str()), V::I(amount), V::s(text)]);
        }
        let lead = household.members.first().map(|m| format!("{} {}", m.first, m.last)).unwrap_or_default();
        active.push(Tenancy {
            id: tid,
            home: hi,
            tenure,
            start,
            owner,
            balance,
            universal_credit: uc,
            group: household.group,
            lead,
            lead_phone,
            under_occupied: h.bedrooms >= needed + 1 && h.bedrooms >= 2,
            overcrowded: needed > h.bedrooms.max(1),
        });
        if ids.tenancy % 4_000 == 0 {
            w.flush().await?;
        }
    }
    w.flush().await?;
    report.tenancies = active.len();

    // --- Cases in every role ------------------------------------------------------------------------
    bar.inc(1);
    bar.set_message("cases and transfers");
    let mut variants: Vec<(usize, CaseVariant)> = Vec::new();
    for (ti, t) in active.iter().enumerate() {
        if t.tenure == Tenure::Leasehold {
            continue;
        }
        if t.balance > 50_000 {
            variants.push((ti, if t.balance > 150_000 && rng.random_bool(0.35) { CaseVariant::ArrearsLegal } else { CaseVariant::Arrears }));
        } else if t.balance <= 0 && rng.random_bool(0.04) && (today - t.start).num_days() > 400 {
            variants.push((ti, CaseVariant::ArrearsCleared));
        }
        let r: f64 = rng.random();
        let v = if r < 0.018 {
            Some(CaseVariant::Asb)
        } else if r < 0.0205 {
            Some(CaseVariant::AsbHub)
        } else if r < 0.0295 {
            Some(CaseVariant::Neighbour)
        } else if r < 0.0375 {
            Some(CaseVariant::Sustainment)
        } else if r < 0.04 {
            Some(CaseVariant::DomesticAbuse)
        } else if r < 0.042 {
            Some(CaseVariant::Safeguarding)
        } else if r < 0.044 {
            Some(CaseVariant::Fraud)
        } else if r < 0.049 {
            Some(CaseVariant::Vulnerability)
        } else {
            None
        };
        if let Some(v) = v {
            variants.push((ti, v));
        }
    }
    // Every area shows every kind of work, however small the council.
    for area in 0..AREAS.len() {
        for v in [CaseVariant::AsbHub, CaseVariant::ArrearsLegal, CaseVariant::Sustainment, CaseVariant::DomesticAbuse, CaseVariant::Safeguarding, CaseVariant::Asb] {
            if !variants.iter().any(|(ti, x)| *x == v && homes[active[*ti].home].area == area) {
                let candidates: Vec<usize> = (0..active.len()).filter(|&ti| homes[active[ti].home].area == area && active[ti].tenure == Tenure::Secure && !variants.iter().any(|x| x.0 == ti)).collect();
                if let Some(&ti) = candidates.choose(rng) {
                    variants.push((ti, v));
                }
            }
        }
    }
    variants.sort_by_key(|(ti, _)| *ti);
    let mut cases: Vec<CaseRef> = Vec::new();
    for (ti, v) in variants {
        let t = &active[ti];
        let area = homes[t.home].area;
        let chmo = chmo_of_patch[homes[t.home].patch];
        cases.push(write_case(&mut w, rng, &mut ids, today, v, ti, t, area, chmo, hub, legal, team_leaders[area], &sthmos[area]));
    }
    w.flush().await?;
    report.cases = cases.len();

    // --- Alerts, visits and findings ----------------------------------------------------------------
    bar.inc(1);
    bar.set_message("alerts, visits and findings");
    let mut case_kinds_of: BTreeMap<usize, Vec<CaseKind>> = BTreeMap::new();
    for c in &cases {
        case_kinds_of.entry(c.tenancy).or_default().push(c.kind);
    }
    let mut alert_id = 0i64;
    for (ti, t) in active.iter().enumerate() {
        let home = &homes[t.home];
        let mut vulnerable = false;
        if rng.random_bool(0.08) {
            alert_id += 1;
            let language = GROUPS[t.group].language;
            let interpreter = format!("{language} interpreter needed for visits and letters");
            let (kind, text) = *[
                (AlertKind::Vulnerability, "Learning disability: explain letters in person, allow extra time"),
                (AlertKind::Vulnerability, "Hoarding: fire service safe and well visit arranged"),
                (AlertKind::Vulnerability, "Mental health: contact the care coordinator before any enforcement"),
                (AlertKind::Vulnerability, "Memory problems: daughter helps with correspondence"),
                (AlertKind::RiskToStaff, "Visit in pairs: aggressive dog and a history of threats to staff"),
                (AlertKind::RiskToStaff, "Do not visit alone: verbal abuse towards officers in the past"),
                (AlertKind::Disability, "Wheelchair user: level access and ground-floor meetings"),
                (AlertKind::Disability, "Deaf tenant: contact by text or email, not phone"),
                (AlertKind::Interpreter, interpreter.as_str()),
            ]
            .choose(rng)
            .expect("alert");
            vulnerable = kind == AlertKind::Vulnerability;
            let created = (t.start + Days::days(rng.random_range(10..400))).min(today - Days::days(1));
            let ends = (kind == AlertKind::RiskToStaff && rng.random_bool(0.3)).then(|| created + Days::days(365 * 2));
            w.row("alerts", &["id", "tenancy_id", "property_id", "kind", "description", "created_by", "created_at", "ends_on"], vec![V::I(alert_id), V::I(t.id), V::I(home.id), V::s(kind.as_str()), V::s(text), V::I(t.owner), at(created, 12, 15), opt(ends, date)]);
        }
        let kinds = case_kinds_of.get(&ti).cloned().unwrap_or_default();
        let mut plan: Vec<(VisitType, NaiveDate)> = Vec::new();
        match t.tenure {
            Tenure::Introductory | Tenure::ExtendedIntroductory => {
                plan.push((VisitType::SignUp, t.start));
                let settling = t.start + Days::days(rng.random_range(28..42));
                plan.push((VisitType::SettlingIn, settling));
                if (today - t.start).num_days() > 270 {
                    plan.push((VisitType::HomeCheck, t.start + Days::days(rng.random_range(250..300))));
                }
            }
            Tenure::Leasehold => {}
            _ => {
                let r: f64 = rng.random();
                // Two-year cycle: most visited within it, some overdue, some never visited.
                let last = if r < 0.80 {
                    Some(today - Days::days(rng.random_range(1..720)))
                } else if r < 0.90 {
                    Some(today - Days::days(rng.random_range(731..1_100)))
                } else {
                    None
                };
                if let Some(mut on) = last {
                    if (today - on).num_days() > 640 && rng.random_bool(0.5) {
                        // Due again: booked in the next few weeks.
                        plan.push((VisitType::HomeCheck, today + Days::days(rng.random_range(1..28))));
                    }
                    while on > t.start + Days::days(30) && on > today - Days::days(8 * 365) {
                        let kind = if rng.random_bool(0.1) { VisitType::OccupancyCheck } else { VisitType::HomeCheck };
                        plan.push((kind, on));
                        on -= Days::days(rng.random_range(640..800));
                    }
                }
            }
        }
        if vulnerable {
            plan.push((VisitType::Vulnerability, today - Days::days(rng.random_range(5..200))));
        }
        if kinds.contains(&CaseKind::Arrears) && rng.random_bool(0.6) {
            plan.push((VisitType::Arrears, today - Days::days(rng.random_range(3..90))));
        }
        if kinds.contains(&CaseKind::Asb) {
            plan.push((VisitType::Asb, today - Days::days(rng.random_range(2..60))));
        }
        if home.ptype != PropertyType::House && t.tenure == Tenure::Secure && rng.random_bool(0.004) {
            plan.push((VisitType::MutualExchange, today - Days::days(rng.random_range(5..120))));
        }
        if t.tenure == Tenure::Secure && (today - t.start).num_days() > 5 * 365 && rng.random_bool(0.003) {
            plan.push((VisitType::RightToBuy, today - Days::days(rng.random_range(5..120))));
        }
        plan.sort_by_key(|p| p.1);
        for (vt, on) in plan {
            if on > today + Days::days(60) {
                continue;
            }
            write_visit(&mut w, rng, &mut ids, cal, today, t, home.id, vt, on, t.owner);
        }
    }
    w.flush().await?;
    report.visits = ids.visit as usize;

    // --- Referrals to partner agencies, in every state --------------------------------------------
    bar.inc(1);
    bar.set_message("referrals");
    let mut plans: Vec<(usize, AgencyKind, Option<usize>)> = Vec::new(); // tenancy, agency, case
    for (ci, c) in cases.iter().enumerate() {
        let kind = match c.kind {
            CaseKind::DomesticAbuse => Some(AgencyKind::Marac),
            CaseKind::Safeguarding => Some(AgencyKind::ChildrensServices),
            CaseKind::Sustainment => Some(*[AgencyKind::DrugIntervention, AgencyKind::FinancialInclusion, AgencyKind::MentalHealth].choose(rng).expect("agency")),
            CaseKind::Asb if rng.random_bool(0.3) => Some(AgencyKind::Police),
            CaseKind::NeighbourDispute if rng.random_bool(0.5) => Some(AgencyKind::Mediation),
            CaseKind::Vulnerability => Some(AgencyKind::AdultSocialCare),
            CaseKind::Arrears if c.open && rng.random_bool(0.12) => Some(AgencyKind::FinancialInclusion),
            _ => None,
        };
        if let Some(k) = kind {
            plans.push((c.tenancy, k, Some(ci)));
        }
    }
    for _ in 0..(active.len() / 45).max(20) {
        let kind = *[AgencyKind::AdultSocialCare, AgencyKind::MentalHealth, AgencyKind::Fire, AgencyKind::FinancialInclusion, AgencyKind::FinancialInclusion, AgencyKind::Mediation, AgencyKind::Police, AgencyKind::DrugIntervention].choose(rng).expect("agency");
        plans.push((rng.random_range(0..active.len()), kind, None));
    }
    let mut message_id = 0i64;
    for (k, (ti, kind, case)) in plans.into_iter().enumerate() {
        let t = &active[ti];
        let area = homes[t.home].area;
        let agency = AGENCIES.iter().position(|a| a.kind == kind).expect("agency") ;
        let case = case.map(|ci| &cases[ci]);
        // The first referrals walk through every state; the rest follow a realistic mix.
        let status = if k < ReferralStatus::ALL.len() {
            ReferralStatus::ALL[k]
        } else {
            weighted(rng, &[(ReferralStatus::Draft, 5), (ReferralStatus::Sent, 12), (ReferralStatus::Accepted, 10), (ReferralStatus::Declined, 8), (ReferralStatus::InProgress, 25), (ReferralStatus::Closed, 40)])
        };
        let created_by = case.map(|c| c.owner).unwrap_or(t.owner);
        let earliest = case.map(|c| c.opened).unwrap_or(t.start).max(today - Days::days(300));
        let span = (today - earliest).num_days().max(2);
        let created = earliest + Days::days(rng.random_range(0..span.min(200)));
        let id = write_referral(&mut w, rng, &mut message_id, cal, today, id_of(&mut ids), t, AGENCIES.get(agency).expect("agency"), agency as i64 + 1, &partners[agency], case.map(|c| c.id), status, created, created_by, area, staff.name(created_by));
        if category_for(kind).is_restricted() {
            ids.grant(&mut w, "referral", id, team_leaders[area], created_by, utc(created, 10, 5));
        }
    }
    report.referrals = ids.referral as usize;
    w.flush().await?;

    // --- Feedback links and responses over the last 12 months -------------------------------------
    bar.inc(1);
    bar.set_message("feedback");
    write_feedback(&mut w, rng, opts, today, &stock, &chmo_of_patch, &ihmos, &sthmos);
    w.flush().await?;

    // PostgreSQL identity columns continue after the ids the seed chose.
    if db.backend == Backend::Postgres {
        bar.set_message("sequences");
        for table in [
            "area_teams", "wards", "agencies", "users", "estates", "blocks", "patches", "properties", "tenancies", "household_members",
            "rent_accounts", "rent_transactions", "alerts", "cases", "access_grants", "transfers", "visits", "visit_findings", "referrals",
            "referral_messages", "feedback_links", "feedback_responses",
        ] {
            sqlx::query::<sqlx::Any>(&format!("SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT COALESCE(MAX(id), 0) + 1 FROM {table}), false)"))
                .execute(&db.pool)
                .await
                .with_context(|| format!("moving the {table} id sequence"))?;
        }
    }
    bar.inc(1);
    bar.finish_and_clear();
    let mut accounts = staff.accounts;
    accounts.sort_by_key(|a| (a.role, a.area.clone(), a.username.clone()));
    report.accounts = accounts;
    report.elapsed = started.elapsed();
    Ok(report)
}

fn id_of(ids: &mut Ids) -> i64 {
    ids.referral += 1;
    ids.referral
}

/// Counters for ids the seed assigns.
#[derive(Default)]
struct Ids {
    tenancy: i64,
    member: i64,
    txn: i64,
    transfer: i64,
    case: i64,
    grant: i64,
    visit: i64,
    finding: i64,
    referral: i64,
}

impl Ids {
    fn next_tenancy(&mut self) -> i64 {
        self.tenancy += 1;
        self.tenancy
    }
    fn next_member(&mut self) -> i64 {
        self.member += 1;
        self.member
    }
    fn next_txn(&mut self) -> i64 {
        self.txn += 1;
        self.txn
    }

    #[allow(clippy::too_many_arguments)]
    fn transfer(&mut self, w: &mut Writer, subject: &str, subject_id: i64, kind: TransferKind, from: Option<(i64, Role)>, to: (i64, Role), reason: &str, requested_by: i64, approved_by: Option<i64>, requested: DateTime<Utc>, effective: DateTime<Utc>) {
        self.transfer += 1;
        w.row(
            "transfers",
            &["id", "subject_type", "subject_id", "kind", "status", "from_user_id", "from_role", "to_user_id", "to_role", "reason", "requested_by", "approved_by", "requested_at", "decided_at", "effective_at"],
            vec![
                V::I(self.transfer), V::s(subject), V::I(subject_id), V::s(kind.as_str()), V::s(TransferStatus::Completed.as_str()),
                opt(from, |f| V::I(f.0)), opt(from, |f| V::s(f.1.as_str())), V::I(to.0), V::s(to.1.as_str()), V::s(reason),
                V::I(requested_by), opt(approved_by, V::I), instant(requested), instant(effective), instant(effective),
            ],
        );
    }

    fn grant(&mut self, w: &mut Writer, subject: &str, subject_id: i64, user: i64, by: i64, when: DateTime<Utc>) {
        self.grant += 1;
        w.row("access_grants", &["id", "subject_type", "subject_id", "user_id", "granted_by", "granted_at"], vec![V::I(self.grant), V::s(subject), V::I(subject_id), V::I(user), V::I(by), instant(when)]);
    }
}

#[allow(clippy::too_many_arguments)]
fn write_case(
    w: &mut Writer,
    rng: &mut ChaCha8Rng,
    ids: &mut Ids,
    today: NaiveDate,
    v: CaseVariant,
    ti: usize,
    t: &Tenancy,
    area: usize,
    chmo: i64,
    hub: i64,
    legal: i64,
    team_leader: i64,
    sthmos: &[i64],
) -> CaseRef {
    use CaseVariant as C;
    let owed = Pence(t.balance).pounds();
    let uc = if t.universal_credit { " Universal Credit claim in payment; managed payment (APA) in place." } else { "" };
    let (kind, owner, role, title, stage, summary, p_closed): (CaseKind, i64, Role, String, &str, String, f64) = match v {
        C::Arrears => (
            CaseKind::Arrears, chmo, Role::CommunityHmo, format!("Rent arrears {owed}"),
            pick(rng, &["Contact ladder: phone call", "Contact ladder: text and email", "Home visit arranged", "First arrears letter", "Second arrears letter", "Payment arrangement monitoring"]),
            format!("Arrears of {owed} and rising.{uc} Agreed £{} a week towards the arrears; missed payments chased.", rng.random_range(3..15)), 0.0,
        ),
        C::ArrearsLegal => (
            CaseKind::Arrears, legal, Role::Legal, format!("Possession: rent arrears {owed}"),
            pick(rng, &["Notice of seeking possession served", "Possession claim issued", "Court hearing listed"]),
            format!("Contact ladder exhausted: no engagement with calls, letters or visits. Arrears {owed}.{uc} Escalated to Legal."), 0.0,
        ),
        C::ArrearsCleared => (
            CaseKind::Arrears, chmo, Role::CommunityHmo, "Rent arrears: payment arrangement".to_string(), "Closed",
            "Arrears built up after a change in hours; payment arrangement kept for 13 weeks and the account is now clear.".to_string(), 1.0,
        ),
        C::Asb => (
            CaseKind::Asb, chmo, Role::CommunityHmo,
            pick(rng, &["Noise nuisance: loud music late at night", "Verbal abuse towards neighbours", "Dog barking and fouling in the shared garden", "Visitors coming and going at all hours", "Rubbish dumped in the garden", "Harassment of a neighbour", "Young people gathering outside the property"]).to_string(),
            pick(rng, &["Triage: risk assessment", "Investigation", "Diary sheets issued", "Warning letter sent", "Acceptable behaviour contract", "Mediation referral"]),
            "Reports from neighbours; risk assessment completed (standard risk). Both parties interviewed.".to_string(), 0.3,
        ),
        C::AsbHub => (
            CaseKind::Asb, hub, Role::AsbOfficer,
            pick(rng, &["Suspected drug dealing from the property", "Cuckooing: vulnerable tenant exploited", "Serious threats and criminal damage"]).to_string(),
            pick(rng, &["Evidence review", "Closure order considered", "Injunction application"]),
            "Three or more reports in six months; police intelligence shared. Escalated to the Community Safety Hub for an evidence review.".to_string(), 0.15,
        ),
        C::Neighbour => (
            CaseKind::NeighbourDispute, chmo, Role::CommunityHmo,
            pick(rng, &["Boundary fence dispute", "Parking dispute with a neighbour", "Noise from daily living: laminate floors", "Dispute over a shared garden"]).to_string(),
            pick(rng, &["Mediation offered", "Mediation in progress", "Good neighbour agreement signed"]),
            "Both households spoken to; neither behaviour meets the ASB threshold. Mediation offered.".to_string(), 0.35,
        ),
        C::Sustainment => (
            CaseKind::Sustainment, *sthmos.choose(rng).expect("sthmo"), Role::SustainableHmo,
            pick(rng, &["Tenancy at risk: hoarding and isolation", "Tenancy at risk: arrears and debt", "Tenancy at risk: mental health crisis", "Tenancy at risk: drug and alcohol use", "Care leaver struggling to manage", "Tenancy at risk: property condition"]).to_string(),
            pick(rng, &["Action plan agreed", "Action plan review", "Support in place"]),
            "Referred by the Community HMO with concerns; action plan agreed with the tenant: budgeting support, GP appointment, clear-up of the garden, weekly contact.".to_string(), 0.35,
        ),
        C::DomesticAbuse => (
            CaseKind::DomesticAbuse, chmo, Role::CommunityHmo, "Domestic abuse disclosed".to_string(),
            pick(rng, &["Safety planning", "MARAC referral made", "Target hardening completed"]),
            "Disclosure at a home visit. DASH risk assessment: high. MARAC referral; locks changed and a sanctuary scheme assessment booked.".to_string(), 0.2,
        ),
        C::Safeguarding => (
            CaseKind::Safeguarding, chmo, Role::CommunityHmo,
            pick(rng, &["Safeguarding concern: child in the household", "Safeguarding concern: adult at risk of exploitation"]).to_string(),
            pick(rng, &["Referral to Children's Services", "Strategy meeting", "Adult safeguarding enquiry"]),
            "Concern raised the same day to the safeguarding hub; officer attending the strategy meeting.".to_string(), 0.2,
        ),
        C::Fraud => (
            CaseKind::TenancyFraud, chmo, Role::CommunityHmo,
            pick(rng, &["Possible subletting: tenant not seen", "Possible abandonment: no contact for eight weeks"]).to_string(),
            pick(rng, &["Occupancy check", "Interview under caution", "Notice to quit considered"]),
            "Occupancy check found people unable to name the tenant; credit reference and council tax checks requested.".to_string(), 0.25,
        ),
        C::Vulnerability => (
            CaseKind::Vulnerability, chmo, Role::CommunityHmo,
            pick(rng, &["Self-neglect: support needed", "Memory problems: help managing the tenancy", "Frail and isolated: welfare concerns"]).to_string(),
            pick(rng, &["Support needs assessment", "Referral to Adult Social Care", "Welfare visits"]),
            "Neighbour raised concerns; welfare visit completed; support needs assessment with the tenant's consent.".to_string(), 0.3,
        ),
    };
    ids.case += 1;
    let id = ids.case;
    let closed = rng.random_bool(p_closed);
    let tenancy_age = (today - t.start).num_days().max(20);
    let opened = if closed { today - Days::days(rng.random_range(30..700.min(tenancy_age).max(31))) } else { today - Days::days(rng.random_range(3..200.min(tenancy_age).max(4))) };
    let closed_on = closed.then(|| (opened + Days::days(rng.random_range(14..120))).min(today - Days::days(1)));
    let due = if v == C::ArrearsLegal { today + Days::days(rng.random_range(7..70)) } else { today + Days::days(rng.random_range(-20..45)) };
    let status = if closed { CaseStatus::Closed } else { CaseStatus::Open };
    let stage = if closed { "Closed" } else { stage };
    let summary = if closed {
        match v {
            C::Sustainment => format!("{summary} Plan met: handed back to the Community HMO."),
            C::ArrearsCleared => summary,
            _ => format!("{summary} Resolved: no further reports; case closed."),
        }
    } else {
        summary
    };
    let restricted = kind.is_restricted();
    w.row(
        "cases",
        &["id", "reference", "kind", "tenancy_id", "property_id", "title", "summary", "status", "stage", "restricted", "owner_id", "owner_role", "area_team_id", "opened_at", "due_at", "closed_at", "version"],
        vec![
            V::I(id), V::S(format!("CAS{:06}", 200_000 + id)), V::s(kind.as_str()), V::I(t.id), V::N, V::S(title), V::S(summary),
            V::s(status.as_str()), V::s(stage), V::I(restricted as i64), V::I(owner), V::s(role.as_str()), V::I(area as i64 + 1),
            at(opened, 10, 0), if closed { V::N } else { at(due, 17, 0) }, opt(closed_on, |d| at(d, 16, 0)), V::I(1),
        ],
    );
    let open_at = utc(opened, 10, 0);
    match role {
        Role::SustainableHmo => {
            ids.transfer(w, "case", id, TransferKind::Allocation, None, (chmo, Role::CommunityHmo), "Case opened", chmo, None, open_at, open_at);
            let moved = utc(opened + Days::days(rng.random_range(2..6)), 14, 0);
            ids.transfer(w, "case", id, TransferKind::ReferralToSustainable, Some((chmo, Role::CommunityHmo)), (owner, Role::SustainableHmo), "Complex needs beyond the patch: referred for a sustainment plan", chmo, Some(team_leader), utc(opened, 11, 0), moved);
            if let Some(c) = closed_on {
                ids.transfer(w, "case", id, TransferKind::HandBack, Some((owner, Role::SustainableHmo)), (chmo, Role::CommunityHmo), "Action plan met: rent clear, support in place, tenant engaging", owner, Some(chmo), utc(c - Days::days(3), 11, 0), utc(c, 15, 0));
            }
        }
        Role::AsbOfficer => {
            ids.transfer(w, "case", id, TransferKind::Allocation, None, (chmo, Role::CommunityHmo), "Case opened", chmo, None, open_at, open_at);
            let moved = utc(opened + Days::days(rng.random_range(3..20)), 12, 0);
            ids.transfer(w, "case", id, TransferKind::EscalationHub, Some((chmo, Role::CommunityHmo)), (owner, Role::AsbOfficer), "Serious ASB: evidence review and enforcement by the Community Safety Hub", chmo, Some(team_leader), moved, moved);
        }
        Role::Legal => {
            ids.transfer(w, "case", id, TransferKind::Allocation, None, (chmo, Role::CommunityHmo), "Case opened", chmo, None, open_at, open_at);
            let moved = utc((opened + Days::days(rng.random_range(20..90))).min(today), 12, 0);
            ids.transfer(w, "case", id, TransferKind::EscalationLegal, Some((chmo, Role::CommunityHmo)), (owner, Role::Legal), "Contact ladder exhausted: notice of seeking possession", chmo, Some(team_leader), moved, moved);
        }
        _ => ids.transfer(w, "case", id, TransferKind::Allocation, None, (owner, role), "Case opened", owner, None, open_at, open_at),
    }
    if restricted {
        ids.grant(w, "case", id, team_leader, owner, open_at);
    }
    CaseRef { id, tenancy: ti, kind, open: !closed, owner, opened }
}

#[allow(clippy::too_many_arguments)]
fn write_visit(w: &mut Writer, rng: &mut ChaCha8Rng, ids: &mut Ids, cal: &WorkingCalendar, today: NaiveDate, t: &Tenancy, property: i64, vt: VisitType, on: NaiveDate, officer: i64) {
    ids.visit += 1;
    let id = ids.visit;
    let outcome = if on > today {
        VisitOutcome::Scheduled
    } else if vt != VisitType::SignUp && rng.random_bool(0.08) {
        VisitOutcome::NoAccess
    } else {
        VisitOutcome::Completed
    };
    let notes = match (outcome, vt) {
        (VisitOutcome::Scheduled, _) => "",
        (VisitOutcome::NoAccess, _) => pick(rng, &["No access: calling card left.", "No answer; neighbours say the tenant is at work. Card left.", "No access: appointment letter to follow."]),
        (_, VisitType::SignUp) => "Tenancy agreement signed; keys handed over; rent, repairs and responsibilities explained.",
        (_, VisitType::SettlingIn) => pick(rng, &["Settling in well; rent account up to date; no repairs reported.", "Settling in; help given with the Universal Credit housing costs claim.", "Settling in; referred for a furniture grant."]),
        (_, VisitType::HomeCheck) => pick(rng, &["Tenant seen with photo ID; household as recorded; property in good order.", "Tenant seen; minor repairs reported (kitchen tap, loose handrail).", "Household as recorded; garden untidy: advice given.", "Tenant seen; smoke alarms tested and working.", "Tenant seen; new baby added to the household record."]),
        (_, VisitType::OccupancyCheck) => "Named tenant present, photo ID seen; household as recorded.",
        (_, VisitType::Vulnerability) => "Welfare visit: support in place; follow-up in three months.",
        (_, VisitType::Arrears) => "Arrears discussed; payment arrangement agreed; benefits check offered.",
        (_, VisitType::Asb) => "Visited about the reported nuisance; tenant's account taken; advice given on expected behaviour.",
        (_, VisitType::MutualExchange) => "Mutual exchange inspection: property in good order; exchange can proceed.",
        (_, VisitType::RightToBuy) => "Right to buy inspection: occupancy confirmed.",
        _ => "Visit completed.",
    };
    let completed = (outcome == VisitOutcome::Completed).then(|| utc(on, rng.random_range(9..16), *[0u32, 15, 30, 45].choose(rng).expect("minute")));
    w.row(
        "visits",
        &["id", "property_id", "tenancy_id", "visit_type", "officer_id", "scheduled_for", "completed_at", "outcome", "notes"],
        vec![V::I(id), V::I(property), V::I(t.id), V::s(vt.as_str()), V::I(officer), date(on), opt(completed, instant), V::s(outcome.as_str()), V::s(notes)],
    );
    if outcome == VisitOutcome::NoAccess && on + Days::days(7) <= today + Days::days(14) {
        ids.visit += 1;
        let follow = on + Days::days(rng.random_range(3..10));
        let done = follow <= today;
        w.row(
            "visits",
            &["id", "property_id", "tenancy_id", "visit_type", "officer_id", "scheduled_for", "completed_at", "outcome", "notes"],
            vec![V::I(ids.visit), V::I(property), V::I(t.id), V::s(VisitType::NoAccessFollowUp.as_str()), V::I(officer), date(follow), if done { at(follow, 10, 30) } else { V::N }, V::s(if done { VisitOutcome::Completed.as_str() } else { VisitOutcome::Scheduled.as_str() }), V::s(if done { "Follow-up after no access: tenant seen." } else { "" })],
        );
    }
    let Some(done) = completed else { return };
    if !matches!(vt, VisitType::HomeCheck | VisitType::OccupancyCheck | VisitType::SettlingIn | VisitType::Vulnerability) {
        return;
    }
    let kind = if t.under_occupied && rng.random_bool(0.25) {
        FindingKind::UnderOccupation
    } else if t.overcrowded && rng.random_bool(0.4) {
        FindingKind::Overcrowding
    } else if rng.random_bool(0.09) {
        weighted(rng, &[(FindingKind::Disrepair, 40), (FindingKind::FireRisk, 12), (FindingKind::UnauthorisedAlteration, 8), (FindingKind::Safeguarding, 6), (FindingKind::Vulnerability, 14), (FindingKind::Subletting, 3), (FindingKind::Abandonment, 2)])
    } else {
        return;
    };
    let (detail, deadline) = match kind {
        FindingKind::Disrepair => (pick(rng, &["Damp and mould in the back bedroom", "Window latch broken in the living room", "Leaking seal around the bath", "Front door does not lock properly"]), Deadline::DISREPAIR_REFERRAL),
        FindingKind::FireRisk => (pick(rng, &["Fire door wedged open", "No working smoke alarm", "Hoarding blocking the hallway", "Mobility scooter charging in the communal stairwell"]), Deadline::FOLLOW_UP_VISIT_BOOKED),
        FindingKind::UnauthorisedAlteration => (pick(rng, &["Wall removed between kitchen and lounge", "Shed and decking built without permission", "Gas fire replaced without a safety certificate"]), Deadline::FOLLOW_UP_VISIT_BOOKED),
        FindingKind::Safeguarding => (pick(rng, &["Concern for a child's welfare", "Adult possibly being financially exploited"]), Deadline::SAFEGUARDING_CONCERN),
        FindingKind::Vulnerability => (pick(rng, &["Struggling to manage; no support in place", "Not eating properly; GP not seen for a year"]), Deadline::FOLLOW_UP_VISIT_BOOKED),
        FindingKind::UnderOccupation => ("Living alone in a family home; interested in downsizing advice", Deadline::DOWNSIZING_REFERRAL),
        FindingKind::Overcrowding => ("More people than bedrooms allow; housing options advice offered", Deadline::FOLLOW_UP_VISIT_BOOKED),
        FindingKind::Subletting => ("Occupants unable to name the tenant; tenant's belongings absent", Deadline::ENFORCEMENT_REFERRAL),
        FindingKind::Abandonment => ("Property appears unoccupied; post piling up; meters not used", Deadline::ENFORCEMENT_REFERRAL),
    };
    let due = deadline.due(done, cal);
    let recent = (today - on).num_days() <= 14;
    let actioned = if recent { rng.random_bool(0.5) } else { rng.random_bool(0.93) };
    let actioned_at = actioned.then(|| {
        let late = rng.random_bool(0.12);
        let t = if late { due + chrono::Duration::hours(rng.random_range(2..72)) } else { done + (due - done) * rng.random_range(1..9) / 10 };
        t.min(utc(today, 8, 0))
    });
    ids.finding += 1;
    w.row("visit_findings", &["id", "visit_id", "kind", "detail", "due_at", "actioned_at"], vec![V::I(ids.finding), V::I(id), V::s(kind.as_str()), V::s(detail), instant(due), opt(actioned_at, instant)]);
}

fn reason_for(rng: &mut ChaCha8Rng, category: ReferralCategory) -> &'static str {
    match category {
        ReferralCategory::Support => pick(rng, &["Struggling with daily living since a fall; needs a care assessment", "Carer has stopped visiting; tenant not coping with personal care", "Needs aids and adaptations: bathing and stairs"]),
        ReferralCategory::MentalHealth => pick(rng, &["Low mood and withdrawal; not answering the door; arrears rising", "Recent crisis; tenant asked for help with their mental health", "Paranoid beliefs about neighbours leading to disputes"]),
        ReferralCategory::Crime => pick(rng, &["Suspected drug dealing reported by several neighbours", "Criminal damage to the communal door", "Threats made to a neighbour"]),
        ReferralCategory::Mediation => pick(rng, &["Long-running noise dispute between neighbours", "Dispute over a shared garden and boundary", "Parking dispute escalating"]),
        ReferralCategory::Safeguarding => pick(rng, &["Concern for the welfare of a child in the household", "Children left alone in the property"]),
        ReferralCategory::FireSafety => pick(rng, &["Hoarding: safe and well visit needed", "Smoker with limited mobility: fire safety check", "No working smoke alarms; tenant refuses entry to contractors"]),
        ReferralCategory::Substance => pick(rng, &["Alcohol use putting the tenancy at risk", "Drug use and visitors: tenancy at risk", "Recently out of treatment; wants support to keep the tenancy"]),
        ReferralCategory::Financial => pick(rng, &["Arrears and debts: benefits check and budgeting support", "Universal Credit deductions leaving no money for food", "Help claiming Pension Credit and Council Tax Support"]),
        ReferralCategory::Marac => "High-risk domestic abuse (DASH): MARAC referral for the next meeting",
        ReferralCategory::Mappa | ReferralCategory::Asb => "Information sharing for risk management",
    }
}

#[allow(clippy::too_many_arguments)]
fn write_referral(
    w: &mut Writer,
    rng: &mut ChaCha8Rng,
    message_id: &mut i64,
    cal: &WorkingCalendar,
    today: NaiveDate,
    id: i64,
    t: &Tenancy,
    agency: &AgencyDef,
    agency_id: i64,
    partner_users: &[i64],
    case_id: Option<i64>,
    status: ReferralStatus,
    created: NaiveDate,
    created_by: i64,
    area: usize,
    officer_name: &str,
) -> i64 {
    let category = category_for(agency.kind);
    let restricted = category.is_restricted();
    let urgency = if restricted { weighted(rng, &[(Urgency::Emergency, 1), (Urgency::Urgent, 3)]) } else { weighted(rng, &[(Urgency::Emergency, 1), (Urgency::Urgent, 5), (Urgency::Standard, 14)]) };
    let mut fields = vec!["name", "address", "reason"];
    for (f, p) in [("phone", 0.8), ("household", 0.5), ("alerts", 0.4), ("rent", 0.25)] {
        if restricted || rng.random_bool(p) {
            fields.push(f);
        }
    }
    let shared = serde_json::to_string(&fields).expect("json");
    let (basis, consent_on, consent_how) = match category {
        ReferralCategory::Marac => (LawfulBasis::VitalInterests, None, None),
        ReferralCategory::Safeguarding => (LawfulBasis::LegalDuty, None, None),
        ReferralCategory::Crime if rng.random_bool(0.5) => (LawfulBasis::LegalDuty, None, None),
        _ => (LawfulBasis::Consent, Some(created), Some(pick(rng, &["Verbal consent at a home visit", "Signed consent form", "By phone, recorded on file", "By email from the tenant"]))),
    };
    let sent = (status != ReferralStatus::Draft).then(|| (created + Days::days(rng.random_range(0..2))).min(today));
    let due = sent.map(|s| match urgency {
        Urgency::Emergency => cal.working_day_on_or_after(s),
        Urgency::Urgent => cal.add_working_days(s, 2),
        Urgency::Standard => cal.add_working_days(s, 10),
    });
    let responded = matches!(status, ReferralStatus::Accepted | ReferralStatus::Declined | ReferralStatus::InProgress | ReferralStatus::Closed)
        .then(|| sent.map(|s| (cal.add_working_days(s, rng.random_range(0..6))).min(today)))
        .flatten();
    let closed_on = (status == ReferralStatus::Closed).then(|| responded.map(|r| (r + Days::days(rng.random_range(10..70))).min(today))).flatten();
    let decline = (status == ReferralStatus::Declined).then(|| pick(rng, &["Does not meet our eligibility criteria; signposted to community support", "Tenant declined to engage when contacted", "Already open to another team: passed to them", "Not enough information to act; please resend with the risk assessment"]));
    let outcome = (status == ReferralStatus::Closed).then(|| pick(rng, &["Support package in place; tenancy stable", "Assessment completed; no ongoing needs", "Mediation completed: agreement signed by both households", "Safe and well visit done; smoke alarms fitted", "Benefits maximised: £38 a week more income; arrears arrangement made", "Engaged with treatment for three months; case closed"]));
    w.row(
        "referrals",
        &["id", "reference", "tenancy_id", "case_id", "agency_id", "category", "reason", "urgency", "shared_fields", "lawful_basis", "consent_given_on", "consent_how", "contact_name", "contact_detail", "status", "decline_reason", "outcome", "restricted", "created_by", "area_team_id", "created_at", "sent_at", "responded_at", "due_at", "closed_at", "version"],
        vec![
            V::I(id), V::S(format!("REF{:06}", 300_000 + id)), V::I(t.id), opt(case_id, V::I), V::I(agency_id), V::s(category.as_str()),
            V::s(reason_for(rng, category)), V::s(urgency.as_str()), V::S(shared), V::s(basis.as_str()), opt(consent_on, date), opt(consent_how, V::s),
            V::S(t.lead.clone()), V::S(t.lead_phone.clone()), V::s(status.as_str()), opt(decline, V::s), opt(outcome, V::s), V::I(restricted as i64),
            V::I(created_by), V::I(area as i64 + 1), at(created, 10, 0), opt(sent, |d| at(d, 11, 0)), opt(responded, |d| at(d, 14, 30)),
            opt(due, |d| at(d, 17, 0)), opt(closed_on, |d| at(d, 15, 0)), V::I(1),
        ],
    );
    let partner = *partner_users.choose(rng).expect("partner user");
    let mut message = |author: i64, body: String, on: NaiveDate, hour: u32| {
        *message_id += 1;
        w.row("referral_messages", &["id", "referral_id", "author_id", "body", "created_at"], vec![V::I(*message_id), V::I(id), V::I(author), V::S(body), at(on, hour, 20)]);
    };
    if let Some(s) = sent {
        if rng.random_bool(0.5) {
            message(created_by, format!("Referral sent. The tenant knows and is happy to be contacted on the number given. {officer_name}"), s, 11);
        }
    }
    if let Some(r) = responded {
        let body = match status {
            ReferralStatus::Declined => format!("We are unable to take this referral: {}.", decline.unwrap_or("see reason").to_lowercase()),
            _ => pick(rng, &["Thank you for the referral. We have allocated a worker who will make contact this week.", "Received and accepted; first appointment booked.", "Accepted. Could you let us know the best time to visit?"]).to_string(),
        };
        message(partner, body, r, 14);
    }
    if matches!(status, ReferralStatus::InProgress | ReferralStatus::Closed) {
        if let Some(r) = responded {
            let update = (r + Days::days(rng.random_range(3..20))).min(closed_on.unwrap_or(today)).min(today);
            message(partner, pick(rng, &["Update: seen at home; support plan agreed; next review in four weeks.", "Update: two appointments attended; engaging well.", "Update: one missed appointment; we will try again next week."]).to_string(), update, 12);
            if rng.random_bool(0.4) {
                message(created_by, "Thanks for the update: I will mention it at my next visit.".to_string(), update, 16);
            }
        }
    }
    id
}

#[allow(clippy::too_many_arguments)]
fn write_feedback(w: &mut Writer, rng: &mut ChaCha8Rng, opts: &SeedOptions, today: NaiveDate, stock: &Stock, chmo_of_patch: &[i64], ihmos: &[Vec<i64>; 3], sthmos: &[Vec<i64>; 3]) {
    const SCALE: [&str; 6] = ["very_satisfied", "fairly_satisfied", "neither", "fairly_dissatisfied", "very_dissatisfied", "dont_know"];
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    // Links: the first three patches of each area, and the first Introductory and Sustainable HMO of each.
    struct Link {
        id: i64,
        officer: i64,
        role: Role,
        patch: Option<i64>,
        area: usize,
    }
    let mut links: Vec<Link> = Vec::new();
    let mut add = |w: &mut Writer, rng: &mut ChaCha8Rng, scope: &str, scope_id: i64, officer: i64, role: Role, patch: Option<i64>, area: usize| {
        let id = links.len() as i64 + 1;
        let token: String = (0..22).map(|_| *ALPHABET.choose(rng).expect("char") as char).collect();
        w.row("feedback_links", &["id", "token", "scope_type", "scope_id", "created_by", "created_at", "active"], vec![V::I(id), V::S(token), V::s(scope), V::I(scope_id), V::I(officer), at(today - Days::days(380), 9, 0), V::I(1)]);
        links.push(Link { id, officer, role, patch, area });
    };
    for (i, p) in stock.patches.iter().enumerate() {
        if p.number <= 3 {
            add(w, rng, "patch", p.id, chmo_of_patch[i], Role::CommunityHmo, Some(p.id), p.area);
        }
    }
    for area in 0..AREAS.len() {
        add(w, rng, "officer", ihmos[area][0], ihmos[area][0], Role::IntroductoryHmo, None, area);
        add(w, rng, "officer", sthmos[area][0], sthmos[area][0], Role::SustainableHmo, None, area);
    }
    let comments = [
        "My officer was brilliant and sorted the repair quickly.",
        "Nobody got back to me about the noise next door.",
        "Kept me informed all the way through.",
        "Would like more visits on the estate.",
        "The new officer listens, which makes a change.",
        "Took three calls to get an answer.",
        "Helped me sort out my Universal Credit, thank you.",
        "Having one named officer makes it easier.",
        "The garden next door is still a mess.",
    ];
    let n = (opts.homes / 25).clamp(100, 2_000);
    for k in 0..n {
        let link = &links[rng.random_range(0..links.len())];
        // Each area's tenants lean a little differently, so comparisons have something to show.
        let tilt = [0i32, 6, -5][link.area];
        let weights: [u32; 6] = [(30 + tilt).max(5) as u32, 34, 12, (10 - tilt / 2).max(2) as u32, (8 - tilt / 2).max(2) as u32, 4];
        let answer = |rng: &mut ChaCha8Rng| {
            let total: u32 = weights.iter().sum();
            let mut x = rng.random_range(0..total);
            for (i, wgt) in weights.iter().enumerate() {
                if x < *wgt {
                    return SCALE[i];
                }
                x -= wgt;
            }
            SCALE[0]
        };
        let mut answers = serde_json::Map::new();
        answers.insert("TP01".into(), answer(rng).into());
        for q in ["TP04", "TP05", "TP06", "TP07", "TP11", "TP12"] {
            if rng.random_bool(0.75) {
                answers.insert(q.into(), answer(rng).into());
            }
        }
        let day = today - Days::days(rng.random_range(0..365));
        let named = rng.random_bool(0.2);
        let g = people::pick_group(rng);
        let sex = if rng.random_bool(0.6) { 'F' } else { 'M' };
        let contact = named.then(|| format!("{} {}", people::first_name(rng, g, sex), people::surname(rng, g)));
        let comment = if rng.random_bool(0.45) { pick(rng, &comments) } else { "" };
        w.row(
            "feedback_responses",
            &["id", "link_id", "respondent_kind", "officer_id", "officer_role", "patch_id", "area_team_id", "agency_id", "submitted_at", "answers", "comment", "contact_name", "contact_detail", "idempotency_key"],
            vec![
                V::I(k as i64 + 1), V::I(link.id), V::s("tenant"), V::I(link.officer), V::s(link.role.as_str()), opt(link.patch, V::I), V::I(link.area as i64 + 1), V::N,
                at(day, rng.random_range(7..22), rng.random_range(0..60)), V::S(serde_json::Value::Object(answers).to_string()), V::s(comment),
                opt(contact.clone(), V::S), opt(contact.map(|_| phone(rng)), V::S), V::S(format!("seed-{}-{k:05}", opts.seed)),
            ],
        );
    }
}
