//! Path parameters that cannot address another resource.

use std::borrow::Cow;

use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use reqwest::Url;

/// The longest request URL [`check_path`] lets through, in bytes. Servers
/// and proxies commonly refuse longer ones (8 KiB is a usual default), and
/// a parameter that long is a mistake better reported before sending.
pub const MAX_URL_BYTES: usize = 8 * 1024;

/// Everything but RFC 3986's unreserved characters: `ALPHA`, `DIGIT`, `-`,
/// `.`, `_` and `~`.
const NOT_UNRESERVED: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes one path parameter so that only RFC 3986 unreserved
/// characters stay literal: no `/`, `\`, `?`, `#` or `%` in the value can
/// end the segment or be decoded into one. `..` stays `..` (dots are
/// unreserved), so pair this with [`check_path`], which refuses it.
pub fn encode_path(value: &str) -> String {
    utf8_percent_encode(value, NOT_UNRESERVED).to_string()
}

/// Checks, before sending, that a request URL addresses the operation's
/// resource: its origin is the base URL's, and its path is the base URL's
/// path followed by `template` (the spec's path, e.g.
/// `/subscriptions/{subscription_id}`) segment for segment. Literal
/// segments must be equal; a segment with a `{parameter}` must be present,
/// non-empty and not `.` or `..` (percent-encoded or not). A parameter that
/// the URL parser split or removed (a `/`, `\` or `..` left unencoded) makes
/// the segments differ and fails. The URL must also not be longer than
/// [`MAX_URL_BYTES`].
///
/// The error is the reason, for `InvalidRequest`; it shows the URL's path,
/// cut short, and never its userinfo.
pub fn check_path(base_url: &str, template: &str, url: &Url) -> Result<(), String> {
    let base =
        Url::parse(base_url).map_err(|error| format!("the base URL is not valid: {error}"))?;
    check_path_under(&base, template, url)
}

/// [`check_path`] with the base URL parsed already (a
/// [`BaseUrl`](crate::BaseUrl) keeps it), sparing a parse per call.
pub(crate) fn check_path_under(base: &Url, template: &str, url: &Url) -> Result<(), String> {
    let length = url.as_str().len();
    if length > MAX_URL_BYTES {
        return Err(format!(
            "the request URL is {length} bytes long, over the limit of {MAX_URL_BYTES}: a path or query parameter is too long"
        ));
    }
    if base.scheme() != url.scheme()
        || base.host() != url.host()
        || base.port_or_known_default() != url.port_or_known_default()
    {
        return Err(format!(
            "the request URL `{}` does not start with the base URL",
            shorten(url.path())
        ));
    }
    if url.fragment().is_some() {
        return Err("the request URL has a fragment: a path parameter contains `#`".to_string());
    }
    // Joined before splitting: a template `/` under a base path `/v1` is
    // `/v1/`, whose last segment is empty.
    let full_template = format!("{}{template}", base.path().trim_end_matches('/'));
    let expected: Vec<&str> = segments(&full_template).collect();
    let actual: Vec<&str> = segments(url.path()).collect();
    let mismatch = || {
        format!(
            "the request path `{}` is not `{}{template}` with one segment per parameter: a path parameter contains `/`, `\\` or a dot segment",
            shorten(url.path()),
            base.path().trim_end_matches('/'),
        )
    };
    if expected.len() != actual.len() {
        return Err(mismatch());
    }
    for (want, got) in expected.into_iter().zip(actual) {
        match parameter(want) {
            Some(name) => check_parameter(name, want, got)?,
            None if want == got || decode(got) == want => {}
            None => return Err(mismatch()),
        }
    }
    Ok(())
}

/// The name of the first `{parameter}` in a template segment, if any.
fn parameter(segment: &str) -> Option<&str> {
    let open = segment.find('{')?;
    let close = segment[open..].find('}')? + open;
    Some(&segment[open + 1..close])
}

/// Checks a segment that holds a parameter: present, not a dot segment, and
/// with the template's literal text around the parameter(s).
fn check_parameter(name: &str, template: &str, segment: &str) -> Result<(), String> {
    let decoded = decode(segment);
    if decoded.is_empty() {
        return Err(format!("path parameter `{name}` is empty"));
    }
    if decoded == "." || decoded == ".." {
        return Err(format!(
            "path parameter `{name}` is `{decoded}`, which would address a different resource"
        ));
    }
    let prefix = &template[..template.find('{').unwrap_or(0)];
    let suffix = &template[template
        .rfind('}')
        .map_or(template.len(), |close| close + 1)..];
    if !segment.starts_with(prefix)
        || !segment.ends_with(suffix)
        || segment.len() <= prefix.len() + suffix.len()
    {
        return Err(format!(
            "the path segment `{}` does not match `{template}`",
            shorten(segment)
        ));
    }
    Ok(())
}

/// The segments of a path, without the empty one before the leading `/`
/// (and without the one after a trailing `/` of a base path, when it is the
/// only one).
fn segments(path: &str) -> impl Iterator<Item = &str> {
    let path = path.strip_prefix('/').unwrap_or(path);
    (!path.is_empty())
        .then(|| path.split('/'))
        .into_iter()
        .flatten()
}

/// A segment percent-decoded (invalid UTF-8 replaced).
fn decode(segment: &str) -> Cow<'_, str> {
    percent_decode_str(segment).decode_utf8_lossy()
}

/// At most 200 characters of `text`, for messages.
fn shorten(text: &str) -> Cow<'_, str> {
    match text.char_indices().nth(200) {
        Some((end, _)) => Cow::Owned(format!("{}…", &text[..end])),
        None => Cow::Borrowed(text),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_unreserved_characters_stay_literal() {
        assert_eq!(encode_path("aZ09-._~"), "aZ09-._~");
        assert_eq!(encode_path("..\\..\\admin"), "..%5C..%5Cadmin");
        assert_eq!(encode_path("a/b?c#d%e f"), "a%2Fb%3Fc%23d%25e%20f");
        assert_eq!(encode_path("x=1;y@z:w|v+"), "x%3D1%3By%40z%3Aw%7Cv%2B");
        assert_eq!(encode_path("é"), "%C3%A9");
    }

    #[test]
    fn template_segments() {
        assert_eq!(parameter("{id}"), Some("id"));
        assert_eq!(parameter("v{major}.json"), Some("major"));
        assert_eq!(parameter("items"), None);
        assert_eq!(segments("/").count(), 0);
        assert_eq!(segments("/v2/").collect::<Vec<_>>(), ["v2", ""]);
        assert_eq!(segments("/a/{b}").collect::<Vec<_>>(), ["a", "{b}"]);
    }

    #[test]
    fn the_root_operation_is_the_base_path_with_a_slash() {
        let url = |text: &str| Url::parse(text).expect("a URL");
        let base = "https://api.example.com/ds-api";
        assert_eq!(
            check_path(base, "/", &url("https://api.example.com/ds-api/")),
            Ok(())
        );
        assert_eq!(
            check_path(
                "https://api.example.com",
                "/",
                &url("https://api.example.com/")
            ),
            Ok(())
        );
        assert!(check_path(base, "/", &url("https://api.example.com/ds-api/x")).is_err());
        assert_eq!(
            check_path(
                base,
                "/{dataset}",
                &url("https://api.example.com/ds-api/oa")
            ),
            Ok(())
        );
    }
}
