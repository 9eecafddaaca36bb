//! Which credentials MX accepts: the configured Nexus session token, the
//! Atrium `MX-API-Key` and `MX-Client-ID`, HTTP Basic with the client id
//! and API key (the Platform API), and as bearer the session token.

use super::world::World;
use crate::api::ApiDef;
use crate::config::Config;
use crate::engine::rules::Credential;
use crate::spec::Operation;

/// The secret a header-borne scheme names (MX's header names).
fn header_secret<'a>(config: &'a Config, name: &str) -> Option<&'a str> {
    match name {
        "md-session-token" => Some(&config.session_token),
        "mx-api-key" => Some(&config.api_key),
        "mx-client-id" => Some(&config.client_id),
        _ => None,
    }
}

/// Is `credential` valid for `op`?
pub fn accepts(
    config: &Config,
    _world: &World,
    _api: &ApiDef,
    _op: &Operation,
    credential: &Credential<'_>,
) -> bool {
    match *credential {
        Credential::Header { name, value } => match header_secret(config, name) {
            Some(want) => value == want,
            // A header MX's rules do not know: any value.
            None => !value.is_empty(),
        },
        Credential::Basic { user, password } => {
            user == config.client_id && password == config.api_key
        }
        Credential::Bearer(token) => token == config.session_token,
    }
}
