//! Damp and mould under Awaab's Law on the pages: the open hazards with their next clock (My work,
//! the day, the Team page) and a tenancy's hazards with their ladder and the forms to climb it.

use chrono::NaiveDate;
use leptos::prelude::*;

use crate::api::hazards::{RecordHazardStep, ReportHazard, team_hazards};
use crate::components::{ActionError, ClockBadge, LoadedSection};
use crate::domain::clock::format_london;
use crate::domain::hazard::{HazardFinding, HazardStep};
use crate::model::{HazardView, HazardsView};

/// Open hazards, the most urgent clock first: the home, what was reported, the next rung and its clock.
#[component]
pub fn HazardsTable(rows: Vec<HazardView>, #[prop(optional)] officers: bool) -> impl IntoView {
    view! {
        <div class="table-wrap">
        <table class="data cards" data-testid="hazards">
            <thead><tr>
                <th scope="col">"Home"</th><th scope="col">"Reported"</th><th scope="col">"Next"</th><th scope="col">"Due"</th>
                {officers.then(|| view! { <th scope="col">"Officer"</th> })}
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|h| {
                    let due = h.due().cloned();
                    view! {
                        <tr>
                            <td data-label="Home"><a href=format!("/tenancies/{}#hazards", h.tenancy_reference)>{h.address.clone()}</a></td>
                            <td data-label="Reported">{format_london(h.aware_at)}<div class="small">{h.detail.clone()}</div></td>
                            <td data-label="Next">{due.as_ref().map(|r| view! { <strong>{r.step.label()}</strong><div class="muted small">{r.within.clone()}</div> })}</td>
                            <td data-label="Due">{due.as_ref().map(|r| view! { {format_london(r.due_at)}" "<ClockBadge status=r.clock /> })}</td>
                            {officers.then(|| view! { <td data-label="Officer">{h.officer.clone().unwrap_or_default()}</td> })}
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}

/// The open hazards on the officer's homes, for My work and the day.
#[component]
pub fn HazardsSection(rows: Vec<HazardView>) -> impl IntoView {
    view! {
        <section aria-labelledby="hazards-h" data-testid="my-hazards">
            <h2 id="hazards-h">{format!("Damp and mould: Awaab's Law ({})", rows.len())}</h2>
            <HazardsTable rows />
        </section>
    }
}

/// The area's (or the officer's) damp and mould: how many are open and overdue, the year's closed
/// ones and how many missed a clock, and the open ones by their next clock.
#[component]
pub fn TeamHazards() -> impl IntoView {
    let load = Resource::new(|| (), |_| team_hazards());
    view! {
        <LoadedSection id="team-hazards-h" title="Damp and mould: Awaab's Law" load testid="team-hazards" show=|h: HazardsView| view! {
            <p data-testid="hazard-figures">{format!(
                "{} open, {} past a clock. Since {}: {} closed, {} of them late on a step.",
                h.open.len(), h.overdue, h.year_from.format("%-d %B %Y"), h.closed, h.closed_late
            )}</p>
            <p class="muted small">"Investigate within 10 working days of the report; a written summary to the tenant within 3 working days of the investigation; safety work within 5 working days (24 hours for an emergency). Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025."</p>
            {(!h.open.is_empty()).then(|| view! { <HazardsTable rows=h.open officers=true /> })}
        }.into_any() />
    }
}

/// A tenancy's damp and mould hazards: each with its ladder (every rung's clock, what was done
/// when and by whom) and the form for the next step, and the form to report one. Both post the
/// same with JavaScript on or off.
#[component]
pub fn TenancyHazards(
    hazards: Vec<HazardView>,
    may_report: bool,
    reference: String,
    /// Today (London), for the forms' default day; None when the viewer may not record.
    today: Option<NaiveDate>,
    report: ServerAction<ReportHazard>,
    step: ServerAction<RecordHazardStep>,
) -> impl IntoView {
    if hazards.is_empty() && !may_report {
        return ().into_any();
    }
    let error = Signal::derive(move || report.value().get().and_then(|r| r.err()).or_else(|| step.value().get().and_then(|r| r.err())));
    let day = move || today.map(|d| d.to_string()).unwrap_or_default();
    view! {
    <section aria-labelledby="hazards-h" id="hazards" data-testid="tenancy-hazards">
        <h2 id="hazards-h">"Damp and mould (Awaab's Law)"</h2>
        <ActionError error />
        // Keyed by version: a step recorded brings a fresh form, not the last one's words.
        <For each=move || hazards.clone() key=|h| (h.id, h.version) children=move |h| {
            let id = h.id;
            let open = h.closed_at.is_none();
            view! {
            <div class="card" data-testid="hazard" data-id=id.to_string()>
                <h3>{format!("Reported {}", format_london(h.aware_at))}" "
                    <span class=if open { "tag" } else { "tag ended" }>{if open { "Open".to_string() } else { "Closed".to_string() }}</span>
                    {h.finding.map(|f| view! { " "<span class="tag">{f.label()}</span> })}
                </h3>
                <p>{h.detail.clone()}</p>
                <ol class="plain steps" data-testid="hazard-rungs">
                    {h.rungs.iter().map(|r| view! {
                        <li>
                            <strong>{r.step.label()}</strong>{format!(" · {} · due {}", r.within, format_london(r.due_at))}" "
                            {match r.done_at {
                                Some(d) => view! { <span class=if r.late { "badge clock-overdue" } else { "badge clock-ok" }>{format!("done {}{}", format_london(d), if r.late { ", late" } else { "" })}</span> }.into_any(),
                                None => view! { <ClockBadge status=r.clock /> }.into_any(),
                            }}
                        </li>
                    }).collect_view()}
                </ol>
                {(!h.steps.is_empty()).then(|| view! {
                    <details>
                        <summary>"What was done"</summary>
                        <ol class="plain steps">
                            {h.steps.iter().map(|st| view! {
                                <li><strong>{st.step.label()}</strong>{st.finding.map(|f| format!(": {}", f.label().to_lowercase()))}
                                    {format!(" · {} · {}", format_london(st.at), st.by)}<br /><span class="small">{st.note.clone()}</span></li>
                            }).collect_view()}
                        </ol>
                    </details>
                })}
                {(!h.next.is_empty()).then(|| {
                    let f = format!("hazard-{id}");
                    let investigating = h.next.contains(&HazardStep::Investigated);
                    view! {
                    <ActionForm action=step attr:class="stack" attr:data-testid="hazard-step">
                        <input type="hidden" name="id" value=id.to_string() />
                        <input type="hidden" name="step[version]" value=h.version.to_string() />
                        <div class="form-row">
                            <div class="form-group">
                                <label for=format!("{f}-step")>"Step"</label>
                                <select id=format!("{f}-step") name="step[step]" required>
                                    {h.next.iter().map(|n| view! { <option value=n.as_str()>{n.label()}</option> }).collect_view()}
                                </select>
                            </div>
                            {investigating.then(|| view! {
                                <div class="form-group">
                                    <label for=format!("{f}-finding")>"What the investigation found"</label>
                                    <select id=format!("{f}-finding") name="step[finding]" required>
                                        <option value="">"Choose…"</option>
                                        {HazardFinding::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                                    </select>
                                </div>
                            })}
                        </div>
                        <div class="form-row">
                            <div class="form-group">
                                <label for=format!("{f}-on")>"Day"</label>
                                <input id=format!("{f}-on") type="date" name="step[on]" required value=day() max=day() />
                            </div>
                            <div class="form-group">
                                <label for=format!("{f}-at")>"Time"</label>
                                <input id=format!("{f}-at") type="time" name="step[at]" required />
                            </div>
                        </div>
                        <div class="form-group">
                            <label for=format!("{f}-note")>"What was done or found"</label>
                            <textarea id=format!("{f}-note") name="step[note]" rows="2" required minlength="3" maxlength="2000"></textarea>
                        </div>
                        <button type="submit">"Record the step"</button>
                    </ActionForm>
                    }
                })}
            </div>
            }
        } />
        {may_report.then(|| view! {
            <details class="card">
                <summary>"Report damp and mould"</summary>
                <p class="hint">"Awaab's Law's clocks run from when the council became aware: a tenant's call, an email, a contractor's note. Damp and mould found at a visit is reported by the visit."</p>
                <ActionForm action=report attr:class="stack" attr:data-testid="hazard-report">
                    <input type="hidden" name="reference" value=reference />
                    <div class="form-group">
                        <label for="hazard-detail">"What was reported or seen"</label>
                        <textarea id="hazard-detail" name="hazard[detail]" rows="2" required minlength="3" maxlength="2000"></textarea>
                    </div>
                    <div class="form-row">
                        <div class="form-group">
                            <label for="hazard-on">"Day the council became aware"</label>
                            <input id="hazard-on" type="date" name="hazard[on]" required value=day() max=day() />
                        </div>
                        <div class="form-group">
                            <label for="hazard-at">"Time"</label>
                            <input id="hazard-at" type="time" name="hazard[at]" required />
                        </div>
                    </div>
                    <button type="submit">"Report"</button>
                </ActionForm>
            </details>
        })}
    </section>
    }
    .into_any()
}
