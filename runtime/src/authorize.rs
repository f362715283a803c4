//! Credentials a `pre` hook adds to a request when it is sent, rather than
//! header values fixed when the client is built: bearer tokens from a
//! [`TokenProvider`], and API keys in the query string or a cookie.
//!
//! Each records what [`execute`](crate::execute) and [`call`](crate::call)
//! need in the call's context: the provider, so that a `401` gets one new
//! token and one resend; query keys, so that no URL in an error shows them.
//!
//! How a `401` resend composes with retries is told at
//! [`execute`](crate::execute).

use std::sync::Arc;

use reqwest::header::{AUTHORIZATION, COOKIE, HeaderMap, HeaderValue};

use crate::call::{CALL, record};
use crate::credentials::Secret;
use crate::token::{AccessToken, TokenProvider};

/// A call's bearer credential: where its token came from and which it sent.
pub(crate) struct Bearer {
    provider: Arc<dyn TokenProvider>,
    scopes: &'static [&'static str],
    token: AccessToken,
    header: HeaderValue,
    /// Whether the call already replaced a refused token.
    renewed: bool,
}

/// An API key sent in the query string, kept so that errors can redact it.
#[derive(Clone)]
pub(crate) struct QueryKey {
    pub(crate) name: &'static str,
    pub(crate) value: Secret,
}

/// Gets a token for `scopes` from `provider` and sets
/// `Authorization: Bearer <token>` (marked sensitive), for the generated
/// `ClientHooks::pre`. When the API answers `401`, [`execute`](crate::execute)
/// invalidates the token and resends the request once with a new one.
///
/// When there is no token, the call fails with
/// [`Error::Token`](crate::Error::Token) (through [`call`](crate::call),
/// which this error is recorded for) and nothing is sent.
pub async fn authorize_bearer<E>(
    request: &mut reqwest::Request,
    provider: &Arc<dyn TokenProvider>,
    scopes: &'static [&'static str],
) -> Result<(), progenitor_client::Error<E>> {
    let token = match provider.token(scopes).await {
        Ok(token) => token,
        Err(error) => {
            tracing::debug!(error = error.kind(), "no access token");
            let message = error.to_string();
            record(|call| call.token_error.set(Some(error)));
            return Err(progenitor_client::Error::Custom(message));
        }
    };
    let Ok(header) = token.bearer_header() else {
        let error = crate::TokenError::UnusableToken;
        let message = error.to_string();
        record(|call| call.token_error.set(Some(error)));
        return Err(progenitor_client::Error::Custom(message));
    };
    request.headers_mut().insert(AUTHORIZATION, header.clone());
    record(|call| {
        call.bearer.set(Some(Bearer {
            provider: Arc::clone(provider),
            scopes,
            token,
            header,
            renewed: false,
        }));
    });
    Ok(())
}

/// Adds an `apiKey` credential that goes `in: query` to the request's URL.
/// [`call`](crate::call) replaces its value with `***` in every URL an
/// error carries; `tracing` never records URLs.
pub fn api_key_query(request: &mut reqwest::Request, name: &'static str, key: &Secret) {
    request
        .url_mut()
        .query_pairs_mut()
        .append_pair(name, key.expose());
    record(|call| {
        let mut keys = call.query_keys.take();
        keys.push(QueryKey {
            name,
            value: key.clone(),
        });
        call.query_keys.set(keys);
    });
}

/// A cookie that cannot carry an API key: its name is not an HTTP token, or
/// its value has characters a cookie cannot hold (RFC 6265, section 4.1.1).
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "the API key cannot be sent as a cookie: the name must be a token and the value must not contain spaces, quotes, commas, semicolons or backslashes"
)]
pub struct InvalidCookie;

/// `name=value`, marked sensitive, for an `apiKey` credential that goes
/// `in: cookie`; checked when the client is built, added to each request by
/// [`add_cookie`].
pub fn api_key_cookie(name: &str, key: &Secret) -> Result<HeaderValue, InvalidCookie> {
    let name_ok = !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b));
    let value_ok = key
        .expose()
        .bytes()
        .all(|b| b.is_ascii_graphic() && !b"\",;\\".contains(&b));
    if !(name_ok && value_ok) {
        return Err(InvalidCookie);
    }
    crate::sensitive_header(format!("{name}={}", key.expose())).map_err(|_| InvalidCookie)
}

/// Adds `cookie` (from [`api_key_cookie`]) to the request's `Cookie`
/// header: joined to one already there with `; `, since a request carries
/// one `Cookie` header (RFC 6265, section 5.4). The result is sensitive.
pub fn add_cookie(headers: &mut HeaderMap, cookie: &HeaderValue) {
    let mut joined = match headers.get(COOKIE) {
        Some(existing) => {
            let mut bytes = existing.as_bytes().to_vec();
            bytes.extend_from_slice(b"; ");
            bytes.extend_from_slice(cookie.as_bytes());
            // Both parts are valid header values, and so is `; `.
            HeaderValue::from_bytes(&bytes).unwrap_or_else(|_| cookie.clone())
        }
        None => cookie.clone(),
    };
    joined.set_sensitive(true);
    headers.insert(COOKIE, joined);
}

/// A copy of `request` to resend after a `401`, when the call has a bearer
/// token it has not yet replaced and the body can be sent twice.
pub(crate) fn resend_copy(request: &reqwest::Request) -> Option<reqwest::Request> {
    let renewable = CALL
        .try_with(|call| {
            let bearer = call.bearer.take();
            let renewable = bearer.as_ref().is_some_and(|bearer| !bearer.renewed);
            call.bearer.set(bearer);
            renewable
        })
        .unwrap_or(false);
    if renewable { request.try_clone() } else { None }
}

/// After a `401`: when the call sent a token it has not yet replaced, tells
/// the provider it was refused and, if `copy` is given, returns it with a
/// new token to resend. `None` when there is nothing to resend: no bearer
/// credential, already replaced once, a body that cannot be sent twice, or
/// no new token (the `401` is then the answer).
pub(crate) async fn renew(copy: Option<reqwest::Request>) -> Option<reqwest::Request> {
    let mut bearer = CALL.try_with(|call| call.bearer.take()).ok().flatten()?;
    if bearer.renewed {
        record(|call| call.bearer.set(Some(bearer)));
        return None;
    }
    bearer.renewed = true;
    bearer.provider.invalidate(bearer.scopes, &bearer.token);
    let resend = match copy {
        Some(mut copy) => match fresh_header(&mut bearer, true).await {
            Some(header) => {
                copy.headers_mut().insert(AUTHORIZATION, header);
                Some(copy)
            }
            None => None,
        },
        None => {
            tracing::debug!("the API refused the token; the body cannot be sent twice");
            None
        }
    };
    record(|call| call.bearer.set(Some(bearer)));
    resend
}

/// Before a retry: the call's current token (a new one if the provider
/// replaced it), so that a retry never sends a token a resend replaced or
/// one that expired during the backoff. Keeps the request's header when the
/// provider fails.
pub(crate) async fn refresh_for_retry(request: &mut reqwest::Request) {
    let Some(mut bearer) = CALL.try_with(|call| call.bearer.take()).ok().flatten() else {
        return;
    };
    let header = fresh_header(&mut bearer, false).await;
    request.headers_mut().insert(
        AUTHORIZATION,
        header.unwrap_or_else(|| bearer.header.clone()),
    );
    record(|call| call.bearer.set(Some(bearer)));
}

/// Asks the provider for the call's token and keeps it as the call's;
/// `None` (and an event) when it has none, or, after a `401` (`refused`),
/// only the one the API refused.
async fn fresh_header(bearer: &mut Bearer, refused: bool) -> Option<HeaderValue> {
    match bearer.provider.token(bearer.scopes).await {
        Ok(token) if refused && token == bearer.token => {
            tracing::debug!("the provider has no token but the refused one");
            None
        }
        Ok(token) => {
            let header = token.bearer_header().ok()?;
            bearer.token = token;
            bearer.header = header.clone();
            Some(header)
        }
        Err(error) => {
            tracing::debug!(error = error.kind(), "no new access token");
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookies_are_checked_joined_and_sensitive() {
        let cookie = api_key_cookie("session", &Secret::from("k-hunter2")).expect("valid");
        assert!(cookie.is_sensitive());
        assert!(!format!("{cookie:?}").contains("hunter2"));
        assert_eq!(
            api_key_cookie("session", &Secret::from("a;b")),
            Err(InvalidCookie)
        );
        assert_eq!(
            api_key_cookie("bad name", &Secret::from("a")),
            Err(InvalidCookie)
        );
        assert_eq!(api_key_cookie("", &Secret::from("a")), Err(InvalidCookie));

        let mut headers = HeaderMap::new();
        add_cookie(&mut headers, &cookie);
        headers.insert(COOKIE, HeaderValue::from_static("theme=dark"));
        add_cookie(&mut headers, &cookie);
        assert_eq!(headers[COOKIE], "theme=dark; session=k-hunter2");
        assert!(headers[COOKIE].is_sensitive());
        assert_eq!(headers.get_all(COOKIE).iter().count(), 1);
    }
}
