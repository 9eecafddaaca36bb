//! The APIs the simulator serves: one entry per vendored spec (Nexus,
//! Atrium, and the Platform API's two versions under `/platform`, chosen by
//! `Accept-Version`, HTTP Basic auth).

use std::sync::{Arc, OnceLock};

use mx_specs::SpecApi;

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
    /// v20111101: MX wants its vendor type, whatever the spec says; the
    /// spec's `json_accept` in `mx_specs`).
    pub json_is_vendor: bool,
    /// The `Accept-Version` that selects it among the APIs of its mount
    /// (the Platform API's versions, `mx_specs`); `None`: the mount serves
    /// only it.
    pub version: Option<&'static str>,
}

impl ApiDef {
    /// The `Accept` its clients send for a plain `application/json` answer
    /// (`mx_specs::SpecApi::json_accept`), if it has one.
    pub fn json_accept(&self) -> Option<&'static str> {
        self.json_is_vendor.then_some(self.json_media)
    }
}

/// The JSON media type of `spec`'s answers, where it fixes one.
const fn json_of(spec: &SpecApi, otherwise: &'static str) -> &'static str {
    match spec.json_accept {
        Some(media) => media,
        None => otherwise,
    }
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
    json_media: json_of(&mx_specs::PLATFORM_V20111101, "application/json"),
    errors: ErrorStyle::Plain,
    session_of_demo_user: false,
    dialect: Dialect::Atrium,
    json_is_vendor: mx_specs::PLATFORM_V20111101.json_accept.is_some(),
    version: mx_specs::PLATFORM_V20111101.accept_version,
};

/// The Platform API's current version, under `/platform` with
/// `Accept-Version: v20250224`: `application/json`, as its spec documents;
/// the same world as v20111101, answered in v20250224's shapes.
pub const PLATFORM_V20250224: ApiDef = ApiDef {
    name: "platform-v20250224",
    mount: "/platform",
    json_media: json_of(&mx_specs::PLATFORM_V20250224, "application/json"),
    errors: ErrorStyle::Plain,
    session_of_demo_user: false,
    dialect: Dialect::Atrium,
    json_is_vendor: mx_specs::PLATFORM_V20250224.json_accept.is_some(),
    version: mx_specs::PLATFORM_V20250224.accept_version,
};

/// An API with its compiled spec.
#[derive(Debug)]
pub struct LoadedApi {
    pub def: ApiDef,
    pub spec: Spec,
}

/// The APIs it serves, each with its spec in `mx_specs` (embedded there at
/// compile time: `include_str!` makes `cargo build` follow a spec change).
pub const APIS: &[(ApiDef, &SpecApi)] = &[
    (NEXUS, &mx_specs::NEXUS),
    (ATRIUM, &mx_specs::ATRIUM),
    (PLATFORM_V20111101, &mx_specs::PLATFORM_V20111101),
    (PLATFORM_V20250224, &mx_specs::PLATFORM_V20250224),
];

/// The embedded APIs, compiled once per process; `Err` names the spec
/// that does not parse.
pub fn embedded() -> Result<Arc<[LoadedApi]>, String> {
    static LOADED: OnceLock<Result<Arc<[LoadedApi]>, String>> = OnceLock::new();
    LOADED
        .get_or_init(|| {
            APIS.iter()
                .map(|(def, spec)| {
                    let overlays: Vec<&str> = spec.overlay_text().into_iter().collect();
                    Ok(LoadedApi {
                        def: *def,
                        spec: Spec::parse(spec.spec_text(), &overlays)
                            .map_err(|e| format!("the vendored {} spec: {e}", def.name))?,
                    })
                })
                .collect()
        })
        .clone()
}
