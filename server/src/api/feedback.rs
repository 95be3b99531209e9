//! Feedback results (JSON and CSV), feedback links, cases from comments and the TSM benchmark.
//! The public feedback forms themselves are `crate::feedback`.

use app::api::RequestMeta;
use app::api::feedback::service as svc;
use app::error::AppError;
use app::model::*;
use axum::Extension;
use axum::Json;
use axum::extract::State;
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};

use super::{Caller, ErrorBody, JsonIn, PathIn, QueryIn, SignedIn, TextIn, app_error, reply};
use crate::state::AppState;

/// The Regulator's reporting year, as `2023-24`.
#[derive(Deserialize, utoipa::IntoParams)]
pub struct YearQuery {
    /// Reporting year, `YYYY-YY` (for example `2023-24` for April 2023 to March 2024).
    pub year: String,
}

fn check_year(y: &str) -> Result<(), AppError> {
    let ok = y.len() == 7
        && y.as_bytes()[4] == b'-'
        && matches!((y[..4].parse::<u32>(), y[5..].parse::<u32>()), (Ok(a), Ok(b)) if (a + 1) % 100 == b && (2000..2100).contains(&a));
    if ok { Ok(()) } else { Err(AppError::Invalid(format!("The year must look like 2023-24 (April 2023 to March 2024), not {y:?}."))) }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportReport {
    pub year: String,
    pub landlords: usize,
    pub figures: usize,
    /// Rows that could not be read, by their line in the file; the rest were imported.
    pub problems: Vec<ImportProblem>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct ImportProblem {
    pub line: u64,
    pub message: String,
}

/// Import the Regulator's TSM perception dataset for a year (administrators). The body is the
/// perception sheet as CSV; columns are matched by their (TPxx) code, so any year's layout reads.
/// Replaces that year's data. Rows that cannot be read are reported by line; the rest land.
#[utoipa::path(post, path = "/api/v1/benchmarks/tsm", tag = "feedback", params(YearQuery), request_body(content = String, content_type = "text/csv"), security(("bearer" = [])),
    responses((status = 200, body = ImportReport), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn import_tsm(State(state): State<AppState>, SignedIn(who): SignedIn, QueryIn(q): QueryIn<YearQuery>, TextIn(body): TextIn) -> Response {
    if who.role != app::domain::Role::Admin {
        return app_error(AppError::Forbidden("Only administrators import the Regulator's data.".into()));
    }
    if let Err(e) = check_year(&q.year) {
        return app_error(e);
    }
    let import = match app::domain::tsm::import_csv(&body) {
        Ok(i) => i,
        Err(e) => return app_error(AppError::Invalid(format!("This is not a TSM perception sheet: {e}."))),
    };
    match crate::store::feedback::import_tsm(&state.db, &q.year, &import, who.user_id, &crate::store::now_rfc3339()).await {
        Ok(figures) => Json(ImportReport {
            year: q.year,
            landlords: import.landlords.len(),
            figures,
            problems: import.problems.into_iter().map(|p| ImportProblem { line: p.line, message: p.message }).collect(),
        })
        .into_response(),
        Err(e) => app_error(e),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BenchmarkLandlord {
    /// The Regulator's registration code.
    pub code: String,
    pub name: String,
    /// `LA` (council) or `PRP` (housing association).
    pub landlord_type: String,
    pub measures: Vec<BenchmarkMeasure>,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct BenchmarkMeasure {
    /// TP01 … TP12.
    pub measure: String,
    /// Recomputed from the response counts: satisfied × 100 / base, half-up to one decimal place.
    pub percent: Option<f64>,
    /// Substantive answers (weighted counts keep their decimals).
    pub base: f64,
}

/// A year's TSM perception results per landlord and measure, recomputed from the counts.
#[utoipa::path(get, path = "/api/v1/benchmarks/tsm", tag = "feedback", params(YearQuery), security(("bearer" = [])),
    responses((status = 200, body = [BenchmarkLandlord]), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get_tsm(State(state): State<AppState>, SignedIn(_who): SignedIn, QueryIn(q): QueryIn<YearQuery>) -> Response {
    if let Err(e) = check_year(&q.year) {
        return app_error(e);
    }
    match crate::store::feedback::benchmark(&state.db, &q.year).await {
        Ok(v) if v.is_empty() => app_error(AppError::NotFound(format!("No TSM data has been imported for {}.", q.year))),
        Ok(v) => Json(
            v.into_iter()
                .map(|l| BenchmarkLandlord {
                    code: l.code,
                    name: l.name,
                    landlord_type: l.landlord_type,
                    measures: l
                        .measures
                        .into_iter()
                        .map(|m| BenchmarkMeasure { measure: m.measure, percent: m.percent.map(|p| p.as_f64()), base: m.answers.base().0 as f64 / 1_000_000.0 })
                        .collect(),
                })
                .collect::<Vec<_>>(),
        )
        .into_response(),
        Err(e) => app_error(e),
    }
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct ResultsQuery {
    /// all, role, area, patch, officer or month.
    pub by: Option<String>,
    /// How many months back (1–36, default 12).
    pub months: Option<i64>,
    /// Comments containing these words.
    pub q: Option<String>,
    /// Comments about this area team, patch or officer (ids; 0 or absent: any).
    pub area: Option<i64>,
    pub patch: Option<i64>,
    pub officer: Option<i64>,
}

impl ResultsQuery {
    fn comment_filter(&self) -> app::domain::feedback::CommentFilter {
        app::domain::feedback::CommentFilter::new(self.q.as_deref().unwrap_or(""), self.area, self.patch, self.officer)
    }
}

/// Satisfaction figures from Hearth's own feedback, grouped, with comments and the peer benchmark.
#[utoipa::path(get, path = "/api/v1/feedback/results", tag = "feedback", params(ResultsQuery), security(("bearer" = [])),
    responses((status = 200, body = FeedbackResults), (status = 403, body = ErrorBody)))]
pub async fn feedback_results(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    QueryIn(q): QueryIn<ResultsQuery>,
) -> Response {
    reply(
        svc::results(&*state.store, &state.service_settings, &who, q.by.as_deref().unwrap_or("area"), q.months.unwrap_or(12), &q.comment_filter(), &meta).await,
    )
}

/// The same figures as CSV: one row per group and measure.
#[utoipa::path(get, path = "/api/v1/feedback/results.csv", tag = "feedback", params(ResultsQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 403, body = ErrorBody)))]
pub async fn feedback_results_csv(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    QueryIn(q): QueryIn<ResultsQuery>,
) -> Response {
    let r =
        match svc::results(&*state.store, &state.service_settings, &who, q.by.as_deref().unwrap_or("area"), q.months.unwrap_or(12), &q.comment_filter(), &meta)
            .await
        {
            Ok(r) => r,
            Err(e) => return app_error(e),
        };
    let mut w = csv::Writer::from_writer(vec![]);
    let _ = w.write_record(["group_by", "group", "responses", "measure", "satisfied_percent", "satisfied", "base", "dont_know"]);
    for g in &r.groups {
        for f in &g.figures {
            let _ = w.write_record([
                r.by.as_str().to_string(),
                g.group.clone(),
                g.responses.to_string(),
                f.measure.clone(),
                f.percent.map(|p| p.display()).unwrap_or_default(),
                f.satisfied.to_string(),
                f.base.to_string(),
                f.dont_know.to_string(),
            ]);
        }
    }
    let body = w.into_inner().unwrap_or_default();
    super::csv_attachment("hearth-satisfaction.csv", body)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct NewFeedbackLink {
    /// officer (0: yourself), patch, visit or partner (an agency's id; administrators).
    pub scope_type: String,
    pub scope_id: i64,
    /// Optional; a label is made from what the link is for.
    #[serde(default)]
    pub label: String,
}

/// Make a feedback link with its absolute address and QR code: officers for themselves, Team
/// Leaders for their area's patches, officers and visits, administrators for partner agencies.
#[utoipa::path(post, path = "/api/v1/feedback/links", tag = "feedback", request_body = NewFeedbackLink, security(("bearer" = [])),
    responses((status = 200, body = FeedbackLinkView), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn create_feedback_link(
    State(state): State<AppState>,
    SignedIn(who): SignedIn,
    Extension(meta): Extension<RequestMeta>,
    JsonIn(l): JsonIn<NewFeedbackLink>,
) -> Response {
    reply(svc::create_link(&*state.store, &state.service_settings, &who, &l.scope_type, l.scope_id, &l.label, &meta).await)
}

#[derive(Deserialize, utoipa::ToSchema)]
pub struct CommentCaseRequest {
    /// complaint, safeguarding, asb, disrepair or vulnerability.
    pub kind: String,
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct CaseOpened {
    pub reference: String,
}

/// Turn a tenant's comment into a case in one step (the officer it is about, or their Team Leader).
#[utoipa::path(post, path = "/api/v1/feedback/responses/{id}/case", tag = "feedback", params(("id" = i64, Path)), request_body = CommentCaseRequest, security(("bearer" = [])),
    responses((status = 200, body = CaseOpened), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn case_from_comment(c: Caller, PathIn(id): PathIn<i64>, JsonIn(r): JsonIn<CommentCaseRequest>) -> Response {
    reply(svc::case_from_comment(c.store(), &c.who, id, &r.kind, &c.meta.ip).await.map(|reference| CaseOpened { reference }))
}
