//! The spec's servers, each a variant of `servers::Server`.

use super::names;
use crate::error::{Location, json_pointer};
use crate::note::Note;

/// One `servers` entry.
#[derive(Debug, Clone)]
pub struct Server {
    /// The URL template (`https://{region}.example.com/v1`).
    pub url: String,
    /// `description`.
    pub description: Option<String>,
    /// Its `Server` variant: `x-rust-name`, else the host's first label.
    pub variant: String,
    /// Its variables, in document order.
    pub variables: Vec<ServerVariable>,
}

impl Server {
    /// The URL with each variable at its default.
    pub fn default_url(&self) -> String {
        self.variables
            .iter()
            .fold(self.url.clone(), |url, variable| {
                url.replace(&format!("{{{}}}", variable.name), &variable.default)
            })
    }
}

/// One server variable.
#[derive(Debug, Clone)]
pub struct ServerVariable {
    /// The spec's name.
    pub name: String,
    /// The variant's field.
    pub field: String,
    /// `default`.
    pub default: String,
    /// `enum`: when not empty, the variable is typed as `type_name`.
    pub values: Vec<String>,
    /// The enum's name (the variable's name in Pascal case).
    pub type_name: String,
    /// `description`.
    pub description: Option<String>,
}

pub(super) fn servers(servers: &[openapiv3::Server]) -> Vec<Server> {
    let variants = names::distinct(servers.iter().map(variant_name), &[]);
    servers
        .iter()
        .zip(variants)
        .map(|(server, variant)| Server {
            url: server.url.clone(),
            description: server.description.clone(),
            variant,
            variables: server
                .variables
                .iter()
                .flatten()
                .map(|(name, variable)| ServerVariable {
                    name: name.clone(),
                    field: names::field_name(name),
                    default: variable.default.clone(),
                    values: variable.enumeration.clone(),
                    type_name: names::type_name(name),
                    description: variable.description.clone(),
                })
                .collect(),
        })
        .collect()
}

/// `x-rust-name` if given, else the host's first label in Pascal case
/// (`https://{region}.api.example.com` → `Region`, `https://uat-api…` → `UatApi`).
fn variant_name(server: &openapiv3::Server) -> String {
    if let Some(name) = server
        .extensions
        .get("x-rust-name")
        .and_then(|v| v.as_str())
    {
        return names::type_name(name);
    }
    let host = server.url.split("://").nth(1).unwrap_or(&server.url);
    let label = host.split(['.', '/', ':']).next().unwrap_or("server");
    names::type_name(label.trim_matches(['{', '}']))
}

/// A note on the `servers` of the path `item` and of `operation`, which
/// progenitor does not use; a path's once, however many operations it has.
pub(super) fn note_unused(
    item: Option<&openapiv3::PathItem>,
    operation: &openapiv3::Operation,
    (path, method): (&str, &str),
    notes: &mut Vec<Note>,
) {
    let declared = item
        .map(|item| (vec!["paths", path, "servers"], &item.servers))
        .into_iter()
        .chain([(vec!["paths", path, method, "servers"], &operation.servers)]);
    for (place, servers) in declared.filter(|(_, servers)| !servers.is_empty()) {
        let location = Location::Pointer(json_pointer(place));
        if notes.iter().any(|note| note.location == location) {
            continue;
        }
        let urls: Vec<String> = servers
            .iter()
            .map(|server| format!("`{}`", server.url))
            .collect();
        notes.push(Note {
            location,
            message: format!(
                "these servers ({}) are not used: every call goes to the client's one base URL; build a second client with `ClientBuilder::base_url` for this operation",
                urls.join(", ")
            ),
        });
    }
}
