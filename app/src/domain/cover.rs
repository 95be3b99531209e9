//! Cover for an absent officer: for a dated period another officer acts for them (their
//! tenancies and cases route to the cover officer), and the work returns by itself after the
//! last day, because nothing is moved: who may act is derived from the dates.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Role;

/// The longest cover a Team Leader can set in one go; longer absences are a reassignment.
pub const MAX_COVER_DAYS: i64 = 183;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum CoverState {
    Upcoming,
    Active,
    Ended,
    /// Called off before it began.
    Cancelled,
}

impl CoverState {
    pub fn label(self) -> &'static str {
        match self {
            CoverState::Upcoming => "Starts soon",
            CoverState::Active => "Covering now",
            CoverState::Ended => "Ended",
            CoverState::Cancelled => "Cancelled",
        }
    }
}

/// Where a cover period stands on `today` (both dates inclusive). `ended_on`: the day a Team
/// Leader ended it early (before it began: cancelled).
pub fn state(starts_on: NaiveDate, ends_on: NaiveDate, ended_on: Option<NaiveDate>, today: NaiveDate) -> CoverState {
    if let Some(ended) = ended_on {
        if ended < starts_on { CoverState::Cancelled } else { CoverState::Ended }
    } else if today < starts_on {
        CoverState::Upcoming
    } else if today <= ends_on {
        CoverState::Active
    } else {
        CoverState::Ended
    }
}

/// The people a cover request names, as the rules need them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CoverParty {
    pub user_id: i64,
    pub role: Role,
    pub area_team_id: Option<i64>,
}

/// Whose absence a Team Leader covers: the housing officers (a Team Leader's own absence goes to
/// the area's management, outside Hearth).
pub fn may_be_covered(role: Role) -> bool {
    role.is_hmo()
}

/// Checks a cover request made by a Team Leader of `area`.
pub fn check(
    absent: CoverParty,
    cover: CoverParty,
    area: i64,
    starts_on: &str,
    ends_on: &str,
    reason: &str,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate), String> {
    if absent.user_id == cover.user_id {
        return Err("An officer cannot cover for themselves: choose someone else.".into());
    }
    if !may_be_covered(absent.role) || absent.area_team_id != Some(area) {
        return Err("Cover is set for a housing officer in your own area team.".into());
    }
    // The cover officer does the absent officer's job, so holds the same role (or leads the team).
    if cover.role != absent.role && cover.role != Role::TeamLeader {
        return Err(format!("Cover for a {} comes from another {} or a Team Leader.", absent.role.label(), absent.role.label()));
    }
    if cover.area_team_id != Some(area) {
        return Err("Choose a cover officer from your own area team.".into());
    }
    let start = super::clock::input_date(starts_on, "Give the first day of cover as a date (YYYY-MM-DD).")?;
    let end = super::clock::input_date(ends_on, "Give the last day of cover as a date (YYYY-MM-DD).")?;
    if end < start {
        return Err("The last day of cover is before the first.".into());
    }
    if end < today {
        return Err("That period has already ended.".into());
    }
    if (end - start).num_days() + 1 > MAX_COVER_DAYS {
        return Err(format!("Cover is set for {MAX_COVER_DAYS} days at most; for a longer absence reassign the work."));
    }
    let r = reason.trim().chars().count();
    if !(3..=500).contains(&r) {
        return Err("Give the reason for cover (for example \u{201c}annual leave\u{201d}), up to 500 characters.".into());
    }
    Ok((start, end))
}

/// Two periods for the same absent officer must not overlap (work would have two routes).
pub fn overlaps(a: (NaiveDate, NaiveDate), b: (NaiveDate, NaiveDate)) -> bool {
    a.0 <= b.1 && b.0 <= a.1
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }
    const TODAY: &str = "2026-11-20";

    #[test]
    fn only_housing_officers_are_covered() {
        for &role in Role::ALL {
            assert_eq!(may_be_covered(role), matches!(role, Role::IntroductoryHmo | Role::CommunityHmo | Role::SustainableHmo), "{role:?}");
        }
    }
    fn p(id: i64, role: Role, area: i64) -> CoverParty {
        CoverParty { user_id: id, role, area_team_id: Some(area) }
    }

    #[test]
    fn states_are_inclusive_of_both_days() {
        let (s, e) = (d("2026-11-23"), d("2026-11-27"));
        assert_eq!(state(s, e, None, d("2026-11-22")), CoverState::Upcoming);
        assert_eq!(state(s, e, None, s), CoverState::Active);
        assert_eq!(state(s, e, None, e), CoverState::Active);
        assert_eq!(state(s, e, None, d("2026-11-28")), CoverState::Ended);
        assert_eq!(state(s, e, Some(s), s), CoverState::Ended, "ended early on its first day");
        assert_eq!(state(s, e, Some(d("2026-11-20")), d("2026-11-20")), CoverState::Cancelled, "called off before it began");
    }

    #[test]
    fn requests_are_checked() {
        let today = d(TODAY);
        let (a, c) = (p(1, Role::CommunityHmo, 1), p(2, Role::CommunityHmo, 1));
        assert_eq!(check(a, c, 1, "2026-11-23", "2026-11-27", "Annual leave", today), Ok((d("2026-11-23"), d("2026-11-27"))));
        assert!(check(a, a, 1, "2026-11-23", "2026-11-27", "Annual leave", today).unwrap_err().contains("themselves"));
        assert!(check(a, p(3, Role::CommunityHmo, 2), 1, "2026-11-23", "2026-11-27", "Leave", today).unwrap_err().contains("own area"));
        assert!(check(p(4, Role::CommunityHmo, 2), c, 1, "2026-11-23", "2026-11-27", "Leave", today).is_err());
        assert!(check(a, p(5, Role::Legal, 1), 1, "2026-11-23", "2026-11-27", "Leave", today).is_err());
        assert!(check(a, p(7, Role::IntroductoryHmo, 1), 1, "2026-11-23", "2026-11-27", "Leave", today).unwrap_err().contains("another Community HMO"));
        assert!(check(a, p(6, Role::TeamLeader, 1), 1, "2026-11-23", "2026-11-27", "Leave", today).is_ok());
        assert!(check(a, c, 1, "2026-11-27", "2026-11-23", "Leave", today).unwrap_err().contains("before the first"));
        assert!(check(a, c, 1, "2026-11-01", "2026-11-19", "Leave", today).unwrap_err().contains("already ended"));
        assert!(check(a, c, 1, "2026-11-20", "2027-06-01", "Leave", today).unwrap_err().contains("183 days"));
        assert!(check(a, c, 1, "23/11/2026", "2026-11-27", "Leave", today).unwrap_err().contains("first day"));
        assert!(check(a, c, 1, "2026-11-23", "2026-11-27", "", today).unwrap_err().contains("reason"));
    }

    #[test]
    fn overlap() {
        let w = (d("2026-11-23"), d("2026-11-27"));
        assert!(overlaps(w, (d("2026-11-27"), d("2026-12-01"))));
        assert!(!overlaps(w, (d("2026-11-28"), d("2026-12-01"))));
        assert!(overlaps(w, (d("2026-11-01"), d("2026-12-31"))));
    }
}
