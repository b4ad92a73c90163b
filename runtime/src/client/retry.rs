//! Retries: the [`RetryPolicy`] (which responses are sent again, after how long)
//! and the `Retry-After` header read as a delay. The rule is in the
//! [client's documentation](super#retries).

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

/// When and how often to retry throttled and unavailable responses. See the
/// [module documentation](super#retries) for the rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    max_retries: u32,
    base_backoff: Duration,
    max_backoff: Duration,
    max_retry_after: Duration,
}

impl Default for RetryPolicy {
    /// 3 retries, backoff from 1 s up to 60 s, `Retry-After` honoured up to 180 s.
    fn default() -> Self {
        RetryPolicy { max_retries: 3, base_backoff: Duration::from_secs(1), max_backoff: Duration::from_secs(60), max_retry_after: Duration::from_secs(180) }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn none() -> Self {
        RetryPolicy { max_retries: 0, ..RetryPolicy::default() }
    }

    /// Retries after the first attempt (so `n + 1` attempts at most).
    #[must_use]
    pub fn with_max_retries(mut self, n: u32) -> Self {
        self.max_retries = n;
        self
    }

    /// The first backoff delay when the response has no `Retry-After`; it doubles
    /// with each retry.
    #[must_use]
    pub fn with_base_backoff(mut self, delay: Duration) -> Self {
        self.base_backoff = delay;
        self
    }

    /// The cap on the backoff delay (not on `Retry-After`).
    #[must_use]
    pub fn with_max_backoff(mut self, delay: Duration) -> Self {
        self.max_backoff = delay;
        self
    }

    /// The longest `Retry-After` the client waits for; a response asking for more
    /// is returned as an error instead of being retried.
    #[must_use]
    pub fn with_max_retry_after(mut self, delay: Duration) -> Self {
        self.max_retry_after = delay;
        self
    }

    /// Retries after the first attempt.
    pub fn max_retries(&self) -> u32 {
        self.max_retries
    }

    /// The first backoff delay.
    pub fn base_backoff(&self) -> Duration {
        self.base_backoff
    }

    /// The cap on backoff delays.
    pub fn max_backoff(&self) -> Duration {
        self.max_backoff
    }

    /// The longest `Retry-After` that is honoured.
    pub fn max_retry_after(&self) -> Duration {
        self.max_retry_after
    }

    /// Whether a response with `status` to a request that is (or is not)
    /// idempotent may be retried: 429 always, 503 and 504 only when idempotent.
    pub fn is_retryable(status: http::StatusCode, idempotent: bool) -> bool {
        match status {
            http::StatusCode::TOO_MANY_REQUESTS => true,
            http::StatusCode::SERVICE_UNAVAILABLE | http::StatusCode::GATEWAY_TIMEOUT => idempotent,
            _ => false,
        }
    }

    /// How long to wait before retry number `retry` (0 for the first) after a
    /// response with these headers: its `Retry-After`, or the backoff with jitter;
    /// `None` when `Retry-After` asks for more than [`RetryPolicy::max_retry_after`].
    pub fn delay(&self, retry: u32, headers: &http::HeaderMap) -> Option<Duration> {
        match retry_after(headers) {
            Some(d) if d > self.max_retry_after => None,
            Some(d) => Some(d),
            None => Some(jitter(self.backoff(retry))),
        }
    }

    /// The backoff before retry number `retry` (0 for the first retry), without
    /// jitter: `base_backoff * 2^retry`, capped at `max_backoff`.
    pub fn backoff(&self, retry: u32) -> Duration {
        let factor = 1u32.checked_shl(retry.min(31)).unwrap_or(u32::MAX);
        self.base_backoff.checked_mul(factor).unwrap_or(self.max_backoff).min(self.max_backoff)
    }
}

/// A random delay between half of `delay` and all of it.
pub(super) fn jitter(delay: Duration) -> Duration {
    let random = std::collections::hash_map::RandomState::new().build_hasher().finish();
    let half = delay / 2;
    let nanos = half.as_nanos().min(u64::MAX as u128) as u64;
    half + Duration::from_nanos(if nanos == 0 { 0 } else { random % nanos.saturating_add(1) })
}

/// The delay a `Retry-After` header asks for: a number of seconds, or an HTTP-date
/// (IMF-fixdate, RFC 850 or asctime format; a date in the past is zero). `None`
/// without the header or when it cannot be read.
pub fn retry_after(headers: &http::HeaderMap) -> Option<Duration> {
    retry_after_at(headers, SystemTime::now())
}

pub(super) fn retry_after_at(headers: &http::HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(http::header::RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // Very long waits saturate; the policy's max_retry_after refuses them anyway.
        return Some(Duration::from_secs(value.parse::<u64>().unwrap_or(u64::MAX).min(u64::from(u32::MAX))));
    }
    let date = parse_http_date(value)?;
    let now = chrono::DateTime::<chrono::Utc>::from(now);
    Some((date - now).to_std().unwrap_or(Duration::ZERO))
}

fn parse_http_date(s: &str) -> Option<chrono::DateTime<chrono::Utc>> {
    use chrono::NaiveDateTime;
    if let Ok(d) = chrono::DateTime::parse_from_rfc2822(s) {
        return Some(d.with_timezone(&chrono::Utc));
    }
    // RFC 850 (`Sunday, 06-Nov-94 08:49:37 GMT`) and asctime (`Sun Nov  6 08:49:37 1994`).
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    NaiveDateTime::parse_from_str(&s, "%A, %d-%b-%y %H:%M:%S GMT")
        .or_else(|_| NaiveDateTime::parse_from_str(&s, "%a %b %e %H:%M:%S %Y"))
        .ok()
        .map(|n| n.and_utc())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(value: &str) -> http::HeaderMap {
        let mut h = http::HeaderMap::new();
        h.insert(http::header::RETRY_AFTER, http::HeaderValue::from_str(value).unwrap());
        h
    }

    #[test]
    fn retry_after_reads_seconds_and_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777); // Sun, 06 Nov 1994 08:49:37 GMT
        assert_eq!(retry_after_at(&headers("120"), now), Some(Duration::from_secs(120)));
        assert_eq!(retry_after_at(&headers(" 0 "), now), Some(Duration::ZERO));
        assert_eq!(retry_after_at(&headers("Sun, 06 Nov 1994 08:49:40 GMT"), now), Some(Duration::from_secs(3)));
        assert_eq!(retry_after_at(&headers("Sunday, 06-Nov-94 08:49:47 GMT"), now), Some(Duration::from_secs(10)));
        assert_eq!(retry_after_at(&headers("Sun Nov  6 08:50:37 1994"), now), Some(Duration::from_secs(60)));
        assert_eq!(retry_after_at(&headers("Sun, 06 Nov 1994 08:00:00 GMT"), now), Some(Duration::ZERO));
        assert_eq!(retry_after_at(&headers("-5"), now), None);
        assert_eq!(retry_after_at(&headers("soon"), now), None);
        assert_eq!(retry_after_at(&http::HeaderMap::new(), now), None);
    }

    #[test]
    fn backoff_doubles_up_to_the_cap() {
        let p = RetryPolicy::default().with_base_backoff(Duration::from_millis(100)).with_max_backoff(Duration::from_secs(1));
        assert_eq!(p.backoff(0), Duration::from_millis(100));
        assert_eq!(p.backoff(1), Duration::from_millis(200));
        assert_eq!(p.backoff(3), Duration::from_millis(800));
        assert_eq!(p.backoff(4), Duration::from_secs(1));
        assert_eq!(p.backoff(100), Duration::from_secs(1));
        for _ in 0..100 {
            let d = jitter(Duration::from_millis(800));
            assert!(d >= Duration::from_millis(400) && d <= Duration::from_millis(800), "{d:?}");
        }
    }

    #[test]
    fn retry_rule() {
        use http::StatusCode as S;
        assert!(RetryPolicy::is_retryable(S::TOO_MANY_REQUESTS, false));
        assert!(RetryPolicy::is_retryable(S::SERVICE_UNAVAILABLE, true));
        assert!(!RetryPolicy::is_retryable(S::SERVICE_UNAVAILABLE, false));
        assert!(RetryPolicy::is_retryable(S::GATEWAY_TIMEOUT, true));
        assert!(!RetryPolicy::is_retryable(S::GATEWAY_TIMEOUT, false));
        assert!(!RetryPolicy::is_retryable(S::INTERNAL_SERVER_ERROR, true));
        assert!(!RetryPolicy::is_retryable(S::BAD_GATEWAY, true));
    }
}
