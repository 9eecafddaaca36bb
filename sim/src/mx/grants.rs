//! What the Platform's processor flow keeps: the authorization codes not
//! yet exchanged and the access tokens issued, with what each opens (the
//! rules are `processor.rs`).

use std::collections::HashMap;
use std::time::SystemTime;

/// What a code, and the token exchanged for it, lets a processor read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scope {
    pub user: String,
    pub member: String,
    pub account: String,
    /// The scope as the client wrote it (the token answer repeats it).
    pub text: String,
}

/// An access token a processor holds.
#[derive(Debug, Clone)]
pub struct Token {
    pub scope: Scope,
    /// The GUID of the processor it was issued to.
    pub processor_guid: String,
    pub expires: SystemTime,
}

/// The codes not yet exchanged and the tokens issued. Both are secrets:
/// `Debug` shows only how many there are.
#[derive(Default)]
pub struct Grants {
    /// Authorization code → its scope; removed when exchanged.
    pub codes: HashMap<String, Scope>,
    /// Access token → what it opens, expired ones included.
    pub tokens: HashMap<String, Token>,
}

impl std::fmt::Debug for Grants {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Grants")
            .field("codes", &format_args!("[{} redacted]", self.codes.len()))
            .field("tokens", &format_args!("[{} redacted]", self.tokens.len()))
            .finish()
    }
}

impl Grants {
    /// The token, if it was issued and has not expired at `now`.
    pub fn live(&self, token: &str, now: SystemTime) -> Option<&Token> {
        self.tokens.get(token).filter(|t| t.expires > now)
    }
}
