//! Today and the council's one calendar, as every service dates steps and judges clocks.

use chrono::{NaiveDate, Utc};

use super::store::KitStore;
use crate::domain::clock::{self, ClockStatus, WorkingCalendar};
use crate::error::AppError;

/// Items due within this many working days show as "due soon".
pub const DUE_SOON_WORKING_DAYS: u32 = 10;

pub fn today() -> NaiveDate {
    clock::to_london(Utc::now()).date_naive()
}

/// Today and the council's one calendar (`Store::calendar`): what every clock and due date a
/// service shows or sets is judged by.
#[derive(Clone, Debug)]
pub struct Clock {
    pub today: NaiveDate,
    pub calendar: std::sync::Arc<WorkingCalendar>,
    /// The council's timescales (`domain::introductory::Timescales`).
    pub timescales: crate::domain::timescales::Timescales,
}

/// The day a step between roles started today falls due: `pick` chooses its timescale.
pub async fn step_due(store: &dyn KitStore, pick: fn(&crate::domain::timescales::Timescales) -> u32) -> Result<NaiveDate, AppError> {
    let clock = Clock::now(store).await?;
    Ok(clock.due_after(pick(&clock.timescales)))
}

impl Clock {
    /// Today in London, with the calendar as the store holds it.
    pub async fn now(store: &dyn KitStore) -> Result<Clock, AppError> {
        Ok(Clock { today: store.today(), calendar: store.calendar().await?, timescales: store.timescales() })
    }

    /// Now: the wall clock, or the last second of the day when a test or demonstration fixes today.
    pub fn moment(&self) -> chrono::DateTime<Utc> {
        let real = Utc::now();
        if clock::london_date(real) == self.today { real } else { clock::london_at(self.today, clock::END_OF_CALENDAR_DAY) }
    }

    /// Status of a due date (a day, due at its end) against today.
    pub fn date(&self, due: NaiveDate) -> ClockStatus {
        let due_at = clock::london_at(due, clock::END_OF_CALENDAR_DAY);
        let now = clock::london_at(self.today, chrono::NaiveTime::MIN);
        clock::status(due_at, now, DUE_SOON_WORKING_DAYS, &self.calendar)
    }

    /// Status of a due instant, judged by its (UTC) day.
    pub fn instant(&self, due: chrono::DateTime<Utc>) -> ClockStatus {
        self.date(due.date_naive())
    }

    /// Status of a workflow item's due text: a day, or an RFC 3339 instant judged by its day
    /// (`workflow_items.due_at` holds both).
    pub fn due_text(&self, due: &str) -> Option<ClockStatus> {
        Some(self.date(due.get(..10)?.parse().ok()?))
    }

    /// A listed tenancy's clocks: the trial's end, and the notice of extension's deadline while an
    /// unextended introductory tenancy can still be extended (lists do not carry the notice, so an
    /// extended tenancy's notice clock shows on its own page).
    pub fn date_tenancy(&self, t: &mut crate::model::TenancyRow) {
        use crate::domain::{Tenure, introductory};
        t.clock = t.trial_ends_on.filter(|_| t.tenure.is_introductory()).map(|d| self.timescales.review_clock(d, self.today));
        t.notice_by = (t.tenure == Tenure::Introductory)
            .then(|| introductory::open_notice_deadline(t.tenure, t.start_date, t.trial_ends_on, None, None, self.today))
            .flatten();
        t.notice_clock = t.notice_by.map(|d| self.date(d));
    }

    /// The day `days` working days after today (`sustain::due_after`).
    pub fn due_after(&self, days: u32) -> NaiveDate {
        crate::domain::sustain::due_after(self.today, days, &self.calendar)
    }
}
