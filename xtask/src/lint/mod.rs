//! `cargo xtask lint`: the house style of the specs this project writes.
//! Generation does not need it (a vendor's published spec generates as it
//! is); CI holds the project's own specs to it.
//!
//! The rules: `openapi: 3.0.3`; info (title, description, version, contact
//! and licence names), servers and tag descriptions present; every
//! operation with an `operationId`, `summary`, `description`, declared tags
//! and `security`, and an example for each JSON request and response body;
//! every schema and property described; no unused component; nothing that
//! looks like a copied credential; no maintainer's note (sources, choices)
//! in text that reaches the crate's documentation ([`notes`]).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use serde_json::Value;

use crate::sync::{SyncError, select_specs};

mod notes;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One rule a spec breaks, at its place.
struct Violation {
    pointer: String,
    message: String,
}

/// The JSON pointer of a path of keys.
fn pointer<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    keys.into_iter()
        .map(|k| format!("/{}", k.replace('~', "~0").replace('/', "~1")))
        .collect()
}

/// Lints the named vendors' specs (all when `only` is empty, except those
/// listed as published in the workspace manifest); exit 1 on any violation.
pub fn lint(root: &Path, only: &[String]) -> Result<ExitCode, SyncError> {
    let published = published_specs(root)?;
    let mut specs = select_specs(root, only)?;
    if only.is_empty() {
        specs.retain(|path| {
            let skip = published.iter().any(|p| Path::new(p) == path.as_path());
            if skip {
                println!("  skipped {} (a vendor's published spec)", path.display());
            }
            !skip
        });
    }
    let mut broken = 0;
    for path in &specs {
        let violations = match generator::load(&root.join(path)) {
            Ok(loaded) => lint_spec(&loaded.raw),
            Err(error) => vec![Violation {
                pointer: String::new(),
                message: error.kind.to_string(),
            }],
        };
        if !violations.is_empty() {
            broken += 1;
        }
        for violation in violations {
            println!(
                "{}:#{}: {}",
                path.display(),
                violation.pointer,
                violation.message
            );
        }
    }
    if broken == 0 {
        println!("lint-clean: {} spec(s)", specs.len());
        Ok(ExitCode::SUCCESS)
    } else {
        println!(
            "\n{broken} of {} spec(s) break the house style",
            specs.len()
        );
        Ok(ExitCode::from(1))
    }
}

/// `[workspace.metadata.xtask] published-specs` of the root manifest
/// (none when there is no manifest).
fn published_specs(root: &Path) -> Result<Vec<PathBuf>, SyncError> {
    metadata_specs(root, "published-specs")
}

/// The spec paths listed under `key` in `[workspace.metadata.xtask]` of the
/// root manifest (none when there is no manifest).
pub(crate) fn metadata_specs(root: &Path, key: &str) -> Result<Vec<PathBuf>, SyncError> {
    let path = root.join("Cargo.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(SyncError::Io { path, source }),
    };
    let manifest: toml_edit::DocumentMut = text.parse().map_err(|error| SyncError::Io {
        path: path.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, error),
    })?;
    let listed = manifest
        .get("workspace")
        .and_then(|w| w.get("metadata"))
        .and_then(|m| m.get("xtask"))
        .and_then(|x| x.get(key))
        .and_then(|p| p.as_array());
    Ok(listed
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str())
        .map(PathBuf::from)
        .collect())
}

fn text<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn lint_spec(spec: &Value) -> Vec<Violation> {
    let mut found = Vec::new();
    let mut flag = |pointer: String, message: String| found.push(Violation { pointer, message });
    info_servers_and_tags(spec, &mut flag);
    operations(spec, &mut flag);
    descriptions(spec, &mut flag);
    unused_components(spec, &mut flag);
    credentials(spec, &mut flag);
    notes::maintainer_notes(spec, &mut flag);
    found
}

type Flag<'a> = dyn FnMut(String, String) + 'a;

fn info_servers_and_tags(spec: &Value, flag: &mut Flag<'_>) {
    if spec["openapi"] != "3.0.3" {
        flag(pointer(["openapi"]), "must be `3.0.3`".into());
    }
    for field in [
        "/info/title",
        "/info/description",
        "/info/version",
        "/info/contact/name",
        "/info/license/name",
    ] {
        if text(spec, field).is_none() {
            flag(field.into(), "is missing".into());
        }
    }
    if spec["servers"].as_array().is_none_or(|s| s.is_empty()) {
        flag(pointer(["servers"]), "no servers".into());
    }
    for (index, tag) in spec["tags"].as_array().into_iter().flatten().enumerate() {
        if text(tag, "/description").is_none() {
            flag(
                pointer(["tags", &index.to_string()]),
                "the tag has no description".into(),
            );
        }
    }
}

fn each_operation(spec: &Value) -> Vec<(String, &str, &Value)> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.push((path.clone(), method, operation));
            }
        }
    }
    found
}

fn operations(spec: &Value, flag: &mut Flag<'_>) {
    let declared: BTreeSet<&str> = spec["tags"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|t| t["name"].as_str())
        .collect();
    for (path, method, operation) in each_operation(spec) {
        let here = pointer(["paths", &path, method]);
        for field in ["operationId", "summary", "description"] {
            if text(operation, &format!("/{field}")).is_none() {
                flag(here.clone(), format!("`{field}` is missing"));
            }
        }
        let tags = operation["tags"].as_array();
        if tags.is_none_or(Vec::is_empty) {
            flag(here.clone(), "no tags".into());
        }
        for tag in tags.into_iter().flatten() {
            if !declared.contains(tag.as_str().unwrap_or_default()) {
                flag(here.clone(), format!("tag {tag} is not declared"));
            }
        }
        if operation.get("security").is_none() {
            flag(here.clone(), "no `security`".into());
        }
        let body = operation.pointer("/requestBody/content/application~1json");
        if body.is_some_and(|b| b.get("example").is_none()) {
            flag(
                format!("{here}/requestBody"),
                "the JSON request body has no example".into(),
            );
        }
        for (status, response) in operation["responses"].as_object().into_iter().flatten() {
            let content = response.pointer("/content/application~1json");
            if content.is_some_and(|c| c.get("example").is_none()) {
                flag(
                    format!("{here}/responses/{status}"),
                    "the JSON response has no example".into(),
                );
            }
        }
    }
}

/// Every schema and property carries a description (a `$ref` property
/// carries it beside the `$ref`).
fn descriptions(spec: &Value, flag: &mut Flag<'_>) {
    fn walk(place: &mut Vec<String>, schema: &Value, flag: &mut Flag<'_>) {
        let here = |place: &[String]| pointer(place.iter().map(String::as_str));
        if schema.get("$ref").is_none() && text(schema, "/description").is_none() {
            flag(here(place), "the schema has no description".into());
        }
        for (property, sub) in schema["properties"].as_object().into_iter().flatten() {
            place.extend(["properties".to_string(), property.clone()]);
            if sub.get("$ref").is_some() && text(sub, "/description").is_none() {
                flag(here(place), "the property has no description".into());
            }
            walk(place, sub, flag);
            place.truncate(place.len() - 2);
        }
        if let Some(items) = schema
            .get("items")
            .filter(|i| i.get("properties").is_some())
        {
            place.push("items".into());
            walk(place, items, flag);
            place.pop();
        }
    }
    for (name, schema) in spec["components"]["schemas"]
        .as_object()
        .into_iter()
        .flatten()
    {
        let mut place = vec!["components".into(), "schemas".into(), name.clone()];
        walk(&mut place, schema, flag);
    }
}

fn unused_components(spec: &Value, flag: &mut Flag<'_>) {
    fn refs(value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(Value::String(target)) = map.get("$ref") {
                    out.insert(target.clone());
                }
                map.values().for_each(|v| refs(v, out));
            }
            Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
            _ => {}
        }
    }
    let mut used = BTreeSet::new();
    refs(spec, &mut used);
    let schemes: BTreeSet<&str> = each_operation(spec)
        .iter()
        .flat_map(|(_, _, op)| op["security"].as_array().into_iter().flatten())
        .chain(spec["security"].as_array().into_iter().flatten())
        .flat_map(|requirement| {
            requirement
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.as_str())
        })
        .collect();
    for (kind, members) in spec["components"].as_object().into_iter().flatten() {
        for member in members.as_object().into_iter().flatten().map(|(k, _)| k) {
            let is_used = if kind == "securitySchemes" {
                schemes.contains(member.as_str())
            } else {
                used.contains(&format!("#/components/{kind}/{member}"))
            };
            if !is_used {
                flag(
                    pointer(["components", kind, member]),
                    "the component is never used".into(),
                );
            }
        }
    }
}

/// The vendor pages carry real-looking credentials and cookies; the specs
/// must use placeholders.
fn credentials(spec: &Value, flag: &mut Flag<'_>) {
    let text = spec.to_string();
    let cookie = concat!("_cf", "uvid");
    for (needle, what) in [
        (cookie, "a cookie from a vendor page"),
        ("Basic dG", "a Basic credential"),
    ] {
        if text.contains(needle) {
            flag(String::new(), format!("holds {what}; use a placeholder"));
        }
    }
    if holds_gateway_secret(&text) {
        flag(
            String::new(),
            "holds a Synapse gateway secret; use a placeholder".to_string(),
        );
    }
    for email in text
        .split('"')
        .filter(|s| s.contains('@') && !s.contains(' '))
        .filter(|s| !s.ends_with("@example.com"))
    {
        flag(
            String::new(),
            format!("`{email}` is not a placeholder address (use …@example.com)"),
        );
    }
}

/// Whether `text` holds a secret shaped like the Synapse page's
/// (`client_secret_<key>`): `client_secret_` followed by anything but one
/// of the client authentication methods RFC 7591 names with that prefix
/// (`client_secret_post` in `x-token-endpoint-auth-method`, say).
fn holds_gateway_secret(text: &str) -> bool {
    const METHODS: [&str; 3] = ["basic", "post", "jwt"];
    text.match_indices("client_secret_").any(|(at, needle)| {
        let rest = &text[at + needle.len()..];
        let word: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        !METHODS.contains(&word.as_str())
    })
}

#[cfg(test)]
mod tests {
    use super::holds_gateway_secret;

    #[test]
    fn gateway_secrets_are_caught_but_auth_method_names_are_not() {
        assert!(holds_gateway_secret(
            "X-SP-GATEWAY: id|client_secret_2bb1e714"
        ));
        assert!(holds_gateway_secret("client_secret_posted"));
        assert!(!holds_gateway_secret(
            "x-token-endpoint-auth-method: client_secret_post"
        ));
        assert!(!holds_gateway_secret(
            "client_secret_basic or client_secret_jwt"
        ));
        assert!(!holds_gateway_secret("client_id, client_secret"));
    }
}
