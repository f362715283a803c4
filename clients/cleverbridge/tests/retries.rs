//! The retry policy of `cleverbridge-client`, whose update is a `POST`: the API
//! may have applied it when it answers 500 or the answer breaks, so only a
//! refused connection, 429 and 503 are retried. Against local servers on
//! 127.0.0.1; only counts are asserted.

use cleverbridge_client::{Client, Delivery, Error, RetryStop, auth, types};
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
        "SubscriptionId": "S24138411",
        "RunningNumber": 1,
        "ProductId": 97771,
        "Quantity": 1,
        "UpdateAction": "Update",
        "AlignmentSettings": {
            "AlignToCurrentInterval": true,
            "ExtendInterval": false,
            "GetCustomerPricePreviewOnly": true
        },
        "CouponCode": "BD3-1KK-UN3",
        "ProductName": "Internet Security Basic Extended",
        "ProductNameEn": "Internet Security Basic Extended",
        "ProductNameExtension": "For your home",
        "RecommendationSetId": 14665,
        "GenerateMail": true,
        "TriggerImmediateRenewal": false,
        "ResetBillingInterval": false,
        "UpdatePriceFromCurrentProductPrice": false
    })
}

/// The spec's 200 response example, verbatim.
fn response_example() -> Value {
    json!({
        "Success": true,
        "ResultMessage": "OK",
        "AlignmentCustomerGrossPrice": 11.89,
        "AlignmentCustomerNetPrice": 9.99,
        "AlignmentCustomerVatPrice": 1.9,
        "NextBillingCustomerGrossPrice": 35.69,
        "NextBillingCustomerNetPrice": 29.99,
        "NextBillingCustomerVatPrice": 5.7,
        "PriceCurrencyId": "EUR"
    })
}

/// The spec's request example as a typed value.
fn typed_request_example() -> types::UpdateSubscriptionItemRequest {
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
    cleverbridge_client::ResponseValue<types::UpdateSubscriptionItemResponse>,
    Error<types::ApiError>,
> {
    client
        .update_subscription_item()
        .body(typed_request_example())
        .send()
        .await
}

#[tokio::test]
async fn a_500_on_a_post_is_not_retried() {
    let server = server_answering(
        ResponseTemplate::new(500)
            .set_body_json(json!({"Success": false, "ResultMessage": "internal error"})),
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
