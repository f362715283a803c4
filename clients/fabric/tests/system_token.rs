//! fabric's bearer token is a system token from fabric Identity: the OAuth
//! 2.0 client credentials grant at the merchant's own token URL, with HTTP
//! Basic and `scope=s2s`, lasting ten minutes (`specs/fabric.yaml`, "Tokens").
//! No spec can name a per-merchant URL, so the caller gives
//! `auth::BearerAuth::provider` a provider for it, as the README shows; the
//! client then gets, caches and renews the token itself. Against local
//! servers on 127.0.0.1 (one plays fabric Identity, one the API).

use client_runtime::{AccessToken, OAuth2ClientCredentials, TokenFuture, TokenProvider};
use client_test_support::wiremock::matchers::{header, method, path};
use client_test_support::wiremock::{Mock, MockServer, ResponseTemplate};
use fabric_client::{Client, RetryPolicy, auth, types};
use serde_json::json;

/// fabric Identity's client credentials flow, always asked for `s2s`.
#[derive(Debug)]
struct FabricIdentity(OAuth2ClientCredentials);

impl TokenProvider for FabricIdentity {
    fn token<'a>(&'a self, _scopes: &'a [&'a str]) -> TokenFuture<'a> {
        self.0.token(&["s2s"])
    }

    fn invalidate(&self, _scopes: &[&str], rejected: &AccessToken) {
        self.0.invalidate(&["s2s"], rejected);
    }
}

#[tokio::test]
async fn a_system_token_is_fetched_once_and_sent_as_the_bearer_token() {
    let identity = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/oauth2/aus-merchant/v1/token"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token_type": "Bearer",
            "expires_in": 600,
            "access_token": "system-token-1",
            "scope": "s2s"
        })))
        .mount(&identity)
        .await;
    let api = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/subscriptions/6256610bc312410009b7390b"))
        .and(header("authorization", "Bearer system-token-1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "responseStatus": "OK",
            "data": {"subscription": {"id": "6256610bc312410009b7390b"}}
        })))
        .mount(&api)
        .await;
    let provider = OAuth2ClientCredentials::new(
        &format!("{}/oauth2/aus-merchant/v1/token", identity.uri()),
        "placeholder-app-id",
        "placeholder-app-secret",
    )
    .expect("a loopback token URL");
    let client = Client::builder()
        .base_url(api.uri())
        .bearer_auth(auth::BearerAuth::provider(FabricIdentity(provider)))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("valid configuration");
    assert!(!format!("{client:?}").contains("placeholder-app-secret"));

    for _ in 0..2 {
        client
            .update_subscription()
            .id("6256610bc312410009b7390b")
            .body(types::UpdateSubscriptionRequest::default())
            .send()
            .await
            .expect("the API takes the system token");
    }

    let token_requests = identity.received_requests().await.expect("recording is on");
    assert_eq!(token_requests.len(), 1, "one token for both calls");
    assert_eq!(
        String::from_utf8_lossy(&token_requests[0].body),
        "grant_type=client_credentials&scope=s2s"
    );
    assert!(
        token_requests[0].headers["authorization"]
            .to_str()
            .is_ok_and(|value| value.starts_with("Basic ")),
        "fabric Identity takes the app's id and secret as HTTP Basic"
    );
}
