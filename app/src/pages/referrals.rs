//! Referrals to partner agencies, for both sides: the list (an agency's referrals, or an area's),
//! one referral with its shared facts and thread, and the officer's form to make one. Agency users
//! are sent here and nowhere else. Every form works without JavaScript.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::api::referrals::{MakeReferral, MoveReferral, NameOnReferral, PostReferralMessage, get_referral, get_referral_start, get_referrals};
use crate::components::{ActionError, ClockBadge, ErrorPanel, Field, loading, succeeded};
use crate::domain::referral::{self, ReferralMove, SharedFacts, SharedField};
use crate::domain::{LawfulBasis, ReferralCategory, ReferralStatus, Urgency};
use crate::model::{ReferralDetail, ReferralMessageView, ReferralRow};

use crate::model::day_of as day;

fn status_tag(s: ReferralStatus) -> impl IntoView {
    view! { <span class=format!("tag status-{}", s.as_str())>{s.label()}</span> }
}

#[component]
pub fn ReferralsPage() -> impl IntoView {
    let query = use_query_map();
    let q = move |k: &str| query.read().get(k).filter(|v| !v.is_empty());
    let data = crate::api::compact_resource(
        move || (q("agency").and_then(|a| a.parse::<i64>().ok()), q("status"), q("mine").is_some()),
        |(agency, status, mine)| get_referrals(agency, status, Some(mine), None),
    );
    view! {
        <Title text="Referrals" />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(list) => {
                        let status_now = q("status").unwrap_or_default();
                        let agency_now = q("agency").unwrap_or_default();
                        let agency_side = list.viewer_is_agency;
                        view! {
                            <h1 data-testid="referrals-heading">{if agency_side { format!("Referrals to {}", list.heading) } else { format!("Referrals · {}", list.heading) }}</h1>
                            <p class="lede">
                                {if agency_side { "Referrals the council has shared with your agency. You see only what the officer chose to share." } else { "Referrals to partner agencies, with the agencies' response clocks." }}
                            </p>
                            <ul class="counts" data-testid="referral-counts">
                                <li><span class="count">{list.rows.len()}</span><span class="count-label">"Listed"</span></li>
                                <li data-testid="referrals-overdue"><span class="count">{list.overdue}</span><span class="count-label">"Answer overdue"</span></li>
                                <li><span class="count">{list.replies_waiting}</span><span class="count-label">"Replies waiting"</span></li>
                            </ul>
                            <form method="get" action="/referrals" class="filters card" role="search" aria-label="Filter referrals">
                                <div class="form-group">
                                    <label for="f-status">"State"</label>
                                    <select id="f-status" name="status">
                                        <option value="" selected=status_now.is_empty()>"Any"</option>
                                        {ReferralStatus::ALL.iter().filter(|s| !(agency_side && **s == ReferralStatus::Draft)).map(|s| view! {
                                            <option value=s.as_str() selected=status_now == s.as_str()>{s.label()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                {(!agency_side).then(|| view! {
                                    <div class="form-group">
                                        <label for="f-agency">"Agency"</label>
                                        <select id="f-agency" name="agency">
                                            <option value="" selected=agency_now.is_empty()>"Any"</option>
                                            {list.agencies.iter().map(|a| view! { <option value=a.id.to_string() selected=agency_now == a.id.to_string()>{a.name.clone()}</option> }).collect_view()}
                                        </select>
                                    </div>
                                    <div class="form-group checkbox">
                                        <input type="checkbox" id="f-mine" name="mine" value="1" checked=q("mine").is_some() />
                                        <label for="f-mine">"Only mine"</label>
                                    </div>
                                })}
                                <button type="submit" class="button secondary">"Show"</button>
                            </form>
                            {(!agency_side && !list.rows.is_empty()).then(|| view! { <ByAgency rows=list.rows.clone() /> })}
                            <ReferralTable rows=list.rows agency_side=agency_side />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The listed referrals counted by agency and state, with answers overdue: the Team Leader's view.
#[component]
fn ByAgency(rows: Vec<ReferralRow>) -> impl IntoView {
    let mut agencies: Vec<String> = rows.iter().map(|r| r.agency.clone()).collect();
    agencies.sort();
    agencies.dedup();
    let states =
        [ReferralStatus::Draft, ReferralStatus::Sent, ReferralStatus::Accepted, ReferralStatus::InProgress, ReferralStatus::Declined, ReferralStatus::Closed];
    let count = |a: &str, s: ReferralStatus| rows.iter().filter(|r| r.agency == a && r.status == s).count();
    let overdue = |a: &str| rows.iter().filter(|r| r.agency == a && r.clock == Some(crate::domain::clock::ClockStatus::Overdue)).count();
    view! {
        <details class="card" open>
            <summary><strong>"By agency and state"</strong></summary>
            <div class="table-wrap">
                <table class="data compact" data-testid="by-agency">
                    <thead><tr><th scope="col">"Agency"</th>{states.iter().map(|s| view! { <th scope="col" class="num">{s.label()}</th> }).collect_view()}<th scope="col" class="num">"Answer overdue"</th></tr></thead>
                    <tbody>
                        {agencies.iter().map(|a| {
                            let late = overdue(a);
                            let class = if late > 0 { "num clock-overdue" } else { "num" };
                            view! {
                                <tr>
                                    <th scope="row">{a.clone()}</th>
                                    {states.iter().map(|s| view! { <td class="num">{count(a, *s)}</td> }).collect_view()}
                                    <td class=class>{late}</td>
                                </tr>
                            }
                        }).collect_view()}
                    </tbody>
                </table>
            </div>
        </details>
    }
}

/// A table of referrals (the list page, a tenancy's referrals, My work).
#[component]
pub fn ReferralTable(rows: Vec<ReferralRow>, #[prop(optional)] agency_side: bool) -> impl IntoView {
    if rows.is_empty() {
        return view! { <p class="muted" data-testid="no-referrals">"No referrals."</p> }.into_any();
    }
    view! {
        <div class="table-wrap">
            <table class="data" data-testid="referral-table">
                <thead>
                    <tr>
                        <th scope="col">"Referral"</th>
                        <th scope="col">{if agency_side { "About" } else { "Home" }}</th>
                        {(!agency_side).then(|| view! { <th scope="col">"Agency"</th> })}
                        <th scope="col">"Category"</th>
                        <th scope="col">"State"</th>
                        <th scope="col">"Answer due"</th>
                    </tr>
                </thead>
                <tbody>
                    {rows.into_iter().map(|r| { let href = format!("/referrals/{}", r.reference); view! {
                        <tr>
                            <td>
                                <a href=href>{r.reference}</a>
                                {r.reply_waiting.then(|| view! { " " <span class="tag reply" data-testid="reply-waiting">"Reply waiting"</span> })}
                            </td>
                            <td>{r.about}</td>
                            {(!agency_side).then(|| view! { <td>{r.agency}</td> })}
                            <td>
                                {r.category.label()}
                                {r.restricted.then(|| view! { " " <span class="tag restricted">"Restricted"</span> })}
                                <div class="muted small">{r.urgency.label()}</div>
                            </td>
                            <td>{status_tag(r.status)}</td>
                            <td>{r.due_at.filter(|_| r.status == ReferralStatus::Sent).map(day).unwrap_or_else(|| "—".into())}" "<ClockBadge status=r.clock /></td>
                        </tr>
                    }}).collect_view()}
                </tbody>
            </table>
        </div>
    }
    .into_any()
}

#[component]
pub fn ReferralPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let act = ServerAction::<MoveReferral>::new();
    let post = ServerAction::<PostReferralMessage>::new();
    let name = ServerAction::<NameOnReferral>::new();
    let landed = [succeeded(act), succeeded(post), succeeded(name)];
    let data = Resource::new(
        move || (params.read().get("reference").unwrap_or_default(), query.read().get("reason"), landed.iter().map(|m| m.get()).collect::<Vec<_>>()),
        |(r, reason, _)| get_referral(r, reason),
    );
    let error = move || {
        [act.value().get().and_then(|r| r.err()), post.value().get().and_then(|r| r.err()), name.value().get().and_then(|r| r.err())]
            .into_iter()
            .flatten()
            .next()
    };
    view! {
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <Title text="Referral" /><ErrorPanel error=e /> }.into_any(),
                    Ok(p) if p.needs_reason => view! {
                        <Title text=format!("Referral {}", p.reference) />
                        <h1>{format!("Referral {}", p.reference)}</h1>
                        <section class="card notice-card" data-testid="reason-gate">
                            <h2>"This referral is restricted"</h2>
                            <p>"It concerns MARAC, MAPPA or safeguarding. Say why you need to open it: your reason is recorded with your name and the time."</p>
                            <form method="get" action=format!("/referrals/{}", p.reference) class="stack">
                                <div class="form-group">
                                    <label for="view-reason">"Why are you opening this referral?"</label>
                                    <input id="view-reason" name="reason" type="text" required minlength="5" maxlength="500" autocomplete="off" />
                                </div>
                                <button type="submit" class="button">"Open the referral"</button>
                            </form>
                        </section>
                    }.into_any(),
                    Ok(p) => match p.detail {
                        None => view! { <ErrorPanel error=crate::error::AppError::Internal /> }.into_any(),
                        Some(d) => {
                            // The reason given to open a restricted referral goes with every change to it (audited).
                            let why = if d.restricted { query.read_untracked().get("reason") } else { None };
                            view! { <Detail d=d why=why act=act post=post name=name error=Signal::derive(error) /> }.into_any()
                        }
                    },
                }
            })}
        </Transition>
    }
}

fn shared_rows(s: &SharedFacts) -> Vec<(&'static str, String)> {
    let mut out = Vec::new();
    if let Some(v) = &s.name {
        out.push(("Name", v.clone()))
    }
    if let Some(v) = &s.address {
        out.push(("Address", v.clone()))
    }
    if let Some(v) = &s.phone {
        out.push(("Phone", if v.is_empty() { "—".into() } else { v.clone() }))
    }
    if let Some(v) = &s.email {
        out.push(("Email", if v.is_empty() { "—".into() } else { v.clone() }))
    }
    if let Some(v) = &s.date_of_birth {
        out.push(("Date of birth", v.clone()))
    }
    if let Some(v) = &s.household {
        out.push((
            "Household",
            if v.is_empty() {
                "No one else".into()
            } else {
                v.iter().map(|p| format!("{} ({}, {})", p.name, p.relationship, p.age)).collect::<Vec<_>>().join("; ")
            },
        ))
    }
    if let Some(v) = &s.alerts {
        out.push(("Alerts", if v.is_empty() { "None".into() } else { v.join("; ") }))
    }
    if let Some(v) = &s.rent_balance {
        out.push(("Rent balance", v.pounds()))
    }
    if let Some(v) = &s.tenure {
        out.push(("Tenure", v.clone()))
    }
    out
}

#[component]
fn Detail(
    d: ReferralDetail,
    why: Option<String>,
    act: ServerAction<MoveReferral>,
    post: ServerAction<PostReferralMessage>,
    name: ServerAction<NameOnReferral>,
    error: Signal<Option<crate::error::AppError>>,
) -> impl IntoView {
    let basis = match d.lawful_basis {
        LawfulBasis::Consent => format!("Consent, given {} ({})", d.consent_given_on.map(|d| d.to_string()).unwrap_or_default(), d.basis_detail),
        other => format!("{}: {}", other.label(), d.basis_detail),
    };
    let shared = shared_rows(&d.shared);
    let reference = d.reference.clone();
    view! {
        <Title text=format!("Referral {}", d.reference) />
        {d.tenancy_reference.clone().map(|t| view! { <p class="crumbs"><a href=format!("/tenancies/{t}")>{format!("Tenancy {t}")}</a>" › Referral"</p> })}
        <h1 data-testid="referral-heading">{format!("Referral {} to {}", d.reference, d.agency)}</h1>
        <p class="lede">
            {status_tag(d.status)}" "
            <span class="tag">{d.category.label()}</span>" "
            <span class="tag">{d.urgency.label()}</span>" "
            {d.restricted.then(|| view! { <span class="tag restricted">"Restricted: need to know"</span> })}
        </p>
        <ActionError error=error />
        <div class="grid">
            <section class="card" aria-labelledby="shared-h" data-testid="shared-facts">
                <h2 id="shared-h">{if d.status == ReferralStatus::Draft { "What will be shared when sent" } else if d.viewer_is_agency { "What the council shared" } else { "What was shared" }}</h2>
                <dl class="summary">
                    {shared.into_iter().map(|(k, v)| view! { <Field label=k>{v}</Field> }).collect_view()}
                </dl>
                {(!d.viewer_is_agency).then(|| view! {
                    <p class="muted small">{format!("Fields: {}", d.shared_fields.iter().map(|f| f.label()).collect::<Vec<_>>().join(", "))}</p>
                })}
            </section>
            <section class="card" aria-labelledby="ref-h">
                <h2 id="ref-h">"The referral"</h2>
                <p data-testid="referral-reason">{d.reason.clone()}</p>
                <dl class="summary">
                    <Field label="Referred by">{d.referrer.clone()}</Field>
                    <Field label="Contact">{format!("{}, {}", d.contact_name, d.contact_detail)}</Field>
                    <Field label="Lawful basis">{basis}</Field>
                    <Field label="Sent">{d.sent_at.map(day).unwrap_or_else(|| "Not yet (draft)".into())}</Field>
                    {(d.status == ReferralStatus::Sent).then(|| view! {
                        <Field label="Answer due">{d.due_at.map(day).unwrap_or_default()}" "<ClockBadge status=d.clock /></Field>
                    })}
                    {d.responded_at.map(day).map(|r| view! { <Field label="Answered">{r}</Field> })}
                    {d.decline_reason.clone().map(|r| view! { <Field label="Declined because">{r}</Field> })}
                    {d.outcome.clone().map(|o| view! { <Field label="Outcome">{o}</Field> })}
                    {d.area_team.clone().map(|a| view! { <Field label="Area team">{a}</Field> })}
                    {(!d.named.is_empty()).then(|| view! { <Field label="Also named">{d.named.join(", ")}</Field> })}
                </dl>
            </section>
        </div>
        {(!d.moves.is_empty()).then(|| view! {
            <section class="card" aria-labelledby="moves-h" data-testid="referral-moves">
                <h2 id="moves-h">"What you can do"</h2>
                <div class="moves">
                    {d.moves.iter().map(|m| view! { <MoveButton reference=reference.clone() version=d.version mv=*m why=why.clone() act=act /> }).collect_view()}
                </div>
            </section>
        })}
        {d.can_name.then({ let reference = reference.clone(); let why = why.clone(); move || view! {
            <section class="card" aria-labelledby="name-h">
                <h2 id="name-h">"Name someone who needs to know"</h2>
                <ActionForm action=name attr:class="inline-form" attr:data-testid="name-form">
                    <input type="hidden" name="reference" value=reference />
                    <WhyField why=why.clone() />
                    <div class="form-group">
                        <label for="name-username">"Their username"</label>
                        <input id="name-username" name="username" type="text" required maxlength="64" autocomplete="off" />
                    </div>
                    <button type="submit" class="button secondary">"Give access"</button>
                </ActionForm>
            </section>
        }})}
        <Thread messages=d.messages.clone() can_post=d.can_post viewer_is_agency=d.viewer_is_agency reference why post />
    }
}

/// The referral's messages between the officer and the agency, and the form to post one.
#[component]
fn Thread(
    messages: Vec<ReferralMessageView>,
    can_post: bool,
    viewer_is_agency: bool,
    reference: String,
    why: Option<String>,
    post: ServerAction<PostReferralMessage>,
) -> impl IntoView {
    view! {
        <section class="card" aria-labelledby="thread-h">
            <h2 id="thread-h">"Updates and questions"</h2>
            {if messages.is_empty() { view! { <p class="muted">"No messages yet."</p> }.into_any() } else { view! {
                <ol class="thread" data-testid="referral-thread">
                    {messages.iter().map(|m| view! {
                        <li class=format!("msg msg-{}", m.side.as_str())>
                            <div class="msg-meta"><strong>{m.author.clone()}</strong>" · "{m.at.format("%Y-%m-%d %H:%M").to_string()}</div>
                            <p>{m.body.clone()}</p>
                        </li>
                    }).collect_view()}
                </ol>
            }.into_any() }}
            {can_post.then(move || view! {
                <ActionForm action=post attr:class="stack" attr:data-testid="message-form">
                    <input type="hidden" name="reference" value=reference />
                    <WhyField why=why.clone() />
                    <div class="form-group">
                        <label for="msg-body">{if viewer_is_agency { "Post an update or question for the officer" } else { "Reply to the agency" }}</label>
                        <textarea id="msg-body" name="body" rows="3" required maxlength="4000"></textarea>
                    </div>
                    <button type="submit" class="button">"Post"</button>
                </ActionForm>
            })}
        </section>
    }
}

/// The reason the viewer gave for opening a restricted referral, carried with each change to it.
#[component]
fn WhyField(why: Option<String>) -> impl IntoView {
    why.map(|w| view! { <input type="hidden" name="access_reason" value=w /> })
}

/// One lifecycle move: a button, with a text box when the move needs words.
#[component]
fn MoveButton(reference: String, version: i64, mv: ReferralMove, why: Option<String>, act: ServerAction<MoveReferral>) -> impl IntoView {
    let id = format!("move-text-{}", mv.as_str());
    let secondary = matches!(mv, ReferralMove::Decline | ReferralMove::Withdraw);
    view! {
        <ActionForm action=act attr:class="stack move" attr:data-testid=format!("move-{}", mv.as_str())>
            <input type="hidden" name="reference" value=reference />
            <input type="hidden" name="version" value=version.to_string() />
            <input type="hidden" name="action" value=mv.as_str() />
            <WhyField why=why />
            {referral::move_text(mv).map(|what| view! {
                <div class="form-group">
                    <label for=id.clone()>{format!("The {what}")}</label>
                    <textarea id=id.clone() name="text" rows="2" required maxlength="4000"></textarea>
                </div>
            })}
            <button type="submit" class=if secondary { "button secondary" } else { "button" }>{mv.label()}</button>
        </ActionForm>
    }
}

/// The officer's form: first the agency and category (which set the default fields), then what to
/// share, why, on what lawful basis, and who to contact. Saved as a draft or sent.
#[component]
pub fn NewReferralPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let make = ServerAction::<MakeReferral>::new();
    let chosen = move || {
        let q = query.read();
        (q.get("agency").and_then(|a| a.parse::<i64>().ok()), q.get("category").filter(|c| ReferralCategory::parse(c).is_some()))
    };
    let origin = move || {
        let q = query.read();
        (q.get("case").filter(|c| !c.is_empty()), q.get("about").filter(|a| !a.is_empty()))
    };
    let data = Resource::new(
        move || (params.read().get("reference").unwrap_or_default(), chosen(), origin()),
        |(t, (a, c), (case, about))| get_referral_start(t, a, c, case, about),
    );
    view! {
        <Title text="Refer to a partner agency" />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(s) => {
                        let (agency, category) = chosen();
                        let tenancy = s.tenancy_reference.clone();
                        view! {
                            <p class="crumbs"><a href=format!("/tenancies/{tenancy}")>{format!("Tenancy {tenancy}")}</a>" › Refer"</p>
                            <h1 data-testid="new-referral-heading">"Refer to a partner agency"</h1>
                            <p class="lede">{s.address.clone()}</p>
                            {s.case_reference.clone().map(|c| view! { <p class="notice">{format!("From case {c}. ")}<a href=format!("/cases/{c}")>"Back to the case"</a></p> })}
                            <form method="get" action=format!("/tenancies/{tenancy}/refer") class="card filters" data-testid="choose-agency">
                                {s.case_reference.clone().map(|c| view! { <input type="hidden" name="case" value=c /> })}
                                {(!s.about.is_empty()).then(|| view! { <input type="hidden" name="about" value=s.about.clone() /> })}
                                <div class="form-group">
                                    <label for="r-agency">"Agency"</label>
                                    <select id="r-agency" name="agency" required>
                                        {s.agencies.iter().map(|a| view! { <option value=a.id.to_string() selected=agency == Some(a.id)>{a.name.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <div class="form-group">
                                    <label for="r-category">"Category"</label>
                                    <select id="r-category" name="category" required>
                                        {ReferralCategory::ALL.iter().map(|c| view! { <option value=c.as_str() selected=category.as_deref() == Some(c.as_str())>{c.label()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <button type="submit" class="button secondary">{if agency.is_some() { "Change" } else { "Next: what to share" }}</button>
                            </form>
                            {match (agency, category) {
                                (Some(a), Some(c)) => view! { <ReferralForm start=s a=a c=c make=make /> }.into_any(),
                                _ => view! { <p class="muted">"Choose the agency and the category: Hearth then ticks what that agency usually needs, and you decide."</p> }.into_any(),
                            }}
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

#[component]
fn ReferralForm(start: crate::model::ReferralStart, a: i64, c: String, make: ServerAction<MakeReferral>) -> impl IntoView {
    let preview = shared_rows(&start.preview);
    let value_of = move |f: SharedField| -> String {
        let rows = &preview;
        let label = match f {
            SharedField::Name => vec!["Name"],
            SharedField::Address => vec!["Address"],
            SharedField::Contact => vec!["Phone", "Email"],
            SharedField::DateOfBirth => vec!["Date of birth"],
            SharedField::Household => vec!["Household"],
            SharedField::Alerts => vec!["Alerts"],
            SharedField::Rent => vec!["Rent balance"],
            SharedField::Tenure => vec!["Tenure"],
        };
        rows.iter().filter(|(k, _)| label.contains(k)).map(|(_, v)| v.clone()).collect::<Vec<_>>().join(" · ")
    };
    let agency_kind = start.agencies.iter().find(|x| x.id == a).map(|x| x.kind);
    let restricted = ReferralCategory::parse(&c).is_some_and(|c| agency_kind.map_or(c.is_restricted(), |k| referral::is_restricted(k, c)));
    view! {
        <ActionForm action=make attr:class="card stack" attr:data-testid="referral-form">
            <input type="hidden" name="tenancy" value=start.tenancy_reference.clone() />
            <input type="hidden" name="agency_id" value=a.to_string() />
            <input type="hidden" name="category" value=c.clone() />
            {start.case_reference.clone().map(|c| view! { <input type="hidden" name="case_reference" value=c /> })}
            {restricted.then(|| view! { <p class="notice" role="note">"This referral is restricted (its category or its agency): only you, your Team Leader and people you name will see it inside the council, and each will be asked why."</p> })}
            <fieldset class="form-group">
                <legend>"How urgent is it?"</legend>
                {Urgency::ALL.iter().map(|u| view! {
                    <div class="radio">
                        <input type="radio" id=format!("u-{}", u.as_str()) name="urgency" value=u.as_str() checked=*u == Urgency::Standard />
                        <label for=format!("u-{}", u.as_str())>{u.label()}</label>
                    </div>
                }).collect_view()}
            </fieldset>
            <div class="form-group">
                <label for="r-reason">"Why are you referring?"</label>
                <textarea id="r-reason" name="reason" rows="4" required minlength="10" maxlength="4000">{start.about.clone()}</textarea>
            </div>
            <fieldset class="form-group" data-testid="share-fields">
                <legend>"What to share with the agency"</legend>
                <p class="hint">"Only what is ticked leaves the council, as it reads when you send."</p>
                {SharedField::ALL.iter().map(|f| {
                    let id = format!("share-{}", f.as_str());
                    view! {
                        <div class="checkbox">
                            <input type="checkbox" id=id.clone() name=format!("share_{}", f.as_str()) value="1" checked=start.default_fields.contains(f) />
                            <label for=id>{f.label()}<span class="muted small">{format!(" — {}", value_of(*f))}</span></label>
                        </div>
                    }
                }).collect_view()}
            </fieldset>
            <fieldset class="form-group">
                <legend>"Lawful basis for sharing"</legend>
                {LawfulBasis::ALL.iter().map(|b| view! {
                    <div class="radio">
                        <input type="radio" id=format!("b-{}", b.as_str()) name="lawful_basis" value=b.as_str() checked=*b == LawfulBasis::Consent />
                        <label for=format!("b-{}", b.as_str())>{b.label()}</label>
                    </div>
                }).collect_view()}
            </fieldset>
            <div class="form-group">
                <label for="r-consent-on">"Consent given on (for consent)"</label>
                <input id="r-consent-on" name="consent_given_on" type="date" />
            </div>
            <div class="form-group">
                <label for="r-basis">"How consent was given, or which function, duty or vital interest"</label>
                <input id="r-basis" name="basis_detail" type="text" maxlength="4000" />
            </div>
            <div class="form-group">
                <label for="r-contact-name">"Who the agency should contact"</label>
                <input id="r-contact-name" name="contact_name" type="text" required maxlength="200" value=start.contact_name.clone() />
            </div>
            <div class="form-group">
                <label for="r-contact-detail">"How (phone or email)"</label>
                <input id="r-contact-detail" name="contact_detail" type="text" required maxlength="200" value=start.contact_detail.clone() />
            </div>
            <ActionError error=Signal::derive(move || make.value().get().and_then(|r| r.err())) />
            <div class="moves">
                <button type="submit" name="send" value="send" class="button" data-testid="send-referral">"Send to the agency"</button>
                <button type="submit" name="send" value="draft" class="button secondary">"Save as draft"</button>
            </div>
        </ActionForm>
    }
}
