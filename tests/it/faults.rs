//! A server on 127.0.0.1 that misbehaves on purpose. Every fault becomes a
//! typed error: no panic, no secret in any `Debug` or `Display`.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use mx_client::atrium::{Client, Environment};
use mx_client::Error;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

const API_KEY: &str = "fault-key-7f3e9a1c5b2d4e6f8a0b";
const CLIENT_ID: &str = "fault-client-2c4e6a8b0d1f3e5a";
const JSON: &str = "application/vnd.mx.atrium.v1+json";

/// What the fault server saw: one line per request, `HOST PATH`, plus
/// whether it carried the API key.
#[derive(Default)]
struct Seen {
    lines: Mutex<Vec<(String, bool)>>,
    count: AtomicUsize,
}

impl Seen {
    /// How many requests came for `path` before this one.
    fn earlier(&self, path: &str) -> usize {
        self.lines
            .lock()
            .unwrap()
            .iter()
            .filter(|(p, _)| p == path)
            .count()
    }
}

async fn read_request(sock: &mut TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        let n = sock.read(&mut chunk).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&chunk[..n]);
    }
    Some(String::from_utf8_lossy(&buf).into_owned())
}

fn response(status: &str, headers: &[(&str, &str)], body: &[u8]) -> Vec<u8> {
    let mut out = format!("HTTP/1.1 {status}\r\nconnection: close\r\n");
    for (k, v) in headers {
        out.push_str(&format!("{k}: {v}\r\n"));
    }
    if !headers
        .iter()
        .any(|(k, _)| k.eq_ignore_ascii_case("content-length"))
    {
        out.push_str(&format!("content-length: {}\r\n", body.len()));
    }
    out.push_str("\r\n");
    let mut out = out.into_bytes();
    out.extend_from_slice(body);
    out
}

/// Serves faults chosen by the last path segment.
async fn fault_server(other_host: String, seen: Arc<Seen>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut sock, _)) = listener.accept().await else {
                return;
            };
            let other_host = other_host.clone();
            let seen = seen.clone();
            tokio::spawn(async move {
                let Some(req) = read_request(&mut sock).await else {
                    return;
                };
                let path = req.split_whitespace().nth(1).unwrap_or("").to_string();
                let fault = path.rsplit('/').next().unwrap_or("").to_string();
                seen.count.fetch_add(1, Ordering::SeqCst);
                let earlier = seen.earlier(&path);
                seen.lines.lock().unwrap().push((
                    path.clone(),
                    req.to_ascii_lowercase()
                        .contains(&API_KEY.to_ascii_lowercase()),
                ));
                let ok_member = br#"{"member": {"guid": "MBR-1"}}"#;
                if path.contains("stall") {
                    tokio::time::sleep(Duration::from_secs(5)).await;
                    return;
                }
                if path.contains("always-503") {
                    let _ = sock
                        .write_all(&response(
                            "503 Service Unavailable",
                            &[("retry-after", "0")],
                            b"busy",
                        ))
                        .await;
                    return;
                }
                let bytes = match fault.as_str() {
                    "invalid-json" => response(
                        "200 OK",
                        &[("content-type", JSON)],
                        b"{\"member\": {\"guid\": ",
                    ),
                    "wrong-shape" => response(
                        "200 OK",
                        &[("content-type", JSON)],
                        br#"{"member": "MBR-1"}"#,
                    ),
                    "array" => response("200 OK", &[("content-type", JSON)], b"[1, 2, 3]"),
                    "not-utf8" => response("200 OK", &[("content-type", JSON)], b"\xff\xfe\xfd"),
                    "html-content-type" => {
                        response("200 OK", &[("content-type", "text/html")], ok_member)
                    }
                    "no-content-type" => response("200 OK", &[], ok_member),
                    "truncated" => response(
                        "200 OK",
                        &[("content-type", JSON), ("content-length", "500")],
                        br#"{"member": {"gu"#,
                    ),
                    "html-502" => response(
                        "502 Bad Gateway",
                        &[("content-type", "text/html")],
                        b"<html><body><h1>502 Bad Gateway</h1><p>nginx</p></body></html>",
                    ),
                    "empty-200" => response("200 OK", &[("content-type", JSON)], b""),
                    "huge" => {
                        // Chunked, no length: the client must stop reading.
                        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {JSON}\r\ntransfer-encoding: chunked\r\nconnection: close\r\n\r\n");
                        let _ = sock.write_all(head.as_bytes()).await;
                        let chunk = vec![b' '; 64 * 1024];
                        for _ in 0..64 {
                            let framed =
                                [format!("{:x}\r\n", chunk.len()).as_bytes(), &chunk, b"\r\n"]
                                    .concat();
                            if sock.write_all(&framed).await.is_err() {
                                return;
                            }
                        }
                        return;
                    }
                    "huge-declared" => {
                        let head = format!("HTTP/1.1 200 OK\r\ncontent-type: {JSON}\r\ncontent-length: 999999999\r\nconnection: close\r\n\r\n");
                        let _ = sock.write_all(head.as_bytes()).await;
                        return;
                    }
                    "reset" => {
                        // SO_LINGER 0: closing sends RST, a reset connection.
                        // (Deprecated for blocking on drop; with 0 it does not.)
                        #[allow(deprecated)]
                        let _ = sock.set_linger(Some(Duration::ZERO));
                        drop(sock);
                        return;
                    }
                    "redirect" => response(
                        "302 Found",
                        &[("location", &format!("{other_host}/users/U/members/landed"))],
                        b"",
                    ),
                    // The first request for a path fails, later ones work.
                    "flaky" if earlier == 0 => {
                        response("503 Service Unavailable", &[("retry-after", "0")], b"busy")
                    }
                    "flaky" => response("200 OK", &[("content-type", JSON)], ok_member),
                    _ => response("200 OK", &[("content-type", JSON)], ok_member),
                };
                let _ = sock.write_all(&bytes).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

/// A fault server whose redirects go to a second one: (its base URL, what
/// it saw, the other's base URL, what the other saw).
async fn two_hosts() -> (String, Arc<Seen>, String, Arc<Seen>) {
    let other_seen = Arc::new(Seen::default());
    let other = fault_server(String::new(), other_seen.clone()).await;
    let seen = Arc::new(Seen::default());
    let base = fault_server(other.clone(), seen.clone()).await;
    (base, seen, other, other_seen)
}

fn client(base: &str) -> Client {
    Client::builder(
        Environment::Custom(base.into()),
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    )
    .timeout(Duration::from_millis(500))
    .max_response_bytes(1024 * 1024)
    .build()
    .unwrap()
}

async fn fault(c: &Client, name: &str) -> Error {
    c.read_member()
        .user_guid("U")
        .member_guid(name)
        .send()
        .await
        .map(|r| panic!("{name}: expected an error, got {:?}", r.into_inner()))
        .unwrap_err()
}

fn assert_no_secret(name: &str, e: &Error) {
    let shown = format!("{e:?} {e}");
    assert!(
        !shown.contains(API_KEY) && !shown.contains(CLIENT_ID),
        "{name} leaks: {shown}"
    );
}

#[tokio::test]
async fn every_fault_is_a_typed_error_without_secrets() {
    let (base, seen, _, other_seen) = two_hosts().await;
    let c = client(&base);

    type Check = fn(&Error) -> bool;
    let cases: &[(&str, Check)] = &[
        (
            "invalid-json",
            |e| matches!(e, Error::InvalidResponse { body, .. } if body.starts_with(b"{\"member\"")),
        ),
        ("wrong-shape", |e| {
            matches!(e, Error::InvalidResponse { .. })
        }),
        ("array", |e| matches!(e, Error::InvalidResponse { .. })),
        (
            "not-utf8",
            |e| matches!(e, Error::InvalidResponse { body, .. } if body.as_ref() == b"\xff\xfe\xfd"),
        ),
        (
            "html-content-type",
            |e| matches!(e, Error::UnexpectedContentType { got, .. } if got.contains("text/html")),
        ),
        (
            "no-content-type",
            |e| matches!(e, Error::UnexpectedContentType { got, .. } if got.is_empty()),
        ),
        ("truncated", |e| matches!(e, Error::Transport(_))),
        ("html-502", |e| {
            matches!(e, Error::Server(a) if a.status == 502 && a.message.is_none() && a.body.starts_with(b"<html>"))
                && e.is_retryable()
        }),
        (
            "empty-200",
            |e| matches!(e, Error::InvalidResponse { body, .. } if body.is_empty()),
        ),
        ("huge", |e| {
            matches!(e, Error::ResponseTooLarge { limit: 1048576 })
        }),
        ("huge-declared", |e| {
            matches!(e, Error::ResponseTooLarge { limit: 1048576 })
        }),
        ("stall", |e| {
            matches!(e, Error::Transport(t) if t.is_timeout()) && e.is_retryable()
        }),
        ("reset", |e| matches!(e, Error::Transport(_))),
        (
            "redirect",
            |e| matches!(e, Error::Status(a) if a.status == 302),
        ),
    ];
    for (name, check) in cases {
        let e = fault(&c, name).await;
        assert!(check(&e), "{name}: unexpected {e:?}");
        assert_no_secret(name, &e);
    }
    // The redirect was not followed: the other host saw nothing, so the
    // auth headers never left for it.
    assert!(other_seen.lines.lock().unwrap().is_empty());
    assert!(seen
        .lines
        .lock()
        .unwrap()
        .iter()
        .all(|(_, with_key)| *with_key));
}

#[tokio::test]
async fn reads_are_retried_only_when_asked_and_creates_never() {
    let seen = Arc::new(Seen::default());
    let base = fault_server(String::new(), seen.clone()).await;

    let plain = client(&base);
    let e = fault(&plain, "flaky").await;
    assert!(
        matches!(e, Error::Server(ref a) if a.status == 503),
        "{e:?}"
    );

    let retrying = Client::builder(
        Environment::Custom(base.clone()),
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    )
    .retry_reads(2)
    .build()
    .unwrap();
    let before = seen.count.load(Ordering::SeqCst);
    // The first request for this path gets 503; the retry gets the 200.
    let m = retrying
        .read_member()
        .user_guid("V")
        .member_guid("flaky")
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(m.member.guid.as_deref(), Some("MBR-1"));
    assert_eq!(seen.count.load(Ordering::SeqCst) - before, 2);

    // A read that keeps failing: 1 + 2 retries, then the error.
    let before = seen.count.load(Ordering::SeqCst);
    let e = fault(&retrying, "always-503").await;
    assert!(
        matches!(e, Error::Server(ref a) if a.status == 503),
        "{e:?}"
    );
    assert_eq!(seen.count.load(Ordering::SeqCst) - before, 3);

    // A create is a POST: never retried, even when asked.
    let before = seen.count.load(Ordering::SeqCst);
    let e = create_error(&retrying, "always-503").await;
    assert!(
        matches!(e, Error::Server(ref a) if a.status == 503 && a.method == Some(reqwest::Method::POST)),
        "{e:?}"
    );
    // Nor retryable by the caller: MX may have made the member.
    assert!(!e.is_retryable());
    assert_eq!(seen.count.load(Ordering::SeqCst) - before, 1);
    // The same 503 on a read is.
    assert!(fault(&plain, "always-503").await.is_retryable());
}

/// The error of creating a member for `user` (the fault server picks the
/// fault by the path).
async fn create_error(c: &Client, user: &str) -> Error {
    let body = mx_client::atrium::types::MemberCreateRequestBody::new(
        mx_client::atrium::types::MemberCreateRequest::new("mxbank"),
    );
    c.create_member()
        .user_guid(user)
        .body(body)
        .send()
        .await
        .map(|_| ())
        .unwrap_err()
}

/// A create whose connection fails after it was sent has an unknown
/// outcome: its own variant, never retryable. One that could not connect
/// reached nothing, and is.
#[tokio::test]
async fn a_create_that_times_out_has_an_unknown_outcome() {
    let seen = Arc::new(Seen::default());
    let base = fault_server(String::new(), seen.clone()).await;
    let c = Client::builder(
        Environment::Custom(base),
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    )
    .timeout(Duration::from_millis(300))
    .retry_reads(3)
    .build()
    .unwrap();
    let e = create_error(&c, "stall").await;
    match &e {
        Error::OutcomeUnknown { operation, source } => {
            assert_eq!(*operation, "create_member");
            assert!(source.is_timeout(), "{source:?}");
            assert!(e.to_string().contains("timed out"), "{e}");
        }
        other => panic!("expected OutcomeUnknown, got {other:?}"),
    }
    assert!(!e.is_retryable());
    assert!(e.to_string().contains("read before retrying"), "{e}");
    assert_no_secret("create-stall", &e);
    assert_eq!(seen.count.load(Ordering::SeqCst), 1);

    // A read that times out is a transport error, and retryable.
    let read = fault(&c, "stall").await;
    assert!(
        matches!(read, Error::Transport(ref t) if t.is_timeout()),
        "{read:?}"
    );
    assert!(read.is_retryable());

    // Nothing listens: the create never left, so sending it again is safe.
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let closed = Client::builder(
        Environment::Custom(format!("http://127.0.0.1:{port}")),
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    )
    .build()
    .unwrap();
    let e = create_error(&closed, "U").await;
    assert!(
        matches!(e, Error::Transport(ref t) if t.is_connect()),
        "{e:?}"
    );
    assert!(e.is_retryable());
}

/// No way of building a client lets the auth headers follow a redirect to
/// another host: the builder, even with a user's `reqwest::ClientBuilder`
/// (whose default follows redirects), is the only public way. A
/// `reqwest::Client` that follows redirects (given to the hidden
/// constructor, as a defense in depth) cannot be stopped, but its answer is
/// refused.
#[tokio::test]
async fn no_client_follows_a_redirect_with_the_auth_headers() {
    let (base, _, other, other_seen) = two_hosts().await;

    let with_builder = Client::builder(
        Environment::Custom(base.clone()),
        mx_client::ClientId::new(CLIENT_ID),
        mx_client::ApiKey::new(API_KEY),
    )
    .http_client(reqwest::Client::builder())
    .build()
    .unwrap();
    let e = fault(&with_builder, "redirect").await;
    assert!(
        matches!(e, Error::Status(ref a) if a.status == 302),
        "{e:?}"
    );

    let hooks = mx_client::__private::Hooks::new(mx_client::__private::wire_of::<
        mx_client::atrium::Client,
    >())
    .with_credential(mx_client::atrium::SecurityScheme::ApiKey, API_KEY.into())
    .with_credential(
        mx_client::atrium::SecurityScheme::ClientId,
        CLIENT_ID.into(),
    );
    assert!(other_seen.lines.lock().unwrap().is_empty());

    let following = <Client as mx_client::__private::ClientParts>::from_parts(
        &base,
        reqwest::Client::new(),
        hooks,
    );
    let e = fault(&following, "redirect").await;
    match &e {
        Error::Redirected { to } => assert_eq!(*to, other),
        other => panic!("expected Redirected, got {other:?}"),
    }
    assert!(!e.is_retryable());
    assert_no_secret("redirected", &e);
}
