//! The client builder shared by every API: base URL, credentials,
//! timeouts, retries, the HTTP client.

use std::fmt;
use std::future::Future;
use std::sync::Arc;
use std::time::Duration;

use secrecy::SecretString;

use crate::__private::{ClientParts, CredentialProvider, Hooks};
use crate::error::Error;
use crate::http::{
    install_crypto_provider, no_redirects, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT,
};
use crate::retry::RetryPolicy;
use crate::rules::ApiRules;

/// A client of one of MX's APIs: the `Client` of each API module
/// (`nexus`, `atrium`, `platform::v20111101`, `platform::v20250224`), made
/// by its `builder(…)` or `from_environment(…)`. Sealed: only the clients
/// this crate generates are.
pub trait ApiClient: ClientParts {}

/// Builds a client of any API: base URL, credentials, timeouts, retries,
/// the HTTP client. Made by each API's `Client::builder(…)`.
pub struct ClientBuilder<C> {
    base_url: String,
    hooks: Hooks,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    http: Option<reqwest::ClientBuilder>,
    _client: std::marker::PhantomData<fn() -> C>,
}

impl<C> fmt::Debug for ClientBuilder<C> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("base_url", &self.base_url)
            .field("hooks", &self.hooks)
            .field("timeout", &self.timeout)
            .field("connect_timeout", &self.connect_timeout)
            .finish()
    }
}

impl<C: ApiClient> ClientBuilder<C> {
    /// A builder for the API of `C` at `base_url`.
    pub fn new(base_url: impl Into<String>) -> Self {
        ClientBuilder {
            base_url: base_url.into().trim_end_matches('/').to_string(),
            hooks: Hooks::new(C::wire()),
            timeout: None,
            connect_timeout: None,
            http: None,
            _client: std::marker::PhantomData,
        }
    }

    /// Sets the value of a security scheme of the spec, named by the API's
    /// `SecurityScheme` enum (e.g. `atrium::SecurityScheme::ApiKey`); its
    /// header value is prepared once, here.
    pub fn credential(mut self, scheme: C::Scheme, value: impl Into<SecretString>) -> Self {
        self.hooks = self.hooks.with_credential(scheme, value.into());
        self
    }

    /// Sets the user and password of an HTTP Basic scheme of the spec (the
    /// Platform API: the client id and the API key); the `Authorization`
    /// value is prepared once, here. A scheme that is not HTTP Basic makes
    /// every request that needs it fail with a typed error.
    pub fn basic_credential(
        mut self,
        scheme: C::Scheme,
        user: impl Into<SecretString>,
        password: impl Into<SecretString>,
    ) -> Self {
        self.hooks = self
            .hooks
            .with_basic_credential(scheme, &user.into(), &password.into());
        self
    }

    /// The overall timeout of one request (default 30 s).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// The timeout to establish a connection (default 10 s).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Renews the credential of `scheme` through `provider` when the server
    /// says it expired (the API's rules say which answers mean that); an
    /// idempotent request (a read, an update, a delete) is then sent again
    /// once, a create never. A provider that fails (its error boxed: `?` on
    /// any error converts) leaves
    /// the old credential; its error is logged (`tracing`, without secrets)
    /// and the request's own error is returned.
    pub fn credential_provider<F, Fut>(mut self, scheme: C::Scheme, provider: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<SecretString, Box<dyn std::error::Error + Send + Sync>>>
            + Send
            + 'static,
    {
        let provider: CredentialProvider = Arc::new(move || Box::pin(provider()));
        self.hooks = self.hooks.with_provider(scheme, provider);
        self
    }

    /// Retries idempotent requests (RFC 9110: GET, HEAD, PUT, DELETE,
    /// OPTIONS, TRACE; a create never) on timeouts, connection failures,
    /// 429, 502, 503 and 504, up to `max_retries` times with exponential
    /// backoff (honouring `Retry-After`, at most 10 s). Off by default.
    pub fn retry_reads(mut self, max_retries: u32) -> Self {
        self.hooks = self.hooks.with_retry(RetryPolicy {
            max_retries,
            ..RetryPolicy::default()
        });
        self
    }

    /// Sets the whole retry policy of idempotent requests.
    pub fn retry_policy(mut self, policy: RetryPolicy) -> Self {
        self.hooks = self.hooks.with_retry(policy);
        self
    }

    /// Bounds the body of a success answer (default 64 MiB); a larger one
    /// fails with [`Error::ResponseTooLarge`].
    pub fn max_response_bytes(mut self, bytes: usize) -> Self {
        self.hooks = self.hooks.with_max_body(bytes);
        self
    }

    /// Builds the HTTP client from `builder` (for a proxy, root
    /// certificates, pool settings…), keeping its settings but two: it never
    /// follows redirects, and the timeouts set on this builder, if any,
    /// replace its own. Without timeouts on either, the defaults apply only
    /// when no `reqwest::ClientBuilder` is given.
    pub fn http_client(mut self, builder: reqwest::ClientBuilder) -> Self {
        self.http = Some(builder);
        self
    }

    /// The API's error rules (set by the API's module, e.g. Nexus's 4011).
    pub(crate) fn rules(mut self, rules: &'static ApiRules) -> Self {
        self.hooks = self.hooks.with_rules(rules);
        self
    }

    /// Builds the client.
    pub fn build(self) -> Result<C, Error> {
        install_crypto_provider();
        let http = match self.http {
            Some(builder) => {
                let builder = match self.timeout {
                    Some(t) => builder.timeout(t),
                    None => builder,
                };
                let builder = match self.connect_timeout {
                    Some(t) => builder.connect_timeout(t),
                    None => builder,
                };
                no_redirects(builder)
            }
            None => no_redirects(
                reqwest::Client::builder()
                    .timeout(self.timeout.unwrap_or(DEFAULT_TIMEOUT))
                    .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT)),
            ),
        }
        .map_err(Error::Transport)?;
        Ok(C::from_parts(&self.base_url, http, self.hooks))
    }
}
