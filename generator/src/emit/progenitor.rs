//! Runs progenitor (builder interface, merged tags) through its supported
//! settings: hooks the generated crate must implement, the client's inner
//! state, and typify replacements that swap closed string enums for open ones.

use std::cell::Cell;
use std::collections::HashSet;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::Once;

use openapiv3::OpenAPI;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle, TypeImpl};
use quote::quote;

use crate::error::{Culprit, Error, InternalError, Location, SpecError, SpecErrorKind};
use crate::model::Api;

/// progenitor's output, and which optional crates its types use.
pub(crate) struct Output {
    pub file: syn::File,
    pub uses: Uses,
}

/// Crates the generated types need beyond the fixed dependencies.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Uses {
    pub chrono: bool,
    pub regress: bool,
    pub uuid: bool,
    pub futures: bool,
    /// Dropshot websocket upgrades: their handshake key uses `base64` and `rand`.
    pub websockets: bool,
}

fn settings(api: &Api) -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(crate::ClientState))
        // Request and answer types compare, so a test can `assert_eq!` a
        // typed answer. Every field type allows it: scalars, strings,
        // `serde_json::Value`, chrono and uuid types, `Nullable` and the
        // open enums (which derive it too).
        .with_derive("PartialEq");
    for open in &api.open_enums {
        settings.with_replacement(
            &open.type_name,
            format!("crate::types::{}", open.type_name),
            [TypeImpl::Display, TypeImpl::FromStr].into_iter(),
        );
    }
    settings
}

/// Why progenitor gave no output: the error to report, and what the
/// caller may leave out to get output (the pipeline's last resort).
pub(crate) struct Refusal {
    /// The error, at the first failing operation when there is one (boxed:
    /// the refusal travels up through every emit step).
    pub error: Box<Error>,
    /// Component schemas that, untyped, let progenitor take the types.
    pub schemas: Vec<String>,
    /// Operations progenitor fails on (found once the types pass).
    pub operations: Vec<Failing>,
}

impl From<Error> for Refusal {
    fn from(error: Error) -> Self {
        Refusal {
            error: Box::new(error),
            schemas: Vec::new(),
            operations: Vec::new(),
        }
    }
}

/// Runs progenitor on the model's document. On a refusal or panic, finds
/// the component schemas and then the operations it fails on, and pins the
/// error to the first such operation.
pub(crate) fn run(api: &Api, spec_file: &std::path::Path) -> Result<Output, Refusal> {
    let settings = settings(api);
    match run_once(&settings, &api.openapi) {
        Ok(output) => Ok(output),
        Err(failure) => {
            let schemas = failing_schemas(api);
            let operations = if schemas.is_empty() {
                failing_operations(api)
            } else {
                Vec::new()
            };
            let first = operations
                .first()
                .and_then(|f| api.operations.get(f.operation));
            Err(Refusal {
                error: Box::new(locate(first, spec_file, failure)),
                schemas,
                operations,
            })
        }
    }
}

enum Failure {
    Refused(String),
    Panicked(String),
}

thread_local! {
    /// Whether this thread is inside progenitor, whose panics are reported as errors.
    static IN_PROGENITOR: Cell<bool> = const { Cell::new(false) };
}

/// Keeps progenitor's panics (reported as [`InternalError`]s) off stderr;
/// every other panic reaches the hook that was installed before.
fn quiet_progenitor_panics() {
    static INSTALL: Once = Once::new();
    INSTALL.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !IN_PROGENITOR.with(Cell::get) {
                previous(info);
            }
        }));
    });
}

fn run_once(settings: &GenerationSettings, document: &OpenAPI) -> Result<Output, Failure> {
    quiet_progenitor_panics();
    let mut generator = Generator::new(settings);
    IN_PROGENITOR.with(|flag| flag.set(true));
    let tokens = catch_unwind(AssertUnwindSafe(|| generator.generate_tokens(document)));
    IN_PROGENITOR.with(|flag| flag.set(false));
    let tokens = tokens
        .map_err(|panic| {
            let message = panic
                .downcast_ref::<String>()
                .cloned()
                .or_else(|| panic.downcast_ref::<&str>().map(|s| s.to_string()))
                .unwrap_or_else(|| "no message".into());
            Failure::Panicked(message)
        })?
        .map_err(|error| Failure::Refused(first_line(&error.to_string())))?;
    let types = generator.get_type_space();
    let uses = Uses {
        chrono: types.uses_chrono(),
        regress: types.uses_regress(),
        uuid: types.uses_uuid(),
        futures: generator.uses_futures(),
        websockets: generator.uses_websockets(),
    };
    drop(generator);
    let file = syn::parse2(tokens).map_err(|e| Failure::Panicked(e.to_string()))?;
    Ok(Output { file, uses })
}

/// The error for `failure`, at the operation progenitor fails on alone.
fn locate(
    failing: Option<&crate::model::Operation>,
    spec_file: &std::path::Path,
    failure: Failure,
) -> Error {
    match failure {
        Failure::Refused(message) => {
            let location = failing.map_or(Location::File, |operation| {
                Location::pointer([
                    "paths",
                    operation.path.as_str(),
                    &operation.http_method.to_lowercase(),
                ])
            });
            SpecError::new(spec_file, location, SpecErrorKind::Unsupported(message)).into()
        }
        Failure::Panicked(message) => InternalError {
            file: spec_file.to_path_buf(),
            operation: failing.map(|operation| operation.id.clone()),
            culprit: Culprit::Progenitor,
            message,
        }
        .into(),
    }
}

fn clear(item: &mut openapiv3::PathItem, method: &str) {
    let slot = match method {
        "get" => &mut item.get,
        "put" => &mut item.put,
        "post" => &mut item.post,
        "delete" => &mut item.delete,
        "options" => &mut item.options,
        "head" => &mut item.head,
        "patch" => &mut item.patch,
        _ => &mut item.trace,
    };
    *slot = None;
}

/// progenitor appends pretty-printed debug dumps to some messages; keep the sentence.
fn first_line(message: &str) -> String {
    let line = message.lines().next().unwrap_or_default();
    match line.strip_suffix(" {") {
        Some(rest) => rest
            .rsplit_once(' ')
            .map_or(rest, |(head, _)| head)
            .to_string(),
        None => line.to_string(),
    }
}

/// An operation progenitor cannot generate, and what it said.
pub(crate) struct Failing {
    /// Its index in the model's operations.
    pub operation: usize,
    /// progenitor's refusal or panic message.
    pub message: String,
}

/// `document` with only the model's operations at `keep` (indexes).
fn only(api: &Api, document: &OpenAPI, keep: &[usize]) -> OpenAPI {
    let kept: HashSet<(&str, String)> = keep
        .iter()
        .filter_map(|&at| api.operations.get(at))
        .map(|operation| {
            (
                operation.path.as_str(),
                operation.http_method.to_lowercase(),
            )
        })
        .collect();
    let mut document = document.clone();
    for (path, item) in document.paths.paths.iter_mut() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            continue;
        };
        for method in crate::spec::METHODS {
            if !kept.contains(&(path.as_str(), method.to_string())) {
                clear(item, method);
            }
        }
    }
    document
}

/// Whether progenitor takes `document` with only the operations at `keep`.
fn passes(api: &Api, settings: &GenerationSettings, document: &OpenAPI, keep: &[usize]) -> bool {
    run_once(settings, &only(api, document, keep)).is_ok()
}

/// The component schemas whose being untyped lets progenitor take the
/// document without operations: none when it takes it as it is.
///
/// Found by halving (a failure found in half the candidates needs no look
/// at the other half), so that the runs grow with the number of culprits
/// times the logarithm of the number of schemas, never with their product.
fn failing_schemas(api: &Api) -> Vec<String> {
    let settings = settings(api);
    let names: Vec<String> = api
        .openapi
        .components
        .as_ref()
        .map(|c| c.schemas.keys().cloned().collect())
        .unwrap_or_default();
    let untyped_passes = |untyped: &[&String]| {
        let mut document = api.openapi.clone();
        if let Some(components) = document.components.as_mut() {
            for name in untyped {
                if let Some(schema) = components.schemas.get_mut(name.as_str()) {
                    *schema = openapiv3::ReferenceOr::Item(untyped_schema());
                }
            }
        }
        passes(api, &settings, &document, &[])
    };
    if untyped_passes(&[]) {
        return Vec::new();
    }
    let all: Vec<&String> = names.iter().collect();
    if !untyped_passes(&all) {
        return Vec::new();
    }
    culprits(&all, &[], &untyped_passes)
        .into_iter()
        .cloned()
        .collect()
}

/// The smallest part of `candidates` that, added to `fixed`, passes, where
/// `fixed` fails and `fixed` with all of `candidates` passes.
fn culprits<'a>(
    candidates: &[&'a String],
    fixed: &[&'a String],
    passes: &dyn Fn(&[&String]) -> bool,
) -> Vec<&'a String> {
    if candidates.len() <= 1 {
        return candidates.to_vec();
    }
    let (first, second) = candidates.split_at(candidates.len() / 2);
    let with =
        |part: &[&'a String]| -> Vec<&'a String> { fixed.iter().chain(part).copied().collect() };
    if passes(&with(first)) {
        return culprits(first, fixed, passes);
    }
    let in_second = culprits(second, &with(first), passes);
    if passes(&with(&in_second)) {
        return in_second;
    }
    let mut found = culprits(first, &with(&in_second), passes);
    found.extend(in_second);
    found
}

/// A schema that takes any value, as typify takes it.
fn untyped_schema() -> openapiv3::Schema {
    openapiv3::Schema {
        schema_data: Default::default(),
        schema_kind: openapiv3::SchemaKind::Any(Default::default()),
    }
}

/// The operations progenitor fails on, each alone with the others left
/// out; found by halving the operations, so that the runs grow with the
/// number of failing operations times the logarithm of all of them.
fn failing_operations(api: &Api) -> Vec<Failing> {
    let settings = settings(api);
    let all: Vec<usize> = (0..api.operations.len()).collect();
    let mut failing = Vec::new();
    halve(api, &settings, &all, &mut failing);
    failing
}

fn halve(api: &Api, settings: &GenerationSettings, part: &[usize], failing: &mut Vec<Failing>) {
    if part.is_empty() || passes(api, settings, &api.openapi, part) {
        return;
    }
    if let [operation] = part {
        let message = match single(api, settings, *operation) {
            Err(Failure::Refused(message) | Failure::Panicked(message)) => message,
            Ok(_) => String::new(),
        };
        failing.push(Failing {
            operation: *operation,
            message,
        });
        return;
    }
    let (first, second) = part.split_at(part.len() / 2);
    halve(api, settings, first, failing);
    halve(api, settings, second, failing);
}

/// progenitor's output for the document with one operation.
fn single(api: &Api, settings: &GenerationSettings, at: usize) -> Result<Output, Failure> {
    run_once(settings, &only(api, &api.openapi, &[at]))
}
