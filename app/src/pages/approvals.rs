//! The approvals queue: open proposals in the user's area, most urgent first.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::reviews::{get_approvals, get_reviews_due};
use crate::components::{ClockBadge, ErrorPanel, loading};

#[component]
pub fn ApprovalsPage() -> impl IntoView {
    let items = crate::api::compact_resource(|| (), |_| get_approvals());
    let due = crate::api::compact_resource(|| (), |_| get_reviews_due());
    view! {
        <Title text="Approvals" />
        <h1>"Approvals"</h1>
        <p class="lede">"Open proposals in your area, most urgent first: introductory reviews, referrals to the Sustainable Tenancy HMO, hand-backs and escalations waiting for a decision, and those sent back to their officer."</p>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match due.await {
                    Err(_) => ().into_any(),
                    Ok(rows) => view! {
                        <h2 id="due">{format!("Introductory reviews due, no decision yet ({})", rows.len())}</h2>
                        {if rows.is_empty() { view! { <p class="muted">"None coming up without a decision."</p> }.into_any() } else { view! {
                            <div class="table-wrap">
                            <table class="data" data-testid="reviews-due">
                                <thead><tr><th scope="col">"Tenancy"</th><th scope="col">"Tenants"</th><th scope="col">"Tenure"</th><th scope="col">"Trial ends"</th></tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|t| view! {
                                        <tr>
                                            <td><a href=format!("/tenancies/{}", t.reference)>{format!("{}, {}", t.address, t.postcode)}</a><div class="muted small">{t.reference.clone()}</div></td>
                                            <td>{t.tenants.clone()}</td>
                                            <td>{t.tenure.label()}</td>
                                            <td>{t.trial_ends_on.map(|d| d.to_string())}" "<ClockBadge status=t.clock /><crate::components::NoticeBy by=t.notice_by clock=t.notice_clock review=t.clock /></td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                        }.into_any() }}
                    }.into_any(),
                }
            })}
        </Suspense>
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match items.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(list) if list.is_empty() => view! { <p class="muted" data-testid="no-approvals">"Nothing is waiting for a decision."</p> }.into_any(),
                    Ok(list) => {
                        let (waiting, returned): (Vec<_>, Vec<_>) = list.into_iter().partition(|w| w.state == crate::domain::workflow::FlowState::Proposed);
                        view! {
                        <h2>{format!("Waiting for a decision ({})", waiting.len())}</h2>
                        <ApprovalTable items=waiting testid="approvals" />
                        <h2>{format!("Sent back to officers ({})", returned.len())}</h2>
                        <ApprovalTable items=returned testid="sent-back" />
                    }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
fn ApprovalTable(items: Vec<crate::model::WorkflowView>, testid: &'static str) -> impl IntoView {
    if items.is_empty() {
        return view! { <p class="muted">"None."</p> }.into_any();
    }
    let list = items;
    view! {
                        <div class="table-wrap">
                        <table class="data" data-testid=testid>
                            <thead><tr><th scope="col">"Tenancy or case"</th><th scope="col">"Proposal"</th><th scope="col">"By"</th><th scope="col">"State"</th><th scope="col">"Decide by"</th></tr></thead>
                            <tbody>
                                {list.into_iter().map(|w| view! {
                                    <tr>
                                        <td><a href=w.subject_href()>{w.address.clone()}</a><div class="muted small">{w.subject_reference.clone()}</div></td>
                                        <td><strong>{w.outcome_label.clone()}</strong><div class="muted small">{w.reason.clone()}</div></td>
                                        <td>{w.proposed_by.clone()}<div class="muted small">{crate::model::day_of(w.proposed_at)}</div></td>
                                        <td>{w.state.as_str().replace('_', " ")}</td>
                                        <td>{w.due_on.as_deref().map(crate::model::date_part)}" "<ClockBadge status=w.clock /></td>
                                    </tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                        </div>
    }
    .into_any()
}
