//! Feedback results, links with their QR codes, cases from comments, and the TSM benchmark.

use crate::api::RequestMeta;
use crate::api::kit::clock::Clock;
use crate::api::kit::settings::Settings;
use crate::api::kit::store::AuditEntry;
use crate::api::store::Store;
use crate::domain::access::Principal;
use crate::domain::feedback::{self, CommentFilter, GroupBy, TENANT_QUESTIONS};
use crate::domain::tsm;
use crate::error::AppError;
use crate::model::*;

/// A link as a QR code: SVG Hearth draws itself (no third-party service sees the link).
pub fn qr_svg(url: &str) -> String {
    match qrcode::QrCode::new(url.as_bytes()) {
        Ok(code) => code.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).quiet_zone(true).build(),
        Err(_) => String::new(),
    }
}

/// A link with its absolute address (`Settings::public_url` if set, else the origin the
/// request came to, so a QR code opens on a phone as it is) and its QR code.
fn with_qr(mut l: FeedbackLinkView, settings: &Settings, origin: &str) -> FeedbackLinkView {
    l.url = feedback::link_url(settings.public_url.as_deref(), origin, &l.path);
    l.qr_svg = qr_svg(&l.url);
    l
}

pub async fn results(
    store: &dyn Store,
    settings: &Settings,
    who: &Principal,
    by: &str,
    months: i64,
    filter: &CommentFilter,
    meta: &RequestMeta,
) -> Result<FeedbackResults, AppError> {
    let ip = &meta.ip;
    let scope = feedback::results_scope(who).map_err(AppError::Forbidden)?;
    let by = GroupBy::parse(by).unwrap_or(GroupBy::Area);
    let months = months.clamp(1, 36);
    let clock = Clock::now(store).await?;
    let today = clock.today;
    let since = today - chrono::Months::new(months as u32);
    let facts = store.feedback_facts(since, scope, feedback::Audience::Tenant).await?;
    let partner_facts = store.feedback_facts(since, scope, feedback::Audience::Partner).await?;
    let partner_measures: Vec<&str> = feedback::PARTNER_QUESTIONS.iter().map(|q| q.key).collect();
    let measures: Vec<&str> = TENANT_QUESTIONS.iter().map(|q| q.key).collect();
    let comments = store.feedback_comments(since, scope, filter, 200).await?;
    // Comments may name people: reading them is audited, like any personal record.
    store
        .audit(AuditEntry {
            user_id: Some(who.user_id),
            username: who.username.clone(),
            action: "feedback.comments.view".into(),
            subject_type: "feedback".into(),
            subject_id: None,
            outcome: "allowed".into(),
            reason: String::new(),
            detail: format!("{} comments since {since}", comments.len()),
            ip: ip.to_string(),
        })
        .await?;
    let links = store
        .feedback_links(if who.role == crate::domain::Role::Admin { None } else { Some(who.user_id) })
        .await?
        .into_iter()
        .map(|l| with_qr(l, settings, &meta.origin))
        .collect();
    let can_make_partner_links = feedback::may_create_link(who, "partner", None, None).is_ok();
    let overall = feedback::figures(&facts, GroupBy::All, &measures);
    let years = store.tsm_years().await?;
    let benchmark_year = years.first().cloned();
    let benchmark = match &benchmark_year {
        Some(y) => benchmark_rows(&store.tsm_benchmark(y).await?, &settings.landlord_code, overall.first()),
        None => vec![],
    };
    let complaints = complaint_figures(store, scope.area_team_id, &clock).await?;
    Ok(FeedbackResults {
        complaints,
        by,
        since,
        measures: measures.iter().map(|m| m.to_string()).collect(),
        groups: feedback::figures(&facts, by, &measures),
        months: feedback::figures(&facts, GroupBy::Month, &measures),
        overall,
        partners: feedback::figures(&partner_facts, GroupBy::All, &partner_measures),
        filters: feedback::filter_options(&facts),
        comments,
        links,
        benchmark_year,
        landlord_code: settings.landlord_code.clone(),
        benchmark,
        can_manage_links: who.role.is_hmo() || who.role == crate::domain::Role::TeamLeader,
        can_open_cases: feedback::case_scope(who).is_ok(),
        agencies: if can_make_partner_links { store.agencies().await?.into_iter().map(|a| (a.id, a.name)).collect() } else { vec![] },
        can_make_partner_links,
        patches: if who.role == crate::domain::Role::TeamLeader {
            store.patches(who.area_team_id).await?.into_iter().map(|p| (p.id, p.name)).collect()
        } else {
            vec![]
        },
    })
}

/// CH01 and CH02 as the caller may see them: their area's, or the council's for administrators.
pub async fn complaint_measures(store: &dyn Store, who: &Principal) -> Result<ComplaintFigures, AppError> {
    let scope = feedback::results_scope(who).map_err(AppError::Forbidden)?;
    complaint_figures(store, scope.area_team_id, &Clock::now(store).await?).await
}

/// CH01 and CH02 for the current reporting year, for an area or the council.
pub async fn complaint_figures(store: &dyn Store, area_team_id: Option<i64>, clock: &Clock) -> Result<ComplaintFigures, AppError> {
    use crate::domain::complaint;
    let year = complaint::reporting_year(clock.today);
    let homes = store.rented_homes(area_team_id).await?;
    let progress: Vec<complaint::Progress> =
        store.complaints(area_team_id).await?.iter().map(|(received, steps)| complaint::Progress::of(*received, steps)).collect();
    let [stage1, stage2] = complaint::figures(year, homes, &progress, &clock.calendar);
    Ok(ComplaintFigures { year, homes, stage1, stage2 })
}

/// Ranks the council among councils (landlord type LA) by its own survey return as the Regulator
/// published it: like with like, perception survey among perception surveys. Hearth's in-app
/// figure is transactional and self-selected (asked after a visit or a case, of those who chose
/// to answer), so it is shown beside the rank, never ranked among the surveys.
pub fn benchmark_rows(all: &[tsm::LandlordResults], council: &str, in_app: Option<&feedback::GroupFigures>) -> Vec<BenchmarkRow> {
    let councils: Vec<&tsm::LandlordResults> = all.iter().filter(|l| l.landlord_type == "LA").collect();
    tsm::MEASURES
        .iter()
        .map(|m| {
            let mut values: Vec<i64> = councils.iter().filter_map(|l| l.measures.iter().find(|x| x.measure == *m)?.percent.map(|p| p.0)).collect();
            values.sort_unstable_by(|a, b| b.cmp(a));
            let rank = |v: i64| values.iter().filter(|x| **x > v).count() as i64 + 1;
            let survey = councils.iter().find(|l| l.code == council).and_then(|l| l.measures.iter().find(|x| x.measure == *m)?.percent.map(|p| p.0));
            let app = in_app.and_then(|g| g.figures.iter().find(|f| f.measure == *m));
            let in_app_tenths = app.and_then(|f| f.percent.map(|p| p.0));
            BenchmarkRow {
                measure: m.to_string(),
                name: tsm::measure_name(m).to_string(),
                survey_tenths: survey,
                survey_rank: survey.map(rank),
                in_app_tenths,
                in_app_base: app.map(|f| f.base).unwrap_or(0),
                councils: values.len() as i64,
                median_tenths: (!values.is_empty()).then(|| values[values.len() / 2]),
            }
        })
        .collect()
}

pub async fn create_link(
    store: &dyn Store,
    settings: &Settings,
    who: &Principal,
    scope_type: &str,
    scope_id: i64,
    label: &str,
    meta: &RequestMeta,
) -> Result<FeedbackLinkView, AppError> {
    let label = label.trim();
    // 0 means "me": the officer's own link.
    let scope_id = if scope_type == "officer" && scope_id == 0 { who.user_id } else { scope_id };
    if label.chars().count() > 120 {
        return Err(AppError::Invalid("The label must be 120 characters or fewer.".into()));
    }
    let (target_area, target_user, default_label) = match scope_type {
        "officer" => {
            let f = store.user_facts(scope_id).await?.ok_or_else(|| AppError::NotFound("No such officer.".into()))?;
            (
                f.area_team_id,
                Some(f.user_id),
                if scope_id == who.user_id { format!("{} ({})", who.display_name, who.role.label()) } else { format!("Officer {scope_id}") },
            )
        }
        "patch" => {
            let p = store.patches(who.area_team_id).await?.into_iter().find(|p| p.id == scope_id);
            let p = p.ok_or_else(|| AppError::Forbidden("Only the area's Team Leader makes links for its patches.".into()))?;
            (who.area_team_id, None, format!("Patch {}", p.name))
        }
        "visit" => {
            let (officer, area, label) = store.visit_scope(scope_id).await?.ok_or_else(|| AppError::NotFound(format!("Visit {scope_id}")))?;
            (Some(area), officer, label)
        }
        "partner" => {
            // The rule first: only an administrator learns whether an agency exists.
            feedback::may_create_link(who, scope_type, None, None).map_err(AppError::Forbidden)?;
            let agency =
                store.agencies().await?.into_iter().find(|a| a.id == scope_id).ok_or_else(|| AppError::NotFound(format!("No active agency {scope_id}.")))?;
            (None, None, format!("Partner feedback: {}", agency.name))
        }
        _ => (None, None, String::new()),
    };
    feedback::may_create_link(who, scope_type, target_area, target_user).map_err(AppError::Forbidden)?;
    let label = if label.is_empty() { default_label } else { label.to_string() };
    let entry = crate::api::kit::audit::change(who, &meta.ip, "feedback.link.create", "feedback_link", None, format!("{scope_type} {scope_id}: {label}"));
    let id = store.create_feedback_link(scope_type, scope_id, &label, who.user_id, entry).await?;
    let link = store.feedback_links(Some(who.user_id)).await?.into_iter().find(|l| l.id == id).ok_or(AppError::Internal)?;
    Ok(with_qr(link, settings, &meta.origin))
}

/// Turns a comment into a case in one step (a complaint, a safeguarding concern, casework),
/// with its clock; audited.
pub async fn case_from_comment(store: &dyn Store, who: &Principal, response_id: i64, kind: &str, ip: &str) -> Result<String, AppError> {
    let scope = feedback::case_scope(who).map_err(AppError::Forbidden)?;
    let (kind, deadline) = feedback::comment_case(kind).map_err(AppError::Invalid)?;
    let clock = Clock::now(store).await?;
    let entry = crate::api::kit::audit::change(who, ip, "feedback.case.open", "feedback_response", Some(response_id), kind.as_str().into());
    let case = crate::api::feedback::store::NewFeedbackCase {
        response_id,
        scope,
        kind,
        deadline,
        today: clock.today,
        calendar: clock.calendar,
        by: who.user_id,
        by_role: who.role,
    };
    store.case_from_feedback(case, entry).await
}
