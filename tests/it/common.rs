//! A test server on 127.0.0.1 that records every request and answers what
//! the test says.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;

/// One request as it arrived.
#[derive(Debug, Clone)]
pub struct Recorded {
    pub method: String,
    /// Path and query.
    pub uri: String,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl Recorded {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).map(|v| v.to_str().unwrap())
    }

    pub fn json(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).expect("the request body is JSON")
    }

    pub fn path(&self) -> &str {
        self.uri.split('?').next().unwrap()
    }

    pub fn query(&self, key: &str) -> Option<String> {
        let q = self.uri.split_once('?')?.1;
        q.split('&').find_map(|kv| {
            let (k, v) = kv.split_once('=')?;
            (k == key).then(|| v.to_string())
        })
    }
}

/// What the server answers.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Reply {
    pub fn json(status: u16, content_type: &str, value: serde_json::Value) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: serde_json::to_vec(&value).unwrap(),
        }
    }

    pub fn empty(status: u16) -> Reply {
        Reply {
            status,
            headers: vec![],
            body: vec![],
        }
    }

    pub fn bytes(status: u16, content_type: &str, body: &[u8]) -> Reply {
        Reply {
            status,
            headers: vec![("content-type".into(), content_type.into())],
            body: body.to_vec(),
        }
    }

    pub fn header(mut self, name: &str, value: &str) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }
}

pub struct TestServer {
    /// `http://127.0.0.1:PORT`
    pub base: String,
    requests: Arc<Mutex<Vec<Recorded>>>,
}

impl TestServer {
    /// Every request received so far.
    pub fn requests(&self) -> Vec<Recorded> {
        self.requests.lock().unwrap().clone()
    }

    /// The only request received.
    pub fn only_request(&self) -> Recorded {
        let r = self.requests();
        assert_eq!(r.len(), 1, "expected exactly one request, got {r:#?}");
        r.into_iter().next().unwrap()
    }
}

/// Starts a server on 127.0.0.1 answering each request with `handler`.
pub async fn serve<F>(handler: F) -> TestServer
where
    F: Fn(&Recorded) -> Reply + Send + Sync + 'static,
{
    let requests = Arc::new(Mutex::new(Vec::new()));
    let handler = Arc::new(handler);
    let recorded = requests.clone();
    let app = axum::Router::new().fallback(move |req: Request| {
        let handler = handler.clone();
        let recorded = recorded.clone();
        async move {
            let (parts, body) = req.into_parts();
            let body = axum::body::to_bytes(body, 16 * 1024 * 1024).await.unwrap();
            let rec = Recorded {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                headers: parts.headers,
                body: body.to_vec(),
            };
            let reply = handler(&rec);
            recorded.lock().unwrap().push(rec);
            let mut resp = Response::new(Body::from(reply.body));
            *resp.status_mut() = StatusCode::from_u16(reply.status).unwrap();
            for (k, v) in reply.headers {
                resp.headers_mut().insert(
                    axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    v.parse().unwrap(),
                );
            }
            resp
        }
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        axum::serve(listener, app).await.unwrap();
    });
    TestServer {
        base: format!("http://{addr}"),
        requests,
    }
}

/// An Atrium client of the simulator, with its credentials.
pub fn atrium_client(sim: &mx_sim::Simulator) -> mx_client::atrium::Client {
    mx_client::atrium::Client::from_environment(
        mx_client::atrium::Environment::Custom(sim.atrium_base_url()),
        mx_client::ClientId::new(sim.config().client_id.clone()),
        mx_client::ApiKey::new(sim.config().api_key.clone()),
    )
    .expect("a client of the simulator")
}

/// A Nexus client of the simulator, with its session token.
pub fn nexus_client(sim: &mx_sim::Simulator) -> mx_client::nexus::Client {
    mx_client::nexus::Client::from_environment(
        mx_client::nexus::Environment::Custom(sim.nexus_base_url()),
        sim.config().session_token.clone(),
    )
    .expect("a client of the simulator")
}
