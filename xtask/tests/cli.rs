//! `cargo xtask generate` and `check` on a throwaway workspace holding the
//! generator's fixture spec.

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const FIXTURE: &str = include_str!("../../generator/tests/fixtures/widgets.yaml");
const LIB: &str = "clients/widgets/src/lib.rs";

struct Workspace {
    dir: tempfile::TempDir,
}

impl Workspace {
    /// A workspace with `specs/widgets.yaml`, generated once.
    fn generated() -> Self {
        let workspace = Self {
            dir: tempfile::tempdir().expect("a temp dir"),
        };
        workspace.write("specs/widgets.yaml", FIXTURE);
        let out = workspace.xtask(&["generate"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(
            stdout(&out).contains("created widgets-client (clients/widgets)"),
            "{}",
            text(&out)
        );
        workspace
    }

    fn path(&self, relative: &str) -> PathBuf {
        self.dir.path().join(relative)
    }

    fn write(&self, relative: &str, contents: &str) {
        let path = self.path(relative);
        fs::create_dir_all(path.parent().expect("a parent")).expect("create dirs");
        fs::write(path, contents).expect("write");
    }

    fn read(&self, relative: &str) -> String {
        fs::read_to_string(self.path(relative)).expect("read")
    }

    fn xtask(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_xtask"))
            .arg("--root")
            .arg(self.dir.path())
            .args(args)
            .output()
            .expect("run xtask")
    }

    /// Every file under the workspace with its bytes.
    fn snapshot(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        let mut files = BTreeMap::new();
        let mut pending = vec![self.dir.path().to_path_buf()];
        while let Some(dir) = pending.pop() {
            for entry in fs::read_dir(dir).expect("read dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    pending.push(path);
                } else {
                    files.insert(path.clone(), fs::read(&path).expect("read"));
                }
            }
        }
        files
    }
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn text(out: &Output) -> String {
    format!(
        "stdout:\n{}\nstderr:\n{}",
        stdout(out),
        String::from_utf8_lossy(&out.stderr)
    )
}

#[test]
fn generate_twice_is_unchanged_and_check_is_in_sync() {
    let workspace = Workspace::generated();
    let out = workspace.xtask(&["generate"]);
    assert!(
        stdout(&out).contains("unchanged widgets-client"),
        "{}",
        text(&out)
    );
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout(&out).starts_with("in sync: 1 crates, 5 generated files"),
        "{}",
        text(&out)
    );
}

#[test]
fn an_edited_spec_fails_the_check_with_a_diff_until_regenerated() {
    let workspace = Workspace::generated();
    let spec = workspace.read("specs/widgets.yaml");
    workspace.write(
        "specs/widgets.yaml",
        &spec.replace("summary: Update a widget", "summary: Change a widget"),
    );
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report = stdout(&out);
    assert!(
        report.contains(&format!("--- a/{LIB} (on disk)")),
        "{report}"
    );
    let changed = |sign: char, text: &str| {
        report
            .lines()
            .any(|line| line.starts_with(sign) && line.contains(text))
    };
    assert!(changed('-', "/// Update a widget"), "{report}");
    assert!(changed('+', "/// Change a widget"), "{report}");
    assert!(
        report.contains("fix with: cargo xtask generate"),
        "{report}"
    );

    let out = workspace.xtask(&["generate"]);
    assert!(
        stdout(&out).contains("updated widgets-client"),
        "{}",
        text(&out)
    );
    assert_eq!(workspace.xtask(&["check"]).status.code(), Some(0));
}

#[test]
fn long_diffs_are_capped_with_a_count() {
    let workspace = Workspace::generated();
    let lib = workspace.read(LIB);
    workspace.write(LIB, &lib.replace("pub ", "pub(crate) "));
    let out = workspace.xtask(&["check", "--max-diff-lines", "5"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report = stdout(&out);
    assert!(report.contains("more diff lines cut"), "{report}");
    assert!(report.lines().count() < 12, "{report}");
}

#[test]
fn missing_files_fail_the_check() {
    let workspace = Workspace::generated();
    fs::remove_file(workspace.path(LIB)).expect("remove");
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        stdout(&out).contains(&format!("missing: {LIB}")),
        "{}",
        text(&out)
    );
}

#[test]
fn a_crate_whose_spec_is_gone_is_orphaned_and_removed_by_generate() {
    let workspace = Workspace::generated();
    workspace.write("clients/widgets/tests/mine.rs", "// hand-written\n");
    fs::remove_file(workspace.path("specs/widgets.yaml")).expect("remove");
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        stdout(&out).contains(&format!("orphaned: {LIB}")),
        "{}",
        text(&out)
    );

    let out = workspace.xtask(&["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout(&out).contains("note clients/widgets keeps hand-written files"),
        "{}",
        text(&out)
    );
    assert!(!workspace.path(LIB).exists());
    assert_eq!(
        workspace.read("clients/widgets/tests/mine.rs"),
        "// hand-written\n"
    );
    assert_eq!(workspace.xtask(&["check"]).status.code(), Some(0));
}

#[test]
fn hand_written_files_are_never_touched() {
    let workspace = Workspace::generated();
    workspace.write("clients/widgets/tests/http.rs", "// mine\n");
    workspace.write("clients/widgets/examples/extra.rs", "fn main() {}\n");
    let spec = workspace.read("specs/widgets.yaml");
    workspace.write("specs/widgets.yaml", &spec.replace("Sprocket", "Gear"));
    let out = workspace.xtask(&["generate"]);
    assert!(
        stdout(&out).contains("updated widgets-client"),
        "{}",
        text(&out)
    );
    assert_eq!(workspace.read("clients/widgets/tests/http.rs"), "// mine\n");
    assert_eq!(
        workspace.read("clients/widgets/examples/extra.rs"),
        "fn main() {}\n"
    );
}

#[test]
fn a_hand_written_file_where_a_generated_one_goes_is_refused_and_kept() {
    let workspace = Workspace::generated();
    workspace.write("clients/widgets/tests/scenarios.rs", "// mine\n");
    let lib = workspace.read(LIB);
    let spec = workspace.read("specs/widgets.yaml");
    workspace.write("specs/widgets.yaml", &spec.replace("Sprocket", "Gear"));

    let out = workspace.xtask(&["generate"]);

    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    let message = String::from_utf8_lossy(&out.stderr);
    assert!(
        message.contains("tests/scenarios.rs: this file was written by hand")
            && message.contains("nothing was written"),
        "{}",
        text(&out)
    );
    assert_eq!(
        workspace.read("clients/widgets/tests/scenarios.rs"),
        "// mine\n"
    );
    assert_eq!(workspace.read(LIB), lib, "no generated file changed either");
}

#[test]
fn generate_names_vendors_and_refuses_unknown_ones() {
    let workspace = Workspace::generated();
    let out = workspace.xtask(&["generate", "widgets"]);
    assert!(
        stdout(&out).contains("unchanged widgets-client"),
        "{}",
        text(&out)
    );
    let out = workspace.xtask(&["generate", "gizmos"]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(text(&out).contains("no spec for vendor `gizmos`"));
}

/// `api.github.com.json` and `cart_checkout.yaml` name crates by the rule
/// of `generator::model::names::vendor_from_stem`; either spelling selects them.
#[test]
fn file_names_map_to_crate_names_by_one_rule() {
    let workspace = Workspace::generated();
    workspace.write("specs/api.github.com.yaml", FIXTURE);
    workspace.write("specs/cart_checkout.yaml", FIXTURE);
    let out = workspace.xtask(&["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    for (name, dir) in [
        ("api-github-com-client", "clients/api-github-com"),
        ("cart-checkout-client", "clients/cart-checkout"),
    ] {
        assert!(
            stdout(&out).contains(&format!("created {name} ({dir})")),
            "{}",
            text(&out)
        );
        let manifest = workspace.read(&format!("{dir}/Cargo.toml"));
        assert!(
            manifest.contains(&format!("name = \"{name}\"")),
            "{manifest}"
        );
    }
    for spelling in ["api.github.com", "api-github-com"] {
        let out = workspace.xtask(&["generate", spelling]);
        assert!(
            stdout(&out).contains("unchanged api-github-com-client"),
            "{spelling}: {}",
            text(&out)
        );
    }
    assert_eq!(workspace.xtask(&["check"]).status.code(), Some(0));
}

/// What normalize adapted is printed under the crate, and is no error.
#[test]
fn generate_prints_notes() {
    let workspace = Workspace::generated();
    workspace.write(
        "specs/widgets.yaml",
        &FIXTURE.replace("      operationId: updateWidget\n", ""),
    );
    let out = workspace.xtask(&["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout(&out).contains(
            "note specs/widgets.yaml:#/paths/~1widgets~1{widgetId}/patch: this operation has no `operationId`; it is named `patch-widgets-widgetId`"
        ),
        "{}",
        text(&out)
    );
}

/// A vendor's published spec generates without the house style; `lint`
/// names each place it breaks the style, until the workspace lists it as published.
#[test]
fn lint_holds_written_specs_to_the_house_style() {
    let workspace = Workspace::generated();
    let out = workspace.xtask(&["lint", "widgets"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    let report = stdout(&out);
    for expected in [
        "specs/widgets.yaml:#/info/contact/name: is missing",
        "specs/widgets.yaml:#/paths/~1widgets~1{widgetId}/patch: tag \"widgets\" is not declared",
        "specs/widgets.yaml:#/components/securitySchemes/basicAuth: the component is never used",
        "1 of 1 spec(s) break the house style",
    ] {
        assert!(report.contains(expected), "{expected}\n{report}");
    }
    workspace.write(
        "Cargo.toml",
        "[workspace]\n\n[workspace.metadata.xtask]\npublished-specs = [\"specs/widgets.yaml\"]\n",
    );
    let out = workspace.xtask(&["lint"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout(&out).contains("skipped specs/widgets.yaml (a vendor's published spec)"),
        "{}",
        text(&out)
    );
}

/// The project's own specs are in the house style (CI runs `cargo xtask lint` too).
#[test]
fn the_projects_specs_are_lint_clean() {
    let out = Command::new(env!("CARGO_BIN_EXE_xtask"))
        .arg("--root")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join(".."))
        .arg("lint")
        .output()
        .expect("run xtask");
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout(&out).contains("lint-clean: 5 spec(s)"),
        "{}",
        text(&out)
    );
}

/// Each broken spec: exit 2, a message naming file, place and fix, and not
/// one byte written, even for the other, valid spec beside it.
#[test]
fn broken_specs_exit_2_and_write_nothing() {
    let cases: [(&str, String, &str); 4] = [
        (
            "syntax",
            FIXTURE.replace("paths:\n", "paths:\n  - [unclosed\n"),
            "specs/widgets.yaml:",
        ),
        (
            "4.0",
            FIXTURE.replace("openapi: 3.0.3", "openapi: 4.0.0"),
            "OpenAPI 4.0.0 is not supported",
        ),
        (
            "swagger",
            "swagger: '1.2'\n".into(),
            "Swagger 1.2 is not supported",
        ),
        (
            "dangling",
            // A response that is not there (a schema that is not there
            // is a degrade: that schema untyped).
            FIXTURE.replacen(
                "      responses:\n",
                "      responses:\n        '418': {$ref: '#/components/responses/Gone'}\n",
                1,
            ),
            "`$ref: #/components/responses/Gone` points at nothing",
        ),
    ];
    for (case, spec, expected) in cases {
        let workspace = Workspace::generated();
        workspace.write("specs/another.yaml", FIXTURE);
        workspace.write("specs/widgets.yaml", &spec);
        let before = workspace.snapshot();
        for command in ["generate", "check"] {
            let out = workspace.xtask(&[command]);
            let report = text(&out);
            assert_eq!(out.status.code(), Some(2), "{case} ({command}): {report}");
            assert!(report.contains(expected), "{case} ({command}): {report}");
            assert!(
                report.contains("specs/widgets.yaml"),
                "{case} ({command}): {report}"
            );
            assert!(report.contains("fix: "), "{case} ({command}): {report}");
            assert!(!report.contains("panicked"), "{case} ({command}): {report}");
        }
        assert!(before == workspace.snapshot(), "{case}: files changed");
        assert!(
            !Path::new(&workspace.path("clients/another")).exists(),
            "{case}"
        );
    }
}

#[test]
fn every_command_has_help() {
    let workspace = Workspace::generated();
    for (command, mentions) in [
        ("generate", "created / updated / unchanged"),
        ("check", "exit 1 with a diff"),
        ("lint", "house style"),
        ("corpus", "throwaway"),
    ] {
        let out = workspace.xtask(&[command, "--help"]);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out));
        assert!(stdout(&out).contains(mentions), "{}", text(&out));
    }
}

impl Workspace {
    /// Runs git in the workspace, as a throwaway identity.
    fn git(&self, args: &[&str]) {
        let out = Command::new("git")
            .current_dir(self.dir.path())
            .args(["-c", "user.name=test", "-c", "user.email=test@example.com"])
            .args(args)
            .output()
            .expect("run git");
        assert!(out.status.success(), "git {args:?}: {}", text(&out));
    }
}

#[test]
fn a_breaking_spec_edit_bumps_the_version_and_check_fails_without_the_bump() {
    let workspace = Workspace::generated();
    workspace.git(&["init", "--quiet", "--initial-branch=main"]);
    workspace.git(&["add", "."]);
    workspace.git(&["commit", "--quiet", "-m", "generated"]);
    workspace.git(&["checkout", "--quiet", "-b", "edit"]);
    assert!(
        workspace
            .read("clients/versions.toml")
            .contains("widgets = \"0.1.0\"")
    );

    // `Widget.color` goes away: breaking, so 0.1.0 → 0.2.0.
    let spec = workspace.read("specs/widgets.yaml");
    let edited = spec.replace(
        "        color:\n          $ref: '#/components/schemas/Color'\n    ApiError:",
        "    ApiError:",
    );
    assert_ne!(spec, edited, "the fixture's Widget ends with `color`");
    workspace.write("specs/widgets.yaml", &edited);
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        stdout(&out).contains("widgets-client: breaking, 0.1.0 → 0.2.0"),
        "{}",
        text(&out)
    );

    let out = workspace.xtask(&["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    let report = stdout(&out);
    assert!(
        report.contains("widgets-client: breaking, 0.1.0 → 0.2.0"),
        "{report}"
    );
    assert!(
        report.contains(
            "  removed  types::Widget::color  (specs/widgets.yaml:#/components/schemas/Widget/properties/color)"
        ),
        "{report}"
    );
    assert!(
        workspace
            .read("clients/versions.toml")
            .contains("widgets = \"0.2.0\"")
    );
    assert!(
        workspace
            .read("clients/widgets/Cargo.toml")
            .contains("version = \"0.2.0\"")
    );
    let changelog = workspace.read("clients/widgets/CHANGELOG.md");
    assert!(
        changelog.contains("## 0.2.0 (breaking)\n\n- removed  types::Widget::color"),
        "{changelog}"
    );

    // Generating again neither bumps again nor repeats the entry; check passes.
    let out = workspace.xtask(&["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert_eq!(workspace.read("clients/widgets/CHANGELOG.md"), changelog);
    assert!(
        workspace
            .read("clients/versions.toml")
            .contains("widgets = \"0.2.0\"")
    );
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));

    // Committed on the branch, the change is still measured from main.
    workspace.git(&["add", "."]);
    workspace.git(&["commit", "--quiet", "-m", "edit"]);
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout(&out).contains("widgets-client: breaking, 0.1.0 → 0.2.0"),
        "{}",
        text(&out)
    );

    // A version put back by hand comes back: never below the committed one.
    workspace.write("clients/versions.toml", "widgets = \"0.1.0\"\n");
    let out = workspace.xtask(&["generate", "--since", "HEAD"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        workspace
            .read("clients/versions.toml")
            .contains("widgets = \"0.2.0\"")
    );
}

#[test]
fn an_additive_edit_bumps_the_patch_version() {
    let workspace = Workspace::generated();
    workspace.git(&["init", "--quiet", "--initial-branch=main"]);
    workspace.git(&["add", "."]);
    workspace.git(&["commit", "--quiet", "-m", "generated"]);
    let spec = workspace.read("specs/widgets.yaml");
    let edited = spec.replace(
        "    ApiError:\n      type: object\n      description: Error.\n      properties:\n",
        "    ApiError:\n      type: object\n      description: Error.\n      properties:\n        code:\n          type: string\n          description: Code.\n",
    );
    assert_ne!(spec, edited);
    workspace.write("specs/widgets.yaml", &edited);
    let out = workspace.xtask(&["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout(&out)
            .contains("widgets-client: additive, 0.1.0 → 0.1.1\n  added    types::ApiError::code"),
        "{}",
        text(&out)
    );
    assert!(
        workspace
            .read("clients/widgets/Cargo.toml")
            .contains("version = \"0.1.1\"")
    );
}

/// A spec split over three files, with a cycle across two of them
/// (`Pet.owner` → `Owner.pets` → `Pet`).
const FOLDER_SPEC: [(&str, &str); 3] = [
    (
        "specs/pets/openapi.yaml",
        "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\nservers: [{url: 'https://pets.example.com'}]\npaths:\n  /pets:\n    get:\n      operationId: listPets\n      responses:\n        '200':\n          description: The pets.\n          content:\n            application/json:\n              schema:\n                type: array\n                items: {$ref: 'models/pet.yaml'}\n",
    ),
    (
        "specs/pets/models/pet.yaml",
        "type: object\nproperties:\n  name: {type: string}\n  owner: {$ref: 'owner.yaml'}\n",
    ),
    (
        "specs/pets/models/owner.yaml",
        "type: object\nproperties:\n  pets:\n    type: array\n    items: {$ref: 'pet.yaml'}\n",
    ),
];

#[test]
fn a_folder_spec_generates_and_a_change_in_any_of_its_files_is_a_change() {
    let workspace = Workspace {
        dir: tempfile::tempdir().expect("a temp dir"),
    };
    for (path, text) in FOLDER_SPEC {
        workspace.write(path, text);
    }
    let out = workspace.xtask(&["generate"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout(&out).contains("created pets-client (clients/pets)"),
        "{}",
        text(&out)
    );
    assert!(
        workspace
            .read("clients/pets/src/lib.rs")
            .contains("pub struct Owner"),
        "the cycle's other end is a type"
    );
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    workspace.git(&["init", "--quiet", "--initial-branch=main"]);
    workspace.git(&["add", "."]);
    workspace.git(&["commit", "--quiet", "-m", "generated"]);

    // An edit of a file the entry only reaches through another one.
    let owner = workspace.read("specs/pets/models/owner.yaml");
    workspace.write(
        "specs/pets/models/owner.yaml",
        &format!("{owner}  email: {{type: string}}\n"),
    );
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(1), "{}", text(&out));
    assert!(
        stdout(&out).contains("pets-client: additive, 0.1.0 → 0.1.1"),
        "{}",
        text(&out)
    );
    let out = workspace.xtask(&["generate", "pets"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
    assert!(
        stdout(&out).contains("updated pets-client"),
        "{}",
        text(&out)
    );
    assert!(
        workspace
            .read("clients/versions.toml")
            .contains("pets = \"0.1.1\"")
    );
    let out = workspace.xtask(&["check"]);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out));
}

/// A vendor's mistake in one place is a degrade: `generate` writes the
/// crate and says so; `--strict` refuses the spec at that place (exit 2).
#[test]
fn degraded_specs_generate_and_strict_mode_refuses_them() {
    let cases = [
        (
            "progenitor",
            FIXTURE.replace(
                "          in: header\n",
                "          in: cookie\n          required: true\n",
            ),
            "cookie parameters are not supported",
        ),
        (
            "path",
            FIXTURE.replace("/widgets/{widgetId}:", "/widgets/{widgetId}/{part}:"),
            "path template `{part}` has no `in: path` parameter",
        ),
    ];
    for (case, spec, expected) in cases {
        let workspace = Workspace::generated();
        workspace.write("specs/widgets.yaml", &spec);
        let before = workspace.snapshot();
        let strict = workspace.xtask(&["generate", "--strict"]);
        let report = text(&strict);
        assert_eq!(strict.status.code(), Some(2), "{case}: {report}");
        assert!(report.contains("strict mode"), "{case}: {report}");
        assert!(report.contains(expected), "{case}: {report}");
        assert_eq!(
            workspace.snapshot(),
            before,
            "{case}: strict mode wrote files"
        );
        let out = workspace.xtask(&["generate"]);
        let report = text(&out);
        assert_eq!(out.status.code(), Some(0), "{case}: {report}");
        assert!(report.contains("degraded: "), "{case}: {report}");
        assert!(report.contains(expected), "{case}: {report}");
    }
}
