//! What the spec's examples become: a round-trip test per example, and a
//! runnable program that sends the first complete request example.

use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::model::{Api, names};
use crate::text;

fn pretty(value: &Value) -> String {
    serde_json::to_string_pretty(value).unwrap_or_else(|_| value.to_string())
}

/// `#[cfg(test)] mod spec_examples`: each example parses into its type and
/// serialises back to the same JSON.
pub(crate) fn example_tests(api: &Api) -> TokenStream {
    if api.examples.is_empty() {
        return quote!();
    }
    let names = names::distinct(
        api.examples.iter().map(|e| e.test_name.to_snake_case()),
        &[],
    );
    let tests = api.examples.iter().zip(names).map(|(example, name)| {
        let name = format_ident!("{name}");
        let ty = names::ident(&example.type_name);
        let json = pretty(&example.value);
        quote! {
            #[test]
            fn #name() {
                round_trip::<types::#ty>(#json);
            }
        }
    });
    quote! {
        /// Every request and response example in the spec parses into its
        /// generated type and serialises back to the same JSON.
        #[cfg(test)]
        mod spec_examples {
            use super::types;
            use client_test_support::round_trip;

            #(#tests)*
        }
    }
}

/// A parameter's example as a Rust literal: strings, booleans and integers
/// as themselves, anything else as its JSON text.
pub(super) fn argument(value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Number(n) if n.is_i64() => n.to_string(),
        Value::String(s) => text::literal(s),
        other => text::literal(&other.to_string()),
    }
}

/// `examples/update_<vendor>.rs`, or `None` when no operation has a
/// complete request example.
pub(crate) fn example_program(api: &Api) -> Option<TokenStream> {
    let call = api.example_call.as_ref()?;
    let operation = &api.operations[call.operation];
    let crate_name = names::crate_name(&api.vendor);
    let crate_ident = names::crate_ident(&api.vendor);
    let method = names::ident(&operation.method_name);
    let body_type = names::ident(&call.body_type);
    let prefix = names::env_prefix(&api.vendor);
    let base_url_var = format!("{prefix}_BASE_URL");
    let arguments = call.arguments.iter().map(|(setter, value)| {
        let setter = names::ident(setter);
        let value: TokenStream = argument(value).parse().unwrap_or_default();
        quote!(.#setter(#value))
    });

    let mut env_names = Vec::new();
    let mut token_vars = Vec::new();
    let credentials: Vec<_> = call
        .credentials
        .iter()
        .map(|&index| {
            let scheme = &api.schemes[index];
            let (constructor, parts) = scheme.example_constructor();
            let vars: Vec<String> = parts
                .iter()
                .map(|part| format!("{prefix}_{}", names::env_suffix(part)))
                .collect();
            env_names.extend(vars.clone());
            let setter = names::ident(&scheme.field);
            let ty = names::ident(&scheme.type_name);
            let constructor = names::ident(constructor);
            if constructor == "new" {
                return quote!(builder = builder.#setter(auth::#ty::new(#(var(#vars)),*)););
            }
            // Its own tokens from a client id and secret, or a token
            // obtained elsewhere when `<VENDOR>_TOKEN` is set.
            let token_var = format!("{prefix}_TOKEN");
            token_vars.push(token_var.clone());
            quote! {
                builder = builder.#setter(match std::env::var(#token_var) {
                    Ok(token) => auth::#ty::new(token),
                    Err(_) => auth::#ty::#constructor(#(var(#vars)),*),
                });
            }
        })
        .collect();
    let json = pretty(&call.body);
    let assignments: String = env_names.iter().map(|n| format!("{n}=… ")).collect();
    let run = format!(
        "{assignments}cargo run -p {crate_name} --example {}",
        names::example_name(&api.vendor)
    );
    let mut docs = vec![
        format!(
            " Sends the spec's example `{}` request and prints the parsed response.",
            operation.id
        ),
        String::new(),
        " ```text".into(),
        format!(" {run}"),
        " ```".into(),
        String::new(),
    ];
    for token_var in &token_vars {
        docs.push(format!(
            " The client gets its own access tokens and refreshes them before they expire; with `{token_var}` set it sends that token instead."
        ));
    }
    docs.extend([
        format!(" `{base_url_var}` overrides the base URL (default: the spec's first server)."),
        " `RUST_LOG` (e.g. `RUST_LOG=debug`) prints the client's traces on stderr:".into(),
        " the call's span (operation id, method, path template, attempts, status,".into(),
        " latency) and its retries; never a header value, body or secret.".into(),
        " Exit status: 0 on success, 1 when the API answers with an error or cannot".into(),
        " be reached, 2 when configuration is missing.".into(),
    ]);
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
    Some(quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #(#![doc = #docs])*

        use std::process::ExitCode;

        #auth_import
        use #crate_ident::{Client, types};

        const REQUEST_BODY: &str = #json;

        #[tokio::main]
        async fn main() -> ExitCode {
            tracing_subscriber::fmt()
                .with_env_filter(tracing_subscriber::EnvFilter::from_default_env())
                .with_writer(std::io::stderr)
                .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
                .init();
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
            let body: types::#body_type = match serde_json::from_str(REQUEST_BODY) {
                Ok(body) => body,
                Err(error) => {
                    eprintln!("the spec's example does not match its schema: {error}");
                    return ExitCode::from(2);
                }
            };
            match client.#method()#(#arguments)*.body(body).send().await {
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
    })
}
