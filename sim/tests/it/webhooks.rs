//! The webhooks the simulator sends, received by a loopback receiver.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use mx_sim::{Config, Simulator, WebhookConfig};
use serde_json::Value;

use crate::helpers::{mxbank_member, send, user, JOB, JSON};

/// A receiver on 127.0.0.1 that keeps every request and fails the first
/// `failures` with a 500.
struct Receiver {
    url: String,
    got: Arc<Mutex<Vec<(HeaderMap, Value)>>>,
}

async fn receiver(failures: usize) -> Receiver {
    let got: Arc<Mutex<Vec<(HeaderMap, Value)>>> = Arc::default();
    let seen = got.clone();
    let count = Arc::new(AtomicUsize::new(0));
    let app = axum::Router::new().fallback(move |headers: HeaderMap, body: axum::body::Bytes| {
        let seen = seen.clone();
        let count = count.clone();
        async move {
            let json = serde_json::from_slice(&body).unwrap_or(Value::Null);
            seen.lock().unwrap().push((headers, json));
            if count.fetch_add(1, Ordering::SeqCst) < failures {
                StatusCode::INTERNAL_SERVER_ERROR
            } else {
                StatusCode::OK
            }
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/hooks/mx", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    Receiver { url, got }
}

impl Receiver {
    fn bodies(&self) -> Vec<Value> {
        self.got
            .lock()
            .unwrap()
            .iter()
            .map(|(_, b)| b.clone())
            .collect()
    }

    /// Waits (without any request to the simulator) until `pred` holds.
    async fn wait_for(&self, pred: impl Fn(&[Value]) -> bool) -> Vec<Value> {
        for _ in 0..150 {
            let bodies = self.bodies();
            if pred(&bodies) {
                return bodies;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("the receiver got {:#?}", self.bodies());
    }
}

async fn sim_to(webhook: WebhookConfig) -> Simulator {
    let config = Config {
        aggregation_time: JOB,
        job_time: JOB,
        webhook: Some(webhook),
        ..Config::default()
    };
    mx_sim::start_with(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator starts")
}

/// Creates an MX Bank member with `password` and extra headers.
async fn create(sim: &Simulator, user: &str, password: &str, extra: &[(&str, &str)]) -> String {
    let mut headers = vec![
        ("MX-API-Key", mx_sim::DEMO_API_KEY),
        ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
        ("Accept", JSON),
        ("Content-Type", "application/json"),
    ];
    headers.extend_from_slice(extra);
    let a = send(
        "POST",
        &format!("{}/users/{user}/members", sim.atrium_base_url()),
        &headers,
        Some(mxbank_member(password).to_string().into_bytes()),
    )
    .await;
    assert_eq!(a.status, 202, "{a:?}");
    a.json()["member"]["guid"].as_str().unwrap().to_string()
}

fn of<'a>(bodies: &'a [Value], member: &str) -> Vec<&'a Value> {
    bodies
        .iter()
        .filter(|b| b["member_guid"] == member)
        .collect()
}

#[tokio::test]
async fn a_denied_member_sends_a_connection_status_webhook_with_basic_auth_and_the_payload() {
    let rx = receiver(0).await;
    let sim = sim_to(
        WebhookConfig::new(&rx.url)
            .basic_auth("hook-user:hook-pass")
            .unwrap(),
    )
    .await;
    let u = user(&sim).await;
    let m = create(
        &sim,
        &u,
        "UNAUTHORIZED",
        &[("X-CALLBACK-PAYLOAD", "order-42")],
    )
    .await;
    // No request after the create: the job ends and the webhook goes out
    // by themselves.
    let bodies = rx.wait_for(|b| !of(b, &m).is_empty()).await;
    let hooks = of(&bodies, &m);
    assert_eq!(
        hooks.len(),
        1,
        "only DENIED is a webhook status: {hooks:#?}"
    );
    let h = hooks[0];
    assert_eq!(h["action"], "CHANGED");
    assert_eq!(h["type"], "MEMBER");
    assert_eq!(h["connection_status"], "DENIED");
    assert_eq!(h["connection_status_id"], 2);
    assert!(h["connection_status_message"]
        .as_str()
        .is_some_and(|s| !s.is_empty()));
    assert_eq!(h["user_guid"], u.as_str());
    assert_eq!(h["callback_payload"], "order-42");
    let got = rx.got.lock().unwrap();
    let (headers, _) = &got[0];
    // base64("hook-user:hook-pass")
    assert_eq!(
        headers["authorization"],
        "Basic aG9vay11c2VyOmhvb2stcGFzcw=="
    );
    assert_eq!(headers["content-type"], "application/json");
}

#[tokio::test]
async fn a_connected_member_sends_an_aggregation_webhook_and_no_status_webhook() {
    let rx = receiver(0).await;
    let sim = sim_to(WebhookConfig::new(&rx.url)).await;
    let u = user(&sim).await;
    let m = create(&sim, &u, "password", &[]).await;
    let bodies = rx.wait_for(|b| !of(b, &m).is_empty()).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    let bodies = of(&bodies, &m);
    assert_eq!(bodies.len(), 1, "{bodies:#?}");
    let h = bodies[0];
    assert_eq!(h["type"], "AGGREGATION");
    assert_eq!(h["action"], "member_data_updated");
    let at = h["completed_at"]
        .as_u64()
        .expect("completed_at is a Unix integer");
    assert!(at > 1_700_000_000, "{at}");
    let on = h["completed_on"].as_str().unwrap();
    assert_eq!(on.len(), 10, "{on}");
    assert_eq!(&on[4..5], "-");
    assert!(h.get("callback_payload").is_none());
    assert!(rx.got.lock().unwrap()[0].0.get("authorization").is_none());
}

#[tokio::test]
async fn a_failing_receiver_is_retried_with_the_same_payload() {
    let rx = receiver(2).await;
    let sim = sim_to(WebhookConfig {
        attempts: 4,
        backoff: Duration::from_millis(20),
        ..WebhookConfig::new(&rx.url)
    })
    .await;
    let u = user(&sim).await;
    let m = create(&sim, &u, "challenge", &[]).await;
    let bodies = rx.wait_for(|b| of(b, &m).len() >= 3).await;
    let hooks = of(&bodies, &m);
    assert!(hooks.iter().all(|h| h["connection_status"] == "CHALLENGED"));
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(
        of(&rx.bodies(), &m).len(),
        3,
        "two failures, then a success: no more"
    );
}

#[tokio::test]
async fn retries_are_bounded() {
    let rx = receiver(usize::MAX).await;
    let sim = sim_to(WebhookConfig {
        attempts: 3,
        backoff: Duration::from_millis(10),
        ..WebhookConfig::new(&rx.url)
    })
    .await;
    let u = user(&sim).await;
    let m = create(&sim, &u, "UNAUTHORIZED", &[]).await;
    rx.wait_for(|b| of(b, &m).len() >= 3).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(of(&rx.bodies(), &m).len(), 3);
}

#[tokio::test]
async fn skip_webhook_sends_none_and_https_is_refused() {
    let rx = receiver(0).await;
    let sim = sim_to(WebhookConfig::new(&rx.url)).await;
    let u = user(&sim).await;
    let muted = create(&sim, &u, "UNAUTHORIZED", &[("MX-Skip-Webhook", "true")]).await;
    let other = user(&sim).await;
    let loud = create(&sim, &other, "UNAUTHORIZED", &[]).await;
    rx.wait_for(|b| !of(b, &loud).is_empty()).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert!(of(&rx.bodies(), &muted).is_empty());

    let err = mx_sim::start_with(
        Config {
            webhook: Some(WebhookConfig::new("https://example.com/hooks")),
            ..Config::default()
        },
        "127.0.0.1:0".parse().unwrap(),
    )
    .await
    .unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("plain http"), "{err}");
    let bad = WebhookConfig::new("http://x").basic_auth("no-colon");
    assert!(bad.is_err());
    let dbg = format!(
        "{:?}",
        WebhookConfig::new("http://x")
            .basic_auth("u:secret-pw")
            .unwrap()
    );
    assert!(!dbg.contains("secret-pw"), "{dbg}");
}

/// The `mx-sim` binary's flags, end to end: a DENIED member's webhook
/// reaches a receiver with the Basic credentials of `--webhook-basic-auth`.
#[tokio::test]
async fn the_binary_sends_webhooks_as_its_flags_say() {
    use std::io::{BufRead, BufReader};
    use std::process::{Command, Stdio};

    let bin = env!("CARGO_BIN_EXE_mx-sim");
    let refused = Command::new(bin)
        .args([
            "--addr",
            "127.0.0.1:0",
            "--webhook-url",
            "https://example.com/h",
        ])
        .output()
        .unwrap();
    assert!(!refused.status.success());
    assert!(String::from_utf8_lossy(&refused.stderr).contains("plain http"));

    let rx = receiver(0).await;
    let mut child = Command::new(bin)
        .args(["--addr", "127.0.0.1:0", "--aggregation-ms", "100"])
        .args([
            "--webhook-url",
            &rx.url,
            "--webhook-basic-auth",
            "bin-user:bin-pass",
        ])
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    // Kept open until the child is killed: it prints more lines.
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    stdout.read_line(&mut first).unwrap();
    let addr = first.trim().rsplit(' ').next().unwrap().to_string();
    let base = format!("http://{addr}/atrium");
    let headers = [
        ("MX-API-Key", mx_sim::DEMO_API_KEY),
        ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
        ("Accept", JSON),
        ("Content-Type", "application/json"),
    ];
    let body = |v: Value| Some(v.to_string().into_bytes());
    let u = send(
        "POST",
        &format!("{base}/users"),
        &headers,
        body(serde_json::json!({"user": {}})),
    )
    .await
    .json()["user"]["guid"]
        .as_str()
        .unwrap()
        .to_string();
    let m = send(
        "POST",
        &format!("{base}/users/{u}/members"),
        &headers,
        body(mxbank_member("UNAUTHORIZED")),
    )
    .await
    .json()["member"]["guid"]
        .as_str()
        .unwrap()
        .to_string();
    let bodies = rx.wait_for(|b| !of(b, &m).is_empty()).await;
    let _ = child.kill();
    let _ = child.wait();
    drop(stdout);
    assert_eq!(of(&bodies, &m)[0]["connection_status"], "DENIED");
    // base64("bin-user:bin-pass")
    assert_eq!(
        rx.got.lock().unwrap()[0].0["authorization"],
        "Basic YmluLXVzZXI6YmluLXBhc3M="
    );
}
