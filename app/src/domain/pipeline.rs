//! What visits lead to (`seeds/003`, Haringey's visiting programme): the downsizing pipeline
//! (interest, an options conversation, a referral for a move, moved) and investigations of
//! tenancy fraud, subletting and abandonment (ending in a recovered home, a regularised tenancy or
//! no fraud), counted against the programme's targets: 50 homes recovered, each saving £18,000
//! (the Audit Commission's figure Haringey uses), and 50 downsizing moves.

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

use super::FindingKind;
use super::codes::code_enum;
use super::money::Pence;

code_enum!(
    /// What an entry in the pipeline is about.
    PipelineKind {
        Downsizing = "downsizing": "Downsizing",
        Fraud = "fraud": "Tenancy fraud",
        Subletting = "subletting": "Subletting",
        Abandonment = "abandonment": "Abandonment",
    }
);

code_enum!(
    /// Where an entry stands. Downsizing: interest, options, referred, then moved or withdrawn.
    /// Investigations: investigating, then recovered, regularised or no fraud.
    PipelineStage {
        Interest = "interest": "Interested in a smaller home",
        Options = "options": "Options conversation held",
        Referred = "referred": "Referred for a move",
        Moved = "moved": "Moved to a smaller home",
        Withdrawn = "withdrawn": "Decided not to move",
        Investigating = "investigating": "Under investigation",
        Recovered = "recovered": "Home recovered",
        Regularised = "regularised": "Tenancy regularised",
        NoFraud = "no_fraud": "No fraud found",
    }
);

impl PipelineKind {
    /// The stage a new entry starts at.
    pub fn first_stage(self) -> PipelineStage {
        match self {
            PipelineKind::Downsizing => PipelineStage::Interest,
            _ => PipelineStage::Investigating,
        }
    }

    /// The investigation a visit's finding opens (signs of subletting or abandonment).
    pub fn opened_by(finding: FindingKind) -> Option<PipelineKind> {
        match finding {
            FindingKind::Subletting => Some(PipelineKind::Subletting),
            FindingKind::Abandonment => Some(PipelineKind::Abandonment),
            _ => None,
        }
    }
}

impl PipelineStage {
    /// The permitted next stages: forward one step, or out (withdrawn; an investigation's three
    /// endings). A final stage goes nowhere.
    pub fn next(self) -> &'static [PipelineStage] {
        use PipelineStage::*;
        match self {
            Interest => &[Options, Withdrawn],
            Options => &[Referred, Withdrawn],
            Referred => &[Moved, Withdrawn],
            Investigating => &[Recovered, Regularised, NoFraud],
            Moved | Withdrawn | Recovered | Regularised | NoFraud => &[],
        }
    }

    /// Whether the entry has ended here.
    pub fn is_final(self) -> bool {
        self.next().is_empty()
    }
}

/// Whether an entry may move from `from` to `to`, with the reason when not.
pub fn check_move(kind: PipelineKind, from: PipelineStage, to: PipelineStage) -> Result<(), String> {
    if from.is_final() {
        return Err(format!("This {} has ended ({}): start a new one if things have changed.", kind.label().to_lowercase(), from.label().to_lowercase()));
    }
    if from.next().contains(&to) {
        Ok(())
    } else {
        let options: Vec<_> = from.next().iter().map(|s| s.label().to_lowercase()).collect();
        Err(format!("From \"{}\" the next step is {}.", from.label().to_lowercase(), options.join(" or ")))
    }
}

/// The note every step carries: what happened, in a sentence or more.
pub fn read_note(note: &str) -> Result<String, String> {
    let note = note.trim();
    if note.chars().count() < 5 {
        return Err("Say what happened: a sentence for whoever picks this up next.".into());
    }
    if note.chars().count() > 2000 {
        return Err("Keep the note under 2,000 characters.".into());
    }
    Ok(note.to_string())
}

/// What a visit opens: an investigation for each finding of subletting or abandonment, and a
/// downsizing entry when the household said they would like a smaller home. Interest in moving
/// is heard from someone at the door, so a visit with no access cannot record it.
pub fn opened_by_visit(findings: &[FindingKind], downsizing_interest: bool, someone_seen: bool) -> Result<Vec<PipelineKind>, String> {
    if downsizing_interest && !someone_seen {
        return Err("Interest in downsizing is heard at the door: a visit with no access cannot record it.".into());
    }
    let mut kinds: Vec<_> = findings.iter().filter_map(|f| PipelineKind::opened_by(*f)).collect();
    if downsizing_interest {
        kinds.insert(0, PipelineKind::Downsizing);
    }
    kinds.dedup();
    Ok(kinds)
}

/// The programme's targets (`seeds/003`: "a target of recovering 50 additional properties";
/// "tenant successfully downsizing ... target of 50 cases"; "the usual measure of the saving
/// achieved is £18,000 per property"), set by `HEARTH_PIPELINE_TARGETS`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Targets {
    /// Homes recovered from fraud, subletting or abandonment in a year.
    pub recovered: u32,
    /// Downsizing moves in a year.
    pub moved: u32,
    /// The saving counted for each home recovered, in whole pounds.
    pub saving_pounds: u32,
}

impl Default for Targets {
    fn default() -> Self {
        Targets { recovered: 50, moved: 50, saving_pounds: 18_000 }
    }
}

/// Reads `recovered=50,moved=50,saving=18000` (any of them; the rest keep their defaults).
pub fn parse_targets(text: &str) -> Result<Targets, String> {
    let mut t = Targets::default();
    for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (name, value) = part.split_once('=').ok_or_else(|| format!("{part:?} is not name=number, such as recovered=50"))?;
        let value: u32 = value.trim().parse().map_err(|_| format!("{:?} is not a whole number", value.trim()))?;
        match name.trim() {
            "recovered" | "moved" if !(1..=10_000).contains(&value) => return Err(format!("a target of {value} is outside 1 to 10,000")),
            "saving" if !(1..=1_000_000).contains(&value) => return Err(format!("£{value} is outside £1 to £1,000,000")),
            "recovered" => t.recovered = value,
            "moved" => t.moved = value,
            "saving" => t.saving_pounds = value,
            other => return Err(format!("{other:?} is not a target: use recovered, moved or saving")),
        }
    }
    Ok(t)
}

/// The first day of the council's financial year (1 April) that `today` falls in: the targets
/// are a year's.
pub fn year_start(today: NaiveDate) -> NaiveDate {
    let year = if today.month() >= 4 { today.year() } else { today.year() - 1 };
    NaiveDate::from_ymd_opt(year, 4, 1).expect("1 April exists")
}

/// An entry as the figures need it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Entry {
    pub kind: PipelineKind,
    pub stage: PipelineStage,
    pub opened_on: NaiveDate,
    /// The day it reached its final stage.
    pub closed_on: Option<NaiveDate>,
}

/// One month's movement: entries opened, homes recovered, households moved.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct MonthFigures {
    /// The month's first day.
    pub month: NaiveDate,
    pub opened: u32,
    pub recovered: u32,
    pub moved: u32,
}

/// The year's figures against the targets, and what is open now by stage.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ssr", derive(utoipa::ToSchema))]
pub struct Figures {
    pub year_from: NaiveDate,
    pub targets: Targets,
    pub recovered: u32,
    pub regularised: u32,
    pub no_fraud: u32,
    pub moved: u32,
    pub withdrawn: u32,
    /// Homes recovered this year at the saving a home, in pence.
    #[cfg_attr(feature = "ssr", schema(value_type = i64))]
    pub saving: Pence,
    /// Open entries by kind and stage, in the stages' order (stages with none left out).
    pub open: Vec<(PipelineKind, PipelineStage, u32)>,
    /// April to this month.
    pub months: Vec<MonthFigures>,
}

impl Figures {
    /// Per cent of a target reached (whole, capped at 100 for the bar; the count says the rest).
    pub fn percent(done: u32, target: u32) -> u32 {
        done.saturating_mul(100).checked_div(target).map_or(100, |p| p.min(100))
    }
}

fn month_of(d: NaiveDate) -> NaiveDate {
    d.with_day(1).expect("day 1 exists")
}

/// Counts the year's endings against the targets, month by month, and what is open by stage.
pub fn figures(entries: &[Entry], targets: Targets, today: NaiveDate) -> Figures {
    let year_from = year_start(today);
    let mut months = Vec::new();
    let mut m = year_from;
    while m <= today {
        months.push(MonthFigures { month: m, opened: 0, recovered: 0, moved: 0 });
        m = m.checked_add_months(chrono::Months::new(1)).expect("a month later exists");
    }
    let slot = |d: NaiveDate| (year_from..=today).contains(&d).then(|| months.iter().position(|x| x.month == month_of(d))).flatten();
    let mut f =
        Figures { year_from, targets, recovered: 0, regularised: 0, no_fraud: 0, moved: 0, withdrawn: 0, saving: Pence(0), open: vec![], months: vec![] };
    let mut open: std::collections::BTreeMap<(PipelineKind, PipelineStage), u32> = Default::default();
    let mut bumps = Vec::new();
    for e in entries {
        if let Some(i) = slot(e.opened_on) {
            bumps.push((i, None));
        }
        match (e.stage.is_final(), e.closed_on) {
            (false, _) => *open.entry((e.kind, e.stage)).or_default() += 1,
            (true, Some(closed)) if (year_from..=today).contains(&closed) => {
                match e.stage {
                    PipelineStage::Recovered => f.recovered += 1,
                    PipelineStage::Regularised => f.regularised += 1,
                    PipelineStage::NoFraud => f.no_fraud += 1,
                    PipelineStage::Moved => f.moved += 1,
                    _ => f.withdrawn += 1,
                }
                if let Some(i) = slot(closed) {
                    bumps.push((i, Some(e.stage)));
                }
            }
            (true, _) => {}
        }
    }
    for (i, stage) in bumps {
        match stage {
            None => months[i].opened += 1,
            Some(PipelineStage::Recovered) => months[i].recovered += 1,
            Some(PipelineStage::Moved) => months[i].moved += 1,
            Some(_) => {}
        }
    }
    f.saving = Pence(i64::from(f.recovered) * i64::from(targets.saving_pounds) * 100);
    f.open = open.into_iter().map(|((k, s), n)| (k, s, n)).collect();
    f.months = months;
    f
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn downsizing_moves_forward_one_step_or_stops() {
        use PipelineStage::*;
        let k = PipelineKind::Downsizing;
        assert_eq!(k.first_stage(), Interest);
        assert!(check_move(k, Interest, Options).is_ok());
        assert!(check_move(k, Options, Referred).is_ok());
        assert!(check_move(k, Referred, Moved).is_ok());
        assert!(check_move(k, Options, Withdrawn).is_ok());
        let skip = check_move(k, Interest, Moved).unwrap_err();
        assert_eq!(skip, "From \"interested in a smaller home\" the next step is options conversation held or decided not to move.");
        assert!(check_move(k, Moved, Withdrawn).unwrap_err().contains("has ended"));
        assert!(check_move(k, Interest, Recovered).is_err(), "an investigation's ending is not a downsizing step");
    }

    #[test]
    fn an_investigation_ends_in_a_recovered_home_a_regularised_tenancy_or_no_fraud() {
        use PipelineStage::*;
        for k in [PipelineKind::Fraud, PipelineKind::Subletting, PipelineKind::Abandonment] {
            assert_eq!(k.first_stage(), Investigating);
            for end in [Recovered, Regularised, NoFraud] {
                assert!(check_move(k, Investigating, end).is_ok());
                assert!(end.is_final());
            }
            assert!(check_move(k, Investigating, Moved).is_err());
        }
        assert!(check_move(PipelineKind::Fraud, Recovered, Investigating).unwrap_err().contains("start a new one"));
    }

    #[test]
    fn a_visit_opens_investigations_from_its_findings_and_downsizing_from_what_was_said() {
        let found = [FindingKind::Disrepair, FindingKind::Subletting, FindingKind::Abandonment];
        assert_eq!(opened_by_visit(&found, true, true).unwrap(), vec![PipelineKind::Downsizing, PipelineKind::Subletting, PipelineKind::Abandonment]);
        assert_eq!(opened_by_visit(&[FindingKind::UnderOccupation], false, true).unwrap(), vec![], "under-occupied but not asking to move");
        assert!(opened_by_visit(&[], true, false).unwrap_err().contains("no access"));
    }

    #[test]
    fn notes_say_what_happened() {
        assert_eq!(read_note("  Met at the door; wants a 1-bed near N17 ").unwrap(), "Met at the door; wants a 1-bed near N17");
        assert!(read_note("ok").is_err());
        assert!(read_note(&"x".repeat(2001)).is_err());
    }

    #[test]
    fn targets_are_set_by_the_council() {
        assert_eq!(parse_targets("").unwrap(), Targets { recovered: 50, moved: 50, saving_pounds: 18_000 });
        assert_eq!(parse_targets("recovered=60, saving=20000").unwrap(), Targets { recovered: 60, moved: 50, saving_pounds: 20_000 });
        assert!(parse_targets("recoveries=5").unwrap_err().contains("use recovered, moved or saving"));
        assert!(parse_targets("moved=0").unwrap_err().contains("outside"));
        assert!(parse_targets("saving=lots").unwrap_err().contains("whole number"));
    }

    /// Haringey's own figures (`seeds/003` para 13): "around 48 properties per year ... £18,000 per
    /// property ... the saving currently achieved is £864,000".
    #[test]
    fn the_year_counts_recoveries_at_the_saving_and_moves_against_their_targets() {
        assert_eq!(year_start(d("2026-12-07")), d("2026-04-01"));
        assert_eq!(year_start(d("2027-03-31")), d("2026-04-01"));
        assert_eq!(year_start(d("2027-04-01")), d("2027-04-01"));
        let e = |kind, stage, opened: &str, closed: Option<&str>| Entry { kind, stage, opened_on: d(opened), closed_on: closed.map(d) };
        let mut entries: Vec<Entry> =
            (0..48).map(|i| e(PipelineKind::Fraud, PipelineStage::Recovered, "2026-04-01", Some(["2026-05-10", "2026-11-20"][i % 2]))).collect();
        entries.extend([
            e(PipelineKind::Fraud, PipelineStage::Recovered, "2025-10-01", Some("2026-03-31")), // last year's
            e(PipelineKind::Subletting, PipelineStage::Regularised, "2026-06-01", Some("2026-07-01")),
            e(PipelineKind::Abandonment, PipelineStage::NoFraud, "2026-06-01", Some("2026-07-02")),
            e(PipelineKind::Downsizing, PipelineStage::Moved, "2026-05-01", Some("2026-11-03")),
            e(PipelineKind::Downsizing, PipelineStage::Withdrawn, "2026-05-01", Some("2026-06-03")),
            e(PipelineKind::Downsizing, PipelineStage::Options, "2026-11-01", None),
            e(PipelineKind::Downsizing, PipelineStage::Interest, "2026-12-01", None),
            e(PipelineKind::Downsizing, PipelineStage::Interest, "2025-12-01", None),
            e(PipelineKind::Abandonment, PipelineStage::Investigating, "2026-12-02", None),
        ]);
        let f = figures(&entries, Targets::default(), d("2026-12-07"));
        assert_eq!((f.recovered, f.regularised, f.no_fraud, f.moved, f.withdrawn), (48, 1, 1, 1, 1));
        assert_eq!(f.saving, Pence(86_400_000), "£864,000");
        assert_eq!(
            f.open,
            vec![
                (PipelineKind::Downsizing, PipelineStage::Interest, 2),
                (PipelineKind::Downsizing, PipelineStage::Options, 1),
                (PipelineKind::Abandonment, PipelineStage::Investigating, 1)
            ]
        );
        assert_eq!(f.months.len(), 9, "April to December");
        assert_eq!(f.months[0], MonthFigures { month: d("2026-04-01"), opened: 48, recovered: 0, moved: 0 });
        assert_eq!((f.months[1].recovered, f.months[7].recovered, f.months[7].moved), (24, 24, 1));
        assert_eq!(f.months[8].opened, 2);
        assert_eq!((Figures::percent(48, 50), Figures::percent(70, 50), Figures::percent(1, 0)), (96, 100, 100));
    }
}
