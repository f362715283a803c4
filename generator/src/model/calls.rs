//! What a call of an operation sends and gets back, as the generated
//! scenario tests exercise it: each parameter with a value its schema
//! accepts, and the documented answers with their examples.

use openapiv3::{
    OpenAPI, Parameter as SpecParameter, ParameterSchemaOrContent, ReferenceOr, StatusCode,
};
use serde_json::{Map, Value};

use super::conformance;
use crate::error::json_pointer;
use crate::note::Note;

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Its name in the spec.
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Whether the call needs it.
    pub required: bool,
    /// The spec's example, if it fits the schema.
    pub example: Option<Value>,
    /// What the generated tests send: the example, else, for a required
    /// parameter, a value made from the schema; `None` when neither is
    /// possible.
    pub value: Option<Value>,
    /// Whether any text is a valid value (a `string` without format,
    /// pattern, enum or length limits).
    pub free_text: bool,
}

/// Where a parameter goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
    /// A cookie (progenitor sends none).
    Cookie,
}

/// An operation's request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// It takes none.
    None,
    /// JSON.
    Json {
        /// What a call sends: the spec's first example that fits the
        /// schema, else a value made from the schema.
        value: Option<Value>,
    },
    /// `application/x-www-form-urlencoded`, a flat object.
    Form {
        /// What a call sends: the spec's first example that fits the
        /// schema, else a value made from the schema.
        value: Option<Value>,
    },
    /// Another media type (multipart, bytes, text).
    Other,
}

impl Body {
    /// What a call sends, if the body can be given as JSON.
    pub fn value(&self) -> Option<&Value> {
        match self {
            Self::Json { value } | Self::Form { value } => value.as_ref(),
            Self::None | Self::Other => None,
        }
    }
}

/// A documented answer with a status code.
#[derive(Debug, Clone)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// Whether its body is JSON.
    pub json: bool,
    /// Its first example that fits the schema.
    pub example: Option<Value>,
}

/// The operation at `path` and `method`'s parameters: `shared` (the
/// path's) first, then its `own`. A spec example that contradicts its
/// schema is a note.
pub(super) fn parameters(
    openapi: &OpenAPI,
    document: &Value,
    (path, method): (&str, &str),
    shared: &[ReferenceOr<SpecParameter>],
    own: &[ReferenceOr<SpecParameter>],
    notes: &mut Vec<Note>,
) -> Vec<Parameter> {
    let places =
        (0..shared.len())
            .map(|index| json_pointer(["paths", path, "parameters", &index.to_string()]))
            .chain((0..own.len()).map(|index| {
                json_pointer(["paths", path, method, "parameters", &index.to_string()])
            }));
    shared
        .iter()
        .chain(own)
        .zip(places)
        .filter_map(|(parameter, place)| {
            let place = match parameter {
                ReferenceOr::Reference { reference } => reference.trim_start_matches('#').to_string(),
                ReferenceOr::Item(_) => place,
            };
            Some((resolve_parameter(openapi, parameter)?, place))
        })
        .map(|(parameter, place)| {
            let location = match parameter {
                SpecParameter::Path { .. } => Location::Path,
                SpecParameter::Query { .. } => Location::Query,
                SpecParameter::Header { .. } => Location::Header,
                SpecParameter::Cookie { .. } => Location::Cookie,
            };
            let data = parameter.parameter_data_ref();
            let schema = match &data.format {
                ParameterSchemaOrContent::Schema(schema) => Some(schema),
                ParameterSchemaOrContent::Content(_) => None,
            };
            let schema = schema.and_then(|schema| serde_json::to_value(schema).ok());
            let flat = schema
                .as_ref()
                .and_then(|schema| conformance::flat(document, schema));
            let fits = |value: &Value| {
                is_sendable(value)
                    && schema
                        .as_ref()
                        .is_some_and(|schema| {
                            conformance::check_sendable(document, schema, value).is_ok()
                        })
            };
            let example = data
                .example
                .clone()
                .or_else(|| flat.as_ref()?.get("example").cloned());
            let example = match example {
                Some(example) if !fits(&example) => {
                    notes.push(Note {
                        location: crate::error::Location::Pointer(place),
                        message: format!(
                            "the example of parameter `{}` ({example}) does not fit its schema: the generated tests send a value made from the schema",
                            data.name
                        ),
                    });
                    None
                }
                example => example,
            };
            let made_up =
                || made_up(document, schema.as_ref().filter(|_| data.required)?).filter(fits);
            Parameter {
                name: data.name.clone(),
                location,
                required: data.required,
                value: example.clone().or_else(made_up),
                example,
                free_text: flat.as_ref().is_some_and(is_free_text),
            }
        })
        .collect()
}

/// The explicit statuses of `responses` progenitor types (2xx, 4xx, 5xx),
/// those it does not (they reach the caller as unexpected answers), and
/// whether a range or `default` covers the rest.
pub(super) fn statuses(responses: &openapiv3::Responses) -> (Vec<u16>, Vec<u16>, bool) {
    let (typed, untyped) = responses
        .responses
        .keys()
        .filter_map(|status| match status {
            StatusCode::Code(code) => Some(*code),
            StatusCode::Range(_) => None,
        })
        .partition(|code| matches!(code, 200..=299 | 400..=599));
    let catch_all = responses.default.is_some()
        || responses
            .responses
            .keys()
            .any(|status| matches!(status, StatusCode::Range(_)));
    (typed, untyped, catch_all)
}

/// The note on a documented `status` progenitor does not type.
pub(super) fn untyped_answer_note((path, method): (&str, &str), status: u16) -> Note {
    Note {
        location: crate::error::Location::Pointer(json_pointer([
            "paths",
            path,
            method,
            "responses",
            &status.to_string(),
        ])),
        message: format!(
            "progenitor types 2xx, 4xx and 5xx answers only: a {status} reaches the caller as `Error::UnexpectedResponse`, with its status, headers and body"
        ),
    }
}

fn resolve_parameter<'a>(
    openapi: &'a OpenAPI,
    parameter: &'a ReferenceOr<SpecParameter>,
) -> Option<&'a SpecParameter> {
    match parameter {
        ReferenceOr::Item(parameter) => Some(parameter),
        ReferenceOr::Reference { reference } => openapi
            .components
            .as_ref()?
            .parameters
            .get(reference.strip_prefix("#/components/parameters/")?)?
            .as_item(),
    }
}

/// An object of scalars: what a form body can carry.
pub(super) fn is_flat_object(value: &Value) -> bool {
    value
        .as_object()
        .is_some_and(|fields| fields.values().all(is_scalar))
}

/// Scalars and lists of scalars: what a path, query or header value can carry.
fn is_sendable(value: &Value) -> bool {
    match value {
        Value::Array(items) => items.iter().all(is_scalar),
        other => is_scalar(other),
    }
}

fn is_scalar(value: &Value) -> bool {
    matches!(value, Value::String(_) | Value::Number(_) | Value::Bool(_))
}

fn is_free_text(schema: &Map<String, Value>) -> bool {
    schema.get("type").and_then(Value::as_str) == Some("string")
        && ["enum", "pattern", "format", "minLength", "maxLength"]
            .iter()
            .all(|key| !schema.contains_key(*key))
}

/// A value `schema` accepts, made from it where the spec gives no example:
/// a nested example or default, an enum's first value, the minimum, a date,
/// the first branch that works, required properties only. Checked against
/// the schema as a whole; `None` when no value could be made.
pub(super) fn made_up(document: &Value, schema: &Value) -> Option<Value> {
    let value = Maker { document }.make(schema, 0)?;
    conformance::check_sendable(document, schema, &value)
        .is_ok()
        .then_some(value)
}

/// Schemas deeper than this get no made-up value.
const MAX_DEPTH: usize = 16;

/// A text of each string format the generated types check, for the formats
/// that name it; tried first for a string of that format, and after
/// [`TEXTS`] for a string whose `pattern` may want one of them.
const FORMATTED: [(&[&str], &str); 7] = [
    (&["date"], "2024-01-31"),
    (&["date-time"], "2024-01-31T12:00:00Z"),
    (&["uuid"], "6f1c2a5e-8d3b-4c7a-9e0f-1a2b3c4d5e6f"),
    (&["ipv4", "ip"], "192.0.2.1"),
    (&["ipv6"], "2001:db8::1"),
    (&["email"], "user@example.com"),
    (&["uri", "url"], "https://example.com/"),
];

/// Texts tried, in order, for a string without a format.
const TEXTS: [&str; 7] = ["example", "a", "abc", "example-1", "A", "1", "x"];

struct Maker<'a> {
    document: &'a Value,
}

impl Maker<'_> {
    fn make(&self, schema: &Value, depth: usize) -> Option<Value> {
        if depth > MAX_DEPTH {
            return None;
        }
        let flat = conformance::flat(self.document, schema)?;
        let fits =
            |value: &Value| conformance::check_sendable(self.document, schema, value).is_ok();
        if let Some(value) = ["example", "default"]
            .iter()
            .filter_map(|key| flat.get(*key))
            .find(|value| fits(value))
        {
            return Some(value.clone());
        }
        if let Some(Value::Array(values)) = flat.get("enum") {
            return values.iter().find(|value| !value.is_null()).cloned();
        }
        for key in ["oneOf", "anyOf"] {
            if let Some(Value::Array(branches)) = flat.get(key) {
                return branches
                    .iter()
                    .find_map(|branch| self.make(branch, depth + 1).filter(|value| fits(value)));
            }
        }
        let bound = |key: &str| flat.get(key).and_then(Value::as_f64);
        // 1, or the bounds' nearest value to it.
        let number = || {
            let at_least = bound("minimum").map_or(1.0, |minimum| minimum.max(1.0));
            bound("maximum").map_or(at_least, |maximum| at_least.min(maximum))
        };
        match flat.get("type").and_then(Value::as_str) {
            Some("string") => {
                let format = flat.get("format").and_then(Value::as_str);
                let formatted = FORMATTED
                    .iter()
                    .filter(|(formats, _)| format.is_some_and(|format| formats.contains(&format)))
                    .map(|(_, text)| *text);
                let long = flat
                    .get("minLength")
                    .and_then(Value::as_u64)
                    .map(|length| "x".repeat(usize::try_from(length).unwrap_or(0)));
                formatted
                    .chain(TEXTS)
                    .chain(FORMATTED.iter().map(|(_, text)| *text))
                    .chain(long.as_deref())
                    .map(|text| Value::String(text.to_string()))
                    .find(|value| fits(value))
            }
            Some("integer") => Some(Value::from(number().ceil() as i64)),
            Some("number") => Some(serde_json::json!(number())),
            Some("boolean") => Some(Value::Bool(true)),
            Some("array") => {
                let item = flat
                    .get("items")
                    .and_then(|items| self.make(items, depth + 1));
                match item {
                    Some(item) => Some(Value::Array(vec![item])),
                    None if bound("minItems").unwrap_or(0.0) == 0.0 => {
                        Some(Value::Array(Vec::new()))
                    }
                    None => None,
                }
            }
            Some("object") | None => {
                let properties = flat.get("properties").and_then(Value::as_object);
                let mut object = Map::new();
                for name in flat
                    .get("required")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                {
                    let property = properties?.get(name)?;
                    object.insert(name.to_string(), self.make(property, depth + 1)?);
                }
                Some(Value::Object(object))
            }
            Some(_) => None,
        }
    }
}
