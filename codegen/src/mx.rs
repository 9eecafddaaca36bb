//! `mx-client`'s own pipeline settings: its APIs and their type overrides.

use crate::{Api, Config};

/// One API of `mx-client`: where its spec lives (relative to the crate
/// root) and what every request of it carries beyond the spec.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MxApi {
    /// The generated file's stem; its Cargo feature is this name with `-`
    /// for `_` (`platform_v20250224` → `platform-v20250224`).
    pub name: &'static str,
    /// Its module in `mx-client` (`nexus`, `platform::v20250224`).
    pub module: &'static str,
    /// The spec, vendored or hand-written.
    pub spec: &'static str,
    /// MX's corrections laid over the spec, each with its evidence.
    pub overlay: Option<&'static str>,
    /// Where `cargo xtask spec-sync` reads the spec from (`None`: the spec
    /// is written by hand).
    pub upstream: Option<&'static str>,
    /// The `Accept` sent where the spec documents plain `application/json`
    /// (or no answer body).
    pub json_accept: Option<&'static str>,
    /// The `Accept-Version` every request sends (MX's Platform API).
    pub accept_version: Option<&'static str>,
}

/// MX's version header of the Platform API.
pub const ACCEPT_VERSION: &str = "Accept-Version";

/// The APIs of `mx-client`.
pub const MX_APIS: &[MxApi] = &[
    MxApi {
        name: "nexus",
        module: "nexus",
        spec: "specs/nexus/v1.yaml",
        overlay: Some("specs/nexus/overlay.yaml"),
        upstream: Some("specs/nexus/upstream.txt"),
        json_accept: None,
        accept_version: None,
    },
    MxApi {
        name: "atrium",
        module: "atrium",
        spec: "specs/atrium/v1.yaml",
        overlay: None,
        upstream: None,
        json_accept: None,
        accept_version: None,
    },
    // MX's Platform migration guide (docs.mx.com
    // api-reference/platform-api/overview/migration): "After August 12,
    // 2026, all Platform API calls must pass a new `Accept-Version` header."
    //
    // v20111101: the version MX's spec file names. Its `Accept` is the
    // vendor type of MX's "Formats and requirements" page for this version
    // (api-reference/platform-api/overview/formats-requirements: "each
    // request also requires an Accept header: Accept:
    // application/vnd.mx.api.v1+json"); the spec says `application/json`
    // on 21 answers, and MX's v20111101 SDKs (mx-platform-python 1.12.0,
    // mx-platform-node 2.x) send the vendor type.
    MxApi {
        name: "platform_v20111101",
        module: "platform::v20111101",
        spec: "specs/platform/v20111101.yml",
        overlay: Some("specs/platform/v20111101.overlay.yaml"),
        upstream: Some("specs/platform/v20111101.upstream.txt"),
        json_accept: Some("application/vnd.mx.api.v1+json"),
        accept_version: Some("v20111101"),
    },
    // v20250224, MX's current version: `Accept: application/json` with
    // `Accept-Version: v20250224`, as its spec's own description and its
    // `basicAuth` scheme say (and every answer it documents is
    // `application/json`).
    MxApi {
        name: "platform_v20250224",
        module: "platform::v20250224",
        spec: "specs/platform/v20250224.yml",
        overlay: Some("specs/platform/v20250224.overlay.yaml"),
        upstream: Some("specs/platform/v20250224.upstream.txt"),
        json_accept: None,
        accept_version: Some("v20250224"),
    },
];

impl MxApi {
    /// The API as the pipeline takes it.
    pub fn api(&self) -> Api {
        let mut api = Api::new(self.name, self.spec);
        if let Some(overlay) = self.overlay {
            api = api.overlay(overlay);
        }
        if let Some(media) = self.json_accept {
            api = api.json_accept(media);
        }
        if let Some(version) = self.accept_version {
            api = api.constant_header(ACCEPT_VERSION, version);
        }
        api
    }

    /// The API with its paths under `root` (a workspace, or a copy of it).
    pub fn api_in(&self, root: &std::path::Path) -> Api {
        let api = self.api();
        api.with_spec(root.join(self.spec))
            .with_overlay(self.overlay.map(|o| root.join(o)))
    }

    /// The API of `mx-client` named `name` (`nexus`, `platform_v20250224`).
    pub fn named(name: &str) -> Option<&'static MxApi> {
        MX_APIS.iter().find(|a| a.name == name)
    }

    /// Its Cargo feature (`platform-v20250224`).
    pub fn feature(&self) -> String {
        self.name.replace('_', "-")
    }
}

impl Config {
    /// The settings `mx-client` builds with: its APIs (paths relative to
    /// the crate root), MX's status strings as enums with an `Unknown`
    /// fallback in every spec, and credential values as a type that never
    /// prints.
    pub fn mx_client() -> Self {
        let mut c = Self::new();
        for api in MX_APIS {
            c.add_api(api.api());
        }
        c.type_override(
            None,
            "connection_status",
            "mx-client",
            "mx_client::ConnectionStatus",
        )
        .type_override(
            Some("Member"),
            "status",
            "mx-client",
            "mx_client::MemberStatus",
        )
        .type_override(
            Some("MemberConnectionStatus"),
            "status",
            "mx-client",
            "mx_client::MemberStatus",
        )
        // Closed sets of the Platform spec on answers: open enums, so that a
        // value MX adds decodes as `Unknown` instead of failing the answer.
        .type_override(None, "use_cases[]", "mx-client", "mx_client::UseCase")
        .type_override(
            Some("RepeatingTransactionResponse"),
            "repeating_transaction_type",
            "mx-client",
            "mx_client::RepeatingTransactionType",
        )
        .type_override(
            Some("RepeatingTransactionResponse"),
            "transaction_type",
            "mx-client",
            "mx_client::TransactionType",
        )
        // Credential values are the end user's secrets.
        .type_override(
            Some("CredentialRequest"),
            "value",
            "mx-client",
            "mx_client::CredentialValue",
        )
        .type_override(
            Some("MemberCreateRequest"),
            "value",
            "mx-client",
            "mx_client::CredentialValue",
        );
        c
    }
}
