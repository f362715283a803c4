//! Request and answer types implement `PartialEq`, so tests compare typed
//! values directly.

use elasticpath_client::types;
use serde_json::json;

fn request(name: &str) -> types::SubscriberUpdateRequest {
    serde_json::from_value(json!({
        "data": {
            "id": "11111111-2222-3333-4444-555555555555",
            "type": "subscription_subscriber",
            "attributes": {
                "name": name,
                "payment_authority": { "type": "elastic_path_payments_stripe", "customer_id": "cus_1" }
            }
        }
    }))
    .expect("a valid request")
}

#[test]
fn equal_bodies_compare_equal_and_different_ones_do_not() {
    assert_eq!(request("John Doe"), request("John Doe"));
    assert_ne!(request("John Doe"), request("Jane Doe"));
}
