//! What a `ClientBuilder` checks: base URLs, whose userinfo never shows in
//! `Display` or `Debug`, and the transport defaults.

use std::time::Duration;

use client_runtime::{BaseUrl, BuildError, ClientConfig, HttpSettings};

const PASSWORD: &str = "hunter2";

fn shown(value: &(impl std::fmt::Display + std::fmt::Debug)) -> [String; 3] {
    [
        format!("{value}"),
        format!("{value:?}"),
        format!("{value:#?}"),
    ]
}

#[test]
fn a_base_url_keeps_its_userinfo_for_requests_and_never_prints_it() {
    let url = BaseUrl::parse("http://user:hunter2@127.0.0.1:8080/v2/").expect("valid");
    assert_eq!(url.as_str(), "http://user:hunter2@127.0.0.1:8080/v2");
    assert_eq!(url.to_string(), "http://***@127.0.0.1:8080/v2");
    assert_eq!(
        format!("{url:?}"),
        "BaseUrl(\"http://***@127.0.0.1:8080/v2\")"
    );
    for text in shown(&url) {
        assert!(!text.contains(PASSWORD), "{text}");
    }
}

#[test]
fn build_errors_never_print_userinfo() {
    for url in [
        "ftp://user:hunter2@127.0.0.1/",
        "http://user:hunter2@127.0.0.1/v2?key=1",
        "http://user:hunter2@[::1/v2",
        "http://user:hunter2@127.0.0.1:99999/v2",
        "user:hunter2@127.0.0.1",
    ] {
        let error = BaseUrl::parse(url).expect_err(url);
        assert!(
            matches!(error, BuildError::InvalidBaseUrl { .. }),
            "{url}: {error:?}"
        );
        for text in shown(&error) {
            assert!(!text.contains(PASSWORD), "{url}: {text}");
            assert!(text.contains("***"), "{url}: {text}");
        }
    }
}

#[test]
fn build_errors_say_what_is_wrong_without_repeating_their_cause() {
    assert_eq!(
        BuildError::MissingBaseUrl.to_string(),
        "no base URL: call ClientBuilder::base_url"
    );
    let error = BuildError::InvalidCredentials { scheme: "gateway" };
    assert_eq!(
        error.to_string(),
        "the `gateway` credentials contain characters that are not allowed in an HTTP header"
    );
}

#[test]
fn settings_default_to_the_documented_values_and_build() {
    let settings = HttpSettings::default();
    assert_eq!(
        (
            settings.timeout,
            settings.connect_timeout,
            settings.max_response_bytes
        ),
        (Duration::from_secs(30), Duration::from_secs(10), 16 << 20)
    );
    let mut custom = settings.clone();
    custom.timeout = Duration::from_secs(5);
    assert_ne!(custom, settings);
    assert!(custom.build_client().is_ok());
}

#[test]
fn a_client_config_never_prints_userinfo_and_checks_its_base_url() {
    let mut config = ClientConfig::new(Some("https://api.example.com/v1/".into()));
    config.set_base_url("http://user:placeholder-pw@127.0.0.1:1/v2".into());
    for text in [format!("{config:?}"), format!("{config:#?}")] {
        assert!(!text.contains("placeholder-pw"), "{text}");
        assert!(text.contains("127.0.0.1:1/v2"), "{text}");
    }
    let connection = config.build("runtime-tests/0.1.0").expect("builds");
    assert!(!format!("{connection:?}").contains("placeholder-pw"));
    assert_eq!(
        connection.base_url.as_str(),
        "http://user:placeholder-pw@127.0.0.1:1/v2"
    );

    assert!(matches!(
        ClientConfig::new(None).build("runtime-tests/0.1.0"),
        Err(BuildError::MissingBaseUrl)
    ));
    let mut bad = ClientConfig::new(None);
    bad.set_base_url("ftp://user:placeholder-pw@host".into());
    let error = bad.build("runtime-tests/0.1.0").expect_err("not http(s)");
    assert!(!format!("{error} {error:?}").contains("placeholder-pw"));
}
