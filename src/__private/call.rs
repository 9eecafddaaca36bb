//! Sending a generated request and taking its answer: each generated
//! `send()` prepares its request (`request()`, plain code: parameters,
//! URL, body, credentials) and returns [`call`], the one generic function
//! that sends it, takes a status the operation documents, and decodes the
//! answer by its type ([`Answer`]). Compiled where a program awaits it, for
//! the answer types it uses.

use std::future::Future;

use progenitor_client::{ByteStream, ResponseValue};
use serde::de::DeserializeOwned;

use super::decode::{json_response, Fields};
use super::hooks::Hooks;
use super::send::{send, Failed};
use super::wire::Operation;
use crate::error::Error;

/// A request with its credentials and headers, ready to send by the client
/// that built it.
#[derive(Debug)]
pub struct Prepared<'a> {
    hooks: &'a Hooks,
    http: &'a reqwest::Client,
    request: reqwest::Request,
}

impl<'a> Prepared<'a> {
    /// `request`, to be sent with `http` under `hooks`.
    pub fn new(hooks: &'a Hooks, http: &'a reqwest::Client, request: reqwest::Request) -> Self {
        Prepared {
            hooks,
            http,
            request,
        }
    }
}

/// How an operation's documented answer is taken: a generated type from
/// its JSON body, nothing (`()`), or the body as a stream ([`ByteStream`]).
pub trait Answer: Sized {
    /// The answer of `response`, whose status the operation documents.
    fn take(
        response: reqwest::Response,
    ) -> impl Future<Output = Result<ResponseValue<Self>, progenitor_client::Error<()>>> + Send;
}

impl<T: DeserializeOwned + Fields + Send> Answer for T {
    fn take(
        response: reqwest::Response,
    ) -> impl Future<Output = Result<ResponseValue<Self>, progenitor_client::Error<()>>> + Send
    {
        json_response(response)
    }
}

impl Answer for () {
    async fn take(
        response: reqwest::Response,
    ) -> Result<ResponseValue<Self>, progenitor_client::Error<()>> {
        Ok(ResponseValue::empty(response))
    }
}

impl Answer for ByteStream {
    async fn take(
        response: reqwest::Response,
    ) -> Result<ResponseValue<Self>, progenitor_client::Error<()>> {
        Ok(ResponseValue::stream(response))
    }
}

/// Sends a generated request of `op` (or returns why it was not prepared)
/// and takes its answer when its status is one of `taken` (the documented
/// statuses of its typed answer; another success is `UnexpectedSuccess`):
/// the crate's typed error for every failure.
pub fn call<'a, T: Answer + 'a>(
    prepared: Result<Prepared<'a>, Failed>,
    op: &'static Operation,
    taken: &'static [u16],
) -> impl Future<Output = Result<ResponseValue<T>, Error>> + 'a {
    let body_limit = prepared.as_ref().map_or(0, |p| p.hooks.body_limit());
    send(answer(prepared, op, taken), op, body_limit)
}

async fn answer<T: Answer>(
    prepared: Result<Prepared<'_>, Failed>,
    op: &'static Operation,
    taken: &'static [u16],
) -> Result<ResponseValue<T>, Failed> {
    let Prepared {
        hooks,
        http,
        request,
    } = prepared?;
    let response = hooks.exec(http, request, op).await?;
    if taken.contains(&response.status().as_u16()) {
        Ok(T::take(response).await?)
    } else {
        Err(progenitor_client::Error::UnexpectedResponse(response).into())
    }
}
