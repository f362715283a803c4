//! Forward-compatible unions: every `oneOf`/`anyOf` typify turns into a
//! tagged (`#[serde(tag = …)]`) or untagged (`#[serde(untagged)]`) enum gets
//! a last variant `Unknown(serde_json::Value)`, marked `#[serde(untagged)]`,
//! that takes whatever no listed member matches and keeps it as raw JSON.
//! A member the vendor adds later (Elastic Path's next payment gateway)
//! then decodes, and serialises back unchanged, instead of failing the
//! whole answer. Left closed: enums deriving `Hash` or `Ord`
//! (`serde_json::Value` implements neither), and enums typify gives
//! `Display` or `FromStr` (string-like unions, such as a name or an id),
//! whose impls match every variant.

use syn::{Attribute, Item, ItemEnum, ItemMod, parse_quote};

/// Opens every serde union of the `types` module.
pub(crate) fn open_unions(types: &mut ItemMod) {
    let Some((_, items)) = types.content.as_mut() else {
        return;
    };
    let matched: Vec<syn::Ident> = items
        .iter()
        .filter_map(|item| match item {
            Item::Impl(block) => {
                let (trait_path, _) = block.trait_.as_ref()?;
                let name = trait_path.segments.last()?.ident.to_string();
                if !matches!(name.as_str(), "Display" | "FromStr" | "ToString") {
                    return None;
                }
                match &*block.self_ty {
                    syn::Type::Path(path) => Some(path.path.segments.last()?.ident.clone()),
                    _ => None,
                }
            }
            _ => None,
        })
        .collect();
    for item in items {
        if let Item::Enum(union) = item
            && is_union(&union.attrs)
            && !derives(&union.attrs, &["Hash", "Ord"])
            && !matched.contains(&union.ident)
        {
            add_unknown(union);
        }
    }
}

/// `#[serde(tag = …)]` or `#[serde(untagged)]` on the enum.
fn is_union(attrs: &[Attribute]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("serde"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if meta.path.is_ident("tag") || meta.path.is_ident("untagged") {
                    found = true;
                }
                if meta.input.peek(syn::Token![=]) {
                    let _: syn::Expr = meta.value()?.parse()?;
                }
                Ok(())
            });
            found
        })
}

/// Whether a `#[derive]` of the enum names any of `traits`.
fn derives(attrs: &[Attribute], traits: &[&str]) -> bool {
    attrs
        .iter()
        .filter(|a| a.path().is_ident("derive"))
        .any(|a| {
            let mut found = false;
            let _ = a.parse_nested_meta(|meta| {
                if traits
                    .iter()
                    .any(|t| meta.path.segments.last().is_some_and(|s| s.ident == t))
                {
                    found = true;
                }
                Ok(())
            });
            found
        })
}

fn add_unknown(union: &mut ItemEnum) {
    let taken = |name: &str| union.variants.iter().any(|v| v.ident == name);
    let name = std::iter::once("Unknown".to_string())
        .chain((2..).map(|n| format!("Unknown{n}")))
        .find(|name| !taken(name))
        .unwrap_or_else(|| "Unknown".to_string());
    let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
    union.variants.push(parse_quote! {
        /// A member this client does not know (one the API added later),
        /// kept as the JSON it came as.
        #[serde(untagged)]
        #ident(::serde_json::Value)
    });
}

#[cfg(test)]
mod tests {
    use quote::ToTokens;

    use super::*;

    fn opened(types: ItemMod) -> String {
        let mut types = types;
        open_unions(&mut types);
        types.to_token_stream().to_string()
    }

    #[test]
    fn tagged_and_untagged_unions_get_an_unknown_member() {
        let types: ItemMod = parse_quote! {
            mod types {
                #[derive(Clone, Debug)]
                #[serde(tag = "type")]
                pub enum Tagged { A { x: i64 } }
                #[derive(Clone, Debug)]
                #[serde(untagged)]
                pub enum Untagged { A(i64), Unknown(String) }
            }
        };
        let text = opened(types);
        assert!(text.contains("A { x : i64 } , # [doc"), "{text}");
        assert!(
            text.contains("# [serde (untagged)] Unknown (:: serde_json :: Value)"),
            "{text}"
        );
        assert!(
            text.contains("# [serde (untagged)] Unknown2 (:: serde_json :: Value)"),
            "{text}"
        );
    }

    #[test]
    fn plain_and_hashable_enums_stay_closed() {
        let types: ItemMod = parse_quote! {
            mod types {
                #[derive(Clone, Debug)]
                pub enum Plain { A, B }
                #[derive(Clone, Debug, Hash)]
                #[serde(untagged)]
                pub enum Hashed { A(i64) }
            }
        };
        assert!(!opened(types).contains("serde_json :: Value"));
    }
}
