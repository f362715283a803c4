//! The subscription `id` of `PATCH /v1/subscriptions/{id}` (`specs/fabric.yaml`)
//! can never make `fabric-client` update another resource: `.`, `..` and the
//! empty string, which URL parsing would fold out of the path, are refused
//! before anything is sent. Against a local wiremock server on 127.0.0.1.
//!
//! That any other text stays one percent-encoded segment is the generated
//! `tests/scenarios.rs`'s `encodes_path_parameters`, with the rest of the
//! behaviour every client shares.

use client_test_support::wiremock::ResponseTemplate;
use client_test_support::{received, server_answering};
use fabric_client::{Client, Error, auth, types};
use serde_json::json;

#[tokio::test]
async fn path_parameter_never_escapes_the_subscription_path() {
    // `.`, `..` and the empty string cannot be one path segment of
    // `/v1/subscriptions/{id}`: URL parsing removes dot segments, so sending
    // them would PATCH another resource (`/v1/` or the collection). The client
    // must refuse them (`InvalidRequest`) instead of sending anything.
    let mut failures = Vec::new();
    for id in ["..", ".", ""] {
        // Any path answers, so that a request sent anywhere shows up.
        let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({
            "responseStatus": "OK",
            "data": {"subscription": {"id": "6256610bc312410009b7390b"}}
        })))
        .await;
        let client = Client::builder()
            .base_url(server.uri())
            .bearer_auth(auth::BearerAuth::new("test-token"))
            .build()
            .expect("a wiremock URI is a valid base URL");

        let result = client
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
