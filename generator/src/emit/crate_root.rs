//! The crate root: its documentation (what the client does, a table of
//! contents, the operations) and the re-exports that make progenitor's
//! items, kept in a private module, the crate's public API.

use proc_macro2::TokenStream;
use quote::quote;
use syn::{Item, UseTree, Visibility};

use crate::model::{Api, names};

/// The public names of progenitor's items (its `Error` aside: the crate's is
/// `client_runtime::Error`).
pub(crate) fn public_names(items: &[Item]) -> Vec<syn::Ident> {
    let mut found = Vec::new();
    for item in items {
        match item {
            Item::Struct(i) if is_pub(&i.vis) => found.push(i.ident.clone()),
            Item::Enum(i) if is_pub(&i.vis) => found.push(i.ident.clone()),
            Item::Mod(i) if is_pub(&i.vis) => found.push(i.ident.clone()),
            Item::Trait(i) if is_pub(&i.vis) => found.push(i.ident.clone()),
            Item::Use(i) if is_pub(&i.vis) => use_leaves(&i.tree, &mut found),
            _ => {}
        }
    }
    found.retain(|name| name != "Error");
    found
}

fn is_pub(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

fn use_leaves(tree: &UseTree, found: &mut Vec<syn::Ident>) {
    match tree {
        UseTree::Path(path) => use_leaves(&path.tree, found),
        UseTree::Name(name) => found.push(name.ident.clone()),
        UseTree::Rename(rename) => found.push(rename.rename.clone()),
        UseTree::Group(group) => group.items.iter().for_each(|t| use_leaves(t, found)),
        UseTree::Glob(_) => {}
    }
}

/// Crate docs, the root re-exports, and the module table of contents.
pub(crate) fn crate_root(api: &Api, progenitor_names: &[syn::Ident]) -> TokenStream {
    let name = names::crate_name(&api.vendor);
    let mut docs = vec![
        format!("# {name}"),
        String::new(),
        format!(
            "Typed client for **{}** (API version {}), generated from `{}`.",
            api.title.split_whitespace().collect::<Vec<_>>().join(" "),
            api.version,
            api.spec_path
        ),
    ];
    if let Some(description) = &api.description {
        docs.push(String::new());
        docs.extend(description.trim_end().lines().map(str::to_string));
    }
    docs.extend(
        [
            "",
            "## Contents",
            "",
            "- [`Client`]: one method per operation; each returns a builder whose `send` makes the call.",
            "- [`ClientBuilder`]: server or base URL, credentials ([`auth`]), timeouts, response size limit.",
            "- [`types`]: request and response bodies. Enums are open: unknown values land in `Unknown`.",
            "- [`Error`]: documented error bodies typed; anything else keeps status and an excerpt of the body.",
        ]
        .map(str::to_string),
    );
    if !api.servers.is_empty() {
        docs.push("- [`servers`]: the spec's servers and server variables.".into());
    }
    if !api.nullable_fields.is_empty() {
        docs.push("- [`types::Nullable`]: leave out, send `null`, or send a value.".into());
    }
    docs.push(String::new());
    docs.push("## Operations".into());
    docs.push(String::new());
    for operation in &api.operations {
        let summary = operation
            .summary
            .as_deref()
            .map(|s| format!(": {}", s.split_whitespace().collect::<Vec<_>>().join(" ")))
            .unwrap_or_default();
        docs.push(format!(
            "- `{} {}` [`Client::{}`]{summary}",
            operation.http_method,
            operation.path.replace('`', "'"),
            operation.method_name
        ));
    }
    if !api.notes.is_empty() {
        docs.push(String::new());
        docs.push("## Generation notes".into());
        docs.push(String::new());
        docs.push(format!(
            "What the generator adapted in `{}` to make this client, by place in the spec:",
            api.spec_path
        ));
        docs.push(String::new());
        for note in &api.notes {
            docs.push(format!("- `{}`: {}", note.location, note.message));
        }
    }
    let docs = docs.iter().map(|line| {
        if line.is_empty() {
            String::new()
        } else {
            format!(" {line}")
        }
    });
    let servers_use = (!api.servers.is_empty()).then(|| {
        quote!(
            pub use servers::Server;
        )
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #(#![doc = #docs])*

        pub use client_runtime::{BuildError, Delivery, Error, TimeoutPhase};
        pub use api::{#(#progenitor_names),*};
        #servers_use
    }
}
