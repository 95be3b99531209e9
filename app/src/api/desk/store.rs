//! What the desk reads: My work's lists in one call, search, property records.

use async_trait::async_trait;
use chrono::NaiveDate;

use crate::api::kit::store::ListedItem;
use crate::api::referrals::store::{ReferralFilter, ReferralListed};
use crate::domain::access::RecordScope;
use crate::error::AppError;
use crate::model::*;

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
    /// The officer's covers (given or received) that end, or were ended, on or after this date.
    pub covers_since: NaiveDate,
    pub referrals: ReferralFilter,
    /// Whether to list the owners' open follow-ups from visits.
    pub follow_ups: bool,
}

/// Which introductory reviews to count: one officer's (`owner_id`) or an area's.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct ReviewCount {
    pub owner_id: Option<i64>,
    pub area_team_id: Option<i64>,
    /// Trials ending before this date are past their anniversary.
    pub today: NaiveDate,
    /// Trials ending on or before this date, with no open or approved decision, are counted.
    pub until: NaiveDate,
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
    /// Open follow-ups on the owners' tenancies (clock judged by the service), soonest due first.
    pub follow_ups: Vec<FollowUpRow>,
}

#[derive(Clone, Debug, Default)]
pub struct Caseload {
    pub tenancies: Vec<TenancyRow>,
    pub tenancies_total: i64,
    pub introductory_total: i64,
    pub arrears_total: i64,
    pub cases: Vec<(CaseRow, RecordScope)>,
}

/// An active tenancy's household as recorded, for the size criteria across many homes.
#[derive(Clone, Debug)]
pub struct HouseholdRecord {
    pub reference: String,
    pub address: String,
    pub bedrooms: u32,
    pub officer: Option<String>,
    pub members: Vec<crate::domain::occupancy::Recorded>,
}

/// *My work*, search, and the tenancy and property records.
#[async_trait]
pub trait DeskStore: Send + Sync + 'static {
    /// What *My work* lists: the caseload (tenancies and cases owned by any of the owners), the
    /// review and proposal counts, items waiting, covers and referrals, in one call.
    async fn work_lists(&self, query: &WorkQuery) -> Result<WorkLists, AppError>;
    /// Tenancies and properties whose search text holds every term, within an area (None: all).
    async fn search(&self, area_team_id: Option<i64>, terms: &[String], limit: i64) -> Result<Vec<SearchHit>, AppError>;
    async fn property(&self, reference: &str) -> Result<Option<PropertyRecord>, AppError>;
    /// The households of active tenancies in homes of two or more bedrooms, in an area or held by
    /// one officer, members tenants first.
    async fn households(&self, area_team_id: Option<i64>, owner_id: Option<i64>) -> Result<Vec<HouseholdRecord>, AppError>;
}
