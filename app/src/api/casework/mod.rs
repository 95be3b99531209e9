//! Cases between roles (referral, plan, hand-back) and the Team Leader's team view with cover.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::*;

#[server(prefix = "/fn", endpoint = "case")]
pub async fn get_case(reference: String) -> Result<CaseDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::case_detail(&*store, &who, &reference, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "refer_case")]
pub async fn refer_case(reference: String, version: i64, concerns: String, risks: String, tried: String) -> Result<CaseDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::refer_case(&*store, &who, &reference, service::CaseReferral { version, concerns, risks, tried }, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "complaint_step")]
pub async fn record_complaint_step(
    reference: String,
    version: i64,
    kind: crate::domain::complaint::ComplaintEvent,
    on: String,
    extension_days: Option<String>,
    detail: Option<String>,
) -> Result<CaseDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let extension_days = match extension_days.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
        Some(d) => Some(d.parse::<u32>().map_err(|_| AppError::Invalid(format!("{d:?} is not a number of working days.")))?),
        None => None,
    };
    let r = service::ComplaintStepRequest { version, kind, on, extension_days, detail: detail.unwrap_or_default() };
    service::record_complaint_step(&*store, &who, &reference, r, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "hand_back")]
pub async fn hand_back_case(reference: String, version: i64, summary: String) -> Result<CaseDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::hand_back(&*store, &who, &reference, service::HandBackRequest { version, summary }, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "add_action")]
pub async fn add_plan_action(
    reference: String,
    description: String,
    owner: String,
    owner_name: Option<String>,
    due_on: String,
) -> Result<CaseDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let a = service::PlanActionRequest { description, owner, owner_name: owner_name.unwrap_or_default(), due_on };
    service::add_action(&*store, &who, &reference, a, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "update_action")]
pub async fn update_plan_action(action_id: i64, version: i64, status: String, note: Option<String>) -> Result<CaseDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::update_action(&*store, &who, action_id, service::PlanActionUpdate { version, status, note: note.unwrap_or_default() }, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "set_plan")]
pub async fn set_plan_dates(reference: String, version: i64, agreed_on: String, next_review_on: String) -> Result<CaseDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::set_plan(&*store, &who, &reference, service::PlanDates { version, agreed_on, next_review_on }, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "team")]
pub async fn get_team() -> Result<TeamView, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::team(&*store, &who).await
}

#[server(prefix = "/fn", endpoint = "set_cover")]
pub async fn set_cover(absent_id: i64, cover_id: i64, starts_on: String, ends_on: String, reason: String) -> Result<TeamView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::create_cover(&*store, &who, service::CoverRequest { absent_id, cover_id, starts_on, ends_on, reason }, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "end_cover")]
pub async fn end_cover(cover_id: i64) -> Result<TeamView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::end_cover(&*store, &who, cover_id, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "escalate_case")]
pub async fn escalate_case(reference: String, version: i64, purpose: String, reason: String) -> Result<CaseDetail, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::escalate_case(&*store, &who, &reference, crate::api::kit::workflow::EscalationRequest { version, purpose, reason }, &meta.ip).await
}
