//! Stage 4, model: one typed description of the API that every emitter
//! reads: operations under the exact names progenitor gives them, security
//! schemes with their credential parts, servers, examples, and the facts
//! about types (open enums, nullable fields) progenitor does not act on.

pub mod names;
mod schemas;
mod security;
mod servers;

use openapiv3::{MediaType, OpenAPI, Parameter, ParameterSchemaOrContent, ReferenceOr};
use serde_json::Value;

use crate::normalize::is_json;
use crate::validate::Validated;

pub use schemas::{NullableField, OpenEnum, OpenEnumValue};
pub use security::{Scheme, SchemeKind};
pub use servers::{Server, ServerVariable};

/// The API a client crate is generated for.
#[derive(Debug, Clone)]
pub struct Api {
    /// The spec path with `/` separators, as headers and docs name it.
    pub spec_path: String,
    /// The vendor (the spec's file stem, see [`names::vendor_from_stem`]).
    pub vendor: String,
    /// `info.title`.
    pub title: String,
    /// `info.version`.
    pub version: String,
    /// `info.description`.
    pub description: Option<String>,
    /// Every operation, in document order.
    pub operations: Vec<Operation>,
    /// `components.securitySchemes`, in document order.
    pub schemes: Vec<Scheme>,
    /// `servers`, in document order.
    pub servers: Vec<Server>,
    /// Every string enum, as a named schema.
    pub open_enums: Vec<OpenEnum>,
    /// Optional properties that may also be `null`.
    pub nullable_fields: Vec<NullableField>,
    /// Request and response examples with a named body type.
    pub examples: Vec<Example>,
    /// What the example program sends, if any operation has a full example.
    pub example_call: Option<ExampleCall>,
    /// The document progenitor is given.
    pub openapi: OpenAPI,
}

/// One operation.
#[derive(Debug, Clone)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: String,
    /// progenitor's method name, and the `OperationInfo::operation_id` its hooks see.
    pub method_name: String,
    /// The HTTP method, upper case.
    pub http_method: String,
    /// The path template, such as `/subscriptions/{id}`.
    pub path: String,
    /// `summary`.
    pub summary: Option<String>,
    /// Which credentials it accepts.
    pub security: Security,
}

/// The credentials an operation accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Security {
    /// None needed.
    None,
    /// Any one of these alternatives, each a list of indexes into
    /// [`Api::schemes`] that must all be present; an empty alternative means
    /// the call may go without credentials.
    AnyOf(Vec<Vec<usize>>),
}

/// A request or response example of a body whose type is named.
#[derive(Debug, Clone)]
pub struct Example {
    /// The test's name (`update_widget_response_200`).
    pub test_name: String,
    /// The generated type the example must parse into.
    pub type_name: String,
    /// The example.
    pub value: Value,
}

/// What the example program sends.
#[derive(Debug, Clone)]
pub struct ExampleCall {
    /// Index into [`Api::operations`].
    pub operation: usize,
    /// The request body's type.
    pub body_type: String,
    /// The request body.
    pub body: Value,
    /// `(setter, example)` for each parameter with an example.
    pub arguments: Vec<(String, Value)>,
    /// The schemes of the operation's first security alternative.
    pub credentials: Vec<usize>,
}

/// Builds the model of a validated spec.
pub fn model(validated: Validated) -> Api {
    let Validated {
        normalized,
        openapi,
    } = validated;
    let loaded = &normalized.loaded;
    let schemes = security::schemes(&openapi);
    let mut operations = Vec::new();
    for (path, method, operation) in openapi.operations() {
        let id = operation.operation_id.clone().unwrap_or_default();
        let requirements = operation.security.as_ref().or(openapi.security.as_ref());
        operations.push(Operation {
            method_name: names::operation_method(&id),
            id,
            http_method: method.to_uppercase(),
            path: path.to_string(),
            summary: operation.summary.clone().filter(|s| !s.trim().is_empty()),
            security: security::of_operation(requirements, &schemes),
        });
    }
    let (examples, example_call) = examples(&openapi, &operations);
    let (open_enums, nullable_fields) = schemas::facts(&normalized.document);
    Api {
        spec_path: loaded.display_path(),
        vendor: loaded.vendor.clone(),
        title: openapi.info.title.clone(),
        version: openapi.info.version.clone(),
        description: openapi.info.description.clone(),
        servers: servers::servers(&openapi.servers),
        operations,
        schemes,
        open_enums,
        nullable_fields,
        examples,
        example_call,
        openapi,
    }
}

/// The JSON media type of a content map.
fn json_media(content: &openapiv3::Content) -> Option<&MediaType> {
    content
        .iter()
        .find(|(media, _)| is_json(media))
        .map(|(_, m)| m)
}

/// The type name of a body schema given as a `$ref` to a component.
fn ref_type(media: &MediaType) -> Option<String> {
    match media.schema.as_ref()? {
        ReferenceOr::Reference { reference } => Some(names::type_name(
            reference.strip_prefix("#/components/schemas/")?,
        )),
        ReferenceOr::Item(_) => None,
    }
}

/// Every example of a media type: `example`, then each of `examples` (with a suffix).
fn media_examples(media: &MediaType) -> Vec<(String, &Value)> {
    let mut out: Vec<(String, &Value)> = media.example.iter().map(|e| (String::new(), e)).collect();
    for (name, example) in &media.examples {
        if let ReferenceOr::Item(example) = example
            && let Some(value) = &example.value
        {
            out.push((format!("-{name}"), value));
        }
    }
    out
}

fn examples(openapi: &OpenAPI, operations: &[Operation]) -> (Vec<Example>, Option<ExampleCall>) {
    let mut examples = Vec::new();
    let mut call = None;
    for (index, ((path, _, operation), modelled)) in
        openapi.operations().zip(operations).enumerate()
    {
        let body = match &operation.request_body {
            Some(ReferenceOr::Item(body)) => json_media(&body.content),
            _ => None,
        };
        let body = body.and_then(|media| Some((media, ref_type(media)?)));
        if let Some((media, type_name)) = &body {
            for (suffix, value) in media_examples(media) {
                examples.push(Example {
                    test_name: format!("{}-request{suffix}", modelled.id),
                    type_name: type_name.clone(),
                    value: value.clone(),
                });
            }
        }
        for (status, response) in &operation.responses.responses {
            let ReferenceOr::Item(response) = response else {
                continue;
            };
            let Some(media) = json_media(&response.content) else {
                continue;
            };
            let Some(type_name) = ref_type(media) else {
                continue;
            };
            for (suffix, value) in media_examples(media) {
                examples.push(Example {
                    test_name: format!("{}-response-{status}{suffix}", modelled.id),
                    type_name: type_name.clone(),
                    value: value.clone(),
                });
            }
        }
        if call.is_some() {
            continue;
        }
        let Some((media, body_type)) = body else {
            continue;
        };
        let Some((_, value)) = media_examples(media).into_iter().next() else {
            continue;
        };
        let shared = openapi
            .paths
            .paths
            .get(path)
            .and_then(ReferenceOr::as_item)
            .map(|item| item.parameters.as_slice())
            .unwrap_or_default();
        let Some(arguments) =
            parameter_examples(openapi, shared.iter().chain(&operation.parameters))
        else {
            continue;
        };
        let credentials = match &modelled.security {
            Security::AnyOf(alternatives) => alternatives.first().cloned().unwrap_or_default(),
            Security::None => Vec::new(),
        };
        call = Some(ExampleCall {
            operation: index,
            body_type,
            body: value.clone(),
            arguments,
            credentials,
        });
    }
    (examples, call)
}

/// `(setter, example)` per parameter that has an example; `None` when a
/// required one has none, since the program could not send it.
fn parameter_examples<'a>(
    openapi: &'a OpenAPI,
    parameters: impl Iterator<Item = &'a ReferenceOr<Parameter>>,
) -> Option<Vec<(String, Value)>> {
    let mut arguments = Vec::new();
    for parameter in parameters {
        let parameter = match parameter {
            ReferenceOr::Item(parameter) => parameter,
            ReferenceOr::Reference { reference } => {
                let name = reference.strip_prefix("#/components/parameters/")?;
                openapi
                    .components
                    .as_ref()?
                    .parameters
                    .get(name)?
                    .as_item()?
            }
        };
        let data = parameter.parameter_data_ref();
        let example = data.example.as_ref().or(match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                schema.schema_data.example.as_ref()
            }
            _ => None,
        });
        match example {
            Some(example) => arguments.push((names::parameter_setter(&data.name), example.clone())),
            None if data.required => return None,
            None => {}
        }
    }
    Some(arguments)
}
