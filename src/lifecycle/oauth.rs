//! OAuth window URIs.
//!
//! MX sends `oauth_window_uri` on a new OAuth member (created PENDING) and
//! answers a fresh one from `GET …/members/{guid}/oauth_window_uri`. Each
//! works once. The Atrium page says the URI includes `https://`, but MX's
//! own published examples show it without a scheme
//! (`int-widgets.moneydesktop.com/oauth/predirect_to/…`): both are accepted,
//! a URI without a scheme getting `https://`.

use url::Url;

/// Why an OAuth window URI is not usable.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum WindowUriError {
    /// Empty, blank, or absent from MX's answer.
    Empty,
    /// It does not parse as a URL, even with `https://` before it.
    Invalid(url::ParseError),
    /// A scheme other than https or http (e.g. `javascript:`).
    Scheme(String),
}

impl std::fmt::Display for WindowUriError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WindowUriError::Empty => f.write_str("the OAuth window URI is empty"),
            WindowUriError::Invalid(e) => write!(f, "the OAuth window URI is not a URL: {e}"),
            WindowUriError::Scheme(s) => {
                write!(f, "the OAuth window URI has the scheme {s}, not https")
            }
        }
    }
}

impl std::error::Error for WindowUriError {}

/// Why no OAuth window URL came of a request for one.
#[derive(Debug)]
#[non_exhaustive]
pub enum OAuthWindowError {
    /// The request failed (MX's 400 "Member cannot use OAuth" is
    /// `Error::BadRequest`).
    Api(crate::Error),
    /// MX's answer holds no usable URI (`Empty` when it holds none).
    Uri(WindowUriError),
}

impl std::fmt::Display for OAuthWindowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OAuthWindowError::Api(e) => write!(f, "reading the OAuth window failed: {e}"),
            OAuthWindowError::Uri(e) => write!(f, "the OAuth window URI is unusable: {e}"),
        }
    }
}

impl std::error::Error for OAuthWindowError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            OAuthWindowError::Api(e) => Some(e),
            OAuthWindowError::Uri(e) => Some(e),
        }
    }
}

impl From<crate::Error> for OAuthWindowError {
    fn from(e: crate::Error) -> Self {
        OAuthWindowError::Api(e)
    }
}

impl From<WindowUriError> for OAuthWindowError {
    fn from(e: WindowUriError) -> Self {
        OAuthWindowError::Uri(e)
    }
}

/// Parses an `oauth_window_uri`, with or without its scheme.
pub fn window_url(uri: &str) -> Result<Url, WindowUriError> {
    let uri = uri.trim();
    if uri.is_empty() {
        return Err(WindowUriError::Empty);
    }
    // A scheme is letters, digits, `+`, `-`, `.` before `:`; `host:port/…`
    // would also read as one, so only `scheme://` and `scheme:` without a
    // following digit count.
    let has_scheme = uri.split_once(':').is_some_and(|(scheme, rest)| {
        !scheme.is_empty()
            && scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
            && (rest.starts_with("//") || !rest.starts_with(|c: char| c.is_ascii_digit()))
    });
    let url = if has_scheme {
        Url::parse(uri)
    } else {
        Url::parse(&format!("https://{uri}"))
    }
    .map_err(WindowUriError::Invalid)?;
    match url.scheme() {
        "https" | "http" if url.host().is_some() => Ok(url),
        "https" | "http" => Err(WindowUriError::Invalid(url::ParseError::EmptyHost)),
        other => Err(WindowUriError::Scheme(other.to_string())),
    }
}

/// Parses a member's optional `oauth_window_uri` (`Ok(None)` when it has
/// none): what every API's `Member::oauth_window_url` calls.
pub fn optional_window_url(uri: Option<&str>) -> Result<Option<Url>, WindowUriError> {
    uri.map(window_url).transpose()
}

/// Where the OAuth flow starts (`referral_source`): decides how MX sends
/// the end user back afterwards.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum ReferralSource {
    /// A browser: MX redirects to `client_redirect_url` when it is set.
    Browser,
    /// A mobile app: MX sends the end user to
    /// `ui_message_webview_url_scheme://…`.
    App,
}

impl ReferralSource {
    /// MX's spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            ReferralSource::Browser => "BROWSER",
            ReferralSource::App => "APP",
        }
    }
}

/// The documented parameters of an OAuth window refresh
/// (`GET …/members/{member_guid}/oauth_window_uri`); unset ones are not
/// sent.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct OAuthWindowOptions {
    /// Where MX sends a browser after OAuth.
    pub client_redirect_url: Option<Url>,
    /// `referral_source`: BROWSER or APP.
    pub referral_source: Option<ReferralSource>,
    /// When true, MX does not aggregate once the end user finished OAuth.
    pub skip_aggregation: Option<bool>,
    /// The app's URL scheme, with `ReferralSource::App` (e.g. `myapp`).
    pub ui_message_webview_url_scheme: Option<String>,
}

impl OAuthWindowOptions {
    /// No parameters: MX's defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// A browser flow coming back to `url`.
    pub fn browser(mut self, client_redirect_url: Url) -> Self {
        self.referral_source = Some(ReferralSource::Browser);
        self.client_redirect_url(client_redirect_url)
    }

    /// A mobile app flow coming back to `scheme://…`.
    pub fn app(mut self, scheme: impl Into<String>) -> Self {
        self.referral_source = Some(ReferralSource::App);
        self.ui_message_webview_url_scheme = Some(scheme.into());
        self
    }

    /// Where MX sends the end user after OAuth.
    pub fn client_redirect_url(mut self, url: Url) -> Self {
        self.client_redirect_url = Some(url);
        self
    }

    /// When true, MX does not aggregate once the end user finished OAuth
    /// (`skip_aggregation`).
    pub fn skip_aggregation(mut self, skip: bool) -> Self {
        self.skip_aggregation = Some(skip);
        self
    }
}

/// An API's generated `oauth_window_uri` request builder with `options`
/// set (its setters are named after MX's parameters in every API).
macro_rules! oauth_window_request {
    ($call:expr, $options:expr) => {{
        let options: &$crate::lifecycle::oauth::OAuthWindowOptions = $options;
        let mut call = $call;
        if let Some(url) = &options.client_redirect_url {
            call = call.client_redirect_url(url.as_str());
        }
        if let Some(source) = options.referral_source {
            call = call.referral_source(source.as_str());
        }
        if let Some(skip) = options.skip_aggregation {
            call = call.skip_aggregation(skip);
        }
        if let Some(scheme) = &options.ui_message_webview_url_scheme {
            call = call.ui_message_webview_url_scheme(scheme.as_str());
        }
        call
    }};
}
pub(crate) use oauth_window_request;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_and_without_scheme() {
        let bare = "int-widgets.moneydesktop.com/oauth/predirect_to/MBR-df96fd60/p8v7rp8t";
        let url = window_url(bare).unwrap();
        assert_eq!(
            url.as_str(),
            "https://int-widgets.moneydesktop.com/oauth/predirect_to/MBR-df96fd60/p8v7rp8t"
        );
        let full = window_url(" https://int-widgets.moneydesktop.com/oauth/x?a=1 ").unwrap();
        assert_eq!(
            full.as_str(),
            "https://int-widgets.moneydesktop.com/oauth/x?a=1"
        );
        // The simulator's plain-http windows stay as they are.
        let sim = window_url("http://127.0.0.1:8080/oauth/MBR-1").unwrap();
        assert_eq!(sim.as_str(), "http://127.0.0.1:8080/oauth/MBR-1");
        // host:port without a scheme is not taken for a scheme.
        let port = window_url("localhost:8080/oauth/MBR-1").unwrap();
        assert_eq!(port.as_str(), "https://localhost:8080/oauth/MBR-1");
    }

    #[test]
    fn unusable_uris_are_typed_errors() {
        assert_eq!(window_url("  "), Err(WindowUriError::Empty));
        assert_eq!(
            window_url("javascript:alert(1)"),
            Err(WindowUriError::Scheme("javascript".into()))
        );
        assert!(matches!(
            window_url("https://"),
            Err(WindowUriError::Invalid(_))
        ));
        assert!(matches!(
            window_url("exa mple.com/x"),
            Err(WindowUriError::Invalid(_))
        ));
    }
}
