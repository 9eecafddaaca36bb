//! `mx-sim`: a stateful, offline MX. Nexus under `/nexus`, Atrium under
//! `/atrium`, the Platform API under `/platform` (v20111101 and v20250224,
//! chosen by `Accept-Version`), on one loopback port, driven by the vendored OpenAPI specs
//! (embedded at compile time, so a spec change reaches it through
//! `cargo build`), with MX's documented behaviour on top.
//!
//! ```no_run
//! # async fn run() -> std::io::Result<()> {
//! let sim = mx_sim::start().await?;
//! println!("Atrium at {}", sim.atrium_base_url());
//! # Ok(()) }
//! ```
//!
//! - The engine (`engine`, `spec`) serves every operation of every spec:
//!   it checks security headers (401), `Accept` (406), `Content-Type` (415),
//!   parameters and the body (400), the body's size (413), answers unknown
//!   paths with 404 and other methods with 405 and `Allow`, always in the
//!   API's JSON error shape; answers are shaped by the response schema.
//! - MX's rules (`mx`) take over the operations MX documents behaviour for;
//!   the generic resource rules serve the rest.

mod api;
mod config;
mod engine;
mod mx;
pub mod spec;
mod store;
mod time;

use std::net::SocketAddr;
use std::sync::Arc;

use axum::routing::get;
use axum::Router;
use serde_json::Value;

pub use api::{
    ApiDef, Dialect, ErrorStyle, ACCEPT_VERSION, APIS, ATRIUM, NEXUS, PLATFORM_V20111101,
    PLATFORM_V20250224,
};
pub use config::{
    Config, WebhookConfig, DEMO_API_KEY, DEMO_CLIENT_ID, DEMO_PROCESSOR_API_KEY, DEMO_PROCESSOR_ID,
    DEMO_SESSION_TOKEN, DEMO_USER_GUID,
};
pub use mx::institutions::{Institution, INSTITUTIONS};
pub use spec::{Operation, Schema, Spec};

/// A running simulator. Dropping it stops the server.
#[derive(Debug)]
pub struct Simulator {
    addr: SocketAddr,
    engine: Arc<engine::Engine>,
    mx: Arc<mx::Mx>,
    shutdown: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl Simulator {
    /// The address it listens on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://ADDR<mount>` of the API named `api` (`nexus`, `atrium`, …).
    pub fn base_url(&self, api: &str) -> Option<String> {
        self.engine
            .apis
            .iter()
            .find(|a| a.def.name == api)
            .map(|a| format!("http://{}{}", self.addr, a.def.mount))
    }

    /// `http://ADDR/nexus`
    pub fn nexus_base_url(&self) -> String {
        format!("http://{}{}", self.addr, NEXUS.mount)
    }

    /// `http://ADDR/atrium`
    pub fn atrium_base_url(&self) -> String {
        format!("http://{}{}", self.addr, ATRIUM.mount)
    }

    /// `http://ADDR/platform`: both of the Platform API's versions, chosen
    /// by each request's `Accept-Version`.
    pub fn platform_base_url(&self) -> String {
        format!("http://{}{}", self.addr, PLATFORM_V20250224.mount)
    }

    /// The configuration it runs with.
    pub fn config(&self) -> &Config {
        &self.engine.config
    }

    /// The compiled operations of the API named `api`.
    pub fn operations(&self, api: &str) -> Vec<Operation> {
        self.engine
            .apis
            .iter()
            .filter(|a| a.def.name == api)
            .flat_map(|a| a.spec.operations.iter().cloned())
            .collect()
    }

    /// A stored record (`members`, `accounts`, …) as JSON, as the store
    /// holds it.
    pub fn record(&self, table: &str, guid: &str) -> Option<Value> {
        let world = self.mx.world();
        world
            .store
            .get(table, guid)
            .map(|r| Value::Object(r.clone()))
    }

    /// A member's record and MX state (status, running job, challenges),
    /// as JSON, after letting due jobs finish. Never holds credentials.
    pub fn member_snapshot(&self, guid: &str) -> Option<Value> {
        let world = self.mx.world();
        let record = world.store.get("members", guid)?.clone();
        let rt = world.members.get(guid);
        Some(serde_json::json!({
            "record": record,
            "job": world.jobs.get(guid).map(|j| format!("{:?}", j.kind)),
            "challenges": rt.map(|m| m.challenges.clone()).unwrap_or_default(),
            "api": rt.map(|m| m.api),
        }))
    }

    /// The recorded member status changes, oldest first, as MX's
    /// connection-status webhook payloads.
    pub fn events(&self) -> Vec<Value> {
        let world = self.mx.world();
        world
            .events
            .iter()
            .map(mx::webhooks::event_payload)
            .collect()
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

/// Starts a simulator with the demo configuration on `127.0.0.1` and a
/// free port.
pub async fn start() -> std::io::Result<Simulator> {
    start_with(Config::default(), SocketAddr::from(([127, 0, 0, 1], 0))).await
}

/// Starts a simulator with `config` on `addr`, serving the vendored specs.
pub async fn start_with(config: Config, addr: SocketAddr) -> std::io::Result<Simulator> {
    let apis = api::embedded().map_err(std::io::Error::other)?;
    serve(config, addr, apis).await
}

/// Starts a simulator serving the given APIs and specs (e.g. a spec given
/// at run time: `Spec::parse(text, &[])`).
pub async fn start_with_specs(
    config: Config,
    addr: SocketAddr,
    apis: Vec<(ApiDef, Spec)>,
) -> std::io::Result<Simulator> {
    let apis: Arc<[api::LoadedApi]> = apis
        .into_iter()
        .map(|(def, spec)| api::LoadedApi { def, spec })
        .collect();
    serve(config, addr, apis).await
}

async fn serve(
    config: Config,
    addr: SocketAddr,
    apis: Arc<[api::LoadedApi]>,
) -> std::io::Result<Simulator> {
    let webhook = match &config.webhook {
        Some(w) => Some((
            w.clone(),
            mx::webhooks::check(w)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidInput, e))?,
        )),
        None => None,
    };
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let addr = listener.local_addr()?;
    let mx = Arc::new(mx::Mx::new(config.clone()));
    let engine = Arc::new(engine::Engine {
        apis,
        rules: mx.clone(),
        config,
        base: format!("http://{addr}"),
    });
    let pages = Router::new()
        .route("/oauth/{token}", get(mx::windows::oauth_window))
        .route("/connect/{token}", get(mx::windows::connect_widget))
        .with_state(mx.clone());
    let app = Router::new()
        .fallback(engine::handle)
        .with_state(engine.clone())
        .merge(pages);
    if let Some((w, url)) = webhook {
        tokio::spawn(mx::webhooks::run(Arc::downgrade(&mx), w, url));
    }
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
        engine,
        mx,
        shutdown: Some(tx),
        task: Some(task),
    })
}
