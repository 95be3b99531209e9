//! Demo council generator: a deterministic, believable council built from a seed, placed on the
//! real York postcode points and wards. `hearth seed` runs it; `hearth serve --demo` runs it on an
//! empty database. Same seed and size ⇒ the same council (no wall clock, no OS randomness in the data).
//!
//! One module per kind of record, run in this order (each writes its rows and hands on what the
//! next needs): [`reference`] (holidays, settings, area teams, wards), [`staff`] (agencies and
//! officers), [`places`] (estates, streets, blocks, homes), [`patches`] (patches and their
//! Community HMOs), [`people`] (tenancies, households, ownership history) with [`rent`] (accounts
//! and statements), [`visits`] (alerts, visits, findings), [`casework`] (cases, plans, workflow),
//! [`referrals`] and [`feedback`].

mod casework;
mod complaints;
mod feedback;
mod geo;
mod names;
mod patches;
mod people;
mod places;
mod reference;
mod referrals;
mod rent;
mod staff;
mod visits;

use std::time::{Duration, Instant};

use anyhow::bail;
use app::domain::Role;
use chrono::NaiveDate;
use rand::seq::IndexedRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use crate::db::{Backend, Db};
use crate::store::bulk::{self as writer, V, Writer};

pub const DEMO_PASSWORD: &str = "hearth-demo-2026";

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

/// Whether the database holds no council yet (`store::bulk::is_empty`).
pub async fn is_empty(db: &Db) -> anyhow::Result<bool> {
    writer::is_empty(db).await
}

const AREAS: [&str; 3] = ["East", "West", "Central"];

/// What every part of the generator shares: the random stream, the day histories lead up to,
/// the row writer and the id counters that more than one module draws from.
pub(crate) struct Ctx {
    pub rng: ChaCha8Rng,
    pub today: NaiveDate,
    pub homes: usize,
    pub seed: u64,
    pub w: Writer,
    /// The last `transfers.id` written (tenancies and cases both record ownership moves).
    pub transfer_id: i64,
}

impl Ctx {
    /// 'F' or 'M', female with probability `p_female`.
    fn sex(&mut self, p_female: f64) -> char {
        if self.rng.random_bool(p_female) { 'F' } else { 'M' }
    }

    fn first_name(&mut self, sex: char) -> String {
        person_name(&mut self.rng, sex)
    }

    fn surname(&mut self) -> String {
        names::SURNAMES.choose(&mut self.rng).copied().unwrap_or("Smith").to_string()
    }

    fn next_transfer(&mut self) -> i64 {
        self.transfer_id += 1;
        self.transfer_id
    }
}

fn date(d: NaiveDate) -> V {
    V::S(d.to_string())
}

fn instant(d: NaiveDate, hour: u32) -> V {
    V::S(format!("{d}T{hour:02}:00:00Z"))
}

fn person_name(rng: &mut ChaCha8Rng, sex: char) -> String {
    let first = if sex == 'F' { names::FEMALE.choose(rng) } else { names::MALE.choose(rng) };
    first.copied().unwrap_or("Alex").to_string()
}

fn progress_bar(on: bool) -> indicatif::ProgressBar {
    if !on {
        return indicatif::ProgressBar::hidden();
    }
    let b = indicatif::ProgressBar::new(8);
    b.set_style(indicatif::ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg} ({elapsed})").expect("template").progress_chars("=> "));
    b
}

/// Builds the whole demo council in an empty database, one kind of record after another.
pub async fn seed(db: &Db, opts: &SeedOptions) -> anyhow::Result<SeedReport> {
    let started = Instant::now();
    if !is_empty(db).await? {
        bail!("the database already holds a council");
    }
    if opts.homes < 300 {
        bail!("a demo council needs at least 300 homes");
    }
    let bar = progress_bar(opts.progress);
    let mut ctx = Ctx { rng: ChaCha8Rng::seed_from_u64(opts.seed), today: opts.today, homes: opts.homes, seed: opts.seed, w: Writer::new(), transfer_id: 0 };
    let mut report = SeedReport::default();

    bar.set_message("reference data");
    let wards = reference::write(&mut ctx)?;
    bar.inc(1);
    bar.set_message("officers and agencies");
    let mut staff = staff::write(&mut ctx);
    bar.inc(1);
    bar.set_message("estates, streets and homes");
    let mut places = places::plan(&mut ctx, &wards)?;
    let patches = patches::write(&mut ctx, &mut places, &wards, &mut staff);
    places::write(&mut ctx, &places);
    ctx.w.flush(db).await?;
    report.homes = places.homes.len();
    report.patches = patches.list.len();
    report.officers = staff.users.iter().filter(|u| u.role != Role::Partner).count();

    bar.inc(1);
    bar.set_message("tenancies, households and rent");
    let active = people::write(&mut ctx, &places, &patches, &staff);
    ctx.w.flush(db).await?;
    report.tenancies = active.len();

    bar.inc(1);
    bar.set_message("alerts and visits");
    report.visits = visits::write(&mut ctx, &places, &active);
    ctx.w.flush(db).await?;

    bar.inc(1);
    bar.set_message("cases");
    report.cases = casework::write(&mut ctx, &places, &patches, &staff, &active);
    report.cases += complaints::write(&mut ctx, &places, &staff, &active, report.cases as i64);
    ctx.w.flush(db).await?;

    bar.inc(1);
    bar.set_message("referrals and feedback");
    report.referrals = referrals::write(&mut ctx, &places, &staff, &active)?;
    feedback::write(&mut ctx, &patches, &staff);
    staff::write_deputy(&mut ctx, &mut staff);
    ctx.w.flush(db).await?;
    feedback::import_tsm(db, staff.admin_id).await?;
    bar.inc(1);

    if db.backend == Backend::Postgres {
        writer::reset_sequences(db).await?;
    }
    bar.finish_and_clear();
    let mut accounts = staff.accounts;
    accounts.sort_by_key(|a: &DemoAccount| (a.role as u8, a.username.clone()));
    report.accounts = accounts;
    report.elapsed = started.elapsed();
    Ok(report)
}

#[cfg(test)]
pub(crate) mod tests {
    use std::collections::BTreeMap;

    use super::*;

    /// A generator context for tests, writing to no database.
    pub fn ctx(homes: usize, seed: u64) -> Ctx {
        Ctx { rng: ChaCha8Rng::seed_from_u64(seed), today: SeedOptions::default().today, homes, seed, w: Writer::new(), transfer_id: 0 }
    }

    /// A column of one buffered row.
    pub fn col<'r>(row: &(&'r [String], &'r [V]), name: &str) -> &'r V {
        let i = row.0.iter().position(|c| c == name).unwrap_or_else(|| panic!("no column {name}"));
        &row.1[i]
    }

    pub fn text<'r>(row: &(&'r [String], &'r [V]), name: &str) -> &'r str {
        match col(row, name) {
            V::S(s) => s,
            other => panic!("{name} is {other:?}"),
        }
    }

    pub fn int(row: &(&[String], &[V]), name: &str) -> i64 {
        match col(row, name) {
            V::I(i) => *i,
            other => panic!("{name} is {other:?}"),
        }
    }

    /// The whole York-sized council up to its tenancies and rent, without a database.
    fn council(homes: usize, seed: u64) -> Ctx {
        let mut c = ctx(homes, seed);
        let wards = reference::write(&mut c).unwrap();
        let mut staff = staff::write(&mut c);
        let mut places = places::plan(&mut c, &wards).unwrap();
        let patches = patches::write(&mut c, &mut places, &wards, &mut staff);
        places::write(&mut c, &places);
        people::write(&mut c, &places, &patches, &staff);
        c
    }

    #[test]
    fn extended_introductory_tenancies_are_a_handful() {
        let c = council(7400, 2023);
        let tenancies = c.w.rows("tenancies");
        let active: Vec<_> = tenancies.iter().filter(|r| text(r, "status") == "active").collect();
        assert!(active.len() > 6_500, "{}", active.len());
        let extended = active.iter().filter(|r| text(r, "tenure") == "extended_introductory").count();
        assert!((1..=people::extended_tenancies(7400)).contains(&extended), "{extended} extended introductory tenancies");
        let introductory = active.iter().filter(|r| text(r, "tenure") == "introductory").count();
        assert!((300..900).contains(&introductory), "about a year's lettings are introductory: {introductory}");
    }

    #[test]
    fn universal_credit_arrives_monthly_in_every_account() {
        let c = council(900, 7);
        let uc: BTreeMap<i64, bool> = c.w.rows("rent_accounts").iter().map(|r| (int(r, "id"), int(r, "universal_credit") == 1)).collect();
        assert!(uc.values().filter(|u| **u).count() > 200);
        let mut paid: BTreeMap<i64, Vec<String>> = BTreeMap::new();
        for r in c.w.rows("rent_transactions") {
            let account = int(&r, "account_id");
            match text(&r, "kind") {
                "universal_credit" if text(&r, "description").starts_with("UC housing costs") => {
                    paid.entry(account).or_default().push(text(&r, "posted_on").to_string());
                }
                "universal_credit" => {}
                "payment" => assert!(!uc[&account], "a UC tenant's rent comes from UC"),
                _ => {}
            }
        }
        for (account, days) in &paid {
            assert!(uc[account]);
            let days: Vec<NaiveDate> = days.iter().map(|d| d.parse().unwrap()).collect();
            assert!(days.windows(2).all(|w| (w[1] - w[0]).num_days() >= 28), "account {account}: {days:?}");
        }
    }

    #[test]
    fn the_same_seed_gives_the_same_council() {
        let fingerprint = |c: &Ctx| format!("{:?}", c.w.rows("properties").iter().take(300).map(|r| r.1.to_vec()).collect::<Vec<_>>());
        assert_eq!(fingerprint(&council(900, 11)), fingerprint(&council(900, 11)));
        assert_ne!(fingerprint(&council(900, 11)), fingerprint(&council(900, 12)));
    }
}
