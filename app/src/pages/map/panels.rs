//! The legend (what each colour and shape means in the chosen mode) and the patch panel (every
//! patch side by side against the workload band, with the draft's changes).

use leptos::prelude::*;

use super::state::PanelData;
use crate::domain::mapdata::*;

#[component]
pub(super) fn Legend(mode: RwSignal<ColourMode>, patches: Memo<Vec<MapPatch>>) -> impl IntoView {
    let swatch = |colour: String, shape: Shape| {
        let body = match shape {
            Shape::Dot => view! { <circle cx="8" cy="8" r="5" fill=colour /> }.into_any(),
            Shape::Square => view! { <rect x="3" y="3" width="10" height="10" fill=colour /> }.into_any(),
            Shape::Triangle => view! { <polygon points="8,2 14,14 2,14" fill=colour /> }.into_any(),
            Shape::Diamond => view! { <polygon points="8,1 15,8 8,15 1,8" fill=colour /> }.into_any(),
            Shape::Cross => view! { <path d="M6 2h4v4h4v4h-4v4H6v-4H2V6h4z" fill=colour /> }.into_any(),
            Shape::Ring => view! { <circle cx="8" cy="8" r="5" fill="none" stroke=colour stroke-width="2" /> }.into_any(),
        };
        view! { <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">{body}</svg> }
    };
    view! {
        <section class="legend" aria-label="Legend" data-testid="legend">
            <h2 class="legend-title">{move || mode.get().label()}</h2>
            <ul>
                {move || {
                    let m = mode.get();
                    if m == ColourMode::Patch {
                        patches.with(|ps| ps.iter().enumerate().map(|(k, p)| view! {
                            <li>{swatch(patch_colour(k).to_string(), patch_shape(k))}<span>{p.name.clone()}{p.officer.clone().map(|o| format!(" — {o}"))}</span></li>
                        }).collect_view()).into_any()
                    } else {
                        let mut items: Vec<_> = legend(m).into_iter().map(|i| view! { <li>{swatch(i.colour.to_string(), i.shape)}<span>{i.label}</span></li> }.into_any()).collect();
                        if m == ColourMode::Workload {
                            items.push(view! { <li><span class="band-key over"></span><span>"Patch over its band (tinted red, labelled)"</span></li> }.into_any());
                            items.push(view! { <li><span class="band-key under"></span><span>"Patch under its band (tinted blue, labelled)"</span></li> }.into_any());
                        }
                        items.into_iter().collect_view().into_any()
                    }
                }}
            </ul>
        </section>
    }
}

#[component]
pub(super) fn PatchPanel(panel: Memo<PanelData>, tolerance: RwSignal<u32>, officers: RwSignal<usize>) -> impl IntoView {
    view! {
        <section aria-labelledby="patches-h" class="patch-panel">
            <h2 id="patches-h">"Patches side by side"</h2>
            {move || panel.with(|(totals, base, patches, challenging_pct)| {
                let challenging = patches.iter().filter(|p| p.officer_id.is_some() && p.challenging).count();
                let bands = Bands::new(totals.iter().map(|t| t.weight).sum(), officers.get().max(1), challenging, *challenging_pct, tolerance.get());
                let band = bands.ordinary;
                let delta = |now: i64, before: i64| if now == before { String::new() } else { format!(" ({:+})", now - before) };
                view! {
                    <p class="muted">{format!("Target workload per officer {} (band {} to {}, ±{}%), in homes' worth: an ordinary home counts 1; introductory tenancies, arrears, open cases and vulnerability add to it.", homes_equivalent(band.target.round() as u64), homes_equivalent(band.low.round() as u64), homes_equivalent(band.high.round() as u64), tolerance.get())}
                        {(challenging > 0).then(|| format!(" A challenging patch's target is {}% of that: {} (band {} to {}).", challenging_pct, homes_equivalent(bands.challenging.target.round() as u64), homes_equivalent(bands.challenging.low.round() as u64), homes_equivalent(bands.challenging.high.round() as u64)))}</p>
                    <div class="table-wrap">
                    <table class="data" data-testid="patch-table">
                        <thead><tr><th scope="col">"Patch"</th><th scope="col">"Officer (cover)"</th><th scope="col">"Homes"</th><th scope="col">"Workload"</th><th scope="col">"Against band"</th><th scope="col">"Introductory"</th><th scope="col">"Arrears"</th><th scope="col">"Open cases"</th><th scope="col">"Visits overdue"</th></tr></thead>
                        <tbody>
                            {patches.iter().enumerate().map(|(k, p)| {
                                let t = totals.get(k).copied().unwrap_or_default();
                                let b = base.get(k).copied().unwrap_or_default();
                                let band = bands.of(p.challenging);
                                let status = band.status(t.weight);

                                view! {
                                    <tr data-patch=p.name.clone()>
                                        <th scope="row">{p.name.clone()}{p.challenging.then(|| view! { <span class="tag">"Challenging"</span> })}</th>
                                        <td>{p.officer.clone().unwrap_or_else(|| "Vacant".into())}{p.cover.clone().map(|c| format!(" (cover: {c})"))}</td>
                                        <td data-testid="patch-homes">{format!("{}{}", t.homes, delta(t.homes as i64, b.homes as i64))}</td>
                                        <td>{homes_equivalent(t.weight)}</td>
                                        <td><meter min="0" max=format!("{:.0}", band.high * 1.3) low=format!("{:.0}", band.low) high=format!("{:.0}", band.high) optimum=format!("{:.0}", band.target) value=t.weight.to_string()>{status.label()}</meter>" "{status.label()}</td>
                                        <td>{format!("{}{}", t.introductory, delta(t.introductory as i64, b.introductory as i64))}</td>
                                        <td>{format!("{}{}", t.arrears, delta(t.arrears as i64, b.arrears as i64))}</td>
                                        <td>{t.asb + t.sustain}</td>
                                        <td>{t.overdue_visits}</td>
                                    </tr>
                                }
                            }).collect_view()}
                        </tbody>
                    </table>
                    </div>
                }
            })}
        </section>
    }
}
