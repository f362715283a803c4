//! `ClientState` (what a `Client` holds besides progenitor's fields) and the
//! `ClientHooks` implementation progenitor's `HooksMode::Expected` requires:
//! `pre` checks the path, sets `User-Agent`, drops progenitor's
//! `api-version` header and applies credentials; `exec` sends through the
//! runtime's transport policy.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;

pub(crate) fn hooks(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(|o| o.method_name.as_str());
    let templates = api.operations.iter().map(|o| o.path.as_str());
    quote! {
        /// What a [`Client`] holds besides its base URL and HTTP client: its
        /// credentials and transport settings. Made by [`ClientBuilder`].
        #[derive(Clone, Debug)]
        pub struct ClientState {
            credentials: auth::Credentials,
            base_url: client_runtime::BaseUrl,
            settings: client_runtime::HttpSettings,
        }

        /// Shows the base URL (userinfo redacted), which credentials are set
        /// (never their values) and the transport settings.
        impl std::fmt::Debug for Client {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.debug_tuple("Client").field(&self.inner).finish()
            }
        }

        impl progenitor_client::ClientHooks<ClientState> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &progenitor_client::OperationInfo,
            ) -> Result<(), progenitor_client::Error<E>> {
                let template = match info.operation_id {
                    #(#methods => #templates,)*
                    unknown => {
                        return Err(progenitor_client::Error::InvalidRequest(format!(
                            "operation `{unknown}` is not one this client was generated for"
                        )));
                    }
                };
                client_runtime::check_path(self.inner.base_url.as_str(), template, request.url())
                    .map_err(progenitor_client::Error::InvalidRequest)?;
                let headers = request.headers_mut();
                headers.remove("api-version");
                headers.insert(
                    reqwest::header::USER_AGENT,
                    reqwest::header::HeaderValue::from_static(concat!(
                        env!("CARGO_PKG_NAME"),
                        "/",
                        env!("CARGO_PKG_VERSION")
                    )),
                );
                self.inner
                    .credentials
                    .apply(info.operation_id, headers)
                    .map_err(client_runtime::missing_credentials)
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                _info: &progenitor_client::OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                client_runtime::execute(&self.client, request, self.inner.settings.max_response_bytes).await
            }
        }
    }
}
