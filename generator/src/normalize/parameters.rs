//! Parameters progenitor cannot take, made ones it can, at the operation
//! they are in (progenitor panics or refuses the whole spec on each):
//!
//! - a path parameter not `required: true` is required (a path has no
//!   optional segments: OpenAPI requires `required: true` on every one);
//! - a `{name}` of the path template with no `in: path` parameter gets one,
//!   a string (the vendor forgot to declare it; a string sends any value);
//! - an `in: path` parameter the template does not name is left out;
//! - a query, header or cookie parameter named like a path parameter is
//!   left out (progenitor gives each parameter a method of its name);
//! - a `nullable` parameter schema is not nullable (nothing sends a null);
//! - an object-schema query parameter is left out (progenitor has no query
//!   serialization for objects);
//! - a parameter whose Rust name another one of the operation already has
//!   (Twilio's `EndTime`, `EndTime<` and `EndTime>` are all `end_time`) is
//!   left out: progenitor would declare the field twice, and the wire name
//!   is what the server reads, so it cannot be renamed.

use std::collections::HashSet;

use serde_json::{Map, Value, json};

use super::operations::operation_keys;
use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::names;
use crate::spec::resolve;

/// Repairs the parameters of every operation.
pub(super) fn repair(document: &mut Value, notes: &mut Notes) {
    for (path, method) in operation_keys(document) {
        repair_operation(document, &path, method, notes);
    }
}

/// One parameter as it stands in a list, and what it resolves to.
struct Listed {
    /// `parameters` of the path item (`None`) or of the operation.
    on_operation: bool,
    index: usize,
    resolved: Map<String, Value>,
}

fn listed(document: &Value, holder: Option<&Value>, on_operation: bool) -> Vec<Listed> {
    holder
        .and_then(|h| h.get("parameters"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
        .filter_map(|(index, parameter)| {
            let resolved = resolve(document, parameter)?.as_object()?.clone();
            Some(Listed {
                on_operation,
                index,
                resolved,
            })
        })
        .collect()
}

fn field<'a>(parameter: &'a Map<String, Value>, key: &str) -> Option<&'a str> {
    parameter.get(key).and_then(Value::as_str)
}

fn repair_operation(document: &mut Value, path: &str, method: &str, notes: &mut Notes) {
    let item = document.get("paths").and_then(|p| p.get(path));
    let operation = item.and_then(|i| i.get(method));
    let mut parameters = listed(document, item, false);
    parameters.extend(listed(document, operation, true));
    let template: Vec<String> = path
        .split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name.to_string()))
        .collect();
    let place = |p: &Listed| -> Vec<String> {
        let mut keys = vec!["paths".to_string(), path.to_string()];
        if p.on_operation {
            keys.push(method.to_string());
        }
        keys.extend(["parameters".to_string(), p.index.to_string()]);
        keys
    };
    let pointer = |keys: &[String]| json_pointer(keys.iter().map(String::as_str));

    // Replacements (the resolved parameter, changed) and removals, by place.
    let mut replace: Vec<(Vec<String>, Value)> = Vec::new();
    let mut remove: Vec<Vec<String>> = Vec::new();
    let path_names: Vec<&str> = parameters
        .iter()
        .filter(|p| field(&p.resolved, "in") == Some("path"))
        .filter_map(|p| field(&p.resolved, "name"))
        .collect();
    // Rust names taken, path parameters first (they cannot be left out).
    let mut rust_names: HashSet<String> = path_names
        .iter()
        .map(|n| names::parameter_setter(n))
        .collect();
    for parameter in &parameters {
        let name = field(&parameter.resolved, "name").unwrap_or_default();
        let keys = place(parameter);
        let located = field(&parameter.resolved, "in");
        if located != Some("path")
            && !rust_names.insert(names::parameter_setter(name))
            && !path_names.contains(&name)
        {
            notes.degrade(
                pointer(&keys),
                format!(
                    "parameter `{name}` has the Rust name `{}` of another parameter of the operation: left out",
                    names::parameter_setter(name)
                ),
            );
            remove.push(keys);
            continue;
        }
        match located {
            Some("path") if !template.iter().any(|t| t == name) => {
                notes.degrade(
                    pointer(&keys),
                    format!("path parameter `{name}` is not in the path template: left out"),
                );
                remove.push(keys);
            }
            Some("path") if parameter.resolved.get("required") != Some(&Value::Bool(true)) => {
                let mut fixed = parameter.resolved.clone();
                fixed.insert("required".into(), Value::Bool(true));
                notes.add(
                    pointer(&keys),
                    "a path parameter is always required (OpenAPI asks `required: true`): taken as required",
                );
                replace.push((keys, Value::Object(fixed)));
            }
            Some("query" | "header" | "cookie") if path_names.contains(&name) => {
                notes.degrade(
                    pointer(&keys),
                    format!("parameter `{name}` is also a path parameter: this one is left out"),
                );
                remove.push(keys);
            }
            Some("path" | "query" | "header")
                if parameter
                    .resolved
                    .get("schema")
                    .and_then(|s| s.get("nullable"))
                    == Some(&Value::Bool(true)) =>
            {
                // A parameter is sent or not; there is no null to send, and
                // progenitor cannot format an `Option` as the value.
                let mut fixed = parameter.resolved.clone();
                if let Some(Value::Object(schema)) = fixed.get_mut("schema") {
                    schema.remove("nullable");
                }
                notes.add(
                    pointer(&keys),
                    "a parameter has no null to send: `nullable` is left out of its schema",
                );
                replace.push((keys, Value::Object(fixed)));
            }
            Some("query") if is_object(document, parameter.resolved.get("schema")) => {
                notes.degrade(
                    pointer(&keys),
                    format!("query parameter `{name}` is an object, which the client cannot send in a query: left out"),
                );
                remove.push(keys);
            }
            _ => {}
        }
    }
    let missing: Vec<&String> = template
        .iter()
        .filter(|t| !path_names.contains(&t.as_str()))
        .collect();
    let Some(Value::Object(operation)) = document
        .get_mut("paths")
        .and_then(|p| p.get_mut(path))
        .and_then(|i| i.get_mut(method))
    else {
        return;
    };
    for name in missing {
        notes.degrade(
            json_pointer(["paths", path, method]),
            format!(
                "path template `{{{name}}}` has no `in: path` parameter: one is added, a string"
            ),
        );
        let list = operation
            .entry("parameters")
            .or_insert_with(|| Value::Array(Vec::new()));
        if let Value::Array(list) = list {
            list.push(
                json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}),
            );
        }
    }
    for (keys, value) in replace {
        if let Some(slot) = document.pointer_mut(&pointer(&keys)) {
            *slot = value;
        }
    }
    // Removed from the end of each list, so that indexes stay true.
    let mut remove: Vec<(Vec<String>, usize)> = remove
        .into_iter()
        .filter_map(|mut keys| {
            let index = keys.pop()?.parse().ok()?;
            Some((keys, index))
        })
        .collect();
    remove.sort();
    for (list, index) in remove.into_iter().rev() {
        if let Some(Value::Array(list)) = document.pointer_mut(&pointer(&list))
            && index < list.len()
        {
            list.remove(index);
        }
    }
}

/// Whether a parameter schema is an object (inline or by `$ref`).
fn is_object(document: &Value, schema: Option<&Value>) -> bool {
    let Some(schema) = schema.and_then(|s| resolve(document, s)) else {
        return false;
    };
    schema.get("type").and_then(Value::as_str) == Some("object")
        || schema.get("properties").is_some()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parameters_progenitor_cannot_take_are_repaired_or_left_out() {
        let mut document = json!({"paths": {"/x/{id}/{other}": {"get": {
            "parameters": [
                {"name": "id", "in": "path", "required": false, "schema": {"type": "string"}},
                {"name": "id", "in": "query", "schema": {"type": "string"}},
                {"name": "gone", "in": "path", "required": true, "schema": {"type": "string"}},
                {"name": "filter", "in": "query", "schema": {"type": "object"}},
                {"name": "page", "in": "query", "schema": {"type": "integer"}}
            ],
            "responses": {}
        }}}});
        let mut notes = Notes::default();
        repair(&mut document, &mut notes);
        let names: Vec<(String, String, bool)> =
            document["paths"]["/x/{id}/{other}"]["get"]["parameters"]
                .as_array()
                .expect("list")
                .iter()
                .map(|p| {
                    (
                        p["name"].as_str().unwrap_or_default().to_string(),
                        p["in"].as_str().unwrap_or_default().to_string(),
                        p["required"] == Value::Bool(true),
                    )
                })
                .collect();
        assert_eq!(
            names,
            [
                ("id".to_string(), "path".to_string(), true),
                ("page".to_string(), "query".to_string(), false),
                ("other".to_string(), "path".to_string(), true),
            ]
        );
        assert_eq!(notes.finish().len(), 5);
    }
}
