//! The case page: the case and its clock, its moves between roles (referral to the Sustainable
//! Tenancy HMO, hand-back, escalation) with exactly the moves the viewer may make, the action
//! plan agreed with the tenant, and the case's history. Every form works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::casework::{AddPlanAction, EscalateCase, HandBackCase, RecordComplaintStep, ReferCase, SetPlanDates, UpdatePlanAction, get_case};
use crate::api::reviews::DecideItem;
use crate::components::{ActionError, ClockBadge, ErrorPanel, Field, loading, succeeded};
use crate::domain::Role;
use crate::domain::sustain::{ActionOwner, ActionStatus, ReferralText};
use crate::domain::workflow::{EscalationPurpose, Flow, Move};
use crate::model::{CaseDetail, OfficerOption, WorkflowView};

#[component]
pub fn CasePage() -> impl IntoView {
    let params = use_params_map();
    let refer = ServerAction::<ReferCase>::new();
    let decide = ServerAction::<DecideItem>::new();
    let hand_back = ServerAction::<HandBackCase>::new();
    let add = ServerAction::<AddPlanAction>::new();
    let update = ServerAction::<UpdatePlanAction>::new();
    let plan = ServerAction::<SetPlanDates>::new();
    let escalate = ServerAction::<EscalateCase>::new();
    let complaint = ServerAction::<RecordComplaintStep>::new();
    // Reload after a successful change only: a refused form keeps what was typed.
    let landed = [
        succeeded(refer),
        succeeded(decide),
        succeeded(hand_back),
        succeeded(add),
        succeeded(update),
        succeeded(plan),
        succeeded(escalate),
        succeeded(complaint),
    ];
    let data =
        Resource::new(move || (params.read().get("reference").unwrap_or_default(), landed.iter().map(|m| m.get()).collect::<Vec<_>>()), |(r, _)| get_case(r));
    let error = move || {
        [refer.value().get().and_then(|r| r.err()), decide.value().get().and_then(|r| r.err()), hand_back.value().get().and_then(|r| r.err())]
            .into_iter()
            .chain([
                add.value().get().and_then(|r| r.err()),
                update.value().get().and_then(|r| r.err()),
                plan.value().get().and_then(|r| r.err()),
                escalate.value().get().and_then(|r| r.err()),
            ])
            .flatten()
            .next()
    };
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <Title text="Case" /><ErrorPanel error=e /> }.into_any(),
                    Ok(c) => {
                        let opened = crate::model::day_of(c.opened_at);
                        let due = c.due_at.map(crate::model::day_of).unwrap_or_else(|| "—".into());
                        let clock = c.clock;
                        view! {
                        <Title text=format!("Case {}", c.reference) />
                        <p class="crumbs">{c.tenancy_reference.clone().map(|t| view! { <a href=format!("/tenancies/{t}")>{format!("Tenancy {t}")}</a>" › " })}"Case"</p>
                        <h1 data-testid="case-heading">{c.title.clone()}</h1>
                        <p class="lede">
                            <span class="tag">{c.kind.label()}</span>" "
                            {c.restricted.then(|| view! { <span class="tag restricted">"Restricted: need to know"</span>" " })}
                            {format!("Case {} · {} · {} team{} · {}", c.reference, c.address, c.area_team, c.patch.clone().map(|p| format!(" · {p}")).unwrap_or_default(), c.status)}
                        </p>
                        <ActionError error=Signal::derive(error) />
                        <div class="grid">
                            <section class="card" aria-labelledby="owner-h">
                                <h2 id="owner-h">"Held by"</h2>
                                {match c.owner.clone() {
                                    Some(o) => view! { <p data-testid="case-owner"><strong>{o.name}</strong><br />{o.role.label()}</p> }.into_any(),
                                    None => view! { <p>"No owner"</p> }.into_any(),
                                }}
                                <dl class="summary">
                                    <Field label="Opened">{opened}</Field>
                                    <Field label="Next step due">{due}" "<ClockBadge status=clock /></Field>
                                </dl>
                                {(!c.summary.is_empty()).then(|| view! { <p class="muted">{c.summary.clone()}</p> })}
                            </section>
                            <Moves case=c.clone() refer=refer decide=decide hand_back=hand_back escalate=escalate />
                        </div>
                        {c.tenancy_reference.clone().filter(|_| c.status == crate::domain::CaseStatus::Open).map(|t| view! {
                            <p><a class="button secondary" data-testid="case-refer-link" href=format!("/tenancies/{t}/refer?case={}", c.reference)>"Refer to a partner agency"</a></p>
                        })}
                        <super::complaint::ComplaintSection case=c.clone() step=complaint />
                        <Plan case=c.clone() add=add update=update plan=plan />
                        <section class="card" aria-labelledby="hist-h">
                            <h2 id="hist-h">"History"</h2>
                            {if c.history.is_empty() { view! { <p class="muted">"No transfers yet."</p> }.into_any() } else { view! {
                                <ol class="timeline" data-testid="case-history">
                                    {c.history.iter().map(|h| view! {
                                        <li>
                                            <span class="when">{crate::model::day_of(h.at)}</span>
                                            <strong>{h.kind.clone()}</strong>{format!(": {} → {}", h.from.clone().unwrap_or_else(|| "—".into()), h.to)}
                                            <div class="muted small">{h.reason.clone()}{h.by.clone().map(|b| format!(" · requested by {b}"))}{h.approved_by.clone().map(|a| format!(" · approved by {a}"))}</div>
                                        </li>
                                    }).collect_view()}
                                </ol>
                            }.into_any() }}
                        </section>
                    }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// A button (with an optional note) that makes one move on one workflow item.
#[component]
fn MoveForm(
    item: WorkflowView,
    mv: Move,
    decide: ServerAction<DecideItem>,
    label: String,
    #[prop(optional)] note: Option<&'static str>,
    #[prop(optional)] secondary: bool,
) -> impl IntoView {
    let id = format!("note-{}-{}", item.id, mv.label().to_lowercase().replace(' ', "-"));
    view! {
        <ActionForm action=decide attr:class="stack" attr:data-testid=format!("{}-form", mv.label().to_lowercase().replace(' ', "-"))>
            <input type="hidden" name="item_id" value=item.id.to_string() />
            <input type="hidden" name="version" value=item.version.to_string() />
            <input type="hidden" name="action" value=serde_json::to_value(mv).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default() />
            {note.map(|n| view! {
                <div class="form-group">
                    <label for=id.clone()>{n}</label>
                    <textarea id=id.clone() name="note" rows="2" maxlength="4000"></textarea>
                </div>
            })}
            <button type="submit" class=if secondary { "button secondary" } else { "button" }>{label}</button>
        </ActionForm>
    }
}

/// Referrals, hand-backs and escalations of the case, and the forms to start them.
#[component]
fn Moves(
    case: CaseDetail,
    refer: ServerAction<ReferCase>,
    decide: ServerAction<DecideItem>,
    hand_back: ServerAction<HandBackCase>,
    escalate: ServerAction<EscalateCase>,
) -> impl IntoView {
    let officers = case.sustainable_officers.clone();
    let open_actions = case.actions.iter().filter(|a| a.status == ActionStatus::Open).count();
    let holder_is_sthmo = case.owner.as_ref().is_some_and(|o| o.role == Role::SustainableHmo);
    let (reference, version) = (case.reference.clone(), case.version.to_string());
    let (reference2, version2) = (reference.clone(), version.clone());
    let (reference3, version3) = (reference.clone(), version.clone());
    view! {
        <section class="card" aria-labelledby="moves-h" data-testid="moves">
            <h2 id="moves-h">"Between roles"</h2>
            {if case.workflow.is_empty() { Some(view! { <p class="muted">"No referrals, hand-backs or escalations yet."</p> }) } else { None }}
            {case.workflow.iter().map(|w| view! { <MoveItem w=w.clone() officers=officers.clone() decide /> }).collect_view()}
            {case.can_refer.then(|| view! {
                <ActionForm action=refer attr:class="stack" attr:data-testid="refer-form">
                    <h3>"Refer to the Sustainable Tenancy HMO"</h3>
                    <p class="muted small">"Your Team Leader accepts (assigning an officer) or declines with reasons."</p>
                    <input type="hidden" name="reference" value=reference.clone() />
                    <input type="hidden" name="version" value=version.clone() />
                    <div class="form-group"><label for="concerns">"Concerns"</label><textarea id="concerns" name="concerns" rows="3" required minlength="10" maxlength="4000"></textarea></div>
                    <div class="form-group"><label for="risks">"Risks"</label><textarea id="risks" name="risks" rows="2" required minlength="5" maxlength="4000"></textarea></div>
                    <div class="form-group"><label for="tried">"What has been tried"</label><textarea id="tried" name="tried" rows="2" required minlength="5" maxlength="4000"></textarea></div>
                    <button type="submit" class="button">"Send referral to Team Leader"</button>
                </ActionForm>
            })}
            {case.can_hand_back.then(|| view! {
                <ActionForm action=hand_back attr:class="stack" attr:data-testid="hand-back-form">
                    <h3>"Hand back to the Community HMO"</h3>
                    <input type="hidden" name="reference" value=reference2.clone() />
                    <input type="hidden" name="version" value=version2.clone() />
                    <div class="form-group"><label for="summary">"Summary: what the plan achieved, what to watch for"</label><textarea id="summary" name="summary" rows="3" required minlength="20" maxlength="4000"></textarea></div>
                    <button type="submit" class="button">"Propose hand-back"</button>
                </ActionForm>
            })}
            {case.can_escalate.then(|| view! {
                <details>
                    <summary>"Escalate to Legal or the Community Safety Hub"</summary>
                    <ActionForm action=escalate attr:class="stack" attr:data-testid="escalate-case-form">
                        <input type="hidden" name="reference" value=reference3.clone() />
                        <input type="hidden" name="version" value=version3.clone() />
                        <div class="form-group">
                            <label for="case-purpose">"Escalate to"</label>
                            <select id="case-purpose" name="purpose" required>
                                {EscalationPurpose::ALL.into_iter().map(|p| view! { <option value=p.as_str()>{p.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="form-group"><label for="case-esc-reason">"Reason"</label><textarea id="case-esc-reason" name="reason" rows="2" required minlength="10" maxlength="4000"></textarea></div>
                        <button type="submit" class="button secondary">"Escalate"</button>
                    </ActionForm>
                </details>
            })}
            {(holder_is_sthmo && case.can_edit_plan && !case.can_hand_back && open_actions > 0).then(|| view! {
                <p class="muted small">{format!("To hand the case back, first mark the {open_actions} open action{} done or no longer needed.", if open_actions == 1 { "" } else { "s" })}</p>
            })}
        </section>
    }
}

/// One proposal between roles on the case: its step, clock and words, with the moves the viewer may make.
#[component]
fn MoveItem(w: WorkflowView, officers: Vec<OfficerOption>, decide: ServerAction<DecideItem>) -> impl IntoView {
    let referral = (w.flow == Flow::ReferralToSustainable).then(|| ReferralText::from_stored(&w.reason, &w.detail));
    let can = |m: Move| w.actions.contains(&m);
    view! {
        <div class="proposal" data-testid=format!("item-{}", match w.flow { Flow::ReferralToSustainable => "referral", Flow::HandBack => "hand-back", Flow::Escalation => "escalation", Flow::IntroductoryReview => "review" })>
            <p>
                <span class="tag">{w.state.as_str().replace('_', " ")}</span>" "<strong>{w.outcome_label.clone()}</strong>
                {format!(" — by {} on {}", w.proposed_by, crate::model::day_of(w.proposed_at))}
                {w.due_on.clone().filter(|_| w.clock.is_some()).map(|d| format!(" · due {}", d.chars().take(10).collect::<String>()))}" "<ClockBadge status=w.clock />
            </p>
            {match referral.clone() {
                Some(r) => view! {
                    <dl class="summary">
                        <Field label="Concerns">{r.concerns}</Field>
                        <Field label="Risks">{r.risks}</Field>
                        <Field label="Tried so far">{r.tried}</Field>
                    </dl>
                }.into_any(),
                None => view! { <p class="muted">{w.reason.clone()}</p> }.into_any(),
            }}
            {w.decided_by.clone().map(|d| view! { <p><strong>{format!("{d}: ")}</strong>{w.decision_note.clone()}</p> })}
            {(w.flow == Flow::ReferralToSustainable && can(Move::Approve)).then(|| view! {
                <ActionForm action=decide attr:class="stack" attr:data-testid="accept-form">
                    <input type="hidden" name="item_id" value=w.id.to_string() />
                    <input type="hidden" name="version" value=w.version.to_string() />
                    <input type="hidden" name="action" value="approve" />
                    <div class="form-group">
                        <label for=format!("assign-{}", w.id)>"Accept and assign to"</label>
                        <select id=format!("assign-{}", w.id) name="assign_to" required>
                            <option value="">"Choose a Sustainable Tenancy HMO"</option>
                            {officers.iter().map(|o| view! { <option value=o.id.to_string()>{format!("{} ({} open cases)", o.name, o.open_cases)}</option> }).collect_view()}
                        </select>
                    </div>
                    <button type="submit" class="button">"Accept referral"</button>
                </ActionForm>
            })}
            {(w.flow == Flow::HandBack && can(Move::Acknowledge)).then(|| view! { <MoveForm item=w.clone() mv=Move::Acknowledge decide=decide label="Acknowledge: take the case back".into() note="Note (optional)" /> })}
            {(w.flow == Flow::Escalation && can(Move::Acknowledge)).then(|| view! { <MoveForm item=w.clone() mv=Move::Acknowledge decide=decide label="Conclude".into() note="Outcome" /> })}
            {can(Move::Decline).then(|| view! { <MoveForm item=w.clone() mv=Move::Decline decide=decide label="Decline".into() note="Reasons for declining" secondary=true /> })}
            {can(Move::SendBack).then(|| view! { <MoveForm item=w.clone() mv=Move::SendBack decide=decide label="Send back".into() note="What should change" secondary=true /> })}
            {can(Move::Withdraw).then(|| view! { <MoveForm item=w.clone() mv=Move::Withdraw decide=decide label="Withdraw".into() secondary=true /> })}
        </div>
    }
}

/// The action plan: agreement and review dates, the actions with owner, due date and clock.
#[component]
fn Plan(case: CaseDetail, add: ServerAction<AddPlanAction>, update: ServerAction<UpdatePlanAction>, plan: ServerAction<SetPlanDates>) -> impl IntoView {
    let has_plan = case.can_edit_plan || !case.actions.is_empty() || case.plan_agreed_on.is_some();
    if !has_plan {
        return ().into_any();
    }
    let edit = case.can_edit_plan;
    let (reference, version) = (case.reference.clone(), case.version.to_string());
    let reference_add = reference.clone();
    let (agreed, review) = (case.plan_agreed_on.map(|d| d.to_string()).unwrap_or_default(), case.next_review_on.map(|d| d.to_string()).unwrap_or_default());
    let agreed_label = case.plan_agreed_on.map(|d| d.to_string()).unwrap_or_else(|| "Not yet".into());
    let review_label = case.next_review_on.map(|d| d.to_string()).unwrap_or_else(|| "—".into());
    view! {
        <section class="card" aria-labelledby="plan-h" data-testid="plan">
            <h2 id="plan-h">"Action plan"</h2>
            <dl class="summary">
                <Field label="Agreed with the tenant">{agreed_label}</Field>
                <Field label="Next review">{review_label}</Field>
            </dl>
            {if case.actions.is_empty() { view! { <p class="muted">"No actions yet."</p> }.into_any() } else { view! {
                <div class="table-wrap">
                <table class="data" data-testid="plan-actions">
                    <thead><tr><th scope="col">"Action"</th><th scope="col">"Who"</th><th scope="col">"Due"</th><th scope="col">"Status"</th>{edit.then(|| view! { <th scope="col">"Update"</th> })}</tr></thead>
                    <tbody>
                        {case.actions.iter().map(|a| {
                            let a = a.clone();
                            view! {
                                <tr>
                                    <td>{a.description.clone()}{(!a.note.is_empty()).then(|| view! { <div class="muted small">{a.note.clone()}</div> })}</td>
                                    <td>
                                        {a.owner_label.clone()}
                                        {(a.owner_kind == ActionOwner::Agency && a.status == ActionStatus::Open).then(|| case.tenancy_reference.clone()).flatten().map(|t| view! {
                                            <div class="small"><a href=format!("/tenancies/{t}/refer?case={}&about={}", case.reference, crate::pages::tenancy::urlencode(&format!("Plan action: {}", a.description)))>"Refer to the agency"</a></div>
                                        })}
                                    </td>
                                    <td>{a.due_on.to_string()}" "<ClockBadge status=a.clock /></td>
                                    <td>{a.status.label()}</td>
                                    {edit.then(|| {
                                        let next = a.status.moves().iter().map(|(s, label)| (s.as_str(), *label));
                                        let (id, v, desc) = (a.id.to_string(), a.version.to_string(), a.description.clone());
                                        view! { <td class="actions">{next.map(|(code, label)| { let (id, v, desc) = (id.clone(), v.clone(), desc.clone()); view! {
                                            <ActionForm action=update attr:class="inline">
                                                <input type="hidden" name="action_id" value=id.clone() />
                                                <input type="hidden" name="version" value=v.clone() />
                                                <input type="hidden" name="status" value=code />
                                                <button type="submit" class="link-like" aria-label=format!("{label}: {desc}")>{label}</button>
                                            </ActionForm>
                                        }}).collect_view()}</td> }
                                    })}
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            }.into_any() }}
            {edit.then(|| view! {
                <div class="grid">
                    <ActionForm action=add attr:class="stack" attr:data-testid="add-action-form">
                        <h3>"Add an action"</h3>
                        <input type="hidden" name="reference" value=reference_add.clone() />
                        <div class="form-group"><label for="action-desc">"Action"</label><textarea id="action-desc" name="description" rows="2" required minlength="5" maxlength="1000"></textarea></div>
                        <div class="form-group">
                            <label for="action-owner">"Who does it"</label>
                            <select id="action-owner" name="owner" required>
                                {ActionOwner::ALL.iter().map(|o| view! { <option value=o.as_str()>{o.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="form-group"><label for="action-owner-name">"Name of officer or agency (not needed for the tenant)"</label><input id="action-owner-name" type="text" name="owner_name" maxlength="200" /></div>
                        <div class="form-group"><label for="action-due">"Due"</label><input id="action-due" name="due_on" type="date" required /></div>
                        <button type="submit" class="button">"Add action"</button>
                    </ActionForm>
                    <ActionForm action=plan attr:class="stack" attr:data-testid="plan-dates-form">
                        <h3>"Agreement and review"</h3>
                        <input type="hidden" name="reference" value=reference.clone() />
                        <input type="hidden" name="version" value=version.clone() />
                        <div class="form-group"><label for="agreed-on">"Plan agreed with the tenant on"</label><input id="agreed-on" name="agreed_on" type="date" required value=agreed.clone() /></div>
                        <div class="form-group"><label for="review-on">"Next review"</label><input id="review-on" name="next_review_on" type="date" required value=review.clone() /></div>
                        <button type="submit" class="button secondary">"Save dates"</button>
                    </ActionForm>
                </div>
            })}
        </section>
    }
    .into_any()
}
