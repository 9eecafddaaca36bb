//! What the poller reads about a member, and how an API gives it.

use std::future::Future;

use crate::lifecycle::mfa::Challenge;
use crate::ConnectionStatus;

/// A member's connection as one read shows it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct MemberSnapshot {
    /// The member's GUID, for logs.
    pub guid: Option<String>,
    /// `connection_status`; `None` for a member without credentials (e.g.
    /// a manual member), whose connection never settles.
    pub status: Option<ConnectionStatus>,
    /// `is_being_aggregated`.
    pub is_being_aggregated: bool,
    /// The MFA challenges, when the read carries them (Atrium's member
    /// status read does while the member is CHALLENGED).
    pub challenges: Vec<Challenge>,
}

/// Reads a member's connection once. Implemented for every
/// `FnMut() -> impl Future<Output = Result<MemberSnapshot, E>>`, so an API
/// plugs in with a closure around its read call.
pub trait MemberFetcher {
    /// What a failed read returns.
    type Error;
    /// Reads the member now.
    fn fetch(&mut self) -> impl Future<Output = Result<MemberSnapshot, Self::Error>>;
}

impl<F, Fut, E> MemberFetcher for F
where
    F: FnMut() -> Fut,
    Fut: Future<Output = Result<MemberSnapshot, E>>,
{
    type Error = E;
    fn fetch(&mut self) -> impl Future<Output = Result<MemberSnapshot, E>> {
        self()
    }
}

/// The snapshot of a generated member record: any API's type with MX's
/// member fields (`guid`, `connection_status`, `is_being_aggregated`), with
/// `challenges`.
macro_rules! member_snapshot {
    ($member:expr, $challenges:expr) => {{
        let m = &$member;
        $crate::lifecycle::MemberSnapshot {
            guid: m.guid.clone(),
            status: m.connection_status.clone(),
            is_being_aggregated: m.is_being_aggregated.unwrap_or(false),
            challenges: $challenges,
        }
    }};
}
pub(crate) use member_snapshot;

/// `oauth_window_url()` and `snapshot()` on an API's generated member type,
/// the same on every API.
macro_rules! member_record {
    ($member:ty) => {
        impl $member {
            /// The one-time `oauth_window_uri` of an OAuth member, parsed
            /// with or without its scheme (MX's examples show it without;
            /// `https://` is then assumed). `Ok(None)` when the member has
            /// none.
            pub fn oauth_window_url(
                &self,
            ) -> Result<Option<url::Url>, $crate::lifecycle::oauth::WindowUriError> {
                $crate::lifecycle::oauth::optional_window_url(self.oauth_window_uri.as_deref())
            }

            /// What the poller reads, from a member answer (create, read,
            /// jobs; a status read also carries the challenges).
            pub fn snapshot(&self) -> $crate::lifecycle::MemberSnapshot {
                $crate::lifecycle::member_snapshot!(self, Vec::new())
            }
        }
    };
}
pub(crate) use member_record;
