//! Names derived from the spec's file name and from spec identifiers.

use heck::{ToShoutySnakeCase, ToSnakeCase, ToUpperCamelCase};
use proc_macro2::Ident;
use quote::format_ident;

/// The vendor name a spec file stands for: its file stem, if it is a valid
/// crate-name fragment (`capillary.yaml` → `capillary`).
pub fn vendor_from_stem(stem: &str) -> Option<String> {
    let valid = !stem.is_empty()
        && stem.starts_with(|c: char| c.is_ascii_lowercase())
        && stem
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
    valid.then(|| stem.to_string())
}

/// `capillary` → `capillary-client`.
pub fn crate_name(vendor: &str) -> String {
    format!("{vendor}-client")
}

/// `capillary` → `update_capillary`, the example program's name.
pub fn example_name(vendor: &str) -> String {
    format!("update_{}", vendor.replace('-', "_"))
}

/// `capillary` → `CAPILLARY`, the prefix of the example's environment variables.
pub fn env_prefix(vendor: &str) -> String {
    vendor.to_shouty_snake_case()
}

/// A type or variant name for any spec identifier (`basicAuth` → `BasicAuth`).
pub fn type_ident(name: &str) -> Ident {
    let mut pascal = name.to_upper_camel_case();
    if pascal.is_empty() || pascal.starts_with(|c: char| c.is_ascii_digit()) {
        pascal.insert(0, 'V');
    }
    format_ident!("{pascal}")
}

/// A field or method name for any spec identifier (`X-SP-GATEWAY` → `x_sp_gateway`).
pub fn field_ident(name: &str) -> Ident {
    let snake = name.to_snake_case();
    match syn::parse_str::<Ident>(&snake) {
        Ok(ident) if !snake.is_empty() => ident,
        _ => format_ident!("r#{snake}"),
    }
}
