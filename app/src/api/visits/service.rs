//! Recording visits: who may, what a report must say, and the clocks its findings start.

use crate::api::kit::audit::{audit, change};
use crate::api::kit::clock::Clock;
use crate::api::store::Store;
use crate::api::visits::store::StoredFollowUp;
use crate::domain::access::{Principal, can_view_record};
use crate::domain::visits::{self, may_record, read_report};
use crate::error::AppError;
use crate::model::*;

/// Records a visit to a tenancy's home. The same `client_key` sent again (a phone resending after
/// a lost answer, a double tap) records nothing new and answers with the visit it recorded first.
pub async fn record_visit(store: &dyn Store, who: &Principal, reference: &str, r: VisitRequest, ip: &str) -> Result<RecordedVisit, AppError> {
    let reference = reference.trim().to_uppercase();
    let Some(subject) = store.visit_subject(&reference).await? else {
        return Err(AppError::NotFound(format!("Tenancy {reference}")));
    };
    if let Err(denial) = can_view_record(who, &subject.scope) {
        audit(store, who, ip, "record_visit", "tenancy", Some(subject.tenancy_id), Err(denial), reference.clone()).await?;
        return Err(denial.into());
    }
    if !may_record(who, &subject.scope) {
        return Err(AppError::Forbidden("Only housing officers and Team Leaders record visits to homes.".into()));
    }
    let clock = Clock::now(store).await?;
    if let Some(done) = store.visit_by_key(r.client_key.trim()).await? {
        return replay(done, subject.tenancy_id, &clock);
    }
    let now = clock.moment();
    let report =
        read_report(r.kind, &r.on, &r.at, r.outcome, r.card_left, r.findings, &r.notes, &r.client_key, subject.start_date, now).map_err(AppError::Invalid)?;
    let due: Vec<_> = report.findings.iter().map(|f| visits::follow_up_due(f.kind, report.at, &clock.calendar)).collect();
    let detail = format!("{} {} {}", report.kind.as_str(), report.outcome.as_str(), report.on);
    let entry = change(who, ip, "record_visit", "tenancy", Some(subject.tenancy_id), detail);
    match store.record_visit(&subject, &report, &due, who.user_id, entry).await? {
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
    if let Err(denial) = can_view_record(who, &f.scope) {
        audit(store, who, ip, "close_follow_up", "visit_finding", Some(f.id), Err(denial), format!("tenancy {}", f.tenancy_id)).await?;
        return Err(denial.into());
    }
    if !may_record(who, &f.scope) {
        return Err(AppError::Forbidden("Only housing officers and Team Leaders close visits' follow-ups.".into()));
    }
    if f.actioned {
        return Err(AppError::Conflict("This follow-up was already closed: reload to see what was done.".into()));
    }
    let note = visits::read_done_note(&done.note).map_err(AppError::Invalid)?;
    let entry = change(who, ip, "close_follow_up", "visit_finding", Some(f.id), format!("tenancy {}", f.tenancy_id));
    store.close_follow_up(f.id, who.user_id, &note, entry).await
}

/// The Team Leader's figures for their area: each officer's visits this week and month, unanswered
/// visits, and follow-ups open, overdue and closed on time.
pub async fn team_visiting(store: &dyn Store, who: &Principal) -> Result<Vec<crate::domain::visits::OfficerVisiting>, AppError> {
    let area = match (who.role, who.area_team_id) {
        (crate::domain::Role::TeamLeader, Some(a)) => a,
        _ => return Err(AppError::Forbidden("The team's visiting figures are for Team Leaders.".into())),
    };
    let clock = Clock::now(store).await?;
    let (week, month) = visits::periods(clock.today);
    let since = week.min(month);
    let doors = store.area_doors(area, since).await?;
    let follow_ups = store.area_follow_ups(area, month).await?;
    Ok(visits::visiting(&doors, &follow_ups, clock.today, clock.moment()))
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
