//! HTTP-level tests of `fabric-client` against a local wiremock server.
//!
//! They check the generated client against `specs/fabric.yaml`
//! (`PATCH /v1/subscriptions/{id}`, "Update single subscription"):
//!
//! - the request line and headers (method, path, no query, bearer token,
//!   `Content-Type`, `Accept`, `User-Agent`, no `api-version`), and the path
//!   parameter staying one path segment;
//! - the spec's example request body, built from the generated types, goes out
//!   as the spec's JSON (request `contactnumber`, integers as integers);
//! - the spec's example 200 response and every declared error status
//!   (400, 401, 404, 500) parse into their typed bodies;
//! - forward compatibility (unknown `status`, `channel` and `frequencyType`
//!   values, unknown fields), undeclared statuses and malformed bodies keep the
//!   status and the raw body;
//! - the optional `customer.segment` array left out versus sent empty;
//! - credentials: never in `Debug` output, and a missing token stops the call
//!   before anything is sent;
//! - the spec's server and base URLs with a trailing slash.
//!
//! Only the wiremock server on 127.0.0.1 is contacted; the token is a placeholder.
//! (The request-timeout test lives in `clients/elasticpath/tests/http.rs`.)

use std::num::NonZeroU32;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use client_test_support::wiremock::matchers::{method, path};
use client_test_support::wiremock::{Mock, MockServer, ResponseTemplate};
use client_test_support::{
    assert_debug_shows, assert_error_response, assert_invalid_payload, assert_missing_credentials,
    assert_no_requests, assert_redacted, assert_request_line, assert_standard_headers,
    assert_unexpected_response, header_values, raw_body, received, received_json, server_answering,
    server_expecting_no_requests, single_json, single_request,
};
use fabric_client::{Client, ClientInfo, Error, ResponseValue, Server, auth, types};
use serde_json::{Map, Value, json};

/// Placeholder bearer token.
const TOKEN: &str = "test-token";
/// The spec's example subscription `id` path parameter.
const SUBSCRIPTION_ID: &str = "6169b2d892a5f30009d76480";
/// The operation's path with the example `id` filled in.
const SUBSCRIPTION_PATH: &str = "/v1/subscriptions/6169b2d892a5f30009d76480";
/// The `User-Agent` the client is expected to send.
const USER_AGENT: &str = concat!("fabric-client/", env!("CARGO_PKG_VERSION"));

type UpdateResult =
    Result<ResponseValue<types::UpdateSubscriptionResponse>, Error<types::ApiError>>;

/// A client for `server` with the placeholder token.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new(TOKEN))
        .build()
        .expect("a wiremock URI is a valid base URL")
}

/// The spec's `requestBody` example, verbatim.
fn request_example() -> Value {
    json!({
        "channel": "WEBSITE",
        "customer": {
            "customerReferenceId": "12345",
            "locale": "en_US",
            "email": "pat.kake@example.com",
            "contactnumber": "+923333709568",
            "firstName": "Pat",
            "middleName": "E",
            "lastName": "Kake",
            "segment": ["employee"],
            "employeeId": "345",
            "communicationPreference": {"email": true, "sms": true}
        },
        "shipTo": {
            "name": {"firstName": "Pat", "middleName": "E", "lastName": "Kake"},
            "streetAddress": {"street1": "123 Main St", "street2": "Suite 100"},
            "city": "Boston",
            "state": "MA",
            "postalCode": "02127",
            "country": "US",
            "phone": {"number": "5555551234", "kind": "home"}
        },
        "billTo": {
            "name": {"firstName": "Pat", "middleName": "E", "lastName": "Kake"},
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
            "paymentKind": "credit"
        },
        "customAttributes": {
            "storeId": "60cb07fc20387b000821c5c3",
            "associateId": 1,
            "trackingUrl": "609436d21baded0008945b05"
        },
        "item": {
            "id": 1000000006_i64,
            "sku": "MOBO-X570",
            "quantity": 1,
            "weight": 10,
            "weightUnit": "lb",
            "title": "Vitamin",
            "description": "Vitamin C",
            "itemPrice": {"price": 100, "currencyCode": "USD"},
            "tax": {"taxCode": "FR020000", "taxAmount": 10, "currencyCode": "USD"}
        },
        "plan": {"id": "1001", "frequency": 30, "frequencyType": "Daily"},
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
        "expiry": {"expiryDate": "2022-07-18T09:16:11.437Z", "billingCycles": 2}
    })
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

/// `Some(value.to_string())`, for the many optional strings.
fn some(value: &str) -> Option<String> {
    Some(value.to_string())
}

/// The example's address, shared by `shipTo` and `billTo`.
fn example_address() -> types::Address {
    types::Address::try_from(
        types::Address::builder()
            .name(Some(
                types::PersonName::try_from(
                    types::PersonName::builder()
                        .first_name(some("Pat"))
                        .middle_name(some("E"))
                        .last_name(some("Kake")),
                )
                .expect("builds"),
            ))
            .street_address(Some(
                types::StreetAddress::try_from(
                    types::StreetAddress::builder()
                        .street1(some("123 Main St"))
                        .street2(some("Suite 100")),
                )
                .expect("builds"),
            ))
            .city(some("Boston"))
            .state(some("MA"))
            .postal_code(some("02127"))
            .country(some("US"))
            .phone(Some(
                types::Phone::try_from(
                    types::Phone::builder()
                        .number(some("5555551234"))
                        .kind(some("home")),
                )
                .expect("builds"),
            )),
    )
    .expect("builds")
}

/// The spec's example request body, built from the generated types.
fn typed_request_example() -> types::UpdateSubscriptionRequest {
    let mut custom_attributes = Map::new();
    custom_attributes.insert("storeId".into(), json!("60cb07fc20387b000821c5c3"));
    custom_attributes.insert("associateId".into(), json!(1));
    custom_attributes.insert("trackingUrl".into(), json!("609436d21baded0008945b05"));

    types::UpdateSubscriptionRequest::try_from(
        types::UpdateSubscriptionRequest::builder()
            .channel(Some(types::Channel::Website))
            .customer(Some(
                types::CustomerUpdate::try_from(
                    types::CustomerUpdate::builder()
                        .customer_reference_id(some("12345"))
                        .locale(some("en_US"))
                        .email(some("pat.kake@example.com"))
                        .contactnumber(some("+923333709568"))
                        .first_name(some("Pat"))
                        .middle_name(some("E"))
                        .last_name(some("Kake"))
                        .segment(Some(vec!["employee".to_string()]))
                        .employee_id(some("345"))
                        .communication_preference(Some(
                            types::CommunicationPreference::try_from(
                                types::CommunicationPreference::builder()
                                    .email(Some(true))
                                    .sms(Some(true)),
                            )
                            .expect("builds"),
                        )),
                )
                .expect("builds"),
            ))
            .ship_to(Some(example_address()))
            .bill_to(Some(example_address()))
            .payment_details(Some(
                types::PaymentDetails::try_from(
                    types::PaymentDetails::builder()
                        .payment_identifier(Some(
                            types::PaymentIdentifier::try_from(
                                types::PaymentIdentifier::builder()
                                    .card_identifier(some("1234"))
                                    .expiry_date(some("12/20")),
                            )
                            .expect("builds"),
                        ))
                        .payment_method(some("credit_card"))
                        .payment_kind(some("credit")),
                )
                .expect("builds"),
            ))
            .custom_attributes(Some(types::CustomAttributes(custom_attributes)))
            .item(Some(
                types::Item::try_from(
                    types::Item::builder()
                        .id(Some(1_000_000_006))
                        .sku(some("MOBO-X570"))
                        .quantity(NonZeroU32::new(1))
                        .weight(Some(10.0))
                        .weight_unit(some("lb"))
                        .title(some("Vitamin"))
                        .description(some("Vitamin C"))
                        .item_price(Some(
                            types::ItemPrice::try_from(
                                types::ItemPrice::builder()
                                    .price(Some(100.0))
                                    .currency_code(some("USD")),
                            )
                            .expect("builds"),
                        ))
                        .tax(Some(
                            types::ItemTax::try_from(
                                types::ItemTax::builder()
                                    .tax_code(some("FR020000"))
                                    .tax_amount(Some(10.0))
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
            .offer(Some(
                types::Offer::try_from(
                    types::Offer::builder()
                        .id(some("SUB-E10717"))
                        .source(some("PDP")),
                )
                .expect("builds"),
            ))
            .shipping(Some(
                types::Shipping::try_from(
                    types::Shipping::builder()
                        .shipment_carrier(some("USPS"))
                        .shipment_method(some("Ground"))
                        .shipment_instructions(some("Please leave the package in the box"))
                        .tax_code(some("SHP020000"))
                        .shipping_amount(Some(10.0))
                        .tax_amount(Some(1.0))
                        .currency_code(some("USD")),
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

/// A mock server that answers every request, on any path, with the spec's 200 example.
async fn server_answering_ok() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_json(response_example())).await
}

/// Sends the spec's example request body (parsed from the spec's JSON) with `client`.
async fn send_example(client: &Client) -> UpdateResult {
    let body: types::UpdateSubscriptionRequest =
        serde_json::from_value(request_example()).expect("the spec's example matches its schema");
    client
        .update_subscription()
        .id(SUBSCRIPTION_ID)
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

#[tokio::test]
async fn sends_patch_to_the_subscription_path_with_the_spec_headers() {
    let server = operation_server_ok().await;

    send_example(&client(&server))
        .await
        .expect("the example response parses");

    let request = single_request(&server).await;
    // The operation has no query parameters.
    assert_request_line(&request, "PATCH", SUBSCRIPTION_PATH, None);
    assert_eq!(
        header_values(&request, "authorization"),
        ["Bearer test-token"]
    );
    assert_standard_headers(&request, USER_AGENT);
}

#[tokio::test]
async fn path_parameter_is_percent_encoded_into_one_segment() {
    let server = server_answering_ok().await;

    client(&server)
        .update_subscription()
        .id("abc/def?x=1#y")
        .body(types::UpdateSubscriptionRequest::default())
        .send()
        .await
        .expect("request succeeds");

    let request = single_request(&server).await;
    assert_eq!(
        request.url.path(),
        "/v1/subscriptions/abc%2Fdef%3Fx%3D1%23y"
    );
    assert_eq!(request.url.query(), None);
    assert_eq!(
        single_json(&server).await,
        json!({}),
        "an empty update is `{{}}`"
    );
}

#[tokio::test]
async fn path_parameter_never_escapes_the_subscription_path() {
    // `.`, `..` and the empty string cannot be one path segment of
    // `/v1/subscriptions/{id}`: URL parsing removes dot segments, so sending
    // them would PATCH another resource (`/v1/` or the collection). The client
    // must refuse them (`InvalidRequest`) instead of sending anything.
    let mut failures = Vec::new();
    for id in ["..", ".", ""] {
        let server = server_answering_ok().await;

        let result = client(&server)
            .update_subscription()
            .id(id)
            .body(types::UpdateSubscriptionRequest::default())
            .send()
            .await;

        let sent_to: Vec<String> = received(&server)
            .await
            .iter()
            .map(|request| format!("{} {}", request.method, request.url.path()))
            .collect();
        let refused = matches!(result, Err(Error::InvalidRequest(_)));
        if !refused || !sent_to.is_empty() {
            let outcome = match &result {
                Ok(response) => format!("Ok({})", response.status()),
                Err(error) => format!("Err({error})"),
            };
            failures.push(format!("id {id:?}: {outcome}, sent {sent_to:?}"));
        }
    }
    assert!(
        failures.is_empty(),
        "expected InvalidRequest and no request:\n{}",
        failures.join("\n")
    );
}

#[tokio::test]
async fn typed_example_body_is_sent_as_the_spec_json() {
    let server = operation_server_ok().await;
    let client = client(&server);

    client
        .update_subscription()
        .id(SUBSCRIPTION_ID)
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
    for (what, sent) in [("typed body", &bodies[0]), ("parsed body", &bodies[1])] {
        // `number` properties are `f64`, so `10` goes out as `10.0`: the same
        // JSON number, hence the comparison with numbers as `f64`.
        assert_eq!(
            numbers_as_f64(sent),
            numbers_as_f64(&request_example()),
            "{what}: {sent:#}"
        );
        // Integer properties must stay integers on the wire.
        assert_eq!(sent["item"]["id"], json!(1_000_000_006_i64), "{what}");
        assert_eq!(sent["item"]["quantity"], json!(1), "{what}");
        assert_eq!(sent["plan"]["frequency"], json!(30), "{what}");
        assert_eq!(sent["expiry"]["billingCycles"], json!(2), "{what}");
        assert_eq!(sent["customAttributes"]["associateId"], json!(1), "{what}");
        // The request spells the phone property in lower case, as the spec does.
        assert_eq!(sent["customer"]["contactnumber"], json!("+923333709568"));
        assert!(sent["customer"].get("contactNumber").is_none(), "{what}");
    }
}

#[tokio::test]
async fn spec_example_200_response_parses() {
    let server = operation_server_ok().await;

    let response = send_example(&client(&server))
        .await
        .expect("the example response parses");
    assert_eq!(response.status().as_u16(), 200);

    let response = response.into_inner();
    assert_eq!(response.response_status, "OK");
    assert_eq!(
        response.message.as_deref(),
        Some("Request processed successfully")
    );
    let subscription = response.data.subscription;
    assert_eq!(subscription.id, "6256610bc312410009b7390b");
    assert_eq!(subscription.status, Some(types::SubscriptionStatus::Active));
    assert_eq!(subscription.channel, Some(types::Channel::Website));
    assert_eq!(subscription.is_deleted, Some(false));
    assert_eq!(subscription.deleted_at, Some(utc(2019, 1, 1, 0, 0, 0)));
    assert_eq!(
        subscription.origin_order_id.as_deref(),
        Some("22-4498-4800")
    );
    assert_eq!(subscription.offset_days, Some(2));
    assert_eq!(
        subscription.created_at,
        Some(utc(2021, 10, 12, 21, 35, 5) + TimeDelta::milliseconds(756))
    );
    assert_eq!(
        subscription.updated_at,
        Some(utc(2021, 10, 14, 5, 40, 55) + TimeDelta::milliseconds(997))
    );
    assert_eq!(
        subscription.status_updated_at,
        Some(utc(2021, 10, 14, 10, 24, 36) + TimeDelta::milliseconds(468))
    );

    let customer = subscription.customer.expect("the example has a customer");
    assert_eq!(customer.id.as_deref(), Some("62cffd65e8d7eb868c6a29d6"));
    assert_eq!(customer.contact_number.as_deref(), Some("+923333709568"));
    assert_eq!(customer.segment, Some(vec!["employee".to_string()]));
    assert_eq!(customer.status.as_deref(), Some("ACTIVE"));
    let preference = customer
        .communication_preference
        .expect("the example has communication preferences");
    assert_eq!((preference.email, preference.sms), (Some(true), Some(true)));

    let item = subscription.item.expect("the example has an item");
    assert_eq!(item.id, Some(1_000_000_006));
    assert_eq!(item.quantity, NonZeroU32::new(1));
    assert_eq!(item.sku.as_deref(), Some("MOBO-X570"));
    let price = item.item_price.expect("the example has a price");
    assert_eq!(price.price, Some(100.0));
    assert_eq!(price.currency_code.as_deref(), Some("USD"));

    let plan = subscription.plan.expect("the example has a plan");
    assert_eq!(plan.frequency, NonZeroU32::new(30));
    assert_eq!(plan.frequency_type, Some(types::PlanFrequencyType::Daily));

    let expiry = subscription.expiry.expect("the example has an expiry");
    assert_eq!(
        expiry.expiry_date,
        Some(utc(2022, 7, 18, 9, 16, 11) + TimeDelta::milliseconds(437))
    );
    assert_eq!(expiry.billing_cycles, Some(2));

    let ship_to = subscription.ship_to.expect("the example has shipTo");
    assert_eq!(ship_to.postal_code.as_deref(), Some("02127"));
    assert_eq!(
        ship_to
            .street_address
            .and_then(|street| street.street2)
            .as_deref(),
        Some("Suite 100")
    );
    let payment = subscription
        .payment_details
        .expect("the example has payment details");
    assert_eq!(payment.payment_kind.as_deref(), Some("Visa"));
    let custom_attributes = subscription
        .custom_attributes
        .expect("the example has custom attributes");
    assert_eq!(custom_attributes.get("associateId"), Some(&json!(1)));
    assert_eq!(
        custom_attributes.get("storeId"),
        Some(&json!("60cb07fc20387b000821c5c3"))
    );
}

#[tokio::test]
async fn every_declared_error_status_parses_into_api_error() {
    let cases = [
        (400, "BAD_REQUEST", "Invalid value for channel"),
        (401, "UNAUTHORIZED", "Invalid or expired token"),
        (404, "NOT_FOUND", "Subscription not found"),
        (500, "INTERNAL_SERVER_ERROR", "Something went wrong"),
    ];
    for (status, response_status, message) in cases {
        let body = json!({"responseStatus": response_status, "message": message, "data": {}});
        let error = example_error(ResponseTemplate::new(status).set_body_json(body)).await;

        let api_error = assert_error_response(error, status);
        assert_eq!(api_error.response_status.as_deref(), Some(response_status));
        assert_eq!(api_error.message.as_deref(), Some(message));
        assert_eq!(api_error.data, Some(Map::new()));
    }
}

#[tokio::test]
async fn error_body_without_the_fabric_envelope_still_parses() {
    // A gateway in front of the service may answer 401 with a bare message;
    // the spec makes every `ApiError` property optional for that reason.
    let error =
        example_error(ResponseTemplate::new(401).set_body_json(json!({"message": "Unauthorized"})))
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

    let subscription = send_example(&client(&server))
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
async fn undeclared_status_is_unexpected_response_with_the_raw_body() {
    let cases = [
        (
            403,
            r#"{"responseStatus":"FORBIDDEN","message":"Forbidden","data":{}}"#,
        ),
        (409, "conflict"),
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
        // `id` is a number, not a string.
        r#"{"responseStatus":"OK","data":{"subscription":{"id":123}}}"#,
        // `isDeleted` is a string, not a boolean.
        r#"{"responseStatus":"OK","data":{"subscription":{"id":"a","isDeleted":"no"}}}"#,
        // Required `data.subscription.id` is missing.
        r#"{"responseStatus":"OK","data":{"subscription":{}}}"#,
    ];
    for raw in cases {
        let error = example_error(raw_body(200, "application/json", raw)).await;

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

#[test]
fn secrets_never_appear_in_debug_output() {
    const SECRET: &str = "test-token-never-printed";
    let credentials = auth::BearerAuth::new(SECRET);
    let builder = Client::builder()
        .base_url("http://127.0.0.1:9")
        .bearer_auth(credentials.clone());
    let client = builder.clone().build().expect("valid configuration");
    let request = client.update_subscription().id(SUBSCRIPTION_ID);

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
    assert_missing_credentials(error, "update_subscription", "bearerAuth");
    assert_no_requests(&server).await;
}

#[test]
fn servers_match_the_spec() {
    const PROD01: &str = "https://prod01.copilot.fabric.inc/data-subscription";

    assert_eq!(Server::default(), Server::Prod01);
    assert_eq!(Server::default().url(), PROD01, "the spec's first server");
    // Exhaustive on purpose: a new server in the spec must be added here.
    let spec_url = |server: &Server| match server {
        Server::Prod01 => PROD01,
    };
    let server = Server::Prod01;
    assert_eq!(server.url(), spec_url(&server));

    let default = Client::builder().build().expect("valid configuration");
    assert_eq!(default.baseurl(), PROD01);
    let explicit = Client::builder()
        .server(Server::Prod01)
        .build()
        .expect("valid configuration");
    assert_eq!(explicit.baseurl(), PROD01);
}

#[tokio::test]
async fn base_url_with_trailing_slash_hits_the_same_path() {
    let server = server_answering_ok().await;

    for (base_url, expected_path) in [
        (format!("{}/", server.uri()), SUBSCRIPTION_PATH.to_string()),
        (
            format!("{}/data-subscription/", server.uri()),
            format!("/data-subscription{SUBSCRIPTION_PATH}"),
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
