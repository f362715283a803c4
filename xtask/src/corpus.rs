//! `cargo xtask corpus`: every public spec of the corpus (by default
//! `../shared/corpus/`, beside the checkout) generated as a new user would
//! (copied into a workspace's `specs/`, then `generate`), and the crates
//! checked together as CI checks the project's own: clippy and rustdoc with
//! warnings denied, and their tests.
//!
//! The throwaway workspace is `<target>/corpus/workspace` (its `specs/` and
//! `clients/` rewritten each run) and builds into `<target>/corpus/target`,
//! one target directory for all its crates, kept between runs like any
//! build. It has this workspace's `[workspace.dependencies]` (path
//! dependencies made absolute) and a copy of its `Cargo.lock`, so the
//! crates build exactly what the project's clients build.

use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

use crate::sync::{self, SyncError};

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SyncError + '_ {
    move |source| SyncError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// What `cargo xtask corpus` was asked to do.
pub struct Options {
    /// The directory of specs (default `../shared/corpus`).
    pub dir: Option<PathBuf>,
    /// Generate only; do not build.
    pub generate_only: bool,
    /// File stems of specs to leave out.
    pub skip: Vec<String>,
}

/// Generates every corpus spec into the throwaway workspace, then runs
/// clippy, rustdoc and the tests on all its crates; exit 1 if any fails.
pub fn corpus(root: &Path, options: &Options) -> Result<ExitCode, SyncError> {
    let started = Instant::now();
    let absolute_root = std::env::current_dir()
        .map_err(io(Path::new(".")))?
        .join(root);
    let dir = options
        .dir
        .clone()
        .unwrap_or_else(|| absolute_root.join("../shared/corpus"));
    let workspace = target_dir(&absolute_root).join("corpus/workspace");

    for sub in ["specs", "clients"] {
        let path = workspace.join(sub);
        if path.exists() {
            fs::remove_dir_all(&path).map_err(io(&path))?;
        }
    }
    let specs_dir = workspace.join("specs");
    fs::create_dir_all(&specs_dir).map_err(io(&specs_dir))?;
    let mut copied = 0;
    for entry in fs::read_dir(&dir).map_err(io(&dir))? {
        let path = entry.map_err(io(&dir))?.path();
        let is_spec = path
            .extension()
            .and_then(|e| e.to_str())
            .is_some_and(|e| sync::SPEC_EXTENSIONS.contains(&e));
        let skipped = path
            .file_stem()
            .and_then(|s| s.to_str())
            .is_some_and(|stem| options.skip.iter().any(|s| s == stem));
        if let (true, false, Some(name)) = (is_spec, skipped, path.file_name()) {
            let to = specs_dir.join(name);
            let text = fs::read(&path).map_err(io(&path))?;
            fs::write(&to, text).map_err(io(&to))?;
            copied += 1;
        }
    }
    write_workspace(&absolute_root, &workspace)?;

    println!(
        "==> generating {copied} specs from {} into {}",
        dir.display(),
        workspace.display()
    );
    // Relative spec paths keep absolute ones out of the generated crates.
    std::env::set_current_dir(&workspace).map_err(io(&workspace))?;
    let generated = sync::generate(Path::new(""), &[], "HEAD", false)?;
    if generated != ExitCode::SUCCESS {
        return Ok(generated);
    }
    if options.generate_only {
        return Ok(ExitCode::SUCCESS);
    }

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let build_dir = build_dir(&absolute_root);
    let steps: [(&str, &[&str], Option<&str>); 3] = [
        (
            "clippy",
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--keep-going",
                "--",
                "-D",
                "warnings",
            ],
            None,
        ),
        (
            "doc",
            &["doc", "--workspace", "--no-deps", "--keep-going"],
            Some("-D warnings"),
        ),
        ("test", &["test", "--workspace", "--no-fail-fast"], None),
    ];
    let mut failed = Vec::new();
    for (name, args, rustdocflags) in steps {
        println!("==> corpus: cargo {}", args.join(" "));
        let step = Instant::now();
        let mut command = Command::new(&cargo);
        // No incremental state: the crates are rebuilt from scratch each run,
        // and a big API's dep-graph takes gigabytes of disk for nothing.
        command
            .args(args)
            .current_dir(&workspace)
            .env("CARGO_TARGET_DIR", &build_dir)
            .env("CARGO_INCREMENTAL", "0");
        if let Some(flags) = rustdocflags {
            command.env("RUSTDOCFLAGS", flags);
        }
        let status = command.status().map_err(io(&workspace))?;
        println!(
            "    {name}: {} in {:.0} s",
            if status.success() { "passed" } else { "FAILED" },
            step.elapsed().as_secs_f64()
        );
        if !status.success() {
            failed.push(name);
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    if failed.is_empty() {
        println!(
            "corpus: {copied} of {copied} specs give crates that pass clippy, rustdoc and their tests ({elapsed:.0} s)"
        );
        Ok(ExitCode::SUCCESS)
    } else {
        println!("corpus: {} failed ({elapsed:.0} s)", failed.join(", "));
        Ok(ExitCode::from(1))
    }
}

/// This workspace's target directory.
pub(crate) fn target_dir(root: &Path) -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .map(|t| root.join(t))
        .unwrap_or_else(|| root.join("target"))
}

/// The one target directory of every throwaway workspace (the corpus's and
/// the fuzz sample's), so that their dependencies build once.
pub(crate) fn build_dir(root: &Path) -> PathBuf {
    target_dir(root).join("corpus/target")
}

/// A throwaway workspace's manifest and lock file, made from this one's.
pub(crate) fn write_workspace(root: &Path, workspace: &Path) -> Result<(), SyncError> {
    write_manifest(root, workspace)?;
    let lock = root.join("Cargo.lock");
    fs::copy(&lock, workspace.join("Cargo.lock")).map_err(io(&lock))?;
    Ok(())
}

/// The workspace manifest: this one's, with `clients/*` as members and
/// path dependencies made absolute.
fn write_manifest(root: &Path, workspace: &Path) -> Result<(), SyncError> {
    let path = root.join("Cargo.toml");
    let text = fs::read_to_string(&path).map_err(io(&path))?;
    let invalid = |error: String| SyncError::Io {
        path: path.clone(),
        source: std::io::Error::new(std::io::ErrorKind::InvalidData, error),
    };
    let mut manifest: toml_edit::DocumentMut = text
        .parse()
        .map_err(|e: toml_edit::TomlError| invalid(e.to_string()))?;
    let table = manifest
        .get_mut("workspace")
        .and_then(toml_edit::Item::as_table_mut)
        .ok_or_else(|| invalid("no [workspace]".into()))?;
    table.insert(
        "members",
        toml_edit::value(toml_edit::Array::from_iter(["clients/*"])),
    );
    table.remove("metadata");
    let dependencies = table
        .get_mut("dependencies")
        .and_then(toml_edit::Item::as_table_like_mut)
        .ok_or_else(|| invalid("no [workspace.dependencies]".into()))?;
    for (_, dependency) in dependencies.iter_mut() {
        let Some(dependency) = dependency.as_table_like_mut() else {
            continue;
        };
        let absolute = dependency
            .get("path")
            .and_then(toml_edit::Item::as_str)
            .map(|relative| root.join(relative).display().to_string());
        if let Some(absolute) = absolute {
            dependency.insert("path", toml_edit::value(absolute));
        }
    }
    let to = workspace.join("Cargo.toml");
    fs::create_dir_all(workspace).map_err(io(workspace))?;
    fs::write(&to, manifest.to_string()).map_err(io(&to))
}
