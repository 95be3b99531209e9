//! Tenant feedback, feedback links and the TSM benchmark as stored.

use async_trait::async_trait;

use crate::api::kit::store::AuditEntry;
use crate::error::AppError;
use crate::model::*;

/// A case opened from a tenant's comment.
#[derive(Clone, Debug)]
pub struct NewFeedbackCase {
    pub response_id: i64,
    pub scope: crate::domain::feedback::ResultsScope,
    pub kind: crate::domain::CaseKind,
    /// The time the kind gives to act (`domain::feedback::comment_case_due` dates it).
    pub deadline: crate::domain::clock::Deadline,
    /// Today and the council's calendar, which date the case's clock.
    pub today: chrono::NaiveDate,
    pub calendar: std::sync::Arc<crate::domain::clock::WorkingCalendar>,
    pub by: i64,
    pub by_role: crate::domain::Role,
}

/// Tenants' and partners' feedback, its links, and the Regulator's satisfaction data.
#[async_trait]
pub trait FeedbackStore: Send + Sync + 'static {
    /// Feedback responses since a date, for one area or all.
    async fn feedback_facts(
        &self,
        since: chrono::NaiveDate,
        scope: crate::domain::feedback::ResultsScope,
        audience: crate::domain::feedback::Audience,
    ) -> Result<Vec<crate::domain::feedback::ResponseFacts>, AppError>;
    /// The latest comments since a date within `scope`, narrowed by `filter` (words, area team,
    /// patch, officer).
    async fn feedback_comments(
        &self,
        since: chrono::NaiveDate,
        scope: crate::domain::feedback::ResultsScope,
        filter: &crate::domain::feedback::CommentFilter,
        limit: i64,
    ) -> Result<Vec<FeedbackComment>, AppError>;
    /// Deletes feedback responses (answers, comments, contact details) submitted before a date
    /// (the first day kept), the retention period's end; returns how many.
    async fn purge_feedback(&self, before: chrono::NaiveDate) -> Result<u64, AppError>;
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
