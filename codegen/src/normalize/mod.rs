//! Turning an MX spec into one progenitor can take, while recording every
//! fact progenitor would drop (media types, servers, security headers,
//! documented error statuses) in a [`WireTable`]: one function per pass,
//! each in the file of its kind (`refs`, `security`, `parameters`,
//! `bodies`, `answers`, `pagination`, `schemas`), as prost-build splits its
//! generator.

mod answers;
mod bodies;
mod pagination;
mod parameters;
mod refs;
mod schemas;
mod security;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::{Components, OpenAPI, Operation, Parameter, ReferenceOr};

use crate::error::{pointer, SpecError};
use crate::openapi::operations_mut;
pub use crate::properties::TypeOverride;
use crate::wire::{OperationWire, ServerWire, WireTable};

/// What normalization keeps apart from the spec progenitor sees.
#[derive(Debug, Clone, Default)]
pub struct Normalized {
    /// The per-operation facts of the real wire format.
    pub wire: WireTable,
    /// Properties marked `deprecated: true`: (component schema, property).
    pub deprecated: BTreeSet<(String, String)>,
    /// Properties an overlay marks `x-mx-decode` (MX's sources disagree on
    /// their type): (component schema, property, the form to decode).
    pub lenient: BTreeSet<(String, String, String)>,
}

/// The extension of an object schema that names the lenient decoding of
/// some of its properties: a map from property to one of the runtime's `de`
/// helpers (`number_or_string`, `one_or_list`). On the object, not the
/// property, so that a `$ref` property can carry one.
pub const LENIENT: &str = "x-mx-decode";

pub use crate::openapi::METHODS;
pub use mx_specs::is_json;

/// What every operation's pass needs of the whole spec.
struct Context<'a> {
    file: &'a Path,
    components: Components,
    schemes: security::Schemes,
    global_security: Vec<(String, String)>,
    constant_headers: &'a [(String, String)],
}

/// Normalizes `spec` in place for progenitor and returns what it recorded.
pub fn normalize(
    file: &Path,
    spec: &mut OpenAPI,
    overrides: &[TypeOverride],
    constant_headers: &[(String, String)],
) -> Result<Normalized, SpecError> {
    refs::check_refs(file, spec)?;
    let schemes = security::Schemes::of(spec);
    let global_security =
        schemes.headers_of(file, spec.security.as_deref().unwrap_or(&[]), "/security")?;
    let cx = Context {
        file,
        components: spec.components.clone().unwrap_or_default(),
        schemes,
        global_security,
        constant_headers,
    };
    let mut wire = WireTable {
        title: spec.info.title.clone(),
        default_accept: None,
        json_accept: None,
        servers: spec
            .servers
            .iter()
            .map(|s| ServerWire {
                url: s.url.clone(),
                description: s.description.clone(),
            })
            .collect(),
        constant_headers: constant_headers.to_vec(),
        operations: operations(&cx, spec)?,
    };
    wire.operations.sort_by(|a, b| a.name.cmp(&b.name));
    wire.default_accept = most_common_json(&wire.operations);
    let marks = schemas::properties(file, spec, overrides)?;
    Ok(Normalized {
        wire,
        deprecated: marks.deprecated,
        lenient: marks.lenient,
    })
}

/// Every operation, normalized, with its wire facts; an operationId used
/// twice fails.
fn operations(cx: &Context<'_>, spec: &mut OpenAPI) -> Result<Vec<OperationWire>, SpecError> {
    let mut out = Vec::new();
    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            return Err(SpecError::at(
                cx.file,
                pointer(["paths", path]),
                "path items given by $ref are not supported",
                "write the path item inline",
            ));
        };
        parameters::strip_constant_headers(
            cx.file,
            &pointer(["paths", path.as_str(), "parameters"]),
            &mut item.parameters,
            &cx.components,
            cx.constant_headers,
        )?;
        let shared: Vec<ReferenceOr<Parameter>> = item.parameters.clone();
        for (method, op) in operations_mut(item) {
            let wire = operation(cx, path, method, &shared, op)?;
            let at = pointer(["paths", path.as_str(), method]);
            if let Some(first) = seen_ids.insert(wire.id.clone(), at.clone()) {
                return Err(SpecError::at(
                    cx.file,
                    at,
                    format!("operationId `{}` is used twice (first at {first})", wire.id),
                    "give each operation its own operationId",
                ));
            }
            out.push(wire);
        }
    }
    Ok(out)
}

/// One operation through every pass; its wire facts.
fn operation(
    cx: &Context<'_>,
    path: &str,
    method: &str,
    shared: &[ReferenceOr<Parameter>],
    op: &mut Operation,
) -> Result<OperationWire, SpecError> {
    let file = cx.file;
    let at = pointer(["paths", path, method]);
    let id = op.operation_id.clone().ok_or_else(|| {
        SpecError::at(
            file,
            at.clone(),
            format!("{} {path} has no operationId", method.to_uppercase()),
            "add `operationId: <name>`: it becomes the client's method name",
        )
    })?;
    parameters::strip_constant_headers(
        file,
        &format!("{at}/parameters"),
        &mut op.parameters,
        &cx.components,
        cx.constant_headers,
    )?;
    let query_renames = parameters::rename_array_twins(file, &at, op, &cx.components)?;
    parameters::check_path(file, &at, path, shared, op, &cx.components)?;
    let request_media = bodies::request_body(file, &at, op, &cx.components)?;
    let answers = answers::answers(file, &at, op, &cx.components)?;
    let security = match &op.security {
        Some(reqs) => cx
            .schemes
            .headers_of(file, reqs, &format!("{at}/security"))?,
        None => cx.global_security.clone(),
    };
    Ok(OperationWire {
        name: heck::ToSnakeCase::to_snake_case(id.as_str()),
        id,
        method: method.to_uppercase(),
        path: path.to_string(),
        tags: op.tags.clone(),
        request_media,
        response_media: answers.media,
        security,
        success: answers.success,
        errors: answers.errors,
        paginated: pagination::paginated_shape(op, &cx.components),
        query_renames,
    })
}

/// The JSON media type most operations answer with: the `Accept` of those
/// that document no answer body (MX refuses a request that names no API
/// version).
fn most_common_json(operations: &[OperationWire]) -> Option<String> {
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for media in operations
        .iter()
        .filter_map(|o| o.response_media.as_deref())
    {
        if is_json(media) {
            *counts.entry(media).or_default() += 1;
        }
    }
    counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(m, _)| m.to_string())
}
