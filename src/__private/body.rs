//! Answers taken apart and put back together: a success body bounded by
//! `http_body_util::Limited`, an error body read (bounded) and attached as a
//! typed extension. Rebuilt answers keep their URL.

use bytes::{Bytes, BytesMut};
use http_body_util::{BodyExt, Limited};
use reqwest::header::HeaderValue;
use reqwest::{Method, ResponseBuilderExt, Url};

use crate::rules::{ApiRules, ErrorClass};

/// What the runtime keeps of a non-2xx answer, attached to the response so
/// that `Error` can be built from it synchronously.
#[derive(Debug, Clone)]
pub struct ErrorBody {
    /// The operation's `operationId`.
    pub operation_id: &'static str,
    pub method: Method,
    /// The body, as read (bounded).
    pub body: Bytes,
    /// MX's error code, when the body has one.
    pub code: Option<u32>,
    /// MX's error message, when the body has one.
    pub message: Option<String>,
    /// What the API's rules make of it.
    pub class: Option<ErrorClass>,
}

/// `parts` and `body` as a `reqwest::Response` whose URL is `url`.
fn rebuild(mut parts: http::response::Parts, url: Url, body: reqwest::Body) -> reqwest::Response {
    let marker = http::Response::builder()
        .url(url)
        .body(())
        .unwrap_or_default();
    parts.extensions.extend(marker.into_parts().0.extensions);
    reqwest::Response::from(http::Response::from_parts(parts, body))
}

/// The success answer with a body that fails with
/// `http_body_util::LengthLimitError` once it passes `max` bytes (for a
/// body without a declared length: `Hooks::accept` refuses one declared
/// over the bound, and hyper never reads past the declared length).
pub(crate) fn bounded(response: reqwest::Response, max: usize) -> reqwest::Response {
    let url = response.url().clone();
    let (parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    rebuild(parts, url, reqwest::Body::wrap(Limited::new(body, max)))
}

/// The error answer with its body read (at most `cap` bytes), parsed, and
/// attached as an [`ErrorBody`].
pub(crate) async fn buffered_error(
    response: reqwest::Response,
    cap: usize,
    rules: &ApiRules,
    operation_id: &'static str,
    method: Method,
) -> reqwest::Result<reqwest::Response> {
    let url = response.url().clone();
    let (mut parts, body) = http::Response::<reqwest::Body>::from(response).into_parts();
    let body = read_capped(body, cap).await?;
    let (code, message) = parse_error_body(&body);
    parts.extensions.insert(ErrorBody {
        operation_id,
        method,
        body: body.clone(),
        code,
        message,
        class: (rules.classify)(parts.status, code),
    });
    Ok(rebuild(parts, url, reqwest::Body::from(body)))
}

/// The first `cap` bytes of `body` (an error answer's body is truncated,
/// not refused).
async fn read_capped(mut body: reqwest::Body, cap: usize) -> reqwest::Result<Bytes> {
    let mut buf = BytesMut::new();
    while let Some(frame) = body.frame().await {
        let Ok(chunk) = frame?.into_data() else {
            continue;
        };
        let room = cap.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if buf.len() >= cap {
            break;
        }
    }
    Ok(buf.freeze())
}

/// A declared `Content-Length` over `max`.
pub(crate) fn over(declared: &HeaderValue, max: usize) -> bool {
    declared
        .to_str()
        .ok()
        .and_then(|v| v.parse::<u64>().ok())
        .is_some_and(|n| n > max as u64)
}

/// MX error bodies: `{"error": {"code": 4011, "message": "…"}}` (Nexus
/// carries the four-digit code; Atrium only the message). A top-level
/// `code`/`message` is read too; a code may be a number or a string.
pub(crate) fn parse_error_body(body: &[u8]) -> (Option<u32>, Option<String>) {
    let Ok(v) = serde_json::from_slice::<serde_json::Value>(body) else {
        return (None, None);
    };
    let obj = v.get("error").filter(|e| e.is_object()).unwrap_or(&v);
    let code = obj.get("code").and_then(|c| match c {
        serde_json::Value::Number(n) => n.as_u64().and_then(|n| u32::try_from(n).ok()),
        serde_json::Value::String(s) => s.parse().ok(),
        _ => None,
    });
    let message = obj
        .get("message")
        .and_then(|m| m.as_str())
        .or_else(|| v.get("error").and_then(|e| e.as_str()))
        .map(str::to_string);
    (code, message)
}
