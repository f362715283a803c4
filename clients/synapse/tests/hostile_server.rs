//! The generated client against a hostile or broken server, end to end
//! through its hooks: Synapse's `X-SP-GATEWAY` is a custom header that
//! reqwest would not strip on a redirect, so it is the case that matters.
//! Two servers on different ports of 127.0.0.1 are two origins.
//! What every client shares is checked by the generated `tests/scenarios.rs`.

use client_test_support::wiremock::matchers::any;
use client_test_support::wiremock::{Mock, MockServer, ResponseTemplate};
use serde_json::json;
use synapse_client::{Client, Delivery, Error, auth, types};

const SUBSCRIPTION_ID: &str = "589b6adec83e17002122196c";
const SECRET: &str = "placeholder-secret";

fn client_for(base_url: String) -> Client {
    Client::builder()
        .base_url(base_url)
        .gateway(auth::Gateway::new("placeholder-id", SECRET))
        .build()
        .expect("a client with a local base URL builds")
}

fn body() -> types::UpdateSubscriptionRequest {
    types::UpdateSubscriptionRequest::builder()
        .is_active(Some(false))
        .try_into()
        .expect("a valid body")
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.map_or(0, |r| r.len())
}

#[tokio::test]
async fn redirects_to_another_origin_are_not_followed_and_keep_the_gateway_header_home() {
    for status in [301, 302, 303, 307, 308] {
        let elsewhere = MockServer::start().await;
        let home = MockServer::start().await;
        let location = format!("{}/v3.1/subscriptions/{SUBSCRIPTION_ID}", elsewhere.uri());
        Mock::given(any())
            .respond_with(
                ResponseTemplate::new(status).insert_header("location", location.as_str()),
            )
            .mount(&home)
            .await;

        let error = client_for(format!("{}/v3.1", home.uri()))
            .update_subscription()
            .subscription_id(SUBSCRIPTION_ID)
            .body(body())
            .send()
            .await
            .expect_err("a redirect to another origin is an error");
        let Error::Redirect {
            status: got,
            location: got_location,
            ..
        } = &error
        else {
            panic!("{status}: expected Error::Redirect, got {error:?}");
        };
        assert_eq!(
            (got.as_u16(), got_location.as_str()),
            (status, location.as_str())
        );
        assert_eq!(requests(&home).await, 1, "{status}");
        assert_eq!(
            requests(&elsewhere).await,
            0,
            "{status}: the other origin saw the gateway header"
        );
    }
}

#[tokio::test]
async fn a_backslash_traversal_stays_inside_its_path_segment() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"is_active": false})))
        .mount(&server)
        .await;
    let client = client_for(format!("{}/v3.1", server.uri()));
    client
        .update_subscription()
        .subscription_id("..\\..\\admin")
        .body(body())
        .send()
        .await
        .expect("sent, as one segment");
    for value in ["..", ".", ""] {
        let error = client
            .update_subscription()
            .subscription_id(value)
            .body(body())
            .send()
            .await
            .expect_err("refused before sending");
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{value:?}: {error:?}"
        );
        assert_eq!(error.delivery(), Delivery::NotSent);
    }
    let seen = server.received_requests().await.expect("recording is on");
    let paths: Vec<&str> = seen.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/v3.1/subscriptions/..%5C..%5Cadmin"]);
}

#[tokio::test]
async fn an_answer_over_the_size_limit_is_an_error_that_keeps_its_status() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("x".repeat(64 * 1024)))
        .mount(&server)
        .await;
    let error = Client::builder()
        .base_url(server.uri())
        .gateway(auth::Gateway::new("placeholder-id", SECRET))
        .max_response_bytes(1024)
        .build()
        .expect("builds")
        .update_subscription()
        .subscription_id(SUBSCRIPTION_ID)
        .body(body())
        .send()
        .await
        .expect_err("64 KiB is over the 1 KiB limit");
    let Error::ResponseTooLarge { status, limit, .. } = &error else {
        panic!("expected ResponseTooLarge, got {error:?}");
    };
    assert_eq!((status.as_u16(), *limit), (200, 1024));
}

#[test]
fn userinfo_in_the_base_url_never_prints() {
    let builder = Client::builder()
        .base_url(format!("http://user:{SECRET}@127.0.0.1:9/v3.1"))
        .gateway(auth::Gateway::new("placeholder-id", SECRET));
    let client = builder.clone().build().expect("builds");
    for text in [
        format!("{builder:?}"),
        format!("{builder:#?}"),
        format!("{client:?}"),
        format!("{client:#?}"),
    ] {
        assert!(!text.contains(SECRET), "{text}");
    }
    let error = Client::builder()
        .base_url(format!("ftp://user:{SECRET}@127.0.0.1:9/"))
        .build()
        .expect_err("not http(s)");
    assert!(!format!("{error} {error:?}").contains(SECRET));
}
