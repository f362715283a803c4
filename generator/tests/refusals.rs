//! Specs the generator must refuse, each with the file, the place and the fix.

use std::path::Path;

use generator::{Location, SpecError, SpecErrorKind};

const FIXTURE: &str = include_str!("fixtures/widgets.yaml");

/// Loads and generates `text` saved as `<dir>/specs/<name>`.
fn refuse(name: &str, text: &str) -> SpecError {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write the spec");
    match generator::generate(&path) {
        Ok(_) => panic!("{name} was accepted"),
        Err(generator::Error::Internal(error)) => panic!("{name}: internal error {error}"),
        Err(generator::Error::Spec(error)) => {
            let message = error.to_string();
            assert!(
                message.contains(name),
                "message does not name the file: {message}"
            );
            assert!(message.contains("fix: "), "message has no fix: {message}");
            error
        }
    }
}

/// Generates `text` saved as `name`, then refuses it in strict mode.
fn refuse_strictly(name: &str, text: &str) -> SpecError {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write the spec");
    let krate = generator::generate(&path).unwrap_or_else(|e| panic!("{name} generates: {e}"));
    let error = krate
        .strict()
        .expect_err("strict mode refuses a degraded spec");
    let message = error.to_string();
    assert!(
        message.contains(name),
        "message does not name the file: {message}"
    );
    assert!(message.contains("fix: "), "message has no fix: {message}");
    error
}

fn edited(from: &str, to: &str) -> String {
    assert!(FIXTURE.contains(from), "the fixture lacks {from:?}");
    FIXTURE.replacen(from, to, 1)
}

#[test]
fn yaml_syntax_errors_give_line_and_column() {
    let error = refuse(
        "broken.yaml",
        &edited("paths:\n", "paths:\n  - [unclosed\n"),
    );
    assert!(matches!(error.kind, SpecErrorKind::Syntax(_)), "{error}");
    assert!(
        matches!(error.location, Location::LineColumn { line, .. } if line > 1),
        "{error}"
    );
}

#[test]
fn json_specs_are_read_and_their_errors_located() {
    let error = refuse("broken.json", "{\"openapi\": \"3.0.3\",\n  \"info\": }");
    assert!(matches!(error.kind, SpecErrorKind::Syntax(_)), "{error}");
    assert_eq!(
        error.location,
        Location::LineColumn {
            line: 2,
            column: 11
        }
    );
}

#[test]
fn unknown_openapi_versions_are_refused_plainly() {
    let error = refuse("newer.yaml", &edited("openapi: 3.0.3", "openapi: 4.0.0"));
    assert!(matches!(error.kind, SpecErrorKind::UnsupportedVersion(ref v) if v == "4.0.0"));
    assert!(
        error.to_string().contains("OpenAPI 4.0.0 is not supported"),
        "{error}"
    );
}

#[test]
fn swagger_versions_other_than_2_0_are_refused_plainly() {
    let error = refuse(
        "older.yaml",
        "swagger: '1.2'\ninfo: {title: x, version: '1'}\npaths: {}\n",
    );
    assert!(
        matches!(error.kind, SpecErrorKind::UnsupportedSwaggerVersion(ref v) if v == "1.2"),
        "{error}"
    );
    assert_eq!(error.location, Location::Pointer("/swagger".into()));
    assert!(error.to_string().contains("Swagger 1.2"), "{error}");
}

#[test]
fn wrong_shapes_of_a_swagger_2_0_spec_are_located_by_pointer() {
    let error = refuse(
        "older.yaml",
        "swagger: '2.0'\ninfo: {title: x, version: [1]}\npaths: {}\n",
    );
    assert!(matches!(error.kind, SpecErrorKind::Shape(_)), "{error}");
    assert_eq!(error.location, Location::Pointer("/info/version".into()));
    assert!(
        error.to_string().contains("read from Swagger 2.0"),
        "{error}"
    );
}

#[test]
fn errors_in_a_swagger_2_0_spec_point_into_the_2_0_file() {
    let error = refuse_strictly(
        "older.yaml",
        "swagger: '2.0'\ninfo: {title: x, version: '1'}\npaths:\n  /a:\n    get:\n      responses:\n        '200':\n          description: ok\n          schema: {$ref: '#/definitions/Missing'}\n",
    );
    assert!(
        matches!(error.kind, SpecErrorKind::Degraded { ref message, .. } if message.contains("#/components/schemas/Missing")),
        "{error}"
    );
    assert_eq!(
        error.location,
        Location::Pointer("/paths/~1a/get/responses/200/schema/$ref".into())
    );
}

#[test]
fn wrong_shapes_are_located() {
    let error = refuse(
        "shape.yaml",
        &edited("  version: 1.0.0\n", "  version: [1]\n"),
    );
    assert!(matches!(error.kind, SpecErrorKind::Shape(_)), "{error}");
    assert!(
        matches!(error.location, Location::LineColumn { .. }),
        "{error}"
    );
}

#[test]
fn dangling_refs_name_the_pointer() {
    // A schema `$ref` to nothing costs that schema (untyped); strict mode
    // refuses it at its place.
    let error = refuse_strictly(
        "dangling.yaml",
        &edited(
            "$ref: '#/components/schemas/ApiError'",
            "$ref: '#/components/schemas/Missing'",
        ),
    );
    assert!(
        matches!(error.kind, SpecErrorKind::Degraded { ref message, .. } if message.contains("#/components/schemas/Missing")),
        "{error}"
    );
    assert_eq!(
        error.location,
        Location::Pointer(
            "/paths/~1widgets~1{widgetId}/patch/responses/404/content/application~1json/schema/$ref".into()
        )
    );
}

#[test]
fn refs_to_files_that_are_not_there_are_refused_at_their_place() {
    let error = refuse(
        "external.yaml",
        &edited(
            "$ref: '#/components/schemas/ApiError'",
            "$ref: 'other.yaml#/ApiError'",
        ),
    );
    assert!(
        matches!(error.kind, SpecErrorKind::UnreadableRef { ref reference, .. } if reference == "other.yaml#/ApiError"),
        "{error}"
    );
    assert!(
        matches!(error.location, Location::Pointer(ref p) if p.ends_with("/schema/$ref")),
        "{error}"
    );
}

#[test]
fn refs_to_urls_are_refused_without_fetching() {
    let error = refuse(
        "remote.yaml",
        &edited(
            "$ref: '#/components/schemas/ApiError'",
            "$ref: 'https://example.com/api.yaml#/ApiError'",
        ),
    );
    assert!(matches!(error.kind, SpecErrorKind::RemoteRef(_)), "{error}");
}

#[test]
fn undefined_path_parameters_are_added_and_refused_in_strict_mode() {
    let error = refuse_strictly(
        "path.yaml",
        &edited("/widgets/{widgetId}:", "/widgets/{widgetId}/{part}:"),
    );
    assert!(
        matches!(error.kind, SpecErrorKind::Degraded { ref message, .. } if message.contains("`{part}` has no `in: path` parameter")),
        "{error}"
    );
}

/// A required cookie cannot be left out (optional ones are, with a note),
/// and progenitor cannot send it: the operation is missing from the crate,
/// which strict mode refuses at the operation.
#[test]
fn what_progenitor_cannot_handle_is_left_out_at_its_operation() {
    let error = refuse_strictly(
        "cookie.yaml",
        &edited(
            "          in: header\n",
            "          in: cookie\n          required: true\n",
        ),
    );
    assert!(
        matches!(error.kind, SpecErrorKind::Degraded { ref message, .. } if message.contains("missing from the crate")),
        "{error}"
    );
    assert_eq!(
        error.location,
        Location::Pointer("/paths/~1widgets~1{widgetId}/patch".into())
    );
    assert!(
        error
            .to_string()
            .contains("cookie parameters are not supported"),
        "{error}"
    );
}

/// When progenitor fails on every operation, nothing is generatable: the
/// spec is refused at the first.
#[test]
fn a_spec_whose_every_operation_fails_is_refused() {
    let spec = "openapi: 3.0.3\ninfo: {title: T, version: '1'}\npaths:\n  /x:\n    get:\n      operationId: getX\n      parameters:\n      - {name: c, in: cookie, required: true, schema: {type: string}}\n      responses:\n        '204': {description: done}\n";
    let error = refuse("cookie-only.yaml", spec);
    assert!(
        matches!(error.kind, SpecErrorKind::Unsupported(_)),
        "{error}"
    );
    assert_eq!(error.location, Location::Pointer("/paths/~1x/get".into()));
}

#[test]
fn refs_inside_example_data_are_data() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("example-ref.yaml");
    let text = edited(
        "              name: Sprocket\n",
        "              name: Sprocket\n              $ref: not a reference\n",
    );
    std::fs::write(&path, text).expect("write the spec");
    generator::generate(&path).expect("a `$ref` key inside an example is data");
}

#[test]
fn a_title_with_a_newline_makes_a_valid_manifest() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("newline.yaml");
    let text = edited(
        "  title: Widgets API\n",
        "  title: \"Widgets\\n\\\"API\\\" = 1\"\n",
    );
    std::fs::write(&path, text).expect("write the spec");
    let generated = generator::generate(&path).expect("generates");
    let manifest = &generated
        .files
        .iter()
        .find(|f| f.path == Path::new("Cargo.toml"))
        .expect("a manifest")
        .contents;
    let parsed: toml_edit::DocumentMut = manifest.parse().expect("the manifest is valid TOML");
    let description = parsed["package"]["description"]
        .as_str()
        .expect("a description");
    assert!(
        description == "Typed async client for Widgets \"API\" = 1",
        "{description}"
    );
}

#[test]
fn file_names_must_make_crate_names() {
    let error = refuse("---.yaml", FIXTURE);
    assert!(matches!(error.kind, SpecErrorKind::FileName(_)), "{error}");
}

#[test]
fn a_missing_file_is_an_io_error() {
    let error = generator::load(Path::new("no/such/spec.yaml")).expect_err("no such file");
    assert!(matches!(error.kind, SpecErrorKind::Io(_)));
}

/// A misspelt client authentication method would fall back to HTTP Basic,
/// which a vendor that takes the secret in the body refuses at run time.
#[test]
fn an_unknown_token_endpoint_auth_method_is_refused_at_its_place() {
    let error = refuse(
        "auth-method.yaml",
        &edited(
            "          tokenUrl: https://auth.example.com/oauth/token\n",
            "          tokenUrl: https://auth.example.com/oauth/token\n          x-token-endpoint-auth-method: client_secret_form\n",
        ),
    );
    assert!(
        matches!(error.kind, SpecErrorKind::UnknownTokenEndpointAuthMethod(ref m) if m == "client_secret_form"),
        "{error}"
    );
    let message = error.to_string();
    assert!(
        message.contains(
            "#/components/securitySchemes/partnerTokens/flows/clientCredentials/x-token-endpoint-auth-method"
        ),
        "{message}"
    );
    assert!(message.contains("client_secret_post"), "{message}");
}
