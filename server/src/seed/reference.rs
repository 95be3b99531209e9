//! Reference data: bank holidays, settings, the three area teams and the real York wards.

use std::collections::BTreeMap;

use anyhow::Context;

use super::writer::V;
use super::{AREAS, Ctx, date};

const WARDS_GEOJSON: &str = include_str!("../../data/york_wards_2013.geojson");
const BANK_HOLIDAYS_CSV: &str = app::domain::clock::BANK_HOLIDAYS_ENGLAND_WALES_CSV;

/// The wards by their ONS code: (id, name).
pub type Wards = BTreeMap<String, (i64, String)>;

pub fn write(ctx: &mut Ctx) -> anyhow::Result<Wards> {
    let w = &mut ctx.w;
    for (day, name) in app::domain::clock::parse_bank_holidays_csv(BANK_HOLIDAYS_CSV).context("bank holidays")? {
        w.row("bank_holidays", &["holiday_on", "name"], vec![date(day), V::S(name)]);
    }
    // Only settings Hearth reads (`store::SETTING_KEYS`), in the shape it reads them.
    let weights = serde_json::to_string(&app::domain::mapdata::WorkloadWeights::default())?;
    w.row("settings", &["key", "value"], vec![V::s(crate::store::WEIGHTS_KEY), V::S(weights)]);
    for (i, a) in AREAS.iter().enumerate() {
        w.row("area_teams", &["id", "name"], vec![V::I(i as i64 + 1), V::s(a)]);
    }
    let geo: serde_json::Value = serde_json::from_str(WARDS_GEOJSON)?;
    let mut wards = Wards::new();
    for (i, f) in geo["features"].as_array().context("wards")?.iter().enumerate() {
        let code = f["properties"]["ward_code"].as_str().unwrap_or_default().to_string();
        let name = f["properties"]["ward_name"].as_str().unwrap_or_default().to_string();
        let id = i as i64 + 1;
        w.row("wards", &["id", "code", "name", "geojson"], vec![V::I(id), V::S(code.clone()), V::S(name.clone()), V::S(f["geometry"].to_string())]);
        wards.insert(code, (id, name));
    }
    Ok(wards)
}
