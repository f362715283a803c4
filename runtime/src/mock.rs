//! Typed mocks of one operation on a local [`MockServer`], for the tests of
//! code that uses a generated client (feature `mock`). Each client's `mock`
//! module has a function per operation that returns an [`OperationMock`]
//! typed with the operation's request body `B`, success body `T` and
//! documented error body `E`, so a mock cannot answer with a body the
//! client would not parse.
//!
//! A mock answers in order: `respond(503…).respond(200…)` answers the
//! first call `503` and every later one `200`; [`OperationMock::times`]
//! makes an answer serve several calls, and [`OperationMock::up_to_n_times`]
//! stops the mock matching after so many calls.
//!
//! Built on [wiremock](https://docs.rs/wiremock) (servers on 127.0.0.1,
//! one per test, verified when dropped); [`MockServer`] and
//! [`ResponseTemplate`] are re-exported so a test needs no other import.

use std::marker::PhantomData;

use serde::Serialize;
use serde::de::DeserializeOwned;
use wiremock::matchers::body_json;
use wiremock::{Match, Mock, MockGuard, Request};

pub use wiremock::{MockServer, ResponseTemplate, Times};

use crate::Operation;

mod answers;

use answers::Answers;

/// A mock of one operation: it matches the operation's method and path
/// (under any base path), narrowed by the path parameters, headers and body
/// it is given, and answers as told (by default `200` with no body).
#[must_use = "a mock does nothing until it is mounted"]
pub struct OperationMock<B, T, E> {
    operation: &'static Operation,
    parameters: Vec<(&'static str, String)>,
    headers: Vec<(String, String)>,
    body: Option<serde_json::Value>,
    answers: Answers,
    up_to: Option<u64>,
    times: Option<Times>,
    error: Option<MockError>,
    types: PhantomData<fn(B) -> (T, E)>,
}

impl<B, T, E> OperationMock<B, T, E>
where
    B: Serialize + DeserializeOwned,
    T: Serialize,
    E: Serialize,
{
    /// A mock of `operation` that matches any parameters and body.
    pub fn new(operation: &'static Operation) -> Self {
        Self {
            operation,
            parameters: Vec::new(),
            headers: Vec::new(),
            body: None,
            answers: Answers::default(),
            up_to: None,
            times: None,
            error: None,
            types: PhantomData,
        }
    }

    /// Matches only calls whose path parameter `name` (as the spec names it)
    /// is `value`. A name the path does not have makes
    /// [`OperationMock::mount`] fail.
    pub fn path_param(mut self, name: &str, value: impl std::fmt::Display) -> Self {
        match template_parameters(self.operation.path).find(|p| *p == name) {
            Some(name) => self.parameters.push((name, value.to_string())),
            None => {
                self.error.get_or_insert(MockError::UnknownPathParameter {
                    operation: self.operation.id,
                    name: name.to_string(),
                });
            }
        }
        self
    }

    /// Matches only calls that send the header `name` with `value`.
    pub fn header(mut self, name: &str, value: &str) -> Self {
        self.headers.push((name.to_string(), value.to_string()));
        self
    }

    /// Matches only calls whose JSON body equals `body`.
    pub fn body(mut self, body: &B) -> Self {
        match serde_json::to_value(body) {
            Ok(value) => self.body = Some(value),
            Err(error) => {
                self.error.get_or_insert(MockError::Serialize(error));
            }
        }
        self
    }

    /// Answers `status` (a success status of the operation) with `body`;
    /// after an earlier answer, the next call (see the module docs).
    pub fn respond(self, status: u16, body: &T) -> Self {
        self.respond_json(status, body)
    }

    /// Answers `status` (an error status of the operation) with `body`, the
    /// operation's documented error body; after an earlier answer, the next
    /// call.
    pub fn respond_error(self, status: u16, body: &E) -> Self {
        self.respond_json(status, body)
    }

    /// Answers with `response`, for anything the typed answers do not cover
    /// (a `503` with no body, a `Retry-After` header, a malformed body, a
    /// delay); after an earlier answer, the next call.
    pub fn respond_with(mut self, response: ResponseTemplate) -> Self {
        self.answers.push(response);
        self
    }

    /// Makes the last answer given serve `n` calls (the default `200` when
    /// none was given). An answer followed by another serves one call
    /// unless told otherwise; the last serves every remaining call, or, when
    /// limited, the mock matches no call after the script's end.
    pub fn times(mut self, n: u64) -> Self {
        self.answers.limit_last(n);
        self
    }

    /// Matches at most `n` calls; later ones go to other mocks (or get
    /// the server's `404`).
    pub fn up_to_n_times(mut self, n: u64) -> Self {
        self.up_to = Some(n);
        self
    }

    /// Expects this many matching calls (a number or a range): the test
    /// fails when the mock is dropped otherwise.
    pub fn expect(mut self, times: impl Into<Times>) -> Self {
        self.times = Some(times.into());
        self
    }

    fn respond_json(mut self, status: u16, body: &impl Serialize) -> Self {
        match serde_json::to_vec(body) {
            Ok(bytes) => {
                self.answers
                    .push(ResponseTemplate::new(status).set_body_raw(bytes, "application/json"));
            }
            Err(error) => {
                self.error.get_or_insert(MockError::Serialize(error));
            }
        }
        self
    }

    /// Mounts the mock on `server` for as long as the returned
    /// [`MountedMock`] lives; its expectations are checked when it is
    /// dropped.
    pub async fn mount(self, server: &MockServer) -> Result<MountedMock<B>, MockError> {
        if let Some(error) = self.error {
            return Err(error);
        }
        let mut mock = Mock::given(OperationMatcher {
            operation: self.operation,
            parameters: self.parameters,
            headers: self.headers,
        });
        if let Some(body) = self.body {
            mock = mock.and(body_json(body));
        }
        let up_to = match (self.up_to, self.answers.calls_scripted()) {
            (Some(a), Some(b)) => Some(a.min(b)),
            (a, b) => a.or(b),
        };
        let mut mock = mock
            .respond_with(self.answers)
            .named(format!("{} {}", self.operation.method, self.operation.path));
        if let Some(times) = self.times {
            mock = mock.expect(times);
        }
        if let Some(n) = up_to {
            mock = mock.up_to_n_times(n);
        }
        Ok(MountedMock {
            guard: mock.mount_as_scoped(server).await,
            types: PhantomData,
        })
    }
}

/// A mounted [`OperationMock`]; dropping it unmounts the mock and checks
/// its expectations.
pub struct MountedMock<B> {
    guard: MockGuard,
    types: PhantomData<fn() -> B>,
}

impl<B: DeserializeOwned> MountedMock<B> {
    /// The bodies of the calls this mock matched, in order, parsed into the
    /// operation's request type.
    pub async fn received_bodies(&self) -> Result<Vec<B>, MockError> {
        self.received_requests()
            .await
            .iter()
            .map(|request| request.body_json().map_err(MockError::Deserialize))
            .collect()
    }

    /// The calls this mock matched, in order, with headers and raw body.
    pub async fn received_requests(&self) -> Vec<Request> {
        self.guard.received_requests().await
    }
}

/// Why a mock could not be mounted or its requests read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum MockError {
    /// [`OperationMock::path_param`] named a parameter the path lacks.
    #[error("operation `{operation}` has no path parameter `{name}`")]
    UnknownPathParameter {
        /// The spec's `operationId`.
        operation: &'static str,
        /// The name given.
        name: String,
    },
    /// A body given to the mock does not serialise to JSON.
    #[error("the body does not serialise to JSON")]
    Serialize(#[source] serde_json::Error),
    /// A received body does not parse into the operation's request type.
    #[error("a received body does not parse into the operation's request type")]
    Deserialize(#[source] serde_json::Error),
}

/// The `{name}`s of a path template, in order.
fn template_parameters(template: &'static str) -> impl Iterator<Item = &'static str> {
    template
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
}

/// Matches an operation's method, its path at the end of the request path
/// (after any base path), the given parameters and headers.
struct OperationMatcher {
    operation: &'static Operation,
    parameters: Vec<(&'static str, String)>,
    headers: Vec<(String, String)>,
}

impl Match for OperationMatcher {
    fn matches(&self, request: &Request) -> bool {
        if request.method.as_str() != self.operation.method {
            return false;
        }
        let template: Vec<&str> = self.operation.path.split('/').skip(1).collect();
        let path: Vec<&str> = request.url.path().split('/').skip(1).collect();
        let Some(start) = path.len().checked_sub(template.len()) else {
            return false;
        };
        let segments_match = template
            .iter()
            .zip(&path[start..])
            .all(|(expected, actual)| {
                match expected.strip_prefix('{').and_then(|p| p.strip_suffix('}')) {
                    None => expected == actual,
                    Some(name) => match self.parameters.iter().find(|(p, _)| *p == name) {
                        Some((_, value)) => crate::encode_path(value) == *actual,
                        None => !actual.is_empty(),
                    },
                }
            });
        segments_match
            && self.headers.iter().all(|(name, value)| {
                request
                    .headers
                    .get_all(name.as_str())
                    .iter()
                    .any(|sent| sent.as_bytes() == value.as_bytes())
            })
    }
}
