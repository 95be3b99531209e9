//! Referrals to partner agencies, every agency with referrals in every state: drafts, sent and
//! waiting (some overdue), answered, in progress, closed; with the agencies' messages and, for
//! restricted referrals, the Community Safety Hub's access.

use app::domain::referral::{default_fields, share};
use app::domain::{AgencyKind, LawfulBasis, ReferralCategory, ReferralStatus, Urgency};
use chrono::{Duration as Days, NaiveDate};
use rand::Rng;
use rand::seq::IndexedRandom;

use super::people::Active;
use super::places::Places;
use super::staff::{AGENCIES, Staff};
use super::writer::V;
use super::{Ctx, date, instant};

const REFERRAL_COLUMNS: [&str; 28] = [
    "id",
    "reference",
    "tenancy_id",
    "case_id",
    "agency_id",
    "category",
    "reason",
    "urgency",
    "shared_fields",
    "lawful_basis",
    "consent_given_on",
    "consent_how",
    "contact_name",
    "contact_detail",
    "status",
    "decline_reason",
    "outcome",
    "restricted",
    "created_by",
    "area_team_id",
    "created_at",
    "sent_at",
    "responded_at",
    "due_at",
    "closed_at",
    "version",
    "shared_data",
    "basis_detail",
];
const MESSAGE_COLUMNS: [&str; 6] = ["id", "referral_id", "author_id", "body", "created_at", "side"];

/// One referral's moment in its life: made, sent, answered, due.
struct Timing {
    created: NaiveDate,
    sent: Option<NaiveDate>,
    responded: Option<NaiveDate>,
    due: Option<NaiveDate>,
}

/// Writes the referrals and their messages; returns how many referrals.
pub fn write(ctx: &mut Ctx, places: &Places, staff: &Staff, active: &[Active]) -> anyhow::Result<usize> {
    let n = (active.len() / 40).max(30);
    let mut message_id = 0i64;
    for k in 0..n {
        let t = &active[ctx.rng.random_range(0..active.len())];
        let area = places.homes[t.home].area;
        let agency = (k % AGENCIES.len()) as i64 + 1;
        let kind = AGENCIES[(agency - 1) as usize].0;
        let category = category(kind, k);
        // The agency turns fastest, so every agency has referrals in every state.
        let status = ReferralStatus::ALL[(k / AGENCIES.len()) % ReferralStatus::ALL.len()];
        let urgency = *Urgency::ALL.choose(&mut ctx.rng).expect("urgency");
        let timing = timing(ctx, status, urgency);
        let id = k as i64 + 1;
        let fields = default_fields(kind, category);
        let codes: Vec<&str> = fields.iter().map(|f| f.as_str()).collect();
        let snapshot = if timing.sent.is_some() { serde_json::to_string(&share(&t.facts, &fields))? } else { "{}".to_string() };
        let restricted = category.is_restricted();
        let (basis, basis_detail) = category.usual_basis();
        let row = vec![
            V::I(id),
            V::S(format!("REF{:06}", id + 300_000)),
            V::I(t.id),
            V::N,
            V::I(agency),
            V::s(category.as_str()),
            V::S(reason(category).to_string()),
            V::s(urgency.as_str()),
            V::S(serde_json::to_string(&codes)?),
            V::s(basis.as_str()),
            if basis == LawfulBasis::Consent { date(timing.created) } else { V::N },
            if basis == LawfulBasis::Consent { V::s(basis_detail) } else { V::N },
            V::S(staff.name_of(t.owner)),
            V::s("01904 551550"),
            V::s(status.as_str()),
            if status == ReferralStatus::Declined { V::s("Does not meet eligibility criteria; signposted to community support") } else { V::N },
            if status == ReferralStatus::Closed { V::s("Support package in place; tenancy stable") } else { V::N },
            V::I(restricted as i64),
            V::I(t.owner),
            V::I(area as i64 + 1),
            instant(timing.created, 10),
            timing.sent.map(|s| instant(s, 10)).unwrap_or(V::N),
            timing.responded.map(|d| instant(d, 14)).unwrap_or(V::N),
            timing.due.map(|d| instant(d, 17)).unwrap_or(V::N),
            // Ended: closed yesterday, or declined when the agency answered (as the app records it).
            match (status, timing.responded) {
                (ReferralStatus::Closed, _) => instant(ctx.today - Days::days(1), 12),
                (ReferralStatus::Declined, Some(d)) => instant(d, 14),
                _ => V::N,
            },
            V::I(1),
            V::S(snapshot),
            if basis == LawfulBasis::Consent { V::s("") } else { V::s(basis_detail) },
        ];
        ctx.w.row("referrals", &REFERRAL_COLUMNS, row);
        let agency_user = staff.partner_of(agency).unwrap_or(t.owner);
        messages(ctx, &mut message_id, id, agency_user, status, timing.responded, k);
        // Restricted referrals name the ASB / Community Safety Hub lead, who needs to know.
        if restricted && k.is_multiple_of(2) {
            ctx.w.row(
                "access_grants",
                &["subject_type", "subject_id", "user_id", "granted_by", "granted_at"],
                vec![V::s("referral"), V::I(id), V::I(staff.asb_id), V::I(t.owner), instant(timing.created, 11)],
            );
        }
    }
    Ok(n)
}

fn category(kind: AgencyKind, k: usize) -> ReferralCategory {
    match kind {
        AgencyKind::AdultSocialCare => ReferralCategory::Support,
        // Every other round of the police's referrals is MAPPA (restricted).
        AgencyKind::Police if (k / (AGENCIES.len() * ReferralStatus::ALL.len())) % 2 == 1 => ReferralCategory::Mappa,
        AgencyKind::Police => ReferralCategory::Crime,
        AgencyKind::MentalHealth => ReferralCategory::MentalHealth,
        AgencyKind::Mediation => ReferralCategory::Mediation,
        AgencyKind::ChildrensServices => ReferralCategory::Safeguarding,
        AgencyKind::Fire => ReferralCategory::FireSafety,
        AgencyKind::DrugIntervention => ReferralCategory::Substance,
        AgencyKind::FinancialInclusion => ReferralCategory::Financial,
        AgencyKind::Marac => ReferralCategory::Marac,
    }
}

/// Referrals awaiting an answer are recent, so some are on time and some overdue.
fn timing(ctx: &mut Ctx, status: ReferralStatus, urgency: Urgency) -> Timing {
    let created = ctx.today - Days::days(if status == ReferralStatus::Sent { ctx.rng.random_range(1..16) } else { ctx.rng.random_range(1..120) });
    let sent = (status != ReferralStatus::Draft).then(|| created + Days::days(1));
    let working_days = match urgency {
        Urgency::Emergency => 0,
        Urgency::Urgent => 2,
        Urgency::Standard => 10,
    };
    let cal = app::domain::clock::WorkingCalendar::england_and_wales();
    let due = sent.map(|s| cal.add_working_days(s, working_days));
    let answered = matches!(status, ReferralStatus::Accepted | ReferralStatus::Declined | ReferralStatus::InProgress | ReferralStatus::Closed);
    let responded = answered.then(|| sent.unwrap_or(created) + Days::days(ctx.rng.random_range(0..4)));
    Timing { created, sent, responded, due }
}

/// The agency's answer and, for some accepted referrals, a question the officer has not yet answered.
fn messages(ctx: &mut Ctx, message_id: &mut i64, referral: i64, author: i64, status: ReferralStatus, responded: Option<NaiveDate>, k: usize) {
    let Some(answered) = responded else { return };
    *message_id += 1;
    let body = if status == ReferralStatus::Declined {
        "Declined: does not meet eligibility criteria; signposted to community support."
    } else {
        "Accepted. We have allocated a worker who will make contact this week."
    };
    ctx.w.row("referral_messages", &MESSAGE_COLUMNS, vec![V::I(*message_id), V::I(referral), V::I(author), V::s(body), instant(answered, 15), V::s("agency")]);
    if matches!(status, ReferralStatus::Accepted | ReferralStatus::InProgress) && k.is_multiple_of(3) {
        *message_id += 1;
        let body = "Could you confirm the best time to visit, and whether anyone else should be present?";
        ctx.w.row(
            "referral_messages",
            &MESSAGE_COLUMNS,
            vec![V::I(*message_id), V::I(referral), V::I(author), V::s(body), instant(answered + Days::days(1), 11), V::s("agency")],
        );
    }
}

/// Why a demo referral was made, by category.
fn reason(category: ReferralCategory) -> &'static str {
    match category {
        ReferralCategory::Support => "Tenant struggling with daily living since a fall; needs a care assessment to sustain the tenancy.",
        ReferralCategory::MentalHealth => "Deteriorating mental health reported by neighbours and seen at the home visit; not engaging with the GP.",
        ReferralCategory::Asb => "Repeated noise and harassment reports; diary sheets and witness statements gathered.",
        ReferralCategory::Crime => "Suspected drug dealing from the property reported by several neighbours; evidence log attached to the case.",
        ReferralCategory::Mediation => "Long-running dispute with the neighbours over noise and parking; both households willing to try mediation.",
        ReferralCategory::Financial => "Rent arrears growing since moving to Universal Credit; tenant asked for help with budgeting and benefits.",
        ReferralCategory::FireSafety => "Hoarding seen at the home visit: blocked escape routes and no working smoke alarm.",
        ReferralCategory::Substance => "Alcohol use putting the tenancy at risk; tenant agrees to support.",
        ReferralCategory::Marac => "High-risk domestic abuse disclosed (DASH score 16); safety planning needed.",
        ReferralCategory::Mappa => "Tenant subject to MAPPA management; housing information for the risk panel.",
        ReferralCategory::Safeguarding => "Safeguarding concern about a child in the household seen at the home visit.",
    }
}
