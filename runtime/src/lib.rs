//! What every generated client shares, the way progenitor's clients share
//! `progenitor-client`: the generator emits only what depends on the spec.
//!
//! - [`Error`]: documented error bodies typed; anything else keeps the
//!   status, headers and raw body.
//! - [`decode_success`], [`decode_error`], [`undocumented`]: how generated
//!   operations turn a response into a value or an [`Error`].
//! - [`Nullable`]: an optional, nullable field: left out, `null`, or a value.
//! - [`Secret`], [`sensitive_header`], [`MissingCredentials`]: credentials
//!   that never show in `Debug` output or logs.
//! - [`path_segment`]: path parameters that cannot address another resource.

mod credentials;
mod error;
mod nullable;
mod path;
mod response;

pub use credentials::{MissingCredentials, Secret, sensitive_header};
pub use error::Error;
pub use nullable::Nullable;
pub use path::path_segment;
pub use response::{decode_error, decode_success, undocumented};
mod provisional;
pub use provisional::*;
