//! Typed failures: what the hooks refuse, and how a failed request becomes
//! an [`Error`].

use std::fmt;

use reqwest::StatusCode;

use super::body::ErrorBody;
use super::wire::Operation;
use crate::error::{ApiError, Error, InvalidRequest};
use crate::retry::{is_idempotent, retry_after};

/// Why the runtime refused a request or an answer.
#[derive(Debug)]
#[non_exhaustive]
pub enum Failure {
    /// The operation needs a credential the client does not have.
    MissingCredential { scheme: &'static str },
    /// A credential that cannot be sent (not a valid header value, or not
    /// the form its scheme needs).
    InvalidCredential {
        scheme: &'static str,
        reason: &'static str,
    },
    /// The answer came from another origin.
    Redirected { to: String },
    /// A success answer whose `Content-Type` is not the documented kind.
    ContentType {
        /// The answer's `Content-Type` (empty when missing).
        got: String,
        documented: &'static str,
        json: bool,
    },
    /// A success answer over the client's bound.
    TooLarge { limit: usize },
    /// A transport failure after a request that is not idempotent was sent.
    OutcomeUnknown {
        operation: &'static str,
        source: reqwest::Error,
    },
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Failure::MissingCredential { scheme } => {
                write!(f, "no credential is set for the security scheme `{scheme}`")
            }
            Failure::InvalidCredential { scheme, reason } => {
                write!(f, "the credential for `{scheme}` {reason}")
            }
            Failure::Redirected { to } => write!(f, "the answer came from {to}"),
            Failure::ContentType {
                got,
                documented,
                json,
            } => {
                let got = if got.is_empty() { "none" } else { got };
                if *json {
                    write!(
                        f,
                        "the answer's Content-Type is {got}, not JSON ({documented})"
                    )
                } else {
                    write!(f, "the answer's Content-Type is {got}, not {documented}")
                }
            }
            Failure::TooLarge { limit } => {
                write!(f, "the answer is larger than the {limit}-byte limit")
            }
            Failure::OutcomeUnknown { operation, source } => {
                write!(f, "{operation}: {}", error_chain(source))
            }
        }
    }
}

impl std::error::Error for Failure {}

impl From<Failure> for Error {
    fn from(f: Failure) -> Error {
        match f {
            Failure::Redirected { to } => Error::Redirected { to },
            Failure::ContentType {
                got, documented, ..
            } => Error::UnexpectedContentType { got, documented },
            Failure::TooLarge { limit } => Error::ResponseTooLarge { limit },
            Failure::OutcomeUnknown { operation, source } => {
                Error::OutcomeUnknown { operation, source }
            }
            Failure::MissingCredential { scheme } => {
                InvalidRequest::MissingCredential { scheme }.into()
            }
            Failure::InvalidCredential { scheme, reason } => {
                InvalidRequest::InvalidCredential { scheme, reason }.into()
            }
        }
    }
}

/// The error of a failed request from progenitor's error: `op` is the
/// operation sent, `body_limit` the client's bound on a success body.
pub(crate) fn convert(e: progenitor_client::Error<()>, op: &Operation, body_limit: usize) -> Error {
    use progenitor_client::Error as P;
    match e {
        P::Custom(m) | P::InvalidRequest(m) => InvalidRequest::Builder(m).into(),
        // Connected and not idempotent (a create): MX may have acted.
        P::CommunicationError(e)
            if !is_idempotent(&op.method) && !e.is_connect() && !e.is_builder() =>
        {
            Failure::OutcomeUnknown {
                operation: op.id,
                source: e,
            }
            .into()
        }
        P::CommunicationError(e) => Error::Transport(e),
        P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
            // A body cut off at the client's bound says so.
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
            while let Some(s) = source {
                if s.is::<http_body_util::LengthLimitError>() {
                    return Error::ResponseTooLarge { limit: body_limit };
                }
                source = s.source();
            }
            Error::Transport(e)
        }
        P::InvalidResponsePayload(body, source) => Error::InvalidResponse { body, source },
        // The pipeline removes documented error responses, so this only
        // happens for hand-built clients; keep the status.
        P::ErrorResponse(rv) => from_answer(rv.status(), rv.headers(), None),
        P::UnexpectedResponse(mut r) => {
            let status = r.status();
            if status.is_success() {
                return Error::UnexpectedSuccess(status);
            }
            let body = r.extensions_mut().remove::<ErrorBody>();
            from_answer(status, r.headers(), body)
        }
    }
}

/// The error of a non-2xx answer, from what the runtime read of it (moved
/// out of the answer, not copied).
fn from_answer(
    status: StatusCode,
    headers: &reqwest::header::HeaderMap,
    body: Option<ErrorBody>,
) -> Error {
    let retry_after = retry_after(headers);
    let (e, class) = match body {
        Some(b) => (
            ApiError {
                status,
                code: b.code,
                message: b.message,
                operation: b.operation_id,
                method: Some(b.method),
                retry_after,
                body: b.body,
            },
            b.class,
        ),
        None => (
            ApiError {
                status,
                code: None,
                message: None,
                operation: "",
                method: None,
                retry_after,
                body: bytes::Bytes::new(),
            },
            None,
        ),
    };
    Error::from_api(class, Box::new(e))
}

/// An error and its sources, `: `-separated (reqwest's `Display` shows only
/// the outermost).
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}
