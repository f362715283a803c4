//! Places in a document converted from Swagger 2.0 led back to the 2.0
//! file, so that what later stages say (notes, errors) points where the
//! user can look: `#/components/schemas/Pet` was `#/definitions/Pet`, a
//! response's `content/<type>/schema` was its `schema`.

use serde_json::Value;

use super::unescape;
use crate::error::json_pointer;

/// The place in the 2.0 document `pointer` (a place in `converted`, the
/// normalized 3.0 document) came from: the nearest one that exists, so
/// that notes and errors of later stages point into the user's file.
pub(crate) fn original_pointer(original: &Value, converted: &Value, pointer: &str) -> String {
    let keys: Vec<String> = pointer.split('/').skip(1).map(unescape).collect();
    let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
    let mut mapped: Vec<String> = match keys.as_slice() {
        ["openapi", ..] => vec!["swagger".into()],
        ["servers", ..] => ["host", "basePath", "schemes"]
            .into_iter()
            .find(|key| original.get(*key).is_some())
            .map(|key| vec![key.to_string()])
            .unwrap_or_default(),
        ["components", "schemas", rest @ ..] => owned(["definitions"].iter().chain(rest)),
        ["components", "securitySchemes", name, ..] => owned(["securityDefinitions", name].iter()),
        ["components", "parameters", name, ..] => owned(["parameters", name].iter()),
        ["components", "requestBodies", name, rest @ ..] => {
            let mut keys = owned(["parameters", name].iter());
            keys.extend(body_rest(rest));
            keys
        }
        ["components", "responses", name, rest @ ..] => {
            let mut keys = owned(["responses", name].iter());
            keys.extend(response_rest(rest));
            keys
        }
        ["paths", template, "parameters", index, ..] => {
            let list = ["paths", template, "parameters"];
            let mut keys = owned(list.iter());
            keys.extend(original_index(original, converted, &list, index));
            keys
        }
        ["paths", template, method, "parameters", index, ..] => {
            let list = ["paths", template, method, "parameters"];
            let mut keys = owned(list.iter());
            keys.extend(original_index(original, converted, &list, index));
            keys
        }
        ["paths", template, method, "requestBody", rest @ ..] => {
            let mut keys = owned(["paths", template, method, "parameters"].iter());
            keys.extend(body_parameter(original, [template, method], rest));
            keys
        }
        ["paths", template, method, "responses", code, rest @ ..] => {
            let mut keys = owned(["paths", template, method, "responses", code].iter());
            keys.extend(response_rest(rest));
            keys
        }
        _ => keys.iter().map(|k| k.to_string()).collect(),
    };
    // What normalize added (a hoisted schema) has no place of its own: its
    // nearest existing parent stands for it.
    while !mapped.is_empty()
        && original
            .pointer(&json_pointer(mapped.iter().map(String::as_str)))
            .is_none()
    {
        mapped.pop();
    }
    json_pointer(mapped.iter().map(String::as_str))
}

fn owned<'k>(keys: impl Iterator<Item = &'k &'k str>) -> Vec<String> {
    keys.map(|k| k.to_string()).collect()
}

/// Within a request body: its schema is the body parameter's.
fn body_rest(rest: &[&str]) -> Vec<String> {
    match rest {
        ["content", _, "schema", schema @ ..] => owned(["schema"].iter().chain(schema)),
        _ => Vec::new(),
    }
}

/// Within a response: `content/<type>/schema` was `schema`, its example
/// was in `examples`, a header's schema was the header.
fn response_rest(rest: &[&str]) -> Vec<String> {
    match rest {
        ["content", _, "schema", schema @ ..] => owned(["schema"].iter().chain(schema)),
        ["content", media, "example", ..] => owned(["examples", media].iter()),
        ["headers", name, ..] => owned(["headers", name].iter()),
        ["content", ..] => Vec::new(),
        other => owned(other.iter()),
    }
}

/// The index in the 2.0 list of the parameter at `index` of the converted
/// list: same `$ref`, or same `name` and `in`.
fn original_index(
    original: &Value,
    converted: &Value,
    list: &[&str],
    index: &str,
) -> Option<String> {
    let at = |document: &Value| {
        document
            .pointer(&json_pointer(list.iter().copied()))
            .and_then(Value::as_array)
            .cloned()
    };
    let parameter = at(converted)?.get(index.parse::<usize>().ok()?)?.clone();
    let same = |candidate: &Value| match parameter.get("$ref").and_then(Value::as_str) {
        Some(target) => {
            let name = target.rsplit('/').next().unwrap_or("");
            candidate
                .get("$ref")
                .and_then(Value::as_str)
                .is_some_and(|r| r.rsplit('/').next() == Some(name))
        }
        None => ["name", "in"]
            .iter()
            .all(|key| candidate.get(*key) == parameter.get(*key)),
    };
    at(original)?.iter().position(same).map(|i| i.to_string())
}

/// Within an operation's request body: the `in: body` parameter (and its
/// schema), or the form field a property of a form stands for.
fn body_parameter(original: &Value, [template, method]: [&str; 2], rest: &[&str]) -> Vec<String> {
    let list = original
        .get("paths")
        .and_then(|paths| paths.get(template))
        .and_then(|item| item.get(method))
        .and_then(|operation| operation.get("parameters"))
        .and_then(Value::as_array);
    let position = |wanted: &dyn Fn(&Value) -> bool| {
        list.and_then(|list| list.iter().position(wanted))
            .map(|i| i.to_string())
    };
    let is_in =
        |location: &'static str| move |p: &Value| p.get("in").is_some_and(|l| l == location);
    let body = position(&is_in("body"));
    match (rest, body) {
        (["content", _, "schema", schema @ ..], Some(index)) => {
            let mut keys = vec![index, "schema".to_string()];
            keys.extend(schema.iter().map(|k| k.to_string()));
            keys
        }
        (["content", _, "schema", "properties", field, ..], None) => {
            let field = *field;
            position(&|p: &Value| is_in("formData")(p) && p.get("name").is_some_and(|n| n == field))
                .into_iter()
                .collect()
        }
        (_, body) => body.into_iter().collect(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::super::convert;
    use super::*;
    use crate::note::Notes;

    #[test]
    fn places_in_the_converted_document_lead_back_to_the_2_0_file() {
        let original = json!({
            "swagger": "2.0", "info": {"title": "T", "version": "1"},
            "host": "api.example",
            "definitions": {"Pet": {"type": "object", "properties": {"name": {"type": "string"}}}},
            "parameters": {"pet": {"name": "pet", "in": "body", "schema": {"$ref": "#/definitions/Pet"}}},
            "securityDefinitions": {"key": {"type": "apiKey", "name": "k", "in": "query"}},
            "paths": {"/pets/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "type": "string"}],
                "put": {
                    "parameters": [
                        {"name": "pet", "in": "body", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}},
                        {"name": "q", "in": "query", "type": "array", "items": {"type": "string"}}
                    ],
                    "responses": {"200": {"description": "ok", "schema": {"$ref": "#/definitions/Pet"},
                                          "examples": {"application/json": {}}}}
                },
                "post": {
                    "parameters": [{"name": "f", "in": "formData", "type": "file"}],
                    "responses": {}
                }
            }}
        });
        let converted = convert(&original, &mut Notes::default());
        let back = |pointer: &str| original_pointer(&original, &converted, pointer);
        let op = "/paths/~1pets~1{id}/put";
        for (from, to) in [
            ("/openapi", "/swagger".to_string()),
            ("/servers/0/url", "/host".to_string()),
            (
                "/components/schemas/Pet/properties/name",
                "/definitions/Pet/properties/name".to_string(),
            ),
            ("/components/schemas/PetKind", "/definitions".to_string()),
            (
                "/components/securitySchemes/key",
                "/securityDefinitions/key".to_string(),
            ),
            (
                "/components/requestBodies/pet/content/application~1json/schema",
                "/parameters/pet/schema".to_string(),
            ),
            (
                &format!("{op}/parameters/0/schema/items"),
                format!("{op}/parameters/1"),
            ),
            (
                "/paths/~1pets~1{id}/parameters/0/schema",
                "/paths/~1pets~1{id}/parameters/0".to_string(),
            ),
            (
                &format!("{op}/requestBody/content/application~1json/schema/properties/a"),
                format!("{op}/parameters/0/schema/properties/a"),
            ),
            (
                "/paths/~1pets~1{id}/post/requestBody/content/multipart~1form-data/schema/properties/f",
                "/paths/~1pets~1{id}/post/parameters/0".to_string(),
            ),
            (
                &format!("{op}/responses/200/content/application~1json/schema/$ref"),
                format!("{op}/responses/200/schema/$ref"),
            ),
            (
                &format!("{op}/responses/200/content/application~1json/example"),
                format!("{op}/responses/200/examples/application~1json"),
            ),
        ] {
            assert_eq!(back(from), to, "{from}");
        }
    }
}
