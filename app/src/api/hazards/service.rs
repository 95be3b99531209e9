//! Awaab's Law's ladder for damp and mould: who may report and record steps, and the clocks.

use crate::api::hazards::store::{HazardsOf, StoredHazard};
use crate::api::kit::audit::{Act, authorise_recording, change};
use crate::api::kit::clock::Clock;
use crate::api::kit::store::StepBy;
use crate::api::store::Store;
use crate::domain::access::{Principal, RecordScope, homes_reach};
use crate::domain::clock::{ClockStatus, urgency};
use crate::domain::hazard::{self, Ladder};
use crate::domain::visits::may_record;
use crate::error::AppError;
use crate::model::*;

/// The open hazards a list shows at most.
const SHOWN: usize = 200;

/// A Team Leader's area or an officer's homes: the open hazards, the most urgent clock first, and
/// the year's closed ones with how many missed a clock.
pub async fn hazards(store: &dyn Store, who: &Principal) -> Result<HazardsView, AppError> {
    let reach =
        homes_reach(who).ok_or_else(|| AppError::Forbidden("Damp and mould hazards are for Team Leaders and the officers who hold tenancies.".into()))?;
    let clock = Clock::now(store).await?;
    let mut open = dressed(store.open_hazards(HazardsOf::Reach(reach)).await?, &clock);
    let overdue = open.iter().filter(|h| h.due().and_then(|r| r.clock) == Some(ClockStatus::Overdue)).count() as u32;
    open.truncate(SHOWN);
    let year_from = crate::domain::pipeline::year_start(clock.today);
    let closed = store.closed_hazards(reach, year_from).await?;
    let closed_late = closed.iter().filter(|l| l.rungs(&clock.calendar).iter().any(|r| r.late())).count() as u32;
    Ok(HazardsView { open, overdue, year_from, closed: closed.len() as u32, closed_late })
}

/// The open hazards on some officers' homes (an officer and those they cover), most urgent first:
/// for My work and the day.
pub async fn open_for(store: &dyn Store, owners: &[i64], clock: &Clock) -> Result<Vec<HazardView>, AppError> {
    Ok(dressed(store.open_hazards(HazardsOf::Owners(owners)).await?, clock))
}

/// Reports a damp and mould hazard on a tenancy: whoever may record visits to the home. Its
/// clocks run from when the council became aware, which may be before it was typed in.
pub async fn report(store: &dyn Store, who: &Principal, reference: &str, r: HazardReport, ip: &str) -> Result<HazardView, AppError> {
    let reference = reference.trim().to_uppercase();
    let Some(subject) = store.hazard_tenancy(&reference).await? else {
        return Err(AppError::NotFound(format!("Tenancy {reference}")));
    };
    authorise_recording(store, who, &subject.scope, act("report_hazard", subject.tenancy_id, reference.clone()), ip).await?;
    let clock = Clock::now(store).await?;
    let (detail, aware) = hazard::read_report(&r.detail, &r.on, &r.at, subject.start_date, clock.moment()).map_err(AppError::Invalid)?;
    let entry = change(who, ip, "report_hazard", "tenancy", Some(subject.tenancy_id), format!("damp_mould {reference}"));
    let id = store.report_hazard(subject.tenancy_id, &detail, StepBy { by: who.user_id, note: &detail, at: aware }, entry).await?;
    shown(store, id, &clock).await
}

/// Records a step of the ladder, in the order the law sets (`hazard::Ladder::take`), against the
/// version the caller saw.
pub async fn step(store: &dyn Store, who: &Principal, id: i64, s: HazardStepIn, ip: &str) -> Result<HazardView, AppError> {
    let Some(h) = store.hazard_subject(id).await? else {
        return Err(AppError::NotFound(format!("Hazard {id}")));
    };
    authorise_recording(store, who, &h.scope, act("hazard_step", h.tenancy_id, format!("hazard {id}")), ip).await?;
    if s.version != h.version {
        return Err(AppError::Conflict("Someone recorded a step on this hazard since you opened it: reload to see where it stands.".into()));
    }
    let clock = Clock::now(store).await?;
    let at = hazard::read_moment(&s.on, &s.at).map_err(AppError::Invalid)?;
    let next = h.ladder.take(s.step, at, s.finding, clock.moment()).map_err(AppError::Invalid)?;
    let note = hazard::read_text(&s.note, "what was done or found").map_err(AppError::Invalid)?;
    let detail = format!("hazard {id} {}{}", s.step.as_str(), s.finding.map(|f| format!(" {}", f.as_str())).unwrap_or_default());
    let entry = change(who, ip, "hazard_step", "tenancy", Some(h.tenancy_id), detail);
    store.take_hazard_step(id, s.version, (s.step, s.finding), &next, StepBy { by: who.user_id, note: &note, at }, entry).await?;
    shown(store, id, &clock).await
}

/// A tenancy's hazards for its page, and whether the viewer may report one (none open).
pub async fn for_tenancy(store: &dyn Store, who: &Principal, tenancy_id: i64, scope: &RecordScope, clock: &Clock) -> Result<(Vec<HazardView>, bool), AppError> {
    let acts = may_record(who, scope);
    let mut hazards: Vec<HazardView> = store.tenancy_hazards(tenancy_id).await?.into_iter().map(|h| dress(h, clock)).collect();
    if !acts {
        hazards.iter_mut().for_each(|h| h.next.clear());
    }
    let may_report = hazard::may_report(acts, hazards.iter().filter(|h| h.closed_at.is_none()).count());
    Ok((hazards, may_report))
}

fn act(action: &str, tenancy_id: i64, detail: String) -> Act<'_> {
    Act { action, subject: ("tenancy", tenancy_id), detail, refusal: "record damp and mould hazards" }
}

/// A stored hazard with its rungs' clocks and the steps that may come next.
fn dress(h: StoredHazard, clock: &Clock) -> HazardView {
    let StoredHazard { mut view, ladder } = h;
    view.rungs = rungs(&ladder, clock);
    view.next = ladder.next_steps();
    view
}

fn rungs(ladder: &Ladder, clock: &Clock) -> Vec<HazardRung> {
    ladder
        .rungs(&clock.calendar)
        .into_iter()
        .map(|r| HazardRung {
            step: r.step,
            due_at: r.due_at,
            late: r.late(),
            clock: r.done_at.is_none().then(|| clock.instant(r.due_at)),
            within: r.within,
            done_at: r.done_at,
        })
        .collect()
}

/// Hazards dressed, the most urgent open clock first.
fn dressed(hazards: Vec<StoredHazard>, clock: &Clock) -> Vec<HazardView> {
    let mut out: Vec<HazardView> = hazards.into_iter().map(|h| dress(h, clock)).collect();
    out.sort_by_key(|h| h.due().map(|r| (urgency(r.clock), r.due_at)));
    out
}

async fn shown(store: &dyn Store, id: i64, clock: &Clock) -> Result<HazardView, AppError> {
    store.hazard(id).await?.map(|h| dress(h, clock)).ok_or(AppError::Internal)
}
