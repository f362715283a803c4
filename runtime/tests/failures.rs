//! Every way a call can fail comes back through `call` as an error that
//! says how far the request got and keeps what the API answered.

mod common;

use std::time::Duration;

use client_runtime::{
    BODY_EXCERPT_BYTES, BodyError, Delivery, Error, HttpSettings, MissingCredentials, TimeoutPhase,
    call, missing_credentials,
};
use common::{base, closed_port, patch, raw_server, send, write};
use progenitor_client::ResponseValue;
use serde_json::Value;
use tokio::sync::Barrier;

/// A client whose whole-request timeout is short, for servers that stall.
fn impatient() -> reqwest::Client {
    let mut settings = HttpSettings::default();
    settings.timeout = Duration::from_millis(300);
    settings.build_client().expect("a client")
}

/// A server that answers with `head` and then `body`, then closes.
async fn answering(head: &'static str, body: &'static [u8]) -> String {
    let address = raw_server(move |mut stream| async move {
        write(&mut stream, head.as_bytes()).await;
        write(&mut stream, body).await;
    })
    .await;
    base(address)
}

/// A server that answers with `head` (and nothing more) and then stalls,
/// holding the connection open for longer than any client here waits.
async fn stalling(head: &'static str) -> String {
    let address = raw_server(move |mut stream| async move {
        write(&mut stream, head.as_bytes()).await;
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    base(address)
}

/// The [`BodyError`] in an error's source chain.
fn body_error<'a>(error: &'a (dyn std::error::Error + 'static)) -> Option<&'a BodyError> {
    let mut next = Some(error);
    while let Some(current) = next {
        if let Some(found) = current.downcast_ref::<BodyError>() {
            return Some(found);
        }
        next = current.source();
    }
    None
}

#[tokio::test]
async fn a_truncated_body_keeps_the_status_and_headers() {
    let client = common::client();
    for status in [200u16, 400] {
        let head: &'static str = if status == 200 {
            "HTTP/1.1 200 OK\r\nContent-Length: 100\r\nX-Request-Id: r-7\r\n\r\n"
        } else {
            "HTTP/1.1 400 Bad Request\r\nContent-Length: 100\r\nX-Request-Id: r-7\r\n\r\n"
        };
        let url = answering(head, b"{\"partial\"").await;
        let error = send(&client, patch(&client, &url))
            .await
            .expect_err("the body broke off");
        let Error::ResponseBody {
            status: kept,
            headers,
            ..
        } = &error
        else {
            panic!("expected ResponseBody, got {error:?}");
        };
        assert_eq!(kept.as_u16(), status);
        assert_eq!(headers["x-request-id"], "r-7");
        assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(error.delivery(), Delivery::Answered);
        assert!(
            matches!(
                body_error(&error),
                Some(BodyError::Broken {
                    received: 10,
                    expected: Some(100),
                    ..
                })
            ),
            "{error:?}"
        );
        assert_eq!(
            error.to_string(),
            format!("the API answered {kept}, but its body could not be read whole")
        );
    }
}

#[tokio::test]
async fn connection_refused_is_unreachable_and_nothing_was_sent() {
    let client = common::client();
    let url = format!("http://127.0.0.1:{}/v1/x", closed_port().await);
    let error = send(&client, patch(&client, &url))
        .await
        .expect_err("nothing listens");
    assert!(
        matches!(error, Error::Unreachable(_)),
        "expected Unreachable, got {error:?}"
    );
    assert_eq!(error.delivery(), Delivery::NotSent);
    assert_eq!(error.status(), None);
    assert_eq!(
        error.to_string(),
        "could not connect to the API; nothing was sent"
    );
}

#[tokio::test]
async fn a_silent_server_is_a_timeout_that_may_have_applied_the_request() {
    let address = raw_server(|stream| async move {
        tokio::time::sleep(Duration::from_secs(30)).await;
        drop(stream);
    })
    .await;
    let client = impatient();
    let error = send(&client, patch(&client, &base(address)))
        .await
        .expect_err("no answer");
    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: TimeoutPhase::Response,
                ..
            }
        ),
        "expected a Response timeout, got {error:?}"
    );
    assert_eq!(error.delivery(), Delivery::MaybeSent);
    assert!(error.to_string().contains("may have received and applied"));
}

#[tokio::test]
async fn a_body_that_stalls_is_a_timeout_with_the_status() {
    let url = stalling("HTTP/1.1 201 Created\r\nContent-Length: 100\r\n\r\n{").await;
    let client = impatient();
    let error = send(&client, patch(&client, &url))
        .await
        .expect_err("the body never ends");
    let Error::Timeout {
        phase: TimeoutPhase::Body { status, .. },
        ..
    } = &error
    else {
        panic!("expected a Body timeout, got {error:?}");
    };
    assert_eq!(status.as_u16(), 201);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(201));
    assert_eq!(error.delivery(), Delivery::Answered);
}

#[tokio::test]
async fn a_connection_closed_before_the_answer_is_transport() {
    let address = raw_server(|stream| async move { drop(stream) }).await;
    let client = common::client();
    let error = send(&client, patch(&client, &base(address)))
        .await
        .expect_err("closed without an answer");
    assert!(
        matches!(error, Error::Transport(_)),
        "expected Transport, got {error:?}"
    );
    assert_eq!(error.delivery(), Delivery::MaybeSent);
}

#[tokio::test]
async fn an_invalid_payload_keeps_status_headers_and_an_excerpt() {
    static BODY: [u8; 3 * BODY_EXCERPT_BYTES] = [b'<'; 3 * BODY_EXCERPT_BYTES];
    let url = answering(
        "HTTP/1.1 201 Created\r\nContent-Type: text/html\r\nX-Request-Id: r-9\r\nContent-Length: 12288\r\n\r\n",
        &BODY,
    )
    .await;
    let client = common::client();
    let error = send(&client, patch(&client, &url))
        .await
        .expect_err("not JSON");
    let Error::InvalidResponsePayload {
        status,
        headers,
        body,
        truncated,
        ..
    } = &error
    else {
        panic!("expected InvalidResponsePayload, got {error:?}");
    };
    assert_eq!(status.as_u16(), 201);
    assert_eq!(headers["x-request-id"], "r-9");
    assert_eq!(body.len(), BODY_EXCERPT_BYTES);
    assert!(*truncated);
    assert!(format!("{error:?}").len() < 2 * BODY_EXCERPT_BYTES);
    assert!(std::error::Error::source(&error).is_some());
}

#[tokio::test]
async fn undeclared_statuses_and_documented_errors_keep_their_answer() {
    let url = answering(
        "HTTP/1.1 503 Service Unavailable\r\nRetry-After: 5\r\nContent-Length: 4\r\n\r\n",
        b"busy",
    )
    .await;
    let client = common::client();
    let error = send(&client, patch(&client, &url))
        .await
        .expect_err("503 is not declared");
    let Error::UnexpectedResponse {
        status,
        headers,
        body,
        truncated,
    } = &error
    else {
        panic!("expected UnexpectedResponse, got {error:?}");
    };
    assert_eq!(
        (
            status.as_u16(),
            &headers["retry-after"],
            body.as_str(),
            *truncated
        ),
        (503, &"5".parse().expect("a header value"), "busy", false)
    );

    let url = answering(
        "HTTP/1.1 400 Bad Request\r\nContent-Length: 15\r\n\r\n",
        b"{\"error\":\"no\"}\n",
    )
    .await;
    let error = send(&client, patch(&client, &url))
        .await
        .expect_err("400 is the documented error");
    let Error::ErrorResponse(response) = error else {
        panic!("expected ErrorResponse, got {error:?}");
    };
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(response.into_inner(), serde_json::json!({"error": "no"}));
}

#[tokio::test]
async fn hook_errors_come_back_typed_never_as_success() {
    let missing = MissingCredentials {
        operation: "update_subscription",
        needs: "gateway",
    };
    let error = call(&common::OPERATION, Default::default(), async {
        Err::<ResponseValue<()>, _>(missing_credentials::<Value>(missing.clone()))
    })
    .await
    .expect_err("a pre hook failed");
    let Error::MissingCredentials(kept) = &error else {
        panic!("expected MissingCredentials, got {error:?}");
    };
    assert_eq!(kept, &missing);
    assert_eq!(error.delivery(), Delivery::NotSent);

    let error = call(&common::OPERATION, Default::default(), async {
        Err::<ResponseValue<()>, _>(progenitor_client::Error::<Value>::Custom("no".into()))
    })
    .await
    .expect_err("another hook failed");
    assert!(
        matches!(&error, Error::InvalidRequest(reason) if reason == "no"),
        "{error:?}"
    );
}

#[tokio::test]
async fn two_calls_in_one_task_keep_their_own_answers() {
    // Each server waits until both requests have arrived, so both answers
    // are recorded while both calls are in flight.
    let barrier = std::sync::Arc::new(Barrier::new(2));
    let mut urls = Vec::new();
    for head in [
        "HTTP/1.1 201 Created\r\nX-Which: a\r\nContent-Length: 3\r\n\r\n",
        "HTTP/1.1 202 Accepted\r\nX-Which: b\r\nContent-Length: 3\r\n\r\n",
    ] {
        let barrier = barrier.clone();
        let address = raw_server(move |mut stream| {
            let barrier = barrier.clone();
            async move {
                barrier.wait().await;
                write(&mut stream, head.as_bytes()).await;
                write(&mut stream, b"not").await;
            }
        })
        .await;
        urls.push(base(address));
    }
    let client = common::client();
    let (a, b) = tokio::join!(
        send(&client, patch(&client, &urls[0])),
        send(&client, patch(&client, &urls[1]))
    );
    for (result, (status, which)) in [a, b].into_iter().zip([(201, "a"), (202, "b")]) {
        let error = result.expect_err("not JSON");
        let Error::InvalidResponsePayload {
            status: kept,
            headers,
            ..
        } = &error
        else {
            panic!("expected InvalidResponsePayload, got {error:?}");
        };
        assert_eq!(
            (kept.as_u16(), &headers["x-which"]),
            (status, &which.parse().expect("value"))
        );
    }
}

#[tokio::test]
async fn userinfo_in_a_request_url_never_shows_in_errors() {
    let client = common::client();
    let url = format!("http://user:hunter2@127.0.0.1:{}/v1/x", closed_port().await);
    // `Request::new` keeps the userinfo in the URL (the request builder
    // would have moved it into a basic auth header).
    let request = reqwest::Request::new(reqwest::Method::GET, url.parse().expect("a URL"));
    let error = send(&client, request).await.expect_err("nothing listens");
    assert!(matches!(error, Error::Unreachable(_)), "{error:?}");
    for shown in [
        format!("{error}"),
        format!("{error:?}"),
        format!("{error:#?}"),
    ] {
        assert!(!shown.contains("hunter2"), "{shown}");
    }
}

#[tokio::test]
async fn calls_can_be_spawned() {
    let client = common::client();
    let url = format!("http://127.0.0.1:{}/", closed_port().await);
    let request = patch(&client, &url);
    let spawned = tokio::spawn(async move { send(&client, request).await.is_err() });
    assert!(spawned.await.expect("the task ran"));
}

#[tokio::test]
async fn a_connect_timeout_means_nothing_was_sent() {
    // A listener whose accept queue is full drops new connection attempts,
    // so connecting hangs until the connect timeout.
    let socket = tokio::net::TcpSocket::new_v4().expect("a socket");
    socket
        .bind("127.0.0.1:0".parse().expect("an address"))
        .expect("bind");
    let listener = socket.listen(1).expect("listen");
    let address = listener.local_addr().expect("address");
    let mut queued = Vec::new();
    for _ in 0..4 {
        let attempt = tokio::time::timeout(
            Duration::from_millis(200),
            tokio::net::TcpStream::connect(address),
        );
        if let Ok(Ok(stream)) = attempt.await {
            queued.push(stream);
        }
    }
    let mut settings = HttpSettings::default();
    settings.connect_timeout = Duration::from_millis(200);
    let client = settings.build_client().expect("a client");
    let error = send(&client, patch(&client, &base(address)))
        .await
        .expect_err("the connection is never accepted");
    assert!(
        matches!(
            error,
            Error::Timeout {
                phase: TimeoutPhase::Connect,
                ..
            }
        ),
        "expected a Connect timeout, got {error:?}"
    );
    assert_eq!(error.delivery(), Delivery::NotSent);
    drop((queued, listener));
}
