//! `cargo xtask generate [VENDOR...]` writes each client crate's generated
//! files from `specs/`; `cargo xtask check` fails with a diff when they drift;
//! `cargo xtask lint [VENDOR...]` holds the project's specs to its house
//! style; `cargo xtask corpus` generates and checks every public spec of
//! `../shared/corpus/`; `cargo xtask prism [--corpus]` has Stoplight Prism
//! check every client's scenario requests against the original specs;
//! `cargo xtask publish [--dry-run]` publishes the publishable crates in
//! dependency order.
//!
//! Exit status: 0 done, in sync or clean; 1 out of sync (`check`), style
//! broken (`lint`), a corpus crate failing (`corpus`) or a request Prism
//! refuses (`prism`); 2 a spec or the
//! tree is broken (nothing was written).

mod corpus;
mod fuzz;
mod lint;
mod prism;
mod publish;
mod semver;
mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Keeps the client crates in `clients/` in sync with the specs in `specs/`.
#[derive(Parser)]
#[command(name = "cargo xtask", version)]
struct Cli {
    /// The workspace root (default: the nearest one at or above the current directory).
    #[arg(long, global = true)]
    root: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate every spec, then write the generated files of each client
    /// crate (or only the named vendors'), printing created / updated / unchanged.
    Generate {
        /// Vendors to generate, by spec file stem (`capillary` for `specs/capillary.yaml`).
        vendors: Vec<String>,
        /// Classify each crate's API change against the specs at this git
        /// revision, bump the version it asks for and write the changelog.
        #[arg(long, default_value = "HEAD")]
        since: String,
        /// Refuse every spec that would be degraded (a schema made untyped, a
        /// check not enforced, an operation left out) instead of writing its
        /// crate; `[workspace.metadata.xtask] strict-specs` asks it per spec.
        #[arg(long)]
        strict: bool,
    },
    /// Write nothing; exit 1 with a diff if any generated file differs from
    /// its spec's output, is missing, or belongs to a spec that is gone, or
    /// with the report if a crate's API changed since the merge base with
    /// `main` but its version did not move as the change requires.
    Check {
        /// Show at most this many diff lines per file.
        #[arg(long, default_value_t = 60)]
        max_diff_lines: usize,
    },
    /// Check specs against the house style of specs this project writes
    /// (all of specs/ but those listed in `[workspace.metadata.xtask]
    /// published-specs`, or the named vendors); exit 1 on any violation.
    Lint {
        /// Vendors to lint, by vendor name or file stem.
        vendors: Vec<String>,
    },
    /// Generate every spec of a directory of public specs into a throwaway
    /// workspace (under the target directory) and run clippy, rustdoc and
    /// the tests on all its crates; exit 1 if any fails.
    Corpus {
        /// The specs (default: `../shared/corpus` beside the workspace).
        #[arg(long)]
        dir: Option<PathBuf>,
        /// Only generate; do not build or test.
        #[arg(long)]
        generate_only: bool,
        /// Leave out the spec with this file stem (repeatable), such as one
        /// whose kind another change will bring in.
        #[arg(long)]
        skip: Vec<String>,
    },
    /// Send each client's scenario requests to Stoplight Prism mocking its
    /// original spec (one Prism per spec, on 127.0.0.1); exit 1 if Prism
    /// refuses one. Prism comes from `bash .ci/prism/install`.
    Prism {
        /// Vendors to check, by spec file stem (all when none is named).
        vendors: Vec<String>,
        /// Check the crates of the corpus workspace `cargo xtask corpus`
        /// wrote and built, instead of the vendors'.
        #[arg(long)]
        corpus: bool,
    },
    /// Run hostile specs through the generator, each in a child process
    /// with a time limit, then doc-test a sample of the crates; exit 1 on an
    /// abort, panic, time-out, internal error or spec text run as code.
    Fuzz {
        /// Seed of the random texts.
        #[arg(long, default_value_t = 24)]
        seed: u64,
        /// How many specs of random texts (sixteen texts each).
        #[arg(long, default_value_t = 6)]
        random: usize,
        /// Seconds one case may take.
        #[arg(long, default_value_t = 30)]
        timeout: u64,
        /// Only generate; do not build or doc-test the sample.
        #[arg(long)]
        generate_only: bool,
    },
    /// Publish `client-runtime` and every client crate (each member whose
    /// `publish` is not `false`) in dependency order with one `cargo
    /// publish`; exit 1 if cargo fails.
    Publish {
        /// Package and verify every crate (each built against the others
        /// through cargo's local registry overlay); upload nothing.
        #[arg(long)]
        dry_run: bool,
    },
    /// One fuzz case: generate SPEC in memory; exit 0, 2 (refused) or 3 (internal error).
    #[command(hide = true)]
    FuzzCase {
        /// The spec.
        spec: PathBuf,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    if let Command::FuzzCase { spec } = &cli.command {
        return fuzz::case(spec);
    }
    let root = match cli.root.map_or_else(workspace_root, Ok) {
        Ok(root) => root,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(2);
        }
    };
    // `--dir` is read from where the command was run.
    let cwd = std::env::current_dir().unwrap_or_default();
    // Spec paths stay relative to the root, so generated headers hold no
    // absolute path and are the same on every machine.
    if let Err(error) = std::env::set_current_dir(&root) {
        eprintln!(
            "error: cannot enter the workspace root {}: {error}",
            root.display()
        );
        return ExitCode::from(2);
    }
    let root = std::path::Path::new("");
    if let Command::Publish { dry_run } = cli.command {
        return publish::publish(dry_run).unwrap_or_else(|error| {
            eprintln!("error: {error}");
            ExitCode::from(2)
        });
    }
    let outcome = match cli.command {
        Command::Generate {
            vendors,
            since,
            strict,
        } => sync::generate(root, &vendors, &since, strict),
        Command::Check { max_diff_lines } => sync::check(root, max_diff_lines),
        Command::Lint { vendors } => lint::lint(root, &vendors),
        Command::Corpus {
            dir,
            generate_only,
            skip,
        } => corpus::corpus(
            root,
            &corpus::Options {
                dir: dir.map(|d| cwd.join(d)),
                generate_only,
                skip,
            },
        ),
        Command::Prism { vendors, corpus } => {
            match prism::prism(root, &prism::Options { corpus, vendors }) {
                Ok(code) => Ok(code),
                Err(error) => {
                    eprintln!("error: {error}");
                    Ok(ExitCode::from(2))
                }
            }
        }
        Command::Fuzz {
            seed,
            random,
            timeout,
            generate_only,
        } => fuzz::fuzz(
            root,
            &fuzz::Options {
                seed,
                random,
                timeout: std::time::Duration::from_secs(timeout),
                generate_only,
            },
        ),
        Command::FuzzCase { .. } | Command::Publish { .. } => Ok(ExitCode::SUCCESS),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// The nearest directory at or above the current one whose `Cargo.toml`
/// declares a `[workspace]` and that holds `specs/`: found at run time, so
/// that one build serves every checkout sharing a target directory.
fn workspace_root() -> Result<PathBuf, String> {
    let start =
        std::env::current_dir().map_err(|e| format!("cannot read the current directory: {e}"))?;
    start
        .ancestors()
        .find(|dir| {
            dir.join("specs").is_dir()
                && std::fs::read_to_string(dir.join("Cargo.toml"))
                    .is_ok_and(|manifest| manifest.lines().any(|l| l.trim() == "[workspace]"))
        })
        .map(PathBuf::from)
        .ok_or_else(|| {
            format!(
                "no workspace with a `specs/` directory at or above {}; run from inside the checkout or pass --root",
                start.display()
            )
        })
}
