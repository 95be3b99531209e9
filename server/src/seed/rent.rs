//! Rent accounts and their recent statements. Rent is charged weekly (on Mondays). Tenants not on
//! Universal Credit pay weekly; Universal Credit's housing costs arrive monthly, in arrears: seven
//! days after each monthly assessment period ends, for the rent of that period. So a UC tenant's
//! balance carries the rent charged since the last period paid for ("technical arrears") on top
//! of any real arrears, as councils' income officers see it.

use app::domain::RentTransactionKind;
use chrono::{Datelike, Duration as Days, Months, NaiveDate};
use rand::Rng;

use super::writer::V;
use super::{Ctx, date};

/// Universal Credit pays housing costs this many days after the assessment period ends.
pub const UC_PAID_AFTER_DAYS: i64 = 7;

/// What the account tells the rest of the council.
pub struct Account {
    /// Balance today (positive = owed), including a UC tenant's technical arrears.
    pub balance: i64,
    /// Arrears beyond what Universal Credit's timing explains: what an arrears case is about.
    pub arrears: i64,
}

#[derive(Debug, PartialEq)]
pub struct Line {
    pub on: NaiveDate,
    pub kind: RentTransactionKind,
    pub pence: i64,
    pub text: String,
}

/// How much of the statement to write: 12 weeks (4 in the largest councils).
fn weeks_of_rent(homes: usize) -> i64 {
    if homes > 20_000 { 4 } else { 12 }
}

/// A tenancy's rent account and statement; returns its balances. A leaseholder pays service
/// charges, not rent (`Tenure::pays_rent`): the same draws are made, so the rest of the demo is
/// unchanged, but no rent account is written and nothing is owed.
pub fn account(ctx: &mut Ctx, tid: i64, start: NaiveDate, bedrooms: i64, pays_rent: bool, txn_id: &mut i64) -> Account {
    let weekly = 8_500 + bedrooms * 1_100 + ctx.rng.random_range(0..900);
    let arrears = underlying_arrears(ctx, weekly);
    let uc = ctx.rng.random_bool(0.38);
    let (lines, technical) = statement(ctx, start, weekly, arrears, uc);
    let balance = arrears + technical;
    if !pays_rent {
        return Account { balance: 0, arrears: 0 };
    }
    ctx.w.row(
        "rent_accounts",
        &["id", "tenancy_id", "weekly_rent_pence", "balance_pence", "universal_credit", "updated_at"],
        vec![V::I(tid), V::I(tid), V::I(weekly), V::I(balance), V::I(uc as i64), super::instant(ctx.today, 6)],
    );
    for l in lines {
        *txn_id += 1;
        ctx.w.row(
            "rent_transactions",
            &["id", "account_id", "posted_on", "kind", "amount_pence", "description"],
            vec![V::I(*txn_id), V::I(tid), date(l.on), V::s(l.kind.as_str()), V::I(l.pence), V::S(l.text)],
        );
    }
    Account { balance, arrears }
}

/// Most accounts clear (some in credit), a tail over £150 and a few over £1,000.
fn underlying_arrears(ctx: &mut Ctx, weekly: i64) -> i64 {
    let r: f64 = ctx.rng.random();
    if r < 0.62 {
        -ctx.rng.random_range(0..weekly * 2) * (ctx.rng.random_bool(0.5) as i64)
    } else if r < 0.83 {
        ctx.rng.random_range(1..15_000)
    } else if r < 0.97 {
        ctx.rng.random_range(15_001..100_000)
    } else {
        ctx.rng.random_range(100_001..450_000)
    }
}

/// The statement's lines, oldest first, and the technical arrears UC's timing leaves on the account.
pub fn statement(ctx: &mut Ctx, start: NaiveDate, weekly: i64, arrears: i64, uc: bool) -> (Vec<Line>, i64) {
    let today = ctx.today;
    let monday = today - Days::days(today.weekday().num_days_from_monday() as i64);
    let charges: Vec<NaiveDate> = (0..weeks_of_rent(ctx.homes)).map(|k| monday - Days::days(7 * k)).filter(|d| *d >= start).rev().collect();
    let mut lines: Vec<Line> = charges.iter().map(|&on| Line { on, kind: RentTransactionKind::Charge, pence: weekly, text: "Weekly rent".into() }).collect();
    let technical = if uc {
        let covered = uc_payments(ctx, start, charges.first().copied().unwrap_or(today), weekly, arrears, &mut lines);
        // Rent charged for days after the last period UC has paid for is still to come.
        charges.iter().filter(|d| covered.is_none_or(|c| **d > c)).count() as i64 * weekly
    } else {
        weekly_payments(ctx, &charges, weekly, arrears, &mut lines);
        0
    };
    lines.sort_by_key(|l| l.on);
    (lines, technical)
}

/// Tenants paying their own rent: weekly, a few days after the charge; short when in arrears.
fn weekly_payments(ctx: &mut Ctx, charges: &[NaiveDate], weekly: i64, arrears: i64, lines: &mut Vec<Line>) {
    for &day in charges {
        let paid = if arrears > 15_000 && ctx.rng.random_bool(0.45) {
            0
        } else if arrears > 0 {
            weekly - ctx.rng.random_range(0..weekly / 3)
        } else {
            weekly
        };
        if paid > 0 {
            let on = (day + Days::days(ctx.rng.random_range(0..5))).min(ctx.today);
            lines.push(Line { on, kind: RentTransactionKind::Payment, pence: -paid, text: "Payment, thank you".into() });
        }
    }
}

/// Universal Credit's monthly payments from `from` to today, each for one assessment period.
/// Returns the last day of the last period due to have been paid by today (paid or not).
fn uc_payments(ctx: &mut Ctx, start: NaiveDate, from: NaiveDate, weekly: i64, arrears: i64, lines: &mut Vec<Line>) -> Option<NaiveDate> {
    // The claim (and so the first assessment period) began around the tenancy's start, or years ago.
    let day = ctx.rng.random_range(1..=28);
    let monthly = weekly * 52 / 12;
    let deduction = (arrears > 15_000 && ctx.rng.random_bool(0.5)).then(|| ctx.rng.random_range(1_100..2_000));
    let mut period_start = NaiveDate::from_ymd_opt(from.year(), from.month(), day).expect("day 1-28") - Months::new(2);
    let mut covered = None;
    loop {
        let period_end = period_start + Months::new(1) - Days::days(1);
        let paid_on = period_end + Days::days(UC_PAID_AFTER_DAYS);
        if paid_on > ctx.today {
            return covered;
        }
        if period_start >= start && paid_on >= from {
            covered = Some(period_end);
            // Some tenants in arrears have the housing costs paid to them and not passed on.
            if !(arrears > 15_000 && ctx.rng.random_bool(0.3)) {
                let text = format!("UC housing costs {} to {}", period_start.format("%-d %b"), period_end.format("%-d %b %Y"));
                lines.push(Line { on: paid_on, kind: RentTransactionKind::UniversalCredit, pence: -monthly, text });
            }
            if let Some(d) = deduction {
                lines.push(Line { on: paid_on, kind: RentTransactionKind::UniversalCredit, pence: -d, text: "UC deduction towards arrears".into() });
            }
        } else if period_start >= start {
            covered = Some(period_end);
        }
        period_start = period_start + Months::new(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::tests::ctx;

    #[test]
    fn universal_credit_is_paid_monthly_in_arrears() {
        let mut c = ctx(7400, 1);
        let mut checked = 0;
        for k in 0..300 {
            let start = c.today - Days::days(40 + 7 * k);
            let (lines, technical) = statement(&mut c, start, 10_000, if k % 3 == 0 { 50_000 } else { 0 }, true);
            let paid: Vec<&Line> = lines.iter().filter(|l| l.kind == RentTransactionKind::UniversalCredit && l.text.starts_with("UC housing costs")).collect();
            // Whole months' rent, never weekly: payments at least 28 days apart, one a month.
            assert!(paid.iter().all(|l| l.pence == -(10_000 * 52 / 12)), "{paid:?}");
            assert!(paid.windows(2).all(|w| (w[1].on - w[0].on).num_days() >= 28), "{paid:?}");
            assert!(paid.iter().all(|l| l.on <= c.today && l.on >= start + Days::days(28 + UC_PAID_AFTER_DAYS)), "in arrears: {paid:?}");
            assert!(lines.iter().all(|l| l.kind != RentTransactionKind::Payment), "UC tenants' rent comes from UC");
            // Technical arrears: at most the rent of about five weeks (a period plus the week's wait).
            assert!((0..=6 * 10_000).contains(&technical), "{technical}");
            checked += paid.len();
        }
        assert!(checked > 300, "{checked}");
    }

    #[test]
    fn other_tenants_pay_weekly() {
        let mut c = ctx(7400, 2);
        let start = c.today - Days::days(400);
        let (lines, technical) = statement(&mut c, start, 10_000, 0, false);
        assert_eq!(technical, 0);
        assert_eq!(lines.iter().filter(|l| l.kind == RentTransactionKind::Payment).count(), 12);
        assert_eq!(lines.iter().filter(|l| l.kind == RentTransactionKind::Charge).count(), 12);
    }
}
