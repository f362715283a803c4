//! What progenitor's and typify's settings cannot express, done on their
//! output's syntax tree by structure (items, fields and paths by name; never
//! token text). Written for progenitor 0.15.1 and typify 0.8.0, pinned with
//! `=`; a missing shape is an [`Unexpected`], never a half-adjusted crate.
//!
//! - Each operation builder's `send` returns `client_runtime::Error`: the
//!   original becomes the private `send_unconverted`, and `send` and
//!   `send_with` (per-call options) run it through one boundary
//!   (`client_runtime::call`), which traces it, hands the options to the
//!   hooks and converts its result.
//! - Path parameters are encoded by `client_runtime::encode_path`, which
//!   leaves only unreserved characters literal.
//! - progenitor's `Client::new`, which panics, gives way to `ClientBuilder`,
//!   and `Client`'s derived `Debug` to one that redacts the base URL.
//! - Dropshot pagination streams (`stream()`) return the crate's error, as
//!   the `send` they call does.
//! - A status `match` checks exact codes before ranges: progenitor orders
//!   `4XX` before `401`, which would make `401`'s arm unreachable.
//! - A `multipart/form-data` body, which normalize gave progenitor as a
//!   form, is sent as a `reqwest::multipart::Form` built from the typed body
//!   (`crate::multipart::form`) instead of being form-encoded.
//! - `types` gains the open enums; its structs and enums become
//!   `#[non_exhaustive]`, so that new properties and values are additive;
//!   optional arrays and maps become
//!   `Option<…>` (typify skips them when empty, so `[]` could not be sent);
//!   optional nullable properties become `Nullable<…>`.

use std::collections::HashMap;

use syn::punctuated::Punctuated;
use syn::visit_mut::VisitMut;
use syn::{
    Expr, Field, Fields, GenericArgument, ImplItem, Item, ItemMod, ItemStruct, LitStr,
    PathArguments, Token, Type, TypeParamBound, WherePredicate, parse_quote,
};

use crate::model::{NullableField, Operation, names};

/// progenitor's or typify's output lacked a shape this module relies on.
#[derive(Debug)]
pub(crate) struct Unexpected(pub String);

type Result<T = ()> = std::result::Result<T, Unexpected>;

/// The types of one operation's call, as its builder declares them
/// (relative to a module that has `types` and the crate root's names in
/// scope).
pub(crate) struct CallTypes {
    /// Index into the model's operations (and the generated `OPERATIONS`).
    pub operation: usize,
    /// The request body's type; `()` when the operation has none.
    pub body: Type,
    /// `T` of the success `ResponseValue<T>`.
    pub ok: Type,
    /// The documented error body (`()` when there is none).
    pub error: Type,
    /// Each parameter setter and the type it converts its value into.
    pub setters: Vec<(String, Type)>,
}

/// Adjusts progenitor's items in place; `open_enums` go into `types`.
/// Returns each operation's call types.
pub(crate) fn adjust(
    items: &mut Vec<Item>,
    nullable: &[NullableField],
    operations: &[Operation],
    open_enums: Vec<Item>,
) -> Result<Vec<CallTypes>> {
    items.retain(|item| !is_progenitor_constructors(item));
    without_derived_debug(items, "Client")?;
    let mut open_enums = Some(open_enums);
    let (mut builder, mut types) = (None, false);
    for item in items.iter_mut() {
        match item {
            Item::Mod(module) if module.ident == "builder" => {
                send_multipart(module, operations)?;
                builder = Some(convert_sends(module, operations)?);
                CodesBeforeRanges.visit_item_mod_mut(module);
                without_unused_types_import(module)?;
            }
            Item::Mod(module) if module.ident == "types" => {
                let open_enums = open_enums.take().unwrap_or_default();
                adjust_types(module, nullable, open_enums)?;
                types = true;
            }
            _ => {}
        }
    }
    match (builder, types) {
        (Some(calls), true) => Ok(calls),
        (None, _) => Err(Unexpected("no `builder` module".into())),
        (_, false) => Err(Unexpected("no `types` module".into())),
    }
}

fn module_items(module: &mut ItemMod) -> Result<&mut Vec<Item>> {
    module
        .content
        .as_mut()
        .map(|(_, items)| items)
        .ok_or_else(|| Unexpected(format!("module `{}` has no body", module.ident)))
}

/// The last segment's identifier of a type path (`super::Foo<'a>` → `Foo`).
fn type_ident(ty: &Type) -> Option<&syn::Ident> {
    match ty {
        Type::Path(path) => path.path.segments.last().map(|s| &s.ident),
        _ => None,
    }
}

/// `impl Client { fn new(..); fn new_with_client(..) }`.
fn is_progenitor_constructors(item: &Item) -> bool {
    let Item::Impl(block) = item else {
        return false;
    };
    block.trait_.is_none()
        && type_ident(&block.self_ty).is_some_and(|ident| ident == "Client")
        && block
            .items
            .iter()
            .any(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "new_with_client"))
}

/// Takes `Debug` out of the derives of struct `name`: progenitor's `Client`
/// would print its base URL with any userinfo; the crate prints it redacted.
fn without_derived_debug(items: &mut [Item], name: &str) -> Result {
    let strukt = items
        .iter_mut()
        .find_map(|item| match item {
            Item::Struct(s) if s.ident == name => Some(s),
            _ => None,
        })
        .ok_or_else(|| Unexpected(format!("no struct `{name}`")))?;
    for attr in strukt
        .attrs
        .iter_mut()
        .filter(|a| a.path().is_ident("derive"))
    {
        let derives = attr
            .parse_args_with(Punctuated::<syn::Path, Token![,]>::parse_terminated)
            .map_err(|e| Unexpected(format!("`{name}`'s derive: {e}")))?;
        let kept = derives.into_iter().filter(|path| !path.is_ident("Debug"));
        *attr = parse_quote!(#[derive(#(#kept),*)]);
    }
    Ok(())
}

/// `encode_path(…)` → `client_runtime::encode_path(…)`, also inside the
/// `format!` that builds the URL (whose arguments are parsed as expressions).
struct EncodePath;

impl VisitMut for EncodePath {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        if matches!(&*call.func, Expr::Path(p) if p.path.is_ident("encode_path")) {
            *call.func = parse_quote!(client_runtime::encode_path);
        }
        syn::visit_mut::visit_expr_call_mut(self, call);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if !mac.path.is_ident("format") {
            return;
        }
        let Ok(mut arguments) =
            mac.parse_body_with(Punctuated::<Expr, Token![,]>::parse_terminated)
        else {
            return;
        };
        for argument in arguments.iter_mut() {
            self.visit_expr_mut(argument);
        }
        mac.tokens = quote::ToTokens::to_token_stream(&arguments);
    }
}

// ---------------------------------------------------------------- operations

/// In the `send` of each multipart operation's builder, `.form_urlencoded(&body)?`
/// becomes `.multipart(crate::multipart::form(&body, &[files])?)`.
fn send_multipart(module: &mut ItemMod, operations: &[Operation]) -> Result {
    let items = module_items(module)?;
    for operation in operations {
        let Some(multipart) = &operation.multipart else {
            continue;
        };
        let builder = names::operation_builder(&operation.id);
        let send = items
            .iter_mut()
            .find_map(|item| match item {
                Item::Impl(block)
                    if block.trait_.is_none()
                        && type_ident(&block.self_ty).is_some_and(|i| *i == builder) =>
                {
                    block.items.iter_mut().find_map(|member| match member {
                        ImplItem::Fn(f) if f.sig.ident == "send" => Some(f),
                        _ => None,
                    })
                }
                _ => None,
            })
            .ok_or_else(|| Unexpected(format!("no `{builder}::send`")))?;
        let mut rewrite = FormToMultipart {
            files: &multipart.files,
            done: false,
        };
        rewrite.visit_block_mut(&mut send.block);
        if !rewrite.done {
            return Err(Unexpected(format!(
                "`{builder}::send` does not form-encode its body"
            )));
        }
    }
    Ok(())
}

/// `r.form_urlencoded(&body)?` →
/// `r.multipart(crate::multipart::form(&body, &[files]).map_err(Error::InvalidRequest)?)`.
struct FormToMultipart<'a> {
    files: &'a [String],
    done: bool,
}

impl VisitMut for FormToMultipart<'_> {
    fn visit_expr_mut(&mut self, expr: &mut Expr) {
        if let Expr::Try(attempt) = expr
            && let Expr::MethodCall(call) = &*attempt.expr
            && call.method == "form_urlencoded"
            && call.args.len() == 1
        {
            let receiver = &call.receiver;
            let body = &call.args[0];
            let files = self.files;
            *expr = parse_quote!(
                #receiver.multipart(
                    crate::multipart::form(#body, &[#(#files),*]).map_err(Error::InvalidRequest)?
                )
            );
            self.done = true;
            return;
        }
        syn::visit_mut::visit_expr_mut(self, expr);
    }
}

/// `Error<E>` → `client_runtime::Error<E>`, in a pagination stream's item type.
struct RuntimeError;

impl VisitMut for RuntimeError {
    fn visit_type_path_mut(&mut self, ty: &mut syn::TypePath) {
        if ty.qself.is_none() && ty.path.segments.len() == 1 && ty.path.segments[0].ident == "Error"
        {
            let arguments = &ty.path.segments[0].arguments;
            *ty = parse_quote!(client_runtime::Error #arguments);
            return;
        }
        syn::visit_mut::visit_type_path_mut(self, ty);
    }
}

/// Arms of a `match` on a status code: exact codes first, then ranges,
/// then the rest, each group in progenitor's order.
struct CodesBeforeRanges;

impl VisitMut for CodesBeforeRanges {
    fn visit_expr_match_mut(&mut self, expr: &mut syn::ExprMatch) {
        let on_status = matches!(&*expr.expr, Expr::MethodCall(call) if call.method == "as_u16");
        if on_status {
            let rank = |arm: &syn::Arm| match &arm.pat {
                syn::Pat::Lit(_) => 0,
                syn::Pat::Range(_) => 1,
                _ => 2,
            };
            expr.arms.sort_by_key(rank);
        }
        syn::visit_mut::visit_expr_match_mut(self, expr);
    }
}

/// Turns each builder's `send` into the private `send_unconverted` and adds
/// `send` and `send_with`, which run it through `client_runtime::call` with
/// the operation's entry in the crate's `OPERATIONS` (found by the
/// `OperationInfo::operation_id` progenitor gives its hooks, so an
/// operation the model does not know is refused here, never sent untraced).
fn convert_sends(module: &mut ItemMod, operations: &[Operation]) -> Result<Vec<CallTypes>> {
    let mut calls = Vec::new();
    for item in module_items(module)? {
        let Item::Impl(block) = item else { continue };
        for member in block.items.iter_mut() {
            if let ImplItem::Fn(f) = member
                && f.sig.ident == "stream"
            {
                RuntimeError.visit_return_type_mut(&mut f.sig.output);
            }
        }
        let Some(position) = block
            .items
            .iter()
            .position(|i| matches!(i, ImplItem::Fn(f) if f.sig.ident == "send"))
        else {
            continue;
        };
        let body = block.items.iter().find_map(|i| match i {
            ImplItem::Fn(f) if f.sig.ident == "body" => try_into_bound(&f.sig.generics),
            _ => None,
        });
        let setters = block
            .items
            .iter()
            .filter_map(|i| match i {
                ImplItem::Fn(f) if f.sig.ident != "body" => {
                    Some((f.sig.ident.to_string(), try_into_bound(&f.sig.generics)?))
                }
                _ => None,
            })
            .collect();
        let ImplItem::Fn(original) = &mut block.items[position] else {
            continue;
        };
        EncodePath.visit_block_mut(&mut original.block);
        let builder = type_ident(&block.self_ty)
            .map(ToString::to_string)
            .unwrap_or_default();
        let (ok, error) = result_types(&original.sig.output).ok_or_else(|| {
            Unexpected(format!(
                "`{builder}::send` does not return `Result<_, Error<_>>`"
            ))
        })?;
        let ok = generic_arguments(&ok)
            .and_then(|args| args.into_iter().next())
            .ok_or_else(|| {
                Unexpected(format!(
                    "`{builder}::send` does not return `ResponseValue<_>`"
                ))
            })?;
        let mut finder = OperationId(None);
        finder.visit_impl_item_fn_mut(original);
        let id = finder
            .0
            .ok_or_else(|| Unexpected(format!("`{builder}::send` has no `OperationInfo`")))?;
        let index = operations
            .iter()
            .position(|o| o.method_name == id)
            .ok_or_else(|| Unexpected(format!("operation `{id}` is not in the model")))?;
        let docs: Vec<_> = original
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .cloned()
            .collect();
        original.sig.ident = parse_quote!(send_unconverted);
        original.vis = syn::Visibility::Inherited;
        original.attrs.retain(|a| !a.path().is_ident("doc"));
        let result: Type = parse_quote!(Result<ResponseValue<#ok>, client_runtime::Error<#error>>);
        block.items.push(parse_quote! {
            #(#docs)*
            ///
            /// Failed attempts are retried by the client's retry policy;
            /// [`Self::send_with`] changes that, the timeout or the headers
            /// for this call.
            pub async fn send(self) -> #result {
                self.send_with(client_runtime::CallOptions::new()).await
            }
        });
        block.items.push(parse_quote! {
            /// Sends the request like `send`, with `options` for this call
            /// only: a timeout, a retry policy, extra headers or an
            /// idempotency key.
            pub async fn send_with(self, options: client_runtime::CallOptions) -> #result {
                client_runtime::call(&crate::OPERATIONS[#index], options, self.send_unconverted()).await
            }
        });
        calls.push(CallTypes {
            operation: index,
            body: body.unwrap_or_else(|| parse_quote!(())),
            ok,
            error,
            setters,
        });
    }
    Ok(calls)
}

/// Finds `OperationInfo { operation_id: "…" }`.
struct OperationId(Option<String>);

impl VisitMut for OperationId {
    fn visit_expr_struct_mut(&mut self, expr: &mut syn::ExprStruct) {
        let is_info = expr
            .path
            .segments
            .last()
            .is_some_and(|s| s.ident == "OperationInfo");
        if is_info {
            for field in &expr.fields {
                if let (syn::Member::Named(name), Expr::Lit(lit)) = (&field.member, &field.expr)
                    && name == "operation_id"
                    && let syn::Lit::Str(id) = &lit.lit
                {
                    self.0 = Some(id.value());
                }
            }
        }
        syn::visit_mut::visit_expr_struct_mut(self, expr);
    }
}

/// `X` in a setter's `where V: TryInto<X>` (progenitor's `body` setter).
fn try_into_bound(generics: &syn::Generics) -> Option<Type> {
    generics
        .where_clause
        .as_ref()?
        .predicates
        .iter()
        .find_map(|predicate| {
            let WherePredicate::Type(predicate) = predicate else {
                return None;
            };
            let TypeParamBound::Trait(bound) = predicate.bounds.first()? else {
                return None;
            };
            let last = bound.path.segments.last()?;
            if last.ident != "TryInto" {
                return None;
            }
            match &last.arguments {
                PathArguments::AngleBracketed(args) => match args.args.first()? {
                    GenericArgument::Type(ty) => Some(ty.clone()),
                    _ => None,
                },
                _ => None,
            }
        })
}

/// Removes `use super::types;` from `builder` when no path there starts with `types`.
fn without_unused_types_import(module: &mut ItemMod) -> Result {
    struct UsesTypes(bool);
    impl<'ast> syn::visit::Visit<'ast> for UsesTypes {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if path.segments.len() > 1 && path.segments[0].ident == "types" {
                self.0 = true;
            }
            syn::visit::visit_path(self, path);
        }
    }
    let is_types_import = |item: &Item| {
        matches!(item, Item::Use(u) if matches!(&u.tree, syn::UseTree::Path(p)
            if p.ident == "super" && matches!(&*p.tree, syn::UseTree::Name(n) if n.ident == "types")))
    };
    let items = module_items(module)?;
    let mut uses = UsesTypes(false);
    for item in items.iter().filter(|item| !is_types_import(item)) {
        syn::visit::Visit::visit_item(&mut uses, item);
    }
    if !uses.0 {
        items.retain(|item| !is_types_import(item));
    }
    Ok(())
}

/// `(T, E)` of `-> Result<T, Error<E>>` (`E` is `()` for a bare `Error`).
fn result_types(output: &syn::ReturnType) -> Option<(Type, Type)> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let mut arguments = generic_arguments(ty)?.into_iter();
    let (ok, error) = (arguments.next()?, arguments.next()?);
    if type_ident(&error)? != "Error" {
        return None;
    }
    let error = generic_arguments(&error)
        .and_then(|args| args.into_iter().next())
        .unwrap_or_else(|| parse_quote!(()));
    Some((ok, error))
}

/// The type arguments of a path type's last segment.
fn generic_arguments(ty: &Type) -> Option<Vec<Type>> {
    let Type::Path(path) = ty else { return None };
    match &path.path.segments.last()?.arguments {
        PathArguments::AngleBracketed(args) => Some(
            args.args
                .iter()
                .filter_map(|a| match a {
                    GenericArgument::Type(ty) => Some(ty.clone()),
                    _ => None,
                })
                .collect(),
        ),
        _ => None,
    }
}

// ---------------------------------------------------------------- types

fn adjust_types(module: &mut ItemMod, nullable: &[NullableField], open_enums: Vec<Item>) -> Result {
    let items = module_items(module)?;
    let index = TypesIndex::new(items);
    let collections = optional_collections(items);
    for (strukt, field) in collections {
        let omitted =
            parse_quote!(#[serde(default, skip_serializing_if = "::std::option::Option::is_none")]);
        index.retype_field(
            items,
            &strukt,
            &field,
            omitted,
            |ty| parse_quote!(::std::option::Option<#ty>),
        )?;
    }
    for fact in nullable {
        let field = index
            .struct_mut(items, &fact.type_name)
            .and_then(|s| field_of(s, fact))
            .ok_or_else(|| {
                Unexpected(format!(
                    "no field for nullable property `{}` of `{}`",
                    fact.property, fact.type_name
                ))
            })?;
        let absent = parse_quote!(
            #[serde(default, skip_serializing_if = "::client_runtime::Nullable::is_absent")]
        );
        index.retype_field(items, &fact.type_name, &field, absent, |ty| {
            let mut ty = ty.clone();
            OuterOptionToNullable.visit_type_mut(&mut ty);
            ty
        })?;
    }
    if !nullable.is_empty() {
        items.push(parse_quote!(
            pub use client_runtime::Nullable;
        ));
    }
    items.extend(open_enums);
    non_exhaustive(items);
    Ok(())
}

/// `#[non_exhaustive]` on every public struct with named fields and every
/// public enum of `types`, so that a property or enum value the vendor adds
/// is an additive change: downstream code builds these types with their
/// builders (`Type::builder()`) or from JSON, and matches enums with a
/// wildcard arm. Newtypes keep their private field and are built by parsing.
fn non_exhaustive(items: &mut [Item]) {
    let attribute: syn::Attribute = parse_quote!(#[non_exhaustive]);
    for item in items {
        match item {
            Item::Struct(strukt)
                if matches!(strukt.vis, syn::Visibility::Public(_))
                    && matches!(strukt.fields, Fields::Named(_)) =>
            {
                strukt.attrs.push(attribute.clone());
            }
            Item::Enum(enumeration) if matches!(enumeration.vis, syn::Visibility::Public(_)) => {
                enumeration.attrs.push(attribute.clone());
            }
            _ => {}
        }
    }
}

/// Where each struct of `types`, and typify's builder struct and setters for
/// it, sit: built once, so adjusting a field does not scan every item.
struct TypesIndex {
    structs: HashMap<String, usize>,
    /// typify writes no `builder` module for a spec without object schemas.
    builder_module: Option<usize>,
    builder_structs: HashMap<String, usize>,
    builder_impls: HashMap<String, usize>,
}

impl TypesIndex {
    fn new(items: &[Item]) -> Self {
        let structs = items
            .iter()
            .enumerate()
            .filter_map(|(i, item)| match item {
                Item::Struct(s) => Some((s.ident.to_string(), i)),
                _ => None,
            })
            .collect();
        let builder = items.iter().enumerate().find_map(|(i, item)| match item {
            Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, c)| (i, c)),
            _ => None,
        });
        let mut builder_structs = HashMap::new();
        let mut builder_impls = HashMap::new();
        for (i, item) in builder
            .iter()
            .flat_map(|(_, items)| items.iter().enumerate())
        {
            match item {
                Item::Struct(s) => {
                    builder_structs.insert(s.ident.to_string(), i);
                }
                Item::Impl(block) if block.trait_.is_none() => {
                    if let Some(ident) = type_ident(&block.self_ty) {
                        builder_impls.insert(ident.to_string(), i);
                    }
                }
                _ => {}
            }
        }
        Self {
            structs,
            builder_module: builder.map(|(i, _)| i),
            builder_structs,
            builder_impls,
        }
    }

    fn struct_mut<'a>(&self, items: &'a mut [Item], name: &str) -> Option<&'a mut ItemStruct> {
        match items.get_mut(*self.structs.get(name)?)? {
            Item::Struct(s) => Some(s),
            _ => None,
        }
    }

    fn builder_item<'a>(&self, items: &'a mut [Item], at: Option<&usize>) -> Option<&'a mut Item> {
        match items.get_mut(self.builder_module?)? {
            Item::Mod(module) => module.content.as_mut()?.1.get_mut(*at?),
            _ => None,
        }
    }

    /// Changes one field's type in the struct and in typify's builder for it
    /// (the builder's `Result<T, String>` field and its setter's `TryInto<T>`
    /// bound); the struct field's serde attributes become `serde` (plus its rename).
    fn retype_field(
        &self,
        items: &mut [Item],
        strukt: &str,
        field: &syn::Ident,
        serde: syn::Attribute,
        retype: impl Fn(&Type) -> Type,
    ) -> Result {
        let missing =
            |place: &str| Unexpected(format!("no {place} for field `{field}` of `{strukt}`"));
        let target = self
            .struct_mut(items, strukt)
            .and_then(|s| field_mut(s, field))
            .ok_or_else(|| missing("struct field"))?;
        target.ty = retype(&target.ty);
        let rename = serde_value(target, "rename");
        target.attrs.retain(|a| !a.path().is_ident("serde"));
        if let Some(rename) = rename {
            target.attrs.push(parse_quote!(#[serde(rename = #rename)]));
        }
        target.attrs.push(serde);

        let ok_type = match self.builder_item(items, self.builder_structs.get(strukt)) {
            Some(Item::Struct(s)) => {
                field_mut(s, field).and_then(|f| first_generic_argument(&mut f.ty))
            }
            _ => None,
        }
        .ok_or_else(|| missing("builder field"))?;
        *ok_type = retype(ok_type);
        let bound = match self.builder_item(items, self.builder_impls.get(strukt)) {
            Some(Item::Impl(block)) => block.items.iter_mut().find_map(|member| match member {
                ImplItem::Fn(f) if f.sig.ident == *field => setter_bound(&mut f.sig.generics),
                _ => None,
            }),
            _ => None,
        }
        .ok_or_else(|| missing("builder setter's `TryInto` bound"))?;
        *bound = retype(bound);
        Ok(())
    }
}

/// The field that holds `fact.property`: typify's field name, or the one
/// whose `#[serde(rename = …)]` is the property.
fn field_of(strukt: &ItemStruct, fact: &NullableField) -> Option<syn::Ident> {
    let Fields::Named(fields) = &strukt.fields else {
        return None;
    };
    fields
        .named
        .iter()
        .find(|f| {
            f.ident.as_ref().is_some_and(|i| *i == fact.field)
                || serde_value(f, "rename").is_some_and(|r| r == fact.property)
        })
        .and_then(|f| f.ident.clone())
}

/// The string value of `key = "…"` in a field's `#[serde(…)]` attributes.
fn serde_value(field: &Field, key: &str) -> Option<String> {
    let mut found = None;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident(key) {
                found = Some(meta.value()?.parse::<LitStr>()?.value());
            } else if meta.input.peek(syn::Token![=]) {
                meta.value()?.parse::<Expr>()?;
            }
            Ok(())
        });
    }
    found
}

/// Optional arrays and maps: typify skips them when empty (`skip_serializing_if = "…::is_empty"`).
fn optional_collections(items: &[Item]) -> Vec<(String, syn::Ident)> {
    let mut found = Vec::new();
    for item in items {
        let Item::Struct(strukt) = item else { continue };
        let Fields::Named(fields) = &strukt.fields else {
            continue;
        };
        for field in &fields.named {
            let skips_empty = serde_value(field, "skip_serializing_if")
                .is_some_and(|predicate| predicate.ends_with("::is_empty"));
            if skips_empty && let Some(ident) = &field.ident {
                found.push((strukt.ident.to_string(), ident.clone()));
            }
        }
    }
    found
}

fn field_mut<'a>(strukt: &'a mut ItemStruct, ident: &syn::Ident) -> Option<&'a mut Field> {
    let Fields::Named(fields) = &mut strukt.fields else {
        return None;
    };
    fields
        .named
        .iter_mut()
        .find(|f| f.ident.as_ref() == Some(ident))
}

/// `X` in `where T: TryInto<X>`.
fn setter_bound(generics: &mut syn::Generics) -> Option<&mut Type> {
    let predicate = generics.where_clause.as_mut()?.predicates.iter_mut().find(|p| {
        matches!(p, WherePredicate::Type(p) if matches!(&p.bounded_ty, Type::Path(t) if t.path.is_ident("T")))
    })?;
    let WherePredicate::Type(predicate) = predicate else {
        return None;
    };
    let TypeParamBound::Trait(bound) = predicate.bounds.first_mut()? else {
        return None;
    };
    match &mut bound.path.segments.last_mut()?.arguments {
        PathArguments::AngleBracketed(args) => match args.args.first_mut()? {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        },
        _ => None,
    }
}

/// `T` in `Path<T, …>`.
fn first_generic_argument(ty: &mut Type) -> Option<&mut Type> {
    let Type::Path(path) = ty else { return None };
    let PathArguments::AngleBracketed(args) = &mut path.path.segments.last_mut()?.arguments else {
        return None;
    };
    match args.args.first_mut()? {
        GenericArgument::Type(ty) => Some(ty),
        _ => None,
    }
}

/// Replaces the outermost `Option<T>` with `client_runtime::Nullable<T>`.
struct OuterOptionToNullable;

impl VisitMut for OuterOptionToNullable {
    fn visit_type_mut(&mut self, ty: &mut Type) {
        if let Type::Path(path) = ty
            && let Some(last) = path.path.segments.last()
            && last.ident == "Option"
        {
            let arguments = &last.arguments;
            *ty = parse_quote!(::client_runtime::Nullable #arguments);
            return;
        }
        syn::visit_mut::visit_type_mut(self, ty);
    }
}
