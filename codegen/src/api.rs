//! One API to generate, with every setting it carries: its spec, its
//! overlay, the `Accept` it wants in place of plain JSON, and the headers
//! every request of it sends whatever the operation (a version header).

use std::path::{Path, PathBuf};

/// One API to generate: a module name, a spec file, and the API's own
/// settings. Built with [`Api::new`] and its setters, given to
/// [`Config::add_api`](crate::Config::add_api).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Api {
    pub(crate) name: String,
    pub(crate) spec: PathBuf,
    pub(crate) overlay: Option<PathBuf>,
    pub(crate) json_accept: Option<String>,
    pub(crate) constant_headers: Vec<(String, String)>,
    /// How the generated code's header names the spec and the overlay
    /// (default: their paths).
    pub(crate) labels: Option<(String, Option<String>)>,
}

impl Api {
    /// The API `name` (the generated file is `<name>.rs`) from `spec`.
    pub fn new(name: impl Into<String>, spec: impl Into<PathBuf>) -> Self {
        Api {
            name: name.into(),
            spec: spec.into(),
            overlay: None,
            json_accept: None,
            constant_headers: Vec::new(),
            labels: None,
        }
    }

    /// Names the spec and the overlay this way in the generated code's
    /// header (e.g. `specs/nexus/v1.yaml`, wherever the files are read
    /// from), so that the code is the same on every machine.
    pub fn labelled(mut self, spec: impl Into<String>, overlay: Option<String>) -> Self {
        self.labels = Some((spec.into(), overlay));
        self
    }

    /// Lays an overlay (see [`load::load_with_overlay`](crate::load::load_with_overlay))
    /// over the spec.
    pub fn overlay(mut self, overlay: impl Into<PathBuf>) -> Self {
        self.overlay = Some(overlay.into());
        self
    }

    /// Sends `media` as `Accept` in place of plain `application/json` (and
    /// for operations that document no answer body): the vendor type the
    /// API wants when its spec says JSON only.
    pub fn json_accept(mut self, media: impl Into<String>) -> Self {
        self.json_accept = Some(media.into());
        self
    }

    /// Sends `name: value` with every request of the API, as a constant of
    /// its wire table (e.g. MX's `Accept-Version`). A header parameter of
    /// that name in the spec is not generated as an argument; if it
    /// declares a default or a set of values, `value` must be among them,
    /// or generation fails naming the place.
    pub fn constant_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.constant_headers.push((name.into(), value.into()));
        self
    }

    /// The same API read from another spec file (e.g. a candidate spec that
    /// `spec-sync` validates before it replaces the vendored one).
    pub fn with_spec(&self, spec: impl Into<PathBuf>) -> Self {
        Api {
            spec: spec.into(),
            ..self.clone()
        }
    }

    /// The same API with another overlay path (e.g. resolved against
    /// another root).
    pub fn with_overlay(&self, overlay: Option<PathBuf>) -> Self {
        Api {
            overlay,
            ..self.clone()
        }
    }

    /// Its name: the generated file's stem and its module.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// Its spec file.
    pub fn spec(&self) -> &Path {
        &self.spec
    }

    /// Its overlay file, if it has one.
    pub fn overlay_path(&self) -> Option<&Path> {
        self.overlay.as_deref()
    }

    /// The headers sent with every request (see
    /// [`constant_header`](Self::constant_header)).
    pub fn constant_headers(&self) -> &[(String, String)] {
        &self.constant_headers
    }
}
