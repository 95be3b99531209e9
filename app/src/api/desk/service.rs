//! The desk's operations: My work for every role, search, and the tenancy and property pages.

use chrono::NaiveDate;

use crate::api::desk::store::{ReviewCount, WorkQuery};
use crate::api::kit::audit::{audit, worth_auditing};
use crate::api::kit::clock::Clock;
use crate::api::kit::workflow::{list_case, list_item, waits_on};
use crate::api::store::Store;
use crate::domain::Tenure;
use crate::domain::access::{Principal, can_view_record, searchable_area};
use crate::domain::clock::{self, ClockStatus, urgency};
use crate::domain::desk::{self, Reviews};
use crate::domain::occupancy;
use crate::domain::search::{MAX_RESULTS, normalise_query, terms};
use crate::domain::workflow::{self, Flow};
use crate::error::AppError;
use crate::model::*;

fn session_user(who: &Principal) -> SessionUser {
    SessionUser {
        username: who.username.clone(),
        display_name: who.display_name.clone(),
        role: who.role,
        area_team: who.area_team.clone(),
        agency: who.agency.clone(),
    }
}

/// The user's desk (`domain::desk`): for officers their worklist (alarms, counts, what waits for
/// them, open cases, and the most urgent tenancies they manage; `all`: every one of them, up to
/// `CASELOAD_ALL`), for Legal and the Community Safety Hub the escalations waiting for their team
/// with their clocks; for a role that works elsewhere, only where (and nothing of housing records).
pub async fn my_work(store: &dyn Store, who: &Principal, all: bool) -> Result<MyWork, AppError> {
    use crate::domain::desk::{self, Landing, Section};
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
            follow_ups: vec![],
            hazards: vec![],
            desk: view,
        });
    }
    crate::domain::access::can_use_housing_records(who)?;
    let clock = Clock::now(store).await?;
    let query = work_query(who, &desk, &clock, all);
    let lists = store.work_lists(&query).await?;
    let load = lists.caseload;
    let mut tenancies = if desk.shows(Section::Tenancies) { load.tenancies } else { vec![] };
    for t in &mut tenancies {
        clock.date_tenancy(t);
    }
    // Most urgent first: overdue, due soon, then by date.
    tenancies.sort_by(|a, b| (urgency(a.clock), &a.trial_ends_on).cmp(&(urgency(b.clock), &b.trial_ends_on)));
    let mut cases: Vec<CaseRow> = if desk.shows(Section::Cases) { load.cases } else { vec![] }
        .into_iter()
        .filter_map(|(c, scope)| list_case(who, c, &scope))
        .map(|mut c| {
            c.clock = c.due_at.map(|d| clock.instant(d));
            c
        })
        .collect();
    cases.sort_by(|a, b| (urgency(a.clock), &a.due_at).cmp(&(urgency(b.clock), &b.due_at)));
    let mut alarms =
        alarms(query.reviews.as_ref().map(|r| (r.owner_id.is_some(), lists.reviews_due)), lists.proposals_waiting, clock.timescales.review_lead_weeks);
    let mut waiting: Vec<WorkflowView> =
        if desk.shows(Section::Waiting) { lists.waiting.into_iter().filter_map(|item| list_item(who, item)).collect() } else { vec![] };
    let mut queue = if desk.shows(Section::TeamQueue) { team_queue(store, who).await? } else { vec![] };
    for w in waiting.iter_mut().chain(queue.iter_mut().map(|(v, _)| v)) {
        w.clock = w.due_on.as_deref().and_then(|d| clock.due_text(d));
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
    alarms.extend(hand_back_alarm(&waiting));
    alarms.extend(desk.team.and_then(|team| late_escalations_alarm(team, &facts, clock.timescales.escalation_response_days)));
    let referrals = if desk.shows(Section::Referrals) { crate::api::referrals::service::waiting_for_officer(who, lists.referrals, &clock) } else { vec![] };
    let covers = if desk.shows(Section::Covers) { lists.covers } else { vec![] };
    let mut follow_ups = lists.follow_ups;
    for f in &mut follow_ups {
        f.clock = clock.instant(f.due_at);
    }
    follow_ups.sort_by_key(|f| (urgency(Some(f.clock)), f.due_at));
    let hazards = if query.follow_ups { crate::api::hazards::service::open_for(store, &query.owners, &clock).await? } else { vec![] };
    Ok(MyWork {
        user: session_user(who),
        alarms,
        counts,
        tenancies,
        tenancies_total: load.tenancies_total,
        cases,
        waiting,
        covers,
        referrals,
        follow_ups,
        hazards,
        desk: view,
    })
}

/// What My work asks the store for: the officer's own and covered work, the review count their
/// desk shows, proposals to decide, covers of the last fortnight.
fn work_query(who: &Principal, desk: &desk::Desk, clock: &Clock, all: bool) -> WorkQuery {
    let today = clock.today;
    let mut owners = vec![who.user_id];
    owners.extend(&who.covering);
    let reviews = match desk.reviews {
        Some(Reviews::Own) => Some((Some(who.user_id), None)),
        Some(Reviews::Area) => Some((None, who.area_team_id)),
        None => None,
    };
    WorkQuery {
        referrals: crate::api::referrals::service::officer_filter(&owners, today),
        owners,
        viewer_id: who.user_id,
        limit: if all { CASELOAD_ALL } else { CASELOAD_PAGE },
        reviews: reviews.map(|(owner_id, area_team_id)| ReviewCount { owner_id, area_team_id, today, until: clock.timescales.reviews_due_until(today) }),
        proposals_area: if desk.proposals { who.area_team_id } else { None },
        covers_since: today - chrono::Duration::days(14),
        follow_ups: desk.shows(desk::Section::FollowUps),
    }
}

/// The team's queue: every open item that waits on this user's team (`workflow::waits_on`), as
/// lists show it (`list_item`), with what it was escalated for (which its label says too).
async fn team_queue(store: &dyn Store, who: &Principal) -> Result<Vec<(WorkflowView, Option<workflow::EscalationPurpose>)>, AppError> {
    let mut queue = Vec::new();
    for item in store.open_items(None, who.user_id).await? {
        if waits_on(who, &item.scope, item.patch_officer_id, &item.view) {
            let purpose = workflow::EscalationPurpose::parse(&item.view.detail);
            queue.extend(list_item(who, item).map(|v| (v, purpose)));
        }
    }
    Ok(queue)
}

/// The alarm for cases the Sustainable Tenancy HMO handed back to this officer, as loud as the
/// most urgent of them.
fn hand_back_alarm(waiting: &[WorkflowView]) -> Option<Alarm> {
    let hand_backs: Vec<&WorkflowView> = waiting.iter().filter(|w| w.flow == Flow::HandBack).collect();
    let n = hand_backs.len();
    (n > 0).then(|| Alarm {
        level: hand_backs.iter().filter_map(|w| w.clock).min_by_key(|c| urgency(Some(*c))).unwrap_or(ClockStatus::DueSoon),
        text: format!(
            "{n} case{} handed back to you by the Sustainable Tenancy HMO: acknowledge {}.",
            if n == 1 { " is" } else { "s are" },
            if n == 1 { "it" } else { "them" }
        ),
        href: "#waiting-h".into(),
    })
}

/// The alarm for escalations to Legal or the Community Safety Hub past their response time.
fn late_escalations_alarm(team: crate::domain::Role, facts: &crate::domain::desk::Facts, response_days: u32) -> Option<Alarm> {
    let late = facts.queue.iter().filter(|q| q.0 == Some(ClockStatus::Overdue)).count();
    (late > 0).then(|| Alarm {
        level: ClockStatus::Overdue,
        text: format!(
            "{late} escalation{} to {} {} past {} working days with no conclusion.",
            if late == 1 { "" } else { "s" },
            crate::domain::desk::team_name(team),
            if late == 1 { "is" } else { "are" },
            response_days
        ),
        href: "#waiting-h".into(),
    })
}

/// The loud items: introductory reviews at or past their anniversary with no decision (by law
/// they become secure), and, for Team Leaders, proposals waiting for them. `reviews` is whether
/// the count is the officer's own (rather than the area's) and the count (overdue, due) within
/// `lead_weeks` of the anniversary.
fn alarms(reviews: Option<(bool, (i64, i64))>, proposals_waiting: i64, lead_weeks: u32) -> Vec<Alarm> {
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
                    lead_weeks
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
    let need_to_know = crate::domain::visits::sees_safeguarding(who, &rec.scope);
    let records = crate::domain::visits::may_record(who, &rec.scope);
    for v in &mut detail.visits {
        v.can_add_photo = records && crate::domain::photo::may_add(v.outcome, v.photos.len());
        v.can_link = crate::domain::feedback::may_create_link(who, "visit", Some(rec.scope.area_team_id), v.officer_id).is_ok();
        for f in &mut v.follow_ups {
            f.clock = clock.instant(f.due_at);
        }
        if !need_to_know {
            let safeguarding = crate::domain::FindingKind::Safeguarding.label();
            for f in &mut v.findings {
                if f == safeguarding {
                    *f = crate::domain::visits::RESTRICTED_FINDING.to_string();
                }
            }
            v.follow_ups.retain(|f| f.kind != crate::domain::FindingKind::Safeguarding);
            v.photos.retain(|(_, f)| *f != Some(crate::domain::FindingKind::Safeguarding));
        }
    }
    let t = &clock.timescales;
    detail.no_access = crate::domain::visits::ladder(&rec.door, t.no_access_attempts, t.no_access_letter_days, &clock.calendar, today)
        .map(|ladder| NoAccessView { summary: ladder.summary(), clock: clock.date(ladder.by), ladder });
    detail.visit_form = crate::domain::visits::may_record(who, &rec.scope).then(|| VisitFormStart {
        key: crate::api::visits::service::fresh_key(),
        today,
        version: detail.version,
        household: detail.members.iter().map(|m| (m.id, m.name.clone(), m.is_tenant)).collect(),
    });
    (detail.pipeline, detail.pipeline_startable) = crate::api::pipeline::service::for_tenancy(store, who, rec.id, &rec.scope).await?;
    (detail.hazards, detail.may_report_hazard) = crate::api::hazards::service::for_tenancy(store, who, rec.id, &rec.scope, &clock).await?;
    let on = today;
    (detail.occupation, detail.size_criteria) = match occupancy::assess(detail.bedrooms.max(0) as u32, &rec.occupants, on) {
        Ok(a) => (a.label(), Some(size_view(&a, &rec.occupant_names))),
        Err(e) => (format!("Size criteria not applied: {e}"), None),
    };
    detail.key_dates = key_dates(&detail, rec.start_date, rec.trial_ends_on, rec.extension_notice_served_on, &clock);
    let mut hidden = 0;
    detail.cases = rec
        .cases
        .into_iter()
        .filter_map(|(c, scope)| match list_case(who, c, &scope) {
            Some(mut c) => {
                c.clock = if c.status == "open" { c.due_at.map(|d| clock.instant(d)) } else { None };
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

fn key_dates(detail: &TenancyDetail, start: NaiveDate, trial_ends_on: Option<NaiveDate>, notice_served: Option<NaiveDate>, clock: &Clock) -> Vec<KeyDate> {
    let mut dates = vec![KeyDate { label: "Tenancy start".into(), date: start, clock: None }];
    let introductory = detail.tenure.is_introductory();
    if let (true, Some(end)) = (introductory, trial_ends_on) {
        if detail.tenure == Tenure::Introductory {
            let last_notice = clock::extension_notice_last_day(end);
            dates.push(KeyDate { label: "Last day to serve a notice of extension".into(), clock: Some(clock.date(last_notice)), date: last_notice });
        }
        dates.push(KeyDate { label: "Introductory review decision due (trial ends)".into(), date: end, clock: Some(clock.date(end)) });
    }
    if let Some(served) = notice_served {
        dates.push(KeyDate { label: "Notice of extension served".into(), date: served, clock: None });
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

/// The social-sector size criteria applied to a household described in the question
/// (`domain::occupancy::assess`), on today's date: the same rule the tenancy page uses.
pub async fn assess_occupancy(store: &dyn Store, who: &Principal, q: &OccupancyQuestion) -> Result<occupancy::Assessment, AppError> {
    crate::domain::access::can_use_housing_records(who)?;
    if q.bedrooms > 20 {
        return Err(AppError::Invalid(format!("bedrooms: {} is more than a home has here (at most 20).", q.bedrooms)));
    }
    if q.household.len() > occupancy::MAX_HOUSEHOLD {
        return Err(AppError::Invalid(occupancy::SizeError::TooMany(q.household.len()).to_string()));
    }
    let on = Clock::now(store).await?.today;
    let household = q
        .household
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let dob = occupancy::born(i + 1, m.age, m.date_of_birth, on)?;
            Ok(occupancy::Person {
                role: m.role,
                date_of_birth: dob,
                sex: m.sex,
                needs_own_room: m.needs_own_room,
                foster_carer: m.foster_carer,
                overnight_carer: m.overnight_carer,
                armed_forces: m.armed_forces,
            })
        })
        .collect::<Result<Vec<_>, String>>()
        .map_err(AppError::Invalid)?;
    occupancy::assess(q.bedrooms, &household, on).map_err(|e| AppError::Invalid(e.to_string()))
}

/// An assessment for the tenancy page: each room with the names of whom it is for.
fn size_view(a: &occupancy::Assessment, names: &[String]) -> SizeCriteriaView {
    let rooms = a
        .rooms
        .iter()
        .map(|r| {
            let who = r.members.iter().filter_map(|&n| names.get(n - 1).cloned()).collect::<Vec<_>>().join(" and ");
            format!("{who}: {}", r.rule)
        })
        .collect();
    SizeCriteriaView { entitlement: a.entitlement, spare: a.spare, short: a.short, reduction_percent: a.reduction_percent, working_age: a.working_age, rooms }
}

/// Under-occupied homes by the size criteria (the same rule as the tenancy page): a Team Leader's
/// area, or the tenancies an officer holds. Haringey found about 3,000 (`seeds/003`); they are
/// whom downsizing is offered to.
pub async fn under_occupiers(store: &dyn Store, who: &Principal) -> Result<UnderOccupiers, AppError> {
    use crate::domain::access::{Reach, homes_reach};
    let (area, owner) = match homes_reach(who) {
        Some(Reach::Area(a)) => (Some(a), None),
        Some(Reach::Own(o)) => (None, Some(o)),
        None => return Err(AppError::Forbidden("Under-occupiers are listed for Team Leaders and the officers who hold tenancies.".into())),
    };
    let on = Clock::now(store).await?.today;
    let mut rows = Vec::new();
    let households = store.households(area, owner).await?;
    for h in &households {
        let people: Vec<_> = occupancy::from_record(&h.members).into_iter().map(|(_, p)| p).collect();
        // A household the rules cannot read (no tenant recorded) shows on its own page, not here.
        if let Ok(a) = occupancy::assess(h.bedrooms, &people, on)
            && a.spare > 0
        {
            rows.push(UnderOccupier {
                tenancy_reference: h.reference.clone(),
                address: h.address.clone(),
                officer: h.officer.clone(),
                bedrooms: h.bedrooms,
                entitlement: a.entitlement,
                spare: a.spare,
                reduction_percent: a.reduction_percent,
            });
        }
    }
    rows.sort_by(|a, b| b.spare.cmp(&a.spare).then(b.reduction_percent.cmp(&a.reduction_percent)).then(a.tenancy_reference.cmp(&b.tenancy_reference)));
    let (total, facing_reduction) = (rows.len() as u32, rows.iter().filter(|r| r.reduction_percent > 0).count() as u32);
    rows.truncate(200);
    Ok(UnderOccupiers { homes: households.len() as u32, total, facing_reduction, rows })
}
