//! What each generated `Client` provides the builder.

use super::hooks::Hooks;
use super::wire::ApiWire;

/// What the builder needs of a generated client: its security schemes, its
/// wire table and its constructor. Emitted by the pipeline for each API;
/// not a public API (the public face is [`crate::ApiClient`]).
pub trait ClientParts: Sized {
    /// The API's generated `SecurityScheme` enum.
    type Scheme: Copy + Into<usize>;
    /// The API's wire table.
    fn wire() -> &'static ApiWire;
    /// The generated constructor.
    fn from_parts(base_url: &str, http: reqwest::Client, hooks: Hooks) -> Self;
    /// The client's hooks (benches drive the runtime with them).
    fn hooks(&self) -> &Hooks;
}
