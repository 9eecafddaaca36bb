//! Starting simulators and talking to them.

use std::time::Duration;

use mx_sim::{Config, Simulator};
use serde_json::{json, Value};

pub const JSON: &str = "application/vnd.mx.atrium.v1+json";
pub const NEXUS_JSON: &str = "application/vnd.mx.nexus.v1+json";
pub const LOGIN: &str = "CRD-1ec152cd-e628-e81a-e852-d1e7104624da";
pub const PASSWORD: &str = "CRD-2b4c7d1e-9f3a-4e6b-8c2d-5a7f9e1b3c4d";
pub const MXBANK_GUID: &str = "INS-68e96dd6-eabd-42d3-9f05-416897f0746c";

/// How long jobs run in tests.
pub const JOB: Duration = Duration::from_millis(150);

pub async fn start() -> Simulator {
    start_with_jobs(JOB).await
}

/// A simulator whose jobs run for `time`.
pub async fn start_with_jobs(time: Duration) -> Simulator {
    let config = Config {
        aggregation_time: time,
        job_time: time,
        ..Config::default()
    };
    mx_sim::start_with(config, "127.0.0.1:0".parse().unwrap())
        .await
        .expect("the simulator starts")
}

/// Waits until the jobs started now have run.
pub async fn settle() {
    tokio::time::sleep(JOB + Duration::from_millis(100)).await;
}

/// An answer: status, Content-Type, Allow, body bytes.
#[derive(Debug)]
pub struct Answer {
    pub status: u16,
    pub media: String,
    pub allow: Option<String>,
    pub bytes: Vec<u8>,
}

impl Answer {
    pub fn json(&self) -> Value {
        serde_json::from_slice(&self.bytes).unwrap_or_else(|e| {
            panic!(
                "not JSON ({e}): {} {}",
                self.status,
                String::from_utf8_lossy(&self.bytes)
            )
        })
    }
}

/// One HTTP client for the tests. In a workspace build reqwest's features
/// are unified with mx-client's (`rustls-no-provider`), so rustls' ring
/// provider is installed first, as mx-client does.
fn client() -> &'static reqwest::Client {
    static CLIENT: std::sync::OnceLock<reqwest::Client> = std::sync::OnceLock::new();
    CLIENT.get_or_init(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
        reqwest::Client::new()
    })
}

/// A request with exactly these headers.
pub async fn send(
    method: &str,
    url: &str,
    headers: &[(&str, &str)],
    body: Option<Vec<u8>>,
) -> Answer {
    let mut req = client().request(method.parse().unwrap(), url);
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    if let Some(b) = body {
        req = req.body(b);
    }
    let resp = req.send().await.expect("the simulator answers");
    let header = |n: &str| {
        resp.headers()
            .get(n)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let (media, allow) = (header("content-type").unwrap_or_default(), header("allow"));
    let status = resp.status().as_u16();
    let bytes = resp.bytes().await.unwrap().to_vec();
    Answer {
        status,
        media,
        allow,
        bytes,
    }
}

/// An Atrium request with the demo credentials and the JSON media types.
pub async fn atrium(sim: &Simulator, method: &str, path: &str, body: Option<Value>) -> Answer {
    let url = format!("{}{path}", sim.atrium_base_url());
    let mut headers = vec![
        ("MX-API-Key", mx_sim::DEMO_API_KEY),
        ("MX-Client-ID", mx_sim::DEMO_CLIENT_ID),
        ("Accept", JSON),
    ];
    if body.is_some() {
        headers.push(("Content-Type", "application/json"));
    }
    send_json(method, &url, headers, body).await
}

async fn send_json(
    method: &str,
    url: &str,
    headers: Vec<(&str, &str)>,
    body: Option<Value>,
) -> Answer {
    send(
        method,
        url,
        &headers,
        body.map(|b| b.to_string().into_bytes()),
    )
    .await
}

/// The status of a body-less Atrium request.
pub async fn status(sim: &Simulator, method: &str, path: &str) -> u16 {
    atrium(sim, method, path, None).await.status
}

/// The JSON answer to an Atrium GET.
pub async fn get(sim: &Simulator, path: &str) -> Value {
    atrium(sim, "GET", path, None).await.json()
}

/// A Nexus request with the demo session and Nexus's media type.
pub async fn nexus(sim: &Simulator, method: &str, path: &str, body: Option<Value>) -> Answer {
    let url = format!("{}{path}", sim.nexus_base_url());
    let mut headers = vec![
        ("MD-SESSION-TOKEN", mx_sim::DEMO_SESSION_TOKEN),
        ("Accept", NEXUS_JSON),
    ];
    if body.is_some() {
        headers.push(("Content-Type", NEXUS_JSON));
    }
    send_json(method, &url, headers, body).await
}

/// Creates an Atrium user; answers its GUID.
pub async fn user(sim: &Simulator) -> String {
    let a = atrium(sim, "POST", "/users", Some(json!({ "user": {} }))).await;
    assert_eq!(a.status, 200, "{a:?}");
    a.json()["user"]["guid"].as_str().unwrap().to_string()
}

/// The body creating an MX Bank member with this password.
pub fn mxbank_member(password: &str) -> Value {
    json!({ "member": {
        "institution_code": "mxbank",
        "credentials": [
            { "guid": LOGIN, "value": "mxuser" },
            { "guid": PASSWORD, "value": password },
        ],
    }})
}

/// Creates an MX Bank member with this password; answers its GUID.
pub async fn member(sim: &Simulator, user: &str, password: &str) -> String {
    let a = atrium(
        sim,
        "POST",
        &format!("/users/{user}/members"),
        Some(mxbank_member(password)),
    )
    .await;
    assert_eq!(a.status, 202, "{}", String::from_utf8_lossy(&a.bytes));
    a.json()["member"]["guid"].as_str().unwrap().to_string()
}

/// A member's record as Atrium answers it.
pub async fn read_member(sim: &Simulator, user: &str, member: &str) -> Value {
    let a = atrium(sim, "GET", &format!("/users/{user}/members/{member}"), None).await;
    assert_eq!(a.status, 200, "{a:?}");
    a.json()["member"].clone()
}

/// The error message of an error answer, checking its shape and media type.
pub fn error_of(a: &Answer, media: &str) -> String {
    assert_eq!(a.media, media, "errors come in the API's media type: {a:?}");
    let body = a.json();
    body["error"]["message"]
        .as_str()
        .unwrap_or_else(|| panic!("an MX error body: {body}"))
        .to_string()
}
