//! `cargo xtask generate [VENDOR...]` writes each client crate's generated
//! files from `specs/`; `cargo xtask check` fails with a diff when they drift.
//!
//! Exit status: 0 done or in sync, 1 out of sync (`check`), 2 a spec or the
//! tree is broken (nothing was written).

mod sync;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Keeps the client crates in `clients/` in sync with the specs in `specs/`.
#[derive(Parser)]
#[command(name = "cargo xtask", version)]
struct Cli {
    /// The workspace root (default: the one this xtask belongs to).
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
    },
    /// Write nothing; exit 1 with a diff if any generated file differs from
    /// its spec's output, is missing, or belongs to a spec that is gone.
    Check {
        /// Show at most this many diff lines per file.
        #[arg(long, default_value_t = 60)]
        max_diff_lines: usize,
    },
}

fn main() -> ExitCode {
    quiet_generator_panics();
    let cli = Cli::parse();
    let root = cli
        .root
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(".."));
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
    let outcome = match cli.command {
        Command::Generate { vendors } => sync::generate(root, &vendors),
        Command::Check { max_diff_lines } => sync::check(root, max_diff_lines),
    };
    match outcome {
        Ok(code) => code,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::from(2)
        }
    }
}

/// The generator reports progenitor's and typify's panics as spec errors;
/// their default panic message and backtrace would only repeat it as noise.
fn quiet_generator_panics() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        let file = info.location().map(|l| l.file()).unwrap_or_default();
        if !(file.contains("progenitor-impl") || file.contains("typify-impl")) {
            default(info);
        }
    }));
}
