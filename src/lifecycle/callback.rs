//! `X-CALLBACK-PAYLOAD`: a value set on a create or update member request,
//! which MX echoes back in that member's webhooks (docs.mx.com
//! `/resources/webhooks`), e.g. to tie a webhook to the request that caused
//! it. Set per request through an API client's `with_callback_payload`.

use reqwest::header::{HeaderName, HeaderValue};

/// The header's name, as MX spells it (HTTP names are case-insensitive).
pub const CALLBACK_PAYLOAD_HEADER: &str = "x-callback-payload";

/// The field MX's webhooks echo the payload in (the simulator's choice
/// too; MX's pages do not show a payload with it).
pub const CALLBACK_PAYLOAD_FIELD: &str = "callback_payload";

/// The longest payload MX takes ("Max 1024 characters", the header's
/// description in MX's Platform spec).
pub const MAX_PAYLOAD_BYTES: usize = crate::error::MAX_PAYLOAD_BYTES;

pub use crate::error::PayloadError;

/// The header for `payload`: visible ASCII and spaces only (what an HTTP
/// header value can carry unencoded), at most [`MAX_PAYLOAD_BYTES`].
pub fn callback_payload_header(payload: &str) -> Result<(HeaderName, HeaderValue), crate::Error> {
    let refuse = |e| crate::Error::InvalidRequest(crate::error::InvalidRequest::CallbackPayload(e));
    if payload.len() > MAX_PAYLOAD_BYTES {
        return Err(refuse(PayloadError::TooLong { len: payload.len() }));
    }
    if !payload.bytes().all(|b| b == b' ' || b.is_ascii_graphic()) {
        return Err(refuse(PayloadError::NotVisibleAscii));
    }
    let value =
        HeaderValue::from_str(payload).map_err(|_| refuse(PayloadError::NotVisibleAscii))?;
    Ok((HeaderName::from_static(CALLBACK_PAYLOAD_HEADER), value))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_header_safe_payloads_are_taken() {
        let (name, value) = callback_payload_header("order=42 step:2").unwrap();
        assert_eq!(name.as_str(), "x-callback-payload");
        assert_eq!(value.to_str().unwrap(), "order=42 step:2");
        for bad in ["line\nbreak", "caf\u{e9}", "tab\there"] {
            let err = callback_payload_header(bad).unwrap_err();
            assert!(matches!(err, crate::Error::InvalidRequest(_)), "{err:?}");
        }
        assert!(callback_payload_header(&"x".repeat(1025)).is_err());
    }
}
