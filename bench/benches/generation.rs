//! Generation speed: the full pipeline against plain progenitor (on the
//! vendor specs and on the corpus's largest, progenitor's own
//! `nexus.json`), scaling with the number of operations (time and peak
//! heap), the wall time of `cargo xtask check` on an unchanged tree, and what
//! the change report adds to `cargo xtask generate`.

use std::alloc::{GlobalAlloc, Layout, System};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bench::{ms, quantile, synthetic_spec, time_runs};

/// Counts heap bytes in use, and the most ever in use since the last reset.
struct PeakHeap;

static IN_USE: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

// SAFETY: every call is forwarded unchanged to the system allocator; the
// counters are only bookkeeping.
unsafe impl GlobalAlloc for PeakHeap {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            let now = IN_USE.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        unsafe { System.dealloc(ptr, layout) };
        IN_USE.fetch_sub(layout.size(), Ordering::Relaxed);
    }
}

#[global_allocator]
static ALLOCATOR: PeakHeap = PeakHeap;

fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Load and generate; returns the lines of the generated `src/lib.rs`.
fn full_pipeline(path: &Path) -> usize {
    let krate = generator::generate(path).expect("the spec generates");
    krate
        .files
        .iter()
        .find(|f| f.path == Path::new("src/lib.rs"))
        .map_or(0, |f| f.contents.lines().count())
}

/// What progenitor alone does: parse, generate tokens, format; returns the
/// lines of its output.
fn plain_progenitor(path: &Path) -> usize {
    let text = std::fs::read_to_string(path).expect("read the spec");
    let document: openapiv3::OpenAPI = if path.extension().is_some_and(|e| e == "json") {
        serde_json::from_str(&text).expect("JSON spec")
    } else {
        serde_yaml_ng::from_str(&text).expect("YAML spec")
    };
    let mut settings = progenitor::GenerationSettings::new();
    settings
        .with_interface(progenitor::InterfaceStyle::Builder)
        .with_tag(progenitor::TagStyle::Merged);
    let tokens = progenitor::Generator::new(&settings)
        .generate_tokens(&document)
        .expect("progenitor generates");
    let file: syn::File = syn::parse2(tokens).expect("progenitor emits Rust");
    prettyplease::unparse(&file).lines().count()
}

fn pipeline_overhead() {
    println!("## Pipeline overhead (median of interleaved runs after warm-ups)\n");
    println!(
        "| spec | runs | generator (ms) | progenitor + prettyplease (ms) | ratio | lines out (ours / progenitor) | ratio per line |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|");
    let mut specs: Vec<(PathBuf, usize)> = std::fs::read_dir(workspace_root().join("specs"))
        .expect("read specs/")
        .map(|e| (e.expect("entry").path(), 40))
        .collect();
    specs.sort();
    // The corpus's largest spec (193 operations), beside the checkout as in CI.
    let nexus = workspace_root().join("../shared/corpus/progenitor-nexus.json");
    if nexus.exists() {
        specs.push((nexus, 10));
    } else {
        println!("(no {}: the corpus row is left out)\n", nexus.display());
    }
    for (path, runs) in specs {
        // Alternating the two keeps machine noise from favouring either.
        time_runs(runs / 8, 0, || {
            (full_pipeline(&path), plain_progenitor(&path))
        });
        let (mut ours, mut plain) = (Vec::new(), Vec::new());
        for _ in 0..runs {
            ours.extend(time_runs(0, 1, || full_pipeline(&path)));
            plain.extend(time_runs(0, 1, || plain_progenitor(&path)));
        }
        ours.sort_unstable();
        plain.sort_unstable();
        let (ours, plain) = (quantile(&ours, 0.5), quantile(&plain, 0.5));
        let (our_lines, plain_lines) = (full_pipeline(&path), plain_progenitor(&path));
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let ratio = ours.as_secs_f64() / plain.as_secs_f64();
        let per_line = ratio / (our_lines as f64 / plain_lines as f64);
        println!(
            "| {name} | {runs} | {} | {} | {ratio:.2} | {our_lines} / {plain_lines} | {per_line:.2} |",
            ms(ours),
            ms(plain)
        );
    }
    println!();
}

fn scaling() {
    println!("## Scaling with operations (median of 5 runs after 1 warm-up; one thread)\n");
    println!(
        "| operations | generator (ms) | per operation (ms) | peak heap (MiB) | progenitor + prettyplease (ms) | its peak heap (MiB) |"
    );
    println!("|---:|---:|---:|---:|---:|---:|");
    let dir = tempfile::tempdir().expect("a temp dir");
    for operations in [10, 100, 1000] {
        let path = dir.path().join(format!("synthetic{operations}.json"));
        let text = serde_json::to_string_pretty(&synthetic_spec(operations)).expect("serialise");
        std::fs::write(&path, text).expect("write the spec");
        let median = quantile(&time_runs(1, 5, || full_pipeline(&path)), 0.5);
        let peak = peak_heap_mib(|| full_pipeline(&path));
        let plain = quantile(&time_runs(1, 5, || plain_progenitor(&path)), 0.5);
        let plain_peak = peak_heap_mib(|| plain_progenitor(&path));
        println!(
            "| {operations} | {} | {:.3} | {peak:.1} | {} | {plain_peak:.1} |",
            ms(median),
            median.as_secs_f64() * 1e3 / operations as f64,
            ms(plain)
        );
    }
    println!();
}

/// The most heap `f` holds at once, above what was in use before it.
fn peak_heap_mib<R>(f: impl FnOnce() -> R) -> f64 {
    let before = IN_USE.load(Ordering::Relaxed);
    PEAK.store(before, Ordering::Relaxed);
    std::hint::black_box(f());
    (PEAK.load(Ordering::Relaxed) - before) as f64 / (1024.0 * 1024.0)
}

fn drift_check() {
    println!("## Drift check: `cargo xtask check` on an unchanged tree (warm)\n");
    let root = workspace_root();
    let run = || {
        let out = Command::new(env!("CARGO"))
            .args(["xtask", "check"])
            .current_dir(&root)
            .output()
            .expect("run cargo xtask check");
        assert!(
            out.status.success(),
            "cargo xtask check failed: {}",
            String::from_utf8_lossy(&out.stdout)
        );
    };
    let timings: Vec<Duration> = time_runs(2, 10, run);
    println!(
        "median {} ms, slowest {} ms (10 runs after 2 warm-ups; includes cargo's own up-to-date check)\n",
        ms(quantile(&timings, 0.5)),
        ms(quantile(&timings, 1.0))
    );
}

/// What the change report adds to `cargo xtask generate`, for the five specs
/// on one thread, in the worst case where every spec changed: reading the
/// committed spec from git, generating its surface in memory, reading the
/// new crate's surface, and the diff.
fn semver_report() {
    println!(
        "## Change report: what it adds to generating the five specs (median of 20 runs after 3 warm-ups; one thread)\n"
    );
    let root = workspace_root();
    let mut specs: Vec<PathBuf> = std::fs::read_dir(root.join("specs"))
        .expect("read specs/")
        .map(|e| e.expect("entry").path())
        .collect();
    specs.sort();
    let dir = tempfile::tempdir().expect("a temp dir");
    let plain = || {
        for path in &specs {
            std::hint::black_box(generator::generate(path).expect("the spec generates"));
        }
    };
    let reported = || {
        for path in &specs {
            let (krate, new) =
                generator::semver::generate(path, "0.1.0").expect("the spec generates");
            let name = path.file_name().expect("a file name");
            let committed = Command::new("git")
                .arg("show")
                .arg(format!("HEAD:./specs/{}", name.to_string_lossy()))
                .current_dir(&root)
                .output()
                .expect("run git show");
            assert!(committed.status.success(), "the spec is committed");
            let old_path = dir.path().join(name);
            std::fs::write(&old_path, &committed.stdout).expect("write the old spec");
            let old = generator::semver::surface(&old_path).expect("the old spec generates");
            std::hint::black_box((krate, generator::semver::diff(&old, &new)));
        }
    };
    let mut without = Vec::new();
    let mut with = Vec::new();
    time_runs(3, 0, || (plain(), reported()));
    for _ in 0..20 {
        without.extend(time_runs(0, 1, plain));
        with.extend(time_runs(0, 1, reported));
    }
    without.sort_unstable();
    with.sort_unstable();
    let (without, with) = (quantile(&without, 0.5), quantile(&with, 0.5));
    println!("| five specs | ms |\n|---|---:|");
    println!("| generate | {} |", ms(without));
    println!("| generate + change report | {} |", ms(with));
    println!(
        "| **added by the report** (goal < 200) | **{}** |\n",
        ms(with.saturating_sub(without))
    );
}

/// One generation of `spec` (ours, or plain progenitor's with `plain`), for
/// counting instructions under `valgrind --tool=callgrind`, which does not
/// depend on what else the machine is doing.
/// `synthetic:N` stands for the synthetic spec with N operations.
fn once(spec: &str, plain: bool) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = match spec.strip_prefix("synthetic:").map(str::parse::<usize>) {
        Some(Ok(operations)) => {
            let path = dir.path().join(format!("synthetic{operations}.json"));
            let text =
                serde_json::to_string_pretty(&synthetic_spec(operations)).expect("serialise");
            std::fs::write(&path, text).expect("write the spec");
            path
        }
        _ => PathBuf::from(spec),
    };
    let lines = if plain {
        plain_progenitor(&path)
    } else {
        full_pipeline(&path)
    };
    println!(
        "{spec}: {lines} lines ({})",
        if plain {
            "plain progenitor"
        } else {
            "generator"
        }
    );
}

fn main() {
    // `cargo bench` passes `--bench`; `-- semver` (or `pipeline`, `scaling`,
    // `drift`) runs one section; `-- once <spec> [plain]` one generation.
    let only: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    if let [first, spec, rest @ ..] = only.as_slice()
        && first == "once"
    {
        once(spec, rest.iter().any(|r| r == "plain"));
        return;
    }
    let run = |name: &str| only.is_empty() || only.iter().any(|o| o == name);
    if run("pipeline") {
        pipeline_overhead();
    }
    if run("scaling") {
        scaling();
    }
    if run("drift") {
        drift_check();
    }
    if run("semver") {
        semver_report();
    }
}
