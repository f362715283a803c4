//! Small specs written to a temp dir and run through the generator, for the
//! tests that check one behaviour on a spec of their own.

#![allow(dead_code, reason = "each test file uses the part it needs")]

use std::path::Path;

use generator::{Api, ClientCrate};

/// Writes `text` as `name` in a temp dir and runs `f` on its path.
pub fn with_spec<T>(name: &str, text: &str, f: impl FnOnce(&Path) -> T) -> T {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write the spec");
    f(&path)
}

/// The model of the spec `text`, saved as `name`.
pub fn api(name: &str, text: &str) -> Api {
    with_spec(name, text, |path| {
        let loaded = generator::load(path).expect("loads");
        let normalized = generator::normalize(loaded).expect("normalizes");
        generator::model(generator::validate(normalized).expect("validates"))
    })
}

/// The crate generated from the spec `text`, saved as `name`.
pub fn generate(name: &str, text: &str) -> ClientCrate {
    with_spec(name, text, |path| {
        generator::generate(path).unwrap_or_else(|e| panic!("{name} generates: {e}"))
    })
}

/// The generated file at `path` in `krate`.
pub fn file<'a>(krate: &'a ClientCrate, path: &str) -> &'a str {
    &krate
        .files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("no generated {path}"))
        .contents
}

/// Whether `code` contains `needle`, whitespace and trailing commas aside
/// (prettyplease breaks long lines).
pub fn has_code(code: &str, needle: &str) -> bool {
    let squash = |s: &str| {
        s.split_whitespace()
            .collect::<String>()
            .replace(",>", ">")
            .replace(",)", ")")
            .replace(",}", "}")
            .replace(",]", "]")
    };
    squash(code).contains(&squash(needle))
}
