//! Patches: each area's homes, in the order the estates were laid out (neighbourhood by
//! neighbourhood), cut into runs of about 290, each with its own Community HMO.

use std::collections::BTreeMap;

use app::domain::Role;

use super::places::Places;
use super::reference::Wards;
use super::staff::{NewUser, Staff};
use super::writer::V;
use super::{AREAS, Ctx};

/// The middle of the 280–300 target.
const PATCH_HOMES: f64 = 290.0;

pub struct Patch {
    pub id: i64,
    pub area: usize,
    pub name: String,
}

pub struct Patches {
    pub list: Vec<Patch>,
    /// Patch id → its Community HMO's user id.
    pub chmo_of: BTreeMap<i64, i64>,
}

pub fn write(ctx: &mut Ctx, places: &mut Places, wards: &Wards, staff: &mut Staff) -> Patches {
    let mut list = Vec::new();
    let mut challenging = Vec::new();
    for (a, area) in AREAS.iter().enumerate() {
        let idx: Vec<usize> = (0..places.homes.len()).filter(|&i| places.homes[i].area == a).collect();
        if idx.is_empty() {
            continue;
        }
        let n = ((idx.len() as f64) / PATCH_HOMES).round().max(1.0) as usize;
        let size = idx.len().div_ceil(n);
        for (k, chunk) in idx.chunks(size).enumerate() {
            let id = list.len() as i64 + 1;
            let ward = &places.homes[chunk[chunk.len() / 2]].ward_code;
            list.push(Patch { id, area: a, name: format!("{area} {:02} – {}", k + 1, wards[ward].1) });
            // Smaller patches are the challenging neighbourhoods.
            challenging.push(chunk.len() < 270);
            for &h in chunk {
                places.homes[h].patch = id;
            }
        }
    }
    let mut chmo_of = BTreeMap::new();
    let mut per_area = [0usize; 3];
    for p in &list {
        per_area[p.area] += 1;
        let n = per_area[p.area];
        let note = format!("Community HMO for patch {} {:02}", AREAS[p.area], n);
        let username = format!("chmo.{}{n}", AREAS[p.area].to_lowercase());
        let uid = staff.add(ctx, NewUser { username, role: Role::CommunityHmo, area: Some(p.area), agency: None, note: &note, listed: n == 1 });
        chmo_of.insert(p.id, uid);
    }
    for (p, hard) in list.iter().zip(challenging) {
        ctx.w.row(
            "patches",
            &["id", "name", "area_team_id", "officer_id", "challenging", "version"],
            vec![V::I(p.id), V::S(p.name.clone()), V::I(p.area as i64 + 1), V::I(chmo_of[&p.id]), V::I(hard as i64), V::I(1)],
        );
    }
    Patches { list, chmo_of }
}
