//! The one error type of both clients, built from what the generated code
//! returns: `client.op().send().await?` in a function returning
//! `Result<_, mx_client::Error>`.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;

use crate::transport::{BodyTooLarge, ErrorBody, CONTENT_TYPE_TAG, TOO_LARGE_TAG};

/// Nexus answers an expired `MD-SESSION-TOKEN` with this error code.
pub const NEXUS_SESSION_EXPIRED: u32 = 4011;
/// Nexus answers a duplicate member with `422` and this error code.
pub const NEXUS_DUPLICATE_MEMBER: u32 = 4220;

/// A non-2xx answer: the status, MX's error code and message when the body
/// carries them, and the raw body (bounded) for diagnosis.
#[derive(Clone)]
pub struct ApiError {
    /// The HTTP status: the primary signal, as MX advises.
    pub status: StatusCode,
    /// MX's four-digit error code (Nexus), when the body has one.
    pub code: Option<u32>,
    /// MX's error message, when the body has one.
    pub message: Option<String>,
    /// The operation that failed (its `operationId`).
    pub operation: &'static str,
    /// `Retry-After`, when the answer has it (429, 503).
    pub retry_after: Option<Duration>,
    /// The raw body, as read (up to 64 KiB).
    pub body: Bytes,
}

impl fmt::Debug for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiError")
            .field("status", &self.status)
            .field("code", &self.code)
            .field("message", &self.message)
            .field("operation", &self.operation)
            .field("retry_after", &self.retry_after)
            .field("body", &String::from_utf8_lossy(&self.body))
            .finish()
    }
}

impl fmt::Display for ApiError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} answered {}", self.operation, self.status)?;
        if let Some(code) = self.code {
            write!(f, " (code {code})")?;
        }
        if let Some(m) = &self.message {
            write!(f, ": {m}")?;
        }
        Ok(())
    }
}

/// Every way a call to MX can fail. Match on the variants the docs name;
/// the rest keep the status and the body.
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Connecting, TLS, a timeout, or reading the answer failed.
    Transport(reqwest::Error),
    /// The request could not be built (a missing required field, a
    /// credential that is not a valid header value).
    InvalidRequest(String),
    /// 400: the request was refused as invalid.
    BadRequest(ApiError),
    /// Nexus: the `MD-SESSION-TOKEN` expired (code 4011). Sessions last 30
    /// minutes, refreshed by each call: get a new token and retry.
    SessionExpired(ApiError),
    /// 401: invalid credentials (`MX-API-Key`/`MX-Client-ID`, or the session).
    Unauthorized(ApiError),
    /// 403: e.g. a source address not allowed in production.
    Forbidden(ApiError),
    /// 404: an unknown GUID or code.
    NotFound(ApiError),
    /// 405: e.g. the development environment's limit of 25 members per user.
    MethodNotAllowed(ApiError),
    /// 406: the `Accept` header named no valid API version.
    NotAcceptable(ApiError),
    /// A duplicate: Atrium's `409 Conflict`, or Nexus's `422` with code 4220
    /// (a second member with the same institution and credentials).
    Conflict(ApiError),
    /// 422: the request was understood but refused.
    Unprocessable(ApiError),
    /// 429: too many requests; see `retry_after`.
    RateLimited(ApiError),
    /// 5xx: MX failed.
    Server(ApiError),
    /// Any other non-2xx status.
    Status(ApiError),
    /// A success status whose body is not what the spec documents.
    InvalidResponse {
        /// The body as received.
        body: Bytes,
        /// Why it did not decode.
        source: serde_json::Error,
    },
    /// A 2xx status the spec does not document for this operation.
    UnexpectedSuccess(StatusCode),
    /// A success answer whose `Content-Type` is not what the spec documents
    /// (e.g. an HTML page where JSON was due), or is missing.
    UnexpectedContentType(String),
    /// A success answer larger than the client's bound
    /// (`max_response_bytes`, default 64 MiB); reading stopped there.
    ResponseTooLarge {
        /// The bound, in bytes.
        limit: usize,
    },
}

impl Error {
    /// The API error, for the variants that are answers from MX.
    pub fn api(&self) -> Option<&ApiError> {
        match self {
            Error::BadRequest(e)
            | Error::SessionExpired(e)
            | Error::Unauthorized(e)
            | Error::Forbidden(e)
            | Error::NotFound(e)
            | Error::MethodNotAllowed(e)
            | Error::NotAcceptable(e)
            | Error::Conflict(e)
            | Error::Unprocessable(e)
            | Error::RateLimited(e)
            | Error::Server(e)
            | Error::Status(e) => Some(e),
            _ => None,
        }
    }

    /// The HTTP status of the answer, when there was one.
    pub fn status(&self) -> Option<StatusCode> {
        match self {
            Error::Transport(e) => e.status(),
            Error::UnexpectedSuccess(s) => Some(*s),
            other => other.api().map(|e| e.status),
        }
    }

    /// Could the same request succeed if sent again later? Timeouts,
    /// connection failures, 429, 502, 503 and 504. Whether to retry is the
    /// caller's choice: a retried create can create a duplicate.
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_timeout() || e.is_connect(),
            Error::RateLimited(_) => true,
            Error::Server(e) => matches!(e.status.as_u16(), 502..=504),
            _ => false,
        }
    }

    fn from_error_answer(
        status: StatusCode,
        headers: &reqwest::header::HeaderMap,
        b: &ErrorBody,
    ) -> Error {
        let (code, message) = parse_error_body(&b.body);
        let retry_after = headers
            .get(reqwest::header::RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs);
        let e = ApiError {
            status,
            code,
            message,
            operation: b.operation_id,
            retry_after,
            body: b.body.clone(),
        };
        match (status.as_u16(), code) {
            (_, Some(NEXUS_SESSION_EXPIRED)) => Error::SessionExpired(e),
            (409, _) | (422, Some(NEXUS_DUPLICATE_MEMBER)) => Error::Conflict(e),
            (400, _) => Error::BadRequest(e),
            (401, _) => Error::Unauthorized(e),
            (403, _) => Error::Forbidden(e),
            (404, _) => Error::NotFound(e),
            (405, _) => Error::MethodNotAllowed(e),
            (406, _) => Error::NotAcceptable(e),
            (422, _) => Error::Unprocessable(e),
            (429, _) => Error::RateLimited(e),
            (500..=599, _) => Error::Server(e),
            _ => Error::Status(e),
        }
    }
}

/// MX's error code in an error body, if any.
pub(crate) fn error_code(body: &[u8]) -> Option<u32> {
    parse_error_body(body).0
}

/// MX error bodies: `{"error": {"code": 4011, "message": "…"}}` (Nexus
/// carries the four-digit code; Atrium only the message). A top-level
/// `code`/`message` is read too; a code may be a number or a string.
fn parse_error_body(body: &[u8]) -> (Option<u32>, Option<String>) {
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

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::InvalidRequest(m) => write!(f, "invalid request: {m}"),
            Error::SessionExpired(e) => write!(f, "Nexus session expired: {e}"),
            Error::Conflict(e) => write!(f, "conflict: {e}"),
            Error::InvalidResponse { body, source } => write!(
                f,
                "the answer does not match the spec ({source}); {} bytes received",
                body.len()
            ),
            Error::UnexpectedSuccess(s) => write!(f, "undocumented success status {s}"),
            Error::UnexpectedContentType(m) => f.write_str(m),
            Error::ResponseTooLarge { limit } => {
                write!(f, "the answer is larger than the {limit}-byte limit")
            }
            other => match other.api() {
                Some(e) => write!(f, "{e}"),
                None => f.write_str("error"),
            },
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::InvalidResponse { source, .. } => Some(source),
            _ => None,
        }
    }
}

impl<E> From<progenitor_client::Error<E>> for Error {
    fn from(e: progenitor_client::Error<E>) -> Self {
        use progenitor_client::Error as P;
        match e {
            P::Custom(m) => {
                if let Some(m) = m.strip_prefix(CONTENT_TYPE_TAG) {
                    Error::UnexpectedContentType(m.to_string())
                } else if let Some(limit) = m.strip_prefix(TOO_LARGE_TAG) {
                    Error::ResponseTooLarge {
                        limit: limit.parse().unwrap_or_default(),
                    }
                } else {
                    Error::InvalidRequest(m)
                }
            }
            P::InvalidRequest(m) => Error::InvalidRequest(m),
            P::CommunicationError(e) | P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
                // A body cut off at the client's bound says so.
                let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
                while let Some(s) = source {
                    if let Some(t) = s.downcast_ref::<BodyTooLarge>() {
                        return Error::ResponseTooLarge { limit: t.0 };
                    }
                    source = s.source();
                }
                // Answers rebuilt by the hooks have no URL of their own.
                if e.url()
                    .is_some_and(|u| u.host_str() == Some("no.url.provided.local"))
                {
                    Error::Transport(e.without_url())
                } else {
                    Error::Transport(e)
                }
            }
            P::InvalidResponsePayload(body, source) => Error::InvalidResponse { body, source },
            P::ErrorResponse(rv) => {
                // The pipeline removes documented error responses, so this
                // only happens for hand-built clients; keep the status.
                let status = rv.status();
                Error::from_error_answer(
                    status,
                    rv.headers(),
                    &ErrorBody {
                        operation_id: "",
                        body: Bytes::new(),
                    },
                )
            }
            P::UnexpectedResponse(r) => {
                let status = r.status();
                if status.is_success() {
                    return Error::UnexpectedSuccess(status);
                }
                let fallback;
                let body = match r.extensions().get::<ErrorBody>() {
                    Some(b) => b,
                    None => {
                        fallback = ErrorBody {
                            operation_id: "",
                            body: Bytes::new(),
                        };
                        &fallback
                    }
                };
                Error::from_error_answer(status, r.headers(), body)
            }
        }
    }
}
