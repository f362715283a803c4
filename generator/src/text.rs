//! Spec text on its way into generated source: one path per place it can
//! land, so that no spec text is ever code.
//!
//! - [`doc`]: Markdown for a doc comment. rustdoc compiles and runs every
//!   code block it reads as Rust (an unlabelled or `rust,…` fence, a
//!   `{.x}` fence, an indented block, in a list or a quote), so every code
//!   block whose label is not a known non-Rust language is relabelled
//!   `text`, found with the Markdown parser rustdoc itself uses; characters
//!   rustc refuses in comments are taken out.
//! - [`literal`]: a Rust string literal, escaped by `proc-macro2` as any
//!   token is: never pasted between quotes or into a raw string by hand.
//!
//! Identifiers come from [`crate::spec::names`], which sanitises them.

use std::ops::Range;

use pulldown_cmark::{CodeBlockKind, Event, Options, Parser, Tag};

/// Code-block labels rustdoc shows as text and never compiles: a single
/// known language that is not Rust. Anything else, one unknown word
/// included, is relabelled: rustdoc's reading of labels changes over time,
/// and a label kept wrongly would run spec text.
const SAFE_LANGUAGES: &[&str] = &[
    "text",
    "txt",
    "plaintext",
    "json",
    "jsonc",
    "json5",
    "yaml",
    "yml",
    "toml",
    "xml",
    "html",
    "css",
    "http",
    "bash",
    "sh",
    "shell",
    "zsh",
    "console",
    "powershell",
    "curl",
    "javascript",
    "js",
    "typescript",
    "ts",
    "python",
    "py",
    "java",
    "kotlin",
    "go",
    "ruby",
    "php",
    "csharp",
    "cs",
    "c",
    "cpp",
    "swift",
    "graphql",
    "sql",
    "csv",
    "markdown",
    "md",
    "diff",
    "ini",
];

/// `text` as a doc comment's Markdown: what rustdoc shows as `text` shows,
/// but no code block in it is a doc test, and nothing in it is refused by
/// rustc.
pub(crate) fn doc(text: &str) -> String {
    doc_keeping(text, &[])
}

/// [`doc`], keeping as they are the code blocks whose code is one of
/// `own`: the doc tests the generator writes itself.
pub(crate) fn doc_keeping(text: &str, own: &[&str]) -> String {
    let mut text = expand_tabs(&clean(text));
    // Each pass relabels every fence and turns one indented block into a
    // fence; what is still testable after that is shown as one text block.
    for _ in 0..32 {
        let blocks = testable_blocks(&text, own);
        if blocks.is_empty() {
            return text;
        }
        let (fenced, indented): (Vec<_>, Vec<_>) =
            blocks.into_iter().partition(|b| b.kind == Kind::Fenced);
        if fenced.is_empty() {
            text = fence_indented(&text, &indented[0].range);
        } else {
            for block in fenced.iter().rev() {
                text.replace_range(block.label.clone(), "text");
            }
        }
    }
    let whole = fenced_whole(&text);
    if testable_blocks(&whole, &[]).is_empty() {
        whole
    } else {
        String::new()
    }
}

/// `text` as the source of a Rust string literal, quotes included.
pub(crate) fn literal(text: &str) -> String {
    proc_macro2::Literal::string(text).to_string()
}

/// Doc comment lines as rustdoc reads them: without the indentation they
/// all share (`/// text` is ` text`).
pub(crate) fn unindent(docs: &str) -> String {
    let indent = docs
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.len() - l.trim_start_matches(' ').len())
        .min()
        .unwrap_or(0);
    docs.lines()
        .map(|l| l.get(indent..).unwrap_or(""))
        .collect::<Vec<_>>()
        .join("\n")
}

/// `value` as the argument of `serde_json::json!`, laid out over lines
/// indented by `indent`: strings are [`literal`]s, integers outside `i32`
/// carry a suffix (the macro's default type would overflow).
pub(crate) fn json_macro(value: &serde_json::Value, indent: usize) -> String {
    use serde_json::Value;
    let pad = |depth: usize| " ".repeat(indent + 4 * depth);
    fn write(value: &Value, depth: usize, out: &mut String, pad: &dyn Fn(usize) -> String) {
        match value {
            Value::Null => out.push_str("null"),
            Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
            Value::Number(n) => {
                let fits = n.as_i64().is_some_and(|i| i32::try_from(i).is_ok());
                out.push_str(&n.to_string());
                if n.is_i64() && !fits {
                    out.push_str("_i64");
                } else if n.is_u64() && !fits {
                    out.push_str("_u64");
                } else if n.is_f64() && !n.to_string().contains(['.', 'e', 'E']) {
                    out.push_str(".0");
                }
            }
            Value::String(s) => out.push_str(&literal(s)),
            Value::Array(items) if items.is_empty() => out.push_str("[]"),
            Value::Object(map) if map.is_empty() => out.push_str("{}"),
            Value::Array(items) => {
                out.push_str("[\n");
                for (i, item) in items.iter().enumerate() {
                    out.push_str(&pad(depth + 1));
                    write(item, depth + 1, out, pad);
                    out.push_str(if i + 1 < items.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(depth));
                out.push(']');
            }
            Value::Object(map) => {
                out.push_str("{\n");
                for (i, (key, item)) in map.iter().enumerate() {
                    out.push_str(&pad(depth + 1));
                    out.push_str(&literal(key));
                    out.push_str(": ");
                    write(item, depth + 1, out, pad);
                    out.push_str(if i + 1 < map.len() { ",\n" } else { "\n" });
                }
                out.push_str(&pad(depth));
                out.push('}');
            }
        }
    }
    let mut out = String::new();
    write(value, 0, &mut out, &pad);
    out
}

/// `text` without what rustc refuses or warns about in comments: a bare
/// carriage return (a line break then), the bidirectional controls that
/// can make text read other than it compiles, and other control characters.
pub(crate) fn clean(text: &str) -> String {
    let text = text.replace("\r\n", "\n").replace('\r', "\n");
    text.chars()
        .filter(|c| !is_bidi_control(*c) && (!c.is_control() || matches!(c, '\n' | '\t')))
        .collect()
}

/// The code points rustc's `text_direction_codepoint_in_*` lints deny.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// Tabs as the spaces Markdown reads them as (tab stops of four), so that
/// indentation means the same to every later step.
fn expand_tabs(text: &str) -> String {
    if !text.contains('\t') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len() + 16);
    let mut column = 0;
    for c in text.chars() {
        match c {
            '\t' => {
                let width = 4 - column % 4;
                out.extend(std::iter::repeat_n(' ', width));
                column += width;
            }
            '\n' => {
                out.push(c);
                column = 0;
            }
            _ => {
                out.push(c);
                column += 1;
            }
        }
    }
    out
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Fenced,
    Indented,
}

/// A code block rustdoc would compile as a doc test.
#[derive(Debug)]
struct Testable {
    kind: Kind,
    /// The whole block.
    range: Range<usize>,
    /// A fence's label (empty at its end when it has none).
    label: Range<usize>,
    /// The code, as rustdoc would compile it.
    code: String,
}

/// Every code block of `markdown` whose label is not a known safe
/// language and whose code is not one of `own`.
fn testable_blocks(markdown: &str, own: &[&str]) -> Vec<Testable> {
    // The extensions rustdoc turns on when it looks for doc tests.
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_SMART_PUNCTUATION;
    let mut found = Vec::new();
    let mut open: Option<Testable> = None;
    for (event, range) in Parser::new_ext(markdown, options).into_offset_iter() {
        match event {
            Event::Start(Tag::CodeBlock(kind)) => {
                let testable = match kind {
                    CodeBlockKind::Fenced(label) => {
                        (!SAFE_LANGUAGES.contains(&label.trim())).then(|| Testable {
                            kind: Kind::Fenced,
                            label: fence_label(markdown, range.start),
                            range,
                            code: String::new(),
                        })
                    }
                    CodeBlockKind::Indented => Some(Testable {
                        kind: Kind::Indented,
                        label: range.start..range.start,
                        range,
                        code: String::new(),
                    }),
                };
                open = testable;
            }
            Event::Text(code) => {
                if let Some(block) = &mut open {
                    block.code.push_str(&code);
                }
            }
            Event::End(pulldown_cmark::TagEnd::CodeBlock) => {
                if let Some(block) = open.take()
                    && !own.contains(&block.code.as_str())
                {
                    found.push(block);
                }
            }
            _ => {}
        }
    }
    found
}

/// Where the label of the fence opening at or after `start` is: the rest of
/// its line after the run of backticks or tildes.
fn fence_label(markdown: &str, start: usize) -> Range<usize> {
    let line_end = markdown[start..]
        .find('\n')
        .map_or(markdown.len(), |i| start + i);
    let line = &markdown[start..line_end];
    let fence_start = line.find(['`', '~']).unwrap_or(0);
    let fence_char = line[fence_start..].chars().next().unwrap_or('`');
    let fence_len = line[fence_start..]
        .chars()
        .take_while(|c| *c == fence_char)
        .count();
    start + fence_start + fence_len..line_end
}

/// The indented code block at `range` as a `text` fence, inside whatever
/// holds it (a list item, a quote): the fence lines repeat the prefix of the
/// block's first line.
fn fence_indented(markdown: &str, range: &Range<usize>) -> String {
    let line_start = markdown[..range.start].rfind('\n').map_or(0, |i| i + 1);
    let first_line = &markdown[line_start..];
    let prefix_end = first_line
        .find(|c: char| c != ' ' && c != '>')
        .unwrap_or(first_line.len());
    // The container's prefix: the indentation of the code is not part of it.
    let prefix = first_line[..prefix_end].trim_end_matches(' ');
    let container = if prefix.is_empty() {
        markdown[line_start..line_start + prefix_end.saturating_sub(4)].to_string()
    } else {
        format!("{prefix} ")
    };
    let block_end = if markdown[..range.end].ends_with('\n') {
        range.end
    } else {
        markdown[range.end..]
            .find('\n')
            .map_or(markdown.len(), |i| range.end + i + 1)
    };
    let mut out = String::with_capacity(markdown.len() + 2 * (container.len() + 8));
    out.push_str(&markdown[..line_start]);
    out.push_str(&container);
    out.push_str("```text\n");
    out.push_str(&markdown[line_start..block_end]);
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out.push_str(&container);
    out.push_str("```\n");
    out.push_str(&markdown[block_end..]);
    out
}

/// All of `text` as one `text` fence longer than any run of backticks in it.
fn fenced_whole(text: &str) -> String {
    let longest = text.split(|c| c != '`').map(str::len).max().unwrap_or(0);
    let fence = "`".repeat(longest.max(2) + 1);
    format!("{fence}text\n{text}\n{fence}")
}

/// How many code blocks rustdoc would compile in `markdown`.
#[cfg(test)]
fn doc_tests_in(markdown: &str) -> usize {
    testable_blocks(markdown, &[]).len()
}

/// The code of every block rustdoc would compile in `markdown`: what
/// [`doc_keeping`] is told to keep, for the generator's own doc tests.
pub(crate) fn doc_test_code(markdown: &str) -> Vec<String> {
    testable_blocks(markdown, &[])
        .into_iter()
        .map(|block| block.code)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const RUNS: &str = "compile_error!(\"ran\");";

    #[test]
    fn no_vector_leaves_a_testable_block() {
        let vectors = [
            format!("```\n{RUNS}\n```"),
            format!("```rust,x\n{RUNS}\n```"),
            format!("```{{.x}}\n{RUNS}\n```"),
            format!("~~~ should_panic\n{RUNS}\n~~~"),
            format!("Text\n\n    {RUNS}\n"),
            format!("Text\n\n\t{RUNS}"),
            format!("> ```\n> {RUNS}\n> ```"),
            format!("> Quote\n>\n>     {RUNS}\n>     more"),
            format!("- item\n\n  ```\n  {RUNS}\n  ```"),
            format!("1. item\n\n       {RUNS}"),
            format!("> - a\n>\n>       {RUNS}"),
            format!("````\n```\n{RUNS}\n````"),
            format!("```json\n{{}}\n```\n\n    {RUNS}\n\n```rust\n{RUNS}\n```"),
        ];
        for vector in vectors {
            let safe = doc(&vector);
            assert_eq!(doc_tests_in(&safe), 0, "{vector:?} became {safe:?}");
            assert!(safe.contains(RUNS), "{vector:?} lost its text: {safe:?}");
        }
    }

    #[test]
    fn fences_are_relabelled_and_safe_labels_kept() {
        assert_eq!(doc("```\nx\n```"), "```text\nx\n```");
        assert_eq!(doc("```rust,x\nx\n```"), "```text\nx\n```");
        assert_eq!(doc("```json\n{}\n```"), "```json\n{}\n```");
        assert_eq!(doc("> ```\n> x\n> ```"), "> ```text\n> x\n> ```");
        assert_eq!(
            doc("Intro\n\n    x = 1\n    y\n\nAfter"),
            "Intro\n\n```text\n    x = 1\n    y\n```\n\nAfter"
        );
    }

    #[test]
    fn the_generators_own_doc_tests_stay() {
        let text = format!("```\nown();\n```\n\n```\n{RUNS}\n```");
        assert_eq!(
            doc_keeping(&text, &["own();\n"]),
            format!("```\nown();\n```\n\n```text\n{RUNS}\n```")
        );
    }

    #[test]
    fn characters_rustc_refuses_are_taken_out() {
        assert_eq!(
            clean("a\r\nb\rc\u{202e}d\u{2066}e\u{0}f\tg"),
            "a\nb\ncdef\tg"
        );
        assert_eq!(expand_tabs("a\tb\n\tc"), "a   b\n    c");
    }

    #[test]
    fn json_becomes_macro_input() {
        let value = serde_json::json!({"a": ["x\"##", 1, 3_000_000_000_i64, 1.5], "b": {}});
        assert_eq!(
            json_macro(&value, 0),
            "{\n    \"a\": [\n        \"x\\\"##\",\n        1,\n        3000000000_i64,\n        1.5\n    ],\n    \"b\": {}\n}"
        );
    }

    #[test]
    fn literals_are_escaped_tokens() {
        assert_eq!(literal("a\"##b"), "\"a\\\"##b\"");
        assert!(!literal("a\u{202e}b").contains('\u{202e}'));
    }
}
