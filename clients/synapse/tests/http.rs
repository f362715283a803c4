//! HTTP-level tests of `synapse-client` against a local wiremock server.
//!
//! They check the generated client against `specs/synapse.yaml`:
//! - the request: `PATCH /subscriptions/{subscription_id}` under the base URL's `/v3.1`
//!   prefix, the `X-SP-GATEWAY: <client_id>|<client_secret>` header, `Content-Type`,
//!   `Accept`, `User-Agent`, and no stray `api-version` header; the optional `X-SP-USER*`
//!   headers are absent unless set (`tests/user_headers.rs` sets them);
//! - the body: the spec's request example, built in typed form, is sent as exactly that JSON;
//!   an unset `scope` is left out while `Some(vec![])` is sent as `"scope": []`;
//! - the answers: the 200 example, the documented error statuses (400, 401, 404, 429, 500,
//!   503 here; 402, 409 and 504 in `tests/user_headers.rs`) with their string `error_code` /
//!   `http_code`, scope values and fields the spec does
//!   not list, an undeclared status and malformed bodies;
//! - credentials: never in `Debug` output, and no request at all when they are missing;
//! - servers: sandbox (the default) and production, and a base URL with a trailing `/`.

use client_test_support::wiremock::matchers::{header, method, path};
use client_test_support::wiremock::{Mock, MockServer, ResponseTemplate};
use client_test_support::{
    assert_debug_shows, assert_error_response, assert_invalid_payload, assert_missing_credentials,
    assert_no_requests, assert_redacted, assert_request_line, assert_standard_headers,
    assert_unexpected_response, header_values, raw_body, server_answering,
    server_expecting_no_requests, single_json, single_request, with_standard_headers,
};
use reqwest::StatusCode;
use serde_json::{Value, json};
use synapse_client::servers::Server;
use synapse_client::{Client, ClientInfo, Error, RetryPolicy, auth, types};

const CLIENT_ID: &str = "test-client-id";
const CLIENT_SECRET: &str = "test-client-secret";
const GATEWAY: &str = "test-client-id|test-client-secret";
const SUBSCRIPTION_ID: &str = "589b6adec83e17002122196c";
/// The spec's servers carry a `/v3.1` prefix; the tests keep it in front of the mock's host.
const PREFIX: &str = "/v3.1";
const OPERATION_PATH: &str = "/v3.1/subscriptions/589b6adec83e17002122196c";
const USER_AGENT: &str = concat!("synapse-client/", env!("CARGO_PKG_VERSION"));

/// The spec's requestBody example, verbatim.
fn request_example() -> Value {
    json!({ "is_active": false })
}

/// The spec's 200 response example, verbatim.
fn response_example() -> Value {
    json!({
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
    })
}

/// A client for `server` (under the `/v3.1` prefix) with the placeholder
/// credentials. Retries are off: these tests check what one answer becomes
/// (429 and 503 would be retried); `tests/retries.rs` checks the retries.
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}{PREFIX}", server.uri()))
        .gateway(auth::Gateway::new(CLIENT_ID, CLIENT_SECRET))
        .retry(RetryPolicy::disabled())
        .build()
        .expect("a client with a wiremock base URL builds")
}

/// A mock server that answers every request with the spec's 200 example.
async fn server_answering_ok() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_json(response_example())).await
}

/// Sends the spec's example request, built in typed form.
async fn send_example(
    client: &Client,
) -> Result<synapse_client::ResponseValue<types::Subscription>, Error<types::ApiError>> {
    client
        .update_subscription()
        .subscription_id(SUBSCRIPTION_ID)
        .body(types::UpdateSubscriptionRequest::builder().is_active(false))
        .send()
        .await
}

/// Sends `body` and returns the JSON the server received.
async fn sent_json(body: types::UpdateSubscriptionRequest) -> Value {
    let server = server_answering_ok().await;
    client_for(&server)
        .update_subscription()
        .subscription_id(SUBSCRIPTION_ID)
        .body(body)
        .send()
        .await
        .expect("the call succeeds");
    single_json(&server).await
}

/// The error the example request ends in when the server answers `response`.
async fn example_error(response: ResponseTemplate) -> Error<types::ApiError> {
    let server = server_answering(response).await;
    let result = send_example(&client_for(&server)).await;
    result.expect_err("the server's answer is an error")
}

#[tokio::test]
async fn sends_patch_to_subscription_path_with_spec_headers() {
    let server = MockServer::start().await;
    let spec_request = Mock::given(method("PATCH"))
        .and(path(OPERATION_PATH))
        .and(header("x-sp-gateway", GATEWAY));
    with_standard_headers(spec_request, USER_AGENT)
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example()))
        .expect(1)
        .mount(&server)
        .await;

    let response = send_example(&client_for(&server))
        .await
        .expect("the mock matching the spec's request answers 200");
    assert_eq!(response.status(), StatusCode::OK);

    let request = single_request(&server).await;
    // The operation has no query parameters.
    assert_request_line(&request, "PATCH", OPERATION_PATH, None);
    assert_eq!(header_values(&request, "x-sp-gateway"), [GATEWAY]);
    assert_standard_headers(&request, USER_AGENT);
    for absent in ["authorization", "x-sp-user", "x-sp-user-ip"] {
        assert!(
            header_values(&request, absent).is_empty(),
            "no {absent} header is sent: {:?}",
            request.headers
        );
    }
}

#[tokio::test]
async fn subscription_id_is_percent_encoded_in_the_path() {
    let server = server_answering_ok().await;

    client_for(&server)
        .update_subscription()
        .subscription_id("a b/c")
        .body(types::UpdateSubscriptionRequest::default())
        .send()
        .await
        .expect("the call succeeds");

    assert_eq!(
        single_request(&server).await.url.path(),
        "/v3.1/subscriptions/a%20b%2Fc"
    );
}

#[tokio::test]
async fn typed_example_request_is_sent_as_the_spec_example_json() {
    let server = server_answering_ok().await;

    send_example(&client_for(&server))
        .await
        .expect("the call succeeds");

    assert_eq!(single_json(&server).await, request_example());
}

#[tokio::test]
async fn example_request_deserialized_from_json_is_sent_unchanged() {
    let body: types::UpdateSubscriptionRequest = serde_json::from_value(request_example())
        .expect("the spec's request example matches its schema");

    assert_eq!(sent_json(body).await, request_example());
}

#[tokio::test]
async fn full_update_is_sent_with_scope_strings_verbatim() {
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
    let unset = sent_json(
        types::UpdateSubscriptionRequest::try_from(
            types::UpdateSubscriptionRequest::builder()
                .is_active(Some(false))
                .scope(None)
                .url(None),
        )
        .expect("builds"),
    )
    .await;
    let empty = sent_json(
        types::UpdateSubscriptionRequest::try_from(
            types::UpdateSubscriptionRequest::builder()
                .is_active(Some(false))
                .scope(Some(vec![]))
                .url(None),
        )
        .expect("builds"),
    )
    .await;

    assert_eq!(unset, json!({ "is_active": false }));
    assert!(
        unset.get("scope").is_none(),
        "an unset scope is not sent: {unset}"
    );
    assert_eq!(empty, json!({ "is_active": false, "scope": [] }));
    assert_ne!(
        unset, empty,
        "None and Some(vec![]) must differ on the wire"
    );
}

#[tokio::test]
async fn parses_the_spec_example_200_response() {
    let server = server_answering_ok().await;

    let response = send_example(&client_for(&server))
        .await
        .expect("the example response parses");

    assert_eq!(response.status(), StatusCode::OK);
    let body = response.into_inner();
    assert_eq!(body.id.as_deref(), Some(SUBSCRIPTION_ID));
    assert_eq!(body.v, Some(2));
    assert_eq!(body.client_id.as_deref(), Some("589acd9ecb3cd400fa75ac06"));
    assert_eq!(body.is_active, Some(false));
    assert_eq!(body.url.as_deref(), Some("https://requestb.in/zp216zzp"));
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
async fn documented_error_statuses_parse_into_error_response() {
    let cases: [(u16, &str, Value); 6] = [
        (
            400,
            "200",
            json!({ "en": "Invalid field value supplied for scope." }),
        ),
        (401, "100", json!({ "en": "Incorrect client credentials." })),
        (
            404,
            "404",
            json!({
                "code": "unable_to_locate_subscription",
                "en": "Unable to locate subscription object with filter {'_id': ObjectId('60408ec663615152a3a6fc77')}"
            }),
        ),
        (
            429,
            "429",
            json!({ "en": "Too many requests. Please try again later." }),
        ),
        (500, "500", json!({ "en": "Internal server error." })),
        (
            503,
            "503",
            json!({ "en": "Service unavailable. Please try again later." }),
        ),
    ];
    for (status, error_code, detail) in cases {
        let example = json!({
            "error": detail,
            "error_code": error_code,
            "http_code": status.to_string(),
            "success": false
        });
        let error = example_error(ResponseTemplate::new(status).set_body_json(example)).await;

        let body = assert_error_response(error, status);
        assert_eq!(body.error_code.as_deref(), Some(error_code), "{status}");
        assert_eq!(
            body.http_code.as_deref(),
            Some(status.to_string().as_str()),
            "{status}"
        );
        assert_eq!(body.success, Some(false), "{status}");
        let parsed = body.error.expect("error details are present");
        assert_eq!(parsed.en.as_deref(), detail["en"].as_str(), "{status}");
        assert_eq!(parsed.code.as_deref(), detail["code"].as_str(), "{status}");
    }
}

#[tokio::test]
async fn unlisted_scope_values_and_extra_fields_in_200_are_kept() {
    let answer = json!({
        "_id": SUBSCRIPTION_ID,
        "is_active": true,
        "scope": ["USERS|POST", "STATEMENTS|POST"],
        "url": "https://requestb.in/zp216zzp",
        "created_on": 1_486_580_446_000_i64,
        "_links": {
            "self": { "href": "https://example.com/x" },
            "owner": { "href": "https://example.com/y" }
        }
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(answer)).await;

    let body = send_example(&client_for(&server))
        .await
        .expect("unknown scope values and fields still parse")
        .into_inner();

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
async fn undeclared_status_is_unexpected_response_with_raw_body() {
    let error = example_error(ResponseTemplate::new(418).set_body_string("I'm a teapot")).await;

    assert_unexpected_response(error, 418, "I'm a teapot");
}

#[tokio::test]
async fn malformed_200_body_is_invalid_response_payload() {
    for raw in [
        r#"{"_id": "589b6adec83e17002122196c", "scope": ["#,
        r#"{"is_active": "no"}"#,
        r#"{"scope": "USERS|POST"}"#,
    ] {
        let error = example_error(raw_body(200, "application/json", raw)).await;

        assert_invalid_payload(error, 200, raw);
    }
}

#[tokio::test]
async fn malformed_error_body_is_invalid_response_payload_with_its_status() {
    let raw = "<html><body>503 Service Unavailable</body></html>";
    let error = example_error(raw_body(503, "text/html", raw)).await;

    assert_invalid_payload(error, 503, raw);
}

#[tokio::test]
async fn debug_output_never_contains_the_secret() {
    let credentials = auth::Gateway::new(CLIENT_ID, CLIENT_SECRET);
    let builder = Client::builder().gateway(credentials.clone());
    let client = builder
        .clone()
        .build()
        .expect("a client with the default server builds");

    assert_redacted(
        &[
            ("Gateway", &credentials),
            ("ClientBuilder", &builder),
            ("Client", &client),
        ],
        &[CLIENT_SECRET, GATEWAY],
    );
    assert_debug_shows("Gateway", &credentials, "Secret(<redacted>)");
    assert_eq!(
        format!("{:?}", auth::Secret::from(CLIENT_SECRET)),
        "Secret(<redacted>)"
    );
}

#[tokio::test]
async fn missing_credentials_fail_without_sending_a_request() {
    let server = server_expecting_no_requests().await;
    let client = Client::builder()
        .base_url(format!("{}{PREFIX}", server.uri()))
        .build()
        .expect("a client without credentials builds");

    let error = send_example(&client)
        .await
        .expect_err("the operation requires the gateway credentials");

    assert_missing_credentials(error, "update_subscription", "gateway");
    assert_no_requests(&server).await;
}

#[test]
fn default_server_is_the_sandbox_and_every_server_matches_the_spec() {
    assert_eq!(Server::default(), Server::UatApi);
    assert_eq!(
        Server::default().url(),
        "https://uat-api.synapsefi.com/v3.1"
    );
    assert_eq!(Server::UatApi.url(), "https://uat-api.synapsefi.com/v3.1");
    assert_eq!(Server::Api.url(), "https://api.synapsefi.com/v3.1");

    let client = Client::builder()
        .build()
        .expect("the default server is a valid base URL");
    assert_eq!(client.baseurl(), "https://uat-api.synapsefi.com/v3.1");
    for server in [Server::UatApi, Server::Api] {
        let url = server.url();
        let client = Client::builder()
            .server(server)
            .build()
            .expect("every spec server is a valid base URL");
        assert_eq!(client.baseurl(), url);
    }
}

#[tokio::test]
async fn base_url_with_trailing_slash_hits_the_operation_path() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}{PREFIX}/", server.uri()))
        .gateway(auth::Gateway::new(CLIENT_ID, CLIENT_SECRET))
        .build()
        .expect("a base URL with a trailing slash is accepted");

    send_example(&client)
        .await
        .expect("the request reaches the operation path");

    assert_eq!(single_request(&server).await.url.path(), OPERATION_PATH);
}
