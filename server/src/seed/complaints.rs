//! Complaint cases and their handling under the Complaint Handling Code: about one tenancy in
//! forty complained in the last ten months, most answered in time, some late, a quarter escalated
//! to stage 2 and answered there by another area's Team Leader; so the satisfaction page's CH01
//! and CH02 have figures to show. Its own random stream, so the rest of the demo is unchanged.

use app::domain::CaseKind;
use app::domain::clock::{ComplaintStage, WorkingCalendar};
use app::domain::complaint::{ComplaintEvent, ComplaintStep, Progress};
use chrono::{Duration as Days, NaiveDate};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

use super::casework::CASE_COLUMNS;
use super::people::Active;
use super::places::Places;
use super::staff::Staff;
use super::writer::V;
use super::{Ctx, date, instant};

const STEP_COLUMNS: [&str; 8] = ["case_id", "kind", "stage", "on_date", "extension_days", "detail", "recorded_by", "recorded_at"];

const TOPICS: [&str; 5] = [
    "Complaint: repair not done when promised",
    "Complaint: no reply to calls about damp",
    "Complaint: officer did not attend the appointment",
    "Complaint: neighbour noise not acted on",
    "Complaint: rent account wrongly charged",
];

/// Writes the complaint cases after every other case (ids from `next_id`); returns how many.
pub fn write(ctx: &mut Ctx, places: &Places, staff: &Staff, active: &[Active], next_id: i64) -> usize {
    let mut rng = ChaCha8Rng::seed_from_u64(ctx.seed ^ 0xC0_4D_1A_17);
    let cal = WorkingCalendar::england_and_wales();
    let mut id = next_id;
    for t in active {
        if !rng.random_bool(0.025) {
            continue;
        }
        id += 1;
        let area = places.homes[t.home].area;
        let (holder, peer) = (staff.team_leaders[area], staff.team_leaders[(area + 1) % 3]);
        let received = ctx.today - Days::days(rng.random_range(1..300));
        let steps = handling(&mut rng, cal, ctx.today, received, holder, peer);
        let p = Progress::of(received, &steps);
        let done = p.stage1.answered.is_some() && (p.stage2.opened.is_none() || p.stage2.answered.is_some());
        let last = steps.last().map(|s| s.on).unwrap_or(received);
        let title = TOPICS[rng.random_range(0..TOPICS.len())];
        ctx.w.row(
            "cases",
            &CASE_COLUMNS,
            vec![
                V::I(id),
                V::S(format!("CAS{:06}", id + 200_000)),
                V::s(CaseKind::Complaint.as_str()),
                V::I(t.id),
                V::I(places.homes[t.home].id),
                V::s(title),
                V::S(String::new()),
                V::s(if done { "closed" } else { "open" }),
                V::s(p.current().label()),
                V::I(0),
                V::I(holder),
                V::s("team_leader"),
                V::I(area as i64 + 1),
                instant(received, 10),
                match p.due(cal) {
                    Some((_, _, d)) if !done => instant(d, 17),
                    _ => V::N,
                },
                if done { instant(last, 16) } else { V::N },
                V::I(1 + steps.len() as i64),
                V::N,
                V::N,
            ],
        );
        for s in &steps {
            ctx.w.row(
                "complaint_steps",
                &STEP_COLUMNS,
                vec![
                    V::I(id),
                    V::s(s.kind.as_str()),
                    V::s(crate::store::complaint_stage_code(s.stage)),
                    date(s.on),
                    s.extension_days.map_or(V::N, |d| V::I(i64::from(d))),
                    V::S(s.detail.clone()),
                    V::I(s.by_id),
                    instant(s.on, 15),
                ],
            );
        }
    }
    (id - next_id) as usize
}

/// A complaint's steps up to today: acknowledged (mostly within five working days), perhaps
/// extended, answered; a quarter escalated and answered at stage 2 by a peer.
fn handling(rng: &mut ChaCha8Rng, cal: &WorkingCalendar, today: NaiveDate, received: NaiveDate, holder: i64, peer: i64) -> Vec<ComplaintStep> {
    let mut steps = Vec::new();
    let add = |steps: &mut Vec<ComplaintStep>, kind, stage, on: NaiveDate, by, detail: &str, ext: Option<u32>| {
        let ok = on <= today;
        if ok {
            steps.push(ComplaintStep { kind, stage, on, extension_days: ext, detail: detail.into(), by_id: by, by: String::new() });
        }
        ok
    };
    use ComplaintEvent::*;
    use ComplaintStage::*;
    let ack = cal.add_working_days(received, rng.random_range(0..6));
    if !add(&mut steps, Acknowledged, Stage1, ack, holder, "Acknowledged by letter", None) {
        return steps;
    }
    let mut respond = 10;
    let mut earliest = cal.add_working_days(ack, 3);
    if rng.random_bool(0.15) {
        let days = rng.random_range(3..=10);
        respond += days;
        let on = cal.add_working_days(ack, 8);
        earliest = cal.add_working_days(on, 1);
        add(&mut steps, Extended, Stage1, on, holder, "Waiting for the repairs contractor's report; the resident was told why", Some(days));
    }
    let answer = cal.add_working_days(ack, rng.random_range(3..respond + 2)).max(earliest);
    if !add(&mut steps, Answered, Stage1, answer, holder, "Upheld in part: apology, repair booked and a goodwill payment", None) || !rng.random_bool(0.25) {
        return steps;
    }
    let asked = answer + Days::days(rng.random_range(1..20));
    if !add(&mut steps, EscalationRequested, Stage2, asked, holder, "Resident not satisfied with the remedy offered", None) {
        return steps;
    }
    let ack2 = cal.add_working_days(asked, rng.random_range(1..7));
    if !add(&mut steps, Acknowledged, Stage2, ack2, peer, "Acknowledged at stage 2", None) {
        return steps;
    }
    let answer2 = cal.add_working_days(ack2, rng.random_range(8..24));
    add(&mut steps, Answered, Stage2, answer2, peer, "Final response: remedy increased; the resident may now go to the Housing Ombudsman", None);
    steps
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The demo's complaints are mostly handled in time, some not: CH02 has something to say.
    #[test]
    fn most_demo_complaints_are_answered_in_time_and_some_are_not() {
        let cal = WorkingCalendar::england_and_wales();
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        let today: NaiveDate = "2026-12-06".parse().unwrap();
        let (mut answered, mut in_time) = (0, 0);
        for _ in 0..400 {
            let received = today - Days::days(rng.random_range(30..300));
            let p = Progress::of(received, &handling(&mut rng, cal, today, received, 1, 2));
            if let Some(ok) = p.stage1.in_time(ComplaintStage::Stage1, cal) {
                answered += 1;
                in_time += u32::from(ok);
            }
        }
        let share = f64::from(in_time) / f64::from(answered);
        assert!(answered > 350 && (0.6..0.95).contains(&share), "{in_time} of {answered}");
    }
}
