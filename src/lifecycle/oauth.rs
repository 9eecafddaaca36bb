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
    /// Empty or blank.
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
