//! A success answer decoded into the generated type: progenitor's
//! `ResponseValue::from_response`, with the answer's headers moved into the
//! `ResponseValue` instead of copied, and nothing MX sent lost in silence.

use progenitor_client::{Error, ResponseValue};
use serde::de::{DeserializeOwned, Error as _, IgnoredAny};

/// What an answer type's fields are (the pipeline implements it for every
/// generated answer type).
pub trait Fields {
    /// The JSON names of its fields.
    const NAMES: &'static [&'static str];
    /// Whether a decoded value holds none of them (every optional field
    /// absent, every list empty).
    fn all_absent(&self) -> bool;
}

/// The answer's JSON body as `T`, with its status and headers.
pub async fn json_response<T: DeserializeOwned + Fields, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    let inner = decode(&body).map_err(|e| Error::InvalidResponsePayload(body, e))?;
    Ok(ResponseValue::new(inner, status, headers))
}

/// `body` as `T`. An object none of whose keys is a field of `T` (MX's
/// `{"transaction": {…}}` read as a type with `transactions`) is refused:
/// decoded, it would be an empty value, and the call would succeed with
/// none of what MX sent. Only a value with every field absent is looked at
/// again.
pub fn decode<T: DeserializeOwned + Fields>(body: &[u8]) -> Result<T, serde_json::Error> {
    let value: T = serde_json::from_slice(body)?;
    if value.all_absent() {
        known_keys(body, T::NAMES)?;
    }
    Ok(value)
}

/// Refuses an object with keys, none of them in `names`.
fn known_keys(body: &[u8], names: &[&str]) -> Result<(), serde_json::Error> {
    let Ok(keys) = serde_json::from_slice::<std::collections::BTreeMap<String, IgnoredAny>>(body)
    else {
        return Ok(());
    };
    if keys.is_empty() || keys.keys().any(|k| names.contains(&k.as_str())) {
        return Ok(());
    }
    let got: Vec<&str> = keys.keys().map(String::as_str).collect();
    Err(serde_json::Error::custom(format!(
        "none of the answer's keys ({}) is a field of the documented answer ({}): decoded, it would hold nothing",
        got.join(", "),
        names.join(", ")
    )))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug, Default)]
    struct Transactions {
        #[serde(default)]
        transactions: Vec<serde_json::Value>,
        pagination: Option<serde_json::Value>,
    }

    impl Fields for Transactions {
        const NAMES: &'static [&'static str] = &["transactions", "pagination"];
        fn all_absent(&self) -> bool {
            self.transactions.is_empty() && self.pagination.is_none()
        }
    }

    #[test]
    fn an_answer_with_none_of_the_fields_is_refused_and_others_decode() {
        let e = decode::<Transactions>(br#"{"transaction": {"guid": "TRN-1"}}"#).unwrap_err();
        assert!(
            e.to_string()
                .contains("none of the answer's keys (transaction)"),
            "{e}"
        );
        // Empty, or the documented keys with nothing in them: nothing lost.
        assert!(decode::<Transactions>(b"{}").is_ok());
        assert!(decode::<Transactions>(br#"{"transactions": [], "extra": 1}"#).is_ok());
        let t = decode::<Transactions>(br#"{"transactions": [{"guid": "TRN-1"}]}"#).unwrap();
        assert_eq!(t.transactions.len(), 1);
    }
}
