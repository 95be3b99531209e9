//! The officer's desk: who am I, my work, search, tenancy and property pages.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::*;

#[server(prefix = "/fn", endpoint = "whoami")]
pub async fn whoami() -> Result<Option<SessionUser>, AppError> {
    Ok(crate::api::principal().await.ok().map(|who| SessionUser {
        username: who.username,
        display_name: who.display_name,
        role: who.role,
        area_team: who.area_team,
        agency: who.agency,
    }))
}

#[server(prefix = "/fn", endpoint = "my_work")]
pub async fn get_my_work(all: bool) -> Result<MyWork, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::my_work(&*store, &who, all).await
}

#[server(prefix = "/fn", endpoint = "search")]
pub async fn search(query: String) -> Result<SearchResults, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::search(&*store, &who, &query).await
}

#[server(prefix = "/fn", endpoint = "tenancy")]
pub async fn tenancy(reference: String) -> Result<TenancyDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::tenancy(&*store, &who, &reference, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "under_occupiers")]
pub async fn list_under_occupiers() -> Result<UnderOccupiers, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::under_occupiers(&*store, &who).await
}

#[server(prefix = "/fn", endpoint = "property")]
pub async fn property(reference: String) -> Result<PropertyDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::property(&*store, &who, &reference, &meta.ip).await
}
