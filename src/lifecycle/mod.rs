//! What follows "create member", shared by every MX API: following a
//! member's connection until it settles, MFA, aggregation-type jobs, OAuth
//! windows, the Connect widget and webhooks.
//!
//! Nothing here names an API. Atrium and each Platform version implement
//! [`MemberApi`] with their generated calls, and every one of them gets the
//! same [`MemberHandle`] (`client.member(user, member)`); any other reader
//! plugs into the poller as a [`MemberFetcher`] (a closure reading the
//! member). One implementation of MX's rules serves every API.
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
pub(crate) use fetch::{member_record, member_snapshot};
pub use fetch::{MemberFetcher, MemberSnapshot};
pub use member::{MemberApi, MemberHandle};
pub use poller::{poll_member, watch_member, PollConfig, PollError, PollEvent, Settled};
