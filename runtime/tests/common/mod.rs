//! What the runtime's HTTP tests share: sending a request the way a
//! generated operation does, and raw servers on 127.0.0.1 that misbehave in
//! ways wiremock cannot (truncated bodies, silence, huge answers).

#![allow(dead_code)] // Each test binary uses its own part of this module.

use std::future::Future;
use std::net::SocketAddr;
use std::sync::Arc;

use client_runtime::{CallOptions, Error, HttpSettings, Operation, RetryPolicy, call, execute};
use progenitor_client::ResponseValue;
use serde_json::Value;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The default response size limit.
pub const LIMIT: u64 = 16 * 1024 * 1024;

/// How many connections a raw server accepts before it stops.
const MAX_CONNECTIONS: usize = 32;

/// The operation the tests send, as a generated client describes it.
pub static OPERATION: Operation = Operation {
    client: "runtime-tests",
    id: "updateSubscription",
    method_name: "update_subscription",
    method: "PATCH",
    path: "/subscriptions/{id}",
};

/// Sends `request` once (no retries) as a generated operation does
/// (`ClientHooks::exec` is [`execute`], `send` wraps the progenitor future
/// in [`call`]): 2xx parse as JSON, 400 is the documented error, anything
/// else is undeclared.
pub async fn send(
    client: &reqwest::Client,
    request: reqwest::Request,
) -> Result<ResponseValue<Value>, Error<Value>> {
    send_with_limit(client, request, LIMIT).await
}

/// [`send`] with another response size limit.
pub async fn send_with_limit(
    client: &reqwest::Client,
    request: reqwest::Request,
    limit: u64,
) -> Result<ResponseValue<Value>, Error<Value>> {
    let mut settings = HttpSettings::default();
    settings.max_response_bytes = limit;
    settings.retry = RetryPolicy::disabled();
    send_with_settings(client, request, &settings, CallOptions::new()).await
}

/// [`send`] with any settings and call options.
pub async fn send_with_settings(
    client: &reqwest::Client,
    request: reqwest::Request,
    settings: &HttpSettings,
    options: CallOptions,
) -> Result<ResponseValue<Value>, Error<Value>> {
    call(&OPERATION, options, async move {
        let response = execute(client, request, settings).await?;
        match response.status().as_u16() {
            200..=299 => ResponseValue::from_response(response).await,
            400 => Err(progenitor_client::Error::ErrorResponse(
                ResponseValue::from_response(response).await?,
            )),
            _ => Err(progenitor_client::Error::UnexpectedResponse(response)),
        }
    })
    .await
}

/// A client with the default settings (and so the default redirect policy).
pub fn client() -> reqwest::Client {
    client_runtime::HttpSettings::default()
        .build_client()
        .expect("the default client builds")
}

/// A PATCH with a JSON body to `url`, built as generated code builds it.
pub fn patch(client: &reqwest::Client, url: &str) -> reqwest::Request {
    client
        .patch(url)
        .header(reqwest::header::ACCEPT, "application/json")
        .json(&serde_json::json!({ "is_active": false }))
        .build()
        .expect("a valid request")
}

/// A server on 127.0.0.1 that hands each connection (up to a bound) to
/// `handle`, after reading the request head and body.
pub async fn raw_server<F, Fut>(handle: F) -> SocketAddr
where
    F: Fn(TcpStream) -> Fut + Send + Sync + 'static,
    Fut: Future<Output = ()> + Send + 'static,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    let address = listener.local_addr().expect("bound address");
    let handle = Arc::new(handle);
    tokio::spawn(async move {
        for _ in 0..MAX_CONNECTIONS {
            let Ok((mut stream, _)) = listener.accept().await else {
                return;
            };
            let handle = Arc::clone(&handle);
            tokio::spawn(async move {
                if read_request(&mut stream).await.is_some() {
                    handle(stream).await;
                }
            });
        }
    });
    address
}

/// Reads one HTTP/1.1 request: its head, as text, once its body has been
/// read too. `None` if the connection ends first or the head is over 64 KiB.
pub async fn read_request<S: AsyncRead + Unpin>(stream: &mut S) -> Option<String> {
    let mut buffer = Vec::new();
    let mut chunk = [0u8; 4096];
    let head_end = loop {
        if let Some(end) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if buffer.len() > 64 * 1024 {
            return None;
        }
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        buffer.extend_from_slice(&chunk[..read]);
    };
    let head = String::from_utf8_lossy(&buffer[..head_end]).into_owned();
    let length: usize = head
        .lines()
        .find_map(|line| {
            let (name, value) = line.split_once(':')?;
            name.eq_ignore_ascii_case("content-length")
                .then(|| value.trim().parse().ok())?
        })
        .unwrap_or(0);
    let mut body_read = buffer.len() - head_end;
    while body_read < length {
        let read = stream.read(&mut chunk).await.ok()?;
        if read == 0 {
            return None;
        }
        body_read += read;
    }
    Some(head)
}

/// Writes `bytes`, ignoring a client that went away.
pub async fn write(stream: &mut TcpStream, bytes: &[u8]) {
    let _ = stream.write_all(bytes).await;
    let _ = stream.flush().await;
}

/// `http://<address>`.
pub fn base(address: SocketAddr) -> String {
    format!("http://{address}")
}

/// A port on 127.0.0.1 where nothing listens (bound, then released).
pub async fn closed_port() -> u16 {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind 127.0.0.1");
    listener.local_addr().expect("bound address").port()
}
