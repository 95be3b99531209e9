//! The introductory review on the tenancy page: its dates and clocks, the open proposal, and
//! exactly the moves the signed-in person may make (from `domain::workflow`).

use leptos::prelude::*;

use crate::api::reviews::{DecideItem, EscalateTenancy, ProposeReview, RecordNotice, RecordPrior, RecordStep, get_review_panel};
use crate::components::{ActionError, ClockBadge, StepBasics, StepNote, succeeded};
use crate::domain::workflow::{Move, ReviewOutcome};
use crate::error::AppError;
use crate::model::WorkflowView;

fn action_error<T>(value: Option<Result<T, AppError>>) -> Option<AppError> {
    value.and_then(|r| r.err())
}

#[component]
pub fn ReviewSection(reference: String) -> impl IntoView {
    let propose = ServerAction::<ProposeReview>::new();
    let decide = ServerAction::<DecideItem>::new();
    let notice = ServerAction::<RecordNotice>::new();
    let escalate = ServerAction::<EscalateTenancy>::new();
    let prior = ServerAction::<RecordPrior>::new();
    let step = ServerAction::<RecordStep>::new();
    let reference_key = reference.clone();
    // Reload after a change that landed only: a refused form keeps what was typed.
    let landed = [succeeded(propose), succeeded(decide), succeeded(notice), succeeded(escalate), succeeded(prior), succeeded(step)];
    let panel = Resource::new(move || (reference_key.clone(), landed.iter().map(|m| m.get()).collect::<Vec<_>>()), |(r, _)| get_review_panel(r));
    let errors = move || {
        action_error(propose.value().get())
            .or_else(|| action_error(decide.value().get()))
            .or_else(|| action_error(notice.value().get()))
            .or_else(|| action_error(escalate.value().get()))
            .or_else(|| action_error(prior.value().get()))
    };
    view! {
        <Transition fallback=|| ()>
            {move || Suspend::new(async move {
                let Ok(p) = panel.await else { return ().into_any() };
                let escalations = view! { <LegalSteps panel=p.clone() step=step /> <Escalations panel=p.clone() escalate=escalate decide=decide /> };
                if !p.tenure.is_introductory() && p.history.is_empty() {
                    return view! { <ActionError error=Signal::derive(errors) /> {escalations} }.into_any();
                }
                let can = |m: Move| p.moves.contains(&m);
                let (can_propose, can_decide, can_withdraw) = (can(Move::Propose), can(Move::Approve), can(Move::Withdraw));
                let open = p.open.clone();
                let reference = p.tenancy_reference.clone();
                let version = p.tenancy_version.to_string();
                let (propose_reference, propose_version) = (reference.clone(), version.clone());
                let (prior_reference, prior_version) = (reference.clone(), version.clone());
                let outcomes = p.outcomes.clone();
                view! {
                    <section class="card review" aria-labelledby="review-h" data-testid="review">
                        <h2 id="review-h">"Introductory review"</h2>
                        <dl class="summary">
                            <div class="field"><dt>"Trial period ends"</dt><dd>{p.trial_ends_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into())}" "<ClockBadge status=p.trial_clock /></dd></div>
                            {p.notice_last_day.map(|d| view! { <div class="field"><dt>"Last day to serve a notice of extension"</dt><dd data-testid="notice-deadline">{d.to_string()}" "<ClockBadge status=p.notice_clock /></dd></div> })}
                            {p.notice_served_on.map(|d| view! { <div class="field"><dt>"Notice of extension served"</dt><dd data-testid="notice-served">{d.to_string()}</dd></div> })}
                            {p.prior.clone().map(|e| view! {
                                <div class="field"><dt>"Earlier tenancy counted"</dt><dd data-testid="prior-tenancy">{format!("{} days as {} ({}, {} to {})", p.prior_counted_days.unwrap_or(0), e.kind.label().to_lowercase(), e.landlord, e.from, e.to)}</dd></div>
                            })}
                        </dl>
                        {p.proceedings_running.then(|| view! {
                            <p class="notice" data-testid="proceedings-running">"Possession proceedings have begun: the tenancy stays introductory until they end (Housing Act 1996 s.130), so no review is due meanwhile."</p>
                        })}
                        {open.clone().map(|o| view! {
                            <div class="proposal" data-testid="open-proposal">
                                <p><span class="tag">{o.state.as_str().replace('_', " ")}</span>" "<strong>{o.outcome_label.clone()}</strong>{format!(" — proposed by {} on {}", o.proposed_by, crate::model::day_of(o.proposed_at))}</p>
                                <p class="muted">{o.reason.clone()}</p>
                                {(!o.decision_note.is_empty()).then(|| view! { <p><strong>"Team Leader: "</strong>{o.decision_note.clone()}</p> })}
                            </div>
                        })}
                        <ActionError error=Signal::derive(errors) />
                        {can_propose.then(|| view! { <ProposeForm reference=propose_reference version=propose_version outcomes propose /> })}
                        {open.clone().filter(|_| can_decide).map(|o| view! { <DecideForms open=o decide /> })}
                        {match (can_withdraw, open.clone()) {
                            (true, Some(o)) => view! {
                                <ActionForm action=decide>
                                    <input type="hidden" name="item_id" value=o.id.to_string() />
                                    <input type="hidden" name="version" value=o.version.to_string() />
                                    <input type="hidden" name="action" value="withdraw" />
                                    <button type="submit" class="link-like">"Withdraw this proposal"</button>
                                </ActionForm>
                            }.into_any(),
                            _ => ().into_any(),
                        }}
                        {p.can_record_notice.then(|| view! {
                            <ActionForm action=notice attr:class="stack">
                                <input type="hidden" name="reference" value=reference.clone() />
                                <input type="hidden" name="version" value=version.clone() />
                                <div class="form-group">
                                    <label for="served_on">"Notice of extension served on"</label>
                                    <input id="served_on" name="served_on" type="date" required />
                                </div>
                                <p class="muted small">{format!("The notice must reach the tenant by {}, eight weeks before the trial ends (Housing Act 1996 s.125A).", p.notice_last_day.map(|d| d.to_string()).unwrap_or_default())}</p>
                                <button type="submit" class="button">"Record notice"</button>
                            </ActionForm>
                        })}
                        {p.can_record_prior.then(|| view! { <PriorForm reference=prior_reference version=prior_version prior /> })}
                        {(!p.history.is_empty()).then(|| view! { <ReviewHistory history=p.history.clone() /> })}
                    </section>
                    {escalations}
                }.into_any()
            })}
        </Transition>
    }
}

/// The legal steps after the review's decision (Housing Act 1996 ss.125B, 128–130): what has
/// happened, the clocks running, and a form for each step the viewer may record next.
#[component]
fn LegalSteps(panel: crate::model::ReviewPanel, step: ServerAction<RecordStep>) -> impl IntoView {
    if panel.steps.is_empty() && panel.next_steps.is_empty() && panel.step_deadlines.is_empty() {
        return ().into_any();
    }
    let (reference, version) = (panel.tenancy_reference.clone(), panel.tenancy_version.to_string());
    view! {
        <section class="card review" aria-labelledby="legal-h" data-testid="legal-steps">
            <h2 id="legal-h">"Notices, reviews and proceedings"</h2>
            {(!panel.step_deadlines.is_empty()).then(|| view! {
                <dl class="summary">
                    {panel.step_deadlines.iter().map(|d| view! {
                        <div class="field"><dt>{d.label.clone()}</dt><dd data-testid="step-deadline">{d.due.to_string()}" "<ClockBadge status=Some(d.clock) /></dd></div>
                    }).collect_view()}
                </dl>
            })}
            {(!panel.steps.is_empty()).then(|| view! {
                <ol class="timeline" data-testid="step-history">
                    {panel.steps.iter().map(|s| view! {
                        <li>
                            <span class="when">{s.on.to_string()}</span>
                            <strong>{s.kind.label()}</strong>{format!(" ({})", s.kind.section())}
                            {s.outcome.map(|o| format!(": {}", o.label().to_lowercase()))}
                            {s.proceedings_from.map(|d| format!(" · proceedings may begin after {d}"))}
                            <div class="muted small">{s.detail.clone()}{(!s.recorded_by.is_empty()).then(|| format!(" · recorded by {}", s.recorded_by))}</div>
                        </li>
                    }).collect_view()}
                </ol>
            })}
            <ActionError error=Signal::derive(move || action_error(step.value().get())) />
            // The first step the viewer may record is open, the rest folded. Keyed by the version,
            // so a landed step gives fresh forms (a reused textarea would keep the last one's text).
            {
                let (next, first) = (panel.next_steps.clone(), panel.next_steps.first().copied());
                let each = move || next.iter().map(|k| (*k, version.clone())).collect::<Vec<_>>();
                view! {
                    <For each=each key=|k| k.clone() let:k>
                        <StepForm kind=k.0 reference=reference.clone() version=k.1 step open={Some(k.0) == first} />
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
    kind: crate::domain::introductory::steps::StepKind,
    reference: String,
    version: String,
    step: ServerAction<RecordStep>,
    open: bool,
) -> impl IntoView {
    use crate::domain::introductory::steps::StepKind;
    let id = move |field: &str| if field.is_empty() { kind.as_str().to_string() } else { format!("{}-{field}", kind.as_str()) };
    let notice = kind == StepKind::NoticeOfProceedings;
    let outcomes = kind.outcomes();
    let detail_label = match kind {
        StepKind::NoticeOfProceedings => "Reasons for seeking possession, as set out in the notice",
        StepKind::ExtensionReviewDecided | StepKind::PossessionReviewDecided => "The review's reasons, as told to the tenant",
        _ => "Note (optional)",
    };
    let needs_detail = notice || matches!(kind, StepKind::ExtensionReviewDecided | StepKind::PossessionReviewDecided);
    let date_label = match kind {
        StepKind::NoticeOfProceedings => "Served on",
        StepKind::ExtensionReviewRequested | StepKind::PossessionReviewRequested => "Asked on",
        StepKind::ProceedingsBegun => "Claim issued on",
        StepKind::NoticeWithdrawn => "Withdrawn on",
        StepKind::ProceedingsEnded => "Ended on",
        _ => "Decided on",
    };
    view! {
        <details class="step-form" open=open>
            <summary>{format!("Record: {} ({})", kind.label().to_lowercase(), kind.section())}</summary>
            <ActionForm action=step attr:class="stack" attr:data-testid=format!("step-{}", kind.as_str())>
                <StepBasics reference version kind=kind.as_str() id=id("") date_label />
                {notice.then(|| view! {
                    <div class="form-group">
                        <label for=id("from")>"Proceedings may begin after"</label>
                        <input id=id("from") name="proceedings_from" type="date" required aria-describedby=id("from-hint") />
                        <p class="muted small" id=id("from-hint")>"At least four weeks after the notice is served, and before the trial period ends (Housing Act 1996 s.128(4))."</p>
                    </div>
                })}
                {(!outcomes.is_empty()).then(|| view! {
                    <div class="form-group">
                        <label for=id("outcome")>"Outcome"</label>
                        <select id=id("outcome") name="outcome" required>
                            <option value="">"Choose…"</option>
                            {outcomes.iter().map(|o| view! { <option value=o.as_str()>{o.label()}</option> }).collect_view()}
                        </select>
                    </div>
                })}
                <StepNote id=id("") label=detail_label required=needs_detail />
                {notice.then(|| view! {
                    <label class="check">
                        <input type="checkbox" name="rights_told" value="true" required />
                        " The notice tells the tenant of their right to ask for a review within 14 days, and to take advice at once (s.128(6)–(7))"
                    </label>
                })}
                <button type="submit" class="button">"Record"</button>
            </ActionForm>
        </details>
    }
}

/// An earlier tenancy that counts towards the trial (Housing Act 1996 s.125(3)): folded away,
/// as few tenancies have one.
#[component]
fn PriorForm(reference: String, version: String, prior: ServerAction<RecordPrior>) -> impl IntoView {
    use crate::domain::introductory::PriorTenancyKind;
    view! {
        <details class="prior">
            <summary>"Record an earlier tenancy that counts towards the trial"</summary>
            <ActionForm action=prior attr:class="stack" attr:data-testid="prior-form">
                <input type="hidden" name="reference" value=reference />
                <input type="hidden" name="version" value=version />
                <p class="muted small">"Time as an introductory tenant of another council, or as an assured shorthold tenant of a registered provider, that ended immediately before this tenancy began counts towards the trial period (Housing Act 1996 s.125(3)). The trial then ends earlier."</p>
                <div class="form-group">
                    <label for="prior-kind">"The tenant was"</label>
                    <select id="prior-kind" name="kind" required>
                        <option value="">"Choose…"</option>
                        {PriorTenancyKind::ALL.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label for="prior-landlord">"Earlier landlord"</label>
                    <input id="prior-landlord" name="landlord" type="text" required maxlength="200" />
                </div>
                <div class="form-group">
                    <label for="prior-from">"Began on"</label>
                    <input id="prior-from" name="from" type="date" required />
                </div>
                <div class="form-group">
                    <label for="prior-to">"Ended on"</label>
                    <input id="prior-to" name="to" type="date" required />
                </div>
                <button type="submit" class="button">"Count it towards the trial"</button>
            </ActionForm>
        </details>
    }
}

/// The Introductory HMO's proposal: the outcome, the reason for an extension, and a summary.
#[component]
fn ProposeForm(reference: String, version: String, outcomes: Vec<ReviewOutcome>, propose: ServerAction<ProposeReview>) -> impl IntoView {
    let can_extend = outcomes.contains(&ReviewOutcome::Extend);
    view! {
        <ActionForm action=propose attr:class="stack" attr:data-testid="propose-form">
            <input type="hidden" name="reference" value=reference />
            <input type="hidden" name="version" value=version />
            <fieldset>
                <legend>"Propose the outcome"</legend>
                <div class="radios">
                    {outcomes.iter().map(|o| view! {
                        <label><input type="radio" name="outcome" value=o.as_str() required />" "{o.label()}</label>
                    }).collect_view()}
                </div>
                {(!outcomes.contains(&ReviewOutcome::Extend)).then(|| view! {
                    <p class="muted small">"Extension is no longer possible: the notice had to reach the tenant eight weeks before the trial ends, and a tenancy is extended once at most."</p>
                })}
            </fieldset>
            <div class="form-group" class:hidden=!can_extend>
                <label for="extension_reason">"Reason for an extension"</label>
                <select id="extension_reason" name="extension_reason">
                    <option value="">"Not extending"</option>
                    <option value="arrears">"Rent arrears"</option>
                    <option value="nuisance">"Nuisance or anti-social behaviour"</option>
                    <option value="property_condition">"Property condition"</option>
                    <option value="other">"Other"</option>
                </select>
            </div>
            <div class="form-group">
                <label for="review-reason">"Summary of the review"</label>
                <textarea id="review-reason" name="reason" rows="3" required minlength="10" maxlength="4000"></textarea>
            </div>
            <button type="submit" class="button">"Send to Team Leader"</button>
        </ActionForm>
    }
}

/// The Team Leader's decision on the open proposal: approve it, or send it back saying why.
#[component]
fn DecideForms(open: WorkflowView, decide: ServerAction<DecideItem>) -> impl IntoView {
    let o = open;
    view! {
    <div class="decide">
        <ActionForm action=decide attr:class="stack" attr:data-testid="approve-form">
            <input type="hidden" name="item_id" value=o.id.to_string() />
            <input type="hidden" name="version" value=o.version.to_string() />
            <input type="hidden" name="action" value="approve" />
            <button type="submit" class="button">{format!("Approve: {}", o.outcome_label)}</button>
        </ActionForm>
        <ActionForm action=decide attr:class="stack" attr:data-testid="send-back-form">
            <input type="hidden" name="item_id" value=o.id.to_string() />
            <input type="hidden" name="version" value=o.version.to_string() />
            <input type="hidden" name="action" value="send_back" />
            <div class="form-group">
                <label for="send-back-note">"Or send it back, saying what to change"</label>
                <textarea id="send-back-note" name="note" rows="2" required minlength="5"></textarea>
            </div>
            <button type="submit" class="button secondary">"Send back"</button>
        </ActionForm>
    </div>
    }
}

/// Every proposal the tenancy's review has had, and what became of it.
#[component]
fn ReviewHistory(history: Vec<WorkflowView>) -> impl IntoView {
    view! {
    <details>
        <summary>"Review history"</summary>
        <ol class="timeline">
            {history.iter().map(|w| view! {
                <li>
                    <span class="when">{crate::model::day_of(w.proposed_at)}</span>
                    <strong>{w.outcome_label.clone()}</strong>{format!(" · {}", w.state.as_str().replace('_', " "))}
                    <div class="muted small">{format!("Proposed by {}", w.proposed_by)}{w.decided_by.clone().map(|d| format!(" · decided by {d}"))}{w.effective_on.map(|d| format!(" · effective {d}"))}</div>
                </li>
            }).collect_view()}
        </ol>
    </details>
    }
}

/// Escalations to Legal or the Community Safety Hub: listed for everyone who may see the tenancy
/// (the owner keeps sight of them), with the form and the conclude/withdraw buttons each viewer may use.
#[component]
fn Escalations(panel: crate::model::ReviewPanel, escalate: ServerAction<EscalateTenancy>, decide: ServerAction<DecideItem>) -> impl IntoView {
    use crate::domain::workflow::EscalationPurpose;
    if panel.escalations.is_empty() && !panel.can_escalate {
        return ().into_any();
    }
    let (reference, version) = (panel.tenancy_reference.clone(), panel.tenancy_version.to_string());
    view! {
        <section class="card review" aria-labelledby="esc-h" data-testid="escalations">
            <h2 id="esc-h">"Escalations"</h2>
            {panel.escalations.iter().map(|w| {
                let w = w.clone();
                let (conclude, withdraw) = (w.actions.contains(&Move::Acknowledge), w.actions.contains(&Move::Withdraw));
                let (id, v) = (w.id.to_string(), w.version.to_string());
                let (id2, v2) = (id.clone(), v.clone());
                view! {
                    <div class="proposal" data-testid="escalation">
                        <p><span class="tag">{if w.state == crate::domain::workflow::FlowState::Proposed { "open".to_string() } else { w.state.as_str().replace('_', " ") }}</span>" "<strong>{w.outcome_label.clone()}</strong>{format!(" — by {} on {}", w.proposed_by, crate::model::day_of(w.proposed_at))}</p>
                        <p class="muted">{w.reason.clone()}</p>
                        {w.decided_by.clone().map(|d| view! { <p><strong>{format!("Concluded by {d}: ")}</strong>{w.decision_note.clone()}</p> })}
                        {conclude.then(|| view! {
                            <ActionForm action=decide attr:class="stack" attr:data-testid="conclude-form">
                                <input type="hidden" name="item_id" value=id.clone() />
                                <input type="hidden" name="version" value=v.clone() />
                                <input type="hidden" name="action" value="acknowledge" />
                                <div class="form-group">
                                    <label for=format!("outcome-{id}")>"Outcome"</label>
                                    <textarea id=format!("outcome-{id}") name="note" rows="2" required minlength="5"></textarea>
                                </div>
                                <button type="submit" class="button">"Conclude"</button>
                            </ActionForm>
                        })}
                        {withdraw.then(|| view! {
                            <ActionForm action=decide>
                                <input type="hidden" name="item_id" value=id2.clone() />
                                <input type="hidden" name="version" value=v2.clone() />
                                <input type="hidden" name="action" value="withdraw" />
                                <button type="submit" class="link-like">"Withdraw this escalation"</button>
                            </ActionForm>
                        })}
                    </div>
                }
            }).collect_view()}
            {panel.can_escalate.then(|| view! {
                <ActionForm action=escalate attr:class="stack" attr:data-testid="escalate-form">
                    <input type="hidden" name="reference" value=reference.clone() />
                    <input type="hidden" name="version" value=version.clone() />
                    <div class="form-group">
                        <label for="purpose">"Escalate to"</label>
                        <select id="purpose" name="purpose" required>
                            {EscalationPurpose::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{p.label()}</option> }).collect_view()}
                        </select>
                    </div>
                    <div class="form-group">
                        <label for="esc-reason">"Reason"</label>
                        <textarea id="esc-reason" name="reason" rows="2" required minlength="10" maxlength="4000"></textarea>
                    </div>
                    <button type="submit" class="button secondary">"Escalate"</button>
                </ActionForm>
            })}
        </section>
    }
    .into_any()
}
