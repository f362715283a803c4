//! What Synapse's own SDKs send and Synapse's references list, beyond the page.
//!
//! - `X-SP-USER-IP` and `X-SP-USER` (`|<fingerprint>` for this platform-level
//!   call, as SynapseFI/SynapseNode and SynapseFI/SynapsePy send it) go out
//!   exactly as set, next to `X-SP-GATEWAY`, and are absent when not set.
//! - The 7 scope values only the Node SDK lists are known values, sent and
//!   read as such.
//!
//! Only the wiremock server on 127.0.0.1 is contacted; credentials and the
//! fingerprint are placeholders. What every client shares, the documented
//! 402, 409 and 504 answers among it, is checked by the generated
//! `tests/scenarios.rs`.

use client_test_support::wiremock::{MockServer, ResponseTemplate};
use client_test_support::{header_values, server_answering, single_json, single_request};
use serde_json::json;
use synapse_client::{Client, auth, types};

const SUBSCRIPTION_ID: &str = "589b6adec83e17002122196c";
const FINGERPRINT_HEADER: &str = "|0123456789abcdef0123456789abcdef";

fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v3.1", server.uri()))
        .gateway(auth::Gateway::new("test-client-id", "test-client-secret"))
        .build()
        .expect("a client with a wiremock base URL builds")
}

fn body() -> types::UpdateSubscriptionRequest {
    types::UpdateSubscriptionRequest::try_from(
        types::UpdateSubscriptionRequest::builder().is_active(Some(false)),
    )
    .expect("builds")
}

async fn server_ok() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_json(json!({
        "_id": SUBSCRIPTION_ID,
        "is_active": false
    })))
    .await
}

#[tokio::test]
async fn user_ip_and_user_headers_are_sent_when_set() {
    let server = server_ok().await;

    client_for(&server)
        .update_subscription()
        .subscription_id(SUBSCRIPTION_ID)
        .x_sp_user_ip("127.0.0.1")
        .x_sp_user(FINGERPRINT_HEADER)
        .body(body())
        .send()
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_eq!(header_values(&request, "x-sp-user-ip"), ["127.0.0.1"]);
    assert_eq!(header_values(&request, "x-sp-user"), [FINGERPRINT_HEADER]);
    assert_eq!(
        header_values(&request, "x-sp-gateway"),
        ["test-client-id|test-client-secret"]
    );
}

#[tokio::test]
async fn each_user_header_is_sent_alone_and_absent_when_not_set() {
    let cases: [(Option<&str>, Option<&str>); 3] = [
        (None, None),
        (Some("2001:db8::1"), None),
        (None, Some(FINGERPRINT_HEADER)),
    ];
    for (ip, user) in cases {
        let server = server_ok().await;
        let client = client_for(&server);
        let mut call = client
            .update_subscription()
            .subscription_id(SUBSCRIPTION_ID)
            .body(body());
        if let Some(ip) = ip {
            call = call.x_sp_user_ip(ip);
        }
        if let Some(user) = user {
            call = call.x_sp_user(user);
        }
        call.send().await.expect("the call succeeds");

        let request = single_request(&server).await;
        let expected =
            |value: Option<&str>| value.map(str::to_owned).into_iter().collect::<Vec<_>>();
        assert_eq!(
            header_values(&request, "x-sp-user-ip"),
            expected(ip),
            "{ip:?} {user:?}"
        );
        assert_eq!(
            header_values(&request, "x-sp-user"),
            expected(user),
            "{ip:?} {user:?}"
        );
    }
}

#[tokio::test]
async fn an_empty_header_value_is_refused_before_sending() {
    let server = client_test_support::server_expecting_no_requests().await;

    let error = client_for(&server)
        .update_subscription()
        .subscription_id(SUBSCRIPTION_ID)
        .x_sp_user_ip("")
        .body(body())
        .send()
        .await
        .expect_err("an empty X-SP-USER-IP is refused");

    client_test_support::assert_invalid_request(error, "x_sp_user_ip");
}

#[tokio::test]
async fn the_scopes_only_the_sdk_lists_are_known_values() {
    let sdk_only = [
        ("USERS|PATCH", types::SubscriptionScope::UsersPatch),
        ("NODES|PATCH", types::SubscriptionScope::NodesPatch),
        ("NODE|DELETE", types::SubscriptionScope::NodeDelete),
        ("NODES|DELETE", types::SubscriptionScope::NodesDelete),
        ("TRANS|PATCH", types::SubscriptionScope::TransPatch),
        ("TRAN|DELETE", types::SubscriptionScope::TranDelete),
        ("TRANS|DELETE", types::SubscriptionScope::TransDelete),
    ];
    let wire: Vec<&str> = sdk_only.iter().map(|(wire, _)| *wire).collect();
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({
        "_id": SUBSCRIPTION_ID,
        "scope": wire
    })))
    .await;

    let answer = client_for(&server)
        .update_subscription()
        .subscription_id(SUBSCRIPTION_ID)
        .body(
            types::UpdateSubscriptionRequest::try_from(
                types::UpdateSubscriptionRequest::builder().scope(Some(
                    sdk_only.iter().map(|(_, typed)| typed.clone()).collect(),
                )),
            )
            .expect("builds"),
        )
        .send()
        .await
        .expect("the call succeeds")
        .into_inner();

    assert_eq!(single_json(&server).await, json!({ "scope": wire }));
    let scope = answer.scope.expect("scope is present");
    for ((wire, typed), got) in sdk_only.iter().zip(&scope) {
        assert_eq!(got, typed, "{wire}");
        assert!(!got.is_unknown(), "{wire} is a known scope");
    }
}
