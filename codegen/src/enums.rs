//! String enums (`syn`): every closed string enum typify generates becomes
//! one of the runtime's open enums, and no closed enum may remain where an
//! answer reaches it.
//!
//! MX's versioning page (docs.mx.com `api-reference/platform-api/overview/versioning`)
//! counts removing an enum value as a breaking change, not adding one: a
//! new value can arrive within a version, and with a closed enum it would
//! fail a whole answer (a page of transactions). An open enum decodes it as
//! `Unknown`, its wire value kept and sealed.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{quote, ToTokens};

/// Replaces each string enum of `types` (unit variants, each a wire value)
/// with the runtime's `open_enum!`, and removes the conversions typify wrote
/// for it (`Display`, `FromStr`, `TryFrom`), which the macro provides
/// without a failure case.
pub(crate) fn open(file: &mut syn::File, rt: &TokenStream) {
    let Some(items) = crate::rewrite::module_vec(file, "types") else {
        return;
    };
    let mut opened = BTreeSet::new();
    for item in items.iter_mut() {
        let syn::Item::Enum(e) = item else { continue };
        let Some(values) = wire_values(e) else {
            continue;
        };
        let docs: Vec<syn::Attribute> = e
            .attrs
            .iter()
            .filter(|a| a.path().is_ident("doc"))
            .cloned()
            .collect();
        let name = e.ident.clone();
        let variants = values
            .iter()
            .map(|(docs, ident, wire)| quote!(#(#docs)* #ident = #wire,));
        *item = syn::parse_quote! {
            #rt::open_enum! {
                #(#docs)*
                pub enum #name {
                    #(#variants)*
                }
            }
        };
        opened.insert(name.to_string());
    }
    items.retain(|item| {
        let syn::Item::Impl(imp) = item else {
            return true;
        };
        let Some((_, trait_path, _)) = &imp.trait_ else {
            return true;
        };
        let self_named = matches!(&*imp.self_ty, syn::Type::Path(p)
            if p.path.get_ident().is_some_and(|i| opened.contains(&i.to_string())));
        let replaced = trait_path.segments.last().is_some_and(|s| {
            ["Display", "FromStr", "TryFrom"].contains(&s.ident.to_string().as_str())
        });
        !(self_named && replaced)
    });
}

/// (docs, variant, wire value) of a string enum typify wrote: unit
/// variants, each named by `#[serde(rename = "…")]` or by itself. `None`
/// for any other enum (data variants, untagged unions). A variant called
/// `Unknown` is renamed `MxUnknown`: `Unknown` holds the values the crate
/// does not know.
#[allow(clippy::type_complexity)]
fn wire_values(e: &syn::ItemEnum) -> Option<Vec<(Vec<syn::Attribute>, syn::Ident, String)>> {
    let enum_serde = e.attrs.iter().any(|a| a.path().is_ident("serde"));
    if enum_serde || e.variants.is_empty() {
        return None;
    }
    e.variants
        .iter()
        .map(|v| {
            if !matches!(v.fields, syn::Fields::Unit) || v.discriminant.is_some() {
                return None;
            }
            let mut wire = None;
            for a in v.attrs.iter().filter(|a| a.path().is_ident("serde")) {
                let mut other = false;
                a.parse_nested_meta(|meta| {
                    if meta.path.is_ident("rename") {
                        let s: syn::LitStr = meta.value()?.parse()?;
                        wire = Some(s.value());
                    } else {
                        other = true;
                    }
                    Ok(())
                })
                .ok()?;
                if other {
                    return None;
                }
            }
            let docs = v
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect();
            let ident = if v.ident == "Unknown" {
                syn::Ident::new("MxUnknown", v.ident.span())
            } else {
                v.ident.clone()
            };
            Some((docs, ident, wire.unwrap_or_else(|| v.ident.to_string())))
        })
        .collect()
}

/// Refuses a closed enum that an answer reaches: every `enum` left in
/// `types` after [`open`] is one it could not open (a union of shapes, a
/// set of numbers), and a value MX adds to it would fail the answer. `Err`
/// names the enum and the way from the answer type to it.
pub(crate) fn check_open(file: &syn::File) -> Result<(), String> {
    let mut defined: BTreeMap<String, &syn::Item> = BTreeMap::new();
    for item in crate::rewrite::module(file, "types") {
        let name = match item {
            syn::Item::Struct(s) => &s.ident,
            syn::Item::Enum(e) => &e.ident,
            syn::Item::Type(t) => &t.ident,
            _ => continue,
        };
        defined.insert(name.to_string(), item);
    }
    // From each answer type, through the types its fields name.
    let mut from: BTreeMap<String, String> = BTreeMap::new();
    let mut queue: Vec<String> = crate::rewrite::answer_types(file).into_iter().collect();
    for a in &queue {
        from.insert(a.clone(), String::new());
    }
    while let Some(name) = queue.pop() {
        let Some(item) = defined.get(&name) else {
            continue;
        };
        if let syn::Item::Enum(_) = item {
            let mut way = vec![name.clone()];
            let mut at = &name;
            while let Some(parent) = from.get(at).filter(|p| !p.is_empty()) {
                way.push(parent.clone());
                at = parent;
            }
            way.reverse();
            return Err(format!(
                "the answer type `{}` reaches the closed enum `{name}` ({}): a value MX adds to it would fail the whole answer",
                way[0],
                way.join(" → ")
            ));
        }
        for word in named_words(item) {
            if defined.contains_key(&word) && !from.contains_key(&word) {
                from.insert(word.clone(), name.clone());
                queue.push(word);
            }
        }
    }
    Ok(())
}

/// The identifiers a type item names in its fields (or aliased type).
fn named_words(item: &syn::Item) -> Vec<String> {
    let tokens = match item {
        syn::Item::Struct(s) => s.fields.to_token_stream(),
        syn::Item::Enum(e) => e.variants.to_token_stream(),
        syn::Item::Type(t) => t.ty.to_token_stream(),
        _ => TokenStream::new(),
    };
    tokens
        .to_string()
        .split(|c: char| !(c.is_alphanumeric() || c == '_'))
        .filter(|w| w.starts_with(|c: char| c.is_ascii_uppercase()))
        .map(str::to_string)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn file(types: TokenStream) -> syn::File {
        syn::parse_quote! {
            pub mod types {
                #types
            }
            pub mod builder {
                impl<'a> ReadThing<'a> {
                    async fn send_raw(self) -> Result<ResponseValue<types::ThingBody>, Error<()>> {
                        todo!()
                    }
                }
            }
        }
    }

    #[test]
    fn string_enums_become_open_and_lose_their_failing_conversions() {
        let rt: TokenStream = "::rt".parse().unwrap();
        let mut f = file(quote! {
            /// The kind.
            #[derive(::serde::Deserialize, ::serde::Serialize, Clone, Copy, Debug)]
            pub enum Kind {
                #[serde(rename = "ANY")]
                Any,
                #[serde(rename = "UNKNOWN")]
                Unknown,
            }
            impl ::std::fmt::Display for Kind {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { todo!() }
            }
            impl ::std::str::FromStr for Kind {
                type Err = ();
                fn from_str(value: &str) -> Result<Self, ()> { todo!() }
            }
            impl ::std::convert::From<&Kind> for Kind {
                fn from(value: &Kind) -> Self { value.clone() }
            }
            pub struct ThingBody { pub kind: Option<Kind> }
        });
        open(&mut f, &rt);
        let code = f.to_token_stream().to_string();
        assert!(code.contains(":: rt :: open_enum !"), "{code}");
        assert!(code.contains("Any = \"ANY\""), "{code}");
        assert!(code.contains("MxUnknown = \"UNKNOWN\""), "{code}");
        assert!(!code.contains("FromStr for Kind"), "{code}");
        assert!(!code.contains("Display for Kind"), "{code}");
        assert!(
            code.contains("From < & Kind > for Kind"),
            "other impls stay"
        );
        check_open(&f).unwrap();
    }

    /// A closed enum an answer reaches is refused, naming the way to it;
    /// one no answer reaches (a request's) is not.
    #[test]
    fn a_closed_enum_an_answer_reaches_is_refused() {
        let types = quote! {
            #[serde(untagged)]
            pub enum Amount { Number(f64), Text(String) }
            pub struct Thing { pub amount: Option<Amount> }
            pub struct ThingBody { pub thing: Option<Thing> }
        };
        let e = check_open(&file(types)).unwrap_err();
        assert!(e.contains("`ThingBody`") && e.contains("`Amount`"), "{e}");
        assert!(e.contains("ThingBody → Thing → Amount"), "{e}");
        let request_only = quote! {
            #[serde(untagged)]
            pub enum Amount { Number(f64), Text(String) }
            pub struct CreateRequest { pub amount: Option<Amount> }
            pub struct ThingBody { pub guid: Option<String> }
        };
        check_open(&file(request_only)).unwrap();
    }
}
