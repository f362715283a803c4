//! Synapse's types on the wire, against a local wiremock server on 127.0.0.1:
//! - `SubscriptionScope` is an open enum of `RESOURCE|METHOD` strings: typed
//!   values (`TRANS|POST|JIT` included) go out verbatim, the spec example's
//!   scopes read as known values, and a scope the spec does not list is kept
//!   as `Unknown`, as are fields the spec does not list;
//! - an unset `scope` is left out of the body, `Some(vec![])` is sent as
//!   `"scope": []`;
//! - `_id`, `_v` and `_links.self` read into `id`, `v` and `links.self_`;
//! - JSON of the wrong shape for a `Subscription` is `InvalidResponsePayload`.
//!
//! The request, documented answers, credentials, retries and servers every
//! client shares are checked by the generated `tests/scenarios.rs`.

use client_test_support::wiremock::{MockServer, ResponseTemplate};
use client_test_support::{assert_invalid_payload, raw_body, server_answering, single_json};
use serde_json::{Value, json};
use synapse_client::{Client, Error, ResponseValue, RetryPolicy, auth, types};

const SUBSCRIPTION_ID: &str = "589b6adec83e17002122196c";

/// A client for `server` under the spec's `/v3.1` prefix, placeholder
/// credentials, retries off (each test checks what one answer becomes).
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}/v3.1", server.uri()))
        .gateway(auth::Gateway::new("test-client-id", "test-client-secret"))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a client with a wiremock base URL builds")
}

/// Sends `body` to a server answering `answer`.
async fn update(
    body: types::UpdateSubscriptionRequest,
    answer: ResponseTemplate,
) -> (
    MockServer,
    Result<ResponseValue<types::Subscription>, Error<types::ApiError>>,
) {
    let server = server_answering(answer).await;
    let result = client_for(&server)
        .update_subscription()
        .subscription_id(SUBSCRIPTION_ID)
        .body(body)
        .send()
        .await;
    (server, result)
}

/// The JSON the server receives for `body`.
async fn sent_json(body: types::UpdateSubscriptionRequest) -> Value {
    let (server, result) = update(body, ResponseTemplate::new(200).set_body_json(json!({}))).await;
    result.expect("the call succeeds");
    single_json(&server).await
}

/// The typed answer to the example request when the server answers `answer`.
async fn answer_to(answer: Value) -> types::Subscription {
    let body = types::UpdateSubscriptionRequest::builder().is_active(false);
    let (_, result) = update(
        body.try_into().expect("builds"),
        ResponseTemplate::new(200).set_body_json(answer),
    )
    .await;
    result.expect("the answer parses").into_inner()
}

#[tokio::test]
async fn typed_scopes_are_sent_as_synapse_strings() {
    let body = types::UpdateSubscriptionRequest::try_from(
        types::UpdateSubscriptionRequest::builder()
            .is_active(Some(true))
            .scope(Some(vec![
                types::SubscriptionScope::UsersPost,
                types::SubscriptionScope::TransPostJit,
                types::SubscriptionScope::from("NODE|DELETE"),
            ]))
            .url(Some("https://example.com/webhooks".to_owned())),
    )
    .expect("builds");

    assert_eq!(
        sent_json(body).await,
        json!({
            "is_active": true,
            "scope": ["USERS|POST", "TRANS|POST|JIT", "NODE|DELETE"],
            "url": "https://example.com/webhooks"
        })
    );
}

#[tokio::test]
async fn unset_scope_is_absent_but_empty_scope_is_sent() {
    let with_scope = |scope: Option<Vec<types::SubscriptionScope>>| {
        types::UpdateSubscriptionRequest::try_from(
            types::UpdateSubscriptionRequest::builder()
                .is_active(Some(false))
                .scope(scope)
                .url(None),
        )
        .expect("builds")
    };
    let unset = sent_json(with_scope(None)).await;
    let empty = sent_json(with_scope(Some(vec![]))).await;

    assert_eq!(unset, json!({ "is_active": false }));
    assert_eq!(empty, json!({ "is_active": false, "scope": [] }));
}

#[tokio::test]
async fn the_example_answer_reads_as_known_scopes_and_renamed_fields() {
    let body = answer_to(json!({
        "_id": "589b6adec83e17002122196c",
        "_links": {
            "self": {
                "href": "https://uat-api.synapsefi.com/v3.1/subscriptions/589b6adec83e17002122196c"
            }
        },
        "_v": 2,
        "client_id": "589acd9ecb3cd400fa75ac06",
        "is_active": false,
        "scope": [
            "USERS|POST",
            "USER|PATCH",
            "NODES|POST",
            "NODE|PATCH",
            "TRANS|POST",
            "TRAN|PATCH",
            "SUBNETS|POST",
            "SUBNET|PATCH"
        ],
        "url": "https://requestb.in/zp216zzp"
    }))
    .await;

    assert_eq!(body.id.as_deref(), Some(SUBSCRIPTION_ID));
    assert_eq!(body.v, Some(2));
    let href = body
        .links
        .and_then(|links| links.self_)
        .and_then(|link| link.href);
    assert_eq!(
        href.as_deref(),
        Some("https://uat-api.synapsefi.com/v3.1/subscriptions/589b6adec83e17002122196c")
    );
    let scope = body.scope.expect("scope is present");
    assert_eq!(
        scope,
        [
            types::SubscriptionScope::UsersPost,
            types::SubscriptionScope::UserPatch,
            types::SubscriptionScope::NodesPost,
            types::SubscriptionScope::NodePatch,
            types::SubscriptionScope::TransPost,
            types::SubscriptionScope::TranPatch,
            types::SubscriptionScope::SubnetsPost,
            types::SubscriptionScope::SubnetPatch,
        ]
    );
    assert!(scope.iter().all(|value| !value.is_unknown()));
}

#[tokio::test]
async fn unlisted_scope_values_and_extra_fields_in_200_are_kept() {
    let body = answer_to(json!({
        "_id": SUBSCRIPTION_ID,
        "is_active": true,
        "scope": ["USERS|POST", "STATEMENTS|POST"],
        "url": "https://requestb.in/zp216zzp",
        "created_on": 1_486_580_446_000_i64,
        "_links": {
            "self": { "href": "https://example.com/x" },
            "owner": { "href": "https://example.com/y" }
        }
    }))
    .await;

    let scope = body.scope.expect("scope is present");
    assert_eq!(scope.len(), 2);
    assert_eq!(scope[0], types::SubscriptionScope::UsersPost);
    assert_eq!(
        scope[1],
        types::SubscriptionScope::Unknown("STATEMENTS|POST".to_owned())
    );
    assert!(scope[1].is_unknown());
    assert_eq!(scope[1].as_str(), "STATEMENTS|POST");
    assert_eq!(body.is_active, Some(true));
    assert_eq!(body.id.as_deref(), Some(SUBSCRIPTION_ID));
}

#[tokio::test]
async fn json_of_the_wrong_shape_is_invalid_response_payload() {
    for raw in [r#"{"is_active": "no"}"#, r#"{"scope": "USERS|POST"}"#] {
        let body = types::UpdateSubscriptionRequest::builder().is_active(false);
        let (_, result) = update(
            body.try_into().expect("builds"),
            raw_body(200, "application/json", raw),
        )
        .await;

        let error = result.expect_err("a Subscription of the wrong shape is an error");
        assert_invalid_payload(error, 200, raw);
    }
}
