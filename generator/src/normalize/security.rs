//! Security schemes the client cannot send (HTTP schemes other than basic
//! and bearer, mutual TLS) are taken out, with the requirements that name
//! them. API keys stay wherever they go (header, query or cookie), and so
//! do OAuth 2 schemes: their tokens come from a
//! `client_runtime::TokenProvider`. OpenID Connect schemes stay as bearer
//! tokens from any `TokenProvider`, with a note: their discovery document
//! is a URL, and nothing is fetched while generating.
//!
//! This fails closed where it can: an operation that also accepts a
//! supported scheme now requires that one. An operation that accepts only
//! unsupported schemes is generated without credentials, and the note (in
//! the crate docs too) says how to send them: on your own
//! `reqwest::Client`, given to `ClientBuilder::http_client`.

use serde_json::Value;

use crate::error::json_pointer;
use crate::note::Notes;
use crate::spec::{METHODS, is_header_name};

/// Why a scheme cannot be sent, or `None` when the client sends it.
fn unsupported(scheme: &Value) -> Option<String> {
    let kind = scheme.get("type").and_then(Value::as_str).unwrap_or("");
    match kind {
        "http" => {
            let name = scheme.get("scheme").and_then(Value::as_str).unwrap_or("");
            let sent = name.eq_ignore_ascii_case("basic") || name.eq_ignore_ascii_case("bearer");
            (!sent).then(|| format!("HTTP `{name}`"))
        }
        "apiKey" => {
            let place = scheme.get("in").and_then(Value::as_str).unwrap_or("");
            let name = scheme.get("name").and_then(Value::as_str).unwrap_or("");
            // A header's or a cookie's name is a token; a query's may be anything.
            (place != "query" && !is_header_name(name))
                .then(|| format!("an API key in a {place} whose name no HTTP {place} can have"))
        }
        "oauth2" | "openIdConnect" => None,
        // A `$ref` or something unknown stays for validate to judge.
        "" => None,
        other => Some(format!("`{other}`")),
    }
}

/// Says what an OpenID Connect scheme becomes: its discovery document is
/// not fetched at generate time, so the client takes its tokens from any
/// `TokenProvider` the caller gives it.
fn note_openid_connect(schemes: &serde_json::Map<String, Value>, notes: &mut Notes) {
    let oidc = schemes
        .iter()
        .filter(|(_, s)| s.get("type").and_then(Value::as_str) == Some("openIdConnect"));
    for (key, _) in oidc {
        notes.add(
            json_pointer(["components", "securitySchemes", key]),
            format!(
                "security scheme `{key}` (OpenID Connect) is sent as `Authorization: Bearer <token>` with tokens from any `client_runtime::TokenProvider` (`auth::…::provider`, or a fixed token with `new`): its discovery document is not fetched at generate time, so the client knows no token endpoint"
            ),
        );
    }
}

/// Removes unsupported schemes and every requirement alternative naming one.
pub(super) fn drop_unsupported(document: &mut Value, notes: &mut Notes) {
    let mut dropped = Vec::new();
    if let Some(Value::Object(schemes)) = document.pointer_mut("/components/securitySchemes") {
        note_openid_connect(schemes, notes);
        schemes.retain(|key, scheme| match unsupported(scheme) {
            Some(why) => {
                dropped.push((key.clone(), why));
                false
            }
            None => true,
        });
    }
    if dropped.is_empty() {
        return;
    }
    for (key, why) in &dropped {
        notes.add(
            json_pointer(["components", "securitySchemes", key]),
            format!(
                "security scheme `{key}` ({why}) is not supported: operations that also accept a supported scheme require that one; operations that accept only `{key}` are sent without credentials (put them on your own `reqwest::Client`, given to `ClientBuilder::http_client`)"
            ),
        );
    }
    let names: Vec<&str> = dropped.iter().map(|(k, _)| k.as_str()).collect();
    let keep = |requirement: &Value| {
        requirement
            .as_object()
            .is_none_or(|r| !r.keys().any(|k| names.contains(&k.as_str())))
    };
    if let Some(Value::Array(requirements)) = document.get_mut("security") {
        requirements.retain(keep);
    }
    let paths = document.get_mut("paths").and_then(Value::as_object_mut);
    for item in paths.into_iter().flat_map(|p| p.values_mut()) {
        for method in METHODS {
            if let Some(Value::Array(requirements)) =
                item.get_mut(method).and_then(|o| o.get_mut("security"))
            {
                requirements.retain(keep);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn unsupported_schemes_and_their_alternatives_go() {
        let mut document = json!({
            "components": {"securitySchemes": {
                "oauth": {"type": "oauth2", "flows": {}},
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://a.example/.well-known"},
                "query": {"type": "apiKey", "in": "query", "name": "key"},
                "digest": {"type": "http", "scheme": "digest"},
                "bearer": {"type": "http", "scheme": "bearer"}
            }},
            "security": [{"digest": []}],
            "paths": {"/a": {"get": {"security": [{"digest": []}, {"oauth": ["a"]}, {"query": [], "bearer": []}, {"oidc": []}]}}}
        });
        let mut notes = Notes::default();
        drop_unsupported(&mut document, &mut notes);
        assert_eq!(
            document["components"]["securitySchemes"],
            json!({
                "oauth": {"type": "oauth2", "flows": {}},
                "oidc": {"type": "openIdConnect", "openIdConnectUrl": "https://a.example/.well-known"},
                "query": {"type": "apiKey", "in": "query", "name": "key"},
                "bearer": {"type": "http", "scheme": "bearer"}
            })
        );
        assert_eq!(document["security"], json!([]));
        assert_eq!(
            document["paths"]["/a"]["get"]["security"],
            json!([{"oauth": ["a"]}, {"query": [], "bearer": []}, {"oidc": []}])
        );
        let notes = notes.finish();
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(notes.iter().any(|n| n.message.contains("OpenID Connect")));
    }
}
