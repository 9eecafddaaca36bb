//! MX's OpenAPI specs, and the facts mx-client's generator, runtime and
//! simulator share about them, each defined once:
//!
//! - [`APIS`]: every API, its files, and what every request of it carries
//!   beyond its spec;
//! - [`is_json`]: which media types are JSON on the wire, [`essence`] and
//!   [`accept_for`]: the `Accept` that asks for a documented answer;
//! - [`SchemeKind`]: how a security scheme travels;
//! - with the `parse` feature, [`merge`] (an overlay over a spec) and
//!   [`scheme_kind`] (the security-scheme walk);
//! - with the `embed` feature, [`SpecApi::spec_text`] and
//!   [`SpecApi::overlay_text`].
//!
//! The YAML lives beside this crate's sources ([`dir`]) and is packaged
//! with it.
#![warn(missing_docs)]

use std::path::{Path, PathBuf};

/// One of MX's APIs as mx-client generates it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpecApi {
    /// The API's name: the generated file's stem; its Cargo feature is this
    /// name with `-` for `_` (`platform_v20250224` → `platform-v20250224`).
    pub name: &'static str,
    /// Its module in `mx-client` (`nexus`, `platform::v20250224`).
    pub module: &'static str,
    /// The spec, relative to [`dir`]: vendored, or written by hand.
    pub spec: &'static str,
    /// MX's corrections laid over the spec, each with its evidence, relative
    /// to [`dir`].
    pub overlay: Option<&'static str>,
    /// Where `cargo xtask spec-sync` reads the spec from, relative to
    /// [`dir`] (`None`: the spec is written by hand).
    pub upstream: Option<&'static str>,
    /// The `Accept` sent where the spec documents plain `application/json`
    /// (or no answer body).
    pub json_accept: Option<&'static str>,
    /// The `Accept-Version` every request sends (MX's Platform API).
    pub accept_version: Option<&'static str>,
}

/// MX's version header of the Platform API: "After August 12, 2026, all
/// Platform API calls must pass a new `Accept-Version` header" (MX's
/// migration guide, docs.mx.com `api-reference/platform-api/overview/migration`).
pub const ACCEPT_VERSION: &str = "Accept-Version";

/// MX's Nexus API: its spec as MX publishes it on its doc pages, with the
/// overlay of what the pages say only in prose.
pub const NEXUS: SpecApi = SpecApi {
    name: "nexus",
    module: "nexus",
    spec: "nexus/v1.yaml",
    overlay: Some("nexus/overlay.yaml"),
    upstream: Some("nexus/upstream.txt"),
    json_accept: None,
    accept_version: None,
};

/// MX's Atrium API: a spec written by hand from MX's Atrium pages (MX
/// publishes none).
pub const ATRIUM: SpecApi = SpecApi {
    name: "atrium",
    module: "atrium",
    spec: "atrium/v1.yaml",
    overlay: None,
    upstream: None,
    json_accept: None,
    accept_version: None,
};

/// MX's Platform API, version v20111101 (the original).
///
/// Its `Accept` is the vendor type of MX's "Formats and requirements" page
/// for this version (api-reference/platform-api/overview/formats-requirements:
/// "each request also requires an Accept header: Accept:
/// application/vnd.mx.api.v1+json"); the spec says `application/json` on 21
/// answers, and MX's v20111101 SDKs (mx-platform-python 1.12.0,
/// mx-platform-node 2.x) send the vendor type.
pub const PLATFORM_V20111101: SpecApi = SpecApi {
    name: "platform_v20111101",
    module: "platform::v20111101",
    spec: "platform/v20111101.yml",
    overlay: Some("platform/v20111101.overlay.yaml"),
    upstream: Some("platform/v20111101.upstream.txt"),
    json_accept: Some("application/vnd.mx.api.v1+json"),
    accept_version: Some("v20111101"),
};

/// MX's Platform API, version v20250224 (MX's current version):
/// `Accept: application/json` with `Accept-Version: v20250224`, as its
/// spec's own description and its `basicAuth` scheme say (and every answer
/// it documents is `application/json`).
pub const PLATFORM_V20250224: SpecApi = SpecApi {
    name: "platform_v20250224",
    module: "platform::v20250224",
    spec: "platform/v20250224.yml",
    overlay: Some("platform/v20250224.overlay.yaml"),
    upstream: Some("platform/v20250224.upstream.txt"),
    json_accept: None,
    accept_version: Some("v20250224"),
};

/// The APIs of mx-client.
pub const APIS: &[SpecApi] = &[NEXUS, ATRIUM, PLATFORM_V20111101, PLATFORM_V20250224];

/// The folder the specs are in: this crate's own, wherever it was built
/// from (the workspace, or the unpacked package of a registry).
pub fn dir() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

impl SpecApi {
    /// The API named `name` (`nexus`, `platform_v20250224`), or by its
    /// Cargo feature (`platform-v20250224`).
    pub fn named(name: &str) -> Option<&'static SpecApi> {
        APIS.iter()
            .find(|a| a.name == name || a.name.replace('_', "-") == name)
    }

    /// Its Cargo feature (`platform-v20250224`).
    pub fn feature(&self) -> String {
        self.name.replace('_', "-")
    }

    /// Its spec's path.
    pub fn spec_path(&self) -> PathBuf {
        dir().join(self.spec)
    }

    /// Its overlay's path.
    pub fn overlay_path(&self) -> Option<PathBuf> {
        self.overlay.map(|o| dir().join(o))
    }

    /// Its upstream file's path.
    pub fn upstream_path(&self) -> Option<PathBuf> {
        self.upstream.map(|u| dir().join(u))
    }
}

#[cfg(feature = "embed")]
mod embed;

/// A media type without its parameters (`; charset=…`) and surrounding
/// space; compare it without regard to case.
pub fn essence(media: &str) -> &str {
    media.split(';').next().unwrap_or("").trim()
}

/// The `Accept` that asks for an answer documented as `media`: an API's
/// `json_accept` ([`SpecApi::json_accept`]) in place of plain
/// `application/json`, else `media` itself.
pub fn accept_for<'a>(media: &'a str, json_accept: Option<&'a str>) -> &'a str {
    match json_accept {
        Some(vendor) if essence(media).eq_ignore_ascii_case("application/json") => vendor,
        _ => media,
    }
}

/// Is `media` JSON on the wire: `application/json`, or an
/// `application/…+json` vendor type (`application/vnd.mx.atrium.v1+json`)?
/// Parameters after `;` are ignored, and case too.
pub fn is_json(media: &str) -> bool {
    let essence = essence(media).as_bytes();
    let starts = |p: &[u8]| essence.len() >= p.len() && essence[..p.len()].eq_ignore_ascii_case(p);
    let ends = |p: &[u8]| {
        essence.len() >= p.len() && essence[essence.len() - p.len()..].eq_ignore_ascii_case(p)
    };
    essence.eq_ignore_ascii_case(b"application/json") || (starts(b"application/") && ends(b"+json"))
}

/// How a security scheme travels: the kinds of MX's specs. `H` is the
/// header name's type (a `String` when read from a spec, `http`'s
/// `HeaderName` in mx-client's runtime).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SchemeKind<H = String> {
    /// An API key in the header of this name (`type: apiKey, in: header`),
    /// e.g. Atrium's `MX-API-Key`.
    Header(H),
    /// HTTP Basic in `Authorization` (`type: http, scheme: basic`): the
    /// Platform API's client id as user and API key as password.
    Basic,
    /// A bearer token in `Authorization` (`type: http, scheme: bearer`).
    Bearer,
}

#[cfg(feature = "parse")]
mod parse;
#[cfg(feature = "parse")]
pub use parse::{merge, scheme_kind};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_json_is_asked_for_with_the_apis_json_accept() {
        let vendor = "application/vnd.mx.api.v1+json";
        assert_eq!(accept_for("application/json", Some(vendor)), vendor);
        assert_eq!(
            accept_for("Application/JSON; charset=utf-8", Some(vendor)),
            vendor
        );
        assert_eq!(accept_for("application/json", None), "application/json");
        let pdf = "application/vnd.mx.atrium.v1+pdf";
        assert_eq!(accept_for(pdf, Some(vendor)), pdf);
        assert_eq!(essence(" text/html ; q=1"), "text/html");
    }

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

    #[test]
    fn every_api_has_its_files() {
        for api in APIS {
            assert!(api.spec_path().is_file(), "{}", api.spec);
            for f in api.overlay_path().into_iter().chain(api.upstream_path()) {
                assert!(f.is_file(), "{}", f.display());
            }
            assert_eq!(SpecApi::named(&api.feature()), Some(api));
        }
    }
}
