//! The wire table: what the spec says about each operation's real wire
//! format, emitted as Rust data the hand-written layer reads at run time.

use std::path::Path;

use proc_macro2::TokenStream;
use quote::quote;

use crate::error::{pointer, SpecError};
use crate::SchemeKind;

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
    /// Query parameters generated under another name than the one sent:
    /// (generated name, wire name), e.g. (`category_guids`,
    /// `category_guid[]`).
    pub query_renames: Vec<(String, String)>,
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
    /// The API's vendor JSON type, sent as `Accept` in place of a plain
    /// `application/json` answer and of [`default_accept`](Self::default_accept)
    /// (set per API by `Config::json_accept`).
    pub json_accept: Option<String>,
    /// Headers every request sends, whatever the operation (MX's
    /// `Accept-Version`): (name, value).
    pub constant_headers: Vec<(String, String)>,
    /// Sorted by method name.
    pub operations: Vec<OperationWire>,
}

/// One security scheme of the spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SchemeWire {
    /// Its name in `components/securitySchemes`.
    pub name: String,
    pub kind: SchemeKind,
}

/// The security schemes of `components/securitySchemes` the runtime can
/// send (an API key in a header, HTTP Basic, a bearer token: MX's kinds,
/// `mx_specs::scheme_kind`), in the spec's order; a `$ref` is followed.
pub fn declared_schemes(spec: &openapiv3::OpenAPI) -> Vec<SchemeWire> {
    let Some(components) = &spec.components else {
        return Vec::new();
    };
    components
        .security_schemes
        .iter()
        .filter_map(|(name, scheme)| {
            let scheme = crate::openapi::resolve(scheme, &components.security_schemes)?;
            let kind = mx_specs::scheme_kind(&serde_json::to_value(scheme).ok()?)?;
            Some(SchemeWire {
                name: name.clone(),
                kind,
            })
        })
        .collect()
}

/// The header a scheme of `kind` travels in.
pub fn header_of(kind: &SchemeKind) -> &str {
    match kind {
        SchemeKind::Header(h) => h,
        SchemeKind::Basic | SchemeKind::Bearer => "Authorization",
    }
}

/// The schemes the API's `SecurityScheme` enum lists: `declared` (from the
/// spec's components, in their order), plus any header scheme an operation
/// names that is not declared there.
pub fn schemes(declared: Vec<SchemeWire>, table: &WireTable) -> Vec<SchemeWire> {
    let mut all = declared;
    for (name, header) in table.operations.iter().flat_map(|o| &o.security) {
        if !all.iter().any(|s| s.name == *name) {
            all.push(SchemeWire {
                name: name.clone(),
                kind: SchemeKind::Header(header.clone()),
            });
        }
    }
    all
}

/// Checks what the table emits as `HeaderName::from_static` and
/// `HeaderValue::from_static`: header names are HTTP tokens, media types
/// visible ASCII. A spec that breaks this is refused with its place, not
/// with a failed constant evaluation in the generated code.
pub fn check(table: &WireTable, schemes: &[SchemeWire], file: &Path) -> Result<(), SpecError> {
    for (name, value) in &table.constant_headers {
        if !is_token(name) || !is_visible_ascii(value) {
            return Err(SpecError::new(
                file,
                crate::Location::File,
                format!(
                    "the constant header `{}: {}` cannot be sent",
                    name.escape_debug(),
                    value.escape_debug()
                ),
                "name it with letters, digits and `-`, and give it a plain ASCII value (e.g. `Accept-Version: v20250224`)",
            ));
        }
    }
    for s in schemes {
        if let SchemeKind::Header(h) = &s.kind {
            if !is_token(h) {
                return Err(SpecError::at(
                    file,
                    pointer(["components", "securitySchemes", &s.name, "name"]),
                    format!("the header name `{h}` is not a valid HTTP header name"),
                    "use letters, digits and `-` (e.g. `MX-API-Key`)",
                ));
            }
        }
    }
    let media = table
        .default_accept
        .iter()
        .chain(&table.json_accept)
        .map(|m| (m, pointer(["paths"])))
        .chain(table.operations.iter().flat_map(|o| {
            let at = pointer(["paths", &o.path, &o.method.to_ascii_lowercase()]);
            [&o.request_media, &o.response_media]
                .into_iter()
                .flatten()
                .map(move |m| (m, at.clone()))
        }));
    for (m, at) in media {
        if !is_visible_ascii(m) {
            return Err(SpecError::at(
                file,
                at,
                format!(
                    "the media type `{}` cannot be sent in a header",
                    m.escape_debug()
                ),
                "write the media type in plain ASCII, e.g. `application/json`",
            ));
        }
    }
    Ok(())
}

/// A header value `HeaderValue::from_static` takes: printable ASCII.
fn is_visible_ascii(s: &str) -> bool {
    !s.is_empty() && s.bytes().all(|b| (0x20..0x7f).contains(&b))
}

/// An HTTP token (RFC 9110, 5.6.2): a valid header name.
fn is_token(s: &str) -> bool {
    !s.is_empty()
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b))
}

fn opt_str(s: &Option<String>) -> TokenStream {
    match s {
        Some(s) => quote!(::core::option::Option::Some(#s)),
        None => quote!(::core::option::Option::None),
    }
}

/// The operations' repeated facts, each emitted once as a constant that the
/// entries name: the media types (`MEDIA_i`) and the error lists
/// (`ERRORS_i`), in first-seen order.
#[derive(Default)]
struct Shared<'a> {
    media: Vec<&'a str>,
    errors: Vec<&'a [(String, String)]>,
}

impl<'a> Shared<'a> {
    fn index<T: PartialEq + ?Sized>(list: &mut Vec<&'a T>, item: &'a T) -> usize {
        list.iter().position(|x| *x == item).unwrap_or_else(|| {
            list.push(item);
            list.len() - 1
        })
    }

    /// `Some(MEDIA_i)` for `s`, or `None`.
    fn media(&mut self, s: Option<&'a str>) -> TokenStream {
        match s {
            Some(s) => {
                let c = quote::format_ident!("MEDIA_{}", Self::index(&mut self.media, s));
                quote!(::core::option::Option::Some(#c))
            }
            None => quote!(::core::option::Option::None),
        }
    }

    /// `&ERRORS_i` for `errors`.
    fn errors(&mut self, errors: &'a [(String, String)]) -> TokenStream {
        let c = quote::format_ident!("ERRORS_{}", Self::index(&mut self.errors, errors));
        quote!(&#c)
    }

    fn to_tokens(&self) -> TokenStream {
        let media = self.media.iter().enumerate().map(|(i, m)| {
            let c = quote::format_ident!("MEDIA_{i}");
            quote! {
                #[allow(clippy::declare_interior_mutable_const)]
                const #c: ::reqwest::header::HeaderValue = ::reqwest::header::HeaderValue::from_static(#m);
            }
        });
        let errors = self.errors.iter().enumerate().map(|(i, list)| {
            let c = quote::format_ident!("ERRORS_{i}");
            let n = list.len();
            let items = list.iter().map(|(code, desc)| quote!((#code, #desc)));
            quote!(static #c: [(&str, &str); #n] = [#(#items),*];)
        });
        quote!(#(#media)* #(#errors)*)
    }
}

/// The `SecurityScheme` variant of scheme `name`.
fn variant(name: &str) -> syn::Ident {
    let pascal = heck::ToPascalCase::to_pascal_case(name);
    syn::parse_str(&pascal).unwrap_or_else(|_| quote::format_ident!("Scheme{}", pascal))
}

impl WireTable {
    /// One operation's entry of the table; `security` lists its schemes'
    /// indexes.
    fn operation_tokens<'a>(
        &'a self,
        o: &'a OperationWire,
        rt: &TokenStream,
        security: TokenStream,
        shared: &mut Shared<'a>,
    ) -> TokenStream {
        let OperationWire {
            id,
            name,
            method,
            path,
            tags,
            request_media,
            response_media,
            security: _,
            success,
            errors,
            paginated: _,
            query_renames: _,
        } = o;
        let method = quote::format_ident!("{}", method.to_ascii_uppercase());
        let content_type = shared.media(request_media.as_deref());
        let accept = shared.media(self.accept(response_media.as_ref()));
        let json = response_media.as_deref().is_some_and(mx_specs::is_json);
        let resp = shared.media(response_media.as_deref());
        let errors = shared.errors(errors);
        quote! {
            #rt::Operation {
                id: #id,
                name: #name,
                method: ::reqwest::Method::#method,
                path: #path,
                tags: &[#(#tags),*],
                content_type: #content_type,
                response_media: #resp,
                accept: #accept,
                response_json: #json,
                security: &[#security],
                success: &[#(#success),*],
                errors: #errors,
            }
        }
    }

    /// The `Accept` of an operation whose documented answer is `response_media`.
    pub fn accept<'a>(&'a self, response_media: Option<&'a String>) -> Option<&'a str> {
        match (response_media, &self.json_accept) {
            (Some(m), vendor) => Some(mx_specs::accept_for(m, vendor.as_deref())),
            (None, Some(vendor)) => Some(vendor),
            (None, None) => self.default_accept.as_deref(),
        }
    }

    /// The table as typed constants of the runtime module `rt`: the API's
    /// `SecurityScheme` enum and a `static WIRE: ApiWire` (its operations and
    /// schemes in private statics after it).
    pub fn to_tokens(&self, rt: &TokenStream, schemes: &[SchemeWire]) -> TokenStream {
        let title = &self.title;
        let servers = self.servers.iter().map(|s| {
            let url = &s.url;
            let desc = opt_str(&s.description);
            quote!(#rt::Server { url: #url, description: #desc })
        });
        let index_of = |name: &str| schemes.iter().position(|s| s.name == name);
        let variants: Vec<_> = schemes.iter().map(|s| variant(&s.name)).collect();
        let variant_docs = schemes.iter().map(|s| match &s.kind {
            SchemeKind::Header(h) => format!("`{}`: the `{h}` header.", s.name),
            SchemeKind::Basic => format!("`{}`: HTTP Basic (`Authorization`).", s.name),
            SchemeKind::Bearer => format!("`{}`: a bearer token (`Authorization`).", s.name),
        });
        let to_index = if schemes.is_empty() {
            quote!(match s {})
        } else {
            quote!(s as usize)
        };
        let scheme_items = schemes.iter().map(|s| {
            let name = &s.name;
            let kind = match &s.kind {
                SchemeKind::Header(h) => {
                    let h = h.to_ascii_lowercase();
                    quote!(#rt::SchemeKind::Header(::reqwest::header::HeaderName::from_static(#h)))
                }
                SchemeKind::Basic => quote!(#rt::SchemeKind::Basic),
                SchemeKind::Bearer => quote!(#rt::SchemeKind::Bearer),
            };
            quote!(#rt::Scheme { name: #name, kind: #kind })
        });
        let n_schemes = schemes.len();
        let mut shared = Shared::default();
        let ops: Vec<_> = self
            .operations
            .iter()
            .map(|o| {
                let sec = o.security.iter().filter_map(|(scheme, _)| {
                    let v = &variants[index_of(scheme)?];
                    Some(quote!(SecurityScheme::#v as usize))
                });
                self.operation_tokens(o, rt, quote!(#(#sec),*), &mut shared)
            })
            .collect();
        let shared = shared.to_tokens();
        let n_ops = self.operations.len();
        let n_headers = self.constant_headers.len();
        let headers = self.constant_headers.iter().map(|(name, value)| {
            let name = name.to_ascii_lowercase();
            quote!((
                ::reqwest::header::HeaderName::from_static(#name),
                ::reqwest::header::HeaderValue::from_static(#value),
            ))
        });
        let server_urls = self.servers.iter().map(|s| &s.url);
        let n_servers = self.servers.len();
        quote! {
            /// The base URLs of the spec's servers, in its order.
            pub(crate) const SERVER_URLS: [&str; #n_servers] = [#(#server_urls),*];

            /// The wire facts the spec documents and the generator does not
            /// use: media types, servers, security headers, error statuses.
            /// Read by the hooks of [`Client`].
            pub(crate) static WIRE: #rt::ApiWire = #rt::ApiWire {
                title: #title,
                servers: &[#(#servers),*],
                schemes: &SCHEMES,
                headers: &HEADERS,
                operations: &OPERATIONS,
            };

            /// The security schemes of the spec: name one to set its
            /// credential (`Client::builder(…).credential(scheme, value)`).
            #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
            pub enum SecurityScheme {
                #(#[doc = #variant_docs] #variants,)*
            }

            impl ::core::convert::From<SecurityScheme> for usize {
                fn from(s: SecurityScheme) -> usize {
                    #to_index
                }
            }

            static SCHEMES: [#rt::Scheme; #n_schemes] = [#(#scheme_items),*];

            static HEADERS: [(::reqwest::header::HeaderName, ::reqwest::header::HeaderValue); #n_headers] = [#(#headers),*];

            static OPERATIONS: [#rt::Operation; #n_ops] = [#(#ops),*];

            #shared
        }
    }
}
