//! `cargo xtask fuzz`: hostile specs ([`cases`]) through the generator, each
//! in a child process with a time limit so that an abort or a stall is seen
//! as one; then a sample of the crates that were generated is built and its
//! doc tests run, to show that no spec text ran as code.
//!
//! Every case must end as generated or refused with a spec error: an abort
//! (a signal, such as a stack overflow), a panic, a time-out or an internal
//! error fails the run. In the sample, the only doc tests may be the
//! generator's own (the crate page's quick start and the `mock` module's);
//! any other doc test is spec text that ran.

mod cases;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;
use std::process::{Child, Command, ExitCode, Stdio};
use std::time::{Duration, Instant};

use crate::sync::{self, SyncError, io};

/// Exit status of `fuzz-case` for a spec the generator refused.
const REFUSED: u8 = 2;
/// Exit status of `fuzz-case` for an internal error.
const INTERNAL: u8 = 3;

/// What `cargo xtask fuzz` was asked to do.
pub struct Options {
    /// Seed of the random texts.
    pub seed: u64,
    /// How many specs of random texts.
    pub random: usize,
    /// Longest time one case may take.
    pub timeout: Duration,
    /// Generate only: no build of the sample.
    pub generate_only: bool,
}

/// How one case ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Outcome {
    Generated,
    Refused,
    Internal,
    Panicked,
    Aborted,
    TimedOut,
}

impl Outcome {
    fn is_failure(self) -> bool {
        !matches!(self, Outcome::Generated | Outcome::Refused)
    }
}

/// `cargo xtask fuzz-case SPEC`: generates one spec in memory; exit 0 when a
/// crate comes out, [`REFUSED`] or [`INTERNAL`] with the error on stderr.
pub fn case(spec: &Path) -> ExitCode {
    match generator::generate(spec) {
        Ok(krate) => {
            println!("{} files, {} notes", krate.files.len(), krate.notes.len());
            ExitCode::SUCCESS
        }
        Err(error @ generator::Error::Spec(_)) => {
            eprintln!("{error}");
            ExitCode::from(REFUSED)
        }
        Err(error @ generator::Error::Internal(_)) => {
            eprintln!("{error}");
            ExitCode::from(INTERNAL)
        }
    }
}

/// Runs every case, then builds and doc-tests the sample; exit 1 on any failure.
pub fn fuzz(root: &Path, options: &Options) -> Result<ExitCode, SyncError> {
    let started = Instant::now();
    let absolute_root = std::env::current_dir()
        .map_err(io(Path::new(".")))?
        .join(root);
    let target = crate::corpus::target_dir(&absolute_root).join("fuzz");
    let cases_dir = target.join("cases");
    if cases_dir.exists() {
        fs::remove_dir_all(&cases_dir).map_err(io(&cases_dir))?;
    }
    fs::create_dir_all(&cases_dir).map_err(io(&cases_dir))?;
    let cases = cases::all(options.seed, options.random);
    for case in &cases {
        let path = cases_dir.join(&case.file);
        fs::write(&path, &case.bytes).map_err(io(&path))?;
    }

    let program = std::env::current_exe().map_err(io(Path::new("xtask")))?;
    let outcomes = run_cases(&program, &cases_dir, &cases, options.timeout)?;
    let mut counts: BTreeMap<Outcome, usize> = BTreeMap::new();
    for (file, outcome, message) in &outcomes {
        *counts.entry(*outcome).or_default() += 1;
        if outcome.is_failure() {
            println!("FAILED {file}: {outcome:?}\n{message}");
        }
    }
    let failures: usize = counts
        .iter()
        .filter(|(o, _)| o.is_failure())
        .map(|(_, n)| n)
        .sum();
    println!(
        "fuzz: {} cases in {:.0} s: {}",
        outcomes.len(),
        started.elapsed().as_secs_f64(),
        counts
            .iter()
            .map(|(o, n)| format!("{n} {o:?}"))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if options.generate_only {
        return Ok(if failures == 0 {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        });
    }

    // The `time-` cases are about the generator's time; their crates (6,000
    // types) would only slow the sample.
    let generated: Vec<&cases::Case> = cases
        .iter()
        .zip(&outcomes)
        .filter(|(case, (_, outcome, _))| {
            *outcome == Outcome::Generated && !case.file.starts_with("time-")
        })
        .map(|(case, _)| case)
        .collect();
    let sample = doc_test_sample(&absolute_root, &target, &generated)?;
    println!(
        "fuzz: sample of {} crates: {} doc tests run, all the generator's own: {}; {} failed",
        sample.crates,
        sample.run,
        sample.foreign == 0,
        sample.failed
    );
    for name in &sample.foreign_names {
        println!("FAILED doc test from spec text: {name}");
    }
    Ok(
        if failures == 0 && sample.foreign == 0 && sample.failed == 0 && sample.broken.is_empty() {
            println!("fuzz passed ({:.0} s)", started.elapsed().as_secs_f64());
            ExitCode::SUCCESS
        } else {
            println!("fuzz FAILED");
            ExitCode::from(1)
        },
    )
}

/// Runs the cases, as many at once as there are cores.
fn run_cases(
    program: &Path,
    dir: &Path,
    cases: &[cases::Case],
    timeout: Duration,
) -> Result<Vec<(String, Outcome, String)>, SyncError> {
    let parallel = std::thread::available_parallelism().map_or(2, |n| n.get());
    let mut outcomes = Vec::with_capacity(cases.len());
    for chunk in cases.chunks(parallel) {
        let children: Vec<(String, Instant, Child)> = chunk
            .iter()
            .map(|case| {
                // A file, not a pipe: a child never blocks on a full pipe.
                let log = dir.join(format!("{}.stderr", case.file));
                let stderr = fs::File::create(&log).map_err(io(&log))?;
                let child = Command::new(program)
                    .arg("fuzz-case")
                    .arg(dir.join(&case.file))
                    .stdout(Stdio::null())
                    .stderr(stderr)
                    .spawn()
                    .map_err(io(program))?;
                Ok((case.file.clone(), Instant::now(), child))
            })
            .collect::<Result<_, SyncError>>()?;
        for (file, started, child) in children {
            let log = dir.join(format!("{file}.stderr"));
            let (outcome, elapsed) = wait(&file, started, child, timeout)?;
            let stderr = fs::read_to_string(&log).unwrap_or_default();
            let message: String = stderr.lines().take(4).collect::<Vec<_>>().join("\n");
            println!("  {outcome:?} {file} ({:.1} s)", elapsed.as_secs_f64());
            outcomes.push((file, outcome, message));
        }
    }
    Ok(outcomes)
}

/// Waits for one case, killing it at the time limit.
fn wait(
    file: &str,
    started: Instant,
    mut child: Child,
    timeout: Duration,
) -> Result<(Outcome, Duration), SyncError> {
    let status = loop {
        if let Some(status) = child.try_wait().map_err(io(Path::new(file)))? {
            break Some(status);
        }
        if started.elapsed() > timeout {
            let _ = child.kill();
            let _ = child.wait();
            break None;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let outcome = match status.map(|s| s.code()) {
        None => Outcome::TimedOut,
        Some(Some(0)) => Outcome::Generated,
        Some(Some(code)) if code == i32::from(REFUSED) => Outcome::Refused,
        Some(Some(code)) if code == i32::from(INTERNAL) => Outcome::Internal,
        Some(Some(101)) => Outcome::Panicked,
        Some(_) => Outcome::Aborted,
    };
    Ok((outcome, started.elapsed()))
}

/// What the sample's doc tests did.
struct Sample {
    crates: usize,
    /// The crates that do not compile.
    broken: Vec<String>,
    run: usize,
    failed: usize,
    foreign: usize,
    foreign_names: Vec<String>,
}

/// Generates the sample into a throwaway workspace (as `cargo xtask corpus`
/// does) and runs its doc tests with every feature on.
fn doc_test_sample(
    root: &Path,
    target: &Path,
    generated: &[&cases::Case],
) -> Result<Sample, SyncError> {
    let workspace = target.join("workspace");
    for sub in ["specs", "clients"] {
        let path = workspace.join(sub);
        if path.exists() {
            fs::remove_dir_all(&path).map_err(io(&path))?;
        }
    }
    let specs = workspace.join("specs");
    fs::create_dir_all(&specs).map_err(io(&specs))?;
    for case in generated {
        let path = specs.join(&case.file);
        fs::write(&path, &case.bytes).map_err(io(&path))?;
    }
    crate::corpus::write_workspace(root, &workspace)?;
    let back = std::env::current_dir().map_err(io(Path::new(".")))?;
    std::env::set_current_dir(&workspace).map_err(io(&workspace))?;
    let generated_ok = sync::generate(Path::new(""), &[], "HEAD", false);
    std::env::set_current_dir(&back).map_err(io(&back))?;
    if generated_ok? != ExitCode::SUCCESS {
        return Ok(Sample {
            crates: generated.len(),
            broken: vec!["(generate failed)".into()],
            run: 0,
            failed: 0,
            foreign: 0,
            foreign_names: Vec::new(),
        });
    }
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let build_dir = crate::corpus::build_dir(root);
    println!("==> fuzz: cargo build --workspace --all-features --keep-going");
    let checked = Command::new(&cargo)
        .args(["build", "--workspace", "--all-features", "--keep-going"])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", &build_dir)
        .output()
        .map_err(io(&workspace))?;
    let diagnostics = String::from_utf8_lossy(&checked.stderr);
    let broken: Vec<String> = diagnostics
        .lines()
        .filter(|l| l.starts_with("error") || l.starts_with("  -->"))
        .inspect(|l| println!("{l}"))
        .filter_map(|l| l.split("could not compile `").nth(1)?.split('`').next())
        .map(str::to_string)
        .collect();
    println!("==> fuzz: cargo test --workspace --all-features --doc");
    let mut command = Command::new(&cargo);
    command
        .args([
            "test",
            "--workspace",
            "--all-features",
            "--doc",
            "--no-fail-fast",
        ])
        .current_dir(&workspace)
        .env("CARGO_TARGET_DIR", &build_dir)
        .stderr(Stdio::inherit());
    for krate in &broken {
        command.args(["--exclude", krate]);
    }
    let output = command.output().map_err(io(&workspace))?;
    let stdout = String::from_utf8_lossy(&output.stdout);
    let mut sample = Sample {
        crates: generated.len(),
        broken,
        run: 0,
        failed: 0,
        foreign: 0,
        foreign_names: Vec::new(),
    };
    if let Some(at) = stdout.find("failures:") {
        println!("{}", &stdout[at..stdout.len().min(at + 4000)]);
    }
    for line in stdout.lines() {
        let Some(rest) = line.strip_prefix("test ") else {
            continue;
        };
        let Some((name, result)) = rest.rsplit_once(" ... ") else {
            continue;
        };
        sample.run += 1;
        if !result.starts_with("ok") {
            sample.failed += 1;
        }
        if !is_own_doc_test(name) {
            sample.foreign += 1;
            sample.foreign_names.push(name.to_string());
        }
    }
    Ok(sample)
}

/// The generator's own doc tests: the crate page's and the `mock` module's
/// (`clients/<crate>/src/lib.rs - mock (line 9)`).
fn is_own_doc_test(name: &str) -> bool {
    let Some((_, rest)) = name.split_once("src/lib.rs - ") else {
        return false;
    };
    rest.starts_with("(line ") || rest.starts_with("mock (line ")
}
