//! Stage 5, emit: the crate's Rust items and manifest, each emitter reading
//! only the model. progenitor's items live in a private module `api` whose
//! public names the crate root re-exports, so that the crate's `Error` is
//! `client_runtime::Error` while progenitor's code keeps its own.

mod adjust;
mod auth;
mod client_builder;
mod crate_root;
mod docs;
mod examples;
mod hidden;
mod hooks;
mod manifest;
mod mock;
mod multipart;
mod open_enum;
mod open_union;
mod progenitor;
mod quick_start;
mod readme;
mod scenarios;
mod servers;

use std::path::Path;

use syn::{Item, parse_quote};

use crate::error::{Culprit, Error, InternalError};
use crate::model::Api;
use crate::text;

/// A client crate's contents, before formatting.
pub struct Emitted {
    /// `src/lib.rs`.
    pub lib: syn::File,
    /// `Cargo.toml`.
    pub manifest: toml_edit::DocumentMut,
    /// `examples/update_<vendor>.rs`, when the spec has a complete request example.
    pub example: Option<syn::File>,
    /// `tests/scenarios.rs`, when the spec gives the shared scenarios anything to check.
    pub scenarios: Option<syn::File>,
    /// `README.md`, the page crates.io shows.
    pub readme: String,
}

pub(crate) use progenitor::{Failing, Refusal};

/// Emits the crate for `api`, read from `spec_file`, as version `version`.
pub fn emit(api: &Api, spec_file: &Path, version: &str) -> Result<Emitted, Error> {
    try_emit(api, spec_file, version).map_err(|refusal| *refusal.error)
}

/// [`emit`], saying on a progenitor failure what could be left out to
/// get a crate (see [`crate::fallback`]).
pub(crate) fn try_emit(api: &Api, spec_file: &Path, version: &str) -> Result<Emitted, Refusal> {
    let internal = |message: String| -> Error {
        InternalError {
            file: spec_file.to_path_buf(),
            operation: None,
            culprit: Culprit::Generator,
            message,
        }
        .into()
    };
    let parse = |tokens: proc_macro2::TokenStream| -> Result<syn::File, Error> {
        syn::parse2(tokens).map_err(|e| internal(format!("emitted code does not parse: {e}")))
    };

    let output = progenitor::run(api, spec_file)?;
    let open_enums: Vec<Item> =
        parse(api.open_enums.iter().map(open_enum::open_enum).collect())?.items;
    let mut items = output.file.items;
    let calls = adjust::adjust(
        &mut items,
        &api.nullable_fields,
        &api.operations,
        open_enums,
    )
    .map_err(|adjust::Unexpected(message)| internal(format!("progenitor's output: {message}")))?;
    for item in &mut items {
        if let Item::Mod(types) = item
            && types.ident == "types"
        {
            open_union::open_unions(types);
        }
    }
    docs::document(&mut items);
    hidden::hide_internals(&mut items);
    let public = crate_root::public_names(&items);
    let quick_start = quick_start::quick_start(api);

    let mut lib = parse(
        [
            crate_root::crate_root(api, &public, &quick_start),
            auth::auth_module(api),
            hooks::hooks(api),
            client_builder::client_builder(api),
            servers::servers_module(api).unwrap_or_default(),
            mock::mock_module(api, &calls),
            multipart::multipart_module(api),
            examples::example_tests(api),
        ]
        .into_iter()
        .collect(),
    )?;
    let mut api_module: syn::ItemMod = parse_quote! {
        /// progenitor's client and types; the crate root re-exports them.
        mod api {}
    };
    api_module.content = Some((Default::default(), items));
    lib.items.push(Item::Mod(api_module));

    let mut example = examples::example_program(api).map(parse).transpose()?;
    let mut scenarios = scenarios::scenario_tests(api, &calls)
        .map(parse)
        .transpose()?;
    // Spec text is never code: only the doc tests written here are tests.
    let own: Vec<String> = [quick_start.join("\n"), mock::doc_test(api).join("\n")]
        .iter()
        .flat_map(|docs| text::doc_test_code(&text::unindent(docs)))
        .collect();
    for file in [Some(&mut lib), example.as_mut(), scenarios.as_mut()]
        .into_iter()
        .flatten()
    {
        docs::guard(file, &own);
    }
    Ok(Emitted {
        lib,
        manifest: manifest::manifest(api, &output.uses, version),
        example,
        scenarios,
        readme: readme::readme(api),
    })
}
