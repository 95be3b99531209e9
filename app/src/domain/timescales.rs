//! The timescales a council sets, read once at start (`HEARTH_*` settings) and handed to every
//! service in `Clock`: the introductory review's lead, and the working days each step between
//! roles may take. The defaults are the seeds' (York's and Sheffield's practice).

use serde::{Deserialize, Serialize};

use super::introductory::REVIEW_LEAD_WEEKS_DEFAULT;
use super::sustain::{ESCALATION_RESPONSE_WORKING_DAYS, HAND_BACK_WORKING_DAYS, PLAN_AGREEMENT_WORKING_DAYS, REFERRAL_DECISION_WORKING_DAYS};

/// The longest a step between roles may be given, in working days (three months).
pub const STEP_WORKING_DAYS_MAX: u32 = 65;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Timescales {
    /// Weeks before the anniversary that an introductory review with no decision shows as due
    /// (`introductory::check_review_lead_weeks`).
    pub review_lead_weeks: u32,
    /// Working days the Team Leader has to accept or decline a referral to the Sustainable Tenancy HMO.
    pub referral_decision_days: u32,
    /// Working days the Sustainable Tenancy HMO has to agree an action plan once the case is accepted.
    pub plan_agreement_days: u32,
    /// Working days the Community HMO has to acknowledge a hand-back.
    pub hand_back_days: u32,
    /// Working days Legal or the Community Safety Hub have to conclude an escalation.
    pub escalation_response_days: u32,
    /// Unanswered visits, at different times of day, before the no-access letter (`visits::ladder`).
    pub no_access_attempts: u32,
    /// Working days the tenant has to answer the no-access letter before the home is referred for
    /// investigation.
    pub no_access_letter_days: u32,
    /// How often each programmed visit comes round (`programme::Cycles`).
    pub cycles: super::programme::Cycles,
    /// The visiting programme's yearly targets (`pipeline::Targets`).
    pub targets: super::pipeline::Targets,
}

impl Default for Timescales {
    fn default() -> Self {
        Timescales {
            review_lead_weeks: REVIEW_LEAD_WEEKS_DEFAULT,
            referral_decision_days: REFERRAL_DECISION_WORKING_DAYS,
            plan_agreement_days: PLAN_AGREEMENT_WORKING_DAYS,
            hand_back_days: HAND_BACK_WORKING_DAYS,
            escalation_response_days: ESCALATION_RESPONSE_WORKING_DAYS,
            no_access_attempts: super::visits::NO_ACCESS_ATTEMPTS,
            no_access_letter_days: super::visits::NO_ACCESS_LETTER_DAYS,
            cycles: super::programme::Cycles::default(),
            targets: super::pipeline::Targets::default(),
        }
    }
}

/// The unanswered visits a council asks for before the letter: 2 to 6.
pub fn check_no_access_attempts(text: &str) -> Result<u32, String> {
    let n: u32 = text.trim().parse().map_err(|_| format!("{:?} is not a number of visits", text.trim()))?;
    if (2..=6).contains(&n) { Ok(n) } else { Err(format!("{n} visits is outside 2 to 6")) }
}

/// A step's working days as a council may set them: 1 to [`STEP_WORKING_DAYS_MAX`].
pub fn check_step_days(text: &str) -> Result<u32, String> {
    let days: u32 = text.trim().parse().map_err(|_| format!("{:?} is not a number of working days", text.trim()))?;
    if (1..=STEP_WORKING_DAYS_MAX).contains(&days) { Ok(days) } else { Err(format!("{days} working days is outside 1 to {STEP_WORKING_DAYS_MAX}")) }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_defaults_are_the_seeds_and_steps_are_checked() {
        let t = Timescales::default();
        assert_eq!((t.review_lead_weeks, t.referral_decision_days, t.plan_agreement_days, t.hand_back_days, t.escalation_response_days), (12, 5, 10, 5, 10));
        assert_eq!(check_step_days(" 7 "), Ok(7));
        assert!(check_step_days("0").unwrap_err().contains("outside"));
        assert!(check_step_days("66").unwrap_err().contains("outside"));
        assert!(check_step_days("five").unwrap_err().contains("not a number"));
    }
}
