//! What each answer type's fields are, for the runtime's check that nothing
//! MX sends is lost in silence (`syn`).
//!
//! A JSON object decodes into a generated answer type even when none of its
//! keys is one of the type's fields: every field is optional, so
//! `{"transaction": {…}}` read as a type with `transactions` is an empty
//! value, and the call would succeed with no record. Each answer type gets
//! `rt::Fields`: its JSON field names, and whether a decoded value holds
//! none of them. The runtime looks at the keys only in that case, so the
//! common path pays one comparison per field.

use proc_macro2::TokenStream;
use quote::quote;

/// Implements `rt::Fields` for every answer type (`ResponseValue<types::X>`
/// of a builder), inside `types`.
pub(crate) fn implement(file: &mut syn::File, rt: &TokenStream) {
    let answers = crate::rewrite::answer_types(file);
    let Some(types) = crate::rewrite::module_vec(file, "types") else {
        return;
    };
    let mut impls = Vec::new();
    for item in types.iter() {
        let (name, fields) = match item {
            syn::Item::Struct(s) if answers.contains(&s.ident.to_string()) => (&s.ident, &s.fields),
            _ => continue,
        };
        let (names, absent) = match fields {
            syn::Fields::Named(named) => {
                let names: Vec<String> =
                    named
                        .named
                        .iter()
                        .filter_map(|f| {
                            let ident = f.ident.as_ref()?;
                            Some(crate::rewrite::serde_rename(f).unwrap_or_else(|| {
                                ident.to_string().trim_end_matches('_').to_string()
                            }))
                        })
                        .collect();
                let absent: Vec<TokenStream> = named
                    .named
                    .iter()
                    .map(|f| match (&f.ident, absence(&f.ty)) {
                        (Some(ident), Some(test)) if !flattened(f) => quote!(self.#ident.#test()),
                        _ => quote!(false),
                    })
                    .collect();
                (names, absent)
            }
            _ => (Vec::new(), vec![quote!(false)]),
        };
        let absent = if absent.is_empty() {
            quote!(true)
        } else {
            quote!(#(#absent)&&*)
        };
        impls.push(syn::parse_quote! {
            impl #rt::Fields for #name {
                const NAMES: &'static [&'static str] = &[#(#names),*];
                fn all_absent(&self) -> bool {
                    #absent
                }
            }
        });
    }
    types.extend(impls);
}

/// The method that says a field of type `ty` came out absent: `is_none` for
/// an `Option`, `is_empty` for a list or map; `None` for a required value.
fn absence(ty: &syn::Type) -> Option<syn::Ident> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?.ident.to_string();
    let method = match last.as_str() {
        "Option" => "is_none",
        "Vec" | "Map" | "HashMap" | "BTreeMap" => "is_empty",
        _ => return None,
    };
    Some(syn::Ident::new(method, proc_macro2::Span::call_site()))
}

/// `#[serde(flatten)]`: its keys are not its name.
fn flattened(f: &syn::Field) -> bool {
    f.attrs.iter().any(|a| {
        a.path().is_ident("serde")
            && quote::ToTokens::to_token_stream(a)
                .to_string()
                .contains("flatten")
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn answer_types_name_their_fields_and_test_each_for_absence() {
        let rt: TokenStream = "::rt".parse().unwrap();
        let mut f: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct TransactionsBody {
                    pub transactions: ::std::vec::Vec<Transaction>,
                    pub pagination: ::std::option::Option<Pagination>,
                    #[serde(rename = "type")]
                    pub type_: ::std::option::Option<String>,
                }
                pub struct Required { pub guid: String }
                pub struct NotAnAnswer { pub x: Option<String> }
            }
            pub mod builder {
                impl<'a> List<'a> {
                    async fn send_raw(self) -> Result<ResponseValue<types::TransactionsBody>, Error<()>> { todo!() }
                }
                impl<'a> Read<'a> {
                    async fn send_raw(self) -> Result<ResponseValue<types::Required>, Error<()>> { todo!() }
                }
            }
        };
        implement(&mut f, &rt);
        let code = f.to_token_stream().to_string();
        assert!(
            code.contains("impl :: rt :: Fields for TransactionsBody"),
            "{code}"
        );
        assert!(
            code.contains("& [\"transactions\" , \"pagination\" , \"type\"]"),
            "{code}"
        );
        assert!(code.contains("self . transactions . is_empty () && self . pagination . is_none () && self . type_ . is_none ()"), "{code}");
        assert!(code.contains("impl :: rt :: Fields for Required"), "{code}");
        assert!(
            code.contains("fn all_absent (& self) -> bool { false }"),
            "{code}"
        );
        assert!(!code.contains("Fields for NotAnAnswer"), "{code}");
    }
}
