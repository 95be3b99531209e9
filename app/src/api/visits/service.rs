//! Recording visits: who may, what a report must say, and the clocks its findings start.

use crate::api::kit::audit::{Act, audit, authorise_recording, change};
use crate::api::kit::clock::Clock;
use crate::api::store::Store;
use crate::api::visits::store::{Effects, StoredFollowUp};
use crate::domain::access::{Principal, can_view_record};
use crate::domain::visits::{self, read_report};
use crate::error::AppError;
use crate::model::*;

/// Records a visit to a tenancy's home. The same `client_key` sent again (a phone resending after
/// a lost answer, a double tap) records nothing new and answers with the visit it recorded first.
pub async fn record_visit(store: &dyn Store, who: &Principal, reference: &str, r: VisitRequest, ip: &str) -> Result<RecordedVisit, AppError> {
    let reference = reference.trim().to_uppercase();
    let Some(subject) = store.visit_subject(&reference).await? else {
        return Err(AppError::NotFound(format!("Tenancy {reference}")));
    };
    let act = Act { action: "record_visit", subject: ("tenancy", subject.tenancy_id), detail: reference.clone(), refusal: "record visits to homes" };
    authorise_recording(store, who, &subject.scope, act, ip).await?;
    let clock = Clock::now(store).await?;
    if let Some(done) = store.visit_by_key(r.client_key.trim()).await? {
        return replay(done, subject.tenancy_id, &clock);
    }
    let now = clock.moment();
    let report =
        read_report(r.kind, &r.on, &r.at, r.outcome, r.card_left, r.findings, &r.notes, &r.client_key, subject.start_date, now).map_err(AppError::Invalid)?;
    let household = match &r.household {
        Some(h) => {
            let change = visits::read_household(&h.left, &h.joined, &subject.members, report.on, report.outcome).map_err(AppError::Invalid)?;
            (!change.is_empty()).then_some((h.seen_version, change))
        }
        None => None,
    };
    let kinds: Vec<_> = report.findings.iter().map(|f| f.kind).collect();
    let someone_seen = report.outcome == crate::domain::VisitOutcome::Completed;
    let opens: Vec<_> = crate::domain::pipeline::opened_by_visit(&kinds, r.downsizing_interest, someone_seen)
        .map_err(AppError::Invalid)?
        .into_iter()
        .map(|kind| {
            let found = report.findings.iter().find(|f| crate::domain::pipeline::PipelineKind::opened_by(f.kind) == Some(kind));
            let note = match found {
                Some(f) => format!("Found at the visit of {}: {}", report.on.format("%-d %B %Y"), f.detail),
                None => format!("Said at the visit of {} that they would like a smaller home.", report.on.format("%-d %B %Y")),
            };
            (kind, note)
        })
        .collect();
    let hazard = report
        .findings
        .iter()
        .find(|f| f.kind == crate::domain::FindingKind::DampMould)
        .map(|f| format!("Found at the visit of {}: {}", report.on.format("%-d %B %Y"), f.detail));
    let due: Vec<_> = report.findings.iter().map(|f| visits::follow_up_due(f.kind, report.at, &clock.calendar)).collect();
    let mut detail = format!("{} {} {}", report.kind.as_str(), report.outcome.as_str(), report.on);
    if let Some((_, c)) = &household {
        detail.push_str(&format!("; household: {} joined, {} left", c.joined.len(), c.left.len()));
    }
    let entry = change(who, ip, "record_visit", "tenancy", Some(subject.tenancy_id), detail);
    match store
        .record_visit(
            &subject,
            &report,
            Effects { due: &due, household: household.as_ref().map(|(v, c)| (*v, c)), opens: &opens, hazard: hazard.as_deref() },
            who.user_id,
            entry,
        )
        .await?
    {
        Some(id) => {
            let follow_ups = report
                .findings
                .iter()
                .zip(&due)
                .map(|(f, d)| follow_up(StoredFollowUp { kind: f.kind, detail: f.detail.clone(), due_at: *d, actioned: false }, &clock))
                .collect();
            Ok(RecordedVisit { id, replayed: false, follow_ups })
        }
        // Sent twice at once: the other request recorded it.
        None => match store.visit_by_key(&report.client_key).await? {
            Some(done) => replay(done, subject.tenancy_id, &clock),
            None => Err(AppError::Internal),
        },
    }
}

fn replay(done: crate::api::visits::store::KeyedVisit, tenancy_id: i64, clock: &Clock) -> Result<RecordedVisit, AppError> {
    if done.tenancy_id != Some(tenancy_id) {
        return Err(AppError::Conflict("This form's key was used for a visit to another home: reload the page and record the visit again.".into()));
    }
    Ok(RecordedVisit { id: done.id, replayed: true, follow_ups: done.follow_ups.into_iter().map(|f| follow_up(f, clock)).collect() })
}

/// Closes a follow-up with what was done about it: the officers who may record visits to the home.
pub async fn follow_up_done(store: &dyn Store, who: &Principal, id: i64, done: FollowUpDone, ip: &str) -> Result<(), AppError> {
    let Some(f) = store.follow_up_subject(id).await? else {
        return Err(AppError::NotFound(format!("Follow-up {id}")));
    };
    let act =
        Act { action: "close_follow_up", subject: ("visit_finding", f.id), detail: format!("tenancy {}", f.tenancy_id), refusal: "close visits' follow-ups" };
    authorise_recording(store, who, &f.scope, act, ip).await?;
    if f.actioned {
        return Err(AppError::Conflict("This follow-up was already closed: reload to see what was done.".into()));
    }
    let note = visits::read_done_note(&done.note).map_err(AppError::Invalid)?;
    let entry = change(who, ip, "close_follow_up", "visit_finding", Some(f.id), format!("tenancy {}", f.tenancy_id));
    store.close_follow_up(f.id, who.user_id, &note, entry).await
}

/// Keeps a photo taken at a visit, its location removed unless `keep_location`: whoever may
/// record visits to the home, for a visit someone went to (not one still planned or cancelled),
/// showing one of the visit's findings or the visit as a whole.
pub async fn add_photo(store: &dyn Store, who: &Principal, visit_id: i64, p: PhotoIn, ip: &str) -> Result<PhotoView, AppError> {
    use crate::domain::photo;
    let Some(t) = store.photo_target(visit_id).await? else {
        return Err(AppError::NotFound(format!("Visit {visit_id}")));
    };
    let act = Act { action: "add_photo", subject: ("tenancy", t.tenancy_id), detail: format!("visit {visit_id}"), refusal: "add photos to visits" };
    authorise_recording(store, who, &t.scope, act, ip).await?;
    if !photo::was_made(t.outcome) {
        return Err(AppError::Invalid("Photos are added to a visit that was made: record the visit first.".into()));
    }
    if let Some(f) = p.finding
        && !t.findings.contains(&f)
    {
        return Err(AppError::Invalid(format!("This visit found no {}: choose one of its findings, or the visit as a whole.", f.label().to_lowercase())));
    }
    if !photo::may_add(t.outcome, t.photos as usize) {
        return Err(AppError::Conflict(format!("This visit has {} photos, the most one visit keeps.", photo::MAX_PER_VISIT)));
    }
    let kind = photo::kind_of(&p.content).map_err(AppError::Invalid)?;
    let data = if p.keep_location { p.content } else { photo::without_location(&p.content, kind).map_err(AppError::Invalid)? };
    let detail = format!(
        "visit {visit_id}{}{}",
        p.finding.map(|f| format!(" {}", f.as_str())).unwrap_or_default(),
        if p.keep_location { "; location kept" } else { "" }
    );
    let entry = change(who, ip, "add_photo", "tenancy", Some(t.tenancy_id), detail);
    let photo = crate::api::visits::store::NewPhoto { visit_id, finding: p.finding, kind, data: &data, location_kept: p.keep_location, by: who.user_id };
    let id = store.add_photo(photo, entry).await?;
    Ok(PhotoView {
        id,
        visit_id,
        tenancy_reference: t.reference,
        finding: p.finding,
        content_type: kind.content_type().into(),
        size_bytes: data.len() as i64,
        location_kept: p.keep_location,
    })
}

/// A photo for someone who may see the tenancy; one of a safeguarding finding only for those
/// with need to know, and every look at one audited.
pub async fn photo(store: &dyn Store, who: &Principal, id: i64, ip: &str) -> Result<crate::api::visits::store::StoredPhoto, AppError> {
    let Some(p) = store.photo(id).await? else {
        return Err(AppError::NotFound(format!("Photo {id}")));
    };
    let mut outcome = can_view_record(who, &p.scope);
    let restricted = p.finding == Some(crate::domain::FindingKind::Safeguarding);
    if outcome.is_ok() && restricted && !visits::sees_safeguarding(who, &p.scope) {
        outcome = Err(crate::domain::access::Denial::NeedToKnow);
    }
    if restricted || outcome.is_err() {
        audit(store, who, ip, "view_photo", "tenancy", Some(p.tenancy_id), outcome, format!("photo {id} of visit {}", p.visit_id)).await?;
    }
    outcome?;
    Ok(p)
}

/// The Team Leader's figures for their area: each officer's visits this week and month, unanswered
/// visits, and follow-ups open, overdue and closed on time.
pub async fn team_visiting(store: &dyn Store, who: &Principal) -> Result<Vec<crate::domain::visits::OfficerVisiting>, AppError> {
    let area = crate::domain::access::led_area(who).ok_or_else(|| AppError::Forbidden("The team's visiting figures are for Team Leaders.".into()))?;
    let clock = Clock::now(store).await?;
    let (week, month) = visits::periods(clock.today);
    let since = week.min(month);
    let doors = store.area_doors(area, since).await?;
    let follow_ups = store.area_follow_ups(area, month).await?;
    Ok(visits::visiting(&doors, &follow_ups, clock.today, clock.moment()))
}

/// The area's last twelve months of visiting, for its Team Leader.
pub async fn team_months(store: &dyn Store, who: &Principal) -> Result<Vec<crate::domain::visits::MonthVisiting>, AppError> {
    let area = crate::domain::access::led_area(who).ok_or_else(|| AppError::Forbidden("The team's visiting figures are for Team Leaders.".into()))?;
    let clock = Clock::now(store).await?;
    let since = visits::last_twelve_months(clock.today)[0];
    let doors = store.area_doors(area, since).await?;
    let findings = store.area_findings(area, since).await?;
    let referrals = store.area_financial_referrals(area, since).await?;
    Ok(visits::months(&doors, &findings, &referrals, clock.today))
}

/// A stored follow-up with its clock as of now.
pub fn follow_up(f: StoredFollowUp, clock: &Clock) -> FollowUpView {
    FollowUpView { kind: f.kind, detail: f.detail, due_at: f.due_at, within: f.kind.follow_up().label(), clock: clock.instant(f.due_at), actioned: f.actioned }
}

/// A new key for a doorstep form: random enough that two forms never share one.
pub fn fresh_key() -> String {
    use std::hash::{BuildHasher, Hasher};
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or_default();
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u128(nanos);
    format!("v{:x}-{:016x}", nanos, h.finish())
}

/// An officer's day: the visits planned for them, and for those they cover today, in walking
/// order with what to check at each door; and their open follow-ups, most urgent first.
pub async fn my_day(store: &dyn Store, who: &Principal, on: Option<chrono::NaiveDate>) -> Result<MyDay, AppError> {
    use crate::domain::route::{length, metres, walking_order};
    if !visits::makes_visits(who.role) {
        return Err(AppError::Forbidden("The day's visits are for housing officers and Team Leaders.".into()));
    }
    let clock = Clock::now(store).await?;
    let on = on.unwrap_or(clock.today);
    let mut officers = vec![who.user_id];
    officers.extend(&who.covering);
    let mut stops = Vec::new();
    for st in store.day_stops(&officers, on).await? {
        // Every planned stop is the officer's or a covered colleague's; one they may not open
        // (moved to another area since) is left off, and the refusal audited.
        if let Err(denial) = can_view_record(who, &st.scope) {
            audit(store, who, "", "my_day", "tenancy", Some(st.tenancy_id), Err(denial), st.reference.clone()).await?;
            continue;
        }
        stops.push(st);
    }
    let points: Vec<_> = stops.iter().map(|s| s.at).collect();
    let order = walking_order(&points);
    let walk = length(&points, &order);
    let mut previous = None;
    let mut out = Vec::with_capacity(order.len());
    for i in order {
        let st = &stops[i];
        let safeguarding = visits::sees_safeguarding(who, &st.scope);
        out.push(DayStop {
            visit_id: st.visit_id,
            visit_type: st.visit_type,
            outcome: st.outcome,
            tenancy_reference: st.reference.clone(),
            address: st.address.clone(),
            postcode: st.postcode.clone(),
            latitude: st.at.lat,
            longitude: st.at.lon,
            covering_for: st.scope.owner_id.filter(|o| *o != who.user_id && who.covering.contains(o)).and(st.owner_name.clone()),
            household: st.household.iter().map(|(name, born)| format!("{name} ({})", crate::domain::occupancy::age_on(*born, on))).collect(),
            alerts: st.alerts.clone(),
            balance: st.balance,
            open_cases: st.open_cases,
            last_visit: st.last_visit,
            last_findings: st
                .last_findings
                .iter()
                .map(|(kind, detail)| {
                    if *kind == crate::domain::FindingKind::Safeguarding && !safeguarding {
                        visits::RESTRICTED_FINDING.to_string()
                    } else {
                        format!("{}: {detail}", kind.label())
                    }
                })
                .collect(),
            metres_from_previous: previous.map_or(0, |p| metres(p, st.at).round() as u32),
        });
        previous = Some(st.at);
    }
    let mut follow_ups = store.open_follow_ups(&officers).await?;
    for f in &mut follow_ups {
        f.clock = clock.instant(f.due_at);
    }
    follow_ups.sort_by_key(|f| (crate::domain::clock::urgency(Some(f.clock)), f.due_at));
    let hazards = crate::api::hazards::service::open_for(store, &officers, &clock).await?;
    Ok(MyDay { on, stops: out, walk_metres: walk.round() as u32, follow_ups, hazards })
}

/// The programme's coverage: a Team Leader's area, patch by patch; an officer's own tenancies.
pub async fn programme(store: &dyn Store, who: &Principal) -> Result<ProgrammeView, AppError> {
    let reach = crate::domain::access::homes_reach(who)
        .ok_or_else(|| AppError::Forbidden("The visiting programme is for Team Leaders and the officers who hold tenancies.".into()))?;
    let clock = Clock::now(store).await?;
    let cycles = clock.timescales.cycles;
    let homes: Vec<_> = store.programme_homes(reach, clock.today).await?.into_iter().map(|r| r.home).collect();
    let patches = store.programme_patches(reach).await?;
    let (patches, total) = crate::domain::programme::coverage(&homes, &patches, &cycles, clock.today);
    Ok(ProgrammeView { today: clock.today, home_check_months: cycles.home_check, occupancy_check_months: cycles.occupancy_check, patches, total })
}

/// Plans the area's next weeks of visits by priority, with cover honoured; `assign` books them.
pub async fn plan_visits(store: &dyn Store, who: &Principal, ask: PlanRequest, ip: &str) -> Result<PlanView, AppError> {
    use crate::domain::programme;
    let area = crate::domain::access::led_area(who).ok_or_else(|| AppError::Forbidden("Team Leaders plan their area's visits.".into()))?;
    let clock = Clock::now(store).await?;
    programme::check_plan(ask.start, ask.weeks, ask.per_day, clock.today).map_err(AppError::Invalid)?;
    let until = ask.start + chrono::Duration::days(i64::from(ask.weeks) * 7 - 1);
    let rows = store.programme_homes(crate::domain::access::Reach::Area(area), clock.today).await?;
    let homes: Vec<_> = rows.iter().map(|r| r.home.clone()).collect();
    let absences = store.absences(area, ask.start, until).await?;
    let plan = programme::plan(
        &homes,
        &clock.timescales.cycles,
        programme::Ask { start: ask.start, weeks: ask.weeks, per_day: ask.per_day },
        &absences,
        &clock.calendar,
        clock.today,
    );
    let mut ids: Vec<i64> = plan.iter().flat_map(|v| [v.officer_id, v.owner_id]).collect();
    ids.sort_unstable();
    ids.dedup();
    let names = store.user_names(&ids).await?;
    let name = |id: i64| names.get(&id).cloned().unwrap_or_else(|| format!("Officer {id}"));
    let by_id: std::collections::HashMap<i64, &crate::api::visits::store::ProgrammeRow> = rows.iter().map(|r| (r.home.tenancy_id, r)).collect();
    let mut per: std::collections::BTreeMap<String, u32> = Default::default();
    let visits: Vec<PlanLine> = plan
        .iter()
        .map(|v| {
            *per.entry(name(v.officer_id)).or_default() += 1;
            let row = by_id[&v.tenancy_id];
            PlanLine {
                on: v.on,
                officer: name(v.officer_id),
                covering_for: (v.owner_id != v.officer_id).then(|| name(v.owner_id)),
                tenancy_reference: row.reference.clone(),
                address: row.address.clone(),
                reason: v.reason,
            }
        })
        .collect();
    let mut per_officer: Vec<(String, u32)> = per.into_iter().collect();
    per_officer.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    if ask.assign {
        if plan.is_empty() {
            return Err(AppError::Invalid("There is nothing to plan in those weeks: every home is visited in cycle or already planned.".into()));
        }
        let bookings: Vec<_> =
            plan.iter().map(|v| crate::api::visits::store::Booking { tenancy_id: v.tenancy_id, on: v.on, officer_id: v.officer_id }).collect();
        let detail = format!("{} visits from {} to {}", bookings.len(), ask.start, until);
        let entry = change(who, ip, "plan_visits", "area_team", Some(area), detail);
        if !store.book_visits(area, clock.today, &bookings, entry).await? {
            return Err(AppError::Conflict(
                "Nothing was booked: some of these homes were planned by someone else meanwhile. Preview the plan again to see what is left.".into(),
            ));
        }
    }
    Ok(PlanView { start: ask.start, until, weeks: ask.weeks, per_day: ask.per_day, assigned: ask.assign, visits, per_officer })
}
