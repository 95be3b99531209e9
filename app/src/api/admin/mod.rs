//! Administration: the server functions behind the *Administration* page.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::*;

#[server(prefix = "/fn", endpoint = "admin")]
pub async fn get_admin() -> Result<AdminView, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::view(&*store, &who).await
}

#[server(prefix = "/fn", endpoint = "admin_agency")]
pub async fn register_agency(
    name: String,
    kind: String,
    team: Option<String>,
    contact_email: Option<String>,
    contact_phone: Option<String>,
) -> Result<AdminView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let a = store::NewAgency {
        name,
        kind,
        team: team.unwrap_or_default(),
        contact_email: contact_email.unwrap_or_default(),
        contact_phone: contact_phone.unwrap_or_default(),
    };
    service::create_agency(&*store, &who, a, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "admin_user")]
pub async fn add_agency_user(agency_id: i64, username: String, display_name: String, email: Option<String>, password: String) -> Result<AdminView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let u = store::NewAgencyUser { agency_id, username, display_name, email: email.unwrap_or_default(), password };
    service::create_agency_user(&*store, &who, u, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "admin_token")]
pub async fn issue_agency_token(username: String, name: String, days: i64) -> Result<IssuedToken, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::issue_token(&*store, &who, service::NewToken { username, name, days }, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "admin_revoke")]
pub async fn revoke_agency_token(id: i64) -> Result<AdminView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::revoke_token(&*store, &who, id, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "admin_holiday")]
pub async fn add_bank_holiday(date: String, name: String) -> Result<AdminView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::add_bank_holiday(&*store, &who, service::NewBankHoliday { date, name }, &meta.ip).await
}
