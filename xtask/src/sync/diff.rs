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

/// The change of a field or parameter that is now required (or no longer).
fn requiredness(now_required: bool) -> &'static str {
    if now_required {
        "optional -> required"
    } else {
        "required -> optional"
    }
}

/// An operation's parameters as `in name` → (required, type).
fn parameters(op: &Value) -> BTreeMap<String, (bool, String)> {
    op.get("parameters")
        .and_then(Value::as_sequence)
        .map(|ps| {
            ps.iter()
                .map(|p| match p.get("$ref").and_then(Value::as_str) {
                    Some(r) => (format!("ref {r}"), (false, String::new())),
                    None => (
                        format!(
                            "{} {}",
                            p.get("in").and_then(Value::as_str).unwrap_or("?"),
                            p.get("name").and_then(Value::as_str).unwrap_or("?")
                        ),
                        (
                            p.get("required").and_then(Value::as_bool) == Some(true),
                            p.get("schema").map(type_of).unwrap_or_default(),
                        ),
                    ),
                })
                .collect()
        })
        .unwrap_or_default()
}

/// The schema of each media type of a request body or response.
fn contents(v: Option<&Value>) -> BTreeMap<String, String> {
    named(v.and_then(|v| v.get("content")))
        .into_iter()
        .map(|(media, c)| (media, c.get("schema").map(type_of).unwrap_or_default()))
        .collect()
}

/// What changed in one operation: its id (the generated method's name), its
/// parameters, its request body and its responses.
fn diff_operation(key: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let id = |op: &Value| {
        op.get("operationId")
            .and_then(Value::as_str)
            .unwrap_or("?")
            .to_string()
    };
    let (oid, nid) = (id(old), id(new));
    let at = format!("operation {key} ({nid})");
    if oid != nid {
        out.push(change(
            format!("~ operation {key}: operationId {oid} -> {nid}"),
            true,
        ));
    }
    let (op, np) = (parameters(old), parameters(new));
    for (name, (req, ty)) in &np {
        match op.get(name) {
            None => out.push(change(
                format!(
                    "+ {at}: parameter {name}{}",
                    if *req { ", required" } else { "" }
                ),
                *req,
            )),
            Some((oreq, oty)) => {
                if oty != ty {
                    out.push(change(
                        format!("~ {at}: parameter {name}: {oty} -> {ty}"),
                        true,
                    ));
                }
                if oreq != req {
                    out.push(change(
                        format!("! {at}: parameter {name}: {}", requiredness(*req)),
                        *req,
                    ));
                }
            }
        }
    }
    for name in op.keys().filter(|n| !np.contains_key(*n)) {
        out.push(change(format!("- {at}: parameter {name}"), true));
    }
    let (ob, nb) = (old.get("requestBody"), new.get("requestBody"));
    let (obc, nbc) = (contents(ob), contents(nb));
    if obc != nbc {
        out.push(change(
            format!("~ {at}: request body {obc:?} -> {nbc:?}"),
            true,
        ));
    }
    let (or, nr) = (named(old.get("responses")), named(new.get("responses")));
    for (status, r) in &nr {
        match or.get(status) {
            None => out.push(change(format!("+ {at}: response {status}"), false)),
            Some(p) => {
                let (was, is) = (contents(Some(p)), contents(Some(r)));
                if was != is {
                    out.push(change(
                        format!("~ {at}: response {status} {was:?} -> {is:?}"),
                        true,
                    ));
                }
            }
        }
    }
    for status in or.keys().filter(|s| !nr.contains_key(*s)) {
        let success = status.starts_with('2');
        out.push(change(format!("- {at}: response {status}"), success));
    }
    // Anything else (descriptions, tags, examples) changes no code.
}

/// Compares the properties of two versions of a schema, `at` naming it
/// (`Member`, or `MemberCreateRequest.credentials[]` for an inline one),
/// and goes down into inline objects and arrays of them.
fn diff_properties(at: &str, old: &Value, new: &Value, out: &mut Vec<Change>) {
    let (op, np) = (properties(old), properties(new));
    let (or, nr) = (required(old), required(new));
    for (field, s) in &np {
        match op.get(field) {
            None => {
                let req = nr.contains(field);
                out.push(change(
                    format!(
                        "+ {at}.{field}: {}{}",
                        type_of(s),
                        if req { ", required" } else { "" }
                    ),
                    req,
                ));
            }
            Some(p) if type_of(p) != type_of(s) => out.push(change(
                format!("~ {at}.{field}: {} -> {}", type_of(p), type_of(s)),
                true,
            )),
            Some(p) => {
                // Same type: look inside an inline object or array items.
                if p.get("properties").is_some() || s.get("properties").is_some() {
                    diff_properties(&format!("{at}.{field}"), p, s, out);
                }
                if let (Some(pi), Some(si)) = (p.get("items"), s.get("items")) {
                    if pi.get("properties").is_some() || si.get("properties").is_some() {
                        diff_properties(&format!("{at}.{field}[]"), pi, si, out);
                    }
                }
            }
        }
        if op.contains_key(field) && or.contains(field) != nr.contains(field) {
            out.push(change(
                format!("! {at}.{field}: {}", requiredness(nr.contains(field))),
                true,
            ));
        }
    }
    for field in op.keys() {
        if !np.contains_key(field) {
            out.push(change(format!("- {at}.{field}"), true));
        }
    }
}

pub fn diff(old: &Value, new: &Value) -> Vec<Change> {
    let mut out = Vec::new();
    let (oo, no) = (operations(old), operations(new));
    for (k, op) in &no {
        let id = op.get("operationId").and_then(Value::as_str).unwrap_or("?");
        match oo.get(k) {
            None => out.push(change(format!("+ operation {k} ({id})"), false)),
            Some(prev) if prev != op => diff_operation(k, prev, op, &mut out),
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
        match os.get(name) {
            None => out.push(change(format!("+ schema {name}"), false)),
            Some(prev) if prev != schema => diff_properties(name, prev, schema, &mut out),
            Some(_) => {}
        }
    }
    for name in os.keys() {
        if !ns.contains_key(name) {
            out.push(change(format!("- schema {name}"), true));
        }
    }

    // The other components (parameters, responses, security schemes…): a
    // change there may change the code, so it is named.
    let sections = |v: &Value| -> BTreeMap<String, Value> {
        named(v.get("components"))
            .into_iter()
            .filter(|(k, _)| k != "schemas")
            .collect()
    };
    let (oc, nc) = (sections(old), sections(new));
    for section in oc.keys().chain(nc.keys()).collect::<BTreeSet<_>>() {
        let (a, b) = (named(oc.get(section)), named(nc.get(section)));
        for item in a.keys().chain(b.keys()).collect::<BTreeSet<_>>() {
            match (a.get(item), b.get(item)) {
                (None, Some(_)) => {
                    out.push(change(format!("+ components.{section}.{item}"), false))
                }
                (Some(_), None) => out.push(change(format!("- components.{section}.{item}"), true)),
                (Some(x), Some(y)) if x != y => out.push(change(
                    format!("~ components.{section}.{item} changed"),
                    false,
                )),
                _ => {}
            }
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

    #[test]
    fn inline_objects_operations_and_other_components_are_looked_into() {
        let old: Value = serde_yaml::from_str(
            "paths: {/m: {post: {operationId: c, parameters: [{in: header, name: X-A, schema: {type: string}}], responses: {'200': {content: {application/json: {schema: {$ref: '#/components/schemas/M'}}}}, '400': {description: bad}}}}}\ncomponents: {schemas: {M: {properties: {creds: {type: array, items: {type: object, properties: {guid: {type: string}, value: {type: string}}}}}}}, securitySchemes: {k: {type: apiKey, in: header, name: K}}}",
        )
        .unwrap();
        let new: Value = serde_yaml::from_str(
            "paths: {/m: {post: {operationId: create, parameters: [{in: query, name: q, required: true, schema: {type: string}}], responses: {'200': {content: {application/json: {schema: {$ref: '#/components/schemas/N'}}}}, '409': {description: dup}}}}}\ncomponents: {schemas: {M: {properties: {creds: {type: array, items: {type: object, properties: {guid: {type: integer}}}}}}}, securitySchemes: {k: {type: apiKey, in: header, name: K2}}}",
        )
        .unwrap();
        let text = render(&diff(&old, &new));
        for line in [
            "~ operation POST /m: operationId c -> create  [BREAKING]",
            "+ operation POST /m (create): parameter query q, required  [BREAKING]",
            "- operation POST /m (create): parameter header X-A  [BREAKING]",
            "~ operation POST /m (create): response 200",
            "+ operation POST /m (create): response 409\n",
            "- operation POST /m (create): response 400\n",
            "~ M.creds[].guid: string -> integer  [BREAKING]",
            "- M.creds[].value  [BREAKING]",
            "~ components.securitySchemes.k changed\n",
        ] {
            assert!(text.contains(line), "{line:?} not in\n{text}");
        }
    }
}
