//! Administration: administrators register partner agencies and their users, issue and revoke the
//! API tokens agencies' systems use, and read a record's access report. Shared by the *Administration*
//! page and `/api/v1/admin`; administrators only; every change is audited.

use super::store::{AuditEntry, NewAgency, NewAgencyUser, Store};
use crate::domain::access::Principal;
use crate::domain::{AgencyKind, Role};
use crate::error::AppError;
use crate::model::*;

fn admin_only(who: &Principal) -> Result<(), AppError> {
    if who.role == Role::Admin { Ok(()) } else { Err(AppError::Forbidden("Only administrators manage agencies, their users and API tokens.".into())) }
}

async fn audit(store: &dyn Store, who: &Principal, ip: &str, action: &str, subject_type: &str, id: i64, detail: String) -> Result<(), AppError> {
    store
        .audit(AuditEntry {
            user_id: Some(who.user_id),
            username: who.username.clone(),
            action: action.into(),
            subject_type: subject_type.into(),
            subject_id: Some(id),
            outcome: "allowed".into(),
            reason: String::new(),
            detail,
            ip: ip.into(),
        })
        .await
}

pub async fn view(store: &dyn Store, who: &Principal) -> Result<AdminView, AppError> {
    admin_only(who)?;
    Ok(AdminView { agencies: store.agencies_admin().await?, tokens: store.api_tokens().await? })
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
    let name = a.name.clone();
    let id = store.create_agency(a).await?;
    audit(store, who, ip, "create_agency", "agency", id, name).await?;
    view(store, who).await
}

pub async fn create_agency_user(store: &dyn Store, who: &Principal, u: NewAgencyUser, ip: &str) -> Result<AdminView, AppError> {
    admin_only(who)?;
    let username = check_user(&u).map_err(AppError::Invalid)?;
    let agency = u.agency_id;
    let id = store
        .create_agency_user(NewAgencyUser { username: username.clone(), display_name: u.display_name.trim().into(), email: u.email.trim().into(), ..u })
        .await?;
    audit(store, who, ip, "create_agency_user", "user", id, format!("{username} in agency {agency}")).await?;
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
    let issued = store.issue_token(user_id, t.name.trim(), t.days).await?;
    audit(store, who, ip, "issue_api_token", "api_token", issued.id, format!("{} for {username}", t.name.trim())).await?;
    Ok(issued)
}

pub async fn revoke_token(store: &dyn Store, who: &Principal, id: i64, ip: &str) -> Result<AdminView, AppError> {
    admin_only(who)?;
    if !store.revoke_token(id).await? {
        return Err(AppError::NotFound(format!("Unrevoked token {id}")));
    }
    audit(store, who, ip, "revoke_api_token", "api_token", id, String::new()).await?;
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
    audit(store, who, ip, "read_audit_trail", subject_type, id, reference).await?;
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
