//! The ground floor: the vocabulary of an OpenAPI document that every stage
//! speaks (HTTP methods, the operations of a document, references, media
//! types, names). It depends on no stage, so that each stage depends only on
//! the stages before it and on this.

pub mod names;

use serde_json::{Map, Value};

/// The HTTP methods an OpenAPI path item may hold.
pub(crate) const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// `(path, method, operation)` for every operation, in document order.
pub(crate) fn operations(document: &Value) -> impl Iterator<Item = (&str, &'static str, &Value)> {
    document
        .get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .flat_map(|(path, item)| {
            METHODS
                .iter()
                .filter_map(move |method| Some((path.as_str(), *method, item.get(*method)?)))
        })
}

/// `value`, or what its local `$ref` points at (`None` when nothing).
pub(crate) fn resolve(document: &Value, value: &Value) -> Option<Value> {
    let mut value = value;
    // A chain of references ends; a loop of them is cut short.
    for _ in 0..16 {
        match value.get("$ref").and_then(Value::as_str) {
            Some(target) => value = document.pointer(target.strip_prefix('#')?)?,
            None => return Some(value.clone()),
        }
    }
    None
}

/// Whether `name` can name an HTTP header: a non-empty token (RFC 9110
/// §5.6.2), which is what `reqwest` accepts without panicking.
pub(crate) fn is_header_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

/// The media type of an HTML form.
pub(crate) const FORM: &str = "application/x-www-form-urlencoded";

/// `application/json` and `+json` media types.
pub(crate) fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or_default().trim();
    essence == "application/json" || essence.ends_with("+json")
}

/// Whether a schema is a closed list of strings, which becomes an open enum.
pub(crate) fn is_string_enum(schema: &Map<String, Value>) -> bool {
    let typed_string = match schema.get("type") {
        None => true,
        Some(ty) => ty == "string",
    };
    let values = schema.get("enum").and_then(Value::as_array);
    typed_string
        && !schema.contains_key("$ref")
        && values.is_some_and(|values| !values.is_empty() && values.iter().all(Value::is_string))
}

/// How a client authenticates to a `clientCredentials` token endpoint:
/// the flow's `x-token-endpoint-auth-method`, named as RFC 7591 (section
/// 2) names them, so that a vendor that takes the secret only in the form
/// body gets a client that sends it there.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ClientAuthentication {
    /// `client_secret_basic` (the default, as RFC 6749 requires servers to
    /// support it): `Authorization: Basic`.
    #[default]
    Basic,
    /// `client_secret_post`: `client_id` and `client_secret` in the form body.
    RequestBody,
}

/// The extension on a `clientCredentials` flow naming its client
/// authentication method.
pub const TOKEN_ENDPOINT_AUTH_METHOD: &str = "x-token-endpoint-auth-method";

impl ClientAuthentication {
    /// The method an `x-token-endpoint-auth-method` value names, if the
    /// runtime has it.
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            "client_secret_basic" => Some(Self::Basic),
            "client_secret_post" => Some(Self::RequestBody),
            _ => None,
        }
    }
}
