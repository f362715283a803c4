//! Userinfo (`user:password@`) and API keys in the query string never show
//! in messages or `Debug`.

use std::borrow::Cow;

use reqwest::Url;

use crate::Error;
use crate::authorize::QueryKey;

/// What replaces the userinfo of a URL that is printed.
const REDACTED: &str = "***";

/// `url` with its userinfo, if any, replaced by `***`, for printing.
pub(crate) fn redact_url(url: &Url) -> Cow<'_, str> {
    if url.username().is_empty() && url.password().is_none() {
        return Cow::Borrowed(url.as_str());
    }
    let mut redacted = url.clone();
    // Both only fail for URLs without a host, which have no userinfo.
    let _ = redacted.set_password(None);
    let _ = redacted.set_username(REDACTED);
    Cow::Owned(redacted.into())
}

/// A URL given as text (a base URL that failed the checks, a `Location`
/// header), with anything that could be userinfo replaced by `***`. An
/// http(s) URL that parses is redacted exactly; for anything else,
/// everything between `://` (or a leading `//`) and the last `@` before any
/// `?` or `#` counts as userinfo: showing too little beats showing a
/// password.
pub(crate) fn redact_url_str(url: &str) -> Cow<'_, str> {
    if let Ok(parsed) = Url::parse(url)
        && matches!(parsed.scheme(), "http" | "https")
    {
        if parsed.username().is_empty() && parsed.password().is_none() {
            return Cow::Borrowed(url);
        }
        return Cow::Owned(redact_url(&parsed).into_owned());
    }
    let start = if url.starts_with("//") {
        2
    } else if url.starts_with('/') {
        // A path: no userinfo.
        return Cow::Borrowed(url);
    } else {
        url.find("://").map_or(0, |scheme_end| scheme_end + 3)
    };
    let end = url[start..]
        .find(['?', '#'])
        .map_or(url.len(), |offset| start + offset);
    match url[start..end].rfind('@') {
        Some(at) => Cow::Owned(format!("{}{REDACTED}{}", &url[..start], &url[start + at..])),
        None => Cow::Borrowed(url),
    }
}

/// `error` with the userinfo of the URL it carries redacted. reqwest takes
/// userinfo out of URLs it builds requests from, but not out of a
/// `reqwest::Request` made with `Request::new`.
pub(crate) fn redact_error_url(mut error: reqwest::Error) -> reqwest::Error {
    if let Some(url) = error.url_mut()
        && (!url.username().is_empty() || url.password().is_some())
    {
        let _ = url.set_password(None);
        let _ = url.set_username(REDACTED);
    }
    error
}

/// `error` with the values of the query keys `keys` (added by
/// [`api_key_query`](crate::api_key_query)) replaced by `***` in every URL
/// it carries, and the keys themselves in its texts.
pub(crate) fn redact_query_keys<E>(mut error: Error<E>, keys: &[QueryKey]) -> Error<E> {
    if keys.is_empty() {
        return error;
    }
    match &mut error {
        Error::Unreachable(source)
        | Error::Transport(source)
        | Error::Timeout { source, .. }
        | Error::ResponseBody { source, .. } => {
            if let Some(url) = source.url_mut() {
                redact_query(url, keys);
            }
        }
        Error::Redirect { location, .. } => {
            *location = match Url::parse(location) {
                Ok(mut url) => {
                    redact_query(&mut url, keys);
                    url.into()
                }
                Err(_) => redact_values(location, keys),
            };
        }
        Error::InvalidRequest(reason) => *reason = redact_values(reason, keys),
        Error::Retried { last, .. } => {
            let inner = std::mem::replace(&mut **last, Error::InvalidRequest(String::new()));
            **last = redact_query_keys(inner, keys);
        }
        _ => {}
    }
    error
}

/// `url` with the query parameters named in `keys` set to `***`.
fn redact_query(url: &mut Url, keys: &[QueryKey]) {
    let secret = |name: &str| keys.iter().any(|key| key.name == name);
    if !url.query_pairs().any(|(name, _)| secret(&name)) {
        return;
    }
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(name, value)| {
            let value = if secret(&name) {
                REDACTED.to_string()
            } else {
                value.into_owned()
            };
            (name.into_owned(), value)
        })
        .collect();
    url.query_pairs_mut().clear().extend_pairs(pairs);
}

/// `text` with each key's value, as is and form-encoded, replaced by `***`.
fn redact_values(text: &str, keys: &[QueryKey]) -> String {
    let mut text = text.to_string();
    for key in keys {
        let value = key.value.expose();
        if value.is_empty() {
            continue;
        }
        let encoded: String = form_urlencoded::byte_serialize(value.as_bytes()).collect();
        text = text.replace(value, REDACTED).replace(&encoded, REDACTED);
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn userinfo_is_redacted_in_valid_and_invalid_urls() {
        let cases = [
            ("http://user:pw@host/v2", "http://***@host/v2"),
            ("https://token@host", "https://***@host/"),
            ("http://host/v2/@me", "http://host/v2/@me"),
            ("ftp://u:pw@host/x", "ftp://***@host/x"),
            ("http://user:pw@[bad/v2", "http://***@[bad/v2"),
            ("user:p/w@host?q=@", "***@host?q=@"),
            ("http://host:99999/", "http://host:99999/"),
            ("/v2/users/@me", "/v2/users/@me"),
            ("//user:pw@host/x", "//***@host/x"),
        ];
        for (url, shown) in cases {
            assert_eq!(redact_url_str(url), shown, "{url}");
        }
    }

    #[test]
    fn query_keys_are_redacted_in_urls_and_texts() {
        let keys = [QueryKey {
            name: "api_key",
            value: "k/hunter2".into(),
        }];
        let mut url = Url::parse("http://h/v?page=2&api_key=k%2Fhunter2").expect("valid");
        redact_query(&mut url, &keys);
        assert_eq!(url.as_str(), "http://h/v?page=2&api_key=***");
        let error: Error = Error::Redirect {
            status: reqwest::StatusCode::FOUND,
            headers: reqwest::header::HeaderMap::new(),
            location: "/elsewhere?api_key=k%2Fhunter2".into(),
        };
        let error = redact_query_keys(error, &keys);
        assert!(!format!("{error:?} {error}").contains("hunter2"));
    }
}
