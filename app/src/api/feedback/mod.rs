//! Feedback results for officers and managers, feedback links with their QR codes, and the
//! TSM peer benchmark. The public forms themselves are served by the server without WASM
//! (`server/src/feedback.rs`) so they load fast on any phone and work with JavaScript off.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;

use crate::error::AppError;
use crate::model::*;

/// `area`, `patch` and `officer` narrow the comments (0: any), as `contains` does.
#[server(prefix = "/fn", endpoint = "feedback_results")]
pub async fn get_feedback_results(by: String, months: i64, contains: String, area: i64, patch: i64, officer: i64) -> Result<FeedbackResults, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    let filter = crate::domain::feedback::CommentFilter::new(&contains, Some(area), Some(patch), Some(officer));
    service::results(&*store, &crate::api::kit::settings::settings(), &who, &by, months, &filter, &meta).await
}

#[server(prefix = "/fn", endpoint = "create_feedback_link")]
pub async fn create_feedback_link(scope_type: String, scope_id: i64, label: String) -> Result<FeedbackLinkView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::create_link(&*store, &crate::api::kit::settings::settings(), &who, &scope_type, scope_id, &label, &meta).await
}

#[server(prefix = "/fn", endpoint = "case_from_comment")]
pub async fn case_from_comment(response_id: i64, kind: String) -> Result<String, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::case_from_comment(&*store, &who, response_id, &kind, &meta.ip).await
}
