//! The patch map: an area's homes packed for the browser, home cards, balance suggestions and
//! patch changes. Shared by the map page's server functions and `/api/v1/map`. Officers and
//! Team Leaders see their own area (the council-wide teams any area); only the area's Team
//! Leaders reshape it. Every saved change is audited.
use std::collections::HashMap;

use super::store::MapSource;
use crate::api::store::Store;
use crate::domain::Role;
use crate::domain::access::{Denial, Principal, RecordScope, can_view_record};
use crate::domain::mapdata::*;
use crate::domain::patchmap;
use crate::error::AppError;

/// Cell size of the territory grid for an area of the given extent (metres): fine enough for
/// streets, coarse enough to stay fast on a 25,000-home area.
fn cell_for(extent: f64) -> f64 {
    (extent / 220.0).clamp(35.0, 120.0)
}
/// Territories reach this many cells from the nearest home, so a patch's clusters join into one region.
const REACH: u32 = 10;

type TerritoryKey = (i64, i64, usize, Option<i64>);
/// The last territories drawn for each area, by (area, latest change, homes, last home id).
type DrawnTerritories = HashMap<i64, (TerritoryKey, Vec<Territory>)>;
static TERRITORIES: std::sync::LazyLock<std::sync::Mutex<DrawnTerritories>> = std::sync::LazyLock::new(Default::default);

/// Which area's map `who` may open (`requested`, or their own); 0 is the whole council, for the
/// council-wide teams.
pub fn map_area(who: &Principal, requested: Option<i64>) -> Result<i64, AppError> {
    let own = crate::domain::access::searchable_area(who).map_err(AppError::from)?;
    match (own, requested) {
        (Some(own), Some(r)) if r != own => Err(AppError::from(Denial::OtherArea)),
        (Some(own), _) => Ok(own),
        (None, r) => Ok(r.unwrap_or(1)),
    }
}

struct Prepared {
    src: MapSource,
    projection: Projection,
    homes: Vec<MapHome>,
    streets: Vec<String>,
    weights: WorkloadWeights,
    cell: f64,
}

impl Prepared {
    fn patch_index(&self) -> HashMap<i64, u16> {
        self.src.patches.iter().enumerate().map(|(k, p)| (p.id, k as u16)).collect()
    }
    fn pm_homes(&self, assignment: &[u16]) -> Vec<patchmap::Home> {
        self.homes
            .iter()
            .zip(assignment)
            .map(|(h, p)| patchmap::Home {
                id: h.id,
                x: h.x as f64,
                y: h.y as f64,
                patch: self.src.patches[*p as usize].id,
                weight: self.weights.weight(h.flags),
            })
            .collect()
    }
    fn territories(&self, assignment: &[u16]) -> Vec<Territory> {
        let homes = self.pm_homes(assignment);
        patchmap::territories(&homes, &[], self.cell, REACH)
            .into_iter()
            .map(|(patch, rings)| Territory {
                patch,
                rings: rings.iter().map(|r| encode_ring(&smooth_ring(&simplify_ring(r, self.cell * 0.6), 1))).filter(|r| r.len() >= 6).collect(),
            })
            .collect()
    }
    fn base(&self) -> Vec<u16> {
        self.homes.iter().map(|h| h.patch).collect()
    }
}

async fn prepare(store: &dyn Store, area: i64) -> Result<Prepared, AppError> {
    let src = store.map_source(area, &store.today().to_string()).await?;
    let weights = store.workload_weights().await?;
    let projection = Projection::around(src.homes.iter().map(|h| (h.lat, h.lon)));
    let index: HashMap<i64, u16> = src.patches.iter().enumerate().map(|(k, p)| (p.id, k as u16)).collect();
    let mut street_ix: HashMap<String, u32> = HashMap::new();
    let mut streets = Vec::new();
    let mut homes = Vec::with_capacity(src.homes.len());
    let (mut x0, mut x1, mut y0, mut y1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for h in &src.homes {
        let (x, y) = projection.project(h.lat, h.lon);
        x0 = x0.min(x);
        x1 = x1.max(x);
        y0 = y0.min(y);
        y1 = y1.max(y);
        let street = street_of(&h.line1);
        let next = streets.len() as u32;
        let s = *street_ix.entry(street.clone()).or_insert_with(|| {
            streets.push(street);
            next
        });
        let Some(&patch) = index.get(&h.patch_id) else { continue };
        homes.push(MapHome { id: h.id, x: x.round() as i32, y: y.round() as i32, patch, flags: h.facts.flags(), street: s });
    }
    let extent = if x0 > x1 { 1000.0 } else { (x1 - x0).max(y1 - y0) };
    Ok(Prepared { src, projection, homes, streets, weights, cell: cell_for(extent) })
}

fn ward_outlines(p: &Projection, wards: &[(String, String)]) -> Vec<Outline> {
    fn ring(p: &Projection, coords: &serde_json::Value) -> Option<Vec<i32>> {
        let pts: Vec<(i32, i32)> = coords
            .as_array()?
            .iter()
            .filter_map(|c| {
                let lon = c.get(0)?.as_f64()?;
                let lat = c.get(1)?.as_f64()?;
                let (x, y) = p.project(lat, lon);
                Some((x.round() as i32, y.round() as i32))
            })
            .collect();
        let ring: Vec<(f64, f64)> = pts.iter().map(|&(x, y)| (x as f64, y as f64)).collect();
        let simple = simplify_ring(&ring, 8.0);
        (simple.len() >= 3).then(|| encode_ring(&simple))
    }
    wards
        .iter()
        .filter_map(|(name, json)| {
            let g: serde_json::Value = serde_json::from_str(json).ok()?;
            let polys: Vec<&serde_json::Value> = match g.get("type")?.as_str()? {
                "Polygon" => vec![g.get("coordinates")?],
                "MultiPolygon" => g.get("coordinates")?.as_array()?.iter().collect(),
                _ => return None,
            };
            let rings = polys.iter().filter_map(|poly| poly.as_array()).flat_map(|rs| rs.iter().filter_map(|r| ring(p, r))).collect();
            Some(Outline { name: name.clone(), rings })
        })
        .collect()
}

fn estate_outlines(src: &MapSource, homes: &[MapHome]) -> Vec<Outline> {
    let mut by_estate: HashMap<i64, Vec<(i32, i32)>> = HashMap::new();
    for (row, h) in src.homes.iter().zip(homes) {
        if let Some(e) = row.estate_id {
            by_estate.entry(e).or_default().push((h.x, h.y));
        }
    }
    src.estates
        .iter()
        .filter_map(|(id, name)| {
            let hull = convex_hull(by_estate.get(id)?);
            let ring: Vec<(f64, f64)> = hull.iter().map(|&(x, y)| (x as f64, y as f64)).collect();
            (hull.len() >= 3).then(|| Outline { name: name.clone(), rings: vec![encode_ring(&ring)] })
        })
        .collect()
}

pub async fn map_data(store: &dyn Store, settings: &crate::api::kit::settings::Settings, who: &Principal, area: Option<i64>) -> Result<MapData, AppError> {
    let area = map_area(who, area)?;
    let p = prepare(store, area).await?;
    // Today's territories change only with a patch change (or new homes): keep the last ones per area.
    let key = (area, p.src.change, p.homes.len(), p.homes.last().map(|h| h.id));
    let cached = TERRITORIES.lock().ok().and_then(|c| c.get(&area).filter(|(k, _)| *k == key).map(|(_, t)| t.clone()));
    let territories = match cached {
        Some(t) => t,
        None => {
            let t = p.territories(&p.base());
            if let Ok(mut c) = TERRITORIES.lock() {
                c.insert(area, (key, t.clone()));
            }
            t
        }
    };
    Ok(MapData {
        area_team_id: area,
        area: p.src.area.clone(),
        change: p.src.change,
        origin: p.projection,
        can_reshape: may_reshape(who, area),
        weights: p.weights,
        wards: ward_outlines(&p.projection, &p.src.wards),
        estates: estate_outlines(&p.src, &p.homes),
        territories,
        homes: PackedHomes::pack(&p.homes, p.streets.clone()),
        patches: p.src.patches.clone(),
        tile_url: settings.tile_url.clone(),
    })
}

/// One home's card. Like a tenancy's page, views from outside the user's area (Legal, the Hub)
/// and every refusal are audited.
pub async fn home_card(store: &dyn Store, who: &Principal, property_id: i64, ip: &str) -> Result<HomeCard, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let Some((card, area)) = store.home_card(property_id).await? else { return Err(AppError::NotFound("That home".into())) };
    let scope = RecordScope { area_team_id: area, owner_id: None, restricted: false, granted: false, duty: false };
    let outcome = can_view_record(who, &scope);
    if crate::api::kit::audit::worth_auditing(who, &scope, outcome) {
        crate::api::kit::audit::audit(store, who, ip, "view_home_card", "property", Some(property_id), outcome, card.property_reference.clone()).await?;
    }
    outcome?;
    Ok(card)
}

pub async fn home_rows(store: &dyn Store, who: &Principal, area: i64, ids: &[i64]) -> Result<Vec<HomeRow>, AppError> {
    let area = map_area(who, Some(area))?;
    if ids.len() > 500 {
        return Err(AppError::Invalid("Ask for at most 500 homes at a time.".into()));
    }
    store.home_rows(area, ids).await
}

pub fn check_balance(officers: usize, tolerance_pct: u32, patches: usize) -> Result<(), AppError> {
    if officers == 0 || officers > patches {
        return Err(AppError::Invalid(format!(
            "Choose from 1 to {patches} officers: the suggestion shares the area among today's patches (a patch left empty can be given up)."
        )));
    }
    if !(1..=50).contains(&tolerance_pct) {
        return Err(AppError::Invalid("Choose a tolerance from 1% to 50%.".into()));
    }
    Ok(())
}

pub async fn balance(store: &dyn Store, who: &Principal, area: i64, officers: usize, tolerance_pct: u32) -> Result<BalanceView, AppError> {
    let area = map_area(who, Some(area))?;
    if area == 0 {
        return Err(AppError::Invalid("Choose one area team to balance: patches do not cross areas.".into()));
    }
    let p = prepare(store, area).await?;
    check_balance(officers, tolerance_pct, p.src.patches.len())?;
    let base = p.base();
    let homes = p.pm_homes(&base);
    let started = std::time::Instant::now();
    let adj = patchmap::Adjacency::build(&homes, p.cell);
    let proposal = patchmap::balance(&homes, &adj, &patchmap::BalanceOptions { officers, tolerance: tolerance_pct as f64 / 100.0, max_millis: 1500 });
    let millis = started.elapsed().as_millis() as u64;
    let mut index = p.patch_index();
    let n = p.src.patches.len();
    let flags: Vec<u16> = p.homes.iter().map(|h| h.flags).collect();
    let today_t = totals(&flags, &base, n, &p.weights);
    // A split makes new patch ids: they take today's empty patches, in order.
    let mut empty = (0..n).filter(|k| today_t[*k].homes == 0).map(|k| k as u16);
    for (id, _) in &proposal.totals {
        if !index.contains_key(id)
            && let Some(k) = empty.next()
        {
            index.insert(*id, k);
        }
    }
    let assignment: Vec<u16> = proposal.assignment.iter().zip(&base).map(|(id, b)| index.get(id).copied().unwrap_or(*b)).collect();
    let prop_t = totals(&flags, &assignment, n, &p.weights);
    let challenging = p.src.patches.iter().filter(|pa| pa.officer_id.is_some() && pa.challenging).count();
    let bands = Bands::new(today_t.iter().map(|t| t.weight).sum(), officers, challenging, p.weights.challenging_pct, tolerance_pct);
    let band = bands.ordinary;
    let rows = p
        .src
        .patches
        .iter()
        .enumerate()
        .map(|(k, pa)| BalanceRow {
            patch: pa.name.clone(),
            officer: pa.officer.clone(),
            today_homes: today_t[k].homes,
            today_weight: today_t[k].weight,
            proposed_homes: prop_t[k].homes,
            proposed_weight: prop_t[k].weight,
            status: if prop_t[k].homes == 0 { LoadStatus::Within } else { bands.of(pa.challenging).status(prop_t[k].weight) },
        })
        .collect();
    Ok(BalanceView {
        change: p.src.change,
        moves: net_moves(&base, &assignment).len(),
        territories: p.territories(&assignment),
        assignment,
        officers,
        tolerance_pct,
        within_tolerance: proposal.within_tolerance,
        all_contiguous: proposal.all_contiguous,
        millis,
        band,
        rows,
    })
}

/// Territories for a draft: today's patches with the draft's moves applied.
pub async fn draft_territories(store: &dyn Store, who: &Principal, area: i64, moves: &[HomeMove]) -> Result<Vec<Territory>, AppError> {
    let area = map_area(who, Some(area))?;
    let p = prepare(store, area).await?;
    let index = p.patch_index();
    let to: HashMap<i64, u16> = moves.iter().filter_map(|m| Some((m.property_id, *index.get(&m.to_patch)?))).collect();
    let assignment: Vec<u16> = p.homes.iter().map(|h| to.get(&h.id).copied().unwrap_or(h.patch)).collect();
    Ok(p.territories(&assignment))
}

pub async fn save_change(store: &dyn Store, who: &Principal, c: &PatchChangeRequest, ip: &str) -> Result<SavedPatchChange, AppError> {
    let area = map_area(who, Some(c.area_team_id))?;
    if !may_reshape(who, area) {
        return Err(AppError::Forbidden("Only the area's Team Leader can change its patches.".into()));
    }
    check_change(c).map_err(AppError::Invalid)?;
    // The store writes what moved into the entry's detail, in the change's transaction.
    let mut entry = crate::api::kit::audit::change(who, ip, "patch_change", "area_team", Some(area), String::new());
    entry.reason = c.reason.trim().into();
    store.apply_patch_change(c, who.user_id, entry).await
}

pub async fn changes_since(store: &dyn Store, who: &Principal, area: Option<i64>, since: i64) -> Result<PatchChangesSince, AppError> {
    let area = map_area(who, area)?;
    store.patch_changes_since(area, since, &store.today().to_string()).await
}

pub async fn set_weights(store: &dyn Store, who: &Principal, w: &WorkloadWeights, ip: &str) -> Result<WorkloadWeights, AppError> {
    if who.role != Role::Admin {
        return Err(AppError::Forbidden("Only administrators change the workload weights.".into()));
    }
    w.check().map_err(AppError::Invalid)?;
    store.set_workload_weights(w, crate::api::kit::audit::change(who, ip, "workload_weights", "settings", None, format!("{w:?}"))).await?;
    Ok(*w)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::test_principal;

    #[test]
    fn map_access_by_role_and_area() {
        let tl = test_principal(1, Role::TeamLeader, Some(2), None);
        assert_eq!(map_area(&tl, None).unwrap(), 2);
        assert_eq!(map_area(&tl, Some(2)).unwrap(), 2);
        assert!(matches!(map_area(&tl, Some(3)), Err(AppError::Forbidden(_))));
        assert!(may_reshape(&tl, 2));
        assert!(!may_reshape(&tl, 3));
        let hmo = test_principal(2, Role::CommunityHmo, Some(2), None);
        assert_eq!(map_area(&hmo, None).unwrap(), 2);
        assert!(!may_reshape(&hmo, 2), "officers see the map; only Team Leaders reshape");
        let asb = test_principal(3, Role::AsbOfficer, None, None);
        assert_eq!(map_area(&asb, Some(3)).unwrap(), 3);
        assert_eq!(map_area(&asb, Some(0)).unwrap(), 0, "the whole council");
        assert!(map_area(&tl, Some(0)).is_err(), "area-bound users see their own area");
        assert!(!may_reshape(&asb, 3));
        for role in [Role::Partner, Role::Admin] {
            assert!(map_area(&test_principal(4, role, Some(2), Some(1)), Some(2)).is_err(), "{role:?}");
        }
    }

    #[test]
    fn balance_inputs_are_checked() {
        assert!(check_balance(10, 10, 12).is_ok());
        assert!(check_balance(0, 10, 12).is_err());
        assert!(check_balance(13, 10, 12).is_err());
        assert!(check_balance(10, 0, 12).is_err());
        assert!(check_balance(10, 51, 12).is_err());
    }

    #[test]
    fn cells_scale_with_the_area() {
        assert_eq!(cell_for(1000.0), 35.0);
        assert!((cell_for(15_000.0) - 68.18).abs() < 0.1);
        assert_eq!(cell_for(100_000.0), 120.0);
    }
}
