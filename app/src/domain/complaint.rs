//! A complaint's two stages under the Housing Ombudsman's Complaint Handling Code (statutory
//! since 1 April 2024): acknowledged, answered, extended once with the reason told, escalated to
//! stage 2 and answered there by someone else; every clock from when the resident complained;
//! and the Regulator's complaint measures CH01 and CH02, per stage.
//!
//! The day counts are `clock::ComplaintStage`'s; this module orders the steps and dates them.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::clock::{ComplaintStage, WorkingCalendar};
use super::codes::code_enum;

code_enum!(
    /// A step in a complaint's handling.
    ComplaintEvent {
        Acknowledged = "acknowledged": "Acknowledged",
        Extended = "extended": "Response time extended",
        Answered = "answered": "Answered",
        EscalationRequested = "escalation_requested": "Resident asked for stage 2",
    }
);

/// A step as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct ComplaintStep {
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub kind: ComplaintEvent,
    #[cfg_attr(feature = "ssr", schema(value_type = String))]
    pub stage: ComplaintStage,
    pub on: NaiveDate,
    /// An extension's length in working days.
    pub extension_days: Option<u32>,
    /// The reason for an extension as told to the resident, the response's summary, or a note.
    pub detail: String,
    /// Who recorded it (id and name, filled in by the store).
    #[serde(default)]
    pub by_id: i64,
    #[serde(default)]
    pub by: String,
}

/// One stage's progress.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Stage {
    /// When the clock started: the complaint received, or the request to escalate.
    pub opened: Option<NaiveDate>,
    pub acknowledged: Option<NaiveDate>,
    /// Who acknowledged it: the stage's handler.
    pub handler: Option<i64>,
    pub extension_days: Option<u32>,
    pub answered: Option<(NaiveDate, i64)>,
}

impl Stage {
    /// The last day to acknowledge, then to answer (with any extension), while that is due.
    pub fn due(&self, stage: ComplaintStage, cal: &WorkingCalendar) -> Option<(ComplaintEvent, NaiveDate)> {
        let opened = self.opened?;
        match (self.acknowledged, self.answered) {
            (_, Some(_)) => None,
            (None, None) => Some((ComplaintEvent::Acknowledged, stage.acknowledge_by(opened, cal))),
            (Some(ack), None) => Some((ComplaintEvent::Answered, self.respond_by(stage, ack, cal))),
        }
    }

    fn respond_by(&self, stage: ComplaintStage, ack: NaiveDate, cal: &WorkingCalendar) -> NaiveDate {
        let days = self.extension_days.unwrap_or(0).min(stage.max_extension());
        stage.respond_by(ack, days, cal).unwrap_or(ack)
    }

    /// Whether the stage was answered within the Code's timescales: acknowledged in time and
    /// answered by the response day (with an extension the Code allows). None until answered.
    pub fn in_time(&self, stage: ComplaintStage, cal: &WorkingCalendar) -> Option<bool> {
        let (answered, _) = self.answered?;
        let (opened, ack) = (self.opened?, self.acknowledged?);
        Some(ack <= stage.acknowledge_by(opened, cal) && answered <= self.respond_by(stage, ack, cal))
    }
}

/// A complaint's progress through both stages, folded from its steps in order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Progress {
    pub received: NaiveDate,
    pub stage1: Stage,
    pub stage2: Stage,
}

impl Progress {
    pub fn of(received: NaiveDate, steps: &[ComplaintStep]) -> Progress {
        let mut p = Progress { received, stage1: Stage { opened: Some(received), ..Stage::default() }, stage2: Stage::default() };
        for s in steps {
            let st = p.stage_mut(s.stage);
            match s.kind {
                ComplaintEvent::Acknowledged => {
                    st.acknowledged = Some(s.on);
                    st.handler = Some(s.by_id);
                }
                ComplaintEvent::Extended => st.extension_days = s.extension_days,
                ComplaintEvent::Answered => st.answered = Some((s.on, s.by_id)),
                ComplaintEvent::EscalationRequested => p.stage2.opened = Some(s.on),
            }
        }
        p
    }

    fn stage_mut(&mut self, stage: ComplaintStage) -> &mut Stage {
        match stage {
            ComplaintStage::Stage1 => &mut self.stage1,
            ComplaintStage::Stage2 => &mut self.stage2,
        }
    }

    pub fn stage(&self, stage: ComplaintStage) -> &Stage {
        match stage {
            ComplaintStage::Stage1 => &self.stage1,
            ComplaintStage::Stage2 => &self.stage2,
        }
    }

    /// The stage the complaint is at: stage 2 once the resident asked for it.
    pub fn current(&self) -> ComplaintStage {
        if self.stage2.opened.is_some() { ComplaintStage::Stage2 } else { ComplaintStage::Stage1 }
    }

    /// The stage a new step of `event` belongs to: a request to escalate opens stage 2.
    pub fn stage_for(&self, event: ComplaintEvent) -> ComplaintStage {
        if event == ComplaintEvent::EscalationRequested { ComplaintStage::Stage2 } else { self.current() }
    }

    /// Who answered stage 1: never the person who considers stage 2.
    pub fn stage1_handler(&self) -> Option<i64> {
        self.stage1.answered.map(|(_, by)| by)
    }

    /// The next deadline: what is due, at which stage, by when.
    pub fn due(&self, cal: &WorkingCalendar) -> Option<(ComplaintStage, ComplaintEvent, NaiveDate)> {
        let stage = self.current();
        self.stage(stage).due(stage, cal).map(|(e, d)| (stage, e, d))
    }

    /// The steps `who` may record now.
    pub fn next(&self, who: i64) -> Vec<ComplaintEvent> {
        ComplaintEvent::ALL.iter().copied().filter(|e| self.order(*e, who).is_ok()).collect()
    }

    fn order(&self, event: ComplaintEvent, who: i64) -> Result<(), String> {
        let stage = self.current();
        let st = self.stage(stage);
        let second_by_first = stage == ComplaintStage::Stage2 && self.stage1_handler() == Some(who);
        match event {
            ComplaintEvent::Acknowledged if st.acknowledged.is_some() => Err(format!("{} is already acknowledged.", stage.label())),
            ComplaintEvent::Extended | ComplaintEvent::Answered if st.acknowledged.is_none() => {
                Err(format!("Acknowledge the complaint at {} first (Complaint Handling Code 5.4, 6.4).", stage.label().to_lowercase()))
            }
            ComplaintEvent::Extended | ComplaintEvent::Answered if st.answered.is_some() => Err(format!("{} is already answered.", stage.label())),
            ComplaintEvent::Extended if st.extension_days.is_some() => {
                Err(format!("{} has had its one extension (Complaint Handling Code 5.8, 6.14).", stage.label()))
            }
            ComplaintEvent::EscalationRequested if stage == ComplaintStage::Stage2 => Err("The complaint is already at stage 2.".into()),
            ComplaintEvent::EscalationRequested if self.stage1.answered.is_none() => {
                Err("A complaint is escalated to stage 2 after its stage 1 response.".into())
            }
            ComplaintEvent::Acknowledged | ComplaintEvent::Extended | ComplaintEvent::Answered if second_by_first => {
                Err("You answered this complaint at stage 1: stage 2 is considered by someone else (Complaint Handling Code 6.7).".into())
            }
            _ => Ok(()),
        }
    }

    /// Checks a step `who` records on `today`: in order, dated between the last step and today,
    /// an extension no longer than the Code allows and its reason told.
    pub fn check(&self, step: &ComplaintStep, who: i64, today: NaiveDate) -> Result<(), String> {
        self.order(step.kind, who)?;
        if step.stage != self.current() && step.kind != ComplaintEvent::EscalationRequested {
            return Err(format!("The complaint is at {}.", self.current().label().to_lowercase()));
        }
        if step.on > today {
            return Err("A step is recorded once it has happened: the date cannot be in the future.".into());
        }
        let stage = self.current();
        let st = self.stage(stage);
        let earliest = [st.opened, st.acknowledged, self.stage1.answered.map(|a| a.0).filter(|_| step.kind == ComplaintEvent::EscalationRequested)]
            .into_iter()
            .flatten()
            .max()
            .unwrap_or(self.received);
        if step.on < earliest {
            return Err(format!("This step cannot be dated before {earliest}."));
        }
        let words = step.detail.trim().chars().count();
        if words > 4000 {
            return Err("The note is too long (4,000 characters at most).".into());
        }
        match step.kind {
            ComplaintEvent::Extended => {
                let max = stage.max_extension();
                match step.extension_days {
                    Some(d) if (1..=max).contains(&d) => {}
                    _ => {
                        return Err(format!(
                            "An extension at {} is 1 to {max} working days (Complaint Handling Code 5.8, 6.14).",
                            stage.label().to_lowercase()
                        ));
                    }
                }
                if words < 10 {
                    return Err("Give the reason for the extension as told to the resident (Complaint Handling Code 5.8, 6.14).".into());
                }
            }
            ComplaintEvent::Answered if words < 10 => {
                return Err("Summarise the response: the decision, the reasons and any remedy (Complaint Handling Code 5.12, 6.17).".into());
            }
            _ => {}
        }
        Ok(())
    }
}

/// What is due next, as the case page names it, with the Code's paragraph.
pub fn due_label(stage: ComplaintStage, event: ComplaintEvent) -> String {
    let first = stage == ComplaintStage::Stage1;
    match event {
        ComplaintEvent::Acknowledged => format!("{} acknowledgement due (Complaint Handling Code {})", stage.label(), if first { "5.4" } else { "6.4" }),
        _ => format!("{} response due (Complaint Handling Code {})", stage.label(), if first { "5.6" } else { "6.13" }),
    }
}

/// Whether `who` may take a complaint's stage 2 from outside its area: any Team Leader who did not
/// answer stage 1 until one acknowledges it, then that one (who keeps sight of it). Code 6.7: "the
/// person considering the complaint at stage 2 must not be the same person that considered the
/// complaint at stage 1", so a complaint its own area's Team Leader answered goes to a peer.
pub fn stage2_duty(who: &super::access::Principal, p: &Progress) -> bool {
    who.role == super::Role::TeamLeader
        && p.current() == ComplaintStage::Stage2
        && p.stage1_handler() != Some(who.user_id)
        && p.stage2.handler.is_none_or(|h| h == who.user_id)
}

/// Who records a complaint's handling: its holder, whoever covers them and their Team Leader
/// (`introductory::may_record_steps`, the same rule), and at stage 2 a peer Team Leader.
pub fn may_record(who: &super::access::Principal, scope: &super::access::RecordScope, p: &Progress) -> bool {
    super::introductory::may_record_steps(who, scope) || stage2_duty(who, p)
}

/// The reporting year (1 April to 31 March) a day falls in, by the year it begins.
pub fn reporting_year(day: NaiveDate) -> i32 {
    if day.month() >= 4 { day.year() } else { day.year() - 1 }
}

/// The Regulator's complaint measures for one stage over a reporting year (Tenant Satisfaction
/// Measures: Technical requirements, CH01 and CH02).
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct StageFigures {
    /// Complaints received at this stage in the year.
    pub received: u32,
    /// CH01: received per 1,000 homes.
    pub per_thousand_homes: f64,
    /// Complaints responded to at this stage in the year.
    pub responded: u32,
    /// Of those, responded to within the Code's timescales.
    pub within_timescales: u32,
    /// CH02: the share within timescales, percent (None with no responses).
    pub within_timescales_pct: Option<f64>,
}

/// CH01 and CH02 for both stages of the reporting year beginning 1 April `year`, over `homes`
/// homes, from each complaint's progress.
pub fn figures(year: i32, homes: u64, complaints: &[Progress], cal: &WorkingCalendar) -> [StageFigures; 2] {
    [ComplaintStage::Stage1, ComplaintStage::Stage2].map(|stage| {
        let mut f = StageFigures::default();
        for c in complaints {
            let st = c.stage(stage);
            if st.opened.is_some_and(|d| reporting_year(d) == year) {
                f.received += 1;
            }
            if st.answered.is_some_and(|(d, _)| reporting_year(d) == year) {
                f.responded += 1;
                f.within_timescales += u32::from(st.in_time(stage, cal) == Some(true));
            }
        }
        f.per_thousand_homes = if homes == 0 { 0.0 } else { (f.received as f64 * 1000.0 / homes as f64 * 10.0).round() / 10.0 };
        f.within_timescales_pct = (f.responded > 0).then(|| (f.within_timescales as f64 * 1000.0 / f.responded as f64).round() / 10.0);
        f
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn step(kind: ComplaintEvent, stage: ComplaintStage, on: &str, by: i64) -> ComplaintStep {
        ComplaintStep { kind, stage, on: d(on), extension_days: None, detail: "Told the resident in writing.".into(), by_id: by, by: String::new() }
    }

    use ComplaintEvent::*;
    use ComplaintStage::*;

    fn walk(received: &str, steps: &[ComplaintStep]) -> Progress {
        let mut done = Vec::new();
        for s in steps {
            Progress::of(d(received), &done).check(s, s.by_id, s.on).unwrap_or_else(|e| panic!("{:?} {:?}: {e}", s.kind, s.stage));
            done.push(s.clone());
        }
        Progress::of(d(received), &done)
    }

    /// Code 5.4: "Complaints must be acknowledged ... within five working days of the complaint
    /// being received"; 5.6: a response "within 10 working days of the complaint being
    /// acknowledged". The clock runs from when the resident complained (Monday 2 March 2026).
    #[test]
    fn stage_one_runs_from_receipt_five_then_ten_working_days() {
        let cal = WorkingCalendar::england_and_wales();
        let p = Progress::of(d("2026-03-02"), &[]);
        assert_eq!(p.due(cal), Some((Stage1, Acknowledged, d("2026-03-09"))));
        let acked = walk("2026-03-02", &[step(Acknowledged, Stage1, "2026-03-04", 7)]);
        assert_eq!(acked.due(cal), Some((Stage1, Answered, d("2026-03-18"))));
        assert_eq!(acked.next(7), vec![Extended, Answered]);
        // Acknowledging twice, answering before acknowledging: refused.
        assert!(p.check(&step(Answered, Stage1, "2026-03-04", 7), 7, d("2026-03-04")).unwrap_err().contains("Acknowledge"));
        assert!(acked.check(&step(Acknowledged, Stage1, "2026-03-05", 7), 7, d("2026-03-05")).is_err());
        assert!(p.check(&step(Acknowledged, Stage1, "2026-03-01", 7), 7, d("2026-03-05")).unwrap_err().contains("before 2026-03-02"));
        assert!(p.check(&step(Acknowledged, Stage1, "2026-03-06", 7), 7, d("2026-03-05")).unwrap_err().contains("future"));
    }

    /// Code 5.8: an extension "must not exceed 10 working days without good reason", with the
    /// reason explained to the resident; 6.14: stage 2's "must not exceed 20 working days". Once.
    #[test]
    fn one_extension_with_its_reason_no_longer_than_the_code_allows() {
        let cal = WorkingCalendar::england_and_wales();
        let acked = walk("2026-03-02", &[step(Acknowledged, Stage1, "2026-03-04", 7)]);
        let ext = |days| ComplaintStep { extension_days: Some(days), ..step(Extended, Stage1, "2026-03-10", 7) };
        assert!(acked.check(&ext(11), 7, d("2026-03-10")).unwrap_err().contains("1 to 10"));
        let bare = ComplaintStep { detail: "busy".into(), ..ext(5) };
        assert!(acked.check(&bare, 7, d("2026-03-10")).unwrap_err().contains("reason"));
        let extended = walk("2026-03-02", &[step(Acknowledged, Stage1, "2026-03-04", 7), ext(10)]);
        assert_eq!(extended.due(cal), Some((Stage1, Answered, d("2026-04-01"))), "ten more working days");
        assert!(extended.check(&ext(2), 7, d("2026-03-11")).unwrap_err().contains("one extension"));
        // Stage 2 allows up to 20.
        assert_eq!(Stage2.max_extension(), 20);
    }

    /// Code 6.4–6.7: stage 2 is acknowledged within 5 working days of the request to escalate and
    /// answered within 20 of the acknowledgement, and "the person considering the complaint at
    /// stage 2 must not be the same person that considered the complaint at stage 1".
    #[test]
    fn stage_two_is_someone_elses_and_runs_from_the_request() {
        let cal = WorkingCalendar::england_and_wales();
        let answered = walk("2026-03-02", &[step(Acknowledged, Stage1, "2026-03-04", 7), step(Answered, Stage1, "2026-03-16", 7)]);
        assert_eq!(answered.stage1.in_time(Stage1, cal), Some(true));
        assert_eq!(answered.due(cal), None);
        assert_eq!(answered.next(7), vec![EscalationRequested]);
        let escalated = walk(
            "2026-03-02",
            &[step(Acknowledged, Stage1, "2026-03-04", 7), step(Answered, Stage1, "2026-03-16", 7), step(EscalationRequested, Stage2, "2026-03-20", 7)],
        );
        assert_eq!(escalated.current(), Stage2);
        assert_eq!(escalated.due(cal), Some((Stage2, Acknowledged, d("2026-03-27"))));
        let by_first = escalated.check(&step(Acknowledged, Stage2, "2026-03-23", 7), 7, d("2026-03-23")).unwrap_err();
        assert!(by_first.contains("6.7"), "{by_first}");
        assert!(escalated.next(7).is_empty());
        assert_eq!(escalated.next(9), vec![Acknowledged]);
        let acked2 = walk(
            "2026-03-02",
            &[
                step(Acknowledged, Stage1, "2026-03-04", 7),
                step(Answered, Stage1, "2026-03-16", 7),
                step(EscalationRequested, Stage2, "2026-03-20", 7),
                step(Acknowledged, Stage2, "2026-03-23", 9),
            ],
        );
        // Twenty working days from Monday 23 March, over Easter 2026 (3 and 6 April): 22 April.
        assert_eq!(acked2.due(cal), Some((Stage2, Answered, d("2026-04-22"))));
        // Not escalated before stage 1 is answered.
        let acked = walk("2026-03-02", &[step(Acknowledged, Stage1, "2026-03-04", 7)]);
        assert!(acked.check(&step(EscalationRequested, Stage2, "2026-03-05", 7), 7, d("2026-03-05")).is_err());
    }

    /// Code 6.7: stage 2 by someone other than the stage 1 handler; a peer Team Leader may take it.
    #[test]
    fn a_peer_team_leader_may_take_stage_two() {
        use crate::domain::Role;
        use crate::domain::access::{RecordScope, test_principal};
        let leader = |id: i64, area: i64| test_principal(id, Role::TeamLeader, Some(area), None);
        let scope = RecordScope { area_team_id: 1, owner_id: Some(7), restricted: false, granted: false, duty: false };
        let answered = walk("2026-03-02", &[step(Acknowledged, Stage1, "2026-03-04", 7), step(Answered, Stage1, "2026-03-16", 7)]);
        assert!(may_record(&leader(7, 1), &scope, &answered), "the holder, at stage 1");
        assert!(!may_record(&leader(8, 2), &scope, &answered), "another area's leader, not yet");
        let escalated = walk(
            "2026-03-02",
            &[step(Acknowledged, Stage1, "2026-03-04", 7), step(Answered, Stage1, "2026-03-16", 7), step(EscalationRequested, Stage2, "2026-03-20", 7)],
        );
        assert!(stage2_duty(&leader(8, 2), &escalated) && may_record(&leader(8, 2), &scope, &escalated));
        assert!(!stage2_duty(&leader(7, 1), &escalated), "not the stage 1 handler");
        assert!(!stage2_duty(&test_principal(9, Role::CommunityHmo, Some(2), None), &escalated));
        // Once a peer acknowledges stage 2 it is theirs: they keep sight of it, others lose it.
        let mut taken = escalated;
        taken.stage2.handler = Some(8);
        assert!(stage2_duty(&leader(8, 2), &taken) && !stage2_duty(&leader(10, 3), &taken));
    }

    /// CH01: complaints received per 1,000 homes; CH02: the share of complaints responded to
    /// within the Code's timescales; each per stage and per reporting year (1 April–31 March),
    /// as the Regulator's Tenant Satisfaction Measures technical requirements define them.
    #[test]
    fn ch01_and_ch02_per_stage_and_reporting_year() {
        let cal = WorkingCalendar::england_and_wales();
        let on_time = walk("2026-04-01", &[step(Acknowledged, Stage1, "2026-04-02", 7), step(Answered, Stage1, "2026-04-10", 7)]);
        let late_ack = walk("2026-04-01", &[step(Acknowledged, Stage1, "2026-04-20", 7), step(Answered, Stage1, "2026-04-21", 7)]);
        let escalated = walk(
            "2026-05-01",
            &[
                step(Acknowledged, Stage1, "2026-05-01", 7),
                step(Answered, Stage1, "2026-05-05", 7),
                step(EscalationRequested, Stage2, "2026-05-06", 7),
                step(Acknowledged, Stage2, "2026-05-07", 9),
                step(Answered, Stage2, "2026-05-20", 9),
            ],
        );
        let open = walk("2026-06-01", &[]);
        let last_year = walk("2026-03-02", &[step(Acknowledged, Stage1, "2026-03-04", 7), step(Answered, Stage1, "2026-03-16", 7)]);
        let [s1, s2] = figures(2026, 2_000, &[on_time, late_ack, escalated, open, last_year], cal);
        assert_eq!((s1.received, s1.responded, s1.within_timescales), (4, 3, 2));
        assert_eq!(s1.per_thousand_homes, 2.0);
        assert_eq!(s1.within_timescales_pct, Some(66.7));
        assert_eq!((s2.received, s2.responded, s2.within_timescales, s2.within_timescales_pct), (1, 1, 1, Some(100.0)));
        assert_eq!(s2.per_thousand_homes, 0.5);
        assert_eq!(reporting_year(d("2026-03-31")), 2025);
        assert_eq!(reporting_year(d("2026-04-01")), 2026);
        assert_eq!(figures(2026, 0, &[], cal)[0].within_timescales_pct, None);
    }
}
