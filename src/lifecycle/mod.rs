//! What follows "create member", shared by every MX API: following a
//! member's connection until it settles, MFA, aggregation-type jobs, OAuth
//! windows, the Connect widget and webhooks.
//!
//! Nothing here names an API. Each API module plugs in with a
//! [`MemberFetcher`] (a closure reading the member) and converts its
//! generated types to and from the neutral ones here, so Atrium, Nexus and
//! later the Platform API share one implementation of MX's rules.
//!
//! The facts these modules rely on, and the MX pages they come from, are
//! named in each module's documentation.

pub mod callback;
pub mod connect_widget;
mod fetch;
pub mod jobs;
pub(crate) mod member;
pub mod mfa;
pub mod oauth;
mod poller;
pub mod resume;
pub mod webhook;
pub mod webhook_auth;

pub use crate::status::{EndUserStep, StatusClass, UnknownStatus};
pub use fetch::{MemberFetcher, MemberSnapshot};
pub use member::{MemberApi, MemberHandle};
pub use poller::{poll_member, watch_member, PollConfig, PollError, PollEvent, Settled};
