//! `X-CALLBACK-PAYLOAD` on the wire, and the simulator's webhooks read by
//! the crate's framework-neutral receiver inside an axum handler.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::http::{HeaderMap, StatusCode};
use mx_client::lifecycle::webhook::{AggregationType, WebhookEvent, WebhookReceiver};
use mx_client::lifecycle::webhook_auth::BasicAuth;
use mx_client::{atrium, nexus, ConnectionStatus, Error};
use serde_json::json;

use crate::common::{atrium_client, serve, Reply};
use crate::lifecycle_sim::mxbank_member;

const ATRIUM: &str = "application/vnd.mx.atrium.v1+json";
const NEXUS: &str = "application/vnd.mx.nexus.v1+json";

fn atrium_body() -> atrium::types::MemberCreateRequestBody {
    serde_json::from_value(json!({"member": {"institution_code": "mxbank", "is_oauth": true}}))
        .unwrap()
}

#[tokio::test]
async fn callback_payload_is_sent_on_atrium_create_and_update_only_when_set() {
    let server = serve(|_| Reply::json(200, ATRIUM, json!({"member": {"guid": "MBR-1"}}))).await;
    let c = atrium::Client::from_environment(
        atrium::Environment::Custom(server.base.clone()),
        mx_client::ClientId::new("client-id"),
        mx_client::ApiKey::new("key"),
    )
    .unwrap();
    let tagged = c.with_callback_payload("order-42 step:1").unwrap();
    tagged
        .create_member()
        .user_guid("USR-1")
        .body(atrium_body())
        .send()
        .await
        .unwrap();
    let update: atrium::types::MemberUpdateRequestBody =
        serde_json::from_value(json!({"member": {"metadata": "x"}})).unwrap();
    tagged
        .update_member()
        .user_guid("USR-1")
        .member_guid("MBR-1")
        .body(update)
        .send()
        .await
        .unwrap();
    // The original client is unchanged.
    c.create_member()
        .user_guid("USR-1")
        .body(atrium_body())
        .send()
        .await
        .unwrap();
    let r = server.requests();
    assert_eq!(
        (r[0].method.as_str(), r[0].path()),
        ("POST", "/users/USR-1/members")
    );
    assert_eq!(r[0].header("x-callback-payload"), Some("order-42 step:1"));
    assert_eq!(
        (r[1].method.as_str(), r[1].path()),
        ("PUT", "/users/USR-1/members/MBR-1")
    );
    assert_eq!(r[1].header("x-callback-payload"), Some("order-42 step:1"));
    assert_eq!(r[2].header("x-callback-payload"), None);

    let err = c.with_callback_payload("two\nlines").unwrap_err();
    assert!(matches!(err, Error::InvalidRequest(_)), "{err:?}");
}

#[tokio::test]
async fn callback_payload_and_skip_webhook_on_nexus_create() {
    let server = serve(|_| Reply::json(200, NEXUS, json!({"member": {"guid": "MBR-1"}}))).await;
    let c =
        nexus::Client::from_environment(nexus::Environment::Custom(server.base.clone()), "session")
            .unwrap();
    let body: nexus::types::MemberCreateRequestBody =
        serde_json::from_value(json!({"member": {"institution_guid": "INS-1", "is_oauth": true}}))
            .unwrap();
    c.skip_webhook()
        .with_callback_payload("tag-7")
        .unwrap()
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap();
    let r = server.only_request();
    assert_eq!(r.header("x-callback-payload"), Some("tag-7"));
    assert_eq!(r.header("mx-skip-webhook"), Some("true"));
}

#[test]
fn member_answers_give_their_window_url_and_snapshot() {
    let m: atrium::types::Member = serde_json::from_value(json!({"guid": "MBR-1",
        "connection_status": "PENDING", "is_being_aggregated": false,
        "oauth_window_uri": "int-widgets.moneydesktop.com/oauth/predirect_to/MBR-1/p8v7"}))
    .unwrap();
    assert_eq!(
        m.oauth_window_url().unwrap().unwrap().as_str(),
        "https://int-widgets.moneydesktop.com/oauth/predirect_to/MBR-1/p8v7"
    );
    assert_eq!(m.snapshot().status, Some(ConnectionStatus::Pending));
    let n: nexus::types::MemberResponse = serde_json::from_value(json!({"guid": "MBR-2",
        "connection_status": "CONNECTED", "is_being_aggregated": true,
        "oauth_window_uri": "https://int-widgets.moneydesktop.com/oauth/x"}))
    .unwrap();
    assert_eq!(
        n.oauth_window_url().unwrap().unwrap().as_str(),
        "https://int-widgets.moneydesktop.com/oauth/x"
    );
    let s = n.snapshot();
    assert_eq!(s.guid.as_deref(), Some("MBR-2"));
    assert_eq!(s.status, Some(ConnectionStatus::Connected));
    assert!(s.is_being_aggregated);
    let none: nexus::types::MemberResponse = serde_json::from_value(json!({})).unwrap();
    assert_eq!(none.oauth_window_url().unwrap(), None);
    let bad: nexus::types::MemberResponse =
        serde_json::from_value(json!({"oauth_window_uri": "javascript:alert(1)"})).unwrap();
    assert!(bad.oauth_window_url().is_err());
}

/// An axum receiver on 127.0.0.1 verifying with the crate's receiver.
async fn receiver(verifier: WebhookReceiver) -> (String, Arc<Mutex<Vec<WebhookEvent>>>) {
    let events: Arc<Mutex<Vec<WebhookEvent>>> = Arc::default();
    let seen = events.clone();
    let app = axum::Router::new().route(
        "/mx/webhooks",
        axum::routing::post(move |headers: HeaderMap, body: axum::body::Bytes| {
            let seen = seen.clone();
            let verifier = verifier.clone();
            async move {
                match verifier.receive(&headers, &body) {
                    Ok(event) => {
                        seen.lock().unwrap().push(event);
                        StatusCode::OK
                    }
                    Err(e) => e.status(),
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/mx/webhooks", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, app).await });
    (url, events)
}

async fn sim_to(url: &str, auth: &str) -> mx_sim::Simulator {
    let config = mx_sim::Config {
        aggregation_time: Duration::from_millis(100),
        job_time: Duration::from_millis(100),
        webhook: Some(mx_sim::WebhookConfig {
            backoff: Duration::from_millis(20),
            attempts: 2,
            ..mx_sim::WebhookConfig::new(url).basic_auth(auth).unwrap()
        }),
        ..mx_sim::Config::default()
    };
    mx_sim::start_with(config, "127.0.0.1:0".parse().unwrap())
        .await
        .unwrap()
}

async fn wait_for(events: &Mutex<Vec<WebhookEvent>>, n: usize) -> Vec<WebhookEvent> {
    for _ in 0..200 {
        if events.lock().unwrap().len() >= n {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    events.lock().unwrap().clone()
}

#[tokio::test]
async fn the_simulator_webhooks_decode_typed_with_the_callback_payload() {
    let auth = BasicAuth::new("mx", "hook-secret").unwrap();
    let (url, events) = receiver(WebhookReceiver::new(auth)).await;
    let sim = sim_to(&url, "mx:hook-secret").await;
    let c = atrium_client(&sim).with_callback_payload("run-1").unwrap();
    let denied = mxbank_member(&c, "UNAUTHORIZED").await;
    let connected = mxbank_member(&c, "secret").await;
    let got = wait_for(&events, 2).await;
    let status = got
        .iter()
        .find_map(|e| match e {
            WebhookEvent::ConnectionStatus(s) => Some(s),
            _ => None,
        })
        .expect("a connection-status webhook");
    assert_eq!(status.status, Some(ConnectionStatus::Denied));
    assert_eq!(status.connection_status_id, Some(2));
    assert_eq!(status.action.as_deref(), Some("CHANGED"));
    assert_eq!(status.member_guid.as_deref(), Some(denied.member_guid()));
    assert_eq!(status.user_guid.as_deref(), Some(denied.user_guid()));
    let agg = got
        .iter()
        .find_map(|e| match e {
            WebhookEvent::Aggregation(a) => Some(a),
            _ => None,
        })
        .expect("an aggregation webhook");
    assert_eq!(agg.type_, Some(AggregationType::Aggregation));
    assert_eq!(agg.member_guid.as_deref(), Some(connected.member_guid()));
    assert!(agg.completed_at.is_some_and(|t| t > 1_700_000_000));
    assert!(agg.completed_on.as_deref().is_some_and(|d| d.len() == 10));
    assert!(got.iter().all(|e| e.callback_payload() == Some("run-1")));
}

#[tokio::test]
async fn webhooks_with_the_wrong_basic_auth_are_refused() {
    let auth = BasicAuth::new("mx", "hook-secret").unwrap();
    let (url, events) = receiver(WebhookReceiver::new(auth)).await;
    let sim = sim_to(&url, "mx:wrong").await;
    let c = atrium_client(&sim);
    mxbank_member(&c, "UNAUTHORIZED").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(events.lock().unwrap().is_empty());
}
