//! Request bodies as progenitor takes them: one media type, of the kinds it
//! sends (JSON, `x-www-form-urlencoded`, `application/octet-stream`,
//! `text/plain`), with the schema each kind needs.
//!
//! - Several media types: the JSON one, else a form, else multipart, else
//!   the first (noted).
//! - `multipart/form-data` with an object schema: given to progenitor as a
//!   form, so the body is a typed struct; its binary properties become
//!   bytes (`Vec<u8>`), and the model has the generated `send` build a
//!   `reqwest::multipart::Form` from it instead of encoding a form.
//! - Any other media type: sent as bytes (`application/octet-stream`).

use serde_json::{Map, Value, json};

use super::MultipartBody;
use super::operations::{operation_keys, operation_mut};
use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::names;
use crate::spec::{FORM, is_json, resolve};

/// The media type of a form body.
const MULTIPART: &str = "multipart/form-data";
const OCTET_STREAM: &str = "application/octet-stream";

/// The essence of a media type: `Text/Plain; charset=x` → `text/plain`.
fn essence(media: &str) -> String {
    media
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase()
}

/// Rewrites every operation's request body; returns the multipart ones.
pub(super) fn request_bodies(document: &mut Value, notes: &mut Notes) -> Vec<MultipartBody> {
    let mut multipart = Vec::new();
    for (path, method) in operation_keys(document) {
        let here = |rest: &[&str]| {
            json_pointer(
                ["paths", path.as_str(), method, "requestBody"]
                    .into_iter()
                    .chain(rest.iter().copied()),
            )
        };
        let Some(operation) = operation_mut(document, &path, method) else {
            continue;
        };
        let Some(body) = operation.get("requestBody").cloned() else {
            continue;
        };
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(mut body) = resolve(document, &body) else {
            continue;
        };
        let Some(content) = body.get_mut("content").and_then(Value::as_object_mut) else {
            continue;
        };
        if content.is_empty() {
            continue;
        }
        let chosen = choose(content);
        let (media, mut media_object) = content
            .iter()
            .nth(chosen)
            .map(|(k, v)| (k.clone(), v.clone()))
            .unwrap_or_default();
        let mut changed = content.len() > 1;
        if content.len() > 1 {
            let offered: Vec<String> = content.keys().map(|k| format!("`{k}`")).collect();
            notes.add(
                here(&[]),
                format!(
                    "the request body is offered as {}; the client sends `{media}`",
                    offered.join(", ")
                ),
            );
        }
        let kind = essence(&media);
        let (key, fixed) = if is_json(&media) {
            let key = if kind == "application/json" {
                media.clone()
            } else {
                notes.add(
                    here(&["content", &media]),
                    format!("`{media}` is JSON: the client sends it as `application/json`"),
                );
                "application/json".to_string()
            };
            (key, schema_or(&mut media_object, json!({})))
        } else if kind == FORM {
            (media.clone(), false)
        } else if kind == MULTIPART {
            match multipart_form(document, &mut media_object, &id) {
                Some(form) => {
                    notes.add(
                        here(&["content", &media]),
                        format!(
                            "the `multipart/form-data` body is the typed `types::{}`; its binary properties ({}) are bytes (`Vec<u8>`), each sent as a file part named after its property",
                            form.type_name,
                            if form.files.is_empty() {
                                "none".to_string()
                            } else {
                                form.files.iter().map(|f| format!("`{f}`")).collect::<Vec<_>>().join(", ")
                            }
                        ),
                    );
                    multipart.push(form);
                    (FORM.to_string(), true)
                }
                None => {
                    notes.add(
                        here(&["content", &media]),
                        "this `multipart/form-data` body has no object schema: it is sent as bytes you encode (`application/octet-stream`)",
                    );
                    (
                        OCTET_STREAM.to_string(),
                        set_schema(&mut media_object, binary()),
                    )
                }
            }
        } else if kind == "text/plain" || kind == "text/x-markdown" {
            (
                media.clone(),
                set_schema(&mut media_object, json!({"type": "string"})),
            )
        } else {
            if kind != OCTET_STREAM {
                notes.add(
                    here(&["content", &media]),
                    format!("the `{media}` body is sent as bytes (`application/octet-stream`)"),
                );
            }
            (
                OCTET_STREAM.to_string(),
                set_schema(&mut media_object, binary()),
            )
        };
        if let Some(media) = media_object.as_object_mut()
            && media.remove("encoding").is_some()
        {
            changed = true;
        }
        changed |= fixed || key != media;
        if !changed {
            continue;
        }
        let mut single = Map::new();
        single.insert(key, media_object);
        body["content"] = Value::Object(single);
        if let Some(operation) = operation_mut(document, &path, method) {
            operation.insert("requestBody".into(), body);
        }
    }
    multipart
}

/// The media type to send: JSON, a form, multipart, bytes, text, then the first.
fn choose(content: &Map<String, Value>) -> usize {
    let find = |test: &dyn Fn(&str) -> bool| content.keys().position(|k| test(k));
    find(&is_json)
        .or_else(|| find(&|k| essence(k) == FORM))
        .or_else(|| find(&|k| essence(k) == MULTIPART))
        .or_else(|| find(&|k| essence(k) == OCTET_STREAM))
        .or_else(|| find(&|k| essence(k) == "text/plain"))
        .unwrap_or(0)
}

fn binary() -> Value {
    json!({"type": "string", "format": "binary"})
}

/// Gives a media type `schema` unless it has one; whether it changed.
fn schema_or(media: &mut Value, schema: Value) -> bool {
    match media.as_object_mut() {
        Some(media) if !media.contains_key("schema") => {
            media.insert("schema".into(), schema);
            true
        }
        _ => false,
    }
}

/// Sets a media type's `schema` (keeping its description); whether it changed.
fn set_schema(media: &mut Value, schema: Value) -> bool {
    let Some(media) = media.as_object_mut() else {
        return false;
    };
    let mut schema = schema;
    if let Some(description) = media.get("schema").and_then(|s| s.get("description")) {
        schema["description"] = description.clone();
    }
    let changed = media.get("schema") != Some(&schema);
    media.insert("schema".into(), schema);
    changed
}

/// A multipart body with an object schema (inline or a `$ref`): its binary
/// properties become byte arrays (in place, in the component for a `$ref`),
/// and the body is described for the model.
fn multipart_form(document: &mut Value, media: &mut Value, id: &str) -> Option<MultipartBody> {
    let schema = media.get_mut("schema")?;
    let (type_name, target) = match schema.get("$ref").and_then(Value::as_str) {
        Some(reference) => {
            let name = reference.strip_prefix("#/components/schemas/")?.to_string();
            let pointer = format!(
                "/components/schemas/{}",
                name.replace('~', "~0").replace('/', "~1")
            );
            (names::type_name(&name), document.pointer_mut(&pointer)?)
        }
        None => (names::type_name(&format!("{id}-body")), schema),
    };
    let properties = target.get_mut("properties")?.as_object_mut()?;
    let mut files = Vec::new();
    for (name, property) in properties.iter_mut() {
        if as_bytes(property) {
            files.push(name.clone());
        }
    }
    Some(MultipartBody {
        operation_id: id.to_string(),
        type_name,
        files,
    })
}

/// `{type: string, format: binary}` (or a list of them) → bytes; whether it was one.
fn as_bytes(schema: &mut Value) -> bool {
    let is_binary = |s: &Value| {
        s.get("type") == Some(&Value::String("string".into()))
            && s.get("format") == Some(&Value::String("binary".into()))
    };
    let bytes = json!({"type": "array", "items": {"type": "integer", "format": "uint8"}});
    if is_binary(schema) {
        let description = schema.get("description").cloned();
        *schema = bytes;
        if let Some(description) = description {
            schema["description"] = description;
        }
        return true;
    }
    let items_binary = schema.get("type") == Some(&Value::String("array".into()))
        && schema.get("items").is_some_and(is_binary);
    if items_binary {
        schema["items"] = bytes;
    }
    items_binary
}

#[cfg(test)]
mod tests {
    use super::*;

    fn normalized(body: Value) -> (Value, Vec<MultipartBody>, usize) {
        let mut document =
            json!({"paths": {"/a": {"post": {"operationId": "upload", "requestBody": body}}}});
        let mut notes = Notes::default();
        let multipart = request_bodies(&mut document, &mut notes);
        let body = document["paths"]["/a"]["post"]["requestBody"].clone();
        (body, multipart, notes.finish().len())
    }

    #[test]
    fn the_json_media_type_is_chosen_and_others_noted() {
        let (body, _, notes) = normalized(json!({"content": {
            "application/xml": {"schema": {"type": "object"}},
            "application/merge-patch+json": {}
        }}));
        assert_eq!(body["content"], json!({"application/json": {"schema": {}}}));
        assert_eq!(notes, 2);
    }

    #[test]
    fn multipart_becomes_a_typed_form_with_byte_files() {
        let (body, multipart, _) = normalized(json!({"content": {"multipart/form-data": {
            "schema": {"type": "object", "properties": {
                "file": {"type": "string", "format": "binary", "description": "The file."},
                "name": {"type": "string"}
            }},
            "encoding": {"file": {"contentType": "image/png"}}
        }}}));
        assert_eq!(
            body["content"][FORM]["schema"]["properties"]["file"],
            json!({"type": "array", "items": {"type": "integer", "format": "uint8"}, "description": "The file."})
        );
        assert!(body["content"][FORM].get("encoding").is_none());
        assert_eq!(
            multipart,
            [MultipartBody {
                operation_id: "upload".into(),
                type_name: "UploadBody".into(),
                files: vec!["file".into()]
            }]
        );
    }

    #[test]
    fn other_media_types_are_bytes() {
        let (body, _, notes) =
            normalized(json!({"content": {"image/png": {"schema": {"type": "string"}}}}));
        assert_eq!(
            body["content"],
            json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}})
        );
        assert_eq!(notes, 1);
    }
}
