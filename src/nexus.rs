//! The Nexus API: a client generated from `specs/nexus/v1.yaml`.
//!
//! ```no_run
//! # async fn run() -> Result<(), mx_client::Error> {
//! use mx_client::nexus::{types, Client, Environment};
//!
//! let nexus = Client::from_environment(Environment::Integration, "session-token")?;
//! let member = nexus
//!     .create_member()
//!     .body(types::MemberCreateRequestBody::new(types::MemberCreateRequest {
//!         is_oauth: Some(true),
//!         ..types::MemberCreateRequest::new("INS-1572a04c-912b-59bf-5841-332c7dfafaef")
//!     }))
//!     .send()
//!     .await?
//!     .into_inner();
//! println!("{:?}", member.member.and_then(|m| m.connection_status));
//! # Ok(()) }
//! ```

crate::generated_api!("/nexus.rs");

use reqwest::header::{HeaderName, HeaderValue};

use crate::builder::ClientBuilder;
use crate::error::Error;

// MX's error codes (4011, 4220) are shared by every API's client: see
// `crate::rules::MX_CODES`.
pub(crate) use crate::rules::MX_CODES as RULES;
#[allow(deprecated)]
pub use crate::rules::NEXUS_DUPLICATE_MEMBER;
pub use crate::rules::{NEXUS_SESSION_EXPIRED, NEXUS_VALIDATION_FAILED};

crate::environment!("Nexus", Integration: "MX's integration environment: the spec's first server.", "nexus");

impl ClientBuilder<Client> {
    /// Renews an expired session (MX answers error code 4011): `provider`
    /// returns a fresh session token (e.g. from MX's SSO API). The client
    /// then uses it from the next request on, and an idempotent request that
    /// failed is sent again once; a create is never resent (it could create a
    /// duplicate).
    pub fn session_token_provider<F, Fut>(self, provider: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: std::future::Future<
                Output = Result<secrecy::SecretString, Box<dyn std::error::Error + Send + Sync>>,
            > + Send
            + 'static,
    {
        self.credential_provider(SecurityScheme::SessionToken, provider)
    }
}

impl Client {
    /// A builder for a client of `env` authenticated by `session_token`
    /// (sent as `MD-SESSION-TOKEN`), for setting timeouts or the HTTP client.
    pub fn builder(
        env: Environment,
        session_token: impl Into<secrecy::SecretString>,
    ) -> ClientBuilder<Client> {
        ClientBuilder::new(env.base_url())
            .rules(&RULES)
            .credential(SecurityScheme::SessionToken, session_token)
    }

    /// A client of `env` with the default timeouts.
    pub fn from_environment(
        env: Environment,
        session_token: impl Into<secrecy::SecretString>,
    ) -> Result<Client, Error> {
        Self::builder(env, session_token).build()
    }

    /// The same client with another session token (e.g. after the old one
    /// expired).
    pub fn with_session_token(&self, session_token: impl Into<secrecy::SecretString>) -> Client {
        let hooks = self
            .inner
            .clone()
            .with_credential(SecurityScheme::SessionToken, session_token.into());
        Client::new_with_client(&self.baseurl, self.client.clone(), hooks)
    }

    /// The same client, sending `MX-Skip-Webhook: true` so that MX sends no
    /// webhook for the requests made through it (Create Member documents the
    /// header). Cheap: use it per request,
    /// `nexus.skip_webhook().create_member()…`.
    pub fn skip_webhook(&self) -> Client {
        self.with_header(
            HeaderName::from_static("mx-skip-webhook"),
            HeaderValue::from_static("true"),
        )
    }

    /// The same client, sending `X-CALLBACK-PAYLOAD: payload`, which MX
    /// echoes in the webhooks of the members created through it
    /// (`nexus.with_callback_payload("order-42")?.create_member()…`). A
    /// payload that is not visible ASCII is `Error::InvalidRequest`.
    pub fn with_callback_payload(&self, payload: &str) -> Result<Client, Error> {
        let (name, value) = crate::lifecycle::callback::callback_payload_header(payload)?;
        Ok(self.with_header(name, value))
    }

    fn with_header(&self, name: HeaderName, value: HeaderValue) -> Client {
        let hooks = self.inner.clone().with_header(name, value);
        Client::new_with_client(&self.baseurl, self.client.clone(), hooks)
    }
}

// Nexus's spec has only create member: its answer is the one snapshot
// Nexus gives.
crate::lifecycle::member_record!(types::MemberResponse);
