//! The specs in `specs/` are lint-clean: documented operations, schemas and
//! properties, declared tags, examples for every body, no unused components,
//! no keys beside a `$ref`, and nothing that looks like a copied credential.
//! (`.ci/lint/lint-specs` runs Redocly, Spectral and openapi-spec-validator too.)

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn specs() -> Vec<(String, Value)> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../specs");
    let mut specs: Vec<(String, Value)> = std::fs::read_dir(&dir)
        .expect("specs/ exists")
        .map(|entry| entry.expect("an entry").path())
        .map(|path| {
            let text = std::fs::read_to_string(&path).expect("read a spec");
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let value = serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"));
            (name, value)
        })
        .collect();
    specs.sort_by(|a, b| a.0.cmp(&b.0));
    assert!(specs.len() >= 5, "expected the five vendor specs");
    specs
}

fn text<'a>(value: &'a Value, pointer: &str) -> Option<&'a str> {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
}

fn operations(spec: &Value) -> Vec<(String, &Value)> {
    let mut found = Vec::new();
    for (path, item) in spec["paths"].as_object().into_iter().flatten() {
        for method in METHODS {
            if let Some(operation) = item.get(method) {
                found.push((format!("{method} {path}"), operation));
            }
        }
    }
    found
}

#[test]
fn info_servers_and_tags_are_complete() {
    for (name, spec) in specs() {
        assert_eq!(spec["openapi"], "3.0.3", "{name}");
        for field in [
            "/info/title",
            "/info/description",
            "/info/version",
            "/info/contact/name",
            "/info/license/name",
        ] {
            assert!(text(&spec, field).is_some(), "{name}: {field} is missing");
        }
        assert!(
            spec["servers"].as_array().is_some_and(|s| !s.is_empty()),
            "{name}: no servers"
        );
        for tag in spec["tags"].as_array().into_iter().flatten() {
            assert!(
                text(tag, "/description").is_some(),
                "{name}: tag {tag} has no description"
            );
        }
    }
}

#[test]
fn every_operation_is_documented_tagged_secured_and_has_examples() {
    for (name, spec) in specs() {
        let declared: BTreeSet<&str> = spec["tags"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(|t| t["name"].as_str())
            .collect();
        for (place, operation) in operations(&spec) {
            for field in ["/operationId", "/summary", "/description"] {
                assert!(
                    text(operation, field).is_some(),
                    "{name} {place}: {field} is missing"
                );
            }
            let tags = operation["tags"].as_array().expect("tags");
            assert!(!tags.is_empty(), "{name} {place}: no tags");
            for tag in tags {
                assert!(
                    declared.contains(tag.as_str().unwrap_or_default()),
                    "{name} {place}: tag {tag} is not declared"
                );
            }
            assert!(
                operation.get("security").is_some(),
                "{name} {place}: no security"
            );
            let body = operation.pointer("/requestBody/content/application~1json");
            assert!(
                body.is_none_or(|b| b.get("example").is_some()),
                "{name} {place}: request has no example"
            );
            for (status, response) in operation["responses"].as_object().expect("responses") {
                let content = response.pointer("/content/application~1json");
                assert!(
                    content.is_none_or(|c| c.get("example").is_some()),
                    "{name} {place} {status}: response has no example"
                );
            }
        }
    }
}

/// Every schema and property carries a description (a property that refers
/// to a shared schema is written `allOf: [{$ref}]` and carries it beside the
/// `allOf`, since OpenAPI 3.0 ignores keys beside a `$ref`).
#[test]
fn every_schema_and_property_is_described() {
    fn walk(name: &str, place: &str, schema: &Value) {
        if schema.get("$ref").is_none() {
            assert!(
                text(schema, "/description").is_some(),
                "{name}: {place} has no description"
            );
        }
        for (property, sub) in schema["properties"].as_object().into_iter().flatten() {
            assert!(
                text(sub, "/description").is_some(),
                "{name}: {place}.{property} has no description"
            );
            walk(name, &format!("{place}.{property}"), sub);
        }
        if let Some(items) = schema
            .get("items")
            .filter(|i| i.get("properties").is_some())
        {
            walk(name, &format!("{place}[]"), items);
        }
    }
    for (name, spec) in specs() {
        for (schema_name, schema) in spec["components"]["schemas"]
            .as_object()
            .into_iter()
            .flatten()
        {
            walk(&name, schema_name, schema);
        }
    }
}

#[test]
fn no_component_is_unused() {
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
    for (name, spec) in specs() {
        let mut used = BTreeSet::new();
        refs(&spec, &mut used);
        let schemes: BTreeSet<&str> = operations(&spec)
            .iter()
            .flat_map(|(_, op)| op["security"].as_array().into_iter().flatten())
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
                assert!(is_used, "{name}: components/{kind}/{member} is never used");
            }
        }
    }
}

/// The vendor pages carry real-looking credentials and cookies; the specs
/// must use placeholders.
#[test]
fn specs_hold_no_copied_credentials() {
    let cookie = concat!("_cf", "uvid");
    for (name, spec) in specs() {
        let text = spec.to_string();
        assert!(
            !text.contains(cookie),
            "{name} holds a cookie from the page"
        );
        assert!(
            !text.contains("client_secret_"),
            "{name} holds a Synapse gateway secret"
        );
        assert!(
            !text.contains("Basic dG"),
            "{name} holds a Basic credential"
        );
        for email in text
            .split('"')
            .filter(|s| s.contains('@') && !s.contains(' '))
        {
            assert!(
                email.ends_with("@example.com"),
                "{name}: {email} is not a placeholder address"
            );
        }
    }
}

/// OpenAPI 3.0 ignores every key beside a `$ref`; a spec that relies on one
/// (a `description`, `nullable: true`) means something else to other tools.
/// Such a reference is written `allOf: [{$ref}]` with the keys beside `allOf`.
#[test]
fn no_ref_has_sibling_keys() {
    fn walk(name: &str, place: &str, value: &Value) {
        match value {
            Value::Object(map) => {
                if map.contains_key("$ref") && map.len() > 1 {
                    let siblings: Vec<&String> = map.keys().filter(|k| *k != "$ref").collect();
                    panic!(
                        "{name}: {place} has keys beside its $ref: {siblings:?}; write `allOf: [{{$ref: ...}}]` and put them beside `allOf`"
                    );
                }
                for (key, sub) in map {
                    walk(name, &format!("{place}/{key}"), sub);
                }
            }
            Value::Array(items) => {
                for (i, sub) in items.iter().enumerate() {
                    walk(name, &format!("{place}/{i}"), sub);
                }
            }
            _ => {}
        }
    }
    for (name, spec) in specs() {
        walk(&name, "#", &spec);
    }
}

/// `nullable: true` needs a `type` beside it (OpenAPI 3.0.3; Redocly's
/// `nullable-type-sibling`, and Ajv-based example validators refuse the schema
/// otherwise). A nullable reference is `type` + `nullable` + `allOf: [{$ref}]`.
#[test]
fn nullable_has_a_type_beside_it() {
    fn walk(name: &str, place: &str, value: &Value) {
        match value {
            Value::Object(map) => {
                if map.get("nullable") == Some(&Value::Bool(true)) {
                    assert!(
                        map.get("type").is_some(),
                        "{name}: {place} is nullable without a `type` beside it"
                    );
                }
                for (key, sub) in map {
                    walk(name, &format!("{place}/{key}"), sub);
                }
            }
            Value::Array(items) => {
                for (i, sub) in items.iter().enumerate() {
                    walk(name, &format!("{place}/{i}"), sub);
                }
            }
            _ => {}
        }
    }
    for (name, spec) in specs() {
        walk(&name, "#", &spec);
    }
}
