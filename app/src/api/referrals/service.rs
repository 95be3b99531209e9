//! Referrals to partner agencies: listing, the referral page, making, moving and the thread.
//! Shared by the server functions and `/api/v1`. Every access decision is `domain::referral::can_view`;
//! agency users are served from the snapshot sent to them and never from the tenancy. Every view
//! by an agency user, every view of a restricted referral (with the reason the viewer gave),
//! every refusal and every change is written to the audit log.
use chrono::Utc;

use super::store::{NewReferral, ReferralChange, ReferralFilter, ReferralListed, ReferralRecord};
use crate::api::kit::clock::Clock;
use crate::api::kit::store::{AuditEntry, TenancyRecord};
use crate::api::store::Store;
use crate::domain::access::{Denial, Principal, can_use_housing_records, can_view_record};
use crate::domain::referral::{self, ReferralForm, ReferralMove, SharedFacts, SharedPerson, Side, TenantFacts, Viewer};
use crate::domain::{AgencyKind, LawfulBasis, ReferralCategory, ReferralStatus, Role, Urgency};
use crate::error::AppError;
use crate::model::*;

/// Rows listed at most.
pub const LIST_LIMIT: i64 = 500;

const STALE: &str = "This referral has changed since you opened it. Reload the page to see the latest, then try again; nothing you entered was saved.";

#[allow(clippy::too_many_arguments)]
async fn audit(
    store: &dyn Store,
    who: &Principal,
    ip: &str,
    action: &str,
    id: i64,
    outcome: Result<(), Denial>,
    reason: &str,
    detail: String,
) -> Result<(), AppError> {
    let mut entry = change(who, ip, action, Some(id), reason, detail);
    if let Err(d) = outcome {
        entry.outcome = format!("denied:{}", d.code());
    }
    store.audit(entry).await
}

/// The audit row for a change to a referral (`id`: None for a new one), with why the user acted
/// on a restricted referral; written by the store in the change's transaction.
fn change(who: &Principal, ip: &str, action: &str, id: Option<i64>, reason: &str, detail: String) -> AuditEntry {
    AuditEntry { reason: reason.chars().take(500).collect(), ..crate::api::kit::audit::change(who, ip, action, "referral", id, detail) }
}

fn not_found(reference: &str) -> AppError {
    AppError::NotFound(format!("Referral {reference}"))
}

/// Loads a referral and decides how `who` sees it. Refusals are audited; a partner user is told
/// "not found" for a referral that is not theirs, so they cannot learn that it exists.
async fn load(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<(ReferralRecord, Viewer), AppError> {
    let reference = reference.trim().to_uppercase();
    let rec = store.referral_record(&reference, who.user_id).await?.ok_or_else(|| not_found(&reference))?;
    match referral::can_view(who, &rec.scope) {
        Ok(v) => Ok((rec, v)),
        Err(d) => {
            audit(store, who, ip, "view_referral", rec.id, Err(d), "", reference.clone()).await?;
            Err(if d == Denial::NotShared { not_found(&reference) } else { d.into() })
        }
    }
}

fn listed_clock(clock: &Clock, status: ReferralStatus, due_at: Option<chrono::DateTime<chrono::Utc>>) -> Option<crate::domain::clock::ClockStatus> {
    if referral::awaiting_response(status) { due_at.map(|d| clock.instant(d)) } else { None }
}

/// What an agency user may read about a listed referral: built from the shared snapshot only.
fn for_agency(l: ReferralListed) -> ReferralRow {
    let about = match (&l.shared.name, &l.shared.address) {
        (Some(n), Some(a)) => format!("{n}, {a}"),
        (Some(n), None) => n.clone(),
        (None, Some(a)) => a.clone(),
        (None, None) => "Name and address not shared".into(),
    };
    ReferralRow { tenancy_reference: None, about, ..l.row }
}

/// Query parameters of the referral list.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, utoipa::IntoParams)]
pub struct ListParams {
    /// An agency id (council side).
    pub agency: Option<i64>,
    /// draft, sent, accepted, declined, in_progress or closed.
    pub status: Option<String>,
    /// Only referrals the caller made (or made by someone they cover for).
    pub mine: Option<bool>,
    /// Only referrals about this tenancy (council side).
    pub tenancy: Option<String>,
}

/// The referrals `who` may see. Agency users: their agency's, once sent. Officers: their area's
/// (every area for the council-wide teams), restricted ones only where the rule allows.
pub async fn list(store: &dyn Store, who: &Principal, p: &ListParams, ip: &str) -> Result<ReferralList, AppError> {
    let status = match p.status.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
        Some(s) => Some(
            ReferralStatus::parse(s)
                .ok_or_else(|| AppError::Invalid(format!("\"{s}\" is not a referral state: use draft, sent, accepted, declined, in_progress or closed.")))?,
        ),
        None => None,
    };
    let mut filter = ReferralFilter { status, limit: LIST_LIMIT, ..Default::default() };
    let agency_side = who.role == Role::Partner;
    let heading;
    if agency_side {
        let Some(agency_id) = who.agency_id else { return Err(Denial::WrongRole.into()) };
        filter.agency_id = Some(agency_id);
        filter.exclude_drafts = true;
        heading = who.agency.clone().unwrap_or_default();
    } else {
        can_use_housing_records(who)?;
        filter.agency_id = p.agency;
        if let Some(t) = p.tenancy.as_deref().filter(|t| !t.trim().is_empty()) {
            let rec = viewable_tenancy(store, who, t, ip).await?;
            filter.tenancy_id = Some(rec.id);
        } else if !matches!(who.role, Role::AsbOfficer | Role::Legal) {
            filter.area_team_id = who.area_team_id;
        }
        if p.mine == Some(true) {
            let mut ids = vec![who.user_id];
            ids.extend(&who.covering);
            filter.created_by = Some(ids);
        }
        heading = who.area_team.clone().map(|a| format!("{a} area")).unwrap_or_else(|| "All areas".into());
    }
    let mine = if agency_side { Side::Agency } else { Side::Council };
    let mut rows = Vec::new();
    let clock = Clock::now(store).await?;
    for l in store.referral_list(&filter, who.user_id).await? {
        let Ok(viewer) = referral::can_view(who, &l.scope) else { continue };
        let acts = referral::side_of(viewer) == Some(mine);
        let mut row = if agency_side { for_agency(l.clone()) } else { l.row.clone() };
        mask_restricted(&mut row);
        row.clock = listed_clock(&clock, row.status, row.due_at);
        row.reply_waiting = acts && referral::thread_open(row.status) && l.last_side.is_some_and(|s| s != mine);
        rows.push(row);
    }
    // What needs an answer comes first, so an overdue one is never buried under newer referrals:
    // overdue, due soon, on time, then those with a reply waiting; otherwise newest first, as the
    // store lists them (the sort is stable).
    rows.sort_by_key(|r| (crate::domain::clock::urgency(r.clock), !r.reply_waiting));
    let overdue = rows.iter().filter(|r| r.clock == Some(crate::domain::clock::ClockStatus::Overdue)).count() as i64;
    let replies_waiting = rows.iter().filter(|r| r.reply_waiting).count() as i64;
    let agencies = if agency_side { vec![] } else { store.agencies().await? };
    Ok(ReferralList { viewer_is_agency: agency_side, heading, rows, agencies, overdue, replies_waiting })
}

/// A listed restricted referral does not say who it concerns: that is shown on the referral
/// itself, once the viewer has said why (`referral::RESTRICTED_ABOUT`).
fn mask_restricted(row: &mut ReferralRow) {
    if row.restricted {
        row.about = referral::RESTRICTED_ABOUT.into();
    }
}

/// The referrals *My work* looks through for an officer: those they, or the officers they cover,
/// made that are live, or that the agency declined or closed since `today` less
/// `referral::ENDED_SHOWN_DAYS`.
pub fn officer_filter(owners: &[i64], today: chrono::NaiveDate) -> ReferralFilter {
    let since = today - chrono::Duration::days(referral::ENDED_SHOWN_DAYS);
    ReferralFilter { created_by: Some(owners.to_vec()), open_only: true, ended_since: Some(since), limit: LIST_LIMIT, ..Default::default() }
}

/// The referrals waiting for an officer (My work): of those `officer_filter` lists, the ones
/// they may see that `referral::waits_for_officer` puts there: an agency's reply, decline or
/// closure, or an answer overdue.
pub fn waiting_for_officer(who: &Principal, listed: Vec<ReferralListed>, clock: &Clock) -> Vec<ReferralRow> {
    let mut out = Vec::new();
    for l in listed {
        if referral::can_view(who, &l.scope).is_err() {
            continue;
        }
        let mut row = l.row;
        mask_restricted(&mut row);
        row.clock = listed_clock(clock, row.status, row.due_at);
        let overdue = row.clock == Some(crate::domain::clock::ClockStatus::Overdue);
        row.reply_waiting = l.last_side == Some(Side::Agency);
        if referral::waits_for_officer(row.status, l.last_side, overdue) {
            out.push(row);
        }
    }
    out
}

async fn viewable_tenancy(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<TenancyRecord, AppError> {
    can_use_housing_records(who)?;
    let reference = reference.trim().to_uppercase();
    let rec = store.tenancy(&reference, who.user_id).await?.ok_or_else(|| AppError::NotFound(format!("Tenancy {reference}")))?;
    let outcome = can_view_record(who, &rec.scope);
    if crate::api::kit::audit::worth_auditing(who, &rec.scope, outcome) {
        crate::api::kit::audit::audit(store, who, ip, "view_tenancy", "tenancy", Some(rec.id), outcome, reference.clone()).await?;
    }
    outcome?;
    Ok(rec)
}

/// Everything about a tenancy that could be shared.
fn tenant_facts(t: &TenancyDetail) -> TenantFacts {
    let lead = t.members.iter().find(|m| m.is_tenant).or(t.members.first());
    TenantFacts {
        name: lead.map(|m| m.name.clone()).unwrap_or_default(),
        address: format!("{}, {}", t.address, t.postcode),
        phone: lead.map(|m| m.phone.clone()).unwrap_or_default(),
        email: lead.map(|m| m.email.clone()).unwrap_or_default(),
        date_of_birth: lead.map(|m| m.date_of_birth.clone()).unwrap_or_default(),
        household: t
            .members
            .iter()
            .filter(|m| lead.is_none_or(|l| !std::ptr::eq(*m, l)))
            .map(|m| SharedPerson { name: m.name.clone(), relationship: m.relationship.clone(), age: m.age })
            .collect(),
        alerts: t.alerts.iter().map(|a| format!("{}: {}", a.kind, a.description)).collect(),
        rent_balance: t.rent.as_ref().map(|r| r.balance),
        tenure: t.tenure.label().to_string(),
    }
}

/// The referral form's starting point for a tenancy: agencies, the default fields for the chosen
/// agency and category, and a preview of everything that could be shared.
#[allow(clippy::too_many_arguments)]
pub async fn start(
    store: &dyn Store,
    who: &Principal,
    tenancy: &str,
    agency_id: Option<i64>,
    category: Option<&str>,
    case: Option<&str>,
    about: Option<&str>,
    ip: &str,
) -> Result<ReferralStart, AppError> {
    let rec = viewable_tenancy(store, who, tenancy, ip).await?;
    let case = match case.map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(case_of_tenancy(store, who, c, &rec, ip).await?),
        None => None,
    };
    let about = about
        .map(str::trim)
        .filter(|a| !a.is_empty())
        .map(|a| a.chars().take(500).collect())
        .or_else(|| case.as_ref().map(|c| if c.2.is_empty() { format!("Case {}", c.1) } else { format!("Case {}: {}", c.1, c.2) }))
        .unwrap_or_default();
    let agencies = store.agencies().await?;
    let kind = agency_id.and_then(|id| agencies.iter().find(|a| a.id == id)).map(|a| a.kind).unwrap_or(AgencyKind::AdultSocialCare);
    let category = category.and_then(ReferralCategory::parse).unwrap_or(ReferralCategory::Support);
    Ok(ReferralStart {
        tenancy_reference: rec.detail.reference.clone(),
        address: format!("{}, {}", rec.detail.address, rec.detail.postcode),
        agencies,
        default_fields: referral::default_fields(kind, category),
        preview: referral::share(&tenant_facts(&rec.detail), crate::domain::referral::SharedField::ALL),
        contact_name: who.display_name.clone(),
        contact_detail: String::new(),
        case_reference: case.map(|c| c.1),
        about,
    })
}

/// A case the user may see that belongs to the tenancy being referred: (id, reference, title).
async fn case_of_tenancy(store: &dyn Store, who: &Principal, case: &str, tenancy: &TenancyRecord, ip: &str) -> Result<(i64, String, String), AppError> {
    let c = crate::api::casework::service::load_case(store, who, case, ip).await?;
    if c.detail.tenancy_reference.as_deref() != Some(tenancy.detail.reference.as_str()) {
        return Err(AppError::Invalid(format!("Case {} is not about tenancy {}.", c.detail.reference, tenancy.detail.reference)));
    }
    // A need-to-know case is named by reference only: the form is not the case's page.
    let title = if c.scope.restricted { String::new() } else { c.detail.title };
    Ok((c.id, c.detail.reference, title))
}

/// What an officer sends to make a referral.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct NewReferralRequest {
    pub agency_id: i64,
    /// A category code, e.g. support, mental_health, marac.
    pub category: String,
    /// emergency, urgent or standard.
    pub urgency: String,
    pub reason: String,
    /// The fields to share: name, address, contact, date_of_birth, household, alerts, rent, tenure.
    pub fields: Vec<String>,
    /// consent, legal_duty or vital_interests.
    pub lawful_basis: String,
    /// Consent: the date it was given (YYYY-MM-DD).
    #[serde(default)]
    pub consent_given_on: String,
    /// Consent: how it was given. Legal duty or vital interests: which duty, or why.
    #[serde(default)]
    pub basis_detail: String,
    pub contact_name: String,
    pub contact_detail: String,
    /// Send now (true) or keep as a draft (false).
    #[serde(default)]
    pub send: bool,
    /// The case it is made from (a case of the same tenancy), if any.
    #[serde(default)]
    pub case: Option<String>,
}

/// Sending: the snapshot of the ticked fields, the instant and the response clock.
fn sending(clock: &Clock, facts: &TenantFacts, fields: &[referral::SharedField], urgency: Urgency) -> Result<(String, String, String), AppError> {
    let at = Utc::now();
    let due = referral::response_due(at, urgency, &clock.calendar);
    let json = serde_json::to_string(&referral::share(facts, fields)).map_err(|_| AppError::Internal)?;
    Ok((at.format("%Y-%m-%dT%H:%M:%SZ").to_string(), due.format("%Y-%m-%dT%H:%M:%SZ").to_string(), json))
}

/// Makes a referral from a tenancy (a draft, or sent at once). Returns its reference.
pub async fn create(store: &dyn Store, who: &Principal, tenancy: &str, r: NewReferralRequest, ip: &str) -> Result<String, AppError> {
    let rec = viewable_tenancy(store, who, tenancy, ip).await?;
    let case_id = match r.case.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        Some(c) => Some(case_of_tenancy(store, who, c, &rec, ip).await?.0),
        None => None,
    };
    let agencies = store.agencies().await?;
    let agency = agencies.iter().find(|a| a.id == r.agency_id).ok_or_else(|| AppError::Invalid("Choose an agency from the list.".into()))?;
    let category = ReferralCategory::parse(r.category.trim()).ok_or_else(|| AppError::Invalid("Choose a category from the list.".into()))?;
    let urgency = Urgency::parse(r.urgency.trim()).ok_or_else(|| AppError::Invalid("Choose how urgent the referral is.".into()))?;
    let fields = referral::parse_fields(r.fields.iter().map(String::as_str)).map_err(AppError::Invalid)?;
    let form = ReferralForm {
        reason: r.reason.clone(),
        fields: fields.clone(),
        basis: LawfulBasis::parse(r.lawful_basis.trim()),
        consent_given_on: r.consent_given_on.clone(),
        basis_detail: r.basis_detail.clone(),
        contact_name: r.contact_name.clone(),
        contact_detail: r.contact_detail.clone(),
    };
    let (basis, consent_on) = referral::validate(&form, store.today()).map_err(AppError::Invalid)?;
    let sent = if r.send { Some(sending(&Clock::now(store).await?, &tenant_facts(&rec.detail), &fields, urgency)?) } else { None };
    let consent = basis == LawfulBasis::Consent;
    let new = NewReferral {
        tenancy_id: rec.id,
        case_id,
        agency_id: agency.id,
        category,
        urgency,
        reason: r.reason.trim().to_string(),
        fields,
        lawful_basis: basis,
        consent_given_on: consent_on,
        consent_how: consent.then(|| r.basis_detail.trim().to_string()),
        basis_detail: if consent { String::new() } else { r.basis_detail.trim().to_string() },
        contact_name: r.contact_name.trim().to_string(),
        contact_detail: r.contact_detail.trim().to_string(),
        restricted: referral::is_restricted(agency.kind, category),
        created_by: who.user_id,
        area_team_id: rec.scope.area_team_id,
        sent,
    };
    let restricted = new.restricted;
    let action = if r.send { "send_referral" } else { "draft_referral" };
    // The store puts the new referral's id and reference on the entry.
    let entry = change(who, ip, action, None, "", format!("to {} ({}){}", agency.name, category.as_str(), if restricted { ", restricted" } else { "" }));
    store.create_referral(new, entry).await
}

/// The referral page. A restricted referral asks the viewer why before showing anything; the
/// reason is written to the audit log with the view.
pub async fn page(store: &dyn Store, who: &Principal, reference: &str, reason: Option<&str>, ip: &str) -> Result<ReferralPage, AppError> {
    let (rec, viewer) = load(store, who, reference, ip).await?;
    let reason = reason.map(str::trim).unwrap_or_default();
    let reference = rec.detail.reference.clone();
    if referral::view_needs_reason(&rec.scope) && reason.chars().count() < 5 {
        return Ok(ReferralPage { reference, needs_reason: true, detail: None });
    }
    let other_area = !matches!(viewer, Viewer::Agency) && who.area_team_id != Some(rec.scope.record.area_team_id);
    if viewer == Viewer::Agency || rec.scope.record.restricted || other_area {
        audit(store, who, ip, "view_referral", rec.id, Ok(()), reason, reference.clone()).await?;
    }
    Ok(ReferralPage { reference, needs_reason: false, detail: Some(present(store, who, rec, viewer).await?) })
}

/// The reason given for changing a referral: required (and audited) where the referral is
/// restricted, as for opening it.
fn change_reason<'a>(rec: &ReferralRecord, given: &'a str) -> Result<&'a str, AppError> {
    let why = given.trim();
    if referral::reason_given(&rec.scope, why) {
        Ok(why)
    } else {
        Err(AppError::Invalid(format!(
            "This referral is restricted: say why you are changing it (at least {} characters). Your reason is recorded with your name and the time; nothing was changed.",
            referral::REASON_MIN_CHARS
        )))
    }
}

async fn present(store: &dyn Store, who: &Principal, rec: ReferralRecord, viewer: Viewer) -> Result<ReferralDetail, AppError> {
    let status = rec.scope.status;
    let side = referral::side_of(viewer);
    let agency = viewer == Viewer::Agency;
    let restricted = rec.scope.record.restricted;
    let mut d = rec.detail;
    // A draft has no snapshot yet: the council sees what would be shared if it were sent now.
    if status == ReferralStatus::Draft && !agency {
        d.shared = match d.tenancy_reference.as_deref() {
            Some(t) => store.tenancy(t, who.user_id).await?.map(|tr| referral::share(&tenant_facts(&tr.detail), &d.shared_fields)).unwrap_or_default(),
            None => SharedFacts::default(),
        };
    }
    d.clock = listed_clock(&Clock::now(store).await?, status, d.due_at);
    d.viewer_is_agency = agency;
    d.moves = side.map(|s| referral::available(status, s)).unwrap_or_default();
    d.can_post = side.is_some() && referral::thread_open(status);
    d.can_name = side == Some(Side::Council) && restricted && (status == ReferralStatus::Draft || referral::thread_open(status));
    if agency {
        // What the council keeps to itself.
        d.tenancy_reference = None;
        d.case_reference = None;
        d.area_team = None;
        d.named = vec![];
    }
    Ok(d)
}

/// A move of a referral's state by either side.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct ReferralMoveRequest {
    /// The referral's version as the caller saw it.
    pub version: i64,
    /// send, withdraw (council); accept, decline, start, close (agency).
    #[serde(rename = "move")]
    pub action: String,
    /// Decline reason, outcome or withdrawal reason.
    #[serde(default)]
    pub text: String,
    /// Why you are changing it: required for restricted (MARAC, MAPPA, safeguarding) referrals, and audited.
    #[serde(default)]
    pub access_reason: String,
}

/// Sends, withdraws, accepts, declines, starts or closes a referral, as the lifecycle allows.
pub async fn act(store: &dyn Store, who: &Principal, reference: &str, m: ReferralMoveRequest, ip: &str) -> Result<ReferralDetail, AppError> {
    let (rec, viewer) = load(store, who, reference, ip).await?;
    let mv = ReferralMove::parse(m.action.trim())
        .ok_or_else(|| AppError::Invalid(format!("\"{}\" is not a referral move: use send, withdraw, accept, decline, start or close.", m.action)))?;
    let Some(side) = referral::side_of(viewer) else {
        audit(store, who, ip, "move_referral", rec.id, Err(Denial::NeedToKnow), "", mv.as_str().into()).await?;
        return Err(AppError::Forbidden("Only the referring officer (or their cover) and their Team Leader can change this referral.".into()));
    };
    if ReferralStatus::ALL.iter().all(|s| referral::next(*s, mv, side).is_err()) {
        return Err(AppError::Forbidden(match side {
            Side::Council => format!("Only the agency can {} a referral.", mv.as_str()),
            Side::Agency => format!("Only the council can {} a referral.", mv.as_str()),
        }));
    }
    let to = referral::next(rec.scope.status, mv, side).map_err(AppError::Conflict)?;
    referral::check_move_text(mv, &m.text).map_err(AppError::Invalid)?;
    let why = change_reason(&rec, &m.access_reason)?;
    if m.version != rec.detail.version {
        return Err(AppError::Conflict(STALE.into()));
    }
    let sent = if mv == ReferralMove::Send {
        let t = rec.detail.tenancy_reference.as_deref().ok_or(AppError::Internal)?;
        let tr = store.tenancy(t, who.user_id).await?.ok_or(AppError::Internal)?;
        Some(sending(&Clock::now(store).await?, &tenant_facts(&tr.detail), &rec.detail.shared_fields, rec.detail.urgency)?)
    } else {
        None
    };
    let text = m.text.trim().to_string();
    let note = if text.is_empty() { format!("{}.", mv.done()) } else { format!("{}: {text}", mv.done()) };
    let entry = change(
        who,
        ip,
        &format!("referral_{}", mv.as_str()),
        Some(rec.id),
        why,
        format!("{} {} -> {}", rec.detail.reference, rec.scope.status.as_str(), to.as_str()),
    );
    store
        .change_referral(ReferralChange { id: rec.id, version: rec.detail.version, from: rec.scope.status, to, by: who.user_id, side, text, sent, note }, entry)
        .await?;
    let (rec, viewer) = load(store, who, &rec.detail.reference, ip).await?;
    present(store, who, rec, viewer).await
}

/// Posts a message on the referral's thread (either side, while it is open). `access_reason`:
/// why, where the referral is restricted.
pub async fn post(store: &dyn Store, who: &Principal, reference: &str, body: &str, access_reason: &str, ip: &str) -> Result<ReferralDetail, AppError> {
    let (rec, viewer) = load(store, who, reference, ip).await?;
    let Some(side) = referral::side_of(viewer) else {
        return Err(AppError::Forbidden("Only the referring officer (or their cover), their Team Leader and the agency write on this thread.".into()));
    };
    if !referral::thread_open(rec.scope.status) {
        return Err(AppError::Conflict(format!("This referral is {}: its thread is closed.", rec.scope.status.label().to_lowercase())));
    }
    referral::check_message(body).map_err(AppError::Invalid)?;
    let why = change_reason(&rec, access_reason)?;
    let entry = change(who, ip, "referral_message", Some(rec.id), why, rec.detail.reference.clone());
    store.post_referral_message(rec.id, who.user_id, side, body.trim(), entry).await?;
    let (rec, viewer) = load(store, who, &rec.detail.reference, ip).await?;
    present(store, who, rec, viewer).await
}

/// Names a council officer on a restricted referral, so they may see it. `access_reason`: why.
pub async fn name_person(
    store: &dyn Store,
    who: &Principal,
    reference: &str,
    username: &str,
    access_reason: &str,
    ip: &str,
) -> Result<ReferralDetail, AppError> {
    let (rec, viewer) = load(store, who, reference, ip).await?;
    if referral::side_of(viewer) != Some(Side::Council) || !rec.scope.record.restricted {
        return Err(AppError::Forbidden("Only the referring officer and their Team Leader name people on a restricted referral.".into()));
    }
    let why = change_reason(&rec, access_reason)?;
    let user_id =
        store.user_id_by_username(username.trim()).await?.ok_or_else(|| AppError::Invalid(format!("There is no active user \"{}\".", username.trim())))?;
    let facts = store.user_facts(user_id).await?.ok_or(AppError::Internal)?;
    if !facts.role.is_council_staff() || facts.role == Role::Admin {
        return Err(AppError::Invalid("Only council officers can be named; the agency already sees what was shared with it.".into()));
    }
    let entry = change(who, ip, "referral_name_person", Some(rec.id), why, format!("{} named {}", rec.detail.reference, username.trim()));
    store.grant_referral(rec.id, user_id, who.user_id, entry).await?;
    let (rec, viewer) = load(store, who, &rec.detail.reference, ip).await?;
    present(store, who, rec, viewer).await
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::referral::ReferralScope;

    #[test]
    fn an_agency_row_names_only_what_was_shared() {
        let row = ReferralRow {
            reference: "REF1".into(),
            agency: "A".into(),
            category: ReferralCategory::Support,
            status: ReferralStatus::Sent,
            urgency: Urgency::Standard,
            restricted: false,
            tenancy_reference: Some("TEN1".into()),
            about: "1 High St (internal)".into(),
            referrer: "Sam".into(),
            created_at: chrono::DateTime::UNIX_EPOCH,
            sent_at: None,
            due_at: None,
            clock: None,
            reply_waiting: false,
            last_message_at: None,
        };
        let scope = ReferralScope {
            agency_id: 1,
            status: ReferralStatus::Sent,
            record: crate::domain::access::RecordScope { area_team_id: 1, owner_id: Some(1), restricted: false, granted: false, duty: false },
        };
        let l = ReferralListed { row, shared: SharedFacts { name: Some("Ann".into()), ..Default::default() }, last_side: None, scope };
        let r = for_agency(l);
        assert_eq!(r.tenancy_reference, None);
        assert_eq!(r.about, "Ann");
    }
}
