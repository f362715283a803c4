//! What the generated `tests/scenarios.rs` is fed: each parameter's value
//! (the spec's example if it fits, else one made from the schema for a
//! required parameter), the documented answers, and the operations the
//! scenarios cannot call, each with its reason.

mod common;

use common::{file, has_code};
use generator::model::{Body, Location, Operation};
use generator::{Api, ClientCrate};
use serde_json::json;

const SPEC: &str = r##"
openapi: 3.0.3
info: { title: Facts, version: 1.0.0 }
servers:
  - url: https://{region}.example.com/{version}
    variables:
      region: { default: eu, enum: [eu, us] }
      version: { default: v1 }
  - url: https://sandbox.example.com/v1
paths:
  /items/{itemId}:
    get:
      operationId: getItem
      security:
        - { key: [], basic: [] }
        - {}
      parameters:
        - { name: itemId, in: path, required: true, schema: { type: string }, example: abc }
        - { name: limit, in: query, required: true, schema: { type: integer, minimum: 5, maximum: 50 } }
        - { name: colour, in: query, required: true, schema: { type: string, enum: [red, blue] } }
        - { name: since, in: query, required: true, schema: { type: string, format: date-time } }
        - { name: ids, in: query, required: true, schema: { type: array, items: { type: integer } } }
        - { name: verbose, in: query, schema: { type: boolean } }
        - { name: page, in: query, required: true, schema: { type: integer }, example: not-a-number }
        - { name: X-Trace, in: header, schema: { type: string, pattern: "^[a-f0-9]+$" }, example: beef }
      responses:
        "200":
          description: The item.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
              example: { id: abc }
        "302": { description: Elsewhere. }
        "404":
          description: None such.
          content:
            application/json:
              schema: { $ref: "#/components/schemas/Item" }
        "410": { $ref: "#/components/responses/Gone" }
  /items/{itemId}/photo:
    put:
      operationId: putPhoto
      parameters:
        - { name: itemId, in: path, required: true, schema: { type: string, format: uuid } }
      requestBody:
        required: true
        content:
          application/octet-stream:
            schema: { type: string, format: binary }
      responses:
        "204": { description: Stored. }
        default: { description: An error. }
  /items:
    post:
      operationId: createItem
      parameters:
        - { name: code, in: query, required: true, schema: { type: string, pattern: "^[A-Z]{3}$" } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Item" }
            example: { id: new }
      responses:
        "201": { description: Created. }
  /orders:
    post:
      operationId: createOrder
      parameters:
        - { name: slug, in: query, required: true, schema: { type: string, pattern: "^[a-z]+-[0-9]$" } }
        - { name: ref, in: query, required: true, schema: { type: string, pattern: "^[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12}$" } }
      requestBody:
        required: true
        content:
          application/json:
            schema: { $ref: "#/components/schemas/Order" }
      responses:
        "201": { description: Created. }
  /search:
    post:
      operationId: search
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [q]
              properties:
                q: { type: string }
                limit: { type: integer, minimum: 10 }
      responses:
        "204": { description: Found. }
components:
  responses:
    Gone:
      description: Gone for good.
      content:
        application/json:
          schema: { $ref: "#/components/schemas/Item" }
          example: { id: gone }
  securitySchemes:
    key:
      type: apiKey
      in: header
      name: X-Key
      x-credential-parts: { names: [id, secret], separator: ":" }
    basic: { type: http, scheme: basic }
  schemas:
    Order:
      type: object
      required: [id, quantity, kind, lines]
      properties:
        id: { type: string, format: uuid }
        quantity: { type: integer, minimum: 3 }
        kind: { type: string, enum: [retail, trade] }
        lines:
          type: array
          items: { $ref: "#/components/schemas/Item" }
        note: { type: string }
    Item:
      type: object
      properties:
        id: { type: string }
"##;

fn api() -> Api {
    common::api("facts.yaml", SPEC)
}

fn generate() -> ClientCrate {
    common::generate("facts.yaml", SPEC)
}

fn operation<'a>(api: &'a Api, id: &str) -> &'a Operation {
    api.operations
        .iter()
        .find(|operation| operation.id == id)
        .unwrap_or_else(|| panic!("no operation {id}"))
}

#[test]
fn parameters_get_the_example_or_a_value_their_schema_accepts() {
    let api = api();
    let get = operation(&api, "getItem");
    let value = |name: &str| {
        get.parameters
            .iter()
            .find(|parameter| parameter.name == name)
            .unwrap_or_else(|| panic!("no parameter {name}"))
            .value
            .clone()
    };
    assert_eq!(value("itemId"), Some(json!("abc")), "the example");
    assert_eq!(
        value("limit"),
        Some(json!(5)),
        "the minimum, within the maximum"
    );
    assert_eq!(value("colour"), Some(json!("red")), "the first enum value");
    assert_eq!(value("since"), Some(json!("2024-01-31T12:00:00Z")));
    assert_eq!(value("ids"), Some(json!([1])));
    assert_eq!(value("verbose"), None, "optional, no example: not sent");
    assert_eq!(
        value("page"),
        Some(json!(1)),
        "an example that breaks the schema is replaced"
    );
    let note = api
        .notes
        .iter()
        .find(|note| note.message.contains("parameter `page`"))
        .expect("a note on the example that breaks its schema");
    assert_eq!(
        note.location.to_string(),
        "#/paths/~1items~1{itemId}/get/parameters/6"
    );
    assert_eq!(
        value("X-Trace"),
        Some(json!("beef")),
        "a fitting example of a pattern"
    );

    let item_id = &get.parameters[0];
    assert_eq!(item_id.location, Location::Path);
    assert!(item_id.free_text, "a plain string takes any text");
    let photo = operation(&api, "putPhoto");
    assert!(
        !photo.parameters[0].free_text,
        "a UUID does not take any text"
    );
    assert_eq!(
        photo.parameters[0].value,
        Some(json!("6f1c2a5e-8d3b-4c7a-9e0f-1a2b3c4d5e6f"))
    );
    let create = operation(&api, "createItem");
    assert_eq!(
        create.parameters[0].value, None,
        "no value is made up for a pattern"
    );
}

#[test]
fn a_body_without_an_example_is_made_from_its_schema() {
    let api = api();
    let order = operation(&api, "createOrder");
    let Body::Json { value: Some(body) } = &order.body else {
        panic!("a body is made: {:?}", order.body);
    };
    assert_eq!(
        *body,
        json!({
            "id": "6f1c2a5e-8d3b-4c7a-9e0f-1a2b3c4d5e6f",
            "quantity": 3,
            "kind": "retail",
            "lines": [{}]
        }),
        "required properties only, each a value its schema accepts"
    );
    assert_eq!(
        order.parameters[0].value,
        Some(json!("example-1")),
        "the first text that matches the pattern"
    );
    assert_eq!(
        order.parameters[1].value,
        Some(json!("6f1c2a5e-8d3b-4c7a-9e0f-1a2b3c4d5e6f")),
        "a pattern may want a formatted text"
    );
}

#[test]
fn answers_are_the_typed_statuses_with_their_examples() {
    let api = api();
    let get = operation(&api, "getItem");
    let answers: Vec<_> = get
        .answers
        .iter()
        .map(|answer| (answer.status, answer.json, answer.example.clone()))
        .collect();
    assert_eq!(
        answers,
        [
            (200, true, Some(json!({ "id": "abc" }))),
            (404, true, None),
            (410, true, Some(json!({ "id": "gone" }))),
        ],
        "a `$ref`'d answer is read from `components/responses`"
    );
    assert!(!get.catch_all);
    assert!(
        operation(&api, "putPhoto").catch_all,
        "`default` covers every status"
    );
    assert!(matches!(
        operation(&api, "createItem").body,
        Body::Json { value: Some(_) }
    ));
    assert!(matches!(operation(&api, "putPhoto").body, Body::Other));
    let Body::Form { value: Some(form) } = &operation(&api, "search").body else {
        panic!("a form body is made: {:?}", operation(&api, "search").body);
    };
    assert_eq!(*form, json!({ "q": "example" }), "required fields only");

    let note = api
        .notes
        .iter()
        .find(|note| note.message.contains("302"))
        .expect("a note on the 302");
    assert_eq!(
        note.location.to_string(),
        "#/paths/~1items~1{itemId}/get/responses/302"
    );
    assert!(note.message.contains("Error::UnexpectedResponse"));
}

#[test]
fn servers_security_and_credentials_are_stated_as_the_spec_has_them() {
    let krate = generate();
    let scenarios = file(&krate, "tests/scenarios.rs");
    for fact in [
        r#"servers: &["https://eu.example.com/v1", "https://sandbox.example.com/v1"]"#,
        r#"Scheme { key: "key", kind: SchemeKind::Header { name: "x-key", parts: &["id", "secret"], separator: ":" } }"#,
        r#"Scheme { key: "basic", kind: SchemeKind::Basic }"#,
        r#"security: &[&["basic", "key"], &[]]"#,
    ] {
        assert!(has_code(scenarios, fact), "{fact}");
    }
}

#[test]
fn the_scenario_file_says_which_operations_it_cannot_call_and_why() {
    let krate = generate();
    let scenarios = file(&krate, "tests/scenarios.rs");
    assert!(scenarios.starts_with("// @generated"));
    assert!(scenarios.contains("//! - `putPhoto`: its body is neither JSON nor a form."));
    assert!(scenarios.contains("//! - `createItem`: no value fits its required parameter `code`."));
    assert!(scenarios.contains("mod get_item {"));
    assert!(!scenarios.contains("mod put_photo {"));
}
