//! Shapes that cost typify more than their size: it follows `$ref` chains
//! type by type and merges `allOf` by expanding every reference in it, so a
//! chain of aliases costs the square of its length and an `allOf` that
//! names a schema twice at every level doubles per level. Each is made
//! linear here, with a note where something is lost.
//!
//! - A chain of aliases (`A: {$ref: B}`, `B: {$ref: C}`, …) points each
//!   alias straight at the schema the chain ends on; every name stays.
//! - Aliases that only lead back to themselves describe no value: such a
//!   schema becomes untyped.
//! - A member repeated in one `allOf` is kept once (it adds nothing).
//! - A schema whose `allOf`s still expand to more than [`MAX_EXPANDED`]
//!   schemas becomes untyped.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::walk;
use crate::error::json_pointer;
use crate::note::Notes;

/// How many schemas one schema's `allOf`s may expand to, references followed.
const MAX_EXPANDED: usize = 4096;

const SCHEMAS: &str = "#/components/schemas/";

/// Applies every rule of this module to `document`.
pub(super) fn linearize(document: &mut Value, notes: &mut Notes) {
    shortcut_aliases(document, notes);
    deduplicate_all_of(document, notes);
    bound_all_of(document, notes);
}

fn schemas_mut(document: &mut Value) -> Option<&mut Map<String, Value>> {
    document
        .get_mut("components")?
        .get_mut("schemas")?
        .as_object_mut()
}

/// The component an alias schema (`{$ref: '#/components/schemas/X'}` and
/// nothing else that typify reads) points at.
fn alias_target(schema: &Value) -> Option<&str> {
    let map = schema.as_object()?;
    let reference = map.get("$ref")?.as_str()?.strip_prefix(SCHEMAS)?;
    map.keys()
        .all(|k| k == "$ref" || k == "description" || k.starts_with("x-"))
        .then_some(reference)
}

fn shortcut_aliases(document: &mut Value, notes: &mut Notes) {
    let Some(schemas) = schemas_mut(document) else {
        return;
    };
    let aliases: BTreeMap<String, String> = schemas
        .iter()
        .filter_map(|(name, schema)| Some((name.clone(), alias_target(schema)?.to_string())))
        .collect();
    // Where each alias's chain ends: a schema that is no alias, or `None` for a loop.
    let mut ends: BTreeMap<&str, Option<String>> = BTreeMap::new();
    for start in aliases.keys() {
        let mut chain: Vec<&str> = Vec::new();
        let mut at = start.as_str();
        let end = loop {
            if let Some(known) = ends.get(at) {
                break known.clone();
            }
            if chain.contains(&at) {
                break None;
            }
            chain.push(at);
            match aliases.get(at) {
                Some(next) => at = next,
                None => break Some(at.to_string()),
            }
        };
        for link in chain {
            ends.insert(link, end.clone());
        }
    }
    for (name, end) in ends {
        let pointer = json_pointer(["components", "schemas", name]);
        let Some(schema) = schemas.get_mut(name).and_then(Value::as_object_mut) else {
            continue;
        };
        match end {
            Some(end) if aliases.get(name) != Some(&end) => {
                schema.insert("$ref".into(), Value::String(format!("{SCHEMAS}{end}")));
            }
            Some(_) => {}
            None => {
                schema.remove("$ref");
                notes.add(
                    pointer,
                    "this schema only refers back to itself through `$ref`s, so no value fits it: left untyped (`serde_json::Value`)",
                );
            }
        }
    }
}

fn deduplicate_all_of(document: &mut Value, notes: &mut Notes) {
    walk::schemas_mut(document, &mut |schema, path| {
        let Some(Value::Array(members)) = schema.get_mut("allOf") else {
            return;
        };
        let before = members.len();
        let mut kept: Vec<Value> = Vec::with_capacity(before);
        for member in members.drain(..) {
            if !kept.contains(&member) {
                kept.push(member);
            }
        }
        if kept.len() < before {
            notes.add(
                json_pointer(path.iter().map(String::as_str).chain(["allOf"])),
                "a member repeated in `allOf` is kept once",
            );
        }
        *members = kept;
    });
}

fn bound_all_of(document: &mut Value, notes: &mut Notes) {
    let Some(schemas) = schemas_mut(document) else {
        return;
    };
    let mut sizes: BTreeMap<String, usize> = BTreeMap::new();
    let names: Vec<String> = schemas.keys().cloned().collect();
    let too_big: Vec<String> = names
        .into_iter()
        .filter(|name| component_size(schemas, name, &mut sizes) > MAX_EXPANDED)
        .collect();
    for name in too_big {
        if let Some(schema) = schemas.get_mut(&name).and_then(Value::as_object_mut) {
            schema.remove("allOf");
            notes.add(
                json_pointer(["components", "schemas", &name]),
                format!(
                    "this schema's `allOf`s expand to more than {MAX_EXPANDED} schemas once references are followed: left untyped (`serde_json::Value`)"
                ),
            );
        }
    }
}

/// How many schemas the component `name` expands to through `allOf`,
/// memoized; a component met again while being counted counts once.
fn component_size(
    schemas: &Map<String, Value>,
    name: &str,
    sizes: &mut BTreeMap<String, usize>,
) -> usize {
    if let Some(size) = sizes.get(name) {
        return *size;
    }
    sizes.insert(name.to_string(), 1);
    let size = schemas
        .get(name)
        .map_or(1, |schema| expanded_size(schemas, schema, sizes));
    sizes.insert(name.to_string(), size);
    size
}

fn expanded_size(
    schemas: &Map<String, Value>,
    schema: &Value,
    sizes: &mut BTreeMap<String, usize>,
) -> usize {
    if let Some(name) = schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix(SCHEMAS))
    {
        return component_size(schemas, name, sizes);
    }
    let members = schema.get("allOf").and_then(Value::as_array);
    members.into_iter().flatten().fold(1usize, |total, member| {
        total.saturating_add(expanded_size(schemas, member, sizes))
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn linearized(schemas: Value) -> (Value, Vec<String>) {
        let mut document = json!({"components": {"schemas": schemas}});
        let mut notes = Notes::default();
        linearize(&mut document, &mut notes);
        let notes = notes.finish().iter().map(ToString::to_string).collect();
        (document["components"]["schemas"].clone(), notes)
    }

    #[test]
    fn alias_chains_point_at_their_end_and_loops_are_untyped() {
        let (schemas, notes) = linearized(json!({
            "A": {"$ref": "#/components/schemas/B"},
            "B": {"$ref": "#/components/schemas/C"},
            "C": {"type": "string"},
            "L1": {"$ref": "#/components/schemas/L2"},
            "L2": {"$ref": "#/components/schemas/L1"},
        }));
        assert_eq!(schemas["A"], json!({"$ref": "#/components/schemas/C"}));
        assert_eq!(schemas["B"], json!({"$ref": "#/components/schemas/C"}));
        assert_eq!(schemas["L1"], json!({}));
        assert_eq!(schemas["L2"], json!({}));
        assert!(
            notes[0].starts_with("#/components/schemas/L1: "),
            "{notes:?}"
        );
    }

    #[test]
    fn repeated_all_of_members_are_kept_once_and_expansions_bounded() {
        let mut schemas = Map::new();
        for i in 0..40 {
            let next = format!("#/components/schemas/D{}", i + 1);
            schemas.insert(
                format!("D{i}"),
                json!({"allOf": [{"$ref": next}, {"properties": {"p": {}}}, {"$ref": next}]}),
            );
        }
        let (schemas, notes) = linearized(Value::Object(schemas));
        assert_eq!(schemas["D0"]["allOf"].as_array().map(Vec::len), Some(2));
        assert!(notes[0].contains("kept once (40 places"), "{notes:?}");

        let mut diamond = Map::new();
        for i in 0..30 {
            diamond.insert(
                format!("D{i}"),
                json!({"allOf": [{"$ref": format!("#/components/schemas/A{i}")}, {"$ref": format!("#/components/schemas/B{i}")}]}),
            );
            let next = json!({"allOf": [{"$ref": format!("#/components/schemas/D{}", i + 1)}]});
            diamond.insert(format!("A{i}"), next.clone());
            diamond.insert(format!("B{i}"), next);
        }
        let (schemas, notes) = linearized(Value::Object(diamond));
        assert_eq!(schemas["D0"], json!({}));
        assert!(schemas["D29"].get("allOf").is_some());
        assert!(
            notes.iter().any(|n| n.contains("expand to more than")),
            "{notes:?}"
        );
    }
}
