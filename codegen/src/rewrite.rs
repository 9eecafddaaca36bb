//! Rewrites of the generated file (`syn`): the `Client::new` HTTP client,
//! the spec's deprecations. (Each builder's `send()` is rewritten in
//! `send.rs`.)

use std::collections::BTreeSet;

use quote::ToTokens;

/// The item list of the generated file's top-level module `name`, to add
/// or remove items (`None` when it has no such module).
pub(crate) fn module_vec<'a>(
    file: &'a mut syn::File,
    name: &str,
) -> Option<&'a mut Vec<syn::Item>> {
    file.items.iter_mut().find_map(|item| match item {
        syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
        _ => None,
    })
}

/// The items of the generated file's top-level module `name` (none when it
/// has no such module).
pub(crate) fn module_items<'a>(
    file: &'a mut syn::File,
    name: &str,
) -> impl Iterator<Item = &'a mut syn::Item> {
    module_vec(file, name).into_iter().flatten()
}

/// The items of module `name`, read only.
pub(crate) fn module<'a>(file: &'a syn::File, name: &str) -> impl Iterator<Item = &'a syn::Item> {
    file.items
        .iter()
        .find_map(|item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, items)| items),
            _ => None,
        })
        .into_iter()
        .flatten()
}

/// The generated `Client`'s inherent `impl` blocks (its operation methods;
/// not its trait implementations).
pub(crate) fn client_impls(file: &mut syn::File) -> impl Iterator<Item = &mut syn::ItemImpl> {
    file.items.iter_mut().filter_map(|item| match item {
        syn::Item::Impl(imp)
            if imp.trait_.is_none()
                && matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client")) =>
        {
            Some(imp)
        }
        _ => None,
    })
}

/// The `types::X` of every `ResponseValue<types::X>` the builders answer.
pub(crate) fn answer_types(file: &syn::File) -> BTreeSet<String> {
    let mut out = BTreeSet::new();
    for item in module(file, "builder") {
        let syn::Item::Impl(imp) = item else { continue };
        for f in &imp.items {
            let syn::ImplItem::Fn(f) = f else { continue };
            if f.sig.ident != "send" && f.sig.ident != "send_raw" {
                continue;
            }
            let output = quote::ToTokens::to_token_stream(&f.sig.output).to_string();
            for part in output.split("ResponseValue <").skip(1) {
                if let Some(rest) = part.trim_start().strip_prefix("types ::") {
                    let name: String = rest
                        .trim_start()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        out.insert(name);
                    }
                }
            }
        }
    }
    out
}

/// Keeps the runtime out of the generated `Client`'s public surface: the
/// one way to make a client is its API module's `builder`, so progenitor's
/// constructors (`new`, `new_with_client`, which take the runtime's
/// `Hooks`) become crate-private (`new` goes: nothing calls it), and its
/// `ClientInfo` implementation (whose `inner()` hands out the `Hooks`) and
/// the assertion that the hooks exist go (the generated requests call the
/// runtime directly, `send.rs`).
pub(crate) fn private_client(file: &mut syn::File) {
    file.items.retain(|item| match item {
        syn::Item::Impl(imp) => imp
            .trait_
            .as_ref()
            .and_then(|(_, path, _)| path.segments.last())
            .is_none_or(|s| s.ident != "ClientInfo"),
        syn::Item::Const(c) => !quote::ToTokens::to_token_stream(&c.expr)
            .to_string()
            .contains("assert_client_hooks"),
        _ => true,
    });
    for imp in client_impls(file) {
        imp.items
            .retain(|item| !matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "new"));
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if f.sig.ident == "new_with_client" {
                f.vis = syn::parse_quote!(pub(crate));
            }
        }
    }
}

/// The lenient decodings of the runtime's `de` module an overlay may name
/// with `x-mx-decode`.
pub(crate) const LENIENT_FORMS: &[&str] = &["number_or_string", "one_or_list", "string_or_number"];

/// Decodes the fields an overlay marks `x-mx-decode: <form>` with the
/// runtime's `de::<form>` (where MX's own sources disagree on a field's
/// type: a number or a numeric string, one object or a list of one, a
/// string of digits or a number).
///
/// The mark is on a component schema, and reaches every struct made of it:
/// the schema's own, and each one typify merges from an `allOf` that names
/// it (`ProcessorAccountNumberBodyAccountNumbersItem` of `[MemberElements,
/// ProcessorAccountNumber]`), known as a struct that has every field of the
/// schema's, the marked one of the same type.
pub(crate) fn lenient(
    file: &mut syn::File,
    lenient: &std::collections::BTreeSet<(String, String, String)>,
    runtime: &str,
) {
    use std::collections::BTreeMap;
    if lenient.is_empty() {
        return;
    }
    // A struct's fields: JSON key → the field's type, as text.
    let keys_of = |s: &syn::ItemStruct| -> BTreeMap<String, String> {
        s.fields
            .iter()
            .filter_map(|f| {
                let ident = f.ident.as_ref()?;
                let key = serde_rename(f).unwrap_or_else(|| ident.to_string());
                Some((key, f.ty.to_token_stream().to_string()))
            })
            .collect()
    };
    let mut keys: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for item in module_items(file, "types") {
        if let syn::Item::Struct(s) = item {
            keys.insert(s.ident.to_string(), keys_of(s));
        }
    }
    // (struct, JSON key) → decoding, for every struct made of a marked schema.
    let mut forms: BTreeMap<(String, String), &str> = BTreeMap::new();
    for (schema, prop, form) in lenient {
        let Some(own) = keys.get(&crate::openapi::pascal(schema)) else {
            continue;
        };
        // Every field of the schema's, the marked one of the same type (not a
        // namesake of another type: a request's `micro_deposit` is not the
        // answer's). The others' types may differ by name only (typify names
        // a merged struct's inline enums after it).
        let made_of = |fields: &BTreeMap<String, String>| {
            own.keys().all(|k| fields.contains_key(k)) && fields.get(prop) == own.get(prop)
        };
        for (owner, fields) in &keys {
            if own.contains_key(prop) && made_of(fields) {
                forms.insert((owner.clone(), prop.clone()), form);
            }
        }
    }
    for item in module_items(file, "types") {
        let syn::Item::Struct(s) = item else { continue };
        let owner = s.ident.to_string();
        let syn::Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in &mut fields.named {
            let Some(ident) = &field.ident else { continue };
            let json = serde_rename(field).unwrap_or_else(|| ident.to_string());
            let Some(form) = forms.get(&(owner.clone(), json)) else {
                continue;
            };
            let helper = format!("::{runtime}::de::{form}");
            field
                .attrs
                .push(syn::parse_quote!(#[serde(default, deserialize_with = #helper)]));
        }
    }
}

/// Adds `#[deprecated]` to the fields the spec marks `deprecated: true`.
pub(crate) fn mark_deprecated(
    file: &mut syn::File,
    deprecated: &std::collections::BTreeSet<(String, String)>,
) {
    if deprecated.is_empty() {
        return;
    }
    for item in module_items(file, "types") {
        let syn::Item::Struct(s) = item else { continue };
        let owner = s.ident.to_string();
        let syn::Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in &mut fields.named {
            let Some(ident) = &field.ident else { continue };
            let json = serde_rename(field).unwrap_or_else(|| ident.to_string());
            if deprecated
                .iter()
                .any(|(schema, prop)| crate::openapi::pascal(schema) == owner && *prop == json)
            {
                field.attrs.push(syn::parse_quote!(
                    #[deprecated(note = "deprecated by MX; see the field's documentation for its replacement")]
                ));
            }
        }
    }
}

pub(crate) fn serde_rename(field: &syn::Field) -> Option<String> {
    field.attrs.iter().find_map(|a| {
        if !a.path().is_ident("serde") {
            return None;
        }
        let mut out = None;
        let _ = a.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let s: syn::LitStr = meta.value()?.parse()?;
                out = Some(s.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
        out
    })
}

/// Marks the spec's untagged code fences in the generated docs as `text`:
/// a spec's description shows curl lines or JSON in plain ```` ``` ````
/// blocks, which rustdoc would otherwise take for Rust (a failed doctest
/// and an unparsable code block in every user's `cargo doc`).
pub(crate) fn text_fences(file: &mut syn::File) {
    fn attrs(attrs: &mut [syn::Attribute]) {
        for a in attrs {
            let syn::Meta::NameValue(nv) = &mut a.meta else {
                continue;
            };
            if !nv.path.is_ident("doc") {
                continue;
            }
            let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &mut nv.value
            else {
                continue;
            };
            if let Some(text) = tagged(&s.value()) {
                *s = syn::LitStr::new(&text, s.span());
            }
        }
    }
    fn fields(f: &mut syn::Fields) {
        for field in f.iter_mut() {
            attrs(&mut field.attrs);
        }
    }
    fn items(list: &mut [syn::Item]) {
        for item in list {
            match item {
                syn::Item::Struct(s) => {
                    attrs(&mut s.attrs);
                    fields(&mut s.fields);
                }
                syn::Item::Enum(e) => {
                    attrs(&mut e.attrs);
                    for v in &mut e.variants {
                        attrs(&mut v.attrs);
                        fields(&mut v.fields);
                    }
                }
                syn::Item::Fn(f) => attrs(&mut f.attrs),
                syn::Item::Mod(m) => {
                    attrs(&mut m.attrs);
                    if let Some((_, content)) = &mut m.content {
                        items(content);
                    }
                }
                syn::Item::Impl(i) => {
                    attrs(&mut i.attrs);
                    for it in &mut i.items {
                        if let syn::ImplItem::Fn(f) = it {
                            attrs(&mut f.attrs);
                        }
                    }
                }
                syn::Item::Type(t) => attrs(&mut t.attrs),
                syn::Item::Static(s) => attrs(&mut s.attrs),
                syn::Item::Const(c) => attrs(&mut c.attrs),
                _ => {}
            }
        }
    }
    items(&mut file.items);
}

/// `doc` with each opening fence that names no language tagged `text`;
/// `None` when there is none.
fn tagged(doc: &str) -> Option<String> {
    let mut open = false;
    let mut changed = false;
    let lines: Vec<String> = doc
        .split('\n')
        .map(|line| {
            let trimmed = line.trim_start();
            if !trimmed.starts_with("```") {
                return line.to_string();
            }
            let tag = trimmed.trim_start_matches('`').trim();
            if !open && tag.is_empty() {
                changed = true;
                open = true;
                return format!("{}text", line.trim_end());
            }
            open = !open;
            line.to_string()
        })
        .collect();
    changed.then(|| lines.join("\n"))
}

#[cfg(test)]
mod tests {
    use super::tagged;

    #[test]
    fn untagged_fences_open_as_text_and_others_are_kept() {
        let doc = "Versions:\n\n```\n-H 'Accept-Version: v20250224'\n```\n\n```json\n{}\n```\n";
        assert_eq!(
            tagged(doc).unwrap(),
            "Versions:\n\n```text\n-H 'Accept-Version: v20250224'\n```\n\n```json\n{}\n```\n"
        );
        assert_eq!(tagged("no fence"), None);
        assert_eq!(tagged("```rust\nlet x = 1;\n```"), None);
    }
}
