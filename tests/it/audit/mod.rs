//! The decode audit: nothing MX sends is lost in silence or refused.
//!
//! - For every 2xx JSON answer of every vendored spec (with its overlay), an
//!   instance built from the spec's own examples (a value of the declared
//!   type where there is none) decodes into the operation's generated type,
//!   through the same decoding the client uses.
//! - The answers MX's pages show (`tests/fixtures/mx-pages/`, each with its
//!   page in `INDEX.md`) decode and keep their records: re-serialized, they
//!   still hold every record's `guid`.
//!
//! `answers.rs` is generated (`cargo xtask generate`): one decoder per
//! operation, the operation's answer type as the pipeline emitted it.

#![allow(dead_code)]

#[rustfmt::skip]
mod answers;
mod examples;
mod pages;

use serde::de::DeserializeOwned;
use serde::Serialize;

/// Decodes an answer body as one operation's generated type, and gives it
/// back as JSON (what the decoded value holds).
pub type Decode = fn(&[u8]) -> Result<serde_json::Value, serde_json::Error>;

/// The client's decoding of a JSON answer (`rt::decode`: the generated
/// type, and the check that an object with none of its fields is refused).
fn decode<T: DeserializeOwned + Serialize + mx_client::__private::Fields>(
    body: &[u8],
) -> Result<serde_json::Value, serde_json::Error> {
    let value: T = mx_client::__private::decode(body)?;
    serde_json::to_value(&value)
}

/// The vendored APIs this build has: (name in `MX_APIS`, the table).
#[allow(clippy::vec_init_then_push)]
fn apis() -> Vec<(&'static str, &'static [(&'static str, Decode)])> {
    let mut out: Vec<(&'static str, &'static [(&'static str, Decode)])> = Vec::new();
    #[cfg(feature = "nexus")]
    out.push(("nexus", answers::NEXUS));
    #[cfg(feature = "atrium")]
    out.push(("atrium", answers::ATRIUM));
    #[cfg(feature = "platform-v20111101")]
    out.push(("platform_v20111101", answers::PLATFORM_V20111101));
    #[cfg(feature = "platform-v20250224")]
    out.push(("platform_v20250224", answers::PLATFORM_V20250224));
    out
}

/// The decoder of `operation` in the API `api`.
fn decoder(api: &str, operation: &str) -> Decode {
    let (_, table) = apis()
        .into_iter()
        .find(|(name, _)| *name == api)
        .unwrap_or_else(|| panic!("{api} is not built"));
    table
        .iter()
        .find(|(id, _)| *id == operation)
        .map(|(_, d)| *d)
        .unwrap_or_else(|| panic!("{api} has no JSON answer for {operation}"))
}
