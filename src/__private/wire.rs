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

/// How a security scheme travels on the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind {
    /// An API key in a header (`type: apiKey, in: header`), e.g. Atrium's
    /// `MX-API-Key`; the name is lower case.
    Header(HeaderName),
    /// HTTP Basic in `Authorization` (`type: http, scheme: basic`): e.g. the
    /// Platform API's client id as user and API key as password.
    Basic,
    /// A bearer token in `Authorization` (`type: http, scheme: bearer`).
    Bearer,
}

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

/// Is `media` JSON on the wire (`application/json`, or a `+json` type)?
/// The pipeline uses the same rule for [`Operation::response_json`].
pub fn is_json(media: &str) -> bool {
    let essence = media.split(';').next().unwrap_or("").trim().as_bytes();
    let starts = |p: &[u8]| essence.len() >= p.len() && essence[..p.len()].eq_ignore_ascii_case(p);
    let ends = |p: &[u8]| {
        essence.len() >= p.len() && essence[essence.len() - p.len()..].eq_ignore_ascii_case(p)
    };
    essence.eq_ignore_ascii_case(b"application/json") || (starts(b"application/") && ends(b"+json"))
}

#[cfg(test)]
mod tests {
    use super::is_json;

    #[test]
    fn json_media_types_are_recognised_in_any_case() {
        for m in [
            "application/json",
            "Application/JSON; charset=utf-8",
            "application/vnd.mx.atrium.v1+json",
            " application/vnd.mx.nexus.v1+JSON ",
        ] {
            assert!(is_json(m), "{m}");
        }
        for m in [
            "",
            "text/html",
            "application/vnd.mx.atrium.v1+pdf",
            "+json",
            "json",
        ] {
            assert!(!is_json(m), "{m}");
        }
    }
}
