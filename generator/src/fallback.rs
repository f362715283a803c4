//! The last resort: when progenitor still fails on a spec that normalize
//! has made takeable, the part it fails on is given up instead of the
//! whole spec. A component schema typify cannot take is made untyped; an
//! operation progenitor cannot generate is left out of the crate. Each is a
//! degrade note, so the crate docs list what is missing and strict mode
//! refuses it.
//!
//! Bounded: emit finds the failing schemas and operations by halving
//! (`emit::progenitor`), and the stages run at most three times: as given,
//! with the failing schemas untyped, with the failing operations left out.

use std::path::Path;

use serde_json::{Map, Value};

use crate::emit::{Emitted, Failing, try_emit};
use crate::error::{Error, json_pointer};
use crate::model::{Api, model};
use crate::normalize::Normalized;
use crate::note::Notes;
use crate::validate::validate;

/// Rounds of the stages: as given, schemas untyped, operations left out.
const ROUNDS: usize = 3;

/// Validates, models and emits `normalized`, giving up what progenitor
/// cannot take rather than the spec.
pub(crate) fn emit_giving_up_parts(
    mut normalized: Normalized,
    spec_file: &Path,
    version: &str,
) -> Result<(Api, Emitted), Error> {
    let mut round = 1;
    loop {
        let api = model(validate(normalized.clone())?);
        let refusal = match try_emit(&api, spec_file, version) {
            Ok(emitted) => return Ok((api, emitted)),
            Err(refusal) => refusal,
        };
        let nothing_to_give_up = refusal.schemas.is_empty() && refusal.operations.is_empty();
        // With every operation given up, nothing is generatable.
        let everything = refusal.operations.len() == api.operations.len();
        if nothing_to_give_up || everything || round == ROUNDS {
            return Err(*refusal.error);
        }
        let mut notes = Notes::default();
        untype(&mut normalized.document, &refusal.schemas, &mut notes);
        leave_out(
            &mut normalized.document,
            &api,
            &refusal.operations,
            &mut notes,
        );
        normalized.notes.extend(notes.finish());
        round += 1;
    }
}

/// Makes the component schemas `names` untyped, keeping their description.
fn untype(document: &mut Value, names: &[String], notes: &mut Notes) {
    let Some(Value::Object(schemas)) = document.pointer_mut("/components/schemas") else {
        return;
    };
    for name in names {
        let Some(schema) = schemas.get_mut(name) else {
            continue;
        };
        let kept: Map<String, Value> = schema
            .as_object()
            .into_iter()
            .flatten()
            .filter(|(key, value)| {
                matches!(key.as_str(), "description" | "title") && value.is_string()
            })
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        *schema = Value::Object(kept);
        notes.degrade(
            json_pointer(["components", "schemas", name.as_str()]),
            "typify cannot take this schema: it is untyped (`serde_json::Value`)",
        );
    }
}

/// Leaves the `failing` operations out of the document.
fn leave_out(document: &mut Value, api: &Api, failing: &[Failing], notes: &mut Notes) {
    for failure in failing {
        let Some(operation) = api.operations.get(failure.operation) else {
            continue;
        };
        let method = operation.http_method.to_lowercase();
        let Some(Value::Object(item)) = document
            .get_mut("paths")
            .and_then(|paths| paths.get_mut(&operation.path))
        else {
            continue;
        };
        if item.remove(&method).is_none() {
            continue;
        }
        notes.degrade(
            json_pointer(["paths", operation.path.as_str(), method.as_str()]),
            format!(
                "operation `{}` (`{} {}`) is missing from the crate: progenitor cannot generate it (`{}`)",
                operation.id.replace('`', "'"),
                operation.http_method.to_uppercase(),
                operation.path.replace('`', "'"),
                // progenitor's words, kept a code span in the crate docs.
                failure
                    .message
                    .lines()
                    .next()
                    .unwrap_or_default()
                    .replace('`', "'"),
            ),
        );
    }
}
