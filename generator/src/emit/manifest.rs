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
    let name = names::crate_name(&api.vendor);
    package.insert(
        "description",
        value(format!(
            "Typed async client for {}",
            api.title.split_whitespace().collect::<Vec<_>>().join(" "),
        )),
    );
    package.insert("version", value(version));
    // Where and whether it is published, and its repository, are the
    // workspace's settings (root `Cargo.toml`, `[workspace.package]`).
    for key in [
        "edition",
        "rust-version",
        "license",
        "publish",
        "repository",
    ] {
        package.insert(key, inherited());
    }
    package.insert("documentation", value(format!("https://docs.rs/{name}")));
    package.insert("readme", value("README.md"));
    package.insert(
        "keywords",
        value(toml_edit::Array::from_iter([
            "api", "client", "openapi", "http",
        ])),
    );
    package.insert(
        "categories",
        value(toml_edit::Array::from_iter([
            "api-bindings",
            "web-programming::http-client",
        ])),
    );

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
    manifest.insert("package", Item::Table(with_docs_rs(package)));
    manifest.insert("dependencies", dependencies);
    // The example programs print the client's traces (`RUST_LOG`).
    let mut dev = section(&["client-test-support", "tokio", "tracing-subscriber"]);
    if let Item::Table(dev) = &mut dev {
        dev.insert(&name, itself_with_mocks());
    }
    manifest.insert("dev-dependencies", dev);
    let mut features = Table::new();
    for (feature, enables, comment) in [
        ("default", "tls-ring", ""),
        (
            "mock",
            "client-runtime/mock",
            "# Typed mocks of the operations (`mock` module), for downstream tests.\n",
        ),
        (
            "tls-ring",
            "client-runtime/tls-ring",
            "# rustls's crypto provider: `ring` (the default; fast to build, no CMake)\n\
             # or `aws-lc-rs` (FIPS, post-quantum key exchange; turn the default off).\n",
        ),
        ("tls-aws-lc-rs", "client-runtime/tls-aws-lc-rs", ""),
    ] {
        features.insert(feature, value(toml_edit::Array::from_iter([enables])));
        if let Some(mut key) = features.key_mut(feature) {
            key.leaf_decor_mut().set_prefix(comment);
        }
    }
    manifest.insert("features", Item::Table(features));
    manifest.insert("lints", docsrs_cfg());
    manifest
}

/// `[package.metadata.docs.rs]`: docs.rs documents every feature (so the
/// `mock` module shows, marked as needing its feature) with `--cfg docsrs`.
fn with_docs_rs(mut package: Table) -> Table {
    let mut docs_rs = Table::new();
    docs_rs.insert("all-features", value(true));
    docs_rs.insert(
        "rustdoc-args",
        value(toml_edit::Array::from_iter(["--cfg", "docsrs"])),
    );
    let mut metadata = Table::new();
    metadata.set_implicit(true);
    metadata.insert("docs", {
        let mut docs = Table::new();
        docs.set_implicit(true);
        docs.insert("rs", Item::Table(docs_rs));
        Item::Table(docs)
    });
    package.insert("metadata", Item::Table(metadata));
    package
}

/// The crate itself with `mock`, as a dev-dependency: its doc tests (the
/// crate page's quick start among them) run against its own typed mocks
/// under a plain `cargo test`. Cargo leaves a path dev-dependency without
/// a version out of the published manifest.
fn itself_with_mocks() -> Item {
    let mut table = toml_edit::InlineTable::new();
    table.insert("path", ".".into());
    table.insert("features", toml_edit::Array::from_iter(["mock"]).into());
    Item::Value(table.into())
}

/// `[lints.rust]`: `docsrs` is a cfg docs.rs sets (see [`with_docs_rs`]).
fn docsrs_cfg() -> Item {
    let mut unexpected = toml_edit::InlineTable::new();
    unexpected.insert("level", "warn".into());
    unexpected.insert(
        "check-cfg",
        toml_edit::Array::from_iter(["cfg(docsrs)"]).into(),
    );
    let mut rust = Table::new();
    rust.insert("unexpected_cfgs", Item::Value(unexpected.into()));
    let mut lints = Table::new();
    lints.set_implicit(true);
    lints.insert("rust", Item::Table(rust));
    Item::Table(lints)
}
