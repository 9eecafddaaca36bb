//! What makes a build fast when nothing changed: an input hash per API
//! (a spec whose bytes did not change is not generated again), and output
//! written only when its content changed.

use std::path::{Path, PathBuf};

use crate::{Api, Config};

/// A file [`Config::generate`] produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub path: PathBuf,
    /// `false` when the file already held exactly this content.
    pub changed: bool,
}

/// A hash of everything one API's generated code depends on: the spec's
/// and overlay's bytes, the settings, and the pipeline itself (this
/// crate's version and the running program, so that a rebuilt build
/// script regenerates). Unreadable files hash as missing: rendering
/// then reports them.
pub(crate) fn inputs_hash(config: &Config, api: &Api) -> String {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for file in std::iter::once(&api.spec).chain(&api.overlay) {
        std::fs::read(file).ok().hash(&mut h);
    }
    format!(
        "{api:?}{:?}{}{}",
        config.overrides,
        config.runtime,
        env!("CARGO_PKG_VERSION")
    )
    .hash(&mut h);
    let program = std::env::current_exe().and_then(|p| p.metadata()?.modified());
    format!("{program:?}").hash(&mut h);
    format!("{:016x}", h.finish())
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
