//! Open enums: a string enum that also keeps values the spec does not list.
//!
//! Vendors add enum values without notice. typify's closed enums make the
//! whole response fail to parse when that happens; these keep the value in
//! `Unknown(String)` instead, and still serialise known values exactly as
//! the spec spells them. typify is told (`with_replacement`) to use these
//! in place of its own.

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

        impl #name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #values,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether this is a value the spec does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }

            fn known(value: &str) -> ::std::option::Option<Self> {
                match value {
                    #(#values => ::std::option::Option::Some(Self::#idents),)*
                    _ => ::std::option::Option::None,
                }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for #name {
            fn from(value: &str) -> Self {
                Self::known(value).unwrap_or_else(|| Self::Unknown(value.to_string()))
            }
        }

        impl ::std::convert::From<::std::string::String> for #name {
            fn from(value: ::std::string::String) -> Self {
                Self::known(&value).unwrap_or(Self::Unknown(value))
            }
        }

        impl ::std::str::FromStr for #name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                Ok(Self::from(value))
            }
        }

        impl ::serde::Serialize for #name {
            fn serialize<S: ::serde::Serializer>(&self, serializer: S) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> ::serde::Deserialize<'de> for #name {
            fn deserialize<D: ::serde::Deserializer<'de>>(deserializer: D) -> ::std::result::Result<Self, D::Error> {
                ::std::string::String::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
