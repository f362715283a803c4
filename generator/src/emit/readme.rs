//! The client crate's `README.md`, the page crates.io shows: what the
//! client is for (the spec's title and the first paragraph of its
//! `info.description`, as the crate page opens), where its documentation
//! is, and its features. The runnable quick start lives in the crate docs,
//! where it is tested.

use crate::model::{Api, names};

/// `README.md`, without the generated-file header.
pub(crate) fn readme(api: &Api) -> String {
    let name = names::crate_name(&api.vendor);
    let title = api.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut out = vec![
        format!("# {name}"),
        String::new(),
        format!(
            "An async Rust client for **{title}** (API version {}), with typed \
             request and response bodies, retries, and errors that say what \
             happened to the request.",
            api.version
        ),
    ];
    if let Some(summary) = summary(api) {
        out.push(String::new());
        out.push(summary);
    }
    out.extend(
        [
            String::new(),
            format!(
                "Documentation, with a quick start: <https://docs.rs/{name}>."
            ),
            String::new(),
            "## Features".into(),
            String::new(),
            "- `mock`: typed mocks of the operations (`mock` module), for the tests of code that uses the client.".into(),
        ],
    );
    out.join("\n") + "\n"
}

/// The first paragraph of `info.description`, on one line.
pub(crate) fn summary(api: &Api) -> Option<String> {
    api.description
        .as_deref()
        .and_then(|d| d.trim().split("\n\n").next())
        .map(|s| s.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|s| !s.is_empty())
}
