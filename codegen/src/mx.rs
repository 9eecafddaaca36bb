//! `mx-client`'s own pipeline settings: its APIs and their type overrides.

use crate::{Api, Config};

pub use mx_specs::{SpecApi as MxApi, ACCEPT_VERSION, APIS as MX_APIS};

/// One of mx-client's APIs as the pipeline takes it: its files in
/// `mx-specs` (or in `root`, a workspace or a copy of one, whose `specs/`
/// holds them), labelled in the generated code as `specs/<file>`.
pub fn api(mx: &MxApi, root: Option<&std::path::Path>) -> Api {
    let dir = match root {
        Some(root) => root.join("specs"),
        None => mx_specs::dir().to_path_buf(),
    };
    let mut api = Api::new(mx.name, dir.join(mx.spec)).labelled(
        format!("specs/{}", mx.spec),
        mx.overlay.map(|o| format!("specs/{o}")),
    );
    if let Some(overlay) = mx.overlay {
        api = api.overlay(dir.join(overlay));
    }
    if let Some(media) = mx.json_accept {
        api = api.json_accept(media);
    }
    if let Some(version) = mx.accept_version {
        api = api.constant_header(ACCEPT_VERSION, version);
    }
    api
}

impl Config {
    /// The settings `mx-client` builds with: its APIs (paths relative to
    /// the crate root), MX's status strings as enums with an `Unknown`
    /// fallback in every spec, and credential values as a type that never
    /// prints.
    pub fn mx_client() -> Self {
        let mut c = Self::new();
        for mx in MX_APIS {
            c.add_api(api(mx, None));
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
