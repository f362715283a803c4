//! PROVISIONAL (core worktree only): the hook and boundary API the generator
//! emits calls to; replaced by the transport work of issue 9 at merge.

use std::cell::RefCell;
use std::future::Future;
use std::time::Duration;

use progenitor_client::ResponseValue;
use reqwest::header::{HeaderValue, InvalidHeaderValue};

use crate::{Error, MissingCredentials, Secret};

/// Transport settings.
#[derive(Clone, Debug)]
pub struct HttpSettings {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connect timeout.
    pub connect_timeout: Duration,
    /// Largest response body accepted.
    pub max_response_bytes: u64,
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            timeout: Duration::from_secs(30),
            connect_timeout: Duration::from_secs(10),
            max_response_bytes: 16 * 1024 * 1024,
        }
    }
}

/// Why a client could not be built.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum BuildError {
    /// No base URL.
    #[error("no base URL: call ClientBuilder::base_url")]
    MissingBaseUrl,
    /// Bad base URL.
    #[error("base URL is not valid: {reason}")]
    InvalidBaseUrl {
        /// Why.
        reason: String,
    },
    /// Bad credentials.
    #[error("the `{scheme}` credentials contain characters that are not allowed in an HTTP header")]
    InvalidCredentials {
        /// Scheme.
        scheme: &'static str,
    },
    /// TLS init.
    #[error("could not create the HTTP client")]
    Http(#[source] reqwest::Error),
}

/// A checked base URL.
#[derive(Clone, Debug)]
pub struct BaseUrl(String);

impl BaseUrl {
    /// Parses.
    pub fn parse(url: &str) -> Result<Self, BuildError> {
        let parsed = reqwest::Url::parse(url).map_err(|e| BuildError::InvalidBaseUrl {
            reason: e.to_string(),
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(BuildError::InvalidBaseUrl {
                reason: "the scheme must be http or https".into(),
            });
        }
        Ok(Self(url.trim_end_matches('/').to_string()))
    }

    /// The URL.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The HTTP client.
pub fn http_client(settings: &HttpSettings) -> Result<reqwest::Client, BuildError> {
    reqwest::Client::builder()
        .timeout(settings.timeout)
        .connect_timeout(settings.connect_timeout)
        .build()
        .map_err(BuildError::Http)
}

/// Sends.
pub async fn execute(
    client: &reqwest::Client,
    request: reqwest::Request,
    _settings: &HttpSettings,
) -> reqwest::Result<reqwest::Response> {
    let response = client.execute(request).await?;
    CONTEXT.with(|c| {
        c.borrow_mut().response = Some((response.status(), response.headers().clone()))
    });
    Ok(response)
}

#[derive(Default)]
struct CallContext {
    missing: Option<MissingCredentials>,
    response: Option<(reqwest::StatusCode, reqwest::header::HeaderMap)>,
}

thread_local! {
    static CONTEXT: RefCell<CallContext> = RefCell::new(CallContext::default());
}

/// Records missing credentials for [`call`].
pub fn missing_credentials<E>(missing: MissingCredentials) -> progenitor_client::Error<E> {
    let message = missing.to_string();
    CONTEXT.with(|c| c.borrow_mut().missing = Some(missing));
    progenitor_client::Error::Custom(message)
}

/// The boundary.
pub async fn call<T, E>(
    future: impl Future<Output = Result<ResponseValue<T>, progenitor_client::Error<E>>>,
) -> Result<ResponseValue<T>, Error<E>> {
    CONTEXT.with(|c| *c.borrow_mut() = CallContext::default());
    let result = future.await;
    let context = CONTEXT.with(|c| std::mem::take(&mut *c.borrow_mut()));
    let (status, headers) = context
        .response
        .unwrap_or((reqwest::StatusCode::OK, Default::default()));
    result.map_err(|error| match error {
        progenitor_client::Error::InvalidRequest(reason) => Error::InvalidRequest(reason),
        progenitor_client::Error::Custom(reason) => match context.missing {
            Some(missing) => Error::MissingCredentials(missing),
            None => Error::InvalidRequest(reason),
        },
        progenitor_client::Error::CommunicationError(e)
        | progenitor_client::Error::InvalidUpgrade(e)
        | progenitor_client::Error::ResponseBodyError(e) => Error::Communication(e),
        progenitor_client::Error::ErrorResponse(value) => Error::ErrorResponse(value),
        progenitor_client::Error::InvalidResponsePayload(body, source) => {
            Error::InvalidResponsePayload {
                status,
                headers,
                body: String::from_utf8_lossy(&body).into_owned(),
                source,
            }
        }
        progenitor_client::Error::UnexpectedResponse(response) => Error::UnexpectedResponse {
            status: response.status(),
            headers: response.headers().clone(),
            body: String::new(),
        },
    })
}

/// Encodes all but unreserved.
pub fn encode_path(value: &str) -> String {
    let mut out = String::new();
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || b"-._~".contains(&byte) {
            out.push(byte as char);
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

/// Checks the request path against the template.
pub fn check_path(base_url: &str, template: &str, url: &reqwest::Url) -> Result<(), String> {
    let base = reqwest::Url::parse(base_url).map_err(|e| e.to_string())?;
    let prefix = base.path().trim_end_matches('/');
    let rest = url.path().strip_prefix(prefix).unwrap_or_default();
    let got: Vec<&str> = rest.split('/').collect();
    let want: Vec<&str> = template.split('/').collect();
    let ok = got.len() == want.len()
        && got.iter().zip(&want).all(|(g, w)| {
            if w.starts_with('{') {
                !matches!(*g, "" | "." | "..")
            } else {
                g == w
            }
        });
    if ok {
        Ok(())
    } else {
        Err(format!("a path parameter would address a different resource than `{template}`"))
    }
}

/// `Basic base64(username:password)`, marked sensitive.
pub fn basic_auth_header(username: &str, password: &Secret) -> Result<HeaderValue, InvalidHeaderValue> {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let pair = format!("{username}:{}", password.expose());
    let mut encoded = String::new();
    for chunk in pair.as_bytes().chunks(3) {
        let b = [chunk[0], *chunk.get(1).unwrap_or(&0), *chunk.get(2).unwrap_or(&0)];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                encoded.push(ALPHABET[(n >> (18 - 6 * i)) as usize & 63] as char);
            } else {
                encoded.push('=');
            }
        }
    }
    crate::sensitive_header(format!("Basic {encoded}"))
}
