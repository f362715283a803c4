//! Adjusting a spec before progenitor sees it, and recording what the
//! post-processing needs to know about it.
//!
//! - Property `default`s move into the description: for an update call an
//!   omitted field means "leave it as it is", so the client must not fill in
//!   the server's default (typify would make such fields non-optional).
//! - Bare URLs in descriptions become `<…>` autolinks, so rustdoc does not warn.
//! - Optional `nullable` properties are recorded: they become `Nullable<T>`.

use std::collections::BTreeSet;

use heck::ToUpperCamelCase;
use serde_json::{Map, Value};

use crate::error::{Location, SpecErrorKind};
use crate::load::Spec;

/// A property that is optional and nullable: absent, `null` and a value
/// must all be expressible.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) struct NullableField {
    /// The typify type name of the struct that holds it.
    pub type_name: String,
    /// The JSON property name.
    pub property: String,
}

/// The document progenitor is given, plus what post-processing needs.
pub(crate) struct Prepared {
    pub document: openapiv3::OpenAPI,
    pub nullable_fields: BTreeSet<NullableField>,
}

pub(crate) fn prepare(spec: &Spec) -> Result<Prepared, crate::SpecError> {
    let mut raw = spec.raw.clone();
    autolink_descriptions(&mut raw);
    let mut nullable_fields = BTreeSet::new();
    if let Some(Value::Object(schemas)) = raw.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            visit_schema(schema, &typify_name(name), &mut nullable_fields);
        }
    }
    if let Some(Value::Object(paths)) = raw.get_mut("paths") {
        for operation in paths
            .values_mut()
            .filter_map(Value::as_object_mut)
            .flat_map(|item| item.values_mut())
        {
            let Some(id) = operation
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_string)
            else {
                continue;
            };
            if let Some(schema) =
                operation.pointer_mut("/requestBody/content/application~1json/schema")
            {
                visit_schema(
                    schema,
                    &typify_name(&format!("{id}-body")),
                    &mut nullable_fields,
                );
            }
            if let Some(Value::Object(responses)) = operation.get_mut("responses") {
                for response in responses.values_mut() {
                    if let Some(schema) = response.pointer_mut("/content/application~1json/schema")
                    {
                        visit_schema(
                            schema,
                            &typify_name(&format!("{id}-response")),
                            &mut nullable_fields,
                        );
                    }
                }
            }
        }
    }
    let document = serde_json::from_value(raw)
        .map_err(|e| spec.error(Location::File, SpecErrorKind::Shape(e.to_string())))?;
    Ok(Prepared {
        document,
        nullable_fields,
    })
}

/// The name typify gives a schema (it sanitises to upper camel case).
pub(crate) fn typify_name(name: &str) -> String {
    name.to_upper_camel_case()
}

fn visit_schema(schema: &mut Value, type_name: &str, nullable: &mut BTreeSet<NullableField>) {
    let Value::Object(schema) = schema else {
        return;
    };
    if let Some(items) = schema.get_mut("items") {
        visit_schema(items, &format!("{type_name}Item"), nullable);
    }
    let required: BTreeSet<String> = schema
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default();
    let Some(Value::Object(properties)) = schema.get_mut("properties") else {
        return;
    };
    for (property, sub) in properties.iter_mut() {
        let Value::Object(fields) = sub else { continue };
        // `nullable` next to a `$ref` counts too: it is how a shared shape is made clearable.
        if fields.get("nullable") == Some(&Value::Bool(true)) && !required.contains(property) {
            nullable.insert(NullableField {
                type_name: type_name.to_string(),
                property: property.clone(),
            });
        }
        if fields.contains_key("$ref") {
            continue;
        }
        move_default_into_description(fields);
        visit_schema(
            sub,
            &format!("{type_name}{}", typify_name(property)),
            nullable,
        );
    }
}

fn move_default_into_description(fields: &mut Map<String, Value>) {
    let Some(default) = fields.remove("default") else {
        return;
    };
    let note = format!("When omitted, the server uses `{default}`.");
    let description = match fields.get("description").and_then(Value::as_str) {
        Some(text) => format!("{}\n\n{note}", text.trim_end()),
        None => note,
    };
    fields.insert("description".into(), Value::String(description));
}

/// Wraps bare `http(s)://` URLs of every `description` in `<…>`.
/// Examples, defaults and enums are data and stay as written.
fn autolink_descriptions(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    ("example" | "examples" | "default" | "enum", _) => {}
                    ("description" | "summary", Value::String(text)) => *text = autolink(text),
                    (_, value) => autolink_descriptions(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(autolink_descriptions),
        _ => {}
    }
}

fn autolink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let next_url = |s: &str| {
        ["http://", "https://"]
            .iter()
            .filter_map(|p| s.find(p))
            .min()
    };
    while let Some(start) = next_url(rest) {
        let (before, from_url) = rest.split_at(start);
        out.push_str(before);
        let end = from_url
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`' | ']'))
            .unwrap_or(from_url.len());
        let url = from_url[..end].trim_end_matches(['.', ',', ';', ':']);
        let already_linked = before.ends_with("](") || before.ends_with(['<', '`', '"']);
        if already_linked {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = &from_url[url.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::autolink;

    #[test]
    fn bare_urls_become_autolinks_and_links_stay() {
        assert_eq!(
            autolink(
                "See https://a.example/x. Or [b](https://b.example), <http://c.example> (https://d.example)."
            ),
            "See <https://a.example/x>. Or [b](https://b.example), <http://c.example> (<https://d.example>)."
        );
    }
}
