//! The runtime's typed paths: failures reported through the per-request
//! channel, the one idempotency rule, credentials named by the API's
//! `SecurityScheme` enum.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use mx_client::__private::{Failure, Hooks};
use mx_client::atrium::{self, types as at, SecurityScheme};
use mx_client::{nexus, Error, InvalidRequest};
use serde_json::json;
use tokio::io::AsyncWriteExt;

use crate::common::{serve, Reply};

const ATRIUM: &str = "application/vnd.mx.atrium.v1+json";
const KEY: &str = "key-4c1d";
const CID: &str = "cid-9e2a";

fn user() -> Reply {
    Reply::json(200, ATRIUM, json!({"user": {"guid": "USR-1"}}))
}

async fn read_user(c: &atrium::Client) -> Result<String, Error> {
    c.read_user()
        .user_guid("USR-1")
        .send()
        .await
        .map(|r| r.into_inner().user.guid.unwrap_or_default())
}

async fn update_user(c: &atrium::Client, guid: &str) -> Result<(), Error> {
    c.update_user()
        .user_guid(guid)
        .body(at::UserUpdateRequestBody::new(at::User {
            metadata: Some("m".into()),
            ..Default::default()
        }))
        .send()
        .await
        .map(|_| ())
}

/// A credential the client does not have stops the request before it is
/// sent, as a typed error naming the scheme.
#[tokio::test]
async fn a_missing_credential_is_an_invalid_request_and_nothing_is_sent() {
    let server = serve(|_| user()).await;
    let hooks = Hooks::new(mx_client::__private::wire_of::<atrium::Client>())
        .with_credential(SecurityScheme::ApiKey, KEY.into());
    let c = <atrium::Client as mx_client::__private::ClientParts>::from_parts(
        &server.base,
        reqwest::Client::new(),
        hooks,
    );
    let e = read_user(&c).await.unwrap_err();
    match &e {
        Error::InvalidRequest(InvalidRequest::MissingCredential { scheme }) => {
            assert_eq!(*scheme, "clientId");
            assert!(e.to_string().contains("`clientId`"), "{e}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(server.requests().is_empty());
}

/// A credential that is no valid header value is refused when it would be
/// sent, without showing it.
#[tokio::test]
async fn an_invalid_credential_is_an_invalid_request_without_its_value() {
    let server = serve(|_| user()).await;
    let c = atrium::Client::builder(
        atrium::Environment::Custom(server.base.clone()),
        mx_client::ClientId::new(CID),
        mx_client::ApiKey::new("bad\nkey-secret"),
    )
    .build()
    .unwrap();
    let e = read_user(&c).await.unwrap_err();
    match &e {
        Error::InvalidRequest(InvalidRequest::InvalidCredential { scheme, reason }) => {
            assert_eq!(*scheme, "apiKey");
            assert!(reason.contains("not a valid header value"), "{reason}");
        }
        other => panic!("expected InvalidRequest, got {other:?}"),
    }
    assert!(!format!("{e} {e:?}").contains("key-secret"));
    assert!(server.requests().is_empty());
}

/// A success answer of the wrong media type, and one declared over the
/// bound: each its own variant (redirects and a create's unknown outcome are
/// in `faults.rs`).
#[tokio::test]
async fn hook_failures_arrive_as_their_own_variants() {
    let server = serve(|r| match r.path() {
        "/users/USR-1" if r.method == "GET" => Reply::bytes(200, "text/html", b"<html>"),
        _ => Reply::json(
            200,
            ATRIUM,
            json!({"user": {"guid": "USR-1", "metadata": "x".repeat(4096)}}),
        ),
    })
    .await;
    let c = atrium::Client::builder(
        atrium::Environment::Custom(server.base.clone()),
        mx_client::ClientId::new(CID),
        mx_client::ApiKey::new(KEY),
    )
    .max_response_bytes(1024)
    .build()
    .unwrap();
    let e = read_user(&c).await.unwrap_err();
    assert!(
        matches!(e, Error::UnexpectedContentType { ref got, documented } if got.contains("text/html") && documented == ATRIUM),
        "{e:?}"
    );
    // axum declares the length: refused before the body is read.
    let e = update_user(&c, "USR-1").await.unwrap_err();
    assert!(
        matches!(e, Error::ResponseTooLarge { limit: 1024 }),
        "{e:?}"
    );
}

/// A chunked success body over the bound fails through
/// `http_body_util::LengthLimitError`, typed; other transport errors of a
/// rebuilt answer keep the real URL.
#[tokio::test]
async fn a_streamed_body_over_the_bound_is_too_large_and_urls_are_kept() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let mut n = 0;
        loop {
            let (mut sock, _) = listener.accept().await.unwrap();
            n += 1;
            let mut buf = vec![0u8; 16 * 1024];
            let _ = tokio::io::AsyncReadExt::read(&mut sock, &mut buf).await;
            let head = format!(
                "HTTP/1.1 200 OK\r\ncontent-type: {ATRIUM}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n"
            );
            let _ = sock.write_all(head.as_bytes()).await;
            if n == 1 {
                // 4 KiB of spaces, chunked: over the 1 KiB bound.
                let chunk = vec![b' '; 4096];
                let _ = sock
                    .write_all(format!("{:x}\r\n", chunk.len()).as_bytes())
                    .await;
                let _ = sock.write_all(&chunk).await;
                let _ = sock.write_all(b"\r\n0\r\n\r\n").await;
            } else {
                // A chunk cut off: the connection closes mid-body.
                let _ = sock.write_all(b"100\r\n{\"user\"").await;
            }
        }
    });
    let c = atrium::Client::builder(
        atrium::Environment::Custom(base.clone()),
        mx_client::ClientId::new(CID),
        mx_client::ApiKey::new(KEY),
    )
    .max_response_bytes(1024)
    .build()
    .unwrap();
    let e = read_user(&c).await.unwrap_err();
    assert!(
        matches!(e, Error::ResponseTooLarge { limit: 1024 }),
        "{e:?}"
    );
    let e = read_user(&c).await.unwrap_err();
    match &e {
        Error::Transport(t) => {
            let url = t.url().expect("the error keeps its URL");
            assert_eq!(url.host_str(), Some("127.0.0.1"), "{url}");
            assert_eq!(url.path(), "/users/USR-1");
        }
        other => panic!("expected Transport, got {other:?}"),
    }
}

/// The hooks report typed failures (the generated `send` turns them into
/// errors, see above).
#[test]
fn hooks_report_typed_failures() {
    let hooks = Hooks::new(mx_client::__private::wire_of::<atrium::Client>());
    let mut req = reqwest::Request::new(
        reqwest::Method::GET,
        "http://127.0.0.1:9/users/U".parse().unwrap(),
    );
    let read_user = mx_client::__private::wire_of::<atrium::Client>()
        .operation("read_user")
        .unwrap();
    let f = hooks.pre(&mut req, read_user).unwrap_err();
    assert!(
        matches!(f, Failure::MissingCredential { scheme: "apiKey" }),
        "{f:?}"
    );
    assert!(matches!(
        Error::from(f),
        Error::InvalidRequest(InvalidRequest::MissingCredential { scheme: "apiKey" })
    ));
}

/// RFC 9110's rule, once: a PUT is retried by the loop, and
/// `is_retryable` agrees; a POST is neither.
#[tokio::test]
async fn a_put_is_retried_and_retryable_and_a_post_is_neither() {
    let calls = Arc::new(AtomicUsize::new(0));
    let seen = calls.clone();
    let server = serve(move |r| {
        let n = seen.fetch_add(1, Ordering::SeqCst);
        match (r.method.as_str(), r.path()) {
            ("PUT", "/users/flaky") if n == 0 => Reply::empty(503),
            ("PUT", "/users/flaky") => user(),
            _ => Reply::json(503, ATRIUM, json!({"error": {"message": "down"}})),
        }
    })
    .await;
    let c = atrium::Client::builder(
        atrium::Environment::Custom(server.base.clone()),
        mx_client::ClientId::new(CID),
        mx_client::ApiKey::new(KEY),
    )
    .retry_reads(2)
    .build()
    .unwrap();
    update_user(&c, "flaky").await.unwrap();
    assert_eq!(calls.swap(0, Ordering::SeqCst), 2, "one 503, one retry");

    let e = update_user(&c, "down").await.unwrap_err();
    assert!(
        matches!(e, Error::Server(ref a) if a.method == Some(reqwest::Method::PUT)),
        "{e:?}"
    );
    assert!(e.is_retryable());
    assert_eq!(calls.swap(0, Ordering::SeqCst), 3, "1 + 2 retries");

    let e: Error = c
        .create_user()
        .body(at::UserCreateRequestBody::new(at::User::default()))
        .send()
        .await
        .unwrap_err();
    assert!(
        matches!(e, Error::Server(ref a) if a.method == Some(reqwest::Method::POST)),
        "{e:?}"
    );
    assert!(!e.is_retryable());
    assert_eq!(calls.load(Ordering::SeqCst), 1, "a create is never resent");
}

/// A credential set by the API's scheme enum goes in that scheme's header.
#[tokio::test]
async fn a_credential_set_by_scheme_reaches_its_header() {
    let server = serve(|_| user()).await;
    let c = atrium::Client::builder(
        atrium::Environment::Custom(server.base.clone()),
        mx_client::ClientId::new(CID),
        mx_client::ApiKey::new(KEY),
    )
    .credential(SecurityScheme::ClientId, "cid-replaced")
    .build()
    .unwrap();
    read_user(&c).await.unwrap();
    let r = server.only_request();
    assert_eq!(r.header("mx-api-key"), Some(KEY));
    assert_eq!(r.header("mx-client-id"), Some("cid-replaced"));

    let server = serve(|_| {
        Reply::json(
            200,
            "application/vnd.mx.nexus.v1+json",
            json!({"member": {"guid": "MBR-1"}}),
        )
    })
    .await;
    let n = nexus::Client::builder(nexus::Environment::Custom(server.base.clone()), "first")
        .credential(nexus::SecurityScheme::SessionToken, "second")
        .build()
        .unwrap();
    n.create_member()
        .body(nexus::types::MemberCreateRequestBody::new(
            nexus::types::MemberCreateRequest::new("INS-1"),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(
        server.only_request().header("md-session-token"),
        Some("second")
    );
}
