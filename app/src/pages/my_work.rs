//! *My work*: the signed-in user's desk, as `domain::desk` sets it out for their role: an officer's
//! caseload, most urgent first; Legal's and the Community Safety Hub's queue of escalations with
//! their clocks. A role that works elsewhere (administrators) is sent there.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::desk::get_my_work;
use crate::api::visits::CloseFollowUp;
use crate::components::{ActionError, ClockBadge, ErrorPanel, NoticeBy, loading};
use crate::domain::desk::{Landing, Section};
use crate::model::{CaseRow, FollowUpRow, MyWork, TenancyRow, WorkflowView, date_part};

#[component]
pub fn MyWorkPage() -> impl IntoView {
    // `?all=1` lists every tenancy the officer manages; by default the most urgent.
    let query = leptos_router::hooks::use_query_map();
    let all = move || query.with(|q| q.get("all").is_some_and(|v| v == "1" || v == "true"));
    let work = crate::api::compact_resource(all, get_my_work);
    view! {
        <Title text="My work" />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match work.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(w) => desk(w, all()),
                }
            })}
        </Transition>
    }
}

/// The desk's parts, in the order its role's desk lists them.
fn desk(w: MyWork, all: bool) -> AnyView {
    if w.desk.landing != Landing::MyWork {
        // Not this role's desk (the server sends a page request on; this is for a link followed in the browser).
        let to = w.desk.landing_path;
        return view! {
            <leptos_router::components::Redirect path=to.clone() />
            <p><a href=to>"Go to your desk"</a></p>
        }
        .into_any();
    }
    let total = w.tenancies_total;
    let user = w.user;
    let (mut covers, mut waiting, mut referrals, mut cases, mut tenancies, mut follow_ups, mut hazards) =
        (Some(w.covers), Some(w.waiting), Some(w.referrals), Some(w.cases), Some(w.tenancies), Some(w.follow_ups), Some(w.hazards));
    let queue_heading = w.desk.queue_heading.unwrap_or_default();
    let parts = w
        .desk
        .sections
        .into_iter()
        .map(|section| match section {
            Section::Covers => {
                let covers = covers.take().unwrap_or_default();
                (!covers.is_empty())
                    .then(|| {
                        view! {
                            <div class="notice" data-testid="my-covers">
                                {covers.iter().filter_map(|c| c.notice_for(&user.display_name)).map(|text| view! { <p>{text}</p> }).collect_view()}
                            </div>
                        }
                    })
                    .into_any()
            }
            Section::Waiting => {
                let waiting = waiting.take().unwrap_or_default();
                (!waiting.is_empty())
                    .then(|| {
                        view! {
                            <section aria-labelledby="waiting-h">
                                <h2 id="waiting-h">{format!("Waiting for you ({})", waiting.len())}</h2>
                                <WaitingTable rows=waiting testid="waiting" />
                            </section>
                        }
                    })
                    .into_any()
            }
            Section::TeamQueue => {
                let queue = waiting.take().unwrap_or_default();
                let empty = format!("{}.", queue_heading.replacen("Waiting", "Nothing is waiting", 1));
                view! {
                    <section aria-labelledby="waiting-h" data-testid="team-queue-section">
                        <h2 id="waiting-h">{format!("{} ({})", queue_heading, queue.len())}</h2>
                        {if queue.is_empty() {
                            view! { <p class="muted">{empty}</p> }.into_any()
                        } else {
                            view! { <WaitingTable rows=queue testid="team-queue" /> }.into_any()
                        }}
                    </section>
                }
                .into_any()
            }
            Section::Referrals => {
                let referrals = referrals.take().unwrap_or_default();
                (!referrals.is_empty())
                    .then(|| {
                        view! {
                            <section aria-labelledby="refs-h" data-testid="my-referrals">
                                <h2 id="refs-h">{format!("Referrals needing you ({})", referrals.len())}</h2>
                                <crate::pages::referrals::ReferralTable rows=referrals />
                            </section>
                        }
                    })
                    .into_any()
            }
            Section::FollowUps => {
                let rows = follow_ups.take().unwrap_or_default();
                let hazards = hazards.take().unwrap_or_default();
                view! {
                    {(!hazards.is_empty()).then(|| view! { <crate::pages::hazards::HazardsSection rows=hazards /> })}
                    {(!rows.is_empty()).then(|| view! { <FollowUpsSection rows /> })}
                }
                .into_any()
            }
            Section::Cases => view! { <CasesSection cases=cases.take().unwrap_or_default() /> }.into_any(),
            Section::Tenancies => view! { <TenanciesSection tenancies=tenancies.take().unwrap_or_default() total all /> }.into_any(),
        })
        .collect_view();
    view! {
        <h1>"My work"</h1>
        <p class="lede">{format!("{}, {}", user.display_name, user.role.label())}{user.area_team.clone().map(|a| format!(", {a} team"))}</p>
        {(!w.alarms.is_empty()).then(|| view! {
            <div class="alarms" role="alert" data-testid="alarms">
                {w.alarms.into_iter().map(|a| view! {
                    <p class=format!("alarm {}", a.level.css_class())><a href=a.href>{a.text}</a></p>
                }).collect_view()}
            </div>
        })}
        <ul class="counts" data-testid="counts">
            {w.counts.into_iter().map(|c| view! {
                <li><span class="count">{c.count}</span><span class="count-label">{c.label}</span></li>
            }).collect_view()}
        </ul>
        {parts}
    }
    .into_any()
}

/// What visits to the officer's homes found and must be followed up, most urgent first, each closed
/// with what was done.
#[component]
pub(crate) fn FollowUpsSection(rows: Vec<FollowUpRow>) -> impl IntoView {
    let close = ServerAction::<CloseFollowUp>::new();
    // Each follow-up closed here turns into "Closed" in place (without JavaScript the page reloads without it).
    let done = RwSignal::new(Vec::<i64>::new());
    Effect::new(move |_| {
        if let Some(Ok(id)) = close.value().get() {
            done.update(|d| d.push(id));
        }
    });
    let closed = move |id: i64| done.with(|d| d.contains(&id));
    view! {
        <section aria-labelledby="follow-h" data-testid="follow-ups">
            <h2 id="follow-h">{format!("Follow-ups from visits ({})", rows.len())}</h2>
            <ActionError error=Signal::derive(move || close.value().get().and_then(|r| r.err())) />
            <div class="table-wrap">
            <table class="data cards">
                <thead><tr><th scope="col">"Found"</th><th scope="col">"Home"</th><th scope="col">"Due"</th><th scope="col">"Done"</th></tr></thead>
                <tbody>
                    {rows.into_iter().map(|f| {
                        let id = f.id;
                        view! {
                            <tr>
                                <td data-label="Found"><strong>{f.kind.label()}</strong><div class="small">{f.detail}</div><div class="muted small">{format!("Visit on {}", f.visited_on)}</div></td>
                                <td data-label="Home"><a href=format!("/tenancies/{}", f.tenancy_reference)>{f.address}</a></td>
                                <td data-label="Due">{crate::domain::clock::format_london(f.due_at)}" "<ClockBadge status=Some(f.clock) /></td>
                                <td data-label="Done">
                                    {move || if closed(id) { view! { <span class="tag">"Closed"</span> }.into_any() } else { view! {
                                        <ActionForm action=close attr:class="inline">
                                            <input type="hidden" name="id" value=id.to_string() />
                                            <label class="visually-hidden" for=format!("done-{id}")>{format!("What was done about the {}", f.kind.label().to_lowercase())}</label>
                                            <input id=format!("done-{id}") type="text" name="note" required minlength="3" maxlength="2000" placeholder="What was done" />
                                            <button type="submit" class="button secondary">"Close"</button>
                                        </ActionForm>
                                    }.into_any() }}
                                </td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}

/// The open cases the officer owns (or covers), most urgent first.
#[component]
fn CasesSection(cases: Vec<CaseRow>) -> impl IntoView {
    view! {
        <section aria-labelledby="cases-h">
            <h2 id="cases-h">"Open cases"</h2>
            {if cases.is_empty() {
                view! { <p class="muted">"No open cases."</p> }.into_any()
            } else {
                view! {
                    <div class="table-wrap">
                    <table class="data cards">
                        <thead><tr><th scope="col">"Case"</th><th scope="col">"Kind"</th><th scope="col">"Address"</th><th scope="col">"Due"</th><th scope="col">"Clock"</th></tr></thead>
                        <tbody>
                            {cases.into_iter().map(|c| view! {
                                <tr>
                                    <td data-label="Case">
                                        <a href=format!("/cases/{}", c.reference)>{c.title}</a>
                                        <div class="muted small">{c.reference}</div>
                                    </td>
                                    <td data-label="Kind">{c.kind.label()}</td>
                                    <td data-label="Address">{c.address}</td>
                                    <td data-label="Due">{c.due_at.map(crate::model::day_of)}</td>
                                    <td data-label="Clock"><ClockBadge status=c.clock /></td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }.into_any()
            }}
        </section>
    }
}

/// The tenancies the officer manages: the most urgent page of them, or all.
#[component]
fn TenanciesSection(tenancies: Vec<TenancyRow>, total: i64, all: bool) -> impl IntoView {
    let shown = tenancies.len() as i64;
    view! {
        <section aria-labelledby="ten-h">
            <h2 id="ten-h">"Tenancies I manage"</h2>
            {(total > shown).then(|| view! {
                <p class="muted">{format!("Showing the {shown} most urgent of {total}. ")}<a href="/?all=1#ten-h" data-testid="show-all">{format!("Show all {total}")}</a></p>
            })}
            {(all && shown > crate::model::CASELOAD_PAGE).then(|| view! {
                <p class="muted"><a href="/#ten-h">"Show the most urgent only"</a></p>
            })}
            {(total == 0).then(|| view! { <p class="muted">"You manage no tenancies directly."</p> })}
            <div class="table-wrap" class:hidden={total == 0}>
            <table class="data cards" data-testid="caseload">
                <thead><tr><th scope="col">"Tenancy"</th><th scope="col">"Tenants"</th><th scope="col">"Address"</th><th scope="col">"Tenure"</th><th scope="col" class="num">"Balance"</th><th scope="col">"Review due"</th></tr></thead>
                <tbody>
                    {tenancies.into_iter().map(|t| { let href = format!("/tenancies/{}", t.reference); view! {
                        <tr>
                            <td data-label="Tenancy"><a href=href>{t.reference}</a></td>
                            <td data-label="Tenants">{t.tenants}</td>
                            <td data-label="Address">{t.address}", "{t.postcode}</td>
                            <td data-label="Tenure">{t.tenure.label()}</td>
                            <td data-label="Balance" class="num" class:arrears={t.balance.0 > 0}>{t.balance.pounds()}</td>
                            <td data-label="Review due">{t.trial_ends_on.map(|d| d.to_string())}" "<ClockBadge status=t.clock /><NoticeBy by=t.notice_by clock=t.notice_clock review=t.clock /></td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}

/// Workflow items waiting for someone, with what, from whom and their clock.
#[component]
fn WaitingTable(rows: Vec<WorkflowView>, testid: &'static str) -> impl IntoView {
    view! {
        <div class="table-wrap">
        <table class="data cards" data-testid=testid>
            <thead><tr><th scope="col">"Tenancy or case"</th><th scope="col">"What"</th><th scope="col">"From"</th><th scope="col">"Due"</th></tr></thead>
            <tbody>
                {rows.into_iter().map(|i| {
                    let (what, note) = i.waiting_summary();
                    let (href, from, due) = (i.subject_href(), i.waiting_from(), i.due_on.as_deref().map(date_part));
                    view! {
                        <tr>
                            <td data-label="Tenancy or case"><a href=href>{i.address}</a><div class="muted small">{i.subject_reference}</div></td>
                            <td data-label="What"><strong>{what}</strong><div class="muted small">{note}</div></td>
                            <td data-label="From">{from}</td>
                            <td data-label="Due">{due}" "<ClockBadge status=i.clock /></td>
                        </tr>
                    }
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }
}
