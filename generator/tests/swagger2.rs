//! Swagger 2.0 specs go in: the OpenAPI Initiative's own 2.0 examples
//! (written anew and small under `fixtures/swagger2/`) each give a crate,
//! and the notes say what was read differently, each at its place in the
//! 2.0 document.

mod common;

use std::path::{Path, PathBuf};

use common::{file, has_code};
use generator::{Api, ClientCrate};

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/swagger2")
        .join(name)
}

fn generate(name: &str) -> ClientCrate {
    generator::generate(&fixture(name)).unwrap_or_else(|e| panic!("{name} generates: {e}"))
}

fn model(name: &str) -> Api {
    let loaded = generator::load(&fixture(name)).expect("loads");
    let normalized = generator::normalize(loaded).expect("normalizes");
    generator::model(generator::validate(normalized).expect("validates"))
}

fn notes(krate: &ClientCrate) -> Vec<String> {
    krate.notes.iter().map(ToString::to_string).collect()
}

fn lib(krate: &ClientCrate) -> &str {
    file(krate, "src/lib.rs")
}

const READ_AS_3_0: &str =
    "#/swagger: Swagger 2.0 is read as OpenAPI 3.0.3; each kind of rewrite is noted";

#[test]
fn petstore_generates_with_a_note_per_kind_of_rewrite() {
    let krate = generate("petstore.yaml");
    assert_eq!(krate.name, "petstore-client");
    assert_eq!(
        notes(&krate),
        [
            READ_AS_3_0,
            "#/host: `host`, `basePath` and `schemes` read as `servers` (one per scheme, `https` first)",
            "#/definitions: `definitions` read as `components/schemas`, and their `$ref`s rewritten",
            "#/definitions/Pets/items/$ref: `$ref`s into `definitions`, `parameters` and `responses` rewritten into `components` (6 places; the first is here)",
            "#/paths/~1pets/get/responses/200/headers/x-next: a response header's type keywords read as its `schema`",
            "#/paths/~1pets/get/responses/200: a response `schema` read as its `content`, one media type per `produces` (5 places; the first is here)",
            "#/paths/~1pets/get/responses/default: `default` beside a success response is read as the error responses `4XX` and `5XX` (progenitor would count it as a second success) (3 places; the first is here)",
        ]
    );
    let code = lib(&krate);
    assert!(
        has_code(code, "pub fn list_pets(&self) -> builder::ListPets<'_>"),
        "listPets"
    );
    assert!(
        has_code(
            code,
            "pub fn limit<V>(mut self, value: V) -> Self where V: std::convert::TryInto<i32>"
        ),
        "the query parameter keeps its type"
    );
    assert!(has_code(code, "pub struct Pet {"), "definitions are types");
    assert!(
        has_code(code, "pub fn show_pet_by_id(&self)"),
        "showPetById"
    );
    let api = model("petstore.yaml");
    let servers: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(servers, ["http://petstore.swagger.io/v1"]);
}

#[test]
fn petstore_expanded_sends_its_body_and_reads_its_all_of() {
    let krate = generate("petstore-expanded.yaml");
    let notes = notes(&krate);
    for expected in [
        READ_AS_3_0,
        "#/paths/~1pets/get/parameters/0: a list parameter's `collectionFormat` (`csv` when none) read as `style` and `explode`",
        "#/paths/~1pets/post/parameters/0: an `in: body` parameter read as `requestBody`, one media type per `consumes`",
        "#/definitions/Pet/allOf/0/$ref: `$ref`s into `definitions`, `parameters` and `responses` rewritten into `components` (9 places; the first is here)",
    ] {
        assert!(
            notes.iter().any(|n| n == expected),
            "{expected}: {notes:#?}"
        );
    }
    let code = lib(&krate);
    assert!(has_code(code, "pub fn add_pet(&self)"), "addPet");
    assert!(
        has_code(
            code,
            "pub fn add_pet() -> OperationMock<types::NewPet, types::Pet, types::ErrorModel>"
        ),
        "the body parameter is the request body"
    );
    assert!(
        has_code(code, "pub fn find_pet_by_id(&self)"),
        "an `operationId` with spaces still names a method"
    );
    // `collectionFormat: csv` is `explode: false`, which progenitor cannot
    // send: the optional `tags` goes, `findPets` stays.
    assert!(has_code(code, "pub fn find_pets(&self)"), "findPets");
    assert!(
        notes
            .iter()
            .any(|n| n.contains("optional parameter left out: query parameter `tags`")),
        "{notes:#?}"
    );
    let api = model("petstore-expanded.yaml");
    let servers: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(servers, ["http://petstore.swagger.io/api"]);
}

#[test]
fn uber_generates_with_its_operations_named_and_https_server() {
    let krate = generate("uber.yaml");
    let notes = notes(&krate);
    for expected in [
        READ_AS_3_0,
        "#/host: `host`, `basePath` and `schemes` read as `servers` (one per scheme, `https` first)",
        "#/paths/~1products/get: this operation has no `operationId`; it is named `get-products` (method `get_products`)",
    ] {
        assert!(
            notes.iter().any(|n| n == expected),
            "{expected}: {notes:#?}"
        );
    }
    let code = lib(&krate);
    assert!(has_code(code, "pub fn get_estimates_price(&self)"));
    assert!(
        has_code(
            code,
            "pub fn start_latitude<V>(mut self, value: V) -> Self where V: std::convert::TryInto<f64>"
        ),
        "doubles"
    );
    assert!(
        has_code(
            code,
            "pub fn customer_uuid<V>(mut self, value: V) -> Self where V: std::convert::TryInto<::uuid::Uuid>"
        ),
        "format uuid kept"
    );
    let api = model("uber.yaml");
    let servers: Vec<&str> = api.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(servers, ["https://api.uber.com/v1"]);
}

#[test]
fn api_with_examples_keeps_its_examples_as_json() {
    let krate = generate("api-with-examples.yaml");
    assert_eq!(
        notes(&krate),
        [
            READ_AS_3_0,
            "#/paths/~1/get/responses/200/examples/application~1json: a response's `examples` read as the `example` of each media type (4 places; the first is here)",
            "#/paths/~1/get/responses/200/examples/application~1json: a JSON example written as text read as the JSON it holds (4 places; the first is here)",
            "#/paths/~1/get/responses/300: progenitor types 2xx, 4xx and 5xx answers only: a 300 reaches the caller as `Error::UnexpectedResponse`, with its status, headers and body",
        ]
    );
    let code = lib(&krate);
    assert!(has_code(code, "pub fn list_versionsv2(&self)"));
    assert!(has_code(code, "pub fn get_version_detailsv2(&self)"));
    let api = model("api-with-examples.yaml");
    assert!(api.servers.is_empty(), "no host, no basePath: no servers");
    let example = api
        .openapi
        .paths
        .paths
        .get("/")
        .and_then(|item| item.as_item())
        .and_then(|item| item.get.as_ref())
        .and_then(|operation| {
            operation
                .responses
                .responses
                .get(&openapiv3::StatusCode::Code(200))
        })
        .and_then(|response| response.as_item())
        .and_then(|response| response.content.get("application/json"))
        .and_then(|media| media.example.clone());
    assert_eq!(
        example.as_ref().and_then(|e| e.pointer("/versions/1/id")),
        Some(&serde_json::json!("v3.0")),
        "{example:?}"
    );
}

#[test]
fn notes_of_later_stages_point_into_the_2_0_file_too() {
    let spec = r#"swagger: '2.0'
info: {title: T, version: '1'}
securityDefinitions:
  oauth: {type: oauth2, flow: accessCode, authorizationUrl: 'https://a.example/auth', tokenUrl: 'https://a.example/token', scopes: {}}
  key: {type: apiKey, name: X-Key, in: header}
security: [{oauth: []}, {key: []}]
paths:
  /things:
    post:
      operationId: addThing
      parameters:
        - {name: thing, in: body, required: true, schema: {type: object, properties: {kind: {type: string, enum: [a, b]}}}}
      responses:
        '200': {description: ok, schema: {$ref: '#/definitions/Thing'}, examples: {application/json: {n: seven}}}
definitions:
  Thing: {type: object, required: [n], properties: {n: {type: integer}}}
"#;
    let krate = common::generate("things.yaml", spec);
    let notes = notes(&krate);
    assert!(
        notes
            .iter()
            .any(|n| n.starts_with("#/securityDefinitions/oauth: OAuth 2 `flow` read as `flows`")),
        "{notes:#?}"
    );
    let api = common::api("things.yaml", spec);
    let example = api
        .notes
        .iter()
        .map(ToString::to_string)
        .find(|n| n.contains("example") && !n.contains("`examples` read as"))
        .unwrap_or_default();
    assert!(
        example.starts_with("#/paths/~1things/post/responses/200/examples/application~1json: "),
        "the model's note on the example that does not fit: {:#?}",
        api.notes
    );
}

#[test]
fn the_same_spec_gives_the_same_notes_and_bytes() {
    for name in ["petstore.yaml", "uber.yaml"] {
        let (a, b) = (generate(name), generate(name));
        assert_eq!(notes(&a), notes(&b));
        assert_eq!(lib(&a), lib(&b));
    }
}
