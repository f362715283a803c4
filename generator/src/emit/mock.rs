//! The crate's `mock` module (feature `mock`): one function per operation
//! returning a `client_runtime::mock::OperationMock` typed with the
//! operation's request, success and error bodies (read from its builder by
//! `adjust`), so a downstream test mocks a call without hand-writing HTTP.
//! Its documentation is a runnable test that mocks the example call and
//! asserts on the request body.

use proc_macro2::TokenStream;
use quote::quote;
use serde_json::Value;

use super::adjust::CallTypes;
use crate::model::{Api, names};
use crate::text;

pub(crate) fn mock_module(api: &Api, calls: &[CallTypes]) -> TokenStream {
    let functions = calls.iter().map(|call| {
        let operation = &api.operations[call.operation];
        let name = names::ident(&operation.method_name);
        let index = call.operation;
        let (body, ok, error) = (mocked(&call.body), mocked(&call.ok), mocked(&call.error));
        let doc = format!(
            " A mock of `{}` (`{} {}`), matching any parameters and body until narrowed.",
            operation.id,
            operation.http_method,
            operation.path.replace('`', "'")
        );
        quote! {
            #[doc = #doc]
            pub fn #name() -> OperationMock<#body, #ok, #error> {
                OperationMock::new(&super::OPERATIONS[#index])
            }
        }
    });
    let mut docs = vec![
        " Typed mocks of this client's operations, for the tests of code that".to_string(),
        " uses it (feature `mock`). Each function mocks one operation on a local".into(),
        " [`MockServer`](crate::mock::MockServer); the request, success and error bodies it takes are the".into(),
        " operation's types; [`OperationMock`](crate::mock::OperationMock) narrows the match and sets the answer.".into(),
    ];
    docs.extend(doc_test(api));
    quote! {
        #(#[doc = #docs])*
        #[cfg(feature = "mock")]
        #[cfg_attr(docsrs, doc(cfg(feature = "mock")))]
        // A mock's type spells the operation's body types, as deep as the spec's.
        #[allow(clippy::type_complexity)]
        pub mod mock {
            #[allow(unused_imports)]
            use super::*;
            pub use client_runtime::mock::{MockError, MockServer, MountedMock, OperationMock, ResponseTemplate, Times};

            #(#functions)*
        }
    }
}

/// `ty` as a mock's body type: a streamed body (`ByteStream`,
/// `reqwest::Body`) or an upgraded connection (`Upgraded`) has no JSON form
/// to match or answer with, so its mock takes none (`()`).
fn mocked(ty: &syn::Type) -> syn::Type {
    let streamed = matches!(ty, syn::Type::Path(path)
    if path.path.segments.last().is_some_and(|s| {
        s.ident == "ByteStream" || s.ident == "Upgraded" || s.ident == "Body"
    }));
    if streamed {
        syn::parse_quote!(())
    } else {
        ty.clone()
    }
}

/// The module's doc test: the example call, against a mock that checks the
/// body it received. Nothing when the spec has no complete request example.
pub(super) fn doc_test(api: &Api) -> Vec<String> {
    let Some(call) = &api.example_call else {
        return Vec::new();
    };
    let operation = &api.operations[call.operation];
    let crate_ident = names::crate_ident(&api.vendor);
    let method = &operation.method_name;
    let body_json = text::json_macro(&call.body, 0);
    let path_params: String = operation
        .path
        .split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .filter_map(|name| {
            let setter = names::parameter_setter(name);
            let (_, value) = call.arguments.iter().find(|(s, _)| *s == setter)?;
            Some(format!(
                "\n    .path_param({}, {})",
                text::literal(name),
                display(value)
            ))
        })
        .collect();
    let arguments: String = call
        .arguments
        .iter()
        .map(|(setter, value)| format!("\n    .{setter}({})", super::examples::argument(value)))
        .collect();
    let response = success_example(api, call.operation)
        .map(|(status, value)| {
            format!(
                "\n    .respond({status}, &serde_json::from_value(serde_json::json!({}))?)",
                text::json_macro(value, 4)
            )
        })
        .unwrap_or_default();
    let credentials: String = call
        .credentials
        .iter()
        .map(|&index| {
            let scheme = &api.schemes[index];
            let parts: Vec<String> = scheme
                .parts()
                .iter()
                .map(|part| text::literal(&format!("test-{part}")))
                .collect();
            format!(
                "\n    .{}(auth::{}::new({}))",
                scheme.field,
                scheme.type_name,
                parts.join(", ")
            )
        })
        .collect();
    let test = format!(
        r###"```
use {crate_ident}::{{Client, auth, mock, types}};

# #[tokio::main(flavor = "current_thread")]
# async fn main() -> Result<(), Box<dyn std::error::Error>> {{
let server = mock::MockServer::start().await;
let body: types::{body_type} = serde_json::from_value(serde_json::json!({body_json}))?;
let update = mock::{method}(){path_params}
    .body(&body){response}
    .expect(1)
    .mount(&server)
    .await?;

// The code under test, given the mock server's URL.
let client = Client::builder()
    .base_url(server.uri()){credentials}
    .build()?;
{outcome}client
    .{method}(){arguments}
    .body(body.clone())
    .send()
    .await{checked};

let received = update.received_bodies().await?;
assert_eq!(serde_json::to_value(&received)?, serde_json::to_value([&body])?);
# Ok(())
# }}
```"###,
        body_type = call.body_type,
        // Without a success example the mock answers with no body, which
        // the client rightly refuses: only what it sent is checked then.
        outcome = if response.is_empty() {
            "let _answer = "
        } else {
            ""
        },
        checked = if response.is_empty() { "" } else { "?" },
    );
    let mut lines = vec![
        String::new(),
        format!(
            " Mocking `{}` and checking what the code under test sent:",
            operation.id
        ),
        String::new(),
    ];
    lines.extend(test.lines().map(|line| format!(" {line}")));
    lines
}

/// The status and example of the operation's first documented success
/// answer with an example.
pub(super) fn success_example(api: &Api, operation: usize) -> Option<(u16, &Value)> {
    let prefix = format!("{}-response-2", api.operations[operation].id);
    api.examples
        .iter()
        .filter(|e| e.test_name.starts_with(&prefix))
        .find_map(|e| {
            let status: u16 = e
                .test_name
                .rsplit("-response-")
                .next()?
                .get(..3)?
                .parse()
                .ok()?;
            Some((status, &e.value))
        })
}

/// A parameter example as something `Display`, for `path_param`.
fn display(value: &Value) -> String {
    match value {
        Value::String(s) => text::literal(s),
        other => text::literal(&other.to_string()),
    }
}
