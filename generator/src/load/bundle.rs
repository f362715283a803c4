//! Bundling: a spec split over files becomes one document, so that every
//! later stage (and progenitor) sees a single OpenAPI document whose
//! `$ref`s are all local.
//!
//! A relative `$ref` to another file of the spec's folder (`other.yaml`,
//! `./schemas/x.yaml#/Foo`, `../models/x.yaml`) is resolved against the file
//! that holds it. What its target becomes depends on where the `$ref` sits
//! (see [`Slot`]): where a component may stand (a schema, a parameter, a
//! response, a request body, a header, an example, a link, a callback) the
//! target becomes `components/<kind>/<name>` and the `$ref` points there, so
//! a target referenced from many places is one component and cycles across
//! files are plain references; anywhere else (a path item, an operation, an
//! extension) the target is copied in place. A `#/...` inside a file other
//! than the entry refers to that file and is rewritten the same way.
//!
//! Names come from the target: the last key of its fragment, else the file
//! stem (`models/droplet.yaml` → `droplet`, `common.yaml#/components/schemas/Foo`
//! → `Foo`). A name wanted by two targets, or already a component of the
//! entry document, is qualified by the target's folders and file
//! (`droplets_models_droplet`); names depend only on the set of targets, so
//! the same files give the same document byte for byte. An entry component
//! that is only a `$ref` to another file (`Pet: {$ref: pet.yaml}`) becomes
//! that target itself, under its own name.
//!
//! Nothing outside the folder is read and nothing is fetched: a `$ref` that
//! climbs above the folder, is absolute, or names a URL is refused at its
//! place, as is one whose file or fragment does not exist.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::rc::Rc;

use serde_json::{Map, Value};

use super::slot::{Kind, Slot};
use super::{is_json_path, parse_document};
use crate::error::{Location, SpecError, SpecErrorKind};

/// The bundled document and where its pieces came from.
pub(crate) struct Bundled {
    /// One document, every `$ref` in it local.
    pub(crate) document: Value,
    /// The file and place each piece taken from another file came from.
    pub(crate) sources: Sources,
}

/// Where the pieces of a bundled document came from, so that a problem
/// found later at a JSON pointer of the bundled document is reported in
/// the file the user edits.
#[derive(Debug, Clone, Default)]
pub(crate) struct Sources {
    /// Bundled pointer of a piece → its file (as the caller named the
    /// spec) and pointer there.
    pieces: BTreeMap<String, (PathBuf, String)>,
}

impl Sources {
    /// Whether every piece came from the entry document.
    pub(crate) fn is_empty(&self) -> bool {
        self.pieces.is_empty()
    }

    /// The file and pointer the bundled `pointer` came from, when it lies in
    /// a piece taken from another file.
    pub(crate) fn origin(&self, pointer: &str) -> Option<(PathBuf, String)> {
        let mut prefix = pointer;
        loop {
            if let Some((file, at)) = self.pieces.get(prefix) {
                return Some((file.clone(), format!("{at}{}", &pointer[prefix.len()..])));
            }
            prefix = &prefix[..prefix.rfind('/')?];
        }
    }
}

/// The most the bundler copies in place, in bytes of text (roughly): far
/// above real specs (DigitalOcean's ~2,900 files bundle to under 4 MB), far
/// below what `$ref`s that copy parts holding more copies can ask for.
const COPY_BUDGET: usize = 256 << 20;

/// A place in one file of the spec: the file relative to the folder
/// (`/`-separated) and a JSON pointer into it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Target {
    file: String,
    pointer: String,
}

/// What a `$ref` names.
enum Resolved {
    /// A place in the entry document, by the fragment as written.
    Entry(String),
    /// A place in another file (or in the same non-entry file).
    Target(Target),
}

/// Bundles the document `entry` (the file `entry_name` directly inside
/// `folder`) with every file its `$ref`s reach.
pub(crate) fn bundle(folder: &Path, entry_name: &str, entry: Value) -> Result<Bundled, SpecError> {
    let entry = Rc::new(entry);
    let listed = if folder.as_os_str().is_empty() {
        Path::new(".")
    } else {
        folder
    };
    let real_folder = std::fs::canonicalize(listed)
        .map_err(|e| SpecError::new(folder, Location::File, SpecErrorKind::Io(e)))?;
    let mut bundler = Bundler {
        folder,
        real_folder,
        entry: entry_name.to_string(),
        files: BTreeMap::from([(entry_name.to_string(), Rc::clone(&entry))]),
        found: BTreeSet::new(),
        queue: Vec::new(),
        names: BTreeMap::new(),
        homed: BTreeMap::new(),
        inlining: Vec::new(),
        copied: 0,
        sources: BTreeMap::new(),
    };
    bundler.seed_homes(&entry);
    // First pass: find every component target (and every error).
    let first = bundler.walk(&entry, entry_name, "", "", Slot::Document)?;
    if bundler.found.is_empty() {
        // Nothing to name: what was copied in place is all there is.
        return Ok(Bundled {
            document: first,
            sources: Sources {
                pieces: bundler.sources,
            },
        });
    }
    while let Some((kind, target)) = bundler.queue.pop() {
        let value = bundler.value(&target)?;
        bundler.walk(
            &value,
            &target.file,
            &target.pointer,
            "",
            Slot::Component(kind),
        )?;
    }
    bundler.name_components(&entry);
    // Second pass: the document with every `$ref` pointing at its name.
    bundler.sources.clear();
    let mut document = bundler.walk(&entry, entry_name, "", "", Slot::Document)?;
    for ((kind, target), name) in bundler.names.clone() {
        let out = format!("/components/{}/{name}", kind.key());
        let value = bundler.value(&target)?;
        let component = bundler.walk(
            &value,
            &target.file,
            &target.pointer,
            &out,
            Slot::Component(kind),
        )?;
        bundler
            .sources
            .insert(out, (folder.join(&target.file), target.pointer.clone()));
        insert_component(&mut document, kind, name, component)
            .map_err(|location| SpecError::new(folder.join(entry_name), location, shape()))?;
    }
    Ok(Bundled {
        document,
        sources: Sources {
            pieces: bundler.sources,
        },
    })
}

fn shape() -> SpecErrorKind {
    SpecErrorKind::Shape("`components` and each of its members must be objects".into())
}

/// Puts `component` at `components/<kind>/<name>`; the pointer of the
/// member that is not an object when one is not.
fn insert_component(
    document: &mut Value,
    kind: Kind,
    name: String,
    component: Value,
) -> Result<(), Location> {
    let root = document.as_object_mut().ok_or(Location::File)?;
    let components = root
        .entry("components")
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or_else(|| Location::pointer(["components"]))?;
    let members = components
        .entry(kind.key())
        .or_insert_with(|| Value::Object(Map::new()))
        .as_object_mut()
        .ok_or_else(|| Location::pointer(["components", kind.key()]))?;
    members.insert(name, component);
    Ok(())
}

struct Bundler<'a> {
    /// The spec's folder, as the caller named it: nothing outside it is read.
    folder: &'a Path,
    /// The folder with every link resolved, to refuse a file that is in it
    /// only by a symbolic link that leads out.
    real_folder: PathBuf,
    /// The entry document's file name.
    entry: String,
    /// Every file read, parsed, by path relative to the folder.
    files: BTreeMap<String, Rc<Value>>,
    /// Every target that becomes a component.
    found: BTreeSet<(Kind, Target)>,
    /// Targets found but not yet walked (first pass).
    queue: Vec<(Kind, Target)>,
    /// The name of each target that becomes a new component (second pass).
    names: BTreeMap<(Kind, Target), String>,
    /// Targets that take the place of an entry component that is only a
    /// `$ref` to them, with that component's pointer.
    homed: BTreeMap<(Kind, Target), String>,
    /// Targets being copied in place, to refuse a cycle of copies.
    inlining: Vec<Target>,
    /// How much has been copied in place, against [`COPY_BUDGET`].
    copied: usize,
    /// Bundled pointer → origin, of each piece taken from another file.
    sources: BTreeMap<String, (PathBuf, String)>,
}

impl Bundler<'_> {
    /// `value` (at `pointer` in `file`, to be put at `out` in the bundled
    /// document) with every `$ref` resolved.
    fn walk(
        &mut self,
        value: &Value,
        file: &str,
        pointer: &str,
        out: &str,
        slot: Slot,
    ) -> Result<Value, SpecError> {
        match value {
            Value::Object(map) if slot == Slot::Data => Ok(map
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|reference| self.include(map, reference, file, out))
                .unwrap_or_else(|| value.clone())),
            Value::Object(map) => {
                if let Some(Value::String(reference)) = map.get("$ref") {
                    return self.reference(map, reference, file, pointer, out, slot);
                }
                let mut result = Map::new();
                for (key, child) in map {
                    let child = self.walk(
                        child,
                        file,
                        &push(pointer, key),
                        &push(out, key),
                        slot.child(key),
                    )?;
                    result.insert(key.clone(), child);
                }
                Ok(Value::Object(result))
            }
            Value::Array(items) if slot != Slot::Data => {
                let mut result = Vec::with_capacity(items.len());
                for (index, item) in items.iter().enumerate() {
                    let key = index.to_string();
                    result.push(self.walk(
                        item,
                        file,
                        &push(pointer, &key),
                        &push(out, &key),
                        slot.item(),
                    )?);
                }
                Ok(Value::Array(result))
            }
            _ => Ok(value.clone()),
        }
    }

    /// The object `map` holding `$ref: reference`, bundled.
    fn reference(
        &mut self,
        map: &Map<String, Value>,
        reference: &str,
        file: &str,
        pointer: &str,
        out: &str,
        slot: Slot,
    ) -> Result<Value, SpecError> {
        let folder = self.folder;
        let here = |kind| {
            SpecError::new(
                folder.join(file),
                Location::Pointer(push(pointer, "$ref")),
                kind,
            )
        };
        if file == self.entry && reference.starts_with('#') {
            return Ok(Value::Object(map.clone()));
        }
        let target = match self.resolve(reference, file).map_err(here)? {
            Resolved::Entry(fragment) => return Ok(with_ref(map, format!("#{fragment}"))),
            Resolved::Target(target) => target,
        };
        self.value_or(&target, reference).map_err(|e| e.at(&here))?;
        match slot {
            Slot::Component(kind) => {
                let target = match self.follow(target, reference).map_err(|e| e.at(&here))? {
                    Resolved::Entry(fragment) => return Ok(with_ref(map, format!("#{fragment}"))),
                    Resolved::Target(target) => target,
                };
                let key = (kind, target);
                let home = self.homed.get(&key).cloned();
                if home.as_deref() == Some(out) {
                    return self.inline(map, key.1, out, slot, reference, &here);
                }
                if self.found.insert(key.clone()) {
                    self.queue.push(key.clone());
                }
                let pointer = home.unwrap_or_else(|| {
                    let name = self.names.get(&key).map(String::as_str).unwrap_or_default();
                    format!("/components/{}/{name}", kind.key())
                });
                Ok(with_ref(map, format!("#{pointer}")))
            }
            _ => self.inline(map, target, out, slot, reference, &here),
        }
    }

    /// Example data that is a `$ref` to another file of the folder, copied
    /// in (as bundlers such as Redocly's do, and as vendors who split their
    /// specs expect); `None` keeps it as the data it also is: a `#/...`, a
    /// URL, a file that is not there.
    fn include(
        &mut self,
        map: &Map<String, Value>,
        reference: &str,
        file: &str,
        out: &str,
    ) -> Option<Value> {
        let Ok(Resolved::Target(target)) = self.resolve(reference, file) else {
            return None;
        };
        if reference.starts_with('#') || self.inlining.contains(&target) {
            return None;
        }
        let value = self.value_or(&target, reference).ok()?;
        self.copy_in(map, &value, target, out, Slot::Data).ok()
    }

    /// The target's value copied in place of the `$ref` object `map`
    /// (whose other members, such as a `description`, are kept over it).
    fn inline(
        &mut self,
        map: &Map<String, Value>,
        target: Target,
        out: &str,
        slot: Slot,
        reference: &str,
        here: &dyn Fn(SpecErrorKind) -> SpecError,
    ) -> Result<Value, SpecError> {
        if self.inlining.contains(&target) {
            return Err(here(SpecErrorKind::RefCycle(reference.to_string())));
        }
        let value = self.value(&target)?;
        self.copy_in(map, &value, target, out, slot)
    }

    /// `value`, the target of the `$ref` object `map`, walked and recorded
    /// as a piece from its file, with the other members of `map` (such as a
    /// `description`) kept over it.
    fn copy_in(
        &mut self,
        map: &Map<String, Value>,
        value: &Value,
        target: Target,
        out: &str,
        slot: Slot,
    ) -> Result<Value, SpecError> {
        self.copied += size(value);
        if self.copied > COPY_BUDGET {
            return Err(SpecError::new(
                self.folder.join(&target.file),
                Location::Pointer(target.pointer),
                SpecErrorKind::TooManyCopies(COPY_BUDGET >> 20),
            ));
        }
        self.inlining.push(target.clone());
        let walked = self.walk(value, &target.file, &target.pointer, out, slot);
        self.inlining.pop();
        let mut value = walked?;
        self.sources.insert(
            out.to_string(),
            (self.folder.join(&target.file), target.pointer),
        );
        if let Value::Object(object) = &mut value {
            for (key, sibling) in map.iter().filter(|(key, _)| *key != "$ref") {
                object.insert(key.clone(), sibling.clone());
            }
        }
        Ok(value)
    }

    /// The end of a chain of targets that are only a `$ref` (`a.yaml` holding
    /// `$ref: b.yaml`), so that an alias does not become a component of its own.
    fn follow(&mut self, mut target: Target, reference: &str) -> Result<Resolved, RefFailure> {
        let mut seen = BTreeSet::new();
        loop {
            let value = self.value_or(&target, reference)?;
            let next = match value.as_object() {
                Some(map) if map.len() == 1 => match map.get("$ref") {
                    Some(Value::String(next)) => next.clone(),
                    _ => return Ok(Resolved::Target(target)),
                },
                _ => return Ok(Resolved::Target(target)),
            };
            if !seen.insert(target.clone()) {
                return Err(RefFailure::Here(SpecErrorKind::RefCycle(
                    reference.to_string(),
                )));
            }
            target = match self.resolve(&next, &target.file) {
                Ok(Resolved::Target(next)) => next,
                Ok(entry) => return Ok(entry),
                Err(kind) => {
                    // Located at the link of the chain that is wrong.
                    let at = Location::Pointer(push(&target.pointer, "$ref"));
                    return Err(RefFailure::Elsewhere(SpecError::new(
                        self.folder.join(&target.file),
                        at,
                        kind,
                    )));
                }
            };
        }
    }

    /// What `reference`, written in `file`, names.
    fn resolve(&self, reference: &str, file: &str) -> Result<Resolved, SpecErrorKind> {
        let (path, fragment) = reference.split_once('#').unwrap_or((reference, ""));
        let is_url = path.starts_with("//")
            || path.split_once(':').is_some_and(|(scheme, _)| {
                scheme
                    .chars()
                    .next()
                    .is_some_and(|c| c.is_ascii_alphabetic())
                    && scheme
                        .chars()
                        .all(|c| c.is_ascii_alphanumeric() || "+.-".contains(c))
            });
        if is_url {
            return Err(SpecErrorKind::RemoteRef(reference.to_string()));
        }
        let leaves = || SpecErrorKind::RefLeavesFolder(reference.to_string());
        let target_file = if path.is_empty() {
            file.to_string()
        } else {
            if path.starts_with('/') || path.starts_with('\\') {
                return Err(leaves());
            }
            let mut parts: Vec<String> = file.split('/').map(str::to_string).collect();
            parts.pop();
            for part in decode(path).split('/') {
                match part {
                    "" | "." => {}
                    ".." => {
                        parts.pop().ok_or_else(leaves)?;
                    }
                    part => parts.push(part.to_string()),
                }
            }
            parts.join("/")
        };
        if target_file == self.entry {
            return Ok(Resolved::Entry(fragment.to_string()));
        }
        Ok(Resolved::Target(Target {
            file: target_file,
            pointer: decode(fragment),
        }))
    }

    /// The value at `target`, which the first pass found to exist.
    fn value(&mut self, target: &Target) -> Result<Value, SpecError> {
        self.value_or(target, "").map_err(|failure| match failure {
            RefFailure::Elsewhere(error) => error,
            RefFailure::Here(kind) => SpecError::new(
                self.folder.join(&target.file),
                Location::Pointer(target.pointer.clone()),
                kind,
            ),
        })
    }

    /// The value at `target`, reading its file on first use.
    fn value_or(&mut self, target: &Target, reference: &str) -> Result<Value, RefFailure> {
        let document = match self.files.get(&target.file) {
            Some(document) => Rc::clone(document),
            None => {
                let path = self.folder.join(&target.file);
                let unreadable = |source| {
                    RefFailure::Here(SpecErrorKind::UnreadableRef {
                        reference: reference.to_string(),
                        source,
                    })
                };
                let real = std::fs::canonicalize(&path).map_err(unreadable)?;
                if !real.starts_with(&self.real_folder) {
                    return Err(RefFailure::Here(SpecErrorKind::RefLeavesFolder(
                        reference.to_string(),
                    )));
                }
                let text = std::fs::read_to_string(&path).map_err(unreadable)?;
                let document =
                    parse_document(&text, is_json_path(&path)).map_err(|(location, message)| {
                        RefFailure::Elsewhere(SpecError::new(
                            &path,
                            location,
                            super::syntax_error(message),
                        ))
                    })?;
                let document = Rc::new(document);
                self.files.insert(target.file.clone(), Rc::clone(&document));
                document
            }
        };
        let found = if target.pointer.is_empty() {
            Some(&*document)
        } else if target.pointer.starts_with('/') {
            document.pointer(&target.pointer)
        } else {
            None
        };
        found.cloned().ok_or_else(|| {
            RefFailure::Here(SpecErrorKind::MissingRefTarget {
                reference: reference.to_string(),
                file: target.file.clone(),
            })
        })
    }

    /// Entry components that are only a `$ref` to another file take that
    /// target's place (the first in key order, when two name one target).
    fn seed_homes(&mut self, entry: &Value) {
        let Some(components) = entry.get("components").and_then(Value::as_object) else {
            return;
        };
        for (kind_key, members) in components {
            let Slot::MapOf(kind) = Slot::Components.child(kind_key) else {
                continue;
            };
            for (name, member) in members.as_object().into_iter().flatten() {
                let Some(Value::String(reference)) = member.get("$ref") else {
                    continue;
                };
                let Ok(Resolved::Target(target)) = self.resolve(reference, &self.entry) else {
                    continue;
                };
                let Ok(Resolved::Target(target)) = self.follow(target, reference) else {
                    continue;
                };
                let home = format!("/components/{}/{}", kind.key(), escape(name));
                self.homed.entry((kind, target)).or_insert(home);
            }
        }
    }

    /// A readable, unique name for every component target.
    fn name_components(&mut self, entry: &Value) {
        let mut by_kind: BTreeMap<Kind, Vec<&Target>> = BTreeMap::new();
        for (kind, target) in self
            .found
            .iter()
            .filter(|key| !self.homed.contains_key(key))
        {
            by_kind.entry(*kind).or_default().push(target);
        }
        let mut names = BTreeMap::new();
        for (kind, targets) in by_kind {
            let mut taken: BTreeSet<String> = entry
                .pointer(&format!("/components/{}", kind.key()))
                .and_then(Value::as_object)
                .map(|members| members.keys().cloned().collect())
                .unwrap_or_default();
            let mut wanted: BTreeMap<String, usize> = BTreeMap::new();
            for target in &targets {
                *wanted.entry(wanted_name(target)).or_default() += 1;
            }
            let mut rest = Vec::new();
            for target in targets {
                let name = wanted_name(target);
                if wanted.get(&name) == Some(&1) && taken.insert(name.clone()) {
                    names.insert((kind, target.clone()), name);
                } else {
                    rest.push(target);
                }
            }
            for target in rest {
                let parts = qualifiers(target);
                let free = |name: &String| !taken.contains(name) && !wanted.contains_key(name);
                let name = (2..=parts.len())
                    .map(|n| parts[parts.len() - n..].join("_"))
                    .find(free)
                    .unwrap_or_else(|| {
                        let base = wanted_name(target);
                        (2..)
                            .map(|n| format!("{base}_{n}"))
                            .find(free)
                            .unwrap_or(base)
                    });
                taken.insert(name.clone());
                names.insert((kind, target.clone()), name);
            }
        }
        self.names = names;
    }
}

/// Why a target could not be read: at the `$ref` being followed, or a
/// problem located elsewhere (a file that does not parse).
enum RefFailure {
    Here(SpecErrorKind),
    Elsewhere(SpecError),
}

impl RefFailure {
    fn at(self, here: &dyn Fn(SpecErrorKind) -> SpecError) -> SpecError {
        match self {
            RefFailure::Here(kind) => here(kind),
            RefFailure::Elsewhere(error) => error,
        }
    }
}

/// Roughly how many bytes `value` takes as text.
fn size(value: &Value) -> usize {
    const SCALAR: usize = 8;
    match value {
        Value::String(text) => SCALAR + text.len(),
        Value::Array(items) => SCALAR + items.iter().map(size).sum::<usize>(),
        Value::Object(map) => {
            SCALAR
                + map
                    .iter()
                    .map(|(key, member)| key.len() + size(member))
                    .sum::<usize>()
        }
        _ => SCALAR,
    }
}

/// `map` with its `$ref` replaced.
fn with_ref(map: &Map<String, Value>, reference: String) -> Value {
    let mut map = map.clone();
    map.insert("$ref".into(), Value::String(reference));
    Value::Object(map)
}

/// The pointer `pointer` extended by `key`.
fn push(pointer: &str, key: &str) -> String {
    format!("{pointer}/{}", escape(key))
}

fn escape(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}

/// A URI fragment or path, percent-decoded.
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(text)
        .decode_utf8_lossy()
        .into_owned()
}

/// The keys of a JSON pointer, unescaped.
fn keys(pointer: &str) -> Vec<String> {
    pointer
        .split('/')
        .skip(1)
        .map(|key| key.replace("~1", "/").replace("~0", "~"))
        .collect()
}

/// The name a target asks for: its fragment's last key (with the keys
/// before it up to one that is not an index: `parameters/0` →
/// `parameters_0`), else its file stem.
fn wanted_name(target: &Target) -> String {
    let keys = keys(&target.pointer);
    let named = keys
        .iter()
        .rposition(|key| !key.chars().all(|c| c.is_ascii_digit()))
        .unwrap_or_default();
    if keys.is_empty() {
        let name = target.file.rsplit('/').next().unwrap_or_default();
        return sanitize(name.rsplit_once('.').map_or(name, |(stem, _)| stem));
    }
    sanitize(&keys[named..].join("_"))
}

/// The parts that tell a target apart, outermost first: its folders, its
/// file stem and its fragment's keys (less a leading `components/<kind>`).
fn qualifiers(target: &Target) -> Vec<String> {
    let file = target
        .file
        .rsplit_once('.')
        .map_or(target.file.as_str(), |(stem, _)| stem);
    let mut fragment = keys(&target.pointer);
    if fragment.first().is_some_and(|key| key == "components") {
        fragment.drain(..fragment.len().min(2));
    }
    file.split('/')
        .map(str::to_string)
        .chain(fragment)
        .map(|part| sanitize(&part))
        .collect()
}

/// `name` with every character a component name may not hold made `_`.
fn sanitize(name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || "._-".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.is_empty() { "_".into() } else { clean }
}
