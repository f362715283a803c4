//! Building the HTTP client every generated `ClientBuilder` shares: base
//! URL checks, timeouts, the response size limit and the redirect policy.

use std::fmt;
use std::time::Duration;

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::redirect::{Attempt, Policy};
use reqwest::{StatusCode, Url};

use crate::RetryPolicy;
use crate::redact::{redact_url, redact_url_str};

/// How many same-origin 307/308 redirects one request follows.
const MAX_REDIRECTS: usize = 5;

/// Transport settings a generated `ClientBuilder` collects.
///
/// `#[non_exhaustive]`: start from [`HttpSettings::default`] and set fields.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct HttpSettings {
    /// Limits each attempt, from connecting to the last byte of the
    /// response body. Default: 30 s. A `reqwest::Client` of the caller's
    /// keeps its own timeout; either way, the retry policy's budget bounds
    /// the whole call, cutting an attempt short when less than this is left
    /// of it.
    pub timeout: Duration,
    /// Limits connecting, TLS included. Default: 10 s.
    pub connect_timeout: Duration,
    /// The largest response body the client reads, in bytes; larger answers
    /// fail with [`Error::ResponseTooLarge`](crate::Error::ResponseTooLarge),
    /// without reading past the limit. It bounds the memory a call can take.
    /// Default: 16 MiB, far more than any update answer needs.
    pub max_response_bytes: u64,
    /// Which failed attempts are sent again, how often and within what
    /// time. Default: [`RetryPolicy::new`] (3 attempts, 60 s budget).
    pub retry: RetryPolicy,
    /// The header that carries an idempotency key, for an API that
    /// documents one (such as `Idempotency-Key`). Default: none, because
    /// none of the vendors documents one. When set, every `POST` and
    /// `PATCH` carries a fresh random key (the same on each of its
    /// attempts, or the one given with
    /// [`CallOptions::idempotency_key`](crate::CallOptions::idempotency_key)),
    /// and such a request is retried like an idempotent one: the API
    /// applies it once, whatever the number of attempts.
    pub idempotency_header: Option<HeaderName>,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: 16 * 1024 * 1024,
            retry: RetryPolicy::new(),
            idempotency_header: None,
        }
    }
}

impl HttpSettings {
    /// A `reqwest::ClientBuilder` with these timeouts, HTTPS through rustls
    /// and [`redirect_policy`]: what [`HttpSettings::build_client`] builds.
    /// Use it to add to the defaults (root certificates, a proxy) without
    /// losing them. The size limit is applied by [`execute`](crate::execute),
    /// not by the `reqwest::Client`. With the feature `tls-ring` it first
    /// installs `ring` as rustls's provider (unless one is), so a client
    /// built from it always has one.
    pub fn client_builder(&self) -> reqwest::ClientBuilder {
        crate::tls::install_provider();
        reqwest::Client::builder()
            .timeout(self.timeout)
            .connect_timeout(self.connect_timeout)
            .redirect(redirect_policy())
    }

    /// The `reqwest::Client` a generated client uses unless it is given its
    /// own. Whoever passes their own `reqwest::Client` owns its redirect
    /// policy and timeouts: reqwest's default policy follows redirects to
    /// any origin, taking custom credential headers and request bodies
    /// along. Build it from [`HttpSettings::client_builder`], or set
    /// [`redirect_policy`], to keep this crate's.
    pub fn build_client(&self) -> Result<reqwest::Client, BuildError> {
        self.client_builder().build().map_err(BuildError::Http)
    }
}

/// What every generated `ClientBuilder` collects besides credentials: the
/// base URL, the [`HttpSettings`] and, optionally, the user's own
/// `reqwest::Client`. `Debug` redacts userinfo in the base URL.
#[derive(Clone, Default)]
pub struct ClientConfig {
    base_url: Option<String>,
    /// Transport settings; a builder's setters change these fields.
    pub settings: HttpSettings,
    http_client: Option<reqwest::Client>,
}

/// What [`ClientConfig::build`] gives a generated client.
#[derive(Clone, Debug)]
pub struct Connection {
    /// The checked base URL.
    pub base_url: BaseUrl,
    /// The HTTP client: the user's, or one built from [`HttpSettings`].
    pub client: reqwest::Client,
    /// The settings, for [`execute`](crate::execute)'s size limit, timeout
    /// and retry policy.
    pub settings: HttpSettings,
    /// The `User-Agent` of every request: the product token given to
    /// [`ClientConfig::build`], after the caller's `reqwest::Client`'s own
    /// `User-Agent` when it has one.
    pub user_agent: HeaderValue,
}

impl ClientConfig {
    /// A configuration that sends to `base_url` (the spec's first server)
    /// unless told otherwise.
    pub fn new(base_url: Option<String>) -> Self {
        // Every generated `Client::builder()` comes here: from then on a
        // `reqwest::Client` built by hand has a TLS provider too.
        crate::tls::install_provider();
        Self {
            base_url,
            ..Self::default()
        }
    }

    /// Sends requests to this base URL (checked by [`ClientConfig::build`]).
    pub fn set_base_url(&mut self, base_url: String) {
        self.base_url = Some(base_url);
    }

    /// Uses this `reqwest::Client`; its redirect policy and timeouts are
    /// then the caller's (see [`HttpSettings::build_client`]). Its
    /// `User-Agent` is kept, with the client crate's product token after it.
    pub fn set_http_client(&mut self, client: reqwest::Client) {
        self.http_client = Some(client);
    }

    /// Checks the base URL and builds the HTTP client, unless one was given.
    /// `product` is the client crate's product token (`name/version`), sent
    /// as `User-Agent`, or after the given client's own.
    pub fn build(self, product: &'static str) -> Result<Connection, BuildError> {
        let base_url = BaseUrl::parse(self.base_url.as_deref().ok_or(BuildError::MissingBaseUrl)?)?;
        let (client, user_agent) = match self.http_client {
            Some(client) => {
                let user_agent = match default_user_agent(&client) {
                    Some(theirs) => HeaderValue::from_str(&format!("{theirs} {product}"))
                        .unwrap_or_else(|_| HeaderValue::from_static(product)),
                    None => HeaderValue::from_static(product),
                };
                (client, user_agent)
            }
            None => (
                self.settings.build_client()?,
                HeaderValue::from_static(product),
            ),
        };
        Ok(Connection {
            base_url,
            client,
            settings: self.settings,
            user_agent,
        })
    }
}

impl fmt::Debug for ClientConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientConfig")
            .field("base_url", &self.base_url.as_deref().map(redact_url_str))
            .field("settings", &self.settings)
            .field(
                "http_client",
                &self.http_client.as_ref().map(|_| "(the caller's)"),
            )
            .finish()
    }
}

/// The `User-Agent` a `reqwest::Client` adds to requests that have none,
/// if it has one.
///
/// reqwest offers no accessor for a client's default headers, and adds them
/// only when it sends, after every hook; its `Debug` output is the one place
/// that shows them (`default_headers: {"user-agent": "…", …}`), so the
/// value is read from there. Values reqwest marks sensitive print as
/// `Sensitive` and are never read. The test `user_agents_are_read_from_clients`
/// pins this to the reqwest version in `Cargo.lock`; if a later reqwest
/// prints differently, the crate's own token is sent alone.
fn default_user_agent(client: &reqwest::Client) -> Option<String> {
    let debug = format!("{client:?}");
    let headers = &debug[debug.find("default_headers: {")?..];
    let value = &headers[headers.find("\"user-agent\": \"")? + "\"user-agent\": \"".len()..];
    // HeaderValue's Debug: `"` escaped as `\"`, bytes that are not visible
    // ASCII as `\x…` (then give up: the token alone is sent); `\` as is.
    let mut text = String::new();
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, chars.peek()) {
            ('"', _) => return Some(text).filter(|t| !t.is_empty()),
            ('\\', Some('"')) => {
                text.push('"');
                chars.next();
            }
            ('\\', Some('x')) => return None,
            (c, _) => text.push(c),
        }
    }
    None
}

/// The redirect policy of clients built here: credentials and request
/// bodies never leave the origin (scheme, host and port) they were meant
/// for.
///
/// - A redirect to another scheme, host or port is not followed, so an
///   https client never downgrades to http and a custom credential header
///   (like Synapse's `X-SP-GATEWAY`, which reqwest does not know to strip)
///   never reaches another server.
/// - Within the origin, 307 and 308 are followed, at most 5 times: they
///   repeat the same method, headers and body to the same server.
/// - 301, 302 and 303 are not followed even within the origin: reqwest
///   would turn a PATCH, PUT or POST into a GET without a body, and the
///   caller would take the GET's answer for the update's.
///
/// A redirect that is not followed comes back from [`call`](crate::call) as
/// [`Error::Redirect`](crate::Error::Redirect), with its status and
/// `Location`.
pub fn redirect_policy() -> Policy {
    Policy::custom(follow_or_stop)
}

/// The decision of [`redirect_policy`].
fn follow_or_stop(attempt: Attempt<'_>) -> reqwest::redirect::Action {
    let repeats_request = matches!(
        attempt.status(),
        StatusCode::TEMPORARY_REDIRECT | StatusCode::PERMANENT_REDIRECT
    );
    let same_origin = attempt
        .previous()
        .first()
        .is_some_and(|first| same_origin(first, attempt.url()));
    if repeats_request && same_origin && attempt.previous().len() <= MAX_REDIRECTS {
        attempt.follow()
    } else {
        attempt.stop()
    }
}

/// Whether two URLs have the same scheme, host and port (default ports
/// filled in).
fn same_origin(a: &Url, b: &Url) -> bool {
    a.scheme() == b.scheme()
        && a.host() == b.host()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// A checked base URL: absolute, http or https, no query or fragment,
/// without a trailing `/`.
///
/// `Display` and `Debug` show userinfo (`user:password@`) as `***`;
/// [`BaseUrl::as_str`] keeps it, because reqwest sends it as basic auth.
#[derive(Clone, PartialEq, Eq)]
pub struct BaseUrl {
    /// The URL as reqwest normalised it, trailing `/` removed.
    url: String,
    /// The same, parsed, for printing it redacted.
    parsed: Url,
}

impl BaseUrl {
    /// Checks `url` and trims its trailing `/`, so that operation paths
    /// (which start with `/`) can be appended.
    pub fn parse(url: &str) -> Result<Self, BuildError> {
        let invalid = |reason: &str| BuildError::InvalidBaseUrl {
            url: redact_url_str(url).into_owned(),
            reason: reason.to_string(),
        };
        let parsed = Url::parse(url).map_err(|error| invalid(&error.to_string()))?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(invalid("the scheme must be http or https"));
        }
        if parsed.query().is_some() || parsed.fragment().is_some() {
            return Err(invalid(
                "a base URL cannot have a query or fragment: operation paths are appended to it",
            ));
        }
        Ok(Self {
            url: parsed.as_str().trim_end_matches('/').to_string(),
            parsed,
        })
    }

    /// The URL, userinfo included, to build request URLs from. Do not print
    /// it: print the `BaseUrl`, which redacts the userinfo.
    pub fn as_str(&self) -> &str {
        &self.url
    }

    /// The URL, parsed (userinfo included).
    pub(crate) fn url(&self) -> &Url {
        &self.parsed
    }
}

impl fmt::Display for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(redact_url(&self.parsed).trim_end_matches('/'))
    }
}

impl fmt::Debug for BaseUrl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("BaseUrl").field(&self.to_string()).finish()
    }
}

/// Why a generated `ClientBuilder` could not build a client. No variant
/// carries a secret: URLs have their userinfo redacted.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No server or base URL was given and the spec lists none.
    #[error("no base URL: call ClientBuilder::base_url")]
    MissingBaseUrl,
    /// The base URL is not an absolute http(s) URL without query or
    /// fragment.
    #[error("base URL `{url}` is not valid: {reason}")]
    InvalidBaseUrl {
        /// The URL as given, userinfo replaced by `***`.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// An OAuth 2.0 token URL is not an absolute `https` URL (or `http` to
    /// a loopback address).
    #[error("token URL `{url}` is not valid: {reason}")]
    InvalidTokenUrl {
        /// The URL as given, userinfo replaced by `***`.
        url: String,
        /// What is wrong with it.
        reason: String,
    },
    /// A credential contains characters a header cannot carry.
    #[error("the `{scheme}` credentials contain characters that are not allowed in an HTTP header")]
    InvalidCredentials {
        /// The security scheme, as the spec names it.
        scheme: &'static str,
    },
    /// The HTTP client could not be created (TLS initialisation).
    #[error("could not create the HTTP client")]
    Http(#[source] reqwest::Error),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base_urls_are_trimmed_and_checked() {
        let url = BaseUrl::parse("https://Api.Example.com/v3.1/").expect("valid");
        assert_eq!(url.as_str(), "https://api.example.com/v3.1");
        assert_eq!(
            BaseUrl::parse("http://127.0.0.1:8080")
                .expect("valid")
                .as_str(),
            "http://127.0.0.1:8080"
        );
        for (url, reason) in [
            ("ftp://127.0.0.1:8080", "the scheme must be http or https"),
            ("/v2", "relative URL without a base"),
            ("https://host/v2?key=1", "a base URL cannot have a query"),
            ("https://host/v2#top", "a base URL cannot have a query"),
        ] {
            let error = BaseUrl::parse(url).expect_err(url);
            assert!(error.to_string().contains(reason), "{url}: {error}");
        }
    }

    #[test]
    fn user_agents_are_read_from_clients() {
        let with = |agent: &'static str| {
            HttpSettings::default()
                .client_builder()
                .user_agent(agent)
                .build()
                .expect("a client")
        };
        assert_eq!(
            default_user_agent(&with("acme-billing/2.0 (ops@example.com)")).as_deref(),
            Some("acme-billing/2.0 (ops@example.com)")
        );
        assert_eq!(
            default_user_agent(&with(r#"odd "quoted" \ agent"#)).as_deref(),
            Some(r#"odd "quoted" \ agent"#)
        );
        assert_eq!(default_user_agent(&reqwest::Client::new()), None);

        let mut config = ClientConfig::new(Some("http://127.0.0.1:1".into()));
        config.set_http_client(with("acme-billing/2.0"));
        let connection = config.build("widgets-client/0.1.0").expect("builds");
        assert_eq!(
            connection.user_agent,
            "acme-billing/2.0 widgets-client/0.1.0"
        );
        let connection = ClientConfig::new(Some("http://127.0.0.1:1".into()))
            .build("widgets-client/0.1.0")
            .expect("builds");
        assert_eq!(connection.user_agent, "widgets-client/0.1.0");
    }

    #[test]
    fn same_origin_means_scheme_host_and_port() {
        let url = |u: &str| Url::parse(u).expect("valid URL");
        assert!(same_origin(&url("https://h/a"), &url("https://h:443/b")));
        assert!(!same_origin(&url("https://h/a"), &url("http://h/a")));
        assert!(!same_origin(&url("http://h:1/a"), &url("http://h:2/a")));
        assert!(!same_origin(&url("http://h/a"), &url("http://g/a")));
    }
}
