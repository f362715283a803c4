//! API keys sent in the query string or a cookie: on the wire as the API
//! expects them, and never in an error's URL, message or `Debug`.

mod common;

use std::time::Duration;

use client_runtime::{
    Error, HttpSettings, RetryPolicy, Secret, add_cookie, api_key_cookie, api_key_query, call,
    execute,
};
use common::{OPERATION, patch};
use progenitor_client::ResponseValue;
use reqwest::header::{COOKIE, HeaderValue};
use serde_json::{Value, json};
use wiremock::matchers::{header, method, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

const KEY: &str = "k-sekrit/42";

/// Sends a PATCH to `url` whose `pre` hook adds `api_key` to the query and
/// a `session` cookie.
async fn send(url: &str, retry: RetryPolicy) -> Result<ResponseValue<Value>, Error<Value>> {
    let client = common::client();
    let mut settings = HttpSettings::default();
    settings.retry = retry.backoff(Duration::from_millis(1), Duration::from_millis(1));
    let cookie = api_key_cookie("session", &Secret::from("c-sekrit")).expect("a valid cookie");
    let mut request = patch(&client, &format!("{url}/subscriptions/s-1?page=2"));
    request
        .headers_mut()
        .insert(COOKIE, HeaderValue::from_static("theme=dark"));
    call(&OPERATION, Default::default(), async move {
        api_key_query(&mut request, "api_key", &Secret::from(KEY));
        add_cookie(request.headers_mut(), &cookie);
        let response = execute(&client, request, &settings).await?;
        match response.status().as_u16() {
            200..=299 => ResponseValue::from_response(response).await,
            _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
        }
    })
    .await
}

#[tokio::test]
async fn keys_go_in_the_query_and_the_cookie() {
    let api = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(query_param("page", "2"))
        .and(query_param("api_key", KEY))
        .and(header("cookie", "theme=dark; session=c-sekrit"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"ok": true})))
        .mount(&api)
        .await;

    let answer = send(&api.uri(), RetryPolicy::disabled())
        .await
        .expect("the API accepts the keys");
    assert_eq!(answer.status(), 200);
}

#[tokio::test]
async fn errors_show_query_keys_as_stars() {
    let port = common::closed_port().await;
    for retry in [RetryPolicy::disabled(), RetryPolicy::new()] {
        let error = send(&format!("http://127.0.0.1:{port}"), retry)
            .await
            .expect_err("nothing listens");
        assert!(
            matches!(error.last_attempt(), Error::Unreachable(_)),
            "{error:?}"
        );
        let mut shown = format!("{error} {error:?}");
        let mut source = std::error::Error::source(&error);
        while let Some(cause) = source {
            shown.push_str(&format!(" {cause} {cause:?}"));
            source = cause.source();
        }
        assert!(!shown.contains("sekrit"), "{shown}");
        assert!(shown.contains("api_key=***"), "{shown}");
    }
}
