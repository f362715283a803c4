//! Parameters sent as their `style` says, or their operation left out.
//!
//! progenitor sends a query parameter one way, `form` with `explode: true`
//! (an array as `ids=1&ids=2`; an object it fails on), and a path parameter
//! as one `simple` scalar; `explode` it ignores, and any other style stops
//! it for the whole spec. So:
//!
//! a parameter progenitor would send otherwise than the spec says (query
//! objects, arrays in `form` with `explode: false`, any `spaceDelimited`,
//! `pipeDelimited` or `deepObject`; path `label`, `matrix`, or an array or
//! object in a path) is left out when it is optional and the operation's
//! own; otherwise its operation is left out. Each with a note naming the
//! parameter and its style. Sending `ids=1&ids=2` where the
//! API reads `ids=1,2` would look like a working call and do the wrong
//! thing. (A scalar gets no other style: the delimited styles are defined
//! for arrays and objects only, and Prism refuses them on a scalar.)

use serde_json::Value;

use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::{operations, resolve};

/// The shape of a parameter's schema, which decides what a style does.
/// Ordered from narrowest to widest.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Scalar,
    Array,
    Object,
}

/// What becomes of one parameter.
#[derive(Debug, PartialEq, Eq)]
enum Fate {
    /// progenitor sends it as the spec says.
    Kept,
    /// progenitor would send it otherwise: the operation is left out.
    Unsendable(String),
}

/// Leaves out the parameters, or else the operations, that progenitor
/// would send otherwise than the spec says.
pub(super) fn parameter_styles(document: &mut Value, notes: &mut Notes) {
    let mut left_out = Vec::new();
    let mut dropped: Vec<(String, &str, usize, String)> = Vec::new();
    for (path, method, operation) in operations(document) {
        for (parameter, own) in parameters(document, path, operation) {
            let Fate::Unsendable(why) = fate(document, &parameter) else {
                continue;
            };
            let required = parameter.get("required") == Some(&Value::Bool(true));
            match own {
                Some(index) if !required => dropped.push((path.to_string(), method, index, why)),
                _ => {
                    left_out.push((path.to_string(), method, why));
                    break;
                }
            }
        }
    }
    dropped.retain(|(path, method, ..)| !left_out.iter().any(|(p, m, _)| p == path && m == method));
    for (path, method, index, why) in dropped.into_iter().rev() {
        let pointer = json_pointer(["paths", &path, method, "parameters"]);
        if let Some(Value::Array(parameters)) = document.pointer_mut(&pointer) {
            parameters.remove(index);
            notes.add(
                format!("{pointer}/{index}"),
                format!("optional parameter left out: {why}"),
            );
        }
    }
    for (path, method, why) in left_out {
        let removed = document
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(&path))
            .and_then(Value::as_object_mut)
            .and_then(|item| item.remove(method));
        if removed.is_some() {
            notes.add(
                json_pointer(["paths", &path, method]),
                format!("operation left out: {why}"),
            );
        }
    }
}

/// The parameters that apply to `operation` (its own, with their index, and
/// its path item's that it does not override), each resolved.
fn parameters(document: &Value, path: &str, operation: &Value) -> Vec<(Value, Option<usize>)> {
    let listed = |holder: &Value| -> Vec<Value> {
        holder
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|parameter| resolve(document, parameter).unwrap_or(Value::Null))
            .collect()
    };
    let own = listed(operation);
    let key = |parameter: &Value| (parameter.get("name").cloned(), parameter.get("in").cloned());
    let inherited: Vec<_> = listed(&document["paths"][path])
        .into_iter()
        .filter(|parameter| own.iter().all(|mine| key(mine) != key(parameter)))
        .map(|parameter| (parameter, None))
        .collect();
    own.into_iter()
        .enumerate()
        .map(|(index, parameter)| (parameter, Some(index)))
        .chain(inherited)
        .collect()
}

/// What becomes of `parameter`.
fn fate(document: &Value, parameter: &Value) -> Fate {
    let name = parameter
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default();
    let location = parameter.get("in").and_then(Value::as_str);
    let shape = shape(document, parameter.get("schema"));
    let explode = parameter.get("explode").and_then(Value::as_bool);
    match location {
        Some("query") => {
            let style = parameter
                .get("style")
                .and_then(Value::as_str)
                .unwrap_or("form");
            match (style, shape) {
                ("form", Shape::Scalar) => Fate::Kept,
                ("form", Shape::Object) => Fate::Unsendable(format!(
                    "query parameter `{name}` is an object, which progenitor cannot send in a query"
                )),
                ("form", Shape::Array) if explode != Some(false) => Fate::Kept,
                ("form", _) => Fate::Unsendable(format!(
                    "query parameter `{name}` is `form` with `explode: false` (`{name}=a,b`), and progenitor sends each value as its own `{name}=` pair"
                )),
                ("spaceDelimited" | "pipeDelimited" | "deepObject", _) => {
                    Fate::Unsendable(format!(
                        "query parameter `{name}` has style `{style}`, which progenitor cannot send"
                    ))
                }
                _ => Fate::Kept,
            }
        }
        Some("path") => {
            let style = parameter
                .get("style")
                .and_then(Value::as_str)
                .unwrap_or("simple");
            match (style, shape) {
                ("simple", Shape::Scalar) => Fate::Kept,
                ("simple", _) => Fate::Unsendable(format!(
                    "path parameter `{name}` is an array or object, and progenitor sends a path parameter as one value"
                )),
                (style @ ("label" | "matrix"), _) => Fate::Unsendable(format!(
                    "path parameter `{name}` has style `{style}`, which progenitor cannot send"
                )),
                _ => Fate::Kept,
            }
        }
        _ => Fate::Kept,
    }
}

/// The shape of `schema` (through `$ref`s). A composition (`allOf`,
/// `oneOf`, `anyOf`) has its members' widest shape: `oneOf` of a string
/// and an array of strings may be an array, `oneOf` of two string formats
/// is a scalar.
fn shape(document: &Value, schema: Option<&Value>) -> Shape {
    shape_within(document, schema, MAX_DEPTH)
}

/// How deep compositions are followed; deeper counts as an object.
const MAX_DEPTH: usize = 8;

fn shape_within(document: &Value, schema: Option<&Value>, depth: usize) -> Shape {
    let Some(schema) = schema.and_then(|schema| resolve(document, schema)) else {
        return Shape::Scalar;
    };
    match schema.get("type").and_then(Value::as_str) {
        Some("array") => return Shape::Array,
        Some("object") => return Shape::Object,
        Some(_) => return Shape::Scalar,
        None => {}
    }
    if schema.get("items").is_some() {
        return Shape::Array;
    }
    if schema.get("properties").is_some() || schema.get("additionalProperties").is_some() {
        return Shape::Object;
    }
    let members: Vec<&Value> = ["allOf", "oneOf", "anyOf"]
        .iter()
        .filter_map(|key| schema.get(*key).and_then(Value::as_array))
        .flatten()
        .collect();
    if members.is_empty() {
        return Shape::Scalar;
    }
    if depth == 0 {
        return Shape::Object;
    }
    members
        .into_iter()
        .map(|member| shape_within(document, Some(member), depth - 1))
        .max()
        .unwrap_or(Shape::Scalar)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn spec(parameter: Value) -> Value {
        json!({
            "openapi": "3.0.3",
            "paths": {
                "/items/{id}": {
                    "get": {"operationId": "getItem", "parameters": [parameter]},
                    "put": {"operationId": "putItem"}
                }
            },
            "components": {"schemas": {"Ids": {"type": "array", "items": {"type": "integer"}}}}
        })
    }

    fn normalized(parameter: Value) -> (Value, Vec<String>) {
        let mut document = spec(parameter);
        let mut notes = Notes::default();
        parameter_styles(&mut document, &mut notes);
        let notes = notes.finish().iter().map(ToString::to_string).collect();
        (document, notes)
    }

    /// The note on `parameter`, made required, leaving its operation out.
    fn left_out(mut parameter: Value) -> String {
        parameter["required"] = Value::Bool(true);
        let (document, notes) = normalized(parameter);
        assert!(document.pointer("/paths/~1items~1{id}/get").is_none());
        assert!(document.pointer("/paths/~1items~1{id}/put").is_some());
        assert_eq!(notes.len(), 1, "{notes:?}");
        notes.into_iter().next().unwrap_or_default()
    }

    fn kept(parameter: Value) {
        let before = spec(parameter.clone());
        let (document, notes) = normalized(parameter);
        assert_eq!(document, before);
        assert!(notes.is_empty(), "{notes:?}");
    }

    #[test]
    fn optional_parameters_go_alone() {
        let (document, notes) = normalized(json!({"name": "ids", "in": "query",
            "style": "pipeDelimited", "schema": {"$ref": "#/components/schemas/Ids"}}));
        assert_eq!(
            document["paths"]["/items/{id}"]["get"]["parameters"],
            json!([])
        );
        assert_eq!(
            notes,
            [
                "#/paths/~1items~1{id}/get/parameters/0: optional parameter left out: query parameter `ids` has style `pipeDelimited`, which progenitor cannot send"
            ]
        );
    }

    #[test]
    fn exploded_forms_and_scalars_are_kept() {
        kept(json!({"name": "ids", "in": "query", "schema": {"type": "array", "items": {}}}));
        kept(
            json!({"name": "ids", "in": "query", "style": "form", "explode": true,
            "schema": {"$ref": "#/components/schemas/Ids"}}),
        );
        kept(json!({"name": "q", "in": "query", "explode": false, "schema": {"type": "string"}}));
        kept(json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}));
        kept(json!({"name": "id", "in": "header", "schema": {"type": "array"}}));
    }

    #[test]
    fn compositions_take_their_widest_member() {
        let scalar = json!({"oneOf": [{"type": "string", "format": "uuid"}, {"type": "string"}]});
        let array = json!({"oneOf": [{"type": "string"}, {"type": "array", "items": {}}]});
        kept(json!({"name": "id", "in": "path", "schema": scalar}));
        kept(json!({"name": "id", "in": "query", "schema": array}));
        let note = left_out(json!({"name": "id", "in": "path", "schema": array}));
        assert!(note.contains("array or object"), "{note}");
        let object = json!({"allOf": [{"$ref": "#/components/schemas/Ids"}, {"properties": {}}]});
        let note = left_out(json!({"name": "f", "in": "query", "schema": object}));
        assert!(note.contains("is an object"), "{note}");
    }

    #[test]
    fn query_objects_leave_their_operation_out() {
        let note = left_out(json!({"name": "f", "in": "query",
            "schema": {"properties": {"a": {"type": "string"}}}}));
        assert!(note.contains("`f` is an object"), "{note}");
    }

    #[test]
    fn unexploded_arrays_leave_their_operation_out() {
        let note = left_out(json!({"name": "ids", "in": "query", "explode": false,
            "schema": {"$ref": "#/components/schemas/Ids"}}));
        assert_eq!(
            note,
            "#/paths/~1items~1{id}/get: operation left out: query parameter `ids` is `form` with `explode: false` (`ids=a,b`), and progenitor sends each value as its own `ids=` pair"
        );
    }

    #[test]
    fn delimited_and_deep_objects_leave_their_operation_out() {
        for style in ["spaceDelimited", "pipeDelimited", "deepObject"] {
            for schema in [json!({"type": "array"}), json!({"type": "integer"})] {
                let note = left_out(json!({"name": "f", "in": "query", "style": style,
                    "schema": schema}));
                assert!(note.contains(&format!("style `{style}`")), "{note}");
            }
        }
    }

    #[test]
    fn label_matrix_and_array_paths_leave_their_operation_out() {
        for style in ["label", "matrix"] {
            let note = left_out(json!({"name": "id", "in": "path", "style": style,
                "schema": {"type": "string"}}));
            assert!(note.contains(&format!("style `{style}`")), "{note}");
        }
        let note = left_out(json!({"name": "id", "in": "path", "schema": {"items": {}}}));
        assert!(note.contains("array or object"), "{note}");
    }

    #[test]
    fn inherited_parameters_count_unless_overridden() {
        let mut document = spec(json!({"name": "ids", "in": "query", "schema": {"type": "array"}}));
        document["paths"]["/items/{id}"]["parameters"] = json!([{"name": "ids", "in": "query", "style": "deepObject", "schema": {"type": "object"}}]);
        let mut notes = Notes::default();
        parameter_styles(&mut document, &mut notes);
        // `get` overrides `ids` with an exploded form; `put` inherits the deep object.
        assert!(document.pointer("/paths/~1items~1{id}/get").is_some());
        assert!(document.pointer("/paths/~1items~1{id}/put").is_none());
    }
}
