//! The social-sector size criteria ("bedroom standard") used to find under-occupation
//! and overcrowding: one bedroom for each adult couple, each other person aged 16 or over,
//! two children of the same sex under 16, two children under 10 of either sex, any other
//! child, and an overnight carer.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Occupant {
    pub date_of_birth: NaiveDate,
    /// 'F' or 'M'.
    pub sex: char,
    /// Part of the tenant couple (tenant and partner/joint tenant).
    pub in_couple: bool,
    pub overnight_carer: bool,
}

/// Whole years of age on `on`.
pub fn age_on(date_of_birth: NaiveDate, on: NaiveDate) -> u32 {
    let mut years = on.year() - date_of_birth.year();
    if (on.month(), on.day()) < (date_of_birth.month(), date_of_birth.day()) {
        years -= 1;
    }
    years.max(0) as u32
}

/// Bedrooms the household needs under the size criteria.
pub fn bedrooms_needed(household: &[Occupant], on: NaiveDate) -> u32 {
    let mut rooms = 0;
    let couple = household.iter().filter(|o| o.in_couple && !o.overnight_carer).count();
    rooms += (couple / 2 + couple % 2) as u32;
    if household.iter().any(|o| o.overnight_carer) {
        rooms += 1;
    }
    let others = household.iter().filter(|o| !o.in_couple && !o.overnight_carer);
    let (mut adults, mut girls, mut boys, mut young) = (0u32, 0u32, 0u32, Vec::new());
    for o in others {
        let age = age_on(o.date_of_birth, on);
        if age >= 16 {
            adults += 1;
        } else if age < 10 {
            young.push(o.sex);
        } else if o.sex == 'F' {
            girls += 1;
        } else {
            boys += 1;
        }
    }
    rooms += adults;
    // Children 10–15 share with the same sex; under-10s share with anyone,
    // and fill a spare place beside a lone 10–15 child of the same sex first.
    let mut spare_girl = girls % 2 == 1;
    let mut spare_boy = boys % 2 == 1;
    rooms += girls.div_ceil(2) + boys.div_ceil(2);
    let mut unplaced = 0u32;
    for sex in young {
        if sex == 'F' && spare_girl {
            spare_girl = false;
        } else if sex != 'F' && spare_boy {
            spare_boy = false;
        } else {
            unplaced += 1;
        }
    }
    rooms += unplaced.div_ceil(2);
    rooms.max(1)
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Occupation {
    Overcrowded { short_by: u32 },
    Right,
    UnderOccupied { spare: u32 },
}

impl Occupation {
    pub fn label(self) -> String {
        match self {
            Occupation::Overcrowded { short_by } => format!("Overcrowded (needs {short_by} more bedroom{})", if short_by == 1 { "" } else { "s" }),
            Occupation::Right => "Right-sized".to_string(),
            Occupation::UnderOccupied { spare } => format!("Under-occupied ({spare} spare bedroom{})", if spare == 1 { "" } else { "s" }),
        }
    }
}

pub fn occupation(bedrooms: u32, household: &[Occupant], on: NaiveDate) -> Occupation {
    let needed = bedrooms_needed(household, on);
    // A bedsit (0 bedrooms) is right for one person or a couple.
    let have = bedrooms.max(1);
    match have.cmp(&needed) {
        std::cmp::Ordering::Less => Occupation::Overcrowded { short_by: needed - have },
        std::cmp::Ordering::Equal => Occupation::Right,
        std::cmp::Ordering::Greater => Occupation::UnderOccupied { spare: have - needed },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    fn person(dob: &str, sex: char) -> Occupant {
        Occupant { date_of_birth: d(dob), sex, in_couple: false, overnight_carer: false }
    }
    fn partner(dob: &str, sex: char) -> Occupant {
        Occupant { in_couple: true, ..person(dob, sex) }
    }
    const ON: &str = "2026-11-22";

    #[test]
    fn ages_turn_on_the_birthday() {
        assert_eq!(age_on(d("2010-11-22"), d(ON)), 16);
        assert_eq!(age_on(d("2010-11-23"), d(ON)), 15);
        assert_eq!(age_on(d("2008-02-29"), d("2026-02-28")), 17);
    }

    #[test]
    fn single_person_and_couple_need_one() {
        assert_eq!(bedrooms_needed(&[person("1950-01-01", 'F')], d(ON)), 1);
        assert_eq!(bedrooms_needed(&[partner("1980-01-01", 'F'), partner("1981-01-01", 'M')], d(ON)), 1);
    }

    #[test]
    fn children_share_by_age_and_sex() {
        let couple = [partner("1980-01-01", 'F'), partner("1980-01-01", 'M')];
        // Two boys 12 and 14 share; a girl of 11 needs her own.
        let mut h = couple.to_vec();
        h.extend([person("2014-01-01", 'M'), person("2012-01-01", 'M'), person("2015-01-01", 'F')]);
        assert_eq!(bedrooms_needed(&h, d(ON)), 3);
        // Two under-10s of different sexes share.
        let mut h = couple.to_vec();
        h.extend([person("2019-01-01", 'M'), person("2021-01-01", 'F')]);
        assert_eq!(bedrooms_needed(&h, d(ON)), 2);
        // A lone girl of 12 and a girl of 5 share.
        let mut h = couple.to_vec();
        h.extend([person("2014-06-01", 'F'), person("2021-01-01", 'F')]);
        assert_eq!(bedrooms_needed(&h, d(ON)), 2);
    }

    #[test]
    fn adult_children_and_carers_need_their_own() {
        let h = [person("1955-01-01", 'F'), person("1995-01-01", 'M'), Occupant { overnight_carer: true, ..person("1990-01-01", 'F') }];
        assert_eq!(bedrooms_needed(&h, d(ON)), 3);
    }

    #[test]
    fn under_occupation_and_overcrowding() {
        let widow = [person("1945-03-03", 'F')];
        assert_eq!(occupation(3, &widow, d(ON)), Occupation::UnderOccupied { spare: 2 });
        let family = [partner("1985-01-01", 'F'), partner("1985-01-01", 'M'), person("2010-01-01", 'M'), person("2012-01-01", 'F'), person("2020-01-01", 'F')];
        assert_eq!(occupation(1, &family, d(ON)), Occupation::Overcrowded { short_by: 2 });
        assert_eq!(occupation(0, &widow, d(ON)), Occupation::Right);
        assert_eq!(Occupation::UnderOccupied { spare: 1 }.label(), "Under-occupied (1 spare bedroom)");
    }
}
