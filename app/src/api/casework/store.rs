//! Cases, their plans and the Team Leader's cover periods as stored.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::api::kit::store::AuditEntry;
use crate::domain::access::RecordScope;
use crate::domain::sustain::ActionStatus;
use crate::error::AppError;
use crate::model::*;

/// A case as the workflow rules and its page see it.
#[derive(Clone, Debug)]
pub struct CaseRecord {
    pub id: i64,
    pub scope: RecordScope,
    pub version: i64,
    /// The Community HMO of the case's patch (who a hand-back returns to).
    pub patch_officer_id: Option<i64>,
    pub detail: CaseDetail,
    /// A complaint: the day the resident complained, and its steps in order.
    pub complaint: Option<(NaiveDate, Vec<crate::domain::complaint::ComplaintStep>)>,
}

/// A new action in a case's plan.
#[derive(Clone, Debug)]
pub struct NewPlanAction {
    pub case_id: i64,
    pub description: String,
    pub owner_kind: String,
    pub owner_name: String,
    pub due_on: NaiveDate,
    pub created_by: i64,
}

/// A new cover period (checked by `domain::cover` first).
#[derive(Clone, Debug)]
pub struct NewCover {
    pub absent_user_id: i64,
    pub cover_user_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    pub reason: String,
    pub created_by: i64,
}

/// Cases, their support plans, and cover between officers.
#[async_trait]
pub trait CaseStore: Send + Sync + 'static {
    async fn case_record(&self, reference: &str, viewer_id: i64) -> Result<Option<CaseRecord>, AppError>;
    /// Active housing officers of an area in one role (None: every HMO role and Team Leaders), with their load.
    async fn officers(&self, area_team_id: i64, role: Option<crate::domain::Role>) -> Result<Vec<OfficerOption>, AppError>;
    async fn add_plan_action(&self, action: NewPlanAction, audit: AuditEntry) -> Result<i64, AppError>;
    /// Sets an action's status; a stale version is a Conflict. Returns the action's case id.
    async fn update_plan_action(&self, action_id: i64, version: i64, status: ActionStatus, note: &str, by: i64, audit: AuditEntry) -> Result<i64, AppError>;
    /// The reference of the case an action belongs to.
    async fn plan_action_case(&self, action_id: i64) -> Result<Option<String>, AppError>;
    /// Records the plan's agreement and next review (the case's clock); stale case versions conflict.
    /// Records a complaint's step, if the case is still at `version`, and sets the case's clock to
    /// the complaint's next deadline (none once answered).
    async fn record_complaint_step(
        &self,
        case_id: i64,
        version: i64,
        step: &crate::domain::complaint::ComplaintStep,
        due_on: Option<NaiveDate>,
        audit: AuditEntry,
    ) -> Result<(), AppError>;
    /// Every complaint case (or an area's) with its received day and steps: what CH01 and CH02 count.
    async fn complaints(&self, area_team_id: Option<i64>) -> Result<Vec<(NaiveDate, Vec<crate::domain::complaint::ComplaintStep>)>, AppError>;
    /// The homes the complaint measures are per: properties let on rent (leaseholders excluded, as for every TSM).
    async fn rented_homes(&self, area_team_id: Option<i64>) -> Result<u64, AppError>;
    async fn set_plan(&self, case_id: i64, version: i64, agreed_on: NaiveDate, next_review_on: NaiveDate, audit: AuditEntry) -> Result<(), AppError>;
    /// Cases with a Sustainable Tenancy HMO owner in an area, with their plan's state and scope.
    async fn plans(&self, area_team_id: i64, today: NaiveDate) -> Result<Vec<(PlanRow, RecordScope)>, AppError>;

    /// Stores a cover period; one that overlaps another for the same officer is a Conflict.
    async fn create_cover(&self, cover: NewCover, audit: AuditEntry) -> Result<i64, AppError>;
    /// Ends a cover period now (if it has not ended already): it stops applying at once.
    async fn end_cover(&self, cover_id: i64, audit: AuditEntry) -> Result<(), AppError>;
    /// Cover periods in an area (or for one user, as absent or cover) current, coming, or ended since `since`.
    async fn covers(&self, area_team_id: Option<i64>, user_id: Option<i64>, since: NaiveDate) -> Result<Vec<CoverView>, AppError>;
    async fn cover(&self, cover_id: i64) -> Result<Option<(CoverView, i64)>, AppError>;
}
