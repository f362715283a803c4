//! Path parameters that cannot address another resource.

/// Percent-encodes one path parameter. `""`, `.` and `..` are refused: once
/// the URL is normalised they would send the request to a different
/// resource (`/subscriptions/..` is `/`).
pub fn path_segment(name: &str, value: &str) -> Result<String, String> {
    match value {
        "" | "." | ".." => Err(format!(
            "path parameter `{name}` is `{value}`, which would address a different resource"
        )),
        _ => Ok(progenitor_client::encode_path(value)),
    }
}

#[cfg(test)]
mod tests {
    use super::path_segment;

    #[test]
    fn dot_segments_are_refused_and_the_rest_encoded() {
        for value in ["", ".", ".."] {
            let error = path_segment("id", value).expect_err("refused");
            assert!(error.contains("path parameter `id`"), "{error}");
        }
        assert_eq!(
            path_segment("id", "a/b?c#d").as_deref(),
            Ok("a%2Fb%3Fc%23d")
        );
        assert_eq!(path_segment("id", "...").as_deref(), Ok("..."));
    }
}
