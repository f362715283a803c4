//! Reading a spec and refusing, with a precise error, anything the
//! generator cannot turn into a client.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Location, SpecError, SpecErrorKind, json_pointer};
use crate::naming;

const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// A spec that parsed and passed every check.
#[derive(Debug, Clone)]
pub struct Spec {
    /// The file, as the caller named it (used in headers and errors).
    pub path: PathBuf,
    /// The vendor name, from the file stem.
    pub vendor: String,
    /// The typed document.
    pub document: OpenAPI,
    /// The same document as JSON, for examples and extensions.
    pub raw: Value,
}

impl Spec {
    /// The spec path with `/` separators, as written into generated headers.
    pub fn display_path(&self) -> String {
        self.path
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/")
    }

    pub(crate) fn error(&self, location: Location, kind: SpecErrorKind) -> SpecError {
        SpecError::new(&self.path, location, kind)
    }
}

/// Reads and validates the spec at `path` (YAML, or JSON for `.json`).
pub fn load(path: &Path) -> Result<Spec, SpecError> {
    let fail = |location, kind| SpecError::new(path, location, kind);
    let stem = path
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    let vendor = naming::vendor_from_stem(stem)
        .ok_or_else(|| fail(Location::File, SpecErrorKind::FileName(stem.to_string())))?;
    let text =
        std::fs::read_to_string(path).map_err(|e| fail(Location::File, SpecErrorKind::Io(e)))?;
    let is_json = path.extension().is_some_and(|e| e == "json");

    let raw: Value = parse(&text, is_json)
        .map_err(|(location, message)| fail(location, SpecErrorKind::Syntax(message)))?;
    check_version(&raw).map_err(|(location, kind)| fail(location, kind))?;
    // Typing the parsed value is cheap; only a failure re-reads the text,
    // for the parser's line and column.
    let document = match OpenAPI::deserialize(&raw) {
        Ok(document) => document,
        Err(error) => {
            let (location, message) = parse::<OpenAPI>(&text, is_json)
                .err()
                .unwrap_or((Location::File, error.to_string()));
            return Err(fail(location, SpecErrorKind::Shape(message)));
        }
    };
    check_refs(&raw, &raw, &mut Vec::new()).map_err(|(location, kind)| fail(location, kind))?;
    check_operation_ids(&raw).map_err(|(location, kind)| fail(location, kind))?;
    check_path_parameters(&raw).map_err(|(location, kind)| fail(location, kind))?;

    Ok(Spec {
        path: path.to_path_buf(),
        vendor,
        document,
        raw,
    })
}

fn parse<T: serde::de::DeserializeOwned>(
    text: &str,
    is_json: bool,
) -> Result<T, (Location, String)> {
    if is_json {
        serde_json::from_str(text).map_err(|e| {
            let location = Location::LineColumn {
                line: e.line(),
                column: e.column(),
            };
            (location, strip_position(&e.to_string()))
        })
    } else {
        serde_yaml_ng::from_str(text).map_err(|e| {
            let location = e
                .location()
                .map_or(Location::File, |l| Location::LineColumn {
                    line: l.line(),
                    column: l.column(),
                });
            (location, strip_position(&e.to_string()))
        })
    }
}

/// Parsers append " at line X column Y"; the location is reported apart.
fn strip_position(message: &str) -> String {
    match message.find(" at line ") {
        Some(at) => message[..at].to_string(),
        None => message.to_string(),
    }
}

type Check = Result<(), (Location, SpecErrorKind)>;

fn check_version(raw: &Value) -> Check {
    if raw.get("swagger").is_some() {
        return Err((Location::pointer(["swagger"]), SpecErrorKind::Swagger2));
    }
    match raw.get("openapi") {
        None => Err((Location::File, SpecErrorKind::NotOpenApi)),
        Some(Value::String(v)) if v.starts_with("3.0.") => Ok(()),
        Some(other) => {
            let version = other
                .as_str()
                .map_or_else(|| other.to_string(), str::to_string);
            Err((
                Location::pointer(["openapi"]),
                SpecErrorKind::UnsupportedVersion(version),
            ))
        }
    }
}

fn check_refs(root: &Value, node: &Value, path: &mut Vec<String>) -> Check {
    let children: Vec<(String, &Value)> = match node {
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
            map.iter()
                .map(|(key, value)| (key.clone(), value))
                .collect()
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, v)| (i.to_string(), v))
            .collect(),
        _ => Vec::new(),
    };
    for (key, child) in children {
        path.push(key);
        check_refs(root, child, path)?;
        path.pop();
    }
    Ok(())
}

fn check_operation_ids(raw: &Value) -> Check {
    let mut seen: BTreeMap<&str, String> = BTreeMap::new();
    let Some(Value::Object(paths)) = raw.get("paths") else {
        return Ok(());
    };
    for (path, item) in paths {
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let here = json_pointer(["paths", path.as_str(), method]);
            match operation.get("operationId").and_then(Value::as_str) {
                None => {
                    return Err((Location::Pointer(here), SpecErrorKind::MissingOperationId));
                }
                Some(id) => {
                    if let Some(first) = seen.get(id) {
                        let kind = SpecErrorKind::DuplicateOperationId {
                            id: id.to_string(),
                            first: first.clone(),
                        };
                        return Err((Location::Pointer(format!("{here}/operationId")), kind));
                    }
                    seen.insert(id, here);
                }
            }
        }
    }
    Ok(())
}

/// Every `{name}` in a path needs an `in: path` parameter, on the operation
/// or its path item (progenitor panics otherwise).
fn check_path_parameters(raw: &Value) -> Check {
    let Some(Value::Object(paths)) = raw.get("paths") else {
        return Ok(());
    };
    let path_parameters = |holder: &Value| -> Vec<String> {
        let resolve = |p: &Value| match p.get("$ref").and_then(Value::as_str) {
            Some(target) => raw.pointer(target.trim_start_matches('#')).cloned(),
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
    for (path, item) in paths {
        let templated: Vec<&str> = path
            .split('{')
            .skip(1)
            .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
            .collect();
        let shared = path_parameters(item);
        for method in METHODS {
            let Some(operation) = item.get(method) else {
                continue;
            };
            let own = path_parameters(operation);
            if let Some(missing) = templated
                .iter()
                .find(|name| !shared.iter().chain(&own).any(|p| p == *name))
            {
                return Err((
                    Location::pointer(["paths", path.as_str(), method]),
                    SpecErrorKind::UndefinedPathParameter(missing.to_string()),
                ));
            }
        }
    }
    Ok(())
}
