//! Feedback links and responses, and the Regulator's TSM peer data.

use std::collections::BTreeMap;

use app::api::kit::store::AuditEntry;
use app::domain::feedback::{Audience, CommentFilter, ResponseFacts, ResultsScope, Submission};
use app::domain::tsm::{Import, LandlordResults};
use app::error::AppError;
use app::model::{FeedbackComment, FeedbackLinkView};
use sqlx::Any;

use super::SqlStore;
use super::{i, instant, internal, oi, os, s};
use crate::db::Db;
use app::api::feedback::store::FeedbackStore;
use async_trait::async_trait;

/// What a public link points at, resolved when a response arrives: the response keeps the
/// officer, role, patch and area of that moment.
#[derive(Clone, Debug)]
pub struct LinkTarget {
    pub id: i64,
    pub audience: Audience,
    pub label: String,
    /// officer, patch, visit or partner: what the link was made for.
    pub scope_type: String,
    pub officer_id: Option<i64>,
    pub officer_name: Option<String>,
    pub officer_role: Option<String>,
    pub patch_id: Option<i64>,
    pub area_team_id: Option<i64>,
    pub agency_id: Option<i64>,
}

/// An active link by its token; revoked or unknown tokens are `None` alike.
pub async fn link(db: &Db, token: &str) -> Result<Option<LinkTarget>, AppError> {
    let Some(r) = sqlx::query::<Any>("SELECT id, scope_type, scope_id, label FROM feedback_links WHERE token = $1 AND active = 1 AND revoked_at IS NULL")
        .bind(token)
        .fetch_optional(&db.pool)
        .await
        .map_err(internal)?
    else {
        return Ok(None);
    };
    let (id, scope_type, scope_id, label) = (i(&r, "id"), s(&r, "scope_type"), i(&r, "scope_id"), s(&r, "label"));
    let mut t = LinkTarget {
        id,
        audience: Audience::Tenant,
        label,
        scope_type: scope_type.clone(),
        officer_id: None,
        officer_name: None,
        officer_role: None,
        patch_id: None,
        area_team_id: None,
        agency_id: None,
    };
    let officer = |t: &mut LinkTarget, r: &sqlx::any::AnyRow| {
        t.officer_id = oi(r, "officer_id");
        t.officer_name = os(r, "display_name");
        t.officer_role = os(r, "role");
    };
    match scope_type.as_str() {
        "patch" => {
            if let Some(r) = sqlx::query::<Any>("SELECT p.id AS patch_id, p.area_team_id, p.officer_id, u.display_name, u.role FROM patches p LEFT JOIN users u ON u.id = p.officer_id WHERE p.id = $1")
                .bind(scope_id)
                .fetch_optional(&db.pool)
                .await
                .map_err(internal)?
            {
                officer(&mut t, &r);
                t.patch_id = oi(&r, "patch_id");
                t.area_team_id = oi(&r, "area_team_id");
            }
        }
        "officer" => {
            if let Some(r) = sqlx::query::<Any>("SELECT id AS officer_id, display_name, role, area_team_id FROM users WHERE id = $1").bind(scope_id).fetch_optional(&db.pool).await.map_err(internal)? {
                officer(&mut t, &r);
                t.area_team_id = oi(&r, "area_team_id");
            }
        }
        "visit" => {
            if let Some(r) = sqlx::query::<Any>(
                "SELECT v.officer_id, u.display_name, u.role, pr.patch_id, pr.area_team_id FROM visits v JOIN properties pr ON pr.id = v.property_id \
                 LEFT JOIN users u ON u.id = v.officer_id WHERE v.id = $1",
            )
            .bind(scope_id)
            .fetch_optional(&db.pool)
            .await
            .map_err(internal)?
            {
                officer(&mut t, &r);
                t.patch_id = oi(&r, "patch_id");
                t.area_team_id = oi(&r, "area_team_id");
            }
        }
        "partner" => {
            t.audience = Audience::Partner;
            t.agency_id = Some(scope_id);
        }
        _ => return Ok(None),
    }
    Ok(Some(t))
}

fn audience_code(a: Audience) -> &'static str {
    match a {
        Audience::Tenant => "tenant",
        Audience::Partner => "partner",
    }
}

/// Stores a response once: a second submission with the same idempotency key (a double press,
/// a network retry) changes nothing. Returns whether this call stored it.
pub async fn save(db: &Db, t: &LinkTarget, sub: &Submission, language: &str, submitted_at: &str) -> Result<bool, AppError> {
    let answers = serde_json::to_string(&sub.answers).map_err(|_| AppError::Internal)?;
    let audience = audience_code(t.audience);
    let done = sqlx::query::<Any>(
        "INSERT INTO feedback_responses (link_id, respondent_kind, officer_id, officer_role, patch_id, area_team_id, agency_id, submitted_at, answers, comment, \
         contact_name, contact_detail, idempotency_key, language, wants_reply) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) \
         ON CONFLICT (idempotency_key) DO NOTHING",
    )
    .bind(t.id)
    .bind(audience)
    .bind(t.officer_id)
    .bind(t.officer_role.clone())
    .bind(t.patch_id)
    .bind(t.area_team_id)
    .bind(t.agency_id)
    .bind(submitted_at)
    .bind(answers)
    .bind(sub.comment.clone())
    .bind(sub.contact_name.clone())
    .bind(sub.contact_detail.clone())
    .bind(sub.idempotency_key.clone())
    .bind(language)
    .bind(i64::from(sub.contact_detail.is_some()))
    .execute(&db.pool)
    .await
    .map_err(internal)?;
    Ok(done.rows_affected() == 1)
}

const RESPONSE_SELECT: &str = "SELECT r.id, r.submitted_at, r.respondent_kind, r.officer_role, r.answers, r.comment, r.contact_name, r.contact_detail, r.area_team_id, r.patch_id, r.officer_id, \
     a.name AS area, p.name AS patch, u.display_name AS officer, cs.reference AS case_reference FROM feedback_responses r LEFT JOIN area_teams a ON a.id = r.area_team_id \
     LEFT JOIN patches p ON p.id = r.patch_id LEFT JOIN users u ON u.id = r.officer_id LEFT JOIN cases cs ON cs.id = r.case_id";

fn answers(r: &sqlx::any::AnyRow) -> BTreeMap<String, String> {
    serde_json::from_str(&s(r, "answers")).unwrap_or_default()
}

/// Responses since a date, optionally for one area, as the figures read them.
pub async fn facts(db: &Db, since: chrono::NaiveDate, scope: ResultsScope, audience: Audience) -> Result<Vec<ResponseFacts>, AppError> {
    let rows = sqlx::query::<Any>(&format!("{RESPONSE_SELECT} WHERE r.submitted_at >= $1 AND ($2 = 0 OR r.area_team_id = $2) AND ($3 = 0 OR r.officer_id = $3) AND r.respondent_kind = $4 ORDER BY r.submitted_at"))
        .bind(since.to_string())
        .bind(scope.area_team_id.unwrap_or(0))
        .bind(scope.officer_id.unwrap_or(0))
        .bind(audience_code(audience))
        .fetch_all(&db.pool)
        .await
        .map_err(internal)?;
    Ok(rows
        .iter()
        .map(|r| ResponseFacts {
            month: s(r, "submitted_at").chars().take(7).collect(),
            role: os(r, "officer_role"),
            area: os(r, "area"),
            patch: os(r, "patch"),
            officer: os(r, "officer"),
            area_id: oi(r, "area_team_id"),
            patch_id: oi(r, "patch_id"),
            officer_id: oi(r, "officer_id"),
            answers: answers(r),
        })
        .collect())
}

/// The latest comments since a date within the reader's scope (area and/or officer), narrowed by
/// the filter: some words, an area team, a patch, an officer (0 binds "any", as for the scope).
pub async fn comments(db: &Db, since: chrono::NaiveDate, scope: ResultsScope, filter: &CommentFilter, limit: i64) -> Result<Vec<FeedbackComment>, AppError> {
    let like = format!("%{}%", filter.contains.trim().to_lowercase().replace(['\\', '%', '_'], ""));
    let rows = sqlx::query::<Any>(&format!(
        "{RESPONSE_SELECT} WHERE r.submitted_at >= $1 AND ($2 = 0 OR r.area_team_id = $2) AND ($5 = 0 OR r.officer_id = $5) AND r.comment <> '' AND LOWER(r.comment) LIKE $3 \
         AND ($6 = 0 OR r.area_team_id = $6) AND ($7 = 0 OR r.patch_id = $7) AND ($8 = 0 OR r.officer_id = $8) \
         ORDER BY r.submitted_at DESC, r.id DESC LIMIT $4"
    ))
    .bind(since.to_string())
    .bind(scope.area_team_id.unwrap_or(0))
    .bind(like)
    .bind(limit)
    .bind(scope.officer_id.unwrap_or(0))
    .bind(filter.area_team_id.unwrap_or(0))
    .bind(filter.patch_id.unwrap_or(0))
    .bind(filter.officer_id.unwrap_or(0))
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|r| {
            let a = answers(r);
            let overall = ["TP01", "PA1"].iter().find_map(|k| {
                let q = app::domain::feedback::question(k)?;
                let pos = q.scale.position(a.get(*k)?)?;
                Some(if pos == 0 { "Don't know".to_string() } else { q.scale.labels()[pos as usize - 1].to_string() })
            });
            Ok(FeedbackComment {
                id: i(r, "id"),
                submitted_at: instant(r, "submitted_at")?,
                audience: s(r, "respondent_kind"),
                area: os(r, "area"),
                patch: os(r, "patch"),
                officer: os(r, "officer"),
                comment: s(r, "comment"),
                overall,
                contact_name: os(r, "contact_name"),
                contact_detail: os(r, "contact_detail"),
                case_reference: os(r, "case_reference"),
            })
        })
        .collect()
}

/// Deletes the responses submitted before a date: their answers, comments and
/// contact details go with the row. A case opened from a comment keeps its own copy of the words
/// (it is casework, under the case's own retention), so nothing refers back to a deleted row.
pub async fn purge(db: &Db, before: chrono::NaiveDate) -> Result<u64, AppError> {
    let done =
        sqlx::query::<Any>("DELETE FROM feedback_responses WHERE submitted_at < $1").bind(before.to_string()).execute(&db.pool).await.map_err(internal)?;
    Ok(done.rows_affected())
}

/// Links made by one user (None: every link), newest first, with their response counts.
pub async fn links(db: &Db, created_by: Option<i64>) -> Result<Vec<FeedbackLinkView>, AppError> {
    let rows = sqlx::query::<Any>(
        "SELECT l.id, l.token, l.scope_type, l.label, l.created_at, l.active, l.revoked_at, (SELECT COUNT(*) FROM feedback_responses r WHERE r.link_id = l.id) AS responses \
         FROM feedback_links l WHERE ($1 = 0 OR l.created_by = $1) ORDER BY l.created_at DESC, l.id DESC LIMIT 50",
    )
    .bind(created_by.unwrap_or(0))
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    rows.iter()
        .map(|r| {
            let token = s(r, "token");
            Ok(FeedbackLinkView {
                id: i(r, "id"),
                path: format!("/feedback/{token}"),
                token,
                scope_type: s(r, "scope_type"),
                label: s(r, "label"),
                created_at: instant(r, "created_at")?,
                responses: i(r, "responses"),
                active: i(r, "active") == 1 && os(r, "revoked_at").is_none(),
                url: String::new(),
                qr_svg: String::new(),
            })
        })
        .collect()
}

/// A random token of 22 letters and digits (about 131 bits from a CSPRNG seeded by the OS): links cannot be
/// guessed or listed, and carry nothing about the person or place.
pub fn new_token() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    let mut rng = rand::rng();
    (0..22).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()
}

/// Makes a link with a fresh unguessable token (`new_token`); returns its id.
pub async fn create_link(db: &Db, scope_type: &str, scope_id: i64, label: &str, by: i64, audit: AuditEntry) -> Result<i64, AppError> {
    let (token, at) = (new_token(), super::now_rfc3339());
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let r = sqlx::query::<Any>(
        "INSERT INTO feedback_links (token, scope_type, scope_id, created_by, created_at, active, label) VALUES ($1, $2, $3, $4, $5, 1, $6) RETURNING id",
    )
    .bind(token)
    .bind(scope_type)
    .bind(scope_id)
    .bind(by)
    .bind(at)
    .bind(label)
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    let id = i(&r, "id");
    super::commit_audited(tx, audit, Some(id)).await?;
    Ok(id)
}

/// Replaces a year's peer data with a new import, in one transaction.
pub async fn import_tsm(db: &Db, year: &str, import: &Import, by: i64, at: &str) -> Result<usize, AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    sqlx::query::<Any>("DELETE FROM tsm_benchmarks WHERE year = $1").bind(year).execute(&mut *tx).await.map_err(internal)?;
    let mut n = 0;
    for l in &import.landlords {
        for m in &l.measures {
            sqlx::query::<Any>(
                "INSERT INTO tsm_benchmarks (year, landlord_code, landlord_name, landlord_type, measure, satisfied_micro, base_micro, dont_know_micro, percent_tenths, published_tenths, imported_at, imported_by) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)",
            )
            .bind(year)
            .bind(l.code.clone())
            .bind(l.name.clone())
            .bind(l.landlord_type.clone())
            .bind(m.measure.clone())
            .bind(m.answers.satisfied().0)
            .bind(m.answers.base().0)
            .bind(m.answers.dont_know.0)
            .bind(m.percent.map(|p| p.0))
            .bind(m.published.map(|p| p.0))
            .bind(at)
            .bind(by)
            .execute(&mut *tx)
            .await
            .map_err(internal)?;
            n += 1;
        }
    }
    tx.commit().await.map_err(internal)?;
    Ok(n)
}

/// A year's peer data, landlord by landlord (in code order), measures in order.
pub async fn benchmark(db: &Db, year: &str) -> Result<Vec<LandlordResults>, AppError> {
    use app::domain::tsm::{Answers, MeasureResult, Tally, Tenths};
    let rows = sqlx::query::<Any>(
        "SELECT landlord_code, landlord_name, landlord_type, measure, satisfied_micro, base_micro, dont_know_micro, percent_tenths, published_tenths FROM tsm_benchmarks \
         WHERE year = $1 ORDER BY landlord_code, measure",
    )
    .bind(year)
    .fetch_all(&db.pool)
    .await
    .map_err(internal)?;
    let mut out: Vec<LandlordResults> = Vec::new();
    for r in &rows {
        let code = s(r, "landlord_code");
        if out.last().map(|l| l.code != code).unwrap_or(true) {
            out.push(LandlordResults { code: code.clone(), name: s(r, "landlord_name"), landlord_type: s(r, "landlord_type"), measures: vec![] });
        }
        // The five counts are not kept, only what the figures need: satisfied and the base.
        let (sat, base) = (i(r, "satisfied_micro"), i(r, "base_micro"));
        let answers = Answers { counts: [Tally(sat), Tally(0), Tally(base - sat), Tally(0), Tally(0)], dont_know: Tally(i(r, "dont_know_micro")) };
        out.last_mut().expect("pushed").measures.push(MeasureResult {
            measure: s(r, "measure"),
            answers,
            percent: oi(r, "percent_tenths").map(Tenths),
            published: oi(r, "published_tenths").map(Tenths),
        });
    }
    Ok(out)
}

/// The years imported, latest first.
pub async fn benchmark_years(db: &Db) -> Result<Vec<String>, AppError> {
    let rows = sqlx::query::<Any>("SELECT DISTINCT year FROM tsm_benchmarks ORDER BY year DESC").fetch_all(&db.pool).await.map_err(internal)?;
    Ok(rows.iter().map(|r| s(r, "year")).collect())
}

/// See `Store::case_from_feedback`. One transaction: the response is claimed with
/// `case_id IS NULL`, so of two officers acting at once exactly one opens the case.
/// Opens a case from a response; its audit entry's detail ends with the new case's reference.
pub async fn case_from_feedback(db: &Db, c: app::api::feedback::store::NewFeedbackCase, at: &str, mut audit: AuditEntry) -> Result<String, AppError> {
    let mut tx = db.pool.begin().await.map_err(internal)?;
    let Some(r) = sqlx::query::<Any>(
        "SELECT r.id, r.comment, r.contact_name, r.contact_detail, r.area_team_id, r.officer_id, r.submitted_at, u.role AS officer_role, u.active AS officer_active, c.reference AS case_reference \
         FROM feedback_responses r LEFT JOIN users u ON u.id = r.officer_id LEFT JOIN cases c ON c.id = r.case_id \
         WHERE r.id = $1 AND ($2 = 0 OR r.area_team_id = $2) AND ($3 = 0 OR r.officer_id = $3)",
    )
    .bind(c.response_id)
    .bind(c.scope.area_team_id.unwrap_or(0))
    .bind(c.scope.officer_id.unwrap_or(0))
    .fetch_optional(&mut *tx)
    .await
    .map_err(internal)?
    else {
        return Err(AppError::NotFound("No such comment among those you can act on.".into()));
    };
    if let Some(existing) = os(&r, "case_reference") {
        return Err(AppError::Conflict(format!("This comment is already case {existing}.")));
    }
    let Some(area) = oi(&r, "area_team_id") else {
        return Err(AppError::Invalid("This comment is not about an area team's work (a partner agency's); raise it with the agency instead.".into()));
    };
    let comment = s(&r, "comment");
    if comment.trim().is_empty() {
        return Err(AppError::Invalid("Only a comment with words in it can become a case.".into()));
    }
    // Who holds it, and when it is due, are the domain's rules (`domain::feedback`).
    let about = oi(&r, "officer_id");
    let owner = app::domain::feedback::case_holder(c.kind, about, i(&r, "officer_active") == 1, c.by).map_err(AppError::Forbidden)?;
    let owner_role = if Some(owner) == about { os(&r, "officer_role").unwrap_or_default() } else { c.by_role.as_str().to_string() };
    let written = app::domain::clock::london_date(instant(&r, "submitted_at")?);
    let due_on = app::domain::feedback::comment_case_due(c.kind, c.deadline, written, c.today, &c.calendar);
    let mut summary = format!("From tenant feedback (response {}):\n\n{}", c.response_id, comment.trim());
    if let (Some(n), Some(d)) = (os(&r, "contact_name"), os(&r, "contact_detail")) {
        summary.push_str(&format!("\n\nThe tenant asked for a reply: {n}, {d}."));
    }
    let placeholder = format!("NEW-{}", new_token());
    let case = sqlx::query::<Any>(
        "INSERT INTO cases (reference, kind, title, summary, status, restricted, owner_id, owner_role, area_team_id, opened_at, due_at) \
         VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9, $10) RETURNING id",
    )
    .bind(placeholder)
    .bind(c.kind.as_str())
    .bind(app::domain::feedback::case_title(c.kind, &comment))
    .bind(summary)
    .bind(i64::from(c.kind.is_restricted()))
    .bind(owner)
    .bind(owner_role)
    .bind(area)
    .bind(at)
    .bind(format!("{due_on}T17:00:00Z"))
    .fetch_one(&mut *tx)
    .await
    .map_err(internal)?;
    let id = i(&case, "id");
    let reference = format!("CAS{:06}", id + 200_000);
    sqlx::query::<Any>("UPDATE cases SET reference = $1 WHERE id = $2").bind(reference.clone()).bind(id).execute(&mut *tx).await.map_err(internal)?;
    let claimed = sqlx::query::<Any>("UPDATE feedback_responses SET case_id = $1 WHERE id = $2 AND case_id IS NULL")
        .bind(id)
        .bind(c.response_id)
        .execute(&mut *tx)
        .await
        .map_err(internal)?;
    if claimed.rows_affected() != 1 {
        return Err(AppError::Conflict("Someone has just opened a case from this comment; reload to see it.".into()));
    }
    audit.detail = format!("{} {reference}", audit.detail);
    super::commit_audited(tx, audit, None).await?;
    Ok(reference)
}

/// A visit as a feedback link needs it: its officer, the home's area team, and a label.
pub async fn visit_scope(db: &Db, visit_id: i64) -> Result<Option<(Option<i64>, i64, String)>, AppError> {
    let row = sqlx::query::<Any>(
        "SELECT v.officer_id, v.visit_type, COALESCE(v.completed_at, v.scheduled_for) AS at, pr.area_team_id, pr.address_line1 \
         FROM visits v JOIN properties pr ON pr.id = v.property_id WHERE v.id = $1",
    )
    .bind(visit_id)
    .fetch_optional(&db.pool)
    .await
    .map_err(internal)?;
    Ok(row.map(|r| {
        let kind = app::domain::VisitType::parse(&s(&r, "visit_type")).map(|k| k.label().to_string()).unwrap_or_default();
        (oi(&r, "officer_id"), i(&r, "area_team_id"), format!("{kind}, {}, {}", s(&r, "address_line1"), s(&r, "at").chars().take(10).collect::<String>()))
    }))
}

#[async_trait]
impl FeedbackStore for SqlStore {
    async fn feedback_facts(
        &self,
        since: chrono::NaiveDate,
        scope: app::domain::feedback::ResultsScope,
        audience: app::domain::feedback::Audience,
    ) -> Result<Vec<app::domain::feedback::ResponseFacts>, AppError> {
        facts(&self.db, since, scope, audience).await
    }
    async fn feedback_comments(
        &self,
        since: chrono::NaiveDate,
        scope: app::domain::feedback::ResultsScope,
        filter: &app::domain::feedback::CommentFilter,
        limit: i64,
    ) -> Result<Vec<FeedbackComment>, AppError> {
        comments(&self.db, since, scope, filter, limit).await
    }
    async fn purge_feedback(&self, before: chrono::NaiveDate) -> Result<u64, AppError> {
        purge(&self.db, before).await
    }
    async fn feedback_links(&self, created_by: Option<i64>) -> Result<Vec<FeedbackLinkView>, AppError> {
        links(&self.db, created_by).await
    }
    async fn create_feedback_link(&self, scope_type: &str, scope_id: i64, label: &str, by: i64, audit: AuditEntry) -> Result<i64, AppError> {
        create_link(&self.db, scope_type, scope_id, label, by, audit).await
    }
    async fn tsm_benchmark(&self, year: &str) -> Result<Vec<app::domain::tsm::LandlordResults>, AppError> {
        benchmark(&self.db, year).await
    }
    async fn tsm_years(&self) -> Result<Vec<String>, AppError> {
        benchmark_years(&self.db).await
    }
    async fn case_from_feedback(&self, c: app::api::feedback::store::NewFeedbackCase, audit: AuditEntry) -> Result<String, AppError> {
        case_from_feedback(&self.db, c, &super::now_rfc3339(), audit).await
    }
    async fn visit_scope(&self, visit_id: i64) -> Result<Option<(Option<i64>, i64, String)>, AppError> {
        visit_scope(&self.db, visit_id).await
    }
}
