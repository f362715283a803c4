//! Credentials that never show in `Debug` output, logs or messages.

use std::fmt;

use reqwest::header::{HeaderValue, InvalidHeaderValue};

/// A secret string: `Debug` shows `Secret(<redacted>)`.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// The secret itself, for building a header value.
    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Self(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Self(value.to_string())
    }
}

/// A header value marked sensitive, so HTTP layers do not log or print it.
pub fn sensitive_header(value: String) -> Result<HeaderValue, InvalidHeaderValue> {
    let mut value = HeaderValue::try_from(value)?;
    value.set_sensitive(true);
    Ok(value)
}

/// `Authorization: Basic base64(username:password)` (RFC 7617), marked sensitive.
pub fn basic_auth_header(
    username: &str,
    password: &Secret,
) -> Result<HeaderValue, InvalidHeaderValue> {
    use base64::Engine as _;
    let pair = format!("{username}:{}", password.expose());
    sensitive_header(format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode(pair)
    ))
}

/// An operation was called without the credentials its `security` requires.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("operation `{operation}` needs credentials for {needs}; set them on the ClientBuilder")]
pub struct MissingCredentials {
    /// The operation (its method name).
    pub operation: &'static str,
    /// The security schemes that would do, as the spec names them.
    pub needs: &'static str,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_and_their_headers_never_print() {
        let secret = Secret::from("hunter2");
        assert_eq!(format!("{secret:?}"), "Secret(<redacted>)");
        let header = sensitive_header(format!("Bearer {}", secret.expose())).expect("valid");
        assert!(header.is_sensitive());
        assert!(!format!("{header:?}").contains("hunter2"));
        assert!(sensitive_header("line\nbreak".into()).is_err());
        let basic = basic_auth_header("test-user", &Secret::from("test-password")).expect("valid");
        assert!(basic.is_sensitive());
        assert_eq!(basic, "Basic dGVzdC11c2VyOnRlc3QtcGFzc3dvcmQ=");
    }
}
