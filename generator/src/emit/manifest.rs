//! The client crate's `Cargo.toml`, written with `toml_edit` (the crate
//! cargo edits manifests with). The crate's version is its own; dependency
//! versions come from the workspace's one `[workspace.dependencies]` table;
//! only the crates the code uses are listed.

use toml_edit::{DocumentMut, Item, Table, value};

use super::progenitor::Uses;
use crate::model::{Api, names};

/// `{ workspace = true }`, written as the dotted key `name.workspace = true`.
fn inherited() -> Item {
    let mut table = Table::new();
    table.set_dotted(true);
    table.insert("workspace", value(true));
    Item::Table(table)
}

fn section(keys: &[&str]) -> Item {
    let mut table = Table::new();
    for key in keys {
        table.insert(key, inherited());
    }
    Item::Table(table)
}

/// `version` is the crate's own (from `clients/versions.toml`); the rest of
/// the package keys come from the workspace.
pub(crate) fn manifest(api: &Api, uses: &Uses, version: &str) -> DocumentMut {
    let mut package = Table::new();
    package.insert("name", value(names::crate_name(&api.vendor)));
    package.insert(
        "description",
        value(format!(
            "Typed client for {} (generated from {})",
            api.title.split_whitespace().collect::<Vec<_>>().join(" "),
            api.spec_path
        )),
    );
    package.insert("version", value(version));
    for key in ["edition", "rust-version", "license", "publish"] {
        package.insert(key, inherited());
    }

    let mut dependencies = vec![
        "client-runtime",
        "progenitor-client",
        "reqwest",
        "serde",
        "serde_json",
    ];
    for (name, used) in [
        ("chrono", uses.chrono),
        ("regress", uses.regress),
        ("uuid", uses.uuid),
        ("futures", uses.futures),
        ("base64", uses.websockets),
        ("rand", uses.websockets),
    ] {
        if used {
            dependencies.push(name);
        }
    }
    dependencies.sort_unstable();

    let mut dependencies = section(&dependencies);
    let multipart = api.operations.iter().any(|o| o.multipart.is_some());
    if multipart && let Some(Item::Table(reqwest)) = dependencies.get_mut("reqwest") {
        // `reqwest::multipart`, for `multipart/form-data` bodies.
        reqwest.insert(
            "features",
            value(toml_edit::Array::from_iter(["multipart"])),
        );
    }

    let mut manifest = DocumentMut::new();
    manifest.insert("package", Item::Table(package));
    manifest.insert("dependencies", dependencies);
    // The example programs print the client's traces (`RUST_LOG`).
    manifest.insert(
        "dev-dependencies",
        section(&["client-test-support", "tokio", "tracing-subscriber"]),
    );
    let mut features = Table::new();
    features.insert(
        "mock",
        value(toml_edit::Array::from_iter(["client-runtime/mock"])),
    );
    if let Some(mut key) = features.key_mut("mock") {
        key.leaf_decor_mut()
            .set_prefix("# Typed mocks of the operations (`mock` module), for downstream tests.\n");
    }
    manifest.insert("features", Item::Table(features));
    manifest
}
