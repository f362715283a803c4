//! Hostile specs, one test per vector: spec text never becomes code, and
//! what once aborted, stalled or broke the crate generates. `cargo xtask
//! fuzz` runs these classes (and random text) through rustdoc itself; these
//! tests pin each vector on the generated text.

mod common;

use common::{file, generate};

const RUNS: &str = "compile_error!(\"spec text ran as code\");";

/// A spec whose every description, title and example holds `text`.
fn spec_with_text(text: &str) -> String {
    let thing = serde_json::json!({"$ref": "#/components/schemas/Thing"});
    serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": text, "version": text, "description": text, "termsOfService": text},
        "paths": {"/things/{id}": {"patch": {
            "operationId": "updateThing", "summary": text, "description": text,
            "parameters": [{"name": "id", "in": "path", "required": true, "description": text,
                            "schema": {"type": "string"}, "example": "t-1"}],
            "requestBody": {"required": true, "description": text, "content": {
                "application/json": {"schema": thing, "example": {"name": text}}}},
            "responses": {"200": {"description": text, "content": {
                "application/json": {"schema": thing, "example": {"name": text}}}}}
        }}},
        "components": {"schemas": {"Thing": {
            "type": "object", "description": text, "required": ["name"],
            "properties": {
                "name": {"type": "string", "description": text},
                "example": {"type": "string", "description": text},
                "enum": {"type": "string", "description": text}
            }
        }}}
    })
    .to_string()
}

/// Generates the spec holding `text` everywhere: it must generate, and no
/// file may keep a character rustc refuses in source or comments. Whether
/// a code block is a doc test is rustdoc's to say: `cargo xtask fuzz` runs
/// these vectors through `cargo test --doc`, and `generator::text`'s tests
/// read them as rustdoc's Markdown parser does.
fn assert_never_code(name: &str, text: &str) {
    let krate = generate(&format!("{name}.json"), &spec_with_text(text));
    for generated in &krate.files {
        for (index, line) in generated.contents.lines().enumerate() {
            assert!(
                !line.contains(['\u{202e}', '\r']),
                "{name}: {}:{index} keeps a character rustc refuses",
                generated.path.display()
            );
        }
    }
    let lib = file(&krate, "src/lib.rs");
    let own_tests = lib.matches("```no_run").count() + lib.matches("/// ```\n/// use ").count();
    assert!(own_tests <= 2, "{name}: {own_tests} Rust fences");
}

#[test]
fn unlabelled_rust_and_attribute_fences_are_text() {
    for (name, text) in [
        ("plain", format!("```\n{RUNS}\n```")),
        ("rust-x", format!("```rust,x\n{RUNS}\n```")),
        ("class", format!("```{{.x}}\n{RUNS}\n```")),
        ("tilde", format!("~~~should_panic\n{RUNS}\n~~~")),
        ("long", format!("````\n```\n{RUNS}\n````")),
    ] {
        assert_never_code(name, &text);
    }
}

#[test]
fn indented_quoted_and_listed_blocks_are_text() {
    for (name, text) in [
        ("indented", format!("Text\n\n    {RUNS}\n")),
        ("tab", format!("Text\n\n\t{RUNS}")),
        ("quote-fence", format!("> ```\n> {RUNS}\n> ```")),
        ("quote-indented", format!("> Quote\n>\n>     {RUNS}")),
        ("list-fence", format!("- item\n\n  ```\n  {RUNS}\n  ```")),
        ("list-indented", format!("1. item\n\n       {RUNS}")),
    ] {
        assert_never_code(name, &text);
    }
}

#[test]
fn raw_string_breakouts_and_refused_characters_stay_text() {
    for (name, text) in [
        ("raw-two", format!("\"##)?; {RUNS} (r##\"")),
        ("raw-three", format!("\"###; {RUNS} r###\"")),
        ("comment", format!("*/ {RUNS} /*")),
        ("carriage-return", format!("line\r{RUNS}\rline\r\nend")),
        ("bidi", "bidi \u{202e} text".to_string()),
    ] {
        assert_never_code(name, &text);
    }
}

#[test]
fn the_mock_doc_test_builds_examples_from_tokens() {
    let krate = generate("raw.json", &spec_with_text("\"##)?; panic!(); (r##\""));
    let lib = file(&krate, "src/lib.rs");
    assert!(
        !lib.contains("from_str(r##"),
        "no raw strings in the mock doc test"
    );
    assert!(
        lib.contains("\"name\": \"\\\"##)?; panic!(); (r##\\\"\""),
        "the example is an escaped literal"
    );
}
