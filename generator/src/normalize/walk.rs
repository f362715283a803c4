//! Visiting the places of a document where a schema may stand, so that a
//! rewrite of schemas (3.1 → 3.0) never touches data that looks like one:
//! an `examples` map of a media type is not a schema's `examples` list.

use serde_json::{Map, Value};

use crate::spec::METHODS;

/// A schema object and the keys that lead to it from the document root.
pub(crate) type Visit<'a> = &'a mut dyn FnMut(&mut Map<String, Value>, &[String]);

/// Calls `visit` on every schema object of `document`, parents before
/// their subschemas (which are read after `visit` has changed the parent).
pub(crate) fn schemas_mut(document: &mut Value, visit: Visit<'_>) {
    let mut path = Vec::new();
    let Some(root) = document.as_object_mut() else {
        return;
    };
    if let Some(components) = root.get_mut("components").and_then(Value::as_object_mut) {
        path.push("components".to_string());
        for (kind, members) in components.iter_mut() {
            let Some(members) = members.as_object_mut() else {
                continue;
            };
            path.push(kind.clone());
            for (name, member) in members.iter_mut() {
                path.push(name.clone());
                match kind.as_str() {
                    "schemas" => schema(member, &mut path, visit),
                    "parameters" | "headers" => parameter(member, &mut path, visit),
                    "responses" => response(member, &mut path, visit),
                    "requestBodies" => content(member, &mut path, visit),
                    "pathItems" => path_item(member, &mut path, visit),
                    _ => {}
                }
                path.pop();
            }
            path.pop();
        }
        path.pop();
    }
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        path.push("paths".to_string());
        for (template, item) in paths.iter_mut() {
            path.push(template.clone());
            path_item(item, &mut path, visit);
            path.pop();
        }
        path.pop();
    }
}

/// Runs `f` on `node[key]` with `key` on the path, if it exists.
fn child(
    node: &mut Value,
    key: &str,
    path: &mut Vec<String>,
    f: impl FnOnce(&mut Value, &mut Vec<String>),
) {
    if let Some(value) = node.get_mut(key) {
        path.push(key.to_string());
        f(value, path);
        path.pop();
    }
}

/// Runs `f` on every member of the object or array `node[key]`.
fn members(
    node: &mut Value,
    key: &str,
    path: &mut Vec<String>,
    mut f: impl FnMut(&mut Value, &mut Vec<String>),
) {
    child(node, key, path, |value, path| match value {
        Value::Object(map) => {
            for (name, member) in map.iter_mut() {
                path.push(name.clone());
                f(member, path);
                path.pop();
            }
        }
        Value::Array(items) => {
            for (index, member) in items.iter_mut().enumerate() {
                path.push(index.to_string());
                f(member, path);
                path.pop();
            }
        }
        _ => {}
    });
}

fn path_item(item: &mut Value, path: &mut Vec<String>, visit: Visit<'_>) {
    members(item, "parameters", path, |p, path| {
        parameter(p, path, visit)
    });
    for method in METHODS {
        child(item, method, path, |operation, path| {
            members(operation, "parameters", path, |p, path| {
                parameter(p, path, visit)
            });
            child(operation, "requestBody", path, |body, path| {
                content(body, path, visit)
            });
            members(operation, "responses", path, |r, path| {
                response(r, path, visit)
            });
            members(operation, "callbacks", path, |callback, path| {
                if let Value::Object(expressions) = callback {
                    for (expression, item) in expressions.iter_mut() {
                        path.push(expression.clone());
                        path_item(item, path, visit);
                        path.pop();
                    }
                }
            });
        });
    }
}

/// A parameter or a header: `schema`, or `content`.
fn parameter(node: &mut Value, path: &mut Vec<String>, visit: Visit<'_>) {
    child(node, "schema", path, |s, path| schema(s, path, visit));
    content(node, path, visit);
}

fn response(node: &mut Value, path: &mut Vec<String>, visit: Visit<'_>) {
    content(node, path, visit);
    members(node, "headers", path, |h, path| parameter(h, path, visit));
}

/// The `schema` of each media type under `node.content`.
fn content(node: &mut Value, path: &mut Vec<String>, visit: Visit<'_>) {
    members(node, "content", path, |media, path| {
        child(media, "schema", path, |s, path| schema(s, path, visit));
    });
}

/// Keywords whose value is one subschema.
const ONE: [&str; 7] = [
    "items",
    "additionalProperties",
    "not",
    "if",
    "then",
    "else",
    "contains",
];
/// Keywords whose value is a map or a list of subschemas.
const MANY: [&str; 9] = [
    "properties",
    "patternProperties",
    "allOf",
    "anyOf",
    "oneOf",
    "prefixItems",
    "$defs",
    "definitions",
    "dependentSchemas",
];

fn schema(node: &mut Value, path: &mut Vec<String>, visit: Visit<'_>) {
    let Value::Object(map) = node else {
        return;
    };
    visit(map, path);
    for key in ONE {
        child(node, key, path, |sub, path| match sub {
            // `items` is a list of schemas in old JSON Schema drafts.
            Value::Array(items) => {
                for (index, item) in items.iter_mut().enumerate() {
                    path.push(index.to_string());
                    schema(item, path, visit);
                    path.pop();
                }
            }
            sub => schema(sub, path, visit),
        });
    }
    for key in MANY {
        members(node, key, path, |sub, path| schema(sub, path, visit));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schemas_are_visited_and_example_data_is_not() {
        let mut document = serde_json::json!({
            "paths": {"/a": {"post": {
                "parameters": [{"name": "q", "in": "query", "schema": {"type": "string"}}],
                "requestBody": {"content": {"application/json": {
                    "schema": {"type": "object", "properties": {"x": {"type": "array", "items": {"type": "integer"}}}},
                    "examples": {"one": {"value": {"type": "object", "properties": {}}}}
                }}},
                "responses": {"200": {"description": "ok", "headers": {"h": {"schema": {"type": "string"}}}}}
            }}},
            "components": {"schemas": {"S": {"oneOf": [{"type": "string"}, {"$ref": "#/components/schemas/T"}]}}}
        });
        let mut seen = Vec::new();
        schemas_mut(&mut document, &mut |_, path| seen.push(path.join("/")));
        assert_eq!(
            seen,
            [
                "components/schemas/S",
                "components/schemas/S/oneOf/0",
                "components/schemas/S/oneOf/1",
                "paths//a/post/parameters/0/schema",
                "paths//a/post/requestBody/content/application/json/schema",
                "paths//a/post/requestBody/content/application/json/schema/properties/x",
                "paths//a/post/requestBody/content/application/json/schema/properties/x/items",
                "paths//a/post/responses/200/headers/h/schema",
            ]
        );
    }
}
