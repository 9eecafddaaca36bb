//! HTTP Basic verification of MX's webhook requests, in constant time.
//!
//! MX signs nothing: a webhook endpoint authenticates MX by HTTP Basic,
//! mutual TLS, or an OAuth2 client-credentials bearer token (docs.mx.com
//! `/resources/webhooks/*`). This checks the first.

use base64::Engine as _;
use secrecy::{ExposeSecret, SecretString};
use subtle::ConstantTimeEq;

/// The user name and password MX was configured to send. Neither appears in
/// `Debug`.
#[derive(Clone)]
pub struct BasicAuth {
    /// `base64(user:password)`, as the header carries it.
    expected: SecretString,
}

impl std::fmt::Debug for BasicAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("BasicAuth([REDACTED])")
    }
}

/// A user name HTTP Basic cannot carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidUser;

impl std::fmt::Display for InvalidUser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("an HTTP Basic user name cannot contain ':' or be empty")
    }
}

impl std::error::Error for InvalidUser {}

impl BasicAuth {
    /// The credentials to expect (RFC 7617: the user name has no `:`).
    pub fn new(user: &str, password: impl Into<SecretString>) -> Result<Self, InvalidUser> {
        if user.is_empty() || user.contains(':') {
            return Err(InvalidUser);
        }
        let password = password.into();
        let plain = format!("{user}:{}", password.expose_secret());
        let expected = base64::engine::general_purpose::STANDARD.encode(plain.as_bytes());
        Ok(BasicAuth {
            expected: SecretString::from(expected),
        })
    }

    /// Whether `headers` carry exactly these credentials. The comparison
    /// takes the same time wherever the first difference is (only a
    /// difference in length shows).
    pub fn verify(&self, headers: &http::HeaderMap) -> bool {
        let mut values = headers.get_all(http::header::AUTHORIZATION).iter();
        let (Some(value), None) = (values.next(), values.next()) else {
            return false;
        };
        let value = value.as_bytes();
        let Some(space) = value.iter().position(|b| *b == b' ') else {
            return false;
        };
        let (scheme, rest) = value.split_at(space);
        if !scheme.eq_ignore_ascii_case(b"basic") {
            return false;
        }
        let given = rest.trim_ascii();
        bool::from(given.ct_eq(self.expected.expose_secret().as_bytes()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use http::{HeaderMap, HeaderValue};

    fn with(value: &str) -> HeaderMap {
        let mut h = HeaderMap::new();
        h.insert(
            http::header::AUTHORIZATION,
            HeaderValue::from_str(value).unwrap(),
        );
        h
    }

    #[test]
    fn accepts_the_configured_credentials_only() {
        let auth = BasicAuth::new("mx", "s3cret").unwrap();
        // base64("mx:s3cret")
        assert!(auth.verify(&with("Basic bXg6czNjcmV0")));
        assert!(auth.verify(&with("basic  bXg6czNjcmV0")));
        assert!(!auth.verify(&with("Basic bXg6czNjcmV1")));
        assert!(!auth.verify(&with("Basic bXg6czNjcmV0AA==")));
        assert!(!auth.verify(&with("Bearer bXg6czNjcmV0")));
        assert!(!auth.verify(&with("Basic")));
        assert!(!auth.verify(&with("")));
        assert!(!auth.verify(&HeaderMap::new()));
        let mut two = with("Basic bXg6czNjcmV0");
        two.append(
            http::header::AUTHORIZATION,
            HeaderValue::from_static("Basic eA=="),
        );
        assert!(!auth.verify(&two));
    }

    #[test]
    fn secrets_never_print_and_bad_users_are_refused() {
        let auth = BasicAuth::new("mx", "s3cret").unwrap();
        let shown = format!("{auth:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("bXg6"),
            "{shown}"
        );
        assert_eq!(BasicAuth::new("a:b", "p").unwrap_err(), InvalidUser);
        assert_eq!(BasicAuth::new("", "p").unwrap_err(), InvalidUser);
    }
}
