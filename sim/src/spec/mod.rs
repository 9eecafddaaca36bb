//! An OpenAPI 3.0 spec compiled once into what the engine checks per
//! request: routes, security, media types, parameters and schemas.

pub mod path;
pub mod schema;

use serde_json::Value;

pub use path::Template;
pub use schema::{Kind, Schema};

/// A security requirement's scheme, as the engine checks it: MX's kinds
/// (`mx_specs::SchemeKind`), an API key's header name in lower case.
pub type Scheme = mx_specs::SchemeKind;

/// Where a parameter is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum In {
    Path,
    Query,
    Header,
}

#[derive(Debug, Clone)]
pub struct Param {
    pub name: String,
    pub location: In,
    pub required: bool,
    pub schema: Schema,
}

#[derive(Debug, Clone)]
pub struct Body {
    pub required: bool,
    /// The media types it may be sent in.
    pub media: Vec<String>,
    pub schema: Schema,
    /// The property the body wraps its record in (`{"member": {…}}`:
    /// `member`), if its schema has one; `None`: the body is the record.
    pub wrapper: Option<String>,
}

/// A documented answer.
#[derive(Debug, Clone)]
pub struct Answer {
    pub status: u16,
    /// The media type it is sent in (the first documented).
    pub media: Option<String>,
    /// Every media type it is documented in.
    pub media_types: Vec<String>,
    pub schema: Option<Schema>,
}

/// One operation of a spec.
#[derive(Debug, Clone)]
pub struct Operation {
    pub id: String,
    /// Upper case: `GET`, `POST`, …
    pub method: String,
    pub template: Template,
    /// Alternatives; each one a set of schemes that must all pass.
    pub security: Vec<Vec<Scheme>>,
    pub params: Vec<Param>,
    pub body: Option<Body>,
    /// The 2xx answers, lowest status first.
    pub answers: Vec<Answer>,
    /// Path parameters that take a guid or the partner's own id (MX's
    /// v20250224 `{user_identifier}`, compiled as `user_guid`).
    pub ids: Vec<String>,
}

impl Operation {
    /// The media types a client may ask for in `Accept` (the 2xx answers').
    pub fn accept(&self) -> impl Iterator<Item = &str> {
        self.answers
            .iter()
            .flat_map(|a| a.media_types.iter().map(String::as_str))
    }

    /// The documented answer for `status`, else the first 2xx with a body.
    pub fn answer(&self, status: u16) -> Option<&Answer> {
        self.answers
            .iter()
            .find(|a| a.status == status && a.schema.is_some())
            .or_else(|| self.answers.iter().find(|a| a.schema.is_some()))
    }
}

/// A compiled spec.
#[derive(Debug, Clone)]
pub struct Spec {
    pub operations: Vec<Operation>,
}

const METHODS: &[&str] = &["get", "put", "post", "delete", "patch", "head", "options"];

impl Spec {
    /// Parses and compiles spec text (YAML or JSON), with overlays merged
    /// over it in order, the way the code generator does (mappings key by
    /// key, overlay values win, sequences replaced).
    pub fn parse(text: &str, overlays: &[&str]) -> Result<Spec, String> {
        let mut doc: serde_yaml::Value =
            serde_yaml::from_str(text).map_err(|e| format!("the spec is not YAML: {e}"))?;
        for overlay in overlays {
            let layer: serde_yaml::Value = serde_yaml::from_str(overlay)
                .map_err(|e| format!("the overlay is not YAML: {e}"))?;
            mx_specs::merge(&mut doc, layer);
        }
        Ok(Spec::compile(&to_json(doc)))
    }

    /// Compiles a spec document.
    pub fn compile(doc: &Value) -> Spec {
        let schemes = doc.pointer("/components/securitySchemes");
        let global = security(doc.get("security"), schemes);
        let mut operations = Vec::new();
        let paths = doc.get("paths").and_then(Value::as_object);
        for (path, item) in paths.into_iter().flatten() {
            let shared = item.get("parameters");
            for method in METHODS {
                let Some(op) = item.get(*method) else {
                    continue;
                };
                let mut params: Vec<Param> = Vec::new();
                for p in [shared, op.get("parameters")]
                    .into_iter()
                    .flatten()
                    .filter_map(Value::as_array)
                    .flatten()
                {
                    let p = schema::resolve(doc, p);
                    let Some(param) = param(doc, p) else { continue };
                    params.retain(|q| q.name != param.name || q.location != param.location);
                    params.push(param);
                }
                let mut answers: Vec<Answer> = op
                    .get("responses")
                    .and_then(Value::as_object)
                    .into_iter()
                    .flatten()
                    .filter_map(|(code, r)| {
                        let status: u16 = code.parse().ok()?;
                        if !(200..300).contains(&status) {
                            return None;
                        }
                        let r = schema::resolve(doc, r);
                        let content = r.get("content").and_then(Value::as_object);
                        let media = content.and_then(|c| c.iter().next());
                        Some(Answer {
                            status,
                            media: media.map(|(m, _)| m.clone()),
                            media_types: content
                                .map(|c| c.keys().cloned().collect())
                                .unwrap_or_default(),
                            schema: media
                                .and_then(|(_, m)| m.get("schema"))
                                .map(|s| Schema::compile(doc, s)),
                        })
                    })
                    .collect();
                answers.sort_by_key(|a| a.status);
                let body = op
                    .get("requestBody")
                    .map(|b| request_body(doc, schema::resolve(doc, b), &answers));
                let (path, ids) = guid_names(path);
                for p in params.iter_mut().filter(|p| p.location == In::Path) {
                    if let Some(stem) = p.name.strip_suffix("_identifier") {
                        p.name = canonical_name(stem);
                    }
                }
                operations.push(Operation {
                    id: op
                        .get("operationId")
                        .and_then(Value::as_str)
                        .map(str::to_string)
                        .unwrap_or_else(|| format!("{method} {path}")),
                    method: method.to_uppercase(),
                    template: Template::parse(&path),
                    security: match op.get("security") {
                        Some(s) => security(Some(s), schemes),
                        None => global.clone(),
                    },
                    params,
                    body,
                    answers,
                    ids,
                });
            }
        }
        Spec { operations }
    }

    /// The operations `path` matches, the most specific template first.
    pub fn matching(&self, path: &str) -> Vec<(&Operation, Vec<(String, String)>)> {
        let mut best: Option<u32> = None;
        let mut found = Vec::new();
        let n = path.split('/').filter(|s| !s.is_empty()).count();
        for op in &self.operations {
            if op.template.segments.len() != n {
                continue;
            }
            if let Some((score, params)) = op.template.matches(path) {
                match best {
                    Some(b) if score < b => continue,
                    Some(b) if score > b => found.clear(),
                    _ => {}
                }
                best = Some(score);
                found.push((op, params));
            }
        }
        found
    }
}

/// MX's v20250224 names path parameters `{user_identifier}`,
/// `{member_identifier}`, … ("a guid or the partner's id") and
/// `{institution_identifier}` ("the `institution_code` or the institution
/// `guid`"); v20111101 and Atrium name the same ones `{user_guid}`,
/// `{member_guid}`, `{institution_code}`. The template is compiled with
/// those names, so that one set of MX's rules serves every version; returns
/// it with the renamed parameters, whose values the engine resolves.
fn guid_names(path: &str) -> (String, Vec<String>) {
    let mut ids = Vec::new();
    let text = path
        .split('/')
        .map(|seg| {
            match seg
                .strip_prefix('{')
                .and_then(|s| s.strip_suffix('}'))
                .and_then(|s| s.strip_suffix("_identifier"))
            {
                Some(stem) => {
                    let name = canonical_name(stem);
                    let seg = format!("{{{name}}}");
                    ids.push(name);
                    seg
                }
                None => seg.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    (text, ids)
}

/// The name v20111101 gives the parameter v20250224 calls
/// `{stem}_identifier`.
fn canonical_name(stem: &str) -> String {
    match stem {
        "institution" => "institution_code".to_string(),
        _ => format!("{stem}_guid"),
    }
}

/// A request body, compiled.
fn request_body(doc: &Value, b: &Value, answers: &[Answer]) -> Body {
    let content = b.get("content").and_then(Value::as_object);
    let schema = content
        .and_then(|c| c.values().find_map(|m| m.get("schema")))
        .map(|s| Schema::compile(doc, s))
        .unwrap_or(Schema::ANY);
    Body {
        required: b.get("required").and_then(Value::as_bool).unwrap_or(false),
        media: content
            .map(|c| c.keys().cloned().collect())
            .unwrap_or_default(),
        wrapper: wrapper(&schema, answers),
        schema,
    }
}

/// The property a body schema wraps its record in: its only object-typed
/// property, or (a body with others beside it, such as v20250224's
/// `data_request` beside `member`) the one the first documented answer
/// wraps its record in too.
fn wrapper(body: &Schema, answers: &[Answer]) -> Option<String> {
    let objects = body.object_properties();
    if let [only] = objects.as_slice() {
        return Some(only.to_string());
    }
    let answered = answers
        .iter()
        .find_map(|a| a.schema.as_ref())
        .map(Schema::object_properties)
        .unwrap_or_default();
    objects
        .into_iter()
        .find(|k| answered.contains(k))
        .map(str::to_string)
}

fn param(doc: &Value, p: &Value) -> Option<Param> {
    let location = match p.get("in")?.as_str()? {
        "path" => In::Path,
        "query" => In::Query,
        "header" => In::Header,
        _ => return None,
    };
    Some(Param {
        name: p.get("name")?.as_str()?.to_string(),
        location,
        required: p.get("required").and_then(Value::as_bool).unwrap_or(false),
        schema: p
            .get("schema")
            .map(|s| Schema::compile(doc, s))
            .unwrap_or(Schema::ANY),
    })
}

fn security(reqs: Option<&Value>, schemes: Option<&Value>) -> Vec<Vec<Scheme>> {
    let Some(reqs) = reqs.and_then(Value::as_array) else {
        return Vec::new();
    };
    reqs.iter()
        .filter_map(Value::as_object)
        .map(|req| {
            req.keys()
                .filter_map(|name| match mx_specs::scheme_kind(schemes?.get(name)?)? {
                    Scheme::Header(h) => Some(Scheme::Header(h.to_ascii_lowercase())),
                    kind => Some(kind),
                })
                .collect()
        })
        .collect()
}

/// YAML to JSON, with every mapping key as a string (`200:` → `"200"`).
fn to_json(v: serde_yaml::Value) -> Value {
    use serde_yaml::Value as Y;
    match v {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => serde_json::to_value(n).unwrap_or(Value::Null),
        Y::String(s) => Value::String(s),
        Y::Sequence(s) => Value::Array(s.into_iter().map(to_json).collect()),
        Y::Mapping(m) => Value::Object(
            m.into_iter()
                .map(|(k, v)| {
                    let key = match k {
                        Y::String(s) => s,
                        Y::Number(n) => n.to_string(),
                        Y::Bool(b) => b.to_string(),
                        other => serde_yaml::to_string(&other)
                            .unwrap_or_default()
                            .trim()
                            .to_string(),
                    };
                    (key, to_json(v))
                })
                .collect(),
        ),
        Y::Tagged(t) => to_json(t.value),
    }
}
