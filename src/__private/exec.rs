//! Sending one request as the spec and the client's settings ask: error
//! bodies read and attached, success bodies bounded, an expired credential
//! renewed once, idempotent requests retried when the client says so, each
//! request a `tracing` span.

use std::future::Future;
use std::time::Instant;

use futures_util::future::Either;
use tracing::{Instrument, Span};

use super::body::{buffered_error, ErrorBody};
use super::failure::Failure;
use super::hooks::{Credential, Hooks};
use super::send::Failed;
use super::wire::Operation;
use crate::retry::{is_idempotent, retry_after};
use crate::rules::ErrorClass;

impl Hooks {
    /// Sends the request and takes its answer: a success as the spec
    /// documents it (see [`Hooks::accept`]) or refused; a non-2xx answer
    /// with its body read (bounded) and attached as an [`ErrorBody`]; an
    /// answer from another origin refused. An expired credential is renewed
    /// once through its provider; idempotent requests are retried when the
    /// client says so. Each request is a `tracing` span with the operation,
    /// method, status and duration (no header values), timed only when a
    /// subscriber listens.
    ///
    /// The request is handed to the HTTP client here, and the returned
    /// future waits for the answer: it lives inside every generated
    /// request's future, so it holds only what the answer needs (no `async
    /// fn` keeping its arguments beside what it awaits).
    pub fn exec<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        op: &'static Operation,
    ) -> impl Future<Output = Result<reqwest::Response, Failed>> + Send + 'a {
        let span = tracing::info_span!(
            "mx.request",
            api = self.wire.title,
            operation = op.id,
            method = %request.method(),
            path = request.url().path(),
            status = tracing::field::Empty,
            attempts = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        if span.is_disabled() {
            return Either::Left(self.first_attempt(client, request, op, &span));
        }
        let answer = span.in_scope(|| self.first_attempt(client, request, op, &span));
        Either::Right(Box::pin(traced(answer, span)))
    }

    /// Hands the request to the HTTP client; the future settles the answer.
    /// The rare paths (an error answer, a retry, a renewal, a redirect) are
    /// in [`Hooks::settle`], boxed when taken.
    fn first_attempt<'a>(
        &'a self,
        client: &'a reqwest::Client,
        request: reqwest::Request,
        op: &'static Operation,
        span: &tracing::Span,
    ) -> impl Future<Output = Result<reqwest::Response, Failed>> + Send + 'a {
        // A copy to send again only when it may be: an idempotent request of
        // a client that retries or renews credentials.
        let may_resend = is_idempotent(request.method())
            && (self.retry.max_retries > 0 || self.providers.iter().any(Option::is_some));
        let first = Sent {
            method: request.method().clone(),
            to: request.url().clone(),
            again: None,
        };
        let (answer, first) = attempt(client, request, first, may_resend, 0, span);
        async move {
            match answer.await {
                // The URL changes only when the HTTP client followed a
                // redirect.
                Ok(response) if response.status().is_success() && response.url() == &first.to => {
                    Ok(self.accept(response, op)?)
                }
                result => Box::pin(self.settle(client, result, first, may_resend, op)).await,
            }
        }
    }

    /// The answer of a request that did not plainly succeed: a redirect to
    /// another origin is refused, an error answer is read, an expired
    /// credential is renewed (and an idempotent request sent again), a
    /// transient failure is retried when the client says so.
    async fn settle(
        &self,
        client: &reqwest::Client,
        mut result: reqwest::Result<reqwest::Response>,
        mut sent: Sent,
        may_resend: bool,
        op: &'static Operation,
    ) -> Result<reqwest::Response, Failed> {
        let mut attempts = 0u32;
        let mut renewed = false;
        loop {
            let response = match result {
                Ok(r) => r,
                Err(e) => {
                    let transient = e.is_timeout() || e.is_connect();
                    match (
                        sent.again.take(),
                        transient && attempts < self.retry.max_retries,
                    ) {
                        (Some(next), true) => {
                            tokio::time::sleep(self.retry.backoff(attempts, None)).await;
                            attempts += 1;
                            let (answer, next) =
                                attempt(client, next, sent, may_resend, attempts, &Span::current());
                            sent = next;
                            result = answer.await;
                            continue;
                        }
                        _ => return Err(e.into()),
                    }
                }
            };
            if response.url() != &sent.to && response.url().origin() != sent.to.origin() {
                // Too late to keep the headers from the other host, but its
                // answer is never taken for MX's.
                let to = response.url().origin().ascii_serialization();
                return Err(Failure::Redirected { to }.into());
            }
            if response.status().is_success() {
                return Ok(self.accept(response, op)?);
            }
            let response = buffered_error(
                response,
                self.max_error_body,
                self.rules,
                op.id,
                sent.method.clone(),
            )
            .await?;
            let class = response
                .extensions()
                .get::<ErrorBody>()
                .and_then(|b| b.class);
            let next = if class == Some(ErrorClass::CredentialExpired) {
                if renewed {
                    return Ok(response);
                }
                renewed = true;
                match sent.again.take() {
                    Some(mut next) if self.renew(op).await => {
                        // Idempotent: send it again with the new credential.
                        if self.set_security(next.headers_mut(), op).is_err() {
                            return Ok(response);
                        }
                        next
                    }
                    Some(_) => return Ok(response),
                    None => {
                        // Not to be resent (a create): renewed for the next
                        // request, never resent.
                        self.renew(op).await;
                        return Ok(response);
                    }
                }
            } else {
                let status = response.status().as_u16();
                let transient = matches!(status, 429 | 502..=504);
                match (
                    sent.again.take(),
                    transient && attempts < self.retry.max_retries,
                ) {
                    (Some(next), true) => {
                        let wait = self
                            .retry
                            .backoff(attempts, retry_after(response.headers()));
                        tokio::time::sleep(wait).await;
                        attempts += 1;
                        next
                    }
                    _ => return Ok(response),
                }
            };
            let (answer, next) =
                attempt(client, next, sent, may_resend, attempts, &Span::current());
            sent = next;
            result = answer.await;
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

/// `answer` inside `span`, with the status and the duration recorded and
/// the outcome logged (only when a subscriber listens).
async fn traced(
    answer: impl Future<Output = Result<reqwest::Response, Failed>>,
    span: Span,
) -> Result<reqwest::Response, Failed> {
    let started = Instant::now();
    let result = answer.instrument(span.clone()).await;
    span.record("duration_ms", started.elapsed().as_millis() as u64);
    if let Ok(r) = &result {
        span.record("status", r.status().as_u16());
    }
    span.in_scope(|| match &result {
        Ok(r) if r.status().is_success() => tracing::debug!("answered"),
        Ok(r) => tracing::info!(
            status = r.status().as_u16(),
            "answered with an error status"
        ),
        Err(Failed::Hook(f)) => tracing::info!(reason = %f, "answer refused"),
        Err(Failed::Generated(e)) => tracing::info!(error = %e, "transport error"),
    });
    result
}

/// What is kept of a request once it is handed to the HTTP client.
struct Sent {
    method: reqwest::Method,
    /// Where it went (an answer from elsewhere followed a redirect).
    to: reqwest::Url,
    /// A copy to send again, when it may be.
    again: Option<reqwest::Request>,
}

/// Hands `request` to the HTTP client as attempt `attempt` (counted from 0,
/// recorded on `span`), keeping a copy in `sent` when it may be sent again.
fn attempt(
    client: &reqwest::Client,
    request: reqwest::Request,
    mut sent: Sent,
    may_resend: bool,
    attempt: u32,
    span: &tracing::Span,
) -> (
    impl std::future::Future<Output = reqwest::Result<reqwest::Response>>,
    Sent,
) {
    sent.again = if may_resend {
        request.try_clone()
    } else {
        None
    };
    if !span.is_disabled() {
        span.record("attempts", attempt + 1);
    }
    (client.execute(request), sent)
}
