//! What every area's store uses: the engine, today, the calendar, the audit log, facts about
//! people and places, tenancies as stored, and workflow items (proposals and decisions on
//! tenancies and cases, whichever area makes them).

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::domain::access::RecordScope;
use crate::domain::occupancy::Person;
use crate::error::AppError;
use crate::model::*;

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

/// Who took a step on a record, when, and what they said.
#[derive(Clone, Copy, Debug)]
pub struct StepBy<'a> {
    pub by: i64,
    pub note: &'a str,
    pub at: chrono::DateTime<chrono::Utc>,
}

/// A tenancy as stored, with what the rules need to decide who sees it.
#[derive(Clone, Debug)]
pub struct TenancyRecord {
    pub id: i64,
    pub scope: RecordScope,
    pub detail: TenancyDetail,
    /// The household as the size criteria see them.
    pub occupants: Vec<Person>,
    /// Each occupant's name, in the same order.
    pub occupant_names: Vec<String>,
    /// The latest visits at the door (completed or no access) with when they happened, newest first.
    pub door: Vec<(crate::domain::VisitOutcome, chrono::DateTime<chrono::Utc>)>,
    pub start_date: NaiveDate,
    pub trial_ends_on: Option<NaiveDate>,
    pub extension_notice_served_on: Option<NaiveDate>,
    /// The tenancy's cases with each case's own scope (restricted cases are filtered by the service).
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
    pub due_on: Option<NaiveDate>,
    pub reopen: Option<(i64, i64)>,
}

/// What a decision does to its tenancy or case, besides closing the item.
#[derive(Clone, Debug)]
pub enum ReviewEffect {
    MakeSecure {
        new_owner: i64,
        effective_on: NaiveDate,
    },
    Extend {
        trial_ends_on: NaiveDate,
        reason: String,
    },
    SeekPossession,
    /// The case moves to a Sustainable Tenancy HMO, who must agree a plan by `plan_due_on`.
    AcceptReferral {
        new_owner: i64,
        plan_due_on: NaiveDate,
    },
    /// The case moves back to the Community HMO of its patch.
    HandBack {
        new_owner: i64,
    },
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
    /// The council's timescales for introductory tenancies, as set at start.
    fn timescales(&self) -> crate::domain::timescales::Timescales;
    async fn audit(&self, entry: AuditEntry) -> Result<(), AppError>;
    /// A user's id, role and area, for rules about people named in a request.
    async fn user_facts(&self, user_id: i64) -> Result<Option<crate::domain::cover::CoverParty>, AppError>;
    /// An active user's id by username.
    async fn user_id_by_username(&self, username: &str) -> Result<Option<i64>, AppError>;
    /// Active agencies, by name.
    async fn agencies(&self) -> Result<Vec<AgencyOption>, AppError>;
    async fn patches(&self, area_team_id: Option<i64>) -> Result<Vec<PatchSummary>, AppError>;
    async fn tenancy(&self, reference: &str, viewer_id: i64) -> Result<Option<TenancyRecord>, AppError>;
}

/// Workflow items: proposals on tenancies and cases, decisions, and the changes that fall due.
#[async_trait]
pub trait WorkflowStore: Send + Sync + 'static {
    /// Opens (or re-opens) a proposal; a stale `subject_version` or item version is a Conflict.
    async fn propose(&self, proposal: Proposal, audit: AuditEntry) -> Result<i64, AppError>;
    /// Decides an open item and applies its effect; a stale item version is a Conflict.
    async fn decide(&self, decision: Decision, today: NaiveDate, audit: AuditEntry) -> Result<(), AppError>;
    /// Open items (proposed or sent back) for an area team (None: every area), each with its
    /// subject's scope (grants for `viewer_id`).
    async fn open_items(&self, area_team_id: Option<i64>, viewer_id: i64) -> Result<Vec<ListedItem>, AppError>;
    async fn workflow_item(&self, id: i64) -> Result<Option<(WorkflowView, i64, i64, i64)>, AppError>;
    /// Applies approved changes whose effective date has come; returns how many.
    async fn apply_due_changes(&self, today: NaiveDate) -> Result<u64, AppError>;
}
