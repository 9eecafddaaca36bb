//! `cargo xtask spec-sync`: refresh the vendored specs from MX's docs,
//! merged, canonical, validated by the generation pipeline, written
//! atomically, with a summary of what changed.

mod canonical;
mod diff;
mod fetch;
mod merge;

use std::path::{Path, PathBuf};

use mx_codegen::{Config, MxApi, MX_APIS};

pub use fetch::Source;

/// What `spec-sync` is asked to do.
pub struct Options {
    /// `nexus`, `atrium`, `platform` or `all`.
    pub api: String,
    /// Sources given on the command line (replace the upstream file's).
    pub from: Vec<String>,
    /// Print the summary; fail when upstream differs; write nothing.
    pub check: bool,
    /// Print the summary; write nothing.
    pub dry_run: bool,
    /// The workspace root (tests point this at a copy).
    pub root: PathBuf,
}

/// How a sync ended, for the exit code.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    UpToDate,
    /// Upstream differs (and, unless checking or dry-running, was written).
    Changed,
}

/// One API's sync settings, read from its upstream file (e.g.
/// `specs/nexus/upstream.txt`).
struct Upstream {
    /// The spec file name MX's doc blocks name, e.g. `openapi/nexus/v1.yaml`.
    spec_file: String,
    /// Alternatives, tried in order until one succeeds.
    sources: Vec<String>,
}

fn read_upstream(root: &Path, upstream: Option<&str>) -> Result<Option<Upstream>, String> {
    let Some(upstream) = upstream else {
        return Ok(None);
    };
    let path = root.join(upstream);
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("{}: {e}", path.display())),
    };
    let mut spec_file = None;
    let mut sources = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        match line.strip_prefix("spec-file:") {
            Some(f) => spec_file = Some(f.trim().to_string()),
            None => sources.push(line.to_string()),
        }
    }
    let spec_file = spec_file.ok_or_else(|| format!("{}: no `spec-file:` line", path.display()))?;
    Ok(Some(Upstream { spec_file, sources }))
}

pub fn run(opts: &Options) -> Result<Outcome, String> {
    if opts.api == "all" && !opts.from.is_empty() {
        // One set of sources would be written over every API's spec.
        return Err(format!(
            "--from names the sources of one API's spec: name it, e.g. `cargo xtask spec-sync nexus --from {}`",
            opts.from.join(" --from ")
        ));
    }
    let apis: Vec<&MxApi> = match opts.api.as_str() {
        "all" => MX_APIS.iter().collect(),
        one => vec![MX_APIS
            .iter()
            .find(|a| a.name == one || a.feature() == one)
            .ok_or_else(|| format!("unknown API `{one}`: use {} or all", names()))?],
    };
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| format!("cannot start the async runtime: {e}"))?;
    let mut outcome = Outcome::UpToDate;
    for mx in apis {
        let api = mx.feature();
        let api = api.as_str();
        let spec = format!("specs/{}", mx.spec);
        let spec = spec.as_str();
        let upstream = read_upstream(
            &opts.root,
            mx.upstream.map(|u| format!("specs/{u}")).as_deref(),
        )?;
        let (spec_file, alternatives): (String, Vec<Vec<String>>) = match (
            &upstream,
            opts.from.is_empty(),
        ) {
            (_, false) => (
                upstream
                    .as_ref()
                    .map(|u| u.spec_file.clone())
                    .unwrap_or_else(|| format!("openapi/{api}/{}", file_name(Path::new(spec)))),
                // All --from sources together make one document.
                vec![opts.from.clone()],
            ),
            (Some(u), true) => (
                u.spec_file.clone(),
                u.sources.iter().map(|s| vec![s.clone()]).collect(),
            ),
            (None, true) => {
                eprintln!(
                    "spec-sync {api}: skipped: {spec} has no upstream file (it is written by hand); pass --from to sync it from a source"
                );
                continue;
            }
        };
        let merged = runtime.block_on(fetch_first(&alternatives, &spec_file))?;
        let changed = sync_one(opts, mx, merged)?;
        if changed {
            outcome = Outcome::Changed;
        }
    }
    Ok(outcome)
}

/// Tries each alternative in order; the first that yields a complete,
/// mergeable document wins. Says why each failed one was skipped.
async fn fetch_first(
    alternatives: &[Vec<String>],
    spec_file: &str,
) -> Result<serde_yaml::Value, String> {
    let mut reasons = Vec::new();
    for sources in alternatives {
        let parsed: Vec<Source> = sources.iter().map(|s| Source::parse(s)).collect();
        match fetch::collect(&parsed, spec_file)
            .await
            .and_then(merge::merge)
        {
            Ok(doc) => return Ok(doc),
            Err(e) if alternatives.len() > 1 => {
                eprintln!("{}: not used: {e}", sources.join(", "));
                reasons.push(e);
            }
            Err(e) => return Err(e),
        }
    }
    Err(format!(
        "no source could be used:\n  {}",
        reasons.join("\n  ")
    ))
}

/// Compares, validates and (unless told not to) writes one API's spec.
/// Returns whether upstream differs from the vendored spec.
fn sync_one(opts: &Options, mx: &MxApi, merged: serde_yaml::Value) -> Result<bool, String> {
    let api = mx.feature();
    let api = api.as_str();
    let spec = format!("specs/{}", mx.spec);
    let spec = Path::new(&spec);
    let target = opts.root.join(spec);
    let current: Option<serde_yaml::Value> = match std::fs::read_to_string(&target) {
        Ok(text) => Some(serde_yaml::from_str(&text).map_err(|e| {
            format!(
                "{}: the vendored spec does not parse: {e}",
                target.display()
            )
        })?),
        Err(_) => None,
    };
    let merged = canonical::canonicalize(merged);
    let empty = serde_yaml::Value::Mapping(Default::default());
    let changes = diff::diff(current.as_ref().unwrap_or(&empty), &merged);
    let same = current
        .as_ref()
        .is_some_and(|c| canonical::canonicalize(c.clone()) == merged);

    // Validate through the pipeline build.rs runs, from a temporary file
    // beside the target, before anything is replaced.
    let text = canonical::to_yaml(&merged)?;
    let tmp = target.with_file_name(format!(
        ".{}.sync-{}",
        file_name(&target),
        std::process::id()
    ));
    std::fs::write(&tmp, &text).map_err(|e| format!("{}: {e}", tmp.display()))?;
    let candidate = mx_codegen::mx_api(mx, Some(&opts.root)).with_spec(&tmp);
    let validated = Config::mx_client().render_api(&candidate).map_err(|e| {
        let e = e
            .to_string()
            .replace(&tmp.display().to_string(), "the synced spec");
        format!(
            "spec-sync {api}: upstream's spec does not generate, so {} is left as it was: {e}",
            target.display()
        )
    });
    let result = (|| {
        validated?;
        if same {
            println!("spec-sync {api}: {} is up to date", spec.display());
            return Ok(false);
        }
        println!("spec-sync {api}: upstream differs from {}:", spec.display());
        print!("{}", diff::render(&changes));
        if opts.check || opts.dry_run {
            if opts.check {
                println!("run `cargo xtask spec-sync {api}` to update it");
            }
            return Ok(true);
        }
        std::fs::rename(&tmp, &target).map_err(|e| format!("{}: {e}", target.display()))?;
        println!("wrote {}", spec.display());
        Ok(true)
    })();
    let _ = std::fs::remove_file(&tmp);
    result
}

/// The APIs spec-sync knows, for messages.
fn names() -> String {
    MX_APIS
        .iter()
        .map(MxApi::feature)
        .collect::<Vec<_>>()
        .join(", ")
}

fn file_name(p: &Path) -> String {
    p.file_name()
        .map(|f| f.to_string_lossy().into_owned())
        .unwrap_or_default()
}
