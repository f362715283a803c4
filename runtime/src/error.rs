//! What a call can fail with, and how far the request got.

use std::fmt;
use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::answer_body::{BodyKind, ContentType};
use crate::body::BodyError;
use crate::redact::{redact_error_url, redact_url_str};
use crate::{MissingCredentials, RetryStop, TokenError};

/// The most bytes of a response body an [`Error`] keeps (and so its `Debug`
/// prints): enough to read a vendor's error page, bounded so that a huge
/// answer does not live on in logs and memory.
pub const BODY_EXCERPT_BYTES: usize = 4096;

/// How many characters of a kept body a `Display` message shows.
const MESSAGE_EXCERPT_CHARS: usize = 512;

/// An error from an operation; `E` is the operation's documented error body.
///
/// The variants say how far the request got (see [`Error::delivery`]), so
/// callers and retry logic can tell "nothing was sent" from "sent, but the
/// answer was lost" from "the API answered".
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = ()> {
    /// The request could not be built: a required parameter is missing, a
    /// value failed the spec's constraints, or the URL would address another
    /// resource. Nothing was sent.
    InvalidRequest(String),
    /// The operation needs credentials the client was built without.
    /// Nothing was sent.
    MissingCredentials(MissingCredentials),
    /// No access token could be had for the call: the token endpoint (or
    /// the caller's [`TokenProvider`](crate::TokenProvider)) refused or
    /// could not be reached. Nothing was sent to the API; the token
    /// endpoint's own status, if it answered, is in the [`TokenError`].
    Token(TokenError),
    /// The API could not be reached: DNS, TCP connect or TLS handshake
    /// failed. Nothing was sent, so retrying cannot apply the request twice.
    Unreachable(reqwest::Error),
    /// A timeout fired; [`TimeoutPhase`] says when, and so whether the
    /// request may have been applied.
    Timeout {
        /// When the timeout fired.
        phase: TimeoutPhase,
        /// The timeout as reqwest reports it.
        source: reqwest::Error,
    },
    /// The connection failed after the request was (perhaps partly) sent and
    /// before a complete status line and headers came back, or an upgrade
    /// failed. The API may have applied the request.
    Transport(reqwest::Error),
    /// The API answered with an error status the spec documents; the body
    /// parsed into its documented type.
    ErrorResponse(ResponseValue<E>),
    /// The API answered with a status the spec does not declare.
    UnexpectedResponse {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// At most [`BODY_EXCERPT_BYTES`] of the body, as text.
        body: String,
        /// Whether the body went on past `body`.
        truncated: bool,
    },
    /// The API answered with a declared status, but the body does not match
    /// the spec.
    InvalidResponsePayload {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// At most [`BODY_EXCERPT_BYTES`] of the body, as text.
        body: String,
        /// Whether the body went on past `body`.
        truncated: bool,
        /// Why it did not parse.
        source: serde_json::Error,
    },
    /// The API answered with a redirect the client does not follow: to
    /// another scheme, host or port (credentials and the body must not go
    /// there), or one that would change the method. See
    /// [`redirect_policy`](crate::redirect_policy).
    Redirect {
        /// The redirect status (301, 302, 303, 307 or 308).
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The `Location` header, as sent.
        location: String,
    },
    /// The API answered, but its body is larger than the client's limit
    /// ([`HttpSettings::max_response_bytes`](crate::HttpSettings::max_response_bytes)).
    /// It was not read further than the limit.
    ResponseTooLarge {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The limit, in bytes.
        limit: u64,
        /// The body's announced length, when `Content-Length` gave it away
        /// before anything was read.
        content_length: Option<u64>,
    },
    /// The API answered, but its body broke off (connection closed or reset
    /// before the announced length, or a protocol error). The API received
    /// the request; the status says what it made of it.
    ResponseBody {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// What went wrong; its source chain includes a
        /// [`BodyError`] with the bytes received.
        source: reqwest::Error,
    },
    /// The call made several attempts (see
    /// [`RetryPolicy`](crate::RetryPolicy)) and the last one failed with
    /// `last`. [`Error::status`] and [`Error::delivery`] answer for the
    /// whole call; [`Error::last_attempt`] gives the last attempt's error
    /// to match on.
    Retried {
        /// How many attempts were made.
        attempts: u32,
        /// From the start of the call to the end of the last attempt.
        elapsed: Duration,
        /// Why no further attempt was made.
        stop: RetryStop,
        /// Whether an attempt before the last may have been applied by the
        /// API (an idempotent request that got a 5xx or no answer).
        earlier_may_have_applied: bool,
        /// The last attempt's error.
        last: Box<Error<E>>,
    },
}

/// When a timeout fired, which decides whether the request may have been
/// applied.
#[derive(Clone, Debug)]
#[non_exhaustive]
pub enum TimeoutPhase {
    /// While connecting (`connect_timeout`): nothing was sent.
    Connect,
    /// While sending the request or waiting for the status line: the API
    /// may have received and applied the request.
    Response,
    /// While reading the body of an answer: the API received the request.
    Body {
        /// The status of the answer.
        status: StatusCode,
        /// The headers of the answer.
        headers: HeaderMap,
    },
}

/// How far a failed call got: what retry logic needs to know.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum Delivery {
    /// Nothing was sent: the request was refused before sending, or no
    /// connection could be made. Retrying cannot apply it twice.
    NotSent,
    /// The request may have reached the API, and may have been applied, but
    /// no answer came back. Retry only what is safe to repeat.
    MaybeSent,
    /// The API answered; its status says what it did with the request.
    Answered,
}

impl<E> Error<E> {
    /// The response status, when the API answered (the last attempt's, after
    /// retries).
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::Retried { last, .. } => last.status(),
            Self::ErrorResponse(response) => Some(response.status()),
            Self::UnexpectedResponse { status, .. }
            | Self::InvalidResponsePayload { status, .. }
            | Self::Redirect { status, .. }
            | Self::ResponseTooLarge { status, .. }
            | Self::ResponseBody { status, .. }
            | Self::Timeout {
                phase: TimeoutPhase::Body { status, .. },
                ..
            } => Some(*status),
            Self::InvalidRequest(_)
            | Self::MissingCredentials(_)
            | Self::Token(_)
            | Self::Unreachable(_)
            | Self::Transport(_)
            | Self::Timeout { .. } => None,
        }
    }

    /// How far the request got before the call failed. After retries: the
    /// last attempt's, except that a last attempt that sent nothing
    /// counts as [`Delivery::MaybeSent`] when an earlier one may have been
    /// applied.
    pub fn delivery(&self) -> Delivery {
        match self {
            Self::Retried {
                last,
                earlier_may_have_applied,
                ..
            } => match last.delivery() {
                Delivery::NotSent if *earlier_may_have_applied => Delivery::MaybeSent,
                delivery => delivery,
            },
            Self::InvalidRequest(_)
            | Self::MissingCredentials(_)
            | Self::Token(_)
            | Self::Unreachable(_)
            | Self::Timeout {
                phase: TimeoutPhase::Connect,
                ..
            } => Delivery::NotSent,
            Self::Timeout {
                phase: TimeoutPhase::Response,
                ..
            }
            | Self::Transport(_) => Delivery::MaybeSent,
            Self::Timeout {
                phase: TimeoutPhase::Body { .. },
                ..
            }
            | Self::ErrorResponse(_)
            | Self::UnexpectedResponse { .. }
            | Self::InvalidResponsePayload { .. }
            | Self::Redirect { .. }
            | Self::ResponseTooLarge { .. }
            | Self::ResponseBody { .. } => Delivery::Answered,
        }
    }

    /// How many attempts the call made: more than 1 only for
    /// [`Error::Retried`].
    pub fn attempts(&self) -> u32 {
        match self {
            Self::Retried { attempts, .. } => *attempts,
            _ => 1,
        }
    }

    /// The error of the call's last attempt: the `last` of
    /// [`Error::Retried`], otherwise the error itself. Match on this to
    /// handle, say, a documented error body whether or not the call was
    /// retried.
    pub fn last_attempt(&self) -> &Self {
        match self {
            Self::Retried { last, .. } => last.last_attempt(),
            _ => self,
        }
    }

    /// Owned [`Error::last_attempt`].
    pub fn into_last_attempt(self) -> Self {
        match self {
            Self::Retried { last, .. } => last.into_last_attempt(),
            other => other,
        }
    }

    /// The same error with the documented error body mapped by `f`: to
    /// handle the errors of operations with different error types as one
    /// type (say, `serde_json::Value`, or an enum of your own).
    pub fn map_body<F: fmt::Debug>(self, f: impl FnOnce(E) -> F) -> Error<F> {
        match self {
            Self::ErrorResponse(response) => {
                let status = response.status();
                let headers = response.headers().clone();
                Error::ErrorResponse(ResponseValue::new(
                    f(response.into_inner()),
                    status,
                    headers,
                ))
            }
            Self::Retried {
                attempts,
                elapsed,
                stop,
                earlier_may_have_applied,
                last,
            } => Error::Retried {
                attempts,
                elapsed,
                stop,
                earlier_may_have_applied,
                last: Box::new(last.map_body(f)),
            },
            Self::InvalidRequest(reason) => Error::InvalidRequest(reason),
            Self::MissingCredentials(missing) => Error::MissingCredentials(missing),
            Self::Token(error) => Error::Token(error),
            Self::Unreachable(source) => Error::Unreachable(source),
            Self::Timeout { phase, source } => Error::Timeout { phase, source },
            Self::Transport(source) => Error::Transport(source),
            Self::UnexpectedResponse {
                status,
                headers,
                body,
                truncated,
            } => Error::UnexpectedResponse {
                status,
                headers,
                body,
                truncated,
            },
            Self::InvalidResponsePayload {
                status,
                headers,
                body,
                truncated,
                source,
            } => Error::InvalidResponsePayload {
                status,
                headers,
                body,
                truncated,
                source,
            },
            Self::Redirect {
                status,
                headers,
                location,
            } => Error::Redirect {
                status,
                headers,
                location,
            },
            Self::ResponseTooLarge {
                status,
                headers,
                limit,
                content_length,
            } => Error::ResponseTooLarge {
                status,
                headers,
                limit,
                content_length,
            },
            Self::ResponseBody {
                status,
                headers,
                source,
            } => Error::ResponseBody {
                status,
                headers,
                source,
            },
        }
    }

    /// A word for the kind of error, for `tracing` events: unlike the
    /// message, it never holds a URL or part of a body.
    pub(crate) fn kind(&self) -> &'static str {
        match self.last_attempt() {
            Self::InvalidRequest(_) => "invalid_request",
            Self::MissingCredentials(_) => "missing_credentials",
            Self::Token(_) => "token",
            Self::Unreachable(_) => "unreachable",
            Self::Timeout { .. } => "timeout",
            Self::Transport(_) => "transport",
            Self::ErrorResponse(_) => "error_response",
            Self::UnexpectedResponse { .. } => "unexpected_response",
            Self::InvalidResponsePayload { .. } => "invalid_response_payload",
            Self::Redirect { .. } => "redirect",
            Self::ResponseTooLarge { .. } => "response_too_large",
            Self::ResponseBody { .. } => "response_body",
            Self::Retried { .. } => "retried",
        }
    }

    /// The error for a request that failed before any answer arrived:
    /// sorted into "never reached the API", timeout and "sent, then lost".
    pub(crate) fn from_send(error: reqwest::Error) -> Self {
        let error = redact_error_url(error);
        if error.is_builder() {
            Self::InvalidRequest(format!(
                "the request could not be built: {}",
                error_chain(&error)
            ))
        } else if error.is_timeout() {
            let phase = if error.is_connect() {
                TimeoutPhase::Connect
            } else {
                TimeoutPhase::Response
            };
            Self::Timeout {
                phase,
                source: error,
            }
        } else if error.is_connect() {
            Self::Unreachable(error)
        } else {
            Self::Transport(error)
        }
    }

    /// The error for a body that could not be read after the API answered
    /// `status` with `headers`.
    pub(crate) fn from_body(error: reqwest::Error, status: StatusCode, headers: HeaderMap) -> Self {
        let error = redact_error_url(error);
        if let Some(&BodyError::TooLarge {
            limit,
            content_length,
        }) = find_source::<BodyError>(&error)
        {
            Self::ResponseTooLarge {
                status,
                headers,
                limit,
                content_length,
            }
        } else if error.is_timeout() {
            Self::Timeout {
                phase: TimeoutPhase::Body { status, headers },
                source: error,
            }
        } else {
            Self::ResponseBody {
                status,
                headers,
                source: error,
            }
        }
    }

    /// [`Error::InvalidResponsePayload`] keeping an excerpt of `body`.
    pub(crate) fn invalid_payload(
        status: StatusCode,
        headers: HeaderMap,
        body: &[u8],
        source: serde_json::Error,
    ) -> Self {
        let (body, truncated) = excerpt(body);
        Self::InvalidResponsePayload {
            status,
            headers,
            body,
            truncated,
            source,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(reason) => write!(f, "invalid request: {reason}"),
            Self::MissingCredentials(missing) => missing.fmt(f),
            Self::Token(_) => {
                f.write_str("could not get an access token; nothing was sent to the API")
            }
            Self::Unreachable(_) => f.write_str("could not connect to the API; nothing was sent"),
            Self::Timeout { phase, .. } => match phase {
                TimeoutPhase::Connect => {
                    f.write_str("timed out connecting to the API; nothing was sent")
                }
                TimeoutPhase::Response => f.write_str(
                    "timed out waiting for the API to answer; it may have received and applied the request",
                ),
                TimeoutPhase::Body { status, .. } => write!(
                    f,
                    "the API answered {status}, but timed out before the whole body arrived"
                ),
            },
            Self::Transport(_) => f.write_str(
                "the connection failed before the API answered; it may have received and applied the request",
            ),
            Self::ErrorResponse(response) => write!(
                f,
                "the API answered {} with a documented error: {response:?}",
                response.status()
            ),
            Self::UnexpectedResponse {
                status,
                body,
                truncated: false,
                ..
            } if body.trim().is_empty() => write!(
                f,
                "the API answered {status}, which the spec does not declare, with an empty body"
            ),
            Self::UnexpectedResponse { status, body, .. } => write!(
                f,
                "the API answered {status}, which the spec does not declare: {}",
                message_excerpt(body)
            ),
            Self::InvalidResponsePayload {
                status,
                headers,
                body,
                truncated,
                source,
            } => match BodyKind::of(body, *truncated, source) {
                BodyKind::Empty => write!(
                    f,
                    "the API answered {status} with an empty body, where the spec declares a JSON one"
                ),
                BodyKind::NotJson => write!(
                    f,
                    "the API answered {status} with a body that is not JSON{}: {}",
                    ContentType(headers),
                    message_excerpt(body)
                ),
                BodyKind::Mismatch => write!(
                    f,
                    "the API answered {status} with a body that does not match the spec: {}",
                    message_excerpt(body)
                ),
            },
            Self::Redirect {
                status, location, ..
            } => write!(
                f,
                "the API answered {status}, redirecting to `{}`; not followed, so neither credentials nor the body went there",
                redact_url_str(location)
            ),
            Self::ResponseTooLarge {
                status,
                limit,
                content_length,
                ..
            } => {
                write!(
                    f,
                    "the API answered {status} with a body larger than the limit of {limit} bytes"
                )?;
                match content_length {
                    Some(length) => write!(f, " (Content-Length: {length})"),
                    None => Ok(()),
                }
            }
            Self::ResponseBody { status, .. } => write!(
                f,
                "the API answered {status}, but its body could not be read whole"
            ),
            Self::Retried {
                attempts,
                elapsed,
                stop,
                last,
                ..
            } => write!(
                f,
                "gave up after {attempts} attempts in {elapsed:.1?} ({}); the last: {last}",
                stop.describe()
            ),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // The message includes the last attempt's; its cause is next.
            Self::Retried { last, .. } => last.source(),
            Self::Unreachable(error) | Self::Transport(error) => Some(error),
            Self::Timeout { source, .. } | Self::ResponseBody { source, .. } => Some(source),
            Self::InvalidResponsePayload { source, .. } => Some(source),
            Self::Token(error) => Some(error),
            // `MissingCredentials` is shown as itself (transparent), so it is
            // not also its own cause.
            Self::InvalidRequest(_)
            | Self::MissingCredentials(_)
            | Self::ErrorResponse(_)
            | Self::UnexpectedResponse { .. }
            | Self::Redirect { .. }
            | Self::ResponseTooLarge { .. } => None,
        }
    }
}

impl<E> From<MissingCredentials> for Error<E> {
    fn from(missing: MissingCredentials) -> Self {
        Self::MissingCredentials(missing)
    }
}

impl<E> From<TokenError> for Error<E> {
    fn from(error: TokenError) -> Self {
        Self::Token(error)
    }
}

impl<E> From<reqwest::header::InvalidHeaderValue> for Error<E> {
    fn from(error: reqwest::header::InvalidHeaderValue) -> Self {
        Self::InvalidRequest(format!(
            "a header parameter is not a valid header value: {error}"
        ))
    }
}

/// At most [`BODY_EXCERPT_BYTES`] of `body` as text (cut at a character
/// boundary, invalid UTF-8 replaced), and whether anything was cut.
pub(crate) fn excerpt(body: &[u8]) -> (String, bool) {
    if body.len() <= BODY_EXCERPT_BYTES {
        return (String::from_utf8_lossy(body).into_owned(), false);
    }
    let mut head = &body[..BODY_EXCERPT_BYTES];
    // Drop a character the cut split in two, rather than show U+FFFD for it.
    if let Err(error) = std::str::from_utf8(head)
        && error.error_len().is_none()
    {
        head = &head[..error.valid_up_to()];
    }
    (String::from_utf8_lossy(head).into_owned(), true)
}

/// At most [`MESSAGE_EXCERPT_CHARS`] characters of a body, for messages.
fn message_excerpt(body: &str) -> &str {
    match body.char_indices().nth(MESSAGE_EXCERPT_CHARS) {
        Some((end, _)) => &body[..end],
        None => body,
    }
}

/// The first `T` in `error`'s source chain (itself included).
pub(crate) fn find_source<'a, T: std::error::Error + 'static>(
    error: &'a (dyn std::error::Error + 'static),
) -> Option<&'a T> {
    let mut next = Some(error);
    while let Some(current) = next {
        if let Some(found) = current.downcast_ref::<T>() {
            return Some(found);
        }
        next = current.source();
    }
    None
}

/// `error` and its sources, joined with `: `, for a one-line reason.
fn error_chain(error: &(dyn std::error::Error + 'static)) -> String {
    let mut text = error.to_string();
    let mut next = error.source();
    while let Some(source) = next {
        text.push_str(": ");
        text.push_str(&source.to_string());
        next = source.source();
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_keep_status_and_cut_long_bodies() {
        let body = "x".repeat(2000);
        let error: Error = Error::UnexpectedResponse {
            status: StatusCode::IM_A_TEAPOT,
            headers: HeaderMap::new(),
            body,
            truncated: false,
        };
        let message = error.to_string();
        assert!(
            message.starts_with(
                "the API answered 418 I'm a teapot, which the spec does not declare: "
            )
        );
        assert_eq!(message.matches('x').count(), 512);
        assert_eq!(error.status(), Some(StatusCode::IM_A_TEAPOT));
        assert_eq!(error.delivery(), Delivery::Answered);
    }

    #[test]
    fn map_body_maps_the_documented_body_also_after_retries() {
        let mut headers = HeaderMap::new();
        headers.insert("x-request-id", "abc".parse().expect("a header value"));
        let last: Error<u32> =
            Error::ErrorResponse(ResponseValue::new(7, StatusCode::CONFLICT, headers));
        let error = Error::Retried {
            attempts: 2,
            elapsed: Duration::from_millis(5),
            stop: RetryStop::NotRetryable,
            earlier_may_have_applied: true,
            last: Box::new(last),
        };

        let mapped = error.map_body(|code| format!("code {code}"));

        assert_eq!(mapped.attempts(), 2);
        assert_eq!(mapped.delivery(), Delivery::Answered);
        let Error::ErrorResponse(response) = mapped.into_last_attempt() else {
            panic!("the last attempt stays an ErrorResponse");
        };
        assert_eq!(response.status(), StatusCode::CONFLICT);
        assert_eq!(response.headers()["x-request-id"], "abc");
        assert_eq!(response.into_inner(), "code 7");

        let unexpected: Error<u32> = Error::UnexpectedResponse {
            status: StatusCode::IM_A_TEAPOT,
            headers: HeaderMap::new(),
            body: "tea".into(),
            truncated: false,
        };
        let mapped = unexpected.map_body(|code| code.to_string());
        assert!(matches!(mapped, Error::UnexpectedResponse { ref body, .. } if body == "tea"));
    }

    #[test]
    fn missing_credentials_have_no_status_and_print_as_themselves() {
        let error: Error = MissingCredentials {
            operation: "update_widget",
            needs: "bearerAuth",
        }
        .into();
        assert_eq!(error.status(), None);
        assert_eq!(error.delivery(), Delivery::NotSent);
        assert!(std::error::Error::source(&error).is_none());
        assert_eq!(
            error.to_string(),
            "operation `update_widget` needs credentials for bearerAuth; set them on the ClientBuilder"
        );
    }

    #[test]
    fn excerpts_are_bounded_and_cut_between_characters() {
        assert_eq!(excerpt(b"short"), ("short".to_string(), false));
        let exact = vec![b'a'; BODY_EXCERPT_BYTES];
        assert_eq!(excerpt(&exact), ("a".repeat(BODY_EXCERPT_BYTES), false));

        // A three-byte character straddling the cut is left out whole.
        let mut long = vec![b'a'; BODY_EXCERPT_BYTES - 1];
        long.extend_from_slice("€".as_bytes());
        long.extend_from_slice(&[b'b'; 100]);
        let (text, truncated) = excerpt(&long);
        assert!(truncated);
        assert_eq!(text, "a".repeat(BODY_EXCERPT_BYTES - 1));

        let (text, truncated) = excerpt(&vec![0xff; 10 * BODY_EXCERPT_BYTES]);
        assert!(truncated);
        assert_eq!(text.chars().count(), BODY_EXCERPT_BYTES);
    }

    #[test]
    fn invalid_payloads_keep_an_excerpt_and_their_source() {
        let body = format!("[{}", "1,".repeat(BODY_EXCERPT_BYTES));
        let source = serde_json::from_str::<u8>(&body).expect_err("not a u8");
        let error: Error = Error::invalid_payload(
            StatusCode::CREATED,
            HeaderMap::new(),
            body.as_bytes(),
            source,
        );
        let Error::InvalidResponsePayload {
            body: kept,
            truncated,
            ..
        } = &error
        else {
            panic!("expected InvalidResponsePayload, got {error:?}");
        };
        assert!(*truncated);
        assert_eq!(kept.len(), BODY_EXCERPT_BYTES);
        assert!(format!("{error:?}").len() < 2 * BODY_EXCERPT_BYTES);
        assert!(std::error::Error::source(&error).is_some());
        assert!(error.to_string().starts_with(
            "the API answered 201 Created with a body that does not match the spec: [1,1,"
        ));
    }
}
