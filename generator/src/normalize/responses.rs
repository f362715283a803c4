//! Responses as progenitor takes them: it gives each operation one success
//! type and one error type, reads only `application/json` as JSON, and
//! counts a `default` response as both success and error.
//!
//! - Several media types: the JSON one, else the first (noted).
//! - `+json` media types are read as `application/json`; JSON without a
//!   schema is any JSON value.
//! - `default` beside a declared success: it describes the other answers,
//!   the errors, so it is read as `4XX` and `5XX`.
//! - Several success bodies: one `oneOf` of them, named `<operation>Success`
//!   (an enum); when a body-less answer (such as `204`) or a non-JSON one is
//!   among them, there is no one Rust type and the success body is bytes.
//! - Several error bodies: one `oneOf`, named `<operation>Error`; error
//!   answers without a body drop out of the typed errors and arrive as
//!   `Error::UnexpectedResponse`, status and body kept.

use std::collections::BTreeSet;

use serde_json::{Map, Value, json};

use super::operations::{operation_keys, operation_mut};
use super::taken_type_names;
use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::names;
use crate::spec::{is_json, resolve};

/// What progenitor makes of one response's content.
#[derive(Debug, Clone, PartialEq)]
enum Kind {
    /// No body.
    Empty,
    /// JSON of this schema.
    Json(Value),
    /// Any other body, given as bytes.
    Raw,
}

fn kind(response: &Value) -> Kind {
    let content = response.get("content").and_then(Value::as_object);
    match content.and_then(|c| c.iter().next()) {
        None => Kind::Empty,
        Some((media, object)) if is_json(media) => {
            Kind::Json(object.get("schema").cloned().unwrap_or_else(|| json!({})))
        }
        Some(_) => Kind::Raw,
    }
}

fn kind_of(responses: &Map<String, Value>, status: &str) -> Kind {
    responses.get(status).map_or(Kind::Empty, kind)
}

fn is_success(status: &str) -> bool {
    status.starts_with('2') || status == "101"
}

fn is_error(status: &str) -> bool {
    status.starts_with('4') || status.starts_with('5')
}

/// New component schemas, by name.
pub(super) type Added = Vec<(String, Value)>;

/// Rewrites every operation's responses; union and hoisted schemas go to `added`.
pub(super) fn responses(document: &mut Value, notes: &mut Notes, added: &mut Added) {
    let mut taken = taken_type_names(document);
    for (path, method) in operation_keys(document) {
        let here = |rest: &[&str]| {
            json_pointer(
                ["paths", path.as_str(), method, "responses"]
                    .into_iter()
                    .chain(rest.iter().copied()),
            )
        };
        let Some(operation) = operation_mut(document, &path, method) else {
            continue;
        };
        // Dropshot websockets have their own reading of `default` (101).
        if operation.contains_key("x-dropshot-websocket") {
            continue;
        }
        let id = operation
            .get("operationId")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string();
        let Some(Value::Object(original)) = operation.get("responses").cloned() else {
            continue;
        };
        let mut responses = Map::new();
        for (status, response) in &original {
            match resolve(document, response) {
                Some(resolved) => responses.insert(status.clone(), resolved),
                // A dangling `$ref`: validate reports it.
                None => continue,
            };
        }
        if responses.len() < original.len() {
            continue;
        }
        let mut changed = false;
        for (status, response) in responses.iter_mut() {
            changed |= one_media_type(response, &|rest| here(&[status, rest]), notes);
        }
        changed |= split_default(&mut responses, &here, notes);
        let mut operation_unions = Unions {
            id: &id,
            taken: &mut taken,
            added,
            notes,
            here: &here,
        };
        changed |= operation_unions.success(&mut responses);
        changed |= operation_unions.errors(&mut responses);
        if changed && let Some(operation) = operation_mut(document, &path, method) {
            operation.insert("responses".into(), Value::Object(responses));
        }
    }
}

/// One media type per response, JSON spelled `application/json`.
fn one_media_type(response: &mut Value, here: &dyn Fn(&str) -> String, notes: &mut Notes) -> bool {
    let Some(content) = response.get_mut("content").and_then(Value::as_object_mut) else {
        return false;
    };
    let Some(chosen) = content
        .keys()
        .position(|k| is_json(k))
        .or((!content.is_empty()).then_some(0))
    else {
        return false;
    };
    let Some((media, mut object)) = content
        .iter()
        .nth(chosen)
        .map(|(k, v)| (k.clone(), v.clone()))
    else {
        return false;
    };
    let mut changed = false;
    if content.len() > 1 {
        let offered: Vec<String> = content.keys().map(|k| format!("`{k}`")).collect();
        notes.add(
            here("content"),
            format!(
                "the response is offered as {}; the client asks for and reads `{media}`",
                offered.join(", ")
            ),
        );
        changed = true;
    }
    let mut key = media.clone();
    if is_json(&media) {
        let essence = media.split(';').next().unwrap_or_default().trim();
        if essence != "application/json" {
            key = "application/json".into();
            changed = true;
        }
        if let Some(object) = object.as_object_mut()
            && !object.contains_key("schema")
        {
            object.insert("schema".into(), json!({}));
            changed = true;
        }
    }
    if changed {
        let mut single = Map::new();
        single.insert(key, object);
        response["content"] = Value::Object(single);
    }
    changed
}

/// `default` beside a declared success describes the errors: `4XX` and `5XX`.
fn split_default(
    responses: &mut Map<String, Value>,
    here: &dyn Fn(&[&str]) -> String,
    notes: &mut Notes,
) -> bool {
    if !responses.contains_key("default") || !responses.keys().any(|s| is_success(s) || s == "2XX")
    {
        return false;
    }
    let Some(default) = responses.remove("default") else {
        return false;
    };
    for range in ["4XX", "5XX"] {
        responses.entry(range).or_insert_with(|| default.clone());
    }
    notes.add(
        here(&["default"]),
        "`default` beside a success response is read as the error responses `4XX` and `5XX` (progenitor would count it as a second success)",
    );
    true
}

/// Makes the success and the error responses of one operation one type each.
struct Unions<'a> {
    id: &'a str,
    taken: &'a mut BTreeSet<String>,
    added: &'a mut Added,
    notes: &'a mut Notes,
    here: &'a dyn Fn(&[&str]) -> String,
}

impl Unions<'_> {
    fn success(&mut self, responses: &mut Map<String, Value>) -> bool {
        let members: Vec<String> = responses
            .keys()
            .filter(|s| is_success(s) || *s == "2XX" || *s == "default")
            .cloned()
            .collect();
        let kinds: Vec<Kind> = members.iter().map(|s| kind_of(responses, s)).collect();
        let typed = distinct_schemas(&kinds).len();
        let has_raw = kinds.contains(&Kind::Raw);
        let has_empty = kinds.contains(&Kind::Empty);
        if (typed > 0 && (has_raw || has_empty)) || (has_raw && has_empty) {
            for status in &members {
                if let Some(response) = responses.get_mut(status).and_then(Value::as_object_mut) {
                    response.insert(
                        "content".into(),
                        json!({"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}),
                    );
                }
            }
            let statuses: Vec<String> = members.iter().map(|s| format!("`{s}`")).collect();
            self.notes.add(
                (self.here)(&[]),
                format!(
                    "the success responses {} have no one Rust type (JSON, other or no body): the success body is bytes (`ByteStream`)",
                    statuses.join(", ")
                ),
            );
            true
        } else if typed > 1 {
            self.union(responses, &members, "success")
        } else {
            false
        }
    }

    fn errors(&mut self, responses: &mut Map<String, Value>) -> bool {
        let mut members: Vec<String> = responses
            .keys()
            .filter(|s| is_error(s) || *s == "default")
            .cloned()
            .collect();
        let mut changed = false;
        // `default` is a success too: its kind wins; else a typed body does.
        let winner = match responses.get("default") {
            Some(default) => Some(kind(default)),
            None => members
                .iter()
                .map(|s| kind_of(responses, s))
                .find(|k| matches!(k, Kind::Json(_))),
        };
        if let Some(winner) = winner {
            let same_kind = |k: &Kind| std::mem::discriminant(k) == std::mem::discriminant(&winner);
            let dropped: Vec<String> = members
                .iter()
                .filter(|s| !same_kind(&kind_of(responses, s)))
                .cloned()
                .collect();
            for status in &dropped {
                responses.remove(status);
                self.notes.add(
                    (self.here)(&[status]),
                    format!(
                        "the error response `{status}` has no body of the operation's error type: it is not typed and arrives as `Error::UnexpectedResponse`, status and body kept"
                    ),
                );
                changed = true;
            }
            members.retain(|s| !dropped.contains(s));
        }
        if members.iter().any(|s| s == "default") {
            // `default` is also the success type: the union would be shared.
            let kinds: Vec<Kind> = members.iter().map(|s| kind_of(responses, s)).collect();
            if distinct_schemas(&kinds).len() > 1 {
                changed |= self.union(responses, &members, "response");
            }
            return changed;
        }
        let kinds: Vec<Kind> = members.iter().map(|s| kind_of(responses, s)).collect();
        if distinct_schemas(&kinds).len() > 1 {
            changed |= self.union(responses, &members, "error");
        }
        changed
    }

    /// Points every member's JSON schema at one new `oneOf` component.
    fn union(
        &mut self,
        responses: &mut Map<String, Value>,
        members: &[String],
        role: &str,
    ) -> bool {
        let mut branches: Vec<Value> = Vec::new();
        let mut hoisted: Vec<(Value, Value)> = Vec::new();
        for status in members {
            let Kind::Json(schema) = kind_of(responses, status) else {
                continue;
            };
            let branch = if schema.get("$ref").is_some() {
                schema
            } else if let Some((_, reference)) = hoisted.iter().find(|(s, _)| *s == schema) {
                reference.clone()
            } else {
                let name = self.fresh(&format!("{}-response-{}", self.id, status));
                self.added.push((name.clone(), schema.clone()));
                let reference = json!({"$ref": format!("#/components/schemas/{name}")});
                hoisted.push((schema, reference.clone()));
                reference
            };
            if !branches.contains(&branch) {
                branches.push(branch);
            }
        }
        let name = self.fresh(&format!("{}-{role}", self.id));
        let statuses: Vec<String> = members.iter().map(|s| format!("`{s}`")).collect();
        self.added.push((
            name.clone(),
            json!({
                "description": format!("One of the {role} bodies of `{}` (responses {}).", self.id, statuses.join(", ")),
                "oneOf": branches,
            }),
        ));
        for status in members {
            if let Some(Value::Object(content)) =
                responses.get_mut(status).and_then(|r| r.get_mut("content"))
                && let Some(Value::Object(media)) = content.values_mut().next()
            {
                media.insert(
                    "schema".into(),
                    json!({"$ref": format!("#/components/schemas/{name}")}),
                );
            }
        }
        self.notes.add(
            (self.here)(&[]),
            format!(
                "the {role} responses {} have different bodies: they are one enum, `types::{name}`",
                statuses.join(", ")
            ),
        );
        true
    }

    /// A component name typify turns into a type name no other has.
    fn fresh(&mut self, wanted: &str) -> String {
        names::unique(names::type_name(wanted), self.taken)
    }
}

/// The distinct JSON schemas among `kinds`.
fn distinct_schemas(kinds: &[Kind]) -> Vec<&Value> {
    let mut schemas: Vec<&Value> = Vec::new();
    for kind in kinds {
        if let Kind::Json(schema) = kind
            && !schemas.contains(&schema)
        {
            schemas.push(schema);
        }
    }
    schemas
}
