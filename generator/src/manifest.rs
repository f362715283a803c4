//! The client crate's `Cargo.toml`. Versions come from the workspace's one
//! `[workspace.dependencies]` table; only the crates the code uses are listed.

use std::fmt::Write;

pub(crate) struct Needs {
    pub base64: bool,
    pub chrono: bool,
    pub regress: bool,
    pub uuid: bool,
}

pub(crate) fn manifest(header: &str, crate_name: &str, description: &str, needs: &Needs) -> String {
    let mut out = String::new();
    for line in header.lines() {
        let _ = writeln!(out, "# {line}");
    }
    let optional = [
        ("base64", needs.base64),
        ("chrono", needs.chrono),
        ("regress", needs.regress),
        ("uuid", needs.uuid),
    ];
    let mut dependencies: Vec<&str> = [
        "client-runtime",
        "progenitor-client",
        "reqwest",
        "serde",
        "serde_json",
        "thiserror",
    ]
    .into();
    dependencies.extend(
        optional
            .iter()
            .filter(|(_, needed)| *needed)
            .map(|(name, _)| *name),
    );
    dependencies.sort_unstable();
    let description = description.replace('\\', "\\\\").replace('"', "\\\"");
    let _ = write!(
        out,
        "\n[package]\nname = \"{crate_name}\"\ndescription = \"{description}\"\n\
         version.workspace = true\nedition.workspace = true\nrust-version.workspace = true\n\
         license.workspace = true\npublish.workspace = true\n\n[dependencies]\n"
    );
    for dependency in dependencies {
        let _ = writeln!(out, "{dependency}.workspace = true");
    }
    out.push_str(
        "\n[dev-dependencies]\nclient-test-support.workspace = true\ntokio.workspace = true\nwiremock.workspace = true\n",
    );
    out
}
