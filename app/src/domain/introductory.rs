//! Introductory tenancies (Housing Act 1996, Part V Chapter I, ss.124–130): when the review
//! sounds, the notice of extension's deadline, and when a tenancy became secure.
//!
//! The trial period's arithmetic (`clock::trial_end`, `clock::extension_notice_last_day`) is in
//! `clock`; the review's moves are in `workflow`. These are the rules that date the steps between.

use chrono::{Days, NaiveDate, TimeDelta};

use serde::{Deserialize, Serialize};

use super::Tenure;
use super::clock::{self, ClockStatus, EXTENSION_NOTICE_WEEKS, WorkingCalendar};
use super::codes::code_enum;
pub use super::timescales::Timescales;

pub mod steps;

/// Working days the council's own steps take between deciding to extend and the notice reaching
/// the tenant: the Team Leader's decision on the proposal (5, as every proposal between roles)
/// and service by first-class post (2: a letter is deemed served on the second business day
/// after posting, CPR 6.26, the rule courts apply to the Interpretation Act 1978 s.7).
pub const EXTENSION_STEPS_WORKING_DAYS: u32 = 7;

/// The review sounds twelve weeks before the anniversary unless the council sets otherwise.
pub const REVIEW_LEAD_WEEKS_DEFAULT: u32 = 12;

/// The shortest lead accepted: the notice's eight weeks and two more, which hold the council's
/// own seven working days even over Christmas or Easter (a test walks every day of the calendar).
pub const REVIEW_LEAD_WEEKS_MIN: u32 = EXTENSION_NOTICE_WEEKS + 2;

/// The longest lead accepted: half the trial period.
pub const REVIEW_LEAD_WEEKS_MAX: u32 = 26;

/// A review lead a council may set: never so short that a decision, its approval and service by
/// post cannot all finish before the notice deadline (s.125A(2)), never more than half the trial.
pub fn check_review_lead_weeks(text: &str) -> Result<u32, String> {
    let weeks: u32 = text.trim().parse().map_err(|_| format!("{:?} is not a number of weeks", text.trim()))?;
    if weeks < REVIEW_LEAD_WEEKS_MIN {
        return Err(format!(
            "{weeks} weeks is too late: a notice of extension must reach the tenant {EXTENSION_NOTICE_WEEKS} weeks before the anniversary \
             (Housing Act 1996 s.125A(2)), and the decision, its approval and posting need about two more; use {REVIEW_LEAD_WEEKS_MIN} to {REVIEW_LEAD_WEEKS_MAX}"
        ));
    }
    if weeks > REVIEW_LEAD_WEEKS_MAX {
        return Err(format!("{weeks} weeks is more than half the trial period; use {REVIEW_LEAD_WEEKS_MIN} to {REVIEW_LEAD_WEEKS_MAX}"));
    }
    Ok(weeks)
}

impl Timescales {
    /// The first day a review of a trial ending on `trial_end` shows as due.
    pub fn review_warning_from(&self, trial_end: NaiveDate) -> NaiveDate {
        trial_end.checked_sub_days(Days::new(7 * u64::from(self.review_lead_weeks))).unwrap_or(trial_end)
    }

    /// The review's clock for a trial ending on `trial_end`: due from the day it sounds (not only
    /// in the last two weeks, which fall after the notice deadline), overdue once the trial has
    /// ended with no decision.
    pub fn review_clock(&self, trial_end: NaiveDate, today: NaiveDate) -> ClockStatus {
        if today > trial_end {
            ClockStatus::Overdue
        } else if today >= self.review_warning_from(trial_end) {
            ClockStatus::DueSoon
        } else {
            ClockStatus::OnTime
        }
    }

    /// The last anniversary a review sounding on `today` can belong to (inclusive): the window
    /// lists and counts use.
    pub fn reviews_due_until(&self, today: NaiveDate) -> NaiveDate {
        today.checked_add_days(Days::new(7 * u64::from(self.review_lead_weeks))).unwrap_or(today)
    }
}

code_enum!(
    /// What the tenant was immediately before this tenancy, that counts towards its trial
    /// period (Housing Act 1996 s.125(3)–(5)).
    PriorTenancyKind {
        Introductory = "introductory": "Introductory tenant of another council",
        AssuredShorthold = "assured_shorthold": "Assured shorthold tenant of a registered provider",
    }
);

/// An earlier tenancy that counts towards the trial period.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PriorTenancy {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: PriorTenancyKind,
    pub landlord: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl PriorTenancy {
    /// The days it counts: its whole length, and never more than a whole trial period.
    pub fn counted_days(&self, start: NaiveDate) -> u64 {
        let whole_trial = (clock::trial_end(start, false) - start).num_days();
        ((self.to - self.from).num_days() + 1).clamp(0, whole_trial) as u64
    }
}

/// Checks an earlier tenancy before it is counted. s.125(3): "any period or periods during
/// which he was such a tenant shall count towards the trial period, provided— (a) if there was
/// one such period, it ended immediately before the date specified in subsection (2)". It must
/// have ended the day before this tenancy began (or on that day, the move itself), and began
/// before it ended.
pub fn check_prior(kind: Option<PriorTenancyKind>, landlord: &str, from: &str, to: &str, start: NaiveDate) -> Result<PriorTenancy, String> {
    let mut problems = Vec::new();
    if kind.is_none() {
        problems.push(
            "Choose what the tenant was: an introductory tenant of another council, or an assured shorthold tenant of a registered provider.".to_string(),
        );
    }
    let landlord = landlord.trim();
    if !(2..=200).contains(&landlord.chars().count()) {
        problems.push("Name the earlier landlord (up to 200 characters).".into());
    }
    let from = clock::input_date(from, "Give the day the earlier tenancy began (YYYY-MM-DD).").map_err(|e| problems.push(e)).ok();
    let to = clock::input_date(to, "Give the day the earlier tenancy ended (YYYY-MM-DD).").map_err(|e| problems.push(e)).ok();
    if let (Some(f), Some(t)) = (from, to) {
        if t < f {
            problems.push("The earlier tenancy ends before it began.".into());
        }
        if t > start || start - t > TimeDelta::days(1) {
            problems.push(format!(
                "Only a tenancy that ended immediately before this one began (on {} or {start}) counts towards the trial period (Housing Act 1996 s.125(3)).",
                start - TimeDelta::days(1)
            ));
        }
    }
    match (kind, from, to) {
        (Some(kind), Some(from), Some(to)) if problems.is_empty() => Ok(PriorTenancy { kind, landlord: landlord.to_string(), from, to }),
        _ => Err(problems.join(" ")),
    }
}

/// The trial's end for a tenancy that began on `start` (extended or not), less the days an
/// earlier tenancy counts (s.125(3)), and never before the tenancy began.
pub fn trial_end_counting(start: NaiveDate, extended: bool, prior: Option<&PriorTenancy>) -> NaiveDate {
    let end = clock::trial_end(start, extended);
    let counted = prior.map(|p| p.counted_days(start)).unwrap_or(0);
    end.checked_sub_days(Days::new(counted)).unwrap_or(end).max(start)
}

/// The last day a notice of extension may reach the tenant, for a tenancy whose first trial
/// period ends (or ended) on `original_end`. s.125A(2): "the landlord has served a notice of
/// extension on the tenant at least eight weeks before the original expiry date".
/// For a tenancy that is already extended, `original_end` is the first anniversary, not the
/// extended end.
pub fn notice_deadline(tenure: Tenure, start: NaiveDate, trial_ends_on: Option<NaiveDate>, prior: Option<&PriorTenancy>) -> Option<NaiveDate> {
    let original_end = match tenure {
        Tenure::Introductory => trial_ends_on?,
        Tenure::ExtendedIntroductory => trial_end_counting(start, false, prior),
        _ => return None,
    };
    Some(clock::extension_notice_last_day(original_end))
}

/// The notice deadline still to be met on `today`, which gets its own clock: while an unextended
/// tenancy can still be extended, and once an extension is approved until its notice is recorded
/// (then past the deadline it shows overdue: the extension cannot take effect).
pub fn open_notice_deadline(
    tenure: Tenure,
    start: NaiveDate,
    trial_ends_on: Option<NaiveDate>,
    prior: Option<&PriorTenancy>,
    notice_served_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Option<NaiveDate> {
    let deadline = notice_deadline(tenure, start, trial_ends_on, prior)?;
    match tenure {
        Tenure::Introductory => (today <= deadline).then_some(deadline),
        _ => notice_served_on.is_none().then_some(deadline),
    }
}

/// Who records a tenancy's introductory steps (a notice served, an earlier tenancy): its
/// officer, or whoever covers them, and their Team Leader.
pub fn may_record_steps(who: &super::access::Principal, scope: &super::access::RecordScope) -> bool {
    who.acts_for(scope.owner_id) || (who.role == super::Role::TeamLeader && who.area_team_id == Some(scope.area_team_id))
}

/// Whether an approved extension may take effect on `today` (s.125A(2)): the notice was served by
/// the deadline, or the deadline has not yet passed, so it still can be.
pub fn check_extension_approval(deadline: NaiveDate, notice_served_on: Option<NaiveDate>, today: NaiveDate) -> Result<(), String> {
    match notice_served_on {
        Some(served) if served <= deadline => Ok(()),
        _ if today <= deadline => Ok(()),
        _ => Err(format!(
            "Too late to extend: the notice of extension had to reach the tenant by {deadline}, eight weeks before the trial ends \
             (Housing Act 1996 s.125A(2)), and none was served by then. Decline this proposal; the review can still make the tenancy \
             secure or seek possession."
        )),
    }
}

/// Whether a notice of extension may be recorded now: once an extension is proposed or approved,
/// and the notice served on `served` is neither in the future nor after the deadline.
pub fn check_notice_served(tenure: Tenure, extension_proposed: bool, served: NaiveDate, deadline: Option<NaiveDate>, today: NaiveDate) -> Result<(), String> {
    let proposed_or_approved = tenure == Tenure::ExtendedIntroductory || (tenure == Tenure::Introductory && extension_proposed);
    let Some(deadline) = deadline.filter(|_| proposed_or_approved) else {
        return Err("A notice of extension is recorded once an extension has been proposed or approved.".into());
    };
    if served > today {
        return Err("The notice cannot be served in the future: record it on the day it was served.".into());
    }
    if served > deadline {
        return Err(format!(
            "A notice served on {served} is too late: it had to reach the tenant by {deadline}, eight weeks before the trial ends \
             (Housing Act 1996 s.125A(2)), so the trial cannot be extended."
        ));
    }
    Ok(())
}

/// The day a tenancy a review makes secure is secure from: the end of its trial period, whenever
/// the decision is recorded. Housing Act 1996 ss.124–125: the tenancy is introductory for the
/// trial period and, unless proceedings are under way (s.130), secure once it ends; a late
/// decision records what the law has already done.
pub fn secure_from(trial_ends_on: Option<NaiveDate>, today: NaiveDate) -> NaiveDate {
    trial_ends_on.unwrap_or(today)
}

/// Whether `lead_weeks` leaves the council's own steps room before the notice deadline for a
/// trial ending on `trial_end`: the review sounds, then seven working days reach the deadline.
pub fn steps_fit(lead_weeks: u32, trial_end: NaiveDate, cal: &WorkingCalendar) -> bool {
    let sounds = Timescales { review_lead_weeks: lead_weeks, ..Timescales::default() }.review_warning_from(trial_end);
    cal.add_working_days(sounds, EXTENSION_STEPS_WORKING_DAYS) <= clock::extension_notice_last_day(trial_end)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    /// s.125A(2): the notice must be served "at least eight weeks before the original expiry
    /// date". The review must sound early enough for the council's steps to finish before that,
    /// on every day of the calendar: a test over 2019–2030, through every Christmas and Easter.
    #[test]
    fn the_shortest_lead_leaves_room_for_the_councils_steps_every_day_of_the_year() {
        let cal = WorkingCalendar::england_and_wales();
        let mut end = d("2019-06-01");
        while end <= d("2030-10-01") {
            assert!(steps_fit(REVIEW_LEAD_WEEKS_MIN, end, cal), "{end}");
            assert!(steps_fit(REVIEW_LEAD_WEEKS_DEFAULT, end, cal), "{end}");
            end = end.succ_opt().unwrap();
        }
        // One week less would not: somewhere the steps overrun the deadline.
        let mut end = d("2019-06-01");
        let mut overrun = false;
        while end <= d("2030-10-01") {
            overrun |= !steps_fit(REVIEW_LEAD_WEEKS_MIN - 1, end, cal);
            end = end.succ_opt().unwrap();
        }
        assert!(overrun);
    }

    /// The old warning (42 days, six weeks) sounded after the 56-day notice deadline (s.125A(2)).
    #[test]
    fn the_review_sounds_before_the_notice_deadline() {
        let t = Timescales::default();
        let end = d("2027-03-15");
        assert_eq!(t.review_warning_from(end), d("2026-12-21"));
        assert!(t.review_warning_from(end) < clock::extension_notice_last_day(end));
        assert_eq!(t.reviews_due_until(d("2026-12-21")), end);
        assert_eq!(t.review_clock(end, d("2026-12-20")), ClockStatus::OnTime);
        assert_eq!(t.review_clock(end, d("2026-12-21")), ClockStatus::DueSoon);
        assert_eq!(t.review_clock(end, end), ClockStatus::DueSoon);
        assert_eq!(t.review_clock(end, d("2027-03-16")), ClockStatus::Overdue);
        assert!(check_review_lead_weeks("6").unwrap_err().contains("s.125A(2)"));
        assert!(check_review_lead_weeks("9").is_err());
        assert_eq!(check_review_lead_weeks(" 10 "), Ok(10));
        assert_eq!(check_review_lead_weeks("26"), Ok(26));
        assert!(check_review_lead_weeks("27").unwrap_err().contains("half the trial"));
        assert!(check_review_lead_weeks("twelve").unwrap_err().contains("not a number"));
    }

    /// s.125A(2): the deadline is counted from the *original* expiry date, also once extended.
    #[test]
    fn the_notice_deadline_counts_from_the_original_expiry_date() {
        let start = d("2026-01-10");
        let first_end = clock::trial_end(start, false);
        assert_eq!(notice_deadline(Tenure::Introductory, start, Some(first_end), None), Some(d("2026-11-15")));
        let extended_end = clock::trial_end(start, true);
        assert_eq!(notice_deadline(Tenure::ExtendedIntroductory, start, Some(extended_end), None), Some(d("2026-11-15")));
        assert_eq!(notice_deadline(Tenure::Secure, start, None, None), None);
    }

    /// s.125A(2): the deadline has a clock while it can still be met, and once an extension is
    /// approved until its notice is recorded.
    #[test]
    fn the_notice_deadline_has_a_clock_while_it_matters() {
        let start = d("2026-01-10");
        let end = Some(clock::trial_end(start, false));
        let deadline = Some(d("2026-11-15"));
        assert_eq!(open_notice_deadline(Tenure::Introductory, start, end, None, None, d("2026-11-15")), deadline);
        assert_eq!(open_notice_deadline(Tenure::Introductory, start, end, None, None, d("2026-11-16")), None);
        let extended = Some(clock::trial_end(start, true));
        assert_eq!(open_notice_deadline(Tenure::ExtendedIntroductory, start, extended, None, None, d("2026-12-01")), deadline);
        assert_eq!(open_notice_deadline(Tenure::ExtendedIntroductory, start, extended, None, Some(d("2026-11-01")), d("2026-12-01")), None);
        assert_eq!(open_notice_deadline(Tenure::Secure, start, None, None, None, d("2026-12-01")), None);
    }

    /// s.125A(2): an extension approved after the deadline stands only if the notice was served in time.
    #[test]
    fn an_extension_approved_after_the_deadline_needs_a_notice_served_in_time() {
        let deadline = d("2026-11-15");
        assert!(check_extension_approval(deadline, None, d("2026-11-15")).is_ok());
        let late = check_extension_approval(deadline, None, d("2026-11-16")).unwrap_err();
        assert!(late.contains("s.125A(2)") && late.contains("2026-11-15"), "{late}");
        assert!(check_extension_approval(deadline, Some(d("2026-11-14")), d("2027-01-20")).is_ok());
        assert!(check_extension_approval(deadline, Some(d("2026-11-16")), d("2026-11-20")).is_err());
    }

    /// s.125A(2): a notice served after the deadline, or a date in the future, is refused.
    #[test]
    fn a_notice_is_recorded_only_in_time_and_not_in_the_future() {
        let deadline = Some(d("2026-11-15"));
        let today = d("2026-11-20");
        assert!(check_notice_served(Tenure::ExtendedIntroductory, false, d("2026-11-15"), deadline, today).is_ok());
        assert!(check_notice_served(Tenure::Introductory, true, d("2026-11-10"), deadline, today).is_ok());
        assert!(check_notice_served(Tenure::Introductory, false, d("2026-11-10"), deadline, today).unwrap_err().contains("proposed or approved"));
        assert!(check_notice_served(Tenure::ExtendedIntroductory, false, d("2026-11-16"), deadline, today).unwrap_err().contains("too late"));
        assert!(check_notice_served(Tenure::ExtendedIntroductory, false, d("2026-11-21"), deadline, today).unwrap_err().contains("future"));
        assert!(check_notice_served(Tenure::Secure, false, d("2026-11-10"), None, today).is_err());
    }

    /// Housing Act 1996 ss.124–125: a tenancy is introductory for the trial period only, so a
    /// late "make secure" is dated on the anniversary, not on the day it is recorded.
    #[test]
    fn a_late_make_secure_is_dated_on_the_anniversary() {
        assert_eq!(secure_from(Some(d("2026-10-01")), d("2026-12-06")), d("2026-10-01"));
        assert_eq!(secure_from(Some(d("2027-01-01")), d("2026-12-06")), d("2027-01-01"));
        assert_eq!(secure_from(None, d("2026-12-06")), d("2026-12-06"));
    }

    /// s.125(3)–(5): time as an introductory tenant of another council, or an assured shorthold
    /// tenant of a registered provider, that ended immediately before this tenancy counts towards
    /// the trial period; the trial's end, and the notice deadline after it, move with it.
    #[test]
    fn an_earlier_tenancy_immediately_before_counts_towards_the_trial() {
        let start = d("2026-06-01");
        let p = check_prior(Some(PriorTenancyKind::AssuredShorthold), "Yorkshire Housing", "2026-01-01", "2026-05-31", start).unwrap();
        assert_eq!(p.counted_days(start), 151);
        assert_eq!(trial_end_counting(start, false, Some(&p)), d("2027-01-01"));
        assert_eq!(trial_end_counting(start, true, Some(&p)), d("2027-07-03"));
        assert_eq!(notice_deadline(Tenure::ExtendedIntroductory, start, None, Some(&p)), Some(d("2026-11-06")));
        // Ending on the day of the move counts too; a gap does not.
        assert!(check_prior(Some(PriorTenancyKind::Introductory), "Leeds City Council", "2025-09-01", "2026-06-01", start).is_ok());
        let gap = check_prior(Some(PriorTenancyKind::Introductory), "Leeds City Council", "2025-09-01", "2026-05-20", start).unwrap_err();
        assert!(gap.contains("immediately before") && gap.contains("s.125(3)"), "{gap}");
        // Every problem at once.
        let all = check_prior(None, "", "yesterday", "2026-05-31", start).unwrap_err();
        assert!(all.contains("Choose what") && all.contains("Name the earlier landlord") && all.contains("began"), "{all}");
        assert!(check_prior(Some(PriorTenancyKind::Introductory), "Leeds", "2026-05-31", "2026-05-01", start).unwrap_err().contains("ends before it began"));
        // A year or more before: the trial is already complete when the tenancy begins.
        let long = check_prior(Some(PriorTenancyKind::Introductory), "Leeds City Council", "2024-01-01", "2026-05-31", start).unwrap();
        assert_eq!(trial_end_counting(start, false, Some(&long)), start);
        assert_eq!(trial_end_counting(start, false, None), d("2027-06-01"));
    }
}
