//! Visits officers record themselves: what happened at the door, what they found, and the clock each
//! finding starts (Haringey's visiting standards, `seeds/003`; Awaab's Law for emergency hazards: see
//! [`FindingKind::follow_up`]). Pure rules: who may record, what a report must say, when each
//! follow-up falls due.

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use serde::{Deserialize, Serialize};

use crate::domain::access::{Principal, RecordScope, can_view_record};
use crate::domain::clock::{WorkingCalendar, input_date, london_at};
use crate::domain::{FindingKind, Role, VisitOutcome, VisitType};

/// The longest note or finding an officer types.
pub const MAX_NOTES: usize = 4000;
pub const MAX_FINDING: usize = 2000;

/// One thing found at a visit, in the officer's words.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Finding {
    pub kind: FindingKind,
    pub detail: String,
}

/// A visit as an officer reports it, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VisitReport {
    pub kind: VisitType,
    /// When the officer was at the door (London time).
    pub at: DateTime<Utc>,
    pub on: NaiveDate,
    pub outcome: VisitOutcome,
    /// No access: a calling card was left.
    pub card_left: bool,
    pub findings: Vec<Finding>,
    pub notes: String,
    /// The key the officer's device gave this report: sending it twice records it once.
    pub client_key: String,
}

/// Who may record a visit to a home: the officers who work tenancies (any HMO role) and Team
/// Leaders, where they may see the tenancy at all.
pub fn may_record(who: &Principal, scope: &RecordScope) -> bool {
    makes_visits(who.role) && can_view_record(who, scope).is_ok()
}

/// The roles that visit homes: the housing officers and Team Leaders (they record visits and
/// have a day of them).
pub fn makes_visits(role: Role) -> bool {
    role.is_hmo() || role == Role::TeamLeader
}

/// What a safeguarding finding reads as to someone who does not need to know.
pub const RESTRICTED_FINDING: &str = "Restricted finding";

/// Safeguarding findings are need-to-know: the tenancy's officer (or whoever covers them), and the
/// area's Team Leader. Other officers who may open the tenancy see that a finding is restricted, not
/// what it is.
pub fn sees_safeguarding(who: &Principal, scope: &RecordScope) -> bool {
    who.acts_for(scope.owner_id) || (who.role == Role::TeamLeader && who.area_team_id == Some(scope.area_team_id))
}

/// Reads and checks a report: the day and time it happened (not in the future, not before the
/// tenancy began), an outcome of the door (completed or no access), findings only where someone
/// was seen (each kind once, each saying what was found), notes within bounds, and the device's key.
#[allow(clippy::too_many_arguments)]
pub fn read_report(
    kind: VisitType,
    on: &str,
    time: &str,
    outcome: VisitOutcome,
    card_left: bool,
    findings: Vec<Finding>,
    notes: &str,
    client_key: &str,
    tenancy_began: NaiveDate,
    now: DateTime<Utc>,
) -> Result<VisitReport, String> {
    let on = input_date(on, "Give the day of the visit as a date (YYYY-MM-DD).")?;
    let time = NaiveTime::parse_from_str(time.trim(), "%H:%M").map_err(|_| "Give the time of the visit as HH:MM, e.g. 14:30.".to_string())?;
    let at = london_at(on, time);
    if at > now {
        return Err("The visit is in the future: record a visit once it has happened.".into());
    }
    if on < tenancy_began {
        return Err(format!("The visit is before the tenancy began ({tenancy_began}): check the day."));
    }
    if !matches!(outcome, VisitOutcome::Completed | VisitOutcome::NoAccess) {
        return Err("Say what happened at the door: visit completed, or no access.".into());
    }
    if outcome == VisitOutcome::NoAccess && !findings.is_empty() {
        return Err("No access: nobody was seen, so record no findings (say what you saw from outside in the notes).".into());
    }
    if card_left && outcome != VisitOutcome::NoAccess {
        return Err("A calling card is left only when there was no access.".into());
    }
    let mut seen = Vec::new();
    let mut checked = Vec::new();
    for f in findings {
        if seen.contains(&f.kind) {
            return Err(format!("{} is recorded twice: put everything about it in one finding.", f.kind.label()));
        }
        seen.push(f.kind);
        let detail = f.detail.trim().to_string();
        if detail.chars().count() < 3 {
            return Err(format!("{}: say what was found.", f.kind.label()));
        }
        if detail.chars().count() > MAX_FINDING {
            return Err(format!("{}: keep it to {MAX_FINDING} characters.", f.kind.label()));
        }
        checked.push(Finding { kind: f.kind, detail });
    }
    let notes = notes.trim().to_string();
    if notes.chars().count() > MAX_NOTES {
        return Err(format!("The notes are longer than {MAX_NOTES} characters."));
    }
    let key = client_key.trim();
    if !(8..=64).contains(&key.len()) || !key.chars().all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_') {
        return Err("The form's key is missing or damaged: reload the page and record the visit again.".into());
    }
    Ok(VisitReport { kind, at, on, outcome, card_left, findings: checked, notes, client_key: key.to_string() })
}

/// Unanswered visits before the no-access letter, by default: three, at different times of day.
pub const NO_ACCESS_ATTEMPTS: u32 = 3;
/// Working days to answer the no-access letter, by default, before the home is referred.
pub const NO_ACCESS_LETTER_DAYS: u32 = 10;

/// When in the day a door was knocked (London time): morning before noon, afternoon to 5 pm, evening after.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum DayPart {
    Morning,
    Afternoon,
    Evening,
}

impl DayPart {
    pub fn of(at: DateTime<Utc>) -> DayPart {
        use chrono::Timelike;
        match crate::domain::clock::to_london(at).hour() {
            0..12 => DayPart::Morning,
            12..17 => DayPart::Afternoon,
            _ => DayPart::Evening,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            DayPart::Morning => "morning",
            DayPart::Afternoon => "afternoon",
            DayPart::Evening => "evening",
        }
    }
}

/// Where an unanswered home stands on the no-access ladder.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum NoAccessStep {
    /// Call again, at a time of day not yet tried, by the date.
    TryAgain,
    /// Enough unanswered visits: send the no-access letter by the date.
    SendLetter,
    /// The letter's answer is awaited until the date.
    AwaitAnswer,
    /// No answer: refer the home for investigation (possible abandonment or subletting) by the date.
    Refer,
}

/// The ladder for one home: the unanswered visits since anyone was last seen there, and what next.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct NoAccess {
    pub attempts: u32,
    pub parts: Vec<DayPart>,
    pub step: NoAccessStep,
    pub by: NaiveDate,
}

impl NoAccess {
    pub fn summary(&self) -> String {
        let tried = self.parts.iter().map(|p| p.label()).collect::<Vec<_>>().join(", ");
        let next = match self.step {
            NoAccessStep::TryAgain => format!("call again at another time of day by {}", self.by),
            NoAccessStep::SendLetter => format!("send the no-access letter by {}", self.by),
            NoAccessStep::AwaitAnswer => format!("the letter's answer is awaited until {}", self.by),
            NoAccessStep::Refer => format!("no answer: refer the home for investigation by {}", self.by),
        };
        let s = if self.attempts == 1 { "" } else { "s" };
        format!("No access {} time{s} since the tenant was last seen ({tried}): {next}.", self.attempts)
    }
}

/// The no-access ladder (`seeds/003`: homes that never answer are where fraud and abandonment
/// hide). From the visits at the door (outcome and instant, any order), counting the unanswered
/// ones since the last completed visit: fewer than `attempts`, or not yet at as many different
/// times of day (up to three), is "try again" within 5 working days of the last; then the letter
/// within 2 working days; then `letter_days` working days for an answer; then referral, due the next
/// working day. It moves on by the calendar alone: nobody has to push it.
pub fn ladder(door: &[(VisitOutcome, DateTime<Utc>)], attempts: u32, letter_days: u32, cal: &WorkingCalendar, today: NaiveDate) -> Option<NoAccess> {
    let last_seen = door.iter().filter(|(o, _)| *o == VisitOutcome::Completed).map(|(_, at)| *at).max();
    let mut tries: Vec<DateTime<Utc>> = door.iter().filter(|(o, at)| *o == VisitOutcome::NoAccess && Some(*at) > last_seen).map(|(_, at)| *at).collect();
    tries.sort();
    let last = crate::domain::clock::london_date(*tries.last()?);
    let mut parts: Vec<DayPart> = tries.iter().map(|t| DayPart::of(*t)).collect();
    parts.sort();
    parts.dedup();
    let n = tries.len() as u32;
    let (step, by) = if n < attempts || (parts.len() as u32) < attempts.min(3) {
        (NoAccessStep::TryAgain, cal.add_working_days(last, 5))
    } else {
        let letter_by = cal.add_working_days(last, 2);
        let answer_by = cal.add_working_days(letter_by, letter_days);
        if today <= letter_by {
            (NoAccessStep::SendLetter, letter_by)
        } else if today <= answer_by {
            (NoAccessStep::AwaitAnswer, answer_by)
        } else {
            (NoAccessStep::Refer, cal.add_working_days(answer_by, 1))
        }
    };
    Some(NoAccess { attempts: n, parts, step, by })
}

/// One officer's visiting, as a Team Leader reads it: visits completed this week (from Monday) and
/// this month, unanswered ones this month, follow-ups open and overdue, and of those closed this
/// month how many within their clock.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct OfficerVisiting {
    pub officer: String,
    /// The team's total (the last row).
    #[serde(default)]
    pub total: bool,
    pub completed_week: u32,
    pub completed_month: u32,
    pub no_access_month: u32,
    pub follow_ups_open: u32,
    pub follow_ups_overdue: u32,
    pub closed_month: u32,
    pub closed_on_time_month: u32,
}

/// A visit at the door in the figures: who, what happened, when.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DoorEvent {
    pub officer: String,
    pub outcome: VisitOutcome,
    pub at: DateTime<Utc>,
}

/// A follow-up in the figures: whose home (the tenancy's officer; none while unassigned), when
/// due, when closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpEvent {
    pub officer: Option<String>,
    pub due_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// Someone the officer found had joined the household, as the form or the API sends them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct JoinerIn {
    pub first_name: String,
    pub last_name: String,
    /// `YYYY-MM-DD`.
    pub date_of_birth: String,
    pub sex: Option<super::occupancy::Sex>,
    pub relationship: Option<super::Relationship>,
}

/// Someone who joined the household, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Joiner {
    pub first_name: String,
    pub last_name: String,
    pub date_of_birth: NaiveDate,
    pub sex: super::occupancy::Sex,
    pub relationship: super::Relationship,
}

/// A change to the household seen at the door: members who have left (by id), and those who joined.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HouseholdChange {
    pub left: Vec<i64>,
    pub joined: Vec<Joiner>,
}

impl HouseholdChange {
    pub fn is_empty(&self) -> bool {
        self.left.is_empty() && self.joined.is_empty()
    }
}

/// The most people one visit may add to a household.
pub const MAX_JOINERS: usize = 10;

/// Checks a household change recorded at a visit on `on` against the household as recorded
/// (`members`: id and whether a tenant). The household is seen only when someone came to the
/// door; members who leave must be current and not tenants (a tenant leaving ends or assigns the
/// tenancy, which is a legal step, not a visit's note); someone who joins is named, born by the
/// day of the visit (and not more than 120 years before it), with their sex and relationship,
/// and joins as an occupant, not as a tenant.
pub fn read_household(left: &[i64], joined: &[JoinerIn], members: &[(i64, bool)], on: NaiveDate, outcome: VisitOutcome) -> Result<HouseholdChange, String> {
    use super::Relationship;
    if left.is_empty() && joined.is_empty() {
        return Ok(HouseholdChange::default());
    }
    if outcome != VisitOutcome::Completed {
        return Err("No access: nobody was seen, so the household cannot be changed from this visit.".into());
    }
    let mut out = HouseholdChange::default();
    for id in left {
        match members.iter().find(|(m, _)| m == id) {
            None => return Err("Someone marked as having left is not in the household as recorded: reload the tenancy and try again.".into()),
            Some((_, true)) => {
                return Err("A tenant cannot be marked as having left at a visit: ending or assigning a tenancy is a legal step of its own.".into());
            }
            Some(_) if !out.left.contains(id) => out.left.push(*id),
            Some(_) => {}
        }
    }
    if joined.len() > MAX_JOINERS {
        return Err(format!("Add at most {MAX_JOINERS} people at one visit."));
    }
    for j in joined {
        let (first, last) = (j.first_name.trim(), j.last_name.trim());
        if first.is_empty() || last.is_empty() {
            return Err("Give the first and last name of everyone who has joined the household.".into());
        }
        if first.chars().count() > 60 || last.chars().count() > 60 {
            return Err("A name is at most 60 characters.".into());
        }
        let born = input_date(&j.date_of_birth, &format!("Give {first} {last}'s date of birth as a date (YYYY-MM-DD)."))?;
        if born > on {
            return Err(format!("{first} {last}'s date of birth ({born}) is after the visit: check the year."));
        }
        if super::occupancy::age_on(born, on) > 120 {
            return Err(format!("{first} {last}'s date of birth ({born}) is more than 120 years before the visit: check the year."));
        }
        let sex = j.sex.ok_or_else(|| format!("Say whether {first} {last} is female or male: the size criteria pair children by sex."))?;
        let relationship = j.relationship.ok_or_else(|| format!("Say how {first} {last} is related to the tenant."))?;
        if matches!(relationship, Relationship::Tenant | Relationship::JointTenant) {
            return Err("Someone joins the household as an occupant: a new joint tenancy is granted, not recorded at a visit.".into());
        }
        out.joined.push(Joiner { first_name: first.to_string(), last_name: last.to_string(), date_of_birth: born, sex, relationship });
    }
    Ok(out)
}

/// Haringey's programme: "a minimum of 80 visits per week" and "350 visits per month"
/// (`seeds/003`), the team's figures are read against.
pub const WEEKLY_TARGET: u32 = 80;
pub const MONTHLY_TARGET: u32 = 350;

/// The row for follow-ups on tenancies with no officer.
pub const NO_OFFICER: &str = "No officer";

/// The first day of the week (Monday) and of the month that `today` is in.
pub fn periods(today: NaiveDate) -> (NaiveDate, NaiveDate) {
    use chrono::Datelike;
    let week = today - chrono::Days::new(u64::from(today.weekday().num_days_from_monday()));
    (week, today.with_day(1).expect("the first of the month"))
}

/// The figures per officer (by name, in order), and the team's total last.
pub fn visiting(doors: &[DoorEvent], follow_ups: &[FollowUpEvent], today: NaiveDate, now: DateTime<Utc>) -> Vec<OfficerVisiting> {
    let (week, month) = periods(today);
    let day = crate::domain::clock::london_date;
    let mut by: std::collections::BTreeMap<&str, OfficerVisiting> = std::collections::BTreeMap::new();
    let mut total = OfficerVisiting { officer: "Team".into(), total: true, ..Default::default() };
    for d in doors {
        let o = by.entry(&d.officer).or_insert_with(|| OfficerVisiting { officer: d.officer.clone(), ..Default::default() });
        let on = day(d.at);
        if on > today || on < month.min(week) {
            continue;
        }
        for f in [&mut *o, &mut total] {
            match d.outcome {
                VisitOutcome::Completed => {
                    f.completed_week += u32::from(on >= week);
                    f.completed_month += u32::from(on >= month);
                }
                VisitOutcome::NoAccess => f.no_access_month += u32::from(on >= month),
                _ => {}
            }
        }
    }
    for fu in follow_ups {
        let officer = fu.officer.as_deref().unwrap_or(NO_OFFICER);
        let o = by.entry(officer).or_insert_with(|| OfficerVisiting { officer: officer.to_string(), ..Default::default() });
        for f in [&mut *o, &mut total] {
            match fu.closed_at {
                None => {
                    f.follow_ups_open += 1;
                    f.follow_ups_overdue += u32::from(fu.due_at < now);
                }
                Some(closed) if day(closed) >= month => {
                    f.closed_month += 1;
                    f.closed_on_time_month += u32::from(closed <= fu.due_at);
                }
                Some(_) => {}
            }
        }
    }
    let mut rows: Vec<OfficerVisiting> = by.into_values().collect();
    rows.push(total);
    rows
}

/// A finding in the month-by-month figures: what, when the visit was, when its follow-up was due
/// and closed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingEvent {
    pub kind: FindingKind,
    pub visited_at: DateTime<Utc>,
    pub due_at: DateTime<Utc>,
    pub closed_at: Option<DateTime<Utc>>,
}

/// One month of the area's visiting (`seeds/003`'s measurable outputs): visits completed against
/// the 350 a month, no access, what was found (disrepair, safeguarding, unauthorised alterations),
/// alterations put right, follow-ups closed and how many within their clock, and referrals to
/// financial inclusion.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthVisiting {
    /// The month's first day.
    pub month: NaiveDate,
    pub completed: u32,
    pub no_access: u32,
    /// Disrepair found, damp and mould included.
    pub disrepair: u32,
    pub safeguarding: u32,
    pub alterations: u32,
    pub alterations_put_right: u32,
    pub follow_ups_closed: u32,
    pub follow_ups_on_time: u32,
    pub financial_referrals: u32,
}

/// The first days of the twelve months to `today`'s, oldest first.
pub fn last_twelve_months(today: NaiveDate) -> Vec<NaiveDate> {
    use chrono::Datelike;
    let this = today.with_day(1).expect("the first of the month");
    (0..12u32).rev().filter_map(|k| this.checked_sub_months(chrono::Months::new(k))).collect()
}

/// The area's last twelve months, oldest first; events outside them are left out.
pub fn months(doors: &[DoorEvent], findings: &[FindingEvent], financial_referrals: &[DateTime<Utc>], today: NaiveDate) -> Vec<MonthVisiting> {
    use chrono::Datelike;
    let mut rows: Vec<MonthVisiting> = last_twelve_months(today).into_iter().map(|month| MonthVisiting { month, ..Default::default() }).collect();
    let first = rows[0].month;
    let day = crate::domain::clock::london_date;
    let slot = |at: DateTime<Utc>| {
        let on = day(at);
        (on >= first && on <= today).then(|| ((on.year() - first.year()) * 12 + on.month0() as i32 - first.month0() as i32) as usize)
    };
    for d in doors {
        if let Some(i) = slot(d.at) {
            match d.outcome {
                VisitOutcome::Completed => rows[i].completed += 1,
                VisitOutcome::NoAccess => rows[i].no_access += 1,
                _ => {}
            }
        }
    }
    for f in findings {
        if let Some(i) = slot(f.visited_at) {
            match f.kind {
                FindingKind::Disrepair | FindingKind::DampMould => rows[i].disrepair += 1,
                FindingKind::Safeguarding => rows[i].safeguarding += 1,
                FindingKind::UnauthorisedAlteration => rows[i].alterations += 1,
                _ => {}
            }
        }
        if let Some(i) = f.closed_at.and_then(slot) {
            rows[i].follow_ups_closed += 1;
            rows[i].follow_ups_on_time += u32::from(f.closed_at <= Some(f.due_at));
            rows[i].alterations_put_right += u32::from(f.kind == FindingKind::UnauthorisedAlteration);
        }
    }
    for at in financial_referrals {
        if let Some(i) = slot(*at) {
            rows[i].financial_referrals += 1;
        }
    }
    rows
}

/// What was done about a follow-up, checked: 3 to 2000 characters.
pub fn read_done_note(note: &str) -> Result<String, String> {
    let note = note.trim();
    match note.chars().count() {
        0..3 => Err("Say what was done, e.g. \"Referred to repairs, job R-20411\".".into()),
        n if n > MAX_FINDING => Err(format!("Keep what was done to {MAX_FINDING} characters.")),
        _ => Ok(note.to_string()),
    }
}

/// When what a visit found must be acted on: its clock starts at the visit.
pub fn follow_up_due(kind: FindingKind, visited_at: DateTime<Utc>, cal: &WorkingCalendar) -> DateTime<Utc> {
    kind.follow_up().due(visited_at, cal)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::access::test_principal;

    fn cal() -> &'static WorkingCalendar {
        WorkingCalendar::england_and_wales()
    }
    fn now() -> DateTime<Utc> {
        "2026-12-07T15:00:00Z".parse().unwrap()
    }
    fn report(on: &str, time: &str, outcome: VisitOutcome, findings: Vec<Finding>) -> Result<VisitReport, String> {
        read_report(VisitType::HomeCheck, on, time, outcome, false, findings, "", "k-123456789", "2020-01-01".parse().unwrap(), now())
    }
    fn finding(kind: FindingKind, detail: &str) -> Finding {
        Finding { kind, detail: detail.into() }
    }

    fn joiner(first: &str, born: &str, relationship: Option<crate::domain::Relationship>) -> JoinerIn {
        JoinerIn { first_name: first.into(), last_name: "Okafor".into(), date_of_birth: born.into(), sex: Some(crate::domain::occupancy::Sex::F), relationship }
    }

    #[test]
    fn a_household_change_is_read_against_the_household_as_recorded() {
        use crate::domain::Relationship::{Child, JointTenant, Partner};
        let on: NaiveDate = "2026-12-04".parse().unwrap();
        let members = [(10, true), (11, false), (12, false)];
        let done = VisitOutcome::Completed;
        // Nothing changed: nothing to check, whatever happened at the door.
        assert!(read_household(&[], &[], &members, on, VisitOutcome::NoAccess).unwrap().is_empty());
        // A son left and a baby was born: both recorded, the baby born on the day of the visit.
        let c = read_household(&[11, 11], &[joiner("Ada", "2026-12-04", Some(Child))], &members, on, done).unwrap();
        assert_eq!(c.left, vec![11]);
        assert_eq!((c.joined[0].first_name.as_str(), c.joined[0].date_of_birth, c.joined[0].relationship), ("Ada", on, Child));
        for (left, joined, says) in [
            (vec![11], vec![], "nobody was seen"),
            (vec![10], vec![], "A tenant cannot be marked"),
            (vec![99], vec![], "not in the household"),
            (vec![], vec![joiner("Ada", "2026-12-05", Some(Child))], "after the visit"),
            (vec![], vec![joiner("Ada", "1800-01-01", Some(Child))], "outside the dates"),
            (vec![], vec![joiner("Ada", "1905-01-01", Some(Partner))], "more than 120 years"),
            (vec![], vec![joiner("Ada", "04/12/2026", Some(Child))], "date of birth as a date"),
            (vec![], vec![joiner(" ", "2000-01-01", Some(Partner))], "first and last name"),
            (vec![], vec![joiner("Ada", "2000-01-01", None)], "how Ada Okafor is related"),
            (vec![], vec![joiner("Ada", "2000-01-01", Some(JointTenant))], "a new joint tenancy is granted"),
            (vec![], vec![JoinerIn { sex: None, ..joiner("Ada", "2000-01-01", Some(Partner)) }], "female or male"),
            (vec![], vec![joiner("Ada", "2000-01-01", Some(Partner)); 11], "at most 10"),
        ] {
            let outcome = if says == "nobody was seen" { VisitOutcome::NoAccess } else { done };
            let err = read_household(&left, &joined, &members, on, outcome).unwrap_err();
            assert!(err.contains(says), "{says}: {err}");
        }
    }

    #[test]
    fn a_report_says_when_what_happened_and_what_was_found() {
        let r = report("2026-12-07", "10:30", VisitOutcome::Completed, vec![finding(FindingKind::Disrepair, "  Broken window in the back bedroom ")]).unwrap();
        assert_eq!(r.at, "2026-12-07T10:30:00Z".parse::<DateTime<Utc>>().unwrap(), "London in winter is UTC");
        assert_eq!(r.findings[0].detail, "Broken window in the back bedroom");
        assert!(report("2026-12-07", "16:00", VisitOutcome::Completed, vec![]).unwrap_err().contains("future"));
        assert!(report("2019-12-31", "10:00", VisitOutcome::Completed, vec![]).unwrap_err().contains("before the tenancy began"));
        assert!(report("7/12/2026", "10:00", VisitOutcome::Completed, vec![]).unwrap_err().contains("YYYY-MM-DD"));
        assert!(report("2026-12-07", "half ten", VisitOutcome::Completed, vec![]).unwrap_err().contains("HH:MM"));
        assert!(report("2026-12-07", "10:00", VisitOutcome::Scheduled, vec![]).unwrap_err().contains("what happened at the door"));
        let twice = vec![finding(FindingKind::Disrepair, "Window"), finding(FindingKind::Disrepair, "Door")];
        assert!(report("2026-12-07", "10:00", VisitOutcome::Completed, twice).unwrap_err().contains("twice"));
        assert!(
            report("2026-12-07", "10:00", VisitOutcome::Completed, vec![finding(FindingKind::Subletting, " ")]).unwrap_err().contains("say what was found")
        );
        let seen_nobody = report("2026-12-07", "10:00", VisitOutcome::NoAccess, vec![finding(FindingKind::Abandonment, "Post piled up")]);
        assert!(seen_nobody.unwrap_err().contains("No access"));
        let bad_key =
            read_report(VisitType::HomeCheck, "2026-12-07", "10:00", VisitOutcome::Completed, false, vec![], "", "x", "2020-01-01".parse().unwrap(), now());
        assert!(bad_key.unwrap_err().contains("key"));
        let card = read_report(
            VisitType::HomeCheck,
            "2026-12-07",
            "10:00",
            VisitOutcome::Completed,
            true,
            vec![],
            "",
            "k-123456789",
            "2020-01-01".parse().unwrap(),
            now(),
        );
        assert!(card.unwrap_err().contains("calling card"));
    }

    /// Haringey's standards (`seeds/003`): safeguarding the same working day, enforcement within 24
    /// hours, disrepair and downsizing referrals within 2 working days, a follow-up visit booked
    /// within 3; a fire risk as an emergency hazard within 24 hours (Hazards in Social Housing
    /// (Prescribed Requirements) (England) Regulations 2025).
    #[test]
    fn each_finding_starts_its_clock_at_the_visit() {
        // Friday 18 December 2026, 11:00; Christmas and Boxing Day (substitute 28th) are bank holidays.
        let at: DateTime<Utc> = "2026-12-18T11:00:00Z".parse().unwrap();
        let due = |k| follow_up_due(k, at, cal()).to_rfc3339();
        assert_eq!(due(FindingKind::Safeguarding), "2026-12-18T17:00:00+00:00");
        assert_eq!(due(FindingKind::Subletting), "2026-12-19T11:00:00+00:00");
        assert_eq!(due(FindingKind::FireRisk), "2026-12-19T11:00:00+00:00");
        assert_eq!(due(FindingKind::Disrepair), "2026-12-22T17:00:00+00:00", "Monday 21st, Tuesday 22nd");
        assert_eq!(due(FindingKind::UnauthorisedAlteration), "2026-12-23T17:00:00+00:00");
    }

    #[test]
    fn an_unanswered_door_climbs_the_ladder_by_itself() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        let na = |s: &str| (VisitOutcome::NoAccess, at(s));
        let seen = (VisitOutcome::Completed, at("2026-10-01T10:00:00Z"));
        // Before anyone was seen, no-access visits do not count; none since: no ladder.
        assert_eq!(ladder(&[na("2026-09-01T10:00:00Z"), seen], 3, 10, cal(), d("2026-11-02")), None);
        // Two mornings: try again, at another time of day, within 5 working days of the last.
        let two = [seen, na("2026-11-02T09:30:00Z"), na("2026-11-03T10:00:00Z")];
        let l = ladder(&two, 3, 10, cal(), d("2026-11-04")).unwrap();
        assert_eq!((l.attempts, l.parts.clone(), l.step, l.by), (2, vec![DayPart::Morning], NoAccessStep::TryAgain, d("2026-11-10")));
        assert!(l.summary().starts_with("No access 2 times since the tenant was last seen (morning): call again"));
        // Three, but all mornings: still try again.
        let mornings = [seen, na("2026-11-02T09:30:00Z"), na("2026-11-03T10:00:00Z"), na("2026-11-04T11:00:00Z")];
        assert_eq!(ladder(&mornings, 3, 10, cal(), d("2026-11-05")).unwrap().step, NoAccessStep::TryAgain);
        // Morning, afternoon (13:00 GMT) and evening (18:30): the letter within 2 working days...
        let spread = [seen, na("2026-11-02T09:30:00Z"), na("2026-11-03T13:00:00Z"), na("2026-11-04T18:30:00Z")];
        let l = ladder(&spread, 3, 10, cal(), d("2026-11-05")).unwrap();
        assert_eq!((l.step, l.by), (NoAccessStep::SendLetter, d("2026-11-06")));
        // ...then 10 working days for an answer...
        assert_eq!(
            ladder(&spread, 3, 10, cal(), d("2026-11-09")).unwrap(),
            NoAccess { attempts: 3, parts: vec![DayPart::Morning, DayPart::Afternoon, DayPart::Evening], step: NoAccessStep::AwaitAnswer, by: d("2026-11-20") }
        );
        // ...then referral, the next working day after.
        let l = ladder(&spread, 3, 10, cal(), d("2026-11-23")).unwrap();
        assert_eq!((l.step, l.by), (NoAccessStep::Refer, d("2026-11-23")));
        // A council asking for two visits moves sooner; someone seen again clears the ladder.
        assert_eq!(ladder(&spread[..3], 2, 10, cal(), d("2026-11-04")).unwrap().step, NoAccessStep::SendLetter);
        let mut answered = spread.to_vec();
        answered.push((VisitOutcome::Completed, at("2026-11-10T10:00:00Z")));
        assert_eq!(ladder(&answered, 3, 10, cal(), d("2026-11-23")), None);
        // Summer time: 11:30 UTC is 12:30 in London, an afternoon.
        assert_eq!(DayPart::of(at("2026-07-01T11:30:00Z")), DayPart::Afternoon);
    }

    #[test]
    fn the_team_leader_counts_visits_by_week_and_month_and_follow_ups_by_their_clock() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let d = |s: &str| s.parse::<NaiveDate>().unwrap();
        // Thursday 10 December 2026: the week began on Monday 7th, the month on the 1st.
        assert_eq!(periods(d("2026-12-10")), (d("2026-12-07"), d("2026-12-01")));
        assert_eq!(periods(d("2026-12-02")), (d("2026-11-30"), d("2026-12-01")), "a week that began last month");
        let door = |o: &str, outcome, s: &str| DoorEvent { officer: o.into(), outcome, at: at(s) };
        let doors = [
            door("Ann", VisitOutcome::Completed, "2026-12-08T10:00:00Z"),
            door("Ann", VisitOutcome::Completed, "2026-12-03T10:00:00Z"),
            door("Ann", VisitOutcome::NoAccess, "2026-12-09T18:00:00Z"),
            door("Ann", VisitOutcome::Completed, "2026-11-20T10:00:00Z"),
            door("Bob", VisitOutcome::Completed, "2026-12-10T09:00:00Z"),
        ];
        let fu = |o: &str, due: &str, closed: Option<&str>| FollowUpEvent { officer: Some(o.into()), due_at: at(due), closed_at: closed.map(at) };
        let follow_ups = [
            fu("Ann", "2026-12-09T17:00:00Z", None),
            fu("Ann", "2026-12-11T17:00:00Z", None),
            fu("Ann", "2026-12-04T17:00:00Z", Some("2026-12-04T12:00:00Z")),
            fu("Bob", "2026-12-02T17:00:00Z", Some("2026-12-03T09:00:00Z")),
            fu("Bob", "2026-11-02T17:00:00Z", Some("2026-11-02T09:00:00Z")),
        ];
        let rows = visiting(&doors, &follow_ups, d("2026-12-10"), at("2026-12-10T12:00:00Z"));
        let ann = OfficerVisiting {
            officer: "Ann".into(),
            total: false,
            completed_week: 1,
            completed_month: 2,
            no_access_month: 1,
            follow_ups_open: 2,
            follow_ups_overdue: 1,
            closed_month: 1,
            closed_on_time_month: 1,
        };
        assert_eq!(rows[0], ann);
        assert_eq!((rows[1].officer.as_str(), rows[1].completed_week, rows[1].closed_month, rows[1].closed_on_time_month), ("Bob", 1, 1, 0), "closed late");
        assert_eq!((rows[2].officer.as_str(), rows[2].completed_month, rows[2].follow_ups_overdue), ("Team", 3, 1));
    }

    /// Haringey's measurable outputs (`seeds/003` para 8), month by month for a year.
    #[test]
    fn the_year_month_by_month_counts_visits_findings_clocks_and_referrals() {
        let at = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        let today: NaiveDate = "2026-12-10".parse().unwrap();
        let months_ = last_twelve_months(today);
        assert_eq!((months_[0].to_string(), months_[11].to_string()), ("2026-01-01".into(), "2026-12-01".into()));
        let door = |outcome, s: &str| DoorEvent { officer: "Ann".into(), outcome, at: at(s) };
        let doors = [
            door(VisitOutcome::Completed, "2026-12-01T10:00:00Z"),
            door(VisitOutcome::Completed, "2026-12-09T10:00:00Z"),
            door(VisitOutcome::NoAccess, "2026-11-30T23:30:00Z"), // midnight in London: 30 November still (GMT)
            door(VisitOutcome::Completed, "2026-06-30T23:30:00Z"), // 1 July in London (BST)
            door(VisitOutcome::Completed, "2025-12-31T10:00:00Z"), // before the year
        ];
        let found =
            |kind, visited: &str, due: &str, closed: Option<&str>| FindingEvent { kind, visited_at: at(visited), due_at: at(due), closed_at: closed.map(at) };
        let findings = [
            found(FindingKind::UnauthorisedAlteration, "2026-11-03T10:00:00Z", "2026-11-06T17:00:00Z", Some("2026-12-02T10:00:00Z")),
            found(FindingKind::Disrepair, "2026-12-01T10:00:00Z", "2026-12-03T17:00:00Z", Some("2026-12-02T09:00:00Z")),
            found(FindingKind::Safeguarding, "2026-12-09T10:00:00Z", "2026-12-09T17:00:00Z", None),
            found(FindingKind::DampMould, "2026-12-10T10:00:00Z", "2026-12-14T17:00:00Z", None),
        ];
        let rows = months(&doors, &findings, &[at("2026-12-04T12:00:00Z")], today);
        assert_eq!(rows.len(), 12);
        let dec = &rows[11];
        assert_eq!((dec.completed, dec.no_access, dec.disrepair, dec.safeguarding), (2, 0, 2, 1), "damp and mould is the home's condition too");
        assert_eq!(
            (dec.follow_ups_closed, dec.follow_ups_on_time, dec.alterations_put_right, dec.financial_referrals),
            (2, 1, 1, 1),
            "the alteration put right late"
        );
        assert_eq!((rows[10].no_access, rows[10].alterations), (1, 1));
        assert_eq!((rows[5].completed, rows[6].completed), (0, 1), "June's last half hour is July in London");
    }

    #[test]
    fn closing_a_follow_up_says_what_was_done() {
        assert_eq!(read_done_note("  Referred to repairs, job R-20411 "), Ok("Referred to repairs, job R-20411".into()));
        assert!(read_done_note(" ok").unwrap_err().contains("Say what was done"));
        assert!(read_done_note(&"x".repeat(2001)).is_err());
    }

    #[test]
    fn officers_and_team_leaders_who_may_see_the_tenancy_record_visits() {
        let scope = RecordScope { owner_id: Some(7), area_team_id: 1, restricted: false, granted: false, duty: false };
        let mut who = test_principal(7, Role::CommunityHmo, Some(1), None);
        assert!(may_record(&who, &scope));
        who.role = Role::TeamLeader;
        assert!(may_record(&who, &scope));
        who.role = Role::Legal;
        assert!(!may_record(&who, &scope), "Legal does not visit homes");
        let other_area = test_principal(8, Role::CommunityHmo, Some(2), None);
        assert!(!may_record(&other_area, &scope));
        // Safeguarding findings: the tenancy's officer and the area's Team Leader, not every colleague.
        assert!(sees_safeguarding(&test_principal(7, Role::CommunityHmo, Some(1), None), &scope));
        assert!(sees_safeguarding(&test_principal(9, Role::TeamLeader, Some(1), None), &scope));
        assert!(!sees_safeguarding(&test_principal(10, Role::CommunityHmo, Some(1), None), &scope), "a colleague in the same team");
        assert!(!sees_safeguarding(&test_principal(11, Role::TeamLeader, Some(2), None), &scope));
    }
}
