//! Estates, streets, blocks and homes, laid out the way council housing stands: estates of a
//! hundred or so to a few hundred homes on neighbouring real York postcodes, each estate's streets
//! named from one theme (trees, birds, dales...), houses numbered along their street, bungalows
//! in closes, and flats in blocks whose storeys are exactly the floors their flats are on.

use std::collections::BTreeSet;

use app::domain::PropertyType;
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};

use super::Ctx;
use super::geo::{self, Point, km};
use super::names::{CLOSE_ENDINGS, ESTATE_ENDS, ESTATE_STARTS, REAL_YORK_NAMES, ROAD_ENDINGS, THEMES};
use super::reference::Wards;
use super::writer::V;

/// Homes in an average estate (York's estates run from under a hundred homes to several hundred).
const ESTATE_HOMES: f64 = 190.0;
/// Council homes on an average postcode the estate covers (a postcode is about 15 addresses).
const HOMES_PER_POSTCODE: f64 = 11.0;
/// A street never jumps further than this between two of its postcodes.
const STREET_STEP_KM: f64 = 0.25;

pub struct Home {
    pub id: i64,
    pub reference: String,
    pub line1: String,
    /// The street a block stands on ("Flat 3, Heron House" / "Curlew Road"); empty for houses.
    pub line2: String,
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
    pub ptype: PropertyType,
    pub bedrooms: i64,
    pub ward_code: String,
    pub ward_id: i64,
    pub area: usize,
    pub estate: i64,
    /// Index into [`Places::streets`].
    #[cfg_attr(not(test), allow(dead_code))]
    pub street: usize,
    pub block: Option<i64>,
    pub floor: Option<i64>,
    pub independent: bool,
    pub patch: i64,
}

// What the tests check the layout against; the rows themselves are written as it is built.
#[cfg_attr(not(test), allow(dead_code))]
pub struct Estate {
    pub id: i64,
    pub name: String,
    pub area: usize,
}

// What the tests check the layout against; the rows themselves are written as it is built.
#[cfg_attr(not(test), allow(dead_code))]
pub struct Street {
    pub name: String,
    pub estate: i64,
}

// What the tests check the layout against; the rows themselves are written as it is built.
#[cfg_attr(not(test), allow(dead_code))]
pub struct Block {
    pub id: i64,
    pub name: String,
    pub storeys: i64,
    pub independent: bool,
}

#[derive(Default)]
pub struct Places {
    pub homes: Vec<Home>,
    pub estates: Vec<Estate>,
    pub streets: Vec<Street>,
    pub blocks: Vec<Block>,
}

/// Where an estate will stand before it is built: its area, centre and postcode points.
struct Site {
    area: usize,
    centre: usize,
    homes: usize,
    points: Vec<usize>,
}

/// Lays out the whole council's estates (writing estates and blocks; homes wait for their patch).
pub fn plan(ctx: &mut Ctx, wards: &Wards) -> anyhow::Result<Places> {
    let mut points = geo::load_points()?;
    points.retain(|p| wards.contains_key(&p.ward_code));
    let ward_area = geo::ward_areas(&points);
    let mut by_area: [Vec<usize>; 3] = Default::default();
    for (i, p) in points.iter().enumerate() {
        by_area[ward_area[&p.ward_code]].push(i);
    }
    let total: usize = by_area.iter().map(Vec::len).sum();
    let mut used = vec![false; points.len()];
    let mut sites = Vec::new();
    let mut left = ctx.homes;
    for (a, idx) in by_area.iter().enumerate() {
        // Each area's share of the homes follows its share of the city's postcodes.
        let quota = if a == 2 { left } else { ctx.homes * idx.len() / total };
        left -= quota;
        sites.extend(sites_in_area(ctx, &points, idx, a, quota, &mut used));
    }
    // Estates (and so home ids) run in space-filling order, so a run of ids is a neighbourhood.
    sites.sort_by_key(|s| geo::morton(points[s.centre].lat, points[s.centre].lon));
    let mut places = Places::default();
    let mut namer = Namer::default();
    for site in &sites {
        build_estate(ctx, &mut places, &mut namer, &points, wards, site);
    }
    Ok(places)
}

/// An area's estates: sizes around [`ESTATE_HOMES`], centres spread apart, each taking the
/// postcode points nearest its centre.
fn sites_in_area(ctx: &mut Ctx, points: &[Point], idx: &[usize], area: usize, quota: usize, used: &mut [bool]) -> Vec<Site> {
    let n = ((quota as f64 / ESTATE_HOMES).round() as usize).max(1);
    let weights: Vec<f64> = (0..n).map(|_| ctx.rng.random_range(0.5..1.5)).collect();
    let sum: f64 = weights.iter().sum();
    let mut sizes: Vec<usize> = weights.iter().map(|w| (quota as f64 * w / sum).floor() as usize).collect();
    sizes[0] += quota - sizes.iter().sum::<usize>();
    // In a council bigger than York's, each postcode holds more of its homes.
    let per_postcode = HOMES_PER_POSTCODE.max(quota as f64 / (0.7 * idx.len() as f64));
    let centres = spread_centres(ctx, points, idx, n);
    let mut sites = Vec::new();
    for (centre, homes) in centres.into_iter().zip(sizes) {
        let c = (points[centre].lat, points[centre].lon);
        let mut near: Vec<usize> = idx.iter().copied().filter(|&i| !used[i]).collect();
        // Only a council far bigger than York's uses every postcode; then estates share them.
        if near.is_empty() {
            near = idx.to_vec();
        }
        near.sort_by(|&x, &y| km(c, (points[x].lat, points[x].lon)).total_cmp(&km(c, (points[y].lat, points[y].lon))));
        let k = (homes as f64 / per_postcode).ceil() as usize + 1;
        near.truncate(k.max(1));
        for &i in &near {
            used[i] = true;
        }
        sites.push(Site { area, centre, homes, points: near });
    }
    sites
}

/// `n` estate centres among the area's points, at least a set distance apart (closer if the
/// area has no room for them all).
fn spread_centres(ctx: &mut Ctx, points: &[Point], idx: &[usize], n: usize) -> Vec<usize> {
    let mut order = idx.to_vec();
    order.shuffle(&mut ctx.rng);
    let mut apart = 1.2;
    loop {
        let mut chosen: Vec<usize> = Vec::new();
        for &i in &order {
            let p = (points[i].lat, points[i].lon);
            if chosen.iter().all(|&c| km(p, (points[c].lat, points[c].lon)) >= apart) {
                chosen.push(i);
                if chosen.len() == n {
                    return chosen;
                }
            }
        }
        apart *= 0.75;
    }
}

/// Unique names for estates, streets and blocks, none of them a real York place or scheme.
#[derive(Default)]
struct Namer {
    used: BTreeSet<String>,
}

impl Namer {
    fn unique(&mut self, mut make: impl FnMut() -> String) -> String {
        for _ in 0..60 {
            let name = make();
            if self.take(&name) {
                return name;
            }
        }
        make()
    }

    /// Claims `name` if it is free and not a real place.
    fn take(&mut self, name: &str) -> bool {
        !REAL_YORK_NAMES.contains(&name) && self.used.insert(name.to_string())
    }

    /// "Thornfield", "Kiln Farm", "Carrbank": an invented name of the kind estates carry.
    fn estate(&mut self, ctx: &mut Ctx) -> String {
        self.unique(|| {
            loop {
                let start = *ESTATE_STARTS.choose(&mut ctx.rng).expect("starts");
                let end = *ESTATE_ENDS.choose(&mut ctx.rng).expect("ends");
                // No "Ashhill", "Carrridge" or "Holmholme": the join must read as one word.
                if start.chars().last() != end.chars().next() && !end.trim().starts_with(&start.to_lowercase()) {
                    break format!("{start}{end}");
                }
            }
        })
    }

    /// A word from the estate's theme (now and then another theme's) and an ending.
    /// When the themes run out (only in councils far bigger than York's), names repeat, as
    /// "Station Road" does in every town.
    fn themed(&mut self, ctx: &mut Ctx, theme: usize, endings: &[&str]) -> String {
        for tries in 0..80 {
            let t = if tries < 40 && ctx.rng.random_bool(0.9) { theme } else { ctx.rng.random_range(0..THEMES.len()) };
            let name = format!("{} {}", THEMES[t].choose(&mut ctx.rng).expect("words"), endings.choose(&mut ctx.rng).expect("endings"));
            if self.take(&name) {
                return name;
            }
        }
        let free = THEMES.iter().flat_map(|t| t.iter()).flat_map(|w| endings.iter().map(move |e| format!("{w} {e}"))).find(|n| !self.used.contains(n));
        match free {
            Some(name) if self.take(&name) => name,
            _ => format!("{} {}", THEMES[theme].choose(&mut ctx.rng).expect("words"), endings.choose(&mut ctx.rng).expect("endings")),
        }
    }
}

/// The estate's points as a walk from its edge to each nearest neighbour in turn, cut into
/// streets of one to three postcodes (never across a jump of more than [`STREET_STEP_KM`]).
fn streets_of(ctx: &mut Ctx, points: &[Point], site: &Site) -> Vec<Vec<usize>> {
    let at = |i: usize| (points[i].lat, points[i].lon);
    let c = at(site.centre);
    let mut left = site.points.clone();
    let first = (0..left.len()).max_by(|&x, &y| km(c, at(left[x])).total_cmp(&km(c, at(left[y])))).unwrap_or(0);
    let mut path = vec![left.swap_remove(first)];
    while !left.is_empty() {
        let last = at(*path.last().expect("path"));
        let next = (0..left.len()).min_by(|&x, &y| km(last, at(left[x])).total_cmp(&km(last, at(left[y])))).expect("left");
        path.push(left.swap_remove(next));
    }
    let mut streets: Vec<Vec<usize>> = Vec::new();
    let mut want = 0;
    for i in path {
        let joins = streets.last().is_some_and(|s| s.len() < want && km(at(*s.last().expect("street")), at(i)) <= STREET_STEP_KM);
        if joins {
            streets.last_mut().expect("street").push(i);
        } else {
            streets.push(vec![i]);
            want = ctx.rng.random_range(1..=3);
        }
    }
    streets
}

/// What stands on one postcode of a street.
#[derive(Clone, Copy, PartialEq, Debug)]
enum Form {
    Houses,
    Bungalows,
    Block,
    Tower,
    IndependentLiving,
}

/// Shares the estate's homes among its postcodes (a tower takes several postcodes' worth) and
/// chooses what stands on each.
fn forms(ctx: &mut Ctx, site: &Site) -> Vec<(Form, usize)> {
    let n = site.points.len();
    let mut plan: Vec<(Form, f64)> = (0..n)
        .map(|_| {
            let roll: f64 = ctx.rng.random();
            // York's council blocks are mostly low-rise; a very few reach eight storeys or more.
            if roll < 0.005 && site.homes >= 150 {
                (Form::Tower, 5.0)
            } else if roll < 0.30 {
                (Form::Block, ctx.rng.random_range(0.8..1.8))
            } else if roll < 0.42 {
                (Form::Bungalows, ctx.rng.random_range(0.5..1.0))
            } else {
                (Form::Houses, ctx.rng.random_range(0.6..1.4))
            }
        })
        .collect();
    // About one estate in eight has an independent-living scheme for older tenants.
    if ctx.rng.random_bool(0.13)
        && let Some(b) = plan.iter_mut().find(|p| p.0 == Form::Block)
    {
        b.0 = Form::IndependentLiving;
    }
    let sum: f64 = plan.iter().map(|p| p.1).sum();
    let mut counts: Vec<usize> = plan.iter().map(|p| (site.homes as f64 * p.1 / sum).floor() as usize).collect();
    let short = site.homes - counts.iter().sum::<usize>();
    for k in 0..short {
        counts[k % n] += 1;
    }
    plan.into_iter().zip(counts).map(|((f, _), c)| (f, c)).collect()
}

/// One estate: its row, its streets, and the homes on them.
fn build_estate(ctx: &mut Ctx, places: &mut Places, namer: &mut Namer, points: &[Point], wards: &Wards, site: &Site) {
    let id = places.estates.len() as i64 + 1;
    let name = namer.estate(ctx);
    let ward_id = wards[&points[site.centre].ward_code].0;
    ctx.w.row("estates", &["id", "name", "ward_id", "area_team_id"], vec![V::I(id), V::S(name.clone()), V::I(ward_id), V::I(site.area as i64 + 1)]);
    places.estates.push(Estate { id, name, area: site.area });
    let theme = ctx.rng.random_range(0..THEMES.len());
    let forms = forms(ctx, site);
    let at: std::collections::BTreeMap<usize, (Form, usize)> = site.points.iter().copied().zip(forms).collect();
    for street in streets_of(ctx, points, site) {
        let short = street.len() == 1 && at[&street[0]].0 == Form::Bungalows;
        let street_name = namer.themed(ctx, theme, if short { CLOSE_ENDINGS } else { ROAD_ENDINGS });
        places.streets.push(Street { name: street_name, estate: id });
        let mut numbers = Numbering { next: 1, step: if ctx.rng.random_bool(0.5) { 1 } else { 2 } };
        for (k, &p) in street.iter().enumerate() {
            let (form, n) = at[&p];
            if n == 0 {
                continue;
            }
            // The way the street runs: on to the next postcode, or on from the one before.
            let (from, to) = match (k.checked_sub(1), street.get(k + 1)) {
                (_, Some(&next)) => (p, next),
                (Some(j), None) => (street[j], p),
                (None, None) => (p, p),
            };
            let lay = Lay::new(ctx, &points[p], &points[from], &points[to]);
            match form {
                Form::Houses | Form::Bungalows => houses(ctx, places, &lay, wards, site.area, form, n, &mut numbers),
                _ => block(ctx, places, namer, theme, &lay, wards, site.area, form, n),
            }
        }
    }
}

/// House numbers along a street: 1, 2, 3... or one side's 1, 3, 5...
struct Numbering {
    next: i64,
    step: i64,
}

/// A postcode point and the way its street runs there (a unit vector, north and east in km).
struct Lay<'p> {
    point: &'p Point,
    dir: (f64, f64),
}

impl<'p> Lay<'p> {
    /// The street runs from `a` to `b`; a street of one postcode runs any way.
    fn new(ctx: &mut Ctx, point: &'p Point, a: &Point, b: &Point) -> Self {
        let (y, x) = ((b.lat - a.lat) * 111.2, (b.lon - a.lon) * 65.5);
        let len = (y * y + x * x).sqrt();
        let dir = if len > 0.001 {
            (y / len, x / len)
        } else {
            let angle: f64 = ctx.rng.random_range(0.0..std::f64::consts::PI);
            (angle.sin(), angle.cos())
        };
        Lay { point, dir }
    }

    /// A spot `along` km along the street from the point and `across` km to one side.
    fn spot(&self, along: f64, across: f64) -> (f64, f64) {
        let (dy, dx) = self.dir;
        let (y, x) = (dy * along - dx * across, dx * along + dy * across);
        (self.point.lat + y / 111.2, self.point.lon + x / 65.5)
    }
}

/// A new home's fixed parts; the caller fills in type, size and where in a block it is.
fn new_home(places: &Places, lay: &Lay, wards: &Wards, area: usize, (lat, lon): (f64, f64)) -> Home {
    let id = places.homes.len() as i64 + 1;
    Home {
        id,
        reference: format!("PR{:06}", id + 100_000),
        line1: String::new(),
        line2: String::new(),
        postcode: lay.point.postcode.clone(),
        lat,
        lon,
        ptype: PropertyType::House,
        bedrooms: 2,
        ward_code: lay.point.ward_code.clone(),
        ward_id: wards[&lay.point.ward_code].0,
        area,
        estate: places.estates.last().map(|e| e.id).unwrap_or(1),
        street: places.streets.len() - 1,
        block: None,
        floor: None,
        independent: false,
        patch: 0,
    }
}

/// `n` houses (or bungalows) numbered along the street, either side of it.
#[allow(clippy::too_many_arguments)]
fn houses(ctx: &mut Ctx, places: &mut Places, lay: &Lay, wards: &Wards, area: usize, form: Form, n: usize, numbers: &mut Numbering) {
    let street = places.streets.last().map(|s| s.name.clone()).unwrap_or_default();
    // Older people's bungalows: a whole close is independent living, or none of it.
    let independent = form == Form::Bungalows && ctx.rng.random_bool(0.35);
    let length = (n as f64 * 0.012).min(0.16);
    for k in 0..n {
        let along = length * (k as f64 / n.max(1) as f64 - 0.5);
        let side = if numbers.step == 1 && numbers.next % 2 == 0 { 0.012 } else { -0.012 };
        let across = side + ctx.rng.random_range(-0.003..0.003);
        let spot = lay.spot(along, across);
        let mut h = new_home(places, lay, wards, area, spot);
        (h.ptype, h.bedrooms) = if form == Form::Bungalows { (PropertyType::Bungalow, pick(ctx, &[1, 1, 2])) } else { house_type(ctx) };
        h.independent = independent;
        h.line1 = format!("{} {street}", numbers.next);
        numbers.next += numbers.step;
        places.homes.push(h);
    }
}

fn pick(ctx: &mut Ctx, from: &[i64]) -> i64 {
    *from.choose(&mut ctx.rng).expect("choices")
}

/// What stands along a road of council houses: mostly houses, some maisonettes and cottage flats.
fn house_type(ctx: &mut Ctx) -> (PropertyType, i64) {
    let roll: f64 = ctx.rng.random();
    if roll < 0.80 {
        (PropertyType::House, pick(ctx, &[2, 2, 3, 3, 3, 3, 4, 4, 5]))
    } else if roll < 0.90 {
        (PropertyType::Maisonette, pick(ctx, &[2, 3]))
    } else {
        (PropertyType::Flat, pick(ctx, &[1, 1, 2]))
    }
}

/// A block of `n` flats: numbered floor by floor from the ground (floor 0), so its storeys are
/// exactly the floors its flats are on.
#[allow(clippy::too_many_arguments)]
fn block(ctx: &mut Ctx, places: &mut Places, namer: &mut Namer, theme: usize, lay: &Lay, wards: &Wards, area: usize, form: Form, n: usize) {
    let per_floor = match form {
        // Eight to fifteen storeys of four to six flats each.
        Form::Tower if n >= 32 => ctx.rng.random_range(4..=6).min(n / 8).max(n.div_ceil(15)),
        // Walk-up blocks of up to four storeys, deck-access blocks of up to six; schemes low.
        Form::IndependentLiving => ctx.rng.random_range(6..=10).max(n.div_ceil(3)),
        _ if n <= 16 => ctx.rng.random_range(2..=4).max(n.div_ceil(4)),
        _ => ctx.rng.random_range(3..=6).max(n.div_ceil(6)),
    };
    let storeys = n.div_ceil(per_floor) as i64;
    let endings: &[&str] = match form {
        Form::IndependentLiving => &["Court", "Lodge", "Gardens"],
        _ if storeys >= 8 => &["Tower", "Heights", "Point"],
        _ => &["House", "House", "Court"],
    };
    let name = namer.themed(ctx, theme, endings);
    let id = places.blocks.len() as i64 + 1;
    let independent = form == Form::IndependentLiving;
    let estate = places.estates.last().map(|e| e.id).unwrap_or(1);
    ctx.w.row(
        "blocks",
        &["id", "name", "estate_id", "storeys", "postcode"],
        vec![V::I(id), V::S(name.clone()), V::I(estate), V::I(storeys), V::S(lay.point.postcode.clone())],
    );
    places.blocks.push(Block { id, name: name.clone(), storeys, independent });
    let street = places.streets.last().map(|s| s.name.clone()).unwrap_or_default();
    for k in 0..n {
        let (along, across) = (ctx.rng.random_range(-0.008..0.008), ctx.rng.random_range(-0.006..0.006));
        let spot = lay.spot(along, across);
        let mut h = new_home(places, lay, wards, area, spot);
        let beds = if independent { pick(ctx, &[0, 1, 1, 1, 1, 2]) } else { pick(ctx, &[0, 1, 1, 1, 2, 2, 2, 3]) };
        h.ptype = match beds {
            0 => PropertyType::Bedsit,
            3 if ctx.rng.random_bool(0.5) => PropertyType::Maisonette,
            _ => PropertyType::Flat,
        };
        h.bedrooms = beds;
        h.block = Some(id);
        h.floor = Some((k / per_floor) as i64);
        h.independent = independent;
        h.line1 = format!("Flat {}, {name}", k + 1);
        h.line2 = street.clone();
        places.homes.push(h);
    }
}

/// The homes' rows, once every home has its patch.
pub fn write(ctx: &mut Ctx, places: &Places) {
    for h in &places.homes {
        let search = app::domain::search::index_text(&[&h.reference, &h.line1, &h.line2, "York"], &h.postcode);
        ctx.w.row(
            "properties",
            &[
                "id",
                "reference",
                "address_line1",
                "address_line2",
                "town",
                "postcode",
                "latitude",
                "longitude",
                "property_type",
                "bedrooms",
                "ward_id",
                "area_team_id",
                "block_id",
                "floor",
                "estate_id",
                "patch_id",
                "independent_living",
                "search_text",
                "version",
            ],
            vec![
                V::I(h.id),
                V::S(h.reference.clone()),
                V::S(h.line1.clone()),
                V::S(h.line2.clone()),
                V::s("York"),
                V::S(h.postcode.clone()),
                V::F(h.lat),
                V::F(h.lon),
                V::s(h.ptype.as_str()),
                V::I(h.bedrooms),
                V::I(h.ward_id),
                V::I(h.area as i64 + 1),
                h.block.map(V::I).unwrap_or(V::N),
                h.floor.map(V::I).unwrap_or(V::N),
                V::I(h.estate),
                V::I(h.patch),
                V::I(h.independent as i64),
                V::S(search),
                V::I(1),
            ],
        );
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::seed::reference;
    use crate::seed::tests::ctx;

    fn council(homes: usize, seed: u64) -> Places {
        let mut c = ctx(homes, seed);
        let wards = reference::write(&mut c).unwrap();
        plan(&mut c, &wards).unwrap()
    }

    #[test]
    fn every_home_is_placed_in_an_estate_of_its_area() {
        for homes in [900, 7400] {
            let p = council(homes, 2023);
            assert_eq!(p.homes.len(), homes);
            for a in 0..3 {
                let n = p.homes.iter().filter(|h| h.area == a).count();
                assert!(n > homes / 6, "area {a} has {n} of {homes} homes");
            }
            let area_of: BTreeMap<i64, usize> = p.estates.iter().map(|e| (e.id, e.area)).collect();
            assert!(p.homes.iter().all(|h| area_of[&h.estate] == h.area));
            // Estates of tens to hundreds of homes, not one per postcode sector.
            let mut sizes: BTreeMap<i64, usize> = BTreeMap::new();
            for h in &p.homes {
                *sizes.entry(h.estate).or_default() += 1;
            }
            assert!(sizes.values().all(|&n| (40..=600).contains(&n)), "{sizes:?}");
        }
    }

    #[test]
    fn estates_are_named_like_estates() {
        let p = council(7400, 2023);
        assert!((30..=50).contains(&p.estates.len()), "{}", p.estates.len());
        let mut seen = BTreeSet::new();
        for e in &p.estates {
            // Not the old "Heworth Estate (YO31 0)": no postcode sector, no ward label.
            assert!(!e.name.contains('(') && !e.name.contains("YO") && !e.name.contains("Estate"), "{}", e.name);
            assert!(e.name.chars().next().is_some_and(char::is_uppercase) && e.name.len() >= 5, "{}", e.name);
            assert!(!REAL_YORK_NAMES.contains(&e.name.as_str()), "{} is a real place", e.name);
            assert!(seen.insert(e.name.clone()), "{} twice", e.name);
        }
    }

    #[test]
    fn block_storeys_match_their_flats() {
        for seed in [2023, 7, 11] {
            block_storeys_match_their_flats_in(council(7400, seed));
        }
        block_storeys_match_their_flats_in(council(900, 2023));
    }

    fn block_storeys_match_their_flats_in(p: Places) {
        assert!(p.blocks.len() * 40 > p.homes.len(), "{}", p.blocks.len());
        // York's council blocks are mostly low-rise: a handful of towers at most.
        assert!(p.blocks.iter().filter(|b| b.storeys >= 8).count() <= 6);
        let mut top: BTreeMap<i64, (i64, usize)> = BTreeMap::new();
        for h in p.homes.iter().filter(|h| h.block.is_some()) {
            let e = top.entry(h.block.unwrap()).or_default();
            *e = (e.0.max(h.floor.expect("a flat in a block has a floor")), e.1 + 1);
        }
        for b in &p.blocks {
            let (highest, flats) = top[&b.id];
            // Floors count from the ground (0): the top floor is the last storey, and no storey is empty.
            assert_eq!(b.storeys, highest + 1, "{} has {} storeys and flats up to floor {highest}", b.name, b.storeys);
            assert!(flats as i64 >= b.storeys, "{}: {flats} flats on {} storeys", b.name, b.storeys);
            let tower = ["Tower", "Heights", "Point"].iter().any(|t| b.name.ends_with(t));
            assert_eq!(b.storeys >= 8, tower, "{} ({} storeys)", b.name, b.storeys);
            assert!(tower || b.storeys <= 6, "{} is an ordinary block of {} storeys", b.name, b.storeys);
        }
        // Houses, bungalows and street flats are not in blocks.
        assert!(p.homes.iter().filter(|h| h.block.is_none()).all(|h| h.floor.is_none() && !h.line1.starts_with("Flat")));
    }

    #[test]
    fn no_ordinary_block_carries_a_sheltered_scheme_name() {
        let p = council(7400, 2023);
        for b in &p.blocks {
            assert!(!REAL_YORK_NAMES.contains(&b.name.as_str()), "{} is a real scheme", b.name);
            if !b.independent {
                assert!(!b.name.ends_with("Lodge") && !b.name.ends_with("Gardens"), "{} sounds like a sheltered scheme", b.name);
            }
        }
        let independent: BTreeMap<i64, bool> = p.blocks.iter().map(|b| (b.id, b.independent)).collect();
        assert!(p.homes.iter().filter(|h| h.block.is_some()).all(|h| h.independent == independent[&h.block.unwrap()]));
    }

    #[test]
    fn the_homes_of_a_street_are_near_each_other() {
        let p = council(7400, 2023);
        let mut by_street: BTreeMap<usize, Vec<&Home>> = BTreeMap::new();
        for h in &p.homes {
            by_street.entry(h.street).or_default().push(h);
        }
        assert!(by_street.len() > 200, "{} streets", by_street.len());
        for (s, homes) in &by_street {
            let n = homes.len() as f64;
            let c = (homes.iter().map(|h| h.lat).sum::<f64>() / n, homes.iter().map(|h| h.lon).sum::<f64>() / n);
            let far = homes.iter().map(|h| km(c, (h.lat, h.lon))).fold(0.0, f64::max);
            assert!(far < 0.6, "{} spreads {far:.2} km", p.streets[*s].name);
            assert!(homes.iter().all(|h| h.estate == p.streets[*s].estate));
        }
        // Street names are unique across the council, and houses are numbered without repeats.
        let names: BTreeSet<&str> = p.streets.iter().map(|s| s.name.as_str()).collect();
        assert_eq!(names.len(), p.streets.len());
        let addresses: BTreeMap<&str, usize> = p.homes.iter().fold(BTreeMap::new(), |mut m, h| {
            *m.entry(h.line1.as_str()).or_default() += 1;
            m
        });
        let repeated: Vec<_> = addresses.iter().filter(|(_, n)| **n > 1).collect();
        assert!(repeated.is_empty(), "{repeated:?}");
    }
}
