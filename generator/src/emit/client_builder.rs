//! `ClientBuilder`: base URL or server, credentials, timeouts and response
//! limits; the transport itself (TLS, redirect policy, base URL checks) is
//! `client-runtime`'s, shared by every client.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, names::ident};

pub(crate) fn client_builder(api: &Api) -> TokenStream {
    let fields: Vec<_> = api.schemes.iter().map(|s| ident(&s.field)).collect();
    let types: Vec<_> = api.schemes.iter().map(|s| ident(&s.type_name)).collect();
    let setter_docs = api
        .schemes
        .iter()
        .map(|s| format!("Credentials for the `{}` security scheme.", s.key));
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
        /// Configures and builds a [`Client`].
        ///
        #[doc = #default_docs]
        /// [`client_runtime::HttpSettings::default`] (timeouts, response size
        /// limit, no cross-origin redirects), HTTPS through rustls, and no credentials.
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

            /// Limits each whole request, from connecting to the last byte of the body.
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
            /// proxies and custom TLS). Its timeouts and **redirect policy**
            /// are then yours: reqwest's default follows redirects to any
            /// origin with custom credential headers and request bodies.
            /// Start from [`client_runtime::HttpSettings::client_builder`] (or
            /// set [`client_runtime::redirect_policy`]) to keep this crate's.
            /// The response size limit still holds.
            pub fn http_client(mut self, client: reqwest::Client) -> Self {
                self.config.set_http_client(client);
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
                let credentials = auth::Credentials::new(#(self.#fields.as_ref()),*)
                    .map_err(|scheme| BuildError::InvalidCredentials { scheme })?;
                let connection = self.config.build()?;
                Ok(Client {
                    baseurl: connection.base_url.as_str().to_string(),
                    client: connection.client,
                    inner: ClientState {
                        credentials,
                        base_url: connection.base_url,
                        settings: connection.settings,
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
