//! The side of the map: the home card, the selection (and moving it), the draft and its reason,
//! and the balance suggestion.

use leptos::prelude::*;

use super::state::MapState;
use super::{count, homes};
use crate::domain::mapdata::*;
use crate::error::AppError;

#[component]
pub(super) fn HomeCardView(card: Result<HomeCard, AppError>, on_street: impl Fn(leptos::ev::MouseEvent) + Clone + Send + Sync + 'static) -> impl IntoView {
    match card {
        Err(e) => view! { <section class="card"><p class="error">{e.to_string()}</p></section> }.into_any(),
        Ok(c) => view! {
            <section class="card home-card" aria-labelledby="home-h" data-testid="home-card">
                <h2 id="home-h">{c.address.clone()}<span class="muted">{format!(" {}", c.postcode)}</span></h2>
                <dl class="facts">
                    <dt>"Patch"</dt><dd>{c.patch.clone()}</dd>
                    <dt>"Officer"</dt><dd>{c.officer.clone().unwrap_or_else(|| "None".into())}</dd>
                    <dt>"Tenancy"</dt><dd>{match c.tenancy_reference.clone() {
                        Some(r) => view! { <a href=format!("/tenancies/{r}")>{r.clone()}</a>{c.tenure.clone().map(|t| format!(" · {t}"))} }.into_any(),
                        None => view! { "No active tenancy" }.into_any(),
                    }}</dd>
                    {c.tenant.clone().map(|t| view! { <dt>"Tenant"</dt><dd>{t}</dd> })}
                    {c.tenancy_owner.clone().map(|o| view! { <dt>"Held by"</dt><dd>{o}</dd> })}
                    {c.balance.clone().map(|b| view! { <dt>"Rent balance"</dt><dd>{b}</dd> })}
                </dl>
                <p class="row"><a href=format!("/properties/{}", c.property_reference)>"Property record"</a>
                <button type="button" class="link-like" data-testid="select-street" on:click=on_street>"Select the whole street"</button></p>
            </section>
        }
        .into_any(),
    }
}

#[component]
pub(super) fn SelectionCard(st: MapState) -> impl IntoView {
    view! { <section class="card" aria-labelledby="sel-h" data-testid="selection">
        <h2 id="sel-h">"Selection"</h2>
        {move || st.summary.with(|s| if s.selected == 0 {
            view! { <p class="muted">"Click a home, or use Box select or Lasso (hold Shift to add). On the Table tab, tick homes."</p> }.into_any()
        } else {
            let t = s.selection;
            view! {
                <p data-testid="selection-count"><strong>{homes(s.selected)}</strong>{format!(" · workload {} · {} introductory · {} in arrears · {} open cases · {} visits overdue", homes_equivalent(t.weight), t.introductory, t.arrears, t.asb + t.sustain, t.overdue_visits)}</p>
                <p class="small muted">{s.by_patch.iter().map(|(p, n)| format!("{n} in {}", s.patches.get(*p as usize).map(|p| p.name.as_str()).unwrap_or(""))).collect::<Vec<_>>().join(" · ")}</p>
            }.into_any()
        })}
        {move || (st.can_reshape() && st.has_selection.get()).then(|| view! { <MoveTo st=st patches=st.patch_list.get() /> })}
        {move || st.has_selection.get().then(|| view! { <button type="button" class="link-like" on:click=move |_| st.clear_selection()>"Clear selection"</button> })}
    </section> }
    .into_any()
}

/// "Move to" a patch, for whoever may reshape the patches.
#[component]
fn MoveTo(st: MapState, patches: Vec<MapPatch>) -> impl IntoView {
    let move_to = st.move_to;
    view! {
        <div class="row">
            <label>"Move to "
                <select data-testid="move-to" on:change=move |ev| move_to.set(event_target_value(&ev)) prop:value=move || move_to.get()>
                    <option value="">"Choose a patch"</option>
                    {patches.iter().enumerate().map(|(k, p)| view! { <option value=k.to_string()>{p.name.clone()}</option> }).collect_view()}
                </select>
            </label>
            <button type="button" class="button" data-testid="move" on:click=move |_| st.move_selection()>"Move"</button>
        </div>
    }
}

#[component]
pub(super) fn DraftCard(st: MapState) -> impl IntoView {
    let (summary, reason) = (st.summary, st.reason);
    view! {
        <section class="card" aria-labelledby="draft-h" data-testid="draft">
            <h2 id="draft-h">"Draft change"</h2>
            {move || summary.with(|s| if s.draft_moves == 0 {
                view! { <p class="muted">"No homes moved. Moves stay a draft until you save them with a reason."</p> }.into_any()
            } else {
                view! { <p data-testid="draft-count"><strong>{format!("{} moved", homes(s.draft_moves))}</strong>{format!(" in {}", count(s.draft_steps as i64, "step", "steps"))}</p> }.into_any()
            })}
            <form on:submit=move |ev| st.save(ev) class="stack">
                <label for="reason">"Reason (goes on every moved tenancy's history)"</label>
                <textarea id="reason" name="reason" rows="2" data-testid="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                <div class="row">
                    <button type="submit" class="button" data-testid="save-change" disabled=move || st.busy.get() || summary.with(|s| s.draft_moves == 0)>"Save change"</button>
                    <button type="button" class="button secondary" on:click=move |_| st.undo() disabled=move || summary.with(|s| s.draft_steps == 0)>"Undo"</button>
                    <button type="button" class="button secondary" on:click=move |_| st.discard_draft() disabled=move || summary.with(|s| s.draft_steps == 0)>"Discard"</button>
                    <button type="button" class="link-like" on:click=move |_| st.reload_changes() data-testid="reload-changes">"Reload others' changes"</button>
                </div>
            </form>
        </section>
    }
    .into_any()
}

#[component]
pub(super) fn BalanceCard(st: MapState) -> impl IntoView {
    let (officers, tolerance) = (st.officers, st.tolerance);
    view! { <section class="card" aria-labelledby="bal-h" hidden=move || st.meta.with(|m| m.as_ref().is_none_or(|m| m.area == 0))>
        <h2 id="bal-h">"Balance suggestion"</h2>
        <form on:submit=move |ev| st.suggest_balance(ev) class="row">
            <label>"Officers " <input type="number" min="1" max="200" class="narrow" data-testid="officers" prop:value=move || officers.get().to_string() on:input=move |ev| { if let Ok(n) = event_target_value(&ev).parse() { officers.set(n) } } /></label>
            <label>"Tolerance ± " <input type="number" min="1" max="50" class="narrow" data-testid="tolerance" prop:value=move || tolerance.get().to_string() on:input=move |ev| { if let Ok(n) = event_target_value(&ev).parse() { tolerance.set(n) } } />"%"</label>
            <button type="submit" class="button secondary" data-testid="suggest" disabled=move || st.busy.get()>"Suggest"</button>
        </form>
        {move || st.proposal.get().map(|p| view! { <Proposal st=st p=p can_reshape=st.can_reshape() /> })}
    </section> }
    .into_any()
}

/// A balance suggestion: what it moves, patch by patch, and what can be done with it.
#[component]
fn Proposal(st: MapState, p: BalanceView, can_reshape: bool) -> impl IntoView {
    view! {
        <div data-testid="proposal">
            <p><strong>{format!("Moves {} homes", p.moves)}</strong>{format!(" · {} · {} · {} ms", if p.within_tolerance { format!("every patch within ±{}%", p.tolerance_pct) } else { "not every patch could be brought within the tolerance".into() }, if p.all_contiguous { "every patch contiguous" } else { "some patches not contiguous" }, p.millis)}</p>
            <div class="table-wrap"><table class="data compact">
                <thead><tr><th scope="col">"Patch"</th><th scope="col">"Today"</th><th scope="col">"Proposed"</th><th scope="col">"Band"</th></tr></thead>
                <tbody>{p.rows.iter().map(|r| view! {
                    <tr><td>{r.patch.clone()}</td><td>{format!("{} homes · {}", r.today_homes, homes_equivalent(r.today_weight))}</td><td>{format!("{} homes · {}", r.proposed_homes, homes_equivalent(r.proposed_weight))}</td><td>{r.status.label()}</td></tr>
                }).collect_view()}</tbody>
            </table></div>
            <div class="row">
                {move || if st.showing_proposal.get() {
                    view! { <button type="button" class="button secondary" on:click=move |_| st.show_proposal(false)>"Show today's patches"</button> }.into_any()
                } else {
                    view! { <button type="button" class="button secondary" data-testid="show-proposal" on:click=move |_| st.show_proposal(true)>"Show on map"</button> }.into_any()
                }}
                {can_reshape.then(|| view! { <button type="button" class="button" data-testid="accept-proposal" on:click=move |_| st.accept_proposal()>"Accept into draft"</button> })}
                <button type="button" class="link-like" on:click=move |_| st.discard_proposal()>"Discard"</button>
            </div>
        </div>
    }
    .into_any()
}
