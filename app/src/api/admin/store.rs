//! Administration as stored: agencies, their users, API tokens, bank holidays, audit trails.

use async_trait::async_trait;

use crate::api::kit::store::AuditEntry;
use crate::error::AppError;
use crate::model::*;

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
