//! The code the pipeline adds to progenitor's: each client's place in the
//! runtime (`ApiClient`, `ClientParts`), its wire table, and the pages
//! glue (`stream_all`).

use proc_macro2::TokenStream;
use quote::quote;

use crate::wire::{SchemeWire, WireTable};

/// The hand-written runtime's hooks, the wire table and the pagination glue.
pub(crate) fn support_tokens(
    rt: &TokenStream,
    wire: &WireTable,
    schemes: &[SchemeWire],
) -> TokenStream {
    let table = wire.to_tokens(rt, schemes);
    let streams = wire.operations.iter().filter_map(|op| {
        let p = op.paginated.as_ref()?;
        // Names as progenitor and typify spell them; a name that is no Rust
        // identifier gets no `stream_all` rather than a panic.
        let builder = syn::parse_str::<syn::Ident>(&crate::openapi::pascal(&op.id)).ok()?;
        let item = syn::parse_str::<syn::Ident>(&crate::openapi::pascal(&p.item_schema)).ok()?;
        let items =
            crate::openapi::field_ident(&heck::ToSnakeCase::to_snake_case(p.items_field.as_str()))?;
        let doc = format!(
            "Streams every `{}` of every page, asking for the next page as the stream is polled. \
             Stops after the last page, at the first repeated page, and after one page when the \
             answer has no `pagination`.",
            p.item_schema
        );
        Some(quote! {
            impl<'a> builder::#builder<'a> {
                #[doc = #doc]
                pub fn stream_all(
                    self,
                ) -> #rt::Pages<impl #rt::Stream<Item = ::std::result::Result<types::#item, #rt::Error>> + Send + use<'a>> {
                    #rt::paginate(self, |b: Self, page: i64| b.page(page).send(), |r| #rt::Page {
                        items: r.#items,
                        pagination: r.pagination.map(|p| #rt::Pagination {
                            current_page: p.current_page,
                            per_page: p.per_page,
                            total_entries: p.total_entries,
                            total_pages: p.total_pages,
                        }),
                    })
                }
            }
        })
    });
    quote! {
        impl #rt::ApiClient for Client {}

        impl #rt::ClientParts for Client {
            type Scheme = SecurityScheme;

            fn wire() -> &'static #rt::ApiWire {
                &WIRE
            }

            fn from_parts(base_url: &str, http: reqwest::Client, hooks: #rt::Hooks) -> Self {
                Client::new_with_client(base_url, http, hooks)
            }

            fn hooks(&self) -> &#rt::Hooks {
                &self.inner
            }
        }

        #table

        #(#streams)*
    }
}
