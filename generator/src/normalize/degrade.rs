//! Degrade, don't refuse: a vendor's mistake in one schema costs that schema,
//! never the spec. typify refuses (or panics on) a whole document for one
//! schema it cannot take; each shape it cannot take is made one it can, at
//! its place, with a note that strict mode turns into a refusal:
//!
//! - a schema typify cannot type at all (an unknown `type`, a `$ref` to
//!   nothing) becomes untyped (`{}`, a `serde_json::Value`), keeping its
//!   description;
//! - a `format` on an object, array or boolean (`uri-map`), which typify has
//!   no type for, is ignored: the object stays an object;
//! - an empty `allOf`/`anyOf`/`oneOf` says nothing and is left out;
//! - an `enum` whose values do not fit its type, or that mixes kinds of
//!   values without one, is left out (the schema keeps its type);
//! - a `default` or `example` of the wrong type is left out;
//! - a `not` typify cannot express (anything but a closed list of one kind
//!   of value) is not enforced;
//! - a bound beyond 64 bits (see `load::numbers`) or a length that is not a
//!   count is left out;
//! - a `pattern` for another regex engine is translated ([`patterns`]) or
//!   not enforced.
//!
//! Outside schemas: a security requirement whose scopes are `null` means no
//! scopes; an `OPTIONS` or `TRACE` operation, whose progenitor code does not
//! compile with reqwest, is left out.
//!
//! [`patterns`]: super::patterns

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::patterns::{self, Pattern};
use super::walk;
use crate::error::json_pointer;
use crate::note::Notes;

/// The JSON Schema types OpenAPI 3.0 knows.
const TYPES: [&str; 7] = [
    "string", "number", "integer", "boolean", "array", "object", "null",
];

/// Degrades every schema typify cannot take, and the other places that
/// would sink a spec for one mistake.
pub(super) fn degrade(document: &mut Value, notes: &mut Notes) {
    let targets = existing_refs(document);
    walk::schemas_mut(document, &mut |schema, path| {
        let here = json_pointer(path.iter().map(String::as_str));
        schema_degrade(schema, &here, &targets, notes);
    });
    null_scopes(document, notes);
    unsendable_methods(document, notes);
}

/// progenitor writes `client.options(url)` / `client.trace(url)`, which
/// reqwest's `Client` does not have: such an operation would not compile.
fn unsendable_methods(document: &mut Value, notes: &mut Notes) {
    let Some(Value::Object(items)) = document.get_mut("paths") else {
        return;
    };
    for (template, item) in items.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in ["options", "trace"] {
            if item.remove(method).is_some() {
                notes.degrade(
                    json_pointer(["paths", template.as_str(), method]),
                    format!(
                        "the `{}` operation is missing from the crate: progenitor's code for this method does not compile with reqwest",
                        method.to_uppercase()
                    ),
                );
            }
        }
    }
}

/// The local `$ref` targets of schemas that exist, looked up once.
fn existing_refs(document: &Value) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let mut targets = BTreeSet::new();
    collect_refs(document, &mut targets);
    for target in targets {
        if let Some(pointer) = target.strip_prefix('#')
            && document.pointer(pointer).is_some()
        {
            found.insert(target);
        }
    }
    found
}

fn collect_refs(node: &Value, into: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                into.insert(target.clone());
            }
            map.values().for_each(|v| collect_refs(v, into));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, into)),
        _ => {}
    }
}

fn schema_degrade(
    schema: &mut Map<String, Value>,
    here: &str,
    targets: &BTreeSet<String>,
    notes: &mut Notes,
) {
    if let Some(Value::String(target)) = schema.get("$ref")
        && target.starts_with('#')
        && !targets.contains(target)
    {
        let message = format!(
            "`$ref: {target}` points at nothing: this schema is untyped (`serde_json::Value`)"
        );
        untyped(schema);
        notes.degrade(format!("{here}/$ref"), message);
        return;
    }
    if let Some(ty) = schema.get("type")
        && !ty.as_str().is_some_and(|t| TYPES.contains(&t))
        && !ty.is_array()
    {
        let message = format!(
            "`type: {ty}` is not a JSON Schema type: this schema is untyped (`serde_json::Value`)"
        );
        untyped(schema);
        notes.degrade(format!("{here}/type"), message);
        return;
    }
    let ty = schema
        .get("type")
        .and_then(Value::as_str)
        .map(str::to_string);
    if let (Some(ty @ ("object" | "array" | "boolean")), Some(format)) =
        (ty.as_deref(), schema.get("format"))
    {
        let message = format!(
            "`format: {format}` means nothing for `type: {ty}` to typify: the format is ignored"
        );
        schema.remove("format");
        notes.degrade(format!("{here}/format"), message);
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if schema
            .get(key)
            .is_some_and(|v| v.as_array().is_none_or(Vec::is_empty))
        {
            schema.remove(key);
            notes.degrade(
                format!("{here}/{key}"),
                format!("an empty or malformed `{key}` says nothing: left out"),
            );
        }
    }
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    let fits = |value: &Value| nullable && value.is_null() || fits(ty.as_deref(), value);
    if let Some(values) = schema.get("enum") {
        let kinds: BTreeSet<&str> = values
            .as_array()
            .into_iter()
            .flatten()
            .filter(|v| !v.is_null())
            .map(kind)
            .collect();
        let bad = match values.as_array() {
            None => true,
            Some(values) if values.is_empty() => true,
            Some(values) => match ty {
                Some(_) => !values.iter().all(fits),
                None => kinds.len() > 1,
            },
        };
        if bad {
            schema.remove("enum");
            notes.degrade(
                format!("{here}/enum"),
                "the `enum` values do not all fit the schema's type: the list is not enforced",
            );
        }
    }
    for key in ["default", "example"] {
        if ty.is_some() && schema.get(key).is_some_and(|v| !fits(v)) {
            schema.remove(key);
            notes.degrade(
                format!("{here}/{key}"),
                format!("the `{key}` does not fit the schema's type: left out"),
            );
        }
    }
    if let Some(not) = schema.get("not")
        && !expressible_not(not)
    {
        schema.remove("not");
        notes.degrade(
            format!("{here}/not"),
            "typify expresses `not` only for a closed list of one kind of value: this `not` is not enforced",
        );
    }
    for key in ["minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"] {
        if schema
            .get(key)
            .is_some_and(|v| v.is_number() && !within_64_bits(v))
        {
            schema.remove(key);
            notes.degrade(
                format!("{here}/{key}"),
                format!("the `{key}` is beyond 64 bits: no bound is enforced"),
            );
        }
    }
    for key in [
        "minLength",
        "maxLength",
        "minItems",
        "maxItems",
        "minProperties",
        "maxProperties",
    ] {
        if schema.get(key).is_some_and(|v| v.as_u64().is_none()) {
            schema.remove(key);
            notes.degrade(
                format!("{here}/{key}"),
                format!("the `{key}` is not a count: left out"),
            );
        }
    }
    // A lower bound of zero says nothing, and typify would check it with a
    // comparison clippy rejects as useless (`count() < 0usize`).
    for key in ["minLength", "minItems", "minProperties"] {
        if schema.get(key).and_then(Value::as_u64) == Some(0) {
            schema.remove(key);
        }
    }
    pattern(schema, here, notes);
}

/// Makes `schema` untyped, keeping what documents it.
fn untyped(schema: &mut Map<String, Value>) {
    let kept: Map<String, Value> = std::mem::take(schema)
        .into_iter()
        .filter(|(key, value)| matches!(key.as_str(), "description" | "title") && value.is_string())
        .collect();
    *schema = kept;
}

fn pattern(schema: &mut Map<String, Value>, here: &str, notes: &mut Notes) {
    let Some(value) = schema.get("pattern") else {
        return;
    };
    let Some(text) = value.as_str() else {
        schema.remove("pattern");
        notes.degrade(
            format!("{here}/pattern"),
            "the `pattern` is not a string: not enforced",
        );
        return;
    };
    match patterns::check(text) {
        Pattern::Valid => {}
        Pattern::Translated(translated) => {
            notes.add(
                format!("{here}/pattern"),
                "the `pattern` is written for another regex engine: translated to the ECMAScript syntax the client's engine (regress) takes",
            );
            schema.insert("pattern".into(), Value::String(translated));
        }
        Pattern::Untranslatable => {
            schema.remove("pattern");
            notes.degrade(
                format!("{here}/pattern"),
                "the `pattern` uses what the client's regex engine (regress, ECMAScript syntax) cannot express: not enforced",
            );
        }
    }
}

/// The JSON kind of a value.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

/// Whether `value` is an instance of the JSON Schema type `ty` (any
/// value fits no type, or a type list).
fn fits(ty: Option<&str>, value: &Value) -> bool {
    match ty {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        Some("null") => value.is_null(),
        _ => true,
    }
}

/// Whether a bound is within what a 64-bit integer or a finite float
/// written by the vendor holds (an overflow reads as `±f64::MAX`).
fn within_64_bits(value: &Value) -> bool {
    if value.is_i64() || value.is_u64() {
        return true;
    }
    value
        .as_f64()
        .is_some_and(|v| v.abs() < 18_446_744_073_709_551_616.0)
}

/// The `not` shapes typify takes: `{}` or a boolean, a typed `enum`, or an
/// untyped `enum` of one kind of value (not null, array or object).
fn expressible_not(not: &Value) -> bool {
    let Value::Object(not) = not else {
        return not.is_boolean();
    };
    if not.is_empty() {
        return true;
    }
    let Some(Value::Array(values)) = not.get("enum") else {
        return false;
    };
    let ty = not.get("type");
    let only_enum = not
        .keys()
        .all(|k| matches!(k.as_str(), "enum" | "type" | "description" | "title"));
    let kinds: BTreeSet<&str> = values.iter().map(kind).collect();
    match ty.and_then(Value::as_str) {
        Some(ty) => {
            only_enum
                && TYPES.contains(&ty)
                && !values.is_empty()
                && values.iter().all(|v| fits(Some(ty), v))
        }
        None => {
            ty.is_none()
                && only_enum
                && kinds.len() == 1
                && kinds
                    .iter()
                    .all(|k| matches!(*k, "boolean" | "number" | "string"))
        }
    }
}

/// `security: [{scheme: null}]` means the scheme with no scopes.
fn null_scopes(document: &mut Value, notes: &mut Notes) {
    if let Some(list) = document.get_mut("security") {
        fix_scopes(vec!["security".into()], list, notes);
    }
    let Some(Value::Object(items)) = document.get_mut("paths") else {
        return;
    };
    for (template, item) in items.iter_mut() {
        for method in crate::spec::METHODS {
            if let Some(list) = item.get_mut(method).and_then(|o| o.get_mut("security")) {
                let place = vec![
                    "paths".into(),
                    template.clone(),
                    method.into(),
                    "security".into(),
                ];
                fix_scopes(place, list, notes);
            }
        }
    }
}

fn fix_scopes(place: Vec<String>, list: &mut Value, notes: &mut Notes) {
    for (index, requirement) in list.as_array_mut().into_iter().flatten().enumerate() {
        for (scheme, scopes) in requirement.as_object_mut().into_iter().flatten() {
            if scopes.is_null() {
                *scopes = Value::Array(Vec::new());
                let index = index.to_string();
                let keys = place
                    .iter()
                    .map(String::as_str)
                    .chain([index.as_str(), scheme.as_str()]);
                notes.add(
                    json_pointer(keys),
                    "a security requirement's scopes are `null`: read as no scopes",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn degraded(schema: Value) -> (Value, Vec<String>) {
        let mut document = serde_json::json!({"components": {"schemas": {"S": schema}}});
        let mut notes = Notes::default();
        degrade(&mut document, &mut notes);
        let notes = notes.finish().iter().map(|n| n.to_string()).collect();
        (document["components"]["schemas"]["S"].clone(), notes)
    }

    #[test]
    fn schemas_typify_cannot_type_become_untyped_with_their_description() {
        let (schema, notes) =
            degraded(serde_json::json!({"type": "foo", "description": "d", "enum": [1]}));
        assert_eq!(schema, serde_json::json!({"description": "d"}));
        assert_eq!(notes.len(), 1);
        let (schema, notes) = degraded(serde_json::json!({"$ref": "#/components/schemas/Gone"}));
        assert_eq!(schema, serde_json::json!({}));
        assert!(notes[0].starts_with("#/components/schemas/S/$ref: degraded: "));
    }

    #[test]
    fn a_mistake_costs_only_its_keyword() {
        let (schema, notes) = degraded(serde_json::json!({
            "type": "object", "format": "uri-map", "allOf": [],
            "properties": {
                "n": {"type": "integer", "maximum": 18446744073709552000_f64, "default": "x", "enum": [1, "a"]},
                "s": {"type": "string", "pattern": "(?m)^a$", "not": {"not": {"type": "string"}}}
            }
        }));
        assert_eq!(
            schema,
            serde_json::json!({"type": "object", "properties": {
                "n": {"type": "integer"},
                "s": {"type": "string"}
            }})
        );
        assert_eq!(notes.len(), 7, "{notes:#?}");
    }

    #[test]
    fn nulls_fit_nullable_schemas_and_closed_lists_stay() {
        let schema = serde_json::json!({"type": "string", "nullable": true, "enum": ["a", null], "default": null});
        assert_eq!(degraded(schema.clone()), (schema, vec![]));
        let not = serde_json::json!({"type": "string", "not": {"enum": ["x"]}});
        assert_eq!(degraded(not.clone()), (not, vec![]));
    }
}
