//! Stage 1, load: the spec parsed as YAML or JSON, with line:column for
//! syntax errors, bundled into one document, and the vendor its name
//! stands for.
//!
//! A spec is a file or a folder. A folder `specs/<name>/` holds an entry
//! document and the files its `$ref`s reach; its entry is the first of
//! `openapi.yaml`, `openapi.yml`, `openapi.json`, `swagger.yaml`,
//! `swagger.json` that exists, else the one top-level YAML or JSON file whose
//! root has an `openapi` or `swagger` key (none or several is an error that
//! says so). The vendor comes from the folder's name. A file is its own
//! entry, its directory the folder: its relative `$ref`s are read from
//! there, and the vendor comes from its stem. Either way [`bundle`] makes
//! one document, reading nothing outside the folder.

mod bundle;
mod entry;
mod numbers;
mod slot;

use std::path::{Path, PathBuf};

use serde_json::Value;

use crate::error::{Location, SpecError, SpecErrorKind};
use crate::spec::names;

/// A spec, parsed and bundled but not yet checked.
#[derive(Debug, Clone)]
pub struct Loaded {
    /// The spec file or folder, as the caller named it (used in headers).
    pub path: PathBuf,
    /// The entry document (`path` itself for a file); errors that are not
    /// in another file of the spec name it.
    pub entry: PathBuf,
    /// The vendor name, from the file stem or the folder name (see
    /// [`names::vendor_from_stem`]).
    pub vendor: String,
    /// The document as JSON, every `$ref` in it local.
    pub raw: Value,
    /// The entry's text, kept to locate later errors by line and column
    /// while the document is that text alone.
    pub(crate) text: String,
    pub(crate) is_json: bool,
    /// Where the pieces bundled from other files came from.
    pub(crate) sources: bundle::Sources,
}

impl Loaded {
    /// The spec path with `/` separators, as written into generated headers.
    pub fn display_path(&self) -> String {
        display_path(&self.path)
    }

    /// The error at `location` of the bundled document, reported in the
    /// file the user edits: a pointer into a piece taken from another file
    /// becomes that file and the pointer there; anything else is in the
    /// entry document.
    pub(crate) fn error(&self, location: Location, kind: SpecErrorKind) -> SpecError {
        if let Location::Pointer(pointer) = &location
            && let Some((file, at)) = self.sources.origin(pointer)
        {
            return SpecError::new(file, Location::Pointer(at), kind);
        }
        SpecError::new(&self.entry, location, kind)
    }

    /// Where typing the text as `T` fails, by line and column; `None` when
    /// the document was bundled from several files, whose text is not one.
    pub(crate) fn locate<T: serde::de::DeserializeOwned>(&self) -> Option<(Location, String)> {
        if !self.sources.is_empty() {
            return None;
        }
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

/// Reads the spec at `path`, a file (JSON for `.json`, YAML otherwise) or a
/// folder, and bundles the files its `$ref`s reach into one document.
pub fn load(path: &Path) -> Result<Loaded, SpecError> {
    let is_folder = path.is_dir();
    let name = if is_folder {
        path.file_name()
    } else {
        path.file_stem()
    };
    let name = name.map(|s| s.to_string_lossy()).unwrap_or_default();
    let vendor = names::vendor_from_stem(&name).ok_or_else(|| {
        SpecError::new(
            path,
            Location::File,
            SpecErrorKind::FileName(name.to_string()),
        )
    })?;
    let (folder, entry) = if is_folder {
        (path.to_path_buf(), entry::entry(path)?)
    } else {
        let folder = path.parent().unwrap_or(Path::new(""));
        (folder.to_path_buf(), path.to_path_buf())
    };
    let fail = |location, kind| SpecError::new(&entry, location, kind);
    let text =
        std::fs::read_to_string(&entry).map_err(|e| fail(Location::File, SpecErrorKind::Io(e)))?;
    let is_json = is_json_path(&entry);
    let raw = parse_document(&text, is_json)
        .map_err(|(location, message)| fail(location, syntax_error(message)))?;
    let entry_name = entry
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    let bundled = bundle::bundle(&folder, &entry_name, raw)?;
    Ok(Loaded {
        path: path.to_path_buf(),
        entry,
        vendor,
        raw: bundled.document,
        text,
        is_json,
        sources: bundled.sources,
    })
}

/// Whether the file at `path` is read as JSON (else YAML).
fn is_json_path(path: &Path) -> bool {
    path.extension().is_some_and(|e| e == "json")
}

/// What a parser's complaint means: nesting past its limit, or bad syntax.
fn syntax_error(message: String) -> SpecErrorKind {
    if message.contains("recursion limit exceeded") {
        SpecErrorKind::TooDeep
    } else {
        SpecErrorKind::Syntax(message)
    }
}

/// Parses a document as JSON or YAML, taking numbers beyond 64 bits as
/// their nearest `f64` rather than failing ([`numbers`]).
fn parse_document(text: &str, is_json: bool) -> Result<Value, (Location, String)> {
    if is_json {
        parse::<Value>(&numbers::clamp_json(text), true)
    } else {
        parse::<numbers::Lenient>(text, false).map(|numbers::Lenient(value)| value)
    }
}

/// Parses JSON or YAML text; a leading byte-order mark is an encoding
/// signature, not text of the document.
fn parse<T: serde::de::DeserializeOwned>(
    text: &str,
    is_json: bool,
) -> Result<T, (Location, String)> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
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
