//! Success responses progenitor cannot take together.
//!
//! progenitor gives an operation one success type: every 2xx it generates
//! must have the same body type (it asserts so). Two shapes of MX answers
//! break that:
//!
//! - a 2xx with a body beside one without (the MFA-challenges list: 200
//!   with the challenges, 204 when there is nothing to answer). The bodyless
//!   status is removed from what progenitor sees; the wire table still lists
//!   it among the operation's success statuses, and the generated `send()`
//!   returns it as an undocumented-to-progenitor success
//!   (`Error::UnexpectedResponse` with that status), which the hand-written
//!   layer recognises as documented and empty.
//! - two 2xx with different body schemas: refused with a clear error rather
//!   than progenitor's panic.
//!
//! Two 2xx with the same body (a job's 200 and 202) need nothing: progenitor
//! decodes both into the one type, and `ResponseValue::status()` tells them
//! apart.

use openapiv3::{ReferenceOr, Response, StatusCode};

use crate::error::SpecError;
use crate::openapi::is_success;

fn body_schema(resp: &ReferenceOr<Response>) -> Option<serde_json::Value> {
    let ReferenceOr::Item(resp) = resp else {
        return None;
    };
    let mt = resp.content.values().next()?;
    Some(serde_json::to_value(&mt.schema).expect("a schema serializes"))
}

/// Removes the bodyless 2xx responses of an operation that also has a 2xx
/// with a body, and refuses 2xx bodies of different schemas. `responses`
/// holds resolved responses (as the normalizer keeps them); `at` points at
/// the operation's `responses` for errors. Returns the removed statuses.
pub fn one_success_type(
    file: &std::path::Path,
    at: &str,
    responses: &mut indexmap::IndexMap<StatusCode, ReferenceOr<Response>>,
) -> Result<Vec<StatusCode>, SpecError> {
    let mut bodies = responses
        .iter()
        .filter(|(c, _)| is_success(c))
        .filter_map(|(c, r)| Some((c.clone(), body_schema(r)?)));
    let Some((first_code, first)) = bodies.next() else {
        return Ok(Vec::new());
    };
    if let Some((code, _)) = bodies.find(|(_, s)| *s != first) {
        return Err(SpecError::at(
            file,
            at.to_string(),
            format!("success statuses {first_code} and {code} answer different body schemas; the generator takes one"),
            "give every 2xx the same schema (e.g. a $ref to one component), or leave one of them without content",
        ));
    }
    let bodyless: Vec<StatusCode> = responses
        .iter()
        .filter(|(c, r)| is_success(c) && body_schema(r).is_none())
        .map(|(c, _)| c.clone())
        .collect();
    for c in &bodyless {
        responses.shift_remove(c);
    }
    Ok(bodyless)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn responses(yaml: &str) -> indexmap::IndexMap<StatusCode, ReferenceOr<Response>> {
        let r: openapiv3::Responses = serde_yaml::from_str(yaml).unwrap();
        r.responses
    }

    #[test]
    fn a_bodyless_2xx_beside_a_body_is_removed() {
        let mut r = responses(
            "'200': {description: OK, content: {application/json: {schema: {type: string}}}}\n\
             '204': {description: none}\n\
             '404': {description: missing}\n",
        );
        let removed = one_success_type(std::path::Path::new("x.yaml"), "/paths", &mut r).unwrap();
        assert_eq!(removed, vec![StatusCode::Code(204)]);
        assert_eq!(
            r.keys().cloned().collect::<Vec<_>>(),
            vec![StatusCode::Code(200), StatusCode::Code(404)]
        );
    }

    #[test]
    fn same_bodies_and_bodyless_only_are_left_alone() {
        let same = "'200': {description: OK, content: {application/json: {schema: {$ref: '#/components/schemas/M'}}}}\n\
                    '202': {description: Accepted, content: {application/json: {schema: {$ref: '#/components/schemas/M'}}}}\n";
        let mut r = responses(same);
        assert!(one_success_type(std::path::Path::new("x.yaml"), "", &mut r)
            .unwrap()
            .is_empty());
        assert_eq!(r.len(), 2);
        let mut r = responses("'204': {description: none}\n");
        assert!(one_success_type(std::path::Path::new("x.yaml"), "", &mut r)
            .unwrap()
            .is_empty());
        assert_eq!(r.len(), 1);
    }

    #[test]
    fn different_bodies_are_a_clear_error() {
        let mut r = responses(
            "'200': {description: OK, content: {application/json: {schema: {type: string}}}}\n\
             '202': {description: OK, content: {application/json: {schema: {type: integer}}}}\n",
        );
        let e = one_success_type(
            std::path::Path::new("x.yaml"),
            "/paths/~1a/get/responses",
            &mut r,
        )
        .unwrap_err();
        assert!(e.to_string().contains("200 and 202"), "{e}");
    }
}
