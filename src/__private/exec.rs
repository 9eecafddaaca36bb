//! Sending one request as the spec and the client's settings ask: error
//! bodies read and attached, success bodies bounded, an expired credential
//! renewed once, idempotent requests retried when the client says so, each
//! request a `tracing` span.

use std::time::Instant;

use tracing::Instrument;

use super::body::{bounded, buffered_error, redirected, ErrorBody};
use super::hooks::{Credential, Hooks};
use super::send::note_request;
use super::wire::Operation;
use crate::retry::{is_idempotent, retry_after};
use crate::rules::ErrorClass;

impl Hooks {
    /// Sends the request: a non-2xx answer's body is read here (bounded)
    /// and attached to the response as an [`ErrorBody`]; a success body is
    /// bounded; an expired credential is renewed once through its provider;
    /// idempotent requests are retried when the client says so. Each request
    /// is a `tracing` span with the operation, method, status and duration
    /// (no header values), timed only when a subscriber listens.
    pub async fn exec(
        &self,
        client: &reqwest::Client,
        request: reqwest::Request,
        operation_name: &'static str,
    ) -> reqwest::Result<reqwest::Response> {
        let op = self.wire.operation(operation_name);
        note_request(op, self.max_body);
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
        if span.is_disabled() {
            return self.exec_inner(client, request, op, operation_id).await;
        }
        let started = Instant::now();
        let result = self
            .exec_inner(client, request, op, operation_id)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        let status = match &result {
            Ok(r) => r.status().as_u16(),
            Err(e) => e.status().map_or(0, |s| s.as_u16()),
        };
        span.record("status", status);
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
        // A copy to send again only when it may be: an idempotent request of
        // a client that retries or renews credentials.
        let may_resend = is_idempotent(request.method())
            && (self.retry.max_retries > 0 || self.providers.iter().any(Option::is_some));
        let mut attempt = 0u32;
        let mut renewed = false;
        loop {
            let again = if may_resend {
                request.try_clone()
            } else {
                None
            };
            let span = tracing::Span::current();
            if !span.is_disabled() {
                span.record("attempts", attempt + 1);
            }
            let method = request.method().clone();
            let sent_to = request.url().clone();
            let response = match client.execute(request).await {
                Ok(r) => r,
                Err(e) => {
                    let transient = e.is_timeout() || e.is_connect();
                    match (again, transient && attempt < self.retry.max_retries) {
                        (Some(next), true) => {
                            tokio::time::sleep(self.retry.backoff(attempt, None)).await;
                            attempt += 1;
                            request = next;
                            continue;
                        }
                        _ => return Err(e),
                    }
                }
            };
            // Origins are compared only when the URL changed (never, unless
            // the HTTP client followed a redirect).
            if response.url() != &sent_to && response.url().origin() != sent_to.origin() {
                // Too late to keep the headers from the other host, but its
                // answer is never taken for MX's.
                return Ok(redirected(response));
            }
            if response.status().is_success() {
                return Ok(bounded(response, self.max_body));
            }
            let response = buffered_error(
                response,
                self.max_error_body,
                self.rules,
                operation_id,
                method,
            )
            .await?;
            let class = response
                .extensions()
                .get::<ErrorBody>()
                .and_then(|b| b.class);
            if class == Some(ErrorClass::CredentialExpired) {
                if renewed {
                    return Ok(response);
                }
                renewed = true;
                match (op, again) {
                    (Some(op), Some(mut next)) if self.renew(op).await => {
                        // Idempotent: send it again with the new credential.
                        if self.set_security(next.headers_mut(), op).is_ok() {
                            request = next;
                            continue;
                        }
                        return Ok(response);
                    }
                    (Some(op), None) => {
                        // Not to be resent (a create): renewed for the next
                        // request, never resent.
                        self.renew(op).await;
                        return Ok(response);
                    }
                    _ => return Ok(response),
                }
            }
            let status = response.status().as_u16();
            let transient = matches!(status, 429 | 502..=504);
            match (again, transient && attempt < self.retry.max_retries) {
                (Some(next), true) => {
                    let wait = self.retry.backoff(attempt, retry_after(response.headers()));
                    tokio::time::sleep(wait).await;
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
        for &scheme in op.security {
            let Some(Some(provider)) = self.providers.get(scheme) else {
                continue;
            };
            let name = self.wire.schemes.get(scheme).map_or("", |s| s.name);
            match provider().await {
                Ok(value) => {
                    let prepared: Credential = self.prepare(scheme, &value);
                    if let Some(slot) = self
                        .credentials
                        .write()
                        .unwrap_or_else(|p| p.into_inner())
                        .get_mut(scheme)
                    {
                        *slot = Some(prepared);
                    }
                    renewed = true;
                }
                Err(e) => {
                    tracing::warn!(scheme = name, error = %e, "renewing the credential failed")
                }
            }
        }
        renewed
    }
}
