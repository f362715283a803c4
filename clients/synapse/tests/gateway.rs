//! Synapse's `gateway` credential on the wire: the `X-SP-GATEWAY` header is
//! literally `<client_id>|<client_secret>` (written out here, not derived
//! from the spec), and no `Authorization` header goes with it. Against a
//! local wiremock server on 127.0.0.1, with placeholder credentials.
//!
//! That every operation sends its credentials, sends nothing without them
//! and never shows them in `Debug` is checked, with everything else every
//! client shares, by the generated `tests/scenarios.rs`.

use client_test_support::wiremock::ResponseTemplate;
use client_test_support::{header_values, server_answering, single_request};
use serde_json::json;
use synapse_client::{Client, auth, types};

#[tokio::test]
async fn the_gateway_header_is_client_id_pipe_client_secret() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({}))).await;
    let client = Client::builder()
        .base_url(format!("{}/v3.1", server.uri()))
        .gateway(auth::Gateway::new("test-client-id", "test-client-secret"))
        .build()
        .expect("a client with a wiremock base URL builds");

    client
        .update_subscription()
        .subscription_id("589b6adec83e17002122196c")
        .body(types::UpdateSubscriptionRequest::builder().is_active(false))
        .send()
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_eq!(
        header_values(&request, "x-sp-gateway"),
        ["test-client-id|test-client-secret"]
    );
    assert!(
        header_values(&request, "authorization").is_empty(),
        "the gateway is no Authorization header: {:?}",
        request.headers
    );
}
