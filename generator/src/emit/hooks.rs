//! `ClientState` (what a `Client` holds besides progenitor's fields), the
//! table of operations (`OPERATIONS`) that tracing, the hooks and the mocks
//! read, and the `ClientHooks` implementation progenitor's
//! `HooksMode::Expected` requires: `pre` prepares the request through
//! `client_runtime::prepare` (path check, `User-Agent`, per-call headers,
//! no `api-version`) and then applies credentials, so nothing can replace
//! them (with HTTP bearer, OAuth 2.0 or OpenID Connect schemes, a bearer token from the
//! operation's token provider, through `client_runtime::authorize_bearer`;
//! API keys in the query or a cookie through the runtime's `api_key_query`
//! and `add_cookie`); `exec` sends
//! through the runtime's retry policy, which resends once with a new token
//! after a `401`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;

pub(crate) fn hooks(api: &Api) -> TokenStream {
    let count = api.operations.len();
    let apply = if api.has_call_time_schemes() {
        quote! {
            let token = state
                .credentials
                .apply(info.operation_id, request)
                .map_err(client_runtime::missing_credentials)?;
            match token {
                Some((provider, scopes)) => client_runtime::authorize_bearer(request, provider, scopes).await,
                None => Ok(()),
            }
        }
    } else {
        quote! {
            state
                .credentials
                .apply(info.operation_id, request.headers_mut())
                .map_err(client_runtime::missing_credentials)
        }
    };
    let operations = api.operations.iter().map(|o| {
        let (id, method_name, method, path) = (&o.id, &o.method_name, &o.http_method, &o.path);
        quote! {
            client_runtime::Operation {
                client: env!("CARGO_PKG_NAME"),
                id: #id,
                method_name: #method_name,
                method: #method,
                path: #path,
            }
        }
    });
    quote! {
        /// Every operation, in spec order, as traces, hooks and mocks
        /// describe it; each builder's `send` names its own.
        static OPERATIONS: [client_runtime::Operation; #count] = [#(#operations),*];

        /// The `User-Agent` product token: this crate's name and version.
        const PRODUCT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));

        /// What a [`Client`] holds besides its base URL and HTTP client: its
        /// credentials, transport settings and retry policy. Made by [`ClientBuilder`].
        /// Public only because progenitor's `ClientInfo` names it: not part
        /// of the documented API.
        #[doc(hidden)]
        #[derive(Clone, Debug)]
        pub struct ClientState {
            credentials: auth::Credentials,
            base_url: client_runtime::BaseUrl,
            settings: client_runtime::HttpSettings,
            user_agent: reqwest::header::HeaderValue,
        }

        /// Shows the base URL (userinfo redacted), which credentials are set
        /// (never their values) and the transport settings.
        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple("Client").field(&self.inner).finish()
            }
        }

        /// How progenitor's code prepares and sends each request: an
        /// implementation detail, hidden from the documentation.
        #[doc(hidden)]
        impl progenitor_client::ClientHooks<ClientState> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                let state = &self.inner;
                client_runtime::prepare(request, info.operation_id, &state.base_url, &state.user_agent, &state.settings)
                    .map_err(progenitor_client::Error::InvalidRequest)?;
                #apply
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                client_runtime::execute(&self.client, request, &self.inner.settings).await
            }
        }
    }
}
