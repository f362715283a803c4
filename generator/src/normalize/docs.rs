//! Descriptions as rustdoc and clippy read them: they end up in doc
//! comments, where a bare URL warns (`rustdoc::bare_urls`) and a line that
//! runs on from a list item unindented is a lint error
//! (`clippy::doc_lazy_continuation`).
//!
//! - Bare `http(s)://` URLs become `<…>` autolinks (also `info.termsOfService`,
//!   which progenitor prints in the `Client` docs).
//! - Brackets that rustdoc would take for an intra-doc link (`[Policy]`,
//!   `data[1]`) are escaped, and links to Rust paths (`[`Vpc`](crate::views::Vpc)`)
//!   keep only their text: spec text names no item of this crate, and a
//!   link that resolves to nothing is a rustdoc warning.
//! - A line that runs on from a list item is indented under the item.
//! - Code blocks are `text` ([`text::doc`]): rustdoc would compile an
//!   unlabelled fence or an indented block as a doctest of this crate, and
//!   spec text is never code. `info`'s title and version reach the docs too.
//! - Parameter and request body descriptions, which progenitor puts in a
//!   list item of its own (`- `name`: …`), have their later lines indented
//!   under that item.

use serde_json::Value;

use crate::note::Notes;
use crate::spec::METHODS;
use crate::text;

/// Keys whose value maps names (of properties, schemas, paths, media types)
/// to objects: a property named `example` is a schema, not an example.
const NAMED: &[&str] = &[
    "properties",
    "patternProperties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "pathItems",
    "paths",
    "content",
    "encoding",
    "variables",
];

/// Rewrites every description and summary of `document`.
pub(super) fn doc_text(document: &mut Value, notes: &mut Notes) {
    rewrite_descriptions(document);
    if let Some(Value::String(terms)) = document.pointer_mut("/info/termsOfService") {
        *terms = text::doc(&autolink(terms));
    }
    // One line each: they stand inside sentences of the crate page.
    for field in ["/info/title", "/info/version"] {
        if let Some(Value::String(line)) = document.pointer_mut(field) {
            *line = text::doc(&line.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    // progenitor sends the version as a header (`HeaderValue::from_static`,
    // which panics on anything else than visible ASCII); the runtime takes
    // that header off again, so only its bytes matter.
    if let Some(Value::String(version)) = document.pointer_mut("/info/version")
        && !version.bytes().all(|b| (b' '..=b'~').contains(&b))
    {
        *version = version
            .chars()
            .map(|c| if (' '..='~').contains(&c) { c } else { '?' })
            .collect();
        notes.add(
            "/info/version".into(),
            format!("`info.version` holds characters an HTTP header cannot carry (progenitor sends it as one): read as `{version}`"),
        );
    }
    for holder in parameter_and_body_holders(document) {
        if let Some(Value::String(text)) = holder.get_mut("description") {
            *text = under_list_item(text);
        }
    }
}

/// Examples, defaults and enums are data and stay as written.
fn rewrite_descriptions(node: &mut Value) {
    match node {
        Value::Object(map) => {
            for (key, value) in map.iter_mut() {
                match (key.as_str(), value) {
                    (key, Value::Object(named)) if NAMED.contains(&key) => {
                        named.values_mut().for_each(rewrite_descriptions)
                    }
                    ("example" | "examples" | "default" | "enum" | "const", _) => {}
                    ("description" | "summary", Value::String(prose)) => {
                        *prose =
                            continued_lists(&escape_shortcut_links(&autolink(&text::doc(prose))));
                    }
                    (_, value) => rewrite_descriptions(value),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(rewrite_descriptions),
        _ => {}
    }
}

/// Parameters (of path items, operations and components) and request bodies.
fn parameter_and_body_holders(document: &mut Value) -> Vec<&mut Value> {
    let mut found = Vec::new();
    let Some(root) = document.as_object_mut() else {
        return found;
    };
    for (key, section) in root.iter_mut() {
        match key.as_str() {
            "paths" => {
                for item in section
                    .as_object_mut()
                    .into_iter()
                    .flat_map(|p| p.values_mut())
                {
                    let Some(item) = item.as_object_mut() else {
                        continue;
                    };
                    for (key, value) in item.iter_mut() {
                        if key == "parameters" {
                            found.extend(value.as_array_mut().into_iter().flatten());
                        } else if METHODS.contains(&key.as_str())
                            && let Some(operation) = value.as_object_mut()
                        {
                            for (key, value) in operation.iter_mut() {
                                match key.as_str() {
                                    "parameters" => {
                                        found.extend(value.as_array_mut().into_iter().flatten())
                                    }
                                    "requestBody" => found.push(value),
                                    _ => {}
                                }
                            }
                        }
                    }
                }
            }
            "components" => {
                for (kind, members) in section.as_object_mut().into_iter().flatten() {
                    if kind == "parameters" || kind == "requestBodies" {
                        found.extend(
                            members
                                .as_object_mut()
                                .into_iter()
                                .flat_map(|m| m.values_mut()),
                        );
                    }
                }
            }
            _ => {}
        }
    }
    found
}

/// Text that follows `- `name`: ` in a list item: trimmed, later lines indented by two.
fn under_list_item(text: &str) -> String {
    let mut lines = text.trim().lines();
    let mut out = lines.next().unwrap_or_default().to_string();
    for line in lines {
        out.push('\n');
        if !line.trim().is_empty() {
            out.push_str("  ");
            out.push_str(line);
        }
    }
    out
}

/// Escapes `[…]` around a path rustdoc would try to resolve, unless it is an
/// inline link `[…](…)`, a reference `[…][…]` or a label the text defines
/// (`[label]: …`); code spans and fenced blocks are left as they are.
fn escape_shortcut_links(text: &str) -> String {
    let defined: Vec<&str> = text
        .lines()
        .filter_map(|line| {
            let line = line.trim_start().strip_prefix('[')?;
            let (label, rest) = line.split_once(']')?;
            rest.starts_with(':').then_some(label)
        })
        .collect();
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    let mut in_fence = false;
    while i < chars.len() {
        let at_line_start = i == 0 || chars[i - 1] == '\n';
        if at_line_start {
            let line: String = chars[i..].iter().take_while(|c| **c != '\n').collect();
            let trimmed = line.trim_start();
            if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                in_fence = !in_fence;
            }
            if in_fence || trimmed.starts_with("```") || trimmed.starts_with("~~~") {
                out.push_str(&line);
                i += line.chars().count();
                if i < chars.len() {
                    out.push('\n');
                    i += 1;
                }
                continue;
            }
        }
        match chars[i] {
            '\\' => {
                // An escape keeps the next character as it is.
                out.push('\\');
                if let Some(next) = chars.get(i + 1) {
                    out.push(*next);
                }
                i += 2;
            }
            '`' => {
                let run = chars[i..].iter().take_while(|c| **c == '`').count();
                // A code span ends in its paragraph, at a run of as many backticks.
                let paragraph_end = (i + run..chars.len())
                    .find(|&j| chars[j] == '\n' && chars.get(j + 1) == Some(&'\n'))
                    .unwrap_or(chars.len());
                let closing = (i + run..paragraph_end).find(|&j| {
                    chars[j..].iter().take_while(|c| **c == '`').count() == run
                        && chars[j - 1] != '`'
                });
                let end = closing.map_or(i + run, |j| j + run);
                out.extend(&chars[i..end]);
                i = end;
            }
            '[' => {
                let close = chars[i + 1..]
                    .iter()
                    .position(|c| *c == ']' || *c == '[' || *c == '\n')
                    .map(|p| i + 1 + p)
                    .filter(|&j| chars[j] == ']');
                let Some(close) = close else {
                    out.push('[');
                    i += 1;
                    continue;
                };
                let label: String = chars[i + 1..close].iter().collect();
                // `[text](crate::a::B)`: a Rust path of the API's own code,
                // which this crate does not have; the text stays.
                if chars.get(close + 1) == Some(&'(') {
                    let end = chars[close + 2..]
                        .iter()
                        .position(|c| *c == ')' || *c == '\n')
                        .map(|p| close + 2 + p)
                        .filter(|&j| chars[j] == ')');
                    if let Some(end) = end {
                        let destination: String = chars[close + 2..end].iter().collect();
                        if destination.contains("::") && path_like(&destination) {
                            out.push_str(&label);
                            i = end + 1;
                            continue;
                        }
                    }
                }
                let linked = matches!(chars.get(close + 1), Some('(' | '['))
                    || (i > 0 && chars[i - 1] == ']')
                    || defined.contains(&label.as_str());
                if linked || !path_like(&label) {
                    out.push('[');
                    i += 1;
                } else {
                    out.push_str("\\[");
                    out.push_str(&label);
                    out.push_str("\\]");
                    i = close + 1;
                }
            }
            // `<Conference>` (Twilio's TwiML verbs): rustdoc reads an HTML
            // tag and warns that it is never closed; an autolink stays.
            '<' if chars
                .get(i + 1)
                .is_some_and(|c| c.is_ascii_alphabetic() || *c == '/')
                && !is_autolink(&chars[i..]) =>
            {
                out.push_str("\\<");
                i += 1;
            }
            c => {
                out.push(c);
                i += 1;
            }
        }
    }
    out
}

/// Whether `<…>` at the start of `rest` is an autolink (`<https://…>`,
/// `<a@b.example>`).
fn is_autolink(rest: &[char]) -> bool {
    let inside: String = rest
        .iter()
        .skip(1)
        .take_while(|c| **c != '>' && !c.is_whitespace())
        .collect();
    inside.contains("://") || inside.contains('@')
}

/// Whether rustdoc would try `label` as an intra-doc link: a path such as
/// `Policy`, `crate::a::B`, `f()`, `1` or `Vec<T, A>` (rustdoc tries any
/// label of these characters, so `[2,3,5]` too), in backticks or not.
fn path_like(label: &str) -> bool {
    let label = label.trim_matches('`');
    !label.trim().is_empty()
        && label.chars().all(|c| {
            c.is_alphanumeric()
                || matches!(
                    c,
                    '_' | ':' | '!' | '(' | ')' | '@' | '<' | '>' | ',' | ' ' | '*' | '&' | ';'
                )
        })
}

/// The width of a list item's marker (`- `, `* `, `+ `, `1. `, `1) `).
fn list_marker(line: &str) -> Option<usize> {
    if ["- ", "* ", "+ "].iter().any(|m| line.starts_with(m)) {
        return Some(2);
    }
    let digits = line.bytes().take_while(u8::is_ascii_digit).count();
    let rest = &line[digits..];
    (digits > 0 && digits < 10 && (rest.starts_with(". ") || rest.starts_with(") ")))
        .then_some(digits + 2)
}

/// Indents a line that runs on from a list item (no blank line between)
/// to the item's text, as Markdown reads it anyway.
fn continued_lists(text: &str) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut column: Option<usize> = None;
    let mut in_fence = false;
    for line in text.lines() {
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let fence = trimmed.starts_with("```") || trimmed.starts_with("~~~");
        if fence {
            in_fence = !in_fence;
        }
        if fence || in_fence || trimmed.is_empty() {
            column = None;
        } else if let Some(width) = list_marker(trimmed) {
            column = Some(indent + width);
        } else if let Some(column) = column.filter(|c| indent != *c && indent < *c + 4) {
            // Under or over the item's text (clippy's lazy continuation and
            // overindented item lints); four more spaces would be code.
            out.push(format!("{}{trimmed}", " ".repeat(column)));
            continue;
        }
        out.push(line.to_string());
    }
    let mut joined = out.join("\n");
    if text.ends_with('\n') {
        joined.push('\n');
    }
    joined
}

/// Wraps bare `http(s)://` URLs in `<…>`.
fn autolink(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let next_url = |s: &str| {
        ["http://", "https://"]
            .iter()
            .filter_map(|p| s.find(p))
            .min()
    };
    while let Some(start) = next_url(rest) {
        let (before, from_url) = rest.split_at(start);
        out.push_str(before);
        let end = from_url
            .find(|c: char| c.is_whitespace() || matches!(c, ')' | '>' | '"' | '\'' | '`' | ']'))
            .unwrap_or(from_url.len());
        let url = from_url[..end].trim_end_matches(['.', ',', ';', ':']);
        let already_linked = before.ends_with("](") || before.ends_with(['<', '`', '"']);
        // `[text](https://…\)`: the vendor escaped the link's closing
        // parenthesis, which leaves the link open and the URL bare.
        let escaped_close =
            before.ends_with("](") && url.ends_with('\\') && from_url[url.len()..].starts_with(')');
        if escaped_close {
            out.push_str(&url[..url.len() - 1]);
        } else if already_linked {
            out.push_str(url);
        } else {
            out.push('<');
            out.push_str(url);
            out.push('>');
        }
        rest = &from_url[url.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bare_urls_become_autolinks_and_links_stay() {
        assert_eq!(
            autolink(
                "See https://a.example/x. Or [b](https://b.example), <http://c.example> (https://d.example)."
            ),
            "See <https://a.example/x>. Or [b](https://b.example), <http://c.example> (<https://d.example>)."
        );
        assert_eq!(
            autolink("In [ISO 8601](https://e.example/ISO_8601\\) format."),
            "In [ISO 8601](https://e.example/ISO_8601) format."
        );
    }

    #[test]
    fn brackets_that_are_no_link_are_escaped() {
        assert_eq!(
            escape_shortcut_links(
                "A [`Policy`] and data[1], [a](b), [`V`](crate::v::V), [c][d], `x[0]`, \\[e\\], {x: [1, 2]} and [f].\n\n[f]: https://f.example\n```\nv[2]\n```\n\nSee ```rust no end\n\nthen [g] ```"
            ),
            "A \\[`Policy`\\] and data\\[1\\], [a](b), `V`, [c][d], `x[0]`, \\[e\\], {x: \\[1, 2\\]} and [f].\n\n[f]: https://f.example\n```\nv[2]\n```\n\nSee ```rust no end\n\nthen \\[g\\] ```"
        );
        assert_eq!(
            escape_shortcut_links("For example, **[2,3,5]**."),
            "For example, **\\[2,3,5\\]**."
        );
        assert_eq!(
            escape_shortcut_links("Use <Conference> in `<Dial>`, see <https://t.example>."),
            "Use \\<Conference> in `<Dial>`, see <https://t.example>."
        );
    }

    #[test]
    fn lines_running_on_from_list_items_are_indented() {
        assert_eq!(
            continued_lists(
                "Intro\n- one\ncontinued\n\nAfter\n10. ten\n  fine\nmore\n```\n- x\ny\n```"
            ),
            "Intro\n- one\n  continued\n\nAfter\n10. ten\n    fine\n    more\n```\n- x\ny\n```"
        );
        assert_eq!(
            continued_lists("* a\n   over\n* b\n      code"),
            "* a\n  over\n* b\n      code"
        );
        assert_eq!(
            under_list_item("\nFirst\nsecond\n\n| a |\n"),
            "First\n  second\n\n  | a |"
        );
    }
}
