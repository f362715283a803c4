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

/// progenitor's names that only its own code needs (`ClientInfo` is its
/// accessor trait, `prelude` a glob of `Client`): still exported, so code
/// using them keeps compiling, but hidden from the documentation.
const INTERNAL: [&str; 2] = ["ClientInfo", "prelude"];

/// Crate docs, the root re-exports, and the module table of contents.
///
/// The page opens with what the client does, then the quick start. Of the
/// spec's `info.description` only the first paragraph is shown: the rest is
/// for the spec's maintainers (sources, choices) and stays in the spec.
pub(crate) fn crate_root(
    api: &Api,
    progenitor_names: &[syn::Ident],
    quick_start: &[String],
) -> TokenStream {
    let name = names::crate_name(&api.vendor);
    let title = api.title.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut docs = vec![
        format!("# {name}"),
        String::new(),
        format!(
            "An async Rust client for **{title}** (API version {}): one method per \
             operation on [`Client`], typed request and response bodies in [`types`], \
             credentials in [`auth`], and errors that say what happened to the request.",
            api.version,
        ),
    ];
    if let Some(summary) = api
        .description
        .as_deref()
        .and_then(|d| d.trim().split("\n\n").next())
        .filter(|s| !s.is_empty())
    {
        docs.push(String::new());
        docs.extend(summary.lines().map(str::to_string));
    }
    docs.push(String::new());
    docs.extend(quick_start.iter().cloned());
    docs.extend(
        [
            "",
            "## Contents",
            "",
            "- [`Client`]: one method per operation; each returns a builder from [`operations`] whose `send` makes the call.",
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
    let (internal, public): (Vec<_>, Vec<_>) = progenitor_names
        .iter()
        .partition(|name| INTERNAL.iter().any(|internal| name == internal));
    let reexports = public.iter().map(|name| {
        if *name == "builder" {
            quote!(builder as operations)
        } else {
            quote!(#name)
        }
    });
    let internal = (!internal.is_empty()).then(|| {
        quote! {
            #[doc(hidden)]
            pub use api::{#(#internal),*};
        }
    });
    quote! {
        #![cfg_attr(rustfmt, rustfmt::skip)]
        #![deny(missing_docs)]
        #![cfg_attr(docsrs, feature(doc_cfg))]
        #(#![doc = #docs])*

        pub use client_runtime::{BuildError, Delivery, Error, TimeoutPhase};
        pub use api::{#(#reexports),*};
        #internal
        #servers_use
    }
}
