//! Introductory tenancy reviews as stored: the record the review panel reads, notices served,
//! and the reviews coming due in an area.

use app::api::kit::store::AuditEntry;
use app::api::reviews::store::{ReviewRecord, ReviewStore};
use app::error::AppError;
use app::model::*;
use async_trait::async_trait;
use sqlx::Any;

use super::workflow::{record_notice_served, record_prior, record_step, review_record};
use super::*;

#[async_trait]
impl ReviewStore for SqlStore {
    async fn review_record(&self, tenancy_reference: &str) -> Result<Option<ReviewRecord>, AppError> {
        review_record(&self.db, tenancy_reference).await
    }
    async fn record_notice_served(&self, tenancy_id: i64, version: i64, served_on: chrono::NaiveDate, _by: i64, audit: AuditEntry) -> Result<(), AppError> {
        record_notice_served(&self.db, tenancy_id, version, served_on, audit).await
    }

    async fn record_prior(
        &self,
        tenancy_id: i64,
        version: i64,
        prior: &app::domain::introductory::PriorTenancy,
        trial_ends_on: chrono::NaiveDate,
        audit: AuditEntry,
    ) -> Result<(), AppError> {
        record_prior(&self.db, tenancy_id, version, prior, trial_ends_on, audit).await
    }

    async fn record_step(
        &self,
        tenancy_id: i64,
        version: i64,
        step: &app::domain::introductory::steps::Step,
        by: i64,
        revert_extension: Option<chrono::NaiveDate>,
        audit: AuditEntry,
    ) -> Result<(), AppError> {
        record_step(&self.db, tenancy_id, version, step, by, revert_extension, audit).await
    }

    async fn reviews_due_list(&self, area_team_id: i64, until: chrono::NaiveDate, limit: i64) -> Result<Vec<TenancyRow>, AppError> {
        let rows = sqlx::query::<Any>(&format!(
            "SELECT t.id, t.reference, t.tenure, t.start_date, t.trial_ends_on, p.reference AS property_reference, \
               p.address_line1, p.postcode, COALESCE(r.balance_pence, 0) AS balance \
             FROM tenancies t JOIN properties p ON p.id = t.property_id LEFT JOIN rent_accounts r ON r.tenancy_id = t.id \
             WHERE t.status = 'active' AND t.tenure IN ({intro}) AND t.trial_ends_on <= $1 \
               AND p.area_team_id = $2 AND {NO_DECISION} ORDER BY t.trial_ends_on, t.reference LIMIT $3",
            intro = INTRODUCTORY.as_str()
        ))
        .bind(until.to_string())
        .bind(area_team_id)
        .bind(limit)
        .fetch_all(&self.db.pool)
        .await
        .map_err(internal)?;
        let ids: Vec<i64> = rows.iter().map(|r| i(r, "id")).collect();
        let names = self.tenant_names(&ids).await?;
        rows.iter().map(|r| tenancy_row(r, &names)).collect()
    }
}
