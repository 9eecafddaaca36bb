//! What a generated request returns, and how its failure becomes an
//! [`Error`]: each generated `send_raw()` returns [`Failed`] (progenitor's
//! error, or the typed [`Failure`] of a hook, both through `?`), and the
//! generated `send()` hands it to [`send`] with the operation's wire-table
//! entry, which knows what the error means (an unknown outcome after a
//! create, a body over the client's bound).

use std::future::Future;
use std::pin::Pin;
use std::task::{Context, Poll};

use super::failure::{convert, Failure};
use super::wire::Operation;
use crate::error::Error;

/// Why a generated request failed, before it is read as an [`Error`].
#[derive(Debug)]
pub enum Failed {
    /// What progenitor's code reported (a transport error, a body that does
    /// not decode, an undocumented status, …).
    Generated(progenitor_client::Error<()>),
    /// What the runtime's hooks refused.
    Hook(Failure),
}

impl From<progenitor_client::Error<()>> for Failed {
    fn from(e: progenitor_client::Error<()>) -> Self {
        Failed::Generated(e)
    }
}

/// `request.build()?` and `result?` in the generated code: a transport
/// error, as progenitor reads it.
impl From<reqwest::Error> for Failed {
    fn from(e: reqwest::Error) -> Self {
        Failed::Generated(e.into())
    }
}

/// A header parameter that is no valid header value, as progenitor reads
/// it.
impl From<reqwest::header::InvalidHeaderValue> for Failed {
    fn from(e: reqwest::header::InvalidHeaderValue) -> Self {
        Failed::Generated(e.into())
    }
}

impl From<Failure> for Failed {
    fn from(f: Failure) -> Self {
        Failed::Hook(f)
    }
}

/// The answer of a generated request (its `send_raw()`), or the typed error
/// of its failure: `op` is the operation sent, `body_limit` the client's
/// bound on a success body.
///
/// Not an `async fn`: one holds its argument beside the future it awaits,
/// which doubles a request's state (several KiB, copied on every move). The
/// returned future is the request itself, wrapped.
pub fn send<T, F>(
    request: F,
    op: &'static Operation,
    body_limit: usize,
) -> impl Future<Output = Result<T, Error>>
where
    F: Future<Output = Result<T, Failed>>,
{
    Typed {
        request,
        op,
        body_limit,
    }
}

pin_project_lite::pin_project! {
    /// A generated request whose failure becomes the crate's `Error` as it
    /// completes.
    struct Typed<F> {
        #[pin]
        request: F,
        op: &'static Operation,
        body_limit: usize,
    }
}

impl<T, F> Future for Typed<F>
where
    F: Future<Output = Result<T, Failed>>,
{
    type Output = Result<T, Error>;

    fn poll(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Self::Output> {
        let this = self.project();
        let (op, body_limit) = (*this.op, *this.body_limit);
        this.request.poll(cx).map_err(|failed| match failed {
            Failed::Hook(f) => f.into(),
            Failed::Generated(e) => convert(e, op, body_limit),
        })
    }
}
