//! Notes: what the generator adapted in a spec to make it a client, said
//! where it happened. They are not errors: the crate is generated, and
//! `cargo xtask generate` prints them so that nothing changes silently.

use std::collections::HashMap;
use std::fmt;

use crate::error::Location;

/// One adaptation, or one thing left out, at its place in the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Note {
    /// Where in the spec (the first place, when it happened in several).
    pub location: Location,
    /// What was done and why, code in backticks.
    pub message: String,
}

/// How every note of a degrade begins: a part of the spec made untyped, not
/// enforced or left out. Strict mode refuses a spec with any.
pub(crate) const DEGRADED: &str = "degraded: ";

impl Note {
    /// Whether this note says a part of the spec was degraded (made
    /// untyped, not enforced or left out) rather than adapted to the same
    /// meaning; strict mode refuses such specs.
    pub fn is_degrade(&self) -> bool {
        self.message.starts_with(DEGRADED)
    }
}

impl fmt::Display for Note {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.location, self.message)
    }
}

/// Notes in the order they were first taken, with repeats of one kind
/// counted rather than listed (a 3.1 spec may have hundreds of
/// `type: [T, "null"]`).
#[derive(Debug, Default)]
pub(crate) struct Notes {
    kinds: Vec<(String, String, usize)>,
    /// Index into `kinds` by message, so that taking a note costs the same
    /// however many there are.
    index: HashMap<String, usize>,
}

impl Notes {
    /// Records one occurrence of `message` at the JSON pointer `pointer`.
    pub(crate) fn add(&mut self, pointer: String, message: impl Into<String>) {
        let message = message.into();
        match self.index.get(&message) {
            Some(&at) => self.kinds[at].2 += 1,
            None => {
                self.index.insert(message.clone(), self.kinds.len());
                self.kinds.push((message, pointer, 1));
            }
        }
    }

    /// How many kinds have been taken so far.
    pub(crate) fn kinds(&self) -> usize {
        self.kinds.len()
    }

    /// Records a degrade: a part of the spec made untyped, not enforced or
    /// left out (see [`Note::is_degrade`]).
    pub(crate) fn degrade(&mut self, pointer: String, message: impl Into<String>) {
        self.add(pointer, format!("{DEGRADED}{}", message.into()));
    }

    /// The notes, one per kind; a kind seen more than once says how often.
    pub(crate) fn finish(self) -> Vec<Note> {
        self.kinds
            .into_iter()
            .map(|(message, pointer, count)| Note {
                location: Location::Pointer(pointer),
                message: if count > 1 {
                    format!("{message} ({count} places; the first is here)")
                } else {
                    message
                },
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn repeats_are_counted_at_the_first_place() {
        let mut notes = Notes::default();
        notes.add("/a".into(), "x");
        notes.add("/b".into(), "y");
        notes.add("/c".into(), "x");
        let notes = notes.finish();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[0].to_string(), "#/a: x (2 places; the first is here)");
        assert_eq!(notes[1].to_string(), "#/b: y");
    }
}
