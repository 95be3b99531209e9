//! Feedback from tenants and partner agencies: the questions (the Regulator's TSM wording where
//! it fits), what a valid answer is, and how answers add up to satisfaction figures.
//! Pure: the public form, the API and the results page all use these rules.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::clock::Deadline;
use super::tsm::{Answers, Tenths};

/// The longest free-text answer we keep (characters); longer is refused, not cut.
pub const MAX_COMMENT_CHARS: usize = 2000;
pub const MAX_NAME_CHARS: usize = 100;
pub const MAX_CONTACT_CHARS: usize = 200;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Scale {
    /// Very satisfied … very dissatisfied.
    Satisfaction,
    /// Strongly agree … strongly disagree (TP08).
    Agreement,
}

impl Scale {
    /// The five answers, best first, as stored codes.
    pub fn codes(self) -> [&'static str; 5] {
        match self {
            Scale::Satisfaction => ["very_satisfied", "fairly_satisfied", "neither", "fairly_dissatisfied", "very_dissatisfied"],
            Scale::Agreement => ["strongly_agree", "agree", "neither", "disagree", "strongly_disagree"],
        }
    }
    pub fn labels(self) -> [&'static str; 5] {
        match self {
            Scale::Satisfaction => ["Very satisfied", "Fairly satisfied", "Neither satisfied nor dissatisfied", "Fairly dissatisfied", "Very dissatisfied"],
            Scale::Agreement => ["Strongly agree", "Agree", "Neither agree nor disagree", "Disagree", "Strongly disagree"],
        }
    }
    /// 1 (best) … 5, or 0 for "don't know / not applicable".
    pub fn position(self, code: &str) -> Option<u8> {
        if code == DONT_KNOW {
            return Some(0);
        }
        self.codes().iter().position(|c| *c == code).map(|i| i as u8 + 1)
    }
}

pub const DONT_KNOW: &str = "dont_know";

/// Who the form is for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Audience {
    Tenant,
    Partner,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Question {
    /// The key in stored answers and form fields: the TSM code (`TP01`) or our own (`HMO1`).
    pub key: &'static str,
    /// Whether it counts towards a Tenant Satisfaction Measure.
    pub tsm: bool,
    pub text: &'static str,
    pub hint: &'static str,
    pub scale: Scale,
    /// Offer "Don't know / not applicable" (the Regulator records it for TP05–TP08, TP11, TP12).
    pub dont_know: bool,
}

const fn q(key: &'static str, tsm: bool, text: &'static str, hint: &'static str, scale: Scale, dont_know: bool) -> Question {
    Question { key, tsm, text, hint, scale, dont_know }
}

/// The tenant form: TP01, TP06, TP07, TP08 and TP12 in the Regulator's words (with "the
/// council" for "[your landlord]"), then the officer.
pub const TENANT_QUESTIONS: [Question; 6] = [
    q(
        "TP01",
        true,
        "Taking everything into account, how satisfied or dissatisfied are you with the service provided by the council?",
        "",
        Scale::Satisfaction,
        false,
    ),
    q("TP06", true, "How satisfied or dissatisfied are you that the council listens to your views and acts upon them?", "", Scale::Satisfaction, true),
    q(
        "TP07",
        true,
        "How satisfied or dissatisfied are you that the council keeps you informed about things that matter to you?",
        "",
        Scale::Satisfaction,
        true,
    ),
    q(
        "TP08",
        true,
        "To what extent do you agree or disagree with the following: \u{201c}the council treats me fairly and with respect\u{201d}?",
        "",
        Scale::Agreement,
        true,
    ),
    q(
        "TP12",
        true,
        "How satisfied or dissatisfied are you with the council's approach to handling anti-social behaviour?",
        "Choose \u{201c}Don't know or not applicable\u{201d} if you have not needed it.",
        Scale::Satisfaction,
        true,
    ),
    q(
        "HMO1",
        false,
        "How satisfied or dissatisfied are you with the help from your housing officer?",
        "The officer who looks after your home or your case.",
        Scale::Satisfaction,
        true,
    ),
];

/// The partner form: how the Housing Management Officers' new roles work for an agency.
pub const PARTNER_QUESTIONS: [Question; 3] = [
    q("PA1", false, "How satisfied or dissatisfied are you with how the council's housing officers work with your agency?", "", Scale::Satisfaction, false),
    q(
        "PA2",
        false,
        "To what extent do you agree or disagree: \u{201c}it is clear which housing officer to contact about a tenant\u{201d}?",
        "Since the Introductory, Community and Sustainable Tenancy roles began.",
        Scale::Agreement,
        true,
    ),
    q(
        "PA3",
        false,
        "To what extent do you agree or disagree: \u{201c}housing officers respond to our referrals within the agreed time\u{201d}?",
        "",
        Scale::Agreement,
        true,
    ),
];

pub fn questions(audience: Audience) -> &'static [Question] {
    match audience {
        Audience::Tenant => &TENANT_QUESTIONS,
        Audience::Partner => &PARTNER_QUESTIONS,
    }
}

/// Every question either form asks, for results.
pub fn all_questions() -> impl Iterator<Item = &'static Question> {
    TENANT_QUESTIONS.iter().chain(PARTNER_QUESTIONS.iter())
}

pub fn question(key: &str) -> Option<&'static Question> {
    all_questions().find(|q| q.key == key)
}

/// A form as it arrived: field name → what was typed or chosen. Kept whole so a refused
/// form is shown again exactly as the person left it.
pub type Fields = BTreeMap<String, String>;

/// A valid submission, ready to store.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Submission {
    /// Question key → answer code.
    pub answers: BTreeMap<String, String>,
    pub comment: String,
    /// Present only when the person asked for a reply.
    pub contact_name: Option<String>,
    pub contact_detail: Option<String>,
    pub idempotency_key: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FieldError {
    pub field: String,
    /// A stable code (`choose_answer`, `comment_too_long`...): translations of the form key on it.
    pub code: String,
    pub message: String,
}

/// Why a submission was not taken. `Bot` is answered like success so a bot learns nothing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Refusal {
    Invalid(Vec<FieldError>),
    Bot,
}

/// The hidden field people never see or fill in; bots fill in everything.
pub const HONEYPOT: &str = "website";

fn err(field: &str, code: &str, message: impl Into<String>) -> FieldError {
    FieldError { field: field.into(), code: code.into(), message: message.into() }
}

/// Checks a form. Every problem is reported at once, against its field, in words a tenant reads.
pub fn validate(audience: Audience, f: &Fields) -> Result<Submission, Refusal> {
    let get = |k: &str| f.get(k).map(|s| s.trim()).unwrap_or("");
    if !get(HONEYPOT).is_empty() {
        return Err(Refusal::Bot);
    }
    let mut errors = Vec::new();
    let mut answers = BTreeMap::new();
    for q in questions(audience) {
        let a = get(q.key);
        if a.is_empty() {
            continue;
        }
        match q.scale.position(a) {
            Some(0) if !q.dont_know => errors.push(err(q.key, "choose_answer", "Choose one of the answers given")),
            Some(_) => {
                answers.insert(q.key.to_string(), a.to_string());
            }
            None => errors.push(err(q.key, "choose_answer", "Choose one of the answers given")),
        }
    }
    let comment = f.get("comment").map(|s| s.trim().to_string()).unwrap_or_default();
    let comment_len = comment.chars().count();
    if comment_len > MAX_COMMENT_CHARS {
        errors.push(err("comment", "comment_too_long", format!("Your comments must be {MAX_COMMENT_CHARS} characters or fewer: you have {comment_len}")));
    }
    if answers.is_empty() && comment.is_empty() && errors.is_empty() {
        errors.push(err(questions(audience)[0].key, "answer_something", "Answer at least one question or write a comment"));
    }
    let wants_reply = get("reply") == "yes";
    let (mut contact_name, mut contact_detail) = (None, None);
    if wants_reply {
        let name = get("contact_name");
        let detail = get("contact_detail");
        if name.is_empty() {
            errors.push(err("contact_name", "name_missing", "Enter your name, or choose not to be contacted"));
        } else if name.chars().count() > MAX_NAME_CHARS {
            errors.push(err("contact_name", "name_too_long", format!("Your name must be {MAX_NAME_CHARS} characters or fewer")));
        }
        if detail.is_empty() {
            errors.push(err("contact_detail", "contact_missing", "Enter an email address or phone number, or choose not to be contacted"));
        } else if detail.chars().count() > MAX_CONTACT_CHARS {
            errors.push(err(
                "contact_detail",
                "contact_too_long",
                format!("Your email address or phone number must be {MAX_CONTACT_CHARS} characters or fewer"),
            ));
        } else if !looks_like_contact(detail) {
            errors.push(err("contact_detail", "contact_invalid", "Enter an email address like name@example.com or a phone number like 01632 960123"));
        }
        contact_name = Some(name.to_string());
        contact_detail = Some(detail.to_string());
    } else if !matches!(get("reply"), "" | "no") {
        errors.push(err("reply", "reply_missing", "Choose whether you would like a reply"));
    }
    let key = get("idempotency_key");
    if key.len() < 16 || key.len() > 64 || !key.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
        errors.push(err("idempotency_key", "expired", "This form has expired: reload the page and try again"));
    }
    if !errors.is_empty() {
        return Err(Refusal::Invalid(errors));
    }
    Ok(Submission { answers, comment, contact_name, contact_detail, idempotency_key: key.to_string() })
}

/// An email address (something@something.something) or a UK-style phone number (10–13 digits).
pub fn looks_like_contact(s: &str) -> bool {
    if let Some((user, domain)) = s.split_once('@') {
        return !user.is_empty() && !s.contains(char::is_whitespace) && domain.contains('.') && !domain.starts_with('.') && !domain.ends_with('.');
    }
    let digits = s.chars().filter(char::is_ascii_digit).count();
    s.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c)) && (10..=13).contains(&digits)
}

/// One stored response as results read it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ResponseFacts {
    /// `YYYY-MM`.
    pub month: String,
    pub role: Option<String>,
    pub area: Option<String>,
    pub patch: Option<String>,
    pub officer: Option<String>,
    /// The same three as stored ids, for the comment filters' choices.
    #[serde(default)]
    pub area_id: Option<i64>,
    #[serde(default)]
    pub patch_id: Option<i64>,
    #[serde(default)]
    pub officer_id: Option<i64>,
    pub answers: BTreeMap<String, String>,
}

/// Satisfaction for one measure in one group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    pub measure: String,
    pub percent: Option<Tenths>,
    /// Substantive answers (the base); "don't know" is not in it.
    pub base: i64,
    pub satisfied: i64,
    pub dont_know: i64,
}

/// The figures for one group (the whole council, an area, a patch, an officer or a month).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    pub group: String,
    pub responses: i64,
    pub figures: Vec<Figure>,
}

/// How to group responses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    All,
    Role,
    Area,
    Patch,
    Officer,
    Month,
}

impl GroupBy {
    pub const ALL: [GroupBy; 6] = [GroupBy::All, GroupBy::Role, GroupBy::Area, GroupBy::Patch, GroupBy::Officer, GroupBy::Month];
    pub fn label(self) -> &'static str {
        match self {
            GroupBy::All => "Whole council",
            GroupBy::Role => "HMO role",
            GroupBy::Area => "Area team",
            GroupBy::Patch => "Patch",
            GroupBy::Officer => "Officer",
            GroupBy::Month => "Month",
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::All => "all",
            GroupBy::Role => "role",
            GroupBy::Area => "area",
            GroupBy::Patch => "patch",
            GroupBy::Officer => "officer",
            GroupBy::Month => "month",
        }
    }
    pub fn parse(s: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.as_str() == s)
    }
    fn key(self, r: &ResponseFacts) -> String {
        let or_none = |v: &Option<String>| v.clone().unwrap_or_else(|| "Not recorded".into());
        match self {
            GroupBy::All => "All responses".into(),
            GroupBy::Role => r.role.as_deref().and_then(crate::domain::Role::parse).map(|x| x.label().to_string()).unwrap_or_else(|| or_none(&r.role)),
            GroupBy::Area => or_none(&r.area),
            GroupBy::Patch => or_none(&r.patch),
            GroupBy::Officer => or_none(&r.officer),
            GroupBy::Month => r.month.clone(),
        }
    }
}

/// Adds up responses per group and measure with the Regulator's arithmetic. Groups come out
/// in order (months oldest first); measures in question order.
pub fn figures(responses: &[ResponseFacts], by: GroupBy, measures: &[&str]) -> Vec<GroupFigures> {
    let mut groups: BTreeMap<String, (i64, BTreeMap<&str, Answers>)> = BTreeMap::new();
    for r in responses {
        let g = groups.entry(by.key(r)).or_default();
        g.0 += 1;
        for m in measures {
            let Some(code) = r.answers.get(*m) else { continue };
            let Some(q) = question(m) else { continue };
            if let Some(pos) = q.scale.position(code) {
                g.1.entry(m).or_default().add(pos);
            }
        }
    }
    let whole = |t: super::tsm::Tally| t.0 / super::tsm::Tally::ONE.0;
    groups
        .into_iter()
        .map(|(group, (responses, per))| GroupFigures {
            group,
            responses,
            figures: measures
                .iter()
                .map(|m| {
                    let a = per.get(m).copied().unwrap_or_default();
                    Figure {
                        measure: m.to_string(),
                        percent: a.percent(),
                        base: whole(a.base()),
                        satisfied: whole(a.satisfied()),
                        dont_know: whole(a.dont_know),
                    }
                })
                .collect(),
        })
        .collect()
}

/// Whose feedback someone may read: everything (administrators), their area (Team Leaders),
/// or responses about themselves (Housing Management Officers).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ResultsScope {
    pub area_team_id: Option<i64>,
    pub officer_id: Option<i64>,
}

pub fn results_scope(who: &super::access::Principal) -> Result<ResultsScope, String> {
    use super::Role;
    match who.role {
        Role::Admin => Ok(ResultsScope { area_team_id: None, officer_id: None }),
        Role::TeamLeader => who
            .area_team_id
            .map(|a| ResultsScope { area_team_id: Some(a), officer_id: None })
            .ok_or_else(|| "A Team Leader without an area team sees no feedback.".into()),
        r if r.is_hmo() => Ok(ResultsScope { area_team_id: None, officer_id: Some(who.user_id) }),
        _ => Err("Feedback results are for housing officers, Team Leaders and administrators.".into()),
    }
}

/// What a feedback link may point at, for the person making it: officers make their own
/// link; Team Leaders make links for their area's patches and officers; administrators make a
/// partner agency's link (agencies work council-wide and only administrators read partner
/// figures, so an area's Team Leader does not). For a partner link, `target_area` and
/// `target_user` are both `None` and the agency's existence is the caller's to check.
pub fn may_create_link(who: &super::access::Principal, scope_type: &str, target_area: Option<i64>, target_user: Option<i64>) -> Result<(), String> {
    use super::Role;
    match (scope_type, who.role) {
        ("partner", Role::Admin) => Ok(()),
        ("partner", _) => Err("Only an administrator makes a partner agency's feedback link.".into()),
        ("officer", r) if r.is_hmo() && target_user == Some(who.user_id) => Ok(()),
        ("officer" | "patch", Role::TeamLeader) if target_area.is_some() && target_area == who.area_team_id => Ok(()),
        ("visit", r) if r.is_hmo() && target_user == Some(who.user_id) => Ok(()),
        ("visit", Role::TeamLeader) if target_area.is_some() && target_area == who.area_team_id => Ok(()),
        ("officer", _) => Err("You can make a feedback link for yourself; a Team Leader can make one for an officer in their team.".into()),
        ("patch", _) => Err("Only the area's Team Leader makes links for its patches.".into()),
        ("visit", _) => Err("Only the officer who made the visit, or their Team Leader, makes a feedback link for it.".into()),
        _ => Err(format!("Unknown kind of link {scope_type:?}: choose officer, patch, visit or partner.")),
    }
}

/// Which comments to list, within what the reader may see: some words, and the figures'
/// dimensions (an area team, a patch, an officer), each by its id; `None` means any.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommentFilter {
    pub contains: String,
    pub area_team_id: Option<i64>,
    pub patch_id: Option<i64>,
    pub officer_id: Option<i64>,
}

impl CommentFilter {
    /// From a form or query: blank words and ids of 0 (the "any" choice) or less filter nothing.
    pub fn new(contains: &str, area_team_id: Option<i64>, patch_id: Option<i64>, officer_id: Option<i64>) -> CommentFilter {
        let id = |v: Option<i64>| v.filter(|v| *v > 0);
        CommentFilter { contains: contains.trim().to_string(), area_team_id: id(area_team_id), patch_id: id(patch_id), officer_id: id(officer_id) }
    }
}

/// The choices the comment filters offer: each area team, patch and officer that the responses
/// in view are about, as (id, name), by name.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterOptions {
    pub areas: Vec<(i64, String)>,
    pub patches: Vec<(i64, String)>,
    pub officers: Vec<(i64, String)>,
}

pub fn filter_options(responses: &[ResponseFacts]) -> FilterOptions {
    fn collect(pairs: impl Iterator<Item = (Option<i64>, Option<String>)>) -> Vec<(i64, String)> {
        let set: std::collections::BTreeSet<(String, i64)> = pairs.filter_map(|(id, name)| Some((name?, id?))).collect();
        set.into_iter().map(|(name, id)| (id, name)).collect()
    }
    FilterOptions {
        areas: collect(responses.iter().map(|r| (r.area_id, r.area.clone()))),
        patches: collect(responses.iter().map(|r| (r.patch_id, r.patch.clone()))),
        officers: collect(responses.iter().map(|r| (r.officer_id, r.officer.clone()))),
    }
}

/// How long a response is kept (with its comment and any contact details): the privacy notice
/// promises it and the server's housekeeping deletes what is older.
pub const RETENTION_YEARS: u32 = 2;

/// The first day whose responses are still kept: anything submitted before it is deleted.
pub fn retention_cutoff(today: chrono::NaiveDate) -> chrono::NaiveDate {
    today.checked_sub_months(chrono::Months::new(12 * RETENTION_YEARS)).unwrap_or(chrono::NaiveDate::MIN)
}

/// A trusted proxy says the client came by HTTPS: the first `X-Forwarded-Proto` value (the first
/// proxy's word), believed only behind `HEARTH_TRUST_PROXY`.
pub fn proxy_says_https(forwarded_proto: Option<&str>, trust_proxy: bool) -> bool {
    trust_proxy && forwarded_proto.and_then(|p| p.split(',').next()).is_some_and(|p| p.trim().eq_ignore_ascii_case("https"))
}

/// The origin (`scheme://host[:port]`) a request reached Hearth at, for absolute links and QR
/// codes when no public address is configured. The scheme is https only when a trusted proxy
/// says so (`X-Forwarded-Proto`, under the `HEARTH_TRUST_PROXY` rule for `X-Forwarded-For`).
/// A Host that is not a plain host name, address and port gives `None`.
pub fn request_origin(host: Option<&str>, forwarded_proto: Option<&str>, trust_proxy: bool) -> Option<String> {
    let host = host?.trim();
    let plain = !host.is_empty() && host.len() <= 255 && host.bytes().all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b));
    if !plain {
        return None;
    }
    let https = proxy_says_https(forwarded_proto, trust_proxy);
    Some(format!("{}://{}", if https { "https" } else { "http" }, host.to_ascii_lowercase()))
}

/// A link's address as printed and put in its QR code: the configured public address
/// (`HEARTH_PUBLIC_URL`) if there is one, else the origin the request came to.
pub fn link_url(public_url: Option<&str>, request_origin: &str, path: &str) -> String {
    let base = public_url.map(str::trim).filter(|u| !u.is_empty()).unwrap_or(request_origin);
    format!("{}{path}", base.trim_end_matches('/'))
}

/// What a comment can become in one step, with the time the council has to act:
/// a complaint (Complaint Handling Code: respond at stage 1 within 10 working days), a
/// safeguarding concern (the same day, Haringey's standard in seeds/003; need-to-know), or
/// housing casework.
pub const COMMENT_CASES: [(super::CaseKind, Deadline); 5] = [
    (super::CaseKind::Complaint, Deadline::WorkingDays(10)),
    (super::CaseKind::Safeguarding, Deadline::SAFEGUARDING_CONCERN),
    (super::CaseKind::Asb, Deadline::WorkingDays(5)),
    (super::CaseKind::Disrepair, Deadline::DISREPAIR_REFERRAL),
    (super::CaseKind::Vulnerability, Deadline::WorkingDays(5)),
];

/// The kind and timescale for a comment turned into a case, if that kind is offered.
pub fn comment_case(kind: &str) -> Result<(super::CaseKind, Deadline), String> {
    COMMENT_CASES.iter().find(|(k, _)| k.as_str() == kind).copied().ok_or_else(|| {
        format!("Choose what the comment needs: {}.", COMMENT_CASES.iter().map(|(k, _)| k.label().to_lowercase()).collect::<Vec<_>>().join(", "))
    })
}

/// Who holds a case opened from a comment. The officer the comment is about, if still active,
/// except for a complaint: that is never held by the person it is about (the Housing Ombudsman's
/// Complaint Handling Code, statutory since 1 April 2024, requires complaints be handled fairly
/// and impartially), so whoever opens it holds it, and the officer it is about may not open it.
pub fn case_holder(kind: super::CaseKind, about: Option<i64>, about_active: bool, opener: i64) -> Result<i64, String> {
    match (kind, about) {
        (super::CaseKind::Complaint, Some(o)) if o == opener => {
            Err("A complaint about your own work is handled by someone else: your Team Leader opens it (Complaint Handling Code).".into())
        }
        (super::CaseKind::Complaint, _) => Ok(opener),
        (_, Some(o)) if about_active => Ok(o),
        _ => Ok(opener),
    }
}

/// The day a case opened from a comment written on `written` falls due. A complaint's clock
/// runs from when the tenant made it, not from when an officer turned it into a case: stage 1 is
/// acknowledged within 5 working days of receipt and answered within 10 of the acknowledgement
/// (Complaint Handling Code 2024, 5.4 and 5.6). Other kinds run from `today` by their deadline.
pub fn comment_case_due(kind: super::CaseKind, deadline: Deadline, written: NaiveDate, today: NaiveDate, cal: &super::clock::WorkingCalendar) -> NaiveDate {
    match kind {
        super::CaseKind::Complaint => super::clock::ComplaintStage::Stage1.latest_respond_by(written, cal),
        _ => deadline.due_on(today, cal),
    }
}

/// Who may open a case from a comment: the Team Leader of the comment's area, or the officer it
/// is about. Administrators and others do no casework.
pub fn case_scope(who: &super::access::Principal) -> Result<ResultsScope, String> {
    use super::Role;
    match who.role {
        Role::TeamLeader | Role::IntroductoryHmo | Role::CommunityHmo | Role::SustainableHmo => results_scope(who),
        _ => Err("Cases are opened by the officer the comment is about or their Team Leader.".into()),
    }
}

/// The case's title from the comment: its first words, on one line.
pub fn case_title(kind: super::CaseKind, comment: &str) -> String {
    let words: String = comment.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = words.chars().take(60).collect();
    format!("{} from tenant feedback: {}{}", kind.label(), short, if words.chars().count() > 60 { "…" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fields(pairs: &[(&str, &str)]) -> Fields {
        pairs.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect()
    }
    const KEY: (&str, &str) = ("idempotency_key", "0123456789abcdef-key");

    #[test]
    fn a_tenant_answers_some_questions() {
        let s = validate(
            Audience::Tenant,
            &fields(&[("TP01", "fairly_satisfied"), ("TP08", "strongly_agree"), ("TP12", DONT_KNOW), ("comment", "  Thanks  "), KEY]),
        )
        .unwrap();
        assert_eq!(s.answers.len(), 3);
        assert_eq!(s.comment, "Thanks");
        assert_eq!((s.contact_name, s.contact_detail), (None, None), "anonymous unless a reply is asked for");
    }

    #[test]
    fn wrong_answers_are_explained_field_by_field() {
        let e = match validate(
            Audience::Tenant,
            &fields(&[("TP01", DONT_KNOW), ("TP08", "very_satisfied"), ("TP06", "<script>"), ("reply", "yes"), ("contact_detail", "not a contact"), KEY]),
        ) {
            Err(Refusal::Invalid(e)) => e,
            other => panic!("{other:?}"),
        };
        let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, ["TP01", "TP06", "TP08", "contact_name", "contact_detail"], "TP01 has no don't-know; TP08 is an agreement scale");
    }

    #[test]
    fn empty_long_and_expired_forms_are_refused() {
        assert!(matches!(validate(Audience::Tenant, &fields(&[KEY])), Err(Refusal::Invalid(e)) if e[0].message.contains("at least one")));
        let long = "x".repeat(MAX_COMMENT_CHARS + 1);
        assert!(
            matches!(validate(Audience::Tenant, &fields(&[("comment", &long), KEY])), Err(Refusal::Invalid(e)) if e[0].field == "comment" && e[0].message.contains("2001"))
        );
        assert!(
            matches!(validate(Audience::Tenant, &fields(&[("TP01", "fairly_satisfied"), ("idempotency_key", "short")])), Err(Refusal::Invalid(e)) if e[0].field == "idempotency_key")
        );
        // Characters, not bytes: 2,000 Welsh letters with accents are fine.
        assert!(validate(Audience::Tenant, &fields(&[("comment", &"ŵ".repeat(MAX_COMMENT_CHARS)), KEY])).is_ok());
    }

    #[test]
    fn the_honeypot_catches_bots() {
        assert_eq!(validate(Audience::Tenant, &fields(&[("TP01", "fairly_satisfied"), (HONEYPOT, "http://spam"), KEY])), Err(Refusal::Bot));
    }

    #[test]
    fn contact_details_for_a_reply() {
        let s = validate(
            Audience::Tenant,
            &fields(&[("TP01", "very_satisfied"), ("reply", "yes"), ("contact_name", "Ann"), ("contact_detail", "01904 551550"), KEY]),
        )
        .unwrap();
        assert_eq!(s.contact_detail.as_deref(), Some("01904 551550"));
        for ok in ["ann@example.org", "+44 1904 551550", "07700 900123"] {
            assert!(looks_like_contact(ok), "{ok}");
        }
        for bad in ["ann@", "@x.org", "ann@x", "12345", "call me", "ann @x.org"] {
            assert!(!looks_like_contact(bad), "{bad}");
        }
    }

    #[test]
    fn partner_questions_are_their_own() {
        assert!(validate(Audience::Partner, &fields(&[("PA1", "fairly_satisfied"), KEY])).is_ok());
        assert!(
            matches!(validate(Audience::Partner, &fields(&[("TP01", "fairly_satisfied"), KEY])), Err(Refusal::Invalid(_))),
            "tenant questions are not on it"
        );
    }

    #[test]
    fn figures_follow_the_regulator() {
        let r = |month: &str, area: &str, tp01: &str| ResponseFacts {
            month: month.into(),
            role: Some("community_hmo".into()),
            area: Some(area.into()),
            patch: None,
            officer: None,
            area_id: None,
            patch_id: None,
            officer_id: None,
            answers: [("TP01".to_string(), tp01.to_string())].into(),
        };
        let rs = vec![
            r("2026-10", "East", "very_satisfied"),
            r("2026-10", "East", "fairly_dissatisfied"),
            r("2026-11", "West", "fairly_satisfied"),
            r("2026-11", "West", DONT_KNOW),
            r("2026-11", "East", "neither"),
        ];
        let all = figures(&rs, GroupBy::All, &["TP01", "TP06"]);
        assert_eq!(all[0].responses, 5);
        assert_eq!(all[0].figures[0].base, 4, "don't know is outside the base");
        assert_eq!(all[0].figures[0].percent, Some(Tenths(500)));
        assert_eq!(all[0].figures[1].percent, None, "nobody answered TP06");
        let months = figures(&rs, GroupBy::Month, &["TP01"]);
        assert_eq!(
            months.iter().map(|g| (g.group.as_str(), g.figures[0].percent)).collect::<Vec<_>>(),
            [("2026-10", Some(Tenths(500))), ("2026-11", Some(Tenths(500)))]
        );
        let areas = figures(&rs, GroupBy::Area, &["TP01"]);
        assert_eq!(areas[0].group, "East");
        assert_eq!(areas[0].figures[0].percent, Some(Tenths(333)));
        assert_eq!(figures(&rs, GroupBy::Role, &["TP01"])[0].group, "Community HMO");
    }

    fn who(role: crate::domain::Role, id: i64, area: Option<i64>) -> crate::domain::access::Principal {
        crate::domain::access::Principal {
            user_id: id,
            username: "u".into(),
            display_name: "U".into(),
            role,
            area_team_id: area,
            area_team: None,
            agency_id: None,
            agency: None,
            covering: vec![],
        }
    }

    #[test]
    fn who_reads_which_feedback() {
        use crate::domain::Role::*;
        assert_eq!(results_scope(&who(Admin, 1, None)), Ok(ResultsScope { area_team_id: None, officer_id: None }));
        assert_eq!(results_scope(&who(TeamLeader, 2, Some(3))), Ok(ResultsScope { area_team_id: Some(3), officer_id: None }));
        assert!(results_scope(&who(TeamLeader, 2, None)).is_err());
        for r in [IntroductoryHmo, CommunityHmo, SustainableHmo] {
            assert_eq!(results_scope(&who(r, 7, Some(1))), Ok(ResultsScope { area_team_id: None, officer_id: Some(7) }), "{r:?}: only about themselves");
        }
        for r in [Partner, AsbOfficer, Legal] {
            assert!(results_scope(&who(r, 9, Some(1))).is_err(), "{r:?}");
        }
    }

    #[test]
    fn who_makes_which_links() {
        use crate::domain::Role::*;
        assert!(may_create_link(&who(CommunityHmo, 7, Some(1)), "officer", Some(1), Some(7)).is_ok());
        assert!(may_create_link(&who(CommunityHmo, 7, Some(1)), "officer", Some(1), Some(8)).is_err(), "not for a colleague");
        assert!(may_create_link(&who(CommunityHmo, 7, Some(1)), "patch", Some(1), None).is_err());
        assert!(may_create_link(&who(TeamLeader, 2, Some(1)), "patch", Some(1), None).is_ok());
        assert!(may_create_link(&who(TeamLeader, 2, Some(1)), "officer", Some(1), Some(8)).is_ok());
        assert!(may_create_link(&who(TeamLeader, 2, Some(1)), "patch", Some(2), None).is_err(), "not another area's patch");
        assert!(may_create_link(&who(Partner, 5, None), "officer", None, Some(5)).is_err());
        assert!(may_create_link(&who(Admin, 1, None), "visit", None, None).is_err());
        // A visit: its officer, or the area's Team Leader; not a colleague, not another area.
        assert!(may_create_link(&who(CommunityHmo, 7, Some(1)), "visit", Some(1), Some(7)).is_ok());
        assert!(may_create_link(&who(CommunityHmo, 7, Some(1)), "visit", Some(1), Some(8)).is_err());
        assert!(may_create_link(&who(TeamLeader, 2, Some(1)), "visit", Some(1), Some(8)).is_ok());
        assert!(may_create_link(&who(TeamLeader, 2, Some(1)), "visit", Some(2), Some(8)).is_err());
        assert!(may_create_link(&who(CommunityHmo, 7, Some(1)), "case", Some(1), Some(7)).unwrap_err().contains("officer, patch, visit or partner"));
    }

    #[test]
    fn administrators_make_partner_links() {
        use crate::domain::Role::*;
        assert!(may_create_link(&who(Admin, 1, None), "partner", None, None).is_ok());
        for (r, area) in [
            (TeamLeader, Some(1)),
            (CommunityHmo, Some(1)),
            (IntroductoryHmo, Some(1)),
            (SustainableHmo, Some(1)),
            (Partner, None),
            (AsbOfficer, Some(1)),
            (Legal, None),
        ] {
            assert!(may_create_link(&who(r, 5, area), "partner", None, None).unwrap_err().contains("administrator"), "{r:?}");
        }
        // An administrator still makes no officer, patch or visit links.
        for kind in ["officer", "patch", "visit"] {
            assert!(may_create_link(&who(Admin, 1, None), kind, Some(1), Some(1)).is_err(), "{kind}");
        }
    }

    #[test]
    fn comment_filters_offer_what_is_in_view() {
        let r = |area: (i64, &str), patch: Option<(i64, &str)>, officer: Option<(i64, &str)>| ResponseFacts {
            month: "2026-11".into(),
            role: None,
            area: Some(area.1.into()),
            patch: patch.map(|p| p.1.into()),
            officer: officer.map(|o| o.1.into()),
            area_id: Some(area.0),
            patch_id: patch.map(|p| p.0),
            officer_id: officer.map(|o| o.0),
            answers: BTreeMap::new(),
        };
        let rs = [
            r((2, "West"), Some((9, "Acomb")), Some((7, "Bea"))),
            r((1, "East"), Some((3, "Tang Hall")), Some((7, "Bea"))),
            r((1, "East"), None, None),
            r((1, "East"), Some((4, "Heworth")), Some((8, "Al"))),
        ];
        let o = filter_options(&rs);
        assert_eq!(o.areas, [(1, "East".to_string()), (2, "West".to_string())], "each once, by name");
        assert_eq!(o.patches.iter().map(|p| p.0).collect::<Vec<_>>(), [9, 4, 3]);
        assert_eq!(o.officers, [(8, "Al".to_string()), (7, "Bea".to_string())]);
        assert_eq!(
            CommentFilter::new("  leak ", Some(0), Some(-1), Some(7)),
            CommentFilter { contains: "leak".into(), area_team_id: None, patch_id: None, officer_id: Some(7) }
        );
    }

    #[test]
    fn responses_are_kept_two_years() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(RETENTION_YEARS, 2);
        assert_eq!(retention_cutoff(d("2026-11-29")), d("2024-11-29"));
        assert_eq!(retention_cutoff(d("2028-02-29")), d("2026-02-28"), "a leap day keeps to the month's end");
    }

    #[test]
    fn links_are_absolute_from_the_request_unless_configured() {
        assert_eq!(request_origin(Some("hearth.example.org"), None, false).as_deref(), Some("http://hearth.example.org"));
        assert_eq!(request_origin(Some("Hearth.example.org:8443"), Some("https"), true).as_deref(), Some("https://hearth.example.org:8443"));
        assert_eq!(
            request_origin(Some("hearth.example.org"), Some("https"), false).as_deref(),
            Some("http://hearth.example.org"),
            "an untrusted proxy header is ignored"
        );
        assert_eq!(request_origin(Some("h.example"), Some("https, http"), true).as_deref(), Some("https://h.example"), "the first proxy's word");
        assert_eq!(request_origin(Some("[::1]:3000"), None, false).as_deref(), Some("http://[::1]:3000"));
        for bad in [None, Some(""), Some("evil.example/path"), Some("a b"), Some("x\"'")] {
            assert_eq!(request_origin(bad, None, false), None, "{bad:?}");
        }
        assert_eq!(link_url(None, "http://h.example", "/feedback/abc"), "http://h.example/feedback/abc");
        assert_eq!(link_url(Some("https://york.example/housing/"), "http://h.example", "/feedback/abc"), "https://york.example/housing/feedback/abc");
        assert_eq!(link_url(Some("  "), "http://h.example", "/feedback/abc"), "http://h.example/feedback/abc", "blank is unset");
    }

    #[test]
    fn comments_become_cases_with_their_clocks() {
        use crate::domain::{CaseKind, Role::*};
        assert_eq!(comment_case("complaint"), Ok((CaseKind::Complaint, Deadline::WorkingDays(10))));
        // Complaint Handling Code: never held by the person it is about; the clock runs from
        // when the tenant wrote (5.4: acknowledge within 5 working days of receipt; 5.6: answer
        // within 10 working days of the acknowledgement).
        assert!(case_holder(CaseKind::Complaint, Some(7), true, 7).unwrap_err().contains("someone else"));
        assert_eq!(case_holder(CaseKind::Complaint, Some(7), true, 3), Ok(3));
        assert_eq!(case_holder(CaseKind::Disrepair, Some(7), true, 3), Ok(7));
        assert_eq!(case_holder(CaseKind::Disrepair, Some(7), false, 3), Ok(3));
        let cal = super::super::clock::WorkingCalendar::england_and_wales();
        let written = NaiveDate::from_ymd_opt(2026, 11, 2).unwrap();
        let today = NaiveDate::from_ymd_opt(2026, 11, 20).unwrap();
        assert_eq!(comment_case_due(CaseKind::Complaint, Deadline::WorkingDays(10), written, today, cal), NaiveDate::from_ymd_opt(2026, 11, 23).unwrap());
        assert_eq!(comment_case_due(CaseKind::Safeguarding, Deadline::SameDay, written, today, cal), today);
        // Haringey (seeds/003): "Report safeguarding concern – same day".
        assert_eq!(comment_case("safeguarding").map(|(k, d)| (k.is_restricted(), d)), Ok((true, Deadline::SameDay)), "need-to-know, the same day");
        assert!(comment_case("arrears").unwrap_err().contains("complaint"), "only the kinds offered");
        assert!(case_scope(&who(Admin, 1, None)).is_err(), "administrators do no casework");
        assert_eq!(case_scope(&who(TeamLeader, 2, Some(3))), Ok(ResultsScope { area_team_id: Some(3), officer_id: None }));
        assert_eq!(case_scope(&who(CommunityHmo, 7, Some(3))), Ok(ResultsScope { area_team_id: None, officer_id: Some(7) }));
        assert!(case_scope(&who(Legal, 8, None)).is_err());
        let t = case_title(CaseKind::Complaint, "Nobody  came\nabout the leak in my kitchen ceiling for three weeks and the damp is spreading now");
        assert!(t.starts_with("Complaint from tenant feedback: Nobody came about the leak"), "{t}");
        assert!(t.ends_with('…'));
    }
}
