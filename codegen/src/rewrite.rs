//! Rewrites of the generated file (`syn`): the `Client::new` HTTP client,
//! the typed `send()`, the spec's deprecations.

use proc_macro2::TokenStream;

/// The items of the generated file's top-level module `name` (none when it
/// has no such module).
fn module_items<'a>(
    file: &'a mut syn::File,
    name: &'a str,
) -> impl Iterator<Item = &'a mut syn::Item> {
    file.items
        .iter_mut()
        .filter_map(move |item| match item {
            syn::Item::Mod(m) if m.ident == name => m.content.as_mut().map(|(_, items)| items),
            _ => None,
        })
        .flatten()
}

/// Makes the generated `Client::new` build its HTTP client through the
/// runtime's `default_http_client` (its timeouts, and no redirects, so the
/// auth headers never travel to another host) instead of progenitor's
/// default, which follows redirects.
pub(crate) fn use_runtime_http_client(file: &mut syn::File, rt: &TokenStream) {
    for item in &mut file.items {
        let syn::Item::Impl(imp) = item else { continue };
        let is_client = imp.trait_.is_none()
            && matches!(&*imp.self_ty, syn::Type::Path(p) if p.path.is_ident("Client"));
        if !is_client {
            continue;
        }
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if f.sig.ident == "new" {
                f.attrs.retain(|a| !a.path().is_ident("doc"));
                f.attrs.push(syn::parse_quote!(
                    #[doc = " A client of `baseurl` with the runtime's default HTTP client: its timeouts, and no redirects followed."]
                ));
                f.block = syn::parse_quote!({
                    Self::new_with_client(baseurl, #rt::default_http_client(), inner)
                });
            }
        }
    }
}

/// Makes each generated builder's `send()` return the crate's typed error:
/// progenitor's `send` becomes the private `send_raw`, and a new `send` runs
/// it inside the runtime's per-request channel (`rt::send`), where the hooks
/// report typed failures.
pub(crate) fn typed_send(file: &mut syn::File, rt: &TokenStream) {
    for item in module_items(file, "builder") {
        let syn::Item::Impl(imp) = item else { continue };
        let mut added = Vec::new();
        for item in &mut imp.items {
            let syn::ImplItem::Fn(f) = item else { continue };
            if f.sig.ident != "send" || f.sig.asyncness.is_none() {
                continue;
            }
            let Some(ok) = result_ok_type(&f.sig.output) else {
                continue;
            };
            let docs: Vec<syn::Attribute> = f
                .attrs
                .iter()
                .filter(|a| a.path().is_ident("doc"))
                .cloned()
                .collect();
            f.attrs.retain(|a| !a.path().is_ident("doc"));
            f.sig.ident = syn::Ident::new("send_raw", f.sig.ident.span());
            f.vis = syn::Visibility::Inherited;
            added.push(syn::parse_quote! {
                #(#docs)*
                #[doc = " Sends the request; every failure is the crate's typed `Error`."]
                pub async fn send(self) -> ::std::result::Result<#ok, #rt::Error> {
                    #rt::send(self.send_raw()).await
                }
            });
        }
        imp.items.extend(added);
    }
}

/// `T` of a `-> Result<T, E>`.
fn result_ok_type(output: &syn::ReturnType) -> Option<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        return None;
    };
    let syn::Type::Path(p) = &**ty else {
        return None;
    };
    let last = p.path.segments.last()?;
    if last.ident != "Result" {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
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
                .any(|(schema, prop)| crate::pascal(schema) == owner && *prop == json)
            {
                field.attrs.push(syn::parse_quote!(
                    #[deprecated(note = "deprecated by MX; see the field's documentation for its replacement")]
                ));
            }
        }
    }
}

fn serde_rename(field: &syn::Field) -> Option<String> {
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
