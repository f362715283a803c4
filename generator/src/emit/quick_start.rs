//! The crate page's quick start: a compiled (`no_run`) doctest that builds
//! the client with the first example's credentials and sends the spec's
//! example request through the typed builders, setting the example's plain
//! fields (strings, numbers, booleans) on the body's builder.

use std::fmt::Write;

use serde_json::Value;
use syn::{GenericArgument, ImplItem, Item, PathArguments, Type, WherePredicate};

use super::examples::argument;
use crate::model::{Api, names};
use crate::text;

/// A plain value a typify builder setter takes: `String`, `bool` or a
/// number type, perhaps in an `Option`.
struct Plain {
    scalar: String,
    optional: bool,
}

impl Plain {
    /// The example value as an expression of exactly this type.
    fn expression(&self, value: &Value) -> Option<String> {
        let scalar = self.scalar.as_str();
        let plain = match (value, scalar) {
            (Value::String(s), "String") => format!("{}.to_string()", text::literal(s)),
            (Value::Bool(b), "bool") => b.to_string(),
            (Value::Number(n), "f32" | "f64") => format!("{}_{scalar}", n.as_f64()?),
            (Value::Number(n), _) if n.is_i64() || n.is_u64() => format!("{n}_{scalar}"),
            _ => return None,
        };
        Some(if self.optional {
            format!("Some({plain})")
        } else {
            plain
        })
    }
}

/// The quick start's lines (without the leading `//!`).
pub(crate) fn quick_start(api: &Api, items: &[Item]) -> Vec<String> {
    let krate = names::crate_ident(&api.vendor);
    let mut code = String::new();
    let _ = writeln!(code, "use {krate}::{{Client, auth, types}};");
    let _ = writeln!(code);
    let _ = writeln!(
        code,
        "# async fn quick_start() -> Result<(), Box<dyn std::error::Error>> {{"
    );
    let _ = writeln!(code, "let client = Client::builder()");
    if api.servers.is_empty() {
        let _ = writeln!(code, "    .base_url(\"https://api.example.com\")");
    }
    let credentials = api
        .example_call
        .as_ref()
        .map(|call| call.credentials.clone())
        .unwrap_or_default();
    for scheme in credentials.iter().map(|&i| &api.schemes[i]) {
        let (constructor, parts) = scheme.example_constructor();
        let parts: Vec<String> = parts.iter().map(|part| format!("\"<{part}>\"")).collect();
        let _ = writeln!(
            code,
            "    .{}(auth::{}::{constructor}({}))",
            scheme.field,
            scheme.type_name,
            parts.join(", ")
        );
    }
    let _ = writeln!(code, "    .build()?;");
    if let Some(call) = &api.example_call {
        let operation = &api.operations[call.operation];
        let _ = writeln!(code, "let response = client");
        let _ = writeln!(code, "    .{}()", operation.method_name);
        for (setter, value) in &call.arguments {
            let _ = writeln!(code, "    .{setter}({})", argument(value));
        }
        let _ = writeln!(code, "    .body(");
        let _ = writeln!(code, "        types::{}::builder()", call.body_type);
        let setters = plain_setters(items, &call.body_type);
        for (property, value) in call.body.as_object().into_iter().flatten() {
            let setter = names::field_name(property);
            let expression = setters
                .iter()
                .find(|(name, _)| *name == setter)
                .and_then(|(_, plain)| plain.expression(value));
            if let Some(expression) = expression {
                let _ = writeln!(code, "            .{setter}({expression})");
            }
        }
        let _ = writeln!(code, "    )");
        let _ = writeln!(code, "    .send()");
        let _ = writeln!(code, "    .await?;");
        let _ = writeln!(
            code,
            "println!(\"{{}}: {{:?}}\", response.status(), response.into_inner());"
        );
    } else {
        let _ = writeln!(code, "# let _ = client;");
    }
    let _ = writeln!(code, "# Ok(())");
    let _ = writeln!(code, "# }}");

    let mut lines = vec![
        "## Quick start".to_string(),
        String::new(),
        "```no_run".to_string(),
    ];
    lines.extend(code.lines().map(str::to_string));
    lines.push("```".into());
    lines
}

/// The setters of typify's builder for `type_name` that take a plain value
/// (the `X` of `T: TryInto<X>`, or of `Option<X>`).
fn plain_setters(items: &[Item], type_name: &str) -> Vec<(String, Plain)> {
    let types = items.iter().find_map(|item| match item {
        Item::Mod(m) if m.ident == "types" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    let builders = types.into_iter().flatten().find_map(|item| match item {
        Item::Mod(m) if m.ident == "builder" => m.content.as_ref().map(|(_, items)| items),
        _ => None,
    });
    let setters = builders.into_iter().flatten().find_map(|item| match item {
        Item::Impl(block)
            if block.trait_.is_none()
                && matches!(&*block.self_ty, Type::Path(p) if p.path.is_ident(type_name)) =>
        {
            Some(&block.items)
        }
        _ => None,
    });
    setters
        .into_iter()
        .flatten()
        .filter_map(|member| match member {
            ImplItem::Fn(f) => {
                let bound = f
                    .sig
                    .generics
                    .where_clause
                    .as_ref()?
                    .predicates
                    .iter()
                    .find_map(|p| match p {
                        WherePredicate::Type(p) => match p.bounds.first()? {
                            syn::TypeParamBound::Trait(t) => first_argument(&t.path),
                            _ => None,
                        },
                        _ => None,
                    })?;
                Some((f.sig.ident.to_string(), plain(bound)?))
            }
            _ => None,
        })
        .collect()
}

fn first_argument(path: &syn::Path) -> Option<&Type> {
    match &path.segments.last()?.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    }
}

fn plain(ty: &Type) -> Option<Plain> {
    let Type::Path(path) = ty else { return None };
    let scalar = path.path.segments.last()?.ident.to_string();
    match scalar.as_str() {
        "Option" => {
            let inner = plain(first_argument(&path.path)?)?;
            (!inner.optional).then_some(Plain {
                optional: true,
                ..inner
            })
        }
        "String" | "bool" | "i8" | "i16" | "i32" | "i64" | "u8" | "u16" | "u32" | "u64" | "f32"
        | "f64" => Some(Plain {
            scalar,
            optional: false,
        }),
        _ => None,
    }
}
