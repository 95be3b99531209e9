//! The tenancy page: household, tenure and key dates, rent, alerts, owner and ownership history.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_params_map;

use crate::api::desk::tenancy;
use crate::api::pipeline::{MovePipeline, StartPipeline};
use crate::api::visits::RecordVisit;
use crate::components::{ActionError, ClockBadge, ErrorPanel, Field, loading, succeeded};
use crate::domain::{FindingKind, VisitType};
use crate::error::AppError;
use crate::model::{CaseRow, Member, NoAccessView, PipelineEntryView, RentView, SizeCriteriaView, TransferView, VisitFormStart, VisitView};

#[component]
pub fn TenancyPage() -> impl IntoView {
    let params = use_params_map();
    let record = ServerAction::<RecordVisit>::new();
    // Reload after a recorded visit only: a refused report keeps what the officer typed.
    let start = ServerAction::<StartPipeline>::new();
    let step = ServerAction::<MovePipeline>::new();
    let report_hazard = ServerAction::<crate::api::hazards::ReportHazard>::new();
    let hazard_step = ServerAction::<crate::api::hazards::RecordHazardStep>::new();
    let landed = [succeeded(record), succeeded(start), succeeded(step), succeeded(report_hazard), succeeded(hazard_step)];
    let data =
        Resource::new(move || (params.read().get("reference").unwrap_or_default(), landed.iter().map(|m| m.get()).collect::<Vec<_>>()), |(r, _)| tenancy(r));
    let link = ServerAction::<crate::api::feedback::CreateFeedbackLink>::new();
    view! {
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match data.await {
                    Err(e) => view! { <Title text="Tenancy" /><ErrorPanel error=e /> }.into_any(),
                    Ok(t) => view! {
                        <Title text=format!("Tenancy {}", t.reference) />
                        <p class="crumbs"><a href=format!("/properties/{}", t.property_reference)>{t.property_reference.clone()}</a>" › Tenancy"</p>
                        <h1 data-testid="tenancy-heading">{t.address.clone()}", "{t.postcode.clone()}</h1>
                        <p class="lede">
                            <span class="tag">{t.tenure.label()}</span>" "
                            {format!("Tenancy {} · {} · {} team · {}", t.reference, t.patch, t.area_team, t.status.as_str())}
                        </p>
                        {(!t.alerts.is_empty()).then(|| view! {
                            <div class="alerts" role="note" aria-label="Alerts">
                                {t.alerts.iter().map(|a| view! { <p class="alert"><strong>{a.kind.clone()}": "</strong>{a.description.clone()}<span class="muted small">{format!(" since {}", a.since)}</span></p> }).collect_view()}
                            </div>
                        })}
                        <div class="grid">
                            <section class="card" aria-labelledby="owner-h">
                                <h2 id="owner-h">"Managed by"</h2>
                                {match t.owner.clone() {
                                    Some(o) => view! { <p data-testid="owner"><strong>{o.name}</strong><br />{o.role.label()}</p> }.into_any(),
                                    None => view! { <p>"No owner"</p> }.into_any(),
                                }}
                                <h3>"Key dates"</h3>
                                <dl class="summary">
                                    {t.key_dates.iter().map(|k| view! {
                                        <div class="field"><dt>{k.label.clone()}</dt><dd>{k.date.to_string()}" "<ClockBadge status=k.clock /></dd></div>
                                    }).collect_view()}
                                </dl>
                            </section>
                            <RentCard rent=t.rent.clone() />
                        </div>
                        <crate::pages::review::ReviewSection reference=t.reference.clone() />
                        <Household members=t.members.clone() former=t.former_members.clone() bedrooms=t.bedrooms occupation=t.occupation.clone() size=t.size_criteria.clone() />
                        <crate::pages::hazards::TenancyHazards hazards=t.hazards.clone() may_report=t.may_report_hazard reference=t.reference.clone()
                            today=t.visit_form.as_ref().map(|f| f.today) report=report_hazard step=hazard_step />
                        <Pipeline entries=t.pipeline.clone() startable=t.pipeline_startable.clone() reference=t.reference.clone() start step />
                        <CasesTable cases=t.cases.clone() />
                        <TenancyReferrals reference=t.reference.clone() />
                        <History history=t.history.clone() />
                        <Visits visits=t.visits.clone() reference=t.reference.clone() link record form=t.visit_form.clone() no_access=t.no_access.clone() />
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// Downsizing and investigations for this tenancy: each entry with its steps and the form to move
/// it on, and the form to start one. Both post the same with JavaScript on or off.
#[component]
fn Pipeline(
    entries: Vec<PipelineEntryView>,
    startable: Vec<crate::domain::pipeline::PipelineKind>,
    reference: String,
    start: ServerAction<StartPipeline>,
    step: ServerAction<MovePipeline>,
) -> impl IntoView {
    if entries.is_empty() && startable.is_empty() {
        return ().into_any();
    }
    let error = Signal::derive(move || start.value().get().and_then(|r| r.err()).or_else(|| step.value().get().and_then(|r| r.err())));
    view! {
    <section aria-labelledby="pipeline-h" id="pipeline" data-testid="pipeline">
        <h2 id="pipeline-h">"Downsizing and investigations"</h2>
        <ActionError error />
        // Keyed by version: a step recorded brings a fresh form, not the last one's words.
        <For each=move || entries.clone() key=|e| (e.id, e.version) children=move |e| {
            let open = !e.stage.is_final();
            view! {
            <div class="card" data-testid=format!("pipeline-{}", e.kind.as_str())>
                <h3>{e.kind.label()}": "<span class=if open { "tag" } else { "tag ended" }>{e.stage.label()}</span></h3>
                <ol class="plain steps">
                    {e.steps.iter().map(|st| view! {
                        <li><strong>{st.stage.label()}</strong>{format!(" · {} · {}", st.at.format("%-d %b %Y"), st.by)}<br /><span class="small">{st.note.clone()}</span></li>
                    }).collect_view()}
                </ol>
                {(!e.next.is_empty()).then(|| {
                    let id = format!("move-{}", e.id);
                    view! {
                    <ActionForm action=step attr:class="stack">
                        <input type="hidden" name="id" value=e.id.to_string() />
                        <input type="hidden" name="step[version]" value=e.version.to_string() />
                        <div class="form-row">
                            <div class="form-group">
                                <label for=format!("{id}-stage")>"Next step"</label>
                                <select id=format!("{id}-stage") name="step[stage]" required>
                                    {e.next.iter().map(|n| view! { <option value=n.as_str()>{n.label()}</option> }).collect_view()}
                                </select>
                            </div>
                            <div class="form-group">
                                <label for=format!("{id}-note")>"What happened"</label>
                                <input id=format!("{id}-note") type="text" name="step[note]" required minlength="5" maxlength="2000" autocomplete="off" />
                            </div>
                        </div>
                        <button type="submit">"Record the step"</button>
                    </ActionForm>
                    }
                })}
            </div>
            }
        } />
        {(!startable.is_empty()).then(|| view! {
            <details class="card">
                <summary>"Start downsizing or an investigation"</summary>
                <ActionForm action=start attr:class="stack" attr:data-testid="pipeline-start">
                    <input type="hidden" name="reference" value=reference />
                    <div class="form-row">
                        <div class="form-group">
                            <label for="pipeline-kind">"What"</label>
                            <select id="pipeline-kind" name="entry[kind]" required>
                                {startable.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                            </select>
                        </div>
                        <div class="form-group">
                            <label for="pipeline-note">"What was said or seen"</label>
                            <input id="pipeline-note" type="text" name="entry[note]" required minlength="5" maxlength="2000" autocomplete="off" />
                        </div>
                    </div>
                    <button type="submit">"Start"</button>
                </ActionForm>
            </details>
        })}
    </section>
    }
    .into_any()
}

/// The tenancy's rent account: balance, weekly rent, Universal Credit and recent transactions.
#[component]
fn RentCard(rent: Option<RentView>) -> impl IntoView {
    view! {
    <section class="card" aria-labelledby="rent-h">
            <h2 id="rent-h">"Rent"</h2>
            {match rent {
                None => view! { <p>"No rent account."</p> }.into_any(),
                Some(r) => view! {
                    <p class="balance" class:arrears={r.balance.0 > 0} data-testid="balance">{r.balance.balance_label()}</p>
                    <dl class="summary">
                        <Field label="Weekly rent">{r.weekly_rent.pounds()}</Field>
                        <Field label="Universal Credit">{if r.universal_credit { "Yes" } else { "No" }}</Field>
                    </dl>
                    <details>
                        <summary>"Recent transactions"</summary>
                        <table class="data compact cards">
                            <thead><tr><th scope="col">"Date"</th><th scope="col">"Item"</th><th scope="col" class="num">"Amount"</th></tr></thead>
                            <tbody>
                                {r.recent.into_iter().map(|l| view! { <tr><td data-label="Date">{l.posted_on.to_string()}</td><td data-label="Item">{l.kind}</td><td data-label="Amount" class="num">{l.amount.pounds()}</td></tr> }).collect_view()}
                            </tbody>
                        </table>
                    </details>
                }.into_any(),
            }}
        </section>
    }
}

/// Who lives in the home, with the tenants marked.
#[component]
fn Household(members: Vec<Member>, former: Vec<String>, bedrooms: i64, occupation: String, size: Option<SizeCriteriaView>) -> impl IntoView {
    view! {
    <section aria-labelledby="house-h">
        <h2 id="house-h">"Household"</h2>
        <p class="muted" data-testid="occupation">{format!("{} bedroom{} · {}", bedrooms, if bedrooms == 1 { "" } else { "s" }, occupation)}</p>
        {size.map(|a| view! {
            <details class="size-criteria">
                <summary>{format!("Entitled to {} bedroom{} under the size criteria", a.entitlement, if a.entitlement == 1 { "" } else { "s" })}</summary>
                <ul>{a.rooms.iter().map(|r| view! { <li>{r.clone()}</li> }).collect_view()}</ul>
                {(a.spare > 0 && !a.working_age).then(|| view! { <p class="muted small">"No reduction: everyone liable for the rent is over state pension age."</p> })}
            </details>
        })}
        <div class="table-wrap">
        <table class="data cards" data-testid="household">
            <thead><tr><th scope="col">"Name"</th><th scope="col">"Relationship"</th><th scope="col">"Date of birth"</th><th scope="col">"Age"</th><th scope="col">"Contact"</th></tr></thead>
            <tbody>
                {members.iter().map(|m| view! {
                    <tr>
                        <td data-label="Name">{m.name.clone()}{m.is_tenant.then(|| view! { " " <span class="tag">"Tenant"</span> })}</td>
                        <td data-label="Relationship">{m.relationship.clone()}</td>
                        <td data-label="Date of birth">{m.date_of_birth.clone()}</td>
                        <td data-label="Age">{m.age}</td>
                        <td data-label="Contact">{m.phone.clone()}" "{m.email.clone()}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
        {(!former.is_empty()).then(|| view! {
            <details class="small" data-testid="former-members">
                <summary>{format!("Who has left the household ({})", former.len())}</summary>
                <ul>{former.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul>
            </details>
        })}
    </section>
    }
}

/// The tenancy's cases (need-to-know ones by reference only).
#[component]
fn CasesTable(cases: Vec<CaseRow>) -> impl IntoView {
    view! {
    <section aria-labelledby="cases-h">
        <h2 id="cases-h">"Cases"</h2>
        {if cases.is_empty() { view! { <p class="muted">"No cases."</p> }.into_any() } else { view! {
            <div class="table-wrap">
            <table class="data cards">
                <thead><tr><th scope="col">"Case"</th><th scope="col">"Kind"</th><th scope="col">"Status"</th><th scope="col">"Opened"</th><th scope="col">"Due"</th></tr></thead>
                <tbody>
                    {cases.iter().map(|c| view! {
                        <tr class:restricted=c.restricted>
                            <td data-label="Case">{if c.status == "restricted" { view! { <span>{c.title.clone()}</span> }.into_any() } else { view! { <a href=format!("/cases/{}", c.reference)>{c.title.clone()}</a> }.into_any() }}<div class="muted small">{c.reference.clone()}</div></td>
                            <td data-label="Kind">{(!c.restricted || c.status != "restricted").then(|| c.kind.label())}</td>
                            <td data-label="Status">{c.status.clone()}</td>
                            <td data-label="Opened">{c.opened_at.chars().take(10).collect::<String>()}</td>
                            <td data-label="Due">{c.due_at.map(crate::model::day_of)}" "<ClockBadge status=c.clock /></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }.into_any() }}
    </section>
    }
}

/// Who has managed the tenancy, and why it moved.
#[component]
fn History(history: Vec<TransferView>) -> impl IntoView {
    view! {
    <section aria-labelledby="hist-h">
        <h2 id="hist-h">"Ownership history"</h2>
        <ol class="timeline" data-testid="history">
            {history.iter().map(|h| view! {
                <li>
                    <span class="when">{crate::model::day_of(h.at)}</span>
                    <strong>{h.kind.clone()}</strong>": "
                    {h.from.clone().map(|f| format!("{f} → "))}{h.to.clone()}
                    <div class="muted small">{h.reason.clone()}{h.by.clone().map(|b| format!(" · by {b}"))}{h.approved_by.clone().map(|a| format!(" · approved by {a}"))}</div>
                </li>
            }).collect_view()}
        </ol>
    </section>
    }
}

/// Visits with their findings (each can start a referral) and feedback links for the tenant.
#[component]
fn Visits(
    visits: Vec<VisitView>,
    reference: String,
    link: ServerAction<crate::api::feedback::CreateFeedbackLink>,
    record: ServerAction<RecordVisit>,
    form: Option<VisitFormStart>,
    no_access: Option<NoAccessView>,
) -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    view! {
    <section aria-labelledby="visits-h">
        <h2 id="visits-h">"Visits"</h2>
        {no_access.map(|n| view! { <p class="notice" data-testid="no-access">{n.summary}" "<ClockBadge status=Some(n.clock) /></p> })}
        {move || {
            let q = query.read();
            q.get("photo_error").map(|e| view! { <p class="error" role="alert" data-testid="photo-error">{format!("The photo was not added: {e}")}</p> }.into_any())
                .or_else(|| (q.get("photo").as_deref() == Some("added")).then(|| view! { <p class="notice" role="status" data-testid="photo-added">"Photo added."</p> }.into_any()))
        }}
        {move || record.value().get().and_then(|r| r.ok()).map(|v| view! {
            <div class="card" role="status" data-testid="visit-recorded">
                <p><strong>{if v.replayed { "This visit was already recorded." } else { "Visit recorded." }}</strong></p>
                {v.follow_ups.iter().map(|f| view! {
                    <p>{format!("{}: follow up within {}, by {}", f.kind.label(), f.within.to_lowercase(), crate::domain::clock::format_london(f.due_at))}" "<ClockBadge status=Some(f.clock) /></p>
                }).collect_view()}
            </div>
        })}
        // Keyed by the form's key: a recorded visit brings a fresh, empty form (a reused one would
        // keep the last report's text).
        {form.map(|f| {
            let reference = reference.clone();
            view! { <For each=move || [f.clone()] key=|f| f.key.clone() let:f><VisitForm reference=reference.clone() start=f record /></For> }
        })}
        {move || link.value().get().map(|r| match r {
            Ok(l) => view! {
                <div class="card link-card" data-testid="visit-link" role="status">
                    <p><strong>{l.label.clone()}</strong>": the tenant's feedback link for this visit is "<a href=l.path.clone()>{l.path.clone()}</a>". It is also listed on the Satisfaction page."</p>
                    <div class="qr" inner_html=l.qr_svg></div>
                </div>
            }.into_any(),
            Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
        })}
        {if visits.is_empty() { view! { <p class="muted">"No visits recorded."</p> }.into_any() } else { view! {
            <div class="table-wrap">
            <table class="data cards">
                <thead><tr><th scope="col">"Date"</th><th scope="col">"Visit"</th><th scope="col">"Outcome"</th><th scope="col">"Officer"</th><th scope="col">"Findings"</th><th scope="col">"Tenant feedback"</th></tr></thead>
                <tbody>
                    {visits.iter().map(|v| view! {
                        <tr id=format!("visit-{}", v.id)><td data-label="Date">{v.date.to_string()}</td><td data-label="Visit">{v.visit_type.label()}</td><td data-label="Outcome">{v.outcome.label()}</td><td data-label="Officer">{v.officer.clone()}</td>
                            <td data-label="Findings">{v.findings.iter().map(|f| {
                                let about = format!("Found at the {} on {}: {f}", v.visit_type.label().to_lowercase(), v.date);
                                view! { <div>{f.clone()}" · "<a class="small" href=format!("/tenancies/{}/refer?about={}", reference, urlencode(&about)) aria-label=format!("Refer to a partner agency: {f}")>"Refer"</a></div> }
                            }).collect_view()}
                            {v.follow_ups.iter().map(|f| view! {
                                <div class="small" data-testid="follow-up">{format!("{} follow-up by {} ", f.kind.label(), crate::domain::clock::format_london(f.due_at))}<ClockBadge status=Some(f.clock) /></div>
                            }).collect_view()}
                            <Photos visit=v.clone() /></td>
                            <td data-label="Tenant feedback">{v.can_link.then(|| (v.id.to_string(), format!("Make link: tenant feedback on the visit of {}", v.date))).map(|(id, label)| view! {
                                <ActionForm action=link attr:class="inline">
                                    <input type="hidden" name="scope_type" value="visit" />
                                    <input type="hidden" name="scope_id" value=id />
                                    <input type="hidden" name="label" value="" />
                                    <button type="submit" class="link-like" aria-label=label>"Make link"</button>
                                </ActionForm>
                            })}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }.into_any() }}
    </section>
    }
}

/// A visit's photos (a safeguarding finding's only for those with need to know), and the form to
/// add one: a plain form post (the phone's camera through the file input), the same with
/// JavaScript on or off; the server sends the page back with what happened.
#[component]
fn Photos(visit: VisitView) -> impl IntoView {
    let kinds: Vec<FindingKind> = FindingKind::ALL.iter().copied().filter(|k| visit.findings.iter().any(|f| f == k.label())).collect();
    let id = visit.id;
    view! {
        {(!visit.photos.is_empty()).then(|| view! {
            <div class="photos" data-testid="photos">
                {visit.photos.iter().map(|(p, f)| {
                    let alt = format!("Photo from the visit on {}{}", visit.date, f.map(|f| format!(": {}", f.label().to_lowercase())).unwrap_or_default());
                    view! { <a href=format!("/api/v1/photos/{p}") target="_blank"><img class="thumb" src=format!("/api/v1/photos/{p}") alt=alt loading="lazy" width="72" height="72" /></a> }
                }).collect_view()}
            </div>
        })}
        {visit.can_add_photo.then(|| view! {
            <details class="add-photo">
                <summary class="small">"Add a photo"</summary>
                <form method="post" enctype="multipart/form-data" action=format!("/api/v1/visits/{id}/photos") data-testid="photo-form">
                    <div class="form-group">
                        <label for=format!("photo-{id}")>"Photo (JPEG or PNG, up to 10 MB)"</label>
                        <input id=format!("photo-{id}") type="file" name="photo" accept="image/jpeg,image/png" capture="environment" required />
                    </div>
                    {(!kinds.is_empty()).then(|| view! {
                        <div class="form-group">
                            <label for=format!("photo-finding-{id}")>"It shows"</label>
                            <select id=format!("photo-finding-{id}") name="finding">
                                <option value="">"The visit as a whole"</option>
                                {kinds.iter().map(|k| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                            </select>
                        </div>
                    })}
                    <label class="choice small"><input type="checkbox" name="keep_location" value="on" />" Keep where it was taken (otherwise removed)"</label>
                    <button type="submit">"Add the photo"</button>
                </form>
            </details>
        })}
    }
}

/// The doorstep form: what the visit was for, when, what happened at the door and what was found
/// (a finding is recorded where its box says something, and starts its follow-up's clock). Posts
/// the same with JavaScript on or off; its key makes a resend record once.
#[component]
fn VisitForm(reference: String, start: VisitFormStart, record: ServerAction<RecordVisit>) -> impl IntoView {
    // With no signal the report is kept on the phone and sent when the signal returns (`outbox`):
    // the form remembers what it sent, and a failure to reach Hearth keeps it instead of refusing it.
    let sent = StoredValue::new(None::<RecordVisit>);
    // A key of this phone's own once the form is live: a page kept for a reload without signal
    // (`public/sw.js`) carries the key it was served with, which a visit may already have used.
    let key = RwSignal::new(start.key.clone());
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        let now = js_sys::Date::now() as u64;
        let noise = (js_sys::Math::random() * 1e15) as u64;
        key.set(format!("w{now:x}-{noise:x}"));
    });
    let kept = RwSignal::new(false);
    Effect::new(move |_| {
        if let Some(args) = record.input().get() {
            sent.set_value(Some(args));
            kept.set(false);
        }
    });
    Effect::new(move |_| {
        if let Some(Err(AppError::ServerFn(_))) = record.value().get()
            && let (Some(args), Some(outbox)) = (sent.get_value(), crate::pages::outbox::Outbox::get())
        {
            outbox.keep(args.reference, args.visit);
            kept.set(true);
        }
    });
    let refused = Signal::derive(move || record.value().get().and_then(|r| r.err()).filter(|e| !matches!(e, AppError::ServerFn(_))));
    view! {
        <details class="card visit-form" id="record-visit" data-testid="visit-form">
            <summary>"Record a visit"</summary>
            <ActionError error=refused />
            {move || kept.get().then(|| view! { <p class="notice" role="status" data-testid="visit-kept">"No signal: the visit is kept on this phone and will be sent when there is one."</p> })}
            <ActionForm action=record>
                <input type="hidden" name="reference" value=reference />
                <input type="hidden" name="visit[client_key]" value=key />
                <div class="form-group">
                    <label for="visit-kind">"What the visit was for"</label>
                    <select id="visit-kind" name="visit[kind]">
                        {VisitType::ALL.iter().map(|k| view! { <option value=k.as_str() selected=*k == VisitType::HomeCheck>{k.label()}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-row">
                    <div class="form-group">
                        <label for="visit-on">"Day"</label>
                        <input id="visit-on" name="visit[on]" type="date" required value=start.today.to_string() max=start.today.to_string() />
                    </div>
                    <div class="form-group">
                        <label for="visit-at">"Time at the door"</label>
                        <input id="visit-at" name="visit[at]" type="time" required />
                    </div>
                </div>
                <fieldset class="form-group">
                    <legend>"At the door"</legend>
                    <label class="choice"><input type="radio" name="visit[outcome]" value="completed" checked />" Visit completed"</label>
                    <label class="choice"><input type="radio" name="visit[outcome]" value="no_access" />" No access"</label>
                    <label class="choice"><input type="checkbox" name="visit[card_left]" value="on" />" Calling card left (no access)"</label>
                </fieldset>
                <fieldset class="form-group">
                    <legend>"What you found"</legend>
                    <p class="hint">"Write in each box that applies. Each finding starts its follow-up's clock."</p>
                    {FindingKind::ALL.iter().map(|k| {
                        let id = format!("finding-{}", k.as_str());
                        view! {
                            <div class="form-group">
                                <label for=id.clone()>{k.label()}<span class="hint">{format!(" (follow up within {}{})", k.follow_up().label().to_lowercase(), if *k == FindingKind::DampMould { "; starts Awaab's Law's clocks" } else { "" })}</span></label>
                                <textarea id=id name=format!("visit[{}]", k.as_str()) rows="2" maxlength="2000"></textarea>
                            </div>
                        }
                    }).collect_view()}
                    <label class="choice"><input type="checkbox" name="visit[downsizing_interest]" value="on" />" They would like a smaller home (starts downsizing)"</label>
                </fieldset>
                <fieldset class="form-group" data-testid="household-change">
                    <legend>"The household"</legend>
                    <p class="hint">"Mark anyone who has left, and add anyone who has joined. The tenancy's household and its bedroom need change with the visit."</p>
                    <input type="hidden" name="visit[seen_version]" value=start.version.to_string() />
                    {start.household.iter().map(|(id, name, tenant)| {
                        if *tenant {
                            view! { <p class="small">{format!("{name} (tenant)")}</p> }.into_any()
                        } else {
                            view! { <label class="choice"><input type="checkbox" name=format!("visit[left][{id}]") value="1" />{format!(" {name} has left")}</label> }.into_any()
                        }
                    }).collect_view()}
                    <div class="form-row">
                        <div class="form-group">
                            <label for="joined-first">"Joined: first name"</label>
                            <input id="joined-first" name="visit[joined_first_name]" maxlength="60" autocomplete="off" />
                        </div>
                        <div class="form-group">
                            <label for="joined-last">"Last name"</label>
                            <input id="joined-last" name="visit[joined_last_name]" maxlength="60" autocomplete="off" />
                        </div>
                    </div>
                    <div class="form-row">
                        <div class="form-group">
                            <label for="joined-born">"Date of birth"</label>
                            <input id="joined-born" name="visit[joined_date_of_birth]" type="date" max=start.today.to_string() />
                        </div>
                        <div class="form-group">
                            <label for="joined-sex">"Sex"</label>
                            <select id="joined-sex" name="visit[joined_sex]">
                                <option value="">"Choose"</option>
                                <option value="F">"Female"</option>
                                <option value="M">"Male"</option>
                            </select>
                        </div>
                        <div class="form-group">
                            <label for="joined-rel">"Relationship to the tenant"</label>
                            <select id="joined-rel" name="visit[joined_relationship]">
                                <option value="">"Choose"</option>
                                {crate::domain::Relationship::ALL
                                    .iter()
                                    .filter(|r| !matches!(r, crate::domain::Relationship::Tenant | crate::domain::Relationship::JointTenant))
                                    .map(|r| view! { <option value=r.as_str()>{r.label()}</option> })
                                    .collect_view()}
                            </select>
                        </div>
                    </div>
                </fieldset>
                <div class="form-group">
                    <label for="visit-notes">"Notes"</label>
                    <textarea id="visit-notes" name="visit[notes]" rows="3" maxlength="4000"></textarea>
                </div>
                <button type="submit" class="button">"Record the visit"</button>
            </ActionForm>
        </details>
    }
}

/// The tenancy's referrals to partner agencies (restricted ones only for those who may see them),
/// and the way to make one.
#[component]
fn TenancyReferrals(reference: String) -> impl IntoView {
    let r = reference.clone();
    let data = Resource::new(move || r.clone(), |r| crate::api::referrals::get_referrals(None, None, None, Some(r)));
    view! {
        <section aria-labelledby="refs-h" data-testid="tenancy-referrals">
            <h2 id="refs-h">"Referrals to partner agencies"</h2>
            <p><a class="button secondary" href=format!("/tenancies/{reference}/refer") data-testid="refer-link">"Refer to a partner agency"</a></p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match data.await {
                        Ok(list) => view! { <crate::pages::referrals::ReferralTable rows=list.rows /> }.into_any(),
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// Percent-encodes a query value (for links that carry text, such as a finding).
pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}
