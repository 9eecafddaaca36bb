//! What the generated code calls; not a public API (serde's `__private`
//! convention): the hooks each generated request calls before and after
//! it is sent, its typed failure, the wire table's types, the pagination
//! glue.
//!
//! Each file has one job: `wire` (the table's types), `client` (what a
//! generated client provides), `hooks` (credentials, `pre`, `post`), `exec`
//! (sending, retries, renewal), `body` (bounded and buffered answers),
//! `call` (sending a prepared request, taking its answer), `decode` (a
//! JSON answer into its generated type), `path` (a path
//! parameter percent-encoded into the URL), `failure` (typed
//! failures into `Error`), `send` (what a generated request returns, read
//! as an `Error`). An API's error codes are its module's `ApiRules`
//! (`src/rules.rs`).

mod body;
mod call;
mod client;
pub mod de;
mod decode;
mod exec;
mod failure;
mod hooks;
mod path;
mod send;
#[cfg(test)]
mod tests;
mod wire;

pub use crate::builder::ApiClient;
pub use crate::error::Error;
pub use crate::pagination::{paginate, Page, PageStream, Pages, Pagination};
pub use crate::rules::{ApiRules, ErrorClass};
pub use crate::{__de_object as de_object, __open_enum as open_enum, __string_enum as string_enum};
pub use body::ErrorBody;
pub use call::{call, Answer, Prepared};
pub use client::ClientParts;
pub use futures_core::Stream;

/// A request builder's parameter, converted: the message of a value that
/// does not convert names the parameter and the type it wanted.
pub fn param<T, V: TryInto<T>>(value: V, name: &str) -> Result<T, String> {
    value.try_into().map_err(|_| {
        format!(
            "conversion to `{}` for {name} failed",
            std::any::type_name::<T>()
        )
    })
}

/// The wire table of the generated client `C` (tests and benches read it).
pub fn wire_of<C: ClientParts>() -> &'static ApiWire {
    C::wire()
}
pub use decode::{decode, json_response, Fields};
pub(crate) use failure::error_chain;
pub use failure::Failure;
pub use hooks::{CredentialProvider, Hooks, DEFAULT_MAX_BODY, DEFAULT_MAX_ERROR_BODY};
pub use path::Segment;
pub use send::{send, Failed};
pub use wire::{is_json, ApiWire, Operation, Scheme, SchemeKind, Server};
