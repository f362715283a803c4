//! What the generated types of `elasticpath-client` make of Elastic Path's
//! update (`PUT /subscriptions/subscribers/{subscriber_uuid}`), beyond the
//! spec's examples:
//!
//! - the example answer's dates are UTC instants to the microsecond, written
//!   back exactly as Elastic Path writes them, and its `owner` is a known value;
//! - an `owner` Elastic Path adds later, and fields it adds, still parse;
//! - an answer that breaks Elastic Path's schema (an id that is no UUID, a
//!   date that is no date-time, a required object missing) is
//!   `InvalidResponsePayload` with the status and raw body;
//! - a `subscriber_uuid` that is no UUID fails before anything is sent.
//!
//! What every client does (the spec's request and answers, credentials,
//! retries, servers) is checked by the generated `tests/scenarios.rs`;
//! `payment_authority` by `tests/payment_authority.rs`.
//! Only the wiremock server on 127.0.0.1 is contacted; the token is a placeholder.

mod common;

use chrono::{DateTime, TimeDelta, TimeZone, Utc};
use client_test_support::wiremock::{MockServer, ResponseTemplate};
use client_test_support::{
    assert_invalid_payload, assert_invalid_request, assert_no_requests, raw_body, server_answering,
    server_expecting_no_requests,
};
use common::{SUBSCRIBER_UUID, response_example};
use elasticpath_client::{Client, Error, ResponseValue, RetryPolicy, auth, types};
use serde_json::json;

type UpdateResult = Result<ResponseValue<types::SubscriberResponse>, Error<types::ApiError>>;

/// A client for `server` with a placeholder token. Retries are off: these
/// tests check what one answer becomes (a PUT's broken answer would be
/// retried); `tests/retries.rs` checks the retries.
fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_auth(auth::BearerAuth::new("test-token"))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a wiremock URI is a valid base URL")
}

/// A request body the spec allows: only a new name.
fn rename() -> types::SubscriberUpdateRequest {
    serde_json::from_value(json!({
        "data": {
            "id": SUBSCRIBER_UUID,
            "type": "subscription_subscriber",
            "attributes": { "name": "John Doe" }
        }
    }))
    .expect("a valid request body")
}

/// The update sent to a server that answers `response`.
async fn update_answered(response: ResponseTemplate) -> UpdateResult {
    let server = server_answering(response).await;
    client(&server)
        .update_subscriber()
        .subscriber_uuid(SUBSCRIBER_UUID)
        .body(rename())
        .send()
        .await
}

/// 2017-01-10T11:41:19.244842Z, the timestamp of the spec's examples.
fn example_timestamp() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2017, 1, 10, 11, 41, 19)
        .single()
        .expect("a valid UTC date")
        + TimeDelta::microseconds(244_842)
}

/// The scenarios compare dates as instants; here the typed values are
/// checked, and the text they serialise to is Elastic Path's own.
#[test]
fn the_example_answer_has_microsecond_dates_and_a_known_owner() {
    let response: types::SubscriberResponse =
        serde_json::from_value(response_example()).expect("the spec's example parses");
    let subscriber = response.data.expect("the example has data");

    let attributes = &subscriber.attributes;
    let meta = &subscriber.meta;
    for (what, date) in [
        ("attributes.created_at", &attributes.created_at),
        ("attributes.updated_at", &attributes.updated_at),
        ("meta.timestamps.created_at", &meta.timestamps.created_at),
        ("meta.timestamps.updated_at", &meta.timestamps.updated_at),
    ] {
        assert_eq!(date.0, example_timestamp(), "{what}");
        assert_eq!(
            serde_json::to_value(date).expect("serialises"),
            json!("2017-01-10T11:41:19.244842Z"),
            "{what} is written back as Elastic Path writes it"
        );
    }
    assert_eq!(meta.owner, types::SubscriberMetaOwner::Store);
    assert!(!meta.owner.is_unknown());
    assert_eq!(
        attributes.account_id.0,
        SUBSCRIBER_UUID.parse::<uuid::Uuid>().expect("a UUID")
    );
}

#[tokio::test]
async fn unknown_enum_values_and_unknown_fields_are_accepted() {
    let mut body = response_example();
    body["data"]["meta"]["owner"] = json!("marketplace");
    body["data"]["attributes"]["payment_authority"]["wallet"] = json!("default");
    body["data"]["attributes"]["loyalty_tier"] = json!("gold");
    body["data"]["meta"]["region"] = json!({"code": "eu-west"});
    body["links"] = json!({"self": "https://example.com/subscribers/1"});

    let subscriber = update_answered(ResponseTemplate::new(200).set_body_json(body))
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

/// JSON that does not fit Elastic Path's schema; the scenarios already try
/// a body that is no JSON at all.
#[tokio::test]
async fn answers_outside_elastic_paths_schema_are_invalid_response_payload() {
    let cases = [
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
        let error = update_answered(raw_body(200, "application/json", raw))
            .await
            .expect_err("an answer outside the schema is an error");

        assert_invalid_payload(error, 200, raw);
    }
}

#[tokio::test]
async fn invalid_subscriber_uuid_fails_before_sending() {
    let server = server_expecting_no_requests().await;

    let error = client(&server)
        .update_subscriber()
        .subscriber_uuid("not-a-uuid")
        .body(rename())
        .send()
        .await
        .expect_err("the path parameter must be a UUID");
    let reason = assert_invalid_request(error, "subscriber_uuid \"not-a-uuid\"");
    assert!(reason.contains("subscriber_uuid"), "{reason}");
    assert_no_requests(&server).await;
}
