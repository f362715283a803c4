//! What a call can fail with.

use std::fmt;

use progenitor_client::ResponseValue;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::MissingCredentials;

/// An error from an operation; `E` is the operation's documented error body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error<E = ()> {
    /// The request could not be built: a required parameter is missing or a
    /// value failed the spec's constraints.
    InvalidRequest(String),
    /// The operation needs credentials the client was built without.
    MissingCredentials(MissingCredentials),
    /// No answer: connection, TLS or timeout failure.
    Communication(reqwest::Error),
    /// The API answered with an error status the spec documents; the body
    /// parsed into its documented type.
    ErrorResponse(ResponseValue<E>),
    /// The API answered with a status the spec does not declare.
    UnexpectedResponse {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The body, as text.
        body: String,
    },
    /// The API answered with a declared status, but the body does not match
    /// the spec.
    InvalidResponsePayload {
        /// The status.
        status: StatusCode,
        /// The response headers.
        headers: HeaderMap,
        /// The body, as text.
        body: String,
        /// Why it did not parse.
        source: serde_json::Error,
    },
}

impl<E> Error<E> {
    /// The response status, when the API answered.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Self::ErrorResponse(response) => Some(response.status()),
            Self::UnexpectedResponse { status, .. }
            | Self::InvalidResponsePayload { status, .. } => Some(*status),
            Self::Communication(error) => error.status(),
            Self::InvalidRequest(_) | Self::MissingCredentials(_) => None,
        }
    }
}

impl<E: fmt::Debug> fmt::Display for Error<E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::InvalidRequest(reason) => write!(f, "invalid request: {reason}"),
            Self::MissingCredentials(missing) => missing.fmt(f),
            Self::Communication(error) => write!(f, "could not reach the API: {error}"),
            Self::ErrorResponse(response) => write!(
                f,
                "the API answered {} with a documented error: {response:?}",
                response.status()
            ),
            Self::UnexpectedResponse { status, body, .. } => write!(
                f,
                "the API answered {status}, which the spec does not declare: {}",
                excerpt(body)
            ),
            Self::InvalidResponsePayload {
                status,
                body,
                source,
                ..
            } => write!(
                f,
                "the API answered {status} with a body that does not match the spec ({source}): {}",
                excerpt(body)
            ),
        }
    }
}

impl<E: fmt::Debug> std::error::Error for Error<E> {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Self::MissingCredentials(missing) => Some(missing),
            Self::Communication(error) => Some(error),
            Self::InvalidResponsePayload { source, .. } => Some(source),
            Self::InvalidRequest(_) | Self::ErrorResponse(_) | Self::UnexpectedResponse { .. } => {
                None
            }
        }
    }
}

impl<E> From<reqwest::Error> for Error<E> {
    fn from(error: reqwest::Error) -> Self {
        Self::Communication(error)
    }
}

impl<E> From<MissingCredentials> for Error<E> {
    fn from(missing: MissingCredentials) -> Self {
        Self::MissingCredentials(missing)
    }
}

impl<E> From<reqwest::header::InvalidHeaderValue> for Error<E> {
    fn from(error: reqwest::header::InvalidHeaderValue) -> Self {
        Self::InvalidRequest(format!(
            "a header parameter is not a valid header value: {error}"
        ))
    }
}

/// At most 512 characters of a body, for messages.
fn excerpt(body: &str) -> &str {
    match body.char_indices().nth(512) {
        Some((end, _)) => &body[..end],
        None => body,
    }
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
        };
        let message = error.to_string();
        assert!(
            message.starts_with(
                "the API answered 418 I'm a teapot, which the spec does not declare: "
            )
        );
        assert_eq!(message.matches('x').count(), 512);
        assert_eq!(error.status(), Some(StatusCode::IM_A_TEAPOT));
    }

    #[test]
    fn missing_credentials_have_no_status_and_are_the_source() {
        let error: Error = MissingCredentials {
            operation: "update_widget",
            needs: "bearerAuth",
        }
        .into();
        assert_eq!(error.status(), None);
        assert!(std::error::Error::source(&error).is_some());
        assert_eq!(
            error.to_string(),
            "operation `update_widget` needs credentials for bearerAuth; set them on the ClientBuilder"
        );
    }
}
