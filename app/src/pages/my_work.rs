//! *My work*: the signed-in officer's caseload, most urgent first.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::desk::get_my_work;
use crate::components::{ClockBadge, ErrorPanel, loading};
use crate::model::date_part;

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
                    Ok(w) => {
                        let shown = w.tenancies.len() as i64;
                        let total = w.tenancies_total;
                        view! {
                            <h1>"My work"</h1>
                            <p class="lede">{format!("{}, {}", w.user.display_name, w.user.role.label())}{w.user.area_team.map(|a| format!(", {a} team"))}</p>
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
                            {(!w.covers.is_empty()).then(|| view! {
                                <div class="notice" data-testid="my-covers">
                                    {w.covers.iter().filter_map(|c| c.notice_for(&w.user.display_name)).map(|text| view! { <p>{text}</p> }).collect_view()}
                                </div>
                            })}
                            {(!w.waiting.is_empty()).then(|| view! {
                                <section aria-labelledby="waiting-h">
                                    <h2 id="waiting-h">{format!("Waiting for you ({})", w.waiting.len())}</h2>
                                    <div class="table-wrap">
                                    <table class="data" data-testid="waiting">
                                        <thead><tr><th scope="col">"Tenancy or case"</th><th scope="col">"What"</th><th scope="col">"From"</th><th scope="col">"Due"</th></tr></thead>
                                        <tbody>
                                            {w.waiting.into_iter().map(|i| {
                                                let (what, note) = i.waiting_summary();
                                                let (href, from, due) = (i.subject_href(), i.waiting_from(), i.due_on.as_deref().map(date_part));
                                                view! {
                                                    <tr>
                                                        <td><a href=href>{i.address}</a><div class="muted small">{i.subject_reference}</div></td>
                                                        <td><strong>{what}</strong><div class="muted small">{note}</div></td>
                                                        <td>{from}</td>
                                                        <td>{due}" "<ClockBadge status=i.clock /></td>
                                                    </tr>
                                                }
                                            }).collect_view()}
                                        </tbody>
                                    </table>
                                    </div>
                                </section>
                            })}
                            {(!w.referrals.is_empty()).then(|| view! {
                                <section aria-labelledby="refs-h" data-testid="my-referrals">
                                    <h2 id="refs-h">{format!("Referrals needing you ({})", w.referrals.len())}</h2>
                                    <crate::pages::referrals::ReferralTable rows=w.referrals />
                                </section>
                            })}
                            <section aria-labelledby="cases-h">
                                <h2 id="cases-h">"Open cases"</h2>
                                {if w.cases.is_empty() {
                                    view! { <p class="muted">"No open cases."</p> }.into_any()
                                } else {
                                    view! {
                                        <div class="table-wrap">
                                        <table class="data">
                                            <thead><tr><th scope="col">"Case"</th><th scope="col">"Kind"</th><th scope="col">"Address"</th><th scope="col">"Due"</th><th scope="col">"Clock"</th></tr></thead>
                                            <tbody>
                                                {w.cases.into_iter().map(|c| view! {
                                                    <tr>
                                                        <td>
                                                            <a href=format!("/cases/{}", c.reference)>{c.title}</a>
                                                            <div class="muted small">{c.reference}</div>
                                                        </td>
                                                        <td>{c.kind.label()}</td>
                                                        <td>{c.address}</td>
                                                        <td>{c.due_at.as_deref().map(date_part)}</td>
                                                        <td><ClockBadge status=c.clock /></td>
                                                    </tr>
                                                }).collect_view()}
                                            </tbody>
                                        </table>
                                        </div>
                                    }.into_any()
                                }}
                            </section>
                            <section aria-labelledby="ten-h">
                                <h2 id="ten-h">"Tenancies I manage"</h2>
                                {(total > shown).then(|| view! {
                                    <p class="muted">{format!("Showing the {shown} most urgent of {total}. ")}<a href="/?all=1#ten-h" data-testid="show-all">{format!("Show all {total}")}</a></p>
                                })}
                                {(all() && shown > crate::model::CASELOAD_PAGE).then(|| view! {
                                    <p class="muted"><a href="/#ten-h">"Show the most urgent only"</a></p>
                                })}
                                {(total == 0).then(|| view! { <p class="muted">"You manage no tenancies directly."</p> })}
                                <div class="table-wrap" class:hidden={total == 0}>
                                <table class="data" data-testid="caseload">
                                    <thead><tr><th scope="col">"Tenancy"</th><th scope="col">"Tenants"</th><th scope="col">"Address"</th><th scope="col">"Tenure"</th><th scope="col" class="num">"Balance"</th><th scope="col">"Review due"</th></tr></thead>
                                    <tbody>
                                        {w.tenancies.into_iter().map(|t| { let href = format!("/tenancies/{}", t.reference); view! {
                                            <tr>
                                                <td><a href=href>{t.reference}</a></td>
                                                <td>{t.tenants}</td>
                                                <td>{t.address}", "{t.postcode}</td>
                                                <td>{t.tenure.label()}</td>
                                                <td class="num" class:arrears={t.balance.0 > 0}>{t.balance.pounds()}</td>
                                                <td>{t.trial_ends_on}" "<ClockBadge status=t.clock /></td>
                                            </tr>
                                        }}).collect_view()}
                                    </tbody>
                                </table>
                                </div>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}
