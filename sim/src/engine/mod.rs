//! The spec-driven engine: finds the operation, checks the request against
//! it, lets MX's rules (or the generic resource rules) answer, and shapes
//! the answer by the operation's response schema.

pub mod call;
pub mod check;
pub mod generic;
pub mod rules;

use std::sync::Arc;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use http_body_util::{BodyExt, Limited};
use serde_json::{json, Value};

use crate::api::{ErrorStyle, LoadedApi};
use crate::config::Config;
use crate::spec::Operation;
use call::{Call, Fail, Reply};
use rules::Rules;

/// The spec-driven server: the compiled APIs and the rules on top of them.
#[derive(Debug)]
pub struct Engine {
    pub apis: Arc<[LoadedApi]>,
    pub rules: Arc<dyn Rules>,
    pub config: Config,
    /// `http://ADDR`
    pub base: String,
}

/// A JSON answer with `media` as its type.
pub fn json(status: u16, media: &str, body: &Value) -> Response {
    let bytes = serde_json::to_vec(body).unwrap_or_default();
    let mut resp = (status_of(status), bytes).into_response();
    if let Ok(v) = HeaderValue::from_str(media) {
        resp.headers_mut().insert(header::CONTENT_TYPE, v);
    }
    resp
}

fn status_of(code: u16) -> StatusCode {
    StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR)
}

/// An error in `api`'s shape and media type.
fn error(api: &LoadedApi, fail: Fail) -> Response {
    let mut e = json!({ "message": fail.message });
    if api.def.errors == ErrorStyle::Coded {
        e["code"] = fail.code.unwrap_or(u32::from(fail.status) * 10).into();
    }
    json(fail.status, api.def.json_media, &json!({ "error": e }))
}

/// Answers a request to any mounted API.
pub async fn handle(State(engine): State<Arc<Engine>>, req: Request) -> Response {
    let path = req.uri().path().to_string();
    let mounted: Vec<&LoadedApi> = engine
        .apis
        .iter()
        .filter(|a| {
            path.strip_prefix(a.def.mount)
                .is_some_and(|r| r.is_empty() || r.starts_with('/'))
        })
        .collect();
    if mounted.is_empty() {
        let mut mounts: Vec<&str> = engine.apis.iter().map(|a| a.def.mount).collect();
        mounts.dedup();
        return json(
            404,
            "application/json",
            &json!({ "error": { "message": format!(
                "{path} is not served here: the simulator serves {}",
                mounts.join(", ")
            ) } }),
        );
    }
    let api = match version(&mounted, req.headers()) {
        Ok(api) => api,
        Err((api, fail)) => return error(api, fail),
    };
    match answer(&engine, api, &path[api.def.mount.len()..], req).await {
        Ok(resp) => resp,
        Err(fail) => {
            let allow = fail.allow.clone();
            let mut resp = error(api, fail);
            if let Some(v) = allow.and_then(|a| HeaderValue::from_str(&a).ok()) {
                resp.headers_mut().insert(header::ALLOW, v);
            }
            resp
        }
    }
}

/// The API of a mount that the request asks for: the only one, or (the
/// Platform API's versions) the one its `Accept-Version` names.
///
/// A missing or unknown `Accept-Version` is refused with 406, MX's status
/// for "The request didn't specify a valid API version" (its errors page,
/// docs.mx.com `api-reference/platform-api/overview/errors`). Assumption:
/// MX documents neither the status for this case nor the body, so the
/// refusal is the API's usual `{"error": {"message": …}}` in the media type
/// of the mount's newest version, naming the versions it serves.
fn version<'a>(
    mounted: &[&'a LoadedApi],
    headers: &axum::http::HeaderMap,
) -> Result<&'a LoadedApi, (&'a LoadedApi, Fail)> {
    let newest = *mounted
        .iter()
        .max_by_key(|a| a.def.version)
        .expect("a mount serves at least one API");
    if mounted.len() == 1 && newest.def.version.is_none() {
        return Ok(newest);
    }
    let asked = headers
        .get(crate::api::ACCEPT_VERSION)
        .and_then(|v| v.to_str().ok())
        .map(str::trim);
    if let Some(api) = mounted.iter().find(|a| a.def.version == asked) {
        return Ok(api);
    }
    let served: Vec<&str> = mounted.iter().filter_map(|a| a.def.version).collect();
    let message = match asked {
        None => format!(
            "Accept-Version is required: every Platform API call must name its version ({})",
            served.join(" or ")
        ),
        Some(v) => format!(
            "Accept-Version {v} is not a version of this API: use {}",
            served.join(" or ")
        ),
    };
    Err((newest, Fail::new(406, message)))
}

async fn answer(
    engine: &Engine,
    api: &LoadedApi,
    rest: &str,
    req: Request,
) -> Result<Response, Fail> {
    let matches = api.spec.matching(rest);
    if matches.is_empty() {
        return Err(Fail::new(
            404,
            format!("{} {rest} is not an operation of the API", req.method()),
        ));
    }
    let Some((op, params)) = matches
        .iter()
        .find(|(o, _)| o.method == req.method().as_str())
    else {
        let mut methods: Vec<&str> = matches.iter().map(|(o, _)| o.method.as_str()).collect();
        methods.dedup();
        let allow = methods.join(", ");
        let mut fail = Fail::new(405, format!("{rest} takes {allow}, not {}", req.method()));
        fail.allow = Some(allow);
        return Err(fail);
    };
    let config = &engine.config;
    check::security(op, req.headers(), &api.def, &*engine.rules)?;
    let params = engine.rules.resolve(op, params.clone());
    engine.rules.admit(&api.def, op)?;
    check::accept(op, req.headers(), &api.def)?;
    let (parts, body) = req.into_parts();
    let bytes = Limited::new(body, config.max_body_bytes)
        .collect()
        .await
        .map(|c| c.to_bytes())
        .map_err(|e| {
            if e.is::<http_body_util::LengthLimitError>() {
                Fail::new(
                    413,
                    format!("the body is over the {}-byte limit", config.max_body_bytes),
                )
            } else {
                Fail::new(400, "the body could not be read")
            }
        })?;
    check::content_type(op, &parts.headers, !bytes.is_empty())?;
    let query = check::params(op, &params, parts.uri.query(), &*engine.rules)?;
    let body = check::body(op, &bytes)?;
    let call = Call {
        api: &api.def,
        op,
        params,
        query,
        body,
        base: &engine.base,
        config,
        headers: &parts.headers,
    };
    let reply = engine.rules.answer(&call)?;
    Ok(render(api, &call, documented(op, reply)))
}

/// A rule may answer with a success status the operation does not
/// document (rules shared by APIs over the same records: a job starts with
/// Atrium's 200, which the Platform API documents as 202). A JSON success
/// the operation does not document is sent with the status of its
/// documented answer body.
fn documented(op: &Operation, reply: Reply) -> Reply {
    match reply {
        Reply::Json(status, value)
            if (200..300).contains(&status) && !op.answers.iter().any(|a| a.status == status) =>
        {
            let status = op
                .answers
                .iter()
                .find(|a| a.schema.is_some())
                .map_or(status, |a| a.status);
            Reply::Json(status, value)
        }
        other => other,
    }
}

/// The reply, shaped by the documented answer's schema.
fn render(api: &LoadedApi, call: &Call<'_>, reply: Reply) -> Response {
    match reply {
        Reply::Json(status, value) => {
            let doc = call.op.answer(status);
            // The media type the request asked for (its `Accept` was
            // checked against it).
            let media = match doc.and_then(|a| a.media.as_deref()) {
                Some(m) => mx_specs::accept_for(m, api.def.json_accept()),
                None => api.def.json_media,
            };
            let shaped = match doc.and_then(|a| a.schema.as_ref()) {
                Some(s) => s.shape(Some(value)),
                None => value,
            };
            json(status, media, &shaped)
        }
        Reply::Empty(status) => status_of(status).into_response(),
        Reply::Bytes(status, media, bytes) => {
            let mut resp = (status_of(status), Body::from(bytes)).into_response();
            if let Ok(v) = HeaderValue::from_str(&media) {
                resp.headers_mut().insert(header::CONTENT_TYPE, v);
            }
            resp
        }
    }
}
