//! Administration: administrators register partner agencies and their users, issue and revoke the
//! API tokens agencies' systems use, and read a record's access report. Shared by the *Administration*
//! page and `/api/v1/admin`; administrators only; every change is audited.

use super::store::{NewAgency, NewAgencyUser};
use crate::api::kit::audit::{audit, change};
use crate::api::store::Store;
use crate::domain::Role;
use crate::domain::access::Principal;
use crate::domain::admin::{check_agency, check_holiday, check_user, may_administer};
use crate::error::AppError;
use crate::model::*;

fn admin_only(who: &Principal) -> Result<(), AppError> {
    if may_administer(who.role) {
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

/// Adds a bank holiday to the council's calendar: every due date set from now on, every clock,
/// and the public working-days endpoint count it at once.
pub async fn add_bank_holiday(store: &dyn Store, who: &Principal, h: NewBankHoliday, ip: &str) -> Result<AdminView, AppError> {
    admin_only(who)?;
    let (date, name) = check_holiday(&h.date, &h.name).map_err(AppError::Invalid)?;
    store.add_bank_holiday(date, &name, change(who, ip, "add_bank_holiday", "calendar", None, format!("{date} {name}"))).await?;
    view(store, who).await
}

pub async fn create_agency(store: &dyn Store, who: &Principal, a: NewAgency, ip: &str) -> Result<AdminView, AppError> {
    admin_only(who)?;
    let kind = check_agency(&a.name, &a.kind, &a.team, &a.contact_email, &a.contact_phone).map_err(AppError::Invalid)?;
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
    let username = check_user(&u.username, &u.display_name, &u.password).map_err(AppError::Invalid)?;
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
