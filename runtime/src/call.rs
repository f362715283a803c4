//! One call's boundary: the generated `send` wraps progenitor's future in
//! [`call`]; the generated `ClientHooks` prepare each request with
//! [`prepare`] and send it through [`execute`], which applies the retry
//! policy. [`call`] turns every `progenitor_client::Error` into an [`Error`]
//! that says how far the request got, keeps the answer's status and
//! headers, and names the attempts when there were several.
//!
//! The pieces talk through a per-call context: [`call`] puts the operation
//! and its [`CallOptions`] there for the hooks, and [`execute`] records the
//! answer's status and headers (progenitor reports some failures without
//! them) and the attempts. The context is a `tokio` task-local scoped to the
//! future [`call`] runs: two calls joined in one task each have their own.
//!
//! Each call runs in a `tracing` span named `call` with the fields
//! `client`, `operation`, `http.request.method`, `url.template`, and, once
//! known, `attempts`, `http.response.status_code` and `latency_ms`; retries
//! are `DEBUG` events in it. No header value, body, URL or error message is
//! ever recorded: they may hold credentials or customer data.

use std::cell::Cell;
use std::future::Future;
use std::time::{Duration, Instant, SystemTime};

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, HeaderValue, LOCATION, USER_AGENT};
use tracing::Instrument as _;
use tracing::field::Empty;

use crate::authorize::{self, Bearer, QueryKey};
use crate::error::{BODY_EXCERPT_BYTES, excerpt};
use crate::redact::{redact_error_url, redact_query_keys};
use crate::retry::{self, RetryStop, Retryable};
use crate::{
    BaseUrl, CallOptions, Error, HttpSettings, MissingCredentials, Operation, TokenError, body,
};

tokio::task_local! {
    /// The running [`call`]: its operation and options, and what it has
    /// learnt so far.
    pub(crate) static CALL: CallContext;
}

/// What [`call`] gives the hooks, and what [`execute`] and the hooks record
/// for it. `Cell`s, so recording never borrows and never panics.
pub(crate) struct CallContext {
    operation: &'static Operation,
    options: CallOptions,
    /// When the call began: the retry budget counts from here.
    started: Instant,
    /// The status and headers of the last attempt's answer, if it had one.
    head: Cell<Option<(StatusCode, HeaderMap)>>,
    /// Set by [`missing_credentials`], which can only hand progenitor a
    /// string.
    missing: Cell<Option<MissingCredentials>>,
    /// Why the `pre` hook got no access token.
    pub(crate) token_error: Cell<Option<TokenError>>,
    /// The bearer credential the `pre` hook added, for a `401`.
    pub(crate) bearer: Cell<Option<Bearer>>,
    /// The API keys the `pre` hook put in the query string.
    pub(crate) query_keys: Cell<Vec<QueryKey>>,
    /// Attempts made so far.
    attempts: Cell<u32>,
    /// Why the last attempt was the last, once [`execute`] gave up.
    stop: Cell<Option<RetryStop>>,
    /// Whether an attempt before the last may have been applied by the API.
    earlier_may_have_applied: Cell<bool>,
}

/// Prepares a request for sending, for the generated `ClientHooks::pre`
/// (which then adds credentials, so that nothing here can replace them):
///
/// - checks that it is the operation [`call`] runs (`operation_id` is
///   progenitor's method name) and that its URL addresses that operation's
///   resource ([`check_path`](crate::check_path));
/// - removes progenitor's `api-version` header;
/// - adds the [`CallOptions`] headers the request does not have already;
/// - sets `User-Agent`;
/// - adds an idempotency key when the client has an idempotency header and
///   the method is not idempotent (or the call gave a key).
///
/// The error is the reason, for `InvalidRequest`.
pub fn prepare(
    request: &mut reqwest::Request,
    operation_id: &str,
    base_url: &BaseUrl,
    user_agent: &HeaderValue,
    settings: &HttpSettings,
) -> Result<(), String> {
    let not_ours =
        || format!("operation `{operation_id}` was not sent through this client's `send`");
    CALL.try_with(|call| {
        if call.operation.method_name != operation_id {
            return Err(not_ours());
        }
        crate::path::check_path_under(base_url.url(), call.operation.path, request.url())?;
        let idempotent = retry::is_idempotent(request.method());
        let headers = request.headers_mut();
        headers.remove("api-version");
        let present: Vec<_> = call
            .options
            .headers
            .keys()
            .filter(|name| headers.contains_key(*name))
            .cloned()
            .collect();
        for (name, value) in &call.options.headers {
            if !present.contains(name) {
                headers.append(name, value.clone());
            }
        }
        headers.insert(USER_AGENT, user_agent.clone());
        if let Some(name) = &settings.idempotency_header {
            let key = match &call.options.idempotency_key {
                Some(key) => Some(key.clone()),
                None if !idempotent => Some(new_idempotency_key()),
                None => None,
            };
            if let Some(key) = key {
                headers.insert(name, key);
            }
        }
        Ok(())
    })
    .map_err(|_| not_ours())?
}

/// A random key in the form of a version 4 UUID.
fn new_idempotency_key() -> HeaderValue {
    let key = uuid::Builder::from_random_bytes(retry::random_u128().to_be_bytes()).into_uuid();
    let mut buffer = uuid::Uuid::encode_buffer();
    // A UUID's text is ASCII hex and dashes: always a valid header value.
    HeaderValue::from_str(key.hyphenated().encode_lower(&mut buffer))
        .unwrap_or_else(|_| HeaderValue::from_static("invalid-idempotency-key"))
}

/// Sends `request` with `client`, for the generated `ClientHooks::exec`,
/// retrying by the call's or the client's [`RetryPolicy`](crate::RetryPolicy)
/// (see [`retry`](crate::retry) for what is retried).
///
/// - Each attempt is bounded by the call's timeout, if it has one, or else
///   by the `reqwest::Client`'s (for a client built from `settings`,
///   [`HttpSettings::timeout`]); either is cut to what is left of the retry
///   budget.
/// - A request whose body cannot be cloned (a stream) is sent once.
/// - A `401` to a request whose bearer token came from a
///   [`TokenProvider`](crate::TokenProvider) (see
///   [`authorize_bearer`](crate::authorize_bearer)) invalidates the token
///   and resends the request once with a new one, when its body can be
///   sent twice. The resend belongs to the attempt it answers: it does not
///   use up one of the policy's attempts (a refused token says nothing
///   about the API's health), it happens at most once per call (a second
///   `401` is the answer), and its timeout is cut to what is left of the
///   budget like any attempt's. Each retry asks the provider again, so
///   that it carries the token the resend got, or a new one when the old
///   one expired during the backoff.
/// - The wait before a retry is the answer's `Retry-After`, or the policy's
///   backoff; a retry whose wait would end past the budget is not made.
/// - An idempotent request's answer is read whole (within
///   `max_response_bytes`) while another attempt is possible, so that a
///   body that breaks off is retried too.
/// - The response's body fails with a [`BodyError`](crate::BodyError)
///   instead of yielding more than `max_response_bytes` (at once, when
///   `Content-Length` announces more), and when the transport fails while
///   it is read; memory stays near the limit however large the answer.
///
/// The last attempt's outcome is returned, and its status and headers and
/// the number of attempts are recorded for the [`call`] this runs in.
pub async fn execute(
    client: &reqwest::Client,
    mut request: reqwest::Request,
    settings: &HttpSettings,
) -> reqwest::Result<reqwest::Response> {
    let (started, timeout, policy) = CALL
        .try_with(|call| {
            (
                call.started,
                call.options.timeout,
                call.options.retry.unwrap_or(settings.retry),
            )
        })
        .unwrap_or((Instant::now(), None, settings.retry));
    let idempotent = retry::is_idempotent(request.method())
        || settings
            .idempotency_header
            .as_ref()
            .is_some_and(|name| request.headers().contains_key(name));
    let mut attempt = 1;
    loop {
        let next = if attempt < policy.attempts() {
            let next = request.try_clone();
            if next.is_none() {
                tracing::debug!(attempt, "the request body cannot be sent twice: no retry");
            }
            next
        } else {
            None
        };
        if attempt > 1 {
            authorize::refresh_for_retry(&mut request).await;
        }
        let bound = AttemptBound {
            started,
            timeout,
            policy: &policy,
            settings,
        };
        bound.apply(&mut request);
        record(|call| {
            call.attempts.set(attempt);
            call.head.set(None);
        });
        let resend = authorize::resend_copy(&request);
        let mut outcome = client.execute(request).await;
        if matches!(&outcome, Ok(response) if response.status() == StatusCode::UNAUTHORIZED)
            && let Some(mut again) = authorize::renew(resend).await
        {
            tracing::debug!(
                attempt,
                "the API refused the token: resending once with a new one"
            );
            drop(outcome);
            bound.apply(&mut again);
            outcome = client.execute(again).await;
        }
        if let Ok(response) = &outcome {
            record(|call| {
                call.head
                    .set(Some((response.status(), response.headers().clone())))
            });
        }
        let Some(next) = next else {
            let retryable = match &outcome {
                Ok(response) => retry::retryable_status(response.status(), idempotent),
                Err(error) => retry::retryable_error(error, idempotent),
            };
            let stop = match retryable {
                Some(_) if attempt >= policy.attempts() => RetryStop::MaxAttempts,
                _ => RetryStop::NotRetryable,
            };
            record(|call| call.stop.set(Some(stop)));
            return outcome.map(|response| body::limit(response, settings.max_response_bytes));
        };
        let (outcome, retryable) = judge(outcome, idempotent, settings.max_response_bytes).await;
        let Some(retryable) = retryable else {
            record(|call| call.stop.set(Some(RetryStop::NotRetryable)));
            return outcome;
        };
        let asked = match &outcome {
            Ok(response) => retry::retry_after(response.headers(), SystemTime::now()),
            Err(_) => None,
        };
        let wait = asked.unwrap_or_else(|| policy.backoff_before(attempt));
        if started.elapsed().saturating_add(wait) >= policy.time_budget() {
            tracing::debug!(
                attempt,
                reason = retryable.kind(),
                wait_ms = duration_ms(wait),
                "not retrying: the wait would end past the retry budget"
            );
            record(|call| call.stop.set(Some(RetryStop::Budget)));
            return outcome;
        }
        tracing::debug!(
            attempt,
            reason = retryable.kind(),
            http.response.status_code = retryable.status(),
            retry_after = asked.is_some(),
            wait_ms = duration_ms(wait),
            "retrying"
        );
        if retryable.may_have_applied() {
            record(|call| call.earlier_may_have_applied.set(true));
        }
        drop(outcome);
        tokio::time::sleep(wait).await;
        request = next;
        attempt += 1;
    }
}

/// What bounds one attempt (or its resend after a `401`).
struct AttemptBound<'a> {
    started: Instant,
    timeout: Option<Duration>,
    policy: &'a crate::RetryPolicy,
    settings: &'a HttpSettings,
}

impl AttemptBound<'_> {
    /// The client's own timeout bounds the attempt unless the call has its
    /// own, or less than the client's is left of the budget.
    fn apply(&self, request: &mut reqwest::Request) {
        let left = self
            .policy
            .time_budget()
            .saturating_sub(self.started.elapsed());
        match self.timeout {
            Some(timeout) => *request.timeout_mut() = Some(timeout.min(left)),
            None if left < self.settings.timeout => *request.timeout_mut() = Some(left),
            None => {}
        }
    }
}

/// Runs `f` on the running call's context, if there is one (outside a
/// [`call`] there is nothing to record into, and nothing to read it).
pub(crate) fn record(f: impl FnOnce(&CallContext)) {
    let _ = CALL.try_with(f);
}

/// Whether an attempt's outcome is retried, for an attempt that may be
/// followed by another; the response comes back with its body limited to
/// `max_response_bytes`. The body of an answer that is not retried for its
/// status is read whole when the request is idempotent, so that a body
/// that breaks off is retried; the response handed back then replays it
/// (or its error).
async fn judge(
    outcome: reqwest::Result<reqwest::Response>,
    idempotent: bool,
    max_response_bytes: u64,
) -> (reqwest::Result<reqwest::Response>, Option<Retryable>) {
    let response = match outcome {
        Ok(response) => response,
        Err(error) => {
            let retryable = retry::retryable_error(&error, idempotent);
            return (Err(error), retryable);
        }
    };
    if let Some(retryable) = retry::retryable_status(response.status(), idempotent) {
        return (
            Ok(body::limit(response, max_response_bytes)),
            Some(retryable),
        );
    }
    if !idempotent {
        return (Ok(body::limit(response, max_response_bytes)), None);
    }
    let (response, broken) = body::limit_and_read(response, max_response_bytes).await;
    (Ok(response), broken.then_some(Retryable::Broken))
}

/// Whole milliseconds, for events.
fn duration_ms(duration: Duration) -> u64 {
    u64::try_from(duration.as_millis()).unwrap_or(u64::MAX)
}

/// Runs one operation's progenitor future (generated `send_with` is
/// `client_runtime::call(&crate::OPERATIONS[i], options, self.send_unconverted()).await`)
/// in a `tracing` span, with `options` for the hooks, and converts its
/// error:
///
/// | progenitor | [`Error`] |
/// |---|---|
/// | `InvalidRequest` | [`Error::InvalidRequest`] |
/// | `Custom` from [`missing_credentials`] | [`Error::MissingCredentials`] |
/// | `Custom` from [`authorize_bearer`](crate::authorize_bearer) | [`Error::Token`]; any other `Custom` is [`Error::InvalidRequest`] |
/// | `CommunicationError` | [`Error::Unreachable`] (connect, DNS, TLS), [`Error::Timeout`] or [`Error::Transport`]; a request reqwest could not build is [`Error::InvalidRequest`] |
/// | `ErrorResponse` | [`Error::ErrorResponse`] |
/// | `ResponseBodyError` | [`Error::ResponseTooLarge`], [`Error::Timeout`] or [`Error::ResponseBody`], with status and headers |
/// | `InvalidResponsePayload` | [`Error::InvalidResponsePayload`] with status, headers and an excerpt of the body |
/// | `UnexpectedResponse` | [`Error::Redirect`] for a 301, 302, 303, 307 or 308 with `Location`; otherwise [`Error::UnexpectedResponse`], reading at most an excerpt of the body |
/// | `InvalidUpgrade` | [`Error::Transport`] |
///
/// API keys put in the query string by
/// [`api_key_query`](crate::api_key_query) show as `***` in every URL the
/// error carries.
///
/// When [`execute`] made more than one attempt, that error is the `last` of
/// an [`Error::Retried`] that names the attempts.
///
/// The status and headers of the first two body errors come from
/// [`execute`]: a client whose `exec` hook does not use it gets
/// [`Error::Transport`] for a body that broke off, and `200 OK` without
/// headers for a body that does not parse.
///
/// The operation's future is boxed here, once: progenitor's futures are
/// large (kilobytes), and each `async` layer above would otherwise copy
/// them again.
pub fn call<T, E>(
    operation: &'static Operation,
    options: CallOptions,
    future: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
) -> impl Future<Output = Result<ResponseValue<T>, Error<E>>> {
    let future = Box::pin(future);
    let span = tracing::info_span!(
        "call",
        client = operation.client,
        operation = operation.id,
        http.request.method = operation.method,
        url.template = operation.path,
        attempts = Empty,
        http.response.status_code = Empty,
        latency_ms = Empty,
    );
    let context = CallContext {
        operation,
        options,
        started: Instant::now(),
        head: Cell::default(),
        missing: Cell::default(),
        token_error: Cell::default(),
        bearer: Cell::default(),
        query_keys: Cell::default(),
        attempts: Cell::new(0),
        stop: Cell::default(),
        earlier_may_have_applied: Cell::new(false),
    };
    let started = context.started;
    async move {
        let (result, recorded) = CALL
            .scope(context, async {
                let result = future.await;
                let recorded = CALL
                    .try_with(|call| Recorded {
                        head: call.head.take(),
                        missing: call.missing.take(),
                        token_error: call.token_error.take(),
                        query_keys: call.query_keys.take(),
                        attempts: call.attempts.get(),
                        stop: call.stop.get(),
                        earlier_may_have_applied: call.earlier_may_have_applied.get(),
                    })
                    .unwrap_or_default();
                (result, recorded)
            })
            .await;
        let span = tracing::Span::current();
        span.record("attempts", recorded.attempts);
        span.record("latency_ms", duration_ms(started.elapsed()));
        let result = match result {
            Ok(value) => Ok(value),
            Err(error) => {
                let credential = recorded.token_error.map_or_else(
                    || recorded.missing.map(Error::MissingCredentials),
                    |error| Some(Error::Token(error)),
                );
                let error = convert(error, recorded.head, credential).await;
                let error = redact_query_keys(error, &recorded.query_keys);
                Err(match recorded.stop {
                    Some(stop) if recorded.attempts > 1 => Error::Retried {
                        attempts: recorded.attempts,
                        elapsed: started.elapsed(),
                        stop,
                        earlier_may_have_applied: recorded.earlier_may_have_applied,
                        last: Box::new(error),
                    },
                    _ => error,
                })
            }
        };
        let status = match &result {
            Ok(value) => Some(value.status()),
            Err(error) => error.status(),
        };
        if let Some(status) = status {
            span.record("http.response.status_code", status.as_u16());
        }
        match &result {
            Ok(_) => tracing::debug!("answered"),
            Err(error) => tracing::debug!(error = error.kind(), "failed"),
        }
        result
    }
    .instrument(span)
}

/// What a call's context held when its future finished.
#[derive(Default)]
struct Recorded {
    head: Option<(StatusCode, HeaderMap)>,
    missing: Option<MissingCredentials>,
    token_error: Option<TokenError>,
    query_keys: Vec<QueryKey>,
    attempts: u32,
    stop: Option<RetryStop>,
    earlier_may_have_applied: bool,
}

/// The error a `pre` hook returns when the operation needs credentials the
/// client lacks. progenitor's `Error::Custom` only carries a string, so the
/// typed error is recorded for [`call`], which returns it as
/// [`Error::MissingCredentials`].
pub fn missing_credentials<E>(missing: MissingCredentials) -> progenitor_client::Error<E> {
    let message = missing.to_string();
    let _ = CALL.try_with(|call| call.missing.set(Some(missing)));
    progenitor_client::Error::Custom(message)
}

/// [`call`]'s conversion, with what the call recorded: `credential` is
/// the missing credentials or token error the `pre` hook reported.
async fn convert<E>(
    error: progenitor_client::Error<E>,
    head: Option<(StatusCode, HeaderMap)>,
    credential: Option<Error<E>>,
) -> Error<E> {
    use progenitor_client::Error as Progenitor;
    match error {
        Progenitor::InvalidRequest(reason) => Error::InvalidRequest(reason),
        Progenitor::Custom(reason) => credential.unwrap_or(Error::InvalidRequest(reason)),
        Progenitor::CommunicationError(error) => Error::from_send(error),
        Progenitor::InvalidUpgrade(error) => Error::Transport(redact_error_url(error)),
        Progenitor::ErrorResponse(response) => Error::ErrorResponse(response),
        Progenitor::ResponseBodyError(error) => match head {
            Some((status, headers)) => Error::from_body(error, status, headers),
            None => Error::Transport(redact_error_url(error)),
        },
        Progenitor::InvalidResponsePayload(body, source) => {
            let (status, headers) = head.unwrap_or_default();
            Error::invalid_payload(status, headers, &body, source)
        }
        Progenitor::UnexpectedResponse(response) => unexpected(response).await,
    }
}

/// An answer with a status the operation does not declare:
/// [`Error::Redirect`] for a redirect that was not followed, otherwise
/// [`Error::UnexpectedResponse`] with an excerpt of the body. Only the
/// excerpt is read; dropping the rest closes the connection.
pub(crate) async fn unexpected<E>(mut response: reqwest::Response) -> Error<E> {
    let status = response.status();
    let headers = response.headers().clone();
    let redirect = matches!(status.as_u16(), 301 | 302 | 303 | 307 | 308);
    if let Some(location) = headers.get(LOCATION).filter(|_| redirect) {
        return Error::Redirect {
            location: String::from_utf8_lossy(location.as_bytes()).into_owned(),
            status,
            headers,
        };
    }
    // One byte more than the excerpt tells whether the body went on.
    let mut kept = Vec::new();
    while kept.len() <= BODY_EXCERPT_BYTES {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                let room = BODY_EXCERPT_BYTES + 1 - kept.len();
                kept.extend_from_slice(&chunk[..chunk.len().min(room)]);
            }
            Ok(None) => break,
            Err(error) => return Error::from_body(error, status, headers),
        }
    }
    let (body, truncated) = excerpt(&kept);
    Error::UnexpectedResponse {
        status,
        headers,
        body,
        truncated,
    }
}
