//! The HTTP client: the TLS crypto provider (rustls with `ring`), the
//! default timeouts, and no redirects followed.

use std::sync::Once;
use std::time::Duration;

/// Installs rustls' `ring` crypto provider as the process default, once
/// (unless another one is installed already). Every client's `build()`
/// calls it; call it yourself only before building a `reqwest::Client` of
/// your own outside this crate.
pub fn install_crypto_provider() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let _ = rustls::crypto::ring::default_provider().install_default();
    });
}

/// The default overall timeout of one request.
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(30);
/// The default timeout to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// Auth headers must never follow a redirect to another host (reqwest strips
/// only `Authorization` and cookies): MX's APIs do not redirect, so no
/// redirect is followed.
pub(crate) fn no_redirects(builder: reqwest::ClientBuilder) -> reqwest::Result<reqwest::Client> {
    builder.redirect(reqwest::redirect::Policy::none()).build()
}
