//! The Atrium API: a client generated from `specs/atrium/v1.yaml`, the
//! crate's hand-written spec of MX's Atrium doc pages.

crate::generated_api!("/atrium.rs");

mod lifecycle;
pub use lifecycle::MemberHandle;

use crate::__private::ApiClient;
use crate::builder::ClientBuilder;
use crate::error::Error;

crate::environment!("Atrium", Development: "MX's development environment (`vestibule`): the spec's first server.", "atrium");

impl Client {
    /// A builder for a client of `env`, authenticated by `MX-API-Key` and
    /// `MX-Client-ID`, for setting timeouts or the HTTP client.
    pub fn builder(
        env: Environment,
        api_key: impl Into<secrecy::SecretString>,
        client_id: impl Into<secrecy::SecretString>,
    ) -> ClientBuilder<Client> {
        // Atrium documents no error codes; an answer that carries one of
        // MX's (Nexus's 4011) means what it means there.
        ClientBuilder::new(env.base_url())
            .rules(&crate::rules::MX_CODES)
            .credential(SecurityScheme::ApiKey, api_key)
            .credential(SecurityScheme::ClientId, client_id)
    }

    /// A client of `env` with the default timeouts.
    pub fn from_environment(
        env: Environment,
        api_key: impl Into<secrecy::SecretString>,
        client_id: impl Into<secrecy::SecretString>,
    ) -> Result<Client, Error> {
        Self::builder(env, api_key, client_id).build()
    }
}

impl types::MemberCreateRequest {
    /// A request with the required `institution_code` and nothing else set:
    /// fill in the rest with struct update syntax.
    pub fn new(institution_code: impl Into<String>) -> Self {
        types::MemberCreateRequest::builder()
            .institution_code(institution_code.into())
            .try_into()
            .expect("institution_code is the only required field")
    }
}
