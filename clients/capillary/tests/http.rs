//! HTTP-level tests of `capillary-client` against a local wiremock server.
//!
//! They check the generated client against `specs/capillary.yaml`:
//! - the request: `POST /v2/customers/{customerId}/subscriptions`, the optional `format`
//!   query, HTTP Basic credentials, `Content-Type`, `Accept`, `User-Agent`, and no stray
//!   `api-version` header;
//! - the body: the spec's request example, built in typed form, is sent as exactly that JSON;
//!   values the spec does not list are sent verbatim;
//! - the answers: the 200 example, every documented error status (400, 401, 500), enum
//!   values and fields the spec does not list, an undeclared status and malformed bodies;
//! - credentials: never in `Debug` output, and no request at all when they are missing;
//! - servers: every region and China, the default (`eu`), and a base URL with a trailing `/`.

use capillary_client::servers::{Region, Server};
use capillary_client::{Client, ClientInfo, Error, auth, types};
use client_test_support::wiremock::matchers::{header, method, path, query_param};
use client_test_support::wiremock::{Mock, MockServer, ResponseTemplate};
use client_test_support::{
    assert_debug_shows, assert_error_response, assert_invalid_payload, assert_missing_credentials,
    assert_no_requests, assert_redacted, assert_request_line, assert_standard_headers,
    assert_unexpected_response, header_values, raw_body, server_answering,
    server_expecting_no_requests, single_json, single_request, with_standard_headers,
};
use reqwest::StatusCode;
use serde_json::{Value, json};

const USER: &str = "test-user";
const PASSWORD: &str = "test-password";
/// `base64("test-user:test-password")`, written out so the test does not only trust the encoder.
const BASIC_TOKEN: &str = "dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ=";
const CUSTOMER_ID: i64 = 565_039_505;
const OPERATION_PATH: &str = "/v2/customers/565039505/subscriptions";
const USER_AGENT: &str = concat!("capillary-client/", env!("CARGO_PKG_VERSION"));

/// The `Authorization` value HTTP Basic requires for the placeholder credentials.
fn expected_authorization() -> String {
    format!("Basic {BASIC_TOKEN}")
}

/// The spec's requestBody example, verbatim.
fn request_example() -> Value {
    json!({
        "communicationId": -1,
        "campaignId": -1,
        "reason": "This is V2 subscription api",
        "scope": { "scope": "USER", "subScope": "NONE" },
        "subscriptions": [
            {
                "channel": "EMAIL",
                "priority": "BULK",
                "type": "OPTOUT",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK",
                "accountId": "01"
            },
            {
                "channel": "MOBILE",
                "accountId": "01",
                "priority": "BULK",
                "type": "OPTIN",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            },
            {
                "channel": "EMAIL",
                "accountId": "01",
                "priority": "TRANS",
                "type": "OPTIN",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            },
            {
                "channel": "MOBILE",
                "accountId": "01",
                "priority": "TRANS",
                "type": "OPTOUT",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            }
        ]
    })
}

/// The spec's 200 response example, verbatim.
fn response_example() -> Value {
    json!({
        "scope": { "scope": "USER", "subScope": "NONE" },
        "subscriptions": [
            {
                "channel": "EMAIL",
                "priority": "BULK",
                "type": "OPTOUT",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK",
                "accountId": "01"
            },
            {
                "channel": "MOBILE",
                "accountId": "01",
                "priority": "BULK",
                "type": "OPTIN",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            },
            {
                "channel": "EMAIL",
                "accountId": "01",
                "priority": "TRANS",
                "type": "OPTIN",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            },
            {
                "channel": "MOBILE",
                "accountId": "01",
                "priority": "TRANS",
                "type": "OPTOUT",
                "orgUnitId": 200031782,
                "sourceName": "FACEBOOK"
            }
        ],
        "campaignId": -1,
        "communicationId": -1,
        "reason": "This is V2 subscription api",
        "warnings": []
    })
}

/// The spec's request example as a typed value.
fn typed_request_example() -> types::UpdateSubscriptionRequest {
    serde_json::from_value(request_example())
        .expect("the spec's request example matches its schema")
}

/// A client for `server` with the placeholder credentials.
fn client_for(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .basic_auth(auth::BasicAuth::new(USER, PASSWORD))
        .build()
        .expect("a client with a wiremock base URL builds")
}

/// A mock server that answers every request with the spec's 200 example.
async fn server_answering_ok() -> MockServer {
    server_answering(ResponseTemplate::new(200).set_body_json(response_example())).await
}

/// Sends the spec's example request (with `format=json`).
async fn send_example(
    client: &Client,
) -> Result<
    capillary_client::ResponseValue<types::UpdateSubscriptionResponse>,
    Error<types::ApiError>,
> {
    client
        .update_subscription_details()
        .customer_id(CUSTOMER_ID)
        .format(types::UpdateSubscriptionDetailsFormat::Json)
        .body(typed_request_example())
        .send()
        .await
}

/// The error the example request ends in when the server answers `response`.
async fn example_error(response: ResponseTemplate) -> Error<types::ApiError> {
    let server = server_answering(response).await;
    let result = send_example(&client_for(&server)).await;
    result.expect_err("the server's answer is an error")
}

#[tokio::test]
async fn sends_post_to_customer_path_with_spec_headers() {
    let server = MockServer::start().await;
    let spec_request = Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .and(query_param("format", "json"))
        .and(header("authorization", expected_authorization().as_str()));
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
    assert_request_line(&request, "POST", OPERATION_PATH, Some("format=json"));
    assert_eq!(
        header_values(&request, "authorization"),
        [expected_authorization()]
    );
    assert_standard_headers(&request, USER_AGENT);
}

#[tokio::test]
async fn omits_format_query_when_not_set() {
    let server = server_answering_ok().await;

    client_for(&server)
        .update_subscription_details()
        .customer_id(CUSTOMER_ID)
        .body(typed_request_example())
        .send()
        .await
        .expect("the call succeeds");

    let request = single_request(&server).await;
    assert_eq!(request.url.path(), OPERATION_PATH);
    assert!(
        request.url.query_pairs().next().is_none(),
        "no query parameter is sent when format is unset: {}",
        request.url
    );
}

#[tokio::test]
async fn typed_example_request_is_sent_as_the_spec_example_json() {
    let server = server_answering_ok().await;
    let item = |channel: types::SubscriptionItemChannel,
                priority: types::SubscriptionItemPriority,
                type_: types::SubscriptionItemType| {
        types::SubscriptionItem::try_from(
            types::SubscriptionItem::builder()
                .account_id("01".to_owned())
                .channel(channel)
                .org_unit_id(Some(200_031_782))
                .priority(priority)
                .source_name(Some(types::SubscriptionItemSourceName::Facebook))
                .type_(type_),
        )
        .expect("builds")
    };
    let body = types::UpdateSubscriptionRequest::builder()
        .communication_id(-1_i64)
        .campaign_id(-1_i64)
        .reason("This is V2 subscription api".to_owned())
        .scope(
            types::SubscriptionScope::try_from(
                types::SubscriptionScope::builder()
                    .scope(Some("USER".to_owned()))
                    .sub_scope(Some("NONE".to_owned())),
            )
            .expect("builds"),
        )
        .subscriptions(vec![
            item(
                types::SubscriptionItemChannel::Email,
                types::SubscriptionItemPriority::Bulk,
                types::SubscriptionItemType::Optout,
            ),
            item(
                types::SubscriptionItemChannel::Mobile,
                types::SubscriptionItemPriority::Bulk,
                types::SubscriptionItemType::Optin,
            ),
            item(
                types::SubscriptionItemChannel::Email,
                types::SubscriptionItemPriority::Trans,
                types::SubscriptionItemType::Optin,
            ),
            item(
                types::SubscriptionItemChannel::Mobile,
                types::SubscriptionItemPriority::Trans,
                types::SubscriptionItemType::Optout,
            ),
        ]);

    client_for(&server)
        .update_subscription_details()
        .customer_id(CUSTOMER_ID)
        .body(body)
        .send()
        .await
        .expect("the call succeeds");

    assert_eq!(single_json(&server).await, request_example());
}

#[tokio::test]
async fn example_request_deserialized_from_json_is_sent_unchanged() {
    let server = server_answering_ok().await;

    send_example(&client_for(&server))
        .await
        .expect("the call succeeds");

    assert_eq!(single_json(&server).await, request_example());
}

#[tokio::test]
async fn values_the_spec_does_not_list_are_sent_verbatim() {
    let server = server_answering(ResponseTemplate::new(200).set_body_json(json!({}))).await;
    let body = types::UpdateSubscriptionRequest::try_from(
        types::UpdateSubscriptionRequest::builder()
            .campaign_id(None)
            .communication_id(None)
            .reason(None)
            .scope(None)
            .subscriptions(vec![
                types::SubscriptionItem::try_from(
                    types::SubscriptionItem::builder()
                        .account_id("01".to_owned())
                        .channel(types::SubscriptionItemChannel::from("rcs"))
                        .org_unit_id(Some(7))
                        .priority(types::SubscriptionItemPriority::from("PROMO"))
                        .source_name(None)
                        .type_(types::SubscriptionItemType::Optin),
                )
                .expect("builds"),
                types::SubscriptionItem::try_from(
                    types::SubscriptionItem::builder()
                        .account_id("02".to_owned())
                        .channel(types::SubscriptionItemChannel::Wechat)
                        .org_unit_id(Some(8))
                        .priority(types::SubscriptionItemPriority::Trans)
                        .source_name(Some(types::SubscriptionItemSourceName::MobileApp))
                        .type_(types::SubscriptionItemType::Optout),
                )
                .expect("builds"),
            ]),
    )
    .expect("builds");

    client_for(&server)
        .update_subscription_details()
        .customer_id(CUSTOMER_ID)
        .body(body)
        .send()
        .await
        .expect("the call succeeds");

    assert_eq!(
        single_json(&server).await,
        json!({
            "subscriptions": [
                {
                    "accountId": "01",
                    "channel": "rcs",
                    "orgUnitId": 7,
                    "priority": "PROMO",
                    "type": "OPTIN"
                },
                {
                    "accountId": "02",
                    "channel": "wechat",
                    "orgUnitId": 8,
                    "priority": "TRANS",
                    "sourceName": "MOBILE_APP",
                    "type": "OPTOUT"
                }
            ]
        }),
        "unset optional fields are left out and channel case is kept"
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
    assert_eq!(body.campaign_id, Some(-1));
    assert_eq!(body.communication_id, Some(-1));
    assert_eq!(body.reason.as_deref(), Some("This is V2 subscription api"));
    let scope = body.scope.expect("scope is present");
    assert_eq!(scope.scope.as_deref(), Some("USER"));
    assert_eq!(scope.sub_scope.as_deref(), Some("NONE"));
    assert_eq!(body.warnings.expect("warnings is present").len(), 0);

    let subscriptions = body.subscriptions.expect("subscriptions is present");
    assert_eq!(subscriptions.len(), 4);
    let first = &subscriptions[0];
    assert_eq!(first.channel, Some(types::SubscriptionResultChannel::Email));
    assert_eq!(
        first.priority,
        Some(types::SubscriptionResultPriority::Bulk)
    );
    assert_eq!(first.type_, Some(types::SubscriptionResultType::Optout));
    assert_eq!(first.org_unit_id, Some(200_031_782));
    assert_eq!(first.account_id.as_deref(), Some("01"));
    assert_eq!(
        first.source_name,
        Some(types::SubscriptionResultSourceName::Facebook)
    );
    let last = &subscriptions[3];
    assert_eq!(last.channel, Some(types::SubscriptionResultChannel::Mobile));
    assert_eq!(
        last.priority,
        Some(types::SubscriptionResultPriority::Trans)
    );
    assert_eq!(last.type_, Some(types::SubscriptionResultType::Optout));
}

#[tokio::test]
async fn documented_error_statuses_parse_into_error_response() {
    let cases = [
        (400, 1102, "Invalid priority"),
        (401, 401, "Unauthorized"),
        (500, 500, "All requests have failed due to errors"),
    ];
    for (status, code, message) in cases {
        let example = json!({
            "warnings": [],
            "errors": [{ "status": false, "message": message, "code": code }]
        });
        let error = example_error(ResponseTemplate::new(status).set_body_json(example)).await;

        let body = assert_error_response(error, status);
        let errors = body.errors.expect("errors is present");
        assert_eq!(errors.len(), 1, "{status}");
        assert_eq!(errors[0].code, Some(code), "{status}");
        assert_eq!(errors[0].message.as_deref(), Some(message), "{status}");
        assert_eq!(errors[0].status, Some(false), "{status}");
        assert_eq!(body.warnings.map(|w| w.len()), Some(0), "{status}");
    }
}

#[tokio::test]
async fn unlisted_enum_values_and_extra_fields_in_200_are_kept() {
    let answer = json!({
        "subscriptions": [{
            "channel": "rcs",
            "priority": "PROMO",
            "type": "OPTIN",
            "orgUnitId": 200031782,
            "sourceName": "TIKTOK",
            "accountId": "01",
            "consentVersion": 3
        }],
        "warnings": [{ "status": true, "message": "new warning", "code": 9001, "severity": "low" }],
        "requestTrace": { "id": "abc" }
    });
    let server = server_answering(ResponseTemplate::new(200).set_body_json(answer)).await;

    let body = send_example(&client_for(&server))
        .await
        .expect("unknown enum values and fields still parse")
        .into_inner();

    let subscriptions = body.subscriptions.expect("subscriptions is present");
    let item = &subscriptions[0];
    let channel = item.channel.clone().expect("channel is present");
    assert_eq!(
        channel,
        types::SubscriptionResultChannel::Unknown("rcs".to_owned())
    );
    assert!(channel.is_unknown());
    assert_eq!(channel.as_str(), "rcs");
    let priority = item.priority.clone().expect("priority is present");
    assert_eq!(
        priority,
        types::SubscriptionResultPriority::Unknown("PROMO".to_owned())
    );
    assert_eq!(priority.as_str(), "PROMO");
    assert_eq!(
        item.source_name,
        Some(types::SubscriptionResultSourceName::Unknown(
            "TIKTOK".to_owned()
        ))
    );
    assert_eq!(item.type_, Some(types::SubscriptionResultType::Optin));
    assert!(!item.type_.as_ref().is_some_and(|t| t.is_unknown()));
    assert_eq!(item.org_unit_id, Some(200_031_782));
    let warnings = body.warnings.expect("warnings is present");
    assert_eq!(warnings[0].code, Some(9001));
    assert_eq!(warnings[0].message.as_deref(), Some("new warning"));
}

#[tokio::test]
async fn undeclared_status_is_unexpected_response_with_raw_body() {
    let error = example_error(ResponseTemplate::new(418).set_body_string("I'm a teapot")).await;

    assert_unexpected_response(error, 418, "I'm a teapot");
}

#[tokio::test]
async fn malformed_200_body_is_invalid_response_payload() {
    for raw in [
        r#"{"subscriptions": [{"channel": "EMAIL""#,
        r#"{"campaignId": "not a number"}"#,
    ] {
        let error = example_error(raw_body(200, "application/json", raw)).await;

        assert_invalid_payload(error, 200, raw);
    }
}

#[tokio::test]
async fn malformed_error_body_is_invalid_response_payload_with_its_status() {
    let raw = "<html><body>Internal Server Error</body></html>";
    let error = example_error(raw_body(500, "text/html", raw)).await;

    assert_invalid_payload(error, 500, raw);
}

#[tokio::test]
async fn debug_output_never_contains_the_password() {
    let credentials = auth::BasicAuth::new(USER, PASSWORD);
    let builder = Client::builder().basic_auth(credentials.clone());
    let client = builder
        .clone()
        .build()
        .expect("a client with the default server builds");

    assert_redacted(
        &[
            ("BasicAuth", &credentials),
            ("ClientBuilder", &builder),
            ("Client", &client),
        ],
        &[PASSWORD, BASIC_TOKEN],
    );
    assert_debug_shows("BasicAuth", &credentials, "Secret(<redacted>)");
    assert_eq!(
        format!("{:?}", auth::Secret::from(PASSWORD)),
        "Secret(<redacted>)"
    );
}

#[tokio::test]
async fn missing_credentials_fail_without_sending_a_request() {
    let server = server_expecting_no_requests().await;
    let client = Client::builder()
        .base_url(server.uri())
        .build()
        .expect("a client without credentials builds");

    let error = send_example(&client)
        .await
        .expect_err("the operation requires basicAuth");

    assert_missing_credentials(error, "update_subscription_details", "basicAuth");
    assert_no_requests(&server).await;
}

#[test]
fn default_server_is_the_first_spec_server_in_eu() {
    assert_eq!(Server::default().url(), "https://eu.api.capillarytech.com");
    assert_eq!(Server::default(), Server::Region { region: Region::Eu });
    assert_eq!(Region::default(), Region::Eu);
    let client = Client::builder()
        .build()
        .expect("the default server is a valid base URL");
    assert_eq!(client.baseurl(), "https://eu.api.capillarytech.com");
}

#[test]
fn every_server_url_matches_the_spec() {
    let regions = [
        (Region::Eu, "eu", "https://eu.api.capillarytech.com"),
        (Region::Apac, "apac", "https://apac.api.capillarytech.com"),
        (
            Region::Apac2,
            "apac2",
            "https://apac2.api.capillarytech.com",
        ),
        (Region::Us, "us", "https://us.api.capillarytech.com"),
    ];
    for (region, name, url) in regions {
        assert_eq!(region.as_str(), name);
        assert_eq!(Server::Region { region }.url(), url);
        let client = Client::builder()
            .server(Server::Region { region })
            .build()
            .expect("every spec server is a valid base URL");
        assert_eq!(client.baseurl(), url);
    }
    assert_eq!(Server::China.url(), "https://api.capillarytech.cn.com");
    let client = Client::builder()
        .server(Server::China)
        .build()
        .expect("the China server is a valid base URL");
    assert_eq!(client.baseurl(), "https://api.capillarytech.cn.com");
}

#[tokio::test]
async fn base_url_with_trailing_slash_hits_the_operation_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(OPERATION_PATH))
        .respond_with(ResponseTemplate::new(200).set_body_json(response_example()))
        .expect(1)
        .mount(&server)
        .await;
    let client = Client::builder()
        .base_url(format!("{}/", server.uri()))
        .basic_auth(auth::BasicAuth::new(USER, PASSWORD))
        .build()
        .expect("a base URL with a trailing slash is accepted");

    send_example(&client)
        .await
        .expect("the request reaches the operation path");

    assert_eq!(single_request(&server).await.url.path(), OPERATION_PATH);
}
