//! The root crate's one integration-test binary (as cargo's own
//! `tests/testsuite`): every module links the generated clients once.
//!
//! Generated structs are never built with a full literal: `..Default::default()`
//! stays even where every field is named today, so that a field MX adds to a
//! spec does not break this build.
#![allow(clippy::needless_update)]

mod atrium_wire;
mod audit;
mod common;
mod every_operation;
mod every_operation_data;
mod every_operation_flows;
mod faults;
mod golden;
mod lifecycle;
mod lifecycle_sim;
mod lifecycle_webhooks;
mod nexus_wire;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_every_operation;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_every_operation_data;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_every_operation_flows;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_every_operation_insights;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_every_operation_managed;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_every_operation_money;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_every_operation_plans;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_every_operation_records;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_every_operation_versions;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_processor;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
mod platform_wire;
mod runtime;
mod secrets_and_sessions;
mod sim;
mod sim_members;
