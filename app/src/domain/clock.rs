//! Working days, deadlines and clocks.
//!
//! The rules (see the "Clocks" section of the domain brief):
//! - A **working day** is Monday–Friday and not an England & Wales bank holiday.
//!   The holidays 2018–2030 are embedded ([`WorkingCalendar::england_and_wales`]);
//!   later years (or corrections) come from administrators through
//!   [`WorkingCalendar::with_extra_holidays`] / [`WorkingCalendar::without_holidays`].
//! - **"N working days from D"** is the Nth working day strictly after D
//!   ([`WorkingCalendar::add_working_days`]); counting uses the half-open interval
//!   `(from, to]` ([`WorkingCalendar::working_days_between`]), so the two agree.
//! - **"Same day"** ends at the end of D's working day ([`END_OF_WORKING_DAY`]);
//!   **"24 hours"** is 24 clock hours; **"N working days"** ends at the end of the Nth
//!   working day after D. See [`Deadline`].
//! - Instants are `DateTime<Utc>`; which *day* an instant falls on is decided in
//!   Europe/London local time. `chrono-tz` is not available, so UK summer time is
//!   implemented here ([`london_offset`], [`to_london`], [`london_local_to_utc`]).
//!
//! Everything here is pure: no clock reads, no I/O. Callers pass `now` in.

use std::collections::BTreeMap;
use std::sync::OnceLock;

use chrono::{DateTime, Datelike, Days, FixedOffset, Months, NaiveDate, NaiveDateTime, NaiveTime, TimeDelta, Utc, Weekday};
use serde::{Deserialize, Serialize};

/// The years of the dates Hearth accepts from a form or a request. Every tenancy, notice, review,
/// cover and plan falls well inside them, and date arithmetic on them (a working day added, a
/// trial extended) never nears the edge of the calendar, where chrono would panic.
pub const ACCEPTED_YEARS: std::ops::RangeInclusive<i32> = 1900..=2200;

/// Reads a date sent by a person or a system: `YYYY-MM-DD` with a four-digit year in
/// [`ACCEPTED_YEARS`]. `not_a_date` is the caller's own words for the first problem; a date out of
/// range is explained by this function.
pub fn input_date(value: &str, not_a_date: &str) -> Result<NaiveDate, String> {
    let v = value.trim();
    let shaped = v.len() == 10 && v.as_bytes()[4] == b'-' && v.as_bytes()[7] == b'-' && v.as_bytes()[..4].iter().all(u8::is_ascii_digit);
    let date = shaped.then(|| NaiveDate::parse_from_str(v, "%Y-%m-%d").ok()).flatten().ok_or_else(|| not_a_date.to_string())?;
    if !ACCEPTED_YEARS.contains(&date.year()) {
        return Err(format!("{v} is outside the dates Hearth accepts ({}-01-01 to {}-12-31).", ACCEPTED_YEARS.start(), ACCEPTED_YEARS.end()));
    }
    Ok(date)
}

/// The embedded England & Wales bank holidays, 2018–2030 (GOV.UK data to 2028, computed
/// and provisional for 2029–2030). Columns: `date,weekday,name,substitute_day,source`.
pub const BANK_HOLIDAYS_ENGLAND_WALES_CSV: &str = include_str!("bank_holidays_england_wales.csv");

/// When a working day ends, in Europe/London local time: 17:00.
///
/// "Same day" and "N working days" deadlines fall due at this time on their day.
pub const END_OF_WORKING_DAY: NaiveTime = match NaiveTime::from_hms_opt(17, 0, 0) {
    Some(t) => t,
    None => panic!("17:00 is a valid time"),
};

/// The last second of a calendar day (23:59:59 local): the deadline for a "same day" clock
/// that starts after [`END_OF_WORKING_DAY`] or on a day that is not a working day.
pub const END_OF_CALENDAR_DAY: NaiveTime = match NaiveTime::from_hms_opt(23, 59, 59) {
    Some(t) => t,
    None => panic!("23:59:59 is a valid time"),
};

/// What can go wrong in clock arithmetic and calendar parsing.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ClockError {
    /// `working_days_between` was asked to count backwards.
    #[error("cannot count working days from {from} back to {to}: the end date is before the start date")]
    EndBeforeStart {
        /// The start of the interval.
        from: NaiveDate,
        /// The (earlier) end of the interval.
        to: NaiveDate,
    },
    /// A line of a bank-holiday CSV could not be read.
    #[error("bank holiday data, line {line}: {message}")]
    BadHolidayData {
        /// 1-based line number in the CSV text (the header is line 1).
        line: usize,
        /// What was wrong with it.
        message: String,
    },
    /// A complaint extension longer than the Complaint Handling Code allows.
    #[error("an extension of {requested} working days is longer than the {max} working days allowed at {stage}")]
    ExtensionTooLong {
        /// Working days asked for.
        requested: u32,
        /// The most the Code allows at this stage.
        max: u32,
        /// The stage's label, e.g. "stage 1".
        stage: &'static str,
    },
}

// ---------------------------------------------------------------------------------------
// Europe/London time
// ---------------------------------------------------------------------------------------

/// Greenwich Mean Time, UTC+0 (UK winter time).
pub const GMT: FixedOffset = match FixedOffset::east_opt(0) {
    Some(o) => o,
    None => panic!("0 is a valid offset"),
};

/// British Summer Time, UTC+1.
pub const BST: FixedOffset = match FixedOffset::east_opt(3600) {
    Some(o) => o,
    None => panic!("3600 is a valid offset"),
};

/// The last Sunday of `month` in `year`.
fn last_sunday(year: i32, month: u32) -> NaiveDate {
    let first_of_next = if month == 12 { NaiveDate::from_ymd_opt(year + 1, 1, 1) } else { NaiveDate::from_ymd_opt(year, month + 1, 1) }
        .expect("first of a month is a valid date");
    let last = first_of_next.pred_opt().expect("a day before the first of a month exists");
    last - TimeDelta::days(i64::from(last.weekday().num_days_from_sunday()))
}

/// The UTC instants at which British Summer Time starts and ends in `year`:
/// 01:00 UTC on the last Sunday of March and of October.
pub fn bst_bounds(year: i32) -> (DateTime<Utc>, DateTime<Utc>) {
    let one_am = NaiveTime::from_hms_opt(1, 0, 0).expect("valid time");
    (last_sunday(year, 3).and_time(one_am).and_utc(), last_sunday(year, 10).and_time(one_am).and_utc())
}

/// The Europe/London offset from UTC in force at `instant`: [`BST`] (UTC+1) from 01:00 UTC
/// on the last Sunday of March until 01:00 UTC on the last Sunday of October, otherwise
/// [`GMT`]. (The current UK rule, in force since 1996; earlier history is not modelled.)
pub fn london_offset(instant: DateTime<Utc>) -> FixedOffset {
    let (start, end) = bst_bounds(instant.year());
    if instant >= start && instant < end { BST } else { GMT }
}

/// `instant` as Europe/London wall-clock time (with its offset).
pub fn to_london(instant: DateTime<Utc>) -> DateTime<FixedOffset> {
    instant.with_timezone(&london_offset(instant))
}

/// The calendar date in Europe/London at `instant`.
pub fn london_date(instant: DateTime<Utc>) -> NaiveDate {
    to_london(instant).date_naive()
}

/// The instant at which Europe/London wall-clock time reads `local`.
///
/// Two wall-clock hours a year are irregular, and are resolved so that the result is
/// never missing:
/// - **Spring gap** (01:00–01:59 on the last Sunday of March does not exist): the time is
///   read as GMT, i.e. it lands one hour later on the BST clock (01:30 → 02:30 BST).
/// - **Autumn overlap** (01:00–01:59 on the last Sunday of October happens twice): the
///   earlier instant (BST) is chosen.
pub fn london_local_to_utc(local: NaiveDateTime) -> DateTime<Utc> {
    let as_bst = (local - TimeDelta::hours(1)).and_utc();
    if london_offset(as_bst) == BST {
        return as_bst;
    }
    // Either plain GMT, or the spring gap (read as GMT too).
    local.and_utc()
}

/// `instant` formatted for people, in Europe/London time: e.g. `Tue 3 Mar 2026, 17:00`.
/// Deterministic (no locale or clock reads), so it is safe during server rendering and
/// hydration alike.
pub fn format_london(instant: DateTime<Utc>) -> String {
    to_london(instant).format("%a %-d %b %Y, %H:%M").to_string()
}

// ---------------------------------------------------------------------------------------
// The working-day calendar
// ---------------------------------------------------------------------------------------

/// Parses bank-holiday CSV text with the header `date,weekday,name,substitute_day,source`
/// (the format of the embedded file; only `date` and `name` are used, and `weekday`, when
/// present and non-empty, must agree with the date). Blank lines are skipped. Fields must
/// not contain commas or quotes.
pub fn parse_bank_holidays_csv(text: &str) -> Result<Vec<(NaiveDate, String)>, ClockError> {
    let mut lines = text.lines().enumerate();
    let bad = |line: usize, message: String| ClockError::BadHolidayData { line: line + 1, message };
    let header = loop {
        match lines.next() {
            Some((_, l)) if l.trim().is_empty() => continue,
            Some((i, l)) => break (i, l.trim_start_matches('\u{feff}')),
            None => return Ok(Vec::new()),
        }
    };
    let columns: Vec<&str> = header.1.split(',').map(str::trim).collect();
    let position = |name: &str| columns.iter().position(|c| *c == name);
    let (Some(date_col), Some(name_col)) = (position("date"), position("name")) else {
        return Err(bad(header.0, format!("expected a header with `date` and `name` columns, found {:?}", header.1)));
    };
    let weekday_col = position("weekday");

    let mut out = Vec::new();
    for (i, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        if line.contains('"') {
            return Err(bad(i, "quoted fields are not supported".into()));
        }
        let fields: Vec<&str> = line.split(',').map(str::trim).collect();
        if fields.len() != columns.len() {
            return Err(bad(i, format!("expected {} fields, found {}", columns.len(), fields.len())));
        }
        let date = NaiveDate::parse_from_str(fields[date_col], "%Y-%m-%d").map_err(|e| bad(i, format!("bad date {:?}: {e}", fields[date_col])))?;
        let name = fields[name_col];
        if name.is_empty() {
            return Err(bad(i, format!("the holiday on {date} has no name")));
        }
        if let Some(w) = weekday_col.map(|c| fields[c]).filter(|w| !w.is_empty()) {
            let actual = weekday_name(date.weekday());
            if !w.eq_ignore_ascii_case(actual) {
                return Err(bad(i, format!("{date} is a {actual}, not a {w}")));
            }
        }
        out.push((date, name.to_string()));
    }
    Ok(out)
}

fn weekday_name(w: Weekday) -> &'static str {
    match w {
        Weekday::Mon => "Monday",
        Weekday::Tue => "Tuesday",
        Weekday::Wed => "Wednesday",
        Weekday::Thu => "Thursday",
        Weekday::Fri => "Friday",
        Weekday::Sat => "Saturday",
        Weekday::Sun => "Sunday",
    }
}

/// Whether `date` falls on a Saturday or Sunday.
pub fn is_weekend(date: NaiveDate) -> bool {
    matches!(date.weekday(), Weekday::Sat | Weekday::Sun)
}

/// Number of Monday–Friday days among the days numbered `1..=x` counted from 0001-01-01
/// (a Monday), as `NaiveDate::num_days_from_ce` numbers them; extended to `x <= 0` so that
/// differences count weekdays in any half-open interval.
fn weekdays_through(x: i64) -> i64 {
    x.div_euclid(7) * 5 + x.rem_euclid(7).min(5)
}

/// Bank holidays (with their names) for deciding working days.
///
/// Cheap to query; build one per request or keep one in application state. The server
/// builds it as `WorkingCalendar::england_and_wales().with_extra_holidays(rows)` from its
/// `bank_holidays` table.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct WorkingCalendar {
    holidays: BTreeMap<NaiveDate, String>,
}

impl WorkingCalendar {
    /// A calendar with exactly these bank holidays (a later entry for the same date wins).
    /// Holidays falling on a weekend are kept (for names) but change nothing.
    pub fn new(holidays: impl IntoIterator<Item = (NaiveDate, String)>) -> Self {
        Self { holidays: holidays.into_iter().collect() }
    }

    /// The England & Wales bank holidays 2018–2030 embedded in the app, parsed once.
    ///
    /// # Panics
    /// Never in practice: the embedded data is checked by this module's tests.
    pub fn england_and_wales() -> &'static WorkingCalendar {
        static CALENDAR: OnceLock<WorkingCalendar> = OnceLock::new();
        CALENDAR.get_or_init(|| {
            let holidays = parse_bank_holidays_csv(BANK_HOLIDAYS_ENGLAND_WALES_CSV).expect("the embedded bank-holiday CSV is valid");
            WorkingCalendar::new(holidays)
        })
    }

    /// This calendar plus `extra` holidays (e.g. dates an administrator added for years
    /// beyond the embedded data, or a new one-off). An extra date already present
    /// replaces the existing name.
    pub fn with_extra_holidays(&self, extra: impl IntoIterator<Item = (NaiveDate, String)>) -> Self {
        let mut holidays = self.holidays.clone();
        holidays.extend(extra);
        Self { holidays }
    }

    /// This calendar without the given dates (e.g. a provisional computed holiday that the
    /// government moved). Dates that are not holidays are ignored.
    pub fn without_holidays(&self, dates: impl IntoIterator<Item = NaiveDate>) -> Self {
        let mut holidays = self.holidays.clone();
        for d in dates {
            holidays.remove(&d);
        }
        Self { holidays }
    }

    /// All holidays in date order.
    pub fn holidays(&self) -> impl Iterator<Item = (NaiveDate, &str)> + '_ {
        self.holidays.iter().map(|(d, n)| (*d, n.as_str()))
    }

    /// The holidays in one calendar year, in date order.
    pub fn holidays_in_year(&self, year: i32) -> impl Iterator<Item = (NaiveDate, &str)> + '_ {
        let from = NaiveDate::from_ymd_opt(year, 1, 1).unwrap_or(NaiveDate::MIN);
        let to = NaiveDate::from_ymd_opt(year, 12, 31).unwrap_or(NaiveDate::MAX);
        self.holidays.range(from..=to).map(|(d, n)| (*d, n.as_str()))
    }

    /// 1 January of the first year with holiday data ([`NaiveDate::MAX`] if there is none).
    pub fn covers_from(&self) -> NaiveDate {
        self.holidays.keys().next().and_then(|d| NaiveDate::from_ymd_opt(d.year(), 1, 1)).unwrap_or(NaiveDate::MAX)
    }

    /// 31 December of the last year with holiday data ([`NaiveDate::MIN`] if there is none).
    /// Working-day answers for later dates ignore holidays nobody has entered yet, so
    /// callers should warn when a date goes beyond this.
    pub fn covers_until(&self) -> NaiveDate {
        self.holidays.keys().next_back().and_then(|d| NaiveDate::from_ymd_opt(d.year(), 12, 31)).unwrap_or(NaiveDate::MIN)
    }

    /// Whether `date` lies within the years this calendar has holiday data for.
    pub fn covers(&self, date: NaiveDate) -> bool {
        self.covers_from() <= date && date <= self.covers_until()
    }

    /// Whether `date` is a bank holiday in this calendar (on any day of the week).
    pub fn is_bank_holiday(&self, date: NaiveDate) -> bool {
        self.holidays.contains_key(&date)
    }

    /// The bank holiday's name, if `date` is one (e.g. `Some("Boxing Day")` for 2020-12-28).
    pub fn holiday_name(&self, date: NaiveDate) -> Option<&str> {
        self.holidays.get(&date).map(String::as_str)
    }

    /// Monday–Friday and not a bank holiday.
    pub fn is_working_day(&self, date: NaiveDate) -> bool {
        !is_weekend(date) && !self.is_bank_holiday(date)
    }

    /// The first working day strictly after `date`.
    pub fn next_working_day(&self, date: NaiveDate) -> NaiveDate {
        self.add_working_days(date, 1)
    }

    /// `date` itself if it is a working day, otherwise the next working day after it.
    pub fn working_day_on_or_after(&self, date: NaiveDate) -> NaiveDate {
        if self.is_working_day(date) { date } else { self.next_working_day(date) }
    }

    /// "N working days from D": the `n`th working day strictly after `from`. `from` itself
    /// never counts, even when it is a working day, and it need not be one (from a
    /// Saturday, 1 working day is the Monday, or the Tuesday after a bank-holiday Monday).
    /// `n = 0` returns `from` unchanged.
    ///
    /// Agrees with [`Self::working_days_between`]: for `n > 0`, the result `r` is the
    /// earliest date with `working_days_between(from, r) == n`.
    ///
    /// # Panics
    /// If the answer lies beyond chrono's date range (hundreds of thousands of years).
    pub fn add_working_days(&self, from: NaiveDate, n: u32) -> NaiveDate {
        if n == 0 {
            return from;
        }
        let n = i64::from(n);
        let base = i64::from(from.num_days_from_ce());
        // Each 5 working days take 7 calendar days, each holiday at most one more day
        // (plus up to 2 weekend days around it), so this bound always suffices.
        let holidays = self.holidays.range(from.succ_opt().unwrap_or(from)..).count() as i64;
        let (mut lo, mut hi) = (1_i64, (n + holidays) / 5 * 7 + 3 * holidays.min(n) + 7);
        let date_at = |offset: i64| {
            i32::try_from(base + offset).ok().and_then(NaiveDate::from_num_days_from_ce_opt).expect("working-day arithmetic stays within chrono's date range")
        };
        // Smallest offset whose date completes n working days.
        while lo < hi {
            let mid = lo + (hi - lo) / 2;
            if self.count_between(from, date_at(mid)) >= n {
                hi = mid;
            } else {
                lo = mid + 1;
            }
        }
        date_at(lo)
    }

    /// Working days in the half-open interval `(from, to]`: after `from`, up to and
    /// including `to`. From a Friday to the next Monday is 1; from a day to itself is 0.
    ///
    /// # Errors
    /// [`ClockError::EndBeforeStart`] if `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<u32, ClockError> {
        if to < from {
            return Err(ClockError::EndBeforeStart { from, to });
        }
        let count = self.count_between(from, to);
        Ok(u32::try_from(count).unwrap_or(u32::MAX))
    }

    /// Working days in `(from, to]`, for `from <= to`.
    fn count_between(&self, from: NaiveDate, to: NaiveDate) -> i64 {
        if to <= from {
            return 0;
        }
        let weekdays = weekdays_through(i64::from(to.num_days_from_ce())) - weekdays_through(i64::from(from.num_days_from_ce()));
        let weekday_holidays = self.holidays.range(from..=to).filter(|(d, _)| **d != from && !is_weekend(**d)).count() as i64;
        weekdays - weekday_holidays
    }
}

// ---------------------------------------------------------------------------------------
// Deadlines and clock status
// ---------------------------------------------------------------------------------------

/// How long a clock runs: the three kinds of rule in the domain brief.
///
/// Serialised as `"same_day"`, `{"hours":24}` or `{"working_days":2}` so that
/// administrators' clock configuration can be stored as JSON.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deadline {
    /// Ends at the end of the start day's working day: see [`same_day_due`].
    SameDay,
    /// This many clock hours after the start instant ("24 hours" is 24 clock hours,
    /// across nights, weekends, holidays and clock changes alike).
    Hours(u32),
    /// Ends at [`END_OF_WORKING_DAY`] on the Nth working day after the start day (the
    /// start day being the London date of the start instant, whatever its time).
    /// `WorkingDays(0)` behaves as [`Deadline::SameDay`].
    WorkingDays(u32),
}

impl Deadline {
    /// Enforcement referral or notice to quit (Haringey's standard): within 24 hours.
    pub const ENFORCEMENT_REFERRAL: Deadline = Deadline::Hours(24);
    /// Safeguarding concern: the same day.
    pub const SAFEGUARDING_CONCERN: Deadline = Deadline::SameDay;
    /// Disrepair referral: within 2 working days.
    pub const DISREPAIR_REFERRAL: Deadline = Deadline::WorkingDays(2);
    /// Downsizing advice referral: within 2 working days.
    pub const DOWNSIZING_REFERRAL: Deadline = Deadline::WorkingDays(2);
    /// Follow-up visit date recorded: within 3 working days.
    pub const FOLLOW_UP_VISIT_BOOKED: Deadline = Deadline::WorkingDays(3);

    /// When a clock started at `start` falls due.
    pub fn due(self, start: DateTime<Utc>, cal: &WorkingCalendar) -> DateTime<Utc> {
        match self {
            Deadline::SameDay | Deadline::WorkingDays(0) => same_day_due(start, cal),
            Deadline::Hours(h) => hours_due(start, h),
            Deadline::WorkingDays(n) => working_days_due(start, n, cal),
        }
    }

    /// The day a clock started on `from` falls due, for clocks kept as a day: the same day (a
    /// same-day duty never waits for the next working day, even when raised at a weekend), the
    /// day the hours run out, or the Nth working day after.
    pub fn due_on(self, from: NaiveDate, cal: &WorkingCalendar) -> NaiveDate {
        match self {
            Deadline::SameDay | Deadline::WorkingDays(0) => from,
            Deadline::Hours(h) => from + TimeDelta::days(i64::from(h.div_ceil(24))),
            Deadline::WorkingDays(n) => cal.add_working_days(from, n),
        }
    }

    /// A short description for people, e.g. "Same day", "24 hours", "2 working days".
    pub fn label(self) -> String {
        match self {
            Deadline::SameDay | Deadline::WorkingDays(0) => "Same day".to_string(),
            Deadline::Hours(1) => "1 hour".to_string(),
            Deadline::Hours(h) => format!("{h} hours"),
            Deadline::WorkingDays(1) => "1 working day".to_string(),
            Deadline::WorkingDays(n) => format!("{n} working days"),
        }
    }
}

/// The instant Europe/London wall-clock time reads `time` on `date`.
pub fn london_at(date: NaiveDate, time: NaiveTime) -> DateTime<Utc> {
    london_local_to_utc(date.and_time(time))
}

/// "Same day": the end of the start day's working day, [`END_OF_WORKING_DAY`] (London) on
/// the London date of `start`.
///
/// A same-day duty (such as a safeguarding concern) never waits for the next working day:
/// if the clock starts at or after the end of the working day, or on a weekend or bank
/// holiday, it falls due at the end of that calendar day ([`END_OF_CALENDAR_DAY`]).
/// The deadline is therefore never before `start`.
pub fn same_day_due(start: DateTime<Utc>, cal: &WorkingCalendar) -> DateTime<Utc> {
    let local = to_london(start).naive_local();
    let day = local.date();
    if cal.is_working_day(day) && local.time() < END_OF_WORKING_DAY { london_at(day, END_OF_WORKING_DAY) } else { london_at(day, END_OF_CALENDAR_DAY) }
}

/// "N hours": exactly `hours` clock hours after `start`.
pub fn hours_due(start: DateTime<Utc>, hours: u32) -> DateTime<Utc> {
    start + TimeDelta::hours(i64::from(hours))
}

/// "N working days": [`END_OF_WORKING_DAY`] (London) on the `n`th working day strictly
/// after the London date of `start`. For `n = 0` this is [`same_day_due`].
pub fn working_days_due(start: DateTime<Utc>, n: u32, cal: &WorkingCalendar) -> DateTime<Utc> {
    if n == 0 {
        return same_day_due(start, cal);
    }
    let day = cal.add_working_days(london_date(start), n);
    london_at(day, END_OF_WORKING_DAY)
}

/// Where a running clock stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockStatus {
    /// Not due within the warning window.
    OnTime,
    /// Due within the warning window, not yet overdue.
    DueSoon,
    /// Past its due instant.
    Overdue,
}

/// How urgent a clock is, for sorting lists most urgent first: overdue, due soon, on time, then
/// items with no running clock.
pub fn urgency(c: Option<ClockStatus>) -> u8 {
    match c {
        Some(ClockStatus::Overdue) => 0,
        Some(ClockStatus::DueSoon) => 1,
        Some(ClockStatus::OnTime) => 2,
        None => 3,
    }
}

impl ClockStatus {
    /// Every status, least to most urgent.
    pub const ALL: &'static [ClockStatus] = &[ClockStatus::OnTime, ClockStatus::DueSoon, ClockStatus::Overdue];

    /// The stored code: `on_time`, `due_soon`, `overdue` (as serde writes it).
    pub fn as_str(self) -> &'static str {
        match self {
            ClockStatus::OnTime => "on_time",
            ClockStatus::DueSoon => "due_soon",
            ClockStatus::Overdue => "overdue",
        }
    }

    /// What a person reads: "On time", "Due soon", "Overdue".
    pub fn label(self) -> &'static str {
        match self {
            ClockStatus::OnTime => "On time",
            ClockStatus::DueSoon => "Due soon",
            ClockStatus::Overdue => "Overdue",
        }
    }

    /// The CSS class for badges and rows: `clock-ok`, `clock-soon`, `clock-overdue`.
    pub fn css_class(self) -> &'static str {
        match self {
            ClockStatus::OnTime => "clock-ok",
            ClockStatus::DueSoon => "clock-soon",
            ClockStatus::Overdue => "clock-overdue",
        }
    }

    /// The badge's classes: `badge` and [`css_class`](Self::css_class), as one static string
    /// (worklists show a badge on every row).
    pub fn badge_class(self) -> &'static str {
        match self {
            ClockStatus::OnTime => "badge clock-ok",
            ClockStatus::DueSoon => "badge clock-soon",
            ClockStatus::Overdue => "badge clock-overdue",
        }
    }
}

impl std::fmt::Display for ClockStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.label())
    }
}

/// The status of a clock due at `due`, seen at `now`:
/// - [`ClockStatus::Overdue`] when `now > due` (at the due instant itself it is not yet
///   overdue);
/// - [`ClockStatus::DueSoon`] when the due instant's London date is no later than the
///   `due_soon_within_working_days`th working day after today's London date (with 0:
///   due today);
/// - [`ClockStatus::OnTime`] otherwise.
pub fn status(due: DateTime<Utc>, now: DateTime<Utc>, due_soon_within_working_days: u32, cal: &WorkingCalendar) -> ClockStatus {
    if now > due {
        return ClockStatus::Overdue;
    }
    let horizon = cal.add_working_days(london_date(now), due_soon_within_working_days);
    if london_date(due) <= horizon { ClockStatus::DueSoon } else { ClockStatus::OnTime }
}

// ---------------------------------------------------------------------------------------
// Complaint Handling Code (Housing Ombudsman, 2024)
// ---------------------------------------------------------------------------------------

/// Stage 1: acknowledge within 5 working days of receipt.
pub const STAGE_1_ACKNOWLEDGE_WORKING_DAYS: u32 = 5;
/// Stage 1: respond within 10 working days of acknowledgement.
pub const STAGE_1_RESPOND_WORKING_DAYS: u32 = 10;
/// Stage 1: an extension of at most 10 working days, with reasons.
pub const STAGE_1_MAX_EXTENSION_WORKING_DAYS: u32 = 10;
/// Stage 2: acknowledge within 5 working days of the escalation request.
pub const STAGE_2_ACKNOWLEDGE_WORKING_DAYS: u32 = 5;
/// Stage 2: respond within 20 working days of acknowledgement.
pub const STAGE_2_RESPOND_WORKING_DAYS: u32 = 20;
/// Stage 2: an extension of at most 20 working days, with reasons (Code 2024, 6.14;
/// it was 10 before April 2024).
pub const STAGE_2_MAX_EXTENSION_WORKING_DAYS: u32 = 20;

/// A stage of the landlord's two-stage complaints procedure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ComplaintStage {
    /// The first response.
    Stage1,
    /// The landlord's final response, on escalation.
    Stage2,
}

impl ComplaintStage {
    /// What a person reads: "Stage 1", "Stage 2".
    pub fn label(self) -> &'static str {
        match self {
            ComplaintStage::Stage1 => "Stage 1",
            ComplaintStage::Stage2 => "Stage 2",
        }
    }

    /// Working days to acknowledge, counted from receipt (or the escalation request).
    pub fn acknowledge_within(self) -> u32 {
        match self {
            ComplaintStage::Stage1 => STAGE_1_ACKNOWLEDGE_WORKING_DAYS,
            ComplaintStage::Stage2 => STAGE_2_ACKNOWLEDGE_WORKING_DAYS,
        }
    }

    /// Working days to respond, counted from acknowledgement.
    pub fn respond_within(self) -> u32 {
        match self {
            ComplaintStage::Stage1 => STAGE_1_RESPOND_WORKING_DAYS,
            ComplaintStage::Stage2 => STAGE_2_RESPOND_WORKING_DAYS,
        }
    }

    /// The longest extension the Code allows at this stage.
    pub fn max_extension(self) -> u32 {
        match self {
            ComplaintStage::Stage1 => STAGE_1_MAX_EXTENSION_WORKING_DAYS,
            ComplaintStage::Stage2 => STAGE_2_MAX_EXTENSION_WORKING_DAYS,
        }
    }

    /// The last day to acknowledge a complaint received (or escalated) on `received`.
    pub fn acknowledge_by(self, received: NaiveDate, cal: &WorkingCalendar) -> NaiveDate {
        cal.add_working_days(received, self.acknowledge_within())
    }

    /// The last day to respond to a complaint acknowledged on `acknowledged`, with an
    /// extension of `extension_working_days` (0 for none).
    ///
    /// # Errors
    /// [`ClockError::ExtensionTooLong`] if the extension exceeds [`Self::max_extension`].
    pub fn respond_by(self, acknowledged: NaiveDate, extension_working_days: u32, cal: &WorkingCalendar) -> Result<NaiveDate, ClockError> {
        if extension_working_days > self.max_extension() {
            return Err(ClockError::ExtensionTooLong {
                requested: extension_working_days,
                max: self.max_extension(),
                stage: match self {
                    ComplaintStage::Stage1 => "stage 1",
                    ComplaintStage::Stage2 => "stage 2",
                },
            });
        }
        Ok(cal.add_working_days(acknowledged, self.respond_within() + extension_working_days))
    }

    /// The latest possible response day for a complaint received on `received` that has not
    /// been acknowledged yet (acknowledged on the last permitted day, no extension).
    pub fn latest_respond_by(self, received: NaiveDate, cal: &WorkingCalendar) -> NaiveDate {
        cal.add_working_days(self.acknowledge_by(received, cal), self.respond_within())
    }
}

// ---------------------------------------------------------------------------------------
// Introductory tenancies
// ---------------------------------------------------------------------------------------

/// An introductory tenancy's trial period: 12 months.
pub const INTRODUCTORY_TRIAL_MONTHS: u32 = 12;
/// An extended introductory tenancy's trial period: 18 months (12 plus one extension of 6).
pub const EXTENDED_TRIAL_MONTHS: u32 = 18;
/// A notice of extension must reach the tenant at least 8 weeks before the trial ends.
pub const EXTENSION_NOTICE_WEEKS: u32 = 8;

/// The day an introductory tenancy that started on `start` becomes secure if nothing else
/// is decided: the anniversary `start + 12 months`, or `start + 18 months` when
/// `extended`. Calendar-month arithmetic: a start on the 29th–31st that has no counterpart
/// in the target month ends on that month's last day (2024-02-29 → 2025-02-28;
/// 2024-08-31 extended → 2026-02-28).
///
/// # Panics
/// If the date would leave chrono's range.
pub fn trial_end(start: NaiveDate, extended: bool) -> NaiveDate {
    let months = if extended { EXTENDED_TRIAL_MONTHS } else { INTRODUCTORY_TRIAL_MONTHS };
    start.checked_add_months(Months::new(months)).expect("trial end within chrono's date range")
}

/// The last day a notice of extension may reach the tenant: 8 weeks (56 days) before
/// `trial_end` (the date from [`trial_end`] for the unextended period).
///
/// # Panics
/// If the date would leave chrono's range.
pub fn extension_notice_last_day(trial_end: NaiveDate) -> NaiveDate {
    trial_end.checked_sub_days(Days::new(7 * u64::from(EXTENSION_NOTICE_WEEKS))).expect("notice date within chrono's date range")
}

#[cfg(test)]
mod tests {
    #[test]
    fn input_dates_are_iso_with_four_digit_years_from_1900_to_2200() {
        use super::input_date;
        let ok = |s: &str| input_date(s, "bad").unwrap().to_string();
        assert_eq!(ok("2026-12-06"), "2026-12-06");
        assert_eq!(ok(" 1900-01-01 "), "1900-01-01");
        assert_eq!(ok("2200-12-31"), "2200-12-31");
        for bad in ["+262142-12-31", "262142-12-31", "-0001-01-01", "2026-2-1", "06/12/2026", "2026-02-30", "", "2026-12-06T00:00", "20a6-12-06"] {
            assert_eq!(input_date(bad, "bad"), Err("bad".to_string()), "{bad}");
        }
        for far in ["1899-12-31", "2201-01-01", "0001-01-01", "9999-12-31"] {
            assert!(input_date(far, "bad").unwrap_err().contains("outside the dates Hearth accepts"), "{far}");
        }
    }

    #[test]
    fn lists_sort_most_urgent_first() {
        use super::{ClockStatus::*, urgency};
        let mut clocks = vec![None, Some(OnTime), Some(Overdue), None, Some(DueSoon)];
        clocks.sort_by_key(|c| urgency(*c));
        assert_eq!(clocks, vec![Some(Overdue), Some(DueSoon), Some(OnTime), None, None]);
    }

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn utc(s: &str) -> DateTime<Utc> {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap().and_utc()
    }

    fn local(s: &str) -> NaiveDateTime {
        NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S").unwrap()
    }

    fn ew() -> &'static WorkingCalendar {
        WorkingCalendar::england_and_wales()
    }

    /// Reference implementation: step day by day.
    fn naive_add(cal: &WorkingCalendar, from: NaiveDate, n: u32) -> NaiveDate {
        let mut day = from;
        let mut left = n;
        while left > 0 {
            day = day.succ_opt().unwrap();
            if cal.is_working_day(day) {
                left -= 1;
            }
        }
        day
    }

    fn naive_between(cal: &WorkingCalendar, from: NaiveDate, to: NaiveDate) -> u32 {
        let mut count = 0;
        let mut day = from;
        while day < to {
            day = day.succ_opt().unwrap();
            if cal.is_working_day(day) {
                count += 1;
            }
        }
        count
    }

    // --- the embedded data -----------------------------------------------------------

    #[test]
    fn embedded_csv_is_simple_and_parses() {
        assert!(!BANK_HOLIDAYS_ENGLAND_WALES_CSV.contains('"'));
        let rows = parse_bank_holidays_csv(BANK_HOLIDAYS_ENGLAND_WALES_CSV).unwrap();
        assert_eq!(rows.len(), 107);
        // Sorted, unique, all on weekdays (GOV.UK lists the substitute weekday).
        for pair in rows.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{:?} then {:?}", pair[0], pair[1]);
        }
        assert!(rows.iter().all(|(date, _)| !is_weekend(*date)));
        assert_eq!(ew().holidays().count(), 107);
    }

    #[test]
    fn coverage_is_2018_to_2030() {
        assert_eq!(ew().covers_from(), d("2018-01-01"));
        assert_eq!(ew().covers_until(), d("2030-12-31"));
        assert!(ew().covers(d("2030-12-31")));
        assert!(!ew().covers(d("2031-01-01")));
        assert!(!ew().covers(d("2017-12-31")));
        let empty = WorkingCalendar::default();
        assert_eq!(empty.covers_until(), NaiveDate::MIN);
        assert!(!empty.covers(d("2026-01-01")));
    }

    #[test]
    fn every_year_has_at_least_eight_holidays() {
        for year in 2018..=2030 {
            let n = ew().holidays_in_year(year).count();
            assert!((8..=10).contains(&n), "{year}: {n}");
        }
        assert_eq!(ew().holidays_in_year(2022).count(), 10); // Jubilee + State Funeral
    }

    #[test]
    fn csv_errors_are_reported_with_line_numbers() {
        let wrong_weekday = "date,weekday,name,substitute_day,source\n2026-12-28,Sunday,Boxing Day,yes,govuk\n";
        assert_eq!(parse_bank_holidays_csv(wrong_weekday), Err(ClockError::BadHolidayData { line: 2, message: "2026-12-28 is a Monday, not a Sunday".into() }));
        let bad_date = "date,name\n2026-02-30,Nope\n";
        assert!(matches!(parse_bank_holidays_csv(bad_date), Err(ClockError::BadHolidayData { line: 2, .. })));
        let too_many = "date,name\n\n2026-01-01,New Year's Day,extra\n";
        assert!(matches!(parse_bank_holidays_csv(too_many), Err(ClockError::BadHolidayData { line: 3, .. })));
        let quoted = "date,name\n2026-01-01,\"New Year, Day\"\n";
        assert!(parse_bank_holidays_csv(quoted).is_err());
        let no_name_col = "date,weekday\n2026-01-01,Thursday\n";
        assert!(matches!(parse_bank_holidays_csv(no_name_col), Err(ClockError::BadHolidayData { line: 1, .. })));
        let empty_name = "date,name\n2026-01-01,\n";
        assert!(parse_bank_holidays_csv(empty_name).is_err());
        // Minimal admin-style CSV with CRLF line endings and a BOM.
        let minimal = "\u{feff}date,name\r\n2031-01-01,New Year's Day\r\n\r\n";
        assert_eq!(parse_bank_holidays_csv(minimal).unwrap(), vec![(d("2031-01-01"), "New Year's Day".to_string())]);
        assert_eq!(parse_bank_holidays_csv("").unwrap(), vec![]);
    }

    // --- bank holiday edges --------------------------------------------------------

    #[test]
    fn christmas_and_new_year_substitute_days() {
        let cases = [
            ("2020-12-25", "Christmas Day"),
            ("2020-12-28", "Boxing Day"),
            ("2021-12-27", "Christmas Day"),
            ("2021-12-28", "Boxing Day"),
            ("2022-01-03", "New Year's Day"),
            ("2022-12-26", "Boxing Day"),
            ("2022-12-27", "Christmas Day"),
            ("2023-01-02", "New Year's Day"),
            ("2026-12-28", "Boxing Day"),
            ("2027-12-27", "Christmas Day"),
            ("2027-12-28", "Boxing Day"),
            ("2028-01-03", "New Year's Day"),
        ];
        for (date, name) in cases {
            assert_eq!(ew().holiday_name(d(date)), Some(name), "{date}");
            assert!(!ew().is_working_day(d(date)), "{date}");
        }
        // The weekend days themselves are not listed, and the days after are working days.
        assert_eq!(ew().holiday_name(d("2021-12-25")), None);
        assert_eq!(ew().holiday_name(d("2027-12-26")), None);
        assert!(ew().is_working_day(d("2020-12-29")));
        assert!(ew().is_working_day(d("2021-12-29")));
        assert!(ew().is_working_day(d("2022-12-28")));
        assert!(ew().is_working_day(d("2026-12-29")));
        assert!(ew().is_working_day(d("2027-12-29")));
        assert!(ew().is_working_day(d("2028-01-04")));
        // 2026-12-24 (Thursday) and the Boxing-Day substitute: Christmas Eve + 1 wd = 29th.
        assert_eq!(ew().add_working_days(d("2026-12-24"), 1), d("2026-12-29"));
    }

    #[test]
    fn easter() {
        for (gf, em) in [("2024-03-29", "2024-04-01"), ("2025-04-18", "2025-04-21")] {
            assert_eq!(ew().holiday_name(d(gf)), Some("Good Friday"));
            assert_eq!(ew().holiday_name(d(em)), Some("Easter Monday"));
            assert!(!ew().is_working_day(d(gf)));
            assert!(!ew().is_working_day(d(em)));
        }
        // Maundy Thursday 2025 + 1 working day is the Tuesday after Easter.
        assert_eq!(ew().add_working_days(d("2025-04-17"), 1), d("2025-04-22"));
        assert_eq!(ew().working_days_between(d("2024-03-28"), d("2024-04-02")), Ok(1));
    }

    #[test]
    fn one_off_holidays() {
        assert_eq!(ew().holiday_name(d("2020-05-08")), Some("Early May bank holiday (VE day)"));
        assert!(ew().is_working_day(d("2020-05-04")), "the early May holiday moved in 2020");
        assert!(!ew().is_working_day(d("2022-06-02")));
        assert_eq!(ew().holiday_name(d("2022-06-03")), Some("Platinum Jubilee bank holiday"));
        assert!(ew().is_working_day(d("2022-05-30")), "the spring holiday moved in 2022");
        assert!(ew().holiday_name(d("2022-09-19")).unwrap().contains("State Funeral"));
        assert!(ew().holiday_name(d("2023-05-08")).unwrap().contains("coronation"));
        // Wednesday 2022-06-01 + 1 wd skips Thu, Fri and the weekend.
        assert_eq!(ew().add_working_days(d("2022-06-01"), 1), d("2022-06-06"));
        assert_eq!(ew().working_days_between(d("2022-05-27"), d("2022-06-06")), Ok(4));
    }

    #[test]
    fn weekends_are_not_working_days_and_plain_weekdays_are() {
        assert!(!ew().is_working_day(d("2026-03-07"))); // Saturday
        assert!(!ew().is_working_day(d("2026-03-08"))); // Sunday
        assert!(ew().is_working_day(d("2026-03-09"))); // Monday
        assert_eq!(ew().holiday_name(d("2026-03-09")), None);
    }

    // --- add_working_days / working_days_between ------------------------------------

    #[test]
    fn n_working_days_is_strictly_after() {
        // Tuesday 2026-03-03 (a working day) + 1 = Wednesday; + 5 = next Tuesday.
        assert_eq!(ew().add_working_days(d("2026-03-03"), 1), d("2026-03-04"));
        assert_eq!(ew().add_working_days(d("2026-03-03"), 5), d("2026-03-10"));
        // Friday + 1 = Monday.
        assert_eq!(ew().add_working_days(d("2026-03-06"), 1), d("2026-03-09"));
        assert_eq!(ew().next_working_day(d("2026-03-06")), d("2026-03-09"));
    }

    #[test]
    fn zero_working_days_is_the_day_itself() {
        for date in ["2026-03-03", "2026-03-07", "2026-12-25"] {
            assert_eq!(ew().add_working_days(d(date), 0), d(date));
            assert_eq!(ew().working_days_between(d(date), d(date)), Ok(0));
        }
    }

    #[test]
    fn weekend_starts() {
        // Saturday and Sunday: 1 wd is the Monday, 2 the Tuesday.
        assert_eq!(ew().add_working_days(d("2026-03-07"), 1), d("2026-03-09"));
        assert_eq!(ew().add_working_days(d("2026-03-08"), 1), d("2026-03-09"));
        assert_eq!(ew().add_working_days(d("2026-03-08"), 2), d("2026-03-10"));
        // Saturday before Easter Monday 2025: 1 wd is the Tuesday.
        assert_eq!(ew().add_working_days(d("2025-04-19"), 1), d("2025-04-22"));
        assert_eq!(ew().working_day_on_or_after(d("2025-04-19")), d("2025-04-22"));
        assert_eq!(ew().working_day_on_or_after(d("2025-04-22")), d("2025-04-22"));
    }

    #[test]
    fn crossing_year_ends() {
        // Wednesday 2020-12-23: 24th, 29th, 30th, 31st, then 4 Jan 2021.
        assert_eq!(ew().add_working_days(d("2020-12-23"), 5), d("2021-01-04"));
        // Thursday 2021-12-23: 24th, 29th, 30th, 31st, 4 Jan (3 Jan substitute).
        assert_eq!(ew().add_working_days(d("2021-12-23"), 5), d("2022-01-04"));
        // Friday 2027-12-24 + 1: 27th, 28th are substitutes, so Wednesday 29th.
        assert_eq!(ew().add_working_days(d("2027-12-24"), 1), d("2027-12-29"));
        // 2027-12-31 (Friday) + 1: 3 Jan 2028 is the substitute New Year's Day.
        assert_eq!(ew().add_working_days(d("2027-12-31"), 1), d("2028-01-04"));
        assert_eq!(ew().working_days_between(d("2027-12-24"), d("2028-01-04")), Ok(4));
        // A whole year: 2026 has 261 weekdays and 8 weekday bank holidays.
        assert_eq!(ew().working_days_between(d("2025-12-31"), d("2026-12-31")), Ok(253));
    }

    #[test]
    fn interval_convention_is_half_open() {
        // Friday 2026-03-06 to Monday 2026-03-09 is 1 working day.
        assert_eq!(ew().working_days_between(d("2026-03-06"), d("2026-03-09")), Ok(1));
        // Friday to the Saturday or Sunday after: 0.
        assert_eq!(ew().working_days_between(d("2026-03-06"), d("2026-03-08")), Ok(0));
        // Monday to Friday of the same week: 4 (Monday excluded, Friday included).
        assert_eq!(ew().working_days_between(d("2026-03-09"), d("2026-03-13")), Ok(4));
        // Saturday to Monday: 1.
        assert_eq!(ew().working_days_between(d("2026-03-07"), d("2026-03-09")), Ok(1));
    }

    #[test]
    fn counting_backwards_is_an_error() {
        let err = ew().working_days_between(d("2026-03-09"), d("2026-03-06")).unwrap_err();
        assert_eq!(err, ClockError::EndBeforeStart { from: d("2026-03-09"), to: d("2026-03-06") });
        assert_eq!(err.to_string(), "cannot count working days from 2026-03-09 back to 2026-03-06: the end date is before the start date");
    }

    #[test]
    fn weekday_formula_matches_chrono() {
        let mut date = d("1999-12-20");
        let mut expected = 0_i64;
        let base = weekdays_through(i64::from(date.num_days_from_ce()));
        for _ in 0..100 {
            date = date.succ_opt().unwrap();
            if !is_weekend(date) {
                expected += 1;
            }
            assert_eq!(weekdays_through(i64::from(date.num_days_from_ce())) - base, expected);
        }
        // Before the common era too.
        let early = NaiveDate::from_ymd_opt(-3, 6, 1).unwrap();
        let early_next = early + TimeDelta::days(14);
        assert_eq!(weekdays_through(i64::from(early_next.num_days_from_ce())) - weekdays_through(i64::from(early.num_days_from_ce())), 10);
    }

    /// A small deterministic pseudo-random generator (no extra crates).
    struct Lcg(u64);
    impl Lcg {
        fn next(&mut self, bound: u64) -> u64 {
            self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (self.0 >> 33) % bound
        }
    }

    #[test]
    fn add_and_between_agree_with_each_other_and_with_day_by_day_counting() {
        let mut rng = Lcg(20260303);
        let start = d("2017-10-01");
        let cal = ew();
        for _ in 0..3000 {
            let from = start + TimeDelta::days(rng.next(365 * 13 + 180) as i64);
            let n = rng.next(70) as u32;
            let to = cal.add_working_days(from, n);
            assert_eq!(to, naive_add(cal, from, n), "add {from} + {n}");
            assert_eq!(cal.working_days_between(from, to), Ok(n), "between {from} and {to}");
            if n > 0 {
                assert!(cal.is_working_day(to), "{from} + {n} = {to} is not a working day");
                // The earliest such date: the day before has one fewer.
                let before = to.pred_opt().unwrap();
                assert_eq!(cal.working_days_between(from, before), Ok(n - 1));
            }
            let other = from + TimeDelta::days(rng.next(120) as i64);
            assert_eq!(cal.working_days_between(from, other), Ok(naive_between(cal, from, other)));
        }
    }

    #[test]
    fn add_is_monotonic_and_additive() {
        let cal = ew();
        let mut rng = Lcg(7);
        for _ in 0..500 {
            let from = d("2019-01-01") + TimeDelta::days(rng.next(365 * 10) as i64);
            let (a, b) = (rng.next(30) as u32, rng.next(30) as u32);
            let ab = cal.add_working_days(from, a + b);
            assert_eq!(cal.add_working_days(cal.add_working_days(from, a), b), ab);
            assert!(cal.add_working_days(from, a) <= ab);
        }
    }

    #[test]
    fn large_n_and_dates_beyond_the_data() {
        let cal = ew();
        // 2031 has no holiday data: only weekends count.
        assert_eq!(cal.add_working_days(d("2031-12-24"), 1), d("2031-12-25"));
        let far = cal.add_working_days(d("2026-01-01"), 10_000);
        assert_eq!(cal.working_days_between(d("2026-01-01"), far), Ok(10_000));
        assert_eq!(far, naive_add(cal, d("2026-01-01"), 10_000));
        // A calendar dense with holidays still finds the right day.
        let dense = WorkingCalendar::new((0..200).map(|i| (d("2026-01-01") + TimeDelta::days(i), "Festival".to_string())));
        for n in [1, 2, 7, 50] {
            assert_eq!(dense.add_working_days(d("2025-12-31"), n), naive_add(&dense, d("2025-12-31"), n));
        }
    }

    #[test]
    fn configurable_extra_and_removed_holidays() {
        let cal = ew().with_extra_holidays([(d("2031-01-01"), "New Year's Day".to_string())]);
        assert_eq!(cal.covers_until(), d("2031-12-31"));
        assert!(!cal.is_working_day(d("2031-01-01")));
        assert!(ew().is_working_day(d("2031-01-01")), "the shared calendar is unchanged");
        // An extra date already present renames it.
        let renamed = ew().with_extra_holidays([(d("2029-05-07"), "Early May (confirmed)".to_string())]);
        assert_eq!(renamed.holiday_name(d("2029-05-07")), Some("Early May (confirmed)"));
        assert_eq!(renamed.holidays().count(), 107);
        // Removing a provisional date makes it a working day again.
        let moved = ew().without_holidays([d("2030-05-06")]).with_extra_holidays([(d("2030-05-08"), "Moved early May".to_string())]);
        assert!(moved.is_working_day(d("2030-05-06")));
        assert!(!moved.is_working_day(d("2030-05-08")));
        // new(): exactly what is given; a weekend holiday changes nothing.
        let own = WorkingCalendar::new([(d("2026-03-07"), "Saturday fair".to_string())]);
        assert!(own.is_bank_holiday(d("2026-03-07")));
        assert_eq!(own.working_days_between(d("2026-03-06"), d("2026-03-09")), Ok(1));
        assert!(own.is_working_day(d("2026-12-25")));
    }

    // --- Europe/London ---------------------------------------------------------------

    #[test]
    fn bst_boundaries_2026() {
        let (start, end) = bst_bounds(2026);
        assert_eq!(start, utc("2026-03-29 01:00:00"));
        assert_eq!(end, utc("2026-10-25 01:00:00"));
        assert_eq!(london_offset(utc("2026-03-29 00:59:59")), GMT);
        assert_eq!(london_offset(utc("2026-03-29 01:00:00")), BST);
        assert_eq!(london_offset(utc("2026-10-25 00:59:59")), BST);
        assert_eq!(london_offset(utc("2026-10-25 01:00:00")), GMT);
        assert_eq!(london_offset(utc("2026-01-15 12:00:00")), GMT);
        assert_eq!(london_offset(utc("2026-07-15 12:00:00")), BST);
        assert_eq!(london_offset(utc("2026-12-31 23:59:59")), GMT);
        // Other years' last Sundays.
        assert_eq!(bst_bounds(2024), (utc("2024-03-31 01:00:00"), utc("2024-10-27 01:00:00")));
        assert_eq!(bst_bounds(2025), (utc("2025-03-30 01:00:00"), utc("2025-10-26 01:00:00")));
        assert_eq!(bst_bounds(2027), (utc("2027-03-28 01:00:00"), utc("2027-10-31 01:00:00")));
    }

    #[test]
    fn to_london_shows_wall_clock_time() {
        assert_eq!(to_london(utc("2026-03-29 00:59:59")).naive_local(), local("2026-03-29 00:59:59"));
        assert_eq!(to_london(utc("2026-03-29 01:00:00")).naive_local(), local("2026-03-29 02:00:00"));
        assert_eq!(to_london(utc("2026-10-25 00:30:00")).naive_local(), local("2026-10-25 01:30:00"));
        assert_eq!(to_london(utc("2026-10-25 01:30:00")).naive_local(), local("2026-10-25 01:30:00"));
        // Late evening UTC in summer is already tomorrow in London.
        assert_eq!(london_date(utc("2026-06-30 23:30:00")), d("2026-07-01"));
        assert_eq!(london_date(utc("2026-12-31 23:30:00")), d("2026-12-31"));
        assert_eq!(format_london(utc("2026-03-03 17:00:00")), "Tue 3 Mar 2026, 17:00");
        assert_eq!(format_london(utc("2026-07-01 16:00:00")), "Wed 1 Jul 2026, 17:00");
    }

    #[test]
    fn london_local_to_utc_round_trips_and_resolves_gaps() {
        assert_eq!(london_local_to_utc(local("2026-01-10 09:00:00")), utc("2026-01-10 09:00:00"));
        assert_eq!(london_local_to_utc(local("2026-07-10 09:00:00")), utc("2026-07-10 08:00:00"));
        assert_eq!(london_local_to_utc(local("2026-03-29 00:59:59")), utc("2026-03-29 00:59:59"));
        assert_eq!(london_local_to_utc(local("2026-03-29 02:00:00")), utc("2026-03-29 01:00:00"));
        // Spring gap: 01:30 does not exist; read as GMT (shows as 02:30 BST).
        let gap = london_local_to_utc(local("2026-03-29 01:30:00"));
        assert_eq!(gap, utc("2026-03-29 01:30:00"));
        assert_eq!(to_london(gap).naive_local(), local("2026-03-29 02:30:00"));
        // Autumn overlap: 01:30 happens twice; the earlier (BST) instant is chosen.
        assert_eq!(london_local_to_utc(local("2026-10-25 01:30:00")), utc("2026-10-25 00:30:00"));
        assert_eq!(london_local_to_utc(local("2026-10-25 00:59:59")), utc("2026-10-24 23:59:59"));
        assert_eq!(london_local_to_utc(local("2026-10-25 02:00:00")), utc("2026-10-25 02:00:00"));
        // Every instant of the two change days round-trips (except the repeated hour,
        // which maps to its first occurrence).
        for day in ["2026-03-29", "2026-10-25"] {
            let mut t = utc(&format!("{day} 00:00:00")) - TimeDelta::hours(2);
            let stop = t + TimeDelta::hours(28);
            while t < stop {
                let back = london_local_to_utc(to_london(t).naive_local());
                let repeated = t >= utc("2026-10-25 01:00:00") && t < utc("2026-10-25 02:00:00");
                if repeated {
                    assert_eq!(back, t - TimeDelta::hours(1));
                } else {
                    assert_eq!(back, t, "{t}");
                }
                t += TimeDelta::minutes(15);
            }
        }
    }

    // --- deadlines -------------------------------------------------------------------

    #[test]
    fn same_day_deadlines() {
        let cal = ew();
        // Tuesday 3 March 2026, 10:00 GMT: due 17:00 that day.
        assert_eq!(same_day_due(utc("2026-03-03 10:00:00"), cal), utc("2026-03-03 17:00:00"));
        // In summer, 17:00 London is 16:00 UTC.
        assert_eq!(Deadline::SameDay.due(utc("2026-07-01 08:00:00"), cal), utc("2026-07-01 16:00:00"));
        // After hours: by the end of that calendar day, not the next working day.
        assert_eq!(same_day_due(utc("2026-03-03 18:30:00"), cal), utc("2026-03-03 23:59:59"));
        assert_eq!(same_day_due(utc("2026-03-03 17:00:00"), cal), utc("2026-03-03 23:59:59"));
        // Saturday and Boxing Day: end of that calendar day.
        assert_eq!(same_day_due(utc("2026-03-07 10:00:00"), cal), utc("2026-03-07 23:59:59"));
        assert_eq!(same_day_due(utc("2026-12-28 09:00:00"), cal), utc("2026-12-28 23:59:59"));
        // 23:30 UTC on 30 June is 00:30 on 1 July in London: 1 July's working day.
        assert_eq!(same_day_due(utc("2026-06-30 23:30:00"), cal), utc("2026-07-01 16:00:00"));
        // Never before the start.
        let mut rng = Lcg(99);
        for _ in 0..2000 {
            let start = utc("2025-01-01 00:00:00") + TimeDelta::minutes(rng.next(60 * 24 * 730) as i64);
            assert!(same_day_due(start, cal) >= start, "{start}");
            assert_eq!(london_date(same_day_due(start, cal)), london_date(start), "{start}");
        }
        assert_eq!(Deadline::WorkingDays(0).due(utc("2026-03-03 10:00:00"), cal), utc("2026-03-03 17:00:00"));
    }

    #[test]
    fn hour_deadlines_are_clock_hours() {
        let cal = ew();
        assert_eq!(Deadline::Hours(24).due(utc("2026-03-06 16:00:00"), cal), utc("2026-03-07 16:00:00"));
        // Across the spring change: 24 real hours, which is 25 on the wall clock.
        let start = utc("2026-03-28 12:00:00");
        let due = Deadline::ENFORCEMENT_REFERRAL.due(start, cal);
        assert_eq!(due - start, TimeDelta::hours(24));
        assert_eq!(to_london(due).naive_local(), local("2026-03-29 13:00:00"));
        assert_eq!(hours_due(start, 0), start);
    }

    #[test]
    fn working_day_deadlines() {
        let cal = ew();
        // Disrepair found Thursday 2026-12-24 14:00: 2 wd is Tuesday 29th (28th substitute).
        assert_eq!(Deadline::DISREPAIR_REFERRAL.due(utc("2026-12-24 14:00:00"), cal), utc("2026-12-30 17:00:00"));
        // Friday 2026-03-06 late evening: the day is still Friday, so 2 wd = Tuesday.
        assert_eq!(working_days_due(utc("2026-03-06 22:00:00"), 2, cal), utc("2026-03-10 17:00:00"));
        // Summer: 17:00 BST.
        assert_eq!(Deadline::FOLLOW_UP_VISIT_BOOKED.due(utc("2026-07-03 09:00:00"), cal), utc("2026-07-08 16:00:00"));
        // Started Saturday 2026-03-28 (GMT), due after the clocks change: 17:00 BST Monday.
        assert_eq!(working_days_due(utc("2026-03-28 11:00:00"), 1, cal), utc("2026-03-30 16:00:00"));
        // Same as add_working_days on the London date.
        assert_eq!(london_date(working_days_due(utc("2026-06-30 23:30:00"), 3, cal)), cal.add_working_days(d("2026-07-01"), 3));
    }

    #[test]
    fn deadline_serde_and_labels() {
        assert_eq!(serde_json::to_string(&Deadline::SameDay).unwrap(), "\"same_day\"");
        assert_eq!(serde_json::to_string(&Deadline::Hours(24)).unwrap(), "{\"hours\":24}");
        assert_eq!(serde_json::to_string(&Deadline::WorkingDays(2)).unwrap(), "{\"working_days\":2}");
        for rule in [Deadline::SameDay, Deadline::Hours(24), Deadline::WorkingDays(3)] {
            let json = serde_json::to_string(&rule).unwrap();
            assert_eq!(serde_json::from_str::<Deadline>(&json).unwrap(), rule);
        }
        assert_eq!(Deadline::SAFEGUARDING_CONCERN.label(), "Same day");
        assert_eq!(Deadline::Hours(24).label(), "24 hours");
        assert_eq!(Deadline::Hours(1).label(), "1 hour");
        assert_eq!(Deadline::WorkingDays(1).label(), "1 working day");
        assert_eq!(Deadline::DOWNSIZING_REFERRAL.label(), "2 working days");
    }

    // --- status ---------------------------------------------------------------------

    #[test]
    fn status_transitions() {
        let cal = ew();
        // Due Friday 2026-03-13 17:00 GMT; warn 2 working days ahead.
        let due = utc("2026-03-13 17:00:00");
        assert_eq!(status(due, utc("2026-03-09 09:00:00"), 2, cal), ClockStatus::OnTime); // Mon
        assert_eq!(status(due, utc("2026-03-10 09:00:00"), 2, cal), ClockStatus::OnTime); // Tue
        assert_eq!(status(due, utc("2026-03-11 09:00:00"), 2, cal), ClockStatus::DueSoon); // Wed
        assert_eq!(status(due, utc("2026-03-13 16:59:59"), 2, cal), ClockStatus::DueSoon);
        assert_eq!(status(due, due, 2, cal), ClockStatus::DueSoon, "at the due instant: not yet overdue");
        assert_eq!(status(due, due + TimeDelta::seconds(1), 2, cal), ClockStatus::Overdue);
        assert_eq!(status(due, utc("2026-04-01 09:00:00"), 2, cal), ClockStatus::Overdue);
        // Window 0: due soon only on the due day.
        assert_eq!(status(due, utc("2026-03-12 09:00:00"), 0, cal), ClockStatus::OnTime);
        assert_eq!(status(due, utc("2026-03-13 08:00:00"), 0, cal), ClockStatus::DueSoon);
        // The window counts working days: on Friday 2026-04-03 (Good Friday) a clock due
        // Tuesday 7 April is 1 working day away (Easter Monday skipped).
        let due = utc("2026-04-07 16:00:00");
        // From Wednesday 1 April the next working day is Thursday 2nd: not yet due soon.
        assert_eq!(status(due, utc("2026-04-01 12:00:00"), 1, cal), ClockStatus::OnTime);
        // From Thursday 2nd the next working day is already Tuesday 7th (Good Friday and Easter Monday).
        assert_eq!(status(due, utc("2026-04-02 12:00:00"), 1, cal), ClockStatus::DueSoon);
        assert_eq!(status(due, utc("2026-04-03 12:00:00"), 1, cal), ClockStatus::DueSoon);
        // Checked over a whole clock's life: statuses only ever escalate.
        let due = Deadline::WorkingDays(10).due(utc("2026-12-18 10:00:00"), cal);
        let mut t = utc("2026-12-18 10:00:00");
        let mut last = ClockStatus::OnTime;
        while t < due + TimeDelta::days(3) {
            let s = status(due, t, 3, cal);
            assert!(s >= last, "{t}: {s:?} after {last:?}");
            last = s;
            t += TimeDelta::minutes(30);
        }
        assert_eq!(last, ClockStatus::Overdue);
    }

    #[test]
    fn status_labels_classes_and_serde() {
        let expect = [
            (ClockStatus::OnTime, "On time", "clock-ok", "on_time"),
            (ClockStatus::DueSoon, "Due soon", "clock-soon", "due_soon"),
            (ClockStatus::Overdue, "Overdue", "clock-overdue", "overdue"),
        ];
        for (s, label, class, code) in expect {
            assert_eq!(s.label(), label);
            assert_eq!(s.to_string(), label);
            assert_eq!(s.css_class(), class);
            assert_eq!(s.badge_class(), format!("badge {class}"));
            assert_eq!(s.as_str(), code);
            assert_eq!(serde_json::to_string(&s).unwrap(), format!("\"{code}\""));
            assert_eq!(serde_json::from_str::<ClockStatus>(&format!("\"{code}\"")).unwrap(), s);
        }
        assert_eq!(ClockStatus::ALL.len(), 3);
    }

    // --- complaints -----------------------------------------------------------------

    #[test]
    fn complaint_handling_code_clocks() {
        let cal = ew();
        assert_eq!(ComplaintStage::Stage1.acknowledge_within(), 5);
        assert_eq!(ComplaintStage::Stage1.respond_within(), 10);
        assert_eq!(ComplaintStage::Stage2.acknowledge_within(), 5);
        assert_eq!(ComplaintStage::Stage2.respond_within(), 20);
        assert_eq!(ComplaintStage::Stage1.max_extension(), 10);
        // Received Monday 2026-03-02: acknowledge by Monday 9th.
        assert_eq!(ComplaintStage::Stage1.acknowledge_by(d("2026-03-02"), cal), d("2026-03-09"));
        // Acknowledged Wednesday 4th: respond by Wednesday 18th; with 10 more, 1 April.
        assert_eq!(ComplaintStage::Stage1.respond_by(d("2026-03-04"), 0, cal), Ok(d("2026-03-18")));
        assert_eq!(ComplaintStage::Stage1.respond_by(d("2026-03-04"), 10, cal), Ok(d("2026-04-01")));
        // Stage 2 over Easter 2026 (Good Friday 3 April, Easter Monday 6 April).
        assert_eq!(ComplaintStage::Stage2.respond_by(d("2026-03-20"), 0, cal), Ok(d("2026-04-21")));
        assert_eq!(ComplaintStage::Stage1.latest_respond_by(d("2026-03-02"), cal), d("2026-03-23"));
        let err = ComplaintStage::Stage1.respond_by(d("2026-03-04"), 11, cal).unwrap_err();
        assert_eq!(err.to_string(), "an extension of 11 working days is longer than the 10 working days allowed at stage 1");
        assert!(ComplaintStage::Stage2.respond_by(d("2026-03-04"), 20, cal).is_ok());
        assert!(ComplaintStage::Stage2.respond_by(d("2026-03-04"), 21, cal).is_err());
        assert_eq!(serde_json::to_string(&ComplaintStage::Stage2).unwrap(), "\"stage2\"");
        assert_eq!(ComplaintStage::Stage1.label(), "Stage 1");
    }

    #[test]
    fn day_clocks_fall_due_on_the_day_their_deadline_gives() {
        let cal = ew();
        // Saturday 2026-12-05: a safeguarding concern is due that same day (Haringey, seeds/003:
        // "Report safeguarding concern – same day"), not on Monday.
        assert_eq!(Deadline::SAFEGUARDING_CONCERN.due_on(d("2026-12-05"), cal), d("2026-12-05"));
        assert_eq!(Deadline::ENFORCEMENT_REFERRAL.due_on(d("2026-12-05"), cal), d("2026-12-06"));
        assert_eq!(Deadline::DISREPAIR_REFERRAL.due_on(d("2026-12-24"), cal), d("2026-12-30"));
        assert_eq!(Deadline::WorkingDays(0).due_on(d("2026-12-25"), cal), d("2026-12-25"));
    }

    // --- introductory tenancies -----------------------------------------------------

    #[test]
    fn introductory_trial_dates() {
        assert_eq!(trial_end(d("2025-04-14"), false), d("2026-04-14"));
        assert_eq!(trial_end(d("2025-04-14"), true), d("2026-10-14"));
        // Month-end clamping.
        assert_eq!(trial_end(d("2024-02-29"), false), d("2025-02-28"));
        assert_eq!(trial_end(d("2024-08-31"), true), d("2026-02-28"));
        assert_eq!(trial_end(d("2024-01-31"), false), d("2025-01-31"));
        // Extension notice: 8 weeks (56 days) before.
        assert_eq!(extension_notice_last_day(d("2026-04-14")), d("2026-02-17"));
        assert_eq!(extension_notice_last_day(d("2026-03-01")), d("2026-01-04"));
        let end = trial_end(d("2025-06-30"), false);
        assert_eq!((end - extension_notice_last_day(end)).num_days(), 56);
    }
}
