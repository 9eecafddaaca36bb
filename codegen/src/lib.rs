//! The generation pipeline of `mx-client`, shared by its `build.rs` and its
//! `cargo xtask` commands:
//!
//! load YAML → `openapiv3::OpenAPI` → [normalize](normalize::normalize) →
//! progenitor (builder interface) → `syn` → `prettyplease` → write only when
//! the content changed.
//!
//! ```no_run
//! mx_codegen::Config::new()
//!     .api("nexus", "specs/nexus/v1.yaml")
//!     .out_dir(std::env::var_os("OUT_DIR").unwrap())
//!     .generate()
//!     .unwrap();
//! ```

mod api;
mod builders;
mod enums;
pub mod error;
mod fields;
pub mod load;
mod mx;
pub mod normalize;
pub mod nulls;
mod properties;
mod quiet;
pub mod responses;
mod rewrite;
mod send;
pub mod wire;

use std::path::{Path, PathBuf};

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use quote::quote;

pub use api::Api;
pub use error::{Location, SpecError};
pub use mx::{api as mx_api, MxApi, MX_APIS};
pub use mx_specs::{is_json, SchemeKind};
pub use normalize::TypeOverride;
pub use wire::{SchemeWire, WireTable};

/// Settings of the pipeline, in the style of `prost_build::Config`.
#[derive(Debug, Clone)]
pub struct Config {
    apis: Vec<Api>,
    out_dir: Option<PathBuf>,
    overrides: Vec<TypeOverride>,
    runtime: String,
    rerun_if_changed: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
}

/// The result of running the pipeline on one spec.
#[derive(Debug, Clone)]
pub struct Rendered {
    /// The formatted Rust source, header included.
    pub code: String,
    /// The wire facts recorded while normalizing.
    pub wire: WireTable,
    /// The generated type of each operation's JSON success answer:
    /// (`operationId`, path within the generated module, e.g.
    /// `types::MemberResponseBody`), sorted by operation.
    pub answers: Vec<(String, String)>,
}

/// A file [`Config::generate`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// `false` when the file already held exactly this content.
    pub changed: bool,
}

impl Config {
    /// A pipeline with no APIs and no type overrides, whose generated code
    /// uses the runtime module `mx_client::__private`.
    pub fn new() -> Self {
        Config {
            apis: Vec::new(),
            out_dir: None,
            overrides: Vec::new(),
            runtime: "mx_client::__private".into(),
            rerun_if_changed: false,
        }
    }

    /// Adds an API with no settings of its own: `name` names the output
    /// file (`<name>.rs`).
    pub fn api(&mut self, name: impl Into<String>, spec: impl Into<PathBuf>) -> &mut Self {
        self.add_api(Api::new(name, spec))
    }

    /// Adds an API with its settings (overlay, `Accept`, constant headers).
    pub fn add_api(&mut self, api: Api) -> &mut Self {
        self.apis.push(api);
        self
    }

    /// Keeps only the APIs `keep` accepts (by name), e.g. those whose Cargo
    /// feature is enabled.
    pub fn retain_apis(&mut self, mut keep: impl FnMut(&str) -> bool) -> &mut Self {
        self.apis.retain(|a| keep(&a.name));
        self
    }

    /// Where [`generate`](Self::generate) writes (build.rs: `OUT_DIR`).
    pub fn out_dir(&mut self, dir: impl Into<PathBuf>) -> &mut Self {
        self.out_dir = Some(dir.into());
        self
    }

    /// Generates the property `property` (of the component schema `schema`,
    /// or of any schema) as the existing Rust type `rust_path` of `crate_name`;
    /// `property` written `name[]` names the items of the array `name`.
    pub fn type_override(
        &mut self,
        schema: Option<&str>,
        property: &str,
        crate_name: &str,
        rust_path: &str,
    ) -> &mut Self {
        self.overrides.push(TypeOverride {
            schema: schema.map(str::to_string),
            property: property.into(),
            crate_name: crate_name.into(),
            rust_path: rust_path.into(),
        });
        self
    }

    /// The module path (without leading `::`) of the runtime support the
    /// generated code calls: `Hooks`, `ApiWire`, `ApiClient`, `send`,
    /// `signal`, `Error`, `paginate`, `default_http_client`.
    pub fn runtime(&mut self, path: impl Into<String>) -> &mut Self {
        self.runtime = path.into();
        self
    }

    /// Print `cargo:rerun-if-changed` for each spec read (build scripts).
    pub fn emit_rerun_if_changed(&mut self, on: bool) -> &mut Self {
        self.rerun_if_changed = on;
        self
    }

    /// The APIs added so far.
    pub fn apis(&self) -> &[Api] {
        &self.apis
    }

    /// The API added as `name`.
    pub fn api_named(&self, name: &str) -> Option<&Api> {
        self.apis.iter().find(|a| a.name == name)
    }

    /// Runs the pipeline on every API and writes `<out_dir>/<name>.rs`,
    /// leaving files whose content is unchanged untouched.
    pub fn generate(&self) -> Result<Vec<Written>, SpecError> {
        let out_dir = self.out_dir.clone().ok_or_else(|| {
            SpecError::new(
                Path::new("."),
                Location::File,
                "no output directory is set",
                "call Config::out_dir (build scripts pass OUT_DIR)",
            )
        })?;
        let mut written = Vec::new();
        for api in &self.apis {
            if self.rerun_if_changed {
                for file in std::iter::once(&api.spec).chain(&api.overlay) {
                    println!("cargo:rerun-if-changed={}", file.display());
                }
            }
            let path = out_dir.join(format!("{}.rs", api.name));
            // The pipeline's inputs, hashed: a spec whose bytes did not
            // change (a touch, or another API's edit) is not generated again.
            let stamp = out_dir.join(format!("{}.inputs", api.name));
            let inputs = self.inputs_hash(api);
            if path.exists() && std::fs::read(&stamp).ok().as_deref() == Some(inputs.as_bytes()) {
                written.push(Written {
                    path,
                    changed: false,
                });
                continue;
            }
            let rendered = self.render_api(api)?;
            let changed = write_if_changed(&path, rendered.code.as_bytes()).map_err(|e| {
                SpecError::new(
                    &path,
                    Location::File,
                    format!("cannot write the generated code: {e}"),
                    "check that the output directory exists and is writable",
                )
            })?;
            // Written after the code: a failure in between only costs a
            // regeneration next time.
            let _ = write_if_changed(&stamp, inputs.as_bytes());
            written.push(Written { path, changed });
        }
        Ok(written)
    }

    /// A hash of everything one API's generated code depends on: the spec's
    /// and overlay's bytes, the settings, and the pipeline itself (this
    /// crate's version and the running program, so that a rebuilt build
    /// script regenerates). Unreadable files hash as missing: rendering
    /// then reports them.
    fn inputs_hash(&self, api: &Api) -> String {
        use std::hash::{Hash, Hasher};
        let mut h = std::collections::hash_map::DefaultHasher::new();
        for file in std::iter::once(&api.spec).chain(&api.overlay) {
            std::fs::read(file).ok().hash(&mut h);
        }
        format!(
            "{api:?}{:?}{}{}",
            self.overrides,
            self.runtime,
            env!("CARGO_PKG_VERSION")
        )
        .hash(&mut h);
        let program = std::env::current_exe().and_then(|p| p.metadata()?.modified());
        format!("{program:?}").hash(&mut h);
        format!("{:016x}", h.finish())
    }

    /// Runs the pipeline on one spec file with no API settings and
    /// returns the formatted code.
    pub fn render(&self, spec_path: &Path) -> Result<Rendered, SpecError> {
        self.render_api(&Api::new("", spec_path))
    }

    /// Runs the pipeline on `api`: its spec, with its overlay and settings.
    pub fn render_api(&self, api: &Api) -> Result<Rendered, SpecError> {
        let spec = match &api.overlay {
            Some(overlay) => load::load_with_overlay(&api.spec, overlay)?,
            None => load::load(&api.spec)?,
        };
        self.render_normalized(api, spec)
    }

    /// Runs the pipeline on an already parsed spec; `spec_path` names it in
    /// errors and in the generated file's header.
    pub fn render_spec(
        &self,
        spec_path: &Path,
        spec: openapiv3::OpenAPI,
    ) -> Result<Rendered, SpecError> {
        self.render_normalized(&Api::new("", spec_path), spec)
    }

    fn render_normalized(
        &self,
        api: &Api,
        mut spec: openapiv3::OpenAPI,
    ) -> Result<Rendered, SpecError> {
        let spec_path = api.spec.as_path();
        let mut normalized =
            normalize::normalize(spec_path, &mut spec, &self.overrides, &api.constant_headers)?;
        normalized.wire.json_accept = api.json_accept.clone();
        let schemes = wire::schemes(wire::declared_schemes(&spec), &normalized.wire);
        wire::check(&normalized.wire, &schemes, spec_path)?;
        let rt: TokenStream = format!("::{}", self.runtime)
            .parse()
            .expect("a module path parses as tokens");

        let mut settings = GenerationSettings::default();
        settings
            .with_interface(InterfaceStyle::Builder)
            .with_tag(TagStyle::Merged)
            .with_hooks(progenitor::HooksMode::Expected)
            .with_inner_type(quote!(#rt::Hooks))
            .with_derive("PartialEq");
        let mut crates = std::collections::BTreeSet::new();
        for o in &self.overrides {
            if crates.insert(o.crate_name.clone()) {
                settings.with_crate(&o.crate_name, progenitor::CrateVers::Any, None);
            }
        }
        let tokens = quiet::quiet_catch(|| Generator::new(&settings).generate_tokens(&spec)).map_err(
            |message| {
                SpecError::at(
                    spec_path,
                    "",
                    format!("the generator rejected the spec: {message}"),
                    "simplify the construct named above; `cargo xtask generate <spec>` shows the same message",
                )
            },
        )?;

        // Extended and moved, not quoted: the generated stream is large and
        // quoting it would copy it.
        let mut tokens = tokens;
        tokens.extend(support_tokens(&rt, &normalized.wire, &schemes));
        let mut file: syn::File = syn::parse2(tokens).map_err(|e| {
            SpecError::at(
                spec_path,
                "",
                format!("the generated code does not parse: {e}"),
                "report this with the spec attached; meanwhile simplify the last schema you changed",
            )
        })?;
        builders::rewrite(&mut file);
        rewrite::mark_deprecated(&mut file, &normalized.deprecated);
        rewrite::lenient(&mut file, &normalized.lenient, &self.runtime);
        rewrite::text_fences(&mut file);
        enums::open(&mut file, &rt);
        nulls::null_as_default(&mut file, &self.runtime);
        rewrite::private_client(&mut file);
        let sends = send::rewrite(&mut file, &rt, &normalized.wire).map_err(|message| {
            SpecError::at(
                spec_path,
                "",
                message,
                "report this with the spec attached: the pipeline no longer matches its generator",
            )
        })?;
        let (spec_label, overlay_label) = match &api.labels {
            Some((spec, overlay)) => (spec.clone(), overlay.clone()),
            None => (slashes(spec_path), api.overlay.as_deref().map(slashes)),
        };
        let overlay = overlay_label
            .map(|o| format!(" with the overlay {o}"))
            .unwrap_or_default();
        fields::implement(&mut file, &rt);
        enums::check_open(&file).map_err(|message| {
            SpecError::at(
                spec_path,
                "/components/schemas",
                message,
                "give that schema an open type (a `type_override` to an open enum), or type it as a plain string in the API's overlay",
            )
        })?;
        let code = format!(
            "// @generated by mx-codegen from {spec_label}{overlay}. Do not edit: edit the spec and run `cargo build`.\n\n{}",
            prettyplease::unparse(&file)
        );
        let mut answers: Vec<(String, String)> = sends
            .into_iter()
            .filter_map(|(index, ok)| {
                let op = &normalized.wire.operations[index];
                let json = op.response_media.as_deref().is_some_and(mx_specs::is_json);
                let inner = response_value_inner(&ok)?;
                json.then(|| (op.id.clone(), inner))
            })
            .collect();
        answers.sort();
        Ok(Rendered {
            code,
            wire: normalized.wire,
            answers,
        })
    }
}

/// `types::X` of `ResponseValue<types::X>`, as text.
fn response_value_inner(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(
            quote::ToTokens::to_token_stream(t)
                .to_string()
                .replace(' ', ""),
        ),
        _ => None,
    }
}

/// A path as the generated header names it, with `/` on every platform.
fn slashes(p: &Path) -> String {
    p.display().to_string().replace('\\', "/")
}

/// `list_members` / `createMember` → `ListMembers` / `CreateMember`, as
/// progenitor and typify name builder structs and types.
pub(crate) fn pascal(s: &str) -> String {
    heck::ToPascalCase::to_pascal_case(s)
}

/// A field's identifier as typify spells it (a keyword gets a `_` suffix);
/// `None` when no identifier can be made of it.
fn field_ident(name: &str) -> Option<syn::Ident> {
    syn::parse_str::<syn::Ident>(name)
        .or_else(|_| syn::parse_str::<syn::Ident>(&format!("{name}_")))
        .ok()
}

/// The hand-written runtime's hooks, the wire table and the pagination glue.
fn support_tokens(rt: &TokenStream, wire: &WireTable, schemes: &[SchemeWire]) -> TokenStream {
    let table = wire.to_tokens(rt, schemes);
    let streams = wire.operations.iter().filter_map(|op| {
        let p = op.paginated.as_ref()?;
        // Names as progenitor and typify spell them; a name that is no Rust
        // identifier gets no `stream_all` rather than a panic.
        let builder = syn::parse_str::<syn::Ident>(&pascal(&op.id)).ok()?;
        let item = syn::parse_str::<syn::Ident>(&pascal(&p.item_schema)).ok()?;
        let items = field_ident(&heck::ToSnakeCase::to_snake_case(p.items_field.as_str()))?;
        let doc = format!(
            "Streams every `{}` of every page, asking for the next page as the stream is polled. \
             Stops after the last page, at the first repeated page, and after one page when the \
             answer has no `pagination`.",
            p.item_schema
        );
        Some(quote! {
            impl<'a> builder::#builder<'a> {
                #[doc = #doc]
                pub fn stream_all(self) -> #rt::PageStream<'a, types::#item> {
                    #rt::paginate(self, |b: Self, page: i64| async move {
                        let r = b.page(page).send().await?.into_inner();
                        Ok(#rt::Page {
                            items: r.#items,
                            pagination: r.pagination.map(|p| #rt::Pagination {
                                current_page: p.current_page,
                                per_page: p.per_page,
                                total_entries: p.total_entries,
                                total_pages: p.total_pages,
                            }),
                        })
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

/// Writes `content` to `path` through a temporary file and a rename, unless
/// the file already holds exactly `content`. Returns whether it wrote.
pub fn write_if_changed(path: &Path, content: &[u8]) -> std::io::Result<bool> {
    if std::fs::read(path).ok().as_deref() == Some(content) {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension(format!("tmp{}", std::process::id()));
    std::fs::write(&tmp, content)?;
    std::fs::rename(&tmp, path).inspect_err(|_| {
        let _ = std::fs::remove_file(&tmp);
    })?;
    Ok(true)
}
