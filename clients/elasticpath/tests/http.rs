//! HTTP-level tests of `elasticpath-client` against a local wiremock server.
//!
//! They check the generated client against `specs/elasticpath.yaml`
//! (`PUT /subscriptions/subscribers/{subscriber_uuid}`, "Update a subscriber"):
//!
//! - the request line and headers (method, path, no query, bearer token,
//!   `Content-Type`, `Accept`, `User-Agent`, no `api-version`);
//! - the spec's example request body, built from the generated types, goes out
//!   as exactly the spec's JSON;
//! - the spec's example 200 response and every declared error status
//!   (400, 403, 404, 409, 500) parse into their typed bodies;
//! - forward compatibility (unknown enum values, unknown fields), undeclared
//!   statuses and malformed bodies keep the status and the raw body; a payment
//!   gateway the spec does not list is a malformed body (the union is closed);
//! - `payment_authority` left out, sent as `null` or sent as an object
//!   (`tests/payment_authority.rs` covers the Authorize.Net shape);
//! - credentials: never in `Debug` output, and a missing token stops the call
//!   before anything is sent;
//! - the spec's servers, base URLs with a trailing slash, and the request timeout.
//!
//! Only the wiremock server on 127.0.0.1 is contacted; the token is a placeholder.

use std::time::Duration;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use client_test_support::wiremock::matchers::{method, path};
use client_test_support::wiremock::{Mock, MockServer, ResponseTemplate};
use client_test_support::{
    assert_debug_shows, assert_error_response, assert_invalid_payload, assert_invalid_request,
    assert_missing_credentials, assert_no_requests, assert_redacted, assert_request_line,
    assert_standard_headers, assert_unexpected_response, header_values, raw_body, received,
    received_json, server_answering, server_expecting_no_requests, single_request,
};
use elasticpath_client::{
    Client, ClientInfo, Error, ResponseValue, RetryPolicy, Server, auth, types,
};
use serde_json::{Value, json};

/// Placeholder bearer token.
const TOKEN: &str = "test-token";
/// The spec's example `subscriber_uuid`.
const SUBSCRIBER_UUID: &str = "11111111-2222-3333-4444-555555555555";
/// The operation's path with the example `subscriber_uuid` filled in.
const SUBSCRIBER_PATH: &str = "/subscriptions/subscribers/11111111-2222-3333-4444-555555555555";
/// The `User-Agent` the client is expected to send.
const USER_AGENT: &str = concat!("elasticpath-client/", env!("CARGO_PKG_VERSION"));

type UpdateResult = Result<ResponseValue<types::SubscriberResponse>, Error<types::ApiError>>;

/// A client for `server` with the placeholder token. Retries are off: these
/// tests check what one answer becomes (a PUT's 500 or timeout would be
/// retried); `tests/retries.rs` checks the retries.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new(TOKEN))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a wiremock URI is a valid base URL")
}

/// The spec's `requestBody` example, verbatim.
fn request_example() -> Value {
    json!({
        "data": {
            "id": "11111111-2222-3333-4444-555555555555",
            "type": "subscription_subscriber",
            "attributes": {
                "name": "John Doe",
                "email": "john.doe@example.com",
                "payment_authority": {
                    "type": "elastic_path_payments_stripe",
                    "customer_id": "cus_OPfKlxWV3hp9h6",
                    "card_id": "card_8Diw3FQPhxK27WADPVMeXieP"
                }
            }
        }
    })
}

/// The spec's example 200 response, verbatim.
fn response_example() -> Value {
    json!({
        "data": {
            "id": "11111111-2222-3333-4444-555555555555",
            "type": "subscription_subscriber",
            "attributes": {
                "account_id": "11111111-2222-3333-4444-555555555555",
                "name": "John Doe",
                "email": "john.doe@example.com",
                "payment_authority": {
                    "type": "elastic_path_payments_stripe",
                    "customer_id": "cus_OPfKlxWV3hp9h6",
                    "card_id": "card_8Diw3FQPhxK27WADPVMeXieP"
                },
                "created_at": "2017-01-10T11:41:19.244842Z",
                "updated_at": "2017-01-10T11:41:19.244842Z"
            },
            "meta": {
                "owner": "store",
                "timestamps": {
                    "created_at": "2017-01-10T11:41:19.244842Z",
                    "updated_at": "2017-01-10T11:41:19.244842Z"
                },
                "feature_entitlements": ["tag1", "tag2"]
            }
        }
    })
}

/// The spec's example request body, built from the generated builders and types.
fn typed_request_example() -> types::SubscriberUpdateRequest {
    let payment_authority = types::PaymentAuthority::ElasticPathPaymentsStripe {
        customer_id: Some(
            types::PaymentAuthorityCustomerId::try_from("cus_OPfKlxWV3hp9h6")
                .expect("the example customer_id is 3 to 1024 characters"),
        ),
        card_id: Some(
            types::PaymentAuthorityCardId::try_from("card_8Diw3FQPhxK27WADPVMeXieP")
                .expect("the example card_id is 3 to 1024 characters"),
        ),
    };
    let attributes = types::SubscriberUpdateAttributes::builder()
        .name(types::SubscriberName::try_from("John Doe").expect("the example name is valid"))
        .email(
            types::SubscriberEmail::try_from("john.doe@example.com")
                .expect("the example email is valid"),
        )
        .payment_authority(payment_authority);
    let data = types::SubscriberUpdate::builder()
        .id(SUBSCRIBER_UUID)
        .type_(types::SubscriptionSubscriberType::SubscriptionSubscriber)
        .attributes(attributes);
    types::SubscriberUpdateRequest::builder()
        .data(data)
        .try_into()
        .expect("every required field of the example is set")
}

/// The same body with only the given `payment_authority`.
fn body_with_payment_authority(
    payment_authority: types::Nullable<types::PaymentAuthority>,
) -> types::SubscriberUpdateRequest {
    types::SubscriberUpdateRequest::try_from(
        types::SubscriberUpdateRequest::builder().data(
            types::SubscriberUpdate::try_from(
                types::SubscriberUpdate::builder()
                    .id(SUBSCRIBER_UUID
                        .parse::<types::ResourceUuid>()
                        .expect("the example UUID is valid"))
                    .type_(types::SubscriptionSubscriberType::SubscriptionSubscriber)
                    .attributes(
                        types::SubscriberUpdateAttributes::try_from(
                            types::SubscriberUpdateAttributes::builder()
                                .payment_authority(payment_authority),
                        )
                        .expect("builds"),
                    ),
            )
            .expect("builds"),
        ),
    )
    .expect("builds")
}

/// A mock server that answers every request to the operation's path with `response`.
async fn operation_server(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path(SUBSCRIBER_PATH))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A mock server that answers the operation with the spec's 200 example.
async fn operation_server_ok() -> MockServer {
    operation_server(ResponseTemplate::new(200).set_body_json(response_example())).await
}

/// Sends the spec's example request body (parsed from the spec's JSON) with `client`.
async fn send_example(client: &Client) -> UpdateResult {
    let body: types::SubscriberUpdateRequest =
        serde_json::from_value(request_example()).expect("the spec's example matches its schema");
    client
        .update_subscriber()
        .subscriber_uuid(SUBSCRIBER_UUID)
        .body(body)
        .send()
        .await
}

/// The error the example request ends in when the operation answers `response`.
async fn example_error(response: ResponseTemplate) -> Error<types::ApiError> {
    let server = operation_server(response).await;
    let result = send_example(&client(&server)).await;
    result.expect_err("the server's answer is an error")
}

/// 2017-01-10T11:41:19.244842Z, the timestamp of the spec's examples.
fn example_timestamp() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2017, 1, 10, 11, 41, 19)
        .single()
        .expect("a valid UTC date")
        + TimeDelta::microseconds(244_842)
}

#[tokio::test]
async fn sends_put_to_the_subscriber_path_with_the_spec_headers() {
    let server = operation_server_ok().await;

    send_example(&client(&server))
        .await
        .expect("the example response parses");

    let request = single_request(&server).await;
    // The operation has no query parameters.
    assert_request_line(&request, "PUT", SUBSCRIBER_PATH, None);
    assert_eq!(
        header_values(&request, "authorization"),
        ["Bearer test-token"]
    );
    assert_standard_headers(&request, USER_AGENT);
}

#[tokio::test]
async fn typed_example_body_is_sent_as_the_spec_json() {
    let server = operation_server_ok().await;
    let client = client(&server);

    client
        .update_subscriber()
        .subscriber_uuid(SUBSCRIBER_UUID)
        .body(typed_request_example())
        .send()
        .await
        .expect("typed request succeeds");
    // The same body parsed from the spec's JSON must go out unchanged too.
    send_example(&client)
        .await
        .expect("request parsed from JSON succeeds");

    let bodies = received_json(&server).await;
    assert_eq!(bodies.len(), 2);
    assert_eq!(bodies[0], request_example(), "typed body");
    assert_eq!(bodies[1], request_example(), "body parsed from JSON");
}

#[tokio::test]
async fn spec_example_200_response_parses() {
    let server = operation_server_ok().await;

    let response = send_example(&client(&server))
        .await
        .expect("the example response parses");
    assert_eq!(response.status().as_u16(), 200);

    let subscriber = response.into_inner().data.expect("the example has data");
    assert_eq!(
        subscriber.id.expect("the example has an id").to_string(),
        SUBSCRIBER_UUID
    );
    assert_eq!(
        subscriber.type_,
        types::SubscriptionSubscriberType::SubscriptionSubscriber
    );

    let attributes = subscriber.attributes;
    assert_eq!(attributes.account_id.to_string(), SUBSCRIBER_UUID);
    assert_eq!(attributes.name.as_str(), "John Doe");
    assert_eq!(attributes.email.as_str(), "john.doe@example.com");
    assert_eq!(attributes.created_at.0, example_timestamp());
    assert_eq!(attributes.updated_at.0, example_timestamp());
    let Some(types::PaymentAuthority::ElasticPathPaymentsStripe {
        customer_id,
        card_id,
    }) = attributes.payment_authority
    else {
        panic!("the example has a Stripe payment authority");
    };
    assert_eq!(
        customer_id.as_deref().map(String::as_str),
        Some("cus_OPfKlxWV3hp9h6")
    );
    assert_eq!(
        card_id.as_deref().map(String::as_str),
        Some("card_8Diw3FQPhxK27WADPVMeXieP")
    );

    let meta = subscriber.meta;
    assert_eq!(meta.owner, types::SubscriberMetaOwner::Store);
    assert!(!meta.owner.is_unknown());
    assert_eq!(meta.timestamps.created_at.0, example_timestamp());
    assert_eq!(meta.timestamps.updated_at.0, example_timestamp());
    let tags: Vec<&str> = meta
        .feature_entitlements
        .as_deref()
        .expect("the example has feature entitlements")
        .iter()
        .map(|tag| tag.as_str())
        .collect();
    assert_eq!(tags, ["tag1", "tag2"]);
}

#[tokio::test]
async fn every_declared_error_status_parses_into_api_error() {
    let cases = [
        (
            400,
            json!({"errors": [{
                "status": "400",
                "title": "Bad Request",
                "detail": "data.attributes.name: String length must be greater than or equal to 3"
            }]}),
        ),
        (
            403,
            json!({"errors": [{
                "status": "403",
                "title": "Forbidden",
                "detail": "You do not have permission to access this resource."
            }]}),
        ),
        (
            404,
            json!({"errors": [{
                "status": "404",
                "title": "Not Found",
                "detail": "No subscriber found with id 11111111-2222-3333-4444-555555555555."
            }]}),
        ),
        (
            409,
            json!({"errors": [{
                "status": "409",
                "title": "Write Conflict",
                "detail": "The resource was modified by another request. Please retry."
            }]}),
        ),
        (
            500,
            json!({"errors": [{
                "status": "500",
                "title": "Internal Server Error",
                "detail": "There was an internal server error. Please retry later.",
                "meta": {"request_id": "00000000-0000-0000-0000-000000000000"}
            }]}),
        ),
    ];
    for (status, body) in cases {
        let error = example_error(ResponseTemplate::new(status).set_body_json(&body)).await;

        let [item] = assert_error_response(error, status)
            .errors
            .try_into()
            .unwrap_or_else(|errors| panic!("{status}: expected one error item, got {errors:?}"));
        assert_eq!(item.status, status.to_string());
        assert_eq!(
            Some(item.title.as_str()),
            body["errors"][0]["title"].as_str()
        );
        assert_eq!(item.detail.as_deref(), body["errors"][0]["detail"].as_str());
        if status == 500 {
            let meta = item.meta.expect("the 500 example has meta");
            assert_eq!(
                meta.get("request_id"),
                Some(&json!("00000000-0000-0000-0000-000000000000"))
            );
        } else {
            assert!(item.meta.is_none(), "{status}: the example has no meta");
        }
    }
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields_are_accepted() {
    let mut body = response_example();
    body["data"]["meta"]["owner"] = json!("marketplace");
    body["data"]["attributes"]["payment_authority"]["wallet"] = json!("default");
    body["data"]["attributes"]["loyalty_tier"] = json!("gold");
    body["data"]["meta"]["region"] = json!({"code": "eu-west"});
    body["links"] = json!({"self": "https://example.com/subscribers/1"});

    let server = operation_server(ResponseTemplate::new(200).set_body_json(body)).await;

    let subscriber = send_example(&client(&server))
        .await
        .expect("unknown values and fields must not break parsing")
        .into_inner()
        .data
        .expect("data is present");
    let owner = subscriber.meta.owner;
    assert_eq!(
        owner,
        types::SubscriberMetaOwner::Unknown("marketplace".to_string())
    );
    assert!(owner.is_unknown());
    assert_eq!(owner.as_str(), "marketplace");
    assert!(matches!(
        subscriber.attributes.payment_authority,
        Some(types::PaymentAuthority::ElasticPathPaymentsStripe { .. })
    ));
}

/// `payment_authority` is a closed union on `type`, as in Elastic Path's own
/// spec: a gateway it does not list cannot be given a typed shape, so the
/// answer is reported as malformed, with its status and raw body kept.
#[tokio::test]
async fn unknown_payment_gateway_is_invalid_response_payload_with_the_raw_body() {
    let mut body = response_example();
    body["data"]["attributes"]["payment_authority"] =
        json!({"type": "paypal_express", "billing_agreement_id": "B-123"});
    let raw = body.to_string();

    let error = example_error(raw_body(200, "application/json", &raw)).await;

    assert_invalid_payload(error, 200, &raw);
}

#[tokio::test]
async fn undeclared_status_is_unexpected_response_with_the_raw_body() {
    let cases = [
        (
            401,
            r#"{"errors":[{"status":"401","title":"Unauthorized"}]}"#,
        ),
        (418, "I'm a teapot"),
        (502, "<html><body>Bad Gateway</body></html>"),
    ];
    for (status, raw) in cases {
        let error = example_error(raw_body(status, "application/json", raw)).await;

        assert_unexpected_response(error, status, raw);
    }
}

#[tokio::test]
async fn malformed_200_body_is_invalid_response_payload() {
    let cases = [
        // Truncated JSON.
        r#"{"data":"#,
        // `id` is a number, not a UUID string.
        r#"{"data":{"id":42,"type":"subscription_subscriber","attributes":{"account_id":"11111111-2222-3333-4444-555555555555","name":"John Doe","email":"john.doe@example.com","created_at":"2017-01-10T11:41:19.244842Z","updated_at":"2017-01-10T11:41:19.244842Z"},"meta":{"owner":"store","timestamps":{"created_at":"2017-01-10T11:41:19.244842Z","updated_at":"2017-01-10T11:41:19.244842Z"}}}}"#,
        // `created_at` is not a date-time.
        r#"{"data":{"type":"subscription_subscriber","attributes":{"account_id":"11111111-2222-3333-4444-555555555555","name":"John Doe","email":"john.doe@example.com","created_at":"2017-01-10T11:41:19.244842Z","updated_at":"2017-01-10T11:41:19.244842Z"},"meta":{"owner":"store","timestamps":{"created_at":"yesterday","updated_at":"2017-01-10T11:41:19.244842Z"}}}}"#,
        // Required `meta` is missing.
        r#"{"data":{"type":"subscription_subscriber","attributes":{"account_id":"11111111-2222-3333-4444-555555555555","name":"John Doe","email":"john.doe@example.com","created_at":"2017-01-10T11:41:19.244842Z","updated_at":"2017-01-10T11:41:19.244842Z"}}}"#,
        // Required `attributes` is missing (required in Elastic Path's own spec).
        r#"{"data":{"type":"subscription_subscriber","meta":{"owner":"store","timestamps":{"created_at":"2017-01-10T11:41:19.244842Z","updated_at":"2017-01-10T11:41:19.244842Z"}}}}"#,
    ];
    for raw in cases {
        let error = example_error(raw_body(200, "application/json", raw)).await;

        assert_invalid_payload(error, 200, raw);
    }
}

#[tokio::test]
async fn declared_error_status_with_a_non_json_body_is_invalid_response_payload() {
    let raw = "<html><body>Internal Server Error</body></html>";
    let error = example_error(raw_body(500, "application/json", raw)).await;

    assert_invalid_payload(error, 500, raw);
}

#[tokio::test]
async fn payment_authority_absent_null_and_value_are_three_different_bodies() {
    let server = operation_server_ok().await;
    let client = client(&server);

    let stripe = types::PaymentAuthority::ElasticPathPaymentsStripe {
        customer_id: Some(
            types::PaymentAuthorityCustomerId::try_from("cus_OPfKlxWV3hp9h6")
                .expect("valid customer_id"),
        ),
        card_id: None,
    };
    let cases = [
        types::Nullable::Absent,
        types::Nullable::Null,
        types::Nullable::Value(stripe),
    ];
    for payment_authority in cases {
        client
            .update_subscriber()
            .subscriber_uuid(SUBSCRIBER_UUID)
            .body(body_with_payment_authority(payment_authority))
            .send()
            .await
            .expect("request succeeds");
    }

    let bodies = received_json(&server).await;
    let attributes: Vec<&Value> = bodies
        .iter()
        .map(|body| &body["data"]["attributes"])
        .collect();
    assert_eq!(
        attributes,
        [
            &json!({}),
            &json!({"payment_authority": null}),
            &json!({"payment_authority": {
                "type": "elastic_path_payments_stripe",
                "customer_id": "cus_OPfKlxWV3hp9h6"
            }}),
        ]
    );
    // `Absent` must leave the key out entirely, not send `null`.
    let absent = bodies[0]["data"]["attributes"]
        .as_object()
        .expect("attributes is an object");
    assert!(!absent.contains_key("payment_authority"));
}

#[test]
fn secrets_never_appear_in_debug_output() {
    const SECRET: &str = "test-token-never-printed";
    let credentials = auth::BearerAuth::new(SECRET);
    let builder = Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_auth(credentials.clone());
    let client = builder.clone().build().expect("valid configuration");
    let request = client.update_subscriber().subscriber_uuid(SUBSCRIBER_UUID);

    // Compact and pretty `Debug` output alike.
    assert_redacted(
        &[
            ("BearerAuth", &credentials),
            ("Secret", &auth::Secret::from(SECRET)),
            ("ClientBuilder", &builder),
            ("Client", &client),
            ("operation builder", &request),
        ],
        &[SECRET],
    );
    assert_debug_shows("BearerAuth", &credentials, "redacted");
    assert_debug_shows("ClientBuilder", &builder, "redacted");
    // The client still says which scheme is configured.
    assert_debug_shows("Client", &client, "bearerAuth");
}

#[tokio::test]
async fn missing_credentials_fail_before_sending() {
    let server = server_expecting_no_requests().await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("valid configuration");

    let error = send_example(&client)
        .await
        .expect_err("the operation requires bearerAuth");
    assert_missing_credentials(error, "update_subscriber", "bearerAuth");
    assert_no_requests(&server).await;
}

#[tokio::test]
async fn invalid_subscriber_uuid_fails_before_sending() {
    let server = server_expecting_no_requests().await;

    let error = client(&server)
        .update_subscriber()
        .subscriber_uuid("not-a-uuid")
        .body(typed_request_example())
        .send()
        .await
        .expect_err("the path parameter must be a UUID");
    let reason = assert_invalid_request(error, "subscriber_uuid \"not-a-uuid\"");
    assert!(reason.contains("subscriber_uuid"), "{reason}");
    assert_no_requests(&server).await;
}

#[test]
fn servers_match_the_spec() {
    const EUWEST: &str = "https://euwest.api.elasticpath.com/v2";
    const USEAST: &str = "https://useast.api.elasticpath.com/v2";

    assert_eq!(Server::default(), Server::Euwest);
    assert_eq!(Server::default().url(), EUWEST, "the spec's first server");
    for server in [Server::Euwest, Server::Useast] {
        // Exhaustive on purpose: a new server in the spec must be added here.
        let expected = match server {
            Server::Euwest => EUWEST,
            Server::Useast => USEAST,
        };
        assert_eq!(server.url(), expected);
    }

    let default = Client::builder().build().expect("valid configuration");
    assert_eq!(default.baseurl(), EUWEST);
    let useast = Client::builder()
        .server(Server::Useast)
        .build()
        .expect("valid configuration");
    assert_eq!(useast.baseurl(), USEAST);
}

#[tokio::test]
async fn base_url_with_trailing_slash_hits_the_same_path() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(response_example())).await;

    for (base_url, expected_path) in [
        (format!("{}/", server.uri()), SUBSCRIBER_PATH.to_string()),
        (
            format!("{}/v2/", server.uri()),
            format!("/v2{SUBSCRIBER_PATH}"),
        ),
    ] {
        let client = Client::builder()
            .base_url(&base_url)
            .bearer_auth(auth::BearerAuth::new(TOKEN))
            .build()
            .expect("valid configuration");
        send_example(&client).await.expect("request succeeds");

        let request = received(&server)
            .await
            .pop()
            .expect("the request was received");
        assert_eq!(request.url.path(), expected_path, "base URL {base_url}");
    }
}

#[tokio::test]
async fn a_timeout_waiting_for_the_answer_says_the_request_may_have_been_sent() {
    let server = operation_server(
        ResponseTemplate::new(200)
            .set_body_json(response_example())
            .set_delay(Duration::from_secs(2)),
    )
    .await;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new(TOKEN))
        .timeout(Duration::from_millis(200))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid configuration");

    let error = send_example(&client)
        .await
        .expect_err("the server answers after the timeout");
    assert_eq!(error.delivery(), elasticpath_client::Delivery::MaybeSent);
    let Error::Timeout { phase, source } = error else {
        panic!("expected Timeout, got {error:?}");
    };
    assert!(
        matches!(phase, elasticpath_client::TimeoutPhase::Response),
        "{phase:?}"
    );
    assert!(source.is_timeout(), "expected a timeout, got {source:?}");
}
