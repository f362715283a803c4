//! Stage 4, model: one typed description of the API that every emitter
//! reads: operations under the exact names progenitor gives them, security
//! schemes with their credential parts, servers, examples, and the facts
//! about types (open enums, nullable fields) progenitor does not act on.

mod calls;
mod conformance;
mod schemas;
mod security;
mod servers;

use std::collections::BTreeMap;

use openapiv3::{MediaType, OpenAPI, ReferenceOr};
use serde_json::Value;

use crate::error::json_pointer;
use crate::normalize::MultipartBody;
use crate::note::Note;
use crate::spec::{FORM, is_json};
use crate::validate::Validated;

pub use crate::spec::names;
pub use crate::spec::{ClientAuthentication, TOKEN_ENDPOINT_AUTH_METHOD};
pub use calls::{Answer, Body, Location, Parameter};
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
    /// What normalize adapted, and examples left out of the tests.
    pub notes: Vec<Note>,
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
    /// The scopes it asks of each OAuth 2.0 scheme (index into
    /// [`Api::schemes`]) its `security` names, from the first requirement
    /// that names it.
    pub scopes: BTreeMap<usize, Vec<String>>,
    /// Its body, when it is sent as `multipart/form-data`.
    pub multipart: Option<MultipartBody>,
    /// Its parameters, path-level ones first.
    pub parameters: Vec<Parameter>,
    /// Its request body.
    pub body: Body,
    /// Its documented answers with a status code, in spec order.
    pub answers: Vec<Answer>,
    /// Whether a `default` or range (`4XX`) answer covers the other statuses.
    pub catch_all: bool,
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

impl Api {
    /// Whether some scheme is applied to the request at call time rather
    /// than as a header value: bearer tokens (HTTP bearer, OAuth 2.0, OpenID
    /// Connect) come from a `TokenProvider`, so `Credentials::apply` says
    /// which provider and scopes a call needs; API keys in the query go into
    /// the request's URL (and cookies join its `Cookie` header), so `apply`
    /// takes the request.
    pub fn has_call_time_schemes(&self) -> bool {
        self.schemes.iter().any(|scheme| {
            scheme.kind.is_token()
                || matches!(
                    scheme.kind,
                    SchemeKind::QueryKey { .. } | SchemeKind::CookieKey { .. }
                )
        })
    }
}

impl Security {
    /// Whether a call without any credentials is refused.
    pub fn needs_credentials(&self) -> bool {
        match self {
            Self::None => false,
            Self::AnyOf(alternatives) => !alternatives.iter().any(Vec::is_empty),
        }
    }
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
    let mut notes = normalized.notes.clone();
    let mut operations = Vec::new();
    for (path, method, operation) in openapi.operations() {
        let id = operation.operation_id.clone().unwrap_or_default();
        let requirements = operation.security.as_ref().or(openapi.security.as_ref());
        let item = path_item(&openapi, path);
        servers::note_unused(item, operation, (path, method), &mut notes);
        let (statuses, untyped, catch_all) = calls::statuses(&operation.responses);
        notes.extend(
            untyped
                .into_iter()
                .map(|status| calls::untyped_answer_note((path, method), status)),
        );
        operations.push(Operation {
            parameters: calls::parameters(
                &openapi,
                &normalized.document,
                (path, method),
                item.map(|item| item.parameters.as_slice())
                    .unwrap_or_default(),
                &operation.parameters,
                &mut notes,
            ),
            body: match &operation.request_body {
                None => Body::None,
                Some(_) => Body::Other,
            },
            answers: statuses
                .into_iter()
                .map(|status| Answer {
                    status,
                    json: false,
                    example: None,
                })
                .collect(),
            catch_all,
            method_name: names::operation_method(&id),
            http_method: method.to_uppercase(),
            path: path.to_string(),
            summary: operation.summary.clone().filter(|s| !s.trim().is_empty()),
            security: security::of_operation(requirements, &schemes),
            scopes: security::scopes_of_operation(requirements, &schemes),
            multipart: normalized
                .multipart
                .iter()
                .find(|m| m.operation_id == id)
                .cloned(),
            id,
        });
    }
    let (examples, example_call) =
        examples(&openapi, &normalized.document, &mut operations, &mut notes);
    let (open_enums, nullable_fields) = schemas::facts(&normalized.document);
    // The model's own notes name places in the normalized document.
    for note in &mut notes[normalized.notes.len()..] {
        let location = std::mem::replace(&mut note.location, crate::error::Location::File);
        note.location = normalized.file_location(location);
    }
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
        notes,
    }
}

/// The generated type of a body schema, and the schema (JSON) to check
/// examples against: a `$ref` to a component is that component's type; an
/// inline object is the struct progenitor names `inline_name`
/// (`<operationId>-body`, `-response`), when typify makes one of it.
fn body_type(
    media: &MediaType,
    document: &Value,
    place: &[&str],
    inline_name: Option<String>,
) -> Option<(String, Value)> {
    match media.schema.as_ref()? {
        ReferenceOr::Reference { reference } => Some((
            names::type_name(reference.strip_prefix("#/components/schemas/")?),
            serde_json::json!({ "$ref": reference }),
        )),
        ReferenceOr::Item(_) => {
            let schema =
                document.pointer(&json_pointer(place.iter().copied().chain(["schema"])))?;
            let fields = schema.as_object()?;
            let is_struct = fields
                .get("properties")
                .and_then(Value::as_object)
                .is_some_and(|p| !p.is_empty())
                && fields.get("nullable") != Some(&Value::Bool(true))
                && ["allOf", "anyOf", "oneOf", "enum"]
                    .iter()
                    .all(|key| !fields.contains_key(*key));
            is_struct.then(|| Some((names::type_name(&inline_name?), schema.clone())))?
        }
    }
}

/// One example of a media type.
struct MediaExample<'a> {
    /// Appended to the test name (`-{name}` for a named example).
    suffix: String,
    /// Its keys below the media type (`example`, or `examples/{name}/value`).
    keys: Vec<String>,
    value: &'a Value,
}

/// Every example of a media type: `example`, then each of `examples` (with a suffix).
fn media_examples(media: &MediaType) -> Vec<MediaExample<'_>> {
    let mut out: Vec<MediaExample<'_>> = media
        .example
        .iter()
        .map(|value| MediaExample {
            suffix: String::new(),
            keys: vec!["example".into()],
            value,
        })
        .collect();
    for (name, example) in &media.examples {
        if let ReferenceOr::Item(example) = example
            && let Some(value) = &example.value
        {
            out.push(MediaExample {
                suffix: format!("-{name}"),
                keys: vec!["examples".into(), name.clone(), "value".into()],
                value,
            });
        }
    }
    out
}

/// The examples of `media` that fit `schema`; a note for each that does not.
fn fitting_examples<'a>(
    document: &Value,
    media: &'a MediaType,
    schema: &Value,
    place: &[&str],
    notes: &mut Vec<Note>,
) -> Vec<MediaExample<'a>> {
    let mut fitting = Vec::new();
    for example in media_examples(media) {
        match conformance::check(document, schema, example.value) {
            Ok(()) => fitting.push(example),
            Err(mismatch) => {
                let at = if mismatch.pointer.is_empty() {
                    "as a whole".to_string()
                } else {
                    format!("at `{}`", mismatch.pointer)
                };
                notes.push(Note {
                    location: crate::error::Location::Pointer(json_pointer(
                        place
                            .iter()
                            .copied()
                            .chain(example.keys.iter().map(String::as_str)),
                    )),
                    message: format!(
                        "this example contradicts its schema {at} ({}): it is left out of the generated tests",
                        mismatch.reason
                    ),
                });
            }
        }
    }
    fitting
}

fn examples(
    openapi: &OpenAPI,
    document: &Value,
    operations: &mut [Operation],
    notes: &mut Vec<Note>,
) -> (Vec<Example>, Option<ExampleCall>) {
    let mut examples = Vec::new();
    let mut call = None;
    for (index, ((path, method, operation), modelled)) in
        openapi.operations().zip(operations.iter_mut()).enumerate()
    {
        let body = match &operation.request_body {
            Some(ReferenceOr::Item(body)) => body
                .content
                .iter()
                .find(|(media, _)| is_json(media))
                .map(|(key, media)| (key.as_str(), media)),
            _ => None,
        };
        let typed = body.and_then(|(key, media)| {
            let place = ["paths", path, method, "requestBody", "content", key];
            let inline = format!("{}-body", modelled.id);
            Some((
                key,
                media,
                body_type(media, document, &place, Some(inline))?,
            ))
        });
        let mut request_examples = Vec::new();
        if let Some((key, media, (type_name, schema))) = &typed {
            let place = ["paths", path, method, "requestBody", "content", key];
            request_examples = fitting_examples(document, media, schema, &place, notes);
            for example in &request_examples {
                examples.push(Example {
                    test_name: format!("{}-request{}", modelled.id, example.suffix),
                    type_name: type_name.clone(),
                    value: example.value.clone(),
                });
            }
        }
        if let Some((key, _)) = body {
            let place = [
                "paths",
                path,
                method,
                "requestBody",
                "content",
                key,
                "schema",
            ];
            let schema = document.pointer(&json_pointer(place));
            let made_up = || calls::made_up(document, schema?);
            // The spec's first example the API would take (an open enum
            // reads any string, the API only the listed ones).
            let sendable = request_examples.iter().find(|example| {
                schema.is_some_and(|schema| {
                    conformance::check_sendable(document, schema, example.value).is_ok()
                })
            });
            if sendable.is_none() && !request_examples.is_empty() {
                notes.push(Note {
                    location: crate::error::Location::Pointer(json_pointer(place)),
                    message: "no example of this body holds only listed enum values: the scenarios send a value made from the schema".into(),
                });
            }
            modelled.body = Body::Json {
                value: sendable
                    .map(|example| example.value.clone())
                    .or_else(made_up),
            };
        } else if let Some(ReferenceOr::Item(body)) = &operation.request_body
            && modelled.multipart.is_none()
            && let Some((key, media)) = body.content.get_key_value(FORM)
        {
            let place = ["paths", path, method, "requestBody", "content", key];
            modelled.body = Body::Form {
                value: document
                    .pointer(&json_pointer(place.iter().copied().chain(["schema"])))
                    .and_then(|schema| {
                        let examples = fitting_examples(document, media, schema, &place, notes);
                        let example = examples.first().map(|example| example.value.clone());
                        example.or_else(|| calls::made_up(document, schema))
                    })
                    .filter(calls::is_flat_object),
            };
        }
        // Each JSON answer: its status, where it is (a `$ref`'d one in
        // `components/responses`, where normalize leaves them), its media type.
        let json_responses: Vec<(String, Vec<String>, &str, &MediaType)> = operation
            .responses
            .responses
            .iter()
            .filter_map(|(status, response)| {
                let status = status.to_string();
                let (place, response) = match response {
                    ReferenceOr::Item(response) => {
                        let place = ["paths", path, method, "responses", &status];
                        (place.map(String::from).to_vec(), response)
                    }
                    ReferenceOr::Reference { reference } => {
                        let name = reference.strip_prefix("#/components/responses/")?;
                        let response = openapi.components.as_ref()?.responses.get(name)?;
                        let place = ["components", "responses", name];
                        (place.map(String::from).to_vec(), response.as_item()?)
                    }
                };
                let (key, media) = response.content.iter().find(|(media, _)| is_json(media))?;
                Some((status, place, key.as_str(), media))
            })
            .collect();
        // progenitor names every inline response schema `<operationId>-response`:
        // only one of them has that name for sure.
        let inline_responses = json_responses
            .iter()
            .filter(|(_, _, _, media)| matches!(media.schema, Some(ReferenceOr::Item(_))))
            .count();
        for answer in &mut modelled.answers {
            answer.json = json_responses
                .iter()
                .any(|(status, _, _, _)| *status == answer.status.to_string());
        }
        for (status, response_place, key, media) in &json_responses {
            let place: Vec<&str> = response_place
                .iter()
                .map(String::as_str)
                .chain(["content", key])
                .collect();
            let inline = (inline_responses == 1).then(|| format!("{}-response", modelled.id));
            let Some((type_name, schema)) = body_type(media, document, &place, inline) else {
                continue;
            };
            let fitting = fitting_examples(document, media, &schema, &place, notes);
            if let Some(answer) = modelled
                .answers
                .iter_mut()
                .find(|answer| answer.status.to_string() == *status)
            {
                answer.example = fitting.first().map(|example| example.value.clone());
            }
            for example in fitting {
                examples.push(Example {
                    test_name: format!("{}-response-{status}{}", modelled.id, example.suffix),
                    type_name: type_name.clone(),
                    value: example.value.clone(),
                });
            }
        }
        if call.is_some() {
            continue;
        }
        let Some((_, _, (body_type, _))) = typed else {
            continue;
        };
        let Some(first) = request_examples.into_iter().next() else {
            continue;
        };
        let value = first.value;
        let Some(arguments) = modelled
            .parameters
            .iter()
            .filter(|parameter| parameter.required || parameter.example.is_some())
            .map(|parameter| {
                let value = parameter.example.clone()?;
                Some((names::parameter_setter(&parameter.name), value))
            })
            .collect::<Option<Vec<_>>>()
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

/// The item of `path`, which holds what its operations share.
fn path_item<'a>(openapi: &'a OpenAPI, path: &str) -> Option<&'a openapiv3::PathItem> {
    openapi.paths.paths.get(path)?.as_item()
}
