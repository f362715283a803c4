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

/// Every placeholder secret of every scheme, and the header values they
/// make: none may show in `Debug` output.
pub(super) fn every_secret(api: &Api) -> Vec<String> {
    api.schemes
        .iter()
        .flat_map(|scheme| {
            let parts = scheme.kind.secret_parts().iter();
            parts
                .map(|part| credential_part(scheme.key, part))
                .chain([credential_header(api, scheme.key).1])
        })
        .collect()
}

/// The header (lower-case name, value) scheme `key`'s placeholder
/// credential becomes.
pub(super) fn credential_header(api: &Api, key: &str) -> (String, String) {
    let scheme = api.scheme(key);
    let parts: Vec<String> = scheme
        .kind
        .parts()
        .iter()
        .map(|part| credential_part(key, part))
        .collect();
    match &scheme.kind {
        SchemeKind::Basic => (
            "authorization".into(),
            format!("Basic {}", STANDARD.encode(parts.join(":"))),
        ),
        SchemeKind::Bearer => ("authorization".into(), format!("Bearer {}", parts[0])),
        SchemeKind::Header {
            name, separator, ..
        } => (name.to_ascii_lowercase(), parts.join(separator)),
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
