//! The Team Leader's area view: officers and their load, cover periods (set, see, end), and the
//! cases on action plans with their review clocks. Open proposals are on the Approvals page.

use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::casework::{EndCover, SetCover, get_team};
use crate::components::{ActionError, ClockBadge, ErrorPanel, LoadedSection, loading, succeeded};
use crate::domain::cover::CoverState;
use crate::model::{CoverView, OfficerOption, PlanRow};

#[component]
pub fn TeamPage() -> impl IntoView {
    let set = ServerAction::<SetCover>::new();
    let end = ServerAction::<EndCover>::new();
    let landed = [succeeded(set), succeeded(end)];
    let team = crate::api::compact_resource(move || landed.iter().map(|m| m.get()).collect::<Vec<_>>(), |_| get_team());
    let error = move || set.value().get().and_then(|r| r.err()).or_else(|| end.value().get().and_then(|r| r.err()));
    view! {
        <Title text="Team" />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match team.await {
                    Err(e) => view! { <h1>"Team"</h1><ErrorPanel error=e /> }.into_any(),
                    Ok(t) => {
                        let crate::model::TeamView { area_team, officers, covers, plans } = t;
                        let all_officers = officers.clone();
                        view! {
                            <h1>{format!("{} team", area_team)}</h1>
                            <p class="lede">"Who holds what, who is covering whom, and every action plan by its review clock. Proposals waiting for a decision are on "<a href="/approvals">"Approvals"</a>"."</p>
                            <ActionError error=Signal::derive(error) />
                            <Covers covers officers=officers.clone() set end />
                            <Plans plans />
                            <Programme />
                            <Visiting />
                            <Months />
                            <UnderOccupation />
                            <Pipeline />
                            <crate::pages::hazards::TeamHazards />
                            <section aria-labelledby="officers-h">
                                <h2 id="officers-h">"Officers"</h2>
                                <div class="table-wrap">
                                <table class="data" data-testid="officers">
                                    <thead><tr><th scope="col">"Officer"</th><th scope="col">"Role"</th><th scope="col" class="num">"Tenancies"</th><th scope="col" class="num">"Open cases"</th></tr></thead>
                                    <tbody>
                                        {all_officers.into_iter().map(|o| view! { <tr><td>{o.name.clone()}</td><td>{o.role.label()}</td><td class="num">{o.tenancies}</td><td class="num">{o.open_cases}</td></tr> }).collect_view()}
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

/// Cover periods, with the form to set one and the buttons to end them.
#[component]
fn Covers(covers: Vec<CoverView>, officers: Vec<OfficerOption>, set: ServerAction<SetCover>, end: ServerAction<EndCover>) -> impl IntoView {
    let hmos: Vec<_> = officers.iter().filter(|o| crate::domain::cover::may_be_covered(o.role)).cloned().collect();
    view! {
    <section aria-labelledby="cover-h">
        <h2 id="cover-h">"Cover"</h2>
        {if covers.is_empty() { view! { <p class="muted">"No cover set."</p> }.into_any() } else { view! {
            <div class="table-wrap">
            <table class="data" data-testid="covers">
                <thead><tr><th scope="col">"Absent"</th><th scope="col">"Covered by"</th><th scope="col">"From"</th><th scope="col">"To (last day)"</th><th scope="col">"State"</th><th scope="col">"Done in cover"</th><th scope="col"><span class="visually-hidden">"End"</span></th></tr></thead>
                <tbody>
                    {covers.into_iter().map(|c| view! {
                        <tr>
                            <td>{c.absent.clone()}<div class="muted small">{c.reason.clone()}</div></td>
                            <td>{c.cover.clone()}</td>
                            <td>{c.starts_on.to_string()}</td>
                            <td>{c.ended_on.map(|d| format!("{d} (ended early)")).unwrap_or_else(|| c.ends_on.to_string())}</td>
                            <td><span class=format!("tag cover-{:?}", c.state).to_lowercase()>{c.state.label()}</span></td>
                            <td>{c.actions_taken}</td>
                            <td>{matches!(c.state, CoverState::Active | CoverState::Upcoming).then(|| view! {
                                <ActionForm action=end attr:class="inline">
                                    <input type="hidden" name="cover_id" value=c.id.to_string() />
                                    <button type="submit" class="link-like" aria-label=if c.state == CoverState::Upcoming { format!("Cancel the cover for {}", c.absent) } else { format!("End cover now for {}", c.absent) }>{if c.state == CoverState::Upcoming { "Cancel" } else { "End cover now" }}</button>
                                </ActionForm>
                            })}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }.into_any() }}
        <ActionForm action=set attr:class="stack card" attr:data-testid="cover-form">
            <h3>"Set cover"</h3>
            <p class="muted small">"During the period the cover officer sees and acts on the absent officer's tenancies and cases; the work returns by itself the day after the last day."</p>
            <div class="form-row">
                <div class="form-group">
                    <label for="absent">"Absent officer"</label>
                    <select id="absent" name="absent_id" required>
                        <option value="">"Choose"</option>
                        {hmos.iter().map(|o| view! { <option value=o.id.to_string()>{format!("{} ({})", o.name, o.role.label())}</option> }).collect_view()}
                    </select>
                </div>
                <div class="form-group">
                    <label for="cover">"Cover officer"</label>
                    <select id="cover" name="cover_id" required>
                        <option value="">"Choose"</option>
                        {officers.iter().map(|o| view! { <option value=o.id.to_string()>{format!("{} ({})", o.name, o.role.label())}</option> }).collect_view()}
                    </select>
                </div>
            </div>
            <div class="form-row">
                <div class="form-group"><label for="starts">"First day"</label><input id="starts" name="starts_on" type="date" required /></div>
                <div class="form-group"><label for="ends">"Last day"</label><input id="ends" name="ends_on" type="date" required /></div>
            </div>
            <div class="form-group"><label for="cover-reason">"Reason"</label><input id="cover-reason" type="text" name="reason" required maxlength="500" placeholder="Annual leave" /></div>
            <button type="submit" class="button">"Set cover"</button>
        </ActionForm>
    </section>
    }
}

/// Every action plan in the area by its review clock.
#[component]
fn Plans(plans: Vec<PlanRow>) -> impl IntoView {
    view! {
    <section aria-labelledby="plans-h">
        <h2 id="plans-h">{format!("Action plans ({})", plans.len())}</h2>
        {if plans.is_empty() { view! { <p class="muted">"No cases with the Sustainable Tenancy HMOs."</p> }.into_any() } else { view! {
            <div class="table-wrap">
            <table class="data" data-testid="plans">
                <thead><tr><th scope="col">"Case"</th><th scope="col">"Officer"</th><th scope="col">"Agreed"</th><th scope="col">"Next step due"</th><th scope="col" class="num">"Open actions"</th><th scope="col" class="num">"Overdue actions"</th></tr></thead>
                <tbody>
                    {plans.into_iter().map(|p| view! {
                        <tr>
                            <td><a href=format!("/cases/{}", p.case_reference)>{p.title.clone()}</a><div class="muted small">{p.case_reference.clone()}</div></td>
                            <td>{p.owner.clone()}</td>
                            <td>{p.plan_agreed_on.map(|d| d.to_string()).unwrap_or_else(|| "Not yet".into())}</td>
                            <td>{p.due_at.map(crate::model::day_of)}" "<ClockBadge status=p.clock /></td>
                            <td class="num">{p.open_actions}</td>
                            <td class="num">{p.overdue_actions}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        }.into_any() }}
    </section>
    }
}

/// The area's visiting this week and month, per officer, and visits' follow-ups by their clocks.
#[component]
fn Visiting() -> impl IntoView {
    let figures = Resource::new(|| (), |_| crate::api::visits::team_visiting());
    view! { <LoadedSection id="visiting-h" title="Visiting" load=figures show=|rows| { let team = rows.last().cloned().unwrap_or_default(); view! {
        <p class="muted">"Visits completed this week (from Monday) and this month; follow-ups that visits' findings started, open and closed this month within their clock."</p>
        <p data-testid="visiting-targets">{format!(
            "The team has completed {} visits this week against the programme's {} a week, and {} this month against {} a month.",
            team.completed_week, crate::domain::visits::WEEKLY_TARGET, team.completed_month, crate::domain::visits::MONTHLY_TARGET
        )}" "<a href="/api/v1/visits/measures.csv" download>"Download as CSV"</a></p>
        <div class="table-wrap">
        <table class="data cards" data-testid="visiting">
            <thead><tr>
                <th scope="col">"Officer"</th><th scope="col" class="num">"This week"</th><th scope="col" class="num">"This month"</th>
                <th scope="col" class="num">"No access this month"</th><th scope="col" class="num">"Follow-ups open"</th><th scope="col" class="num">"Overdue"</th>
                <th scope="col" class="num">"Closed on time this month"</th>
            </tr></thead>
            <tbody>
                {rows.into_iter().map(|r| view! {
                    <tr class:total=r.total>
                        <td data-label="Officer">{r.officer.clone()}</td>
                        <td data-label="This week" class="num">{r.completed_week}</td>
                        <td data-label="This month" class="num">{r.completed_month}</td>
                        <td data-label="No access this month" class="num">{r.no_access_month}</td>
                        <td data-label="Follow-ups open" class="num">{r.follow_ups_open}</td>
                        <td data-label="Overdue" class="num" class:arrears={r.follow_ups_overdue > 0}>{r.follow_ups_overdue}</td>
                        <td data-label="Closed on time this month" class="num">{format!("{} of {}", r.closed_on_time_month, r.closed_month)}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }.into_any() } /> }
}

/// The visiting programme: each patch's coverage of the cycle, and planning the next weeks' home
/// checks (preview, then assign), with officers' cover honoured.
#[component]
fn Programme() -> impl IntoView {
    use crate::api::visits::{PlanVisits, programme};
    let plan = ServerAction::<PlanVisits>::new();
    let booked = succeeded(plan);
    let coverage = Resource::new(move || booked.get(), |_| programme());
    let error = move || plan.value().get().and_then(|r| r.err());
    view! {
        <section aria-labelledby="programme-h">
            <h2 id="programme-h">"Visiting programme"</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match coverage.await {
                        Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                        Ok(p) => view! {
                            <p class="muted">{format!(
                                "Every home is checked once in each cycle: home checks every {} months, occupancy checks every {}. Planning takes never-visited homes first, then those with no one at the door for two years, then those due.",
                                p.home_check_months, p.occupancy_check_months
                            )}</p>
                            <div class="table-wrap">
                            <table class="data cards" data-testid="coverage">
                                <thead><tr>
                                    <th scope="col">"Patch"</th><th scope="col">"Officer"</th><th scope="col" class="num">"Homes"</th>
                                    <th scope="col" class="num">"Visited in cycle"</th><th scope="col" class="num">"Due"</th><th scope="col" class="num">"Never visited"</th>
                                    <th scope="col" class="num">"No contact in 2 years"</th><th scope="col" class="num">"Planned"</th>
                                </tr></thead>
                                <tbody>
                                    {p.patches.iter().chain(std::iter::once(&p.total)).map(|r| view! {
                                        <tr class:total=r.patch_id == 0>
                                            <td data-label="Patch">{r.patch.clone()}</td>
                                            <td data-label="Officer">{r.officer.clone()}</td>
                                            <td data-label="Homes" class="num">{r.homes}</td>
                                            <td data-label="Visited in cycle" class="num">{format!("{} ({}%)", r.in_cycle, r.percent())}</td>
                                            <td data-label="Due" class="num">{r.due}</td>
                                            <td data-label="Never visited" class="num" class:arrears={r.never_visited > 0}>{r.never_visited}</td>
                                            <td data-label="No contact in 2 years" class="num">{r.little_contact}</td>
                                            <td data-label="Planned" class="num">{r.planned}</td>
                                        </tr>
                                    }).collect_view()}
                                </tbody>
                            </table>
                            </div>
                            <ActionForm action=plan attr:class="stack card" attr:data-testid="plan-form">
                                <h3>"Plan visits"</h3>
                                <div class="form-row">
                                    <div class="form-group">
                                        <label for="plan-start">"From"</label>
                                        <input id="plan-start" type="date" name="plan[start]" value=p.today.to_string() required />
                                    </div>
                                    <div class="form-group">
                                        <label for="plan-weeks">"Weeks"</label>
                                        <input id="plan-weeks" type="number" name="plan[weeks]" value="1" min="1" max="13" required />
                                    </div>
                                    <div class="form-group">
                                        <label for="plan-per-day">"Visits an officer a day"</label>
                                        <input id="plan-per-day" type="number" name="plan[per_day]" value="6" min="1" max=crate::domain::programme::MAX_PER_DAY.to_string() required />
                                    </div>
                                </div>
                                <button type="submit">"Preview the plan"</button>
                            </ActionForm>
                        }.into_any(),
                    }
                })}
            </Suspense>
            <ActionError error=Signal::derive(error) />
            {move || plan.value().get().and_then(|r| r.ok()).map(|v| view! { <PlanResult plan=v action=plan /> })}
        </section>
    }
}

/// A previewed plan (with the button that assigns it) or the plan just assigned.
#[component]
fn PlanResult(plan: crate::model::PlanView, action: ServerAction<crate::api::visits::PlanVisits>) -> impl IntoView {
    let crate::model::PlanView { start, until, weeks, per_day, assigned, visits, per_officer } = plan;
    let total = visits.len();
    let shown = 200;
    view! {
        <div class="card" data-testid="plan">
            <h3>{if assigned { "Visits assigned" } else { "The plan" }}</h3>
            <p data-testid="plan-summary">{format!(
                "{total} home checks from {} to {}{}",
                start.format("%-d %B %Y"), until.format("%-d %B %Y"),
                if assigned { ": each is on its officer's day." } else { ". Nothing is booked until you assign them." }
            )}</p>
            <ul class="plain" data-testid="plan-officers">
                {per_officer.into_iter().map(|(officer, n)| view! { <li>{format!("{officer}: {n}")}</li> }).collect_view()}
            </ul>
            {(!assigned && total > 0).then(|| view! {
                <ActionForm action attr:data-testid="assign-form">
                    <input type="hidden" name="plan[start]" value=start.to_string() />
                    <input type="hidden" name="plan[weeks]" value=weeks.to_string() />
                    <input type="hidden" name="plan[per_day]" value=per_day.to_string() />
                    <input type="hidden" name="plan[assign]" value="1" />
                    <button type="submit">{format!("Assign these {total} visits")}</button>
                </ActionForm>
            })}
            <details>
            <summary>"The visits, day by day"</summary>
            <div class="table-wrap">
            <table class="data cards" data-testid="plan-visits">
                <thead><tr><th scope="col">"Day"</th><th scope="col">"Officer"</th><th scope="col">"Home"</th><th scope="col">"Why"</th></tr></thead>
                <tbody>
                    {visits.into_iter().take(shown).map(|v| view! {
                        <tr>
                            <td data-label="Day">{v.on.format("%a %-d %b").to_string()}</td>
                            <td data-label="Officer">{v.officer.clone()}{v.covering_for.map(|o| format!(" (covering {o})"))}</td>
                            <td data-label="Home"><a href=format!("/tenancies/{}", v.tenancy_reference)>{v.address.clone()}</a></td>
                            <td data-label="Why">{v.reason.label()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            {(total > shown).then(|| view! { <p class="muted small">{format!("The first {shown} of {total}.")}</p> })}
            </details>
        </div>
    }
}

/// The area's under-occupied homes by the size criteria, most spare bedrooms first: whom to offer a
/// move to a smaller home.
#[component]
fn UnderOccupation() -> impl IntoView {
    let list = Resource::new(|| (), |_| crate::api::desk::list_under_occupiers());
    view! { <LoadedSection id="under-h" title="Under-occupied homes" load=list show=|u| view! {
        <p data-testid="under-summary">{format!(
            "{} of {} homes with two or more bedrooms are under-occupied by the size criteria; {} of those households face the 14% or 25% reduction in housing support.",
            u.total, u.homes, u.facing_reduction
        )}{(u.total as usize > u.rows.len()).then(|| format!(" The {} with most spare bedrooms:", u.rows.len()))}</p>
        <div class="table-wrap">
        <table class="data cards" data-testid="under-occupiers">
            <thead><tr><th scope="col">"Home"</th><th scope="col">"Officer"</th><th scope="col" class="num">"Bedrooms"</th><th scope="col" class="num">"Needs"</th><th scope="col" class="num">"Spare"</th><th scope="col" class="num">"Reduction"</th></tr></thead>
            <tbody>
                {u.rows.into_iter().map(|r| view! {
                    <tr>
                        <td data-label="Home"><a href=format!("/tenancies/{}", r.tenancy_reference)>{r.address}</a></td>
                        <td data-label="Officer">{r.officer}</td>
                        <td data-label="Bedrooms" class="num">{r.bedrooms}</td>
                        <td data-label="Needs" class="num">{r.entitlement}</td>
                        <td data-label="Spare" class="num">{r.spare}</td>
                        <td data-label="Reduction" class="num">{if r.reduction_percent > 0 { format!("{}%", r.reduction_percent) } else { "none (pension age)".to_string() }}</td>
                    </tr>
                }).collect_view()}
            </tbody>
        </table>
        </div>
    }.into_any() /> }
}

/// What visits lead to: the year's homes recovered (with the saving) and downsizing moves against
/// their targets, month by month, and the open entries, longest at their stage first.
#[component]
fn Pipeline() -> impl IntoView {
    let view = Resource::new(|| (), |_| crate::api::pipeline::team_pipeline());
    view! { <LoadedSection id="pipeline-h" title="Downsizing and investigations" load=view show=|p| {
        let f = p.figures;
        let t = f.targets;
        view! {
        <p class="muted">{format!(
            "The year from {}. Each home recovered from fraud, subletting or abandonment counts {} saved.",
            f.year_from.format("%-d %B %Y"), crate::domain::Pence(i64::from(t.saving_pounds) * 100).pounds()
        )}" "<a href="/api/v1/pipeline.csv" download>"Download the months as CSV"</a></p>
        <div class="targets" data-testid="pipeline-targets">
            <Target label="Homes recovered" done=f.recovered target=t.recovered
                note=format!("{} saved · {} regularised · {} no fraud", f.saving.pounds(), f.regularised, f.no_fraud) />
            <Target label="Downsizing moves" done=f.moved target=t.moved note=format!("{} decided not to move", f.withdrawn) />
        </div>
        <MonthChart months=f.months.clone() />
        <h3>"Open now"</h3>
        {if f.open.is_empty() { view! { <p class="muted">"Nothing open."</p> }.into_any() } else { view! {
            <ul class="plain" data-testid="pipeline-open">
                {f.open.iter().map(|(k, st, n)| view! { <li>{format!("{}: {} · {n}", k.label(), st.label().to_lowercase())}</li> }).collect_view()}
            </ul>
        }.into_any() }}
        {(!p.entries.is_empty()).then(|| view! {
            <details>
            <summary>{format!("The {} open, longest at their stage first", p.open_total)}</summary>
            <div class="table-wrap">
            <table class="data cards" data-testid="pipeline-entries">
                <thead><tr><th scope="col">"Home"</th><th scope="col">"What"</th><th scope="col">"Stage"</th><th scope="col">"Since"</th><th scope="col">"Officer"</th></tr></thead>
                <tbody>
                    {p.entries.into_iter().map(|e| view! {
                        <tr>
                            <td data-label="Home"><a href=format!("/tenancies/{}#pipeline", e.tenancy_reference)>{e.address}</a></td>
                            <td data-label="What">{e.kind.label()}</td>
                            <td data-label="Stage">{e.stage.label()}</td>
                            <td data-label="Since">{e.stage_at.format("%-d %b %Y").to_string()}</td>
                            <td data-label="Officer">{e.officer.unwrap_or_default()}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
            </details>
        })}
        }.into_any()
    } /> }
}

/// A figure against its target, with a bar.
#[component]
fn Target(label: &'static str, done: u32, target: u32, note: String) -> impl IntoView {
    let percent = crate::domain::pipeline::Figures::percent(done, target);
    view! {
        <div class="card">
            <h3>{label}</h3>
            <p class="figure">{format!("{done} of {target}")}</p>
            <progress class="meter" max="100" value=percent.to_string() aria-label=format!("{percent}% of the year's target")>{format!("{percent}%")}</progress>
            <p class="muted small">{note}</p>
        </div>
    }
}

/// Homes recovered and downsizing moves month by month, as bars (and as a table for screen readers).
#[component]
fn MonthChart(months: Vec<crate::domain::pipeline::MonthFigures>) -> impl IntoView {
    let summary = months.iter().map(|m| format!("{}: {} recovered, {} moved", m.month.format("%B"), m.recovered, m.moved)).collect::<Vec<_>>().join("; ");
    let slots = months.iter().map(|m| (m.month.format("%b").to_string(), vec![m.recovered, m.moved])).collect();
    view! { <BarChart slots series=vec![("recovered", "Homes recovered"), ("moved", "Downsizing moves")] summary testid="pipeline-chart" /> }
}

/// Bars month by month, one for each series in each month (labelled with its figure), an optional
/// target drawn as a dashed line, and the legend; `summary` says it all for screen readers.
#[component]
fn BarChart(
    /// Each month's label and its figures, one per series.
    slots: Vec<(String, Vec<u32>)>,
    /// Each series' CSS class and legend.
    series: Vec<(&'static str, &'static str)>,
    /// A target: its figure, the line's label, and the legend's words.
    #[prop(optional)]
    target: Option<(u32, String, String)>,
    summary: String,
    testid: &'static str,
) -> impl IntoView {
    let (w, base) = (480.0_f64, 160.0_f64);
    let highest = slots.iter().flat_map(|(_, v)| v.iter().copied()).chain(target.as_ref().map(|t| t.0)).max().unwrap_or(0).max(1);
    let top = f64::from(highest) * 1.1;
    let slot = w / slots.len().max(1) as f64;
    let n = series.len().max(1) as f64;
    let bar = (slot * 0.6 / n).min(24.0);
    let y = move |v: u32| base - f64::from(v) / top * (base - 14.0);
    let classes: Vec<&'static str> = series.iter().map(|s| s.0).collect();
    view! {
        <figure>
            <svg class="months" viewBox=format!("0 0 {w} 190") role="img" aria-label=summary data-testid=testid>
                {slots.into_iter().enumerate().map(|(i, (label, values))| {
                    let mid = i as f64 * slot + slot / 2.0;
                    let left = mid - bar * n / 2.0;
                    view! {
                        <g>
                            {values.into_iter().enumerate().map(|(k, v)| {
                                let x = left + k as f64 * bar;
                                view! {
                                    <rect class=classes.get(k).copied().unwrap_or_default() x=x y=y(v) width=bar height=base - y(v) />
                                    {(v > 0).then(|| view! { <text x=x + bar / 2.0 y=y(v) - 3.0 text-anchor="middle">{v}</text> })}
                                }
                            }).collect_view()}
                            <text x=mid y=base + 16.0 text-anchor="middle">{label}</text>
                        </g>
                    }
                }).collect_view()}
                {target.clone().map(|(t, label, _)| view! {
                    <line class="target" x1="0" x2=w y1=y(t) y2=y(t) />
                    <text x=w - 4.0 y=y(t) - 4.0 text-anchor="end">{label}</text>
                })}
            </svg>
            <figcaption class="legend">
                {series.into_iter().map(|(class, legend)| view! { <span><span class=format!("swatch {class}")></span>{legend}</span> }).collect_view()}
                {target.map(|(_, _, legend)| view! { <span>{legend}</span> })}
            </figcaption>
        </figure>
    }
}

/// The area's last twelve months of visiting: completed visits against the 350 a month as bars,
/// and every figure as a table (and CSV).
#[component]
fn Months() -> impl IntoView {
    let months = Resource::new(|| (), |_| crate::api::visits::team_months());
    view! { <LoadedSection id="months-h" title="The last twelve months" load=months show=|rows| {
        let target = crate::domain::visits::MONTHLY_TARGET;
        let summary = rows.iter().map(|r| format!("{}: {} visits", r.month.format("%B %Y"), r.completed)).collect::<Vec<_>>().join("; ");
        let slots = rows.iter().map(|r| (r.month.format("%b").to_string(), vec![r.completed])).collect();
        view! {
        <BarChart slots series=vec![("moved", "Visits completed")] summary=format!("Visits completed each month against {target}: {summary}")
            target=(target, format!("{target} a month"), format!("Dashed: the programme's {target} a month")) testid="months-chart" />
        <details>
            <summary>"Every figure, month by month"</summary>
            <p><a href="/api/v1/visits/months.csv" download>"Download as CSV"</a></p>
            <div class="table-wrap">
            <table class="data cards" data-testid="months">
                <thead><tr>
                    <th scope="col">"Month"</th><th scope="col" class="num">"Completed"</th><th scope="col" class="num">"No access"</th>
                    <th scope="col" class="num">"Disrepair found"</th><th scope="col" class="num">"Safeguarding"</th><th scope="col" class="num">"Alterations found"</th>
                    <th scope="col" class="num">"Put right"</th><th scope="col" class="num">"Follow-ups on time"</th><th scope="col" class="num">"Financial inclusion referrals"</th>
                </tr></thead>
                <tbody>
                    {rows.iter().rev().map(|r| view! {
                        <tr>
                            <td data-label="Month">{r.month.format("%B %Y").to_string()}</td>
                            <td data-label="Completed" class="num" class:arrears={r.completed < target}>{r.completed}</td>
                            <td data-label="No access" class="num">{r.no_access}</td>
                            <td data-label="Disrepair found" class="num">{r.disrepair}</td>
                            <td data-label="Safeguarding" class="num">{r.safeguarding}</td>
                            <td data-label="Alterations found" class="num">{r.alterations}</td>
                            <td data-label="Put right" class="num">{r.alterations_put_right}</td>
                            <td data-label="Follow-ups on time" class="num">{format!("{} of {}", r.follow_ups_on_time, r.follow_ups_closed)}</td>
                            <td data-label="Financial inclusion referrals" class="num">{r.financial_referrals}</td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </details>
        }.into_any()
    } /> }
}
