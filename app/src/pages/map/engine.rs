//! The patch map's drawing engine. The points are rasterised by hand into an RGBA buffer (one
//! `putImageData` per frame, not 60,000 canvas calls), each home a small glyph whose colour *and*
//! shape carry its category; outlines, territories and labels are canvas paths underneath.
//! Everything but the last step (handing pixels and paths to the canvases) is plain Rust.

use crate::domain::mapdata::*;

/// What the screen shows: the centre in metres and metres per CSS pixel.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct View {
    pub cx: f64,
    pub cy: f64,
    pub mpp: f64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Tool {
    Pan,
    Box,
    Lasso,
}

fn rgba(hex: &str) -> u32 {
    let h = hex.trim_start_matches('#');
    let p = |i: usize| u8::from_str_radix(h.get(i..i + 2).unwrap_or("00"), 16).unwrap_or(0);
    u32::from_le_bytes([p(0), p(2), p(4), 255])
}

/// Glyph pixel offsets for a shape and radius.
pub fn glyph(shape: Shape, r: i32) -> Vec<(i32, i32)> {
    let mut out = Vec::new();
    let rf = r as f64;
    for dy in -r..=r {
        for dx in -r..=r {
            let (x, y) = (dx as f64, dy as f64);
            let d2 = x * x + y * y;
            let inside = match shape {
                Shape::Dot => d2 <= rf * rf + rf * 0.8,
                Shape::Square => dx.abs() < r && dy.abs() < r || r <= 1,
                Shape::Triangle => y >= -rf && (x.abs() * 2.0) <= (y + rf) * 1.1 + 0.5,
                Shape::Diamond => dx.abs() + dy.abs() <= r,
                Shape::Cross => (dx.abs() <= r / 3 || dy.abs() <= r / 3) && dx.abs() <= r && dy.abs() <= r,
                Shape::Ring => d2 <= rf * rf + rf * 0.8 && d2 >= (rf - 1.6).max(0.0).powi(2),
            };
            if inside {
                out.push((dx, dy));
            }
        }
    }
    out
}

/// Point radius in device pixels for a zoom (metres per CSS pixel).
pub fn radius(mpp: f64, dpr: f64) -> i32 {
    let r = if mpp > 30.0 {
        1.0
    } else if mpp > 14.0 {
        2.0
    } else if mpp > 7.0 {
        3.0
    } else if mpp > 3.0 {
        4.0
    } else {
        5.0
    };
    ((r * dpr).round() as i32).max(1)
}

/// A closed outline, in metres.
pub type Ring = Vec<(f64, f64)>;

pub struct Territories {
    /// (patch index, rings in metres, label point)
    pub shapes: Vec<(u16, Vec<Ring>, (f64, f64))>,
}

impl Territories {
    pub fn new(ts: &[Territory], patches: &[MapPatch]) -> Territories {
        let shapes = ts
            .iter()
            .filter_map(|t| {
                let idx = patches.iter().position(|p| p.id == t.patch)? as u16;
                let rings: Vec<Vec<(f64, f64)>> = t.rings.iter().map(|r| decode_ring(r)).collect();
                // Label at the centroid of the largest ring.
                let best = rings.iter().max_by(|a, b| ring_area(a).abs().total_cmp(&ring_area(b).abs()))?;
                let label = centroid(best);
                Some((idx, rings, label))
            })
            .collect::<Vec<_>>();
        // Largest first, so their labels win where labels would overlap.
        let mut shapes = shapes;
        shapes.sort_by(|a, b| {
            let area = |r: &Vec<Vec<(f64, f64)>>| r.iter().map(|x| ring_area(x)).sum::<f64>();
            area(&b.1).total_cmp(&area(&a.1))
        });
        Territories { shapes }
    }
}

fn ring_area(r: &[(f64, f64)]) -> f64 {
    let n = r.len();
    (0..n).map(|i| r[i].0 * r[(i + 1) % n].1 - r[(i + 1) % n].0 * r[i].1).sum::<f64>() / 2.0
}

fn centroid(r: &[(f64, f64)]) -> (f64, f64) {
    let a = ring_area(r);
    if a.abs() < 1e-9 {
        let n = r.len().max(1) as f64;
        return (r.iter().map(|p| p.0).sum::<f64>() / n, r.iter().map(|p| p.1).sum::<f64>() / n);
    }
    let n = r.len();
    let (mut cx, mut cy) = (0.0, 0.0);
    for i in 0..n {
        let (p, q) = (r[i], r[(i + 1) % n]);
        let c = p.0 * q.1 - q.0 * p.1;
        cx += (p.0 + q.0) * c;
        cy += (p.1 + q.1) * c;
    }
    (cx / (6.0 * a), cy / (6.0 * a))
}

/// The map's state: the homes (columns), the draft, the selection, the view and the pixels.
pub struct Engine {
    pub ids: Vec<i64>,
    pub xs: Vec<f32>,
    pub ys: Vec<f32>,
    pub flags: Vec<u16>,
    pub street: Vec<u32>,
    pub streets: Vec<String>,
    pub patches: Vec<MapPatch>,
    pub weights: WorkloadWeights,
    pub projection: Projection,
    /// Today's (saved) patch of each home, and the draft's.
    pub base: Vec<u16>,
    pub now: Vec<u16>,
    pub draft: Draft,
    pub selected: Vec<bool>,
    pub selected_count: usize,
    /// A balance suggestion's patch per home, drawn instead of the draft while shown.
    pub proposal: Option<Vec<u16>>,
    /// Ward and estate outlines: rings in metres.
    pub wards: Vec<Vec<Vec<(f64, f64)>>>,
    pub estates: Vec<Vec<Vec<(f64, f64)>>>,
    pub territories: Territories,
    pub change: i64,
    pub view: View,
    pub width: f64,
    pub height: f64,
    pub dpr: f64,
    pub mode: ColourMode,
    pub lasso: Vec<(f64, f64)>,
    pub hover: Option<u32>,
    /// Bumped whenever the base layer (territories, tints, tiles) must be drawn again.
    pub base_gen: u64,
    pub buf: Vec<u32>,
    glyphs: Vec<Vec<Vec<(i32, i32)>>>,
}

impl Engine {
    pub fn new(d: &MapData) -> Option<Engine> {
        let homes = d.homes.unpack()?;
        let n = homes.len();
        let mut glyphs = Vec::new();
        for shape in [Shape::Dot, Shape::Square, Shape::Triangle, Shape::Diamond, Shape::Cross, Shape::Ring] {
            glyphs.push((0..=14).map(|r| glyph(shape, r)).collect());
        }
        let base: Vec<u16> = homes.iter().map(|h| h.patch).collect();
        let mut e = Engine {
            ids: homes.iter().map(|h| h.id).collect(),
            xs: homes.iter().map(|h| h.x as f32).collect(),
            ys: homes.iter().map(|h| h.y as f32).collect(),
            flags: homes.iter().map(|h| h.flags).collect(),
            street: homes.iter().map(|h| h.street).collect(),
            streets: d.homes.streets.clone(),
            patches: d.patches.clone(),
            weights: d.weights,
            projection: d.origin,
            now: base.clone(),
            base,
            draft: Draft::default(),
            selected: vec![false; n],
            selected_count: 0,
            proposal: None,
            wards: d.wards.iter().map(|o| o.rings.iter().map(|r| decode_ring(r)).collect()).collect(),
            estates: d.estates.iter().map(|o| o.rings.iter().map(|r| decode_ring(r)).collect()).collect(),
            territories: Territories::new(&d.territories, &d.patches),
            change: d.change,
            view: View { cx: 0.0, cy: 0.0, mpp: 10.0 },
            width: 800.0,
            height: 600.0,
            dpr: 1.0,
            mode: ColourMode::Patch,
            lasso: Vec::new(),
            hover: None,
            base_gen: 0,
            buf: Vec::new(),
            glyphs,
        };
        e.fit();
        Some(e)
    }

    pub fn fit(&mut self) {
        let (mut x0, mut x1, mut y0, mut y1) = (f32::MAX, f32::MIN, f32::MAX, f32::MIN);
        for (&x, &y) in self.xs.iter().zip(&self.ys) {
            x0 = x0.min(x);
            x1 = x1.max(x);
            y0 = y0.min(y);
            y1 = y1.max(y);
        }
        if x0 > x1 {
            return;
        }
        let mpp = ((x1 - x0) as f64 / self.width.max(1.0)).max((y1 - y0) as f64 / self.height.max(1.0)) * 1.2;
        self.view = View { cx: (x0 + x1) as f64 / 2.0, cy: (y0 + y1) as f64 / 2.0, mpp: mpp.max(0.2) };
    }

    pub fn to_screen(&self, x: f64, y: f64) -> (f64, f64) {
        ((x - self.view.cx) / self.view.mpp + self.width / 2.0, self.height / 2.0 - (y - self.view.cy) / self.view.mpp)
    }
    pub fn to_world(&self, sx: f64, sy: f64) -> (f64, f64) {
        ((sx - self.width / 2.0) * self.view.mpp + self.view.cx, (self.height / 2.0 - sy) * self.view.mpp + self.view.cy)
    }

    pub fn pan(&mut self, dx: f64, dy: f64) {
        self.view.cx -= dx * self.view.mpp;
        self.view.cy += dy * self.view.mpp;
    }

    /// Zooms by `factor` (>1 zooms in) keeping the world point under (sx, sy) still.
    pub fn zoom_at(&mut self, sx: f64, sy: f64, factor: f64) {
        let (wx, wy) = self.to_world(sx, sy);
        self.view.mpp = (self.view.mpp / factor).clamp(0.15, 200.0);
        let (nx, ny) = self.to_world(sx, sy);
        self.view.cx += wx - nx;
        self.view.cy += wy - ny;
    }

    /// The patch drawn for each home: a shown proposal, else the draft.
    pub fn shown(&self) -> &[u16] {
        self.proposal.as_deref().unwrap_or(&self.now)
    }

    /// (colour, glyph) per patch index (patch mode) or per legend category (other modes).
    fn palette(&self) -> Vec<(u32, usize)> {
        // Glyphs are built in `Shape`'s declaration order, so a shape's discriminant is its index.
        let shape_ix = |s: Shape| s as usize;
        match self.mode {
            ColourMode::Patch => (0..self.patches.len().max(1)).map(|p| (rgba(patch_colour(p)), shape_ix(patch_shape(p)))).collect(),
            m => legend(m).iter().map(|item| (rgba(item.colour), shape_ix(item.shape))).collect(),
        }
    }

    fn slot(&self, i: usize) -> usize {
        match self.mode {
            ColourMode::Patch => self.shown()[i] as usize,
            m => category(m, self.flags[i], &self.weights),
        }
    }

    /// Fills `buf` with the points for the current view (device pixels, transparent background).
    pub fn rasterise(&mut self) {
        let w = (self.width * self.dpr).round().max(1.0) as i32;
        let h = (self.height * self.dpr).round().max(1.0) as i32;
        let len = (w * h) as usize;
        self.buf.clear();
        self.buf.resize(len, 0);
        let r = radius(self.view.mpp, self.dpr);
        let k = self.dpr / self.view.mpp;
        let (ox, oy) = (self.width * self.dpr / 2.0, self.height * self.dpr / 2.0);
        let outline = rgba("#111827");
        let ring_r = (r + (1.0 * self.dpr).round() as i32 + 1).min(14);
        let palette = self.palette();
        let cs: Vec<(u32, usize)> = (0..self.xs.len()).map(|i| palette.get(self.slot(i)).copied().unwrap_or((outline, 0))).collect();
        let stamp = |buf: &mut Vec<u32>, px: i32, py: i32, g: &[(i32, i32)], c: u32| {
            if px < -16 || py < -16 || px >= w + 16 || py >= h + 16 {
                return;
            }
            for &(dx, dy) in g {
                let (x, y) = (px + dx, py + dy);
                if x >= 0 && y >= 0 && x < w && y < h {
                    buf[(y * w + x) as usize] = c;
                }
            }
        };
        let mut buf = std::mem::take(&mut self.buf);
        // Ordinary homes first, then those with something to see (arrears, cases...), then the
        // selection on top with a dark ring.
        let plain = |i: usize| self.mode != ColourMode::Patch && self.slot(i) == 0;
        for pass in 0..3 {
            for (i, &(c, s)) in cs.iter().enumerate() {
                let draw = match pass {
                    0 => !self.selected[i] && (self.mode == ColourMode::Patch || plain(i)),
                    1 => !self.selected[i] && self.mode != ColourMode::Patch && !plain(i),
                    _ => self.selected[i],
                };
                if !draw {
                    continue;
                }
                let px = ((self.xs[i] as f64 - self.view.cx) * k + ox).round() as i32;
                let py = (oy - (self.ys[i] as f64 - self.view.cy) * k).round() as i32;
                if pass == 2 {
                    stamp(&mut buf, px, py, &self.glyphs[0][ring_r as usize], outline);
                }
                stamp(&mut buf, px, py, &self.glyphs[s][r as usize], c);
            }
        }
        if let Some(hv) = self.hover.map(|h| h as usize).filter(|h| *h < self.xs.len()) {
            let px = ((self.xs[hv] as f64 - self.view.cx) * k + ox).round() as i32;
            let py = (oy - (self.ys[hv] as f64 - self.view.cy) * k).round() as i32;
            stamp(&mut buf, px, py, &self.glyphs[5][(r + 4).min(14) as usize], outline);
        }
        self.buf = buf;
    }

    /// The home nearest a screen point, within `max_px`.
    pub fn pick(&self, sx: f64, sy: f64, max_px: f64) -> Option<u32> {
        let (wx, wy) = self.to_world(sx, sy);
        let lim = (max_px * self.view.mpp).powi(2);
        let mut best: Option<(f64, u32)> = None;
        for i in 0..self.xs.len() {
            let dx = self.xs[i] as f64 - wx;
            let dy = self.ys[i] as f64 - wy;
            let d = dx * dx + dy * dy;
            if d <= lim && best.is_none_or(|(b, _)| d < b) {
                best = Some((d, i as u32));
            }
        }
        best.map(|b| b.1)
    }

    pub fn clear_selection(&mut self) {
        self.selected.iter_mut().for_each(|s| *s = false);
        self.selected_count = 0;
    }

    /// Selects homes (adding to the selection when `add`).
    pub fn select(&mut self, homes: &[u32], add: bool) {
        if !add {
            self.clear_selection();
        }
        for &h in homes {
            if let Some(s) = self.selected.get_mut(h as usize)
                && !*s
            {
                *s = true;
                self.selected_count += 1;
            }
        }
    }

    pub fn toggle(&mut self, h: u32) {
        if let Some(s) = self.selected.get_mut(h as usize) {
            *s = !*s;
            if *s { self.selected_count += 1 } else { self.selected_count -= 1 }
        }
    }

    /// Homes inside a polygon given in screen coordinates.
    pub fn in_screen_polygon(&self, poly: &[(f64, f64)]) -> Vec<u32> {
        let world: Vec<(f64, f64)> = poly.iter().map(|&(x, y)| self.to_world(x, y)).collect();
        select_in_polygon(&self.xs, &self.ys, &world)
    }

    pub fn selected_homes(&self) -> Vec<u32> {
        self.selected.iter().enumerate().filter(|(_, s)| **s).map(|(i, _)| i as u32).collect()
    }

    /// Totals of the selection.
    pub fn selection_totals(&self) -> PatchTotals {
        totals_of(&self.flags, self.selected.iter().enumerate().filter(|(_, s)| **s).map(|(i, _)| i), &self.weights)
    }

    /// Selected homes per patch (draft patches): (patch index, count).
    pub fn selection_by_patch(&self) -> Vec<(u16, u32)> {
        let mut c = vec![0u32; self.patches.len()];
        for (i, s) in self.selected.iter().enumerate() {
            if *s && let Some(x) = c.get_mut(self.now[i] as usize) {
                *x += 1;
            }
        }
        c.into_iter().enumerate().filter(|(_, n)| *n > 0).map(|(p, n)| (p as u16, n)).collect()
    }

    /// Patches with an officer: how many share the workload (at least one).
    pub fn officers(&self) -> usize {
        self.patches.iter().filter(|p| p.officer_id.is_some()).count().max(1)
    }

    /// Totals of the patches as drawn (draft or shown proposal) and the ±10% bands they are read against.
    pub fn shown_band(&self) -> (Vec<PatchTotals>, Bands) {
        let t = totals(&self.flags, self.shown(), self.patches.len(), &self.weights);
        let bands = Bands::new(t.iter().map(|x| x.weight).sum(), self.officers(), self.challenging(), self.weights.challenging_pct, 10);
        (t, bands)
    }

    /// Patches with an officer in a challenging neighbourhood.
    pub fn challenging(&self) -> usize {
        self.patches.iter().filter(|p| p.officer_id.is_some() && p.challenging).count()
    }

    /// Where patch `idx`'s workload stands against its band.
    pub fn load_status(&self, totals: &[PatchTotals], bands: &Bands, idx: usize) -> LoadStatus {
        let challenging = self.patches.get(idx).is_some_and(|p| p.challenging);
        bands.of(challenging).status(totals.get(idx).map(|t| t.weight).unwrap_or(0))
    }

    pub fn draft_totals(&self) -> Vec<PatchTotals> {
        totals(&self.flags, &self.now, self.patches.len(), &self.weights)
    }
    pub fn base_totals(&self) -> Vec<PatchTotals> {
        totals(&self.flags, &self.base, self.patches.len(), &self.weights)
    }

    /// Homes on the same street as `h`.
    pub fn street_homes(&self, h: u32) -> Vec<u32> {
        let Some(&s) = self.street.get(h as usize) else { return Vec::new() };
        (0..self.street.len() as u32).filter(|&i| self.street[i as usize] == s).collect()
    }

    pub fn index_of(&self, id: i64) -> Option<u32> {
        self.ids.binary_search(&id).ok().map(|i| i as u32)
    }

    /// The draft as a change request's moves.
    pub fn moves(&self) -> Vec<HomeMove> {
        net_moves(&self.base, &self.now)
            .into_iter()
            .map(|(h, _, to)| HomeMove { property_id: self.ids[h as usize], to_patch: self.patches[to as usize].id })
            .collect()
    }

    /// Versions of every patch (the save sends them; the server checks those it touches).
    pub fn versions(&self) -> Vec<PatchVersion> {
        self.patches.iter().map(|p| PatchVersion { patch_id: p.id, version: p.version }).collect()
    }

    /// Applies saved changes (from `/api/v1/map/changes`) to today's patches; the draft is rebased.
    pub fn apply_saved(&mut self, c: &PatchChangesSince) {
        let ix: std::collections::HashMap<i64, u16> = c.patches.iter().enumerate().map(|(k, p)| (p.id, k as u16)).collect();
        if c.patches.len() == self.patches.len() && c.patches.iter().zip(&self.patches).all(|(a, b)| a.id == b.id) {
            for m in &c.moves {
                if let (Some(h), Some(&p)) = (self.index_of(m.property_id), ix.get(&m.to_patch)) {
                    self.base[h as usize] = p;
                }
            }
            self.patches = c.patches.clone();
        }
        self.change = c.change;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data() -> MapData {
        let homes: Vec<MapHome> = (0..100)
            .map(|i| MapHome {
                id: i + 1,
                x: (i % 10) as i32 * 20,
                y: (i / 10) as i32 * 20,
                patch: if i % 10 < 5 { 0 } else { 1 },
                flags: (i % 4) as u16,
                street: (i / 10) as u32,
            })
            .collect();
        let patch = |id: i64, name: &str| MapPatch {
            id,
            name: name.into(),
            officer_id: Some(id),
            officer: Some(format!("Officer {id}")),
            cover: None,
            version: 1,
            challenging: false,
        };
        MapData {
            area_team_id: 1,
            area: "East".into(),
            change: 0,
            origin: Projection { lat0: 53.96, lon0: -1.08 },
            can_reshape: true,
            weights: WorkloadWeights::default(),
            patches: vec![patch(7, "East 01"), patch(9, "East 02")],
            homes: PackedHomes::pack(&homes, (0..10).map(|s| format!("Street {s}")).collect()),
            wards: vec![],
            estates: vec![],
            territories: vec![Territory { patch: 9, rings: vec![encode_ring(&[(100.0, 0.0), (180.0, 0.0), (180.0, 180.0), (100.0, 180.0)])] }],
            tile_url: None,
        }
    }

    #[test]
    fn glyphs_differ_by_shape_and_grow() {
        for r in 2..=6 {
            let all: Vec<_> = [Shape::Dot, Shape::Square, Shape::Triangle, Shape::Diamond, Shape::Cross, Shape::Ring].iter().map(|s| glyph(*s, r)).collect();
            for a in 0..all.len() {
                assert!(!all[a].is_empty());
                for b in a + 1..all.len() {
                    assert_ne!(all[a], all[b], "shapes {a} and {b} at radius {r}");
                }
            }
        }
        assert!(glyph(Shape::Dot, 5).len() > glyph(Shape::Dot, 3).len());
        assert!(radius(30.0, 1.0) < radius(1.0, 1.0));
        assert_eq!(radius(1.0, 2.0), 10);
    }

    #[test]
    fn view_transforms_round_trip_and_zoom_keeps_the_cursor_point() {
        let mut e = Engine::new(&data()).unwrap();
        e.width = 400.0;
        e.height = 300.0;
        e.fit();
        let (sx, sy) = e.to_screen(60.0, 40.0);
        let (x, y) = e.to_world(sx, sy);
        assert!((x - 60.0).abs() < 1e-6 && (y - 40.0).abs() < 1e-6);
        e.zoom_at(sx, sy, 2.0);
        let (x2, y2) = e.to_world(sx, sy);
        assert!((x2 - 60.0).abs() < 1e-6 && (y2 - 40.0).abs() < 1e-6);
        let before = e.view;
        e.pan(10.0, 0.0);
        assert!(e.view.cx < before.cx);
    }

    #[test]
    fn rasterising_draws_every_visible_home_in_its_colour() {
        let mut e = Engine::new(&data()).unwrap();
        e.width = 400.0;
        e.height = 300.0;
        e.fit();
        e.rasterise();
        assert_eq!(e.buf.len(), 400 * 300);
        let (sx, sy) = e.to_screen(0.0, 0.0);
        let px = e.buf[(sy.round() as usize) * 400 + sx.round() as usize];
        assert_eq!(px, rgba(patch_colour(0)), "home 1 is in the first patch");
        let (sx, sy) = e.to_screen(180.0, 0.0);
        assert_eq!(e.buf[(sy.round() as usize) * 400 + sx.round() as usize], rgba(patch_colour(1)));
        e.mode = ColourMode::Tenure;
        e.rasterise();
        let (sx, sy) = e.to_screen(20.0, 0.0); // home 2: flags 1 = introductory
        assert_eq!(e.buf[(sy.round() as usize) * 400 + sx.round() as usize], rgba(legend(ColourMode::Tenure)[1].colour));
    }

    #[test]
    fn lasso_selection_totals_and_draft() {
        let mut e = Engine::new(&data()).unwrap();
        e.width = 400.0;
        e.height = 300.0;
        e.fit();
        // A box around the first row (y = 0), in screen coordinates.
        let (ax, ay) = e.to_screen(-5.0, -5.0);
        let (bx, by) = e.to_screen(195.0, 5.0);
        let sel = e.in_screen_polygon(&[(ax, ay), (bx, ay), (bx, by), (ax, by)]);
        assert_eq!(sel, (0..10).collect::<Vec<u32>>());
        e.select(&sel, false);
        assert_eq!(e.selected_count, 10);
        assert_eq!(e.selection_by_patch(), vec![(0, 5), (1, 5)]);
        assert_eq!(e.selection_totals().homes, 10);
        let mut now = std::mem::take(&mut e.now);
        e.draft.move_homes(&mut now, &sel, 1);
        e.now = now;
        assert_eq!(e.draft_totals()[1].homes, 55);
        assert_eq!(e.base_totals()[1].homes, 50);
        let moves = e.moves();
        assert_eq!(moves.len(), 5);
        assert!(moves.iter().all(|m| m.to_patch == 9));
        assert_eq!(e.street_homes(3).len(), 10);
        assert_eq!(e.index_of(42), Some(41));
        assert_eq!(e.pick(e.to_screen(20.0, 20.0).0, e.to_screen(20.0, 20.0).1, 5.0), Some(11));
        e.apply_saved(&PatchChangesSince { change: 3, moves: moves.clone(), patches: e.patches.clone() });
        assert_eq!(e.base, e.now);
        assert_eq!(e.change, 3);
        assert_eq!(e.territories.shapes.len(), 1);
        assert_eq!(e.territories.shapes[0].0, 1);
        assert!((e.territories.shapes[0].2.0 - 140.0).abs() < 1e-6);
    }
}
