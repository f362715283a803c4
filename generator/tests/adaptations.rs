//! What progenitor cannot take, normalize makes it take, with a note:
//! each case on a small spec, checked on the model and the generated crate.

mod common;

use common::{api, file, generate, has_code};
use generator::ClientCrate;
use generator::model::{ClientAuthentication, SchemeKind, Security};

fn lib(krate: &ClientCrate) -> &str {
    file(krate, "src/lib.rs")
}

fn manifest(krate: &ClientCrate) -> &str {
    file(krate, "Cargo.toml")
}

fn has_note(notes: &[generator::Note], needle: &str) -> bool {
    notes.iter().any(|n| n.message.contains(needle))
}

const HEAD: &str = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\n";

#[test]
fn openapi_3_1_is_read_as_3_0_with_notes() {
    let spec = r#"openapi: 3.1.0
info: {title: T, version: '1'}
paths:
  /things:
    get:
      operationId: listThings
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Thing'}
              example: {kind: thing, note: null, size: 2}
components:
  schemas:
    Thing:
      type: object
      required: [kind]
      properties:
        kind: {const: thing}
        note: {type: [string, 'null'], examples: [hello]}
        size: {type: integer, exclusiveMinimum: 0}
"#;
    let krate = generate("three-one.yaml", spec);
    assert!(
        has_note(&krate.notes, "OpenAPI 3.1.0 is read as 3.0.3"),
        "{:#?}",
        krate.notes
    );
    assert!(
        has_note(&krate.notes, "`type: [T, \"null\"]`"),
        "{:#?}",
        krate.notes
    );
    assert!(has_note(&krate.notes, "`const: v`"), "{:#?}", krate.notes);
    let lib = lib(&krate);
    assert!(
        lib.contains("::client_runtime::Nullable<::std::string::String>"),
        "note is Nullable"
    );
    assert!(
        lib.contains("fn list_things_response_200()"),
        "the example is tested"
    );
    assert!(
        lib.contains("## Generation notes"),
        "the crate docs list the notes"
    );
}

#[test]
fn a_percent_encoded_ref_is_read_as_the_pointer_it_encodes() {
    let spec = format!(
        r#"{HEAD}paths:
  /{{id}}:
    parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
    get:
      operationId: getThing
      responses:
        '404': {{description: None such.}}
    delete:
      operationId: deleteThing
      responses:
        '204': {{description: Gone.}}
        '404': {{$ref: '#/paths/~1%7Bid%7D/get/responses/404'}}
"#
    );
    let krate = generate("things.yaml", &spec);
    assert!(has_code(lib(&krate), "pub fn delete_thing"));
}

#[test]
fn servers_of_a_path_or_an_operation_are_a_note_once() {
    let spec = format!(
        r#"{HEAD}servers: [{{url: https://a.example}}]
paths:
  /x:
    servers: [{{url: https://b.example}}]
    get:
      operationId: getX
      responses: {{'204': {{description: ok}}}}
    put:
      operationId: putX
      servers: [{{url: https://c.example}}]
      responses: {{'204': {{description: ok}}}}
"#
    );
    let api = api("hosts.yaml", &spec);
    let notes: Vec<String> = api
        .notes
        .iter()
        .filter(|note| note.message.contains("are not used"))
        .map(|note| format!("{}: {}", note.location, note.message))
        .collect();
    assert_eq!(notes.len(), 2, "{notes:#?}");
    assert!(notes[0].starts_with("#/paths/~1x/servers: these servers (`https://b.example`)"));
    assert!(notes[1].starts_with("#/paths/~1x/put/servers: these servers (`https://c.example`)"));
    assert_eq!(
        api.servers.len(),
        1,
        "the client's servers are the document's"
    );
}

#[test]
fn operations_without_an_operation_id_are_named_from_method_and_path() {
    let spec = format!(
        "{HEAD}paths:\n  /streams/{{id}}:\n    post:\n      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]\n      responses:\n        '204': {{description: ok}}\n"
    );
    let api = api("unnamed.yaml", &spec);
    assert_eq!(api.operations[0].method_name, "post_streams_id");
    assert!(
        has_note(&api.notes, "has no `operationId`"),
        "{:#?}",
        api.notes
    );
}

#[test]
fn unsupported_security_schemes_are_left_out_and_fail_closed_where_they_can() {
    let spec = format!(
        r#"{HEAD}components:
  securitySchemes:
    digest: {{type: http, scheme: digest}}
    oidc: {{type: openIdConnect, openIdConnectUrl: 'https://a.example/.well-known/openid-configuration'}}
    cookie: {{type: apiKey, in: cookie, name: session}}
    query: {{type: apiKey, in: query, name: api_key}}
    oauth: {{type: oauth2, flows: {{clientCredentials: {{tokenUrl: 'https://a.example/token', scopes: {{read: Read.}}}}}}}}
    bearer: {{type: http, scheme: bearer}}
paths:
  /either:
    get:
      operationId: either
      security: [{{digest: []}}, {{bearer: []}}]
      responses: {{'204': {{description: ok}}}}
  /only:
    get:
      operationId: only
      security: [{{digest: []}}]
      responses: {{'204': {{description: ok}}}}
  /scoped:
    get:
      operationId: scoped
      security: [{{oauth: [read]}}, {{oidc: [openid]}}]
      responses: {{'204': {{description: ok}}}}
  /keys:
    get:
      operationId: keys
      security: [{{query: [], cookie: []}}]
      responses: {{'204': {{description: ok}}}}
"#
    );
    let api = api("oauth.yaml", &spec);
    let keys: Vec<_> = api.schemes.iter().map(|s| s.key.as_str()).collect();
    assert_eq!(
        keys,
        ["bearer", "cookie", "oauth", "oidc", "query"],
        "only HTTP digest is left out"
    );
    let operation = |id: &str| {
        api.operations
            .iter()
            .find(|o| o.id == id)
            .unwrap_or_else(|| panic!("no operation {id}"))
    };
    assert_eq!(operation("either").security, Security::AnyOf(vec![vec![0]]));
    assert_eq!(operation("only").security, Security::None);
    assert_eq!(
        operation("scoped").security,
        Security::AnyOf(vec![vec![2], vec![3]])
    );
    assert_eq!(operation("scoped").scopes[&2], ["read"]);
    assert_eq!(operation("scoped").scopes[&3], ["openid"]);
    assert_eq!(
        operation("keys").security,
        Security::AnyOf(vec![vec![1, 4]])
    );
    assert!(matches!(
        &api.schemes[2].kind,
        SchemeKind::OAuth2 { token_url: Some(url), client_authentication: ClientAuthentication::Basic, openid_connect_url: None }
            if url == "https://a.example/token"
    ));
    assert!(matches!(
        &api.schemes[3].kind,
        SchemeKind::OAuth2 { token_url: None, openid_connect_url: Some(url), .. }
            if url == "https://a.example/.well-known/openid-configuration"
    ));
    assert!(matches!(&api.schemes[1].kind, SchemeKind::CookieKey { name } if name == "session"));
    assert!(matches!(&api.schemes[4].kind, SchemeKind::QueryKey { name } if name == "api_key"));
    assert!(
        has_note(&api.notes, "security scheme `digest` (HTTP `digest`)"),
        "{:#?}",
        api.notes
    );
    assert!(
        has_note(
            &api.notes,
            "security scheme `oidc` (OpenID Connect) is sent as `Authorization: Bearer <token>`"
        ),
        "{:#?}",
        api.notes
    );
    assert_eq!(api.notes.len(), 2, "{:#?}", api.notes);

    let krate = generate("keys.yaml", &spec);
    let lib = lib(&krate);
    assert!(
        has_code(
            lib,
            r#"client_runtime::api_key_query(request, "api_key", query);"#
        ),
        "the query key goes into the request's URL"
    );
    assert!(has_code(
        lib,
        "client_runtime::add_cookie(request.headers_mut(), cookie);"
    ));
}

#[test]
fn a_client_credentials_flow_says_how_the_client_authenticates() {
    let scheme = |method: &str| {
        format!(
            r#"{HEAD}components:
  securitySchemes:
    tokens:
      type: oauth2
      flows:
        clientCredentials:
          tokenUrl: /oauth/token
          x-token-endpoint-auth-method: {method}
          scopes: {{}}
paths:
  /a:
    get:
      operationId: a
      security: [{{tokens: []}}]
      responses: {{'204': {{description: ok}}}}
"#
        )
    };
    let post = api("post.yaml", &scheme("client_secret_post"));
    assert!(matches!(
        &post.schemes[0].kind,
        SchemeKind::OAuth2 { token_url: Some(url), client_authentication: ClientAuthentication::RequestBody, .. }
            if url == "/oauth/token"
    ));
    let krate = generate("post.yaml", &scheme("client_secret_post"));
    assert!(has_code(
        lib(&krate),
        "client_runtime::ClientAuthentication::RequestBody"
    ));

    let basic = api("basic.yaml", &scheme("client_secret_basic"));
    assert!(matches!(
        &basic.schemes[0].kind,
        SchemeKind::OAuth2 {
            client_authentication: ClientAuthentication::Basic,
            ..
        }
    ));
}

const PETS: &str = r#"components:
  schemas:
    Pet: {type: object, required: [name], properties: {name: {type: string}}}
    Pets: {type: array, items: {$ref: '#/components/schemas/Pet'}}
    Error: {type: object, required: [code], properties: {code: {type: integer}}}
    Problem: {type: object, properties: {title: {type: string}}}
"#;

#[test]
fn default_beside_a_success_is_the_errors() {
    let spec = format!(
        r#"{HEAD}{PETS}paths:
  /pets:
    get:
      operationId: listPets
      responses:
        '200':
          description: ok
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pets'}}}}}}
        default:
          description: error
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Error'}}}}}}
"#
    );
    let krate = generate("pets.yaml", &spec);
    assert!(has_note(
        &krate.notes,
        "read as the error responses `4XX` and `5XX`"
    ));
    let lib = lib(&krate);
    assert!(
        has_code(
            lib,
            "ResponseValue<types::Pets>, client_runtime::Error<types::Error>>"
        ),
        "one success and one error type"
    );
}

#[test]
fn several_success_bodies_are_one_enum_and_bodiless_ones_make_bytes() {
    let spec = format!(
        r#"{HEAD}{PETS}paths:
  /pets:
    post:
      operationId: addPet
      responses:
        '200':
          description: existing
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}
        '202':
          description: queued
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Problem'}}}}}}
        '400':
          description: bad
          content: {{application/problem+json: {{schema: {{$ref: '#/components/schemas/Problem'}}}}}}
        '404':
          description: no body
        '500':
          description: server
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Error'}}}}}}
  /pets/{{id}}:
    delete:
      operationId: deletePet
      parameters: [{{name: id, in: path, required: true, schema: {{type: string}}}}]
      responses:
        '200':
          description: deleted
          content: {{application/json: {{schema: {{$ref: '#/components/schemas/Pet'}}}}}}
        '204':
          description: already gone
"#
    );
    let krate = generate("union.yaml", &spec);
    let lib = lib(&krate);
    assert!(lib.contains("pub enum AddPetSuccess"), "success enum");
    assert!(lib.contains("pub enum AddPetError"), "error enum");
    assert!(
        has_code(
            lib,
            "ResponseValue<types::AddPetSuccess>, client_runtime::Error<types::AddPetError>>"
        ),
        "send returns the enums"
    );
    assert!(has_note(
        &krate.notes,
        "`404` has no body of the operation's error type"
    ));
    assert!(
        has_code(lib, "ResponseValue<ByteStream>, client_runtime::Error<()>>"),
        "200 JSON with 204 empty is bytes"
    );
    assert!(has_note(&krate.notes, "the success body is bytes"));
}

#[test]
fn multipart_bodies_are_typed_forms() {
    let spec = format!(
        r#"{HEAD}paths:
  /files:
    post:
      operationId: upload
      requestBody:
        content:
          multipart/form-data:
            schema:
              type: object
              required: [file]
              properties:
                file: {{type: string, format: binary}}
                title: {{type: string}}
          application/octet-stream:
            schema: {{type: string, format: binary}}
      responses: {{'204': {{description: ok}}}}
"#
    );
    let krate = generate("files.yaml", &spec);
    assert!(has_note(&krate.notes, "the request body is offered as"));
    let lib = lib(&krate);
    assert!(
        lib.contains("pub file: ::std::vec::Vec<u8>"),
        "the file is bytes"
    );
    assert!(has_code(
        lib,
        ".multipart(crate::multipart::form(&body, &[\"file\"]).map_err(Error::InvalidRequest)?)"
    ));
    assert!(!lib.contains("form_urlencoded"), "the form is multipart");
    assert!(
        manifest(&krate).contains("reqwest.features = [\"multipart\"]"),
        "{}",
        manifest(&krate)
    );
}

#[test]
fn examples_that_contradict_their_schema_are_noted_and_left_out() {
    let spec = format!(
        r#"{HEAD}{PETS}paths:
  /pets:
    post:
      operationId: addPet
      requestBody:
        content:
          application/json:
            schema: {{$ref: '#/components/schemas/Pet'}}
            examples:
              good: {{value: {{name: Rex}}}}
              bad: {{value: {{name: 7}}}}
      responses: {{'204': {{description: ok}}}}
"#
    );
    let api = api("examples.yaml", &spec);
    let tests: Vec<&str> = api.examples.iter().map(|e| e.test_name.as_str()).collect();
    assert_eq!(tests, ["addPet-request-good"]);
    let note = api
        .notes
        .iter()
        .find(|n| n.message.contains("contradicts its schema"))
        .expect("a note");
    assert_eq!(
        note.to_string(),
        "#/paths/~1pets/post/requestBody/content/application~1json/examples/bad/value: this example contradicts its schema at `/name` (not a string): it is left out of the generated tests"
    );
}

#[test]
fn references_progenitor_cannot_look_up_are_inlined() {
    let spec = format!(
        r#"{HEAD}paths:
  /a:
    get:
      operationId: getA
      responses:
        '200': {{$ref: '#/components/schemas/Ok'}}
components:
  schemas:
    Ok:
      description: ok
      content: {{application/json: {{schema: {{type: object, properties: {{id: {{type: string}}, type: object}}}}}}}}
"#
    );
    let krate = generate("refs.yaml", &spec);
    assert!(has_note(
        &krate.notes,
        "does not point into `components/responses`"
    ));
    assert!(has_note(&krate.notes, "is not a schema: left out"));
}

#[test]
fn names_that_collide_in_rust_are_made_distinct_with_notes() {
    let spec = format!(
        "{HEAD}paths:
  /a:
    get:
      operationId: getA
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/fooBar'}}
    put:
      operationId: get_a
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {{$ref: '#/components/schemas/foo_bar'}}
    post:
      operationId: getA
      responses:
        '204': {{description: done}}
components:
  schemas:
    fooBar:
      type: object
      properties:
        xY: {{type: string}}
        x_y: {{type: integer}}
    foo_bar:
      type: object
      properties:
        kind: {{type: string, enum: [Err, Ok, a-b, a_b]}}
"
    );
    let krate = generate("collide.yaml", &spec);
    for needle in [
        "schema `foo_bar` would be the Rust type of another schema: it is the type `FooBar2`",
        "`operationId: get_a` would be the Rust method of another operation: it is `get_a2`",
        "`operationId: getA` would be the Rust method of another operation: it is `get_a3`",
        "property `x_y` would have the Rust field of another property of this object: left out",
    ] {
        assert!(
            has_note(&krate.notes, needle),
            "{needle}: {:#?}",
            krate.notes
        );
    }
    let lib = lib(&krate);
    assert!(lib.contains("pub struct FooBar2"), "FooBar2 is generated");
    assert!(
        lib.contains("pub fn get_a3("),
        "the third operation keeps a method"
    );
}
