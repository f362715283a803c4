//! Open enums: a string enum that also keeps values the spec does not list.
//!
//! Vendors add enum values without notice. typify's closed enums make the
//! whole response fail to parse when that happens; these keep the value in
//! an `Unknown(String)` variant instead, and still serialise known values
//! exactly as the spec spells them.

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::{Fields, Item, ItemEnum, LitStr, parse_quote};

/// Whether typify made this enum from a string `enum` (unit variants, serde derives).
pub(crate) fn is_string_enum(e: &ItemEnum) -> bool {
    let derives_serde = e.attrs.iter().any(|a| {
        a.path().is_ident("derive") && a.meta.to_token_stream().to_string().contains("Deserialize")
    });
    derives_serde
        && !e.variants.is_empty()
        && e.variants.iter().all(|v| matches!(v.fields, Fields::Unit))
}

/// The open enum and its conversions, replacing typify's closed one.
pub(crate) fn expand(closed: &ItemEnum) -> Vec<Item> {
    let name = &closed.ident;
    let docs = closed.attrs.iter().filter(|a| a.path().is_ident("doc"));
    let variants: Vec<(&syn::Ident, LitStr)> = closed
        .variants
        .iter()
        .map(|v| (&v.ident, wire_name(v)))
        .collect();
    let idents: Vec<_> = variants.iter().map(|(ident, _)| *ident).collect();
    let values: Vec<_> = variants.iter().map(|(_, value)| value).collect();
    let variant_docs = values.iter().map(|v| format!("`{}`", v.value()));

    let tokens: TokenStream = quote! {
        #(#docs)*
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
    };
    let file: syn::File = parse_quote!(#tokens);
    file.items
}

/// The value typify put in `#[serde(rename = "…")]`, or the variant name.
fn wire_name(variant: &syn::Variant) -> LitStr {
    let mut renamed = None;
    for attr in variant.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                renamed = Some(meta.value()?.parse::<LitStr>()?);
            }
            Ok(())
        });
    }
    renamed.unwrap_or_else(|| LitStr::new(&variant.ident.to_string(), variant.ident.span()))
}
