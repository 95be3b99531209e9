//! Money as integer pence, formatted deterministically as pounds.

use serde::{Deserialize, Serialize};

/// An amount of money in pence. Rent balances are positive when the tenant owes money.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Pence(pub i64);

impl Pence {
    pub fn pounds(self) -> String {
        let sign = if self.0 < 0 { "-" } else { "" };
        let abs = self.0.unsigned_abs();
        let whole = abs / 100;
        let mut digits = whole.to_string();
        let mut grouped = String::new();
        while digits.len() > 3 {
            let tail = digits.split_off(digits.len() - 3);
            grouped = format!(",{tail}{grouped}");
        }
        format!("{sign}£{digits}{grouped}.{:02}", abs % 100)
    }

    /// How a rent balance reads to an officer: "£1,204.50 in arrears", "£12.00 in credit", "Clear".
    pub fn balance_label(self) -> String {
        match self.0 {
            0 => "Clear".to_string(),
            n if n > 0 => format!("{} in arrears", self.pounds()),
            n => format!("{} in credit", Pence(-n).pounds()),
        }
    }

    /// Parses "12", "12.5", "£1,204.50" into pence; rejects more than two decimals.
    pub fn parse_pounds(input: &str) -> Result<Pence, String> {
        let cleaned: String = input.trim().trim_start_matches('£').chars().filter(|c| *c != ',').collect();
        let (neg, body) = match cleaned.strip_prefix('-') {
            Some(rest) => (true, rest.trim_start_matches('£')),
            None => (false, cleaned.as_str()),
        };
        let (whole, frac) = body.split_once('.').unwrap_or((body, ""));
        if whole.is_empty() && frac.is_empty() {
            return Err("Enter an amount in pounds, for example 150 or 150.00".into());
        }
        if !whole.chars().all(|c| c.is_ascii_digit()) || !frac.chars().all(|c| c.is_ascii_digit()) {
            return Err(format!("\"{}\" is not an amount in pounds", input.trim()));
        }
        if frac.len() > 2 {
            return Err("Amounts have at most two decimal places".into());
        }
        let whole: i64 = if whole.is_empty() { 0 } else { whole.parse().map_err(|_| "Amount is too large".to_string())? };
        let frac: i64 = format!("{frac:0<2}").parse().unwrap_or(0);
        let pence = whole.checked_mul(100).and_then(|w| w.checked_add(frac)).ok_or("Amount is too large")?;
        Ok(Pence(if neg { -pence } else { pence }))
    }
}

/// Arrears worth an officer's attention: the Leeds income focus on balances over £150.
pub const ARREARS_THRESHOLD: Pence = Pence(15_000);

/// Arrears bands used on worklists and maps (thresholds from the Leeds income focus on £150+).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ArrearsBand {
    ClearOrCredit,
    UnderThreshold,
    OverThreshold,
    Serious,
}

impl ArrearsBand {
    pub fn of(balance: Pence, threshold: Pence, serious: Pence) -> ArrearsBand {
        match balance.0 {
            n if n <= 0 => ArrearsBand::ClearOrCredit,
            n if n > serious.0 => ArrearsBand::Serious,
            n if n > threshold.0 => ArrearsBand::OverThreshold,
            _ => ArrearsBand::UnderThreshold,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            ArrearsBand::ClearOrCredit => "Clear or in credit",
            ArrearsBand::UnderThreshold => "Small arrears",
            ArrearsBand::OverThreshold => "Arrears over threshold",
            ArrearsBand::Serious => "Serious arrears",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_pounds_with_grouping() {
        assert_eq!(Pence(0).pounds(), "£0.00");
        assert_eq!(Pence(5).pounds(), "£0.05");
        assert_eq!(Pence(120450).pounds(), "£1,204.50");
        assert_eq!(Pence(123456789).pounds(), "£1,234,567.89");
        assert_eq!(Pence(-1250).pounds(), "-£12.50");
    }

    #[test]
    fn balance_labels() {
        assert_eq!(Pence(0).balance_label(), "Clear");
        assert_eq!(Pence(15001).balance_label(), "£150.01 in arrears");
        assert_eq!(Pence(-1200).balance_label(), "£12.00 in credit");
    }

    #[test]
    fn parses_pounds() {
        assert_eq!(Pence::parse_pounds("150"), Ok(Pence(15000)));
        assert_eq!(Pence::parse_pounds("£1,204.5"), Ok(Pence(120450)));
        assert_eq!(Pence::parse_pounds(" 0.07 "), Ok(Pence(7)));
        assert_eq!(Pence::parse_pounds("-£3.10"), Ok(Pence(-310)));
        assert!(Pence::parse_pounds("1.234").is_err());
        assert!(Pence::parse_pounds("ten").is_err());
        assert!(Pence::parse_pounds("").is_err());
        assert!(Pence::parse_pounds("99999999999999999999").is_err());
    }

    #[test]
    fn arrears_bands() {
        let t = Pence(15000);
        let s = Pence(100000);
        assert_eq!(ArrearsBand::of(Pence(-1), t, s), ArrearsBand::ClearOrCredit);
        assert_eq!(ArrearsBand::of(Pence(0), t, s), ArrearsBand::ClearOrCredit);
        assert_eq!(ArrearsBand::of(Pence(15000), t, s), ArrearsBand::UnderThreshold);
        assert_eq!(ArrearsBand::of(Pence(15001), t, s), ArrearsBand::OverThreshold);
        assert_eq!(ArrearsBand::of(Pence(100001), t, s), ArrearsBand::Serious);
    }
}
