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
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::{json, Value};

use super::member::STATUSES;
use crate::config::WebhookConfig;
use crate::engine::Engine;
use crate::store::text;
use crate::world::{JobKind, World};

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
    let id = STATUSES.iter().position(|s| *s == status);
    queue(
        world,
        member_guid,
        json!({
            "action": "CHANGED",
            "type": "MEMBER",
            "connection_status": status,
            "connection_status_id": id,
            "connection_status_message": message(status),
        }),
    );
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
pub fn check(config: &WebhookConfig) -> Result<reqwest::Url, String> {
    let url = reqwest::Url::parse(&config.url)
        .map_err(|e| format!("the webhook URL {} is not a URL: {e}", config.url))?;
    match url.scheme() {
        "http" => Ok(url),
        "https" => Err(format!(
            "the webhook URL {url} is https: the simulator sends webhooks over plain http only \
             (e.g. to a receiver on 127.0.0.1)"
        )),
        other => Err(format!(
            "the webhook URL {url} has the scheme {other}, not http"
        )),
    }
}

/// Lets due jobs finish and sends the queued webhooks, until the simulator
/// is gone.
pub async fn run(engine: Weak<Engine>, config: WebhookConfig, url: reqwest::Url) {
    let http = reqwest::Client::builder()
        .timeout(config.timeout)
        .build()
        .unwrap_or_default();
    loop {
        tokio::time::sleep(TICK).await;
        let Some(engine) = engine.upgrade() else {
            return;
        };
        let due = {
            let mut world = engine.world();
            (engine.rules.settle)(&mut world, Instant::now());
            world
                .outbox
                .as_mut()
                .map(std::mem::take)
                .unwrap_or_default()
        };
        drop(engine);
        for payload in due {
            tokio::spawn(deliver(http.clone(), config.clone(), url.clone(), payload));
        }
    }
}

/// POSTs one payload, retrying with doubling delays; `true` once a 2xx
/// came back.
async fn deliver(
    http: reqwest::Client,
    config: WebhookConfig,
    url: reqwest::Url,
    payload: Value,
) -> bool {
    let body = payload.to_string();
    let mut delay = config.backoff;
    for attempt in 1..=config.attempts.max(1) {
        let mut req = http
            .post(url.clone())
            .header(reqwest::header::CONTENT_TYPE, "application/json")
            .body(body.clone());
        if let Some((user, password)) = &config.basic_auth {
            req = req.basic_auth(user, Some(password));
        }
        match req.send().await {
            Ok(r) if r.status().is_success() => return true,
            _ if attempt == config.attempts.max(1) => break,
            _ => {
                tokio::time::sleep(delay).await;
                delay = delay.saturating_mul(2);
            }
        }
    }
    false
}
