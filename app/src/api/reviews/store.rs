//! Introductory tenancy reviews as stored.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::api::kit::store::AuditEntry;
use crate::domain::access::RecordScope;
use crate::error::AppError;
use crate::model::*;

/// A tenancy as the introductory review sees it.
#[derive(Clone, Debug)]
pub struct ReviewRecord {
    pub tenancy_id: i64,
    pub reference: String,
    pub scope: RecordScope,
    pub tenure: crate::domain::Tenure,
    pub start_date: NaiveDate,
    pub trial_ends_on: Option<NaiveDate>,
    pub notice_served_on: Option<NaiveDate>,
    /// An earlier tenancy counted towards the trial period (s.125(3)), if one was recorded.
    pub prior: Option<crate::domain::introductory::PriorTenancy>,
    pub version: i64,
    /// The Community HMO of the property's patch (who takes over when it becomes secure).
    pub patch_officer_id: Option<i64>,
    /// Review items, newest first; the open one (if any) carries its proposer.
    pub items: Vec<WorkflowView>,
    pub open_proposer_id: Option<i64>,
    /// Escalations of this tenancy to Legal or the Community Safety Hub, newest first.
    pub escalations: Vec<WorkflowView>,
    /// The legal steps after the review's decision (ss.125B, 128–130), in the order recorded.
    pub steps: Vec<crate::domain::introductory::steps::Step>,
}

/// Introductory reviews and the workflow items every transfer between roles moves through.
#[async_trait]
pub trait ReviewStore: Send + Sync + 'static {
    async fn review_record(&self, tenancy_reference: &str) -> Result<Option<ReviewRecord>, AppError>;
    async fn record_notice_served(&self, tenancy_id: i64, version: i64, served_on: NaiveDate, by: i64, audit: AuditEntry) -> Result<(), AppError>;
    /// Records the earlier tenancy that counts towards an introductory tenancy's trial and moves
    /// its end to `trial_ends_on`, if the tenancy is still at `version` and introductory.
    async fn record_prior(
        &self,
        tenancy_id: i64,
        version: i64,
        prior: &crate::domain::introductory::PriorTenancy,
        trial_ends_on: NaiveDate,
        audit: AuditEntry,
    ) -> Result<(), AppError>;
    /// Records a legal step (ss.125B, 128–130) if the tenancy is still at `version`. With
    /// `revert_extension`, an extension the tenant's review overturned is undone: the tenancy is
    /// introductory again, its trial ending on that day.
    async fn record_step(
        &self,
        tenancy_id: i64,
        version: i64,
        step: &crate::domain::introductory::steps::Step,
        by: i64,
        revert_extension: Option<NaiveDate>,
        audit: AuditEntry,
    ) -> Result<(), AppError>;
    /// The introductory tenancies an area's review count (`WorkQuery::reviews`) counts: trials
    /// ending on or before `until` with no open or approved decision, soonest first.
    async fn reviews_due_list(&self, area_team_id: i64, until: NaiveDate, limit: i64) -> Result<Vec<TenancyRow>, AppError>;
}
