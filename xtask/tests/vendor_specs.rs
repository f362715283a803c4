//! The specs agree with what the vendors themselves publish.
//!
//! Elastic Path publishes its own OpenAPI file for Subscriptions, kept
//! unchanged in `../shared/corpus/elasticpath-subscriptions.yaml` (CI has
//! `shared/` beside the checkout). Requests this project's Elastic Path
//! client sends must validate against that file's `UpdateSubscriber` request
//! schema, and `specs/elasticpath.yaml` must accept and refuse the same
//! payment authorities as it does.
//!
//! The validator below covers the OpenAPI 3.0 schema keywords those schemas
//! use: local `$ref`, `allOf`, `oneOf`, `anyOf`, `type`, `nullable`, `enum`,
//! `required`, `properties`, `additionalProperties: false`, `items`,
//! `minItems`/`maxItems`, `minLength`/`maxLength`, `minimum`/`maximum`.
//! `format` and `pattern` are not checked. `nullable: true` admits `null`
//! wherever it appears on a schema object (the meaning Elastic Path intends
//! for its `NullablePaymentAuthority`; OpenAPI 3.0.3 read to the letter only
//! widens a `type` in the same object).

use std::path::{Path, PathBuf};

use serde_json::{Value, json};

fn workspace() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn yaml(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| {
        panic!(
            "{}: {e} (the vendor corpus lives in ../shared beside the workspace)",
            path.display()
        )
    });
    serde_yaml_ng::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

fn elastic_paths_spec() -> Value {
    yaml(&workspace().join("../shared/corpus/elasticpath-subscriptions.yaml"))
}

fn our_spec() -> Value {
    yaml(&workspace().join("specs/elasticpath.yaml"))
}

/// Errors of `value` against `schema`, `$ref`s resolved in `doc`.
fn errors(doc: &Value, schema: &Value, value: &Value, at: &str) -> Vec<String> {
    let mut out = Vec::new();
    check(doc, schema, value, at, &mut out);
    out
}

fn resolve<'a>(doc: &'a Value, schema: &'a Value) -> &'a Value {
    match schema.get("$ref").and_then(Value::as_str) {
        Some(target) => {
            let pointer = target
                .strip_prefix('#')
                .unwrap_or_else(|| panic!("only local $refs: {target}"));
            resolve(
                doc,
                doc.pointer(pointer)
                    .unwrap_or_else(|| panic!("dangling $ref {target}")),
            )
        }
        None => schema,
    }
}

fn check(doc: &Value, schema: &Value, value: &Value, at: &str, out: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    if value.is_null() && schema.get("nullable") == Some(&Value::Bool(true)) {
        return;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        for sub in all {
            check(doc, sub, value, at, out);
        }
    }
    if let Some(one) = schema.get("oneOf").and_then(Value::as_array) {
        let matching = one
            .iter()
            .filter(|sub| errors(doc, sub, value, at).is_empty())
            .count();
        if matching != 1 {
            out.push(format!("{at}: matches {matching} of the oneOf schemas"));
        }
    }
    if let Some(any) = schema.get("anyOf").and_then(Value::as_array)
        && !any.iter().any(|sub| errors(doc, sub, value, at).is_empty())
    {
        out.push(format!("{at}: matches none of the anyOf schemas"));
    }
    if let Some(ty) = schema.get("type").and_then(Value::as_str) {
        let ok = match ty {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "boolean" => value.is_boolean(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            other => panic!("unknown type {other}"),
        };
        if !ok {
            out.push(format!("{at}: {value} is not of type {ty}"));
            return;
        }
    }
    if let Some(allowed) = schema.get("enum").and_then(Value::as_array)
        && !allowed.contains(value)
    {
        out.push(format!("{at}: {value} is not one of {allowed:?}"));
    }
    if let Some(text) = value.as_str() {
        let length = text.chars().count() as u64;
        if schema["minLength"].as_u64().is_some_and(|min| length < min) {
            out.push(format!(
                "{at}: {value} is shorter than {}",
                schema["minLength"]
            ));
        }
        if schema["maxLength"].as_u64().is_some_and(|max| length > max) {
            out.push(format!(
                "{at}: {value} is longer than {}",
                schema["maxLength"]
            ));
        }
    }
    if let Some(number) = value.as_f64() {
        if schema["minimum"].as_f64().is_some_and(|min| number < min) {
            out.push(format!("{at}: {value} is below {}", schema["minimum"]));
        }
        if schema["maximum"].as_f64().is_some_and(|max| number > max) {
            out.push(format!("{at}: {value} is above {}", schema["maximum"]));
        }
    }
    if let Some(items) = value.as_array() {
        if schema["minItems"]
            .as_u64()
            .is_some_and(|min| (items.len() as u64) < min)
        {
            out.push(format!("{at}: fewer than {} items", schema["minItems"]));
        }
        if schema["maxItems"]
            .as_u64()
            .is_some_and(|max| (items.len() as u64) > max)
        {
            out.push(format!("{at}: more than {} items", schema["maxItems"]));
        }
        if let Some(item_schema) = schema.get("items") {
            for (i, item) in items.iter().enumerate() {
                check(doc, item_schema, item, &format!("{at}[{i}]"), out);
            }
        }
    }
    if let Some(object) = value.as_object() {
        for name in schema["required"].as_array().into_iter().flatten() {
            let name = name.as_str().expect("required names are strings");
            if !object.contains_key(name) {
                out.push(format!("{at}: `{name}` is required"));
            }
        }
        let properties = schema["properties"].as_object();
        for (name, member) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(sub) => check(doc, sub, member, &format!("{at}.{name}"), out),
                None if schema.get("additionalProperties") == Some(&Value::Bool(false)) => {
                    out.push(format!("{at}: `{name}` is not allowed"));
                }
                None => {}
            }
        }
    }
}

/// Elastic Path's request schema for `UpdateSubscriber` (`PUT /subscriptions/subscribers/{subscriber_uuid}`).
fn update_subscriber_request(spec: &Value) -> &Value {
    spec.pointer(
        "/paths/~1subscriptions~1subscribers~1{subscriber_uuid}/put/requestBody/content/application~1json/schema",
    )
    .expect("Elastic Path's spec has the UpdateSubscriber request body")
}

#[test]
fn the_validator_refuses_what_elastic_paths_schema_refuses() {
    // Guards the validator itself: a body Elastic Path's schema refuses must not pass.
    let spec = elastic_paths_spec();
    let schema = update_subscriber_request(&spec);
    for bad in [
        json!({}),
        json!({"data": {"type": "subscription_subscriber", "attributes": {}}}),
        json!({"data": {"id": "1", "type": "subscriber", "attributes": {}}}),
        json!({"data": {"id": "1", "type": "subscription_subscriber", "attributes": {"name": "Jo"}}}),
        json!({"data": {"id": "1", "type": "subscription_subscriber", "attributes": {"payment_authority": {"type": "paypal"}}}}),
        json!({"data": {"id": "1", "type": "subscription_subscriber", "attributes": {"payment_authority": {"type": "authorize_net", "payment_profile_id": "15"}}}}),
    ] {
        assert!(
            !errors(&spec, schema, &bad, "body").is_empty(),
            "Elastic Path's schema must refuse {bad}"
        );
    }
}

#[test]
fn the_authorize_net_request_validates_against_elastic_paths_own_spec() {
    let spec = elastic_paths_spec();
    let body =
        yaml(&workspace().join("clients/elasticpath/tests/fixtures/authorize_net_update.json"));
    let problems = errors(&spec, update_subscriber_request(&spec), &body, "body");
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn our_request_examples_validate_against_elastic_paths_own_spec() {
    let spec = elastic_paths_spec();
    let ours = our_spec();
    let example = ours
        .pointer("/paths/~1subscriptions~1subscribers~1{subscriber_uuid}/put/requestBody/content/application~1json/example")
        .expect("specs/elasticpath.yaml has a request example");
    let mut clear = example.clone();
    clear["data"]["attributes"] = json!({"payment_authority": null});
    for body in [example, &clear] {
        let problems = errors(&spec, update_subscriber_request(&spec), body, "body");
        assert!(problems.is_empty(), "{body}: {problems:#?}");
    }
}

#[test]
fn our_payment_authority_accepts_and_refuses_what_elastic_paths_does() {
    let theirs = elastic_paths_spec();
    let ours = our_spec();
    let their_schema = json!({"$ref": "#/components/schemas/NullablePaymentAuthority"});
    let our_schema = ours
        .pointer("/components/schemas/SubscriberUpdateAttributes/properties/payment_authority")
        .expect("our request has payment_authority")
        .clone();
    let cases = [
        json!(null),
        json!({"type": "authorize_net", "payment_profile_id": "1511660856", "customer_profile_id": "1511736979"}),
        json!({"type": "authorize_net"}),
        json!({"type": "elastic_path_payments_stripe", "customer_id": "cus_OPfKlxWV3hp9h6", "card_id": "card_8Diw3FQPhxK27WADPVMeXieP"}),
        json!({"type": "elastic_path_payments_stripe"}),
        json!({"type": "authorize_net", "payment_profile_id": "15"}),
        json!({"type": "authorize_net", "customer_profile_id": "9".repeat(1025)}),
        json!({"type": "elastic_path_payments_stripe", "card_id": "c"}),
        json!({"type": "paypal_express"}),
        json!({"customer_id": "cus_OPfKlxWV3hp9h6"}),
        json!("authorize_net"),
    ];
    for case in cases {
        let their_verdict = errors(&theirs, &their_schema, &case, "payment_authority");
        let our_verdict = errors(&ours, &our_schema, &case, "payment_authority");
        assert_eq!(
            their_verdict.is_empty(),
            our_verdict.is_empty(),
            "{case}: Elastic Path says {their_verdict:?}, specs/elasticpath.yaml says {our_verdict:?}"
        );
    }
}

#[test]
fn our_response_example_validates_against_elastic_paths_own_spec() {
    let spec = elastic_paths_spec();
    let ours = our_spec();
    let example = ours
        .pointer("/paths/~1subscriptions~1subscribers~1{subscriber_uuid}/put/responses/200/content/application~1json/example")
        .expect("specs/elasticpath.yaml has a 200 example");
    let schema = spec
        .pointer("/paths/~1subscriptions~1subscribers~1{subscriber_uuid}/put/responses/200/content/application~1json/schema")
        .expect("Elastic Path's spec has the UpdateSubscriber 200 schema");
    let problems = errors(&spec, schema, example, "body");
    assert!(problems.is_empty(), "{problems:#?}");
}
