//! An answer's body in words, for error messages: an empty body, or one
//! that is not JSON at all (an HTML error page from a proxy, plain text), is
//! called what it is instead of "a body that does not match the spec",
//! which would send the reader looking for a spec mismatch.

use std::fmt;

use reqwest::header::{CONTENT_TYPE, HeaderMap};

/// What kind of body an answer that did not parse had.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BodyKind {
    /// No bytes, or only whitespace.
    Empty,
    /// Not JSON (or JSON cut short).
    NotJson,
    /// JSON, but not the shape the spec declares.
    Mismatch,
}

impl BodyKind {
    /// The kind of `body` (an excerpt, `truncated` if the body went on),
    /// given why the whole body did not parse.
    pub(crate) fn of(body: &str, truncated: bool, source: &serde_json::Error) -> Self {
        if body.trim().is_empty() && !truncated {
            return Self::Empty;
        }
        match source.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => Self::NotJson,
            serde_json::error::Category::Data | serde_json::error::Category::Io => Self::Mismatch,
        }
    }
}

/// ` (Content-Type: …)` when the answer said, for a body that is not JSON.
pub(crate) struct ContentType<'a>(pub(crate) &'a HeaderMap);

impl fmt::Display for ContentType<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()) {
            Some(value) => write!(f, " (Content-Type: {value})"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use reqwest::StatusCode;
    use reqwest::header::HeaderValue;

    use super::*;
    use crate::Error;

    fn invalid(body: &str, content_type: Option<&'static str>) -> String {
        let mut headers = HeaderMap::new();
        if let Some(value) = content_type {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(value));
        }
        let source = serde_json::from_str::<Vec<u8>>(body).expect_err("does not parse");
        Error::<()>::invalid_payload(
            StatusCode::SERVICE_UNAVAILABLE,
            headers,
            body.as_bytes(),
            source,
        )
        .to_string()
    }

    #[test]
    fn an_empty_body_is_called_empty() {
        assert_eq!(
            invalid("", None),
            "the API answered 503 Service Unavailable with an empty body, where the spec declares a JSON one"
        );
        assert_eq!(
            BodyKind::of(
                " \n",
                false,
                &serde_json::from_str::<u8>(" \n").expect_err("eof")
            ),
            BodyKind::Empty
        );
    }

    #[test]
    fn a_body_that_is_not_json_is_called_so_with_its_content_type() {
        assert_eq!(
            invalid("<html>Service Unavailable</html>", Some("text/html")),
            "the API answered 503 Service Unavailable with a body that is not JSON (Content-Type: text/html): <html>Service Unavailable</html>"
        );
        assert_eq!(
            invalid("upstream timed out", None),
            "the API answered 503 Service Unavailable with a body that is not JSON: upstream timed out"
        );
    }

    #[test]
    fn json_of_another_shape_does_not_match_the_spec() {
        assert_eq!(
            invalid("{\"error\":\"busy\"}", Some("application/json")),
            "the API answered 503 Service Unavailable with a body that does not match the spec: {\"error\":\"busy\"}"
        );
    }

    #[test]
    fn an_undeclared_status_with_an_empty_body_says_so() {
        let error = Error::<()>::UnexpectedResponse {
            status: StatusCode::SERVICE_UNAVAILABLE,
            headers: HeaderMap::new(),
            body: String::new(),
            truncated: false,
        };
        assert_eq!(
            error.to_string(),
            "the API answered 503 Service Unavailable, which the spec does not declare, with an empty body"
        );
    }
}
