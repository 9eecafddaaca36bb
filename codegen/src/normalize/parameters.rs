//! Pass: an operation's parameters. The path template and the path
//! parameters agree; the headers the API sends as constants are not
//! arguments; array twins of a query parameter keep a name of their own.

use std::collections::BTreeSet;
use std::path::Path;

use openapiv3::{Components, Operation, Parameter, ReferenceOr, SchemaKind, Type};

use crate::error::SpecError;
use crate::openapi::{path_template_params, resolve};

/// Checks that the path template's `{name}`s and the declared path
/// parameters (the path item's and the operation's) are the same set.
pub(super) fn check_path(
    file: &Path,
    at: &str,
    path: &str,
    shared: &[ReferenceOr<Parameter>],
    op: &Operation,
    components: &Components,
) -> Result<(), SpecError> {
    let mut declared = BTreeSet::new();
    for p in shared.iter().chain(op.parameters.iter()) {
        let p = resolve(p, &components.parameters).ok_or_else(|| {
            SpecError::at(
                file,
                at.to_string(),
                "a parameter $ref does not resolve",
                "define it under components/parameters",
            )
        })?;
        if let Parameter::Path { parameter_data, .. } = p {
            declared.insert(parameter_data.name.clone());
        }
    }
    let in_template: BTreeSet<String> = path_template_params(path).into_iter().collect();
    if let Some(missing) = in_template.difference(&declared).next() {
        return Err(SpecError::at(
            file,
            at.to_string(),
            format!("the path has `{{{missing}}}` but the operation declares no path parameter `{missing}`"),
            format!("add a parameter `{{name: {missing}, in: path, required: true, schema: {{type: string}}}}`"),
        ));
    }
    if let Some(extra) = declared.difference(&in_template).next() {
        return Err(SpecError::at(
            file,
            at.to_string(),
            format!("path parameter `{extra}` does not appear in the path `{path}`"),
            format!("put `{{{extra}}}` in the path, or declare `{extra}` as a query parameter"),
        ));
    }
    Ok(())
}

/// The headers the runtime sends from an operation's documented media
/// types (the wire table), whatever a spec declares as parameters.
const MEDIA_HEADERS: [&str; 2] = ["Accept", "Content-Type"];

/// Removes the header parameters the runtime sends itself: the API's
/// constants (MX's `Accept-Version`: a required header parameter with a
/// default in v20250224, which would make every call ask for it) and the
/// media headers (`Accept`, a required parameter of seven v20250224
/// operations, which the runtime sets from the documented answer anyway).
/// A declared default or set of values that does not hold a constant
/// fails, naming the place.
pub(super) fn strip_constant_headers(
    file: &Path,
    at: &str,
    params: &mut Vec<ReferenceOr<Parameter>>,
    components: &Components,
    constant: &[(String, String)],
) -> Result<(), SpecError> {
    let mut kept = Vec::with_capacity(params.len());
    for p in std::mem::take(params) {
        let Some(Parameter::Header { parameter_data, .. }) = resolve(&p, &components.parameters)
        else {
            kept.push(p);
            continue;
        };
        if MEDIA_HEADERS
            .iter()
            .any(|m| m.eq_ignore_ascii_case(&parameter_data.name))
        {
            continue;
        }
        let Some((name, value)) = constant
            .iter()
            .find(|(name, _)| name.eq_ignore_ascii_case(&parameter_data.name))
        else {
            kept.push(p);
            continue;
        };
        let declared = declared_values(parameter_data);
        if !declared.is_empty() && !declared.iter().any(|d| d == value) {
            return Err(SpecError::at(
                file,
                at.to_string(),
                format!(
                    "the header parameter `{}` declares {} but the client sends `{name}: {value}`",
                    parameter_data.name,
                    declared.join(", ")
                ),
                format!(
                    "if the spec moved to another version, vendor it as a new API beside this one (mx-specs APIS, specs/src/lib.rs), or correct the spec's `{}`",
                    parameter_data.name
                ),
            ));
        }
    }
    *params = kept;
    Ok(())
}

/// The values a parameter's schema declares: its default and its enum.
fn declared_values(data: &openapiv3::ParameterData) -> Vec<String> {
    let openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) = &data.format
    else {
        return Vec::new();
    };
    let mut out: Vec<String> = schema
        .schema_data
        .default
        .iter()
        .filter_map(|v| v.as_str().map(str::to_string))
        .collect();
    if let SchemaKind::Type(Type::String(s)) = &schema.schema_kind {
        out.extend(s.enumeration.iter().flatten().cloned());
    }
    out
}

/// MX's Platform spec takes `category_guid` (one value) beside
/// `category_guid[]` (any number of them) on its transaction lists: both
/// would become the Rust parameter `category_guid`, which does not compile.
/// The array twin is generated as `<name>s` (`category_guids`) and sent
/// under its spec name (`category_guid[]=…&category_guid[]=…`, the spec's
/// form style): returns (generated name, wire name) for the send rewrite.
pub(super) fn rename_array_twins(
    file: &Path,
    at: &str,
    op: &mut Operation,
    components: &Components,
) -> Result<Vec<(String, String)>, SpecError> {
    let query_name = |p: &ReferenceOr<Parameter>| match resolve(p, &components.parameters) {
        Some(Parameter::Query { parameter_data, .. }) => Some(parameter_data.name.clone()),
        _ => None,
    };
    let names: BTreeSet<String> = op.parameters.iter().filter_map(query_name).collect();
    let mut renames = Vec::new();
    for p in op.parameters.iter_mut() {
        let Some(wire) = query_name(p) else { continue };
        let Some(plain) = wire.strip_suffix("[]") else {
            continue;
        };
        if !names.contains(plain) {
            continue;
        }
        let generated = format!("{plain}s");
        if names.contains(&generated) {
            return Err(SpecError::at(
                file,
                format!("{at}/parameters"),
                format!("the query parameters `{plain}` and `{wire}` would both be generated as `{plain}`, and `{generated}` is taken"),
                format!("rename one of `{plain}`, `{wire}` and `{generated}` in an overlay"),
            ));
        }
        let Some(mut resolved) = resolve(p, &components.parameters).cloned() else {
            continue;
        };
        if let Parameter::Query { parameter_data, .. } = &mut resolved {
            parameter_data.name = generated.clone();
        }
        *p = ReferenceOr::Item(resolved);
        renames.push((generated, wire));
    }
    Ok(renames)
}
