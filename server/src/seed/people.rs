//! Households: dates of birth (never ages), shaped so that single people, couples, families,
//! older people alone in family houses (under-occupation) and large families in small flats
//! (overcrowding) all occur.

use app::domain::Relationship;
use chrono::{Duration as Days, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::names::GROUPS;

#[derive(Clone, Debug)]
pub struct Member {
    pub first: String,
    pub last: String,
    pub dob: NaiveDate,
    pub sex: char,
    pub rel: Relationship,
    pub tenant: bool,
}

#[derive(Clone, Debug)]
pub struct Household {
    /// Index into [`GROUPS`].
    pub group: usize,
    pub members: Vec<Member>,
}

impl Household {
    pub fn tenant_names(&self) -> Vec<String> {
        self.members.iter().filter(|m| m.tenant).map(|m| format!("{} {}", m.first, m.last)).collect()
    }
}

pub fn pick_group(rng: &mut ChaCha8Rng) -> usize {
    let total: u32 = GROUPS.iter().map(|g| g.weight).sum();
    let mut x = rng.random_range(0..total);
    for (i, g) in GROUPS.iter().enumerate() {
        if x < g.weight {
            return i;
        }
        x -= g.weight;
    }
    0
}

pub fn first_name(rng: &mut ChaCha8Rng, group: usize, sex: char) -> String {
    let g = &GROUPS[group];
    let list = if sex == 'F' { g.female } else { g.male };
    list.choose(rng).copied().unwrap_or("Alex").to_string()
}

pub fn surname(rng: &mut ChaCha8Rng, group: usize) -> String {
    GROUPS[group].surnames.choose(rng).copied().unwrap_or("Smith").to_string()
}

fn sex(rng: &mut ChaCha8Rng, female_share: f64) -> char {
    if rng.random_bool(female_share) { 'F' } else { 'M' }
}

/// A date of birth for someone aged between `lo` and `hi` years on `today`.
fn born(rng: &mut ChaCha8Rng, today: NaiveDate, lo: i64, hi: i64) -> NaiveDate {
    today - Days::days(rng.random_range(lo * 365 + 1..hi * 365))
}

#[derive(Clone, Copy, PartialEq)]
enum Shape {
    OlderSingle,
    OlderCouple,
    Single,
    Couple,
    SingleParent,
    Family,
}

/// The household of a tenancy that started on `start`, as it is on `today`.
pub fn household(rng: &mut ChaCha8Rng, today: NaiveDate, start: NaiveDate, bedrooms: i64, independent: bool) -> Household {
    let group = pick_group(rng);
    let r: f64 = rng.random();
    let mut shape = if independent {
        if r < 0.75 { Shape::OlderSingle } else { Shape::OlderCouple }
    } else if bedrooms >= 3 && r < 0.12 {
        // Older people left alone in the family home: the downsizing list.
        Shape::OlderSingle
    } else if r < 0.15 {
        Shape::OlderSingle
    } else if r < 0.21 {
        Shape::OlderCouple
    } else if r < 0.47 {
        Shape::Single
    } else if r < 0.58 {
        Shape::Couple
    } else if r < 0.77 {
        Shape::SingleParent
    } else {
        Shape::Family
    };
    // Most families in bedsits and one-bed flats moved on; some are overcrowded there.
    if bedrooms <= 1 && matches!(shape, Shape::SingleParent | Shape::Family) && rng.random_bool(0.7) {
        shape = if shape == Shape::Family { Shape::Couple } else { Shape::Single };
    }
    let older = matches!(shape, Shape::OlderSingle | Shape::OlderCouple);
    let last = surname(rng, group);
    let lead_sex = sex(rng, if shape == Shape::SingleParent { 0.88 } else { 0.58 });
    let mut lead_dob = match shape {
        _ if independent => born(rng, today, 62, 96),
        Shape::OlderSingle | Shape::OlderCouple => born(rng, today, 66, 94),
        Shape::SingleParent => born(rng, today, 19, 52),
        Shape::Family => born(rng, today, 22, 58),
        _ => born(rng, today, 19, 65),
    };
    // The tenant signed at 18 or over.
    let latest = start - Days::days(18 * 365 + 30);
    if lead_dob > latest {
        lead_dob = latest - Days::days(rng.random_range(0..3_000));
    }
    let mut members = vec![Member { first: first_name(rng, group, lead_sex), last: last.clone(), dob: lead_dob, sex: lead_sex, rel: Relationship::Tenant, tenant: true }];

    if matches!(shape, Shape::OlderCouple | Shape::Couple | Shape::Family) {
        let partner_sex = if rng.random_bool(0.93) { if lead_sex == 'F' { 'M' } else { 'F' } } else { lead_sex };
        let joint = rng.random_bool(0.5);
        let dob = lead_dob + Days::days(rng.random_range(-2_500..2_500));
        let dob = dob.min(latest);
        let partner_last = if rng.random_bool(0.7) { last.clone() } else { surname(rng, group) };
        members.push(Member {
            first: first_name(rng, group, partner_sex),
            last: partner_last,
            dob,
            sex: partner_sex,
            rel: if joint { Relationship::JointTenant } else { Relationship::Partner },
            tenant: joint,
        });
    }

    let lead_age_days = (today - lead_dob).num_days();
    let kids = match shape {
        Shape::SingleParent => rng.random_range(1..=3),
        Shape::Family if bedrooms >= 4 => rng.random_range(3..=6),
        Shape::Family if bedrooms <= 1 => rng.random_range(1..=3),
        Shape::Family => rng.random_range(1..=4),
        Shape::Single | Shape::Couple if !older && lead_age_days > 40 * 365 && rng.random_bool(0.2) => rng.random_range(1..=2),
        _ => 0,
    };
    // Children (adult children still at home for older parents without young ones).
    let max_age = (lead_age_days - 16 * 365).clamp(200, if matches!(shape, Shape::Single | Shape::Couple) { 30 * 365 } else { 18 * 365 });
    let min_age = if matches!(shape, Shape::Single | Shape::Couple) { (16 * 365).min(max_age - 100) } else { 30 };
    for _ in 0..kids {
        let s = sex(rng, 0.5);
        members.push(Member {
            first: first_name(rng, group, s),
            last: last.clone(),
            dob: today - Days::days(rng.random_range(min_age..max_age)),
            sex: s,
            rel: Relationship::Child,
            tenant: false,
        });
    }
    if !older && !independent && rng.random_bool(0.02) {
        let s = sex(rng, 0.7);
        members.push(Member { first: first_name(rng, group, s), last: last.clone(), dob: born(rng, today, 72, 95), sex: s, rel: Relationship::Parent, tenant: false });
    }
    if shape == Shape::Single && !older && rng.random_bool(0.03) {
        let g = pick_group(rng);
        let s = sex(rng, 0.4);
        members.push(Member { first: first_name(rng, g, s), last: surname(rng, g), dob: born(rng, today, 20, 45), sex: s, rel: Relationship::Lodger, tenant: false });
    }
    if older && rng.random_bool(0.05) {
        let s = sex(rng, 0.8);
        members.push(Member { first: first_name(rng, 0, s), last: surname(rng, 0), dob: born(rng, today, 25, 58), sex: s, rel: Relationship::Carer, tenant: false });
    }
    Household { group, members }
}

/// The tenant of an ended tenancy (history only).
pub fn former_tenant(rng: &mut ChaCha8Rng, start: NaiveDate) -> Member {
    let group = pick_group(rng);
    let s = sex(rng, 0.55);
    Member {
        first: first_name(rng, group, s),
        last: surname(rng, group),
        dob: start - Days::days(rng.random_range(19 * 365..70 * 365)),
        sex: s,
        rel: Relationship::Tenant,
        tenant: true,
    }
}
