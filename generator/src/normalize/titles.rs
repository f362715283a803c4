//! Titles that would name two types alike. typify names an inline schema
//! (and the struct inside a nullable object component) by its `title` when
//! it has one, without checking that the name is free: Box's `File--Base`,
//! `nullable` and titled "File (Base)", gives two `FileBase` items (E0428),
//! and two inline schemas titled alike collide the same way. A title whose
//! type name is already taken is left out, so typify derives the name from
//! the schema's place, as it does for untitled schemas; the title is kept
//! where its name is free, so vendors' names stay where they can.
//!
//! The other way round, typify names an untitled property's type
//! `<Parent><Property>` without checking either: Box's `Collaboration.item`
//! is `CollaborationItem`, as is a component. Such a schema is given a
//! `title` with a free name.

use std::collections::{BTreeSet, HashMap};

use serde_json::{Map, Value};

use super::{taken_type_names, walk};
use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::names;

/// Leaves out every `title` whose type name another type already has, and
/// titles an inline property schema whose derived name is taken.
pub(super) fn deduplicate(document: &mut Value, notes: &mut Notes) {
    walk::schemas_mut(document, &mut |schema, _| drop_annotation_members(schema));
    let mut taken: BTreeSet<String> = taken_type_names(document);
    // typify's name of each schema visited, by path: parents come first.
    let mut named: HashMap<Vec<String>, String> = HashMap::new();
    walk::schemas_mut(document, &mut |schema, path| {
        let derived = derived_name(path, &named);
        if let Some(title) = schema.get("title").and_then(Value::as_str) {
            // A component's own name is taken, so a title that repeats it
            // is left out too: typify names by it the struct inside a
            // component it makes optional (`nullable`, or through `allOf`).
            let name = names::type_name(title);
            if taken.insert(name.clone()) {
                named.insert(path.to_vec(), name);
                return;
            }
            schema.remove("title");
            notes.add(
                json_pointer(path.iter().map(String::as_str).chain(["title"])),
                "a `title` would name a type as another type is named: it is left out of typify's naming (kept nowhere else)",
            );
        }
        let Some(derived) = derived else {
            return;
        };
        let is_property = path.len() >= 2 && path[path.len() - 2] == "properties";
        if is_property && makes_a_type(schema) && !taken.insert(derived.clone()) {
            // typify would name this property's type like another type.
            let name = names::unique(derived, &mut taken);
            schema.insert("title".into(), Value::String(name.clone()));
            notes.add(
                json_pointer(path.iter().map(String::as_str)),
                "the type typify would make here takes the name of another type: it is named apart (a `title` given)",
            );
            named.insert(path.to_vec(), name);
            return;
        }
        named.insert(path.to_vec(), derived);
    });
}

/// Keywords that describe a value without constraining it.
const ANNOTATIONS: [&str; 7] = [
    "description",
    "title",
    "example",
    "deprecated",
    "readOnly",
    "writeOnly",
    "externalDocs",
];

/// Drops the `allOf` members that only annotate (`allOf: [{$ref: X},
/// {description: …}]`, Box's way to describe a reference): they accept every
/// value, yet typify merges them with the reference into a new type named
/// from its place, which can be a name taken (`Collaboration.item` →
/// `CollaborationItem`). The description moves to the schema itself.
fn drop_annotation_members(schema: &mut Map<String, Value>) {
    let Some(Value::Array(members)) = schema.get_mut("allOf") else {
        return;
    };
    let only_annotates = |member: &Value| {
        member
            .as_object()
            .is_some_and(|m| !m.is_empty() && m.keys().all(|k| ANNOTATIONS.contains(&k.as_str())))
    };
    if members.len() < 2
        || !members.iter().any(only_annotates)
        || members.iter().all(only_annotates)
    {
        return;
    }
    let mut description = None;
    members.retain(|member| {
        if !only_annotates(member) {
            return true;
        }
        if description.is_none() {
            description = member.get("description").cloned();
        }
        false
    });
    if let Some(description) = description
        && !schema.contains_key("description")
    {
        schema.insert("description".into(), description);
    }
}

/// The name typify gives the schema at `path` from its place: a
/// component's name, `<Parent><Property>`, `<Parent>Item`; `allOf`
/// members take their parent's.
fn derived_name(path: &[String], named: &HashMap<Vec<String>, String>) -> Option<String> {
    if path.len() == 3 && path[0] == "components" && path[1] == "schemas" {
        return Some(names::type_name(&path[2]));
    }
    let (last, parent) = path.split_last()?;
    if last == "items" || last == "additionalProperties" {
        return named.get(parent).map(|p| {
            names::type_name(&format!(
                "{p}-{}",
                if last == "items" { "item" } else { "value" }
            ))
        });
    }
    let (key, grand) = parent.split_last()?;
    match key.as_str() {
        "properties" => named
            .get(grand)
            .map(|p| names::type_name(&format!("{p}-{last}"))),
        // typify merges `allOf` members into their parent; `oneOf`/`anyOf`
        // variants it names otherwise, so no name is predicted below them.
        "allOf" => named.get(grand).cloned(),
        _ => None,
    }
}

/// Whether typify makes a named type of this schema (rather than using a
/// `$ref`'s type or a built-in one).
fn makes_a_type(schema: &Map<String, Value>) -> bool {
    // One `$ref` in a composition is that reference's type.
    let composes = |key: &str| match schema.get(key) {
        Some(Value::Array(members)) => !(members.len() == 1 && members[0].get("$ref").is_some()),
        Some(_) => true,
        None => false,
    };
    schema.contains_key("properties")
        || schema.contains_key("enum")
        || ["oneOf", "anyOf", "allOf"].into_iter().any(composes)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_naming_a_taken_type_are_left_out() {
        let mut document = serde_json::json!({"components": {"schemas": {
            "File--Base": {"type": "object", "nullable": true, "title": "File (Base)"},
            "Other": {"type": "object", "title": "File (Base)", "properties": {
                "a": {"type": "object", "title": "Fresh"},
                "b": {"type": "object", "title": "Fresh"}
            }}
        }}});
        let mut notes = Notes::default();
        deduplicate(&mut document, &mut notes);
        let schemas = &document["components"]["schemas"];
        assert!(schemas["File--Base"].get("title").is_none());
        assert!(schemas["Other"].get("title").is_none());
        assert_eq!(schemas["Other"]["properties"]["a"]["title"], "Fresh");
        assert!(schemas["Other"]["properties"]["b"].get("title").is_none());
        assert_eq!(notes.finish().len(), 1, "one kind, counted");
    }

    #[test]
    fn a_property_type_named_like_another_type_is_named_apart() {
        let mut document = serde_json::json!({"components": {"schemas": {
            "Collaboration": {"type": "object", "properties": {
                "item": {"allOf": [{"$ref": "#/components/schemas/CollaborationItem"}, {"required": ["x"]}], "nullable": true},
                "alias": {"allOf": [{"$ref": "#/components/schemas/CollaborationItem"}]},
                "note": {"type": "string"}
            }},
            "CollaborationItem": {"oneOf": [{"type": "string"}, {"type": "integer"}]}
        }}});
        let mut notes = Notes::default();
        deduplicate(&mut document, &mut notes);
        let properties = &document["components"]["schemas"]["Collaboration"]["properties"];
        assert_eq!(properties["item"]["title"], "CollaborationItem2");
        let mut described = serde_json::json!({"components": {"schemas": {"A": {"properties": {"b": {
            "allOf": [{"$ref": "#/components/schemas/B"}, {"description": "The b."}]
        }}}}}});
        deduplicate(&mut described, &mut Notes::default());
        assert_eq!(
            described["components"]["schemas"]["A"]["properties"]["b"],
            serde_json::json!({"allOf": [{"$ref": "#/components/schemas/B"}], "description": "The b."})
        );
        assert!(properties["note"].get("title").is_none());
        assert!(properties["alias"].get("title").is_none());
        assert_eq!(notes.finish().len(), 1);
    }
}
