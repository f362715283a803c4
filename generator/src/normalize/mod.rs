//! Stage 2, normalize: the document progenitor is given. What progenitor
//! cannot take, this stage makes it take, and says so in a [`Note`]:
//!
//! - Swagger 2.0 is read as OpenAPI 3.0.3 before anything else reads the
//!   document ([`swagger2`]).
//! - OpenAPI 3.1 is read as 3.0 ([`openapi31`]).
//! - References progenitor cannot look up are inlined or copied into
//!   `components`; what is not a schema where one must be is left out
//!   ([`references`]).
//! - Names that collide once Rust's case rules apply (`fooBar`,
//!   `foo_bar`) are made distinct ([`collisions`]).
//! - Shapes that would cost typify more than their size (alias chains,
//!   `allOf`s that expand exponentially) are made linear ([`costly`]).
//! - A schema typify cannot take is degraded at its place: made untyped,
//!   or the keyword it cannot take left out or translated ([`degrade`]).
//! - Operations without an `operationId` are named from method and path;
//!   optional cookie parameters are left out ([`operations`]).
//! - Operations with a parameter progenitor would send otherwise than its
//!   `style` says are left out ([`parameter_styles`]).
//! - Parameters progenitor cannot take are made required, added or left
//!   out ([`parameters`]).
//! - Security schemes the client cannot send are taken out ([`security`]).
//! - Request bodies get one media type progenitor sends; multipart bodies
//!   become typed forms ([`bodies`]).
//! - Responses get one media type, and each operation one success and one
//!   error type ([`responses`]).
//!
//! - A `title` that would name a type already named is left out
//!   ([`titles`]).
//!
//! And, for every spec:
//!
//! - Property `default`s move into the description: for an update call an
//!   omitted field means "leave it as it is", so the client must not fill in
//!   the server's default (typify would make such fields non-optional).
//! - Descriptions become Markdown that rustdoc and clippy read as meant
//!   ([`docs`]).
//! - Inline string enums move to `components/schemas`, under the name typify
//!   would give them, so that every string enum is a named schema that
//!   typify's `with_replacement` can swap for an open enum.

mod bodies;
mod collisions;
mod costly;
mod degrade;
mod docs;
mod openapi31;
mod operations;
mod parameter_styles;
mod parameters;
mod patterns;
mod references;
mod responses;
mod security;
mod swagger2;
mod titles;
mod walk;

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use crate::error::{Location, SpecError, SpecErrorKind};
use crate::load::Loaded;
use crate::note::{Note, Notes};
use crate::spec::{FORM, is_json, is_string_enum, names};

/// The document progenitor is given, and the file it came from.
#[derive(Debug, Clone)]
pub struct Normalized {
    /// The loaded file, for locating errors.
    pub loaded: Loaded,
    /// The normalized document.
    pub document: Value,
    /// Whether the file is Swagger 2.0, converted here: places in the
    /// document are then not places in the file's text.
    pub from_swagger2: bool,
    /// What was adapted to get here.
    pub notes: Vec<Note>,
    /// The `multipart/form-data` request bodies, given to progenitor as forms.
    pub multipart: Vec<MultipartBody>,
}

impl Normalized {
    /// Where a place in the normalized document is in the spec file: the
    /// same place, except in a Swagger 2.0 file, where it is the place the
    /// converted part came from. [`Normalized::notes`] are file locations
    /// already.
    pub fn file_location(&self, location: Location) -> Location {
        match location {
            Location::Pointer(pointer) if self.from_swagger2 => Location::Pointer(
                swagger2::original_pointer(&self.loaded.raw, &self.document, &pointer),
            ),
            other => other,
        }
    }
}

/// A `multipart/form-data` request body: progenitor sees a form with a
/// typed body, and the generated `send` sends that body as multipart.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MultipartBody {
    /// The operation's `operationId`.
    pub operation_id: String,
    /// The body's type (typify's name).
    pub type_name: String,
    /// The properties that hold file contents (bytes), as named on the wire.
    pub files: Vec<String>,
}

/// Normalizes a loaded spec; refuses documents that are not Swagger 2.0 or
/// OpenAPI 3.0 or 3.1.
pub fn normalize(loaded: Loaded) -> Result<Normalized, SpecError> {
    let version =
        check_version(&loaded.raw).map_err(|(location, kind)| loaded.error(location, kind))?;
    let mut notes = Notes::default();
    let mut document = match &version {
        Version::Swagger2 => swagger2::convert(&loaded.raw, &mut notes),
        Version::OpenApi(_) => loaded.raw.clone(),
    };
    // The conversion's notes point into the file already; later ones point
    // into the converted document.
    let converted_kinds = notes.kinds();
    references::decode_fragments(&mut document);
    if let Version::OpenApi(version) = &version
        && version.starts_with("3.1.")
    {
        openapi31::downgrade(&mut document, version, &mut notes);
    }
    degrade::degrade(&mut document, &mut notes);
    references::inline_odd_references(&mut document, &mut notes);
    let copied = references::repair_schemas(&mut document, &mut notes);
    add_schemas(&mut document, copied);
    costly::linearize(&mut document, &mut notes);
    operations::name_unnamed(&mut document, &mut notes);
    operations::drop_unsendable_parameters(&mut document, &mut notes);
    parameters::repair(&mut document, &mut notes);
    parameter_styles::parameter_styles(&mut document, &mut notes);
    security::drop_unsupported(&mut document, &mut notes);
    let multipart = bodies::request_bodies(&mut document, &mut notes);
    let mut added = responses::Added::new();
    responses::responses(&mut document, &mut notes, &mut added);
    add_schemas(&mut document, added);
    titles::deduplicate(&mut document, &mut notes);
    docs::doc_text(&mut document, &mut notes);
    hoist_inline_enums(&mut document);
    collisions::settle(&mut document, &mut notes);
    let mut normalized = Normalized {
        loaded,
        document,
        from_swagger2: version == Version::Swagger2,
        notes: notes.finish(),
        multipart,
    };
    let later = normalized.notes.split_off(converted_kinds);
    let later: Vec<Note> = later
        .into_iter()
        .map(|note| Note {
            location: normalized.file_location(note.location),
            ..note
        })
        .collect();
    normalized.notes.extend(later);
    Ok(normalized)
}

/// Adds schemas to `components/schemas`, creating it if need be.
fn add_schemas(document: &mut Value, schemas: Vec<(String, Value)>) {
    if schemas.is_empty() {
        return;
    }
    let Some(root) = document.as_object_mut() else {
        return;
    };
    let target = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .and_then(|components| {
            components
                .entry("schemas")
                .or_insert_with(|| Value::Object(Map::new()))
                .as_object_mut()
        });
    if let Some(target) = target {
        target.extend(schemas);
    }
}

/// A version of the document the generator reads.
#[derive(Debug, PartialEq, Eq)]
enum Version {
    /// `swagger: "2.0"`.
    Swagger2,
    /// `openapi: 3.0.x` or `3.1.x`.
    OpenApi(String),
}

/// The document's version, if the generator reads it.
fn check_version(raw: &Value) -> Result<Version, (Location, SpecErrorKind)> {
    let spelled = |value: &Value| {
        value
            .as_str()
            .map_or_else(|| value.to_string(), str::to_string)
    };
    match (raw.get("openapi"), raw.get("swagger")) {
        (None, None) => Err((Location::File, SpecErrorKind::NotOpenApi)),
        (None, Some(swagger)) => match spelled(swagger).as_str() {
            // Unquoted in YAML, `2.0` is a number.
            "2.0" | "2" => Ok(Version::Swagger2),
            other => Err((
                Location::pointer(["swagger"]),
                SpecErrorKind::UnsupportedSwaggerVersion(other.to_string()),
            )),
        },
        (Some(Value::String(v)), _) if v.starts_with("3.0.") || v.starts_with("3.1.") => {
            Ok(Version::OpenApi(v.clone()))
        }
        (Some(other), _) => Err((
            Location::pointer(["openapi"]),
            SpecErrorKind::UnsupportedVersion(spelled(other)),
        )),
    }
}

/// typify's names of the component schemas.
pub(crate) fn taken_type_names(document: &Value) -> BTreeSet<String> {
    document
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|schemas| schemas.keys().map(|k| names::type_name(k)).collect())
        .unwrap_or_default()
}

/// Schemas to be added to `components/schemas`, by typify name.
type Hoisted = Vec<(String, Value)>;

fn hoist_inline_enums(document: &mut Value) {
    let mut taken = taken_type_names(document);
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
                for schema in typed_schemas(operation.get_mut("requestBody")) {
                    visit_schema(schema, &body, false, &mut taken, &mut hoisted);
                }
                let response = names::type_name(&format!("{id}-response"));
                let responses = operation
                    .get_mut("responses")
                    .and_then(Value::as_object_mut);
                for response_object in responses.into_iter().flat_map(|r| r.values_mut()) {
                    for schema in typed_schemas(Some(response_object)) {
                        visit_schema(schema, &response, false, &mut taken, &mut hoisted);
                    }
                }
            }
        }
    }
    add_schemas(document, hoisted);
}

/// The schemas of the typed media types (JSON, forms) of a request body or
/// a response.
fn typed_schemas(holder: Option<&mut Value>) -> Vec<&mut Value> {
    holder
        .and_then(|h| h.get_mut("content"))
        .and_then(Value::as_object_mut)
        .into_iter()
        .flat_map(|content| content.iter_mut())
        .filter(|(media, _)| is_json(media) || *media == FORM)
        .filter_map(|(_, media)| media.get_mut("schema"))
        .collect()
}

fn visit_schema(
    schema: &mut Value,
    type_name: &str,
    is_component: bool,
    taken: &mut BTreeSet<String>,
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

#[cfg(test)]
mod tests {
    use super::*;

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
