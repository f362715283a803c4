//! Open enums: a string enum that also keeps values the spec does not list.
//!
//! Vendors add enum values without notice. typify's closed enums make the
//! whole response fail to parse when that happens; these keep the value in
//! `Unknown(String)` instead, and still serialise known values exactly as
//! the spec spells them. typify is told (`with_replacement`) to use these
//! in place of its own; their conversions come from `client_runtime::open_enum!`.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{OpenEnum, names::ident};

/// The open enum and its conversions.
pub(crate) fn open_enum(open: &OpenEnum) -> TokenStream {
    let name = ident(&open.type_name);
    let doc = open
        .description
        .clone()
        .unwrap_or_else(|| format!("`{}` from the spec.", open.schema));
    let idents: Vec<_> = open.values.iter().map(|v| ident(&v.variant)).collect();
    let values: Vec<_> = open.values.iter().map(|v| v.wire.as_str()).collect();
    let variant_docs = values.iter().map(|v| format!("`{v}`"));
    quote! {
        #[doc = #doc]
        ///
        /// Open: a value the spec does not list is kept in `Unknown`.
        #[derive(Clone, Debug, Eq, Hash, Ord, PartialEq, PartialOrd)]
        pub enum #name {
            #(#[doc = #variant_docs] #idents,)*
            /// A value this client does not know, kept as sent.
            Unknown(::std::string::String),
        }

        client_runtime::open_enum!(#name { #(#idents => #values),* });
    }
}
