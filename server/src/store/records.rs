//! A tenancy as every area reads it (`KitStore::tenancy`): the tenancy with its home, household,
//! rent, alerts, ownership history, cases and visits, and what the access rules need.

use std::collections::HashMap;

use app::api::kit::store::{KitStore, TenancyRecord};
use app::domain::access::RecordScope;
use app::domain::clock::ClockStatus;
use app::domain::occupancy::{Person, Recorded, Sex, age_on, from_record};
use app::domain::{Pence, Relationship, Role, TenancyStatus, Tenure};
use app::error::AppError;
use app::model::*;
use sqlx::{Any, AnyPool};

use super::*;

pub(super) async fn tenancy(store: &SqlStore, reference: &str, viewer_id: i64) -> Result<Option<TenancyRecord>, AppError> {
    let pool = &store.db.pool;
    let Some(t) = sqlx::query::<Any>(
        "SELECT t.id, t.reference, t.tenure, t.status, t.start_date, t.end_date, t.trial_ends_on, \
           t.extension_notice_served_on, t.owner_id, t.owner_role, t.version, \
           p.reference AS property_reference, p.address_line1, p.address_line2, p.town, p.postcode, p.bedrooms, \
           p.area_team_id, pa.name AS patch, a.name AS area_team, u.display_name AS owner_name \
         FROM tenancies t JOIN properties p ON p.id = t.property_id JOIN patches pa ON pa.id = p.patch_id \
         JOIN area_teams a ON a.id = p.area_team_id LEFT JOIN users u ON u.id = t.owner_id \
         WHERE t.reference = $1",
    )
    .bind(reference)
    .fetch_optional(pool)
    .await
    .map_err(internal)?
    else {
        return Ok(None);
    };
    let id = i(&t, "id");
    let today = store.today();

    let (members, occupants) = household(pool, id, today).await?;
    let former_members = sqlx::query::<Any>(
        "SELECT first_name, last_name, relationship, joined_on, left_on FROM household_members WHERE tenancy_id = $1 AND left_on IS NOT NULL ORDER BY left_on DESC, id",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(internal)?
    .iter()
    .map(|m| {
        Ok(format!(
            "{} {} ({}): joined {}, left {}",
            s(m, "first_name"),
            s(m, "last_name"),
            code(m, "relationship", Relationship::parse)?.label(),
            day(m, "joined_on")?.format("%-d %b %Y"),
            day(m, "left_on")?.format("%-d %b %Y")
        ))
    })
    .collect::<Result<Vec<_>, AppError>>()?;

    let rent = rent(pool, id).await?;

    let alerts = alerts(pool, id, today).await?;

    let history = casework::transfer_history(&store.db, "tenancy", id).await?;

    let case_sql = format!(
        "SELECT {CASE_COLUMNS}, \
           CASE WHEN EXISTS (SELECT 1 FROM access_grants g WHERE g.subject_type = 'case' AND g.subject_id = c.id AND g.user_id = $2) THEN 1 ELSE 0 END AS granted \
         FROM cases c LEFT JOIN tenancies t ON t.id = c.tenancy_id LEFT JOIN properties p ON p.id = COALESCE(c.property_id, t.property_id) \
         WHERE c.tenancy_id = $1 ORDER BY c.status DESC, c.opened_at DESC"
    );
    let cases =
        sqlx::query::<Any>(&case_sql).bind(id).bind(viewer_id).fetch_all(pool).await.map_err(internal)?.iter().map(case_row).collect::<Result<_, _>>()?;

    let visits = visits(pool, id).await?;

    let address = [s(&t, "address_line1"), s(&t, "address_line2"), s(&t, "town")].into_iter().filter(|x| !x.is_empty()).collect::<Vec<_>>().join(", ");
    let detail = TenancyDetail {
        reference: s(&t, "reference"),
        tenure: Tenure::parse(&s(&t, "tenure")).unwrap_or(Tenure::Secure),
        status: code(&t, "status", TenancyStatus::parse)?,
        version: i(&t, "version"),
        property_reference: s(&t, "property_reference"),
        address,
        postcode: s(&t, "postcode"),
        patch: s(&t, "patch"),
        area_team: s(&t, "area_team"),
        bedrooms: i(&t, "bedrooms"),
        occupation: String::new(),
        size_criteria: None,
        visit_form: None,
        no_access: None,
        key_dates: vec![],
        members,
        former_members,
        rent,
        alerts,
        owner: os(&t, "owner_name").zip(Role::parse(&s(&t, "owner_role"))).map(|(name, role)| OwnerView { name, role }),
        history,
        cases: vec![],
        visits,
        pipeline: vec![],
        pipeline_startable: vec![],
        hazards: vec![],
        may_report_hazard: false,
    };
    Ok(Some(TenancyRecord {
        id,
        scope: RecordScope { area_team_id: i(&t, "area_team_id"), owner_id: oi(&t, "owner_id"), restricted: false, granted: false, duty: false },
        detail,
        occupant_names: occupants.iter().map(|o| o.1.clone()).collect(),
        door: door(pool, id).await?,
        occupants: occupants.into_iter().map(|o| o.0).collect(),
        start_date: day(&t, "start_date")?,
        trial_ends_on: oday(&t, "trial_ends_on")?,
        extension_notice_served_on: oday(&t, "extension_notice_served_on")?,
        cases,
    }))
}

/// Who lives there, for the page (names, relationships, ages) and for the size criteria
/// (`occupancy::from_record`).
async fn household(pool: &AnyPool, id: i64, today: chrono::NaiveDate) -> Result<(Vec<Member>, Vec<(Person, String)>), AppError> {
    let member_rows = sqlx::query::<Any>(
        "SELECT id, first_name, last_name, date_of_birth, sex, relationship, is_tenant, phone, email \
         FROM household_members WHERE tenancy_id = $1 AND left_on IS NULL ORDER BY is_tenant DESC, date_of_birth",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    let mut members = Vec::new();
    let mut recorded = Vec::new();
    for m in &member_rows {
        let dob = day(m, "date_of_birth")?;
        let rel = code(m, "relationship", Relationship::parse)?;
        let is_tenant = i(m, "is_tenant") != 0;
        recorded.push(Recorded { relationship: rel, is_tenant, date_of_birth: dob, sex: code(m, "sex", sex_code)? });
        members.push(Member {
            id: i(m, "id"),
            name: format!("{} {}", s(m, "first_name"), s(m, "last_name")),
            relationship: rel.label().to_string(),
            date_of_birth: dob.format("%-d %b %Y").to_string(),
            age: age_on(dob, today),
            is_tenant,
            phone: s(m, "phone"),
            email: s(m, "email"),
        });
    }
    let occupants = from_record(&recorded).into_iter().map(|(i, p)| (p, members[i].name.clone())).collect();
    Ok((members, occupants))
}

/// The rent account with its twelve latest transactions, if the tenancy has one.
async fn rent(pool: &AnyPool, id: i64) -> Result<Option<RentView>, AppError> {
    Ok(
        match sqlx::query::<Any>("SELECT id, weekly_rent_pence, balance_pence, universal_credit FROM rent_accounts WHERE tenancy_id = $1")
            .bind(id)
            .fetch_optional(pool)
            .await
            .map_err(internal)?
        {
            None => None,
            Some(r) => {
                let lines = sqlx::query::<Any>(
                    "SELECT posted_on, kind, amount_pence, description FROM rent_transactions WHERE account_id = $1 \
                 ORDER BY posted_on DESC, id DESC LIMIT 12",
                )
                .bind(i(&r, "id"))
                .fetch_all(pool)
                .await
                .map_err(internal)?;
                Some(RentView {
                    balance: Pence(i(&r, "balance_pence")),
                    weekly_rent: Pence(i(&r, "weekly_rent_pence")),
                    universal_credit: i(&r, "universal_credit") != 0,
                    recent: lines
                        .iter()
                        .map(|l| {
                            Ok(RentLine {
                                posted_on: day(l, "posted_on")?,
                                kind: app::domain::RentTransactionKind::parse(&s(l, "kind")).map(|k| k.label().to_string()).unwrap_or_else(|| s(l, "kind")),
                                amount: Pence(i(l, "amount_pence")),
                                description: s(l, "description"),
                            })
                        })
                        .collect::<Result<_, AppError>>()?,
                })
            }
        },
    )
}

/// Alerts on the tenancy or its home that have not ended.
async fn alerts(pool: &AnyPool, id: i64, today: chrono::NaiveDate) -> Result<Vec<AlertView>, AppError> {
    sqlx::query::<Any>(
        "SELECT kind, description, created_at FROM alerts WHERE (tenancy_id = $1 OR property_id = (SELECT property_id FROM tenancies WHERE id = $1)) \
         AND (ends_on IS NULL OR ends_on >= $2) ORDER BY created_at",
    )
    .bind(id)
    .bind(today.to_string())
    .fetch_all(pool)
    .await
    .map_err(internal)?
    .iter()
    .map(|a| {
        Ok(AlertView {
            kind: app::domain::AlertKind::parse(&s(a, "kind")).map(|k| k.label().to_string()).unwrap_or_else(|| s(a, "kind")),
            description: s(a, "description"),
            // The UTC day of the instant it was raised.
            since: day(a, "created_at")?,
        })
    })
    .collect::<Result<_, AppError>>()
}

/// The latest fifty visits at the door, completed or unanswered, with when they happened (a visit
/// with no time recorded counts at 11:00 on its day), newest first: what the no-access ladder reads.
async fn door(pool: &AnyPool, id: i64) -> Result<Vec<(app::domain::VisitOutcome, chrono::DateTime<chrono::Utc>)>, AppError> {
    let rows = sqlx::query::<Any>(
        "SELECT outcome, completed_at, scheduled_for FROM visits WHERE tenancy_id = $1 AND outcome IN ('completed', 'no_access') \
         ORDER BY scheduled_for DESC, id DESC LIMIT 50",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|r| {
            let at = match oinstant(r, "completed_at")? {
                Some(at) => at,
                None => app::domain::clock::london_at(day(r, "scheduled_for")?, chrono::NaiveTime::from_hms_opt(11, 0, 0).expect("11:00")),
            };
            Ok((code(r, "outcome", app::domain::VisitOutcome::parse)?, at))
        })
        .collect()
}

/// The twenty latest visits with what each found.
async fn visits(pool: &AnyPool, id: i64) -> Result<Vec<VisitView>, AppError> {
    let visit_rows = sqlx::query::<Any>(
        "SELECT v.id, v.officer_id, v.visit_type, v.scheduled_for, v.completed_at, v.outcome, u.display_name AS officer \
         FROM visits v LEFT JOIN users u ON u.id = v.officer_id WHERE v.tenancy_id = $1 ORDER BY v.scheduled_for DESC LIMIT 20",
    )
    .bind(id)
    .fetch_all(pool)
    .await
    .map_err(internal)?;
    let visit_ids: Vec<i64> = visit_rows.iter().map(|v| i(v, "id")).collect();
    let mut findings: HashMap<i64, Vec<String>> = HashMap::new();
    let mut follow_ups: HashMap<i64, Vec<FollowUpView>> = HashMap::new();
    let mut photos: HashMap<i64, Vec<(i64, Option<app::domain::FindingKind>)>> = HashMap::new();
    if !visit_ids.is_empty() {
        let sql = format!("SELECT id, visit_id, finding FROM visit_photos WHERE visit_id IN ({}) ORDER BY id", placeholders(1, visit_ids.len()));
        for p in bind_ids(sqlx::query::<Any>(&sql), &visit_ids).fetch_all(pool).await.map_err(internal)? {
            photos.entry(i(&p, "visit_id")).or_default().push((i(&p, "id"), os(&p, "finding").and_then(|f| app::domain::FindingKind::parse(&f))));
        }
        let sql = format!(
            "SELECT visit_id, kind, detail, due_at, actioned_at FROM visit_findings WHERE visit_id IN ({}) ORDER BY id",
            placeholders(1, visit_ids.len())
        );
        let mut q = sqlx::query::<Any>(&sql);
        for v in &visit_ids {
            q = q.bind(*v);
        }
        for f in q.fetch_all(pool).await.map_err(internal)? {
            let kind = code(&f, "kind", app::domain::FindingKind::parse)?;
            let visit = i(&f, "visit_id");
            findings.entry(visit).or_default().push(kind.label().to_string());
            if let (Some(due_at), None) = (oinstant(&f, "due_at")?, os(&f, "actioned_at")) {
                // The clock is judged by the service, which knows today.
                let open =
                    FollowUpView { kind, detail: s(&f, "detail"), due_at, within: kind.follow_up().label(), clock: ClockStatus::OnTime, actioned: false };
                follow_ups.entry(visit).or_default().push(open);
            }
        }
    }
    visit_rows
        .iter()
        .map(|v| {
            Ok(VisitView {
                id: i(v, "id"),
                officer_id: oi(v, "officer_id"),
                can_link: false,
                date: match oday(v, "completed_at")? {
                    Some(d) => d,
                    None => day(v, "scheduled_for")?,
                },
                visit_type: code(v, "visit_type", app::domain::VisitType::parse)?,
                outcome: code(v, "outcome", app::domain::VisitOutcome::parse)?,
                officer: os(v, "officer"),
                follow_ups: follow_ups.remove(&i(v, "id")).unwrap_or_default(),
                findings: findings.remove(&i(v, "id")).unwrap_or_default(),
                photos: photos.remove(&i(v, "id")).unwrap_or_default(),
                can_add_photo: false,
            })
        })
        .collect::<Result<_, AppError>>()
}

/// A stored sex code.
pub(super) fn sex_code(t: &str) -> Option<Sex> {
    match t {
        "F" => Some(Sex::F),
        "M" => Some(Sex::M),
        _ => None,
    }
}
