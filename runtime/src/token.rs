//! Access tokens obtained while a client runs, rather than fixed when it is
//! built: the [`TokenProvider`] a client asks before each call, the
//! [`TokenCache`] that makes concurrent calls share one token request, and
//! the [`TokenError`] a call fails with when no token could be had.
//!
//! [`OAuth2ClientCredentials`](crate::OAuth2ClientCredentials) and
//! [`OAuth2RefreshToken`](crate::OAuth2RefreshToken) are providers for the
//! flows a spec describes; implement [`TokenProvider`] (with a
//! [`TokenCache`]) for a vendor's own flow, and use [`StaticToken`] for a
//! token obtained elsewhere.

use std::collections::HashMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use reqwest::StatusCode;
use reqwest::header::{HeaderValue, InvalidHeaderValue};

use crate::Secret;
use crate::credentials::sensitive_header;

/// What [`TokenProvider::token`] returns: a boxed future, so that the trait
/// stays object-safe without an `async-trait` dependency.
pub type TokenFuture<'a> =
    Pin<Box<dyn Future<Output = Result<AccessToken, TokenError>> + Send + 'a>>;

/// Gives a client the access token for a call, and hears when the API
/// refused one.
///
/// A client holds it as `Arc<dyn TokenProvider>`, asks it before sending
/// each call that needs a token (with the scopes the operation's security
/// requirement names) and sends `Authorization: Bearer <token>`. When the
/// API answers `401`, the client calls [`TokenProvider::invalidate`] with
/// the refused token and asks once more.
///
/// `token` is called before every call: answer from a cache (see
/// [`TokenCache`]) rather than fetching each time. `Debug` is required so
/// that clients holding a provider can be printed: show what identifies
/// it, never a token or secret (hold them as [`Secret`]s).
pub trait TokenProvider: fmt::Debug + Send + Sync {
    /// A token valid for `scopes` (empty when the operation names none).
    fn token<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a>;

    /// The API refused `rejected` (asked for `scopes`): do not hand it out
    /// again. Only that token: a concurrent call may already have replaced
    /// it with a new one, which must be kept.
    fn invalidate(&self, scopes: &[&str], rejected: &AccessToken);
}

/// An access token and how long it lives. `Debug` never shows the token.
#[derive(Clone, PartialEq, Eq)]
pub struct AccessToken {
    value: Secret,
    expires_in: Option<Duration>,
}

impl AccessToken {
    /// A token whose lifetime is unknown: it is used until the API refuses
    /// it.
    pub fn new(value: impl Into<Secret>) -> Self {
        Self {
            value: value.into(),
            expires_in: None,
        }
    }

    /// The token lives for `lifetime` from now (OAuth 2.0 `expires_in`).
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        self.expires_in = Some(lifetime);
        self
    }

    /// The token itself.
    pub fn secret(&self) -> &Secret {
        &self.value
    }

    /// How long it lives from when it was issued, if known.
    pub fn lifetime(&self) -> Option<Duration> {
        self.expires_in
    }

    /// `Bearer <token>`, marked sensitive.
    pub(crate) fn bearer_header(&self) -> Result<HeaderValue, InvalidHeaderValue> {
        sensitive_header(format!("Bearer {}", self.value.expose()))
    }
}

impl fmt::Debug for AccessToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AccessToken")
            .field("value", &self.value)
            .field("expires_in", &self.expires_in)
            .finish()
    }
}

/// A token obtained elsewhere, handed out as is: a refused token stays
/// refused. The same as a fixed bearer credential, for code that wants
/// every client to take a [`TokenProvider`].
#[derive(Clone, Debug)]
pub struct StaticToken(AccessToken);

impl StaticToken {
    /// Hands out `token` for every call.
    pub fn new(token: impl Into<Secret>) -> Self {
        Self(AccessToken::new(token))
    }
}

impl TokenProvider for StaticToken {
    fn token<'a>(&'a self, _scopes: &'a [&'a str]) -> TokenFuture<'a> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }

    fn invalidate(&self, _scopes: &[&str], _rejected: &AccessToken) {}
}

/// Why no access token could be had. The call that needed it was not sent
/// ([`Error::Token`](crate::Error::Token)). No variant holds a token or a
/// client secret: token endpoint answers are kept only as the RFC 6749
/// error fields, and body parse errors only by position.
#[derive(Clone, Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TokenError {
    /// The token endpoint refused with an OAuth 2.0 error (RFC 6749,
    /// section 5.2): `invalid_client`, `invalid_grant`, `invalid_scope`, …
    #[error("the token endpoint answered {status} with error `{error}`{}", details(.description, .uri))]
    Refused {
        /// The token endpoint's status.
        status: StatusCode,
        /// The `error` code.
        error: String,
        /// `error_description`, if given.
        description: Option<String>,
        /// `error_uri`, if given.
        uri: Option<String>,
    },
    /// The token endpoint answered, but neither with a token nor with an
    /// OAuth 2.0 error.
    #[error("the token endpoint answered {status} with {reason}")]
    InvalidResponse {
        /// The token endpoint's status.
        status: StatusCode,
        /// What is wrong with the answer (never its content).
        reason: String,
    },
    /// The token endpoint issued a token of a type other than `Bearer`,
    /// which a client must not use (RFC 6749, section 7.1).
    #[error("the token endpoint issued a `{token_type}` token; only Bearer tokens can be sent")]
    UnsupportedTokenType {
        /// The `token_type` it gave.
        token_type: String,
    },
    /// The token contains characters an HTTP header cannot carry.
    #[error("the access token contains characters an HTTP header cannot carry")]
    UnusableToken,
    /// The token endpoint could not be reached (DNS, connect, TLS).
    #[error("could not connect to the token endpoint")]
    Unreachable(#[source] Arc<reqwest::Error>),
    /// The token endpoint did not answer in time.
    #[error("the token endpoint did not answer in time")]
    Timeout(#[source] Arc<reqwest::Error>),
    /// The connection to the token endpoint failed after it was made.
    #[error("the connection to the token endpoint failed")]
    Transport(#[source] Arc<reqwest::Error>),
    /// A [`TokenProvider`] of the caller's failed.
    #[error("the token provider failed: {0}")]
    Provider(Arc<dyn std::error::Error + Send + Sync>),
}

impl TokenError {
    /// A provider's own error, for implementations of [`TokenProvider`].
    pub fn provider(error: impl std::error::Error + Send + Sync + 'static) -> Self {
        Self::Provider(Arc::new(error))
    }

    /// A failure to talk to the token endpoint, sorted like
    /// [`Error::from_send`](crate::Error): no connection, timeout, or
    /// broken afterwards.
    pub(crate) fn from_transport(error: reqwest::Error) -> Self {
        let error = Arc::new(crate::redact::redact_error_url(error));
        if error.is_timeout() {
            Self::Timeout(error)
        } else if error.is_connect() {
            Self::Unreachable(error)
        } else {
            Self::Transport(error)
        }
    }

    /// A word for the kind of failure, for `tracing` events.
    pub(crate) fn kind(&self) -> &'static str {
        match self {
            Self::Refused { .. } => "refused",
            Self::InvalidResponse { .. } => "invalid_response",
            Self::UnsupportedTokenType { .. } => "unsupported_token_type",
            Self::UnusableToken => "unusable_token",
            Self::Unreachable(_) => "unreachable",
            Self::Timeout(_) => "timeout",
            Self::Transport(_) => "transport",
            Self::Provider(_) => "provider",
        }
    }
}

/// `: description (uri)`, as far as given.
fn details(description: &Option<String>, uri: &Option<String>) -> String {
    let mut text = String::new();
    if let Some(description) = description {
        text.push_str(": ");
        text.push_str(description);
    }
    if let Some(uri) = uri {
        text.push_str(" (");
        text.push_str(uri);
        text.push(')');
    }
    text
}

/// Tokens by scope set, each fetched once however many calls need it at
/// the same time. Clones share the cache.
///
/// A token is handed out until its lifetime minus the refresh margin has
/// passed (by default a tenth of its lifetime, at most 30 s), so that it is
/// replaced before the API would refuse it; a token without a lifetime
/// until it is invalidated. A call that finds no usable token waits for the
/// one token request in flight for its scope set, or makes it; the calls
/// that waited share its outcome, failure included (so that a failing
/// token endpoint gets one request, not one per waiting call). A call that
/// starts after a failure tries again.
#[derive(Clone, Default)]
pub struct TokenCache {
    margin: Option<Duration>,
    entries: Arc<Mutex<HashMap<Vec<String>, Arc<Entry>>>>,
}

/// One scope set's token and its single flight.
#[derive(Default)]
struct Entry {
    /// Held by the call fetching a token; the others wait on it.
    flight: tokio::sync::Mutex<()>,
    state: Mutex<State>,
}

/// The last outcome of fetching a scope set's token.
#[derive(Default)]
struct State {
    token: Option<Cached>,
    failure: Option<(Instant, TokenError)>,
}

/// A token and when it was obtained.
struct Cached {
    token: AccessToken,
    obtained: Instant,
    /// When to fetch a new one; `None`: when it is invalidated.
    refresh_at: Option<Instant>,
}

impl TokenCache {
    /// An empty cache with the default refresh margin.
    pub fn new() -> Self {
        Self::default()
    }

    /// Replaces tokens `margin` before they expire (instead of a tenth of
    /// their lifetime, at most 30 s). A margin of at least a token's
    /// lifetime makes each call fetch a new one.
    pub fn refresh_margin(mut self, margin: Duration) -> Self {
        self.margin = Some(margin);
        self
    }

    /// The token for `scopes` (order and repetition do not matter): the
    /// cached one while it is usable, otherwise the outcome of the token
    /// request in flight, or of `fetch`.
    pub async fn get_or_fetch<F, Fut>(
        &self,
        scopes: &[&str],
        fetch: F,
    ) -> Result<AccessToken, TokenError>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<AccessToken, TokenError>>,
    {
        let asked = Instant::now();
        let entry = self.entry(scopes);
        if let Some(token) = lock(&entry.state).usable(asked) {
            return Ok(token);
        }
        let _flight = entry.flight.lock().await;
        // The flight this call waited for may have settled it.
        if let Some(outcome) = lock(&entry.state).settled_since(asked) {
            return outcome;
        }
        let outcome = fetch().await;
        let now = Instant::now();
        let mut state = lock(&entry.state);
        match &outcome {
            Ok(token) => {
                state.token = Some(Cached {
                    token: token.clone(),
                    obtained: now,
                    refresh_at: token.lifetime().and_then(|lifetime| {
                        now.checked_add(lifetime.saturating_sub(self.margin_for(lifetime)))
                    }),
                });
                state.failure = None;
            }
            Err(error) => state.failure = Some((now, error.clone())),
        }
        outcome
    }

    /// Forgets `rejected`, if it is still the token cached for `scopes`.
    pub fn invalidate(&self, scopes: &[&str], rejected: &AccessToken) {
        let entry = self.entry(scopes);
        let mut state = lock(&entry.state);
        if state
            .token
            .as_ref()
            .is_some_and(|cached| cached.token == *rejected)
        {
            state.token = None;
        }
    }

    /// The entry of a scope set, created when first asked for.
    fn entry(&self, scopes: &[&str]) -> Arc<Entry> {
        let mut key: Vec<String> = scopes.iter().map(|scope| (*scope).to_string()).collect();
        key.sort_unstable();
        key.dedup();
        Arc::clone(lock(&self.entries).entry(key).or_default())
    }

    /// How long before the end of `lifetime` a token is replaced.
    fn margin_for(&self, lifetime: Duration) -> Duration {
        self.margin
            .unwrap_or_else(|| (lifetime / 10).min(Duration::from_secs(30)))
    }
}

impl State {
    /// The cached token, if it need not be replaced yet at `now`.
    fn usable(&self, now: Instant) -> Option<AccessToken> {
        self.token
            .as_ref()
            .filter(|cached| cached.refresh_at.is_none_or(|at| now < at))
            .map(|cached| cached.token.clone())
    }

    /// What a call that asked at `asked` takes without fetching: a usable
    /// token, or the outcome of a token request that ended after it asked
    /// (which may already be due for refresh when the margin is large).
    fn settled_since(&self, asked: Instant) -> Option<Result<AccessToken, TokenError>> {
        if let Some(token) = self.usable(Instant::now()) {
            return Some(Ok(token));
        }
        if let Some(cached) = self.token.as_ref().filter(|c| c.obtained >= asked) {
            return Some(Ok(cached.token.clone()));
        }
        self.failure
            .as_ref()
            .filter(|(at, _)| *at >= asked)
            .map(|(_, error)| Err(error.clone()))
    }
}

/// Shows the margin and how many scope sets are cached, never a token.
impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenCache")
            .field("refresh_margin", &self.margin)
            .field("scope_sets", &lock(&self.entries).len())
            .finish()
    }
}

/// A lock that a panic elsewhere cannot poison for good: the state behind
/// it is replaced whole, never left half-written.
fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    #[tokio::test]
    async fn tokens_are_cached_per_scope_set_and_invalidated_by_value() {
        let cache = TokenCache::new();
        let fetched = AtomicUsize::new(0);
        let fetch = || async {
            let n = fetched.fetch_add(1, Ordering::SeqCst);
            Ok(AccessToken::new(format!("token-{n}")).expires_in(Duration::from_secs(3600)))
        };
        let first = cache
            .get_or_fetch(&["b", "a"], fetch)
            .await
            .expect("a token");
        let again = cache
            .get_or_fetch(&["a", "b", "a"], fetch)
            .await
            .expect("a token");
        assert_eq!(first, again);
        let other = cache.get_or_fetch(&["a"], fetch).await.expect("a token");
        assert_ne!(first, other);
        assert_eq!(fetched.load(Ordering::SeqCst), 2);

        cache.invalidate(&["a", "b"], &AccessToken::new("not the cached one"));
        let kept = cache
            .get_or_fetch(&["a", "b"], fetch)
            .await
            .expect("a token");
        assert_eq!(kept, first);
        cache.invalidate(&["a", "b"], &first);
        let renewed = cache
            .get_or_fetch(&["a", "b"], fetch)
            .await
            .expect("a token");
        assert_ne!(renewed, first);
        assert_eq!(fetched.load(Ordering::SeqCst), 3);
    }

    #[tokio::test]
    async fn a_margin_as_long_as_the_lifetime_fetches_each_time() {
        let cache = TokenCache::new().refresh_margin(Duration::from_secs(60));
        let fetched = AtomicUsize::new(0);
        let fetch = || async {
            fetched.fetch_add(1, Ordering::SeqCst);
            Ok(AccessToken::new("t").expires_in(Duration::from_secs(60)))
        };
        for _ in 0..3 {
            cache.get_or_fetch(&[], fetch).await.expect("a token");
        }
        assert_eq!(fetched.load(Ordering::SeqCst), 3);
    }

    #[test]
    fn the_default_margin_is_a_tenth_up_to_30_seconds() {
        let cache = TokenCache::new();
        assert_eq!(
            cache.margin_for(Duration::from_secs(60)),
            Duration::from_secs(6)
        );
        assert_eq!(
            cache.margin_for(Duration::from_secs(3600)),
            Duration::from_secs(30)
        );
    }

    #[test]
    fn tokens_never_print() {
        let token = AccessToken::new("tok-hunter2").expires_in(Duration::from_secs(5));
        assert!(!format!("{token:?}").contains("hunter2"));
        assert!(!format!("{:?}", StaticToken::new("tok-hunter2")).contains("hunter2"));
        let header = token.bearer_header().expect("a header");
        assert!(header.is_sensitive());
    }
}
