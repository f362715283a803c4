//! The conversions of a generated open enum, written once.

/// Implements an open enum's API for a generated enum whose unit variants
/// stand for the spec's values and whose `Unknown(String)` keeps any other:
/// `as_str` and `is_unknown`, `Display`, `FromStr` (infallible),
/// `From<&str>` and `From<String>`, and serde as the plain string.
///
/// ```
/// #[derive(Clone, Debug, PartialEq)]
/// enum Channel {
///     Sms,
///     Unknown(String),
/// }
/// client_runtime::open_enum!(Channel { Sms => "SMS" });
///
/// assert_eq!(Channel::from("SMS"), Channel::Sms);
/// assert_eq!(Channel::from("PUSH").as_str(), "PUSH");
/// assert!(Channel::from("PUSH").is_unknown());
/// assert_eq!(serde_json::to_string(&Channel::Sms).unwrap(), "\"SMS\"");
/// ```
#[macro_export]
macro_rules! open_enum {
    ($name:ident { $($variant:ident => $wire:literal),* $(,)? }) => {
        impl $name {
            /// The value as it appears on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    $(Self::$variant => $wire,)*
                    Self::Unknown(value) => value.as_str(),
                }
            }

            /// Whether this is a value the spec does not list.
            pub fn is_unknown(&self) -> bool {
                matches!(self, Self::Unknown(_))
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(value: &str) -> Self {
                match value {
                    $($wire => Self::$variant,)*
                    _ => Self::Unknown(value.to_string()),
                }
            }
        }

        impl ::std::convert::From<::std::string::String> for $name {
            fn from(value: ::std::string::String) -> Self {
                match value.as_str() {
                    $($wire => Self::$variant,)*
                    _ => Self::Unknown(value),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;

            fn from_str(value: &str) -> ::std::result::Result<Self, ::std::convert::Infallible> {
                Ok(Self::from(value))
            }
        }

        impl $crate::__serde::Serialize for $name {
            fn serialize<S: $crate::__serde::Serializer>(
                &self,
                serializer: S,
            ) -> ::std::result::Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> $crate::__serde::Deserialize<'de> for $name {
            fn deserialize<D: $crate::__serde::Deserializer<'de>>(
                deserializer: D,
            ) -> ::std::result::Result<Self, D::Error> {
                <::std::string::String as $crate::__serde::Deserialize>::deserialize(deserializer)
                    .map(Self::from)
            }
        }
    };
}
