//! The APIs the simulator serves: one entry per vendored spec (Nexus,
//! Atrium, and the Platform API's two versions under `/platform`, chosen by
//! `Accept-Version`, HTTP Basic auth).

use std::sync::{Arc, OnceLock};

use crate::spec::Spec;

/// How an API writes its errors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorStyle {
    /// `{"error": {"code": 4220, "message": "…"}}` (Nexus: a 4-digit code).
    Coded,
    /// `{"error": {"message": "…"}}` (Atrium).
    Plain,
}

/// Which of MX's hand-written rules apply to an API: the rule table is
/// keyed by this, not by the API's name, so that APIs over the same MX
/// objects share them (a Platform user is an Atrium user).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// Nexus's routes (`POST /members` for the session's user).
    Nexus,
    /// Atrium's routes (`/users/{user_guid}/members/…`), which the Platform
    /// API keeps.
    Atrium,
}

/// What the simulator knows about an API besides its spec.
#[derive(Debug, Clone, Copy)]
pub struct ApiDef {
    /// `nexus`, `atrium`: the name MX's rules refer to.
    pub name: &'static str,
    /// Where it is mounted: `/nexus`.
    pub mount: &'static str,
    /// The API's JSON media type, used for errors and for operations that
    /// document no answer body.
    pub json_media: &'static str,
    pub errors: ErrorStyle,
    /// Whether its credentials are a session of the demo user (Nexus): the
    /// session ends when that user is deleted.
    pub session_of_demo_user: bool,
    /// MX's rules that apply to it.
    pub dialect: Dialect,
    /// Whether a plain `application/json` answer of its spec is asked for
    /// with [`json_media`](Self::json_media) instead (the Platform API's
    /// v20111101: MX wants its vendor type, whatever the spec says).
    pub json_is_vendor: bool,
    /// The `Accept-Version` that selects it among the APIs of its mount
    /// (the Platform API's versions); `None`: the mount serves only it.
    pub version: Option<&'static str>,
}

/// Nexus: `MD-SESSION-TOKEN`, `application/vnd.mx.nexus.v1+json`.
pub const NEXUS: ApiDef = ApiDef {
    name: "nexus",
    mount: "/nexus",
    json_media: "application/vnd.mx.nexus.v1+json",
    errors: ErrorStyle::Coded,
    session_of_demo_user: true,
    dialect: Dialect::Nexus,
    json_is_vendor: false,
    version: None,
};

/// Atrium: `MX-API-Key` + `MX-Client-ID`, `application/vnd.mx.atrium.v1+json`.
pub const ATRIUM: ApiDef = ApiDef {
    name: "atrium",
    mount: "/atrium",
    json_media: "application/vnd.mx.atrium.v1+json",
    errors: ErrorStyle::Plain,
    session_of_demo_user: false,
    dialect: Dialect::Atrium,
    json_is_vendor: false,
    version: None,
};

/// The Platform API's `Accept-Version` header: since 2026-08-12 every
/// Platform call must carry it (MX's migration guide, docs.mx.com
/// `api-reference/platform-api/overview/migration`).
pub const ACCEPT_VERSION: &str = "accept-version";

/// The Platform API's original version, under `/platform` with
/// `Accept-Version: v20111101`: HTTP Basic (client id : API key),
/// `application/vnd.mx.api.v1+json` (MX's "Formats and requirements"
/// page); Atrium's users, members and rules.
pub const PLATFORM_V20111101: ApiDef = ApiDef {
    name: "platform-v20111101",
    mount: "/platform",
    json_media: "application/vnd.mx.api.v1+json",
    errors: ErrorStyle::Plain,
    session_of_demo_user: false,
    dialect: Dialect::Atrium,
    json_is_vendor: true,
    version: Some("v20111101"),
};

/// The Platform API's current version, under `/platform` with
/// `Accept-Version: v20250224`: `application/json`, as its spec documents;
/// the same world as v20111101, answered in v20250224's shapes.
pub const PLATFORM_V20250224: ApiDef = ApiDef {
    name: "platform-v20250224",
    mount: "/platform",
    json_media: "application/json",
    errors: ErrorStyle::Plain,
    session_of_demo_user: false,
    dialect: Dialect::Atrium,
    json_is_vendor: false,
    version: Some("v20250224"),
};

/// An API with its compiled spec.
#[derive(Debug)]
pub struct LoadedApi {
    pub def: ApiDef,
    pub spec: Spec,
}

/// The vendored specs, embedded at compile time (`include_str!` makes
/// `cargo build` follow a spec change): (definition, spec, overlays).
pub const EMBEDDED: &[(ApiDef, &str, &[&str])] = &[
    (
        NEXUS,
        include_str!("../../specs/nexus/v1.yaml"),
        &[include_str!("../../specs/nexus/overlay.yaml")],
    ),
    (ATRIUM, include_str!("../../specs/atrium/v1.yaml"), &[]),
    (
        PLATFORM_V20111101,
        include_str!("../../specs/platform/v20111101.yml"),
        &[include_str!("../../specs/platform/v20111101.overlay.yaml")],
    ),
    (
        PLATFORM_V20250224,
        include_str!("../../specs/platform/v20250224.yml"),
        &[include_str!("../../specs/platform/v20250224.overlay.yaml")],
    ),
];

/// The embedded APIs, compiled once per process; `Err` names the spec
/// that does not parse.
pub fn embedded() -> Result<Arc<[LoadedApi]>, String> {
    static APIS: OnceLock<Result<Arc<[LoadedApi]>, String>> = OnceLock::new();
    APIS.get_or_init(|| {
        EMBEDDED
            .iter()
            .map(|(def, text, overlay)| {
                Ok(LoadedApi {
                    def: *def,
                    spec: Spec::parse(text, overlay)
                        .map_err(|e| format!("the vendored {} spec: {e}", def.name))?,
                })
            })
            .collect()
    })
    .clone()
}
