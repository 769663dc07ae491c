//! The rate limits Infobip documents for the operations the mock serves
//! (`docs/platform-api.md` §6, the OpenAPI documents' `x-throttling-info`): Get Messages 500
//! a minute, WhatsApp sends 4,000 a second, mark-as-read 10 a second. Past a limit the call
//! is answered 429 `TOO_MANY_REQUESTS` with `Retry-After` (whole seconds until a call is
//! allowed again).
//!
//! A limit is a token bucket per account (the mock is one account): it holds the limit's count
//! and refills evenly over its period, so a burst up to the count passes and a steady rate at
//! the limit never fails. On by default, as on Infobip's platform (an integration that polls
//! too fast should learn it against the mock, not in production); `--rate-limits off` turns
//! them off for a load test that means to measure something else.

use std::collections::HashMap;

use super::state::MockError;

/// A documented limit.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Limit {
    /// Get Messages: 500 requests a minute.
    GetMessages,
    /// A WhatsApp send (`/whatsapp/1/message/…`): 4,000 requests a second.
    WhatsAppSend,
    /// WhatsApp's mark-as-read: 10 requests a second.
    MarkAsRead,
}

impl Limit {
    /// (calls, per this many ms).
    pub fn rate(self) -> (u64, u64) {
        match self {
            Limit::GetMessages => (500, 60_000),
            Limit::WhatsAppSend => (4_000, 1_000),
            Limit::MarkAsRead => (10, 1_000),
        }
    }
}

/// The buckets: calls left (in thousandths of a call, so that refills of a fraction add up) and
/// when each was last refilled.
#[derive(Debug, Default)]
pub struct RateLimits {
    buckets: HashMap<Limit, (u64, u64)>,
}

impl RateLimits {
    /// Takes one call from `limit` at `now_ms`: 429 when none is left.
    pub fn take(&mut self, limit: Limit, now_ms: u64) -> Result<(), MockError> {
        let (count, period_ms) = limit.rate();
        let full = count * 1000;
        let (left, at) = self.buckets.entry(limit).or_insert((full, now_ms));
        let elapsed = now_ms.saturating_sub(*at);
        // Refill: `count` calls per `period_ms`, in thousandths of a call.
        let refill = elapsed.saturating_mul(count * 1000) / period_ms;
        if refill > 0 {
            *left = left.saturating_add(refill).min(full);
            *at = now_ms;
        }
        if *left >= 1000 {
            *left -= 1000;
            Ok(())
        } else {
            let missing = 1000 - *left;
            let wait_ms = (missing * period_ms).div_ceil(count * 1000);
            Err(MockError::RateLimited {
                retry_after_s: wait_ms.div_ceil(1000).max(1),
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn get_messages_takes_500_a_minute_then_429_with_retry_after() {
        let mut l = RateLimits::default();
        for _ in 0..500 {
            assert_eq!(l.take(Limit::GetMessages, 1_000), Ok(()));
        }
        assert_eq!(
            l.take(Limit::GetMessages, 1_000),
            Err(MockError::RateLimited { retry_after_s: 1 })
        );
        // 120 ms refills one call (60,000 ms / 500).
        assert_eq!(l.take(Limit::GetMessages, 1_120), Ok(()));
        assert!(l.take(Limit::GetMessages, 1_120).is_err());
        // A minute refills the whole bucket, and no more.
        for _ in 0..500 {
            assert_eq!(l.take(Limit::GetMessages, 100_000), Ok(()));
        }
        assert!(l.take(Limit::GetMessages, 100_000).is_err());
        // WhatsApp's bucket is its own.
        assert_eq!(l.take(Limit::WhatsAppSend, 100_000), Ok(()));
    }

    #[test]
    fn a_steady_rate_at_the_limit_never_fails() {
        let mut l = RateLimits::default();
        // 4 calls a ms is 4,000 a second, for 5 s.
        for ms in 0..5_000 {
            for _ in 0..4 {
                assert_eq!(l.take(Limit::WhatsAppSend, ms), Ok(()), "at {ms} ms");
            }
        }
    }
}
