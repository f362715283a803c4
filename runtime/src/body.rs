//! Response bodies read with a size limit, and typed errors when reading
//! them fails.

use std::pin::Pin;
use std::task::{Context, Poll, ready};

use bytes::Bytes;
use http_body::{Body, Frame, SizeHint};
use reqwest::ResponseBuilderExt as _;

/// Why a response body could not be read; [`execute`](crate::execute)'s
/// responses fail with it. reqwest wraps it in a `reqwest::Error`, whose
/// `source()` chain then contains it; [`call`](crate::call) finds it there
/// and reports [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge) or
/// [`Error::ResponseBody`](crate::Error::ResponseBody) with the status.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BodyError {
    /// The body is longer than the limit. Reading stopped at the limit (or
    /// before reading anything, when `Content-Length` announced more).
    #[error("the response body is larger than the limit of {limit} bytes")]
    TooLarge {
        /// The limit, in bytes.
        limit: u64,
        /// The announced length, when `Content-Length` was over the limit.
        content_length: Option<u64>,
    },
    /// The connection failed while the body was read: closed early, reset,
    /// timed out or not valid HTTP.
    #[error("the response body broke off after {received} bytes{}", expected_suffix(*.expected))]
    Broken {
        /// The bytes received before it broke off.
        received: u64,
        /// The announced length (`Content-Length`), if there was one.
        expected: Option<u64>,
        /// The transport's error.
        source: reqwest::Error,
    },
}

/// ` of N`, when the length was announced.
fn expected_suffix(expected: Option<u64>) -> String {
    expected.map_or_else(String::new, |expected| format!(" of {expected}"))
}

/// `response` with a body that fails with [`BodyError::TooLarge`] instead of
/// yielding more than `limit` bytes, and with [`BodyError::Broken`] when the
/// transport fails. A `Content-Length` over the limit fails the body at
/// once, without reading it. Status, headers, URL and extensions are kept.
pub(crate) fn limit(response: reqwest::Response, limit: u64) -> reqwest::Response {
    let url = response.url().clone();
    // hyper's length: `Content-Length`, except where the body is empty by
    // definition (a HEAD request, 204, 304).
    let announced = response.content_length();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    let state = match announced {
        Some(length) if length > limit => State::Failed(Some(BodyError::TooLarge {
            limit,
            content_length: Some(length),
        })),
        _ => State::Reading(body),
    };
    // Carry the URL over: reqwest keeps it in an extension only it can name.
    // (A builder given only an extension cannot fail.)
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    let limited = LimitedBody {
        state,
        limit,
        received: 0,
        expected: announced,
    };
    reqwest::Response::from(http::Response::from_parts(
        parts,
        reqwest::Body::wrap(limited),
    ))
}

/// [`limit`], and the body read whole at once, for a retry policy that
/// must know whether it breaks off before handing the answer on. Returns
/// the response with its body replayed (the bytes, or the [`BodyError`]
/// reading failed with, exactly as [`limit`]'s body would have failed), and
/// whether reading failed in a way another attempt may not repeat
/// (anything but [`BodyError::TooLarge`]).
pub(crate) async fn limit_and_read(
    response: reqwest::Response,
    limit: u64,
) -> (reqwest::Response, bool) {
    let url = response.url().clone();
    let announced = response.content_length();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    if let Ok(carrier) = http::Response::builder().url(url).body(()) {
        parts.extensions.extend(carrier.into_parts().0.extensions);
    }
    let mut limited = LimitedBody {
        state: match announced {
            Some(length) if length > limit => State::Failed(Some(BodyError::TooLarge {
                limit,
                content_length: Some(length),
            })),
            _ => State::Reading(body),
        },
        limit,
        received: 0,
        expected: announced,
    };
    // Most answers come in one frame: keep it without copying.
    let mut first = Bytes::new();
    let mut more: Option<bytes::BytesMut> = None;
    let (body, broken) = loop {
        match std::future::poll_fn(|cx| Pin::new(&mut limited).poll_frame(cx)).await {
            None => {
                let bytes = more.map_or(first, bytes::BytesMut::freeze);
                break (reqwest::Body::from(bytes), false);
            }
            Some(Ok(frame)) => {
                let Ok(data) = frame.into_data() else {
                    continue;
                };
                match &mut more {
                    Some(buffer) => buffer.extend_from_slice(&data),
                    None if first.is_empty() => first = data,
                    None => {
                        let mut buffer = bytes::BytesMut::from(&first[..]);
                        buffer.extend_from_slice(&data);
                        more = Some(buffer);
                    }
                }
            }
            Some(Err(error)) => {
                let broken = !matches!(error, BodyError::TooLarge { .. });
                limited.state = State::Failed(Some(error));
                break (reqwest::Body::wrap(limited), broken);
            }
        }
    };
    (
        reqwest::Response::from(http::Response::from_parts(parts, body)),
        broken,
    )
}

/// A body that counts what it yields and stops at the limit.
struct LimitedBody {
    state: State,
    limit: u64,
    received: u64,
    expected: Option<u64>,
}

/// Where a [`LimitedBody`] is.
enum State {
    /// Passing frames through.
    Reading(reqwest::Body),
    /// Failed: the error, until it has been yielded once; then the end.
    Failed(Option<BodyError>),
}

impl Body for LimitedBody {
    type Data = Bytes;
    type Error = BodyError;

    fn poll_frame(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, BodyError>>> {
        let this = &mut *self;
        let inner = match &mut this.state {
            State::Reading(inner) => inner,
            State::Failed(error) => return Poll::Ready(error.take().map(Err)),
        };
        let error = match ready!(Pin::new(inner).poll_frame(cx)) {
            None => return Poll::Ready(None),
            Some(Ok(frame)) => {
                let length = frame.data_ref().map_or(0, |data| data.len() as u64);
                this.received = this.received.saturating_add(length);
                if this.received <= this.limit {
                    return Poll::Ready(Some(Ok(frame)));
                }
                BodyError::TooLarge {
                    limit: this.limit,
                    content_length: None,
                }
            }
            Some(Err(source)) => BodyError::Broken {
                received: this.received,
                expected: this.expected,
                source,
            },
        };
        // Dropping the inner body closes the connection: nothing more is read.
        this.state = State::Failed(None);
        Poll::Ready(Some(Err(error)))
    }

    fn is_end_stream(&self) -> bool {
        match &self.state {
            State::Reading(inner) => inner.is_end_stream(),
            State::Failed(error) => error.is_none(),
        }
    }

    fn size_hint(&self) -> SizeHint {
        match &self.state {
            State::Reading(inner) => inner.size_hint(),
            State::Failed(_) => SizeHint::default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use std::collections::VecDeque;

    use super::*;

    /// A body of chunks, of unknown length, like a chunked answer.
    struct Chunks(VecDeque<&'static str>);

    impl Body for Chunks {
        type Data = Bytes;
        type Error = std::convert::Infallible;

        fn poll_frame(
            mut self: Pin<&mut Self>,
            _: &mut Context<'_>,
        ) -> Poll<Option<Result<Frame<Bytes>, Self::Error>>> {
            Poll::Ready(
                self.0
                    .pop_front()
                    .map(|chunk| Ok(Frame::data(Bytes::from(chunk)))),
            )
        }
    }

    fn response(body: reqwest::Body) -> reqwest::Response {
        let url = reqwest::Url::parse("http://127.0.0.1:1/x").expect("valid URL");
        reqwest::Response::from(
            http::Response::builder()
                .status(203)
                .url(url)
                .body(body)
                .expect("valid response"),
        )
    }

    fn chunked(chunks: &[&'static str]) -> reqwest::Response {
        response(reqwest::Body::wrap(Chunks(
            chunks.iter().copied().collect(),
        )))
    }

    fn body_error(error: &reqwest::Error) -> &BodyError {
        crate::error::find_source::<BodyError>(error).expect("a BodyError in the chain")
    }

    #[tokio::test]
    async fn bodies_within_the_limit_pass_and_keep_status_and_url() {
        let limited = limit(chunked(&["12", "345"]), 5);
        assert_eq!(limited.status().as_u16(), 203);
        assert_eq!(limited.url().as_str(), "http://127.0.0.1:1/x");
        assert_eq!(limited.bytes().await.expect("within the limit"), "12345");
    }

    #[tokio::test]
    async fn a_longer_body_fails_while_streaming() {
        let error = limit(chunked(&["123", "456", "789"]), 5)
            .bytes()
            .await
            .expect_err("over the limit");
        assert!(matches!(
            body_error(&error),
            BodyError::TooLarge {
                limit: 5,
                content_length: None
            }
        ));
    }

    #[tokio::test]
    async fn a_known_length_over_the_limit_fails_before_reading() {
        let limited = limit(response(reqwest::Body::from("123456")), 5);
        assert_eq!(limited.status().as_u16(), 203);
        let error = limited.bytes().await.expect_err("over the limit");
        assert!(matches!(
            body_error(&error),
            BodyError::TooLarge {
                limit: 5,
                content_length: Some(6)
            }
        ));
        assert_eq!(
            body_error(&error).to_string(),
            "the response body is larger than the limit of 5 bytes"
        );
    }
}
