//! The storage the services need, as a trait: implemented with sqlx in `server/src/store`,
//! injected as context, so services are tested against real databases through one interface.

use async_trait::async_trait;

use crate::domain::access::RecordScope;
use crate::domain::occupancy::Occupant;
use crate::error::AppError;
use crate::model::*;

/// A tenancy as stored, with what the rules need to decide who sees it.
#[derive(Clone, Debug)]
pub struct TenancyRecord {
    pub id: i64,
    pub scope: RecordScope,
    pub detail: TenancyDetail,
    pub occupants: Vec<Occupant>,
    pub start_date: String,
    pub trial_ends_on: Option<String>,
    pub extension_notice_served_on: Option<String>,
    /// The tenancy's cases with each case's own scope (restricted cases are filtered by the service).
    pub cases: Vec<(CaseRow, RecordScope)>,
}

#[derive(Clone, Debug)]
pub struct PropertyRecord {
    pub id: i64,
    pub scope: RecordScope,
    pub detail: PropertyDetail,
}

/// Everything *My work* reads, asked of the store in one call: the SQL store answers it on
/// one connection, since on SQLite every acquire and release of a pooled connection is a round
/// trip to the connection's thread.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct WorkQuery {
    /// The officer and the absent officers they cover today: whose tenancies, cases and items.
    pub owners: Vec<i64>,
    /// The officer themselves: their covers and their referrals' unread replies.
    pub viewer_id: i64,
    /// Caseload rows wanted; the totals always count the whole caseload.
    pub limit: i64,
    /// Introductory reviews to count, if the role has them.
    pub reviews: Option<ReviewCount>,
    /// The area whose proposals wait for this Team Leader's decision, if any.
    pub proposals_area: Option<i64>,
    /// The officer's covers (given or received) that end, or were ended, on or after this date (ISO).
    pub covers_since: String,
    pub referrals: ReferralFilter,
}

/// Which introductory reviews to count: one officer's (`owner_id`) or an area's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReviewCount {
    pub owner_id: Option<i64>,
    pub area_team_id: Option<i64>,
    /// Trials ending before this date (ISO) are past their anniversary.
    pub today: String,
    /// Trials ending on or before this date (ISO), with no open or approved decision, are counted.
    pub until: String,
}

/// The store's answer to a `WorkQuery`, before the service derives clocks and order.
#[derive(Clone, Debug, Default)]
pub struct WorkLists {
    pub caseload: Caseload,
    /// (past the anniversary, due by `until`) with no decision; (0, 0) when not asked.
    pub reviews_due: (i64, i64),
    pub proposals_waiting: i64,
    /// Open items waiting for one of the owners: their proposals sent back, hand-backs to their patch.
    pub waiting: Vec<ListedItem>,
    pub covers: Vec<CoverView>,
    pub referrals: Vec<ReferralListed>,
}

#[derive(Clone, Debug, Default)]
pub struct Caseload {
    pub tenancies: Vec<TenancyRow>,
    pub tenancies_total: i64,
    pub introductory_total: i64,
    pub arrears_total: i64,
    pub cases: Vec<(CaseRow, RecordScope)>,
}

/// A workflow item in a list, with what the access rule needs: its tenancy's or case's scope
/// (grants for the viewer) and the Community HMO of its patch (whom a hand-back waits on).
#[derive(Clone, Debug)]
pub struct ListedItem {
    pub view: WorkflowView,
    pub scope: RecordScope,
    pub patch_officer_id: Option<i64>,
}

/// One line of the append-only audit log.
#[derive(Clone, Debug, Default)]
pub struct AuditEntry {
    pub user_id: Option<i64>,
    pub username: String,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<i64>,
    /// "allowed" or "denied:<code>".
    pub outcome: String,
    pub reason: String,
    pub detail: String,
    pub ip: String,
}

/// A tenancy as the introductory review sees it.
#[derive(Clone, Debug)]
pub struct ReviewRecord {
    pub tenancy_id: i64,
    pub reference: String,
    pub scope: RecordScope,
    pub tenure: crate::domain::Tenure,
    pub start_date: String,
    pub trial_ends_on: Option<String>,
    pub notice_served_on: Option<String>,
    pub version: i64,
    /// The Community HMO of the property's patch (who takes over when it becomes secure).
    pub patch_officer_id: Option<i64>,
    /// Review items, newest first; the open one (if any) carries its proposer.
    pub items: Vec<WorkflowView>,
    pub open_proposer_id: Option<i64>,
    /// Escalations of this tenancy to Legal or the Community Safety Hub, newest first.
    pub escalations: Vec<WorkflowView>,
}

/// A new or renewed proposal (`reopen`: the sent-back item and its version).
#[derive(Clone, Debug)]
pub struct Proposal {
    pub flow: crate::domain::workflow::Flow,
    pub subject_type: &'static str,
    pub subject_id: i64,
    pub subject_version: i64,
    pub area_team_id: i64,
    pub outcome: String,
    pub reason: String,
    pub detail: String,
    pub proposed_by: i64,
    pub due_on: Option<String>,
    pub reopen: Option<(i64, i64)>,
}

/// What a decision does to its tenancy or case, besides closing the item.
#[derive(Clone, Debug)]
pub enum ReviewEffect {
    MakeSecure {
        new_owner: i64,
        effective_on: String,
    },
    Extend {
        trial_ends_on: String,
        reason: String,
    },
    SeekPossession,
    /// The case moves to a Sustainable Tenancy HMO, who must agree a plan by `plan_due_on`.
    AcceptReferral {
        new_owner: i64,
        plan_due_on: String,
    },
    /// The case moves back to the Community HMO of its patch.
    HandBack {
        new_owner: i64,
    },
}

/// A case as the workflow rules and its page see it.
#[derive(Clone, Debug)]
pub struct CaseRecord {
    pub id: i64,
    pub scope: RecordScope,
    pub version: i64,
    /// The Community HMO of the case's patch (who a hand-back returns to).
    pub patch_officer_id: Option<i64>,
    pub detail: CaseDetail,
}

/// A new action in a case's plan.
#[derive(Clone, Debug)]
pub struct NewPlanAction {
    pub case_id: i64,
    pub description: String,
    pub owner_kind: String,
    pub owner_name: String,
    pub due_on: String,
    pub created_by: i64,
}

/// A new cover period (checked by `domain::cover` first).
#[derive(Clone, Debug)]
pub struct NewCover {
    pub absent_user_id: i64,
    pub cover_user_id: i64,
    pub starts_on: String,
    pub ends_on: String,
    pub reason: String,
    pub created_by: i64,
}

#[derive(Clone, Debug)]
pub struct Decision {
    pub item_id: i64,
    pub item_version: i64,
    pub new_state: crate::domain::workflow::FlowState,
    pub decided_by: i64,
    pub note: String,
    pub effect: Option<ReviewEffect>,
}

/// The store, area by area: each area's services ask only for what they use. Every method that
/// changes a record takes the `AuditEntry` that accounts for it and writes it in the change's
/// own transaction: both are kept, or neither.
/// The area traits, for `use store::traits::*` where a `&dyn Store` is called.
pub mod traits {
    pub use super::{AdminStore, CaseStore, DeskStore, FeedbackStore, KitStore, MapStore, ReferralStore, ReviewStore};
}

pub trait Store: KitStore + DeskStore + ReviewStore + CaseStore + FeedbackStore + ReferralStore + AdminStore + MapStore {}

impl<T: KitStore + DeskStore + ReviewStore + CaseStore + FeedbackStore + ReferralStore + AdminStore + MapStore> Store for T {}

/// What every area uses: the engine, today, the calendar, the audit log, and facts about people and places.
#[async_trait]
pub trait KitStore: Send + Sync + 'static {
    /// Which database is behind the store ("sqlite" or "postgres").
    fn backend(&self) -> &'static str;
    /// Today, as every service judges it: London's date by the wall clock, unless the store was
    /// made for a fixed day (tests).
    fn today(&self) -> chrono::NaiveDate;
    /// The council's one working-day calendar: the England and Wales bank holidays Hearth ships
    /// plus those an administrator added. Every due date and clock is judged by it, as is
    /// `GET /api/v1/calendar/working-days`, so a page and a partner system never disagree.
    async fn calendar(&self) -> Result<std::sync::Arc<crate::domain::clock::WorkingCalendar>, AppError>;
    async fn audit(&self, entry: AuditEntry) -> Result<(), AppError>;
    /// A user's id, role and area, for rules about people named in a request.
    async fn user_facts(&self, user_id: i64) -> Result<Option<crate::domain::cover::CoverParty>, AppError>;
    /// An active user's id by username.
    async fn user_id_by_username(&self, username: &str) -> Result<Option<i64>, AppError>;
    /// Active agencies, by name.
    async fn agencies(&self) -> Result<Vec<AgencyOption>, AppError>;
    async fn patches(&self, area_team_id: Option<i64>) -> Result<Vec<PatchSummary>, AppError>;
}

/// *My work*, search, and the tenancy and property records.
#[async_trait]
pub trait DeskStore: Send + Sync + 'static {
    /// What *My work* lists: the caseload (tenancies and cases owned by any of the owners), the
    /// review and proposal counts, items waiting, covers and referrals, in one call.
    async fn work_lists(&self, query: &WorkQuery) -> Result<WorkLists, AppError>;
    /// The introductory tenancies an area's review count (`WorkQuery::reviews`) counts: trials
    /// ending on or before `until` with no open or approved decision, soonest first.
    async fn reviews_due_list(&self, area_team_id: i64, until: &str, limit: i64) -> Result<Vec<TenancyRow>, AppError>;
    /// Tenancies and properties whose search text holds every term, within an area (None: all).
    async fn search(&self, area_team_id: Option<i64>, terms: &[String], limit: i64) -> Result<Vec<SearchHit>, AppError>;
    async fn tenancy(&self, reference: &str, viewer_id: i64) -> Result<Option<TenancyRecord>, AppError>;
    async fn property(&self, reference: &str) -> Result<Option<PropertyRecord>, AppError>;
}

/// Introductory reviews and the workflow items every transfer between roles moves through.
#[async_trait]
pub trait ReviewStore: Send + Sync + 'static {
    async fn review_record(&self, tenancy_reference: &str) -> Result<Option<ReviewRecord>, AppError>;
    /// Opens (or re-opens) a proposal; a stale `subject_version` or item version is a Conflict.
    async fn propose(&self, proposal: Proposal, audit: AuditEntry) -> Result<i64, AppError>;
    /// Decides an open item and applies its effect; a stale item version is a Conflict.
    async fn decide(&self, decision: Decision, today: &str, audit: AuditEntry) -> Result<(), AppError>;
    async fn record_notice_served(&self, tenancy_id: i64, version: i64, served_on: &str, by: i64, audit: AuditEntry) -> Result<(), AppError>;
    /// Open items (proposed or sent back) for an area team (None: every area), each with its
    /// subject's scope (grants for `viewer_id`).
    async fn open_items(&self, area_team_id: Option<i64>, viewer_id: i64) -> Result<Vec<ListedItem>, AppError>;
    async fn workflow_item(&self, id: i64) -> Result<Option<(WorkflowView, i64, i64, i64)>, AppError>;
    /// Applies approved changes whose effective date has come; returns how many.
    async fn apply_due_changes(&self, today: &str) -> Result<u64, AppError>;
}

/// Cases, their support plans, and cover between officers.
#[async_trait]
pub trait CaseStore: Send + Sync + 'static {
    async fn case_record(&self, reference: &str, viewer_id: i64) -> Result<Option<CaseRecord>, AppError>;
    /// Active housing officers of an area in one role (None: every HMO role and Team Leaders), with their load.
    async fn officers(&self, area_team_id: i64, role: Option<crate::domain::Role>) -> Result<Vec<OfficerOption>, AppError>;
    async fn add_plan_action(&self, action: NewPlanAction, audit: AuditEntry) -> Result<i64, AppError>;
    /// Sets an action's status; a stale version is a Conflict. Returns the action's case id.
    async fn update_plan_action(&self, action_id: i64, version: i64, status: &str, note: &str, by: i64, audit: AuditEntry) -> Result<i64, AppError>;
    /// The reference of the case an action belongs to.
    async fn plan_action_case(&self, action_id: i64) -> Result<Option<String>, AppError>;
    /// Records the plan's agreement and next review (the case's clock); stale case versions conflict.
    async fn set_plan(&self, case_id: i64, version: i64, agreed_on: &str, next_review_on: &str, audit: AuditEntry) -> Result<(), AppError>;
    /// Cases with a Sustainable Tenancy HMO owner in an area, with their plan's state and scope.
    async fn plans(&self, area_team_id: i64, today: &str) -> Result<Vec<(PlanRow, RecordScope)>, AppError>;

    /// Stores a cover period; one that overlaps another for the same officer is a Conflict.
    async fn create_cover(&self, cover: NewCover, audit: AuditEntry) -> Result<i64, AppError>;
    /// Ends a cover period now (if it has not ended already): it stops applying at once.
    async fn end_cover(&self, cover_id: i64, audit: AuditEntry) -> Result<(), AppError>;
    /// Cover periods in an area (or for one user, as absent or cover) current, coming, or ended since `since`.
    async fn covers(&self, area_team_id: Option<i64>, user_id: Option<i64>, since: &str) -> Result<Vec<CoverView>, AppError>;
    async fn cover(&self, cover_id: i64) -> Result<Option<(CoverView, i64)>, AppError>;
}

/// Tenants' and partners' feedback, its links, and the Regulator's satisfaction data.
#[async_trait]
pub trait FeedbackStore: Send + Sync + 'static {
    /// Feedback responses since a date (`YYYY-MM-DD`), for one area or all.
    async fn feedback_facts(
        &self,
        since: &str,
        scope: crate::domain::feedback::ResultsScope,
        audience: crate::domain::feedback::Audience,
    ) -> Result<Vec<crate::domain::feedback::ResponseFacts>, AppError>;
    /// The latest comments since a date within `scope`, narrowed by `filter` (words, area team,
    /// patch, officer).
    async fn feedback_comments(
        &self,
        since: &str,
        scope: crate::domain::feedback::ResultsScope,
        filter: &crate::domain::feedback::CommentFilter,
        limit: i64,
    ) -> Result<Vec<FeedbackComment>, AppError>;
    /// Deletes feedback responses (answers, comments, contact details) submitted before a date
    /// (`YYYY-MM-DD`), the retention period's end; returns how many.
    async fn purge_feedback(&self, before: &str) -> Result<u64, AppError>;
    /// Feedback links made by one user (None: every link).
    async fn feedback_links(&self, created_by: Option<i64>) -> Result<Vec<FeedbackLinkView>, AppError>;
    /// Makes a link with a fresh unguessable token; returns its id.
    async fn create_feedback_link(&self, scope_type: &str, scope_id: i64, label: &str, by: i64, audit: AuditEntry) -> Result<i64, AppError>;
    /// A year's imported TSM peer data, and the years imported (latest first).
    async fn tsm_benchmark(&self, year: &str) -> Result<Vec<crate::domain::tsm::LandlordResults>, AppError>;
    async fn tsm_years(&self) -> Result<Vec<String>, AppError>;
    /// Opens a case from a feedback response within `scope` (area and/or officer): the case is
    /// owned by the officer the response is about (else `by`), in the response's area. A response
    /// outside the scope is NotFound; one already turned into a case is a Conflict. Returns the reference.
    async fn case_from_feedback(&self, c: NewFeedbackCase, audit: AuditEntry) -> Result<String, AppError>;
    /// A visit's officer, the home's area team and a label for its feedback link.
    async fn visit_scope(&self, visit_id: i64) -> Result<Option<(Option<i64>, i64, String)>, AppError>;
}

/// Referrals to partner agencies and their threads.
#[async_trait]
pub trait ReferralStore: Send + Sync + 'static {
    /// One referral with what the rules need (grants for `viewer_id`); None if there is none.
    async fn referral_record(&self, reference: &str, viewer_id: i64) -> Result<Option<ReferralRecord>, AppError>;
    /// Referrals matching the filter, newest first, each with its scope (grants for `viewer_id`).
    async fn referral_list(&self, filter: &ReferralFilter, viewer_id: i64) -> Result<Vec<ReferralListed>, AppError>;
    /// Saves a new referral (draft or sent); returns its reference.
    async fn create_referral(&self, r: NewReferral, audit: AuditEntry) -> Result<String, AppError>;
    /// Moves a referral to a new state; a stale version is a Conflict. Posts the move to the thread.
    async fn change_referral(&self, c: ReferralChange, audit: AuditEntry) -> Result<(), AppError>;
    async fn post_referral_message(
        &self,
        referral_id: i64,
        author_id: i64,
        side: crate::domain::referral::Side,
        body: &str,
        audit: AuditEntry,
    ) -> Result<(), AppError>;
    /// Names a user on a referral (restricted referrals: need-to-know access).
    async fn grant_referral(&self, referral_id: i64, user_id: i64, by: i64, audit: AuditEntry) -> Result<(), AppError>;
}

/// Administration: agencies and their users, integration tokens, bank holidays, access reports.
#[async_trait]
pub trait AdminStore: Send + Sync + 'static {
    /// Adds (or renames) a bank holiday; the calendar takes it at once.
    async fn add_bank_holiday(&self, on: chrono::NaiveDate, name: &str, audit: AuditEntry) -> Result<(), AppError>;

    /// Every agency with its users.
    async fn agencies_admin(&self) -> Result<Vec<AgencyAdmin>, AppError>;
    /// Registers an agency; a name already registered is a Conflict. Returns its id.
    async fn create_agency(&self, a: NewAgency, audit: AuditEntry) -> Result<i64, AppError>;
    /// Adds a partner user to an agency, hashing the password; a taken username is a Conflict and an
    /// unknown agency NotFound. Returns the user's id.
    async fn create_agency_user(&self, u: NewAgencyUser, audit: AuditEntry) -> Result<i64, AppError>;
    /// Integration tokens of agency users, newest first.
    async fn api_tokens(&self) -> Result<Vec<TokenView>, AppError>;
    /// Issues a token for `user_id` lasting `days`; the secret is returned once.
    async fn issue_token(&self, user_id: i64, name: &str, days: i64, audit: AuditEntry) -> Result<IssuedToken, AppError>;
    /// Revokes a token now; false if there is no such unrevoked token.
    async fn revoke_token(&self, id: i64, audit: AuditEntry) -> Result<bool, AppError>;
    /// The audit trail of one record (`referral`, `tenancy` or `case`) by reference: its id and rows.
    async fn audit_trail(&self, subject_type: &str, reference: &str) -> Result<Option<(i64, Vec<AuditRow>)>, AppError>;
}

/// The patch map: homes, patches, workload weights and patch changes.
#[async_trait]
pub trait MapStore: Send + Sync + 'static {
    /// An area's homes (with the facts behind the map's flags, as of `today`), patches and outlines.
    async fn map_source(&self, area_team_id: i64, today: &str) -> Result<MapSource, AppError>;
    /// The configured workload weights (defaults when unset).
    async fn workload_weights(&self) -> Result<crate::domain::mapdata::WorkloadWeights, AppError>;
    async fn set_workload_weights(&self, w: &crate::domain::mapdata::WorkloadWeights, audit: AuditEntry) -> Result<(), AppError>;
    /// The card of one home, with the property's area team.
    async fn home_card(&self, property_id: i64) -> Result<Option<(crate::domain::mapdata::HomeCard, i64)>, AppError>;
    /// Addresses of homes of an area, by id (the table view's visible page).
    async fn home_rows(&self, area_team_id: i64, ids: &[i64]) -> Result<Vec<crate::domain::mapdata::HomeRow>, AppError>;
    /// Saves a patch change: versions checked, homes, tenancies and their open cases moved, history written.
    async fn apply_patch_change(
        &self,
        c: &crate::domain::mapdata::PatchChangeRequest,
        by: i64,
        audit: AuditEntry,
    ) -> Result<crate::domain::mapdata::SavedPatchChange, AppError>;
    /// Patch assignments changed in the area after change `since`.
    async fn patch_changes_since(&self, area_team_id: i64, since: i64, today: &str) -> Result<crate::domain::mapdata::PatchChangesSince, AppError>;
}

#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct NewAgency {
    pub name: String,
    /// One of the agency kinds (see AgencyAdmin.kind).
    pub kind: String,
    #[serde(default)]
    pub team: String,
    #[serde(default)]
    pub contact_email: String,
    #[serde(default)]
    pub contact_phone: String,
}

#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct NewAgencyUser {
    #[serde(default)]
    pub agency_id: i64,
    pub username: String,
    pub display_name: String,
    #[serde(default)]
    pub email: String,
    /// At least 12 characters.
    pub password: String,
}

/// A referral as stored, with its scope for the access rule. The service fills the viewer's fields
/// (moves, clock, what they may do) and blanks the council-only ones for agency users.
#[derive(Clone, Debug)]
pub struct ReferralRecord {
    pub id: i64,
    pub scope: crate::domain::referral::ReferralScope,
    pub detail: ReferralDetail,
}

/// Which referrals to list. Every filter that is set must match.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReferralFilter {
    pub agency_id: Option<i64>,
    pub area_team_id: Option<i64>,
    pub created_by: Option<Vec<i64>>,
    pub tenancy_id: Option<i64>,
    pub status: Option<crate::domain::ReferralStatus>,
    /// Sent, accepted or in progress only (with `ended_since`, also those declined or closed
    /// on or after that date).
    pub open_only: bool,
    /// With `open_only`: a date (YYYY-MM-DD) from which declined and closed referrals are listed too.
    pub ended_since: Option<String>,
    /// Leave drafts out (agency users never see them).
    pub exclude_drafts: bool,
    pub limit: i64,
}

/// One listed referral: the row as the council sees it, the shared snapshot (for agency users)
/// and the scope.
#[derive(Clone, Debug)]
pub struct ReferralListed {
    pub row: ReferralRow,
    pub shared: crate::domain::referral::SharedFacts,
    pub last_side: Option<crate::domain::referral::Side>,
    pub scope: crate::domain::referral::ReferralScope,
}

#[derive(Clone, Debug)]
pub struct NewReferral {
    pub tenancy_id: i64,
    pub case_id: Option<i64>,
    pub agency_id: i64,
    pub category: crate::domain::ReferralCategory,
    pub urgency: crate::domain::Urgency,
    pub reason: String,
    pub fields: Vec<crate::domain::referral::SharedField>,
    pub lawful_basis: crate::domain::LawfulBasis,
    pub consent_given_on: Option<String>,
    pub consent_how: Option<String>,
    pub basis_detail: String,
    pub contact_name: String,
    pub contact_detail: String,
    pub restricted: bool,
    pub created_by: i64,
    pub area_team_id: i64,
    /// Sent at once: (sent_at, due_at, shared snapshot as JSON).
    pub sent: Option<(String, String, String)>,
}

/// A move of a referral's state, with what it records.
#[derive(Clone, Debug)]
pub struct ReferralChange {
    pub id: i64,
    pub version: i64,
    pub from: crate::domain::ReferralStatus,
    pub to: crate::domain::ReferralStatus,
    pub by: i64,
    pub side: crate::domain::referral::Side,
    /// Decline reason, outcome or withdrawal reason.
    pub text: String,
    /// Sending: (sent_at, due_at, shared snapshot as JSON).
    pub sent: Option<(String, String, String)>,
    /// What to write on the thread about the move.
    pub note: String,
}

/// A case opened from a tenant's comment.
#[derive(Clone, Debug)]
pub struct NewFeedbackCase {
    pub response_id: i64,
    pub scope: crate::domain::feedback::ResultsScope,
    pub kind: crate::domain::CaseKind,
    /// Working days to act (the case's clock).
    pub due_on: String,
    pub by: i64,
    pub by_role: crate::domain::Role,
}

/// One home as the patch map needs it, before packing.
#[derive(Clone, Debug)]
pub struct MapHomeRow {
    pub id: i64,
    pub lat: f64,
    pub lon: f64,
    pub patch_id: i64,
    pub line1: String,
    pub estate_id: Option<i64>,
    pub facts: crate::domain::mapdata::HomeFacts,
}

/// An area's homes, patches and outlines, as stored.
#[derive(Clone, Debug)]
pub struct MapSource {
    pub area: String,
    /// The latest patch change of the area (0: none yet).
    pub change: i64,
    /// In property id order.
    pub homes: Vec<MapHomeRow>,
    pub patches: Vec<crate::domain::mapdata::MapPatch>,
    /// (ward name, GeoJSON geometry)
    pub wards: Vec<(String, String)>,
    /// (estate id, name)
    pub estates: Vec<(i64, String)>,
}
