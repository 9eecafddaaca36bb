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
