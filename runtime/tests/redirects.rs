//! Redirects never carry credentials or bodies to another origin: two
//! servers on 127.0.0.1 with different ports are different origins, and an
//! https server with a test CA redirects to http.

mod common;

use std::sync::Arc;

use client_runtime::{Delivery, Error, HttpSettings};
use common::{patch, read_request, send};
use reqwest::header::{AUTHORIZATION, HeaderValue};
use tokio::io::AsyncWriteExt;
use tokio::net::TcpListener;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const GATEWAY_SECRET: &str = "client-id-7|client-secret-9";
const BEARER_SECRET: &str = "bearer-secret-5";
const REDIRECTS: [u16; 5] = [301, 302, 303, 307, 308];

/// The ways the vendors' clients authenticate: Synapse's gateway header
/// (which reqwest does not know is a credential), bearer and basic auth.
#[derive(Clone, Copy, Debug)]
enum Auth {
    Gateway,
    Bearer,
    Basic,
}

impl Auth {
    const ALL: [Auth; 3] = [Auth::Gateway, Auth::Bearer, Auth::Basic];

    fn apply(self, request: &mut reqwest::Request) {
        let headers = request.headers_mut();
        match self {
            Auth::Gateway => {
                let mut value = HeaderValue::from_static(GATEWAY_SECRET);
                value.set_sensitive(true);
                headers.insert("x-sp-gateway", value);
            }
            Auth::Bearer => {
                let mut value =
                    HeaderValue::try_from(format!("Bearer {BEARER_SECRET}")).expect("valid");
                value.set_sensitive(true);
                headers.insert(AUTHORIZATION, value);
            }
            Auth::Basic => {
                // base64("user:basic-password-3"): a password reqwest would
                // strip on a cross-host redirect, unlike the gateway header.
                let mut value = HeaderValue::from_static("Basic dXNlcjpiYXNpYy1wYXNzd29yZC0z");
                value.set_sensitive(true);
                headers.insert(AUTHORIZATION, value);
            }
        }
    }
}

/// A server that answers every request with 200 and a JSON body, so that
/// a followed redirect would visibly succeed.
async fn target() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({"ok": true})))
        .mount(&server)
        .await;
    server
}

/// A server whose `PATCH /v1/subscriptions/abc` redirects with `status`
/// to `location`.
async fn redirecting(status: u16, location: &str) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/v1/subscriptions/abc"))
        .respond_with(ResponseTemplate::new(status).insert_header("Location", location))
        .mount(&server)
        .await;
    server
}

fn assert_redirect(error: &Error<serde_json::Value>, status: u16, location: &str) {
    let Error::Redirect {
        status: kept,
        location: kept_location,
        headers,
    } = error
    else {
        panic!("a {status} is not followed and becomes Redirect, got {error:?}");
    };
    assert_eq!(kept.as_u16(), status);
    assert_eq!(kept_location, location);
    assert_eq!(headers["location"], location);
    assert_eq!(error.status().map(|s| s.as_u16()), Some(status));
    assert_eq!(error.delivery(), Delivery::Answered);
}

/// Whether `request` carries the credential `auth` sets.
fn carries(request: &Request, auth: Auth) -> bool {
    let shown = format!("{:?}", request.headers);
    match auth {
        Auth::Gateway => shown.contains(GATEWAY_SECRET),
        Auth::Bearer => shown.contains(BEARER_SECRET),
        Auth::Basic => shown.contains("dXNlcjpiYXNpYy1wYXNzd29yZC0z"),
    }
}

#[tokio::test]
async fn redirects_to_another_origin_are_not_followed() {
    let client = common::client();
    for status in REDIRECTS {
        for auth in Auth::ALL {
            let other = target().await;
            let location = format!("{}/v1/subscriptions/abc", other.uri());
            let api = redirecting(status, &location).await;

            let mut request = patch(&client, &format!("{}/v1/subscriptions/abc", api.uri()));
            auth.apply(&mut request);
            let error = send(&client, request)
                .await
                .expect_err("the redirect is not followed");

            assert_redirect(&error, status, &location);
            let reached = other.received_requests().await.expect("recording");
            assert!(
                reached.is_empty(),
                "{status} with {auth:?}: the other origin saw {reached:?}"
            );
            // The API itself got the credential: the test really sent one.
            let seen = api.received_requests().await.expect("recording");
            assert_eq!(seen.len(), 1);
            assert!(carries(&seen[0], auth), "{auth:?} was sent to the API");
        }
    }
}

#[tokio::test]
async fn same_origin_307_and_308_repeat_the_request_there() {
    let client = common::client();
    for status in [307, 308] {
        let api = target().await;
        Mock::given(path("/v1/old"))
            .respond_with(ResponseTemplate::new(status).insert_header("Location", "/v1/new"))
            .with_priority(1)
            .mount(&api)
            .await;

        let mut request = patch(&client, &format!("{}/v1/old", api.uri()));
        Auth::Gateway.apply(&mut request);
        let response = send(&client, request).await.expect("followed");
        assert_eq!(response.into_inner(), serde_json::json!({"ok": true}));

        let seen = api.received_requests().await.expect("recording");
        assert_eq!(seen.len(), 2, "{status}: one redirect followed");
        let (first, second) = (&seen[0], &seen[1]);
        assert_eq!(second.url.path(), "/v1/new");
        assert_eq!(second.method, first.method, "{status} keeps the method");
        assert_eq!(second.body, first.body, "{status} keeps the body");
        assert_eq!(second.headers["x-sp-gateway"], GATEWAY_SECRET);
    }
}

#[tokio::test]
async fn same_origin_301_302_303_are_not_followed() {
    // reqwest would turn the PATCH into a GET without its body, and the
    // GET's answer would pass for the update's.
    let client = common::client();
    for status in [301, 302, 303] {
        let api = target().await;
        Mock::given(path("/v1/old"))
            .respond_with(ResponseTemplate::new(status).insert_header("Location", "/v1/new"))
            .with_priority(1)
            .mount(&api)
            .await;
        let request = patch(&client, &format!("{}/v1/old", api.uri()));
        let error = send(&client, request).await.expect_err("not followed");
        assert_redirect(&error, status, "/v1/new");
        assert_eq!(api.received_requests().await.map(|r| r.len()), Some(1));
    }
}

#[tokio::test]
async fn same_origin_redirects_stop_after_five() {
    let client = common::client();
    let api = MockServer::start().await;
    Mock::given(path("/v1/loop"))
        .respond_with(ResponseTemplate::new(308).insert_header("Location", "/v1/loop"))
        .mount(&api)
        .await;
    let request = patch(&client, &format!("{}/v1/loop", api.uri()));
    let error = send(&client, request).await.expect_err("a loop");
    assert_redirect(&error, 308, "/v1/loop");
    assert_eq!(api.received_requests().await.map(|r| r.len()), Some(6));
}

#[tokio::test]
async fn an_https_client_never_follows_a_redirect_to_http() {
    let plain = target().await;
    let (address, ca) =
        tls_redirecting_server(format!("{}/v1/subscriptions/abc", plain.uri())).await;
    let ca = reqwest::Certificate::from_der(&ca).expect("the test CA");
    let client = HttpSettings::default()
        .client_builder()
        .tls_certs_only([ca])
        .build()
        .expect("a client trusting the test CA");

    for status in REDIRECTS {
        let mut request = patch(
            &client,
            &format!("https://{address}/v1/subscriptions/abc?status={status}"),
        );
        Auth::Gateway.apply(&mut request);
        let error = send(&client, request)
            .await
            .expect_err("the downgrade is not followed");
        // The status came over TLS, so the handshake with the test CA worked.
        assert_redirect(
            &error,
            status,
            &format!("{}/v1/subscriptions/abc", plain.uri()),
        );
    }
    let reached = plain.received_requests().await.expect("recording");
    assert!(reached.is_empty(), "the http server saw {reached:?}");
}

/// An https server on 127.0.0.1 with a certificate from a fresh test CA,
/// answering each request with the redirect status its `status` query
/// parameter names and `Location: location`. Returns its address and the
/// CA certificate (DER).
async fn tls_redirecting_server(location: String) -> (std::net::SocketAddr, Vec<u8>) {
    use rcgen::{BasicConstraints, CertificateParams, CertifiedIssuer, IsCa, KeyPair};
    use tokio_rustls::rustls;

    let mut ca_params = CertificateParams::new(Vec::<String>::new()).expect("CA parameters");
    ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().expect("CA key"))
        .expect("CA certificate");
    let key = KeyPair::generate().expect("server key");
    let certificate = CertificateParams::new(vec!["127.0.0.1".to_string()])
        .expect("server parameters")
        .signed_by(&key, &ca)
        .expect("server certificate");

    let provider = Arc::new(rustls::crypto::aws_lc_rs::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .expect("TLS versions")
        .with_no_client_auth()
        .with_single_cert(
            vec![certificate.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .expect("server TLS configuration");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));

    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let address = listener.local_addr().expect("address");
    tokio::spawn(async move {
        for _ in 0..16 {
            let Ok((stream, _)) = listener.accept().await else {
                return;
            };
            let (acceptor, location) = (acceptor.clone(), location.clone());
            tokio::spawn(async move {
                let Ok(mut tls) = acceptor.accept(stream).await else {
                    return;
                };
                // Keep-alive: answer requests until the client goes away.
                for _ in 0..16 {
                    let Some(head) = read_request(&mut tls).await else {
                        return;
                    };
                    let status = head
                        .split_once("status=")
                        .and_then(|(_, rest)| rest.get(..3))
                        .unwrap_or("307");
                    let answer = format!(
                        "HTTP/1.1 {status} Redirect\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n"
                    );
                    if tls.write_all(answer.as_bytes()).await.is_err() {
                        return;
                    }
                }
            });
        }
    });
    (address, ca.as_ref().der().to_vec())
}
