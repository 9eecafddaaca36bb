//! Reading a spec file into `openapiv3::OpenAPI`, with errors that point at
//! the line and column.

use std::path::Path;

use openapiv3::OpenAPI;

use crate::error::{Location, SpecError};

/// The largest spec the pipeline reads. MX's whole Nexus spec is well under
/// 2 MiB; anything near this is a mistake (a log, a binary) rather than a spec.
pub const MAX_SPEC_BYTES: usize = 16 * 1024 * 1024;

/// Reads and parses the spec at `path`.
pub fn load(path: &Path) -> Result<OpenAPI, SpecError> {
    let meta = std::fs::metadata(path).map_err(|e| {
        SpecError::new(
            path,
            Location::File,
            format!("cannot read the spec: {e}"),
            "check the path; specs live under specs/<api>/ (e.g. specs/nexus/v1.yaml)",
        )
    })?;
    if meta.len() > MAX_SPEC_BYTES as u64 {
        return Err(too_large(path, meta.len() as usize));
    }
    let text = std::fs::read_to_string(path).map_err(|e| {
        SpecError::new(
            path,
            Location::File,
            format!("cannot read the spec as UTF-8 text: {e}"),
            "save the spec as UTF-8 YAML or JSON",
        )
    })?;
    parse(path, &text)
}

fn too_large(path: &Path, len: usize) -> SpecError {
    SpecError::new(
        path,
        Location::File,
        format!("the spec is {len} bytes, over the {MAX_SPEC_BYTES}-byte limit"),
        "point the pipeline at an OpenAPI document, not a larger file",
    )
}

/// Reads the spec at `path` and lays the overlay at `overlay` over it: an
/// OpenAPI fragment whose mappings are merged key by key into the spec's
/// (overlay values win; sequences are replaced). It holds what the API's
/// docs state in prose but the vendored spec lacks, so the vendored file can
/// stay exactly as upstream publishes it.
pub fn load_with_overlay(path: &Path, overlay: &Path) -> Result<OpenAPI, SpecError> {
    let spec = load(path)?;
    let text = std::fs::read_to_string(overlay).map_err(|e| {
        SpecError::new(
            overlay,
            Location::File,
            format!("cannot read the overlay: {e}"),
            "check the path, or remove the overlay from the configuration",
        )
    })?;
    let layer: serde_yaml::Value =
        serde_yaml::from_str(&text).map_err(|e| yaml_error(overlay, &e))?;
    if !layer.is_mapping() {
        return Err(SpecError::at(
            overlay,
            "",
            "the overlay's root is not a mapping",
            "write the overlay as a fragment of an OpenAPI document (components:, paths:)",
        ));
    }
    let mut base = serde_yaml::to_value(&spec).expect("an OpenAPI value serializes");
    mx_specs::merge(&mut base, layer);
    serde_yaml::from_value(base).map_err(|e| {
        SpecError::new(
            overlay,
            Location::File,
            format!("the spec with this overlay is not valid OpenAPI 3.0: {e}"),
            "make the overlay's additions follow the OpenAPI 3.0 schema",
        )
    })
}

/// Parses spec text; `path` only names it in errors.
pub fn parse(path: &Path, text: &str) -> Result<OpenAPI, SpecError> {
    if text.len() > MAX_SPEC_BYTES {
        return Err(too_large(path, text.len()));
    }
    if text.trim().is_empty() {
        return Err(SpecError::new(
            path,
            Location::File,
            "the spec is empty",
            "write an OpenAPI 3.0 document (openapi: 3.0.3, info, paths)",
        ));
    }
    // First as plain YAML, so syntax errors carry their line and column and
    // the root and version can be checked before the typed parse.
    let value: serde_yaml::Value = serde_yaml::from_str(text).map_err(|e| yaml_error(path, &e))?;
    let root = value.as_mapping().ok_or_else(|| {
        SpecError::at(
            path,
            "",
            format!("the document root is {}, not a mapping", yaml_kind(&value)),
            "an OpenAPI document is a mapping with the keys openapi, info and paths",
        )
    })?;
    match root.get("openapi") {
        None => {
            return Err(SpecError::at(
                path,
                "/openapi",
                "the document has no `openapi` version field",
                "add `openapi: 3.0.3` at the top (Swagger 2.0 documents must be converted first)",
            ))
        }
        Some(serde_yaml::Value::String(v)) if v.starts_with("3.0") => {}
        Some(other) => {
            let shown = match other {
                serde_yaml::Value::String(s) => s.clone(),
                v => format!("{v:?}"),
            };
            return Err(SpecError::at(
                path,
                "/openapi",
                format!("OpenAPI version {shown} is not supported; the pipeline reads OpenAPI 3.0.x"),
                "write the spec as OpenAPI 3.0 (`openapi: 3.0.3`); 3.1 features such as type lists are not understood by the generator",
            ));
        }
    }
    serde_yaml::from_str::<OpenAPI>(text).map_err(|e| {
        let mut err = yaml_error(path, &e);
        err.message = err.message.replacen("invalid YAML", "not valid OpenAPI 3.0", 1);
        err.fix = "make this part of the document follow the OpenAPI 3.0 schema (required keys such as `responses`, key names, $ref values as strings)".into();
        err
    })
}

fn yaml_kind(v: &serde_yaml::Value) -> &'static str {
    match v {
        serde_yaml::Value::Null => "null",
        serde_yaml::Value::Bool(_) => "a boolean",
        serde_yaml::Value::Number(_) => "a number",
        serde_yaml::Value::String(_) => "a string",
        serde_yaml::Value::Sequence(_) => "a sequence",
        serde_yaml::Value::Mapping(_) => "a mapping",
        serde_yaml::Value::Tagged(_) => "a tagged value",
    }
}

fn yaml_error(path: &Path, e: &serde_yaml::Error) -> SpecError {
    let location = match e.location() {
        Some(l) => Location::LineColumn {
            line: l.line(),
            column: l.column(),
        },
        None => Location::File,
    };
    // serde_yaml appends " at line X column Y"; the location says it already.
    let mut message = e.to_string();
    if let Some(i) = message.find(" at line ") {
        message.truncate(i);
    }
    SpecError::new(
        path,
        location,
        format!("invalid YAML: {message}"),
        "correct the YAML at that place (indentation, quoting of strings with ':' or '#')",
    )
}
