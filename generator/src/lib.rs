//! Turns a Swagger 2.0, OpenAPI 3.0 or OpenAPI 3.1 spec into a complete Rust
//! client crate: progenitor writes the operations and types, driven through
//! its settings and hooks;
//! this crate adds what progenitor lacks (auth from `securitySchemes`,
//! servers, explicit null, open enums, safe transport), all from the spec.
//!
//! The work goes through six stages, one module each, each reading only the
//! previous stage's output:
//!
//! | stage | gives | does |
//! |---|---|---|
//! | [`load`] | [`Loaded`] | parses YAML or JSON, with line:column for syntax errors; a spec split over files (a folder, or an entry file and the files its `$ref`s reach) is bundled into one document |
//! | [`normalize`] | [`Normalized`] | the document progenitor is given: what it cannot take made takeable (Swagger 2.0 and OpenAPI 3.1 → 3.0, one media type and one success type per operation, multipart as typed forms, unsupported security left out, operations with a parameter style progenitor cannot send left out), each adaptation a [`Note`] |
//! | [`validate`] | [`Validated`] | every rule a spec must meet, each failure a located [`SpecError`] |
//! | [`model()`] | [`Api`] | one typed model: operations under progenitor's names, security, servers, examples, type facts |
//! | [`emit()`] | [`Emitted`] | the crate's items and manifest; each emitter reads only the model |
//! | [`render()`] | [`ClientCrate`] | formatted files with the generated-file header |
//!
//! [`semver`] reads the public API of the emitted crate and classifies what
//! a spec edit changes in it (breaking, additive, wire-breaking, none).
//!
//! Output is deterministic: the same spec gives the same bytes. Notes are
//! not errors: [`ClientCrate::notes`] says what was adapted, and the crate's
//! docs say it too.
//!
//! ```no_run
//! let client = generator::generate(std::path::Path::new("specs/acme.yaml"))?;
//! for file in client.files {
//!     println!("{}: {} bytes", file.path.display(), file.contents.len());
//! }
//! # Ok::<(), generator::Error>(())
//! ```

mod emit;
mod error;
mod fallback;
mod load;
pub mod model;
mod normalize;
mod note;
mod render;
pub mod semver;
mod spec;
mod text;
mod validate;

use std::path::Path;

pub use emit::{Emitted, emit};
pub use error::{Culprit, Error, InternalError, Location, SpecError, SpecErrorKind};
pub use load::{Loaded, load};
pub use model::{Api, model, names::crate_name};
pub use normalize::{MultipartBody, Normalized, normalize};
pub use note::Note;
pub use render::{ClientCrate, GENERATED_MARKER, GeneratedFile, render};
pub use validate::{Validated, validate};

/// Runs every stage on the spec at `path`, for a crate at its first version
/// (0.1.0); [`semver::generate`] takes the version and also gives the
/// crate's public surface.
pub fn generate(path: &Path) -> Result<ClientCrate, Error> {
    pipeline(path, &semver::Version::INITIAL.to_string(), render)
}

/// The stack the stages run on: enough for the deepest document the loader
/// accepts (its nesting limit) through progenitor's and typify's recursion,
/// whatever stack the caller's thread has. Only what is used is committed.
const STACK_BYTES: usize = 256 << 20;

/// The one composition of the stages: load → normalize → validate → model →
/// emit, then `finish` on the model and the emitted crate, all on a thread
/// with a stack of its own (256 MiB reserved, committed as used): deep
/// enough for the deepest document the loader accepts, whatever stack the
/// caller has. What progenitor still cannot take is given up part by part,
/// each a note (the last resort, in `fallback`).
pub fn pipeline<T: Send>(
    path: &Path,
    version: &str,
    finish: impl FnOnce(&Api, &Emitted) -> T + Send,
) -> Result<T, Error> {
    let run = || -> Result<T, Error> {
        let normalized = normalize(load(path)?)?;
        let (api, emitted) = fallback::emit_giving_up_parts(normalized, path, version)?;
        Ok(finish(&api, &emitted))
    };
    std::thread::scope(|scope| {
        match std::thread::Builder::new()
            .name("generator".into())
            .stack_size(STACK_BYTES)
            .spawn_scoped(scope, run)
        {
            Ok(handle) => handle
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(error) => Err(InternalError {
                file: path.to_path_buf(),
                operation: None,
                culprit: Culprit::Generator,
                message: format!("cannot start the thread the stages run on: {error}"),
            }
            .into()),
        }
    })
}
