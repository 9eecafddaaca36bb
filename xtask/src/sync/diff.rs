//! What changed between the vendored spec and upstream's, marking what
//! breaks users' code.

use std::collections::{BTreeMap, BTreeSet};

use serde_yaml::Value;

// Keys of a path item that are operations.
use mx_codegen::normalize::METHODS;

/// One change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub text: String,
    pub breaking: bool,
}

fn change(text: String, breaking: bool) -> Change {
    Change { text, breaking }
}

fn operations(spec: &Value) -> BTreeMap<String, Value> {
    let mut out = BTreeMap::new();
    if let Some(Value::Mapping(paths)) = spec.get("paths") {
        for (path, item) in paths {
            for m in METHODS {
                if let Some(op) = item.get(m) {
                    out.insert(
                        format!("{} {}", m.to_uppercase(), path.as_str().unwrap_or_default()),
                        op.clone(),
                    );
                }
            }
        }
    }
    out
}

/// A mapping as name → value (empty when absent).
fn named(v: Option<&Value>) -> BTreeMap<String, Value> {
    v.and_then(Value::as_mapping)
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v.clone()))
                .collect()
        })
        .unwrap_or_default()
}

fn schemas(spec: &Value) -> BTreeMap<String, Value> {
    named(spec.get("components").and_then(|c| c.get("schemas")))
}

/// A short form of a property's type: `string`, `integer(int64)`,
/// `array of Member`, `Member`.
fn type_of(s: &Value) -> String {
    if let Some(r) = s.get("$ref").and_then(Value::as_str) {
        return r.rsplit('/').next().unwrap_or(r).to_string();
    }
    let mut t = s
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or("any")
        .to_string();
    if let Some(f) = s.get("format").and_then(Value::as_str) {
        t = format!("{t}({f})");
    }
    if let Some(items) = s.get("items") {
        t = format!("array of {}", type_of(items));
    }
    if let Some(Value::Sequence(values)) = s.get("enum") {
        let v: Vec<String> = values
            .iter()
            .map(|v| {
                serde_yaml::to_string(v)
                    .unwrap_or_default()
                    .trim()
                    .to_string()
            })
            .collect();
        t = format!("{t} enum [{}]", v.join(", "));
    }
    if s.get("nullable").and_then(Value::as_bool) == Some(true) {
        t = format!("{t}, nullable");
    }
    t
}

fn properties(schema: &Value) -> BTreeMap<String, Value> {
    named(schema.get("properties"))
}

fn required(schema: &Value) -> BTreeSet<String> {
    schema
        .get("required")
        .and_then(Value::as_sequence)
        .map(|s| {
            s.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let (oo, no) = (operations(old), operations(new));
    for (k, op) in &no {
        let id = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
        match oo.get(k) {
            None => out.push(change(format!("+ operation {k} ({id})"), false)),
            Some(prev) if prev != op => {
                out.push(change(format!("~ operation {k} ({id}) changed"), false))
            }
            Some(_) => {}
        }
    }
    for (k, op) in &oo {
        if !no.contains_key(k) {
            let id = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
            out.push(change(format!("- operation {k} ({id})"), true));
        }
    }

    let (os, ns) = (schemas(old), schemas(new));
    for (name, schema) in &ns {
        let Some(prev) = os.get(name) else {
            out.push(change(format!("+ schema {name}"), false));
            continue;
        };
        if prev == schema {
            continue;
        }
        let (op, np) = (properties(prev), properties(schema));
        let (or, nr) = (required(prev), required(schema));
        for (field, s) in &np {
            match op.get(field) {
                None => {
                    let req = nr.contains(field);
                    out.push(change(
                        format!(
                            "+ {name}.{field}: {}{}",
                            type_of(s),
                            if req { ", required" } else { "" }
                        ),
                        req,
                    ));
                }
                Some(p) if type_of(p) != type_of(s) => out.push(change(
                    format!("~ {name}.{field}: {} -> {}", type_of(p), type_of(s)),
                    true,
                )),
                Some(_) => {}
            }
            if op.contains_key(field) && or.contains(field) != nr.contains(field) {
                let (a, b) = if nr.contains(field) {
                    ("optional", "required")
                } else {
                    ("required", "optional")
                };
                out.push(change(format!("! {name}.{field}: {a} -> {b}"), true));
            }
        }
        for field in op.keys() {
            if !np.contains_key(field) {
                out.push(change(format!("- {name}.{field}"), true));
            }
        }
    }
    for name in os.keys() {
        if !ns.contains_key(name) {
            out.push(change(format!("- schema {name}"), true));
        }
    }

    let top = |v: &Value| -> BTreeMap<String, Value> {
        v.as_mapping()
            .map(|m| {
                m.iter()
                    .map(|(k, v)| (k.as_str().unwrap_or_default().to_string(), v.clone()))
                    .filter(|(k, _)| k != "paths" && k != "components")
                    .collect()
            })
            .unwrap_or_default()
    };
    let (ot, nt) = (top(old), top(new));
    let keys: BTreeSet<&String> = ot.keys().chain(nt.keys()).collect();
    for k in keys {
        if ot.get(k) != nt.get(k) {
            out.push(change(format!("~ {k} changed"), false));
        }
    }
    out
}

pub fn render(changes: &[Change]) -> String {
    let mut s = String::new();
    for c in changes {
        s.push_str("  ");
        s.push_str(&c.text);
        if c.breaking {
            s.push_str("  [BREAKING]");
        }
        s.push('\n');
    }
    let breaking = changes.iter().filter(|c| c.breaking).count();
    s.push_str(&format!(
        "  {} change(s), {breaking} breaking\n",
        changes.len()
    ));
    s
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_added_removed_retyped_and_requiredness() {
        let old: Value = serde_yaml::from_str(
            "paths: {/m: {post: {operationId: c}, delete: {operationId: d}}}\ncomponents: {schemas: {M: {required: [a], properties: {a: {type: string}, b: {type: string}, c: {type: integer}}}, Gone: {type: object}}}",
        )
        .unwrap();
        let new: Value = serde_yaml::from_str(
            "paths: {/m: {post: {operationId: c}, get: {operationId: l}}}\ncomponents: {schemas: {M: {required: [b], properties: {a: {type: string}, b: {type: string}, c: {type: string}, d: {type: boolean}}}}}",
        )
        .unwrap();
        let text = render(&diff(&old, &new));
        for line in [
            "+ operation GET /m (l)\n",
            "- operation DELETE /m (d)  [BREAKING]",
            "! M.a: required -> optional  [BREAKING]",
            "! M.b: optional -> required  [BREAKING]",
            "~ M.c: integer -> string  [BREAKING]",
            "+ M.d: boolean\n",
            "- schema Gone  [BREAKING]",
        ] {
            assert!(text.contains(line), "{line:?} not in\n{text}");
        }
    }
}
