//! The housing stock, built in memory before anything is written: homes on real postcode points,
//! streets and estates named per neighbourhood, blocks of flats numbered by floor, and patches
//! cut from each area by recursive bisection (compact, smaller where work is heavier). Homes are
//! numbered along a Hilbert curve, so neighbouring references are neighbouring homes.

use std::collections::{BTreeMap, HashMap, HashSet};

use app::domain::PropertyType;
use rand::seq::IndexedRandom;
use rand::Rng;
use rand_chacha::ChaCha8Rng;

use super::geo::{AREAS, Point, Ward, hilbert, offset};
use super::names::*;

/// Homes per patch the cutter aims for (challenging homes count 10% more, so their patches
/// are smaller); every patch lands within [`PATCH_MIN`, `PATCH_MAX`] homes.
pub const PATCH_TARGET: f64 = 290.0;
const CHALLENGING_WEIGHT: f64 = 1.10;
pub const PATCH_MIN: f64 = 250.0;
pub const PATCH_MAX: f64 = 320.0;
/// A cut moves to the next postcode boundary only if it is this close (homes).
const BOUNDARY_SLACK: f64 = 8.0;

#[derive(Clone, Debug)]
pub struct Home {
    pub id: i64,
    pub reference: String,
    pub point: usize,
    /// Index into the wards slice.
    pub ward: usize,
    pub area: usize,
    pub ptype: PropertyType,
    pub bedrooms: i64,
    pub address: String,
    pub address2: String,
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
    pub block: Option<usize>,
    pub floor: Option<i64>,
    pub estate: usize,
    pub independent: bool,
    pub patch: usize,
}

#[derive(Clone, Debug)]
pub struct Block {
    pub id: i64,
    pub name: String,
    pub estate: usize,
    pub storeys: i64,
    pub postcode: String,
}

#[derive(Clone, Debug)]
pub struct Estate {
    pub id: i64,
    pub name: String,
    /// The neighbourhood word ("Tang Hall"), used for street and patch names.
    pub word: String,
    pub ward: usize,
    pub area: usize,
}

#[derive(Clone, Debug)]
pub struct Patch {
    pub id: i64,
    pub area: usize,
    /// 1-based number within the area ("East 04").
    pub number: usize,
    pub name: String,
    pub challenging: bool,
    #[cfg_attr(not(test), allow(dead_code))]
    pub homes: usize,
}

#[derive(Debug, Default)]
pub struct Stock {
    pub homes: Vec<Home>,
    pub blocks: Vec<Block>,
    pub estates: Vec<Estate>,
    pub patches: Vec<Patch>,
}

impl Stock {
    pub fn area_homes(&self, area: usize) -> usize {
        self.homes.iter().filter(|h| h.area == area).count()
    }
}

struct BlockPlan {
    storeys: i64,
    per_floor: usize,
    flats: usize,
    scheme: bool,
}

struct Plan {
    point: usize,
    street: usize,
    block: Option<BlockPlan>,
}

/// Picks postcode points (weighted towards council neighbourhoods) and how many homes each holds.
fn plan(rng: &mut ChaCha8Rng, points: &[Point], ward_of: &HashMap<&str, usize>, wards: &[Ward], homes: usize) -> Vec<Plan> {
    // Weighted sampling without replacement (Efraimidis–Spirakis keys).
    let mut keyed: Vec<(f64, usize)> = points
        .iter()
        .enumerate()
        .filter_map(|(i, p)| ward_of.get(p.ward_code.as_str()).map(|&w| (i, wards[w].weight)))
        .map(|(i, w)| (-(rng.random::<f64>().max(1e-12)).ln() / w, i))
        .collect();
    keyed.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    let base = if homes <= 20_000 { 8 } else { homes.div_ceil(keyed.len()).max(8) };
    // About 30% of homes in blocks: a block point holds ~20 flats, a street point ~`base` homes.
    let p_block = 0.3 * base as f64 / (14.35 + 0.3 * base as f64);
    let mut plans: Vec<Plan> = Vec::new();
    let mut total = 0usize;
    let mut last = 0usize;
    'fill: for cycle in 0.. {
        for (k, &(_, point)) in keyed.iter().enumerate() {
            if total >= homes {
                break 'fill;
            }
            if cycle == 0 {
                let block = rng.random_bool(p_block).then(|| {
                    let tall = rng.random_bool(0.15);
                    let scheme = !tall && rng.random_bool(0.15);
                    let (storeys, per_floor) = if tall {
                        (rng.random_range(8..=16), rng.random_range(4..=6))
                    } else if scheme {
                        (rng.random_range(2..=3), rng.random_range(6..=10))
                    } else {
                        (rng.random_range(3..=6), rng.random_range(2..=4))
                    };
                    BlockPlan { storeys, per_floor, flats: storeys as usize * per_floor, scheme }
                });
                let street = if block.is_some() { 0 } else { rng.random_range(base / 2..=base * 3 / 2) };
                total += street + block.as_ref().map_or(0, |b| b.flats);
                plans.push(Plan { point, street, block });
                last = plans.len() - 1;
            } else {
                // More homes than points can hold at `base` each: streets grow longer.
                let add = base.div_ceil(2);
                plans[k].street += add;
                total += add;
                last = k;
            }
        }
    }
    // Trim the last plan touched to land exactly on `homes`.
    let mut excess = total - homes;
    let p = &mut plans[last];
    let cut = excess.min(p.street);
    p.street -= cut;
    excess -= cut;
    if let Some(b) = p.block.as_mut() {
        b.flats -= excess.min(b.flats - 1);
    }
    plans.sort_by_key(|p| (hilbert(points[p.point].lat, points[p.point].lon), p.point));
    plans
}

fn unique(name: String, used: &mut HashSet<String>) -> String {
    if used.insert(name.clone()) {
        return name;
    }
    for n in 2.. {
        let candidate = format!("{name} {n}");
        if used.insert(candidate.clone()) {
            return candidate;
        }
    }
    unreachable!()
}

/// A street name from a neighbourhood or a York word: "Tang Hall Lane", "Stockton Lane".
fn street_name(rng: &mut ChaCha8Rng, estate_word: &str) -> String {
    let word = if rng.random_bool(0.3) {
        estate_word.trim_end_matches(" North").trim_end_matches(" South").trim_end_matches(" West").trim_end_matches(" East").trim_start_matches("The ")
    } else {
        STREET_FIRST.choose(rng).copied().unwrap_or("Tang Hall")
    };
    if STREET_ENDINGS.iter().any(|e| word.ends_with(&format!(" {e}"))) {
        word.to_string()
    } else {
        format!("{word} {}", STREET_LAST.choose(rng).copied().unwrap_or("Road"))
    }
}

pub fn build(rng: &mut ChaCha8Rng, points: &[Point], wards: &[Ward], homes: usize) -> Stock {
    let ward_of: HashMap<&str, usize> = wards.iter().enumerate().map(|(i, w)| (w.code.as_str(), i)).collect();
    let plans = plan(rng, points, &ward_of, wards, homes);
    let wide = homes > 20_000;
    let mut stock = Stock::default();
    let mut estate_of: BTreeMap<(usize, String), usize> = BTreeMap::new();
    let mut estates_in_ward: HashMap<usize, usize> = HashMap::new();
    let mut used_estates = HashSet::new();
    let mut used_blocks = HashSet::new();
    let mut next_number: HashMap<String, i64> = HashMap::new();
    let (mut block_names, mut scheme_names) = (BLOCK_NAMES.iter(), SCHEME_NAMES.iter());

    for plan in &plans {
        let p = &points[plan.point];
        let ward = ward_of[p.ward_code.as_str()];
        let area = wards[ward].area;
        let sector = p.postcode[..p.postcode.len() - 2].to_string();
        let estate = *estate_of.entry((ward, sector)).or_insert_with(|| {
            let n = estates_in_ward.entry(ward).or_default();
            let listed = ESTATES_BY_WARD.iter().find(|(w, _)| *w == wards[ward].name).map(|(_, e)| *e).unwrap_or(&[]);
            let word = match listed.get(*n) {
                Some(w) => w.to_string(),
                None => {
                    let stem = wards[ward].name.split([' ', ',']).next().unwrap_or("York");
                    format!("{stem} {}", ["Park", "Fields", "Grange", "Meadows", "Vale", "Court"][*n % 6])
                }
            };
            *n += 1;
            let name = unique(format!("{word} Estate"), &mut used_estates);
            stock.estates.push(Estate { id: stock.estates.len() as i64 + 1, name, word, ward, area });
            stock.estates.len() - 1
        });
        let street = street_name(rng, &stock.estates[estate].word);
        let push = |stock: &mut Stock, ptype, bedrooms, address: String, address2: String, lat, lon, block, floor, independent| {
            let id = stock.homes.len() as i64 + 1;
            stock.homes.push(Home {
                id,
                reference: format!("PR{:06}", 100_000 + id),
                point: plan.point,
                ward,
                area,
                ptype,
                bedrooms,
                address,
                address2,
                postcode: p.postcode.clone(),
                lat,
                lon,
                block,
                floor,
                estate,
                independent,
                patch: 0,
            });
        };

        if let Some(b) = &plan.block {
            let name = if b.scheme {
                scheme_names.next().map(|s| s.to_string())
            } else {
                block_names.next().map(|s| s.to_string())
            };
            let name = name.unwrap_or_else(|| {
                let kind = if b.storeys >= 10 { "Tower" } else if b.scheme { "Lodge" } else { BLOCK_KINDS.choose(rng).copied().unwrap_or("House") };
                format!("{} {kind}", STREET_FIRST.choose(rng).copied().unwrap_or("Foss"))
            });
            let name = unique(name, &mut used_blocks);
            stock.blocks.push(Block { id: stock.blocks.len() as i64 + 1, name: name.clone(), estate, storeys: b.storeys, postcode: p.postcode.clone() });
            let block = stock.blocks.len() - 1;
            let number = next_number.entry(street.clone()).or_insert_with(|| rng.random_range(1..30));
            let block_address = format!("{number} {street}");
            *number += 2;
            for k in 0..b.flats {
                let floor = (k / b.per_floor) as i64;
                let beds = if b.scheme { *[0i64, 1, 1, 1, 1, 2].choose(rng).unwrap_or(&1) } else { *[0i64, 1, 1, 1, 2, 2, 2, 3].choose(rng).unwrap_or(&1) };
                let ptype = match beds {
                    0 => PropertyType::Bedsit,
                    3 if rng.random_bool(0.5) => PropertyType::Maisonette,
                    _ => PropertyType::Flat,
                };
                let (dlat, dlon) = offset(p.lat, rng.random_range(-3.0..3.0), rng.random_range(-3.0..3.0));
                push(&mut stock, ptype, beds, format!("Flat {}, {name}", k + 1), block_address.clone(), p.lat + dlat, p.lon + dlon, Some(block), Some(floor), b.scheme);
            }
        }
        if plan.street > 0 {
            // The kind of street: mostly houses; bungalow closes (often independent living); converted flats; maisonettes.
            let roll: f64 = rng.random();
            let (kind, independent) = if roll < 0.66 {
                (PropertyType::House, false)
            } else if roll < 0.82 {
                (PropertyType::Bungalow, rng.random_bool(0.5))
            } else if roll < 0.92 {
                (PropertyType::Flat, false)
            } else {
                (PropertyType::Maisonette, false)
            };
            let angle: f64 = rng.random_range(0.0..std::f64::consts::PI);
            let spacing = if kind == PropertyType::Bungalow { 14.0 } else { 9.0 };
            let spread = if wide { 12.0 } else { 4.0 };
            let number = next_number.entry(street.clone()).or_insert_with(|| rng.random_range(1..30));
            let mut k = 0;
            while k < plan.street {
                let along = (k as f64 - plan.street as f64 / 2.0) * spacing;
                let across = rng.random_range(-spread..spread);
                let (dlat, dlon) = offset(p.lat, along * angle.sin() + across * angle.cos(), along * angle.cos() - across * angle.sin());
                let n = *number;
                *number += 2;
                if kind == PropertyType::Flat {
                    // A converted house: flats 1 and 2 at the same number.
                    for flat in 1..=2 {
                        if k < plan.street {
                            let beds = *[1i64, 1, 2].choose(rng).unwrap_or(&1);
                            push(&mut stock, kind, beds, format!("Flat {flat}, {n} {street}"), String::new(), p.lat + dlat, p.lon + dlon, None, Some(flat - 1), false);
                            k += 1;
                        }
                    }
                    continue;
                }
                let beds = match kind {
                    PropertyType::House => *[2i64, 2, 3, 3, 3, 3, 3, 4, 4, 5].choose(rng).unwrap_or(&3),
                    PropertyType::Bungalow => *[1i64, 1, 1, 2, 2].choose(rng).unwrap_or(&1),
                    _ => *[2i64, 2, 3].choose(rng).unwrap_or(&2),
                };
                push(&mut stock, kind, beds, format!("{n} {street}"), String::new(), p.lat + dlat, p.lon + dlon, None, None, independent);
                k += 1;
            }
        }
    }
    cut_patches(&mut stock, points, wards);
    stock
}

/// Each area's homes split into patches by recursive bisection: the area is cut across its
/// longer side so that each part holds its share of the weighted homes (challenging homes weigh
/// more, so their patches are smaller), moving each cut to a postcode boundary where one is near,
/// until every part is one compact patch.
fn cut_patches(stock: &mut Stock, points: &[Point], wards: &[Ward]) {
    for area in 0..AREAS.len() {
        let mut idx: Vec<usize> = (0..stock.homes.len()).filter(|&i| stock.homes[i].area == area).collect();
        if idx.is_empty() {
            continue;
        }
        let weight = |h: &Home| if wards[h.ward].challenging { CHALLENGING_WEIGHT } else { 1.0 };
        let total: f64 = idx.iter().map(|&i| weight(&stock.homes[i])).sum();
        // Of the two patch counts either side of the target, the one whose normal and
        // challenging patch sizes sit best inside the allowed range.
        let has_challenging = idx.iter().any(|&i| wards[stock.homes[i].ward].challenging);
        let misfit = |n: usize| {
            let t = total / n as f64;
            let small = if has_challenging { t / CHALLENGING_WEIGHT } else { t };
            (t - (PATCH_MAX - 2.0 * BOUNDARY_SLACK)).max(0.0) + ((PATCH_MIN + 2.0 * BOUNDARY_SLACK) - small).max(0.0)
        };
        let lo = ((total / PATCH_TARGET).floor() as usize).max(1);
        let n = if misfit(lo + 1) < misfit(lo) { lo + 1 } else { lo };
        let weights: Vec<f64> = stock.homes.iter().map(weight).collect();
        let mut runs: Vec<Vec<usize>> = Vec::new();
        bisect(&mut idx, n, &stock.homes, points, &weights, &mut runs);
        for (k, run) in runs.into_iter().enumerate() {
            let id = stock.patches.len() as i64 + 1;
            let challenging_homes = run.iter().filter(|&&i| wards[stock.homes[i].ward].challenging).count();
            let mut by_estate: BTreeMap<usize, usize> = BTreeMap::new();
            for &i in &run {
                *by_estate.entry(stock.homes[i].estate).or_default() += 1;
                stock.homes[i].patch = stock.patches.len();
            }
            let main_estate = by_estate.iter().max_by_key(|(e, c)| (**c, std::cmp::Reverse(**e))).map(|(e, _)| *e).unwrap_or(0);
            stock.patches.push(Patch {
                id,
                area,
                number: k + 1,
                name: format!("{} {:02} – {}", AREAS[area], k + 1, stock.estates[main_estate].word),
                challenging: challenging_homes * 2 > run.len(),
                homes: run.len(),
            });
        }
    }
}

fn bisect(idx: &mut [usize], n: usize, homes: &[Home], points: &[Point], weights: &[f64], out: &mut Vec<Vec<usize>>) {
    if n <= 1 || idx.len() < 2 {
        out.push(idx.to_vec());
        return;
    }
    let at = |i: usize| &points[homes[i].point];
    let (mut lat0, mut lat1, mut lon0, mut lon1) = (f64::MAX, f64::MIN, f64::MAX, f64::MIN);
    for &i in idx.iter() {
        let p = at(i);
        (lat0, lat1, lon0, lon1) = (lat0.min(p.lat), lat1.max(p.lat), lon0.min(p.lon), lon1.max(p.lon));
    }
    let across = (lon1 - lon0) * 65.5 >= (lat1 - lat0) * 111.2;
    idx.sort_by(|&a, &b| {
        let (pa, pb) = (at(a), at(b));
        let (ka, kb) = if across { (pa.lon, pb.lon) } else { (pa.lat, pb.lat) };
        ka.total_cmp(&kb).then(homes[a].point.cmp(&homes[b].point)).then(a.cmp(&b))
    });
    let left = n / 2;
    let total: f64 = idx.iter().map(|&i| weights[i]).sum();
    let goal = total * left as f64 / n as f64;
    let mut cum = 0.0;
    let mut cut = idx.len() - 1;
    for (j, &i) in idx.iter().enumerate() {
        if cum >= goal {
            cut = j;
            break;
        }
        cum += weights[i];
    }
    // Keep a postcode's homes together when a boundary is close.
    let boundary = |j: usize| j > 0 && j < idx.len() && homes[idx[j - 1]].point != homes[idx[j]].point;
    let slack = BOUNDARY_SLACK as usize;
    if let Some(j) = (0..=slack).flat_map(|d| [cut.checked_sub(d), Some(cut + d)]).flatten().find(|&j| boundary(j)) {
        cut = j;
    }
    let cut = cut.clamp(1, idx.len() - 1);
    let (a, b) = idx.split_at_mut(cut);
    bisect(a, left, homes, points, weights, out);
    bisect(b, n - left, homes, points, weights, out);
}
