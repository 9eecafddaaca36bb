//! Which credentials MX accepts: the configured Nexus session token, the
//! Atrium `MX-API-Key` and `MX-Client-ID`, HTTP Basic with the client id
//! and API key (the Platform API), HTTP Basic with the processor's
//! `processor_id` and `api_key` for `POST /token` only, and as bearer an
//! access token the Platform issued to the processor (its processor
//! operations).

use std::time::SystemTime;

use super::processor::TOKEN_OPERATION;
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
///
/// HTTP Basic: `POST /token` takes the processor's `processor_id` and
/// `api_key` ("In the authorization header, include your `processor_id`
/// and `api_key`", MX's How-to Guide for Processors,
/// <https://docs.mx.com/products/connectivity/instant-account-verification/processor-token/processor-guide>);
/// every other operation the client's id and API key. Bearer (the
/// processor operations): a token `POST /token` issued that has not
/// expired.
pub fn accepts(
    config: &Config,
    world: &World,
    _api: &ApiDef,
    op: &Operation,
    credential: &Credential<'_>,
) -> bool {
    match *credential {
        Credential::Header { name, value } => match header_secret(config, name) {
            Some(want) => value == want,
            // A header MX's rules do not know: any value.
            None => !value.is_empty(),
        },
        Credential::Basic { user, password } if op.id == TOKEN_OPERATION => {
            user == config.processor_id && password == config.processor_api_key
        }
        Credential::Basic { user, password } => {
            user == config.client_id && password == config.api_key
        }
        Credential::Bearer(token) => world.processor.live(token, SystemTime::now()).is_some(),
    }
}
