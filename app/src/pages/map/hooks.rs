//! `window.__hearthMap`: the map exposed to the Playwright journeys and the bench script
//! (end2end/tests/map.spec.mjs, bench/map.mjs). Its names and answers are a contract with them.

use leptos::prelude::*;
use leptos::wasm_bindgen::{JsValue, closure::Closure};

use super::engine::View;
use super::now_ms;
use super::state::MapState;

/// Exposes the map to tests and the bench script as `window.__hearthMap`.
pub(super) fn expose_hooks(st: MapState, first_ms: f64) {
    let Some(win) = web_sys::window() else { return };
    let hooks = js_sys::Object::new();
    let set = |k: &str, v: &JsValue| {
        let _ = js_sys::Reflect::set(&hooks, &k.into(), v);
    };
    set("ready", &true.into());
    set("firstRenderMs", &first_ms.into());
    set("points", &(st.engine.with_value(|e| e.as_ref().map(|e| e.xs.len()).unwrap_or(0)) as f64).into());
    view_hooks(st, &set);
    set_forever(&set, "lasso", Closure::<dyn Fn(js_sys::Array) -> js_sys::Object>::new(move |pts: js_sys::Array| lasso(st, pts)));
    set_forever(&set, "streetPoints", Closure::<dyn Fn(String) -> js_sys::Array>::new(move |name: String| street_points(st, &name)));
    set_forever(&set, "latlngs", Closure::<dyn Fn() -> js_sys::Float64Array>::new(move || latlngs(st)));
    let _ = js_sys::Reflect::set(&win, &"__hearthMap".into(), &hooks);
}

/// Sets a hook that lives as long as the page.
fn set_forever<F: ?Sized + leptos::wasm_bindgen::closure::WasmClosure>(set: &impl Fn(&str, &JsValue), name: &str, f: Closure<F>) {
    set(name, f.as_ref());
    f.forget();
}

/// frame(cx, cy, mpp): sets the view and draws everything afresh, synchronously; returns
/// milliseconds. pan(cx, cy, mpp) draws as a drag or pinch does (the base layer from its cache).
/// view(): [cx, cy, mpp, width, height].
fn view_hooks(st: MapState, set: &impl Fn(&str, &JsValue)) {
    for (name, exact) in [("frame", true), ("pan", false)] {
        let frame = Closure::<dyn Fn(f64, f64, f64) -> f64>::new(move |cx: f64, cy: f64, mpp: f64| {
            let t0 = now_ms();
            st.with_engine(|e| e.view = View { cx, cy, mpp });
            st.draw(exact);
            now_ms() - t0
        });
        set_forever(set, name, frame);
    }
    let view = Closure::<dyn Fn() -> js_sys::Array>::new(move || {
        let v = st.engine.with_value(|e| e.as_ref().map(|e| (e.view.cx, e.view.cy, e.view.mpp, e.width, e.height))).unwrap_or_default();
        js_sys::Array::of5(&v.0.into(), &v.1.into(), &v.2.into(), &v.3.into(), &v.4.into())
    });
    set_forever(set, "view", view);
}

/// lasso([x0, y0, x1, y1, ...] screen px): selects and updates totals; returns {ms, count}.
fn lasso(st: MapState, pts: js_sys::Array) -> js_sys::Object {
    let t0 = now_ms();
    let flat: Vec<f64> = pts.iter().filter_map(|v| v.as_f64()).collect();
    let poly: Vec<(f64, f64)> = flat.chunks(2).filter(|c| c.len() == 2).map(|c| (c[0], c[1])).collect();
    let count = st
        .engine
        .try_update_value(|e| {
            e.as_mut().map(|e| {
                let sel = e.in_screen_polygon(&poly);
                e.select(&sel, false);
                e.selected_count
            })
        })
        .flatten()
        .unwrap_or(0);
    st.refresh();
    let out = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&out, &"ms".into(), &(now_ms() - t0).into());
    let _ = js_sys::Reflect::set(&out, &"count".into(), &(count as f64).into());
    out
}

/// streetPoints(name): screen positions of a street's homes.
fn street_points(st: MapState, name: &str) -> js_sys::Array {
    let out = js_sys::Array::new();
    st.engine.with_value(|e| {
        if let Some(e) = e
            && let Some(s) = e.streets.iter().position(|x| x == name)
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
}

/// latlngs(): every home as [lat, lon, ...] (the bench draws the same homes with Leaflet).
fn latlngs(st: MapState) -> js_sys::Float64Array {
    let v: Vec<f64> = st.engine.with_value(|e| {
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
}
