//! `cargo xtask corpus` on the real corpus: every public spec of
//! `../shared/corpus/` becomes a crate that passes clippy and rustdoc with
//! warnings denied, and its generated tests. Slow (it builds twenty
//! crates), so ignored by `cargo test`; `.ci/run` runs `cargo xtask corpus`.

use std::path::Path;
use std::process::Command;

#[test]
#[ignore = "builds every corpus crate; run by .ci/run as `cargo xtask corpus`"]
fn every_corpus_spec_gives_a_clean_crate() {
    let status = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .arg("corpus")
        .status()
        .expect("run xtask");
    assert!(status.success(), "cargo xtask corpus failed: {status}");
}
