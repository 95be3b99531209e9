//! The map page's state: every signal, memo, stored value and element reference of the page in one
//! `Copy` value, built once by [`MapState::new`] and passed to each component. Drawing, loading and
//! the small helpers live here; input handling in `input.rs`, the draft's actions in `draft.rs`.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use super::canvas::{ON_TILE, TILES, paint};
use super::engine::{Engine, Tool};
use super::{hooks::expose_hooks, now_ms};
use crate::api::map::get_home_card;
use crate::domain::mapdata::*;
use crate::error::AppError;

/// What the UI shows of the engine's state, refreshed after every change.
#[derive(Clone, Debug, Default, PartialEq)]
pub(super) struct Summary {
    pub selected: usize,
    pub selection: PatchTotals,
    pub by_patch: Vec<(u16, u32)>,
    pub draft_moves: usize,
    pub draft_steps: usize,
    pub totals: Vec<PatchTotals>,
    pub base: Vec<PatchTotals>,
    pub patches: Vec<MapPatch>,
    /// A challenging patch's target, in percent of an ordinary patch's (`WorkloadWeights::challenging_pct`).
    pub challenging_pct: u32,
}

fn engine_summary(e: &Engine) -> Summary {
    Summary {
        selected: e.selected_count,
        selection: e.selection_totals(),
        by_patch: e.selection_by_patch(),
        draft_moves: net_moves(&e.base, &e.now).len(),
        draft_steps: e.draft.batches(),
        totals: e.draft_totals(),
        base: e.base_totals(),
        patches: e.patches.clone(),
        challenging_pct: e.weights.challenging_pct,
    }
}

/// The loaded map's area team, its name, whether this user may reshape its patches, and the
/// change counter the map was loaded (or last reloaded) at.
#[derive(Clone, Debug, PartialEq)]
pub(super) struct MapMeta {
    pub area: i64,
    pub name: String,
    pub can_reshape: bool,
    pub change: i64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Tab {
    Map,
    Table,
}

/// A drag in progress: start x, y, last x, y, and whether it has moved beyond a click.
pub(super) type Drag = (f64, f64, f64, f64, bool);

/// Totals per patch after the draft, before it, and the patches: what the patch panel shows.
pub(super) type PanelData = (Vec<PatchTotals>, Vec<PatchTotals>, Vec<MapPatch>, u32);

/// Everything the map page holds. All fields are arena handles, so the value is `Copy`.
#[derive(Clone, Copy)]
pub(super) struct MapState {
    pub engine: StoredValue<Option<Engine>>,
    pub meta: RwSignal<Option<MapMeta>>,
    pub summary: RwSignal<Summary>,
    /// Narrow views of the summary: a new selection redraws neither the legend nor the patch panel.
    pub patch_list: Memo<Vec<MapPatch>>,
    pub has_selection: Memo<bool>,
    pub panel: Memo<PanelData>,
    pub mode: RwSignal<ColourMode>,
    pub tool: RwSignal<Tool>,
    pub tab: RwSignal<Tab>,
    pub card: RwSignal<Option<Result<HomeCard, AppError>>>,
    pub card_home: RwSignal<Option<u32>>,
    pub hover: RwSignal<String>,
    pub load_error: RwSignal<Option<AppError>>,
    /// (is_error, text)
    pub notice: RwSignal<Option<(bool, String)>>,
    pub proposal: RwSignal<Option<BalanceView>>,
    pub showing_proposal: RwSignal<bool>,
    pub busy: RwSignal<bool>,
    pub reason: RwSignal<String>,
    pub tolerance: RwSignal<u32>,
    pub officers: RwSignal<usize>,
    pub move_to: RwSignal<String>,
    pub base_ref: NodeRef<leptos::html::Canvas>,
    pub points_ref: NodeRef<leptos::html::Canvas>,
    pub stage_ref: NodeRef<leptos::html::Div>,
    pub area_param: Option<i64>,
    /// A frame is requested, and how many view changes have been scheduled (see `schedule`).
    pub pending: StoredValue<bool>,
    pub moves: StoredValue<u64>,
    pub drag: StoredValue<Option<Drag>>,
    /// The pointers down, for a two-finger pinch: id, x, y.
    pub pinch: StoredValue<Vec<(i32, f64, f64)>>,
}

impl MapState {
    pub fn new() -> Self {
        let summary = RwSignal::new(Summary::default());
        MapState {
            engine: StoredValue::new(None),
            meta: RwSignal::new(None),
            summary,
            patch_list: Memo::new(move |_| summary.with(|s| s.patches.clone())),
            has_selection: Memo::new(move |_| summary.with(|s| s.selected > 0)),
            panel: Memo::new(move |_| summary.with(|s| (s.totals.clone(), s.base.clone(), s.patches.clone(), s.challenging_pct))),
            mode: RwSignal::new(ColourMode::Patch),
            tool: RwSignal::new(Tool::Pan),
            tab: RwSignal::new(Tab::Map),
            card: RwSignal::new(None),
            card_home: RwSignal::new(None),
            hover: RwSignal::new(String::new()),
            load_error: RwSignal::new(None),
            notice: RwSignal::new(None),
            proposal: RwSignal::new(None),
            showing_proposal: RwSignal::new(false),
            busy: RwSignal::new(false),
            reason: RwSignal::new(String::new()),
            tolerance: RwSignal::new(10u32),
            officers: RwSignal::new(0usize),
            move_to: RwSignal::new(String::new()),
            base_ref: NodeRef::new(),
            points_ref: NodeRef::new(),
            stage_ref: NodeRef::new(),
            area_param: leptos_router::hooks::use_query_map().with_untracked(|q| q.get("area").and_then(|a| a.parse::<i64>().ok())),
            pending: StoredValue::new(false),
            moves: StoredValue::new(0u64),
            drag: StoredValue::new(None),
            pinch: StoredValue::new(Vec::new()),
        }
    }

    /// Loads the map's data once the page is in the browser, and redraws when the window resizes.
    pub fn start(self) {
        Effect::new(move |_| leptos::task::spawn_local(self.load()));
        let resize_handle = window_event_listener(leptos::ev::resize, move |_| self.schedule());
        on_cleanup(move || resize_handle.remove());
    }

    async fn load(self) {
        let d = match fetch_map(self.area_param).await {
            Err(e) => return self.load_error.set(Some(e)),
            Ok(d) => d,
        };
        let t0 = now_ms();
        let Some(e) = Engine::new(&d) else {
            self.load_error.set(Some(AppError::ServerFn("The map's data was damaged in transit; reload the page.".into())));
            return;
        };
        TILES.with(|t| t.borrow_mut().0 = d.tile_url.clone());
        ON_TILE.with(|f| {
            *f.borrow_mut() = Some(Arc::new(move || {
                self.bump();
                self.redraw();
            }))
        });
        self.officers.set(e.officers());
        self.meta.set(Some(MapMeta { area: d.area_team_id, name: d.area.clone(), can_reshape: d.can_reshape, change: d.change }));
        self.engine.set_value(Some(e));
        let size = self.stage_ref.get_untracked().map(|s| s.get_bounding_client_rect()).map(|r| (r.width().max(50.0), r.height().max(50.0)));
        self.engine.update_value(|e| {
            if let (Some(e), Some((w, h))) = (e.as_mut(), size) {
                e.width = w;
                e.height = h;
                e.fit();
            }
        });
        self.refresh();
        let first = now_ms() - t0;
        expose_hooks(self, first);
    }

    /// Runs `f` on the engine, once the map has loaded.
    pub fn with_engine(self, f: impl FnOnce(&mut Engine)) {
        self.engine.update_value(|e| {
            if let Some(e) = e {
                f(e);
            }
        });
    }

    /// Draws now; `exact` re-renders the base layer when the zoom changed (else it is scaled).
    /// Returns true when the base was approximated.
    pub fn draw(self, exact: bool) -> bool {
        let (Some(b), Some(p), Some(stage)) = (self.base_ref.get_untracked(), self.points_ref.get_untracked(), self.stage_ref.get_untracked()) else {
            return false;
        };
        self.engine
            .try_update_value(|e| {
                e.as_mut().map(|e| {
                    let rect = stage.get_bounding_client_rect();
                    e.width = rect.width().max(50.0);
                    e.height = rect.height().max(50.0);
                    e.dpr = web_sys::window().map(|w| w.device_pixel_ratio()).unwrap_or(1.0).clamp(1.0, 3.0);
                    paint(e, &b, &p, exact)
                })
            })
            .flatten()
            .unwrap_or(false)
    }

    pub fn redraw(self) {
        self.draw(true);
    }

    /// While panning and zooming: draw on the next animation frame (at most once per frame) from the
    /// cached base, and draw exactly once the view has rested for 150 ms.
    pub fn schedule(self) {
        self.moves.update_value(|m| *m += 1);
        if self.pending.get_value() {
            return;
        }
        self.pending.set_value(true);
        request_animation_frame(move || {
            self.pending.set_value(false);
            if self.draw(false) {
                let seen = self.moves.get_value();
                set_timeout(
                    move || {
                        if self.moves.get_value() == seen {
                            self.draw(true);
                        }
                    },
                    std::time::Duration::from_millis(150),
                );
            }
        });
    }

    /// The base layer's content changed: its cache is stale.
    pub fn bump(self) {
        self.with_engine(|e| e.base_gen += 1);
    }

    /// Refreshes the summary from the engine, and redraws.
    pub fn refresh(self) {
        if let Some(s) = self.engine.with_value(|e| e.as_ref().map(engine_summary)) {
            self.summary.set(s);
        }
        self.redraw();
    }

    pub fn can_reshape(self) -> bool {
        self.meta.with(|m| m.as_ref().is_some_and(|m| m.can_reshape))
    }

    pub fn set_mode(self, m: ColourMode) {
        self.mode.set(m);
        self.with_engine(|e| e.mode = m);
        self.bump();
        self.redraw();
    }

    /// Opens the card of home `h` (an index into the engine's columns), fetching its details.
    pub fn open_card(self, h: u32) {
        self.card_home.set(Some(h));
        let Some(id) = self.engine.with_value(|e| e.as_ref().map(|e| e.ids[h as usize])) else { return };
        let card = self.card;
        card.set(None);
        leptos::task::spawn_local(async move { card.set(Some(get_home_card(id).await)) });
    }
}

async fn fetch_map(area: Option<i64>) -> Result<MapData, AppError> {
    let url = match area {
        Some(a) => format!("/api/v1/map?area={a}"),
        None => "/api/v1/map".to_string(),
    };
    let win = web_sys::window().ok_or(AppError::Internal)?;
    let resp = wasm_bindgen_futures::JsFuture::from(win.fetch_with_str(&url))
        .await
        .map_err(|_| AppError::ServerFn("The map's data could not be fetched. Check your connection and reload.".into()))?;
    let resp: web_sys::Response = resp.dyn_into().map_err(|_| AppError::Internal)?;
    let text = wasm_bindgen_futures::JsFuture::from(resp.text().map_err(|_| AppError::Internal)?).await.map_err(|_| AppError::Internal)?;
    let text = text.as_string().unwrap_or_default();
    if !resp.ok() {
        let msg = serde_json::from_str::<serde_json::Value>(&text).ok().and_then(|v| v.get("message").and_then(|m| m.as_str()).map(String::from));
        return Err(AppError::ServerFn(msg.unwrap_or_else(|| format!("The map's data could not be loaded ({}).", resp.status()))));
    }
    serde_json::from_str(&text).map_err(|e| AppError::ServerFn(format!("The map's data was not understood: {e}")))
}
