//! A stateful, offline MX: Nexus under `/nexus`, Atrium under `/atrium`, on
//! one HTTP server, with MX's documented rules (auth, versioned `Accept`,
//! required fields, duplicate members, aggregation, one-time OAuth windows,
//! pagination, the development environment's 25-member limit).
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! let sim = mx_client::sim::start().await?;
//! let atrium = sim.atrium_client()?; // or Client::from_environment(Custom(sim.atrium_base_url()), …)
//! let user = atrium
//!     .create_user()
//!     .body(mx_client::atrium::types::UserCreateRequestBody { user: Default::default() })
//!     .send()
//!     .await?;
//! # Ok(()) }
//! ```
//!
//! Answers are built from the generated types, so they have the specs'
//! shapes by construction.

mod atrium;
mod nexus;
mod state;

use std::net::SocketAddr;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Duration;

use axum::extract::{Path, Request, State as Axum};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::Router;

pub use atrium::ROUTES as ATRIUM_ROUTES;
use state::{Api, State};
pub use state::{Institution, INSTITUTIONS};

/// What the simulator accepts, and how it behaves.
#[derive(Clone)]
pub struct Config {
    /// The `MX-API-Key` Atrium requests must carry.
    pub api_key: String,
    /// The `MX-Client-ID` Atrium requests must carry.
    pub client_id: String,
    /// The `MD-SESSION-TOKEN` Nexus requests must carry.
    pub session_token: String,
    /// How long an aggregation job runs before the member is `CONNECTED`.
    pub aggregation_time: Duration,
    /// Members one user may have (MX's development environment: 25).
    pub members_per_user: usize,
    /// Whether to create a demo user (with a known GUID) at start.
    pub seed: bool,
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &"[REDACTED]")
            .field("client_id", &"[REDACTED]")
            .field("session_token", &"[REDACTED]")
            .field("aggregation_time", &self.aggregation_time)
            .field("members_per_user", &self.members_per_user)
            .field("seed", &self.seed)
            .finish()
    }
}

/// The demo credentials a default simulator accepts.
pub const DEMO_API_KEY: &str = "demo-api-key";
/// The demo `MX-Client-ID`.
pub const DEMO_CLIENT_ID: &str = "demo-client-id";
/// The demo `MD-SESSION-TOKEN`.
pub const DEMO_SESSION_TOKEN: &str = "demo-session-token";
/// The GUID of the Nexus session's user, and of the seeded Atrium user.
pub const DEMO_USER_GUID: &str = "USR-fa7537f3-48aa-a683-a02a-b18940482f54";

impl Default for Config {
    fn default() -> Self {
        Config {
            api_key: DEMO_API_KEY.into(),
            client_id: DEMO_CLIENT_ID.into(),
            session_token: DEMO_SESSION_TOKEN.into(),
            aggregation_time: Duration::from_millis(300),
            members_per_user: 25,
            seed: true,
        }
    }
}

pub(crate) struct Sim {
    config: Config,
    base: String,
    state: Mutex<State>,
}

impl Sim {
    fn state(&self) -> MutexGuard<'_, State> {
        // A panicking handler cannot leave the state half-written (each
        // rule completes under the lock), so a poisoned lock is usable.
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn oauth_uri(&self, token: &str) -> String {
        format!("{}/oauth/{token}", self.base)
    }
}

/// A running simulator. Dropping it stops the server.
#[derive(Debug)]
pub struct Simulator {
    addr: SocketAddr,
    config: Config,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Simulator {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR/nexus`
    pub fn nexus_base_url(&self) -> String {
        format!("http://{}/nexus", self.addr)
    }

    /// `http://ADDR/atrium`
    pub fn atrium_base_url(&self) -> String {
        format!("http://{}/atrium", self.addr)
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// A Nexus client pointed at it, with its session token.
    pub fn nexus_client(&self) -> Result<crate::nexus::Client, crate::Error> {
        crate::nexus::Client::from_environment(
            crate::nexus::Environment::Custom(self.nexus_base_url()),
            self.config.session_token.clone(),
        )
    }

    /// An Atrium client pointed at it, with its key and client id.
    pub fn atrium_client(&self) -> Result<crate::atrium::Client, crate::Error> {
        crate::atrium::Client::from_environment(
            crate::atrium::Environment::Custom(self.atrium_base_url()),
            self.config.api_key.clone(),
            self.config.client_id.clone(),
        )
    }

    /// Stops the server and waits for it.
    pub async fn shutdown(mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }

    /// Serves until the process ends (the `mx-sim` binary).
    pub async fn wait(mut self) {
        if let Some(task) = self.task.take() {
            let _ = task.await;
        }
    }
}

impl Drop for Simulator {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

/// Starts a simulator with the demo configuration on `127.0.0.1` and a free
/// port.
pub async fn start() -> std::io::Result<Simulator> {
    start_with(
        Config::default(),
        "127.0.0.1:0".parse().expect("a valid address"),
    )
    .await
}

/// Starts a simulator with `config` on `addr`.
pub async fn start_with(config: Config, addr: SocketAddr) -> std::io::Result<Simulator> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let mut state = State::default();
    if config.seed {
        let user = state.add_user(Some("demo-user".into()), None, false);
        // The seeded user has the doc pages' GUID, so examples can use it.
        state.users.remove(&user.guid);
        state.user_order.retain(|g| *g != user.guid);
        state.users.insert(
            DEMO_USER_GUID.into(),
            state::User {
                guid: DEMO_USER_GUID.into(),
                ..user
            },
        );
        state.user_order.push(DEMO_USER_GUID.into());
    }
    let sim = Arc::new(Sim {
        config: config.clone(),
        base: format!("http://{addr}"),
        state: Mutex::new(state),
    });
    let app = router(sim);
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app)
            .with_graceful_shutdown(async {
                let _ = rx.await;
            })
            .await;
    });
    Ok(Simulator {
        addr,
        config,
        shutdown: Some(tx),
        task: Some(task),
    })
}

fn router(sim: Arc<Sim>) -> Router {
    Router::new()
        .nest(
            "/nexus",
            unserved_in(Api::Nexus, nexus::routes()).layer(
                axum::middleware::from_fn_with_state(sim.clone(), nexus_gate),
            ),
        )
        .nest(
            "/atrium",
            unserved_in(Api::Atrium, atrium::routes()).layer(
                axum::middleware::from_fn_with_state(sim.clone(), atrium_gate),
            ),
        )
        .route("/oauth/{token}", axum::routing::get(oauth_window))
        .fallback(|uri: Uri| async move {
            SimError::atrium(
                StatusCode::NOT_FOUND,
                format!(
                    "{} is not served here: the simulator serves Nexus under /nexus and Atrium under /atrium",
                    uri.path()
                ),
            )
        })
        .with_state(sim)
}

/// `routes` answering, in `api`'s error shape, what none of its routes
/// serves (after auth, as MX would).
fn unserved_in(api: Api, routes: Router<Arc<Sim>>) -> Router<Arc<Sim>> {
    let answer = move |method: Method, uri: Uri| async move { unserved(api, &method, uri.path()) };
    routes.fallback(answer).method_not_allowed_fallback(answer)
}

/// What no route serves: 501 when the API's spec documents the operation
/// (the simulator serves the user, member and institution lifecycle, not the
/// whole of Atrium), 405 when the spec documents the path with other
/// methods, else 404.
fn unserved(api: Api, method: &Method, path: &str) -> SimError {
    let wire = match api {
        Api::Nexus => &crate::nexus::WIRE,
        Api::Atrium => &crate::atrium::WIRE,
    };
    let documented: Vec<&str> = wire
        .operations
        .iter()
        .filter(|o| path_matches(o.path, path))
        .map(|o| o.method.as_str())
        .collect();
    let (status, code, message) = if documented.contains(&method.as_str()) {
        (
            StatusCode::NOT_IMPLEMENTED,
            5010,
            format!(
                "{method} {path} is documented by MX but not served by the simulator (it serves \
                 the user, member and institution operations)"
            ),
        )
    } else if !documented.is_empty() {
        (
            StatusCode::METHOD_NOT_ALLOWED,
            4050,
            format!("{path} takes {}, not {method}", documented.join(", ")),
        )
    } else {
        (
            StatusCode::NOT_FOUND,
            4040,
            format!("{method} {path} is not an operation of the API"),
        )
    };
    match api {
        Api::Nexus => SimError::nexus(status, code, message),
        Api::Atrium => SimError::atrium(status, message),
    }
}

/// Does `path` match the spec's path `template` (`{name}` matches one
/// segment, or its start when text follows, as in `{guid}.pdf`)?
fn path_matches(template: &str, path: &str) -> bool {
    let (mut t, mut p) = (template.split('/'), path.trim_end_matches('/').split('/'));
    loop {
        match (t.next(), p.next()) {
            (None, None) => return true,
            (Some(t), Some(p)) => {
                let ok = match (t.strip_prefix('{'), t.find('}')) {
                    (Some(_), Some(end)) => {
                        let suffix = &t[end + 1..];
                        p.len() > suffix.len() && p.ends_with(suffix)
                    }
                    _ => t == p,
                };
                if !ok {
                    return false;
                }
            }
            _ => return false,
        }
    }
}

/// Media types the APIs speak, as MX's doc pages write them. Written here on
/// purpose rather than read from the clients' wire tables: the simulator
/// stands for MX, so a wrong media type in a spec makes the tests fail
/// instead of both sides agreeing on it.
const NEXUS_JSON: &str = "application/vnd.mx.nexus.v1+json";
const ATRIUM_JSON: &str = "application/vnd.mx.atrium.v1+json";

/// An error answer in the shape both clients decode:
/// `{"error": {"code"?: N, "message": "…"}}`.
#[derive(Debug)]
pub(crate) struct SimError {
    api: Api,
    status: StatusCode,
    code: Option<u32>,
    message: String,
}

impl SimError {
    fn atrium(status: StatusCode, message: impl Into<String>) -> Self {
        SimError {
            api: Api::Atrium,
            status,
            code: None,
            message: message.into(),
        }
    }

    fn nexus(status: StatusCode, code: u32, message: impl Into<String>) -> Self {
        SimError {
            api: Api::Nexus,
            status,
            code: Some(code),
            message: message.into(),
        }
    }
}

impl IntoResponse for SimError {
    fn into_response(self) -> Response {
        let mut error = serde_json::json!({ "message": self.message });
        if let Some(code) = self.code {
            error["code"] = code.into();
        }
        let media = match self.api {
            Api::Nexus => NEXUS_JSON,
            Api::Atrium => ATRIUM_JSON,
        };
        json_response(self.status, media, &serde_json::json!({ "error": error }))
    }
}

fn json_response(
    status: StatusCode,
    media: &'static str,
    body: &impl serde::Serialize,
) -> Response {
    let bytes = serde_json::to_vec(body).expect("simulator answers serialize");
    let mut resp = (status, bytes).into_response();
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(media));
    resp
}

fn header_is(headers: &HeaderMap, name: &str, expected: &str) -> bool {
    headers
        .get(name)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v == expected)
}

/// Does the `Accept` name this API version (any of its media types)?
fn accepts(headers: &HeaderMap, version_prefix: &str) -> bool {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .any(|m| m.trim().starts_with(version_prefix))
}

async fn nexus_gate(Axum(sim): Axum<Arc<Sim>>, req: Request, next: Next) -> Response {
    if !header_is(req.headers(), "md-session-token", &sim.config.session_token) {
        return SimError::nexus(
            StatusCode::UNAUTHORIZED,
            4010,
            "MD-SESSION-TOKEN is missing or invalid",
        )
        .into_response();
    }
    if !accepts(req.headers(), "application/vnd.mx.nexus.v1") {
        return SimError::nexus(
            StatusCode::NOT_ACCEPTABLE,
            4060,
            "Accept must name a valid API version: application/vnd.mx.nexus.v1+json",
        )
        .into_response();
    }
    next.run(req).await
}

async fn atrium_gate(Axum(sim): Axum<Arc<Sim>>, req: Request, next: Next) -> Response {
    if !header_is(req.headers(), "mx-api-key", &sim.config.api_key)
        || !header_is(req.headers(), "mx-client-id", &sim.config.client_id)
    {
        return SimError::atrium(
            StatusCode::UNAUTHORIZED,
            "MX-API-Key or MX-Client-ID is missing or invalid",
        )
        .into_response();
    }
    if !accepts(req.headers(), "application/vnd.mx.atrium.v1") {
        return SimError::atrium(
            StatusCode::NOT_ACCEPTABLE,
            "Accept must name a valid API version: application/vnd.mx.atrium.v1+json",
        )
        .into_response();
    }
    next.run(req).await
}

/// The one-time OAuth window: the first visit "logs in" and connects the
/// member (aggregating unless it was created with `skip_aggregation`); any
/// later visit is refused.
async fn oauth_window(Axum(sim): Axum<Arc<Sim>>, Path(token): Path<String>) -> Response {
    let mut state = sim.state();
    let Some(member_guid) = state.oauth.remove(&token) else {
        return (
            StatusCode::GONE,
            "This OAuth window was already used or never existed: request a new oauth_window_uri.",
        )
            .into_response();
    };
    let skip = match state.members.get_mut(&member_guid) {
        Some(m) => {
            m.oauth_token = None;
            m.skip_aggregation
        }
        None => return (StatusCode::GONE, "The member was deleted.").into_response(),
    };
    if skip {
        if let Some(m) = state.members.get_mut(&member_guid) {
            m.status = crate::ConnectionStatus::Connected;
        }
    } else {
        let delay = sim.config.aggregation_time;
        state.start_job(&member_guid, delay);
    }
    let mut resp = (
        StatusCode::OK,
        "<!doctype html><title>MX simulator</title><p>Connected. You can close this window.</p>",
    )
        .into_response();
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    resp
}

/// Parses a JSON request body into a generated request type; a missing or
/// malformed field is a 400 naming it.
fn parse_body<T: serde::de::DeserializeOwned>(
    body: &[u8],
    err: impl Fn(String) -> SimError,
) -> Result<T, SimError> {
    serde_json::from_slice(body).map_err(|e| {
        let msg = e.to_string();
        let msg = msg.split(" at line ").next().unwrap_or(&msg).to_string();
        err(msg)
    })
}
