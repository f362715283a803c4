//! `mod auth`: a credential type per `securitySchemes` entry, and
//! `Credentials::apply`, which gives each operation exactly the credentials
//! its `security` asks for and fails closed for an operation it does not
//! know.
//!
//! When the spec has schemes applied at call time (bearer tokens of HTTP
//! bearer, OAuth 2.0 and OpenID Connect schemes, which a
//! `client_runtime::TokenProvider` gives and can refresh; API keys in the
//! query or a cookie), `apply` takes the whole request (a query key goes
//! into its URL through `client_runtime::api_key_query`, which keeps it out
//! of every URL an error shows) and says which token provider, with which
//! scopes, the `pre` hook asks for a bearer token. A spec with header
//! credentials only gets the header-only `apply`, built before the base URL
//! is known.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, ClientAuthentication, Scheme, SchemeKind, Security, names::ident};

pub(crate) fn auth_module(api: &Api) -> TokenStream {
    let schemes = &api.schemes;
    let credential_types = schemes.iter().map(credential_type);
    let fields: Vec<_> = schemes.iter().map(|s| ident(&s.field)).collect();
    let types: Vec<_> = schemes.iter().map(|s| ident(&s.type_name)).collect();
    let keys: Vec<_> = schemes.iter().map(|s| s.key.as_str()).collect();
    let tokens = api.has_call_time_schemes();
    let is_token = |i: usize| schemes[i].kind.is_token();
    let done = if tokens {
        quote!(Ok(None))
    } else {
        quote!(Ok(()))
    };
    // Where header credentials go: the header map, or the request's.
    let header_map = if tokens {
        quote!(request.headers_mut())
    } else {
        quote!(headers)
    };
    let sends: Vec<TokenStream> = schemes
        .iter()
        .zip(&fields)
        .map(|(scheme, field)| send(scheme, field, &header_map))
        .collect();

    let arms = api.operations.iter().map(|operation| {
        let method = &operation.method_name;
        let Security::AnyOf(alternatives) = &operation.security else {
            return quote!(#method => #done,);
        };
        let needs = alternatives
            .iter()
            .map(|a| a.iter().map(|&i| keys[i]).collect::<Vec<_>>().join(" + "))
            .collect::<Vec<_>>()
            .join(" or ");
        let tries = alternatives
            .iter()
            .filter(|a| !a.is_empty())
            .map(|alternative| {
                let all: Vec<_> = alternative.iter().map(|&i| &fields[i]).collect();
                let sent = alternative.iter().map(|&i| &sends[i]);
                // A request carries one bearer token: the first scheme's.
                let success = match alternative.iter().find(|&&i| is_token(i)) {
                    Some(&i) => {
                        let field = &fields[i];
                        let scopes = operation.scopes.get(&i).cloned().unwrap_or_default();
                        quote!(Ok(Some((#field, &[#(#scopes),*]))))
                    }
                    None => done.clone(),
                };
                quote! {
                    if let (#(Some(#all),)*) = (#(&self.#all,)*) {
                        #(#sent)*
                        return #success;
                    }
                }
            });
        let otherwise = if operation.security.needs_credentials() {
            quote!(Err(MissingCredentials { operation: operation_id, needs: #needs }))
        } else {
            done.clone()
        };
        quote! {
            #method => {
                #(#tries)*
                #otherwise
            }
        }
    });
    let uses_target = api.operations.iter().any(
        |o| matches!(&o.security, Security::AnyOf(a) if a.iter().flatten().any(|&i| !is_token(i))),
    );
    let target_param = match (tokens, uses_target) {
        (true, true) => quote!(request: &mut reqwest::Request),
        (true, false) => quote!(_request: &mut reqwest::Request),
        (false, true) => quote!(headers: &mut HeaderMap),
        (false, false) => quote!(_headers: &mut HeaderMap),
    };
    let field_docs = schemes.iter().map(|s| match s.kind {
        SchemeKind::Bearer | SchemeKind::OAuth2 { .. } => {
            format!("The `{}` token provider, if configured.", s.key)
        }
        SchemeKind::QueryKey { .. } => format!("The `{}` query key, if configured.", s.key),
        SchemeKind::CookieKey { .. } => format!("The `{}` cookie, if configured.", s.key),
        _ => format!("The `{}` header value, if configured.", s.key),
    });
    let field_types = schemes.iter().map(|s| match s.kind {
        SchemeKind::Bearer | SchemeKind::OAuth2 { .. } => {
            quote!(Option<std::sync::Arc<dyn client_runtime::TokenProvider>>)
        }
        SchemeKind::QueryKey { .. } => quote!(Option<Secret>),
        _ => quote!(Option<HeaderValue>),
    });
    let field_inits = schemes.iter().zip(&fields).map(|(s, field)| {
        let key = &s.key;
        let invalid = if tokens {
            quote!(client_runtime::BuildError::InvalidCredentials { scheme: #key })
        } else {
            quote!(#key)
        };
        match s.kind {
            SchemeKind::Bearer | SchemeKind::OAuth2 { .. } => {
                quote!(#field.map(|c| c.token_provider(base_url)).transpose()?)
            }
            SchemeKind::QueryKey { .. } => quote!(#field.map(|c| c.key().clone())),
            _ => quote!(#field.map(|c| c.header_value().map_err(|_| #invalid)).transpose()?),
        }
    });
    // Clippy's limit is seven arguments; a spec may have more schemes.
    let many_schemes = (schemes.len() + usize::from(tokens) > 7).then(|| {
        quote!(#[allow(clippy::too_many_arguments, reason = "one argument per security scheme")])
    });
    let credentials_doc = if tokens {
        quote! {
            /// The credentials a [`crate::Client`] holds: sensitive header
            /// values, query keys and token providers.
        }
    } else {
        quote! {
            /// The credentials a [`crate::Client`] holds, as sensitive header values.
        }
    };
    let (new_params, new_output) = if tokens {
        (
            quote!(base_url: &client_runtime::BaseUrl),
            quote!(Result<Self, client_runtime::BuildError>),
        )
    } else {
        (quote!(), quote!(Result<Self, &'static str>))
    };
    let new_doc = if tokens {
        quote! {
            /// Each scheme's credential turned into what the request
            /// carries; token URLs relative to the server are resolved
            /// against `base_url`.
        }
    } else {
        quote! {
            /// Each scheme's credential turned into its header value; the
            /// error names the scheme whose value a header cannot carry.
        }
    };
    let (apply_doc, apply_output, token_request) = if tokens {
        (
            quote! {
                /// Adds the credentials `operation_id`'s `security` asks for
                /// (headers, query keys, cookies) and gives the token
                /// provider and scopes of its OAuth 2.0 scheme, if it takes
                /// one, or says which credentials are missing. An operation
                /// this client was not generated for gets none and fails.
            },
            quote!(Result<Option<TokenRequest<'_>>, MissingCredentials>),
            quote! {
                /// The token provider an operation's OAuth 2.0 scheme asks,
                /// and the scopes it asks for.
                pub(crate) type TokenRequest<'a> = (
                    &'a std::sync::Arc<dyn client_runtime::TokenProvider>,
                    &'static [&'static str],
                );
            },
        )
    } else {
        (
            quote! {
                /// Adds the headers `operation_id`'s `security` asks for, or
                /// says which credentials are missing. An operation this
                /// client was not generated for gets none and fails.
            },
            quote!(Result<(), MissingCredentials>),
            quote!(),
        )
    };

    quote! {
        /// Credentials for the spec's `securitySchemes`.
        ///
        /// Each scheme has its own type; give the ones you have to
        /// [`crate::ClientBuilder`]. Secrets never appear in
        /// `Debug` output and their header values are marked sensitive.
        pub mod auth {
            #[allow(unused_imports)]
            use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue, InvalidHeaderValue};

            pub use client_runtime::{MissingCredentials, Secret};

            #(#credential_types)*

            #token_request

            #credentials_doc
            #[derive(Clone, Default)]
            pub(crate) struct Credentials {
                #(#[doc = #field_docs] #fields: #field_types,)*
            }

            impl std::fmt::Debug for Credentials {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    let mut set = f.debug_set();
                    #(if self.#fields.is_some() { set.entry(&#keys); })*
                    set.finish()
                }
            }

            impl Credentials {
                #new_doc
                #many_schemes
                pub(crate) fn new(#(#fields: Option<&#types>,)* #new_params) -> #new_output {
                    Ok(Self {
                        #(#fields: #field_inits,)*
                    })
                }

                #apply_doc
                pub(crate) fn apply(&self, operation_id: &'static str, #target_param) -> #apply_output {
                    match operation_id {
                        #(#arms)*
                        _ => Err(MissingCredentials {
                            operation: operation_id,
                            needs: "credentials of an operation this client was not generated for",
                        }),
                    }
                }
            }
        }
    }
}

/// What `apply` does with scheme `field`'s credential (bound by that name)
/// for a request, whose headers are `header_map`: a header, a query key,
/// a cookie, or nothing (a token comes later, from its provider).
fn send(scheme: &Scheme, field: &proc_macro2::Ident, header_map: &TokenStream) -> TokenStream {
    match &scheme.kind {
        SchemeKind::Basic => quote!(#header_map.insert(AUTHORIZATION, #field.clone());),
        SchemeKind::HeaderKey { header, .. } => {
            quote!(#header_map.insert(HeaderName::from_static(#header), #field.clone());)
        }
        SchemeKind::QueryKey { name } => {
            quote!(client_runtime::api_key_query(request, #name, #field);)
        }
        SchemeKind::CookieKey { .. } => quote!(client_runtime::add_cookie(#header_map, #field);),
        SchemeKind::Bearer | SchemeKind::OAuth2 { .. } => quote!(),
    }
}

fn credential_type(scheme: &Scheme) -> TokenStream {
    let name = ident(&scheme.type_name);
    let key = &scheme.key;
    let description = scheme
        .description
        .as_deref()
        .map(|d| format!("\n\n{d}"))
        .unwrap_or_default();
    match &scheme.kind {
        SchemeKind::Basic => {
            let doc = format!("HTTP Basic credentials (`{key}`).{description}");
            quote! {
                #[doc = #doc]
                #[derive(Clone, Debug)]
                pub struct #name {
                    username: String,
                    password: Secret,
                }

                impl #name {
                    /// Credentials from a username and a password.
                    pub fn new(username: impl Into<String>, password: impl Into<Secret>) -> Self {
                        Self { username: username.into(), password: password.into() }
                    }

                    fn header_value(&self) -> Result<HeaderValue, InvalidHeaderValue> {
                        client_runtime::basic_auth_header(&self.username, &self.password)
                    }
                }
            }
        }
        SchemeKind::Bearer => token_type(
            &name,
            &format!("An HTTP Bearer token (`{key}`)"),
            &description,
            None,
        ),
        SchemeKind::HeaderKey {
            header,
            parts,
            separator,
        } if !parts.is_empty() => {
            let doc = format!(
                "An API key sent in the `{header}` header (`{key}`), made of {}.{description}",
                parts.join(" and ")
            );
            let parts: Vec<_> = parts
                .iter()
                .map(|p| ident(&crate::model::names::field_name(p)))
                .collect();
            let join = parts
                .iter()
                .map(|_| "{}")
                .collect::<Vec<_>>()
                .join(&separator.replace('{', "{{").replace('}', "}}"));
            quote! {
                #[doc = #doc]
                #[derive(Clone, Debug)]
                pub struct #name {
                    #(#parts: Secret,)*
                }

                impl #name {
                    /// The key from its parts.
                    pub fn new(#(#parts: impl Into<Secret>),*) -> Self {
                        Self { #(#parts: #parts.into(),)* }
                    }

                    fn header_value(&self) -> Result<HeaderValue, InvalidHeaderValue> {
                        client_runtime::sensitive_header(format!(#join, #(self.#parts.expose()),*))
                    }
                }
            }
        }
        SchemeKind::QueryKey { name: parameter } => {
            let doc = format!(
                "An API key sent in the query string as `{parameter}` (`{key}`). Every URL an error shows has it replaced by `***`, and traces record no URL.{description}"
            );
            quote! {
                #[doc = #doc]
                #[derive(Clone, Debug)]
                pub struct #name(Secret);

                impl #name {
                    /// The key.
                    pub fn new(key: impl Into<Secret>) -> Self {
                        Self(key.into())
                    }

                    fn key(&self) -> &Secret {
                        &self.0
                    }
                }
            }
        }
        SchemeKind::CookieKey { name: cookie } => {
            let doc = format!(
                "An API key sent in the `{cookie}` cookie (`{key}`); the `Cookie` header is marked sensitive.{description}"
            );
            quote! {
                #[doc = #doc]
                #[derive(Clone, Debug)]
                pub struct #name(Secret);

                impl #name {
                    /// The key.
                    pub fn new(key: impl Into<Secret>) -> Self {
                        Self(key.into())
                    }

                    fn header_value(&self) -> Result<HeaderValue, client_runtime::InvalidCookie> {
                        client_runtime::api_key_cookie(#cookie, &self.0)
                    }
                }
            }
        }
        SchemeKind::OAuth2 {
            token_url,
            client_authentication,
            openid_connect_url,
        } => {
            let kind = match openid_connect_url {
                Some(url) => format!(
                    "OpenID Connect access tokens (`{key}`; discovery document `{url}`, not fetched: give a [`client_runtime::TokenProvider`] that knows the provider's token endpoint to [`Self::provider`])"
                ),
                None => format!("OAuth 2.0 access tokens (`{key}`)"),
            };
            let flow = token_url
                .as_deref()
                .map(|url| client_credentials(url, *client_authentication));
            token_type(&name, &kind, &description, flow)
        }
        SchemeKind::HeaderKey { header, .. } => {
            let doc = format!("An API key sent in the `{header}` header (`{key}`).{description}");
            quote! {
                #[doc = #doc]
                #[derive(Clone, Debug)]
                pub struct #name(Secret);

                impl #name {
                    /// The key.
                    pub fn new(key: impl Into<Secret>) -> Self {
                        Self(key.into())
                    }

                    fn header_value(&self) -> Result<HeaderValue, InvalidHeaderValue> {
                        client_runtime::sensitive_header(self.0.expose().to_string())
                    }
                }
            }
        }
    }
}

/// `TOKEN_URL` and `client_credentials`: the client credentials flow at the
/// spec's `tokenUrl` (resolved against the client's base URL when the spec
/// gives it relative to the server, so a regional server gets its own
/// region's token endpoint), authenticating by `authentication`.
fn client_credentials(url: &str, authentication: ClientAuthentication) -> TokenStream {
    let url_doc = format!(
        "The spec's token URL for the client credentials flow: `{url}` (a relative URL is resolved against the client's base URL when it is built)."
    );
    let (method, how) = match authentication {
        ClientAuthentication::Basic => (
            quote!(Basic),
            "authenticating with HTTP Basic (`client_secret_basic`)",
        ),
        ClientAuthentication::RequestBody => (
            quote!(RequestBody),
            "sending the client id and secret in the form body (`client_secret_post`, as the spec's `x-token-endpoint-auth-method` says)",
        ),
    };
    let flow_doc = format!(
        "Tokens from the client credentials flow at [`Self::TOKEN_URL`], {how}, cached and refreshed before they expire. A token URL that is not `https` (or `http` to a loopback address) fails [`crate::ClientBuilder::build`]. For another token URL or other settings, give a [`client_runtime::OAuth2ClientCredentials`] to [`Self::provider`]."
    );
    quote! {
        #[doc = #url_doc]
        pub const TOKEN_URL: &'static str = #url;

        #[doc = #flow_doc]
        pub fn client_credentials(
            client_id: impl Into<String>,
            client_secret: impl Into<Secret>,
        ) -> Self {
            Self(client_runtime::TokenCredential::client_credentials(
                Self::TOKEN_URL,
                client_id,
                client_secret,
                client_runtime::ClientAuthentication::#method,
            ))
        }
    }
}

/// A bearer-token scheme's credential (HTTP bearer, OAuth 2.0, OpenID
/// Connect): a `client_runtime::TokenCredential`, whose provider is asked
/// for a token with the operation's scopes before each call: a fixed token
/// (`new`), any provider (`provider`), or, with `flow`, the client
/// credentials flow at the spec's `tokenUrl`. `kind` opens its docs.
fn token_type(
    name: &proc_macro2::Ident,
    kind: &str,
    description: &str,
    flow: Option<TokenStream>,
) -> TokenStream {
    let doc = format!(
        "{kind}, sent as `Authorization: Bearer <token>`. Tokens come from a [`client_runtime::TokenProvider`], asked before each call with the operation's scopes; after a `401` the client asks for a new token and resends once.{description}"
    );
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name(client_runtime::TokenCredential);

        impl #name {
            /// A token obtained elsewhere, sent as is.
            pub fn new(token: impl Into<Secret>) -> Self {
                Self::provider(client_runtime::StaticToken::new(token))
            }

            /// Tokens from `provider`: [`client_runtime::OAuth2ClientCredentials`],
            /// [`client_runtime::OAuth2RefreshToken`] or your own.
            pub fn provider(provider: impl client_runtime::TokenProvider + 'static) -> Self {
                Self(client_runtime::TokenCredential::provider(provider))
            }

            #flow

            fn token_provider(
                &self,
                base_url: &client_runtime::BaseUrl,
            ) -> Result<std::sync::Arc<dyn client_runtime::TokenProvider>, client_runtime::BuildError> {
                self.0.token_provider(base_url)
            }
        }

        impl From<client_runtime::OAuth2ClientCredentials> for #name {
            fn from(provider: client_runtime::OAuth2ClientCredentials) -> Self {
                Self::provider(provider)
            }
        }

        impl From<client_runtime::OAuth2RefreshToken> for #name {
            fn from(provider: client_runtime::OAuth2RefreshToken) -> Self {
                Self::provider(provider)
            }
        }
    }
}
