//! OAuth 2.0 tokens fetched, cached and refreshed while a client runs: what
//! goes on the wire to the token endpoint, one token request however many
//! calls need it, one refresh and one resend after a `401`, typed errors
//! that send nothing to the API, and no secret in any output.

mod common;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use base64::Engine as _;
use client_runtime::{
    ClientAuthentication, Delivery, Error, HttpSettings, OAuth2ClientCredentials,
    OAuth2RefreshToken, RetryPolicy, StaticToken, TokenError, TokenProvider, authorize_bearer,
    call, execute,
};
use common::{OPERATION, patch};
use progenitor_client::ResponseValue;
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const CLIENT_ID: &str = "client:42";
const CLIENT_SECRET: &str = "cs-sekrit/+&";
/// Every issued token starts with this, so that output can be searched
/// for any of them.
const TOKEN_PREFIX: &str = "at-sekrit-";
const SCOPES: &[&str] = &["orders:write", "orders:read"];

/// A token endpoint that issues `at-sekrit-0`, `at-sekrit-1`, … living
/// `expires_in` seconds, after `delay`.
async fn token_server(expires_in: u64, delay: Duration) -> MockServer {
    let server = MockServer::start().await;
    let issued = AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/oauth/token"))
        .respond_with(move |_: &Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200)
                .set_body_json(json!({
                    "access_token": format!("{TOKEN_PREFIX}{n}"),
                    "token_type": "bearer",
                    "expires_in": expires_in,
                }))
                .set_delay(delay)
        })
        .mount(&server)
        .await;
    server
}

/// An API that answers 200 to the tokens `accepted` allows and 401 to
/// anything else.
async fn api_server(accepted: fn(&str) -> bool) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(move |request: &Request| {
            let token = request
                .headers
                .get("authorization")
                .and_then(|value| value.to_str().ok())
                .and_then(|value| value.strip_prefix("Bearer "))
                .unwrap_or_default();
            if accepted(token) {
                ResponseTemplate::new(200).set_body_json(json!({"ok": true}))
            } else {
                ResponseTemplate::new(401).set_body_string("token refused")
            }
        })
        .mount(&server)
        .await;
    server
}

fn any_token(token: &str) -> bool {
    token.starts_with(TOKEN_PREFIX)
}

async fn requests(server: &MockServer) -> Vec<Request> {
    server.received_requests().await.unwrap_or_default()
}

/// The form fields of a token request.
fn form(request: &Request) -> Vec<(String, String)> {
    form_urlencoded::parse(&request.body).into_owned().collect()
}

fn provider(server: &MockServer) -> OAuth2ClientCredentials {
    OAuth2ClientCredentials::new(
        &format!("{}/oauth/token", server.uri()),
        CLIENT_ID,
        CLIENT_SECRET,
    )
    .expect("a loopback token URL")
}

/// Sends a PATCH to `api` as a generated operation with security scopes
/// [`SCOPES`] does: the `pre` hook authorizes with `provider`, `exec` is
/// [`execute`] (no retries unless `retry` says so).
async fn send(
    client: &reqwest::Client,
    provider: &Arc<dyn TokenProvider>,
    api: &MockServer,
    retry: RetryPolicy,
) -> Result<ResponseValue<Value>, Error<Value>> {
    let mut settings = HttpSettings::default();
    settings.retry = retry;
    let mut request = patch(client, &format!("{}/subscriptions/s-1", api.uri()));
    call(&OPERATION, Default::default(), async move {
        authorize_bearer(&mut request, provider, SCOPES).await?;
        let response = execute(client, request, &settings).await?;
        match response.status().as_u16() {
            200..=299 => ResponseValue::from_response(response).await,
            _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
        }
    })
    .await
}

#[tokio::test]
async fn client_credentials_go_as_basic_auth_with_the_scopes_in_the_form() {
    let client = common::client();
    let tokens = token_server(3600, Duration::ZERO).await;
    let api = api_server(any_token).await;
    let provider: Arc<dyn TokenProvider> = Arc::new(provider(&tokens));

    send(&client, &provider, &api, RetryPolicy::disabled())
        .await
        .expect("the API accepts the token");

    let sent = requests(&tokens).await;
    assert_eq!(sent.len(), 1);
    let request = &sent[0];
    assert_eq!(
        request.headers["content-type"],
        "application/x-www-form-urlencoded"
    );
    // RFC 6749, 2.3.1: id and secret form-encoded, then Base64.
    let expected =
        base64::engine::general_purpose::STANDARD.encode("client%3A42:cs-sekrit%2F%2B%26");
    assert_eq!(
        request.headers["authorization"],
        format!("Basic {expected}")
    );
    assert_eq!(
        form(request),
        [
            ("grant_type".into(), "client_credentials".into()),
            ("scope".into(), "orders:write orders:read".into()),
        ]
    );
    let api_requests = requests(&api).await;
    assert_eq!(
        api_requests[0].headers["authorization"],
        "Bearer at-sekrit-0"
    );
}

#[tokio::test]
async fn client_credentials_can_go_in_the_form_body() {
    let tokens = token_server(3600, Duration::ZERO).await;
    let provider = provider(&tokens).client_authentication(ClientAuthentication::RequestBody);

    provider.token(&[]).await.expect("a token");

    let sent = requests(&tokens).await;
    assert!(sent[0].headers.get("authorization").is_none());
    assert_eq!(
        form(&sent[0]),
        [
            ("grant_type".into(), "client_credentials".into()),
            ("client_id".into(), CLIENT_ID.into()),
            ("client_secret".into(), CLIENT_SECRET.into()),
        ]
    );
}

#[tokio::test]
async fn tokens_are_cached_per_scope_set_and_replaced_before_they_expire() {
    // Lives 1 s, replaced 800 ms early: usable for 200 ms.
    let tokens = token_server(1, Duration::ZERO).await;
    let provider = provider(&tokens).refresh_margin(Duration::from_millis(800));

    let first = provider.token(SCOPES).await.expect("a token");
    let reordered = ["orders:read", "orders:write"];
    assert_eq!(provider.token(&reordered).await.expect("a token"), first);
    assert_eq!(requests(&tokens).await.len(), 1);
    let other_scopes = provider.token(&["orders:read"]).await.expect("a token");
    assert_ne!(other_scopes, first);
    assert_eq!(requests(&tokens).await.len(), 2);

    tokio::time::sleep(Duration::from_millis(250)).await;
    let replaced = provider.token(SCOPES).await.expect("a token");
    assert_ne!(replaced, first);
    assert_eq!(replaced.lifetime(), Some(Duration::from_secs(1)));
    assert_eq!(requests(&tokens).await.len(), 3);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hundred_concurrent_calls_across_an_expiry_make_one_token_request() {
    let client = common::client();
    // Each token request takes 100 ms, so that the calls pile up on it.
    let tokens = token_server(1, Duration::from_millis(100)).await;
    let api = api_server(any_token).await;
    let shared = provider(&tokens).refresh_margin(Duration::from_millis(800));
    let provider: Arc<dyn TokenProvider> = Arc::new(shared.clone());
    send(&client, &provider, &api, RetryPolicy::disabled())
        .await
        .expect("the first call");
    tokio::time::sleep(Duration::from_millis(250)).await;

    let calls: Vec<_> = (0..100)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.token(SCOPES).await })
        })
        .collect();
    let mut seen = Vec::new();
    for call in calls {
        seen.push(call.await.expect("no panic").expect("a token"));
    }
    assert!(seen.iter().all(|token| *token == seen[0]));
    assert_eq!(
        requests(&tokens).await.len(),
        2,
        "one token request for 100 calls"
    );

    // And through the call path, each call with its own clone of the
    // provider: clones share the cache.
    tokio::time::sleep(Duration::from_millis(250)).await;
    let api = Arc::new(api);
    let calls: Vec<_> = (0..100)
        .map(|_| {
            let provider: Arc<dyn TokenProvider> = Arc::new(shared.clone());
            let api = Arc::clone(&api);
            let client = client.clone();
            tokio::spawn(
                async move { send(&client, &provider, &api, RetryPolicy::disabled()).await },
            )
        })
        .collect();
    for call in calls {
        call.await
            .expect("no panic")
            .expect("the API accepts the token");
    }
    assert_eq!(
        requests(&tokens).await.len(),
        3,
        "one more for the next 100"
    );
    assert_eq!(requests(&api).await.len(), 101);
}

#[tokio::test]
async fn a_401_gets_one_new_token_and_one_resend() {
    let client = common::client();
    let tokens = token_server(3600, Duration::ZERO).await;
    // The first token is refused, as after a revocation.
    let api = api_server(|token| token == "at-sekrit-1").await;
    let provider: Arc<dyn TokenProvider> = Arc::new(provider(&tokens));

    let answer = send(&client, &provider, &api, RetryPolicy::disabled())
        .await
        .expect("the resend succeeds");
    assert_eq!(answer.status(), 200);
    assert_eq!(requests(&tokens).await.len(), 2);
    let sent = requests(&api).await;
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[1].headers["authorization"], "Bearer at-sekrit-1");
    assert_eq!(sent[0].body, sent[1].body, "the same body, sent again");

    // The next call uses the new token without asking again.
    send(&client, &provider, &api, RetryPolicy::disabled())
        .await
        .expect("the new token");
    assert_eq!(requests(&tokens).await.len(), 2);
}

#[tokio::test]
async fn a_second_401_is_the_answer_and_retries_do_not_loop() {
    let client = common::client();
    let tokens = token_server(3600, Duration::ZERO).await;
    let api = api_server(|_| false).await;
    let provider: Arc<dyn TokenProvider> = Arc::new(provider(&tokens));

    let error = send(&client, &provider, &api, RetryPolicy::new())
        .await
        .expect_err("every token is refused");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(error.attempts(), 1, "a 401 is not retried");
    assert_eq!(requests(&tokens).await.len(), 2);
    assert_eq!(requests(&api).await.len(), 2);
}

#[tokio::test]
async fn a_retry_after_a_resend_carries_the_new_token() {
    let client = common::client();
    let tokens = token_server(3600, Duration::ZERO).await;
    let api = MockServer::start().await;
    let answers = AtomicUsize::new(0);
    // 401, then 503 (retried), then 200.
    Mock::given(method("PATCH"))
        .respond_with(
            move |_: &Request| match answers.fetch_add(1, Ordering::SeqCst) {
                0 => ResponseTemplate::new(401),
                1 => ResponseTemplate::new(503),
                _ => ResponseTemplate::new(200).set_body_json(json!({"ok": true})),
            },
        )
        .mount(&api)
        .await;
    let provider: Arc<dyn TokenProvider> = Arc::new(provider(&tokens));
    let retry = RetryPolicy::new().backoff(Duration::from_millis(1), Duration::from_millis(1));

    send(&client, &provider, &api, retry)
        .await
        .expect("the retry succeeds");
    let sent = requests(&api).await;
    let auth: Vec<_> = sent
        .iter()
        .map(|request| {
            request.headers["authorization"]
                .to_str()
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(
        auth,
        [
            "Bearer at-sekrit-0",
            "Bearer at-sekrit-1",
            "Bearer at-sekrit-1"
        ]
    );
    assert_eq!(requests(&tokens).await.len(), 2);
}

#[tokio::test]
async fn a_refusing_token_endpoint_is_a_typed_error_and_nothing_is_sent() {
    let client = common::client();
    let tokens = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({
            "error": "invalid_client",
            "error_description": "unknown client",
            "error_uri": "https://auth.example.com/errors#invalid_client",
        })))
        .mount(&tokens)
        .await;
    let api = api_server(any_token).await;
    let provider: Arc<dyn TokenProvider> = Arc::new(provider(&tokens));

    let error = send(&client, &provider, &api, RetryPolicy::new())
        .await
        .expect_err("no token");
    let Error::Token(TokenError::Refused {
        status,
        error: code,
        description,
        uri,
    }) = &error
    else {
        panic!("expected a token refusal, got {error:?}");
    };
    assert_eq!(status.as_u16(), 400);
    assert_eq!(code, "invalid_client");
    assert_eq!(description.as_deref(), Some("unknown client"));
    assert_eq!(
        uri.as_deref(),
        Some("https://auth.example.com/errors#invalid_client")
    );
    assert_eq!(error.delivery(), Delivery::NotSent);
    assert_eq!(error.status(), None, "the API did not answer");
    assert_eq!(
        error.to_string(),
        "could not get an access token; nothing was sent to the API"
    );
    let cause = std::error::Error::source(&error)
        .expect("the token error")
        .to_string();
    assert_eq!(
        cause,
        "the token endpoint answered 400 Bad Request with error `invalid_client`: unknown client (https://auth.example.com/errors#invalid_client)"
    );
    assert!(requests(&api).await.is_empty());
}

#[tokio::test]
async fn an_unreachable_token_endpoint_is_a_typed_error_and_nothing_is_sent() {
    let client = common::client();
    let port = common::closed_port().await;
    let api = api_server(any_token).await;
    let provider: Arc<dyn TokenProvider> = Arc::new(
        OAuth2ClientCredentials::new(
            &format!("http://127.0.0.1:{port}/oauth/token"),
            CLIENT_ID,
            CLIENT_SECRET,
        )
        .expect("a loopback token URL"),
    );

    let error = send(&client, &provider, &api, RetryPolicy::new())
        .await
        .expect_err("no token");
    assert!(
        matches!(error, Error::Token(TokenError::Unreachable(_))),
        "{error:?}"
    );
    assert_eq!(error.delivery(), Delivery::NotSent);
    assert!(requests(&api).await.is_empty());
}

#[tokio::test]
async fn answers_that_are_not_tokens_are_typed_errors_without_their_content() {
    for (status, body) in [
        (
            200,
            json!({"access_token": 12345678, "token_type": "Bearer"}),
        ),
        (
            200,
            json!({"access_token": "at-sekrit-mac", "token_type": "mac"}),
        ),
        (502, json!("at-sekrit-gateway")),
    ] {
        let tokens = MockServer::start().await;
        Mock::given(method("POST"))
            .respond_with(ResponseTemplate::new(status).set_body_json(body))
            .mount(&tokens)
            .await;
        let error = provider(&tokens).token(&[]).await.expect_err("no token");
        let shown = format!("{error} {error:?}");
        assert!(
            !shown.contains("sekrit") && !shown.contains("12345678"),
            "{shown}"
        );
        match status {
            502 => assert!(
                matches!(error, TokenError::InvalidResponse { .. }),
                "{shown}"
            ),
            _ => assert!(
                matches!(
                    error,
                    TokenError::InvalidResponse { .. } | TokenError::UnsupportedTokenType { .. }
                ),
                "{shown}"
            ),
        }
    }
}

#[tokio::test]
async fn concurrent_calls_share_a_failure_instead_of_each_asking() {
    let tokens = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(400)
                .set_body_json(json!({"error": "invalid_client"}))
                .set_delay(Duration::from_millis(100)),
        )
        .mount(&tokens)
        .await;
    let provider = Arc::new(provider(&tokens));
    let calls: Vec<_> = (0..20)
        .map(|_| {
            let provider = Arc::clone(&provider);
            tokio::spawn(async move { provider.token(SCOPES).await })
        })
        .collect();
    for call in calls {
        let outcome = call.await.expect("no panic");
        assert!(matches!(outcome, Err(TokenError::Refused { .. })));
    }
    assert_eq!(requests(&tokens).await.len(), 1);
}

#[tokio::test]
async fn refresh_tokens_are_rotated() {
    let tokens = MockServer::start().await;
    let issued = AtomicUsize::new(0);
    Mock::given(method("POST"))
        .respond_with(move |_: &Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(json!({
                "access_token": format!("{TOKEN_PREFIX}{n}"),
                "token_type": "Bearer",
                "expires_in": "3600",
                "refresh_token": format!("rt-sekrit-{}", n + 1),
            }))
        })
        .mount(&tokens)
        .await;
    let provider = OAuth2RefreshToken::new(
        &format!("{}/oauth/token", tokens.uri()),
        CLIENT_ID,
        "rt-sekrit-0",
    )
    .expect("a loopback token URL");
    let shared = provider.clone();

    let first = provider.token(&[]).await.expect("a token");
    assert_eq!(first.lifetime(), Some(Duration::from_secs(3600)));
    provider.invalidate(&[], &first);
    let second = shared.token(&[]).await.expect("a token from the clone");
    assert_ne!(first, second);

    let sent = requests(&tokens).await;
    assert_eq!(sent.len(), 2);
    // A public client: its id in the body, no Authorization.
    assert!(sent[0].headers.get("authorization").is_none());
    assert_eq!(
        form(&sent[0]),
        [
            ("grant_type".into(), "refresh_token".into()),
            ("refresh_token".into(), "rt-sekrit-0".into()),
            ("client_id".into(), CLIENT_ID.into()),
        ]
    );
    assert_eq!(
        form(&sent[1])[1],
        ("refresh_token".into(), "rt-sekrit-1".into())
    );

    let confidential = OAuth2RefreshToken::new(
        &format!("{}/oauth/token", tokens.uri()),
        CLIENT_ID,
        "rt-sekrit-9",
    )
    .expect("a loopback token URL")
    .client_secret(CLIENT_SECRET);
    confidential.token(&["a"]).await.expect("a token");
    let sent = requests(&tokens).await;
    assert!(
        sent[2].headers["authorization"]
            .to_str()
            .is_ok_and(|v| v.starts_with("Basic "))
    );
    assert_eq!(form(&sent[2])[2], ("scope".into(), "a".into()));
    assert!(!format!("{confidential:?}").contains("sekrit"));
}

#[tokio::test]
async fn static_tokens_are_sent_as_they_are() {
    let client = common::client();
    let api = api_server(|token| token == "fixed-token").await;
    let provider: Arc<dyn TokenProvider> = Arc::new(StaticToken::new("fixed-token"));
    send(&client, &provider, &api, RetryPolicy::disabled())
        .await
        .expect("accepted");
    let provider: Arc<dyn TokenProvider> = Arc::new(StaticToken::new("other-token"));
    let error = send(&client, &provider, &api, RetryPolicy::disabled())
        .await
        .expect_err("refused");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(401));
    assert_eq!(
        requests(&api).await.len(),
        2,
        "no resend: the provider has no other token"
    );
}

#[test]
fn token_urls_must_be_https_unless_loopback() {
    for url in [
        "https://auth.example.com/token",
        "http://127.0.0.1:8080/token",
        "http://[::1]/token",
        "http://localhost/token",
    ] {
        assert!(
            OAuth2ClientCredentials::new(url, "id", "s").is_ok(),
            "{url}"
        );
    }
    for url in [
        "http://auth.example.com/token",
        "not a url",
        "ftp://127.0.0.1/",
    ] {
        let error = OAuth2ClientCredentials::new(url, "id", "s").expect_err(url);
        assert!(error.to_string().starts_with("token URL"), "{error}");
    }
    let error = OAuth2ClientCredentials::new("http://user:pw-sekrit@auth.example.com/", "id", "s")
        .expect_err("http");
    assert!(!format!("{error} {error:?}").contains("sekrit"));
}

/// A writer into a shared buffer, for a subscriber's output.
#[derive(Clone, Default)]
struct Captured(Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut buffer) = self.0.lock() {
            buffer.extend_from_slice(bytes);
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_secret_or_token_shows_in_errors_debug_or_traces() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);
    let client = common::client();
    let mut shown = Vec::new();

    // A 401, a new token, a resend; then a 401 to every token.
    let tokens = token_server(3600, Duration::ZERO).await;
    let api = api_server(|token| token == "at-sekrit-1").await;
    for authentication in [
        ClientAuthentication::Basic,
        ClientAuthentication::RequestBody,
    ] {
        let provider = provider(&tokens).client_authentication(authentication);
        shown.push(format!("{provider:?}"));
        let provider: Arc<dyn TokenProvider> = Arc::new(provider);
        let _ = send(&client, &provider, &api, RetryPolicy::disabled()).await;
        let error = send(&client, &provider, &api, RetryPolicy::disabled()).await;
        shown.push(format!("{error:?}"));
        shown.push(format!("{:?}", provider.token(SCOPES).await));
    }
    let refusing = api_server(|_| false).await;
    let provider: Arc<dyn TokenProvider> = Arc::new(provider(&tokens));
    let error = send(&client, &provider, &refusing, RetryPolicy::new())
        .await
        .expect_err("refused");
    shown.push(format!("{error} {error:?}"));

    // The token endpoint refuses, or cannot be reached.
    let refusal = MockServer::start().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(401).set_body_json(json!({"error": "invalid_client"})))
        .mount(&refusal)
        .await;
    let port = common::closed_port().await;
    for url in [
        format!("{}/oauth/token", refusal.uri()),
        format!("http://127.0.0.1:{port}/oauth/token"),
    ] {
        let provider = OAuth2ClientCredentials::new(&url, CLIENT_ID, CLIENT_SECRET)
            .expect("a loopback token URL");
        let provider: Arc<dyn TokenProvider> = Arc::new(provider);
        let error = send(&client, &provider, &api, RetryPolicy::new())
            .await
            .expect_err("no token");
        assert!(matches!(error, Error::Token(_)), "{error:?}");
        let mut chain = format!("{error} {error:?}");
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            chain.push_str(&format!(" {cause} {cause:?}"));
            source = cause.source();
        }
        shown.push(chain);
    }

    let traces = String::from_utf8_lossy(&captured.0.lock().expect("not poisoned")).into_owned();
    assert!(traces.contains("resending once with a new one"), "{traces}");
    shown.push(traces);
    let basic = base64::engine::general_purpose::STANDARD.encode("client%3A42:cs-sekrit%2F%2B%26");
    for text in &shown {
        for secret in ["sekrit", CLIENT_SECRET, "cs-sekrit%2F", basic.as_str()] {
            assert!(!text.contains(secret), "`{secret}` shows in: {text}");
        }
    }
}
