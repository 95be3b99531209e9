//! The legal steps of an introductory tenancy after the review's decision: the tenant's review of
//! an extension (Housing Act 1996 s.125B), the notice of proceedings (s.128), the tenant's review
//! of the decision to seek possession (s.129) and the proceedings, which keep the tenancy
//! introductory until they end (s.130).
//!
//! Steps are recorded in order; `check` refuses one out of order or out of time, saying why and
//! citing the section, and `Ladder::deadlines` gives every clock the steps start.

use chrono::{Days, NaiveDate};
use serde::{Deserialize, Serialize};

use crate::domain::Tenure;
use crate::domain::codes::code_enum;

/// s.125B(2) and s.129(2): the tenant's request for a review "must be made before the end of the
/// period of 14 days beginning with the day on which the notice ... is served".
pub const REVIEW_REQUEST_DAYS: u64 = 14;

/// s.128(4): the date after which proceedings may begin is no earlier than a notice to quit given
/// the same day could end the tenancy: four weeks at least (Protection from Eviction Act 1977 s.5(1)).
pub const NOTICE_OF_PROCEEDINGS_MIN_DAYS: u64 = 28;

code_enum!(
    /// A step on an introductory tenancy's legal ladder.
    StepKind {
        ExtensionReviewRequested = "extension_review_requested": "Tenant asked for a review of the extension",
        ExtensionReviewDecided = "extension_review_decided": "Review of the extension decided",
        NoticeOfProceedings = "notice_of_proceedings": "Notice of proceedings served",
        PossessionReviewRequested = "possession_review_requested": "Tenant asked for a review of the decision to seek possession",
        PossessionReviewDecided = "possession_review_decided": "Review of the decision to seek possession decided",
        NoticeWithdrawn = "notice_withdrawn": "Notice of proceedings withdrawn",
        ProceedingsBegun = "proceedings_begun": "Possession proceedings begun",
        ProceedingsEnded = "proceedings_ended": "Possession proceedings ended",
    }
);

code_enum!(
    /// How a review or the proceedings ended.
    StepOutcome {
        Confirmed = "confirmed": "Decision confirmed",
        Overturned = "overturned": "Decision overturned",
        PossessionOrder = "possession_order": "Possession order made",
        Dismissed = "dismissed": "Claim dismissed",
        Withdrawn = "withdrawn": "Claim withdrawn",
    }
);

impl StepKind {
    /// The section of the Housing Act 1996 the step belongs to.
    pub fn section(self) -> &'static str {
        match self {
            StepKind::ExtensionReviewRequested | StepKind::ExtensionReviewDecided => "s.125B",
            StepKind::NoticeOfProceedings | StepKind::NoticeWithdrawn => "s.128",
            StepKind::PossessionReviewRequested | StepKind::PossessionReviewDecided => "s.129",
            StepKind::ProceedingsBegun | StepKind::ProceedingsEnded => "s.130",
        }
    }

    /// The outcomes a step of this kind records (none for a request or a notice).
    pub fn outcomes(self) -> &'static [StepOutcome] {
        match self {
            StepKind::ExtensionReviewDecided | StepKind::PossessionReviewDecided => &[StepOutcome::Confirmed, StepOutcome::Overturned],
            StepKind::ProceedingsEnded => &[StepOutcome::PossessionOrder, StepOutcome::Dismissed, StepOutcome::Withdrawn],
            _ => &[],
        }
    }
}

/// A step as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Step {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: StepKind,
    /// The day it happened: served, asked, decided, issued or ended.
    pub on: NaiveDate,
    /// A notice of proceedings: the date after which proceedings may begin (s.128(4)).
    pub proceedings_from: Option<NaiveDate>,
    #[cfg_attr(feature = "ssr", schema(value_type = Option<String>))]
    pub outcome: Option<StepOutcome>,
    /// The notice's reasons (s.128(3)), the review's reasons, or a note.
    pub detail: String,
    /// Who recorded it, and when (filled in by the store).
    #[serde(default)]
    pub recorded_by: String,
}

/// What the rules need to know about the tenancy besides its steps.
#[derive(Clone, Copy, Debug)]
pub struct Tenancy {
    pub tenure: Tenure,
    /// The end of the trial period as it stands (extended or not).
    pub trial_ends_on: Option<NaiveDate>,
    /// The first anniversary, the "original expiry date" an extension takes effect on (s.125A).
    pub original_end: Option<NaiveDate>,
    pub extension_notice_served_on: Option<NaiveDate>,
    /// The Team Leader approved the review's proposal to seek possession.
    pub possession_approved: bool,
}

/// Where the ladder stands, folded from the steps in order.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Ladder {
    pub extension_review_requested: Option<NaiveDate>,
    pub extension_review: Option<(NaiveDate, StepOutcome)>,
    /// The notice of proceedings in force: served on, proceedings from.
    pub notice: Option<(NaiveDate, NaiveDate)>,
    pub possession_review_requested: Option<NaiveDate>,
    pub possession_review: Option<(NaiveDate, StepOutcome)>,
    pub proceedings_begun: Option<NaiveDate>,
    pub proceedings_ended: Option<(NaiveDate, StepOutcome)>,
}

impl Ladder {
    pub fn of(steps: &[Step]) -> Ladder {
        let mut l = Ladder::default();
        for s in steps {
            match s.kind {
                StepKind::ExtensionReviewRequested => l.extension_review_requested = Some(s.on),
                StepKind::ExtensionReviewDecided => l.extension_review = s.outcome.map(|o| (s.on, o)),
                StepKind::NoticeOfProceedings => {
                    l.notice = s.proceedings_from.map(|from| (s.on, from));
                    l.possession_review_requested = None;
                    l.possession_review = None;
                }
                StepKind::PossessionReviewRequested => l.possession_review_requested = Some(s.on),
                StepKind::PossessionReviewDecided => {
                    l.possession_review = s.outcome.map(|o| (s.on, o));
                    if s.outcome == Some(StepOutcome::Overturned) {
                        l.notice = None;
                    }
                }
                StepKind::NoticeWithdrawn => l.notice = None,
                StepKind::ProceedingsBegun => {
                    l.proceedings_begun = Some(s.on);
                    l.proceedings_ended = None;
                }
                StepKind::ProceedingsEnded => {
                    // The notice is spent, whatever the court decided.
                    l.proceedings_ended = s.outcome.map(|o| (s.on, o));
                    l.notice = None;
                }
            }
        }
        l
    }

    /// s.130: once proceedings for possession have begun, the tenancy "remains an introductory
    /// tenancy until" they are finally determined, even after the trial period ends.
    pub fn proceedings_running(&self) -> bool {
        self.proceedings_begun.is_some() && self.proceedings_ended.is_none()
    }

    /// The court made a possession order: the ladder is at its end.
    pub fn possession_ordered(&self) -> bool {
        matches!(self.proceedings_ended, Some((_, StepOutcome::PossessionOrder)))
    }

    /// The tenant's review of the extension overturned it: the extension does not take effect.
    pub fn extension_overturned(&self) -> bool {
        matches!(self.extension_review, Some((_, StepOutcome::Overturned)))
    }

    /// A review of the decision to seek possession is asked for and not yet decided.
    fn possession_review_pending(&self) -> bool {
        self.possession_review_requested.is_some() && self.possession_review.is_none()
    }

    /// The steps that may be recorded next for `t` on `today`: what the page offers.
    pub fn next(&self, t: &Tenancy, today: NaiveDate) -> Vec<StepKind> {
        StepKind::ALL.iter().copied().filter(|k| self.order(*k, t).is_ok() && self.window(*k, t, today).is_ok()).collect()
    }

    /// Whether a step of `kind` follows the steps so far (dates aside).
    fn order(&self, kind: StepKind, t: &Tenancy) -> Result<(), String> {
        if self.possession_ordered() {
            return Err("The court has made a possession order: there are no further steps on this tenancy.".into());
        }
        let running = self.proceedings_running();
        match kind {
            StepKind::ExtensionReviewRequested => {
                if t.extension_notice_served_on.is_none() {
                    return Err("A review of an extension is asked for after the notice of extension is served (Housing Act 1996 s.125B).".into());
                }
                if self.extension_review_requested.is_some() {
                    return Err("The tenant has already asked for a review of the extension.".into());
                }
            }
            StepKind::ExtensionReviewDecided => {
                if self.extension_review_requested.is_none() || self.extension_review.is_some() {
                    return Err("Record the tenant's request for a review of the extension first; a review is decided once.".into());
                }
            }
            StepKind::NoticeOfProceedings => {
                if !t.tenure.is_introductory() {
                    return Err("A notice of proceedings is served on an introductory tenancy only (Housing Act 1996 s.128).".into());
                }
                if !t.possession_approved {
                    return Err("Serve a notice of proceedings once the Team Leader has approved the review's proposal to seek possession.".into());
                }
                if self.notice.is_some() || running {
                    return Err(
                        "A notice of proceedings is already in force: withdraw it, or let the review or the court decide, before serving another.".into()
                    );
                }
            }
            StepKind::PossessionReviewRequested => {
                if self.notice.is_none() || running {
                    return Err(
                        "A review of the decision to seek possession is asked for after a notice of proceedings, before proceedings begin (s.129).".into()
                    );
                }
                if self.possession_review_requested.is_some() {
                    return Err("The tenant has already asked for a review of this notice.".into());
                }
            }
            StepKind::PossessionReviewDecided => {
                if !self.possession_review_pending() || self.notice.is_none() {
                    return Err("Record the tenant's request for a review of the decision to seek possession first; a review is decided once.".into());
                }
            }
            StepKind::NoticeWithdrawn => {
                if self.notice.is_none() || running {
                    return Err(
                        "Only a notice of proceedings in force, with no proceedings begun, can be withdrawn; once begun, record how the proceedings ended."
                            .into(),
                    );
                }
            }
            StepKind::ProceedingsBegun => {
                if self.notice.is_none() || running {
                    return Err("Proceedings begin on a notice of proceedings in force (Housing Act 1996 s.128(5)); record the notice first.".into());
                }
                if self.possession_review_pending() {
                    return Err("The tenant asked for a review of the decision to seek possession: it must be decided, and the tenant told, before proceedings begin (s.129(6)).".into());
                }
            }
            StepKind::ProceedingsEnded => {
                if !running {
                    return Err("Record that proceedings began before recording how they ended.".into());
                }
            }
        }
        Ok(())
    }

    /// Whether a step of `kind` can still be in time on `today` (there is a day it could carry).
    fn window(&self, kind: StepKind, t: &Tenancy, today: NaiveDate) -> Result<(), String> {
        match kind {
            StepKind::ExtensionReviewRequested => {
                let served = t.extension_notice_served_on.unwrap_or(today);
                if today < served {
                    return Err("The request cannot come before the notice of extension was served.".into());
                }
                Ok(())
            }
            StepKind::ProceedingsBegun if self.notice.is_some_and(|(_, from)| today <= from) => {
                Err("Proceedings may begin only after the date in the notice (Housing Act 1996 s.128(5)).".into())
            }
            StepKind::NoticeOfProceedings | StepKind::ProceedingsBegun => match t.trial_ends_on {
                Some(end) if today >= end && !self.proceedings_running() => Err(format!(
                    "The trial period ended on {end}: with no proceedings begun by then the tenancy is secure (Housing Act 1996 s.130 keeps it introductory only once proceedings have begun)."
                )),
                _ => Ok(()),
            },
            _ => Ok(()),
        }
    }

    /// Checks a step before it is recorded on `today`: in order, in time, and complete.
    pub fn check(&self, step: &Step, t: &Tenancy, today: NaiveDate) -> Result<(), String> {
        self.order(step.kind, t)?;
        if step.on > today {
            return Err("A step is recorded once it has happened: the date cannot be in the future.".into());
        }
        if step.detail.trim().chars().count() > 4000 {
            return Err("The note is too long (4,000 characters at most).".into());
        }
        let outcomes = step.kind.outcomes();
        match step.outcome {
            Some(o) if !outcomes.contains(&o) => return Err(format!("{} is not an outcome of this step.", o.label())),
            None if !outcomes.is_empty() => {
                return Err(format!("Choose the outcome: {}.", outcomes.iter().map(|o| o.label().to_lowercase()).collect::<Vec<_>>().join(", ")));
            }
            _ => {}
        }
        match step.kind {
            StepKind::ExtensionReviewRequested => {
                let served = t.extension_notice_served_on.unwrap_or(step.on);
                within_request_window(step.on, served, "notice of extension", "s.125B")
            }
            StepKind::ExtensionReviewDecided => {
                not_before(step.on, self.extension_review_requested, "the tenant asked for it")?;
                needs_reasons(step, "Give the review's reasons (s.125B: if the decision is confirmed, the tenant is told why).")
            }
            StepKind::NoticeOfProceedings => self.check_notice(step, t),
            StepKind::PossessionReviewRequested => {
                let (served, _) = self.notice.unwrap_or((step.on, step.on));
                within_request_window(step.on, served, "notice of proceedings", "s.129")
            }
            StepKind::PossessionReviewDecided => {
                not_before(step.on, self.possession_review_requested, "the tenant asked for it")?;
                needs_reasons(step, "Give the review's reasons (s.129: if the decision is confirmed, the tenant is told why).")
            }
            StepKind::NoticeWithdrawn => not_before(step.on, self.notice.map(|n| n.0), "the notice was served"),
            StepKind::ProceedingsBegun => self.check_begun(step, t),
            StepKind::ProceedingsEnded => not_before(step.on, self.proceedings_begun, "the proceedings began"),
        }
    }

    fn check_notice(&self, step: &Step, t: &Tenancy) -> Result<(), String> {
        needs_reasons(step, "Set out the reasons for the decision to apply for a possession order, as the notice does (Housing Act 1996 s.128(3)).")?;
        let Some(from) = step.proceedings_from else {
            return Err("Give the date in the notice after which proceedings may begin (Housing Act 1996 s.128(4)).".into());
        };
        let earliest = step.on + Days::new(NOTICE_OF_PROCEEDINGS_MIN_DAYS);
        if from < earliest {
            return Err(format!(
                "The date after which proceedings may begin must be at least four weeks after the notice is served, {earliest} or later: \
                 no earlier than a notice to quit given the same day could end the tenancy (Housing Act 1996 s.128(4); Protection from Eviction Act 1977 s.5)."
            ));
        }
        if let Some(end) = t.trial_ends_on {
            if step.on >= end {
                return Err(format!(
                    "The trial period ended on {end}: the tenancy is no longer introductory, so a notice of proceedings under s.128 cannot be served."
                ));
            }
            let last = end.pred_opt().unwrap_or(end);
            if from >= last {
                return Err(format!(
                    "Proceedings could not begin after {from} and before the trial period ends on {end}; the tenancy would be secure by then \
                     (s.130 keeps it introductory only once proceedings have begun). Serve the notice with an earlier date, or extend the trial instead."
                ));
            }
        }
        Ok(())
    }

    fn check_begun(&self, step: &Step, t: &Tenancy) -> Result<(), String> {
        let Some((_, from)) = self.notice else { return Err("Record the notice of proceedings first.".into()) };
        if step.on <= from {
            return Err(format!(
                "The court will not entertain proceedings begun on or before {from}, the date in the notice of proceedings (Housing Act 1996 s.128(5))."
            ));
        }
        if let Some((decided, StepOutcome::Confirmed)) = self.possession_review
            && decided >= from
        {
            return Err(format!(
                "The tenant's review was decided on {decided}, not before {from}, the date in the notice (Housing Act 1996 s.129(6)): serve a fresh notice of proceedings."
            ));
        }
        if let Some(end) = t.trial_ends_on
            && step.on >= end
        {
            return Err(format!(
                "Proceedings begun on or after {end}, when the trial period ended, come too late: the tenancy became secure that day (s.130 applies only to proceedings begun before)."
            ));
        }
        Ok(())
    }

    /// The clocks the steps so far start: each with what is due and the last day for it.
    pub fn deadlines(&self, t: &Tenancy) -> Vec<(String, NaiveDate)> {
        let mut out = Vec::new();
        if self.possession_ordered() {
            return out;
        }
        if let (Some(served), None) = (t.extension_notice_served_on, self.extension_review_requested)
            && t.original_end.is_some_and(|end| served < end)
        {
            out.push(("Tenant may ask for a review of the extension until (s.125B)".into(), last_request_day(served)));
        }
        if let (Some(_), None, Some(end)) = (self.extension_review_requested, self.extension_review, t.original_end) {
            out.push((
                "Review of the extension to be done, and the tenant told, before the extension takes effect (s.125B)".into(),
                end.pred_opt().unwrap_or(end),
            ));
        }
        let end = t.trial_ends_on;
        match (self.notice, self.proceedings_running()) {
            (None, false) if t.possession_approved && t.tenure.is_introductory() => {
                if let Some(end) = end {
                    let last = end - Days::new(NOTICE_OF_PROCEEDINGS_MIN_DAYS + 2);
                    out.push(("Serve the notice of proceedings by, so proceedings can begin before the trial ends (s.128(4), s.130)".into(), last));
                }
            }
            (Some((served, from)), false) => {
                if self.possession_review_requested.is_none() {
                    out.push(("Tenant may ask for a review of the decision to seek possession until (s.129)".into(), last_request_day(served)));
                }
                if self.possession_review_pending() {
                    out.push(("Review to be done, and the tenant told, before the date in the notice (s.129(6))".into(), from.pred_opt().unwrap_or(from)));
                }
                if let Some(end) = end {
                    out.push((format!("Begin proceedings after {from} and by (s.128(5), s.130)"), end.pred_opt().unwrap_or(end)));
                }
            }
            _ => {}
        }
        out
    }
}

/// Who records the legal steps: whoever records the tenancy's introductory steps
/// (`introductory::may_record_steps`), and Legal, who serve notices and issue claims.
pub fn may_record(who: &crate::domain::access::Principal, scope: &crate::domain::access::RecordScope) -> bool {
    super::may_record_steps(who, scope) || who.role == crate::domain::Role::Legal
}

/// A step as typed into a form: its dates read, and a notice of proceedings confirmed to say what
/// s.128(6)–(7) require ("inform the tenant of his right to request a review ... and of the time
/// within which such a request must be made", and to take advice). Every problem at once.
pub fn read_step(
    kind: StepKind,
    on: &str,
    proceedings_from: Option<&str>,
    outcome: Option<StepOutcome>,
    detail: &str,
    rights_told: bool,
) -> Result<Step, String> {
    let mut problems = Vec::new();
    let on = crate::domain::clock::input_date(on, "Give the day the step happened (YYYY-MM-DD).").map_err(|e| problems.push(e)).ok();
    let from = match proceedings_from.map(str::trim).filter(|t| !t.is_empty()) {
        Some(t) => crate::domain::clock::input_date(t, "Give the date after which proceedings may begin as YYYY-MM-DD.").map_err(|e| problems.push(e)).ok(),
        None => None,
    };
    if kind == StepKind::NoticeOfProceedings && !rights_told {
        problems.push(
            "Confirm the notice tells the tenant of their right to ask for a review within 14 days, and to take advice at once (Housing Act 1996 s.128(6)–(7))."
                .into(),
        );
    }
    match on {
        Some(on) if problems.is_empty() => Ok(Step {
            kind,
            on,
            proceedings_from: from.filter(|_| kind == StepKind::NoticeOfProceedings),
            outcome,
            detail: detail.trim().to_string(),
            recorded_by: String::new(),
        }),
        _ => Err(problems.join(" ")),
    }
}

/// The last day of the 14 days "beginning with the day on which the notice ... is served"
/// (ss.125B(2), 129(2)): the day served counts as the first.
pub fn last_request_day(served: NaiveDate) -> NaiveDate {
    served + Days::new(REVIEW_REQUEST_DAYS - 1)
}

fn within_request_window(asked: NaiveDate, served: NaiveDate, notice: &str, section: &str) -> Result<(), String> {
    let last = last_request_day(served);
    if asked < served {
        return Err(format!("The request cannot come before the {notice} was served on {served}."));
    }
    if asked > last {
        return Err(format!(
            "Too late: a review must be asked for within 14 days beginning with the day the {notice} was served, by {last} (Housing Act 1996 {section})."
        ));
    }
    Ok(())
}

fn not_before(on: NaiveDate, earlier: Option<NaiveDate>, what: &str) -> Result<(), String> {
    match earlier {
        Some(e) if on < e => Err(format!("This step cannot be dated before {e}, when {what}.")),
        _ => Ok(()),
    }
}

fn needs_reasons(step: &Step, message: &str) -> Result<(), String> {
    if step.detail.trim().chars().count() < 10 { Err(message.into()) } else { Ok(()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn step(kind: StepKind, on: &str) -> Step {
        Step { kind, on: d(on), proceedings_from: None, outcome: None, detail: "Reasons given at length.".into(), recorded_by: String::new() }
    }

    fn notice(on: &str, from: &str) -> Step {
        Step { proceedings_from: Some(d(from)), ..step(StepKind::NoticeOfProceedings, on) }
    }

    fn decided(kind: StepKind, on: &str, outcome: StepOutcome) -> Step {
        Step { outcome: Some(outcome), ..step(kind, on) }
    }

    /// An introductory tenancy whose trial ends on 2027-03-01, possession approved.
    fn seeking() -> Tenancy {
        Tenancy {
            tenure: Tenure::Introductory,
            trial_ends_on: Some(d("2027-03-01")),
            original_end: Some(d("2027-03-01")),
            extension_notice_served_on: None,
            possession_approved: true,
        }
    }

    /// Records `steps` in order, each checked on its own date; panics on the first refusal.
    fn walk(t: &Tenancy, steps: &[Step]) -> Ladder {
        let mut done = Vec::new();
        for s in steps {
            Ladder::of(&done).check(s, t, s.on).unwrap_or_else(|e| panic!("{:?} on {}: {e}", s.kind, s.on));
            done.push(s.clone());
        }
        Ladder::of(&done)
    }

    /// s.128(3)–(4): "The notice shall set out the reasons for the landlord's decision" and
    /// "shall specify a date after which proceedings for the possession of the dwelling-house may
    /// be begun", no earlier than a notice to quit given that day could end the tenancy (four
    /// weeks: Protection from Eviction Act 1977 s.5(1)).
    #[test]
    fn a_notice_of_proceedings_gives_reasons_and_a_date_four_weeks_on() {
        let t = seeking();
        let l = Ladder::default();
        assert!(l.check(&notice("2026-12-01", "2026-12-29"), &t, d("2026-12-01")).is_ok());
        let short = l.check(&notice("2026-12-01", "2026-12-28"), &t, d("2026-12-01")).unwrap_err();
        assert!(short.contains("s.128(4)") && short.contains("2026-12-29"), "{short}");
        let bare = Step { detail: "arrears".into(), ..notice("2026-12-01", "2026-12-29") };
        assert!(l.check(&bare, &t, d("2026-12-01")).unwrap_err().contains("s.128(3)"));
        let undated = Step { proceedings_from: None, ..notice("2026-12-01", "2026-12-29") };
        assert!(l.check(&undated, &t, d("2026-12-01")).unwrap_err().contains("s.128(4)"));
        // Not before the Team Leader approved seeking possession, not in the future.
        let unapproved = Tenancy { possession_approved: false, ..t };
        assert!(l.check(&notice("2026-12-01", "2026-12-29"), &unapproved, d("2026-12-01")).unwrap_err().contains("approved"));
        assert!(l.check(&notice("2026-12-02", "2027-01-05"), &t, d("2026-12-01")).unwrap_err().contains("future"));
        // A date that leaves no day to begin proceedings before the trial ends is refused.
        let late = l.check(&notice("2027-02-01", "2027-03-01"), &t, d("2027-02-01")).unwrap_err();
        assert!(late.contains("s.130"), "{late}");
        assert!(l.check(&notice("2027-01-29", "2027-02-26"), &t, d("2027-01-29")).is_ok());
        // A secure tenancy gets no s.128 notice.
        let secure = Tenancy { tenure: Tenure::Secure, ..t };
        assert!(l.check(&notice("2026-12-01", "2026-12-29"), &secure, d("2026-12-01")).unwrap_err().contains("s.128"));
    }

    /// s.129(1): a request for a review "must be made before the end of the period of 14 days
    /// beginning with the day on which the notice of proceedings is served"; s.129(6): "The review
    /// shall be carried out and the tenant notified before the date specified in the notice".
    #[test]
    fn the_tenant_may_ask_for_a_review_within_14_days_and_it_is_done_before_the_date_in_the_notice() {
        let t = seeking();
        let served = walk(&t, &[notice("2026-12-01", "2027-01-05")]);
        assert_eq!(last_request_day(d("2026-12-01")), d("2026-12-14"));
        assert!(served.check(&step(StepKind::PossessionReviewRequested, "2026-12-14"), &t, d("2026-12-20")).is_ok());
        let late = served.check(&step(StepKind::PossessionReviewRequested, "2026-12-15"), &t, d("2026-12-20")).unwrap_err();
        assert!(late.contains("s.129") && late.contains("2026-12-14"), "{late}");
        // A pending review holds proceedings back; a review decided in time lets them begin.
        let asked = walk(&t, &[notice("2026-12-01", "2027-01-05"), step(StepKind::PossessionReviewRequested, "2026-12-10")]);
        assert!(asked.check(&step(StepKind::ProceedingsBegun, "2027-01-06"), &t, d("2027-01-06")).unwrap_err().contains("s.129(6)"));
        assert_eq!(
            asked.deadlines(&t).iter().find(|(l, _)| l.contains("s.129(6)")).map(|(_, d)| *d),
            Some(d("2027-01-04")),
            "the review's clock runs to the day before the date in the notice"
        );
        let in_time = walk(
            &t,
            &[
                notice("2026-12-01", "2027-01-05"),
                step(StepKind::PossessionReviewRequested, "2026-12-10"),
                decided(StepKind::PossessionReviewDecided, "2027-01-04", StepOutcome::Confirmed),
            ],
        );
        assert!(in_time.check(&step(StepKind::ProceedingsBegun, "2027-01-06"), &t, d("2027-01-06")).is_ok());
        // Decided on the date in the notice is too late: a fresh notice is needed.
        let too_late = walk(
            &t,
            &[
                notice("2026-12-01", "2027-01-05"),
                step(StepKind::PossessionReviewRequested, "2026-12-10"),
                decided(StepKind::PossessionReviewDecided, "2027-01-05", StepOutcome::Confirmed),
            ],
        );
        assert!(too_late.check(&step(StepKind::ProceedingsBegun, "2027-01-06"), &t, d("2027-01-06")).unwrap_err().contains("fresh notice"));
        // Overturned, the notice falls away: nothing to begin proceedings on; a new notice may follow.
        let overturned = walk(
            &t,
            &[
                notice("2026-12-01", "2027-01-05"),
                step(StepKind::PossessionReviewRequested, "2026-12-10"),
                decided(StepKind::PossessionReviewDecided, "2026-12-20", StepOutcome::Overturned),
            ],
        );
        assert_eq!(overturned.notice, None);
        assert!(overturned.next(&t, d("2026-12-21")).contains(&StepKind::NoticeOfProceedings));
        assert!(!overturned.next(&t, d("2026-12-21")).contains(&StepKind::ProceedingsBegun));
    }

    /// s.128(5): "The court shall not entertain proceedings for the possession of the
    /// dwelling-house unless they are begun after the date specified in the notice of proceedings."
    /// s.130: once begun, the tenancy remains introductory until they are determined.
    #[test]
    fn proceedings_begin_after_the_date_in_the_notice_and_keep_the_tenancy_introductory() {
        let t = seeking();
        let served = walk(&t, &[notice("2026-12-01", "2027-01-05")]);
        assert!(served.check(&step(StepKind::ProceedingsBegun, "2027-01-05"), &t, d("2027-01-05")).unwrap_err().contains("s.128(5)"));
        let begun = walk(&t, &[notice("2026-12-01", "2027-01-05"), step(StepKind::ProceedingsBegun, "2027-01-06")]);
        assert!(begun.proceedings_running());
        // Past the anniversary the tenancy is still introductory, and the claim can be ended.
        assert_eq!(begun.next(&t, d("2027-04-01")), vec![StepKind::ProceedingsEnded]);
        assert!(begun.deadlines(&t).is_empty(), "no clock while the court decides");
        assert!(begun.check(&step(StepKind::ProceedingsEnded, "2027-04-01"), &t, d("2027-04-01")).unwrap_err().contains("outcome"));
        let ordered = walk(
            &t,
            &[
                notice("2026-12-01", "2027-01-05"),
                step(StepKind::ProceedingsBegun, "2027-01-06"),
                decided(StepKind::ProceedingsEnded, "2027-04-01", StepOutcome::PossessionOrder),
            ],
        );
        assert!(ordered.possession_ordered() && !ordered.proceedings_running());
        assert!(ordered.next(&t, d("2027-04-02")).is_empty());
        // Begun on the anniversary is too late: the tenancy became secure that day.
        let late = walk(&t, &[notice("2027-01-20", "2027-02-27")]);
        assert!(late.check(&step(StepKind::ProceedingsBegun, "2027-03-01"), &t, d("2027-03-01")).unwrap_err().contains("secure"));
        assert!(!late.next(&t, d("2027-03-01")).contains(&StepKind::ProceedingsBegun));
    }

    /// Steps out of order are refused, each with the reason.
    #[test]
    fn steps_out_of_order_are_refused() {
        let t = seeking();
        let l = Ladder::default();
        for kind in [
            StepKind::PossessionReviewRequested,
            StepKind::PossessionReviewDecided,
            StepKind::NoticeWithdrawn,
            StepKind::ProceedingsBegun,
            StepKind::ProceedingsEnded,
        ] {
            assert!(l.check(&step(kind, "2026-12-01"), &t, d("2026-12-01")).is_err(), "{kind:?}");
        }
        assert_eq!(l.next(&t, d("2026-12-01")), vec![StepKind::NoticeOfProceedings]);
        let served = walk(&t, &[notice("2026-12-01", "2027-01-05")]);
        assert!(served.check(&notice("2026-12-02", "2027-01-06"), &t, d("2026-12-02")).unwrap_err().contains("already in force"));
        assert_eq!(served.next(&t, d("2026-12-02")), vec![StepKind::PossessionReviewRequested, StepKind::NoticeWithdrawn]);
        assert!(served.next(&t, d("2027-01-06")).contains(&StepKind::ProceedingsBegun), "offered once the date in the notice has passed");
        let withdrawn = walk(&t, &[notice("2026-12-01", "2027-01-05"), step(StepKind::NoticeWithdrawn, "2026-12-03")]);
        assert_eq!(withdrawn.next(&t, d("2026-12-04")), vec![StepKind::NoticeOfProceedings]);
        let dismissed = walk(
            &t,
            &[
                notice("2026-12-01", "2027-01-05"),
                step(StepKind::ProceedingsBegun, "2027-01-06"),
                decided(StepKind::ProceedingsEnded, "2027-05-01", StepOutcome::Dismissed),
            ],
        );
        assert!(!dismissed.proceedings_running());
        // Dismissed after the anniversary: the tenancy is secure; no new notice can be served.
        assert!(dismissed.next(&t, d("2027-05-02")).is_empty());
        // Outcomes belong to their steps.
        let wrong = Step { outcome: Some(StepOutcome::PossessionOrder), ..step(StepKind::PossessionReviewDecided, "2026-12-05") };
        let asked = walk(&t, &[notice("2026-12-01", "2027-01-05"), step(StepKind::PossessionReviewRequested, "2026-12-02")]);
        assert!(asked.check(&wrong, &t, d("2026-12-05")).unwrap_err().contains("not an outcome"));
    }

    /// s.125B(2): a review of the decision to extend "must be made before the end of the period
    /// of 14 days beginning with the day on which the notice of extension is served", and the
    /// review is carried out and the tenant told before the extension takes effect.
    #[test]
    fn the_tenant_may_ask_for_a_review_of_an_extension_within_14_days() {
        let t = Tenancy {
            tenure: Tenure::ExtendedIntroductory,
            trial_ends_on: Some(d("2027-09-01")),
            original_end: Some(d("2027-03-01")),
            extension_notice_served_on: Some(d("2026-12-20")),
            possession_approved: false,
        };
        let l = Ladder::default();
        assert_eq!(l.deadlines(&t), vec![("Tenant may ask for a review of the extension until (s.125B)".to_string(), d("2027-01-02"))]);
        assert!(l.check(&step(StepKind::ExtensionReviewRequested, "2027-01-02"), &t, d("2027-01-05")).is_ok());
        let late = l.check(&step(StepKind::ExtensionReviewRequested, "2027-01-03"), &t, d("2027-01-05")).unwrap_err();
        assert!(late.contains("s.125B") && late.contains("2027-01-02"), "{late}");
        let asked = walk(&t, &[step(StepKind::ExtensionReviewRequested, "2026-12-30")]);
        assert_eq!(asked.deadlines(&t)[0].1, d("2027-02-28"));
        assert!(asked.check(&step(StepKind::ExtensionReviewDecided, "2027-01-10"), &t, d("2027-01-10")).unwrap_err().contains("outcome"));
        let overturned = walk(
            &t,
            &[step(StepKind::ExtensionReviewRequested, "2026-12-30"), decided(StepKind::ExtensionReviewDecided, "2027-01-10", StepOutcome::Overturned)],
        );
        assert!(overturned.extension_overturned());
        // No notice of extension, no review of one.
        let none = Tenancy { extension_notice_served_on: None, ..t };
        assert!(l.check(&step(StepKind::ExtensionReviewRequested, "2027-01-02"), &none, d("2027-01-05")).unwrap_err().contains("s.125B"));
    }

    /// s.128(6)–(7): the notice tells the tenant of the right to a review and to take advice;
    /// every problem with a typed step is reported at once.
    #[test]
    fn a_typed_notice_must_say_what_s128_requires() {
        let told = read_step(StepKind::NoticeOfProceedings, "2026-12-01", Some("2026-12-29"), None, " Arrears of £900. ", true).unwrap();
        assert_eq!((told.on, told.proceedings_from, told.detail.as_str()), (d("2026-12-01"), Some(d("2026-12-29")), "Arrears of £900."));
        let untold = read_step(StepKind::NoticeOfProceedings, "tuesday", Some("soon"), None, "Arrears", false).unwrap_err();
        assert!(untold.contains("s.128(6)") && untold.contains("day the step happened") && untold.contains("proceedings may begin"), "{untold}");
        let request = read_step(StepKind::PossessionReviewRequested, "2026-12-02", Some("2026-12-29"), None, "", false).unwrap();
        assert_eq!(request.proceedings_from, None, "only a notice carries the date");
    }

    /// The possession clock: with possession approved and no notice, the last day to serve one so
    /// that proceedings can still begin before the trial ends (s.128(4) four weeks, s.130).
    #[test]
    fn the_notice_of_proceedings_has_a_clock() {
        let t = seeking();
        let l = Ladder::default();
        let (label, last) = &l.deadlines(&t)[0];
        assert!(label.contains("notice of proceedings"));
        assert_eq!(*last, d("2027-01-30"));
        // Served on that last day, the earliest lawful date still leaves a day to begin.
        assert!(l.check(&notice("2027-01-30", "2027-02-27"), &t, d("2027-01-30")).is_ok());
        let begun_ok = walk(&t, &[notice("2027-01-30", "2027-02-27")]);
        assert!(begun_ok.check(&step(StepKind::ProceedingsBegun, "2027-02-28"), &t, d("2027-02-28")).is_ok());
    }
}
