//! Names that collide once Rust's case rules apply: `fooBar` and `foo_bar`
//! are two JSON names but one Rust name, and the crate would not compile.
//! Each collision is settled here, deterministically (document order: the
//! first keeps its name), with a note.
//!
//! - Component schemas: the later one is renamed (its `$ref`s follow);
//!   schema names are not on the wire, so nothing a server sees changes.
//! - `operationId`s: the later one is renamed the same way.
//! - Properties of one object: the later one cannot have a field of its
//!   own, so it is left out (its value, if sent, is ignored).
//! - Parameters of one operation, and the builder's own methods (`send`,
//!   `body`, …): path parameters first, the later one is left out when
//!   optional; an operation that would need two required
//!   parameters under one setter (or one defined on its path item) is
//!   left out of the crate.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::walk;
use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::names;
use crate::spec::operations;

/// Settles every collision of `document`.
pub(super) fn settle(document: &mut Value, notes: &mut Notes) {
    rename_schemas(document, notes);
    rename_operations(document, notes);
    drop_colliding_properties(document, notes);
    drop_colliding_parameters(document, notes);
}

fn rename_schemas(document: &mut Value, notes: &mut Notes) {
    let Some(schemas) = document
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let mut taken = BTreeSet::new();
    let mut renamed: BTreeMap<String, String> = BTreeMap::new();
    for key in schemas.keys() {
        let wanted = names::type_name(key);
        let name = names::unique(wanted.clone(), &mut taken);
        if name != wanted {
            renamed.insert(key.clone(), name);
        }
    }
    if renamed.is_empty() {
        return;
    }
    for (key, name) in &renamed {
        if let Some(schema) = schemas.remove(key) {
            notes.add(
                json_pointer(["components", "schemas", key]),
                format!(
                    "schema `{key}` would be the Rust type of another schema: it is the type `{name}`"
                ),
            );
            schemas.insert(name.clone(), schema);
        }
    }
    let targets: BTreeMap<String, String> = renamed
        .into_iter()
        .map(|(from, to)| {
            (
                format!("#/components/schemas/{}", escape(&from)),
                format!("#/components/schemas/{to}"),
            )
        })
        .collect();
    retarget(document, &targets);
}

/// A JSON pointer token for `key`.
fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// Rewrites every `$ref` of `node` that `targets` renames.
fn retarget(node: &mut Value, targets: &BTreeMap<String, String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(reference)) = map.get_mut("$ref")
                && let Some(to) = targets.get(reference.as_str())
            {
                *reference = to.clone();
            }
            map.values_mut().for_each(|v| retarget(v, targets));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| retarget(v, targets)),
        _ => {}
    }
}

fn rename_operations(document: &mut Value, notes: &mut Notes) {
    let mut taken = BTreeSet::new();
    let mut renames: Vec<(String, String, String, String)> = Vec::new();
    for (path, method, operation) in operations(document) {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let wanted = names::operation_method(id);
        let name = names::unique(wanted.clone(), &mut taken);
        if name != wanted {
            renames.push((path.to_string(), method.to_string(), id.to_string(), name));
        }
    }
    for (path, method, id, name) in renames {
        let pointer = json_pointer(["paths", path.as_str(), method.as_str()]);
        if let Some(operation) = document
            .pointer_mut(&pointer)
            .and_then(Value::as_object_mut)
        {
            operation.insert("operationId".into(), Value::String(name.clone()));
            notes.add(
                format!("{pointer}/operationId"),
                format!(
                    "`operationId: {id}` would be the Rust method of another operation: it is `{name}`"
                ),
            );
        }
    }
}

fn drop_colliding_properties(document: &mut Value, notes: &mut Notes) {
    walk::schemas_mut(document, &mut |schema, path| {
        let Some(Value::Object(properties)) = schema.get_mut("properties") else {
            return;
        };
        let mut fields = BTreeSet::new();
        let colliding: Vec<String> = properties
            .keys()
            .filter(|key| !fields.insert(names::field_name(key)))
            .cloned()
            .collect();
        for key in &colliding {
            properties.remove(key);
            notes.add(
                json_pointer(path.iter().map(String::as_str).chain(["properties", key])),
                format!(
                    "property `{key}` would have the Rust field of another property of this object: left out"
                ),
            );
        }
        if let Some(Value::Array(required)) = schema.get_mut("required") {
            required.retain(|r| r.as_str().is_none_or(|r| !colliding.iter().any(|c| c == r)));
        }
    });
}

/// A parameter of one operation, as the builder sees it.
struct Parameter {
    setter: String,
    in_path: bool,
    required: bool,
    /// Its index in the operation's own `parameters`, `None` on the path item.
    own: Option<usize>,
}

fn drop_colliding_parameters(document: &mut Value, notes: &mut Notes) {
    let resolve = |document: &Value, parameter: &Value| -> Value {
        match parameter.get("$ref").and_then(Value::as_str) {
            Some(target) => target
                .strip_prefix('#')
                .and_then(|p| document.pointer(p))
                .cloned()
                .unwrap_or(Value::Null),
            None => parameter.clone(),
        }
    };
    let mut plans: Vec<(String, String, Result<Vec<usize>, String>)> = Vec::new();
    for (path, method, operation) in operations(document) {
        let listed = |holder: Option<&Value>| -> Vec<Value> {
            holder
                .and_then(|h| h.get("parameters"))
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(|p| resolve(document, p))
                .collect()
        };
        let own = listed(Some(operation));
        let key = |p: &Value| {
            (
                p.get("name")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
                p.get("in")
                    .and_then(Value::as_str)
                    .unwrap_or("")
                    .to_string(),
            )
        };
        let overridden: BTreeSet<(String, String)> = own.iter().map(key).collect();
        let shared = listed(document.get("paths").and_then(|p| p.get(path)));
        let describe = |p: &Value, own: Option<usize>| Parameter {
            setter: names::parameter_setter(p.get("name").and_then(Value::as_str).unwrap_or("")),
            in_path: p.get("in").and_then(Value::as_str) == Some("path"),
            required: p.get("required") == Some(&Value::Bool(true)),
            own,
        };
        let mut parameters: Vec<Parameter> = shared
            .iter()
            .filter(|p| !overridden.contains(&key(p)))
            .map(|p| describe(p, None))
            .chain(own.iter().enumerate().map(|(i, p)| describe(p, Some(i))))
            .collect();
        parameters.sort_by_key(|p| !p.in_path);
        // The builder's own methods: a parameter setter must not be one
        // (progenitor renames its own locals and fields, such as `client`).
        let mut setters: BTreeSet<String> = ["new", "send"].map(String::from).into();
        if operation.get("requestBody").is_some() {
            setters.extend(["body", "body_map"].map(String::from));
        }
        let mut dropped = Vec::new();
        let mut plan = Ok(());
        for parameter in &parameters {
            if setters.insert(parameter.setter.clone()) {
                continue;
            }
            match parameter.own {
                Some(index) if !parameter.required => dropped.push(index),
                _ => {
                    plan = Err(parameter.setter.clone());
                    break;
                }
            }
        }
        plans.push((path.to_string(), method.to_string(), plan.map(|()| dropped)));
    }
    for (path, method, plan) in plans {
        let pointer = json_pointer(["paths", path.as_str(), method.as_str()]);
        match plan {
            Ok(dropped) if dropped.is_empty() => {}
            Ok(mut dropped) => {
                dropped.sort_unstable();
                if let Some(Value::Array(parameters)) = document
                    .pointer_mut(&pointer)
                    .and_then(|o| o.get_mut("parameters"))
                {
                    for index in dropped.iter().rev() {
                        parameters.remove(*index);
                    }
                }
                notes.add(
                    format!("{pointer}/parameters"),
                    "an optional parameter whose Rust setter is another parameter's is left out",
                );
            }
            Err(setter) => {
                if let Some(item) = document
                    .pointer_mut(&json_pointer(["paths", path.as_str()]))
                    .and_then(Value::as_object_mut)
                {
                    item.remove(&method);
                }
                notes.add(
                    pointer,
                    format!(
                        "operation left out of the crate: two of its parameters would both be set by `{setter}`"
                    ),
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn colliding_names_are_settled_in_document_order() {
        let mut document = json!({
            "paths": {"/a": {
                "get": {"operationId": "getA", "responses": {}},
                "put": {"operationId": "get_a", "responses": {}}
            }},
            "components": {"schemas": {
                "fooBar": {"type": "object", "required": ["x_y"],
                           "properties": {"xY": {"type": "string"}, "x_y": {"type": "string"}}},
                "foo_bar": {"type": "array", "items": {"$ref": "#/components/schemas/fooBar"}},
                "Use": {"$ref": "#/components/schemas/foo_bar"}
            }}
        });
        let mut notes = Notes::default();
        settle(&mut document, &mut notes);
        let schemas = &document["components"]["schemas"];
        assert!(schemas.get("foo_bar").is_none());
        assert_eq!(schemas["FooBar2"]["type"], "array");
        assert_eq!(schemas["Use"]["$ref"], "#/components/schemas/FooBar2");
        assert_eq!(
            schemas["fooBar"]["properties"],
            json!({"xY": {"type": "string"}})
        );
        assert_eq!(schemas["fooBar"]["required"], json!([]));
        assert_eq!(document["paths"]["/a"]["put"]["operationId"], "get_a2");
        assert_eq!(notes.finish().len(), 3);
    }

    #[test]
    fn colliding_parameters_keep_the_path_one() {
        let mut document = json!({"paths": {"/x/{id}": {
            "parameters": [{"name": "id", "in": "path", "required": true}],
            "get": {"parameters": [
                {"name": "fooBar", "in": "query"},
                {"name": "id", "in": "query"},
                {"name": "foo_bar", "in": "query"},
                {"name": "foo-bar", "in": "header"}
            ]},
            "put": {"parameters": [{"name": "ID", "in": "query", "required": true}]}
        }}});
        let mut notes = Notes::default();
        settle(&mut document, &mut notes);
        assert_eq!(
            document["paths"]["/x/{id}"]["get"]["parameters"],
            json!([{"name": "fooBar", "in": "query"}])
        );
        assert!(document["paths"]["/x/{id}"].get("put").is_none());
        assert_eq!(notes.finish().len(), 2);
    }
}
