//! Drawing the map onto its two canvases: the council's tiles, territories, wards and estates on
//! the base canvas (cached with a margin, so a pan only moves the picture), the points, labels and
//! lasso on the canvas above.

use std::sync::Arc;

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use super::engine::{Engine, View};
use crate::domain::mapdata::*;

thread_local! {
    /// The council's tile server template (when configured) and the tiles fetched so far.
    pub(super) static TILES: std::cell::RefCell<(Option<String>, std::collections::HashMap<String, web_sys::HtmlImageElement>)> = Default::default();
    /// Called when a tile arrives, to draw it.
    pub(super) static ON_TILE: std::cell::RefCell<Option<Arc<dyn Fn()>>> = Default::default();
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
    view: View,
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
            ColourMode::Workload => match e.load_status(&shown_totals, &band, *idx as usize) {
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
pub(super) fn paint(e: &mut Engine, base: &web_sys::HtmlCanvasElement, points: &web_sys::HtmlCanvasElement, exact: bool) -> bool {
    let (w, h) = ((e.width * e.dpr).round() as u32, (e.height * e.dpr).round() as u32);
    for c in [base, points] {
        if c.width() != w || c.height() != h {
            c.set_width(w);
            c.set_height(h);
        }
    }
    let (Some(bctx), Some(pctx)) = (ctx2d(base), ctx2d(points)) else { return false };
    let _ = bctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    bctx.set_fill_style_str("#f3f1ea");
    bctx.fill_rect(0.0, 0.0, w as f64, h as f64);
    let approximate = BASE.with(|cache| blit_base(e, &mut cache.borrow_mut(), &bctx, exact));
    // Points.
    e.rasterise();
    let bytes: &[u8] = unsafe { std::slice::from_raw_parts(e.buf.as_ptr() as *const u8, e.buf.len() * 4) };
    if let Ok(img) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(leptos::wasm_bindgen::Clamped(bytes), w, h) {
        let _ = pctx.put_image_data(&img, 0.0, 0.0);
    }
    draw_labels(e, &pctx);
    draw_lasso(e, &pctx);
    let _ = pctx.set_transform(1.0, 0.0, 0.0, 1.0, 0.0, 0.0);
    approximate
}

/// Copies the cached base layer onto the base canvas, first re-rendering the cache around the
/// current view when it no longer fits. Returns true when the copy is scaled (approximate).
fn blit_base(e: &mut Engine, cache: &mut Option<BaseCache>, bctx: &web_sys::CanvasRenderingContext2d, exact: bool) -> bool {
    let dpr = e.dpr;
    let fits = cache.as_ref().is_some_and(|c| c.generation == e.base_gen && c.dpr == dpr && c.width == e.width && c.height == e.height);
    let same_zoom = cache.as_ref().is_some_and(|c| (c.view.mpp - e.view.mpp).abs() < 1e-9);
    let within = cache.as_ref().is_some_and(|c| {
        let dx = (e.view.cx - c.view.cx) / e.view.mpp;
        let dy = (e.view.cy - c.view.cy) / e.view.mpp;
        dx.abs() <= c.margin && dy.abs() <= c.margin
    });
    if !(fits && ((same_zoom && within) || !exact)) && !render_base_cache(e, cache) {
        return false;
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
}

/// Renders the base afresh around the current view, with a margin. False when no canvas could be had.
fn render_base_cache(e: &mut Engine, cache: &mut Option<BaseCache>) -> bool {
    let dpr = e.dpr;
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
    true
}

/// Labels over the points: patch names (and status in workload mode), with a halo. A label that
/// would overlap one already drawn is left out (larger territories come first).
fn draw_labels(e: &Engine, pctx: &web_sys::CanvasRenderingContext2d) {
    let (shown_totals, band) = e.shown_band();
    let _ = pctx.set_transform(e.dpr, 0.0, 0.0, e.dpr, 0.0, 0.0);
    pctx.set_font("600 12px system-ui, sans-serif");
    pctx.set_text_align("center");
    pctx.set_line_width(3.0);
    pctx.set_stroke_style_str("#ffffff");
    pctx.set_fill_style_str("#111827");
    let mut placed: Vec<(f64, f64, f64, f64)> = Vec::new();
    for (idx, _, (lx, ly)) in &e.territories.shapes {
        let (sx, sy) = e.to_screen(*lx, *ly);
        if sx < -50.0 || sy < -20.0 || sx > e.width + 50.0 || sy > e.height + 20.0 {
            continue;
        }
        let Some(p) = e.patches.get(*idx as usize) else { continue };
        let mut label = p.name.split(" – ").next().unwrap_or(&p.name).to_string();
        if e.mode == ColourMode::Workload {
            label = format!("{label} · {}", e.load_status(&shown_totals, &band, *idx as usize).label().replace(" the band", ""));
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
}

/// The lasso or box being drawn.
fn draw_lasso(e: &Engine, pctx: &web_sys::CanvasRenderingContext2d) {
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
    }
}
