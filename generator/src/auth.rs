//! `mod auth`: one credential type per `securitySchemes` entry, applied to
//! exactly the operations whose `security` asks for it.

use heck::ToSnakeCase;
use openapiv3::{APIKeyLocation, ReferenceOr, SecurityScheme};
use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use crate::error::{Location, SpecError, SpecErrorKind};
use crate::load::Spec;
use crate::naming::{field_ident, type_ident};

/// How a scheme's credential reaches the request.
#[derive(Debug, Clone)]
pub(crate) enum SchemeKind {
    /// `Authorization: Basic base64(username:password)`.
    Basic,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// A header holding a key; `parts` (from `x-credential-parts`) are joined
    /// with `separator`, for keys such as `<client_id>|<client_secret>`.
    HeaderKey {
        header: String,
        parts: Vec<String>,
        separator: String,
    },
}

/// One entry of `components.securitySchemes`.
#[derive(Debug, Clone)]
pub(crate) struct Scheme {
    pub key: String,
    pub kind: SchemeKind,
    pub description: Option<String>,
}

impl Scheme {
    /// The scheme's field and `ClientBuilder` setter (`basicAuth` → `basic_auth`).
    pub fn field(&self) -> syn::Ident {
        field_ident(&self.key)
    }

    /// The scheme's credential type (`basicAuth` → `BasicAuth`).
    pub fn type_name(&self) -> syn::Ident {
        type_ident(&self.key)
    }

    /// The environment variables the example reads for this scheme.
    pub fn env_vars(&self, prefix: &str) -> Vec<String> {
        let names: Vec<String> = match &self.kind {
            SchemeKind::Basic => vec!["username".into(), "password".into()],
            SchemeKind::Bearer => vec!["token".into()],
            SchemeKind::HeaderKey { parts, .. } if parts.is_empty() => vec!["api_key".into()],
            SchemeKind::HeaderKey { parts, .. } => parts.clone(),
        };
        names
            .iter()
            .map(|n| format!("{prefix}_{}", n.to_snake_case().to_uppercase()))
            .collect()
    }
}

/// The schemes of a spec, and which ones each operation accepts.
pub(crate) struct Security {
    pub schemes: Vec<Scheme>,
    /// (progenitor operation id, alternatives; each alternative needs all its schemes).
    pub operations: Vec<(String, Vec<Vec<String>>)>,
}

pub(crate) fn security(spec: &Spec) -> Result<Security, SpecError> {
    let mut schemes = Vec::new();
    let declared = spec
        .document
        .components
        .as_ref()
        .map(|c| &c.security_schemes);
    for (key, scheme) in declared.into_iter().flatten() {
        let here = || Location::pointer(["components", "securitySchemes", key.as_str()]);
        let unsupported = || {
            spec.error(
                here(),
                SpecErrorKind::UnsupportedSecurityScheme(key.clone()),
            )
        };
        let ReferenceOr::Item(scheme) = scheme else {
            return Err(unsupported());
        };
        let (kind, description) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } => match scheme.to_ascii_lowercase().as_str() {
                "basic" => (SchemeKind::Basic, description),
                "bearer" => (SchemeKind::Bearer, description),
                _ => return Err(unsupported()),
            },
            SecurityScheme::APIKey {
                location: APIKeyLocation::Header,
                name,
                description,
                ..
            } => {
                let raw = spec.raw.pointer(&format!(
                    "/components/securitySchemes/{key}/x-credential-parts"
                ));
                let parts = raw
                    .and_then(|p| p.get("names"))
                    .and_then(Value::as_array)
                    .map(|names| {
                        names
                            .iter()
                            .filter_map(Value::as_str)
                            .map(str::to_string)
                            .collect()
                    })
                    .unwrap_or_default();
                let separator = raw
                    .and_then(|p| p.get("separator"))
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let kind = SchemeKind::HeaderKey {
                    header: name.to_ascii_lowercase(),
                    parts,
                    separator: separator.into(),
                };
                (kind, description)
            }
            _ => return Err(unsupported()),
        };
        schemes.push(Scheme {
            key: key.clone(),
            kind,
            description: description.clone(),
        });
    }

    let mut operations = Vec::new();
    for (path, method, operation) in spec.document.operations() {
        let requirements = operation
            .security
            .as_ref()
            .or(spec.document.security.as_ref());
        let mut alternatives = Vec::new();
        for requirement in requirements.into_iter().flatten() {
            let names: Vec<String> = requirement.keys().cloned().collect();
            if let Some(unknown) = names.iter().find(|n| !schemes.iter().any(|s| &s.key == *n)) {
                let here = Location::pointer(["paths", path, method, "security"]);
                return Err(spec.error(here, SpecErrorKind::UnknownSecurityScheme(unknown.clone())));
            }
            alternatives.push(names);
        }
        let id = operation
            .operation_id
            .as_deref()
            .unwrap_or_default()
            .to_snake_case();
        operations.push((id, alternatives));
    }
    Ok(Security {
        schemes,
        operations,
    })
}

/// The `auth` module, and `Client::prepare`, which every `send` calls.
pub(crate) fn auth_module(security: &Security) -> TokenStream {
    let credential_types = security.schemes.iter().map(credential_type);
    let fields: Vec<_> = security.schemes.iter().map(Scheme::field).collect();
    let types: Vec<_> = security.schemes.iter().map(Scheme::type_name).collect();
    let keys: Vec<_> = security.schemes.iter().map(|s| s.key.as_str()).collect();
    let headers: Vec<TokenStream> = security.schemes.iter().map(header_name).collect();

    let arms = security
        .operations
        .iter()
        .filter(|(_, alternatives)| !alternatives.is_empty())
        .map(|(id, alternatives)| {
            let needs = alternatives
                .iter()
                .map(|a| a.join(" + "))
                .collect::<Vec<_>>()
                .join(" or ");
            let tries = alternatives.iter().map(|alternative| {
                if alternative.is_empty() {
                    return quote!(return Ok(()););
                }
                let index: Vec<usize> = alternative
                    .iter()
                    .map(|n| {
                        keys.iter()
                            .position(|k| k == n)
                            .expect("checked in security()")
                    })
                    .collect();
                let fields: Vec<_> = index.iter().map(|&i| &fields[i]).collect();
                let names = index.iter().map(|&i| &headers[i]);
                quote! {
                    if let (#(Some(#fields),)*) = (#(&self.#fields,)*) {
                        #(headers.insert(#names, #fields.clone());)*
                        return Ok(());
                    }
                }
            });
            quote! {
                #id => {
                    #(#tries)*
                    Err(MissingCredentials { operation: operation_id, needs: #needs })
                }
            }
        });
    let arms: Vec<_> = arms.collect();
    let apply_body = if arms.is_empty() {
        quote! {
            let _ = (operation_id, headers);
            Ok(())
        }
    } else {
        quote! {
            match operation_id {
                #(#arms)*
                _ => Ok(()),
            }
        }
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
            pub struct AuthHeaders {
                #(#[doc = #field_docs] pub(crate) #fields: Option<HeaderValue>,)*
            }

            impl std::fmt::Debug for AuthHeaders {
                fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                    let mut set = f.debug_set();
                    #(if self.#fields.is_some() { set.entry(&#keys); })*
                    set.finish()
                }
            }

            impl AuthHeaders {
                /// Adds the headers `operation_id`'s `security` asks for.
                pub(crate) fn apply(&self, operation_id: &'static str, headers: &mut HeaderMap) -> Result<(), MissingCredentials> {
                    #apply_body
                }
            }

            /// Each scheme's credential turned into its header value.
            pub(crate) fn header_values(
                #(#fields: Option<&#types>,)*
            ) -> Result<AuthHeaders, &'static str> {
                Ok(AuthHeaders {
                    #(#fields: #fields.map(|c| c.header_value().map_err(|_| #keys)).transpose()?,)*
                })
            }
        }

        impl Client {
            /// Sets `User-Agent` and the operation's credentials on a request.
            pub(crate) fn prepare(&self, request: &mut reqwest::Request, info: &OperationInfo) -> Result<(), auth::MissingCredentials> {
                let headers = request.headers_mut();
                headers.insert(
                    reqwest::header::USER_AGENT,
                    reqwest::header::HeaderValue::from_static(concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"))),
                );
                self.inner.apply(info.operation_id, headers)
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
    let name = scheme.type_name();
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
                        use base64::Engine as _;
                        let pair = format!("{}:{}", self.username, self.password.expose());
                        client_runtime::sensitive_header(format!("Basic {}", base64::engine::general_purpose::STANDARD.encode(pair)))
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
            let parts: Vec<_> = parts.iter().map(|p| field_ident(p)).collect();
            let join = parts
                .iter()
                .map(|_| "{}")
                .collect::<Vec<_>>()
                .join(separator);
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
