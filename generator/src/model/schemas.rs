//! Facts about the spec's schemas that the generated types act on and
//! typify does not: string enums (made open) and optional properties that
//! may also be `null` (made `Nullable<T>`).
//!
//! A Dropshot page's `next_page` stays `Option<String>`: progenitor's
//! pagination stream reads it as one (`is_none`), and a client only ever
//! reads it, so absent and `null` mean the same there.

use serde_json::{Map, Value};

use super::names;
use crate::spec::is_string_enum;

/// A string enum, generated as an open enum in place of typify's closed one.
#[derive(Debug, Clone)]
pub struct OpenEnum {
    /// The schema's key in `components/schemas`.
    pub schema: String,
    /// The type's name (typify's name for the schema).
    pub type_name: String,
    /// `description`.
    pub description: Option<String>,
    /// The spec's values, in order.
    pub values: Vec<OpenEnumValue>,
}

/// One value of an [`OpenEnum`].
#[derive(Debug, Clone)]
pub struct OpenEnumValue {
    /// The variant, distinct from the others and from `Unknown`.
    pub variant: String,
    /// The value on the wire.
    pub wire: String,
}

/// An optional property that may be `null`: absent, `null` and a value must
/// all be expressible.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NullableField {
    /// typify's name for the struct that holds it.
    pub type_name: String,
    /// The JSON property.
    pub property: String,
    /// typify's name for the field.
    pub field: String,
}

/// The variant that keeps values the spec does not list.
pub const UNKNOWN_VARIANT: &str = "Unknown";

pub(super) fn facts(document: &Value) -> (Vec<OpenEnum>, Vec<NullableField>) {
    let mut open_enums = Vec::new();
    let mut nullable = Vec::new();
    let schemas = document
        .pointer("/components/schemas")
        .and_then(Value::as_object);
    for (key, schema) in schemas.into_iter().flatten() {
        let type_name = names::type_name(key);
        match schema.as_object() {
            Some(fields) if is_string_enum(fields) => {
                open_enums.push(open_enum(key, &type_name, fields))
            }
            // typify names the struct of a nullable object component
            // `<Name>Inner` (or by its `title`, which wins over a name typify
            // only suggests) and makes `<Name>` an `Option` of it.
            Some(fields)
                if fields.get("nullable") == Some(&Value::Bool(true))
                    && fields.get("type") == Some(&Value::String("object".into())) =>
            {
                let inner = fields
                    .get("title")
                    .and_then(Value::as_str)
                    .map_or_else(|| format!("{type_name}Inner"), names::type_name);
                nullable_fields(schema, &inner, &mut nullable)
            }
            Some(_) => nullable_fields(schema, &type_name, &mut nullable),
            None => {}
        }
    }
    let operations = document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values());
    for operation in operations {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let body = operation.pointer("/requestBody/content");
        let responses = operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flat_map(|r| r.values())
            .filter_map(|response| response.get("content"));
        for (content, suffix) in body
            .map(|b| (b, "body"))
            .into_iter()
            .chain(responses.map(|r| (r, "response")))
        {
            let type_name = names::type_name(&format!("{id}-{suffix}"));
            for media in content.as_object().into_iter().flat_map(|c| c.values()) {
                if let Some(schema) = media.get("schema") {
                    // typify names an inline schema by its `title` when it has one.
                    let type_name = schema
                        .get("title")
                        .and_then(Value::as_str)
                        .map_or_else(|| type_name.clone(), names::type_name);
                    nullable_fields(schema, &type_name, &mut nullable);
                }
            }
        }
    }
    let pages = dropshot_pages(document);
    nullable.retain(|fact| !(fact.property == "next_page" && pages.contains(&fact.type_name)));
    (open_enums, nullable)
}

/// The types of the pages of operations progenitor pages through
/// (`x-dropshot-pagination`): their success response's JSON schema.
fn dropshot_pages(document: &Value) -> Vec<String> {
    let operations = document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| item.values())
        .filter(|operation| operation.get("x-dropshot-pagination").is_some());
    let mut pages = Vec::new();
    for operation in operations {
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let responses = operation.get("responses").and_then(Value::as_object);
        let schemas = responses
            .into_iter()
            .flatten()
            .filter(|(status, _)| status.starts_with('2'))
            .filter_map(|(_, response)| response.pointer("/content/application~1json/schema"));
        for schema in schemas {
            let name = match schema.get("$ref").and_then(Value::as_str) {
                Some(reference) => reference
                    .strip_prefix("#/components/schemas/")
                    .map(names::type_name),
                None => Some(names::type_name(&format!("{id}-response"))),
            };
            pages.extend(name);
        }
    }
    pages
}

fn open_enum(key: &str, type_name: &str, schema: &Map<String, Value>) -> OpenEnum {
    let wires: Vec<String> = schema
        .get("enum")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    let variants = names::distinct(
        wires.iter().map(|wire| names::type_name(wire)),
        &[UNKNOWN_VARIANT],
    );
    OpenEnum {
        schema: key.to_string(),
        type_name: type_name.to_string(),
        description: schema
            .get("description")
            .and_then(Value::as_str)
            .map(str::to_string),
        values: variants
            .into_iter()
            .zip(wires)
            .map(|(variant, wire)| OpenEnumValue { variant, wire })
            .collect(),
    }
}

/// Records the optional nullable properties of an object schema named
/// `type_name`, and of the inline objects below it, named as typify names them.
fn nullable_fields(schema: &Value, type_name: &str, found: &mut Vec<NullableField>) {
    let Some(fields) = schema.as_object() else {
        return;
    };
    if fields.contains_key("$ref") {
        return;
    }
    if let Some(items) = fields.get("items") {
        nullable_fields(
            items,
            &names::type_name(&format!("{type_name}-item")),
            found,
        );
    }
    let required: Vec<&str> = fields
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    let properties = fields.get("properties").and_then(Value::as_object);
    for (property, sub) in properties.into_iter().flatten() {
        // `nullable` beside a `$ref` is ignored by OpenAPI 3.0 tools: only
        // the standard forms count (inline, or `allOf: [$ref]`).
        let nullable = sub.get("nullable") == Some(&Value::Bool(true)) && sub.get("$ref").is_none();
        if nullable && !required.contains(&property.as_str()) {
            found.push(NullableField {
                type_name: type_name.to_string(),
                property: property.clone(),
                field: names::field_name(property),
            });
        }
        let child = sub.get("title").and_then(Value::as_str).map_or_else(
            || names::type_name(&format!("{type_name}-{property}")),
            names::type_name,
        );
        nullable_fields(sub, &child, found);
    }
}
