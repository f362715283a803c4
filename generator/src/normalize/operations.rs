//! Operations as progenitor needs them: each with an `operationId` (its
//! method name comes from it), and no cookie parameters it cannot send.

use std::collections::BTreeSet;

use serde_json::Value;

use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::names;
use crate::spec::{METHODS, is_header_name, operations};

/// `(path, method)` of every operation, in document order.
pub(super) fn operation_keys(document: &Value) -> Vec<(String, &'static str)> {
    operations(document)
        .filter(|(_, _, operation)| operation.is_object())
        .map(|(path, method, _)| (path.to_string(), method))
        .collect()
}

/// The operation at `(path, method)`.
pub(super) fn operation_mut<'a>(
    document: &'a mut Value,
    path: &str,
    method: &str,
) -> Option<&'a mut serde_json::Map<String, Value>> {
    document
        .get_mut("paths")?
        .get_mut(path)?
        .get_mut(method)?
        .as_object_mut()
}

/// Gives every operation without an `operationId` one made from its method
/// and path (`post /streams/{id}` → `post-streams-id`), distinct from the
/// others once progenitor makes method names of them.
pub(super) fn name_unnamed(document: &mut Value, notes: &mut Notes) {
    let keys = operation_keys(document);
    let mut taken: BTreeSet<String> = keys
        .iter()
        .filter_map(|(path, method)| {
            let operation = document.get("paths")?.get(path)?.get(*method)?;
            operation
                .get("operationId")?
                .as_str()
                .map(names::operation_method)
        })
        .collect();
    for (path, method) in keys {
        let Some(operation) = operation_mut(document, &path, method) else {
            continue;
        };
        if operation.get("operationId").is_some_and(Value::is_string) {
            continue;
        }
        let words: Vec<&str> = path
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        let base = std::iter::once(method)
            .chain(words)
            .collect::<Vec<_>>()
            .join("-");
        let mut id = base.clone();
        let mut n = 1;
        while taken.contains(&names::operation_method(&id)) {
            n += 1;
            id = format!("{base}-{n}");
        }
        taken.insert(names::operation_method(&id));
        notes.add(
            json_pointer(["paths", &path, method]),
            format!(
                "this operation has no `operationId`; it is named `{id}` (method `{}`)",
                names::operation_method(&id)
            ),
        );
        operation.insert("operationId".into(), Value::String(id));
    }
}

/// Parameters the client cannot send: an optional cookie (progenitor sends
/// no cookies) or a header whose name no HTTP header can have (`a b`,
/// control characters) is left out; an operation that requires such a
/// header is left out of the crate. Each with a note.
pub(super) fn drop_unsendable_parameters(document: &mut Value, notes: &mut Notes) {
    let components = document
        .pointer("/components/parameters")
        .cloned()
        .unwrap_or(Value::Null);
    let resolve = |parameter: &Value| -> Value {
        match parameter.get("$ref").and_then(Value::as_str) {
            Some(target) => target
                .strip_prefix("#/components/parameters/")
                .and_then(|name| components.get(name))
                .cloned()
                .unwrap_or(Value::Null),
            None => parameter.clone(),
        }
    };
    let unsendable = |parameter: &Value| -> Option<(bool, &'static str)> {
        let parameter = resolve(parameter);
        let required = parameter.get("required") == Some(&Value::Bool(true));
        let name = parameter.get("name").and_then(Value::as_str).unwrap_or("");
        match parameter.get("in").and_then(Value::as_str) {
            Some("cookie") if !required => Some((
                false,
                "optional cookie parameters left out: progenitor cannot send cookies (set them on your own `reqwest::Client`, given to `ClientBuilder::http_client`)",
            )),
            Some("header") if !is_header_name(name) => Some((
                required,
                "a header parameter whose name no HTTP header can have is left out (a header name is a non-empty token: letters, digits and ``!#$%&'*+-.^_`|~``)",
            )),
            _ => None,
        }
    };
    let Some(paths) = document.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let mut left_out: Vec<&str> = Vec::new();
        let holders = std::iter::once(None).chain(METHODS.iter().map(Some));
        for method in holders {
            let holder = match method {
                None => Some(&mut *item),
                Some(method) => item.get_mut(*method),
            };
            let Some(Value::Array(parameters)) = holder.and_then(|h| h.get_mut("parameters"))
            else {
                continue;
            };
            let place: Vec<&str> = ["paths", path.as_str()]
                .into_iter()
                .chain(method.copied())
                .chain(["parameters"])
                .collect();
            parameters.retain(|parameter| match unsendable(parameter) {
                None => true,
                Some((required, why)) => {
                    if required {
                        match method {
                            Some(method) => left_out.push(method),
                            None => left_out.extend(METHODS),
                        }
                    }
                    notes.add(json_pointer(place.iter().copied()), why);
                    false
                }
            });
        }
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for method in left_out {
            if item.remove(method).is_some() {
                notes.add(
                    json_pointer(["paths", path.as_str(), method]),
                    "operation left out of the crate: it requires a header parameter that no HTTP request can carry",
                );
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unnamed_operations_get_distinct_names_from_method_and_path() {
        let mut document = json!({"paths": {
            "/streams/{id}": {"post": {"responses": {}}},
            "/streams": {"get": {"operationId": "post_streams_id", "responses": {}}}
        }});
        let mut notes = Notes::default();
        name_unnamed(&mut document, &mut notes);
        assert_eq!(
            document["paths"]["/streams/{id}"]["post"]["operationId"],
            "post-streams-id-2"
        );
        assert_eq!(notes.finish().len(), 1);
    }

    #[test]
    fn optional_cookies_go_and_required_ones_stay() {
        let mut document = json!({
            "paths": {"/a": {"get": {"parameters": [
                {"name": "session", "in": "cookie"},
                {"$ref": "#/components/parameters/Track"},
                {"name": "must", "in": "cookie", "required": true}
            ]}}},
            "components": {"parameters": {"Track": {"name": "t", "in": "cookie"}}}
        });
        let mut notes = Notes::default();
        drop_unsendable_parameters(&mut document, &mut notes);
        assert_eq!(
            document["paths"]["/a"]["get"]["parameters"],
            json!([{"name": "must", "in": "cookie", "required": true}])
        );
    }

    #[test]
    fn headers_no_request_can_carry_go_with_the_operations_that_need_them() {
        let mut document = json!({"paths": {
            "/a": {
                "get": {"parameters": [
                    {"name": "a b\r\n", "in": "header"},
                    {"name": "X-Fine", "in": "header"}
                ]},
                "put": {"parameters": [{"name": "", "in": "header", "required": true}]}
            }
        }});
        let mut notes = Notes::default();
        drop_unsendable_parameters(&mut document, &mut notes);
        assert_eq!(
            document["paths"]["/a"],
            json!({"get": {"parameters": [{"name": "X-Fine", "in": "header"}]}})
        );
        let notes: Vec<String> = notes.finish().iter().map(ToString::to_string).collect();
        assert!(
            notes
                .iter()
                .any(|n| n.starts_with("#/paths/~1a/put: operation left out")),
            "{notes:?}"
        );
    }
}
