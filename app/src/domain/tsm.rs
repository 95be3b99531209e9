//! Tenant Satisfaction Measures (Regulator of Social Housing): the perception questions
//! TP01–TP12 and the Regulator's arithmetic. Satisfied % = (very + fairly satisfied, or strongly
//! agree + agree for TP08) × 100 / all five substantive answers, "not applicable / don't know"
//! and non-answers excluded, rounded half-up to one decimal place.
//!
//! Counts may be weighted (some landlords publish counts such as `335.7`), so they are held
//! exactly as fixed-point millionths and the percentage is computed in integers: no floating
//! point, so the rounding of a published x.x5 is never off by one.

use serde::{Deserialize, Serialize};

/// The twelve perception measures, in the Regulator's order.
pub const MEASURES: [&str; 12] = ["TP01", "TP02", "TP03", "TP04", "TP05", "TP06", "TP07", "TP08", "TP09", "TP10", "TP11", "TP12"];

/// Short names, as the Regulator's question list gives them.
pub fn measure_name(code: &str) -> &'static str {
    match code {
        "TP01" => "Overall satisfaction",
        "TP02" => "Satisfaction with repairs",
        "TP03" => "Satisfaction with time taken to complete most recent repair",
        "TP04" => "Satisfaction that the home is well maintained",
        "TP05" => "Satisfaction that the home is safe",
        "TP06" => "Satisfaction that the landlord listens to tenant views and acts upon them",
        "TP07" => "Satisfaction that the landlord keeps tenants informed about things that matter to them",
        "TP08" => "Agreement that the landlord treats tenants fairly and with respect",
        "TP09" => "Satisfaction with the landlord's approach to handling complaints",
        "TP10" => "Satisfaction that the landlord keeps communal areas clean and well maintained",
        "TP11" => "Satisfaction that the landlord makes a positive contribution to neighbourhoods",
        "TP12" => "Satisfaction with the landlord's approach to handling anti-social behaviour",
        _ => "Unknown measure",
    }
}

/// A count in millionths of a response (weighted counts have decimals).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tally(pub i64);

impl Tally {
    pub const ONE: Tally = Tally(1_000_000);

    pub fn whole(n: i64) -> Tally {
        Tally(n * 1_000_000)
    }

    /// Parses a non-negative decimal such as `916`, `335.7` or `0.125`; up to six decimal places.
    pub fn parse(s: &str) -> Option<Tally> {
        let s = s.trim();
        let (int, frac) = s.split_once('.').unwrap_or((s, ""));
        if int.is_empty() && frac.is_empty() || frac.len() > 6 || !int.bytes().all(|b| b.is_ascii_digit()) || !frac.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let whole: i64 = if int.is_empty() { 0 } else { int.parse().ok()? };
        let mut micro: i64 = if frac.is_empty() { 0 } else { frac.parse().ok()? };
        for _ in frac.len()..6 {
            micro *= 10;
        }
        whole.checked_mul(1_000_000)?.checked_add(micro).map(Tally)
    }

    /// As people read it: whole responses without decimals, weighted ones with one.
    pub fn display(self) -> String {
        if self.0 % 1_000_000 == 0 { (self.0 / 1_000_000).to_string() } else { format!("{:.1}", self.0 as f64 / 1_000_000.0) }
    }
}

/// A percentage to one decimal place, held as tenths (`712` is 71.2%).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Tenths(pub i64);

impl Tenths {
    pub fn display(self) -> String {
        format!("{}.{}", self.0 / 10, self.0 % 10)
    }
    pub fn as_f64(self) -> f64 {
        self.0 as f64 / 10.0
    }
}

impl std::fmt::Display for Tenths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}%", self.display())
    }
}

/// `part × 100 / whole`, rounded half-up to one decimal place; `None` when nobody answered.
pub fn percent(part: Tally, whole: Tally) -> Option<Tenths> {
    if whole.0 <= 0 || part.0 < 0 || part.0 > whole.0 {
        return None;
    }
    let (p, w) = (part.0 as i128, whole.0 as i128);
    // round_half_up(1000 p / w) = floor((2000 p + w) / 2w)
    Some(Tenths(((2000 * p + w) / (2 * w)) as i64))
}

/// The five substantive answers to one measure, best first; "don't know" is kept apart.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Answers {
    pub counts: [Tally; 5],
    pub dont_know: Tally,
}

impl Answers {
    /// Very + fairly satisfied (strongly agree + agree).
    pub fn satisfied(&self) -> Tally {
        Tally(self.counts[0].0 + self.counts[1].0)
    }
    /// Everyone who gave a substantive answer.
    pub fn base(&self) -> Tally {
        Tally(self.counts.iter().map(|t| t.0).sum())
    }
    pub fn percent(&self) -> Option<Tenths> {
        percent(self.satisfied(), self.base())
    }
    /// Adds one answer on the five-point scale (1 best … 5 worst) or 0 for "don't know".
    pub fn add(&mut self, answer: u8) {
        match answer {
            1..=5 => self.counts[answer as usize - 1].0 += Tally::ONE.0,
            0 => self.dont_know.0 += Tally::ONE.0,
            _ => {}
        }
    }
}

/// One landlord's perception results as the Regulator published them, recomputed from counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LandlordResults {
    pub code: String,
    pub name: String,
    /// `LA` (council) or `PRP` (housing association); 2023/24's `LARP` is read as `LA`.
    pub landlord_type: String,
    pub measures: Vec<MeasureResult>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MeasureResult {
    pub measure: String,
    pub answers: Answers,
    /// Recomputed from the counts.
    pub percent: Option<Tenths>,
    /// The percentage the landlord published, rounded half-up to one place, for comparison.
    pub published: Option<Tenths>,
}

/// A row the import could not read, by its line in the file.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LineProblem {
    pub line: u64,
    pub message: String,
}

/// Where each measure's figures sit in a year's file.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Layout {
    pub name: usize,
    pub code: usize,
    pub landlord_type: Option<usize>,
    /// Per measure: the published percentage column and the five count columns, best first.
    pub measures: Vec<MeasureColumns>,
}

/// A measure's code, its published percentage column, its five count columns (best first) and
/// its "don't know" column.
pub type MeasureColumns = (String, Option<usize>, [usize; 5], Option<usize>);

fn tp_code(label: &str) -> Option<String> {
    let i = label.find("(TP")?;
    let code = label.get(i + 1..i + 5)?;
    (code.len() == 4 && code[2..].bytes().all(|b| b.is_ascii_digit()) && label.get(i + 5..i + 6) == Some(")")).then(|| code.to_string())
}

/// Reads a header row: columns are matched by meaning and their `(TPxx)` code, never by position,
/// because each year's file orders and words them differently. A count column whose label was cut
/// short before its code (it ends in `(`) belongs to the measure of the count column before it.
pub fn layout(header: &[&str]) -> Result<Layout, String> {
    let find = |pred: &dyn Fn(&str) -> bool| header.iter().position(|h| pred(&h.trim().to_lowercase()));
    let name = find(&|h| h == "landlord name").ok_or("no \"Landlord name\" column")?;
    let code = find(&|h| h == "landlord code").ok_or("no \"Landlord code\" column")?;
    let landlord_type = find(&|h| h == "landlord type");
    let mut pct: std::collections::BTreeMap<String, usize> = Default::default();
    let mut counts: std::collections::BTreeMap<String, Vec<usize>> = Default::default();
    let mut dont_know: std::collections::BTreeMap<String, usize> = Default::default();
    let mut previous: Option<String> = None;
    for (i, raw) in header.iter().enumerate() {
        let h = raw.trim().to_lowercase();
        let is_count = h.starts_with("number of respondents");
        let truncated =
            h.ends_with('(') || h.ends_with("(t") || h.ends_with("(tp") || (h.len() > 4 && h[h.len() - 4..].starts_with("(tp") && !h.ends_with(')'));
        let tp = tp_code(raw).or_else(|| if is_count && truncated { previous.clone() } else { None });
        previous = if is_count { tp.clone() } else { None };
        let Some(tp) = tp else { continue };
        if h.starts_with("proportion of respondents") && !h.contains("unweighted") && !h.contains("survey method") {
            pct.entry(tp).or_insert(i);
        } else if is_count && h.contains("not applicable") {
            dont_know.insert(tp, i);
        } else if is_count {
            counts.entry(tp).or_default().push(i);
        }
    }
    let mut measures = Vec::new();
    for m in MEASURES {
        let Some(cols) = counts.get(m) else { continue };
        // The filter question's yes/no counts (TP02/TP03) come first; the five answers last.
        if cols.len() < 5 {
            return Err(format!("{m} has {} count columns; five answers are needed", cols.len()));
        }
        let five: [usize; 5] = cols[cols.len() - 5..].try_into().expect("five");
        measures.push((m.to_string(), pct.get(m).copied(), five, dont_know.get(m).copied()));
    }
    if measures.is_empty() {
        return Err("no TP01–TP12 response counts found in the header".into());
    }
    Ok(Layout { name, code, landlord_type, measures })
}

/// Reads one data row with a layout. Blank or `[X]`/`[Z]`/`[U]` cells are "not published".
pub fn read_row(layout: &Layout, row: &[&str]) -> Result<LandlordResults, String> {
    let cell = |i: usize| row.get(i).map(|s| s.trim()).unwrap_or("");
    let code = cell(layout.code);
    let name = cell(layout.name);
    if code.is_empty() || name.is_empty() {
        return Err("no landlord name or code".into());
    }
    let landlord_type = layout.landlord_type.map(cell).map(|t| if t == "LARP" { "LA" } else { t }).unwrap_or("").to_string();
    let special = |s: &str| s.is_empty() || s.starts_with('[');
    let mut measures = Vec::new();
    for (m, pct, five, dk) in &layout.measures {
        let raw: Vec<&str> = five.iter().map(|&i| cell(i)).collect();
        if raw.iter().all(|s| special(s)) {
            continue;
        }
        let mut answers = Answers::default();
        for (k, s) in raw.iter().enumerate() {
            answers.counts[k] = if special(s) { Tally(0) } else { Tally::parse(s).ok_or_else(|| format!("{m}: count {:?} is not a number", s))? };
        }
        if let Some(i) = dk {
            answers.dont_know = Tally::parse(cell(*i)).unwrap_or_default();
        }
        let published =
            pct.map(cell).filter(|s| !special(s)).map(|s| parse_published(s).ok_or_else(|| format!("{m}: percentage {s:?} is not a number"))).transpose()?;
        measures.push(MeasureResult { measure: m.clone(), percent: answers.percent(), answers, published });
    }
    Ok(LandlordResults { code: code.to_string(), name: name.to_string(), landlord_type, measures })
}

/// A published percentage (`71.2`, or unrounded such as `74.9898332655551`), rounded half-up
/// to tenths. Digits past the sixth decimal place cannot move a half-up rounding at the first.
pub fn parse_published(s: &str) -> Option<Tenths> {
    let s = s.trim();
    let cut = s.find('.').map(|i| (i + 7).min(s.len())).unwrap_or(s.len());
    let t = Tally::parse(&s[..cut])?;
    Some(Tenths((t.0 * 10 + 500_000) / 1_000_000))
}

/// The result of reading a whole file.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Import {
    pub landlords: Vec<LandlordResults>,
    pub problems: Vec<LineProblem>,
}

/// Reads a perception sheet saved as CSV. A bad row is reported by its line and skipped;
/// only an unreadable header fails the whole file.
#[cfg(feature = "ssr")]
pub fn import_csv(text: &str) -> Result<Import, String> {
    let mut rdr = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.trim_start_matches('\u{feff}').as_bytes());
    let header = rdr.headers().map_err(|e| format!("the header row cannot be read: {e}"))?.clone();
    let layout = layout(&header.iter().collect::<Vec<_>>())?;
    let mut out = Import::default();
    let mut seen = std::collections::HashSet::new();
    for rec in rdr.records() {
        match rec {
            Err(e) => out.problems.push(LineProblem { line: e.position().map(|p| p.line()).unwrap_or(0), message: e.to_string() }),
            Ok(r) => {
                let line = r.position().map(|p| p.line()).unwrap_or(0);
                if r.iter().all(|c| c.trim().is_empty()) {
                    continue;
                }
                match read_row(&layout, &r.iter().collect::<Vec<_>>()) {
                    Ok(l) if !seen.insert(l.code.clone()) => {
                        out.problems.push(LineProblem { line, message: format!("landlord {} appears twice; the first row is kept", l.code) })
                    }
                    Ok(l) => out.landlords.push(l),
                    Err(message) => out.problems.push(LineProblem { line, message }),
                }
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn answers(c: [i64; 5]) -> Answers {
        Answers { counts: c.map(Tally::whole), dont_know: Tally(0) }
    }

    #[test]
    fn satisfied_share_rounds_half_up_to_one_place() {
        // 2 of 3 = 66.666… → 66.7; 1 of 8 = 12.5 exactly; 1 of 16 = 6.25 → 6.3 (half up, not to even).
        assert_eq!(answers([1, 1, 1, 0, 0]).percent(), Some(Tenths(667)));
        assert_eq!(answers([1, 0, 7, 0, 0]).percent(), Some(Tenths(125)));
        assert_eq!(percent(Tally::whole(1), Tally::whole(16)), Some(Tenths(63)));
        assert_eq!(percent(Tally::whole(1), Tally::whole(80)), Some(Tenths(13)), "1.25 → 1.3");
        assert_eq!(percent(Tally::whole(0), Tally::whole(5)), Some(Tenths(0)));
        assert_eq!(percent(Tally::whole(5), Tally::whole(5)), Some(Tenths(1000)));
        assert_eq!(answers([0, 0, 0, 0, 0]).percent(), None, "nobody answered: no figure, not 0%");
    }

    #[test]
    fn dont_know_is_outside_the_base() {
        let mut a = Answers::default();
        for x in [1, 2, 3, 0, 0, 0, 9] {
            a.add(x);
        }
        assert_eq!(a.base(), Tally::whole(3));
        assert_eq!(a.dont_know, Tally::whole(3));
        assert_eq!(a.percent(), Some(Tenths(667)));
    }

    #[test]
    fn weighted_counts_are_exact() {
        assert_eq!(Tally::parse("335.7"), Some(Tally(335_700_000)));
        assert_eq!(Tally::parse("0.125"), Some(Tally(125_000)));
        assert_eq!(Tally::parse("12"), Some(Tally::whole(12)));
        for bad in ["", ".", "-1", "1e3", "1.2345678", "abc", "1,000"] {
            assert_eq!(Tally::parse(bad), None, "{bad:?}");
        }
        // Dartford 2023/24 TP01: 335.7 + 255.5 of 818.3 → 72.2 (published 72.247…).
        let a = Answers { counts: ["335.7", "255.5", "87.2", "60", "79.9"].map(|s| Tally::parse(s).unwrap()), dont_know: Tally(0) };
        assert_eq!(a.percent(), Some(Tenths(722)));
    }

    #[test]
    fn published_values_round_like_the_regulator() {
        assert_eq!(parse_published("71.2"), Some(Tenths(712)));
        assert_eq!(parse_published("74.9898332655551"), Some(Tenths(750)));
        assert_eq!(parse_published("68.75"), Some(Tenths(688)));
        assert_eq!(parse_published("61"), Some(Tenths(610)));
        assert_eq!(parse_published("49.95"), Some(Tenths(500)));
        assert_eq!(parse_published("49.949999999"), Some(Tenths(499)));
    }

    #[test]
    fn columns_are_found_by_code_not_position() {
        let header = [
            "Landlord code",
            "Other",
            "Landlord name",
            "Number of respondents who report that they are very dissatisfied with the service (TP01)",
            "Proportion of respondents who report that they are satisfied with the service provided by their landlord (TP01)",
            "Number of respondents who report that their landlord has carried out a repair (TP02)",
            "Number of respondents who report that they are very satisfied with repairs (TP02)",
            "Number of respondents who report that they are fairly satisfied with repairs (TP02)",
            "Number of respondents who report that they are neither satisfied nor dissatisfied with repairs over the last 12 months (",
            "Number of respondents who report that they are fairly dissatisfied with repairs (TP02)",
            "Number of respondents who report that they are very dissatisfied with repairs (TP02)7",
            "Number of respondents who report that they have made a complaint in the last 12 months",
        ];
        let l = layout(&header).map_err(|e| e.to_string());
        // TP01 has one count column only: the header is refused with a reason.
        assert!(l.unwrap_err().contains("TP01"));
        let ok: Vec<&str> = header.iter().copied().filter(|h| !h.contains("(TP01)")).collect();
        let l = layout(&ok).unwrap();
        assert_eq!((l.code, l.name), (0, 2));
        assert_eq!(l.measures.len(), 1);
        let (m, pct, five, _) = &l.measures[0];
        assert_eq!((m.as_str(), *pct), ("TP02", None));
        assert_eq!(five, &[4, 5, 6, 7, 8], "the truncated label joins its measure; the filter count is left out");
    }

    #[cfg(feature = "ssr")]
    fn dataset(name: &str) -> String {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../server/data/tsm").join(name);
        std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    /// Every council's published 2023/24 and 2024/25 perception percentage is reproduced
    /// from its counts (the Regulator's arithmetic, weighted counts included).
    #[cfg(feature = "ssr")]
    #[test]
    fn reproduces_every_councils_published_percentages() {
        for (file, year) in [("rsh_tsm_2024_lcra_perception.csv", "2023/24"), ("rsh_tsm_2025_lcra_perception.csv", "2024/25")] {
            let import = import_csv(&dataset(file)).unwrap();
            assert!(import.problems.is_empty(), "{year}: {:?}", import.problems);
            let councils: Vec<_> = import.landlords.iter().filter(|l| l.landlord_type == "LA").collect();
            let mut checked = 0;
            for l in &councils {
                for m in &l.measures {
                    if let Some(p) = m.published {
                        assert_eq!(m.percent, Some(p), "{year} {} {} {}", l.name, l.code, m.measure);
                        checked += 1;
                    }
                }
            }
            assert_eq!(councils.len(), 158, "{year}");
            assert_eq!(checked, 158 * 12, "{year}: every council, every measure");
        }
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn a_bad_row_is_reported_by_line_and_the_rest_imported() {
        let text = dataset("rsh_tsm_2024_lcra_perception.csv");
        // Rewrite the file with the first data row's first TP01 count broken.
        let mut rdr = csv::ReaderBuilder::new().from_reader(text.as_bytes());
        let header = rdr.headers().unwrap().clone();
        let col = header
            .iter()
            .position(|c| c.starts_with("Number of respondents who report that they are very satisfied with the service provided by their landlord (TP01)"))
            .unwrap();
        let mut rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
        let mut first: Vec<String> = rows[0].iter().map(str::to_string).collect();
        first[col] = "lots".into();
        rows[0] = csv::StringRecord::from(first);
        let mut w = csv::Writer::from_writer(vec![]);
        w.write_record(&header).unwrap();
        w.flush().unwrap();
        let header_lines = String::from_utf8(w.get_ref().clone()).unwrap().matches('\n').count() as u64;
        for r in &rows {
            w.write_record(r).unwrap();
        }
        let rewritten = String::from_utf8(w.into_inner().unwrap()).unwrap();
        let import = import_csv(&rewritten).unwrap();
        assert_eq!(import.problems.len(), 1);
        assert_eq!(import.problems[0].line, header_lines + 1, "the line the bad row starts on");
        assert_eq!(import.problems.len(), 1);
        assert_eq!(import.problems[0].line, 2);
        assert!(import.problems[0].message.contains("TP01"), "{}", import.problems[0].message);
        assert_eq!(import.landlords.len(), 354);
        assert!(import_csv("not,a,perception,sheet\n1,2,3,4").is_err());
    }
}
