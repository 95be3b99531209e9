//! A complaint's handling on its case page (Housing Ombudsman's Complaint Handling Code 2024):
//! the stage, the next deadline and its clock, the steps so far, and a form for each step the
//! viewer may record now. Every form works without JavaScript.

use leptos::prelude::*;

use crate::api::casework::RecordComplaintStep;
use crate::components::{ActionError, ClockBadge, StepBasics, StepNote};
use crate::domain::complaint::ComplaintEvent;
use crate::model::CaseDetail;

#[component]
pub fn ComplaintSection(case: CaseDetail, step: ServerAction<RecordComplaintStep>) -> impl IntoView {
    let Some(c) = case.complaint.clone() else { return ().into_any() };
    let in_time = |v: Option<bool>| match v {
        Some(true) => " · answered within the Code's timescales",
        Some(false) => " · answered outside the Code's timescales",
        None => "",
    };
    view! {
        <section class="card" aria-labelledby="complaint-h" data-testid="complaint">
            <h2 id="complaint-h">{format!("Complaint: {}", c.stage.label())}</h2>
            <dl class="summary">
                <div class="field"><dt>"Resident complained on"</dt><dd data-testid="complaint-received">{c.received_on.to_string()}</dd></div>
                {c.due.clone().map(|d| view! { <div class="field"><dt>{d.label.clone()}</dt><dd data-testid="complaint-due">{d.due.to_string()}" "<ClockBadge status=Some(d.clock) /></dd></div> })}
                {c.stage1_handler.clone().map(|h| view! { <div class="field"><dt>"Stage 1 answered by"</dt><dd>{h}{in_time(c.stage1_in_time)}</dd></div> })}
                {c.stage2_in_time.map(|_| view! { <div class="field"><dt>"Stage 2"</dt><dd>{format!("Final response given{}", in_time(c.stage2_in_time))}</dd></div> })}
            </dl>
            {(!c.steps.is_empty()).then(|| view! {
                <ol class="timeline" data-testid="complaint-steps">
                    {c.steps.iter().map(|s| view! {
                        <li>
                            <span class="when">{s.on.to_string()}</span>
                            <strong>{format!("{}: {}", s.stage.label(), s.kind.label().to_lowercase())}</strong>
                            {s.extension_days.map(|d| format!(" by {d} working days"))}
                            <div class="muted small">{s.detail.clone()}{(!s.by.is_empty()).then(|| format!(" · recorded by {}", s.by))}</div>
                        </li>
                    }).collect_view()}
                </ol>
            })}
            <ActionError error=Signal::derive(move || step.value().get().and_then(|r| r.err())) />
            // The first step the viewer may record is open, the rest folded. Keyed by the version,
            // so a landed step gives fresh forms (a reused textarea would keep the last one's text).
            {
                let (next, first, version, reference, max) = (c.next.clone(), c.next.first().copied(), case.version, case.reference.clone(), c.max_extension);
                let each = move || next.iter().map(|k| (*k, version)).collect::<Vec<_>>();
                view! {
                    <For each=each key=|k| *k let:k>
                        <StepForm kind=k.0 reference=reference.clone() version=k.1.to_string() max_extension=max step open={Some(k.0) == first} />
                    </For>
                }
            }
        </section>
    }
    .into_any()
}

/// One step's form, with the fields that step records.
#[component]
fn StepForm(
    kind: ComplaintEvent,
    reference: String,
    version: String,
    max_extension: u32,
    step: ServerAction<RecordComplaintStep>,
    open: bool,
) -> impl IntoView {
    let id = move |field: &str| if field.is_empty() { format!("complaint-{}", kind.as_str()) } else { format!("complaint-{}-{field}", kind.as_str()) };
    let (detail_label, needs_detail) = match kind {
        ComplaintEvent::Extended => ("Reason for the extension, as told to the resident", true),
        ComplaintEvent::Answered => ("The response: decision, reasons and any remedy", true),
        _ => ("Note (optional)", false),
    };
    let date_label = match kind {
        ComplaintEvent::Acknowledged => "Acknowledged on",
        ComplaintEvent::Extended => "Extended on",
        ComplaintEvent::Answered => "Answered on",
        ComplaintEvent::EscalationRequested => "Resident asked for stage 2 on",
    };
    view! {
        <details class="step-form" open=open>
            <summary>{format!("Record: {}", kind.label().to_lowercase())}</summary>
            <ActionForm action=step attr:class="stack" attr:data-testid=format!("complaint-{}", kind.as_str())>
                <StepBasics reference version kind=kind.as_str() id=id("") date_label />
                {(kind == ComplaintEvent::Extended).then(|| view! {
                    <div class="form-group">
                        <label for=id("days")>{format!("Extended by (working days, up to {max_extension})")}</label>
                        <input id=id("days") name="extension_days" type="number" min="1" max=max_extension.to_string() required />
                    </div>
                })}
                <StepNote id=id("") label=detail_label required=needs_detail />
                <button type="submit" class="button">"Record"</button>
            </ActionForm>
        </details>
    }
}
