//! References and shapes progenitor and typify cannot follow, made ones
//! they can. Both look a `$ref` up by its last segment in the component
//! section of its kind (`#/components/responses/<name>`), so a reference
//! that points anywhere else fails, though it points at something real.
//!
//! - A parameter, request body or response `$ref` that is not
//!   `#/components/<kind>/<name>` is replaced by what it points at.
//! - A schema `$ref` that is not `#/components/schemas/<name>` (such as one
//!   into another schema's `properties`) gets its target copied into
//!   `components/schemas` under a name made from the pointer.
//! - A value where a schema must stand that is not one (a property
//!   `type: object` written one level too deep) is left out.
//!
//! First of all, a `$ref` is a URI: its fragment is percent-decoded
//! (`#/paths/~1%7Bid%7D` is the pointer `/paths/~1{id}`), so that every
//! later lookup reads it as a JSON pointer.

use std::collections::{HashMap, HashSet};

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::operations::{operation_keys, operation_mut};
use super::{taken_type_names, walk};
use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::names;
use crate::spec::resolve;

/// Whether `reference` is `#/components/<kind>/<name>` with a plain name.
fn is_canonical(reference: &str, kind: &str) -> bool {
    reference
        .strip_prefix("#/components/")
        .and_then(|rest| rest.strip_prefix(kind))
        .and_then(|rest| rest.strip_prefix('/'))
        .is_some_and(|name| !name.is_empty() && !name.contains('/'))
}

fn reference_of(value: &Value) -> Option<&str> {
    value.get("$ref").and_then(Value::as_str)
}

/// Inlines the parameters, request bodies and responses of every operation
/// whose `$ref` progenitor could not look up.
pub(super) fn inline_odd_references(document: &mut Value, notes: &mut Notes) {
    for (path, method) in operation_keys(document) {
        let Some(operation) = operation_mut(document, &path, method) else {
            continue;
        };
        let mut slots: Vec<(Vec<String>, &'static str, Value)> = Vec::new();
        let mut collect = |keys: Vec<String>, kind: &'static str, value: &Value| {
            if reference_of(value).is_some_and(|r| !is_canonical(r, kind)) {
                slots.push((keys, kind, value.clone()));
            }
        };
        if let Some(Value::Array(parameters)) = operation.get("parameters") {
            for (index, parameter) in parameters.iter().enumerate() {
                collect(
                    vec!["parameters".into(), index.to_string()],
                    "parameters",
                    parameter,
                );
            }
        }
        if let Some(body) = operation.get("requestBody") {
            collect(vec!["requestBody".into()], "requestBodies", body);
        }
        if let Some(Value::Object(responses)) = operation.get("responses") {
            for (status, response) in responses {
                collect(
                    vec!["responses".into(), status.clone()],
                    "responses",
                    response,
                );
            }
        }
        for (keys, kind, value) in slots {
            let Some(target) = resolve(document, &value) else {
                // Dangling: validate reports it.
                continue;
            };
            let reference = reference_of(&value).unwrap_or_default().to_string();
            let place: Vec<&str> = ["paths", path.as_str(), method]
                .into_iter()
                .chain(keys.iter().map(String::as_str))
                .collect();
            notes.add(
                json_pointer(place),
                format!(
                    "`$ref: {reference}` does not point into `components/{kind}`, where progenitor looks: what it points at is used in its place"
                ),
            );
            let Some(operation) = operation_mut(document, &path, method) else {
                continue;
            };
            let slot = match keys.as_slice() {
                [first, second] => operation.get_mut(first.as_str()).and_then(|v| match v {
                    Value::Array(items) => {
                        second.parse::<usize>().ok().and_then(|i| items.get_mut(i))
                    }
                    Value::Object(map) => map.get_mut(second.as_str()),
                    _ => None,
                }),
                [only] => operation.get_mut(only.as_str()),
                _ => None,
            };
            if let Some(slot) = slot {
                *slot = target;
            }
        }
    }
}

/// Copies the targets of schema `$ref`s typify could not follow into
/// `components/schemas`, and drops what is not a schema where one must be.
pub(super) fn repair_schemas(document: &mut Value, notes: &mut Notes) -> Vec<(String, Value)> {
    // Looked up once per schema: a set, so that thousands of member
    // references stay linear.
    let mut odd: Vec<String> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    walk::schemas_mut(document, &mut |schema, path| {
        let here = || json_pointer(path.iter().map(String::as_str));
        drop_non_schemas(schema, &mut |key| {
            notes.add(
                format!("{}/{key}", here()),
                "a value where a schema must stand is not a schema: left out",
            );
        });
        if let Some(reference) = schema.get("$ref").and_then(Value::as_str)
            && !is_canonical(reference, "schemas")
            && reference.starts_with('#')
            && seen.insert(reference.to_string())
        {
            odd.push(reference.to_string());
        }
    });
    if odd.is_empty() {
        return Vec::new();
    }
    let mut taken = taken_type_names(document);
    let mut added = Vec::new();
    let mut renamed: HashMap<String, String> = HashMap::new();
    for reference in odd {
        let Some(target) = reference
            .strip_prefix('#')
            .and_then(|pointer| document.pointer(pointer))
        else {
            continue;
        };
        let wanted = names::type_name(reference.trim_start_matches("#/components/schemas/"));
        let name = names::unique(wanted, &mut taken);
        notes.add(
            reference.trim_start_matches('#').to_string(),
            format!(
                "`$ref: {reference}` does not name a schema in `components/schemas`, where typify looks: the schema is copied there as `{name}`"
            ),
        );
        added.push((name.clone(), target.clone()));
        renamed.insert(reference, format!("#/components/schemas/{name}"));
    }
    walk::schemas_mut(document, &mut |schema, _| {
        if let Some(Value::String(reference)) = schema.get_mut("$ref")
            && let Some(to) = renamed.get(reference.as_str())
        {
            *reference = to.clone();
        }
    });
    for (_, schema) in added.iter_mut() {
        rename_refs(schema, &renamed);
    }
    added
}

/// Rewrites `$ref`s anywhere below `value` by `renamed`.
fn rename_refs(value: &mut Value, renamed: &HashMap<String, String>) {
    match value {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(to) = renamed.get(reference.as_str())
            {
                *reference = to.clone();
            }
            map.values_mut().for_each(|v| rename_refs(v, renamed));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rename_refs(v, renamed)),
        _ => {}
    }
}

/// Removes members of `properties` and values of `items`/`additionalProperties`
/// that are neither a schema object nor a boolean.
fn drop_non_schemas(schema: &mut Map<String, Value>, note: &mut dyn FnMut(String)) {
    let is_schema = |v: &Value| v.is_object() || v.is_boolean();
    if let Some(Value::Object(properties)) = schema.get_mut("properties") {
        let bad: Vec<String> = properties
            .iter()
            .filter(|(_, v)| !is_schema(v))
            .map(|(k, _)| k.clone())
            .collect();
        for key in bad {
            properties.remove(&key);
            note(format!(
                "properties/{}",
                key.replace('~', "~0").replace('/', "~1")
            ));
        }
    }
    for key in ["items", "additionalProperties"] {
        if schema
            .get(key)
            .is_some_and(|v| !is_schema(v) && !v.is_array())
        {
            schema.remove(key);
            note(key.to_string());
        }
    }
}

/// Percent-decodes the fragment of every local `$ref`; example data, where
/// a `$ref` key is data, is left as it is.
pub(super) fn decode_fragments(node: &mut Value) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && reference.starts_with('#')
                && reference.contains('%')
                && let Ok(decoded) = percent_decode_str(reference).decode_utf8()
            {
                *reference = decoded.into_owned();
            }
            for (key, value) in map.iter_mut() {
                match key.as_str() {
                    "example" => {}
                    "examples" => {
                        for example in value
                            .as_object_mut()
                            .into_iter()
                            .flat_map(|m| m.values_mut())
                        {
                            if let Some(example) = example.as_object_mut() {
                                example
                                    .iter_mut()
                                    .filter(|(key, _)| *key != "value")
                                    .for_each(|(_, value)| decode_fragments(value));
                            }
                        }
                    }
                    _ => decode_fragments(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(decode_fragments),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn odd_references_are_inlined_or_copied() {
        let mut document = json!({
            "paths": {"/a": {"get": {"responses": {
                "404": {"$ref": "#/components/schemas/NotFound"},
                "200": {"description": "ok", "content": {"application/json": {"schema": {
                    "type": "object",
                    "properties": {"type": "object", "id": {"$ref": "#/components/schemas/Thing/properties/id"}}
                }}}}
            }}}},
            "components": {"schemas": {
                "NotFound": {"description": "Not found"},
                "Thing": {"type": "object", "properties": {"id": {"type": "string"}}}
            }}
        });
        let mut notes = Notes::default();
        inline_odd_references(&mut document, &mut notes);
        let added = repair_schemas(&mut document, &mut notes);
        let responses = &document["paths"]["/a"]["get"]["responses"];
        assert_eq!(responses["404"], json!({"description": "Not found"}));
        let properties = &responses["200"]["content"]["application/json"]["schema"]["properties"];
        assert_eq!(
            properties,
            &json!({"id": {"$ref": "#/components/schemas/ThingPropertiesId"}})
        );
        assert_eq!(
            added,
            [("ThingPropertiesId".to_string(), json!({"type": "string"}))]
        );
        assert_eq!(notes.finish().len(), 3);
    }
}
