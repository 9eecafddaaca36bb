//! Reading an OpenAPI document: the names, walks and predicates every pass
//! of the pipeline shares. A leaf: it uses no other module of the crate.

use openapiv3::{Operation, ReferenceOr, StatusCode};

/// The operation keys of an OpenAPI path item, in the order of
/// `openapiv3::PathItem`'s fields.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

pub(crate) fn operations_mut(
    item: &mut openapiv3::PathItem,
) -> Vec<(&'static str, &mut Operation)> {
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

/// A `$ref` followed within `section` (at most 16 steps; `None` when it
/// does not resolve).
pub(crate) fn resolve<'a, T>(
    item: &'a ReferenceOr<T>,
    section: &'a indexmap::IndexMap<String, ReferenceOr<T>>,
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

/// The `{name}`s of a path template, in order.
pub(crate) fn path_template_params(path: &str) -> Vec<String> {
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

/// A response status as the spec keys it (`200`, `2XX`).
pub(crate) fn status_key(code: &StatusCode) -> String {
    match code {
        StatusCode::Code(c) => c.to_string(),
        StatusCode::Range(r) => format!("{r}XX"),
    }
}

/// Is it a 2xx status (or the 2XX range)?
pub(crate) fn is_success(code: &StatusCode) -> bool {
    match code {
        StatusCode::Code(c) => (200..300).contains(c),
        StatusCode::Range(r) => *r == 2,
    }
}

/// `list_members` / `createMember` → `ListMembers` / `CreateMember`, as
/// progenitor and typify name builder structs and types.
pub(crate) fn pascal(s: &str) -> String {
    heck::ToPascalCase::to_pascal_case(s)
}

/// A field's identifier as typify spells it (a keyword gets a `_` suffix);
/// `None` when no identifier can be made of it.
pub(crate) fn field_ident(name: &str) -> Option<syn::Ident> {
    syn::parse_str::<syn::Ident>(name)
        .or_else(|_| syn::parse_str::<syn::Ident>(&format!("{name}_")))
        .ok()
}
