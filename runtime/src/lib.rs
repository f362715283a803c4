//! What every generated client shares, the way progenitor's clients share
//! `progenitor-client`: the generator emits only what depends on the spec.
//!
//! - [`ClientConfig`], [`HttpSettings`], [`BaseUrl`], [`BuildError`], [`redirect_policy`]:
//!   what a `ClientBuilder` checks and builds; redirects never take
//!   credentials or bodies to another origin.
//! - [`execute`], [`prepare`] and [`call`]: the `ClientHooks` transport,
//!   with the [`RetryPolicy`] and a bounded response size, and the boundary
//!   that runs each call in a `tracing` span with its [`CallOptions`] and
//!   turns progenitor's errors into [`Error`]s that say how far the request
//!   got ([`Delivery`]), keep the answer's status and headers, and name the
//!   attempts.
//! - [`Error`]: documented error bodies typed; anything else keeps the
//!   status, headers and an excerpt of the body.
//! - [`encode_path`], [`check_path`], [`missing_credentials`]: what the
//!   `pre` hook and path building need, so that a path parameter cannot
//!   address another resource.
//! - [`Nullable`]: an optional, nullable field: left out, `null`, or a value.
//! - [`open_enum!`]: the conversions of every generated open enum.
//! - [`Secret`], [`sensitive_header`], [`basic_auth_header`], [`MissingCredentials`]: credentials
//!   that never show in `Debug` output or logs.
//! - [`TokenProvider`], [`OAuth2ClientCredentials`], [`OAuth2RefreshToken`],
//!   [`StaticToken`], [`TokenCache`], [`TokenError`], [`TokenCredential`]: access tokens fetched,
//!   cached and refreshed while the client runs; [`authorize_bearer`] sends
//!   them, and [`execute`] resends once with a new token after a `401`.
//! - [`api_key_query`], [`api_key_cookie`], [`add_cookie`]: API keys in the
//!   query string (redacted from every URL an error carries) or a cookie.
//! - `mock` (feature `mock`): typed wiremock mocks of an operation, which the
//!   generated clients' `mock` modules build on.

#![deny(missing_docs)]
#![cfg_attr(docsrs, feature(doc_cfg))]

mod answer_body;
mod authorize;
mod body;
mod call;
mod credentials;
mod error;
mod http;
#[cfg(feature = "mock")]
#[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
pub mod mock;
mod nullable;
mod oauth2;
mod open_enum;
mod options;
mod path;
mod redact;
pub mod retry;
mod tls;
mod token;

pub use authorize::{InvalidCookie, add_cookie, api_key_cookie, api_key_query, authorize_bearer};
pub use body::BodyError;
pub use call::{call, execute, missing_credentials, prepare};
pub use credentials::{MissingCredentials, Secret, basic_auth_header, sensitive_header};
pub use error::{BODY_EXCERPT_BYTES, Delivery, Error, TimeoutPhase};
pub use http::{BaseUrl, BuildError, ClientConfig, Connection, HttpSettings, redirect_policy};
pub use nullable::Nullable;
pub use oauth2::{
    ClientAuthentication, OAuth2ClientCredentials, OAuth2RefreshToken, TokenCredential,
};
pub use options::{CallOptions, Operation};
pub use path::{MAX_URL_BYTES, check_path, encode_path};
pub use retry::{RetryPolicy, RetryStop};
pub use token::{AccessToken, StaticToken, TokenCache, TokenError, TokenFuture, TokenProvider};

#[doc(hidden)]
pub use serde as __serde;
