//! What Hearth holds about one person, for a subject access request (`crate::subject_access`): the
//! person found by surname and date of birth, then every record of theirs, section by section. The
//! person is a household member; their records are those of the tenancies they belong or belonged
//! to. Other household members are third parties: their names are left out.

use chrono::NaiveDate;
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row};

use app::error::AppError;

use super::internal;
use crate::db::Db;

/// A household member a search found.
#[derive(Clone, Debug, Serialize)]
pub struct SubjectMatch {
    pub member_id: i64,
    pub name: String,
    pub date_of_birth: String,
    pub tenancy_reference: String,
    pub address: String,
    pub joined_on: String,
    pub left_on: Option<String>,
}

/// One part of an export: a table with a heading and what the reviewer should know about it.
#[derive(Clone, Debug, Serialize)]
pub struct Section {
    pub title: &'static str,
    pub note: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

/// Everything Hearth holds about one person.
#[derive(Clone, Debug, Serialize)]
pub struct Export {
    pub member_id: i64,
    pub name: String,
    pub date_of_birth: String,
    pub sections: Vec<Section>,
}

/// Household members with this surname (any case) and date of birth, with the tenancy each belongs to.
pub async fn matches(db: &Db, last_name: &str, date_of_birth: NaiveDate) -> Result<Vec<SubjectMatch>, AppError> {
    let rows = sqlx::query::<Any>(
        "SELECT hm.id, hm.first_name, hm.last_name, hm.date_of_birth, hm.joined_on, hm.left_on, t.reference, p.address_line1, p.postcode \
         FROM household_members hm JOIN tenancies t ON t.id = hm.tenancy_id JOIN properties p ON p.id = t.property_id \
         WHERE LOWER(hm.last_name) = LOWER($1) AND hm.date_of_birth = $2 ORDER BY hm.first_name, hm.id LIMIT 50",
    )
    .bind(last_name)
    .bind(date_of_birth.to_string())
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    Ok(rows
        .iter()
        .map(|r| SubjectMatch {
            member_id: r.get(0),
            name: format!("{} {}", r.get::<String, _>(1), r.get::<String, _>(2)),
            date_of_birth: r.get(3),
            joined_on: r.get(4),
            left_on: r.get(5),
            tenancy_reference: r.get(6),
            address: format!("{}, {}", r.get::<String, _>(7), r.get::<String, _>(8)),
        })
        .collect())
}

/// A cell as text, whatever the column's type.
fn cell(row: &AnyRow, i: usize) -> String {
    if let Ok(v) = row.try_get::<Option<String>, _>(i) {
        return v.unwrap_or_default();
    }
    if let Ok(v) = row.try_get::<Option<i64>, _>(i) {
        return v.map(|n| n.to_string()).unwrap_or_default();
    }
    row.try_get::<Option<f64>, _>(i).ok().flatten().map(|n| n.to_string()).unwrap_or_default()
}

/// The rows of a query bound to a list of ids (`{ids}` in `sql` is replaced by their placeholders).
async fn rows(db: &Db, sql: &str, ids: &[i64]) -> Result<Vec<Vec<String>>, AppError> {
    if ids.is_empty() {
        return Ok(vec![]);
    }
    let sql = sql.replace("{ids}", &super::placeholders(1, ids.len()));
    let found = super::bind_ids(sqlx::query::<Any>(&sql), ids).fetch_all(&db.pool).await.map_err(internal)?;
    Ok(found.iter().map(|r| (0..r.len()).map(|i| cell(r, i)).collect()).collect())
}

fn pounds(pence: &str) -> String {
    pence.parse::<i64>().map(|p| app::domain::Pence(p).pounds()).unwrap_or_else(|_| pence.to_string())
}

/// Everything about household member `member_id` (and the same person's other memberships: same
/// name and date of birth), or None if there is no such member.
pub async fn export(db: &Db, member_id: i64) -> Result<Option<Export>, AppError> {
    let Some(me) = sqlx::query::<Any>("SELECT first_name, last_name, date_of_birth FROM household_members WHERE id = $1")
        .bind(member_id)
        .fetch_optional(&db.pool)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let (first, last, dob): (String, String, String) = (me.get(0), me.get(1), me.get(2));
    let memberships = sqlx::query::<Any>(
        "SELECT hm.id, hm.tenancy_id, hm.is_tenant, hm.phone, hm.email FROM household_members hm \
         WHERE LOWER(hm.first_name) = LOWER($1) AND LOWER(hm.last_name) = LOWER($2) AND hm.date_of_birth = $3 ORDER BY hm.id",
    )
    .bind(&first)
    .bind(&last)
    .bind(&dob)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let member_ids: Vec<i64> = memberships.iter().map(|r| r.get(0)).collect();
    let tenancies: Vec<i64> = memberships.iter().map(|r| r.get::<i64, _>(1)).collect();
    let as_tenant: Vec<i64> = memberships.iter().filter(|r| r.get::<i64, _>(2) == 1).map(|r| r.get::<i64, _>(1)).collect();
    let contacts: Vec<String> = memberships.iter().flat_map(|r| [r.get::<String, _>(3), r.get::<String, _>(4)]).filter(|c| !c.trim().is_empty()).collect();

    let mut sections = Vec::new();
    sections.push(Section {
        title: "Your details",
        note: "As each household you belong or belonged to records you.".into(),
        columns: vec!["Tenancy", "Address", "First name", "Surname", "Date of birth", "Sex", "Relationship", "Tenant", "Phone", "Email", "Joined", "Left"],
        rows: rows(
            db,
            "SELECT t.reference, p.address_line1 || ', ' || p.postcode, hm.first_name, hm.last_name, hm.date_of_birth, hm.sex, hm.relationship, \
             CASE WHEN hm.is_tenant = 1 THEN 'yes' ELSE 'no' END, hm.phone, hm.email, hm.joined_on, hm.left_on \
             FROM household_members hm JOIN tenancies t ON t.id = hm.tenancy_id JOIN properties p ON p.id = t.property_id WHERE hm.id IN ({ids}) ORDER BY hm.joined_on",
            &member_ids,
        )
        .await?,
    });
    let others: i64 = if tenancies.is_empty() {
        0
    } else {
        let sql = format!(
            "SELECT COUNT(*) FROM household_members WHERE tenancy_id IN ({}) AND id NOT IN ({})",
            super::placeholders(1, tenancies.len()),
            super::placeholders(tenancies.len() + 1, member_ids.len())
        );
        super::bind_ids(super::bind_ids(sqlx::query::<Any>(&sql), &tenancies), &member_ids).fetch_one(&db.pool).await.map_err(internal)?.get(0)
    };
    sections.push(Section {
        title: "Tenancies",
        note: format!("The tenancies you belong or belonged to. {others} other household members are third parties: their details are left out."),
        columns: vec!["Tenancy", "Address", "Tenure", "Status", "Began", "Ended"],
        rows: rows(
            db,
            "SELECT t.reference, p.address_line1 || ', ' || p.postcode, t.tenure, t.status, t.start_date, t.end_date FROM tenancies t \
             JOIN properties p ON p.id = t.property_id WHERE t.id IN ({ids}) ORDER BY t.start_date",
            &tenancies,
        )
        .await?,
    });
    let mut rent = rows(
        db,
        "SELECT t.reference, rt.posted_on, rt.kind, rt.amount_pence, rt.description FROM rent_transactions rt JOIN rent_accounts ra ON ra.id = rt.account_id \
         JOIN tenancies t ON t.id = ra.tenancy_id WHERE ra.tenancy_id IN ({ids}) ORDER BY rt.posted_on, rt.id",
        &as_tenant,
    )
    .await?;
    rent.iter_mut().for_each(|r| r[3] = pounds(&r[3]));
    sections.push(Section {
        title: "Rent accounts",
        note: "Every transaction on the rent accounts of the tenancies you hold or held as a tenant.".into(),
        columns: vec!["Tenancy", "Posted", "Kind", "Amount", "Description"],
        rows: rent,
    });
    sections.push(Section {
        title: "Alerts",
        note: "Alerts on your tenancies or homes, which officers see before they visit.".into(),
        columns: vec!["Kind", "What it says", "Made", "Ends"],
        rows: rows(
            db,
            "SELECT a.kind, a.description, a.created_at, a.ends_on FROM alerts a WHERE a.tenancy_id IN ({ids}) \
             OR a.property_id IN (SELECT property_id FROM tenancies WHERE id IN ({ids})) ORDER BY a.created_at",
            &tenancies,
        )
        .await?,
    });
    sections.push(Section {
        title: "Cases",
        note: "Casework about your tenancies, restricted cases included: the data protection officer decides what is withheld \
               (for example information about other people, or under the Data Protection Act 2018, Schedule 2)."
            .into(),
        columns: vec!["Case", "Kind", "Title", "Summary", "Status", "Restricted", "Opened", "Closed"],
        rows: rows(
            db,
            "SELECT c.reference, c.kind, c.title, c.summary, c.status, CASE WHEN c.restricted = 1 THEN 'yes' ELSE 'no' END, c.opened_at, c.closed_at \
             FROM cases c WHERE c.tenancy_id IN ({ids}) ORDER BY c.opened_at",
            &tenancies,
        )
        .await?,
    });
    let mut visits = rows(
        db,
        "SELECT v.id, v.scheduled_for, v.completed_at, v.visit_type, v.outcome, v.notes FROM visits v WHERE v.tenancy_id IN ({ids}) ORDER BY v.scheduled_for, v.id",
        &tenancies,
    )
    .await?;
    let visit_ids: Vec<i64> = visits.iter().filter_map(|v| v[0].parse().ok()).collect();
    let findings = rows(db, "SELECT f.visit_id, f.kind, f.detail FROM visit_findings f WHERE f.visit_id IN ({ids}) ORDER BY f.id", &visit_ids).await?;
    for v in &mut visits {
        let found: Vec<String> =
            findings.iter().filter(|f| f[0] == v[0]).map(|f| if f[2].is_empty() { f[1].clone() } else { format!("{}: {}", f[1], f[2]) }).collect();
        v.remove(0);
        v.push(found.join("; "));
    }
    sections.push(Section {
        title: "Visits",
        note: "Visits to your homes, with what the officer noted and found.".into(),
        columns: vec!["Planned", "Done", "Kind", "Outcome", "Notes", "Findings"],
        rows: visits,
    });
    sections.push(Section {
        title: "Referrals to partner agencies",
        note: "What was shared with other agencies about your household, on what lawful basis.".into(),
        columns: vec!["Referral", "Agency", "Category", "Reason", "Status", "Lawful basis", "Shared", "Sent"],
        rows: rows(
            db,
            "SELECT r.reference, a.name, r.category, r.reason, r.status, r.lawful_basis, r.shared_fields, r.sent_at FROM referrals r \
             JOIN agencies a ON a.id = r.agency_id WHERE r.tenancy_id IN ({ids}) ORDER BY r.created_at",
            &tenancies,
        )
        .await?,
    });
    sections.push(Section {
        title: "Damp and mould",
        note: "Damp and mould reported at your homes, and what the investigation found.".into(),
        columns: vec!["Reported", "What was reported", "Found", "Closed"],
        rows: rows(db, "SELECT h.aware_at, h.detail, h.finding, h.closed_at FROM hazards h WHERE h.tenancy_id IN ({ids}) ORDER BY h.aware_at", &tenancies)
            .await?,
    });
    let feedback = if contacts.is_empty() {
        vec![]
    } else {
        let sql = format!(
            "SELECT submitted_at, comment, contact_name, contact_detail FROM feedback_responses WHERE contact_detail IN ({}) ORDER BY submitted_at",
            super::placeholders(1, contacts.len())
        );
        let mut q = sqlx::query::<Any>(&sql);
        for c in &contacts {
            q = q.bind(c.clone());
        }
        q.fetch_all(&db.pool).await.map_err(internal)?.iter().map(|r| (0..r.len()).map(|i| cell(r, i)).collect()).collect()
    };
    sections.push(Section {
        title: "Feedback you gave",
        note: "Feedback that left your phone number or email address for a reply. Anonymous feedback cannot be linked to you.".into(),
        columns: vec!["Sent", "Comment", "Name given", "Contact given"],
        rows: feedback,
    });
    sections.push(Section {
        title: "Who looked at or changed these records",
        note: "The audit log's entries for your tenancies, most recent first (up to 1,000).".into(),
        columns: vec!["When", "Who", "What", "Outcome"],
        rows: rows(
            db,
            "SELECT al.at, al.username, al.action, al.outcome FROM audit_log al WHERE al.subject_type = 'tenancy' AND al.subject_id IN ({ids}) ORDER BY al.at DESC, al.id DESC LIMIT 1000",
            &tenancies,
        )
        .await?,
    });
    Ok(Some(Export { member_id, name: format!("{first} {last}"), date_of_birth: dob, sections }))
}
