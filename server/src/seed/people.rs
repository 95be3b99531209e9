//! Tenancies and households: an earlier, ended tenancy for some homes, the current one (with its
//! tenants, partners, children and carers), its ownership history and its rent account.
//!
//! Introductory tenancies are new lets (under a year old) owned by Introductory HMOs; a handful
//! per area are past their anniversary with no decision, so the alarm shows. Extended
//! introductory tenancies are rare, as they are in real councils (Dudley extended 2 in a year).

use app::domain::referral::{SharedPerson, TenantFacts};
use app::domain::{Pence, PropertyType, Relationship, Role, Tenure};
use chrono::{Duration as Days, NaiveDate};
use rand::Rng;
use rand::seq::{IndexedRandom, index};

use super::patches::Patches;
use super::places::{Home, Places};
use super::rent;
use super::staff::Staff;
use super::writer::{V, Writer};
use super::{AREAS, Ctx, date, instant};

/// Introductory tenancies per area seeded past their anniversary with no decision recorded.
const MISSED_REVIEWS_PER_AREA: usize = 12;

/// Extended introductory tenancies in a council of `homes`: about two a year for York's 7,400.
pub fn extended_tenancies(homes: usize) -> usize {
    (homes * 2).div_ceil(7_400).max(1)
}

pub struct Active {
    pub id: i64,
    /// Index into [`Places::homes`].
    pub home: usize,
    pub tenure: Tenure,
    pub start: NaiveDate,
    pub owner: i64,
    /// The balance today, and the part of it that is real arrears (not UC's timing).
    pub balance: i64,
    pub arrears: i64,
    /// What a referral about this tenancy could share (alerts are added with the referral).
    pub facts: TenantFacts,
}

const TENANCY_COLUMNS: [&str; 15] = [
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
const MEMBER_COLUMNS: [&str; 11] =
    ["id", "tenancy_id", "first_name", "last_name", "date_of_birth", "sex", "relationship", "is_tenant", "phone", "email", "joined_on"];
pub const TRANSFER_COLUMNS: [&str; 15] = [
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

/// Running ids and quotas across the whole council.
struct Counters {
    tenancy: i64,
    member: i64,
    txn: i64,
    missed_reviews: [usize; 3],
    extended: Vec<bool>,
}

pub fn write(ctx: &mut Ctx, places: &Places, patches: &Patches, staff: &Staff) -> Vec<Active> {
    let n = places.homes.len();
    let mut extended = vec![false; n];
    for i in index::sample(&mut ctx.rng, n, extended_tenancies(n)) {
        extended[i] = true;
    }
    let mut k = Counters { tenancy: 0, member: 0, txn: 0, missed_reviews: [MISSED_REVIEWS_PER_AREA; AREAS.len()], extended };
    let mut active = Vec::new();
    for (hi, home) in places.homes.iter().enumerate() {
        let void = !k.extended[hi] && ctx.rng.random_bool(0.035);
        // An earlier, ended tenancy for some homes (not where the extension is: its whole trial
        // must fit after the earlier tenancy).
        let floor = if !k.extended[hi] && ctx.rng.random_bool(0.35) { earlier_tenancy(ctx, &mut k, home) } else { ctx.today - Days::days(30 * 365) };
        if void {
            continue;
        }
        active.push(current_tenancy(ctx, &mut k, hi, home, floor, patches.chmo_of[&home.patch], staff));
    }
    active
}

/// An ended secure tenancy and its tenant; returns the earliest day the next could start.
fn earlier_tenancy(ctx: &mut Ctx, k: &mut Counters, home: &Home) -> NaiveDate {
    let start = ctx.today - Days::days(ctx.rng.random_range(4000..9000));
    let end = start + Days::days(ctx.rng.random_range(700..3600));
    k.tenancy += 1;
    let surname = ctx.surname();
    let sex = ctx.sex(0.55);
    let first = ctx.first_name(sex);
    let reference = format!("TEN{:07}", k.tenancy + 1_000_000);
    let search = format!("{} {} {}", reference.to_lowercase(), first.to_lowercase(), surname.to_lowercase());
    ctx.w.row(
        "tenancies",
        &TENANCY_COLUMNS,
        vec![
            V::I(k.tenancy),
            V::S(reference),
            V::I(home.id),
            V::s("secure"),
            V::s("ended"),
            date(start),
            date(end),
            V::N,
            V::N,
            V::N,
            V::N,
            V::s("community_hmo"),
            V::S(search),
            V::I(1),
            instant(start, 9),
        ],
    );
    k.member += 1;
    let dob = start - Days::days(ctx.rng.random_range(20 * 365..60 * 365));
    let row = vec![
        V::I(k.member),
        V::I(k.tenancy),
        V::S(first),
        V::S(surname),
        date(dob),
        V::S(sex.to_string()),
        V::s("tenant"),
        V::I(1),
        V::S(String::new()),
        V::S(String::new()),
        date(start),
    ];
    ctx.w.row("household_members", &MEMBER_COLUMNS, row);
    end + Days::days(ctx.rng.random_range(14..120))
}

/// The tenure and start of a home's current tenancy.
fn tenure_for(ctx: &mut Ctx, k: &mut Counters, hi: usize, home: &Home, floor: NaiveDate) -> (Tenure, NaiveDate) {
    let today = ctx.today;
    let days = |ctx: &mut Ctx, r: std::ops::Range<i64>| today - Days::days(ctx.rng.random_range(r));
    let roll: f64 = ctx.rng.random();
    let (tenure, start) = if k.extended[hi] {
        // Past the first anniversary, inside the six months' extension.
        (Tenure::ExtendedIntroductory, days(ctx, 380..530))
    } else if roll < 0.01 && k.missed_reviews[home.area] > 0 {
        // Past the anniversary with no decision recorded: the review clock is overdue.
        k.missed_reviews[home.area] -= 1;
        (Tenure::Introductory, days(ctx, 367..385))
    } else if roll < 0.095 {
        (Tenure::Introductory, days(ctx, 5..360))
    } else if roll < 0.11 && home.ptype == PropertyType::Flat {
        (Tenure::Leasehold, days(ctx, 800..9000))
    } else {
        (Tenure::Secure, days(ctx, 400..(today - floor).num_days().max(401)))
    };
    (tenure, start.max(floor))
}

/// The current tenancy: household, tenancy row, ownership history and rent account.
fn current_tenancy(ctx: &mut Ctx, k: &mut Counters, hi: usize, home: &Home, floor: NaiveDate, chmo: i64, staff: &Staff) -> Active {
    let (tenure, start) = tenure_for(ctx, k, hi, home, floor);
    k.tenancy += 1;
    let tid = k.tenancy;
    let reference = format!("TEN{:07}", tid + 1_000_000);
    let introductory = tenure.is_introductory();
    let owner = if introductory { *staff.ihmos[home.area].choose(&mut ctx.rng).expect("ihmo") } else { chmo };
    let owner_role = if introductory { Role::IntroductoryHmo } else { Role::CommunityHmo };
    let trial_end = introductory.then(|| app::domain::clock::trial_end(start, tenure == Tenure::ExtendedIntroductory));
    let (ext_reason, notice) = if tenure == Tenure::ExtendedIntroductory {
        // Dudley's grounds: arrears, nuisance, or the condition of the home.
        let reason = *["arrears", "nuisance", "property_condition"].choose(&mut ctx.rng).unwrap_or(&"arrears");
        let first_end = app::domain::clock::trial_end(start, false);
        (V::s(reason), date(app::domain::clock::extension_notice_last_day(first_end) - Days::days(ctx.rng.random_range(1..20))))
    } else {
        (V::N, V::N)
    };
    let mut facts = TenantFacts { address: format!("{}, {}", home.line1, home.postcode), tenure: tenure.label().to_string(), ..Default::default() };
    let tenants = household(ctx, k, tid, start, home.bedrooms, &mut facts);
    let search = app::domain::search::index_text(&[&reference, &tenants.join(" "), &home.line1, &home.line2, "York"], &home.postcode);
    ctx.w.row(
        "tenancies",
        &TENANCY_COLUMNS,
        vec![
            V::I(tid),
            V::S(reference),
            V::I(home.id),
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
    history(ctx, tid, tenure, start, owner, chmo, staff, home.area);
    let account = rent::account(ctx, tid, start, home.bedrooms, tenure.pays_rent(), &mut k.txn);
    let facts = TenantFacts { rent_balance: tenure.pays_rent().then_some(Pence(account.balance)), ..facts };
    Active { id: tid, home: hi, tenure, start, owner, balance: account.balance, arrears: account.arrears, facts }
}

/// One member of a household, as generated.
struct Person {
    first: String,
    dob: NaiveDate,
    sex: char,
    rel: Relationship,
    tenant: bool,
}

/// Who lives in a home of `bedrooms`: shaped so that under-occupation and overcrowding both occur.
fn people(ctx: &mut Ctx, bedrooms: i64) -> Vec<Person> {
    let today = ctx.today;
    let kind: f64 = ctx.rng.random();
    let adult_dob = |ctx: &mut Ctx, lo: i64, hi: i64| today - Days::days(ctx.rng.random_range(lo * 365..hi * 365));
    let sex1 = ctx.sex(0.6);
    let older = kind < 0.18 || (bedrooms >= 3 && kind < 0.26);
    let lead_dob = if older { adult_dob(ctx, 66, 92) } else { adult_dob(ctx, 19, 64) };
    let mut people = vec![Person { first: ctx.first_name(sex1), dob: lead_dob, sex: sex1, rel: Relationship::Tenant, tenant: true }];
    if ctx.rng.random_bool(if older { 0.35 } else { 0.45 }) {
        let sex = if sex1 == 'F' { 'M' } else { 'F' };
        // Half of couples hold the tenancy jointly: a partner who is also a tenant.
        let joint = ctx.rng.random_bool(0.5);
        let dob = lead_dob + Days::days(ctx.rng.random_range(-1500..1500));
        people.push(Person { first: ctx.first_name(sex), dob, sex, rel: Relationship::Partner, tenant: joint });
    }
    if !older {
        let kids = match bedrooms {
            0 | 1 if ctx.rng.random_bool(0.12) => ctx.rng.random_range(1..=3),
            0 | 1 => 0,
            2 => ctx.rng.random_range(0..=3),
            3 => ctx.rng.random_range(0..=4),
            _ => ctx.rng.random_range(1..=6),
        };
        for _ in 0..kids {
            let sex = ctx.sex(0.5);
            let age_days = ctx.rng.random_range(100..(20 * 365).min((today - lead_dob).num_days() - 16 * 365).max(101));
            people.push(Person { first: ctx.first_name(sex), dob: today - Days::days(age_days), sex, rel: Relationship::Child, tenant: false });
        }
    }
    if older && ctx.rng.random_bool(0.04) {
        let dob = adult_dob(ctx, 25, 55);
        people.push(Person { first: ctx.first_name('F'), dob, sex: 'F', rel: Relationship::Carer, tenant: false });
    }
    people
}

/// The household's rows; fills in what a referral could share and returns the tenants' names.
fn household(ctx: &mut Ctx, k: &mut Counters, tid: i64, start: NaiveDate, bedrooms: i64, facts: &mut TenantFacts) -> Vec<String> {
    let surname = ctx.surname();
    let mut tenants = Vec::new();
    for (i, p) in people(ctx, bedrooms).into_iter().enumerate() {
        k.member += 1;
        let last = if p.rel == Relationship::Carer { ctx.surname() } else { surname.clone() };
        let name = format!("{} {last}", p.first);
        if p.tenant {
            tenants.push(name.clone());
        }
        let phone = if p.tenant { format!("07{:03} {:06}", ctx.rng.random_range(700..999), ctx.rng.random_range(0..999_999)) } else { String::new() };
        let email = if p.tenant && ctx.rng.random_bool(0.6) {
            format!("{}.{}@example.com", p.first.to_lowercase(), last.to_lowercase().replace('\'', ""))
        } else {
            String::new()
        };
        if i == 0 {
            (facts.name, facts.phone, facts.email, facts.date_of_birth) = (name, phone.clone(), email.clone(), p.dob.to_string());
        } else {
            let age = app::domain::occupancy::age_on(p.dob, ctx.today);
            facts.household.push(SharedPerson { name, relationship: p.rel.label().to_string(), age });
        }
        ctx.w.row(
            "household_members",
            &MEMBER_COLUMNS,
            vec![
                V::I(k.member),
                V::I(tid),
                V::S(p.first),
                V::S(last),
                date(p.dob),
                V::S(p.sex.to_string()),
                V::s(p.rel.as_str()),
                V::I(p.tenant as i64),
                V::S(phone),
                V::S(email),
                date(start.max(p.dob)),
            ],
        );
    }
    tenants
}

/// A completed ownership move of a tenancy.
pub struct Move<'r> {
    pub kind: &'r str,
    pub from: Option<(i64, Role)>,
    pub to: (i64, Role),
    pub reason: &'r str,
    pub requested_by: i64,
    pub approved_by: Option<i64>,
    /// Requested, decided, effective.
    pub at: (V, V, V),
}

pub fn transfer(w: &mut Writer, id: i64, subject_type: &str, subject_id: i64, m: Move) {
    w.row(
        "transfers",
        &TRANSFER_COLUMNS,
        vec![
            V::I(id),
            V::s(subject_type),
            V::I(subject_id),
            V::s(m.kind),
            V::s("completed"),
            m.from.map(|f| V::I(f.0)).unwrap_or(V::N),
            m.from.map(|f| V::s(f.1.as_str())).unwrap_or(V::N),
            V::I(m.to.0),
            V::s(m.to.1.as_str()),
            V::s(m.reason),
            V::I(m.requested_by),
            m.approved_by.map(V::I).unwrap_or(V::N),
            m.at.0,
            m.at.1,
            m.at.2,
        ],
    );
}

/// Ownership history: allocation, and the secure handover for tenancies that passed their trial.
#[allow(clippy::too_many_arguments)]
fn history(ctx: &mut Ctx, tid: i64, tenure: Tenure, start: NaiveDate, owner: i64, chmo: i64, staff: &Staff, area: usize) {
    let secure_after_trial = tenure == Tenure::Secure && (ctx.today - start).num_days() < 6 * 365;
    let first = if secure_after_trial { *staff.ihmos[area].choose(&mut ctx.rng).expect("ihmo") } else { owner };
    let first_role = if secure_after_trial || tenure.is_introductory() { Role::IntroductoryHmo } else { Role::CommunityHmo };
    let id = ctx.next_transfer();
    let signed = (instant(start, 10), instant(start, 10), instant(start, 10));
    let lead = staff.team_leaders[area];
    let m =
        Move { kind: "allocation", from: None, to: (first, first_role), reason: "New tenancy signed up", requested_by: lead, approved_by: None, at: signed };
    transfer(&mut ctx.w, id, "tenancy", tid, m);
    if secure_after_trial {
        let at = app::domain::clock::trial_end(start, false);
        let id = ctx.next_transfer();
        let when = (instant(at - Days::days(20), 11), instant(at - Days::days(14), 15), instant(at, 9));
        let m = Move {
            kind: "secure_handover",
            from: Some((first, Role::IntroductoryHmo)),
            to: (chmo, Role::CommunityHmo),
            reason: "Introductory review: made secure",
            requested_by: first,
            approved_by: Some(lead),
            at: when,
        };
        transfer(&mut ctx.w, id, "tenancy", tid, m);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extended_introductory_tenancies_are_rare() {
        // Dudley extended 2 in a year; a York-sized council has about as many, not a hundred.
        assert_eq!(extended_tenancies(7_400), 2);
        assert_eq!(extended_tenancies(900), 1);
        assert!(extended_tenancies(60_000) <= 17);
    }
}
