//! Pass: every `$ref` of the document resolves.

use std::path::Path;

use openapiv3::OpenAPI;

use crate::error::{pointer, SpecError};

/// Checks every `$ref` in the document resolves, wherever it stands.
pub(super) fn check_refs(file: &Path, spec: &OpenAPI) -> Result<(), SpecError> {
    let root = serde_json::to_value(spec).expect("an OpenAPI value serializes");
    fn walk(
        file: &Path,
        root: &serde_json::Value,
        v: &serde_json::Value,
        at: &mut Vec<String>,
    ) -> Result<(), SpecError> {
        match v {
            serde_json::Value::Object(map) => {
                if let Some(serde_json::Value::String(r)) = map.get("$ref") {
                    let target = r.strip_prefix('#').ok_or_else(|| {
                        SpecError::at(
                            file,
                            pointer(at.iter().map(String::as_str)),
                            format!("`$ref: {r}` points outside this document"),
                            "inline the referenced schema into this spec, or point at '#/components/...'",
                        )
                    })?;
                    if root.pointer(target).is_none() {
                        return Err(SpecError::at(
                            file,
                            pointer(at.iter().map(String::as_str)),
                            format!("`$ref: {r}` does not resolve"),
                            "define the target under components, or correct the name (names are case-sensitive)",
                        ));
                    }
                }
                for (k, v) in map {
                    at.push(k.clone());
                    walk(file, root, v, at)?;
                    at.pop();
                }
            }
            serde_json::Value::Array(items) => {
                for (i, v) in items.iter().enumerate() {
                    at.push(i.to_string());
                    walk(file, root, v, at)?;
                    at.pop();
                }
            }
            _ => {}
        }
        Ok(())
    }
    walk(file, &root, &root, &mut Vec::new())
}
