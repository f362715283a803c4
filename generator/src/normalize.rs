//! Stage 2, normalize: the document progenitor is given.
//!
//! - Property `default`s move into the description: for an update call an
//!   omitted field means "leave it as it is", so the client must not fill in
//!   the server's default (typify would make such fields non-optional).
//! - Bare URLs in descriptions become `<…>` autolinks, so rustdoc does not warn.
//! - Inline string enums move to `components/schemas`, under the name typify
//!   would give them, so that every string enum is a named schema that
//!   typify's `with_replacement` can swap for an open enum.

use std::collections::HashSet;

use serde_json::{Map, Value};

use crate::error::{Location, SpecError, SpecErrorKind};
use crate::load::Loaded;
use crate::model::names;

/// The document progenitor is given, and the file it came from.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The loaded file, for locating errors.
    pub loaded: Loaded,
    /// The normalized document.
    pub document: Value,
}

/// Normalizes a loaded spec; refuses documents that are not OpenAPI 3.0.
pub fn normalize(loaded: Loaded) -> Result<Normalized, SpecError> {
    check_version(&loaded.raw).map_err(|(location, kind)| loaded.error(location, kind))?;
    let mut document = loaded.raw.clone();
    autolink_descriptions(&mut document);
    hoist_inline_enums(&mut document);
    Ok(Normalized { loaded, document })
}

fn check_version(raw: &Value) -> Result<(), (Location, SpecErrorKind)> {
    if raw.get("swagger").is_some() {
        return Err((Location::pointer(["swagger"]), SpecErrorKind::Swagger2));
    }
    match raw.get("openapi") {
        None => Err((Location::File, SpecErrorKind::NotOpenApi)),
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(()),
        Some(other) => {
            let version = other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_string);
            Err((
                Location::pointer(["openapi"]),
                SpecErrorKind::UnsupportedVersion(version),
            ))
        }
    }
}

/// Schemas to be added to `components/schemas`, by typify name.
type Hoisted = Vec<(String, Value)>;

fn hoist_inline_enums(document: &mut Value) {
    let mut taken: HashSet<String> = document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().map(|k| names::type_name(k)).collect())
        .unwrap_or_default();
    let mut hoisted = Hoisted::new();
    if let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") {
        for (name, schema) in schemas.iter_mut() {
            visit_schema(
                schema,
                &names::type_name(name),
                true,
                &mut taken,
                &mut hoisted,
            );
        }
    }
    if let Some(Value::Object(paths)) = document.get_mut("paths") {
        for item in paths.values_mut().filter_map(Value::as_object_mut) {
            for operation in item.values_mut().filter_map(Value::as_object_mut) {
                let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
                    continue;
                };
                let id = id.to_string();
                if let Some(Value::Array(parameters)) = operation.get_mut("parameters") {
                    for parameter in parameters.iter_mut() {
                        let Some(name) = parameter.get("name").and_then(Value::as_str) else {
                            continue;
                        };
                        let type_name = names::type_name(&format!("{id}-{name}"));
                        if let Some(schema) = parameter.get_mut("schema") {
                            visit_schema(schema, &type_name, false, &mut taken, &mut hoisted);
                        }
                    }
                }
                let body = names::type_name(&format!("{id}-body"));
                for schema in json_schemas(operation.get_mut("requestBody")) {
                    visit_schema(schema, &body, false, &mut taken, &mut hoisted);
                }
                let response = names::type_name(&format!("{id}-response"));
                let responses = operation
                    .get_mut("responses")
                    .and_then(Value::as_object_mut);
                for response_object in responses.into_iter().flat_map(|r| r.values_mut()) {
                    for schema in json_schemas(Some(response_object)) {
                        visit_schema(schema, &response, false, &mut taken, &mut hoisted);
                    }
                }
            }
        }
    }
    if hoisted.is_empty() {
        return;
    }
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let schemas = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .and_then(|components| {
            components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
        });
    if let Some(schemas) = schemas {
        schemas.extend(hoisted);
    }
}

/// The schemas of the JSON media types of a request body or a response.
fn json_schemas(holder: Option<&mut Value>) -> Vec<&mut Value> {
    holder
        .and_then(|h| h.get_mut("content"))
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|content| content.iter_mut())
        .filter(|(media, _)| is_json(media))
        .filter_map(|(_, media)| media.get_mut("schema"))
        .collect()
}

/// `application/json` and `+json` media types.
pub(crate) fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a schema is a closed list of strings, which becomes an open enum.
pub(crate) fn is_string_enum(schema: &Map<String, Value>) -> bool {
    let typed_string = match schema.get("type") {
        None => true,
        Some(ty) => ty == "string",
    };
    let values = schema.get("enum").and_then(Value::as_array);
    typed_string
        && !schema.contains_key("$ref")
        && values.is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_string))
}

fn visit_schema(
    schema: &mut Value,
    type_name: &str,
    is_component: bool,
    taken: &mut HashSet<String>,
    hoisted: &mut Hoisted,
) {
    let Value::Object(fields) = schema else {
        return;
    };
    if !is_component && is_string_enum(fields) {
        let name = fields
            .get("title")
            .and_then(Value::as_str)
            .map_or_else(|| type_name.to_string(), names::type_name);
        let name = names::unique(name, taken);
        let reference = format!("#/components/schemas/{name}");
        let mut wrapper = Map::new();
        wrapper.insert("$ref".into(), Value::String(reference));
        let inline = std::mem::replace(schema, Value::Object(wrapper));
        hoisted.push((name, inline));
        return;
    }
    if let Some(items) = fields.get_mut("items") {
        let name = names::type_name(&format!("{type_name}-item"));
        visit_schema(items, &name, false, taken, hoisted);
    }
    let Some(Value::Object(properties)) = fields.get_mut("properties") else {
        return;
    };
    for (property, sub) in properties.iter_mut() {
        let Value::Object(sub_fields) = sub else {
            continue;
        };
        if sub_fields.contains_key("$ref") {
            continue;
        }
        move_default_into_description(sub_fields);
        let name = sub_fields.get("title").and_then(Value::as_str).map_or_else(
            || names::type_name(&format!("{type_name}-{property}")),
            names::type_name,
        );
        visit_schema(sub, &name, false, taken, hoisted);
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
    use super::*;

    #[test]
    fn bare_urls_become_autolinks_and_links_stay() {
        assert_eq!(
            autolink(
                "See https://a.example/x. Or [b](https://b.example), <http://c.example> (https://d.example)."
            ),
            "See <https://a.example/x>. Or [b](https://b.example), <http://c.example> (<https://d.example>)."
        );
    }

    #[test]
    fn inline_enums_move_to_components_under_typify_names() {
        let mut document = serde_json::json!({
            "paths": {"/a": {"get": {
                "operationId": "getA",
                "parameters": [{"name": "sort", "in": "query", "schema": {"type": "string", "enum": ["asc"]}}],
                "responses": {}
            }}},
            "components": {"schemas": {
                "Body": {"type": "object", "properties": {
                    "kind": {"type": "string", "enum": ["a", "b"], "default": "a"},
                    "tags": {"type": "array", "items": {"enum": ["x"]}}
                }},
                "BodyKind": {"type": "integer"}
            }}
        });
        hoist_inline_enums(&mut document);
        let schemas = document.pointer("/components/schemas").expect("schemas");
        assert_eq!(
            schemas["Body"]["properties"]["kind"],
            serde_json::json!({"$ref": "#/components/schemas/BodyKind2"})
        );
        assert_eq!(schemas["BodyKind2"]["enum"], serde_json::json!(["a", "b"]));
        assert_eq!(schemas["BodyTagsItem"]["enum"], serde_json::json!(["x"]));
        assert_eq!(schemas["GetASort"]["enum"], serde_json::json!(["asc"]));
        assert!(
            schemas["BodyKind2"]["description"]
                .as_str()
                .is_some_and(|d| d.contains("`\"a\"`"))
        );
    }
}
