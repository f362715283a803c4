//! What a call traces: a span with the operation and its outcome, an event
//! per retry, and never a header value, path parameter, body or message.

mod common;

use std::io::Write;
use std::sync::{Arc, Mutex};

use client_runtime::{CallOptions, HttpSettings, RetryPolicy};
use common::{patch, send_with_settings};
use reqwest::header::{HeaderName, HeaderValue};
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A writer into a shared buffer, for the subscriber's output.
#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
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
async fn calls_trace_the_operation_status_and_retries_but_no_secret() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_ansi(false)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(503).set_body_string("secret-body-503"))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(any())
        .respond_with(
            ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": "secret-answer"})),
        )
        .mount(&server)
        .await;
    let client = common::client();
    let mut request = patch(
        &client,
        &format!("{}/subscriptions/customer-4711", server.uri()),
    );
    request.headers_mut().insert(
        reqwest::header::AUTHORIZATION,
        HeaderValue::from_static("Bearer secret-token"),
    );
    let mut settings = HttpSettings::default();
    settings.retry = RetryPolicy::new().backoff(
        std::time::Duration::from_millis(1),
        std::time::Duration::from_millis(2),
    );
    let options = CallOptions::new().header(
        HeaderName::from_static("x-extra"),
        HeaderValue::from_static("secret-extra"),
    );
    send_with_settings(&client, request, &settings, options)
        .await
        .expect("the retry succeeds");

    let output =
        String::from_utf8(captured.0.lock().expect("not poisoned").clone()).expect("UTF-8 output");
    for expected in [
        "call{",
        "operation=\"updateSubscription\"",
        "http.request.method=\"PATCH\"",
        "url.template=\"/subscriptions/{id}\"",
        "retrying",
        "reason=\"refused\"",
        "http.response.status_code=200",
        "attempts=2",
        "answered",
    ] {
        assert!(
            output.contains(expected),
            "`{expected}` missing from:\n{output}"
        );
    }
    for secret in ["secret", "customer-4711", "is_active"] {
        assert!(
            !output.contains(secret),
            "`{secret}` leaked into:\n{output}"
        );
    }
}
