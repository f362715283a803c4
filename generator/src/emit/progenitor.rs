//! Runs progenitor (builder interface, merged tags) through its supported
//! settings: hooks the generated crate must implement, the client's inner
//! state, and typify replacements that swap closed string enums for open ones.

use std::cell::Cell;
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

/// Runs progenitor on the model's document. A refusal or panic is pinned
/// to the operation it happens on by running the operations one at a time.
pub(crate) fn run(api: &Api, spec_file: &std::path::Path) -> Result<Output, Error> {
    let settings = settings(api);
    match run_once(&settings, &api.openapi) {
        Ok(output) => Ok(output),
        Err(failure) => Err(locate(api, &settings, spec_file, failure)),
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

/// Names the first operation progenitor fails on alone, if any.
fn locate(
    api: &Api,
    settings: &GenerationSettings,
    spec_file: &std::path::Path,
    failure: Failure,
) -> Error {
    let failing = api.operations.iter().find(|operation| {
        let mut single = api.openapi.clone();
        for (path, item) in single.paths.paths.iter_mut() {
            let openapiv3::ReferenceOr::Item(item) = item else {
                continue;
            };
            for method in crate::spec::METHODS {
                let keep =
                    path == &operation.path && method.eq_ignore_ascii_case(&operation.http_method);
                if !keep {
                    clear(item, method);
                }
            }
        }
        run_once(settings, &single).is_err()
    });
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
