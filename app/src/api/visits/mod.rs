//! Visits officers record: the doorstep report and the clocks its findings start.

#[cfg(feature = "ssr")]
pub mod service;
#[cfg(feature = "ssr")]
pub mod store;

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::domain::{FindingKind, VisitOutcome, VisitType};
use crate::error::AppError;
use crate::model::*;

/// The doorstep form as it posts (the same with JavaScript on or off): one text box per kind of
/// finding; a finding is recorded where its box says something.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct VisitForm {
    pub kind: String,
    pub on: String,
    pub at: String,
    pub outcome: String,
    #[serde(default)]
    pub card_left: Option<String>,
    #[serde(default)]
    pub notes: String,
    pub client_key: String,
    #[serde(default)]
    pub safeguarding: String,
    #[serde(default)]
    pub disrepair: String,
    #[serde(default)]
    pub damp_mould: String,
    #[serde(default)]
    pub under_occupation: String,
    #[serde(default)]
    pub overcrowding: String,
    #[serde(default)]
    pub fire_risk: String,
    #[serde(default)]
    pub unauthorised_alteration: String,
    #[serde(default)]
    pub subletting: String,
    #[serde(default)]
    pub abandonment: String,
    #[serde(default)]
    pub vulnerability: String,
    /// The tenancy's version the form was opened at.
    #[serde(default)]
    pub seen_version: String,
    /// Members who have left: a box per member, keyed by the member's id.
    #[serde(default)]
    pub left: std::collections::BTreeMap<String, String>,
    /// Someone who has joined (the form takes one at a time).
    #[serde(default)]
    pub joined_first_name: String,
    #[serde(default)]
    pub joined_last_name: String,
    #[serde(default)]
    pub joined_date_of_birth: String,
    #[serde(default)]
    pub joined_sex: String,
    #[serde(default)]
    pub joined_relationship: String,
    /// Present when the household said they would like a smaller home.
    #[serde(default)]
    pub downsizing_interest: Option<String>,
}

impl VisitForm {
    /// What each finding's box says, by kind.
    pub fn finding_text(&self, kind: FindingKind) -> &str {
        match kind {
            FindingKind::Safeguarding => &self.safeguarding,
            FindingKind::Disrepair => &self.disrepair,
            FindingKind::DampMould => &self.damp_mould,
            FindingKind::UnderOccupation => &self.under_occupation,
            FindingKind::Overcrowding => &self.overcrowding,
            FindingKind::FireRisk => &self.fire_risk,
            FindingKind::UnauthorisedAlteration => &self.unauthorised_alteration,
            FindingKind::Subletting => &self.subletting,
            FindingKind::Abandonment => &self.abandonment,
            FindingKind::Vulnerability => &self.vulnerability,
        }
    }

    /// The report the form describes; an unknown kind or outcome is a clear refusal.
    pub fn request(&self) -> Result<VisitRequest, AppError> {
        let kind = VisitType::parse(&self.kind).ok_or_else(|| AppError::Invalid("Choose what the visit was for.".into()))?;
        let outcome =
            VisitOutcome::parse(&self.outcome).ok_or_else(|| AppError::Invalid("Say what happened at the door: visit completed, or no access.".into()))?;
        let findings = FindingKind::ALL
            .iter()
            .filter(|k| !self.finding_text(**k).trim().is_empty())
            .map(|k| crate::domain::visits::Finding { kind: *k, detail: self.finding_text(*k).to_string() })
            .collect();
        let left: Vec<i64> = self.left.keys().filter_map(|k| k.parse().ok()).collect();
        let someone_joined = [&self.joined_first_name, &self.joined_last_name, &self.joined_date_of_birth].iter().any(|f| !f.trim().is_empty());
        let joined: Vec<_> = someone_joined
            .then(|| crate::domain::visits::JoinerIn {
                first_name: self.joined_first_name.clone(),
                last_name: self.joined_last_name.clone(),
                date_of_birth: self.joined_date_of_birth.clone(),
                sex: match self.joined_sex.as_str() {
                    "F" => Some(crate::domain::occupancy::Sex::F),
                    "M" => Some(crate::domain::occupancy::Sex::M),
                    _ => None,
                },
                relationship: crate::domain::Relationship::parse(&self.joined_relationship),
            })
            .into_iter()
            .collect();
        let household = (!left.is_empty() || !joined.is_empty())
            .then(|| self.seen_version.trim().parse().map(|seen_version| HouseholdChangeIn { seen_version, left, joined }))
            .transpose()
            .map_err(|_| AppError::Invalid("This form does not say which version of the household it changes: reload the page.".into()))?;
        Ok(VisitRequest {
            kind,
            on: self.on.clone(),
            at: self.at.clone(),
            outcome,
            card_left: self.card_left.is_some(),
            findings,
            notes: self.notes.clone(),
            client_key: self.client_key.clone(),
            household,
            downsizing_interest: self.downsizing_interest.is_some(),
        })
    }
}

#[server(prefix = "/fn", endpoint = "team_visiting")]
pub async fn team_visiting() -> Result<Vec<crate::domain::visits::OfficerVisiting>, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::team_visiting(&*store, &who).await
}

#[server(prefix = "/fn", endpoint = "team_months")]
pub async fn team_months() -> Result<Vec<crate::domain::visits::MonthVisiting>, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::team_months(&*store, &who).await
}

#[server(prefix = "/fn", endpoint = "close_follow_up")]
pub async fn close_follow_up(id: i64, note: String) -> Result<i64, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::follow_up_done(&*store, &who, id, crate::model::FollowUpDone { note }, &meta.ip).await.map(|()| id)
}

#[server(prefix = "/fn", endpoint = "record_visit")]
pub async fn record_visit(reference: String, visit: VisitForm) -> Result<RecordedVisit, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::record_visit(&*store, &who, &reference, visit.request()?, &meta.ip).await
}

#[server(prefix = "/fn", endpoint = "officers_day")]
pub async fn officers_day(on: Option<chrono::NaiveDate>) -> Result<MyDay, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::my_day(&*store, &who, on).await
}

#[server(prefix = "/fn", endpoint = "programme")]
pub async fn programme() -> Result<ProgrammeView, AppError> {
    let (store, who, _) = crate::api::context().await?;
    service::programme(&*store, &who).await
}

/// The planning form as it posts (with JavaScript on or off): `assign` is present when the Team
/// Leader pressed "Assign these visits".
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PlanForm {
    pub start: String,
    pub weeks: String,
    pub per_day: String,
    #[serde(default)]
    pub assign: Option<String>,
}

impl PlanForm {
    pub fn request(&self) -> Result<PlanRequest, AppError> {
        let start = crate::domain::clock::input_date(&self.start, "Give the first day to plan as a date.").map_err(AppError::Invalid)?;
        let weeks = self.weeks.trim().parse().map_err(|_| AppError::Invalid(format!("{:?} is not a number of weeks.", self.weeks.trim())))?;
        let per_day = self.per_day.trim().parse().map_err(|_| AppError::Invalid(format!("{:?} is not a number of visits a day.", self.per_day.trim())))?;
        Ok(PlanRequest { start, weeks, per_day, assign: self.assign.is_some() })
    }
}

#[server(prefix = "/fn", endpoint = "plan_visits")]
pub async fn plan_visits(plan: PlanForm) -> Result<PlanView, AppError> {
    let (store, who, meta) = crate::api::context().await?;
    service::plan_visits(&*store, &who, plan.request()?, &meta.ip).await
}
