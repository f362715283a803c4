//! `mod servers`: every `servers` entry as a variant of `Server`, each
//! server variable as a typed value.

use std::collections::BTreeSet;

use openapiv3::Server as SpecServer;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::naming::{field_ident, type_ident};

/// The `servers` module, or nothing when the spec lists no servers.
pub(crate) fn servers_module(servers: &[SpecServer]) -> Option<TokenStream> {
    let first = servers.first()?;
    let mut taken = BTreeSet::new();
    let mut variable_type_names = BTreeSet::new();
    let mut variable_types = Vec::new();
    let mut variants = Vec::new();
    let mut urls = Vec::new();
    for server in servers {
        let mut name = variant_name(server).to_string();
        while !taken.insert(name.clone()) {
            name.push('_');
        }
        let variant = format_ident!("{name}");
        let variables: Vec<_> = server.variables.iter().flatten().collect();
        let fields: Vec<_> = variables.iter().map(|(n, _)| field_ident(n)).collect();
        let field_types: Vec<TokenStream> = variables
            .iter()
            .map(|(var_name, var)| {
                if var.enumeration.is_empty() {
                    return quote!(String);
                }
                let ty = type_ident(var_name);
                if variable_type_names.insert(ty.to_string()) {
                    variable_types.push(variable_enum(var_name, var));
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
        let field_docs = variables.iter().map(|(n, v)| {
            v.description
                .clone()
                .unwrap_or_else(|| format!("The `{n}` server variable."))
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
            let (template, args) = url_template(
                &server.url,
                &variables
                    .iter()
                    .map(|(n, _)| n.as_str())
                    .collect::<Vec<_>>(),
            );
            let args = args.iter().map(|a| field_ident(a));
            urls.push(quote!(Self::#variant { #(#fields),* } => format!(#template, #(#args),*),));
        }
    }

    let default_variant = format_ident!("{}", variant_name(first));
    let default_fields: Vec<TokenStream> = first
        .variables
        .iter()
        .flatten()
        .map(|(n, v)| {
            let field = field_ident(n);
            if v.enumeration.is_empty() {
                let value = &v.default;
                quote!(#field: #value.to_string())
            } else {
                quote!(#field: Default::default())
            }
        })
        .collect();
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

/// `x-rust-name` if given, else the host's first label in camel case
/// (`https://{region}.api.example.com` → `Region`, `https://uat-api…` → `UatApi`).
fn variant_name(server: &SpecServer) -> syn::Ident {
    if let Some(name) = server
        .extensions
        .get("x-rust-name")
        .and_then(|v| v.as_str())
    {
        return type_ident(name);
    }
    let host = server.url.split("://").nth(1).unwrap_or(&server.url);
    let label = host.split(['.', '/', ':']).next().unwrap_or("server");
    type_ident(label.trim_matches(['{', '}']))
}

/// `https://{region}.x.com` → (`"https://{}.x.com"`, `["region"]`), with
/// literal braces escaped for `format!`.
fn url_template(url: &str, variables: &[&str]) -> (String, Vec<String>) {
    let mut template = String::new();
    let mut args = Vec::new();
    let mut rest = url;
    while let Some(open) = rest.find('{') {
        let close = rest[open..].find('}').map(|c| open + c);
        match close {
            Some(close) if variables.contains(&&rest[open + 1..close]) => {
                template.push_str(&rest[..open]);
                template.push_str("{}");
                args.push(rest[open + 1..close].to_string());
                rest = &rest[close + 1..];
            }
            _ => {
                template.push_str(&rest[..=open].replace('{', "{{"));
                rest = &rest[open + 1..];
            }
        }
    }
    template.push_str(&rest.replace('}', "}}"));
    (template, args)
}

fn variable_enum(name: &str, variable: &openapiv3::ServerVariable) -> TokenStream {
    let ty = type_ident(name);
    let doc = variable
        .description
        .clone()
        .unwrap_or_else(|| format!("Values of the `{name}` server variable."));
    let values = &variable.enumeration;
    let variants: Vec<_> = values.iter().map(|v| type_ident(v)).collect();
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

#[cfg(test)]
mod tests {
    use super::url_template;

    #[test]
    fn url_template_fills_variables_and_escapes_other_braces() {
        assert_eq!(
            url_template("https://{region}.x.com/{v}", &["region"]),
            (
                "https://{}.x.com/{{v}}".to_string(),
                vec!["region".to_string()]
            )
        );
    }
}
