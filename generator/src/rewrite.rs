//! Rewrites progenitor's output where its behaviour is wrong for update
//! calls. Each rewrite matches progenitor 0.15's exact shapes and reports
//! [`Unexpected`] when they are missing, so a progenitor upgrade fails loudly
//! instead of generating a half-patched client.

use std::collections::{BTreeSet, HashMap};

use proc_macro2::TokenStream;
use quote::{ToTokens, quote};
use syn::visit_mut::VisitMut;
use syn::{Expr, Fields, Item, ItemMod, ItemStruct, Stmt, Type, parse_quote};

use crate::open_enum;
use crate::prepare::NullableField;

/// progenitor's output did not have a shape a rewrite relies on.
#[derive(Debug)]
pub(crate) struct Unexpected(pub String);

type Result<T = ()> = std::result::Result<T, Unexpected>;

/// Applies every rewrite to progenitor's file.
pub(crate) fn rewrite(file: &mut syn::File, nullable: &BTreeSet<NullableField>) -> Result {
    let mut found_reexport = false;
    let mut result = Ok(());
    file.items.retain_mut(|item| {
        if is_progenitor_constructors(item) {
            return false;
        }
        if result.is_ok() {
            result = match item {
                Item::Use(reexport)
                    if compact(&*reexport)
                        .contains("progenitor_client::{ByteStream,ClientInfo,Error,") =>
                {
                    found_reexport = true;
                    *reexport = parse_quote! {
                        #[allow(unused_imports)]
                        pub use progenitor_client::{ByteStream, ClientInfo, ResponseValue};
                    };
                    Ok(())
                }
                Item::Mod(module) if module.ident == "types" => rewrite_types(module, nullable),
                Item::Mod(module) if module.ident == "builder" => {
                    rewrite_operation_builders(module)
                }
                _ => Ok(()),
            };
        }
        true
    });
    result?;
    if !found_reexport {
        return Err(Unexpected(
            "no `pub use progenitor_client::{…, Error, …}` re-export".into(),
        ));
    }
    Ok(())
}

/// Token text without spaces, for matching progenitor's fixed shapes.
fn compact(tokens: &impl ToTokens) -> String {
    tokens.to_token_stream().to_string().replace(' ', "")
}

/// `impl Client { fn new(..); fn new_with_client(..) }`: replaced by the
/// generated `ClientBuilder`, which never panics and takes credentials.
fn is_progenitor_constructors(item: &Item) -> bool {
    let Item::Impl(block) = item else {
        return false;
    };
    block.trait_.is_none()
        && compact(&block.self_ty) == "Client"
        && block
            .items
            .iter()
            .any(|i| matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "new_with_client"))
}

fn module_items(module: &mut ItemMod) -> Result<&mut Vec<Item>> {
    module
        .content
        .as_mut()
        .map(|(_, items)| items)
        .ok_or_else(|| Unexpected(format!("module `{}` has no body", module.ident)))
}

// ---------------------------------------------------------------- types

fn rewrite_types(module: &mut ItemMod, nullable: &BTreeSet<NullableField>) -> Result {
    let items = module_items(module)?;
    let open: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Enum(e) if open_enum::is_string_enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut rewritten = Vec::with_capacity(items.len());
    for item in items.drain(..) {
        match item {
            Item::Enum(e) if open.contains(&e.ident.to_string()) => {
                rewritten.extend(open_enum::expand(&e))
            }
            Item::Impl(block) if replaced_enum_impl(&block, &open) => {}
            other => rewritten.push(other),
        }
    }
    *items = rewritten;

    let index = TypesIndex::new(items)?;
    for (strukt, field) in optional_collections(items) {
        let omitted =
            parse_quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]);
        retype_field(
            items,
            &index,
            &strukt,
            &field,
            &omitted,
            |ty, _| parse_quote!(::std::option::Option<#ty>),
        )?;
    }
    if nullable.is_empty() {
        return Ok(());
    }
    items.push(parse_quote!(
        pub use client_runtime::Nullable;
    ));
    let absent = parse_quote!(#[serde(default, skip_serializing_if = "Nullable::is_absent")]);
    for field in nullable {
        let strukt = index.struct_mut(items, &field.type_name);
        let Some(ident) = strukt.and_then(|s| field_for_property(s, &field.property)) else {
            return Err(Unexpected(format!(
                "no field for nullable property `{}` of `{}`",
                field.property, field.type_name
            )));
        };
        retype_field(
            items,
            &index,
            &field.type_name,
            &ident,
            &absent,
            |ty, in_builder| {
                let prefix = if in_builder {
                    quote!(super::)
                } else {
                    quote!()
                };
                let mut ty = ty.clone();
                NullableType { prefix }.visit_type_mut(&mut ty);
                ty
            },
        )?;
    }
    Ok(())
}

/// The conversions typify writes for a closed enum; the open enum brings its own.
fn replaced_enum_impl(block: &syn::ItemImpl, open: &BTreeSet<String>) -> bool {
    let Some((trait_path, _)) = &block.trait_ else {
        return false;
    };
    let trait_name = trait_path
        .segments
        .last()
        .map(|s| s.ident.to_string())
        .unwrap_or_default();
    matches!(trait_name.as_str(), "Display" | "FromStr" | "TryFrom")
        && open.contains(&compact(&block.self_ty))
}

/// Optional arrays and maps, which typify skips when empty: an update could
/// then never send `[]` or `{}` to clear a list. They become `Option<…>`.
fn optional_collections(items: &[Item]) -> Vec<(String, syn::Ident)> {
    let mut found = Vec::new();
    for item in items {
        let Item::Struct(strukt) = item else { continue };
        let Fields::Named(fields) = &strukt.fields else {
            continue;
        };
        for field in &fields.named {
            let skips_empty = field
                .attrs
                .iter()
                .any(|a| a.path().is_ident("serde") && compact(a).contains("::is_empty\""));
            if skips_empty && let Some(ident) = &field.ident {
                found.push((strukt.ident.to_string(), ident.clone()));
            }
        }
    }
    found
}

/// Changes one field's type, in the struct and in typify's builder for it
/// (the builder's `Result<T, String>` field and its setter's `TryInto<T>`
/// bound). `retype` gets the old type and whether it is in the builder.
fn retype_field(
    items: &mut [Item],
    index: &TypesIndex,
    strukt: &str,
    field: &syn::Ident,
    serde: &syn::Attribute,
    retype: impl Fn(&Type, bool) -> Type,
) -> Result {
    let missing = |place: &str| Unexpected(format!("no {place} for field `{field}` of `{strukt}`"));
    let target = index
        .struct_mut(items, strukt)
        .and_then(|s| field_mut(s, field))
        .ok_or_else(|| missing("struct field"))?;
    target.ty = retype(&target.ty, false);
    target
        .attrs
        .retain(|a| !a.path().is_ident("serde") || compact(a).contains("rename"));
    target.attrs.push(serde.clone());

    let ok_type = index
        .builder_struct_mut(items, strukt)
        .and_then(|s| field_mut(s, field))
        .and_then(|f| first_generic_argument(&mut f.ty))
        .ok_or_else(|| missing("builder field"))?;
    *ok_type = retype(ok_type, true);
    let setter = index
        .builder_setter_mut(items, strukt, field)
        .ok_or_else(|| missing("builder setter"))?;
    let bound = setter
        .sig
        .generics
        .where_clause
        .iter_mut()
        .flat_map(|w| w.predicates.iter_mut())
        .find_map(|predicate| match predicate {
            syn::WherePredicate::Type(p) if compact(&p.bounded_ty) == "T" => p.bounds.first_mut(),
            _ => None,
        })
        .and_then(|bound| match bound {
            syn::TypeParamBound::Trait(t) => t.path.segments.last_mut(),
            _ => None,
        })
        .and_then(|segment| match &mut segment.arguments {
            syn::PathArguments::AngleBracketed(args) => args.args.first_mut(),
            _ => None,
        })
        .and_then(|argument| match argument {
            syn::GenericArgument::Type(ty) => Some(ty),
            _ => None,
        })
        .ok_or_else(|| missing("setter `TryInto` bound"))?;
    *bound = retype(bound, true);
    Ok(())
}

/// `T` in `Path<T, …>`.
fn first_generic_argument(ty: &mut Type) -> Option<&mut Type> {
    let Type::Path(path) = ty else { return None };
    let syn::PathArguments::AngleBracketed(args) = &mut path.path.segments.last_mut()?.arguments
    else {
        return None;
    };
    match args.args.first_mut()? {
        syn::GenericArgument::Type(ty) => Some(ty),
        _ => None,
    }
}

/// Where each struct and typify's builder for it sit in the `types` module,
/// so that changing a field does not scan every item.
struct TypesIndex {
    structs: HashMap<String, usize>,
    builder_module: usize,
    builder_structs: HashMap<String, usize>,
    builder_impls: HashMap<String, usize>,
}

impl TypesIndex {
    fn new(items: &[Item]) -> Result<Self> {
        let structs = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match item {
                Item::Struct(s) => Some((s.ident.to_string(), i)),
                _ => None,
            })
            .collect();
        let (builder_module, builder_items) = items
            .iter()
            .enumerate()
            .find_map(|(i, item)| match item {
                Item::Mod(m) if m.ident == "builder" => {
                    m.content.as_ref().map(|(_, items)| (i, items))
                }
                _ => None,
            })
            .ok_or_else(|| Unexpected("no `types::builder` module".into()))?;
        let mut builder_structs = HashMap::new();
        let mut builder_impls = HashMap::new();
        for (i, item) in builder_items.iter().enumerate() {
            match item {
                Item::Struct(s) => {
                    builder_structs.insert(s.ident.to_string(), i);
                }
                Item::Impl(block) if block.trait_.is_none() => {
                    builder_impls.insert(compact(&block.self_ty), i);
                }
                _ => {}
            }
        }
        Ok(Self {
            structs,
            builder_module,
            builder_structs,
            builder_impls,
        })
    }

    fn struct_mut<'a>(&self, items: &'a mut [Item], name: &str) -> Option<&'a mut ItemStruct> {
        match items.get_mut(*self.structs.get(name)?)? {
            Item::Struct(s) => Some(s),
            _ => None,
        }
    }

    fn builder_items<'a>(&self, items: &'a mut [Item]) -> Option<&'a mut Vec<Item>> {
        match items.get_mut(self.builder_module)? {
            Item::Mod(module) => module.content.as_mut().map(|(_, items)| items),
            _ => None,
        }
    }

    /// typify's builder struct for struct `name`.
    fn builder_struct_mut<'a>(
        &self,
        items: &'a mut [Item],
        name: &str,
    ) -> Option<&'a mut ItemStruct> {
        let position = *self.builder_structs.get(name)?;
        match self.builder_items(items)?.get_mut(position)? {
            Item::Struct(s) => Some(s),
            _ => None,
        }
    }

    /// typify's builder setter for `field` of struct `name`.
    fn builder_setter_mut<'a>(
        &self,
        items: &'a mut [Item],
        name: &str,
        field: &syn::Ident,
    ) -> Option<&'a mut syn::ImplItemFn> {
        let position = *self.builder_impls.get(name)?;
        let Item::Impl(block) = self.builder_items(items)?.get_mut(position)? else {
            return None;
        };
        block.items.iter_mut().find_map(|item| match item {
            syn::ImplItem::Fn(f) if f.sig.ident == *field => Some(f),
            _ => None,
        })
    }
}

fn field_for_property(strukt: &ItemStruct, property: &str) -> Option<syn::Ident> {
    let Fields::Named(fields) = &strukt.fields else {
        return None;
    };
    let renamed = format!("rename=\"{property}\"");
    fields
        .named
        .iter()
        .find(|f| {
            f.attrs.iter().any(|a| compact(a).contains(&renamed))
                || f.ident
                    .as_ref()
                    .is_some_and(|i| i.to_string().trim_start_matches("r#") == property)
        })
        .and_then(|f| f.ident.clone())
}

fn field_mut<'a>(strukt: &'a mut ItemStruct, ident: &syn::Ident) -> Option<&'a mut syn::Field> {
    let Fields::Named(fields) = &mut strukt.fields else {
        return None;
    };
    fields
        .named
        .iter_mut()
        .find(|f| f.ident.as_ref() == Some(ident))
}

/// Replaces the outermost `Option<T>` with `{prefix}Nullable<T>`.
struct NullableType {
    prefix: TokenStream,
}

impl VisitMut for NullableType {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty
            && let Some(last) = path.path.segments.last()
            && last.ident == "Option"
        {
            let arguments = &last.arguments;
            let prefix = &self.prefix;
            *ty = parse_quote!(#prefix Nullable #arguments);
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}

// ---------------------------------------------------------------- operations

fn rewrite_operation_builders(module: &mut ItemMod) -> Result {
    let mut sends = 0;
    for item in module_items(module)? {
        let Item::Impl(block) = item else { continue };
        for member in &mut block.items {
            if let syn::ImplItem::Fn(f) = member
                && f.sig.ident == "send"
            {
                rewrite_send(&mut f.block)?;
                sends += 1;
            }
        }
    }
    if sends == 0 {
        return Err(Unexpected(
            "no `send` method in the operation builders".into(),
        ));
    }
    Ok(())
}

/// In each `send`: no `api-version` header, credentials and `User-Agent`
/// from `Client::prepare`, and responses decoded into [`Error`] variants
/// that keep the status and the raw body.
fn rewrite_send(block: &mut syn::Block) -> Result {
    let mut prepared = false;
    let mut stmts = Vec::with_capacity(block.stmts.len());
    for mut stmt in block.stmts.drain(..) {
        check_path_segments(&mut stmt)?;
        let api_version =
            is_call(&stmt, "header_map", "append") && compact(&stmt).contains("\"api-version\"");
        if api_version || is_call(&stmt, "client", "post") {
            continue;
        }
        if is_call(&stmt, "client", "pre") {
            stmts.push(parse_quote!(client.prepare(&mut request, &info)?;));
            prepared = true;
            continue;
        }
        stmts.push(stmt);
    }
    if !prepared {
        return Err(Unexpected(
            "`send` does not call `client.pre(&mut request, &info)`".into(),
        ));
    }

    let headers = stmts.iter().filter(|s| appends_header(s)).count();
    if headers == 0 {
        stmts.retain(|s| !matches!(s, Stmt::Local(l) if matches!(&l.pat, syn::Pat::Ident(p) if p.ident == "header_map")));
    }
    let mut responses = ResponseArms {
        rewritten: 0,
        headers,
    };
    for stmt in &mut stmts {
        responses.visit_stmt_mut(stmt);
    }
    if responses.rewritten == 0 {
        return Err(Unexpected(
            "`send` does not decode its response with `ResponseValue::from_response`".into(),
        ));
    }
    block.stmts = stmts;
    Ok(())
}

/// In `let url = format!(…, encode_path(&id.to_string()), …)`, each path
/// parameter goes through `path_segment`, which refuses `""`, `.` and `..`:
/// URL normalisation would otherwise send the request to another resource.
fn check_path_segments(stmt: &mut Stmt) -> Result {
    let Stmt::Local(local) = stmt else {
        return Ok(());
    };
    let is_url = matches!(&local.pat, syn::Pat::Ident(p) if p.ident == "url");
    let Some(init) = local.init.as_mut().filter(|_| is_url) else {
        return Ok(());
    };
    let Expr::Macro(format) = &mut *init.expr else {
        return Ok(());
    };
    let mut arguments = format
        .mac
        .parse_body_with(syn::punctuated::Punctuated::<Expr, syn::Token![,]>::parse_terminated)
        .map_err(|e| Unexpected(format!("`let url = format!(…)` does not parse: {e}")))?;
    for argument in arguments.iter_mut() {
        let Expr::Call(call) = argument else { continue };
        if !matches!(&*call.func, Expr::Path(p) if p.path.is_ident("encode_path")) {
            continue;
        }
        let value = call
            .args
            .first()
            .cloned()
            .ok_or_else(|| Unexpected("`encode_path()` without an argument".into()))?;
        let name = match &value {
            Expr::Reference(r) => match &*r.expr {
                Expr::MethodCall(m) => compact(&m.receiver),
                other => compact(other),
            },
            other => compact(other),
        };
        *argument = parse_quote!(client_runtime::path_segment(#name, #value).map_err(Error::InvalidRequest)?);
    }
    format.mac.tokens = quote!(#arguments);
    Ok(())
}

/// The `receiver.method(…)` inside `….await?`, if the statement is one.
fn method_call(expr: &Expr) -> Option<&syn::ExprMethodCall> {
    match expr {
        Expr::MethodCall(call) => Some(call),
        Expr::Try(e) => method_call(&e.expr),
        Expr::Await(e) => method_call(&e.base),
        _ => None,
    }
}

fn is_call(stmt: &Stmt, receiver: &str, method: &str) -> bool {
    let Stmt::Expr(expr, _) = stmt else {
        return false;
    };
    method_call(expr).is_some_and(|call| {
        call.method == method
            && matches!(&*call.receiver, Expr::Path(p) if p.path.is_ident(receiver))
    })
}

/// `header_map.append(…)`, directly or inside `if let Some(value) = … { … }`.
fn appends_header(stmt: &Stmt) -> bool {
    is_call(stmt, "header_map", "append")
        || matches!(stmt, Stmt::Expr(Expr::If(branch), _) if branch.then_branch.stmts.iter().any(appends_header))
}

struct ResponseArms {
    rewritten: usize,
    headers: usize,
}

impl VisitMut for ResponseArms {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        // Only `….await` and `Err(…)` can match; skip rendering anything else.
        let candidate = match expr {
            Expr::Await(_) => true,
            Expr::Call(call) => matches!(&*call.func, Expr::Path(p) if p.path.is_ident("Err")),
            _ => false,
        };
        let text = if candidate {
            compact(expr)
        } else {
            String::new()
        };
        let replacement: Option<Expr> = match text.as_str() {
            "ResponseValue::from_response(response).await" => {
                Some(parse_quote!(client_runtime::decode_success(response).await))
            }
            "Err(Error::ErrorResponse(ResponseValue::from_response(response).await?,),)"
            | "Err(Error::ErrorResponse(ResponseValue::from_response(response).await?))" => Some(
                parse_quote!(Err(client_runtime::decode_error(response).await)),
            ),
            "Err(Error::UnexpectedResponse(response))" => Some(parse_quote!(Err(
                client_runtime::undocumented(response).await
            ))),
            _ => None,
        };
        if let Some(replacement) = replacement {
            *expr = replacement;
            self.rewritten += 1;
            return;
        }
        if let Expr::MethodCall(call) = expr
            && self.headers == 0
            && call.method == "headers"
            && compact(&call.args) == "header_map"
        {
            *expr = (*call.receiver).clone();
            self.visit_expr_mut(expr);
            return;
        }
        if let Expr::Call(call) = expr
            && compact(&call.func) == "::reqwest::header::HeaderMap::with_capacity"
        {
            let headers = self.headers;
            call.args = parse_quote!(#headers);
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}
