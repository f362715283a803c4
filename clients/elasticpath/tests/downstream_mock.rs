//! The README's "Testing your code against a mock" example, compiled and
//! run as written (`cargo test -p elasticpath-client --features mock`): the
//! typed mock of the update sees the explicit `null` that clears a payment
//! authority.
//!
//! The client against a real HTTP server is checked by the generated
//! `tests/scenarios.rs` and the other files here.

#![cfg(feature = "mock")]

use elasticpath_client::{Client, auth::BearerAuth, mock, types};

/// The code under test: clears a subscriber's payment authority.
async fn clear_payment_authority(
    client: &Client,
    uuid: &str,
) -> Result<(), elasticpath_client::Error<types::ApiError>> {
    let body = serde_json::from_value(serde_json::json!({
        "data": { "id": uuid, "type": "subscription_subscriber", "attributes": { "payment_authority": null } }
    })).expect("a valid body");
    client
        .update_subscriber()
        .subscriber_uuid(uuid)
        .body::<types::SubscriberUpdateRequest>(body)
        .send()
        .await?;
    Ok(())
}

#[tokio::test]
async fn clearing_sends_an_explicit_null() -> Result<(), Box<dyn std::error::Error>> {
    let server = mock::MockServer::start().await;
    let update = mock::update_subscriber()
        .path_param("subscriber_uuid", "11111111-2222-3333-4444-555555555555")
        // Typed: the answer must be a `SubscriberResponse`.
        .respond(200, &serde_json::from_value::<types::SubscriberResponse>(serde_json::json!({
            "data": { "id": "11111111-2222-3333-4444-555555555555", "type": "subscription_subscriber",
                      "attributes": { "account_id": "11111111-2222-3333-4444-555555555555",
                                      "name": "John Doe", "email": "john.doe@example.com",
                                      "created_at": "2017-01-10T11:41:19Z", "updated_at": "2017-01-10T11:41:19Z" },
                      "meta": { "owner": "store",
                                "timestamps": { "created_at": "2017-01-10T11:41:19Z", "updated_at": "2017-01-10T11:41:19Z" } } }
        }))?)
        .expect(1)
        .mount(&server)
        .await?;
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_auth(BearerAuth::new("test-token"))
        .build()?;

    clear_payment_authority(&client, "11111111-2222-3333-4444-555555555555").await?;

    let sent = update.received_bodies().await?;
    assert_eq!(
        serde_json::to_value(&sent[0])?["data"]["attributes"]["payment_authority"],
        serde_json::Value::Null
    );
    Ok(())
}
