//! Subject access: a person's right to a copy of the personal data the council holds about them
//! (UK GDPR Article 15), answered without undue delay and within one month of receipt (Article
//! 12(3)). Hearth finds the person (by surname and date of birth, as the request gives them),
//! gathers what it holds about them for the council's data protection officer to review, and
//! records each search and export in the audit log with the reason.
//!
//! Pure rules: who may, what a search and a reason need, and the date the answer is due.

use chrono::{Datelike, NaiveDate};

use super::Role;
use super::clock::WorkingCalendar;

/// Shortest reason an export is given (the request's reference, say).
pub const REASON_MIN_CHARS: usize = 10;
/// Longest reason kept.
pub const REASON_MAX_CHARS: usize = 500;

/// Only administrators answer subject access requests: the data protection officer's work, which
/// sees across every area and role, as no officer's role does.
pub fn may_export(role: Role) -> bool {
    role == Role::Admin
}

/// Checks why an export is made (the request's reference and who asked): it goes in the audit log.
pub fn check_reason(reason: &str) -> Result<String, String> {
    let r = reason.trim();
    let n = r.chars().count();
    if n < REASON_MIN_CHARS {
        return Err(format!("Say why, in at least {REASON_MIN_CHARS} characters: the request's reference and who asked."));
    }
    if n > REASON_MAX_CHARS {
        return Err(format!("Keep the reason to {REASON_MAX_CHARS} characters."));
    }
    Ok(r.to_string())
}

/// Checks a search: a surname and a date of birth (`YYYY-MM-DD`) in the past, as a request gives them.
pub fn check_search(last_name: &str, date_of_birth: &str, today: NaiveDate) -> Result<(String, NaiveDate), String> {
    let name = last_name.trim();
    if name.chars().count() < 2 || name.chars().count() > 100 {
        return Err("Give the person's surname, as their request gives it.".into());
    }
    let dob = NaiveDate::parse_from_str(date_of_birth.trim(), "%Y-%m-%d").map_err(|_| "Give the date of birth as a date (YYYY-MM-DD).".to_string())?;
    if dob >= today {
        return Err("A date of birth is in the past: check the date.".into());
    }
    Ok((name.to_string(), dob))
}

/// The day the answer is due: one month from the day the request was received (UK GDPR Article
/// 12(3)), counted as the ICO says: the same date next month, the month's last day where next
/// month has no such date, and the next working day where that day is a weekend or a bank holiday.
pub fn respond_by(received: NaiveDate, cal: &WorkingCalendar) -> NaiveDate {
    let (y, m) = if received.month() == 12 { (received.year() + 1, 1) } else { (received.year(), received.month() + 1) };
    let last = NaiveDate::from_ymd_opt(if m == 12 { y + 1 } else { y }, if m == 12 { 1 } else { m + 1 }, 1).and_then(|d| d.pred_opt()).expect("a valid month");
    let same = NaiveDate::from_ymd_opt(y, m, received.day()).unwrap_or(last);
    if cal.is_working_day(same) { same } else { cal.next_working_day(same) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn only_administrators_export_and_each_export_says_why() {
        assert!(may_export(Role::Admin));
        for r in [Role::CommunityHmo, Role::TeamLeader, Role::Legal, Role::Partner] {
            assert!(!may_export(r), "{r:?}");
        }
        assert_eq!(check_reason("  SAR-2026-114 from the tenant  ").unwrap(), "SAR-2026-114 from the tenant");
        assert!(check_reason("asked").unwrap_err().contains("at least 10"));
        assert!(check_reason(&"x".repeat(501)).is_err());
    }

    #[test]
    fn a_search_needs_a_surname_and_a_past_date_of_birth() {
        let today = day("2026-12-07");
        assert_eq!(check_search(" Okafor ", "1984-02-29", today).unwrap(), ("Okafor".to_string(), day("1984-02-29")));
        assert!(check_search("O", "1984-02-29", today).unwrap_err().contains("surname"));
        assert!(check_search("Okafor", "29/02/1984", today).unwrap_err().contains("YYYY-MM-DD"));
        assert!(check_search("Okafor", "2027-01-01", today).unwrap_err().contains("past"));
    }

    /// UK GDPR Article 12(3): one month from receipt; the ICO's guidance on counting it: the
    /// corresponding calendar date, the month's last day where there is none, and the next working
    /// day where the date falls on a weekend or a bank holiday.
    #[test]
    fn the_answer_is_due_a_calendar_month_after_receipt() {
        let cal = WorkingCalendar::england_and_wales();
        // Received Monday 2 November 2026: due Wednesday 2 December.
        assert_eq!(respond_by(day("2026-11-02"), cal), day("2026-12-02"));
        // Received 31 January 2027: February has no 31st, so its last day, Sunday 28 February,
        // and then the next working day, Monday 1 March.
        assert_eq!(respond_by(day("2027-01-31"), cal), day("2027-03-01"));
        // Received 25 November 2026: 25 December is Christmas Day, 26th a Saturday, 28th the Boxing
        // Day substitute: due Tuesday 29 December.
        assert_eq!(respond_by(day("2026-11-25"), cal), day("2026-12-29"));
        // Across the year's end.
        assert_eq!(respond_by(day("2026-12-07"), cal), day("2027-01-07"));
    }
}
