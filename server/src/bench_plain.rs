//! The worklist benchmark's baseline: a plain Axum handler that runs the same service call as
//! the *My work* page (`service::my_work`, so the same queries) and writes the same rows as
//! HTML with `write!`, no framework. Served only when `HEARTH_BENCH_ROUTES=1`, behind the same
//! sessions and sign-in middleware as the page, so `bench/worklist.mjs` compares like with like.
use std::fmt::Write;

use app::domain::access::Principal;
use app::domain::clock::{ClockStatus, format_london};
use app::domain::desk::Section;
use app::model::{MyWork, date_part};
use axum::Extension;
use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::state::AppState;

pub async fn my_work(State(state): State<AppState>, who: Option<Extension<Principal>>) -> Response {
    let Some(Extension(who)) = who else {
        return axum::http::StatusCode::UNAUTHORIZED.into_response();
    };
    match app::api::desk::service::my_work(&*state.store, &who, false).await {
        Ok(w) => Html(render(&w)).into_response(),
        Err(e) => (axum::http::StatusCode::from_u16(e.status()).unwrap_or(axum::http::StatusCode::BAD_REQUEST), e.to_string()).into_response(),
    }
}

fn badge(out: &mut String, clock: Option<ClockStatus>) {
    if let Some(s) = clock {
        let _ = write!(out, r#"<span class="badge {}">{}</span>"#, s.css_class(), s.label());
    }
}

/// The page body: the same sections, rows and cells as `pages::my_work`.
pub fn render(w: &MyWork) -> String {
    let mut o = String::with_capacity(64 * 1024);
    o.push_str(r#"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>My work</title></head><body><main>"#);
    let _ = write!(o, "<h1>My work</h1><p class=\"lede\">{}, {}", text(&w.user.display_name), w.user.role.label());
    if let Some(a) = &w.user.area_team {
        let _ = write!(o, ", {} team", text(a));
    }
    o.push_str("</p>");
    if !w.alarms.is_empty() {
        o.push_str(r#"<div class="alarms" role="alert" data-testid="alarms">"#);
        for a in &w.alarms {
            let _ = write!(o, r#"<p class="alarm {}"><a href="{}">{}</a></p>"#, a.level.css_class(), attr(&a.href), text(&a.text));
        }
        o.push_str("</div>");
    }
    o.push_str(r#"<ul class="counts" data-testid="counts">"#);
    for c in &w.counts {
        let _ = write!(o, r#"<li><span class="count">{}</span><span class="count-label">{}</span></li>"#, c.count, text(&c.label));
    }
    o.push_str("</ul>");
    if !w.covers.is_empty() {
        o.push_str(r#"<div class="notice" data-testid="my-covers">"#);
        for n in w.covers.iter().filter_map(|c| c.notice_for(&w.user.display_name)) {
            let _ = write!(o, "<p>{}</p>", text(&n));
        }
        o.push_str("</div>");
    }
    waiting(&mut o, w);
    referrals(&mut o, w);
    if w.desk.sections.contains(&Section::FollowUps) {
        hazards(&mut o, w);
        follow_ups(&mut o, w);
    }
    if w.desk.sections.contains(&Section::Cases) {
        cases(&mut o, w);
    }
    if w.desk.sections.contains(&Section::Tenancies) {
        tenancies(&mut o, w);
    }
    o.push_str("</main></body></html>");
    o
}

/// Items waiting for the user (or their team's queue), with their clocks.
fn waiting(o: &mut String, w: &MyWork) {
    if w.waiting.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<section aria-labelledby="waiting-h"><h2 id="waiting-h">{} ({})</h2><div class="table-wrap"><table class="data" data-testid="waiting"><thead><tr><th scope="col">Tenancy or case</th><th scope="col">What</th><th scope="col">From</th><th scope="col">Due</th></tr></thead><tbody>"#,
        text(w.desk.queue_heading.as_deref().unwrap_or("Waiting for you")),
        w.waiting.len()
    );
    for i in &w.waiting {
        let (what, note) = i.waiting_summary();
        let _ = write!(
            o,
            r#"<tr><td><a href="{}">{}</a><div class="muted small">{}</div></td><td><strong>{}</strong><div class="muted small">{}</div></td><td>{}</td><td>{} "#,
            attr(&i.subject_href()),
            text(&i.address),
            text(&i.subject_reference),
            text(&what),
            text(&note),
            text(&i.waiting_from()),
            i.due_on.as_deref().map(date_part).unwrap_or_default()
        );
        badge(o, i.clock);
        o.push_str("</td></tr>");
    }
    o.push_str("</tbody></table></div></section>");
}

/// Referrals needing the officer, with their answer clocks.
fn referrals(o: &mut String, w: &MyWork) {
    if w.referrals.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<section aria-labelledby="refs-h" data-testid="my-referrals"><h2 id="refs-h">Referrals needing you ({})</h2><div class="table-wrap"><table class="data" data-testid="referral-table"><thead><tr><th scope="col">Referral</th><th scope="col">Home</th><th scope="col">Agency</th><th scope="col">Category</th><th scope="col">State</th><th scope="col">Answer due</th></tr></thead><tbody>"#,
        w.referrals.len()
    );
    for r in &w.referrals {
        let _ = write!(o, r#"<tr><td><a href="/referrals/{}">{}</a>"#, attr(&r.reference), text(&r.reference));
        if r.reply_waiting {
            o.push_str(r#" <span class="tag reply" data-testid="reply-waiting">Reply waiting</span>"#);
        }
        let _ = write!(o, "</td><td>{}</td><td>{}</td><td>{}", text(&r.about), text(&r.agency), r.category.label());
        if r.restricted {
            o.push_str(r#" <span class="tag restricted">Restricted</span>"#);
        }
        let due = r.due_at.filter(|_| r.status == app::domain::ReferralStatus::Sent).map(app::model::day_of).unwrap_or_else(|| "—".into());
        let _ = write!(
            o,
            r#"<div class="muted small">{}</div></td><td><span class="tag status-{}">{}</span></td><td>{} "#,
            r.urgency.label(),
            r.status.as_str(),
            r.status.label(),
            due
        );
        badge(o, r.clock);
        o.push_str("</td></tr>");
    }
    o.push_str("</tbody></table></div></section>");
}

/// Damp and mould hazards on the officer's homes, by their next clock.
fn hazards(o: &mut String, w: &MyWork) {
    if w.hazards.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<section aria-labelledby="hazards-h" data-testid="my-hazards"><h2 id="hazards-h">Damp and mould: Awaab's Law ({})</h2><div class="table-wrap"><table class="data cards" data-testid="hazards"><thead><tr><th scope="col">Home</th><th scope="col">Reported</th><th scope="col">Next</th><th scope="col">Due</th></tr></thead><tbody>"#,
        w.hazards.len()
    );
    for h in &w.hazards {
        let _ = write!(
            o,
            r#"<tr><td data-label="Home"><a href="/tenancies/{}#hazards">{}</a></td><td data-label="Reported">{}<div class="small">{}</div></td><td data-label="Next">"#,
            attr(&h.tenancy_reference),
            text(&h.address),
            format_london(h.aware_at),
            text(&h.detail)
        );
        let due = h.due();
        if let Some(r) = due {
            let _ = write!(o, r#"<strong>{}</strong><div class="muted small">{}</div>"#, r.step.label(), text(&r.within));
        }
        o.push_str(r#"</td><td data-label="Due">"#);
        if let Some(r) = due {
            let _ = write!(o, "{} ", format_london(r.due_at));
            badge(o, r.clock);
        }
        o.push_str("</td></tr>");
    }
    o.push_str("</tbody></table></div></section>");
}

/// What visits found and must be followed up, with their clocks and the form that closes each.
fn follow_ups(o: &mut String, w: &MyWork) {
    if w.follow_ups.is_empty() {
        return;
    }
    let _ = write!(
        o,
        r#"<section aria-labelledby="follow-h" data-testid="follow-ups"><h2 id="follow-h">Follow-ups from visits ({})</h2><div class="table-wrap"><table class="data cards"><thead><tr><th scope="col">Found</th><th scope="col">Home</th><th scope="col">Due</th><th scope="col">Done</th></tr></thead><tbody>"#,
        w.follow_ups.len()
    );
    for f in &w.follow_ups {
        let _ = write!(
            o,
            r#"<tr><td data-label="Found"><strong>{}</strong><div class="small">{}</div><div class="muted small">Visit on {}</div></td><td data-label="Home"><a href="/tenancies/{}">{}</a></td><td data-label="Due">{} "#,
            f.kind.label(),
            text(&f.detail),
            f.visited_on,
            attr(&f.tenancy_reference),
            text(&f.address),
            format_london(f.due_at)
        );
        badge(o, Some(f.clock));
        let _ = write!(
            o,
            r#"</td><td data-label="Done"><form method="post" action="/fn/close_follow_up" class="inline"><input type="hidden" name="id" value="{id}"/><input id="done-{id}" type="text" name="note" required minlength="3" maxlength="2000" placeholder="What was done"/><button type="submit" class="button secondary">Close</button></form></td></tr>"#,
            id = f.id
        );
    }
    o.push_str("</tbody></table></div></section>");
}

fn cases(o: &mut String, w: &MyWork) {
    o.push_str(r#"<section aria-labelledby="cases-h"><h2 id="cases-h">Open cases</h2>"#);
    if w.cases.is_empty() {
        o.push_str(r#"<p class="muted">No open cases.</p>"#);
    } else {
        o.push_str(r#"<div class="table-wrap"><table class="data"><thead><tr><th scope="col">Case</th><th scope="col">Kind</th><th scope="col">Address</th><th scope="col">Due</th><th scope="col">Clock</th></tr></thead><tbody>"#);
        for c in &w.cases {
            let _ = write!(
                o,
                r#"<tr><td><a href="/cases/{}">{}</a><div class="muted small">{}</div></td><td>{}</td><td>{}</td><td>{}</td><td>"#,
                attr(&c.reference),
                text(&c.title),
                text(&c.reference),
                c.kind.label(),
                text(&c.address),
                c.due_at.map(app::model::day_of).unwrap_or_default()
            );
            badge(o, c.clock);
            o.push_str("</td></tr>");
        }
        o.push_str("</tbody></table></div>");
    }
    o.push_str("</section>");
}

fn tenancies(o: &mut String, w: &MyWork) {
    let (shown, total) = (w.tenancies.len() as i64, w.tenancies_total);
    o.push_str(r#"<section aria-labelledby="ten-h"><h2 id="ten-h">Tenancies I manage</h2>"#);
    if total > shown {
        let _ = write!(o, r#"<p class="muted">Showing the {shown} most urgent of {total}. <a href="/?all=1#ten-h">Show all {total}</a></p>"#);
    }
    if total == 0 {
        o.push_str(r#"<p class="muted">You manage no tenancies directly.</p>"#);
    }
    let _ = write!(
        o,
        r#"<div class="table-wrap{}"><table class="data" data-testid="caseload"><thead><tr><th scope="col">Tenancy</th><th scope="col">Tenants</th><th scope="col">Address</th><th scope="col">Tenure</th><th scope="col" class="num">Balance</th><th scope="col">Review due</th></tr></thead><tbody>"#,
        if total == 0 { " hidden" } else { "" }
    );
    for t in &w.tenancies {
        let _ = write!(
            o,
            r#"<tr><td><a href="/tenancies/{}">{}</a></td><td>{}</td><td>{}, {}</td><td>{}</td><td class="num{}">{}</td><td>{} "#,
            attr(&t.reference),
            text(&t.reference),
            text(&t.tenants),
            text(&t.address),
            text(&t.postcode),
            t.tenure.label(),
            if t.balance.0 > 0 { " arrears" } else { "" },
            t.balance.pounds(),
            t.trial_ends_on.map(|d| d.to_string()).unwrap_or_default()
        );
        badge(o, t.clock);
        if let Some(by) = t.notice_by.filter(|_| t.clock.is_some_and(|c| c != app::domain::clock::ClockStatus::OnTime)) {
            let _ = write!(o, r#"<div class="small" data-testid="notice-by">Extension notice by {by} "#);
            badge(o, t.notice_clock);
            o.push_str("</div>");
        }
        o.push_str("</td></tr>");
    }
    o.push_str("</tbody></table></div></section>");
}
