//! HTTP-level tests of `synapse-client` against a local wiremock server.
//!
//! They check the generated client against `specs/synapse.yaml`:
//! - the request: `PATCH /subscriptions/{subscription_id}` under the base URL's `/v3.1`
//!   prefix, the `X-SP-GATEWAY: <client_id>|<client_secret>` header, `Content-Type`,
//!   `Accept`, `User-Agent`, and no stray `api-version` (nor user-level `X-SP-USER*`) header;
//! - the body: the spec's request example, built in typed form, is sent as exactly that JSON;
//!   an unset `scope` is left out while `Some(vec![])` is sent as `"scope": []`;
//! - the answers: the 200 example, every documented error status (400, 401, 404, 429, 500,
//!   503) with their string `error_code` / `http_code`, scope values and fields the spec does
//!   not list, an undeclared status and malformed bodies;
//! - credentials: never in `Debug` output, and no request at all when they are missing;
//! - servers: sandbox (the default) and production, and a base URL with a trailing `/`.

use reqwest::StatusCode;
use serde_json::{Value, json};
use synapse_client::servers::Server;
use synapse_client::{Client, ClientInfo, Error, auth, types};
use wiremock::matchers::{any, header, method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

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

/// A client for `server` (under the `/v3.1` prefix) with the placeholder credentials.
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(format!("{}{PREFIX}", server.uri()))
        .gateway(auth::Gateway::new(CLIENT_ID, CLIENT_SECRET))
        .build()
        .expect("a client with a wiremock base URL builds")
}

/// A mock server that answers every request with `response`.
async fn server_answering(response: ResponseTemplate) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(response)
        .mount(&server)
        .await;
    server
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
    single_request(&server)
        .await
        .body_json()
        .expect("the request body is JSON")
}

/// The one request `server` received.
async fn single_request(server: &MockServer) -> Request {
    let mut requests = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert_eq!(requests.len(), 1, "exactly one request reaches the server");
    requests.pop().expect("one request")
}

/// All values of header `name` in `request`, as text.
fn header_values(request: &Request, name: &str) -> Vec<String> {
    request
        .headers
        .get_all(name)
        .iter()
        .map(|value| value.to_str().expect("header values are ASCII").to_owned())
        .collect()
}

#[tokio::test]
async fn sends_patch_to_subscription_path_with_spec_headers() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path(OPERATION_PATH))
        .and(header("x-sp-gateway", GATEWAY))
        .and(header("content-type", "application/json"))
        .and(header("accept", "application/json"))
        .and(header("user-agent", USER_AGENT))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example()))
        .expect(1)
        .mount(&server)
        .await;

    let response = send_example(&client_for(&server))
        .await
        .expect("the mock matching the spec's request answers 200");
    assert_eq!(response.status(), StatusCode::OK);

    let request = single_request(&server).await;
    assert_eq!(request.method.as_str(), "PATCH");
    assert_eq!(request.url.path(), OPERATION_PATH);
    assert!(
        request.url.query_pairs().next().is_none(),
        "the operation has no query parameters: {}",
        request.url
    );
    assert_eq!(header_values(&request, "x-sp-gateway"), [GATEWAY]);
    assert_eq!(
        header_values(&request, "content-type"),
        ["application/json"]
    );
    assert_eq!(header_values(&request, "accept"), ["application/json"]);
    assert_eq!(header_values(&request, "user-agent"), [USER_AGENT]);
    for absent in ["api-version", "authorization", "x-sp-user", "x-sp-user-ip"] {
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

    let sent: Value = single_request(&server)
        .await
        .body_json()
        .expect("the request body is JSON");
    assert_eq!(sent, request_example());
}

#[tokio::test]
async fn example_request_deserialized_from_json_is_sent_unchanged() {
    let body: types::UpdateSubscriptionRequest = serde_json::from_value(request_example())
        .expect("the spec's request example matches its schema");

    assert_eq!(sent_json(body).await, request_example());
}

#[tokio::test]
async fn full_update_is_sent_with_scope_strings_verbatim() {
    let body = types::UpdateSubscriptionRequest {
        is_active: Some(true),
        scope: Some(vec![
            types::SubscriptionScope::UsersPost,
            types::SubscriptionScope::TransPostJit,
            types::SubscriptionScope::from("NODE|DELETE"),
        ]),
        url: Some("https://example.com/webhooks".to_owned()),
    };

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
    let unset = sent_json(types::UpdateSubscriptionRequest {
        is_active: Some(false),
        scope: None,
        url: None,
    })
    .await;
    let empty = sent_json(types::UpdateSubscriptionRequest {
        is_active: Some(false),
        scope: Some(vec![]),
        url: None,
    })
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
        let server = server_answering(ResponseTemplate::new(status).set_body_json(example)).await;

        let error = send_example(&client_for(&server))
            .await
            .expect_err("a documented error status is an error");

        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        let Error::ErrorResponse(response) = error else {
            panic!("{status} is documented, so it becomes ErrorResponse: {error:?}");
        };
        assert_eq!(response.status().as_u16(), status);
        let body = response.into_inner();
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
        "scope": ["USERS|POST", "NODE|DELETE"],
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
        types::SubscriptionScope::Unknown("NODE|DELETE".to_owned())
    );
    assert!(scope[1].is_unknown());
    assert_eq!(scope[1].as_str(), "NODE|DELETE");
    assert_eq!(body.is_active, Some(true));
    assert_eq!(body.id.as_deref(), Some(SUBSCRIPTION_ID));
}

#[tokio::test]
async fn undeclared_status_is_unexpected_response_with_raw_body() {
    let server = server_answering(ResponseTemplate::new(418).set_body_string("I'm a teapot")).await;

    let error = send_example(&client_for(&server))
        .await
        .expect_err("418 is not a success");

    assert_eq!(error.status(), Some(StatusCode::IM_A_TEAPOT));
    let Error::UnexpectedResponse { status, body, .. } = error else {
        panic!("418 is undeclared, so it becomes UnexpectedResponse: {error:?}");
    };
    assert_eq!(status, StatusCode::IM_A_TEAPOT);
    assert_eq!(body, "I'm a teapot");
}

#[tokio::test]
async fn malformed_200_body_is_invalid_response_payload() {
    for raw in [
        r#"{"_id": "589b6adec83e17002122196c", "scope": ["#,
        r#"{"is_active": "no"}"#,
        r#"{"scope": "USERS|POST"}"#,
    ] {
        let server = server_answering(
            ResponseTemplate::new(200).set_body_raw(raw.as_bytes(), "application/json"),
        )
        .await;

        let error = send_example(&client_for(&server))
            .await
            .expect_err("a body that does not match the schema is an error");

        assert_eq!(error.status(), Some(StatusCode::OK));
        let Error::InvalidResponsePayload { status, body, .. } = error else {
            panic!("a malformed 200 body becomes InvalidResponsePayload: {error:?}");
        };
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body, raw);
    }
}

#[tokio::test]
async fn malformed_error_body_is_invalid_response_payload_with_its_status() {
    let raw = "<html><body>503 Service Unavailable</body></html>";
    let server =
        server_answering(ResponseTemplate::new(503).set_body_raw(raw.as_bytes(), "text/html"))
            .await;

    let error = send_example(&client_for(&server))
        .await
        .expect_err("503 is an error");

    let Error::InvalidResponsePayload { status, body, .. } = error else {
        panic!("a non-JSON 503 body becomes InvalidResponsePayload: {error:?}");
    };
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_eq!(body, raw);
}

#[tokio::test]
async fn debug_output_never_contains_the_secret() {
    let credentials = auth::Gateway::new(CLIENT_ID, CLIENT_SECRET);
    let builder = Client::builder().gateway(credentials.clone());
    let client = builder
        .clone()
        .build()
        .expect("a client with the default server builds");

    let outputs = [
        ("Gateway", format!("{credentials:?}")),
        ("ClientBuilder", format!("{builder:?}")),
        ("Client", format!("{client:?}")),
    ];
    for (what, output) in &outputs {
        assert!(
            !output.contains(CLIENT_SECRET),
            "{what} Debug leaks the client secret: {output}"
        );
        assert!(
            !output.contains(GATEWAY),
            "{what} Debug leaks the gateway header value: {output}"
        );
    }
    assert!(
        outputs[0].1.contains("Secret(<redacted>)"),
        "Gateway Debug shows the redacted secret: {}",
        outputs[0].1
    );
    assert_eq!(
        format!("{:?}", auth::Secret::from(CLIENT_SECRET)),
        "Secret(<redacted>)"
    );
}

#[tokio::test]
async fn missing_credentials_fail_without_sending_a_request() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example()))
        .expect(0)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}{PREFIX}", server.uri()))
        .build()
        .expect("a client without credentials builds");

    let error = send_example(&client)
        .await
        .expect_err("the operation requires the gateway credentials");

    assert_eq!(error.status(), None);
    let Error::MissingCredentials(missing) = error else {
        panic!("no credentials gives MissingCredentials: {error:?}");
    };
    assert_eq!(missing.operation, "update_subscription");
    assert_eq!(missing.needs, "gateway");
    let received = server
        .received_requests()
        .await
        .expect("request recording is enabled");
    assert!(received.is_empty(), "no request is sent: {received:?}");
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
