//! `mod multipart`, in crates with `multipart/form-data` request bodies:
//! the typed body turned into a `reqwest::multipart::Form`, which the
//! adjusted `send` sends in place of progenitor's form encoding.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::Api;

pub(crate) fn multipart_module(api: &Api) -> TokenStream {
    if api.operations.iter().all(|o| o.multipart.is_none()) {
        return quote!();
    }
    quote! {
        /// `multipart/form-data` request bodies, built from their typed body.
        mod multipart {
            use serde_json::Value;

            /// Each property of `body` becomes a part named after it: those
            /// in `files` (bytes) a file part whose file name is the
            /// property's name, strings a text part, other values their
            /// JSON text. A list gives one part per item; absent and `null`
            /// properties give none.
            /// The error says why the body cannot be sent.
            pub(crate) fn form<B: serde::Serialize>(
                body: &B,
                files: &[&str],
            ) -> Result<reqwest::multipart::Form, String> {
                let fields = match serde_json::to_value(body) {
                    Ok(Value::Object(fields)) => fields,
                    Ok(_) => return Err("the multipart body is not an object".into()),
                    Err(error) => {
                        return Err(format!("the multipart body does not serialise: {error}"));
                    }
                };
                let mut form = reqwest::multipart::Form::new();
                for (name, value) in fields {
                    let is_file = files.contains(&name.as_str());
                    let several = match &value {
                        Value::Array(items) if is_file => {
                            !items.is_empty() && items.iter().all(Value::is_array)
                        }
                        Value::Array(_) => true,
                        _ => false,
                    };
                    let values = match value {
                        Value::Array(items) if several => items,
                        single => vec![single],
                    };
                    for value in values {
                        form = match value {
                            Value::Null => form,
                            value if is_file => {
                                let bytes = bytes(&value).ok_or_else(|| format!("`{name}` is not bytes"))?;
                                form.part(
                                    name.clone(),
                                    reqwest::multipart::Part::bytes(bytes).file_name(name.clone()),
                                )
                            }
                            Value::String(text) => form.text(name.clone(), text),
                            other => form.text(name.clone(), other.to_string()),
                        };
                    }
                }
                Ok(form)
            }

            /// A list of byte values, as `Vec<u8>` serialises.
            fn bytes(value: &Value) -> Option<Vec<u8>> {
                value
                    .as_array()?
                    .iter()
                    .map(|b| b.as_u64().and_then(|b| u8::try_from(b).ok()))
                    .collect()
            }
        }
    }
}
