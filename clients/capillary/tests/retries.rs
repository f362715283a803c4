//! The retry policy of `capillary-client`, whose update is a `POST`: the API
//! may have applied it when it answers 500 or the answer breaks, so only a
//! refused connection, 429 and 503 are retried. Against local servers on
//! 127.0.0.1; only counts are asserted.

use capillary_client::{Client, Delivery, Error, RetryStop, auth, types};
use client_test_support::wiremock::ResponseTemplate;
use client_test_support::{
    assert_error_response, assert_retried, closed_port, quick_retries, received, server_answering,
    server_answering_in_turn,
};
use serde_json::{Value, json};

const USER: &str = "test-user";
const PASSWORD: &str = "test-password";

/// The spec's requestBody example, verbatim.
fn request_example() -> Value {
    json!({
        "communicationId": -1,
        "campaignId": -1,
        "reason": "This is V2 subscription api",
        "scope": { "scope": "USER", "subScope": "NONE" },
        "subscriptions": [
            {
                "channel": "EMAIL",
                "priority": "BULK",
                "type": "OPTOUT",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK",
                "accountId": "01"
            },
            {
                "channel": "MOBILE",
                "accountId": "01",
                "priority": "BULK",
                "type": "OPTIN",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            },
            {
                "channel": "EMAIL",
                "accountId": "01",
                "priority": "TRANS",
                "type": "OPTIN",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            },
            {
                "channel": "MOBILE",
                "accountId": "01",
                "priority": "TRANS",
                "type": "OPTOUT",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            }
        ]
    })
}

/// The spec's 200 response example, verbatim.
fn response_example() -> Value {
    json!({
        "scope": { "scope": "USER", "subScope": "NONE" },
        "subscriptions": [
            {
                "channel": "EMAIL",
                "priority": "BULK",
                "type": "OPTOUT",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK",
                "accountId": "01"
            },
            {
                "channel": "MOBILE",
                "accountId": "01",
                "priority": "BULK",
                "type": "OPTIN",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            },
            {
                "channel": "EMAIL",
                "accountId": "01",
                "priority": "TRANS",
                "type": "OPTIN",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            },
            {
                "channel": "MOBILE",
                "accountId": "01",
                "priority": "TRANS",
                "type": "OPTOUT",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            }
        ],
        "campaignId": -1,
        "communicationId": -1,
        "reason": "This is V2 subscription api",
        "warnings": []
    })
}

/// The spec's request example as a typed value.
fn typed_request_example() -> types::UpdateSubscriptionRequest {
    serde_json::from_value(request_example())
        .expect("the spec's request example matches its schema")
}

fn client(base_url: &str) -> Client {
    Client::builder()
        .base_url(base_url)
        .basic_auth(auth::BasicAuth::new(USER, PASSWORD))
        .retry(quick_retries())
        .build()
        .expect("a local base URL is valid")
}

async fn update(
    client: &Client,
) -> Result<
    capillary_client::ResponseValue<types::UpdateSubscriptionResponse>,
    Error<types::ApiError>,
> {
    client
        .update_subscription_details()
        .customer_id(565_039_505)
        .format(types::UpdateSubscriptionDetailsFormat::Json)
        .body(typed_request_example())
        .send()
        .await
}

#[tokio::test]
async fn a_500_on_a_post_is_not_retried() {
    let server = server_answering(
        ResponseTemplate::new(500).set_body_json(json!({"warnings": [], "errors": [{"status": false, "message": "internal error", "code": 500}]})),
    )
    .await;
    let error = update(&client(&server.uri())).await.expect_err("500");
    assert_eq!(error.attempts(), 1);
    assert_error_response(error, 500);
    assert_eq!(received(&server).await.len(), 1);
}

#[tokio::test]
async fn a_503_on_a_post_is_retried() {
    let server = server_answering_in_turn(vec![
        ResponseTemplate::new(503),
        ResponseTemplate::new(200).set_body_json(response_example()),
    ])
    .await;
    let response = update(&client(&server.uri()))
        .await
        .expect("the second attempt succeeds");
    assert_eq!(response.status(), 200);
    assert_eq!(received(&server).await.len(), 2);
}

#[tokio::test]
async fn a_refused_connection_is_retried_for_a_post_then_names_the_attempts() {
    let error = update(&client(&format!("http://127.0.0.1:{}", closed_port())))
        .await
        .expect_err("nothing listens");
    assert_eq!(error.delivery(), Delivery::NotSent);
    let last = assert_retried(error, 3, RetryStop::MaxAttempts);
    assert!(matches!(last, Error::Unreachable(_)), "{last:?}");
}
