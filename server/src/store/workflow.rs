//! Storage for workflow items (proposals and decisions) and the changes they make.
//! Every write is a transaction with an optimistic version check: a stale write fails
//! with a Conflict and changes nothing.

use app::api::kit::store::{AuditEntry, Decision, ListedItem, Proposal, ReviewEffect};

use app::api::reviews::store::ReviewRecord;
use app::domain::access::RecordScope;
use app::domain::introductory::steps::{Step, StepKind, StepOutcome};
use app::domain::introductory::{PriorTenancy, PriorTenancyKind};
use app::domain::workflow::{Flow, FlowState, ReviewOutcome};
use app::domain::{Role, Tenure};
use app::error::AppError;
use app::model::WorkflowView;
use sqlx::any::AnyRow;
use sqlx::{Any, Executor, Row};

use super::SqlStore;
use super::{code, day, i, instant, internal, now_rfc3339, oday, oi, oinstant, os, s};
use crate::db::Db;
use app::api::kit::store::WorkflowStore;
use async_trait::async_trait;
use chrono::NaiveDate;

fn conflict(what: &str) -> AppError {
    AppError::Conflict(format!("{what} has changed since you opened it. Reload the page to see the latest, then try again; nothing you entered was saved."))
}

fn flow_code(f: Flow) -> &'static str {
    match f {
        Flow::IntroductoryReview => "introductory_review",
        Flow::ReferralToSustainable => "referral_to_sustainable",
        Flow::HandBack => "hand_back",
        Flow::Escalation => "escalation",
    }
}

fn flow_of(code: &str) -> Flow {
    match code {
        "referral_to_sustainable" => Flow::ReferralToSustainable,
        "hand_back" => Flow::HandBack,
        "escalation" => Flow::Escalation,
        _ => Flow::IntroductoryReview,
    }
}

const ITEM_COLUMNS: &str = "w.id, w.flow, w.state, w.outcome, w.reason, w.detail, w.proposed_at, w.decided_at, w.decision_note, w.effective_on, \
     w.due_at, w.version, w.subject_type, w.subject_id, w.area_team_id, w.proposed_by, pu.display_name AS proposer, du.display_name AS decider, \
     CASE WHEN w.subject_type = 'case' THEN c.reference ELSE t.reference END AS subject_reference, p.address_line1, p.postcode, \
     CASE WHEN w.subject_type = 'case' THEN c.area_team_id ELSE p.area_team_id END AS subject_area_team_id, \
     CASE WHEN w.subject_type = 'case' THEN c.owner_id ELSE t.owner_id END AS subject_owner_id, \
     COALESCE(c.restricted, 0) AS subject_restricted, wp.officer_id AS patch_officer_id";
/// Items are about a tenancy or a case; either way the address is the property's.
const ITEM_JOINS: &str = "FROM workflow_items w JOIN users pu ON pu.id = w.proposed_by LEFT JOIN users du ON du.id = w.decided_by \
     LEFT JOIN cases c ON w.subject_type = 'case' AND c.id = w.subject_id \
     LEFT JOIN tenancies t ON t.id = CASE WHEN w.subject_type = 'case' THEN c.tenancy_id ELSE w.subject_id END \
     LEFT JOIN properties p ON p.id = COALESCE(c.property_id, t.property_id) LEFT JOIN patches wp ON wp.id = p.patch_id";

/// Whether the viewer (bound at `$n`) is named on the item's case, as a column `granted`.
fn granted_column(n: usize) -> String {
    format!(
        "CASE WHEN w.subject_type = 'case' AND EXISTS (SELECT 1 FROM access_grants g WHERE g.subject_type = 'case' AND g.subject_id = w.subject_id AND g.user_id = ${n}) THEN 1 ELSE 0 END AS granted"
    )
}

/// An item as a list shows it, with its subject's scope for the access rule.
fn listed_item(r: &AnyRow) -> Result<ListedItem, AppError> {
    Ok(ListedItem {
        view: item_view(r)?,
        scope: RecordScope {
            area_team_id: i(r, "subject_area_team_id"),
            owner_id: oi(r, "subject_owner_id"),
            restricted: i(r, "subject_restricted") != 0,
            granted: i(r, "granted") != 0,
            duty: false,
        },
        patch_officer_id: oi(r, "patch_officer_id"),
    })
}

fn item_view(r: &AnyRow) -> Result<WorkflowView, AppError> {
    let outcome = s(r, "outcome");
    Ok(WorkflowView {
        id: i(r, "id"),
        flow: flow_of(&s(r, "flow")),
        subject_type: s(r, "subject_type"),
        state: code(r, "state", FlowState::parse)?,
        outcome_label: match (s(r, "flow").as_str(), app::domain::workflow::EscalationPurpose::parse(&s(r, "detail"))) {
            ("escalation", Some(p)) => p.label().to_string(),
            ("escalation", None) if outcome == "legal" => "Legal".to_string(),
            ("referral_to_sustainable", _) => "Referral to the Sustainable Tenancy HMO".to_string(),
            ("hand_back", _) => "Hand-back to the Community HMO".to_string(),
            _ => ReviewOutcome::parse(&outcome).map(|o| o.label().to_string()).unwrap_or_else(|| outcome.replace('_', " ")),
        },
        outcome,
        reason: s(r, "reason"),
        detail: s(r, "detail"),
        subject_reference: os(r, "subject_reference").unwrap_or_default(),
        address: match (os(r, "address_line1"), os(r, "postcode")) {
            (Some(a), Some(p)) => format!("{a}, {p}"),
            _ => String::new(),
        },
        proposed_by: s(r, "proposer"),
        proposer_id: i(r, "proposed_by"),
        proposed_at: instant(r, "proposed_at")?,
        decided_by: os(r, "decider"),
        decided_at: oinstant(r, "decided_at")?,
        decision_note: s(r, "decision_note"),
        effective_on: oday(r, "effective_on")?,
        due_on: os(r, "due_at"),
        clock: None,
        version: i(r, "version"),
        actions: vec![],
        restricted: false,
    })
}

pub async fn review_record(db: &Db, reference: &str) -> Result<Option<ReviewRecord>, AppError> {
    let Some(t) = sqlx::query::<Any>(
        "SELECT t.id, t.reference, t.tenure, t.start_date, t.trial_ends_on, t.extension_notice_served_on, t.version, t.owner_id, \
           t.prior_kind, t.prior_landlord, t.prior_from, t.prior_to, p.area_team_id, pa.officer_id AS patch_officer_id \
         FROM tenancies t JOIN properties p ON p.id = t.property_id JOIN patches pa ON pa.id = p.patch_id WHERE t.reference = $1",
    )
    .bind(reference)
    .fetch_optional(&db.pool)
    .await
    .map_err(internal)?
    else {
        return Ok(None);
    };
    let id = i(&t, "id");
    let rows = sqlx::query::<Any>(&format!(
        "SELECT {ITEM_COLUMNS} {ITEM_JOINS} WHERE w.subject_type = 'tenancy' AND w.subject_id = $1 AND w.flow IN ('introductory_review', 'escalation') ORDER BY w.id DESC"
    ))
    .bind(id)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let (escalations, rows): (Vec<AnyRow>, Vec<AnyRow>) = rows.into_iter().partition(|r| s(r, "flow") == "escalation");
    let steps = sqlx::query::<Any>(
        "SELECT s.kind, s.on_date, s.proceedings_from, s.outcome, s.detail, u.display_name FROM introductory_steps s \
         JOIN users u ON u.id = s.recorded_by WHERE s.tenancy_id = $1 ORDER BY s.id",
    )
    .bind(id)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?
    .iter()
    .map(|r| {
        Ok(Step {
            kind: code(r, "kind", StepKind::parse)?,
            on: day(r, "on_date")?,
            proceedings_from: oday(r, "proceedings_from")?,
            outcome: os(r, "outcome").as_deref().and_then(StepOutcome::parse),
            detail: s(r, "detail"),
            recorded_by: s(r, "display_name"),
        })
    })
    .collect::<Result<Vec<_>, AppError>>()?;
    let open_proposer_id = rows.iter().find(|r| FlowState::parse(&s(r, "state")).is_some_and(|st| st.is_open())).map(|r| i(r, "proposed_by"));
    Ok(Some(ReviewRecord {
        tenancy_id: id,
        reference: s(&t, "reference"),
        scope: RecordScope { area_team_id: i(&t, "area_team_id"), owner_id: oi(&t, "owner_id"), restricted: false, granted: false, duty: false },
        tenure: Tenure::parse(&s(&t, "tenure")).unwrap_or(Tenure::Secure),
        start_date: day(&t, "start_date")?,
        trial_ends_on: oday(&t, "trial_ends_on")?,
        notice_served_on: oday(&t, "extension_notice_served_on")?,
        prior: match (os(&t, "prior_kind").as_deref().and_then(PriorTenancyKind::parse), oday(&t, "prior_from")?, oday(&t, "prior_to")?) {
            (Some(kind), Some(from), Some(to)) => Some(PriorTenancy { kind, landlord: s(&t, "prior_landlord"), from, to }),
            _ => None,
        },
        version: i(&t, "version"),
        patch_officer_id: oi(&t, "patch_officer_id"),
        items: rows.iter().map(item_view).collect::<Result<_, _>>()?,
        open_proposer_id,
        escalations: escalations.iter().map(item_view).collect::<Result<_, _>>()?,
        steps,
    }))
}

/// Bumps a tenancy's or case's version if it is still `version`; false when someone got there first.
async fn bump_subject(tx: &mut sqlx::Transaction<'_, Any>, subject_type: &str, id: i64, version: i64) -> Result<bool, AppError> {
    let table = if subject_type == "case" { "cases" } else { "tenancies" };
    let done = sqlx::query::<Any>(&format!("UPDATE {table} SET version = version + 1 WHERE id = $1 AND version = $2"))
        .bind(id)
        .bind(version)
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    Ok(done.rows_affected() == 1)
}

pub async fn propose(db: &Db, p: Proposal, audit: AuditEntry) -> Result<i64, AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let what = if p.subject_type == "case" { "case" } else { "tenancy" };
    if !bump_subject(&mut tx, p.subject_type, p.subject_id, p.subject_version).await? {
        return Err(conflict(&format!("This {what}")));
    }
    let now = now_rfc3339();
    let id = if let Some((item, version)) = p.reopen {
        let done = sqlx::query::<Any>(
            "UPDATE workflow_items SET state = 'proposed', outcome = $1, reason = $2, detail = $3, proposed_by = $4, proposed_at = $5, \
               decided_by = NULL, decided_at = NULL, version = version + 1 WHERE id = $6 AND version = $7 AND state = 'sent_back'",
        )
        .bind(p.outcome)
        .bind(p.reason)
        .bind(p.detail)
        .bind(p.proposed_by)
        .bind(now)
        .bind(item)
        .bind(version)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        if done.rows_affected() != 1 {
            return Err(conflict("This review"));
        }
        item
    } else {
        let open: i64 = sqlx::query::<Any>(
            "SELECT COUNT(*) FROM workflow_items WHERE subject_type = $1 AND subject_id = $2 AND flow = $3 AND state IN ('proposed', 'sent_back')",
        )
        .bind(p.subject_type)
        .bind(p.subject_id)
        .bind(flow_code(p.flow))
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?
        .try_get(0)
        .map_err(internal)?;
        if open > 0 {
            return Err(AppError::Conflict(format!("There is already an open proposal for this {what}. Reload the page to see it.")));
        }
        let row = sqlx::query::<Any>(
            "INSERT INTO workflow_items (flow, subject_type, subject_id, state, outcome, reason, detail, area_team_id, proposed_by, proposed_at, due_at, version) \
             VALUES ($1, $2, $3, 'proposed', $4, $5, $6, $7, $8, $9, $10, 1) RETURNING id",
        )
        .bind(flow_code(p.flow))
        .bind(p.subject_type)
        .bind(p.subject_id)
        .bind(p.outcome)
        .bind(p.reason)
        .bind(p.detail)
        .bind(p.area_team_id)
        .bind(p.proposed_by)
        .bind(now)
        .bind(p.due_on.map(|d| d.to_string()))
        .fetch_one(&mut *tx)
        .await
        .map_err(internal)?;
        i(&row, "id")
    };
    super::commit_audited(tx, audit, Some(id)).await?;
    Ok(id)
}

pub async fn decide(db: &Db, d: Decision, today: NaiveDate, audit: AuditEntry) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let effective_on = match &d.effect {
        Some(ReviewEffect::MakeSecure { effective_on, .. }) => Some(*effective_on),
        Some(_) => Some(today),
        None => None,
    };
    let done = sqlx::query::<Any>(
        "UPDATE workflow_items SET state = $1, decided_by = $2, decided_at = $3, decision_note = $4, effective_on = $5, version = version + 1 \
         WHERE id = $6 AND version = $7 AND state = 'proposed'",
    )
    .bind(d.new_state.as_str())
    .bind(d.decided_by)
    .bind(now_rfc3339())
    .bind(d.note.clone())
    .bind(effective_on.map(|d| d.to_string()))
    .bind(d.item_id)
    .bind(d.item_version)
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if done.rows_affected() != 1 {
        return Err(conflict("This proposal"));
    }
    if let Some(effect) = &d.effect {
        apply_effect(&mut tx, &d, effect).await?;
    }
    super::commit_audited(tx, audit, None).await?;
    apply_due_changes(db, today).await?;
    Ok(())
}

/// What a completed decision does to its tenancy or case, in the decision's transaction.
async fn apply_effect(tx: &mut sqlx::Transaction<'_, Any>, d: &Decision, effect: &ReviewEffect) -> Result<(), AppError> {
    let item = sqlx::query::<Any>("SELECT subject_id, proposed_by, area_team_id FROM workflow_items WHERE id = $1")
        .bind(d.item_id)
        .fetch_one(&mut **tx)
        .await
        .map_err(internal)?;
    let tenancy = i(&item, "subject_id");
    match effect {
        ReviewEffect::Extend { trial_ends_on, reason } => {
            sqlx::query::<Any>(
                "UPDATE tenancies SET tenure = 'extended_introductory', trial_ends_on = $1, extension_reason = $2, version = version + 1 WHERE id = $3",
            )
            .bind(trial_ends_on.to_string())
            .bind(reason.clone())
            .bind(tenancy)
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
            mark_applied(tx, d.item_id).await?;
        }
        ReviewEffect::SeekPossession => {
            sqlx::query::<Any>(
                "INSERT INTO workflow_items (flow, subject_type, subject_id, state, outcome, reason, area_team_id, proposed_by, proposed_at, version) \
                 VALUES ('escalation', 'tenancy', $1, 'proposed', 'legal', $2, $3, $4, $5, 1)",
            )
            .bind(tenancy)
            .bind(format!("Introductory review: seek possession. {}", d.note))
            .bind(i(&item, "area_team_id"))
            .bind(d.decided_by)
            .bind(now_rfc3339())
            .execute(&mut **tx)
            .await
            .map_err(internal)?;
            mark_applied(tx, d.item_id).await?;
        }
        // The change itself happens on the effective date (apply_due_changes), to the patch's officer then.
        ReviewEffect::MakeSecure { .. } => {}
        ReviewEffect::AcceptReferral { new_owner, plan_due_on } => {
            move_case(tx, d.item_id, *new_owner, Role::SustainableHmo, "referral_to_sustainable", Some(*plan_due_on)).await?;
        }
        ReviewEffect::HandBack { new_owner } => {
            move_case(tx, d.item_id, *new_owner, Role::CommunityHmo, "hand_back", None).await?;
        }
    }
    Ok(())
}

/// Marks an item's effect as applied, so housekeeping never applies it again.
async fn mark_applied(tx: &mut sqlx::Transaction<'_, Any>, item_id: i64) -> Result<(), AppError> {
    sqlx::query::<Any>("UPDATE workflow_items SET applied_at = $1 WHERE id = $2")
        .bind(now_rfc3339())
        .bind(item_id)
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    Ok(())
}

/// Moves the item's case to `new_owner`, with a line of history carrying the proposal's reason
/// and who proposed and approved it. The case's clock becomes `due_on` (or is cleared).
async fn move_case(
    tx: &mut sqlx::Transaction<'_, Any>,
    item_id: i64,
    new_owner: i64,
    role: Role,
    kind: &str,
    due_on: Option<NaiveDate>,
) -> Result<(), AppError> {
    let item =
        sqlx::query::<Any>("SELECT subject_id, reason, proposed_by, proposed_at, decided_by, decided_at, decision_note FROM workflow_items WHERE id = $1")
            .bind(item_id)
            .fetch_one(&mut **tx)
            .await
            .map_err(internal)?;
    let case_id = i(&item, "subject_id");
    let old = sqlx::query::<Any>("SELECT owner_id, owner_role FROM cases WHERE id = $1").bind(case_id).fetch_one(&mut **tx).await.map_err(internal)?;
    let due_at = due_on.map(|d| format!("{d}T23:59:59Z"));
    sqlx::query::<Any>("UPDATE cases SET owner_id = $1, owner_role = $2, due_at = $3, version = version + 1 WHERE id = $4")
        .bind(new_owner)
        .bind(role.as_str())
        .bind(due_at)
        .bind(case_id)
        .execute(&mut **tx)
        .await
        .map_err(internal)?;
    let note = s(&item, "decision_note");
    let reason = if note.is_empty() { s(&item, "reason") } else { format!("{} (decision: {note})", s(&item, "reason")) };
    sqlx::query::<Any>(
        "INSERT INTO transfers (subject_type, subject_id, kind, status, from_user_id, from_role, to_user_id, to_role, reason, requested_by, approved_by, requested_at, decided_at, effective_at) \
         VALUES ('case', $1, $2, 'completed', $3, $4, $5, $6, $7, $8, $9, $10, $11, $11)",
    )
    .bind(case_id)
    .bind(kind)
    .bind(oi(&old, "owner_id"))
    .bind(os(&old, "owner_role"))
    .bind(new_owner)
    .bind(role.as_str())
    .bind(reason)
    .bind(i(&item, "proposed_by"))
    .bind(oi(&item, "decided_by"))
    .bind(s(&item, "proposed_at"))
    .bind(os(&item, "decided_at"))
    .execute(&mut **tx)
    .await
    .map_err(internal)?;
    mark_applied(tx, item_id).await
}

/// Makes approved "make secure" decisions real once their effective date has come:
/// tenure becomes secure and ownership moves to the patch's Community HMO, with history.
pub async fn apply_due_changes(db: &Db, today: NaiveDate) -> Result<u64, AppError> {
    let due = sqlx::query::<Any>(
        "SELECT w.id, w.subject_id, w.effective_on, pa.officer_id FROM workflow_items w \
         JOIN tenancies t ON t.id = w.subject_id JOIN properties p ON p.id = t.property_id JOIN patches pa ON pa.id = p.patch_id \
         WHERE w.flow = 'introductory_review' AND w.state = 'completed' AND w.outcome = 'make_secure' AND w.applied_at IS NULL AND w.effective_on <= $1",
    )
    .bind(today.to_string())
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let mut applied = 0;
    for item in due {
        let mut tx = db.pool.begin().await.map_err(internal)?;
        // Claim the item first, so two servers never apply it twice.
        let claimed = sqlx::query::<Any>("UPDATE workflow_items SET applied_at = $1 WHERE id = $2 AND applied_at IS NULL")
            .bind(now_rfc3339())
            .bind(i(&item, "id"))
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        if claimed.rows_affected() != 1 {
            continue;
        }
        let tenancy = i(&item, "subject_id");
        let Some(new_owner) = oi(&item, "officer_id") else {
            tracing::warn!(item = i(&item, "id"), "made secure, but the patch has no Community HMO yet");
            continue;
        };
        let old = sqlx::query::<Any>("SELECT owner_id, owner_role FROM tenancies WHERE id = $1").bind(tenancy).fetch_one(&mut *tx).await.map_err(internal)?;
        sqlx::query::<Any>("UPDATE tenancies SET tenure = 'secure', owner_id = $1, owner_role = $2, version = version + 1 WHERE id = $3")
            .bind(new_owner)
            .bind(Role::CommunityHmo.as_str())
            .bind(tenancy)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
        let effective = format!("{}T00:00:00Z", day(&item, "effective_on")?);
        sqlx::query::<Any>(
            "INSERT INTO transfers (subject_type, subject_id, kind, status, from_user_id, from_role, to_user_id, to_role, reason, requested_by, approved_by, requested_at, decided_at, effective_at) \
             SELECT 'tenancy', $1, 'secure_handover', 'completed', $2, $3, $4, 'community_hmo', 'Introductory review: made secure', w.proposed_by, w.decided_by, w.proposed_at, w.decided_at, $5 \
             FROM workflow_items w WHERE w.id = $6",
        )
        .bind(tenancy)
        .bind(oi(&old, "owner_id"))
        .bind(os(&old, "owner_role"))
        .bind(new_owner)
        .bind(effective)
        .bind(i(&item, "id"))
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
        tx.commit().await.map_err(internal)?;
        applied += 1;
    }
    Ok(applied)
}

/// One versioned change to a tenancy with its audit row, in one transaction; a lost race (the
/// version moved on, or the tenancy is no longer in the state the update requires) is a conflict.
async fn tenancy_change<'q>(db: &Db, update: sqlx::query::Query<'q, Any, sqlx::any::AnyArguments<'q>>, audit: AuditEntry) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let done = update.execute(&mut *tx).await.map_err(internal)?;
    if done.rows_affected() != 1 {
        return Err(conflict("This tenancy"));
    }
    super::commit_audited(tx, audit, None).await
}

/// Records the earlier tenancy counted towards the trial, and the trial's new end.
pub async fn record_prior(db: &Db, tenancy_id: i64, version: i64, prior: &PriorTenancy, trial_ends_on: NaiveDate, audit: AuditEntry) -> Result<(), AppError> {
    let update = sqlx::query::<Any>(
        "UPDATE tenancies SET prior_kind = $1, prior_landlord = $2, prior_from = $3, prior_to = $4, trial_ends_on = $5, version = version + 1 \
         WHERE id = $6 AND version = $7 AND tenure = 'introductory' AND prior_kind IS NULL",
    )
    .bind(prior.kind.as_str())
    .bind(prior.landlord.clone())
    .bind(prior.from.to_string())
    .bind(prior.to.to_string())
    .bind(trial_ends_on.to_string())
    .bind(tenancy_id)
    .bind(version);
    tenancy_change(db, update, audit).await
}

/// Records a legal step with its audit row; undoes an overturned extension in the same change.
pub async fn record_step(
    db: &Db,
    tenancy_id: i64,
    version: i64,
    step: &Step,
    by: i64,
    revert_extension: Option<NaiveDate>,
    audit: AuditEntry,
) -> Result<(), AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let bumped = match revert_extension {
        Some(end) => sqlx::query::<Any>(
            "UPDATE tenancies SET tenure = 'introductory', trial_ends_on = $1, extension_reason = NULL, version = version + 1 \
             WHERE id = $2 AND version = $3 AND tenure = 'extended_introductory'",
        )
        .bind(end.to_string())
        .bind(tenancy_id)
        .bind(version),
        None => sqlx::query::<Any>("UPDATE tenancies SET version = version + 1 WHERE id = $1 AND version = $2").bind(tenancy_id).bind(version),
    }
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    if bumped.rows_affected() != 1 {
        return Err(conflict("This tenancy"));
    }
    sqlx::query::<Any>(
        "INSERT INTO introductory_steps (tenancy_id, kind, on_date, proceedings_from, outcome, detail, recorded_by, recorded_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(tenancy_id)
    .bind(step.kind.as_str())
    .bind(step.on.to_string())
    .bind(step.proceedings_from.map(|d| d.to_string()))
    .bind(step.outcome.map(|o| o.as_str()))
    .bind(step.detail.trim().to_string())
    .bind(by)
    .bind(now_rfc3339())
    .execute(&mut *tx)
    .await
    .map_err(internal)?;
    super::commit_audited(tx, audit, None).await
}

pub async fn record_notice_served(db: &Db, tenancy_id: i64, version: i64, served_on: NaiveDate, audit: AuditEntry) -> Result<(), AppError> {
    let update = sqlx::query::<Any>("UPDATE tenancies SET extension_notice_served_on = $1, version = version + 1 WHERE id = $2 AND version = $3")
        .bind(served_on.to_string())
        .bind(tenancy_id)
        .bind(version);
    tenancy_change(db, update, audit).await
}

pub async fn open_items(db: &Db, area_team_id: Option<i64>, viewer_id: i64) -> Result<Vec<ListedItem>, AppError> {
    let filter = if area_team_id.is_some() { "AND w.area_team_id = $2" } else { "" };
    let sql = format!("SELECT {ITEM_COLUMNS}, {} {ITEM_JOINS} WHERE w.state IN ('proposed', 'sent_back') {filter} ORDER BY w.due_at, w.id", granted_column(1));
    let mut q = sqlx::query::<Any>(&sql).bind(viewer_id);
    if let Some(a) = area_team_id {
        q = q.bind(a);
    }
    q.fetch_all(&db.pool).await.map_err(internal)?.iter().map(listed_item).collect()
}

/// How many proposals wait for a decision in an area team: the count `open_items` would list as proposed.
pub async fn proposals_waiting<'c>(ex: impl Executor<'c, Database = Any>, area_team_id: i64) -> Result<i64, AppError> {
    sqlx::query_scalar::<Any, i64>("SELECT COUNT(*) FROM workflow_items WHERE state = 'proposed' AND area_team_id = $1")
        .bind(area_team_id)
        .fetch_one(ex)
        .await
        .map_err(internal)
}

pub async fn workflow_item(db: &Db, id: i64) -> Result<Option<(WorkflowView, i64, i64, i64)>, AppError> {
    let row = sqlx::query::<Any>(&format!("SELECT {ITEM_COLUMNS} {ITEM_JOINS} WHERE w.id = $1")).bind(id).fetch_optional(&db.pool).await.map_err(internal)?;
    row.map(|r| Ok((item_view(&r)?, i(&r, "subject_id"), i(&r, "area_team_id"), i(&r, "proposed_by")))).transpose()
}

/// Open items waiting for one of `user_ids`: their proposals sent back, hand-backs to their patch
/// (with grants for `viewer_id`).
pub async fn waiting_for<'c>(ex: impl Executor<'c, Database = Any>, user_ids: &[i64], viewer_id: i64) -> Result<Vec<ListedItem>, AppError> {
    if user_ids.is_empty() {
        return Ok(vec![]);
    }
    // Two selective halves (each starts from the small set of items in one state and flow)
    // rather than one OR that would join every open item first.
    let sent_back = super::placeholders(2, user_ids.len());
    let handed = super::placeholders(2 + user_ids.len(), user_ids.len());
    let granted = granted_column(1);
    let sql = format!(
        "SELECT * FROM (SELECT {ITEM_COLUMNS}, {granted} {ITEM_JOINS} WHERE w.state = 'sent_back' AND w.proposed_by IN ({sent_back}) \
         UNION ALL \
         SELECT {ITEM_COLUMNS}, {granted} {ITEM_JOINS} \
           WHERE w.state = 'proposed' AND w.flow = 'hand_back' AND wp.officer_id IN ({handed})) x \
         ORDER BY x.due_at, x.id"
    );
    let query = super::bind_ids(super::bind_ids(sqlx::query::<Any>(&sql).bind(viewer_id), user_ids), user_ids);
    query.fetch_all(ex).await.map_err(internal)?.iter().map(listed_item).collect()
}

/// Workflow items about one case, newest first.
pub async fn case_items(db: &Db, case_id: i64) -> Result<Vec<WorkflowView>, AppError> {
    let sql = format!("SELECT {ITEM_COLUMNS} {ITEM_JOINS} WHERE w.subject_type = 'case' AND w.subject_id = $1 ORDER BY w.id DESC");
    sqlx::query::<Any>(&sql).bind(case_id).fetch_all(&db.pool).await.map_err(internal)?.iter().map(item_view).collect()
}

#[async_trait]
impl WorkflowStore for SqlStore {
    async fn propose(&self, proposal: Proposal, audit: AuditEntry) -> Result<i64, AppError> {
        propose(&self.db, proposal, audit).await
    }
    async fn decide(&self, decision: Decision, today: NaiveDate, audit: AuditEntry) -> Result<(), AppError> {
        decide(&self.db, decision, today, audit).await
    }
    async fn open_items(&self, area_team_id: Option<i64>, viewer_id: i64) -> Result<Vec<app::api::kit::store::ListedItem>, AppError> {
        open_items(&self.db, area_team_id, viewer_id).await
    }
    async fn workflow_item(&self, id: i64) -> Result<Option<(WorkflowView, i64, i64, i64)>, AppError> {
        workflow_item(&self.db, id).await
    }
    async fn apply_due_changes(&self, today: NaiveDate) -> Result<u64, AppError> {
        apply_due_changes(&self.db, today).await
    }
}
