//! Specs split over files: the entry rule of a spec folder, bundling into
//! one document (components by the place of the `$ref`, stable names,
//! cycles), the `$ref`s refused at their place, and errors found after
//! bundling reported in the file they come from.

use std::path::{Path, PathBuf};

use generator::{Location, SpecError, SpecErrorKind};
use serde_json::{Value, json};

const INFO: &str = "openapi: 3.0.3\ninfo: {title: Pets, version: '1'}\n";

/// Writes `files` (path relative to the folder, text) into `<tmp>/<folder>`.
fn folder(name: &str, files: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let root = dir.path().join(name);
    for (path, text) in files {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("create dirs");
        std::fs::write(path, text).expect("write");
    }
    (dir, root)
}

fn raw(path: &Path) -> Value {
    generator::load(path)
        .unwrap_or_else(|e| panic!("loads: {e}"))
        .raw
}

fn refused(path: &Path) -> SpecError {
    match generator::load(path) {
        Ok(_) => panic!("{} was accepted", path.display()),
        Err(error) => error,
    }
}

fn entry(paths: &str) -> String {
    format!("{INFO}paths:\n{paths}")
}

/// A pet store over three files, with a cycle (`Pet.owner` → `Owner.pets` → `Pet`).
fn pets() -> Vec<(&'static str, String)> {
    vec![
        (
            "openapi.yaml",
            entry(
                "  /pets/{id}:\n    $ref: paths/pet.yaml\n  /owners/{id}:\n    get:\n      operationId: getOwner\n      parameters:\n        - $ref: 'paths/pet.yaml#/parameters/0'\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {$ref: 'models/owner.yaml'}\n",
            ),
        ),
        (
            "paths/pet.yaml",
            "parameters:\n  - {name: id, in: path, required: true, example: 7, schema: {type: integer}}\nget:\n  operationId: getPet\n  responses:\n    '200':\n      description: ok\n      content:\n        application/json:\n          schema: {$ref: '../models/pet.yaml'}\n".into(),
        ),
        (
            "models/pet.yaml",
            "type: object\nproperties:\n  name: {type: string}\n  owner: {$ref: 'owner.yaml'}\n".into(),
        ),
        (
            "models/owner.yaml",
            "type: object\nproperties:\n  pets:\n    type: array\n    items: {$ref: './pet.yaml#'}\n  tag: {$ref: '#/definitions/Tag'}\ndefinitions:\n  Tag: {type: string}\n".into(),
        ),
    ]
}

fn pets_folder() -> (tempfile::TempDir, PathBuf) {
    let files = pets();
    let borrowed: Vec<(&str, &str)> = files.iter().map(|(p, t)| (*p, t.as_str())).collect();
    folder("pet-store", &borrowed)
}

#[test]
fn a_folder_bundles_into_one_document_with_one_component_per_target() {
    let (_dir, root) = pets_folder();
    let loaded = generator::load(&root).expect("loads");
    assert_eq!(loaded.vendor, "pet-store");
    assert_eq!(loaded.entry, root.join("openapi.yaml"));
    let raw = loaded.raw;
    // The path item is copied in place; its schema became a component.
    assert_eq!(
        raw.pointer("/paths/~1pets~1{id}/get/responses/200/content/application~1json/schema"),
        Some(&json!({"$ref": "#/components/schemas/pet"}))
    );
    // A cycle across files is plain references; `#/...` in owner.yaml is owner.yaml's.
    let schemas = &raw["components"]["schemas"];
    assert_eq!(
        schemas["pet"]["properties"]["owner"],
        json!({"$ref": "#/components/schemas/owner"})
    );
    assert_eq!(
        schemas["owner"]["properties"]["pets"]["items"],
        json!({"$ref": "#/components/schemas/pet"})
    );
    assert_eq!(
        schemas["owner"]["properties"]["tag"],
        json!({"$ref": "#/components/schemas/Tag"})
    );
    assert_eq!(schemas.as_object().map(|s| s.len()), Some(3), "{schemas:#}");
    // A parameter referenced under `parameters` is a component parameter.
    assert_eq!(
        raw.pointer("/paths/~1owners~1{id}/get/parameters/0"),
        Some(&json!({"$ref": "#/components/parameters/parameters_0"}))
    );
    assert_eq!(
        raw["components"]["parameters"]["parameters_0"]["name"],
        "id"
    );
    // The whole pipeline takes it.
    let krate = generator::generate(&root).unwrap_or_else(|e| panic!("generates: {e}"));
    assert_eq!(krate.name, "pet-store-client");
}

#[test]
fn the_same_files_give_the_same_bytes() {
    let (_dir, root) = pets_folder();
    let first = generator::generate(&root).expect("generates");
    let again = generator::generate(&root).expect("generates");
    assert_eq!(first.files, again.files);
}

#[test]
fn an_entry_file_inside_a_folder_resolves_from_its_directory() {
    let (_dir, root) = pets_folder();
    let renamed = root.join("Pets-public.v1.yaml");
    std::fs::rename(root.join("openapi.yaml"), &renamed).expect("rename");
    let loaded = generator::load(&renamed).expect("loads");
    assert_eq!(loaded.vendor, "pets-public-v1");
    assert!(loaded.raw.pointer("/components/schemas/owner").is_some());
    // As a folder, the one top-level file with an `openapi` key is the entry.
    assert_eq!(generator::load(&root).expect("loads").entry, renamed);
}

#[test]
fn the_entry_of_a_folder_is_named_or_the_only_openapi_file() {
    let (_dir, root) = folder(
        "api",
        &[
            (
                "openapi.json",
                r#"{"openapi": "3.0.3", "info": {"title": "a", "version": "1"}, "paths": {}}"#,
            ),
            ("openapi.yaml", &entry("  {}\n")),
            ("other.yaml", INFO),
        ],
    );
    assert_eq!(
        generator::load(&root).expect("loads").entry,
        root.join("openapi.yaml")
    );
    std::fs::remove_file(root.join("openapi.yaml")).expect("remove");
    assert_eq!(
        generator::load(&root).expect("loads").entry,
        root.join("openapi.json")
    );

    let (_dir, root) = folder(
        "two",
        &[("a.yaml", INFO), ("b.yaml", INFO), ("c.yaml", "x: 1\n")],
    );
    let error = refused(&root);
    assert!(
        matches!(&error.kind, SpecErrorKind::NoEntryDocument(names) if names == &["a.yaml", "b.yaml"]),
        "{error}"
    );
    assert_eq!(error.file, root);
    assert!(
        error
            .to_string()
            .contains("fix: name the entry document `openapi.yaml`")
    );

    let (_dir, root) = folder("none", &[("schemas.yaml", "Pet: {type: object}\n")]);
    assert!(
        matches!(refused(&root).kind, SpecErrorKind::NoEntryDocument(names) if names.is_empty())
    );
}

/// The folder `bad` whose entry's only operation answers with `schema`.
fn with_schema(schema: &str, extra: &[(&str, &str)]) -> (tempfile::TempDir, PathBuf) {
    let text = entry(&format!(
        "  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          content:\n            application/json:\n              schema: {schema}\n"
    ));
    let mut files = vec![("openapi.yaml", text.as_str())];
    files.extend_from_slice(extra);
    let files: Vec<(&str, &str)> = files;
    folder("bad", &files)
}

/// A schema, the other files of the folder, and the refusal it must give.
type Refusal = (
    &'static str,
    &'static [(&'static str, &'static str)],
    fn(&SpecErrorKind) -> bool,
);

const SCHEMA_REF: &str = "/paths/~1a/get/responses/200/content/application~1json/schema/$ref";

#[test]
fn refs_out_of_the_folder_to_urls_or_to_nothing_are_refused_at_their_place() {
    let cases: [Refusal; 6] = [
        ("{$ref: '../outside.yaml'}", &[], |k| {
            matches!(k, SpecErrorKind::RefLeavesFolder(_))
        }),
        ("{$ref: '/etc/pet.yaml'}", &[], |k| {
            matches!(k, SpecErrorKind::RefLeavesFolder(_))
        }),
        ("{$ref: 'https://example.com/pet.yaml'}", &[], |k| {
            matches!(k, SpecErrorKind::RemoteRef(_))
        }),
        ("{$ref: 'missing.yaml'}", &[], |k| {
            matches!(k, SpecErrorKind::UnreadableRef { .. })
        }),
        (
            "{$ref: 'pet.yaml#/Nope'}",
            &[("pet.yaml", "Pet: {type: object}\n")],
            |k| matches!(k, SpecErrorKind::MissingRefTarget { file, .. } if file == "pet.yaml"),
        ),
        // `a/../../x` climbs above the folder even though it starts inside.
        ("{$ref: 'a/../../x.yaml'}", &[], |k| {
            matches!(k, SpecErrorKind::RefLeavesFolder(_))
        }),
    ];
    for (schema, extra, expected) in cases {
        let (_dir, root) = with_schema(schema, extra);
        let error = refused(&root);
        assert!(expected(&error.kind), "{schema}: {error}");
        assert_eq!(error.file, root.join("openapi.yaml"), "{schema}");
        assert_eq!(
            error.location,
            Location::Pointer(SCHEMA_REF.into()),
            "{schema}"
        );
        assert!(error.to_string().contains("fix: "), "{error}");
    }
}

#[test]
fn a_referenced_file_that_does_not_parse_is_located_in_that_file() {
    let (_dir, root) = with_schema(
        "{$ref: 'models/pet.yaml'}",
        &[(
            "models/pet.yaml",
            "type: object\nproperties:\n  a: [unclosed\n",
        )],
    );
    let error = refused(&root);
    assert!(matches!(error.kind, SpecErrorKind::Syntax(_)), "{error}");
    assert_eq!(error.file, root.join("models/pet.yaml"));
    assert!(
        matches!(error.location, Location::LineColumn { line: 4, .. }),
        "{error}"
    );
}

#[test]
fn refs_in_a_referenced_file_are_located_in_it() {
    let (_dir, root) = with_schema(
        "{$ref: 'models/pet.yaml'}",
        &[(
            "models/pet.yaml",
            "type: object\nproperties:\n  a: {$ref: 'https://x.test/a.yaml'}\n",
        )],
    );
    let error = refused(&root);
    assert!(matches!(error.kind, SpecErrorKind::RemoteRef(_)), "{error}");
    assert_eq!(error.file, root.join("models/pet.yaml"));
    assert_eq!(
        error.location,
        Location::Pointer("/properties/a/$ref".into())
    );
}

#[test]
fn a_cycle_of_copies_is_refused_and_a_cycle_of_components_is_not() {
    let (_dir, root) = folder(
        "loop",
        &[
            ("openapi.yaml", &entry("  /a:\n    $ref: 'a.yaml'\n")),
            ("a.yaml", "get: {$ref: 'a.yaml'}\n"),
        ],
    );
    let error = refused(&root);
    assert!(matches!(error.kind, SpecErrorKind::RefCycle(_)), "{error}");
    assert_eq!(error.file, root.join("a.yaml"));

    let (_dir, root) = with_schema(
        "{$ref: 'a.yaml'}",
        &[
            (
                "a.yaml",
                "type: object\nproperties: {b: {$ref: 'b.yaml'}}\n",
            ),
            (
                "b.yaml",
                "type: object\nproperties: {a: {$ref: 'a.yaml'}}\n",
            ),
        ],
    );
    let schemas = &raw(&root)["components"]["schemas"];
    assert_eq!(
        schemas["a"]["properties"]["b"],
        json!({"$ref": "#/components/schemas/b"})
    );
    assert_eq!(
        schemas["b"]["properties"]["a"],
        json!({"$ref": "#/components/schemas/a"})
    );
}

#[test]
fn names_are_readable_and_two_targets_never_share_one() {
    let (_dir, root) = with_schema(
        "{allOf: [{$ref: 'x/item.yaml'}, {$ref: 'y/item.yaml'}, {$ref: 'Pet.yaml'}, {$ref: 'common.yaml#/components/schemas/Tag'}, {$ref: 'alias.yaml'}]}\ncomponents:\n  schemas:\n    Pet: {type: string}\n",
        &[
            ("x/item.yaml", "type: string\n"),
            ("y/item.yaml", "type: integer\n"),
            ("Pet.yaml", "type: object\n"),
            (
                "common.yaml",
                "components: {schemas: {Tag: {type: boolean}}}\n",
            ),
            // An alias is followed to its target: no component of its own.
            ("alias.yaml", "$ref: 'x/item.yaml'\n"),
        ],
    );
    let raw = raw(&root);
    let all_of = raw
        .pointer("/paths/~1a/get/responses/200/content/application~1json/schema/allOf")
        .expect("allOf");
    let names: Vec<&str> = all_of
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(|r| r["$ref"].as_str())
        .collect();
    assert_eq!(
        names,
        [
            "#/components/schemas/x_item",
            "#/components/schemas/y_item",
            "#/components/schemas/Pet_2",
            "#/components/schemas/Tag",
            "#/components/schemas/x_item",
        ]
    );
    assert_eq!(
        raw["components"]["schemas"]["Pet"],
        json!({"type": "string"})
    );
}

#[test]
fn an_entry_component_that_only_refers_to_a_file_becomes_its_content() {
    let (_dir, root) = with_schema(
        "{$ref: 'pet.yaml'}\ncomponents:\n  schemas:\n    Pet: {$ref: 'pet.yaml'}\n",
        &[(
            "pet.yaml",
            "type: object\nproperties: {self: {$ref: 'pet.yaml'}}\n",
        )],
    );
    let raw = raw(&root);
    let schemas = &raw["components"]["schemas"];
    assert_eq!(schemas.as_object().map(|s| s.len()), Some(1), "{schemas:#}");
    assert_eq!(
        schemas["Pet"]["properties"]["self"],
        json!({"$ref": "#/components/schemas/Pet"})
    );
    assert_eq!(
        raw.pointer(&SCHEMA_REF.replace("/$ref", "")),
        Some(&json!({"$ref": "#/components/schemas/Pet"}))
    );
}

#[test]
fn each_place_of_a_ref_gives_its_component_kind() {
    let (_dir, root) = folder(
        "kinds",
        &[
            (
                "openapi.yaml",
                &entry(
                    "  /a:\n    post:\n      x-samples: {$ref: 'parts.yaml#/sample'}\n      requestBody: {$ref: 'parts.yaml#/body'}\n      responses:\n        '200': {$ref: 'parts.yaml#/ok'}\n",
                ),
            ),
            (
                "parts.yaml",
                "sample: {lang: curl}\nbody:\n  content:\n    application/json:\n      schema: {type: object}\n      example: {$ref: 'example.json'}\nok:\n  description: ok\n  headers:\n    X-Rate: {$ref: '#/rate'}\nrate: {schema: {type: integer}}\n",
            ),
            ("example.json", "{\"a\": 1}"),
        ],
    );
    let raw = raw(&root);
    let operation = &raw["paths"]["/a"]["post"];
    assert_eq!(operation["x-samples"], json!({"lang": "curl"}));
    assert_eq!(
        operation["requestBody"],
        json!({"$ref": "#/components/requestBodies/body"})
    );
    assert_eq!(
        operation["responses"]["200"],
        json!({"$ref": "#/components/responses/ok"})
    );
    let components = &raw["components"];
    assert_eq!(
        components["responses"]["ok"]["headers"]["X-Rate"],
        json!({"$ref": "#/components/headers/rate"})
    );
    // Example data that names a file of the folder is copied in.
    assert_eq!(
        components["requestBodies"]["body"]["content"]["application/json"]["example"],
        json!({"a": 1})
    );
}

#[test]
fn later_errors_name_the_file_the_problem_is_in() {
    let (_dir, root) = folder(
        "later",
        &[
            (
                "openapi.yaml",
                &entry(
                    "  /a:\n    get:\n      operationId: same\n      responses:\n        '204': {description: ok}\n  /b:\n    $ref: 'paths/b.yaml'\n",
                ),
            ),
            (
                "paths/b.yaml",
                "get:\n  operationId: other\n  security: [{nope: []}]\n  responses:\n    '204': {description: ok}\n",
            ),
        ],
    );
    let error = match generator::generate(&root) {
        Err(generator::Error::Spec(error)) => error,
        Err(other) => panic!("refused as a spec problem, not {other}"),
        Ok(krate) => panic!("refused, not generated with {:?}", krate.notes),
    };
    assert!(
        matches!(error.kind, SpecErrorKind::UnknownSecurityScheme(_)),
        "{error}"
    );
    assert_eq!(error.file, root.join("paths/b.yaml"));
    assert_eq!(error.location, Location::Pointer("/get/security".into()));
}

#[test]
fn a_wrong_shape_in_a_referenced_file_is_reported_in_that_file() {
    let (_dir, root) = with_schema(
        "{$ref: 'models/pet.yaml'}",
        &[("models/pet.yaml", "type: object\nrequired: name\n")],
    );
    let error = match generator::generate(&root) {
        Err(generator::Error::Spec(error)) => error,
        other => panic!("refused as a spec problem, not {other:?}"),
    };
    assert!(matches!(error.kind, SpecErrorKind::Shape(_)), "{error}");
    assert_eq!(error.file, root.join("models/pet.yaml"));
    assert_eq!(error.location, Location::Pointer(String::new()), "{error}");
}

#[test]
fn copies_that_multiply_are_refused_before_they_fill_memory() {
    let level = |next: usize| {
        format!(
            "[{}]\n",
            vec![format!("{{$ref: 'l{next}.yaml'}}"); 16].join(", ")
        )
    };
    let levels: Vec<(String, String)> = (0..8)
        .map(|i| (format!("l{i}.yaml"), level(i + 1)))
        .chain([("l8.yaml".to_string(), format!("'{}'\n", "x".repeat(4096)))])
        .collect();
    let entry = format!("{INFO}x-samples: {{$ref: 'l0.yaml'}}\npaths: {{}}\n");
    let mut files: Vec<(&str, &str)> = vec![("openapi.yaml", &entry)];
    files.extend(levels.iter().map(|(p, t)| (p.as_str(), t.as_str())));
    let (_dir, root) = folder("bomb", &files);
    let error = refused(&root);
    assert!(
        matches!(error.kind, SpecErrorKind::TooManyCopies(_)),
        "{error}"
    );
}

#[cfg(unix)]
#[test]
fn a_symbolic_link_out_of_the_folder_is_refused() {
    let (dir, root) = with_schema("{$ref: 'models/pet.yaml'}", &[]);
    std::fs::write(dir.path().join("outside.yaml"), "type: object\n").expect("write");
    std::fs::create_dir_all(root.join("models")).expect("create dirs");
    std::os::unix::fs::symlink(
        dir.path().join("outside.yaml"),
        root.join("models/pet.yaml"),
    )
    .expect("symlink");
    let error = refused(&root);
    assert!(
        matches!(error.kind, SpecErrorKind::RefLeavesFolder(_)),
        "{error}"
    );
    assert_eq!(error.location, Location::Pointer(SCHEMA_REF.into()));
}
