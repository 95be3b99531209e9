//! # mapdata — what the patch map shows, and the rules behind reshaping patches
//!
//! Shared by the browser (the map page draws and selects with it) and the server (which packs
//! the points and checks a patch change with it). Pure: no I/O, no clock.
//!
//! - **Home flags**: one `u16` per home holds what the colour modes need (tenure, arrears band,
//!   overdue visit, open ASB or sustainment case, vulnerability alert).
//! - **Workload weights** (configuration): what a home counts towards its officer's load, in
//!   tenths of an ordinary home, so 10 is one ordinary home.
//! - **Packed points**: the browser gets every home as columns of small integers, delta-encoded
//!   (ids, metres east and north of the area's origin), not verbose GeoJSON.
//! - **Totals and bands**: per patch homes, weighted workload against the target band, and the
//!   counts Team Leaders balance by.
//! - **Draft**: batches of moves with undo, and the net moves a save sends.
//! - **Geometry**: the local projection, point-in-polygon for the lasso, convex hulls for estates.

use serde::{Deserialize, Serialize};
use std::collections::HashSet;

// ---------------------------------------------------------------------------------------------
// Flags
// ---------------------------------------------------------------------------------------------

/// Tenure as the map groups it (bits 0–1 of the flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum MapTenure {
    /// No active tenancy (void, or between tenancies).
    Empty = 0,
    Introductory = 1,
    Extended = 2,
    /// Secure, and every other settled tenure.
    Secure = 3,
}

/// Arrears band (bits 2–3 of the flags).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ArrearsBand {
    None = 0,
    /// Owing up to the council's arrears threshold (£150).
    Low = 1,
    /// Over the threshold, up to £1,000.
    Medium = 2,
    /// Over £1,000.
    High = 3,
}

impl ArrearsBand {
    /// The band of a rent balance in pence (positive = owed).
    pub fn of(balance_pence: i64) -> ArrearsBand {
        if balance_pence <= 0 {
            ArrearsBand::None
        } else if balance_pence <= super::money::ARREARS_THRESHOLD.0 {
            ArrearsBand::Low
        } else if balance_pence <= 100_000 {
            ArrearsBand::Medium
        } else {
            ArrearsBand::High
        }
    }
}

pub const VISIT_OVERDUE: u16 = 1 << 4;
pub const ASB_CASE: u16 = 1 << 5;
pub const SUSTAIN_CASE: u16 = 1 << 6;
pub const VULNERABLE: u16 = 1 << 7;

/// The map flag an open (not need-to-know) case sets on its home, if any: ASB and neighbour
/// cases are ASB; sustainment and vulnerability cases are worked with the Sustainable Tenancy HMO.
pub fn case_flag(kind: super::CaseKind) -> u16 {
    use super::CaseKind as K;
    match kind {
        K::Asb | K::NeighbourDispute => ASB_CASE,
        K::Sustainment | K::Vulnerability => SUSTAIN_CASE,
        _ => 0,
    }
}

/// When a home moves patch, its tenancy follows to the new patch's officer only if the old
/// patch's officer holds it (someone else holding it passes it on themselves) and the new patch
/// has an officer who is not already the holder. Returns the new holder.
pub fn follows_home(holder: Option<i64>, old_officer: Option<i64>, new_officer: Option<i64>) -> Option<i64> {
    let new = new_officer?;
    (holder.is_some() && holder == old_officer && holder != Some(new)).then_some(new)
}

/// What the server knows of one home, before it becomes flags.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct HomeFacts {
    /// The active tenancy's tenure code (`None`: no active tenancy).
    pub tenure: Option<super::Tenure>,
    pub balance_pence: i64,
    pub visit_overdue: bool,
    pub asb_case: bool,
    pub sustain_case: bool,
    pub vulnerable: bool,
}

impl HomeFacts {
    pub fn flags(&self) -> u16 {
        use super::Tenure as T;
        let tenure = match self.tenure {
            None => MapTenure::Empty,
            Some(T::Introductory) => MapTenure::Introductory,
            Some(T::ExtendedIntroductory) => MapTenure::Extended,
            Some(_) => MapTenure::Secure,
        };
        let mut f = tenure as u16 | (ArrearsBand::of(self.balance_pence) as u16) << 2;
        for (on, bit) in [(self.visit_overdue, VISIT_OVERDUE), (self.asb_case, ASB_CASE), (self.sustain_case, SUSTAIN_CASE), (self.vulnerable, VULNERABLE)] {
            if on {
                f |= bit;
            }
        }
        f
    }
}

pub fn tenure_of(flags: u16) -> MapTenure {
    match flags & 3 {
        1 => MapTenure::Introductory,
        2 => MapTenure::Extended,
        3 => MapTenure::Secure,
        _ => MapTenure::Empty,
    }
}

pub fn arrears_of(flags: u16) -> ArrearsBand {
    match (flags >> 2) & 3 {
        1 => ArrearsBand::Low,
        2 => ArrearsBand::Medium,
        3 => ArrearsBand::High,
        _ => ArrearsBand::None,
    }
}

// ---------------------------------------------------------------------------------------------
// Workload weights
// ---------------------------------------------------------------------------------------------

/// What each home adds to its patch's workload, in tenths of an ordinary home. Configuration:
/// stored as the `workload_weights` setting, defaults below.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct WorkloadWeights {
    /// Every home (10 = one home).
    pub home: u32,
    /// An introductory or extended introductory tenancy (settling-in visits, the review).
    pub introductory: u32,
    /// Arrears over the threshold.
    pub arrears: u32,
    /// An open ASB or neighbour case.
    pub asb_case: u32,
    /// An open sustainment or vulnerability case (worked with the Sustainable Tenancy HMO).
    pub sustain_case: u32,
    /// A vulnerability alert on the tenancy.
    pub vulnerability: u32,
    /// A challenging patch's target workload, in percent of an ordinary patch's (Sheffield's
    /// patches of 280–300 homes, "with challenging neighbourhoods containing less": seeds/001).
    #[serde(default = "default_challenging_pct")]
    pub challenging_pct: u32,
}

/// A challenging patch carries 85% of an ordinary patch's workload unless the council sets otherwise.
pub const CHALLENGING_PCT_DEFAULT: u32 = 85;

fn default_challenging_pct() -> u32 {
    CHALLENGING_PCT_DEFAULT
}

impl Default for WorkloadWeights {
    fn default() -> Self {
        WorkloadWeights { home: 10, introductory: 10, arrears: 5, asb_case: 20, sustain_case: 5, vulnerability: 5, challenging_pct: CHALLENGING_PCT_DEFAULT }
    }
}

impl WorkloadWeights {
    pub fn weight(&self, flags: u16) -> u32 {
        let mut w = self.home;
        if matches!(tenure_of(flags), MapTenure::Introductory | MapTenure::Extended) {
            w += self.introductory;
        }
        if matches!(arrears_of(flags), ArrearsBand::Medium | ArrearsBand::High) {
            w += self.arrears;
        }
        if flags & ASB_CASE != 0 {
            w += self.asb_case;
        }
        if flags & SUSTAIN_CASE != 0 {
            w += self.sustain_case;
        }
        if flags & VULNERABLE != 0 {
            w += self.vulnerability;
        }
        w
    }

    /// Every weight from 0 to 1000 (a hundred homes' worth); `home` at least 1.
    pub fn check(&self) -> Result<(), String> {
        let all = [self.home, self.introductory, self.arrears, self.asb_case, self.sustain_case, self.vulnerability];
        if self.home == 0 || all.iter().any(|w| *w > 1000) {
            return Err("Each workload weight must be a whole number from 0 to 1000 (tenths of a home), and an ordinary home must weigh at least 1.".into());
        }
        if !(50..=100).contains(&self.challenging_pct) {
            return Err("A challenging patch's share of an ordinary patch's workload must be from 50% to 100%.".into());
        }
        Ok(())
    }
}

// ---------------------------------------------------------------------------------------------
// Projection
// ---------------------------------------------------------------------------------------------

/// A local equirectangular projection around an area's centre: metres east and north. Within a
/// council (tens of kilometres) it is within a fraction of a percent of the Ordnance Survey grid.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Projection {
    pub lat0: f64,
    pub lon0: f64,
}

const M_PER_DEG_LAT: f64 = 111_132.0;

impl Projection {
    fn m_per_deg_lon(&self) -> f64 {
        111_320.0 * self.lat0.to_radians().cos()
    }
    pub fn project(&self, lat: f64, lon: f64) -> (f64, f64) {
        ((lon - self.lon0) * self.m_per_deg_lon(), (lat - self.lat0) * M_PER_DEG_LAT)
    }
    pub fn unproject(&self, x: f64, y: f64) -> (f64, f64) {
        (self.lat0 + y / M_PER_DEG_LAT, self.lon0 + x / self.m_per_deg_lon())
    }
    /// Centred on the middle of the points' bounding box.
    pub fn around(points: impl Iterator<Item = (f64, f64)>) -> Projection {
        let (mut a, mut b, mut c, mut d) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
        for (lat, lon) in points {
            a = a.min(lat);
            b = b.max(lat);
            c = c.min(lon);
            d = d.max(lon);
        }
        if a > b { Projection { lat0: 53.96, lon0: -1.08 } } else { Projection { lat0: (a + b) / 2.0, lon0: (c + d) / 2.0 } }
    }
}

// ---------------------------------------------------------------------------------------------
// Packed points
// ---------------------------------------------------------------------------------------------

/// One home on the map.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct MapHome {
    pub id: i64,
    /// Metres east of the area's origin.
    pub x: i32,
    /// Metres north of the area's origin.
    pub y: i32,
    /// Index into the area's patches.
    pub patch: u16,
    pub flags: u16,
    /// Index into the street names.
    pub street: u32,
}

/// Every home of an area as delta-encoded columns: compact as JSON and compressing well, since
/// neighbouring ids are neighbours on the ground.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PackedHomes {
    pub id: Vec<i64>,
    pub x: Vec<i32>,
    pub y: Vec<i32>,
    pub patch: Vec<u16>,
    pub flags: Vec<u16>,
    pub street: Vec<u32>,
    /// Street or block names, indexed by `street`.
    pub streets: Vec<String>,
}

fn deltas<T: Copy + std::ops::Sub<Output = T> + Default>(v: impl Iterator<Item = T>) -> Vec<T> {
    let mut prev = T::default();
    v.map(|x| {
        let d = x - prev;
        prev = x;
        d
    })
    .collect()
}

impl PackedHomes {
    pub fn pack(homes: &[MapHome], streets: Vec<String>) -> PackedHomes {
        PackedHomes {
            id: deltas(homes.iter().map(|h| h.id)),
            x: deltas(homes.iter().map(|h| h.x)),
            y: deltas(homes.iter().map(|h| h.y)),
            patch: homes.iter().map(|h| h.patch).collect(),
            flags: homes.iter().map(|h| h.flags).collect(),
            street: homes.iter().map(|h| h.street).collect(),
            streets,
        }
    }

    /// The homes back; `None` if the columns disagree in length.
    pub fn unpack(&self) -> Option<Vec<MapHome>> {
        let n = self.id.len();
        if [self.x.len(), self.y.len(), self.patch.len(), self.flags.len(), self.street.len()].iter().any(|l| *l != n) {
            return None;
        }
        let (mut id, mut x, mut y) = (0i64, 0i32, 0i32);
        Some(
            (0..n)
                .map(|i| {
                    id += self.id[i];
                    x += self.x[i];
                    y += self.y[i];
                    MapHome { id, x, y, patch: self.patch[i], flags: self.flags[i], street: self.street[i] }
                })
                .collect(),
        )
    }
}

/// The street a home is on, from its first address line: "12 Moor Lane" → "Moor Lane",
/// "Flat 3, Bramham House" → "Bramham House".
pub fn street_of(line1: &str) -> String {
    let line = line1.trim();
    if let Some((_, rest)) = line.split_once(',') {
        return rest.trim().to_string();
    }
    match line.split_once(' ') {
        Some((first, rest)) if first.chars().next().is_some_and(|c| c.is_ascii_digit()) => rest.trim().to_string(),
        _ => line.to_string(),
    }
}

// ---------------------------------------------------------------------------------------------
// What the map page receives
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapPatch {
    pub id: i64,
    pub name: String,
    pub officer_id: Option<i64>,
    pub officer: Option<String>,
    /// Who covers the officer today, if anyone.
    pub cover: Option<String>,
    pub version: i64,
    pub challenging: bool,
}

/// A named outline (ward or estate): rings of x, y metres, delta-encoded ([`encode_ring`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Outline {
    pub name: String,
    pub rings: Vec<Vec<i32>>,
}

/// A patch's territory: rings of x, y metres, delta-encoded ([`encode_ring`]; outer rings anticlockwise).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Territory {
    pub patch: i64,
    pub rings: Vec<Vec<i32>>,
}

/// Everything the map draws for one area team.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MapData {
    pub area_team_id: i64,
    pub area: String,
    /// The latest patch change of the area (the data's version).
    pub change: i64,
    pub origin: Projection,
    /// Team Leaders of the area may reshape patches; others see the map.
    pub can_reshape: bool,
    pub weights: WorkloadWeights,
    pub patches: Vec<MapPatch>,
    pub homes: PackedHomes,
    pub wards: Vec<Outline>,
    pub estates: Vec<Outline>,
    pub territories: Vec<Territory>,
    /// A council's own tile server (`{z}/{x}/{y}` template), drawn under the map when set.
    pub tile_url: Option<String>,
}

/// The card shown when a home is clicked.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HomeCard {
    pub property_id: i64,
    pub property_reference: String,
    pub address: String,
    pub postcode: String,
    pub patch: String,
    pub officer: Option<String>,
    pub tenancy_reference: Option<String>,
    pub tenure: Option<String>,
    pub tenant: Option<String>,
    pub tenancy_owner: Option<String>,
    pub balance: Option<String>,
}

/// A row of the table view (the map's keyboard equivalent).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HomeRow {
    pub property_id: i64,
    pub address: String,
    pub postcode: String,
}

/// One patch, today and in a balance proposal.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BalanceRow {
    pub patch: String,
    pub officer: Option<String>,
    pub today_homes: u32,
    pub today_weight: u64,
    pub proposed_homes: u32,
    pub proposed_weight: u64,
    pub status: LoadStatus,
}

/// A balance suggestion: the proposed patch (index) of every home, in the map's home order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct BalanceView {
    /// The map data version the proposal was made on.
    pub change: i64,
    pub assignment: Vec<u16>,
    pub moves: usize,
    pub officers: usize,
    pub tolerance_pct: u32,
    pub within_tolerance: bool,
    pub all_contiguous: bool,
    pub millis: u64,
    pub band: Band,
    pub rows: Vec<BalanceRow>,
    pub territories: Vec<Territory>,
}

// ---------------------------------------------------------------------------------------------
// Totals
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatchTotals {
    pub homes: u32,
    /// Weighted workload, in tenths of a home.
    pub weight: u64,
    pub introductory: u32,
    /// Over the arrears threshold.
    pub arrears: u32,
    pub asb: u32,
    pub sustain: u32,
    pub overdue_visits: u32,
}

impl PatchTotals {
    pub fn add(&mut self, flags: u16, w: &WorkloadWeights) {
        self.homes += 1;
        self.weight += w.weight(flags) as u64;
        if matches!(tenure_of(flags), MapTenure::Introductory | MapTenure::Extended) {
            self.introductory += 1;
        }
        if matches!(arrears_of(flags), ArrearsBand::Medium | ArrearsBand::High) {
            self.arrears += 1;
        }
        self.asb += (flags & ASB_CASE != 0) as u32;
        self.sustain += (flags & SUSTAIN_CASE != 0) as u32;
        self.overdue_visits += (flags & VISIT_OVERDUE != 0) as u32;
    }
}

/// Totals per patch index (`n` patches) for homes assigned by `assignment`.
pub fn totals(flags: &[u16], assignment: &[u16], n: usize, w: &WorkloadWeights) -> Vec<PatchTotals> {
    let mut t = vec![PatchTotals::default(); n];
    for (f, p) in flags.iter().zip(assignment) {
        if let Some(slot) = t.get_mut(*p as usize) {
            slot.add(*f, w);
        }
    }
    t
}

/// Totals of the homes whose indices are given.
pub fn totals_of(flags: &[u16], homes: impl Iterator<Item = usize>, w: &WorkloadWeights) -> PatchTotals {
    let mut t = PatchTotals::default();
    for i in homes {
        if let Some(f) = flags.get(i) {
            t.add(*f, w);
        }
    }
    t
}

/// Where a patch's workload stands against the target band.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum LoadStatus {
    Under,
    Within,
    Over,
}

impl LoadStatus {
    pub fn label(self) -> &'static str {
        match self {
            LoadStatus::Under => "Under the band",
            LoadStatus::Within => "Within the band",
            LoadStatus::Over => "Over the band",
        }
    }
}

/// The target band: total weight shared by `officers`, ± `tolerance_pct` percent.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Band {
    pub target: f64,
    pub low: f64,
    pub high: f64,
}

/// The target bands of an area's patches: the area's workload shared among its officers so that
/// a challenging patch's target is `challenging_pct` percent of an ordinary patch's.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Bands {
    pub ordinary: Band,
    pub challenging: Band,
}

impl Bands {
    /// `officers` patches share `total_weight`; `challenging` of them (at most all) are challenging.
    pub fn new(total_weight: u64, officers: usize, challenging: usize, challenging_pct: u32, tolerance_pct: u32) -> Bands {
        let c = challenging.min(officers) as f64;
        let share = challenging_pct.clamp(1, 100) as f64 / 100.0;
        let shares = officers as f64 - c + c * share;
        let target = if shares <= 0.0 { 0.0 } else { total_weight as f64 / shares };
        Bands { ordinary: Band::around(target, tolerance_pct), challenging: Band::around(target * share, tolerance_pct) }
    }

    /// The band a patch is read against.
    pub fn of(&self, challenging: bool) -> Band {
        if challenging { self.challenging } else { self.ordinary }
    }
}

impl Band {
    /// The band `tolerance_pct` percent either side of `target`.
    pub fn around(target: f64, tolerance_pct: u32) -> Band {
        let t = tolerance_pct as f64 / 100.0;
        Band { target, low: target * (1.0 - t), high: target * (1.0 + t) }
    }

    pub fn new(total_weight: u64, officers: usize, tolerance_pct: u32) -> Band {
        let target = if officers == 0 { 0.0 } else { total_weight as f64 / officers as f64 };
        let t = tolerance_pct as f64 / 100.0;
        Band { target, low: target * (1.0 - t), high: target * (1.0 + t) }
    }
    pub fn status(&self, weight: u64) -> LoadStatus {
        let w = weight as f64;
        if w < self.low - 1e-9 {
            LoadStatus::Under
        } else if w > self.high + 1e-9 {
            LoadStatus::Over
        } else {
            LoadStatus::Within
        }
    }
}

/// Tenths of a home as people read it: "312.5".
pub fn homes_equivalent(tenths: u64) -> String {
    if tenths.is_multiple_of(10) { format!("{}", tenths / 10) } else { format!("{}.{}", tenths / 10, tenths % 10) }
}

#[cfg(test)]
mod band_tests {
    use super::*;

    /// Sheffield's patches were "expected to contain between 280 and 300 properties, with
    /// challenging neighbourhoods containing less" (seeds/001): a challenging patch is read
    /// against a lower target, and the area's workload is still shared out in full.
    #[test]
    fn a_challenging_patch_has_a_lower_target_and_the_area_shares_its_whole_workload() {
        // Ten patches, two challenging at 85%: 2,900 homes' worth shares as 8 + 2 × 0.85 = 9.7 patches.
        let b = Bands::new(29_000, 10, 2, 85, 5);
        assert!((b.ordinary.target - 29_000.0 / 9.7).abs() < 1e-6);
        assert!((b.challenging.target - b.ordinary.target * 0.85).abs() < 1e-6);
        assert!((8.0 * b.ordinary.target + 2.0 * b.challenging.target - 29_000.0).abs() < 1e-6);
        // 2,600 (260 homes) is under an ordinary patch's band and within a challenging one's.
        assert_eq!(b.of(false).status(2_600), LoadStatus::Under);
        assert_eq!(b.of(true).status(2_600), LoadStatus::Within);
        // At 100% every patch shares alike, as before.
        let even = Bands::new(29_000, 10, 2, 100, 5);
        assert_eq!(even.ordinary, even.challenging);
        assert_eq!(even.ordinary, Band::new(29_000, 10, 5));
        // No officers: nothing to share.
        assert_eq!(Bands::new(100, 0, 0, 85, 5).ordinary.target, 0.0);
    }
}

// ---------------------------------------------------------------------------------------------
// Colour modes and legend
// ---------------------------------------------------------------------------------------------

/// How the map colours homes. Every category also has its own shape, so colour is never the
/// only cue (WCAG 2.2 1.4.1), and the legend shows both.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum ColourMode {
    Patch,
    Workload,
    Arrears,
    Visits,
    Tenure,
    Cases,
}

impl ColourMode {
    pub const ALL: [ColourMode; 6] = [ColourMode::Patch, ColourMode::Workload, ColourMode::Arrears, ColourMode::Visits, ColourMode::Tenure, ColourMode::Cases];
    pub fn code(self) -> &'static str {
        match self {
            ColourMode::Patch => "patch",
            ColourMode::Workload => "workload",
            ColourMode::Arrears => "arrears",
            ColourMode::Visits => "visits",
            ColourMode::Tenure => "tenure",
            ColourMode::Cases => "cases",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ColourMode::Patch => "Patch and officer",
            ColourMode::Workload => "Weighted workload",
            ColourMode::Arrears => "Rent arrears",
            ColourMode::Visits => "Visits overdue",
            ColourMode::Tenure => "Tenure",
            ColourMode::Cases => "Open ASB or sustainment case",
        }
    }
    pub fn parse(s: &str) -> Option<ColourMode> {
        ColourMode::ALL.into_iter().find(|m| m.code() == s)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub enum Shape {
    Dot,
    Square,
    Triangle,
    Diamond,
    Cross,
    Ring,
}

#[derive(Clone, Debug, PartialEq)]
pub struct LegendItem {
    pub label: String,
    /// `#rrggbb`
    pub colour: &'static str,
    pub shape: Shape,
}

/// Patch colours: a qualitative palette that stays apart for common colour-vision deficiencies
/// when paired with the shapes and hatching (Okabe–Ito and Tol's muted, darkened for 3:1
/// against the pale base map).
pub const PATCH_PALETTE: [&str; 12] =
    ["#0072b2", "#d55e00", "#009e73", "#cc79a7", "#8a6d00", "#56b4e9", "#882255", "#117733", "#332288", "#aa4499", "#44aa99", "#999933"];
pub const PATCH_SHAPES: [Shape; 4] = [Shape::Dot, Shape::Square, Shape::Triangle, Shape::Diamond];

pub fn patch_colour(i: usize) -> &'static str {
    PATCH_PALETTE[i % PATCH_PALETTE.len()]
}
pub fn patch_shape(i: usize) -> Shape {
    PATCH_SHAPES[(i / PATCH_PALETTE.len() + i) % PATCH_SHAPES.len()]
}

const MUTED: &str = "#6b7280";

/// The categories of a (non-patch) colour mode, in legend order.
pub fn legend(mode: ColourMode) -> Vec<LegendItem> {
    let item = |label: &str, colour: &'static str, shape: Shape| LegendItem { label: label.into(), colour, shape };
    match mode {
        ColourMode::Patch => Vec::new(),
        ColourMode::Workload => vec![
            item("Ordinary home", MUTED, Shape::Dot),
            item("Extra work (1 factor)", "#b45309", Shape::Square),
            item("Heavy (2 or more factors)", "#b91c1c", Shape::Triangle),
        ],
        ColourMode::Arrears => vec![
            item("No arrears", MUTED, Shape::Dot),
            item("Up to £150", "#2563eb", Shape::Square),
            item("£150 to £1,000", "#b45309", Shape::Diamond),
            item("Over £1,000", "#b91c1c", Shape::Triangle),
        ],
        ColourMode::Visits => vec![item("No visit overdue", MUTED, Shape::Dot), item("Visit overdue", "#b91c1c", Shape::Triangle)],
        ColourMode::Tenure => vec![
            item("No active tenancy", "#9ca3af", Shape::Ring),
            item("Introductory", "#7c3aed", Shape::Triangle),
            item("Extended introductory", "#b91c1c", Shape::Diamond),
            item("Secure or settled", MUTED, Shape::Dot),
        ],
        ColourMode::Cases => vec![
            item("No open case", MUTED, Shape::Dot),
            item("ASB or neighbour case", "#b91c1c", Shape::Triangle),
            item("Sustainment or vulnerability case", "#0072b2", Shape::Square),
            item("Both", "#7c3aed", Shape::Cross),
        ],
    }
}

/// The legend category of a home in a non-patch mode (index into [`legend`]).
pub fn category(mode: ColourMode, flags: u16, w: &WorkloadWeights) -> usize {
    match mode {
        ColourMode::Patch => 0,
        ColourMode::Workload => {
            let extra = w.weight(flags).saturating_sub(w.home);
            let factors = [
                matches!(tenure_of(flags), MapTenure::Introductory | MapTenure::Extended),
                matches!(arrears_of(flags), ArrearsBand::Medium | ArrearsBand::High),
                flags & ASB_CASE != 0,
                flags & SUSTAIN_CASE != 0,
                flags & VULNERABLE != 0,
            ]
            .iter()
            .filter(|b| **b)
            .count();
            if extra == 0 || factors == 0 {
                0
            } else if factors == 1 {
                1
            } else {
                2
            }
        }
        ColourMode::Arrears => arrears_of(flags) as usize,
        ColourMode::Visits => (flags & VISIT_OVERDUE != 0) as usize,
        ColourMode::Tenure => tenure_of(flags) as usize,
        ColourMode::Cases => ((flags & ASB_CASE != 0) as usize) | ((flags & SUSTAIN_CASE != 0) as usize) << 1,
    }
}

// ---------------------------------------------------------------------------------------------
// Draft changes
// ---------------------------------------------------------------------------------------------

/// One home moving: (home index, from patch index, to patch index).
pub type Move = (u32, u16, u16);

/// A Team Leader's unsaved reshaping: batches of moves, undone batch by batch.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Draft {
    batches: Vec<Vec<Move>>,
}

impl Draft {
    /// Moves the homes to `to` (those already there are skipped); returns how many moved.
    pub fn move_homes(&mut self, assignment: &mut [u16], homes: &[u32], to: u16) -> usize {
        let batch: Vec<Move> = homes.iter().filter_map(|&h| assignment.get(h as usize).filter(|p| **p != to).map(|p| (h, *p, to))).collect();
        for &(h, _, t) in &batch {
            assignment[h as usize] = t;
        }
        let n = batch.len();
        if n > 0 {
            self.batches.push(batch);
        }
        n
    }
    /// Moves each home to its own patch as one batch (accepting a balance suggestion).
    pub fn move_each(&mut self, assignment: &mut [u16], moves: &[(u32, u16)]) -> usize {
        let batch: Vec<Move> = moves.iter().filter_map(|&(h, to)| assignment.get(h as usize).filter(|p| **p != to).map(|p| (h, *p, to))).collect();
        for &(h, _, t) in &batch {
            assignment[h as usize] = t;
        }
        let n = batch.len();
        if n > 0 {
            self.batches.push(batch);
        }
        n
    }
    /// Undoes the last batch; returns how many homes went back.
    pub fn undo(&mut self, assignment: &mut [u16]) -> usize {
        let Some(batch) = self.batches.pop() else { return 0 };
        for &(h, from, _) in batch.iter().rev() {
            if let Some(slot) = assignment.get_mut(h as usize) {
                *slot = from;
            }
        }
        batch.len()
    }
    pub fn is_empty(&self) -> bool {
        self.batches.is_empty()
    }
    pub fn batches(&self) -> usize {
        self.batches.len()
    }
    pub fn clear(&mut self) {
        self.batches.clear();
    }
}

/// The homes whose patch differs between `base` and `now`: (home index, from, to).
pub fn net_moves(base: &[u16], now: &[u16]) -> Vec<Move> {
    base.iter().zip(now).enumerate().filter(|(_, (a, b))| a != b).map(|(i, (a, b))| (i as u32, *a, *b)).collect()
}

// ---------------------------------------------------------------------------------------------
// Saving a change
// ---------------------------------------------------------------------------------------------

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct HomeMove {
    pub property_id: i64,
    pub to_patch: i64,
}

/// A patch as the Team Leader saw it when the draft began.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatchVersion {
    pub patch_id: i64,
    pub version: i64,
}

/// A Team Leader's save: moves, the reason, and the versions of the patches they saw.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatchChangeRequest {
    pub area_team_id: i64,
    pub reason: String,
    pub moves: Vec<HomeMove>,
    pub versions: Vec<PatchVersion>,
}

/// What a saved patch change did.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SavedPatchChange {
    pub change_id: i64,
    pub homes_moved: i64,
    pub tenancies_moved: i64,
    pub cases_moved: i64,
}

/// Patch assignments changed after a given change: (property id, patch id), and the patches now.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct PatchChangesSince {
    pub change: i64,
    pub moves: Vec<HomeMove>,
    pub patches: Vec<MapPatch>,
}

pub const MAX_MOVES: usize = 100_000;

/// Checks a change before any record is read: a reason, at least one move, no home twice.
pub fn check_change(c: &PatchChangeRequest) -> Result<(), String> {
    let mut problems = Vec::new();
    let reason = c.reason.trim().chars().count();
    if reason < 5 {
        problems.push("Say why the patches are changing (at least 5 characters): it goes on every moved tenancy's history.".to_string());
    } else if reason > 1000 {
        problems.push("Keep the reason to 1,000 characters or fewer.".to_string());
    }
    if c.moves.is_empty() {
        problems.push("Select homes and move them to another patch before saving.".to_string());
    } else if c.moves.len() > MAX_MOVES {
        problems.push(format!("A change can move at most {MAX_MOVES} homes."));
    }
    let mut seen = HashSet::new();
    if c.moves.iter().any(|m| !seen.insert(m.property_id)) {
        problems.push("A home appears twice in the change.".to_string());
    }
    if problems.is_empty() { Ok(()) } else { Err(problems.join(" ")) }
}

/// The patches whose version must still match: every patch a home leaves or joins.
pub fn touched_patches(moves: &[HomeMove], from: impl Fn(i64) -> Option<i64>) -> Vec<i64> {
    let mut v: Vec<i64> = moves.iter().flat_map(|m| [Some(m.to_patch), from(m.property_id)]).flatten().collect();
    v.sort_unstable();
    v.dedup();
    v
}

// ---------------------------------------------------------------------------------------------
// Geometry
// ---------------------------------------------------------------------------------------------

/// Even-odd point in polygon (the polygon's closing edge is implied).
pub fn point_in_polygon(x: f64, y: f64, poly: &[(f64, f64)]) -> bool {
    let n = poly.len();
    if n < 3 {
        return false;
    }
    let mut inside = false;
    let mut j = n - 1;
    for i in 0..n {
        let (xi, yi) = poly[i];
        let (xj, yj) = poly[j];
        if (yi > y) != (yj > y) && x < (xj - xi) * (y - yi) / (yj - yi) + xi {
            inside = !inside;
        }
        j = i;
    }
    inside
}

/// Indices of the points inside the polygon (bounding box first, then even-odd).
pub fn select_in_polygon(xs: &[f32], ys: &[f32], poly: &[(f64, f64)]) -> Vec<u32> {
    if poly.len() < 3 {
        return Vec::new();
    }
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &(x, y) in poly {
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
    }
    let mut out = Vec::new();
    for (i, (&x, &y)) in xs.iter().zip(ys).enumerate() {
        let (x, y) = (x as f64, y as f64);
        if x >= x0 && x <= x1 && y >= y0 && y <= y1 && point_in_polygon(x, y, poly) {
            out.push(i as u32);
        }
    }
    out
}

/// Convex hull (Andrew's monotone chain), anticlockwise, no repeated point.
pub fn convex_hull(points: &[(i32, i32)]) -> Vec<(i32, i32)> {
    let mut p: Vec<(i32, i32)> = points.to_vec();
    p.sort_unstable();
    p.dedup();
    if p.len() < 3 {
        return p;
    }
    let cross = |o: (i32, i32), a: (i32, i32), b: (i32, i32)| (a.0 - o.0) as i64 * (b.1 - o.1) as i64 - (a.1 - o.1) as i64 * (b.0 - o.0) as i64;
    let mut lower: Vec<(i32, i32)> = Vec::new();
    for &q in &p {
        while lower.len() >= 2 && cross(lower[lower.len() - 2], lower[lower.len() - 1], q) <= 0 {
            lower.pop();
        }
        lower.push(q);
    }
    let mut upper: Vec<(i32, i32)> = Vec::new();
    for &q in p.iter().rev() {
        while upper.len() >= 2 && cross(upper[upper.len() - 2], upper[upper.len() - 1], q) <= 0 {
            upper.pop();
        }
        upper.push(q);
    }
    lower.pop();
    upper.pop();
    lower.extend(upper);
    lower
}

/// Douglas–Peucker simplification of a closed ring (first point not repeated in the output):
/// keeps the points that stray more than `tol` metres from the simplified outline.
pub fn simplify_ring(ring: &[(f64, f64)], tol: f64) -> Vec<(f64, f64)> {
    let mut r: Vec<(f64, f64)> = ring.to_vec();
    if r.len() > 1 && r.first() == r.last() {
        r.pop();
    }
    let n = r.len();
    if n < 4 {
        return r;
    }
    // Split at the point farthest from the first, and simplify both halves as open lines.
    let far = (1..n).max_by(|&a, &b| dist2(r[0], r[a]).total_cmp(&dist2(r[0], r[b]))).unwrap_or(n / 2);
    let mut keep = vec![false; n + 1];
    keep[0] = true;
    keep[far] = true;
    keep[n] = true;
    let closed: Vec<(f64, f64)> = r.iter().copied().chain(std::iter::once(r[0])).collect();
    let mut stack = vec![(0usize, far), (far, n)];
    while let Some((a, b)) = stack.pop() {
        if b <= a + 1 {
            continue;
        }
        let (mut worst, mut at) = (0.0f64, 0usize);
        for i in a + 1..b {
            let d = seg_dist2(closed[i], closed[a], closed[b]);
            if d > worst {
                worst = d;
                at = i;
            }
        }
        if worst > tol * tol {
            keep[at] = true;
            stack.push((a, at));
            stack.push((at, b));
        }
    }
    (0..n).filter(|&i| keep[i]).map(|i| r[i]).collect()
}

fn dist2(a: (f64, f64), b: (f64, f64)) -> f64 {
    (a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)
}

fn seg_dist2(p: (f64, f64), a: (f64, f64), b: (f64, f64)) -> f64 {
    let l = dist2(a, b);
    if l == 0.0 {
        return dist2(p, a);
    }
    let t = (((p.0 - a.0) * (b.0 - a.0) + (p.1 - a.1) * (b.1 - a.1)) / l).clamp(0.0, 1.0);
    dist2(p, (a.0 + t * (b.0 - a.0), a.1 + t * (b.1 - a.1)))
}

/// A ring as delta-encoded integers: x0, y0, then each point's change from the one before.
pub fn encode_ring(ring: &[(f64, f64)]) -> Vec<i32> {
    let mut out = Vec::with_capacity(ring.len() * 2);
    let (mut px, mut py) = (0i32, 0i32);
    for &(x, y) in ring {
        let (x, y) = (x.round() as i32, y.round() as i32);
        if !out.is_empty() && x == px && y == py {
            continue;
        }
        out.push(x - px);
        out.push(y - py);
        px = x;
        py = y;
    }
    out
}

pub fn decode_ring(v: &[i32]) -> Vec<(f64, f64)> {
    let (mut x, mut y) = (0i32, 0i32);
    v.chunks(2)
        .filter(|c| c.len() == 2)
        .map(|c| {
            x += c[0];
            y += c[1];
            (x as f64, y as f64)
        })
        .collect()
}

/// Chaikin corner cutting: rounds a traced staircase boundary into a smooth outline. Each pass
/// replaces every edge by points at a quarter and three quarters along it, so an edge two
/// neighbouring territories share becomes the same points in both (traced in opposite directions).
pub fn smooth_ring(ring: &[(f64, f64)], passes: u32) -> Vec<(f64, f64)> {
    let mut r: Vec<(f64, f64)> = ring.to_vec();
    if r.len() > 1 && r.first() == r.last() {
        r.pop();
    }
    if r.len() < 3 {
        return r;
    }
    for _ in 0..passes {
        let n = r.len();
        let mut out = Vec::with_capacity(n * 2);
        for i in 0..n {
            let (a, b) = (r[i], r[(i + 1) % n]);
            out.push((0.75 * a.0 + 0.25 * b.0, 0.75 * a.1 + 0.25 * b.1));
            out.push((0.25 * a.0 + 0.75 * b.0, 0.25 * a.1 + 0.75 * b.1));
        }
        r = out;
    }
    r
}

/// Only the area's Team Leaders reshape its patches.
pub fn may_reshape(who: &super::access::Principal, area: i64) -> bool {
    who.role == super::Role::TeamLeader && who.area_team_id == Some(area)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Tenure;

    #[test]
    fn flags_round_trip_every_fact() {
        let f = HomeFacts {
            tenure: Some(Tenure::ExtendedIntroductory),
            balance_pence: 120_000,
            visit_overdue: true,
            asb_case: false,
            sustain_case: true,
            vulnerable: true,
        }
        .flags();
        assert_eq!(tenure_of(f), MapTenure::Extended);
        assert_eq!(arrears_of(f), ArrearsBand::High);
        assert!(f & VISIT_OVERDUE != 0 && f & SUSTAIN_CASE != 0 && f & VULNERABLE != 0 && f & ASB_CASE == 0);
        assert_eq!(tenure_of(HomeFacts::default().flags()), MapTenure::Empty);
        assert_eq!(tenure_of(HomeFacts { tenure: Some(Tenure::Leasehold), ..Default::default() }.flags()), MapTenure::Secure);
    }

    #[test]
    fn case_flags_and_who_follows_a_moved_home() {
        use crate::domain::CaseKind;
        assert_eq!(case_flag(CaseKind::Asb), ASB_CASE);
        assert_eq!(case_flag(CaseKind::NeighbourDispute), ASB_CASE);
        assert_eq!(case_flag(CaseKind::Sustainment), SUSTAIN_CASE);
        assert_eq!(case_flag(CaseKind::Vulnerability), SUSTAIN_CASE);
        assert_eq!(case_flag(CaseKind::Arrears), 0);
        assert_eq!(follows_home(Some(1), Some(1), Some(2)), Some(2));
        assert_eq!(follows_home(Some(3), Some(1), Some(2)), None, "held by someone else");
        assert_eq!(follows_home(Some(2), Some(1), Some(2)), None);
        assert_eq!(follows_home(Some(1), Some(1), None), None, "the new patch has no officer");
        assert_eq!(follows_home(None, None, Some(2)), None);
    }

    #[test]
    fn arrears_bands_meet_at_the_threshold() {
        assert_eq!(ArrearsBand::of(0), ArrearsBand::None);
        assert_eq!(ArrearsBand::of(-500), ArrearsBand::None);
        assert_eq!(ArrearsBand::of(1), ArrearsBand::Low);
        assert_eq!(ArrearsBand::of(15_000), ArrearsBand::Low);
        assert_eq!(ArrearsBand::of(15_001), ArrearsBand::Medium);
        assert_eq!(ArrearsBand::of(100_000), ArrearsBand::Medium);
        assert_eq!(ArrearsBand::of(100_001), ArrearsBand::High);
    }

    #[test]
    fn weights_add_up_per_factor() {
        let w = WorkloadWeights::default();
        assert_eq!(w.weight(HomeFacts::default().flags()), 10);
        let intro_arrears = HomeFacts { tenure: Some(Tenure::Introductory), balance_pence: 20_000, ..Default::default() }.flags();
        assert_eq!(w.weight(intro_arrears), 10 + 10 + 5);
        let low_arrears = HomeFacts { tenure: Some(Tenure::Secure), balance_pence: 100, ..Default::default() }.flags();
        assert_eq!(w.weight(low_arrears), 10, "arrears under the threshold add nothing");
        let asb = HomeFacts { tenure: Some(Tenure::Secure), asb_case: true, vulnerable: true, ..Default::default() }.flags();
        assert_eq!(w.weight(asb), 10 + 20 + 5);
        assert!(w.check().is_ok());
        assert!(WorkloadWeights { home: 0, ..w }.check().is_err());
        assert!(WorkloadWeights { asb_case: 1001, ..w }.check().is_err());
        assert!(WorkloadWeights { challenging_pct: 49, ..w }.check().unwrap_err().contains("50% to 100%"));
        assert!(WorkloadWeights { challenging_pct: 100, ..w }.check().is_ok());
        // Weights stored before the share existed read with the default.
        let old: WorkloadWeights =
            serde_json::from_str(r#"{"home":10,"introductory":10,"arrears":5,"asb_case":20,"sustain_case":5,"vulnerability":5}"#).unwrap();
        assert_eq!(old.challenging_pct, CHALLENGING_PCT_DEFAULT);
    }

    #[test]
    fn packing_round_trips_and_rejects_ragged_columns() {
        let homes = vec![
            MapHome { id: 5, x: -120, y: 40, patch: 0, flags: 3, street: 0 },
            MapHome { id: 6, x: -118, y: 41, patch: 0, flags: 0, street: 0 },
            MapHome { id: 900, x: 3000, y: -2500, patch: 2, flags: 0x7f, street: 1 },
        ];
        let p = PackedHomes::pack(&homes, vec!["Moor Lane".into(), "Bramham House".into()]);
        assert_eq!(p.id, vec![5, 1, 894]);
        assert_eq!(p.x, vec![-120, 2, 3118]);
        assert_eq!(p.unpack().unwrap(), homes);
        let mut bad = p.clone();
        bad.flags.pop();
        assert_eq!(bad.unpack(), None);
    }

    #[test]
    fn streets_come_from_the_first_line() {
        assert_eq!(street_of("12 Moor Lane"), "Moor Lane");
        assert_eq!(street_of("Flat 3, Bramham House"), "Bramham House");
        assert_eq!(street_of("The Old Forge"), "The Old Forge");
        assert_eq!(street_of("  7a  Tang Hall Lane "), "Tang Hall Lane");
    }

    #[test]
    fn projection_round_trips_and_is_metric() {
        let p = Projection { lat0: 53.96, lon0: -1.08 };
        let (x, y) = p.project(53.97, -1.07);
        assert!((y - 1111.3).abs() < 1.0, "{y}");
        assert!((x - 655.8).abs() < 2.0, "{x}");
        let (lat, lon) = p.unproject(x, y);
        assert!((lat - 53.97).abs() < 1e-9 && (lon + 1.07).abs() < 1e-9);
        let c = Projection::around([(53.9, -1.2), (54.0, -1.0)].into_iter());
        assert!((c.lat0 - 53.95).abs() < 1e-9 && (c.lon0 + 1.1).abs() < 1e-9);
    }

    #[test]
    fn totals_and_band() {
        let w = WorkloadWeights::default();
        let intro = HomeFacts { tenure: Some(Tenure::Introductory), ..Default::default() }.flags();
        let flags = [0, intro, 0, ASB_CASE | 3];
        let t = totals(&flags, &[0, 0, 1, 1], 2, &w);
        assert_eq!(t[0].homes, 2);
        assert_eq!(t[0].weight, 30);
        assert_eq!(t[0].introductory, 1);
        assert_eq!(t[1].asb, 1);
        assert_eq!(t[1].weight, 40);
        let band = Band::new(70, 2, 10);
        assert_eq!(band.target, 35.0);
        assert_eq!(Bands::new(70, 2, 0, 85, 10).of(false), band);
        assert_eq!(band.status(30), LoadStatus::Under);
        assert_eq!(band.status(38), LoadStatus::Within);
        assert_eq!(band.status(39), LoadStatus::Over);
        assert_eq!(totals_of(&flags, [1, 3].into_iter(), &w).homes, 2);
        assert_eq!(homes_equivalent(3125), "312.5");
        assert_eq!(homes_equivalent(3120), "312");
    }

    #[test]
    fn every_mode_has_a_legend_entry_for_every_category_with_distinct_shapes() {
        let w = WorkloadWeights::default();
        for mode in ColourMode::ALL.into_iter().filter(|m| *m != ColourMode::Patch) {
            let l = legend(mode);
            let mut shapes: Vec<_> = l.iter().map(|i| i.shape).collect();
            shapes.dedup();
            assert_eq!(shapes.len(), l.len(), "{mode:?}: shapes repeat");
            for f in 0..=255u16 {
                assert!(category(mode, f, &w) < l.len(), "{mode:?} flags {f}");
            }
            assert_eq!(ColourMode::parse(mode.code()), Some(mode));
        }
        assert_eq!(category(ColourMode::Cases, ASB_CASE | SUSTAIN_CASE, &w), 3);
        assert_eq!(category(ColourMode::Workload, 3, &w), 0);
        assert_eq!(category(ColourMode::Workload, 1, &w), 1);
        assert_eq!(category(ColourMode::Workload, 1 | ASB_CASE, &w), 2);
        // Neighbouring patches differ in colour; after the palette wraps they differ in shape.
        assert_ne!(patch_colour(0), patch_colour(1));
        assert_eq!(patch_colour(0), patch_colour(12));
        assert_ne!(patch_shape(0), patch_shape(12));
    }

    #[test]
    fn draft_moves_and_undoes_in_batches() {
        let base = vec![0u16, 0, 1, 1, 2];
        let mut now = base.clone();
        let mut d = Draft::default();
        assert_eq!(d.move_homes(&mut now, &[0, 1, 2], 1), 2, "home 2 is already in patch 1");
        assert_eq!(d.move_homes(&mut now, &[4], 0), 1);
        assert_eq!(d.move_homes(&mut now, &[4], 0), 0, "no empty batches");
        assert_eq!(d.batches(), 2);
        assert_eq!(net_moves(&base, &now), vec![(0, 0, 1), (1, 0, 1), (4, 2, 0)]);
        assert_eq!(d.undo(&mut now), 1);
        assert_eq!(d.undo(&mut now), 2);
        assert_eq!(d.undo(&mut now), 0);
        assert_eq!(now, base);
        assert_eq!(d.move_each(&mut now, &[(0, 2), (4, 2), (3, 0)]), 2, "home 4 is already in patch 2");
        assert_eq!(now, vec![2, 0, 1, 0, 2]);
        assert_eq!(d.undo(&mut now), 2);
        assert_eq!(now, base);
        assert!(d.is_empty());
    }

    #[test]
    fn a_change_needs_a_reason_and_distinct_moves() {
        let mv = |p, t| HomeMove { property_id: p, to_patch: t };
        let mut c = PatchChangeRequest { area_team_id: 1, reason: "Balancing after the new build".into(), moves: vec![mv(1, 2), mv(2, 2)], versions: vec![] };
        assert!(check_change(&c).is_ok());
        c.reason = " ok ".into();
        assert!(check_change(&c).unwrap_err().contains("Say why"));
        c.reason = "Balancing".into();
        c.moves.push(mv(1, 3));
        assert!(check_change(&c).unwrap_err().contains("twice"));
        c.moves.clear();
        assert!(check_change(&c).unwrap_err().contains("Select homes"));
        let touched = touched_patches(&[mv(1, 2), mv(2, 2), mv(3, 5)], |p| Some(if p == 3 { 2 } else { 1 }));
        assert_eq!(touched, vec![1, 2, 5]);
    }

    #[test]
    fn polygon_selection() {
        let square = [(0.0, 0.0), (10.0, 0.0), (10.0, 10.0), (0.0, 10.0)];
        assert!(point_in_polygon(5.0, 5.0, &square));
        assert!(!point_in_polygon(15.0, 5.0, &square));
        // A concave "C": the notch is outside.
        let c = [(0.0, 0.0), (10.0, 0.0), (10.0, 3.0), (3.0, 3.0), (3.0, 7.0), (10.0, 7.0), (10.0, 10.0), (0.0, 10.0)];
        assert!(!point_in_polygon(6.0, 5.0, &c));
        assert!(point_in_polygon(1.0, 5.0, &c));
        let xs = [1.0f32, 6.0, 1.0, 20.0];
        let ys = [5.0f32, 5.0, 9.0, 5.0];
        assert_eq!(select_in_polygon(&xs, &ys, &c), vec![0, 2]);
        assert!(select_in_polygon(&xs, &ys, &c[..2]).is_empty());
    }

    #[test]
    fn hulls_simplifying_smoothing_and_ring_encoding() {
        let pts = [(0, 0), (10, 0), (5, 5), (10, 10), (0, 10), (5, 5)];
        assert_eq!(convex_hull(&pts), vec![(0, 0), (10, 0), (10, 10), (0, 10)]);
        assert_eq!(convex_hull(&[(1, 1), (1, 1)]), vec![(1, 1)]);
        let square = [(0.0, 0.0), (4.0, 0.0), (4.0, 4.0), (0.0, 4.0), (0.0, 0.0)];
        let once = smooth_ring(&square, 1);
        assert_eq!(once.len(), 8, "closing point dropped, two points per edge");
        assert_eq!(once[0], (1.0, 0.0));
        assert_eq!(once[1], (3.0, 0.0));
        // A shared edge traced the other way gives the same points.
        let other = smooth_ring(&[(4.0, 0.0), (0.0, 0.0), (0.0, -4.0), (4.0, -4.0)], 1);
        assert!(other.contains(&(1.0, 0.0)) && other.contains(&(3.0, 0.0)));
        assert_eq!(smooth_ring(&square, 2).len(), 16);
        // A staircase simplifies to its diagonal; a square keeps its corners.
        let stairs: Vec<(f64, f64)> = (0..10).flat_map(|i| [(i as f64, i as f64), (i as f64 + 1.0, i as f64)]).chain([(10.0, 10.0), (0.0, 10.0)]).collect();
        let simple = simplify_ring(&stairs, 1.0);
        assert!(simple.len() <= 5, "{simple:?}");
        assert_eq!(simplify_ring(&square, 0.5).len(), 4);
        let enc = encode_ring(&[(100.2, -50.0), (103.0, -48.0), (103.0, -48.0), (90.0, -60.0)]);
        assert_eq!(enc, vec![100, -50, 3, 2, -13, -12]);
        assert_eq!(decode_ring(&enc), vec![(100.0, -50.0), (103.0, -48.0), (90.0, -60.0)]);
    }
}
