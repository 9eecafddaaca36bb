//! The generation pipeline of `mx-client`, shared by its `build.rs` and its
//! `cargo xtask` commands:
//!
//! load YAML → `openapiv3::OpenAPI` → [normalize](normalize::normalize) →
//! progenitor (builder interface) → `syn` → `prettyplease` → write only when
//! the content changed.
//!
//! ```no_run
//! mx_codegen::Config::new()
//!     .api("nexus", "specs/nexus/v1.yaml")
//!     .out_dir(std::env::var_os("OUT_DIR").unwrap())
//!     .generate()
//!     .unwrap();
//! ```
//!
//! One job per file: `config` (the settings, `generate`), `cache` (the
//! input hash, writing only what changed), `render` (one spec through the
//! pipeline), `tokens` (the code added to progenitor's), `openapi` (the
//! shared reading of a spec), `normalize/` (the passes over the spec, by
//! kind), and one pass over the generated code per file.

mod api;
mod builders;
mod cache;
mod config;
mod de;
mod docs;
mod enums;
pub mod error;
mod fields;
mod inline;
pub mod load;
mod mx;
pub mod normalize;
pub mod nulls;
mod openapi;
mod properties;
mod quiet;
mod render;
pub mod responses;
mod rewrite;
mod send;
mod tokens;
pub mod wire;

pub use api::Api;
pub use cache::{write_if_changed, Written};
pub use config::Config;
pub use error::{Location, SpecError};
pub use mx::{api as mx_api, MxApi, MX_APIS};
pub use mx_specs::{is_json, SchemeKind};
pub use properties::TypeOverride;
pub use render::Rendered;
pub use wire::{SchemeWire, WireTable};
