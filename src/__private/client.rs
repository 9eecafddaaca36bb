//! What each generated `Client` provides the builder.

use super::hooks::Hooks;
use super::wire::ApiWire;

/// A generated `Client`: its wire table, its security schemes and its
/// constructor. Emitted by the pipeline for each API.
pub trait ApiClient: Sized {
    /// The API's generated `SecurityScheme` enum.
    type Scheme: Copy + Into<usize>;
    /// The API's wire table.
    fn wire() -> &'static ApiWire;
    /// The generated constructor.
    fn from_parts(base_url: &str, http: reqwest::Client, hooks: Hooks) -> Self;
}
