//! Where the demo council stands: real York postcode points and 2013 wards (embedded, so the
//! binary needs no files at run time), each ward assigned to an area team by its centroid.

use std::collections::BTreeMap;

use anyhow::Context;

pub const POSTCODES_CSV: &str = include_str!("../../data/york_postcodes_codepoint_open_2014.csv");
pub const WARDS_GEOJSON: &str = include_str!("../../data/york_wards_2013.geojson");

/// The area teams, in id order (area index `i` is `area_teams.id = i + 1`).
pub const AREAS: [&str; 3] = ["East", "West", "Central"];
pub const EAST: usize = 0;
pub const WEST: usize = 1;
pub const CENTRAL: usize = 2;

/// York city centre (between the Minster and Micklegate), the pivot for the area split.
const CENTRE: (f64, f64) = (53.9600, -1.0873);
/// Wards whose centroid lies within this many km of the centre form the Central team.
const CENTRAL_KM: f64 = 1.75;

/// A postcode's location (one postcode point holds several demo homes).
#[derive(Clone, Debug)]
pub struct Point {
    pub postcode: String,
    pub lat: f64,
    pub lon: f64,
    pub ward_code: String,
}

#[derive(Clone, Debug)]
pub struct Ward {
    /// `wards.id`
    pub id: i64,
    pub code: String,
    pub name: String,
    pub geometry: String,
    pub area: usize,
    /// Relative density of council homes (Tang Hall and Chapelfields high, villages low).
    pub weight: f64,
    /// Neighbourhoods with more casework: their patches are smaller.
    pub challenging: bool,
}

/// Postcode points that sit alone (`shared_coordinate_count == 1`): believable home locations.
pub fn load_points() -> anyhow::Result<Vec<Point>> {
    let mut rdr = csv::Reader::from_reader(POSTCODES_CSV.as_bytes());
    let headers = rdr.headers()?.clone();
    let col = |name: &str| headers.iter().position(|h| h == name).with_context(|| format!("postcode column {name}"));
    let (pc, lat, lon, ward, shared) = (col("postcode")?, col("latitude")?, col("longitude")?, col("ward_code")?, col("shared_coordinate_count")?);
    let mut out = Vec::new();
    for rec in rdr.records() {
        let r = rec?;
        if &r[shared] != "1" {
            continue;
        }
        out.push(Point { postcode: r[pc].to_string(), lat: r[lat].parse()?, lon: r[lon].parse()?, ward_code: r[ward].to_string() });
    }
    Ok(out)
}

fn ward_weight(name: &str) -> f64 {
    match name {
        "Heworth" | "Hull Road" | "Westfield" => 3.0,
        "Clifton" => 2.5,
        "Guildhall" | "Acomb" => 2.0,
        "Micklegate" | "Holgate" | "Huntington and New Earswick" => 1.5,
        "Dringhouses and Woodthorpe" => 1.2,
        "Skelton, Rawcliffe and Clifton Without" | "Fishergate" | "Osbaldwick" => 1.0,
        "Haxby and Wigginton" | "Bishopthorpe" => 0.6,
        "Strensall" | "Rural West York" => 0.5,
        "Heslington" => 0.3,
        _ => 0.4,
    }
}

fn ward_challenging(name: &str) -> bool {
    matches!(name, "Heworth" | "Hull Road" | "Westfield" | "Clifton" | "Guildhall")
}

/// The 22 wards with their area team, from the GeoJSON and the postcode points' centroids.
pub fn load_wards(points: &[Point]) -> anyhow::Result<Vec<Ward>> {
    let json: serde_json::Value = serde_json::from_str(WARDS_GEOJSON).context("ward GeoJSON")?;
    let mut sums: BTreeMap<&str, (f64, f64, f64)> = BTreeMap::new();
    for p in points {
        let e = sums.entry(p.ward_code.as_str()).or_default();
        *e = (e.0 + p.lat, e.1 + p.lon, e.2 + 1.0);
    }
    let mut wards = Vec::new();
    for (i, f) in json["features"].as_array().context("ward features")?.iter().enumerate() {
        let code = f["properties"]["ward_code"].as_str().context("ward_code")?.to_string();
        let name = f["properties"]["ward_name"].as_str().context("ward_name")?.to_string();
        let (lat, lon) = match sums.get(code.as_str()) {
            Some((la, lo, n)) => (la / n, lo / n),
            None => (CENTRE.0, CENTRE.1),
        };
        wards.push(Ward {
            id: i as i64 + 1,
            area: area_of(lat, lon),
            weight: ward_weight(&name),
            challenging: ward_challenging(&name),
            geometry: f["geometry"].to_string(),
            code,
            name,
        });
    }
    Ok(wards)
}

/// Central within [`CENTRAL_KM`] of the centre; otherwise East or West of it.
pub fn area_of(lat: f64, lon: f64) -> usize {
    let (dn, de) = ((lat - CENTRE.0) * 111.2, (lon - CENTRE.1) * 65.5);
    if (dn * dn + de * de).sqrt() < CENTRAL_KM {
        CENTRAL
    } else if lon > CENTRE.1 {
        EAST
    } else {
        WEST
    }
}

/// Position along a Hilbert curve over York's bounding box: runs of the curve are compact
/// neighbourhoods, so cutting homes sorted by it gives contiguous patches.
pub fn hilbert(lat: f64, lon: f64) -> u64 {
    const N: u64 = 1 << 16;
    let mut x = (((lon + 1.25) / 0.40).clamp(0.0, 1.0) * (N - 1) as f64) as u64;
    let mut y = (((lat - 53.85) / 0.25).clamp(0.0, 1.0) * (N - 1) as f64) as u64;
    let mut d = 0u64;
    let mut s = N / 2;
    while s > 0 {
        let rx = u64::from(x & s > 0);
        let ry = u64::from(y & s > 0);
        d += s * s * ((3 * rx) ^ ry);
        // Rotate the quadrant.
        if ry == 0 {
            if rx == 1 {
                x = N - 1 - x;
                y = N - 1 - y;
            }
            std::mem::swap(&mut x, &mut y);
        }
        s /= 2;
    }
    d
}

/// Degrees of latitude and longitude for a displacement of `north` and `east` metres at `lat`.
pub fn offset(lat: f64, north: f64, east: f64) -> (f64, f64) {
    (north / 111_320.0, east / (111_320.0 * lat.to_radians().cos()))
}
