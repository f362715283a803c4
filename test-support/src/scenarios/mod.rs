//! The scenarios every generated client must pass, fed by its spec.
//!
//! Each client's `tests/scenarios.rs` is generated from its spec: it states
//! what the spec says ([`Api`], one [`Operation`] per operation) and how to
//! drive the client ([`Target`]: build it, set credentials, call an
//! operation with a [`Request`]), and runs the scenarios below against a
//! local wiremock server on 127.0.0.1. A scenario checks the client's code
//! against the spec's facts: the expected method, path, query, headers,
//! credential values and body are worked out here from those facts (never
//! from the client's code or progenitor's output), and the client's answers
//! are compared with the spec's examples. The facts themselves are the
//! generator's reading of the spec, the same reading the client is made
//! from; that reading is checked by the generator's own tests
//! (`generator/tests/scenario_facts.rs`) and, for literal values such as a
//! vendor's header format, by the clients' hand-written tests.
//!
//! | scenario | checks |
//! |---|---|
//! | [`sends_the_spec_request`] | method, path under the server's base path, query, headers, credentials, JSON body |
//! | [`encodes_path_parameters`] | text path parameters stay one percent-encoded segment |
//! | [`trailing_slash_in_the_base_url_changes_nothing`] | `https://host/v1/` reaches the same path as `https://host/v1` |
//! | [`parses_documented_answers`] | every documented status's example: success as the typed body, errors as [`Error::ErrorResponse`] |
//! | [`undeclared_status_is_unexpected_response`] | a status the spec does not declare keeps its status and raw body |
//! | [`malformed_answers_are_invalid_payload`] | a broken body under each documented JSON status keeps status and body |
//! | [`missing_credentials_send_nothing`] | without credentials: [`Error::MissingCredentials`] and no request |
//! | [`retries_what_was_not_processed`] | a `503` then success: two identical requests, one success |
//! | [`retries_server_errors_only_when_idempotent`] | `500`s: retried for idempotent methods only |
//! | [`unreachable_is_retried_then_names_the_attempts`] | no server: retried for every method, [`Error::Retried`] over [`Error::Unreachable`] |
//! | [`debug_never_shows_credentials`] | no credential part in the builder's or client's `Debug` |
//! | [`servers_match_the_spec`] | the default server and every server's base URL |
//!
//! What only one vendor has (a nullable field, a region, a gateway header
//! value) stays in that client's hand-written tests.
//!
//! With `PRISM_URL` set, [`sends_the_spec_request`] also sends its request
//! to Stoplight Prism mocking the original spec, which must accept it: a
//! reader of the spec independent of the generator's (see `cargo xtask
//! prism`).

mod prism;
mod run;
mod spec;
mod wire;

use std::fmt::Debug;
use std::future::Future;
use std::pin::Pin;

use client_runtime::{BuildError, Error, RetryPolicy};
use progenitor_client::ResponseValue;
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

pub use run::{
    applicable, debug_never_shows_credentials, encodes_path_parameters,
    malformed_answers_are_invalid_payload, missing_credentials_send_nothing,
    parses_documented_answers, retries_server_errors_only_when_idempotent,
    retries_what_was_not_processed, sends_the_spec_request, servers_match_the_spec,
    trailing_slash_in_the_base_url_changes_nothing, undeclared_status_is_unexpected_response,
    unreachable_is_retried_then_names_the_attempts,
};
pub use spec::{Answer, Api, Location, Operation, Parameter, Scheme, SchemeKind};

/// One `#[tokio::test]` per named scenario, each running it on `$target`
/// with the spec facts `$api` and `$operation` (the tests take the
/// scenarios' names), and a test that the names are exactly the
/// [`applicable`] ones: a scenario the facts call for cannot be left out.
/// The calling crate needs `tokio` (with `macros` and `rt-multi-thread`).
///
/// ```text
/// client_test_support::scenario_tests!(ClientUnderTest, API, OPERATION;
///     sends_the_spec_request, trailing_slash_in_the_base_url_changes_nothing);
/// ```
#[macro_export]
macro_rules! scenario_tests {
    ($target:ident, $api:ident, $operation:ident; $($scenario:ident),* $(,)?) => {
        $(
            #[::tokio::test]
            async fn $scenario() {
                $crate::scenarios::$scenario::<$target>(&$api, &$operation).await;
            }
        )*

        #[test]
        fn the_listed_scenarios_are_those_that_apply() {
            assert_eq!(
                [$(stringify!($scenario)),*].as_slice(),
                $crate::scenarios::applicable(&$operation).as_slice(),
                "{}: the generated tests are not the scenarios its facts call for; run `cargo xtask generate`",
                $operation.id,
            );
        }
    };
}

/// What every generated client has in common: its `ClientBuilder` with a
/// base URL and a retry policy, and its base URL once built. Implemented
/// for a marker type by [`client_parts!`](crate::client_parts).
pub trait ClientParts {
    /// The client.
    type Client: Debug + Sync;
    /// Its builder.
    type Builder: Clone + Debug;

    /// `Client::builder()`.
    fn builder() -> Self::Builder;
    /// Sets the base URL.
    fn base_url(builder: Self::Builder, url: String) -> Self::Builder;
    /// Sets the retry policy.
    fn retry(builder: Self::Builder, policy: RetryPolicy) -> Self::Builder;
    /// Builds the client.
    fn build(builder: Self::Builder) -> Result<Self::Client, BuildError>;
    /// The client's base URL.
    fn base_url_of(client: &Self::Client) -> &str;
}

/// [`ClientParts`] for the marker type `$target`, from the generated
/// crate `$krate`.
#[macro_export]
macro_rules! client_parts {
    ($target:ident, $krate:ident) => {
        impl $crate::scenarios::ClientParts for $target {
            type Client = $krate::Client;
            type Builder = $krate::ClientBuilder;

            fn builder() -> Self::Builder {
                $krate::Client::builder()
            }

            fn base_url(builder: Self::Builder, url: String) -> Self::Builder {
                builder.base_url(url)
            }

            fn retry(builder: Self::Builder, policy: $krate::RetryPolicy) -> Self::Builder {
                builder.retry(policy)
            }

            fn build(builder: Self::Builder) -> Result<Self::Client, $krate::BuildError> {
                builder.build()
            }

            fn base_url_of(client: &Self::Client) -> &str {
                $krate::ClientInfo::baseurl(client)
            }
        }
    };
}

/// What the spec makes of one generated client: its servers, credentials
/// and operations. Implemented in the client's generated
/// `tests/scenarios.rs` by a marker type.
pub trait Target: ClientParts {
    /// Chooses the spec's server number `index`, variables at their defaults.
    fn server(builder: Self::Builder, index: usize) -> Self::Builder;
    /// Sets the credentials of the scheme `key` from its parts, in the
    /// order of [`SchemeKind::parts`].
    fn credentials(builder: Self::Builder, key: &str, parts: &[&str]) -> Self::Builder;
    /// Calls the operation whose `operationId` is `operation` with
    /// `request`'s parameters and body, through the typed builders.
    fn call<'a>(client: &'a Self::Client, operation: &'a str, request: &'a Request) -> Call<'a>;
}

/// A call in flight, its answer or error made untyped.
pub type Call<'a> = Pin<Box<dyn Future<Output = Result<Answered, Error<Value>>> + Send + 'a>>;

/// What a call is given: parameter values and a body, as JSON, which the
/// generated [`Target::call`] turns into the operation's types.
#[derive(Clone, Debug)]
pub struct Request {
    parameters: Vec<(&'static str, Value)>,
    body: Option<Value>,
}

impl Request {
    /// The request the spec describes: each parameter's value and the
    /// body.
    pub fn of(operation: &Operation) -> Self {
        Self {
            parameters: operation
                .parameters
                .iter()
                .map(|parameter| (parameter.name, json(operation.id, parameter.value)))
                .collect(),
            body: operation.body.map(|body| json(operation.id, body)),
        }
    }

    /// The value of parameter `name` as `T`, if the request sets it.
    ///
    /// # Panics
    /// When the value does not fit `T`: the spec's example contradicts the
    /// parameter's schema.
    pub fn parameter<T: DeserializeOwned>(&self, name: &str) -> Option<T> {
        let (_, value) = self.parameters.iter().find(|(n, _)| *n == name)?;
        Some(
            serde_json::from_value(value.clone()).unwrap_or_else(|error| {
                panic!("parameter {name}: {value} does not fit its type: {error}")
            }),
        )
    }

    /// The body as `T`.
    ///
    /// # Panics
    /// When the request has no body, or it does not fit `T`.
    pub fn body<T: DeserializeOwned>(&self) -> T {
        let body = self
            .body
            .as_ref()
            .expect("the operation's request has a body");
        serde_json::from_value(body.clone())
            .unwrap_or_else(|error| panic!("the body does not fit its type: {error}\n{body:#}"))
    }

    fn set_parameter(&mut self, name: &str, value: Value) {
        if let Some((_, slot)) = self.parameters.iter_mut().find(|(n, _)| *n == name) {
            *slot = value;
        }
    }
}

/// A successful answer, its body as JSON.
#[derive(Debug)]
pub struct Answered {
    /// The status.
    pub status: u16,
    /// The headers.
    pub headers: reqwest::header::HeaderMap,
    /// The typed body, serialised back to JSON (`null` for no body).
    pub body: Value,
}

/// `result` with its typed bodies made JSON, for [`Target::call`].
#[expect(
    clippy::result_large_err,
    reason = "the clients' own error type, passed on as they return it"
)]
pub fn answered<T: Serialize, E: Serialize>(
    result: Result<ResponseValue<T>, Error<E>>,
) -> Result<Answered, Error<Value>> {
    match result {
        Ok(response) => Ok(Answered {
            status: response.status().as_u16(),
            headers: response.headers().clone(),
            body: to_json(&response.into_inner()),
        }),
        Err(error) => Err(error.map_body(|body| to_json(&body))),
    }
}

fn to_json(value: &impl Serialize) -> Value {
    serde_json::to_value(value).expect("a generated type serialises to JSON")
}

fn json(operation: &str, text: &str) -> Value {
    serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("{operation}: {text} is not JSON: {error}"))
}
