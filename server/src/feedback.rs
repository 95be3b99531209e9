//! The public feedback forms: `/feedback/{token}`, no sign-in. Plain server-rendered HTML in
//! the GOV.UK pattern (one short page, every answer optional, errors summarised at the top
//! and beside each question): no WASM to download, so it opens fast on a phone on an estate
//! and works the same with JavaScript on or off. The rules are `app::domain::feedback`.
//!
//! Abuse resistance: per-address and per-link rate limits (governor) checked before any
//! database work; a honeypot field; an idempotency key so a double press or a retried request
//! stores one response; a size cap per answer; everything typed is escaped when shown again.

use std::fmt::Write;

use app::api::RequestMeta;
use app::domain::feedback::{self, Audience, FieldError, Fields, HONEYPOT, Question, Refusal};
use axum::Extension;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use html_escape::{encode_double_quoted_attribute as attr, encode_text as text};

use crate::languages::{Language, Languages};
use crate::state::AppState;
use crate::store::feedback::{self as store, LinkTarget};

fn new_key() -> String {
    store::new_token()
}

/// Every key a translation may give (see `crate::languages`).
pub const KEYS: &[&str] = &[
    "page.service",
    "page.skip",
    "page.footer",
    "page.accessibility",
    "page.language",
    "form.title.tenant",
    "form.intro.tenant",
    "form.intro.tenant_officer",
    "form.title.partner",
    "form.intro.partner",
    "q.TP01",
    "q.TP06",
    "q.TP07",
    "q.TP08",
    "q.TP12",
    "q.HMO1",
    "q.PA1",
    "q.PA2",
    "q.PA3",
    "hint.TP12",
    "hint.HMO1",
    "hint.PA2",
    "scale.satisfaction.very_satisfied",
    "scale.satisfaction.fairly_satisfied",
    "scale.satisfaction.neither",
    "scale.satisfaction.fairly_dissatisfied",
    "scale.satisfaction.very_dissatisfied",
    "scale.agreement.strongly_agree",
    "scale.agreement.agree",
    "scale.agreement.neither",
    "scale.agreement.disagree",
    "scale.agreement.strongly_disagree",
    "scale.dont_know",
    "comment.label",
    "comment.hint",
    "reply.legend",
    "reply.hint",
    "reply.no",
    "reply.yes",
    "contact_name.label",
    "contact_name.hint",
    "contact_detail.label",
    "contact_detail.hint",
    "privacy.summary",
    "privacy.p2",
    "privacy.p2_visit",
    "privacy.p3",
    "complain.summary",
    "complain.p2",
    "submit",
    "honeypot.label",
    "error.summary",
    "error.prefix",
    "error.title",
    "error.choose_answer",
    "error.comment_too_long",
    "error.answer_something",
    "error.name_missing",
    "error.name_too_long",
    "error.contact_missing",
    "error.contact_too_long",
    "error.contact_invalid",
    "error.reply_missing",
    "error.expired",
    "banner.busy_submit",
    "banner.save_failed",
    "thanks.title",
    "thanks.p1",
    "thanks.p2",
    "thanks.p3",
    "thanks.more",
    "busy.title",
    "busy.text",
    "notfound.title",
    "notfound.heading",
    "notfound.text",
    "problem.title",
    "problem.text",
];

fn lang_query(uri: &axum::http::Uri) -> Option<String> {
    uri.query()?.split('&').find_map(|kv| kv.strip_prefix("lang=")).map(str::to_string)
}

fn accept_language(headers: &axum::http::HeaderMap) -> Option<&str> {
    headers.get(axum::http::header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok())
}

/// `?lang=xx` for every language but English (the default needs no parameter).
fn lang_suffix(l: &Language) -> String {
    if l.code == "en" { String::new() } else { format!("?lang={}", l.code) }
}

/// The visitor's language (`asked` for, else their browser's), or the busy page when their
/// address has asked for more pages than the limiter allows just now.
fn admit<'a>(state: &'a AppState, ip: &str, asked: Option<&str>, headers: &axum::http::HeaderMap) -> Result<&'a Language, Box<Response>> {
    let l = state.languages.pick(asked, accept_language(headers));
    if state.feedback_limiter.view(ip) { Ok(l) } else { Err(Box::new(busy_page(l))) }
}

pub async fn show(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    Path(token): Path<String>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> Response {
    let l = match admit(&state, &meta.ip, lang_query(&uri).as_deref(), &headers) {
        Ok(l) => l,
        Err(busy) => return *busy,
    };
    match store::link(&state.db, &token).await {
        Ok(Some(link)) => {
            let mut fields = Fields::new();
            fields.insert("idempotency_key".into(), new_key());
            Html(form_page(&state.languages, l, &token, &link, &fields, &[], None)).into_response()
        }
        Ok(None) => not_found_page(l),
        Err(_) => problem_page(l),
    }
}

pub async fn submit(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    Path(token): Path<String>,
    headers: axum::http::HeaderMap,
    axum::Form(pairs): axum::Form<Vec<(String, String)>>,
) -> Response {
    // The first value of each field counts; a form has one of each.
    let mut fields = Fields::new();
    for (k, v) in pairs {
        fields.entry(k).or_insert(v);
    }
    let l = match admit(&state, &meta.ip, fields.get("lang").map(String::as_str), &headers) {
        Ok(l) => l,
        Err(busy) => return *busy,
    };
    let link = match store::link(&state.db, &token).await {
        Ok(Some(link)) => link,
        Ok(None) => return not_found_page(l),
        Err(_) => return problem_page(l),
    };
    if !state.feedback_limiter.submit(&meta.ip, link.id) {
        // Keep everything they typed: they can send it again in a minute.
        let msg = l.t("banner.busy_submit", "Too many responses have been sent from your connection or to this link just now. Wait a minute, then press \u{201c}Send feedback\u{201d} again: your answers are still here.");
        return (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "60")], Html(form_page(&state.languages, l, &token, &link, &fields, &[], Some(msg))))
            .into_response();
    }
    let thanks = format!("/feedback/{token}/thanks{}", lang_suffix(l));
    match feedback::validate(link.audience, &fields) {
        Err(Refusal::Bot) => Redirect::to(&thanks).into_response(),
        Err(Refusal::Invalid(errors)) => (StatusCode::BAD_REQUEST, Html(form_page(&state.languages, l, &token, &link, &fields, &errors, None))).into_response(),
        Ok(sub) => match store::save(&state.db, &link, &sub, &l.code, &crate::store::now_rfc3339()).await {
            Ok(_) => Redirect::to(&thanks).into_response(),
            Err(_) => {
                let msg = l.t(
                    "banner.save_failed",
                    "Sorry, your feedback could not be saved just now. Press \u{201c}Send feedback\u{201d} again in a moment: your answers are still here.",
                );
                (StatusCode::SERVICE_UNAVAILABLE, Html(form_page(&state.languages, l, &token, &link, &fields, &[], Some(msg)))).into_response()
            }
        },
    }
}

pub async fn thanks(
    State(state): State<AppState>,
    Extension(meta): Extension<RequestMeta>,
    Path(token): Path<String>,
    uri: axum::http::Uri,
    headers: axum::http::HeaderMap,
) -> Response {
    let l = match admit(&state, &meta.ip, lang_query(&uri).as_deref(), &headers) {
        Ok(l) => l,
        Err(busy) => return *busy,
    };
    let title = l.t("thanks.title", "Thank you for your feedback");
    let body = format!(
        r#"<div class="fb-panel" role="status"><h1 class="fb-h1">{}</h1></div><p>{}</p><p>{}</p><p>{}</p><p><a href="/feedback/{}{}">{}</a></p>"#,
        text(title),
        text(l.t(
            "thanks.p1",
            "We read every response. The answers go into the council's tenant satisfaction figures, and your comments go to the housing team."
        )),
        text(l.t("thanks.p2", "If you asked for a reply, someone from the housing team will contact you within 10 working days.")),
        text(&l.tc("thanks.p3", "If you need help now, call {service} on {phone}. In an emergency, call 999.")),
        attr(&token),
        lang_suffix(l),
        text(l.t("thanks.more", "Give more feedback")),
    );
    Html(page(l, title, &body)).into_response()
}

fn busy_page(l: &Language) -> Response {
    let title = l.t("busy.title", "Too many requests");
    let body = format!(
        r#"<h1 class="fb-h1">{}</h1><p>{}</p>"#,
        text(title),
        text(l.t("busy.text", "Too many requests have come from your connection just now. Wait a minute and try again."))
    );
    (StatusCode::TOO_MANY_REQUESTS, [("retry-after", "60")], Html(page(l, title, &body))).into_response()
}

fn not_found_page(l: &Language) -> Response {
    let body = format!(
        r#"<h1 class="fb-h1">{}</h1><p>{}</p>"#,
        text(l.t("notfound.heading", "This feedback link does not work")),
        text(&l.tc(
            "notfound.text",
            "It may have been mistyped, or the council may have replaced it. Check the link on your card or letter, or call {service} on {phone}."
        ))
    );
    (StatusCode::NOT_FOUND, Html(page(l, l.t("notfound.title", "Feedback link not found"), &body))).into_response()
}

fn problem_page(l: &Language) -> Response {
    let title = l.t("problem.title", "Sorry, there is a problem with this form");
    let body = format!(r#"<h1 class="fb-h1">{}</h1><p>{}</p>"#, text(title), text(l.t("problem.text", "Try again later.")));
    (StatusCode::INTERNAL_SERVER_ERROR, Html(page(l, title, &body))).into_response()
}

/// The page around every public feedback screen: the app's stylesheet, no scripts.
fn page(l: &Language, title: &str, body: &str) -> String {
    public_page(l, title, l.t("page.service", "Housing feedback"), body)
}

/// The page around every public page (the feedback forms, the accessibility statement): the
/// council's name and the service's, the app's stylesheet, no scripts.
pub(crate) fn public_page(l: &Language, title: &str, service: &str, body: &str) -> String {
    format!(
        r##"<!DOCTYPE html><html lang="{}"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{} – {} – Hearth</title><link rel="stylesheet" href="{}"></head>
<body class="fb-body"><a class="skip-link" href="#main">{}</a><header class="fb-header"><span class="fb-brand">{}</span> <span class="fb-service">{}</span></header>
<main id="main" class="fb-main">{body}</main><footer class="fb-footer"><p>{} <a href="/accessibility">{}</a></p></footer></body></html>"##,
        attr(&l.code),
        text(title),
        text(service),
        attr(crate::site::stylesheet_href()),
        text(l.t("page.skip", "Skip to main content")),
        text(&l.council.name),
        text(service),
        text(l.t("page.footer", "Hearth housing management. This form sets no tracking cookies.")),
        text(l.t("page.accessibility", "Accessibility statement")),
    )
}

/// What the link tells the council, honestly: an officer's or a patch's link does not identify
/// the person, but a visit's link was made for one visit to one home, so answers can be linked to
/// that home even without a name. The retention period is the one the housekeeping job applies.
fn privacy_p2(l: &Language, link: &LinkTarget) -> String {
    let years = feedback::RETENTION_YEARS.to_string();
    let args = [("years", years.as_str())];
    if link.scope_type == "visit" {
        l.tf(
            "privacy.p2_visit",
            "The link you used was made for a visit to your home, so your answers can be linked to that visit and to your home even if you do not give your name. If you ask for a reply, your name and contact details are seen only by the housing team and used only to reply. Your response, with any contact details, is deleted after {years} years.",
            &args,
        )
    } else {
        l.tf(
            "privacy.p2",
            "The link you used says which officer, patch or agency the feedback is about; it does not identify you. If you stay anonymous we do not know who you are. If you ask for a reply, your name and contact details are seen only by the housing team and used only to reply. Your response, with any contact details, is deleted after {years} years.",
            &args,
        )
    }
}

fn error_for<'a>(errors: &'a [FieldError], field: &str) -> Option<&'a FieldError> {
    errors.iter().find(|e| e.field == field)
}

/// An error in the tenant's language: the translation of its code, with the numbers filled in.
fn error_text(l: &Language, e: &FieldError, fields: &Fields) -> String {
    let count = fields.get("comment").map(|c| c.trim().chars().count()).unwrap_or(0).to_string();
    let (comment, name, contact) = (feedback::MAX_COMMENT_CHARS.to_string(), feedback::MAX_NAME_CHARS.to_string(), feedback::MAX_CONTACT_CHARS.to_string());
    let args = [("max_comment", comment.as_str()), ("count", count.as_str()), ("max_name", name.as_str()), ("max_contact", contact.as_str())];
    l.tf(&format!("error.{}", e.code), &e.message, &args)
}

fn error_line(l: &Language, id: &str, msg: &str) -> String {
    format!(r#"<p id="{id}" class="fb-error-message"><span class="visually-hidden">{}</span> {}</p>"#, text(l.t("error.prefix", "Error:")), text(msg))
}

fn question_html(o: &mut String, l: &Language, q: &Question, fields: &Fields, errors: &[FieldError]) {
    let chosen = fields.get(q.key).map(String::as_str).unwrap_or("");
    let err = error_for(errors, q.key);
    let hint = l.t(&format!("hint.{}", q.key), q.hint);
    let hint_id = format!("{}-hint", q.key);
    let err_id = format!("{}-error", q.key);
    let described = [(!hint.is_empty()).then_some(hint_id.as_str()), err.map(|_| err_id.as_str())].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let _ = write!(
        o,
        r#"<div class="fb-group{}" id="{}"><fieldset class="fb-fieldset"{}><legend class="fb-legend">{}</legend>"#,
        if err.is_some() { " fb-group-error" } else { "" },
        q.key,
        if described.is_empty() { String::new() } else { format!(r#" aria-describedby="{described}""#) },
        text(l.t(&format!("q.{}", q.key), q.text))
    );
    if !hint.is_empty() {
        let _ = write!(o, r#"<div id="{hint_id}" class="fb-hint">{}</div>"#, text(hint));
    }
    if let Some(e) = err {
        o.push_str(&error_line(l, &err_id, &error_text(l, e, fields)));
    }
    o.push_str(r#"<div class="fb-radios">"#);
    let scale = match q.scale {
        feedback::Scale::Satisfaction => "satisfaction",
        feedback::Scale::Agreement => "agreement",
    };
    let mut options: Vec<(&str, String)> =
        q.scale.codes().into_iter().zip(q.scale.labels()).map(|(c, label)| (c, l.t(&format!("scale.{scale}.{c}"), label).to_string())).collect();
    if q.dont_know {
        options.push((feedback::DONT_KNOW, l.t("scale.dont_know", "Don't know or not applicable").to_string()));
    }
    for (i, (code, label)) in options.iter().enumerate() {
        let id = format!("{}-{i}", q.key);
        let _ = write!(
            o,
            r#"<div class="fb-radio"><input type="radio" id="{id}" name="{}" value="{code}"{}><label for="{id}">{}</label></div>"#,
            q.key,
            if chosen == *code { " checked" } else { "" },
            text(label)
        );
    }
    o.push_str("</div></fieldset></div>");
}

#[allow(clippy::too_many_arguments)]
fn text_input(o: &mut String, l: &Language, name: &str, label: &str, hint: &str, autocomplete: &str, fields: &Fields, errors: &[FieldError]) {
    let err = error_for(errors, name);
    let _ = write!(
        o,
        r#"<div class="fb-group{}" id="{name}-group"><label class="fb-label" for="{name}">{}</label>"#,
        if err.is_some() { " fb-group-error" } else { "" },
        text(label)
    );
    if !hint.is_empty() {
        let _ = write!(o, r#"<div id="{name}-hint" class="fb-hint">{}</div>"#, text(hint));
    }
    if let Some(e) = err {
        o.push_str(&error_line(l, &format!("{name}-error"), &error_text(l, e, fields)));
    }
    let described =
        [(!hint.is_empty()).then(|| format!("{name}-hint")), err.map(|_| format!("{name}-error"))].into_iter().flatten().collect::<Vec<_>>().join(" ");
    let _ = write!(
        o,
        r#"<input class="fb-input" id="{name}" name="{name}" type="text" autocomplete="{autocomplete}" spellcheck="false" value="{}"{}></div>"#,
        attr(fields.get(name).map(String::as_str).unwrap_or("")),
        if described.is_empty() { String::new() } else { format!(r#" aria-describedby="{described}""#) }
    );
}

/// The form, with what was typed and any errors: a summary first (GOV.UK pattern), then each
/// question with its own message; in the tenant's language, with links to the others.
pub fn form_page(langs: &Languages, l: &Language, token: &str, link: &LinkTarget, fields: &Fields, errors: &[FieldError], banner: Option<&str>) -> String {
    let mut o = String::with_capacity(16 * 1024);
    language_nav(&mut o, langs, l, token);
    error_summary(&mut o, l, errors, fields);
    if let Some(b) = banner {
        let _ = write!(o, r#"<div class="fb-error-summary" role="alert"><p>{}</p></div>"#, text(b));
    }
    let (title, intro) = heading(l, link);
    let _ = write!(o, r#"<h1 class="fb-h1">{}</h1><p class="fb-lede">{}</p>"#, text(title), text(&intro));
    let _ = write!(o, r#"<form method="post" action="/feedback/{}" novalidate class="fb-form">"#, attr(token));
    let _ = write!(o, r#"<input type="hidden" name="idempotency_key" value="{}">"#, attr(fields.get("idempotency_key").map(String::as_str).unwrap_or("")));
    let _ = write!(o, r#"<input type="hidden" name="lang" value="{}">"#, attr(&l.code));
    // The honeypot: hidden from people (and from screen readers); bots fill it in.
    let _ = write!(
        o,
        r#"<div class="fb-hp" aria-hidden="true"><label for="{HONEYPOT}">{}</label><input type="text" id="{HONEYPOT}" name="{HONEYPOT}" tabindex="-1" autocomplete="off" value=""></div>"#,
        text(l.t("honeypot.label", "Leave this blank"))
    );
    for q in feedback::questions(link.audience) {
        question_html(&mut o, l, q, fields, errors);
    }
    comment_group(&mut o, l, fields, errors);
    reply_group(&mut o, l, fields, errors);
    privacy_notice(&mut o, l, link);
    complaints_notice(&mut o, l);
    let _ = write!(o, r#"<button type="submit" class="fb-button" data-prevent-double-click="true">{}</button></form>"#, text(l.t("submit", "Send feedback")));
    // GOV.UK pattern: the title says so too, so screen-reader users hear it first.
    if errors.is_empty() && banner.is_none() { page(l, title, &o) } else { page(l, &l.tf("error.title", "Error: {title}", &[("title", title)]), &o) }
}

/// Links to the form in every other language the council offers (none when English is the only one).
fn language_nav(o: &mut String, langs: &Languages, l: &Language, token: &str) {
    if langs.all().len() > 1 {
        let _ = write!(o, r#"<nav class="fb-langs" aria-label="{}"><ul>"#, attr(l.t("page.language", "Language")));
        for other in langs.all() {
            if other.code == l.code {
                let _ = write!(o, r#"<li><span aria-current="true" lang="{}">{}</span></li>"#, attr(&other.code), text(&other.name));
            } else {
                let _ = write!(
                    o,
                    r#"<li><a href="/feedback/{}?lang={}" lang="{}" hreflang="{}">{}</a></li>"#,
                    attr(token),
                    attr(&other.code),
                    attr(&other.code),
                    attr(&other.code),
                    text(&other.name)
                );
            }
        }
        o.push_str("</ul></nav>");
    }
}

/// GOV.UK's error summary: every problem, each linking to its field.
fn error_summary(o: &mut String, l: &Language, errors: &[FieldError], fields: &Fields) {
    if !errors.is_empty() {
        let _ = write!(
            o,
            r#"<div class="fb-error-summary" role="alert" tabindex="-1"><h2 class="fb-h2">{}</h2><ul>"#,
            text(l.t("error.summary", "There is a problem"))
        );
        for e in errors {
            let target = match e.field.as_str() {
                f if feedback::question(f).is_some() => format!("{f}-0"),
                f => f.to_string(),
            };
            let _ = write!(o, r##"<li><a href="#{}">{}</a></li>"##, attr(&target), text(&error_text(l, e, fields)));
        }
        o.push_str("</ul></div>");
    }
}

/// The form's title and introduction for its audience (tenants hear their officer's name).
fn heading<'a>(l: &'a Language, link: &LinkTarget) -> (&'a str, String) {
    match link.audience {
        Audience::Tenant => (
            l.t("form.title.tenant", "Tell us about your housing service"),
            match &link.officer_name {
                Some(name) => l.tf("form.intro.tenant_officer", "Your answers help the council improve its housing service. Some questions are about your housing officer, {officer}. It takes about 3 minutes. Every question is optional.", &[("officer", name)]),
                None => l.t("form.intro.tenant", "Your answers help the council improve its housing service. It takes about 3 minutes. Every question is optional.").to_string(),
            },
        ),
        Audience::Partner => (
            l.t("form.title.partner", "Working with the council's housing officers"),
            l.t("form.intro.partner", "For partner agencies: tell us how the housing officers' roles work for you. It takes about 3 minutes. Every question is optional.").to_string(),
        ),
    }
}

/// The free-text comment, with its hint, its error and what was typed.
fn comment_group(o: &mut String, l: &Language, fields: &Fields, errors: &[FieldError]) {
    let comment_err = error_for(errors, "comment");
    let max = feedback::MAX_COMMENT_CHARS.to_string();
    let _ = write!(
        o,
        r#"<div class="fb-group{}" id="comment-group"><label class="fb-label fb-label-m" for="comment">{}</label><div id="comment-hint" class="fb-hint">{}</div>"#,
        if comment_err.is_some() { " fb-group-error" } else { "" },
        text(l.t("comment.label", "Anything else you would like to tell us?")),
        text(&l.tf("comment.hint", "For example, what your officer did well or what we could do better. Do not include other people's personal details. You can enter up to {max_comment} characters.", &[("max_comment", &max)]))
    );
    if let Some(e) = comment_err {
        o.push_str(&error_line(l, "comment-error", &error_text(l, e, fields)));
    }
    let _ = write!(
        o,
        r#"<textarea class="fb-textarea" id="comment" name="comment" rows="5" aria-describedby="comment-hint{}">{}</textarea></div>"#,
        if comment_err.is_some() { " comment-error" } else { "" },
        text(fields.get("comment").map(String::as_str).unwrap_or(""))
    );
}

/// Whether the tenant wants a reply, and the contact details for one.
fn reply_group(o: &mut String, l: &Language, fields: &Fields, errors: &[FieldError]) {
    let reply = fields.get("reply").map(String::as_str).unwrap_or("no");
    let reply_err = error_for(errors, "reply");
    let _ = write!(
        o,
        r#"<div class="fb-group{}" id="reply"><fieldset class="fb-fieldset" aria-describedby="reply-hint"><legend class="fb-legend">{}</legend><div id="reply-hint" class="fb-hint">{}</div>{}<div class="fb-radios">
<div class="fb-radio"><input type="radio" id="reply-0" name="reply" value="no"{}><label for="reply-0">{}</label></div>
<div class="fb-radio"><input type="radio" id="reply-1" name="reply" value="yes"{}><label for="reply-1">{}</label></div></div></fieldset></div>"#,
        if reply_err.is_some() { " fb-group-error" } else { "" },
        text(l.t("reply.legend", "Would you like someone to contact you about your feedback?")),
        text(l.t("reply.hint", "If you choose no, your feedback is anonymous.")),
        reply_err.map(|e| error_line(l, "reply-error", &error_text(l, e, fields))).unwrap_or_default(),
        if reply != "yes" { " checked" } else { "" },
        text(l.t("reply.no", "No, keep my feedback anonymous")),
        if reply == "yes" { " checked" } else { "" },
        text(l.t("reply.yes", "Yes, contact me (fill in your details below)")),
    );
    o.push_str(r#"<div class="fb-contact">"#);
    text_input(
        o,
        l,
        "contact_name",
        l.t("contact_name.label", "Your name"),
        l.t("contact_name.hint", "Only if you would like a reply."),
        "name",
        fields,
        errors,
    );
    text_input(
        o,
        l,
        "contact_detail",
        l.t("contact_detail.label", "Email address or phone number"),
        l.t("contact_detail.hint", "Only if you would like a reply. We use it only to reply to this feedback."),
        "email",
        fields,
        errors,
    );
    o.push_str("</div>");
}

/// The privacy notice, folded under a summary.
/// How to complain, as the Complaint Handling Code asks every landlord to make plain (2024, 3.1
/// and 3.5: complaints may be made in any way, and residents are told of the Ombudsman).
fn complaints_notice(o: &mut String, l: &Language) {
    let _ = write!(
        o,
        r#"<details class="fb-details" data-testid="how-to-complain"><summary>{}</summary><div class="fb-details-text"><p>{}</p><p>{}</p></div></details>"#,
        text(l.t("complain.summary", "How to make a complaint")),
        text(&l.council.complaints),
        text(l.t(
            "complain.p2",
            "If you are not happy with our answer, ask us to look at it again (stage 2): someone who did not answer it first will reply within 20 working days. You can then ask the Housing Ombudsman to look into it, free of charge: 0300 111 3000, www.housing-ombudsman.org.uk."
        )),
    );
}

fn privacy_notice(o: &mut String, l: &Language, link: &LinkTarget) {
    let _ = write!(
        o,
        r#"<details class="fb-details"><summary>{}</summary><div class="fb-details-text"><p>{}</p><p>{}</p><p>{}</p></div></details>"#,
        text(l.t("privacy.summary", "How we use your feedback (privacy notice)")),
        text(&l.council.privacy),
        text(&privacy_p2(l, link)),
        text(&l.tc("privacy.p3", "You can ask to see or delete what you gave us by contacting {dpo}.")),
    );
}
