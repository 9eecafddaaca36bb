//! Docs on every public item of the generated code (`syn`): what the spec
//! says, or where MX's spec says nothing, what the item is on the wire.
//!
//! progenitor and typify document operations and most types from the
//! spec; they leave a request builder's setters and constructor, and every
//! field the spec does not describe, without docs. This pass gives each a
//! line: a setter names its parameter, where it goes (path, query, header)
//! and the spec's description; a field names its JSON key.

use std::collections::BTreeMap;

use openapiv3::{OpenAPI, Parameter, ReferenceOr};

/// (builder struct, setter) → its doc line, from the spec's parameters and
/// request bodies.
fn setter_docs(spec: &OpenAPI) -> BTreeMap<(String, String), String> {
    let mut out = BTreeMap::new();
    let params = spec.components.as_ref().map(|c| &c.parameters);
    for item in spec.paths.paths.values() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (_, op) in item.iter() {
            let Some(id) = &op.operation_id else { continue };
            let builder = crate::openapi::pascal(id);
            for p in item.parameters.iter().chain(&op.parameters) {
                let p = match p {
                    ReferenceOr::Item(p) => p,
                    ReferenceOr::Reference { reference } => {
                        let name = reference.rsplit('/').next().unwrap_or_default();
                        match params.and_then(|ps| ps.get(name)) {
                            Some(ReferenceOr::Item(p)) => p,
                            _ => continue,
                        }
                    }
                };
                let (data, place) = match p {
                    Parameter::Path { parameter_data, .. } => (parameter_data, "path"),
                    Parameter::Query { parameter_data, .. } => (parameter_data, "query"),
                    Parameter::Header { parameter_data, .. } => (parameter_data, "header"),
                    Parameter::Cookie { parameter_data, .. } => (parameter_data, "cookie"),
                };
                let required = if data.required { ", required" } else { "" };
                let described = data
                    .description
                    .as_deref()
                    .map(|d| format!(": {}", d.trim()))
                    .unwrap_or_default();
                out.insert(
                    (
                        builder.clone(),
                        heck::ToSnakeCase::to_snake_case(data.name.as_str()),
                    ),
                    format!(
                        " Sets `{}` ({place} parameter{required}){described}",
                        data.name
                    ),
                );
            }
            if let Some(ReferenceOr::Item(body)) = &op.request_body {
                let described = body
                    .description
                    .as_deref()
                    .map(|d| format!(": {}", d.trim()))
                    .unwrap_or_default();
                out.insert(
                    (builder.clone(), "body".to_string()),
                    format!(" Sets the request body{described}"),
                );
            }
        }
    }
    out
}

/// Documents the undocumented public items: the request builders' setters
/// and constructors, and the types' fields; the `Client`'s methods lose
/// progenitor's argument list and example, which repeat the setters' docs.
pub(crate) fn document(file: &mut syn::File, spec: &OpenAPI) {
    shorten_client_docs(file);
    let setters = setter_docs(spec);
    for item in crate::rewrite::module_items(file, "builder") {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(p) = &*imp.self_ty else {
            continue;
        };
        let Some(builder) = p.path.segments.last().map(|s| s.ident.to_string()) else {
            continue;
        };
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if !matches!(f.vis, syn::Visibility::Public(_)) || has_doc(&f.attrs) {
                continue;
            }
            let name = f.sig.ident.to_string();
            let doc = match name.as_str() {
                "new" => format!(
                    " A new `{builder}` request of `client`, as its method on the `Client` makes it."
                ),
                _ => setters
                    .get(&(builder.clone(), name.clone()))
                    .cloned()
                    .unwrap_or_else(|| format!(" Sets `{name}`.")),
            };
            f.attrs.push(syn::parse_quote!(#[doc = #doc]));
        }
    }
    for item in crate::rewrite::module_items(file, "types") {
        let syn::Item::Struct(s) = item else { continue };
        let owner = s.ident.to_string();
        let syn::Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in &mut fields.named {
            if !matches!(field.vis, syn::Visibility::Public(_)) || has_doc(&field.attrs) {
                continue;
            }
            let json = crate::rewrite::serde_rename(field).unwrap_or_else(|| {
                field
                    .ident
                    .as_ref()
                    .map(|i| i.to_string().trim_end_matches('_').to_string())
                    .unwrap_or_default()
            });
            let doc = format!(
                " `{json}` of `{owner}`, as MX's spec names it (the spec describes it no further)."
            );
            field.attrs.push(syn::parse_quote!(#[doc = #doc]));
        }
    }
}

/// A `Client` method's doc up to progenitor's `Arguments:` list or example,
/// then a link to the builder that documents each parameter.
fn shorten_client_docs(file: &mut syn::File) {
    for imp in crate::rewrite::client_impls(file) {
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            let syn::ReturnType::Type(_, ty) = &f.sig.output else {
                continue;
            };
            let syn::Type::Path(ret) = &**ty else {
                continue;
            };
            let Some(builder) = ret.path.segments.last().map(|s| s.ident.to_string()) else {
                continue;
            };
            for attr in &mut f.attrs {
                let syn::Meta::NameValue(nv) = &mut attr.meta else {
                    continue;
                };
                let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(doc),
                    ..
                }) = &nv.value
                else {
                    continue;
                };
                let text = doc.value();
                let cut = ["\nArguments:", "\n```ignore"]
                    .iter()
                    .filter_map(|m| text.find(m))
                    .min();
                let Some(cut) = cut else { continue };
                let short = format!(
                    "{}\n\nIts parameters are set on [`builder::{builder}`].",
                    text[..cut].trim_end()
                );
                nv.value = syn::parse_quote!(#short);
            }
        }
    }
}

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}
