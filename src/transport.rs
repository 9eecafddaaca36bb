//! The one header and media-type layer both APIs share.
//!
//! The pipeline records, per operation, what progenitor does not model (the
//! real request and response media types, the security headers, the
//! servers, the documented error statuses) in a [`ApiWire`] table, and makes
//! the generated `Client` call [`Hooks::pre`] and [`Hooks::exec`] around every
//! request. Nothing here knows which API it serves: it reads the table.

use std::collections::{BTreeMap, VecDeque};
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, RwLock};
use std::time::Duration;

use bytes::{Bytes, BytesMut};
use reqwest::header::{HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, USER_AGENT};
use secrecy::{ExposeSecret, SecretString};
use tracing::Instrument;

use crate::Error;

/// One server the spec lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Server {
    pub url: &'static str,
    pub description: Option<&'static str>,
}

/// The wire facts of one operation, as the spec documents them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The generated method's name.
    pub name: &'static str,
    pub method: &'static str,
    /// The path template, e.g. `/users/{user_guid}/members`.
    pub path: &'static str,
    /// The operation's tags in the spec.
    pub tags: &'static [&'static str],
    /// The documented request media type (sent as `Content-Type`).
    pub request_media: Option<&'static str>,
    /// The documented media type of the success answer (sent as `Accept`).
    pub response_media: Option<&'static str>,
    /// (security scheme, header name) pairs this operation sends.
    pub security: &'static [(&'static str, &'static str)],
    /// Documented success statuses (`"200"`, `"2XX"`).
    pub success: &'static [&'static str],
    /// Documented error statuses and their descriptions.
    pub errors: &'static [(&'static str, &'static str)],
}

/// Everything the spec of one API says about the wire.
#[derive(Debug)]
pub struct ApiWire {
    pub title: &'static str,
    /// The `Accept` of an operation that documents no answer body (e.g. a
    /// `204` delete): the JSON media type the API's other operations answer
    /// with, since MX refuses (406) a request that names no API version.
    pub default_accept: Option<&'static str>,
    pub servers: &'static [Server],
    /// Sorted by name.
    pub operations: &'static [Operation],
}

impl ApiWire {
    /// The operation whose generated method is `name` (e.g. `create_member`).
    pub fn operation(&self, name: &str) -> Option<&'static Operation> {
        self.operations
            .binary_search_by(|o| o.name.cmp(name))
            .ok()
            .map(|i| &self.operations[i])
    }

    /// The base URL of server `index` of the spec, without a trailing `/`.
    pub fn server_url(&self, index: usize) -> Option<&'static str> {
        self.servers.get(index).map(|s| s.url.trim_end_matches('/'))
    }
}

/// What [`Hooks::exec`] keeps of a non-2xx answer, attached to the response
/// so that [`Error`] can be built from it synchronously.
#[derive(Debug, Clone)]
pub(crate) struct ErrorBody {
    pub operation_id: &'static str,
    pub method: Option<reqwest::Method>,
    pub body: Bytes,
}

/// Attached by [`Hooks::exec`] to an answer that came from another origin
/// than the request went to: an HTTP client that follows redirects was
/// given to `new_with_client`. [`Hooks::post`] refuses the answer.
#[derive(Debug, Clone)]
pub(crate) struct Redirected(pub String);

/// The default bound on how much of an error answer is read.
pub const DEFAULT_MAX_ERROR_BODY: usize = 64 * 1024;
/// The default bound on a success answer's body (a statement PDF included).
pub const DEFAULT_MAX_BODY: usize = 64 * 1024 * 1024;

/// Gives a fresh value for a credential that the server said expired (Nexus
/// error code 4011): e.g. a new `MD-SESSION-TOKEN` from MX's SSO API.
pub type CredentialProvider = Arc<
    dyn Fn() -> Pin<Box<dyn Future<Output = Result<SecretString, String>> + Send>> + Send + Sync,
>;

/// Automatic retries of idempotent reads (GET, HEAD). Off by default: a
/// create is never retried.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (0: none).
    pub max_retries: u32,
    /// The first backoff; doubled on each retry.
    pub base_delay: Duration,
    /// The longest wait, `Retry-After` included.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 0,
            base_delay: Duration::from_millis(200),
            max_delay: Duration::from_secs(10),
        }
    }
}

/// A success body over the bound: the stream fails with this.
#[derive(Debug)]
pub(crate) struct BodyTooLarge(pub usize);

impl fmt::Display for BodyTooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "the answer is larger than the {}-byte limit", self.0)
    }
}

impl std::error::Error for BodyTooLarge {}

/// Tags of the hook errors the generated code carries as
/// `progenitor_client::Error::Custom` (see `Error`'s conversion).
pub(crate) const CONTENT_TYPE_TAG: &str = "\u{1}content-type\u{1}";
pub(crate) const TOO_LARGE_TAG: &str = "\u{1}too-large\u{1}";
pub(crate) const REDIRECTED_TAG: &str = "\u{1}redirected\u{1}";
/// Followed by `operation_id`, [`FIELD_SEP`], the transport error.
pub(crate) const OUTCOME_UNKNOWN_TAG: &str = "\u{1}outcome-unknown\u{1}";
pub(crate) const FIELD_SEP: char = '\u{1}';

/// Does sending `method` twice have the effect of sending it once
/// (RFC 9110, 9.2.2)? A create (`POST`) does not.
pub(crate) fn is_idempotent(method: &reqwest::Method) -> bool {
    use reqwest::Method as M;
    matches!(
        *method,
        M::GET | M::HEAD | M::PUT | M::DELETE | M::OPTIONS | M::TRACE
    )
}

/// The state every generated `Client` carries: credentials and per-client
/// settings. Cloning is cheap.
#[derive(Clone)]
pub struct Hooks {
    wire: &'static ApiWire,
    credentials: Arc<RwLock<BTreeMap<String, SecretString>>>,
    providers: BTreeMap<String, CredentialProvider>,
    extra_headers: Vec<(HeaderName, HeaderValue)>,
    max_error_body: usize,
    max_body: usize,
    retry: RetryPolicy,
}

impl fmt::Debug for Hooks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Hooks")
            .field("api", &self.wire.title)
            .field(
                "credentials",
                &self
                    .credentials()
                    .keys()
                    .map(|k| (k.clone(), "[REDACTED]"))
                    .collect::<BTreeMap<_, _>>(),
            )
            .field("providers", &self.providers.keys().collect::<Vec<_>>())
            .field("extra_headers", &self.extra_headers)
            .field("max_body", &self.max_body)
            .field("retry", &self.retry)
            .finish()
    }
}

impl Hooks {
    /// Hooks for the API described by `wire`, with no credentials yet.
    pub fn new(wire: &'static ApiWire) -> Self {
        Hooks {
            wire,
            credentials: Arc::new(RwLock::new(BTreeMap::new())),
            providers: BTreeMap::new(),
            extra_headers: Vec::new(),
            max_error_body: DEFAULT_MAX_ERROR_BODY,
            max_body: DEFAULT_MAX_BODY,
            retry: RetryPolicy::default(),
        }
    }

    fn credentials(&self) -> std::sync::RwLockReadGuard<'_, BTreeMap<String, SecretString>> {
        self.credentials.read().unwrap_or_else(|p| p.into_inner())
    }

    /// Sets the value of the security scheme `scheme` (its name in the spec's
    /// `securitySchemes`); the header it goes in comes from the spec. The
    /// result no longer shares credentials with `self`.
    pub fn with_credential(mut self, scheme: &str, value: SecretString) -> Self {
        let mut map = self.credentials().clone();
        map.insert(scheme.to_string(), value);
        self.credentials = Arc::new(RwLock::new(map));
        self
    }

    /// Renews the credential of `scheme` through `provider` when the server
    /// says it expired.
    pub fn with_provider(mut self, scheme: &str, provider: CredentialProvider) -> Self {
        self.providers.insert(scheme.to_string(), provider);
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

    /// Retries idempotent reads (see [`RetryPolicy`]).
    pub fn with_retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = retry;
        self
    }

    /// The API this client talks to.
    pub fn wire(&self) -> &'static ApiWire {
        self.wire
    }

    /// Rewrites a request built by the generated code into what the spec
    /// documents: the operation's `Accept` and `Content-Type`, its security
    /// headers, a `User-Agent`, and no `api-version`.
    pub fn pre(&self, request: &mut reqwest::Request, operation_name: &str) -> Result<(), String> {
        let wire = self.wire;
        let op = wire
            .operation(operation_name)
            .ok_or_else(|| format!("operation `{operation_name}` is not in the wire table"))?;
        let has_body = request.body().is_some();
        let headers = request.headers_mut();
        headers.remove("api-version");
        match op.response_media.or(wire.default_accept) {
            Some(media) => {
                headers.insert(ACCEPT, HeaderValue::from_static(media));
            }
            None => {
                headers.remove(ACCEPT);
            }
        }
        if let (true, Some(media)) = (has_body, op.request_media) {
            headers.insert(CONTENT_TYPE, HeaderValue::from_static(media));
        }
        headers.insert(
            USER_AGENT,
            HeaderValue::from_static(concat!("mx-client/", env!("CARGO_PKG_VERSION"))),
        );
        self.set_security(headers, op)?;
        for (name, value) in &self.extra_headers {
            headers.insert(name.clone(), value.clone());
        }
        Ok(())
    }

    fn set_security(
        &self,
        headers: &mut reqwest::header::HeaderMap,
        op: &Operation,
    ) -> Result<(), String> {
        let credentials = self.credentials();
        for (scheme, header) in op.security {
            let secret = credentials.get(*scheme).ok_or_else(|| {
                format!("no credential is set for `{scheme}` (the `{header}` header)")
            })?;
            let mut value = HeaderValue::from_str(secret.expose_secret()).map_err(|_| {
                format!("the credential for `{header}` is not a valid header value")
            })?;
            value.set_sensitive(true);
            headers.insert(HeaderName::from_static_lower(header), value);
        }
        Ok(())
    }

    /// Checks an answer against the spec: it comes from the origin the
    /// request went to, a success's `Content-Type` is the documented kind
    /// (JSON for a JSON operation) and its declared length is within the
    /// bound. A transport failure of an operation that is not idempotent (a
    /// create), after the connection was made, becomes an "outcome unknown"
    /// error: MX may have acted on the request.
    pub fn post(
        &self,
        result: &reqwest::Result<reqwest::Response>,
        operation_name: &str,
    ) -> Result<(), String> {
        let op = self.wire.operation(operation_name);
        let response = match result {
            Ok(response) => response,
            Err(e) => {
                let Some(op) = op else { return Ok(()) };
                let method = reqwest::Method::from_bytes(op.method.as_bytes()).ok();
                // Not connected, or not built: nothing reached MX.
                let unsent = e.is_connect() || e.is_builder();
                if unsent || method.as_ref().is_none_or(is_idempotent) {
                    return Ok(());
                }
                return Err(format!(
                    "{OUTCOME_UNKNOWN_TAG}{}{FIELD_SEP}{}",
                    op.id,
                    error_chain(e)
                ));
            }
        };
        if let Some(Redirected(to)) = response.extensions().get::<Redirected>() {
            return Err(format!("{REDIRECTED_TAG}{to}"));
        }
        if !response.status().is_success() || response.status() == reqwest::StatusCode::NO_CONTENT {
            return Ok(());
        }
        let declared = response
            .headers()
            .get(reqwest::header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.parse::<u64>().ok());
        if declared.is_some_and(|n| n > self.max_body as u64) {
            return Err(format!("{TOO_LARGE_TAG}{}", self.max_body));
        }
        let Some(documented) = op.and_then(|o| o.response_media) else {
            return Ok(());
        };
        let got = response
            .headers()
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        if is_json(documented) {
            if !is_json(got) {
                let got = if got.is_empty() { "none" } else { got };
                return Err(format!(
                    "{CONTENT_TYPE_TAG}the answer's Content-Type is {got}, not JSON ({documented})"
                ));
            }
        } else if is_json(got)
            || got
                .trim_start()
                .get(..9)
                .is_some_and(|t| t.eq_ignore_ascii_case("text/html"))
        {
            // Bytes were due (a statement PDF): a page or a JSON body in
            // their place is an error answer with a success status.
            return Err(format!(
                "{CONTENT_TYPE_TAG}the answer's Content-Type is {got}, not {documented}"
            ));
        }
        Ok(())
    }

    /// Sends the request, with what the spec and the client's settings ask:
    /// a non-2xx answer's body is read here (bounded) and attached to the
    /// response for [`Error`]; a success body is bounded; an expired
    /// credential is renewed once through its provider; idempotent reads are
    /// retried when the client says so. Each request is a `tracing` span
    /// with the operation, method, status and duration (no header values).
    pub async fn exec(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        operation_name: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let op = self.wire.operation(operation_name);
        let operation_id = op.map_or(operation_name, |o| o.id);
        let span = tracing::info_span!(
            "mx.request",
            api = self.wire.title,
            operation = operation_id,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        let started = std::time::Instant::now();
        let result = self
            .exec_inner(client, request, op, operation_id)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match &result {
            Ok(r) => {
                span.record("status", r.status().as_u16());
            }
            Err(e) => {
                span.record("status", e.status().map_or(0, |s| s.as_u16()));
            }
        }
        span.in_scope(|| match &result {
            Ok(r) if r.status().is_success() => tracing::debug!("answered"),
            Ok(r) => tracing::info!(
                status = r.status().as_u16(),
                "answered with an error status"
            ),
            Err(e) => tracing::info!(error = %e, "transport error"),
        });
        result
    }

    async fn exec_inner(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        op: Option<&'static Operation>,
        operation_id: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let idempotent = matches!(
            *request.method(),
            reqwest::Method::GET | reqwest::Method::HEAD
        );
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            let again = if idempotent {
                request.try_clone()
            } else {
                None
            };
            tracing::Span::current().record("attempts", attempt + 1);
            let method = request.method().clone();
            let sent_to = request.url().clone();
            let response = match client.execute(request).await {
                Ok(r) => r,
                Err(e) => {
                    let transient = e.is_timeout() || e.is_connect();
                    match (again, transient && attempt < self.retry.max_retries) {
                        (Some(next), true) => {
                            tokio_sleep(self.backoff(attempt, None)).await;
                            attempt += 1;
                            request = next;
                            continue;
                        }
                        _ => return Err(e),
                    }
                }
            };
            if !same_origin(response.url(), &sent_to) {
                // Too late to keep the headers from the other host, but its
                // answer is never taken for MX's.
                return Ok(redirected(response));
            }
            if response.status().is_success() {
                return Ok(self.bounded(response));
            }
            let response = self.buffered_error(response, operation_id, method).await?;
            let body = &response
                .extensions()
                .get::<ErrorBody>()
                .expect("just attached")
                .body;
            if !renewed && crate::error::error_code(body) == Some(crate::NEXUS_SESSION_EXPIRED) {
                renewed = true;
                if let Some(op) = op {
                    if self.renew(op).await {
                        if let Some(mut next) = again {
                            // A read: send it again with the new credential.
                            self.set_security(next.headers_mut(), op).ok();
                            request = next;
                            continue;
                        }
                    }
                }
                return Ok(response);
            }
            let status = response.status().as_u16();
            let transient = matches!(status, 429 | 502..=504);
            match (again, transient && attempt < self.retry.max_retries) {
                (Some(next), true) => {
                    let retry_after = retry_after(response.headers());
                    tokio_sleep(self.backoff(attempt, retry_after)).await;
                    attempt += 1;
                    request = next;
                }
                _ => return Ok(response),
            }
        }
    }

    /// Asks the providers of the operation's credentials for new values.
    async fn renew(&self, op: &Operation) -> bool {
        let mut renewed = false;
        for (scheme, _) in op.security {
            let Some(provider) = self.providers.get(*scheme) else {
                continue;
            };
            match provider().await {
                Ok(value) => {
                    self.credentials
                        .write()
                        .unwrap_or_else(|p| p.into_inner())
                        .insert(scheme.to_string(), value);
                    renewed = true;
                }
                Err(e) => {
                    tracing::warn!(scheme = *scheme, error = %e, "renewing the credential failed")
                }
            }
        }
        renewed
    }

    fn backoff(&self, attempt: u32, retry_after: Option<Duration>) -> Duration {
        let exp = self
            .retry
            .base_delay
            .saturating_mul(1u32 << attempt.min(16));
        retry_after.unwrap_or(exp).min(self.retry.max_delay)
    }

    /// The success response with a body that fails once it passes the bound.
    /// A body with a declared length is left as it is: `post` refuses one
    /// declared over the bound, and hyper never reads past the declared
    /// length.
    fn bounded(&self, response: reqwest::Response) -> reqwest::Response {
        if response
            .headers()
            .contains_key(reqwest::header::CONTENT_LENGTH)
        {
            return response;
        }
        let max = self.max_body;
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        let mut seen = 0usize;
        let stream = futures_util::StreamExt::map(response.bytes_stream(), move |chunk| {
            let chunk =
                chunk.map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            seen += chunk.len();
            if seen > max {
                return Err(Box::new(BodyTooLarge(max)) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(chunk)
        });
        reqwest::Response::from(rebuild(
            status,
            version,
            headers,
            reqwest::Body::wrap_stream(stream),
        ))
    }

    /// The error response with its body read (bounded) and attached.
    async fn buffered_error(
        &self,
        response: reqwest::Response,
        operation_id: &'static str,
        method: reqwest::Method,
    ) -> reqwest::Result<reqwest::Response> {
        let status = response.status();
        let version = response.version();
        let headers = response.headers().clone();
        let body = read_capped(response, self.max_error_body).await?;
        let mut rebuilt = rebuild(status, version, headers, body.clone());
        rebuilt.extensions_mut().insert(ErrorBody {
            operation_id,
            method: Some(method),
            body,
        });
        Ok(reqwest::Response::from(rebuilt))
    }
}

/// A response with the parts of one the hooks took apart.
fn rebuild<B>(
    status: reqwest::StatusCode,
    version: reqwest::Version,
    headers: reqwest::header::HeaderMap,
    body: B,
) -> http::Response<B> {
    let mut r = http::Response::new(body);
    *r.status_mut() = status;
    *r.version_mut() = version;
    *r.headers_mut() = headers;
    r
}

/// `Retry-After` as a wait: delay-seconds, or an HTTP-date (a date in the
/// past is no wait).
pub(crate) fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or(Duration::ZERO),
    )
}

/// Same scheme, host and port (what reqwest's redirect policy compares).
fn same_origin(a: &url::Url, b: &url::Url) -> bool {
    a.scheme() == b.scheme()
        && a.host_str() == b.host_str()
        && a.port_or_known_default() == b.port_or_known_default()
}

/// An answer that came from another origin: status and headers kept for
/// diagnosis, body dropped, marked for [`Hooks::post`].
fn redirected(response: reqwest::Response) -> reqwest::Response {
    let to = response.url().origin().ascii_serialization();
    let mut r = rebuild(
        response.status(),
        response.version(),
        response.headers().clone(),
        reqwest::Body::from(Bytes::new()),
    );
    r.extensions_mut().insert(Redirected(to));
    reqwest::Response::from(r)
}

/// An error and its sources, `: `-separated (reqwest's `Display` shows only
/// the outermost).
fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut out = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        out.push_str(": ");
        out.push_str(&s.to_string());
        source = s.source();
    }
    out
}

async fn tokio_sleep(d: Duration) {
    tokio::time::sleep(d).await
}

/// Is `media` JSON on the wire (`application/json`, or a `+json` type)?
pub fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().as_bytes();
    let starts = |p: &[u8]| essence.len() >= p.len() && essence[..p.len()].eq_ignore_ascii_case(p);
    let ends = |p: &[u8]| {
        essence.len() >= p.len() && essence[essence.len() - p.len()..].eq_ignore_ascii_case(p)
    };
    essence.eq_ignore_ascii_case(b"application/json") || (starts(b"application/") && ends(b"+json"))
}

/// `HeaderName::from_static` wants lower case; spec header names are mixed.
trait FromStaticLower {
    fn from_static_lower(name: &'static str) -> HeaderName;
}

impl FromStaticLower for HeaderName {
    fn from_static_lower(name: &'static str) -> HeaderName {
        HeaderName::from_bytes(name.as_bytes()).expect("the pipeline emits valid header names")
    }
}

async fn read_capped(mut response: reqwest::Response, cap: usize) -> reqwest::Result<Bytes> {
    let mut buf = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = cap.saturating_sub(buf.len());
        buf.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if buf.len() >= cap {
            break;
        }
    }
    Ok(buf.freeze())
}

/// Builds a generated `Client` from its parts; emitted by the pipeline for
/// each API.
pub trait FromParts: Sized {
    /// The API's wire table.
    fn wire() -> &'static ApiWire;
    /// The generated constructor.
    fn from_parts(base_url: &str, http: reqwest::Client, hooks: Hooks) -> Self;
}

/// Builds a client of either API: base URL, credentials, timeouts.
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

/// The default overall timeout of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default timeout to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

impl<C: FromParts> ClientBuilder<C> {
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

    /// Sets the value of a security scheme of the spec.
    pub fn credential(mut self, scheme: &str, value: impl Into<SecretString>) -> Self {
        self.hooks = self.hooks.with_credential(scheme, value.into());
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
    /// says it expired; a read is then sent again once, a create never.
    pub fn credential_provider<F, Fut>(mut self, scheme: &str, provider: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<SecretString, String>> + Send + 'static,
    {
        let provider: CredentialProvider = Arc::new(move || Box::pin(provider()));
        self.hooks = self.hooks.with_provider(scheme, provider);
        self
    }

    /// Retries idempotent reads (GET) on timeouts, connection failures, 429,
    /// 502, 503 and 504, up to `max_retries` times with exponential backoff
    /// (honouring `Retry-After`, at most 10 s). Off by default.
    pub fn retry_reads(mut self, max_retries: u32) -> Self {
        self.hooks = self.hooks.with_retry(RetryPolicy {
            max_retries,
            ..RetryPolicy::default()
        });
        self
    }

    /// Sets the whole retry policy of idempotent reads.
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

    /// Builds the client.
    pub fn build(self) -> Result<C, Error> {
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

/// Auth headers must never follow a redirect to another host (reqwest strips
/// only `Authorization` and cookies): MX's APIs do not redirect, so no
/// redirect is followed.
fn no_redirects(builder: reqwest::ClientBuilder) -> reqwest::Result<reqwest::Client> {
    builder.redirect(reqwest::redirect::Policy::none()).build()
}

/// The HTTP client of a generated `Client::new`: the default timeouts, no
/// redirects. (`new_with_client` uses the client it is given as it is:
/// prefer the API's `Client::builder`.)
pub fn default_http_client() -> reqwest::Client {
    no_redirects(
        reqwest::Client::builder()
            .timeout(DEFAULT_TIMEOUT)
            .connect_timeout(DEFAULT_CONNECT_TIMEOUT),
    )
    .expect("the TLS backend (rustls) initializes")
}

/// The `pagination` object of a list answer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pagination {
    pub current_page: Option<i64>,
    pub per_page: Option<i64>,
    pub total_entries: Option<i64>,
    pub total_pages: Option<i64>,
}

/// One page of a list answer.
#[derive(Debug, Clone, PartialEq)]
pub struct Page<T> {
    pub items: Vec<T>,
    /// `None` when the answer had no `pagination` (older Atrium answers).
    pub pagination: Option<Pagination>,
}

/// The stream of every item of a list operation.
pub type PageStream<'a, T> =
    Pin<Box<dyn futures_core::Stream<Item = Result<T, Error>> + Send + 'a>>;

struct PagerState<B, F, T> {
    builder: B,
    fetch: F,
    next_page: Option<i64>,
    last_seen: Option<i64>,
    /// The first item of the last page: a page that starts with it again
    /// is the same page.
    last_first: Option<T>,
    /// Items fetched so far, against `total_entries`.
    fetched: i64,
    buffer: VecDeque<T>,
}

/// Streams the items of every page: `fetch(builder, n)` fetches page `n`
/// (from 1). Stops after the last page (`current_page >= total_pages`, or
/// `total_entries` items), when a page comes back empty or short, when the
/// server answers a page it already answered (a `current_page` not past the
/// last one, or the same first item: a server that ignores `page` cannot make
/// it loop forever), and after the first page when the answer has no
/// `pagination`.
pub fn paginate<'a, B, T, F, Fut>(builder: B, fetch: F) -> PageStream<'a, T>
where
    B: Clone + Send + 'a,
    T: Clone + PartialEq + Send + 'a,
    F: Fn(B, i64) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Page<T>, Error>> + Send + 'a,
{
    let state = PagerState {
        builder,
        fetch,
        next_page: Some(1),
        last_seen: None,
        last_first: None,
        fetched: 0,
        buffer: VecDeque::new(),
    };
    Box::pin(futures_util::stream::unfold(state, |mut s| async move {
        loop {
            if let Some(item) = s.buffer.pop_front() {
                return Some((Ok(item), s));
            }
            let page = s.next_page.take()?;
            let fetched = match (s.fetch)(s.builder.clone(), page).await {
                Ok(p) => p,
                Err(e) => return Some((Err(e), s)),
            };
            let Some(p) = fetched.pagination else {
                // No pagination object: a single page.
                s.buffer.extend(fetched.items);
                continue;
            };
            let current = p.current_page.unwrap_or(page);
            let repeated = s.last_seen.is_some_and(|last| current <= last)
                || (s.last_first.is_some() && s.last_first.as_ref() == fetched.items.first());
            if repeated {
                // The server repeated a page: stop rather than loop.
                return None;
            }
            s.last_seen = Some(current);
            s.last_first = fetched.items.first().cloned();
            s.fetched = s.fetched.saturating_add(fetched.items.len() as i64);
            let more = match (p.total_pages, p.total_entries) {
                (Some(total), _) => current < total,
                (None, Some(total)) => s.fetched < total,
                (None, None) => p
                    .per_page
                    .is_some_and(|per| fetched.items.len() as i64 >= per),
            };
            if more && !fetched.items.is_empty() {
                s.next_page = current.checked_add(1);
            }
            s.buffer.extend(fetched.items);
        }
    }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::SystemTime;

    fn headers(value: &str) -> reqwest::header::HeaderMap {
        let mut h = reqwest::header::HeaderMap::new();
        h.insert(
            reqwest::header::RETRY_AFTER,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn retry_after_is_read_as_seconds_or_as_a_date() {
        assert_eq!(retry_after(&headers(" 7 ")), Some(Duration::from_secs(7)));
        let later = httpdate::fmt_http_date(SystemTime::now() + Duration::from_secs(120));
        let wait = retry_after(&headers(&later)).unwrap();
        assert!(
            wait > Duration::from_secs(115) && wait <= Duration::from_secs(120),
            "{wait:?}"
        );
        let past = httpdate::fmt_http_date(SystemTime::now() - Duration::from_secs(60));
        assert_eq!(retry_after(&headers(&past)), Some(Duration::ZERO));
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&reqwest::header::HeaderMap::new()), None);
    }

    #[test]
    fn json_media_types_are_recognised_in_any_case() {
        for m in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/vnd.mx.atrium.v1+json",
            " application/vnd.mx.nexus.v1+JSON ",
        ] {
            assert!(is_json(m), "{m}");
        }
        for m in [
            "",
            "text/html",
            "application/vnd.mx.atrium.v1+pdf",
            "+json",
            "json",
        ] {
            assert!(!is_json(m), "{m}");
        }
    }

    #[test]
    fn only_idempotent_methods_are_idempotent() {
        use reqwest::Method;
        for m in [Method::GET, Method::HEAD, Method::PUT, Method::DELETE] {
            assert!(is_idempotent(&m), "{m}");
        }
        for m in [Method::POST, Method::PATCH] {
            assert!(!is_idempotent(&m), "{m}");
        }
    }
}
