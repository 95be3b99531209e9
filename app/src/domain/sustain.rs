//! Sustainable tenancy work: referrals from the Community HMO, action plans agreed with the
//! tenant, hand-back, and the timescales that put a clock on each open step. Pure and tested.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::clock::WorkingCalendar;
use super::codes::code_enum;

/// Working days the Team Leader has to accept or decline a referral.
pub const REFERRAL_DECISION_WORKING_DAYS: u32 = 5;
/// Working days the Sustainable Tenancy HMO has to agree an action plan with the tenant once accepted.
pub const PLAN_AGREEMENT_WORKING_DAYS: u32 = 10;
/// Working days the Community HMO has to acknowledge a hand-back.
pub const HAND_BACK_WORKING_DAYS: u32 = 5;
/// Working days Legal or the Community Safety Hub have to respond to an escalation.
pub const ESCALATION_RESPONSE_WORKING_DAYS: u32 = 10;
/// A plan is reviewed at least this often (calendar days) unless the officer sets a sooner date.
pub const MAX_REVIEW_INTERVAL_DAYS: i64 = 42;

/// The last day (inclusive) for a step that takes `working_days` from `from`.
pub fn due_after(from: NaiveDate, working_days: u32, cal: &WorkingCalendar) -> NaiveDate {
    cal.add_working_days(from, working_days)
}

code_enum!(
    /// Who carries out an action in a plan.
    ActionOwner {
        Officer = "officer": "Housing officer",
        Tenant = "tenant": "Tenant",
        Agency = "agency": "Partner agency",
    }
);

code_enum!(
    ActionStatus {
        Open = "open": "Open",
        Done = "done": "Done",
        Dropped = "dropped": "No longer needed",
    }
);

impl ActionStatus {
    /// Where an action may go from here, with the words on its button: an open action is done or
    /// no longer needed; a closed one may be reopened.
    pub fn moves(self) -> &'static [(ActionStatus, &'static str)] {
        match self {
            ActionStatus::Open => &[(ActionStatus::Done, "Done"), (ActionStatus::Dropped, "No longer needed")],
            ActionStatus::Done | ActionStatus::Dropped => &[(ActionStatus::Open, "Reopen")],
        }
    }

    /// May an action in this state move to `to`?
    pub fn may_move_to(self, to: ActionStatus) -> bool {
        self.moves().iter().any(|(s, _)| *s == to)
    }
}

/// May `who` change a case's support plan? While the case is open: the Sustainable Tenancy HMO
/// who holds it (or covers for them), or the area's Team Leader when an STHMO holds it.
pub fn may_edit_plan(who: &super::access::Principal, open: bool, owner_id: Option<i64>, owner_role: Option<super::Role>, area_team_id: i64) -> bool {
    use super::Role;
    let holder = who.acts_for(owner_id) && who.role == Role::SustainableHmo;
    let team_leader = who.role == Role::TeamLeader && who.area_team_id == Some(area_team_id) && owner_role == Some(Role::SustainableHmo);
    open && (holder || team_leader)
}

/// What the Community HMO writes to refer a case.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReferralText {
    pub concerns: String,
    pub risks: String,
    pub tried: String,
}

fn need(text: &str, min: usize, max: usize, what: &str) -> Result<(), String> {
    let n = text.trim().chars().count();
    if n < min {
        return Err(format!("Describe {what} (at least {min} characters)."));
    }
    if n > max {
        return Err(format!("{} is too long ({max} characters at most).", capitalise(what)));
    }
    Ok(())
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
}

impl ReferralText {
    /// Every part is needed: the Team Leader decides on all three.
    pub fn validate(&self) -> Result<(), String> {
        need(&self.concerns, 10, 4000, "the concerns")?;
        need(&self.risks, 5, 4000, "the risks")?;
        need(&self.tried, 5, 4000, "what has been tried")?;
        Ok(())
    }
    /// Stored as the proposal's detail.
    pub fn to_detail(&self) -> String {
        serde_json::json!({ "risks": self.risks.trim(), "tried": self.tried.trim() }).to_string()
    }
    pub fn from_stored(concerns: &str, detail: &str) -> ReferralText {
        let v: serde_json::Value = serde_json::from_str(detail).unwrap_or_default();
        let get = |k: &str| v.get(k).and_then(|s| s.as_str()).unwrap_or_default().to_string();
        ReferralText { concerns: concerns.to_string(), risks: get("risks"), tried: get("tried") }
    }
}

/// A new action for a plan, as typed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewAction<'a> {
    pub description: &'a str,
    pub owner: &'a str,
    pub owner_name: &'a str,
    pub due_on: &'a str,
}

/// Checks a new plan action; returns the owner kind and due date.
pub fn check_action(a: &NewAction<'_>, today: NaiveDate) -> Result<(ActionOwner, NaiveDate), String> {
    need(a.description, 5, 1000, "the action")?;
    let owner = ActionOwner::parse(a.owner.trim()).ok_or("Choose who carries out the action: the housing officer, the tenant or a partner agency.")?;
    if owner != ActionOwner::Tenant {
        need(a.owner_name, 2, 200, "who carries out the action (a name or agency)")?;
    }
    let due = super::clock::input_date(a.due_on, &format!("{:?} is not a date: give the due date as YYYY-MM-DD.", a.due_on.trim()))?;
    if due < today {
        return Err(format!("The due date {due} has already passed; choose today or later."));
    }
    if due > today + chrono::Duration::days(366) {
        return Err("Actions are due within a year; break a longer piece of work into steps.".into());
    }
    Ok((owner, due))
}

/// Checks the plan's agreement and next review dates.
pub fn check_plan_dates(agreed_on: &str, next_review_on: &str, today: NaiveDate) -> Result<(NaiveDate, NaiveDate), String> {
    let agreed = super::clock::input_date(agreed_on, "Give the date the plan was agreed with the tenant (YYYY-MM-DD).")?;
    if agreed > today {
        return Err("The plan cannot be agreed in the future.".into());
    }
    let review = super::clock::input_date(next_review_on, "Give the date of the next review (YYYY-MM-DD).")?;
    if review <= today {
        return Err("The next review must be after today.".into());
    }
    if review > today + chrono::Duration::days(MAX_REVIEW_INTERVAL_DAYS) {
        return Err(format!(
            "Review the plan at least every {} weeks: choose a date by {}.",
            MAX_REVIEW_INTERVAL_DAYS / 7,
            today + chrono::Duration::days(MAX_REVIEW_INTERVAL_DAYS)
        ));
    }
    Ok((agreed, review))
}

/// A hand-back needs a summary of what the plan achieved.
pub fn check_hand_back(summary: &str, open_actions: usize) -> Result<(), String> {
    need(summary, 20, 4000, "what the plan achieved and what the Community HMO should watch for")?;
    if open_actions > 0 {
        return Err(format!(
            "{open_actions} action{} still open: mark each done or no longer needed before handing the case back.",
            if open_actions == 1 { " is" } else { "s are" }
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;
    use crate::domain::access::test_principal;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn an_open_action_is_done_or_dropped_and_a_closed_one_only_reopened() {
        use ActionStatus::*;
        for (from, to, ok) in [
            (Open, Done, true),
            (Open, Dropped, true),
            (Open, Open, false),
            (Done, Open, true),
            (Done, Dropped, false),
            (Dropped, Open, true),
            (Dropped, Done, false),
        ] {
            assert_eq!(from.may_move_to(to), ok, "{from:?} -> {to:?}");
        }
        assert!(ActionStatus::ALL.iter().all(|s| !s.moves().is_empty()), "no action is stuck");
    }

    #[test]
    fn the_plan_is_the_holding_sthmos_and_their_team_leaders_while_the_case_is_open() {
        let (holder, area) = (7, 2);
        let sthmo = test_principal(holder, Role::SustainableHmo, Some(area), None);
        let mut cover = test_principal(8, Role::SustainableHmo, Some(area), None);
        cover.covering = vec![holder];
        let tl = test_principal(9, Role::TeamLeader, Some(area), None);
        let other_tl = test_principal(10, Role::TeamLeader, Some(3), None);
        let chmo = test_principal(holder, Role::CommunityHmo, Some(area), None);
        let sthmo_holds = Some(Role::SustainableHmo);
        assert!(may_edit_plan(&sthmo, true, Some(holder), sthmo_holds, area));
        assert!(may_edit_plan(&cover, true, Some(holder), sthmo_holds, area), "cover acts for the holder");
        assert!(may_edit_plan(&tl, true, Some(holder), sthmo_holds, area));
        assert!(!may_edit_plan(&tl, true, Some(holder), Some(Role::CommunityHmo), area), "no plan while a Community HMO holds the case");
        assert!(!may_edit_plan(&other_tl, true, Some(holder), sthmo_holds, area), "another area's Team Leader");
        assert!(!may_edit_plan(&chmo, true, Some(holder), sthmo_holds, area), "a Community HMO does not work the plan");
        assert!(!may_edit_plan(&sthmo, false, Some(holder), sthmo_holds, area), "a closed case's plan is closed");
    }

    #[test]
    fn referral_needs_every_part() {
        let ok = ReferralText { concerns: "Repeated noise complaints and threats".into(), risks: "Tenancy at risk".into(), tried: "Two warnings".into() };
        assert!(ok.validate().is_ok());
        assert!(ReferralText { concerns: "short".into(), ..ok.clone() }.validate().unwrap_err().contains("concerns"));
        assert!(ReferralText { risks: " ".into(), ..ok.clone() }.validate().unwrap_err().contains("risks"));
        assert!(ReferralText { tried: "x".repeat(4001), ..ok.clone() }.validate().unwrap_err().contains("too long"));
        let back = ReferralText::from_stored(&ok.concerns, &ok.to_detail());
        assert_eq!(back, ok);
        assert_eq!(ReferralText::from_stored("c", "not json").risks, "");
    }

    #[test]
    fn actions_are_checked() {
        let today = d("2026-11-20");
        let a = NewAction { description: "Refer to debt advice", owner: "agency", owner_name: "Money advice", due_on: "2026-12-01" };
        assert_eq!(check_action(&a, today), Ok((ActionOwner::Agency, d("2026-12-01"))));
        assert!(check_action(&NewAction { owner_name: "", ..a.clone() }, today).is_err());
        assert!(check_action(&NewAction { owner: "tenant", owner_name: "", ..a.clone() }, today).is_ok());
        assert!(check_action(&NewAction { owner: "mayor", ..a.clone() }, today).unwrap_err().contains("Choose who"));
        assert!(check_action(&NewAction { due_on: "2026-11-19", ..a.clone() }, today).unwrap_err().contains("already passed"));
        assert!(check_action(&NewAction { due_on: "1/12/2026", ..a.clone() }, today).unwrap_err().contains("not a date"));
        assert!(check_action(&NewAction { due_on: "2028-01-01", ..a.clone() }, today).unwrap_err().contains("within a year"));
    }

    #[test]
    fn plan_dates() {
        let today = d("2026-11-20");
        assert!(check_plan_dates("2026-11-20", "2026-12-18", today).is_ok());
        assert!(check_plan_dates("2026-11-21", "2026-12-18", today).unwrap_err().contains("future"));
        assert!(check_plan_dates("2026-11-20", "2026-11-20", today).unwrap_err().contains("after today"));
        assert!(check_plan_dates("2026-11-20", "2027-01-02", today).unwrap_err().contains("every 6 weeks"));
    }

    #[test]
    fn hand_back_needs_summary_and_closed_actions() {
        assert!(check_hand_back("Plan met: rent paid, mediation done, no reports for 8 weeks", 0).is_ok());
        assert!(check_hand_back("done", 0).is_err());
        assert!(check_hand_back("Plan met: rent paid, mediation done, no reports for 8 weeks", 2).unwrap_err().contains("2 actions are still open"));
    }

    #[test]
    fn timescales_count_working_days() {
        let cal = WorkingCalendar::england_and_wales();
        // Friday 18 Dec 2026 + 5 working days: 21-24 Dec, then Christmas (Fri 25) and Boxing Day's
        // substitute (Mon 28) are skipped, so the fifth is Tuesday 29 Dec.
        assert_eq!(due_after(d("2026-12-18"), REFERRAL_DECISION_WORKING_DAYS, cal), d("2026-12-29"));
        assert_eq!(due_after(d("2026-11-20"), PLAN_AGREEMENT_WORKING_DAYS, cal), d("2026-12-04"));
    }
}
