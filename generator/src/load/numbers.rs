//! Numbers beyond 64 bits never fail the load. Vendors write bounds such as
//! `maximum: 18446744073709552000` (one past `u64::MAX`, as JavaScript
//! prints it) or `minimum: -1e400`; serde_json's `Value` holds only 64-bit
//! integers and finite `f64`s, and its parser and the YAML one refuse the
//! rest with "number out of range".
//!
//! Every such number is read as the nearest `f64` (an overflowing one as
//! `±f64::MAX`), so that the document keeps its ordinary `Value` semantics
//! everywhere else (serde_json's `arbitrary_precision` would change them for
//! every number of every spec). Whether a bound read this way still means
//! anything is the normalize stage's question (`normalize::degrade`), which
//! knows the schema it stands in and notes it there.
//!
//! JSON text is rewritten before parsing (the only numbers serde_json refuses
//! are those whose `f64` is infinite); YAML goes through [`Lenient`], a
//! `Value` builder that takes the 128-bit integers and infinities the YAML
//! parser hands over.

use std::borrow::Cow;
use std::fmt;

use serde::de::{DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// What an overflowing number is read as.
pub(crate) const CLAMP: f64 = f64::MAX;

/// `text` with every JSON number token whose `f64` overflows replaced by
/// `±f64::MAX`; strings are left alone. Linear in the text.
pub(crate) fn clamp_json(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0;
    let mut at = 0;
    let mut in_string = false;
    while at < bytes.len() {
        let byte = bytes[at];
        if in_string {
            match byte {
                b'\\' => at += 1,
                b'"' => in_string = false,
                _ => {}
            }
            at += 1;
            continue;
        }
        match byte {
            b'"' => {
                in_string = true;
                at += 1;
            }
            b'-' | b'0'..=b'9' => {
                let start = at;
                while at < bytes.len()
                    && matches!(bytes[at], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E')
                {
                    at += 1;
                }
                let token = &text[start..at];
                if let Ok(value) = token.parse::<f64>()
                    && value.is_infinite()
                {
                    let out = out.get_or_insert_with(|| String::with_capacity(text.len()));
                    out.push_str(&text[copied..start]);
                    out.push_str(&Value::from(CLAMP.copysign(value)).to_string());
                    copied = at;
                }
            }
            _ => at += 1,
        }
    }
    match out {
        Some(mut out) => {
            out.push_str(&text[copied..]);
            Cow::Owned(out)
        }
        None => Cow::Borrowed(text),
    }
}

/// A JSON `Value` built from any self-describing format, taking numbers
/// `Value` cannot hold as their nearest `f64`.
pub(crate) struct Lenient(pub Value);

impl<'de> serde::Deserialize<'de> for Lenient {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Seed.deserialize(deserializer).map(Lenient)
    }
}

#[derive(Clone, Copy)]
struct Seed;

impl<'de> DeserializeSeed<'de> for Seed {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

/// The nearest finite `f64` as a `Value`.
fn float(value: f64) -> Value {
    let finite = if value.is_nan() {
        return Value::Null;
    } else if value.is_infinite() {
        CLAMP.copysign(value)
    } else {
        value
    };
    Number::from_f64(finite).map_or(Value::Null, Value::Number)
}

impl<'de> Visitor<'de> for Seed {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any YAML or JSON value")
    }

    fn visit_bool<E>(self, value: bool) -> Result<Value, E> {
        Ok(Value::Bool(value))
    }

    fn visit_i64<E>(self, value: i64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_u64<E>(self, value: u64) -> Result<Value, E> {
        Ok(Value::from(value))
    }

    fn visit_i128<E>(self, value: i128) -> Result<Value, E> {
        // Beyond 64 bits: the nearest f64 is the nearest representable value.
        Ok(i64::try_from(value).map_or_else(|_| float(value as f64), Value::from))
    }

    fn visit_u128<E>(self, value: u128) -> Result<Value, E> {
        Ok(u64::try_from(value).map_or_else(|_| float(value as f64), Value::from))
    }

    fn visit_f64<E>(self, value: f64) -> Result<Value, E> {
        Ok(float(value))
    }

    fn visit_str<E>(self, value: &str) -> Result<Value, E> {
        Ok(Value::String(value.to_string()))
    }

    fn visit_string<E>(self, value: String) -> Result<Value, E> {
        Ok(Value::String(value))
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut members = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            let value = map.next_value_seed(self)?;
            members.insert(key, value);
        }
        Ok(Value::Object(members))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overflowing_json_numbers_become_the_largest_float_and_strings_stay() {
        let text =
            r#"{"minimum": -1e400, "s": "1e400 \" 2e999", "ok": 1.5, "big": 18446744073709552000}"#;
        let value: Value = serde_json::from_str(&clamp_json(text)).expect("parses");
        assert_eq!(value["minimum"], Value::from(-f64::MAX));
        assert_eq!(value["s"], "1e400 \" 2e999");
        assert_eq!(value["ok"], Value::from(1.5));
        assert_eq!(value["big"], Value::from(18446744073709552000_f64));
        assert!(matches!(clamp_json(r#"{"a": 1}"#), Cow::Borrowed(_)));
    }

    #[test]
    fn yaml_integers_beyond_64_bits_and_infinities_load() {
        let text = "maximum: 18446744073709552000\nminimum: -99999999999999999999999\ntop: .inf\n";
        let Lenient(value) = serde_yaml_ng::from_str(text).expect("parses");
        assert_eq!(value["maximum"], Value::from(18446744073709552000_f64));
        assert_eq!(value["minimum"], Value::from(-99999999999999999999999_f64));
        assert_eq!(value["top"], Value::from(f64::MAX));
    }
}
