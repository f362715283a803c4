//! Hostile specs, made deterministically: every class of input that once ran
//! spec text as code, aborted, stalled or crashed the generator, or gave a
//! crate that does not compile, plus seeded random text in every text field.

use serde_json::{Map, Value, json};

/// One generated spec.
pub struct Case {
    /// A file name that says what the case is (its stem makes the crate name).
    pub file: String,
    /// The spec's bytes.
    pub bytes: Vec<u8>,
}

impl Case {
    fn json(name: &str, document: &Value) -> Self {
        Case {
            file: format!("{name}.json"),
            bytes: serde_json::to_vec_pretty(document).unwrap_or_default(),
        }
    }

    fn yaml(name: &str, text: &str) -> Self {
        Case {
            file: format!("{name}.yaml"),
            bytes: text.as_bytes().to_vec(),
        }
    }
}

/// Code that fails the doc test that compiles it, whatever the context.
pub const RUNS: &str = "compile_error!(\"spec text ran as code\");";

/// Ways a description could open a doc test, each wrapping [`RUNS`].
fn code_vectors() -> Vec<String> {
    let bidi = '\u{202e}';
    vec![
        format!("```\n{RUNS}\n```"),
        format!("```rust\n{RUNS}\n```"),
        format!("```rust,x\n{RUNS}\n```"),
        format!("```{{.x}}\n{RUNS}\n```"),
        format!("```{{.rust}}\n{RUNS}\n```"),
        format!("~~~\n{RUNS}\n~~~"),
        format!("Text\n\n    {RUNS}\n"),
        format!("Text\n\n\t{RUNS}\n"),
        format!("> ```\n> {RUNS}\n> ```"),
        format!("> Quote\n>\n>     {RUNS}"),
        format!("- item\n\n  ```\n  {RUNS}\n  ```"),
        format!("1. item\n\n       {RUNS}"),
        format!("<pre>\n```\n{RUNS}\n```\n</pre>"),
        format!("```should_panic\n{RUNS}\n```"),
        format!("````\n```\n{RUNS}\n````"),
        format!("\"##)?; {RUNS} (r##\""),
        format!("\"###; {RUNS} r###\""),
        format!("*/ {RUNS} /*"),
        format!("line\r{RUNS}\rline\r\nend"),
        format!("bidi {bidi} text"),
        format!("<script>{RUNS}</script> <unclosed [link] `tick"),
    ]
}

/// A small valid spec with one operation and one schema per text, each of
/// whose text fields holds that text; `info` holds them all.
fn text_spec(texts: &[String]) -> Value {
    let all = texts.join("\n\n");
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for (index, text) in texts.iter().enumerate() {
        let thing = format!("#/components/schemas/Thing{index}");
        paths.insert(
            format!("/things{index}/{{thing_id}}"),
            json!({
                "summary": text,
                "description": text,
                "patch": {
                    "operationId": format!("updateThing{index}"),
                    "summary": text,
                    "description": text,
                    "tags": ["t"],
                    "parameters": [
                        {"name": "thing_id", "in": "path", "required": true, "description": text,
                         "schema": {"type": "string", "description": text}, "example": text},
                        {"name": "mode", "in": "query", "description": text, "example": text,
                         "schema": {"type": "string", "enum": ["fast", text]}}
                    ],
                    "requestBody": {
                        "required": true,
                        "description": text,
                        "content": {"application/json": {
                            "schema": {"$ref": thing},
                            "example": {"name": text, "example": text, "enum": text, "kind": "plain"}
                        }}
                    },
                    "responses": {
                        "200": {
                            "description": text,
                            "content": {"application/json": {
                                "schema": {"$ref": thing},
                                "example": {"name": text, "example": text, "enum": text}
                            }}
                        },
                        "default": {"description": text}
                    }
                }
            }),
        );
        schemas.insert(
            format!("Thing{index}"),
            json!({
                "type": "object",
                "title": text,
                "description": text,
                "required": ["name"],
                "properties": {
                    "name": {"type": "string", "description": text, "example": text},
                    "example": {"type": "string", "description": text},
                    "enum": {"type": "string", "description": text},
                    "kind": {"type": "string", "description": text, "enum": [text, "plain"]},
                    "size": {"type": "integer", "description": text, "default": 1}
                }
            }),
        );
    }
    json!({
        "openapi": "3.0.3",
        "info": {
            "title": all,
            "version": all,
            "description": all,
            "termsOfService": all,
            "contact": {"name": all},
        },
        "servers": [{"url": "https://api.example.com/v1", "description": all}],
        "tags": [{"name": "t", "description": all}],
        "paths": paths,
        "components": {
            "securitySchemes": {
                "token": {"type": "http", "scheme": "bearer", "description": all}
            },
            "schemas": schemas
        },
        "security": [{"token": []}]
    })
}

/// A tiny seeded generator (SplitMix64): the same seed gives the same cases.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Random text made of the pieces Markdown, rustdoc and Rust literals react to.
pub fn random_text(rng: &mut Rng) -> String {
    const PIECES: &[&str] = &[
        "```",
        "~~~",
        "\n",
        "\n\n",
        "    ",
        "\t",
        "> ",
        "- ",
        "1. ",
        "rust",
        ",",
        "{",
        "}",
        ".x",
        "x",
        " ",
        RUNS,
        "\"##",
        "\"#",
        "#",
        "[",
        "]",
        "(",
        ")",
        "<",
        ">",
        "\r",
        "\u{202e}",
        "\u{2066}",
        "\\",
        "`",
        "*/",
        "/*",
        "&",
        "!",
        "\u{0}",
        "é",
        "🦀",
        "https://x.example/a",
        "should_panic",
        "no_run",
        "ignore",
        "edition2021",
        "<details>",
        "</pre>",
        "'",
    ];
    let length = 1 + rng.below(24);
    (0..length)
        .map(|_| PIECES[rng.below(PIECES.len())])
        .collect()
}

/// Text that reaches doc comments and literals: one spec holding every
/// known vector, then `random` specs of sixteen seeded random texts each.
pub fn text_cases(seed: u64, random: usize) -> Vec<Case> {
    let mut cases = vec![Case::json("text-vectors", &text_spec(&code_vectors()))];
    let mut rng = Rng::new(seed);
    for i in 0..random {
        let texts: Vec<String> = (0..16).map(|_| random_text(&mut rng)).collect();
        cases.push(Case::json(
            &format!("text-random-{i:03}"),
            &text_spec(&texts),
        ));
    }
    cases
}

/// A spec with one `GET /x` answering `schema`, and `schemas` as components.
fn with_schema(schema: Value, schemas: Map<String, Value>) -> Value {
    json!({
        "openapi": "3.0.3",
        "info": {"title": "T", "version": "1"},
        "paths": {"/x": {"get": {
            "operationId": "getX",
            "responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": schema}
            }}}
        }}},
        "components": {"schemas": schemas}
    })
}

/// `keyword` nested `depth` times around a string schema.
fn nested(keyword: &str, depth: usize) -> Value {
    let mut schema = json!({"type": "string"});
    for _ in 0..depth {
        schema = match keyword {
            "items" => json!({"type": "array", "items": schema}),
            "properties" => json!({"type": "object", "properties": {"p": schema}}),
            "additionalProperties" => json!({"type": "object", "additionalProperties": schema}),
            "not" => json!({"not": schema}),
            other => json!({ other: [schema, {"type": "object"}] }),
        };
    }
    schema
}

/// Deep schemas, inline and through references.
pub fn depth_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for keyword in [
        "items",
        "properties",
        "additionalProperties",
        "allOf",
        "oneOf",
        "anyOf",
        "not",
    ] {
        for depth in [42, 60, 120, 200] {
            cases.push(Case::json(
                &format!("deep-{}-{depth}", keyword.to_lowercase()),
                &with_schema(nested(keyword, depth), Map::new()),
            ));
        }
    }
    let mut deep_yaml =
        String::from("openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths: {}\nx-deep: ");
    deep_yaml.push_str(&"[".repeat(10_000));
    deep_yaml.push_str(&"]".repeat(10_000));
    cases.push(Case::yaml("deep-yaml", &deep_yaml));
    cases
}

/// Specs whose size is small but whose naive handling is not linear.
pub fn time_cases() -> Vec<Case> {
    let mut cases = Vec::new();
    for levels in [22, 40] {
        let mut schemas = Map::new();
        for i in 0..levels {
            let next = format!("#/components/schemas/D{}", i + 1);
            schemas.insert(
                format!("D{i}"),
                json!({"allOf": [
                    {"$ref": next},
                    {"type": "object", "properties": {format!("p{i}"): {"type": "string"}}},
                    {"$ref": next}
                ]}),
            );
        }
        schemas.insert(format!("D{levels}"), json!({"type": "object"}));
        cases.push(Case::json(
            &format!("time-allof-twice-{levels}"),
            &with_schema(json!({"$ref": "#/components/schemas/D0"}), schemas),
        ));
    }
    for links in [6_000] {
        let mut schemas = Map::new();
        for i in 0..links {
            schemas.insert(
                format!("R{i}"),
                json!({"$ref": format!("#/components/schemas/R{}", i + 1)}),
            );
        }
        schemas.insert(format!("R{links}"), json!({"type": "string"}));
        cases.push(Case::json(
            &format!("time-ref-chain-{links}"),
            &with_schema(json!({"$ref": "#/components/schemas/R0"}), schemas),
        ));
    }
    let mut schemas = Map::new();
    schemas.insert("Loop".into(), json!({"$ref": "#/components/schemas/Loop"}));
    cases.push(Case::json(
        "time-ref-loop",
        &with_schema(json!({"$ref": "#/components/schemas/Loop"}), schemas),
    ));
    cases
}

/// Names that collide once Rust's case rules apply, or clash with Rust items.
pub fn name_cases() -> Vec<Case> {
    let object = |properties: Value| json!({"type": "object", "properties": properties});
    let mut cases = vec![
        Case::json(
            "names-fields",
            &with_schema(
                object(
                    json!({"fooBar": {"type": "string"}, "foo_bar": {"type": "integer"}, "FOO-BAR": {"type": "boolean"}}),
                ),
                Map::new(),
            ),
        ),
        Case::json(
            "names-types",
            &with_schema(
                json!({"type": "array", "items": {"oneOf": [
                    {"$ref": "#/components/schemas/fooBar"},
                    {"$ref": "#/components/schemas/foo_bar"},
                    {"$ref": "#/components/schemas/FooBar"}
                ]}}),
                [
                    (
                        "fooBar".to_string(),
                        object(json!({"a": {"type": "string"}})),
                    ),
                    (
                        "foo_bar".to_string(),
                        object(json!({"b": {"type": "string"}})),
                    ),
                    (
                        "FooBar".to_string(),
                        object(json!({"c": {"type": "string"}})),
                    ),
                ]
                .into_iter()
                .collect(),
            ),
        ),
    ];
    for (name, values) in [
        ("err", json!(["Err", "Ok"])),
        ("error", json!(["Error", "Err"])),
        ("self", json!(["Self", "self", "crate", "super"])),
        ("cased", json!(["a-b", "a_b", "A B", "aB"])),
        ("empty", json!(["", "_", "-", " "])),
        ("bidi", json!(["a\u{202e}b", "c\u{2066}d"])),
        ("control", json!(["a\rb", "c\u{0}d", "e\"##f"])),
    ] {
        cases.push(Case::json(
            &format!("names-enum-{name}"),
            &with_schema(json!({"type": "string", "enum": values}), Map::new()),
        ));
    }
    let operation =
        |id: &str| json!({"operationId": id, "responses": {"204": {"description": "done"}}});
    cases.push(Case::json(
        "names-parameters",
        &json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/x": {"get": {
                "operationId": "getX",
                "parameters": [
                    {"name": "fooBar", "in": "query", "schema": {"type": "string"}},
                    {"name": "foo_bar", "in": "query", "schema": {"type": "string"}},
                    {"name": "foo-bar", "in": "header", "schema": {"type": "string"}}
                ],
                "responses": {"204": {"description": "done"}}
            }, "put": operation("self"), "post": operation("Client"), "delete": operation("send")}}
        }),
    ));
    let reserved: Vec<Value> = ["client", "send", "body", "new", "body_map", "self", "type"]
        .map(|name| json!({"name": name, "in": "query", "schema": {"type": "string"}}))
        .into();
    cases.push(Case::json(
        "names-reserved-parameters",
        &json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/x": {"post": {
                "operationId": "postX",
                "parameters": reserved,
                "requestBody": {"content": {"application/json": {"schema": {"type": "object"}}}},
                "responses": {"204": {"description": "done"}}
            }}}
        }),
    ));
    cases
}

/// Header names that no HTTP header can carry.
pub fn header_cases() -> Vec<Case> {
    let base = |schemes: Value, parameters: Value| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/x": {"get": {
                "operationId": "getX",
                "parameters": parameters,
                "security": [{"key": []}],
                "responses": {"204": {"description": "done"}}
            }}},
            "components": {"securitySchemes": schemes}
        })
    };
    vec![
        Case::json(
            "headers-api-key",
            &base(
                json!({"key": {"type": "apiKey", "in": "header", "name": "a b\r\n"}}),
                json!([]),
            ),
        ),
        Case::json(
            "headers-parameter",
            &base(
                json!({"key": {"type": "apiKey", "in": "header", "name": "X-Key"}}),
                json!([{"name": "a b\r\n", "in": "header", "schema": {"type": "string"}}]),
            ),
        ),
        Case::json(
            "headers-empty",
            &base(
                json!({"key": {"type": "apiKey", "in": "header", "name": ""}}),
                json!([{"name": "", "in": "header", "schema": {"type": "string"}}]),
            ),
        ),
    ]
}

/// Spec mistakes that must be reported (or degraded) as the spec's, never as
/// the generator's bug.
pub fn mistake_cases() -> Vec<Case> {
    let answering = |schema: Value| with_schema(schema, Map::new());
    let parameters = |parameters: Value| {
        json!({
            "openapi": "3.0.3",
            "info": {"title": "T", "version": "1"},
            "paths": {"/x/{id}": {"get": {
                "operationId": "getX",
                "parameters": parameters,
                "responses": {"204": {"description": "done"}}
            }}}
        })
    };
    let id = json!({"name": "id", "in": "path", "required": true, "schema": {"type": "string"}});
    vec![
        Case::json("mistake-type-foo", &answering(json!({"type": "foo"}))),
        Case::json("mistake-allof-empty", &answering(json!({"allOf": []}))),
        Case::json("mistake-oneof-empty", &answering(json!({"oneOf": []}))),
        Case::json("mistake-enum-mixed", &answering(json!({"enum": ["a", 1]}))),
        Case::json(
            "mistake-enum-empty",
            &answering(json!({"type": "string", "enum": []})),
        ),
        Case::json(
            "mistake-not-not",
            &answering(json!({"not": {"not": {"type": "string"}}})),
        ),
        Case::json(
            "mistake-required-unknown",
            &answering(json!({"type": "object", "required": ["gone"], "properties": {}})),
        ),
        Case::json(
            "mistake-path-optional",
            &parameters(
                json!([{"name": "id", "in": "path", "required": false, "schema": {"type": "string"}}]),
            ),
        ),
        Case::json(
            "mistake-path-and-query",
            &parameters(json!([id, {"name": "id", "in": "query", "schema": {"type": "string"}}])),
        ),
        Case::json(
            "mistake-object-query",
            &parameters(
                json!([id, {"name": "filter", "in": "query", "schema": {"type": "object", "properties": {"a": {"type": "string"}}}}]),
            ),
        ),
        Case::json(
            "mistake-path-template",
            &json!({
                "openapi": "3.0.3",
                "info": {"title": "T", "version": "1"},
                "paths": {
                    "/a": {"get": {"operationId": "getA", "responses": {"204": {"description": "done"}}}},
                    "/b/{open": {"get": {"operationId": "getB", "responses": {"204": {"description": "done"}}}}
                }
            }),
        ),
        Case::json(
            "mistake-dangling-ref",
            &answering(json!({"$ref": "#/components/schemas/Gone"})),
        ),
        Case::json(
            "mistake-huge-number",
            &answering(json!({"type": "integer", "minimum": -1e30, "maximum": 1e300})),
        ),
        Case::yaml(
            "mistake-huge-integer",
            "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: getX\n      parameters:\n      - {name: n, in: query, schema: {type: integer, minimum: 0, maximum: 340282366920938463463374607431768211456, default: 100000000000000000000000}}\n      responses: {'204': {description: done}}\n",
        ),
        Case::yaml(
            "bom-yaml",
            "\u{feff}openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: getX\n      responses: {'204': {description: done}}\n",
        ),
        Case::json(
            "path-items-31",
            &json!({
                "openapi": "3.1.0",
                "info": {"title": "T", "version": "1"},
                "paths": {"/x": {"$ref": "#/components/pathItems/P"}},
                "components": {"pathItems": {"P": {"get": {
                    "operationId": "getX", "responses": {"204": {"description": "done"}}
                }}}}
            }),
        ),
    ]
}

/// Every case, in a fixed order.
pub fn all(seed: u64, random: usize) -> Vec<Case> {
    let mut cases = text_cases(seed, random);
    cases.extend(depth_cases());
    cases.extend(time_cases());
    cases.extend(name_cases());
    cases.extend(header_cases());
    cases.extend(mistake_cases());
    cases
}
