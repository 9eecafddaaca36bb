//! Per-operation code compiled where it is called (`syn`): the `Client`'s
//! methods and each request builder's `new`, `request` and `send` are
//! `#[inline]`.
//!
//! A non-generic public function is compiled in the crate that defines it,
//! used or not: every operation's request, its send and the decoding of its
//! answer would be compiled into `mx-client` for each user, who calls a
//! few. An `#[inline]` one is compiled only in the crates that call it
//! (and at opt-level 0 only once there), so a user's build pays for the
//! operations it uses (`cargo xtask bench-features` measures the feature).

/// Marks the per-operation functions of `file` `#[inline]`.
pub(crate) fn per_operation(file: &mut syn::File) {
    for imp in crate::rewrite::client_impls(file) {
        mark(imp, |_| true);
    }
    for item in crate::rewrite::module_items(file, "builder") {
        let syn::Item::Impl(imp) = item else { continue };
        if imp.trait_.is_none() {
            mark(imp, |name| matches!(name, "new" | "request" | "send"));
        }
    }
}

/// Adds `#[inline]` to the methods of `imp` that `pick` names.
fn mark(imp: &mut syn::ItemImpl, pick: impl Fn(&str) -> bool) {
    for item in &mut imp.items {
        let syn::ImplItem::Fn(f) = item else { continue };
        let inline = f.attrs.iter().any(|a| a.path().is_ident("inline"));
        if !inline && pick(&f.sig.ident.to_string()) {
            f.attrs.push(syn::parse_quote!(#[inline]));
        }
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn operations_and_their_client_methods_are_inline_and_nothing_else() {
        let mut file: syn::File = syn::parse_quote! {
            impl Client {
                pub fn read_member(&self) -> builder::ReadMember<'_> { builder::ReadMember::new(self) }
            }
            impl ClientInfo for Client { fn baseurl(&self) -> &str { todo!() } }
            pub mod builder {
                impl<'a> ReadMember<'a> {
                    pub fn new(client: &'a super::Client) -> Self { todo!() }
                    pub fn member_guid<V>(self, value: V) -> Self { todo!() }
                    fn request(self) -> R { todo!() }
                    pub fn send(self) -> F { todo!() }
                }
            }
        };
        super::per_operation(&mut file);
        let mut inline = Vec::new();
        let items = file
            .items
            .iter()
            .chain(crate::rewrite::module(&file, "builder"));
        for item in items {
            let syn::Item::Impl(imp) = item else { continue };
            for item in &imp.items {
                let syn::ImplItem::Fn(f) = item else { continue };
                if f.attrs.iter().any(|a| a.path().is_ident("inline")) {
                    inline.push(f.sig.ident.to_string());
                }
            }
        }
        assert_eq!(inline, ["read_member", "new", "request", "send"]);
    }
}
