//! `cargo xtask bench-features`: what each API feature adds to a debug
//! build of the library, here and (with `--against REV`) at an earlier
//! commit, measured in the same run, run by run alternately.
//!
//! One measurement is `cargo clean -p mx-client` and then `cargo build -p
//! mx-client --no-default-features --features SET` on a target whose
//! dependencies are built: the build script's pipeline and the crate's
//! compile, what a user pays for the feature on a first build. A feature's
//! cost is its median less the median with no API feature.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use crate::bench::{cargo, median, summary};

/// A checkout to measure: its root, its target directory and the feature
/// sets to build (the first is no API feature).
struct Checkout {
    label: String,
    root: PathBuf,
    target: PathBuf,
    sets: Vec<Vec<String>>,
    times: Vec<Vec<Duration>>,
}

/// The API features of the checkout at `root` (from `cargo metadata`):
/// every feature but `default` and aliases (a feature enabling exactly one
/// other feature and nothing else).
fn api_features(root: &Path) -> Result<Vec<String>, String> {
    let (_, text) = cargo(
        root,
        &["metadata", "--format-version", "1", "--no-deps", "--quiet"],
    )?;
    let json = text
        .lines()
        .find(|l| l.starts_with('{'))
        .ok_or("cargo metadata printed no JSON")?;
    let meta: serde_json::Value = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let package = meta["packages"]
        .as_array()
        .and_then(|ps| ps.iter().find(|p| p["name"] == "mx-client"))
        .ok_or("no mx-client package in cargo metadata")?;
    let features = package["features"]
        .as_object()
        .ok_or("mx-client has no features")?;
    Ok(features
        .iter()
        .filter(|(name, enables)| {
            let alias = enables.as_array().is_some_and(|e| {
                e.len() == 1 && e[0].as_str().is_some_and(|f| features.contains_key(f))
            });
            *name != "default" && !alias
        })
        .map(|(name, _)| name.clone())
        .collect())
}

impl Checkout {
    fn new(label: String, root: PathBuf, target: PathBuf) -> Result<Checkout, String> {
        let apis = api_features(&root)?;
        let mut sets = vec![Vec::new()];
        sets.extend(apis.iter().map(|f| vec![f.clone()]));
        let platforms: Vec<String> = apis
            .iter()
            .filter(|f| f.starts_with("platform"))
            .cloned()
            .collect();
        if platforms.len() > 1 {
            sets.push(platforms);
        }
        let times = vec![Vec::new(); sets.len()];
        Ok(Checkout {
            label,
            root,
            target,
            sets,
            times,
        })
    }

    fn build(&self, set: &[String]) -> Result<Duration, String> {
        let target = self.target.to_str().ok_or("a non-UTF-8 target directory")?;
        let features = set.join(",");
        let mut args = vec![
            "build",
            "-p",
            "mx-client",
            "--no-default-features",
            "--target-dir",
            target,
        ];
        if !set.is_empty() {
            args.extend(["--features", &features]);
        }
        Ok(cargo(&self.root, &args)?.0)
    }

    fn clean(&self) -> Result<(), String> {
        let target = self.target.to_str().ok_or("a non-UTF-8 target directory")?;
        cargo(
            &self.root,
            &["clean", "-p", "mx-client", "--target-dir", target],
        )
        .map(drop)
    }

    fn print(&self) {
        let none = median(self.times[0].clone()).as_secs_f64();
        println!("\n{}", self.label);
        println!("| features (`--no-default-features --features …`) | build, median (min – max) | added to no API |");
        println!("|---|---|---|");
        for (set, times) in self.sets.iter().zip(&self.times) {
            let name = if set.is_empty() {
                "(no API)".to_string()
            } else {
                set.join(", ")
            };
            let added = median(times.clone()).as_secs_f64() - none;
            println!("| {name} | {} | {added:+.2} s |", summary(times));
        }
    }
}

/// Extracts commit `rev` of the repository at `root` into `dir` (`git
/// archive`), replacing what was there.
pub(crate) fn extract(root: &Path, rev: &str, dir: &Path) -> Result<(), String> {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let archive = Command::new("git")
        .args(["archive", "--format=tar", rev])
        .current_dir(root)
        .output()
        .map_err(|e| format!("cannot run git: {e}"))?;
    if !archive.status.success() {
        return Err(format!(
            "git archive {rev} failed: {}",
            String::from_utf8_lossy(&archive.stderr)
        ));
    }
    let mut tar = Command::new("tar")
        .args(["-x", "-C"])
        .arg(dir)
        .stdin(std::process::Stdio::piped())
        .spawn()
        .map_err(|e| format!("cannot run tar: {e}"))?;
    std::io::Write::write_all(
        tar.stdin.as_mut().ok_or("tar has no stdin")?,
        &archive.stdout,
    )
    .map_err(|e| e.to_string())?;
    drop(tar.stdin.take());
    match tar.wait() {
        Ok(s) if s.success() => Ok(()),
        _ => Err(format!(
            "tar could not extract {rev} into {}",
            dir.display()
        )),
    }
}

/// Every API feature's added debug build, `runs` times, here and at
/// `against`.
pub fn run(runs: usize, against: Option<String>) -> Result<(), String> {
    let root = crate::root();
    let scratch = root.join("target/bench-features");
    let mut checkouts = vec![Checkout::new(
        "this checkout".to_string(),
        root.clone(),
        scratch.join("target"),
    )?];
    if let Some(rev) = against {
        let dir = scratch.join(format!("at-{rev}"));
        extract(&root, &rev, &dir)?;
        checkouts.push(Checkout::new(
            format!("at {rev}"),
            dir,
            scratch.join(format!("target-{rev}")),
        )?);
    }
    for c in &checkouts {
        println!("warming {} (its dependencies, every feature set)…", c.label);
        for set in &c.sets {
            c.build(set)?;
        }
    }
    for run in 0..runs.max(1) {
        println!("run {}…", run + 1);
        for c in &mut checkouts {
            for i in 0..c.sets.len() {
                c.clean()?;
                let t = c.build(&c.sets[i])?;
                c.times[i].push(t);
            }
        }
    }
    for c in &checkouts {
        c.print();
    }
    Ok(())
}
