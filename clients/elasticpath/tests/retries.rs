//! The retry policy of `elasticpath-client`, whose update is a `PUT`
//! (idempotent: a 5xx or a broken answer is retried, as are a refused
//! connection, 429 and 503), end to end against local servers on 127.0.0.1:
//! the error after the maximum, `Retry-After` waits, the budget, retries
//! turned off for the client or one call, per-call timeouts, and what a
//! timed-out attempt says about delivery.
//!
//! That a `503` is retried, that `500`s are retried for the `PUT`, and that
//! an unreachable API is retried then named in `Error::Retried` are shared
//! scenarios in the generated `tests/scenarios.rs`.
//!
//! Only counts and lower bounds of time are asserted, never upper bounds.

mod common;

use std::time::{Duration, Instant};

use client_test_support::wiremock::{MockServer, ResponseTemplate};
use client_test_support::{
    assert_error_response, assert_retried, http_date_in, quick_retries, received, server_answering,
    server_answering_in_turn,
};
use common::response_example;
use elasticpath_client::{
    CallOptions, Client, Delivery, Error, ResponseValue, RetryPolicy, RetryStop, TimeoutPhase,
    auth, types,
};
use serde_json::json;

type UpdateResult = Result<ResponseValue<types::SubscriberResponse>, Error<types::ApiError>>;

/// A documented 500 body.
fn server_error() -> ResponseTemplate {
    ResponseTemplate::new(500).set_body_json(json!({
        "errors": [{ "status": "500", "title": "Internal Server Error" }]
    }))
}

fn ok() -> ResponseTemplate {
    ResponseTemplate::new(200).set_body_json(response_example())
}

fn client(base_url: &str, policy: RetryPolicy) -> Client {
    Client::builder()
        .base_url(base_url)
        .bearer_auth(auth::BearerAuth::new("test-token"))
        .retry(policy)
        .build()
        .expect("a local base URL is valid")
}

async fn update(client: &Client, options: CallOptions) -> UpdateResult {
    let body: types::SubscriberUpdateRequest = serde_json::from_value(json!({
        "data": {
            "id": "11111111-2222-3333-4444-555555555555",
            "type": "subscription_subscriber",
            "attributes": { "name": "John Doe" }
        }
    }))
    .expect("a valid request body");
    client
        .update_subscriber()
        .subscriber_uuid("11111111-2222-3333-4444-555555555555")
        .body(body)
        .send_with(options)
        .await
}

#[tokio::test]
async fn a_500_every_time_ends_in_the_last_error_after_the_maximum() {
    let server = server_answering(server_error()).await;
    let error = update(&client(&server.uri(), quick_retries()), CallOptions::new())
        .await
        .expect_err("every attempt fails");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(500));
    assert_eq!(error.attempts(), 3);
    assert_eq!(error.delivery(), Delivery::Answered);
    let last = assert_retried(error, 3, RetryStop::MaxAttempts);
    assert_error_response(last, 500);
    assert_eq!(received(&server).await.len(), 3);
}

#[tokio::test]
async fn a_429_with_retry_after_waits_that_long() {
    let server = server_answering_in_turn(vec![
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        ok(),
    ])
    .await;
    let started = Instant::now();
    let response = update(
        &client(&server.uri(), RetryPolicy::new()),
        CallOptions::new(),
    )
    .await
    .expect("the second attempt succeeds");
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_http_date_is_waited_for() {
    let in_two_seconds = http_date_in(Duration::from_secs(2));
    let server = server_answering_in_turn(vec![
        ResponseTemplate::new(503).insert_header("retry-after", in_two_seconds.as_str()),
        ok(),
    ])
    .await;
    let started = Instant::now();
    update(
        &client(&server.uri(), RetryPolicy::new()),
        CallOptions::new(),
    )
    .await
    .expect("the second attempt succeeds");
    // HTTP-dates have whole seconds: at least one second is left of two.
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn retries_stop_at_the_budget() {
    let server = server_answering(ResponseTemplate::new(503)).await;
    let policy = RetryPolicy::new()
        .max_attempts(1000)
        .backoff(Duration::from_millis(100), Duration::from_millis(100))
        .budget(Duration::from_millis(500));
    let started = Instant::now();
    let error = update(&client(&server.uri(), policy), CallOptions::new())
        .await
        .expect_err("every attempt fails");
    let attempts = error.attempts();
    assert!(attempts >= 2, "retried before the budget ran out: {error}");
    assert_retried(error, attempts, RetryStop::Budget);
    assert_eq!(received(&server).await.len(), attempts as usize);
    assert!(attempts < 1000);
    assert!(started.elapsed() >= Duration::from_millis(100));
}

#[tokio::test]
async fn a_retry_after_past_the_budget_is_not_waited_for() {
    let server =
        server_answering(ResponseTemplate::new(503).insert_header("retry-after", "3600")).await;
    let error = update(
        &client(&server.uri(), RetryPolicy::new()),
        CallOptions::new(),
    )
    .await
    .expect_err("the server asks for an hour");
    assert_eq!(error.attempts(), 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn retries_off_send_once() {
    let server = server_answering(ResponseTemplate::new(503)).await;
    let error = update(
        &client(&server.uri(), RetryPolicy::disabled()),
        CallOptions::new(),
    )
    .await
    .expect_err("503");
    assert_eq!(error.attempts(), 1);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn one_call_can_turn_retries_off() {
    let server: MockServer = server_answering(ResponseTemplate::new(503)).await;
    let client = client(&server.uri(), quick_retries());
    let error = update(&client, CallOptions::new().retry(RetryPolicy::disabled()))
        .await
        .expect_err("503");
    assert_eq!(error.attempts(), 1);
    assert_eq!(received(&server).await.len(), 1);

    update(&client, CallOptions::new())
        .await
        .expect_err("503 every time");
    assert_eq!(received(&server).await.len(), 1 + 3);
}

#[tokio::test]
async fn a_body_cut_off_is_retried_for_a_put() {
    // Content-Length promises more than the body: hyper reports the body as
    // broken once the connection closes.
    let server = server_answering_in_turn(vec![
        ResponseTemplate::new(200)
            .insert_header("content-length", "1000")
            .set_body_raw(b"{\"data\":".to_vec(), "application/json"),
        ok(),
    ])
    .await;
    let outcome = update(&client(&server.uri(), quick_retries()), CallOptions::new()).await;
    let requests = received(&server).await.len();
    // wiremock may refuse to send a body shorter than its Content-Length;
    // either way the first answer is retried.
    assert!(requests >= 2, "{outcome:?}");
    outcome.expect("the second attempt succeeds");
}

#[tokio::test]
async fn each_attempt_is_bounded_by_the_per_call_timeout() {
    let server = server_answering_in_turn(vec![ok().set_delay(Duration::from_secs(5)), ok()]).await;
    let started = Instant::now();
    let response = update(
        &client(&server.uri(), quick_retries()),
        CallOptions::new().timeout(Duration::from_millis(300)),
    )
    .await
    .expect("the first attempt times out, the second succeeds");
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn the_budget_cuts_an_attempt_short() {
    let server = server_answering(ok().set_delay(Duration::from_secs(10))).await;
    let policy = RetryPolicy::new().budget(Duration::from_millis(400));
    let started = Instant::now();
    let error = update(&client(&server.uri(), policy), CallOptions::new())
        .await
        .expect_err("the answer comes after the budget");
    assert!(
        matches!(error.last_attempt(), Error::Timeout { .. }),
        "{error:?}"
    );
    assert!(started.elapsed() >= Duration::from_millis(400));
    assert_eq!(received(&server).await.len(), 1);
}

/// A timeout while waiting for the answer may come after the API applied
/// the update: the error says so (`Delivery::MaybeSent`: retry only what is
/// safe to repeat). Retries are off to see the single attempt.
#[tokio::test]
async fn a_timeout_waiting_for_the_answer_says_the_request_may_have_been_sent() {
    let server = server_answering(ok().set_delay(Duration::from_secs(2))).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new("test-token"))
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid configuration");

    let error = update(&client, CallOptions::new())
        .await
        .expect_err("the server answers after the timeout");
    assert_eq!(error.delivery(), Delivery::MaybeSent);
    let Error::Timeout { phase, source } = error else {
        panic!("expected Timeout, got {error:?}");
    };
    assert!(matches!(phase, TimeoutPhase::Response), "{phase:?}");
    assert!(source.is_timeout(), "expected a timeout, got {source:?}");
    assert_eq!(received(&server).await.len(), 1);
}
