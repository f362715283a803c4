//! What can go wrong, said honestly: the user's spec ([`SpecError`]: file,
//! place, cause, fix) or this generator and the tools under it
//! ([`InternalError`]: a fault to report, with the spec and operation).

use std::fmt;
use std::path::PathBuf;

/// Why a spec did not become a client crate.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The spec is wrong or asks for what no client can do; the message
    /// names the place and the fix.
    #[error(transparent)]
    Spec(#[from] SpecError),
    /// The generator, progenitor or typify failed on a valid spec.
    #[error(transparent)]
    Internal(#[from] InternalError),
}

/// A spec the generator refuses, with where and how to fix it.
#[derive(Debug, thiserror::Error)]
#[error("{file}:{location}: {kind}\n  fix: {fix}", file = .file.display(), fix = .kind.fix())]
pub struct SpecError {
    /// The spec file, as the caller named it.
    pub file: PathBuf,
    /// Where in the file the problem is.
    pub location: Location,
    /// What is wrong.
    pub kind: SpecErrorKind,
}

impl SpecError {
    pub(crate) fn new(file: impl Into<PathBuf>, location: Location, kind: SpecErrorKind) -> Self {
        Self {
            file: file.into(),
            location,
            kind,
        }
    }
}

/// A fault of the generator or of progenitor/typify, not of the spec.
#[derive(Debug, thiserror::Error)]
#[error(
    "{file}{operation}: {culprit} failed while generating ({message}); this is not a problem in the spec: please report it with the spec attached",
    file = .file.display(),
    operation = .operation.as_ref().map(|id| format!(": operation `{id}`")).unwrap_or_default(),
)]
pub struct InternalError {
    /// The spec being generated.
    pub file: PathBuf,
    /// The spec's `operationId` it happened on, when known.
    pub operation: Option<String>,
    /// Which tool failed.
    pub culprit: Culprit,
    /// What it said.
    pub message: String,
}

/// The tool an [`InternalError`] comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Culprit {
    /// progenitor or typify (their pinned versions are in the workspace manifest).
    Progenitor,
    /// This generator.
    Generator,
}

impl fmt::Display for Culprit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Culprit::Progenitor => "progenitor",
            Culprit::Generator => "the generator",
        })
    }
}

/// A place in a spec file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// The whole file.
    File,
    /// A 1-based line and column, as the parser reports them.
    LineColumn {
        /// Line, counting from 1.
        line: usize,
        /// Column, counting from 1.
        column: usize,
    },
    /// A JSON pointer (RFC 6901) into the document.
    Pointer(String),
}

impl Location {
    /// The location of a path of keys.
    pub fn pointer<'a>(keys: impl IntoIterator<Item = &'a str>) -> Self {
        Location::Pointer(json_pointer(keys))
    }
}

/// The JSON pointer for a path of keys, escaping `~` and `/`.
pub(crate) fn json_pointer<'a>(keys: impl IntoIterator<Item = &'a str>) -> String {
    keys.into_iter()
        .map(|key| format!("/{}", key.replace('~', "~0").replace('/', "~1")))
        .collect()
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Location::File => f.write_str("(whole file)"),
            Location::LineColumn { line, column } => write!(f, "{line}:{column}"),
            Location::Pointer(pointer) => write!(f, "#{pointer}"),
        }
    }
}

/// What is wrong with a spec.
#[derive(Debug, thiserror::Error)]
pub enum SpecErrorKind {
    /// The file could not be read.
    #[error("cannot read the spec: {0}")]
    Io(#[source] std::io::Error),
    /// The file or folder name does not make a crate name.
    #[error("`{0}` does not make a crate name")]
    FileName(String),
    /// A spec folder with no entry document, or several candidates (listed).
    #[error("{}", no_entry(.0))]
    NoEntryDocument(Vec<String>),
    /// The text is not YAML or JSON.
    #[error("not valid YAML or JSON: {0}")]
    Syntax(String),
    /// The document nests deeper than the parser's limit (128 levels).
    #[error("the document nests more than 128 levels deep here")]
    TooDeep,
    /// The document has no `openapi` version field.
    #[error("not an OpenAPI document: it has no `openapi` (or Swagger 2.0 `swagger`) field")]
    NotOpenApi,
    /// A Swagger version other than 2.0.
    #[error(
        "Swagger {0} is not supported: the generator reads Swagger 2.0 and OpenAPI 3.0.x and 3.1.x"
    )]
    UnsupportedSwaggerVersion(String),
    /// An OpenAPI version other than 3.0.x and 3.1.x.
    #[error(
        "OpenAPI {0} is not supported: the generator reads Swagger 2.0 and OpenAPI 3.0.x and 3.1.x"
    )]
    UnsupportedVersion(String),
    /// The document does not have the shape OpenAPI 3.0 requires.
    #[error("not a valid OpenAPI 3.0 document: {0}")]
    Shape(String),
    /// A `$ref` that points at nothing in this document.
    #[error("`$ref: {0}` points at nothing in this document")]
    DanglingRef(String),
    /// A `$ref` to another file or URL.
    #[error("`$ref: {0}` points outside this document")]
    ExternalRef(String),
    /// A `$ref` that names a URL: nothing is fetched.
    #[error(
        "`$ref: {0}` names a URL; the generator reads only the spec's own files and fetches nothing"
    )]
    RemoteRef(String),
    /// A `$ref` to a file outside the spec's folder.
    #[error("`$ref: {0}` leaves the spec's folder (an absolute path, or `../` above it)")]
    RefLeavesFolder(String),
    /// A `$ref` to a file that cannot be read.
    #[error("`$ref: {reference}` names a file that cannot be read: {source}")]
    UnreadableRef {
        /// The reference as written.
        reference: String,
        /// Why the file cannot be read.
        #[source]
        source: std::io::Error,
    },
    /// A `$ref` whose fragment is not in the file it names.
    #[error("`$ref: {reference}` points at nothing in `{file}`")]
    MissingRefTarget {
        /// The reference as written.
        reference: String,
        /// The file, relative to the spec's folder.
        file: String,
    },
    /// `$ref`s copied in place hold more such `$ref`s, multiplying the copies.
    #[error(
        "`$ref`s copy this part in place so often (copies holding more copies) that the bundled document would pass {0} MiB"
    )]
    TooManyCopies(usize),
    /// `$ref`s that are copied in place (not components) lead back to themselves.
    #[error("`$ref: {0}` leads back to itself through places that cannot be components")]
    RefCycle(String),
    /// Two operations share an `operationId`.
    #[error("`operationId: {id}` is used twice; the first is at #{first}")]
    DuplicateOperationId {
        /// The repeated id.
        id: String,
        /// JSON pointer of the first operation that uses it.
        first: String,
    },
    /// Two `operationId`s become the same Rust method name.
    #[error("`operationId: {id}` becomes the method `{method}`, as the operation at #{first} does")]
    CollidingOperationId {
        /// This operation's id.
        id: String,
        /// The Rust method name both become.
        method: String,
        /// JSON pointer of the other operation.
        first: String,
    },
    /// A `{name}` in a path that no path parameter defines.
    #[error("path template `{{{0}}}` has no `in: path` parameter")]
    UndefinedPathParameter(String),
    /// A security scheme the generator cannot turn into credentials.
    #[error(
        "security scheme `{0}` is not supported (HTTP basic, HTTP bearer, API keys, OAuth 2.0 and OpenID Connect are)"
    )]
    UnsupportedSecurityScheme(String),
    /// `x-token-endpoint-auth-method` names a client authentication method
    /// the runtime does not have.
    #[error(
        "`x-token-endpoint-auth-method` is `{0}`; the client authenticates to a token endpoint by `client_secret_basic` or `client_secret_post`"
    )]
    UnknownTokenEndpointAuthMethod(String),
    /// An operation names a security scheme that `components.securitySchemes` lacks.
    #[error("security requirement names `{0}`, which `components.securitySchemes` does not define")]
    UnknownSecurityScheme(String),
    /// A required parameter has no `example`, so the example program cannot send it.
    #[error("required parameter `{0}` has no `example` for the generated example program")]
    MissingParameterExample(String),
    /// progenitor refused a construct of the spec.
    #[error("progenitor cannot generate a client for this: {0}")]
    Unsupported(String),
    /// Strict mode: a part of the spec would be degraded (`count` places in all).
    #[error(
        "strict mode: {message} ({count} degraded place(s) in all; `cargo xtask generate` without strict mode lists them)"
    )]
    Degraded {
        /// What the degrade note says.
        message: String,
        /// How many degrade notes the spec has.
        count: usize,
    },
}

/// What a folder without one entry document holds.
fn no_entry(candidates: &[String]) -> String {
    if candidates.is_empty() {
        "the folder has no entry document: no `openapi.yaml`, `openapi.yml`, `openapi.json`, `swagger.yaml` or `swagger.json`, and no top-level YAML or JSON file with an `openapi` or `swagger` key".into()
    } else {
        format!(
            "the folder has no `openapi.yaml` and several files that could be its entry document: {}",
            candidates.join(", ")
        )
    }
}

impl SpecErrorKind {
    /// One sentence that tells the user what to change.
    pub fn fix(&self) -> &'static str {
        use SpecErrorKind::*;
        match self {
            Io(_) => "check that the path exists and is readable",
            FileName(_) => {
                "give the spec a file or folder name with an ASCII letter or digit (for example `acme.yaml` or `acme/`); the crate name comes from it"
            }
            NoEntryDocument(_) => {
                "name the entry document `openapi.yaml` (or `openapi.yml`, `openapi.json`), or keep exactly one top-level YAML or JSON file with an `openapi:` key in the folder"
            }
            Syntax(_) => "correct the syntax at this line and column",
            TooDeep => {
                "move nested schemas into `components/schemas` and refer to them with `$ref`"
            }
            NotOpenApi => "start the document with `openapi: 3.0.3`",
            UnsupportedSwaggerVersion(_) => {
                "convert the spec to OpenAPI 3.0 (for example with swagger2openapi) and set `openapi: 3.0.3`"
            }
            UnsupportedVersion(_) => {
                "write the spec as OpenAPI 3.0 (`openapi: 3.0.3`) or 3.1 (`openapi: 3.1.0`)"
            }
            Shape(_) => "make this part match the OpenAPI 3.0.3 specification",
            DanglingRef(_) => "define the target under `components` or correct the `$ref` path",
            ExternalRef(_) => {
                "copy the referenced schema into `components/schemas` and use a local `#/...` reference"
            }
            RemoteRef(_) => {
                "save the document it names in the spec's folder and refer to it by a relative path"
            }
            RefLeavesFolder(_) => {
                "move the referenced file into the spec's folder and refer to it by a relative path from the file that holds the `$ref`"
            }
            UnreadableRef { .. } => {
                "correct the path: it is relative to the file that holds the `$ref`"
            }
            MissingRefTarget { .. } => {
                "correct the fragment after `#` (a JSON pointer such as `#/components/schemas/Pet`) or add the target to that file"
            }
            TooManyCopies(_) => {
                "refer to the repeated part from a place where it can be a component (a schema, a parameter, a response…), so that it is referenced rather than copied"
            }
            RefCycle(_) => {
                "break the cycle, or move the repeated part under `components` so that it is referenced rather than copied"
            }
            DuplicateOperationId { .. } => "give each operation its own `operationId`",
            CollidingOperationId { .. } => {
                "rename one of the two `operationId`s so they differ in more than case and punctuation"
            }
            UndefinedPathParameter(_) => {
                "add a parameter with this name and `in: path`, `required: true` to the operation or its path item"
            }
            UnsupportedSecurityScheme(_) => {
                "use `type: http` with `scheme: basic` or `bearer`, `type: apiKey`, `type: oauth2` or `type: openIdConnect`"
            }
            UnknownTokenEndpointAuthMethod(_) => {
                "write `client_secret_basic` (HTTP Basic, the default) or `client_secret_post` (id and secret in the form body), as RFC 7591 names them"
            }
            UnknownSecurityScheme(_) => {
                "add the scheme under `components/securitySchemes` or correct its name"
            }
            MissingParameterExample(_) => "add `example: <value>` to the parameter",
            Unsupported(_) => {
                "express this part with what progenitor supports: JSON bodies; path, query and header parameters; object, array and string-enum schemas"
            }
            Degraded { .. } => {
                "correct this part of the spec as the note says, or take the degraded crate by generating without strict mode"
            }
        }
    }
}
