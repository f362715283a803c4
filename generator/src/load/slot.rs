//! What a place in an OpenAPI document holds, read from the keys that lead
//! to it: the bundler needs it to decide what a `$ref` to another file
//! becomes. A `$ref` where a component may stand (a schema, a parameter, a
//! response…) becomes a component of that kind; anywhere else (a path item,
//! an operation, an extension, a description) the target is copied in place,
//! since OpenAPI has no component to hold it.

use crate::spec::METHODS;

/// The kinds of `components` a bundled target can become.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Kind {
    Schemas,
    Parameters,
    Responses,
    RequestBodies,
    Headers,
    Examples,
    SecuritySchemes,
    Links,
    Callbacks,
}

impl Kind {
    const ALL: [Kind; 9] = [
        Kind::Schemas,
        Kind::Parameters,
        Kind::Responses,
        Kind::RequestBodies,
        Kind::Headers,
        Kind::Examples,
        Kind::SecuritySchemes,
        Kind::Links,
        Kind::Callbacks,
    ];

    /// The key under `components`.
    pub(crate) fn key(self) -> &'static str {
        match self {
            Kind::Schemas => "schemas",
            Kind::Parameters => "parameters",
            Kind::Responses => "responses",
            Kind::RequestBodies => "requestBodies",
            Kind::Headers => "headers",
            Kind::Examples => "examples",
            Kind::SecuritySchemes => "securitySchemes",
            Kind::Links => "links",
            Kind::Callbacks => "callbacks",
        }
    }

    fn from_key(key: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|kind| kind.key() == key)
    }

    /// What the member `key` of an object of this kind holds.
    fn child(self, key: &str) -> Slot {
        match (self, key) {
            (
                Kind::Schemas,
                "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas",
            ) => Slot::MapOf(Kind::Schemas),
            (
                Kind::Schemas,
                "items"
                | "additionalProperties"
                | "not"
                | "contains"
                | "propertyNames"
                | "if"
                | "then"
                | "else"
                | "additionalItems"
                | "unevaluatedItems"
                | "unevaluatedProperties"
                | "contentSchema",
            ) => Slot::Component(Kind::Schemas),
            (Kind::Schemas, "allOf" | "anyOf" | "oneOf" | "prefixItems") => {
                Slot::ListOf(Kind::Schemas)
            }
            (Kind::Schemas, "example" | "examples" | "default" | "enum" | "const") => Slot::Data,
            (Kind::Parameters | Kind::Headers, "schema") => Slot::Component(Kind::Schemas),
            (
                Kind::Parameters | Kind::Headers | Kind::Responses | Kind::RequestBodies,
                "content",
            ) => Slot::Content,
            (Kind::Parameters | Kind::Headers, "examples") => Slot::MapOf(Kind::Examples),
            (Kind::Parameters | Kind::Headers, "example") | (Kind::Examples, "value") => Slot::Data,
            (Kind::Responses, "headers") => Slot::MapOf(Kind::Headers),
            (Kind::Responses, "links") => Slot::MapOf(Kind::Links),
            (Kind::Callbacks, _) => Slot::PathItem,
            _ => Slot::Other,
        }
    }
}

/// What a place in the document holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// The document's root.
    Document,
    /// `paths` or `webhooks`: path items by path.
    Paths,
    /// A path item.
    PathItem,
    /// An operation.
    Operation,
    /// An operation's `responses`.
    Responses,
    /// `content`: media types by name.
    Content,
    /// One media type.
    MediaType,
    /// A media type's `encoding`: encodings by property.
    Encodings,
    /// One encoding.
    Encoding,
    /// `components`.
    Components,
    /// An object that could be a component of this kind.
    Component(Kind),
    /// A map of such objects (`properties`, `components/schemas`…).
    MapOf(Kind),
    /// A list of such objects (`allOf`, `parameters`…).
    ListOf(Kind),
    /// Example or default values: a `$ref` in them is data, not a reference.
    Data,
    /// Anything else (extensions, descriptions, servers…).
    Other,
}

impl Slot {
    /// What the member `key` of an object in this slot holds.
    pub(crate) fn child(self, key: &str) -> Slot {
        match self {
            Slot::Document => match key {
                "paths" | "webhooks" => Slot::Paths,
                "components" => Slot::Components,
                _ => Slot::Other,
            },
            Slot::Paths => Slot::PathItem,
            Slot::PathItem if METHODS.contains(&key) => Slot::Operation,
            Slot::PathItem | Slot::Operation if key == "parameters" => {
                Slot::ListOf(Kind::Parameters)
            }
            Slot::Operation => match key {
                "requestBody" => Slot::Component(Kind::RequestBodies),
                "responses" => Slot::Responses,
                "callbacks" => Slot::MapOf(Kind::Callbacks),
                _ => Slot::Other,
            },
            Slot::Responses => Slot::Component(Kind::Responses),
            Slot::Content => Slot::MediaType,
            Slot::MediaType => match key {
                "schema" => Slot::Component(Kind::Schemas),
                "examples" => Slot::MapOf(Kind::Examples),
                "example" => Slot::Data,
                "encoding" => Slot::Encodings,
                _ => Slot::Other,
            },
            Slot::Encodings => Slot::Encoding,
            Slot::Encoding if key == "headers" => Slot::MapOf(Kind::Headers),
            Slot::Components => match Kind::from_key(key) {
                Some(kind) => Slot::MapOf(kind),
                None if key == "pathItems" => Slot::Paths,
                None => Slot::Other,
            },
            Slot::Component(kind) => kind.child(key),
            Slot::MapOf(kind) => Slot::Component(kind),
            Slot::Data => Slot::Data,
            Slot::PathItem | Slot::Encoding | Slot::ListOf(_) | Slot::Other => Slot::Other,
        }
    }

    /// What each item of an array in this slot holds.
    pub(crate) fn item(self) -> Slot {
        match self {
            Slot::ListOf(kind) => Slot::Component(kind),
            // `items: [...]`, the tuple form of older JSON Schema.
            Slot::Component(Kind::Schemas) => Slot::Component(Kind::Schemas),
            Slot::Data => Slot::Data,
            _ => Slot::Other,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The slot at `keys` from the root; `[]` stands for an array item.
    fn at(keys: &[&str]) -> Slot {
        keys.iter().fold(Slot::Document, |slot, key| match *key {
            "[]" => slot.item(),
            key => slot.child(key),
        })
    }

    #[test]
    fn places_that_hold_components_are_known_by_their_keys() {
        let schema = Slot::Component(Kind::Schemas);
        assert_eq!(at(&["paths", "/a", "get"]), Slot::Operation);
        assert_eq!(at(&["paths", "/a"]), Slot::PathItem);
        assert_eq!(
            at(&["paths", "/a", "get", "parameters", "[]"]),
            Slot::Component(Kind::Parameters)
        );
        assert_eq!(
            at(&["paths", "/a", "get", "responses", "200"]),
            Slot::Component(Kind::Responses)
        );
        let body = ["paths", "/a", "post", "requestBody"];
        assert_eq!(at(&body), Slot::Component(Kind::RequestBodies));
        let mut schema_keys = body.to_vec();
        schema_keys.extend(["content", "application/json", "schema"]);
        assert_eq!(at(&schema_keys), schema);
        schema_keys.extend(["properties", "a", "items", "allOf", "[]"]);
        assert_eq!(at(&schema_keys), schema);
        assert_eq!(
            at(&["components", "responses", "E", "headers", "X"]),
            Slot::Component(Kind::Headers)
        );
        assert_eq!(at(&["components", "schemas", "A", "example"]), Slot::Data);
        assert_eq!(at(&["tags", "[]", "description"]), Slot::Other);
        assert_eq!(
            at(&["paths", "/a", "get", "x-codeSamples", "[]"]),
            Slot::Other
        );
    }
}
