//! A crate's public Rust API as data, read from the emitted syntax tree.
//!
//! Items are keyed by the path downstream code names them by (progenitor's
//! private `api` module is re-exported at the root, so it is transparent):
//! `types::Subscription`, `Client::update_subscription`,
//! `builder::UpdateSubscription::body`, `types::Subscription: Default`.
//! Documentation is left out, so a docs-only edit changes nothing.

use std::collections::BTreeMap;

use quote::ToTokens;
use serde_json::Value;
use syn::{Attribute, Fields, ImplItem, Item, TraitItem, Type, UseTree, Visibility};

use crate::model::{Api, names};

/// What a struct field or enum variant is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Member {
    /// Whether downstream code can name it (always true for variants).
    pub public: bool,
    /// Its type (fields) or its fields (variants), as compact tokens.
    pub shape: String,
    /// Its name on the wire (`#[serde(rename)]`, else the Rust name).
    pub wire: String,
}

/// One public item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A struct; builder structs keep their private fields, whose types say
    /// which setters are required.
    Struct {
        /// `#[non_exhaustive]`.
        non_exhaustive: bool,
        /// Fields by name (`0`, `1`, … for tuple structs).
        fields: BTreeMap<String, Member>,
    },
    /// An enum.
    Enum {
        /// `#[non_exhaustive]`.
        non_exhaustive: bool,
        /// Variants by name.
        variants: BTreeMap<String, Member>,
    },
    /// A function or method signature.
    Fn(String),
    /// Anything else (trait impls, re-exports, traits, modules), by its tokens.
    Other(String),
}

impl Shape {
    /// Whether downstream code can build it with a struct literal.
    pub(crate) fn literal(&self) -> bool {
        match self {
            Shape::Struct {
                non_exhaustive,
                fields,
            } => !non_exhaustive && fields.values().all(|f| f.public),
            _ => false,
        }
    }
}

/// The public API of one generated crate, and the facts that map it back to
/// the spec.
#[derive(Debug, Clone)]
pub struct Surface {
    pub(crate) items: BTreeMap<String, Shape>,
    /// The document progenitor was given, as JSON.
    pub(crate) document: Value,
    /// Generated type name → component schema name.
    pub(crate) schemas: BTreeMap<String, String>,
    /// `operationId` → (method name, builder name, HTTP method, path).
    pub(crate) operations: BTreeMap<String, Operation>,
}

/// Where an operation lives and what progenitor calls it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Operation {
    pub method_name: String,
    pub builder: String,
    pub http_method: String,
    pub path: String,
}

impl Surface {
    /// Reads the surface of `lib`, the crate emitted for `api`.
    pub(crate) fn new(api: &Api, lib: &syn::File) -> Surface {
        let mut items = BTreeMap::new();
        walk(&lib.items, "", &mut items);
        let document = serde_json::to_value(&api.openapi).unwrap_or(Value::Null);
        let schemas = api
            .openapi
            .components
            .iter()
            .flat_map(|c| c.schemas.keys())
            .map(|name| (names::type_name(name), name.clone()))
            .collect();
        let operations = api
            .operations
            .iter()
            .map(|op| {
                (
                    op.id.clone(),
                    Operation {
                        method_name: op.method_name.clone(),
                        builder: names::operation_builder(&op.id),
                        http_method: op.http_method.to_lowercase(),
                        path: op.path.clone(),
                    },
                )
            })
            .collect();
        Surface {
            items,
            document,
            schemas,
            operations,
        }
    }
}

/// Tokens as compact text: `:: std :: option :: Option < T >` → `::std::option::Option<T>`.
pub(crate) fn compact(tokens: &impl ToTokens) -> String {
    let text = tokens.to_token_stream().to_string();
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let mut previous = ' ';
    while let Some(c) = chars.next() {
        if c == ' ' {
            let next = chars.peek().copied().unwrap_or(' ');
            let tight = |c: char| matches!(c, ':' | '<' | '>' | '(' | ')' | '[' | ']' | ',' | '&');
            if tight(previous) && previous != ',' || tight(next) && next != '&' {
                continue;
            }
        }
        out.push(c);
        previous = c;
    }
    out
}

fn join(prefix: &str, name: &str) -> String {
    if prefix.is_empty() {
        name.to_string()
    } else {
        format!("{prefix}::{name}")
    }
}

fn is_pub(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

fn has_attr(attrs: &[Attribute], name: &str) -> bool {
    attrs.iter().any(|a| a.path().is_ident(name))
}

fn is_test_only(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Ident>()
                .is_ok_and(|ident| ident == "test")
    })
}

/// `#[serde(rename = "…")]` among `attrs`.
fn serde_rename(attrs: &[Attribute]) -> Option<String> {
    let mut rename = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        // Other serde keys (`default`, `skip_serializing_if = …`) are read and skipped.
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                rename = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    rename
}

/// The derived traits of an item (`Default`, `Clone`, …).
fn derives(attrs: &[Attribute]) -> Vec<String> {
    let mut found = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("derive")) {
        if let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) {
            found.extend(
                paths
                    .iter()
                    .filter_map(|p| p.segments.last().map(|s| s.ident.to_string())),
            );
        }
    }
    found
}

fn unraw(ident: &syn::Ident) -> String {
    let name = ident.to_string();
    name.strip_prefix("r#").map(str::to_string).unwrap_or(name)
}

fn members(fields: &Fields, all_public: bool) -> BTreeMap<String, Member> {
    fields
        .iter()
        .enumerate()
        .map(|(index, field)| {
            let name = field
                .ident
                .as_ref()
                .map_or_else(|| index.to_string(), unraw);
            let member = Member {
                public: all_public || is_pub(&field.vis),
                shape: compact(&field.ty),
                wire: serde_rename(&field.attrs).unwrap_or_else(|| name.clone()),
            };
            (name, member)
        })
        .collect()
}

fn self_name(ty: &Type) -> Option<String> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn walk(items: &[Item], prefix: &str, out: &mut BTreeMap<String, Shape>) {
    for item in items {
        match item {
            Item::Mod(module) if is_test_only(&module.attrs) => {}
            Item::Mod(module) => {
                // progenitor's private `api` is re-exported at the root.
                let transparent = prefix.is_empty() && module.ident == "api";
                if !(transparent || is_pub(&module.vis)) {
                    continue;
                }
                let path = if transparent {
                    String::new()
                } else {
                    join(prefix, &module.ident.to_string())
                };
                if !transparent {
                    out.insert(path.clone(), Shape::Other("mod".into()));
                }
                if let Some((_, inner)) = &module.content {
                    walk(inner, &path, out);
                }
            }
            Item::Struct(strukt) if is_pub(&strukt.vis) => {
                let path = join(prefix, &strukt.ident.to_string());
                for derived in derives(&strukt.attrs) {
                    out.insert(format!("{path}: {derived}"), Shape::Other("derive".into()));
                }
                let shape = Shape::Struct {
                    non_exhaustive: has_attr(&strukt.attrs, "non_exhaustive"),
                    fields: members(&strukt.fields, false),
                };
                out.insert(path, shape);
            }
            Item::Enum(enumeration) if is_pub(&enumeration.vis) => {
                let path = join(prefix, &enumeration.ident.to_string());
                for derived in derives(&enumeration.attrs) {
                    out.insert(format!("{path}: {derived}"), Shape::Other("derive".into()));
                }
                let variants = enumeration
                    .variants
                    .iter()
                    .map(|v| {
                        let name = v.ident.to_string();
                        let member = Member {
                            public: true,
                            shape: compact(&v.fields),
                            wire: serde_rename(&v.attrs).unwrap_or_else(|| name.clone()),
                        };
                        (name, member)
                    })
                    .collect();
                let shape = Shape::Enum {
                    non_exhaustive: has_attr(&enumeration.attrs, "non_exhaustive"),
                    variants,
                };
                out.insert(path, shape);
            }
            Item::Fn(function) if is_pub(&function.vis) => {
                out.insert(
                    join(prefix, &function.sig.ident.to_string()),
                    Shape::Fn(compact(&function.sig)),
                );
            }
            Item::Impl(block) => {
                let Some(name) = self_name(&block.self_ty) else {
                    continue;
                };
                let path = join(prefix, &name);
                match &block.trait_ {
                    Some((trait_path, _)) => {
                        let generics = compact(&block.generics);
                        out.insert(
                            format!("{path}: {}", compact(trait_path)),
                            Shape::Other(generics),
                        );
                    }
                    None => {
                        for inner in &block.items {
                            if let ImplItem::Fn(method) = inner
                                && is_pub(&method.vis)
                            {
                                out.insert(
                                    join(&path, &method.sig.ident.to_string()),
                                    Shape::Fn(compact(&method.sig)),
                                );
                            }
                        }
                    }
                }
            }
            Item::Trait(tr) if is_pub(&tr.vis) => {
                let path = join(prefix, &tr.ident.to_string());
                let signatures: Vec<String> = tr
                    .items
                    .iter()
                    .filter_map(|i| match i {
                        TraitItem::Fn(f) => Some(compact(&f.sig)),
                        _ => None,
                    })
                    .collect();
                out.insert(path, Shape::Other(signatures.join("; ")));
            }
            Item::Use(using) if is_pub(&using.vis) => {
                let mut leaves = Vec::new();
                use_leaves(&using.tree, String::new(), &mut leaves);
                for (name, target) in leaves {
                    // Re-exports of the transparent `api` module are the items themselves.
                    if !target.starts_with("api::") && !target.starts_with("self::api::") {
                        out.insert(join(prefix, &name), Shape::Other(target));
                    }
                }
            }
            Item::Type(alias) if is_pub(&alias.vis) => {
                out.insert(
                    join(prefix, &alias.ident.to_string()),
                    Shape::Other(compact(&alias.ty)),
                );
            }
            Item::Const(constant) if is_pub(&constant.vis) => {
                out.insert(
                    join(prefix, &constant.ident.to_string()),
                    Shape::Other(compact(&constant.ty)),
                );
            }
            _ => {}
        }
    }
}

/// `(name, full path)` of each leaf of a `use` tree.
fn use_leaves(tree: &UseTree, prefix: String, out: &mut Vec<(String, String)>) {
    match tree {
        UseTree::Path(path) => use_leaves(&path.tree, join(&prefix, &path.ident.to_string()), out),
        UseTree::Name(name) => out.push((
            name.ident.to_string(),
            join(&prefix, &name.ident.to_string()),
        )),
        UseTree::Rename(rename) => out.push((
            rename.rename.to_string(),
            join(&prefix, &rename.ident.to_string()),
        )),
        UseTree::Group(group) => group
            .items
            .iter()
            .for_each(|t| use_leaves(t, prefix.clone(), out)),
        UseTree::Glob(_) => out.push(("*".into(), join(&prefix, "*"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compact_tokens_read_like_rust() {
        let ty: Type = syn::parse_quote!(::std::option::Option<::std::vec::Vec<super::Foo>>);
        assert_eq!(
            compact(&ty),
            "::std::option::Option<::std::vec::Vec<super::Foo>>"
        );
        let ty: Type = syn::parse_quote!(&'a str);
        assert_eq!(compact(&ty), "&'a str");
        let ty: Type = syn::parse_quote!(Result<(u8, u16), String>);
        assert_eq!(compact(&ty), "Result<(u8, u16), String>");
    }

    #[test]
    fn serde_renames_are_read_among_other_keys() {
        let field: syn::Field = syn::parse_quote! {
            #[serde(rename = "_id", skip_serializing_if = "::std::option::Option::is_none")]
            pub id: Option<String>
        };
        assert_eq!(serde_rename(&field.attrs).as_deref(), Some("_id"));
        let field: syn::Field = syn::parse_quote! {
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub id: Option<String>
        };
        assert_eq!(serde_rename(&field.attrs), None);
    }
}
