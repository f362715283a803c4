//! Per-call options, the idempotency-key mechanism and the `User-Agent` of
//! a caller's own `reqwest::Client`, for `elasticpath-client`, against a
//! local wiremock server on 127.0.0.1.
//!
//! The headers every request carries (credentials, `User-Agent`, `Accept`,
//! `Content-Type`) are checked by the generated `tests/scenarios.rs`.

use std::time::Duration;

use client_test_support::wiremock::ResponseTemplate;
use client_test_support::{header_values, received, server_answering, single_request};
use elasticpath_client::reqwest::header::{HeaderName, HeaderValue};
use elasticpath_client::{CallOptions, Client, RetryPolicy, auth, reqwest, types};
use serde_json::json;

const USER_AGENT: &str = concat!("elasticpath-client/", env!("CARGO_PKG_VERSION"));

fn body() -> types::SubscriberUpdateRequest {
    serde_json::from_value(json!({
        "data": {
            "id": "11111111-2222-3333-4444-555555555555",
            "type": "subscription_subscriber",
            "attributes": { "name": "John Doe" }
        }
    }))
    .expect("a valid request body")
}

async fn update(client: &Client, options: CallOptions) {
    // The answer is not what these tests check.
    let _ = client
        .update_subscriber()
        .subscriber_uuid("11111111-2222-3333-4444-555555555555")
        .body(body())
        .send_with(options)
        .await;
}

#[tokio::test]
async fn extra_headers_are_sent_but_cannot_replace_credentials_or_the_user_agent() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new("test-token"))
        .build()
        .expect("valid configuration");
    let options = CallOptions::new()
        .header(
            HeaderName::from_static("x-request-id"),
            HeaderValue::from_static("req-1"),
        )
        .header(
            reqwest::header::AUTHORIZATION,
            HeaderValue::from_static("Bearer not-the-token"),
        )
        .header(
            reqwest::header::USER_AGENT,
            HeaderValue::from_static("impostor/1.0"),
        )
        .timeout(Duration::from_secs(5));
    update(&client, options).await;
    let request = single_request(&server).await;
    assert_eq!(header_values(&request, "x-request-id"), ["req-1"]);
    assert_eq!(
        header_values(&request, "authorization"),
        ["Bearer test-token"]
    );
    assert_eq!(header_values(&request, "user-agent"), [USER_AGENT]);
}

#[tokio::test]
async fn idempotency_keys_are_off_by_default() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new("test-token"))
        .build()
        .expect("valid configuration");
    update(&client, CallOptions::new()).await;
    let request = single_request(&server).await;
    assert!(header_values(&request, "idempotency-key").is_empty());
}

#[tokio::test]
async fn an_idempotency_header_carries_the_given_key_on_every_attempt() {
    let server = server_answering(ResponseTemplate::new(503)).await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new("test-token"))
        .idempotency_header(HeaderName::from_static("idempotency-key"))
        .retry(RetryPolicy::new().backoff(Duration::from_millis(10), Duration::from_millis(20)))
        .build()
        .expect("valid configuration");
    update(
        &client,
        CallOptions::new().idempotency_key(HeaderValue::from_static("key-42")),
    )
    .await;
    let requests = received(&server).await;
    assert_eq!(requests.len(), 3);
    for request in &requests {
        assert_eq!(header_values(request, "idempotency-key"), ["key-42"]);
    }
}

#[tokio::test]
async fn a_callers_client_keeps_its_user_agent_with_the_crates_token_after_it() {
    let server = server_answering(ResponseTemplate::new(204)).await;
    // From the crate's settings, as the README says: with `tls-ring` this
    // also installs the TLS provider a hand-built client needs.
    let own = elasticpath_client::HttpSettings::default()
        .client_builder()
        .user_agent("acme-billing/2.0")
        .build()
        .expect("a reqwest client");
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new("test-token"))
        .http_client(own)
        .build()
        .expect("valid configuration");
    update(&client, CallOptions::new()).await;
    let request = single_request(&server).await;
    assert_eq!(
        header_values(&request, "user-agent"),
        [format!("acme-billing/2.0 {USER_AGENT}")]
    );
}
