//! Capillary's types on the wire, against a local wiremock server on
//! 127.0.0.1 with placeholder credentials:
//! - the optional `format` query parameter goes out as `format=json` when set;
//! - channel, priority and source name are open enums: values the spec does
//!   not list are sent verbatim and read back as `Unknown`, the channel's
//!   lower case (`wechat`) is kept, unset optional fields are left out;
//! - the example answer reads as known enum values, with `warnings: []` as
//!   `Some(vec![])`; fields the spec does not list are ignored;
//! - JSON of the wrong type for the answer is `InvalidResponsePayload`.
//!
//! The request without `format`, the documented answers, credentials,
//! retries and servers every client shares are checked by the generated
//! `tests/scenarios.rs`; Capillary's published samples in
//! `tests/published_answers.rs`.

use capillary_client::types::{
    SubscriptionResultChannel as Channel, SubscriptionResultPriority as Priority,
    SubscriptionResultSourceName as Source, SubscriptionResultType as Type,
};
use capillary_client::{Client, Error, ResponseValue, RetryPolicy, auth, types};
use client_test_support::wiremock::{MockServer, ResponseTemplate};
use client_test_support::{
    assert_invalid_payload, raw_body, server_answering, single_json, single_request,
};
use serde_json::{Value, json};

const CUSTOMER_ID: i64 = 565_039_505;

/// A client for `server` with placeholder credentials, retries off (each
/// test checks what one answer becomes).
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth(auth::BasicAuth::new("test-user", "test-password"))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a client with a wiremock base URL builds")
}

/// A valid request: one subscription item.
fn small_request() -> types::UpdateSubscriptionRequest {
    serde_json::from_value(json!({
        "subscriptions": [
            { "channel": "EMAIL", "accountId": "01", "priority": "BULK", "type": "OPTIN" }
        ]
    }))
    .expect("a valid request")
}

/// Sends `body` to a server answering `answer`.
async fn update(
    body: types::UpdateSubscriptionRequest,
    answer: ResponseTemplate,
) -> (
    MockServer,
    Result<ResponseValue<types::UpdateSubscriptionResponse>, Error<types::ApiError>>,
) {
    let server = server_answering(answer).await;
    let result = client_for(&server)
        .update_subscription_details()
        .customer_id(CUSTOMER_ID)
        .body(body)
        .send()
        .await;
    (server, result)
}

/// The typed answer when the server answers `answer` with a 200.
async fn answer_to(answer: Value) -> types::UpdateSubscriptionResponse {
    let (_, result) = update(
        small_request(),
        ResponseTemplate::new(200).set_body_json(answer),
    )
    .await;
    result.expect("the answer parses").into_inner()
}

#[tokio::test]
async fn format_is_sent_as_the_format_query_when_set() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({}))).await;

    client_for(&server)
        .update_subscription_details()
        .customer_id(CUSTOMER_ID)
        .format(types::UpdateSubscriptionDetailsFormat::Json)
        .body(small_request())
        .send()
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_eq!(request.url.path(), "/v2/customers/565039505/subscriptions");
    assert_eq!(request.url.query(), Some("format=json"));
}

#[tokio::test]
async fn values_the_spec_does_not_list_are_sent_verbatim() {
    let body = types::UpdateSubscriptionRequest::try_from(
        types::UpdateSubscriptionRequest::builder()
            .campaign_id(None)
            .communication_id(None)
            .reason(None)
            .scope(None)
            .subscriptions(vec![
                types::SubscriptionItem::try_from(
                    types::SubscriptionItem::builder()
                        .account_id("01".to_owned())
                        .channel(types::SubscriptionItemChannel::from("rcs"))
                        .org_unit_id(Some(7))
                        .priority(types::SubscriptionItemPriority::from("PROMO"))
                        .source_name(None)
                        .type_(types::SubscriptionItemType::Optin),
                )
                .expect("builds"),
                types::SubscriptionItem::try_from(
                    types::SubscriptionItem::builder()
                        .account_id("02".to_owned())
                        .channel(types::SubscriptionItemChannel::Wechat)
                        .org_unit_id(Some(8))
                        .priority(types::SubscriptionItemPriority::Trans)
                        .source_name(Some(types::SubscriptionItemSourceName::MobileApp))
                        .type_(types::SubscriptionItemType::Optout),
                )
                .expect("builds"),
            ]),
    )
    .expect("builds");

    let (server, result) = update(body, ResponseTemplate::new(200).set_body_json(json!({}))).await;
    result.expect("the call succeeds");

    assert_eq!(
        single_json(&server).await,
        json!({
            "subscriptions": [
                {
                    "accountId": "01",
                    "channel": "rcs",
                    "orgUnitId": 7,
                    "priority": "PROMO",
                    "type": "OPTIN"
                },
                {
                    "accountId": "02",
                    "channel": "wechat",
                    "orgUnitId": 8,
                    "priority": "TRANS",
                    "sourceName": "MOBILE_APP",
                    "type": "OPTOUT"
                }
            ]
        }),
        "unset optional fields are left out and channel case is kept"
    );
}

#[tokio::test]
async fn the_example_answer_reads_as_known_values() {
    let item = |channel: &str, priority: &str, type_: &str| {
        json!({
            "channel": channel,
            "priority": priority,
            "type": type_,
            "orgUnitId": 200031782,
            "sourceName": "FACEBOOK",
            "accountId": "01"
        })
    };
    let body = answer_to(json!({
        "scope": { "scope": "USER", "subScope": "NONE" },
        "subscriptions": [
            item("EMAIL", "BULK", "OPTOUT"),
            item("MOBILE", "BULK", "OPTIN"),
            item("EMAIL", "TRANS", "OPTIN"),
            item("MOBILE", "TRANS", "OPTOUT")
        ],
        "campaignId": -1,
        "communicationId": -1,
        "reason": "This is V2 subscription api",
        "warnings": []
    }))
    .await;

    assert_eq!(
        body.warnings.map(|warnings| warnings.len()),
        Some(0),
        "`[]` is not read as absent"
    );
    let scope = body.scope.expect("scope is present");
    assert_eq!(scope.sub_scope.as_deref(), Some("NONE"));
    let subscriptions = body.subscriptions.expect("subscriptions is present");
    let read: Vec<_> = subscriptions
        .iter()
        .map(|item| {
            (
                item.channel.clone(),
                item.priority.clone(),
                item.type_.clone(),
                item.source_name.clone(),
            )
        })
        .collect();
    let known = |channel, priority, type_| {
        (
            Some(channel),
            Some(priority),
            Some(type_),
            Some(Source::Facebook),
        )
    };
    assert_eq!(
        read,
        [
            known(Channel::Email, Priority::Bulk, Type::Optout),
            known(Channel::Mobile, Priority::Bulk, Type::Optin),
            known(Channel::Email, Priority::Trans, Type::Optin),
            known(Channel::Mobile, Priority::Trans, Type::Optout),
        ]
    );
}

#[tokio::test]
async fn unlisted_enum_values_and_extra_fields_in_200_are_kept() {
    let body = answer_to(json!({
        "subscriptions": [{
            "channel": "rcs",
            "priority": "PROMO",
            "type": "OPTIN",
            "orgUnitId": 200031782,
            "sourceName": "TIKTOK",
            "accountId": "01",
            "consentVersion": 3
        }],
        "warnings": [{ "status": true, "message": "new warning", "code": 9001, "severity": "low" }],
        "requestTrace": { "id": "abc" }
    }))
    .await;

    let subscriptions = body.subscriptions.expect("subscriptions is present");
    let item = &subscriptions[0];
    let channel = item.channel.clone().expect("channel is present");
    assert_eq!(
        channel,
        types::SubscriptionResultChannel::Unknown("rcs".to_owned())
    );
    assert!(channel.is_unknown());
    assert_eq!(channel.as_str(), "rcs");
    let priority = item.priority.clone().expect("priority is present");
    assert_eq!(
        priority,
        types::SubscriptionResultPriority::Unknown("PROMO".to_owned())
    );
    assert_eq!(priority.as_str(), "PROMO");
    assert_eq!(
        item.source_name,
        Some(types::SubscriptionResultSourceName::Unknown(
            "TIKTOK".to_owned()
        ))
    );
    assert_eq!(item.type_, Some(types::SubscriptionResultType::Optin));
    assert!(!item.type_.as_ref().is_some_and(|t| t.is_unknown()));
    assert_eq!(item.org_unit_id, Some(200_031_782));
    let warnings = body.warnings.expect("warnings is present");
    assert_eq!(warnings[0].code, Some(9001));
    assert_eq!(warnings[0].message.as_deref(), Some("new warning"));
}

#[tokio::test]
async fn json_of_the_wrong_type_is_invalid_response_payload() {
    let raw = r#"{"campaignId": "not a number"}"#;
    let (_, result) = update(small_request(), raw_body(200, "application/json", raw)).await;

    let error = result.expect_err("a string campaignId is an error");
    assert_invalid_payload(error, 200, raw);
}
