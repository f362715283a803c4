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
//! - `mock` (feature `mock`): typed wiremock mocks of an operation, which the
//!   generated clients' `mock` modules build on.

#![deny(missing_docs)]

mod body;
mod call;
mod credentials;
mod error;
mod http;
#[cfg(feature = "mock")]
pub mod mock;
mod nullable;
mod open_enum;
mod options;
mod path;
mod redact;
pub mod retry;

pub use body::BodyError;
pub use call::{call, execute, missing_credentials, prepare};
pub use credentials::{MissingCredentials, Secret, basic_auth_header, sensitive_header};
pub use error::{BODY_EXCERPT_BYTES, Delivery, Error, TimeoutPhase};
pub use http::{BaseUrl, BuildError, ClientConfig, Connection, HttpSettings, redirect_policy};
pub use nullable::Nullable;
pub use options::{CallOptions, Operation};
pub use path::{MAX_URL_BYTES, check_path, encode_path};
pub use retry::{RetryPolicy, RetryStop};

#[doc(hidden)]
pub use serde as __serde;
