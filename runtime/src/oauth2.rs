//! OAuth 2.0 token providers for the flows a spec can describe: the client
//! credentials grant (RFC 6749, section 4.4) and refreshing a token the
//! caller obtained some other way, such as an authorization code (section
//! 6). Both cache tokens per scope set in a [`TokenCache`] and fetch one
//! token at a time for concurrent calls; clones share the cache.

use std::fmt;
use std::net::IpAddr;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use reqwest::header::{ACCEPT, CONTENT_TYPE, HeaderValue};
use serde::Deserialize;

use crate::body::BodyError;
use crate::error::find_source;
use crate::redact::{redact_url, redact_url_str};
use crate::token::{AccessToken, TokenCache, TokenError, TokenFuture, TokenProvider};
use crate::{BaseUrl, BuildError, HttpSettings, Secret, basic_auth_header};

/// The largest token endpoint answer read: tokens are small; anything
/// larger is not a token response.
const MAX_TOKEN_RESPONSE_BYTES: u64 = 64 * 1024;

/// How the client proves its identity to the token endpoint (RFC 6749,
/// section 2.3.1).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
#[non_exhaustive]
pub enum ClientAuthentication {
    /// `Authorization: Basic` with the form-encoded client id and secret:
    /// what the RFC requires servers to support.
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body, for servers that
    /// only take them there.
    RequestBody,
}

/// Tokens from the client credentials grant (RFC 6749, section 4.4): the
/// client's own id and secret buy a token from the token endpoint.
///
/// ```
/// use client_runtime::{ClientAuthentication, OAuth2ClientCredentials};
///
/// let provider = OAuth2ClientCredentials::new(
///     "https://auth.example.com/oauth/token",
///     "my-client",
///     "my-secret",
/// )?
/// .client_authentication(ClientAuthentication::RequestBody);
/// # let _ = provider;
/// # Ok::<(), client_runtime::BuildError>(())
/// ```
///
/// A `refresh_token` in its answers is ignored: asking for a new token with
/// the client's credentials is as cheap, and the RFC advises servers not to
/// issue one for this grant.
#[derive(Clone)]
pub struct OAuth2ClientCredentials {
    endpoint: TokenEndpoint,
    cache: TokenCache,
}

impl OAuth2ClientCredentials {
    /// Asks `token_url` for tokens as `client_id` with `client_secret`,
    /// authenticating with HTTP Basic. The token URL must be `https`, or
    /// `http` to a loopback address.
    pub fn new(
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
    ) -> Result<Self, BuildError> {
        Ok(Self {
            endpoint: TokenEndpoint::new(token_url, client_id.into(), Some(client_secret.into()))?,
            cache: TokenCache::new(),
        })
    }

    /// Sends the client id and secret as `Authorization: Basic` (the
    /// default) or in the form body.
    pub fn client_authentication(mut self, authentication: ClientAuthentication) -> Self {
        self.endpoint.authentication = authentication;
        self
    }

    /// Replaces tokens `margin` before they expire; see [`TokenCache`].
    /// Clears the cache: set it before the provider is used.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.cache = TokenCache::new().refresh_margin(margin);
        self
    }

    /// Talks to the token endpoint with this `reqwest::Client` instead of
    /// one built from [`HttpSettings::default`] (which follows no redirect
    /// to another origin).
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.endpoint.http = client;
        self
    }
}

impl TokenProvider for OAuth2ClientCredentials {
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a> {
        Box::pin(self.cache.get_or_fetch(scopes, move || async move {
            let response = self
                .endpoint
                .request(&[("grant_type", "client_credentials")], scopes)
                .await?;
            Ok(response.token)
        }))
    }

    fn invalidate(&self, scopes: &[&str], rejected: &AccessToken) {
        self.cache.invalidate(scopes, rejected);
    }
}

impl fmt::Debug for OAuth2ClientCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2ClientCredentials")
            .field("endpoint", &self.endpoint)
            .field("cache", &self.cache)
            .finish()
    }
}

/// Tokens from a refresh token (RFC 6749, section 6) the caller obtained
/// some other way, such as with an authorization code. When the token
/// endpoint answers with a new refresh token (rotation), it replaces the
/// old one for every later refresh, in this provider and its clones.
/// Refreshes are made one at a time, so that a rotated refresh token is
/// never used twice.
#[derive(Clone)]
pub struct OAuth2RefreshToken {
    endpoint: TokenEndpoint,
    refresh_token: Arc<tokio::sync::Mutex<Secret>>,
    cache: TokenCache,
}

impl OAuth2RefreshToken {
    /// Refreshes at `token_url` as the public client `client_id` (the id in
    /// the form body, no secret); see
    /// [`OAuth2RefreshToken::client_secret`] for a confidential client.
    pub fn new(
        token_url: &str,
        client_id: impl Into<String>,
        refresh_token: impl Into<Secret>,
    ) -> Result<Self, BuildError> {
        Ok(Self {
            endpoint: TokenEndpoint::new(token_url, client_id.into(), None)?,
            refresh_token: Arc::new(tokio::sync::Mutex::new(refresh_token.into())),
            cache: TokenCache::new(),
        })
    }

    /// Authenticates as a confidential client with `secret` (by
    /// [`ClientAuthentication::Basic`] unless told otherwise).
    pub fn client_secret(mut self, secret: impl Into<Secret>) -> Self {
        self.endpoint.client_secret = Some(secret.into());
        self
    }

    /// See [`OAuth2ClientCredentials::client_authentication`].
    pub fn client_authentication(mut self, authentication: ClientAuthentication) -> Self {
        self.endpoint.authentication = authentication;
        self
    }

    /// See [`OAuth2ClientCredentials::refresh_margin`].
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.cache = TokenCache::new().refresh_margin(margin);
        self
    }

    /// See [`OAuth2ClientCredentials::http_client`].
    pub fn http_client(mut self, client: reqwest::Client) -> Self {
        self.endpoint.http = client;
        self
    }
}

impl TokenProvider for OAuth2RefreshToken {
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a> {
        Box::pin(self.cache.get_or_fetch(scopes, move || async move {
            let mut refresh_token = self.refresh_token.lock().await;
            let response = self
                .endpoint
                .request(
                    &[
                        ("grant_type", "refresh_token"),
                        ("refresh_token", refresh_token.expose()),
                    ],
                    scopes,
                )
                .await?;
            if let Some(rotated) = response.refresh_token {
                *refresh_token = rotated;
            }
            Ok(response.token)
        }))
    }

    fn invalidate(&self, scopes: &[&str], rejected: &AccessToken) {
        self.cache.invalidate(scopes, rejected);
    }
}

impl fmt::Debug for OAuth2RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OAuth2RefreshToken")
            .field("endpoint", &self.endpoint)
            .field("refresh_token", &"<redacted>")
            .field("cache", &self.cache)
            .finish()
    }
}

/// An OAuth 2.0 credential as a generated client's `auth` type holds it
/// until the client is built: a ready provider, or the client credentials
/// flow at the spec's token URL, which OpenAPI lets a spec give relative to
/// the server (so that each region's server has its own token endpoint)
/// and which is therefore resolved against the client's base URL.
#[derive(Clone, Debug)]
pub struct TokenCredential(Source);

#[derive(Clone, Debug)]
enum Source {
    Provider(Arc<dyn TokenProvider>),
    ClientCredentials {
        token_url: &'static str,
        client_id: String,
        client_secret: Secret,
        authentication: ClientAuthentication,
    },
}

impl TokenCredential {
    /// Tokens from `provider`.
    pub fn provider(provider: impl TokenProvider + 'static) -> Self {
        Self(Source::Provider(Arc::new(provider)))
    }

    /// The client credentials flow at `token_url` (absolute, or relative to
    /// the base URL the client is built with), authenticating by
    /// `authentication`.
    pub fn client_credentials(
        token_url: &'static str,
        client_id: impl Into<String>,
        client_secret: impl Into<Secret>,
        authentication: ClientAuthentication,
    ) -> Self {
        Self(Source::ClientCredentials {
            token_url,
            client_id: client_id.into(),
            client_secret: client_secret.into(),
            authentication,
        })
    }

    /// The provider a client built for `base_url` asks: for the client
    /// credentials flow, a new [`OAuth2ClientCredentials`] at the token URL
    /// resolved against `base_url` (RFC 3986, section 5), which must then be
    /// `https` or `http` to a loopback address.
    pub fn token_provider(&self, base_url: &BaseUrl) -> Result<Arc<dyn TokenProvider>, BuildError> {
        match &self.0 {
            Source::Provider(provider) => Ok(Arc::clone(provider)),
            Source::ClientCredentials {
                token_url,
                client_id,
                client_secret,
                authentication,
            } => {
                let resolved = base_url.url().join(token_url).map_err(|error| {
                    BuildError::InvalidTokenUrl {
                        url: redact_url_str(token_url).into_owned(),
                        reason: error.to_string(),
                    }
                })?;
                let provider = OAuth2ClientCredentials::new(
                    resolved.as_str(),
                    client_id.clone(),
                    client_secret.clone(),
                )?
                .client_authentication(*authentication);
                Ok(Arc::new(provider))
            }
        }
    }
}

/// A token endpoint and how to authenticate to it.
#[derive(Clone)]
struct TokenEndpoint {
    url: Url,
    client_id: String,
    client_secret: Option<Secret>,
    authentication: ClientAuthentication,
    http: reqwest::Client,
}

/// What a token endpoint's successful answer gives.
struct Issued {
    token: AccessToken,
    refresh_token: Option<Secret>,
}

/// A successful token response (RFC 6749, section 5.1). Not `Debug`: it
/// holds the tokens as plain strings until they become [`Secret`]s.
#[derive(Deserialize)]
struct TokenResponse {
    access_token: String,
    token_type: Option<String>,
    expires_in: Option<ExpiresIn>,
    refresh_token: Option<String>,
}

/// `expires_in` in seconds: a number, as the RFC says, or a numeric string,
/// as some servers send it.
#[derive(Deserialize)]
#[serde(untagged)]
enum ExpiresIn {
    Integer(u64),
    Float(f64),
    Text(String),
}

impl ExpiresIn {
    /// The lifetime, if it makes sense; otherwise the token is treated as
    /// having no known lifetime.
    fn lifetime(&self) -> Option<Duration> {
        match self {
            Self::Integer(seconds) => Some(Duration::from_secs(*seconds)),
            Self::Float(seconds) => Duration::try_from_secs_f64(*seconds).ok(),
            Self::Text(text) => text.trim().parse().ok().map(Duration::from_secs),
        }
    }
}

/// An error response (RFC 6749, section 5.2).
#[derive(Deserialize)]
struct ErrorResponse {
    error: String,
    error_description: Option<String>,
    error_uri: Option<String>,
}

impl TokenEndpoint {
    fn new(
        token_url: &str,
        client_id: String,
        client_secret: Option<Secret>,
    ) -> Result<Self, BuildError> {
        let invalid = |reason: &str| BuildError::InvalidTokenUrl {
            url: redact_url_str(token_url).into_owned(),
            reason: reason.to_string(),
        };
        let url = Url::parse(token_url).map_err(|error| invalid(&error.to_string()))?;
        let host = url.host_str().unwrap_or_default();
        let loopback = host.eq_ignore_ascii_case("localhost")
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok_and(|address| address.is_loopback());
        match url.scheme() {
            "https" => {}
            "http" if loopback => {}
            _ => {
                return Err(invalid(
                    "the scheme must be https (http only to a loopback address): the client secret travels with every request",
                ));
            }
        }
        Ok(Self {
            url,
            client_id,
            client_secret,
            authentication: ClientAuthentication::default(),
            http: HttpSettings::default().build_client()?,
        })
    }

    /// Posts the grant `params` (with `scope` when `scopes` is not empty)
    /// and the client's authentication; returns the token, or why there is
    /// none.
    async fn request(
        &self,
        params: &[(&str, &str)],
        scopes: &[&str],
    ) -> Result<Issued, TokenError> {
        let mut request = self
            .http
            .post(self.url.clone())
            .header(ACCEPT, HeaderValue::from_static("application/json"))
            .header(
                CONTENT_TYPE,
                HeaderValue::from_static("application/x-www-form-urlencoded"),
            );
        let mut form = params.to_vec();
        let scope = scopes.join(" ");
        if !scope.is_empty() {
            form.push(("scope", &scope));
        }
        match (&self.client_secret, self.authentication) {
            (Some(secret), ClientAuthentication::Basic) => {
                // Section 2.3.1: both are form-encoded before Base64.
                let id = form_encode(&self.client_id);
                let secret = Secret::from(form_encode(secret.expose()));
                // Base64 text is always a valid header value.
                if let Ok(header) = basic_auth_header(&id, &secret) {
                    request = request.header(reqwest::header::AUTHORIZATION, header);
                }
            }
            (Some(secret), ClientAuthentication::RequestBody) => {
                form.push(("client_id", &self.client_id));
                form.push(("client_secret", secret.expose()));
            }
            (None, _) => form.push(("client_id", &self.client_id)),
        }
        let body = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(form)
            .finish();
        tracing::debug!(scopes = scopes.len(), "requesting an access token");
        let response = request
            .body(body)
            .send()
            .await
            .map_err(TokenError::from_transport)?;
        let status = response.status();
        let body = crate::body::limit(response, MAX_TOKEN_RESPONSE_BYTES)
            .bytes()
            .await
            .map_err(|error| match find_source::<BodyError>(&error) {
                Some(BodyError::TooLarge { .. }) => TokenError::InvalidResponse {
                    status,
                    reason: format!("a body over {MAX_TOKEN_RESPONSE_BYTES} bytes"),
                },
                _ => TokenError::from_transport(error),
            })?;
        tracing::debug!(
            http.response.status_code = status.as_u16(),
            "the token endpoint answered"
        );
        if !status.is_success() {
            return Err(match serde_json::from_slice::<ErrorResponse>(&body) {
                Ok(refusal) => TokenError::Refused {
                    status,
                    error: refusal.error,
                    description: refusal.error_description,
                    uri: refusal.error_uri,
                },
                Err(_) => TokenError::InvalidResponse {
                    status,
                    reason: "a body that is not an OAuth 2.0 error".into(),
                },
            });
        }
        let issued: TokenResponse =
            serde_json::from_slice(&body).map_err(|error| TokenError::InvalidResponse {
                status,
                // Position only: serde's message can quote the token.
                reason: format!(
                    "a body that is not a token response ({:?} error at line {}, column {})",
                    error.classify(),
                    error.line(),
                    error.column()
                ),
            })?;
        // `token_type` is required, but some servers leave it out; what
        // they then issue is a Bearer token.
        if let Some(token_type) = issued
            .token_type
            .filter(|token_type| !token_type.eq_ignore_ascii_case("bearer"))
        {
            return Err(TokenError::UnsupportedTokenType { token_type });
        }
        let mut token = AccessToken::new(issued.access_token);
        if let Some(lifetime) = issued.expires_in.as_ref().and_then(ExpiresIn::lifetime) {
            token = token.expires_in(lifetime);
        }
        token
            .bearer_header()
            .map_err(|_| TokenError::UnusableToken)?;
        Ok(Issued {
            token,
            refresh_token: issued.refresh_token.map(Secret::from),
        })
    }
}

/// `application/x-www-form-urlencoded` encoding of one value.
fn form_encode(value: &str) -> String {
    form_urlencoded::byte_serialize(value.as_bytes()).collect()
}

/// Shows the token URL (userinfo redacted), the client id and how it
/// authenticates; the secret only as set or not.
impl fmt::Debug for TokenEndpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenEndpoint")
            .field("url", &redact_url(&self.url))
            .field("client_id", &self.client_id)
            .field("client_secret", &self.client_secret)
            .field("authentication", &self.authentication)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_relative_token_url_follows_the_base_url_and_must_stay_safe() {
        let credential = TokenCredential::client_credentials(
            "/oauth/access_token",
            "client-1",
            "credential-sekrit",
            ClientAuthentication::RequestBody,
        );
        let base = BaseUrl::parse("https://euwest.api.example.com/v2").expect("valid");
        let provider = credential.token_provider(&base).expect("https");
        let shown = format!("{provider:?} {credential:?}");
        assert!(
            shown.contains("euwest.api.example.com/oauth/access_token"),
            "{shown}"
        );
        assert!(shown.contains("RequestBody"), "{shown}");
        assert!(!shown.contains("credential-sekrit"), "{shown}");

        let plain = BaseUrl::parse("http://api.example.com/v2").expect("valid");
        assert!(matches!(
            credential.token_provider(&plain),
            Err(BuildError::InvalidTokenUrl { .. })
        ));
        let loopback = BaseUrl::parse("http://127.0.0.1:8080/v2").expect("valid");
        assert!(credential.token_provider(&loopback).is_ok());
    }
}
