//! The patch map's server functions (the map's points come from `GET /api/v1/map`, which the
//! browser caches by ETag). Each calls the shared service in `service`.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use server_fn::codec::Json;

use crate::domain::mapdata::{BalanceView, HomeCard, HomeMove, HomeRow, PatchChangeRequest, Territory};
use crate::error::AppError;

#[server(prefix = "/fn", endpoint = "map_home")]
pub async fn get_home_card(property_id: i64) -> Result<HomeCard, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::home_card(&*store, &who, property_id, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "map_rows", input = Json)]
pub async fn get_home_rows(area: i64, ids: Vec<i64>) -> Result<Vec<HomeRow>, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::home_rows(&*store, &who, area, &ids).await
}

#[server(prefix = "/fn", endpoint = "map_balance")]
pub async fn get_balance(area: i64, officers: usize, tolerance_pct: u32) -> Result<BalanceView, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::balance(&*store, &who, area, officers, tolerance_pct).await
}

#[server(prefix = "/fn", endpoint = "map_shapes", input = Json)]
pub async fn get_draft_territories(area: i64, moves: Vec<HomeMove>) -> Result<Vec<Territory>, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::draft_territories(&*store, &who, area, &moves).await
}

#[server(prefix = "/fn", endpoint = "map_save", input = Json)]
pub async fn save_patch_change(change: PatchChangeRequest) -> Result<crate::domain::mapdata::SavedPatchChange, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::save_change(&*store, &who, &change, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "map_changes")]
pub async fn get_changes_since(area: i64, since: i64) -> Result<crate::domain::mapdata::PatchChangesSince, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::changes_since(&*store, &who, Some(area), since).await
}
