//! `mod servers`: every `servers` entry as a variant of `Server`, each
//! server variable with an `enum` as a typed value.

use std::collections::BTreeSet;

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Server, ServerVariable, names::ident};

/// The `servers` module, or nothing when the spec lists no servers.
pub(crate) fn servers_module(api: &Api) -> Option<TokenStream> {
    let first = api.servers.first()?;
    let mut variable_type_names = BTreeSet::new();
    let mut variable_types = Vec::new();
    let mut variants = Vec::new();
    let mut urls = Vec::new();
    for server in &api.servers {
        let variant = ident(&server.variant);
        let fields: Vec<_> = server.variables.iter().map(|v| ident(&v.field)).collect();
        let field_types: Vec<TokenStream> = server
            .variables
            .iter()
            .map(|variable| {
                if variable.values.is_empty() {
                    return quote!(String);
                }
                let ty = ident(&variable.type_name);
                if variable_type_names.insert(variable.type_name.clone()) {
                    variable_types.push(variable_enum(variable));
                }
                quote!(#ty)
            })
            .collect();
        let doc = format!(
            "{}\n\n`{}`",
            server
                .description
                .as_deref()
                .unwrap_or("A server the spec lists."),
            server.url
        );
        let field_docs = server.variables.iter().map(|v| {
            v.description
                .clone()
                .unwrap_or_else(|| format!("The `{}` server variable.", v.name))
        });
        if fields.is_empty() {
            let default = variants.is_empty().then(|| quote!(#[default]));
            variants.push(quote!(#[doc = #doc] #default #variant,));
            let url = &server.url;
            urls.push(quote!(Self::#variant => #url.to_string(),));
        } else {
            variants.push(
                quote!(#[doc = #doc] #variant { #(#[doc = #field_docs] #fields: #field_types,)* },),
            );
            let (template, args) = url_template(server);
            let args = args.iter().map(|a| ident(a));
            urls.push(quote!(Self::#variant { #(#fields),* } => format!(#template, #(#args),*),));
        }
    }

    let default_variant = ident(&first.variant);
    let default_fields: Vec<TokenStream> =
        first.variables.iter().map(variable_at_default).collect();
    // A first server without variables takes `#[default]` and a derive.
    let (derive_default, default_impl) = if default_fields.is_empty() {
        (quote!(Default,), quote!())
    } else {
        let default = quote! {
            impl Default for Server {
                fn default() -> Self {
                    Self::#default_variant { #(#default_fields),* }
                }
            }
        };
        (quote!(), default)
    };

    Some(quote! {
        /// The servers the spec lists. `Server::default()` is the first, with
        /// each variable at its default.
        pub mod servers {
            /// A server from the spec; [`Server::url`] gives its base URL.
            #[derive(Clone, Debug, #derive_default PartialEq, Eq, Hash)]
            pub enum Server {
                #(#variants)*
            }

            impl Server {
                /// The base URL, with the variables filled in.
                pub fn url(&self) -> String {
                    match self {
                        #(#urls)*
                    }
                }
            }

            #default_impl

            #(#variable_types)*
        }
    })
}

/// `https://{region}.x.com` → (`"https://{}.x.com"`, `["region"]`): the
/// variables' fields in the order they appear, literal braces escaped.
fn url_template(server: &Server) -> (String, Vec<String>) {
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = server.url.as_str();
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c);
        let variable = close.and_then(|close| {
            let name = &rest[open + 1..close];
            server
                .variables
                .iter()
                .find(|v| v.name == name)
                .map(|v| (close, v))
        });
        match variable {
            Some((close, variable)) => {
                template.push_str(&rest[..open].replace('}', "}}"));
                template.push_str("{}");
                args.push(variable.field.clone());
                rest = &rest[close + 1..];
            }
            None => {
                template.push_str(&rest[..=open].replace('}', "}}").replace('{', "{{"));
                rest = &rest[open + 1..];
            }
        }
    }
    template.push_str(&rest.replace('}', "}}"));
    (template, args)
}

fn variable_enum(variable: &ServerVariable) -> TokenStream {
    let ty = ident(&variable.type_name);
    let doc = variable
        .description
        .clone()
        .unwrap_or_else(|| format!("Values of the `{}` server variable.", variable.name));
    let values = &variable.values;
    let variants: Vec<_> = crate::model::names::distinct(
        values.iter().map(|v| crate::model::names::type_name(v)),
        &[],
    )
    .iter()
    .map(|v| ident(v))
    .collect();
    let defaults = values
        .iter()
        .map(|v| (v == &variable.default).then(|| quote!(#[default])));
    let docs = values.iter().map(|v| format!("`{v}`"));
    quote! {
        #[doc = #doc]
        #[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
        pub enum #ty {
            #(#[doc = #docs] #defaults #variants,)*
        }

        impl #ty {
            /// The value as it goes into the URL.
            pub fn as_str(&self) -> &'static str {
                match self {
                    #(Self::#variants => #values,)*
                }
            }
        }

        impl std::fmt::Display for #ty {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    }
}

/// `field: value` for a server variable at its default: a typed one's
/// `Default` (its enum marks the spec's default), a free one's text.
pub(super) fn variable_at_default(variable: &ServerVariable) -> TokenStream {
    let field = ident(&variable.field);
    if variable.values.is_empty() {
        let value = &variable.default;
        quote!(#field: #value.to_string())
    } else {
        quote!(#field: Default::default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_template_fills_variables_and_escapes_other_braces() {
        let server = Server {
            url: "https://{region}.x.com/{v}".into(),
            description: None,
            variant: "Region".into(),
            variables: vec![ServerVariable {
                name: "region".into(),
                field: "region".into(),
                default: "eu".into(),
                values: Vec::new(),
                type_name: "Region".into(),
                description: None,
            }],
        };
        assert_eq!(
            url_template(&server),
            (
                "https://{}.x.com/{{v}}".to_string(),
                vec!["region".to_string()]
            )
        );
    }
}
