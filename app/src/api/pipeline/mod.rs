//! What visits lead to: the downsizing pipeline and investigations of fraud, subletting and
//! abandonment, counted against the programme's targets.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::pipeline::{PipelineKind, PipelineStage};
use crate::error::AppError;
use crate::model::*;

/// The form that starts an entry, as it posts (the same with JavaScript on or off).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StartForm {
    pub kind: String,
    pub note: String,
}

impl StartForm {
    pub fn request(&self) -> Result<PipelineStart, AppError> {
        let kind = PipelineKind::parse(&self.kind).ok_or_else(|| AppError::Invalid("Choose what to start: downsizing, or an investigation.".into()))?;
        Ok(PipelineStart { kind, note: self.note.clone() })
    }
}

/// The form that moves an entry on, as it posts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct MoveForm {
    pub stage: String,
    pub note: String,
    pub version: String,
}

impl MoveForm {
    pub fn request(&self) -> Result<PipelineMove, AppError> {
        let stage = PipelineStage::parse(&self.stage).ok_or_else(|| AppError::Invalid("Choose the next step.".into()))?;
        let version = self.version.trim().parse().map_err(|_| AppError::Invalid("This form does not say which version it changes: reload the page.".into()))?;
        Ok(PipelineMove { stage, note: self.note.clone(), version })
    }
}

#[server(prefix = "/fn", endpoint = "team_pipeline")]
pub async fn team_pipeline() -> Result<PipelineView, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::pipeline(&*store, &who).await
}

#[server(prefix = "/fn", endpoint = "start_pipeline")]
pub async fn start_pipeline(reference: String, entry: StartForm) -> Result<PipelineEntryView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::start(&*store, &who, &reference, entry.request()?, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "move_pipeline")]
pub async fn move_pipeline(id: i64, step: MoveForm) -> Result<PipelineEntryView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::move_on(&*store, &who, id, step.request()?, &meta.ip).await
}
