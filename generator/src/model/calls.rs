//! What a call of an operation sends and gets back, as the generated
//! scenario tests exercise it: each parameter with a value its schema
//! accepts, and the documented answers with their examples.

use openapiv3::{
    OpenAPI, Parameter as SpecParameter, ParameterSchemaOrContent, ReferenceOr, Schema, SchemaKind,
    StatusCode, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use serde_json::{Value, json};

use super::conformance;

/// One parameter of an operation.
#[derive(Debug, Clone)]
pub struct Parameter {
    /// Its name in the spec.
    pub name: String,
    /// Where it goes.
    pub location: Location,
    /// Whether the call needs it.
    pub required: bool,
    /// What a call sends: the spec's example if it fits the schema, else,
    /// for a required parameter, a value made from the schema; `None` when
    /// neither is possible.
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

impl Location {
    /// The location's name as scenario data spells it (`Path`).
    pub fn variant(self) -> &'static str {
        match self {
            Self::Path => "Path",
            Self::Query => "Query",
            Self::Header => "Header",
            Self::Cookie => "Cookie",
        }
    }
}

/// An operation's request body.
#[derive(Debug, Clone)]
pub enum Body {
    /// It takes none.
    None,
    /// JSON; `example` is the spec's first example that fits its schema.
    Json {
        /// The example.
        example: Option<Value>,
    },
    /// Another media type (a form, bytes).
    Other,
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

/// The operation's parameters, path-level ones first.
pub(super) fn parameters<'a>(
    openapi: &'a OpenAPI,
    document: &Value,
    parameters: impl Iterator<Item = &'a ReferenceOr<SpecParameter>>,
) -> Vec<Parameter> {
    parameters
        .filter_map(|parameter| resolve_parameter(openapi, parameter))
        .map(|parameter| {
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
            let resolved = schema.and_then(|schema| resolve_schema(openapi, schema));
            let schema_json = schema.and_then(|schema| serde_json::to_value(schema).ok());
            let fits = |value: &Value| {
                is_sendable(value)
                    && schema_json
                        .as_ref()
                        .is_some_and(|schema| conformance::check(document, schema, value).is_ok())
            };
            let example = data
                .example
                .clone()
                .or_else(|| resolved.and_then(|schema| schema.schema_data.example.clone()));
            let made_up = || {
                let schema = resolved.filter(|_| data.required)?;
                made_up(openapi, schema).filter(fits)
            };
            let value = example.filter(fits).or_else(made_up);
            Parameter {
                name: data.name.clone(),
                location,
                required: data.required,
                value,
                free_text: resolved.is_some_and(is_free_text),
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

fn resolve_schema<'a>(openapi: &'a OpenAPI, schema: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
    let mut schema = schema;
    // A chain of references ends within as many steps as there are schemas.
    let components = openapi.components.as_ref()?;
    for _ in 0..=components.schemas.len() {
        match schema {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => {
                schema = components
                    .schemas
                    .get(reference.strip_prefix("#/components/schemas/")?)?;
            }
        }
    }
    None
}

/// A value `schema` accepts, for a parameter the spec gives no example of.
fn made_up(openapi: &OpenAPI, schema: &Schema) -> Option<Value> {
    let SchemaKind::Type(kind) = &schema.schema_kind else {
        return None;
    };
    match kind {
        Type::String(string) => {
            if let Some(first) = string.enumeration.iter().flatten().next() {
                return Some(json!(first));
            }
            if string.pattern.is_some() {
                return None;
            }
            let text = match &string.format {
                VariantOrUnknownOrEmpty::Item(StringFormat::Date) => "2024-01-31",
                VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => "2024-01-31T12:00:00Z",
                VariantOrUnknownOrEmpty::Unknown(format) if format == "uuid" => {
                    "6f1c2a5e-8d3b-4c7a-9e0f-1a2b3c4d5e6f"
                }
                VariantOrUnknownOrEmpty::Empty => "example",
                _ => return None,
            };
            let long_enough = string.min_length.is_none_or(|min| text.len() >= min);
            let short_enough = string.max_length.is_none_or(|max| text.len() <= max);
            (long_enough && short_enough).then(|| json!(text))
        }
        Type::Integer(integer) => {
            let floor = integer.minimum.map_or(1, |minimum| minimum.max(1));
            Some(json!(
                integer.maximum.map_or(floor, |maximum| floor.min(maximum))
            ))
        }
        Type::Number(number) => Some(json!(number.minimum.unwrap_or(1.0))),
        Type::Boolean(_) => Some(json!(true)),
        Type::Array(array) => {
            let items = array.items.as_ref()?.clone().unbox();
            let item = made_up(openapi, resolve_schema(openapi, &items)?)?;
            Some(json!([item]))
        }
        Type::Object(_) => None,
    }
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

fn is_free_text(schema: &Schema) -> bool {
    matches!(
        &schema.schema_kind,
        SchemaKind::Type(Type::String(string))
            if string.enumeration.is_empty()
                && string.pattern.is_none()
                && matches!(string.format, VariantOrUnknownOrEmpty::Empty)
                && string.min_length.is_none()
                && string.max_length.is_none()
    )
}
