//! Pass: an operation's answers. The 2xx are kept (JSON-like ones typed as
//! JSON); the rest are recorded and removed, so that every error reaches
//! the hand-written layer with its body intact.

use std::path::Path;

use openapiv3::{Components, MediaType, Operation, ReferenceOr, Response};

use crate::error::{pointer, SpecError};
use crate::openapi::{is_success, resolve, status_key};

/// What the answers of one operation say about the wire.
pub(super) struct Answers {
    /// The media type of the first documented success body.
    pub media: Option<String>,
    /// The documented success statuses.
    pub success: Vec<String>,
    /// The documented error statuses and their descriptions.
    pub errors: Vec<(String, String)>,
}

/// Normalizes `op`'s responses; `at` points at the operation.
pub(super) fn answers(
    file: &Path,
    at: &str,
    op: &mut Operation,
    components: &Components,
) -> Result<Answers, SpecError> {
    let at_resp = format!("{at}/responses");
    if op.responses.responses.is_empty() && op.responses.default.is_none() {
        return Err(SpecError::at(
            file,
            at_resp,
            "the operation documents no responses",
            "add `responses:` with at least the success status, e.g. '200' with its content",
        ));
    }
    let mut out = Answers {
        media: None,
        success: Vec::new(),
        errors: Vec::new(),
    };
    let mut kept = indexmap::IndexMap::new();
    for (code, resp) in std::mem::take(&mut op.responses.responses) {
        let at_code = format!("{at_resp}/{}", status_key(&code));
        let mut resolved: Response =
            resolve(&resp, &components.responses)
                .cloned()
                .ok_or_else(|| {
                    SpecError::at(
                        file,
                        at_code.clone(),
                        "the response $ref does not resolve",
                        "define it under components/responses",
                    )
                })?;
        if !is_success(&code) {
            out.errors
                .push((status_key(&code), resolved.description.clone()));
            continue;
        }
        out.success.push(status_key(&code));
        resolved.content = json_as_json(file, &at_code, resolved.content, &mut out.media)?;
        kept.insert(code, ReferenceOr::Item(resolved));
    }
    if let Some(default) = op.responses.default.take() {
        if let Some(d) = resolve(&default, &components.responses) {
            out.errors.push(("default".into(), d.description.clone()));
        }
    }
    crate::responses::one_success_type(file, &at_resp, &mut kept)?;
    op.responses.responses = kept;
    Ok(out)
}

/// A success answer's content with its JSON-like media type generated as
/// `application/json`; the first media type seen is recorded in `first`.
fn json_as_json(
    file: &Path,
    at_code: &str,
    content: indexmap::IndexMap<String, MediaType>,
    first: &mut Option<String>,
) -> Result<indexmap::IndexMap<String, MediaType>, SpecError> {
    let mut out = indexmap::IndexMap::new();
    for (media, mt) in content {
        if first.is_none() {
            *first = Some(media.clone());
        }
        if mx_specs::is_json(&media) {
            if mt.schema.is_none() {
                return Err(SpecError::at(
                    file,
                    format!("{at_code}/content{}", pointer([media.as_str()])),
                    format!("JSON response `{media}` has no schema"),
                    "add a `schema` to it",
                ));
            }
            out.insert("application/json".to_string(), mt);
        } else {
            out.insert(media, mt);
        }
    }
    if out.len() > 1 {
        return Err(SpecError::at(
            file,
            format!("{at_code}/content"),
            "the response has more than one media type; the generator takes one",
            "keep the one media type the API answers with",
        ));
    }
    Ok(out)
}
