//! MX's member webhooks, typed and framework-neutral: headers and body in,
//! a typed event out (see [`WebhookReceiver::receive`]).
//!
//! Sources: docs.mx.com `/resources/webhooks/*`. MX POSTs JSON, retries up
//! to 12 times over about 24 hours, and tells integrators to expect nulls
//! and new fields: decoding here is lenient (a null is an absent value, a
//! field of an unexpected type and every unknown field are kept in
//! `extra`, an unknown payload is [`WebhookEvent::Other`]). Answer 2xx
//! quickly, and don't drive the UI from webhooks alone: read the member.
//!
//! - Connection status: `action` CHANGED, `connection_status`,
//!   `connection_status_id`, `connection_status_message`, `member_guid`,
//!   `user_guid`. MX sends it for CHALLENGED, DENIED, EXPIRED, IMPAIRED,
//!   IMPEDED, LOCKED, PREVENTED and REJECTED.
//! - Aggregation: `completed_at` (Unix seconds), `completed_on` (a date),
//!   `type` AGGREGATION, BALANCE, HISTORY or STATEMENT (more may come).
//! - A create or update that set `X-CALLBACK-PAYLOAD` has it echoed back; it
//!   is kept in `extra` and read by [`WebhookEvent::callback_payload`]
//!   (field `callback_payload`: MX's field name is not confirmed here).

use serde_json::{Map, Value};

use crate::lifecycle::webhook_auth::BasicAuth;
use crate::ConnectionStatus;

/// One webhook MX sent.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum WebhookEvent {
    /// A connection status webhook: the payload has `connection_status` or
    /// `connection_status_id`.
    ConnectionStatus(ConnectionStatusEvent),
    /// An aggregation webhook: the payload has a known `type`,
    /// `completed_at` or `completed_on`.
    Aggregation(AggregationEvent),
    /// A payload this version of the crate does not know, kept whole.
    Other {
        /// `type`, when it is a string.
        type_: Option<String>,
        /// `action`, when it is a string.
        action: Option<String>,
        /// The whole payload, `type` and `action` included.
        body: Map<String, Value>,
    },
}

/// A member's connection status changed.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct ConnectionStatusEvent {
    /// `action`: CHANGED in every connection status webhook MX documents.
    pub action: Option<String>,
    /// From `connection_status`, or from `connection_status_id` when the
    /// name is missing.
    pub status: Option<ConnectionStatus>,
    /// `connection_status_id`: MX's number for the status (0 CREATED … 21
    /// PENDING).
    pub connection_status_id: Option<u64>,
    /// `connection_status_message`: MX's message about the status, for the
    /// end user.
    pub connection_status_message: Option<String>,
    /// `member_guid`: the member whose connection changed.
    pub member_guid: Option<String>,
    /// `user_guid`: the user the member belongs to.
    pub user_guid: Option<String>,
    /// Every other field (e.g. `type`, `user_id`, `member_id`, the callback
    /// payload).
    pub extra: Map<String, Value>,
}

/// An aggregation-type job of a member ended.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AggregationEvent {
    /// `action`, when the payload has one.
    pub action: Option<String>,
    /// `type`: the job that ended (AGGREGATION, BALANCE, HISTORY,
    /// STATEMENT, or a type MX added later).
    pub type_: Option<AggregationType>,
    /// `completed_at`: when the job ended, in Unix seconds.
    pub completed_at: Option<i64>,
    /// `completed_on`: the day the job ended, a date (`YYYY-MM-DD`).
    pub completed_on: Option<String>,
    /// `member_guid`: the member the job ran on.
    pub member_guid: Option<String>,
    /// `user_guid`: the user the member belongs to.
    pub user_guid: Option<String>,
    /// Every other field (e.g. transaction counts, the callback payload).
    pub extra: Map<String, Value>,
}

/// The job an [`AggregationEvent`] reports.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum AggregationType {
    /// `AGGREGATION`: an aggregate job (accounts, balances and recent
    /// transactions).
    Aggregation,
    /// `BALANCE`: a balances-only aggregation.
    Balance,
    /// `HISTORY`: an extend history job (up to 24 months of transactions).
    History,
    /// `STATEMENT`: a fetch statements job.
    Statement,
    /// A type MX added later.
    Unknown(String),
}

impl AggregationType {
    fn known(s: &str) -> Option<Self> {
        Some(match s {
            "AGGREGATION" => AggregationType::Aggregation,
            "BALANCE" => AggregationType::Balance,
            "HISTORY" => AggregationType::History,
            "STATEMENT" => AggregationType::Statement,
            _ => return None,
        })
    }
}

/// Removes `key` when it is a string or null; a value of another type stays.
fn take_str(map: &mut Map<String, Value>, key: &str) -> Option<String> {
    match map.get(key)? {
        Value::Null => {
            map.remove(key);
            None
        }
        Value::String(_) => match map.remove(key) {
            Some(Value::String(s)) => Some(s),
            _ => None,
        },
        _ => None,
    }
}

/// Removes `key` when it is an integer (or its digits) or null.
fn take_int(map: &mut Map<String, Value>, key: &str) -> Option<i64> {
    let n = match map.get(key)? {
        Value::Null => None,
        Value::Number(n) => Some(n.as_i64()?),
        Value::String(s) => Some(s.trim().parse().ok()?),
        _ => return None,
    };
    map.remove(key);
    n
}

impl WebhookEvent {
    /// Decodes one payload (a JSON object).
    pub fn from_json(body: &[u8]) -> Result<Self, WebhookError> {
        let value: Value = serde_json::from_slice(body).map_err(WebhookError::NotJson)?;
        let Value::Object(map) = value else {
            return Err(WebhookError::NotAnObject);
        };
        Ok(Self::from_map(map))
    }

    fn from_map(mut map: Map<String, Value>) -> Self {
        let is_status =
            map.contains_key("connection_status") || map.contains_key("connection_status_id");
        let type_ = map.get("type").and_then(Value::as_str);
        let is_aggregation = type_.and_then(AggregationType::known).is_some()
            || map.contains_key("completed_at")
            || map.contains_key("completed_on");
        if is_status {
            let id = take_int(&mut map, "connection_status_id").and_then(|n| u64::try_from(n).ok());
            let status = take_str(&mut map, "connection_status")
                .map(|s| ConnectionStatus::from(s.as_str()))
                .or_else(|| id.map(ConnectionStatus::from_id));
            WebhookEvent::ConnectionStatus(ConnectionStatusEvent {
                action: take_str(&mut map, "action"),
                status,
                connection_status_id: id,
                connection_status_message: take_str(&mut map, "connection_status_message"),
                member_guid: take_str(&mut map, "member_guid"),
                user_guid: take_str(&mut map, "user_guid"),
                extra: map,
            })
        } else if is_aggregation {
            let type_ = take_str(&mut map, "type")
                .map(|t| AggregationType::known(&t).unwrap_or(AggregationType::Unknown(t)));
            WebhookEvent::Aggregation(AggregationEvent {
                action: take_str(&mut map, "action"),
                type_,
                completed_at: take_int(&mut map, "completed_at"),
                completed_on: take_str(&mut map, "completed_on"),
                member_guid: take_str(&mut map, "member_guid"),
                user_guid: take_str(&mut map, "user_guid"),
                extra: map,
            })
        } else {
            WebhookEvent::Other {
                type_: map.get("type").and_then(Value::as_str).map(str::to_string),
                action: map
                    .get("action")
                    .and_then(Value::as_str)
                    .map(str::to_string),
                body: map,
            }
        }
    }
}

/// Why a webhook request was refused; [`status`](Self::status) is the HTTP
/// answer to give MX.
#[derive(Debug)]
#[non_exhaustive]
pub enum WebhookError {
    /// The HTTP Basic credentials are missing or wrong.
    Unauthorized,
    /// The body is over the receiver's bound.
    TooLarge {
        /// The receiver's bound, in bytes.
        limit: usize,
    },
    /// The body does not parse as JSON.
    NotJson(serde_json::Error),
    /// JSON, but not an object.
    NotAnObject,
}

impl WebhookError {
    /// The HTTP status to answer MX with: 401, 413 or 400.
    pub fn status(&self) -> http::StatusCode {
        match self {
            WebhookError::Unauthorized => http::StatusCode::UNAUTHORIZED,
            WebhookError::TooLarge { .. } => http::StatusCode::PAYLOAD_TOO_LARGE,
            WebhookError::NotJson(_) | WebhookError::NotAnObject => http::StatusCode::BAD_REQUEST,
        }
    }
}

impl std::fmt::Display for WebhookError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WebhookError::Unauthorized => {
                f.write_str("the webhook's HTTP Basic credentials are missing or wrong")
            }
            WebhookError::TooLarge { limit } => write!(f, "the webhook body is over {limit} bytes"),
            WebhookError::NotJson(e) => write!(f, "the webhook body is not JSON: {e}"),
            WebhookError::NotAnObject => f.write_str("the webhook body is not a JSON object"),
        }
    }
}

impl std::error::Error for WebhookError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            WebhookError::NotJson(e) => Some(e),
            _ => None,
        }
    }
}

/// Checks and decodes webhook requests; plug it into any HTTP framework.
#[derive(Debug, Clone)]
pub struct WebhookReceiver {
    auth: Option<BasicAuth>,
    max_body: usize,
}

impl WebhookReceiver {
    /// The default bound on a body: webhook payloads are small.
    pub const DEFAULT_MAX_BODY: usize = 256 * 1024;

    /// A receiver that requires these HTTP Basic credentials.
    pub fn new(auth: BasicAuth) -> Self {
        WebhookReceiver {
            auth: Some(auth),
            max_body: Self::DEFAULT_MAX_BODY,
        }
    }

    /// A receiver that checks no credentials: for endpoints MX reaches over
    /// mutual TLS, or behind a proxy that checks them.
    pub fn without_auth() -> Self {
        WebhookReceiver {
            auth: None,
            max_body: Self::DEFAULT_MAX_BODY,
        }
    }

    /// The largest body accepted, in bytes (default
    /// [`DEFAULT_MAX_BODY`](Self::DEFAULT_MAX_BODY)); a larger one is
    /// [`WebhookError::TooLarge`].
    pub fn max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// Verifies the credentials, then decodes the body.
    pub fn receive(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<WebhookEvent, WebhookError> {
        if self.auth.as_ref().is_some_and(|a| !a.verify(headers)) {
            tracing::warn!(target: "mx_client::lifecycle", "webhook refused: bad credentials");
            return Err(WebhookError::Unauthorized);
        }
        if body.len() > self.max_body {
            return Err(WebhookError::TooLarge {
                limit: self.max_body,
            });
        }
        let event = WebhookEvent::from_json(body)?;
        tracing::debug!(target: "mx_client::lifecycle", kind = event.kind(), "webhook received");
        Ok(event)
    }
}

impl WebhookEvent {
    /// The `X-CALLBACK-PAYLOAD` of the create or update that caused it,
    /// echoed by MX (read from
    /// [`CALLBACK_PAYLOAD_FIELD`](crate::lifecycle::callback::CALLBACK_PAYLOAD_FIELD)).
    pub fn callback_payload(&self) -> Option<&str> {
        let extra = match self {
            WebhookEvent::ConnectionStatus(e) => &e.extra,
            WebhookEvent::Aggregation(e) => &e.extra,
            WebhookEvent::Other { body, .. } => body,
        };
        extra
            .get(crate::lifecycle::callback::CALLBACK_PAYLOAD_FIELD)?
            .as_str()
    }

    /// A short name for logs.
    pub fn kind(&self) -> &'static str {
        match self {
            WebhookEvent::ConnectionStatus(_) => "connection_status",
            WebhookEvent::Aggregation(_) => "aggregation",
            WebhookEvent::Other { .. } => "other",
        }
    }
}

#[cfg(test)]
#[path = "webhook_tests.rs"]
mod tests;
