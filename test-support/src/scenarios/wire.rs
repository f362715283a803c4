//! What a request must look like on the wire, worked out from the spec's
//! facts alone (not from the client or the generator).

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde_json::Value;

use super::Request;
use super::spec::{Api, Location, Operation, SchemeKind};

/// The placeholder value of part `part` of scheme `key`'s credential.
pub(super) fn credential_part(key: &str, part: &str) -> String {
    format!("test-{key}-{part}")
}

/// Every placeholder secret of every scheme, and the header or query
/// values they make: none may show in `Debug` output.
pub(super) fn every_secret(api: &Api) -> Vec<String> {
    api.schemes
        .iter()
        .flat_map(|scheme| {
            let parts = scheme.kind.secret_parts().iter();
            parts
                .map(|part| credential_part(scheme.key, part))
                .chain([credential(api, scheme.key).value().to_string()])
        })
        .collect()
}

/// Where a placeholder credential goes on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Credential {
    /// A header (lower-case name, value); a cookie is a `cookie` header.
    Header(String, String),
    /// A query pair (name, value).
    Query(String, String),
}

impl Credential {
    /// What is sent: the header or query value.
    pub(super) fn value(&self) -> &str {
        match self {
            Self::Header(_, value) | Self::Query(_, value) => value,
        }
    }
}

/// What scheme `key`'s placeholder credential becomes on the wire.
pub(super) fn credential(api: &Api, key: &str) -> Credential {
    let scheme = api.scheme(key);
    let parts: Vec<String> = scheme
        .kind
        .parts()
        .iter()
        .map(|part| credential_part(key, part))
        .collect();
    match &scheme.kind {
        SchemeKind::Basic => Credential::Header(
            "authorization".into(),
            format!("Basic {}", STANDARD.encode(parts.join(":"))),
        ),
        SchemeKind::Bearer => {
            Credential::Header("authorization".into(), format!("Bearer {}", parts[0]))
        }
        SchemeKind::Header {
            name, separator, ..
        } => Credential::Header(name.to_ascii_lowercase(), parts.join(separator)),
        SchemeKind::Query { name } => Credential::Query(name.to_string(), parts[0].clone()),
        SchemeKind::Cookie { name } => {
            Credential::Header("cookie".into(), format!("{name}={}", parts[0]))
        }
    }
}

/// A parameter value as the text that goes on the wire.
fn text(value: &Value) -> String {
    match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    }
}

/// `text` percent-encoded as one path segment: only RFC 3986 unreserved
/// characters stay as they are.
fn path_segment(text: &str) -> String {
    text.bytes()
        .map(|byte| match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                char::from(byte).to_string()
            }
            other => format!("%{other:02X}"),
        })
        .collect()
}

/// The request path: the base path, then the template with each path
/// parameter's value encoded.
pub(super) fn path(api: &Api, operation: &Operation, request: &Request) -> String {
    let mut path = operation.path.to_string();
    for parameter in operation.parameters {
        if parameter.location == Location::Path {
            let value = value_of(request, parameter.name);
            path = path.replace(
                &format!("{{{}}}", parameter.name),
                &path_segment(&text(value)),
            );
        }
    }
    format!("{}{path}", api.base_path())
}

/// The query's `(name, value)` pairs, sorted; arrays as repeated names.
pub(super) fn query(operation: &Operation, request: &Request) -> Vec<(String, String)> {
    let mut pairs = Vec::new();
    for parameter in operation.parameters {
        if parameter.location != Location::Query {
            continue;
        }
        match value_of(request, parameter.name) {
            Value::Array(items) => {
                pairs.extend(
                    items
                        .iter()
                        .map(|item| (parameter.name.to_string(), text(item))),
                );
            }
            value => pairs.push((parameter.name.to_string(), text(value))),
        }
    }
    pairs.sort();
    pairs
}

/// A flat JSON object as the `(name, value)` pairs of a form, sorted; a
/// `null` field is left out.
pub(super) fn form(body: &Value) -> Vec<(String, String)> {
    let mut pairs: Vec<(String, String)> = body
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(_, value)| !value.is_null())
        .map(|(name, value)| (name.clone(), text(value)))
        .collect();
    pairs.sort();
    pairs
}

/// The header parameters' `(lower-case name, value)`.
pub(super) fn header_parameters(operation: &Operation, request: &Request) -> Vec<(String, String)> {
    operation
        .parameters
        .iter()
        .filter(|parameter| parameter.location == Location::Header)
        .map(|parameter| {
            (
                parameter.name.to_ascii_lowercase(),
                text(value_of(request, parameter.name)),
            )
        })
        .collect()
}

fn value_of<'r>(request: &'r Request, name: &str) -> &'r Value {
    request
        .parameters
        .iter()
        .find_map(|(n, value)| (*n == name).then_some(value))
        .unwrap_or_else(|| panic!("the request sets parameter {name}"))
}
