//! The retry policy every client shares: which failures are retried, how
//! long to wait, and when to stop.
//!
//! A request is only sent again when that cannot apply it twice, or when
//! applying it twice is harmless:
//!
//! | outcome of an attempt | retried for |
//! |---|---|
//! | no connection (DNS, connect, TLS, connect timeout): nothing was sent | every method |
//! | `429 Too Many Requests`, `503 Service Unavailable`: the API says it did not process the request | every method |
//! | another `5xx` (except `501` and `505`, which do not change on retry) | idempotent methods |
//! | sent, then no answer or a broken one (connection lost, response timeout, body cut off) | idempotent methods |
//! | anything else (`2xx`, `3xx`, `4xx`, a body over the size limit, a request that cannot be built) | never |
//!
//! Idempotent methods are `GET`, `HEAD`, `OPTIONS`, `PUT`, `DELETE` and
//! `TRACE` (RFC 9110, section 9.2.2), and any request that carries an
//! idempotency key (see
//! [`HttpSettings::idempotency_header`](crate::HttpSettings::idempotency_header)).

use std::hash::{BuildHasher, Hasher};
use std::time::{Duration, SystemTime};

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};

/// How a client retries failed attempts; see the [module docs](self) for
/// which failures count.
///
/// The default ([`RetryPolicy::new`]): at most 3 attempts, exponential
/// backoff from 200 ms up to 5 s with full jitter, `Retry-After` honoured,
/// and the whole call (attempts and waits) within a budget of 60 s.
/// [`RetryPolicy::disabled`] makes exactly one attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    max_attempts: u32,
    initial_backoff: Duration,
    max_backoff: Duration,
    budget: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self::new()
    }
}

impl RetryPolicy {
    /// The default policy: 3 attempts, backoff 200 ms doubling up to 5 s
    /// with full jitter, a budget of 60 s for the whole call.
    pub const fn new() -> Self {
        Self {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(5),
            budget: Duration::from_secs(60),
        }
    }

    /// One attempt, never retried: for calls whose caller retries by itself.
    pub const fn disabled() -> Self {
        Self::new().max_attempts(1)
    }

    /// At most `attempts` attempts in all, the first included; `0` counts as
    /// `1`.
    pub const fn max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = if attempts == 0 { 1 } else { attempts };
        self
    }

    /// The wait before the first retry is a random duration up to
    /// `initial`; the bound doubles for each further retry, up to `max`
    /// ("full jitter", so that many clients failing together do not retry
    /// together). A `Retry-After` from the API replaces it.
    pub const fn backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max;
        self
    }

    /// Bounds the whole call, attempts and waits included: each attempt's
    /// timeout is cut to what is left of it, and no retry starts (and no
    /// wait, `Retry-After` included, begins) that would end past it.
    /// A zero budget counts as one millisecond.
    pub const fn budget(mut self, budget: Duration) -> Self {
        self.budget = if budget.is_zero() {
            Duration::from_millis(1)
        } else {
            budget
        };
        self
    }

    /// The most attempts a call makes.
    pub const fn attempts(&self) -> u32 {
        self.max_attempts
    }

    /// The time budget of a whole call.
    pub const fn time_budget(&self) -> Duration {
        self.budget
    }

    /// The wait before retry number `retry` (1 for the first retry):
    /// random, up to `initial · 2^(retry-1)` capped at `max`.
    pub(crate) fn backoff_before(&self, retry: u32) -> Duration {
        let factor = 1u32
            .checked_shl(retry.saturating_sub(1))
            .unwrap_or(u32::MAX);
        let bound = self
            .initial_backoff
            .saturating_mul(factor)
            .min(self.max_backoff);
        bound.mul_f64(random_unit())
    }
}

/// Why a call made no further attempt.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum RetryStop {
    /// The last attempt's failure is not one that is retried.
    NotRetryable,
    /// The policy's maximum number of attempts was reached.
    MaxAttempts,
    /// Waiting and trying again would have gone past the time budget.
    Budget,
}

impl RetryStop {
    /// Why, in words, for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Self::NotRetryable => "the last failure is not one to retry",
            Self::MaxAttempts => "the maximum number of attempts",
            Self::Budget => "the retry time budget ran out",
        }
    }
}

/// Why an attempt is worth repeating; also what retry events report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Retryable {
    /// No connection was made: nothing was sent.
    NotSent,
    /// 429 or 503: the API says it did not process the request.
    Refused(StatusCode),
    /// Another 5xx, for an idempotent request.
    ServerError(StatusCode),
    /// Sent, then no answer or a broken one, for an idempotent request.
    Broken,
}

impl Retryable {
    /// For `tracing` events: a word, never an error message (which could
    /// carry a URL or part of a body).
    pub(crate) fn kind(self) -> &'static str {
        match self {
            Self::NotSent => "not_sent",
            Self::Refused(_) => "refused",
            Self::ServerError(_) => "server_error",
            Self::Broken => "broken",
        }
    }

    /// The status of the answer, if there was one.
    pub(crate) fn status(self) -> Option<u16> {
        match self {
            Self::Refused(status) | Self::ServerError(status) => Some(status.as_u16()),
            Self::NotSent | Self::Broken => None,
        }
    }

    /// Whether the API may have applied the attempt.
    pub(crate) fn may_have_applied(self) -> bool {
        matches!(self, Self::ServerError(_) | Self::Broken)
    }
}

/// Whether repeating a request with `method` has the effect of sending it
/// once (RFC 9110, section 9.2.2).
pub fn is_idempotent(method: &Method) -> bool {
    matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::PUT | Method::DELETE | Method::TRACE
    )
}

/// Whether an answer with `status` is retried.
pub(crate) fn retryable_status(status: StatusCode, idempotent: bool) -> Option<Retryable> {
    match status {
        StatusCode::TOO_MANY_REQUESTS | StatusCode::SERVICE_UNAVAILABLE => {
            Some(Retryable::Refused(status))
        }
        StatusCode::NOT_IMPLEMENTED | StatusCode::HTTP_VERSION_NOT_SUPPORTED => None,
        _ if status.is_server_error() && idempotent => Some(Retryable::ServerError(status)),
        _ => None,
    }
}

/// Whether a failure before any answer is retried.
pub(crate) fn retryable_error(error: &reqwest::Error, idempotent: bool) -> Option<Retryable> {
    if error.is_builder() || error.is_redirect() {
        None
    } else if error.is_connect() {
        Some(Retryable::NotSent)
    } else if idempotent {
        Some(Retryable::Broken)
    } else {
        None
    }
}

/// The wait an answer asks for with `Retry-After`: delay-seconds or an
/// HTTP-date (RFC 9110, section 10.2.3). A date in the past is no wait;
/// anything unreadable is ignored.
pub(crate) fn retry_after(headers: &HeaderMap, now: SystemTime) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?.trim();
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        // A number too large for u64 is "forever": the budget stops it.
        return Some(Duration::from_secs(value.parse().unwrap_or(u64::MAX)));
    }
    let date = httpdate::parse_http_date(value).ok()?;
    Some(date.duration_since(now).unwrap_or_default())
}

/// A random number in `[0, 1)`. `RandomState` is seeded from the operating
/// system once per thread and differs for each instance: enough for
/// jitter, without a random-number crate.
fn random_unit() -> f64 {
    let bits = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    // The top 53 bits, as a fraction of 2^53: exactly representable.
    (bits >> 11) as f64 / (1u64 << 53) as f64
}

/// 128 random bits (two independently seeded hashers).
pub(crate) fn random_u128() -> u128 {
    let high = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    let low = std::collections::hash_map::RandomState::new()
        .build_hasher()
        .finish();
    (u128::from(high) << 64) | u128::from(low)
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn headers(retry_after: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            RETRY_AFTER,
            HeaderValue::from_str(retry_after).expect("valid header value"),
        );
        headers
    }

    #[test]
    fn retry_after_reads_seconds_and_http_dates() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(784_111_777);
        assert_eq!(
            retry_after(&headers("120"), now),
            Some(Duration::from_secs(120))
        );
        // Sun, 06 Nov 1994 08:49:37 GMT is 784111777: 60 s later.
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:50:37 GMT"), now),
            Some(Duration::from_secs(60))
        );
        // The obsolete RFC 850 form, which recipients must accept.
        assert_eq!(
            retry_after(&headers("Sunday, 06-Nov-94 08:50:37 GMT"), now),
            Some(Duration::from_secs(60))
        );
        assert_eq!(
            retry_after(&headers("Sun, 06 Nov 1994 08:00:00 GMT"), now),
            Some(Duration::ZERO)
        );
        assert_eq!(retry_after(&headers("soon"), now), None);
        assert_eq!(retry_after(&headers("-1"), now), None);
        assert_eq!(retry_after(&HeaderMap::new(), now), None);
        assert_eq!(
            retry_after(&headers("99999999999999999999999"), now),
            Some(Duration::from_secs(u64::MAX))
        );
    }

    #[test]
    fn statuses_are_retried_by_what_they_say_and_the_method() {
        for idempotent in [false, true] {
            assert!(retryable_status(StatusCode::TOO_MANY_REQUESTS, idempotent).is_some());
            assert!(retryable_status(StatusCode::SERVICE_UNAVAILABLE, idempotent).is_some());
            assert!(retryable_status(StatusCode::NOT_IMPLEMENTED, idempotent).is_none());
            assert!(retryable_status(StatusCode::BAD_REQUEST, idempotent).is_none());
            assert!(retryable_status(StatusCode::CONFLICT, idempotent).is_none());
            assert!(retryable_status(StatusCode::OK, idempotent).is_none());
        }
        assert!(retryable_status(StatusCode::INTERNAL_SERVER_ERROR, false).is_none());
        assert!(retryable_status(StatusCode::INTERNAL_SERVER_ERROR, true).is_some());
        assert!(retryable_status(StatusCode::BAD_GATEWAY, true).is_some());
        assert!(is_idempotent(&Method::PUT) && is_idempotent(&Method::DELETE));
        assert!(!is_idempotent(&Method::POST) && !is_idempotent(&Method::PATCH));
    }

    #[test]
    fn backoff_grows_within_its_cap_and_settings_are_clamped() {
        let policy =
            RetryPolicy::new().backoff(Duration::from_millis(100), Duration::from_millis(300));
        for _ in 0..100 {
            assert!(policy.backoff_before(1) < Duration::from_millis(100));
            assert!(policy.backoff_before(2) < Duration::from_millis(200));
            assert!(policy.backoff_before(40) < Duration::from_millis(300));
        }
        assert_eq!(RetryPolicy::new().max_attempts(0).attempts(), 1);
        assert_eq!(RetryPolicy::disabled().attempts(), 1);
        assert_eq!(
            RetryPolicy::new().budget(Duration::ZERO).time_budget(),
            Duration::from_millis(1)
        );
        let unit = random_unit();
        assert!((0.0..1.0).contains(&unit));
        assert_ne!(random_u128(), random_u128());
    }
}
