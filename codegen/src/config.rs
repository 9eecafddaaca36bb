//! The pipeline's settings, in the style of `prost_build::Config`: the
//! APIs (each with its own settings), the type overrides, the runtime
//! module, the output folder; and `generate`, which runs it on every API.

use std::path::{Path, PathBuf};

use crate::cache::Written;
use crate::error::{Location, SpecError};
use crate::{Api, TypeOverride};

/// Settings of the pipeline, in the style of `prost_build::Config`.
#[derive(Debug, Clone)]
pub struct Config {
    pub(crate) apis: Vec<Api>,
    pub(crate) out_dir: Option<PathBuf>,
    pub(crate) overrides: Vec<TypeOverride>,
    pub(crate) runtime: String,
    pub(crate) rerun_if_changed: bool,
}

impl Default for Config {
    fn default() -> Self {
        Self::new()
    }
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
            let inputs = crate::cache::inputs_hash(self, api);
            if path.exists() && std::fs::read(&stamp).ok().as_deref() == Some(inputs.as_bytes()) {
                written.push(Written {
                    path,
                    changed: false,
                });
                continue;
            }
            let rendered = self.render_api(api)?;
            let changed =
                crate::cache::write_if_changed(&path, rendered.code.as_bytes()).map_err(|e| {
                    SpecError::new(
                        &path,
                        Location::File,
                        format!("cannot write the generated code: {e}"),
                        "check that the output directory exists and is writable",
                    )
                })?;
            // Written after the code: a failure in between only costs a
            // regeneration next time.
            let _ = crate::cache::write_if_changed(&stamp, inputs.as_bytes());
            written.push(Written { path, changed });
        }
        Ok(written)
    }
}
