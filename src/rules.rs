//! What an API's error codes mean beyond the HTTP status: a rule the API's
//! module gives the runtime (Nexus: 4011), which the runtime only
//! calls. Nothing API-specific lives in the shared runtime.

use reqwest::StatusCode;

/// The meaning an API gives an error answer, beyond its status.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ErrorClass {
    /// The credential (e.g. a session token) expired: the runtime renews it
    /// through the scheme's provider and resends an idempotent request once;
    /// the error is `Error::SessionExpired`.
    CredentialExpired,
}

/// The error rules of one API.
#[derive(Debug, Clone, Copy)]
pub struct ApiRules {
    /// Classifies an error answer by its status and the API's error code
    /// (`None`: the status alone decides).
    pub classify: fn(StatusCode, Option<u32>) -> Option<ErrorClass>,
}

impl ApiRules {
    /// No rules: every error answer is classified by its status.
    pub const NONE: ApiRules = ApiRules {
        classify: |_, _| None,
    };
}

/// Nexus answers an expired `MD-SESSION-TOKEN` with this error code.
pub const NEXUS_SESSION_EXPIRED: u32 = 4011;
/// Nexus answers several validation failures with `422` and this error
/// code: an unknown `institution_guid`, a duplicate `external_guid`, a
/// duplicate member, and more. MX advises against branching on codes: the
/// error is `Error::Unprocessable`, and its `message` says what MX said.
pub const NEXUS_VALIDATION_FAILED: u32 = 4220;

/// The old name of [`NEXUS_VALIDATION_FAILED`]: 4220 is not only a
/// duplicate member.
#[deprecated(
    since = "0.1.0",
    note = "4220 is any validation failure, not only a duplicate: use NEXUS_VALIDATION_FAILED and read the message"
)]
pub const NEXUS_DUPLICATE_MEMBER: u32 = NEXUS_VALIDATION_FAILED;

/// MX's error codes, as the runtime applies them: 4011 is an expired
/// session (renewed through the session-token provider, else
/// `Error::SessionExpired`). Every other code, 4220 included, leaves the
/// status to decide (a 422 is `Error::Unprocessable`, a 409
/// `Error::Conflict`), the code staying on the `ApiError`. Nexus documents
/// the codes; Atrium's and the Platform's specs do not, and their clients
/// read MX's codes the same way. This is MX's rule, given to the runtime by
/// each API module; the runtime (`__private`) knows no code.
pub(crate) static MX_CODES: ApiRules = ApiRules {
    classify: |_status, code| match code {
        Some(NEXUS_SESSION_EXPIRED) => Some(ErrorClass::CredentialExpired),
        _ => None,
    },
};
