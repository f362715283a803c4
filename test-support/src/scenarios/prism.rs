//! The request checked by a reader of the spec nobody here wrote: Stoplight
//! Prism, mocking the spec as published (`prism mock <spec>`, started by
//! `cargo xtask prism`), validates method, path, query, headers, security
//! and body against it.
//!
//! The scenarios' own checks compare the client with the generator's
//! reading of the spec, the reading the client is made from, so a misread
//! spec passes them. Prism reads the original spec itself. With
//! `PRISM_URL` set (Prism's base URL, for this crate's spec),
//! [`sends_the_spec_request`](super::sends_the_spec_request) sends the same
//! request again through the client under test, to Prism, and fails when
//! Prism refuses it.
//!
//! Prism's verdict on the request is all that decides: the request entries
//! of its `sl-violations` header with severity `Error`, or a Prism problem
//! (`application/problem+json`) saying that no path or method matched, or
//! that the request is invalid, unauthorised or of the wrong content type.
//! What Prism answers a valid request with is its own mock, which has known
//! faults (`null` for some `allOf` objects, say): where that answer breaks
//! the spec (its response violations, or the client cannot read it), it is
//! a note, never a failure, and the client is not loosened for it.
//!
//! With `PRISM_REPORT` set, each verdict is also appended to that file as
//! one JSON line (`{"operation", "passed", "violations", "notes"}`), which
//! `cargo xtask prism` counts per crate.

use std::io::Write;

use client_runtime::{Error, RetryPolicy};
use reqwest::header::{CONTENT_TYPE, HeaderMap};
use serde::Deserialize;
use serde_json::{Value, json};

use super::spec::{Api, Operation};
use super::{Answered, Request, Target};

/// Prism's base URL for the spec of the crate under test.
const URL_VARIABLE: &str = "PRISM_URL";

/// The file verdicts are appended to.
const REPORT_VARIABLE: &str = "PRISM_REPORT";

/// The header in which Prism lists what breaks the spec.
const VIOLATIONS_HEADER: &str = "sl-violations";

/// How Prism's problem types begin.
const PROBLEM_TYPE_PREFIX: &str = "https://stoplight.io/prism/errors#";

/// Prism's problems that are its verdict on the request (its router found
/// no operation for it, or its validation refused it), as opposed to the
/// ones about its own answer (no response defined, a schema too complex, a
/// representation it cannot make for the `Accept` header).
const REQUEST_REFUSED: [&str; 8] = [
    "NO_PATH_MATCHED_ERROR",
    "NO_METHOD_MATCHED_ERROR",
    "NO_SERVER_MATCHED_ERROR",
    "NO_BASE_URL_ERROR",
    "NO_RESOURCE_PROVIDED_ERROR",
    "UNPROCESSABLE_ENTITY",
    "UNAUTHORIZED",
    "INVALID_CONTENT_TYPE",
];

/// Prism's base URL when the wire check is on.
pub(super) fn url() -> Option<String> {
    std::env::var(URL_VARIABLE)
        .ok()
        .filter(|url| !url.is_empty())
}

/// Sends `request` through a client whose base URL is Prism's `url`
/// (Prism serves the spec's paths at its root), records the verdict and
/// fails when Prism refused the request.
pub(super) async fn request_passes<T: Target>(
    api: &Api,
    operation: &Operation,
    request: &Request,
    url: String,
) {
    let client = super::run::client::<T>(api, operation, url, RetryPolicy::disabled());
    let result = T::call(&client, operation.id, request).await;
    let verdict = Verdict::of(&result);
    verdict.record(operation);
    assert!(
        verdict.violations.is_empty(),
        "{}: Prism refuses the request to {} {} ({}): {}",
        operation.id,
        operation.method,
        operation.path,
        api.spec,
        verdict.violations.join("; ")
    );
}

/// What Prism made of one request.
#[derive(Debug, Default, PartialEq)]
struct Verdict {
    /// Why Prism refused the request; empty when it passed.
    violations: Vec<String>,
    /// What is wrong with Prism's answer, which decides nothing.
    notes: Vec<String>,
}

/// One entry of Prism's `sl-violations` header.
#[derive(Debug, Deserialize)]
struct Violation {
    location: Vec<String>,
    severity: String,
    message: String,
}

impl Verdict {
    /// The verdict read from the client's result of a call to Prism.
    fn of(result: &Result<Answered, Error<Value>>) -> Self {
        let mut verdict = Self::default();
        let (status, headers, body) = match result {
            Ok(answered) => (answered.status, &answered.headers, None),
            Err(error) => match answer_of(error.last_attempt()) {
                Some(answer) => answer,
                None => {
                    verdict
                        .violations
                        .push(format!("no answer from Prism: {error}"));
                    return verdict;
                }
            },
        };
        verdict.read_violations(headers);
        if let Some(body) = body {
            verdict.read_problem(headers, &body);
        }
        if verdict.violations.is_empty()
            && let Err(error) = result
        {
            verdict
                .notes
                .extend(unreadable(status, error.last_attempt()));
        }
        verdict
    }

    /// The entries of the `sl-violations` header: request errors refuse
    /// the request, the rest are notes.
    fn read_violations(&mut self, headers: &HeaderMap) {
        let Some(value) = headers.get(VIOLATIONS_HEADER) else {
            return;
        };
        let text = String::from_utf8_lossy(value.as_bytes());
        // Prism cuts a long list short and says so in front of it.
        let Ok(violations) = serde_json::from_str::<Vec<Violation>>(&text) else {
            self.violations.push(format!("Prism reports: {text}"));
            return;
        };
        for violation in violations {
            let place = violation.location.join(".");
            let line = format!("{place}: {}", violation.message);
            let on_request = violation.location.first().is_some_and(|at| at == "request");
            if on_request && violation.severity == "Error" {
                self.violations.push(line);
            } else if on_request {
                self.notes
                    .push(format!("Prism warns ({}): {line}", violation.severity));
            } else {
                self.notes
                    .push(format!("Prism's answer breaks the spec: {line}"));
            }
        }
    }

    /// A Prism problem (`application/problem+json`): a refusal of the
    /// request, or a note about Prism's own answer.
    fn read_problem(&mut self, headers: &HeaderMap, body: &[u8]) {
        let is_problem = headers
            .get(CONTENT_TYPE)
            .and_then(|value| value.to_str().ok())
            .is_some_and(|value| value.starts_with("application/problem+json"));
        let Some(problem) = is_problem
            .then(|| serde_json::from_slice::<Value>(body).ok())
            .flatten()
        else {
            return;
        };
        let Some(kind) = problem
            .get("type")
            .and_then(Value::as_str)
            .and_then(|kind| kind.strip_prefix(PROBLEM_TYPE_PREFIX))
        else {
            return;
        };
        let detail = [
            problem.get("title"),
            problem.get("detail"),
            problem.get("validation"),
        ]
        .into_iter()
        .flatten()
        .map(|part| {
            part.as_str()
                .map_or_else(|| part.to_string(), str::to_string)
        })
        .collect::<Vec<_>>()
        .join(" ");
        let line = format!("{kind}: {detail}");
        if REQUEST_REFUSED.contains(&kind) {
            self.violations.push(line);
        } else {
            self.notes.push(format!("Prism could not answer: {line}"));
        }
    }

    /// Appends the verdict to the report file, when one is asked for.
    fn record(&self, operation: &Operation) {
        let Some(path) = std::env::var_os(REPORT_VARIABLE) else {
            return;
        };
        let line = json!({
            "operation": operation.id,
            "passed": self.violations.is_empty(),
            "violations": self.violations,
            "notes": self.notes,
        });
        // One write per line: the tests of a crate run in parallel, and
        // appends of one short write do not interleave.
        let written = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&path)
            .and_then(|mut file| file.write_all(format!("{line}\n").as_bytes()));
        if let Err(error) = written {
            panic!("cannot append to {}: {error}", path.display());
        }
    }
}

/// Why the client could not read Prism's answer to a valid request (its
/// error says it without the body, which the note need not repeat).
fn unreadable(status: u16, error: &Error<Value>) -> Option<String> {
    let why = match error {
        Error::ErrorResponse(_) => return None,
        Error::InvalidResponsePayload { source, .. } => {
            format!("its body does not fit the spec's schema ({source})")
        }
        Error::UnexpectedResponse { .. } => "the operation does not document it".to_string(),
        other => other.to_string(),
    };
    Some(format!(
        "Prism answered {status}, which the client cannot read: {why}"
    ))
}

/// The status, headers and, when kept, body of the answer an error
/// carries; `None` when nothing was answered.
fn answer_of(error: &Error<Value>) -> Option<(u16, &HeaderMap, Option<Vec<u8>>)> {
    match error {
        Error::ErrorResponse(response) => Some((
            response.status().as_u16(),
            response.headers(),
            Some(serde_json::to_vec(&**response).unwrap_or_default()),
        )),
        Error::UnexpectedResponse {
            status,
            headers,
            body,
            ..
        }
        | Error::InvalidResponsePayload {
            status,
            headers,
            body,
            ..
        } => Some((status.as_u16(), headers, Some(body.as_bytes().to_vec()))),
        Error::Redirect {
            status, headers, ..
        }
        | Error::ResponseTooLarge {
            status, headers, ..
        }
        | Error::ResponseBody {
            status, headers, ..
        } => Some((status.as_u16(), headers, None)),
        _ => None,
    }
}

#[cfg(test)]
#[expect(
    clippy::result_large_err,
    reason = "the clients' own error type, as `Target::call` returns it"
)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    fn answered(headers: HeaderMap) -> Result<Answered, Error<Value>> {
        Ok(Answered {
            status: 200,
            headers,
            body: Value::Null,
        })
    }

    fn unexpected(status: u16, content_type: &str, body: &str) -> Result<Answered, Error<Value>> {
        let mut headers = HeaderMap::new();
        headers.insert(CONTENT_TYPE, HeaderValue::from_str(content_type).unwrap());
        Err(Error::UnexpectedResponse {
            status: reqwest::StatusCode::from_u16(status).unwrap(),
            headers,
            body: body.to_string(),
            truncated: false,
        })
    }

    fn with_violations(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(VIOLATIONS_HEADER, HeaderValue::from_str(value).unwrap());
        headers
    }

    #[test]
    fn a_clean_answer_passes() {
        assert_eq!(Verdict::of(&answered(HeaderMap::new())), Verdict::default());
    }

    #[test]
    fn request_errors_refuse_and_answer_faults_are_notes() {
        let headers = with_violations(
            r#"[{"location":["request","query","ids"],"severity":"Error","code":"type","message":"must be array"},
                {"location":["response","body"],"severity":"Error","code":"type","message":"must be object"},
                {"location":["request","header"],"severity":"Warning","code":"x","message":"deprecated"}]"#
                .replace('\n', "")
                .as_str(),
        );
        let verdict = Verdict::of(&answered(headers));
        assert_eq!(verdict.violations, ["request.query.ids: must be array"]);
        assert_eq!(
            verdict.notes,
            [
                "Prism's answer breaks the spec: response.body: must be object",
                "Prism warns (Warning): request.header: deprecated",
            ]
        );
    }

    #[test]
    fn a_list_cut_short_refuses() {
        let verdict = Verdict::of(&answered(with_violations("Too many violations! [{")));
        assert_eq!(
            verdict.violations,
            ["Prism reports: Too many violations! [{"]
        );
    }

    #[test]
    fn routing_and_validation_problems_refuse() {
        let body = r#"{"type":"https://stoplight.io/prism/errors#NO_PATH_MATCHED_ERROR","title":"Route not resolved, no path matched","status":404,"detail":"The route /v2/x hasn't been found"}"#;
        let verdict = Verdict::of(&unexpected(404, "application/problem+json", body));
        assert_eq!(
            verdict.violations,
            [
                "NO_PATH_MATCHED_ERROR: Route not resolved, no path matched The route /v2/x hasn't been found"
            ]
        );
        assert!(verdict.notes.is_empty());
    }

    #[test]
    fn problems_of_prisms_own_answer_are_notes() {
        let body = r#"{"type":"https://stoplight.io/prism/errors#NO_RESPONSE_RESPONSE_DEFINED","title":"No response defined","status":500}"#;
        let verdict = Verdict::of(&unexpected(500, "application/problem+json", body));
        assert!(verdict.violations.is_empty());
        assert_eq!(verdict.notes.len(), 2, "{:?}", verdict.notes);
        assert!(
            verdict.notes[0].starts_with("Prism could not answer: NO_RESPONSE_RESPONSE_DEFINED")
        );
    }

    #[test]
    fn an_answer_the_client_cannot_read_is_a_note() {
        let verdict = Verdict::of(&unexpected(299, "application/json", "null"));
        assert!(verdict.violations.is_empty());
        assert_eq!(
            verdict.notes,
            [
                "Prism answered 299, which the client cannot read: the operation does not document it"
            ]
        );
    }

    #[test]
    fn no_answer_refuses() {
        let refused = Err(Error::InvalidRequest("the path is `..`".into()));
        let verdict = Verdict::of(&refused);
        assert_eq!(verdict.violations.len(), 1);
    }
}
