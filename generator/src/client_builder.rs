//! `ClientBuilder`: base URL or server, credentials, timeouts, TLS; it
//! replaces progenitor's `Client::new`, which panics and takes no credentials.

use proc_macro2::TokenStream;
use quote::quote;

use crate::auth::{Scheme, Security};

pub(crate) fn client_builder(security: &Security, has_servers: bool) -> TokenStream {
    let fields: Vec<_> = security.schemes.iter().map(Scheme::field).collect();
    let types: Vec<_> = security.schemes.iter().map(Scheme::type_name).collect();
    let setter_docs = security
        .schemes
        .iter()
        .map(|s| format!("Credentials for the `{}` security scheme.", s.key));
    let (default_url, server_setter) = if has_servers {
        (
            quote!(Some(servers::Server::default().url())),
            quote! {
                /// Sends requests to one of the spec's servers.
                pub fn server(mut self, server: servers::Server) -> Self {
                    self.base_url = Some(server.url());
                    self
                }
            },
        )
    } else {
        (quote!(None), quote!())
    };

    quote! {
        /// Configures and builds a [`Client`].
        ///
        /// Defaults: the spec's first server, a 30 s request timeout, a 10 s
        /// connect timeout, HTTPS through rustls, and no credentials.
        #[derive(Clone, Debug)]
        pub struct ClientBuilder {
            base_url: Option<String>,
            timeout: std::time::Duration,
            connect_timeout: std::time::Duration,
            http_client: Option<reqwest::Client>,
            #(#fields: Option<auth::#types>,)*
        }

        impl Default for ClientBuilder {
            fn default() -> Self {
                Self {
                    base_url: #default_url,
                    timeout: std::time::Duration::from_secs(30),
                    connect_timeout: std::time::Duration::from_secs(10),
                    http_client: None,
                    #(#fields: None,)*
                }
            }
        }

        impl ClientBuilder {
            #server_setter

            /// Sends requests to any base URL (scheme, host, optional port and
            /// path prefix); a trailing `/` is ignored.
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.base_url = Some(base_url.into());
                self
            }

            /// Limits each whole request, from connecting to the last byte of the body.
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.timeout = timeout;
                self
            }

            /// Limits connecting, TLS included.
            pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.connect_timeout = timeout;
                self
            }

            /// Uses this `reqwest::Client` (to share a connection pool, or
            /// for proxies and custom TLS); the builder's timeouts then do not apply.
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.http_client = Some(client);
                self
            }

            #(
                #[doc = #setter_docs]
                pub fn #fields(mut self, credentials: auth::#types) -> Self {
                    self.#fields = Some(credentials);
                    self
                }
            )*

            /// Checks the configuration and builds the client.
            pub fn build(self) -> Result<Client, BuildError> {
                let base_url = self.base_url.ok_or(BuildError::MissingBaseUrl)?;
                let parsed = reqwest::Url::parse(&base_url).map_err(|error| BuildError::InvalidBaseUrl {
                    reason: error.to_string(),
                    url: base_url.clone(),
                })?;
                if !matches!(parsed.scheme(), "http" | "https") {
                    return Err(BuildError::InvalidBaseUrl {
                        reason: "the scheme must be http or https".into(),
                        url: base_url,
                    });
                }
                let inner = auth::header_values(#(self.#fields.as_ref()),*)
                    .map_err(|scheme| BuildError::InvalidCredentials { scheme })?;
                let client = match self.http_client {
                    Some(client) => client,
                    None => reqwest::Client::builder()
                        .timeout(self.timeout)
                        .connect_timeout(self.connect_timeout)
                        .build()
                        .map_err(BuildError::Http)?,
                };
                Ok(Client {
                    baseurl: base_url.trim_end_matches('/').to_string(),
                    client,
                    inner,
                })
            }
        }

        /// Why a [`ClientBuilder`] could not build a client.
        #[derive(Debug, thiserror::Error)]
        #[non_exhaustive]
        pub enum BuildError {
            /// No server or base URL was given and the spec lists none.
            #[error("no base URL: call ClientBuilder::base_url")]
            MissingBaseUrl,
            /// The base URL is not an absolute http(s) URL.
            #[error("base URL `{url}` is not valid: {reason}")]
            InvalidBaseUrl {
                /// The URL as given.
                url: String,
                /// What is wrong with it.
                reason: String,
            },
            /// A credential contains characters a header cannot carry.
            #[error("the `{scheme}` credentials contain characters that are not allowed in an HTTP header")]
            InvalidCredentials {
                /// The security scheme, as the spec names it.
                scheme: &'static str,
            },
            /// The HTTP client could not be created (TLS initialisation).
            #[error("could not create the HTTP client: {0}")]
            Http(#[source] reqwest::Error),
        }

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }
        }
    }
}
