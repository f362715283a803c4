//! Optional, nullable fields.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An optional, nullable field. In an update, `Absent` leaves the stored
/// value alone, `Null` clears it and `Value` replaces it. Generated structs
/// skip the field when it is `Absent`.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub enum Nullable<T> {
    /// Not sent.
    #[default]
    Absent,
    /// Sent as JSON `null`.
    Null,
    /// Sent with this value.
    Value(T),
}

impl<T> Nullable<T> {
    /// Whether the field is left out (used to skip it when serialising).
    pub fn is_absent(&self) -> bool {
        matches!(self, Self::Absent)
    }

    /// Whether the field is an explicit `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Self::Null)
    }

    /// The value, if there is one.
    pub fn value(&self) -> Option<&T> {
        match self {
            Self::Value(value) => Some(value),
            Self::Absent | Self::Null => None,
        }
    }
}

impl<T> From<T> for Nullable<T> {
    fn from(value: T) -> Self {
        Self::Value(value)
    }
}

impl<T: Serialize> Serialize for Nullable<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Self::Value(value) => value.serialize(serializer),
            Self::Absent | Self::Null => serializer.serialize_none(),
        }
    }
}

/// A present field is `Null` or `Value`; an absent one becomes `Absent`
/// through `#[serde(default)]` on the field.
impl<'de, T: Deserialize<'de>> Deserialize<'de> for Nullable<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<T>::deserialize(deserializer).map(|value| value.map_or(Self::Null, Self::Value))
    }
}

#[cfg(test)]
mod tests {
    use super::Nullable;
    use serde::{Deserialize, Serialize};

    #[derive(Debug, Default, PartialEq, Serialize, Deserialize)]
    struct Update {
        #[serde(default, skip_serializing_if = "Nullable::is_absent")]
        owner: Nullable<String>,
    }

    #[test]
    fn absent_null_and_value_serialise_differently_and_round_trip() {
        let cases = [
            (Nullable::Absent, "{}"),
            (Nullable::Null, r#"{"owner":null}"#),
            (Nullable::from("ann".to_string()), r#"{"owner":"ann"}"#),
        ];
        for (owner, json) in cases {
            let update = Update { owner };
            assert_eq!(serde_json::to_string(&update).expect("serialises"), json);
            let back: Update = serde_json::from_str(json).expect("deserialises");
            assert_eq!(back, update);
        }
    }
}
