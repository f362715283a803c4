//! Every Rust name the generated crate uses, computed in one place.
//!
//! progenitor names operations and parameters, typify names types and
//! fields; both sanitise with the same recipe but differ in the prefix they
//! give a name that cannot start an identifier (`_` for progenitor, `x`/`X`
//! for typify). These functions copy that recipe from progenitor-impl 0.15.1
//! (`util::sanitize`) and typify-impl 0.8.0 (`util::sanitize`), which the
//! workspace pins with `=`; `tests/names.rs` checks them against their output.

use heck::{ToPascalCase, ToShoutySnakeCase, ToSnakeCase};
use unicode_ident::{is_xid_continue, is_xid_start};

#[derive(Clone, Copy)]
enum Case {
    Pascal,
    Snake,
}

/// Who names the identifier: the two tools prefix differently.
#[derive(Clone, Copy)]
enum Namer {
    Progenitor,
    Typify,
}

fn sanitize(input: &str, case: Case, namer: Namer) -> String {
    let to_case = |s: &str| match case {
        Case::Pascal => s.to_pascal_case(),
        Case::Snake => s.to_snake_case(),
    };
    let out = match input {
        "+1" => "plus1".to_string(),
        "-1" => "minus1".to_string(),
        _ => to_case(
            &input
                .replace('\'', "")
                .replace(|c: char| !is_xid_continue(c), "-"),
        ),
    };
    let out = match (out.chars().next(), namer) {
        (None, _) => to_case("x"),
        (Some(c), _) if is_xid_start(c) => out,
        (Some(_), Namer::Progenitor) => format!("_{out}"),
        (Some(_), Namer::Typify) => format!("{}{out}", to_case("x")),
    };
    if typify::accept_as_ident(&out) {
        out
    } else {
        format!("{out}_")
    }
}

/// The method progenitor gives an `operationId` (`move` → `move_`); also the
/// `OperationInfo::operation_id` its hooks see.
pub fn operation_method(operation_id: &str) -> String {
    sanitize(operation_id, Case::Snake, Namer::Progenitor)
}

/// The builder struct progenitor gives an `operationId` (`updateWidget` → `UpdateWidget`).
pub fn operation_builder(operation_id: &str) -> String {
    sanitize(operation_id, Case::Pascal, Namer::Progenitor)
}

/// The builder setter progenitor gives a parameter (`X-Trace` → `x_trace`).
pub fn parameter_setter(name: &str) -> String {
    sanitize(name, Case::Snake, Namer::Progenitor)
}

/// The type typify gives a component schema (`payment-authority` → `PaymentAuthority`).
pub fn type_name(schema_name: &str) -> String {
    sanitize(schema_name, Case::Pascal, Namer::Typify)
}

/// The field typify gives a property (`type` → `type_`).
pub fn field_name(property: &str) -> String {
    sanitize(property, Case::Snake, Namer::Typify)
}

/// A Rust identifier from a name sanitised by one of the functions above.
pub fn ident(name: &str) -> syn::Ident {
    quote::format_ident!("{name}")
}

/// The vendor a spec file names, by one documented rule: the file stem in
/// lower case, each run of other characters than ASCII letters and digits
/// made one `-`, with `-` trimmed at both ends, and `api-` put before a
/// stem that starts with a digit (`api.github.com.json` → `api-github-com`,
/// `cart_checkout.yaml` → `cart-checkout`, `3dsecure.yaml` → `api-3dsecure`).
/// `None` for a stem with no letter or digit.
pub fn vendor_from_stem(stem: &str) -> Option<String> {
    let mut vendor = String::with_capacity(stem.len());
    for c in stem.chars() {
        if c.is_ascii_alphanumeric() {
            vendor.push(c.to_ascii_lowercase());
        } else if !vendor.is_empty() && !vendor.ends_with('-') {
            vendor.push('-');
        }
    }
    let vendor = vendor.trim_end_matches('-');
    match vendor.chars().next() {
        None => None,
        Some(c) if c.is_ascii_digit() => Some(format!("api-{vendor}")),
        Some(_) => Some(vendor.to_string()),
    }
}

/// `capillary` → `capillary-client`.
pub fn crate_name(vendor: &str) -> String {
    format!("{vendor}-client")
}

/// `capillary` → `capillary_client`, the crate as Rust code names it.
pub fn crate_ident(vendor: &str) -> syn::Ident {
    ident(&crate_name(vendor).replace('-', "_"))
}

/// `capillary` → `update_capillary`, the example program's name.
pub fn example_name(vendor: &str) -> String {
    format!("update_{}", vendor.replace('-', "_"))
}

/// `capillary` → `CAPILLARY`, the prefix of the example's environment variables.
pub fn env_prefix(vendor: &str) -> String {
    vendor.to_shouty_snake_case()
}

/// `client_id` → `CLIENT_ID`, a credential part as an environment variable suffix.
pub fn env_suffix(part: &str) -> String {
    part.to_shouty_snake_case()
}

/// `name`, or `name2`, `name3`, … whichever `taken` lacks first, which it
/// then holds: [`distinct`] for one name at a time, without copying `taken`.
pub fn unique(name: String, taken: &mut std::collections::BTreeSet<String>) -> String {
    let mut candidate = name.clone();
    let mut n = 1;
    while taken.contains(&candidate) {
        n += 1;
        candidate = format!("{name}{n}");
    }
    taken.insert(candidate.clone());
    candidate
}

/// Makes `names` distinct by appending `2`, `3`, … to repeats (in order),
/// avoiding `reserved` too.
pub fn distinct(names: impl IntoIterator<Item = String>, reserved: &[&str]) -> Vec<String> {
    let mut taken: std::collections::BTreeSet<String> =
        reserved.iter().map(|r| r.to_string()).collect();
    names
        .into_iter()
        .map(|name| unique(name, &mut taken))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_digits_and_empty_names_become_identifiers() {
        let methods: Vec<_> = [
            "move", "type", "self", "Self", "super", "crate", "123", "1st", "",
        ]
        .map(operation_method)
        .into();
        assert_eq!(
            methods,
            [
                "move_", "type_", "self_", "self_", "super_", "crate_", "_123", "_1st", "x"
            ]
        );
        assert_eq!(type_name("self"), "Self_");
        assert_eq!(type_name("1st"), "X1st");
        assert_eq!(field_name("type"), "type_");
        for name in methods
            .iter()
            .chain([&type_name("1st"), &field_name("123")])
        {
            syn::parse_str::<syn::Ident>(name).expect("a valid identifier");
        }
    }

    #[test]
    fn file_stems_map_to_crate_names() {
        for (stem, vendor) in [
            ("capillary", Some("capillary")),
            ("api.github.com", Some("api-github-com")),
            ("cart_checkout", Some("cart-checkout")),
            ("Oai--Petstore ", Some("oai-petstore")),
            ("3dsecure", Some("api-3dsecure")),
            ("...", None),
        ] {
            assert_eq!(vendor_from_stem(stem).as_deref(), vendor, "{stem}");
        }
    }

    #[test]
    fn distinct_names_keep_order_and_skip_reserved() {
        assert_eq!(
            distinct(["Line", "Line", "Unknown"].map(String::from), &["Unknown"]),
            ["Line", "Line2", "Unknown2"]
        );
    }
}
