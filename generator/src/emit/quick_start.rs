//! The crate page's quick start: a doc test that runs. It builds the
//! client with the first example's credentials and sends the spec's
//! example request (the whole example body, so every required field is
//! there) through the typed builders. Hidden lines start the crate's own
//! typed mock (feature `mock`, which the crate's dev-dependency on itself
//! turns on for its tests) answering with the spec's success example, point
//! the client at it and check the answer. Without a complete request and
//! success example there is nothing to run: the quick start is then only
//! compiled (`no_run`).

use std::fmt::Write;

use crate::model::{Api, names};
use crate::text;

use super::examples::argument;
use super::mock::success_example;

/// The quick start's lines (without the leading `//!`).
pub(crate) fn quick_start(api: &Api) -> Vec<String> {
    let krate = names::crate_ident(&api.vendor);
    let call = api.example_call.as_ref();
    let answer = call.and_then(|call| success_example(api, call.operation));
    let mut code = String::new();
    let _ = writeln!(code, "use {krate}::{{Client, auth, types}};");
    let _ = writeln!(code);
    if let Some((status, answer)) = answer {
        let method = call.map(|c| api.operations[c.operation].method_name.as_str());
        let _ = writeln!(code, "# #[tokio::main(flavor = \"current_thread\")]");
        let _ = writeln!(
            code,
            "# async fn main() -> Result<(), Box<dyn std::error::Error>> {{"
        );
        let _ = writeln!(code, "# // The API, played by this crate's typed mock.");
        let _ = writeln!(
            code,
            "# let server = {krate}::mock::MockServer::start().await;"
        );
        let _ = writeln!(
            code,
            "# let expected = serde_json::from_value(serde_json::json!({}))?;",
            hidden(&text::json_macro(answer, 0))
        );
        let _ = writeln!(
            code,
            "# let _api = {krate}::mock::{}()",
            method.unwrap_or_default()
        );
        let _ = writeln!(code, "#     .respond({status}, &expected)");
        let _ = writeln!(code, "#     .expect(1)");
        let _ = writeln!(code, "#     .mount(&server)");
        let _ = writeln!(code, "#     .await?;");
    } else {
        let _ = writeln!(
            code,
            "# async fn quick_start() -> Result<(), Box<dyn std::error::Error>> {{"
        );
    }
    let _ = writeln!(code, "let client = Client::builder()");
    if answer.is_some() {
        let _ = writeln!(code, "#     .base_url(server.uri())");
    } else if api.servers.is_empty() {
        let _ = writeln!(code, "    .base_url(\"https://api.example.com\")");
    }
    let credentials = call.map(|c| c.credentials.clone()).unwrap_or_default();
    for scheme in credentials.iter().map(|&i| &api.schemes[i]) {
        let parts: Vec<String> = scheme
            .parts()
            .iter()
            .map(|part| text::literal(&format!("<{part}>")))
            .collect();
        let _ = writeln!(
            code,
            "    .{}(auth::{}::new({}))",
            scheme.field,
            scheme.type_name,
            parts.join(", ")
        );
    }
    let _ = writeln!(code, "    .build()?;");
    if let Some(call) = call {
        let operation = &api.operations[call.operation];
        let _ = writeln!(
            code,
            "let body: types::{} = serde_json::from_value(serde_json::json!({}))?;",
            call.body_type,
            text::json_macro(&call.body, 0)
        );
        let _ = writeln!(code, "let response = client");
        let _ = writeln!(code, "    .{}()", operation.method_name);
        for (setter, value) in &call.arguments {
            let _ = writeln!(code, "    .{setter}({})", argument(value));
        }
        let _ = writeln!(code, "    .body(body)");
        let _ = writeln!(code, "    .send()");
        let _ = writeln!(code, "    .await?;");
        let _ = writeln!(code, "let status = response.status();");
        let _ = writeln!(code, "let answer = response.into_inner();");
        let _ = writeln!(code, "println!(\"{{status}}: {{answer:?}}\");");
        if let Some((status, _)) = answer {
            let _ = writeln!(code, "# assert_eq!(status.as_u16(), {status});");
            let _ = writeln!(
                code,
                "# assert_eq!(serde_json::to_value(&answer)?, serde_json::to_value(&expected)?);"
            );
        }
    } else {
        let _ = writeln!(code, "# let _ = client;");
    }
    let _ = writeln!(code, "# Ok(())");
    let _ = writeln!(code, "# }}");

    let fence = if answer.is_some() { "```" } else { "```no_run" };
    let mut lines = vec![
        "## Quick start".to_string(),
        String::new(),
        fence.to_string(),
    ];
    lines.extend(code.lines().map(str::to_string));
    lines.push("```".into());
    lines
}

/// Continuation lines of a hidden expression, hidden too.
fn hidden(code: &str) -> String {
    code.replace('\n', "\n# ")
}
