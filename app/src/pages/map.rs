//! The patch map (`/map`): every home of an area as a point over ward and estate outlines and
//! patch territories; colour modes with a legend; the patch panel; select (click, box, lasso,
//! street), move between patches as an undoable draft, save with a reason (versioned); balance
//! suggestions; and a keyboard-operable table that does everything the map does.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;
use leptos_meta::Title;

use super::map_engine::{Engine, Territories, Tool};
use crate::api::map::{get_balance, get_changes_since, get_draft_territories, get_home_card, get_home_rows, save_patch_change};
use crate::domain::mapdata::*;
use crate::error::AppError;

/// What the UI shows of the engine's state, refreshed after every change.
#[derive(Clone, Debug, Default, PartialEq)]
struct Summary {
    selected: usize,
    selection: PatchTotals,
    by_patch: Vec<(u16, u32)>,
    draft_moves: usize,
    draft_steps: usize,
    totals: Vec<PatchTotals>,
    base: Vec<PatchTotals>,
    patches: Vec<MapPatch>,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tab {
    Map,
    Table,
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
    }
}

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

thread_local! {
    /// The council's tile server template (when configured) and the tiles fetched so far.
    static TILES: std::cell::RefCell<(Option<String>, std::collections::HashMap<String, web_sys::HtmlImageElement>)> = Default::default();
    /// Called when a tile arrives, to draw it.
    static ON_TILE: std::cell::RefCell<Option<Arc<dyn Fn()>>> = Default::default();
}

/// Slippy-map tile (x, y) of a point at zoom z, and a tile corner's latitude and longitude.
pub fn tile_of(lat: f64, lon: f64, z: u32) -> (f64, f64) {
    let n = (1u64 << z) as f64;
    let r = lat.to_radians();
    ((lon + 180.0) / 360.0 * n, (1.0 - (r.tan() + 1.0 / r.cos()).ln() / std::f64::consts::PI) / 2.0 * n)
}
pub fn tile_corner(x: f64, y: f64, z: u32) -> (f64, f64) {
    let n = (1u64 << z) as f64;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * y / n)).sinh().atan().to_degrees();
    (lat, x / n * 360.0 - 180.0)
}

/// Draws the council's own map tiles under everything, when a tile server is configured.
fn draw_tiles(e: &Engine, ctx: &web_sys::CanvasRenderingContext2d) {
    TILES.with(|t| {
        let mut t = t.borrow_mut();
        let Some(template) = t.0.clone() else { return };
        let (lat_c, _) = e.projection.unproject(e.view.cx, e.view.cy);
        let z = (156_543.03 * lat_c.to_radians().cos() / e.view.mpp).log2().round().clamp(1.0, 19.0) as u32;
        let (la0, lo0) = e.projection.unproject(e.view.cx - e.width / 2.0 * e.view.mpp, e.view.cy + e.height / 2.0 * e.view.mpp);
        let (la1, lo1) = e.projection.unproject(e.view.cx + e.width / 2.0 * e.view.mpp, e.view.cy - e.height / 2.0 * e.view.mpp);
        let (x0, y0) = tile_of(la0, lo0, z);
        let (x1, y1) = tile_of(la1, lo1, z);
        for ty in (y0.floor() as i64)..=(y1.floor() as i64) {
            for tx in (x0.floor() as i64)..=(x1.floor() as i64) {
                let url = template.replace("{z}", &z.to_string()).replace("{x}", &tx.to_string()).replace("{y}", &ty.to_string());
                let img = t.1.entry(url.clone()).or_insert_with(|| {
                    let img = web_sys::HtmlImageElement::new().expect("an image element");
                    let cb = leptos::wasm_bindgen::closure::Closure::<dyn Fn()>::new(|| {
                        ON_TILE.with(|f| {
                            if let Some(f) = f.borrow().as_ref() {
                                f()
                            }
                        })
                    });
                    img.set_onload(Some(cb.as_ref().unchecked_ref()));
                    cb.forget();
                    img.set_src(&url);
                    img
                });
                if !img.complete() || img.natural_width() == 0 {
                    continue;
                }
                let (a, b) = tile_corner(tx as f64, ty as f64, z);
                let (c, d) = tile_corner(tx as f64 + 1.0, ty as f64 + 1.0, z);
                let (p0x, p0y) = e.projection.project(a, b);
                let (p1x, p1y) = e.projection.project(c, d);
                let (sx0, sy0) = e.to_screen(p0x, p0y);
                let (sx1, sy1) = e.to_screen(p1x, p1y);
                let _ = ctx.draw_image_with_html_image_element_and_dw_and_dh(img, sx0, sy0, sx1 - sx0, sy1 - sy0);
            }
        }
    });
}

/// The base layer (tiles, territories, wards, estates) drawn for one view, with a margin around
/// the screen: panning only moves this picture, and zooming scales it until the view rests.
struct BaseCache {
    canvas: web_sys::HtmlCanvasElement,
    view: super::map_engine::View,
    width: f64,
    height: f64,
    margin: f64,
    dpr: f64,
    generation: u64,
}

thread_local! {
    static BASE: std::cell::RefCell<Option<BaseCache>> = const { std::cell::RefCell::new(None) };
}

fn ctx2d(c: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    c.get_context("2d").ok().flatten().and_then(|c| c.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
}

/// Draws the base layer for the engine's current view and size onto `bctx` (CSS pixels × dpr).
fn draw_base(e: &Engine, bctx: &web_sys::CanvasRenderingContext2d) {
    let dpr = e.dpr;
    let _ = bctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    draw_tiles(e, bctx);
    let trace = |ctx: &web_sys::CanvasRenderingContext2d, ring: &mut dyn Iterator<Item = (f64, f64)>| {
        let mut first = true;
        for (x, y) in ring {
            let (sx, sy) = e.to_screen(x, y);
            if first {
                ctx.move_to(sx, sy);
                first = false;
            } else {
                ctx.line_to(sx, sy);
            }
        }
        ctx.close_path();
    };
    // Patch territories: a tint per patch (or by load in workload mode), outlined.
    let (shown_totals, band) = e.shown_band();
    for (idx, rings, _) in &e.territories.shapes {
        bctx.begin_path();
        for r in rings {
            trace(bctx, &mut r.iter().copied());
        }
        let fill = match e.mode {
            ColourMode::Patch => format!("{}2e", patch_colour(*idx as usize)),
            ColourMode::Workload => match band.status(shown_totals.get(*idx as usize).map(|t| t.weight).unwrap_or(0)) {
                LoadStatus::Under => "#2563eb22".into(),
                LoadStatus::Within => "#ffffff00".into(),
                LoadStatus::Over => "#b91c1c26".into(),
            },
            _ => "#ffffff55".into(),
        };
        bctx.set_fill_style_str(&fill);
        // Non-zero winding (holes run the other way) and 1 px lines: in software rendering a
        // 1.4 px outline costs eight times as much as a 1 px one.
        bctx.fill();
        bctx.set_stroke_style_str("#374151");
        bctx.set_line_width(1.0);
        bctx.stroke();
    }
    // Ward boundaries (dashed) and estates (dotted).
    bctx.set_line_width(1.0);
    let _ = bctx.set_line_dash(&js_sys::Array::of2(&8.0.into(), &5.0.into()));
    bctx.set_stroke_style_str("#6b7280");
    for o in &e.wards {
        bctx.begin_path();
        for r in o {
            trace(bctx, &mut r.iter().copied());
        }
        bctx.stroke();
    }
    if e.view.mpp < 6.0 {
        let _ = bctx.set_line_dash(&js_sys::Array::of2(&2.0.into(), &3.0.into()));
        bctx.set_stroke_style_str("#9ca3af");
        for o in &e.estates {
            bctx.begin_path();
            for r in o {
                trace(bctx, &mut r.iter().copied());
            }
            bctx.stroke();
        }
    }
    let _ = bctx.set_line_dash(&js_sys::Array::new());
}

/// Draws the engine onto the two canvases: the base layer from its cache (re-rendered when the
/// zoom, size or content changed and `exact`, else moved and scaled), then the points, labels and
/// lasso. Returns true when the base was only approximated (a re-render is due when the view rests).
fn paint(e: &mut Engine, base: &web_sys::HtmlCanvasElement, points: &web_sys::HtmlCanvasElement, exact: bool) -> bool {
    let (w, h) = ((e.width * e.dpr).round() as u32, (e.height * e.dpr).round() as u32);
    for c in [base, points] {
        if c.width() != w || c.height() != h {
            c.set_width(w);
            c.set_height(h);
        }
    }
    let (Some(bctx), Some(pctx)) = (ctx2d(base), ctx2d(points)) else { return false };
    let dpr = e.dpr;
    let _ = bctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    bctx.set_fill_style_str("#f3f1ea");
    bctx.fill_rect(0.0, 0.0, w as f64, h as f64);
    let approximate = BASE.with(|cache| {
        let mut cache = cache.borrow_mut();
        let fits = cache.as_ref().is_some_and(|c| c.generation == e.base_gen && c.dpr == dpr && c.width == e.width && c.height == e.height);
        let same_zoom = cache.as_ref().is_some_and(|c| (c.view.mpp - e.view.mpp).abs() < 1e-9);
        let within = cache.as_ref().is_some_and(|c| {
            let dx = (e.view.cx - c.view.cx) / e.view.mpp;
            let dy = (e.view.cy - c.view.cy) / e.view.mpp;
            dx.abs() <= c.margin && dy.abs() <= c.margin
        });
        if !(fits && ((same_zoom && within) || !exact)) {
            // Render the base afresh around the current view.
            let margin = (e.width.max(e.height) / 5.0).round();
            let canvas = match cache.take() {
                Some(c) => c.canvas,
                None => match document().create_element("canvas").ok().and_then(|c| c.dyn_into::<web_sys::HtmlCanvasElement>().ok()) {
                    Some(c) => c,
                    None => return false,
                },
            };
            canvas.set_width(((e.width + 2.0 * margin) * dpr).round() as u32);
            canvas.set_height(((e.height + 2.0 * margin) * dpr).round() as u32);
            let Some(cctx) = ctx2d(&canvas) else { return false };
            let (vw, vh) = (e.width, e.height);
            e.width = vw + 2.0 * margin;
            e.height = vh + 2.0 * margin;
            draw_base(e, &cctx);
            e.width = vw;
            e.height = vh;
            *cache = Some(BaseCache { canvas, view: e.view, width: vw, height: vh, margin, dpr, generation: e.base_gen });
        }
        let Some(c) = cache.as_ref() else { return false };
        // Where the cached picture's top-left corner and size land on screen now.
        let k = c.view.mpp / e.view.mpp;
        let (wx, wy) = (c.view.cx - (c.width / 2.0 + c.margin) * c.view.mpp, c.view.cy + (c.height / 2.0 + c.margin) * c.view.mpp);
        let (sx, sy) = e.to_screen(wx, wy);
        let _ = bctx.draw_image_with_html_canvas_element_and_dw_and_dh(
            &c.canvas,
            sx * dpr,
            sy * dpr,
            (c.width + 2.0 * c.margin) * k * dpr,
            (c.height + 2.0 * c.margin) * k * dpr,
        );
        (k - 1.0).abs() > 1e-9
    });
    let (shown_totals, band) = e.shown_band();
    // Points.
    e.rasterise();
    let bytes: &[u8] = unsafe { std::slice::from_raw_parts(e.buf.as_ptr() as *const u8, e.buf.len() * 4) };
    if let Ok(img) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(leptos::wasm_bindgen::Clamped(bytes), w, h) {
        let _ = pctx.put_image_data(&img, 0.0, 0.0);
    }
    // Labels over the points: patch names (and status in workload mode), with a halo.
    let _ = pctx.set_transform(dpr, 0.0, 0.0, dpr, 0.0, 0.0);
    pctx.set_font("600 12px system-ui, sans-serif");
    pctx.set_text_align("center");
    pctx.set_line_width(3.0);
    pctx.set_stroke_style_str("#ffffff");
    pctx.set_fill_style_str("#111827");
    // A label that would overlap one already drawn is left out (larger territories come first).
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (idx, _, (lx, ly)) in &e.territories.shapes {
        let (sx, sy) = e.to_screen(*lx, *ly);
        if sx < -50.0 || sy < -20.0 || sx > e.width + 50.0 || sy > e.height + 20.0 {
            continue;
        }
        let Some(p) = e.patches.get(*idx as usize) else { continue };
        let mut label = p.name.split(" – ").next().unwrap_or(&p.name).to_string();
        if e.mode == ColourMode::Workload {
            label = format!("{label} · {}", band.status(shown_totals.get(*idx as usize).map(|t| t.weight).unwrap_or(0)).label().replace(" the band", ""));
        }
        let half = pctx.measure_text(&label).map(|m| m.width()).unwrap_or(60.0) / 2.0 + 2.0;
        let bx = (sx - half, sy - 12.0, sx + half, sy + 3.0);
        if placed.iter().any(|p| bx.0 < p.2 && bx.2 > p.0 && bx.1 < p.3 && bx.3 > p.1) {
            continue;
        }
        placed.push(bx);
        let _ = pctx.stroke_text(&label, sx, sy);
        let _ = pctx.fill_text(&label, sx, sy);
    }
    // The lasso or box being drawn.
    if e.lasso.len() > 1 {
        pctx.begin_path();
        for (k, (x, y)) in e.lasso.iter().enumerate() {
            if k == 0 { pctx.move_to(*x, *y) } else { pctx.line_to(*x, *y) }
        }
        pctx.close_path();
        pctx.set_fill_style_str("#1d4ed822");
        pctx.fill();
        pctx.set_stroke_style_str("#1d4ed8");
        pctx.set_line_width(2.0);
        pctx.stroke();
    }
    let _ = pctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    approximate
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

/// Exposes the map to tests and the bench script as `window.__hearthMap`.
fn expose_hooks(engine: StoredValue<Option<Engine>>, draw: Arc<dyn Fn(bool) -> bool + Send + Sync>, refresh: Arc<dyn Fn() + Send + Sync>, first_ms: f64) {
    use leptos::wasm_bindgen::closure::Closure;
    let Some(win) = web_sys::window() else { return };
    let hooks = js_sys::Object::new();
    let set = |k: &str, v: &leptos::wasm_bindgen::JsValue| {
        let _ = js_sys::Reflect::set(&hooks, &k.into(), v);
    };
    set("ready", &true.into());
    set("firstRenderMs", &first_ms.into());
    set("points", &(engine.with_value(|e| e.as_ref().map(|e| e.xs.len()).unwrap_or(0)) as f64).into());
    // frame(cx, cy, mpp): sets the view and draws everything afresh, synchronously; returns
    // milliseconds. pan(cx, cy, mpp) draws as a drag or pinch does (the base layer from its cache).
    for (name, exact) in [("frame", true), ("pan", false)] {
        let d = draw.clone();
        let frame = Closure::<dyn Fn(f64, f64, f64) -> f64>::new(move |cx: f64, cy: f64, mpp: f64| {
            let t0 = now_ms();
            engine.update_value(|e| {
                if let Some(e) = e {
                    e.view = super::map_engine::View { cx, cy, mpp };
                }
            });
            d(exact);
            now_ms() - t0
        });
        set(name, frame.as_ref());
        frame.forget();
    }
    let view = Closure::<dyn Fn() -> js_sys::Array>::new(move || {
        let v = engine.with_value(|e| e.as_ref().map(|e| (e.view.cx, e.view.cy, e.view.mpp, e.width, e.height))).unwrap_or_default();
        js_sys::Array::of5(&v.0.into(), &v.1.into(), &v.2.into(), &v.3.into(), &v.4.into())
    });
    set("view", view.as_ref());
    view.forget();
    // lasso([x0, y0, x1, y1, ...] screen px): selects and updates totals; returns {ms, count}.
    let r = refresh.clone();
    let lasso = Closure::<dyn Fn(js_sys::Array) -> js_sys::Object>::new(move |pts: js_sys::Array| {
        let t0 = now_ms();
        let flat: Vec<f64> = pts.iter().filter_map(|v| v.as_f64()).collect();
        let poly: Vec<(f64, f64)> = flat.chunks(2).filter(|c| c.len() == 2).map(|c| (c[0], c[1])).collect();
        let count = engine
            .try_update_value(|e| {
                e.as_mut().map(|e| {
                    let sel = e.in_screen_polygon(&poly);
                    e.select(&sel, false);
                    e.selected_count
                })
            })
            .flatten()
            .unwrap_or(0);
        r();
        let out = js_sys::Object::new();
        let _ = js_sys::Reflect::set(&out, &"ms".into(), &(now_ms() - t0).into());
        let _ = js_sys::Reflect::set(&out, &"count".into(), &(count as f64).into());
        out
    });
    set("lasso", lasso.as_ref());
    lasso.forget();
    // streetPoints(name): screen positions of a street's homes.
    let street = Closure::<dyn Fn(String) -> js_sys::Array>::new(move |name: String| {
        let out = js_sys::Array::new();
        engine.with_value(|e| {
            if let Some(e) = e
                && let Some(s) = e.streets.iter().position(|x| *x == name)
            {
                for i in 0..e.xs.len() {
                    if e.street[i] as usize == s {
                        let (x, y) = e.to_screen(e.xs[i] as f64, e.ys[i] as f64);
                        out.push(&js_sys::Array::of2(&x.into(), &y.into()));
                    }
                }
            }
        });
        out
    });
    set("streetPoints", street.as_ref());
    street.forget();
    // latlngs(): every home as [lat, lon, ...] (the bench draws the same homes with Leaflet).
    let ll = Closure::<dyn Fn() -> js_sys::Float64Array>::new(move || {
        let v: Vec<f64> = engine.with_value(|e| {
            e.as_ref()
                .map(|e| {
                    (0..e.xs.len())
                        .flat_map(|i| {
                            let (a, b) = e.projection.unproject(e.xs[i] as f64, e.ys[i] as f64);
                            [a, b]
                        })
                        .collect()
                })
                .unwrap_or_default()
        });
        js_sys::Float64Array::from(v.as_slice())
    });
    set("latlngs", ll.as_ref());
    ll.forget();
    let _ = js_sys::Reflect::set(&win, &"__hearthMap".into(), &hooks);
}

/// What a key does to the map engine.
type KeyAction = Box<dyn Fn(&mut Engine)>;
#[component]
pub fn MapPage() -> impl IntoView {
    let engine: StoredValue<Option<Engine>> = StoredValue::new(None);
    let meta = RwSignal::new(None::<(i64, String, bool, i64)>); // area, name, can_reshape, change
    let summary = RwSignal::new(Summary::default());
    // Narrow views of the summary: a new selection redraws neither the legend nor the patch panel.
    let patch_list = Memo::new(move |_| summary.with(|s| s.patches.clone()));
    let has_selection = Memo::new(move |_| summary.with(|s| s.selected > 0));
    let panel = Memo::new(move |_| summary.with(|s| (s.totals.clone(), s.base.clone(), s.patches.clone())));
    let mode = RwSignal::new(ColourMode::Patch);
    let tool = RwSignal::new(Tool::Pan);
    let tab = RwSignal::new(Tab::Map);
    let card = RwSignal::new(None::<Result<HomeCard, AppError>>);
    let card_home = RwSignal::new(None::<u32>);
    let hover = RwSignal::new(String::new());
    let load_error = RwSignal::new(None::<AppError>);
    let notice = RwSignal::new(None::<(bool, String)>); // (is_error, text)
    let proposal = RwSignal::new(None::<BalanceView>);
    let showing_proposal = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let reason = RwSignal::new(String::new());
    let tolerance = RwSignal::new(10u32);
    let officers = RwSignal::new(0usize);
    let move_to = RwSignal::new(String::new());
    let base_ref = NodeRef::<leptos::html::Canvas>::new();
    let points_ref = NodeRef::<leptos::html::Canvas>::new();
    let stage_ref = NodeRef::<leptos::html::Div>::new();
    let area_param = leptos_router::hooks::use_query_map().with_untracked(|q| q.get("area").and_then(|a| a.parse::<i64>().ok()));

    // Draws now; `exact` re-renders the base layer when the zoom changed (else it is scaled).
    // Returns true when the base was approximated.
    let draw: Arc<dyn Fn(bool) -> bool + Send + Sync> = Arc::new(move |exact: bool| {
        let (Some(b), Some(p), Some(stage)) = (base_ref.get_untracked(), points_ref.get_untracked(), stage_ref.get_untracked()) else { return false };
        engine
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
    });
    let redraw: Arc<dyn Fn() + Send + Sync> = {
        let draw = draw.clone();
        Arc::new(move || {
            draw(true);
        })
    };
    // While panning and zooming: draw on the next animation frame (at most once per frame) from the
    // cached base, and draw exactly once the view has rested for 150 ms.
    let pending = StoredValue::new(false);
    let moves = StoredValue::new(0u64);
    let schedule = {
        let draw = draw.clone();
        move || {
            moves.update_value(|m| *m += 1);
            if pending.get_value() {
                return;
            }
            pending.set_value(true);
            let draw = draw.clone();
            request_animation_frame(move || {
                pending.set_value(false);
                if draw(false) {
                    let seen = moves.get_value();
                    let draw = draw.clone();
                    set_timeout(
                        move || {
                            if moves.get_value() == seen {
                                draw(true);
                            }
                        },
                        std::time::Duration::from_millis(150),
                    );
                }
            });
        }
    };
    let bump = move || {
        engine.update_value(|e| {
            if let Some(e) = e {
                e.base_gen += 1;
            }
        })
    };
    let refresh: Arc<dyn Fn() + Send + Sync> = {
        let redraw = redraw.clone();
        Arc::new(move || {
            if let Some(s) = engine.with_value(|e| e.as_ref().map(engine_summary)) {
                summary.set(s);
            }
            redraw();
        })
    };

    // Load the map's data once the page is in the browser.
    {
        let refresh = refresh.clone();
        let redraw = redraw.clone();
        let draw = draw.clone();
        Effect::new(move |_| {
            let refresh = refresh.clone();
            let redraw = redraw.clone();
            let draw = draw.clone();
            leptos::task::spawn_local(async move {
                match fetch_map(area_param).await {
                    Err(e) => load_error.set(Some(e)),
                    Ok(d) => {
                        let t0 = now_ms();
                        let Some(e) = Engine::new(&d) else {
                            load_error.set(Some(AppError::ServerFn("The map's data was damaged in transit; reload the page.".into())));
                            return;
                        };
                        TILES.with(|t| t.borrow_mut().0 = d.tile_url.clone());
                        {
                            let redraw = redraw.clone();
                            ON_TILE.with(|f| {
                                *f.borrow_mut() = Some(Arc::new(move || {
                                    bump();
                                    redraw();
                                }))
                            });
                        }
                        officers.set(e.officers());
                        meta.set(Some((d.area_team_id, d.area.clone(), d.can_reshape, d.change)));
                        engine.set_value(Some(e));
                        let size = stage_ref.get_untracked().map(|s| s.get_bounding_client_rect()).map(|r| (r.width().max(50.0), r.height().max(50.0)));
                        engine.update_value(|e| {
                            if let (Some(e), Some((w, h))) = (e.as_mut(), size) {
                                e.width = w;
                                e.height = h;
                                e.fit();
                            }
                        });
                        refresh();
                        let first = now_ms() - t0;
                        expose_hooks(engine, draw.clone(), refresh.clone(), first);
                    }
                }
            });
        });
    }
    let resize_handle = {
        let schedule = schedule.clone();
        window_event_listener(leptos::ev::resize, move |_| schedule())
    };
    on_cleanup(move || resize_handle.remove());

    // Pointer interaction: pan, box, lasso, click, hover; wheel zoom; two-finger pinch.
    let drag = StoredValue::new(None::<(f64, f64, f64, f64, bool)>); // start x, y, last x, y, moved
    let pinch = StoredValue::new(Vec::<(i32, f64, f64)>::new());
    let rel = move |ev: &web_sys::MouseEvent| -> (f64, f64) {
        stage_ref
            .get_untracked()
            .map(|s| {
                let r = s.get_bounding_client_rect();
                (ev.client_x() as f64 - r.left(), ev.client_y() as f64 - r.top())
            })
            .unwrap_or_default()
    };
    let open_card = move |h: u32| {
        card_home.set(Some(h));
        let Some(id) = engine.with_value(|e| e.as_ref().map(|e| e.ids[h as usize])) else { return };
        card.set(None);
        leptos::task::spawn_local(async move { card.set(Some(get_home_card(id).await)) });
    };
    let on_down = move |ev: web_sys::PointerEvent| {
        let (x, y) = rel(&ev);
        pinch.update_value(|p| {
            p.retain(|q| q.0 != ev.pointer_id());
            p.push((ev.pointer_id(), x, y));
        });
        if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = t.set_pointer_capture(ev.pointer_id());
        }
        drag.set_value(Some((x, y, x, y, false)));
        if tool.get_untracked() != Tool::Pan {
            engine.update_value(|e| {
                if let Some(e) = e {
                    e.lasso = vec![(x, y)];
                }
            });
        }
    };
    let on_move = {
        let schedule = schedule.clone();
        move |ev: web_sys::PointerEvent| {
            let (x, y) = rel(&ev);
            let fingers = pinch.with_value(|p| p.len());
            if fingers >= 2 {
                let (old, new) = pinch
                    .try_update_value(|p| {
                        let before = ((p[0].1 - p[1].1).powi(2) + (p[0].2 - p[1].2).powi(2)).sqrt();
                        if let Some(q) = p.iter_mut().find(|q| q.0 == ev.pointer_id()) {
                            q.1 = x;
                            q.2 = y;
                        }
                        let after = ((p[0].1 - p[1].1).powi(2) + (p[0].2 - p[1].2).powi(2)).sqrt();
                        (before, after)
                    })
                    .unwrap_or((1.0, 1.0));
                if old > 0.0 && new > 0.0 {
                    engine.update_value(|e| {
                        if let Some(e) = e {
                            e.zoom_at(x, y, new / old);
                        }
                    });
                    schedule();
                }
                return;
            }
            match drag.get_value() {
                Some((sx, sy, lx, ly, moved)) => {
                    let moved = moved || (x - sx).abs() + (y - sy).abs() > 4.0;
                    drag.set_value(Some((sx, sy, x, y, moved)));
                    engine.update_value(|e| {
                        if let Some(e) = e {
                            match tool.get_untracked() {
                                Tool::Pan => e.pan(x - lx, y - ly),
                                Tool::Lasso => e.lasso.push((x, y)),
                                Tool::Box => e.lasso = vec![(sx, sy), (x, sy), (x, y), (sx, y)],
                            }
                        }
                    });
                    schedule();
                }
                None => {
                    let found = engine.try_update_value(|e| {
                        e.as_mut().map(|e| {
                            let h = e.pick(x, y, 8.0);
                            let changed = h != e.hover;
                            e.hover = h;
                            (
                                changed,
                                h.map(|h| {
                                    let p = e.now[h as usize] as usize;
                                    format!(
                                        "{} · {}",
                                        e.streets.get(e.street[h as usize] as usize).cloned().unwrap_or_default(),
                                        e.patches.get(p).map(|p| p.name.clone()).unwrap_or_default()
                                    )
                                }),
                            )
                        })
                    });
                    if let Some(Some((changed, text))) = found
                        && changed
                    {
                        hover.set(text.unwrap_or_default());
                        schedule();
                    }
                }
            }
        }
    };
    let on_up = {
        let refresh = refresh.clone();
        move |ev: web_sys::PointerEvent| {
            let (x, y) = rel(&ev);
            pinch.update_value(|p| p.retain(|q| q.0 != ev.pointer_id()));
            let Some((sx, sy, _, _, moved)) = drag.get_value() else { return };
            drag.set_value(None);
            let add = ev.shift_key();
            if !moved {
                let picked = engine.try_update_value(|e| {
                    e.as_mut().and_then(|e| {
                        e.lasso.clear();
                        let h = e.pick(sx, sy, 8.0)?;
                        if add {
                            e.toggle(h)
                        } else {
                            e.select(&[h], false)
                        }
                        Some(h)
                    })
                });
                if let Some(Some(h)) = picked {
                    open_card(h);
                } else if !add {
                    engine.update_value(|e| {
                        if let Some(e) = e {
                            e.clear_selection();
                        }
                    });
                }
                refresh();
                return;
            }
            if tool.get_untracked() != Tool::Pan {
                engine.update_value(|e| {
                    if let Some(e) = e {
                        let poly = if tool.get_untracked() == Tool::Box { vec![(sx, sy), (x, sy), (x, y), (sx, y)] } else { std::mem::take(&mut e.lasso) };
                        let sel = e.in_screen_polygon(&poly);
                        e.select(&sel, add);
                        e.lasso.clear();
                    }
                });
            }
            refresh();
        }
    };
    let on_wheel = {
        let schedule = schedule.clone();
        move |ev: web_sys::WheelEvent| {
            ev.prevent_default();
            let (x, y) = rel(&ev);
            let f = if ev.delta_y() < 0.0 { 1.25 } else { 0.8 };
            engine.update_value(|e| {
                if let Some(e) = e {
                    e.zoom_at(x, y, f);
                }
            });
            schedule();
        }
    };
    let on_key = {
        let schedule = schedule.clone();
        move |ev: web_sys::KeyboardEvent| {
            let step = 60.0;
            let act: Option<KeyAction> = match ev.key().as_str() {
                "ArrowLeft" => Some(Box::new(move |e: &mut Engine| e.pan(step, 0.0))),
                "ArrowRight" => Some(Box::new(move |e: &mut Engine| e.pan(-step, 0.0))),
                "ArrowUp" => Some(Box::new(move |e: &mut Engine| e.pan(0.0, step))),
                "ArrowDown" => Some(Box::new(move |e: &mut Engine| e.pan(0.0, -step))),
                "+" | "=" => Some(Box::new(|e: &mut Engine| e.zoom_at(e.width / 2.0, e.height / 2.0, 1.5))),
                "-" | "_" => Some(Box::new(|e: &mut Engine| e.zoom_at(e.width / 2.0, e.height / 2.0, 1.0 / 1.5))),
                _ => None,
            };
            if let Some(f) = act {
                ev.prevent_default();
                engine.update_value(|e| {
                    if let Some(e) = e {
                        f(e);
                    }
                });
                schedule();
            }
        }
    };
    let zoom_btn = {
        let schedule = schedule.clone();
        move |f: f64| {
            engine.update_value(|e| {
                if let Some(e) = e {
                    if f == 0.0 { e.fit() } else { e.zoom_at(e.width / 2.0, e.height / 2.0, f) }
                }
            });
            schedule();
        }
    };

    // Draft actions.
    let shapes_for_draft = {
        let redraw = redraw.clone();
        move || {
            let Some((area, _, _, _)) = meta.get_untracked() else { return };
            let moves = engine.with_value(|e| e.as_ref().map(|e| e.moves()).unwrap_or_default());
            let redraw = redraw.clone();
            leptos::task::spawn_local(async move {
                if let Ok(ts) = get_draft_territories(area, moves).await {
                    engine.update_value(|e| {
                        if let Some(e) = e {
                            e.territories = Territories::new(&ts, &e.patches);
                            e.base_gen += 1;
                        }
                    });
                    redraw();
                }
            });
        }
    };
    let do_move = {
        let refresh = refresh.clone();
        let shapes_for_draft = shapes_for_draft.clone();
        move |_| {
            let Ok(to) = move_to.get_untracked().parse::<u16>() else {
                notice.set(Some((true, "Choose the patch to move the selected homes to.".into())));
                return;
            };
            let moved = engine.try_update_value(|e| {
                e.as_mut().map(|e| {
                    let sel = e.selected_homes();
                    let mut now = std::mem::take(&mut e.now);
                    let n = e.draft.move_homes(&mut now, &sel, to);
                    e.now = now;
                    n
                })
            });
            let n = moved.flatten().unwrap_or(0);
            notice.set(Some((
                n == 0,
                if n == 0 {
                    "Those homes are already in that patch.".into()
                } else {
                    format!("Moved {} in the draft. Save with a reason to make it real.", homes(n))
                },
            )));
            refresh();
            if n > 0 {
                shapes_for_draft();
            }
        }
    };
    let do_undo = {
        let refresh = refresh.clone();
        let shapes_for_draft = shapes_for_draft.clone();
        move |_| {
            engine.update_value(|e| {
                if let Some(e) = e {
                    let mut now = std::mem::take(&mut e.now);
                    e.draft.undo(&mut now);
                    e.now = now;
                }
            });
            notice.set(None);
            refresh();
            shapes_for_draft();
        }
    };
    let do_discard = {
        let refresh = refresh.clone();
        let shapes_for_draft = shapes_for_draft.clone();
        move |_| {
            engine.update_value(|e| {
                if let Some(e) = e {
                    e.now = e.base.clone();
                    e.draft.clear();
                }
            });
            notice.set(None);
            refresh();
            shapes_for_draft();
        }
    };
    let do_save = {
        let refresh = refresh.clone();
        let shapes_for_draft = shapes_for_draft.clone();
        move |ev: leptos::ev::SubmitEvent| {
            ev.prevent_default();
            let Some((area, _, _, _)) = meta.get_untracked() else { return };
            let (moves, versions, since) = engine.with_value(|e| e.as_ref().map(|e| (e.moves(), e.versions(), e.change)).unwrap_or_default());
            let change = PatchChangeRequest { area_team_id: area, reason: reason.get_untracked(), moves, versions };
            if let Err(msg) = check_change(&change) {
                notice.set(Some((true, msg)));
                return;
            }
            busy.set(true);
            let refresh = refresh.clone();
            let shapes_for_draft = shapes_for_draft.clone();
            leptos::task::spawn_local(async move {
                match save_patch_change(change).await {
                    Err(e) => notice.set(Some((true, e.to_string()))),
                    Ok(saved) => {
                        if let Ok(c) = get_changes_since(area, since).await {
                            engine.update_value(|e| {
                                if let Some(e) = e {
                                    e.apply_saved(&c);
                                    e.now = e.base.clone();
                                    e.draft.clear();
                                }
                            });
                            meta.update(|m| {
                                if let Some(m) = m {
                                    m.3 = c.change;
                                }
                            });
                        }
                        reason.set(String::new());
                        notice.set(Some((
                            false,
                            format!(
                                "Saved: {} moved; {} and {} passed to the new patches' officers, each with a history entry.",
                                homes(saved.homes_moved as usize),
                                count(saved.tenancies_moved, "tenancy", "tenancies"),
                                count(saved.cases_moved, "case", "cases")
                            ),
                        )));
                        refresh();
                        shapes_for_draft();
                    }
                }
                busy.set(false);
            });
        }
    };
    let do_reload = {
        let refresh = refresh.clone();
        let shapes_for_draft = shapes_for_draft.clone();
        move |_| {
            let Some((area, _, _, since)) = meta.get_untracked() else { return };
            let refresh = refresh.clone();
            let shapes_for_draft = shapes_for_draft.clone();
            leptos::task::spawn_local(async move {
                match get_changes_since(area, since).await {
                    Err(e) => notice.set(Some((true, e.to_string()))),
                    Ok(c) => {
                        let n = c.moves.len();
                        engine.update_value(|e| {
                            if let Some(e) = e {
                                // Re-apply the draft's own moves on top of the others' saved change.
                                let mine: Vec<(u32, u16)> = net_moves(&e.base, &e.now).into_iter().map(|(h, _, to)| (h, to)).collect();
                                e.apply_saved(&c);
                                e.now = e.base.clone();
                                e.draft.clear();
                                let mut now = std::mem::take(&mut e.now);
                                e.draft.move_each(&mut now, &mine);
                                e.now = now;
                            }
                        });
                        meta.update(|m| {
                            if let Some(m) = m {
                                m.3 = c.change;
                            }
                        });
                        notice.set(Some((
                            false,
                            format!("Reloaded: {} changed patch in others' saves. Your draft is kept on top; check it and save again.", homes(n)),
                        )));
                        refresh();
                        shapes_for_draft();
                    }
                }
            });
        }
    };
    let select_street = {
        let refresh = refresh.clone();
        move |_| {
            let Some(h) = card_home.get_untracked() else { return };
            engine.update_value(|e| {
                if let Some(e) = e {
                    let s = e.street_homes(h);
                    e.select(&s, false);
                }
            });
            refresh();
        }
    };
    let clear_sel = {
        let refresh = refresh.clone();
        move |_| {
            engine.update_value(|e| {
                if let Some(e) = e {
                    e.clear_selection();
                }
            });
            refresh();
        }
    };
    let do_balance = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some((area, _, _, _)) = meta.get_untracked() else { return };
        busy.set(true);
        leptos::task::spawn_local(async move {
            match get_balance(area, officers.get_untracked(), tolerance.get_untracked()).await {
                Err(e) => notice.set(Some((true, e.to_string()))),
                Ok(b) => {
                    notice.set(None);
                    proposal.set(Some(b));
                }
            }
            busy.set(false);
        });
    };
    let show_proposal = {
        let redraw = redraw.clone();
        move |on: bool| {
            let p = proposal.get_untracked();
            engine.update_value(|e| {
                if let (Some(e), Some(p)) = (e.as_mut(), p.as_ref()) {
                    e.proposal = on.then(|| p.assignment.clone()).filter(|a| a.len() == e.xs.len());
                    e.territories = Territories::new(&p.territories, &e.patches);
                    e.base_gen += 1;
                }
            });
            showing_proposal.set(on);
            redraw();
        }
    };
    let accept_proposal = {
        let refresh = refresh.clone();
        let shapes_for_draft = shapes_for_draft.clone();
        move |_| {
            let Some(p) = proposal.get_untracked() else { return };
            let ok = engine.try_update_value(|e| {
                e.as_mut().map(|e| {
                    if p.change != e.change || p.assignment.len() != e.xs.len() {
                        return false;
                    }
                    let moves: Vec<(u32, u16)> = p.assignment.iter().enumerate().map(|(i, to)| (i as u32, *to)).collect();
                    let mut now = std::mem::take(&mut e.now);
                    e.draft.move_each(&mut now, &moves);
                    e.now = now;
                    e.proposal = None;
                    true
                })
            });
            if ok != Some(Some(true)) {
                notice.set(Some((true, "The patches changed since this suggestion was made. Ask for a new suggestion.".into())));
                return;
            }
            showing_proposal.set(false);
            proposal.set(None);
            notice.set(Some((false, "The suggestion is now your draft: adjust it if you need to, then save it with a reason.".into())));
            refresh();
            shapes_for_draft();
        }
    };
    let discard_proposal = {
        let show_proposal = show_proposal.clone();
        let shapes_for_draft = shapes_for_draft.clone();
        move |_| {
            show_proposal(false);
            proposal.set(None);
            shapes_for_draft();
        }
    };
    let set_mode = {
        let redraw = redraw.clone();
        move |m: ColourMode| {
            mode.set(m);
            engine.update_value(|e| {
                if let Some(e) = e {
                    e.mode = m;
                }
            });
            bump();
            redraw();
        }
    };

    let can_reshape = move || meta.with(|m| m.as_ref().is_some_and(|m| m.2));

    view! {
        <Title text="Patch map" />
        {view! { <div class="map-head">
            <h1>{move || meta.with(|m| m.as_ref().map(|m| format!("{} patch map", m.1)).unwrap_or_else(|| "Patch map".into()))}</h1>
            <div class="tabs" role="tablist" aria-label="View">
                <button role="tab" type="button" aria-selected=move || (tab.get() == Tab::Map).to_string() on:click=move |_| tab.set(Tab::Map)>"Map"</button>
                <button role="tab" type="button" aria-selected=move || (tab.get() == Tab::Table).to_string() data-testid="table-tab" on:click=move |_| tab.set(Tab::Table)>"Table"</button>
            </div>
        </div> }.into_any()}
        <noscript><p class="notice">"The patch map draws with JavaScript, which is switched off in this browser. Patches and their officers are listed on the Team page."</p></noscript>
        {move || load_error.get().map(|e| view! { <div class="error-summary" role="alert"><h2>"The map could not load"</h2><p>{e.to_string()}</p></div> })}
        <div class="map-layout">
            <div class="map-main">
                {view! { <div class="map-toolbar" role="toolbar" aria-label="Map tools" hidden=move || tab.get() != Tab::Map>
                    <label>"Colour by "
                        <select data-testid="colour-mode" on:change=move |ev| { if let Some(m) = ColourMode::parse(&event_target_value(&ev)) { set_mode(m) } }>
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
                        <button type="button" aria-label="Zoom in" on:click={ let z = zoom_btn.clone(); move |_| z(1.5) }>"+"</button>
                        <button type="button" aria-label="Zoom out" on:click={ let z = zoom_btn.clone(); move |_| z(1.0 / 1.5) }>"−"</button>
                        <button type="button" on:click={ let z = zoom_btn.clone(); move |_| z(0.0) }>"Whole area"</button>
                    </span>
                </div> }.into_any()}
                {view! { <div class="map-stage" node_ref=stage_ref hidden=move || tab.get() != Tab::Map
                    tabindex="0" role="application" aria-roledescription="map"
                    aria-label="Map of the area's homes. Arrow keys pan, plus and minus zoom. The Table tab does everything the map does from the keyboard."
                    data-testid="map-stage" data-tool=move || format!("{:?}", tool.get()).to_lowercase()
                    on:pointerdown=on_down on:pointermove=on_move on:pointerup=on_up on:wheel=on_wheel on:keydown=on_key>
                    <canvas node_ref=base_ref class="map-canvas" aria-hidden="true"></canvas>
                    <canvas node_ref=points_ref class="map-canvas" aria-hidden="true"></canvas>
                    {move || { let h = hover.get(); (!h.is_empty()).then(|| view! { <div class="map-hover">{h}</div> }) }}
                    {move || (meta.get().is_none() && load_error.get().is_none()).then(|| view! { <div class="map-loading">"Loading every home…"</div> })}
                </div> }.into_any()}
                <Legend mode=mode patches=patch_list />
                {move || (tab.get() == Tab::Table).then(|| view! { <HomeTable engine=engine summary=summary meta=meta refresh=refresh.clone() /> })}
            </div>
            <aside class="map-side">
                {move || notice.get().map(|(err, text)| view! { <div class=if err { "notice notice-error" } else { "notice notice-ok" } role=if err { "alert" } else { "status" } data-testid="map-notice">{text}</div> })}
                {move || card.get().map(|c| view! { <HomeCardView card=c on_street=select_street.clone() /> })}
                {view! { <section class="card" aria-labelledby="sel-h" data-testid="selection">
                    <h2 id="sel-h">"Selection"</h2>
                    {move || summary.with(|s| if s.selected == 0 {
                        view! { <p class="muted">"Click a home, or use Box select or Lasso (hold Shift to add). On the Table tab, tick homes."</p> }.into_any()
                    } else {
                        let t = s.selection;
                        view! {
                            <p data-testid="selection-count"><strong>{homes(s.selected)}</strong>{format!(" · workload {} · {} introductory · {} in arrears · {} open cases · {} visits overdue", homes_equivalent(t.weight), t.introductory, t.arrears, t.asb + t.sustain, t.overdue_visits)}</p>
                            <p class="small muted">{s.by_patch.iter().map(|(p, n)| format!("{n} in {}", s.patches.get(*p as usize).map(|p| p.name.as_str()).unwrap_or(""))).collect::<Vec<_>>().join(" · ")}</p>
                        }.into_any()
                    })}
                    {move || (can_reshape() && has_selection.get()).then(|| view! {
                        <div class="row">
                            <label>"Move to "
                                <select data-testid="move-to" on:change=move |ev| move_to.set(event_target_value(&ev)) prop:value=move || move_to.get()>
                                    <option value="">"Choose a patch"</option>
                                    {patch_list.with(|ps| ps.iter().enumerate().map(|(k, p)| view! { <option value=k.to_string()>{p.name.clone()}</option> }).collect_view())}
                                </select>
                            </label>
                            <button type="button" class="button" data-testid="move" on:click=do_move.clone()>"Move"</button>
                        </div>
                    })}
                    {move || has_selection.get().then(|| view! { <button type="button" class="link-like" on:click=clear_sel.clone()>"Clear selection"</button> })}
                </section> }.into_any()}
                {move || can_reshape().then(|| view! {
                    <section class="card" aria-labelledby="draft-h" data-testid="draft">
                        <h2 id="draft-h">"Draft change"</h2>
                        {move || summary.with(|s| if s.draft_moves == 0 {
                            view! { <p class="muted">"No homes moved. Moves stay a draft until you save them with a reason."</p> }.into_any()
                        } else {
                            view! { <p data-testid="draft-count"><strong>{format!("{} moved", homes(s.draft_moves))}</strong>{format!(" in {}", count(s.draft_steps as i64, "step", "steps"))}</p> }.into_any()
                        })}
                        <form on:submit=do_save.clone() class="stack">
                            <label for="reason">"Reason (goes on every moved tenancy's history)"</label>
                            <textarea id="reason" name="reason" rows="2" data-testid="reason" prop:value=move || reason.get() on:input=move |ev| reason.set(event_target_value(&ev))></textarea>
                            <div class="row">
                                <button type="submit" class="button" data-testid="save-change" disabled=move || busy.get() || summary.with(|s| s.draft_moves == 0)>"Save change"</button>
                                <button type="button" class="button secondary" on:click=do_undo.clone() disabled=move || summary.with(|s| s.draft_steps == 0)>"Undo"</button>
                                <button type="button" class="button secondary" on:click=do_discard.clone() disabled=move || summary.with(|s| s.draft_steps == 0)>"Discard"</button>
                                <button type="button" class="link-like" on:click=do_reload.clone() data-testid="reload-changes">"Reload others' changes"</button>
                            </div>
                        </form>
                    </section>
                })}
                {view! { <section class="card" aria-labelledby="bal-h" hidden=move || meta.with(|m| m.as_ref().is_none_or(|m| m.0 == 0))>
                    <h2 id="bal-h">"Balance suggestion"</h2>
                    <form on:submit=do_balance class="row">
                        <label>"Officers " <input type="number" min="1" max="200" class="narrow" data-testid="officers" prop:value=move || officers.get().to_string() on:input=move |ev| { if let Ok(n) = event_target_value(&ev).parse() { officers.set(n) } } /></label>
                        <label>"Tolerance ± " <input type="number" min="1" max="50" class="narrow" data-testid="tolerance" prop:value=move || tolerance.get().to_string() on:input=move |ev| { if let Ok(n) = event_target_value(&ev).parse() { tolerance.set(n) } } />"%"</label>
                        <button type="submit" class="button secondary" data-testid="suggest" disabled=move || busy.get()>"Suggest"</button>
                    </form>
                    {move || proposal.get().map(|p| {
                        let show = show_proposal.clone();
                        let show2 = show_proposal.clone();
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
                                    {move || if showing_proposal.get() {
                                        let s = show.clone();
                                        view! { <button type="button" class="button secondary" on:click=move |_| s(false)>"Show today's patches"</button> }.into_any()
                                    } else {
                                        let s = show2.clone();
                                        view! { <button type="button" class="button secondary" data-testid="show-proposal" on:click=move |_| s(true)>"Show on map"</button> }.into_any()
                                    }}
                                    {can_reshape().then(|| view! { <button type="button" class="button" data-testid="accept-proposal" on:click=accept_proposal.clone()>"Accept into draft"</button> })}
                                    <button type="button" class="link-like" on:click=discard_proposal.clone()>"Discard"</button>
                                </div>
                            </div>
                        }
                    })}
                </section> }.into_any()}
            </aside>
        </div>
        <PatchPanel panel=panel tolerance=tolerance officers=officers />
        <p class="small muted">{move || meta.with(|m| m.as_ref().map(|_| "Ward boundaries: Office for National Statistics (OGL v3.0); home positions: OS Code-Point Open. Estate outlines are drawn around their homes.".to_string()))}</p>
    }
}

#[component]
fn Legend(mode: RwSignal<ColourMode>, patches: Memo<Vec<MapPatch>>) -> impl IntoView {
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
fn HomeCardView(card: Result<HomeCard, AppError>, on_street: impl Fn(leptos::ev::MouseEvent) + Clone + Send + Sync + 'static) -> impl IntoView {
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
fn PatchPanel(panel: Memo<(Vec<PatchTotals>, Vec<PatchTotals>, Vec<MapPatch>)>, tolerance: RwSignal<u32>, officers: RwSignal<usize>) -> impl IntoView {
    view! {
        <section aria-labelledby="patches-h" class="patch-panel">
            <h2 id="patches-h">"Patches side by side"</h2>
            {move || panel.with(|(totals, base, patches)| {
                let band = Band::new(totals.iter().map(|t| t.weight).sum(), officers.get().max(1), tolerance.get());
                let delta = |now: i64, before: i64| if now == before { String::new() } else { format!(" ({:+})", now - before) };
                view! {
                    <p class="muted">{format!("Target workload per officer {} (band {} to {}, ±{}%), in homes' worth: an ordinary home counts 1; introductory tenancies, arrears, open cases and vulnerability add to it.", homes_equivalent(band.target.round() as u64), homes_equivalent(band.low.round() as u64), homes_equivalent(band.high.round() as u64), tolerance.get())}</p>
                    <div class="table-wrap">
                    <table class="data" data-testid="patch-table">
                        <thead><tr><th scope="col">"Patch"</th><th scope="col">"Officer (cover)"</th><th scope="col">"Homes"</th><th scope="col">"Workload"</th><th scope="col">"Against band"</th><th scope="col">"Introductory"</th><th scope="col">"Arrears"</th><th scope="col">"Open cases"</th><th scope="col">"Visits overdue"</th></tr></thead>
                        <tbody>
                            {patches.iter().enumerate().map(|(k, p)| {
                                let t = totals.get(k).copied().unwrap_or_default();
                                let b = base.get(k).copied().unwrap_or_default();
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

const PAGE: usize = 25;

/// The map's keyboard equivalent: filter homes, tick them, move them (the same draft).
#[component]
fn HomeTable(
    engine: StoredValue<Option<Engine>>,
    summary: RwSignal<Summary>,
    meta: RwSignal<Option<(i64, String, bool, i64)>>,
    refresh: Arc<dyn Fn() + Send + Sync>,
) -> impl IntoView {
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
        move || (meta.with(|m| m.as_ref().map(|m| m.0)), visible.get()),
        move |(area, v)| async move {
            let ids: Vec<i64> = engine.with_value(|e| e.as_ref().map(|e| v.iter().map(|h| e.ids[*h as usize]).collect()).unwrap_or_default());
            match area {
                Some(a) if !ids.is_empty() => get_home_rows(a, ids).await.unwrap_or_default(),
                _ => Vec::new(),
            }
        },
    );
    let toggle = {
        let refresh = refresh.clone();
        move |h: u32| {
            engine.update_value(|e| {
                if let Some(e) = e {
                    e.toggle(h);
                }
            });
            refresh();
        }
    };
    let select_all = {
        let refresh = refresh.clone();
        move |_| {
            let m = matching.get_untracked();
            engine.update_value(|e| {
                if let Some(e) = e {
                    e.select(&m, true);
                }
            });
            refresh();
        }
    };
    view! {
        <section class="home-table card" aria-labelledby="table-h" data-testid="home-table">
            <h2 id="table-h">"Homes"</h2>
            <div class="row filters">
                <label>"Street or block " <input type="search" data-testid="table-street" prop:value=move || street.get() on:input=move |ev| { street.set(event_target_value(&ev)); page.set(0) } /></label>
                <label>"Patch "
                    <select data-testid="table-patch" on:change=move |ev| { patch.set(event_target_value(&ev)); page.set(0) }>
                        <option value="">"All patches"</option>
                        {move || summary.with(|s| s.patches.iter().enumerate().map(|(k, p)| view! { <option value=k.to_string()>{p.name.clone()}</option> }).collect_view())}
                    </select>
                </label>
                <label class="check"><input type="checkbox" on:change=move |ev| { only_selected.set(event_target_checked(&ev)); page.set(0) } />"Selected only"</label>
                <button type="button" class="button secondary" data-testid="table-select-all" on:click=select_all>{move || format!("Select all {} matching", matching.with(|m| m.len()))}</button>
            </div>
            <table class="data">
                <thead><tr><th scope="col">"Select"</th><th scope="col">"Address"</th><th scope="col">"Street"</th><th scope="col">"Patch (draft)"</th><th scope="col">"Tenure"</th><th scope="col">"Flags"</th></tr></thead>
                <tbody>
                    {move || {
                        summary.track();
                        let rows = addresses.get().unwrap_or_default();
                        visible.get().into_iter().map(|h| {
                            let info = engine.with_value(|e| e.as_ref().map(|e| {
                                let i = h as usize;
                                let f = e.flags[i];
                                let mut flags = Vec::new();
                                if matches!(arrears_of(f), ArrearsBand::Medium | ArrearsBand::High) { flags.push("Arrears") }
                                if f & VISIT_OVERDUE != 0 { flags.push("Visit overdue") }
                                if f & ASB_CASE != 0 { flags.push("ASB case") }
                                if f & SUSTAIN_CASE != 0 { flags.push("Sustainment case") }
                                (e.ids[i], e.streets.get(e.street[i] as usize).cloned().unwrap_or_default(), e.patches.get(e.now[i] as usize).map(|p| p.name.clone()).unwrap_or_default(), e.now[i] != e.base[i], legend(ColourMode::Tenure)[tenure_of(f) as usize].label.clone(), flags.join(", "), e.selected[i])
                            })).unwrap_or_default();
                            let (id, street_name, patch_name, moved, tenure, flags, selected) = info;
                            let addr = rows.iter().find(|r| r.property_id == id).map(|r| format!("{}, {}", r.address, r.postcode)).unwrap_or_else(|| format!("Home {id}"));
                            let t = toggle.clone();
                            view! {
                                <tr class:selected=selected>
                                    <td><input type="checkbox" checked=selected aria-label=format!("Select {addr}") on:change=move |_| t(h) /></td>
                                    <td>{addr.clone()}</td>
                                    <td>{street_name}</td>
                                    <td>{patch_name}{moved.then(|| view! { <span class="tag">"moved"</span> })}</td>
                                    <td>{tenure}</td>
                                    <td>{flags}</td>
                                </tr>
                            }
                        }).collect_view()
                    }}
                </tbody>
            </table>
            <div class="row">
                <button type="button" class="button secondary" disabled=move || page.get() == 0 on:click=move |_| page.update(|p| *p = p.saturating_sub(1))>"Previous"</button>
                <span>{move || { let n = matching.with(|m| m.len()); format!("{}–{} of {}", (page.get() * PAGE + 1).min(n), ((page.get() + 1) * PAGE).min(n), n) }}</span>
                <button type="button" class="button secondary" disabled=move || { (page.get() + 1) * PAGE >= matching.with(|m| m.len()) } on:click=move |_| page.update(|p| *p += 1)>"Next"</button>
            </div>
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tile_numbers_round_trip() {
        let (x, y) = tile_of(53.96, -1.08, 12);
        assert!((x - 2035.71).abs() < 0.01, "{x}");
        let (lat, lon) = tile_corner(x, y, 12);
        assert!((lat - 53.96).abs() < 1e-9 && (lon + 1.08).abs() < 1e-9);
        assert_eq!(homes(1), "1 home");
        assert_eq!(homes(12), "12 homes");
    }
}
