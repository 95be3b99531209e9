//! Feedback: a dozen patch links and one link per partner agency, a year of tenants' answers on the
//! Regulator's Tenant Satisfaction Measures scale, partners' answers, and the Regulator's
//! published 2023/24 results so the demo shows the council among its peers.

use chrono::Duration as Days;
use rand::Rng;
use rand::seq::IndexedRandom;
use rand_chacha::ChaCha8Rng;

use super::patches::Patches;
use super::staff::{AGENCIES, Staff};
use super::writer::V;
use super::{Ctx, instant};
use crate::db::Db;

const SCALE: [&str; 6] = ["very_satisfied", "fairly_satisfied", "neither", "fairly_dissatisfied", "very_dissatisfied", "dont_know"];
const WEIGHTS: [u32; 6] = [32, 34, 12, 9, 8, 5];
const LINK_COLUMNS: [&str; 8] = ["id", "token", "scope_type", "scope_id", "created_by", "created_at", "active", "label"];
const RESPONSE_COLUMNS: [&str; 14] = [
    "id",
    "link_id",
    "respondent_kind",
    "officer_id",
    "officer_role",
    "patch_id",
    "area_team_id",
    "agency_id",
    "submitted_at",
    "answers",
    "comment",
    "contact_name",
    "contact_detail",
    "idempotency_key",
];
const TENANT_COMMENTS: [&str; 7] = [
    "My officer was brilliant and sorted the repair quickly.",
    "Nobody got back to me about the noise next door.",
    "Kept me informed all the way through.",
    "",
    "",
    "Would like more visits on the estate.",
    "The new officer listens, which makes a change.",
];
const PARTNER_COMMENTS: [&str; 3] =
    ["Much clearer who to call since the Sustainable Tenancy role started.", "", "Referrals often arrive without the risk information we need."];

/// The links: (link id, patch id) for patches, (link id, agency id) for partners.
struct Links {
    patch: Vec<(i64, i64)>,
    partner: Vec<(i64, i64)>,
}

pub fn write(ctx: &mut Ctx, patches: &Patches, staff: &Staff) {
    let links = links(ctx, patches, staff);
    let tenant_responses = (ctx.homes / 25).clamp(100, 2000);
    for k in 0..tenant_responses {
        tenant_response(ctx, patches, &links, k);
    }
    for k in 0..30 {
        partner_response(ctx, &links, tenant_responses, k);
    }
}

fn token(rng: &mut ChaCha8Rng) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    (0..22).map(|_| *ALPHABET.choose(rng).expect("char") as char).collect()
}

fn links(ctx: &mut Ctx, patches: &Patches, staff: &Staff) -> Links {
    let mut out = Links { patch: Vec::new(), partner: Vec::new() };
    // A dozen patch links spread over every area team (patches are listed area by area).
    for p in patches.list.iter().step_by((patches.list.len() / 12).max(1)).take(12) {
        let id = out.patch.len() as i64 + 1;
        let row = vec![
            V::I(id),
            V::S(token(&mut ctx.rng)),
            V::s("patch"),
            V::I(p.id),
            V::I(patches.chmo_of[&p.id]),
            instant(ctx.today - Days::days(365), 9),
            V::I(1),
            V::S(format!("Patch {}", p.name)),
        ];
        ctx.w.row("feedback_links", &LINK_COLUMNS, row);
        out.patch.push((id, p.id));
    }
    // One link per partner agency, for the partner form (sent to the agency's referrals team).
    for (i, (_, name, _)) in AGENCIES.iter().enumerate() {
        let id = (out.patch.len() + out.partner.len()) as i64 + 1;
        let label = format!("Partner feedback: {name}");
        let row = vec![
            V::I(id),
            V::S(token(&mut ctx.rng)),
            V::s("partner"),
            V::I(i as i64 + 1),
            V::I(staff.admin_id),
            instant(ctx.today - Days::days(200), 9),
            V::I(1),
            V::S(label),
        ];
        ctx.w.row("feedback_links", &LINK_COLUMNS, row);
        out.partner.push((id, i as i64 + 1));
    }
    out
}

/// An answer on the satisfaction scale, weighted as real landlords' results are.
fn pick(rng: &mut ChaCha8Rng) -> &'static str {
    let total: u32 = WEIGHTS.iter().sum();
    let mut x = rng.random_range(0..total);
    for (i, w) in WEIGHTS.iter().enumerate() {
        if x < *w {
            return SCALE[i];
        }
        x -= w;
    }
    SCALE[0]
}

/// TP08 is an agreement scale: the same spread, in its own words.
fn agree(a: &'static str) -> &'static str {
    match a {
        "very_satisfied" => "strongly_agree",
        "fairly_satisfied" => "agree",
        "fairly_dissatisfied" => "disagree",
        "very_dissatisfied" => "strongly_disagree",
        other => other,
    }
}

fn tenant_response(ctx: &mut Ctx, patches: &Patches, links: &Links, k: usize) {
    let (link, pid) = links.patch[k % links.patch.len()];
    let area = patches.list[(pid - 1) as usize].area;
    let rng = &mut ctx.rng;
    let tp08 = agree(pick(rng));
    let mut answers = serde_json::json!({"TP01": pick(rng), "TP06": pick(rng), "TP07": pick(rng), "TP08": tp08, "HMO1": pick(rng)});
    // About one tenant in five has had anti-social behaviour handled (TP12); the rest skip it.
    if rng.random_range(0..5) == 0 {
        answers["TP12"] = serde_json::Value::from(pick(rng));
    }
    let day = ctx.today - Days::days(rng.random_range(0..365));
    let at = instant(day, rng.random_range(8..21));
    let comment = TENANT_COMMENTS.choose(rng).copied().unwrap_or("");
    let row = vec![
        V::I(k as i64 + 1),
        V::I(link),
        V::s("tenant"),
        V::I(patches.chmo_of[&pid]),
        V::s("community_hmo"),
        V::I(pid),
        V::I(area as i64 + 1),
        V::N,
        at,
        V::S(answers.to_string()),
        V::s(comment),
        V::N,
        V::N,
        V::S(format!("seed-{}-{k}", ctx.seed)),
    ];
    ctx.w.row("feedback_responses", &RESPONSE_COLUMNS, row);
}

fn partner_response(ctx: &mut Ctx, links: &Links, after: usize, k: usize) {
    let (link, agency) = links.partner[k % links.partner.len()];
    let rng = &mut ctx.rng;
    let agree_pick = |rng: &mut ChaCha8Rng| ["strongly_agree", "agree", "agree", "neither", "disagree", "dont_know"][rng.random_range(0..6)];
    let answers = serde_json::json!({"PA1": pick(rng), "PA2": agree_pick(rng), "PA3": agree_pick(rng)});
    let day = ctx.today - Days::days(rng.random_range(0..200));
    let at = instant(day, rng.random_range(8..18));
    let comment = PARTNER_COMMENTS.choose(rng).copied().unwrap_or("");
    let row = vec![
        V::I((after + k) as i64 + 1),
        V::I(link),
        V::s("partner"),
        V::N,
        V::N,
        V::N,
        V::N,
        V::I(agency),
        at,
        V::S(answers.to_string()),
        V::s(comment),
        V::N,
        V::N,
        V::S(format!("seed-{}-p{k}", ctx.seed)),
    ];
    ctx.w.row("feedback_responses", &RESPONSE_COLUMNS, row);
}

/// The Regulator's 2023/24 perception results for local authority landlords.
pub async fn import_tsm(db: &Db, admin_id: i64) -> anyhow::Result<()> {
    let tsm = app::domain::tsm::import_csv(include_str!("../../data/tsm/rsh_tsm_2024_lcra_perception.csv")).map_err(anyhow::Error::msg)?;
    crate::store::feedback::import_tsm(db, "2023-24", &tsm, admin_id, &crate::store::now_rfc3339())
        .await
        .map_err(|e| anyhow::anyhow!("importing TSM data: {e}"))?;
    Ok(())
}
