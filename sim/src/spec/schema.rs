//! A compact schema tree compiled once from an OpenAPI schema (with its
//! `$ref`s resolved), so that validating a request and shaping an answer
//! are cheap walks.

use indexmap::IndexMap;
use serde_json::Value;

/// How deep `$ref`s are followed: a recursive schema stops there (as `Any`).
const MAX_DEPTH: usize = 24;

/// One compiled schema.
#[derive(Debug, Clone)]
pub struct Schema {
    pub nullable: bool,
    pub kind: Kind,
}

/// What a schema admits.
#[derive(Debug, Clone)]
pub enum Kind {
    Any,
    Object {
        properties: IndexMap<String, Schema>,
        required: Vec<String>,
    },
    Array(Box<Schema>),
    String {
        values: Option<Vec<String>>,
        binary: bool,
        /// The spec's `example`, for building valid requests.
        example: Option<String>,
    },
    Integer {
        min: Option<f64>,
        max: Option<f64>,
    },
    Number {
        min: Option<f64>,
        max: Option<f64>,
    },
    Boolean,
    /// `oneOf` / `anyOf`: any one of them.
    OneOf(Vec<Schema>),
}

impl Schema {
    pub const ANY: Schema = Schema {
        nullable: true,
        kind: Kind::Any,
    };

    /// Compiles `schema` of the document `doc` (for its `$ref`s).
    pub fn compile(doc: &Value, schema: &Value) -> Schema {
        compile(doc, schema, 0)
    }

    /// Checks `value`; `Err` names the first wrong place (`at` is its path).
    pub fn validate(&self, value: &Value, at: &str) -> Result<(), String> {
        if value.is_null() {
            return if self.nullable || matches!(self.kind, Kind::Any) {
                Ok(())
            } else {
                Err(format!("{} must not be null", shown(at)))
            };
        }
        match &self.kind {
            Kind::Any => Ok(()),
            Kind::Object {
                properties,
                required,
            } => {
                let Some(obj) = value.as_object() else {
                    return Err(wrong(at, "an object", value));
                };
                if let Some(missing) = required.iter().find(|r| !obj.contains_key(*r)) {
                    return Err(format!("{} is required", join(at, missing)));
                }
                for (key, v) in obj {
                    if let Some(s) = properties.get(key) {
                        // An optional scalar or object may be null on the
                        // wire, an optional array may not (the Atrium
                        // spec's stated assumptions).
                        if v.is_null()
                            && !required.contains(key)
                            && !matches!(s.kind, Kind::Array(_))
                        {
                            continue;
                        }
                        s.validate(v, &join(at, key))?;
                    }
                }
                Ok(())
            }
            Kind::Array(items) => {
                let Some(list) = value.as_array() else {
                    return Err(wrong(at, "an array", value));
                };
                for (i, v) in list.iter().enumerate() {
                    items.validate(v, &format!("{at}[{i}]"))?;
                }
                Ok(())
            }
            Kind::String { values, .. } => {
                let Some(s) = value.as_str() else {
                    return Err(wrong(at, "a string", value));
                };
                match values {
                    Some(vs) if !vs.iter().any(|v| v == s) => Err(format!(
                        "{} must be one of {}, not {s:?}",
                        shown(at),
                        vs.join(", ")
                    )),
                    _ => Ok(()),
                }
            }
            Kind::Integer { min, max } => match value.as_f64() {
                Some(n) if value.is_i64() => bounds(at, n, *min, *max),
                // An integer, but not one of 64 bits (the simulator's, and
                // the clients' `i64`, integers).
                Some(n) if value.is_u64() || (n.fract() == 0.0 && n.abs() >= 2f64.powi(63)) => {
                    Err(out_of_range(at, value))
                }
                _ => Err(wrong(at, "an integer", value)),
            },
            Kind::Number { min, max } => match value.as_f64() {
                Some(n) => bounds(at, n, *min, *max),
                None => Err(wrong(at, "a number", value)),
            },
            Kind::Boolean => match value {
                Value::Bool(_) => Ok(()),
                _ => Err(wrong(at, "a boolean", value)),
            },
            Kind::OneOf(options) => {
                let mut first = None;
                for o in options {
                    match o.validate(value, at) {
                        Ok(()) => return Ok(()),
                        Err(e) => {
                            first.get_or_insert(e);
                        }
                    }
                }
                Err(first.unwrap_or_else(|| format!("{} matches no schema", shown(at))))
            }
        }
    }

    /// `value` in this schema's shape: every property present (null, or `[]`
    /// for arrays, where `value` has none), nothing the schema lacks. Moves
    /// the values it keeps rather than copying them.
    ///
    /// A nested object with no data is `null`, never an object whose every
    /// field is null, where its schema allows that (`nullable`, or an
    /// optional property: absent, which the simulator answers as `null` as
    /// it does for every optional field): a hollow object is not a record
    /// (the Platform's transaction `geolocation`, `merchant`, …: an
    /// all-null one breaks their enums and `anyOf`). Only a required,
    /// non-nullable object with no data is filled with nulls.
    pub fn shape(&self, value: Option<Value>) -> Value {
        match (&self.kind, value) {
            (
                Kind::Object {
                    properties,
                    required,
                },
                Some(Value::Object(mut src)),
            ) => Value::Object(
                properties
                    .iter()
                    .map(|(key, s)| {
                        let shaped = s.shape(src.remove(key));
                        let hollow = s.is_object()
                            && is_hollow(&shaped)
                            && (s.nullable || !required.contains(key));
                        (key.clone(), if hollow { Value::Null } else { shaped })
                    })
                    .collect(),
            ),
            (Kind::Object { .. }, None | Some(Value::Null)) => {
                self.shape(Some(Value::Object(serde_json::Map::new())))
            }
            (Kind::Array(items), Some(Value::Array(list))) => {
                Value::Array(list.into_iter().map(|v| items.shape(Some(v))).collect())
            }
            (Kind::Array(_), None | Some(Value::Null)) => Value::Array(Vec::new()),
            (Kind::OneOf(options), value) => match options.first() {
                Some(o) if matches!(o.kind, Kind::Object { .. }) => o.shape(value),
                _ => value.unwrap_or(Value::Null),
            },
            // A request may send a number as text (the Platform's managed
            // transactions: `amount: "61.11"`) where the answer documents a
            // number: answered as the number, or null when it is none.
            (Kind::Number { .. }, Some(Value::String(s))) => s
                .trim()
                .parse::<f64>()
                .ok()
                .and_then(serde_json::Number::from_f64)
                .map_or(Value::Null, Value::Number),
            (Kind::Integer { .. }, Some(Value::String(s))) => {
                s.trim().parse::<i64>().map_or(Value::Null, Value::from)
            }
            // A request may send a fraction where the answer documents an
            // integer (the Platform's iteration items: `item_type` a number
            // in the create body, an integer code in the answer): answered
            // as the integer it is, or null when it is none.
            (Kind::Integer { .. }, Some(Value::Number(n))) if !n.is_i64() => n
                .as_f64()
                .filter(|f| f.fract() == 0.0 && f.abs() < 2f64.powi(63))
                .map_or(Value::Null, |f| Value::from(f as i64)),
            (_, value) => value.unwrap_or(Value::Null),
        }
    }

    /// A value this schema accepts, with every property filled (for tests and
    /// for building valid requests from a spec).
    pub fn example(&self) -> Value {
        match &self.kind {
            Kind::Any => Value::Null,
            Kind::Object { properties, .. } => Value::Object(
                properties
                    .iter()
                    .map(|(k, s)| (k.clone(), s.example()))
                    .collect(),
            ),
            Kind::Array(items) => Value::Array(vec![items.example()]),
            Kind::String {
                values, example, ..
            } => match (values.as_ref().and_then(|v| v.first()), example) {
                (Some(v), _) | (None, Some(v)) => Value::String(v.clone()),
                (None, None) => Value::String("example".into()),
            },
            Kind::Integer { min, .. } => Value::from(min.unwrap_or(1.0) as i64),
            Kind::Number { min, .. } => Value::from(min.unwrap_or(1.5)),
            Kind::Boolean => Value::Bool(false),
            Kind::OneOf(o) => o.first().map(Schema::example).unwrap_or(Value::Null),
        }
    }

    /// The object-typed properties of an object schema, in the spec's order.
    pub fn object_properties(&self) -> Vec<&str> {
        match &self.kind {
            Kind::Object { properties, .. } => properties
                .iter()
                .filter(|(_, s)| matches!(s.kind, Kind::Object { .. }))
                .map(|(k, _)| k.as_str())
                .collect(),
            _ => Vec::new(),
        }
    }

    /// Is it an object, or a choice whose first option is one (what
    /// [`Schema::shape`] fills field by field)?
    fn is_object(&self) -> bool {
        match &self.kind {
            Kind::Object { .. } => true,
            Kind::OneOf(options) => options.first().is_some_and(Schema::is_object),
            _ => false,
        }
    }

    /// The property names of an object schema, in the spec's order.
    pub fn property_names(&self) -> Vec<&str> {
        match &self.kind {
            Kind::Object { properties, .. } => properties.keys().map(String::as_str).collect(),
            _ => Vec::new(),
        }
    }
}

/// An object whose every field is null (and that has one at least).
fn is_hollow(v: &Value) -> bool {
    v.as_object()
        .is_some_and(|o| !o.is_empty() && o.values().all(Value::is_null))
}

fn bounds(at: &str, n: f64, min: Option<f64>, max: Option<f64>) -> Result<(), String> {
    if min.is_some_and(|m| n < m) || max.is_some_and(|m| n > m) {
        return Err(format!(
            "{} must be within {}..={}, not {n}",
            shown(at),
            min.map_or("".into(), |m| m.to_string()),
            max.map_or("".into(), |m| m.to_string())
        ));
    }
    Ok(())
}

/// The refusal of an integer beyond 64 bits.
pub fn out_of_range(at: &str, value: impl std::fmt::Display) -> String {
    format!(
        "{} is out of range: {value} is not a 64-bit integer ({}..={})",
        shown(at),
        i64::MIN,
        i64::MAX
    )
}

fn shown(at: &str) -> &str {
    if at.is_empty() {
        "the body"
    } else {
        at
    }
}

fn join(at: &str, key: &str) -> String {
    if at.is_empty() {
        key.to_string()
    } else {
        format!("{at}.{key}")
    }
}

fn wrong(at: &str, expected: &str, got: &Value) -> String {
    let kind = match got {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    };
    format!("{} must be {expected}, not {kind}", shown(at))
}

/// Follows a local `$ref` (`#/components/schemas/X`).
pub fn resolve<'a>(doc: &'a Value, v: &'a Value) -> &'a Value {
    let mut v = v;
    for _ in 0..MAX_DEPTH {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => match r.strip_prefix('#').and_then(|p| doc.pointer(p)) {
                Some(target) => v = target,
                None => return v,
            },
            None => return v,
        }
    }
    v
}

fn compile(doc: &Value, schema: &Value, depth: usize) -> Schema {
    if depth > MAX_DEPTH {
        return Schema::ANY;
    }
    let s = resolve(doc, schema);
    let nullable = s.get("nullable").and_then(Value::as_bool).unwrap_or(false);
    let num = |k: &str| s.get(k).and_then(Value::as_f64);
    if let Some(all) = s.get("allOf").and_then(Value::as_array) {
        let mut properties = IndexMap::new();
        let mut required = Vec::new();
        for part in all {
            if let Kind::Object {
                properties: p,
                required: r,
            } = compile(doc, part, depth + 1).kind
            {
                properties.extend(p);
                required.extend(r);
            }
        }
        return Schema {
            nullable,
            kind: Kind::Object {
                properties,
                required,
            },
        };
    }
    if let Some(any) = s
        .get("oneOf")
        .or_else(|| s.get("anyOf"))
        .and_then(Value::as_array)
    {
        let options = any.iter().map(|o| compile(doc, o, depth + 1)).collect();
        return Schema {
            nullable,
            kind: Kind::OneOf(options),
        };
    }
    let kind = match s.get("type").and_then(Value::as_str) {
        Some("object") => object(doc, s, depth),
        None if s.get("properties").is_some() => object(doc, s, depth),
        Some("array") => Kind::Array(Box::new(
            s.get("items")
                .map(|i| compile(doc, i, depth + 1))
                .unwrap_or(Schema::ANY),
        )),
        Some("string") => Kind::String {
            values: s.get("enum").and_then(Value::as_array).map(|vs| {
                vs.iter()
                    .filter_map(|v| v.as_str().map(str::to_string))
                    .collect()
            }),
            binary: s.get("format").and_then(Value::as_str) == Some("binary"),
            example: s.get("example").and_then(Value::as_str).map(str::to_string),
        },
        Some("integer") => Kind::Integer {
            min: num("minimum"),
            max: num("maximum"),
        },
        Some("number") => Kind::Number {
            min: num("minimum"),
            max: num("maximum"),
        },
        Some("boolean") => Kind::Boolean,
        _ => Kind::Any,
    };
    Schema { nullable, kind }
}

fn object(doc: &Value, s: &Value, depth: usize) -> Kind {
    let properties = s
        .get("properties")
        .and_then(Value::as_object)
        .map(|props| {
            props
                .iter()
                .map(|(k, v)| (k.clone(), compile(doc, v, depth + 1)))
                .collect()
        })
        .unwrap_or_default();
    let required = s
        .get("required")
        .and_then(Value::as_array)
        .map(|r| {
            r.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    Kind::Object {
        properties,
        required,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn compiled() -> Schema {
        let doc = json!({ "components": { "schemas": {
            "User": { "type": "object", "required": ["guid"], "properties": {
                "guid": { "type": "string" },
                "age": { "type": "integer", "minimum": 0 },
                "tags": { "type": "array", "items": { "type": "string", "enum": ["a", "b"] } },
                "home": { "$ref": "#/components/schemas/Home" },
            } },
            "Home": { "type": "object", "properties": { "city": { "type": "string" } } },
        } } });
        Schema::compile(&doc, &json!({ "$ref": "#/components/schemas/User" }))
    }

    #[test]
    fn shaping_fills_every_property_and_drops_the_rest() {
        let shaped = compiled().shape(Some(
            json!({ "guid": "USR-1", "secret": "x", "home": { "city": "Lehi", "zip": 1 } }),
        ));
        assert_eq!(
            shaped,
            json!({ "guid": "USR-1", "age": null, "tags": [], "home": { "city": "Lehi" } })
        );
    }

    /// An optional (or nullable) nested object without data is null, not
    /// an object of nulls; a required one is filled.
    #[test]
    fn a_nested_object_without_data_is_null_unless_required() {
        let s = compiled();
        for home in [json!({}), json!({ "city": null }), Value::Null] {
            let shaped = s.shape(Some(json!({ "guid": "USR-1", "home": home })));
            assert_eq!(shaped["home"], Value::Null, "{shaped}");
        }
        assert_eq!(s.shape(None)["home"], Value::Null);
        let doc = json!({});
        let required = Schema::compile(
            &doc,
            &json!({ "type": "object", "required": ["home"], "properties": {
                "home": { "type": "object", "properties": { "city": { "type": "string" } } },
            } }),
        );
        assert_eq!(required.shape(None), json!({ "home": { "city": null } }));
    }

    #[test]
    fn validation_names_the_first_wrong_place() {
        let s = compiled();
        assert!(s
            .validate(&json!({ "guid": "g", "age": null, "home": null }), "")
            .is_ok());
        for (v, why) in [
            (json!([]), "the body must be an object, not an array"),
            (json!({}), "guid is required"),
            (json!({ "guid": 1 }), "guid must be a string, not a number"),
            (json!({ "guid": "g", "age": -1 }), "age must be within 0..="),
            (json!({ "guid": "g", "age": 1.5 }), "age must be an integer"),
            (
                json!({ "guid": "g", "tags": ["c"] }),
                "tags[0] must be one of a, b",
            ),
            (
                json!({ "guid": "g", "tags": null }),
                "tags must not be null",
            ),
            (
                json!({ "guid": "g", "home": "x" }),
                "home must be an object",
            ),
        ] {
            let e = s.validate(&v, "").unwrap_err();
            assert!(e.starts_with(why), "{v}: {e}");
        }
    }
}
