//! What an API's error codes mean beyond the HTTP status: a rule the API's
//! module gives the runtime (Nexus: 4011 and 4220), which the runtime only
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
    /// A duplicate: `Error::Conflict`.
    Conflict,
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
/// Nexus answers a duplicate member with `422` and this error code.
pub const NEXUS_DUPLICATE_MEMBER: u32 = 4220;

/// MX's error codes, as the runtime applies them: 4011 is an expired
/// session (renewed through the session-token provider, else
/// `Error::SessionExpired`), a 422 with 4220 a duplicate (`Error::Conflict`).
/// Nexus documents them; Atrium's and the Platform's answers carry no codes
/// in their specs, and their clients read MX's codes the same way.
pub(crate) static MX_CODES: ApiRules = ApiRules {
    classify: |status, code| match (status, code) {
        (_, Some(NEXUS_SESSION_EXPIRED)) => Some(ErrorClass::CredentialExpired),
        (StatusCode::UNPROCESSABLE_ENTITY, Some(NEXUS_DUPLICATE_MEMBER)) => {
            Some(ErrorClass::Conflict)
        }
        _ => None,
    },
};
