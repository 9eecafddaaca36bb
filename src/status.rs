//! MX's status strings as enums that never break decoding: a value MX adds
//! later decodes as `Unknown` and encodes back unchanged.
//!
//! The payload of `Unknown` is sealed, as smithy-rs seals its
//! `UnknownVariantValue`: it holds the wire value, and two statuses compare
//! (and hash, and sort) by their wire value, so an `Unknown` never stands
//! beside the known variant it spells.

use crate::__private::de::StatusVisitor;

/// The wire value of a status this version of the crate does not know.
/// Read it with [`as_str`](Self::as_str).
#[derive(Debug, Clone)]
pub struct UnknownStatus(String);

impl UnknownStatus {
    /// The value MX sent (a number is kept as its decimal digits).
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// For comparisons in tests (`ConnectionStatus::Unknown("NEW".into())`);
/// equality is by wire value, so `Unknown("CONNECTED".into())` equals
/// `Connected`.
impl From<&str> for UnknownStatus {
    fn from(s: &str) -> Self {
        UnknownStatus(s.to_string())
    }
}

/// An open string enum: the named variants, `Unknown` holding any other
/// wire value (sealed), `as_str`, `KNOWN`, `FromStr`/`From<&str>` that never
/// fail, equality, hashing and order by wire value, `Display`, `Serialize`.
/// The crate's own statuses use it, and so does the generated code for
/// every string enum of a spec (`open_enum!`, with `Deserialize`).
#[doc(hidden)]
#[macro_export]
macro_rules! __string_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $(#[$meta])*
        #[derive(Debug, Clone)]
        #[non_exhaustive]
        pub enum $name {
            $( $(#[$vmeta])* #[doc = concat!("`", $wire, "`")] $variant, )*
            /// A value this version of the crate does not know.
            Unknown($crate::lifecycle::UnknownStatus),
        }

        impl $name {
            /// Every value this version of the crate knows.
            pub const KNOWN: &'static [$name] = &[$($name::$variant),*];

            /// The string MX sends.
            pub fn as_str(&self) -> &str {
                match self {
                    $( $name::$variant => $wire, )*
                    $name::Unknown(s) => s.as_str(),
                }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = ::std::convert::Infallible;
            fn from_str(s: &str) -> ::std::result::Result<Self, Self::Err> {
                ::std::result::Result::Ok(match s {
                    $( $wire => $name::$variant, )*
                    other => $name::Unknown($crate::lifecycle::UnknownStatus::from(other)),
                })
            }
        }

        impl ::std::convert::From<&str> for $name {
            fn from(s: &str) -> Self {
                match s.parse() {
                    ::std::result::Result::Ok(v) => v,
                    ::std::result::Result::Err(never) => match never {},
                }
            }
        }

        impl ::std::cmp::PartialEq for $name {
            fn eq(&self, other: &Self) -> bool {
                self.as_str() == other.as_str()
            }
        }

        impl ::std::cmp::Eq for $name {}

        impl ::std::hash::Hash for $name {
            fn hash<H: ::std::hash::Hasher>(&self, h: &mut H) {
                self.as_str().hash(h)
            }
        }

        impl ::std::cmp::PartialOrd for $name {
            fn partial_cmp(&self, other: &Self) -> ::std::option::Option<::std::cmp::Ordering> {
                ::std::option::Option::Some(self.cmp(other))
            }
        }

        /// By wire value, consistently with equality.
        impl ::std::cmp::Ord for $name {
            fn cmp(&self, other: &Self) -> ::std::cmp::Ordering {
                self.as_str().cmp(other.as_str())
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl ::serde::Serialize for $name {
            fn serialize<S: ::serde::Serializer>(&self, s: S) -> ::std::result::Result<S::Ok, S::Error> {
                s.serialize_str(self.as_str())
            }
        }
    };
}

/// A generated string enum of a spec, open: [`__string_enum!`] and a
/// `Deserialize` that takes any string. The pipeline turns every closed
/// string enum typify generates into one of these, so that a value MX adds
/// within a version (MX's versioning page does not count a new enum value
/// as breaking) decodes as `Unknown` instead of failing a whole answer.
#[doc(hidden)]
#[macro_export]
macro_rules! __open_enum {
    (
        $(#[$meta:meta])*
        pub enum $name:ident {
            $( $(#[$vmeta:meta])* $variant:ident = $wire:literal, )*
        }
    ) => {
        $crate::__string_enum! {
            $(#[$meta])*
            pub enum $name {
                $( $(#[$vmeta])* $variant = $wire, )*
            }
        }

        impl<'de> ::serde::Deserialize<'de> for $name {
            fn deserialize<D: ::serde::Deserializer<'de>>(
                d: D,
            ) -> ::std::result::Result<Self, D::Error> {
                d.deserialize_any($crate::__private::de::StatusVisitor::strings())
            }
        }
    };
}

use crate::__string_enum as string_enum;

string_enum! {
    /// The state of a member's connection (`connection_status`), in every
    /// MX API. MX numbers them 0 to 21 (`connection_status_id`, e.g. in
    /// webhooks); a number decodes as its status. [`id`](Self::id) gives the
    /// number and [`class`](Self::class) what it means for the caller.
    pub enum ConnectionStatus {
        Created = "CREATED",
        Prevented = "PREVENTED",
        Denied = "DENIED",
        Challenged = "CHALLENGED",
        Rejected = "REJECTED",
        Locked = "LOCKED",
        Connected = "CONNECTED",
        Impeded = "IMPEDED",
        Reconnected = "RECONNECTED",
        Degraded = "DEGRADED",
        Disconnected = "DISCONNECTED",
        Discontinued = "DISCONTINUED",
        Closed = "CLOSED",
        Delayed = "DELAYED",
        Failed = "FAILED",
        Updated = "UPDATED",
        Disabled = "DISABLED",
        Imported = "IMPORTED",
        Resumed = "RESUMED",
        Expired = "EXPIRED",
        Impaired = "IMPAIRED",
        /// New OAuth members, until the end user completes the OAuth flow.
        Pending = "PENDING",
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

string_enum! {
    /// What a member is used for (`use_cases` of the Platform API's members
    /// and widget requests). MX documents these two; a value it adds later
    /// decodes as `Unknown` instead of failing the whole answer.
    pub enum UseCase {
        MoneyMovement = "MONEY_MOVEMENT",
        Pfm = "PFM",
    }
}

string_enum! {
    /// The kind of a repeating transaction (the Platform API's
    /// `repeating_transaction_type`).
    pub enum RepeatingTransactionType {
        Bill = "BILL",
        Subscription = "SUBSCRIPTION",
        Income = "INCOME",
        /// MX's own "unknown" value (not [`Self::Unknown`], which holds a
        /// value this crate does not know).
        MxUnknown = "UNKNOWN",
    }
}

string_enum! {
    /// Money in or out (the Platform API's repeating transactions'
    /// `transaction_type`).
    pub enum TransactionType {
        Debit = "DEBIT",
        Credit = "CREDIT",
    }
}

/// What a [`ConnectionStatus`] asks of the caller.
///
/// Sources: MX's Nexus "Members overview" page (each status's meaning and
/// what to do), and MX's Connect widget (`mxenabled/connect-widget`,
/// `src/const/Statuses.js`), which groups CREATED, RECONNECTED, UPDATED and
/// RESUMED as processing, CHALLENGED and REJECTED as MFA, and every other
/// status but CONNECTED as an error. The split of the errors into "the end
/// user must fix" and "retry later" follows the overview's "what to do"
/// column and MX's connection-status webhook, which MX sends exactly for the
/// statuses the end user has to act on (CHALLENGED, DENIED, EXPIRED,
/// IMPAIRED, IMPEDED, LOCKED, PREVENTED, REJECTED).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum StatusClass {
    /// MX is working on it: keep polling.
    InProgress,
    /// Waiting for the end user: answer MFA or finish OAuth.
    NeedsEndUser(EndUserStep),
    /// Connected.
    Connected,
    /// An error only the end user (or the partner's support) can fix:
    /// new credentials, an action at the institution, another institution.
    /// Retrying as is will not help.
    UserMustFix,
    /// An error on MX's or the institution's side: retry later (MX also
    /// retries in the background).
    RetryLater,
    /// A status this version of the crate does not know.
    Unknown,
}

/// What the end user has to do for a [`StatusClass::NeedsEndUser`] status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum EndUserStep {
    /// Answer the MFA challenges (CHALLENGED, or REJECTED after a wrong
    /// answer).
    Mfa,
    /// Finish the OAuth flow at the institution (PENDING).
    OAuth,
}

impl ConnectionStatus {
    /// The number MX gives the status (`connection_status_id`, 0 to 21);
    /// `None` for an unknown status.
    pub fn id(&self) -> Option<u8> {
        use ConnectionStatus::*;
        Some(match self {
            Created => 0,
            Prevented => 1,
            Denied => 2,
            Challenged => 3,
            Rejected => 4,
            Locked => 5,
            Connected => 6,
            Impeded => 7,
            Reconnected => 8,
            Degraded => 9,
            Disconnected => 10,
            Discontinued => 11,
            Closed => 12,
            Delayed => 13,
            Failed => 14,
            Updated => 15,
            Disabled => 16,
            Imported => 17,
            Resumed => 18,
            Expired => 19,
            Impaired => 20,
            Pending => 21,
            Unknown(_) => return None,
        })
    }

    /// The status MX numbers `id`; an id this crate does not know becomes
    /// `Unknown` holding its digits.
    pub fn from_id(id: u64) -> Self {
        Self::KNOWN
            .iter()
            .find(|s| s.id().map(u64::from) == Some(id))
            .cloned()
            .unwrap_or_else(|| ConnectionStatus::Unknown(UnknownStatus(id.to_string())))
    }

    /// What the status asks of the caller (see [`StatusClass`] for the
    /// sources).
    pub fn class(&self) -> StatusClass {
        use ConnectionStatus::*;
        match self {
            // Connect widget: processing.
            Created | Reconnected | Updated | Resumed => StatusClass::InProgress,
            // Connect widget: MFA. REJECTED: a wrong answer, MX asks again.
            Challenged | Rejected => StatusClass::NeedsEndUser(EndUserStep::Mfa),
            // Members overview: waiting for the end user to finish OAuth.
            Pending => StatusClass::NeedsEndUser(EndUserStep::OAuth),
            Connected => StatusClass::Connected,
            // Webhook statuses (the end user must act): new credentials
            // (DENIED, PREVENTED, IMPAIRED), the institution's site (LOCKED,
            // IMPEDED), a new aggregation to answer MFA in time (EXPIRED).
            Denied | Prevented | Impaired | Locked | Impeded | Expired => StatusClass::UserMustFix,
            // Members overview: the connection is no longer supported
            // (DISCONTINUED), closed (CLOSED), aggregation turned off
            // (DISABLED): retrying does not help; a person must act.
            // IMPORTED: an imported member waits for its credentials to be
            // entered (assumption: the overview gives no action for it).
            Discontinued | Closed | Disabled | Imported => StatusClass::UserMustFix,
            // Members overview: failures on MX's or the institution's side,
            // retried by MX (DEGRADED after several failed attempts,
            // DELAYED taking longer than usual, FAILED, DISCONNECTED).
            Degraded | Delayed | Failed | Disconnected => StatusClass::RetryLater,
            Unknown(_) => StatusClass::Unknown,
        }
    }
}

impl<'de> serde::Deserialize<'de> for ConnectionStatus {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        d.deserialize_any(StatusVisitor::numbered(|n| {
            Some(ConnectionStatus::from_id(n))
        }))
    }
}

/// Strings only (no numbered form).
macro_rules! deserialize_str {
    ($($name:ident),*) => {$(
        impl<'de> serde::Deserialize<'de> for $name {
            fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                d.deserialize_any(StatusVisitor::strings())
            }
        }
    )*};
}

deserialize_str!(
    MemberStatus,
    UseCase,
    RepeatingTransactionType,
    TransactionType
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_for_all_22_statuses() {
        assert_eq!(ConnectionStatus::KNOWN.len(), 22);
        for (i, s) in ConnectionStatus::KNOWN.iter().enumerate() {
            // KNOWN lists them in MX's order.
            assert_eq!(s.id(), Some(i as u8), "{s}");
            assert_eq!(&ConnectionStatus::from_id(i as u64), s);
            let from_number: ConnectionStatus = serde_json::from_str(&i.to_string()).unwrap();
            assert_eq!(&from_number, s);
            let from_string: ConnectionStatus =
                serde_json::from_value(serde_json::json!(s.as_str())).unwrap();
            assert_eq!(&from_string, s);
        }
        assert_eq!(ConnectionStatus::Pending.id(), Some(21));
        assert_eq!(ConnectionStatus::Resumed.id(), Some(18));
    }

    #[test]
    fn unknown_values_are_kept_and_compare_by_wire_value() {
        let s: ConnectionStatus = serde_json::from_str("\"LATER\"").unwrap();
        assert!(matches!(&s, ConnectionStatus::Unknown(u) if u.as_str() == "LATER"));
        assert_eq!(serde_json::to_string(&s).unwrap(), "\"LATER\"");
        assert_eq!(s.id(), None);
        assert_eq!(s.class(), StatusClass::Unknown);
        let n: ConnectionStatus = serde_json::from_str("22").unwrap();
        assert_eq!(n.as_str(), "22");
        assert!(serde_json::from_str::<ConnectionStatus>("-1").is_err());
        assert!(serde_json::from_str::<MemberStatus>("3").is_err());
        assert_eq!(
            ConnectionStatus::Unknown("CONNECTED".into()),
            ConnectionStatus::Connected
        );
        let set: std::collections::HashSet<_> = [
            ConnectionStatus::Connected,
            ConnectionStatus::Unknown("CONNECTED".into()),
        ]
        .into();
        assert_eq!(set.len(), 1);
    }

    #[test]
    fn classes_follow_the_connect_widget_and_the_members_overview() {
        use ConnectionStatus::*;
        let class_of = |s: &ConnectionStatus| s.class();
        for s in [Created, Reconnected, Updated, Resumed] {
            assert_eq!(class_of(&s), StatusClass::InProgress, "{s}");
        }
        for s in [Challenged, Rejected] {
            assert_eq!(
                class_of(&s),
                StatusClass::NeedsEndUser(EndUserStep::Mfa),
                "{s}"
            );
        }
        assert_eq!(
            Pending.class(),
            StatusClass::NeedsEndUser(EndUserStep::OAuth)
        );
        assert_eq!(Connected.class(), StatusClass::Connected);
        for s in [Denied, Locked, Impeded, Prevented, Expired, Impaired] {
            assert_eq!(class_of(&s), StatusClass::UserMustFix, "{s}");
        }
        for s in [Degraded, Delayed, Failed, Disconnected] {
            assert_eq!(class_of(&s), StatusClass::RetryLater, "{s}");
        }
        // Every known status has a class other than Unknown.
        assert!(ConnectionStatus::KNOWN
            .iter()
            .all(|s| s.class() != StatusClass::Unknown));
    }

    #[test]
    fn platform_closed_sets_accept_new_values() {
        let u: Vec<UseCase> =
            serde_json::from_str(r#"["PFM","MONEY_MOVEMENT","INSIGHTS"]"#).unwrap();
        assert_eq!(u[0], UseCase::Pfm);
        assert_eq!(u[1], UseCase::MoneyMovement);
        assert!(matches!(&u[2], UseCase::Unknown(v) if v.as_str() == "INSIGHTS"));
        assert_eq!(
            serde_json::to_string(&u).unwrap(),
            r#"["PFM","MONEY_MOVEMENT","INSIGHTS"]"#
        );
        let t: RepeatingTransactionType = serde_json::from_str(r#""UNKNOWN""#).unwrap();
        assert_eq!(t, RepeatingTransactionType::MxUnknown);
        let t: RepeatingTransactionType = serde_json::from_str(r#""RENT""#).unwrap();
        assert_eq!(t.as_str(), "RENT");
        let t: TransactionType = serde_json::from_str(r#""TRANSFER""#).unwrap();
        assert_eq!(t.to_string(), "TRANSFER");
        assert!(serde_json::from_str::<TransactionType>("1").is_err());
    }
}
