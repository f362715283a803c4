//! Which file of a spec folder is its entry document, by one rule: the
//! first of [`ENTRY_NAMES`] that exists, else the one top-level YAML or
//! JSON file whose root has an `openapi` or `swagger` key.

use std::path::{Path, PathBuf};

use super::{is_json_path, parse_document};
use crate::error::{Location, SpecError, SpecErrorKind};

/// The names an entry document may have, most preferred first.
const ENTRY_NAMES: [&str; 5] = [
    "openapi.yaml",
    "openapi.yml",
    "openapi.json",
    "swagger.yaml",
    "swagger.json",
];

/// The extensions of files a spec is written in.
const SPEC_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// The entry document of the spec folder `folder`.
pub(crate) fn entry(folder: &Path) -> Result<PathBuf, SpecError> {
    let fail = |kind| SpecError::new(folder, Location::File, kind);
    if let Some(named) = ENTRY_NAMES
        .iter()
        .map(|name| folder.join(name))
        .find(|path| path.is_file())
    {
        return Ok(named);
    }
    let listing = std::fs::read_dir(folder).map_err(|e| fail(SpecErrorKind::Io(e)))?;
    let mut candidates = Vec::new();
    for item in listing {
        let path = item.map_err(|e| fail(SpecErrorKind::Io(e)))?.path();
        let is_spec_file = path.is_file()
            && path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| SPEC_EXTENSIONS.contains(&e));
        if is_spec_file && has_version_key(&path) {
            candidates.push(path);
        }
    }
    candidates.sort();
    match <[PathBuf; 1]>::try_from(candidates) {
        Ok([entry]) => Ok(entry),
        Err(candidates) => {
            let names = candidates
                .iter()
                .filter_map(|path| path.file_name())
                .map(|name| name.to_string_lossy().into_owned())
                .collect();
            Err(fail(SpecErrorKind::NoEntryDocument(names)))
        }
    }
}

/// Whether the file parses and has `openapi` or `swagger` at its root (a
/// file that does not parse is not taken for the entry).
fn has_version_key(path: &Path) -> bool {
    let Ok(text) = std::fs::read_to_string(path) else {
        return false;
    };
    parse_document(&text, is_json_path(path))
        .is_ok_and(|root| root.get("openapi").is_some() || root.get("swagger").is_some())
}
