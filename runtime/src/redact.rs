//! Userinfo (`user:password@`) in URLs never shows in messages or `Debug`.

use std::borrow::Cow;

use reqwest::Url;

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
}
