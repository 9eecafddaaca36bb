//! MX's member webhooks, sent to the configured URL (`--webhook-url`).
//!
//! Shapes (docs.mx.com `/resources/webhooks/*`):
//! - connection status, for CHALLENGED, DENIED, EXPIRED, IMPAIRED, IMPEDED,
//!   LOCKED, PREVENTED and REJECTED: `action` CHANGED, `type` MEMBER,
//!   `connection_status`, `connection_status_id`,
//!   `connection_status_message`, `member_guid`, `user_guid`;
//! - aggregation, when an aggregate, balance, extend_history or
//!   fetch_statements job ends connected: `action` member_data_updated,
//!   `type` AGGREGATION, BALANCE, HISTORY or STATEMENT, `completed_at`
//!   (Unix seconds), `completed_on` (a date), `member_guid`, `user_guid`
//!   (identify and verify have webhooks of their own, not sent here).
//!
//! A create or update's `X-CALLBACK-PAYLOAD` is echoed as
//! `callback_payload`; `MX-Skip-Webhook: true` sends none for what the
//! request causes. The rules only queue payloads (in the world, under its
//! lock); one task lets due jobs finish every few milliseconds, so that
//! statuses change without a request, and POSTs the queue, each payload
//! retried with doubling delays. Plain `http://` only (no TLS client).

use std::sync::Weak;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::body::Bytes;
use axum::http::{header, HeaderValue, Request, Uri};
use base64::Engine as _;
use http_body_util::Full;
use hyper_util::client::legacy::{connect::HttpConnector, Client};
use hyper_util::rt::TokioExecutor;
use serde_json::{json, Value};

use super::statuses::STATUSES;
use super::world::{Event, JobKind, World};
use super::Mx;
use crate::config::WebhookConfig;
use crate::engine::call::Call;
use crate::store::text;

/// MX's connection-status webhook payload of a recorded status change,
/// with the change's time.
pub fn event_payload(event: &Event) -> Value {
    let mut payload = connection_status_payload(&event.connection_status);
    payload["member_guid"] = json!(event.member_guid);
    payload["user_guid"] = json!(event.user_guid);
    payload["at"] = json!(crate::time::rfc3339(event.at));
    payload
}

/// A create or update's `X-CALLBACK-PAYLOAD`: echoed in the webhooks of
/// the member it creates or updates.
pub fn callback_payload(call: &Call<'_>) -> Option<String> {
    call.header("x-callback-payload").map(str::to_string)
}

/// `MX-Skip-Webhook: true`: no webhook for what the request causes.
pub fn skip_webhook(call: &Call<'_>) -> bool {
    call.header("mx-skip-webhook")
        .is_some_and(|v| v.eq_ignore_ascii_case("true"))
}

/// The statuses MX sends a connection-status webhook for.
pub const CONNECTION_STATUS_WEBHOOKS: &[&str] = &[
    "CHALLENGED",
    "DENIED",
    "EXPIRED",
    "IMPAIRED",
    "IMPEDED",
    "LOCKED",
    "PREVENTED",
    "REJECTED",
];

/// Payloads kept when nobody takes them (the oldest go first).
const MAX_QUEUED: usize = 10_000;

/// How often due jobs finish and the queue is sent.
const TICK: Duration = Duration::from_millis(20);

fn message(status: &str) -> &'static str {
    match status {
        "CHALLENGED" => "The institution asks for more information (MFA).",
        "DENIED" => "The credentials were not accepted by the institution.",
        "EXPIRED" => "The MFA answer was not given in time.",
        "IMPAIRED" => "The institution needs the end user to log in there.",
        "IMPEDED" => "The end user must act at the institution's website.",
        "LOCKED" => "The institution locked the account.",
        "PREVENTED" => "Too many failed attempts: update the credentials.",
        "REJECTED" => "The MFA answer was not accepted.",
        _ => "",
    }
}

/// Queues `payload` for `member_guid`, with its callback payload, unless
/// webhooks are off or muted for it.
fn queue(world: &mut World, member_guid: &str, mut payload: Value) {
    let Some(rt) = world.members.get(member_guid) else {
        return;
    };
    if rt.skip_webhooks || world.outbox.is_none() {
        return;
    }
    if let Some(p) = &rt.callback_payload {
        payload["callback_payload"] = json!(p);
    }
    let user_guid = world
        .store
        .get("members", member_guid)
        .and_then(|r| text(r, "user_guid"))
        .unwrap_or_default()
        .to_string();
    payload["member_guid"] = json!(member_guid);
    payload["user_guid"] = json!(user_guid);
    if let Some(outbox) = world.outbox.as_mut() {
        if outbox.len() >= MAX_QUEUED {
            outbox.remove(0);
        }
        outbox.push(payload);
    }
}

/// A member's status became `status`.
pub fn on_status(world: &mut World, member_guid: &str, status: &str) {
    if !CONNECTION_STATUS_WEBHOOKS.contains(&status) {
        return;
    }
    queue(world, member_guid, connection_status_payload(status));
}

/// The body of MX's connection-status webhook, without the GUIDs (the one
/// shape the webhooks and `Simulator::events()` share).
pub(crate) fn connection_status_payload(status: &str) -> Value {
    json!({
        "action": "CHANGED",
        "type": "MEMBER",
        "connection_status": status,
        "connection_status_id": STATUSES.iter().position(|s| *s == status),
        "connection_status_message": message(status),
    })
}

/// A job of `kind` ended with the member connected.
pub fn on_job_done(world: &mut World, member_guid: &str, kind: JobKind, at: SystemTime) {
    let type_ = match kind {
        JobKind::Aggregate => "AGGREGATION",
        JobKind::Balance => "BALANCE",
        JobKind::ExtendHistory => "HISTORY",
        JobKind::FetchStatements => "STATEMENT",
        JobKind::Identify | JobKind::Verify => return,
    };
    let secs = at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    queue(
        world,
        member_guid,
        json!({
            "action": "member_data_updated",
            "type": type_,
            "completed_at": secs,
            "completed_on": crate::time::date(at, 0),
        }),
    );
}

/// Checks the URL: `http://` only.
pub fn check(config: &WebhookConfig) -> Result<Uri, String> {
    let uri: Uri = config
        .url
        .parse()
        .map_err(|e| format!("the webhook URL {} is not a URL: {e}", config.url))?;
    match uri.scheme_str() {
        Some("http") if uri.host().is_some() => Ok(uri),
        Some("https") => Err(format!(
            "the webhook URL {uri} is https: the simulator sends webhooks over plain http only \
             (e.g. to a receiver on 127.0.0.1)"
        )),
        _ => Err(format!(
            "the webhook URL {uri} is not an http:// URL with a host"
        )),
    }
}

type Http = Client<HttpConnector, Full<Bytes>>;

/// Lets due jobs finish and sends the queued webhooks, until the simulator
/// is gone.
pub async fn run(mx: Weak<Mx>, config: WebhookConfig, url: Uri) {
    let http: Http = Client::builder(TokioExecutor::new()).build_http();
    let auth = config.basic_auth.as_ref().and_then(|(user, password)| {
        let token = base64::engine::general_purpose::STANDARD.encode(format!("{user}:{password}"));
        HeaderValue::from_str(&format!("Basic {token}")).ok()
    });
    loop {
        tokio::time::sleep(TICK).await;
        let Some(mx) = mx.upgrade() else {
            return;
        };
        let due = {
            let mut world = mx.world();
            world
                .outbox
                .as_mut()
                .map(std::mem::take)
                .unwrap_or_default()
        };
        drop(mx);
        for payload in due {
            let post = Post {
                http: http.clone(),
                url: url.clone(),
                auth: auth.clone(),
                body: Bytes::from(payload.to_string()),
            };
            tokio::spawn(post.deliver(config.clone()));
        }
    }
}

/// One webhook to send.
struct Post {
    http: Http,
    url: Uri,
    auth: Option<HeaderValue>,
    body: Bytes,
}

impl Post {
    /// POSTs the payload, retrying with doubling delays; `true` once a 2xx
    /// came back.
    async fn deliver(self, config: WebhookConfig) -> bool {
        let attempts = config.attempts.max(1);
        let mut delay = config.backoff;
        for attempt in 1..=attempts {
            if self.try_once(config.timeout).await {
                return true;
            }
            if attempt < attempts {
                tokio::time::sleep(delay).await;
                delay = delay.saturating_mul(2);
            }
        }
        false
    }

    async fn try_once(&self, timeout: Duration) -> bool {
        let mut req = Request::post(self.url.clone())
            .header(header::CONTENT_TYPE, "application/json")
            .header(header::USER_AGENT, "mx-sim webhooks");
        if let Some(auth) = &self.auth {
            req = req.header(header::AUTHORIZATION, auth.clone());
        }
        let Ok(req) = req.body(Full::new(self.body.clone())) else {
            return false;
        };
        matches!(
            tokio::time::timeout(timeout, self.http.request(req)).await,
            Ok(Ok(resp)) if resp.status().is_success()
        )
    }
}
