//! What `fabric-client`'s generated types make of Fabric's JSON, for
//! `PATCH /v1/subscriptions/{id}` of `specs/fabric.yaml`, against a local
//! wiremock server on 127.0.0.1:
//!
//! - a typed request goes out with integers as integers, the expiry date with
//!   its milliseconds, free-form `customAttributes` and the request's
//!   lower-case `contactnumber`;
//! - the 200 example parses into typed values: listed enum values as their
//!   variants, date-times as instants, the answer's `contactNumber`;
//! - open enums: unknown `status`, `channel` and `frequencyType` values (and
//!   unknown fields) parse, and an unknown `channel` is sent back verbatim;
//! - `customer.segment` left out versus sent empty;
//! - an error body without Fabric's envelope, and answers that are JSON but
//!   break the schema.
//!
//! The behaviour every client shares (request line, headers, credentials, the
//! spec's examples sent and parsed, error statuses, retries, servers) is
//! checked by the generated `tests/scenarios.rs`.

use std::num::NonZeroU32;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use client_test_support::wiremock::matchers::{method, path};
use client_test_support::wiremock::{Mock, MockServer, ResponseTemplate};
use client_test_support::{
    assert_error_response, assert_invalid_payload, raw_body, received_json, single_json,
};
use fabric_client::{Client, Error, ResponseValue, auth, types};
use serde_json::{Map, Value, json};

/// The spec's example subscription `id` path parameter.
const SUBSCRIPTION_ID: &str = "6169b2d892a5f30009d76480";
/// The operation's path with the example `id` filled in.
const SUBSCRIPTION_PATH: &str = "/v1/subscriptions/6169b2d892a5f30009d76480";

type UpdateResult =
    Result<ResponseValue<types::UpdateSubscriptionResponse>, Error<types::ApiError>>;

/// A client for `server` with a placeholder token.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new("test-token"))
        .build()
        .expect("a wiremock URI is a valid base URL")
}

/// The spec's example 200 response, verbatim.
fn response_example() -> Value {
    json!({
        "responseStatus": "OK",
        "message": "Request processed successfully",
        "data": {
            "subscription": {
                "id": "6256610bc312410009b7390b",
                "customer": {
                    "id": "62cffd65e8d7eb868c6a29d6",
                    "customerReferenceId": "12345",
                    "locale": "en_US",
                    "email": "pat.kake@example.com",
                    "contactNumber": "+923333709568",
                    "firstName": "Pat",
                    "middleName": "E",
                    "lastName": "Kake",
                    "segment": ["employee"],
                    "employeeId": "345",
                    "communicationPreference": {"email": true, "sms": true},
                    "status": "ACTIVE",
                    "createdAt": "2021-10-12T21:35:05.756Z",
                    "updatedAt": "2021-10-14T05:40:55.997Z"
                },
                "item": {
                    "id": 1000000006_i64,
                    "sku": "MOBO-X570",
                    "quantity": 1,
                    "itemPrice": {"price": 100, "currencyCode": "USD"},
                    "weight": 10,
                    "weightUnit": "lb",
                    "title": "Vitamin",
                    "description": "Vitamin C",
                    "tax": {"taxCode": "FR020000", "taxAmount": 10, "currencyCode": "USD"}
                },
                "plan": {"frequency": 30, "frequencyType": "Daily", "id": "1001"},
                "offer": {"id": "SUB-E10717", "source": "PDP"},
                "shipping": {
                    "shipmentCarrier": "USPS",
                    "shipmentMethod": "Ground",
                    "shipmentInstructions": "Please leave the package in the box",
                    "taxCode": "SHP020000",
                    "shippingAmount": 10,
                    "taxAmount": 1,
                    "currencyCode": "USD"
                },
                "expiry": {"expiryDate": "2022-07-18T09:16:11.437Z", "billingCycles": 2},
                "shipTo": {
                    "name": {"firstName": "Pat", "lastName": "Kake", "middleName": "E"},
                    "streetAddress": {"street1": "123 Main St", "street2": "Suite 100"},
                    "city": "Boston",
                    "state": "MA",
                    "postalCode": "02127",
                    "country": "US",
                    "phone": {"number": "5555551234", "kind": "home"}
                },
                "billTo": {
                    "name": {"firstName": "Pat", "lastName": "Kake", "middleName": "E"},
                    "streetAddress": {"street1": "123 Main St", "street2": "Suite 100"},
                    "city": "Boston",
                    "state": "MA",
                    "postalCode": "02127",
                    "country": "US",
                    "phone": {"number": "5555551234", "kind": "home"}
                },
                "paymentDetails": {
                    "paymentIdentifier": {"cardIdentifier": "1234", "expiryDate": "12/20"},
                    "paymentMethod": "credit_card",
                    "paymentKind": "Visa"
                },
                "customAttributes": {
                    "storeId": "60cb07fc20387b000821c5c3",
                    "associateId": 1,
                    "trackingUrl": "609436d21baded0008945b05"
                },
                "status": "ACTIVE",
                "isDeleted": false,
                "deletedAt": "2019-01-01T00:00:00.000Z",
                "channel": "WEBSITE",
                "originOrderId": "22-4498-4800",
                "offsetDays": 2,
                "createdAt": "2021-10-12T21:35:05.756Z",
                "updatedAt": "2021-10-14T05:40:55.997Z",
                "statusUpdatedAt": "2021-10-14T10:24:36.468Z"
            }
        }
    })
}

/// `Some(value.to_string())`, for the optional strings.
fn some(value: &str) -> Option<String> {
    Some(value.to_string())
}

/// The parts of the spec's request example whose types show on the wire
/// (an enum, integers, `number`s, a date-time, a free-form object, the
/// request's spelling of `contactnumber`), built from the generated types.
fn typed_request() -> types::UpdateSubscriptionRequest {
    let mut custom_attributes = Map::new();
    custom_attributes.insert("storeId".into(), json!("60cb07fc20387b000821c5c3"));
    custom_attributes.insert("associateId".into(), json!(1));

    types::UpdateSubscriptionRequest::try_from(
        types::UpdateSubscriptionRequest::builder()
            .channel(Some(types::Channel::Website))
            .customer(Some(
                types::CustomerUpdate::try_from(
                    types::CustomerUpdate::builder().contactnumber(some("+923333709568")),
                )
                .expect("builds"),
            ))
            .custom_attributes(Some(types::CustomAttributes(custom_attributes)))
            .item(Some(
                types::Item::try_from(
                    types::Item::builder()
                        .id(Some(1_000_000_006))
                        .quantity(NonZeroU32::new(1))
                        .weight(Some(10.0))
                        .item_price(Some(
                            types::ItemPrice::try_from(
                                types::ItemPrice::builder()
                                    .price(Some(100.0))
                                    .currency_code(some("USD")),
                            )
                            .expect("builds"),
                        )),
                )
                .expect("builds"),
            ))
            .plan(Some(
                types::Plan::try_from(
                    types::Plan::builder()
                        .id(some("1001"))
                        .frequency(NonZeroU32::new(30))
                        .frequency_type(Some(types::PlanFrequencyType::Daily)),
                )
                .expect("builds"),
            ))
            .expiry(Some(
                types::Expiry::try_from(
                    types::Expiry::builder()
                        .expiry_date(Some(
                            utc(2022, 7, 18, 9, 16, 11) + TimeDelta::milliseconds(437),
                        ))
                        .billing_cycles(Some(2)),
                )
                .expect("builds"),
            )),
    )
    .expect("builds")
}

/// A UTC date-time, whole seconds.
fn utc(year: i32, month: u32, day: u32, hour: u32, min: u32, sec: u32) -> DateTime<Utc> {
    Utc.with_ymd_and_hms(year, month, day, hour, min, sec)
        .single()
        .expect("a valid UTC date")
}

/// `value` with every number replaced by its `f64` value, so that `10` and
/// `10.0` (the same JSON number) compare equal.
fn numbers_as_f64(value: &Value) -> Value {
    match value {
        Value::Number(number) => {
            json!(number.as_f64().expect("every JSON number has an f64 value"))
        }
        Value::Array(items) => Value::Array(items.iter().map(numbers_as_f64).collect()),
        Value::Object(members) => Value::Object(
            members
                .iter()
                .map(|(key, member)| (key.clone(), numbers_as_f64(member)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// A mock server that answers every request to the operation's path with `response`.
async fn operation_server(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(SUBSCRIPTION_PATH))
        .respond_with(response)
        .mount(&server)
        .await;
    server
}

/// A mock server that answers the operation with the spec's 200 example.
async fn operation_server_ok() -> MockServer {
    operation_server(ResponseTemplate::new(200).set_body_json(response_example())).await
}

/// Sends an empty update (`{}`) for the example `id` with `client`: the
/// tests using it are about the answer.
async fn send_update(client: &Client) -> UpdateResult {
    client
        .update_subscription()
        .id(SUBSCRIPTION_ID)
        .body(types::UpdateSubscriptionRequest::default())
        .send()
        .await
}

/// The error an update ends in when the operation answers `response`.
async fn update_error(response: ResponseTemplate) -> Error<types::ApiError> {
    let server = operation_server(response).await;
    let result = send_update(&client(&server)).await;
    result.expect_err("the server's answer is an error")
}

#[tokio::test]
async fn typed_request_keeps_integers_dates_and_the_request_spelling() {
    let server = operation_server_ok().await;

    client(&server)
        .update_subscription()
        .id(SUBSCRIPTION_ID)
        .body(typed_request())
        .send()
        .await
        .expect("the request succeeds");

    let sent = single_json(&server).await;
    // As in the spec's example. `number` properties are `f64`, so `10` goes
    // out as `10.0`: the same JSON number, hence the comparison with numbers
    // as `f64`.
    let expected = json!({
        "channel": "WEBSITE",
        "customer": {"contactnumber": "+923333709568"},
        "customAttributes": {"storeId": "60cb07fc20387b000821c5c3", "associateId": 1},
        "item": {
            "id": 1000000006_i64,
            "quantity": 1,
            "weight": 10,
            "itemPrice": {"price": 100, "currencyCode": "USD"}
        },
        "plan": {"id": "1001", "frequency": 30, "frequencyType": "Daily"},
        "expiry": {"expiryDate": "2022-07-18T09:16:11.437Z", "billingCycles": 2}
    });
    assert_eq!(numbers_as_f64(&sent), numbers_as_f64(&expected), "{sent:#}");
    // Integer properties stay integers on the wire.
    assert_eq!(sent["item"]["id"], json!(1_000_000_006_i64));
    assert_eq!(sent["item"]["quantity"], json!(1));
    assert_eq!(sent["plan"]["frequency"], json!(30));
    assert_eq!(sent["expiry"]["billingCycles"], json!(2));
    assert_eq!(sent["customAttributes"]["associateId"], json!(1));
    // The request spells the phone property in lower case, as the spec does.
    assert!(sent["customer"].get("contactNumber").is_none(), "{sent}");
}

#[tokio::test]
async fn the_200_example_parses_into_typed_values() {
    let server = operation_server_ok().await;

    let response = send_update(&client(&server))
        .await
        .expect("the example response parses")
        .into_inner();

    assert_eq!(response.response_status, "OK");
    let subscription = response.data.subscription;
    assert_eq!(subscription.id, "6256610bc312410009b7390b");
    // Listed enum values are their variants, not `Unknown`.
    assert_eq!(subscription.status, Some(types::SubscriptionStatus::Active));
    assert_eq!(subscription.channel, Some(types::Channel::Website));
    // Date-times are UTC instants, milliseconds included.
    assert_eq!(subscription.deleted_at, Some(utc(2019, 1, 1, 0, 0, 0)));
    assert_eq!(
        subscription.created_at,
        Some(utc(2021, 10, 12, 21, 35, 5) + TimeDelta::milliseconds(756))
    );
    assert_eq!(
        subscription.status_updated_at,
        Some(utc(2021, 10, 14, 10, 24, 36) + TimeDelta::milliseconds(468))
    );
    assert_eq!(subscription.is_deleted, Some(false));
    assert_eq!(subscription.offset_days, Some(2));

    // The answer spells `contactNumber`; the customer's `status` is free
    // text, not the subscription's enum.
    let customer = subscription.customer.expect("the example has a customer");
    assert_eq!(customer.contact_number.as_deref(), Some("+923333709568"));
    assert_eq!(customer.status.as_deref(), Some("ACTIVE"));
    assert_eq!(customer.segment, Some(vec!["employee".to_string()]));

    let item = subscription.item.expect("the example has an item");
    assert_eq!(item.id, Some(1_000_000_006));
    assert_eq!(item.quantity, NonZeroU32::new(1));
    assert_eq!(item.item_price.and_then(|price| price.price), Some(100.0));

    let plan = subscription.plan.expect("the example has a plan");
    assert_eq!(plan.frequency, NonZeroU32::new(30));
    assert_eq!(plan.frequency_type, Some(types::PlanFrequencyType::Daily));

    let expiry = subscription.expiry.expect("the example has an expiry");
    assert_eq!(
        expiry.expiry_date,
        Some(utc(2022, 7, 18, 9, 16, 11) + TimeDelta::milliseconds(437))
    );
    assert_eq!(expiry.billing_cycles, Some(2));

    let custom_attributes = subscription
        .custom_attributes
        .expect("the example has custom attributes");
    assert_eq!(custom_attributes.get("associateId"), Some(&json!(1)));
}

#[tokio::test]
async fn error_body_without_the_fabric_envelope_still_parses() {
    // A gateway in front of the service may answer 401 with a bare message;
    // the spec makes every `ApiError` property optional for that reason.
    let error =
        update_error(ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthorized"})))
            .await;

    let response = assert_error_response(error, 401);
    assert_eq!(response.message.as_deref(), Some("Unauthorized"));
    assert_eq!(response.response_status, None);
    assert_eq!(response.data, None);
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields_are_accepted() {
    let mut body = response_example();
    let subscription = &mut body["data"]["subscription"];
    subscription["status"] = json!("PAUSED");
    subscription["channel"] = json!("MARKETPLACE");
    subscription["plan"]["frequencyType"] = json!("Fortnightly");
    subscription["loyaltyTier"] = json!("gold");
    subscription["customer"]["preferredStore"] = json!({"id": "S-1"});
    body["traceId"] = json!("00000000-0000-0000-0000-000000000000");

    let server = operation_server(ResponseTemplate::new(200).set_body_json(body)).await;

    let subscription = send_update(&client(&server))
        .await
        .expect("unknown values and fields must not break parsing")
        .into_inner()
        .data
        .subscription;
    let status = subscription.status.expect("status is present");
    assert_eq!(
        status,
        types::SubscriptionStatus::Unknown("PAUSED".to_string())
    );
    assert!(status.is_unknown());
    assert_eq!(status.as_str(), "PAUSED");
    let channel = subscription.channel.expect("channel is present");
    assert_eq!(channel, types::Channel::Unknown("MARKETPLACE".to_string()));
    assert_eq!(channel.as_str(), "MARKETPLACE");
    assert_eq!(
        subscription.plan.and_then(|plan| plan.frequency_type),
        Some(types::PlanFrequencyType::Unknown("Fortnightly".to_string()))
    );
    assert_eq!(subscription.id, "6256610bc312410009b7390b");
}

#[tokio::test]
async fn unknown_channel_round_trips_in_a_request() {
    let server = operation_server_ok().await;

    client(&server)
        .update_subscription()
        .id(SUBSCRIPTION_ID)
        .body(
            types::UpdateSubscriptionRequest::try_from(
                types::UpdateSubscriptionRequest::builder()
                    .channel(Some(types::Channel::from("KIOSK"))),
            )
            .expect("builds"),
        )
        .send()
        .await
        .expect("request succeeds");

    assert_eq!(single_json(&server).await, json!({"channel": "KIOSK"}));
}

#[tokio::test]
async fn json_breaking_the_schema_is_invalid_response_payload() {
    let cases = [
        // `id` is a number, not a string.
        r#"{"responseStatus":"OK","data":{"subscription":{"id":123}}}"#,
        // `isDeleted` is a string, not a boolean.
        r#"{"responseStatus":"OK","data":{"subscription":{"id":"a","isDeleted":"no"}}}"#,
        // Required `data.subscription.id` is missing.
        r#"{"responseStatus":"OK","data":{"subscription":{}}}"#,
    ];
    for raw in cases {
        let error = update_error(raw_body(200, "application/json", raw)).await;

        assert_invalid_payload(error, 200, raw);
    }
}

#[tokio::test]
async fn customer_segment_absent_and_empty_are_different_bodies() {
    let server = operation_server_ok().await;
    let client = client(&server);

    for segment in [None, Some(vec![]), Some(vec!["employee".to_string()])] {
        let body = types::UpdateSubscriptionRequest::try_from(
            types::UpdateSubscriptionRequest::builder().customer(Some(
                types::CustomerUpdate::try_from(types::CustomerUpdate::builder().segment(segment))
                    .expect("builds"),
            )),
        )
        .expect("builds");
        client
            .update_subscription()
            .id(SUBSCRIPTION_ID)
            .body(body)
            .send()
            .await
            .expect("request succeeds");
    }

    assert_eq!(
        received_json(&server).await,
        [
            json!({"customer": {}}),
            json!({"customer": {"segment": []}}),
            json!({"customer": {"segment": ["employee"]}}),
        ]
    );
}
