//! `mod auth`: a credential type per `securitySchemes` entry, and
//! `Credentials::apply`, which gives each operation exactly the headers its
//! `security` asks for and fails closed for an operation it does not know.

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

    let arms = api.operations.iter().map(|operation| {
        let method = &operation.method_name;
        let Security::AnyOf(alternatives) = &operation.security else {
            return quote!(#method => Ok(()),);
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
                let fields: Vec<_> = alternative.iter().map(|&i| &fields[i]).collect();
                let names = alternative.iter().map(|&i| &headers[i]);
                quote! {
                    if let (#(Some(#fields),)*) = (#(&self.#fields,)*) {
                        #(headers.insert(#names, #fields.clone());)*
                        return Ok(());
                    }
                }
            });
        let otherwise = if operation.security.needs_credentials() {
            quote!(Err(MissingCredentials { operation: operation_id, needs: #needs }))
        } else {
            quote!(Ok(()))
        };
        quote! {
            #method => {
                #(#tries)*
                #otherwise
            }
        }
    });
    let headers_param = if api
        .operations
        .iter()
        .any(|o| matches!(&o.security, Security::AnyOf(a) if a.iter().any(|a| !a.is_empty())))
    {
        quote!(headers)
    } else {
        quote!(_headers)
    };
    let field_docs = keys
        .iter()
        .map(|k| format!("The `{k}` header value, if configured."));

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

            /// The credentials a [`crate::Client`] holds, as sensitive header values.
            #[derive(Clone, Default)]
            pub(crate) struct Credentials {
                #(#[doc = #field_docs] #fields: Option<HeaderValue>,)*
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
                        #(#fields: #fields.map(|c| c.header_value().map_err(|_| #keys)).transpose()?,)*
                    })
                }

                /// Adds the headers `operation_id`'s `security` asks for, or
                /// says which credentials are missing. An operation this
                /// client was not generated for gets none and fails.
                pub(crate) fn apply(&self, operation_id: &'static str, #headers_param: &mut HeaderMap) -> Result<(), MissingCredentials> {
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
        SchemeKind::Basic | SchemeKind::Bearer => quote!(AUTHORIZATION),
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
