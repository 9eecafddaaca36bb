// The README's examples use the default APIs (and the Platform's behind its
// feature): it is the crate's documentation when they are enabled.
#![cfg_attr(all(feature = "nexus", feature = "atrium"), doc = include_str!("../README.md"))]
#![cfg_attr(
    not(all(feature = "nexus", feature = "atrium")),
    doc = "Typed async clients for MX's Nexus, Atrium and Platform APIs: see the README. Each API is a Cargo feature."
)]
#![warn(missing_debug_implementations, missing_docs)]
// docs.rs builds every feature; each item is marked with the feature it needs.
#![cfg_attr(docsrs, feature(doc_cfg))]
// The member lifecycle's glue (typed credentials, the generated-call
// helpers) serves Atrium and the Platform: a build with neither (Nexus only,
// or no API) leaves it unused.
#![cfg_attr(
    not(any(
        feature = "atrium",
        feature = "platform-v20111101",
        feature = "platform-v20250224"
    )),
    allow(dead_code, unused_imports, unused_macros)
)]

// The generated code names hand-written types by absolute path
// (`::mx_client::…`), as typify's `x-rust-type` requires.
extern crate self as mx_client;

#[doc(hidden)]
pub mod __private;
#[cfg(feature = "atrium")]
pub mod atrium;
mod builder;
mod credentials;
mod error;
mod http;
pub mod lifecycle;
#[cfg(feature = "nexus")]
pub mod nexus;
mod pagination;
#[cfg(any(feature = "platform-v20111101", feature = "platform-v20250224"))]
pub mod platform;
mod retry;
mod rules;
mod secret;
mod status;

pub use builder::{ApiClient, ClientBuilder};
pub use credentials::{ApiKey, ClientId};
pub use error::{ApiError, Error, InvalidRequest};
pub use http::{install_crypto_provider, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT};
pub use pagination::{Page, PageStream, Pages, Pagination};
pub use retry::RetryPolicy;
#[allow(deprecated)]
pub use rules::NEXUS_DUPLICATE_MEMBER;
pub use rules::{NEXUS_SESSION_EXPIRED, NEXUS_VALIDATION_FAILED};
pub use secrecy::SecretString;
pub use secret::CredentialValue;
pub use status::{
    ConnectionStatus, MemberStatus, RepeatingTransactionType, TransactionType, UseCase,
};

/// An API's `Environment`: MX's two servers from the spec's `servers` (the
/// first named as the API's docs name it), or any base URL.
#[allow(unused_macros)]
macro_rules! environment {
    ($api:literal, $first:ident: $first_doc:literal, $mount:literal) => {
        /// Where the client sends its requests.
        #[derive(Debug, Clone, PartialEq, Eq)]
        pub enum Environment {
            #[doc = $first_doc]
            $first,
            /// MX's production environment: the spec's second server.
            Production,
            #[doc = concat!("Any base URL, e.g. the simulator's `http://127.0.0.1:PORT/", $mount, "`.")]
            Custom(String),
        }

        // Checked when the crate builds, not when a client is made.
        const _: () = assert!(
            generated::SERVER_URLS.len() >= 2,
            concat!("the ", $api, " spec must list MX's two servers: the first environment's, then production's")
        );

        impl Environment {
            /// The base URL of this environment, without a trailing `/`.
            pub fn base_url(&self) -> String {
                let url = match self {
                    Environment::$first => generated::SERVER_URLS[0],
                    Environment::Production => generated::SERVER_URLS[1],
                    Environment::Custom(url) => url,
                };
                url.trim_end_matches('/').to_string()
            }
        }
    };
}
#[allow(unused_imports)]
pub(crate) use environment;

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
        pub use generated::{builder, types, ByteStream, Client, ResponseValue, SecurityScheme};
    };
}
pub(crate) use generated_api;
