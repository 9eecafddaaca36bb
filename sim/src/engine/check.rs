//! The checks every request goes through, in order: security (401),
//! `Accept` (406), `Content-Type` (415), parameters (400), body (400).

use std::num::IntErrorKind;

use axum::http::{header, HeaderMap};
use base64::Engine as _;
use serde_json::{Map, Value};

use super::call::Fail;
use super::rules::{Credential, Rules};
use crate::api::ApiDef;
use crate::spec::schema::out_of_range;
use crate::spec::{In, Kind, Operation, Param, Schema, Scheme};

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

/// The credential a request presents for `scheme`, if any.
fn presented<'a>(
    scheme: &'a Scheme,
    headers: &'a HeaderMap,
    basic: &'a Option<String>,
) -> Option<Credential<'a>> {
    match scheme {
        Scheme::Header(name) => {
            header(headers, name).map(|value| Credential::Header { name, value })
        }
        Scheme::Basic => {
            let (user, password) = basic.as_deref()?.split_once(':')?;
            Some(Credential::Basic { user, password })
        }
        Scheme::Bearer => header(headers, "authorization")
            .and_then(|v| v.strip_prefix("Bearer "))
            .map(|t| Credential::Bearer(t.trim())),
    }
}

/// Does one of the operation's security alternatives pass? The rules say
/// whether a presented credential is valid.
pub fn security(
    op: &Operation,
    headers: &HeaderMap,
    api: &ApiDef,
    rules: &dyn Rules,
) -> Result<(), Fail> {
    if op.security.is_empty() {
        return Ok(());
    }
    let basic = header(headers, "authorization")
        .and_then(|v| v.strip_prefix("Basic "))
        .and_then(|b| {
            base64::engine::general_purpose::STANDARD
                .decode(b.trim())
                .ok()
        })
        .and_then(|d| String::from_utf8(d).ok());
    let passes = |scheme: &Scheme| {
        presented(scheme, headers, &basic).is_some_and(|c| rules.accepts(api, op, &c))
    };
    if op.security.iter().any(|alt| alt.iter().all(passes)) {
        return Ok(());
    }
    let names: Vec<String> = op.security[0]
        .iter()
        .map(|s| match s {
            Scheme::Header(n) => n.to_ascii_uppercase(),
            Scheme::Basic => "Authorization (Basic)".into(),
            Scheme::Bearer => "Authorization (Bearer)".into(),
        })
        .collect();
    Err(Fail::new(
        401,
        format!("{} is missing or invalid", names.join(" or ")),
    ))
}

/// Does `Accept` name one of the operation's answer media types?
pub fn accept(op: &Operation, headers: &HeaderMap, api: &ApiDef) -> Result<(), Fail> {
    let mut wanted: Vec<&str> = op
        .accept()
        .map(|m| mx_specs::accept_for(m, api.json_accept()))
        .collect();
    if wanted.is_empty() {
        wanted.push(api.json_media);
    }
    let ok = headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(mx_specs::essence)
        .any(|m| wanted.iter().any(|w| w.eq_ignore_ascii_case(m)));
    if ok {
        Ok(())
    } else {
        Err(Fail::new(
            406,
            format!("Accept must name {}", wanted.join(" or ")),
        ))
    }
}

/// A body needs a `Content-Type` the operation documents.
pub fn content_type(op: &Operation, headers: &HeaderMap, has_body: bool) -> Result<(), Fail> {
    let (Some(body), true) = (&op.body, has_body) else {
        return Ok(());
    };
    let got = header(headers, "content-type").map(mx_specs::essence);
    if got.is_some_and(|g| body.media.iter().any(|m| m.eq_ignore_ascii_case(g))) {
        return Ok(());
    }
    Err(Fail::new(
        415,
        format!(
            "Content-Type must be {}, not {}",
            body.media.join(" or "),
            got.unwrap_or("absent")
        ),
    ))
}

/// A text parameter as its schema's type (`"2"` → 2 for an integer). An
/// integer beyond 64 bits is `Err` with the nearest 64-bit one.
fn typed(schema: &Schema, raw: &str) -> Result<Value, i64> {
    let parsed = match schema.kind {
        Kind::Integer { .. } => match raw.parse::<i64>() {
            Ok(n) => Some(Value::from(n)),
            Err(e) => match e.kind() {
                IntErrorKind::PosOverflow => return Err(i64::MAX),
                IntErrorKind::NegOverflow => return Err(i64::MIN),
                _ => None,
            },
        },
        Kind::Number { .. } => raw.parse::<f64>().ok().map(Value::from),
        Kind::Boolean => raw.parse::<bool>().ok().map(Value::from),
        _ => None,
    };
    Ok(parsed.unwrap_or_else(|| Value::String(raw.to_string())))
}

/// A query or path parameter's value, typed: an integer beyond 64 bits is
/// refused as out of range (400), unless the rules take it as the nearest
/// 64-bit integer (MX's paging: a `records_per_page` above the maximum,
/// a `page` past the end).
fn value_of(
    op: &Operation,
    p: &Param,
    schema: &Schema,
    raw: &str,
    rules: &dyn Rules,
) -> Result<Value, Fail> {
    match typed(schema, raw) {
        Ok(v) => Ok(v),
        Err(nearest) if rules.clamps(op, &p.name) => Ok(Value::from(nearest)),
        Err(_) => Err(Fail::new(
            400,
            format!("invalid parameter: {}", out_of_range(&p.name, raw)),
        )),
    }
}

/// Checks the path and query parameters; answers the query's declared
/// parameters, typed.
pub fn params(
    op: &Operation,
    path: &[(String, String)],
    query: Option<&str>,
    rules: &dyn Rules,
) -> Result<Map<String, Value>, Fail> {
    let pairs: Vec<(String, String)> = query
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default();
    let mut out = Map::new();
    for p in &op.params {
        let one = |raw: &str| value_of(op, p, &p.schema, raw, rules);
        let value = match (p.location, &p.schema.kind) {
            (In::Header, _) => continue,
            // An array in the query is its key repeated, one value each
            // (OpenAPI's default `form` style with `explode`: the spec's
            // own serialization, `iso_country_code=US&iso_country_code=CA`,
            // `category_guid[]=CAT-1&category_guid[]=CAT-2`).
            (In::Query, Kind::Array(items)) => {
                let values = pairs
                    .iter()
                    .filter(|(k, _)| *k == p.name)
                    .map(|(_, v)| value_of(op, p, items, v, rules))
                    .collect::<Result<Vec<Value>, Fail>>()?;
                (!values.is_empty()).then_some(Value::Array(values))
            }
            (In::Path, _) => path
                .iter()
                .find(|(k, _)| *k == p.name)
                .map(|(_, v)| one(v))
                .transpose()?,
            (In::Query, _) => pairs
                .iter()
                .find(|(k, _)| *k == p.name)
                .map(|(_, v)| one(v))
                .transpose()?,
        };
        let Some(value) = value else {
            if p.required {
                return Err(Fail::new(
                    400,
                    format!("the parameter {} is required", p.name),
                ));
            }
            continue;
        };
        p.schema
            .validate(&value, &p.name)
            .map_err(|e| Fail::new(400, format!("invalid parameter: {e}")))?;
        if p.location == In::Query {
            out.insert(p.name.clone(), value);
        }
    }
    Ok(out)
}

/// Parses and checks the body against the operation's schema.
pub fn body(op: &Operation, bytes: &[u8]) -> Result<Option<Value>, Fail> {
    let Some(spec) = &op.body else {
        return Ok(None);
    };
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return if spec.required {
            Err(Fail::new(400, "the request body is required"))
        } else {
            Ok(None)
        };
    }
    let value: Value = serde_json::from_slice(bytes).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        Fail::new(400, format!("the body is not valid JSON: {msg}"))
    })?;
    spec.schema
        .validate(&value, "")
        .map_err(|e| Fail::new(400, e))?;
    Ok(Some(value))
}
