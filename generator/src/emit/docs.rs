//! Every public item of progenitor's and typify's output documented, so the
//! crate can `#![deny(missing_docs)]`: items the spec describes keep their
//! description; the rest get a sentence from what they are (a property, a
//! parameter setter, a type's builder). Per-operation snippets progenitor
//! marks `ignore` are shown as text: the crate's compiled quick start is the
//! example that is tested.
//!
//! [`guard`] is the last word on every doc comment of a generated file: it
//! reads each item's doc text as rustdoc does and relabels, as text, any
//! code block that is not one of the generator's own doc tests.

use syn::visit_mut::VisitMut;
use syn::{
    Attribute, Fields, ImplItem, Item, ItemEnum, ItemImpl, ItemMod, ItemStruct, LitStr, Visibility,
    parse_quote,
};

use crate::text;

/// Makes every doc comment in `file` safe ([`text::doc_keeping`]),
/// keeping the code blocks whose code is in `own`, and writes each as one
/// `#[doc]` line per text line (`/// Text`).
pub(crate) fn guard(file: &mut syn::File, own: &[String]) {
    let own: Vec<&str> = own.iter().map(String::as_str).collect();
    let mut guard = Guard { own };
    guard.visit_file_mut(file);
}

struct Guard<'a> {
    own: Vec<&'a str>,
}

impl Guard<'_> {
    fn attrs(&self, attrs: &mut Vec<Attribute>) {
        let docs: Vec<(usize, String)> = attrs
            .iter()
            .enumerate()
            .filter_map(|(index, attr)| Some((index, doc_string(attr)?)))
            .collect();
        let Some(&(first, _)) = docs.first() else {
            return;
        };
        let joined: Vec<&str> = docs.iter().map(|(_, d)| d.as_str()).collect();
        let text = text::unindent(&joined.join("\n"));
        // Always rewritten, so every doc comment reads `/// Text`, one line
        // per attribute, whatever form progenitor and typify wrote it in.
        let safe = text::doc_keeping(&text, &self.own);
        let inner = matches!(attrs[first].style, syn::AttrStyle::Inner(_));
        // Text that cleans to nothing still leaves the item documented (one
        // empty line), as `#![deny(missing_docs)]` requires.
        let lines: Vec<&str> = if safe.trim().is_empty() {
            vec![""]
        } else {
            safe.lines().collect()
        };
        let rewritten: Vec<Attribute> = lines
            .into_iter()
            .map(|line| {
                let line = if line.is_empty() {
                    String::new()
                } else {
                    format!(" {line}")
                };
                if inner {
                    parse_quote!(#![doc = #line])
                } else {
                    parse_quote!(#[doc = #line])
                }
            })
            .collect();
        let mut kept: Vec<Attribute> = std::mem::take(attrs)
            .into_iter()
            .enumerate()
            .filter(|(index, _)| docs.iter().all(|(d, _)| d != index))
            .map(|(_, attr)| attr)
            .collect();
        let at = first.min(kept.len());
        kept.splice(at..at, rewritten);
        *attrs = kept;
    }
}

/// The text of a `#[doc = "…"]` attribute.
fn doc_string(attr: &Attribute) -> Option<String> {
    if !attr.path().is_ident("doc") {
        return None;
    }
    match &attr.meta {
        syn::Meta::NameValue(syn::MetaNameValue {
            value:
                syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }),
            ..
        }) => Some(text.value()),
        _ => None,
    }
}

impl VisitMut for Guard<'_> {
    fn visit_file_mut(&mut self, file: &mut syn::File) {
        self.attrs(&mut file.attrs);
        syn::visit_mut::visit_file_mut(self, file);
    }

    fn visit_item_mut(&mut self, item: &mut Item) {
        if let Some(attrs) = item_attrs(item) {
            self.attrs(attrs);
        }
        syn::visit_mut::visit_item_mut(self, item);
    }

    fn visit_impl_item_mut(&mut self, item: &mut ImplItem) {
        match item {
            ImplItem::Fn(f) => self.attrs(&mut f.attrs),
            ImplItem::Const(c) => self.attrs(&mut c.attrs),
            ImplItem::Type(t) => self.attrs(&mut t.attrs),
            _ => {}
        }
        syn::visit_mut::visit_impl_item_mut(self, item);
    }

    fn visit_trait_item_mut(&mut self, item: &mut syn::TraitItem) {
        match item {
            syn::TraitItem::Fn(f) => self.attrs(&mut f.attrs),
            syn::TraitItem::Const(c) => self.attrs(&mut c.attrs),
            syn::TraitItem::Type(t) => self.attrs(&mut t.attrs),
            _ => {}
        }
        syn::visit_mut::visit_trait_item_mut(self, item);
    }

    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        self.attrs(&mut field.attrs);
        syn::visit_mut::visit_field_mut(self, field);
    }

    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        self.attrs(&mut variant.attrs);
        syn::visit_mut::visit_variant_mut(self, variant);
    }
}

/// The attributes of an item that can carry docs.
fn item_attrs(item: &mut Item) -> Option<&mut Vec<Attribute>> {
    Some(match item {
        Item::Const(i) => &mut i.attrs,
        Item::Enum(i) => &mut i.attrs,
        Item::Fn(i) => &mut i.attrs,
        Item::Impl(i) => &mut i.attrs,
        Item::Macro(i) => &mut i.attrs,
        Item::Mod(i) => &mut i.attrs,
        Item::Static(i) => &mut i.attrs,
        Item::Struct(i) => &mut i.attrs,
        Item::Trait(i) => &mut i.attrs,
        Item::Type(i) => &mut i.attrs,
        Item::Union(i) => &mut i.attrs,
        Item::Use(i) => &mut i.attrs,
        _ => return None,
    })
}

pub(crate) fn document(items: &mut [Item]) {
    let mut filler = Filler { module: Vec::new() };
    for item in items {
        filler.visit_item_mut(item);
    }
}

struct Filler {
    /// The enclosing modules' names, innermost last.
    module: Vec<String>,
}

fn has_doc(attrs: &[Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

fn is_pub(visibility: &Visibility) -> bool {
    matches!(visibility, Visibility::Public(_))
}

fn add_doc(attrs: &mut Vec<Attribute>, text: &str) {
    let text = format!(" {text}");
    attrs.insert(0, parse_quote!(#[doc = #text]));
}

/// The JSON name of a field or variant: its `#[serde(rename = "…")]`, else its identifier.
fn wire_name(attrs: &[Attribute], ident: &syn::Ident) -> String {
    let mut renamed = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                renamed = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<syn::Expr>()?;
            }
            Ok(())
        });
    }
    renamed.unwrap_or_else(|| ident.to_string().trim_start_matches("r#").to_string())
}

/// progenitor's `ignore` snippets become `text`: they are sketches, not
/// examples that compile.
fn ignore_to_text(attrs: &mut [Attribute]) {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("doc")) {
        if let syn::Meta::NameValue(meta) = &mut attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(text),
                ..
            }) = &mut meta.value
            && text.value().contains("```ignore")
        {
            *text = LitStr::new(&text.value().replace("```ignore", "```text"), text.span());
        }
    }
}

impl Filler {
    fn in_type_builders(&self) -> bool {
        self.module
            .ends_with(&["types".to_string(), "builder".to_string()])
    }

    fn in_operation_builders(&self) -> bool {
        self.module.last().is_some_and(|m| m == "builder") && !self.in_type_builders()
    }
}

impl VisitMut for Filler {
    fn visit_item_mod_mut(&mut self, module: &mut ItemMod) {
        if is_pub(&module.vis) && !has_doc(&module.attrs) {
            let doc = match module.ident.to_string().as_str() {
                "builder" => "Builders for these types, field by field.",
                "error" => "Errors from converting values into these types.",
                "prelude" => "The client, for glob imports.",
                _ => "Generated items.",
            };
            add_doc(&mut module.attrs, doc);
        }
        self.module.push(module.ident.to_string());
        syn::visit_mut::visit_item_mod_mut(self, module);
        self.module.pop();
    }

    fn visit_item_struct_mut(&mut self, strukt: &mut ItemStruct) {
        if is_pub(&strukt.vis) && !has_doc(&strukt.attrs) {
            let doc = if self.in_type_builders() {
                format!("Builds a [`super::{}`] field by field.", strukt.ident)
            } else {
                format!("The `{}` schema.", strukt.ident)
            };
            add_doc(&mut strukt.attrs, &doc);
        }
        match &mut strukt.fields {
            Fields::Named(fields) => {
                for field in fields.named.iter_mut() {
                    if is_pub(&field.vis)
                        && !has_doc(&field.attrs)
                        && let Some(ident) = &field.ident
                    {
                        let doc = format!("The `{}` property.", wire_name(&field.attrs, ident));
                        add_doc(&mut field.attrs, &doc);
                    }
                }
            }
            Fields::Unnamed(fields) => {
                for field in fields.unnamed.iter_mut() {
                    if is_pub(&field.vis) && !has_doc(&field.attrs) {
                        add_doc(&mut field.attrs, "The value.");
                    }
                }
            }
            Fields::Unit => {}
        }
    }

    fn visit_item_enum_mut(&mut self, enumeration: &mut ItemEnum) {
        if is_pub(&enumeration.vis) && !has_doc(&enumeration.attrs) {
            let doc = format!("The `{}` schema.", enumeration.ident);
            add_doc(&mut enumeration.attrs, &doc);
        }
        for variant in enumeration.variants.iter_mut() {
            if !has_doc(&variant.attrs) {
                let doc = format!("`{}`", wire_name(&variant.attrs, &variant.ident));
                add_doc(&mut variant.attrs, &doc);
            }
            for field in variant.fields.iter_mut() {
                if !has_doc(&field.attrs) {
                    let doc = match &field.ident {
                        Some(ident) => {
                            format!("The `{}` property.", wire_name(&field.attrs, ident))
                        }
                        None => "The value.".to_string(),
                    };
                    add_doc(&mut field.attrs, &doc);
                }
            }
        }
    }

    fn visit_item_impl_mut(&mut self, block: &mut ItemImpl) {
        let inherent = block.trait_.is_none();
        for member in block.items.iter_mut() {
            let ImplItem::Fn(function) = member else {
                continue;
            };
            ignore_to_text(&mut function.attrs);
            if !inherent || !is_pub(&function.vis) || has_doc(&function.attrs) {
                continue;
            }
            let name = function.sig.ident.to_string();
            let doc = match name.as_str() {
                "builder" => "A builder for this type, field by field.".to_string(),
                "new" => "Starts the call; [`crate::Client`]'s method of the same name does this."
                    .to_string(),
                "body_map" => {
                    "Changes the request body with a function of its builder.".to_string()
                }
                "body" => "Sets the request body.".to_string(),
                _ if self.in_operation_builders() => {
                    format!("Sets the `{}` parameter.", name.trim_start_matches("r#"))
                }
                _ => format!("Sets `{}`.", name.trim_start_matches("r#")),
            };
            add_doc(&mut function.attrs, &doc);
        }
        syn::visit_mut::visit_item_impl_mut(self, block);
    }
}
