//! Where the demo council stands: real York postcode points (Code-Point Open, 2014) inside the
//! real 2013 wards, and which area team (East, West, Central) each ward belongs to.

use std::collections::BTreeMap;

pub const POSTCODES_CSV: &str = include_str!("../../data/york_postcodes_codepoint_open_2014.csv");

/// The centre of York (the Minster): wards within 2.3 km of it are Central.
const CENTRE: (f64, f64) = (53.9600, -1.0873);

#[derive(Clone, Debug)]
pub struct Point {
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
    pub ward_code: String,
}

/// The postcode points with a coordinate of their own (not shared with another postcode).
pub fn load_points() -> anyhow::Result<Vec<Point>> {
    let mut rdr = csv::Reader::from_reader(POSTCODES_CSV.as_bytes());
    let mut out = Vec::new();
    for rec in rdr.records() {
        let r = rec?;
        if r.get(10) != Some("1") {
            continue;
        }
        out.push(Point { postcode: r[0].to_string(), lat: r[1].parse()?, lon: r[2].parse()?, ward_code: r[9].to_string() });
    }
    Ok(out)
}

/// Distance in kilometres, flat-earth (good to a few metres across a city).
pub fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    (((a.0 - b.0) * 111.2).powi(2) + ((a.1 - b.1) * 65.5).powi(2)).sqrt()
}

/// Interleaves the bits of two 16-bit grid coordinates: nearby points get nearby codes.
pub fn morton(lat: f64, lon: f64) -> u64 {
    let y = (((lat - 53.85) / 0.25).clamp(0.0, 1.0) * 65535.0) as u64;
    let x = (((lon + 1.25) / 0.40).clamp(0.0, 1.0) * 65535.0) as u64;
    let mut code = 0u64;
    for bit in 0..16 {
        code |= ((x >> bit) & 1) << (2 * bit);
        code |= ((y >> bit) & 1) << (2 * bit + 1);
    }
    code
}

/// Area team index (0 East, 1 West, 2 Central) of each ward, from the mean of its postcode points.
pub fn ward_areas(points: &[Point]) -> BTreeMap<String, usize> {
    let mut sums: BTreeMap<String, (f64, f64, f64)> = BTreeMap::new();
    for p in points {
        let e = sums.entry(p.ward_code.clone()).or_default();
        *e = (e.0 + p.lat, e.1 + p.lon, e.2 + 1.0);
    }
    sums.into_iter()
        .map(|(code, (la, lo, n))| {
            let centre = (la / n, lo / n);
            let area = if km(centre, CENTRE) < 2.3 {
                2
            } else if centre.1 > CENTRE.1 {
                0
            } else {
                1
            };
            (code, area)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn morton_keeps_neighbours_close() {
        let a = morton(53.96, -1.08);
        let b = morton(53.9601, -1.0801);
        let c = morton(53.90, -1.20);
        assert!(a.abs_diff(b) < a.abs_diff(c));
    }

    #[test]
    fn postcode_points_load() {
        let p = load_points().unwrap();
        assert_eq!(p.len(), 5071);
        assert!(p.iter().all(|x| x.postcode.starts_with("YO")));
    }

    #[test]
    fn a_kilometre_is_a_kilometre() {
        // One minute of latitude is a nautical mile, 1.852 km.
        assert!((km((54.0, -1.0), (54.0 + 1.0 / 60.0, -1.0)) - 1.852).abs() < 0.01);
    }
}
