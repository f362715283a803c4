//! What a generated `send_with` can change for one call, and what the
//! client knows about each operation.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};

use crate::RetryPolicy;

/// One operation of a generated client, as tracing and the hooks see it.
/// The generator writes a table of them (`OPERATIONS`), one per operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The client crate (`synapse-client`), naming the vendor in traces.
    pub client: &'static str,
    /// The spec's `operationId` (`updateSubscription`).
    pub id: &'static str,
    /// progenitor's method name (`update_subscription`), which its hooks
    /// see as `OperationInfo::operation_id`.
    pub method_name: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template (`/subscriptions/{subscription_id}`): traces show
    /// it rather than the path, whose parameters may identify customers.
    pub path: &'static str,
}

/// Options for one call, given to a generated builder's `send_with`; `send`
/// uses the defaults, which change nothing.
///
/// ```
/// use std::time::Duration;
/// use client_runtime::{CallOptions, RetryPolicy};
/// use reqwest::header::{HeaderName, HeaderValue};
///
/// let options = CallOptions::new()
///     .timeout(Duration::from_secs(5))
///     .retry(RetryPolicy::disabled())
///     .header(HeaderName::from_static("x-request-id"), HeaderValue::from_static("abc-123"));
/// # let _ = options;
/// ```
#[derive(Clone, Default)]
pub struct CallOptions {
    pub(crate) timeout: Option<Duration>,
    pub(crate) retry: Option<RetryPolicy>,
    pub(crate) headers: HeaderMap,
    pub(crate) idempotency_key: Option<HeaderValue>,
}

impl CallOptions {
    /// The defaults: the client's timeout and retry policy, no extra headers.
    pub fn new() -> Self {
        Self::default()
    }

    /// Bounds each attempt of this call by `timeout` instead of the
    /// client's timeout (the retry budget still bounds the whole call).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// Retries this call by `policy` instead of the client's;
    /// [`RetryPolicy::disabled`] sends it exactly once.
    pub fn retry(mut self, policy: RetryPolicy) -> Self {
        self.retry = Some(policy);
        self
    }

    /// Sends `name: value` with this call (added to what is already there,
    /// e.g. a request id for the vendor's support). It cannot replace the
    /// client's credentials, `User-Agent` or `Content-Type`: those are set
    /// after it.
    pub fn header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.headers.append(name, value);
        self
    }

    /// Sends `key` as this call's idempotency key, instead of a generated
    /// one. It only has an effect on a client built with an idempotency
    /// header ([`HttpSettings::idempotency_header`](crate::HttpSettings::idempotency_header)),
    /// and it is then sent on every method, idempotent ones included. Reuse
    /// a key to make a repeated call (after a crash, say) one the API
    /// recognises.
    pub fn idempotency_key(mut self, key: HeaderValue) -> Self {
        self.idempotency_key = Some(key);
        self
    }
}

/// Names the headers, never their values (they may carry tokens).
impl fmt::Debug for CallOptions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("CallOptions")
            .field("timeout", &self.timeout)
            .field("retry", &self.retry)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field(
                "idempotency_key",
                &self.idempotency_key.as_ref().map(|_| "(set)"),
            )
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_names_headers_but_never_shows_values() {
        let options = CallOptions::new()
            .header(
                HeaderName::from_static("x-debug-token"),
                HeaderValue::from_static("hunter2"),
            )
            .idempotency_key(HeaderValue::from_static("key-hunter3"));
        let debug = format!("{options:?}");
        assert!(debug.contains("x-debug-token"), "{debug}");
        assert!(!debug.contains("hunter"), "{debug}");
    }
}
