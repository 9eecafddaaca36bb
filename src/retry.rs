//! Retries: the one idempotency rule, the policy and its backoff, and
//! `Retry-After`.

use std::time::Duration;

use reqwest::Method;

/// Does sending `method` twice have the effect of sending it once (RFC 9110,
/// 9.2.2: GET, HEAD, PUT, DELETE, OPTIONS, TRACE)? A create (`POST`) does
/// not. The one rule behind `Error::is_retryable`, the retry loop and the
/// resend after a renewed credential.
pub(crate) fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::PUT | Method::DELETE | Method::OPTIONS | Method::TRACE
    )
}

/// Automatic retries of idempotent requests (GET, HEAD, PUT, DELETE,
/// OPTIONS, TRACE). Off by default: a create is never retried.
///
/// The wait before retry `n` is drawn at random between zero and
/// `base_delay × 2ⁿ` (at most `max_delay`): exponential backoff with full
/// jitter, so that many clients refused at the same moment (a 429, a 503)
/// do not come back in lockstep. `Retry-After`, when MX sends it, is the
/// wait instead (at most `max_delay`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: none).
    pub max_retries: u32,
    /// The first backoff's upper bound; doubled on each retry.
    pub base_delay: Duration,
    /// The longest wait, `Retry-After` included.
    pub max_delay: Duration,
    /// Draw each wait at random below its bound (full jitter, the
    /// default); `false` waits the whole bound (for tests).
    pub jitter: bool,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 0,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
            jitter: true,
        }
    }
}

impl RetryPolicy {
    /// The wait before retry `attempt + 1`: `Retry-After` when the answer
    /// has one, else a random share of the doubled base delay; at most
    /// `max_delay`.
    pub(crate) fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        if let Some(wait) = retry_after {
            return wait.min(self.max_delay);
        }
        let bound = self
            .base_delay
            .saturating_mul(1u32 << attempt.min(16))
            .min(self.max_delay);
        if self.jitter {
            bound.mul_f64(random_fraction())
        } else {
            bound
        }
    }
}

/// A number in `[0, 1)`, from the standard library's per-process random
/// hash keys (no RNG crate for one draw per retry).
fn random_fraction() -> f64 {
    use std::hash::{BuildHasher, Hasher};
    let mut h = std::collections::hash_map::RandomState::new().build_hasher();
    h.write_u64(
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_nanos() as u64),
    );
    (h.finish() >> 11) as f64 / (1u64 << 53) as f64
}

/// `Retry-After` as a wait: delay-seconds, or an HTTP-date (a date in the
/// past is no wait).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;
    use std::time::SystemTime;

    fn headers(value: &str) -> reqwest::header::HeaderMap {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(
            reqwest::header::RETRY_AFTER,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_a_date() {
        assert_eq!(retry_after(&headers(" 7 ")), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = retry_after(&headers(&later)).unwrap();
        assert!(
            wait > Duration::from_secs(115) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
        assert_eq!(retry_after(&headers(&past)), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&reqwest::header::HeaderMap::new()), None);
    }

    #[test]
    fn only_rfc_9110_idempotent_methods_are_idempotent() {
        for m in [
            Method::GET,
            Method::HEAD,
            Method::PUT,
            Method::DELETE,
            Method::OPTIONS,
            Method::TRACE,
        ] {
            assert!(is_idempotent(&m), "{m}");
        }
        for m in [Method::POST, Method::PATCH, Method::CONNECT] {
            assert!(!is_idempotent(&m), "{m}");
        }
    }

    /// Full jitter: every wait lies between zero and its doubled bound,
    /// and the waits of many clients spread over that range.
    #[test]
    fn backoff_is_random_below_the_doubled_bound() {
        let p = RetryPolicy::default();
        for attempt in 0..6 {
            let bound = Duration::from_millis(200) * (1 << attempt);
            let waits: Vec<Duration> = (0..200).map(|_| p.backoff(attempt, None)).collect();
            assert!(waits.iter().all(|w| *w <= bound), "{attempt}: {waits:?}");
            let distinct: std::collections::BTreeSet<_> = waits.iter().collect();
            assert!(
                distinct.len() > 150,
                "{attempt}: waits repeat: {distinct:?}"
            );
            let low = waits.iter().filter(|w| **w < bound / 2).count();
            assert!(
                (40..160).contains(&low),
                "{attempt}: {low} of 200 below half"
            );
        }
        assert!(p.backoff(30, None) <= Duration::from_secs(10));
        // MX's Retry-After is the wait, as it says (capped).
        assert_eq!(
            p.backoff(3, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
    }

    #[test]
    fn backoff_doubles_and_honours_retry_after_up_to_the_cap() {
        let p = RetryPolicy {
            jitter: false,
            ..RetryPolicy::default()
        };
        assert_eq!(p.backoff(0, None), Duration::from_millis(200));
        assert_eq!(p.backoff(2, None), Duration::from_millis(800));
        assert_eq!(p.backoff(30, None), Duration::from_secs(10));
        assert_eq!(
            p.backoff(0, Some(Duration::from_secs(3))),
            Duration::from_secs(3)
        );
        assert_eq!(
            p.backoff(0, Some(Duration::from_secs(60))),
            Duration::from_secs(10)
        );
    }
}
