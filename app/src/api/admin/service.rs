//! Administration: administrators register partner agencies and their users, issue and revoke the
//! API tokens agencies' systems use, and read a record's access report. Shared by the *Administration*
//! page and `/api/v1/admin`; administrators only; every change is audited.

use super::store::{NewAgency, NewAgencyUser};
use crate::api::kit::audit::{audit, change};
use crate::api::store::Store;
use crate::domain::access::Principal;
use crate::domain::{AgencyKind, Role};
use crate::error::AppError;
use crate::model::*;

fn admin_only(who: &Principal) -> Result<(), AppError> {
    if who.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden("Only administrators manage agencies, their users, API tokens and the calendar.".into()))
    }
}

pub async fn view(store: &dyn Store, who: &Principal) -> Result<AdminView, AppError> {
    admin_only(who)?;
    let today = store.today();
    let until = today + chrono::Duration::days(HOLIDAYS_SHOWN_DAYS);
    let calendar = store.calendar().await?;
    let holidays =
        calendar.holidays().filter(|(d, _)| (today..=until).contains(d)).map(|(date, name)| BankHolidayView { date, name: name.to_string() }).collect();
    Ok(AdminView { agencies: store.agencies_admin().await?, tokens: store.api_tokens().await?, holidays })
}

/// How far ahead the administration page lists bank holidays.
pub const HOLIDAYS_SHOWN_DAYS: i64 = 730;

/// A bank holiday an administrator adds: a later year's, or a one-off (a coronation, a jubilee).
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct NewBankHoliday {
    /// YYYY-MM-DD.
    pub date: String,
    /// As GOV.UK names it, e.g. "Bank holiday for the coronation of King Charles III".
    pub name: String,
}

/// Checks a new bank holiday: a real date on a weekday, and a name.
pub fn check_holiday(h: &NewBankHoliday) -> Result<(chrono::NaiveDate, String), String> {
    use chrono::Datelike;
    let mut problems = Vec::new();
    let date = crate::domain::clock::input_date(&h.date, &format!("{:?} is not a date (YYYY-MM-DD).", h.date.trim()));
    if let Ok(d) = &date
        && matches!(d.weekday(), chrono::Weekday::Sat | chrono::Weekday::Sun)
    {
        problems.push(format!("{d} is a {}: a bank holiday that changes working days falls on a weekday.", d.format("%A")));
    }
    let name = h.name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push("Give the holiday's name (up to 200 characters).".to_string());
    }
    match date {
        Ok(d) if problems.is_empty() => Ok((d, name.to_string())),
        Ok(_) => Err(problems.join(" ")),
        Err(e) => Err(std::iter::once(e).chain(problems).collect::<Vec<_>>().join(" ")),
    }
}

/// Adds a bank holiday to the council's calendar: every due date set from now on, every clock,
/// and the public working-days endpoint count it at once.
pub async fn add_bank_holiday(store: &dyn Store, who: &Principal, h: NewBankHoliday, ip: &str) -> Result<AdminView, AppError> {
    admin_only(who)?;
    let (date, name) = check_holiday(&h).map_err(AppError::Invalid)?;
    store.add_bank_holiday(date, &name, change(who, ip, "add_bank_holiday", "calendar", None, format!("{date} {name}"))).await?;
    view(store, who).await
}

/// Checks a new agency: a name, and a kind Hearth knows.
pub fn check_agency(a: &NewAgency) -> Result<AgencyKind, String> {
    let name = a.name.trim();
    let mut problems = Vec::new();
    if name.is_empty() || name.chars().count() > 200 {
        problems.push("Give the agency's name (up to 200 characters).".to_string());
    }
    let kind = AgencyKind::parse(a.kind.trim());
    if kind.is_none() {
        problems.push(format!(
            "\"{}\" is not an agency kind: use one of {}.",
            a.kind,
            AgencyKind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
        ));
    }
    for (what, v) in [("team", &a.team), ("contact email", &a.contact_email), ("contact phone", &a.contact_phone)] {
        if v.chars().count() > 200 {
            problems.push(format!("The {what} must be 200 characters or fewer."));
        }
    }
    match kind {
        Some(k) if problems.is_empty() => Ok(k),
        _ => Err(problems.join(" ")),
    }
}

/// Checks a new agency user: a username people can type, a name, a long enough password.
pub fn check_user(u: &NewAgencyUser) -> Result<String, String> {
    let username = u.username.trim().to_lowercase();
    let mut problems = Vec::new();
    if username.len() < 3 || username.len() > 64 || !username.chars().all(|c| c.is_ascii_alphanumeric() || "._-".contains(c)) {
        problems.push("The username must be 3 to 64 letters, digits, dots, dashes or underscores.");
    }
    if u.display_name.trim().is_empty() || u.display_name.chars().count() > 200 {
        problems.push("Give the person's name.");
    }
    if u.password.chars().count() < 12 {
        problems.push("The password must be at least 12 characters.");
    }
    if problems.is_empty() { Ok(username) } else { Err(problems.join(" ")) }
}

pub async fn create_agency(store: &dyn Store, who: &Principal, a: NewAgency, ip: &str) -> Result<AdminView, AppError> {
    admin_only(who)?;
    let kind = check_agency(&a).map_err(AppError::Invalid)?;
    let a = NewAgency {
        name: a.name.trim().into(),
        kind: kind.as_str().into(),
        team: a.team.trim().into(),
        contact_email: a.contact_email.trim().into(),
        contact_phone: a.contact_phone.trim().into(),
    };
    let entry = change(who, ip, "create_agency", "agency", None, a.name.clone());
    store.create_agency(a, entry).await?;
    view(store, who).await
}

pub async fn create_agency_user(store: &dyn Store, who: &Principal, u: NewAgencyUser, ip: &str) -> Result<AdminView, AppError> {
    admin_only(who)?;
    let username = check_user(&u).map_err(AppError::Invalid)?;
    let agency = u.agency_id;
    let entry = change(who, ip, "create_agency_user", "user", None, format!("{username} in agency {agency}"));
    store.create_agency_user(NewAgencyUser { username, display_name: u.display_name.trim().into(), email: u.email.trim().into(), ..u }, entry).await?;
    view(store, who).await
}

/// What an administrator asks for when issuing a token.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct NewToken {
    /// The agency user the token acts as.
    pub username: String,
    /// What it is for, e.g. "Case management system".
    pub name: String,
    /// Days until it expires (1 to 365).
    pub days: i64,
}

pub async fn issue_token(store: &dyn Store, who: &Principal, t: NewToken, ip: &str) -> Result<IssuedToken, AppError> {
    admin_only(who)?;
    let mut problems = Vec::new();
    if !(1..=365).contains(&t.days) {
        problems.push("A token lasts from 1 to 365 days.");
    }
    if t.name.trim().is_empty() || t.name.chars().count() > 200 {
        problems.push("Say what the token is for (up to 200 characters).");
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems.join(" ")));
    }
    let username = t.username.trim().to_lowercase();
    let user_id = store.user_id_by_username(&username).await?.ok_or_else(|| AppError::Invalid(format!("There is no active user \"{username}\".")))?;
    let facts = store.user_facts(user_id).await?.ok_or(AppError::Internal)?;
    if facts.role != Role::Partner {
        return Err(AppError::Invalid("Tokens issued here are for agency users; officers sign in for their own tokens.".into()));
    }
    let entry = change(who, ip, "issue_api_token", "api_token", None, format!("{} for {username}", t.name.trim()));
    store.issue_token(user_id, t.name.trim(), t.days, entry).await
}

pub async fn revoke_token(store: &dyn Store, who: &Principal, id: i64, ip: &str) -> Result<AdminView, AppError> {
    admin_only(who)?;
    if !store.revoke_token(id, change(who, ip, "revoke_api_token", "api_token", Some(id), String::new())).await? {
        return Err(AppError::NotFound(format!("Unrevoked token {id}")));
    }
    view(store, who).await
}

/// Who viewed or changed one record, and why (reading it is audited too).
pub async fn audit_trail(store: &dyn Store, who: &Principal, subject_type: &str, reference: &str, ip: &str) -> Result<Vec<AuditRow>, AppError> {
    admin_only(who)?;
    if !matches!(subject_type, "referral" | "tenancy" | "case") {
        return Err(AppError::Invalid(format!("\"{subject_type}\" is not a subject type: use referral, tenancy or case.")));
    }
    let reference = reference.trim().to_uppercase();
    let (id, rows) = store.audit_trail(subject_type, &reference).await?.ok_or_else(|| AppError::NotFound(reference.clone()))?;
    audit(store, who, ip, "read_audit_trail", subject_type, Some(id), Ok(()), reference).await?;
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn new_agencies_and_users_explain_every_problem() {
        let ok = NewAgency { name: "Age UK York".into(), kind: "adult_social_care".into(), ..Default::default() };
        assert_eq!(check_agency(&ok), Ok(AgencyKind::AdultSocialCare));
        let bad = NewAgency { name: " ".into(), kind: "charity".into(), ..Default::default() };
        let msg = check_agency(&bad).unwrap_err();
        assert!(msg.contains("name") && msg.contains("marac"), "{msg}");
        let user = NewAgencyUser {
            agency_id: 1,
            username: " Pat.Jones ".into(),
            display_name: "Pat".into(),
            email: String::new(),
            password: "a long passphrase".into(),
        };
        assert_eq!(check_user(&user), Ok("pat.jones".into()));
        let bad = NewAgencyUser { username: "p j".into(), display_name: String::new(), password: "short".into(), ..user };
        let msg = check_user(&bad).unwrap_err();
        assert!(msg.contains("username") && msg.contains("name") && msg.contains("12 characters"), "{msg}");
    }
}
