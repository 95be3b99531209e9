//! Introductory tenancy reviews and the Team Leader's approvals queue.

// A legal step's form posts its fields flat (no JavaScript needed), one argument each.
#![allow(clippy::too_many_arguments)]

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use crate::domain::workflow::Move;
use crate::error::AppError;
use crate::model::*;

#[server(prefix = "/fn", endpoint = "review_panel")]
pub async fn get_review_panel(reference: String) -> Result<ReviewPanel, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::review_panel(&*store, &who, &reference, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "propose_review")]
pub async fn propose_review(
    reference: String,
    version: i64,
    outcome: String,
    extension_reason: Option<String>,
    reason: String,
) -> Result<ReviewPanel, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let extension_reason = extension_reason.filter(|r| !r.is_empty());
    service::propose_review(&*store, &who, &reference, service::ReviewProposal { version, outcome, extension_reason, reason }, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "decide_item")]
pub async fn decide_item(item_id: i64, version: i64, action: Move, note: Option<String>, assign_to: Option<i64>) -> Result<WorkflowView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::decide_item(&*store, &who, item_id, service::ItemDecision { version, action, note: note.unwrap_or_default(), assign_to }, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "record_notice")]
pub async fn record_notice(reference: String, version: i64, served_on: String) -> Result<ReviewPanel, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::record_notice(&*store, &who, &reference, version, &served_on, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "record_prior")]
pub async fn record_prior(reference: String, version: i64, kind: String, landlord: String, from: String, to: String) -> Result<ReviewPanel, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::record_prior(&*store, &who, &reference, service::PriorTenancyRequest { version, kind, landlord, from, to }, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "record_step")]
pub async fn record_step(
    reference: String,
    version: i64,
    kind: crate::domain::introductory::steps::StepKind,
    on: String,
    proceedings_from: Option<String>,
    outcome: Option<crate::domain::introductory::steps::StepOutcome>,
    detail: Option<String>,
    rights_told: Option<bool>,
) -> Result<ReviewPanel, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let request =
        service::StepRequest { version, kind, on, proceedings_from, outcome, detail: detail.unwrap_or_default(), rights_told: rights_told.unwrap_or(false) };
    service::record_step(&*store, &who, &reference, request, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "approvals")]
pub async fn get_approvals() -> Result<Vec<WorkflowView>, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::approvals(&*store, &who).await
}

#[server(prefix = "/fn", endpoint = "reviews_due")]
pub async fn get_reviews_due() -> Result<Vec<TenancyRow>, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::reviews_due(&*store, &who).await
}

#[server(prefix = "/fn", endpoint = "escalate")]
pub async fn escalate_tenancy(reference: String, version: i64, purpose: String, reason: String) -> Result<ReviewPanel, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::escalate(&*store, &who, &reference, crate::api::kit::workflow::EscalationRequest { version, purpose, reason }, &meta.ip).await
}
