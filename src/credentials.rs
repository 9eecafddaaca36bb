//! MX's client credentials, one type each, so that they cannot be swapped:
//! the same `client_id` and `api_key` authenticate Atrium (`MX-Client-ID`,
//! `MX-API-Key`) and the Platform API (HTTP Basic, the client id as user
//! and the API key as password). A swap would compile and then fail at MX
//! with a 401; with these types it does not compile.

use std::fmt;

use secrecy::SecretString;

macro_rules! credential {
    ($(#[$doc:meta])* $name:ident, $what:literal) => {
        $(#[$doc])*
        #[derive(Clone)]
        pub struct $name(SecretString);

        impl $name {
            #[doc = concat!("Wraps ", $what, " as MX issued it (e.g. read from the environment).")]
            pub fn new(value: impl Into<String>) -> Self {
                $name(SecretString::from(value.into()))
            }

            pub(crate) fn into_secret(self) -> SecretString {
                self.0
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($name), "([REDACTED])"))
            }
        }
    };
}

credential!(
    /// The `client_id` MX issued to you (Atrium's `MX-Client-ID`, the
    /// Platform's Basic user name). Its `Debug` never shows it.
    ClientId,
    "your client id"
);

credential!(
    /// The `api_key` MX issued to you (Atrium's `MX-API-Key`, the
    /// Platform's Basic password). Its `Debug` never shows it.
    ApiKey,
    "your API key"
);

#[cfg(test)]
mod tests {
    use super::*;
    use secrecy::ExposeSecret;

    #[test]
    fn never_printed() {
        let id = ClientId::new("client-123");
        let key = ApiKey::new("key-456");
        assert_eq!(
            format!("{id:?} {key:?}"),
            "ClientId([REDACTED]) ApiKey([REDACTED])"
        );
        assert_eq!(key.into_secret().expose_secret(), "key-456");
    }
}
