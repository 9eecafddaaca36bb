//! What the generated code calls; not a public API (serde's `__private`
//! convention): the hooks progenitor runs around each request, the typed
//! side channel of `send`, the wire table's types, the pagination glue.
//!
//! Each file has one job: `wire` (the table's types), `rules` (an API's
//! error codes), `hooks` (credentials, `pre`, `post`), `exec` (sending,
//! retries, renewal), `body` (bounded and buffered answers), `failure`
//! (typed failures into `Error`), `send` (the per-request channel).

// `pub mod de;` (the serde helper `null_as_default` for generated code) is
// added by the lead at merge, from its own branch.
mod body;
mod exec;
mod failure;
mod hooks;
pub(crate) mod rules;
mod send;
#[cfg(test)]
mod tests;
mod wire;

pub use crate::builder::default_http_client;
pub use crate::error::Error;
pub use crate::pagination::{paginate, Page, PageStream, Pagination};
pub use body::ErrorBody;
pub use failure::Failure;
pub use hooks::{CredentialProvider, Hooks, DEFAULT_MAX_BODY, DEFAULT_MAX_ERROR_BODY};
pub use rules::{ApiRules, ErrorClass};
pub use send::{send, signal};
pub use wire::{is_json, ApiClient, ApiWire, Operation, Scheme, SchemeKind, Server};
