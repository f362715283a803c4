//! `pattern`s written for another regex engine, translated to the
//! ECMAScript syntax of `regress`, the engine the generated code compiles
//! them with (typify refuses a spec whose pattern `regress` rejects).
//!
//! Vendors copy patterns from Java, .NET, PCRE or Python. Where a construct
//! has an ECMAScript equivalent it is rewritten:
//!
//! - inline flags `(?i)`, `(?s)`, `(?i:…)` (regress takes flags only when the
//!   whole regex is built, and typify builds it without): case-insensitive
//!   letters become classes (`a` → `[aA]`), `.` under `s` becomes `[\s\S]`;
//! - `(?P<name>…)` / `(?P=name)` (Python) → `(?<name>…)` / `\k<name>`;
//! - `\A`, `\z`, `\Z` → `^`, `$`, `$`;
//! - POSIX classes (`[[:alpha:]]`) → their ASCII ranges.
//!
//! Possessive quantifiers (`a++`) and atomic groups (`(?>…)`) become their
//! backtracking forms, which match every string the original matches (a
//! client check that is at most more lenient than the server's). A pattern
//! still rejected after that is not enforced; the caller notes either.

/// What became of a pattern.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Pattern {
    /// `regress` compiles it as written.
    Valid,
    /// `regress` compiles this translation.
    Translated(String),
    /// No translation compiles: the pattern cannot be enforced.
    Untranslatable,
}

/// Checks `pattern` with `regress`, translating it if it must be.
pub(super) fn check(pattern: &str) -> Pattern {
    // A POSIX class compiles in ECMAScript too, as a class of its letters.
    if compiles(pattern) && !pattern.contains("[:") {
        return Pattern::Valid;
    }
    match translate(pattern) {
        Some(translated) if compiles(&translated) => Pattern::Translated(translated),
        _ => Pattern::Untranslatable,
    }
}

fn compiles(pattern: &str) -> bool {
    regress::Regex::new(pattern).is_ok()
}

/// Flags in force in one group.
#[derive(Debug, Clone, Copy, Default)]
struct Flags {
    insensitive: bool,
    dot_all: bool,
}

/// The ECMAScript form of `pattern`, or `None` for a construct without one.
fn translate(pattern: &str) -> Option<String> {
    let chars: Vec<char> = pattern.chars().collect();
    let mut out = String::with_capacity(pattern.len() * 2);
    // Flags of each open group; the last is the innermost.
    let mut stack = vec![Flags::default()];
    let mut at = 0;
    while at < chars.len() {
        let flags = *stack.last()?;
        let c = chars[at];
        match c {
            '\\' => {
                let next = *chars.get(at + 1)?;
                match next {
                    'A' => out.push('^'),
                    'z' | 'Z' => out.push('$'),
                    'h' => out.push_str("[ \\t]"),
                    _ => {
                        out.push('\\');
                        out.push(next);
                    }
                }
                at += 2;
            }
            '[' => at = class(&chars, at, flags, &mut out)?,
            '(' => {
                let (consumed, opened) = group(&chars, at, flags, &mut out)?;
                at += consumed;
                match opened {
                    Opened::Group(inside) => stack.push(inside),
                    // A bare flag group changes the flags of the enclosing group.
                    Opened::Flags(set) => *stack.last_mut()? = set,
                    Opened::Nothing => {}
                }
            }
            ')' => {
                if stack.len() > 1 {
                    stack.pop();
                }
                out.push(')');
                at += 1;
            }
            '*' | '+' | '?' | '}' => {
                out.push(c);
                at += 1;
                // A possessive quantifier: its backtracking form.
                if chars.get(at) == Some(&'+') {
                    at += 1;
                }
            }
            '.' if flags.dot_all => {
                out.push_str("[\\s\\S]");
                at += 1;
            }
            c if flags.insensitive && c.is_ascii_alphabetic() => {
                out.push('[');
                out.push(c.to_ascii_lowercase());
                out.push(c.to_ascii_uppercase());
                out.push(']');
                at += 1;
            }
            c => {
                out.push(c);
                at += 1;
            }
        }
    }
    Some(out)
}

/// The flags a `(?flags)` group sets on `base`; `None` for flags without
/// an equivalent (`m`, `x`, turning flags off).
fn inline_flags(group: &[char], base: Flags) -> Option<Flags> {
    let inner = group.get(2..group.len().checked_sub(1)?)?;
    let mut flags = base;
    for c in inner {
        match c {
            'i' => flags.insensitive = true,
            's' => flags.dot_all = true,
            // Unicode-awareness does not change which ASCII text matches.
            'u' => {}
            _ => return None,
        }
    }
    Some(flags)
}

/// What a `(` starts.
enum Opened {
    /// A group, with the flags inside it.
    Group(Flags),
    /// A bare `(?flags)`: these flags from here to the end of the enclosing group.
    Flags(Flags),
    /// Something that opens no group (a back reference).
    Nothing,
}

/// Writes the translation of what starts at the `(` at `at`; gives the
/// characters read and what they opened.
fn group(chars: &[char], at: usize, flags: Flags, out: &mut String) -> Option<(usize, Opened)> {
    let rest: String = chars[at..chars.len().min(at + 4)].iter().collect();
    if rest.starts_with("(?P<") {
        out.push_str("(?<");
        return Some((4, Opened::Group(flags)));
    }
    if rest.starts_with("(?P=") {
        let end = chars[at..].iter().position(|c| *c == ')')? + at;
        let name: String = chars[at + 4..end].iter().collect();
        out.push_str(&format!("\\k<{name}>"));
        return Some((end + 1 - at, Opened::Nothing));
    }
    if rest.starts_with("(?<") && !rest.starts_with("(?<=") && !rest.starts_with("(?<!") {
        // An ECMAScript named group: its name is copied as written.
        let end = chars[at..].iter().position(|c| *c == '>')? + at;
        out.extend(&chars[at..=end]);
        return Some((end + 1 - at, Opened::Group(flags)));
    }
    if rest.starts_with("(?>") {
        out.push_str("(?:");
        return Some((3, Opened::Group(flags)));
    }
    let is_flag_group = rest.starts_with("(?")
        && chars
            .get(at + 2)
            .is_some_and(|c| c.is_ascii_alphabetic() && !matches!(c, 'P'));
    if !is_flag_group {
        out.push('(');
        return Some((1, Opened::Group(flags)));
    }
    let end = chars[at..].iter().position(|c| *c == ')' || *c == ':')? + at;
    let mut spec: Vec<char> = vec!['(', '?'];
    spec.extend(&chars[at + 2..end]);
    spec.push(')');
    let scoped = inline_flags(&spec, flags)?;
    if chars[end] == ':' {
        out.push_str("(?:");
        Some((end + 1 - at, Opened::Group(scoped)))
    } else {
        Some((end + 1 - at, Opened::Flags(scoped)))
    }
}

/// Writes the character class at `at`; gives the index after it.
fn class(chars: &[char], at: usize, flags: Flags, out: &mut String) -> Option<usize> {
    const POSIX: [(&str, &str); 8] = [
        ("[:alpha:]", "a-zA-Z"),
        ("[:digit:]", "0-9"),
        ("[:alnum:]", "a-zA-Z0-9"),
        ("[:upper:]", "A-Z"),
        ("[:lower:]", "a-z"),
        ("[:space:]", "\\s"),
        ("[:xdigit:]", "0-9a-fA-F"),
        ("[:punct:]", "!-\\/:-@\\[-`{-~"),
    ];
    out.push('[');
    let mut i = at + 1;
    if chars.get(i) == Some(&'^') {
        out.push('^');
        i += 1;
    }
    let mut first = true;
    while i < chars.len() {
        let c = chars[i];
        if c == ']' && !first {
            out.push(']');
            return Some(i + 1);
        }
        first = false;
        if c == '\\' {
            out.push('\\');
            out.push(*chars.get(i + 1)?);
            i += 2;
            continue;
        }
        if c == '[' {
            let rest: String = chars[i..chars.len().min(i + 10)].iter().collect();
            if let Some((posix, ranges)) = POSIX.iter().find(|(p, _)| rest.starts_with(p)) {
                out.push_str(ranges);
                i += posix.chars().count();
                continue;
            }
            out.push_str("\\[");
            i += 1;
            continue;
        }
        // A range `x-y`: under `i`, its other case too.
        if chars.get(i + 1) == Some(&'-')
            && let Some(&end) = chars.get(i + 2)
            && end != ']'
        {
            out.push(c);
            out.push('-');
            out.push(end);
            if flags.insensitive && c.is_ascii_alphabetic() && end.is_ascii_alphabetic() {
                let swap = |x: char| {
                    if x.is_ascii_lowercase() {
                        x.to_ascii_uppercase()
                    } else {
                        x.to_ascii_lowercase()
                    }
                };
                out.push(swap(c));
                out.push('-');
                out.push(swap(end));
            }
            i += 3;
            continue;
        }
        out.push(c);
        if flags.insensitive && c.is_ascii_alphabetic() {
            out.push(if c.is_ascii_lowercase() {
                c.to_ascii_uppercase()
            } else {
                c.to_ascii_lowercase()
            });
        }
        i += 1;
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(pattern: &str, text: &str) -> bool {
        regress::Regex::new(pattern).is_ok_and(|re| re.find(text).is_some())
    }

    #[test]
    fn valid_patterns_are_kept() {
        assert_eq!(check("^[a-z]+$"), Pattern::Valid);
    }

    #[test]
    fn inline_case_insensitivity_is_translated_where_it_applies() {
        // Adyen's file names: the flag applies to the extension only.
        let Pattern::Translated(p) = check(r"([^\s]+(\.(?i)(jpeg|tiff|pdf))$)") else {
            panic!("not translated");
        };
        assert!(matches(&p, "scan.PDF"));
        assert!(matches(&p, "scan.pdf"));
        assert!(!matches(&p, "scan.doc"));
        let Pattern::Translated(p) = check("^(?i)[a-c]x$") else {
            panic!("not translated");
        };
        assert!(matches(&p, "BX") && matches(&p, "ax") && !matches(&p, "dx"));
        // regress takes scoped modifiers (ECMAScript 2025) as written; the
        // translation means the same.
        assert_eq!(check("^(?i:ab)c$"), Pattern::Valid);
        let p = translate("^(?i:ab)c$").expect("translates");
        assert!(matches(&p, "ABc") && !matches(&p, "abC"));
    }

    #[test]
    fn other_dialects_are_translated() {
        let Pattern::Translated(p) = check(r"\A(?P<y>\d{4})-(?P=y)\z") else {
            panic!("not translated");
        };
        assert!(matches(&p, "2024-2024") && !matches(&p, "2024-2025"));
        let Pattern::Translated(p) = check("^a++b$") else {
            panic!("not translated");
        };
        assert!(matches(&p, "aab"));
        let Pattern::Translated(p) = check("^[[:alpha:]]+$") else {
            panic!("not translated");
        };
        assert!(matches(&p, "Abc") && !matches(&p, "a1"));
        let Pattern::Translated(p) = check("^(?s)a.b$") else {
            panic!("not translated");
        };
        assert!(matches(&p, "a\nb"));
    }

    #[test]
    fn patterns_without_an_equivalent_are_untranslatable() {
        assert_eq!(check("(?m)^a$"), Pattern::Untranslatable);
        assert_eq!(check("(unclosed"), Pattern::Untranslatable);
    }
}
