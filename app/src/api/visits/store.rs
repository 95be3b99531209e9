//! Visits as stored.

use async_trait::async_trait;
use chrono::{DateTime, NaiveDate, Utc};

use crate::api::kit::store::AuditEntry;
use crate::domain::FindingKind;
use crate::domain::access::RecordScope;
use crate::domain::visits::VisitReport;
use crate::error::AppError;

/// The tenancy a visit is recorded against, with what the rules need.
#[derive(Clone, Debug)]
pub struct VisitSubject {
    pub tenancy_id: i64,
    pub property_id: i64,
    pub scope: RecordScope,
    pub start_date: NaiveDate,
    /// The tenancy's version now.
    pub version: i64,
    /// The household as recorded: each member's id and whether a tenant.
    pub members: Vec<(i64, bool)>,
}

/// A visit's finding with its follow-up, as stored.
#[derive(Clone, Debug)]
pub struct StoredFollowUp {
    pub kind: FindingKind,
    pub detail: String,
    pub due_at: DateTime<Utc>,
    pub actioned: bool,
}

/// A visit already recorded under a device's key: its tenancy and follow-ups.
#[derive(Clone, Debug)]
pub struct KeyedVisit {
    pub id: i64,
    pub tenancy_id: Option<i64>,
    pub follow_ups: Vec<StoredFollowUp>,
}

/// An open or closed follow-up with its tenancy's scope, for the rule on who closes it.
#[derive(Clone, Debug)]
pub struct FollowUpSubject {
    pub id: i64,
    pub tenancy_id: i64,
    pub scope: RecordScope,
    pub actioned: bool,
}

/// A planned visit on an officer's day, with what to check at the door.
#[derive(Clone, Debug)]
pub struct StoredStop {
    pub visit_id: i64,
    pub visit_type: crate::domain::VisitType,
    pub outcome: crate::domain::VisitOutcome,
    pub tenancy_id: i64,
    pub reference: String,
    pub address: String,
    pub postcode: String,
    pub at: crate::domain::route::Point,
    pub scope: RecordScope,
    pub owner_name: Option<String>,
    pub balance: crate::domain::Pence,
    /// Current household members: name and date of birth.
    pub household: Vec<(String, NaiveDate)>,
    /// Alerts in force.
    pub alerts: Vec<String>,
    pub open_cases: i64,
    /// The last visit before this one at which someone came to the door, and its findings.
    pub last_visit: Option<NaiveDate>,
    pub last_findings: Vec<(FindingKind, String)>,
}

/// A home in the programme, with how a plan names it.
#[derive(Clone, Debug)]
pub struct ProgrammeRow {
    pub home: crate::domain::programme::ProgrammeHome,
    pub reference: String,
    pub address: String,
}

/// A visit a plan books: a home check at a tenancy's home on a day by an officer.
#[derive(Clone, Copy, Debug)]
pub struct Booking {
    pub tenancy_id: i64,
    pub on: NaiveDate,
    pub officer_id: i64,
}

/// A visit photos are added to, with what the rules need.
#[derive(Clone, Debug)]
pub struct PhotoTarget {
    pub visit_id: i64,
    pub tenancy_id: i64,
    pub reference: String,
    pub scope: RecordScope,
    pub outcome: crate::domain::VisitOutcome,
    /// What the visit found.
    pub findings: Vec<FindingKind>,
    /// Photos it has already.
    pub photos: u32,
}

/// A photo to keep, as it will be kept (its location already removed unless kept on purpose).
#[derive(Clone, Copy, Debug)]
pub struct NewPhoto<'a> {
    pub visit_id: i64,
    pub finding: Option<FindingKind>,
    pub kind: crate::domain::photo::ImageKind,
    pub data: &'a [u8],
    pub location_kept: bool,
    pub by: i64,
}

/// A photo as kept.
#[derive(Clone, Debug)]
pub struct StoredPhoto {
    pub id: i64,
    pub visit_id: i64,
    pub tenancy_id: i64,
    pub reference: String,
    pub scope: RecordScope,
    pub finding: Option<FindingKind>,
    pub content_type: String,
    pub data: Vec<u8>,
    pub location_kept: bool,
}

/// What a recorded visit changes besides itself.
#[derive(Clone, Copy, Debug)]
pub struct Effects<'a> {
    /// Each finding's follow-up due instant, in the report's order.
    pub due: &'a [DateTime<Utc>],
    /// A household change against the tenancy's version the officer saw (a changed tenancy is a
    /// conflict and nothing is saved).
    pub household: Option<(i64, &'a crate::domain::visits::HouseholdChange)>,
    /// Pipeline entries to open (a kind with its first note), each unless one of its kind is open.
    pub opens: &'a [(crate::domain::pipeline::PipelineKind, String)],
    /// A damp and mould finding's words, to open Awaab's Law's ladder (aware at the visit) unless
    /// a hazard is already open on the tenancy.
    pub hazard: Option<&'a str>,
}

#[async_trait]
pub trait VisitStore: Send + Sync + 'static {
    async fn visit_subject(&self, tenancy_reference: &str) -> Result<Option<VisitSubject>, AppError>;
    /// The visit recorded under `client_key`, if any.
    async fn visit_by_key(&self, client_key: &str) -> Result<Option<KeyedVisit>, AppError>;
    /// Records a visit by `officer_id` with what follows from it (`Effects`) and the audit row, in
    /// one transaction. A key already used (a report sent twice at once) records nothing and
    /// answers `Ok(None)`.
    async fn record_visit(
        &self,
        subject: &VisitSubject,
        report: &VisitReport,
        effects: Effects<'_>,
        officer_id: i64,
        audit: AuditEntry,
    ) -> Result<Option<i64>, AppError>;
    /// Visits at the door in an area's homes since `since`, with the visiting officer's name.
    async fn area_doors(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<crate::domain::visits::DoorEvent>, AppError>;
    /// Follow-ups in an area's homes still open, or closed since `since`, with the tenancy's officer.
    async fn area_follow_ups(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<crate::domain::visits::FollowUpEvent>, AppError>;
    /// Findings at visits to an area's homes since `since`, or closed since then.
    async fn area_findings(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<crate::domain::visits::FindingEvent>, AppError>;
    /// When referrals about an area's tenancies were sent to financial inclusion since `since`.
    async fn area_financial_referrals(&self, area_team_id: i64, since: chrono::NaiveDate) -> Result<Vec<DateTime<Utc>>, AppError>;
    async fn follow_up_subject(&self, id: i64) -> Result<Option<FollowUpSubject>, AppError>;
    /// Closes an open follow-up with what was done; one already closed is a conflict.
    async fn close_follow_up(&self, id: i64, by: i64, note: &str, audit: AuditEntry) -> Result<(), AppError>;
    /// The visits planned for `officers` on `on` (made or not; cancelled ones left out).
    async fn day_stops(&self, officers: &[i64], on: NaiveDate) -> Result<Vec<StoredStop>, AppError>;
    /// The open follow-ups from visits to the owners' tenancies, soonest due first.
    async fn open_follow_ups(&self, owners: &[i64]) -> Result<Vec<crate::model::FollowUpRow>, AppError>;
    /// Every active, rent-paying, non-introductory tenancy the programme visits in an area, or of
    /// one officer, with its visits so far and any visit planned from `today`.
    async fn programme_homes(&self, reach: crate::domain::access::Reach, today: NaiveDate) -> Result<Vec<ProgrammeRow>, AppError>;
    /// The patches the reach covers: id, name and officer's name, by name.
    async fn programme_patches(&self, reach: crate::domain::access::Reach) -> Result<Vec<(i64, String, String)>, AppError>;
    /// Covers of the area's officers that overlap the days `from` to `to`, as absences.
    async fn absences(&self, area_team_id: i64, from: NaiveDate, to: NaiveDate) -> Result<Vec<crate::domain::programme::Absence>, AppError>;
    async fn photo_target(&self, visit_id: i64) -> Result<Option<PhotoTarget>, AppError>;
    /// Keeps a photo with its visit and the audit row, in one transaction; answers its id.
    async fn add_photo(&self, photo: NewPhoto<'_>, audit: AuditEntry) -> Result<i64, AppError>;
    async fn photo(&self, id: i64) -> Result<Option<StoredPhoto>, AppError>;
    /// Users' display names.
    async fn user_names(&self, ids: &[i64]) -> Result<std::collections::HashMap<i64, String>, AppError>;
    /// Books planned home checks with the audit row, in one transaction: all of them, or none
    /// (`Ok(false)`) when a tenancy already has a visit planned from `today` (booked meanwhile).
    async fn book_visits(&self, area_team_id: i64, today: NaiveDate, visits: &[Booking], audit: AuditEntry) -> Result<bool, AppError>;
}
