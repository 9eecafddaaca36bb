//! Pass: the schemas' properties. Deprecations and `x-mx-decode` are
//! recorded for the code passes; type overrides are marked (`x-rust-type`)
//! on component schemas and on the inline schemas of bodies.

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{OpenAPI, ReferenceOr};

use super::LENIENT;
use crate::error::{pointer, SpecError};
use crate::openapi::operations_mut;
use crate::properties::{apply_overrides, visit_properties, TypeOverride};

/// What the property walk records.
#[derive(Default)]
pub(super) struct Marks {
    /// (component schema, property) marked `deprecated: true`.
    pub deprecated: BTreeSet<(String, String)>,
    /// (component schema, property, decoding) of `x-mx-decode`.
    pub lenient: BTreeSet<(String, String, String)>,
}

/// Walks every schema's properties (see the module doc).
pub(super) fn properties(
    file: &Path,
    spec: &mut OpenAPI,
    overrides: &[TypeOverride],
) -> Result<Marks, SpecError> {
    let mut marks = Marks::default();
    if let Some(components) = spec.components.as_mut() {
        for (name, schema) in components.schemas.iter_mut() {
            let ReferenceOr::Item(schema) = schema else {
                continue;
            };
            lenient_of(
                file,
                name,
                &schema.schema_data.extensions,
                &mut marks.lenient,
            )?;
            visit_properties(name, schema, &mut |owner, prop, s| {
                if owner == name && s.schema_data.deprecated {
                    marks
                        .deprecated
                        .insert((owner.to_string(), prop.to_string()));
                }
                apply_overrides(overrides, owner, prop, s);
            });
        }
    }
    inline_bodies(spec, overrides);
    Ok(marks)
}

/// The `x-mx-decode` map of schema `name`, checked against the decodings
/// the runtime has.
fn lenient_of(
    file: &Path,
    name: &str,
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
    out: &mut BTreeSet<(String, String, String)>,
) -> Result<(), SpecError> {
    let Some(map) = extensions.get(LENIENT) else {
        return Ok(());
    };
    let forms = map.as_object().ok_or_else(|| {
        SpecError::at(
            file,
            pointer(["components", "schemas", name, LENIENT]),
            format!("`{LENIENT}` is not a map of property to decoding"),
            format!("write `{LENIENT}: {{property: number_or_string}}`"),
        )
    })?;
    for (prop, form) in forms {
        let form = form.as_str().unwrap_or_default();
        if !crate::rewrite::LENIENT_FORMS.contains(&form) {
            return Err(SpecError::at(
                file,
                pointer(["components", "schemas", name, LENIENT, prop]),
                format!("`{LENIENT}` gives `{prop}` the decoding `{form}`, which the runtime does not have"),
                format!("use one of: {}", crate::rewrite::LENIENT_FORMS.join(", ")),
            ));
        }
        out.insert((name.to_string(), prop.clone(), form.to_string()));
    }
    Ok(())
}

/// The type overrides, on the inline schemas of bodies.
fn inline_bodies(spec: &mut OpenAPI, overrides: &[TypeOverride]) {
    for item in spec.paths.paths.values_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, op) in operations_mut(item) {
            let mut media = Vec::new();
            if let Some(ReferenceOr::Item(b)) = op.request_body.as_mut() {
                media.extend(b.content.values_mut());
            }
            for r in op.responses.responses.values_mut() {
                if let ReferenceOr::Item(r) = r {
                    media.extend(r.content.values_mut());
                }
            }
            for mt in media {
                if let Some(ReferenceOr::Item(s)) = mt.schema.as_mut() {
                    visit_properties("", s, &mut |owner, prop, s| {
                        apply_overrides(overrides, owner, prop, s)
                    });
                }
            }
        }
    }
}
