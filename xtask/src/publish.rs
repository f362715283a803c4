//! `cargo xtask publish [--dry-run]`: publishes every crate the workspace
//! marks publishable (`publish` not `false`: `client-runtime` and the client
//! crates, to the registry `[workspace.package] publish` names), in
//! dependency order, with one `cargo publish -p … -p …`.
//!
//! One invocation, not one per crate: cargo then packages them together
//! and, with `--dry-run`, verifies each packaged crate against the others
//! through a local registry overlay, so a client builds against the
//! `client-runtime` it would be published with, before any of them is on a
//! registry. (One `cargo publish --dry-run -p elasticpath-client` alone would
//! look for `client-runtime` on crates.io and fail.)

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::process::{Command, ExitCode};

use serde_json::Value;

/// Why the publishable crates could not be listed or published.
#[derive(Debug, thiserror::Error)]
pub enum PublishError {
    /// `cargo` could not be run.
    #[error("cannot run `cargo {command}`: {source}")]
    Cargo {
        command: &'static str,
        #[source]
        source: std::io::Error,
    },
    /// `cargo metadata` failed or printed something else than its JSON.
    #[error("`cargo metadata` failed: {0}")]
    Metadata(String),
    /// The publishable crates depend on each other in a circle.
    #[error("the publishable crates depend on each other in a cycle: {0}")]
    Cycle(String),
}

/// A publishable package and the publishable packages it depends on.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Package {
    name: String,
    needs: BTreeSet<String>,
}

/// Runs `cargo publish` (with `--dry-run` when asked) for every
/// publishable crate, from the workspace root (the current directory).
pub fn publish(dry_run: bool) -> Result<ExitCode, PublishError> {
    let packages = publishable(&metadata()?)?;
    let order = dependency_order(&packages)?;
    println!("publishing in dependency order: {}", order.join(", "));
    let mut command = Command::new(cargo());
    command.args(["publish", "--locked"]);
    if dry_run {
        command.arg("--dry-run");
    }
    for name in &order {
        command.args(["-p", name]);
    }
    let status = command.status().map_err(|source| PublishError::Cargo {
        command: "publish",
        source,
    })?;
    Ok(if status.success() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| "cargo".into(), PathBuf::from)
}

fn metadata() -> Result<Value, PublishError> {
    let out = Command::new(cargo())
        .args(["metadata", "--no-deps", "--format-version", "1", "--locked"])
        .output()
        .map_err(|source| PublishError::Cargo {
            command: "metadata",
            source,
        })?;
    if !out.status.success() {
        return Err(PublishError::Metadata(
            String::from_utf8_lossy(&out.stderr).trim().to_string(),
        ));
    }
    serde_json::from_slice(&out.stdout).map_err(|e| PublishError::Metadata(e.to_string()))
}

/// The workspace members cargo may publish (`publish` is `null`, any
/// registry, or a non-empty list), with their normal and build dependencies
/// among them (dev-dependencies are left out of a published manifest when
/// they have no version, so they do not order anything).
fn publishable(metadata: &Value) -> Result<Vec<Package>, PublishError> {
    let members = metadata["packages"]
        .as_array()
        .ok_or_else(|| PublishError::Metadata("no `packages` in its output".into()))?;
    let may_publish = |p: &&Value| match &p["publish"] {
        Value::Array(registries) => !registries.is_empty(),
        _ => true,
    };
    let names: BTreeSet<&str> = members
        .iter()
        .filter(may_publish)
        .filter_map(|p| p["name"].as_str())
        .collect();
    Ok(members
        .iter()
        .filter(may_publish)
        .filter_map(|p| {
            let name = p["name"].as_str()?;
            let needs = p["dependencies"]
                .as_array()
                .into_iter()
                .flatten()
                .filter(|d| d["kind"].as_str() != Some("dev"))
                .filter_map(|d| d["name"].as_str())
                .filter(|d| *d != name && names.contains(d))
                .map(str::to_string)
                .collect();
            Some(Package {
                name: name.to_string(),
                needs,
            })
        })
        .collect())
}

/// Each package after those it needs; ties by name.
fn dependency_order(packages: &[Package]) -> Result<Vec<String>, PublishError> {
    let mut done: Vec<String> = Vec::new();
    let mut left: Vec<&Package> = packages.iter().collect();
    left.sort_by(|a, b| a.name.cmp(&b.name));
    while !left.is_empty() {
        let Some(index) = left
            .iter()
            .position(|p| p.needs.iter().all(|n| done.contains(n)))
        else {
            let names: Vec<&str> = left.iter().map(|p| p.name.as_str()).collect();
            return Err(PublishError::Cycle(names.join(", ")));
        };
        done.push(left.remove(index).name.clone());
    }
    Ok(done)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn only_publishable_members_in_dependency_order() {
        let metadata = json!({"packages": [
            {"name": "alpha-client", "publish": null, "dependencies": [
                {"name": "client-runtime", "kind": null},
                {"name": "alpha-client", "kind": "dev"},
                {"name": "client-test-support", "kind": "dev"}
            ]},
            {"name": "client-test-support", "publish": [], "dependencies": [
                {"name": "client-runtime", "kind": null}
            ]},
            {"name": "client-runtime", "publish": ["crates-io"], "dependencies": [
                {"name": "reqwest", "kind": null}
            ]}
        ]});
        let packages = publishable(&metadata).expect("metadata");
        assert_eq!(
            dependency_order(&packages).expect("no cycle"),
            ["client-runtime", "alpha-client"]
        );
    }

    #[test]
    fn a_cycle_is_an_error_naming_the_crates() {
        let packages = [
            Package {
                name: "a".into(),
                needs: ["b".to_string()].into(),
            },
            Package {
                name: "b".into(),
                needs: ["a".to_string()].into(),
            },
        ];
        let error = dependency_order(&packages).expect_err("a cycle");
        assert_eq!(
            error.to_string(),
            "the publishable crates depend on each other in a cycle: a, b"
        );
    }
}
