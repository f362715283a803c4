//! Planning, writing and checking the generated files of every client crate.

use std::collections::BTreeSet;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use generator::semver::Surface;
use generator::{ClientCrate, GENERATED_MARKER};

use crate::semver::{
    Assessment, Committed, VERSIONS, Versions, committed, merge_base, resolve, spec_files,
    versions_at,
};

pub const SPEC_EXTENSIONS: [&str; 3] = ["yaml", "yml", "json"];

/// Why nothing was written.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    /// One or more specs were refused.
    #[error("{} spec(s) refused; nothing was written\n{}", .0.len(), one_per_line(.0))]
    Specs(Vec<generator::Error>),
    /// A named vendor has no spec.
    #[error(
        "no spec for vendor `{0}`: expected a spec in specs/ whose file stem or folder name is `{0}` or maps to it (run with no arguments for all)"
    )]
    UnknownVendor(String),
    /// `clients/versions.toml` is not a table of versions.
    #[error("{0}")]
    Versions(String),
    /// A generated file would replace a hand-written one.
    #[error(
        "{}: this file was written by hand (its first line has no `@generated` marker) and `generate` would replace it; rename it, or delete it if the generated one should take its place; nothing was written",
        .0.display()
    )]
    HandWritten(PathBuf),
    /// The tree could not be read or written.
    #[error("{}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

fn one_per_line(errors: &[generator::Error]) -> String {
    errors.iter().map(|e| format!("{e}\n")).collect()
}

pub(crate) fn io(path: &Path) -> impl FnOnce(std::io::Error) -> SyncError + '_ {
    move |source| SyncError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Every file `generate` would write, and every generated file that no
/// longer has a spec.
struct Plan {
    crates: Vec<Planned>,
    /// Generated files on disk that no spec produces any more.
    stale: Vec<PathBuf>,
}

/// One crate as the spec generates it now.
struct Planned {
    krate: ClientCrate,
    surface: Surface,
    /// The spec, relative to the root.
    spec: PathBuf,
}

/// The specs under `specs/`: each YAML or JSON file, and each folder (a
/// spec split over files, whose entry document the generator finds; see
/// README "Specs split over files").
fn spec_paths(root: &Path) -> Result<Vec<PathBuf>, SyncError> {
    let dir = root.join("specs");
    let mut paths = Vec::new();
    for entry in fs::read_dir(&dir).map_err(io(&dir))? {
        let path = entry.map_err(io(&dir))?.path();
        let is_folder = path.is_dir()
            && path
                .file_name()
                .is_some_and(|name| !name.to_string_lossy().starts_with('.'));
        if is_folder || has_spec_extension(&path) {
            paths.push(path.strip_prefix(root).unwrap_or(&path).to_path_buf());
        }
    }
    paths.sort();
    Ok(paths)
}

fn has_spec_extension(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| SPEC_EXTENSIONS.contains(&e))
}

/// The name a spec goes by: a file's stem, a folder's name.
fn stem(path: &Path) -> String {
    let name = if has_spec_extension(path) {
        path.file_stem()
    } else {
        path.file_name()
    };
    name.map(|s| s.to_string_lossy().into_owned())
        .unwrap_or_default()
}

/// The vendor (crate directory) a spec file or folder stands for, by
/// [`generator::model::names::vendor_from_stem`].
fn vendor(path: &Path) -> Option<String> {
    generator::model::names::vendor_from_stem(&stem(path))
}

/// The specs named by vendor, file stem or folder name (`api-github-com`
/// or `api.github.com` for `specs/api.github.com.json`), all when `only` is empty.
pub fn select_specs(root: &Path, only: &[String]) -> Result<Vec<PathBuf>, SyncError> {
    let specs = spec_paths(root)?;
    let named = |p: &PathBuf, name: &String| stem(p) == *name || vendor(p).as_ref() == Some(name);
    if let Some(unknown) = only.iter().find(|v| !specs.iter().any(|p| named(p, v))) {
        return Err(SyncError::UnknownVendor(unknown.clone()));
    }
    Ok(specs
        .into_iter()
        .filter(|p| only.is_empty() || only.iter().any(|v| named(p, v)))
        .collect())
}

/// `strict`: every spec refuses its degrades (see `ClientCrate::strict`);
/// otherwise only those listed in `[workspace.metadata.xtask] strict-specs`.
fn plan(
    root: &Path,
    only: &[String],
    versions: &Versions,
    strict: bool,
) -> Result<Plan, SyncError> {
    let specs = spec_paths(root)?;
    let selected = select_specs(root, only)?;
    let strict_specs = crate::lint::metadata_specs(root, "strict-specs")?;

    // Specs are independent: generate them on all cores, keeping spec order.
    let results: Vec<Result<(ClientCrate, Surface), generator::Error>> =
        std::thread::scope(|scope| {
            let handles: Vec<_> = selected
                .iter()
                .map(|path| {
                    let version = vendor(path)
                        .map_or(generator::semver::Version::INITIAL, |v| versions.of(&v));
                    scope.spawn(move || {
                        generator::semver::generate(&root.join(path), &version.to_string())
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|handle| {
                    handle
                        .join()
                        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
                })
                .collect()
        });
    let mut crates = Vec::new();
    let mut errors = Vec::new();
    for (result, spec) in results.into_iter().zip(&selected) {
        let is_strict = strict || strict_specs.contains(spec);
        let result = result.and_then(|(krate, surface)| {
            if is_strict {
                krate.strict().map_err(generator::Error::Spec)?;
            }
            Ok((krate, surface))
        });
        match result {
            Ok((krate, surface)) => crates.push(Planned {
                krate,
                surface,
                spec: (*spec).clone(),
            }),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(SyncError::Specs(errors));
    }

    let expected: BTreeSet<PathBuf> = crates
        .iter()
        .flat_map(|c| {
            c.krate
                .files
                .iter()
                .map(move |f| crate_dir(root, &c.krate.vendor).join(&f.path))
        })
        .collect();
    if let Some(hand_written) = expected.iter().find(|path| is_hand_written(path)) {
        return Err(SyncError::HandWritten(hand_written.clone()));
    }
    let vendors: BTreeSet<String> = specs.iter().filter_map(|p| vendor(p)).collect();
    let mut stale = Vec::new();
    let clients = root.join("clients");
    if clients.is_dir() {
        for entry in fs::read_dir(&clients).map_err(io(&clients))? {
            let dir = entry.map_err(io(&clients))?.path();
            let vendor = dir
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or_default()
                .to_string();
            let in_scope = only.is_empty() || only.contains(&vendor) || !vendors.contains(&vendor);
            if dir.is_dir() && in_scope {
                stale.extend(
                    generated_files(&dir)?
                        .into_iter()
                        .filter(|f| !expected.contains(f)),
                );
            }
        }
    }
    stale.sort();
    Ok(Plan { crates, stale })
}

fn crate_dir(root: &Path, vendor: &str) -> PathBuf {
    root.join("clients").join(vendor)
}

/// Whether the file at `path` starts with the generated marker; `None`
/// when it cannot be read (it does not exist). A file that is not text is
/// not generated.
fn is_generated(path: &Path) -> Option<bool> {
    let bytes = fs::read(path).ok()?;
    let first_line = bytes
        .split(|&byte| byte == b'\n')
        .next()
        .unwrap_or_default();
    Some(std::str::from_utf8(first_line).is_ok_and(|line| line.contains(GENERATED_MARKER)))
}

/// Whether `path` is a file written by hand.
fn is_hand_written(path: &Path) -> bool {
    is_generated(path) == Some(false)
}

/// Files under `dir` whose first line carries the generated marker.
fn generated_files(dir: &Path) -> Result<Vec<PathBuf>, SyncError> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in fs::read_dir(&dir).map_err(io(&dir))? {
            let path = entry.map_err(io(&dir))?.path();
            if path.is_dir() {
                pending.push(path);
            } else if is_generated(&path) == Some(true) {
                found.push(path);
            }
        }
    }
    Ok(found)
}

fn display(root: &Path, path: &Path) -> String {
    path.strip_prefix(root)
        .unwrap_or(path)
        .display()
        .to_string()
}

/// Writes every changed file atomically, after every spec has been generated
/// and every crate's change since `since` classified and its version bumped.
pub fn generate(
    root: &Path,
    only: &[String],
    since: &str,
    strict: bool,
) -> Result<ExitCode, SyncError> {
    let mut versions = Versions::read(root)?;
    let mut plan = plan(root, only, &versions, strict)?;
    let commit = resolve(since);
    if commit.is_none() {
        eprintln!("note: `{since}` is not a commit of a git checkout here: changes not classified");
    }
    let base_versions = commit
        .as_deref()
        .map(versions_at)
        .transpose()?
        .unwrap_or_default();
    let mut reports = Vec::new();
    for planned in &mut plan.crates {
        let vendor = planned.krate.vendor.clone();
        let current = versions.of(&vendor);
        versions.0.insert(vendor.clone(), current);
        let Some(commit) = commit.as_deref() else {
            continue;
        };
        let files = spec_files(root, &planned.spec)?;
        let committed = committed(commit, &planned.spec, &files);
        if let Committed::Unreadable(message) = &committed {
            println!(
                "  warning {}: the spec at {since} does not generate, so its change is not classified: {message}",
                planned.krate.name
            );
        }
        let base = match committed {
            Committed::New => current,
            _ => base_versions.of(&vendor),
        };
        let assessment = Assessment::new(
            &planned.krate.name,
            &planned.spec,
            &committed,
            &planned.surface,
            base,
        );
        if current < assessment.required {
            versions.0.insert(vendor.clone(), assessment.required);
            let version = assessment.required.to_string();
            let (krate, surface) = generator::semver::generate(&root.join(&planned.spec), &version)
                .map_err(|e| SyncError::Specs(vec![e]))?;
            planned.krate = krate;
            planned.surface = surface;
        }
        reports.push(assessment);
    }

    for planned in &plan.crates {
        let krate = &planned.krate;
        let dir = crate_dir(root, &krate.vendor);
        let existed = dir.join("Cargo.toml").exists();
        let mut changed = false;
        for file in &krate.files {
            let path = dir.join(&file.path);
            if fs::read_to_string(&path).ok().as_deref() != Some(file.contents.as_str()) {
                write_atomically(&path, &file.contents)?;
                changed = true;
            }
        }
        let status = match (existed, changed) {
            (false, _) => "created",
            (true, true) => "updated",
            (true, false) => "unchanged",
        };
        println!("{status:>9} {} ({})", krate.name, display(root, &dir));
        for note in &krate.notes {
            println!("     note {}:{note}", krate.spec);
        }
        if !krate.notes.is_empty() {
            let degraded = krate.notes.iter().filter(|n| n.is_degrade()).count();
            println!(
                "          {} note(s), {degraded} of them degraded (made untyped, not enforced or left out)",
                krate.notes.len()
            );
        }
    }
    let rendered = versions.render();
    let versions_path = root.join(VERSIONS);
    if fs::read_to_string(&versions_path).ok().as_deref() != Some(rendered.as_str()) {
        write_atomically(&versions_path, &rendered)?;
    }
    for assessment in reports
        .iter()
        .filter(|a| a.report.class != generator::semver::Class::None)
    {
        let vendor = plan
            .crates
            .iter()
            .find(|p| p.krate.name == assessment.name)
            .map(|p| p.krate.vendor.clone())
            .unwrap_or_default();
        let version = versions.of(&vendor);
        for line in assessment.lines(version) {
            println!("{line}");
        }
        let path = crate_dir(root, &vendor).join("CHANGELOG.md");
        let existing = fs::read_to_string(&path).ok();
        let text = assessment.changelog(existing.as_deref(), version);
        if existing.as_deref() != Some(text.as_str()) {
            write_atomically(&path, &text)?;
        }
    }
    for path in &plan.stale {
        fs::remove_file(path).map_err(io(path))?;
        println!(
            "  removed {} (no spec generates it any more)",
            display(root, path)
        );
        if let Some(dir) = path
            .parent()
            .filter(|d| fs::read_dir(d).is_ok_and(|mut e| e.next().is_none()))
        {
            fs::remove_dir(dir).map_err(io(dir))?;
        }
        if path.ends_with("Cargo.toml")
            && let Some(dir) = path.parent().filter(|d| d.exists())
        {
            println!(
                "     note {} keeps hand-written files but is no longer a crate: delete it or restore its spec",
                display(root, dir)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn write_atomically(path: &Path, contents: &str) -> Result<(), SyncError> {
    let dir = path.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(dir).map_err(io(dir))?;
    let mut temp = tempfile::NamedTempFile::new_in(dir).map_err(io(dir))?;
    temp.write_all(contents.as_bytes()).map_err(io(path))?;
    temp.persist(path).map_err(|e| SyncError::Io {
        path: path.to_path_buf(),
        source: e.error,
    })?;
    Ok(())
}

/// Prints a capped unified diff per drifted file, and the report of every
/// crate whose API changed since the merge base with `main` without the
/// version bump it asks for; exit 1 if either.
pub fn check(root: &Path, max_diff_lines: usize) -> Result<ExitCode, SyncError> {
    let versions = Versions::read(root)?;
    let plan = plan(root, &[], &versions, false)?;
    let mut drifted = 0;
    let mut files = 0;
    for krate in plan.crates.iter().map(|p| &p.krate) {
        let dir = crate_dir(root, &krate.vendor);
        for file in &krate.files {
            files += 1;
            let path = dir.join(&file.path);
            let name = display(root, &path);
            match fs::read_to_string(&path) {
                Ok(actual) if actual == file.contents => {}
                Ok(actual) => {
                    drifted += 1;
                    print_diff(&name, &actual, &file.contents, max_diff_lines);
                }
                Err(_) => {
                    drifted += 1;
                    println!("missing: {name}");
                }
            }
        }
    }
    for path in &plan.stale {
        drifted += 1;
        println!(
            "orphaned: {} (generated from a spec that is gone)",
            display(root, path)
        );
    }
    let unbumped = check_versions(root, &plan, &versions)?;
    if drifted == 0 && unbumped == 0 {
        println!(
            "in sync: {} crates, {files} generated files match specs/",
            plan.crates.len()
        );
        return Ok(ExitCode::SUCCESS);
    }
    if drifted > 0 {
        println!(
            "\n{drifted} generated file(s) out of sync with specs/; fix with: cargo xtask generate"
        );
    }
    Ok(ExitCode::from(1))
}

/// Prints the report of each crate whose API changed since the merge base
/// with `main`; returns how many lack the version bump it asks for.
fn check_versions(root: &Path, plan: &Plan, versions: &Versions) -> Result<usize, SyncError> {
    let Some(commit) = merge_base() else {
        eprintln!("note: not a git checkout: API changes not classified");
        return Ok(0);
    };
    let base_versions = versions_at(&commit)?;
    let mut unbumped = 0;
    for planned in &plan.crates {
        let vendor = &planned.krate.vendor;
        let files = spec_files(root, &planned.spec)?;
        let committed = committed(&commit, &planned.spec, &files);
        if let Committed::Unreadable(message) = &committed {
            println!(
                "warning: {}: the spec at the merge base {commit} does not generate, so its change is not classified: {message}",
                planned.krate.name
            );
        }
        let base = match committed {
            Committed::New => versions.of(vendor),
            _ => base_versions.of(vendor),
        };
        let assessment = Assessment::new(
            &planned.krate.name,
            &planned.spec,
            &committed,
            &planned.surface,
            base,
        );
        if assessment.report.class == generator::semver::Class::None {
            continue;
        }
        let current = versions.of(vendor);
        for line in assessment.lines(current.max(assessment.required)) {
            println!("{line}");
        }
        if current < assessment.required {
            unbumped += 1;
            println!(
                "error: {} is still {current} in {VERSIONS}; this change needs at least {}. Fix with: cargo xtask generate --since {commit}",
                planned.krate.name, assessment.required
            );
        }
    }
    Ok(unbumped)
}

fn print_diff(name: &str, actual: &str, expected: &str, max_lines: usize) {
    let diff = similar::TextDiff::from_lines(actual, expected);
    let text = diff
        .unified_diff()
        .context_radius(3)
        .header(
            &format!("a/{name} (on disk)"),
            &format!("b/{name} (from spec)"),
        )
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    for line in lines.iter().take(max_lines) {
        println!("{line}");
    }
    if lines.len() > max_lines {
        println!(
            "… {} more diff lines cut (see `--max-diff-lines`)",
            lines.len() - max_lines
        );
    }
}
