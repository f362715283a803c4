//! What the spec's examples become: a round-trip test per example, and a
//! runnable program that sends the first request example.

use heck::ToSnakeCase;
use openapiv3::{MediaType, Operation, Parameter, ParameterSchemaOrContent, ReferenceOr};
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::GeneratedFile;
use crate::auth::Security;
use crate::error::{Location, SpecError, SpecErrorKind};
use crate::load::Spec;
use crate::naming::{crate_name, env_prefix, example_name, field_ident};
use crate::prepare::typify_name;

/// The generated type of a body schema given as `$ref`.
fn ref_type(media: &MediaType) -> Option<syn::Ident> {
    match media.schema.as_ref()? {
        ReferenceOr::Reference { reference } => Some(format_ident!(
            "{}",
            typify_name(reference.rsplit('/').next()?)
        )),
        ReferenceOr::Item(_) => None,
    }
}

/// Every example of a media type: `example`, then each of `examples`.
fn media_examples(media: &MediaType) -> Vec<(String, &Value)> {
    let mut out: Vec<(String, &Value)> = media.example.iter().map(|e| (String::new(), e)).collect();
    for (name, example) in &media.examples {
        if let ReferenceOr::Item(example) = example
            && let Some(value) = &example.value
        {
            out.push((format!("_{}", name.to_snake_case()), value));
        }
    }
    out
}

fn json_media(content: &openapiv3::Content) -> Option<&MediaType> {
    content.get("application/json")
}

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).expect("a JSON value serialises")
}

/// `#[cfg(test)] mod spec_examples`: each example parses into its type and
/// serialises back to the same JSON.
pub(crate) fn example_tests(spec: &Spec, uses_chrono: bool) -> TokenStream {
    let mut tests = Vec::new();
    for (_, _, operation) in spec.document.operations() {
        let id = operation
            .operation_id
            .as_deref()
            .unwrap_or_default()
            .to_snake_case();
        let mut cases: Vec<(String, syn::Ident, &Value)> = Vec::new();
        if let Some(ReferenceOr::Item(body)) = &operation.request_body
            && let Some(media) = json_media(&body.content)
            && let Some(ty) = ref_type(media)
        {
            for (suffix, example) in media_examples(media) {
                cases.push((format!("{id}_request{suffix}"), ty.clone(), example));
            }
        }
        for (status, response) in &operation.responses.responses {
            if let ReferenceOr::Item(response) = response
                && let Some(media) = json_media(&response.content)
                && let Some(ty) = ref_type(media)
            {
                for (suffix, example) in media_examples(media) {
                    cases.push((
                        format!("{id}_response_{status}{suffix}"),
                        ty.clone(),
                        example,
                    ));
                }
            }
        }
        for (name, ty, example) in cases {
            let name = format_ident!("{}", name.to_snake_case());
            let json = pretty(example);
            tests.push(quote! {
                #[test]
                fn #name() {
                    round_trip::<types::#ty>(#json);
                }
            });
        }
    }
    if tests.is_empty() {
        return quote!();
    }
    // chrono writes `…00.000Z` back as `…00Z`: the same instant.
    let same_instant = uses_chrono.then(|| {
        quote! {
            (Value::String(x), Value::String(y)) if x != y => {
                match (chrono::DateTime::parse_from_rfc3339(x), chrono::DateTime::parse_from_rfc3339(y)) {
                    (Ok(x), Ok(y)) => x == y,
                    _ => false,
                }
            }
        }
    });
    quote! {
        /// Every request and response example in the spec parses into its
        /// generated type and serialises back to the same JSON.
        #[cfg(test)]
        mod spec_examples {
            use super::types;
            use serde_json::Value;

            fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(example: &str) {
                let example: Value = serde_json::from_str(example).expect("the example is JSON");
                let typed: T = serde_json::from_value(example.clone())
                    .unwrap_or_else(|e| panic!("the example does not match its schema: {e}\n{example:#}"));
                let back = serde_json::to_value(&typed).expect("the type serialises");
                assert!(same(&example, &back), "serialising changed the example:\nexample: {example:#}\nround trip: {back:#}");
            }

            /// JSON equality where `100` and `100.0` are the same number (and,
            /// for date-times, two spellings of one instant are the same).
            fn same(a: &Value, b: &Value) -> bool {
                match (a, b) {
                    (Value::Number(x), Value::Number(y)) => x.as_f64() == y.as_f64(),
                    #same_instant
                    (Value::Array(x), Value::Array(y)) => x.len() == y.len() && x.iter().zip(y).all(|(x, y)| same(x, y)),
                    (Value::Object(x), Value::Object(y)) => {
                        x.len() == y.len() && x.iter().all(|(k, v)| y.get(k).is_some_and(|w| same(v, w)))
                    }
                    _ => a == b,
                }
            }

            #(#tests)*
        }
    }
}

/// `examples/update_<vendor>.rs` for the first operation with a JSON request
/// example, or `None` when the spec has no request example.
pub(crate) fn example_program(
    spec: &Spec,
    header: &str,
    security: &Security,
) -> Result<Option<GeneratedFile>, SpecError> {
    let found = spec
        .document
        .operations()
        .find_map(|(path, method, operation)| {
            let ReferenceOr::Item(body) = operation.request_body.as_ref()? else {
                return None;
            };
            let media = json_media(&body.content)?;
            let ty = ref_type(media)?;
            let example = media_examples(media).into_iter().next()?.1;
            Some((path, method, operation, ty, example))
        });
    let Some((path, method, operation, body_type, example)) = found else {
        return Ok(None);
    };

    let crate_name = crate_name(&spec.vendor);
    let crate_ident = format_ident!("{}", crate_name.replace('-', "_"));
    let operation_id = operation.operation_id.as_deref().unwrap_or_default();
    let method_ident = format_ident!("{}", operation_id.to_snake_case());
    let prefix = env_prefix(&spec.vendor);
    let base_url_var = format!("{prefix}_BASE_URL");
    let arguments = parameter_arguments(spec, path, method, operation)?;

    let id = operation_id.to_snake_case();
    let first_alternative = security
        .operations
        .iter()
        .find(|(op, _)| *op == id)
        .and_then(|(_, alternatives)| alternatives.first().cloned())
        .unwrap_or_default();
    let mut env_names = Vec::new();
    let credentials = first_alternative.iter().map(|key| {
        let scheme = security
            .schemes
            .iter()
            .find(|s| &s.key == key)
            .expect("checked in security()");
        let vars = scheme.env_vars(&prefix);
        env_names.extend(vars.clone());
        let setter = scheme.field();
        let ty = scheme.type_name();
        quote!(builder = builder.#setter(auth::#ty::new(#(var(#vars)),*));)
    });
    let credentials: Vec<_> = credentials.collect();
    let json = pretty(example);
    let assignments: String = env_names.iter().map(|n| format!("{n}=… ")).collect();
    let run = format!(
        "{assignments}cargo run -p {crate_name} --example {}",
        example_name(&spec.vendor)
    );
    let docs = [
        format!(
            " Sends the spec's example `{operation_id}` request and prints the parsed response."
        ),
        String::new(),
        " ```text".into(),
        format!(" {run}"),
        " ```".into(),
        String::new(),
        format!(" `{base_url_var}` overrides the base URL (default: the spec's first server)."),
        " Exit status: 0 on success, 1 when the API answers with an error or cannot".into(),
        " be reached, 2 when configuration is missing.".into(),
    ];
    let auth_import = (!credentials.is_empty()).then(|| quote!(use #crate_ident::auth;));
    let (var_fn, missing_check) = if credentials.is_empty() {
        (quote!(), quote!())
    } else {
        (
            quote! {
                let mut missing = Vec::new();
                let mut var = |name: &'static str| {
                    std::env::var(name).unwrap_or_else(|_| {
                        missing.push(name);
                        String::new()
                    })
                };
            },
            quote! {
                if !missing.is_empty() {
                    eprintln!("missing environment variables: {}", missing.join(", "));
                    return ExitCode::from(2);
                }
            },
        )
    };
    let tokens = quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #(#![doc = #docs])*

        use std::process::ExitCode;

        #auth_import
        use #crate_ident::{Client, types};

        const REQUEST_BODY: &str = #json;

        #[tokio::main]
        async fn main() -> ExitCode {
            let mut builder = Client::builder();
            #var_fn
            #(#credentials)*
            #missing_check
            if let Ok(base_url) = std::env::var(#base_url_var) {
                builder = builder.base_url(base_url);
            }
            let client = match builder.build() {
                Ok(client) => client,
                Err(error) => {
                    eprintln!("{error}");
                    return ExitCode::from(2);
                }
            };
            let body: types::#body_type = serde_json::from_str(REQUEST_BODY)
                .expect("the spec's example matches its schema (the crate's tests check it)");
            match client.#method_ident()#(#arguments)*.body(body).send().await {
                Ok(response) => {
                    println!("{}", response.status());
                    println!("{:#?}", response.into_inner());
                    ExitCode::SUCCESS
                }
                Err(error) => {
                    eprintln!("{error}");
                    ExitCode::FAILURE
                }
            }
        }
    };
    Ok(Some(GeneratedFile {
        path: format!("examples/{}.rs", example_name(&spec.vendor)).into(),
        contents: crate::render(spec, header, tokens)?,
    }))
}

/// `.name(value)` for each parameter with an example; a required one
/// without an example is an error, since the program could not send it.
fn parameter_arguments(
    spec: &Spec,
    path: &str,
    method: &str,
    operation: &Operation,
) -> Result<Vec<TokenStream>, SpecError> {
    let path_item_parameters = spec
        .document
        .paths
        .paths
        .get(path)
        .and_then(|item| item.as_item())
        .map(|item| item.parameters.clone())
        .unwrap_or_default();
    let mut arguments = Vec::new();
    for (index, parameter) in path_item_parameters
        .iter()
        .chain(&operation.parameters)
        .enumerate()
    {
        let ReferenceOr::Item(parameter) = parameter else {
            continue;
        };
        let data = parameter.parameter_data_ref();
        let example = data.example.as_ref().or(match &data.format {
            ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) => {
                schema.schema_data.example.as_ref()
            }
            _ => None,
        });
        let Some(example) = example else {
            if data.required || matches!(parameter, Parameter::Path { .. }) {
                let here =
                    Location::pointer(["paths", path, method, "parameters", &index.to_string()]);
                return Err(spec.error(
                    here,
                    SpecErrorKind::MissingParameterExample(data.name.clone()),
                ));
            }
            continue;
        };
        let setter = field_ident(&data.name);
        let value = match example {
            Value::String(s) => quote!(#s),
            Value::Bool(b) => quote!(#b),
            Value::Number(n) if n.is_i64() => {
                let n = n.as_i64().unwrap_or_default();
                quote!(#n)
            }
            other => {
                let text = other.to_string();
                quote!(#text)
            }
        };
        arguments.push(quote!(.#setter(#value)));
    }
    Ok(arguments)
}
