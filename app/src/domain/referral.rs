//! Referrals to partner agencies, as pure rules: what may leave the council (field by field,
//! from a default per agency and category), the lifecycle (who may move a referral from which
//! state), the response clock by urgency, and who sees a referral at all.
//!
//! Partner users see a referral only through [`share`]: a snapshot of the chosen fields taken when
//! it is sent. Nothing else about the tenancy is ever loaded for them.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::access::{Denial, Principal, RecordScope, can_view_record};
use super::clock::{Deadline, WorkingCalendar};
use super::codes::code_enum;
use super::{AgencyKind, LawfulBasis, ReferralCategory, ReferralStatus, Role, Urgency};
use crate::domain::Pence;

code_enum!(
    /// A fact about the household an officer may choose to share with an agency.
    SharedField {
        Name = "name": "Tenant's name",
        Address = "address": "Address",
        Contact = "contact": "Tenant's phone and email",
        DateOfBirth = "date_of_birth": "Tenant's date of birth",
        Household = "household": "Household members and their ages",
        Alerts = "alerts": "Alerts and vulnerabilities",
        Rent = "rent": "Rent balance",
        Tenure = "tenure": "Tenure",
    }
);

code_enum!(
    /// A change to a referral's state.
    ReferralMove {
        Send = "send": "Send to the agency",
        Withdraw = "withdraw": "Withdraw",
        Accept = "accept": "Accept",
        Decline = "decline": "Decline",
        Start = "start": "Start work",
        Close = "close": "Close with an outcome",
    }
);

/// Which side of a referral someone acts on.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The referring officer (or whoever covers for them) and their Team Leader.
    Council,
    /// A user of the agency the referral was made to.
    Agency,
}

impl Side {
    pub fn as_str(self) -> &'static str {
        match self {
            Side::Council => "council",
            Side::Agency => "agency",
        }
    }
    pub fn parse(s: &str) -> Option<Side> {
        match s {
            "council" => Some(Side::Council),
            "agency" => Some(Side::Agency),
            _ => None,
        }
    }
}

/// What an agency sees by default: enough to make contact, plus what its work needs.
/// The officer can add or remove fields; nothing is shared that is not ticked.
pub fn default_fields(agency: AgencyKind, category: ReferralCategory) -> Vec<SharedField> {
    use SharedField::*;
    let mut fields = vec![Name, Address, Contact];
    let extra: &[SharedField] = match agency {
        AgencyKind::AdultSocialCare => &[DateOfBirth, Household, Alerts],
        AgencyKind::Police => &[],
        AgencyKind::MentalHealth => &[DateOfBirth, Alerts],
        AgencyKind::Mediation => &[],
        AgencyKind::ChildrensServices => &[DateOfBirth, Household],
        AgencyKind::Fire => &[Household, Alerts],
        AgencyKind::DrugIntervention => &[DateOfBirth],
        AgencyKind::FinancialInclusion => &[Household, Rent, Tenure],
        AgencyKind::Marac => &[DateOfBirth, Household, Alerts],
    };
    fields.extend_from_slice(extra);
    match category {
        ReferralCategory::Financial => fields.push(Rent),
        ReferralCategory::Safeguarding => fields.push(Household),
        _ => {}
    }
    fields.sort();
    fields.dedup();
    fields
}

/// One person in the household, as shared (no date of birth: the age is enough).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SharedPerson {
    pub name: String,
    pub relationship: String,
    pub age: u32,
}

/// Everything about the tenancy that could be shared, read when the referral is made.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct TenantFacts {
    pub name: String,
    pub address: String,
    pub phone: String,
    pub email: String,
    pub date_of_birth: String,
    pub household: Vec<SharedPerson>,
    pub alerts: Vec<String>,
    pub rent_balance: Option<Pence>,
    pub tenure: String,
}

/// What an agency receives: only the fields the officer ticked are present.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct SharedFacts {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub date_of_birth: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub household: Option<Vec<SharedPerson>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alerts: Option<Vec<String>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ssr", schema(value_type = Option<i64>))]
    pub rent_balance: Option<Pence>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenure: Option<String>,
}

/// The snapshot an agency receives: each ticked field, and nothing else.
pub fn share(facts: &TenantFacts, fields: &[SharedField]) -> SharedFacts {
    let has = |f: SharedField| fields.contains(&f);
    SharedFacts {
        name: has(SharedField::Name).then(|| facts.name.clone()),
        address: has(SharedField::Address).then(|| facts.address.clone()),
        phone: has(SharedField::Contact).then(|| facts.phone.clone()),
        email: has(SharedField::Contact).then(|| facts.email.clone()),
        date_of_birth: has(SharedField::DateOfBirth).then(|| facts.date_of_birth.clone()),
        household: has(SharedField::Household).then(|| facts.household.clone()),
        alerts: has(SharedField::Alerts).then(|| facts.alerts.clone()),
        rent_balance: if has(SharedField::Rent) { facts.rent_balance } else { None },
        tenure: has(SharedField::Tenure).then(|| facts.tenure.clone()),
    }
}

/// Parses stored or submitted field codes, refusing unknown ones.
pub fn parse_fields<'a>(codes: impl IntoIterator<Item = &'a str>) -> Result<Vec<SharedField>, String> {
    let mut out = Vec::new();
    for c in codes {
        out.push(SharedField::parse(c.trim()).ok_or_else(|| format!("\"{c}\" is not something Hearth can share."))?);
    }
    out.sort();
    out.dedup();
    Ok(out)
}

impl ReferralMove {
    /// How the move reads on the referral's thread, afterwards.
    pub fn done(self) -> &'static str {
        match self {
            ReferralMove::Send => "Sent to the agency",
            ReferralMove::Withdraw => "Withdrawn by the council",
            ReferralMove::Accept => "Accepted",
            ReferralMove::Decline => "Declined",
            ReferralMove::Start => "Work started",
            ReferralMove::Close => "Closed",
        }
    }
}

/// The moves that need words, and what the words are called.
pub fn move_text(mv: ReferralMove) -> Option<&'static str> {
    match mv {
        ReferralMove::Decline => Some("reason for declining"),
        ReferralMove::Close => Some("outcome"),
        ReferralMove::Withdraw => Some("reason for withdrawing"),
        _ => None,
    }
}

/// The lifecycle: draft → sent → accepted | declined → in progress → closed. The council sends
/// and may withdraw until the work is closed; only the agency accepts, declines, starts and closes.
pub fn next(status: ReferralStatus, mv: ReferralMove, side: Side) -> Result<ReferralStatus, String> {
    use ReferralMove as M;
    use ReferralStatus as S;
    let to = match (side, status, mv) {
        (Side::Council, S::Draft, M::Send) => S::Sent,
        (Side::Council, S::Draft | S::Sent | S::Accepted | S::InProgress, M::Withdraw) => S::Closed,
        (Side::Agency, S::Sent, M::Accept) => S::Accepted,
        (Side::Agency, S::Sent, M::Decline) => S::Declined,
        (Side::Agency, S::Accepted, M::Start) => S::InProgress,
        (Side::Agency, S::Accepted | S::InProgress, M::Close) => S::Closed,
        (_, S::Declined | S::Closed, _) => return Err(format!("This referral is {}; nothing more can change.", status.label().to_lowercase())),
        _ => {
            let who = match side {
                Side::Council => "the council",
                Side::Agency => "the agency",
            };
            return Err(format!("A referral that is {} cannot be moved to \"{}\" by {who}.", status.label().to_lowercase(), mv.label().to_lowercase()));
        }
    };
    Ok(to)
}

/// The moves `side` may make now, in a stable order (what the UI offers).
pub fn available(status: ReferralStatus, side: Side) -> Vec<ReferralMove> {
    ReferralMove::ALL.iter().copied().filter(|m| next(status, *m, side).is_ok()).collect()
}

/// May a message be posted? Both sides, from sending until the referral is declined or closed.
pub fn thread_open(status: ReferralStatus) -> bool {
    OPEN.contains(&status)
}

/// The states in which a referral is live: sent and awaiting an answer, or being worked.
pub const OPEN: [ReferralStatus; 3] = [ReferralStatus::Sent, ReferralStatus::Accepted, ReferralStatus::InProgress];

/// How long an agency has to accept or decline.
pub fn response_deadline(urgency: Urgency) -> Deadline {
    match urgency {
        Urgency::Emergency => Deadline::SameDay,
        Urgency::Urgent => Deadline::WorkingDays(2),
        Urgency::Standard => Deadline::WorkingDays(10),
    }
}

/// When the agency's response falls due, for a referral sent at `sent_at`.
pub fn response_due(sent_at: DateTime<Utc>, urgency: Urgency, cal: &WorkingCalendar) -> DateTime<Utc> {
    response_deadline(urgency).due(sent_at, cal)
}

/// Is the referral waiting for the agency's answer (so its response clock runs)?
pub fn awaiting_response(status: ReferralStatus) -> bool {
    status == ReferralStatus::Sent
}

/// Where a referral sits, for the access rule.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ReferralScope {
    pub agency_id: i64,
    pub status: ReferralStatus,
    /// Area of the referring officer's team; owner = the referring officer; restricted = a
    /// need-to-know category; granted = the viewer is named on the referral.
    pub record: RecordScope,
}

/// How someone sees a referral they may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Viewer {
    /// A council officer: the whole referral, and the tenancy it is about.
    Council { acts: bool },
    /// A user of the agency it was sent to: the shared snapshot and the thread, nothing else.
    Agency,
}

/// May `who` see this referral, and as whom?
///
/// - partner users: only their own agency's referrals, once sent (a draft has not left the council);
/// - administrators: never (they run the system, not casework);
/// - officers: the housing-record rule, with the referring officer as owner, so a MARAC, MAPPA or
///   safeguarding referral is seen only by the referrer (or their cover), the referrer's area Team
///   Leader and people named on it. Acting on it (sending, withdrawing, replying) is for the
///   referrer, their cover and the area's Team Leader.
pub fn can_view(who: &Principal, r: &ReferralScope) -> Result<Viewer, Denial> {
    match who.role {
        Role::Partner => {
            if who.agency_id == Some(r.agency_id) && r.status != ReferralStatus::Draft {
                Ok(Viewer::Agency)
            } else {
                Err(Denial::NotShared)
            }
        }
        Role::Admin => Err(Denial::WrongRole),
        _ => {
            can_view_record(who, &r.record)?;
            let team_leader = who.role == Role::TeamLeader && who.area_team_id == Some(r.record.area_team_id);
            Ok(Viewer::Council { acts: who.acts_for(r.record.owner_id) || team_leader })
        }
    }
}

/// Must the viewer say why before the referral is shown (and the reason be audited)?
pub fn view_needs_reason(r: &ReferralScope) -> bool {
    r.record.restricted
}

/// Is a referral need-to-know inside the council? Its category is (MARAC, MAPPA, safeguarding), or
/// it goes to a MARAC, whatever the category.
pub fn is_restricted(agency: AgencyKind, category: ReferralCategory) -> bool {
    category.is_restricted() || agency == AgencyKind::Marac
}

/// The fewest characters a reason for opening or changing a restricted referral may have.
pub const REASON_MIN_CHARS: usize = 5;

/// Has the caller said why, where the referral needs it? Opening a restricted referral asks for a
/// reason, and so does every change to one (a move, a message, naming someone): each is audited
/// with who, when and why.
pub fn reason_given(r: &ReferralScope, reason: &str) -> bool {
    !view_needs_reason(r) || reason.trim().chars().count() >= REASON_MIN_CHARS
}

/// What a list shows of who a restricted referral concerns: nothing. The name and address are
/// shown only on the referral itself, once the viewer has said why (and the view is audited).
pub use super::access::RESTRICTED_ABOUT;

/// How long an agency's decline or closure stays on the referring officer's *My work*.
pub const ENDED_SHOWN_DAYS: i64 = 14;

/// Does a referral in `status`, last written to by `last_side`, belong on the referring officer's
/// *My work*? While it is live: when the agency has replied or its answer is overdue. Once the
/// agency has declined or closed it: for `ENDED_SHOWN_DAYS` (the store's filter), so a decline is
/// never missed. An officer's own withdrawal is not news to them.
pub fn waits_for_officer(status: ReferralStatus, last_side: Option<Side>, overdue: bool) -> bool {
    let agency_wrote = last_side == Some(Side::Agency);
    match status {
        ReferralStatus::Declined | ReferralStatus::Closed => agency_wrote,
        s if thread_open(s) => agency_wrote || overdue,
        _ => false,
    }
}

/// Which side `who` acts on, if they may act at all.
pub fn side_of(viewer: Viewer) -> Option<Side> {
    match viewer {
        Viewer::Agency => Some(Side::Agency),
        Viewer::Council { acts: true } => Some(Side::Council),
        Viewer::Council { acts: false } => None,
    }
}

/// A referral as the officer fills it in.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReferralForm {
    pub reason: String,
    pub fields: Vec<SharedField>,
    pub basis: Option<LawfulBasis>,
    /// Consent: the date it was given.
    pub consent_given_on: String,
    /// Consent: how it was given; legal duty or vital interests: which duty, or why.
    pub basis_detail: String,
    pub contact_name: String,
    pub contact_detail: String,
}

pub const REASON_MIN: usize = 10;
pub const TEXT_MAX: usize = 4000;
pub const MESSAGE_MAX: usize = 4000;

/// Checks a referral before it is saved; every problem is listed, in the form's order.
/// Returns the lawful basis and (for consent) the consent date.
pub fn validate(form: &ReferralForm, today: NaiveDate) -> Result<(LawfulBasis, Option<NaiveDate>), String> {
    let mut problems: Vec<String> = Vec::new();
    let reason = form.reason.trim().chars().count();
    if reason < REASON_MIN {
        problems.push(format!("Say why you are referring (at least {REASON_MIN} characters)."));
    } else if reason > TEXT_MAX {
        problems.push(format!("The reason is {reason} characters; the most is {TEXT_MAX}."));
    }
    if form.fields.is_empty() {
        problems.push("Choose at least one thing to share, or the agency cannot act.".into());
    }
    let mut consent_on = None;
    match form.basis {
        None => problems.push("Choose the lawful basis for sharing.".into()),
        Some(LawfulBasis::Consent) => {
            match super::clock::input_date(&form.consent_given_on, "Give the date consent was given (YYYY-MM-DD).") {
                Err(e) => problems.push(e),
                Ok(d) if d > today => problems.push("Consent cannot be dated in the future.".into()),
                Ok(d) if (today - d).num_days() > 365 => problems.push("Consent is more than a year old: ask again before sharing.".into()),
                Ok(d) => consent_on = Some(d),
            }
            if form.basis_detail.trim().is_empty() {
                problems.push("Say how consent was given (for example: verbally at a home visit, or signed form).".into());
            }
        }
        Some(LawfulBasis::PublicTask) if form.basis_detail.trim().is_empty() => {
            problems.push("Name the council's statutory function the sharing serves (for example: Crime and Disorder Act 1998 s.115).".into())
        }
        Some(LawfulBasis::LegalDuty) if form.basis_detail.trim().is_empty() => problems.push("Name the legal duty that requires sharing.".into()),
        Some(LawfulBasis::VitalInterests) if form.basis_detail.trim().is_empty() => problems.push("Say why sharing protects someone's vital interests.".into()),
        Some(_) => {}
    }
    if form.basis_detail.chars().count() > TEXT_MAX {
        problems.push(format!("The lawful basis detail is too long; the most is {TEXT_MAX} characters."));
    }
    if form.contact_name.trim().is_empty() || form.contact_detail.trim().is_empty() {
        problems.push("Give who the agency should contact, and how.".into());
    }
    if problems.is_empty() { Ok((form.basis.expect("checked"), consent_on)) } else { Err(problems.join(" ")) }
}

/// Checks a message on the thread.
pub fn check_message(body: &str) -> Result<(), String> {
    let n = body.trim().chars().count();
    if n == 0 {
        Err("Write a message first.".into())
    } else if n > MESSAGE_MAX {
        Err(format!("The message is {n} characters; the most is {MESSAGE_MAX}."))
    } else {
        Ok(())
    }
}

/// Checks the words a move needs (decline reason, outcome, withdrawal reason).
pub fn check_move_text(mv: ReferralMove, text: &str) -> Result<(), String> {
    let n = text.trim().chars().count();
    match move_text(mv) {
        Some(what) if n == 0 => Err(format!("Give the {what}.")),
        _ if n > TEXT_MAX => Err(format!("The text is {n} characters; the most is {TEXT_MAX}.")),
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn principal(id: i64, role: Role, area: Option<i64>, agency: Option<i64>) -> Principal {
        crate::domain::access::test_principal(id, role, area, agency)
    }

    fn scope(agency: i64, status: ReferralStatus, area: i64, referrer: i64, restricted: bool, granted: bool) -> ReferralScope {
        ReferralScope { agency_id: agency, status, record: RecordScope { area_team_id: area, owner_id: Some(referrer), restricted, granted, duty: false } }
    }

    #[test]
    fn every_default_shares_contact_details_and_fits_its_agency() {
        for a in AgencyKind::ALL {
            for c in ReferralCategory::ALL {
                let f = default_fields(*a, *c);
                assert!(f.contains(&SharedField::Name) && f.contains(&SharedField::Address), "{a:?} {c:?}");
                let mut sorted = f.clone();
                sorted.sort();
                sorted.dedup();
                assert_eq!(f, sorted, "sorted and unique");
            }
        }
        assert!(!default_fields(AgencyKind::Police, ReferralCategory::Crime).contains(&SharedField::Rent));
        assert!(default_fields(AgencyKind::FinancialInclusion, ReferralCategory::Financial).contains(&SharedField::Rent));
        assert!(default_fields(AgencyKind::Police, ReferralCategory::Safeguarding).contains(&SharedField::Household));
    }

    fn facts() -> TenantFacts {
        TenantFacts {
            name: "Ann Lee".into(),
            address: "1 High St, York YO1 1AA".into(),
            phone: "07700 900000".into(),
            email: "ann@example.org".into(),
            date_of_birth: "1970-01-02".into(),
            household: vec![SharedPerson { name: "Bo Lee".into(), relationship: "Child".into(), age: 9 }],
            alerts: vec!["Vulnerability: hearing impaired".into()],
            rent_balance: Some(Pence(12_345)),
            tenure: "Secure".into(),
        }
    }

    #[test]
    fn sharing_copies_exactly_the_ticked_fields() {
        let all = facts();
        // Every subset of the eight fields: each field present iff ticked.
        for mask in 0u32..(1 << SharedField::ALL.len()) {
            let fields: Vec<SharedField> = SharedField::ALL.iter().enumerate().filter(|(i, _)| mask & (1 << i) != 0).map(|(_, f)| *f).collect();
            let s = share(&all, &fields);
            let has = |f| fields.contains(&f);
            assert_eq!(s.name.is_some(), has(SharedField::Name));
            assert_eq!(s.address.is_some(), has(SharedField::Address));
            assert_eq!(s.phone.is_some(), has(SharedField::Contact));
            assert_eq!(s.email.is_some(), has(SharedField::Contact));
            assert_eq!(s.date_of_birth.is_some(), has(SharedField::DateOfBirth));
            assert_eq!(s.household.is_some(), has(SharedField::Household));
            assert_eq!(s.alerts.is_some(), has(SharedField::Alerts));
            assert_eq!(s.rent_balance.is_some(), has(SharedField::Rent));
            assert_eq!(s.tenure.is_some(), has(SharedField::Tenure));
            // What is not shared is not even in the JSON.
            let json = serde_json::to_string(&s).expect("json");
            assert_eq!(json.contains("Ann Lee"), has(SharedField::Name));
            assert_eq!(json.contains("07700"), has(SharedField::Contact));
            assert_eq!(json.contains("1970-01-02"), has(SharedField::DateOfBirth));
            assert_eq!(json.contains("Bo Lee"), has(SharedField::Household));
            assert_eq!(json.contains("hearing"), has(SharedField::Alerts));
            assert_eq!(json.contains("12345"), has(SharedField::Rent));
        }
    }

    #[test]
    fn unknown_fields_are_refused_by_name() {
        assert_eq!(parse_fields(["name", "address", "name"]), Ok(vec![SharedField::Name, SharedField::Address]));
        assert!(parse_fields(["name", "national_insurance"]).unwrap_err().contains("national_insurance"));
    }

    #[test]
    fn restricted_by_category_or_by_going_to_a_marac() {
        for a in AgencyKind::ALL {
            for c in ReferralCategory::ALL {
                let expected = matches!(c, ReferralCategory::Marac | ReferralCategory::Mappa | ReferralCategory::Safeguarding) || *a == AgencyKind::Marac;
                assert_eq!(is_restricted(*a, *c), expected, "{a:?} {c:?}");
            }
        }
    }

    #[test]
    fn a_restricted_referral_is_opened_or_changed_only_with_a_reason() {
        let open = scope(1, ReferralStatus::Sent, 1, 7, false, false);
        let restricted = scope(1, ReferralStatus::Sent, 1, 7, true, false);
        assert!(reason_given(&open, ""));
        assert!(!reason_given(&restricted, ""));
        assert!(!reason_given(&restricted, "  abcd  "), "four characters, padded, are not enough");
        assert!(reason_given(&restricted, "abcde"));
        assert!(reason_given(&restricted, "Supervision of the safety plan"));
    }

    #[test]
    fn my_work_shows_agency_news_and_overdue_answers_and_nothing_else() {
        use ReferralStatus as S;
        for status in ReferralStatus::ALL {
            for last in [None, Some(Side::Council), Some(Side::Agency)] {
                for overdue in [false, true] {
                    let expected = match status {
                        S::Draft => false,
                        S::Declined | S::Closed => last == Some(Side::Agency),
                        S::Sent | S::Accepted | S::InProgress => last == Some(Side::Agency) || overdue,
                    };
                    assert_eq!(waits_for_officer(*status, last, overdue), expected, "{status:?} {last:?} {overdue}");
                }
            }
        }
    }

    #[test]
    fn the_lifecycle_table_is_exactly_this() {
        use ReferralMove as M;
        use ReferralStatus as S;
        let allowed = [
            (Side::Council, S::Draft, M::Send, S::Sent),
            (Side::Council, S::Draft, M::Withdraw, S::Closed),
            (Side::Council, S::Sent, M::Withdraw, S::Closed),
            (Side::Council, S::Accepted, M::Withdraw, S::Closed),
            (Side::Council, S::InProgress, M::Withdraw, S::Closed),
            (Side::Agency, S::Sent, M::Accept, S::Accepted),
            (Side::Agency, S::Sent, M::Decline, S::Declined),
            (Side::Agency, S::Accepted, M::Start, S::InProgress),
            (Side::Agency, S::Accepted, M::Close, S::Closed),
            (Side::Agency, S::InProgress, M::Close, S::Closed),
        ];
        let mut ok = 0;
        for side in [Side::Council, Side::Agency] {
            for s in ReferralStatus::ALL {
                for m in ReferralMove::ALL {
                    let expected = allowed.iter().find(|a| a.0 == side && a.1 == *s && a.2 == *m).map(|a| a.3);
                    match (next(*s, *m, side), expected) {
                        (Ok(to), Some(e)) => {
                            assert_eq!(to, e);
                            ok += 1;
                        }
                        (Err(msg), None) => assert!(!msg.is_empty()),
                        (got, want) => panic!("{side:?} {s:?} {m:?}: got {got:?}, want {want:?}"),
                    }
                }
            }
        }
        assert_eq!(ok, allowed.len());
        assert_eq!(available(S::Sent, Side::Agency), vec![M::Accept, M::Decline]);
        assert_eq!(available(S::Draft, Side::Agency), vec![]);
        assert!(next(S::Closed, M::Close, Side::Agency).unwrap_err().contains("closed"));
    }

    #[test]
    fn moves_that_need_words_say_which() {
        assert!(check_move_text(ReferralMove::Decline, " ").unwrap_err().contains("reason for declining"));
        assert!(check_move_text(ReferralMove::Close, "").unwrap_err().contains("outcome"));
        assert!(check_move_text(ReferralMove::Accept, "").is_ok());
        assert!(check_move_text(ReferralMove::Accept, &"x".repeat(TEXT_MAX + 1)).is_err());
        assert!(check_message("").is_err());
        assert!(check_message(&"x".repeat(MESSAGE_MAX + 1)).is_err());
        assert!(check_message("Visited today").is_ok());
    }

    #[test]
    fn response_clocks_follow_urgency_in_working_days() {
        let cal = WorkingCalendar::england_and_wales();
        let at = |s: &str| s.parse::<DateTime<Utc>>().expect("instant");
        // Sent on Christmas Eve 2025 (Wednesday): urgent = the 2nd working day after, skipping
        // Christmas, Boxing Day and the weekend: Tuesday 30 December, 17:00 London (GMT).
        assert_eq!(response_due(at("2025-12-24T10:00:00Z"), Urgency::Urgent, cal), at("2025-12-30T17:00:00Z"));
        // Standard: 10 working days after Thursday 17 April 2025, skipping Good Friday, Easter Monday
        // and the early May bank holiday: Tuesday 6 May, 17:00 London (BST).
        assert_eq!(response_due(at("2025-04-17T09:00:00Z"), Urgency::Standard, cal), at("2025-05-06T16:00:00Z"));
        // Emergency: the same day, 17:00 on a working day; sent on a Saturday it never waits for
        // Monday, it falls due by the end of that Saturday (the shared "same day" convention).
        assert_eq!(response_due(at("2025-06-04T09:00:00Z"), Urgency::Emergency, cal), at("2025-06-04T16:00:00Z"));
        let due = response_due(at("2025-06-07T12:00:00Z"), Urgency::Emergency, cal);
        assert_eq!(crate::domain::clock::london_date(due), NaiveDate::from_ymd_opt(2025, 6, 7).expect("date"));
        assert!(awaiting_response(ReferralStatus::Sent));
        assert!(!awaiting_response(ReferralStatus::Accepted));
    }

    #[test]
    fn partners_see_only_their_agencys_sent_referrals() {
        let asc = principal(50, Role::Partner, None, Some(1));
        for s in ReferralStatus::ALL {
            let got = can_view(&asc, &scope(1, *s, 1, 10, false, false));
            if *s == ReferralStatus::Draft {
                assert_eq!(got, Err(Denial::NotShared))
            } else {
                assert_eq!(got, Ok(Viewer::Agency))
            }
            // Another agency's referral, restricted or not, granted or not: never.
            for restricted in [false, true] {
                for granted in [false, true] {
                    assert_eq!(can_view(&asc, &scope(2, *s, 1, 10, restricted, granted)), Err(Denial::NotShared));
                }
            }
        }
        let agencyless = principal(51, Role::Partner, None, None);
        assert_eq!(can_view(&agencyless, &scope(1, ReferralStatus::Sent, 1, 10, false, false)), Err(Denial::NotShared));
        let admin = principal(1, Role::Admin, None, None);
        assert_eq!(can_view(&admin, &scope(1, ReferralStatus::Sent, 1, 10, false, false)), Err(Denial::WrongRole));
    }

    #[test]
    fn restricted_referrals_are_need_to_know_inside_the_council() {
        let referrer = principal(10, Role::CommunityHmo, Some(1), None);
        let colleague = principal(11, Role::CommunityHmo, Some(1), None);
        let tl = principal(20, Role::TeamLeader, Some(1), None);
        let other_tl = principal(21, Role::TeamLeader, Some(2), None);
        let asb = principal(30, Role::AsbOfficer, None, None);
        let mut cover = principal(12, Role::CommunityHmo, Some(1), None);
        cover.covering = vec![10];
        let marac = scope(9, ReferralStatus::Sent, 1, 10, true, false);
        assert_eq!(can_view(&referrer, &marac), Ok(Viewer::Council { acts: true }));
        assert_eq!(can_view(&cover, &marac), Ok(Viewer::Council { acts: true }));
        assert_eq!(can_view(&tl, &marac), Ok(Viewer::Council { acts: true }));
        for who in [&colleague, &other_tl, &asb] {
            assert_eq!(can_view(who, &marac), Err(Denial::NeedToKnow), "{:?}", who.role);
        }
        // Named on it: may see, may not act.
        assert_eq!(can_view(&colleague, &scope(9, ReferralStatus::Sent, 1, 10, true, true)), Ok(Viewer::Council { acts: false }));
        assert!(view_needs_reason(&marac));
        // An ordinary referral: the area team sees it; only the referrer's side acts.
        let ordinary = scope(1, ReferralStatus::Sent, 1, 10, false, false);
        assert_eq!(can_view(&colleague, &ordinary), Ok(Viewer::Council { acts: false }));
        assert_eq!(can_view(&other_tl, &ordinary), Err(Denial::OtherArea));
        assert!(!view_needs_reason(&ordinary));
        assert_eq!(side_of(Viewer::Council { acts: false }), None);
        assert_eq!(side_of(Viewer::Agency), Some(Side::Agency));
    }

    fn good_form() -> ReferralForm {
        ReferralForm {
            reason: "Needs a care assessment after a fall".into(),
            fields: vec![SharedField::Name, SharedField::Address],
            basis: Some(LawfulBasis::Consent),
            consent_given_on: "2026-11-20".into(),
            basis_detail: "Verbally, at a home visit".into(),
            contact_name: "Sam Officer".into(),
            contact_detail: "01904 551550".into(),
        }
    }

    #[test]
    fn a_referral_explains_every_problem() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let (basis, on) = validate(&good_form(), today).expect("valid");
        assert_eq!(basis, LawfulBasis::Consent);
        assert_eq!(on, NaiveDate::from_ymd_opt(2026, 11, 20));
        let empty = ReferralForm::default();
        let msg = validate(&empty, today).unwrap_err();
        for part in ["Say why", "at least one thing", "lawful basis", "contact"] {
            assert!(msg.contains(part), "{part}: {msg}");
        }
        let future = ReferralForm { consent_given_on: "2026-12-01".into(), ..good_form() };
        assert!(validate(&future, today).unwrap_err().contains("future"));
        let stale = ReferralForm { consent_given_on: "2025-01-01".into(), ..good_form() };
        assert!(validate(&stale, today).unwrap_err().contains("more than a year"));
        let no_how = ReferralForm { basis_detail: " ".into(), ..good_form() };
        assert!(validate(&no_how, today).unwrap_err().contains("how consent"));
        let duty = ReferralForm { basis: Some(LawfulBasis::LegalDuty), consent_given_on: String::new(), basis_detail: String::new(), ..good_form() };
        assert!(validate(&duty, today).unwrap_err().contains("legal duty"));
        let duty = ReferralForm { basis_detail: "Care Act 2014 s.42".into(), ..duty };
        assert_eq!(validate(&duty, today), Ok((LawfulBasis::LegalDuty, None)));
        let vital = ReferralForm { basis: Some(LawfulBasis::VitalInterests), basis_detail: String::new(), ..good_form() };
        assert!(validate(&vital, today).unwrap_err().contains("vital interests"));
    }

    /// UK GDPR Art. 6(1)(e): "processing is necessary for the performance of a task carried out
    /// in the public interest or in the exercise of official authority". Most council referrals
    /// rest on it; the officer names the function.
    #[test]
    fn public_task_is_a_basis_that_names_its_function() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        let task = ReferralForm { basis: Some(LawfulBasis::PublicTask), consent_given_on: String::new(), basis_detail: String::new(), ..good_form() };
        assert!(validate(&task, today).unwrap_err().contains("statutory function"));
        let task = ReferralForm { basis_detail: "Crime and Disorder Act 1998 s.115".into(), ..task };
        assert_eq!(validate(&task, today), Ok((LawfulBasis::PublicTask, None)));
        assert!(LawfulBasis::ALL.contains(&LawfulBasis::PublicTask));
        // MARAC and safeguarding rest on public task, MAPPA on the legal duty to co-operate;
        // none on vital interests by default, and none on consent.
        assert_eq!(ReferralCategory::Marac.usual_basis().0, LawfulBasis::PublicTask);
        assert!(ReferralCategory::Marac.usual_basis().1.contains("s.115"));
        assert_eq!(ReferralCategory::Mappa.usual_basis().0, LawfulBasis::LegalDuty);
        assert!(ReferralCategory::Mappa.usual_basis().1.contains("s.325"));
        assert_eq!(ReferralCategory::Safeguarding.usual_basis().0, LawfulBasis::PublicTask);
        for c in ReferralCategory::ALL.iter().filter(|c| !c.is_restricted()) {
            assert_eq!(c.usual_basis().0, LawfulBasis::Consent, "{c:?}");
        }
    }
}
