//! Maintainer notes stay out of the generated crates' documentation.
//!
//! Every `title`, `summary` and `description` of a spec ends up in rustdoc,
//! read by the crate's users. Where a fact comes from (the scraped page, the
//! vendor notes, a corpus file) and why a modelling choice was made is for
//! the spec's maintainers: it goes in an `x-maintainer-notes` extension beside
//! the text it concerns (or `x-source`), which the generator never reads.
//! This rule flags the phrases such notes are written with.

use serde_json::Value;

use super::{Flag, pointer};

/// Phrases that only a maintainer's note uses, lower case.
const MAINTAINER_PHRASES: [&str; 11] = [
    "maintainer",
    "vendor notes",
    "vendor-notes",
    "seeds/",
    "shared/",
    "corpus",
    "scrape",
    "do not edit",
    "the page",
    "source:",
    "choice:",
];

/// The keys whose text reaches the generated crate's documentation.
const DOC_KEYS: [&str; 3] = ["title", "summary", "description"];

/// Flags every documentation text that holds a maintainer's note.
pub(super) fn maintainer_notes(spec: &Value, flag: &mut Flag<'_>) {
    walk(&mut Vec::new(), spec, flag);
}

fn walk(place: &mut Vec<String>, value: &Value, flag: &mut Flag<'_>) {
    match value {
        Value::Object(map) => {
            for (key, sub) in map {
                // Extensions, examples and enum values are not documentation.
                if key.starts_with("x-") || matches!(key.as_str(), "example" | "examples" | "enum")
                {
                    continue;
                }
                // `properties` maps names to schemas: a property may be called `description`.
                let in_properties = place.last().is_some_and(|p| p == "properties");
                let is_doc = DOC_KEYS.contains(&key.as_str()) && !in_properties;
                place.push(key.clone());
                match sub {
                    Value::String(text) if is_doc => check(place, text, flag),
                    _ => walk(place, sub, flag),
                }
                place.pop();
            }
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                place.push(index.to_string());
                walk(place, item, flag);
                place.pop();
            }
        }
        _ => {}
    }
}

fn check(place: &[String], text: &str, flag: &mut Flag<'_>) {
    let lower = text.to_lowercase();
    if let Some(phrase) = MAINTAINER_PHRASES.iter().find(|p| lower.contains(*p)) {
        flag(
            pointer(place.iter().map(String::as_str)),
            format!(
                "reads like a maintainer's note (`{phrase}`); move it to `x-maintainer-notes` beside this text"
            ),
        );
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn flagged(spec: &Value) -> Vec<String> {
        let mut found = Vec::new();
        maintainer_notes(spec, &mut |pointer, _| found.push(pointer));
        found
    }

    #[test]
    fn notes_in_descriptions_are_flagged_and_in_the_extension_are_not() {
        let spec = json!({
            "info": {
                "description": "Updates a subscription.",
                "x-maintainer-notes": "Source: the vendor notes."
            },
            "components": {"schemas": {"A": {
                "description": "A thing (per the vendor notes).",
                "properties": {"description": {"type": "string", "description": "Its text."}}
            }}}
        });
        assert_eq!(flagged(&spec), ["/components/schemas/A/description"]);
    }

    #[test]
    fn a_property_named_description_is_a_schema() {
        let spec = json!({"properties": {"description": {
            "description": "Scraped from the page."
        }}});
        assert_eq!(flagged(&spec), ["/properties/description/description"]);
    }
}
