//! Time grows with the spec, not faster: a synthetic spec shaped like
//! PagerDuty's REST API (thousands of `$ref`s, a hundred and sixty of them
//! into members of other schemas: `…/Tag/allOf/0`, `…/properties/name`,
//! `…/oneOf/1`), which once ran for more than ten minutes, generates in
//! seconds; and twice the spec costs about twice the time in the stages
//! this generator adds before progenitor.

mod common;

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use common::with_spec;
use serde_json::{Value, json};

/// A spec of `schemas` component schemas, each with five `$ref`s to others,
/// `member_refs` of which point into members of other schemas, and one
/// operation per ten schemas.
fn synthetic(schemas: usize, member_refs: usize) -> String {
    let mut components = serde_json::Map::new();
    for i in 0..schemas {
        let other = |k: usize| format!("#/components/schemas/S{}", (i * 7 + k) % schemas);
        let mut properties = serde_json::Map::new();
        properties.insert(
            "name".into(),
            json!({"type": "string", "description": format!("Name {i}.")}),
        );
        for k in 1..=4 {
            properties.insert(format!("p{k}"), json!({"$ref": other(k)}));
        }
        let member = if i < member_refs {
            let target = (i * 13 + 5) % schemas;
            match i % 3 {
                0 => format!("#/components/schemas/S{target}/allOf/0"),
                1 => format!("#/components/schemas/S{target}/allOf/1/properties/name"),
                _ => format!("#/components/schemas/S{target}/allOf/1/properties/value/oneOf/1"),
            }
        } else {
            other(5)
        };
        properties.insert(
            "value".into(),
            json!({"oneOf": [{"type": "string"}, {"type": "integer"}]}),
        );
        properties.insert("member".into(), json!({"$ref": member}));
        components.insert(
            format!("S{i}"),
            json!({"allOf": [
                {"type": "object", "properties": {"id": {"type": "string"}}},
                {"type": "object", "properties": properties}
            ]}),
        );
    }
    let mut paths = serde_json::Map::new();
    for i in (0..schemas).step_by(10) {
        paths.insert(
            format!("/s{i}/{{id}}"),
            json!({"get": {
                "operationId": format!("getS{i}"),
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": {"description": "ok", "content": {"application/json": {
                    "schema": {"$ref": format!("#/components/schemas/S{i}")}
                }}}}
            }}),
        );
    }
    let spec = json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1"},
        "paths": Value::Object(paths),
        "components": {"schemas": Value::Object(components)}
    });
    spec.to_string()
}

/// How many `$ref`s `text` holds.
fn count_refs(text: &str) -> usize {
    text.matches("\"$ref\"").count()
}

/// The time the stages before progenitor take on the spec.
fn stages_before_emit(text: &str) -> Duration {
    with_spec("synthetic.json", text, |path| {
        let started = Instant::now();
        let loaded = generator::load(path).expect("loads");
        let normalized = generator::normalize(loaded).expect("normalizes");
        let api = generator::model(generator::validate(normalized).expect("validates"));
        assert!(!api.operations.is_empty());
        started.elapsed()
    })
}

#[test]
fn thousands_of_member_refs_stay_linear_before_progenitor() {
    let small = synthetic(1000, 160);
    let refs = count_refs(&small);
    assert!(refs >= 5000, "{refs} refs");
    let large = synthetic(2000, 320);
    let (small_time, large_time) = (stages_before_emit(&small), stages_before_emit(&large));
    let mut report = String::new();
    let _ = write!(
        report,
        "{refs} refs: {small_time:?}; {} refs: {large_time:?}",
        count_refs(&large)
    );
    eprintln!("stages before progenitor: {report}");
    assert!(small_time < Duration::from_secs(20), "{report}");
    // Twice the spec, at most about twice the time (with room for noise).
    assert!(
        large_time < small_time * 4 + Duration::from_secs(1),
        "{report}"
    );
}

#[test]
fn a_spec_of_five_thousand_refs_generates_in_seconds() {
    let text = synthetic(1000, 160);
    with_spec("synthetic.json", &text, |path| {
        let started = Instant::now();
        let krate = generator::generate(path).unwrap_or_else(|e| panic!("{e}"));
        let elapsed = started.elapsed();
        assert!(krate.files.iter().any(|f| f.path.ends_with("lib.rs")));
        eprintln!("generated {} bytes of spec in {elapsed:?}", text.len());
        // Unoptimized builds of typify (as tests and `cargo xtask` build
        // it) are slow; the bound is the issue's, with room for a busy machine.
        assert!(elapsed < Duration::from_secs(120), "{elapsed:?}");
    });
}
