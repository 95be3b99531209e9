//! The operations behind both the server functions and the `/api/v1` routes:
//! authorise with the domain rules, load from the store, derive, and audit.
use chrono::{NaiveDate, Utc};

use super::store::{AuditEntry, ListedItem, ReviewCount, Store, WorkQuery};
use crate::domain::Tenure;
use crate::domain::access::{Denial, Principal, RESTRICTED_ABOUT, RecordScope, can_view_record, list_as, searchable_area};
use crate::domain::clock::{self, ClockStatus, WorkingCalendar, urgency};
use crate::domain::occupancy;
use crate::domain::search::{MAX_RESULTS, normalise_query, terms};
use crate::error::AppError;
use crate::model::*;

/// Items due within this many working days show as "due soon".
pub const DUE_SOON_WORKING_DAYS: u32 = 10;

pub fn today() -> NaiveDate {
    clock::to_london(Utc::now()).date_naive()
}

fn session_user(who: &Principal) -> SessionUser {
    SessionUser {
        username: who.username.clone(),
        display_name: who.display_name.clone(),
        role: who.role,
        area_team: who.area_team.clone(),
        agency: who.agency.clone(),
    }
}

/// Today and the council's one calendar (`Store::calendar`): what every clock and due date a
/// service shows or sets is judged by.
#[derive(Clone, Debug)]
pub struct Clock {
    pub today: NaiveDate,
    pub calendar: std::sync::Arc<WorkingCalendar>,
}

impl Clock {
    /// Today in London, with the calendar as the store holds it.
    pub async fn now(store: &dyn Store) -> Result<Clock, AppError> {
        Ok(Clock { today: store.today(), calendar: store.calendar().await? })
    }

    /// Status of a due date (a day, due at its end) against today.
    pub fn date(&self, due: &str) -> Option<ClockStatus> {
        let due: NaiveDate = due.parse().ok()?;
        let due_at = clock::london_at(due, clock::END_OF_CALENDAR_DAY);
        let now = clock::london_at(self.today, chrono::NaiveTime::MIN);
        Some(clock::status(due_at, now, DUE_SOON_WORKING_DAYS, &self.calendar))
    }

    /// Status of a due instant (stored as RFC 3339), judged by its day.
    pub fn instant(&self, due: &str) -> Option<ClockStatus> {
        self.date(due.get(..10)?)
    }

    /// The day `days` working days after today (`sustain::due_after`).
    pub fn due_after(&self, days: u32) -> NaiveDate {
        crate::domain::sustain::due_after(self.today, days, &self.calendar)
    }
}

/// The user's desk (`domain::desk`): for officers their worklist (alarms, counts, what waits for
/// them, open cases, and the most urgent tenancies they manage; `all`: every one of them, up to
/// `CASELOAD_ALL`), for Legal and the Community Safety Hub the escalations waiting for their team
/// with their clocks; for a role that works elsewhere, only where (and nothing of housing records).
pub async fn my_work(store: &dyn Store, who: &Principal, all: bool) -> Result<MyWork, AppError> {
    use crate::domain::desk::{self, Landing, Reviews, Section};
    let desk = desk::desk(who.role, !who.covering.is_empty());
    let view = DeskView {
        landing: desk.landing,
        landing_path: desk.landing.path().into(),
        sections: desk.sections.clone(),
        queue_heading: desk.team.map(desk::queue_heading),
    };
    if desk.landing != Landing::MyWork {
        return Ok(MyWork {
            user: session_user(who),
            alarms: vec![],
            counts: vec![],
            tenancies: vec![],
            tenancies_total: 0,
            cases: vec![],
            waiting: vec![],
            covers: vec![],
            referrals: vec![],
            desk: view,
        });
    }
    crate::domain::access::can_use_housing_records(who)?;
    let clock = Clock::now(store).await?;
    let today = clock.today;
    let mut owners = vec![who.user_id];
    owners.extend(&who.covering);
    let reviews = match desk.reviews {
        Some(Reviews::Own) => Some((Some(who.user_id), None)),
        Some(Reviews::Area) => Some((None, who.area_team_id)),
        None => None,
    };
    let query = WorkQuery {
        referrals: super::referral_service::officer_filter(&owners, today),
        owners,
        viewer_id: who.user_id,
        limit: if all { CASELOAD_ALL } else { CASELOAD_PAGE },
        reviews: reviews.map(|(owner_id, area_team_id)| ReviewCount {
            owner_id,
            area_team_id,
            today: today.to_string(),
            until: (today + chrono::Duration::days(REVIEW_WARNING_DAYS)).to_string(),
        }),
        proposals_area: if desk.proposals { who.area_team_id } else { None },
        covers_since: (today - chrono::Duration::days(14)).to_string(),
    };
    let lists = store.work_lists(&query).await?;
    let load = lists.caseload;
    let mut tenancies = if desk.shows(Section::Tenancies) { load.tenancies } else { vec![] };
    for t in &mut tenancies {
        t.clock = t.trial_ends_on.as_deref().and_then(|d| clock.date(d));
    }
    // Most urgent first: overdue, due soon, then by date.
    tenancies.sort_by(|a, b| (urgency(a.clock), &a.trial_ends_on).cmp(&(urgency(b.clock), &b.trial_ends_on)));
    let mut cases: Vec<CaseRow> = if desk.shows(Section::Cases) { load.cases } else { vec![] }
        .into_iter()
        .filter_map(|(c, scope)| list_case(who, c, &scope))
        .map(|mut c| {
            c.clock = c.due_at.as_deref().and_then(|d| clock.instant(d));
            c
        })
        .collect();
    cases.sort_by(|a, b| (urgency(a.clock), &a.due_at).cmp(&(urgency(b.clock), &b.due_at)));
    let mut alarms = alarms(query.reviews.as_ref().map(|r| (r.owner_id.is_some(), lists.reviews_due)), lists.proposals_waiting);
    let mut waiting: Vec<WorkflowView> =
        if desk.shows(Section::Waiting) { lists.waiting.into_iter().filter_map(|item| list_item(who, item)).collect() } else { vec![] };
    // The team's queue: every open item that waits on this user's team (`workflow::waits_on`), as
    // lists show it (`list_item`), with what it was escalated for (which its label says too).
    let mut queue = Vec::new();
    if desk.shows(Section::TeamQueue) {
        for item in store.open_items(None, who.user_id).await? {
            if waits_on(who, &item.scope, item.patch_officer_id, &item.view) {
                let purpose = workflow::EscalationPurpose::parse(&item.view.detail);
                queue.extend(list_item(who, item).map(|v| (v, purpose)));
            }
        }
    }
    for w in waiting.iter_mut().chain(queue.iter_mut().map(|(v, _)| v)) {
        w.clock = w.due_on.as_deref().and_then(|d| clock.instant(d));
    }
    let facts = desk::Facts {
        tenancies: load.tenancies_total,
        introductory: load.introductory_total,
        arrears: load.arrears_total,
        tenancy_clocks: tenancies.iter().map(|t| t.clock).collect(),
        case_clocks: cases.iter().map(|c| c.clock).collect(),
        proposals_waiting: lists.proposals_waiting,
        area_reviews_due: lists.reviews_due.1,
        queue: queue.iter().map(|(v, purpose)| (v.clock, *purpose)).collect(),
    };
    waiting.extend(queue.into_iter().map(|(v, _)| v));
    waiting.sort_by(|a, b| (urgency(a.clock), &a.due_on).cmp(&(urgency(b.clock), &b.due_on)));
    let counts = desk::tiles(&desk, &facts).into_iter().map(|(t, count)| Count { label: t.label(), count, tile: Some(t) }).collect();
    let hand_backs = waiting.iter().filter(|w| w.flow == Flow::HandBack).count();
    if hand_backs > 0 {
        alarms.push(Alarm {
            level: waiting
                .iter()
                .filter(|w| w.flow == Flow::HandBack)
                .filter_map(|w| w.clock)
                .min_by_key(|c| urgency(Some(*c)))
                .unwrap_or(ClockStatus::DueSoon),
            text: format!(
                "{hand_backs} case{} handed back to you by the Sustainable Tenancy HMO: acknowledge {}.",
                if hand_backs == 1 { " is" } else { "s are" },
                if hand_backs == 1 { "it" } else { "them" }
            ),
            href: "#waiting-h".into(),
        });
    }
    if let Some(team) = desk.team {
        let late = facts.queue.iter().filter(|q| q.0 == Some(ClockStatus::Overdue)).count();
        if late > 0 {
            alarms.push(Alarm {
                level: ClockStatus::Overdue,
                text: format!(
                    "{late} escalation{} to {} {} past {} working days with no conclusion.",
                    if late == 1 { "" } else { "s" },
                    desk::team_name(team),
                    if late == 1 { "is" } else { "are" },
                    crate::domain::sustain::ESCALATION_RESPONSE_WORKING_DAYS
                ),
                href: "#waiting-h".into(),
            });
        }
    }
    let referrals = if desk.shows(Section::Referrals) { super::referral_service::waiting_for_officer(who, lists.referrals, &clock) } else { vec![] };
    let covers = if desk.shows(Section::Covers) { lists.covers } else { vec![] };
    Ok(MyWork { user: session_user(who), alarms, counts, tenancies, tenancies_total: load.tenancies_total, cases, waiting, covers, referrals, desk: view })
}

/// Weeks ahead that an introductory review's anniversary starts to sound.
pub const REVIEW_WARNING_DAYS: i64 = 42;

/// The loud items: introductory reviews at or past their anniversary with no decision (by law
/// they become secure), and, for Team Leaders, proposals waiting for them. `reviews` is whether
/// the count is the officer's own (rather than the area's) and the count (overdue, due).
fn alarms(reviews: Option<(bool, (i64, i64))>, proposals_waiting: i64) -> Vec<Alarm> {
    let mut alarms = Vec::new();
    if let Some((own, (overdue, due))) = reviews {
        let whose = if own { "Your" } else { "The area's" };
        let href = if own { "/#ten-h" } else { "/approvals#due" };
        if overdue > 0 {
            alarms.push(Alarm {
                level: ClockStatus::Overdue,
                text: format!("{whose} {overdue} introductory tenanc{} passed the 12-month anniversary with no decision: by law they are now secure. Record the reviews now.", if overdue == 1 { "y has" } else { "ies have" }),
                href: href.into(),
            });
        }
        if due > overdue {
            let n = due - overdue;
            alarms.push(Alarm {
                level: ClockStatus::DueSoon,
                text: format!(
                    "{whose} {n} introductory review{} fall{} due in the next {} weeks with no decision yet.",
                    if n == 1 { "" } else { "s" },
                    if n == 1 { "s" } else { "" },
                    REVIEW_WARNING_DAYS / 7
                ),
                href: href.into(),
            });
        }
    }
    if proposals_waiting > 0 {
        alarms.push(Alarm {
            level: ClockStatus::DueSoon,
            text: format!("{proposals_waiting} proposal{} waiting for your decision.", if proposals_waiting == 1 { " is" } else { "s are" }),
            href: "/approvals".into(),
        });
    }
    alarms
}

pub async fn search(store: &dyn Store, who: &Principal, query: &str) -> Result<SearchResults, AppError> {
    let area = searchable_area(who)?;
    let Some(q) = normalise_query(query) else {
        return Ok(SearchResults { query: query.trim().to_string(), hits: vec![], truncated: false });
    };
    let terms = terms(&q);
    let mut hits = store.search(area, &terms, MAX_RESULTS as i64 + 1).await?;
    let truncated = hits.len() > MAX_RESULTS;
    hits.truncate(MAX_RESULTS);
    Ok(SearchResults { query: q, hits, truncated })
}

#[allow(clippy::too_many_arguments, reason = "one call per audited view: who, where from, what, which record, the outcome and a note read best in one line")]
pub(crate) async fn audit(
    store: &dyn Store,
    who: &Principal,
    ip: &str,
    action: &str,
    subject_type: &str,
    subject_id: Option<i64>,
    outcome: Result<(), Denial>,
    detail: String,
) -> Result<(), AppError> {
    let mut entry = change(who, ip, action, subject_type, subject_id, detail);
    if let Err(d) = outcome {
        entry.outcome = format!("denied:{}", d.code());
    }
    store.audit(entry).await
}

/// The audit row for a change `who` makes. The store writes it in the change's own transaction,
/// so the change and its account are kept together or not at all; a change that makes a record
/// may leave `subject_id` to the store, which fills in the new record's id.
pub(crate) fn change(who: &Principal, ip: &str, action: &str, subject_type: &str, subject_id: Option<i64>, detail: String) -> AuditEntry {
    AuditEntry {
        user_id: Some(who.user_id),
        username: who.username.clone(),
        action: action.into(),
        subject_type: subject_type.into(),
        subject_id,
        outcome: "allowed".into(),
        reason: String::new(),
        detail,
        ip: ip.into(),
    }
}

/// Views of records outside the user's own caseload are audited; refusals always are.
pub(crate) fn worth_auditing(who: &Principal, scope: &RecordScope, outcome: Result<(), Denial>) -> bool {
    outcome.is_err() || scope.restricted || who.area_team_id != Some(scope.area_team_id)
}

/// A case as a list shows it to `who` (`access::listing`): left out if they may not open it;
/// need-to-know, by reference and kind only.
pub(crate) fn list_case(who: &Principal, c: CaseRow, scope: &RecordScope) -> Option<CaseRow> {
    list_as(who, scope, c, |c| {
        c.title = RESTRICTED_ABOUT.into();
        c.address.clear();
        c.tenancy_reference = None;
    })
}

/// Does an open item on this record wait for `who` (`workflow::waits_on`)?
pub(crate) fn waits_on(who: &Principal, scope: &RecordScope, patch_officer_id: Option<i64>, w: &WorkflowView) -> bool {
    workflow::waits_on(w.flow, FlowState::parse(&w.state), &w.outcome, actor_for(who, scope, patch_officer_id, Some(w.proposer_id)))
}

/// A workflow item as a list shows it to `who`: left out if they may not open its tenancy or
/// case, by reference, step and clock only if that is need-to-know (`access::listing`, with the
/// item's own duty: an escalation to their team, a hand-back to their patch).
pub(crate) fn list_item(who: &Principal, item: ListedItem) -> Option<WorkflowView> {
    let ListedItem { view, mut scope, patch_officer_id } = item;
    scope.duty = waits_on(who, &scope, patch_officer_id, &view);
    list_as(who, &scope, view, |view| {
        view.restricted = true;
        view.address = RESTRICTED_ABOUT.into();
        view.reason.clear();
        view.detail.clear();
        view.decision_note.clear();
    })
}

pub async fn tenancy(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<TenancyDetail, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let reference = reference.trim().to_uppercase();
    let Some(rec) = store.tenancy(&reference, who.user_id).await? else {
        return Err(AppError::NotFound(format!("Tenancy {reference}")));
    };
    let outcome = can_view_record(who, &rec.scope);
    if worth_auditing(who, &rec.scope, outcome) {
        audit(store, who, ip, "view_tenancy", "tenancy", Some(rec.id), outcome, reference.clone()).await?;
    }
    outcome?;
    let clock = Clock::now(store).await?;
    let today = clock.today;
    let mut detail = rec.detail;
    for v in &mut detail.visits {
        v.can_link = crate::domain::feedback::may_create_link(who, "visit", Some(rec.scope.area_team_id), v.officer_id).is_ok();
    }
    let on = today;
    detail.occupation = occupancy::occupation(detail.bedrooms.max(0) as u32, &rec.occupants, on).label();
    detail.key_dates = key_dates(&detail, &rec.start_date, rec.trial_ends_on.as_deref(), rec.extension_notice_served_on.as_deref(), &clock);
    let mut hidden = 0;
    detail.cases = rec
        .cases
        .into_iter()
        .filter_map(|(c, scope)| match list_case(who, c, &scope) {
            Some(mut c) => {
                c.clock = if c.status == "open" { c.due_at.as_deref().and_then(|d| clock.instant(d)) } else { None };
                Some(c)
            }
            None => {
                hidden += 1;
                None
            }
        })
        .collect();
    if hidden > 0 {
        detail.cases.push(CaseRow {
            reference: "—".into(),
            kind: crate::domain::CaseKind::Safeguarding,
            title: format!("{hidden} restricted case{} not shown (need to know)", if hidden == 1 { "" } else { "s" }),
            status: "restricted".into(),
            tenancy_reference: None,
            address: String::new(),
            opened_at: String::new(),
            due_at: None,
            clock: None,
            restricted: true,
        });
    }
    Ok(detail)
}

fn key_dates(detail: &TenancyDetail, start: &str, trial_ends_on: Option<&str>, notice_served: Option<&str>, clock: &Clock) -> Vec<KeyDate> {
    let mut dates = vec![KeyDate { label: "Tenancy start".into(), date: start.into(), clock: None }];
    let introductory = detail.tenure.is_introductory();
    if let (true, Some(end)) = (introductory, trial_ends_on) {
        if detail.tenure == Tenure::Introductory
            && let Ok(end_date) = end.parse::<NaiveDate>()
        {
            let last_notice = clock::extension_notice_last_day(end_date).to_string();
            dates.push(KeyDate { label: "Last day to serve a notice of extension".into(), clock: clock.date(&last_notice), date: last_notice });
        }
        dates.push(KeyDate { label: "Introductory review decision due (trial ends)".into(), date: end.into(), clock: clock.date(end) });
    }
    if let Some(served) = notice_served {
        dates.push(KeyDate { label: "Notice of extension served".into(), date: served.into(), clock: None });
    }
    dates
}

pub async fn property(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<PropertyDetail, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let reference = reference.trim().to_uppercase();
    let Some(rec) = store.property(&reference).await? else {
        return Err(AppError::NotFound(format!("Property {reference}")));
    };
    let outcome = can_view_record(who, &rec.scope);
    if worth_auditing(who, &rec.scope, outcome) {
        audit(store, who, ip, "view_property", "property", Some(rec.id), outcome, reference.clone()).await?;
    }
    outcome?;
    Ok(rec.detail)
}

pub async fn patches(store: &dyn Store, who: &Principal) -> Result<Vec<PatchSummary>, AppError> {
    let area = searchable_area(who)?;
    store.patches(area).await
}

// ---------------------------------------------------------------------------------------
// Introductory tenancy reviews (issue: case transfers between roles)
// ---------------------------------------------------------------------------------------

use crate::api::store::{Decision, Proposal, ReviewEffect, ReviewRecord};
use crate::domain::workflow::{self, Actor, Flow, FlowState, Move, ReviewOutcome};

/// What an officer submits to propose the outcome of an introductory review.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct ReviewProposal {
    /// The tenancy's version as the officer saw it (stale versions are refused).
    pub version: i64,
    /// make_secure, extend or seek_possession.
    pub outcome: String,
    /// For an extension: arrears, nuisance, property_condition or other.
    #[serde(default)]
    pub extension_reason: Option<String>,
    /// The officer's summary of the review.
    pub reason: String,
}

/// A decision on an open proposal.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct ItemDecision {
    pub version: i64,
    /// approve, send_back, decline, withdraw or acknowledge.
    #[schema(value_type = String)]
    pub action: Move,
    #[serde(default)]
    pub note: String,
    /// Accepting a referral: the Sustainable Tenancy HMO (user id) who takes the case.
    #[serde(default)]
    pub assign_to: Option<i64>,
}

fn actor(who: &Principal, rec: &ReviewRecord) -> Actor {
    actor_for(who, &rec.scope, rec.patch_officer_id, rec.open_proposer_id)
}

fn open_state(rec: &ReviewRecord) -> Option<(FlowState, &WorkflowView)> {
    rec.items.iter().find_map(|w| FlowState::parse(&w.state).filter(|s| s.is_open()).map(|s| (s, w)))
}

/// Loads a tenancy's review record the user may see; a refusal is audited.
async fn load_review(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<ReviewRecord, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    let reference = reference.trim().to_uppercase();
    let rec = store.review_record(&reference).await?.ok_or_else(|| AppError::NotFound(format!("Tenancy {reference}")))?;
    if let Err(denial) = can_view_record(who, &rec.scope) {
        audit(store, who, ip, "open_review", "tenancy", Some(rec.tenancy_id), Err(denial), reference).await?;
        return Err(denial.into());
    }
    Ok(rec)
}

fn panel(who: &Principal, rec: ReviewRecord, clock: &Clock) -> ReviewPanel {
    let today = clock.today;
    let a = actor(who, &rec);
    let open = open_state(&rec);
    let is_intro = rec.tenure.is_introductory();
    let moves = if is_intro { workflow::available(Flow::IntroductoryReview, open.map(|o| o.0), a) } else { vec![] };
    let notice_last_day = match (rec.tenure, rec.trial_ends_on.as_deref().and_then(|d| d.parse::<NaiveDate>().ok())) {
        (Tenure::Introductory, Some(end)) => Some(clock::extension_notice_last_day(end).to_string()),
        _ => None,
    };
    let mut items = rec.items.clone();
    for w in &mut items {
        if FlowState::parse(&w.state).is_some_and(|s| s.is_open()) {
            w.due_on = rec.trial_ends_on.clone();
            w.clock = rec.trial_ends_on.as_deref().and_then(|d| clock.date(d));
        }
    }
    let open = items.iter().find(|w| FlowState::parse(&w.state).is_some_and(|s| s.is_open())).cloned();
    let outcomes = if moves.contains(&Move::Propose) {
        workflow::allowed_outcomes(rec.tenure, rec.trial_ends_on.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()), today)
    } else {
        vec![]
    };
    let has_open_escalation = rec.escalations.iter().any(|w| w.state == "proposed");
    let can_escalate = !has_open_escalation && workflow::next(Flow::Escalation, None, Move::Propose, Actor { proposed: false, ..a }).is_ok();
    let escalations = rec
        .escalations
        .iter()
        .cloned()
        .map(|mut w| {
            w.actions = item_moves(actor_for(who, &rec.scope, rec.patch_officer_id, Some(w.proposer_id)), &w);
            w
        })
        .collect();
    let trial_clock = if is_intro { rec.trial_ends_on.as_deref().and_then(|d| clock.date(d)) } else { None };
    ReviewPanel {
        tenancy_reference: rec.reference,
        tenancy_version: rec.version,
        tenure: rec.tenure,
        trial_clock,
        trial_ends_on: rec.trial_ends_on,
        notice_last_day,
        notice_served_on: rec.notice_served_on,
        history: items,
        open,
        moves,
        escalations,
        can_escalate,
        outcomes,
    }
}

/// What an officer submits to escalate a tenancy.
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize, utoipa::ToSchema)]
pub struct EscalationRequest {
    pub version: i64,
    /// notice, possession (Legal), evidence_review or injunction (Community Safety Hub).
    pub purpose: String,
    pub reason: String,
}

pub(crate) const ESCALATION_PURPOSE_HELP: &str =
    "Choose what the escalation is for: a notice or possession (Legal), an evidence review or an injunction (Community Safety Hub).";

pub(crate) fn check_escalation_reason(reason: &str) -> Result<(), AppError> {
    let n = reason.trim().chars().count();
    if !(10..=4000).contains(&n) {
        return Err(AppError::Invalid("Give the reason for escalating in a sentence or more (10 to 4,000 characters).".into()));
    }
    Ok(())
}

/// Escalates a tenancy to Legal or the Community Safety Hub; the owner keeps it and sees the escalation.
pub async fn escalate(store: &dyn Store, who: &Principal, reference: &str, e: EscalationRequest, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    let purpose = workflow::EscalationPurpose::parse(e.purpose.trim()).ok_or_else(|| AppError::Invalid(ESCALATION_PURPOSE_HELP.into()))?;
    check_escalation_reason(&e.reason)?;
    let reason = e.reason.trim();
    if e.version != rec.version {
        return Err(AppError::Conflict(
            "This tenancy has changed since you opened it. Reload the page to see the latest, then try again; nothing you entered was saved.".into(),
        ));
    }
    workflow::next(Flow::Escalation, None, Move::Propose, actor(who, &rec))
        .map_err(|r| AppError::Forbidden(r.message(Flow::Escalation, None, Move::Propose)))?;
    store
        .propose(
            Proposal {
                flow: Flow::Escalation,
                subject_type: "tenancy",
                subject_id: rec.tenancy_id,
                subject_version: e.version,
                area_team_id: rec.scope.area_team_id,
                outcome: purpose.target().into(),
                reason: reason.into(),
                detail: purpose.as_str().into(),
                proposed_by: who.user_id,
                due_on: Some(Clock::now(store).await?.due_after(crate::domain::sustain::ESCALATION_RESPONSE_WORKING_DAYS).to_string()),
                reopen: None,
            },
            change(who, ip, "escalate", "workflow_item", None, format!("{} {}", rec.reference, purpose.as_str())),
        )
        .await?;
    review_panel(store, who, &rec.reference, ip).await
}

/// The review panel; views from outside the user's area (Legal, the Hub) are audited.
pub async fn review_panel(store: &dyn Store, who: &Principal, reference: &str, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    if worth_auditing(who, &rec.scope, Ok(())) {
        audit(store, who, ip, "view_review", "tenancy", Some(rec.tenancy_id), Ok(()), rec.reference.clone()).await?;
    }
    Ok(panel(who, rec, &Clock::now(store).await?))
}

/// The Introductory HMO proposes the outcome of the 12-month review.
pub async fn propose_review(store: &dyn Store, who: &Principal, reference: &str, p: ReviewProposal, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    let outcome = ReviewOutcome::parse(p.outcome.trim())
        .ok_or_else(|| AppError::Invalid("Choose an outcome: make secure, extend by 6 months, or seek possession.".into()))?;
    let reason = p.reason.trim();
    if reason.len() < 10 {
        return Err(AppError::Invalid("Summarise the review in a sentence or two (at least 10 characters).".into()));
    }
    if reason.len() > 4000 {
        return Err(AppError::Invalid("The summary is too long (4,000 characters at most).".into()));
    }
    let trial_end = rec.trial_ends_on.as_deref().and_then(|d| d.parse::<NaiveDate>().ok());
    workflow::check_outcome(outcome, rec.tenure, trial_end, store.today()).map_err(AppError::Invalid)?;
    if outcome == ReviewOutcome::Extend {
        workflow::may_extend(rec.tenure, p.extension_reason.as_deref()).map_err(|e| AppError::Invalid(e.into()))?;
    }
    if p.version != rec.version {
        return Err(AppError::Conflict(
            "This tenancy has changed since you opened it. Reload the page to see the latest, then try again; nothing you entered was saved.".into(),
        ));
    }
    let open = open_state(&rec);
    workflow::next(Flow::IntroductoryReview, open.map(|o| o.0), Move::Propose, actor(who, &rec)).map_err(|r| match r {
        workflow::Refusal::NotInThisState => AppError::Conflict(r.message(Flow::IntroductoryReview, open.map(|o| o.0), Move::Propose)),
        workflow::Refusal::NotYours => AppError::Forbidden(r.message(Flow::IntroductoryReview, open.map(|o| o.0), Move::Propose)),
    })?;
    store
        .propose(
            Proposal {
                flow: Flow::IntroductoryReview,
                subject_type: "tenancy",
                subject_id: rec.tenancy_id,
                subject_version: p.version,
                area_team_id: rec.scope.area_team_id,
                outcome: outcome.as_str().into(),
                reason: reason.into(),
                detail: p.extension_reason.clone().unwrap_or_default(),
                proposed_by: who.user_id,
                due_on: rec.trial_ends_on.clone(),
                reopen: open.map(|(_, w)| (w.id, w.version)),
            },
            change(who, ip, "propose_review", "workflow_item", None, format!("{} {}", rec.reference, outcome.as_str())),
        )
        .await?;
    review_panel(store, who, &rec.reference, ip).await
}

/// The tenancy or case a workflow item moves, as the rules need it (one per request: size is no concern).
#[allow(clippy::large_enum_variant)]
pub(crate) enum Subject {
    Tenancy(ReviewRecord),
    Case(crate::api::store::CaseRecord),
}

impl Subject {
    pub(crate) async fn load(store: &dyn Store, who: &Principal, item: &WorkflowView, ip: &str) -> Result<Subject, AppError> {
        if item.subject_type == "case" {
            Ok(Subject::Case(super::casework::load_case(store, who, &item.subject_reference, ip).await?))
        } else {
            Ok(Subject::Tenancy(load_review(store, who, &item.subject_reference, ip).await?))
        }
    }
    fn scope(&self) -> &RecordScope {
        match self {
            Subject::Tenancy(r) => &r.scope,
            Subject::Case(c) => &c.scope,
        }
    }
    fn patch_officer_id(&self) -> Option<i64> {
        match self {
            Subject::Tenancy(r) => r.patch_officer_id,
            Subject::Case(c) => c.patch_officer_id,
        }
    }
}

/// Who `who` is relative to a record (and to one item on it, when `proposer` is given).
pub(crate) fn actor_for(who: &Principal, scope: &RecordScope, patch_officer_id: Option<i64>, proposer: Option<i64>) -> Actor {
    Actor {
        role: who.role,
        owns: who.acts_for(scope.owner_id),
        proposed: proposer.is_some_and(|p| p == who.user_id),
        same_area: who.area_team_id == Some(scope.area_team_id),
        patch_officer: who.acts_for(patch_officer_id),
    }
}

/// The moves `who` may make on one item: the state machine's table, with escalations
/// concluded only by the team they were sent to.
pub(crate) fn item_moves(a: Actor, w: &WorkflowView) -> Vec<Move> {
    let Some(state) = FlowState::parse(&w.state) else { return vec![] };
    workflow::item_moves(w.flow, Some(state), &w.outcome, a)
}

/// Refuses a move the table does not allow: 409 when the item's state has moved on, 403 when
/// the move exists but not for this person.
pub(crate) fn refuse(flow: Flow, state: Option<FlowState>, mv: Move, a: Actor) -> AppError {
    match workflow::next(flow, state, mv, a) {
        Err(workflow::Refusal::NotInThisState) => AppError::Conflict(workflow::Refusal::NotInThisState.message(flow, state, mv)),
        _ => AppError::Forbidden(workflow::Refusal::NotYours.message(flow, state, mv)),
    }
}

/// A decision on an open proposal, for every flow: approve, send back, decline, withdraw or acknowledge.
pub async fn decide_item(store: &dyn Store, who: &Principal, item_id: i64, d: ItemDecision, ip: &str) -> Result<WorkflowView, AppError> {
    let (item, ..) = store.workflow_item(item_id).await?.ok_or_else(|| AppError::NotFound(format!("Proposal {item_id}")))?;
    let subject = Subject::load(store, who, &item, ip).await?;
    let state = FlowState::parse(&item.state);
    let a = actor_for(who, subject.scope(), subject.patch_officer_id(), Some(item.proposer_id));
    if !item_moves(a, &item).contains(&d.action) {
        return Err(refuse(item.flow, state, d.action, a));
    }
    let to = workflow::next(item.flow, state, d.action, a).map_err(|r| AppError::Forbidden(r.message(item.flow, state, d.action)))?;
    let note = d.note.trim();
    if note.chars().count() > 4000 {
        return Err(AppError::Invalid("The note is too long (4,000 characters at most).".into()));
    }
    match (item.flow, d.action) {
        (_, Move::SendBack) if note.chars().count() < 5 => {
            return Err(AppError::Invalid("Say why you are sending it back, so the officer knows what to change.".into()));
        }
        (_, Move::Decline) if note.chars().count() < 5 => {
            return Err(AppError::Invalid("Give the reasons for declining, so the Community HMO knows what to do next.".into()));
        }
        (Flow::Escalation, Move::Acknowledge) if note.chars().count() < 5 => {
            return Err(AppError::Invalid("Record the outcome of the escalation (what was done) before concluding it.".into()));
        }
        _ => {}
    }
    let clock = Clock::now(store).await?;
    let today = clock.today;
    let effect = if to == FlowState::Completed { completion_effect(store, &subject, &item, &d, &clock).await? } else { None };
    let action = match item.flow {
        Flow::IntroductoryReview => "decide_review",
        Flow::ReferralToSustainable => "decide_referral",
        Flow::HandBack => "decide_hand_back",
        Flow::Escalation => "decide_escalation",
    };
    let entry = change(who, ip, action, "workflow_item", Some(item_id), format!("{} {:?} -> {}", item.subject_reference, d.action, to.as_str()));
    store
        .decide(Decision { item_id, item_version: d.version, new_state: to, decided_by: who.user_id, note: note.into(), effect }, &today.to_string(), entry)
        .await?;
    let (view, ..) = store.workflow_item(item_id).await?.ok_or(AppError::Internal)?;
    Ok(view)
}

/// What completing an item does to its tenancy or case.
async fn completion_effect(
    store: &dyn Store,
    subject: &Subject,
    item: &WorkflowView,
    d: &ItemDecision,
    clock: &Clock,
) -> Result<Option<ReviewEffect>, AppError> {
    let today = clock.today;
    Ok(match (item.flow, subject) {
        (Flow::IntroductoryReview, Subject::Tenancy(rec)) => {
            let start: NaiveDate = rec.start_date.parse().map_err(|_| AppError::Internal)?;
            Some(match ReviewOutcome::parse(&item.outcome) {
                Some(ReviewOutcome::MakeSecure) => {
                    let new_owner = rec.patch_officer_id.ok_or_else(|| {
                        AppError::Conflict("The property's patch has no Community HMO to take the tenancy over. Assign one (or cover) first.".into())
                    })?;
                    // Secure from the anniversary (or today, if that has passed).
                    let anniversary = rec.trial_ends_on.as_deref().and_then(|d| d.parse::<NaiveDate>().ok()).unwrap_or(today);
                    ReviewEffect::MakeSecure { new_owner, effective_on: anniversary.max(today).to_string() }
                }
                Some(ReviewOutcome::Extend) => {
                    workflow::may_extend(rec.tenure, Some(item.detail.as_str())).map_err(|e| AppError::Conflict(e.into()))?;
                    ReviewEffect::Extend { trial_ends_on: clock::trial_end(start, true).to_string(), reason: item.detail.clone() }
                }
                Some(ReviewOutcome::SeekPossession) | None => ReviewEffect::SeekPossession,
            })
        }
        (Flow::ReferralToSustainable, Subject::Case(case)) => {
            let chosen = d.assign_to.ok_or_else(|| AppError::Invalid("Choose the Sustainable Tenancy HMO who will work the case.".into()))?;
            let officers = store.officers(case.scope.area_team_id, Some(crate::domain::Role::SustainableHmo)).await?;
            if !officers.iter().any(|o| o.id == chosen) {
                return Err(AppError::Invalid("Choose a Sustainable Tenancy HMO from the case's area team.".into()));
            }
            let plan_due_on = clock.due_after(crate::domain::sustain::PLAN_AGREEMENT_WORKING_DAYS);
            Some(ReviewEffect::AcceptReferral { new_owner: chosen, plan_due_on: plan_due_on.to_string() })
        }
        (Flow::HandBack, Subject::Case(case)) => {
            let new_owner = case
                .patch_officer_id
                .ok_or_else(|| AppError::Conflict("The case's patch has no Community HMO to hand it back to. Assign one first.".into()))?;
            Some(ReviewEffect::HandBack { new_owner })
        }
        _ => None,
    })
}

/// The Team Leader's approvals queue: open proposals in their area, most urgent first.
pub async fn approvals(store: &dyn Store, who: &Principal) -> Result<Vec<WorkflowView>, AppError> {
    let area = searchable_area(who)?;
    let clock = Clock::now(store).await?;
    let mut items: Vec<WorkflowView> = store.open_items(area, who.user_id).await?.into_iter().filter_map(|item| list_item(who, item)).collect();
    if matches!(who.role, crate::domain::Role::Legal | crate::domain::Role::AsbOfficer) {
        items.retain(|w| w.flow == Flow::Escalation && workflow::EscalationPurpose::target_role(&w.outcome) == Some(who.role));
    }
    for w in &mut items {
        w.clock = w.due_on.as_deref().and_then(|d| clock.instant(d));
    }
    items.sort_by(|a, b| (urgency(a.clock), &a.due_on).cmp(&(urgency(b.clock), &b.due_on)));
    Ok(items)
}

/// Introductory tenancies in the user's area that reach (or passed) their anniversary within the
/// warning window with no decision, soonest first: the Team Leader's view of what is coming.
pub async fn reviews_due(store: &dyn Store, who: &Principal) -> Result<Vec<TenancyRow>, AppError> {
    let area = searchable_area(who)?.or(who.area_team_id).ok_or_else(|| AppError::Forbidden("Reviews are listed per area team.".into()))?;
    let clock = Clock::now(store).await?;
    let today = clock.today;
    let until = (today + chrono::Duration::days(REVIEW_WARNING_DAYS)).to_string();
    let mut rows = store.reviews_due_list(area, &until, 500).await?;
    for t in &mut rows {
        t.clock = t.trial_ends_on.as_deref().and_then(|d| clock.date(d));
    }
    Ok(rows)
}

/// Records the day the notice of extension was served.
pub async fn record_notice(store: &dyn Store, who: &Principal, reference: &str, version: i64, served_on: &str, ip: &str) -> Result<ReviewPanel, AppError> {
    let rec = load_review(store, who, reference, ip).await?;
    if rec.tenure != Tenure::ExtendedIntroductory {
        return Err(AppError::Invalid("A notice of extension is recorded once the extension is approved.".into()));
    }
    if !(who.acts_for(rec.scope.owner_id) || (who.role == crate::domain::Role::TeamLeader && who.area_team_id == Some(rec.scope.area_team_id))) {
        return Err(AppError::Forbidden("Only the tenancy's officer or their Team Leader can record the notice.".into()));
    }
    let served = clock::input_date(served_on, &format!("{:?} is not a date (YYYY-MM-DD).", served_on.trim())).map_err(AppError::Invalid)?;
    if served > store.today() {
        return Err(AppError::Invalid("The notice cannot be served in the future.".into()));
    }
    let entry = change(who, ip, "record_extension_notice", "tenancy", Some(rec.tenancy_id), served.to_string());
    store.record_notice_served(rec.tenancy_id, version, &served.to_string(), who.user_id, entry).await?;
    review_panel(store, who, &rec.reference, ip).await
}
