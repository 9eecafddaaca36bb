//! The Atrium API: a client generated from `specs/atrium/v1.yaml`, the
//! crate's hand-written spec of MX's Atrium doc pages.

crate::generated_api!("/atrium.rs");

mod lifecycle;

use crate::builder::ClientBuilder;
use crate::credentials::{ApiKey, ClientId};
use crate::error::Error;

/// One Atrium member, for the calls that follow its creation (see
/// [`crate::lifecycle::MemberHandle`]): made by [`Client::member`].
pub type MemberHandle = crate::lifecycle::MemberHandle<Client>;

crate::environment!("Atrium", Development: "MX's development environment (`vestibule`): the spec's first server.", "atrium");

impl Client {
    /// A builder for a client of `env`, authenticated by `MX-Client-ID`
    /// and `MX-API-Key`, for setting timeouts or the HTTP client.
    pub fn builder(
        env: Environment,
        client_id: ClientId,
        api_key: ApiKey,
    ) -> ClientBuilder<Client> {
        // Atrium documents no error codes; an answer that carries one of
        // MX's (Nexus's 4011) means what it means there.
        ClientBuilder::new(env.base_url())
            .rules(&crate::rules::MX_CODES)
            .credential(SecurityScheme::ClientId, client_id.into_secret())
            .credential(SecurityScheme::ApiKey, api_key.into_secret())
    }

    /// A client of `env` with the default timeouts.
    pub fn from_environment(
        env: Environment,
        client_id: ClientId,
        api_key: ApiKey,
    ) -> Result<Client, Error> {
        Self::builder(env, client_id, api_key).build()
    }
}
