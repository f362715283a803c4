//! `tests/scenarios.rs`: the spec's facts as `client_test_support::scenarios`
//! data, a `Target` that drives the crate's typed builders, and one test
//! per scenario that applies. An operation the scenarios cannot call (a
//! body that is neither JSON nor a form, answers that are byte streams, a
//! required parameter or body no value could be made for) is listed in the
//! file's docs with the reason.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;
use syn::visit_mut::VisitMut;
use syn::{Ident, Type};

use super::adjust::CallTypes;
use super::servers::variable_at_default;
use crate::model::{
    Api, Body, Location, Operation, Parameter, SchemeKind, Security, Server, names,
};

/// The file, or `None` when no operation can be called and the spec has
/// neither servers nor security schemes to check.
pub(crate) fn scenario_tests(api: &Api, calls: &[CallTypes]) -> Option<TokenStream> {
    let krate = names::crate_ident(&api.vendor);
    let mut modules = Vec::new();
    let mut arms = Vec::new();
    let mut skipped = Vec::new();
    let mut uses_request = false;
    for call in calls {
        let operation = &api.operations[call.operation];
        match callable(operation, call) {
            Ok(setters) => {
                uses_request |= !setters.is_empty() || operation.body.value().is_some();
                arms.push(call_arm(operation, call, &setters, &krate));
                modules.push(operation_module(api, operation));
            }
            Err(reason) => skipped.push(format!(" - `{}`: {reason}.", operation.id)),
        }
    }
    let crate_tests = crate_tests(api);
    if modules.is_empty() && crate_tests.is_empty() {
        return None;
    }

    let mut docs = vec![
        " The scenarios every client shares ([`client_test_support::scenarios`]),".to_string(),
        format!(
            " fed by `{}`: the request each operation sends, the answers it",
            api.spec_path
        ),
        " parses, its credentials, retries and servers, against a local mock".into(),
        " server. What only this API does is tested by hand beside this file.".into(),
    ];
    if !skipped.is_empty() {
        docs.push(String::new());
        docs.push(" Operations the scenarios cannot call:".into());
        docs.extend(skipped);
    }
    let mut imports = vec!["Api", "Call", "Request", "Target"];
    if !api.schemes.is_empty() {
        imports.extend(["Scheme", "SchemeKind"]);
    }
    imports.sort_unstable();
    let imports = imports.into_iter().map(|name| format_ident!("{name}"));
    let api_data = api_data(api);
    let target = target(api, &krate, &arms, uses_request);
    Some(quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #(#![doc = #docs])*

        use ::client_test_support::scenarios::{#(#imports),*};

        /// The spec's servers and security schemes.
        static API: Api = #api_data;

        #target

        #crate_tests

        /// One module per operation, one test per scenario that applies to it.
        mod operations {
            #(#modules)*
        }
    })
}

/// Why the scenarios cannot call `operation`, or the setters they use:
/// `(parameter name, setter, the type it takes)`.
fn callable<'a>(
    operation: &'a Operation,
    call: &'a CallTypes,
) -> Result<Vec<(&'a str, &'a str, &'a Type)>, String> {
    match &operation.body {
        Body::None | Body::Json { value: Some(_) } | Body::Form { value: Some(_) } => {}
        Body::Json { value: None } | Body::Form { value: None } => {
            return Err("no body fits its schema: no example fits, none could be made".into());
        }
        Body::Other => return Err("its body is neither JSON nor a form".into()),
    }
    if [&call.ok, &call.error].into_iter().any(is_raw) {
        return Err("its answers are byte streams or connection upgrades".into());
    }
    let mut setters = Vec::new();
    for parameter in &operation.parameters {
        if parameter.value.is_none() || parameter.location == Location::Cookie {
            if parameter.required {
                return Err(format!(
                    "no value fits its required parameter `{}`",
                    parameter.name
                ));
            }
            continue;
        }
        let setter = names::parameter_setter(&parameter.name);
        let Some((setter, ty)) = call.setters.iter().find(|(name, _)| *name == setter) else {
            return Err(format!(
                "its builder has no setter for `{}`",
                parameter.name
            ));
        };
        setters.push((parameter.name.as_str(), setter.as_str(), ty));
    }
    Ok(setters)
}

/// progenitor's answer types that are not JSON: `ByteStream`, `reqwest::Upgraded`.
fn is_raw(ty: &Type) -> bool {
    matches!(ty, Type::Path(path) if path.path.segments.last().is_some_and(|s| s.ident == "ByteStream" || s.ident == "Upgraded"))
}

fn api_data(api: &Api) -> TokenStream {
    let spec = &api.spec_path;
    let servers = api.servers.iter().map(Server::default_url);
    let schemes = api.schemes.iter().map(|scheme| {
        let key = &scheme.key;
        let kind = match &scheme.kind {
            SchemeKind::Basic => quote!(SchemeKind::Basic),
            // `auth::…::new(token)` sends a fixed bearer token.
            SchemeKind::Bearer | SchemeKind::OAuth2 { .. } => quote!(SchemeKind::Bearer),
            SchemeKind::HeaderKey { header, separator, .. } => {
                let parts = scheme.parts();
                quote!(SchemeKind::Header { name: #header, parts: &[#(#parts),*], separator: #separator })
            }
            SchemeKind::QueryKey { name } => quote!(SchemeKind::Query { name: #name }),
            SchemeKind::CookieKey { name } => quote!(SchemeKind::Cookie { name: #name }),
        };
        quote!(Scheme { key: #key, kind: #kind })
    });
    quote! {
        Api {
            spec: #spec,
            user_agent: concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION")),
            servers: &[#(#servers),*],
            schemes: &[#(#schemes),*],
        }
    }
}

/// The `Target`; `uses_request`: whether some call sets a parameter or a body.
fn target(api: &Api, krate: &Ident, arms: &[TokenStream], uses_request: bool) -> TokenStream {
    let servers = api.servers.iter().enumerate().map(|(index, server)| {
        let variant = names::ident(&server.variant);
        let index = Literal::usize_unsuffixed(index);
        let fields = server.variables.iter().map(variable_at_default);
        let value = if server.variables.is_empty() {
            quote!(#krate::servers::Server::#variant)
        } else {
            quote!(#krate::servers::Server::#variant { #(#fields),* })
        };
        quote!(#index => builder.server(#value),)
    });
    let server_count = Literal::usize_unsuffixed(api.servers.len());
    let server_body = if api.servers.is_empty() {
        quote!(panic!(
            "the spec lists no servers, so there is no server {index}: {builder:?}"
        ))
    } else {
        quote! {
            match index {
                #(#servers)*
                _ => panic!("the spec lists {} servers: there is no server {index}", #server_count),
            }
        }
    };
    let credentials = api.schemes.iter().map(|scheme| {
        let key = &scheme.key;
        let setter = names::ident(&scheme.field);
        let ty = names::ident(&scheme.type_name);
        let parts: Vec<Ident> = (0..scheme.parts().len())
            .map(|i| format_ident!("part{i}"))
            .collect();
        quote!((#key, [#(#parts),*]) => builder.#setter(#krate::auth::#ty::new(#(*#parts),*)),)
    });
    let credentials_body = if api.schemes.is_empty() {
        quote!(panic!(
            "the spec has no security schemes, so none is {key} ({} parts): {builder:?}",
            parts.len()
        ))
    } else {
        quote! {
            match (key, parts) {
                #(#credentials)*
                _ => panic!("no scheme {key} with {} parts", parts.len()),
            }
        }
    };
    let unused = (!uses_request).then(|| {
        quote!(#[expect(unused_variables, reason = "no operation the scenarios call takes parameters or a body")])
    });
    let doc = format!(
        " `{}` as the scenarios drive it.",
        names::crate_name(&api.vendor)
    );
    quote! {
        #[doc = #doc]
        struct ClientUnderTest;

        ::client_test_support::client_parts!(ClientUnderTest, #krate);

        impl Target for ClientUnderTest {
            fn server(builder: Self::Builder, index: usize) -> Self::Builder {
                #server_body
            }

            fn credentials(builder: Self::Builder, key: &str, parts: &[&str]) -> Self::Builder {
                #credentials_body
            }

            #unused
            fn call<'a>(client: &'a Self::Client, operation: &'a str, request: &'a Request) -> Call<'a> {
                match operation {
                    #(#arms)*
                    _ => panic!("the scenarios call no operation {operation}"),
                }
            }
        }
    }
}

fn call_arm(
    operation: &Operation,
    call: &CallTypes,
    setters: &[(&str, &str, &Type)],
    krate: &Ident,
) -> TokenStream {
    let id = &operation.id;
    let method = names::ident(&operation.method_name);
    let setters: Vec<TokenStream> = setters
        .iter()
        .map(|(name, setter, ty)| {
            let setter = names::ident(setter);
            let ty = in_crate(ty, krate);
            quote! {
                if let Some(value) = request.parameter::<#ty>(#name) {
                    call = call.#setter(value);
                }
            }
        })
        .collect();
    let body = operation.body.value().map(|_| {
        let ty = in_crate(&call.body, krate);
        quote!(let call = call.body(request.body::<#ty>());)
    });
    let mutable = (!setters.is_empty()).then(|| quote!(mut));
    quote! {
        #id => Box::pin(async move {
            let #mutable call = client.#method();
            #(#setters)*
            #body
            ::client_test_support::scenarios::answered(call.send().await)
        }),
    }
}

/// `ty` as the test crate names it: paths into the client crate (`crate::`,
/// `super::`, `types::`) start at the client crate's name.
fn in_crate(ty: &Type, krate: &Ident) -> Type {
    struct InCrate<'a>(&'a Ident);
    impl VisitMut for InCrate<'_> {
        fn visit_path_mut(&mut self, path: &mut syn::Path) {
            if path.leading_colon.is_none()
                && let Some(first) = path.segments.first_mut()
            {
                if first.ident == "crate" || first.ident == "super" {
                    first.ident = self.0.clone();
                } else if first.ident == "types" {
                    path.segments.insert(0, self.0.clone().into());
                }
            }
            syn::visit_mut::visit_path_mut(self, path);
        }
    }
    let mut ty = ty.clone();
    InCrate(krate).visit_type_mut(&mut ty);
    ty
}

fn crate_tests(api: &Api) -> TokenStream {
    let debug = (!api.schemes.is_empty()).then(|| {
        quote! {
            #[test]
            fn debug_never_shows_credentials() {
                ::client_test_support::scenarios::debug_never_shows_credentials::<ClientUnderTest>(&API);
            }
        }
    });
    let servers = (!api.servers.is_empty()).then(|| {
        quote! {
            #[test]
            fn servers_match_the_spec() {
                ::client_test_support::scenarios::servers_match_the_spec::<ClientUnderTest>(&API);
            }
        }
    });
    quote!(#debug #servers)
}

fn operation_module(api: &Api, operation: &Operation) -> TokenStream {
    let module = names::ident(&operation.method_name);
    let data = operation_data(api, operation);
    let answers = &operation.answers;
    let applies = [
        ("sends_the_spec_request", true),
        (
            "encodes_path_parameters",
            operation
                .parameters
                .iter()
                .any(|p| p.location == Location::Path && p.free_text && p.value.is_some()),
        ),
        ("trailing_slash_in_the_base_url_changes_nothing", true),
        (
            "parses_documented_answers",
            answers.iter().any(|a| a.example.is_some()),
        ),
        (
            "undeclared_status_is_unexpected_response",
            !operation.catch_all,
        ),
        (
            "malformed_answers_are_invalid_payload",
            answers.iter().any(|a| a.json),
        ),
        (
            "missing_credentials_send_nothing",
            operation.security.needs_credentials(),
        ),
        (
            "retries_what_was_not_processed",
            answers
                .iter()
                .any(|a| (200..300).contains(&a.status) && a.example.is_some()),
        ),
        ("retries_server_errors_only_when_idempotent", true),
        ("unreachable_is_retried_then_names_the_attempts", true),
    ];
    let tests = applies
        .into_iter()
        .filter(|(_, applies)| *applies)
        .map(|(name, _)| format_ident!("{name}"));
    let mut imports = vec!["Operation"];
    if !answers.is_empty() {
        imports.push("Answer");
    }
    if data_parameters(operation).next().is_some() {
        imports.extend(["Location", "Parameter"]);
    }
    imports.sort_unstable();
    let imports = imports.into_iter().map(|name| format_ident!("{name}"));
    let doc = format!(
        " `{}`: `{} {}`.",
        operation.id, operation.http_method, operation.path
    );
    quote! {
        #[doc = #doc]
        mod #module {
            use ::client_test_support::scenarios::{#(#imports),*};
            use crate::{API, ClientUnderTest};

            static OPERATION: Operation = #data;

            ::client_test_support::scenario_tests!(ClientUnderTest, API, OPERATION; #(#tests),*);
        }
    }
}

/// `value` as a string literal of its JSON: a token escaped by
/// proc-macro2, as all spec text is.
fn json_literal(value: &Value) -> TokenStream {
    let text = value.to_string();
    quote!(#text)
}

fn operation_data(api: &Api, operation: &Operation) -> TokenStream {
    let json = |value: &Value| value.to_string();
    let (id, method_name, method, path) = (
        &operation.id,
        &operation.method_name,
        &operation.http_method,
        &operation.path,
    );
    let parameters = data_parameters(operation).map(|(parameter, location, value)| {
        let value = json(value);
        let name = &parameter.name;
        let location = format_ident!("{location}");
        let free_text = parameter.free_text;
        quote!(Parameter { name: #name, location: Location::#location, value: #value, free_text: #free_text })
    });
    let body = match operation.body.value() {
        Some(value) => {
            let value = json_literal(value);
            quote!(Some(#value))
        }
        None => quote!(None),
    };
    let form = matches!(operation.body, Body::Form { .. });
    let answers = operation.answers.iter().map(|answer| {
        let status = Literal::u16_unsuffixed(answer.status);
        let json_body = answer.json;
        let example = match &answer.example {
            Some(example) => {
                let example = json_literal(example);
                quote!(Some(#example))
            }
            None => quote!(None),
        };
        quote!(Answer { status: #status, json: #json_body, example: #example })
    });
    let catch_all = operation.catch_all;
    let security = match &operation.security {
        Security::None => Vec::new(),
        Security::AnyOf(alternatives) => alternatives
            .iter()
            .map(|alternative| {
                let keys = alternative.iter().map(|&i| &api.schemes[i].key);
                quote!(&[#(#keys),*])
            })
            .collect(),
    };
    quote! {
        Operation {
            id: #id,
            method_name: #method_name,
            method: #method,
            path: #path,
            parameters: &[#(#parameters),*],
            body: #body,
            form: #form,
            answers: &[#(#answers),*],
            catch_all: #catch_all,
            security: &[#(#security),*],
        }
    }
}

/// The parameters the scenarios send, with their location's name in the
/// scenario data and their values (progenitor sends no cookies).
fn data_parameters(
    operation: &Operation,
) -> impl Iterator<Item = (&Parameter, &'static str, &Value)> {
    operation.parameters.iter().filter_map(|parameter| {
        let location = match parameter.location {
            Location::Path => "Path",
            Location::Query => "Query",
            Location::Header => "Header",
            Location::Cookie => return None,
        };
        Some((parameter, location, parameter.value.as_ref()?))
    })
}
