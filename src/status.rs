//! MX's status strings as enums that never break decoding: a value MX adds
//! later decodes as `Unknown(String)` and encodes back unchanged.

use std::fmt;
use std::str::FromStr;

macro_rules! string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $wire, "`")] $variant, )*
            /// A value this version of the crate does not know.
            Unknown(String),
        }

        impl $name {
            /// Every value this version of the crate knows.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The string MX sends.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(s) => s,
                }
            }
        }

        impl FromStr for $name {
            type Err = std::convert::Infallible;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Ok(match s {
                    $( $wire => $name::$variant, )*
                    other => $name::Unknown(other.to_string()),
                })
            }
        }

        impl From<&str> for $name {
            fn from(s: &str) -> Self {
                match s.parse() {
                    Ok(v) => v,
                    Err(never) => match never {},
                }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl serde::Serialize for $name {
            fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// The state of a member's connection (`connection_status`), in both
    /// APIs. The Nexus docs also number the first six 0 to 5; a number
    /// decodes as that status.
    pub enum ConnectionStatus {
        Created = "CREATED",
        Prevented = "PREVENTED",
        Denied = "DENIED",
        Challenged = "CHALLENGED",
        Rejected = "REJECTED",
        Locked = "LOCKED",
        Connected = "CONNECTED",
        Impeded = "IMPEDED",
        Updated = "UPDATED",
        /// New OAuth members, until the end user completes the OAuth flow.
        Pending = "PENDING",
        Expired = "EXPIRED",
        Degraded = "DEGRADED",
        Delayed = "DELAYED",
        Failed = "FAILED",
        Disabled = "DISABLED",
        Impaired = "IMPAIRED",
        Disconnected = "DISCONNECTED",
        Discontinued = "DISCONTINUED",
        Closed = "CLOSED",
        Imported = "IMPORTED",
        Resumed = "RESUMED",
    }
}

string_enum! {
    /// The legacy aggregation status of an Atrium member (`status`).
    /// Deprecated by MX in favour of [`ConnectionStatus`].
    pub enum MemberStatus {
        Initiated = "INITIATED",
        Requested = "REQUESTED",
        Challenged = "CHALLENGED",
        Received = "RECEIVED",
        Transferred = "TRANSFERRED",
        Processed = "PROCESSED",
        Completed = "COMPLETED",
        Prevented = "PREVENTED",
        Denied = "DENIED",
        Halted = "HALTED",
    }
}

impl ConnectionStatus {
    /// The number the Nexus docs give the status, where they give one.
    pub fn nexus_code(&self) -> Option<u8> {
        Some(match self {
            ConnectionStatus::Created => 0,
            ConnectionStatus::Prevented => 1,
            ConnectionStatus::Denied => 2,
            ConnectionStatus::Challenged => 3,
            ConnectionStatus::Rejected => 4,
            ConnectionStatus::Locked => 5,
            _ => return None,
        })
    }
}

/// A string, or for `ConnectionStatus` a Nexus status number.
struct StatusVisitor<T>(std::marker::PhantomData<T>, fn(u64) -> Option<T>);

impl<T: FromStr<Err = std::convert::Infallible>> serde::de::Visitor<'_> for StatusVisitor<T> {
    type Value = T;
    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a status string")
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok(match v.parse() {
            Ok(t) => t,
            Err(never) => match never {},
        })
    }
    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<T, E> {
        (self.1)(v).ok_or_else(|| E::invalid_value(serde::de::Unexpected::Unsigned(v), &self))
    }
}

impl<'de> serde::Deserialize<'de> for ConnectionStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StatusVisitor(std::marker::PhantomData, |n| {
            ConnectionStatus::KNOWN
                .iter()
                .find(|s| s.nexus_code().map(u64::from) == Some(n))
                .cloned()
                .or_else(|| Some(ConnectionStatus::Unknown(n.to_string())))
        }))
    }
}

impl<'de> serde::Deserialize<'de> for MemberStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StatusVisitor(std::marker::PhantomData, |_| None))
    }
}
