//! What an administrator may record: bank holidays, partner agencies and their users. Each check
//! names every problem at once, in words, so a form can show them beside what was typed.

use chrono::{Datelike, NaiveDate, Weekday};

use super::{AgencyKind, Role};

/// Only administrators manage agencies, their users, API tokens, the calendar and audit reports.
pub fn may_administer(role: Role) -> bool {
    role == Role::Admin
}

/// The longest name, team or contact an administrator may record.
const MAX_TEXT: usize = 200;

/// A bank holiday the council adds to the calendar: a weekday (a Saturday or Sunday changes no
/// working day) with a name. Returns the day and the trimmed name.
pub fn check_holiday(date: &str, name: &str) -> Result<(NaiveDate, String), String> {
    let mut problems = Vec::new();
    let day = super::clock::input_date(date, &format!("{:?} is not a date (YYYY-MM-DD).", date.trim()));
    if let Ok(d) = &day
        && matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
    {
        problems.push(format!("{d} is a {}: a bank holiday that changes working days falls on a weekday.", d.format("%A")));
    }
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_TEXT {
        problems.push(format!("Give the holiday's name (up to {MAX_TEXT} characters)."));
    }
    match day {
        Ok(d) if problems.is_empty() => Ok((d, name.to_string())),
        Ok(_) => Err(problems.join(" ")),
        Err(e) => Err(std::iter::once(e).chain(problems).collect::<Vec<_>>().join(" ")),
    }
}

/// A partner agency: a name, one of the agency kinds, and optional team and contacts.
pub fn check_agency(name: &str, kind: &str, team: &str, contact_email: &str, contact_phone: &str) -> Result<AgencyKind, String> {
    let mut problems = Vec::new();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_TEXT {
        problems.push(format!("Give the agency's name (up to {MAX_TEXT} characters)."));
    }
    let parsed = AgencyKind::parse(kind.trim());
    if parsed.is_none() {
        let kinds = AgencyKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ");
        problems.push(format!("\"{kind}\" is not an agency kind: use one of {kinds}."));
    }
    for (what, v) in [("team", team), ("contact email", contact_email), ("contact phone", contact_phone)] {
        if v.chars().count() > MAX_TEXT {
            problems.push(format!("The {what} must be {MAX_TEXT} characters or fewer."));
        }
    }
    match parsed {
        Some(k) if problems.is_empty() => Ok(k),
        _ => Err(problems.join(" ")),
    }
}

/// The shortest password an agency user may be given.
pub const MIN_PASSWORD_CHARS: usize = 12;

/// A partner agency's user: a username of 3 to 64 letters, digits, dots, dashes or underscores
/// (kept in lower case, which it returns), a name, and a password of at least 12 characters.
pub fn check_user(username: &str, display_name: &str, password: &str) -> Result<String, String> {
    let username = username.trim().to_lowercase();
    let mut problems = Vec::new();
    if username.len() < 3 || username.len() > 64 || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        problems.push("The username must be 3 to 64 letters, digits, dots, dashes or underscores.".to_string());
    }
    if display_name.trim().is_empty() || display_name.chars().count() > MAX_TEXT {
        problems.push("Give the person's name.".to_string());
    }
    if password.chars().count() < MIN_PASSWORD_CHARS {
        problems.push(format!("The password must be at least {MIN_PASSWORD_CHARS} characters."));
    }
    if problems.is_empty() { Ok(username) } else { Err(problems.join(" ")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_administrators_administer() {
        for role in Role::ALL {
            assert_eq!(may_administer(*role), *role == Role::Admin, "{role:?}");
        }
    }

    #[test]
    fn new_agencies_and_users_explain_every_problem() {
        assert_eq!(check_agency("Age UK York", "adult_social_care", "", "", ""), Ok(AgencyKind::AdultSocialCare));
        let msg = check_agency(" ", "charity", "", "", "").unwrap_err();
        assert!(msg.contains("name") && msg.contains("marac"), "{msg}");
        let long = "x".repeat(201);
        assert!(check_agency("Age UK York", "police", &long, "", "").unwrap_err().contains("team"));
        assert_eq!(check_user(" Pat.Jones ", "Pat", "a long passphrase"), Ok("pat.jones".into()));
        let msg = check_user("p j", "", "short").unwrap_err();
        assert!(msg.contains("username") && msg.contains("name") && msg.contains("12 characters"), "{msg}");
    }

    #[test]
    fn a_bank_holiday_is_a_named_weekday() {
        // 2027-08-30 is a Monday (the summer bank holiday); 2027-08-28 a Saturday.
        assert_eq!(check_holiday(" 2027-08-30 ", " Summer bank holiday "), Ok((NaiveDate::from_ymd_opt(2027, 8, 30).unwrap(), "Summer bank holiday".into())));
        assert!(check_holiday("2027-08-28", "Saturday").unwrap_err().contains("Saturday"));
        let msg = check_holiday("30/08/2027", "").unwrap_err();
        assert!(msg.contains("not a date") && msg.contains("name"), "{msg}");
    }
}
