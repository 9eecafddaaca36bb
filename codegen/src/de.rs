//! Lean `Deserialize` impls for the generated structs (`syn`).
//!
//! serde's derive writes, for every struct, a field enum with its own
//! `Deserialize` impl and visitor (the keys matched three times: as `str`,
//! bytes and index), a sequence visitor no JSON object uses, and a map
//! visitor: measured on the v20111101 Platform module, `derive(Deserialize)`
//! was more than half of the crate's type and borrow checking. This pass
//! replaces it, on every struct with named fields whose serde attributes it
//! knows, by the runtime's `de_object!`: one impl whose map visitor matches
//! each key once, through the runtime's `de::Key` (the key's index in the
//! struct's key list), and builds the struct from one slot per field. What decodes is unchanged:
//! unknown keys are skipped, `null` or an absent key is `None` for an
//! `Option`, a `default` field takes its default, a missing required field
//! and a repeated key are errors, `rename` names the key, and a
//! `deserialize_with` of the runtime's `de` module reads through its wrapper
//! type (`de::null_as_default` through `de::NullAsDefault`). A struct with
//! another serde attribute keeps serde's derive.

use proc_macro2::TokenStream;
use quote::quote;

/// How one field decodes.
struct Field {
    ident: syn::Ident,
    ty: syn::Type,
    key: String,
    /// `default`, `default = "path"`, or neither (`None`).
    default: Option<Option<syn::Path>>,
    /// The runtime's wrapper type for `deserialize_with`.
    with: Option<syn::Ident>,
}

/// The `#[serde(…)]` arguments of `attrs` as (name, string value).
fn serde_args(attrs: &[syn::Attribute]) -> Option<Vec<(String, Option<String>)>> {
    let mut out = Vec::new();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let parsed = attr.parse_nested_meta(|meta| {
            let name = meta
                .path
                .get_ident()
                .map(ToString::to_string)
                .unwrap_or_default();
            let value = if meta.input.peek(syn::Token![=]) {
                let lit: syn::LitStr = meta.value()?.parse()?;
                Some(lit.value())
            } else {
                None
            };
            out.push((name, value));
            Ok(())
        });
        parsed.ok()?;
    }
    Some(out)
}

/// The wrapper type (in the runtime's `de` module) of a runtime
/// `deserialize_with` function: `::rt::de::null_as_default` →
/// `NullAsDefault`.
fn wrapper(function: &str, de_module: &str) -> Option<syn::Ident> {
    let name = function.strip_prefix(de_module)?.strip_prefix("::")?;
    if name.contains("::") {
        return None;
    }
    syn::parse_str(&heck::ToPascalCase::to_pascal_case(name)).ok()
}

/// The field as this pass decodes it, or `None` when it has a serde
/// attribute the pass does not know.
fn field(f: &syn::Field, de_module: &str) -> Option<Field> {
    let ident = f.ident.clone()?;
    let mut field = Field {
        key: syn::ext::IdentExt::unraw(&ident).to_string(),
        ident,
        ty: f.ty.clone(),
        default: None,
        with: None,
    };
    for (name, value) in serde_args(&f.attrs)? {
        match (name.as_str(), value) {
            ("rename", Some(key)) => field.key = key,
            ("default", None) => field.default = Some(None),
            ("default", Some(path)) => field.default = Some(Some(syn::parse_str(&path).ok()?)),
            ("deserialize_with", Some(path)) => field.with = Some(wrapper(&path, de_module)?),
            ("skip_serializing_if", Some(_)) => {}
            _ => return None,
        }
    }
    Some(field)
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.qself.is_none()
        && p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}

/// The runtime's `de_object!` invocation that implements `Deserialize` for
/// `name` with `fields`: `index => field: "key" kind [(default)] [via
/// Wrapper]`, the kind `opt` (absent is the default: an `Option`, or a
/// `default` field), `req` (absent is an error) or `default(path)`.
fn impl_for(name: &syn::Ident, fields: &[Field], rt: &TokenStream) -> syn::Item {
    let entries = fields.iter().enumerate().map(|(i, f)| {
        let index = proc_macro2::Literal::usize_unsuffixed(i);
        let (ident, key) = (&f.ident, &f.key);
        let kind = match &f.default {
            Some(Some(path)) => quote!(default(#path)),
            Some(None) => quote!(opt),
            None if is_option(&f.ty) => quote!(opt),
            None => quote!(req),
        };
        let via = f.with.as_ref().map(|w| quote!(via #w));
        quote!(#index => #ident: #key #kind #via)
    });
    syn::parse_quote! {
        #rt::de_object! { #name { #(#entries),* } }
    }
}

/// Removes `::serde::Deserialize` from a derive list; `false` when the
/// struct does not derive it, or does not derive `Serialize` too (whose
/// derive keeps reading the fields' `#[serde]` attributes).
fn drop_derive(attrs: &mut [syn::Attribute]) -> bool {
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(list) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let is_de = |p: &syn::Path| p.segments.last().is_some_and(|s| s.ident == "Deserialize");
        let is_ser = |p: &syn::Path| p.segments.last().is_some_and(|s| s.ident == "Serialize");
        if !list.iter().any(is_de) || !list.iter().any(is_ser) {
            return false;
        }
        let kept = list.iter().filter(|p| !is_de(p));
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
        return true;
    }
    false
}

/// Gives every struct of `types` that derives `Deserialize`, has named
/// fields and only serde attributes this pass knows, the lean impl instead
/// (`rt` is the runtime module's path, `::mx_client::__private`). Answers
/// how many structs it changed.
pub(crate) fn lean(file: &mut syn::File, rt: &TokenStream) -> usize {
    let de_module = format!("{}::de", rt.to_string().replace(' ', ""));
    let Some(types) = crate::rewrite::module_vec(file, "types") else {
        return 0;
    };
    let mut impls = Vec::new();
    for item in types.iter_mut() {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(named) = &s.fields else {
            continue;
        };
        let container_serde = s.attrs.iter().any(|a| a.path().is_ident("serde"));
        if container_serde || !s.generics.params.is_empty() {
            continue;
        }
        let Some(fields) = named
            .named
            .iter()
            .map(|f| field(f, &de_module))
            .collect::<Option<Vec<Field>>>()
        else {
            continue;
        };
        if !drop_derive(&mut s.attrs) {
            continue;
        }
        impls.push(impl_for(&s.ident, &fields, rt));
    }
    let changed = impls.len();
    types.extend(impls);
    changed
}
