//! The generator's output for `tests/fixtures/widgets.yaml`, byte for byte.
//!
//! After an intended change to the output, refresh the golden files with
//! `UPDATE_GOLDEN=1 cargo test -p generator --test golden` and review the diff.
//! The golden `src/lib.rs` is also the library of the workspace crate
//! `generator/tests/output`, whose tests compile and run it, the golden
//! `tests/scenarios.rs` among them: what the generator adds is checked by
//! behaviour, not by text.

use std::path::{Path, PathBuf};

const FIXTURE: &str = "tests/fixtures/widgets.yaml";
const GOLDEN: &str = "tests/golden/widgets";

fn generate() -> generator::ClientCrate {
    generator::generate(Path::new(FIXTURE)).expect("the fixture generates")
}

/// Golden files end in `.golden` so neither rustfmt nor cargo treats them as code.
fn golden_path(file: &generator::GeneratedFile) -> PathBuf {
    let mut name = file.path.clone().into_os_string();
    name.push(".golden");
    Path::new(GOLDEN).join(name)
}

#[test]
fn output_matches_the_golden_files() {
    let generated = generate();
    assert_eq!(generated.name, "widgets-client");
    let update = std::env::var_os("UPDATE_GOLDEN").is_some();
    for file in &generated.files {
        let path = golden_path(file);
        if update {
            std::fs::create_dir_all(path.parent().expect("golden files live in a directory"))
                .expect("create the golden directory");
            std::fs::write(&path, &file.contents).expect("write a golden file");
            continue;
        }
        let golden = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("{}: {e}; run with UPDATE_GOLDEN=1", path.display()));
        assert!(
            golden == file.contents,
            "{} differs from {}; if intended, run UPDATE_GOLDEN=1 cargo test -p generator --test golden",
            file.path.display(),
            path.display()
        );
    }
    let paths: Vec<_> = generated.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(
        paths,
        [
            "Cargo.toml",
            "README.md",
            "examples/update_widgets.rs",
            "src/lib.rs",
            "tests/scenarios.rs"
        ]
        .map(PathBuf::from)
    );
}

#[test]
fn the_same_spec_gives_the_same_bytes() {
    assert_eq!(generate(), generate());
}

#[test]
fn output_names_the_spec_but_no_absolute_path() {
    let absolute = std::env::current_dir().expect("a working directory");
    for file in generate().files {
        let first = file.contents.lines().next().unwrap_or_default();
        assert!(
            first.contains(generator::GENERATED_MARKER) && first.contains(FIXTURE),
            "{}: header is {first:?}",
            file.path.display()
        );
        assert!(
            !file
                .contents
                .contains(absolute.to_str().expect("UTF-8 path")),
            "{} holds an absolute path",
            file.path.display()
        );
    }
}
