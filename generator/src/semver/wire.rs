//! Changes the Rust API does not show: what an existing call sends or
//! accepts. Read from the documents progenitor is given, walked side by
//! side: tighter constraints, narrowed enums, newly required properties and
//! parameters, and operations that moved to another path or method. (A JSON
//! property renamed under the same Rust name is seen on the `serde(rename)`
//! of the surface.)

use serde_json::{Map, Value};

use super::diff::{Change, Class, escape};
use super::surface::Surface;
use crate::model::names;

/// Constraints whose smaller value is tighter.
const UPPER: [&str; 4] = ["maxLength", "maxItems", "maximum", "maxProperties"];
/// Constraints whose larger value is tighter.
const LOWER: [&str; 4] = ["minLength", "minItems", "minimum", "minProperties"];
/// Constraints any new value of which may refuse what passed before.
const EXACT: [&str; 5] = [
    "pattern",
    "format",
    "multipleOf",
    "exclusiveMaximum",
    "exclusiveMinimum",
];
/// Keys that hold prose or examples, never wire behaviour.
const PROSE: [&str; 5] = ["description", "summary", "example", "examples", "title"];

/// The wire-breaking changes from `old` to `new`.
pub(crate) fn changes(old: &Surface, new: &Surface) -> Vec<Change> {
    let mut found = Vec::new();
    for (id, before) in &old.operations {
        if let Some(after) = new.operations.get(id)
            && (before.http_method != after.http_method || before.path != after.path)
        {
            found.push(Change {
                class: Class::WireBreaking,
                kind: "moved",
                path: format!("Client::{}", after.method_name),
                place: Some(format!(
                    "#/paths/{}/{}",
                    escape(&after.path),
                    after.http_method
                )),
                detail: Some(format!(
                    "{} {} → {} {}",
                    before.http_method.to_uppercase(),
                    before.path,
                    after.http_method.to_uppercase(),
                    after.path
                )),
            });
        }
    }
    let mut walker = Walker { new, found };
    walker.walk(&old.document, &new.document, "#");
    walker.found
}

struct Walker<'a> {
    new: &'a Surface,
    found: Vec<Change>,
}

fn present(object: &Map<String, Value>, key: &str) -> Option<Value> {
    object.get(key).filter(|v| !v.is_null()).cloned()
}

impl Walker<'_> {
    fn push(&mut self, kind: &'static str, place: String, detail: String) {
        self.found.push(Change {
            class: Class::WireBreaking,
            kind,
            path: self.rust_path(&place),
            place: Some(place),
            detail: Some(detail),
        });
    }

    /// The Rust path a pointer's schema or operation has, else the pointer.
    fn rust_path(&self, pointer: &str) -> String {
        let unescape = |s: &str| s.replace("~1", "/").replace("~0", "~");
        let parts: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
        match parts.as_slice() {
            [components, schemas, schema, properties, property, ..]
                if components == "components"
                    && schemas == "schemas"
                    && properties == "properties" =>
            {
                format!(
                    "types::{}::{}",
                    names::type_name(schema),
                    names::field_name(property)
                )
            }
            [components, schemas, schema, ..]
                if components == "components" && schemas == "schemas" =>
            {
                format!("types::{}", names::type_name(schema))
            }
            [paths, path, method, ..] if paths == "paths" => self
                .new
                .operations
                .values()
                .find(|op| &op.path == path && &op.http_method == method)
                .map_or_else(
                    || pointer.to_string(),
                    |op| format!("Client::{}", op.method_name),
                ),
            _ => pointer.to_string(),
        }
    }

    fn walk(&mut self, old: &Value, new: &Value, pointer: &str) {
        match (old, new) {
            (Value::Object(old), Value::Object(new)) => self.object(old, new, pointer),
            (Value::Array(old), Value::Array(new)) => {
                let key = |v: &Value| {
                    let name = v.get("name")?.as_str()?;
                    let place = v.get("in").and_then(Value::as_str).unwrap_or_default();
                    Some(format!("{place}:{name}"))
                };
                for (index, after) in new.iter().enumerate() {
                    let before = match key(after) {
                        Some(k) => old.iter().find(|o| key(o).as_deref() == Some(&k)),
                        None => old.get(index),
                    };
                    if let Some(before) = before {
                        self.walk(before, after, &format!("{pointer}/{index}"));
                    }
                }
            }
            _ => {}
        }
    }

    fn object(&mut self, old: &Map<String, Value>, new: &Map<String, Value>, pointer: &str) {
        let number = |v: &Option<Value>| v.as_ref().and_then(Value::as_f64);
        for key in UPPER {
            let (before, after) = (present(old, key), present(new, key));
            if let Some(limit) = number(&after)
                && number(&before).is_none_or(|was| limit < was)
            {
                let detail = format!("{key} {} → {limit}", show(&before));
                self.push("tightened", format!("{pointer}/{key}"), detail);
            }
        }
        for key in LOWER {
            let (before, after) = (present(old, key), present(new, key));
            if let Some(limit) = number(&after)
                && number(&before).is_none_or(|was| limit > was)
            {
                let detail = format!("{key} {} → {limit}", show(&before));
                self.push("tightened", format!("{pointer}/{key}"), detail);
            }
        }
        for key in EXACT {
            let (before, after) = (present(old, key), present(new, key));
            if after.is_some() && after != before {
                let detail = format!("{key} {} → {}", show(&before), show(&after));
                self.push("tightened", format!("{pointer}/{key}"), detail);
            }
        }
        if let Some(Value::Array(values)) = present(new, "enum") {
            let dropped: Vec<String> = match present(old, "enum") {
                Some(Value::Array(was)) => was
                    .iter()
                    .filter(|v| !values.contains(v))
                    .map(Value::to_string)
                    .collect(),
                _ => vec!["(any value)".into()],
            };
            if !dropped.is_empty() {
                let detail = format!("no longer allowed: {}", dropped.join(", "));
                self.push("narrowed", format!("{pointer}/enum"), detail);
            }
        }
        match (present(old, "required"), present(new, "required")) {
            (before, Some(Value::Array(now))) => {
                let was = match before {
                    Some(Value::Array(was)) => was,
                    _ => Vec::new(),
                };
                for name in now
                    .iter()
                    .filter(|n| !was.contains(n))
                    .filter_map(Value::as_str)
                {
                    let place = format!("{pointer}/properties/{}", escape(name));
                    self.push("required", place, format!("`{name}` is now required"));
                }
            }
            (before, Some(Value::Bool(true))) if before != Some(Value::Bool(true)) => {
                self.push("required", pointer.to_string(), "now required".into());
            }
            _ => {}
        }
        for (key, after) in new {
            if PROSE.contains(&key.as_str()) || key == "enum" || key == "required" {
                continue;
            }
            if let Some(before) = old.get(key) {
                self.walk(before, after, &format!("{pointer}/{}", escape(key)));
            }
        }
    }
}

fn show(value: &Option<Value>) -> String {
    value
        .as_ref()
        .map_or_else(|| "(none)".into(), Value::to_string)
}
