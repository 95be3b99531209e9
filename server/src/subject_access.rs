//! Subject access requests (UK GDPR Article 15): `/subject-access`, for administrators (the data
//! protection officer's work). Find the person by surname and date of birth, then export what
//! Hearth holds about them as a readable page to print or save, or as JSON
//! (`/subject-access/{member}?format=json`). Every search and export is audited with its reason,
//! and refused to anyone else (audited too). The rules are `app::domain::subject_access`; the
//! records are `store::subject_access`. Plain server-rendered HTML, like the public pages.

use std::collections::HashMap;
use std::fmt::Write;

use app::api::RequestMeta;
use app::api::kit::store::AuditEntry;
use app::domain::access::Principal;
use app::domain::subject_access::{check_reason, check_search, may_export, respond_by};
use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::feedback::public_page;
use crate::state::AppState;
use crate::store::subject_access::{self as store, Export};

type Form = Query<HashMap<String, String>>;

fn page(state: &AppState, title: &str, body: &str) -> String {
    public_page(state.languages.english(), title, "Subject access requests", body)
}

fn field<'a>(q: &'a HashMap<String, String>, k: &str) -> &'a str {
    q.get(k).map(String::as_str).unwrap_or_default()
}

/// The audit row for a search or an export, allowed or refused.
fn audit(who: &Principal, meta: &RequestMeta, action: &str, subject: Option<i64>, outcome: &str, reason: &str) -> AuditEntry {
    AuditEntry {
        user_id: Some(who.user_id),
        username: who.username.clone(),
        action: action.into(),
        subject_type: "household_member".into(),
        subject_id: subject,
        outcome: outcome.into(),
        reason: reason.into(),
        detail: String::new(),
        ip: meta.ip.clone(),
    }
}

/// Refuses anyone but an administrator, auditing the attempt.
async fn admitted(state: &AppState, who: &Principal, meta: &RequestMeta, action: &str, subject: Option<i64>) -> Result<(), Response> {
    if may_export(who.role) {
        return Ok(());
    }
    let _ = state.store.audit(audit(who, meta, action, subject, "denied:forbidden", "")).await;
    let body = r#"<h1 class="fb-h1">Not for your role</h1><p>Subject access requests are answered by the council's data protection officer, through an administrator's account.</p>"#;
    Err((StatusCode::FORBIDDEN, Html(page(state, "Not for your role", body))).into_response())
}

fn problem(state: &AppState, status: StatusCode, message: &str) -> Response {
    let body = format!(
        r#"<div class="error-summary" role="alert"><h2>There is a problem</h2><p>{}</p></div><p><a href="/subject-access">Back to subject access requests</a></p>"#,
        text(message)
    );
    (status, Html(page(state, "Error: subject access", &body))).into_response()
}

/// `GET /subject-access`: the search form and, when asked, the people it finds.
pub async fn search(State(state): State<AppState>, Extension(who): Extension<Principal>, Extension(meta): Extension<RequestMeta>, Query(q): Form) -> Response {
    if let Err(r) = admitted(&state, &who, &meta, "subject_access_search", None).await {
        return r;
    }
    let today = state.store.today();
    let (name, dob, reason, received) = (field(&q, "last_name"), field(&q, "date_of_birth"), field(&q, "reason"), field(&q, "received"));
    let asked = !name.is_empty() || !dob.is_empty();
    let mut errors = Vec::new();
    let mut found = None;
    if asked {
        match (check_search(name, dob, today), check_reason(reason)) {
            (Ok((name, dob)), Ok(reason)) => match store::matches(&state.db, &name, dob).await {
                Ok(m) => {
                    let _ = state.store.audit(audit(&who, &meta, "subject_access_search", None, "allowed", &reason)).await;
                    found = Some(m);
                }
                Err(_) => return problem(&state, StatusCode::INTERNAL_SERVER_ERROR, "The search could not be run: try again."),
            },
            (a, b) => errors.extend([a.err(), b.err()].into_iter().flatten()),
        }
    }
    let received_day = chrono::NaiveDate::parse_from_str(received, "%Y-%m-%d").unwrap_or(today);
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<h1 class="fb-h1">Subject access requests</h1><p>Anyone may ask for a copy of the personal data the council holds about them (UK GDPR Article 15). Find the person by their surname and date of birth, as the request gives them; then export what Hearth holds for the data protection officer to review before it is sent. Each search and export is recorded with its reason.</p>"#
    );
    if !errors.is_empty() {
        let _ = write!(o, r#"<div class="error-summary" role="alert"><h2>There is a problem</h2><ul>"#);
        for e in &errors {
            let _ = write!(o, "<li>{}</li>", text(e));
        }
        o.push_str("</ul></div>");
    }
    let _ = write!(
        o,
        r#"<form method="get" action="/subject-access" class="fb-form"><div class="fb-group"><label class="fb-label" for="last_name">Surname</label><input class="fb-input" id="last_name" name="last_name" autocomplete="off" value="{}"></div>
<div class="fb-group"><label class="fb-label" for="date_of_birth">Date of birth</label><input class="fb-input" id="date_of_birth" name="date_of_birth" type="date" value="{}"></div>
<div class="fb-group"><label class="fb-label" for="received">Request received on</label><input class="fb-input" id="received" name="received" type="date" value="{}"></div>
<div class="fb-group"><label class="fb-label" for="reason">Reason (the request's reference and who asked)</label><input class="fb-input" id="reason" name="reason" autocomplete="off" value="{}"></div>
<button class="fb-button" type="submit">Find the person</button></form>"#,
        attr(name),
        attr(dob),
        received_day,
        attr(reason)
    );
    if let Some(found) = found {
        let due = respond_by(received_day, app::domain::clock::WorkingCalendar::england_and_wales());
        let _ = write!(
            o,
            r#"<h2>People found</h2><p>Received on {received_day}: the answer is due by <strong data-testid="sar-due">{due}</strong> (one month, UK GDPR Article 12(3)).</p>"#
        );
        if found.is_empty() {
            o.push_str("<p>No one in Hearth has that surname and date of birth.</p>");
        } else {
            o.push_str(r#"<table class="data compact"><thead><tr><th scope="col">Name</th><th scope="col">Tenancy</th><th scope="col">Address</th><th scope="col">Household</th><th scope="col">Export</th></tr></thead><tbody>"#);
            for m in &found {
                let q = format!("?reason={}", percent_encoding::utf8_percent_encode(reason.trim(), percent_encoding::NON_ALPHANUMERIC));
                let _ = write!(
                    o,
                    r#"<tr><td>{}</td><td>{}</td><td>{}</td><td>joined {}{}</td><td><a href="/subject-access/{id}{q}">Readable page</a> · <a href="/subject-access/{id}{q}&amp;format=json">JSON</a></td></tr>"#,
                    text(&m.name),
                    text(&m.tenancy_reference),
                    text(&m.address),
                    text(&m.joined_on),
                    m.left_on.as_deref().map(|l| format!(", left {}", text(l))).unwrap_or_default(),
                    id = m.member_id,
                    q = attr(&q),
                );
            }
            o.push_str("</tbody></table>");
        }
    }
    Html(page(&state, "Subject access requests", &o)).into_response()
}

/// `GET /subject-access/{member}?reason=...[&format=json]`: the export, audited.
pub async fn export(
    State(state): State<AppState>,
    Extension(who): Extension<Principal>,
    Extension(meta): Extension<RequestMeta>,
    Path(member): Path<i64>,
    Query(q): Form,
) -> Response {
    if let Err(r) = admitted(&state, &who, &meta, "subject_access_export", Some(member)).await {
        return r;
    }
    let reason = match check_reason(field(&q, "reason")) {
        Ok(r) => r,
        Err(e) => return problem(&state, StatusCode::BAD_REQUEST, &e),
    };
    let found = match store::export(&state.db, member).await {
        Ok(Some(e)) => e,
        Ok(None) => return problem(&state, StatusCode::NOT_FOUND, "No such person in Hearth: search again."),
        Err(_) => return problem(&state, StatusCode::INTERNAL_SERVER_ERROR, "The export could not be made: try again."),
    };
    if state.store.audit(audit(&who, &meta, "subject_access_export", Some(member), "allowed", &reason)).await.is_err() {
        return problem(&state, StatusCode::INTERNAL_SERVER_ERROR, "The export could not be recorded, so it was not made: try again.");
    }
    if field(&q, "format") == "json" {
        let file = format!("attachment; filename=\"subject-access-{member}.json\"");
        let body = serde_json::to_string_pretty(&found).unwrap_or_default();
        return (
            [(header::CONTENT_TYPE, "application/json".to_string()), (header::CONTENT_DISPOSITION, file), (header::CACHE_CONTROL, "no-store".into())],
            body,
        )
            .into_response();
    }
    ([(header::CACHE_CONTROL, "no-store")], Html(page(&state, &format!("Subject access: {}", found.name), &render(&found, &who, &state)))).into_response()
}

fn render(e: &Export, who: &Principal, state: &AppState) -> String {
    let mut o = String::new();
    let _ = write!(
        o,
        r#"<h1 class="fb-h1" data-testid="sar-heading">Personal data held about {}</h1><p>Date of birth {}. Made from Hearth on {} by {} for {}'s data protection officer, to review before it is sent: take out what is about other people, and anything an exemption allows to be withheld.</p>"#,
        text(&e.name),
        text(&e.date_of_birth),
        state.store.today(),
        text(&who.display_name),
        text(&state.languages.english().council.name),
    );
    for s in &e.sections {
        let _ = write!(o, r#"<section class="sar-section"><h2>{} ({})</h2><p class="fb-hint">{}</p>"#, text(s.title), s.rows.len(), text(&s.note));
        if s.rows.is_empty() {
            o.push_str("<p>None.</p></section>");
            continue;
        }
        o.push_str(r#"<div class="table-wrap"><table class="data compact"><thead><tr>"#);
        for c in &s.columns {
            let _ = write!(o, r#"<th scope="col">{}</th>"#, text(c));
        }
        o.push_str("</tr></thead><tbody>");
        for r in &s.rows {
            o.push_str("<tr>");
            for c in r {
                let _ = write!(o, "<td>{}</td>", text(c));
            }
            o.push_str("</tr>");
        }
        o.push_str("</tbody></table></div></section>");
    }
    o
}
