//! Stage 1, load: the file's text parsed as YAML or JSON, with line:column
//! for syntax errors, and the vendor its file name stands for.

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Location, SpecError, SpecErrorKind};
use crate::model::names;

/// A spec file, parsed but not yet checked.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The file, as the caller named it (used in headers and errors).
    pub path: PathBuf,
    /// The vendor name, from the file stem (see [`names::vendor_from_stem`]).
    pub vendor: String,
    /// The document as JSON.
    pub raw: Value,
    /// The text, kept to locate later errors by line and column.
    pub(crate) text: String,
    pub(crate) is_json: bool,
}

impl Loaded {
    /// The spec path with `/` separators, as written into generated headers.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    pub(crate) fn error(&self, location: Location, kind: SpecErrorKind) -> SpecError {
        SpecError::new(&self.path, location, kind)
    }

    /// Where typing the text as `T` fails, by line and column.
    pub(crate) fn locate<T: serde::de::DeserializeOwned>(&self) -> Option<(Location, String)> {
        parse::<T>(&self.text, self.is_json).err()
    }
}

/// `path` with `/` separators on every platform.
pub(crate) fn display_path(path: &Path) -> String {
    path.components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/")
}

/// Reads the spec at `path` (JSON for `.json`, YAML otherwise).
pub fn load(path: &Path) -> Result<Loaded, SpecError> {
    let fail = |location, kind| SpecError::new(path, location, kind);
    let stem = path
        .file_stem()
        .map(|s| s.to_string_lossy())
        .unwrap_or_default();
    let vendor = names::vendor_from_stem(&stem)
        .ok_or_else(|| fail(Location::File, SpecErrorKind::FileName(stem.to_string())))?;
    let text =
        std::fs::read_to_string(path).map_err(|e| fail(Location::File, SpecErrorKind::Io(e)))?;
    // A byte-order mark is an encoding signature, not text of the document.
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_string(),
        None => text,
    };
    let is_json = path.extension().is_some_and(|e| e == "json");
    let raw: Value = parse(&text, is_json).map_err(|(location, message)| {
        let kind = if message.contains("recursion limit exceeded") {
            SpecErrorKind::TooDeep
        } else {
            SpecErrorKind::Syntax(message)
        };
        fail(location, kind)
    })?;
    Ok(Loaded {
        path: path.to_path_buf(),
        vendor,
        raw,
        text,
        is_json,
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
