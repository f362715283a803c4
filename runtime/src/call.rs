//! One call's boundary: the generated `ClientHooks` send through
//! [`execute`], and `send` wraps progenitor's future in [`call`], which turns
//! every `progenitor_client::Error` into an [`Error`] that says how far the
//! request got and keeps the answer's status and headers.
//!
//! progenitor reports some failures without the status and headers of the
//! answer (a body that does not parse, a body that broke off), so
//! [`execute`] records them in a per-call context that [`call`] reads. The
//! context is a `tokio` task-local scoped to the future [`call`] runs: two
//! calls joined in one task each have their own.

use std::cell::Cell;
use std::future::Future;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::{HeaderMap, LOCATION};

use crate::error::{BODY_EXCERPT_BYTES, excerpt};
use crate::redact::redact_error_url;
use crate::{Error, MissingCredentials, body};

tokio::task_local! {
    /// What the running [`call`] has learnt so far.
    static CALL: CallContext;
}

/// What [`execute`] and the hooks record for the [`call`] they run in.
/// `Cell`s, so recording never borrows and never panics.
#[derive(Default)]
struct CallContext {
    /// The status and headers of the answer, once one arrived.
    head: Cell<Option<(StatusCode, HeaderMap)>>,
    /// Set by [`missing_credentials`], which can only hand progenitor a
    /// string.
    missing: Cell<Option<MissingCredentials>>,
}

/// Sends `request` with `client`, for the generated `ClientHooks::exec`.
///
/// The response's body fails with a [`BodyError`](crate::BodyError) instead
/// of yielding more than `max_response_bytes` (at once, without reading,
/// when `Content-Length` announces more), and when the transport fails
/// while it is read; memory stays near the limit however large the answer.
/// The status and headers are recorded for the [`call`] this runs in.
pub async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
    max_response_bytes: u64,
) -> reqwest::Result<reqwest::Response> {
    let response = client.execute(request).await?;
    // Outside a `call` there is nothing to record into, and nothing to read it.
    let _ = CALL.try_with(|call| {
        call.head
            .set(Some((response.status(), response.headers().clone())))
    });
    Ok(body::limit(response, max_response_bytes))
}

/// Runs one operation's progenitor future (generated `send` is
/// `client_runtime::call(self.send_progenitor()).await`) and converts its
/// error:
///
/// | progenitor | [`Error`] |
/// |---|---|
/// | `InvalidRequest` | [`Error::InvalidRequest`] |
/// | `Custom` from [`missing_credentials`] | [`Error::MissingCredentials`]; any other `Custom` is [`Error::InvalidRequest`] |
/// | `CommunicationError` | [`Error::Unreachable`] (connect, DNS, TLS), [`Error::Timeout`] or [`Error::Transport`]; a request reqwest could not build is [`Error::InvalidRequest`] |
/// | `ErrorResponse` | [`Error::ErrorResponse`] |
/// | `ResponseBodyError` | [`Error::ResponseTooLarge`], [`Error::Timeout`] or [`Error::ResponseBody`], with status and headers |
/// | `InvalidResponsePayload` | [`Error::InvalidResponsePayload`] with status, headers and an excerpt of the body |
/// | `UnexpectedResponse` | [`Error::Redirect`] for a 301, 302, 303, 307 or 308 with `Location`; otherwise [`Error::UnexpectedResponse`], reading at most an excerpt of the body |
/// | `InvalidUpgrade` | [`Error::Transport`] |
///
/// The status and headers of the first two body errors come from
/// [`execute`]: a client whose `exec` hook does not use it gets
/// [`Error::Transport`] for a body that broke off, and `200 OK` without
/// headers for a body that does not parse.
pub async fn call<T, E>(
    future: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
) -> Result<ResponseValue<T>, Error<E>> {
    let (result, head, missing) = CALL
        .scope(CallContext::default(), async {
            let result = future.await;
            let (head, missing) = CALL
                .try_with(|call| (call.head.take(), call.missing.take()))
                .unwrap_or_default();
            (result, head, missing)
        })
        .await;
    match result {
        Ok(value) => Ok(value),
        Err(error) => Err(convert(error, head, missing).await),
    }
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

/// [`call`]'s conversion, with what the call recorded.
async fn convert<E>(
    error: progenitor_client::Error<E>,
    head: Option<(StatusCode, HeaderMap)>,
    missing: Option<MissingCredentials>,
) -> Error<E> {
    use progenitor_client::Error as Progenitor;
    match error {
        Progenitor::InvalidRequest(reason) => Error::InvalidRequest(reason),
        Progenitor::Custom(reason) => {
            missing.map_or(Error::InvalidRequest(reason), Error::MissingCredentials)
        }
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
