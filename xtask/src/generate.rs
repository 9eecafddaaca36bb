//! `cargo xtask generate`: the pipeline build.rs runs, on demand.

use std::path::{Path, PathBuf};

use mx_codegen::{Api, Config};

pub fn run(spec: Option<PathBuf>, out: Option<PathBuf>, check: bool) -> Result<(), String> {
    let config = Config::mx_client();
    match spec {
        Some(spec) => {
            let api = api_of(&config, &spec);
            if let Some(o) = api.overlay_path() {
                eprintln!("with the overlay {}, as build.rs", o.display());
            }
            let rendered = config.render_api(&api).map_err(|e| e.to_string())?;
            match out {
                None if check => Ok(()),
                None => {
                    print!("{}", rendered.code);
                    Ok(())
                }
                Some(out) => sync(
                    &out,
                    &rendered.code,
                    check,
                    &format!(
                        "cargo xtask generate {} -o {}",
                        spec.display(),
                        out.display()
                    ),
                ),
            }
        }
        None => {
            // The golden files: what build.rs generates from specs/.
            let root = crate::root();
            std::env::set_current_dir(&root).map_err(|e| format!("{}: {e}", root.display()))?;
            for api in config.apis() {
                let rendered = config.render_api(api).map_err(|e| e.to_string())?;
                let golden = Path::new("tests/golden").join(format!("{}.rs", api.name()));
                sync(&golden, &rendered.code, check, "cargo xtask generate")?;
            }
            Ok(())
        }
    }
}

/// The settings build.rs generates `spec` with, when `spec` is one of the
/// crate's specs (its path ends with e.g. `specs/nexus/v1.yaml`, in this
/// workspace or a copy): that API, read from `spec`, with its overlay
/// beside it if it is there. Any other spec: no settings.
fn api_of(config: &Config, spec: &Path) -> Api {
    let absolute = std::path::absolute(spec).ok();
    [Some(spec.to_path_buf()), absolute]
        .into_iter()
        .flatten()
        .find_map(|spec| {
            config.apis().iter().find_map(|api| {
                let known = api.spec();
                if !spec.ends_with(known) {
                    return None;
                }
                let root = spec.ancestors().nth(known.components().count())?;
                let overlay = api
                    .overlay_path()
                    .map(|o| root.join(o))
                    .filter(|o| o.is_file());
                Some(api.with_spec(&spec).with_overlay(overlay))
            })
        })
        .unwrap_or_else(|| Api::new("", spec))
}

/// Writes `code` to `path` (only if it changed), or with `check` fails when
/// it would change, naming the command that fixes it.
fn sync(path: &Path, code: &str, check: bool, fix: &str) -> Result<(), String> {
    let current = std::fs::read_to_string(path).unwrap_or_default();
    if current == code {
        eprintln!("{}: up to date", path.display());
        return Ok(());
    }
    if check {
        return Err(format!(
            "{} is out of date with the specs; run `{fix}` and commit the result",
            path.display()
        ));
    }
    mx_codegen::write_if_changed(path, code.as_bytes())
        .map_err(|e| format!("{}: {e}", path.display()))?;
    eprintln!("{}: written", path.display());
    Ok(())
}
