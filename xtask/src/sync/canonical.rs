//! The canonical form of a spec: the same document always gives the same
//! bytes. Keyword objects list their keys in OpenAPI's conventional order
//! (extensions last, alphabetically); name maps (paths, schemas,
//! properties, responses, media types, …) list theirs alphabetically;
//! sequences keep their order (it means something).

use serde_yaml::{Mapping, Value};

/// Keys whose mapping value is keyed by names, not keywords.
const NAME_MAPS: &[&str] = &[
    "paths",
    "properties",
    "schemas",
    "responses",
    "parameters",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
    "examples",
    "content",
    "encoding",
    "variables",
    "mapping",
];

/// Keywords in their conventional order.
const KEYWORDS: &[&str] = &[
    "openapi",
    "info",
    "title",
    "summary",
    "description",
    "termsOfService",
    "contact",
    "license",
    "version",
    "name",
    "email",
    "url",
    "in",
    "servers",
    "security",
    "tags",
    "externalDocs",
    "operationId",
    "parameters",
    "get",
    "put",
    "post",
    "delete",
    "options",
    "head",
    "patch",
    "trace",
    "requestBody",
    "responses",
    "callbacks",
    "deprecated",
    "required",
    "allowEmptyValue",
    "style",
    "explode",
    "allowReserved",
    "$ref",
    "type",
    "format",
    "nullable",
    "readOnly",
    "writeOnly",
    "enum",
    "default",
    "minimum",
    "maximum",
    "minLength",
    "maxLength",
    "pattern",
    "items",
    "minItems",
    "maxItems",
    "uniqueItems",
    "properties",
    "additionalProperties",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "discriminator",
    "content",
    "schema",
    "example",
    "examples",
    "encoding",
    "headers",
    "links",
    "paths",
    "components",
    "schemas",
    "securitySchemes",
];

fn rank(key: &str) -> usize {
    KEYWORDS
        .iter()
        .position(|k| *k == key)
        .unwrap_or(KEYWORDS.len())
}

fn key_str(k: &Value) -> String {
    match k {
        Value::String(s) => s.clone(),
        other => serde_yaml::to_string(other)
            .unwrap_or_default()
            .trim()
            .to_string(),
    }
}

pub fn canonicalize(v: Value) -> Value {
    canon(v, false)
}

fn canon(v: Value, names: bool) -> Value {
    match v {
        Value::Mapping(m) => {
            let mut entries: Vec<(Value, Value)> = m
                .into_iter()
                .map(|(k, v)| {
                    let child_names =
                        !names && NAME_MAPS.contains(&key_str(&k).as_str()) && v.is_mapping();
                    (k, canon(v, child_names))
                })
                .collect();
            if names {
                entries.sort_by_key(|(k, _)| key_str(k));
            } else {
                entries.sort_by_key(|(k, _)| {
                    let s = key_str(k);
                    (rank(&s), s)
                });
            }
            Value::Mapping(entries.into_iter().collect::<Mapping>())
        }
        Value::Sequence(items) => {
            Value::Sequence(items.into_iter().map(|i| canon(i, false)).collect())
        }
        other => other,
    }
}

/// The canonical YAML text: two-space indentation, as serde_yaml writes it.
pub fn to_yaml(v: &Value) -> Result<String, String> {
    serde_yaml::to_string(v).map_err(|e| format!("cannot write the spec as YAML: {e}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_are_ordered_and_the_bytes_are_stable() {
        let a: Value = serde_yaml::from_str(
            "paths:\n  /b: {post: {responses: {'400': {description: x}, '200': {description: y}}, operationId: c}, get: {operationId: l}}\n  /a: {}\ninfo: {version: '1', title: T}\nopenapi: 3.0.0\nx-extra: 1\ncomponents: {schemas: {Z: {type: object}, A: {properties: {type: {type: string}, name: {type: string}}, type: object}}}\n",
        )
        .unwrap();
        let text = to_yaml(&canonicalize(a.clone())).unwrap();
        let top: Vec<&str> = text.lines().filter(|l| !l.starts_with(' ')).collect();
        assert_eq!(
            top,
            [
                "openapi: 3.0.0",
                "info:",
                "paths:",
                "components:",
                "x-extra: 1"
            ]
        );
        assert!(text.find("/a:").unwrap() < text.find("/b:").unwrap());
        assert!(text.find("get:").unwrap() < text.find("post:").unwrap());
        assert!(text.find("'200'").unwrap() < text.find("'400'").unwrap());
        // Property names are names, even `type`: alphabetical.
        assert!(text.find("name:").unwrap() < text.find("      type:\n").unwrap_or(usize::MAX));
        let again = to_yaml(&canonicalize(serde_yaml::from_str(&text).unwrap())).unwrap();
        assert_eq!(text, again);
        assert_eq!(
            canonicalize(a.clone()),
            a,
            "canonical form is the same document"
        );
    }
}
