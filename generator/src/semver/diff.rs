//! Two surfaces compared item by item, each change classified by the Cargo
//! SemVer reference's rules and named by Rust path and spec place.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use super::surface::{Member, Shape, Surface};
use super::wire;

/// How much a change breaks, from least to most.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Nothing downstream can observe (documentation, private code).
    None,
    /// New API; code that compiled still compiles.
    Additive,
    /// The Rust API is the same but an existing call sends or accepts
    /// something else (a renamed JSON property, a tighter constraint, a moved
    /// operation).
    WireBreaking,
    /// Code that compiled may no longer compile.
    Breaking,
}

impl fmt::Display for Class {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Class::None => "none",
            Class::Additive => "additive",
            Class::WireBreaking => "wire-breaking",
            Class::Breaking => "breaking",
        })
    }
}

/// One change of the public API or of the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    /// How much it breaks.
    pub class: Class,
    /// What happened: `removed`, `added`, `required`, `changed`,
    /// `non_exhaustive`, `renamed` (on the wire), `tightened`, `narrowed`,
    /// `moved`.
    pub kind: &'static str,
    /// The Rust path (`types::Subscription::url`, `Client::update_subscription`).
    pub path: String,
    /// The JSON pointer into the spec it comes from, when known
    /// (`#/components/schemas/Subscription/properties/url`).
    pub place: Option<String>,
    /// More about it (`i64 → String`), when useful.
    pub detail: Option<String>,
}

/// Every change between two surfaces, and their overall class.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// The most breaking change's class (`None` when nothing changed).
    pub class: Class,
    /// The changes, API changes by path first, then wire changes.
    pub changes: Vec<Change>,
}

/// Compares the surface of the committed spec (`old`) with the new one.
pub fn diff(old: &Surface, new: &Surface) -> Report {
    let mut changes = Vec::new();
    {
        let mut push =
            |class, kind, path: String, detail: Option<String>, wire_name: Option<&str>| {
                let place = place(&path, wire_name, new, old);
                changes.push(Change {
                    class,
                    kind,
                    path,
                    place,
                    detail,
                });
            };
        for (path, before) in &old.items {
            match new.items.get(path) {
                None => push(Class::Breaking, "removed", path.clone(), None, None),
                Some(after) if after == before => {}
                Some(after) => compare(path, before, after, &mut push),
            }
        }
        for path in new.items.keys().filter(|p| !old.items.contains_key(*p)) {
            push(Class::Additive, "added", path.clone(), None, None);
        }
    }
    changes.extend(wire::changes(old, new));

    // Report each thing once: a setter in `types::builder` mirrors its
    // type's field; the members of an added or removed item go with it; and
    // at one path only the most breaking changes count.
    let whole: BTreeSet<(String, &str)> = changes
        .iter()
        .filter(|c| matches!(c.kind, "added" | "removed"))
        .map(|c| (c.path.clone(), c.kind))
        .collect();
    let mut worst: BTreeMap<String, Class> = BTreeMap::new();
    for change in &changes {
        let class = worst.entry(change.path.clone()).or_insert(change.class);
        *class = (*class).max(change.class);
    }
    let mut seen = BTreeSet::new();
    changes.retain(|c| {
        let mirrored = c
            .path
            .strip_prefix("types::builder::")
            .is_some_and(|rest| worst.contains_key(&format!("types::{rest}")));
        let member = owners(&c.path).any(|owner| whole.contains(&(owner.to_string(), c.kind)));
        !mirrored
            && !member
            && worst.get(&c.path) == Some(&c.class)
            && seen.insert((c.path.clone(), c.kind))
    });
    let class = changes.iter().map(|c| c.class).max().unwrap_or(Class::None);
    Report { class, changes }
}

/// The paths `path` is a member of (`a::B::c: Clone` → `a::B::c`, `a::B`, `a`).
fn owners(path: &str) -> impl Iterator<Item = &str> {
    let bare = path.split_once(": ").map_or(path, |(item, _)| item);
    let own = (bare != path).then_some(bare);
    own.into_iter().chain(
        bare.match_indices("::")
            .map(move |(index, _)| &bare[..index])
            .collect::<Vec<_>>()
            .into_iter()
            .rev(),
    )
}

type Push<'a> = dyn FnMut(Class, &'static str, String, Option<String>, Option<&str>) + 'a;

fn compare(path: &str, before: &Shape, after: &Shape, push: &mut Push<'_>) {
    match (before, after) {
        (
            Shape::Struct {
                non_exhaustive: was_closed,
                fields: old,
            },
            Shape::Struct {
                non_exhaustive,
                fields: new,
            },
        ) => {
            if !was_closed && *non_exhaustive && before.literal() {
                let detail = "no longer buildable with a struct literal".to_string();
                push(
                    Class::Breaking,
                    "non_exhaustive",
                    path.into(),
                    Some(detail),
                    None,
                );
            }
            fields(path, before.literal(), old, new, push);
        }
        (
            Shape::Enum {
                non_exhaustive: was_open,
                variants: old,
            },
            Shape::Enum {
                non_exhaustive,
                variants: new,
            },
        ) => {
            if !was_open && *non_exhaustive {
                let detail = "exhaustive `match`es need a wildcard arm".to_string();
                push(
                    Class::Breaking,
                    "non_exhaustive",
                    path.into(),
                    Some(detail),
                    None,
                );
            }
            for (name, variant) in old {
                let at = format!("{path}::{name}");
                match new.get(name) {
                    None => push(Class::Breaking, "removed", at, None, Some(&variant.wire)),
                    Some(now) => member_changed(at, variant, now, push),
                }
            }
            for (name, variant) in new.iter().filter(|(n, _)| !old.contains_key(*n)) {
                let at = format!("{path}::{name}");
                if *non_exhaustive {
                    push(Class::Additive, "added", at, None, Some(&variant.wire));
                } else {
                    let detail = "variant of an exhaustive enum".to_string();
                    push(
                        Class::Breaking,
                        "added",
                        at,
                        Some(detail),
                        Some(&variant.wire),
                    );
                }
            }
        }
        (Shape::Fn(old), Shape::Fn(new)) => {
            push(
                Class::Breaking,
                "changed",
                path.into(),
                Some(format!("`{old}` → `{new}`")),
                None,
            );
        }
        _ => push(Class::Breaking, "changed", path.into(), None, None),
    }
}

fn is_builder(path: &str) -> bool {
    path.starts_with("builder::") || path.contains("::builder::")
}

fn fields(
    path: &str,
    literal: bool,
    old: &BTreeMap<String, Member>,
    new: &BTreeMap<String, Member>,
    push: &mut Push<'_>,
) {
    let builder = is_builder(path);
    for (name, field) in old {
        let at = format!("{path}::{name}");
        match new.get(name) {
            None if field.public => push(Class::Breaking, "removed", at, None, Some(&field.wire)),
            None => {}
            Some(now) if field.public && now.public => member_changed(at, field, now, push),
            Some(now)
                if builder
                    && !field.public
                    && !builder_required(&field.shape)
                    && builder_required(&now.shape) =>
            {
                push(Class::Breaking, "required", at, None, Some(&now.wire));
            }
            Some(_) => {}
        }
    }
    for (name, field) in new.iter().filter(|(n, _)| !old.contains_key(*n)) {
        let at = format!("{path}::{name}");
        let wire = Some(field.wire.as_str());
        if field.public && literal {
            let detail = "field of a struct downstream code builds with a literal".to_string();
            push(Class::Breaking, "added", at, Some(detail), wire);
        } else if field.public && !optional(&field.shape) {
            push(Class::Breaking, "required", at, None, wire);
        } else if field.public {
            push(Class::Additive, "added", at, None, wire);
        } else if builder && builder_required(&field.shape) {
            push(Class::Breaking, "required", at, None, wire);
        }
    }
}

fn member_changed(at: String, before: &Member, after: &Member, push: &mut Push<'_>) {
    if before.shape != after.shape {
        let kind = if optional(&before.shape) && !optional(&after.shape) {
            "required"
        } else {
            "changed"
        };
        let detail = format!("`{}` → `{}`", before.shape, after.shape);
        push(
            Class::Breaking,
            kind,
            at.clone(),
            Some(detail),
            Some(&after.wire),
        );
    }
    if before.wire != after.wire {
        let detail = format!("\"{}\" → \"{}\" on the wire", before.wire, after.wire);
        push(
            Class::WireBreaking,
            "renamed",
            at,
            Some(detail),
            Some(&after.wire),
        );
    }
}

/// The outer type's name and its generic arguments (`Option<T>` → (`Option`, `T`)).
fn outer(shape: &str) -> (&str, &str) {
    match shape.split_once('<') {
        Some((head, rest)) => (
            head.rsplit("::").next().unwrap_or(head),
            rest.strip_suffix('>').unwrap_or(rest),
        ),
        None => (shape.rsplit("::").next().unwrap_or(shape), ""),
    }
}

/// Whether a field of this type may be left out (`Option`, `Nullable`).
fn optional(shape: &str) -> bool {
    matches!(outer(shape).0, "Option" | "Nullable")
}

/// Whether a builder field of this type must be set before building:
/// builders keep `Result<T, String>`, `T` an `Option` when it may be left out.
fn builder_required(shape: &str) -> bool {
    let (name, arguments) = outer(shape);
    if name != "Result" {
        return false;
    }
    // The value type is everything before the top-level `,String`.
    let value = arguments
        .rsplit_once(',')
        .map_or(arguments, |(value, _)| value);
    !optional(value)
}

/// `~` and `/` escaped for a JSON pointer.
pub(crate) fn escape(segment: &str) -> String {
    segment.replace('~', "~0").replace('/', "~1")
}

/// The spec place a Rust path comes from.
fn place(path: &str, wire_name: Option<&str>, new: &Surface, old: &Surface) -> Option<String> {
    let segments: Vec<&str> = path.split("::").collect();
    let first = |s: &str| s.split(':').next().unwrap_or(s).trim().to_string();
    match segments.as_slice() {
        ["types", "builder", name, ..] | ["types", name, ..] => {
            let name = first(name);
            let schema = new.schemas.get(&name).or_else(|| old.schemas.get(&name))?;
            let mut place = format!("#/components/schemas/{}", escape(schema));
            if let (Some(wire), 3..) = (wire_name, segments.len()) {
                let is_field = new
                    .items
                    .get(&segments[..segments.len() - 1].join("::"))
                    .or_else(|| old.items.get(&segments[..segments.len() - 1].join("::")))
                    .is_some_and(|s| matches!(s, Shape::Struct { .. }));
                if is_field {
                    place.push_str(&format!("/properties/{}", escape(wire)));
                }
            }
            Some(place)
        }
        ["Client", method, ..] => operation_place(new, old, |op| op.method_name == first(method)),
        ["builder", name, ..] => operation_place(new, old, |op| op.builder == first(name)),
        _ => None,
    }
}

fn operation_place(
    new: &Surface,
    old: &Surface,
    matches: impl Fn(&super::surface::Operation) -> bool,
) -> Option<String> {
    new.operations
        .values()
        .find(|op| matches(op))
        .or_else(|| old.operations.values().find(|op| matches(op)))
        .map(|op| format!("#/paths/{}/{}", escape(&op.path), op.http_method))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn optional_and_required_shapes() {
        assert!(optional("::std::option::Option<::std::string::String>"));
        assert!(optional("client_runtime::Nullable<i64>"));
        assert!(!optional("::std::string::String"));
        assert!(!optional("::std::vec::Vec<::std::option::Option<i64>>"));
        assert!(builder_required(
            "::std::result::Result<::std::string::String,String>"
        ));
        assert!(!builder_required(
            "::std::result::Result<::std::option::Option<bool>, ::std::string::String>"
        ));
        assert!(!builder_required("::std::option::Option<bool>"));
    }

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(escape("/subscriptions/{id}"), "~1subscriptions~1{id}");
        assert_eq!(escape("a~b"), "a~0b");
    }
}
