//! What the generator adds to progenitor, checked on the compiled golden
//! output of `generator/tests/fixtures/widgets.yaml` against local servers.

use serde_json::json;
use widgets_client::servers::Region;
use widgets_client::{Client, Error, Server, auth, types};
use wiremock::matchers::{body_json, header, method, path, query_param};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const TOKEN: &str = "placeholder-token";

fn client(server: &MockServer) -> widgets_client::ClientBuilder {
    Client::builder().base_url(server.uri())
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("request recording is on")
}

#[tokio::test]
async fn a_keyword_operation_without_credentials_fails_closed_and_sends_nothing() {
    let server = MockServer::start().await;
    let client = client(&server).build().expect("builds");
    let error = client
        .move_()
        .widget_id(7)
        .body(types::Move::builder())
        .send()
        .await
        .expect_err("`move` needs a bearer token");
    assert!(
        matches!(&error, Error::MissingCredentials(missing) if missing.operation == "move_" && missing.needs == "bearerAuth or partnerTokens"),
        "{error:?}"
    );
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[tokio::test]
async fn a_keyword_operation_sends_its_bearer_token_and_keyword_properties() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/widgets/7/move"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .and(body_json(json!({
            "self": "a", "super": "b", "crate": "c", "123": "d", "1st": "e", "type": "f", "finish": "MATTE"
        })))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)
        .bearer_auth(auth::BearerAuth::new(TOKEN))
        .build()
        .expect("builds");
    let body = types::Move::builder()
        .self_("a".to_string())
        .super_("b".to_string())
        .crate_("c".to_string())
        .x123("d".to_string())
        .x1st("e".to_string())
        .type_("f".to_string())
        .finish(types::Finish::Matte2);
    let response = client
        .move_()
        .widget_id(7)
        .body(body)
        .send()
        .await
        .expect("204");
    assert_eq!(response.status().as_u16(), 204);
}

#[tokio::test]
async fn an_oauth2_scheme_fetches_a_token_with_the_operation_scopes_and_renews_it_after_a_401() {
    let tokens = MockServer::start().await;
    let issued = std::sync::atomic::AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &Request| {
            let n = issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(json!({
                "access_token": format!("issued-{n}"),
                "token_type": "Bearer",
                "expires_in": 3600,
            }))
        })
        .mount(&tokens)
        .await;
    let server = MockServer::start().await;
    // The first token is refused, as after a revocation.
    Mock::given(method("POST"))
        .and(path("/widgets/7/move"))
        .and(header("authorization", "Bearer issued-1"))
        .respond_with(ResponseTemplate::new(204))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let provider = client_runtime::OAuth2ClientCredentials::new(
        &format!("{}/oauth/token", tokens.uri()),
        "partner-id",
        "partner-secret",
    )
    .expect("a loopback token URL");
    let client = client(&server)
        .partner_tokens(provider)
        .build()
        .expect("builds");
    assert!(!format!("{client:?}").contains("partner-secret"));

    let response = client
        .move_()
        .widget_id(7)
        .body(types::Move::builder())
        .send()
        .await
        .expect("the resend with a new token succeeds");
    assert_eq!(response.status().as_u16(), 204);

    let token_requests = requests(&tokens).await;
    assert_eq!(token_requests.len(), 2, "one token, one renewal");
    let form = String::from_utf8_lossy(&token_requests[0].body).into_owned();
    assert_eq!(
        form,
        "grant_type=client_credentials&scope=widgets%3Awrite+widgets%3Aread"
    );
    assert_eq!(requests(&server).await.len(), 2, "one send, one resend");
    assert_eq!(
        auth::PartnerTokens::TOKEN_URL,
        "https://auth.example.com/oauth/token"
    );
}

const QUERY_KEY: &str = "placeholder-query-key";

#[tokio::test]
async fn api_keys_go_in_the_query_and_a_cookie_and_never_in_an_error() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widgets/7/view"))
        .and(query_param("api_key", QUERY_KEY))
        .and(header("cookie", "session=placeholder-cookie-key"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Sprocket"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let keys = |builder: widgets_client::ClientBuilder| {
        builder
            .query_key(auth::QueryKey::new(QUERY_KEY))
            .session_cookie(auth::SessionCookie::new("placeholder-cookie-key"))
    };
    let client = keys(client(&server)).build().expect("builds");
    let widget = client
        .get_widget()
        .widget_id(7)
        .send()
        .await
        .expect("200")
        .into_inner();
    assert_eq!(widget.id, 7);
    assert!(
        requests(&server).await[0].headers["cookie"]
            .to_str()
            .is_ok()
    );

    // Nothing listens: the error names the URL with the key as `***`.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
    let port = listener.local_addr().expect("bound").port();
    drop(listener);
    let unreachable = keys(Client::builder().base_url(format!("http://127.0.0.1:{port}")))
        .retry(widgets_client::RetryPolicy::disabled())
        .build()
        .expect("builds");
    let error = unreachable
        .get_widget()
        .widget_id(7)
        .send()
        .await
        .expect_err("nothing listens");
    let mut shown = format!("{error} {error:?}");
    let mut source = std::error::Error::source(&error);
    while let Some(cause) = source {
        shown.push_str(&format!(" {cause} {cause:?}"));
        source = cause.source();
    }
    assert!(!shown.contains(QUERY_KEY), "{shown}");
    assert!(!shown.contains("placeholder-cookie-key"), "{shown}");
    assert!(shown.contains("api_key=***"), "{shown}");
    assert!(!format!("{unreachable:?}").contains(QUERY_KEY));
}

#[tokio::test]
async fn a_query_key_alone_is_not_enough_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let client = client(&server)
        .query_key(auth::QueryKey::new(QUERY_KEY))
        .build()
        .expect("builds");
    let error = client
        .get_widget()
        .widget_id(7)
        .send()
        .await
        .expect_err("the cookie is missing");
    assert!(
        matches!(&error, Error::MissingCredentials(missing) if missing.needs == "queryKey + sessionCookie or oidc"),
        "{error:?}"
    );
    assert!(requests(&server).await.is_empty(), "nothing may be sent");
}

#[test]
fn a_cookie_that_cannot_carry_the_key_is_refused_when_the_client_is_built() {
    let error = Client::builder()
        .base_url("http://127.0.0.1:9")
        .session_cookie(auth::SessionCookie::new("a;b"))
        .build()
        .expect_err("`;` ends a cookie");
    assert!(error.to_string().contains("sessionCookie"), "{error}");
}

#[tokio::test]
async fn an_openid_connect_scheme_takes_any_token_provider_with_the_operation_scopes() {
    #[derive(Debug)]
    struct Issuer(std::sync::Mutex<Vec<String>>);
    impl client_runtime::TokenProvider for Issuer {
        fn token<'a>(&'a self, scopes: &'a [&'a str]) -> client_runtime::TokenFuture<'a> {
            self.0.lock().expect("not poisoned").push(scopes.join(" "));
            Box::pin(async { Ok(client_runtime::AccessToken::new("oidc-token")) })
        }
        fn invalidate(&self, _: &[&str], _: &client_runtime::AccessToken) {}
    }
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/widgets/7/view"))
        .and(header("authorization", "Bearer oidc-token"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Sprocket"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let issuer = std::sync::Arc::new(Issuer(std::sync::Mutex::new(Vec::new())));
    #[derive(Debug)]
    struct Shared(std::sync::Arc<Issuer>);
    impl client_runtime::TokenProvider for Shared {
        fn token<'a>(&'a self, scopes: &'a [&'a str]) -> client_runtime::TokenFuture<'a> {
            self.0.token(scopes)
        }
        fn invalidate(&self, scopes: &[&str], token: &client_runtime::AccessToken) {
            self.0.invalidate(scopes, token);
        }
    }
    let client = client(&server)
        .oidc(auth::Oidc::provider(Shared(std::sync::Arc::clone(&issuer))))
        .build()
        .expect("builds");
    client.get_widget().widget_id(7).send().await.expect("200");
    assert_eq!(*issuer.0.lock().expect("not poisoned"), ["widgets:read"]);
    let sent = &requests(&server).await[0];
    assert!(sent.url.query().is_none(), "no query key: {}", sent.url);
    assert!(sent.headers.get("cookie").is_none());
}

#[tokio::test]
async fn either_security_alternative_will_do_and_headers_are_clean() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/widgets/7"))
        .respond_with(
            ResponseTemplate::new(200).set_body_json(json!({"id": 7, "name": "Sprocket"})),
        )
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)
        .gateway(auth::Gateway::new("placeholder-id", "placeholder-secret"))
        .build()
        .expect("builds");
    let widget = client
        .update_widget()
        .widget_id(7)
        .x_trace("trace-1")
        .body(types::WidgetUpdate::builder().notify(Some(false)))
        .send()
        .await
        .expect("200")
        .into_inner();
    assert_eq!((widget.id, widget.name.as_str()), (7, "Sprocket"));

    let sent = &requests(&server).await[0];
    let header = |name: &str| sent.headers.get(name).map(|v| v.to_str().expect("ASCII"));
    assert_eq!(
        header("x-gateway"),
        Some("placeholder-id|placeholder-secret")
    );
    assert_eq!(header("authorization"), None);
    assert_eq!(header("x-trace"), Some("trace-1"));
    assert_eq!(header("api-version"), None);
    assert!(
        header("user-agent").is_some_and(|ua| ua.starts_with("widgets-client/")),
        "{:?}",
        header("user-agent")
    );
}

#[tokio::test]
async fn an_operation_without_security_sends_no_credentials() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/health"))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)
        .bearer_auth(auth::BearerAuth::new(TOKEN))
        .build()
        .expect("builds");
    client.health().send().await.expect("204");
    assert!(
        requests(&server).await[0]
            .headers
            .get("authorization")
            .is_none()
    );
}

#[tokio::test]
async fn documented_errors_are_typed() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(
            ResponseTemplate::new(404).set_body_json(json!({"message": "no such widget"})),
        )
        .mount(&server)
        .await;
    let client = client(&server)
        .bearer_auth(auth::BearerAuth::new(TOKEN))
        .build()
        .expect("builds");
    let error = client
        .update_widget()
        .widget_id(8)
        .body(types::WidgetUpdate::builder())
        .send()
        .await
        .expect_err("404");
    let Error::ErrorResponse(response) = error else {
        panic!("expected a typed error, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 404);
    assert_eq!(
        response.into_inner().message.as_deref(),
        Some("no such widget")
    );
}

#[test]
fn enum_values_that_collide_after_case_conversion_keep_their_wire_values() {
    let cases = [
        (types::Finish::Matte, "matte"),
        (types::Finish::Matte2, "MATTE"),
        (types::Finish::Unknown2, "unknown"),
        (types::Finish::Unknown("glossy".into()), "glossy"),
    ];
    for (value, wire) in cases {
        assert_eq!(
            serde_json::to_value(&value).expect("serialises"),
            json!(wire)
        );
        let parsed: types::Finish = serde_json::from_value(json!(wire)).expect("parses");
        assert_eq!(parsed, value);
    }
    assert!(types::Finish::from("glossy").is_unknown());
}

#[test]
fn nullable_fields_tell_absent_from_null() {
    let absent = types::WidgetUpdate::builder();
    let null = types::WidgetUpdate::builder().owner(types::Nullable::Null);
    let cleared = types::WidgetUpdate::builder().tags(Some(Vec::new()));
    let as_json = |b: types::builder::WidgetUpdate| {
        serde_json::to_value(types::WidgetUpdate::try_from(b).expect("valid")).expect("serialises")
    };
    assert_eq!(as_json(absent), json!({}));
    assert_eq!(as_json(null), json!({"owner": null}));
    assert_eq!(as_json(cleared), json!({"tags": []}));
}

#[test]
fn servers_and_their_variables_are_typed() {
    assert_eq!(Server::default().url(), "https://eu.example.com/v1");
    assert_eq!(
        Server::Region { region: Region::Us }.url(),
        "https://us.example.com/v1"
    );
    assert_eq!(Server::Sandbox.url(), "https://sandbox.example.com/v1");
}

#[tokio::test]
async fn a_multipart_body_is_sent_as_parts_with_the_file_as_bytes() {
    let server = MockServer::start().await;
    Mock::given(method("PUT"))
        .and(path("/widgets/7/image"))
        .and(header("authorization", format!("Bearer {TOKEN}").as_str()))
        .respond_with(ResponseTemplate::new(204))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server)
        .bearer_auth(auth::BearerAuth::new(TOKEN))
        .build()
        .expect("builds");
    // Not UTF-8: the part carries the bytes as they are.
    let image = vec![0u8, 159, 146, 150, 255];
    let body = types::ImageUpload::builder()
        .image(image.clone())
        .caption("Front".to_string());
    let response = client
        .upload_image()
        .widget_id(7)
        .body(body)
        .send()
        .await
        .expect("204");
    assert_eq!(response.status().as_u16(), 204);

    let request = &requests(&server).await[0];
    let content_type = request
        .headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("a multipart content type: {content_type}"));
    let part = |headers: &str, content: &[u8]| {
        let mut part = format!("--{boundary}\r\n{headers}\r\n\r\n").into_bytes();
        part.extend_from_slice(content);
        part.extend_from_slice(b"\r\n");
        part
    };
    let contains = |needle: &[u8]| request.body.windows(needle.len()).any(|w| w == needle);
    assert!(contains(&part(
        "Content-Disposition: form-data; name=\"image\"; filename=\"image\"",
        &image
    )));
    assert!(contains(&part(
        "Content-Disposition: form-data; name=\"caption\"",
        b"Front"
    )));
    assert!(
        request
            .body
            .ends_with(format!("--{boundary}--\r\n").as_bytes())
    );
}
