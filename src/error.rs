//! The one error type of both clients, built from what the generated code
//! returns: `client.op().send().await?` in a function returning
//! `Result<_, mx_client::Error>`.

use std::fmt;
use std::time::Duration;

use bytes::Bytes;
use reqwest::StatusCode;

use crate::retry::is_idempotent;
use crate::rules::ErrorClass;

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
    /// The request's method (`None` only for an answer the client's hooks
    /// did not see).
    pub method: Option<reqwest::Method>,
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
            .field("method", &self.method)
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
/// the rest keep the status and the body. (The answers are boxed, so that a
/// `Result<_, Error>` stays small.)
#[derive(Debug)]
#[non_exhaustive]
pub enum Error {
    /// Connecting, TLS, a timeout, or reading the answer failed.
    Transport(reqwest::Error),
    /// The request was not sent: it could not be built (see
    /// [`InvalidRequest`]).
    InvalidRequest(InvalidRequest),
    /// 400: the request was refused as invalid.
    BadRequest(Box<ApiError>),
    /// Nexus: the `MD-SESSION-TOKEN` expired (code 4011). Sessions last 30
    /// minutes, refreshed by each call: get a new token and retry.
    SessionExpired(Box<ApiError>),
    /// 401: invalid credentials (`MX-API-Key`/`MX-Client-ID`, or the session).
    Unauthorized(Box<ApiError>),
    /// 403: e.g. a source address not allowed in production.
    Forbidden(Box<ApiError>),
    /// 404: an unknown GUID or code.
    NotFound(Box<ApiError>),
    /// 405: e.g. the development environment's limit of 25 members per user.
    MethodNotAllowed(Box<ApiError>),
    /// 406: the `Accept` header named no valid API version.
    NotAcceptable(Box<ApiError>),
    /// 409: the request conflicts with what exists (Atrium: a second member
    /// with the same institution and credentials; `create_user`'s duplicate
    /// `id`). A 409 on an aggregation-type job is not an error there: the
    /// job glue answers `JobOutcome::OtherJobRunning`.
    Conflict(Box<ApiError>),
    /// 422: the request was understood but refused. Nexus's code 4220
    /// ([`NEXUS_VALIDATION_FAILED`](crate::NEXUS_VALIDATION_FAILED)) covers
    /// several validation failures (an unknown `institution_guid`, a
    /// duplicate `external_guid`, a duplicate member): `message` says which,
    /// and `code` keeps the code.
    Unprocessable(Box<ApiError>),
    /// 429: too many requests; see `retry_after`.
    RateLimited(Box<ApiError>),
    /// 5xx: MX failed.
    Server(Box<ApiError>),
    /// Any other non-2xx status.
    Status(Box<ApiError>),
    /// The connection failed (a timeout, a reset) after a request that is
    /// not idempotent, a create, was sent: MX may or may not have acted on
    /// it. It is not sent again, and [`Error::is_retryable`] says no: read
    /// (e.g. list the user's members) before creating again, or a second
    /// member may be made.
    OutcomeUnknown {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// What the transport reported.
        source: reqwest::Error,
    },
    /// The answer came from another origin than the request's: a redirect
    /// was followed (the runtime's guard; a client from
    /// [`ClientBuilder`](crate::ClientBuilder) never follows redirects, even
    /// with [`http_client`](crate::ClientBuilder::http_client)). The answer
    /// was not used.
    Redirected {
        /// The origin the answer came from.
        to: String,
    },
    /// A success status whose body is not what the spec documents: it does
    /// not decode as the documented answer, or it is a JSON object none of
    /// whose keys is a field of the documented answer (decoded, it would
    /// hold nothing).
    InvalidResponse {
        /// The body as received.
        body: Bytes,
        /// Why it did not decode.
        source: serde_json::Error,
    },
    /// A success answer that decoded, but without a field MX always sends
    /// with it (e.g. the `url` of a Connect widget answer), or with a value
    /// that cannot be used (a URL that does not parse).
    InvalidField {
        /// The operation (its `operationId`).
        operation: &'static str,
        /// The field, as MX spells it (`widget_url.url`).
        field: &'static str,
        /// Why its value cannot be used; `None` when it is absent.
        source: Option<Box<dyn std::error::Error + Send + Sync>>,
    },
    /// A 2xx status the spec does not document for this operation.
    UnexpectedSuccess(StatusCode),
    /// A success answer whose `Content-Type` is not what the spec documents
    /// (e.g. an HTML page where JSON was due), or is missing.
    UnexpectedContentType {
        /// The answer's `Content-Type`, empty when it has none.
        got: String,
        /// The media type the spec documents for the answer.
        documented: &'static str,
    },
    /// A success answer larger than the client's bound
    /// (`max_response_bytes`, default 64 MiB); reading stopped there.
    ResponseTooLarge {
        /// The bound, in bytes.
        limit: usize,
    },
}

/// The longest `X-CALLBACK-PAYLOAD` MX takes ("Max 1024 characters", the
/// header's description in MX's Platform spec).
pub(crate) const MAX_PAYLOAD_BYTES: usize = 1024;

/// Why a payload cannot be sent as `X-CALLBACK-PAYLOAD`.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum PayloadError {
    /// Longer than [`MAX_PAYLOAD_BYTES`](crate::lifecycle::callback::MAX_PAYLOAD_BYTES).
    TooLong {
        /// Its length in bytes.
        len: usize,
    },
    /// Not visible ASCII and spaces (what a header value carries
    /// unencoded): encode other data, e.g. as base64.
    NotVisibleAscii,
}

impl std::fmt::Display for PayloadError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PayloadError::TooLong { len } => {
                write!(f, "{len} bytes; at most {} are sent", MAX_PAYLOAD_BYTES)
            }
            PayloadError::NotVisibleAscii => {
                f.write_str("it must be visible ASCII (encode other data, e.g. as base64)")
            }
        }
    }
}

impl std::error::Error for PayloadError {}

/// Why a request was not sent.
#[derive(Debug)]
#[non_exhaustive]
pub enum InvalidRequest {
    /// A parameter or the body the generated request builder could not take
    /// (a required one not set, a value that did not convert), in the
    /// generator's words.
    Builder(String),
    /// The operation needs a credential the client does not have.
    MissingCredential {
        /// The security scheme, as the spec names it.
        scheme: &'static str,
    },
    /// A credential that cannot be sent: not a valid header value, or not
    /// the form its scheme needs.
    InvalidCredential {
        /// The security scheme, as the spec names it.
        scheme: &'static str,
        /// What is wrong with it (never its value).
        reason: &'static str,
    },
    /// The crate's typed values (MFA answers, Connect widget options) do not
    /// fit the API's generated request body.
    Body {
        /// What was being sent (`resume answers`, `connect widget options`).
        what: &'static str,
        /// Why the generated body refused them.
        source: serde_json::Error,
    },
    /// An `X-CALLBACK-PAYLOAD` that cannot be sent.
    CallbackPayload(PayloadError),
}

impl fmt::Display for InvalidRequest {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InvalidRequest::Builder(m) => f.write_str(m),
            InvalidRequest::MissingCredential { scheme } => {
                write!(f, "no credential is set for the security scheme `{scheme}`")
            }
            InvalidRequest::InvalidCredential { scheme, reason } => {
                write!(f, "the credential for `{scheme}` {reason}")
            }
            InvalidRequest::Body { what, .. } => {
                write!(f, "the {what} do not fit the API's request body")
            }
            InvalidRequest::CallbackPayload(e) => write!(f, "X-CALLBACK-PAYLOAD: {e}"),
        }
    }
}

impl std::error::Error for InvalidRequest {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            InvalidRequest::Body { source, .. } => Some(source),
            InvalidRequest::CallbackPayload(e) => Some(e),
            _ => None,
        }
    }
}

impl From<InvalidRequest> for Error {
    fn from(e: InvalidRequest) -> Error {
        Error::InvalidRequest(e)
    }
}

impl Error {
    /// A body of the crate's typed `what` that the generated type refused.
    pub(crate) fn body(what: &'static str) -> impl FnOnce(serde_json::Error) -> Error {
        move |source| Error::InvalidRequest(InvalidRequest::Body { what, source })
    }

    /// A success answer of `operation` without its `field`.
    pub(crate) fn missing(operation: &'static str, field: &'static str) -> Error {
        Error::InvalidField {
            operation,
            field,
            source: None,
        }
    }

    /// A success answer of `operation` whose `field` cannot be used.
    pub(crate) fn unusable(
        operation: &'static str,
        field: &'static str,
        source: impl Into<Box<dyn std::error::Error + Send + Sync>>,
    ) -> Error {
        Error::InvalidField {
            operation,
            field,
            source: Some(source.into()),
        }
    }
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
            | Error::Status(e) => Some(e.as_ref()),
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

    /// Is it safe and useful to send the same request again later? Yes for
    /// a connection that could not be made (nothing reached MX) and a 429
    /// (MX refused before acting); for a timeout and a 502, 503 or 504 only
    /// when the operation is idempotent (a read, an update, a delete). A
    /// create is never retryable after it may have reached MX: a second one
    /// could make a duplicate member (see [`Error::OutcomeUnknown`]).
    pub fn is_retryable(&self) -> bool {
        match self {
            // Transport errors of operations that are not idempotent become
            // `OutcomeUnknown` (connection failures excepted).
            Error::Transport(e) => e.is_timeout() || e.is_connect(),
            Error::RateLimited(_) => true,
            Error::Server(e) => {
                matches!(e.status.as_u16(), 502..=504)
                    && e.method.as_ref().is_some_and(is_idempotent)
            }
            _ => false,
        }
    }

    /// The variant of an error answer: the API's rules first (e.g. Nexus's
    /// 4011), then the status.
    pub(crate) fn from_api(class: Option<ErrorClass>, e: Box<ApiError>) -> Error {
        match (class, e.status.as_u16()) {
            (Some(ErrorClass::CredentialExpired), _) => Error::SessionExpired(e),
            (_, 409) => Error::Conflict(e),
            (_, 400) => Error::BadRequest(e),
            (_, 401) => Error::Unauthorized(e),
            (_, 403) => Error::Forbidden(e),
            (_, 404) => Error::NotFound(e),
            (_, 405) => Error::MethodNotAllowed(e),
            (_, 406) => Error::NotAcceptable(e),
            (_, 422) => Error::Unprocessable(e),
            (_, 429) => Error::RateLimited(e),
            (_, 500..=599) => Error::Server(e),
            _ => Error::Status(e),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::InvalidRequest(e) => write!(f, "invalid request: {e}"),
            Error::SessionExpired(e) => write!(f, "Nexus session expired: {e}"),
            Error::Conflict(e) => write!(f, "conflict: {e}"),
            Error::InvalidResponse { body, source } => write!(
                f,
                "the answer does not match the spec ({source}); {} bytes received",
                body.len()
            ),
            Error::UnexpectedSuccess(s) => write!(f, "undocumented success status {s}"),
            Error::UnexpectedContentType { got, documented } => {
                let got = if got.is_empty() { "none" } else { got };
                write!(f, "the answer's Content-Type is {got}, not {documented}")
            }
            Error::InvalidField {
                operation,
                field,
                source,
            } => match source {
                None => write!(f, "{operation} answered without `{field}`"),
                Some(e) => write!(f, "{operation} answered an unusable `{field}`: {e}"),
            },
            Error::ResponseTooLarge { limit } => {
                write!(f, "the answer is larger than the {limit}-byte limit")
            }
            Error::OutcomeUnknown { operation, source } => write!(
                f,
                "{operation}: the connection failed after the request was sent ({}); \
                 MX may have acted on it, so it was not sent again: read before retrying",
                crate::__private::error_chain(source)
            ),
            Error::Redirected { to } => write!(
                f,
                "the answer came from {to} after a redirect, which MX's APIs never send: \
                 build the client with its `builder()`, which follows no redirect"
            ),
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
            Error::Transport(e) | Error::OutcomeUnknown { source: e, .. } => Some(e),
            Error::InvalidRequest(e) => Some(e),
            Error::InvalidResponse { source, .. } => Some(source),
            Error::InvalidField {
                source: Some(e), ..
            } => Some(e.as_ref()),
            _ => None,
        }
    }
}
