//! Pass: which security headers each operation sends.

use std::collections::BTreeMap;
use std::path::Path;

use openapiv3::{OpenAPI, SecurityRequirement};

use crate::error::SpecError;

/// The security schemes the runtime can send, by name: the header each
/// travels in (an API key's own header; `Authorization` for HTTP Basic and
/// bearer).
pub(super) struct Schemes(BTreeMap<String, String>);

impl Schemes {
    pub(super) fn of(spec: &OpenAPI) -> Self {
        Schemes(
            crate::wire::declared_schemes(spec)
                .into_iter()
                .map(|s| (s.name, crate::wire::header_of(&s.kind).to_string()))
                .collect(),
        )
    }

    /// (scheme, header) of the requirement the client satisfies (the
    /// first); a scheme it cannot send fails, naming the place.
    pub(super) fn headers_of(
        &self,
        file: &Path,
        reqs: &[SecurityRequirement],
        at: &str,
    ) -> Result<Vec<(String, String)>, SpecError> {
        let mut out = Vec::new();
        if let Some(req) = reqs.first() {
            for scheme in req.keys() {
                match self.0.get(scheme) {
                    Some(h) => out.push((scheme.clone(), h.clone())),
                    None => return Err(SpecError::at(
                        file,
                        at.to_string(),
                        format!("security scheme `{scheme}` is neither an API key in a header, HTTP Basic nor a bearer token"),
                        "declare it under components/securitySchemes as `type: apiKey, in: header`, `type: http, scheme: basic` or `type: http, scheme: bearer`",
                    )),
                }
            }
        }
        Ok(out)
    }
}
