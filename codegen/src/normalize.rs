//! Turning an MX spec into one progenitor can take, while recording every
//! fact progenitor would drop (media types, servers, security headers,
//! documented error statuses) in a [`WireTable`].

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::{
    OpenAPI, Operation, Parameter, ReferenceOr, RequestBody, Response, SchemaKind, StatusCode, Type,
};

use crate::error::{pointer, SpecError};
use crate::properties::{apply_overrides, visit_properties};
use crate::wire::{OperationWire, Paginated, ServerWire, WireTable};

/// Replaces the generated type of a property with a hand-written Rust type
/// (through typify's `x-rust-type`), e.g. a string enum with an `Unknown`
/// fallback.
#[derive(Debug, Clone)]
pub struct TypeOverride {
    /// The component schema that owns the property; `None` for any schema.
    pub schema: Option<String>,
    /// The property's JSON name.
    pub property: String,
    /// The crate the type lives in (as in Cargo.toml, e.g. `mx-client`).
    pub crate_name: String,
    /// The type's path, starting with the crate's identifier.
    pub rust_path: String,
}

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

pub use mx_specs::is_json;

/// The operation keys of an OpenAPI path item, in the order of
/// `openapiv3::PathItem`'s fields.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn operations_mut(item: &mut openapiv3::PathItem) -> Vec<(&'static str, &mut Operation)> {
    let openapiv3::PathItem {
        get,
        put,
        post,
        delete,
        options,
        head,
        patch,
        trace,
        ..
    } = item;
    [get, put, post, delete, options, head, patch, trace]
        .into_iter()
        .zip(METHODS)
        .filter_map(|(op, m)| op.as_mut().map(|op| (m, op)))
        .collect()
}

/// Checks every `$ref` in the document resolves, wherever it stands.
fn check_refs(file: &Path, spec: &OpenAPI) -> Result<(), SpecError> {
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

pub(crate) fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    section: &'a indexmap_alias::Map<ReferenceOr<T>>,
) -> Option<&'a T> {
    let mut cur = item;
    for _ in 0..16 {
        match cur {
            ReferenceOr::Item(t) => return Some(t),
            ReferenceOr::Reference { reference } => {
                let name = reference.rsplit('/').next()?;
                cur = section.get(name)?;
            }
        }
    }
    None
}

/// openapiv3's map type, named once.
mod indexmap_alias {
    pub type Map<T> = indexmap::IndexMap<String, T>;
}

fn path_template_params(path: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = path;
    while let Some(start) = rest.find('{') {
        let Some(len) = rest[start..].find('}') else {
            break;
        };
        out.push(rest[start + 1..start + len].to_string());
        rest = &rest[start + len + 1..];
    }
    out
}

fn status_key(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}

pub(crate) fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(c) => (200..300).contains(c),
        StatusCode::Range(r) => *r == 2,
    }
}

/// Normalizes `spec` in place for progenitor and returns what it recorded.
pub fn normalize(
    file: &Path,
    spec: &mut OpenAPI,
    overrides: &[TypeOverride],
    constant_headers: &[(String, String)],
) -> Result<Normalized, SpecError> {
    check_refs(file, spec)?;
    let components = spec.components.clone().unwrap_or_default();

    // Security schemes the runtime can send: scheme name -> header name
    // (an API key's own header; `Authorization` for HTTP Basic and bearer).
    let header_schemes: BTreeMap<String, String> = crate::wire::declared_schemes(spec)
        .into_iter()
        .map(|s| (s.name, crate::wire::header_of(&s.kind).to_string()))
        .collect();
    let headers_of = |reqs: &[openapiv3::SecurityRequirement], at: &str| {
        let mut out = Vec::new();
        // The first requirement object is the one the client satisfies.
        if let Some(req) = reqs.first() {
            for scheme in req.keys() {
                match header_schemes.get(scheme) {
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
    };
    let global_security = headers_of(spec.security.as_deref().unwrap_or(&[]), "/security")?;

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
        operations: Vec::new(),
    };

    let mut seen_ids: BTreeMap<String, String> = BTreeMap::new();
    for (path, item) in spec.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            return Err(SpecError::at(
                file,
                pointer(["paths", path]),
                "path items given by $ref are not supported",
                "write the path item inline",
            ));
        };
        let at_item = pointer(["paths", path.as_str(), "parameters"]);
        strip_constant_headers(
            file,
            &at_item,
            &mut item.parameters,
            &components,
            constant_headers,
        )?;
        let path_params: Vec<ReferenceOr<Parameter>> = item.parameters.clone();
        for (method, op) in operations_mut(item) {
            let at = pointer(["paths", path.as_str(), method]);
            let id = op.operation_id.clone().ok_or_else(|| {
                SpecError::at(
                    file,
                    at.clone(),
                    format!("{} {path} has no operationId", method.to_uppercase()),
                    "add `operationId: <name>`: it becomes the client's method name",
                )
            })?;
            if let Some(first) = seen_ids.insert(id.clone(), at.clone()) {
                return Err(SpecError::at(
                    file,
                    at.clone(),
                    format!("operationId `{id}` is used twice (first at {first})"),
                    "give each operation its own operationId",
                ));
            }

            strip_constant_headers(
                file,
                &format!("{at}/parameters"),
                &mut op.parameters,
                &components,
                constant_headers,
            )?;
            let query_renames = rename_array_twins(file, &at, op, &components)?;

            // Path parameters: the template and the declarations agree.
            let mut declared = BTreeSet::new();
            for p in path_params.iter().chain(op.parameters.iter()) {
                let p = resolve(p, &components.parameters).ok_or_else(|| {
                    SpecError::at(
                        file,
                        at.clone(),
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
                    at.clone(),
                    format!("the path has `{{{missing}}}` but the operation declares no path parameter `{missing}`"),
                    format!("add a parameter `{{name: {missing}, in: path, required: true, schema: {{type: string}}}}`"),
                ));
            }
            if let Some(extra) = declared.difference(&in_template).next() {
                return Err(SpecError::at(
                    file,
                    at.clone(),
                    format!("path parameter `{extra}` does not appear in the path `{path}`"),
                    format!(
                        "put `{{{extra}}}` in the path, or declare `{extra}` as a query parameter"
                    ),
                ));
            }

            // Request body: one media type, JSON-like ones generated as JSON.
            let mut request_media = None;
            if let Some(body) = op.request_body.as_mut() {
                let body: &mut RequestBody = match body {
                    ReferenceOr::Item(b) => b,
                    ReferenceOr::Reference { .. } => {
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
                        match body {
                            ReferenceOr::Item(b) => b,
                            ReferenceOr::Reference { .. } => unreachable!(),
                        }
                    }
                };
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
                let generated = if is_json(&media) {
                    "application/json".to_string()
                } else if media == "application/octet-stream" {
                    media.clone()
                } else {
                    return Err(SpecError::at(
                        file,
                        pointer([
                            "paths",
                            path.as_str(),
                            method,
                            "requestBody",
                            "content",
                            media.as_str(),
                        ]),
                        format!("request media type `{media}` is not supported"),
                        "use application/json, a +json vendor type, or application/octet-stream",
                    ));
                };
                body.content.insert(generated, mt);
                request_media = Some(media);
            }

            // Responses: 2xx kept (JSON-like typed as JSON); the rest recorded
            // and removed, so that every error reaches the hand-written layer
            // with its body intact.
            let at_resp = format!("{at}/responses");
            if op.responses.responses.is_empty() && op.responses.default.is_none() {
                return Err(SpecError::at(
                    file,
                    at_resp,
                    "the operation documents no responses",
                    "add `responses:` with at least the success status, e.g. '200' with its content",
                ));
            }
            let mut response_media = None;
            let mut success = Vec::new();
            let mut errors = Vec::new();
            let mut kept = indexmap::IndexMap::new();
            for (code, resp) in std::mem::take(&mut op.responses.responses) {
                let resolved: Response = resolve(&resp, &components.responses)
                    .cloned()
                    .ok_or_else(|| {
                        SpecError::at(
                            file,
                            format!("{at_resp}/{}", status_key(&code)),
                            "the response $ref does not resolve",
                            "define it under components/responses",
                        )
                    })?;
                if !is_success(&code) {
                    errors.push((status_key(&code), resolved.description.clone()));
                    continue;
                }
                success.push(status_key(&code));
                let mut resolved = resolved;
                let mut content = indexmap::IndexMap::new();
                for (media, mt) in std::mem::take(&mut resolved.content) {
                    if response_media.is_none() {
                        response_media = Some(media.clone());
                    }
                    if is_json(&media) {
                        if mt.schema.is_none() {
                            return Err(SpecError::at(
                                file,
                                pointer([
                                    "paths",
                                    path.as_str(),
                                    method,
                                    "responses",
                                    status_key(&code).as_str(),
                                    "content",
                                    media.as_str(),
                                ]),
                                format!("JSON response `{media}` has no schema"),
                                "add a `schema` to it",
                            ));
                        }
                        content.insert("application/json".to_string(), mt);
                    } else {
                        content.insert(media, mt);
                    }
                }
                if content.len() > 1 {
                    return Err(SpecError::at(
                        file,
                        format!("{at_resp}/{}/content", status_key(&code)),
                        "the response has more than one media type; the generator takes one",
                        "keep the one media type the API answers with",
                    ));
                }
                resolved.content = content;
                kept.insert(code, ReferenceOr::Item(resolved));
            }
            if let Some(default) = op.responses.default.take() {
                if let Some(d) = resolve(&default, &components.responses) {
                    errors.push(("default".into(), d.description.clone()));
                }
            }
            crate::responses::one_success_type(file, &at_resp, &mut kept)?;
            op.responses.responses = kept;

            let security = match &op.security {
                Some(reqs) => headers_of(reqs, &format!("{at}/security"))?,
                None => global_security.clone(),
            };
            let paginated = paginated_shape(op, &components);
            wire.operations.push(OperationWire {
                name: heck::ToSnakeCase::to_snake_case(id.as_str()),
                id,
                method: method.to_uppercase(),
                path: path.clone(),
                tags: op.tags.clone(),
                request_media,
                response_media,
                security,
                success,
                errors,
                paginated,
                query_renames,
            });
        }
    }
    wire.operations.sort_by(|a, b| a.name.cmp(&b.name));
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for media in wire
        .operations
        .iter()
        .filter_map(|o| o.response_media.as_deref())
    {
        if is_json(media) {
            *counts.entry(media).or_default() += 1;
        }
    }
    wire.default_accept = counts
        .into_iter()
        .max_by_key(|(_, n)| *n)
        .map(|(m, _)| m.to_string());

    let mut deprecated = BTreeSet::new();
    let mut lenient = BTreeSet::new();
    if let Some(components) = spec.components.as_mut() {
        for (name, schema) in components.schemas.iter_mut() {
            if let ReferenceOr::Item(schema) = schema {
                if let Some(map) = schema.schema_data.extensions.get(LENIENT) {
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
                        lenient.insert((name.clone(), prop.clone(), form.to_string()));
                    }
                }
                visit_properties(name, schema, &mut |owner, prop, s| {
                    if owner == name && s.schema_data.deprecated {
                        deprecated.insert((owner.to_string(), prop.to_string()));
                    }
                    apply_overrides(overrides, owner, prop, s);
                });
            }
        }
    }
    // Inline schemas of bodies get the same overrides.
    for item in spec.paths.paths.values_mut() {
        if let ReferenceOr::Item(item) = item {
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
    for (owner, prop, form) in &lenient {
        if !crate::rewrite::LENIENT_FORMS.contains(&form.as_str()) {
            return Err(SpecError::at(
                file,
                pointer(["components", "schemas", owner, LENIENT, prop]),
                format!("`{LENIENT}` gives `{prop}` the decoding `{form}`, which the runtime does not have"),
                format!("use one of: {}", crate::rewrite::LENIENT_FORMS.join(", ")),
            ));
        }
    }
    Ok(Normalized {
        wire,
        deprecated,
        lenient,
    })
}

/// Removes the header parameters the API sends as constants (MX's
/// `Accept-Version`: a required header parameter with a default in
/// v20250224, which would make every call ask for it): the runtime sends
/// them from the wire table. A declared default or set of values that does
/// not hold the constant fails, naming the place.
fn strip_constant_headers(
    file: &Path,
    at: &str,
    params: &mut Vec<ReferenceOr<Parameter>>,
    components: &openapiv3::Components,
    constant: &[(String, String)],
) -> Result<(), SpecError> {
    if constant.is_empty() {
        return Ok(());
    }
    let mut kept = Vec::with_capacity(params.len());
    for p in std::mem::take(params) {
        let Some(Parameter::Header { parameter_data, .. }) = resolve(&p, &components.parameters)
        else {
            kept.push(p);
            continue;
        };
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
fn rename_array_twins(
    file: &Path,
    at: &str,
    op: &mut Operation,
    components: &openapiv3::Components,
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

/// A list operation: takes `page` and answers with an object holding one
/// array of `$ref` items and a `pagination` object.
fn paginated_shape(op: &Operation, components: &openapiv3::Components) -> Option<Paginated> {
    let takes_page = op.parameters.iter().any(|p| {
        matches!(resolve(p, &components.parameters), Some(Parameter::Query { parameter_data, .. }) if parameter_data.name == "page")
    });
    if !takes_page {
        return None;
    }
    let (_, resp) = op.responses.responses.iter().find(|(c, _)| is_success(c))?;
    let ReferenceOr::Item(resp) = resp else {
        return None;
    };
    let schema_ref = resp.content.values().next()?.schema.as_ref()?;
    let ReferenceOr::Reference { reference } = schema_ref else {
        return None;
    };
    let body_name = reference.rsplit('/').next()?.to_string();
    let body = resolve(components.schemas.get(&body_name)?, &components.schemas)?;
    let (properties, required) = match &body.schema_kind {
        SchemaKind::Type(Type::Object(obj)) => (&obj.properties, &obj.required),
        SchemaKind::Any(any) => (&any.properties, &any.required),
        _ => return None,
    };
    if !properties.contains_key("pagination") {
        return None;
    }
    let mut arrays = properties.iter().filter_map(|(name, s)| {
        let ReferenceOr::Item(s) = s else { return None };
        let SchemaKind::Type(Type::Array(arr)) = &s.schema_kind else {
            return None;
        };
        match arr.items.as_ref()? {
            ReferenceOr::Reference { reference } => Some((
                name.clone(),
                reference.rsplit('/').next()?.to_string(),
                required.contains(name),
            )),
            ReferenceOr::Item(_) => None,
        }
    });
    let (items_field, item_schema, items_required) = arrays.next()?;
    if arrays.next().is_some() {
        return None;
    }
    Some(Paginated {
        response_schema: body_name,
        items_field,
        item_schema,
        items_required,
    })
}
