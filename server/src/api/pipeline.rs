//! The pipeline's JSON routes: downsizing and investigations, and the year's figures.

use app::api::pipeline::service as svc;
use app::model::*;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::{Caller, ErrorBody, JsonIn, PathIn, reply};

/// The year's figures (from 1 April) against the programme's targets (homes recovered from fraud,
/// subletting or abandonment, with the saving counted for each; downsizing moves), month by month,
/// what is open by stage, and the open entries, longest at their stage first. A Team Leader's
/// area; an officer's own tenancies.
#[utoipa::path(get, path = "/api/v1/pipeline", tag = "pipeline", security(("bearer" = [])),
    responses((status = 200, body = PipelineView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn pipeline(c: Caller) -> Response {
    reply(svc::pipeline(c.store(), &c.who).await)
}

/// Starts downsizing (at "interest") or an investigation of fraud, subletting or abandonment (at
/// "investigating") for a tenancy, with a note of what was said or seen. One of the kind already
/// open is 409.
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/pipeline", tag = "pipeline", request_body = PipelineStart,
    params(("reference" = String, Path, description = "Tenancy reference")), security(("bearer" = [])),
    responses((status = 201, body = PipelineEntryView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn start(c: Caller, PathIn(reference): PathIn<String>, JsonIn(r): JsonIn<PipelineStart>) -> Response {
    match svc::start(c.store(), &c.who, &reference, r, &c.meta.ip).await {
        Ok(e) => (StatusCode::CREATED, axum::Json(e)).into_response(),
        Err(e) => super::errors::app_error(e),
    }
}

/// Moves an entry one permitted step (downsizing: options, referred, moved, or withdrawn at any
/// point; an investigation: recovered, regularised or no fraud), with a note. A stage that does
/// not follow is 400; a move made since the caller's `version` is 409.
#[utoipa::path(post, path = "/api/v1/pipeline/{id}/stage", tag = "pipeline", request_body = PipelineMove,
    params(("id" = i64, Path, description = "The entry")), security(("bearer" = [])),
    responses((status = 200, body = PipelineEntryView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn move_on(c: Caller, PathIn(id): PathIn<i64>, JsonIn(m): JsonIn<PipelineMove>) -> Response {
    reply(svc::move_on(c.store(), &c.who, id, m, &c.meta.ip).await)
}

/// The year's figures month by month as CSV, for the council's own reports.
#[utoipa::path(get, path = "/api/v1/pipeline.csv", tag = "pipeline", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn pipeline_csv(c: Caller) -> Response {
    let view = match svc::pipeline(c.store(), &c.who).await {
        Ok(v) => v,
        Err(e) => return super::errors::app_error(e),
    };
    let f = &view.figures;
    let mut w = csv::Writer::from_writer(vec![]);
    let _ = w.write_record(["month", "opened", "homes_recovered", "saving_pounds", "downsizing_moves"]);
    for m in &f.months {
        let saving = u64::from(m.recovered) * u64::from(f.targets.saving_pounds);
        let _ = w.write_record([m.month.format("%Y-%m").to_string(), m.opened.to_string(), m.recovered.to_string(), saving.to_string(), m.moved.to_string()]);
    }
    let _ = w.write_record([format!("year from {}", f.year_from), String::new(), f.recovered.to_string(), (f.saving.0 / 100).to_string(), f.moved.to_string()]);
    let _ = w.write_record(["target".to_string(), String::new(), f.targets.recovered.to_string(), String::new(), f.targets.moved.to_string()]);
    super::csv_attachment("hearth-pipeline.csv", w.into_inner().unwrap_or_default())
}
