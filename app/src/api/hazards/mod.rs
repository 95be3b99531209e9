//! Damp and mould under Awaab's Law: hazards reported by tenants or found at visits, the ladder
//! each climbs (investigation, written summary, safety work) and the clock on every rung.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::hazard::{HazardFinding, HazardStep};
use crate::error::AppError;
use crate::model::*;

/// The form that reports a hazard, as it posts (the same with JavaScript on or off).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ReportForm {
    pub detail: String,
    pub on: String,
    pub at: String,
}

impl ReportForm {
    pub fn request(&self) -> HazardReport {
        HazardReport { detail: self.detail.clone(), on: self.on.clone(), at: self.at.clone() }
    }
}

/// The form that records a step, as it posts.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StepForm {
    pub step: String,
    #[serde(default)]
    pub finding: String,
    pub on: String,
    pub at: String,
    pub note: String,
    pub version: String,
}

impl StepForm {
    pub fn request(&self) -> Result<HazardStepIn, AppError> {
        let step = HazardStep::parse(&self.step).ok_or_else(|| AppError::Invalid("Choose the step to record.".into()))?;
        let finding = match self.finding.trim() {
            "" => None,
            code => Some(HazardFinding::parse(code).ok_or_else(|| AppError::Invalid("Choose what the investigation found.".into()))?),
        };
        let version = self.version.trim().parse().map_err(|_| AppError::Invalid("This form does not say which version it changes: reload the page.".into()))?;
        Ok(HazardStepIn { step, finding, on: self.on.clone(), at: self.at.clone(), note: self.note.clone(), version })
    }
}

#[server(prefix = "/fn", endpoint = "team_hazards")]
pub async fn team_hazards() -> Result<HazardsView, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::hazards(&*store, &who).await
}

#[server(prefix = "/fn", endpoint = "report_hazard")]
pub async fn report_hazard(reference: String, hazard: ReportForm) -> Result<HazardView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::report(&*store, &who, &reference, hazard.request(), &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "record_hazard_step")]
pub async fn record_hazard_step(id: i64, step: StepForm) -> Result<HazardView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::step(&*store, &who, id, step.request()?, &meta.ip).await
}
