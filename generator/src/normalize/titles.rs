//! Titles that would name two types alike. typify names an inline schema
//! (and the struct inside a nullable object component) by its `title` when
//! it has one, without checking that the name is free: Box's `File--Base`,
//! `nullable` and titled "File (Base)", gives two `FileBase` items (E0428),
//! and two inline schemas titled alike collide the same way. A title whose
//! type name is already taken is left out, so typify derives the name from
//! the schema's place, as it does for untitled schemas; the title is kept
//! where its name is free, so vendors' names stay where they can.

use std::collections::BTreeSet;

use serde_json::Value;

use super::{taken_type_names, walk};
use crate::error::json_pointer;
use crate::model::names;
use crate::note::Notes;

/// Leaves out every `title` whose type name another type already has.
pub(super) fn deduplicate(document: &mut Value, notes: &mut Notes) {
    let mut taken: BTreeSet<String> = taken_type_names(document);
    walk::schemas_mut(document, &mut |schema, path| {
        let Some(title) = schema.get("title").and_then(Value::as_str) else {
            return;
        };
        let is_component = path.len() == 3 && path[0] == "components" && path[1] == "schemas";
        // A component's own name wins over its title, except for the
        // struct typify makes inside a nullable object.
        let names_a_type = !is_component
            || (schema.get("nullable") == Some(&Value::Bool(true))
                && schema.get("type").and_then(Value::as_str) == Some("object"));
        if !names_a_type {
            return;
        }
        let name = names::type_name(title);
        if taken.insert(name.clone()) {
            return;
        }
        schema.remove("title");
        notes.add(
            json_pointer(path.iter().map(String::as_str).chain(["title"])),
            format!(
                "the title names a type `{name}`, as another type is already named: the title is left out of the type name"
            ),
        );
    });
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
        assert_eq!(schemas["Other"]["title"], "File (Base)");
        assert_eq!(schemas["Other"]["properties"]["a"]["title"], "Fresh");
        assert!(schemas["Other"]["properties"]["b"].get("title").is_none());
        assert_eq!(notes.finish().len(), 2);
    }
}
