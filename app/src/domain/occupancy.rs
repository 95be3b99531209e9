//! The social-sector size criteria, exactly as the benefit rules set them: how many bedrooms a
//! household is entitled to, how many its home has spare or is short of, and the reduction in
//! housing support an under-occupying working-age household faces.
//!
//! Housing Benefit Regulations 2006 reg. B13(5)–(9) and Universal Credit Regulations 2013 Sch. 4
//! paras. 9–12 give one bedroom for each of these, each person in the first that fits:
//! a couple (reg. B13(5)(a); UC para. 10(1)(a)), unless one of them cannot share a bedroom because
//! of disability, when each has one (B13(5)(za), (zb); UC para. 12(1)(d)); a person who is not a
//! child, 16 or over (B13(5)(b)); a child who cannot share (B13(5)(ba); UC para. 12(1)(c)); two
//! children of the same sex (B13(5)(c)); two children under 10 (B13(5)(d)); any other child
//! (B13(5)(e)). Then one more bedroom for each of: a tenant, partner or other member who needs a
//! non-resident overnight carer (B13(6)(a), (9); UC para. 12(A1)), one for a couple who both do
//! (B13(7)(b)); a tenant who is an approved foster carer (B13(6)(ab); UC para. 12(1)(b)). An adult
//! son or daughter away on armed-forces operations who means to return still counts as living there
//! (B13(8)). The reduction is 14% for one spare bedroom and 25% for two or more (B13(3); UC
//! para. 36(3)), and only while someone liable for the rent is under state pension age.

use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// Whole years of age on `on`.
pub fn age_on(date_of_birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - date_of_birth.year();
    if (on.month(), on.day()) < (date_of_birth.month(), date_of_birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// A person's place in the household, for the size criteria.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum SizeRole {
    /// The tenant (one per household; a second tenant is a joint tenant or the partner).
    Tenant,
    /// The tenant's partner: with the tenant, a couple.
    Partner,
    /// A joint tenant who is not the tenant's partner: counts as an adult on their own.
    JointTenant,
    /// Anyone else living there (an adult son or daughter, a lodger, a relative); a child by age.
    Adult,
    /// A son, daughter or other child of the household; 16 or over counts as an adult.
    Child,
}

impl SizeRole {
    fn liable(self) -> bool {
        matches!(self, SizeRole::Tenant | SizeRole::Partner | SizeRole::JointTenant)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Sex {
    F,
    M,
}

/// One member of the household as the size criteria see them.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Person {
    pub role: SizeRole,
    pub date_of_birth: NaiveDate,
    pub sex: Option<Sex>,
    /// Cannot share a bedroom because of disability: a child (B13(5)(ba)) or a member of a couple
    /// (B13(5)(za)).
    pub needs_own_room: bool,
    /// The tenant or partner is an approved foster carer (or adopter), placed or within 52 weeks of
    /// approval or the last placement (B13(6)(ab)).
    pub foster_carer: bool,
    /// Needs overnight care from a carer who does not live there (B13(6)(a)).
    pub overnight_carer: bool,
    /// An adult son or daughter away on armed-forces operations who means to return (B13(8)).
    pub armed_forces: bool,
}

impl Person {
    pub fn new(role: SizeRole, date_of_birth: NaiveDate, sex: Option<Sex>) -> Person {
        Person { role, date_of_birth, sex, needs_own_room: false, foster_carer: false, overnight_carer: false, armed_forces: false }
    }
}

/// Why one of the bedrooms is allowed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct RoomFor {
    /// Whom it is for, by their places in the household list (counting from 1).
    pub members: Vec<usize>,
    /// The rule, e.g. "a couple (HB reg. B13(5)(a))".
    pub rule: String,
}

/// What the size criteria make of a household in a home.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Assessment {
    /// Bedrooms the household is entitled to.
    pub entitlement: u32,
    /// Bedrooms beyond the entitlement (under-occupation).
    pub spare: u32,
    /// Bedrooms short of the entitlement (overcrowding by the size criteria).
    pub short: u32,
    /// The reduction in eligible rent: 14 for one spare bedroom, 25 for two or more, 0 otherwise or
    /// when everyone liable for the rent is over state pension age.
    pub reduction_percent: u32,
    /// Someone liable for the rent is under state pension age, so the reduction can apply.
    pub working_age: bool,
    /// Each bedroom allowed and why, in the order of the rules.
    pub rooms: Vec<RoomFor>,
}

impl Assessment {
    /// One line for a tenancy page or a list.
    pub fn label(&self) -> String {
        let s = |n: u32| if n == 1 { "" } else { "s" };
        if self.short > 0 {
            format!("Overcrowded (needs {} more bedroom{})", self.short, s(self.short))
        } else if self.spare > 0 {
            let reduction = if self.reduction_percent > 0 { format!(", {}% reduction", self.reduction_percent) } else { String::new() };
            format!("Under-occupied ({} spare bedroom{}{reduction})", self.spare, s(self.spare))
        } else {
            "Right-sized".to_string()
        }
    }
}

/// A household the size criteria cannot be applied to, and why (which member, counting from 1).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SizeError {
    #[error("The household has no tenant: give one member the role \"tenant\".")]
    NoTenant,
    #[error("Member {0} is a second tenant: give a second tenant the role \"joint_tenant\", or \"partner\" if they are the tenant's partner.")]
    SecondTenant(usize),
    #[error("Member {0} is a second partner: a tenant has one partner.")]
    SecondPartner(usize),
    #[error("Member {0} was born after the day of the assessment.")]
    BornLater(usize),
    #[error("Member {0} is a tenant or partner under 16.")]
    TenantUnder16(usize),
    #[error("Member {0} is a child: give their sex (\"F\" or \"M\"), which decides who shares a bedroom.")]
    ChildWithoutSex(usize),
    #[error("Member {0} is marked as a foster carer: only the tenant or their partner can be.")]
    FosterCarerNotTenant(usize),
    #[error("Member {0} is marked as away with the armed forces: only an adult son or daughter (role \"adult\", 16 or over) counts so.")]
    ArmedForcesNotAdultChild(usize),
    #[error("A household of {0} people is more than the size criteria are applied to here (30).")]
    TooMany(usize),
}

/// A household member as the tenancy records them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Recorded {
    pub relationship: crate::domain::Relationship,
    pub is_tenant: bool,
    pub date_of_birth: NaiveDate,
    pub sex: Sex,
}

/// The household as the size criteria see it, from the tenancy's record (tenants first): the first
/// tenant is the tenant; a partner (tenant or not) the partner; another tenant a joint tenant; a
/// child a child; anyone else an adult. An overnight carer is not a member but gives the tenant the
/// carer's additional room (reg. B13(6)(a)). Each kept member comes with its index in `members`.
pub fn from_record(members: &[Recorded]) -> Vec<(usize, Person)> {
    use crate::domain::Relationship;
    let mut out: Vec<(usize, Person)> = Vec::new();
    let mut cared_for = false;
    for (i, m) in members.iter().enumerate() {
        let has = |role: SizeRole, out: &[(usize, Person)]| out.iter().any(|(_, p)| p.role == role);
        let role = match m.relationship {
            _ if m.is_tenant && !has(SizeRole::Tenant, &out) => SizeRole::Tenant,
            Relationship::Carer => {
                cared_for = true;
                continue;
            }
            Relationship::Partner if !has(SizeRole::Partner, &out) => SizeRole::Partner,
            _ if m.is_tenant => SizeRole::JointTenant,
            Relationship::Child => SizeRole::Child,
            _ => SizeRole::Adult,
        };
        out.push((i, Person::new(role, m.date_of_birth, Some(m.sex))));
    }
    if cared_for && let Some((_, tenant)) = out.iter_mut().find(|(_, p)| p.role == SizeRole::Tenant) {
        tenant.overnight_carer = true;
    }
    out
}

/// The most people one assessment takes.
pub const MAX_HOUSEHOLD: usize = 30;

/// The day someone reaches state pension age (Pensions Act 1995 Sch. 4 para. 1 as amended by the
/// Pensions Act 2011 s.1 and the Pensions Act 2014 s.26): 66 for anyone born before 6 April 1960; 66
/// and 1 to 11 months for those born from then to 5 March 1961; 67 for those born after. (The rise to
/// 68 under the Pensions Act 2007 starts in 2044.)
pub fn state_pension_day(date_of_birth: NaiveDate) -> NaiveDate {
    let months = if date_of_birth < day(1960, 4, 6) {
        66 * 12
    } else if date_of_birth < day(1961, 3, 6) {
        // 6 April–5 May 1960: 1 month; each later month one more; 6 February–5 March 1961: 11.
        let from_april = (date_of_birth.year() - 1960) * 12 + date_of_birth.month() as i32 - 4 - i32::from(date_of_birth.day() < 6);
        66 * 12 + 1 + from_april as u32
    } else {
        67 * 12
    };
    date_of_birth.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

/// A member's date of birth from what was given: the date itself, or an age in whole years read as the
/// latest birthday that age allows (so pension age is never assumed early). `n` counts from 1.
pub fn born(n: usize, age: Option<u32>, date_of_birth: Option<NaiveDate>, on: NaiveDate) -> Result<NaiveDate, String> {
    match (age, date_of_birth) {
        (Some(_), Some(_)) => Err(format!("Member {n}: give age or date_of_birth, not both.")),
        (None, None) => Err(format!("Member {n}: give their age or date_of_birth.")),
        (None, Some(d)) => Ok(d),
        (Some(a), None) if a > 125 => Err(format!("Member {n}: an age of {a} is not a person's age.")),
        (Some(a), None) => on.checked_sub_months(Months::new(a * 12)).ok_or_else(|| format!("Member {n}: an age of {a} is not a person's age.")),
    }
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).expect("a real day")
}

/// The size criteria applied to `household` in a home of `bedrooms` bedrooms, on `on`.
pub fn assess(bedrooms: u32, household: &[Person], on: NaiveDate) -> Result<Assessment, SizeError> {
    check(household, on)?;
    let n = |i: usize| vec![i + 1];
    let mut rooms: Vec<RoomFor> = Vec::new();
    let mut room = |members: Vec<usize>, rule: &str| rooms.push(RoomFor { members, rule: rule.to_string() });

    let tenant = household.iter().position(|p| p.role == SizeRole::Tenant).expect("checked");
    let partner = household.iter().position(|p| p.role == SizeRole::Partner);
    // The couple first (B13(5)(za), (zb), (a)).
    if let Some(partner) = partner {
        if household[tenant].needs_own_room || household[partner].needs_own_room {
            room(n(tenant), "a member of a couple who cannot share a bedroom (HB reg. B13(5)(za), (zb))");
            room(n(partner), "a member of a couple who cannot share a bedroom (HB reg. B13(5)(za), (zb))");
        } else {
            room(vec![tenant + 1, partner + 1], "a couple (HB reg. B13(5)(a))");
        }
    }
    // Everyone else 16 or over, joint tenants and lodgers included (B13(5)(b)); the armed forces
    // son or daughter among them (B13(8)).
    let mut children = Vec::new();
    for (i, p) in household.iter().enumerate() {
        if Some(i) == partner || (i == tenant && partner.is_some()) {
            continue;
        }
        let age = age_on(p.date_of_birth, on);
        if age >= 16 {
            let rule =
                if p.armed_forces { "a son or daughter away on armed-forces operations (HB reg. B13(8))" } else { "a person 16 or over (HB reg. B13(5)(b))" };
            room(n(i), rule);
        } else if p.needs_own_room {
            room(n(i), "a child who cannot share a bedroom because of disability (HB reg. B13(5)(ba))");
        } else {
            children.push((i, age, p.sex.expect("checked")));
        }
    }
    // Children: as many pairs as the rules allow (B13(5)(c), (d)), each other child alone ((e)).
    for (pair, rule) in pair_children(&children) {
        match pair {
            (a, Some(b)) => room(vec![a + 1, b + 1], rule),
            (a, None) => room(n(a), rule),
        }
    }
    // Additional bedrooms (B13(6), (7)): one for each person needing overnight care, one for a couple
    // who both do; one for a foster carer (one for a couple).
    let couple = |i: usize| i == tenant || Some(i) == partner;
    let carers: Vec<usize> = (0..household.len()).filter(|&i| household[i].overnight_carer).collect();
    let couple_care: Vec<usize> = carers.iter().copied().filter(|&i| couple(i) && partner.is_some()).collect();
    if !couple_care.is_empty() {
        room(couple_care.iter().map(|&i| i + 1).collect(), "a non-resident overnight carer (HB reg. B13(6)(a), (7)(b))");
    }
    for &i in carers.iter().filter(|&&i| !(couple(i) && partner.is_some())) {
        room(n(i), "a non-resident overnight carer (HB reg. B13(6)(a), (9))");
    }
    let fosters: Vec<usize> = (0..household.len()).filter(|&i| household[i].foster_carer).collect();
    if !fosters.is_empty() {
        room(fosters.iter().map(|&i| i + 1).collect(), "an approved foster carer (HB reg. B13(6)(ab), (7)(b))");
    }

    let entitlement = rooms.len() as u32;
    // A bedsit's one room is its bedroom.
    let have = bedrooms.max(1);
    let spare = have.saturating_sub(entitlement);
    let short = entitlement.saturating_sub(have);
    let working_age = household.iter().any(|p| p.role.liable() && on < state_pension_day(p.date_of_birth));
    let reduction_percent = match (working_age, spare) {
        (false, _) | (_, 0) => 0,
        (true, 1) => 14,
        (true, _) => 25,
    };
    Ok(Assessment { entitlement, spare, short, reduction_percent, working_age, rooms })
}

fn check(household: &[Person], on: NaiveDate) -> Result<(), SizeError> {
    if household.len() > MAX_HOUSEHOLD {
        return Err(SizeError::TooMany(household.len()));
    }
    let (mut tenant, mut partner) = (false, false);
    for (i, p) in household.iter().enumerate() {
        let n = i + 1;
        if p.date_of_birth > on {
            return Err(SizeError::BornLater(n));
        }
        let age = age_on(p.date_of_birth, on);
        match p.role {
            SizeRole::Tenant if tenant => return Err(SizeError::SecondTenant(n)),
            SizeRole::Tenant => tenant = true,
            SizeRole::Partner if partner => return Err(SizeError::SecondPartner(n)),
            SizeRole::Partner => partner = true,
            _ => {}
        }
        if p.role.liable() && age < 16 {
            return Err(SizeError::TenantUnder16(n));
        }
        if age < 16 && p.sex.is_none() && !p.needs_own_room {
            return Err(SizeError::ChildWithoutSex(n));
        }
        if p.foster_carer && !matches!(p.role, SizeRole::Tenant | SizeRole::Partner) {
            return Err(SizeError::FosterCarerNotTenant(n));
        }
        if p.armed_forces && (p.role != SizeRole::Adult && p.role != SizeRole::Child || age < 16) {
            return Err(SizeError::ArmedForcesNotAdultChild(n));
        }
    }
    if tenant { Ok(()) } else { Err(SizeError::NoTenant) }
}

/// Pairs children into as few bedrooms as the rules allow: two of the same sex may share (B13(5)(c)),
/// two under 10 may share whatever their sex ((d)), anyone left has a room of their own ((e)). The
/// fewest rooms come from pairing the 10-to-15s within each sex, giving a lone one of each sex a
/// younger child of the same sex, then pairing the under-10s left.
fn pair_children(children: &[(usize, u32, Sex)]) -> Vec<((usize, Option<usize>), &'static str)> {
    const SAME: &str = "two children of the same sex (HB reg. B13(5)(c))";
    const UNDER_10: &str = "two children under 10 (HB reg. B13(5)(d))";
    const ALONE: &str = "a child (HB reg. B13(5)(e))";
    let mut out = Vec::new();
    let mut young: Vec<(usize, Sex)> = children.iter().filter(|c| c.1 < 10).map(|c| (c.0, c.2)).collect();
    for sex in [Sex::F, Sex::M] {
        let older: Vec<usize> = children.iter().filter(|c| c.1 >= 10 && c.2 == sex).map(|c| c.0).collect();
        for pair in older.chunks(2) {
            match pair {
                [a, b] => out.push(((*a, Some(*b)), SAME)),
                [a] => match young.iter().position(|y| y.1 == sex) {
                    Some(k) => out.push(((*a, Some(young.remove(k).0)), SAME)),
                    None => out.push(((*a, None), ALONE)),
                },
                _ => unreachable!(),
            }
        }
    }
    for pair in young.chunks(2) {
        match pair {
            [a, b] => out.push(((a.0, Some(b.0)), if a.1 == b.1 { SAME } else { UNDER_10 })),
            [a] => out.push(((a.0, None), ALONE)),
            _ => unreachable!(),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ON: &str = "2026-12-06";
    fn on() -> NaiveDate {
        ON.parse().unwrap()
    }
    /// Someone `age` years old on the assessment day (born the day after a birthday, so no rounding).
    fn aged(role: SizeRole, age: u32, sex: Sex) -> Person {
        let dob = on().checked_sub_months(Months::new(age * 12 + 6)).unwrap();
        Person::new(role, dob, Some(sex))
    }
    fn tenant(age: u32, sex: Sex) -> Person {
        aged(SizeRole::Tenant, age, sex)
    }
    fn partner(age: u32, sex: Sex) -> Person {
        aged(SizeRole::Partner, age, sex)
    }
    fn child(age: u32, sex: Sex) -> Person {
        aged(SizeRole::Child, age, sex)
    }
    fn adult(age: u32, sex: Sex) -> Person {
        aged(SizeRole::Adult, age, sex)
    }
    fn entitlement(h: &[Person]) -> u32 {
        assess(3, h, on()).unwrap().entitlement
    }
    use Sex::{F, M};

    #[test]
    fn ages_turn_on_the_birthday() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(age_on(d("2010-11-22"), d("2026-11-22")), 16);
        assert_eq!(age_on(d("2010-11-23"), d("2026-11-22")), 15);
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), 17);
    }

    /// HB reg. B13(5)(a), (b): a single person or a couple, one bedroom; each other person 16 or over
    /// one more. Joint tenants who are not a couple each count as a person 16 or over.
    #[test]
    fn a_couple_shares_and_every_other_adult_has_a_room() {
        assert_eq!(entitlement(&[tenant(40, F)]), 1);
        assert_eq!(entitlement(&[tenant(40, F), partner(41, M)]), 1);
        assert_eq!(entitlement(&[tenant(40, F), aged(SizeRole::JointTenant, 44, F)]), 2, "joint tenants who are not a couple");
        assert_eq!(entitlement(&[tenant(60, F), partner(61, M), adult(22, M), child(17, F)]), 3, "the couple, and two children 16 or over");
        assert_eq!(entitlement(&[tenant(50, M), adult(30, M)]), 2, "a lodger is a person 16 or over");
    }

    /// B13(5)(c), (d), (e), worked examples of the kind councils publish (e.g. "a couple with a boy of
    /// 12 and a girl of 8 need three bedrooms; with two boys of 12 and 8, two").
    #[test]
    fn children_share_by_sex_and_under_ten() {
        let couple = || vec![tenant(38, F), partner(40, M)];
        let with = |kids: &[Person]| {
            let mut h = couple();
            h.extend_from_slice(kids);
            entitlement(&h)
        };
        assert_eq!(with(&[child(12, M), child(8, F)]), 3, "a boy over 10 and a girl cannot share");
        assert_eq!(with(&[child(12, M), child(8, M)]), 2, "two boys share, whatever their ages");
        assert_eq!(with(&[child(7, M), child(5, F)]), 2, "two children under 10 share");
        assert_eq!(with(&[child(11, F), child(14, F), child(9, M)]), 3, "two girls share; the boy has his own");
        assert_eq!(with(&[child(15, M), child(13, F), child(3, F), child(2, M)]), 3, "each over-10 takes a younger child of the same sex");
        // The pairing that saves a room: boy 14, boy 12, girl 8, boy 6 is two rooms (14+12, 8+6),
        // not three (14+6, 12, 8).
        assert_eq!(with(&[child(14, M), child(12, M), child(8, F), child(6, M)]), 3, "couple + 2");
        assert_eq!(with(&[child(9, F), child(7, M), child(5, F)]), 3, "couple + two under 10 + one left");
        // A child turns 10 and can no longer share with a sibling of the other sex.
        assert_eq!(with(&[child(10, M), child(7, F)]), 3);
    }

    /// B13(5)(ba): a child who cannot share because of disability has their own room; (za), (zb): so
    /// does each member of a couple who cannot share.
    #[test]
    fn disability_gives_a_room_of_ones_own() {
        let mut disabled = child(7, M);
        disabled.needs_own_room = true;
        assert_eq!(entitlement(&[tenant(35, F), disabled.clone(), child(5, F)]), 3, "the two would otherwise share");
        let mut t = tenant(50, F);
        t.needs_own_room = true;
        let a = assess(2, &[t, partner(52, M)], on()).unwrap();
        assert_eq!((a.entitlement, a.spare, a.reduction_percent), (2, 0, 0));
    }

    /// B13(6)(a), (7), (9); UC Sch. 4 para. 12(A1): a non-resident overnight carer adds a room for
    /// each person cared for, one for a couple who both are; (6)(ab): a foster carer adds one; each
    /// rule that applies adds its own.
    #[test]
    fn additional_rooms_for_carers_and_foster_carers() {
        let mut t = tenant(45, F);
        t.overnight_carer = true;
        assert_eq!(entitlement(&[t.clone()]), 2);
        let mut p = partner(47, M);
        p.overnight_carer = true;
        assert_eq!(entitlement(&[t.clone(), p.clone()]), 2, "a couple who both need care: one extra room");
        let mut c = child(12, F);
        c.overnight_carer = true;
        assert_eq!(entitlement(&[t.clone(), p, c]), 4, "the couple, the child, the couple's carer and the child's carer");
        let mut f = tenant(45, F);
        f.foster_carer = true;
        assert_eq!(entitlement(&[f.clone()]), 2);
        f.overnight_carer = true;
        assert_eq!(entitlement(&[f]), 3, "both rules apply: one room for each");
    }

    /// B13(8): an adult son or daughter away on operations counts as living there.
    #[test]
    fn a_son_on_operations_keeps_his_room() {
        let mut soldier = adult(21, M);
        soldier.armed_forces = true;
        let a = assess(2, &[tenant(50, F), soldier], on()).unwrap();
        assert_eq!((a.entitlement, a.spare, a.reduction_percent), (2, 0, 0));
        assert!(a.rooms[1].rule.contains("B13(8)"));
    }

    /// B13(3); UC Sch. 4 para. 36: 14% for one spare bedroom, 25% for two or more; working age only.
    #[test]
    fn the_reduction_is_14_or_25_percent_for_working_age_tenants() {
        let single = [tenant(40, F)];
        assert_eq!(assess(1, &single, on()).unwrap().reduction_percent, 0);
        assert_eq!(assess(2, &single, on()).unwrap().reduction_percent, 14);
        assert_eq!(assess(3, &single, on()).unwrap().reduction_percent, 25);
        assert_eq!(assess(4, &single, on()).unwrap().reduction_percent, 25);
        let widow = [tenant(75, F)];
        let a = assess(3, &widow, on()).unwrap();
        assert_eq!((a.spare, a.reduction_percent, a.working_age), (2, 0, false), "over pension age: no reduction");
        assert_eq!(a.label(), "Under-occupied (2 spare bedrooms)");
        let mixed = [tenant(70, M), partner(55, F)];
        assert_eq!(assess(2, &mixed, on()).unwrap().reduction_percent, 14, "a partner of working age: the reduction applies");
        let crowded = assess(1, &[tenant(30, F), child(12, M), child(9, F)], on()).unwrap();
        assert_eq!((crowded.short, crowded.label()), (2, "Overcrowded (needs 2 more bedrooms)".to_string()));
        assert_eq!(assess(0, &single, on()).unwrap().label(), "Right-sized", "a bedsit is right for one");
        assert_eq!(assess(2, &single, on()).unwrap().label(), "Under-occupied (1 spare bedroom, 14% reduction)");
    }

    /// Pensions Act 1995 Sch. 4 para. 1, as amended by the Pensions Act 2014 s.26.
    #[test]
    fn state_pension_age_rises_to_67_by_birth_month() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(state_pension_day(d("1960-04-05")), d("2026-04-05"), "66");
        assert_eq!(state_pension_day(d("1960-04-06")), d("2026-05-06"), "66 and 1 month");
        assert_eq!(state_pension_day(d("1960-05-05")), d("2026-06-05"), "66 and 1 month");
        assert_eq!(state_pension_day(d("1960-12-10")), d("2027-09-10"), "66 and 9 months");
        assert_eq!(state_pension_day(d("1961-03-05")), d("2028-02-05"), "66 and 11 months");
        assert_eq!(state_pension_day(d("1961-03-06")), d("2028-03-06"), "67");
        let a = assess(2, &[Person::new(SizeRole::Tenant, d("1960-12-10"), Some(F))], on()).unwrap();
        assert_eq!(a.reduction_percent, 14, "66 today but not yet of pension age");
    }

    #[test]
    fn an_age_or_a_date_of_birth_but_not_both() {
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        assert_eq!(born(1, Some(66), None, on()), Ok(d("1960-12-06")));
        assert_eq!(age_on(born(1, Some(9), None, on()).unwrap(), on()), 9);
        assert_eq!(born(2, None, Some(d("1990-01-01")), on()), Ok(d("1990-01-01")));
        assert!(born(2, Some(3), Some(d("1990-01-01")), on()).unwrap_err().contains("not both"));
        assert!(born(3, None, None, on()).unwrap_err().starts_with("Member 3"));
        assert!(born(1, Some(400), None, on()).is_err());
    }

    #[test]
    fn a_recorded_household_reads_as_the_rules_see_it() {
        use crate::domain::Relationship as R;
        let rec = |relationship, is_tenant, dob: &str, sex| Recorded { relationship, is_tenant, date_of_birth: dob.parse().unwrap(), sex };
        let members = [
            rec(R::Tenant, true, "1950-01-01", F),
            rec(R::Partner, true, "1951-01-01", M),
            rec(R::Carer, false, "1990-01-01", F),
            rec(R::Child, false, "2015-01-01", M),
            rec(R::Lodger, false, "1999-01-01", M),
        ];
        let h = from_record(&members);
        let roles: Vec<(usize, SizeRole)> = h.iter().map(|(i, p)| (*i, p.role)).collect();
        assert_eq!(roles, vec![(0, SizeRole::Tenant), (1, SizeRole::Partner), (3, SizeRole::Child), (4, SizeRole::Adult)]);
        assert!(h[0].1.overnight_carer, "the carer's room is the tenant's");
        let siblings = [rec(R::Tenant, true, "1980-01-01", F), rec(R::OtherRelative, true, "1982-01-01", F)];
        assert_eq!(from_record(&siblings)[1].1.role, SizeRole::JointTenant);
    }

    #[test]
    fn households_the_rules_cannot_read_are_refused_by_member() {
        assert_eq!(assess(2, &[adult(30, F)], on()), Err(SizeError::NoTenant));
        assert_eq!(assess(2, &[tenant(30, F), tenant(31, M)], on()), Err(SizeError::SecondTenant(2)));
        assert_eq!(assess(2, &[tenant(30, F), partner(31, M), partner(32, M)], on()), Err(SizeError::SecondPartner(3)));
        let unborn = Person::new(SizeRole::Child, on().succ_opt().unwrap(), Some(F));
        assert_eq!(assess(2, &[tenant(30, F), unborn], on()), Err(SizeError::BornLater(2)));
        assert_eq!(assess(2, &[tenant(12, F)], on()), Err(SizeError::TenantUnder16(1)));
        let mut no_sex = child(5, F);
        no_sex.sex = None;
        assert_eq!(assess(2, &[tenant(30, F), no_sex], on()), Err(SizeError::ChildWithoutSex(2)));
        let mut foster = adult(30, F);
        foster.foster_carer = true;
        assert_eq!(assess(2, &[tenant(30, F), foster], on()), Err(SizeError::FosterCarerNotTenant(2)));
        let mut soldier = tenant(30, M);
        soldier.armed_forces = true;
        assert_eq!(assess(2, &[soldier], on()), Err(SizeError::ArmedForcesNotAdultChild(1)));
        let crowd: Vec<Person> = std::iter::once(tenant(40, F)).chain((0..30).map(|_| adult(20, M))).collect();
        assert_eq!(assess(2, &crowd, on()), Err(SizeError::TooMany(31)));
        assert!(SizeError::SecondTenant(2).to_string().contains("joint_tenant"));
    }
}
