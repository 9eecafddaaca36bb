//! One checked request, as the rules see it, and what they answer.

use axum::http::HeaderMap;
use serde_json::{Map, Value};

use crate::api::ApiDef;
use crate::config::Config;
use crate::spec::{Kind, Operation, Schema};

/// A request that passed every check of its operation.
#[derive(Debug)]
pub struct Call<'a> {
    pub api: &'a ApiDef,
    pub op: &'a Operation,
    /// Path parameters, in template order.
    pub params: Vec<(String, String)>,
    /// Query parameters the spec declares, typed by their schemas.
    pub query: Map<String, Value>,
    pub body: Option<Value>,
    /// `http://ADDR`: where the simulator's own pages are.
    pub base: &'a str,
    pub config: &'a Config,
    /// The request's headers, for the rules that read one.
    pub headers: &'a HeaderMap,
}

/// A rule's answer, before the engine shapes it by the response schema.
#[derive(Debug)]
pub enum Reply {
    Json(u16, Value),
    Empty(u16),
    Bytes(u16, String, Vec<u8>),
}

/// A refusal, answered in the API's error shape.
#[derive(Debug)]
pub struct Fail {
    pub status: u16,
    /// For APIs with coded errors; `None`: `status * 10` (4040, 4000, …).
    pub code: Option<u32>,
    pub message: String,
    /// The methods the path takes (a 405's `Allow`).
    pub allow: Option<String>,
}

impl Fail {
    pub fn new(status: u16, message: impl Into<String>) -> Fail {
        Fail {
            status,
            code: None,
            message: message.into(),
            allow: None,
        }
    }

    pub fn coded(status: u16, code: u32, message: impl Into<String>) -> Fail {
        Fail {
            status,
            code: Some(code),
            message: message.into(),
            allow: None,
        }
    }

    pub fn not_found(what: &str, id: &str) -> Fail {
        Fail::new(404, format!("{what} {id} was not found"))
    }
}

pub type Answer = Result<Reply, Fail>;

impl Call<'_> {
    /// A header of the request, if it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    pub fn param(&self, name: &str) -> &str {
        self.params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    pub fn query_i64(&self, name: &str) -> Option<i64> {
        self.query.get(name).and_then(Value::as_i64)
    }

    pub fn query_str(&self, name: &str) -> Option<&str> {
        self.query.get(name).and_then(Value::as_str)
    }

    /// The record the body carries: its wrapper's object (`{"member":
    /// {…}}` → `{…}`, the wrapper its schema names), or the body itself
    /// where its schema wraps nothing.
    pub fn wrapped(&self) -> Option<&Map<String, Value>> {
        let body = self.body.as_ref()?;
        match self.op.body.as_ref().and_then(|b| b.wrapper.as_deref()) {
            Some(key) => body.get(key)?.as_object(),
            None => body.as_object(),
        }
    }

    /// The record the body carries, without its optional fields sent as
    /// `null`: a null for an optional field is "not given" (an update
    /// keeps the stored value, a create the default), as MX's pages
    /// describe optional fields and the Atrium spec's stated assumptions
    /// let them be null on the wire. An empty object when there is none.
    pub fn inner(&self) -> Map<String, Value> {
        let Some(record) = self.wrapped() else {
            return Map::new();
        };
        let required = self.record_schema().map_or(&[][..], |s| match &s.kind {
            Kind::Object { required, .. } => required.as_slice(),
            _ => &[],
        });
        record
            .iter()
            .filter(|(k, v)| !v.is_null() || required.contains(k))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect()
    }

    /// The record a create makes, as [`Call::inner`]; a 400 when the body's
    /// schema wraps the record (`{"account": {…}}`) but the request sends
    /// no wrapper or a `null` one: there is no record to create, whether
    /// or not the spec marks the wrapper required.
    pub fn record(&self) -> Result<Map<String, Value>, Fail> {
        let wrapper = self.op.body.as_ref().and_then(|b| b.wrapper.as_deref());
        match wrapper {
            Some(key) if self.wrapped().is_none() => {
                Err(Fail::new(400, format!("{key} is required")))
            }
            _ => Ok(self.inner()),
        }
    }

    /// Does the schema of the record the body carries declare `field`?
    pub fn declares(&self, field: &str) -> bool {
        self.record_schema().is_some_and(|s| match &s.kind {
            Kind::Object { properties, .. } => properties.contains_key(field),
            _ => false,
        })
    }

    /// The schema of the record the body carries.
    fn record_schema(&self) -> Option<&Schema> {
        let body = self.op.body.as_ref()?;
        match (&body.wrapper, &body.schema.kind) {
            (Some(key), Kind::Object { properties, .. }) => properties.get(key),
            (None, _) => Some(&body.schema),
            _ => None,
        }
    }

    /// The schema of one item of the answer's list.
    pub fn list_item(&self) -> Option<&Schema> {
        let schema = self.op.answer(200)?.schema.as_ref()?;
        let Kind::Object { properties, .. } = &schema.kind else {
            return None;
        };
        properties.values().find_map(|s| match &s.kind {
            Kind::Array(items) => Some(&**items),
            _ => None,
        })
    }

    /// The key the response schema for `status` wraps one record in
    /// (`member`, `user`, …): its first object-typed property.
    pub fn record_key(&self, status: u16) -> Option<&str> {
        let schema = self.op.answer(status)?.schema.as_ref()?;
        let Kind::Object { properties, .. } = &schema.kind else {
            return None;
        };
        properties
            .iter()
            .find(|(_, s)| matches!(s.kind, Kind::Object { .. }))
            .map(|(k, _)| k.as_str())
    }

    /// The key of the response schema's list (its first array property).
    pub fn list_key(&self) -> Option<&str> {
        let schema = self.op.answer(200)?.schema.as_ref()?;
        let Kind::Object { properties, .. } = &schema.kind else {
            return None;
        };
        properties
            .iter()
            .find(|(_, s)| matches!(s.kind, Kind::Array(_)))
            .map(|(k, _)| k.as_str())
    }

    /// One record, wrapped as the response schema wants.
    pub fn one(&self, status: u16, record: Value) -> Reply {
        let documented = self.op.answer(status).and_then(|a| a.schema.as_ref());
        let Some(key) = self.record_key(status) else {
            // An answer that is the record itself (the Platform's spending
            // plans), not a wrapper of it.
            if documented.is_some_and(|s| matches!(s.kind, Kind::Object { .. })) {
                return Reply::Json(status, record);
            }
            let mut out = Map::new();
            out.insert("record".into(), record);
            return Reply::Json(status, Value::Object(out));
        };
        let key = key.to_string();
        let mut out = Map::new();
        out.insert(key, record);
        Reply::Json(status, Value::Object(out))
    }

    /// A list (and its pagination), wrapped as the response schema wants.
    pub fn list(&self, items: Vec<Value>, pagination: Option<Value>) -> Reply {
        let key = self.list_key().unwrap_or("records").to_string();
        let mut out = Map::new();
        out.insert(key, Value::Array(items));
        if let Some(p) = pagination {
            out.insert("pagination".into(), p);
        }
        Reply::Json(200, Value::Object(out))
    }

    /// Does the operation take `page` / `records_per_page`?
    pub fn is_paged(&self) -> bool {
        self.op
            .params
            .iter()
            .any(|p| p.name == "records_per_page" || p.name == "page")
    }
}
