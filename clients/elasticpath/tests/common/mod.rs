//! The subscriber answers several of `elasticpath-client`'s test files send.

#![allow(dead_code, reason = "each test file uses the part it needs")]

use serde_json::{Value, json};

/// The spec's example `subscriber_uuid`.
pub const SUBSCRIBER_UUID: &str = "11111111-2222-3333-4444-555555555555";

/// A 200 answer whose subscriber holds `payment_authority`.
pub fn answer_with(payment_authority: Value) -> Value {
    json!({
        "data": {
            "id": SUBSCRIBER_UUID,
            "type": "subscription_subscriber",
            "attributes": {
                "account_id": SUBSCRIBER_UUID,
                "name": "John Doe",
                "email": "john.doe@example.com",
                "payment_authority": payment_authority,
                "created_at": "2017-01-10T11:41:19.244842Z",
                "updated_at": "2017-01-10T11:41:19.244842Z"
            },
            "meta": {
                "owner": "store",
                "timestamps": {
                    "created_at": "2017-01-10T11:41:19.244842Z",
                    "updated_at": "2017-01-10T11:41:19.244842Z"
                }
            }
        }
    })
}

/// The spec's example 200 response (`specs/elasticpath.yaml`).
pub fn response_example() -> Value {
    let mut answer = answer_with(json!({
        "type": "elastic_path_payments_stripe",
        "customer_id": "cus_OPfKlxWV3hp9h6",
        "card_id": "card_8Diw3FQPhxK27WADPVMeXieP"
    }));
    answer["data"]["meta"]["feature_entitlements"] = json!(["tag1", "tag2"]);
    answer
}
