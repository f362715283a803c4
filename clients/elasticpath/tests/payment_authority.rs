//! `payment_authority` as Elastic Path's own published Subscriptions spec
//! defines it: a nullable union on `type` of a Stripe shape (`customer_id`,
//! `card_id`) and an Authorize.Net shape (`payment_profile_id`,
//! `customer_profile_id`).
//!
//! - Left out, `null` and a value are three different request bodies
//!   (Elastic Path's null: `null` removes the authority, leaving it out
//!   keeps it).
//! - The typed Authorize.Net variant goes out as exactly
//!   `fixtures/authorize_net_update.json`, the body `xtask/tests/vendor_specs.rs`
//!   validates against Elastic Path's spec (`../shared/corpus/elasticpath-subscriptions.yaml`).
//! - An Authorize.Net answer decodes into the Authorize.Net variant (not the
//!   Stripe one) and serialises back to the same JSON: both variants round-trip.
//! - A gateway the spec does not list decodes into `PaymentAuthority::Unknown`
//!   with its JSON kept (the union is open).
//! - Ids outside 3 to 1024 characters are refused before anything is sent.
//!
//! What every client does (the spec's request and answers, credentials,
//! retries, servers) is checked by the generated `tests/scenarios.rs`.
//! Only the wiremock server on 127.0.0.1 is contacted; the token is a placeholder.

mod common;

use client_test_support::wiremock::ResponseTemplate;
use client_test_support::{raw_body, received_json, server_answering};
use common::{SUBSCRIBER_UUID, answer_with};
use elasticpath_client::{Client, RetryPolicy, auth, types};
use serde_json::{Value, json};

/// The request body the Authorize.Net variant must produce.
fn authorize_net_update() -> Value {
    serde_json::from_str(include_str!("fixtures/authorize_net_update.json"))
        .expect("the fixture is JSON")
}

fn authorize_net() -> types::PaymentAuthority {
    types::PaymentAuthority::AuthorizeNet {
        payment_profile_id: Some(
            types::PaymentAuthorityPaymentProfileId::try_from("1511660856")
                .expect("3 to 1024 characters"),
        ),
        customer_profile_id: Some(
            types::PaymentAuthorityCustomerProfileId::try_from("1511736979")
                .expect("3 to 1024 characters"),
        ),
    }
}

/// An update whose attributes hold only `payment_authority`.
fn body_with(
    payment_authority: types::Nullable<types::PaymentAuthority>,
) -> types::SubscriberUpdateRequest {
    types::SubscriberUpdateRequest::try_from(
        types::SubscriberUpdateRequest::builder().data(
            types::SubscriberUpdate::try_from(
                types::SubscriberUpdate::builder()
                    .id(SUBSCRIBER_UUID
                        .parse::<types::ResourceUuid>()
                        .expect("a UUID"))
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

/// A client for `uri`, retries off: each test checks what one answer becomes.
fn client(uri: String) -> Client {
    Client::builder()
        .base_url(uri)
        .bearer_auth(auth::BearerAuth::new("test-token"))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a wiremock URI is a valid base URL")
}

#[tokio::test]
async fn absent_null_and_value_are_three_different_bodies() {
    let stripe = answer_with(json!({"type": "elastic_path_payments_stripe"}));
    let server = server_answering(ResponseTemplate::new(200).set_body_json(stripe)).await;
    let client = client(server.uri());

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
            .body(body_with(payment_authority))
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

#[tokio::test]
async fn authorize_net_is_sent_as_elastic_paths_shape_and_decoded_back() {
    let sent = authorize_net_update();
    let answer = answer_with(sent["data"]["attributes"]["payment_authority"].clone());
    let server = server_answering(ResponseTemplate::new(200).set_body_json(&answer)).await;

    let response = client(server.uri())
        .update_subscriber()
        .subscriber_uuid(SUBSCRIBER_UUID)
        .body(body_with(types::Nullable::Value(authorize_net())))
        .send()
        .await
        .expect("the answer decodes");

    // Out: exactly the body validated against Elastic Path's own spec.
    assert_eq!(received_json(&server).await, std::slice::from_ref(&sent));

    // Back: the Authorize.Net variant with both ids, not a Stripe shape.
    let subscriber = response.into_inner().data.expect("data is present");
    let Some(types::PaymentAuthority::AuthorizeNet {
        payment_profile_id,
        customer_profile_id,
    }) = subscriber.attributes.payment_authority.clone()
    else {
        panic!(
            "an authorize_net answer must decode as AuthorizeNet, got {:?}",
            subscriber.attributes.payment_authority
        );
    };
    assert_eq!(
        payment_profile_id.as_deref().map(String::as_str),
        Some("1511660856")
    );
    assert_eq!(
        customer_profile_id.as_deref().map(String::as_str),
        Some("1511736979")
    );
    assert_eq!(
        serde_json::to_value(&subscriber.attributes.payment_authority).expect("serialises"),
        sent["data"]["attributes"]["payment_authority"]
    );
}

#[test]
fn both_variants_round_trip_through_json() {
    let cases = [
        json!({"type": "authorize_net", "payment_profile_id": "1511660856", "customer_profile_id": "1511736979"}),
        json!({"type": "authorize_net"}),
        json!({"type": "elastic_path_payments_stripe", "customer_id": "cus_OPfKlxWV3hp9h6", "card_id": "card_8Diw3FQPhxK27WADPVMeXieP"}),
        json!({"type": "elastic_path_payments_stripe"}),
    ];
    for case in cases {
        let typed: types::PaymentAuthority =
            serde_json::from_value(case.clone()).unwrap_or_else(|e| panic!("{case}: {e}"));
        let expected_authorize_net = case["type"] == "authorize_net";
        assert_eq!(
            matches!(typed, types::PaymentAuthority::AuthorizeNet { .. }),
            expected_authorize_net,
            "{case} decoded as {typed:?}"
        );
        assert_eq!(serde_json::to_value(&typed).expect("serialises"), case);
    }
}

#[test]
fn stripe_fields_do_not_turn_an_authorize_net_object_into_stripe() {
    // Fields of the other shape are unknown fields here, ignored on the way in
    // and never sent: the `type` alone picks the variant.
    let mixed = json!({"type": "authorize_net", "customer_id": "cus_OPfKlxWV3hp9h6"});
    let typed: types::PaymentAuthority = serde_json::from_value(mixed).expect("decodes");
    assert_eq!(
        serde_json::to_value(&typed).expect("serialises"),
        json!({"type": "authorize_net"})
    );
}

/// The union is open: a gateway Elastic Path adds later (one its spec does
/// not list yet) does not fail the answer; it decodes into
/// `PaymentAuthority::Unknown` with its JSON kept.
#[tokio::test]
async fn an_unknown_gateway_decodes_into_unknown_with_its_json() {
    let gateway = json!({"type": "paypal_express", "billing_agreement_id": "B-123"});
    let raw = answer_with(gateway.clone()).to_string();
    let server = server_answering(raw_body(200, "application/json", &raw)).await;

    let answer = client(server.uri())
        .update_subscriber()
        .subscriber_uuid(SUBSCRIBER_UUID)
        .body(body_with(types::Nullable::Absent))
        .send()
        .await
        .expect("an unknown gateway decodes")
        .into_inner();

    let authority = answer.data.and_then(|d| d.attributes.payment_authority);
    assert_eq!(authority, Some(types::PaymentAuthority::Unknown(gateway)));
}

#[test]
fn ids_outside_elastic_paths_length_limits_are_refused() {
    for id in ["", "15", &"9".repeat(1025)] {
        assert!(
            types::PaymentAuthorityPaymentProfileId::try_from(id).is_err(),
            "{id:?}"
        );
        assert!(
            types::PaymentAuthorityCustomerProfileId::try_from(id).is_err(),
            "{id:?}"
        );
    }
    for id in ["151", &"9".repeat(1024)] {
        assert!(
            types::PaymentAuthorityPaymentProfileId::try_from(id).is_ok(),
            "{id:?}"
        );
        assert!(
            types::PaymentAuthorityCustomerProfileId::try_from(id).is_ok(),
            "{id:?}"
        );
    }
    // Outside the limits, a listed `type` is not that member: the open union
    // keeps it as raw JSON rather than failing the answer.
    let too_short = json!({"type": "authorize_net", "payment_profile_id": "15"});
    assert_eq!(
        serde_json::from_value::<types::PaymentAuthority>(too_short.clone()).expect("decodes"),
        types::PaymentAuthority::Unknown(too_short)
    );
}
