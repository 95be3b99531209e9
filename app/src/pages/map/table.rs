//! The Table tab: the map's keyboard equivalent. Filter homes, tick them, move them (the same
//! draft as the map's).

use leptos::prelude::*;

use super::engine::Engine;
use super::state::MapState;
use crate::api::map::get_home_rows;
use crate::domain::mapdata::*;

const PAGE: usize = 25;

/// The table's filters, its page, and the homes they match.
#[derive(Clone, Copy)]
struct TableState {
    st: MapState,
    street: RwSignal<String>,
    patch: RwSignal<String>,
    only_selected: RwSignal<bool>,
    page: RwSignal<usize>,
    /// Every home the filters match (indices into the engine's columns), and this page of them.
    matching: Memo<Vec<u32>>,
    visible: Memo<Vec<u32>>,
    /// The addresses of this page's homes, from the server.
    addresses: Resource<Vec<HomeRow>>,
}

impl TableState {
    fn new(st: MapState) -> Self {
        let (engine, summary, meta) = (st.engine, st.summary, st.meta);
        let street = RwSignal::new(String::new());
        let patch = RwSignal::new(String::new());
        let only_selected = RwSignal::new(false);
        let page = RwSignal::new(0usize);
        let matching = Memo::new(move |_| {
            summary.track();
            let s = street.get().to_lowercase();
            let p = patch.get().parse::<u16>().ok();
            let only = only_selected.get();
            engine.with_value(|e| {
                e.as_ref()
                    .map(|e| {
                        (0..e.xs.len() as u32)
                            .filter(|&i| {
                                let i = i as usize;
                                (s.is_empty() || e.streets.get(e.street[i] as usize).is_some_and(|n| n.to_lowercase().contains(&s)))
                                    && p.is_none_or(|p| e.now[i] == p)
                                    && (!only || e.selected[i])
                            })
                            .collect::<Vec<u32>>()
                    })
                    .unwrap_or_default()
            })
        });
        let visible = Memo::new(move |_| {
            let m = matching.get();
            let start = (page.get() * PAGE).min(m.len());
            m[start..(start + PAGE).min(m.len())].to_vec()
        });
        let addresses = Resource::new(
            move || (meta.with(|m| m.as_ref().map(|m| m.area)), visible.get()),
            move |(area, v)| async move {
                let ids: Vec<i64> = engine.with_value(|e| e.as_ref().map(|e| v.iter().map(|h| e.ids[*h as usize]).collect()).unwrap_or_default());
                match area {
                    Some(a) if !ids.is_empty() => get_home_rows(a, ids).await.unwrap_or_default(),
                    _ => Vec::new(),
                }
            },
        );
        TableState { st, street, patch, only_selected, page, matching, visible, addresses }
    }

    fn toggle(self, h: u32) {
        self.st.with_engine(|e| e.toggle(h));
        self.st.refresh();
    }

    fn select_all(self) {
        let m = self.matching.get_untracked();
        self.st.with_engine(|e| e.select(&m, true));
        self.st.refresh();
    }
}

/// The map's keyboard equivalent: filter homes, tick them, move them (the same draft).
#[component]
pub(super) fn HomeTable(st: MapState) -> impl IntoView {
    let t = TableState::new(st);
    view! {
        <section class="home-table card" aria-labelledby="table-h" data-testid="home-table">
            <h2 id="table-h">"Homes"</h2>
            <TableFilters t=t />
            <table class="data">
                <thead><tr><th scope="col">"Select"</th><th scope="col">"Address"</th><th scope="col">"Street"</th><th scope="col">"Patch (draft)"</th><th scope="col">"Tenure"</th><th scope="col">"Flags"</th></tr></thead>
                <tbody>
                    {move || {
                        t.st.summary.track();
                        let rows = t.addresses.get().unwrap_or_default();
                        t.visible.get().into_iter().map(|h| home_row(t, &rows, h)).collect_view()
                    }}
                </tbody>
            </table>
            <TablePager t=t />
        </section>
    }
    .into_any()
}

#[component]
fn TableFilters(t: TableState) -> impl IntoView {
    let (street, patch, only_selected, page) = (t.street, t.patch, t.only_selected, t.page);
    view! {
        <div class="row filters">
            <label>"Street or block " <input type="search" data-testid="table-street" prop:value=move || street.get() on:input=move |ev| { street.set(event_target_value(&ev)); page.set(0) } /></label>
            <label>"Patch "
                <select data-testid="table-patch" on:change=move |ev| { patch.set(event_target_value(&ev)); page.set(0) }>
                    <option value="">"All patches"</option>
                    {move || t.st.summary.with(|s| s.patches.iter().enumerate().map(|(k, p)| view! { <option value=k.to_string()>{p.name.clone()}</option> }).collect_view())}
                </select>
            </label>
            <label class="check"><input type="checkbox" on:change=move |ev| { only_selected.set(event_target_checked(&ev)); page.set(0) } />"Selected only"</label>
            <button type="button" class="button secondary" data-testid="table-select-all" on:click=move |_| t.select_all()>{move || format!("Select all {} matching", t.matching.with(|m| m.len()))}</button>
        </div>
    }
}

/// One home of the table, with its address from `rows` (or "Home <id>" until it arrives).
fn home_row(t: TableState, rows: &[HomeRow], h: u32) -> impl IntoView + use<> {
    let (id, street_name, patch_name, moved, tenure, flags, selected) =
        t.st.engine.with_value(|e| e.as_ref().map(|e| row_facts(e, h as usize))).unwrap_or_default();
    let addr = rows.iter().find(|r| r.property_id == id).map(|r| format!("{}, {}", r.address, r.postcode)).unwrap_or_else(|| format!("Home {id}"));
    view! {
        <tr class:selected=selected>
            <td><input type="checkbox" checked=selected aria-label=format!("Select {addr}") on:change=move |_| t.toggle(h) /></td>
            <td>{addr.clone()}</td>
            <td>{street_name}</td>
            <td>{patch_name}{moved.then(|| view! { <span class="tag">"moved"</span> })}</td>
            <td>{tenure}</td>
            <td>{flags}</td>
        </tr>
    }
}

/// Home `i`'s id, street, patch in the draft, whether the draft moved it, tenure, flags and whether it is selected.
fn row_facts(e: &Engine, i: usize) -> (i64, String, String, bool, String, String, bool) {
    let f = e.flags[i];
    let mut flags = Vec::new();
    if matches!(arrears_of(f), ArrearsBand::Medium | ArrearsBand::High) {
        flags.push("Arrears")
    }
    if f & VISIT_OVERDUE != 0 {
        flags.push("Visit overdue")
    }
    if f & ASB_CASE != 0 {
        flags.push("ASB case")
    }
    if f & SUSTAIN_CASE != 0 {
        flags.push("Sustainment case")
    }
    (
        e.ids[i],
        e.streets.get(e.street[i] as usize).cloned().unwrap_or_default(),
        e.patches.get(e.now[i] as usize).map(|p| p.name.clone()).unwrap_or_default(),
        e.now[i] != e.base[i],
        legend(ColourMode::Tenure)[tenure_of(f) as usize].label.clone(),
        flags.join(", "),
        e.selected[i],
    )
}

#[component]
fn TablePager(t: TableState) -> impl IntoView {
    let (page, matching) = (t.page, t.matching);
    view! {
        <div class="row">
            <button type="button" class="button secondary" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
            <span>{move || { let n = matching.with(|m| m.len()); format!("{}–{} of {}", (page.get() * PAGE + 1).min(n), ((page.get() + 1) * PAGE).min(n), n) }}</span>
            <button type="button" class="button secondary" disabled=move || { (page.get() + 1) * PAGE >= matching.with(|m| m.len()) } on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
        </div>
    }
}
