//! The change classifier, verified on a matrix of spec edits: each edit of
//! the fixture spec, the class `generator::semver::diff` must give it, the
//! changes it must name, and the verdict `cargo-semver-checks` 0.51.0 gave the
//! same pair of generated crates (run once, by hand, on 2026-11-23 with
//! `check-release --baseline-root`; README "What a spec edit breaks" says
//! where the two differ and why).

use std::path::{Path, PathBuf};

use generator::semver::{Class, Report, Surface, diff, surface};
use serde_json::{Value, json};

const FIXTURE: &str = "tests/fixtures/widgets.yaml";

/// What `cargo-semver-checks` said about the generated crates of one edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Checks {
    /// It asked for a major bump (a breaking change).
    Major,
    /// It asked for no major bump ("no semver update required").
    Minor,
}

struct Case {
    name: &'static str,
    edit: fn(&mut Value),
    class: Class,
    /// `(kind, Rust path)` of changes the report must hold.
    changes: &'static [(&'static str, &'static str)],
    /// A spec place the report must name.
    place: Option<&'static str>,
    semver_checks: Checks,
}

fn at<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut Value {
    doc.pointer_mut(pointer)
        .unwrap_or_else(|| panic!("the fixture has {pointer}"))
}

fn object<'a>(doc: &'a mut Value, pointer: &str) -> &'a mut serde_json::Map<String, Value> {
    at(doc, pointer)
        .as_object_mut()
        .unwrap_or_else(|| panic!("{pointer} is an object"))
}

fn rename_key(map: &mut serde_json::Map<String, Value>, from: &str, to: &str) {
    let value = map.remove(from).expect("the key exists");
    map.insert(to.into(), value);
}

const WIDGET: &str = "/components/schemas/Widget";
const UPDATE: &str = "/components/schemas/WidgetUpdate";
const UPDATE_OP: &str = "/paths/~1widgets~1{widgetId}/patch";

fn cases() -> Vec<Case> {
    vec![
        Case {
            name: "docs only: descriptions and an example",
            edit: |doc| {
                *at(doc, &format!("{WIDGET}/properties/name/description")) = json!("The name.");
                *at(doc, &format!("{UPDATE_OP}/summary")) = json!("Change a widget");
                *at(
                    doc,
                    &format!("{UPDATE_OP}/requestBody/content/application~1json/example/name"),
                ) = json!("Gear");
            },
            class: Class::None,
            changes: &[],
            place: None,
            semver_checks: Checks::Minor,
        },
        Case {
            name: "response property removed",
            edit: |doc| {
                object(doc, &format!("{WIDGET}/properties")).remove("color");
            },
            class: Class::Breaking,
            changes: &[("removed", "types::Widget::color")],
            place: Some("#/components/schemas/Widget/properties/color"),
            semver_checks: Checks::Major,
        },
        Case {
            name: "property renamed (Rust name follows)",
            edit: |doc| {
                rename_key(
                    object(doc, &format!("{WIDGET}/properties")),
                    "color",
                    "colour",
                )
            },
            class: Class::Breaking,
            changes: &[
                ("removed", "types::Widget::color"),
                ("added", "types::Widget::colour"),
            ],
            place: None,
            semver_checks: Checks::Major,
        },
        Case {
            name: "optional request property added",
            edit: |doc| {
                object(doc, &format!("{UPDATE}/properties")).insert(
                    "size".into(),
                    json!({"type": "integer", "description": "Size."}),
                );
            },
            class: Class::Additive,
            changes: &[("added", "types::WidgetUpdate::size")],
            place: Some("#/components/schemas/WidgetUpdate/properties/size"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "optional response property added",
            edit: |doc| {
                object(doc, &format!("{WIDGET}/properties")).insert(
                    "weight".into(),
                    json!({"type": "number", "description": "Weight."}),
                );
            },
            class: Class::Additive,
            changes: &[("added", "types::Widget::weight")],
            place: None,
            semver_checks: Checks::Minor,
        },
        Case {
            name: "required request property added",
            edit: |doc| {
                object(doc, &format!("{UPDATE}/properties")).insert(
                    "size".into(),
                    json!({"type": "integer", "description": "Size."}),
                );
                object(doc, UPDATE).insert("required".into(), json!(["size"]));
            },
            class: Class::Breaking,
            changes: &[
                ("required", "types::WidgetUpdate::size"),
                ("removed", "types::WidgetUpdate: Default"),
            ],
            place: Some("#/components/schemas/WidgetUpdate/properties/size"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "optional request property made required",
            edit: |doc| {
                object(doc, UPDATE).insert("required".into(), json!(["color"]));
            },
            class: Class::Breaking,
            changes: &[("required", "types::WidgetUpdate::color")],
            place: Some("#/components/schemas/WidgetUpdate/properties/color"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "property type changed",
            edit: |doc| {
                *at(doc, &format!("{WIDGET}/properties/id")) =
                    json!({"type": "string", "description": "Id."});
            },
            class: Class::Breaking,
            changes: &[("changed", "types::Widget::id")],
            place: Some("#/components/schemas/Widget/properties/id"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "enum value added (open, non-exhaustive enum)",
            edit: |doc| {
                *at(doc, "/components/schemas/Color/enum") = json!(["RED", "green", "blue"]);
            },
            class: Class::Additive,
            changes: &[("added", "types::Color::Blue")],
            place: Some("#/components/schemas/Color"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "enum value removed",
            edit: |doc| {
                *at(doc, "/components/schemas/Color/enum") = json!(["RED"]);
            },
            class: Class::Breaking,
            changes: &[
                ("removed", "types::Color::Green"),
                ("narrowed", "types::Color"),
            ],
            place: Some("#/components/schemas/Color/enum"),
            semver_checks: Checks::Major,
        },
        Case {
            name: "operation added",
            edit: |doc| {
                object(doc, "/paths").insert(
                    "/widgets".into(),
                    json!({"get": {
                        "operationId": "listWidgets",
                        "summary": "List widgets",
                        "security": [],
                        "responses": {"204": {"description": "Listed."}}
                    }}),
                );
            },
            class: Class::Additive,
            changes: &[
                ("added", "Client::list_widgets"),
                ("added", "builder::ListWidgets"),
            ],
            place: Some("#/paths/~1widgets/get"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "operation removed",
            edit: |doc| {
                object(doc, "/paths").remove("/health");
            },
            class: Class::Breaking,
            changes: &[
                ("removed", "Client::health"),
                ("removed", "builder::Health"),
            ],
            place: Some("#/paths/~1health/get"),
            semver_checks: Checks::Major,
        },
        Case {
            name: "operation renamed (operationId)",
            edit: |doc| {
                *at(doc, "/paths/~1health/get/operationId") = json!("checkHealth");
            },
            class: Class::Breaking,
            changes: &[
                ("removed", "Client::health"),
                ("added", "Client::check_health"),
            ],
            place: None,
            semver_checks: Checks::Major,
        },
        Case {
            name: "optional parameter added (new optional setter)",
            edit: |doc| {
                at(doc, &format!("{UPDATE_OP}/parameters"))
                    .as_array_mut()
                    .expect("parameters")
                    .push(
                        json!({"name": "dryRun", "in": "query", "description": "Dry run.",
                                 "schema": {"type": "boolean"}}),
                    );
            },
            class: Class::Additive,
            changes: &[("added", "builder::UpdateWidget::dry_run")],
            place: Some("#/paths/~1widgets~1{widgetId}/patch"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "required parameter added (new required argument)",
            edit: |doc| {
                at(doc, &format!("{UPDATE_OP}/parameters"))
                    .as_array_mut()
                    .expect("parameters")
                    .push(json!({"name": "version", "in": "query", "required": true,
                                 "description": "Version.", "example": 3,
                                 "schema": {"type": "integer"}}));
            },
            class: Class::Breaking,
            changes: &[("required", "builder::UpdateWidget::version")],
            place: Some("#/paths/~1widgets~1{widgetId}/patch"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "server added (variant of an exhaustive enum)",
            edit: |doc| {
                at(doc, "/servers").as_array_mut().expect("servers").push(
                    json!({"url": "https://staging.example.com/v1", "description": "Staging."}),
                );
            },
            class: Class::Breaking,
            changes: &[("added", "servers::Server::Staging")],
            place: None,
            semver_checks: Checks::Major,
        },
        Case {
            name: "server variable value added (variant of an exhaustive enum)",
            edit: |doc| {
                *at(doc, "/servers/0/variables/region/enum") = json!(["eu", "us", "ap"]);
            },
            class: Class::Breaking,
            changes: &[("added", "servers::Region::Ap")],
            place: None,
            semver_checks: Checks::Major,
        },
        Case {
            name: "credential part added (new required constructor argument)",
            edit: |doc| {
                *at(
                    doc,
                    "/components/securitySchemes/gateway/x-credential-parts/names",
                ) = json!(["client_id", "client_secret", "tenant"]);
            },
            class: Class::Breaking,
            changes: &[("changed", "auth::Gateway::new")],
            place: None,
            semver_checks: Checks::Major,
        },
        Case {
            name: "JSON property renamed, Rust name kept",
            edit: |doc| {
                rename_key(
                    object(doc, "/components/schemas/Move/properties"),
                    "self",
                    "self_",
                );
            },
            class: Class::WireBreaking,
            changes: &[("renamed", "types::Move::self_")],
            place: Some("#/components/schemas/Move/properties/self_"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "constraint tightened (minLength 3 → 5)",
            edit: |doc| {
                *at(doc, &format!("{UPDATE}/properties/name/minLength")) = json!(5);
            },
            class: Class::WireBreaking,
            changes: &[("tightened", "types::WidgetUpdate::name")],
            place: Some("#/components/schemas/WidgetUpdate/properties/name/minLength"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "constraint added (maxLength)",
            edit: |doc| {
                object(doc, &format!("{UPDATE}/properties/name"))
                    .insert("maxLength".into(), json!(40));
            },
            class: Class::WireBreaking,
            changes: &[("tightened", "types::WidgetUpdate::name")],
            place: Some("#/components/schemas/WidgetUpdate/properties/name/maxLength"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "constraint loosened (minLength 3 → 1)",
            edit: |doc| {
                *at(doc, &format!("{UPDATE}/properties/name/minLength")) = json!(1);
            },
            class: Class::None,
            changes: &[],
            place: None,
            semver_checks: Checks::Minor,
        },
        Case {
            name: "operation path changed",
            edit: |doc| {
                rename_key(
                    object(doc, "/paths"),
                    "/widgets/{widgetId}/move",
                    "/widgets/{widgetId}/relocate",
                )
            },
            class: Class::WireBreaking,
            changes: &[("moved", "Client::move_")],
            place: Some("#/paths/~1widgets~1{widgetId}~1relocate/post"),
            semver_checks: Checks::Minor,
        },
        Case {
            name: "operation method changed",
            edit: |doc| {
                rename_key(
                    object(doc, "/paths/~1widgets~1{widgetId}~1move"),
                    "post",
                    "put",
                )
            },
            class: Class::WireBreaking,
            changes: &[("moved", "Client::move_")],
            place: Some("#/paths/~1widgets~1{widgetId}~1move/put"),
            semver_checks: Checks::Minor,
        },
    ]
}

fn fixture() -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(FIXTURE))
        .expect("read the fixture");
    serde_yaml_ng::from_str(&text).expect("the fixture is YAML")
}

/// Writes `doc` as `<dir>/<tag>/widgets.json` (the vendor comes from the stem).
fn write(dir: &Path, tag: &str, doc: &Value) -> PathBuf {
    let path = dir.join(tag).join("widgets.json");
    std::fs::create_dir_all(path.parent().expect("a parent")).expect("create the dir");
    std::fs::write(&path, serde_json::to_string_pretty(doc).expect("JSON")).expect("write");
    path
}

fn surface_of(dir: &Path, tag: &str, doc: &Value) -> Surface {
    surface(&write(dir, tag, doc)).unwrap_or_else(|e| panic!("{tag} generates: {e}"))
}

fn show(report: &Report) -> String {
    report
        .changes
        .iter()
        .map(|c| {
            format!(
                "  {} {} {:?} {:?} {}\n",
                c.kind, c.path, c.place, c.detail, c.class
            )
        })
        .collect()
}

#[test]
fn every_edit_gets_its_class_and_names_its_changes() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let original = fixture();
    let old = surface_of(dir.path(), "old", &original);
    let cases = cases();
    assert!(cases.len() >= 20, "the matrix has {} edits", cases.len());
    let mut failures = Vec::new();
    for (index, case) in cases.iter().enumerate() {
        let mut edited = original.clone();
        (case.edit)(&mut edited);
        let new = surface_of(dir.path(), &format!("case{index}"), &edited);
        let report = diff(&old, &new);
        let mut problems = Vec::new();
        if report.class != case.class {
            problems.push(format!("class {} (expected {})", report.class, case.class));
        }
        for (kind, path) in case.changes {
            if !report
                .changes
                .iter()
                .any(|c| c.kind == *kind && c.path == *path)
            {
                problems.push(format!("no `{kind} {path}`"));
            }
        }
        if let Some(place) = case.place
            && !report
                .changes
                .iter()
                .any(|c| c.place.as_deref() == Some(place))
        {
            problems.push(format!("no change placed at {place}"));
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n{}",
                case.name,
                problems.join("; "),
                show(&report)
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_same_spec_has_no_changes() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let doc = fixture();
    let report = diff(
        &surface_of(dir.path(), "a", &doc),
        &surface_of(dir.path(), "b", &doc),
    );
    assert_eq!(report.class, Class::None, "{}", show(&report));
    assert!(report.changes.is_empty());
}

/// Where the classifier and `cargo-semver-checks` agree: every removed or
/// renamed item, every new variant of an exhaustive enum, every changed
/// signature, every additive and docs-only edit. They differ in three
/// documented ways (README): wire-breaking edits (rustdoc has no serde
/// attributes, URLs or constraints), changed field types including
/// `Option<T>` → `T` (it has no lint comparing field types, and did not
/// flag the lost `Default` derive), and new required builder setters (a
/// run-time failure in `send`, not a compile error).
#[test]
fn disagreements_with_cargo_semver_checks_are_the_documented_ones() {
    let mut disagreements = 0;
    for case in cases() {
        let agrees = match case.class {
            Class::Breaking => case.semver_checks == Checks::Major,
            Class::Additive | Class::None => case.semver_checks == Checks::Minor,
            Class::WireBreaking => false,
        };
        if agrees {
            continue;
        }
        disagreements += 1;
        let field_type = case.changes.iter().any(|(kind, path)| {
            matches!(*kind, "required" | "changed") && path.starts_with("types::")
        });
        let required_setter = case
            .changes
            .iter()
            .any(|(kind, path)| *kind == "required" && path.starts_with("builder::"));
        let documented = case.class == Class::WireBreaking
            || (case.class == Class::Breaking
                && case.semver_checks == Checks::Minor
                && (field_type || required_setter));
        assert!(documented, "{}: undocumented disagreement", case.name);
    }
    assert_eq!(disagreements, 9, "the README counts them");
}

/// Writes each edit's old and new spec under `$SEMVER_MATRIX_DIR`, for the
/// one-off cross-check with `cargo-semver-checks` (README).
#[test]
#[ignore = "writes the matrix's specs for a one-off cargo-semver-checks run"]
fn write_the_matrix_for_cargo_semver_checks() {
    let dir = PathBuf::from(std::env::var("SEMVER_MATRIX_DIR").expect("SEMVER_MATRIX_DIR is set"));
    let original = fixture();
    write(&dir, "old", &original);
    for (index, case) in cases().iter().enumerate() {
        let mut edited = original.clone();
        (case.edit)(&mut edited);
        write(&dir, &format!("case{index:02}"), &edited);
        std::fs::write(dir.join(format!("case{index:02}")).join("name"), case.name).expect("write");
    }
}
