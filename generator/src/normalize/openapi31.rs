//! OpenAPI 3.1 read as 3.0: progenitor and `openapiv3` read 3.0 only, and
//! most of what 3.1 changed has a 3.0 spelling that means the same to a
//! client. Each rewrite is noted (once per kind, with a count).
//!
//! | 3.1 | 3.0 |
//! |---|---|
//! | `type: [T, "null"]` | `type: T`, `nullable: true` |
//! | `type: [T, U]` | no `type` (any JSON value) |
//! | `anyOf`/`oneOf` with a `type: "null"` branch | the other branches, `nullable: true` |
//! | `const: v` | `enum: [v]` |
//! | `examples: [a, …]` in a schema | `example: a` |
//! | `exclusiveMinimum: n` | `minimum: n`, `exclusiveMinimum: true` (same for maximum) |
//! | `$ref` with sibling constraints | `allOf: [{$ref}]` beside them |
//! | `contentEncoding: base64` / `contentMediaType` on a string | `format: byte` / `format: binary` |
//! | `webhooks`, `jsonSchemaDialect`, `components/pathItems` | left out (not part of a client) |

use serde_json::{Map, Value, json};

use super::walk;
use crate::error::json_pointer;
use crate::note::Notes;

/// Keywords beside a `$ref` that only annotate it: dropped, as 3.0 reads them.
const ANNOTATIONS: [&str; 9] = [
    "description",
    "summary",
    "title",
    "example",
    "examples",
    "deprecated",
    "readOnly",
    "writeOnly",
    "$comment",
];

/// Rewrites a 3.1 document into 3.0.3 in place.
pub(super) fn downgrade(document: &mut Value, version: &str, notes: &mut Notes) {
    notes.add(
        json_pointer(["openapi"]),
        format!(
            "OpenAPI {version} is read as 3.0.3 (progenitor reads 3.0); each 3.1 form rewritten is noted"
        ),
    );
    let Some(root) = document.as_object_mut() else {
        return;
    };
    root.insert("openapi".into(), Value::String("3.0.3".into()));
    root.remove("jsonSchemaDialect");
    if root.remove("webhooks").is_some() {
        notes.add(
            json_pointer(["webhooks"]),
            "`webhooks` are requests the API sends, not ones a client makes: left out",
        );
    }
    let path_items = root
        .get_mut("components")
        .and_then(Value::as_object_mut)
        .and_then(|components| components.remove("pathItems"));
    if let Some(Value::Object(paths)) = root.get_mut("paths") {
        for (template, item) in paths.iter_mut() {
            let target = item
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/components/pathItems/"))
                .and_then(|name| path_items.as_ref()?.get(name));
            if let Some(target) = target {
                *item = target.clone();
                notes.add(
                    json_pointer(["paths", template, "$ref"]),
                    "a path item in `components/pathItems` is copied to its path (3.0 has no `pathItems`)",
                );
            }
        }
    }
    if path_items.is_some() {
        notes.add(
            json_pointer(["components", "pathItems"]),
            "`components/pathItems` left out: 3.0 has no place for them",
        );
    }
    root.entry("paths").or_insert_with(|| json!({}));
    walk::schemas_mut(document, &mut |schema, path| {
        let here = || json_pointer(path.iter().map(String::as_str));
        schema_31(schema, &mut |message| notes.add(here(), message));
    });
}

fn schema_31(schema: &mut Map<String, Value>, note: &mut dyn FnMut(&'static str)) {
    if let Some(Value::Array(types)) = schema.get("type").cloned() {
        let has_null = types.iter().any(|t| t == "null");
        let others: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
        schema.remove("type");
        if has_null {
            schema.insert("nullable".into(), Value::Bool(true));
        }
        match others.as_slice() {
            [one] => {
                schema.insert("type".into(), one.clone());
                if has_null {
                    note("`type: [T, \"null\"]` read as `type: T` with `nullable: true`");
                } else {
                    note("`type: [T]` read as `type: T`");
                }
            }
            [] => note("`type: [\"null\"]` read as `nullable: true` with no type"),
            _ => note(
                "a `type` list of several types read as no `type`: the value is any JSON (`serde_json::Value`)",
            ),
        }
    }
    if schema.get("type") == Some(&Value::String("null".into())) {
        schema.remove("type");
        schema.insert("nullable".into(), Value::Bool(true));
        note("`type: \"null\"` read as `nullable: true` with no type");
    }
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = schema.get_mut(key) else {
            continue;
        };
        let is_null = |b: &Value| {
            b.get("type") == Some(&Value::String("null".into()))
                || b.get("type") == Some(&json!(["null"]))
        };
        if !branches.iter().any(is_null) {
            continue;
        }
        branches.retain(|b| !is_null(b));
        schema.insert("nullable".into(), Value::Bool(true));
        if let Some(Value::Array(branches)) = schema.get(key)
            && branches.len() == 1
        {
            // One branch left: the standard 3.0 spelling of a nullable `$ref`.
            let only = branches.clone();
            schema.remove(key);
            schema.insert("allOf".into(), Value::Array(only));
        }
        note("an `anyOf`/`oneOf` branch `type: \"null\"` read as `nullable: true`");
    }
    if let Some(value) = schema.remove("const") {
        schema.insert("enum".into(), Value::Array(vec![value]));
        note("`const: v` read as `enum: [v]`");
    }
    // 3.0 has no `examples` in a schema: a list becomes `example`, anything else goes.
    if let Some(Value::Array(list)) = schema.remove("examples") {
        if let Some(first) = list.into_iter().next() {
            schema.entry("example").or_insert(first);
        }
        note("a schema's `examples` list read as `example` (its first value)");
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(Value::Number(bound)) = schema.get(exclusive).cloned() {
            schema.insert(inclusive.into(), Value::Number(bound));
            schema.insert(exclusive.into(), Value::Bool(true));
            note(
                "a numeric `exclusiveMinimum`/`exclusiveMaximum` read as the bound with `exclusive…: true`",
            );
        }
    }
    if schema.get("type") == Some(&Value::String("string".into())) && !schema.contains_key("format")
    {
        let encoding = schema.remove("contentEncoding");
        let media = schema.remove("contentMediaType");
        if encoding.as_ref().and_then(Value::as_str) == Some("base64") {
            schema.insert("format".into(), Value::String("byte".into()));
            note("`contentEncoding: base64` read as `format: byte`");
        } else if media.is_some() {
            schema.insert("format".into(), Value::String("binary".into()));
            note("`contentMediaType` on a string read as `format: binary`");
        }
    }
    ref_siblings(schema, note);
}

/// `$ref` with siblings: annotations go (3.0 ignores them anyway), and
/// constraints stay beside an `allOf: [{$ref}]`, which 3.0 reads.
fn ref_siblings(schema: &mut Map<String, Value>, note: &mut dyn FnMut(&'static str)) {
    let Some(reference) = schema.get("$ref").cloned() else {
        return;
    };
    if schema.len() == 1 {
        return;
    }
    let constraints = schema
        .keys()
        .any(|k| k != "$ref" && !ANNOTATIONS.contains(&k.as_str()));
    if constraints {
        schema.remove("$ref");
        let mut only = Map::new();
        only.insert("$ref".into(), reference);
        schema.insert("allOf".into(), Value::Array(vec![Value::Object(only)]));
        note("`$ref` with sibling keywords read as `allOf: [{$ref}]` beside them");
    } else {
        schema.retain(|k, _| k == "$ref");
        note("annotations beside a `$ref` (such as `description`) dropped, as 3.0 ignores them");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn downgraded(schema: Value) -> (Value, Vec<String>) {
        let mut document = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema}}});
        let mut notes = Notes::default();
        downgrade(&mut document, "3.1.0", &mut notes);
        assert_eq!(document["openapi"], "3.0.3");
        let messages = notes.finish().into_iter().map(|n| n.message).collect();
        (document["components"]["schemas"]["S"].clone(), messages)
    }

    #[test]
    fn null_in_a_type_list_becomes_nullable() {
        let (schema, notes) = downgraded(json!({"type": "object", "properties": {
            "a": {"type": ["string", "null"]},
            "b": {"anyOf": [{"$ref": "#/components/schemas/S"}, {"type": "null"}]},
            "c": {"type": ["string", "integer"]}
        }}));
        assert_eq!(
            schema["properties"]["a"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            schema["properties"]["b"],
            json!({"allOf": [{"$ref": "#/components/schemas/S"}], "nullable": true})
        );
        assert_eq!(schema["properties"]["c"], json!({}));
        assert_eq!(notes.len(), 4, "{notes:?}");
    }

    #[test]
    fn const_examples_bounds_and_ref_siblings_take_their_3_0_forms() {
        let (schema, _) = downgraded(json!({"type": "object", "properties": {
            "kind": {"const": "file"},
            "n": {"type": "integer", "exclusiveMinimum": 0, "examples": [3, 4]},
            "r": {"$ref": "#/components/schemas/S", "description": "why"},
            "s": {"$ref": "#/components/schemas/S", "maxLength": 3},
            "f": {"type": "string", "contentMediaType": "image/png"}
        }}));
        let p = &schema["properties"];
        assert_eq!(p["kind"], json!({"enum": ["file"]}));
        assert_eq!(
            p["n"],
            json!({"type": "integer", "minimum": 0, "exclusiveMinimum": true, "example": 3})
        );
        assert_eq!(p["r"], json!({"$ref": "#/components/schemas/S"}));
        assert_eq!(
            p["s"],
            json!({"allOf": [{"$ref": "#/components/schemas/S"}], "maxLength": 3})
        );
        assert_eq!(p["f"], json!({"type": "string", "format": "binary"}));
    }
}
