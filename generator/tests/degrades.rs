//! Degrade, don't refuse: a vendor's mistake in one place costs that place
//! and a note, never the spec. Each class on a small spec of its own: the
//! crate is generated, the mistake's place is noted (and is a degrade, which
//! strict mode refuses), and the rest of the spec is untouched.

mod common;

use common::{file, generate, has_code, with_spec};
use generator::{ClientCrate, Location, Note};

fn lib(krate: &ClientCrate) -> &str {
    file(krate, "src/lib.rs")
}

/// The note whose message contains `needle`.
fn note<'a>(krate: &'a ClientCrate, needle: &str) -> &'a Note {
    krate
        .notes
        .iter()
        .find(|n| n.message.contains(needle))
        .unwrap_or_else(|| panic!("no note with {needle:?} in {:#?}", krate.notes))
}

fn at(note: &Note, pointer: &str) {
    assert_eq!(note.location, Location::Pointer(pointer.into()), "{note}");
}

/// A spec whose one operation answers with the schema `Answer`.
fn answering(answer: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: T, version: '1'}}
paths:
  /x:
    get:
      operationId: getX
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/Answer'}}
components:
  schemas:
    Answer: {answer}
"#
    )
}

#[test]
fn numbers_beyond_64_bits_load_and_their_bounds_are_dropped_with_a_note() {
    let yaml = answering(
        "{type: object, properties: {n: {type: integer, minimum: 0, maximum: 18446744073709552000, default: 340282366920938463463374607431768211456}}}",
    );
    let krate = generate("big-yaml.yaml", &yaml);
    at(
        note(&krate, "`maximum` is beyond 64 bits"),
        "/components/schemas/Answer/properties/n/maximum",
    );
    assert!(note(&krate, "`default` does not fit").is_degrade());
    let json = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"},
      "paths": {"/x": {"get": {"operationId": "getX", "parameters": [
        {"name": "n", "in": "query", "schema": {"type": "number", "minimum": -1e400}}],
        "responses": {"204": {"description": "done"}}}}}}"#;
    let krate = generate("big-json.json", json);
    at(
        note(&krate, "`minimum` is beyond 64 bits"),
        "/paths/~1x/get/parameters/0/schema/minimum",
    );
}

#[test]
fn schemas_typify_cannot_take_become_untyped_at_their_place() {
    for (answer, needle, pointer) in [
        (
            "{type: object, properties: {a: {type: foo, description: Odd.}, b: {type: string}}}",
            "`type: \"foo\"`",
            "/components/schemas/Answer/properties/a/type",
        ),
        (
            "{type: object, properties: {a: {$ref: '#/components/schemas/Gone'}, b: {type: string}}}",
            "points at nothing",
            "/components/schemas/Answer/properties/a/$ref",
        ),
    ] {
        let krate = generate("untyped.yaml", &answering(answer));
        let found = note(&krate, needle);
        at(found, pointer);
        assert!(found.is_degrade());
        assert!(
            has_code(
                lib(&krate),
                "pub a: ::std::option::Option<::serde_json::Value>"
            ),
            "{answer}"
        );
        assert!(
            has_code(
                lib(&krate),
                "pub b: ::std::option::Option<::std::string::String>"
            ),
            "{answer}"
        );
    }
}

#[test]
fn a_keyword_typify_cannot_take_costs_only_that_keyword() {
    let answer = r#"{type: object, properties: {
        links: {type: object, format: uri-map, description: Links.},
        kind: {type: string, enum: [a, 1]},
        mixed: {enum: [a, 1]},
        size: {type: integer, default: big, example: [1]},
        all: {allOf: []},
        other: {type: string, not: {not: {type: string}}}}}"#;
    let krate = generate("keywords.yaml", &answering(answer));
    for needle in [
        "`format: \"uri-map\"`",
        "`enum` values do not all fit",
        "`default` does not fit",
        "`example` does not fit",
        "empty or malformed `allOf`",
        "this `not` is not enforced",
    ] {
        assert!(note(&krate, needle).is_degrade(), "{needle}");
    }
    let code = lib(&krate);
    assert!(
        has_code(
            code,
            "pub links: ::serde_json::Map<::std::string::String, ::serde_json::Value>"
        ) || has_code(code, "pub links: ::std::option::Option<::serde_json::Map")
    );
    assert!(has_code(
        code,
        "pub kind: ::std::option::Option<::std::string::String>"
    ));
    assert!(has_code(code, "pub size: ::std::option::Option<i64>"));
}

#[test]
fn patterns_for_other_regex_engines_are_translated_or_not_enforced() {
    let answer = r#"{type: object, properties: {
        file: {type: string, pattern: '([^\s]+(\.(?i)(jpeg|pdf))$)'},
        line: {type: string, pattern: '(?m)^a$'}}}"#;
    let krate = generate("patterns.yaml", &answering(answer));
    let translated = note(&krate, "translated to the ECMAScript syntax");
    at(
        translated,
        "/components/schemas/Answer/properties/file/pattern",
    );
    assert!(!translated.is_degrade(), "a translation keeps the meaning");
    assert!(lib(&krate).contains("[pP][dD][fF]"));
    let dropped = note(&krate, "cannot express: not enforced");
    at(
        dropped,
        "/components/schemas/Answer/properties/line/pattern",
    );
    assert!(dropped.is_degrade());
}

#[test]
fn parameters_progenitor_cannot_take_are_repaired_or_left_out() {
    let spec = r#"openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /x/{id}/{undeclared}:
    get:
      operationId: getX
      parameters:
      - {name: id, in: path, required: false, schema: {type: string}}
      - {name: id, in: query, schema: {type: string}}
      - {name: filter, in: query, schema: {type: object, properties: {a: {type: string}}}}
      - {name: page, in: query, schema: {type: integer}}
      responses:
        '204': {description: done}
"#;
    let krate = generate("parameters.yaml", spec);
    assert!(!note(&krate, "always required").is_degrade());
    at(
        note(&krate, "also a path parameter"),
        "/paths/~1x~1{id}~1{undeclared}/get/parameters/1",
    );
    assert!(note(&krate, "query parameter `filter` is an object").is_degrade());
    assert!(note(&krate, "`{undeclared}` has no `in: path` parameter").is_degrade());
    let code = lib(&krate);
    for method in ["pub fn id<", "pub fn undeclared<", "pub fn page<"] {
        assert!(code.contains(method), "{method}");
    }
    assert!(!code.contains("pub fn filter<"));
}

#[test]
fn null_scopes_in_a_security_requirement_mean_none() {
    let spec = r#"openapi: 3.0.3
info: {title: T, version: '1'}
components:
  securitySchemes:
    token: {type: http, scheme: bearer}
paths:
  /x:
    get:
      operationId: getX
      security: [{token: null}]
      responses:
        '204': {description: done}
"#;
    let krate = generate("scopes.yaml", spec);
    at(
        note(&krate, "scopes are `null`"),
        "/paths/~1x/get/security/0/token",
    );
}

#[test]
fn an_operation_progenitor_cannot_generate_is_left_out_and_named() {
    let spec = r#"openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /kept:
    get:
      operationId: getKept
      responses:
        '204': {description: done}
  /odd:
    get:
      operationId: getOdd
      parameters:
      - {name: session, in: cookie, required: true, schema: {type: string}}
      responses:
        '204': {description: done}
"#;
    let krate = generate("left-out.yaml", spec);
    let missing = note(
        &krate,
        "operation `getOdd` (`GET /odd`) is missing from the crate",
    );
    at(missing, "/paths/~1odd/get");
    assert!(missing.is_degrade());
    let code = lib(&krate);
    assert!(code.contains("pub fn get_kept("));
    assert!(!code.contains("pub fn get_odd("));
    assert!(
        code.contains("is missing from the crate"),
        "the crate docs name it"
    );
}

#[test]
fn strict_mode_refuses_a_degraded_spec_at_its_first_degrade() {
    let krate = generate(
        "strict.yaml",
        &answering("{type: object, properties: {a: {type: foo}}}"),
    );
    let error = krate.strict().expect_err("strict refuses");
    assert_eq!(
        error.location,
        Location::Pointer("/components/schemas/Answer/properties/a/type".into())
    );
    assert!(error.to_string().contains("strict mode"), "{error}");
    let clean = generate(
        "clean.yaml",
        &answering("{type: object, properties: {a: {type: string}}}"),
    );
    assert!(clean.strict().is_ok());
}

#[test]
fn loading_never_fails_on_numbers_even_in_example_data() {
    let spec = answering(
        "{type: object, properties: {a: {type: number}}, example: {a: 1e999, b: -99999999999999999999999999}}",
    );
    with_spec("examples.yaml", &spec, |path| {
        generator::load(path).expect("loads");
    });
    let json = r#"{"openapi": "3.0.3", "info": {"title": "T", "version": "1"}, "x-big": [1e999, -1e999, 123456789012345678901234567890],
      "paths": {"/x": {"get": {"operationId": "getX", "responses": {"204": {"description": "done"}}}}}}"#;
    generate("examples.json", json);
}

#[test]
fn nullable_parameters_and_options_operations_do_not_break_the_crate() {
    let spec = r#"openapi: 3.0.3
info: {title: T, version: '1'}
paths:
  /x:
    get:
      operationId: getX
      parameters:
      - {name: x-hints, in: header, schema: {type: string, nullable: true}}
      responses:
        '204': {description: done}
    options:
      operationId: optionsX
      responses:
        '204': {description: done}
"#;
    let krate = generate("methods.yaml", spec);
    assert!(!note(&krate, "no null to send").is_degrade());
    at(
        note(&krate, "the `OPTIONS` operation is missing"),
        "/paths/~1x/options",
    );
    let code = lib(&krate);
    assert!(code.contains("pub fn get_x("));
    assert!(!code.contains("pub fn options_x("));
}
