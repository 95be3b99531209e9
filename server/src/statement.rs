//! The accessibility statement (`/accessibility`), which every public sector body must publish for
//! its websites: the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility
//! Regulations 2018, reg. 8, in the form of the Government Digital Service's model statement. Plain
//! server-rendered HTML like the feedback forms, public, in the council's own words.

use axum::extract::State;
use axum::response::{Html, IntoResponse, Response};
use html_escape::encode_text as text;

use crate::feedback::public_page;
use crate::state::AppState;

/// The statement, in English with the council's words.
pub async fn show(State(state): State<AppState>) -> Response {
    Html(render(state.languages.english())).into_response()
}

pub(crate) fn render(l: &crate::languages::Language) -> String {
    let c = &l.council;
    let name = text(&c.name);
    let contact = [
        Some(format!("<li>call {} on {}</li>", text(&c.service), text(&c.phone))),
        c.email.as_deref().map(|e| format!("<li>email {}</li>", text(e))),
        Some(format!("<li>write to {}</li>", text(&c.address))),
    ]
    .into_iter()
    .flatten()
    .collect::<String>();
    let body = format!(
        r#"<h1 class="fb-h1">Accessibility statement for Hearth</h1>
<p>This statement applies to Hearth, {name}'s housing management service: the feedback forms tenants and partner agencies answer, this page, and the pages housing staff and partner agencies sign in to.</p>
<p>{name} runs Hearth. We want as many people as possible to be able to use it. For example, you should be able to:</p>
<ul><li>change colours, contrast levels and fonts using your browser or device settings</li><li>zoom in up to 400% without the text spilling off the screen</li><li>navigate most of Hearth using just a keyboard or speech recognition software</li><li>listen to most of Hearth using a screen reader (including the most recent versions of JAWS, NVDA and VoiceOver)</li><li>use it on a phone, and answer the feedback forms with JavaScript switched off</li></ul>
<h2>How accessible Hearth is</h2>
<p>We know some parts are not fully accessible:</p>
<ul><li>the patch map draws homes and patches as a picture, which a screen reader cannot read; its Table tab lists the same homes and moves them between officers with a keyboard</li><li>the feedback form's questions in languages other than English are the council's translations: the Regulator of Social Housing publishes its Tenant Satisfaction Measures questions only in English</li></ul>
<h2>Feedback and contact information</h2>
<p>If you need information on this website in a different format, like accessible PDF, large print, easy read, audio recording or braille, or you find a problem not listed on this page:</p>
<ul>{contact}</ul>
<p>We will consider your request and get back to you within 10 working days.</p>
<h2>Enforcement procedure</h2>
<p>The Equality and Human Rights Commission (EHRC) is responsible for enforcing the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018 (the "accessibility regulations"). If you are not happy with how we respond to your complaint, contact the Equality Advisory and Support Service (EASS).</p>
<h2>Technical information about this website's accessibility</h2>
<p>{name} is committed to making its website accessible, in accordance with the Public Sector Bodies (Websites and Mobile Applications) (No. 2) Accessibility Regulations 2018.</p>
<h3>Compliance status</h3>
<p>This website is partially compliant with the Web Content Accessibility Guidelines version 2.2 AA standard, due to the non-compliance listed below.</p>
<h3>Non-accessible content</h3>
<p>The patch map's picture has no text equivalent of its own (success criterion 1.1.1, non-text content). The Table tab beside it gives the same homes, patches and officers as text, and every change the map makes.</p>
<h2>How we tested this website</h2>
<p>Every change to Hearth is tested in Chromium before it is released: axe-core checks the feedback forms and this statement against the WCAG 2.2 A and AA rules, with and without JavaScript, and the officers' journeys are run at a phone's width.</p>
<h2>Preparation of this accessibility statement</h2>
<p>This statement was last reviewed on {reviewed}.</p>"#,
        reviewed = c.accessibility_reviewed.format("%-d %B %Y"),
    );
    public_page(l, "Accessibility statement", "Accessibility statement", &body)
}
