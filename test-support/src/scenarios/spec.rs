//! What a spec says, as the scenarios read it. The generator writes these
//! values into each client's `tests/scenarios.rs` from the spec: its
//! servers, security schemes, and per operation its request, parameters,
//! documented answers and security.

/// The facts of one spec the crate-wide scenarios check.
#[derive(Debug)]
pub struct Api {
    /// The spec file, as the workspace names it (`specs/acme.yaml`).
    pub spec: &'static str,
    /// The `User-Agent` every request carries (`<crate>/<version>`).
    pub user_agent: &'static str,
    /// Each server's base URL with its variables at their defaults, in
    /// spec order; the first is the client's default.
    pub servers: &'static [&'static str],
    /// `components.securitySchemes`, in spec order.
    pub schemes: &'static [Scheme],
}

impl Api {
    /// The scheme the spec calls `key`.
    pub fn scheme(&self, key: &str) -> &'static Scheme {
        self.schemes
            .iter()
            .find(|scheme| scheme.key == key)
            .unwrap_or_else(|| panic!("{}: no security scheme {key:?}", self.spec))
    }

    /// The path the first server's URL carries (`/v3.1`, or empty): the
    /// scenarios keep it in front of the mock server's address, as a caller
    /// switching hosts would.
    pub fn base_path(&self) -> &'static str {
        let Some(url) = self.servers.first() else {
            return "";
        };
        let path = match url.split_once("://") {
            Some((_, rest)) => rest.find('/').map_or("", |start| &rest[start..]),
            None => url,
        };
        path.trim_end_matches('/')
    }
}

/// A security scheme.
#[derive(Debug)]
pub struct Scheme {
    /// Its key in `components.securitySchemes`.
    pub key: &'static str,
    /// How its credential reaches the request.
    pub kind: SchemeKind,
}

/// How a scheme's credential reaches the request.
#[derive(Debug)]
pub enum SchemeKind {
    /// `Authorization: Basic base64(username:password)`.
    Basic,
    /// `Authorization: Bearer <token>`.
    Bearer,
    /// A header carrying a key, made of named parts joined by `separator`
    /// (one part: the key itself).
    Header {
        /// The header's name.
        name: &'static str,
        /// The parts' names, in order.
        parts: &'static [&'static str],
        /// What joins the parts.
        separator: &'static str,
    },
    /// An API key in the query string, under `name`.
    Query {
        /// The query parameter's name.
        name: &'static str,
    },
    /// An API key in a cookie, under `name`.
    Cookie {
        /// The cookie's name.
        name: &'static str,
    },
}

impl SchemeKind {
    /// The names of the credential's parts, in the order the client's
    /// credential constructor takes them.
    pub fn parts(&self) -> &'static [&'static str] {
        match self {
            Self::Basic => &["username", "password"],
            Self::Bearer => &["token"],
            Self::Header { parts, .. } => parts,
            Self::Query { .. } | Self::Cookie { .. } => &["api_key"],
        }
    }

    /// The parts that are secret: all but a basic username, which logs may
    /// show to say who called.
    pub fn secret_parts(&self) -> &'static [&'static str] {
        match self {
            Self::Basic => &["password"],
            other => other.parts(),
        }
    }
}

/// One operation the scenarios call.
#[derive(Debug)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The client's method for it, as [`MissingCredentials`] names it.
    ///
    /// [`MissingCredentials`]: client_runtime::MissingCredentials
    pub method_name: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template (`/subscriptions/{id}`).
    pub path: &'static str,
    /// Its parameters with the values the scenarios send.
    pub parameters: &'static [Parameter],
    /// The JSON request body the scenarios send, if the operation takes
    /// one: the spec's example, or a value made from the schema.
    pub body: Option<&'static str>,
    /// Whether the body goes as a form (`application/x-www-form-urlencoded`)
    /// rather than as JSON.
    pub form: bool,
    /// Its documented answers with a status code.
    pub answers: &'static [Answer],
    /// Whether a `default` or range (`4XX`) answer is documented too, so
    /// that no status is undeclared.
    pub catch_all: bool,
    /// The alternatives of its security requirement, each the keys of the
    /// schemes it needs together; empty when it needs no credentials.
    pub security: &'static [&'static [&'static str]],
}

impl Operation {
    /// Whether a call may go without credentials.
    pub fn needs_no_credentials(&self) -> bool {
        self.security.is_empty() || self.security.iter().any(|schemes| schemes.is_empty())
    }

    /// The first documented success with an example, if any.
    pub fn success_example(&self) -> Option<(u16, &'static str)> {
        self.answers
            .iter()
            .filter(|answer| (200..300).contains(&answer.status))
            .find_map(|answer| Some((answer.status, answer.example?)))
    }
}

/// An operation's parameter.
#[derive(Debug)]
pub struct Parameter {
    /// Its name in the spec.
    pub name: &'static str,
    /// Where it goes.
    pub location: Location,
    /// The value sent, as JSON: the spec's example, or a value made from
    /// its schema when the spec gives none.
    pub value: &'static str,
    /// Whether any text is a valid value (a plain `string`), so the
    /// scenarios may send characters that need percent-encoding.
    pub free_text: bool,
}

/// Where a parameter goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    /// A path segment.
    Path,
    /// The query string.
    Query,
    /// A request header.
    Header,
}

/// A documented answer with a status code.
#[derive(Debug)]
pub struct Answer {
    /// The status.
    pub status: u16,
    /// Whether its body is JSON with a schema, so a broken body must fail.
    pub json: bool,
    /// The spec's example of its body, as JSON.
    pub example: Option<&'static str>,
}
