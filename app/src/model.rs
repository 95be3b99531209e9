//! Types that cross the wire between server and browser: defined once, used by both.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::clock::ClockStatus;
use crate::domain::{CaseKind, Pence, Role, Tenure};

#[cfg(feature = "ssr")]
use utoipa::ToSchema;

/// How many tenancies *My work* lists by default: the most urgent.
pub const CASELOAD_PAGE: i64 = 50;
/// The most *My work* lists when the officer asks for their whole caseload.
pub const CASELOAD_ALL: i64 = 2_000;

/// The signed-in user, as the page header shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SessionUser {
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub area_team: Option<String>,
    pub agency: Option<String>,
}

/// A tenancy in a list (caseload, search).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TenancyRow {
    pub reference: String,
    pub property_reference: String,
    pub address: String,
    pub postcode: String,
    pub tenure: Tenure,
    pub tenants: String,
    #[cfg_attr(feature = "ssr", schema(value_type = i64))]
    pub balance: Pence,
    pub start_date: NaiveDate,
    /// End of the introductory trial, for introductory tenancies.
    pub trial_ends_on: Option<NaiveDate>,
    pub clock: Option<ClockStatus>,
    /// While an introductory tenancy can still be extended: the last day its notice of extension
    /// may reach the tenant (`domain::introductory::open_notice_deadline`), with its own clock.
    #[serde(default)]
    pub notice_by: Option<NaiveDate>,
    #[serde(default)]
    pub notice_clock: Option<ClockStatus>,
}

/// A case in a list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CaseRow {
    pub reference: String,
    pub kind: CaseKind,
    pub title: String,
    pub status: String,
    pub tenancy_reference: Option<String>,
    pub address: String,
    pub opened_at: String,
    pub due_at: Option<DateTime<Utc>>,
    pub clock: Option<ClockStatus>,
    pub restricted: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Count {
    pub label: String,
    pub count: i64,
    /// Which tile it is (`domain::desk::Tile`): a stable key for clients and tests.
    #[serde(default)]
    pub tile: Option<crate::domain::desk::Tile>,
}

/// The officer's caseload: what they own, with counts by kind.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MyWork {
    pub user: SessionUser,
    /// The loudest items first: introductory reviews past or near their anniversary, decisions waiting.
    pub alarms: Vec<Alarm>,
    pub counts: Vec<Count>,
    pub tenancies: Vec<TenancyRow>,
    pub tenancies_total: i64,
    pub cases: Vec<CaseRow>,
    /// Proposals waiting for this officer: hand-backs to acknowledge, proposals sent back.
    pub waiting: Vec<WorkflowView>,
    /// Cover periods this officer gives or receives (current, coming, or ended in the last fortnight).
    pub covers: Vec<CoverView>,
    /// Referrals this officer made with a reply from the agency waiting, or the agency's answer overdue.
    #[serde(default)]
    pub referrals: Vec<ReferralRow>,
    /// Follow-ups from visits to the officer's homes, still open, most urgent first.
    #[serde(default)]
    pub follow_ups: Vec<FollowUpRow>,
    /// Damp and mould hazards open on the officer's homes, the most urgent clock first.
    #[serde(default)]
    pub hazards: Vec<HazardView>,
    /// What this role's desk is: where it lands and which parts it shows (`domain::desk`).
    pub desk: DeskView,
}

/// A role's desk as the page needs it (`domain::desk::desk`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct DeskView {
    /// Where the role works from: anything but `my_work` means this page is not theirs.
    pub landing: crate::domain::desk::Landing,
    /// Its path.
    pub landing_path: String,
    /// The parts of the desk, in order.
    pub sections: Vec<crate::domain::desk::Section>,
    /// The team queue's heading ("Waiting for Legal"), when the desk has one.
    pub queue_heading: Option<String>,
}

/// Something that must not be missed, with where to act on it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Alarm {
    pub level: ClockStatus,
    pub text: String,
    pub href: String,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum HitKind {
    Tenancy,
    Property,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SearchHit {
    pub kind: HitKind,
    pub reference: String,
    pub title: String,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SearchResults {
    pub query: String,
    pub hits: Vec<SearchHit>,
    /// More matched than were returned.
    pub truncated: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct Member {
    /// The member's id (a visit's household change names who left by it).
    #[serde(default)]
    pub id: i64,
    pub name: String,
    pub relationship: String,
    pub date_of_birth: String,
    pub age: u32,
    pub is_tenant: bool,
    pub phone: String,
    pub email: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AlertView {
    pub kind: String,
    pub description: String,
    pub since: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct OwnerView {
    pub name: String,
    pub role: crate::domain::Role,
}

/// One change of owner, kept for ever.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TransferView {
    pub at: DateTime<Utc>,
    pub kind: String,
    pub from: Option<String>,
    pub to: String,
    pub reason: String,
    pub by: Option<String>,
    pub approved_by: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct KeyDate {
    pub label: String,
    pub date: NaiveDate,
    pub clock: Option<ClockStatus>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct RentView {
    #[cfg_attr(feature = "ssr", schema(value_type = i64))]
    pub balance: Pence,
    #[cfg_attr(feature = "ssr", schema(value_type = i64))]
    pub weekly_rent: Pence,
    pub universal_credit: bool,
    pub recent: Vec<RentLine>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct RentLine {
    pub posted_on: NaiveDate,
    pub kind: String,
    #[cfg_attr(feature = "ssr", schema(value_type = i64))]
    pub amount: Pence,
    pub description: String,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct VisitView {
    #[serde(default)]
    pub id: i64,
    #[serde(default)]
    pub officer_id: Option<i64>,
    /// The viewer may make a feedback link for this visit (its officer, or their Team Leader).
    #[serde(default)]
    pub can_link: bool,
    pub date: NaiveDate,
    pub visit_type: crate::domain::VisitType,
    pub outcome: crate::domain::VisitOutcome,
    pub officer: Option<String>,
    pub findings: Vec<String>,
    /// The follow-ups its findings started that are still open, with their clocks.
    #[serde(default)]
    pub follow_ups: Vec<FollowUpView>,
    /// Photos taken at the visit (`GET /api/v1/photos/{id}`), with the finding each shows.
    #[serde(default)]
    pub photos: Vec<(i64, Option<crate::domain::FindingKind>)>,
    /// The viewer may add photos to this visit.
    #[serde(default)]
    pub can_add_photo: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TenancyDetail {
    pub reference: String,
    pub tenure: Tenure,
    pub status: crate::domain::TenancyStatus,
    pub version: i64,
    pub property_reference: String,
    pub address: String,
    pub postcode: String,
    pub patch: String,
    pub area_team: String,
    pub bedrooms: i64,
    pub occupation: String,
    /// The size criteria applied to the household as recorded (None: the record cannot be read by
    /// them, and `occupation` says why).
    pub size_criteria: Option<SizeCriteriaView>,
    /// Where the home stands on the no-access ladder, if visits since the tenant was last seen went unanswered.
    #[serde(default)]
    pub no_access: Option<NoAccessView>,
    /// The doorstep form's starting values when the viewer may record a visit here (None: they may not).
    #[serde(default)]
    pub visit_form: Option<VisitFormStart>,
    pub key_dates: Vec<KeyDate>,
    pub members: Vec<Member>,
    /// Who has left the household, latest first ("Name (relationship): joined …, left …").
    #[serde(default)]
    pub former_members: Vec<String>,
    pub rent: Option<RentView>,
    pub alerts: Vec<AlertView>,
    pub owner: Option<OwnerView>,
    pub history: Vec<TransferView>,
    pub cases: Vec<CaseRow>,
    pub visits: Vec<VisitView>,
    /// Downsizing and investigations, open first.
    #[serde(default)]
    pub pipeline: Vec<PipelineEntryView>,
    /// What the viewer may start here (kinds with nothing open; empty if they may not).
    #[serde(default)]
    pub pipeline_startable: Vec<crate::domain::pipeline::PipelineKind>,
    /// Damp and mould hazards under Awaab's Law, open first, with their clocks and steps.
    #[serde(default)]
    pub hazards: Vec<HazardView>,
    /// Whether the viewer may report a hazard here (none is open and they may record visits).
    #[serde(default)]
    pub may_report_hazard: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PastTenancy {
    pub reference: String,
    pub tenure: String,
    pub tenants: String,
    pub start_date: NaiveDate,
    pub end_date: Option<NaiveDate>,
    pub status: crate::domain::TenancyStatus,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PropertyDetail {
    pub reference: String,
    pub address: String,
    pub postcode: String,
    pub property_type: String,
    pub bedrooms: i64,
    pub block: Option<String>,
    pub storeys: Option<i64>,
    pub floor: Option<i64>,
    pub estate: Option<String>,
    pub ward: String,
    pub area_team: String,
    pub patch: String,
    pub patch_officer: Option<String>,
    pub independent_living: bool,
    pub latitude: f64,
    pub longitude: f64,
    pub tenancies: Vec<PastTenancy>,
}

/// A patch and its workload, for the API.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PatchSummary {
    pub id: i64,
    pub name: String,
    pub area_team: String,
    pub officer: Option<String>,
    pub homes: i64,
    pub introductory: i64,
    pub arrears_over_threshold: i64,
    pub challenging: bool,
}

/// A proposal or decision moving a tenancy or case between roles.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct WorkflowView {
    pub id: i64,
    pub flow: crate::domain::workflow::Flow,
    /// "tenancy" or "case": where `subject_reference` leads.
    pub subject_type: String,
    pub state: crate::domain::workflow::FlowState,
    pub outcome: String,
    pub outcome_label: String,
    pub reason: String,
    /// Flow-specific detail (an extension's reason code).
    pub detail: String,
    pub subject_reference: String,
    pub address: String,
    pub proposed_by: String,
    /// Server-side only: who proposed it (for the "withdraw" rule).
    #[serde(skip)]
    pub proposer_id: i64,
    pub proposed_at: DateTime<Utc>,
    pub decided_by: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub decision_note: String,
    pub effective_on: Option<NaiveDate>,
    pub due_on: Option<String>,
    pub clock: Option<ClockStatus>,
    pub version: i64,
    /// The moves the viewer may make on this item now.
    pub actions: Vec<crate::domain::workflow::Move>,
    /// Need-to-know: listed by reference only (`access::RESTRICTED_ABOUT` as its address, no
    /// reasons or notes); the item's tenancy or case shows the rest to those who may open it.
    pub restricted: bool,
}

/// The introductory review as the tenancy page shows it, with the moves the viewer may make.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ReviewPanel {
    pub tenancy_reference: String,
    pub tenancy_version: i64,
    pub tenure: Tenure,
    pub trial_ends_on: Option<NaiveDate>,
    /// The review clock: the decision is due by the end of the trial period.
    pub trial_clock: Option<ClockStatus>,
    /// The last day a notice of extension may reach the tenant (s.125A(2)), from the first anniversary.
    pub notice_last_day: Option<NaiveDate>,
    /// The notice deadline's clock while it still matters (`domain::introductory::open_notice_deadline`).
    pub notice_clock: Option<ClockStatus>,
    /// The viewer may record the notice of extension now (an extension proposed or approved, none recorded).
    pub can_record_notice: bool,
    /// An earlier tenancy counted towards the trial period (s.125(3)), and the days it counts.
    pub prior: Option<crate::domain::introductory::PriorTenancy>,
    pub prior_counted_days: Option<u64>,
    /// The viewer may record an earlier tenancy now (introductory, none recorded, no review open).
    pub can_record_prior: bool,
    pub notice_served_on: Option<NaiveDate>,
    pub history: Vec<WorkflowView>,
    pub open: Option<WorkflowView>,
    pub moves: Vec<crate::domain::workflow::Move>,
    /// Escalations to Legal or the Community Safety Hub (each with the viewer's actions), newest first.
    pub escalations: Vec<WorkflowView>,
    /// The viewer may escalate this tenancy now.
    pub can_escalate: bool,
    /// The outcomes that may be proposed now (see `domain::workflow::allowed_outcomes`).
    pub outcomes: Vec<crate::domain::workflow::ReviewOutcome>,
    /// The legal steps after the decision (Housing Act 1996 ss.125B, 128–130), in order.
    pub steps: Vec<crate::domain::introductory::steps::Step>,
    /// The steps the viewer may record next (`domain::introductory::steps::Ladder::next`).
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub next_steps: Vec<crate::domain::introductory::steps::StepKind>,
    /// The clocks the steps start, soonest first.
    pub step_deadlines: Vec<StepDeadline>,
    /// Possession proceedings have begun and not ended: the tenancy stays introductory (s.130).
    pub proceedings_running: bool,
}

/// A statutory deadline on the legal ladder and its clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct StepDeadline {
    pub label: String,
    pub due: NaiveDate,
    pub clock: ClockStatus,
}

impl WorkflowView {
    /// The page of the tenancy or case the item moves.
    pub fn subject_href(&self) -> String {
        if self.subject_type == "case" { format!("/cases/{}", self.subject_reference) } else { format!("/tenancies/{}", self.subject_reference) }
    }

    /// What is waiting, as the person it waits for reads it, with the note under it.
    pub fn waiting_summary(&self) -> (String, String) {
        if self.state == crate::domain::workflow::FlowState::SentBack {
            (format!("Sent back: {}", self.outcome_label), self.decision_note.clone())
        } else {
            (self.outcome_label.clone(), self.reason.clone())
        }
    }

    /// Who the waiting item came from: whoever sent it back, or whoever proposed it.
    pub fn waiting_from(&self) -> String {
        self.decided_by.clone().filter(|_| self.state == crate::domain::workflow::FlowState::SentBack).unwrap_or_else(|| self.proposed_by.clone())
    }
}

impl CoverView {
    /// The cover period as one of its two officers reads it on *My work*; nothing for a cancelled one.
    pub fn notice_for(&self, viewer: &str) -> Option<String> {
        use crate::domain::cover::CoverState;
        let plural = if self.actions_taken == 1 { "" } else { "s" };
        let ended = self.ended_on.unwrap_or(self.ends_on);
        let me_absent = self.absent == viewer;
        Some(match (me_absent, self.state) {
            (_, CoverState::Cancelled) => return None,
            (false, CoverState::Active) => {
                format!("You are covering for {} until {} ({}): their tenancies and cases are listed here with yours.", self.absent, self.ends_on, self.reason)
            }
            (false, CoverState::Upcoming) => format!("You will cover for {} from {} to {} ({}).", self.absent, self.starts_on, self.ends_on, self.reason),
            (false, CoverState::Ended) => {
                format!("Your cover for {} ended on {ended}: {} proposal{plural} or decision{plural} made in cover.", self.absent, self.actions_taken)
            }
            (true, CoverState::Active) => format!("{} is covering your work until {} ({}).", self.cover, self.ends_on, self.reason),
            (true, CoverState::Upcoming) => format!("{} will cover your work from {} to {} ({}).", self.cover, self.starts_on, self.ends_on, self.reason),
            (true, CoverState::Ended) => format!(
                "{} covered your work from {} to {ended}: {} proposal{plural} or decision{plural} made on your tenancies and cases. Your work is back with you.",
                self.cover, self.starts_on, self.actions_taken
            ),
        })
    }
}

/// The (UTC) day of an instant, as the pages print it: `YYYY-MM-DD`.
pub fn day_of(at: DateTime<Utc>) -> String {
    at.date_naive().to_string()
}

/// The first ten characters of a stored timestamp: its date.
pub fn date_part(s: &str) -> String {
    s.chars().take(10).collect()
}

/// One action of a case's plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PlanActionView {
    pub id: i64,
    pub description: String,
    pub owner_kind: crate::domain::sustain::ActionOwner,
    pub owner_label: String,
    pub due_on: NaiveDate,
    pub status: crate::domain::sustain::ActionStatus,
    pub note: String,
    pub clock: Option<ClockStatus>,
    pub version: i64,
}

/// A housing officer a Team Leader can choose, with their open workload.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct OfficerOption {
    pub id: i64,
    pub name: String,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub role: crate::domain::Role,
    pub open_cases: i64,
    pub tenancies: i64,
}

/// A case as its page shows it: the case, its plan, its moves between roles and its history.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CaseDetail {
    pub reference: String,
    pub kind: CaseKind,
    pub title: String,
    pub summary: String,
    pub status: crate::domain::CaseStatus,
    pub restricted: bool,
    pub tenancy_reference: Option<String>,
    pub address: String,
    pub area_team: String,
    pub patch: Option<String>,
    pub owner: Option<OwnerView>,
    pub opened_at: DateTime<Utc>,
    pub due_at: Option<DateTime<Utc>>,
    pub clock: Option<ClockStatus>,
    pub version: i64,
    pub plan_agreed_on: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
    pub actions: Vec<PlanActionView>,
    /// Referrals, hand-backs and escalations, newest first, each with the moves the viewer may make.
    pub workflow: Vec<WorkflowView>,
    pub history: Vec<TransferView>,
    pub can_refer: bool,
    pub can_hand_back: bool,
    pub can_edit_plan: bool,
    pub can_escalate: bool,
    /// For a Team Leader accepting a referral: the area's Sustainable Tenancy HMOs.
    pub sustainable_officers: Vec<OfficerOption>,
    /// A complaint's handling under the Complaint Handling Code.
    pub complaint: Option<ComplaintView>,
}

/// A complaint's two stages as its case page shows them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ComplaintView {
    /// When the resident complained: every stage 1 clock runs from here.
    pub received_on: NaiveDate,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub stage: crate::domain::clock::ComplaintStage,
    pub steps: Vec<crate::domain::complaint::ComplaintStep>,
    /// The steps the viewer may record now.
    #[cfg_attr(feature = "ssr", schema(value_type = Vec<String>))]
    pub next: Vec<crate::domain::complaint::ComplaintEvent>,
    /// What is due next, by when, and its clock.
    pub due: Option<StepDeadline>,
    /// The longest extension the Code allows at the current stage, in working days.
    pub max_extension: u32,
    /// Who answered stage 1 (never the person who considers stage 2).
    pub stage1_handler: Option<String>,
    /// Each stage answered within the Code's timescales (None until answered).
    pub stage1_in_time: Option<bool>,
    pub stage2_in_time: Option<bool>,
}

/// The Regulator's complaint measures over a reporting year, from Hearth's complaint cases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ComplaintFigures {
    /// The reporting year, by the year it begins on 1 April.
    pub year: i32,
    /// Homes let on rent the measures are per (leaseholders excluded).
    pub homes: u64,
    pub stage1: crate::domain::complaint::StageFigures,
    pub stage2: crate::domain::complaint::StageFigures,
}

/// A cover period, as the Team Leader and both officers see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct CoverView {
    pub id: i64,
    pub absent: String,
    pub absent_id: i64,
    pub cover: String,
    pub cover_id: i64,
    pub starts_on: NaiveDate,
    pub ends_on: NaiveDate,
    /// The day a Team Leader ended it early or called it off.
    pub ended_on: Option<NaiveDate>,
    pub reason: String,
    pub set_by: Option<String>,
    pub state: crate::domain::cover::CoverState,
    /// What the cover officer proposed or decided on the absent officer's work during the period.
    pub actions_taken: i64,
}

/// The Team Leader's area view: officers and their load, cover, open moves and plans.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TeamView {
    pub area_team: String,
    pub officers: Vec<OfficerOption>,
    pub covers: Vec<CoverView>,
    /// Cases worked by the Sustainable Tenancy HMOs, next review first.
    pub plans: Vec<PlanRow>,
}

/// A case with a plan, in the Team Leader's list.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PlanRow {
    pub case_reference: String,
    pub title: String,
    pub owner: String,
    pub plan_agreed_on: Option<NaiveDate>,
    pub next_review_on: Option<NaiveDate>,
    pub due_at: Option<DateTime<Utc>>,
    pub clock: Option<ClockStatus>,
    pub open_actions: i64,
    pub overdue_actions: i64,
    /// Need-to-know: the title reads `access::RESTRICTED_ABOUT`; the case shows the rest.
    pub restricted: bool,
}

/// A tenant's or partner's comment, for managers to read and act on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FeedbackComment {
    pub id: i64,
    pub submitted_at: DateTime<Utc>,
    pub audience: String,
    pub area: Option<String>,
    pub patch: Option<String>,
    pub officer: Option<String>,
    pub comment: String,
    /// Their overall answer (TP01 or PA1), as words.
    pub overall: Option<String>,
    /// Only when they asked for a reply.
    pub contact_name: Option<String>,
    pub contact_detail: Option<String>,
    /// The case opened from it, if any.
    pub case_reference: Option<String>,
}

/// A public feedback link (officer, patch, visit or partner agency) with its QR code.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FeedbackLinkView {
    pub id: i64,
    pub token: String,
    /// `/feedback/<token>`: the short link printed on cards and letters.
    pub path: String,
    pub scope_type: String,
    pub label: String,
    pub created_at: DateTime<Utc>,
    pub responses: i64,
    pub active: bool,
    /// The absolute address (`HEARTH_PUBLIC_URL`, else the origin the request came to + `path`):
    /// what the QR code holds, so it opens on a phone as it is.
    pub url: String,
    /// The link as a QR code (SVG markup Hearth generated).
    pub qr_svg: String,
}

/// One measure of the council ranked among all councils in the Regulator's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct BenchmarkRow {
    pub measure: String,
    pub name: String,
    /// The council's published survey figure (tenths of a percent) and its rank (1 = best).
    pub survey_tenths: Option<i64>,
    pub survey_rank: Option<i64>,
    /// What Hearth's own feedback links give: a transactional, self-selected figure, shown beside
    /// the survey's and never ranked among the councils' perception surveys.
    pub in_app_tenths: Option<i64>,
    pub in_app_base: i64,
    pub councils: i64,
    pub median_tenths: Option<i64>,
}

/// The feedback results page: figures by the chosen grouping, the monthly trend, comments,
/// links and the peer benchmark.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FeedbackResults {
    pub by: crate::domain::feedback::GroupBy,
    pub since: NaiveDate,
    pub measures: Vec<String>,
    pub overall: Vec<crate::domain::feedback::GroupFigures>,
    /// What partner agencies said about working with the housing officers (their own questions).
    pub partners: Vec<crate::domain::feedback::GroupFigures>,
    pub groups: Vec<crate::domain::feedback::GroupFigures>,
    pub months: Vec<crate::domain::feedback::GroupFigures>,
    pub comments: Vec<FeedbackComment>,
    /// The comment filters' choices: area teams, patches and officers the responses in view are about.
    pub filters: crate::domain::feedback::FilterOptions,
    pub links: Vec<FeedbackLinkView>,
    pub benchmark_year: Option<String>,
    pub landlord_code: String,
    pub benchmark: Vec<BenchmarkRow>,
    pub can_manage_links: bool,
    /// Whether this user may turn comments into cases.
    pub can_open_cases: bool,
    /// Patches a Team Leader can make links for: (id, name).
    pub patches: Vec<(i64, String)>,
    /// Whether this user makes partner agencies' links (administrators), and the agencies: (id, name).
    pub can_make_partner_links: bool,
    pub agencies: Vec<(i64, String)>,
    /// CH01 and CH02 per stage for this reporting year, from the complaint cases in view.
    pub complaints: ComplaintFigures,
}

// --- Referrals to partner agencies -----------------------------------------------------------

use crate::domain::referral::{ReferralMove, SharedFacts, SharedField};
use crate::domain::{AgencyKind, LawfulBasis, ReferralCategory, ReferralStatus, Urgency};

/// A referral in a list (My work, the area's referrals, an agency's referrals).
/// For agency users `tenancy_reference` is always empty and `about` comes from the shared snapshot.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ReferralRow {
    pub reference: String,
    pub agency: String,
    pub category: ReferralCategory,
    pub status: ReferralStatus,
    pub urgency: Urgency,
    pub restricted: bool,
    pub tenancy_reference: Option<String>,
    /// Who or where it is about, as far as the viewer may know.
    pub about: String,
    pub referrer: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    /// When the agency's answer falls due (while it is awaited).
    pub due_at: Option<DateTime<Utc>>,
    pub clock: Option<ClockStatus>,
    /// The other side wrote last: a reply is waiting for the viewer's side.
    pub reply_waiting: bool,
    pub last_message_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AgencyOption {
    pub id: i64,
    pub name: String,
    pub kind: AgencyKind,
}

/// The referrals a user may see, filtered.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ReferralList {
    pub viewer_is_agency: bool,
    /// The agency's name (agency users) or the area team's (officers).
    pub heading: String,
    pub rows: Vec<ReferralRow>,
    /// Agencies to filter by (council side only).
    pub agencies: Vec<AgencyOption>,
    pub overdue: i64,
    pub replies_waiting: i64,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ReferralMessageView {
    pub author: String,
    pub side: crate::domain::referral::Side,
    pub body: String,
    pub at: DateTime<Utc>,
}

/// One referral as its viewer may see it. Agency users get the shared snapshot, the thread and the
/// officer to contact; the council-only fields are empty for them.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ReferralDetail {
    pub reference: String,
    pub status: ReferralStatus,
    pub agency: String,
    pub category: ReferralCategory,
    pub urgency: Urgency,
    pub reason: String,
    pub restricted: bool,
    /// What the agency receives (for a draft: what it would receive if sent now).
    pub shared: SharedFacts,
    pub shared_fields: Vec<SharedField>,
    pub lawful_basis: LawfulBasis,
    pub consent_given_on: Option<NaiveDate>,
    pub basis_detail: String,
    pub contact_name: String,
    pub contact_detail: String,
    pub referrer: String,
    pub created_at: DateTime<Utc>,
    pub sent_at: Option<DateTime<Utc>>,
    pub responded_at: Option<DateTime<Utc>>,
    pub due_at: Option<DateTime<Utc>>,
    pub clock: Option<ClockStatus>,
    pub closed_at: Option<DateTime<Utc>>,
    pub decline_reason: Option<String>,
    pub outcome: Option<String>,
    pub messages: Vec<ReferralMessageView>,
    pub version: i64,
    pub viewer_is_agency: bool,
    /// The moves the viewer may make now.
    pub moves: Vec<ReferralMove>,
    pub can_post: bool,
    /// Council side only.
    pub tenancy_reference: Option<String>,
    pub case_reference: Option<String>,
    pub area_team: Option<String>,
    /// People named on a restricted referral (council side only).
    pub named: Vec<String>,
    pub can_name: bool,
}

/// A referral page: a restricted referral first asks the viewer why they are opening it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ReferralPage {
    pub reference: String,
    pub needs_reason: bool,
    pub detail: Option<ReferralDetail>,
}

/// What the "refer to a partner agency" form starts from.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ReferralStart {
    pub tenancy_reference: String,
    pub address: String,
    pub agencies: Vec<AgencyOption>,
    /// The fields ticked by default for the chosen agency and category.
    pub default_fields: Vec<SharedField>,
    /// Everything that could be shared, so the officer sees exactly what each tick sends.
    pub preview: SharedFacts,
    pub contact_name: String,
    pub contact_detail: String,
    /// The case the referral is made from, if any.
    pub case_reference: Option<String>,
    /// What the referral starts from (a visit finding, a case, a plan action): the reason's first words.
    pub about: String,
}

// --- Administration: partner agencies, their users and integration tokens ---------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AgencyUser {
    pub username: String,
    pub display_name: String,
    pub active: bool,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AgencyAdmin {
    pub id: i64,
    pub name: String,
    pub kind: AgencyKind,
    pub team: String,
    pub contact_email: String,
    pub contact_phone: String,
    pub active: bool,
    pub users: Vec<AgencyUser>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct TokenView {
    pub id: i64,
    pub username: String,
    pub agency: Option<String>,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub expires_at: DateTime<Utc>,
    pub revoked_at: Option<DateTime<Utc>>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct IssuedToken {
    pub id: i64,
    /// Shown once: only its hash is kept.
    pub token: String,
    pub expires_at: DateTime<Utc>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AuditRow {
    pub at: DateTime<Utc>,
    pub username: String,
    pub action: String,
    /// allowed, or denied:<why>.
    pub outcome: String,
    /// The reason the viewer gave (restricted records).
    pub reason: String,
    pub detail: String,
}

/// The administrator's page: agencies with their users, integration tokens, and the bank
/// holidays coming in the council's calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct AdminView {
    pub agencies: Vec<AgencyAdmin>,
    pub tokens: Vec<TokenView>,
    /// From today, for `admin::service::HOLIDAYS_SHOWN_DAYS`.
    pub holidays: Vec<BankHolidayView>,
}

/// A bank holiday in the council's working-day calendar.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct BankHolidayView {
    pub date: chrono::NaiveDate,
    pub name: String,
}

// --- The OpenAPI document's schemas for the domain's types ------------------------------------

/// The wire schemas of the domain types the API answers with, so the OpenAPI document says what
/// is really sent: each closed vocabulary as a string enum of the codes serde writes, and the
/// feedback figures as the objects and arrays they are. The domain stays free of utoipa: the
/// schemas live here, and the tests below check them against what the types serialise to.
#[cfg(feature = "ssr")]
mod wire_schema {
    use std::borrow::Cow;

    use serde::{Deserialize, Serialize};
    use utoipa::ToSchema;
    use utoipa::openapi::RefOr;
    use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};

    use crate::domain::clock::ClockStatus;
    use crate::domain::cover::CoverState;
    use crate::domain::feedback::{Figure, FilterOptions, GroupBy, GroupFigures};
    use crate::domain::hazard::{HazardFinding, HazardStep};
    use crate::domain::pipeline::{PipelineKind, PipelineStage};
    use crate::domain::programme::PlanReason;
    use crate::domain::referral::{ReferralMove, SharedField, Side};
    use crate::domain::sustain::{ActionOwner, ActionStatus};
    use crate::domain::workflow::{Flow, FlowState, Move, ReviewOutcome};
    use crate::domain::{
        AgencyKind, CaseKind, CaseStatus, FindingKind, LawfulBasis, ReferralCategory, ReferralStatus, Relationship, Role, TenancyStatus, Tenure, Urgency,
        VisitOutcome, VisitType,
    };

    /// A string schema whose values are the codes serde writes for `values`.
    pub(super) fn codes<T: Serialize>(values: impl IntoIterator<Item = T>) -> Vec<serde_json::Value> {
        values.into_iter().map(|v| serde_json::to_value(v).expect("an enum code serialises")).collect()
    }

    fn string_enum(description: &str, values: Vec<serde_json::Value>) -> RefOr<Schema> {
        ObjectBuilder::new().schema_type(Type::String).description(Some(description)).enum_values(Some(values)).build().into()
    }

    /// Every workflow; the match stops compiling when one is added, so the list cannot fall behind.
    pub(super) const FLOWS: [Flow; 4] = [Flow::IntroductoryReview, Flow::ReferralToSustainable, Flow::HandBack, Flow::Escalation];
    const _: fn(Flow) = |f| match f {
        Flow::IntroductoryReview | Flow::ReferralToSustainable | Flow::HandBack | Flow::Escalation => {}
    };
    /// Every state of a cover period (same guard).
    pub(super) const COVER_STATES: [CoverState; 4] = [CoverState::Upcoming, CoverState::Active, CoverState::Ended, CoverState::Cancelled];
    const _: fn(CoverState) = |c| match c {
        CoverState::Upcoming | CoverState::Active | CoverState::Ended | CoverState::Cancelled => {}
    };

    /// Every state of a workflow item (same guard).
    pub(super) const FLOW_STATES: [FlowState; 5] = [FlowState::Proposed, FlowState::SentBack, FlowState::Completed, FlowState::Declined, FlowState::Withdrawn];
    const _: fn(FlowState) = |s| match s {
        FlowState::Proposed | FlowState::SentBack | FlowState::Completed | FlowState::Declined | FlowState::Withdrawn => {}
    };
    /// Both sides of a referral's thread (same guard).
    pub(super) const SIDES: [Side; 2] = [Side::Council, Side::Agency];
    const _: fn(Side) = |s| match s {
        Side::Council | Side::Agency => {}
    };

    macro_rules! code_schemas {
        ($($ty:ident = $all:expr, $description:literal;)*) => {$(
            impl utoipa::PartialSchema for $ty {
                fn schema() -> RefOr<Schema> {
                    string_enum($description, codes($all.iter().copied()))
                }
            }
            impl ToSchema for $ty {
                fn name() -> Cow<'static, str> {
                    Cow::Borrowed(stringify!($ty))
                }
            }
        )*};
    }

    code_schemas! {
        Role = Role::ALL, "A user's role.";
        ActionStatus = ActionStatus::ALL, "Where a support plan's action stands.";
        ActionOwner = ActionOwner::ALL, "Who carries out a support plan's action.";
        Tenure = Tenure::ALL, "A tenancy's tenure.";
        CaseKind = CaseKind::ALL, "What a case is about.";
        CaseStatus = CaseStatus::ALL, "Whether a case is open or closed.";
        TenancyStatus = TenancyStatus::ALL, "Whether a tenancy is active or ended.";
        FlowState = FLOW_STATES, "Where a workflow item stands.";
        Side = SIDES, "Which side of a referral wrote a message: the council or the agency.";
        ClockStatus = ClockStatus::ALL, "Where a running clock stands: on_time, due_soon (within the warning window) or overdue.";
        Flow = FLOWS, "The workflow a proposal belongs to.";
        Move = Move::ALL, "A move on a workflow item.";
        ReviewOutcome = ReviewOutcome::ALL, "What an introductory review proposes.";
        CoverState = COVER_STATES, "Where a cover period stands.";
        GroupBy = GroupBy::ALL, "How feedback responses are grouped.";
        AgencyKind = AgencyKind::ALL, "What kind of partner agency.";
        ReferralCategory = ReferralCategory::ALL, "What a referral is for.";
        ReferralStatus = ReferralStatus::ALL, "Where a referral stands.";
        Urgency = Urgency::ALL, "How urgent a referral is.";
        LawfulBasis = LawfulBasis::ALL, "The lawful basis for sharing a referral's personal data.";
        SharedField = SharedField::ALL, "A field of the tenancy that a referral shares.";
        ReferralMove = ReferralMove::ALL, "A move on a referral.";
        VisitType = VisitType::ALL, "What a visit is for.";
        VisitOutcome = VisitOutcome::ALL, "What happened at the door (a recorded visit is completed or no_access).";
        FindingKind = FindingKind::ALL, "What a visit found; each starts its follow-up's clock.";
        Relationship = Relationship::ALL, "How a household member is related to the tenant.";
        HazardStep = HazardStep::ALL, "A step of Awaab's Law's ladder for damp and mould: investigated, summary_sent (the written summary to the tenant), made_safe (the safety work).";
        HazardFinding = HazardFinding::ALL, "What the investigation of a damp and mould hazard found.";
        PipelineKind = PipelineKind::ALL, "What a pipeline entry is about: downsizing, or an investigation of fraud, subletting or abandonment.";
        PipelineStage = PipelineStage::ALL, "Where a pipeline entry stands (downsizing: interest, options, referred, moved, withdrawn; investigations: investigating, recovered, regularised, no_fraud).";
        PlanReason = PlanReason::ALL, "Why the programme planned a visit: never_visited, little_contact (no one at the door in two years) or due in the cycle.";
    }

    /// Satisfaction for one measure in one group (the wire form of `domain::feedback::Figure`).
    #[derive(Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(super) struct FigureWire {
        /// TP01 … TP12, or a partner measure (PA1 …).
        measure: String,
        /// Satisfied, in tenths of a percent (712 is 71.2%); null when no one answered.
        percent: Option<i64>,
        /// Substantive answers (the base); "don't know" is not in it.
        base: i64,
        satisfied: i64,
        dont_know: i64,
    }

    /// The figures for one group: the whole council, an area, a patch, an officer or a month.
    #[derive(Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(super) struct GroupFiguresWire {
        group: String,
        responses: i64,
        figures: Vec<Figure>,
    }

    /// The comment filters' choices, each as `[id, name]`.
    #[derive(Deserialize, ToSchema)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    pub(super) struct FilterOptionsWire {
        areas: Vec<(i64, String)>,
        patches: Vec<(i64, String)>,
        officers: Vec<(i64, String)>,
    }

    macro_rules! wire_schemas {
        ($($ty:ident => $wire:ident;)*) => {$(
            impl utoipa::PartialSchema for $ty {
                fn schema() -> RefOr<Schema> {
                    <$wire as utoipa::PartialSchema>::schema()
                }
            }
            impl ToSchema for $ty {
                fn name() -> Cow<'static, str> {
                    Cow::Borrowed(stringify!($ty))
                }
                fn schemas(schemas: &mut Vec<(String, RefOr<Schema>)>) {
                    <$wire as ToSchema>::schemas(schemas)
                }
            }
        )*};
    }

    wire_schemas! {
        Figure => FigureWire;
        GroupFigures => GroupFiguresWire;
        FilterOptions => FilterOptionsWire;
    }
}

#[cfg(all(test, feature = "ssr"))]
mod wire_schema_tests {
    use super::wire_schema::*;
    use crate::domain::feedback::{Figure, FilterOptions, GroupFigures};
    use crate::domain::tsm::Tenths;

    /// The enum schemas list exactly the codes the types are stored and sent as.
    #[test]
    fn enum_schemas_are_the_wire_codes() {
        use crate::domain::*;
        let as_str = |v: Vec<serde_json::Value>| v.into_iter().map(|c| c.as_str().unwrap().to_string()).collect::<Vec<_>>();
        assert_eq!(as_str(codes(Role::ALL.iter().copied())), Role::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>());
        assert_eq!(as_str(codes(ReferralStatus::ALL.iter().copied())), ReferralStatus::ALL.iter().map(|r| r.as_str()).collect::<Vec<_>>());
        assert_eq!(as_str(codes(FLOWS)), ["introductory_review", "referral_to_sustainable", "hand_back", "escalation"]);
        assert_eq!(as_str(codes(COVER_STATES)), ["upcoming", "active", "ended", "cancelled"]);
        // The vocabularies the model carries typed are sent as the very codes the database stores.
        assert_eq!(as_str(codes(FLOW_STATES)), FLOW_STATES.map(|s| s.as_str()));
        assert_eq!(as_str(codes(SIDES)), SIDES.map(|s| s.as_str()));
        assert_eq!(as_str(codes(CaseStatus::ALL.iter().copied())), CaseStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>());
        assert_eq!(as_str(codes(TenancyStatus::ALL.iter().copied())), TenancyStatus::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>());
        assert_eq!(as_str(codes(AgencyKind::ALL.iter().copied())), AgencyKind::ALL.iter().map(|s| s.as_str()).collect::<Vec<_>>());
    }

    /// The feedback figures' schemas describe every field the domain types serialise, and no other.
    #[test]
    fn feedback_wire_schemas_match_the_domain_types() {
        let figure = Figure { measure: "TP01".into(), percent: Some(Tenths(712)), base: 10, satisfied: 7, dont_know: 1 };
        let group = GroupFigures { group: "East".into(), responses: 11, figures: vec![figure.clone(), Figure { percent: None, ..figure }] };
        let json = serde_json::to_value(&group).unwrap();
        let _: GroupFiguresWire = serde_json::from_value(json.clone()).expect("GroupFiguresWire reads a GroupFigures");
        assert!(json["figures"][0]["percent"].is_i64() && json["figures"][1]["percent"].is_null());
        let filters = FilterOptions { areas: vec![(1, "East".into())], patches: vec![], officers: vec![(7, "Sam".into())] };
        let json = serde_json::to_value(&filters).unwrap();
        let _: FilterOptionsWire = serde_json::from_value(json.clone()).expect("FilterOptionsWire reads a FilterOptions");
        assert_eq!(json["areas"][0], serde_json::json!([1, "East"]));
    }
}

#[cfg(test)]
mod wire_value_tests {
    use chrono::{DateTime, NaiveDate, Utc};
    use codee::{Decoder, Encoder};

    use crate::api::Compact;

    /// Days and instants cross the wire as the text the database keeps: `YYYY-MM-DD`, and
    /// whole-second RFC 3339 UTC ending in `Z` (as `now_rfc3339` writes), so typing them
    /// changed no JSON value; the pages' postcard data carries them both ways.
    #[test]
    fn days_and_instants_are_sent_as_stored() {
        let day: NaiveDate = "2026-01-05".parse().unwrap();
        assert_eq!(serde_json::to_string(&day).unwrap(), "\"2026-01-05\"");
        let at: DateTime<Utc> = DateTime::parse_from_rfc3339("2026-01-05T17:00:00Z").unwrap().with_timezone(&Utc);
        assert_eq!(serde_json::to_string(&at).unwrap(), "\"2026-01-05T17:00:00Z\"");
        let pair = (day, Some(at), None::<DateTime<Utc>>);
        let bytes = <Compact as Encoder<_>>::encode(&pair).unwrap();
        assert_eq!(<Compact as Decoder<(NaiveDate, Option<DateTime<Utc>>, Option<DateTime<Utc>>)>>::decode(&bytes).unwrap(), pair);
    }
}

/// A household to test against the social-sector size criteria (`POST /api/v1/occupancy/assess`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OccupancyQuestion {
    /// Bedrooms in the home (0 for a bedsit).
    pub bedrooms: u32,
    /// Everyone who lives there, the tenant among them.
    pub household: Vec<HouseholdMemberIn>,
}

/// One member of a household in an `OccupancyQuestion`: `age` or `date_of_birth`, not both.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HouseholdMemberIn {
    pub role: crate::domain::occupancy::SizeRole,
    /// Whole years on the day of the assessment (a date of birth is exact near pension age).
    #[serde(default)]
    pub age: Option<u32>,
    #[serde(default)]
    pub date_of_birth: Option<NaiveDate>,
    /// Needed for children under 16: it decides who shares.
    #[serde(default)]
    pub sex: Option<crate::domain::occupancy::Sex>,
    /// Cannot share a bedroom because of disability (a child, or a member of the couple).
    #[serde(default)]
    pub needs_own_room: bool,
    /// The tenant or partner is an approved foster carer.
    #[serde(default)]
    pub foster_carer: bool,
    /// Needs a non-resident overnight carer.
    #[serde(default)]
    pub overnight_carer: bool,
    /// An adult son or daughter away on armed-forces operations who means to return.
    #[serde(default)]
    pub armed_forces: bool,
}

/// An under-occupied home: the size criteria's spare bedrooms and the reduction the household faces.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct UnderOccupier {
    pub tenancy_reference: String,
    pub address: String,
    pub officer: Option<String>,
    pub bedrooms: u32,
    pub entitlement: u32,
    pub spare: u32,
    pub reduction_percent: u32,
}

/// Under-occupied homes, most spare bedrooms first (`GET /api/v1/occupancy/under-occupiers`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct UnderOccupiers {
    /// Homes counted (active tenancies with two or more bedrooms).
    pub homes: u32,
    /// Under-occupied homes in all.
    pub total: u32,
    /// Of those, households facing the 14% or 25% reduction (someone liable is of working age).
    pub facing_reduction: u32,
    /// The first 200, most spare bedrooms first.
    pub rows: Vec<UnderOccupier>,
}

/// The size criteria applied to a tenancy's household, for its page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct SizeCriteriaView {
    pub entitlement: u32,
    pub spare: u32,
    pub short: u32,
    pub reduction_percent: u32,
    pub working_age: bool,
    /// Each bedroom allowed: whom for (by name) and the rule.
    pub rooms: Vec<String>,
}

/// A visit as an officer reports it (`POST /api/v1/tenancies/{reference}/visits`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VisitRequest {
    pub kind: crate::domain::VisitType,
    /// The day of the visit, `YYYY-MM-DD`.
    pub on: String,
    /// The time at the door, `HH:MM` London time.
    pub at: String,
    /// `completed` or `no_access`.
    pub outcome: crate::domain::VisitOutcome,
    /// No access: a calling card was left.
    #[serde(default)]
    pub card_left: bool,
    #[serde(default)]
    pub findings: Vec<crate::domain::visits::Finding>,
    #[serde(default)]
    pub notes: String,
    /// A key the device makes once per report (8 to 64 letters, digits, `-` or `_`): the same key
    /// sent again records nothing new and answers with the visit already recorded.
    pub client_key: String,
    /// The household as found at the door, when it differs from the record.
    #[serde(default)]
    pub household: Option<HouseholdChangeIn>,
    /// The household said they would like a smaller home: starts downsizing (`domain::pipeline`).
    #[serde(default)]
    pub downsizing_interest: bool,
}

/// A change to the household seen at a visit: who has left (member ids from the tenancy) and who
/// has joined, against the tenancy's `version` the officer saw (a change since is a 409).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HouseholdChangeIn {
    pub seen_version: i64,
    #[serde(default)]
    pub left: Vec<i64>,
    #[serde(default)]
    pub joined: Vec<crate::domain::visits::JoinerIn>,
}

/// The no-access ladder for a home (`domain::visits::ladder`), with its clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct NoAccessView {
    pub ladder: crate::domain::visits::NoAccess,
    pub summary: String,
    pub clock: ClockStatus,
}

/// What a new doorstep form starts with: its own key (so a resend records once) and today.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct VisitFormStart {
    pub key: String,
    pub today: NaiveDate,
    /// The tenancy's version as the form shows it: a household change made elsewhere meanwhile is
    /// a conflict to resolve, never overwritten.
    #[serde(default)]
    pub version: i64,
    /// The household as recorded, for marking who has left: id, name, and whether a tenant.
    #[serde(default)]
    pub household: Vec<(i64, String, bool)>,
}

/// A finding's follow-up and its clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FollowUpView {
    pub kind: crate::domain::FindingKind,
    pub detail: String,
    pub due_at: DateTime<Utc>,
    /// What must happen by then, e.g. "within 2 working days".
    pub within: String,
    pub clock: ClockStatus,
    pub actioned: bool,
}

/// An open follow-up in a list: what was found where, and its clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct FollowUpRow {
    pub id: i64,
    pub kind: crate::domain::FindingKind,
    pub detail: String,
    pub due_at: DateTime<Utc>,
    pub clock: ClockStatus,
    pub visited_on: NaiveDate,
    pub tenancy_reference: String,
    pub address: String,
}

/// What was done about a follow-up (`POST /api/v1/follow-ups/{id}/done`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct FollowUpDone {
    /// What was done, e.g. "Referred to repairs, job R-20411" (3 to 2000 characters).
    pub note: String,
}

/// One door on an officer's day, in walking order, with what to check there.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct DayStop {
    /// The planned visit.
    pub visit_id: i64,
    pub visit_type: crate::domain::VisitType,
    /// `scheduled` until the visit is recorded; then `completed` or `no_access`.
    pub outcome: crate::domain::VisitOutcome,
    pub tenancy_reference: String,
    pub address: String,
    pub postcode: String,
    pub latitude: f64,
    pub longitude: f64,
    /// Whose home it is when the officer visits for an absent colleague.
    pub covering_for: Option<String>,
    /// The household as recorded: "Name (age)".
    pub household: Vec<String>,
    pub alerts: Vec<String>,
    /// Rent balance in pence (positive is arrears).
    #[cfg_attr(feature = "ssr", schema(value_type = i64))]
    pub balance: Pence,
    pub open_cases: i64,
    /// The last visit at which someone came to the door, and what it found.
    pub last_visit: Option<NaiveDate>,
    pub last_findings: Vec<String>,
    /// Metres from the previous door on the walk (0 for the first).
    pub metres_from_previous: u32,
}

/// An officer's day (`GET /api/v1/my-day`): the planned visits in walking order, the walk's
/// length, and the open follow-ups with their clocks, most urgent first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct MyDay {
    pub on: NaiveDate,
    pub stops: Vec<DayStop>,
    pub walk_metres: u32,
    pub follow_ups: Vec<FollowUpRow>,
    /// Damp and mould hazards open on the officer's homes, the most urgent clock first.
    #[serde(default)]
    pub hazards: Vec<HazardView>,
}

/// The visiting programme's coverage (`GET /api/v1/programme`): per patch and for the area.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct ProgrammeView {
    pub today: NaiveDate,
    /// The cycles in months.
    pub home_check_months: u32,
    pub occupancy_check_months: u32,
    pub patches: Vec<crate::domain::programme::Coverage>,
    pub total: crate::domain::programme::Coverage,
}

/// A request to plan visits (`POST /api/v1/programme/plan`): `assign` false previews the plan,
/// true books it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PlanRequest {
    pub start: NaiveDate,
    pub weeks: u32,
    pub per_day: u32,
    #[serde(default)]
    pub assign: bool,
}

/// One visit in a plan.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PlanLine {
    pub on: NaiveDate,
    pub officer: String,
    /// Whose home it is, when the visitor is covering for them.
    pub covering_for: Option<String>,
    pub tenancy_reference: String,
    pub address: String,
    pub reason: crate::domain::programme::PlanReason,
}

/// A plan: its visits, how many there are for each officer, and whether it was booked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PlanView {
    pub start: NaiveDate,
    pub until: NaiveDate,
    pub weeks: u32,
    pub per_day: u32,
    pub assigned: bool,
    pub visits: Vec<PlanLine>,
    /// Visits per officer, most first.
    pub per_officer: Vec<(String, u32)>,
}

/// A visit as recorded: its id, whether this answer replays one recorded before (same key), and
/// the follow-ups its findings started.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct RecordedVisit {
    pub id: i64,
    pub replayed: bool,
    pub follow_ups: Vec<FollowUpView>,
}

/// A step an entry in the pipeline took, with what happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PipelineStepView {
    pub stage: crate::domain::pipeline::PipelineStage,
    pub at: DateTime<Utc>,
    pub by: String,
    pub note: String,
}

/// An entry in the pipeline: downsizing, or an investigation, with where it stands and (on the
/// tenancy's page) its steps.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PipelineEntryView {
    pub id: i64,
    pub kind: crate::domain::pipeline::PipelineKind,
    pub stage: crate::domain::pipeline::PipelineStage,
    pub tenancy_reference: String,
    pub address: String,
    /// The tenancy's officer.
    pub officer: Option<String>,
    pub opened_at: DateTime<Utc>,
    /// When it reached its stage.
    pub stage_at: DateTime<Utc>,
    /// Send back with a move: a move made meanwhile is a conflict, never overwritten.
    pub version: i64,
    /// The stages it may move to (none: it has ended, or the viewer may not move it).
    pub next: Vec<crate::domain::pipeline::PipelineStage>,
    /// Its steps, oldest first (on the tenancy's page; empty in lists).
    pub steps: Vec<PipelineStepView>,
}

/// The pipeline for a Team Leader's area or an officer's tenancies: the year's figures against
/// the targets, and the open entries, longest at their stage first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PipelineView {
    pub figures: crate::domain::pipeline::Figures,
    /// Open entries (the first 200).
    pub entries: Vec<PipelineEntryView>,
    pub open_total: u32,
}

/// Starts an entry for a tenancy (`POST /api/v1/tenancies/{reference}/pipeline`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PipelineStart {
    pub kind: crate::domain::pipeline::PipelineKind,
    /// What was said or seen (5 to 2000 characters).
    pub note: String,
}

/// Moves an entry to its next stage (`POST /api/v1/pipeline/{id}/stage`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct PipelineMove {
    pub stage: crate::domain::pipeline::PipelineStage,
    /// What happened (5 to 2000 characters).
    pub note: String,
    /// The entry's version as the caller saw it.
    pub version: i64,
}

/// A photo kept with a visit (`POST /api/v1/visits/{id}/photos`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct PhotoView {
    pub id: i64,
    pub visit_id: i64,
    pub tenancy_reference: String,
    pub finding: Option<crate::domain::FindingKind>,
    pub content_type: String,
    pub size_bytes: i64,
    /// Where it was taken was kept on purpose (otherwise removed).
    pub location_kept: bool,
}

/// A photo as it arrives (the upload's fields).
#[derive(Clone, Debug, PartialEq)]
pub struct PhotoIn {
    pub finding: Option<crate::domain::FindingKind>,
    pub keep_location: bool,
    pub content: Vec<u8>,
}

/// One rung of a damp and mould hazard's ladder: when it falls due under Awaab's Law, when it was
/// done, and its clock while open.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct HazardRung {
    pub step: crate::domain::hazard::HazardStep,
    pub due_at: DateTime<Utc>,
    /// What the law allows, e.g. "within 10 working days of the report".
    pub within: String,
    pub done_at: Option<DateTime<Utc>>,
    /// Done after its clock ran out.
    pub late: bool,
    /// The clock while the rung is open (none once done).
    pub clock: Option<ClockStatus>,
}

/// A step recorded on a hazard, with what happened.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct HazardStepView {
    pub step: crate::domain::hazard::HazardStep,
    pub at: DateTime<Utc>,
    pub finding: Option<crate::domain::hazard::HazardFinding>,
    pub by: String,
    pub note: String,
}

/// A damp and mould hazard under Awaab's Law: what was reported, the ladder's rungs with their
/// clocks, and (on the tenancy's page) the steps recorded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct HazardView {
    pub id: i64,
    pub tenancy_reference: String,
    pub address: String,
    /// The tenancy's officer.
    pub officer: Option<String>,
    /// What was reported, in the reporter's words.
    pub detail: String,
    /// When the council became aware: every clock runs from here.
    pub aware_at: DateTime<Utc>,
    /// The visit it was found at, if a visit found it.
    pub visit_id: Option<i64>,
    pub finding: Option<crate::domain::hazard::HazardFinding>,
    pub closed_at: Option<DateTime<Utc>>,
    /// Send back with a step: a step recorded meanwhile is a conflict, never overwritten.
    pub version: i64,
    /// The rungs whose clocks have started, in ladder order.
    pub rungs: Vec<HazardRung>,
    /// The steps the viewer may record now (none: it is closed, or the viewer may not).
    pub next: Vec<crate::domain::hazard::HazardStep>,
    /// The steps recorded, oldest first (on the tenancy's page; empty in lists).
    pub steps: Vec<HazardStepView>,
}

impl HazardView {
    /// The open rung that falls due first: what a list shows.
    pub fn due(&self) -> Option<&HazardRung> {
        self.rungs.iter().filter(|r| r.done_at.is_none()).min_by_key(|r| r.due_at)
    }
}

/// Damp and mould hazards for a Team Leader's area or an officer's homes: the open ones, the
/// most urgent clock first, and the year's closed ones with how many missed a clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
pub struct HazardsView {
    pub open: Vec<HazardView>,
    /// Open hazards with a rung past its clock.
    pub overdue: u32,
    /// The year counted from (1 April).
    pub year_from: NaiveDate,
    /// Closed since `year_from`.
    pub closed: u32,
    /// Of those, how many missed at least one clock.
    pub closed_late: u32,
}

/// Reports a damp and mould hazard (`POST /api/v1/tenancies/{reference}/hazards`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HazardReport {
    /// What was reported or seen (3 to 2000 characters).
    pub detail: String,
    /// The day the council became aware (YYYY-MM-DD, London).
    pub on: String,
    /// The time the council became aware (HH:MM, London).
    pub at: String,
}

/// Records a step of a hazard's ladder (`POST /api/v1/hazards/{id}/steps`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(ToSchema))]
#[serde(deny_unknown_fields)]
pub struct HazardStepIn {
    pub step: crate::domain::hazard::HazardStep,
    /// What the investigation found: required with `investigated`, refused with the others.
    #[serde(default)]
    pub finding: Option<crate::domain::hazard::HazardFinding>,
    /// The day it happened (YYYY-MM-DD, London).
    pub on: String,
    /// The time it happened (HH:MM, London).
    pub at: String,
    /// What was done or found (3 to 2000 characters).
    pub note: String,
    /// The hazard's version as the caller saw it.
    pub version: i64,
}
