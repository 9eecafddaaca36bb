//! Credential values (usernames, passwords, security answers) as they go in
//! request bodies: sent as is, never shown.

use std::fmt;

use secrecy::{ExposeSecret, SecretString};

/// The value of one credential field. Its `Debug` and `Display` print
/// `[REDACTED]`; it serializes to the plain string MX expects.
#[derive(Clone)]
pub struct CredentialValue(SecretString);

impl CredentialValue {
    /// Wraps a value the end user entered.
    pub fn new(value: impl Into<String>) -> Self {
        CredentialValue(SecretString::from(value.into()))
    }

    /// The value itself, for the rare code that must see it.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }
}

impl fmt::Debug for CredentialValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl fmt::Display for CredentialValue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("[REDACTED]")
    }
}

impl PartialEq for CredentialValue {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl From<&str> for CredentialValue {
    fn from(s: &str) -> Self {
        CredentialValue::new(s)
    }
}

impl From<String> for CredentialValue {
    fn from(s: String) -> Self {
        CredentialValue::new(s)
    }
}

impl serde::Serialize for CredentialValue {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.expose())
    }
}

impl<'de> serde::Deserialize<'de> for CredentialValue {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d).map(CredentialValue::new)
    }
}
