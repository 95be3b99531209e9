//! The pipeline: who may start and move entries, and the year's figures against the targets.

use crate::api::kit::audit::{Act, authorise_recording, change};
use crate::api::kit::clock::Clock;
use crate::api::kit::store::StepBy;
use crate::api::store::Store;
use crate::domain::access::{Principal, RecordScope, homes_reach};
use crate::domain::pipeline::{self, PipelineKind};
use crate::domain::visits::may_record;
use crate::error::AppError;
use crate::model::*;

/// The most open entries a list shows.
const SHOWN: u32 = 200;

/// The year's figures against the targets and the open entries: a Team Leader's area; an
/// officer's own tenancies.
pub async fn pipeline(store: &dyn Store, who: &Principal) -> Result<PipelineView, AppError> {
    let reach = homes_reach(who)
        .ok_or_else(|| AppError::Forbidden("Downsizing and investigations are for Team Leaders and the officers who hold tenancies.".into()))?;
    let clock = Clock::now(store).await?;
    let entries = store.pipeline_entries(reach, pipeline::year_start(clock.today)).await?;
    let figures = pipeline::figures(&entries, clock.timescales.targets, clock.today);
    let (entries, open_total) = store.open_entries(reach, SHOWN).await?;
    Ok(PipelineView { figures, entries, open_total })
}

/// Starts downsizing or an investigation for a tenancy: whoever may record visits to the home.
pub async fn start(store: &dyn Store, who: &Principal, reference: &str, r: PipelineStart, ip: &str) -> Result<PipelineEntryView, AppError> {
    let reference = reference.trim().to_uppercase();
    let Some(subject) = store.visit_subject(&reference).await? else {
        return Err(AppError::NotFound(format!("Tenancy {reference}")));
    };
    authorise_recording(store, who, &subject.scope, act("start_pipeline", subject.tenancy_id), ip).await?;
    let note = pipeline::read_note(&r.note).map_err(AppError::Invalid)?;
    let entry = change(who, ip, "start_pipeline", "tenancy", Some(subject.tenancy_id), format!("{} {reference}", r.kind.as_str()));
    let at = Clock::now(store).await?.moment();
    let id = store.start_entry(subject.tenancy_id, r.kind, StepBy { by: who.user_id, note: &note, at }, entry).await?;
    shown(store, id).await
}

/// Moves an entry one permitted step (`pipeline::check_move`), against the version the caller saw.
pub async fn move_on(store: &dyn Store, who: &Principal, id: i64, m: PipelineMove, ip: &str) -> Result<PipelineEntryView, AppError> {
    let Some(e) = store.entry_subject(id).await? else {
        return Err(AppError::NotFound(format!("Pipeline entry {id}")));
    };
    authorise_recording(store, who, &e.scope, act("move_pipeline", e.tenancy_id), ip).await?;
    // Checked here as well as by the store's update: a step judged against a stage the caller
    // never saw would answer "that step does not follow" where the truth is "it moved meanwhile".
    if m.version != e.version {
        return Err(AppError::Conflict("Someone moved this on since you opened it: reload to see where it stands.".into()));
    }
    pipeline::check_move(e.kind, e.stage, m.stage).map_err(AppError::Invalid)?;
    let note = pipeline::read_note(&m.note).map_err(AppError::Invalid)?;
    let detail = format!("{} {} to {}", e.kind.as_str(), e.stage.as_str(), m.stage.as_str());
    let entry = change(who, ip, "move_pipeline", "tenancy", Some(e.tenancy_id), detail);
    let at = Clock::now(store).await?.moment();
    store.move_entry(id, m.version, m.stage, StepBy { by: who.user_id, note: &note, at }, entry).await?;
    shown(store, id).await
}

/// A tenancy's entries for its page, and what the viewer may start there.
pub async fn for_tenancy(
    store: &dyn Store,
    who: &Principal,
    tenancy_id: i64,
    scope: &RecordScope,
) -> Result<(Vec<PipelineEntryView>, Vec<PipelineKind>), AppError> {
    let mut entries = store.tenancy_entries(tenancy_id).await?;
    let acts = may_record(who, scope);
    if !acts {
        entries.iter_mut().for_each(|e| e.next.clear());
    }
    let startable =
        if acts { PipelineKind::ALL.iter().copied().filter(|k| !entries.iter().any(|e| e.kind == *k && !e.stage.is_final())).collect() } else { vec![] };
    Ok((entries, startable))
}

fn act(action: &str, tenancy_id: i64) -> Act<'_> {
    Act { action, subject: ("tenancy", tenancy_id), detail: String::new(), refusal: "work downsizing and investigations" }
}

async fn shown(store: &dyn Store, id: i64) -> Result<PipelineEntryView, AppError> {
    store.entry(id).await?.ok_or(AppError::Internal)
}
