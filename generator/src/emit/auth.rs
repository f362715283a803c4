//! `mod auth`: a credential type per `securitySchemes` entry, and
//! `Credentials::apply`, which gives each operation exactly the headers its
//! `security` asks for and fails closed for an operation it does not know.
//! When the spec has OAuth 2.0 schemes, `apply` also says which token
//! provider, with which scopes, the `pre` hook asks for a bearer token; a
//! spec without them gets the header-only `apply`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Scheme, SchemeKind, Security, names::ident};

pub(crate) fn auth_module(api: &Api) -> TokenStream {
    let schemes = &api.schemes;
    let credential_types = schemes.iter().map(credential_type);
    let fields: Vec<_> = schemes.iter().map(|s| ident(&s.field)).collect();
    let types: Vec<_> = schemes.iter().map(|s| ident(&s.type_name)).collect();
    let keys: Vec<_> = schemes.iter().map(|s| s.key.as_str()).collect();
    let headers: Vec<TokenStream> = schemes.iter().map(header_name).collect();
    let tokens = api.has_token_schemes();
    let is_token = |i: usize| matches!(schemes[i].kind, SchemeKind::OAuth2 { .. });
    let done = if tokens {
        quote!(Ok(None))
    } else {
        quote!(Ok(()))
    };

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
                let (sent, names): (Vec<_>, Vec<_>) = alternative
                    .iter()
                    .filter(|&&i| !is_token(i))
                    .map(|&i| (&fields[i], &headers[i]))
                    .unzip();
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
                        #(headers.insert(#names, #sent.clone());)*
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
    let headers_param = if api.operations.iter().any(
        |o| matches!(&o.security, Security::AnyOf(a) if a.iter().flatten().any(|&i| !is_token(i))),
    ) {
        quote!(headers)
    } else {
        quote!(_headers)
    };
    let field_docs = schemes.iter().map(|s| match s.kind {
        SchemeKind::OAuth2 { .. } => format!("The `{}` token provider, if configured.", s.key),
        _ => format!("The `{}` header value, if configured.", s.key),
    });
    let field_types = schemes.iter().map(|s| match s.kind {
        SchemeKind::OAuth2 { .. } => {
            quote!(Option<std::sync::Arc<dyn client_runtime::TokenProvider>>)
        }
        _ => quote!(Option<HeaderValue>),
    });
    let field_inits = schemes.iter().zip(&fields).map(|(s, field)| {
        let key = &s.key;
        match s.kind {
            SchemeKind::OAuth2 { .. } => quote!(#field.map(|c| c.token_provider())),
            _ => quote!(#field.map(|c| c.header_value().map_err(|_| #key)).transpose()?),
        }
    });
    let (apply_doc, apply_output, token_request) = if tokens {
        (
            quote! {
                /// Adds the headers `operation_id`'s `security` asks for and
                /// gives the token provider and scopes of its OAuth 2.0
                /// scheme, if it takes one, or says which credentials are
                /// missing. An operation this client was not generated for
                /// gets none and fails.
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

            /// The credentials a [`crate::Client`] holds, as sensitive header values.
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
                /// Each scheme's credential turned into its header value; the
                /// error names the scheme whose value a header cannot carry.
                pub(crate) fn new(#(#fields: Option<&#types>,)*) -> Result<Self, &'static str> {
                    Ok(Self {
                        #(#fields: #field_inits,)*
                    })
                }

                #apply_doc
                pub(crate) fn apply(&self, operation_id: &'static str, #headers_param: &mut HeaderMap) -> #apply_output {
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

fn header_name(scheme: &Scheme) -> TokenStream {
    match &scheme.kind {
        SchemeKind::Basic | SchemeKind::Bearer | SchemeKind::OAuth2 { .. } => {
            quote!(AUTHORIZATION)
        }
        SchemeKind::HeaderKey { header, .. } => quote!(HeaderName::from_static(#header)),
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
        SchemeKind::Bearer => {
            let doc = format!("An HTTP Bearer token (`{key}`).{description}");
            quote! {
                #[doc = #doc]
                #[derive(Clone, Debug)]
                pub struct #name(Secret);

                impl #name {
                    /// A bearer token.
                    pub fn new(token: impl Into<Secret>) -> Self {
                        Self(token.into())
                    }

                    fn header_value(&self) -> Result<HeaderValue, InvalidHeaderValue> {
                        client_runtime::sensitive_header(format!("Bearer {}", self.0.expose()))
                    }
                }
            }
        }
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
        SchemeKind::OAuth2 { token_url } => {
            oauth2_type(&name, key, &description, token_url.as_deref())
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

/// An OAuth 2.0 scheme's credential: a shared `TokenProvider`, asked for a
/// token with the operation's scopes before each call; a fixed token, the
/// client credentials flow at the spec's `tokenUrl`, or any provider.
fn oauth2_type(
    name: &proc_macro2::Ident,
    key: &str,
    description: &str,
    token_url: Option<&str>,
) -> TokenStream {
    let doc = format!(
        "OAuth 2.0 access tokens (`{key}`), sent as `Authorization: Bearer <token>`. Tokens come from a [`client_runtime::TokenProvider`], asked before each call with the operation's scopes; after a `401` the client asks for a new token and resends once.{description}"
    );
    let client_credentials = token_url.map(|url| {
        let url_doc = format!("The spec's token URL for the client credentials flow: `{url}`.");
        quote! {
            #[doc = #url_doc]
            pub const TOKEN_URL: &'static str = #url;

            /// Tokens from the client credentials flow at
            /// [`Self::TOKEN_URL`], cached and refreshed before they
            /// expire. For another token URL or other settings, give a
            /// [`client_runtime::OAuth2ClientCredentials`] to
            /// [`Self::provider`].
            pub fn client_credentials(
                client_id: impl Into<String>,
                client_secret: impl Into<Secret>,
            ) -> Result<Self, client_runtime::BuildError> {
                client_runtime::OAuth2ClientCredentials::new(Self::TOKEN_URL, client_id, client_secret)
                    .map(Self::provider)
            }
        }
    });
    quote! {
        #[doc = #doc]
        #[derive(Clone, Debug)]
        pub struct #name(std::sync::Arc<dyn client_runtime::TokenProvider>);

        impl #name {
            /// A token obtained elsewhere, sent as is.
            pub fn new(token: impl Into<Secret>) -> Self {
                Self::provider(client_runtime::StaticToken::new(token))
            }

            /// Tokens from `provider`: [`client_runtime::OAuth2ClientCredentials`],
            /// [`client_runtime::OAuth2RefreshToken`] or your own.
            pub fn provider(provider: impl client_runtime::TokenProvider + 'static) -> Self {
                Self(std::sync::Arc::new(provider))
            }

            #client_credentials

            fn token_provider(&self) -> std::sync::Arc<dyn client_runtime::TokenProvider> {
                std::sync::Arc::clone(&self.0)
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
