//! The public feedback forms: `/feedback/{token}`, no sign-in. Plain server-rendered HTML in
//! the GOV.UK pattern (one short page, every answer optional, errors summarised at the top
//! and beside each question): no WASM to download, so it opens fast on a phone on an estate
//! and works the same with JavaScript on or off. The rules are `app::domain::feedback`.
//!
//! Abuse resistance: per-address and per-link rate limits (governor) checked before any
//! database work; a honeypot field; an idempotency key so a double press or a retried request
//! stores one response; a size cap per answer; everything typed is escaped when shown again.

use std::fmt::Write;
use std::num::NonZeroU32;
use std::time::Duration;

use app::api::RequestMeta;
use app::domain::feedback::{self, Audience, FieldError, Fields, HONEYPOT, Question, Refusal};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::state::AppState;
use crate::store::feedback::{self as store, LinkTarget};

/// How much one address and one link may send.
#[derive(Clone, Copy, Debug)]
pub struct FeedbackLimits {
    /// Page views and submissions from one address: a burst, then one per `ip_period`.
    pub ip_burst: u32,
    pub ip_period: Duration,
    /// Submissions from one address.
    pub ip_submit_burst: u32,
    pub ip_submit_period: Duration,
    /// Submissions to one link from everyone (a poster on a block's noticeboard draws many).
    pub link_burst: u32,
    pub link_period: Duration,
}

impl Default for FeedbackLimits {
    fn default() -> Self {
        FeedbackLimits {
            ip_burst: 60,
            ip_period: Duration::from_secs(1),
            ip_submit_burst: 10,
            ip_submit_period: Duration::from_secs(30),
            link_burst: 120,
            link_period: Duration::from_secs(2),
        }
    }
}

pub struct FeedbackLimiter {
    ip: DefaultKeyedRateLimiter<String>,
    ip_submit: DefaultKeyedRateLimiter<String>,
    link: DefaultKeyedRateLimiter<i64>,
}

fn quota(burst: u32, period: Duration) -> Quota {
    Quota::with_period(period).expect("non-zero period").allow_burst(NonZeroU32::new(burst.max(1)).expect("non-zero"))
}

impl FeedbackLimiter {
    pub fn new(l: FeedbackLimits) -> Self {
        FeedbackLimiter { ip: RateLimiter::keyed(quota(l.ip_burst, l.ip_period)), ip_submit: RateLimiter::keyed(quota(l.ip_submit_burst, l.ip_submit_period)), link: RateLimiter::keyed(quota(l.link_burst, l.link_period)) }
    }
    fn view(&self, ip: &str) -> bool {
        self.ip.check_key(&ip.to_string()).is_ok()
    }
    fn submit(&self, ip: &str, link: i64) -> bool {
        self.ip_submit.check_key(&ip.to_string()).is_ok() && self.link.check_key(&link).is_ok()
    }
    pub fn tidy(&self) {
        self.ip.retain_recent();
        self.ip_submit.retain_recent();
        self.link.retain_recent();
    }
}

fn new_key() -> String {
    store::new_token()
}

pub async fn show(State(state): State<AppState>, Extension(meta): Extension<RequestMeta>, Path(token): Path<String>) -> Response {
    if !state.feedback_limiter.view(&meta.ip) {
        return busy_page();
    }
    match store::link(&state.db, &token).await {
        Ok(Some(link)) => {
            let mut fields = Fields::new();
            fields.insert("idempotency_key".into(), new_key());
            Html(form_page(&token, &link, &fields, &[], None)).into_response()
        }
        Ok(None) => not_found_page(),
        Err(_) => (StatusCode::INTERNAL_SERVER_ERROR, Html(page("Sorry, there is a problem", "<h1 class=\"fb-h1\">Sorry, there is a problem with this form</h1><p>Try again later.</p>"))).into_response(),
    }
}

pub async fn submit(State(state): State<AppState>, Extension(meta): Extension<RequestMeta>, Path(token): Path<String>, axum::Form(pairs): axum::Form<Vec<(String, String)>>) -> Response {
    if !state.feedback_limiter.view(&meta.ip) {
        return busy_page();
    }
    let link = match store::link(&state.db, &token).await {
        Ok(Some(l)) => l,
        Ok(None) => return not_found_page(),
        Err(_) => return (StatusCode::INTERNAL_SERVER_ERROR, "There is a problem: try again later.").into_response(),
    };
    // The first value of each field counts; a form has one of each.
    let mut fields = Fields::new();
    for (k, v) in pairs {
        fields.entry(k).or_insert(v);
    }
    if !state.feedback_limiter.submit(&meta.ip, link.id) {
        // Keep everything they typed: they can send it again in a minute.
        let msg = "Too many responses have been sent from your connection or to this link just now. Wait a minute, then press \u{201c}Send feedback\u{201d} again: your answers are still here.";
        return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "60")], Html(form_page(&token, &link, &fields, &[], Some(msg)))).into_response();
    }
    match feedback::validate(link.audience, &fields) {
        Err(Refusal::Bot) => Redirect::to(&format!("/feedback/{token}/thanks")).into_response(),
        Err(Refusal::Invalid(errors)) => (StatusCode::BAD_REQUEST, Html(form_page(&token, &link, &fields, &errors, None))).into_response(),
        Ok(sub) => match store::save(&state.db, &link, &sub, "en", &crate::store::now_rfc3339()).await {
            Ok(_) => Redirect::to(&format!("/feedback/{token}/thanks")).into_response(),
            Err(_) => (StatusCode::SERVICE_UNAVAILABLE, Html(form_page(&token, &link, &fields, &[], Some("Sorry, your feedback could not be saved just now. Press \u{201c}Send feedback\u{201d} again in a moment: your answers are still here.")))).into_response(),
        },
    }
}

pub async fn thanks(State(state): State<AppState>, Extension(meta): Extension<RequestMeta>, Path(token): Path<String>) -> Response {
    if !state.feedback_limiter.view(&meta.ip) {
        return busy_page();
    }
    let body = format!(
        r#"<div class="fb-panel" role="status"><h1 class="fb-h1">Thank you for your feedback</h1></div>
<p>We read every response. The answers go into the council's tenant satisfaction figures, and your comments go to the housing team.</p>
<p>If you asked for a reply, someone from the housing team will contact you within 10 working days.</p>
<p>If you need help now, call Housing Services on 01904 551550. In an emergency, call 999.</p>
<p><a href="/feedback/{}">Give more feedback</a></p>"#,
        attr(&token)
    );
    Html(page("Thank you for your feedback", &body)).into_response()
}

fn busy_page() -> Response {
    (
        StatusCode::TOO_MANY_REQUESTS,
        [("retry-after", "60")],
        Html(page("Too many requests", "<h1 class=\"fb-h1\">Too many requests</h1><p>Too many requests have come from your connection just now. Wait a minute and try again.</p>")),
    )
        .into_response()
}

fn not_found_page() -> Response {
    (
        StatusCode::NOT_FOUND,
        Html(page(
            "Feedback link not found",
            "<h1 class=\"fb-h1\">This feedback link does not work</h1><p>It may have been mistyped, or the council may have replaced it. Check the link on your card or letter, or call Housing Services on 01904 551550.</p>",
        )),
    )
        .into_response()
}

/// The page around every public feedback screen: the app's stylesheet, no scripts.
fn page(title: &str, body: &str) -> String {
    format!(
        r##"<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{} – Housing feedback – Hearth</title><link rel="stylesheet" href="/pkg/hearth.css"></head>
<body class="fb-body"><a class="skip-link" href="#main">Skip to main content</a><header class="fb-header"><span class="fb-brand">City of York Council</span> <span class="fb-service">Housing feedback</span></header>
<main id="main" class="fb-main">{body}</main><footer class="fb-footer"><p>Hearth housing management. This form sets no tracking cookies.</p></footer></body></html>"##,
        text(title)
    )
}

fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a FieldError> {
    errors.iter().find(|e| e.field == field)
}

fn question_html(o: &mut String, q: &Question, fields: &Fields, errors: &[FieldError]) {
    let chosen = fields.get(q.key).map(String::as_str).unwrap_or("");
    let err = error_for(errors, q.key);
    let hint_id = format!("{}-hint", q.key);
    let err_id = format!("{}-error", q.key);
    let described = [(!q.hint.is_empty()).then_some(hint_id.as_str()), err.map(|_| err_id.as_str())].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let _ = write!(
        o,
        r#"<div class="fb-group{}" id="{}"><fieldset class="fb-fieldset"{}><legend class="fb-legend">{}</legend>"#,
        if err.is_some() { " fb-group-error" } else { "" },
        q.key,
        if described.is_empty() { String::new() } else { format!(r#" aria-describedby="{described}""#) },
        text(q.text)
    );
    if !q.hint.is_empty() {
        let _ = write!(o, r#"<div id="{hint_id}" class="fb-hint">{}</div>"#, text(q.hint));
    }
    if let Some(e) = err {
        let _ = write!(o, r#"<p id="{err_id}" class="fb-error-message"><span class="visually-hidden">Error:</span> {}</p>"#, text(&e.message));
    }
    o.push_str(r#"<div class="fb-radios">"#);
    let mut options: Vec<(&str, &str)> = q.scale.codes().into_iter().zip(q.scale.labels()).collect();
    if q.dont_know {
        options.push((feedback::DONT_KNOW, "Don't know or not applicable"));
    }
    for (i, (code, label)) in options.iter().enumerate() {
        let id = format!("{}-{i}", q.key);
        let _ = write!(
            o,
            r#"<div class="fb-radio"><input type="radio" id="{id}" name="{}" value="{code}"{}><label for="{id}">{label}</label></div>"#,
            q.key,
            if chosen == *code { " checked" } else { "" }
        );
    }
    o.push_str("</div></fieldset></div>");
}

fn text_input(o: &mut String, name: &str, label: &str, hint: &str, autocomplete: &str, fields: &Fields, errors: &[FieldError]) {
    let err = error_for(errors, name);
    let _ = write!(o, r#"<div class="fb-group{}" id="{name}-group"><label class="fb-label" for="{name}">{label}</label>"#, if err.is_some() { " fb-group-error" } else { "" });
    if !hint.is_empty() {
        let _ = write!(o, r#"<div id="{name}-hint" class="fb-hint">{hint}</div>"#);
    }
    if let Some(e) = err {
        let _ = write!(o, r#"<p id="{name}-error" class="fb-error-message"><span class="visually-hidden">Error:</span> {}</p>"#, text(&e.message));
    }
    let described = [(!hint.is_empty()).then(|| format!("{name}-hint")), err.map(|_| format!("{name}-error"))].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let _ = write!(
        o,
        r#"<input class="fb-input" id="{name}" name="{name}" type="text" autocomplete="{autocomplete}" spellcheck="false" value="{}"{}></div>"#,
        attr(fields.get(name).map(String::as_str).unwrap_or("")),
        if described.is_empty() { String::new() } else { format!(r#" aria-describedby="{described}""#) }
    );
}

/// The form, with what was typed and any errors: a summary first (GOV.UK pattern), then each
/// question with its own message.
pub fn form_page(token: &str, link: &LinkTarget, fields: &Fields, errors: &[FieldError], banner: Option<&str>) -> String {
    let mut o = String::with_capacity(16 * 1024);
    if !errors.is_empty() {
        o.push_str(r#"<div class="fb-error-summary" role="alert" tabindex="-1"><h2 class="fb-h2">There is a problem</h2><ul>"#);
        for e in errors {
            let target = match e.field.as_str() {
                f if feedback::question(f).is_some() => format!("{f}-0"),
                f => f.to_string(),
            };
            let _ = write!(o, r##"<li><a href="#{}">{}</a></li>"##, attr(&target), text(&e.message));
        }
        o.push_str("</ul></div>");
    }
    if let Some(b) = banner {
        let _ = write!(o, r#"<div class="fb-error-summary" role="alert"><p>{}</p></div>"#, text(b));
    }
    let (title, intro) = match link.audience {
        Audience::Tenant => (
            "Tell us about your housing service",
            match &link.officer_name {
                Some(name) => format!("Your answers help the council improve its housing service. Some questions are about your housing officer, {}. It takes about 3 minutes. Every question is optional.", text(name)),
                None => "Your answers help the council improve its housing service. It takes about 3 minutes. Every question is optional.".to_string(),
            },
        ),
        Audience::Partner => ("Working with the council's housing officers", "For partner agencies: tell us how the housing officers' roles work for you. It takes about 3 minutes. Every question is optional.".to_string()),
    };
    let _ = write!(o, r#"<h1 class="fb-h1">{title}</h1><p class="fb-lede">{intro}</p>"#);
    let _ = write!(o, r#"<form method="post" action="/feedback/{}" novalidate class="fb-form">"#, attr(token));
    let _ = write!(o, r#"<input type="hidden" name="idempotency_key" value="{}">"#, attr(fields.get("idempotency_key").map(String::as_str).unwrap_or("")));
    // The honeypot: hidden from people (and from screen readers); bots fill it in.
    let _ = write!(o, r#"<div class="fb-hp" aria-hidden="true"><label for="{HONEYPOT}">Leave this blank</label><input type="text" id="{HONEYPOT}" name="{HONEYPOT}" tabindex="-1" autocomplete="off" value=""></div>"#);
    for q in feedback::questions(link.audience) {
        question_html(&mut o, q, fields, errors);
    }
    let comment_err = error_for(errors, "comment");
    let _ = write!(
        o,
        r#"<div class="fb-group{}" id="comment-group"><label class="fb-label fb-label-m" for="comment">Anything else you would like to tell us?</label><div id="comment-hint" class="fb-hint">For example, what your officer did well or what we could do better. Do not include other people's personal details. You can enter up to {} characters.</div>"#,
        if comment_err.is_some() { " fb-group-error" } else { "" },
        feedback::MAX_COMMENT_CHARS
    );
    if let Some(e) = comment_err {
        let _ = write!(o, r#"<p id="comment-error" class="fb-error-message"><span class="visually-hidden">Error:</span> {}</p>"#, text(&e.message));
    }
    let _ = write!(
        o,
        r#"<textarea class="fb-textarea" id="comment" name="comment" rows="5" aria-describedby="comment-hint{}">{}</textarea></div>"#,
        if comment_err.is_some() { " comment-error" } else { "" },
        text(fields.get("comment").map(String::as_str).unwrap_or(""))
    );
    let reply = fields.get("reply").map(String::as_str).unwrap_or("no");
    let reply_err = error_for(errors, "reply");
    let _ = write!(
        o,
        r#"<div class="fb-group{}" id="reply"><fieldset class="fb-fieldset" aria-describedby="reply-hint"><legend class="fb-legend">Would you like someone to contact you about your feedback?</legend><div id="reply-hint" class="fb-hint">If you choose no, your feedback is anonymous.</div>{}<div class="fb-radios">
<div class="fb-radio"><input type="radio" id="reply-0" name="reply" value="no"{}><label for="reply-0">No, keep my feedback anonymous</label></div>
<div class="fb-radio"><input type="radio" id="reply-1" name="reply" value="yes"{}><label for="reply-1">Yes, contact me (fill in your details below)</label></div></div></fieldset></div>"#,
        if reply_err.is_some() { " fb-group-error" } else { "" },
        reply_err.map(|e| format!(r#"<p class="fb-error-message"><span class="visually-hidden">Error:</span> {}</p>"#, text(&e.message))).unwrap_or_default(),
        if reply != "yes" { " checked" } else { "" },
        if reply == "yes" { " checked" } else { "" }
    );
    o.push_str(r#"<div class="fb-contact">"#);
    text_input(&mut o, "contact_name", "Your name", "Only if you would like a reply.", "name", fields, errors);
    text_input(&mut o, "contact_detail", "Email address or phone number", "Only if you would like a reply. We use it only to reply to this feedback.", "email", fields, errors);
    o.push_str("</div>");
    o.push_str(
        r#"<details class="fb-details"><summary>How we use your feedback (privacy notice)</summary><div class="fb-details-text">
<p>City of York Council collects this feedback to understand and improve its housing service and to report Tenant Satisfaction Measures to the Regulator of Social Housing. The lawful basis is public task (UK GDPR Article 6(1)(e)).</p>
<p>The link you used says which officer, patch or visit the feedback is about; it does not identify you. If you stay anonymous we do not know who you are. If you ask for a reply, your name and contact details are seen only by the housing team, used only to reply, and deleted after 2 years with the rest of your response.</p>
<p>You can ask to see or delete what you gave us by contacting the council's data protection officer.</p></div></details>"#,
    );
    o.push_str(r#"<button type="submit" class="fb-button" data-prevent-double-click="true">Send feedback</button></form>"#);
    // GOV.UK pattern: the title says so too, so screen-reader users hear it first.
    if errors.is_empty() && banner.is_none() { page(title, &o) } else { page(&format!("Error: {title}"), &o) }
}
