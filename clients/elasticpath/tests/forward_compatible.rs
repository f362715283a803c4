//! An answer with a payment authority Elastic Path adds later (a gateway
//! the spec does not list) still decodes: the union keeps it as raw JSON in
//! `PaymentAuthority::Unknown`, and it serialises back unchanged.

use elasticpath_client::types;
use serde_json::json;

fn answer(payment_authority: serde_json::Value) -> serde_json::Value {
    json!({
        "data": {
            "id": "11111111-2222-3333-4444-555555555555",
            "type": "subscription_subscriber",
            "attributes": {
                "account_id": "11111111-2222-3333-4444-555555555555",
                "name": "John Doe",
                "email": "john.doe@example.com",
                "payment_authority": payment_authority,
                "created_at": "2017-01-10T11:41:19Z",
                "updated_at": "2017-01-10T11:41:19Z"
            },
            "meta": {
                "owner": "store",
                "timestamps": { "created_at": "2017-01-10T11:41:19Z", "updated_at": "2017-01-10T11:41:19Z" }
            }
        }
    })
}

#[test]
fn an_unknown_gateway_decodes_into_unknown_and_keeps_its_json() {
    let new_gateway = json!({"type": "adyen", "shopper_reference": "shopper-1"});
    let decoded: types::SubscriberResponse =
        serde_json::from_value(answer(new_gateway.clone())).expect("decodes");
    let attributes = decoded.data.expect("data").attributes;
    match attributes.payment_authority {
        Some(types::PaymentAuthority::Unknown(raw)) => assert_eq!(raw, new_gateway),
        other => panic!("expected Unknown, got {other:?}"),
    }
}

#[test]
fn known_gateways_still_decode_into_their_variants() {
    let stripe = json!({"type": "elastic_path_payments_stripe", "customer_id": "cus_1"});
    let decoded: types::SubscriberResponse =
        serde_json::from_value(answer(stripe)).expect("decodes");
    assert!(matches!(
        decoded.data.expect("data").attributes.payment_authority,
        Some(types::PaymentAuthority::ElasticPathPaymentsStripe { .. })
    ));
}

#[test]
fn an_unknown_member_serialises_back_unchanged() {
    let raw = json!({"type": "adyen", "shopper_reference": "shopper-1"});
    let union = types::PaymentAuthority::Unknown(raw.clone());
    assert_eq!(serde_json::to_value(&union).expect("serialises"), raw);
}
