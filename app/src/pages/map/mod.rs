//! The patch map (`/map`): every home of an area as a point over ward and estate outlines and
//! patch territories; colour modes with a legend; the patch panel; select (click, box, lasso,
//! street), move between patches as an undoable draft, save with a reason (versioned); balance
//! suggestions; and a keyboard-operable table that does everything the map does.
//!
//! `state.rs` holds the page's state (one `Copy` value) with drawing and loading; `input.rs` the
//! pointer and keyboard handlers; `draft.rs` the draft's actions; `canvas.rs` the drawing;
//! `engine.rs` the engine; `hooks.rs` the test hooks; the rest are the page's components.

mod canvas;
mod draft;
pub mod engine;
mod hooks;
mod input;
mod panels;
mod side;
mod state;
mod table;
mod toolbar;

use leptos::prelude::*;
use leptos_meta::Title;

pub use canvas::{tile_corner, tile_of};
use panels::{Legend, PatchPanel};
use side::{BalanceCard, DraftCard, HomeCardView, SelectionCard};
use state::{MapState, Tab};
use table::HomeTable;
use toolbar::{MapHead, Stage, Toolbar};

/// "1 home", "12 homes".
fn homes(n: usize) -> String {
    count(n as i64, "home", "homes")
}

fn count(n: i64, one: &str, many: &str) -> String {
    if n == 1 { format!("1 {one}") } else { format!("{n} {many}") }
}

fn now_ms() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

#[component]
pub fn MapPage() -> impl IntoView {
    let st = MapState::new();
    st.start();
    view! {
        <Title text="Patch map" />
        <MapHead st=st />
        <noscript><p class="notice">"The patch map draws with JavaScript, which is switched off in this browser. Patches and their officers are listed on the Team page."</p></noscript>
        {move || st.load_error.get().map(|e| view! { <div class="error-summary" role="alert"><h2>"The map could not load"</h2><p>{e.to_string()}</p></div> })}
        <div class="map-layout">
            <div class="map-main">
                <Toolbar st=st />
                <Stage st=st />
                <Legend mode=st.mode patches=st.patch_list />
                {move || (st.tab.get() == Tab::Table).then(|| view! { <HomeTable st=st /> })}
            </div>
            <aside class="map-side">
                {move || st.notice.get().map(|(err, text)| view! { <div class=if err { "notice notice-error" } else { "notice notice-ok" } role=if err { "alert" } else { "status" } data-testid="map-notice">{text}</div> })}
                {move || st.card.get().map(|c| view! { <HomeCardView card=c on_street=move |_| st.select_street() /> })}
                <SelectionCard st=st />
                {move || st.can_reshape().then(|| view! { <DraftCard st=st /> })}
                <BalanceCard st=st />
            </aside>
        </div>
        <PatchPanel panel=st.panel tolerance=st.tolerance officers=st.officers />
        <p class="small muted">{move || st.meta.with(|m| m.as_ref().map(|_| "Ward boundaries: Office for National Statistics (OGL v3.0); home positions: OS Code-Point Open. Estate outlines are drawn around their homes.".to_string()))}</p>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homes_are_counted_in_words() {
        assert_eq!(homes(1), "1 home");
        assert_eq!(homes(12), "12 homes");
    }
}
