//! Awaab's Law for damp and mould: the ladder a reported damp and mould hazard climbs, and the
//! clock on each rung.
//!
//! Section 10A of the Landlord and Tenant Act 1985 (inserted by s.42 of the Social Housing
//! (Regulation) Act 2023) implies into every social tenancy in England that the landlord meets the
//! requirements the Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025
//! prescribe (in force 27 October 2025). For a damp and mould hazard, from the day the landlord
//! becomes aware of it:
//! - investigate it within **10 working days**;
//! - give the tenant a **written summary** of what the investigation found within **3 working
//!   days** of the investigation concluding, whether or not a hazard was found;
//! - where the investigation finds a **significant hazard**, do the relevant safety work within
//!   **5 working days** of the investigation concluding; where it finds an **emergency hazard**,
//!   make it safe within **24 hours**.
//!
//! "Working day" in the Regulations excludes weekends, Christmas Day, Good Friday and the bank
//! holidays of England and Wales: the [`WorkingCalendar`] with the real bank holidays.
//!
//! Pure rules: the clocks of a ladder, the step that may come next, what a step must say.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use super::clock::{Deadline, WorkingCalendar, input_date, london_at};
use super::codes::code_enum;

code_enum!(
    /// What the investigation found.
    HazardFinding {
        NoHazard = "no_hazard": "No significant hazard",
        Significant = "significant": "Significant hazard",
        Emergency = "emergency": "Emergency hazard",
    }
);

code_enum!(
    /// The rungs of the ladder after the report.
    HazardStep {
        Investigated = "investigated": "Investigated",
        SummarySent = "summary_sent": "Written summary sent to the tenant",
        MadeSafe = "made_safe": "Safety work done",
    }
);

/// Investigation: within 10 working days of becoming aware.
pub const INVESTIGATE: Deadline = Deadline::WorkingDays(10);
/// Written summary: within 3 working days of the investigation concluding.
pub const SUMMARY: Deadline = Deadline::WorkingDays(3);
/// Relevant safety work for a significant hazard: within 5 working days of the investigation concluding.
pub const SAFETY_WORK: Deadline = Deadline::WorkingDays(5);
/// An emergency hazard: made safe within 24 hours.
pub const EMERGENCY: Deadline = Deadline::Hours(24);

/// The longest description or note.
pub const MAX_TEXT: usize = 2000;

/// Where a reported hazard stands: when the council became aware, and each rung's date.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ladder {
    pub aware_at: DateTime<Utc>,
    pub investigated_at: Option<DateTime<Utc>>,
    pub finding: Option<HazardFinding>,
    pub summary_at: Option<DateTime<Utc>>,
    pub safe_at: Option<DateTime<Utc>>,
}

/// One rung's clock: when it falls due, what the law allows, and when it was done.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Rung {
    pub step: HazardStep,
    pub due_at: DateTime<Utc>,
    /// E.g. "within 10 working days of the report".
    pub within: String,
    pub done_at: Option<DateTime<Utc>>,
}

impl Rung {
    /// Done after its clock ran out.
    pub fn late(&self) -> bool {
        self.done_at.is_some_and(|d| d > self.due_at)
    }
}

impl Ladder {
    /// The rungs whose clocks have started: the investigation from the report; the summary and
    /// (for a significant or emergency hazard) the safety work once the investigation concluded.
    pub fn rungs(&self, cal: &WorkingCalendar) -> Vec<Rung> {
        let mut out = vec![Rung {
            step: HazardStep::Investigated,
            due_at: INVESTIGATE.due(self.aware_at, cal),
            within: "within 10 working days of the report".into(),
            done_at: self.investigated_at,
        }];
        if let Some(at) = self.investigated_at {
            out.push(Rung {
                step: HazardStep::SummarySent,
                due_at: SUMMARY.due(at, cal),
                within: "within 3 working days of the investigation".into(),
                done_at: self.summary_at,
            });
            let safety = match self.finding {
                Some(HazardFinding::Significant) => Some((SAFETY_WORK, "within 5 working days of the investigation")),
                Some(HazardFinding::Emergency) => Some((EMERGENCY, "within 24 hours of the investigation")),
                _ => None,
            };
            if let Some((deadline, within)) = safety {
                out.push(Rung { step: HazardStep::MadeSafe, due_at: deadline.due(at, cal), within: within.into(), done_at: self.safe_at });
            }
        }
        out
    }

    /// The open rung that falls due first, if any is open.
    pub fn next_due(&self, cal: &WorkingCalendar) -> Option<Rung> {
        self.rungs(cal).into_iter().filter(|r| r.done_at.is_none()).min_by_key(|r| r.due_at)
    }

    /// The steps that may be recorded now, in ladder order.
    pub fn next_steps(&self) -> Vec<HazardStep> {
        if self.investigated_at.is_none() {
            return vec![HazardStep::Investigated];
        }
        let mut out = vec![];
        if self.summary_at.is_none() {
            out.push(HazardStep::SummarySent);
        }
        if self.safe_at.is_none() && matches!(self.finding, Some(HazardFinding::Significant | HazardFinding::Emergency)) {
            out.push(HazardStep::MadeSafe);
        }
        out
    }

    /// Every rung the law asks for is done: the hazard is closed.
    pub fn is_closed(&self) -> bool {
        self.investigated_at.is_some() && self.next_steps().is_empty()
    }

    /// The ladder with a step taken: checks it may come now, its moment (not in the future, not
    /// before the rung it follows), and that an investigation says what it found.
    pub fn take(&self, step: HazardStep, at: DateTime<Utc>, finding: Option<HazardFinding>, now: DateTime<Utc>) -> Result<Ladder, String> {
        if !self.next_steps().contains(&step) {
            return Err(if self.is_closed() {
                "Every step of this hazard is recorded: it is closed.".into()
            } else if step == HazardStep::MadeSafe && self.investigated_at.is_some() {
                "The investigation found no significant hazard: there is no safety work to record.".into()
            } else if self.investigated_at.is_none() {
                "Record the investigation first: the summary and the safety work follow it.".into()
            } else {
                format!("{} is already recorded.", step.label())
            });
        }
        if at > now {
            return Err("That is in the future: record a step once it has happened.".into());
        }
        let after = if step == HazardStep::Investigated { self.aware_at } else { self.investigated_at.unwrap_or(self.aware_at) };
        if at < after {
            return Err(format!(
                "That is before {}: check the day and time.",
                if step == HazardStep::Investigated { "the council knew of the hazard" } else { "the investigation" }
            ));
        }
        let mut next = self.clone();
        match step {
            HazardStep::Investigated => {
                next.finding = Some(finding.ok_or("Say what the investigation found: no significant hazard, a significant hazard, or an emergency hazard.")?);
                next.investigated_at = Some(at);
            }
            HazardStep::SummarySent => next.summary_at = Some(at),
            HazardStep::MadeSafe => next.safe_at = Some(at),
        }
        if step != HazardStep::Investigated && finding.is_some() {
            return Err("Only the investigation records what was found.".into());
        }
        Ok(next)
    }
}

/// Reads the day and time a step happened (or the council became aware), London time.
pub fn read_moment(on: &str, time: &str) -> Result<DateTime<Utc>, String> {
    let on: NaiveDate = input_date(on, "Give the day as a date (YYYY-MM-DD).")?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| "Give the time as HH:MM, e.g. 14:30.".to_string())?;
    Ok(london_at(on, time))
}

/// A report as the law needs it: what was reported or seen, and when the council became aware
/// (the moment every clock runs from), which is neither in the future nor before the tenancy began.
pub fn read_report(detail: &str, on: &str, at: &str, began: NaiveDate, now: DateTime<Utc>) -> Result<(String, DateTime<Utc>), String> {
    let detail = read_text(detail, "what was reported or seen")?;
    let aware = read_moment(on, at)?;
    if aware > now {
        return Err("That is in the future: give when the council became aware of the damp and mould.".into());
    }
    if super::clock::london_date(aware) < began {
        return Err(format!("That is before the tenancy began ({began}): check the day."));
    }
    Ok((detail, aware))
}

/// A new hazard may be reported on a tenancy, by someone who may record there, only while none is open.
pub fn may_report(may_record: bool, open: usize) -> bool {
    may_record && open == 0
}

/// Checks what a report or a step says: what was found or done, in the officer's words.
pub fn read_text(text: &str, what: &str) -> Result<String, String> {
    let t = text.trim();
    if t.chars().count() < 3 {
        return Err(format!("Say {what}."));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(format!("Keep it to {MAX_TEXT} characters."));
    }
    Ok(t.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        let (d, t) = s.split_once(' ').unwrap();
        read_moment(d, t).unwrap()
    }

    fn cal() -> &'static WorkingCalendar {
        WorkingCalendar::england_and_wales()
    }

    fn reported(s: &str) -> Ladder {
        Ladder { aware_at: at(s), ..Ladder::default() }
    }

    /// Hazards in Social Housing (Prescribed Requirements) (England) Regulations 2025 (Landlord
    /// and Tenant Act 1985 s.10A): a damp and mould hazard is investigated within 10 working days
    /// of the landlord becoming aware; weekends and England's bank holidays do not count.
    #[test]
    fn the_investigation_is_due_ten_working_days_after_the_report() {
        // Monday 7 December 2026: ten working days is Monday 21 December.
        let l = reported("2026-12-07 10:15");
        let r = l.rungs(cal());
        assert_eq!(r.len(), 1);
        assert_eq!(r[0].step, HazardStep::Investigated);
        assert_eq!(r[0].due_at.date_naive(), NaiveDate::from_ymd_opt(2026, 12, 21).unwrap());
        // Reported on Friday 18 December: Christmas Day, Boxing Day (its substitute, Monday 28th)
        // and New Year's Day do not count, so the tenth working day is Wednesday 6 January 2027.
        let l = reported("2026-12-18 16:00");
        assert_eq!(l.rungs(cal())[0].due_at.date_naive(), NaiveDate::from_ymd_opt(2027, 1, 6).unwrap());
        assert_eq!(l.next_steps(), vec![HazardStep::Investigated]);
        assert!(!l.is_closed());
    }

    /// The same Regulations: a written summary within 3 working days of the investigation
    /// concluding, and relevant safety work for a significant hazard within 5 working days.
    #[test]
    fn a_significant_hazard_starts_the_summary_and_safety_work_clocks() {
        let now = at("2026-12-31 12:00");
        let l = reported("2026-12-07 10:15");
        let l = l.take(HazardStep::Investigated, at("2026-12-10 11:00"), Some(HazardFinding::Significant), now).unwrap();
        let r = l.rungs(cal());
        assert_eq!(r.iter().map(|r| r.step).collect::<Vec<_>>(), vec![HazardStep::Investigated, HazardStep::SummarySent, HazardStep::MadeSafe]);
        // Thursday 10th: the summary by Tuesday 15th, the safety work by Thursday 17th.
        assert_eq!(r[1].due_at.date_naive(), NaiveDate::from_ymd_opt(2026, 12, 15).unwrap());
        assert_eq!(r[2].due_at.date_naive(), NaiveDate::from_ymd_opt(2026, 12, 17).unwrap());
        assert_eq!(l.next_due(cal()).unwrap().step, HazardStep::SummarySent);
        assert_eq!(l.next_steps(), vec![HazardStep::SummarySent, HazardStep::MadeSafe]);
        let l = l.take(HazardStep::MadeSafe, at("2026-12-18 09:00"), None, now).unwrap();
        assert!(l.rungs(cal())[2].late(), "made safe on the 18th, a day late");
        assert!(!l.is_closed());
        let l = l.take(HazardStep::SummarySent, at("2026-12-14 09:00"), None, now).unwrap();
        assert!(!l.rungs(cal())[1].late());
        assert!(l.is_closed());
        assert_eq!(l.next_due(cal()), None);
        assert!(l.take(HazardStep::SummarySent, at("2026-12-14 09:00"), None, now).unwrap_err().contains("closed"));
    }

    /// The Regulations: an emergency hazard is made safe within 24 hours; and the written summary
    /// is owed even where the investigation found no significant hazard (then no safety work).
    #[test]
    fn an_emergency_has_24_hours_and_no_hazard_still_owes_the_summary() {
        let now = at("2026-12-31 12:00");
        let l = reported("2026-12-11 09:00").take(HazardStep::Investigated, at("2026-12-11 15:30"), Some(HazardFinding::Emergency), now).unwrap();
        let safe = l.rungs(cal()).into_iter().find(|r| r.step == HazardStep::MadeSafe).unwrap();
        assert_eq!(safe.due_at, at("2026-12-12 15:30"), "24 clock hours, across the weekend");
        assert_eq!(l.next_due(cal()).unwrap().step, HazardStep::MadeSafe);

        let l = reported("2026-12-11 09:00").take(HazardStep::Investigated, at("2026-12-14 10:00"), Some(HazardFinding::NoHazard), now).unwrap();
        assert_eq!(l.next_steps(), vec![HazardStep::SummarySent]);
        assert_eq!(l.rungs(cal()).len(), 2);
        assert!(l.take(HazardStep::MadeSafe, at("2026-12-15 10:00"), None, now).unwrap_err().contains("no significant hazard"));
        assert!(l.take(HazardStep::SummarySent, at("2026-12-15 10:00"), None, now).unwrap().is_closed());
    }

    #[test]
    fn steps_come_in_order_with_what_they_need() {
        let now = at("2026-12-20 12:00");
        let l = reported("2026-12-07 10:15");
        assert!(l.take(HazardStep::SummarySent, at("2026-12-08 10:00"), None, now).unwrap_err().contains("investigation first"));
        assert!(l.take(HazardStep::Investigated, at("2026-12-08 10:00"), None, now).unwrap_err().contains("what the investigation found"));
        assert!(l.take(HazardStep::Investigated, at("2026-12-06 10:00"), Some(HazardFinding::Significant), now).unwrap_err().contains("before"));
        assert!(l.take(HazardStep::Investigated, at("2026-12-21 10:00"), Some(HazardFinding::Significant), now).unwrap_err().contains("future"));
        let l = l.take(HazardStep::Investigated, at("2026-12-09 10:00"), Some(HazardFinding::Significant), now).unwrap();
        assert!(l.take(HazardStep::Investigated, at("2026-12-09 10:00"), Some(HazardFinding::Significant), now).unwrap_err().contains("already"));
        assert!(l.take(HazardStep::SummarySent, at("2026-12-08 10:00"), None, now).unwrap_err().contains("before the investigation"));
        assert!(l.take(HazardStep::SummarySent, at("2026-12-10 10:00"), Some(HazardFinding::NoHazard), now).unwrap_err().contains("Only the investigation"));
    }

    #[test]
    fn moments_and_text_are_read_with_clear_errors() {
        assert!(read_moment("2026-13-01", "10:00").is_err());
        assert!(read_moment("2026-12-01", "25:00").unwrap_err().contains("HH:MM"));
        assert_eq!(read_text("  Black mould behind the wardrobe  ", "what was found").unwrap(), "Black mould behind the wardrobe");
        assert_eq!(read_text(" a ", "what was found").unwrap_err(), "Say what was found.");
        assert!(read_text(&"x".repeat(MAX_TEXT + 1), "it").is_err());
    }

    /// Awaab's Law's clocks run from when the landlord became aware (the Regulations 2025): that
    /// moment cannot be in the future, nor before the tenancy it concerns began.
    #[test]
    fn a_report_says_what_and_when_the_council_became_aware() {
        let began = NaiveDate::from_ymd_opt(2025, 4, 1).unwrap();
        let now = at("2026-12-07 12:00");
        let (detail, aware) = read_report("  Black mould in the back bedroom ", "2026-12-04", "09:30", began, now).unwrap();
        assert_eq!(detail, "Black mould in the back bedroom");
        assert_eq!(aware, at("2026-12-04 09:30"));
        assert!(read_report("Mould", "2026-12-07", "12:30", began, now).unwrap_err().contains("future"));
        assert!(read_report("Mould", "2025-03-31", "09:00", began, now).unwrap_err().contains("before the tenancy began (2025-04-01)"));
        assert!(read_report("", "2026-12-04", "09:30", began, now).unwrap_err().contains("Say what was reported"));
        assert!(read_report("Mould", "4/12/2026", "09:30", began, now).is_err());
        assert!(may_report(true, 0));
        assert!(!may_report(true, 1), "one open hazard per tenancy");
        assert!(!may_report(false, 0));
    }
}
