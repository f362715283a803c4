//! HTTP-level tests of `cleverbridge-client` against a local wiremock server.
//!
//! They check the generated client against `specs/cleverbridge.yaml`:
//! - the request: `POST /subscription/updatesubscriptionitem`, no query, HTTP Basic
//!   credentials, `Content-Type`, `Accept`, `User-Agent`, and no stray `api-version` header;
//! - the body: the spec's request example, built in typed form, is sent as exactly that JSON;
//!   flags left unset (`GenerateMail`, the other booleans, `AlignmentSettings`) are left out
//!   rather than filled in with the server's defaults, and an explicit `false` is still sent;
//! - the answers: the 200 example, every documented error status (400, 401, 500), extra
//!   fields, an undeclared status and malformed bodies;
//! - credentials: never in `Debug` output, and no request at all when they are missing;
//! - servers: the single spec server is the default, and a base URL with a trailing `/`.

use cleverbridge_client::servers::Server;
use cleverbridge_client::{Client, ClientInfo, Error, auth, types};
use client_test_support::wiremock::matchers::{header, method, path};
use client_test_support::wiremock::{Mock, MockServer, ResponseTemplate};
use client_test_support::{
    assert_debug_shows, assert_error_response, assert_invalid_payload, assert_invalid_request,
    assert_missing_credentials, assert_no_requests, assert_redacted, assert_request_line,
    assert_standard_headers, assert_unexpected_response, header_values, raw_body, server_answering,
    server_expecting_no_requests, single_json, single_request, with_standard_headers,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

const USER: &str = "test-user";
const PASSWORD: &str = "test-password";
/// `base64("test-user:test-password")`, written out so the test does not only trust the encoder.
const BASIC_TOKEN: &str = "dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ=";
const OPERATION_PATH: &str = "/subscription/updatesubscriptionitem";
const USER_AGENT: &str = concat!("cleverbridge-client/", env!("CARGO_PKG_VERSION"));

/// The `Authorization` value HTTP Basic requires for the placeholder credentials.
fn expected_authorization() -> String {
    format!("Basic {BASIC_TOKEN}")
}

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
        "Couponcode": "BD3-1KK-UN3",
        "ProductName": "Internet Security Basic Extended",
        "ProductNameEn": "Internet Security Basic Extended",
        "ProductNameExtension": "For your home",
        "RecommendationsetId": 14665,
        "GenerateMail": true,
        "TriggerImmediateRenewal": false,
        "ResetBillingInterval": false,
        "UpdatePriceFromCurrentProductPrice": false
    })
}

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

/// The spec's request example as a typed value.
fn typed_request_example() -> types::UpdateSubscriptionItemRequest {
    serde_json::from_value(request_example())
        .expect("the spec's request example matches its schema")
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

/// A client for `server` with the placeholder credentials.
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth(auth::BasicAuth::new(USER, PASSWORD))
        .build()
        .expect("a client with a wiremock base URL builds")
}

/// A mock server that answers every request with the spec's 200 example.
async fn server_answering_ok() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_json(response_example())).await
}

/// Sends the spec's example request.
async fn send_example(
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

/// Sends `body` and returns the JSON the server received.
async fn sent_json(body: types::builder::UpdateSubscriptionItemRequest) -> Value {
    let server = server_answering_ok().await;
    client_for(&server)
        .update_subscription_item()
        .body(body)
        .send()
        .await
        .expect("the call succeeds");
    single_json(&server).await
}

/// The error the example request ends in when the server answers `response`.
async fn example_error(response: ResponseTemplate) -> Error<types::ApiError> {
    let server = server_answering(response).await;
    let result = send_example(&client_for(&server)).await;
    result.expect_err("the server's answer is an error")
}

#[tokio::test]
async fn sends_post_to_operation_path_with_spec_headers() {
    let server = MockServer::start().await;
    let spec_request = Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .and(header("authorization", expected_authorization().as_str()));
    with_standard_headers(spec_request, USER_AGENT)
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example()))
        .expect(1)
        .mount(&server)
        .await;

    let response = send_example(&client_for(&server))
        .await
        .expect("the mock matching the spec's request answers 200");
    assert_eq!(response.status(), StatusCode::OK);

    let request = single_request(&server).await;
    // The operation has no query parameters.
    assert_request_line(&request, "POST", OPERATION_PATH, None);
    assert_eq!(
        header_values(&request, "authorization"),
        [expected_authorization()]
    );
    assert_standard_headers(&request, USER_AGENT);
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

    assert_eq!(sent_json(body).await, request_example());
}

#[tokio::test]
async fn example_request_deserialized_from_json_is_sent_unchanged() {
    let server = server_answering_ok().await;

    send_example(&client_for(&server))
        .await
        .expect("the call succeeds");

    assert_eq!(single_json(&server).await, request_example());
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
async fn parses_the_spec_example_200_response() {
    let server = server_answering_ok().await;

    let response = send_example(&client_for(&server))
        .await
        .expect("the example response parses");

    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_inner();
    assert_eq!(body.result_message, "OK");
    assert_eq!(body.alignment_customer_gross_price, Some(11.89));
    assert_eq!(body.alignment_customer_net_price, Some(9.99));
    assert_eq!(body.alignment_customer_vat_price, Some(1.9));
    assert_eq!(body.next_billing_customer_gross_price, Some(35.69));
    assert_eq!(body.next_billing_customer_net_price, Some(29.99));
    assert_eq!(body.next_billing_customer_vat_price, Some(5.7));
    assert_eq!(body.price_currency_id.as_deref(), Some("EUR"));
}

#[tokio::test]
async fn documented_error_statuses_parse_into_error_response() {
    let cases = [
        (
            400,
            "Subscription item with running number 3 not found in subscription S24138411.",
        ),
        (401, "Authentication failed."),
        (500, "An unexpected error occurred."),
    ];
    for (status, message) in cases {
        let example = json!({ "ResultMessage": message });
        let error = example_error(ResponseTemplate::new(status).set_body_json(example)).await;

        let body = assert_error_response(error, status);
        assert_eq!(body.result_message.as_deref(), Some(message), "{status}");
    }
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
    let server = server_answering(ResponseTemplate::new(200).set_body_json(answer)).await;

    let body = send_example(&client_for(&server))
        .await
        .expect("extra fields still parse")
        .into_inner();

    assert_eq!(body.result_message, "OK");
    assert_eq!(body.price_currency_id.as_deref(), Some("USD"));
    assert_eq!(body.alignment_customer_gross_price, None);
}

#[tokio::test]
async fn undeclared_status_is_unexpected_response_with_raw_body() {
    let error = example_error(ResponseTemplate::new(418).set_body_string("I'm a teapot")).await;

    assert_unexpected_response(error, 418, "I'm a teapot");
}

#[tokio::test]
async fn malformed_200_body_is_invalid_response_payload() {
    for raw in [
        r#"{"ResultMessage": "OK", "PriceCurrencyId": "EU"#,
        // `ResultMessage` is the one required response field.
        r#"{"PriceCurrencyId": "EUR"}"#,
        r#"{"ResultMessage": "OK", "AlignmentCustomerGrossPrice": "11.89"}"#,
    ] {
        let error = example_error(raw_body(200, "application/json", raw)).await;

        assert_invalid_payload(error, 200, raw);
    }
}

#[tokio::test]
async fn malformed_error_body_is_invalid_response_payload_with_its_status() {
    let raw = "<html><body>Unauthorized</body></html>";
    let error = example_error(raw_body(401, "text/html", raw)).await;

    assert_invalid_payload(error, 401, raw);
}

#[tokio::test]
async fn debug_output_never_contains_the_password() {
    let credentials = auth::BasicAuth::new(USER, PASSWORD);
    let builder = Client::builder().basic_auth(credentials.clone());
    let client = builder
        .clone()
        .build()
        .expect("a client with the default server builds");

    assert_redacted(
        &[
            ("BasicAuth", &credentials),
            ("ClientBuilder", &builder),
            ("Client", &client),
        ],
        &[PASSWORD, BASIC_TOKEN],
    );
    assert_debug_shows("BasicAuth", &credentials, "Secret(<redacted>)");
    assert_eq!(
        format!("{:?}", auth::Secret::from(PASSWORD)),
        "Secret(<redacted>)"
    );
}

#[tokio::test]
async fn missing_credentials_fail_without_sending_a_request() {
    let server = server_expecting_no_requests().await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client without credentials builds");

    let error = send_example(&client)
        .await
        .expect_err("the operation requires basicAuth");

    assert_missing_credentials(error, "update_subscription_item", "basicAuth");
    assert_no_requests(&server).await;
}

#[test]
fn default_server_is_the_spec_server() {
    assert_eq!(Server::default().url(), "https://rest.cleverbridge.com");
    assert_eq!(Server::Rest.url(), "https://rest.cleverbridge.com");
    let client = Client::builder()
        .build()
        .expect("the default server is a valid base URL");
    assert_eq!(client.baseurl(), "https://rest.cleverbridge.com");
    let client = Client::builder()
        .server(Server::Rest)
        .build()
        .expect("the spec server is a valid base URL");
    assert_eq!(client.baseurl(), "https://rest.cleverbridge.com");
}

#[tokio::test]
async fn base_url_with_trailing_slash_hits_the_operation_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/", server.uri()))
        .basic_auth(auth::BasicAuth::new(USER, PASSWORD))
        .build()
        .expect("a base URL with a trailing slash is accepted");

    send_example(&client)
        .await
        .expect("the request reaches the operation path");

    assert_eq!(single_request(&server).await.url.path(), OPERATION_PATH);
}
