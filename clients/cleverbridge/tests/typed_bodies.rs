//! What `cleverbridge-client`'s generated types make of Cleverbridge's JSON,
//! for `POST /subscription/updatesubscriptionitem` of `specs/cleverbridge.yaml`,
//! against a local wiremock server on 127.0.0.1:
//!
//! - the request built with the typed builders is the spec's example; flags
//!   left unset (`GenerateMail`, the other booleans, `AlignmentSettings`) are
//!   left out rather than filled in with the server's defaults, and an explicit
//!   `false` is still sent;
//! - an `UpdateAction` the spec does not list is sent verbatim;
//! - values breaking the schema are refused before anything is sent;
//! - answers: extra fields are tolerated, JSON breaking the schema is
//!   `InvalidResponsePayload`.
//!
//! The behaviour every client shares (request line, headers, credentials, the
//! spec's examples sent and parsed, error statuses, retries, servers) is
//! checked by the generated `tests/scenarios.rs`.

use cleverbridge_client::{Client, Error, auth, types};
use client_test_support::wiremock::{MockServer, ResponseTemplate};
use client_test_support::{
    assert_invalid_payload, assert_invalid_request, assert_no_requests, raw_body, server_answering,
    server_expecting_no_requests, single_json,
};
use serde_json::{Value, json};

/// The spec's 200 response example, verbatim.
fn response_example() -> Value {
    json!({
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

/// A typed request with only the required properties set.
fn required_only() -> types::builder::UpdateSubscriptionItemRequest {
    types::UpdateSubscriptionItemRequest::builder()
        .subscription_id("S24138411")
        .running_number(1_u32)
        .product_id(97_771_u64)
        .quantity(1_u32)
        .update_action(types::SubscriptionItemUpdateAction::Update)
}

/// A client for `server` with placeholder credentials.
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth(auth::BasicAuth::new("test-user", "test-password"))
        .build()
        .expect("a client with a wiremock base URL builds")
}

/// Sends `body` and returns the JSON the server received.
async fn sent_json(body: types::builder::UpdateSubscriptionItemRequest) -> Value {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(response_example())).await;
    client_for(&server)
        .update_subscription_item()
        .body(body)
        .send()
        .await
        .expect("the call succeeds");
    single_json(&server).await
}

/// What a call with only the required properties gets when the server
/// answers `response`.
async fn answered(
    response: ResponseTemplate,
) -> Result<
    cleverbridge_client::ResponseValue<types::UpdateSubscriptionItemResponse>,
    Error<types::ApiError>,
> {
    let server = server_answering(response).await;
    client_for(&server)
        .update_subscription_item()
        .body(required_only())
        .send()
        .await
}

#[tokio::test]
async fn typed_example_request_is_sent_as_the_spec_example_json() {
    let body = required_only()
        .alignment_settings(
            types::AlignmentSettings::try_from(
                types::AlignmentSettings::builder()
                    .align_to_current_interval(Some(true))
                    .extend_interval(Some(false))
                    .get_customer_price_preview_only(Some(true)),
            )
            .expect("builds"),
        )
        .couponcode("BD3-1KK-UN3".to_owned())
        .product_name("Internet Security Basic Extended".to_owned())
        .product_name_en("Internet Security Basic Extended".to_owned())
        .product_name_extension("For your home".to_owned())
        .recommendationset_id(14_665)
        .generate_mail(true)
        .trigger_immediate_renewal(false)
        .reset_billing_interval(false)
        .update_price_from_current_product_price(false);

    // The spec's requestBody example, verbatim: every flag set explicitly,
    // `false` included, is sent.
    let spec_example = json!({
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
        "Couponcode": "BD3-1KK-UN3",
        "ProductName": "Internet Security Basic Extended",
        "ProductNameEn": "Internet Security Basic Extended",
        "ProductNameExtension": "For your home",
        "RecommendationsetId": 14665,
        "GenerateMail": true,
        "TriggerImmediateRenewal": false,
        "ResetBillingInterval": false,
        "UpdatePriceFromCurrentProductPrice": false
    });
    assert_eq!(sent_json(body).await, spec_example);
}

#[tokio::test]
async fn unset_flags_are_left_out_instead_of_filled_with_server_defaults() {
    let sent = sent_json(required_only()).await;

    assert_eq!(
        sent,
        json!({
            "SubscriptionId": "S24138411",
            "RunningNumber": 1,
            "ProductId": 97771,
            "Quantity": 1,
            "UpdateAction": "Update"
        })
    );
    let object = sent.as_object().expect("the body is a JSON object");
    for flag in [
        "GenerateMail",
        "TriggerImmediateRenewal",
        "ResetBillingInterval",
        "UpdatePriceFromCurrentProductPrice",
        "AlignmentSettings",
    ] {
        assert!(
            !object.contains_key(flag),
            "{flag} was not set, so it must not be sent: {sent}"
        );
    }
}

#[tokio::test]
async fn explicit_false_generate_mail_is_sent() {
    let sent = sent_json(
        required_only().generate_mail(false).alignment_settings(
            types::AlignmentSettings::try_from(
                types::AlignmentSettings::builder().align_to_current_interval(Some(true)),
            )
            .expect("builds"),
        ),
    )
    .await;

    assert_eq!(sent["GenerateMail"], json!(false));
    assert_eq!(
        sent["AlignmentSettings"],
        json!({ "AlignToCurrentInterval": true }),
        "unset alignment flags are left out too"
    );
}

#[tokio::test]
async fn unlisted_update_action_is_sent_verbatim() {
    let sent = sent_json(
        required_only().update_action(types::SubscriptionItemUpdateAction::from("Crossgrade")),
    )
    .await;

    assert_eq!(sent["UpdateAction"], json!("Crossgrade"));
}

#[tokio::test]
async fn values_breaking_the_schema_are_rejected_before_sending() {
    let server = server_expecting_no_requests().await;
    let client = client_for(&server);

    let invalid = [
        (
            "SubscriptionId pattern",
            required_only().subscription_id("X-24138411"),
        ),
        ("Quantity minimum 1", required_only().quantity(0_u32)),
        (
            "RunningNumber minimum 1",
            required_only().running_number(0_u32),
        ),
    ];
    for (rule, body) in invalid {
        let error = client
            .update_subscription_item()
            .body(body)
            .send()
            .await
            .expect_err("a body breaking the schema is refused");
        assert_invalid_request(error, rule);
    }
    assert_no_requests(&server).await;
}

#[tokio::test]
async fn extra_fields_in_200_are_tolerated() {
    // The response has no enum, so forward compatibility here means unknown fields.
    let answer = json!({
        "ResultMessage": "OK",
        "Success": true,
        "PriceCurrencyId": "USD",
        "NextBillingDate": "2030-01-01T00:00:00Z",
        "Preview": { "Lines": [1, 2, 3] }
    });

    let body = answered(ResponseTemplate::new(200).set_body_json(answer))
        .await
        .expect("extra fields still parse")
        .into_inner();

    assert_eq!(body.result_message, "OK");
    assert_eq!(body.price_currency_id.as_deref(), Some("USD"));
    assert_eq!(body.alignment_customer_gross_price, None);
}

#[tokio::test]
async fn json_breaking_the_schema_is_invalid_response_payload() {
    for raw in [
        // `ResultMessage` is the one required response field.
        r#"{"PriceCurrencyId": "EUR"}"#,
        // Prices are numbers, not strings.
        r#"{"ResultMessage": "OK", "AlignmentCustomerGrossPrice": "11.89"}"#,
    ] {
        let error = answered(raw_body(200, "application/json", raw))
            .await
            .expect_err("the answer breaks the schema");

        assert_invalid_payload(error, 200, raw);
    }
}
