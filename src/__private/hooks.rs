//! The state every generated `Client` carries (credentials by security
//! scheme, the API's rules, per-client settings) and the hooks progenitor
//! calls before and after each request. `exec` is in `exec.rs`.

use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock, RwLockReadGuard};

use base64::Engine;
use reqwest::header::{
    HeaderMap, HeaderName, HeaderValue, ACCEPT, AUTHORIZATION, CONTENT_LENGTH, CONTENT_TYPE,
    USER_AGENT,
};
use secrecy::{ExposeSecret, SecretString};

use super::body::{bounded, over};
use super::failure::Failure;
use super::wire::{is_json, ApiWire, Operation, SchemeKind};
use crate::retry::RetryPolicy;
use crate::rules::ApiRules;

/// The default bound on how much of an error answer is read.
pub const DEFAULT_MAX_ERROR_BODY: usize = 64 * 1024;
/// The default bound on a success answer's body (a statement PDF included).
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// Gives a fresh value for a credential that the server said expired (e.g.
/// a new Nexus `MD-SESSION-TOKEN` from MX's SSO API).
pub type CredentialProvider = Arc<
    dyn Fn() -> Pin<
            Box<
                dyn Future<Output = Result<SecretString, Box<dyn std::error::Error + Send + Sync>>>
                    + Send,
            >,
        > + Send
        + Sync,
>;

/// A credential as it goes on the wire, prepared once when it is set.
#[derive(Clone)]
pub(crate) enum Credential {
    /// The header value (marked sensitive).
    Ready(HeaderValue),
    /// Why it cannot be sent.
    Invalid(&'static str),
}

const AGENT: HeaderValue =
    HeaderValue::from_static(concat!("mx-client/", env!("CARGO_PKG_VERSION")));

/// The state every generated `Client` carries: credentials and per-client
/// settings. Cloning is cheap.
#[derive(Clone)]
pub struct Hooks {
    pub(crate) wire: &'static ApiWire,
    pub(crate) rules: &'static ApiRules,
    /// By scheme index (see the API's `SecurityScheme`).
    pub(crate) credentials: Arc<RwLock<Vec<Option<Credential>>>>,
    pub(crate) providers: Vec<Option<CredentialProvider>>,
    extra_headers: Vec<(HeaderName, HeaderValue)>,
    pub(crate) max_error_body: usize,
    pub(crate) max_body: usize,
    pub(crate) retry: RetryPolicy,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let schemes = self.wire.schemes.iter().map(|s| s.name);
        let credentials: std::collections::BTreeMap<_, _> = schemes
            .clone()
            .zip(self.credentials().iter())
            .filter(|(_, c)| c.is_some())
            .map(|(name, _)| (name, "[REDACTED]"))
            .collect();
        let providers: Vec<_> = schemes
            .zip(&self.providers)
            .filter(|(_, p)| p.is_some())
            .map(|(name, _)| name)
            .collect();
        f.debug_struct("Hooks")
            .field("api", &self.wire.title)
            .field("credentials", &credentials)
            .field("providers", &providers)
            .field("extra_headers", &self.extra_headers)
            .field("max_body", &self.max_body)
            .field("retry", &self.retry)
            .finish()
    }
}

impl Hooks {
    /// Hooks for the API described by `wire`, with no credentials yet and
    /// no API rules (see [`Hooks::with_rules`]).
    pub fn new(wire: &'static ApiWire) -> Self {
        Hooks {
            wire,
            rules: &ApiRules::NONE,
            credentials: Arc::new(RwLock::new(vec![None; wire.schemes.len()])),
            providers: vec![None; wire.schemes.len()],
            extra_headers: Vec::new(),
            max_error_body: DEFAULT_MAX_ERROR_BODY,
            max_body: DEFAULT_MAX_BODY,
            retry: RetryPolicy::default(),
        }
    }

    pub(crate) fn credentials(&self) -> RwLockReadGuard<'_, Vec<Option<Credential>>> {
        self.credentials.read().unwrap_or_else(|p| p.into_inner())
    }

    /// The API's error rules (e.g. Nexus's 4011).
    pub fn with_rules(mut self, rules: &'static ApiRules) -> Self {
        self.rules = rules;
        self
    }

    /// Sets the credential of security scheme `scheme` (the API's
    /// `SecurityScheme`): the header value is prepared here, once. The
    /// result no longer shares credentials with `self`.
    pub fn with_credential(self, scheme: impl Into<usize>, value: SecretString) -> Self {
        let scheme = scheme.into();
        let credential = self.prepare(scheme, &value);
        self.with_prepared(scheme, credential)
    }

    /// Sets the credential of an HTTP Basic scheme: `user` and `password`
    /// (the Platform API: the client id and the API key).
    pub fn with_basic_credential(
        self,
        scheme: impl Into<usize>,
        user: &SecretString,
        password: &SecretString,
    ) -> Self {
        let scheme = scheme.into();
        let credential = match self.wire.schemes.get(scheme).map(|s| &s.kind) {
            Some(SchemeKind::Basic) => {
                let pair = format!("{}:{}", user.expose_secret(), password.expose_secret());
                let encoded = base64::engine::general_purpose::STANDARD.encode(pair);
                sensitive(&format!("Basic {encoded}"))
            }
            _ => Credential::Invalid("is not for an HTTP Basic scheme"),
        };
        self.with_prepared(scheme, credential)
    }

    fn with_prepared(mut self, scheme: usize, credential: Credential) -> Self {
        let mut all = self.credentials().clone();
        if let Some(slot) = all.get_mut(scheme) {
            *slot = Some(credential);
        }
        self.credentials = Arc::new(RwLock::new(all));
        self
    }

    /// `value` as the header value of `scheme`.
    pub(crate) fn prepare(&self, scheme: usize, value: &SecretString) -> Credential {
        match self.wire.schemes.get(scheme).map(|s| &s.kind) {
            Some(SchemeKind::Header(_)) => sensitive(value.expose_secret()),
            Some(SchemeKind::Bearer) => sensitive(&format!("Bearer {}", value.expose_secret())),
            Some(SchemeKind::Basic) => Credential::Invalid("needs a user and a password"),
            None => Credential::Invalid("names no scheme of the API"),
        }
    }

    /// Renews the credential of `scheme` through `provider` when the server
    /// says it expired.
    pub fn with_provider(mut self, scheme: impl Into<usize>, provider: CredentialProvider) -> Self {
        if let Some(slot) = self.providers.get_mut(scheme.into()) {
            *slot = Some(provider);
        }
        self
    }

    /// Adds a header sent with every request of this client.
    pub fn with_header(mut self, name: HeaderName, value: HeaderValue) -> Self {
        self.extra_headers.retain(|(n, _)| *n != name);
        self.extra_headers.push((name, value));
        self
    }

    /// Bounds the body of a success answer (default 64 MiB).
    pub fn with_max_body(mut self, bytes: usize) -> Self {
        self.max_body = bytes;
        self
    }

    /// The bound on a success answer's body.
    pub fn body_limit(&self) -> usize {
        self.max_body
    }

    /// Retries idempotent requests (see [`RetryPolicy`]).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The API this client talks to.
    pub fn wire(&self) -> &'static ApiWire {
        self.wire
    }

    /// Completes a request built by the generated code as the spec
    /// documents it: the operation's `Accept` and `Content-Type`, the API's
    /// constant headers (`Accept-Version`), its security headers, a
    /// `User-Agent`, the client's extra headers.
    pub fn pre(&self, request: &mut reqwest::Request, op: &Operation) -> Result<(), Failure> {
        let has_body = request.body().is_some();
        let headers = request.headers_mut();
        match &op.accept {
            Some(media) => {
                headers.insert(ACCEPT, media.clone());
            }
            None => {
                headers.remove(ACCEPT);
            }
        }
        if let (true, Some(media)) = (has_body, &op.content_type) {
            headers.insert(CONTENT_TYPE, media.clone());
        }
        headers.insert(USER_AGENT, AGENT);
        for (name, value) in self.wire.headers {
            headers.insert(name.clone(), value.clone());
        }
        self.set_security(headers, op)?;
        for (name, value) in &self.extra_headers {
            headers.insert(name.clone(), value.clone());
        }
        Ok(())
    }

    /// The operation's security headers, from the prepared credentials.
    pub(crate) fn set_security(
        &self,
        headers: &mut HeaderMap,
        op: &Operation,
    ) -> Result<(), Failure> {
        let credentials = self.credentials();
        for &index in op.security {
            let Some(scheme) = self.wire.schemes.get(index) else {
                continue;
            };
            let value = match credentials.get(index) {
                Some(Some(Credential::Ready(value))) => value.clone(),
                Some(Some(Credential::Invalid(reason))) => {
                    return Err(Failure::InvalidCredential {
                        scheme: scheme.name,
                        reason,
                    })
                }
                _ => {
                    return Err(Failure::MissingCredential {
                        scheme: scheme.name,
                    })
                }
            };
            let name = match &scheme.kind {
                SchemeKind::Header(name) => name.clone(),
                SchemeKind::Basic | SchemeKind::Bearer => AUTHORIZATION,
            };
            headers.insert(name, value);
        }
        Ok(())
    }

    /// Takes a success answer as the spec documents it, or refuses it: its
    /// declared length within the client's bound (a body without one is
    /// bounded as it is read), its `Content-Type` the documented kind (JSON
    /// for a JSON operation; for bytes, such as a statement PDF, neither
    /// JSON nor a page).
    pub(crate) fn accept(
        &self,
        response: reqwest::Response,
        op: &'static Operation,
    ) -> Result<reqwest::Response, Failure> {
        if response.status() == reqwest::StatusCode::NO_CONTENT {
            return Ok(response);
        }
        let headers = response.headers();
        let declared = headers.get(CONTENT_LENGTH);
        if declared.is_some_and(|v| over(v, self.max_body)) {
            return Err(Failure::TooLarge {
                limit: self.max_body,
            });
        }
        if let Some(documented) = &op.response_media {
            let got = headers.get(CONTENT_TYPE);
            // The common case, the documented type itself, is not parsed.
            if got != Some(documented) {
                content_type_matches(got, documented, op.response_json)?;
            }
        }
        Ok(match declared {
            Some(_) => response,
            None => bounded(response, self.max_body),
        })
    }
}

/// Refuses an answer whose `Content-Type` is not the documented kind.
fn content_type_matches(
    got: Option<&HeaderValue>,
    documented: &'static HeaderValue,
    json: bool,
) -> Result<(), Failure> {
    let got = got.and_then(|v| v.to_str().ok()).unwrap_or("");
    // Bytes were due (a statement PDF): a page or a JSON body in their
    // place is an error answer with a success status.
    let wrong = if json {
        !is_json(got)
    } else {
        is_json(got)
            || got
                .trim_start()
                .get(..9)
                .is_some_and(|t| t.eq_ignore_ascii_case("text/html"))
    };
    if wrong {
        return Err(Failure::ContentType {
            got: got.to_string(),
            documented: documented.to_str().unwrap_or(""),
            json,
        });
    }
    Ok(())
}

/// `value` as a sensitive header value.
fn sensitive(value: &str) -> Credential {
    match HeaderValue::from_str(value) {
        Ok(mut v) => {
            v.set_sensitive(true);
            Credential::Ready(v)
        }
        Err(_) => Credential::Invalid("is not a valid header value"),
    }
}
