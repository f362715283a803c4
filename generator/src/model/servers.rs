//! The spec's servers, each a variant of `servers::Server`.

use super::names;

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
