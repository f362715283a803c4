//! `cargo xtask prism`: every client's scenario requests checked by a
//! reader of the spec nobody here wrote. For each spec, Stoplight Prism
//! mocks the original spec file (`prism mock <spec> -h 127.0.0.1`, one
//! Prism per spec, on a free port), and the crate's `sends_the_spec_request`
//! scenarios run with `PRISM_URL` set to it: each sends its request through
//! the generated client to Prism too, which must accept it
//! (`client-test-support`'s `scenarios::prism` reads the verdict).
//!
//! Prism comes from `.ci/prism/install` (an exact version, under
//! `.ci/prism/node_modules`). With `--corpus` the crates are those of the
//! throwaway corpus workspace `cargo xtask corpus` wrote and built, and
//! the specs its copies of the corpus files.
//!
//! Prism runs without `--errors`: its verdict on a request is the same
//! either way (the `sl-violations` header, or a problem answer), but with
//! `--errors` a mocked answer that breaks the spec would be replaced by a
//! `500`, hiding the answer a note is about.

use std::collections::BTreeSet;
use std::fs;
use std::io;
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitCode, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::{corpus, sync};

/// Where `.ci/prism/install` puts Prism, from the workspace root.
const PRISM: &str = ".ci/prism/node_modules/.bin/prism";

/// Notes printed per crate; the report file holds them all.
const NOTES_SHOWN: usize = 8;

/// How long Prism may take to read a spec and listen.
const READY_WITHIN: Duration = Duration::from_secs(120);

/// The methods of an OpenAPI path item.
const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// Why the check could not run (a refused request is a verdict, exit 1).
#[derive(Debug, thiserror::Error)]
pub enum PrismError {
    /// Prism is not installed where the CI script puts it.
    #[error("{} not found: install Prism with `bash .ci/prism/install`", .0.display())]
    NotInstalled(PathBuf),
    /// `--corpus` without a corpus workspace.
    #[error("{}: no corpus workspace; run `cargo xtask corpus` first", .0.display())]
    NoCorpus(PathBuf),
    /// The specs could not be listed or read.
    #[error(transparent)]
    Sync(#[from] sync::SyncError),
    /// A spec did not load.
    #[error("{0}")]
    Spec(Box<generator::SpecError>),
    /// A process or file could not be used.
    #[error("{what}: {source}")]
    Io {
        what: String,
        #[source]
        source: io::Error,
    },
}

fn io(what: impl std::fmt::Display) -> impl FnOnce(io::Error) -> PrismError {
    move |source| PrismError::Io {
        what: what.to_string(),
        source,
    }
}

/// What `cargo xtask prism` was asked to check.
pub struct Options {
    /// The corpus workspace's crates instead of the vendors'.
    pub corpus: bool,
    /// Only these vendors (all when empty).
    pub vendors: Vec<String>,
}

/// Checks each crate's scenario requests with Prism; exit 1 when Prism
/// refuses one, or a crate's check could not run.
pub fn prism(root: &Path, options: &Options) -> Result<ExitCode, PrismError> {
    let started = Instant::now();
    let absolute_root = std::env::current_dir()
        .map_err(io("the current directory"))?
        .join(root);
    let prism = absolute_root.join(PRISM);
    if !prism.is_file() {
        return Err(PrismError::NotInstalled(prism));
    }
    let workspace = if options.corpus {
        let workspace = corpus::target_dir(&absolute_root).join("corpus/workspace");
        if !workspace.join("Cargo.toml").is_file() {
            return Err(PrismError::NoCorpus(workspace));
        }
        workspace
    } else {
        absolute_root.clone()
    };
    let logs = corpus::target_dir(&absolute_root).join("prism");
    fs::create_dir_all(&logs).map_err(io(logs.display()))?;

    let specs = sync::select_specs(&workspace, &options.vendors)?;
    println!(
        "==> prism: {} spec(s), each crate's scenario requests sent to Prism mocking the original spec",
        specs.len()
    );
    let mut totals = Tally::default();
    let crates = specs.len();
    let mut failed = Vec::new();
    for spec in specs {
        let subject = Subject::of(&workspace, &spec)?;
        let check = Check {
            prism: &prism,
            workspace: &workspace,
            target: options.corpus.then(|| corpus::build_dir(&absolute_root)),
            logs: &logs,
        };
        if !workspace.join(&subject.scenarios).is_file() {
            println!(
                "    {} ({}): 0 checked, of {} operation(s) in the spec: the scenarios can call none (see its notes)",
                subject.krate,
                subject.spec.display(),
                subject.operations
            );
            continue;
        }
        let outcome = check.run(&subject)?;
        outcome.print(&subject);
        if !outcome.passed() {
            failed.push(subject.krate.clone());
        }
        totals.add(&outcome.tally);
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "prism: {} operation(s) checked, {} passed, in {crates} crate(s) ({elapsed:.0} s)",
        totals.checked, totals.passed
    );
    if failed.is_empty() {
        Ok(ExitCode::SUCCESS)
    } else {
        println!("prism: FAILED in {}", failed.join(", "));
        Ok(ExitCode::from(1))
    }
}

/// One spec and the crate made from it.
struct Subject {
    /// The crate's package name.
    krate: String,
    /// The spec as the workspace names it.
    spec: PathBuf,
    /// The file Prism reads: the spec itself, or a folder's entry document.
    entry: PathBuf,
    /// How many operations the spec has.
    operations: usize,
    /// The crate's generated scenario tests, from the workspace root;
    /// absent when the scenarios can call none of its operations.
    scenarios: PathBuf,
}

impl Subject {
    fn of(workspace: &Path, spec: &Path) -> Result<Self, PrismError> {
        let loaded =
            generator::load(&workspace.join(spec)).map_err(|e| PrismError::Spec(Box::new(e)))?;
        let operations = loaded
            .raw
            .get("paths")
            .and_then(Value::as_object)
            .map_or(0, |paths| {
                paths
                    .values()
                    .filter_map(Value::as_object)
                    .map(|item| METHODS.iter().filter(|m| item.contains_key(**m)).count())
                    .sum()
            });
        Ok(Self {
            scenarios: Path::new("clients")
                .join(&loaded.vendor)
                .join("tests/scenarios.rs"),
            krate: generator::crate_name(&loaded.vendor),
            spec: spec.strip_prefix(workspace).unwrap_or(spec).to_path_buf(),
            entry: loaded.entry,
            operations,
        })
    }
}

/// Where and how a crate's check runs.
struct Check<'a> {
    prism: &'a Path,
    /// The workspace `cargo test` runs in.
    workspace: &'a Path,
    /// Its target directory, when not the default.
    target: Option<PathBuf>,
    /// Where Prism's logs and the verdict reports go.
    logs: &'a Path,
}

impl Check<'_> {
    /// Starts Prism on the subject's spec, runs its crate's
    /// `sends_the_spec_request` scenarios against it, stops it.
    fn run(&self, subject: &Subject) -> Result<Outcome, PrismError> {
        let started = Instant::now();
        let log = self.logs.join(format!("{}.log", subject.krate));
        let report = self.logs.join(format!("{}.jsonl", subject.krate));
        if report.exists() {
            fs::remove_file(&report).map_err(io(report.display()))?;
        }
        let mock = match Mock::start(self.prism, &subject.entry, &log)? {
            Ok(mock) => mock,
            Err(why) => {
                return Ok(Outcome {
                    tally: Tally::default(),
                    report,
                    failure: Some(why),
                    seconds: started.elapsed().as_secs_f64(),
                });
            }
        };
        let output = self.test(subject, &mock.url, &report)?;
        drop(mock);
        let tally = Tally::read(&report)?;
        let failure = (!output.status.success()).then(|| {
            format!(
                "its scenarios failed:\n{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            )
        });
        Ok(Outcome {
            tally,
            report,
            failure,
            seconds: started.elapsed().as_secs_f64(),
        })
    }

    fn test(&self, subject: &Subject, url: &str, report: &Path) -> Result<Output, PrismError> {
        let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
        let mut command = Command::new(cargo);
        command
            .args(["test", "-q", "-p", &subject.krate, "--test", "scenarios"])
            .args(self.target.is_none().then_some("--locked"))
            .args(["--", "sends_the_spec_request"])
            .current_dir(self.workspace)
            .env("PRISM_URL", url)
            .env("PRISM_REPORT", report)
            // The verdicts say what failed; backtraces would bury them.
            .env("RUST_BACKTRACE", "0");
        if let Some(target) = &self.target {
            command.env("CARGO_TARGET_DIR", target);
        }
        command
            .output()
            .map_err(io(format!("cargo test -p {}", subject.krate)))
    }
}

/// A running Prism, stopped when dropped.
struct Mock {
    child: Child,
    url: String,
}

impl Mock {
    /// Prism mocking `spec` on a free port of 127.0.0.1, once it listens;
    /// `Ok(Err(why))` when it exits or does not listen in time (its log
    /// says why).
    fn start(prism: &Path, spec: &Path, log: &Path) -> Result<Result<Self, String>, PrismError> {
        let port = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
            .and_then(|listener| listener.local_addr())
            .map_err(io("a free port on 127.0.0.1"))?
            .port();
        let output = fs::File::create(log).map_err(io(log.display()))?;
        let errors = output.try_clone().map_err(io(log.display()))?;
        let child = Command::new(prism)
            .arg("mock")
            .arg(spec)
            .args(["-h", "127.0.0.1", "-p", &port.to_string()])
            .stdin(Stdio::null())
            .stdout(output)
            .stderr(errors)
            .spawn()
            .map_err(io(prism.display()))?;
        let mut mock = Self {
            child,
            url: format!("http://127.0.0.1:{port}"),
        };
        let address = SocketAddr::from((Ipv4Addr::LOCALHOST, port));
        let deadline = Instant::now() + READY_WITHIN;
        loop {
            if let Some(status) = mock.child.try_wait().map_err(io(prism.display()))? {
                return Ok(Err(format!(
                    "Prism exited ({status}) before listening: see {}",
                    log.display()
                )));
            }
            if TcpStream::connect_timeout(&address, Duration::from_millis(200)).is_ok() {
                return Ok(Ok(mock));
            }
            if Instant::now() > deadline {
                return Ok(Err(format!(
                    "Prism did not listen within {} s: see {}",
                    READY_WITHIN.as_secs(),
                    log.display()
                )));
            }
            std::thread::sleep(Duration::from_millis(200));
        }
    }
}

impl Drop for Mock {
    fn drop(&mut self) {
        // Already gone is as good as stopped.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Counts of verdicts, and the notes on Prism's answers.
#[derive(Default)]
struct Tally {
    checked: usize,
    passed: usize,
    /// `operation: note`, each once.
    notes: BTreeSet<String>,
    /// `operation: why Prism refused it`.
    refused: Vec<String>,
}

impl Tally {
    /// The verdicts the scenarios appended to `report` (none when it is
    /// missing: nothing was checked).
    fn read(report: &Path) -> Result<Self, PrismError> {
        let mut tally = Self::default();
        let text = match fs::read_to_string(report) {
            Ok(text) => text,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(tally),
            Err(error) => return Err(io(report.display())(error)),
        };
        for line in text.lines() {
            let verdict: Value = serde_json::from_str(line)
                .map_err(|e| io(report.display())(io::Error::new(io::ErrorKind::InvalidData, e)))?;
            let operation = verdict["operation"].as_str().unwrap_or("?");
            let strings = |key: &str| -> Vec<String> {
                verdict[key]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_str)
                    .map(|text| format!("{operation}: {text}"))
                    .collect()
            };
            tally.checked += 1;
            if verdict["passed"] == Value::Bool(true) {
                tally.passed += 1;
            }
            tally.refused.extend(strings("violations"));
            tally.notes.extend(strings("notes"));
        }
        Ok(tally)
    }

    fn add(&mut self, other: &Self) {
        self.checked += other.checked;
        self.passed += other.passed;
    }
}

/// One crate's result.
struct Outcome {
    tally: Tally,
    /// The verdicts, one JSON line per operation.
    report: PathBuf,
    /// Why the check failed though Prism may have refused nothing (Prism
    /// did not start, the scenarios failed).
    failure: Option<String>,
    seconds: f64,
}

impl Outcome {
    fn passed(&self) -> bool {
        self.failure.is_none() && self.tally.passed == self.tally.checked
    }

    fn print(&self, subject: &Subject) {
        let Tally {
            checked, passed, ..
        } = self.tally;
        println!(
            "    {} ({}): {checked} checked, {passed} passed, of {} operation(s) in the spec ({:.0} s){}",
            subject.krate,
            subject.spec.display(),
            subject.operations,
            self.seconds,
            if self.passed() { "" } else { " FAILED" },
        );
        for refused in &self.tally.refused {
            println!("      refused {refused}");
        }
        for note in self.tally.notes.iter().take(NOTES_SHOWN) {
            println!("      note {note}");
        }
        if let Some(more) = self
            .tally
            .notes
            .len()
            .checked_sub(NOTES_SHOWN)
            .filter(|n| *n > 0)
        {
            println!(
                "      … and {more} more note(s) on Prism's answers in {}",
                self.report.display()
            );
        }
        if let Some(failure) = &self.failure {
            for line in failure.lines() {
                println!("      {line}");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_is_counted_per_verdict() -> Result<(), PrismError> {
        let dir = tempfile::tempdir().map_err(io("a temporary directory"))?;
        let report = dir.path().join("acme-client.jsonl");
        let lines = [
            r#"{"operation":"getA","passed":true,"violations":[],"notes":["Prism answered 200, which the client cannot read"]}"#,
            r#"{"operation":"putA","passed":false,"violations":["request.body.id: must be string"],"notes":[]}"#,
        ];
        fs::write(&report, lines.join("\n")).map_err(io("the report"))?;
        let tally = Tally::read(&report)?;
        assert_eq!((tally.checked, tally.passed), (2, 1));
        assert_eq!(tally.refused, ["putA: request.body.id: must be string"]);
        assert_eq!(
            tally.notes.into_iter().collect::<Vec<_>>(),
            ["getA: Prism answered 200, which the client cannot read"]
        );
        Ok(())
    }

    #[test]
    fn no_report_is_nothing_checked() -> Result<(), PrismError> {
        let dir = tempfile::tempdir().map_err(io("a temporary directory"))?;
        let tally = Tally::read(&dir.path().join("none.jsonl"))?;
        assert_eq!((tally.checked, tally.passed), (0, 0));
        Ok(())
    }
}
