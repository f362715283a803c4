//! progenitor's implementation details hidden from the crate's
//! documentation: its `ClientInfo` implementation (the accessors its
//! builders call, public only because the trait is) is marked
//! `#[doc(hidden)]`, as are the `prelude` module and the `ClientInfo`
//! re-export the crate root marks itself. Nothing is removed, so the
//! crate's API stays what it was.

use syn::{Item, parse_quote};

/// Marks progenitor's `impl ClientInfo<…> for Client` `#[doc(hidden)]`.
pub(crate) fn hide_internals(items: &mut [Item]) {
    for item in items {
        match item {
            Item::Impl(block)
                if block.trait_.as_ref().is_some_and(|(path, _)| {
                    path.segments
                        .last()
                        .is_some_and(|s| s.ident == "ClientInfo")
                }) =>
            {
                block.attrs.push(parse_quote!(#[doc(hidden)]));
            }
            _ => {}
        }
    }
}
