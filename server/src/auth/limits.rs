//! Rate limits. Sign-in: per client IP (governor, in this process's memory) and per account (in
//! the database, so every process behind a load balancer counts the same attempts), so neither a
//! single address nor a distributed guess at one account gets far. The public feedback forms: per address,
//! for views and for submissions, and per link.

use std::num::NonZeroU32;
use std::time::Duration;

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

pub struct SignInLimiter {
    per_ip: DefaultKeyedRateLimiter<String>,
    /// Wrong passwords one account may be given in `account_window`, whichever process took them.
    account_burst: u32,
    account_window: Duration,
}

#[derive(Clone, Copy, Debug)]
pub struct LimitConfig {
    /// Attempts allowed at once from one IP, refilled at one per `ip_period`. Per account:
    /// `account_burst` wrong passwords in `account_burst` × `account_period`.
    pub ip_burst: u32,
    pub ip_period: Duration,
    pub account_burst: u32,
    pub account_period: Duration,
}

impl Default for LimitConfig {
    /// 30 attempts a minute per IP (a shared office NAT signs many people in); 10 wrong passwords a minute per account.
    fn default() -> Self {
        LimitConfig { ip_burst: 30, ip_period: Duration::from_secs(2), account_burst: 10, account_period: Duration::from_secs(6) }
    }
}

fn quota(burst: u32, period: Duration) -> Quota {
    Quota::with_period(period).expect("non-zero period").allow_burst(NonZeroU32::new(burst.max(1)).expect("non-zero"))
}

impl SignInLimiter {
    pub fn new(cfg: LimitConfig) -> Self {
        SignInLimiter {
            per_ip: RateLimiter::keyed(quota(cfg.ip_burst, cfg.ip_period)),
            account_burst: cfg.account_burst.max(1),
            account_window: cfg.account_period.saturating_mul(cfg.account_burst.max(1)),
        }
    }

    /// Counts one attempt from `ip` at `username`; false when either limit is spent. The account's
    /// wrong passwords are the audit log's (`store::accounts::sign_in_attempts`), which the caller writes.
    pub async fn attempt(&self, db: &crate::db::Db, ip: &str, username: &str) -> Result<bool, app::error::AppError> {
        let ok = self.per_ip.check_key(&ip.to_string()).is_ok() && {
            let since = chrono::Utc::now() - self.account_window;
            crate::store::accounts::sign_in_attempts(db, username, since).await? < i64::from(self.account_burst)
        };
        if !ok {
            crate::metrics::refused("sign_in");
        }
        Ok(ok)
    }

    /// Drops idle keys so memory stays bounded.
    pub fn tidy(&self) {
        self.per_ip.retain_recent();
    }
}

// The public feedback forms' limits (`crate::feedback`): per address, and per link.

/// How much one address and one link may send.
#[derive(Clone, Copy, Debug)]
pub struct FeedbackLimits {
    /// Page views and submissions from one address: a burst, then one per `ip_period`.
    pub ip_burst: u32,
    pub ip_period: Duration,
    /// Submissions from one address.
    pub ip_submit_burst: u32,
    pub ip_submit_period: Duration,
    /// Submissions to one link from everyone (a poster on a block's noticeboard draws many).
    pub link_burst: u32,
    pub link_period: Duration,
}

impl Default for FeedbackLimits {
    fn default() -> Self {
        FeedbackLimits {
            ip_burst: 60,
            ip_period: Duration::from_secs(1),
            ip_submit_burst: 10,
            ip_submit_period: Duration::from_secs(30),
            link_burst: 120,
            link_period: Duration::from_secs(2),
        }
    }
}

pub struct FeedbackLimiter {
    ip: DefaultKeyedRateLimiter<String>,
    ip_submit: DefaultKeyedRateLimiter<String>,
    link: DefaultKeyedRateLimiter<i64>,
}

impl FeedbackLimiter {
    pub fn new(l: FeedbackLimits) -> Self {
        FeedbackLimiter {
            ip: RateLimiter::keyed(quota(l.ip_burst, l.ip_period)),
            ip_submit: RateLimiter::keyed(quota(l.ip_submit_burst, l.ip_submit_period)),
            link: RateLimiter::keyed(quota(l.link_burst, l.link_period)),
        }
    }
    pub fn view(&self, ip: &str) -> bool {
        let ok = self.ip.check_key(&ip.to_string()).is_ok();
        if !ok {
            crate::metrics::refused("feedback_view");
        }
        ok
    }
    pub fn submit(&self, ip: &str, link: i64) -> bool {
        let ok = self.ip_submit.check_key(&ip.to_string()).is_ok() && self.link.check_key(&link).is_ok();
        if !ok {
            crate::metrics::refused("feedback_submit");
        }
        ok
    }
    pub fn tidy(&self) {
        self.ip.retain_recent();
        self.ip_submit.retain_recent();
        self.link.retain_recent();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_address_is_limited_in_memory() {
        let l = SignInLimiter::new(LimitConfig { ip_burst: 5, ip_period: Duration::from_secs(60), account_burst: 3, account_period: Duration::from_secs(60) });
        assert_eq!(l.account_window, Duration::from_secs(180), "3 attempts in 3 minutes per account");
        for _ in 0..5 {
            assert!(l.per_ip.check_key(&"10.0.0.1".to_string()).is_ok());
        }
        assert!(l.per_ip.check_key(&"10.0.0.1".to_string()).is_err());
        assert!(l.per_ip.check_key(&"10.0.0.9".to_string()).is_ok(), "others are unaffected");
    }
}
