//! What the simulator accepts, and how it behaves.

use std::time::Duration;

/// The demo `MX-API-Key` a default simulator accepts.
pub const DEMO_API_KEY: &str = "demo-api-key";
/// The demo `MX-Client-ID`.
pub const DEMO_CLIENT_ID: &str = "demo-client-id";
/// The demo `MD-SESSION-TOKEN`.
pub const DEMO_SESSION_TOKEN: &str = "demo-session-token";
/// The demo `processor_id` of the Platform's processor (the HTTP Basic user
/// of `POST /token`).
pub const DEMO_PROCESSOR_ID: &str = "demo-processor-id";
/// The demo processor's `api_key` (the HTTP Basic password of `POST /token`).
pub const DEMO_PROCESSOR_API_KEY: &str = "demo-processor-api-key";
/// The GUID of the Nexus session's user, and of the seeded Atrium user.
pub const DEMO_USER_GUID: &str = "USR-fa7537f3-48aa-a683-a02a-b18940482f54";

/// What the simulator accepts, and how it behaves.
#[derive(Clone)]
pub struct Config {
    /// The `MX-API-Key` Atrium requests must carry (the Basic password).
    pub api_key: String,
    /// The `MX-Client-ID` Atrium requests must carry (the Basic user).
    pub client_id: String,
    /// The `MD-SESSION-TOKEN` Nexus requests must carry.
    pub session_token: String,
    /// The Platform processor's `processor_id`: with
    /// [`processor_api_key`](Self::processor_api_key), the only HTTP Basic
    /// credentials `POST /token` accepts (a client's are refused).
    pub processor_id: String,
    /// The Platform processor's `api_key`.
    pub processor_api_key: String,
    /// How long the first aggregation of a new member runs.
    pub aggregation_time: Duration,
    /// How long every job (aggregate, balance, extend_history,
    /// fetch_statements, identify, verify) runs.
    pub job_time: Duration,
    /// How long a connect widget URL works (MX: 10 minutes), once.
    pub widget_lifetime: Duration,
    /// Members one user may have (MX's development environment: 25).
    pub members_per_user: usize,
    /// The largest request body accepted (413 above).
    pub max_body_bytes: usize,
    /// Whether to create the demo user (with `DEMO_USER_GUID`) at start.
    pub seed: bool,
    /// Where to POST member webhooks (none when `None`).
    pub webhook: Option<WebhookConfig>,
}

/// Where and how the simulator sends MX's member webhooks: JSON POSTs, HTTP
/// Basic when `basic_auth` is set, retried with doubling delays on a
/// failure (a transport error or a non-2xx answer).
///
/// Plain `http://` only: the simulator has no TLS client, so an `https://`
/// URL is refused at start.
#[derive(Clone)]
pub struct WebhookConfig {
    pub url: String,
    /// (user, password) for HTTP Basic.
    pub basic_auth: Option<(String, String)>,
    /// Tries per webhook, the first included (MX: 12 over about 24 hours).
    pub attempts: u32,
    /// The delay before the first retry; each next one doubles.
    pub backoff: Duration,
    /// The time one try may take.
    pub timeout: Duration,
}

impl WebhookConfig {
    /// Webhooks to `url`, without auth, 4 tries from 100 ms apart.
    pub fn new(url: impl Into<String>) -> Self {
        WebhookConfig {
            url: url.into(),
            basic_auth: None,
            attempts: 4,
            backoff: Duration::from_millis(100),
            timeout: Duration::from_secs(5),
        }
    }

    /// HTTP Basic from `USER:PASSWORD` (the `--webhook-basic-auth` form).
    pub fn basic_auth(mut self, user_password: &str) -> Result<Self, String> {
        let (user, password) = user_password
            .split_once(':')
            .filter(|(u, _)| !u.is_empty())
            .ok_or("the webhook Basic auth must be USER:PASSWORD")?;
        self.basic_auth = Some((user.to_string(), password.to_string()));
        Ok(self)
    }
}

impl std::fmt::Debug for WebhookConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebhookConfig")
            .field("url", &self.url)
            .field(
                "basic_auth",
                &self.basic_auth.as_ref().map(|_| "[REDACTED]"),
            )
            .field("attempts", &self.attempts)
            .field("backoff", &self.backoff)
            .field("timeout", &self.timeout)
            .finish()
    }
}

impl std::fmt::Debug for Config {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Config")
            .field("api_key", &"[REDACTED]")
            .field("client_id", &"[REDACTED]")
            .field("session_token", &"[REDACTED]")
            .field("processor_id", &"[REDACTED]")
            .field("processor_api_key", &"[REDACTED]")
            .field("aggregation_time", &self.aggregation_time)
            .field("job_time", &self.job_time)
            .field("widget_lifetime", &self.widget_lifetime)
            .field("members_per_user", &self.members_per_user)
            .field("max_body_bytes", &self.max_body_bytes)
            .field("seed", &self.seed)
            .field("webhook", &self.webhook)
            .finish()
    }
}

impl Default for Config {
    fn default() -> Self {
        Config {
            api_key: DEMO_API_KEY.into(),
            client_id: DEMO_CLIENT_ID.into(),
            session_token: DEMO_SESSION_TOKEN.into(),
            processor_id: DEMO_PROCESSOR_ID.into(),
            processor_api_key: DEMO_PROCESSOR_API_KEY.into(),
            aggregation_time: Duration::from_millis(300),
            job_time: Duration::from_millis(300),
            widget_lifetime: Duration::from_secs(600),
            members_per_user: 25,
            max_body_bytes: 1024 * 1024,
            seed: true,
            webhook: None,
        }
    }
}
