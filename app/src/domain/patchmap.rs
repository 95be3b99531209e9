//! # patchmap — patch territories and workload-balance suggestions
//!
//! Groundwork for the patch map (issue 3): not yet wired to a page or route. `balance` measures
//! its time budget with `std::time::Instant`, so it runs on the server, not in the browser.
//!
//! Pure computational geometry / graph code for Hearth's patch map. Depends only on
//! `std` and `serde` (derive). All inputs are projected coordinates in metres
//! (x east, y north), e.g. British National Grid.
//!
//! ## Concepts
//! * **Site** – a distinct coordinate. Homes with bit-identical coordinates are one
//!   building and are always treated together.
//! * **Grid** – square cells of side `cell` metres anchored at the homes' minimum corner.
//!
//! ## Adjacency rule ([`Adjacency::build`])
//! 1. Two sites are adjacent when their grid cells are equal or 8-neighbours.
//!    (All homes of one site are trivially adjacent to each other.)
//! 2. **Patch bridging**: for every patch of the input (`Home::patch`), in ascending
//!    patch-id order, the sites holding that patch's homes are split into connected
//!    components of the graph so far. While there is more than one component, each
//!    component is linked to its nearest other component of the *same patch* by one
//!    extra edge between the two closest sites (Euclidean distance; ties broken by the
//!    smaller site indices; Borůvka rounds). So every patch of today is contiguous.
//! 3. **Area bridging**: the same procedure over all sites, so the adjacency graph of the
//!    whole area is connected (parks, rivers and railways are bridged at their narrowest
//!    point between buildings).
//!
//! ## Territories ([`territories`])
//! Every grid cell whose centre is within Euclidean distance `reach` (in cells) of an
//! occupied cell's centre is claimed by the nearest occupied cell (ties: the occupied cell
//! with the lower row-major index wins). An occupied cell belongs to the patch holding most
//! of its homes (ties: lower patch id). Occupied cells holding homes of several patches are
//! refined into 2^s × 2^s sub-cells (smallest `s ≤ 4` that separates the patches) so that each
//! home lies inside its own patch's territory. Boundaries between different owners are traced
//! into rings with the owner on the left: outer rings counter-clockwise, holes clockwise,
//! collinear vertices removed, first point repeated at the end. Where a patch touches itself
//! diagonally at a single vertex the tracer turns left, so rings touch but never cross.
//!
//! ## Balance ([`balance`])
//! Works on *units*: the homes of one site that share today's patch (a building is never
//! split unless it already is today). Steps:
//! 1. **Merge** while there are more patches than officers: the lightest patch is dissolved;
//!    its units are claimed by the neighbouring patches, always by the currently lightest
//!    claimant, growing from the shared boundary (so every claimant stays contiguous).
//! 2. **Split** while there are fewer: the heaviest patch gives up a region grown from its far
//!    edge (the unit farthest from its weighted centroid, growing by distance to that seed
//!    through the adjacency) of weight `min(target, weight/2)`; pieces of the remainder that get
//!    cut off join the new region. New ids are `max existing id + 1, + 2, ...`.
//! 3. **Rebalance** (local search): repeatedly take the patch with the largest violation of
//!    `[target·(1−tol), target·(1+tol)]`, find (breadth-first over the patch adjacency graph)
//!    the nearest patch on the other side of the target with enough room, and push weight along
//!    that path: every hop moves boundary units from one patch to the next, aiming for the
//!    inner half of the band. Units are chosen by compactness (most neighbours in the
//!    receiver, fewest in the donor) and best fit; a unit is only moved if the donor stays
//!    contiguous (early-exit BFS), or together with the pieces it would cut off (so thin
//!    tendrils can move). A push is kept only if it strictly lowers
//!    `(Σ violation², Σ deviation²)`; otherwise it is undone (four variants are tried: from
//!    either end, full or half amount) and the offending edge is blocked until the next
//!    success. When every violator is stuck the search "kicks" (one forced transfer with a
//!    bigger lump, bounded in number), remembering and finally returning the best state.
//! 4. **Revert**: units whose move turned out unnecessary go back to their original patch
//!    when that keeps both patches contiguous and does not worsen either patch's violation.
//!
//! The search stops as soon as every patch is within tolerance, nothing more can be tried, or
//! `max_millis` elapses. It is a heuristic: reaching the tolerance is not guaranteed (lumpy
//! buildings, narrow contacts between patches), which `Proposal::within_tolerance` reports.
//!
//! Everything is deterministic (no randomness, all ties broken by index); only a `max_millis`
//! cut-off can make the result depend on machine speed.

use serde::{Deserialize, Serialize};
use std::cmp::Reverse;
use std::collections::{BTreeMap, BinaryHeap, HashMap};
use std::time::{Duration, Instant};

/// Sentinel for "no index".
const NONE: u32 = u32::MAX;

/// One home, as fed to the patch map.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Home {
    /// Caller's home id (not interpreted).
    pub id: i64,
    /// Easting in metres.
    pub x: f64,
    /// Northing in metres.
    pub y: f64,
    /// Today's patch id.
    pub patch: i64,
    /// Workload weight (10 = one ordinary home).
    pub weight: u32,
}

/// Bit key of a coordinate; `-0.0` and `0.0` are the same site.
fn coord_key(x: f64, y: f64) -> (u64, u64) {
    ((x + 0.0).to_bits(), (y + 0.0).to_bits())
}

/// A usable cell size (non-finite or non-positive sizes fall back to 1 m).
fn sane_cell(cell: f64) -> f64 {
    if cell.is_finite() && cell > 0.0 { cell } else { 1.0 }
}

/// Compressed adjacency lists from `(node, item)` pairs, keeping input order per node.
fn csr(n: usize, pairs: &[(u32, u32)]) -> (Vec<u32>, Vec<u32>) {
    let mut start = vec![0u32; n + 1];
    for &(a, _) in pairs {
        start[a as usize + 1] += 1;
    }
    for i in 0..n {
        start[i + 1] += start[i];
    }
    let mut fill = start.clone();
    let mut items = vec![0u32; pairs.len()];
    for &(a, b) in pairs {
        items[fill[a as usize] as usize] = b;
        fill[a as usize] += 1;
    }
    (start, items)
}

// ---------------------------------------------------------------------------------------------
// Adjacency
// ---------------------------------------------------------------------------------------------

/// Neighbourhood graph of an area's homes, built once per area (see the module docs for the rule).
///
/// Nodes are *sites* (distinct coordinates); a home is adjacent to every home of its own site and
/// of every adjacent site.
#[derive(Debug, Clone)]
pub struct Adjacency {
    home_site: Vec<u32>,
    site_xy: Vec<(f64, f64)>,
    site_home_start: Vec<u32>,
    site_homes: Vec<u32>,
    nbr_start: Vec<u32>,
    nbr: Vec<u32>,
    bridges: Vec<(u32, u32)>,
}

impl Adjacency {
    /// Builds the adjacency of `homes` with square cells of side `cell` metres
    /// (a non-positive or non-finite `cell` is treated as 1 m).
    ///
    /// Cost is about `O(n log n + Σ buildings in each 3×3 block)`: pick `cell` so that a cell
    /// holds a handful of buildings (20–60 m in towns).
    pub fn build(homes: &[Home], cell: f64) -> Adjacency {
        let cell = sane_cell(cell);
        // 1. Sites, numbered in order of first appearance.
        let mut site_index: HashMap<(u64, u64), u32> = HashMap::new();
        let mut site_xy: Vec<(f64, f64)> = Vec::new();
        let mut home_site = Vec::with_capacity(homes.len());
        for h in homes {
            let id = *site_index.entry(coord_key(h.x, h.y)).or_insert_with(|| {
                site_xy.push((h.x, h.y));
                (site_xy.len() - 1) as u32
            });
            home_site.push(id);
        }
        let n = site_xy.len();
        let pairs: Vec<(u32, u32)> = home_site.iter().enumerate().map(|(h, &s)| (s, h as u32)).collect();
        let (site_home_start, site_homes) = csr(n, &pairs);

        // 2. Grid adjacency (same or 8-neighbouring cell).
        let (minx, miny) = site_xy.iter().fold((f64::INFINITY, f64::INFINITY), |(a, b), &(x, y)| (a.min(x), b.min(y)));
        let cell_of = |(x, y): (f64, f64)| -> (i64, i64) { (((x - minx) / cell).floor() as i64, ((y - miny) / cell).floor() as i64) };
        let mut cells: HashMap<(i64, i64), Vec<u32>> = HashMap::new();
        for (s, &xy) in site_xy.iter().enumerate() {
            cells.entry(cell_of(xy)).or_default().push(s as u32);
        }
        let mut lists: Vec<Vec<u32>> = vec![Vec::new(); n];
        for (s, list) in lists.iter_mut().enumerate() {
            let (cx, cy) = cell_of(site_xy[s]);
            for dy in -1..=1 {
                for dx in -1..=1 {
                    if let Some(v) = cells.get(&(cx + dx, cy + dy)) {
                        list.extend(v.iter().copied().filter(|&t| t as usize != s));
                    }
                }
            }
        }

        // 3. Bridge every patch of today, then 4. the whole area.
        let mut bridges = Vec::new();
        let mut by_patch: BTreeMap<i64, Vec<u32>> = BTreeMap::new();
        for (h, home) in homes.iter().enumerate() {
            by_patch.entry(home.patch).or_default().push(home_site[h]);
        }
        let mut mark = vec![NONE; n];
        for (_, mut sites) in by_patch {
            sites.sort_unstable();
            sites.dedup();
            bridge_subset(&sites, &mut lists, &mut mark, &site_xy, &mut bridges);
        }
        let all: Vec<u32> = (0..n as u32).collect();
        bridge_subset(&all, &mut lists, &mut mark, &site_xy, &mut bridges);

        // 5. Compress.
        let mut pairs = Vec::new();
        for (s, list) in lists.iter_mut().enumerate() {
            list.sort_unstable();
            list.dedup();
            pairs.extend(list.iter().map(|&t| (s as u32, t)));
        }
        let (nbr_start, nbr) = csr(n, &pairs);
        Adjacency { home_site, site_xy, site_home_start, site_homes, nbr_start, nbr, bridges }
    }

    /// Number of homes the adjacency was built from.
    pub fn home_count(&self) -> usize {
        self.home_site.len()
    }

    /// Number of sites (distinct coordinates / buildings).
    pub fn site_count(&self) -> usize {
        self.site_xy.len()
    }

    /// Site index of home `i` (index into the `homes` slice used to build).
    pub fn site_of_home(&self, i: usize) -> Option<usize> {
        self.home_site.get(i).map(|&s| s as usize)
    }

    /// Coordinate of a site.
    pub fn site_xy(&self, site: usize) -> Option<(f64, f64)> {
        self.site_xy.get(site).copied()
    }

    /// Indices of the homes located at `site`.
    pub fn site_homes(&self, site: usize) -> &[u32] {
        match (self.site_home_start.get(site), self.site_home_start.get(site + 1)) {
            (Some(&a), Some(&b)) => &self.site_homes[a as usize..b as usize],
            _ => &[],
        }
    }

    /// Sites adjacent to `site` (grid neighbours and bridges), ascending.
    pub fn neighbours(&self, site: usize) -> &[u32] {
        match (self.nbr_start.get(site), self.nbr_start.get(site + 1)) {
            (Some(&a), Some(&b)) => &self.nbr[a as usize..b as usize],
            _ => &[],
        }
    }

    /// The gap-bridging edges that were added, as pairs of site coordinates (for drawing).
    pub fn bridges(&self) -> Vec<((f64, f64), (f64, f64))> {
        self.bridges.iter().map(|&(a, b)| (self.site_xy[a as usize], self.site_xy[b as usize])).collect()
    }

    /// Number of connected components of the site graph (1 after bridging, 0 if empty).
    pub fn component_count(&self) -> usize {
        let n = self.site_count();
        let mut seen = vec![false; n];
        let mut count = 0;
        let mut stack = Vec::new();
        for s in 0..n {
            if seen[s] {
                continue;
            }
            count += 1;
            seen[s] = true;
            stack.push(s);
            while let Some(a) = stack.pop() {
                for &b in self.neighbours(a) {
                    if !seen[b as usize] {
                        seen[b as usize] = true;
                        stack.push(b as usize);
                    }
                }
            }
        }
        count
    }
}

/// Connects the sub-graph induced by `sites` (ascending site indices) by adding
/// nearest-pair bridges between its components (Borůvka). `mark` must be all `NONE`
/// on entry and is restored.
fn bridge_subset(sites: &[u32], lists: &mut [Vec<u32>], mark: &mut [u32], site_xy: &[(f64, f64)], bridges: &mut Vec<(u32, u32)>) {
    for (i, &s) in sites.iter().enumerate() {
        mark[s as usize] = i as u32;
    }
    // Component labels of the induced sub-graph.
    let mut comp = vec![NONE; sites.len()];
    let mut ncomp = 0u32;
    let mut stack = Vec::new();
    for i in 0..sites.len() {
        if comp[i] != NONE {
            continue;
        }
        comp[i] = ncomp;
        stack.push(i);
        while let Some(a) = stack.pop() {
            for &t in &lists[sites[a] as usize] {
                let j = mark[t as usize];
                if j != NONE && comp[j as usize] == NONE {
                    comp[j as usize] = ncomp;
                    stack.push(j as usize);
                }
            }
        }
        ncomp += 1;
    }
    for &s in sites {
        mark[s as usize] = NONE;
    }
    if ncomp <= 1 {
        return;
    }
    let pts: Vec<(f64, f64)> = sites.iter().map(|&s| site_xy[s as usize]).collect();
    for (a, b) in bridge_components(&pts, &comp, ncomp as usize) {
        let (sa, sb) = (sites[a], sites[b]);
        lists[sa as usize].push(sb);
        lists[sb as usize].push(sa);
        bridges.push((sa, sb));
    }
}

/// Minimal union-find; the smaller root always wins (deterministic).
struct UnionFind(Vec<u32>);

impl UnionFind {
    fn new(n: usize) -> Self {
        UnionFind((0..n as u32).collect())
    }
    fn find(&mut self, mut a: u32) -> u32 {
        while self.0[a as usize] != a {
            let p = self.0[a as usize];
            self.0[a as usize] = self.0[p as usize];
            a = p;
        }
        a
    }
    fn union(&mut self, a: u32, b: u32) -> bool {
        let (ra, rb) = (self.find(a), self.find(b));
        if ra == rb {
            return false;
        }
        let (lo, hi) = if ra < rb { (ra, rb) } else { (rb, ra) };
        self.0[hi as usize] = lo;
        true
    }
}

/// Borůvka over components: returns point-index pairs that connect all components,
/// each the closest pair between a component and the rest.
fn bridge_components(pts: &[(f64, f64)], comp: &[u32], ncomp: usize) -> Vec<(usize, usize)> {
    let mut uf = UnionFind::new(ncomp);
    let mut tree = KdTree::new(pts.to_vec());
    let mut out = Vec::new();
    let mut stack = Vec::new();
    loop {
        let labels: Vec<u32> = comp.iter().map(|&c| uf.find(c)).collect();
        let roots = (0..ncomp as u32).filter(|&c| uf.find(c) == c).count();
        if roots <= 1 {
            break;
        }
        tree.set_labels(&labels);
        // Best (distance², smaller index, larger index) per component root.
        let mut best: Vec<Option<(f64, u32, u32)>> = vec![None; ncomp];
        for (i, &p) in pts.iter().enumerate() {
            if let Some((d, j)) = tree.nearest_other(p, labels[i], &mut stack) {
                let i = i as u32;
                let key = (d, i.min(j), i.max(j));
                let slot = &mut best[labels[i as usize] as usize];
                let better = match *slot {
                    None => true,
                    Some(b) => key.0 < b.0 || (key.0 == b.0 && (key.1, key.2) < (b.1, b.2)),
                };
                if better {
                    *slot = Some(key);
                }
            }
        }
        let mut progressed = false;
        for &(_, a, b) in best.iter().flatten() {
            if uf.union(labels[a as usize], labels[b as usize]) {
                out.push((a as usize, b as usize));
                progressed = true;
            }
        }
        if !progressed {
            break; // cannot happen with finite coordinates; guards against NaN input
        }
    }
    out
}

/// Static 2-d tree for "nearest point with a different label" queries.
struct KdTree {
    pts: Vec<(f64, f64)>,
    order: Vec<u32>,
    nodes: Vec<KdNode>,
    label: Vec<u32>,
}

#[derive(Clone, Copy)]
struct KdNode {
    start: u32,
    end: u32,
    lo: (f64, f64),
    hi: (f64, f64),
    left: u32,
    right: u32,
    /// The label shared by every point below, or `NONE` if mixed.
    uniform: u32,
}

const KD_LEAF: usize = 8;

fn box_dist2(q: (f64, f64), lo: (f64, f64), hi: (f64, f64)) -> f64 {
    let dx = (lo.0 - q.0).max(0.0).max(q.0 - hi.0);
    let dy = (lo.1 - q.1).max(0.0).max(q.1 - hi.1);
    dx * dx + dy * dy
}

fn dist2(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0) * (a.0 - b.0) + (a.1 - b.1) * (a.1 - b.1)
}

impl KdTree {
    fn new(pts: Vec<(f64, f64)>) -> Self {
        let n = pts.len();
        let mut t = KdTree { pts, order: (0..n as u32).collect(), nodes: Vec::new(), label: vec![0; n] };
        if n > 0 {
            t.build(0, n);
        }
        t
    }

    fn build(&mut self, start: usize, end: usize) -> u32 {
        let mut lo = (f64::INFINITY, f64::INFINITY);
        let mut hi = (f64::NEG_INFINITY, f64::NEG_INFINITY);
        for &i in &self.order[start..end] {
            let p = self.pts[i as usize];
            lo = (lo.0.min(p.0), lo.1.min(p.1));
            hi = (hi.0.max(p.0), hi.1.max(p.1));
        }
        let id = self.nodes.len();
        self.nodes.push(KdNode { start: start as u32, end: end as u32, lo, hi, left: NONE, right: NONE, uniform: NONE });
        if end - start > KD_LEAF {
            let by_x = hi.0 - lo.0 >= hi.1 - lo.1;
            let mid = (start + end) / 2;
            let pts = &self.pts;
            self.order[start..end].select_nth_unstable_by(mid - start, |&a, &b| {
                let (pa, pb) = (pts[a as usize], pts[b as usize]);
                let c = if by_x { pa.0.total_cmp(&pb.0) } else { pa.1.total_cmp(&pb.1) };
                c.then(a.cmp(&b))
            });
            let l = self.build(start, mid);
            let r = self.build(mid, end);
            self.nodes[id].left = l;
            self.nodes[id].right = r;
        }
        id as u32
    }

    fn set_labels(&mut self, labels: &[u32]) {
        self.label.copy_from_slice(labels);
        for id in (0..self.nodes.len()).rev() {
            let nd = self.nodes[id];
            let u = if nd.left == NONE {
                let slice = &self.order[nd.start as usize..nd.end as usize];
                let first = self.label[slice[0] as usize];
                if slice.iter().all(|&i| self.label[i as usize] == first) { first } else { NONE }
            } else {
                let (l, r) = (self.nodes[nd.left as usize].uniform, self.nodes[nd.right as usize].uniform);
                if l == r { l } else { NONE }
            };
            self.nodes[id].uniform = u;
        }
    }

    /// Nearest point (distance², index) whose label differs from `label`; ties → lower index.
    fn nearest_other(&self, q: (f64, f64), label: u32, stack: &mut Vec<u32>) -> Option<(f64, u32)> {
        let mut best: Option<(f64, u32)> = None;
        stack.clear();
        if !self.nodes.is_empty() {
            stack.push(0);
        }
        while let Some(id) = stack.pop() {
            let nd = &self.nodes[id as usize];
            if nd.uniform == label {
                continue;
            }
            if let Some((bd, _)) = best
                && box_dist2(q, nd.lo, nd.hi) > bd
            {
                continue;
            }
            if nd.left == NONE {
                for &j in &self.order[nd.start as usize..nd.end as usize] {
                    if self.label[j as usize] == label {
                        continue;
                    }
                    let d = dist2(q, self.pts[j as usize]);
                    if best.is_none_or(|(bd, bj)| d < bd || (d == bd && j < bj)) {
                        best = Some((d, j));
                    }
                }
            } else {
                let (l, r) = (&self.nodes[nd.left as usize], &self.nodes[nd.right as usize]);
                // Push the farther child first so the nearer one is searched first.
                if box_dist2(q, l.lo, l.hi) <= box_dist2(q, r.lo, r.hi) {
                    stack.push(nd.right);
                    stack.push(nd.left);
                } else {
                    stack.push(nd.left);
                    stack.push(nd.right);
                }
            }
        }
        best
    }
}

/// `true` if the homes assigned to `patch` form one connected piece of `adj`
/// (vacuously true for a patch with no homes).
///
/// `homes` must be the slice `adj` was built from; `assignment[i]` is the patch of home `i`
/// (if `assignment` is shorter, the remaining homes use their own `patch` field).
/// Returns `false` if `homes` does not match `adj`.
pub fn is_contiguous(adj: &Adjacency, homes: &[Home], assignment: &[i64], patch: i64) -> bool {
    if homes.len() != adj.home_count() {
        return false;
    }
    let mut member = vec![false; adj.site_count()];
    let mut start = None;
    let mut count = 0usize;
    for (i, h) in homes.iter().enumerate() {
        let p = assignment.get(i).copied().unwrap_or(h.patch);
        let s = adj.home_site[i] as usize;
        if p == patch && !member[s] {
            member[s] = true;
            count += 1;
            start.get_or_insert(s);
        }
    }
    let Some(start) = start else { return true };
    let mut seen = vec![false; adj.site_count()];
    seen[start] = true;
    let mut reached = 1;
    let mut stack = vec![start];
    while let Some(a) = stack.pop() {
        for &b in adj.neighbours(a) {
            let b = b as usize;
            if member[b] && !seen[b] {
                seen[b] = true;
                reached += 1;
                stack.push(b);
            }
        }
    }
    reached == count
}

// ---------------------------------------------------------------------------------------------
// Territories
// ---------------------------------------------------------------------------------------------

/// Finest refinement of mixed cells: 2^4 = 16 × 16 sub-cells.
const MAX_REFINE: u32 = 4;
/// Refuse to allocate grids larger than this (returns no territories).
const MAX_GRID_CELLS: i64 = 1 << 26;

/// Territory rings per patch: `(patch id, rings)`, ascending patch id.
pub type Territories = Vec<(i64, Vec<Vec<(f64, f64)>>)>;

/// Territory shapes per patch (see the module docs for the claiming rule).
///
/// `assignment[i]` is the patch of home `i` (if shorter, a home's own `patch` is used), so
/// both today's patches and a [`Proposal`] can be drawn. Homes with non-finite coordinates
/// are ignored. Returns `(patch id, rings)` in ascending patch id; every ring is closed
/// (first point repeated), outer rings are counter-clockwise and holes clockwise. Regions of
/// different patches never overlap and together tile the claimed cells. Cost is
/// `O(grid cells + occupied cells · reach²)`; an absurdly fine grid (> 2^26 cells) yields
/// an empty result.
///
/// One function on purpose: its four stages (the grid's frame, occupied cells, claiming within
/// reach, refining mixed cells), marked by the comments below, share the frame's origin, size and
/// cell, and the sorted homes; split apart, each would take most of them as arguments.
pub fn territories(homes: &[Home], assignment: &[i64], cell: f64, reach: u32) -> Territories {
    let cell = sane_cell(cell);
    // (x, y, patch) of usable homes.
    let pts: Vec<(f64, f64, i64)> = homes
        .iter()
        .enumerate()
        .filter(|(_, h)| h.x.is_finite() && h.y.is_finite())
        .map(|(i, h)| (h.x, h.y, assignment.get(i).copied().unwrap_or(h.patch)))
        .collect();
    if pts.is_empty() {
        return Vec::new();
    }
    let mut ids: Vec<i64> = pts.iter().map(|p| p.2).collect();
    ids.sort_unstable();
    ids.dedup();
    let pidx = |p: i64| ids.binary_search(&p).map_or(NONE, |i| i as u32);

    // Grid: half a cell plus `reach` cells of margin around the bounding box.
    let r = reach.min(1 << 15) as i64;
    let (mut minx, mut miny, mut maxx, mut maxy) = (f64::INFINITY, f64::INFINITY, f64::NEG_INFINITY, f64::NEG_INFINITY);
    for &(x, y, _) in &pts {
        minx = minx.min(x);
        miny = miny.min(y);
        maxx = maxx.max(x);
        maxy = maxy.max(y);
    }
    let ox = minx - (r as f64 + 0.5) * cell;
    let oy = miny - (r as f64 + 0.5) * cell;
    let w = ((maxx - ox) / cell).floor() as i64 + r + 1;
    let h = ((maxy - oy) / cell).floor() as i64 + r + 1;
    if w <= 0 || h <= 0 || w.saturating_mul(h) > MAX_GRID_CELLS {
        return Vec::new();
    }
    let (wu, hu) = (w as usize, h as usize);
    let cell_xy = |x: f64, y: f64| -> (i64, i64) {
        (((x - ox) / cell).floor().clamp(0.0, (w - 1) as f64) as i64, ((y - oy) / cell).floor().clamp(0.0, (h - 1) as f64) as i64)
    };

    // Homes sorted by cell: (cell index, patch index, point index).
    let mut by_cell: Vec<(usize, u32, u32)> = pts
        .iter()
        .enumerate()
        .map(|(i, &(x, y, p))| {
            let (cx, cy) = cell_xy(x, y);
            (cy as usize * wu + cx as usize, pidx(p), i as u32)
        })
        .collect();
    by_cell.sort_unstable();

    // Occupied cells: (cell index, majority patch, mixed?, range in by_cell).
    struct Occupied {
        cell: usize,
        patch: u32,
        mixed: bool,
        range: (usize, usize),
    }
    let mut occupied = Vec::new();
    let mut i = 0;
    while i < by_cell.len() {
        let c = by_cell[i].0;
        let mut j = i;
        while j < by_cell.len() && by_cell[j].0 == c {
            j += 1;
        }
        let (patch, mixed) = majority(by_cell[i..j].iter().map(|e| e.1));
        occupied.push(Occupied { cell: c, patch, mixed, range: (i, j) });
        i = j;
    }

    // Claim cells within `reach` of an occupied cell (nearest wins, ties → lower cell index).
    let mut owner = vec![NONE; wu * hu];
    let mut best = vec![u64::MAX; wu * hu];
    for occ in &occupied {
        let (cx, cy) = ((occ.cell % wu) as i64, (occ.cell / wu) as i64);
        for dy in -r..=r {
            let ny = cy + dy;
            if ny < 0 || ny >= h {
                continue;
            }
            for dx in -r..=r {
                let nx = cx + dx;
                let d2 = (dx * dx + dy * dy) as u64;
                if nx < 0 || nx >= w || d2 > (r * r) as u64 {
                    continue;
                }
                let k = ny as usize * wu + nx as usize;
                if d2 < best[k] {
                    best[k] = d2;
                    owner[k] = occ.patch;
                }
            }
        }
    }

    // Refine mixed cells so every home's sub-cell belongs to its own patch.
    let mixed: Vec<&Occupied> = occupied.iter().filter(|o| o.mixed).collect();
    let fine_key = |x: f64, y: f64, c: usize, s: u32| -> (u32, u32) {
        let n = (1u32 << s) as f64;
        let (cx, cy) = ((c % wu) as f64, (c / wu) as f64);
        let fx = (((x - ox) / cell - cx) * n).floor().clamp(0.0, n - 1.0) as u32;
        let fy = (((y - oy) / cell - cy) * n).floor().clamp(0.0, n - 1.0) as u32;
        (fx, fy)
    };
    let mixed_at = |s: u32| -> usize {
        let mut count = 0;
        let mut keys = Vec::new();
        for occ in &mixed {
            keys.clear();
            keys.extend(by_cell[occ.range.0..occ.range.1].iter().map(|&(_, p, k)| {
                let (x, y, _) = pts[k as usize];
                (fine_key(x, y, occ.cell, s), p)
            }));
            keys.sort_unstable();
            count += keys.windows(2).filter(|w| w[0].0 == w[1].0 && w[0].1 != w[1].1).count();
        }
        count
    };
    let s = if mixed.is_empty() {
        0
    } else {
        let floor = mixed_at(MAX_REFINE);
        (0..=MAX_REFINE).find(|&s| mixed_at(s) == floor).unwrap_or(MAX_REFINE)
    };
    let n = 1i64 << s;
    let nn = (n * n) as usize;
    let mut slot = vec![NONE; if s > 0 { wu * hu } else { 0 }];
    let mut sub: Vec<u32> = Vec::new();
    if s > 0 {
        for occ in &mixed {
            slot[occ.cell] = (sub.len() / nn) as u32;
            let homes_here = &by_cell[occ.range.0..occ.range.1];
            let (cx, cy) = ((occ.cell % wu) as f64, (occ.cell / wu) as f64);
            for fy in 0..n {
                for fx in 0..n {
                    let inside = homes_here.iter().filter(|&&(_, _, k)| {
                        let (x, y, _) = pts[k as usize];
                        fine_key(x, y, occ.cell, s) == (fx as u32, fy as u32)
                    });
                    let (p, _) = majority(inside.map(|e| e.1));
                    let p = if p != NONE {
                        p
                    } else {
                        // Empty sub-cell: patch of the nearest home in this cell.
                        let centre = (ox + (cx + (fx as f64 + 0.5) / n as f64) * cell, oy + (cy + (fy as f64 + 0.5) / n as f64) * cell);
                        let mut bestp = (f64::INFINITY, NONE);
                        for &(_, p, k) in homes_here {
                            let (x, y, _) = pts[k as usize];
                            let d = dist2(centre, (x, y));
                            if d < bestp.0 {
                                bestp = (d, p);
                            }
                        }
                        bestp.1
                    };
                    sub.push(p);
                }
            }
        }
    }
    let grid = FineGrid { w, h, s, owner: &owner, slot: &slot, sub: &sub };
    let edges = grid.boundary_edges();
    let rings = link_rings(&edges);

    // Group by owner and convert to metres.
    let step = cell / n as f64;
    let mut out: BTreeMap<u32, Vec<Vec<(f64, f64)>>> = BTreeMap::new();
    for (o, ring) in rings {
        let mut pts: Vec<(f64, f64)> = ring.iter().map(|&(x, y)| (ox + x as f64 * step, oy + y as f64 * step)).collect();
        if let Some(&first) = pts.first() {
            pts.push(first);
        }
        out.entry(o).or_default().push(pts);
    }
    out.into_iter().filter_map(|(o, rings)| ids.get(o as usize).map(|&id| (id, rings))).collect()
}

/// Most frequent value (ties → smallest), and whether more than one value occurs.
/// Returns `(NONE, false)` for an empty iterator.
fn majority(values: impl Iterator<Item = u32>) -> (u32, bool) {
    let mut v: Vec<u32> = values.collect();
    v.sort_unstable();
    let mut best = (0usize, NONE);
    let mut i = 0;
    while i < v.len() {
        let mut j = i;
        while j < v.len() && v[j] == v[i] {
            j += 1;
        }
        if j - i > best.0 {
            best = (j - i, v[i]);
        }
        i = j;
    }
    let mixed = v.first() != v.last();
    (best.1, mixed)
}

/// Ownership at fine resolution: base cells, some refined into 2^s × 2^s sub-cells.
struct FineGrid<'a> {
    w: i64,
    h: i64,
    s: u32,
    owner: &'a [u32],
    slot: &'a [u32],
    sub: &'a [u32],
}

/// A directed boundary edge in fine units with its owner on the left.
type Edge = ((i64, i64), (i64, i64), u32);

/// An integer offset on the fine grid.
type Offset = (i64, i64);

/// Unit sides of fine cell (fx, fy): neighbour offset, then edge from/to offsets
/// (counter-clockwise around the cell).
const SIDES: [(Offset, Offset, Offset); 4] = [
    ((0, -1), (0, 0), (1, 0)), // bottom
    ((1, 0), (1, 0), (1, 1)),  // right
    ((0, 1), (1, 1), (0, 1)),  // top
    ((-1, 0), (0, 1), (0, 0)), // left
];

impl FineGrid<'_> {
    fn refined(&self, bx: i64, by: i64) -> u32 {
        if self.s == 0 || bx < 0 || by < 0 || bx >= self.w || by >= self.h { NONE } else { self.slot[(by * self.w + bx) as usize] }
    }

    fn base_owner(&self, bx: i64, by: i64) -> u32 {
        if bx < 0 || by < 0 || bx >= self.w || by >= self.h { NONE } else { self.owner[(by * self.w + bx) as usize] }
    }

    /// Owner of fine cell (fx, fy), `NONE` outside the grid or unclaimed.
    fn fine_owner(&self, fx: i64, fy: i64) -> u32 {
        let (bx, by) = (fx >> self.s, fy >> self.s);
        let sl = self.refined(bx, by);
        if sl == NONE {
            return self.base_owner(bx, by);
        }
        let n = 1i64 << self.s;
        let (ix, iy) = (fx & (n - 1), fy & (n - 1));
        self.sub[sl as usize * (n * n) as usize + (iy * n + ix) as usize]
    }

    /// All directed edges between cells of different owners, owner on the left.
    fn boundary_edges(&self) -> Vec<Edge> {
        let n = 1i64 << self.s;
        let mut edges = Vec::new();
        let unit_edges = |edges: &mut Vec<Edge>, fx: i64, fy: i64, o: u32, side: usize| {
            let ((dx, dy), a, b) = SIDES[side];
            if self.fine_owner(fx + dx, fy + dy) != o {
                edges.push(((fx + a.0, fy + a.1), (fx + b.0, fy + b.1), o));
            }
        };
        for by in 0..self.h {
            for bx in 0..self.w {
                let (x0, y0) = (bx * n, by * n);
                if self.refined(bx, by) != NONE {
                    for fy in y0..y0 + n {
                        for fx in x0..x0 + n {
                            let o = self.fine_owner(fx, fy);
                            for side in 0..4 {
                                unit_edges(&mut edges, fx, fy, o, side);
                            }
                        }
                    }
                    continue;
                }
                let o = self.base_owner(bx, by);
                if o == NONE {
                    continue;
                }
                for (side, &((dx, dy), a, b)) in SIDES.iter().enumerate() {
                    if self.refined(bx + dx, by + dy) != NONE {
                        // Fine cells of this cell along the side.
                        for k in 0..n {
                            let (fx, fy) = match side {
                                0 => (x0 + k, y0),
                                1 => (x0 + n - 1, y0 + k),
                                2 => (x0 + k, y0 + n - 1),
                                _ => (x0, y0 + k),
                            };
                            unit_edges(&mut edges, fx, fy, o, side);
                        }
                    } else if self.base_owner(bx + dx, by + dy) != o {
                        edges.push(((x0 + a.0 * n, y0 + a.1 * n), (x0 + b.0 * n, y0 + b.1 * n), o));
                    }
                }
            }
        }
        edges
    }
}

fn dir(a: (i64, i64), b: (i64, i64)) -> (i64, i64) {
    ((b.0 - a.0).signum(), (b.1 - a.1).signum())
}

/// Links directed edges into closed rings per owner (turning left at pinch vertices) and
/// removes collinear vertices. Rings are returned without the closing point.
fn link_rings(edges: &[Edge]) -> Vec<(u32, Vec<(i64, i64)>)> {
    let mut by_start: HashMap<((i64, i64), u32), Vec<u32>> = HashMap::new();
    for (i, e) in edges.iter().enumerate() {
        by_start.entry((e.0, e.2)).or_default().push(i as u32);
    }
    let mut used = vec![false; edges.len()];
    let mut rings = Vec::new();
    for first in 0..edges.len() {
        if used[first] {
            continue;
        }
        let (start, _, o) = edges[first];
        used[first] = true;
        let mut ring = vec![start];
        let mut cur = first;
        loop {
            let (a, b, _) = edges[cur];
            let d = dir(a, b);
            let turn_rank = |e: usize| -> u8 {
                let ed = dir(edges[e].0, edges[e].1);
                if ed == (-d.1, d.0) {
                    0 // left
                } else if ed == d {
                    1 // straight
                } else if ed == (d.1, -d.0) {
                    2 // right
                } else {
                    3 // back
                }
            };
            let mut next: Option<(u8, usize)> = None;
            let mut consider = |e: usize| {
                let rank = turn_rank(e);
                if next.is_none_or(|(r, _)| rank < r) {
                    next = Some((rank, e));
                }
            };
            if let Some(list) = by_start.get(&(b, o)) {
                for &e in list {
                    if !used[e as usize] || e as usize == first {
                        consider(e as usize);
                    }
                }
            }
            match next {
                Some((_, e)) if e != first => {
                    used[e] = true;
                    ring.push(b);
                    cur = e;
                }
                _ => break, // closed (or, impossibly, open: drop what we have as-is)
            }
        }
        let ring = simplify_ring(&ring);
        if ring.len() >= 4 {
            rings.push((o, ring));
        }
    }
    rings
}

/// Drops vertices whose incoming and outgoing directions agree (cyclic ring).
fn simplify_ring(ring: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let m = ring.len();
    (0..m)
        .filter(|&i| {
            let prev = ring[(i + m - 1) % m];
            let next = ring[(i + 1) % m];
            dir(prev, ring[i]) != dir(ring[i], next)
        })
        .map(|i| ring[i])
        .collect()
}

// ---------------------------------------------------------------------------------------------
// Balance
// ---------------------------------------------------------------------------------------------

/// Options for [`balance`].
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct BalanceOptions {
    /// Number of officers K (= number of patches wanted).
    pub officers: usize,
    /// Allowed relative deviation from the target, e.g. 0.05 = ±5 %.
    pub tolerance: f64,
    /// Time budget in milliseconds for the whole call.
    pub max_millis: u64,
}

/// A balance suggestion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Proposal {
    /// Proposed patch per home, same order as the input.
    pub assignment: Vec<i64>,
    /// Number of homes whose patch changed.
    pub moves: usize,
    /// `(patch id, total weight)` per proposed patch, ascending id.
    pub totals: Vec<(i64, u64)>,
    /// Target weight per patch = total weight / K.
    pub target: f64,
    /// Exactly K patches and every total within `target·(1 ± tolerance)`.
    pub within_tolerance: bool,
    /// Every proposed patch is contiguous in the adjacency.
    pub all_contiguous: bool,
}

/// Suggests K contiguous patches within tolerance of the target, moving few homes
/// (see the module docs for the algorithm).
///
/// `adj` must have been built from `homes` (the same slice, same order); otherwise the
/// current assignment is returned unchanged with `all_contiguous = false`.
/// With `officers == 0` the current assignment is returned unchanged.
pub fn balance(homes: &[Home], adj: &Adjacency, opts: &BalanceOptions) -> Proposal {
    let started = Instant::now();
    let deadline = started + Duration::from_millis(opts.max_millis);
    let k = opts.officers;
    let tol = if opts.tolerance.is_finite() && opts.tolerance > 0.0 { opts.tolerance } else { 0.0 };
    let total: u64 = homes.iter().map(|h| h.weight as u64).sum();
    let target = if k > 0 { total as f64 / k as f64 } else { 0.0 };
    let today: Vec<i64> = homes.iter().map(|h| h.patch).collect();
    if homes.is_empty() || k == 0 || adj.home_count() != homes.len() {
        let contiguous = adj.home_count() == homes.len() && {
            let mut ids = today.clone();
            ids.sort_unstable();
            ids.dedup();
            ids.iter().all(|&p| is_contiguous(adj, homes, &today, p))
        };
        return make_proposal(homes, today, target, tol, k, contiguous);
    }

    let units = Units::build(homes, adj);
    let mut ids: Vec<i64> = today.clone();
    ids.sort_unstable();
    ids.dedup();
    let start_assign: Vec<u32> = units.patch.iter().map(|p| ids.binary_search(p).map_or(0, |i| i as u32)).collect();
    let mut eng = Engine::new(&units, start_assign.clone(), ids.len());
    let mut next_id = ids.last().copied().unwrap_or(0).saturating_add(1);

    // 1. Merge.
    while eng.live_count() > k {
        let Some(d) = (0..eng.weight.len()).filter(|&p| !eng.members[p].is_empty()).min_by_key(|&p| (eng.weight[p], ids[p])) else {
            break;
        };
        if !eng.dissolve(d as u32) {
            break;
        }
    }
    // 2. Split.
    while eng.live_count() < k {
        let Some(hv) = (0..eng.weight.len()).filter(|&p| eng.members[p].len() >= 2).max_by_key(|&p| (eng.weight[p], Reverse(ids[p]))) else {
            break;
        };
        ids.push(next_id);
        next_id = next_id.saturating_add(1);
        let new = eng.add_patch();
        let amount = target.min(eng.weight[hv] as f64 / 2.0);
        eng.carve(hv as u32, new, amount);
    }
    // 3. Rebalance, then 4. undo moves that are not needed.
    eng.rebalance(target, tol, deadline);
    eng.revert_unneeded(&start_assign, target, tol, deadline);

    let contiguous = (0..eng.weight.len()).all(|p| eng.patch_connected(p as u32));
    let assignment: Vec<i64> = units.unit_of_home.iter().map(|&u| ids[eng.assign[u as usize] as usize]).collect();
    make_proposal(homes, assignment, target, tol, k, contiguous)
}

fn make_proposal(homes: &[Home], assignment: Vec<i64>, target: f64, tol: f64, k: usize, all_contiguous: bool) -> Proposal {
    let mut totals: BTreeMap<i64, u64> = BTreeMap::new();
    for (h, &p) in homes.iter().zip(&assignment) {
        *totals.entry(p).or_default() += h.weight as u64;
    }
    let moves = homes.iter().zip(&assignment).filter(|(h, p)| h.patch != **p).count();
    let (lo, hi) = (target * (1.0 - tol), target * (1.0 + tol));
    let within_tolerance = k > 0 && totals.len() == k && totals.values().all(|&w| w as f64 >= lo && w as f64 <= hi);
    Proposal { assignment, moves, totals: totals.into_iter().collect(), target, within_tolerance, all_contiguous }
}

/// Units: the homes of one site sharing today's patch, with their own adjacency graph.
struct Units {
    patch: Vec<i64>,
    weight: Vec<u64>,
    xy: Vec<(f64, f64)>,
    nbr_start: Vec<u32>,
    nbr: Vec<u32>,
    unit_of_home: Vec<u32>,
}

impl Units {
    fn build(homes: &[Home], adj: &Adjacency) -> Units {
        let mut patch = Vec::new();
        let mut weight = Vec::new();
        let mut xy = Vec::new();
        let mut unit_of_home = vec![0u32; homes.len()];
        let mut site_start = Vec::with_capacity(adj.site_count() + 1);
        for s in 0..adj.site_count() {
            let first = patch.len();
            site_start.push(first as u32);
            for &hi in adj.site_homes(s) {
                let h = &homes[hi as usize];
                let u = match patch[first..].iter().position(|&p| p == h.patch) {
                    Some(i) => first + i,
                    None => {
                        patch.push(h.patch);
                        weight.push(0);
                        xy.push(adj.site_xy[s]);
                        patch.len() - 1
                    }
                };
                weight[u] += h.weight as u64;
                unit_of_home[hi as usize] = u as u32;
            }
        }
        site_start.push(patch.len() as u32);
        let site_units = |s: usize| site_start[s]..site_start[s + 1];
        let mut pairs = Vec::new();
        for s in 0..adj.site_count() {
            for u in site_units(s) {
                pairs.extend(site_units(s).filter(|&v| v != u).map(|v| (u, v)));
                for &t in adj.neighbours(s) {
                    pairs.extend(site_units(t as usize).map(|v| (u, v)));
                }
            }
        }
        let (nbr_start, nbr) = csr(patch.len(), &pairs);
        Units { patch, weight, xy, nbr_start, nbr, unit_of_home }
    }

    fn len(&self) -> usize {
        self.patch.len()
    }

    fn nbrs(&self, u: u32) -> &[u32] {
        &self.nbr[self.nbr_start[u as usize] as usize..self.nbr_start[u as usize + 1] as usize]
    }
}

/// Mutable balancing state over units and patch indices.
struct Engine<'a> {
    units: &'a Units,
    /// Patch index per unit.
    assign: Vec<u32>,
    /// Total weight per patch index.
    weight: Vec<u64>,
    /// Units per patch index, with `pos[u]` the position of `u` in its list.
    members: Vec<Vec<u32>>,
    pos: Vec<u32>,
    /// Dense patch×patch count of unit edges across patches (only during rebalance).
    cross: Vec<u32>,
    cross_k: usize,
    /// Stamp-based scratch for graph searches.
    seen: Vec<u32>,
    target: Vec<u32>,
    stamp: u32,
    queue: Vec<u32>,
    /// Moves `(unit, previous patch)` recorded while `logging`, for undo.
    log: Vec<(u32, u32)>,
    logging: bool,
}

impl<'a> Engine<'a> {
    fn new(units: &'a Units, assign: Vec<u32>, patches: usize) -> Self {
        let mut members = vec![Vec::new(); patches];
        let mut weight = vec![0u64; patches];
        let mut pos = vec![0u32; units.len()];
        for (u, &p) in assign.iter().enumerate() {
            pos[u] = members[p as usize].len() as u32;
            members[p as usize].push(u as u32);
            weight[p as usize] += units.weight[u];
        }
        Engine {
            units,
            assign,
            weight,
            members,
            pos,
            cross: Vec::new(),
            cross_k: 0,
            seen: vec![0; units.len()],
            target: vec![0; units.len()],
            stamp: 0,
            queue: Vec::new(),
            log: Vec::new(),
            logging: false,
        }
    }

    fn live_count(&self) -> usize {
        self.members.iter().filter(|m| !m.is_empty()).count()
    }

    fn add_patch(&mut self) -> u32 {
        self.members.push(Vec::new());
        self.weight.push(0);
        (self.members.len() - 1) as u32
    }

    fn next_stamp(&mut self) -> u32 {
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.seen.fill(0);
            self.target.fill(0);
            self.stamp = 1;
        }
        self.stamp
    }

    fn move_unit(&mut self, u: u32, to: u32) {
        let from = self.assign[u as usize];
        if from == to {
            return;
        }
        let list = &mut self.members[from as usize];
        let p = self.pos[u as usize] as usize;
        list.swap_remove(p);
        if let Some(&moved) = list.get(p) {
            self.pos[moved as usize] = p as u32;
        }
        self.pos[u as usize] = self.members[to as usize].len() as u32;
        self.members[to as usize].push(u);
        let w = self.units.weight[u as usize];
        self.weight[from as usize] -= w;
        self.weight[to as usize] += w;
        if self.cross_k > 0 {
            let k = self.cross_k;
            let (f, t) = (from as usize, to as usize);
            for &v in self.units.nbrs(u) {
                let c = self.assign[v as usize] as usize;
                if c != f {
                    self.cross[f * k + c] -= 1;
                    self.cross[c * k + f] -= 1;
                }
                if c != t {
                    self.cross[t * k + c] += 1;
                    self.cross[c * k + t] += 1;
                }
            }
        }
        self.assign[u as usize] = to;
        if self.logging {
            self.log.push((u, from));
        }
    }

    /// Can `u` leave its patch without disconnecting (or emptying) it?
    /// BFS from one same-patch neighbour of `u` that stops once all of them are reached.
    fn can_remove(&mut self, u: u32) -> bool {
        let a = self.assign[u as usize];
        if self.members[a as usize].len() <= 1 {
            return false;
        }
        let s = self.next_stamp();
        let units = self.units;
        self.seen[u as usize] = s;
        let mut need = 0usize;
        let mut first = NONE;
        for &v in units.nbrs(u) {
            if self.assign[v as usize] == a && self.target[v as usize] != s {
                self.target[v as usize] = s;
                need += 1;
                if first == NONE {
                    first = v;
                }
            }
        }
        if need == 0 {
            return true; // `u` is a detached piece already; removing it cannot hurt
        }
        self.queue.clear();
        self.queue.push(first);
        self.seen[first as usize] = s;
        need -= 1;
        let mut head = 0;
        while head < self.queue.len() && need > 0 {
            let x = self.queue[head];
            head += 1;
            for &y in units.nbrs(x) {
                if self.assign[y as usize] == a && self.seen[y as usize] != s {
                    self.seen[y as usize] = s;
                    if self.target[y as usize] == s {
                        need -= 1;
                    }
                    self.queue.push(y);
                }
            }
        }
        need == 0
    }

    /// Connected components of patch `p`'s units: `(label per member, weight per label)`,
    /// members taken in ascending unit order.
    fn components(&mut self, p: u32) -> (Vec<(u32, u32)>, Vec<u64>) {
        let mut mem = self.members[p as usize].clone();
        mem.sort_unstable();
        let s = self.next_stamp();
        let units = self.units;
        let mut label_of: HashMap<u32, u32> = HashMap::new();
        let mut weights = Vec::new();
        for &m in &mem {
            if self.seen[m as usize] == s {
                continue;
            }
            let label = weights.len() as u32;
            weights.push(0u64);
            self.seen[m as usize] = s;
            self.queue.clear();
            self.queue.push(m);
            while let Some(x) = self.queue.pop() {
                label_of.insert(x, label);
                weights[label as usize] += units.weight[x as usize];
                for &y in units.nbrs(x) {
                    if self.assign[y as usize] == p && self.seen[y as usize] != s {
                        self.seen[y as usize] = s;
                        self.queue.push(y);
                    }
                }
            }
        }
        let labels = mem.iter().map(|&m| (m, label_of.get(&m).copied().unwrap_or(0))).collect();
        (labels, weights)
    }

    fn patch_connected(&mut self, p: u32) -> bool {
        self.components(p).1.len() <= 1
    }

    /// Dissolves patch `d` into its neighbours, the lightest claimant first.
    /// Returns `false` if some units could not be reached.
    fn dissolve(&mut self, d: u32) -> bool {
        let units = self.units;
        let mut mem = self.members[d as usize].clone();
        mem.sort_unstable();
        let mut heap: BinaryHeap<Reverse<(u64, u32, u32)>> = BinaryHeap::new();
        for &u in &mem {
            for &v in units.nbrs(u) {
                let c = self.assign[v as usize];
                if c != d {
                    heap.push(Reverse((self.weight[c as usize], u, c)));
                }
            }
        }
        while let Some(Reverse((w, u, c))) = heap.pop() {
            if self.assign[u as usize] != d {
                continue;
            }
            if w != self.weight[c as usize] {
                heap.push(Reverse((self.weight[c as usize], u, c)));
                continue;
            }
            self.move_unit(u, c);
            for &v in units.nbrs(u) {
                if self.assign[v as usize] == d {
                    heap.push(Reverse((self.weight[c as usize], v, c)));
                }
            }
        }
        self.members[d as usize].is_empty()
    }

    /// Moves a contiguous region of about `amount` weight from patch `h` to the empty patch
    /// `new`, grown from `h`'s far edge; keeps both contiguous.
    fn carve(&mut self, h: u32, new: u32, amount: f64) {
        let units = self.units;
        let mut mem = self.members[h as usize].clone();
        mem.sort_unstable();
        let wsum: f64 = mem.iter().map(|&u| units.weight[u as usize] as f64).sum::<f64>().max(1.0);
        let cx = mem.iter().map(|&u| units.xy[u as usize].0 * units.weight[u as usize] as f64).sum::<f64>() / wsum;
        let cy = mem.iter().map(|&u| units.xy[u as usize].1 * units.weight[u as usize] as f64).sum::<f64>() / wsum;
        let mut seed = mem[0];
        let mut far = -1.0;
        for &u in &mem {
            let d = dist2(units.xy[u as usize], (cx, cy));
            if d > far {
                far = d;
                seed = u;
            }
        }
        let sxy = units.xy[seed as usize];
        let s = self.next_stamp();
        let mut heap: BinaryHeap<Reverse<(u64, u32)>> = BinaryHeap::new();
        heap.push(Reverse((0, seed)));
        let mut region = Vec::new();
        let mut grown = 0.0;
        while let Some(Reverse((_, u))) = heap.pop() {
            if self.seen[u as usize] == s {
                continue;
            }
            let w = units.weight[u as usize] as f64;
            // Stop if adding `u` would overshoot by at least the current shortfall.
            if !region.is_empty() && grown + w - amount >= amount - grown {
                break;
            }
            self.seen[u as usize] = s;
            region.push(u);
            grown += w;
            if grown >= amount {
                break;
            }
            for &v in units.nbrs(u) {
                if self.assign[v as usize] == h && self.seen[v as usize] != s {
                    heap.push(Reverse((dist2(units.xy[v as usize], sxy).to_bits(), v)));
                }
            }
        }
        for &u in &region {
            self.move_unit(u, new);
        }
        // Pieces of the remainder cut off from its heaviest piece join the new patch.
        let (labels, weights) = self.components(h);
        if weights.len() > 1 {
            let mut keep = 0;
            for (i, &w) in weights.iter().enumerate() {
                if w > weights[keep] {
                    keep = i;
                }
            }
            for (u, l) in labels {
                if l as usize != keep {
                    self.move_unit(u, new);
                }
            }
        }
    }

    /// Moves boundary units until every live patch is within `target·(1 ± tol)`.
    ///
    /// Each step pushes weight along one path of the patch graph, then keeps the result only
    /// if it strictly improves `(Σ violation², Σ deviation²)`; otherwise it is undone and the
    /// offending patch-graph edge is blocked until the next accepted step. Strict improvement
    /// guarantees termination.
    fn rebalance(&mut self, target: f64, tol: f64, deadline: Instant) {
        let k = self.weight.len();
        let units = self.units;
        self.cross = vec![0; k * k];
        self.cross_k = k;
        for u in 0..units.len() as u32 {
            let a = self.assign[u as usize] as usize;
            for &v in units.nbrs(u) {
                let b = self.assign[v as usize] as usize;
                if a != b {
                    self.cross[a * k + b] += 1;
                }
            }
        }
        let band = Band {
            target,
            lo: target * (1.0 - tol),
            hi: target * (1.0 + tol),
            lo_in: target * (1.0 - tol / 2.0),
            hi_in: target * (1.0 + tol / 2.0),
            slack: target * tol / 2.0,
        };
        let live: Vec<bool> = self.members.iter().map(|m| !m.is_empty()).collect();
        let mut blocked = vec![false; k * k];
        let mut stuck = vec![false; k];
        let mut score = self.objective(&live, &band);
        let mut best: ((f64, f64), Vec<u32>) = ((f64::INFINITY, f64::INFINITY), Vec::new());
        let (mut kicks, max_kicks) = (0usize, 10 * k + 10);
        let mut kicked = vec![false; k * k];
        while score.0 > 0.0 {
            if Instant::now() >= deadline {
                break;
            }
            // The worst violator that is not known to be stuck.
            let mut worst: Option<(f64, usize)> = None;
            for p in (0..k).filter(|&p| live[p] && !stuck[p]) {
                let v = band.violation(self.weight[p] as f64);
                if v > 0.0 && worst.is_none_or(|(bv, _)| v > bv) {
                    worst = Some((v, p));
                }
            }
            let Some((_, p)) = worst else {
                // Every violator is stuck in a local optimum: remember the best state and
                // "kick" (a forced, possibly worsening transfer), at most `max_kicks` times.
                if score < best.0 {
                    best = (score, self.assign.clone());
                    kicked.fill(false); // progress since the last kicks: all may be retried
                }
                if kicks >= max_kicks || !self.kick(&live, &band, &mut kicked) {
                    break;
                }
                kicks += 1;
                score = self.objective(&live, &band);
                blocked.fill(false);
                stuck.fill(false);
                continue;
            };
            let over = self.weight[p] as f64 > band.hi;
            let wp = self.weight[p] as f64;
            let need = if over { wp - band.hi_in } else { band.lo_in - wp };
            let Some(path) = self.find_path(p, over, need, &live, &blocked, &band) else {
                stuck[p] = true;
                continue;
            };
            // `path` runs donor → … → receiver.
            let (donor, receiver) = (path[0], path[path.len() - 1]);
            let (wd, wr) = (self.weight[donor] as f64, self.weight[receiver] as f64);
            // Bring the violator to the inner band; the other end may go as far as the inner band.
            let amount = if over { (wd - band.hi_in).min(band.hi_in - wr) } else { (band.lo_in - wr).min(wd - band.lo_in) };
            let before: Vec<f64> = path.iter().map(|&q| self.weight[q] as f64).collect();
            // Try the push hop by hop from either end, with the full and half amount; keep the
            // first variant that improves the objective.
            let mut block = None;
            let mut accepted = false;
            for (variant, (amt, backward)) in [(amount, false), (amount, true), (amount / 2.0, false), (amount / 2.0, true)].into_iter().enumerate() {
                self.log.clear();
                self.logging = true;
                let failed = self.push_along(&path, amt, &band, backward);
                self.logging = false;
                let new_score = self.objective(&live, &band);
                if new_score.0 < score.0 || (new_score.0 == score.0 && new_score.1 < score.1) {
                    score = new_score;
                    accepted = true;
                    break;
                }
                if variant == 0 {
                    // The edge to block if no variant works: the one that could not move
                    // anything, else the first hop that made one of its ends worse.
                    let worse = |i: usize| band.violation(self.weight[path[i]] as f64) > band.violation(before[i]);
                    block = Some(failed.unwrap_or_else(|| {
                        let i = (0..path.len() - 1).find(|&i| worse(i) || worse(i + 1)).unwrap_or(0);
                        (path[i], path[i + 1])
                    }));
                }
                while let Some((u, from)) = self.log.pop() {
                    self.move_unit(u, from);
                }
            }
            if accepted {
                blocked.fill(false);
                stuck.fill(false);
            } else if let Some((a, b)) = block {
                blocked[a * k + b] = true;
            }
        }
        if best.0 < score {
            // Return to the best state seen before a kick.
            for (u, &p) in best.1.iter().enumerate() {
                self.move_unit(u as u32, p);
            }
        }
        self.cross_k = 0;
        self.cross = Vec::new();
    }

    /// Forced transfer for the worst violator that still has an untried neighbour: an
    /// overweight patch gives `need` to its lightest neighbour, an underweight one takes it
    /// from its heaviest, accepting a lump of up to half the target. Returns `false` if no
    /// kick is possible.
    fn kick(&mut self, live: &[bool], band: &Band, kicked: &mut [bool]) -> bool {
        let k = self.cross_k;
        let mut order: Vec<(f64, usize)> = (0..k).filter(|&p| live[p]).map(|p| (band.violation(self.weight[p] as f64), p)).filter(|&(v, _)| v > 0.0).collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, p) in order {
            let wp = self.weight[p] as f64;
            let over = wp > band.hi;
            let need = if over { wp - band.hi_in } else { band.lo_in - wp };
            let partner = (0..k)
                .filter(|&q| live[q] && self.cross[p * k + q] > 0 && !kicked[p * k + q])
                .min_by_key(|&q| if over { (self.weight[q], q) } else { (u64::MAX - self.weight[q], q) });
            let Some(q) = partner else { continue };
            kicked[p * k + q] = true;
            let (a, b) = if over { (p, q) } else { (q, p) };
            if self.transfer(a as u32, b as u32, need, band.slack, Some(band.target * 0.75)) > 0 {
                return true;
            }
        }
        false
    }

    /// Moves units back to their original patch where that keeps both patches contiguous and
    /// does not increase either patch's violation of the band (repeated until nothing changes).
    fn revert_unneeded(&mut self, original: &[u32], target: f64, tol: f64, deadline: Instant) {
        let units = self.units;
        let (lo, hi) = (target * (1.0 - tol), target * (1.0 + tol));
        let violation = |w: f64| {
            if w > hi {
                w - hi
            } else if w < lo {
                lo - w
            } else {
                0.0
            }
        };
        for _pass in 0..10 {
            let mut changed = false;
            for u in 0..units.len() as u32 {
                let (cur, orig) = (self.assign[u as usize], original[u as usize]);
                if cur == orig || self.members[orig as usize].is_empty() || Instant::now() >= deadline {
                    continue;
                }
                let w = units.weight[u as usize] as f64;
                let (wc, wo) = (self.weight[cur as usize] as f64, self.weight[orig as usize] as f64);
                if violation(wc - w) > violation(wc) || violation(wo + w) > violation(wo) {
                    continue;
                }
                if !units.nbrs(u).iter().any(|&v| self.assign[v as usize] == orig) || !self.can_remove(u) {
                    continue;
                }
                self.move_unit(u, orig);
                changed = true;
            }
            if !changed {
                break;
            }
        }
    }

    /// `(Σ violation², Σ deviation²)` over live patches.
    fn objective(&self, live: &[bool], band: &Band) -> (f64, f64) {
        let mut out = (0.0, 0.0);
        for p in (0..self.weight.len()).filter(|&p| live[p]) {
            let w = self.weight[p] as f64;
            let v = band.violation(w);
            out.0 += v * v;
            out.1 += (w - band.target) * (w - band.target);
        }
        out
    }

    /// Breadth-first search over the patch graph from `p` for a partner on the other side of
    /// the target: the nearest one whose room (distance to the inner band edge) covers
    /// `min(need, band width)`, else the roomiest one found. Returns the path in flow order,
    /// donor first.
    fn find_path(&self, p: usize, over: bool, need: f64, live: &[bool], blocked: &[bool], band: &Band) -> Option<Vec<usize>> {
        let k = self.cross_k;
        let mut parent = vec![NONE; k];
        parent[p] = p as u32;
        let mut frontier = vec![p];
        let enough = need.min(band.hi_in - band.lo_in);
        let mut best: Option<(f64, usize)> = None;
        while !frontier.is_empty() {
            let mut next = Vec::new();
            for &x in &frontier {
                for y in 0..k {
                    // Flow goes x → y when `over`, y → x otherwise.
                    let flow_blocked = if over { blocked[x * k + y] } else { blocked[y * k + x] };
                    if live[y] && parent[y] == NONE && self.cross[x * k + y] > 0 && !flow_blocked {
                        parent[y] = x as u32;
                        next.push(y);
                    }
                }
            }
            let mut level_best: Option<(f64, usize)> = None;
            for &q in &next {
                let w = self.weight[q] as f64;
                let (other_side, room) = if over { (w < band.target, band.hi_in - w) } else { (w > band.target, w - band.lo_in) };
                if other_side && level_best.is_none_or(|(r, _)| room > r) {
                    level_best = Some((room, q));
                }
            }
            if let Some((room, q)) = level_best {
                if best.is_none_or(|(r, _)| room > r) {
                    best = Some((room, q));
                }
                if room >= enough {
                    best = Some((room, q));
                    break;
                }
            }
            frontier = next;
        }
        let (_, q) = best?;
        let mut path = vec![q];
        let mut x = q;
        while x != p {
            x = parent[x] as usize;
            path.push(x);
        }
        if over {
            path.reverse();
        }
        Some(path)
    }

    /// Pushes `amount` along `path` (donor first). The hop touching the violator goes first
    /// (`from_receiver` = the violator is the receiver, so hops run backwards), and each further
    /// hop passes on exactly what the previous one left over or took, so lumpiness drifts
    /// away from the violator. Returns the first edge that could not move anything, if any.
    fn push_along(&mut self, path: &[usize], amount: f64, band: &Band, from_receiver: bool) -> Option<(usize, usize)> {
        let before: Vec<f64> = path.iter().map(|&p| self.weight[p] as f64).collect();
        let hops = path.len() - 1;
        for step in 0..hops {
            let i = if from_receiver { hops - 1 - step } else { step };
            let amt = if step == 0 {
                amount
            } else if from_receiver {
                before[i + 1] - self.weight[path[i + 1]] as f64 // what path[i+1] gave away
            } else {
                self.weight[path[i]] as f64 - before[i] // what path[i] received
            };
            if amt <= 0.0 {
                break;
            }
            if self.transfer(path[i] as u32, path[i + 1] as u32, amt, band.slack, None) == 0 {
                return Some((path[i], path[i + 1]));
            }
        }
        None
    }

    /// Moves boundary units from `a` to the adjacent `b` until about `amount` weight has moved
    /// (overshooting by at most `slack`), keeping `a` contiguous. Returns the weight moved.
    ///
    /// A unit whose removal would cut `a` apart (an articulation point, e.g. on a thin tendril)
    /// can still move if it takes the cut-off pieces with it (all but `a`'s heaviest piece),
    /// provided the whole group fits the amount. If nothing fits, one lump of up to
    /// `lump_cap` (default: about twice the request) may be moved.
    fn transfer(&mut self, a: u32, b: u32, amount: f64, slack: f64, lump_cap: Option<f64>) -> u64 {
        let units = self.units;
        let mut remaining = amount;
        let mut moved = 0u64;
        let mut cands: Vec<(i64, u32)> = Vec::new();
        while remaining > 0.0 {
            cands.clear();
            for &u in &self.members[a as usize] {
                let (mut in_b, mut in_a) = (0i64, 0i64);
                for &v in units.nbrs(u) {
                    let c = self.assign[v as usize];
                    if c == b {
                        in_b += 1;
                    } else if c == a {
                        in_a += 1;
                    }
                }
                if in_b > 0 {
                    cands.push((in_a - in_b, u));
                }
            }
            cands.sort_unstable();
            // 1. The most compact single unit that fits without overshooting.
            let single = cands.iter().map(|&(_, u)| u).filter(|&u| units.weight[u as usize] as f64 <= remaining).find(|&u| self.can_remove(u));
            let group = match single {
                Some(u) => vec![u],
                None => {
                    // 2. Otherwise look at every movable group (a unit, with the pieces it would
                    //    cut off if it is an articulation point): the most compact group that
                    //    fits, else the lightest within the slack, else, as the first move of
                    //    this hop on a narrow contact, the lightest up to about twice the
                    //    request (the caller judges the result).
                    let groups = self.movable_groups(&cands);
                    let fit = groups.iter().find(|g| g.0 as f64 <= remaining);
                    let lightest = groups.iter().min_by_key(|g| g.0);
                    let chosen = match (fit, lightest) {
                        (Some(g), _) => Some(g),
                        (None, Some(g)) if g.0 as f64 <= remaining + slack => Some(g),
                        (None, Some(g)) if moved == 0 && g.0 as f64 <= lump_cap.unwrap_or(2.0 * (remaining + 2.0 * slack)) => Some(g),
                        _ => None,
                    };
                    match chosen {
                        Some((_, g)) => g.clone(),
                        None => break,
                    }
                }
            };
            for g in group {
                self.move_unit(g, b);
                remaining -= units.weight[g as usize] as f64;
                moved += units.weight[g as usize];
            }
        }
        moved
    }

    /// For each candidate (in the given order) the group that can move with it — the unit
    /// alone if removable, else the unit with the pieces it would cut off — with its weight;
    /// groups that would empty the patch are skipped.
    fn movable_groups(&mut self, cands: &[(i64, u32)]) -> Vec<(u64, Vec<u32>)> {
        let units = self.units;
        let mut out = Vec::new();
        for &(_, u) in cands {
            let a = self.assign[u as usize];
            let group = if self.can_remove(u) { vec![u] } else { self.with_cut_pieces(u) };
            if group.len() < self.members[a as usize].len() {
                out.push((group.iter().map(|&g| units.weight[g as usize]).sum(), group));
            }
        }
        out
    }

    /// `u` plus every piece of its patch that removing `u` would cut off from the patch's
    /// heaviest remaining piece.
    fn with_cut_pieces(&mut self, u: u32) -> Vec<u32> {
        let units = self.units;
        let a = self.assign[u as usize];
        let s = self.next_stamp();
        self.seen[u as usize] = s;
        let mut pieces: Vec<(u64, Vec<u32>)> = Vec::new();
        for &v in units.nbrs(u) {
            if self.assign[v as usize] != a || self.seen[v as usize] == s {
                continue;
            }
            self.seen[v as usize] = s;
            let mut piece = vec![v];
            let mut weight = 0u64;
            let mut head = 0;
            while head < piece.len() {
                let x = piece[head];
                head += 1;
                weight += units.weight[x as usize];
                for &y in units.nbrs(x) {
                    if self.assign[y as usize] == a && self.seen[y as usize] != s {
                        self.seen[y as usize] = s;
                        piece.push(y);
                    }
                }
            }
            pieces.push((weight, piece));
        }
        let keep = (0..pieces.len()).max_by_key(|&i| (pieces[i].0, Reverse(i)));
        let mut group = vec![u];
        for (i, (_, piece)) in pieces.into_iter().enumerate() {
            if Some(i) != keep {
                group.extend(piece);
            }
        }
        group
    }
}

/// Tolerance band around the target: `[lo, hi]` must be met, moves aim for the inner half
/// `[lo_in, hi_in]`, and may overshoot what was asked by up to `slack`.
struct Band {
    target: f64,
    lo: f64,
    hi: f64,
    lo_in: f64,
    hi_in: f64,
    slack: f64,
}

impl Band {
    /// Distance of weight `w` outside `[lo, hi]` (0 inside).
    fn violation(&self, w: f64) -> f64 {
        if w > self.hi {
            w - self.hi
        } else if w < self.lo {
            self.lo - w
        } else {
            0.0
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Tests
// ---------------------------------------------------------------------------------------------

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// xorshift64* — tiny deterministic RNG for synthetic councils.
    struct Rng(u64);

    impl Rng {
        fn new(seed: u64) -> Self {
            Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
        }
        fn next_u64(&mut self) -> u64 {
            let mut x = self.0;
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            self.0 = x;
            x.wrapping_mul(0x2545_F491_4F6C_DD1D)
        }
        fn f64(&mut self) -> f64 {
            (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
        }
        /// Uniform integer in `lo..=hi`.
        fn range(&mut self, lo: u64, hi: u64) -> u64 {
            lo + self.next_u64() % (hi - lo + 1)
        }
    }

    /// A synthetic council: estates (discs of radius 150–250 m on an 800 m jittered grid, so
    /// there are 200 m+ gaps between them) of buildings with 1 home (70 %), 2–6 (20 %) or
    /// 7–40 (10 %) homes at one coordinate; weights 10–40. Today's patches are a
    /// `cols × rows` grid of stripes with random, unequal widths (0.6–1.4 of the mean), ids from 100.
    fn council(seed: u64, n_homes: usize, cols: usize, rows: usize) -> Vec<Home> {
        let mut rng = Rng::new(seed);
        let estates = (n_homes / 500).max(3);
        let g = (estates as f64).sqrt().ceil() as usize;
        let mut homes = Vec::with_capacity(n_homes);
        let mut id = 0i64;
        for e in 0..estates {
            let cx = (e % g) as f64 * 800.0 + rng.f64() * 100.0 - 50.0 + 400_000.0;
            let cy = (e / g) as f64 * 800.0 + rng.f64() * 100.0 - 50.0 + 200_000.0;
            let radius = 150.0 + rng.f64() * 100.0;
            let quota = n_homes * (e + 1) / estates - n_homes * e / estates;
            let mut placed = 0;
            while placed < quota {
                let r = rng.f64();
                let size = if r < 0.7 {
                    1
                } else if r < 0.9 {
                    rng.range(2, 6)
                } else {
                    rng.range(7, 40)
                };
                let size = (size as usize).min(quota - placed);
                let rad = radius * rng.f64().sqrt();
                let ang = rng.f64() * std::f64::consts::TAU;
                let (x, y) = (cx + rad * ang.cos(), cy + rad * ang.sin());
                for _ in 0..size {
                    let weight = 10 + if rng.f64() < 0.35 { rng.range(1, 30) as u32 } else { 0 };
                    homes.push(Home { id, x, y, patch: 0, weight });
                    id += 1;
                }
                placed += size;
            }
        }
        // Unequal stripes in both directions.
        let cuts = |rng: &mut Rng, n: usize, lo: f64, hi: f64| -> Vec<f64> {
            let f: Vec<f64> = (0..n).map(|_| 0.6 + 0.8 * rng.f64()).collect();
            let sum: f64 = f.iter().sum();
            let mut acc = lo;
            f.iter()
                .map(|w| {
                    acc += w / sum * (hi - lo);
                    acc
                })
                .collect()
        };
        let (minx, maxx) = homes.iter().fold((f64::MAX, f64::MIN), |a, h| (a.0.min(h.x), a.1.max(h.x)));
        let (miny, maxy) = homes.iter().fold((f64::MAX, f64::MIN), |a, h| (a.0.min(h.y), a.1.max(h.y)));
        let xc = cuts(&mut rng, cols, minx, maxx);
        let yc = cuts(&mut rng, rows, miny, maxy);
        for h in &mut homes {
            let c = xc.iter().position(|&c| h.x <= c).unwrap_or(cols - 1);
            let r = yc.iter().position(|&c| h.y <= c).unwrap_or(rows - 1);
            h.patch = 100 + (r * cols + c) as i64;
        }
        homes
    }

    const CELL: f64 = 50.0;

    /// Checks every promise of a proposal; returns a description of the first broken one.
    fn check(homes: &[Home], adj: &Adjacency, opts: &BalanceOptions, p: &Proposal) {
        assert_eq!(p.assignment.len(), homes.len());
        let moved = homes.iter().zip(&p.assignment).filter(|(h, a)| h.patch != **a).count();
        assert_eq!(p.moves, moved, "moves reported wrongly");
        let ids: HashSet<i64> = p.assignment.iter().copied().collect();
        assert_eq!(ids.len(), opts.officers, "distinct patches != K");
        for &id in &ids {
            assert!(is_contiguous(adj, homes, &p.assignment, id), "patch {id} not contiguous");
        }
        assert!(p.all_contiguous);
        let total: u64 = homes.iter().map(|h| h.weight as u64).sum();
        assert!((p.target - total as f64 / opts.officers as f64).abs() < 1e-6);
        let mut totals: BTreeMap<i64, u64> = BTreeMap::new();
        for (h, &a) in homes.iter().zip(&p.assignment) {
            *totals.entry(a).or_default() += h.weight as u64;
        }
        assert_eq!(p.totals, totals.into_iter().collect::<Vec<_>>());
        for &(id, w) in &p.totals {
            let dev = (w as f64 - p.target) / p.target;
            assert!(dev.abs() <= opts.tolerance, "patch {id}: deviation {dev:.4} beyond {}", opts.tolerance);
        }
        assert!(p.within_tolerance);
        // Buildings never split.
        let mut building: HashMap<(u64, u64), i64> = HashMap::new();
        for (h, &a) in homes.iter().zip(&p.assignment) {
            let prev = *building.entry(coord_key(h.x, h.y)).or_insert(a);
            assert_eq!(prev, a, "building at ({}, {}) split", h.x, h.y);
        }
        // New ids are max + 1, + 2, …
        let max_old = homes.iter().map(|h| h.patch).max().unwrap();
        let old: HashSet<i64> = homes.iter().map(|h| h.patch).collect();
        let mut new: Vec<i64> = ids.iter().copied().filter(|i| !old.contains(i)).collect();
        new.sort();
        assert_eq!(new, (1..=new.len() as i64).map(|i| max_old + i).collect::<Vec<_>>());
    }

    fn opts(officers: usize, tolerance: f64) -> BalanceOptions {
        BalanceOptions { officers, tolerance, max_millis: 20_000 }
    }

    /// Fraction of the total weight that must leave overweight patches (a lower bound on
    /// the fraction of homes moved, for homes of average weight).
    fn lower_bound(homes: &[Home], o: &BalanceOptions) -> f64 {
        let mut w: HashMap<i64, f64> = HashMap::new();
        for h in homes {
            *w.entry(h.patch).or_default() += h.weight as f64;
        }
        let total: f64 = w.values().sum();
        let hi = total / o.officers as f64 * (1.0 + o.tolerance);
        w.values().map(|&x| (x - hi).max(0.0)).sum::<f64>() / total
    }

    /// Moves must stay within 2.5× the direct lower bound (weight that has to leave
    /// overweight patches; flows between non-adjacent patches need several hops, so it is not
    /// tight), below 40 % of homes when that bound is under 15 %, and below 60 % always.
    fn assert_few_moves(homes: &[Home], o: &BalanceOptions, p: &Proposal) {
        let n = homes.len() as f64;
        let lb = lower_bound(homes, o);
        let bound = lb * n;
        assert!((p.moves as f64) < 0.6 * n, "too many moves: {} of {n}", p.moves);
        if lb < 0.15 {
            assert!((p.moves as f64) < 0.4 * n, "too many moves: {} of {n}", p.moves);
        }
        assert!(p.moves as f64 <= 2.5 * bound + 0.01 * n, "moves {} vs lower bound {bound:.0}", p.moves);
    }

    fn distinct_patches(homes: &[Home]) -> usize {
        homes.iter().map(|h| h.patch).collect::<HashSet<_>>().len()
    }

    #[test]
    fn adjacency_bridges_gap_between_estates() {
        // Two rows of houses 1 km apart; 50 m cells connect houses 20 m apart in a row.
        let mut homes = Vec::new();
        for i in 0..10 {
            homes.push(Home { id: i, x: i as f64 * 20.0, y: 0.0, patch: 1, weight: 10 });
            homes.push(Home { id: 100 + i, x: 1180.0 + i as f64 * 20.0, y: 5.0, patch: 1, weight: 10 });
        }
        let adj = Adjacency::build(&homes, 50.0);
        assert_eq!(adj.component_count(), 1);
        let b = adj.bridges();
        assert_eq!(b.len(), 1, "exactly one bridge expected: {b:?}");
        // The bridge joins the two facing ends (180,0) and (1180,5).
        let ((ax, _), (bx, _)) = b[0];
        let mut xs = [ax, bx];
        xs.sort_by(f64::total_cmp);
        assert_eq!(xs, [180.0, 1180.0]);
        assert!(is_contiguous(&adj, &homes, &[], 1));
        // The bridge ends at x = 180: a patch made of the west end of the first row and the
        // whole far row is not contiguous (its pieces only meet through the other patch).
        let assignment: Vec<i64> = homes.iter().map(|h| if h.x > 50.0 && h.x < 1000.0 { 2 } else { 1 }).collect();
        assert!(!is_contiguous(&adj, &homes, &assignment, 1));
        assert!(is_contiguous(&adj, &homes, &assignment, 2));
    }

    #[test]
    fn patch_split_by_other_patch_is_bridged() {
        // Patch 1: houses at x = 0..100 and 400..500; patch 2 in between (200..300);
        // the area is connected, but patch 1 only through patch 2 → patch bridge.
        let mut homes = Vec::new();
        for (id, x) in (0..=500).step_by(20).enumerate() {
            let patch = if (160..=340).contains(&x) { 2 } else { 1 };
            homes.push(Home { id: id as i64, x: x as f64, y: 0.0, patch, weight: 10 });
        }
        let adj = Adjacency::build(&homes, 25.0);
        assert!(is_contiguous(&adj, &homes, &[], 1));
        assert!(is_contiguous(&adj, &homes, &[], 2));
        assert_eq!(adj.bridges().len(), 1);
        // A patch that is split in a way the adjacency does not know about is detected.
        let assignment: Vec<i64> = homes.iter().map(|h| if h.x < 250.0 || h.x > 450.0 { 3 } else { 4 }).collect();
        assert!(!is_contiguous(&adj, &homes, &assignment, 3));
        assert!(is_contiguous(&adj, &homes, &assignment, 4));
    }

    #[test]
    fn generated_councils_are_unbalanced_and_bridged() {
        let homes = council(1, 2_000, 4, 2);
        let adj = Adjacency::build(&homes, CELL);
        assert_eq!(adj.component_count(), 1);
        assert!(!adj.bridges().is_empty(), "estates are separated by gaps");
        let ids: HashSet<i64> = homes.iter().map(|h| h.patch).collect();
        for &id in &ids {
            assert!(is_contiguous(&adj, &homes, &[], id), "today's patch {id} should be bridged");
        }
        // The start is far from balanced (otherwise the balance tests prove nothing).
        let total: u64 = homes.iter().map(|h| h.weight as u64).sum();
        let target = total as f64 / ids.len() as f64;
        let worst = ids
            .iter()
            .map(|&id| homes.iter().filter(|h| h.patch == id).map(|h| h.weight as f64).sum::<f64>())
            .map(|w| (w / target - 1.0).abs())
            .fold(0.0, f64::max);
        assert!(worst > 0.25, "worst start deviation only {worst}");
    }

    fn run_balance(seeds: &[u64], n: usize, cols: usize, rows: usize, tols: &[f64]) {
        for &seed in seeds {
            let homes = council(seed, n, cols, rows);
            let adj = Adjacency::build(&homes, CELL);
            for &tol in tols {
                let o = opts(cols * rows, tol);
                let t = Instant::now();
                let p = balance(&homes, &adj, &o);
                eprintln!(
                    "seed {seed} n {n} K {} tol {tol}: start patches {}, lower bound {:.1}%, moves {} ({:.1}%), {:?}",
                    o.officers,
                    distinct_patches(&homes),
                    100.0 * lower_bound(&homes, &o),
                    p.moves,
                    100.0 * p.moves as f64 / n as f64,
                    t.elapsed()
                );
                check(&homes, &adj, &o, &p);
                assert_few_moves(&homes, &o, &p);
            }
        }
    }

    #[test]
    fn balance_2000_homes_8_patches() {
        run_balance(&[1, 2, 3, 4], 2_000, 4, 2, &[0.05, 0.10]);
    }

    #[test]
    fn balance_10000_homes_35_patches() {
        run_balance(&[5, 6], 10_000, 7, 5, &[0.05, 0.10]);
    }

    #[test]
    #[cfg_attr(debug_assertions, ignore = "slow without optimisation; run with --release")]
    fn balance_25000_homes_90_patches_timed() {
        for seed in [7, 8] {
            let homes = council(seed, 25_000, 10, 9);
            let t = Instant::now();
            let adj = Adjacency::build(&homes, CELL);
            let t_adj = t.elapsed();
            for tol in [0.05, 0.10] {
                let o = opts(90, tol);
                let t = Instant::now();
                let p = balance(&homes, &adj, &o);
                let t_bal = t.elapsed();
                let t = Instant::now();
                let terr = territories(&homes, &p.assignment, CELL, 2);
                let t_terr = t.elapsed();
                eprintln!(
                    "TIMING seed {seed} 25k/90 tol {tol}: adjacency {t_adj:?}, balance {t_bal:?}, territories {t_terr:?}; \
                     start patches {}, lower bound {:.1}%, moves {} ({:.1}%), sites {}, bridges {}",
                    distinct_patches(&homes),
                    100.0 * lower_bound(&homes, &o),
                    p.moves,
                    100.0 * p.moves as f64 / homes.len() as f64,
                    adj.site_count(),
                    adj.bridges().len()
                );
                check(&homes, &adj, &o, &p);
                assert_few_moves(&homes, &o, &p);
                assert_eq!(terr.len(), 90);
                assert!(t_bal.as_secs_f64() < 6.0, "balance took {t_bal:?}");
            }
        }
    }

    #[test]
    #[cfg_attr(debug_assertions, ignore = "slow without optimisation; run with --release")]
    fn whole_council_60000_homes_timed() {
        let homes = council(9, 60_000, 15, 14);
        let t = Instant::now();
        let adj = Adjacency::build(&homes, CELL);
        let t_adj = t.elapsed();
        let today: Vec<i64> = homes.iter().map(|h| h.patch).collect();
        let t = Instant::now();
        let terr = territories(&homes, &today, CELL, 2);
        let t_terr = t.elapsed();
        eprintln!("TIMING 60k council: adjacency {t_adj:?}, territories {t_terr:?} ({} patches)", terr.len());
        assert_eq!(adj.component_count(), 1);
        assert_eq!(terr.len(), distinct_patches(&homes));
    }

    #[test]
    fn balanced_start_needs_zero_moves() {
        let homes = council(11, 2_000, 4, 2);
        let adj = Adjacency::build(&homes, CELL);
        let p = balance(&homes, &adj, &opts(8, 0.05));
        check(&homes, &adj, &opts(8, 0.05), &p);
        assert!(p.moves > 0);
        // Take the proposal as today's patches: nothing should move, at 5 % or 10 %.
        let mut rebalanced = homes.clone();
        for (h, &a) in rebalanced.iter_mut().zip(&p.assignment) {
            h.patch = a;
        }
        let adj2 = Adjacency::build(&rebalanced, CELL);
        for tol in [0.05, 0.10] {
            let p2 = balance(&rebalanced, &adj2, &opts(8, tol));
            assert_eq!(p2.moves, 0);
            assert_eq!(p2.assignment, p.assignment);
            assert!(p2.within_tolerance && p2.all_contiguous);
        }
        // Moving only slightly beyond tolerance needs only a few moves.
        let p3 = balance(&rebalanced, &adj2, &opts(8, 0.01));
        check(&rebalanced, &adj2, &opts(8, 0.01), &p3);
        assert!(p3.moves < 200, "tightening 5% → 1% moved {} homes", p3.moves);
    }

    #[test]
    fn fewer_officers_merges() {
        for seed in [21, 22] {
            let homes = council(seed, 2_000, 4, 2);
            let adj = Adjacency::build(&homes, CELL);
            for k in [1, 3, 6] {
                let o = opts(k, 0.05);
                let p = balance(&homes, &adj, &o);
                check(&homes, &adj, &o, &p);
                // No new ids when merging.
                let old: HashSet<i64> = homes.iter().map(|h| h.patch).collect();
                assert!(p.assignment.iter().all(|a| old.contains(a)));
            }
        }
    }

    #[test]
    fn more_officers_splits() {
        for seed in [31, 32] {
            let homes = council(seed, 2_000, 4, 2);
            let adj = Adjacency::build(&homes, CELL);
            for k in [9, 12, 20] {
                let o = opts(k, 0.05);
                let p = balance(&homes, &adj, &o);
                check(&homes, &adj, &o, &p);
            }
        }
        // From a single patch to eight.
        let mut homes = council(33, 2_000, 1, 1);
        for h in &mut homes {
            h.patch = 7;
        }
        let adj = Adjacency::build(&homes, CELL);
        let o = opts(8, 0.05);
        let p = balance(&homes, &adj, &o);
        check(&homes, &adj, &o, &p);
        let ids: HashSet<i64> = p.assignment.iter().copied().collect();
        assert_eq!(ids, (7..15).collect());
    }

    #[test]
    fn balance_is_deterministic() {
        let homes = council(41, 2_000, 4, 2);
        let a = balance(&homes, &Adjacency::build(&homes, CELL), &opts(8, 0.05));
        let b = balance(&homes, &Adjacency::build(&homes, CELL), &opts(8, 0.05));
        assert_eq!(a, b);
        let ta = territories(&homes, &a.assignment, CELL, 2);
        assert_eq!(ta, territories(&homes, &b.assignment, CELL, 2));
    }

    #[test]
    fn degenerate_inputs() {
        let adj = Adjacency::build(&[], CELL);
        let p = balance(&[], &adj, &opts(3, 0.05));
        assert!(p.assignment.is_empty() && !p.within_tolerance);
        assert!(territories(&[], &[], CELL, 2).is_empty());
        let homes = vec![Home { id: 1, x: 0.0, y: 0.0, patch: 5, weight: 10 }];
        let adj = Adjacency::build(&homes, CELL);
        let p = balance(&homes, &adj, &opts(1, 0.05));
        assert!(p.within_tolerance && p.moves == 0);
        let p = balance(&homes, &adj, &opts(2, 0.05));
        assert!(!p.within_tolerance); // one building cannot be split
        let p = balance(&homes, &adj, &opts(0, 0.05));
        assert_eq!(p.assignment, vec![5]);
        // Mismatched adjacency.
        let p = balance(&homes, &Adjacency::build(&[], CELL), &opts(1, 0.05));
        assert!(!p.all_contiguous);
    }

    // ---- territories ------------------------------------------------------------------------

    /// Even-odd point-in-polygon over all rings of one patch.
    fn inside(rings: &[Vec<(f64, f64)>], (px, py): (f64, f64)) -> bool {
        let mut c = false;
        for ring in rings {
            for w in ring.windows(2) {
                let ((x1, y1), (x2, y2)) = (w[0], w[1]);
                if (y1 > py) != (y2 > py) && px < x1 + (py - y1) * (x2 - x1) / (y2 - y1) {
                    c = !c;
                }
            }
        }
        c
    }

    fn signed_area(ring: &[(f64, f64)]) -> f64 {
        ring.windows(2).map(|w| w[0].0 * w[1].1 - w[1].0 * w[0].1).sum::<f64>() / 2.0
    }

    fn check_territories(homes: &[Home], assignment: &[i64], cell: f64, reach: u32) -> Territories {
        let terr = territories(homes, assignment, cell, reach);
        let ids: HashSet<i64> = assignment.iter().copied().collect();
        assert_eq!(terr.len(), ids.len());
        // Rings closed, axis-aligned, non-degenerate; no collinear leftovers.
        for (_, rings) in &terr {
            assert!(rings.iter().any(|r| signed_area(r) > 0.0), "every patch has an outer ring");
            for r in rings {
                assert!(r.len() >= 5, "ring too short: {r:?}");
                assert_eq!(r.first(), r.last());
                assert!(signed_area(r).abs() >= cell * cell / 256.0 - 1e-9);
                for w in r.windows(2) {
                    assert!(w[0] != w[1] && (w[0].0 == w[1].0 || w[0].1 == w[1].1));
                }
                let m = r.len() - 1;
                for i in 0..m {
                    let (a, b, c) = (r[(i + m - 1) % m], r[i], r[(i + 1) % m]);
                    let cross = (b.0 - a.0) * (c.1 - b.1) - (b.1 - a.1) * (c.0 - b.0);
                    assert!(cross != 0.0, "collinear vertex left in ring");
                }
            }
        }
        // Every home inside its own patch's territory.
        let map: HashMap<i64, &Vec<Vec<(f64, f64)>>> = terr.iter().map(|(id, r)| (*id, r)).collect();
        for (h, a) in homes.iter().zip(assignment) {
            assert!(inside(map[a], (h.x, h.y)), "home {} not inside patch {a}", h.id);
        }
        // No overlaps: sample points; each inside at most one patch. Total area = claimed area.
        let (minx, maxx) = homes.iter().fold((f64::MAX, f64::MIN), |a, h| (a.0.min(h.x), a.1.max(h.x)));
        let (miny, maxy) = homes.iter().fold((f64::MAX, f64::MIN), |a, h| (a.0.min(h.y), a.1.max(h.y)));
        let pad = (reach as f64 + 2.0) * cell;
        let mut rng = Rng::new(99);
        let mut hits = 0;
        for _ in 0..20_000 {
            let q = (minx - pad + rng.f64() * (maxx - minx + 2.0 * pad), miny - pad + rng.f64() * (maxy - miny + 2.0 * pad));
            let count = terr.iter().filter(|(_, rings)| inside(rings, q)).count();
            assert!(count <= 1, "point {q:?} inside {count} patches");
            hits += count;
        }
        assert!(hits > 0);
        // Sum of ring areas never exceeds what the bounding box allows.
        let area: f64 = terr.iter().flat_map(|(_, r)| r.iter()).map(|r| signed_area(r)).sum();
        assert!(area > 0.0 && area <= (maxx - minx + 2.0 * pad) * (maxy - miny + 2.0 * pad));
        terr
    }

    #[test]
    fn territories_tile_and_contain_homes() {
        for seed in [51, 52] {
            let homes = council(seed, 2_000, 4, 2);
            let today: Vec<i64> = homes.iter().map(|h| h.patch).collect();
            check_territories(&homes, &today, CELL, 2);
            check_territories(&homes, &today, 30.0, 0);
            let adj = Adjacency::build(&homes, CELL);
            let p = balance(&homes, &adj, &opts(8, 0.05));
            check_territories(&homes, &p.assignment, CELL, 3);
        }
    }

    #[test]
    fn territories_hand_made() {
        // Two patches side by side in one row of cells; reach 0 → exactly two squares.
        let homes = vec![Home { id: 1, x: 5.0, y: 5.0, patch: 1, weight: 10 }, Home { id: 2, x: 15.0, y: 5.0, patch: 2, weight: 10 }];
        let terr = territories(&homes, &[1, 2], 10.0, 0);
        assert_eq!(terr.len(), 2);
        for (_, rings) in &terr {
            assert_eq!(rings.len(), 1);
            assert_eq!(rings[0].len(), 5);
            assert!((signed_area(&rings[0]) - 100.0).abs() < 1e-9);
        }
        // Patch 1 ring around a patch 2 home → patch 1 has a hole (clockwise ring).
        let mut homes = Vec::new();
        for y in 0..3 {
            for x in 0..3 {
                let patch = if x == 1 && y == 1 { 2 } else { 1 };
                homes.push(Home { id: homes.len() as i64, x: 10.0 * x as f64 + 5.0, y: 10.0 * y as f64 + 5.0, patch, weight: 10 });
            }
        }
        let assignment: Vec<i64> = homes.iter().map(|h| h.patch).collect();
        let terr = check_territories(&homes, &assignment, 10.0, 0);
        let p1 = &terr.iter().find(|t| t.0 == 1).unwrap().1;
        assert_eq!(p1.len(), 2);
        assert_eq!(p1.iter().filter(|r| signed_area(r) < 0.0).count(), 1, "one hole");
        // Diagonal pinch: patch 1 at (0,0) and (1,1), patch 2 at (1,0) and (0,1).
        let homes: Vec<Home> = [(0, 0, 1), (1, 1, 1), (1, 0, 2), (0, 1, 2)]
            .iter()
            .enumerate()
            .map(|(i, &(x, y, p))| Home { id: i as i64, x: 10.0 * x as f64 + 5.0, y: 10.0 * y as f64 + 5.0, patch: p, weight: 10 })
            .collect();
        let assignment: Vec<i64> = homes.iter().map(|h| h.patch).collect();
        let terr = check_territories(&homes, &assignment, 10.0, 0);
        for (_, rings) in &terr {
            assert_eq!(rings.len(), 2, "pinched patch traced as two squares");
        }
    }

    #[test]
    fn territories_refine_mixed_cells() {
        // Two patches' homes 3 m apart in one 50 m cell: each must still be inside its own territory.
        let homes = vec![
            Home { id: 1, x: 100.0, y: 100.0, patch: 1, weight: 10 },
            Home { id: 2, x: 103.0, y: 101.0, patch: 2, weight: 10 },
            Home { id: 3, x: 160.0, y: 100.0, patch: 2, weight: 10 },
            Home { id: 4, x: 40.0, y: 100.0, patch: 1, weight: 10 },
        ];
        let assignment: Vec<i64> = homes.iter().map(|h| h.patch).collect();
        check_territories(&homes, &assignment, 50.0, 1);
    }

    #[test]
    fn timings_report() {
        // Smaller always-on timing print (the 25k test prints the headline numbers in release).
        let homes = council(61, 10_000, 7, 5);
        let t = Instant::now();
        let adj = Adjacency::build(&homes, CELL);
        let t_adj = t.elapsed();
        let t = Instant::now();
        let p = balance(&homes, &adj, &opts(35, 0.05));
        let t_bal = t.elapsed();
        let t = Instant::now();
        let terr = territories(&homes, &p.assignment, CELL, 2);
        let t_terr = t.elapsed();
        eprintln!("TIMING 10k/35: adjacency {t_adj:?}, balance {t_bal:?}, territories {t_terr:?}, moves {}", p.moves);
        assert_eq!(terr.len(), 35);
        assert!(p.within_tolerance);
    }
}
