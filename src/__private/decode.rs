//! A success answer decoded into the generated type: progenitor's
//! `ResponseValue::from_response`, with the answer's headers moved into the
//! `ResponseValue` instead of copied.

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// The answer's JSON body as `T`, with its status and headers.
pub async fn json_response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    let inner =
        serde_json::from_slice(&body).map_err(|e| Error::InvalidResponsePayload(body, e))?;
    Ok(ResponseValue::new(inner, status, headers))
}
