//! Path parameters stay inside their segment: encoded so that only
//! unreserved characters are literal, and checked against the operation's
//! template before sending, on URLs built the way progenitor builds them.

mod common;

use client_runtime::{Error, MAX_URL_BYTES, check_path, encode_path};
use common::patch;
use reqwest::Url;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer, ResponseTemplate};

const BASE: &str = "http://127.0.0.1:9/v3.1";
const TEMPLATE: &str = "/subscriptions/{subscription_id}";

/// The URL progenitor's generated code builds for `value`, encoded by
/// `encode`, under `base`.
fn built(base: &str, value: &str, encode: fn(&str) -> String) -> Url {
    Url::parse(&format!("{base}/subscriptions/{}", encode(value))).expect("a URL")
}

/// Values that would leave the segment or address another resource.
const HOSTILE: [&str; 8] = [
    "..\\..\\admin",
    "..\\admin",
    "a\\b",
    "../admin",
    "..",
    "%2e%2e",
    ".%2E",
    "x/../../admin",
];

#[test]
fn only_unreserved_characters_stay_literal() {
    for (value, encoded) in [
        ("..\\..\\admin", "..%5C..%5Cadmin"),
        ("../admin", "..%2Fadmin"),
        ("%2e%2e", "%252e%252e"),
        ("a b?c#d", "a%20b%3Fc%23d"),
        ("x=1&y=2", "x%3D1%26y%3D2"),
        ("sub_01-A.b~c", "sub_01-A.b~c"),
        ("ünï", "%C3%BCn%C3%AF"),
    ] {
        assert_eq!(encode_path(value), encoded, "{value}");
    }
}

#[test]
fn encoded_values_stay_one_segment_and_pass_the_check() {
    for value in HOSTILE.iter().filter(|v| !matches!(**v, "..")) {
        let url = built(BASE, value, encode_path);
        assert_eq!(
            url.path_segments().map(Iterator::count),
            Some(3),
            "{value}: {url}"
        );
        assert_eq!(check_path(BASE, TEMPLATE, &url), Ok(()), "{value}: {url}");
    }
}

#[test]
fn the_check_refuses_what_the_url_parser_split_or_removed() {
    // progenitor's own encoding leaves `\` and dots literal; the URL parser
    // then reads `\` as `/` and resolves `..`.
    for value in ["..\\..\\admin", "..\\admin", "a\\b", ".."] {
        let url = built(BASE, value, progenitor_client::encode_path);
        let error = check_path(BASE, TEMPLATE, &url).expect_err(value);
        assert!(
            error.contains("one segment per parameter"),
            "{value}: {error}"
        );
    }
    // Unencoded, `%2e%2e` is `..` to the URL parser.
    let url = built(BASE, "%2e%2e", str::to_string);
    assert_eq!(url.path(), "/v3.1/");
    assert!(check_path(BASE, TEMPLATE, &url).is_err());

    // Empty and dot segments are refused however they are encoded.
    for value in ["", "."] {
        let error = check_path(BASE, TEMPLATE, &built(BASE, value, encode_path)).expect_err(value);
        assert!(error.contains("subscription_id"), "{value:?}: {error}");
    }
}

#[test]
fn the_check_compares_literal_segments_origin_and_length() {
    let url = |u: &str| Url::parse(u).expect("a URL");
    let ok = url("http://127.0.0.1:9/v3.1/subscriptions/abc");
    assert_eq!(check_path(BASE, TEMPLATE, &ok), Ok(()));
    assert_eq!(
        check_path("http://127.0.0.1:9/v3.1/", TEMPLATE, &ok),
        Ok(())
    );
    assert_eq!(
        check_path(
            "http://127.0.0.1:9",
            "/v3.1/subscriptions/{subscription_id}",
            &ok
        ),
        Ok(())
    );
    for wrong in [
        "http://127.0.0.1:9/v3.1/users/abc",
        "http://127.0.0.1:9/v2/subscriptions/abc",
        "http://127.0.0.1:10/v3.1/subscriptions/abc",
        "https://127.0.0.1:9/v3.1/subscriptions/abc",
        "http://127.0.0.1:9/v3.1/subscriptions/abc#x",
        "http://127.0.0.1:9/v3.1/subscriptions/abc/extra",
    ] {
        assert!(check_path(BASE, TEMPLATE, &url(wrong)).is_err(), "{wrong}");
    }
    // Literal text around a parameter in one segment.
    assert_eq!(
        check_path(
            BASE,
            "/files/{name}.json",
            &url("http://127.0.0.1:9/v3.1/files/a.json")
        ),
        Ok(())
    );
    assert!(
        check_path(
            BASE,
            "/files/{name}.json",
            &url("http://127.0.0.1:9/v3.1/files/.json")
        )
        .is_err()
    );

    let long = built(BASE, &"x".repeat(100_000), encode_path);
    let error = check_path(BASE, TEMPLATE, &long).expect_err("too long");
    assert!(
        error.contains(&format!("over the limit of {MAX_URL_BYTES}")),
        "{error}"
    );
    assert!(error.len() < 200, "the message does not carry the value");
}

/// What a generated operation does: build the URL, run the `pre` check,
/// send.
async fn send_checked(
    client: &reqwest::Client,
    base: &str,
    segment: String,
) -> Result<serde_json::Value, Error<serde_json::Value>> {
    let request = patch(client, &format!("{base}/subscriptions/{segment}"));
    let settings = client_runtime::HttpSettings::default();
    client_runtime::call(&common::OPERATION, Default::default(), async {
        check_path(base, TEMPLATE, request.url())
            .map_err(progenitor_client::Error::InvalidRequest)?;
        let response = client_runtime::execute(client, request, &settings).await?;
        progenitor_client::ResponseValue::from_response(response).await
    })
    .await
    .map(progenitor_client::ResponseValue::into_inner)
}

#[tokio::test]
async fn on_the_wire_a_hostile_value_stays_in_its_segment_or_is_never_sent() {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({})))
        .mount(&server)
        .await;
    let base = format!("{}/v3.1", server.uri());
    let client = common::client();

    send_checked(&client, &base, encode_path("..\\..\\admin"))
        .await
        .expect("sent, inside the segment");
    let seen = server.received_requests().await.expect("recording");
    let paths: Vec<&str> = seen.iter().map(|r| r.url.path()).collect();
    assert_eq!(paths, ["/v3.1/subscriptions/..%5C..%5Cadmin"]);

    for (value, segment) in [
        (
            "..\\..\\admin",
            progenitor_client::encode_path("..\\..\\admin"),
        ),
        ("..", encode_path("..")),
        ("", encode_path("")),
        ("100 KB", encode_path(&"x".repeat(100_000))),
    ] {
        let error = send_checked(&client, &base, segment)
            .await
            .expect_err(value);
        assert!(
            matches!(error, Error::InvalidRequest(_)),
            "{value}: refused before sending, got {error:?}"
        );
    }
    assert_eq!(
        server.received_requests().await.map(|r| r.len()),
        Some(1),
        "nothing more was sent"
    );
}
