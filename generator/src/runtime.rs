//! Modules every generated client carries unchanged: its error type and
//! response decoding, and `Nullable` for optional nullable fields.

use proc_macro2::TokenStream;
use quote::quote;

/// `mod error`: what a call can fail with, keeping the status and the raw
/// body wherever the API answered.
pub(crate) fn error_module() -> TokenStream {
    quote! {
        /// What a call can fail with.
        pub mod error {
            use progenitor_client::ResponseValue;
            use reqwest::StatusCode;
            use reqwest::header::HeaderMap;

            /// An error from an operation; `E` is the operation's documented error body.
            #[derive(Debug)]
            #[non_exhaustive]
            pub enum Error<E = ()> {
                /// The request could not be built: a required parameter is
                /// missing or a value failed the spec's constraints.
                InvalidRequest(String),
                /// The operation needs credentials the client was built without.
                MissingCredentials(super::auth::MissingCredentials),
                /// No answer: connection, TLS or timeout failure.
                Communication(reqwest::Error),
                /// The API answered with an error status the spec documents;
                /// the body parsed into its documented type.
                ErrorResponse(ResponseValue<E>),
                /// The API answered with a status the spec does not declare.
                UnexpectedResponse {
                    /// The status.
                    status: StatusCode,
                    /// The response headers.
                    headers: HeaderMap,
                    /// The body, as text.
                    body: String,
                },
                /// The API answered with a declared status, but the body does
                /// not match the spec.
                InvalidResponsePayload {
                    /// The status.
                    status: StatusCode,
                    /// The response headers.
                    headers: HeaderMap,
                    /// The body, as text.
                    body: String,
                    /// Why it did not parse.
                    source: serde_json::Error,
                },
            }

            impl<E: std::fmt::Debug> std::fmt::Display for Error<E> {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    match self {
                        Self::InvalidRequest(reason) => write!(f, "invalid request: {reason}"),
                        Self::MissingCredentials(missing) => missing.fmt(f),
                        Self::Communication(error) => write!(f, "could not reach the API: {error}"),
                        Self::ErrorResponse(response) => {
                            write!(f, "the API answered {} with a documented error: {:?}", response.status(), response)
                        }
                        Self::UnexpectedResponse { status, body, .. } => {
                            write!(f, "the API answered {status}, which the spec does not declare: {}", excerpt(body))
                        }
                        Self::InvalidResponsePayload { status, body, source, .. } => write!(
                            f,
                            "the API answered {status} with a body that does not match the spec ({source}): {}",
                            excerpt(body)
                        ),
                    }
                }
            }

            impl<E: std::fmt::Debug> std::error::Error for Error<E> {
                fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
                    match self {
                        Self::MissingCredentials(missing) => Some(missing),
                        Self::Communication(error) => Some(error),
                        Self::InvalidResponsePayload { source, .. } => Some(source),
                        Self::InvalidRequest(_) | Self::ErrorResponse(_) | Self::UnexpectedResponse { .. } => None,
                    }
                }
            }

            impl<E> From<reqwest::Error> for Error<E> {
                fn from(error: reqwest::Error) -> Self {
                    Self::Communication(error)
                }
            }

            impl<E> From<super::auth::MissingCredentials> for Error<E> {
                fn from(missing: super::auth::MissingCredentials) -> Self {
                    Self::MissingCredentials(missing)
                }
            }

            impl<E> Error<E> {
                /// The response status, when the API answered.
                pub fn status(&self) -> Option<StatusCode> {
                    match self {
                        Self::ErrorResponse(response) => Some(response.status()),
                        Self::UnexpectedResponse { status, .. } | Self::InvalidResponsePayload { status, .. } => Some(*status),
                        Self::Communication(error) => error.status(),
                        Self::InvalidRequest(_) | Self::MissingCredentials(_) => None,
                    }
                }
            }

            impl<E> From<reqwest::header::InvalidHeaderValue> for Error<E> {
                fn from(error: reqwest::header::InvalidHeaderValue) -> Self {
                    Self::InvalidRequest(format!("a header parameter is not a valid header value: {error}"))
                }
            }

            /// At most 512 bytes of a body, for messages.
            fn excerpt(body: &str) -> &str {
                match body.char_indices().nth(512) {
                    Some((end, _)) => &body[..end],
                    None => body,
                }
            }

            pub(crate) async fn decode_success<T: serde::de::DeserializeOwned, E>(
                response: reqwest::Response,
            ) -> Result<ResponseValue<T>, Error<E>> {
                let status = response.status();
                let headers = response.headers().clone();
                let body = response.bytes().await?;
                match serde_json::from_slice(&body) {
                    Ok(value) => Ok(ResponseValue::new(value, status, headers)),
                    Err(source) => {
                        let body = String::from_utf8_lossy(&body).into_owned();
                        Err(Error::InvalidResponsePayload { status, headers, body, source })
                    }
                }
            }

            pub(crate) async fn decode_error<E: serde::de::DeserializeOwned>(response: reqwest::Response) -> Error<E> {
                match decode_success(response).await {
                    Ok(value) => Error::ErrorResponse(value),
                    Err(error) => error,
                }
            }

            pub(crate) async fn undocumented<E>(response: reqwest::Response) -> Error<E> {
                let status = response.status();
                let headers = response.headers().clone();
                match response.bytes().await {
                    Ok(body) => Error::UnexpectedResponse {
                        status,
                        headers,
                        body: String::from_utf8_lossy(&body).into_owned(),
                    },
                    Err(error) => Error::Communication(error),
                }
            }
        }
    }
}

/// `mod nullable`: absent, `null` or a value, for optional nullable fields.
pub(crate) fn nullable_module() -> TokenStream {
    quote! {
        /// Fields that can be left out, sent as `null`, or sent with a value.
        pub mod nullable {
            /// An optional, nullable field. In an update, `Absent` leaves the
            /// stored value alone, `Null` clears it and `Value` replaces it.
            #[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
            pub enum Nullable<T> {
                /// Not sent.
                #[default]
                Absent,
                /// Sent as JSON `null`.
                Null,
                /// Sent with this value.
                Value(T),
            }

            impl<T> Nullable<T> {
                /// Whether the field is left out (used to skip it when serialising).
                pub fn is_absent(&self) -> bool {
                    matches!(self, Self::Absent)
                }

                /// Whether the field is an explicit `null`.
                pub fn is_null(&self) -> bool {
                    matches!(self, Self::Null)
                }

                /// The value, if there is one.
                pub fn value(&self) -> Option<&T> {
                    match self {
                        Self::Value(value) => Some(value),
                        Self::Absent | Self::Null => None,
                    }
                }
            }

            impl<T> From<T> for Nullable<T> {
                fn from(value: T) -> Self {
                    Self::Value(value)
                }
            }

            impl<T: serde::Serialize> serde::Serialize for Nullable<T> {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    match self {
                        Self::Value(value) => value.serialize(serializer),
                        Self::Absent | Self::Null => serializer.serialize_none(),
                    }
                }
            }

            impl<'de, T: serde::Deserialize<'de>> serde::Deserialize<'de> for Nullable<T> {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    Option::<T>::deserialize(deserializer).map(|value| value.map_or(Self::Null, Self::Value))
                }
            }
        }
    }
}
