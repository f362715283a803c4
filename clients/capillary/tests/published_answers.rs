//! Capillary's own published answers decode, and the request carries what
//! Capillary's own samples send.
//!
//! - The sample answer of "Update Subscription Details" in Capillary's v2
//!   reference (`Capillary/api-documentation`, `source/includes/_customer.md`),
//!   verbatim: fewer items than were sent, items without `orgUnitId` and
//!   `sourceName`, the channel `SMS`, and `scope` flags (`scopeId`, `setScope`,
//!   ...). It must decode, with every value visible.
//! - A request item without `orgUnitId` (as in that reference's sample
//!   request) is sent without the key.
//!
//! Only the wiremock server on 127.0.0.1 is contacted; credentials are placeholders.
//! The sample 500 answer of the current reference page is the spec's 500
//! example, which the generated `tests/scenarios.rs` parses with every other
//! documented answer.

use capillary_client::{Client, auth, types};
use client_test_support::wiremock::ResponseTemplate;
use client_test_support::{server_answering, single_json};
use serde_json::{Value, json};

/// Capillary's published sample answer for this call, as published.
fn published_sample_answer() -> Value {
    json!({
      "scope": {
        "scopeId": 0,
        "scope": "USER",
        "subScope": "NONE",
        "setCreatedOn": false,
        "setPriority": false,
        "setScopeId": false,
        "setScope": true,
        "setSubScope": true
      },
      "subscriptions": [
        {
          "channel": "EMAIL",
          "accountId": "",
          "priority": "BULK",
          "type": "OPTOUT"
        },
        {
          "channel": "EMAIL",
          "accountId": "",
          "priority": "TRANS",
          "type": "OPTIN"
        },
        {
          "channel": "SMS",
          "accountId": "123",
          "priority": "TRANS",
          "type": "OPTIN"
        }
      ],
      "campaignId": -1,
      "communicationId": -1,
      "reason": "Sample reason",
      "warnings": []
    })
}

/// The sample request published next to that answer: four items, none with
/// `orgUnitId` or `sourceName`.
fn published_sample_request() -> Value {
    json!({
        "communicationId": -1,
        "campaignId": -1,
        "reason": "Example reason",
        "scope": { "scope": "USER", "subScope": "NONE" },
        "subscriptions": [
            { "channel": "EMAIL", "accountId": "", "priority": "BULK", "type": "OPTOUT" },
            { "channel": "MOBILE", "accountId": "", "priority": "BULK", "type": "OPTOUT" },
            { "channel": "EMAIL", "accountId": "", "priority": "TRANS", "type": "OPTIN" },
            { "channel": "MOBILE", "accountId": "123", "priority": "TRANS", "type": "OPTIN" }
        ]
    })
}

fn client(uri: String) -> Client {
    Client::builder()
        .base_url(uri)
        .basic_auth(auth::BasicAuth::new("test-user", "test-md5-hex-digest"))
        .build()
        .expect("a wiremock URI is a valid base URL")
}

#[tokio::test]
async fn capillarys_published_sample_answer_decodes_with_every_value() {
    let server =
        server_answering(ResponseTemplate::new(200).set_body_json(published_sample_answer())).await;
    let request: types::UpdateSubscriptionRequest =
        serde_json::from_value(published_sample_request())
            .expect("Capillary's own sample request fits the request schema");

    let answer = client(server.uri())
        .update_subscription_details()
        .customer_id(17_742_i64)
        .body(request)
        .send()
        .await
        .expect("Capillary's published answer decodes")
        .into_inner();

    // The request went out as Capillary's sample, without invented keys.
    assert_eq!(single_json(&server).await, published_sample_request());

    let scope = answer.scope.expect("scope is present");
    assert_eq!(scope.scope.as_deref(), Some("USER"));
    assert_eq!(scope.sub_scope.as_deref(), Some("NONE"));
    assert_eq!(scope.scope_id, Some(0));
    assert_eq!(scope.set_created_on, Some(false));
    assert_eq!(scope.set_priority, Some(false));
    assert_eq!(scope.set_scope_id, Some(false));
    assert_eq!(scope.set_scope, Some(true));
    assert_eq!(scope.set_sub_scope, Some(true));

    let subscriptions = answer.subscriptions.expect("subscriptions are present");
    assert_eq!(subscriptions.len(), 3, "fewer items than were sent");
    for item in &subscriptions {
        assert_eq!(item.org_unit_id, None);
        assert_eq!(item.source_name, None);
    }
    let sms = &subscriptions[2];
    assert_eq!(sms.channel, Some(types::SubscriptionResultChannel::Sms));
    assert!(!sms.channel.as_ref().is_some_and(|c| c.is_unknown()));
    assert_eq!(sms.account_id.as_deref(), Some("123"));
    assert_eq!(sms.priority, Some(types::SubscriptionResultPriority::Trans));
    assert_eq!(sms.type_, Some(types::SubscriptionResultType::Optin));
    assert_eq!(subscriptions[0].account_id.as_deref(), Some(""));

    assert_eq!(answer.campaign_id, Some(-1));
    assert_eq!(answer.communication_id, Some(-1));
    assert_eq!(answer.reason.as_deref(), Some("Sample reason"));
    assert_eq!(answer.warnings.map(|w| w.len()), Some(0));
}

#[test]
fn the_published_answer_round_trips_through_the_answer_type() {
    let typed: types::UpdateSubscriptionResponse =
        serde_json::from_value(published_sample_answer()).expect("decodes");
    assert_eq!(
        serde_json::to_value(&typed).expect("serialises"),
        published_sample_answer()
    );
}

#[test]
fn a_request_item_without_org_unit_id_leaves_the_key_out() {
    let item = types::SubscriptionItem::try_from(
        types::SubscriptionItem::builder()
            .account_id("123".to_owned())
            .channel(types::SubscriptionItemChannel::Mobile)
            .org_unit_id(None)
            .priority(types::SubscriptionItemPriority::Trans)
            .source_name(None)
            .type_(types::SubscriptionItemType::Optin),
    )
    .expect("builds");
    assert_eq!(
        serde_json::to_value(&item).expect("serialises"),
        json!({ "channel": "MOBILE", "accountId": "123", "priority": "TRANS", "type": "OPTIN" })
    );
}
