//! Referrals to partner agencies: the server functions behind the referral pages (both sides).

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::*;

#[server(prefix = "/fn", endpoint = "referrals")]
pub async fn get_referrals(agency: Option<i64>, status: Option<String>, mine: Option<bool>, tenancy: Option<String>) -> Result<ReferralList, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let p = service::ListParams { agency, status, mine, tenancy };
    service::list(&*store, &who, &p, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "referral")]
pub async fn get_referral(reference: String, reason: Option<String>) -> Result<ReferralPage, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::page(&*store, &who, &reference, reason.as_deref(), &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "referral_start")]
pub async fn get_referral_start(
    tenancy: String,
    agency: Option<i64>,
    category: Option<String>,
    case: Option<String>,
    about: Option<String>,
) -> Result<ReferralStart, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::start(&*store, &who, &tenancy, agency, category.as_deref(), case.as_deref(), about.as_deref(), &meta.ip).await
}

/// Makes a referral. Each shareable field is its own checkbox (`share_<field>`), so the form
/// posts the same with JavaScript on or off.
#[server(prefix = "/fn", endpoint = "make_referral")]
pub async fn make_referral(
    tenancy: String,
    agency_id: i64,
    category: String,
    urgency: String,
    reason: String,
    lawful_basis: Option<String>,
    consent_given_on: Option<String>,
    basis_detail: Option<String>,
    contact_name: String,
    contact_detail: String,
    share_name: Option<String>,
    share_address: Option<String>,
    share_contact: Option<String>,
    share_date_of_birth: Option<String>,
    share_household: Option<String>,
    share_alerts: Option<String>,
    share_rent: Option<String>,
    share_tenure: Option<String>,
    case_reference: Option<String>,
    send: Option<String>,
) -> Result<String, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let ticks = [
        ("name", share_name),
        ("address", share_address),
        ("contact", share_contact),
        ("date_of_birth", share_date_of_birth),
        ("household", share_household),
        ("alerts", share_alerts),
        ("rent", share_rent),
        ("tenure", share_tenure),
    ];
    let fields = ticks.into_iter().filter(|(_, v)| v.is_some()).map(|(k, _)| k.to_string()).collect();
    let r = service::NewReferralRequest {
        agency_id,
        category,
        urgency,
        reason,
        fields,
        lawful_basis: lawful_basis.unwrap_or_default(),
        consent_given_on: consent_given_on.unwrap_or_default(),
        basis_detail: basis_detail.unwrap_or_default(),
        contact_name,
        contact_detail,
        send: send.as_deref() == Some("send"),
        case: case_reference,
    };
    let reference = service::create(&*store, &who, &tenancy, r, &meta.ip).await?;
    leptos_axum::redirect(&format!("/referrals/{reference}"));
    Ok(reference)
}

#[server(prefix = "/fn", endpoint = "move_referral")]
pub async fn move_referral(
    reference: String,
    version: i64,
    action: String,
    text: Option<String>,
    access_reason: Option<String>,
) -> Result<ReferralDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let m = service::ReferralMoveRequest { version, action, text: text.unwrap_or_default(), access_reason: access_reason.unwrap_or_default() };
    service::act(&*store, &who, &reference, m, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "referral_message")]
pub async fn post_referral_message(reference: String, body: String, access_reason: Option<String>) -> Result<ReferralDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::post(&*store, &who, &reference, &body, access_reason.as_deref().unwrap_or_default(), &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "referral_name")]
pub async fn name_on_referral(reference: String, username: String, access_reason: Option<String>) -> Result<ReferralDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::name_person(&*store, &who, &reference, &username, access_reason.as_deref().unwrap_or_default(), &meta.ip).await
}
