//! The scenarios. Each panics with a message naming the operation and what
//! differs from the spec, and refuses to pass vacuously: a scenario the spec
//! gives nothing to check for is a mistake of the generated test file.

use client_runtime::{Delivery, Error, RetryPolicy, RetryStop};
use serde_json::Value;
use wiremock::{MockServer, ResponseTemplate};

use super::spec::{Api, Location, Operation};
use super::{Answered, Request, Target, prism, wire};
use crate::{
    assert_invalid_payload, assert_missing_credentials, assert_no_requests, assert_redacted,
    assert_retried, assert_unexpected_response, closed_port, header_values, quick_retries,
    raw_body, received, same_json, server_answering, server_answering_in_turn,
    server_expecting_no_requests, single_request,
};

/// Methods that may be applied twice (RFC 9110, section 9.2.2), read from
/// the RFC here rather than from the runtime the scenarios check.
const IDEMPOTENT: [&str; 6] = ["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "TRACE"];

/// Text that needs percent-encoding in a path segment, `/` above all.
const AWKWARD_TEXT: &str = "a b/c?d#e%f&g=h..";

/// How `client_runtime::Secret` shows in `Debug` output.
const REDACTED: &str = "<redacted>";

/// The media type of a form body.
const FORM: &str = "application/x-www-form-urlencoded";

/// A body that is no JSON at all.
const BROKEN_JSON: &str = r#"{"unterminated": "#;

/// Statuses a spec is unlikely to declare, tried in order.
const UNDECLARED: [u16; 4] = [418, 299, 451, 599];

/// The scenarios `operation`'s facts give something to check, in the order
/// the generated tests list them (`scenario_tests!` compares the two).
pub fn applicable(operation: &Operation) -> Vec<&'static str> {
    let answers = operation.answers;
    let text_in_path = operation
        .parameters
        .iter()
        .any(|parameter| parameter.location == Location::Path && parameter.free_text);
    [
        ("sends_the_spec_request", true),
        ("encodes_path_parameters", text_in_path),
        ("trailing_slash_in_the_base_url_changes_nothing", true),
        (
            "parses_documented_answers",
            answers.iter().any(|answer| answer.example.is_some()),
        ),
        (
            "undeclared_status_is_unexpected_response",
            !operation.catch_all,
        ),
        (
            "malformed_answers_are_invalid_payload",
            answers.iter().any(|answer| answer.json),
        ),
        (
            "missing_credentials_send_nothing",
            !operation.needs_no_credentials(),
        ),
        (
            "retries_what_was_not_processed",
            operation.success_example().is_some(),
        ),
        ("retries_server_errors_only_when_idempotent", true),
        ("unreachable_is_retried_then_names_the_attempts", true),
    ]
    .into_iter()
    .filter(|(_, applies)| *applies)
    .map(|(name, _)| name)
    .collect()
}

/// The request is the spec's: method, path under the server's base path,
/// query, headers (credentials of the first alternative, header parameters,
/// `Content-Type` exactly when there is a body, `Accept: application/json`
/// when a documented answer is JSON and not when none can be, `User-Agent`,
/// no `api-version`) and the body, as JSON or as a form. With `PRISM_URL`
/// set, Prism must accept the same request too (see `cargo xtask prism`).
pub async fn sends_the_spec_request<T: Target>(api: &Api, operation: &Operation) {
    let server = server_answering(success(operation)).await;
    let client = client::<T>(api, operation, under(api, &server), RetryPolicy::disabled());
    let request = Request::of(operation);

    // The answer is another scenario's concern.
    let _ = T::call(&client, operation.id, &request).await;

    let sent = single_request(&server).await;
    let id = operation.id;
    assert_eq!(sent.method.as_str(), operation.method, "{id}: method");
    assert_eq!(
        sent.url.path(),
        wire::path(api, operation, &request),
        "{id}: path"
    );
    let credentials = credentials(api, operation);
    let mut query: Vec<(String, String)> = sent.url.query_pairs().into_owned().collect();
    query.sort();
    let mut expected_query = wire::query(operation, &request);
    expected_query.extend(
        credentials
            .iter()
            .filter_map(|credential| match credential {
                wire::Credential::Query(name, value) => Some((name.clone(), value.clone())),
                wire::Credential::Header(..) => None,
            }),
    );
    expected_query.sort();
    assert_eq!(query, expected_query, "{id}: query of {}", sent.url);

    let mut expected: Vec<(String, String)> = credentials
        .into_iter()
        .filter_map(|credential| match credential {
            wire::Credential::Header(name, value) => Some((name, value)),
            wire::Credential::Query(..) => None,
        })
        .collect();
    expected.extend(wire::header_parameters(operation, &request));
    expected.push(("user-agent".into(), api.user_agent.into()));
    if operation.answers.iter().any(|answer| answer.json) {
        expected.push(("accept".into(), "application/json".into()));
    }
    if operation.body.is_some() {
        let media = if operation.form {
            FORM
        } else {
            "application/json"
        };
        expected.push(("content-type".into(), media.into()));
    }
    for (name, value) in &expected {
        assert_eq!(
            header_values(&sent, name),
            [value.as_str()],
            "{id}: header {name}"
        );
    }
    let mut absent = vec!["api-version".to_string()];
    absent.extend(
        api.schemes
            .iter()
            .filter_map(|scheme| match wire::credential(api, scheme.key) {
                wire::Credential::Header(name, _) => Some(name),
                wire::Credential::Query(..) => None,
            })
            .filter(|name| expected.iter().all(|(sent, _)| sent != name)),
    );
    if operation.body.is_none() {
        absent.push("content-type".into());
    }
    // A `default` or range answer may be JSON too: only without one is
    // "no answer is JSON" known.
    if !operation.catch_all && operation.answers.iter().all(|answer| !answer.json) {
        assert!(
            !header_values(&sent, "accept").contains(&"application/json".to_string()),
            "{id}: no answer is JSON, so none is asked for"
        );
    }
    for name in absent {
        assert!(
            header_values(&sent, &name).is_empty(),
            "{id}: no {name} header is sent"
        );
    }

    match operation.body {
        Some(example) if operation.form => {
            let example: Value = serde_json::from_str(example).expect("the example is JSON");
            let mut sent: Vec<(String, String)> =
                form_urlencoded::parse(&sent.body).into_owned().collect();
            sent.sort();
            assert_eq!(
                sent,
                wire::form(&example),
                "{id}: the form sent is not the spec's body"
            );
        }
        Some(example) => {
            let body: Value = sent.body_json().unwrap_or_else(|error| {
                panic!(
                    "{id}: the body sent is not JSON ({error}): {:?}",
                    String::from_utf8_lossy(&sent.body)
                )
            });
            let example: Value = serde_json::from_str(example).expect("the example is JSON");
            assert!(
                same_json(&example, &body),
                "{id}: the body sent is not the spec's example:\nexample: {example:#}\nsent: {body:#}"
            );
        }
        None => assert!(sent.body.is_empty(), "{id}: no body is sent"),
    }

    if let Some(url) = prism::url() {
        prism::request_passes::<T>(api, operation, &request, url).await;
    }
}

/// Path parameters that take any text go out as one percent-encoded
/// segment each: `/`, `?`, `#`, `%` and spaces cannot leave the path.
pub async fn encodes_path_parameters<T: Target>(api: &Api, operation: &Operation) {
    let mut request = Request::of(operation);
    let mut awkward = 0;
    for parameter in operation.parameters {
        if parameter.location == Location::Path && parameter.free_text {
            request.set_parameter(parameter.name, Value::String(AWKWARD_TEXT.into()));
            awkward += 1;
        }
    }
    assert!(
        awkward > 0,
        "{}: no path parameter takes text",
        operation.id
    );
    assert_path_sent::<T>(api, operation, &request, "").await;
}

/// A base URL ending in `/` reaches the same path as one without.
pub async fn trailing_slash_in_the_base_url_changes_nothing<T: Target>(
    api: &Api,
    operation: &Operation,
) {
    assert_path_sent::<T>(api, operation, &Request::of(operation), "/").await;
}

/// Sends `request` through a client whose base URL is the mock server's
/// under the spec's base path, then `suffix`; asserts the one request went
/// to the path the spec and the request's values make.
async fn assert_path_sent<T: Target>(
    api: &Api,
    operation: &Operation,
    request: &Request,
    suffix: &str,
) {
    let server = server_answering(success(operation)).await;
    let base_url = format!("{}{suffix}", under(api, &server));
    let client = client::<T>(api, operation, base_url, RetryPolicy::disabled());

    // The answer is another scenario's concern.
    let _ = T::call(&client, operation.id, request).await;

    let sent = single_request(&server).await;
    let id = operation.id;
    assert_eq!(
        sent.url.path(),
        wire::path(api, operation, request),
        "{id}: path"
    );
}

/// Each documented status answered with the spec's example: a success
/// gives the typed body (equal to the example as JSON), an error status
/// [`Error::ErrorResponse`] with the typed error body.
pub async fn parses_documented_answers<T: Target>(api: &Api, operation: &Operation) {
    let id = operation.id;
    let answers: Vec<_> = operation
        .answers
        .iter()
        .filter_map(|answer| Some((answer.status, answer.example?)))
        .collect();
    assert!(
        !answers.is_empty(),
        "{id}: no documented answer has an example"
    );
    for (status, example) in answers {
        let answer = raw_body(status, "application/json", example);
        let result = call_once::<T>(api, operation, answer).await;
        let expected: Value = serde_json::from_str(example).expect("the example is JSON");
        let (got_status, body) = match result {
            Ok(Answered { status, body, .. }) => (status, body),
            Err(Error::ErrorResponse(response)) => {
                (response.status().as_u16(), response.into_inner())
            }
            Err(error) => panic!("{id}: the {status} example gives {error:?}"),
        };
        assert_eq!(got_status, status, "{id}: status");
        assert_eq!(
            (200..300).contains(&status),
            (200..300).contains(&got_status),
            "{id}: a {status} is a success exactly when it is 2xx"
        );
        assert!(
            same_json(&expected, &body),
            "{id}: the {status} example parses into something else:\nexample: {expected:#}\nparsed: {body:#}"
        );
    }
}

/// A status the spec does not declare is [`Error::UnexpectedResponse`]
/// with the status and the raw body.
pub async fn undeclared_status_is_unexpected_response<T: Target>(api: &Api, operation: &Operation) {
    assert!(
        !operation.catch_all,
        "{}: every status is declared",
        operation.id
    );
    let status = UNDECLARED
        .into_iter()
        .find(|status| {
            operation
                .answers
                .iter()
                .all(|answer| answer.status != *status)
        })
        .expect("one of the statuses is undeclared");
    let body = "I'm a teapot";
    let error = call_once::<T>(api, operation, raw_body(status, "text/plain", body))
        .await
        .expect_err("an undeclared status is an error");
    assert_unexpected_response(error, status, body);
}

/// A body that is not JSON under a documented JSON status is
/// [`Error::InvalidResponsePayload`] with the status and the raw body.
pub async fn malformed_answers_are_invalid_payload<T: Target>(api: &Api, operation: &Operation) {
    let statuses: Vec<u16> = operation
        .answers
        .iter()
        .filter(|answer| answer.json)
        .map(|answer| answer.status)
        .collect();
    assert!(
        !statuses.is_empty(),
        "{}: no documented JSON answer",
        operation.id
    );
    for status in statuses {
        let answer = raw_body(status, "application/json", BROKEN_JSON);
        let error = call_once::<T>(api, operation, answer)
            .await
            .expect_err("a broken body is an error");
        assert_invalid_payload(error, status, BROKEN_JSON);
    }
}

/// Without credentials the call fails with [`Error::MissingCredentials`],
/// naming the operation and what it needs, and sends nothing.
pub async fn missing_credentials_send_nothing<T: Target>(api: &Api, operation: &Operation) {
    assert!(
        !operation.needs_no_credentials(),
        "{}: may be called without credentials",
        operation.id
    );
    let server = server_expecting_no_requests().await;
    let builder = T::base_url(T::builder(), under(api, &server));
    let client = build::<T>(T::retry(builder, RetryPolicy::disabled()));

    let error = T::call(&client, operation.id, &Request::of(operation))
        .await
        .expect_err("a call without credentials fails");

    let needs: Vec<String> = operation
        .security
        .iter()
        .map(|schemes| schemes.join(" + "))
        .collect();
    assert_missing_credentials(error, operation.method_name, &needs.join(" or "));
    assert_no_requests(&server).await;
}

/// A `429` or a `503` (the API did not process the request) is retried,
/// whatever the method: the second request, identical to the first (method,
/// URL, every header, body), gets the documented success.
pub async fn retries_what_was_not_processed<T: Target>(api: &Api, operation: &Operation) {
    let id = operation.id;
    let (status, example) = operation
        .success_example()
        .unwrap_or_else(|| panic!("{id}: no documented success has an example"));
    for refusal in [429, 503] {
        let server = server_answering_in_turn(vec![
            ResponseTemplate::new(refusal),
            raw_body(status, "application/json", example),
        ])
        .await;
        let client = client::<T>(api, operation, under(api, &server), quick_retries());

        let answered = T::call(&client, id, &Request::of(operation))
            .await
            .unwrap_or_else(|error| {
                panic!("{id}: the retry after a {refusal} gets the success, got {error:?}")
            });

        assert_eq!(answered.status, status, "{id}: status");
        let requests = received(&server).await;
        assert_eq!(requests.len(), 2, "{id}: one retry after a {refusal}");
        let (first, retry) = (&requests[0], &requests[1]);
        assert_eq!(first.method, retry.method, "{id}: the retry's method");
        assert_eq!(first.url, retry.url, "{id}: the retry's URL");
        assert_eq!(first.headers, retry.headers, "{id}: the retry's headers");
        assert_eq!(first.body, retry.body, "{id}: the retry's body");
    }
}

/// `500`s are retried for idempotent methods (3 attempts in all) and
/// never for the others, which the API may have applied.
pub async fn retries_server_errors_only_when_idempotent<T: Target>(
    api: &Api,
    operation: &Operation,
) {
    let id = operation.id;
    let server = server_answering(raw_body(500, "text/plain", "internal error")).await;
    let client = client::<T>(api, operation, under(api, &server), quick_retries());

    let error = T::call(&client, id, &Request::of(operation))
        .await
        .expect_err("a 500 is an error");

    let attempts = if IDEMPOTENT.contains(&operation.method) {
        quick_retries().attempts()
    } else {
        1
    };
    assert_eq!(
        error.attempts(),
        attempts,
        "{id} ({}): attempts in {error:?}",
        operation.method
    );
    assert_eq!(
        received(&server).await.len(),
        attempts as usize,
        "{id}: requests"
    );
    assert_eq!(
        error.status().map(|status| status.as_u16()),
        Some(500),
        "{id}: status"
    );
}

/// Nothing listening: every attempt is [`Error::Unreachable`], retried
/// whatever the method (nothing was sent), until the policy's 3 attempts;
/// the error's text shows no credential (a query key in its URL is `***`).
pub async fn unreachable_is_retried_then_names_the_attempts<T: Target>(
    api: &Api,
    operation: &Operation,
) {
    let id = operation.id;
    let base_url = format!("http://127.0.0.1:{}{}", closed_port(), api.base_path());
    let client = client::<T>(api, operation, base_url, quick_retries());

    let error = T::call(&client, id, &Request::of(operation))
        .await
        .expect_err("nothing listens");

    // The error names the URL it could not reach, never a credential in it.
    let shown = format!("{error} {error:?}");
    for secret in wire::every_secret(api) {
        assert!(
            !shown.contains(&secret),
            "{id}: an error shows {secret:?}: {shown}"
        );
    }
    assert_eq!(error.delivery(), Delivery::NotSent, "{id}: {error:?}");
    let last = assert_retried(error, quick_retries().attempts(), RetryStop::MaxAttempts);
    assert!(matches!(last, Error::Unreachable(_)), "{id}: {last:?}");
}

/// With every scheme's credentials set, no secret (a basic username is
/// none) nor credential header value shows in the `Debug` output of the
/// builder or the client.
pub fn debug_never_shows_credentials<T: Target>(api: &Api) {
    assert!(!api.schemes.is_empty(), "{}: no security scheme", api.spec);
    let mut builder = T::builder();
    if api.servers.is_empty() {
        builder = T::base_url(builder, "https://api.example.com".into());
    }
    for scheme in api.schemes {
        builder = with_scheme::<T>(api, scheme.key, builder);
    }
    let client = build::<T>(builder.clone());
    let secrets = wire::every_secret(api);
    let secrets: Vec<&str> = secrets.iter().map(String::as_str).collect();
    assert_redacted(
        &[("ClientBuilder", &builder), ("Client", &client)],
        &secrets,
    );
    // And the credentials are there, each secret part shown as redacted.
    let shown = format!("{builder:?}").matches(REDACTED).count();
    let secret_parts: usize = api
        .schemes
        .iter()
        .map(|s| s.kind.secret_parts().len())
        .sum();
    assert!(
        shown >= secret_parts,
        "the ClientBuilder holds {secret_parts} secret parts, its Debug shows {shown} `{REDACTED}`: {builder:?}"
    );
}

/// The client's default base URL is the first server's, and each server
/// gives its own URL (variables at their defaults).
pub fn servers_match_the_spec<T: Target>(api: &Api) {
    assert!(!api.servers.is_empty(), "{}: no servers", api.spec);
    let default = build::<T>(T::builder());
    assert_eq!(
        T::base_url_of(&default),
        api.servers[0],
        "the default server"
    );
    for (index, url) in api.servers.iter().enumerate() {
        let client = build::<T>(T::server(T::builder(), index));
        assert_eq!(T::base_url_of(&client), *url, "server {index}");
    }
}

/// `server`'s address under the spec's base path, as a caller switching
/// hosts would keep it.
fn under(api: &Api, server: &MockServer) -> String {
    format!("{}{}", server.uri(), api.base_path())
}

/// A client for `base_url` with `retry` and the placeholder credentials of
/// the operation's first security alternative.
pub(super) fn client<T: Target>(
    api: &Api,
    operation: &Operation,
    base_url: String,
    retry: RetryPolicy,
) -> T::Client {
    let builder = T::retry(T::base_url(T::builder(), base_url), retry);
    build::<T>(with_credentials::<T>(api, operation, builder))
}

fn build<T: Target>(builder: T::Builder) -> T::Client {
    let shown = format!("{builder:?}");
    T::build(builder).unwrap_or_else(|error| panic!("{shown} does not build: {error}"))
}

/// The first alternative of the operation's security, with placeholder
/// credentials.
fn with_credentials<T: Target>(
    api: &Api,
    operation: &Operation,
    mut builder: T::Builder,
) -> T::Builder {
    for key in operation.security.first().copied().unwrap_or_default() {
        builder = with_scheme::<T>(api, key, builder);
    }
    builder
}

/// Scheme `key`'s placeholder credential set on `builder`.
fn with_scheme<T: Target>(api: &Api, key: &str, builder: T::Builder) -> T::Builder {
    let parts: Vec<String> = api
        .scheme(key)
        .kind
        .parts()
        .iter()
        .map(|part| wire::credential_part(key, part))
        .collect();
    let parts: Vec<&str> = parts.iter().map(String::as_str).collect();
    T::credentials(builder, key, &parts)
}

/// The credential headers and query pairs [`with_credentials`] leads to.
fn credentials(api: &Api, operation: &Operation) -> Vec<wire::Credential> {
    operation
        .security
        .first()
        .copied()
        .unwrap_or_default()
        .iter()
        .map(|key| wire::credential(api, key))
        .collect()
}

/// What the mock answers when the answer does not matter: the first
/// documented success's example, or an empty `200`.
fn success(operation: &Operation) -> ResponseTemplate {
    match operation.success_example() {
        Some((status, example)) => raw_body(status, "application/json", example),
        None => ResponseTemplate::new(200),
    }
}

/// The spec's request, answered once with `answer`, retries off.
async fn call_once<T: Target>(
    api: &Api,
    operation: &Operation,
    answer: ResponseTemplate,
) -> Result<Answered, Error<Value>> {
    let server = server_answering(answer).await;
    let client = client::<T>(api, operation, under(api, &server), RetryPolicy::disabled());
    T::call(&client, operation.id, &Request::of(operation)).await
}
