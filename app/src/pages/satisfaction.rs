//! Satisfaction: what tenants and partners say through Hearth's feedback links, with the
//! Regulator's arithmetic, charts, comments, the council among its peers, and the links (with
//! QR codes) officers hand out. The filters are a plain GET form, so the page works without
//! JavaScript and every view has an address that can be shared.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::api::feedback::{CaseFromComment, CreateFeedbackLink, get_feedback_results};
use crate::components::{ActionError, ErrorPanel, loading, succeeded};
use crate::domain::feedback::{GroupBy, GroupFigures, question};
use crate::domain::tsm::Tenths;
use crate::model::{BenchmarkRow, FeedbackResults};

fn pct(t: Option<Tenths>) -> String {
    t.map(|t| format!("{}%", t.display())).unwrap_or_else(|| "–".into())
}

fn tenths(t: Option<i64>) -> String {
    pct(t.map(Tenths))
}

fn short(measure: &str) -> String {
    match measure {
        "TP01" => "Overall".into(),
        "TP06" => "Listens and acts".into(),
        "TP07" => "Keeps informed".into(),
        "TP08" => "Fair and respectful".into(),
        "TP12" => "ASB handling".into(),
        "HMO1" => "Housing officer".into(),
        m => m.to_string(),
    }
}

/// Horizontal bars, one per group, for one measure: the value is written beside each bar, so
/// the chart never relies on colour or length alone.
#[component]
fn BarChart(groups: Vec<GroupFigures>, measure: String, title: String) -> impl IntoView {
    let rows: Vec<(String, Option<Tenths>, i64)> = groups
        .iter()
        .map(|g| {
            let f = g.figures.iter().find(|f| f.measure == measure);
            (g.group.clone(), f.and_then(|f| f.percent), f.map(|f| f.base).unwrap_or(0))
        })
        .collect();
    let row_h = 28;
    let h = (rows.len() as i32 * row_h + 10).max(40);
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 640 {h}") role="img" aria-label=title class="bars" preserveAspectRatio="xMinYMin meet">
                {rows.into_iter().enumerate().map(|(i, (label, p, n))| {
                    let y = i as i32 * row_h + 5;
                    let w = p.map(|p| (p.0 as f64 / 1000.0 * 360.0).round() as i32).unwrap_or(0);
                    view! {
                        <g>
                            <text x="0" y=y + 18 class="bar-label">{label.chars().take(28).collect::<String>()}</text>
                            <rect x="200" y=y + 4 width="360" height="18" class="bar-track" />
                            <rect x="200" y=y + 4 width=w height="18" class="bar-fill" />
                            <text x=208 + w.min(300) y=y + 18 class="bar-value">{format!("{} (n={n})", pct(p))}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

/// Columns for each month, oldest first, with the value above each column.
#[component]
fn TrendChart(months: Vec<GroupFigures>, measure: String, title: String) -> impl IntoView {
    let n = months.len().max(1) as i32;
    let col = (600 / n).clamp(20, 60);
    let width = col * n + 40;
    view! {
        <figure class="chart">
            <figcaption>{title.clone()}</figcaption>
            <svg viewBox=format!("0 0 {width} 220") role="img" aria-label=title class="trend" preserveAspectRatio="xMinYMin meet">
                <line x1="30" y1="180" x2=width y2="180" class="axis" />
                <text x="0" y="34" class="tick">"100%"</text>
                <text x="8" y="184" class="tick">"0%"</text>
                {months.into_iter().enumerate().map(|(i, g)| {
                    let p = g.figures.iter().find(|f| f.measure == measure).and_then(|f| f.percent);
                    let hgt = p.map(|p| (p.0 as f64 / 1000.0 * 150.0).round() as i32).unwrap_or(0);
                    let x = 36 + i as i32 * col;
                    view! {
                        <g>
                            <rect x=x y=180 - hgt width=col - 8 height=hgt class="bar-fill" />
                            <text x=x y=174 - hgt class="col-value">{p.map(|p| format!("{}", p.0 / 10)).unwrap_or_default()}</text>
                            <text x=x y="198" class="tick">{g.group.get(5..7).unwrap_or("").to_string()}</text>
                            <text x=x y="212" class="tick">{(i == 0 || g.group.ends_with("-01")).then(|| g.group.get(..4).unwrap_or("").to_string())}</text>
                        </g>
                    }
                }).collect_view()}
            </svg>
        </figure>
    }
}

#[component]
pub fn SatisfactionPage() -> impl IntoView {
    let query = use_query_map();
    let create = ServerAction::<CreateFeedbackLink>::new();
    let open_case = ServerAction::<CaseFromComment>::new();
    let made = succeeded(create);
    let opened = succeeded(open_case);
    let params = move || {
        let q = query.get();
        (q.get("by").unwrap_or_else(|| "area".into()), q.get("months").and_then(|m| m.parse::<i64>().ok()).unwrap_or(12), q.get("q").unwrap_or_default())
    };
    // The comment filters by the figures' dimensions: ids, 0 for any.
    let id_param = move |name: &str| query.get().get(name).and_then(|v| v.parse::<i64>().ok()).unwrap_or(0);
    let dims = move || (id_param("area"), id_param("patch"), id_param("officer"));
    let results = crate::api::compact_resource(
        move || (params(), dims(), made.get(), opened.get()),
        |((by, months, q), (area, patch, officer), _, _)| get_feedback_results(by, months, q, area, patch, officer),
    );
    view! {
        <Title text="Satisfaction" />
        <h1>"Satisfaction"</h1>
        <p class="lede">"What tenants and partners tell us through Hearth's feedback links: transactional figures, from those who chose to answer after a visit or a case, not a representative survey. Satisfied = very or fairly satisfied (strongly agree or agree) out of everyone who gave an answer; \u{201c}don't know\u{201d} is left out; rounded half-up to one decimal place, as the Regulator of Social Housing calculates Tenant Satisfaction Measures."</p>
        <form method="get" action="/satisfaction" class="filters" data-testid="satisfaction-filters">
            <label>"Group by "
                <select name="by">
                    {GroupBy::ALL.into_iter().map(|g| view! { <option value=g.as_str() selected=move || params().0 == g.as_str()>{g.label()}</option> }).collect_view()}
                </select>
            </label>
            <label>"Period "
                <select name="months">
                    {[3i64, 6, 12, 24].into_iter().map(|m| view! { <option value=m.to_string() selected=move || params().1 == m>{format!("Last {m} months")}</option> }).collect_view()}
                </select>
            </label>
            <label>"Comments containing "<input type="search" name="q" value=move || params().2 /></label>
            <input type="hidden" name="area" value=move || dims().0.to_string() />
            <input type="hidden" name="patch" value=move || dims().1.to_string() />
            <input type="hidden" name="officer" value=move || dims().2.to_string() />
            <button type="submit">"Show"</button>
        </form>
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match results.await {
                    Err(e) => view! { <ErrorPanel error=e /> }.into_any(),
                    Ok(r) => {
                        let (_, months, q) = params();
                        let chosen = CommentQuery { months, q, dims: dims() };
                        view! {
                            <Figures r=r.clone() months />
                            {r.partners.first().cloned().map(|p| view! { <PartnerFigures p /> })}
                            {(!r.benchmark.is_empty()).then(|| view! { <Benchmark rows=r.benchmark.clone() year=r.benchmark_year.clone().unwrap_or_default() /> })}
                            <ComplaintMeasures f=r.complaints.clone() />
                            <Comments r=r.clone() chosen open_case />
                            <Links r create />
                        }.into_any()
                    }
                }
            })}
        </Transition>
    }
}

/// The response count, the overall figures, the charts and the table by group.
#[component]
fn Figures(r: FeedbackResults, months: i64) -> impl IntoView {
    let measures = r.measures.clone();
    let overall = r.overall.first().cloned();
    let total = overall.as_ref().map(|o| o.responses).unwrap_or(0);
    let by_label = r.by.label();
    let csv = format!("/api/v1/feedback/results.csv?by={}&months={months}", r.by.as_str());
    view! {
            <p data-testid="response-count">{format!("{total} responses since {}.", r.since)}" "<a href=csv download>"Download these figures (CSV)"</a></p>
            <section aria-labelledby="overall-h">
                <h2 id="overall-h">"Overall"</h2>
                <ul class="counts" data-testid="overall">
                    {overall.map(|o| o.figures.into_iter().map(|f| view! {
                        <li>
                            <span class="count">{pct(f.percent)}</span>
                            <span class="count-label">{short(&f.measure)}" ("{f.measure.clone()}")"</span>
                            <span class="muted small count-note">{format!("{} of {} answers", f.satisfied, f.base)}</span>
                        </li>
                    }).collect_view())}
                </ul>
            </section>
            <div class="charts">
                <BarChart groups=r.groups.clone() measure="TP01".into() title=format!("Overall satisfaction (TP01) by {}", by_label.to_lowercase()) />
                <TrendChart months=r.months.clone() measure="TP01".into() title="Overall satisfaction (TP01) by month, %".into() />
            </div>
            <section aria-labelledby="groups-h">
                <h2 id="groups-h">{format!("By {}", by_label.to_lowercase())}</h2>
                <div class="table-wrap">
                <table class="data" data-testid="figures">
                    <thead><tr><th scope="col">{by_label}</th><th scope="col" class="num">"Responses"</th>
                        {measures.iter().map(|m| view! { <th scope="col" class="num" title=question(m).map(|q| q.text).unwrap_or("")>{short(m)}<div class="muted small">{m.clone()}</div></th> }).collect_view()}
                    </tr></thead>
                    <tbody>
                        {r.groups.iter().map(|g| view! {
                            <tr>
                                <th scope="row">{g.group.clone()}</th>
                                <td class="num">{g.responses}</td>
                                {g.figures.iter().map(|f| view! { <td class="num">{pct(f.percent)}<div class="muted small">{format!("n={}", f.base)}</div></td> }).collect_view()}
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
                </div>
            </section>
    }
}

/// What partner agencies said, question by question.
#[component]
fn PartnerFigures(p: GroupFigures) -> impl IntoView {
    view! {
        <section aria-labelledby="partners-h">
            <h2 id="partners-h">{format!("Partner agencies ({} responses)", p.responses)}</h2>
            <div class="table-wrap">
            <table class="data" data-testid="partner-figures">
                <thead><tr><th scope="col">"Question"</th><th scope="col" class="num">"Satisfied or agree"</th><th scope="col" class="num">"Answers"</th></tr></thead>
                <tbody>
                    {p.figures.into_iter().map(|f| view! {
                        <tr><th scope="row">{question(&f.measure).map(|q| q.text).unwrap_or("")}</th><td class="num">{pct(f.percent)}</td><td class="num">{f.base}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}

/// The council among every council landlord in the Regulator's Tenant Satisfaction Measures.
#[component]
fn Benchmark(rows: Vec<BenchmarkRow>, year: String) -> impl IntoView {
    view! {
        <section aria-labelledby="bench-h">
            <h2 id="bench-h">{format!("Among councils ({} Tenant Satisfaction Measures)", year)}</h2>
            <p class="muted">"Ranked like with like: the council's own perception survey, as the Regulator published it, among every council landlord's, recomputed from their response counts (rank 1 is the most satisfied). Hearth's figure beside it is transactional: asked through feedback links after a visit or a case, of those who chose to answer. It is not a representative survey, so it is never ranked among them."</p>
            <div class="table-wrap">
            <table class="data" data-testid="benchmark">
                <thead><tr><th scope="col">"Measure"</th><th scope="col" class="num">"Perception survey"</th><th scope="col" class="num">"Survey rank"</th><th scope="col" class="num">"Median council survey"</th><th scope="col" class="num">"Transactional (Hearth links)"</th></tr></thead>
                <tbody>
                    {rows.iter().filter(|b| b.survey_tenths.is_some() || b.in_app_tenths.is_some()).map(|b| view! {
                        <tr>
                            <th scope="row">{b.measure.clone()}<div class="muted small">{b.name.clone()}</div></th>
                            <td class="num">{tenths(b.survey_tenths)}</td>
                            <td class="num">{b.survey_rank.map(|k| format!("{k} of {}", b.councils))}</td>
                            <td class="num">{tenths(b.median_tenths)}</td>
                            <td class="num">{tenths(b.in_app_tenths)}<div class="muted small">{(b.in_app_base > 0).then(|| format!("n={}", b.in_app_base))}</div></td>
                        </tr>
                    }).collect_view()}
                </tbody>
            </table>
            </div>
        </section>
    }
}

/// CH01 and CH02 per stage from Hearth's complaint cases, as the Regulator defines them.
#[component]
fn ComplaintMeasures(f: crate::model::ComplaintFigures) -> impl IntoView {
    let row = |stage: &'static str, s: crate::domain::complaint::StageFigures| {
        view! {
            <tr>
                <th scope="row">{stage}</th>
                <td class="num">{s.received}</td>
                <td class="num">{format!("{:.1}", s.per_thousand_homes)}</td>
                <td class="num">{s.responded}</td>
                <td class="num">{s.within_timescales_pct.map(|p| format!("{p:.1}%")).unwrap_or_else(|| "—".into())}</td>
            </tr>
        }
    };
    view! {
        <section aria-labelledby="complaints-h">
            <h2 id="complaints-h">{format!("Complaints, {}/{:02} reporting year (CH01, CH02)", f.year, (f.year + 1) % 100)}</h2>
            <p class="muted">{format!("From Hearth's complaint cases, over {} homes let on rent. CH01 counts complaints received per 1,000 homes; CH02 the share answered within the Complaint Handling Code's timescales (stage 1: acknowledged in 5 working days, answered in 10 more, one extension of up to 10; stage 2: 5, then 20, extension up to 20).", f.homes)}</p>
            <div class="table-wrap">
            <table class="data" data-testid="complaint-measures">
                <thead><tr><th scope="col">"Stage"</th><th scope="col" class="num">"Received"</th><th scope="col" class="num">"CH01 per 1,000 homes"</th><th scope="col" class="num">"Answered"</th><th scope="col" class="num">"CH02 within timescales"</th></tr></thead>
                <tbody>{row("Stage 1", f.stage1)}{row("Stage 2", f.stage2)}</tbody>
            </table>
            </div>
        </section>
    }
}

/// The page's filters as the comment filter form carries them on.
#[derive(Clone, Debug, PartialEq)]
struct CommentQuery {
    months: i64,
    q: String,
    /// Area, patch and officer (0: any).
    dims: (i64, i64, i64),
}

/// Tenants' and partners' comments, filtered, each with its case or the form to open one.
#[component]
fn Comments(r: FeedbackResults, chosen: CommentQuery, open_case: ServerAction<CaseFromComment>) -> impl IntoView {
    let can_open = r.can_open_cases;
    let filters = r.filters.clone();
    let CommentQuery { months, q, dims } = chosen;
    view! {
        <section aria-labelledby="comments-h">
            <h2 id="comments-h">{format!("Comments ({})", r.comments.len())}</h2>
            <form method="get" action="/satisfaction" class="filters" data-testid="comment-filters">
                <input type="hidden" name="by" value=r.by.as_str() />
                <input type="hidden" name="months" value=months.to_string() />
                <input type="hidden" name="q" value=q />
                {[("area", "Area team", filters.areas, dims.0), ("patch", "Patch", filters.patches, dims.1), ("officer", "Officer", filters.officers, dims.2)].into_iter().map(|(name, label, options, chosen)| view! {
                    <label>{format!("{label} ")}
                        <select name=name>
                            <option value="0" selected=chosen == 0>"Any"</option>
                            {options.into_iter().map(|(id, n)| view! { <option value=id.to_string() selected=chosen == id>{n}</option> }).collect_view()}
                        </select>
                    </label>
                }).collect_view()}
                <button type="submit">"Filter comments"</button>
            </form>
            <ActionError error=Signal::derive(move || open_case.value().get().and_then(|r| r.err())) />
            {move || open_case.value().get().and_then(|r| r.ok()).map(|r| view! { <p class="notice" role="status" data-testid="case-opened">"Case "<a href=format!("/cases/{r}")>{r.clone()}</a>" opened from the comment."</p> })}
            {if r.comments.is_empty() { view! { <p class="muted">"No comments match."</p> }.into_any() } else { view! {
                <ul class="comments" data-testid="comments">
                    {r.comments.into_iter().map(|c| view! {
                        <li class="card">
                            <p class="comment-text">{c.comment}</p>
                            <p class="muted small">
                                {crate::model::day_of(c.submitted_at)}
                                {c.overall.map(|o| format!(" · overall: {o}"))}
                                {c.patch.map(|p| format!(" · {p}"))}
                                {c.officer.map(|o| format!(" · about {o}"))}
                                {(c.audience == "partner").then_some(" · partner agency")}
                            </p>
                            {c.contact_detail.map(|d| view! { <p class="small"><strong>"Asked for a reply: "</strong>{c.contact_name.unwrap_or_default()}", "{d}</p> })}
                            {match c.case_reference {
                                Some(r) => Some(view! { <p class="small">"Case opened: "<a href=format!("/cases/{r}")>{r.clone()}</a></p> }.into_any()),
                                None if can_open && c.audience == "tenant" => Some(view! {
                                    <ActionForm action=open_case attr:class="inline-form" attr:data-testid="comment-case">
                                        <input type="hidden" name="response_id" value=c.id.to_string() />
                                        <label>"Needs "
                                            <select name="kind" aria-label=format!("What comment {} needs", c.id)>
                                                {crate::domain::feedback::COMMENT_CASES.iter().map(|(k, _)| view! { <option value=k.as_str()>{k.label()}</option> }).collect_view()}
                                            </select>
                                        </label>
                                        <button type="submit">"Open a case"</button>
                                    </ActionForm>
                                }.into_any()),
                                None => None,
                            }}
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any() }}
        </section>
    }
}

/// Feedback links and their QR codes, with the forms to make them (officers, patches, partners).
#[component]
fn Links(r: FeedbackResults, create: ServerAction<CreateFeedbackLink>) -> impl IntoView {
    view! {
        <section aria-labelledby="links-h">
            <h2 id="links-h">"Feedback links"</h2>
            <p class="muted">"Print a link or its QR code on a card, a letter or a noticeboard. A link says only which officer, patch, visit or agency the feedback is about; it carries nothing about the tenant and cannot be guessed. A visit's link points at one home, so its answers are not anonymous in the same way: the form tells the tenant so."</p>
            {r.can_manage_links.then(|| view! {
                <ActionError error=Signal::derive(move || create.value().get().and_then(|r| r.err())) />
                <div class="link-forms">
                    <ActionForm action=create attr:class="stack card" attr:data-testid="link-form">
                        <h3>"A link for feedback about my work"</h3>
                        <input type="hidden" name="scope_type" value="officer" />
                        <input type="hidden" name="scope_id" value="0" />
                        <label>"Label (optional) "<input type="text" name="label" maxlength="120" /></label>
                        <button type="submit">"Make my link"</button>
                    </ActionForm>
                    {(!r.patches.is_empty()).then(|| view! {
                        <ActionForm action=create attr:class="stack card" attr:data-testid="patch-link-form">
                            <h3>"A link for a patch"</h3>
                            <input type="hidden" name="scope_type" value="patch" />
                            <label>"Patch "
                                <select name="scope_id">
                                    {r.patches.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                                </select>
                            </label>
                            <label>"Label (optional) "<input type="text" name="label" maxlength="120" /></label>
                            <button type="submit">"Make patch link"</button>
                        </ActionForm>
                    })}
                </div>
            })}
            {r.can_make_partner_links.then(|| view! {
                <ActionError error=Signal::derive(move || create.value().get().and_then(|r| r.err())) />
                <div class="link-forms">
                    <ActionForm action=create attr:class="stack card" attr:data-testid="partner-link-form">
                        <h3>"A link for a partner agency"</h3>
                        <p class="muted small">"The agency's staff answer the partner questions: how the housing officers' roles work for them."</p>
                        <input type="hidden" name="scope_type" value="partner" />
                        <label>"Agency "
                            <select name="scope_id">
                                {r.agencies.iter().map(|(id, name)| view! { <option value=id.to_string()>{name.clone()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>"Label (optional) "<input type="text" name="label" maxlength="120" /></label>
                        <button type="submit">"Make partner link"</button>
                    </ActionForm>
                </div>
            })}
            <ul class="links" data-testid="links">
                {r.links.into_iter().map(|l| view! {
                    <li class="card link-card">
                        <div class="qr" inner_html=l.qr_svg></div>
                        <div>
                            <p><strong>{l.label.clone()}</strong></p>
                            <p><a href=l.path.clone()>{l.url.clone()}</a></p>
                            <p class="muted small">{format!("{} responses · made {}{}", l.responses, crate::model::day_of(l.created_at), if l.active { "" } else { " · withdrawn" })}</p>
                        </div>
                    </li>
                }).collect_view()}
            </ul>
        </section>
    }
}
