//! Referrals to partner agencies as stored.

use async_trait::async_trait;

use crate::api::kit::store::AuditEntry;
use crate::error::AppError;
use crate::model::*;

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
    /// With `open_only`: the day from which declined and closed referrals are listed too.
    pub ended_since: Option<chrono::NaiveDate>,
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
    pub consent_given_on: Option<chrono::NaiveDate>,
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
