//! Pass: an operation's request body. One media type; JSON-like ones are
//! generated as JSON, and the documented one is recorded (sent as
//! `Content-Type`).

use std::path::Path;

use openapiv3::{Components, Operation, ReferenceOr, RequestBody};

use crate::error::{pointer, SpecError};
use crate::openapi::resolve;

/// Normalizes `op`'s request body (a `$ref` inlined) and returns its
/// documented media type; `at` points at the operation.
pub(super) fn request_body(
    file: &Path,
    at: &str,
    op: &mut Operation,
    components: &Components,
) -> Result<Option<String>, SpecError> {
    let Some(body) = op.request_body.as_mut() else {
        return Ok(None);
    };
    if let ReferenceOr::Reference { .. } = body {
        let resolved = resolve(body, &components.request_bodies)
            .cloned()
            .ok_or_else(|| {
                SpecError::at(
                    file,
                    format!("{at}/requestBody"),
                    "the requestBody $ref does not resolve",
                    "define it under components/requestBodies",
                )
            })?;
        *body = ReferenceOr::Item(resolved);
    }
    let ReferenceOr::Item(body) = body else {
        unreachable!("inlined above")
    };
    one_media_type(file, at, body).map(Some)
}

fn one_media_type(file: &Path, at: &str, body: &mut RequestBody) -> Result<String, SpecError> {
    let at_body = format!("{at}/requestBody/content");
    if body.content.len() != 1 {
        return Err(SpecError::at(
            file,
            at_body,
            format!(
                "the request body has {} media types; the generator takes exactly one",
                body.content.len()
            ),
            "keep the one media type the API documents for this operation",
        ));
    }
    let (media, mt) = body.content.pop().expect("one entry");
    if mt.schema.is_none() {
        return Err(SpecError::at(
            file,
            at_body,
            format!("request media type `{media}` has no schema"),
            "add a `schema` to it",
        ));
    }
    let generated = if mx_specs::is_json(&media) {
        "application/json".to_string()
    } else if media == "application/octet-stream" {
        media.clone()
    } else {
        return Err(SpecError::at(
            file,
            format!(
                "{at_body}/{}",
                pointer([media.as_str()]).trim_start_matches('/')
            ),
            format!("request media type `{media}` is not supported"),
            "use application/json, a +json vendor type, or application/octet-stream",
        ));
    };
    body.content.insert(generated, mt);
    Ok(media)
}
