//! The wire table: what an API's spec documents that progenitor does not
//! model, emitted by the pipeline as typed constants (one `static WIRE` per
//! API) and read here directly: methods, header names and values, a
//! precomputed "answers JSON" flag, the security schemes by index.

use reqwest::header::{HeaderName, HeaderValue};
use reqwest::Method;

/// One server the spec lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Server {
    pub url: &'static str,
    pub description: Option<&'static str>,
}

/// How a security scheme travels on the wire (`mx_specs::SchemeKind`, the
/// kinds the generator reads from the spec), with the header's name ready
/// to send (lower case).
pub type SchemeKind = mx_specs::SchemeKind<HeaderName>;

/// One security scheme of the spec's `components/securitySchemes`. Its
/// index in [`ApiWire::schemes`] is the value of the API's generated
/// `SecurityScheme` enum.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scheme {
    /// Its name in the spec (for messages only).
    pub name: &'static str,
    pub kind: SchemeKind,
}

/// The wire facts of one operation, as the spec documents them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`.
    pub id: &'static str,
    /// The generated method's name.
    pub name: &'static str,
    pub method: Method,
    /// The path template, e.g. `/users/{user_guid}/members`.
    pub path: &'static str,
    /// The operation's tags in the spec.
    pub tags: &'static [&'static str],
    /// The documented request media type, sent as `Content-Type` with a body.
    pub content_type: Option<HeaderValue>,
    /// The documented media type of the success answer.
    pub response_media: Option<HeaderValue>,
    /// Sent as `Accept`: the answer's media type or, for an operation that
    /// documents no answer body (a `204` delete), the API's JSON media type,
    /// since MX refuses (406) a request that names no API version.
    pub accept: Option<HeaderValue>,
    /// Whether the documented answer is JSON (`application/json`, `+json`).
    pub response_json: bool,
    /// Indexes in [`ApiWire::schemes`] of the schemes this operation sends.
    pub security: &'static [usize],
    /// Documented success statuses (`"200"`, `"2XX"`).
    pub success: &'static [&'static str],
    /// Documented error statuses and their descriptions.
    pub errors: &'static [(&'static str, &'static str)],
}

/// Everything the spec of one API says about the wire.
#[derive(Debug)]
pub struct ApiWire {
    pub title: &'static str,
    pub servers: &'static [Server],
    /// In the order of the API's `SecurityScheme` enum.
    pub schemes: &'static [Scheme],
    /// Headers every request sends whatever its operation: MX's
    /// `Accept-Version` on the Platform API.
    pub headers: &'static [(HeaderName, HeaderValue)],
    /// Sorted by name.
    pub operations: &'static [Operation],
}

impl ApiWire {
    /// The operation whose generated method is `name` (e.g. `create_member`).
    pub fn operation(&self, name: &str) -> Option<&'static Operation> {
        let operations = self.operations;
        operations
            .binary_search_by(|o| o.name.cmp(name))
            .ok()
            .map(|i| &operations[i])
    }

    /// The base URL of server `index` of the spec, without a trailing `/`.
    pub fn server_url(&self, index: usize) -> Option<&'static str> {
        self.servers.get(index).map(|s| s.url.trim_end_matches('/'))
    }
}

/// Is `media` JSON on the wire? The one rule (`mx_specs::is_json`) the
/// pipeline also uses for [`Operation::response_json`].
pub use mx_specs::is_json;
