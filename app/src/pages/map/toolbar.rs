//! The head of the map page (title and the Map / Table tabs), the toolbar (colour mode, tool,
//! zoom) and the stage the two canvases draw on.

use leptos::prelude::*;

use super::engine::Tool;
use super::state::{MapState, Tab};
use crate::domain::mapdata::ColourMode;

#[component]
pub(super) fn MapHead(st: MapState) -> impl IntoView {
    let tab = st.tab;
    view! { <div class="map-head">
        <h1>{move || st.meta.with(|m| m.as_ref().map(|m| format!("{} patch map", m.name)).unwrap_or_else(|| "Patch map".into()))}</h1>
        <div class="tabs" role="tablist" aria-label="View">
            <button role="tab" type="button" aria-selected=move || (tab.get() == Tab::Map).to_string() on:click=move |_| tab.set(Tab::Map)>"Map"</button>
            <button role="tab" type="button" aria-selected=move || (tab.get() == Tab::Table).to_string() data-testid="table-tab" on:click=move |_| tab.set(Tab::Table)>"Table"</button>
        </div>
    </div> }
    .into_any()
}

#[component]
pub(super) fn Toolbar(st: MapState) -> impl IntoView {
    let (mode, tool) = (st.mode, st.tool);
    view! { <div class="map-toolbar" role="toolbar" aria-label="Map tools" hidden=move || st.tab.get() != Tab::Map>
        <label>"Colour by "
            <select data-testid="colour-mode" on:change=move |ev| { if let Some(m) = ColourMode::parse(&event_target_value(&ev)) { st.set_mode(m) } }>
                {ColourMode::ALL.into_iter().map(|m| view! { <option value=m.code() selected=move || mode.get() == m>{m.label()}</option> }).collect_view()}
            </select>
        </label>
        <fieldset class="tool-choice">
            <legend class="visually-hidden">"Tool"</legend>
            {[(Tool::Pan, "Pan", "tool-pan"), (Tool::Box, "Box select", "tool-box"), (Tool::Lasso, "Lasso", "tool-lasso")].into_iter().map(|(t, label, id)| view! {
                <label class="tool"><input type="radio" name="tool" data-testid=id checked=move || tool.get() == t on:change=move |_| tool.set(t) />{label}</label>
            }).collect_view()}
        </fieldset>
        <span class="zoom">
            <button type="button" aria-label="Zoom in" on:click=move |_| st.zoom_by(1.5)>"+"</button>
            <button type="button" aria-label="Zoom out" on:click=move |_| st.zoom_by(1.0 / 1.5)>"−"</button>
            <button type="button" on:click=move |_| st.zoom_by(0.0)>"Whole area"</button>
        </span>
    </div> }
    .into_any()
}

/// The map itself: the base and points canvases, the hover label and the loading message.
#[component]
pub(super) fn Stage(st: MapState) -> impl IntoView {
    view! { <div class="map-stage" node_ref=st.stage_ref hidden=move || st.tab.get() != Tab::Map
        tabindex="0" role="application" aria-roledescription="map"
        aria-label="Map of the area's homes. Arrow keys pan, plus and minus zoom. The Table tab does everything the map does from the keyboard."
        data-testid="map-stage" data-tool=move || format!("{:?}", st.tool.get()).to_lowercase()
        on:pointerdown=move |ev| st.on_down(ev) on:pointermove=move |ev| st.on_move(ev) on:pointerup=move |ev| st.on_up(ev)
        on:wheel=move |ev| st.on_wheel(ev) on:keydown=move |ev| st.on_key(ev)>
        <canvas node_ref=st.base_ref class="map-canvas" aria-hidden="true"></canvas>
        <canvas node_ref=st.points_ref class="map-canvas" aria-hidden="true"></canvas>
        {move || { let h = st.hover.get(); (!h.is_empty()).then(|| view! { <div class="map-hover">{h}</div> }) }}
        {move || (st.meta.get().is_none() && st.load_error.get().is_none()).then(|| view! { <div class="map-loading">"Loading every home…"</div> })}
    </div> }
    .into_any()
}
