//! Generated code users use (`syn`): the values users build get a
//! constructor; nothing else gets a builder.
//!
//! typify gives every type a builder (`types::builder`, `X::builder()`), and
//! progenitor's operation builders keep a request body as one of them
//! (`body_map`). Users build only request bodies and what they contain, and
//! build them as structs: `..X::new(required…)` or `..Default::default()`,
//! robust to a field MX adds. So the struct builders go (half the generated
//! code), each operation builder keeps its body as the type itself, and
//! every type a request body reaches that has required fields gets
//! `new(required…)`, which cannot fail.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

/// Removes typify's struct builders and `body_map`, keeps operation bodies
/// as their types, and adds `new(required…)` where a request reaches a
/// struct with required fields.
pub(crate) fn rewrite(file: &mut syn::File, rt: &TokenStream) {
    let defaults = derives_default(file);
    let bodies = request_bodies(file);
    operation_builders(file, &defaults);
    compact_setters(file, rt);
    let Some(types) = crate::rewrite::module_vec(file, "types") else {
        return;
    };
    types.retain(|item| !is_struct_builders(item));
    let structs: BTreeMap<String, &syn::ItemStruct> = types
        .iter()
        .filter_map(|item| match item {
            syn::Item::Struct(s) => Some((s.ident.to_string(), s)),
            _ => None,
        })
        .collect();
    let constructors: Vec<syn::Item> = reachable(&bodies, &structs)
        .iter()
        .filter_map(|name| constructor(structs[name]))
        .collect();
    types.extend(constructors);
}

/// `pub mod builder { … }` inside `types`, or an `impl X { fn builder() }`.
fn is_struct_builders(item: &syn::Item) -> bool {
    match item {
        syn::Item::Mod(m) => m.ident == "builder",
        syn::Item::Impl(imp) => {
            imp.trait_.is_none()
                && imp.items.len() == 1
                && matches!(&imp.items[0], syn::ImplItem::Fn(f) if f.sig.ident == "builder")
        }
        _ => false,
    }
}

/// The `types` structs that derive `Default`.
fn derives_default(file: &syn::File) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in crate::rewrite::module(file, "types") {
        if let syn::Item::Struct(s) = item {
            let derives = s
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("derive"))
                .any(|a| a.to_token_stream().to_string().contains("Default"));
            if derives {
                out.insert(s.ident.to_string());
            }
        }
    }
    out
}

/// `X` of every operation builder's `body: Result<types::builder::X, …>`.
fn request_bodies(file: &syn::File) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in crate::rewrite::module(file, "builder") {
        let syn::Item::Struct(s) = item else { continue };
        for f in &s.fields {
            if f.ident.as_ref().is_some_and(|i| i == "body") {
                if let Some(name) = body_type(&f.ty) {
                    out.insert(name);
                }
            }
        }
    }
    out
}

/// `X` of `Result<types::builder::X, String>`.
fn body_type(ty: &syn::Type) -> Option<String> {
    let text = ty.to_token_stream().to_string().replace(' ', "");
    let rest = text.strip_prefix("Result<types::builder::")?;
    Some(rest.split(',').next()?.to_string())
}

/// Each operation builder keeps its body as the type itself: the field's
/// type, its initial value (`Default`, or "not set" for a type with
/// required fields), and no `body_map`.
fn operation_builders(file: &mut syn::File, defaults: &BTreeSet<String>) {
    // The body type of each operation builder, by the builder's name.
    let mut body_of: BTreeMap<String, String> = BTreeMap::new();
    for item in crate::rewrite::module_items(file, "builder") {
        let syn::Item::Struct(s) = item else { continue };
        for f in &mut s.fields {
            if f.ident.as_ref().is_some_and(|i| i == "body") {
                if let Some(name) = body_type(&f.ty) {
                    let ident = syn::Ident::new(&name, proc_macro2::Span::call_site());
                    f.ty = syn::parse_quote!(Result<types::#ident, String>);
                    body_of.insert(s.ident.to_string(), name);
                }
            }
        }
    }
    for item in crate::rewrite::module_items(file, "builder") {
        let syn::Item::Impl(imp) = item else { continue };
        let syn::Type::Path(p) = &*imp.self_ty else {
            continue;
        };
        let Some(body) = p
            .path
            .segments
            .last()
            .and_then(|s| body_of.get(&s.ident.to_string()))
        else {
            continue;
        };
        imp.items
            .retain(|i| !matches!(i, syn::ImplItem::Fn(f) if f.sig.ident == "body_map"));
        if defaults.contains(body) {
            continue;
        }
        for i in &mut imp.items {
            let syn::ImplItem::Fn(f) = i else { continue };
            if f.sig.ident == "new" {
                unset_body(&mut f.block);
            }
        }
    }
}

/// Each parameter setter's conversion goes through the runtime's `param`
/// (one function for all, not a closure per setter): `self.page =
/// value.try_into().map(Some).map_err(|_| "…".to_string())` becomes
/// `self.page = rt::param(value, "page").map(Some)`, with the same message.
fn compact_setters(file: &mut syn::File, rt: &TokenStream) {
    for item in crate::rewrite::module_items(file, "builder") {
        let syn::Item::Impl(imp) = item else { continue };
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            let [syn::Stmt::Expr(syn::Expr::Assign(assign), Some(_)), syn::Stmt::Expr(tail, None)] =
                &mut f.block.stmts[..]
            else {
                continue;
            };
            let is_self = matches!(tail, syn::Expr::Path(p) if p.path.is_ident("self"));
            let rhs = assign.right.to_token_stream().to_string();
            if !is_self
                || !rhs.starts_with("value . try_into ()")
                || !rhs.contains("map_err (| _ |")
            {
                continue;
            }
            let syn::Expr::Field(field) = &*assign.left else {
                continue;
            };
            let syn::Member::Named(name) = &field.member else {
                continue;
            };
            let name = name.to_string();
            let wrap = if rhs.contains(". map (Some)") {
                quote!(.map(Some))
            } else {
                TokenStream::new()
            };
            *assign.right = syn::parse_quote!(#rt::param(value, #name)#wrap);
        }
    }
}

/// In an operation builder's `new`, a body type without a `Default`
/// starts as "not set" (the error `send` reports when it was never given)
/// instead of `Ok(Default::default())`.
fn unset_body(block: &mut syn::Block) {
    let Some(syn::Stmt::Expr(syn::Expr::Struct(init), _)) = block.stmts.last_mut() else {
        return;
    };
    let Some(body) = init
        .fields
        .iter_mut()
        .find(|f| matches!(&f.member, syn::Member::Named(n) if n == "body"))
    else {
        return;
    };
    body.expr = syn::parse_quote!(Err("body was not set".to_string()));
}

/// The structs `bodies` reach through their fields' types.
fn reachable(
    bodies: &BTreeSet<String>,
    structs: &BTreeMap<String, &syn::ItemStruct>,
) -> Vec<String> {
    let mut seen: BTreeSet<String> = BTreeSet::new();
    let mut queue: Vec<String> = bodies.iter().cloned().collect();
    while let Some(name) = queue.pop() {
        if !structs.contains_key(&name) || !seen.insert(name.clone()) {
            continue;
        }
        let words = structs[&name].fields.to_token_stream().to_string();
        for w in words.split(|c: char| !(c.is_alphanumeric() || c == '_')) {
            if structs.contains_key(w) && !seen.contains(w) {
                queue.push(w.to_string());
            }
        }
    }
    seen.into_iter().collect()
}

/// `impl X { pub fn new(required…) -> Self }` for a struct with required
/// fields (no `#[serde(default)]`, not an `Option`); `None` when every
/// field is optional (`Default` serves).
fn constructor(s: &syn::ItemStruct) -> Option<syn::Item> {
    let syn::Fields::Named(fields) = &s.fields else {
        return None;
    };
    let mut params = Vec::new();
    let mut inits = Vec::new();
    let mut names = Vec::new();
    for f in &fields.named {
        let ident = f.ident.as_ref()?;
        let ty = &f.ty;
        if required(f) {
            params.push(quote!(#ident: impl ::std::convert::Into<#ty>));
            inits.push(quote!(#ident: #ident.into()));
            names.push(format!("`{}`", json_name(f)));
        } else {
            inits.push(quote!(#ident: ::std::default::Default::default()));
        }
    }
    if params.is_empty() {
        return None;
    }
    let name = &s.ident;
    let doc = format!(
        " A `{name}` with its required fields ({}) and nothing else set: set the others with struct update syntax (`..{name}::new(…)`), which keeps compiling when MX adds a field.",
        names.join(", ")
    );
    let tokens: TokenStream = quote! {
        impl #name {
            #[doc = #doc]
            pub fn new(#(#params),*) -> Self {
                Self { #(#inits),* }
            }
        }
    };
    Some(syn::parse2(tokens).expect("a constructor parses"))
}

/// A field the struct cannot be made without: no serde default, not an
/// `Option`.
fn required(f: &syn::Field) -> bool {
    let optional = matches!(&f.ty, syn::Type::Path(p)
        if p.path.segments.last().is_some_and(|s| s.ident == "Option"));
    let defaulted = f
        .attrs
        .iter()
        .any(|a| a.path().is_ident("serde") && a.to_token_stream().to_string().contains("default"));
    !optional && !defaulted
}

fn json_name(f: &syn::Field) -> String {
    crate::rewrite::serde_rename(f).unwrap_or_else(|| {
        f.ident
            .as_ref()
            .map(|i| i.to_string().trim_end_matches('_').to_string())
            .unwrap_or_default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builders_go_and_request_types_get_constructors() {
        let mut f: syn::File = syn::parse_quote! {
            pub mod types {
                #[derive(Clone, Debug, PartialEq)]
                pub struct CreateBody { pub member: Option<Member> }
                #[derive(Clone, Debug, PartialEq)]
                pub struct Member {
                    pub institution_code: ::std::string::String,
                    pub credentials: ::std::vec::Vec<Credential>,
                    #[serde(default, skip_serializing_if = "Vec::is_empty")]
                    pub use_cases: ::std::vec::Vec<String>,
                    pub metadata: Option<String>,
                }
                #[derive(Clone, Debug, Default, PartialEq)]
                pub struct Credential { pub guid: Option<String> }
                #[derive(Clone, Debug, PartialEq)]
                pub struct Answer { pub guid: String }
                impl Member {
                    pub fn builder() -> builder::Member { Default::default() }
                }
                pub mod builder {
                    pub struct Member {}
                }
            }
            pub mod builder {
                pub struct Create<'a> {
                    client: &'a super::Client,
                    body: Result<types::builder::CreateBody, String>,
                }
                impl<'a> Create<'a> {
                    pub fn new(client: &'a super::Client) -> Self {
                        Self { client: client, body: Ok(::std::default::Default::default()) }
                    }
                    pub fn body_map<F>(mut self, f: F) -> Self { self }
                }
            }
        };
        rewrite(&mut f, &"::rt".parse().unwrap());
        let code = f.to_token_stream().to_string().replace(' ', "");
        assert!(!code.contains("types::builder"), "{code}");
        assert!(!code.contains("fnbuilder()"), "{code}");
        assert!(!code.contains("body_map"), "{code}");
        assert!(
            code.contains("body:Result<types::CreateBody,String>"),
            "{code}"
        );
        assert!(
            code.contains("body:Err(\"bodywasnotset\".to_string())"),
            "{code}"
        );
        assert!(code.contains("implMember{"), "{code}");
        assert!(code.contains("pubfnnew(institution_code:impl::std::convert::Into<::std::string::String>,credentials:impl::std::convert::Into<::std::vec::Vec<Credential>>)->Self"), "{code}");
        assert!(
            code.contains("use_cases:::std::default::Default::default()"),
            "{code}"
        );
        // Reached only by answers: no constructor.
        assert!(!code.contains("implAnswer{"), "{code}");
    }
}
