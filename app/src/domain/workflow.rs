//! Case and tenancy transfers between HMO roles as one state machine: which moves each role
//! may make in each state. Pure and exhaustively tested; the server enforces it and the UI
//! offers only the moves it permits.

use serde::{Deserialize, Serialize};

use super::Role;

/// The workflows that move a tenancy or case between roles.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Flow {
    /// Introductory HMO proposes secure / extend / possession; the Team Leader decides.
    IntroductoryReview,
    /// Community HMO refers a case to the Sustainable Tenancy HMO through the Team Leader.
    ReferralToSustainable,
    /// Sustainable Tenancy HMO hands a case back; the Community HMO acknowledges.
    HandBack,
    /// Any officer escalates to Legal or the Community Safety Hub; they close it.
    Escalation,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FlowState {
    /// Waiting for a decision.
    Proposed,
    /// Returned to the proposer to change and propose again.
    SentBack,
    /// Decided and carried out.
    Completed,
    /// Refused with reasons.
    Declined,
    /// Taken back by the proposer before a decision.
    Withdrawn,
}

impl FlowState {
    pub fn as_str(self) -> &'static str {
        match self {
            FlowState::Proposed => "proposed",
            FlowState::SentBack => "sent_back",
            FlowState::Completed => "completed",
            FlowState::Declined => "declined",
            FlowState::Withdrawn => "withdrawn",
        }
    }
    pub fn parse(s: &str) -> Option<FlowState> {
        [FlowState::Proposed, FlowState::SentBack, FlowState::Completed, FlowState::Declined, FlowState::Withdrawn].into_iter().find(|f| f.as_str() == s)
    }
    /// Still needs someone's action.
    pub fn is_open(self) -> bool {
        matches!(self, FlowState::Proposed | FlowState::SentBack)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Move {
    Propose,
    Approve,
    SendBack,
    Decline,
    Withdraw,
    /// The receiving side takes it on (hand-back acknowledged, escalation concluded).
    Acknowledge,
}

impl Move {
    pub const ALL: [Move; 6] = [Move::Propose, Move::Approve, Move::SendBack, Move::Decline, Move::Withdraw, Move::Acknowledge];
    pub fn label(self) -> &'static str {
        match self {
            Move::Propose => "Propose",
            Move::Approve => "Approve",
            Move::SendBack => "Send back",
            Move::Decline => "Decline",
            Move::Withdraw => "Withdraw",
            Move::Acknowledge => "Acknowledge",
        }
    }
}

/// Who is acting, relative to the item.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Actor {
    pub role: Role,
    /// Owns the tenancy or case now (or covers for its owner).
    pub owns: bool,
    /// Made the open proposal.
    pub proposed: bool,
    /// Works in the item's area team.
    pub same_area: bool,
    /// Is the Community HMO of the item's patch (for hand-backs).
    pub patch_officer: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Refusal {
    /// Nothing in this state accepts that move.
    NotInThisState,
    /// The move exists here but not for this person.
    NotYours,
}

impl Refusal {
    pub fn message(self, flow: Flow, state: Option<FlowState>, mv: Move) -> String {
        let state = state.map(|s| s.as_str().replace('_', " ")).unwrap_or_else(|| "not started".into());
        match self {
            Refusal::NotInThisState => format!("\u{201c}{}\u{201d} is not possible: the {} is {state}.", mv.label(), flow_label(flow)),
            Refusal::NotYours => format!("Your role cannot \u{201c}{}\u{201d} this {} now.", mv.label().to_lowercase(), flow_label(flow)),
        }
    }
}

pub fn flow_label(flow: Flow) -> &'static str {
    match flow {
        Flow::IntroductoryReview => "introductory tenancy review",
        Flow::ReferralToSustainable => "referral to the Sustainable Tenancy HMO",
        Flow::HandBack => "hand-back to the Community HMO",
        Flow::Escalation => "escalation",
    }
}

/// The table: the state a move leads to, if `actor` may make it from `state` (None: not started).
pub fn next(flow: Flow, state: Option<FlowState>, mv: Move, a: Actor) -> Result<FlowState, Refusal> {
    use FlowState::*;
    use Move::*;
    let team_leader = a.role == Role::TeamLeader && a.same_area;
    let (to, allowed) = match (flow, state, mv) {
        // Introductory review: the owning Introductory HMO proposes; the area's Team Leader decides.
        (Flow::IntroductoryReview, None | Some(SentBack), Propose) => (Proposed, a.role == Role::IntroductoryHmo && a.owns),
        (Flow::IntroductoryReview, Some(Proposed), Approve) => (Completed, team_leader),
        (Flow::IntroductoryReview, Some(Proposed), SendBack) => (SentBack, team_leader),
        (Flow::IntroductoryReview, Some(Proposed | SentBack), Withdraw) => (Withdrawn, a.proposed),
        // Referral to the Sustainable Tenancy HMO: the owning Community HMO refers; the Team Leader accepts or declines.
        (Flow::ReferralToSustainable, None | Some(SentBack), Propose) => (Proposed, a.role == Role::CommunityHmo && a.owns),
        (Flow::ReferralToSustainable, Some(Proposed), Approve) => (Completed, team_leader),
        (Flow::ReferralToSustainable, Some(Proposed), SendBack) => (SentBack, team_leader),
        (Flow::ReferralToSustainable, Some(Proposed), Decline) => (Declined, team_leader),
        (Flow::ReferralToSustainable, Some(Proposed | SentBack), Withdraw) => (Withdrawn, a.proposed),
        // Hand-back: the owning Sustainable Tenancy HMO proposes; the patch's Community HMO acknowledges.
        (Flow::HandBack, None | Some(SentBack), Propose) => (Proposed, a.role == Role::SustainableHmo && a.owns),
        (Flow::HandBack, Some(Proposed), Acknowledge) => (Completed, (a.role == Role::CommunityHmo && a.patch_officer) || team_leader),
        (Flow::HandBack, Some(Proposed), SendBack) => (SentBack, a.role == Role::CommunityHmo && a.patch_officer),
        (Flow::HandBack, Some(Proposed | SentBack), Withdraw) => (Withdrawn, a.proposed),
        // Escalation: any housing officer who owns it, or the Team Leader, escalates; Legal / the Hub conclude.
        (Flow::Escalation, None, Propose) => (Proposed, (a.role.is_hmo() && a.owns) || team_leader),
        (Flow::Escalation, Some(Proposed), Acknowledge) => (Completed, matches!(a.role, Role::Legal | Role::AsbOfficer)),
        (Flow::Escalation, Some(Proposed), Withdraw) => (Withdrawn, a.proposed || team_leader),
        _ => return Err(Refusal::NotInThisState),
    };
    if allowed { Ok(to) } else { Err(Refusal::NotYours) }
}

/// The moves `actor` may make now: what the UI offers.
pub fn available(flow: Flow, state: Option<FlowState>, actor: Actor) -> Vec<Move> {
    Move::ALL.into_iter().filter(|m| next(flow, state, *m, actor).is_ok()).collect()
}

/// What an introductory review proposes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReviewOutcome {
    MakeSecure,
    Extend,
    SeekPossession,
}

impl ReviewOutcome {
    pub const ALL: [ReviewOutcome; 3] = [ReviewOutcome::MakeSecure, ReviewOutcome::Extend, ReviewOutcome::SeekPossession];
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewOutcome::MakeSecure => "make_secure",
            ReviewOutcome::Extend => "extend",
            ReviewOutcome::SeekPossession => "seek_possession",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ReviewOutcome::MakeSecure => "Make secure",
            ReviewOutcome::Extend => "Extend by 6 months",
            ReviewOutcome::SeekPossession => "Seek possession",
        }
    }
    pub fn parse(s: &str) -> Option<ReviewOutcome> {
        Self::ALL.into_iter().find(|o| o.as_str() == s)
    }
}

/// The outcomes an introductory review may still propose on `today`.
///
/// - After the trial period has ended with no decision the tenancy is secure by law: only
///   "make secure" remains, to record it.
/// - An extension needs its notice to reach the tenant at least 8 weeks before the trial ends,
///   so it is offered only up to that last day, and only once.
pub fn allowed_outcomes(tenure: super::Tenure, trial_ends_on: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> Vec<ReviewOutcome> {
    use super::Tenure;
    let Some(end) = trial_ends_on else { return vec![] };
    if !tenure.is_introductory() {
        return vec![];
    }
    if today >= end {
        return vec![ReviewOutcome::MakeSecure];
    }
    let mut v = vec![ReviewOutcome::MakeSecure];
    if tenure == Tenure::Introductory && today <= super::clock::extension_notice_last_day(end) {
        v.push(ReviewOutcome::Extend);
    }
    v.push(ReviewOutcome::SeekPossession);
    v
}

/// Why `outcome` cannot be proposed today, in words for the officer.
pub fn check_outcome(outcome: ReviewOutcome, tenure: super::Tenure, trial_ends_on: Option<chrono::NaiveDate>, today: chrono::NaiveDate) -> Result<(), String> {
    if allowed_outcomes(tenure, trial_ends_on, today).contains(&outcome) {
        return Ok(());
    }
    let Some(end) = trial_ends_on else { return Err("Only an introductory tenancy has a review.".into()) };
    if today >= end {
        return Err(format!(
            "The trial period ended on {end} without a decision, so the tenancy is now secure by law. Propose \u{201c}Make secure\u{201d} to record it."
        ));
    }
    if outcome == ReviewOutcome::Extend && tenure == super::Tenure::ExtendedIntroductory {
        return Err("This tenancy has already been extended once; it cannot be extended again.".into());
    }
    Err(format!(
        "Too late to extend: the notice of extension had to reach the tenant by {}, eight weeks before the trial ends on {end}.",
        super::clock::extension_notice_last_day(end)
    ))
}

/// Where an escalation goes, and what for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EscalationPurpose {
    /// Legal: a notice (notice of seeking possession, notice to quit).
    Notice,
    /// Legal: possession proceedings.
    Possession,
    /// Community Safety Hub: review of the evidence.
    EvidenceReview,
    /// Community Safety Hub: an injunction.
    Injunction,
}

impl EscalationPurpose {
    pub const ALL: [EscalationPurpose; 4] =
        [EscalationPurpose::Notice, EscalationPurpose::Possession, EscalationPurpose::EvidenceReview, EscalationPurpose::Injunction];
    pub fn as_str(self) -> &'static str {
        match self {
            EscalationPurpose::Notice => "notice",
            EscalationPurpose::Possession => "possession",
            EscalationPurpose::EvidenceReview => "evidence_review",
            EscalationPurpose::Injunction => "injunction",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            EscalationPurpose::Notice => "Legal: serve a notice",
            EscalationPurpose::Possession => "Legal: seek possession",
            EscalationPurpose::EvidenceReview => "Community Safety Hub: evidence review",
            EscalationPurpose::Injunction => "Community Safety Hub: injunction",
        }
    }
    /// The team that takes it on: "legal" or "hub".
    pub fn target(self) -> &'static str {
        match self {
            EscalationPurpose::Notice | EscalationPurpose::Possession => "legal",
            EscalationPurpose::EvidenceReview | EscalationPurpose::Injunction => "hub",
        }
    }
    /// The role that concludes escalations to `target`.
    pub fn target_role(target: &str) -> Option<Role> {
        match target {
            "legal" => Some(Role::Legal),
            "hub" => Some(Role::AsbOfficer),
            _ => None,
        }
    }
}

/// The moves `a` may make on one item (`outcome` is the item's stored outcome): the table, with an
/// escalation concluded only by the team it was sent to.
pub fn item_moves(flow: Flow, state: Option<FlowState>, outcome: &str, a: Actor) -> Vec<Move> {
    available(flow, state, a)
        .into_iter()
        .filter(|m| flow != Flow::Escalation || *m != Move::Acknowledge || EscalationPurpose::target_role(outcome) == Some(a.role))
        .collect()
}

/// Does an open item wait for `a` to take it on: an escalation sent to their team, a hand-back to
/// their patch? Such a person may open the record while the item is open (`access::RecordScope::duty`),
/// need-to-know or not, or nobody could ever conclude it.
pub fn waits_on(flow: Flow, state: Option<FlowState>, outcome: &str, a: Actor) -> bool {
    item_moves(flow, state, outcome, a).contains(&Move::Acknowledge)
}

/// Whether an introductory tenancy may be extended: once only, and only with a reason.
pub fn may_extend(tenure: super::Tenure, reason: Option<&str>) -> Result<(), &'static str> {
    match tenure {
        super::Tenure::ExtendedIntroductory => Err("This tenancy has already been extended once; it cannot be extended again."),
        super::Tenure::Introductory => match reason {
            Some("arrears" | "nuisance" | "property_condition" | "other") => Ok(()),
            _ => Err("Choose the reason for the extension: arrears, nuisance, property condition or other."),
        },
        _ => Err("Only an introductory tenancy can be extended."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use FlowState::*;

    const FLOWS: [Flow; 4] = [Flow::IntroductoryReview, Flow::ReferralToSustainable, Flow::HandBack, Flow::Escalation];
    const STATES: [Option<FlowState>; 6] = [None, Some(Proposed), Some(SentBack), Some(Completed), Some(Declined), Some(Withdrawn)];

    fn actors() -> Vec<Actor> {
        let mut v = Vec::new();
        for &role in Role::ALL {
            for bits in 0..16u8 {
                v.push(Actor { role, owns: bits & 1 != 0, proposed: bits & 2 != 0, same_area: bits & 4 != 0, patch_officer: bits & 8 != 0 });
            }
        }
        v
    }

    /// The expected table, written out independently of `next`'s match.
    fn expected(flow: Flow, state: Option<FlowState>, mv: Move, a: Actor) -> Result<FlowState, Refusal> {
        let tl = a.role == Role::TeamLeader && a.same_area;
        let rule: Option<(FlowState, bool)> = match flow {
            Flow::IntroductoryReview => match (state, mv) {
                (None | Some(SentBack), Move::Propose) => Some((Proposed, a.role == Role::IntroductoryHmo && a.owns)),
                (Some(Proposed), Move::Approve) => Some((Completed, tl)),
                (Some(Proposed), Move::SendBack) => Some((SentBack, tl)),
                (Some(Proposed | SentBack), Move::Withdraw) => Some((Withdrawn, a.proposed)),
                _ => None,
            },
            Flow::ReferralToSustainable => match (state, mv) {
                (None | Some(SentBack), Move::Propose) => Some((Proposed, a.role == Role::CommunityHmo && a.owns)),
                (Some(Proposed), Move::Approve) => Some((Completed, tl)),
                (Some(Proposed), Move::SendBack) => Some((SentBack, tl)),
                (Some(Proposed), Move::Decline) => Some((Declined, tl)),
                (Some(Proposed | SentBack), Move::Withdraw) => Some((Withdrawn, a.proposed)),
                _ => None,
            },
            Flow::HandBack => match (state, mv) {
                (None | Some(SentBack), Move::Propose) => Some((Proposed, a.role == Role::SustainableHmo && a.owns)),
                (Some(Proposed), Move::Acknowledge) => Some((Completed, (a.role == Role::CommunityHmo && a.patch_officer) || tl)),
                (Some(Proposed), Move::SendBack) => Some((SentBack, a.role == Role::CommunityHmo && a.patch_officer)),
                (Some(Proposed | SentBack), Move::Withdraw) => Some((Withdrawn, a.proposed)),
                _ => None,
            },
            Flow::Escalation => match (state, mv) {
                (None, Move::Propose) => Some((Proposed, (a.role.is_hmo() && a.owns) || tl)),
                (Some(Proposed), Move::Acknowledge) => Some((Completed, matches!(a.role, Role::Legal | Role::AsbOfficer))),
                (Some(Proposed), Move::Withdraw) => Some((Withdrawn, a.proposed || tl)),
                _ => None,
            },
        };
        match rule {
            None => Err(Refusal::NotInThisState),
            Some((to, true)) => Ok(to),
            Some((_, false)) => Err(Refusal::NotYours),
        }
    }

    #[test]
    fn every_flow_state_move_and_actor() {
        let mut checked = 0;
        for flow in FLOWS {
            for state in STATES {
                for mv in Move::ALL {
                    for a in actors() {
                        assert_eq!(next(flow, state, mv, a), expected(flow, state, mv, a), "{flow:?} {state:?} {mv:?} {a:?}");
                        checked += 1;
                    }
                }
            }
        }
        assert_eq!(checked, 4 * 6 * 6 * Role::ALL.len() * 16);
    }

    #[test]
    fn finished_items_accept_no_moves() {
        for flow in FLOWS {
            for state in [Completed, Declined, Withdrawn] {
                for a in actors() {
                    assert!(available(flow, Some(state), a).is_empty());
                }
            }
        }
    }

    #[test]
    fn partners_and_administrators_never_move_anything() {
        for flow in FLOWS {
            for state in STATES {
                for a in actors().into_iter().filter(|a| matches!(a.role, Role::Partner | Role::Admin)) {
                    assert!(available(flow, state, a).iter().all(|m| *m == Move::Withdraw), "{flow:?} {state:?} {a:?}");
                }
            }
        }
    }

    #[test]
    fn a_team_leader_of_another_area_cannot_decide() {
        let other_tl = Actor { role: Role::TeamLeader, owns: false, proposed: false, same_area: false, patch_officer: false };
        assert_eq!(next(Flow::IntroductoryReview, Some(Proposed), Move::Approve, other_tl), Err(Refusal::NotYours));
        let tl = Actor { same_area: true, ..other_tl };
        assert_eq!(next(Flow::IntroductoryReview, Some(Proposed), Move::Approve, tl), Ok(Completed));
        assert_eq!(available(Flow::ReferralToSustainable, Some(Proposed), tl), vec![Move::Approve, Move::SendBack, Move::Decline]);
    }

    #[test]
    fn refusals_explain_themselves() {
        let msg = Refusal::NotInThisState.message(Flow::IntroductoryReview, Some(Completed), Move::Approve);
        assert!(msg.contains("Approve") && msg.contains("completed"), "{msg}");
        let msg = Refusal::NotYours.message(Flow::HandBack, Some(Proposed), Move::Acknowledge);
        assert!(msg.contains("acknowledge"), "{msg}");
    }

    #[test]
    fn escalations_go_to_the_right_team() {
        for p in EscalationPurpose::ALL {
            assert_eq!(EscalationPurpose::parse(p.as_str()), Some(p));
            let role = EscalationPurpose::target_role(p.target()).unwrap();
            assert!(matches!(role, Role::Legal | Role::AsbOfficer));
        }
        assert_eq!(EscalationPurpose::Possession.target(), "legal");
        assert_eq!(EscalationPurpose::Injunction.target(), "hub");
        assert_eq!(EscalationPurpose::target_role("police"), None);
    }

    #[test]
    fn outcomes_follow_the_trial_dates() {
        use super::super::Tenure;
        use ReviewOutcome::*;
        let d = |s: &str| s.parse::<chrono::NaiveDate>().unwrap();
        let end = Some(d("2027-03-01"));
        // Notice must reach the tenant 8 weeks before: by 2027-01-04.
        assert_eq!(allowed_outcomes(Tenure::Introductory, end, d("2027-01-04")), vec![MakeSecure, Extend, SeekPossession]);
        assert_eq!(allowed_outcomes(Tenure::Introductory, end, d("2027-01-05")), vec![MakeSecure, SeekPossession]);
        assert_eq!(allowed_outcomes(Tenure::ExtendedIntroductory, end, d("2026-12-01")), vec![MakeSecure, SeekPossession]);
        assert_eq!(allowed_outcomes(Tenure::Introductory, end, d("2027-03-01")), vec![MakeSecure], "secure by law from the anniversary");
        assert_eq!(allowed_outcomes(Tenure::Secure, end, d("2026-12-01")), vec![]);
        assert_eq!(allowed_outcomes(Tenure::Introductory, None, d("2026-12-01")), vec![]);
        assert!(check_outcome(Extend, Tenure::Introductory, end, d("2027-02-01")).unwrap_err().contains("Too late to extend"));
        assert!(check_outcome(SeekPossession, Tenure::Introductory, end, d("2027-03-02")).unwrap_err().contains("secure by law"));
        assert!(check_outcome(Extend, Tenure::ExtendedIntroductory, end, d("2026-12-01")).unwrap_err().contains("already been extended"));
        assert!(check_outcome(MakeSecure, Tenure::Introductory, end, d("2027-05-01")).is_ok());
    }

    #[test]
    fn extensions_happen_once_with_a_reason() {
        use super::super::Tenure;
        assert!(may_extend(Tenure::Introductory, Some("arrears")).is_ok());
        assert!(may_extend(Tenure::Introductory, None).is_err());
        assert!(may_extend(Tenure::Introductory, Some("because")).is_err());
        assert!(may_extend(Tenure::ExtendedIntroductory, Some("arrears")).unwrap_err().contains("already been extended"));
        assert!(may_extend(Tenure::Secure, Some("arrears")).is_err());
    }

    /// Escalations wait on the team they were sent to, hand-backs on the patch's Community HMO; nobody
    /// else gains sight of a record from an open item.
    #[test]
    fn open_items_wait_on_the_team_or_officer_who_must_take_them_on() {
        let a = |role, patch_officer| Actor { role, owns: false, proposed: false, same_area: false, patch_officer };
        let open = Some(FlowState::Proposed);
        assert!(waits_on(Flow::Escalation, open, "legal", a(Role::Legal, false)));
        assert!(!waits_on(Flow::Escalation, open, "legal", a(Role::AsbOfficer, false)));
        assert!(waits_on(Flow::Escalation, open, "hub", a(Role::AsbOfficer, false)));
        assert!(!waits_on(Flow::Escalation, open, "hub", a(Role::Legal, false)));
        assert!(!waits_on(Flow::Escalation, Some(FlowState::Completed), "legal", a(Role::Legal, false)));
        assert!(waits_on(Flow::HandBack, open, "community_hmo", a(Role::CommunityHmo, true)));
        assert!(!waits_on(Flow::HandBack, open, "community_hmo", a(Role::CommunityHmo, false)));
        assert!(!waits_on(Flow::HandBack, Some(FlowState::SentBack), "community_hmo", a(Role::CommunityHmo, true)));
        for role in Role::ALL {
            assert!(!waits_on(Flow::ReferralToSustainable, open, "sustainable_hmo", a(*role, true)), "{role:?}");
            assert!(!waits_on(Flow::IntroductoryReview, open, "make_secure", a(*role, true)), "{role:?}");
        }
        assert_eq!(item_moves(Flow::Escalation, open, "hub", a(Role::Legal, false)), vec![]);
    }
}
