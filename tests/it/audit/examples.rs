//! Every 2xx JSON answer of every vendored spec, built from the spec's own
//! examples, decodes into its generated type.

use serde_json::{Map, Value};

/// The spec of `api` with its overlay, as JSON (the pipeline's reading).
fn spec(api: &str) -> Value {
    let mx = mx_codegen::MxApi::named(api).unwrap();
    let doc = match mx.overlay_path() {
        Some(overlay) => mx_codegen::load::load_with_overlay(&mx.spec_path(), &overlay),
        None => mx_codegen::load::load(&mx.spec_path()),
    }
    .unwrap();
    serde_json::to_value(doc).unwrap()
}

/// `v`, with a `$ref` followed.
fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    match v.get("$ref").and_then(Value::as_str) {
        Some(r) => doc.pointer(r.trim_start_matches('#')).unwrap_or(v),
        None => v,
    }
}

/// An instance of `schema`: its example where it has one, else one built
/// from its parts (properties, items, `allOf`), else a value of its type.
pub fn instance(doc: &Value, schema: &Value, depth: usize) -> Value {
    let schema = resolve(doc, schema);
    if let Some(example) = schema.get("example") {
        return example.clone();
    }
    if depth > 12 {
        return Value::Null;
    }
    if let Some(all) = schema.get("allOf").and_then(Value::as_array) {
        let mut merged = Map::new();
        for part in all {
            if let Value::Object(o) = instance(doc, part, depth + 1) {
                merged.extend(o);
            }
        }
        return Value::Object(merged);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(first) = schema
            .get(key)
            .and_then(Value::as_array)
            .and_then(|a| a.first())
        {
            return instance(doc, first, depth + 1);
        }
    }
    if let Some(values) = schema.get("enum").and_then(Value::as_array) {
        if let Some(v) = values.iter().find(|v| !v.is_null()) {
            return v.clone();
        }
    }
    let kind = schema.get("type").and_then(Value::as_str);
    if let Some(props) = schema.get("properties").and_then(Value::as_object) {
        return Value::Object(
            props
                .iter()
                .map(|(k, s)| (k.clone(), instance(doc, s, depth + 1)))
                .collect(),
        );
    }
    if let Some(items) = schema.get("items") {
        return Value::Array(vec![instance(doc, items, depth + 1)]);
    }
    match kind {
        Some("string") => Value::String("example".into()),
        Some("integer") => Value::from(1),
        Some("number") => Value::from(1.5),
        Some("boolean") => Value::Bool(true),
        Some("array") => Value::Array(Vec::new()),
        Some("object") => Value::Object(Map::new()),
        _ => Value::Null,
    }
}

/// (operationId, the schema of its first 2xx JSON answer) of every
/// operation of `doc`.
fn answers(doc: &Value) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for item in doc["paths"].as_object().unwrap().values() {
        for (method, op) in item.as_object().unwrap() {
            if !["get", "put", "post", "delete", "patch"].contains(&method.as_str()) {
                continue;
            }
            let Some(responses) = op["responses"].as_object() else {
                continue;
            };
            let mut codes: Vec<&String> = responses.keys().filter(|c| c.starts_with('2')).collect();
            codes.sort();
            let schema = codes.iter().find_map(|c| {
                let r = resolve(doc, &responses[c.as_str()]);
                r.get("content")?
                    .as_object()?
                    .iter()
                    .find(|(m, _)| m.ends_with("json"))
                    .and_then(|(_, c)| c.get("schema").cloned())
            });
            if let Some(schema) = schema {
                out.push((op["operationId"].as_str().unwrap().to_string(), schema));
            }
        }
    }
    out
}

/// Every JSON answer of every built API decodes; the generated table and
/// the spec list the same operations.
#[test]
fn every_answer_built_from_the_specs_examples_decodes() {
    let mut failures = Vec::new();
    let mut checked = 0;
    for (api, table) in super::apis() {
        let doc = spec(api);
        let answers = answers(&doc);
        assert_eq!(
            answers.len(),
            table.len(),
            "{api}: the spec has {} JSON answers, the generated table {}",
            answers.len(),
            table.len()
        );
        for (operation, schema) in answers {
            let body = serde_json::to_vec(&instance(&doc, &schema, 0)).unwrap();
            if let Err(e) = super::decoder(api, &operation)(&body) {
                failures.push(format!(
                    "{api} {operation}: {e}: {}",
                    String::from_utf8_lossy(&body)
                ));
            }
            checked += 1;
        }
    }
    assert!(checked > 0);
    assert!(
        failures.is_empty(),
        "{} answers do not decode:\n{}",
        failures.len(),
        failures.join("\n\n")
    );
}

/// The builder of instances: examples first, then types.
#[test]
fn instances_take_the_examples_then_the_types() {
    let doc = serde_json::json!({"components": {"schemas": {"M": {"type": "object", "properties": {
        "guid": {"type": "string", "example": "MBR-1"},
        "n": {"type": "integer"},
        "kind": {"type": "string", "enum": [null, "A"]},
        "list": {"type": "array", "items": {"type": "boolean"}}
    }}}}});
    let v = instance(
        &doc,
        &serde_json::json!({"$ref": "#/components/schemas/M"}),
        0,
    );
    assert_eq!(
        v,
        serde_json::json!({"guid": "MBR-1", "n": 1, "kind": "A", "list": [true]})
    );
}
