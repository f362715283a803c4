//! Stage 3, validate: every rule a spec must meet, in one place, each
//! failure a located [`SpecError`] with a fix that is true.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, ReferenceOr, SecurityScheme};
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Location, SpecError, SpecErrorKind, json_pointer};
use crate::normalize::Normalized;
use crate::spec::{ClientAuthentication, TOKEN_ENDPOINT_AUTH_METHOD, names, operations};

/// A normalized spec that meets every rule, typed.
#[derive(Debug, Clone)]
pub struct Validated {
    /// What normalize produced.
    pub normalized: Normalized,
    /// The same document, typed.
    pub openapi: OpenAPI,
}

type Check = Result<(), (Location, SpecErrorKind)>;

/// Checks the normalized spec against every rule.
pub fn validate(normalized: Normalized) -> Result<Validated, SpecError> {
    let loaded = &normalized.loaded;
    let fail = |(location, kind)| loaded.error(normalized.file_location(location), kind);
    let document = &normalized.document;
    let openapi = match OpenAPI::deserialize(document) {
        Ok(openapi) => openapi,
        Err(error) => {
            let (location, message) = if normalized.from_swagger2 {
                locate_converted(document)
            } else {
                loaded
                    .locate::<OpenAPI>()
                    .or_else(|| failing_member(document))
            }
            .unwrap_or((Location::File, error.to_string()));
            return Err(fail((location, SpecErrorKind::Shape(message))));
        }
    };
    check_refs(document, document, &mut Vec::new()).map_err(fail)?;
    check_operation_ids(document).map_err(fail)?;
    check_path_parameters(document).map_err(fail)?;
    check_security(&openapi).map_err(fail)?;
    Ok(Validated {
        normalized,
        openapi,
    })
}

/// The first path item or component that does not have its OpenAPI
/// shape, by pointer: a document bundled from several files has no one
/// text to give a line and column in, and the pointer leads to the file
/// the member came from.
fn failing_member(document: &Value) -> Option<(Location, String)> {
    fn fails<T: serde::de::DeserializeOwned>(value: &Value) -> Option<String> {
        T::deserialize(value).err().map(|e| e.to_string())
    }
    type Typed = (&'static str, fn(&Value) -> Option<String>);
    let sections: [Typed; 10] = [
        ("paths", fails::<ReferenceOr<openapiv3::PathItem>>),
        ("schemas", fails::<ReferenceOr<openapiv3::Schema>>),
        ("parameters", fails::<ReferenceOr<openapiv3::Parameter>>),
        ("responses", fails::<ReferenceOr<openapiv3::Response>>),
        (
            "requestBodies",
            fails::<ReferenceOr<openapiv3::RequestBody>>,
        ),
        ("headers", fails::<ReferenceOr<openapiv3::Header>>),
        ("examples", fails::<ReferenceOr<openapiv3::Example>>),
        ("securitySchemes", fails::<ReferenceOr<SecurityScheme>>),
        ("links", fails::<ReferenceOr<openapiv3::Link>>),
        ("callbacks", fails::<ReferenceOr<openapiv3::Callback>>),
    ];
    sections.into_iter().find_map(|(section, fails)| {
        let place: &[&str] = if section == "paths" {
            &["paths"]
        } else {
            &["components", section]
        };
        let members = document.pointer(&json_pointer(place.iter().copied()))?;
        members.as_object()?.iter().find_map(|(name, member)| {
            let message = fails(member)?;
            let location = Location::pointer(place.iter().copied().chain([name.as_str()]));
            Some((location, message))
        })
    })
}

/// Where typing a document converted from Swagger 2.0 fails, as a JSON
/// pointer into it (the caller maps it to the 2.0 file): the text is 2.0,
/// so a line and column in it would say nothing.
fn locate_converted(document: &Value) -> Option<(Location, String)> {
    let error = serde_path_to_error::deserialize::<_, OpenAPI>(document).err()?;
    let keys: Vec<String> = error
        .path()
        .iter()
        .filter_map(|segment| match segment {
            serde_path_to_error::Segment::Seq { index } => Some(index.to_string()),
            serde_path_to_error::Segment::Map { key } => Some(key.clone()),
            serde_path_to_error::Segment::Enum { variant } => Some(variant.clone()),
            serde_path_to_error::Segment::Unknown => None,
        })
        .collect();
    let message = format!(
        "{} (as read from Swagger 2.0 into OpenAPI 3.0.3)",
        error.inner()
    );
    Some((Location::pointer(keys.iter().map(String::as_str)), message))
}

/// Every `$ref` points into this document, at something that exists.
/// Example values are data: a `$ref` key inside them is not a reference.
fn check_refs(root: &Value, node: &Value, path: &mut Vec<String>) -> Check {
    let children: Vec<(&String, &Value)> = match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref") {
                let here = || Location::pointer(path.iter().map(String::as_str).chain(["$ref"]));
                let Some(pointer) = target.strip_prefix('#') else {
                    return Err((here(), SpecErrorKind::ExternalRef(target.clone())));
                };
                if root.pointer(pointer).is_none() {
                    return Err((here(), SpecErrorKind::DanglingRef(target.clone())));
                }
            }
            let in_examples = path.len() >= 2 && path[path.len() - 2] == "examples";
            map.iter()
                .filter(|(key, _)| *key != "example" && !(in_examples && *key == "value"))
                .collect()
        }
        Value::Array(items) => {
            for (index, item) in items.iter().enumerate() {
                path.push(index.to_string());
                check_refs(root, item, path)?;
                path.pop();
            }
            return Ok(());
        }
        _ => return Ok(()),
    };
    for (key, child) in children {
        path.push(key.clone());
        check_refs(root, child, path)?;
        path.pop();
    }
    Ok(())
}

/// Every `operationId` (normalize gave each operation one) is unique, and
/// distinct from every other one once progenitor turns it into a method name.
fn check_operation_ids(document: &Value) -> Check {
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    let mut methods: BTreeMap<String, String> = BTreeMap::new();
    for (path, method, operation) in operations(document) {
        let here = json_pointer(["paths", path, method]);
        let Some(id) = operation.get("operationId").and_then(Value::as_str) else {
            continue;
        };
        let at = Location::Pointer(format!("{here}/operationId"));
        if let Some(first) = seen.get(id) {
            let kind = SpecErrorKind::DuplicateOperationId {
                id: id.to_string(),
                first: first.clone(),
            };
            return Err((at, kind));
        }
        let method_name = names::operation_method(id);
        if let Some(first) = methods.get(&method_name) {
            let kind = SpecErrorKind::CollidingOperationId {
                id: id.to_string(),
                method: method_name,
                first: first.clone(),
            };
            return Err((at, kind));
        }
        seen.insert(id.to_string(), here.clone());
        methods.insert(method_name, here);
    }
    Ok(())
}

/// Every `{name}` in a path needs an `in: path` parameter, on the operation
/// or its path item (progenitor panics otherwise).
fn check_path_parameters(document: &Value) -> Check {
    let path_parameters = |holder: &Value| -> Vec<String> {
        let resolve = |p: &Value| match p.get("$ref").and_then(Value::as_str) {
            Some(target) => document.pointer(target.trim_start_matches('#')).cloned(),
            None => Some(p.clone()),
        };
        holder
            .get("parameters")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(resolve)
            .filter(|p| p.get("in").and_then(Value::as_str) == Some("path"))
            .filter_map(|p| p.get("name").and_then(Value::as_str).map(str::to_string))
            .collect()
    };
    for (path, method, operation) in operations(document) {
        let shared = document
            .get("paths")
            .and_then(|paths| paths.get(path))
            .map(path_parameters)
            .unwrap_or_default();
        let own = path_parameters(operation);
        let missing = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .find(|name| !shared.iter().chain(&own).any(|p| p == name));
        if let Some(missing) = missing {
            return Err((
                Location::pointer(["paths", path, method]),
                SpecErrorKind::UndefinedPathParameter(missing.to_string()),
            ));
        }
    }
    Ok(())
}

/// Every scheme is one the client can send, and every requirement names one.
/// A `clientCredentials` flow's `x-token-endpoint-auth-method` names a
/// method the runtime has: a misspelt one would otherwise fall back to
/// HTTP Basic, which the vendor refuses.
fn check_token_endpoint_auth_method(key: &str, scheme: &ReferenceOr<SecurityScheme>) -> Check {
    let ReferenceOr::Item(SecurityScheme::OAuth2 { flows, .. }) = scheme else {
        return Ok(());
    };
    let Some(value) = flows
        .client_credentials
        .as_ref()
        .and_then(|flow| flow.extensions.get(TOKEN_ENDPOINT_AUTH_METHOD))
    else {
        return Ok(());
    };
    match value.as_str().and_then(ClientAuthentication::from_name) {
        Some(_) => Ok(()),
        None => Err((
            Location::pointer([
                "components",
                "securitySchemes",
                key,
                "flows",
                "clientCredentials",
                TOKEN_ENDPOINT_AUTH_METHOD,
            ]),
            SpecErrorKind::UnknownTokenEndpointAuthMethod(
                value
                    .as_str()
                    .map_or_else(|| value.to_string(), str::to_string),
            ),
        )),
    }
}

fn check_security(openapi: &OpenAPI) -> Check {
    let schemes = openapi.components.as_ref().map(|c| &c.security_schemes);
    for (key, scheme) in schemes.into_iter().flatten() {
        let supported = match scheme {
            ReferenceOr::Item(SecurityScheme::HTTP { scheme, .. }) => {
                matches!(scheme.to_ascii_lowercase().as_str(), "basic" | "bearer")
            }
            ReferenceOr::Item(
                SecurityScheme::APIKey { .. }
                | SecurityScheme::OAuth2 { .. }
                | SecurityScheme::OpenIDConnect { .. },
            ) => true,
            ReferenceOr::Reference { .. } => false,
        };
        if !supported {
            return Err((
                Location::pointer(["components", "securitySchemes", key]),
                SpecErrorKind::UnsupportedSecurityScheme(key.clone()),
            ));
        }
        check_token_endpoint_auth_method(key, scheme)?;
    }
    let known = |name: &String| schemes.is_some_and(|s| s.contains_key(name));
    let global = openapi.security.iter().flatten().map(|r| (None, r));
    let per_operation = openapi.operations().flat_map(|(path, method, operation)| {
        operation
            .security
            .iter()
            .flatten()
            .map(move |r| (Some((path, method)), r))
    });
    for (place, requirement) in global.chain(per_operation) {
        if let Some(unknown) = requirement.keys().find(|name| !known(name)) {
            let location = match place {
                Some((path, method)) => Location::pointer(["paths", path, method, "security"]),
                None => Location::pointer(["security"]),
            };
            return Err((
                location,
                SpecErrorKind::UnknownSecurityScheme(unknown.clone()),
            ));
        }
    }
    Ok(())
}
