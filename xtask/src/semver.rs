//! Crate versions (`clients/versions.toml`), the committed side of each API
//! diff (specs read from git), the report, and the changelog.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use generator::semver::{Class, Report, Surface, Version};
use toml_edit::{DocumentMut, value};

use crate::sync::{SyncError, io};

/// Where each crate's version is kept, relative to the root.
pub const VERSIONS: &str = "clients/versions.toml";

const VERSIONS_HEADER: &str = "\
# Each client crate's version, by vendor. `cargo xtask generate` reads it into
# clients/<vendor>/Cargo.toml and bumps it when a spec edit changes the crate's
# API (README: \"What a spec edit breaks\"); `cargo xtask check` fails when a
# change is not matched by a bump. Bump by hand only to release a 1.0.
";

/// Every crate's version, by vendor.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Versions(pub BTreeMap<String, Version>);

impl Versions {
    /// Parses `versions.toml` text; `file` names it in errors.
    pub fn parse(text: &str, file: &str) -> Result<Versions, SyncError> {
        let bad = |message: String| SyncError::Versions(format!("{file}: {message}"));
        let document: DocumentMut = text.parse().map_err(|e| bad(format!("{e}")))?;
        let mut versions = BTreeMap::new();
        for (vendor, item) in document.iter() {
            let text = item
                .as_str()
                .ok_or_else(|| bad(format!("`{vendor}` is not a string such as \"0.1.0\"")))?;
            let version = text.parse().map_err(|e| bad(format!("`{vendor}`: {e}")))?;
            versions.insert(vendor.to_string(), version);
        }
        Ok(Versions(versions))
    }

    /// Reads `clients/versions.toml` under `root`; none yet is no versions.
    pub fn read(root: &Path) -> Result<Versions, SyncError> {
        let path = root.join(VERSIONS);
        match fs::read_to_string(&path) {
            Ok(text) => Versions::parse(&text, VERSIONS),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Versions::default()),
            Err(e) => Err(io(&path)(e)),
        }
    }

    /// The version of `vendor`'s crate (0.1.0 before it has one).
    pub fn of(&self, vendor: &str) -> Version {
        self.0.get(vendor).copied().unwrap_or(Version::INITIAL)
    }

    /// The file's text.
    pub fn render(&self) -> String {
        let mut document = DocumentMut::new();
        for (vendor, version) in &self.0 {
            document.insert(vendor, value(version.to_string()));
        }
        format!("{VERSIONS_HEADER}\n{document}")
    }
}

/// Runs git in the current directory; `None` when it fails.
fn git(args: &[&str]) -> Option<String> {
    let output = Command::new("git").args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}

/// The commit `rev` names, if this is a git checkout that has it.
pub fn resolve(rev: &str) -> Option<String> {
    git(&[
        "rev-parse",
        "--verify",
        "--quiet",
        &format!("{rev}^{{commit}}"),
    ])
    .map(|s| s.trim().to_string())
}

/// `git merge-base HEAD main` (or `origin/main`, as in a fresh clone of a
/// branch), else `HEAD`; `None` outside a git checkout.
pub fn merge_base() -> Option<String> {
    ["main", "origin/main"]
        .iter()
        .find_map(|main| git(&["merge-base", "HEAD", main]))
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .or_else(|| resolve("HEAD"))
}

/// A file's text at `commit` (path relative to the current directory).
fn show(commit: &str, path: &Path) -> Option<String> {
    let path = path.to_string_lossy().replace('\\', "/");
    git(&["show", &format!("{commit}:./{path}")])
}

/// The versions at `commit` (none recorded there: every crate at 0.1.0).
pub fn versions_at(commit: &str) -> Result<Versions, SyncError> {
    match show(commit, Path::new(VERSIONS)) {
        Some(text) => Versions::parse(&text, &format!("{commit}:{VERSIONS}")),
        None => Ok(Versions::default()),
    }
}

/// The committed side of one crate's diff.
pub enum Committed {
    /// The spec did not exist at that commit: the crate is new.
    New,
    /// Every file of the spec is byte for byte the same: nothing changed.
    Same,
    /// The surface the current generator gives the committed spec.
    Surface(Box<Surface>),
    /// The committed spec no longer generates (the message says why).
    Unreadable(String),
}

/// The text of every file of a spec, by path relative to its folder (a
/// spec that is one file: its file name), so that a change in any file a
/// folder spec holds is a change of the spec.
pub type SpecFiles = BTreeMap<PathBuf, String>;

/// The files of `spec` (relative to `root`) in the working tree.
pub fn spec_files(root: &Path, spec: &Path) -> Result<SpecFiles, SyncError> {
    let path = root.join(spec);
    let mut files = SpecFiles::new();
    if !path.is_dir() {
        let text = fs::read_to_string(&path).map_err(io(&path))?;
        files.insert(spec.file_name().unwrap_or_default().into(), text);
        return Ok(files);
    }
    let mut pending = vec![path.clone()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).map_err(io(&dir))? {
            let file = entry.map_err(io(&dir))?.path();
            if file.is_dir() {
                pending.push(file);
                continue;
            }
            let bytes = fs::read(&file).map_err(io(&file))?;
            let relative = file.strip_prefix(&path).unwrap_or(&file).to_path_buf();
            files.insert(relative, String::from_utf8_lossy(&bytes).into_owned());
        }
    }
    Ok(files)
}

/// The files of `spec` at `commit`, by the same keys as [`spec_files`];
/// `None` when the spec did not exist there.
fn spec_files_at(commit: &str, spec: &Path) -> Option<SpecFiles> {
    let spec_name = spec.to_string_lossy().replace('\\', "/");
    let listing = git(&[
        "ls-tree",
        "-r",
        "--name-only",
        commit,
        "--",
        &format!("./{spec_name}"),
    ])?;
    let mut files = SpecFiles::new();
    for name in listing.lines().filter(|name| !name.is_empty()) {
        let key = match name.strip_prefix(&format!("{spec_name}/")) {
            Some(relative) => PathBuf::from(relative),
            None => PathBuf::from(spec.file_name().unwrap_or_default()),
        };
        files.insert(key, show(commit, Path::new(name))?);
    }
    (!files.is_empty()).then_some(files)
}

/// The surface of `spec` (relative to the root) as committed at `commit`,
/// generated in memory by this generator; `current` is its files now.
pub fn committed(commit: &str, spec: &Path, current: &SpecFiles) -> Committed {
    let Some(files) = spec_files_at(commit, spec) else {
        return Committed::New;
    };
    if files == *current {
        return Committed::Same;
    }
    // The generator names the vendor by the file stem or folder name: keep it.
    let name = spec.file_name().unwrap_or_default();
    let generated = tempfile::tempdir()
        .map_err(|e| e.to_string())
        .and_then(|dir| {
            let path = dir.path().join(name);
            let is_folder = files.keys().any(|key| key.as_os_str() != name);
            let base = if is_folder {
                path.clone()
            } else {
                dir.path().to_path_buf()
            };
            for (relative, text) in &files {
                let file = base.join(relative);
                if let Some(parent) = file.parent() {
                    fs::create_dir_all(parent).map_err(|e| e.to_string())?;
                }
                fs::write(&file, text).map_err(|e| e.to_string())?;
            }
            generator::semver::surface(&path).map_err(|e| e.to_string())
        });
    match generated {
        Ok(surface) => Committed::Surface(Box::new(surface)),
        Err(message) => Committed::Unreadable(message),
    }
}

/// One crate's classified change against a commit, and what its version must be.
pub struct Assessment {
    /// The crate name.
    pub name: String,
    /// The spec, relative to the root.
    pub spec: String,
    /// The changes.
    pub report: Report,
    /// The version at the commit compared against.
    pub base: Version,
    /// The least version the change asks for.
    pub required: Version,
}

impl Assessment {
    /// Classifies `surface` against the committed side.
    pub fn new(
        name: &str,
        spec: &Path,
        committed: &Committed,
        surface: &Surface,
        base: Version,
    ) -> Assessment {
        let report = match committed {
            Committed::Surface(old) => generator::semver::diff(old, surface),
            Committed::New | Committed::Same | Committed::Unreadable(_) => Report {
                class: Class::None,
                changes: Vec::new(),
            },
        };
        Assessment {
            name: name.to_string(),
            spec: spec.to_string_lossy().replace('\\', "/"),
            required: base.bump(report.class),
            report,
            base,
        }
    }

    /// `synapse-client: breaking, 0.1.0 → 0.2.0` and one line per change.
    pub fn lines(&self, version: Version) -> Vec<String> {
        let mut lines = vec![format!(
            "{}: {}, {} → {version}",
            self.name, self.report.class, self.base
        )];
        lines.extend(
            self.report
                .changes
                .iter()
                .map(|c| format!("  {}", self.line(c))),
        );
        lines
    }

    fn line(&self, change: &generator::semver::Change) -> String {
        let mut line = format!("{:<8} {}", change.kind, change.path);
        if let Some(detail) = &change.detail {
            line.push_str(&format!(": {detail}"));
        }
        if let Some(place) = &change.place {
            line.push_str(&format!("  ({}:{place})", self.spec));
        }
        if change.class == Class::WireBreaking {
            line.push_str("  [wire-breaking]");
        }
        line
    }

    /// `CHANGELOG.md` with this change's entry for `version` (replacing an
    /// entry for the same version, so regenerating twice writes it once).
    pub fn changelog(&self, existing: Option<&str>, version: Version) -> String {
        let title = format!("# Changelog of {}", self.name);
        let intro = format!(
            "Written by `cargo xtask generate` from what each edit of `{}` changed in the\n\
             crate's API (README: \"What a spec edit breaks\"). Do not edit by hand.",
            self.spec
        );
        let heading = format!("## {version}");
        let mut entry = format!("{heading} ({})\n\n", self.report.class);
        for change in &self.report.changes {
            entry.push_str(&format!("- {}\n", self.line(change)));
        }
        // Older entries: every `## ` section of the existing file but this version's.
        let mut older = String::new();
        let mut keep = false;
        for line in existing.unwrap_or_default().lines() {
            if line.starts_with("## ") {
                keep = !(line == heading || line.starts_with(&format!("{heading} ")));
            }
            if keep {
                older.push_str(line);
                older.push('\n');
            }
        }
        let mut text = format!("{title}\n\n{intro}\n\n{entry}");
        if !older.is_empty() {
            text.push('\n');
            text.push_str(older.trim_end());
            text.push('\n');
        }
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_round_trip_and_refuse_non_versions() {
        let versions = Versions::parse("a = \"0.2.0\"\nb = \"1.0.3\"\n", "v.toml").expect("parses");
        assert_eq!(versions.of("a").to_string(), "0.2.0");
        assert_eq!(versions.of("missing"), Version::INITIAL);
        assert_eq!(
            Versions::parse(&versions.render(), "v.toml").expect("parses"),
            versions
        );
        assert!(Versions::parse("a = \"latest\"\n", "v.toml").is_err());
        assert!(Versions::parse("a = 1\n", "v.toml").is_err());
    }

    #[test]
    fn a_changelog_entry_replaces_the_same_versions_and_keeps_older_ones() {
        let assessment = Assessment {
            name: "acme-client".into(),
            spec: "specs/acme.yaml".into(),
            report: Report {
                class: Class::Additive,
                changes: vec![generator::semver::Change {
                    class: Class::Additive,
                    kind: "added",
                    path: "Client::list".into(),
                    place: Some("#/paths/~1list/get".into()),
                    detail: None,
                }],
            },
            base: Version::INITIAL,
            required: "0.1.1".parse().expect("a version"),
        };
        let first = assessment.changelog(
            Some("# x\n\n## 0.1.0 (breaking)\n\n- old\n"),
            assessment.required,
        );
        let again = assessment.changelog(Some(&first), assessment.required);
        assert_eq!(first, again);
        assert!(first.contains(
            "## 0.1.1 (additive)\n\n- added    Client::list  (specs/acme.yaml:#/paths/~1list/get)\n"
        ));
        assert!(first.ends_with("## 0.1.0 (breaking)\n\n- old\n"), "{first}");
    }
}
