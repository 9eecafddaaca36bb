//! The wire table: what the spec says about each operation's real wire
//! format, emitted as Rust data the hand-written layer reads at run time.

use proc_macro2::TokenStream;
use quote::quote;

/// One server of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerWire {
    pub url: String,
    pub description: Option<String>,
}

/// A list operation the pipeline can stream across pages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Paginated {
    /// The component schema of the answer (e.g. `MembersResponseBody`).
    pub response_schema: String,
    /// Its array property (e.g. `members`).
    pub items_field: String,
    /// The component schema of the items (e.g. `Member`).
    pub item_schema: String,
    /// Whether the array property is required (a `Vec`, else an `Option<Vec>`
    /// in older-style specs: generated as `Vec` with a default either way).
    pub items_required: bool,
}

/// The wire facts of one operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationWire {
    /// The spec's `operationId`.
    pub id: String,
    /// The generated method's name (snake case), as progenitor reports it
    /// to the hooks.
    pub name: String,
    pub method: String,
    pub path: String,
    pub tags: Vec<String>,
    /// The documented request media type, as the spec has it.
    pub request_media: Option<String>,
    /// The documented media type of the success answer (sent as `Accept`).
    pub response_media: Option<String>,
    /// (security scheme, header name) pairs the operation must send.
    pub security: Vec<(String, String)>,
    /// Documented success statuses.
    pub success: Vec<String>,
    /// Documented error statuses and their descriptions.
    pub errors: Vec<(String, String)>,
    pub paginated: Option<Paginated>,
}

/// Everything recorded about one API.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WireTable {
    pub title: String,
    pub servers: Vec<ServerWire>,
    /// The `Accept` of operations that document no answer body (e.g. a `204`
    /// delete): the JSON media type most operations answer with, since MX
    /// refuses (406) a request that names no API version.
    pub default_accept: Option<String>,
    /// Sorted by method name.
    pub operations: Vec<OperationWire>,
}

fn opt(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

impl WireTable {
    /// The table as a `static WIRE: ApiWire` item of the runtime module `rt`.
    pub fn to_tokens(&self, rt: &TokenStream) -> TokenStream {
        let title = &self.title;
        let default_accept = opt(&self.default_accept);
        let servers = self.servers.iter().map(|s| {
            let url = &s.url;
            let desc = opt(&s.description);
            quote!(#rt::Server { url: #url, description: #desc })
        });
        let ops = self.operations.iter().map(|o| {
            let OperationWire {
                id,
                name,
                method,
                path,
                tags,
                request_media,
                response_media,
                security,
                success,
                errors,
                paginated: _,
            } = o;
            let req = opt(request_media);
            let resp = opt(response_media);
            let sec = security
                .iter()
                .map(|(scheme, header)| quote!((#scheme, #header)));
            let errs = errors.iter().map(|(code, desc)| quote!((#code, #desc)));
            quote! {
                #rt::Operation {
                    id: #id,
                    name: #name,
                    method: #method,
                    path: #path,
                    tags: &[#(#tags),*],
                    request_media: #req,
                    response_media: #resp,
                    security: &[#(#sec),*],
                    success: &[#(#success),*],
                    errors: &[#(#errs),*],
                }
            }
        });
        quote! {
            /// The wire facts the spec documents and the generator does not
            /// use: media types, servers, security headers, error statuses.
            /// Read by the hooks of [`Client`].
            pub static WIRE: #rt::ApiWire = #rt::ApiWire {
                title: #title,
                default_accept: #default_accept,
                servers: &[#(#servers),*],
                operations: &[#(#ops),*],
            };
        }
    }
}
