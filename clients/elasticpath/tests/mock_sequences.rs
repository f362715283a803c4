//! A downstream test's view of flaky answers, through the typed mock
//! (feature `mock`): "503, then 200" is retried into a success, and an
//! empty error answer is described as empty, not as a spec mismatch.

#![cfg(feature = "mock")]

use elasticpath_client::{Client, RetryPolicy, auth::BearerAuth, mock, types};
use serde_json::json;

const UUID: &str = "11111111-2222-3333-4444-555555555555";

fn body() -> types::SubscriberUpdateRequest {
    serde_json::from_value(json!({
        "data": { "id": UUID, "type": "subscription_subscriber", "attributes": { "name": "John Doe" } }
    }))
    .expect("a valid body")
}

fn answer() -> types::SubscriberResponse {
    serde_json::from_value(json!({
        "data": { "id": UUID, "type": "subscription_subscriber",
                  "attributes": { "account_id": UUID, "name": "John Doe", "email": "john.doe@example.com",
                                  "created_at": "2017-01-10T11:41:19Z", "updated_at": "2017-01-10T11:41:19Z" },
                  "meta": { "owner": "store",
                            "timestamps": { "created_at": "2017-01-10T11:41:19Z", "updated_at": "2017-01-10T11:41:19Z" } } }
    }))
    .expect("a valid answer")
}

fn client(server: &mock::MockServer, retry: RetryPolicy) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_auth(BearerAuth::new("test-token"))
        .retry(retry)
        .build()
        .expect("a client")
}

#[tokio::test]
async fn a_503_then_200_is_retried_into_the_answer() {
    let server = mock::MockServer::start().await;
    let update = mock::update_subscriber()
        .respond_with(mock::ResponseTemplate::new(503))
        .respond(200, &answer())
        .expect(2)
        .mount(&server)
        .await
        .expect("mounts");
    let response = client(&server, RetryPolicy::new())
        .update_subscriber()
        .subscriber_uuid(UUID)
        .body(body())
        .send()
        .await
        .expect("the retry gets the 200");
    assert_eq!(
        serde_json::to_value(response.into_inner()).expect("serialises"),
        serde_json::to_value(answer()).expect("serialises")
    );
    assert_eq!(
        update.received_bodies().await.expect("typed bodies").len(),
        2
    );
}

#[tokio::test]
async fn an_empty_documented_error_answer_is_called_empty() {
    let server = mock::MockServer::start().await;
    let _update = mock::update_subscriber()
        .respond_with(mock::ResponseTemplate::new(500))
        .mount(&server)
        .await
        .expect("mounts");
    let error = client(&server, RetryPolicy::disabled())
        .update_subscriber()
        .subscriber_uuid(UUID)
        .body(body())
        .send()
        .await
        .expect_err("a 500");
    assert_eq!(
        error.into_last_attempt().to_string(),
        "the API answered 500 Internal Server Error with an empty body, where the spec declares a JSON one"
    );
}

#[tokio::test]
async fn an_undeclared_empty_answer_is_called_empty() {
    let server = mock::MockServer::start().await;
    let _update = mock::update_subscriber()
        .respond_with(mock::ResponseTemplate::new(503))
        .mount(&server)
        .await
        .expect("mounts");
    let error = client(&server, RetryPolicy::disabled())
        .update_subscriber()
        .subscriber_uuid(UUID)
        .body(body())
        .send()
        .await
        .expect_err("a 503");
    assert_eq!(
        error.into_last_attempt().to_string(),
        "the API answered 503 Service Unavailable, which the spec does not declare, with an empty body"
    );
}
