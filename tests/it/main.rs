//! The root crate's one integration-test binary (as cargo's own
//! `tests/testsuite`): every module links the generated clients once.

mod atrium_wire;
mod common;
mod faults;
mod golden;
mod lifecycle;
mod nexus_wire;
#[cfg(feature = "platform")]
mod platform_wire;
mod runtime;
mod secrets_and_sessions;
mod sim;
