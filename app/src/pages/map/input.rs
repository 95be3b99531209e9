//! Pointer, wheel and keyboard on the map stage: pan, box, lasso, click, hover; wheel zoom;
//! two-finger pinch; arrow keys pan and plus and minus zoom.

use leptos::prelude::*;
use leptos::wasm_bindgen::JsCast;

use super::engine::{Engine, Tool};
use super::state::MapState;

/// What a key does to the map engine.
type KeyAction = Box<dyn Fn(&mut Engine)>;

impl MapState {
    /// The event's position relative to the stage, in CSS pixels.
    fn rel(self, ev: &web_sys::MouseEvent) -> (f64, f64) {
        self.stage_ref
            .get_untracked()
            .map(|s| {
                let r = s.get_bounding_client_rect();
                (ev.client_x() as f64 - r.left(), ev.client_y() as f64 - r.top())
            })
            .unwrap_or_default()
    }

    pub fn on_down(self, ev: web_sys::PointerEvent) {
        let (x, y) = self.rel(&ev);
        self.pinch.update_value(|p| {
            p.retain(|q| q.0 != ev.pointer_id());
            p.push((ev.pointer_id(), x, y));
        });
        if let Some(t) = ev.target().and_then(|t| t.dyn_into::<web_sys::Element>().ok()) {
            let _ = t.set_pointer_capture(ev.pointer_id());
        }
        self.drag.set_value(Some((x, y, x, y, false)));
        if self.tool.get_untracked() != Tool::Pan {
            self.with_engine(|e| e.lasso = vec![(x, y)]);
        }
    }

    pub fn on_move(self, ev: web_sys::PointerEvent) {
        let (x, y) = self.rel(&ev);
        if self.pinch.with_value(|p| p.len()) >= 2 {
            self.pinch_to(ev.pointer_id(), x, y);
            return;
        }
        match self.drag.get_value() {
            Some((sx, sy, lx, ly, moved)) => {
                let moved = moved || (x - sx).abs() + (y - sy).abs() > 4.0;
                self.drag.set_value(Some((sx, sy, x, y, moved)));
                let tool = self.tool.get_untracked();
                self.with_engine(|e| match tool {
                    Tool::Pan => e.pan(x - lx, y - ly),
                    Tool::Lasso => e.lasso.push((x, y)),
                    Tool::Box => e.lasso = vec![(sx, sy), (x, sy), (x, y), (sx, y)],
                });
                self.schedule();
            }
            None => self.hover_at(x, y),
        }
    }

    /// A finger of a two-finger pinch moved to (x, y): zoom by the change in their distance.
    fn pinch_to(self, pointer: i32, x: f64, y: f64) {
        let (old, new) = self
            .pinch
            .try_update_value(|p| {
                let before = ((p[0].1 - p[1].1).powi(2) + (p[0].2 - p[1].2).powi(2)).sqrt();
                if let Some(q) = p.iter_mut().find(|q| q.0 == pointer) {
                    q.1 = x;
                    q.2 = y;
                }
                let after = ((p[0].1 - p[1].1).powi(2) + (p[0].2 - p[1].2).powi(2)).sqrt();
                (before, after)
            })
            .unwrap_or((1.0, 1.0));
        if old > 0.0 && new > 0.0 {
            self.with_engine(|e| e.zoom_at(x, y, new / old));
            self.schedule();
        }
    }

    /// The pointer hovers at (x, y) with no button down: names the home under it.
    fn hover_at(self, x: f64, y: f64) {
        let found = self.engine.try_update_value(|e| {
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
            self.hover.set(text.unwrap_or_default());
            self.schedule();
        }
    }

    pub fn on_up(self, ev: web_sys::PointerEvent) {
        let (x, y) = self.rel(&ev);
        self.pinch.update_value(|p| p.retain(|q| q.0 != ev.pointer_id()));
        let Some((sx, sy, _, _, moved)) = self.drag.get_value() else { return };
        self.drag.set_value(None);
        let add = ev.shift_key();
        if !moved {
            self.click_at(sx, sy, add);
            return;
        }
        let tool = self.tool.get_untracked();
        if tool != Tool::Pan {
            self.with_engine(|e| {
                let poly = if tool == Tool::Box { vec![(sx, sy), (x, sy), (x, y), (sx, y)] } else { std::mem::take(&mut e.lasso) };
                let sel = e.in_screen_polygon(&poly);
                e.select(&sel, add);
                e.lasso.clear();
            });
        }
        self.refresh();
    }

    /// A click (no drag) at (x, y): selects the home there (Shift toggles it) and opens its card,
    /// or clears the selection when there is none and Shift is up.
    fn click_at(self, x: f64, y: f64, add: bool) {
        let picked = self.engine.try_update_value(|e| {
            e.as_mut().and_then(|e| {
                e.lasso.clear();
                let h = e.pick(x, y, 8.0)?;
                if add {
                    e.toggle(h)
                } else {
                    e.select(&[h], false)
                }
                Some(h)
            })
        });
        if let Some(Some(h)) = picked {
            self.open_card(h);
        } else if !add {
            self.with_engine(|e| e.clear_selection());
        }
        self.refresh();
    }

    pub fn on_wheel(self, ev: web_sys::WheelEvent) {
        ev.prevent_default();
        let (x, y) = self.rel(&ev);
        let f = if ev.delta_y() < 0.0 { 1.25 } else { 0.8 };
        self.with_engine(|e| e.zoom_at(x, y, f));
        self.schedule();
    }

    pub fn on_key(self, ev: web_sys::KeyboardEvent) {
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
            self.with_engine(|e| f(e));
            self.schedule();
        }
    }

    /// The zoom buttons: by factor `f`, or the whole area when `f` is 0.
    pub fn zoom_by(self, f: f64) {
        self.with_engine(|e| if f == 0.0 { e.fit() } else { e.zoom_at(e.width / 2.0, e.height / 2.0, f) });
        self.schedule();
    }
}
