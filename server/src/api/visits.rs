//! Visits' JSON routes: an officer's report of a visit to a tenancy's home.

use app::api::visits::service as svc;
use app::model::*;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Deserialize;

use super::{Caller, ErrorBody, JsonIn, PathIn, QueryIn, error_response, reply};

/// Records a visit: what it was for, when, what happened at the door and what was found. Each
/// finding starts its follow-up's clock (safeguarding the same working day; enforcement and fire
/// risk 24 hours; disrepair and downsizing referrals 2 working days; a follow-up visit booked within
/// 3). The same `client_key` sent again records nothing new and answers with the first visit
/// (`replayed: true`), so a phone may resend safely.
#[utoipa::path(post, path = "/api/v1/tenancies/{reference}/visits", tag = "visits", request_body = VisitRequest,
    params(("reference" = String, Path, description = "Tenancy reference")), security(("bearer" = [])),
    responses((status = 200, body = RecordedVisit), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn record_visit(c: Caller, PathIn(reference): PathIn<String>, JsonIn(r): JsonIn<VisitRequest>) -> Response {
    reply(svc::record_visit(c.store(), &c.who, &reference, r, &c.meta.ip).await)
}

/// Closes a visit finding's follow-up with what was done about it (a referral made, a repair
/// raised, a follow-up visit booked). One already closed is 409.
#[utoipa::path(post, path = "/api/v1/follow-ups/{id}/done", tag = "visits", request_body = FollowUpDone,
    params(("id" = i64, Path, description = "The follow-up (a visit finding)")), security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn follow_up_done(c: Caller, PathIn(id): PathIn<i64>, JsonIn(d): JsonIn<FollowUpDone>) -> Response {
    match svc::follow_up_done(c.store(), &c.who, id, d, &c.meta.ip).await {
        Ok(()) => axum::http::StatusCode::NO_CONTENT.into_response(),
        Err(e) => super::errors::app_error(e),
    }
}

/// The Team Leader's visiting figures for their area: per officer (and the team), visits completed
/// this week (from Monday) and this month, unanswered visits this month, follow-ups open and overdue,
/// and follow-ups closed this month and how many within their clock.
#[utoipa::path(get, path = "/api/v1/visits/measures", tag = "visits", security(("bearer" = [])),
    responses((status = 200, body = Vec<app::domain::visits::OfficerVisiting>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn visit_measures(c: Caller) -> Response {
    reply(svc::team_visiting(c.store(), &c.who).await)
}

#[derive(Deserialize, utoipa::IntoParams)]
pub struct DayQuery {
    /// The day (`YYYY-MM-DD`); today by default.
    pub on: Option<chrono::NaiveDate>,
}

/// The caller's day: the visits planned for them (and for colleagues they cover today) in walking
/// order over the homes' coordinates, with what to check at each door (household as recorded,
/// alerts, rent balance, open cases, the last visit's findings), the walk's length, and their open
/// follow-ups with clocks, most urgent first.
#[utoipa::path(get, path = "/api/v1/my-day", tag = "visits", params(DayQuery), security(("bearer" = [])),
    responses((status = 200, body = MyDay), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn my_day(c: Caller, q: Result<QueryIn<DayQuery>, Response>) -> Response {
    let Ok(QueryIn(q)) = q else { return error_response(StatusCode::BAD_REQUEST, "invalid", "Give the day as ?on=YYYY-MM-DD, or nothing for today.") };
    reply(svc::my_day(c.store(), &c.who, q.on).await)
}

/// The visiting programme's coverage: per patch and in total, homes visited in the cycle, due,
/// never visited, with no one at the door for two years, and planned. A Team Leader's area; an
/// officer's own tenancies.
#[utoipa::path(get, path = "/api/v1/programme", tag = "visits", security(("bearer" = [])),
    responses((status = 200, body = ProgrammeView), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn programme(c: Caller) -> Response {
    reply(svc::programme(c.store(), &c.who).await)
}

/// Plans the Team Leader's area's next 1 to 13 weeks of home checks: never-visited homes first,
/// then those with no one at the door for two years, then those due in the cycle; each working
/// day `per_day` visits an officer, an absent officer's homes going to their cover. `assign: false`
/// previews; `assign: true` books every visit or, if some home was planned meanwhile, none (409).
#[utoipa::path(post, path = "/api/v1/programme/plan", tag = "visits", request_body = PlanRequest, security(("bearer" = [])),
    responses((status = 200, body = PlanView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn plan(c: Caller, JsonIn(ask): JsonIn<PlanRequest>) -> Response {
    reply(svc::plan_visits(c.store(), &c.who, ask, &c.meta.ip).await)
}

/// The same figures as CSV, one row per officer and the team's last, for the council's own reports.
#[utoipa::path(get, path = "/api/v1/visits/measures.csv", tag = "visits", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn visit_measures_csv(c: Caller) -> Response {
    let rows = match svc::team_visiting(c.store(), &c.who).await {
        Ok(r) => r,
        Err(e) => return super::errors::app_error(e),
    };
    let mut w = csv::Writer::from_writer(vec![]);
    let _ = w.write_record([
        "officer",
        "completed_this_week",
        "weekly_target",
        "completed_this_month",
        "monthly_target",
        "no_access_this_month",
        "follow_ups_open",
        "follow_ups_overdue",
        "closed_this_month",
        "closed_on_time_this_month",
    ]);
    for r in &rows {
        let target = |t: u32| if r.total { t.to_string() } else { String::new() };
        let _ = w.write_record([
            r.officer.clone(),
            r.completed_week.to_string(),
            target(app::domain::visits::WEEKLY_TARGET),
            r.completed_month.to_string(),
            target(app::domain::visits::MONTHLY_TARGET),
            r.no_access_month.to_string(),
            r.follow_ups_open.to_string(),
            r.follow_ups_overdue.to_string(),
            r.closed_month.to_string(),
            r.closed_on_time_month.to_string(),
        ]);
    }
    super::csv_attachment("hearth-visiting.csv", w.into_inner().unwrap_or_default())
}

/// A photo upload's fields, for the OpenAPI document.
#[derive(utoipa::ToSchema)]
#[allow(dead_code)]
pub struct PhotoUpload {
    /// The photo: a JPEG or PNG of up to 10 MB.
    #[schema(value_type = String, format = Binary)]
    photo: Vec<u8>,
    /// The finding it shows (one of the visit's), or empty for the visit as a whole.
    finding: Option<String>,
    /// Present to keep where the photo was taken; otherwise its location is removed.
    keep_location: Option<String>,
}

/// Adds a photo to a visit that was made: a JPEG or PNG up to 10 MB, six a visit, showing one of
/// the visit's findings or the visit as a whole. Where it was taken (EXIF GPS, XMP, IPTC, PNG text)
/// is removed unless `keep_location` is sent. A browser's form post (it accepts HTML) is sent back
/// to the page it came from, with the result in the address.
#[utoipa::path(post, path = "/api/v1/visits/{id}/photos", tag = "visits", request_body(content = PhotoUpload, content_type = "multipart/form-data"),
    params(("id" = i64, Path, description = "The visit")), security(("bearer" = [])),
    responses((status = 201, body = PhotoView), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody)))]
pub async fn add_photo(
    c: Caller,
    headers: axum::http::HeaderMap,
    PathIn(id): PathIn<i64>,
    form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>,
) -> Response {
    let from_page = headers.get(axum::http::header::ACCEPT).and_then(|a| a.to_str().ok()).is_some_and(|a| a.contains("text/html"));
    let result = match read_photo(form).await {
        Ok(p) => svc::add_photo(c.store(), &c.who, id, p, &c.meta.ip).await,
        Err(e) => Err(e),
    };
    if from_page {
        // Back to the page the form was on, saying what happened (same-origin: the CSRF guard saw to it).
        let back = headers
            .get(axum::http::header::REFERER)
            .and_then(|r| r.to_str().ok())
            .and_then(|r| r.split_once("://").map(|(_, rest)| rest))
            .and_then(|rest| rest.find('/').map(|i| rest[i..].to_string()))
            .unwrap_or_else(|| "/".into());
        let path = back.split(['?', '#']).next().unwrap_or("/").to_string();
        let to = match &result {
            Ok(p) => format!("{path}?photo=added#visit-{}", p.visit_id),
            Err(e) => format!("{path}?photo_error={}#visit-{id}", app::pages::tenancy::urlencode(&e.to_string())),
        };
        return axum::response::Redirect::to(&to).into_response();
    }
    match result {
        Ok(p) => (StatusCode::CREATED, axum::Json(p)).into_response(),
        Err(e) => super::errors::app_error(e),
    }
}

async fn read_photo(form: Result<axum::extract::Multipart, axum::extract::multipart::MultipartRejection>) -> Result<PhotoIn, app::error::AppError> {
    use app::error::AppError;
    let bad = |e: String| AppError::Invalid(format!("The upload could not be read ({e}): choose the photo again, no larger than 10 MB."));
    let mut form = form.map_err(|e| bad(e.body_text()))?;
    let mut p = PhotoIn { finding: None, keep_location: false, content: vec![] };
    while let Some(field) = form.next_field().await.map_err(|e| bad(e.body_text()))? {
        match field.name().unwrap_or_default() {
            "photo" => p.content = field.bytes().await.map_err(|e| bad(e.body_text()))?.to_vec(),
            "finding" => {
                let text = field.text().await.map_err(|e| bad(e.body_text()))?;
                p.finding = match text.trim() {
                    "" => None,
                    code => Some(app::domain::FindingKind::parse(code).ok_or_else(|| AppError::Invalid(format!("{code:?} is not a finding.")))?),
                };
            }
            "keep_location" => p.keep_location = !field.text().await.map_err(|e| bad(e.body_text()))?.trim().is_empty(),
            _ => {}
        }
    }
    Ok(p)
}

/// A photo taken at a visit, for whoever may see the tenancy (a safeguarding finding's only for
/// those with need to know; every look at one is audited). Never cached.
#[utoipa::path(get, path = "/api/v1/photos/{id}", tag = "visits", params(("id" = i64, Path, description = "The photo")), security(("bearer" = [])),
    responses((status = 200, description = "The photo (image/jpeg or image/png)", content_type = "image/jpeg", body = Vec<u8>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn photo(c: Caller, PathIn(id): PathIn<i64>) -> Response {
    match svc::photo(c.store(), &c.who, id, &c.meta.ip).await {
        Ok(p) => (
            [
                (axum::http::header::CONTENT_TYPE, p.content_type),
                (axum::http::header::CACHE_CONTROL, "private, no-store".to_string()),
                (axum::http::header::CONTENT_DISPOSITION, format!("inline; filename=\"visit-{}-photo-{}\"", p.visit_id, p.id)),
            ],
            p.data,
        )
            .into_response(),
        Err(e) => super::errors::app_error(e),
    }
}

/// The Team Leader's area month by month for the last twelve months: visits completed (against 350
/// a month) and unanswered, disrepair, safeguarding and unauthorised alterations found, alterations
/// put right, follow-ups closed and how many within their clock, and referrals sent to financial
/// inclusion.
#[utoipa::path(get, path = "/api/v1/visits/months", tag = "visits", security(("bearer" = [])),
    responses((status = 200, body = Vec<app::domain::visits::MonthVisiting>), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn visit_months(c: Caller) -> Response {
    reply(svc::team_months(c.store(), &c.who).await)
}

/// The same months as CSV.
#[utoipa::path(get, path = "/api/v1/visits/months.csv", tag = "visits", security(("bearer" = [])),
    responses((status = 200, content_type = "text/csv", body = String), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody)))]
pub async fn visit_months_csv(c: Caller) -> Response {
    let rows = match svc::team_months(c.store(), &c.who).await {
        Ok(r) => r,
        Err(e) => return super::errors::app_error(e),
    };
    let mut w = csv::Writer::from_writer(vec![]);
    let _ = w.write_record([
        "month",
        "completed",
        "monthly_target",
        "no_access",
        "disrepair_found",
        "safeguarding_found",
        "alterations_found",
        "alterations_put_right",
        "follow_ups_closed",
        "follow_ups_closed_on_time",
        "financial_inclusion_referrals",
    ]);
    for r in &rows {
        let _ = w.write_record([
            r.month.format("%Y-%m").to_string(),
            r.completed.to_string(),
            app::domain::visits::MONTHLY_TARGET.to_string(),
            r.no_access.to_string(),
            r.disrepair.to_string(),
            r.safeguarding.to_string(),
            r.alterations.to_string(),
            r.alterations_put_right.to_string(),
            r.follow_ups_closed.to_string(),
            r.follow_ups_on_time.to_string(),
            r.financial_referrals.to_string(),
        ]);
    }
    super::csv_attachment("hearth-visiting-months.csv", w.into_inner().unwrap_or_default())
}
