//! The retry policy of `synapse-client`, whose update is a `PATCH` (not
//! idempotent): a 429 with `Retry-After` is retried after that long, a 500
//! is not. Against local servers on 127.0.0.1; only counts and lower bounds
//! of time are asserted.

use std::time::{Duration, Instant};

use client_test_support::wiremock::ResponseTemplate;
use client_test_support::{
    assert_error_response, http_date_in, received, server_answering, server_answering_in_turn,
};
use serde_json::{Value, json};
use synapse_client::{Client, auth, types};

fn response_example() -> Value {
    json!({ "_id": "589b6adec83e17002122196c", "is_active": false })
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .gateway(auth::Gateway::new("test-client-id", "test-client-secret"))
        .build()
        .expect("a local base URL is valid")
}

async fn update(
    client: &Client,
) -> Result<
    synapse_client::ResponseValue<types::Subscription>,
    synapse_client::Error<types::ApiError>,
> {
    let body: types::UpdateSubscriptionRequest =
        serde_json::from_value(json!({ "is_active": false })).expect("a valid body");
    client
        .update_subscription()
        .subscription_id("589b6adec83e17002122196c")
        .body(body)
        .send()
        .await
}

#[tokio::test]
async fn a_429_with_retry_after_1_succeeds_after_a_second_with_two_requests() {
    let server = server_answering_in_turn(vec![
        ResponseTemplate::new(429).insert_header("retry-after", "1"),
        ResponseTemplate::new(200).set_body_json(response_example()),
    ])
    .await;
    let started = Instant::now();
    let response = update(&client(&server.uri()))
        .await
        .expect("the second attempt succeeds");
    assert_eq!(response.status(), 200);
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_date_is_honoured() {
    let in_two_seconds = http_date_in(Duration::from_secs(2));
    let server = server_answering_in_turn(vec![
        ResponseTemplate::new(503).insert_header("retry-after", in_two_seconds.as_str()),
        ResponseTemplate::new(200).set_body_json(response_example()),
    ])
    .await;
    let started = Instant::now();
    update(&client(&server.uri()))
        .await
        .expect("the second attempt succeeds");
    // HTTP-dates have whole seconds: at least one second is left of two.
    assert!(started.elapsed() >= Duration::from_secs(1));
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_500_on_a_patch_is_not_retried() {
    let server = server_answering(ResponseTemplate::new(500).set_body_json(json!({
        "error": { "en": "Internal server error." },
        "error_code": "500",
        "http_code": "500",
        "success": false
    })))
    .await;
    let error = update(&client(&server.uri())).await.expect_err("500");
    assert_eq!(error.attempts(), 1);
    assert_error_response(error, 500);
    assert_eq!(received(&server).await.len(), 1);
}
