//! What the generated clients' tests share.
//!
//! The clients in `clients/*` are generated from different specs, but they
//! share one runtime (`client-runtime`): the same [`Error`] type, the same
//! standard headers, retries and redaction of credentials. So their tests
//! share one harness:
//!
//! - [`scenarios`]: the behaviours every client must have, fed by its spec.
//!   Each client's generated `tests/scenarios.rs` states the spec's facts
//!   and drives the client through them, with [`client_parts!`] and
//!   [`scenario_tests!`]; a stricter check here reaches every client at
//!   once.
//! - [`round_trip`]: the generated `spec_examples` tests (every example
//!   parses into its type and serialises back to the same JSON).
//! - The assertions and mock servers below, for the hand-written tests of
//!   what only one vendor has (a nullable field, a region, a gateway
//!   header). Each panics with a message that names what failed.
//!
//! The crate re-exports [`wiremock`], so a client's hand-written tests need
//! no dev-dependency the generator would have to know.

pub mod scenarios;

use std::fmt::Debug;

use client_runtime::Error;
use serde_json::Value;
pub use wiremock;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// A mock server that answers every request with `response`.
pub async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A mock server that must receive no request at all: when it is dropped,
/// wiremock fails the test if anything reached it.
pub async fn server_expecting_no_requests() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200))
        .named("a server that expects no requests")
        .expect(0)
        .mount(&server)
        .await;
    server
}

/// A response with `status` and `body` sent as is (it may be invalid JSON)
/// under the given `Content-Type`.
pub fn raw_body(status: u16, content_type: &str, body: &str) -> ResponseTemplate {
    ResponseTemplate::new(status).set_body_raw(body.as_bytes().to_vec(), content_type)
}

/// Every request `server` received, in order.
pub async fn received(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("wiremock records requests (recording is on by default)")
}

/// Asserts that `server` received no request.
pub async fn assert_no_requests(server: &MockServer) {
    let requests = received(server).await;
    assert!(
        requests.is_empty(),
        "no request may be sent, but the server received {}: {requests:?}",
        requests.len()
    );
}

/// The one request `server` received; panics if it received none or more.
pub async fn single_request(server: &MockServer) -> Request {
    let mut requests = received(server).await;
    assert_eq!(
        requests.len(),
        1,
        "exactly one request reaches the server, got {requests:?}"
    );
    requests.remove(0)
}

/// The JSON body of every request `server` received, in order.
pub async fn received_json(server: &MockServer) -> Vec<Value> {
    received(server).await.iter().map(json_body).collect()
}

/// The JSON body of the one request `server` received.
pub async fn single_json(server: &MockServer) -> Value {
    json_body(&single_request(server).await)
}

/// The body of `request`, parsed as JSON.
fn json_body(request: &Request) -> Value {
    request.body_json().unwrap_or_else(|error| {
        panic!(
            "the body of {} {} is not JSON ({error}): {:?}",
            request.method,
            request.url,
            String::from_utf8_lossy(&request.body)
        )
    })
}

/// All values of header `name` in `request`, as text.
pub fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| {
            value
                .to_str()
                .unwrap_or_else(|_| panic!("header {name} is not ASCII: {value:?}"))
                .to_owned()
        })
        .collect()
}

/// Asserts that `error` is [`Error::ErrorResponse`] with `status` (a status
/// the spec documents, whose body parsed), and returns the parsed body.
pub fn assert_error_response<E: Debug>(error: Error<E>, status: u16) -> E {
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(status),
        "status of {error:?}"
    );
    let Error::ErrorResponse(response) = error else {
        panic!("{status} is documented, so it becomes ErrorResponse, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), status, "ErrorResponse status");
    response.into_inner()
}

/// Asserts that `error` is [`Error::UnexpectedResponse`] (a status the spec
/// does not declare) with `status` and the raw `body`.
pub(crate) fn assert_unexpected_response<E: Debug>(error: Error<E>, status: u16, body: &str) {
    assert_kept_answer(error, "UnexpectedResponse", status, body);
}

/// Asserts that `error` is [`Error::InvalidResponsePayload`] (a declared
/// status whose body does not match the spec) with `status` and the raw `body`.
pub fn assert_invalid_payload<E: Debug>(error: Error<E>, status: u16, body: &str) {
    assert_kept_answer(error, "InvalidResponsePayload", status, body);
}

/// Asserts that `error` is the `variant` that keeps an answer as it came,
/// with `status` (also as [`Error::status`]) and the raw `body`.
fn assert_kept_answer<E: Debug>(error: Error<E>, variant: &str, status: u16, body: &str) {
    let kept = match (&error, variant) {
        (Error::UnexpectedResponse { status, body, .. }, "UnexpectedResponse")
        | (Error::InvalidResponsePayload { status, body, .. }, "InvalidResponsePayload") => {
            Some((status, body))
        }
        _ => None,
    };
    let Some((kept_status, kept_body)) = kept else {
        panic!("a {status} answer becomes {variant}, got {error:?}");
    };
    assert_eq!(
        error.status().map(|s| s.as_u16()),
        Some(status),
        "Error::status() of {error:?}"
    );
    assert_eq!(kept_status.as_u16(), status, "the status kept in {error:?}");
    assert_eq!(kept_body, body, "the raw body kept in {error:?}");
}

/// Asserts that `error` is [`Error::MissingCredentials`] for `operation`,
/// naming the security scheme(s) it `needs`, with no status (nothing was sent).
pub(crate) fn assert_missing_credentials<E: Debug>(error: Error<E>, operation: &str, needs: &str) {
    assert_eq!(
        error.status(),
        None,
        "no status without a request: {error:?}"
    );
    let Error::MissingCredentials(missing) = error else {
        panic!("no credentials gives MissingCredentials, got {error:?}");
    };
    assert_eq!(missing.operation, operation, "MissingCredentials operation");
    assert_eq!(missing.needs, needs, "MissingCredentials needs");
}

/// Asserts that `error` is [`Error::InvalidRequest`] (`what` names the case)
/// and returns its reason.
pub fn assert_invalid_request<E: Debug>(error: Error<E>, what: &str) -> String {
    let Error::InvalidRequest(reason) = error else {
        panic!("{what}: expected InvalidRequest, got {error:?}");
    };
    reason
}

/// Asserts that none of `secrets` shows in the `Debug` output, compact
/// (`{:?}`) or pretty (`{:#?}`), of any of the named `values`.
pub(crate) fn assert_redacted(values: &[(&str, &dyn Debug)], secrets: &[&str]) {
    for (what, value) in values {
        for output in [format!("{value:?}"), format!("{value:#?}")] {
            for secret in secrets {
                assert!(
                    !output.contains(secret),
                    "{what} Debug leaks {secret:?}: {output}"
                );
            }
        }
    }
}

/// A spec example parses into `T` and serialises back to the same JSON
/// (numbers compared as numbers, date-times as instants).
pub fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(example: &str) {
    let example: Value = serde_json::from_str(example).expect("the example is JSON");
    let typed: T = serde_json::from_value(example.clone())
        .unwrap_or_else(|e| panic!("the example does not match its schema: {e}\n{example:#}"));
    let back = serde_json::to_value(&typed).expect("the type serialises");
    assert!(
        same_json(&example, &back),
        "serialising changed the example:\nexample: {example:#}\nround trip: {back:#}"
    );
}

/// JSON equality where `100` and `100.0` are the same number and two
/// RFC 3339 spellings of one instant (`…00.000Z`, `…00Z`) are the same.
pub(crate) fn same_json(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
        (Value::String(x), Value::String(y)) if x != y => {
            match (
                chrono::DateTime::parse_from_rfc3339(x),
                chrono::DateTime::parse_from_rfc3339(y),
            ) {
                (Ok(x), Ok(y)) => x == y,
                _ => false,
            }
        }
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same_json(x, y))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_json(v, w)))
        }
        _ => a == b,
    }
}

/// A mock server that answers the first request with `responses[0]`, the
/// second with `responses[1]`, and so on; the last answer repeats.
pub async fn server_answering_in_turn(responses: Vec<ResponseTemplate>) -> MockServer {
    let server = MockServer::start().await;
    let last = responses.len().saturating_sub(1);
    for (index, response) in responses.into_iter().enumerate() {
        let mock = Mock::given(any()).respond_with(response);
        let mock = if index < last {
            mock.up_to_n_times(1)
        } else {
            mock
        };
        // Mounted first, matched first: wiremock tries mocks of equal
        // priority in the order they were mounted.
        mock.mount(&server).await;
    }
    server
}

/// A retry policy as the default's, but with short waits, so that tests of
/// what is retried run fast (their waits are not what they check).
pub fn quick_retries() -> client_runtime::RetryPolicy {
    client_runtime::RetryPolicy::new().backoff(
        std::time::Duration::from_millis(10),
        std::time::Duration::from_millis(40),
    )
}

/// A port on 127.0.0.1 where nothing listens (bound, then released), for
/// "connection refused".
pub(crate) fn closed_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("bind 127.0.0.1")
        .port()
}

/// Asserts that `error` is [`Error::Retried`] after `attempts` attempts,
/// stopped for `stop`, whose message names the attempts; returns the last
/// attempt's error.
pub fn assert_retried<E: Debug>(
    error: Error<E>,
    attempts: u32,
    stop: client_runtime::RetryStop,
) -> Error<E> {
    let message = error.to_string();
    let Error::Retried {
        attempts: made,
        stop: stopped,
        last,
        ..
    } = error
    else {
        panic!("expected Retried after {attempts} attempts, got {error:?}");
    };
    assert_eq!(made, attempts, "attempts made");
    assert_eq!(stopped, stop, "why the retries stopped");
    assert!(
        message.starts_with(&format!("gave up after {attempts} attempts")),
        "the message names the attempts: {message}"
    );
    *last
}

/// The HTTP-date (IMF-fixdate, as `Retry-After` may carry it) `after` from now.
pub fn http_date_in(after: std::time::Duration) -> String {
    httpdate::fmt_http_date(std::time::SystemTime::now() + after)
}
