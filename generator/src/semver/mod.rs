//! What a spec edit breaks: the public Rust API of a generated crate as data
//! ([`Surface`], read from the emitted syntax tree, no compiling), a
//! structural diff of two surfaces classified by the Cargo SemVer reference's
//! rules, the wire-level changes the Rust API does not show (diffed on the
//! documents progenitor is given), and the version bump each class asks for.
//!
//! ```no_run
//! use std::path::Path;
//! let old = generator::semver::surface(Path::new("old/specs/acme.yaml"))?;
//! let (_, new) = generator::semver::generate(Path::new("specs/acme.yaml"), "0.1.0")?;
//! let report = generator::semver::diff(&old, &new);
//! println!("{}", report.class);
//! # Ok::<(), generator::Error>(())
//! ```

mod diff;
mod surface;
mod version;
mod wire;

use std::path::Path;

pub use diff::{Change, Class, Report, diff};
pub use surface::Surface;
pub use version::{Version, VersionError};

use crate::{ClientCrate, Error, pipeline, render};

/// Generates the crate for the spec at `path` as version `version`, and its
/// public surface (read from the same syntax tree, before formatting).
pub fn generate(path: &Path, version: &str) -> Result<(ClientCrate, Surface), Error> {
    pipeline(path, version, |api, emitted| {
        (render(api, emitted), Surface::new(api, &emitted.lib))
    })
}

/// The public surface of the crate the spec at `path` generates, without
/// formatting any file (for the old side of a diff).
pub fn surface(path: &Path) -> Result<Surface, Error> {
    pipeline(path, &Version::INITIAL.to_string(), |api, emitted| {
        Surface::new(api, &emitted.lib)
    })
}
