//! Elastic Path's own token flow, end to end against a local server on
//! 127.0.0.1 that plays both the API and its token endpoint: the client
//! asks `POST /oauth/access_token` on the API's host (not under `/v2`)
//! with the client id and secret in the form body, as Elastic Path's
//! "Client credential token" page shows; reads Elastic Path's answer
//! (`expires` and `identifier` beside the RFC 6749 fields); sends the token;
//! and after a `401` gets a new one and resends once.

use std::sync::atomic::{AtomicUsize, Ordering};

use client_test_support::wiremock::matchers::{header, method, path};
use client_test_support::wiremock::{Mock, MockServer, Request, ResponseTemplate};
use elasticpath_client::{Client, Error, RetryPolicy, auth, types};
use serde_json::json;

const SUBSCRIBER: &str = "11111111-2222-3333-4444-555555555555";
const CLIENT_SECRET: &str = "placeholder-client-secret";

fn body() -> types::SubscriberUpdateRequest {
    serde_json::from_value(json!({
        "data": {
            "id": SUBSCRIBER,
            "type": "subscription_subscriber",
            "attributes": { "name": "John Doe" }
        }
    }))
    .expect("a valid request body")
}

/// Answers `POST /oauth/access_token` as Elastic Path does, with
/// `issued-0`, `issued-1`, …
async fn token_endpoint(server: &MockServer) {
    let issued = AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/oauth/access_token"))
        .respond_with(move |_: &Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(json!({
                "expires": 1_524_486_008,
                "identifier": "client_credentials",
                "expires_in": 3600,
                "access_token": format!("issued-{n}"),
                "token_type": "Bearer"
            }))
        })
        .mount(server)
        .await;
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .bearer_auth(auth::BearerAuth::client_credentials(
            "placeholder-client-id",
            CLIENT_SECRET,
        ))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a loopback base URL")
}

async fn requests(server: &MockServer, wanted: &str) -> Vec<Request> {
    let all = server.received_requests().await.expect("recording is on");
    all.into_iter().filter(|r| r.url.path() == wanted).collect()
}

#[tokio::test]
async fn the_token_comes_from_the_api_host_with_the_credentials_in_the_form_body() {
    let server = MockServer::start().await;
    token_endpoint(&server).await;
    Mock::given(method("PUT"))
        .and(path(format!("/v2/subscriptions/subscribers/{SUBSCRIBER}")))
        .and(header("authorization", "Bearer issued-0"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": null})))
        .mount(&server)
        .await;
    let client = client(&server);
    assert!(!format!("{client:?}").contains(CLIENT_SECRET));

    for _ in 0..3 {
        client
            .update_subscriber()
            .subscriber_uuid(SUBSCRIBER)
            .body(body())
            .send()
            .await
            .expect("the API takes the issued token");
    }

    let tokens = requests(&server, "/oauth/access_token").await;
    assert_eq!(tokens.len(), 1, "one token for calls within its hour");
    let token_request = &tokens[0];
    assert_eq!(
        String::from_utf8_lossy(&token_request.body),
        "grant_type=client_credentials&client_id=placeholder-client-id&client_secret=placeholder-client-secret"
    );
    assert_eq!(
        token_request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    assert!(
        token_request.headers.get("authorization").is_none(),
        "no HTTP Basic: Elastic Path takes the credentials in the body"
    );
}

#[tokio::test]
async fn a_401_gets_a_new_token_and_one_resend_then_is_a_typed_error() {
    let server = MockServer::start().await;
    token_endpoint(&server).await;
    Mock::given(method("PUT"))
        .and(header("authorization", "Bearer issued-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"data": null})))
        .mount(&server)
        .await;
    let unauthorized = json!({"errors": [{"status": "401", "title": "Unauthorized"}]});
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(401).set_body_json(&unauthorized))
        .mount(&server)
        .await;
    client(&server)
        .update_subscriber()
        .subscriber_uuid(SUBSCRIBER)
        .body(body())
        .send()
        .await
        .expect("the resend with a new token is accepted");
    assert_eq!(requests(&server, "/oauth/access_token").await.len(), 2);

    // A revoked client: every token is refused; one resend, then the
    // documented 401 with its typed body.
    let server = MockServer::start().await;
    token_endpoint(&server).await;
    Mock::given(method("PUT"))
        .respond_with(ResponseTemplate::new(401).set_body_json(&unauthorized))
        .mount(&server)
        .await;
    let error = client(&server)
        .update_subscriber()
        .subscriber_uuid(SUBSCRIBER)
        .body(body())
        .send()
        .await
        .expect_err("every token is refused");
    let Error::ErrorResponse(answer) = error else {
        panic!("a documented 401 is typed: {error:?}");
    };
    assert_eq!(answer.status().as_u16(), 401);
    assert_eq!(answer.into_inner().errors[0].title, "Unauthorized");
    let api_calls = requests(
        &server,
        &format!("/v2/subscriptions/subscribers/{SUBSCRIBER}"),
    )
    .await;
    assert_eq!(api_calls.len(), 2, "one send and one resend, never a loop");
}

#[tokio::test]
async fn a_refused_client_is_a_token_error_and_nothing_reaches_the_api() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth/access_token"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "unknown client"
        })))
        .mount(&server)
        .await;
    let error = client(&server)
        .update_subscriber()
        .subscriber_uuid(SUBSCRIBER)
        .body(body())
        .send()
        .await
        .expect_err("no token");
    assert!(matches!(error, Error::Token(_)), "{error:?}");
    assert!(!format!("{error} {error:?}").contains(CLIENT_SECRET));
    let api_calls = requests(
        &server,
        &format!("/v2/subscriptions/subscribers/{SUBSCRIBER}"),
    )
    .await;
    assert!(api_calls.is_empty(), "nothing is sent without a token");
}
