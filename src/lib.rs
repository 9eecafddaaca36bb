#![doc = include_str!("../README.md")]
#![warn(missing_debug_implementations)]

// The generated code names hand-written types by absolute path
// (`::mx_client::…`), as typify's `x-rust-type` requires.
extern crate self as mx_client;

pub mod atrium;
mod error;
pub mod lifecycle;
pub mod nexus;
mod secret;
#[cfg(feature = "sim")]
pub mod sim;
mod status;
pub mod transport;

/// Support the generated code names by absolute path; not a public API.
#[doc(hidden)]
pub mod __private {
    pub mod de;
}

pub use error::{ApiError, Error, NEXUS_DUPLICATE_MEMBER, NEXUS_SESSION_EXPIRED};
pub use secrecy::SecretString;
pub use secret::CredentialValue;
pub use status::{ConnectionStatus, MemberStatus};

/// Includes the code the pipeline generated into `OUT_DIR` and re-exports
/// its public surface.
macro_rules! generated_api {
    ($file:literal) => {
        #[allow(
            deprecated,
            unused_imports,
            missing_debug_implementations,
            clippy::all,
            rustdoc::invalid_html_tags,
            rustdoc::bare_urls,
            rustdoc::broken_intra_doc_links
        )]
        mod generated {
            include!(concat!(env!("OUT_DIR"), $file));
        }
        pub use generated::{builder, types, ByteStream, Client, ResponseValue, WIRE};
    };
}
pub(crate) use generated_api;
