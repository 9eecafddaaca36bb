//! mx-sim's integration tests: everything over HTTP against a simulator
//! each test starts on 127.0.0.1.

mod binary;
mod every_operation;
mod findings;
mod helpers;
mod jobs;
mod mxbank;
mod platform;
mod platform_data;
mod processor;
mod runtime_spec;

mod validation;
mod webhooks;
mod world;
