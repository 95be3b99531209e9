//! The officer's day on a phone: the visits planned for them (and for colleagues they cover) in
//! walking order, drawn as a route and listed with what to check at each door; then the open
//! follow-ups with their clocks. `?on=YYYY-MM-DD` shows another day.

use chrono::NaiveDate;
use leptos::prelude::*;
use leptos_meta::Title;

use crate::api::visits::officers_day;
use crate::components::{ErrorPanel, loading};
use crate::domain::VisitOutcome;
use crate::model::{DayStop, MyDay};

#[component]
pub fn DayPage() -> impl IntoView {
    let query = leptos_router::hooks::use_query_map();
    let on = move || query.with(|q| q.get("on").and_then(|d| d.parse::<NaiveDate>().ok()));
    let day = crate::api::compact_resource(on, officers_day);
    view! {
        <Title text="My day" />
        <Transition fallback=loading>
            {move || Suspend::new(async move {
                match day.await {
                    Err(e) => view! { <h1>"My day"</h1><ErrorPanel error=e /> }.into_any(),
                    Ok(d) => day_view(d),
                }
            })}
        </Transition>
    }
}

fn day_view(d: MyDay) -> AnyView {
    let MyDay { on, stops, walk_metres, follow_ups, hazards } = d;
    let made = stops.iter().filter(|s| s.outcome != VisitOutcome::Scheduled).count();
    let (before, after) = (on.pred_opt().unwrap_or(on), on.succ_opt().unwrap_or(on));
    view! {
        <h1>{format!("My day: {}", on.format("%A %-d %B"))}</h1>
        <nav class="day-nav" aria-label="Other days">
            <a href=format!("/day?on={before}")>{format!("← {}", before.format("%a %-d %b"))}</a>
            <a href="/day">"Today"</a>
            <a href=format!("/day?on={after}")>{format!("{} →", after.format("%a %-d %b"))}</a>
        </nav>
        {if stops.is_empty() {
            view! { <p class="muted" data-testid="day-summary">"No visits are planned for this day. Visits you make unplanned are recorded on the tenancy's page."</p> }.into_any()
        } else {
            view! {
                <p class="lede" data-testid="day-summary">{format!(
                    "{} visits, {} made; the walk between them is about {}.",
                    stops.len(), made, distance(walk_metres)
                )}</p>
                <RouteMap stops=stops.clone() />
                <ol class="day-stops" data-testid="day-stops">
                    {stops.into_iter().enumerate().map(|(i, s)| view! { <Stop n=i + 1 stop=s /> }).collect_view()}
                </ol>
            }.into_any()
        }}
        {(!hazards.is_empty()).then(|| view! { <crate::pages::hazards::HazardsSection rows=hazards /> })}
        {(!follow_ups.is_empty()).then(|| view! { <crate::pages::my_work::FollowUpsSection rows=follow_ups /> })}
    }
    .into_any()
}

fn distance(metres: u32) -> String {
    if metres < 1000 { format!("{metres} m") } else { format!("{:.1} km", f64::from(metres) / 1000.0) }
}

/// One door: where, why, who lives there, what to watch for, and the link to record the visit.
#[component]
fn Stop(n: usize, stop: DayStop) -> impl IntoView {
    let DayStop {
        visit_type,
        outcome,
        tenancy_reference,
        address,
        postcode,
        covering_for,
        household,
        alerts,
        balance,
        open_cases,
        last_visit,
        last_findings,
        metres_from_previous,
        ..
    } = stop;
    let done = outcome != VisitOutcome::Scheduled;
    view! {
        <li class="card day-stop" class:done=done data-testid="day-stop">
            <h2 class="stop-title">
                <span class="stop-n" aria-hidden="true">{n}</span>
                <a href=format!("/tenancies/{tenancy_reference}")>{format!("{address}, {postcode}")}</a>
            </h2>
            <p class="muted small">
                {visit_type.label()}
                {(n > 1).then(|| format!(" · {} from the last door", distance(metres_from_previous)))}
                {covering_for.map(|o| format!(" · covering {o}"))}
            </p>
            {(!alerts.is_empty()).then(|| view! {
                <ul class="alerts" aria-label="Alerts">{alerts.into_iter().map(|a| view! { <li class="alert-item">{a}</li> }).collect_view()}</ul>
            })}
            <dl class="facts">
                <dt>"Household"</dt><dd>{if household.is_empty() { "None recorded".to_string() } else { household.join(", ") }}</dd>
                <dt>"Rent"</dt><dd class:arrears={balance.0 > 0}>{balance.balance_label()}</dd>
                <dt>"Open cases"</dt><dd>{open_cases}</dd>
                <dt>"Last visit"</dt>
                <dd>
                    {last_visit.map_or_else(|| "Never visited".to_string(), |d| d.format("%-d %B %Y").to_string())}
                    {(!last_findings.is_empty()).then(|| view! { <ul class="plain small">{last_findings.into_iter().map(|f| view! { <li>{f}</li> }).collect_view()}</ul> })}
                </dd>
            </dl>
            {if done {
                view! { <p><span class="tag" data-testid="stop-outcome">{outcome.label()}</span></p> }.into_any()
            } else {
                view! { <p><a class="button" href=format!("/tenancies/{tenancy_reference}#record-visit")>"Record the visit"</a></p> }.into_any()
            }}
        </li>
    }
}

/// The walk drawn over the doors' coordinates (no map tiles: the route and numbered doors, north up).
#[component]
fn RouteMap(stops: Vec<DayStop>) -> impl IntoView {
    const W: f64 = 360.0;
    const H: f64 = 220.0;
    const PAD: f64 = 18.0;
    let lat0 = stops.iter().map(|s| s.latitude).sum::<f64>() / stops.len() as f64;
    let kx = lat0.to_radians().cos();
    let xs: Vec<f64> = stops.iter().map(|s| s.longitude * kx).collect();
    let ys: Vec<f64> = stops.iter().map(|s| s.latitude).collect();
    let (x0, x1) = (xs.iter().copied().fold(f64::INFINITY, f64::min), xs.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    let (y0, y1) = (ys.iter().copied().fold(f64::INFINITY, f64::min), ys.iter().copied().fold(f64::NEG_INFINITY, f64::max));
    let span = (x1 - x0).max(y1 - y0).max(1e-6);
    let scale = ((W - 2.0 * PAD) / span).min((H - 2.0 * PAD) / span);
    let points: Vec<(f64, f64)> = xs
        .iter()
        .zip(&ys)
        .map(|(x, y)| {
            (PAD + (x - x0) * scale + (W - 2.0 * PAD - (x1 - x0) * scale) / 2.0, H - PAD - (y - y0) * scale - (H - 2.0 * PAD - (y1 - y0) * scale) / 2.0)
        })
        .collect();
    let line = points.iter().map(|(x, y)| format!("{x:.1},{y:.1}")).collect::<Vec<_>>().join(" ");
    view! {
        <figure class="route-map">
            <svg viewBox=format!("0 0 {W} {H}") role="img" aria-label=format!("The walk between the day's {} doors, in order", stops.len()) data-testid="route-map">
                <polyline points=line class="route-line" />
                {points.iter().zip(&stops).enumerate().map(|(i, ((x, y), s))| view! {
                    <g class="route-stop" class:done=s.outcome != VisitOutcome::Scheduled>
                        <circle cx=format!("{x:.1}") cy=format!("{y:.1}") r="9" />
                        <text x=format!("{x:.1}") y=format!("{:.1}", y + 4.0) text-anchor="middle">{i + 1}</text>
                    </g>
                }).collect_view()}
            </svg>
        </figure>
    }
}
