//! The visiting programme: how often each kind of visit comes round (its cycle), where each home
//! stands in it, the coverage a Team Leader watches, and planning the next weeks' visits by
//! priority with officers' cover honoured.
//!
//! The seeds: Dudley checks every home on a three-year cycle (`seeds/002`); Haringey visits its
//! ~8,000 general-needs homes over two years, never-visited and little-contact tenancies first,
//! at least 80 visits a week (`seeds/003`).

use chrono::{Months, NaiveDate};
use serde::{Deserialize, Serialize};

use super::VisitType;
use super::clock::WorkingCalendar;
use super::codes::code_enum;
use super::route::{Point, metres};

/// How often each kind of programmed visit comes round, in months (`HEARTH_VISIT_CYCLES`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Cycles {
    /// Dudley's three-year home check.
    pub home_check: u32,
    /// Haringey's two-year tenancy occupancy check.
    pub occupancy_check: u32,
    /// A yearly visit to a household with a vulnerability alert.
    pub vulnerability: u32,
}

impl Default for Cycles {
    fn default() -> Self {
        Cycles { home_check: 36, occupancy_check: 24, vulnerability: 12 }
    }
}

impl Cycles {
    /// The cycle of a kind of visit, for the kinds that have one.
    pub fn months(&self, kind: VisitType) -> Option<u32> {
        match kind {
            VisitType::HomeCheck => Some(self.home_check),
            VisitType::OccupancyCheck => Some(self.occupancy_check),
            VisitType::Vulnerability => Some(self.vulnerability),
            _ => None,
        }
    }

    /// The cycle a home is planned by: the shortest of the programmed kinds. A home check and an
    /// occupancy check both confirm who lives there, so either visit counts for both.
    pub fn shortest(&self) -> u32 {
        self.home_check.min(self.occupancy_check)
    }
}

/// The tenancies the programme visits: rented homes past their introductory year (new tenants
/// have their own sign-up and settling-in visits).
pub fn programmed(tenure: super::Tenure) -> bool {
    tenure.pays_rent() && !tenure.is_introductory()
}

/// The visits that confirm who lives in a home, and so count for the cycle.
pub const CHECKS: [VisitType; 2] = [VisitType::HomeCheck, VisitType::OccupancyCheck];

/// Reads `home_check=36,occupancy_check=24,vulnerability=12` (any of them; the rest keep their
/// defaults). Each cycle is 6 to 120 months.
pub fn parse_cycles(text: &str) -> Result<Cycles, String> {
    let mut c = Cycles::default();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (kind, months) = part.split_once('=').ok_or_else(|| format!("{part:?} is not kind=months, such as home_check=36"))?;
        let months: u32 = months.trim().parse().map_err(|_| format!("{:?} is not a number of months", months.trim()))?;
        if !(6..=120).contains(&months) {
            return Err(format!("{months} months is outside 6 to 120"));
        }
        match kind.trim() {
            "home_check" => c.home_check = months,
            "occupancy_check" => c.occupancy_check = months,
            "vulnerability" => c.vulnerability = months,
            other => return Err(format!("{other:?} has no cycle: use home_check, occupancy_check or vulnerability")),
        }
    }
    Ok(c)
}

/// A tenancy with no visit at the door for this long is a "little-contact" tenancy.
pub const LITTLE_CONTACT_MONTHS: u32 = 24;
/// The most weeks planned at once (a quarter).
pub const MAX_PLAN_WEEKS: u32 = 13;
/// The most visits planned for one officer in a day.
pub const MAX_PER_DAY: u32 = 20;
/// How far down an officer's queue a day looks for homes near its first, so a day's visits are
/// close together without losing the order of priority.
const NEIGHBOURHOOD: usize = 40;

/// A home in the programme as the store knows it.
#[derive(Clone, Debug, PartialEq)]
pub struct ProgrammeHome {
    pub tenancy_id: i64,
    pub patch_id: i64,
    pub officer_id: Option<i64>,
    pub start_date: NaiveDate,
    /// The last completed home or occupancy check.
    pub last_check: Option<NaiveDate>,
    /// The last visit at which someone came to the door, of any kind.
    pub last_contact: Option<NaiveDate>,
    /// A visit already planned (not yet made).
    pub planned: Option<NaiveDate>,
    pub at: Point,
}

code_enum!(
    /// Where a home stands in the programme.
    Standing {
        InCycle = "in_cycle": "Visited in cycle",
        Due = "due": "Due",
        NeverVisited = "never_visited": "Never visited",
    }
);

code_enum!(
    /// Why a visit was planned, most pressing first.
    PlanReason {
        NeverVisited = "never_visited": "Never visited",
        LittleContact = "little_contact": "No contact in two years",
        Due = "due": "Due in the cycle",
    }
);

fn add_months(d: NaiveDate, months: u32) -> NaiveDate {
    d.checked_add_months(Months::new(months)).unwrap_or(NaiveDate::MAX)
}

impl ProgrammeHome {
    /// The day the home's next check falls due: a cycle after its last check, or after the
    /// tenancy began if it has never had one.
    pub fn due_on(&self, cycles: &Cycles) -> NaiveDate {
        add_months(self.last_check.unwrap_or(self.start_date), cycles.shortest())
    }

    pub fn standing(&self, cycles: &Cycles, today: NaiveDate) -> Standing {
        match (self.last_contact, self.last_check) {
            (None, _) => Standing::NeverVisited,
            (_, Some(_)) if self.due_on(cycles) > today => Standing::InCycle,
            _ => Standing::Due,
        }
    }

    pub fn little_contact(&self, today: NaiveDate) -> bool {
        self.last_contact.is_none_or(|d| add_months(d, LITTLE_CONTACT_MONTHS) <= today)
    }

    /// Why and in what order a home is planned by `until`, or `None` when it need not be: one
    /// already planned, one with nobody to visit it, or one in cycle until after `until`.
    pub fn priority(&self, cycles: &Cycles, today: NaiveDate, until: NaiveDate) -> Option<(PlanReason, NaiveDate)> {
        if self.planned.is_some() || self.officer_id.is_none() {
            return None;
        }
        if self.last_contact.is_none() {
            return Some((PlanReason::NeverVisited, self.start_date));
        }
        if self.little_contact(today) {
            return self.last_contact.map(|d| (PlanReason::LittleContact, d));
        }
        let due = self.due_on(cycles);
        (due <= until).then_some((PlanReason::Due, due))
    }
}

/// A patch's coverage of the cycle.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Coverage {
    pub patch_id: i64,
    pub patch: String,
    pub officer: String,
    pub homes: u32,
    pub in_cycle: u32,
    pub due: u32,
    pub never_visited: u32,
    /// Homes with no one at the door for two years or more (never visited included).
    pub little_contact: u32,
    /// Homes with a visit planned.
    pub planned: u32,
}

impl Coverage {
    /// Percent of homes visited in cycle, rounded down.
    pub fn percent(&self) -> u32 {
        (self.in_cycle * 100).checked_div(self.homes).unwrap_or(0)
    }

    fn add(&mut self, o: &Coverage) {
        self.homes += o.homes;
        self.in_cycle += o.in_cycle;
        self.due += o.due;
        self.never_visited += o.never_visited;
        self.little_contact += o.little_contact;
        self.planned += o.planned;
    }
}

/// Coverage per patch (`patches` gives each patch's name and officer, in the order to list them),
/// and the total.
pub fn coverage(homes: &[ProgrammeHome], patches: &[(i64, String, String)], cycles: &Cycles, today: NaiveDate) -> (Vec<Coverage>, Coverage) {
    let mut rows: Vec<Coverage> =
        patches.iter().map(|(id, name, officer)| Coverage { patch_id: *id, patch: name.clone(), officer: officer.clone(), ..Default::default() }).collect();
    let index: std::collections::HashMap<i64, usize> = rows.iter().enumerate().map(|(i, r)| (r.patch_id, i)).collect();
    for h in homes {
        let Some(row) = index.get(&h.patch_id).map(|i| &mut rows[*i]) else { continue };
        row.homes += 1;
        match h.standing(cycles, today) {
            Standing::InCycle => row.in_cycle += 1,
            Standing::Due => row.due += 1,
            Standing::NeverVisited => row.never_visited += 1,
        }
        row.little_contact += u32::from(h.little_contact(today));
        row.planned += u32::from(h.planned.is_some());
    }
    let mut total = Coverage { patch: "All patches".into(), ..Default::default() };
    for r in &rows {
        total.add(r);
    }
    (rows, total)
}

/// An officer away, and who covers them (`covers` rows), between two days inclusive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Absence {
    pub officer_id: i64,
    pub cover_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Who makes an officer's visits on a day: their cover while they are away.
pub fn visitor(officer_id: i64, on: NaiveDate, absences: &[Absence]) -> i64 {
    absences.iter().find(|a| a.officer_id == officer_id && a.from <= on && on <= a.to).map_or(officer_id, |a| a.cover_id)
}

/// Checks a request to plan: from today or later, 1 to 13 weeks, 1 to 20 visits an officer a day (a day of short occupancy checks on one estate).
pub fn check_plan(start: NaiveDate, weeks: u32, per_day: u32, today: NaiveDate) -> Result<(), String> {
    if start < today {
        return Err(format!("Plan from today ({today}) or later: {start} has passed."));
    }
    if !(1..=MAX_PLAN_WEEKS).contains(&weeks) {
        return Err(format!("Plan 1 to {MAX_PLAN_WEEKS} weeks at a time, not {weeks}."));
    }
    if !(1..=MAX_PER_DAY).contains(&per_day) {
        return Err(format!("Plan 1 to {MAX_PER_DAY} visits an officer a day, not {per_day}."));
    }
    Ok(())
}

/// What to plan: `weeks` weeks from `start`, `per_day` visits a visitor a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Ask {
    pub start: NaiveDate,
    pub weeks: u32,
    pub per_day: u32,
}

/// One visit the plan makes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlannedVisit {
    pub tenancy_id: i64,
    pub on: NaiveDate,
    /// Whose home it is (the tenancy's officer).
    pub owner_id: i64,
    /// Who makes the visit: the owner, or their cover that day.
    pub officer_id: i64,
    pub reason: PlanReason,
}

/// Plans `weeks` weeks of visits from `start`: every working day, each officer's homes in order of
/// priority (never visited, then no contact in two years by the oldest contact, then due in the
/// cycle by due date), `per_day` a visitor a day. An officer away that day has their homes visited
/// by their cover, who shares the day between their own homes and those they cover. A day's visits
/// for an officer are the first home in their queue and the nearest to it among the next few, so
/// a day is a walk, not a tour of the patch.
pub fn plan(homes: &[ProgrammeHome], cycles: &Cycles, ask: Ask, absences: &[Absence], cal: &WorkingCalendar, today: NaiveDate) -> Vec<PlannedVisit> {
    let Ask { start, weeks, per_day } = ask;
    let until = start + chrono::Duration::days(i64::from(weeks) * 7 - 1);
    let mut queues: std::collections::BTreeMap<i64, Vec<(PlanReason, NaiveDate, i64, usize)>> = Default::default();
    for (i, h) in homes.iter().enumerate() {
        if let (Some((reason, key)), Some(officer)) = (h.priority(cycles, today, until), h.officer_id) {
            queues.entry(officer).or_default().push((reason, key, h.tenancy_id, i));
        }
    }
    for q in queues.values_mut() {
        q.sort();
    }
    let mut out = Vec::new();
    let mut day = start;
    while day <= until {
        if cal.is_working_day(day) {
            // Owners by who visits for them today, so a cover shares the day evenly.
            let mut by_visitor: std::collections::BTreeMap<i64, Vec<i64>> = Default::default();
            for owner in queues.keys() {
                by_visitor.entry(visitor(*owner, day, absences)).or_default().push(*owner);
            }
            for (visitor_id, owners) in by_visitor {
                let n = owners.len() as u32;
                for (k, owner) in owners.iter().enumerate() {
                    let share = per_day / n + u32::from((k as u32) < per_day % n);
                    let queue = queues.get_mut(owner).expect("owner's queue");
                    for (i, reason) in day_batch(queue, homes, share as usize) {
                        out.push(PlannedVisit { tenancy_id: homes[i].tenancy_id, on: day, owner_id: *owner, officer_id: visitor_id, reason });
                    }
                }
            }
        }
        day = day.succ_opt().expect("a next day");
    }
    out
}

/// Takes a day's homes from the front of a queue: the first, then the nearest to it among the
/// next [`NEIGHBOURHOOD`].
fn day_batch(queue: &mut Vec<(PlanReason, NaiveDate, i64, usize)>, homes: &[ProgrammeHome], n: usize) -> Vec<(usize, PlanReason)> {
    if n == 0 || queue.is_empty() {
        return vec![];
    }
    let first = queue.remove(0);
    let anchor = homes[first.3].at;
    let window = queue.len().min(NEIGHBOURHOOD);
    let mut near: Vec<usize> = (0..window).collect();
    near.sort_by(|a, b| metres(anchor, homes[queue[*a].3].at).total_cmp(&metres(anchor, homes[queue[*b].3].at)));
    let mut chosen: Vec<usize> = near.into_iter().take(n - 1).collect();
    chosen.sort_unstable_by(|a, b| b.cmp(a));
    let mut batch = vec![(first.3, first.0)];
    for k in chosen {
        let (reason, _, _, i) = queue.remove(k);
        batch.push((i, reason));
    }
    batch
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn home(id: i64, officer: i64, last_contact: Option<&str>, last_check: Option<&str>) -> ProgrammeHome {
        ProgrammeHome {
            tenancy_id: id,
            patch_id: 1,
            officer_id: Some(officer),
            start_date: d("2015-04-01"),
            last_check: last_check.map(d),
            last_contact: last_contact.map(d),
            planned: None,
            at: Point { lat: 53.96, lon: -1.08 + id as f64 * 0.0001 },
        }
    }

    #[test]
    fn cycles_default_to_the_seeds_and_are_read_with_clear_errors() {
        // Dudley (seeds/002): every home checked once in three years; Haringey (seeds/003): two.
        let c = Cycles::default();
        assert_eq!((c.months(VisitType::HomeCheck), c.months(VisitType::OccupancyCheck), c.months(VisitType::Arrears)), (Some(36), Some(24), None));
        assert_eq!(parse_cycles("home_check=24, vulnerability=6").unwrap(), Cycles { home_check: 24, occupancy_check: 24, vulnerability: 6 });
        assert_eq!(parse_cycles("").unwrap(), Cycles::default());
        assert!(parse_cycles("home_check").unwrap_err().contains("kind=months"));
        assert!(parse_cycles("home_check=3").unwrap_err().contains("outside 6 to 120"));
        assert!(parse_cycles("arrears=12").unwrap_err().contains("has no cycle"));
        assert!(parse_cycles("home_check=three").unwrap_err().contains("not a number"));
    }

    #[test]
    fn a_home_stands_in_cycle_due_or_never_visited() {
        let c = Cycles::default();
        let today = d("2026-12-07");
        assert_eq!(home(1, 7, None, None).standing(&c, today), Standing::NeverVisited);
        assert_eq!(home(1, 7, Some("2026-01-10"), Some("2025-01-10")).standing(&c, today), Standing::InCycle);
        // 24 months after the last check (the shorter cycle) it is due.
        assert_eq!(home(1, 7, Some("2026-01-10"), Some("2024-12-07")).standing(&c, today), Standing::Due);
        // Contact but never a check: due a cycle after the tenancy began.
        assert_eq!(home(1, 7, Some("2026-01-10"), None).standing(&c, today), Standing::Due);
        assert!(home(1, 7, Some("2024-12-07"), None).little_contact(today));
        assert!(!home(1, 7, Some("2024-12-08"), None).little_contact(today));
    }

    #[test]
    fn coverage_counts_each_patch_and_the_total() {
        let today = d("2026-12-07");
        let mut planned = home(3, 7, Some("2026-06-01"), Some("2026-06-01"));
        planned.planned = Some(d("2026-12-09"));
        let mut other = home(4, 8, None, None);
        other.patch_id = 2;
        let homes = vec![home(1, 7, None, None), home(2, 7, Some("2023-01-01"), Some("2023-01-01")), planned, other];
        let patches = vec![(1, "Tang Hall".to_string(), "Ann".to_string()), (2, "Foxwood".to_string(), "Bo".to_string())];
        let (rows, total) = coverage(&homes, &patches, &Cycles::default(), today);
        assert_eq!((rows[0].homes, rows[0].in_cycle, rows[0].due, rows[0].never_visited, rows[0].little_contact, rows[0].planned), (3, 1, 1, 1, 2, 1));
        assert_eq!(rows[0].percent(), 33);
        assert_eq!((total.homes, total.never_visited, total.little_contact), (4, 2, 3));
        assert_eq!(Coverage::default().percent(), 0);
    }

    #[test]
    fn the_plan_takes_never_visited_then_little_contact_then_due() {
        let cal = WorkingCalendar::england_and_wales();
        let today = d("2026-12-07");
        let homes = vec![
            home(1, 7, Some("2026-01-10"), Some("2025-06-01")), // in cycle until 2027-06: not planned
            home(2, 7, Some("2025-06-01"), Some("2024-06-01")), // due since 2026-06
            home(3, 7, Some("2023-05-01"), Some("2023-05-01")), // no contact since 2023
            home(4, 7, None, None),                             // never visited
            home(5, 7, Some("2024-01-01"), Some("2024-01-01")), // no contact since 2024 (after no. 3)
        ];
        let plan = plan(&homes, &Cycles::default(), Ask { start: d("2026-12-07"), weeks: 1, per_day: 1 }, &[], cal, today);
        let order: Vec<(i64, PlanReason)> = plan.iter().map(|v| (v.tenancy_id, v.reason)).collect();
        assert_eq!(order, vec![(4, PlanReason::NeverVisited), (3, PlanReason::LittleContact), (5, PlanReason::LittleContact), (2, PlanReason::Due)]);
        // One a day, on working days from Monday 7 December.
        assert_eq!(plan.iter().map(|v| v.on).collect::<Vec<_>>(), vec![d("2026-12-07"), d("2026-12-08"), d("2026-12-09"), d("2026-12-10")]);
    }

    #[test]
    fn the_plan_skips_weekends_and_bank_holidays_and_homes_already_planned() {
        let cal = WorkingCalendar::england_and_wales();
        let today = d("2026-12-21");
        let mut homes: Vec<ProgrammeHome> = (1..=6).map(|i| home(i, 7, None, None)).collect();
        homes[5].planned = Some(d("2027-01-05"));
        let plan = plan(&homes, &Cycles::default(), Ask { start: d("2026-12-24"), weeks: 1, per_day: 1 }, &[], cal, today);
        // Thursday 24th, then Christmas Day and Boxing Day (a Saturday; its substitute is Monday
        // 28th) are not working days: the next is Tuesday 29th.
        assert_eq!(plan.iter().map(|v| v.on).collect::<Vec<_>>(), vec![d("2026-12-24"), d("2026-12-29"), d("2026-12-30")]);
        assert!(plan.iter().all(|v| v.tenancy_id != 6));
    }

    #[test]
    fn an_absent_officers_homes_go_to_their_cover_who_shares_the_day() {
        let cal = WorkingCalendar::england_and_wales();
        let today = d("2026-12-07");
        let mut homes: Vec<ProgrammeHome> = (1..=20).map(|i| home(i, 7, None, None)).collect();
        homes.extend((21..=40).map(|i| home(i, 8, None, None)));
        let away = [Absence { officer_id: 7, cover_id: 8, from: d("2026-12-08"), to: d("2026-12-08") }];
        let plan = plan(&homes, &Cycles::default(), Ask { start: today, weeks: 1, per_day: 4 }, &away, cal, today);
        let on = |day: &str, visitor: i64, owner: i64| plan.iter().filter(|v| v.on == d(day) && v.officer_id == visitor && v.owner_id == owner).count();
        // Monday: each officer makes four of their own visits.
        assert_eq!((on("2026-12-07", 7, 7), on("2026-12-07", 8, 8)), (4, 4));
        // Tuesday officer 7 is away: officer 8 makes four visits, two for each.
        assert_eq!((on("2026-12-08", 7, 7), on("2026-12-08", 8, 8), on("2026-12-08", 8, 7)), (0, 2, 2));
        // Nobody's home is planned twice.
        let mut ids: Vec<i64> = plan.iter().map(|v| v.tenancy_id).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), plan.len());
        assert_eq!(visitor(7, d("2026-12-09"), &away), 7);
    }

    #[test]
    fn a_days_visits_are_near_each_other() {
        let cal = WorkingCalendar::england_and_wales();
        let today = d("2026-12-07");
        // Homes alternate between two estates 5 km apart in the order of priority.
        let homes: Vec<ProgrammeHome> = (1..=8)
            .map(|i| {
                let mut h = home(i, 7, None, None);
                h.start_date = d("2015-01-01") + chrono::Duration::days(i);
                h.at = Point { lat: if i % 2 == 0 { 53.96 } else { 54.005 }, lon: -1.08 + i as f64 * 0.0001 };
                h
            })
            .collect();
        let plan = plan(&homes, &Cycles::default(), Ask { start: today, weeks: 1, per_day: 4 }, &[], cal, today);
        let mut monday: Vec<i64> = plan.iter().filter(|v| v.on == today).map(|v| v.tenancy_id).collect();
        monday.sort();
        assert_eq!(monday, vec![1, 3, 5, 7]);
    }

    #[test]
    fn a_plan_is_checked() {
        let today = d("2026-12-07");
        assert!(check_plan(today, 1, 6, today).is_ok());
        assert!(check_plan(d("2026-12-06"), 1, 6, today).unwrap_err().contains("has passed"));
        assert!(check_plan(today, 14, 6, today).unwrap_err().contains("1 to 13 weeks"));
        assert!(check_plan(today, 1, 0, today).unwrap_err().contains("1 to 20 visits"));
        assert!(check_plan(today, 1, 20, today).is_ok());
        assert!(check_plan(today, 1, 21, today).unwrap_err().contains("not 21"));
    }
}
