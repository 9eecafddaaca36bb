//! `mx-client`'s own pipeline settings: its APIs and their type overrides.

use crate::Config;

/// The APIs of `mx-client`: module name, spec path and overlay path,
/// relative to the crate root.
pub const MX_APIS: &[(&str, &str, Option<&str>)] = &[
    (
        "nexus",
        "specs/nexus/v1.yaml",
        Some("specs/nexus/overlay.yaml"),
    ),
    ("atrium", "specs/atrium/v1.yaml", None),
    (
        "platform",
        "specs/platform/v20111101.yml",
        Some("specs/platform/overlay.yaml"),
    ),
];

/// The `Accept` each API wants where its spec documents plain
/// `application/json` (or no answer body): MX refuses a request that names
/// no API version, and the Platform spec says `application/json` on 21
/// answers where MX's pages ask for `application/vnd.mx.api.v1+json`.
pub const MX_JSON_ACCEPT: &[(&str, &str)] = &[("platform", "application/vnd.mx.api.v1+json")];

impl Config {
    /// The settings `mx-client` builds with: its APIs (paths relative to
    /// the crate root), MX's status strings as enums with an `Unknown`
    /// fallback in every spec, and credential values as a type that never
    /// prints.
    pub fn mx_client() -> Self {
        let mut c = Self::new();
        for (name, spec, overlay) in MX_APIS {
            c.api(*name, *spec);
            if let Some(overlay) = overlay {
                c.overlay(*overlay);
            }
            if let Some((_, media)) = MX_JSON_ACCEPT.iter().find(|(n, _)| n == name) {
                c.json_accept(*media);
            }
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
