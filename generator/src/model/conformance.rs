//! Whether an example fits its schema as the generated types read it: it
//! must parse into the type typify makes of the schema and serialise back
//! to the same JSON (the generated `spec_examples` tests check exactly
//! that). Vendors' specs sometimes carry examples that contradict their own
//! schema; such an example becomes a note instead of a failing test.
//!
//! The rules follow typify 0.8 (pinned with `=`): unknown properties are
//! dropped (so they would not come back), `null` needs `nullable`, string
//! enums are open (any string), other enums closed, integers must fit the
//! type the format and bounds choose, `float` numbers must survive `f32`,
//! strings with a known format must parse and print back the same, and
//! length and pattern constraints hold where no format is given.

use serde_json::{Map, Value};

use crate::spec::is_string_enum;

/// Where in the example, and what is wrong there.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Mismatch {
    /// JSON pointer into the example (empty for the whole example).
    pub pointer: String,
    /// What does not fit.
    pub reason: String,
}

type Fit = Result<(), Mismatch>;

/// Schemas deeper than this are not followed (a `$ref` loop without data).
const MAX_DEPTH: usize = 64;

/// Checks `value` against `schema`, resolving `$ref`s in `document`.
pub(crate) fn check(document: &Value, schema: &Value, value: &Value) -> Fit {
    Checker {
        document,
        closed_enums: false,
    }
    .fits(schema, value, &mut Vec::new(), 0)
}

/// [`check`], and string enums closed: whether a request may carry `value`
/// to the API. The generated types send any string for an open enum, but
/// the API (and a validator such as Prism) reads the spec's list, so a
/// request the scenarios send takes a listed value.
pub(crate) fn check_sendable(document: &Value, schema: &Value, value: &Value) -> Fit {
    Checker {
        document,
        closed_enums: true,
    }
    .fits(schema, value, &mut Vec::new(), 0)
}

/// `schema` with `$ref`s followed and `allOf` merged, as typify reads it;
/// `None` for a dangling reference.
pub(crate) fn flat(document: &Value, schema: &Value) -> Option<Map<String, Value>> {
    Checker {
        document,
        closed_enums: false,
    }
    .flat(schema, 0)
}

struct Checker<'a> {
    document: &'a Value,
    /// Whether a string enum takes only its listed values.
    closed_enums: bool,
}

fn mismatch(path: &[String], reason: impl Into<String>) -> Fit {
    Err(Mismatch {
        pointer: path
            .iter()
            .map(|key| format!("/{}", key.replace('~', "~0").replace('/', "~1")))
            .collect(),
        reason: reason.into(),
    })
}

impl Checker<'_> {
    /// The schema with `$ref`s followed and `allOf` merged into one, as
    /// typify merges it; `None` for a dangling reference.
    fn flat(&self, schema: &Value, depth: usize) -> Option<Map<String, Value>> {
        if depth > MAX_DEPTH {
            return None;
        }
        let mut schema = schema.as_object()?.clone();
        if let Some(target) = schema.get("$ref").and_then(Value::as_str) {
            let target = self.document.pointer(target.strip_prefix('#')?)?;
            let mut resolved = self.flat(target, depth + 1)?;
            // 3.0 ignores `$ref` siblings; only `nullable` is read by this project.
            if schema.get("nullable") == Some(&Value::Bool(true)) {
                resolved.insert("nullable".into(), Value::Bool(true));
            }
            return Some(resolved);
        }
        if let Some(Value::Array(branches)) = schema.remove("allOf") {
            for branch in &branches {
                let branch = self.flat(branch, depth + 1)?;
                for (key, value) in branch {
                    match (key.as_str(), schema.get_mut(&key), value) {
                        ("properties", Some(Value::Object(mine)), Value::Object(theirs)) => {
                            for (name, property) in theirs {
                                mine.entry(name).or_insert(property);
                            }
                        }
                        ("required", Some(Value::Array(mine)), Value::Array(theirs)) => {
                            mine.extend(theirs);
                        }
                        (_, Some(_), _) => {}
                        (_, None, value) => {
                            schema.insert(key, value);
                        }
                    }
                }
            }
        }
        Some(schema)
    }

    fn fits(&self, schema: &Value, value: &Value, path: &mut Vec<String>, depth: usize) -> Fit {
        let Some(schema) = self.flat(schema, depth) else {
            // Not followed: the type is whatever it is; assume it fits.
            return Ok(());
        };
        let nullable = schema.get("nullable") == Some(&Value::Bool(true));
        if value.is_null() {
            let allowed = nullable
                || is_any(&schema)
                || schema
                    .get("enum")
                    .and_then(Value::as_array)
                    .is_some_and(|values| values.contains(&Value::Null));
            return if allowed {
                Ok(())
            } else {
                mismatch(path, "`null` where the schema is not `nullable`")
            };
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = schema.get(key) {
                let fits_one = branches.iter().any(|branch| {
                    self.fits(branch, value, &mut path.clone(), depth + 1)
                        .is_ok()
                });
                if !fits_one {
                    return mismatch(path, format!("fits no branch of `{key}`"));
                }
                return Ok(());
            }
        }
        if let Some(Value::Array(values)) = schema.get("enum") {
            if is_string_enum(&schema) && !self.closed_enums {
                // Open enums keep any string.
                return match value {
                    Value::String(_) => Ok(()),
                    _ => mismatch(path, "not a string, for a string enum"),
                };
            }
            if !values.contains(value) {
                return mismatch(path, format!("`{value}` is not one of the enum's values"));
            }
            return Ok(());
        }
        let ty = schema.get("type").and_then(Value::as_str).or_else(|| {
            (schema.contains_key("properties") || schema.contains_key("additionalProperties"))
                .then_some("object")
        });
        match ty {
            None => Ok(()),
            Some("string") => string(&schema, value, path),
            Some("integer") => integer(&schema, value, path),
            Some("number") => number(&schema, value, path),
            Some("boolean") if value.is_boolean() => Ok(()),
            Some("boolean") => mismatch(path, "not a boolean"),
            Some("array") => self.array(&schema, value, path, depth),
            Some("object") => self.object(&schema, value, path, depth),
            Some(other) => mismatch(path, format!("unknown type `{other}`")),
        }
    }

    fn array(
        &self,
        schema: &Map<String, Value>,
        value: &Value,
        path: &mut Vec<String>,
        depth: usize,
    ) -> Fit {
        let Value::Array(items) = value else {
            return mismatch(path, "not an array");
        };
        let Some(item_schema) = schema.get("items") else {
            return Ok(());
        };
        for (index, item) in items.iter().enumerate() {
            path.push(index.to_string());
            self.fits(item_schema, item, path, depth + 1)?;
            path.pop();
        }
        Ok(())
    }

    fn object(
        &self,
        schema: &Map<String, Value>,
        value: &Value,
        path: &mut Vec<String>,
        depth: usize,
    ) -> Fit {
        let Value::Object(fields) = value else {
            return mismatch(path, "not an object");
        };
        let empty = Map::new();
        let properties = schema
            .get("properties")
            .and_then(Value::as_object)
            .unwrap_or(&empty);
        let required: Vec<&str> = schema
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        if let Some(missing) = required.iter().find(|name| !fields.contains_key(**name)) {
            return mismatch(
                path,
                format!("the required property `{missing}` is missing"),
            );
        }
        let additional = schema.get("additionalProperties");
        for (name, field) in fields {
            path.push(name.clone());
            match (properties.get(name), additional) {
                (Some(property), _) => {
                    let optional = !required.contains(&name.as_str());
                    if field.is_null() && optional && !self.is_nullable(property, depth) {
                        // Read as "absent", so it would not be written back.
                        return mismatch(
                            path,
                            "`null` for an optional property that is not `nullable`",
                        );
                    }
                    self.fits(property, field, path, depth + 1)?;
                }
                // Kept: in a map, or in the struct's flattened `extra`.
                (None, Some(extra @ Value::Object(_))) => {
                    self.fits(extra, field, path, depth + 1)?;
                }
                // A free-form object is a map that keeps everything.
                (None, None | Some(Value::Bool(true))) if properties.is_empty() => {}
                (None, _) => {
                    return mismatch(
                        path,
                        "a property the schema does not define (it would be dropped)",
                    );
                }
            }
            path.pop();
        }
        Ok(())
    }

    fn is_nullable(&self, schema: &Value, depth: usize) -> bool {
        self.flat(schema, depth)
            .is_none_or(|s| s.get("nullable") == Some(&Value::Bool(true)) || is_any(&s))
    }
}

/// A schema that constrains nothing: typify makes it `serde_json::Value`.
fn is_any(schema: &Map<String, Value>) -> bool {
    const CONSTRAINING: [&str; 8] = [
        "type",
        "properties",
        "additionalProperties",
        "items",
        "enum",
        "oneOf",
        "anyOf",
        "not",
    ];
    !CONSTRAINING.iter().any(|key| schema.contains_key(*key))
}

fn string(schema: &Map<String, Value>, value: &Value, path: &[String]) -> Fit {
    let Value::String(text) = value else {
        return mismatch(path, "not a string");
    };
    let format = schema.get("format").and_then(Value::as_str);
    let parses = match format {
        Some("date-time") => is_date_time(text),
        Some("date") => is_date(text),
        Some("uuid") => is_uuid(text),
        Some("ip") => text
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.to_string() == *text),
        Some("ipv4") => text
            .parse::<std::net::Ipv4Addr>()
            .is_ok_and(|ip| ip.to_string() == *text),
        Some("ipv6") => text
            .parse::<std::net::Ipv6Addr>()
            .is_ok_and(|ip| ip.to_string() == *text),
        _ => return constrained_string(schema, text, path),
    };
    if parses {
        Ok(())
    } else {
        mismatch(
            path,
            format!(
                "`{text}` is not a `{}` as the type writes it back",
                format.unwrap_or_default()
            ),
        )
    }
}

/// `minLength`, `maxLength` and `pattern`, which typify checks when the
/// string has no format it knows.
fn constrained_string(schema: &Map<String, Value>, text: &str, path: &[String]) -> Fit {
    let length = text.chars().count() as u64;
    if let Some(min) = schema.get("minLength").and_then(Value::as_u64)
        && length < min
    {
        return mismatch(path, format!("shorter than `minLength: {min}`"));
    }
    if let Some(max) = schema.get("maxLength").and_then(Value::as_u64)
        && length > max
    {
        return mismatch(path, format!("longer than `maxLength: {max}`"));
    }
    if let Some(pattern) = schema.get("pattern").and_then(Value::as_str) {
        let matches = regress::Regex::new(pattern).is_ok_and(|re| re.find(text).is_some());
        if !matches {
            return mismatch(path, format!("does not match `pattern: {pattern}`"));
        }
    }
    Ok(())
}

fn digits(text: &str) -> bool {
    !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit())
}

/// `YYYY-MM-DD`.
fn is_date(text: &str) -> bool {
    let parts: Vec<&str> = text.split('-').collect();
    matches!(parts.as_slice(), [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 && digits(y) && digits(m) && digits(d))
        && month_day_ok(&text[5..7], &text[8..10])
}

fn month_day_ok(month: &str, day: &str) -> bool {
    let (Ok(month), Ok(day)) = (month.parse::<u8>(), day.parse::<u8>()) else {
        return false;
    };
    (1..=12).contains(&month) && (1..=31).contains(&day)
}

/// RFC 3339: `YYYY-MM-DDTHH:MM:SS[.frac](Z|±HH:MM)`.
fn is_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once(['T', 't']) else {
        return false;
    };
    let (clock, zone_ok) = if let Some(clock) = time.strip_suffix(['Z', 'z']) {
        (clock, true)
    } else if let Some(at) = time.rfind(['+', '-']) {
        let zone = &time[at + 1..];
        let ok = zone.len() == 5
            && zone.as_bytes()[2] == b':'
            && digits(&zone[..2])
            && digits(&zone[3..]);
        (&time[..at], ok)
    } else {
        return false;
    };
    let (hms, fraction) = match clock.split_once('.') {
        Some((hms, fraction)) => (hms, Some(fraction)),
        None => (clock, None),
    };
    let fields: Vec<&str> = hms.split(':').collect();
    let hms_ok = matches!(fields.as_slice(), [h, m, s] if [h, m, s].iter().all(|f| f.len() == 2 && digits(f)));
    is_date(date) && zone_ok && hms_ok && fraction.is_none_or(digits)
}

/// Lower-case hyphenated, as `uuid` writes it back.
fn is_uuid(text: &str) -> bool {
    let groups: Vec<&str> = text.split('-').collect();
    groups.iter().map(|g| g.len()).eq([8, 4, 4, 4, 12])
        && groups.iter().all(|g| {
            g.bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        })
}

fn integer(schema: &Map<String, Value>, value: &Value, path: &[String]) -> Fit {
    let Some(number) = value.as_number() else {
        return mismatch(path, "not an integer");
    };
    let Some(n) = number
        .as_i64()
        .map(i128::from)
        .or_else(|| number.as_u64().map(i128::from))
    else {
        return mismatch(path, format!("`{number}` is not an integer"));
    };
    let (low, high): (i128, i128) = match schema.get("format").and_then(Value::as_str) {
        Some("int8") => (i8::MIN.into(), i8::MAX.into()),
        Some("uint8") => (0, u8::MAX.into()),
        Some("int16") => (i16::MIN.into(), i16::MAX.into()),
        Some("uint16") => (0, u16::MAX.into()),
        Some("int" | "int32") => (i32::MIN.into(), i32::MAX.into()),
        Some("uint" | "uint32") => (0, u32::MAX.into()),
        Some("uint64") => (0, u64::MAX.into()),
        _ => (i64::MIN.into(), u64::MAX.into()),
    };
    let bound = |key: &str| schema.get(key).and_then(Value::as_f64);
    let exclusive = |key: &str| schema.get(key) == Some(&Value::Bool(true));
    if let Some(min) = bound("minimum") {
        let below = if exclusive("exclusiveMinimum") {
            (n as f64) <= min
        } else {
            (n as f64) < min
        };
        if below {
            return mismatch(path, format!("`{n}` is below the `minimum` {min}"));
        }
    }
    if let Some(max) = bound("maximum") {
        let above = if exclusive("exclusiveMaximum") {
            (n as f64) >= max
        } else {
            (n as f64) > max
        };
        if above {
            return mismatch(path, format!("`{n}` is above the `maximum` {max}"));
        }
    }
    if n < low || n > high {
        return mismatch(path, format!("`{n}` does not fit the integer format"));
    }
    Ok(())
}

fn number(schema: &Map<String, Value>, value: &Value, path: &[String]) -> Fit {
    let Some(n) = value.as_f64() else {
        return mismatch(path, "not a number");
    };
    if schema.get("format").and_then(Value::as_str) == Some("float") && f64::from(n as f32) != n {
        return mismatch(
            path,
            format!("`{n}` changes when stored as `f32` (`format: float`)"),
        );
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fit(schema: Value, value: Value) -> Fit {
        let document = json!({"components": {"schemas": {
            "Kind": {"type": "string", "enum": ["a"]},
            "Base": {"type": "object", "required": ["id"], "properties": {"id": {"type": "string", "format": "uuid"}}}
        }}});
        check(&document, &schema, &value)
    }

    #[test]
    fn examples_that_round_trip_fit() {
        let schema = json!({"allOf": [{"$ref": "#/components/schemas/Base"}, {"type": "object", "properties": {
            "kind": {"$ref": "#/components/schemas/Kind"},
            "at": {"type": "string", "format": "date-time"},
            "n": {"type": "integer", "format": "int32", "minimum": 0},
            "note": {"type": "string", "nullable": true},
            "any": {}
        }}]});
        let value = json!({
            "id": "0b6e0c5e-1d0b-4a4b-9c7e-2f2a7c1d9e01",
            "kind": "not listed",
            "at": "2018-03-13T13:45:21.673Z",
            "n": 3,
            "note": null,
            "any": [1, {"x": null}]
        });
        assert_eq!(fit(schema, value), Ok(()));
    }

    #[test]
    fn contradictions_are_located() {
        let schema = json!({"$ref": "#/components/schemas/Base"});
        let cases = [
            (json!({}), ""),
            (json!({"id": "0B6E0C5E-1D0B-4A4B-9C7E-2F2A7C1D9E01"}), "/id"),
            (
                json!({"id": "0b6e0c5e-1d0b-4a4b-9c7e-2f2a7c1d9e01", "extra": 1}),
                "/extra",
            ),
        ];
        for (value, pointer) in cases {
            let error = fit(schema.clone(), value).expect_err("a mismatch");
            assert_eq!(error.pointer, pointer, "{error:?}");
        }
        let optional_null = json!({"type": "object", "properties": {"x": {"type": "string"}}});
        assert!(fit(optional_null, json!({"x": null})).is_err());
        assert!(fit(json!({"type": "integer", "format": "int32"}), json!(1.5)).is_err());
        assert!(fit(json!({"type": "number", "format": "float"}), json!(0.1)).is_err());
        assert!(fit(json!({"type": "string", "pattern": "^a+$"}), json!("b")).is_err());
        assert!(fit(json!({"type": "integer", "enum": [1, 2]}), json!(3)).is_err());
    }

    #[test]
    fn a_sent_value_takes_a_listed_enum_value() {
        let document = json!({});
        let schema = json!({"type": "object", "properties": {
            "type": {"type": "string", "enum": ["detach"]}
        }});
        let attach = json!({"type": "attach"});
        assert!(check(&document, &schema, &attach).is_ok());
        let refused = check_sendable(&document, &schema, &attach);
        assert_eq!(
            refused.map_err(|mismatch| mismatch.pointer),
            Err("/type".to_string())
        );
        assert!(check_sendable(&document, &schema, &json!({"type": "detach"})).is_ok());
    }
}
