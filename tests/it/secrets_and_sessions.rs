//! Secrets stay secret (Debug, Display, errors, tracing output) and an
//! expired Nexus session is renewed the way MX asks.

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use crate::common::{serve, Reply};
use mx_client::{atrium, nexus, Error, SecretString};
use mx_sim as sim;
use serde_json::json;

const TOKEN: &str = "sess-4d1f0c9e8b7a6f5e4d3c2b1a0f9e8d7c";
const NEW_TOKEN: &str = "sess-renewed-9a8b7c6d5e4f3a2b1c0d";
const API_KEY: &str = "key-0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5d";
const CLIENT_ID: &str = "cid-5d4c3b2a1f0e9d8c7b6a5f4e3d2c1b0a";
const PASSWORD: &str = "Pa$$vv@Rd-correct-horse-battery";
const NEXUS: &str = "application/vnd.mx.nexus.v1+json";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// Every trace of this test binary, from one global subscriber (a
/// per-thread one would race with the other tests' callsite registration).
fn traces() -> &'static Captured {
    static CAPTURED: std::sync::OnceLock<Captured> = std::sync::OnceLock::new();
    CAPTURED.get_or_init(|| {
        let captured = Captured::default();
        let writer = captured.clone();
        let subscriber = tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || writer.clone())
            .with_ansi(false)
            .finish();
        tracing::subscriber::set_global_default(subscriber).expect("the only subscriber");
        captured
    })
}

fn assert_clean(what: &str, shown: &str) {
    for secret in [TOKEN, NEW_TOKEN, API_KEY, CLIENT_ID, PASSWORD] {
        assert!(!shown.contains(secret), "{what} shows a secret: {shown}");
    }
}

/// Every client, builder, request body, error and trace, formatted with
/// known secrets inside: none appears.
#[tokio::test]
async fn no_secret_in_debug_display_errors_or_traces() {
    let captured = traces();

    let server = serve(|r| {
        if r.uri.ends_with("/members") {
            Reply::json(
                401,
                NEXUS,
                json!({"error": {"code": 4011, "message": "Session expired"}}),
            )
        } else {
            Reply::json(
                404,
                "application/vnd.mx.atrium.v1+json",
                json!({"error": {"message": "Not found"}}),
            )
        }
    })
    .await;
    let nx = nexus::Client::builder(nexus::Environment::Custom(server.base.clone()), TOKEN)
        .session_token_provider(|| async { Ok(SecretString::from(NEW_TOKEN)) });
    assert_clean("nexus builder", &format!("{nx:?}"));
    let nx = nx.build().unwrap();
    let at = atrium::Client::builder(
        atrium::Environment::Custom(server.base.clone()),
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    );
    assert_clean("atrium builder", &format!("{at:?}"));
    let at = at.build().unwrap();
    assert_clean(
        "clients",
        &format!(
            "{nx:?} {:?} {at:?} {:?}",
            nx.skip_webhook(),
            nx.with_session_token(NEW_TOKEN)
        ),
    );

    let body = nexus::types::MemberCreateRequestBody::new(nexus::types::MemberCreateRequest {
        credentials: vec![nexus::types::MemberCreateRequestCredentialsItem {
            credential_guid: Some("CRD-1".into()),
            value: Some(PASSWORD.into()),
            ..Default::default()
        }],
        ..nexus::types::MemberCreateRequest::new("INS-1")
    });
    assert_clean("nexus request", &format!("{body:?}"));
    let abody = atrium::types::MemberResumeRequestBody::new(atrium::types::MemberResumeRequest {
        challenges: vec![atrium::types::CredentialRequest {
            guid: Some("CRD-1".into()),
            value: Some(PASSWORD.into()),
            ..Default::default()
        }],
        ..Default::default()
    });
    assert_clean("atrium request", &format!("{abody:?}"));
    assert!(server.requests().is_empty());

    let e: Error = nx.create_member().body(body).send().await.unwrap_err();
    assert!(matches!(e, Error::SessionExpired(_)), "{e:?}");
    assert_clean("session error", &format!("{e:?} {e}"));
    let e: Error = at.read_user().user_guid("USR-1").send().await.unwrap_err();
    assert_clean("atrium error", &format!("{e:?} {e}"));
    // The password did reach the wire (as it must), and only the wire.
    assert!(String::from_utf8_lossy(&server.requests()[0].body).contains(PASSWORD));

    let config = sim::Config {
        api_key: API_KEY.into(),
        client_id: CLIENT_ID.into(),
        session_token: TOKEN.into(),
        ..sim::Config::default()
    };
    assert_clean("simulator config", &format!("{config:?}"));

    let traces = String::from_utf8(captured.0.lock().unwrap().clone()).unwrap();
    assert!(traces.contains("mx.request"), "{traces}");
    assert!(
        traces.contains("createMember") && traces.contains("read_user"),
        "{traces}"
    );
    // Each request's span: operation, method, status, duration.
    let create = traces
        .lines()
        .find(|l| l.contains("operation=\"createMember\"") && l.contains("answered"))
        .unwrap_or_else(|| panic!("no span for createMember: {traces}"));
    for field in [
        "method=POST",
        "status=401",
        "duration_ms=",
        "path=\"/members\"",
    ] {
        assert!(create.contains(field), "{field} missing: {create}");
    }
    assert_clean("traces", &traces);
}

/// A create that meets an expired session is not sent again (it could
/// duplicate the member), but the client renews its token, and the next
/// request carries the new one.
#[tokio::test]
async fn an_expired_session_renews_the_token_and_never_resends_a_create() {
    traces();
    let server = serve(|r| {
        if r.header("md-session-token") == Some(NEW_TOKEN) {
            Reply::json(200, NEXUS, json!({"member": {"guid": "MBR-1"}}))
        } else {
            Reply::json(
                401,
                NEXUS,
                json!({"error": {"code": 4011, "message": "Session expired"}}),
            )
        }
    })
    .await;
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = calls.clone();
    let nx = nexus::Client::builder(nexus::Environment::Custom(server.base.clone()), TOKEN)
        .session_token_provider(move || {
            counter.fetch_add(1, Ordering::SeqCst);
            async { Ok(SecretString::from(NEW_TOKEN)) }
        })
        .build()
        .unwrap();
    let body =
        nexus::types::MemberCreateRequestBody::new(nexus::types::MemberCreateRequest::new("INS-1"));
    let e: Error = nx
        .create_member()
        .body(body.clone())
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::SessionExpired(ref a) if a.code == Some(4011)),
        "{e:?}"
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(server.requests().len(), 1, "a create is never resent");

    let m = nx
        .create_member()
        .body(body)
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(m.member.unwrap().guid.as_deref(), Some("MBR-1"));
    let reqs = server.requests();
    assert_eq!(reqs[1].header("md-session-token"), Some(NEW_TOKEN));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A read that meets an expired credential is sent again once, with the
/// renewed value (the same mechanism serves any API's header credential).
#[tokio::test]
async fn an_expired_credential_on_a_read_is_renewed_and_the_read_resent_once() {
    traces();
    let server = serve(|r| {
        if r.header("mx-api-key") == Some(NEW_TOKEN) {
            Reply::json(
                200,
                "application/vnd.mx.atrium.v1+json",
                json!({"user": {"guid": "USR-1"}}),
            )
        } else {
            Reply::json(
                401,
                "application/vnd.mx.atrium.v1+json",
                json!({"error": {"code": 4011, "message": "expired"}}),
            )
        }
    })
    .await;
    let at = atrium::Client::builder(
        atrium::Environment::Custom(server.base.clone()),
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    )
    .credential_provider(atrium::SecurityScheme::ApiKey, || async {
        Ok(SecretString::from(NEW_TOKEN))
    })
    .build()
    .unwrap();
    let u = at
        .read_user()
        .user_guid("USR-1")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(u.user.guid.as_deref(), Some("USR-1"));
    let reqs = server.requests();
    assert_eq!(reqs.len(), 2);
    assert_eq!(reqs[0].header("mx-api-key"), Some(API_KEY));
    assert_eq!(reqs[1].header("mx-api-key"), Some(NEW_TOKEN));
    assert_eq!(reqs[1].header("mx-client-id"), Some(CLIENT_ID));

    // A provider that fails leaves the error as it was, once.
    let server = serve(|_| {
        Reply::json(
            401,
            "application/vnd.mx.atrium.v1+json",
            json!({"error": {"code": 4011, "message": "expired"}}),
        )
    })
    .await;
    let at = atrium::Client::builder(
        atrium::Environment::Custom(server.base.clone()),
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    )
    .credential_provider(atrium::SecurityScheme::ApiKey, || async {
        Err("SSO is down".into())
    })
    .build()
    .unwrap();
    let e: Error = at.read_user().user_guid("USR-1").send().await.unwrap_err();
    assert!(matches!(e, Error::SessionExpired(_)), "{e:?}");
    assert_eq!(server.requests().len(), 1);
}
