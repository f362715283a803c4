//! Security schemes and which of them each operation accepts.

use std::collections::BTreeMap;

use openapiv3::{APIKeyLocation, OpenAPI, ReferenceOr, SecurityRequirement, SecurityScheme};
use serde_json::Value;

use super::{Security, names};
use crate::spec::{ClientAuthentication, TOKEN_ENDPOINT_AUTH_METHOD};

/// One entry of `components.securitySchemes` (validate admits only these kinds).
#[derive(Debug, Clone)]
pub struct Scheme {
    /// The spec's key (`basicAuth`).
    pub key: String,
    /// How the credential reaches the request.
    pub kind: SchemeKind,
    /// `description`.
    pub description: Option<String>,
    /// Its `ClientBuilder` setter and credential field (`basic_auth`).
    pub field: String,
    /// Its credential type in `auth` (`BasicAuth`).
    pub type_name: String,
}

/// How a scheme's credential reaches the request.
#[derive(Debug, Clone)]
pub enum SchemeKind {
    /// `Authorization: Basic base64(username:password)`.
    Basic,
    /// `Authorization: Bearer <token>`, the token from a
    /// `client_runtime::TokenProvider` asked at call time (a fixed token by
    /// default).
    Bearer,
    /// A header holding a key; `parts` (from `x-credential-parts`) are joined
    /// with `separator`, for keys such as `<client_id>|<client_secret>`.
    HeaderKey {
        /// The header name, lower case.
        header: String,
        /// The key's parts, as named in the spec (empty: one opaque key).
        parts: Vec<String>,
        /// What joins the parts.
        separator: String,
    },
    /// An API key in the query string (`in: query`), under `name`.
    QueryKey {
        /// The query parameter's name, as the spec spells it.
        name: String,
    },
    /// An API key in a cookie (`in: cookie`), under `name`.
    CookieKey {
        /// The cookie's name, as the spec spells it.
        name: String,
    },
    /// OAuth 2.0 or OpenID Connect: `Authorization: Bearer <token>`, the
    /// token from a `client_runtime::TokenProvider` asked at call time with
    /// the operation's scopes.
    OAuth2 {
        /// The `clientCredentials` flow's `tokenUrl`, if the spec has that
        /// flow; relative to the server URL when it is a relative reference.
        token_url: Option<String>,
        /// How the client authenticates to that token endpoint.
        client_authentication: ClientAuthentication,
        /// For OpenID Connect, the discovery document's URL (never fetched).
        openid_connect_url: Option<String>,
    },
}

impl Scheme {
    /// The names of the credential's parts, as the credential type's
    /// constructor and the example's environment variables take them.
    pub fn parts(&self) -> Vec<String> {
        match &self.kind {
            SchemeKind::Basic => vec!["username".into(), "password".into()],
            SchemeKind::Bearer | SchemeKind::OAuth2 { .. } => vec!["token".into()],
            SchemeKind::QueryKey { .. } | SchemeKind::CookieKey { .. } => vec!["api_key".into()],
            SchemeKind::HeaderKey { parts, .. } if parts.is_empty() => vec!["api_key".into()],
            SchemeKind::HeaderKey { parts, .. } => parts.clone(),
        }
    }
}

impl SchemeKind {
    /// Whether the credential is a bearer token from a
    /// `client_runtime::TokenProvider` asked at call time (HTTP bearer,
    /// OAuth 2.0, OpenID Connect), so that a token can be refreshed, and
    /// renewed after a `401`, while the client runs.
    pub fn is_token(&self) -> bool {
        matches!(self, Self::Bearer | Self::OAuth2 { .. })
    }
}

impl Scheme {
    /// The constructor of the credential type that examples (the example
    /// program, the quick start) call, and the parts it takes: an OAuth 2.0
    /// scheme with a client credentials flow gets and refreshes its own
    /// tokens from a client id and secret (`client_credentials`); any other
    /// credential is made from [`Scheme::parts`] by `new`.
    pub fn example_constructor(&self) -> (&'static str, Vec<String>) {
        match &self.kind {
            SchemeKind::OAuth2 {
                token_url: Some(_), ..
            } => (
                "client_credentials",
                vec!["client_id".into(), "client_secret".into()],
            ),
            _ => ("new", self.parts()),
        }
    }
}

pub(super) fn schemes(openapi: &OpenAPI) -> Vec<Scheme> {
    let declared = openapi.components.iter().flat_map(|c| &c.security_schemes);
    let mut schemes = Vec::new();
    let fields = names::distinct(declared.clone().map(|(key, _)| names::field_name(key)), &[]);
    let types = names::distinct(declared.clone().map(|(key, _)| names::type_name(key)), &[]);
    for (((key, scheme), field), type_name) in declared.zip(fields).zip(types) {
        let ReferenceOr::Item(scheme) = scheme else {
            continue;
        };
        let (kind, description) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => (SchemeKind::Basic, description),
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => (SchemeKind::Bearer, description),
            SecurityScheme::APIKey {
                location: APIKeyLocation::Header,
                name,
                description,
                extensions,
            } => {
                let parts = extensions.get("x-credential-parts");
                let names = parts
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
                let separator = parts
                    .and_then(|p| p.get("separator"))
                    .and_then(Value::as_str)
                    .unwrap_or_default();
                let kind = SchemeKind::HeaderKey {
                    header: name.to_ascii_lowercase(),
                    parts: names,
                    separator: separator.to_string(),
                };
                (kind, description)
            }
            SecurityScheme::APIKey {
                location: APIKeyLocation::Query,
                name,
                description,
                ..
            } => (SchemeKind::QueryKey { name: name.clone() }, description),
            SecurityScheme::APIKey {
                location: APIKeyLocation::Cookie,
                name,
                description,
                ..
            } => (SchemeKind::CookieKey { name: name.clone() }, description),
            SecurityScheme::OAuth2 {
                flows, description, ..
            } => {
                let flow = flows.client_credentials.as_ref();
                let client_authentication = flow
                    .and_then(|flow| flow.extensions.get(TOKEN_ENDPOINT_AUTH_METHOD))
                    .and_then(Value::as_str)
                    .and_then(ClientAuthentication::from_name)
                    .unwrap_or_default();
                let kind = SchemeKind::OAuth2 {
                    token_url: flow.map(|flow| flow.token_url.clone()),
                    client_authentication,
                    openid_connect_url: None,
                };
                (kind, description)
            }
            SecurityScheme::OpenIDConnect {
                open_id_connect_url,
                description,
                ..
            } => {
                let kind = SchemeKind::OAuth2 {
                    token_url: None,
                    client_authentication: ClientAuthentication::default(),
                    openid_connect_url: Some(open_id_connect_url.clone()),
                };
                (kind, description)
            }
            _ => continue,
        };
        schemes.push(Scheme {
            key: key.clone(),
            kind,
            description: description.clone(),
            field,
            type_name,
        });
    }
    schemes
}

pub(super) fn of_operation(
    requirements: Option<&Vec<SecurityRequirement>>,
    schemes: &[Scheme],
) -> Security {
    let alternatives: Vec<Vec<usize>> = requirements
        .into_iter()
        .flatten()
        .map(|requirement| {
            requirement
                .keys()
                .filter_map(|name| schemes.iter().position(|s| &s.key == name))
                .collect()
        })
        .collect();
    if alternatives.is_empty() {
        Security::None
    } else {
        Security::AnyOf(alternatives)
    }
}

/// The scopes each OAuth 2.0 scheme is asked for: those of the first
/// requirement that names it.
pub(super) fn scopes_of_operation(
    requirements: Option<&Vec<SecurityRequirement>>,
    schemes: &[Scheme],
) -> BTreeMap<usize, Vec<String>> {
    let mut scopes = BTreeMap::new();
    for (name, names) in requirements.into_iter().flatten().flatten() {
        if let Some(index) = schemes
            .iter()
            .position(|s| &s.key == name && matches!(s.kind, SchemeKind::OAuth2 { .. }))
        {
            scopes.entry(index).or_insert_with(|| names.clone());
        }
    }
    scopes
}
