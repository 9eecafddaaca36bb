//! Running the pipeline on one spec: load (with the overlay), normalize,
//! generate with progenitor, the passes over the generated file (by kind:
//! `builders`, `docs`, `enums`, `fields`, `nulls`, `send`, `rewrite`), and
//! format.

use std::path::Path;

use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, InterfaceStyle, TagStyle};
use quote::quote;

use crate::error::SpecError;
use crate::wire::WireTable;
use crate::{load, Api, Config};

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

impl Config {
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
        let mut normalized = crate::normalize::normalize(
            spec_path,
            &mut spec,
            &self.overrides,
            &api.constant_headers,
        )?;
        normalized.wire.json_accept = api.json_accept.clone();
        let schemes = crate::wire::schemes(crate::wire::declared_schemes(&spec), &normalized.wire);
        crate::wire::check(&normalized.wire, &schemes, spec_path)?;
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
        let tokens = crate::quiet::quiet_catch(|| Generator::new(&settings).generate_tokens(&spec)).map_err(
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
        tokens.extend(crate::tokens::support_tokens(
            &rt,
            &normalized.wire,
            &schemes,
        ));
        let mut file: syn::File = syn::parse2(tokens).map_err(|e| {
            SpecError::at(
                spec_path,
                "",
                format!("the generated code does not parse: {e}"),
                "report this with the spec attached; meanwhile simplify the last schema you changed",
            )
        })?;
        crate::builders::rewrite(&mut file, &rt);
        crate::docs::document(&mut file, &spec);
        crate::rewrite::mark_deprecated(&mut file, &normalized.deprecated);
        crate::rewrite::lenient(&mut file, &normalized.lenient, &self.runtime);
        crate::rewrite::text_fences(&mut file);
        crate::enums::open(&mut file, &rt);
        crate::nulls::null_as_default(&mut file, &self.runtime);
        crate::de::lean(&mut file, &rt);
        crate::rewrite::private_client(&mut file);
        let sends = crate::send::rewrite(&mut file, &rt, &normalized.wire).map_err(|message| {
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
        crate::fields::implement(&mut file, &rt);
        crate::inline::per_operation(&mut file);
        crate::enums::check_open(&file).map_err(|message| {
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
