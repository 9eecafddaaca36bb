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
