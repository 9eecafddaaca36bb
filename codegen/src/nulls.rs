//! Optional lists and maps that MX sends as `null` decode as empty.
//!
//! typify generates an optional array (or map) property as a plain `Vec`
//! (or map) with `#[serde(default)]`: absent decodes as empty, but `null`
//! fails the whole answer. MX sends nulls and tells integrators to expect
//! them, so this pass gives every such field
//! `#[serde(deserialize_with = "::<crate>::__private::de::null_as_default")]`,
//! once, for every spec: no field is fixed by hand. A field that is
//! `Option<_>` already takes `null`; a required list (no `default`) is left
//! strict.

use syn::punctuated::Punctuated;

/// The container types typify uses for arrays and maps.
const CONTAINERS: [&str; 4] = ["Vec", "HashMap", "BTreeMap", "Map"];

/// Adds the null-tolerant deserializer of the runtime module `runtime`
/// (e.g. `mx_client::__private`) to the optional list and map fields of the `types` module.
/// Returns how many fields it changed.
pub fn null_as_default(file: &mut syn::File, runtime: &str) -> usize {
    let helper = format!("::{runtime}::de::null_as_default");
    let mut changed = 0;
    for item in crate::rewrite::module_items(file, "types") {
        let syn::Item::Struct(s) = item else { continue };
        let syn::Fields::Named(fields) = &mut s.fields else {
            continue;
        };
        for field in &mut fields.named {
            if is_container(&field.ty) && has_serde_default(field) && !has_custom_de(field) {
                field
                    .attrs
                    .push(syn::parse_quote!(#[serde(deserialize_with = #helper)]));
                changed += 1;
            }
        }
    }
    changed
}

fn is_container(ty: &syn::Type) -> bool {
    let syn::Type::Path(p) = ty else { return false };
    p.path
        .segments
        .last()
        .is_some_and(|s| CONTAINERS.iter().any(|c| s.ident == c))
}

/// The idents of the `#[serde(...)]` arguments of a field.
fn serde_args(field: &syn::Field) -> Vec<String> {
    let mut out = Vec::new();
    for a in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let Ok(list) = a.parse_args_with(Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated)
        else {
            continue;
        };
        out.extend(
            list.iter()
                .filter_map(|m| m.path().get_ident().map(|i| i.to_string())),
        );
    }
    out
}

fn has_serde_default(field: &syn::Field) -> bool {
    serde_args(field).iter().any(|a| a == "default")
}

fn has_custom_de(field: &syn::Field) -> bool {
    serde_args(field)
        .iter()
        .any(|a| a == "deserialize_with" || a == "with")
}

#[cfg(test)]
mod tests {
    use super::*;
    use quote::ToTokens;

    #[test]
    fn only_optional_lists_and_maps_get_the_helper() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod types {
                pub struct Challenge {
                    #[serde(default, skip_serializing_if = "::std::vec::Vec::is_empty")]
                    pub options: ::std::vec::Vec<ChallengeOption>,
                    #[serde(default, skip_serializing_if = ":: std::collections::HashMap::is_empty")]
                    pub extra: ::std::collections::HashMap<String, String>,
                    #[serde(default, skip_serializing_if = "::std::option::Option::is_none")]
                    pub label: ::std::option::Option<::std::string::String>,
                    pub required: ::std::vec::Vec<ChallengeOption>,
                    #[serde(default, with = "x")]
                    pub custom: ::std::vec::Vec<u8>,
                }
            }
            pub struct Outside {
                #[serde(default)]
                pub list: Vec<u8>,
            }
        };
        assert_eq!(null_as_default(&mut file, "mx_client::__private"), 2);
        let code = file.to_token_stream().to_string();
        assert_eq!(
            code.matches("deserialize_with = \"::mx_client::__private::de::null_as_default\"")
                .count(),
            2,
            "{code}"
        );
        let options = code.split("pub options").next().unwrap();
        assert!(options.contains("null_as_default"), "{code}");
    }
}
