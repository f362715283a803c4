//! Swagger 2.0 read as OpenAPI 3.0.3, before anything else reads the
//! document: the rest of the generator knows 3.0 only. Each kind of
//! rewrite is noted once (with a count), at its first place in the
//! original 2.0 document.
//!
//! | Swagger 2.0 | OpenAPI 3.0.3 |
//! |---|---|
//! | `definitions`, `parameters`, `responses`, `securityDefinitions` | `components/schemas`, `/parameters` (body ones: `/requestBodies`), `/responses`, `/securitySchemes`; every `$ref` rewritten |
//! | `in: body` parameter | `requestBody`, one media type per `consumes` |
//! | `in: formData` parameters | a form `requestBody` (multipart when a file is sent) |
//! | `produces` and a response `schema`, `examples` | the response's `content`, with `example` per media type |
//! | `type`, `items`, `collectionFormat`… of a parameter or header | its `schema`, `style` and `explode` |
//! | `host`, `basePath`, `schemes` | `servers` |
//! | `basic`, `oauth2` `flow` | `http` `basic`, OAuth 2 `flows` |
//! | `x-nullable`, `type: file`, `discriminator: name` | `nullable`, binary string, `discriminator: {propertyName}` |
//!
//! What cannot be said in 3.0 (a `tsv` list, an operation's own `schemes`)
//! is read as near as 3.0 allows, with a note; nothing here refuses.
//! Places in the converted document lead back to the 2.0 file ([`places`]).

use serde_json::{Map, Value, json};

mod places;

use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::{FORM, METHODS, is_json};

pub(crate) use places::original_pointer;

/// What a 2.0 document sends and answers when it does not say.
const JSON: &str = "application/json";
const MULTIPART: &str = "multipart/form-data";

/// The keywords of a 2.0 parameter, header or `items` object that belong
/// to its schema in 3.0.
const SCHEMA_KEYS: [&str; 19] = [
    "type",
    "format",
    "items",
    "default",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "enum",
    "multipleOf",
    "x-nullable",
    "title",
    "example",
];

/// Keywords whose value is one subschema.
const ONE: [&str; 3] = ["items", "additionalProperties", "not"];
/// Keywords whose value is a list of subschemas.
const LISTS: [&str; 3] = ["allOf", "anyOf", "oneOf"];

/// Keys leading from the root of the 2.0 document to a place in it.
type Path = Vec<String>;

fn at(path: &Path, key: &str) -> Path {
    let mut path = path.clone();
    path.push(key.to_string());
    path
}

fn pointer(path: &Path) -> String {
    json_pointer(path.iter().map(String::as_str))
}

/// Converts a Swagger 2.0 document into an OpenAPI 3.0.3 one.
pub(super) fn convert(source: &Value, notes: &mut Notes) -> Value {
    let empty = Map::new();
    let root = source.as_object().unwrap_or(&empty);
    let mut converter = Converter {
        root,
        notes,
        consumes: media_list(root.get("consumes"), JSON),
        produces: media_list(root.get("produces"), JSON),
    };
    converter.document()
}

/// A `consumes` or `produces` list, or `fallback` when there is none.
fn media_list(value: Option<&Value>, fallback: &str) -> Vec<String> {
    let list: Vec<String> = value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    if list.is_empty() {
        vec![fallback.to_string()]
    } else {
        list
    }
}

/// The extensions (`x-…`) of a 2.0 object, which 3.0 keeps where they are.
fn extensions(object: &Map<String, Value>) -> impl Iterator<Item = (&String, &Value)> {
    object.iter().filter(|(key, _)| key.starts_with("x-"))
}

/// Copies `keys` of `from` that are present into `to`.
fn copy(from: &Map<String, Value>, to: &mut Map<String, Value>, keys: &[&str]) {
    for key in keys {
        if let Some(value) = from.get(*key) {
            to.insert((*key).to_string(), value.clone());
        }
    }
}

struct Converter<'a> {
    root: &'a Map<String, Value>,
    notes: &'a mut Notes,
    /// The document's `consumes`, or JSON.
    consumes: Vec<String>,
    /// The document's `produces`, or JSON.
    produces: Vec<String>,
}

/// A parameter of an operation, as 2.0 wrote it, with where it is.
struct Parameter<'a> {
    /// The parameter, its `$ref` followed.
    object: &'a Map<String, Value>,
    /// The `$ref` it was written as, if any.
    reference: Option<&'a str>,
    path: Path,
}

impl Parameter<'_> {
    fn location(&self) -> &str {
        self.object.get("in").and_then(Value::as_str).unwrap_or("")
    }

    fn name(&self) -> &str {
        self.object
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
    }
}

impl<'a> Converter<'a> {
    fn note(&mut self, path: &Path, message: &str) {
        self.notes.add(pointer(path), message);
    }

    fn document(&mut self) -> Value {
        let root = self.root;
        let top = Path::new();
        self.note(
            &at(&top, "swagger"),
            "Swagger 2.0 is read as OpenAPI 3.0.3; each kind of rewrite is noted",
        );
        let mut out = Map::new();
        out.insert("openapi".into(), json!("3.0.3"));
        copy(
            root,
            &mut out,
            &["info", "tags", "externalDocs", "security"],
        );
        out.extend(extensions(root).map(|(k, v)| (k.clone(), v.clone())));
        if let Some(servers) = self.servers() {
            out.insert("servers".into(), servers);
        }
        let mut components = Map::new();
        if let Some(schemes) = self.security_schemes() {
            components.insert("securitySchemes".into(), schemes);
        }
        if let Some(Value::Object(definitions)) = root.get("definitions") {
            let path = at(&top, "definitions");
            self.note(
                &path,
                "`definitions` read as `components/schemas`, and their `$ref`s rewritten",
            );
            let schemas = definitions
                .iter()
                .map(|(name, schema)| (name.clone(), self.schema(schema, &at(&path, name))))
                .collect();
            components.insert("schemas".into(), Value::Object(schemas));
        }
        self.component_parameters(&mut components);
        if let Some(Value::Object(responses)) = root.get("responses") {
            let path = at(&top, "responses");
            self.note(
                &path,
                "`responses` read as `components/responses`, and their `$ref`s rewritten",
            );
            let produces = self.produces.clone();
            let converted = responses
                .iter()
                .map(|(name, r)| (name.clone(), self.response(r, &produces, &at(&path, name))))
                .collect();
            components.insert("responses".into(), Value::Object(converted));
        }
        if !components.is_empty() {
            out.insert("components".into(), Value::Object(components));
        }
        out.insert("paths".into(), self.paths());
        for (key, _) in root.iter().filter(|(key, _)| !is_known_root_key(key)) {
            self.note(
                &at(&top, key),
                "a root field Swagger 2.0 does not define is left out",
            );
        }
        Value::Object(out)
    }

    /// `host`, `basePath` and `schemes` as `servers`: one per scheme,
    /// `https` first; a relative server without a host; none without
    /// either.
    fn servers(&mut self) -> Option<Value> {
        let root = self.root;
        let host = root.get("host").and_then(Value::as_str);
        let base = root
            .get("basePath")
            .and_then(Value::as_str)
            .map(|b| b.trim_end_matches('/'))
            .unwrap_or("");
        let top = Path::new();
        // Schemes alone name no server: the client is given its base URL.
        let place = ["host", "basePath"]
            .into_iter()
            .find(|key| root.contains_key(*key))?;
        self.note(
            &at(&top, place),
            "`host`, `basePath` and `schemes` read as `servers` (one per scheme, `https` first)",
        );
        let Some(host) = host else {
            let url = if base.is_empty() { "/" } else { base };
            return Some(json!([{ "url": url }]));
        };
        let mut schemes: Vec<&str> = root
            .get("schemes")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .filter(|s| matches!(*s, "https" | "http"))
            .collect();
        if schemes.is_empty() {
            schemes.push("https");
        }
        schemes.sort_by_key(|s| *s != "https");
        schemes.dedup();
        let servers = schemes
            .into_iter()
            .map(|scheme| json!({ "url": format!("{scheme}://{host}{base}") }))
            .collect();
        Some(Value::Array(servers))
    }

    fn security_schemes(&mut self) -> Option<Value> {
        let Some(Value::Object(definitions)) = self.root.get("securityDefinitions") else {
            return None;
        };
        let path = at(&Path::new(), "securityDefinitions");
        self.note(
            &path,
            "`securityDefinitions` read as `components/securitySchemes`",
        );
        let schemes = definitions
            .iter()
            .map(|(name, scheme)| {
                let converted = match scheme.as_object() {
                    Some(scheme) => self.security_scheme(scheme, &at(&path, name)),
                    None => scheme.clone(),
                };
                (name.clone(), converted)
            })
            .collect();
        Some(Value::Object(schemes))
    }

    fn security_scheme(&mut self, scheme: &Map<String, Value>, path: &Path) -> Value {
        let mut out = Map::new();
        copy(scheme, &mut out, &["description"]);
        out.extend(extensions(scheme).map(|(k, v)| (k.clone(), v.clone())));
        match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => {
                self.note(
                    path,
                    "security `type: basic` read as `type: http`, `scheme: basic`",
                );
                out.insert("type".into(), json!("http"));
                out.insert("scheme".into(), json!("basic"));
            }
            Some("oauth2") => {
                let flow = scheme.get("flow").and_then(Value::as_str).unwrap_or("");
                let name = match flow {
                    "application" => "clientCredentials",
                    "accessCode" => "authorizationCode",
                    other => other,
                };
                self.note(
                    path,
                    "OAuth 2 `flow` read as `flows` (`application` is `clientCredentials`, `accessCode` is `authorizationCode`)",
                );
                let mut details = Map::new();
                copy(scheme, &mut details, &["authorizationUrl", "tokenUrl"]);
                let scopes = scheme.get("scopes").cloned().unwrap_or_else(|| json!({}));
                details.insert("scopes".into(), scopes);
                out.insert("type".into(), json!("oauth2"));
                out.insert("flows".into(), json!({ name: details }));
            }
            // `apiKey` is the same in 3.0; anything else is copied for the
            // security stage to leave out with its own note.
            _ => copy(scheme, &mut out, &["type", "name", "in"]),
        }
        Value::Object(out)
    }

    /// The document's `parameters`: body ones become request bodies, the
    /// others parameters; form fields have no 3.0 component and are
    /// written into each operation's form body.
    fn component_parameters(&mut self, components: &mut Map<String, Value>) {
        let Some(Value::Object(parameters)) = self.root.get("parameters") else {
            return;
        };
        let path = at(&Path::new(), "parameters");
        self.note(
            &path,
            "`parameters` read as `components/parameters` (body ones as `components/requestBodies`), and their `$ref`s rewritten",
        );
        let mut converted = Map::new();
        let mut bodies = Map::new();
        for (name, parameter) in parameters {
            let here = at(&path, name);
            let Some(object) = parameter.as_object() else {
                continue;
            };
            match object.get("in").and_then(Value::as_str) {
                Some("body") => {
                    let consumes = self.consumes.clone();
                    bodies.insert(name.clone(), self.body(object, &consumes, &here));
                }
                Some("formData") => self.note(
                    &here,
                    "form fields under `parameters` have no 3.0 component: each is written into the form body of the operations that use it",
                ),
                _ => {
                    converted.insert(name.clone(), self.parameter(object, &here));
                }
            }
        }
        if !converted.is_empty() {
            components.insert("parameters".into(), Value::Object(converted));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
    }

    fn paths(&mut self) -> Value {
        let Some(Value::Object(paths)) = self.root.get("paths") else {
            return json!({});
        };
        let top = at(&Path::new(), "paths");
        let mut out = Map::new();
        for (template, item) in paths {
            let here = at(&top, template);
            let converted = match item.as_object() {
                Some(item) if !template.starts_with("x-") => self.path_item(item, &here),
                _ => item.clone(),
            };
            out.insert(template.clone(), converted);
        }
        Value::Object(out)
    }

    fn path_item(&mut self, item: &'a Map<String, Value>, path: &Path) -> Value {
        let mut out = Map::new();
        copy(item, &mut out, &["$ref", "summary", "description"]);
        out.extend(extensions(item).map(|(k, v)| (k.clone(), v.clone())));
        let shared = self.parameters(item.get("parameters"), &at(path, "parameters"));
        // Body and form parameters of a path item go to each operation: 3.0
        // has no request body for a path.
        let (bodies, plain): (Vec<_>, Vec<_>) = shared
            .into_iter()
            .partition(|p| matches!(p.location(), "body" | "formData"));
        let plain: Vec<Value> = plain.iter().map(|p| self.plain_parameter(p)).collect();
        if !plain.is_empty() {
            out.insert("parameters".into(), Value::Array(plain));
        }
        for method in METHODS {
            if let Some(Value::Object(operation)) = item.get(method) {
                let converted = self.operation(operation, &bodies, &at(path, method));
                out.insert(method.to_string(), converted);
            }
        }
        Value::Object(out)
    }

    /// The parameters of a list, their `$ref`s followed.
    fn parameters(&mut self, list: Option<&'a Value>, path: &Path) -> Vec<Parameter<'a>> {
        let root = self.root;
        let mut out = Vec::new();
        for (index, parameter) in list
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .enumerate()
        {
            let reference = parameter.get("$ref").and_then(Value::as_str);
            // A `$ref` to nothing stays (rewritten) for validate to locate.
            let object = match reference {
                Some(target) => lookup(root, target).or(parameter.as_object()),
                None => parameter.as_object(),
            };
            let here = at(path, &index.to_string());
            match object {
                Some(object) => out.push(Parameter {
                    object,
                    reference,
                    path: here,
                }),
                None => self.note(&here, "a parameter that is not an object is left out"),
            }
        }
        out
    }

    /// A non-body parameter as the 3.0 parameter or `$ref` to one.
    fn plain_parameter(&mut self, parameter: &Parameter<'_>) -> Value {
        match parameter.reference {
            Some(target) => json!({ "$ref": self.reference(target, &parameter.path) }),
            None => self.parameter(parameter.object, &parameter.path),
        }
    }

    fn operation(
        &mut self,
        operation: &'a Map<String, Value>,
        shared: &[Parameter<'a>],
        path: &Path,
    ) -> Value {
        let mut out = Map::new();
        copy(
            operation,
            &mut out,
            &[
                "tags",
                "summary",
                "description",
                "externalDocs",
                "operationId",
                "deprecated",
                "security",
            ],
        );
        out.extend(extensions(operation).map(|(k, v)| (k.clone(), v.clone())));
        if operation.contains_key("schemes") {
            self.note(
                &at(path, "schemes"),
                "an operation's own `schemes` are left out: the client uses the document's servers",
            );
        }
        let consumes = match operation.get("consumes") {
            Some(list) => media_list(Some(list), JSON),
            None => self.consumes.clone(),
        };
        let produces = match operation.get("produces") {
            Some(list) => media_list(Some(list), JSON),
            None => self.produces.clone(),
        };
        let own = self.parameters(operation.get("parameters"), &at(path, "parameters"));
        let overridden = |p: &Parameter<'_>| {
            own.iter()
                .any(|o| o.name() == p.name() && o.location() == p.location())
        };
        let inherited: Vec<&Parameter<'a>> = shared.iter().filter(|p| !overridden(p)).collect();
        let mut plain = Vec::new();
        let mut body = None;
        let mut form = Vec::new();
        for parameter in own.iter().chain(inherited) {
            match parameter.location() {
                "body" if body.is_none() => body = Some(parameter),
                "body" => self.note(
                    &parameter.path,
                    "a second `in: body` parameter is left out: a request has one body",
                ),
                "formData" => form.push(parameter),
                _ => plain.push(self.plain_parameter(parameter)),
            }
        }
        if !plain.is_empty() {
            out.insert("parameters".into(), Value::Array(plain));
        }
        let request_body = match (body, form.is_empty()) {
            (Some(body), form_empty) => {
                if !form_empty {
                    self.note(
                        &body.path,
                        "form fields beside an `in: body` parameter are left out: a request has one body",
                    );
                }
                Some(self.operation_body(body, &consumes))
            }
            (None, false) => Some(self.form(&form, &consumes)),
            (None, true) => None,
        };
        if let Some(request_body) = request_body {
            out.insert("requestBody".into(), request_body);
        }
        let mut responses = Map::new();
        let responses_path = at(path, "responses");
        for (code, response) in operation
            .get("responses")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let converted = if code.starts_with("x-") {
                response.clone()
            } else {
                self.response(response, &produces, &at(&responses_path, code))
            };
            responses.insert(code.clone(), converted);
        }
        out.insert("responses".into(), Value::Object(responses));
        Value::Object(out)
    }

    /// An operation's `in: body` parameter as its request body: a `$ref` to
    /// the component when the operation consumes what the document does.
    fn operation_body(&mut self, body: &Parameter<'_>, consumes: &[String]) -> Value {
        match body.reference {
            Some(target) if consumes == self.consumes.as_slice() => {
                json!({ "$ref": self.reference(target, &body.path) })
            }
            _ => self.body(body.object, consumes, &body.path),
        }
    }

    /// An `in: body` parameter as a request body, one media type per `consumes`.
    fn body(&mut self, body: &Map<String, Value>, consumes: &[String], path: &Path) -> Value {
        self.note(
            path,
            "an `in: body` parameter read as `requestBody`, one media type per `consumes`",
        );
        let mut out = Map::new();
        copy(body, &mut out, &["description", "required"]);
        out.extend(extensions(body).map(|(k, v)| (k.clone(), v.clone())));
        let schema = match body.get("schema") {
            Some(schema) => self.schema(schema, &at(path, "schema")),
            None => json!({}),
        };
        let content = consumes
            .iter()
            .map(|media| (media.clone(), json!({ "schema": schema })))
            .collect();
        out.insert("content".into(), Value::Object(content));
        Value::Object(out)
    }

    /// `in: formData` parameters as one form body: multipart when a file is
    /// sent or only multipart is consumed, URL-encoded otherwise.
    fn form(&mut self, fields: &[&Parameter<'_>], consumes: &[String]) -> Value {
        let Some(first) = fields.first() else {
            return json!({});
        };
        self.note(
            &first.path,
            "`in: formData` parameters read as a form `requestBody` (`multipart/form-data` when a file is sent)",
        );
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut files = false;
        for field in fields {
            let name = field.name().to_string();
            files |= field.object.get("type").and_then(Value::as_str) == Some("file");
            let mut schema = self.parameter_schema(field.object, &field.path);
            if let (Some(description), Value::Object(schema)) =
                (field.object.get("description"), &mut schema)
            {
                schema.insert("description".into(), description.clone());
            }
            if field.object.get("required") == Some(&Value::Bool(true)) {
                required.push(Value::String(name.clone()));
            }
            properties.insert(name, schema);
        }
        let consumes_form = consumes.iter().any(|m| m == FORM);
        let consumes_multipart = consumes.iter().any(|m| m == MULTIPART);
        let media = if files || (consumes_multipart && !consumes_form) {
            MULTIPART
        } else {
            FORM
        };
        let mut schema = Map::new();
        schema.insert("type".into(), json!("object"));
        schema.insert("properties".into(), Value::Object(properties));
        let is_required = !required.is_empty();
        if is_required {
            schema.insert("required".into(), Value::Array(required));
        }
        json!({
            "required": is_required,
            "content": { media: { "schema": Value::Object(schema) } },
        })
    }

    /// A non-body parameter: its type keywords into `schema`, its
    /// `collectionFormat` as `style` and `explode`.
    fn parameter(&mut self, parameter: &Map<String, Value>, path: &Path) -> Value {
        let mut out = Map::new();
        copy(
            parameter,
            &mut out,
            &[
                "name",
                "in",
                "description",
                "required",
                "allowEmptyValue",
                "deprecated",
            ],
        );
        out.extend(
            extensions(parameter)
                .filter(|(k, _)| *k != "x-nullable")
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        let location = parameter.get("in").and_then(Value::as_str).unwrap_or("");
        out.insert("schema".into(), self.parameter_schema(parameter, path));
        if let Some((style, explode)) = self.style(parameter, location, path) {
            out.insert("style".into(), json!(style));
            out.insert("explode".into(), json!(explode));
        }
        Value::Object(out)
    }

    /// The 3.0 `style` and `explode` of a 2.0 list parameter.
    fn style(
        &mut self,
        parameter: &Map<String, Value>,
        location: &str,
        path: &Path,
    ) -> Option<(&'static str, bool)> {
        let format = parameter.get("collectionFormat").and_then(Value::as_str);
        let is_array = parameter.get("type").and_then(Value::as_str) == Some("array");
        if format.is_none() && !is_array {
            return None;
        }
        self.note(
            path,
            "a list parameter's `collectionFormat` (`csv` when none) read as `style` and `explode`",
        );
        let csv = if matches!(location, "path" | "header") {
            ("simple", false)
        } else {
            ("form", false)
        };
        Some(match format.unwrap_or("csv") {
            "ssv" => ("spaceDelimited", false),
            "pipes" => ("pipeDelimited", false),
            "multi" => ("form", true),
            "tsv" => {
                self.note(
                    &at(path, "collectionFormat"),
                    "`collectionFormat: tsv` has no 3.0 style: the list is sent comma-separated",
                );
                csv
            }
            _ => csv,
        })
    }

    /// The schema of a parameter, header or `items` object: its type
    /// keywords, with nested `items` converted the same way.
    fn parameter_schema(&mut self, object: &Map<String, Value>, path: &Path) -> Value {
        let mut schema = Map::new();
        copy(object, &mut schema, &SCHEMA_KEYS);
        if let Some(Value::Object(items)) = object.get("items") {
            let items_path = at(path, "items");
            if items.get("collectionFormat").is_some_and(|f| f != "csv") {
                self.note(
                    &at(&items_path, "collectionFormat"),
                    "a nested list's `collectionFormat` has no 3.0 style: left out",
                );
            }
            let items = self.parameter_schema(items, &items_path);
            schema.insert("items".into(), items);
        }
        self.schema(&Value::Object(schema), path)
    }

    /// A response: `schema` and `examples` under `content`, one media type
    /// per `produces`; `headers` with schemas.
    fn response(&mut self, response: &Value, produces: &[String], path: &Path) -> Value {
        let Some(response) = response.as_object() else {
            return response.clone();
        };
        if let Some(target) = response.get("$ref").and_then(Value::as_str) {
            return json!({ "$ref": self.reference(target, path) });
        }
        let mut out = Map::new();
        copy(response, &mut out, &["description"]);
        out.extend(extensions(response).map(|(k, v)| (k.clone(), v.clone())));
        if !out.contains_key("description") {
            self.note(
                path,
                "a response without `description` is given an empty one",
            );
            out.insert("description".into(), json!(""));
        }
        if let Some(Value::Object(headers)) = response.get("headers") {
            let headers_path = at(path, "headers");
            let converted = headers
                .iter()
                .map(|(name, header)| (name.clone(), self.header(header, &at(&headers_path, name))))
                .collect();
            out.insert("headers".into(), Value::Object(converted));
        }
        let mut content = Map::new();
        if let Some(schema) = response.get("schema") {
            self.note(
                path,
                "a response `schema` read as its `content`, one media type per `produces`",
            );
            let schema = self.schema(schema, &at(path, "schema"));
            for media in produces {
                content.insert(media.clone(), json!({ "schema": schema }));
            }
        }
        // An example also says the answer comes in its media type.
        let examples_path = at(path, "examples");
        for (media, example) in response
            .get("examples")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let here = at(&examples_path, media);
            self.note(
                &here,
                "a response's `examples` read as the `example` of each media type",
            );
            let schema = response.get("schema");
            let example = self.example(media, example, schema, &here);
            let entry = content.entry(media.clone()).or_insert_with(|| json!({}));
            if let Value::Object(entry) = entry {
                if let Some(schema) = schema.filter(|_| !entry.contains_key("schema")) {
                    entry.insert("schema".into(), self.schema(schema, &at(path, "schema")));
                }
                entry.insert("example".into(), example);
            }
        }
        if !content.is_empty() {
            out.insert("content".into(), Value::Object(content));
        }
        Value::Object(out)
    }

    /// A response example: JSON written as text (a common 2.0 habit) is
    /// read as the object or array it holds, unless the schema is a string.
    fn example(
        &mut self,
        media: &str,
        example: &Value,
        schema: Option<&Value>,
        path: &Path,
    ) -> Value {
        let is_string_schema = schema.is_some_and(|s| s.get("type").is_some_and(|t| t == "string"));
        let parsed = example
            .as_str()
            .filter(|_| is_json(media) && !is_string_schema)
            .and_then(|text| serde_json::from_str::<Value>(text).ok())
            .filter(|value| value.is_object() || value.is_array());
        match parsed {
            Some(value) => {
                self.note(
                    path,
                    "a JSON example written as text read as the JSON it holds",
                );
                value
            }
            None => example.clone(),
        }
    }

    fn header(&mut self, header: &Value, path: &Path) -> Value {
        let Some(header) = header.as_object() else {
            return header.clone();
        };
        self.note(
            path,
            "a response header's type keywords read as its `schema`",
        );
        let mut out = Map::new();
        copy(header, &mut out, &["description"]);
        out.extend(
            extensions(header)
                .filter(|(k, _)| *k != "x-nullable")
                .map(|(k, v)| (k.clone(), v.clone())),
        );
        out.insert("schema".into(), self.parameter_schema(header, path));
        Value::Object(out)
    }

    /// A 2.0 schema as a 3.0 one: `x-nullable`, `type: file`, a string
    /// `discriminator` and `$ref`s rewritten, in it and its subschemas.
    fn schema(&mut self, schema: &Value, path: &Path) -> Value {
        let Some(fields) = schema.as_object() else {
            return schema.clone();
        };
        let mut out = Map::new();
        let mut nullable = false;
        for (key, value) in fields {
            let here = at(path, key);
            let converted = match key.as_str() {
                "x-nullable" => {
                    if value == &Value::Bool(true) {
                        self.note(&here, "`x-nullable: true` read as `nullable: true`");
                        nullable = true;
                    }
                    continue;
                }
                "$ref" => match value.as_str() {
                    Some(target) => json!(self.reference(target, &here)),
                    None => value.clone(),
                },
                "type" if value.is_array() || value == "null" => {
                    let types: Vec<&Value> = match value {
                        Value::Array(types) => types.iter().collect(),
                        one => vec![one],
                    };
                    nullable |= types.iter().any(|t| *t == "null");
                    if let [one] = types.iter().filter(|t| **t != "null").collect::<Vec<_>>()[..] {
                        out.insert("type".into(), (*one).clone());
                    }
                    self.note(
                        &here,
                        "a JSON Schema `type` list or `type: \"null\"` read as one `type` (none when several) and `nullable: true` for `\"null\"`",
                    );
                    continue;
                }
                "items" if value.is_array() => {
                    match self.tuple(value, fields, &here) {
                        Some(items) => out.insert("items".into(), items),
                        None => continue,
                    };
                    continue;
                }
                "type" if value == "file" => {
                    self.note(
                        &here,
                        "`type: file` read as `type: string`, `format: binary`",
                    );
                    out.insert("format".into(), json!("binary"));
                    json!("string")
                }
                "format" if fields.get("type").is_some_and(|t| t == "file") => continue,
                "discriminator" if value.is_string() => {
                    self.note(
                        &here,
                        "a `discriminator` property name read as `discriminator: {propertyName}`",
                    );
                    json!({ "propertyName": value })
                }
                "properties" => match value.as_object() {
                    Some(properties) => Value::Object(
                        properties
                            .iter()
                            .map(|(name, sub)| (name.clone(), self.schema(sub, &at(&here, name))))
                            .collect(),
                    ),
                    None => value.clone(),
                },
                key if ONE.contains(&key) => match value {
                    Value::Array(items) => Value::Array(
                        items
                            .iter()
                            .enumerate()
                            .map(|(i, sub)| self.schema(sub, &at(&here, &i.to_string())))
                            .collect(),
                    ),
                    sub => self.schema(sub, &here),
                },
                key if LISTS.contains(&key) => match value.as_array() {
                    Some(subs) => Value::Array(
                        subs.iter()
                            .enumerate()
                            .map(|(i, sub)| self.schema(sub, &at(&here, &i.to_string())))
                            .collect(),
                    ),
                    None => value.clone(),
                },
                _ => value.clone(),
            };
            out.insert(key.clone(), converted);
        }
        if nullable {
            if let Some(reference) = out.remove("$ref") {
                // 3.0 ignores a `$ref`'s siblings: the nullable reference is
                // written the standard way.
                out.insert("allOf".into(), json!([{ "$ref": reference }]));
            }
            out.insert("nullable".into(), Value::Bool(true));
        }
        Value::Object(out)
    }

    /// A list of `items` schemas (JSON Schema's tuple, which 3.0 cannot
    /// say): for an array, items that are any of them; elsewhere it
    /// constrains nothing, so it goes.
    fn tuple(&mut self, list: &Value, parent: &Map<String, Value>, path: &Path) -> Option<Value> {
        let is_array = match parent.get("type") {
            Some(Value::Array(types)) => types.iter().any(|t| t == "array"),
            Some(one) => one == "array",
            None => false,
        };
        self.note(
            path,
            "a list of `items` schemas (a tuple, which 3.0 cannot say) read as items of any of them in an array, and as nothing elsewhere",
        );
        if !is_array {
            return None;
        }
        let entries = list.as_array()?;
        let is_null = |entry: &&Value| entry.get("type").is_some_and(|t| t == "null");
        let nullable = entries.iter().any(|e| is_null(&e));
        let mut branches: Vec<Value> = entries
            .iter()
            .enumerate()
            .filter(|(_, entry)| !is_null(entry))
            .map(|(i, entry)| self.schema(entry, &at(path, &i.to_string())))
            .collect();
        let mut items = match branches.len() {
            0 => Map::new(),
            1 => match branches.remove(0) {
                Value::Object(only) => only,
                _ => Map::new(),
            },
            _ => {
                let mut any = Map::new();
                any.insert("anyOf".into(), Value::Array(branches));
                any
            }
        };
        if nullable {
            if let Some(reference) = items.remove("$ref") {
                items.insert("allOf".into(), json!([{ "$ref": reference }]));
            }
            items.insert("nullable".into(), Value::Bool(true));
        }
        Some(Value::Object(items))
    }

    /// A local `$ref` into `definitions`, `parameters` or `responses`, as
    /// the 3.0 one into `components`; anything else as it is.
    fn reference(&mut self, target: &str, path: &Path) -> String {
        let Some(rest) = target.strip_prefix("#/") else {
            return target.to_string();
        };
        let (section, name) = rest.split_once('/').unwrap_or((rest, ""));
        let kind = match section {
            "definitions" => "schemas",
            "responses" => "responses",
            "parameters" => {
                let first = name.split('/').next().unwrap_or("");
                let location = lookup(self.root, &format!("#/parameters/{first}"))
                    .and_then(|p| p.get("in"))
                    .and_then(Value::as_str);
                if location == Some("body") {
                    "requestBodies"
                } else {
                    "parameters"
                }
            }
            _ => return target.to_string(),
        };
        self.note(
            path,
            "`$ref`s into `definitions`, `parameters` and `responses` rewritten into `components`",
        );
        format!("#/components/{kind}/{name}")
    }
}

/// The object a local `$ref` points at in the 2.0 document.
fn lookup<'v>(root: &'v Map<String, Value>, target: &str) -> Option<&'v Map<String, Value>> {
    let pointer = target.strip_prefix("#/")?;
    let mut segments = pointer.split('/');
    let first = unescape(segments.next()?);
    let mut node = root.get(&first)?;
    for segment in segments {
        node = match node {
            Value::Object(map) => map.get(&unescape(segment))?,
            Value::Array(items) => items.get(segment.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    node.as_object()
}

/// A JSON pointer segment's text (`~1` is `/`, `~0` is `~`).
pub(super) fn unescape(segment: &str) -> String {
    segment.replace("~1", "/").replace("~0", "~")
}

fn is_known_root_key(key: &str) -> bool {
    key.starts_with("x-")
        || matches!(
            key,
            "swagger"
                | "info"
                | "host"
                | "basePath"
                | "schemes"
                | "consumes"
                | "produces"
                | "paths"
                | "definitions"
                | "parameters"
                | "responses"
                | "securityDefinitions"
                | "security"
                | "tags"
                | "externalDocs"
        )
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The 3.0 document and the notes' `pointer: message` lines.
    fn converted(source: Value) -> (Value, Vec<String>) {
        let mut notes = Notes::default();
        let document = convert(&source, &mut notes);
        let notes = notes
            .finish()
            .into_iter()
            .map(|note| note.to_string())
            .collect();
        (document, notes)
    }

    fn has_note(notes: &[String], needle: &str) -> bool {
        notes.iter().any(|note| note.contains(needle))
    }

    fn spec(extra: Value) -> Value {
        let mut root =
            json!({"swagger": "2.0", "info": {"title": "T", "version": "1"}, "paths": {}});
        if let (Value::Object(root), Value::Object(extra)) = (&mut root, extra) {
            root.extend(extra);
        }
        root
    }

    #[test]
    fn the_root_becomes_3_0_3_and_keeps_what_3_0_has() {
        let (document, notes) = converted(spec(json!({
            "tags": [{"name": "pets"}],
            "externalDocs": {"url": "https://docs.example"},
            "security": [{"key": []}],
            "x-vendor": {"a": 1},
            "x-unknown-root": true,
            "oddity": 1
        })));
        assert_eq!(
            document,
            json!({
                "openapi": "3.0.3",
                "info": {"title": "T", "version": "1"},
                "tags": [{"name": "pets"}],
                "externalDocs": {"url": "https://docs.example"},
                "security": [{"key": []}],
                "x-vendor": {"a": 1},
                "x-unknown-root": true,
                "paths": {}
            })
        );
        assert_eq!(
            notes,
            [
                "#/swagger: Swagger 2.0 is read as OpenAPI 3.0.3; each kind of rewrite is noted",
                "#/oddity: a root field Swagger 2.0 does not define is left out",
            ]
        );
    }

    #[test]
    fn components_move_and_references_follow() {
        let (document, notes) = converted(spec(json!({
            "definitions": {
                "Pet": {"type": "object", "properties": {
                    "owner": {"$ref": "#/definitions/Person"},
                    "tags": {"type": "array", "items": {"$ref": "#/definitions/Tag"}}
                }},
                "Person": {"type": "object"},
                "Tag": {"type": "string"}
            },
            "parameters": {
                "limit": {"name": "limit", "in": "query", "type": "integer"},
                "pet": {"name": "pet", "in": "body", "required": true, "schema": {"$ref": "#/definitions/Pet"}}
            },
            "responses": {
                "NotFound": {"description": "none such", "schema": {"$ref": "#/definitions/Person"}}
            },
            "paths": {"/pets": {"post": {
                "parameters": [{"$ref": "#/parameters/limit"}, {"$ref": "#/parameters/pet"}],
                "responses": {"404": {"$ref": "#/responses/NotFound"}}
            }}}
        })));
        let components = &document["components"];
        assert_eq!(
            components["schemas"]["Pet"]["properties"]["owner"],
            json!({"$ref": "#/components/schemas/Person"})
        );
        assert_eq!(
            components["schemas"]["Pet"]["properties"]["tags"]["items"],
            json!({"$ref": "#/components/schemas/Tag"})
        );
        assert_eq!(
            components["parameters"]["limit"],
            json!({"name": "limit", "in": "query", "schema": {"type": "integer"}})
        );
        assert_eq!(
            components["requestBodies"]["pet"],
            json!({"required": true, "content": {"application/json": {
                "schema": {"$ref": "#/components/schemas/Pet"}
            }}})
        );
        assert_eq!(
            components["responses"]["NotFound"]["content"]["application/json"]["schema"],
            json!({"$ref": "#/components/schemas/Person"})
        );
        let operation = &document["paths"]["/pets"]["post"];
        assert_eq!(
            operation["parameters"],
            json!([{"$ref": "#/components/parameters/limit"}])
        );
        assert_eq!(
            operation["requestBody"],
            json!({"$ref": "#/components/requestBodies/pet"})
        );
        assert_eq!(
            operation["responses"]["404"],
            json!({"$ref": "#/components/responses/NotFound"})
        );
        assert!(has_note(
            &notes,
            "#/definitions: `definitions` read as `components/schemas`"
        ));
        assert!(has_note(
            &notes,
            "#/parameters: `parameters` read as `components/parameters`"
        ));
        assert!(has_note(
            &notes,
            "#/responses: `responses` read as `components/responses`"
        ));
        assert!(has_note(
            &notes,
            "#/definitions/Pet/properties/owner/$ref: `$ref`s into `definitions`, `parameters` and `responses` rewritten into `components` (7 places; the first is here)"
        ));
    }

    #[test]
    fn a_body_parameter_becomes_the_request_body_of_each_consumed_type() {
        let body = json!({
            "name": "pet", "in": "body", "required": true, "description": "The pet.",
            "x-origin": "body", "schema": {"type": "object"}
        });
        let (document, notes) = converted(spec(json!({
            "consumes": ["application/xml"],
            "paths": {
                "/own": {"put": {"consumes": ["application/json", "text/plain"], "parameters": [body], "responses": {}}},
                "/root": {"put": {"parameters": [body], "responses": {}}}
            }
        })));
        assert_eq!(
            document["paths"]["/own"]["put"]["requestBody"],
            json!({
                "description": "The pet.", "required": true, "x-origin": "body",
                "content": {
                    "application/json": {"schema": {"type": "object"}},
                    "text/plain": {"schema": {"type": "object"}}
                }
            })
        );
        assert_eq!(
            document["paths"]["/root"]["put"]["requestBody"]["content"],
            json!({"application/xml": {"schema": {"type": "object"}}})
        );
        assert!(
            document["paths"]["/root"]["put"]
                .get("parameters")
                .is_none()
        );
        assert!(has_note(
            &notes,
            "#/paths/~1own/put/parameters/0: an `in: body` parameter read as `requestBody`"
        ));

        let (document, _) = converted(spec(json!({
            "paths": {"/none": {"post": {"parameters": [{"name": "b", "in": "body", "schema": {}}], "responses": {}}}}
        })));
        assert_eq!(
            document["paths"]["/none"]["post"]["requestBody"],
            json!({"content": {"application/json": {"schema": {}}}})
        );
    }

    #[test]
    fn form_fields_become_a_form_body_multipart_when_a_file_is_sent() {
        let (document, notes) = converted(spec(json!({
            "parameters": {"shared": {"name": "note", "in": "formData", "type": "string"}},
            "paths": {
                "/form": {"post": {
                    "consumes": ["application/x-www-form-urlencoded", "application/json"],
                    "parameters": [
                        {"name": "name", "in": "formData", "type": "string", "required": true, "description": "Who."},
                        {"name": "ids", "in": "formData", "type": "array", "items": {"type": "integer"}},
                        {"$ref": "#/parameters/shared"}
                    ],
                    "responses": {}
                }},
                "/upload": {"post": {
                    "parameters": [
                        {"name": "file", "in": "formData", "type": "file", "required": true},
                        {"name": "label", "in": "formData", "type": "string"}
                    ],
                    "responses": {}
                }},
                "/declared": {"post": {
                    "consumes": ["multipart/form-data"],
                    "parameters": [{"name": "label", "in": "formData", "type": "string"}],
                    "responses": {}
                }}
            }
        })));
        assert_eq!(
            document["paths"]["/form"]["post"]["requestBody"],
            json!({"required": true, "content": {"application/x-www-form-urlencoded": {"schema": {
                "type": "object",
                "properties": {
                    "name": {"type": "string", "description": "Who."},
                    "ids": {"type": "array", "items": {"type": "integer"}},
                    "note": {"type": "string"}
                },
                "required": ["name"]
            }}}})
        );
        assert_eq!(
            document["paths"]["/upload"]["post"]["requestBody"],
            json!({"required": true, "content": {"multipart/form-data": {"schema": {
                "type": "object",
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "label": {"type": "string"}
                },
                "required": ["file"]
            }}}})
        );
        assert!(
            document["paths"]["/declared"]["post"]["requestBody"]["content"]
                .get("multipart/form-data")
                .is_some()
        );
        assert!(document.pointer("/components/parameters").is_none());
        assert!(has_note(
            &notes,
            "#/parameters/shared: form fields under `parameters`"
        ));
        assert!(has_note(
            &notes,
            "#/paths/~1declared/post/parameters/0: `in: formData` parameters read as a form `requestBody` (`multipart/form-data` when a file is sent) (3 places"
        ));
    }

    #[test]
    fn responses_get_content_per_produced_type_with_headers_and_examples() {
        let (document, notes) = converted(spec(json!({
            "produces": ["application/json"],
            "paths": {
                "/a": {"get": {
                    "produces": ["application/json", "application/xml"],
                    "responses": {
                        "200": {
                            "description": "ok",
                            "schema": {"type": "array", "items": {"type": "string"}},
                            "headers": {"X-Rate": {"type": "integer", "format": "int32", "description": "Left."}},
                            "examples": {"application/json": ["a"], "text/csv": "a"}
                        },
                        "204": {"description": "none"},
                        "203": {"description": "text", "examples": {"application/json": "{\"a\": 1}", "text/plain": "{}"}},
                        "default": {}
                    }
                }},
                "/b": {"get": {"responses": {"200": {"description": "file", "schema": {"type": "file"}}}}}
            }
        })));
        let responses = &document["paths"]["/a"]["get"]["responses"];
        assert_eq!(
            responses["200"],
            json!({
                "description": "ok",
                "headers": {"X-Rate": {"description": "Left.", "schema": {"type": "integer", "format": "int32"}}},
                "content": {
                    "application/json": {"schema": {"type": "array", "items": {"type": "string"}}, "example": ["a"]},
                    "application/xml": {"schema": {"type": "array", "items": {"type": "string"}}},
                    "text/csv": {"schema": {"type": "array", "items": {"type": "string"}}, "example": "a"}
                }
            })
        );
        assert_eq!(
            responses["203"]["content"],
            json!({"application/json": {"example": {"a": 1}}, "text/plain": {"example": "{}"}})
        );
        assert_eq!(responses["204"], json!({"description": "none"}));
        assert_eq!(responses["default"], json!({"description": ""}));
        assert_eq!(
            document["paths"]["/b"]["get"]["responses"]["200"]["content"],
            json!({"application/json": {"schema": {"type": "string", "format": "binary"}}})
        );
        for needle in [
            "#/paths/~1a/get/responses/200: a response `schema` read as its `content`",
            "#/paths/~1a/get/responses/200/headers/X-Rate: a response header's type keywords",
            "#/paths/~1a/get/responses/200/examples/application~1json: a response's `examples` read as the `example`",
            "#/paths/~1a/get/responses/203/examples/application~1json: a JSON example written as text read as the JSON it holds",
            "#/paths/~1a/get/responses/default: a response without `description`",
            "#/paths/~1b/get/responses/200/schema/type: `type: file` read as",
        ] {
            assert!(has_note(&notes, needle), "{needle}: {notes:#?}");
        }
    }

    #[test]
    fn parameter_types_move_into_a_schema_and_lists_get_styles() {
        let list = |location: &str, format: Option<&str>| {
            let mut parameter = json!({
                "name": format.unwrap_or("plain"), "in": location, "type": "array",
                "items": {"type": "string", "enum": ["a", "b"]}
            });
            if let (Some(format), Value::Object(p)) = (format, &mut parameter) {
                p.insert("collectionFormat".into(), json!(format));
            }
            parameter
        };
        let (document, notes) = converted(spec(json!({
            "paths": {"/x/{plain}": {
                "parameters": [{"name": "shared", "in": "header", "type": "string"}],
                "get": {
                "parameters": [
                    {"name": "n", "in": "query", "type": "integer", "format": "int64", "minimum": 1,
                     "maximum": 9, "default": 3, "required": false, "allowEmptyValue": true,
                     "description": "How many.", "x-extra": 1},
                    list("query", None),
                    list("query", Some("csv")),
                    list("query", Some("ssv")),
                    list("query", Some("pipes")),
                    list("query", Some("multi")),
                    list("query", Some("tsv")),
                    list("path", None),
                    list("header", Some("csv"))
                ],
                "responses": {}
            }}}
        })));
        let item = &document["paths"]["/x/{plain}"];
        assert_eq!(
            item["parameters"],
            json!([{"name": "shared", "in": "header", "schema": {"type": "string"}}])
        );
        let parameters = item["get"]["parameters"].as_array().expect("parameters");
        assert_eq!(
            parameters[0],
            json!({
                "name": "n", "in": "query", "required": false, "allowEmptyValue": true,
                "description": "How many.", "x-extra": 1,
                "schema": {"type": "integer", "format": "int64", "minimum": 1, "maximum": 9, "default": 3}
            })
        );
        assert_eq!(
            parameters[1]["schema"],
            json!({"type": "array", "items": {"type": "string", "enum": ["a", "b"]}})
        );
        let styles: Vec<(&str, &Value, &Value)> = parameters[1..]
            .iter()
            .map(|p| (p["in"].as_str().unwrap_or(""), &p["style"], &p["explode"]))
            .collect();
        assert_eq!(
            styles,
            [
                ("query", &json!("form"), &json!(false)),
                ("query", &json!("form"), &json!(false)),
                ("query", &json!("spaceDelimited"), &json!(false)),
                ("query", &json!("pipeDelimited"), &json!(false)),
                ("query", &json!("form"), &json!(true)),
                ("query", &json!("form"), &json!(false)),
                ("path", &json!("simple"), &json!(false)),
                ("header", &json!("simple"), &json!(false)),
            ]
        );
        assert!(
            parameters
                .iter()
                .all(|p| p.get("collectionFormat").is_none())
        );
        assert!(has_note(
            &notes,
            "`collectionFormat` (`csv` when none) read as `style` and `explode` (8 places"
        ));
        assert!(has_note(
            &notes,
            "#/paths/~1x~1{plain}/get/parameters/6/collectionFormat: `collectionFormat: tsv` has no 3.0 style"
        ));
    }

    #[test]
    fn host_base_path_and_schemes_become_servers() {
        let servers = |extra: Value| converted(spec(extra)).0.get("servers").cloned();
        assert_eq!(
            servers(
                json!({"host": "api.example", "basePath": "/v1/", "schemes": ["http", "wss", "https"]})
            ),
            Some(json!([{"url": "https://api.example/v1"}, {"url": "http://api.example/v1"}]))
        );
        assert_eq!(
            servers(json!({"host": "api.example"})),
            Some(json!([{"url": "https://api.example"}]))
        );
        assert_eq!(
            servers(json!({"basePath": "/api"})),
            Some(json!([{"url": "/api"}]))
        );
        assert_eq!(servers(json!({"schemes": ["https"]})), None);
        assert_eq!(servers(json!({})), None);
        let (_, notes) = converted(spec(json!({"basePath": "/api"})));
        assert!(has_note(
            &notes,
            "#/basePath: `host`, `basePath` and `schemes` read as `servers`"
        ));
    }

    #[test]
    fn security_definitions_become_security_schemes() {
        let (document, notes) = converted(spec(json!({"securityDefinitions": {
            "basic": {"type": "basic", "description": "Who."},
            "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
            "implicit": {"type": "oauth2", "flow": "implicit", "authorizationUrl": "https://a.example/auth", "scopes": {"read": "Read."}},
            "password": {"type": "oauth2", "flow": "password", "tokenUrl": "https://a.example/token", "scopes": {}},
            "application": {"type": "oauth2", "flow": "application", "tokenUrl": "https://a.example/token"},
            "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://a.example/auth",
                     "tokenUrl": "https://a.example/token", "scopes": {"w": "Write."}}
        }})));
        assert_eq!(
            document["components"]["securitySchemes"],
            json!({
                "basic": {"type": "http", "scheme": "basic", "description": "Who."},
                "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
                "implicit": {"type": "oauth2", "flows": {"implicit": {
                    "authorizationUrl": "https://a.example/auth", "scopes": {"read": "Read."}}}},
                "password": {"type": "oauth2", "flows": {"password": {
                    "tokenUrl": "https://a.example/token", "scopes": {}}}},
                "application": {"type": "oauth2", "flows": {"clientCredentials": {
                    "tokenUrl": "https://a.example/token", "scopes": {}}}},
                "code": {"type": "oauth2", "flows": {"authorizationCode": {
                    "authorizationUrl": "https://a.example/auth", "tokenUrl": "https://a.example/token",
                    "scopes": {"w": "Write."}}}}
            })
        );
        assert!(has_note(
            &notes,
            "#/securityDefinitions: `securityDefinitions` read as"
        ));
        assert!(has_note(
            &notes,
            "#/securityDefinitions/basic: security `type: basic`"
        ));
        assert!(has_note(&notes, "OAuth 2 `flow` read as `flows`"));
    }

    #[test]
    fn nullable_file_and_discriminator_take_their_3_0_forms() {
        let (document, notes) = converted(spec(json!({
            "definitions": {
                "Animal": {
                    "type": "object", "discriminator": "kind", "required": ["kind"],
                    "properties": {
                        "kind": {"type": "string"},
                        "name": {"type": "string", "x-nullable": true},
                        "owner": {"$ref": "#/definitions/Animal", "x-nullable": true},
                        "photo": {"type": "file"},
                        "plain": {"type": "string", "x-nullable": false}
                    }
                },
                "Cat": {"allOf": [{"$ref": "#/definitions/Animal"}, {"type": "object", "x-nullable": true}]}
            },
            "paths": {"/a": {"get": {
                "parameters": [{"name": "q", "in": "query", "type": "string", "x-nullable": true}],
                "responses": {"200": {"description": "ok", "schema": {"type": "object", "x-nullable": true}}}
            }}}
        })));
        let animal = &document["components"]["schemas"]["Animal"];
        assert_eq!(animal["discriminator"], json!({"propertyName": "kind"}));
        let p = &animal["properties"];
        assert_eq!(p["name"], json!({"type": "string", "nullable": true}));
        assert_eq!(
            p["owner"],
            json!({"allOf": [{"$ref": "#/components/schemas/Animal"}], "nullable": true})
        );
        assert_eq!(p["photo"], json!({"type": "string", "format": "binary"}));
        assert_eq!(p["plain"], json!({"type": "string"}));
        assert_eq!(
            document["components"]["schemas"]["Cat"]["allOf"][1],
            json!({"type": "object", "nullable": true})
        );
        let operation = &document["paths"]["/a"]["get"];
        assert_eq!(
            operation["parameters"][0]["schema"],
            json!({"type": "string", "nullable": true})
        );
        assert_eq!(
            operation["responses"]["200"]["content"]["application/json"]["schema"],
            json!({"type": "object", "nullable": true})
        );
        assert!(has_note(
            &notes,
            "#/definitions/Animal/properties/name/x-nullable: `x-nullable: true` read as `nullable: true` (5 places"
        ));
        assert!(has_note(
            &notes,
            "#/definitions/Animal/discriminator: a `discriminator` property name"
        ));
        assert!(has_note(
            &notes,
            "#/definitions/Animal/properties/photo/type: `type: file`"
        ));
    }

    #[test]
    fn json_schema_type_lists_and_tuples_take_their_3_0_forms() {
        let (document, notes) = converted(spec(json!({"definitions": {"S": {
            "type": "object",
            "properties": {
                "a": {"type": ["null", "string"]},
                "b": {"type": ["object", "null", "array"]},
                "c": {"type": "null"},
                "d": {"items": [{"$ref": "#/definitions/S"}, {"type": "null"}]},
                "e": {"type": "array", "items": [{"$ref": "#/definitions/S"}, {"type": "null"}]},
                "f": {"type": "array", "items": [{"type": "integer"}, {"type": "string"}]}
            }
        }}})));
        let p = &document["components"]["schemas"]["S"]["properties"];
        assert_eq!(p["a"], json!({"type": "string", "nullable": true}));
        assert_eq!(p["b"], json!({"nullable": true}));
        assert_eq!(p["c"], json!({"nullable": true}));
        assert_eq!(p["d"], json!({}));
        assert_eq!(
            p["e"],
            json!({"type": "array", "items": {"allOf": [{"$ref": "#/components/schemas/S"}], "nullable": true}})
        );
        assert_eq!(
            p["f"],
            json!({"type": "array", "items": {"anyOf": [{"type": "integer"}, {"type": "string"}]}})
        );
        assert!(has_note(
            &notes,
            "#/definitions/S/properties/a/type: a JSON Schema `type` list"
        ));
        assert!(has_note(
            &notes,
            "#/definitions/S/properties/d/items: a list of `items` schemas"
        ));
    }

    #[test]
    fn odd_places_cost_only_themselves() {
        let (document, notes) = converted(spec(json!({
            "paths": {
                "/a": {
                    "parameters": [
                        {"name": "b", "in": "body", "schema": {"type": "string"}},
                        {"$ref": "#/parameters/missing"},
                        7
                    ],
                    "get": {
                        "schemes": ["http"],
                        "parameters": [
                            {"name": "x", "in": "body", "schema": {"type": "integer"}},
                            {"name": "f", "in": "formData", "type": "string"}
                        ],
                        "responses": {"200": {"description": "ok"}, "x-codes": {"a": 1}}
                    },
                    "put": {"responses": {}}
                },
                "/b": "not an item",
                "x-paths-extension": {"kept": true}
            }
        })));
        let item = &document["paths"]["/a"];
        assert_eq!(
            item["parameters"],
            json!([{"$ref": "#/components/parameters/missing"}])
        );
        assert_eq!(
            item["get"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "integer"})
        );
        assert_eq!(
            item["put"]["requestBody"]["content"]["application/json"]["schema"],
            json!({"type": "string"})
        );
        assert_eq!(document["paths"]["/b"], json!("not an item"));
        assert_eq!(
            document["paths"]["x-paths-extension"],
            json!({"kept": true})
        );
        assert_eq!(item["get"]["responses"]["x-codes"], json!({"a": 1}));
        for needle in [
            "#/paths/~1a/parameters/2: a parameter that is not an object is left out",
            "#/paths/~1a/get/schemes: an operation's own `schemes` are left out",
            "#/paths/~1a/parameters/0: a second `in: body` parameter is left out",
            "#/paths/~1a/get/parameters/0: form fields beside an `in: body` parameter are left out",
        ] {
            assert!(has_note(&notes, needle), "{needle}: {notes:#?}");
        }
        let (document, _) = converted(json!({"swagger": "2.0"}));
        assert_eq!(document, json!({"openapi": "3.0.3", "paths": {}}));
    }
}
