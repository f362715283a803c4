//! `ClientBuilder`: base URL or server, credentials, timeouts, response
//! limits, retry policy and idempotency header; the transport itself (TLS,
//! redirect policy, base URL checks, retries) is `client-runtime`'s, shared
//! by every client. Also the re-exports a caller of the builder needs:
//! `reqwest` (the version the crate was built against, for
//! `http_client` and headers) and the per-call and retry types.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, names::ident};

pub(crate) fn client_builder(api: &Api) -> TokenStream {
    let fields: Vec<_> = api.schemes.iter().map(|s| ident(&s.field)).collect();
    let types: Vec<_> = api.schemes.iter().map(|s| ident(&s.type_name)).collect();
    let setter_docs = api.schemes.iter().map(|s| {
        if s.kind.is_token() {
            format!(
                "Credentials for the `{}` security scheme: an `auth` value, or a token provider such as `client_runtime::OAuth2ClientCredentials`.",
                s.key
            )
        } else {
            format!("Credentials for the `{}` security scheme.", s.key)
        }
    });
    // Bearer-token setters also take the runtime's providers (`From`).
    let setter_params = api.schemes.iter().zip(&types).map(|(s, ty)| {
        if s.kind.is_token() {
            quote!(impl Into<auth::#ty>)
        } else {
            quote!(auth::#ty)
        }
    });
    let setter_values = api.schemes.iter().map(|s| {
        if s.kind.is_token() {
            quote!(credentials.into())
        } else {
            quote!(credentials)
        }
    });
    // Call-time credentials (token providers) are made once the base URL
    // is known: a token URL may be relative to it.
    let make_credentials = if api.has_call_time_schemes() {
        quote! {
            let connection = self.config.build(PRODUCT)?;
            let credentials = auth::Credentials::new(#(self.#fields.as_ref(),)* &connection.base_url)?;
        }
    } else {
        quote! {
            let credentials = auth::Credentials::new(#(self.#fields.as_ref()),*)
                .map_err(|scheme| BuildError::InvalidCredentials { scheme })?;
            let connection = self.config.build(PRODUCT)?;
        }
    };
    let (default_url, server_setter) = if api.servers.is_empty() {
        (quote!(None), quote!())
    } else {
        (
            quote!(Some(servers::Server::default().url())),
            quote! {
                /// Sends requests to one of the spec's servers.
                pub fn server(mut self, server: servers::Server) -> Self {
                    self.config.set_base_url(server.url());
                    self
                }
            },
        )
    };
    let default_docs = if api.servers.is_empty() {
        "Defaults: no base URL (set one with [`ClientBuilder::base_url`]),"
    } else {
        "Defaults: the spec's first server,"
    };

    quote! {
        /// The `reqwest` this crate was built against: build a client for
        /// [`ClientBuilder::http_client`], or headers for [`CallOptions`],
        /// with it, whatever version your own crate uses.
        pub use reqwest;
        pub use client_runtime::{CallOptions, RetryPolicy, RetryStop};
        /// The transport settings a client built here starts from: with
        /// [`HttpSettings::client_builder`] a `reqwest::Client` shared by
        /// several clients keeps this crate's timeouts and redirect policy,
        /// without a direct dependency on the runtime crate.
        pub use client_runtime::{HttpSettings, redirect_policy};

        /// Configures and builds a [`Client`].
        ///
        #[doc = #default_docs]
        /// HTTPS through rustls, no credentials, and
        /// [`HttpSettings::default`]:
        ///
        /// - a 30 s timeout for each attempt and 10 s for connecting;
        /// - response bodies up to 16 MiB;
        /// - no redirect to another origin;
        /// - retries by [`RetryPolicy::new`]: at most 3 attempts, backoff
        ///   from 200 ms doubling up to 5 s with full jitter, `Retry-After`
        ///   honoured, 60 s for the whole call. A failed connection and
        ///   `429`/`503` are retried for every method; other `5xx` and
        ///   broken answers only for idempotent ones (`GET`, `PUT`,
        ///   `DELETE`, …), so a `POST` or `PATCH` the API may have applied
        ///   is never sent twice (see [`RetryPolicy`]);
        /// - no idempotency key header (none of the vendors documents one).
        ///
        /// Each call runs in a `tracing` span (`call`, with the operation
        /// id, method, path template, attempts, status and latency; never a
        /// header value, body or secret).
        #[derive(Clone, Debug)]
        pub struct ClientBuilder {
            config: client_runtime::ClientConfig,
            #(#fields: Option<auth::#types>,)*
        }

        impl Default for ClientBuilder {
            fn default() -> Self {
                Self {
                    config: client_runtime::ClientConfig::new(#default_url),
                    #(#fields: None,)*
                }
            }
        }

        impl ClientBuilder {
            #server_setter

            /// Sends requests to any base URL (scheme, host, optional port and
            /// path prefix); a trailing `/` is ignored.
            pub fn base_url(mut self, base_url: impl Into<String>) -> Self {
                self.config.set_base_url(base_url.into());
                self
            }

            /// Limits each attempt, from connecting to the last byte of the
            /// body (a client given to [`ClientBuilder::http_client`] keeps its
            /// own; [`CallOptions::timeout`] overrides either for one call).
            pub fn timeout(mut self, timeout: std::time::Duration) -> Self {
                self.config.settings.timeout = timeout;
                self
            }

            /// Limits connecting, TLS included.
            pub fn connect_timeout(mut self, timeout: std::time::Duration) -> Self {
                self.config.settings.connect_timeout = timeout;
                self
            }

            /// Refuses response bodies larger than this many bytes, while
            /// they stream in (a larger answer is an error that keeps its status).
            pub fn max_response_bytes(mut self, limit: u64) -> Self {
                self.config.settings.max_response_bytes = limit;
                self
            }

            /// Uses this `reqwest::Client` (to share a connection pool, or for
            /// proxies and custom TLS); build it with the re-exported
            /// [`reqwest`]. Its timeouts and **redirect policy**
            /// are then yours: reqwest's default follows redirects to any
            /// origin with custom credential headers and request bodies.
            /// Start from [`HttpSettings::client_builder`] (or set
            /// [`redirect_policy`]) to keep this crate's.
            /// The retry policy (its budget included) and the response size
            /// limit still hold. Its own `User-Agent` is kept, with this
            /// crate's product token after it.
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.config.set_http_client(client);
                self
            }

            /// Retries failed attempts by `policy`; [`RetryPolicy::disabled`]
            /// turns retries off. A call can override it with
            /// [`CallOptions::retry`].
            pub fn retry(mut self, policy: RetryPolicy) -> Self {
                self.config.settings.retry = policy;
                self
            }

            /// Sends a fresh idempotency key in header `name` with every
            /// `POST` and `PATCH` (the same key on each of a call's attempts),
            /// and retries them like idempotent requests. Only for an API
            /// that documents such a header: one that ignores it could apply a
            /// retried request twice.
            pub fn idempotency_header(mut self, name: reqwest::header::HeaderName) -> Self {
                self.config.settings.idempotency_header = Some(name);
                self
            }

            #(
                #[doc = #setter_docs]
                pub fn #fields(mut self, credentials: #setter_params) -> Self {
                    self.#fields = Some(#setter_values);
                    self
                }
            )*

            /// Checks the configuration and builds the client.
            pub fn build(self) -> Result<Client, BuildError> {
                #make_credentials
                Ok(Client {
                    baseurl: connection.base_url.as_str().to_string(),
                    client: connection.client,
                    inner: ClientState {
                        credentials,
                        base_url: connection.base_url,
                        settings: connection.settings,
                        user_agent: connection.user_agent,
                    },
                })
            }
        }

        impl Client {
            /// Starts configuring a client.
            pub fn builder() -> ClientBuilder {
                ClientBuilder::default()
            }
        }
    }
}
