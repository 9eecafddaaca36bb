//! The typed side channel of one request: the generated `send()` runs the
//! request inside it, the hooks report a typed [`Failure`] there (handing
//! progenitor a bare `Error::Custom` only as the signal), and `send` turns
//! the outcome into an [`Error`].

use std::cell::RefCell;
use std::future::Future;

use super::failure::{convert, Channel, Failure};
use super::wire::Operation;
use crate::error::Error;

tokio::task_local! {
    static CHANNEL: RefCell<Channel>;
}

/// Runs a generated request (its `send_raw()`) inside a fresh channel and
/// returns its answer, or the typed error of its failure.
pub async fn send<T, F>(request: F) -> Result<T, Error>
where
    F: Future<Output = Result<T, progenitor_client::Error<()>>>,
{
    CHANNEL
        .scope(RefCell::new(Channel::default()), async move {
            request
                .await
                .map_err(|e| convert(e, CHANNEL.with(|c| c.take())))
        })
        .await
}

/// Reports `failure` to the request's channel and returns the signal the
/// generated code propagates. Outside a channel (a hand-built call), the
/// signal carries the failure's message.
pub fn signal<E>(failure: Failure) -> progenitor_client::Error<E> {
    let message = failure.to_string();
    let _ = CHANNEL.try_with(|c| c.borrow_mut().failure = Some(failure));
    progenitor_client::Error::Custom(message)
}

/// Notes the operation being sent and the bound on its body.
pub(crate) fn note_request(operation: Option<&'static Operation>, body_limit: usize) {
    let _ = CHANNEL.try_with(|c| {
        let mut c = c.borrow_mut();
        c.operation = operation;
        c.body_limit = body_limit;
    });
}
