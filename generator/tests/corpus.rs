//! Every public spec of `../shared/corpus/` (beside the checkout; CI has it
//! there) generates: what progenitor cannot take is adapted and noted, not
//! refused. `cargo xtask corpus` then compiles, lints, documents and tests
//! the crates; this test is the quick half that needs no build.

use std::path::{Path, PathBuf};

fn corpus() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../shared/corpus");
    let entries = std::fs::read_dir(&dir).unwrap_or_else(|e| {
        panic!(
            "{}: {e}; the corpus lives in shared/corpus beside the checkout",
            dir.display()
        )
    });
    let mut specs: Vec<PathBuf> = entries
        .map(|entry| entry.expect("a directory entry").path())
        .filter(|path| {
            path.extension()
                .is_some_and(|e| e == "yaml" || e == "yml" || e == "json")
        })
        .collect();
    specs.sort();
    assert!(!specs.is_empty(), "no specs in {}", dir.display());
    specs
}

fn generate(path: &Path) -> generator::ClientCrate {
    generator::generate(path).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_corpus_spec_generates() {
    let refused: Vec<String> = corpus()
        .iter()
        .filter_map(|path| generator::generate(path).err().map(|e| e.to_string()))
        .collect();
    assert!(refused.is_empty(), "refused:\n{}", refused.join("\n"));
}

fn spec(name: &str) -> PathBuf {
    corpus()
        .into_iter()
        .find(|p| p.file_name().is_some_and(|n| n == name))
        .unwrap_or_else(|| panic!("{name} is in the corpus"))
}

fn file<'a>(krate: &'a generator::ClientCrate, path: &str) -> &'a str {
    &krate
        .files
        .iter()
        .find(|f| f.path == Path::new(path))
        .unwrap_or_else(|| panic!("{path}"))
        .contents
}

#[test]
fn adaptations_are_noted_where_they_happen() {
    for (name, crate_name, location, message) in [
        (
            "oai-petstore.yaml",
            "oai-petstore-client",
            "#/paths/~1pets/get/responses/default",
            "read as the error responses `4XX` and `5XX`",
        ),
        (
            "oai-callback-example.yaml",
            "oai-callback-example-client",
            "#/paths/~1streams/post",
            "it is named `post-streams`",
        ),
        (
            "elasticpath-files.yaml",
            "elasticpath-files-client",
            "#/openapi",
            "OpenAPI 3.1.0 is read as 3.0.3",
        ),
        (
            "elasticpath-files.yaml",
            "elasticpath-files-client",
            "#/paths/~1v2~1files/post/requestBody/content/multipart~1form-data",
            "is the typed `types::CreateAFileBody`",
        ),
        (
            "elasticpath-account-addresses.yaml",
            "elasticpath-account-addresses-client",
            "#/paths/~1v2~1accounts~1{accountID}~1addresses/get/responses/404",
            "does not point into `components/responses`",
        ),
    ] {
        let krate = generate(&spec(name));
        assert_eq!(krate.name, crate_name);
        assert!(
            krate
                .notes
                .iter()
                .any(|n| n.location.to_string() == location && n.message.contains(message)),
            "{name}: no note `{message}` at {location}: {:#?}",
            krate.notes
        );
    }
}

/// Dropshot pagination streams need `futures`; websocket upgrades `base64`
/// and `rand`; multipart bodies reqwest's `multipart`.
#[test]
fn manifests_list_what_progenitors_code_needs() {
    let nexus = generate(&spec("progenitor-nexus.json"));
    let manifest = file(&nexus, "Cargo.toml");
    for dependency in ["futures", "base64", "rand"] {
        assert!(
            manifest.contains(&format!("{dependency}.workspace = true")),
            "{manifest}"
        );
    }
    let files = generate(&spec("elasticpath-files.yaml"));
    assert!(file(&files, "Cargo.toml").contains("reqwest.features = [\"multipart\"]"));
}
